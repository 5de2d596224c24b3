//! The .docx reader: a Word package → [`Document`], streamed with `zip` + `quick-xml`.
//!
//! The package is read the way Word reads it: the main part is the target of the
//! officeDocument relationship in `_rels/.rels`, and styles, numbering and notes are found
//! through that part's own relationships, never by fixed names. Every part is decompressed
//! under a size cap and parsed under caps on events, nesting depth and `gridSpan`, so a
//! hostile file ends as a `too_large` error, not as exhausted memory.

mod body;
mod numbering;
mod styles;

use std::collections::HashMap;
use std::io::{Cursor, Read};
use std::path::Path;

use quick_xml::events::Event;
use quick_xml::Reader;

use crate::error::ReadError;
use crate::model::{Document, Format};
use crate::reader::ReadConfig;

/// Resource caps for one package.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// Decompressed bytes of one part.
    pub part_bytes: u64,
    /// XML events of one part.
    pub events: u64,
    /// Element nesting depth.
    pub depth: usize,
    /// Columns one cell may span.
    pub grid_span: u32,
    /// Grid positions (cells, and the positions merges and `gridBefore`/`gridAfter` cover) of
    /// all the tables of a document: a few thousand rows of a few hundred columns are real
    /// tables; a 1,000-wide grid of 200,000 rows is an attack worth 14 GB.
    pub grid_cells: u64,
    /// Decompressed bytes of all the parts read, together: three parts just under the
    /// per-part cap are no report.
    pub total_bytes: u64,
}

impl Limits {
    /// Small limits for unit tests of the part parsers.
    #[cfg(test)]
    pub(crate) fn for_tests() -> Limits {
        Limits {
            part_bytes: 1 << 20,
            events: 100_000,
            depth: 64,
            grid_span: 100,
            grid_cells: 100_000,
            total_bytes: 2 << 20,
        }
    }

    fn from_config(config: &ReadConfig) -> Limits {
        Limits {
            part_bytes: config.max_bytes.saturating_mul(4).clamp(1 << 20, 1 << 30),
            events: 50_000_000,
            depth: 512,
            grid_span: 1_000,
            grid_cells: 5_000_000,
            total_bytes: config.max_bytes.saturating_mul(4).clamp(1 << 20, 1 << 30),
        }
    }
}

/// Why a part could not be parsed; mapped to a [`ReadError`] with the path at the edge.
#[derive(Debug)]
pub(crate) enum PartError {
    TooLarge(String),
    Corrupt(String),
}

const OFFICE_DOCUMENT: &str = "/officeDocument";

