//! JSON Lines: one record per line, UTF-8, no BOM (SCHEMA.md).

use std::io::{BufWriter, Write};

use super::{Encoder, Sink};
use crate::record::Record;

/// Writes records as JSON Lines to any writer.
pub struct JsonlSink<W: Write> {
    out: BufWriter<W>,
    /// One record's JSON, written to `out` whole: serde_json's many small writes cost fewer
    /// instructions into a vector than through the buffered writer's checks. (A whole file's
    /// JSON in one vector, as the workers' encoding makes it, measured 1.04x the CPU here at
    /// `-j 1`, within the noise; the per-record buffer stayed.)
    line: Vec<u8>,
}

impl<W: Write> JsonlSink<W> {
    /// A sink writing to `out`, buffered.
    pub fn new(out: W) -> Self {
        JsonlSink {
            out: BufWriter::with_capacity(1 << 16, out),
            line: Vec::new(),
        }
    }
}

/// One file's records as JSON Lines: a line each, in order.
///
/// sonic-rs writes serde's data model as serde_json does, byte for byte (a test holds it to
/// that), but finds the bytes a string must escape sixteen at a time. serde_json's loop of a
/// table lookup per byte was 6.4% of a text batch's native samples at `-j 1`, Chinese text
/// being three bytes a character; JSON encoding as a whole fell from 8.5% to 4.8% of them.
fn encode(records: &[Record], out: &mut Vec<u8>) -> std::io::Result<()> {
    for r in records {
        sonic_rs::to_writer(&mut *out, r).map_err(std::io::Error::other)?;
        out.push(b'\n');
    }
    Ok(())
}

impl<W: Write> Sink for JsonlSink<W> {
    fn write_file(&mut self, records: &[Record]) -> std::io::Result<()> {
        for r in records {
            self.line.clear();
            encode(std::slice::from_ref(r), &mut self.line)?;
            self.out.write_all(&self.line)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }

    fn encoder(&self) -> Option<Encoder> {
        Some(encode)
    }

    fn write_encoded(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.out.write_all(bytes)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::record::ErrorRecord;

    /// Every line is what serde_json writes for the record: on the bundled samples' records
    /// (every record type but `error`), and on an error record whose strings hold each
    /// character JSON escapes (the controls, `"` and `\\`) beside ones it does not (DEL,
    /// U+2028, `/`, a character outside the BMP) at the start, middle and end of a string.
    #[test]
    fn lines_are_serde_jsons_byte_for_byte() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut records = Vec::new();
        for name in ["yuquan-2021.txt", "qinghe-2027-budget.docx"] {
            let path = dir.join(name);
            let bytes = std::fs::read(&path).unwrap();
            records.extend(crate::process_bytes(&path, &bytes, &Default::default()));
        }
        let every: String = (0u8..0x20).map(char::from).collect();
        let odd = format!("\"{every}\\/\u{7f}\u{2028}玉泉𠀀\\{every}\"");
        records.push(Record::Error(ErrorRecord {
            doc: Some(odd.clone()),
            path: odd.clone(),
            path_bytes: None,
            error: "io".into(),
            message: format!("x{odd}y"),
        }));
        let mut types: Vec<_> = records.iter().map(Record::type_name).collect();
        types.sort();
        types.dedup();
        assert_eq!(
            types,
            [
                "check",
                "document",
                "error",
                "expenditure",
                "figure",
                "indicator",
                "line_item",
                "project",
                "section",
                "table"
            ]
        );
        let mut ours = Vec::new();
        encode(&records, &mut ours).unwrap();
        let mut theirs = Vec::new();
        for r in &records {
            serde_json::to_writer(&mut theirs, r).unwrap();
            theirs.push(b'\n');
        }
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(theirs).unwrap()
        );
    }
}
