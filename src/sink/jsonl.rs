//! JSON Lines: one record per line, UTF-8, no BOM (SCHEMA.md).

use std::io::{BufWriter, Write};

use super::Sink;
use crate::record::Record;

/// Writes records as JSON Lines to any writer.
pub struct JsonlSink<W: Write> {
    out: BufWriter<W>,
    /// One record's JSON, written to `out` whole: serde_json's many small writes cost fewer
    /// instructions into a vector than through the buffered writer's checks.
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

impl<W: Write> Sink for JsonlSink<W> {
    fn write_file(&mut self, records: &[Record]) -> std::io::Result<()> {
        for r in records {
            self.line.clear();
            serde_json::to_writer(&mut self.line, r)?;
            self.line.push(b'\n');
            self.out.write_all(&self.line)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}