/// Whether an OLE compound file holds an encrypted OOXML package: its directory names the
/// `EncryptedPackage` stream (in UTF-16LE, as OLE names are).
fn is_encrypted_package(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

/// Reads a .docx file's bytes.
pub fn read_docx(path: &Path, bytes: &[u8], config: &ReadConfig) -> Result<Document, ReadError> {
    let limits = Limits::from_config(config);
    let err = |e: PartError| match e {
        PartError::TooLarge(what) => ReadError::TooLarge {
            path: path.to_owned(),
            what,
        },
        PartError::Corrupt(why) => ReadError::Corrupt {
            path: path.to_owned(),
            why,
        },
    };
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) && is_encrypted_package(bytes) {
            // A password-protected .docx is an OLE file holding the encrypted package.
            ReadError::Unsupported {
                path: path.to_owned(),
                why: "it is an encrypted (password-protected) Word document".into(),
            }
        } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            ReadError::NotDocx {
                path: path.to_owned(),
                why: "it is a Word 97-2003 .doc file with a .docx name; save it as .docx".into(),
            }
        } else if matches!(e, zip::result::ZipError::UnsupportedArchive(_)) {
            ReadError::Unsupported {
                path: path.to_owned(),
                why: format!("its zip package uses a feature juesuan does not read ({e})"),
            }
        } else if bytes.starts_with(b"PK") {
            ReadError::Corrupt {
                path: path.to_owned(),
                why: format!("its zip structure is damaged ({e})"),
            }
        } else {
            ReadError::NotDocx {
                path: path.to_owned(),
                why: "it is not a zip package, as every .docx is".into(),
            }
        }
    })?;
    let not_docx = |why: &str| ReadError::NotDocx {
        path: path.to_owned(),
        why: why.to_string(),
    };
    let mut remaining = limits.total_bytes;
    let rels = read_part(&mut zip, "_rels/.rels", limits, &mut remaining)
        .map_err(err)?
        .ok_or_else(|| not_docx("the package has no _rels/.rels, so it names no main document"))?;
    let main = relationships(&rels, "")
        .into_iter()
        .find(|(kind, _)| kind.ends_with(OFFICE_DOCUMENT))
        .map(|(_, target)| target)
        .ok_or_else(|| {
            not_docx("the package has no officeDocument relationship (no Word document inside)")
        })?;
    let main_xml = read_part(&mut zip, &main, limits, &mut remaining)
        .map_err(err)?
        .ok_or_else(|| ReadError::Corrupt {
            path: path.to_owned(),
            why: format!("the package names {main} as its document but does not contain it"),
        })?;
    if !root_is(&main_xml, b"document") {
        return Err(not_docx(&format!(
            "its main part {main} is not a Word document"
        )));
    }
    // The main part's relationships: styles, numbering, notes.
    let (dir, file) = main.rsplit_once('/').unwrap_or(("", main.as_str()));
    let rels_name = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    let part_rels = read_part(&mut zip, &rels_name, limits, &mut remaining)
        .map_err(err)?
        .map(|x| relationships(&x, dir))
        .unwrap_or_default();
    let target = |kind: &str| {
        part_rels
            .iter()
            .find(|(k, _)| k.ends_with(kind))
            .map(|(_, t)| t.clone())
    };
    let mut optional = |kind: &str| -> Result<Option<String>, ReadError> {
        match target(kind) {
            Some(t) => read_part(&mut zip, &t, limits, &mut remaining).map_err(err),
            None => Ok(None),
        }
    };
    let styles = styles::Styles::parse(optional("/styles")?.as_deref().unwrap_or(""), limits)
        .map_err(err)?;
    let numbering =
        numbering::Numbering::parse(optional("/numbering")?.as_deref().unwrap_or(""), limits)
            .map_err(err)?;
    let footnotes = optional("/footnotes")?;
    let endnotes = optional("/endnotes")?;
    body::parse(
        &main_xml,
        footnotes.as_deref(),
        endnotes.as_deref(),
        &styles,
        numbering,
        limits,
    )
    .map(|blocks| Document {
        image_tables: 0,
        format: Format::Docx,
        encoding: None,
        blocks,
    })
    .map_err(err)
}

/// Reads a part as text under the size cap; `None` when the package lacks it.
fn read_part<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    limits: Limits,
    remaining: &mut u64,
) -> Result<Option<String>, PartError> {
    let name = name.trim_start_matches('/');
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(PartError::Corrupt(format!("cannot open {name}: {e}"))),
    };
    if file.size() > limits.part_bytes {
        return Err(PartError::TooLarge(format!(
            "{name} decompresses to {} bytes, over the limit of {}",
            file.size(),
            limits.part_bytes
        )));
    }
    // All the parts read share one budget.
    if file.size() > *remaining {
        return Err(PartError::TooLarge(format!(
            "its parts decompress to more than {} bytes together",
            limits.total_bytes
        )));
    }
    // Room for the size the package states, so that the part is not copied as it grows (1% of
    // a .docx report's samples); at most 16 MiB up front, since a hostile header may state any
    // size under the cap for a part that is far smaller.
    let mut buf = Vec::with_capacity(file.size().min(1 << 24) as usize);
    file.take(limits.part_bytes + 1)
        .read_to_end(&mut buf)
        .map_err(|e| PartError::Corrupt(format!("cannot decompress {name}: {e}")))?;
    if buf.len() as u64 > limits.part_bytes {
        return Err(PartError::TooLarge(format!(
            "{name} decompresses to more than {} bytes",
            limits.part_bytes
        )));
    }
    if buf.len() as u64 > *remaining {
        return Err(PartError::TooLarge(format!(
            "its parts decompress to more than {} bytes together",
            limits.total_bytes
        )));
    }
    *remaining -= buf.len() as u64;
    // XML parts are UTF-8 (a BOM is allowed); UTF-16 parts are rare but legal.
    let text = match encoding_rs::Encoding::for_bom(&buf) {
        Some((enc, bom)) => enc.decode_without_bom_handling(&buf[bom..]).0.into_owned(),
        // Validated by the SIMD checker, then copied: std's check of a part full of Chinese
        // text cost more than the copy (1.2 M instructions a report), and the crate forbids
        // the unchecked conversion.
        None => simdutf8::basic::from_utf8(&buf)
            .map_err(|_| PartError::Corrupt(format!("{name} is not UTF-8 XML")))?
            .to_owned(),
    };
    Ok(Some(text))
}

/// `(type, target)` of every relationship, targets resolved against the source part's folder.
fn relationships(xml: &str, base: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e))
                if e.local_name().as_ref() == b"Relationship" =>
            {
                let attrs = attributes(&e);
                if attrs.get("TargetMode").map(String::as_str) == Some("External") {
                    continue;
                }
                if let (Some(kind), Some(target)) = (attrs.get("Type"), attrs.get("Target")) {
                    out.push((kind.clone(), resolve(base, target)));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// `word` + `media/../styles.xml` → `word/styles.xml`; `/word/x.xml` is absolute.
fn resolve(base: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn root_is(xml: &str, local: &[u8]) -> bool {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => return e.local_name().as_ref() == local,
            Ok(Event::Eof) | Err(_) => return false,
            _ => {}
        }
    }
}

/// Attributes by local name (`w:val` → `val`).
pub(crate) fn attributes(e: &quick_xml::events::BytesStart) -> HashMap<String, String> {
    e.attributes()
        .flatten()
        .map(|a| {
            let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
            let value = a
                .unescape_value()
                .map(|v| v.into_owned())
                .unwrap_or_default();
            (key, value)
        })
        .collect()
}

/// The `w:val` attribute.
pub(crate) fn val(e: &quick_xml::events::BytesStart) -> Option<String> {
    attr(e, b"val")
}

/// The `w:val` attribute as a number (a level, a span), without a copy of its text.
pub(crate) fn val_parsed<T: std::str::FromStr>(e: &quick_xml::events::BytesStart) -> Option<T> {
    attr_parsed(e, b"val")
}

/// One attribute by its local name, without decoding the others.
pub(crate) fn attr(e: &quick_xml::events::BytesStart, name: &[u8]) -> Option<String> {
    attr_with(e, name, str::to_string)
}

/// One attribute by its local name as a number.
pub(crate) fn attr_parsed<T: std::str::FromStr>(
    e: &quick_xml::events::BytesStart,
    name: &[u8],
) -> Option<T> {
    attr_with(e, name, |v| v.parse().ok()).flatten()
}

/// `f` of one attribute's value, found by its local name. The first such attribute is the
/// one read, so the parser's check for repeated names (a list of the names seen, built for
/// every element) is left off: it only turns the later repeats into errors.
pub(crate) fn attr_with<R>(
    e: &quick_xml::events::BytesStart,
    name: &[u8],
    f: impl FnOnce(&str) -> R,
) -> Option<R> {
    e.attributes()
        .with_checks(false)
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| a.unescape_value().ok().map(|v| f(&v)))
}

/// Counts events and depth against the limits.
pub(crate) struct Guard {
    limits: Limits,
    events: u64,
    pub depth: usize,
    part: &'static str,
}

impl Guard {
    pub fn new(limits: Limits, part: &'static str) -> Guard {
        Guard {
            limits,
            events: 0,
            depth: 0,
            part,
        }
    }

    pub fn event(&mut self) -> Result<(), PartError> {
        self.events += 1;
        if self.events > self.limits.events {
            return Err(PartError::TooLarge(format!(
                "{} has more than {} XML events",
                self.part, self.limits.events
            )));
        }
        Ok(())
    }

    pub fn enter(&mut self) -> Result<(), PartError> {
        self.depth += 1;
        if self.depth > self.limits.depth {
            return Err(PartError::TooLarge(format!(
                "{} nests elements deeper than {}",
                self.part, self.limits.depth
            )));
        }
        Ok(())
    }

    pub fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_targets_resolve_like_word() {
        assert_eq!(resolve("word", "styles.xml"), "word/styles.xml");
        assert_eq!(
            resolve("word", "../customXml/item.xml"),
            "customXml/item.xml"
        );
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
        assert_eq!(resolve("word", "/word/numbering.xml"), "word/numbering.xml");
    }

    #[test]
    fn an_encrypted_docx_is_unsupported() {
        let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        bytes.extend(vec![0u8; 504]);
        bytes.extend(
            "EncryptedPackage"
                .encode_utf16()
                .flat_map(|u| u.to_le_bytes()),
        );
        let e = read_docx(Path::new("secret.docx"), &bytes, &ReadConfig::default()).unwrap_err();
        assert_eq!(e.kind(), "unsupported", "{e}");
        assert!(e.to_string().contains("encrypted"));
        // A .doc renamed .docx stays `not_docx`.
        let doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0];
        let e = read_docx(Path::new("old.docx"), &doc, &ReadConfig::default()).unwrap_err();
        assert_eq!(e.kind(), "not_docx");
    }
}
