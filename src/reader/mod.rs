//! Readers: the bytes of one file → [`Document`]. One module per format; nothing here knows
//! about budgets, and nothing downstream knows about encodings, zip or subprocesses.

pub mod doc;
pub mod docx;
pub mod html;
pub mod layout;
pub(crate) mod lines;
pub mod pdf;
pub mod sheet;
pub mod text;

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use crate::error::ReadError;
use crate::model::{Document, Format};

/// Limits and helpers the readers use.
#[derive(Debug, Clone)]
pub struct ReadConfig {
    /// Files larger than this are refused with `too_large` before being read.
    pub max_bytes: u64,
    /// How long `pdftotext` may run on one PDF.
    pub pdf_timeout: Duration,
    /// How long a batch may spend on one file of any format (reading, extraction, checks);
    /// past it the file is a `timeout` error and the batch goes on. `None`: no limit.
    pub file_timeout: Option<Duration>,
}

impl Default for ReadConfig {
    fn default() -> Self {
        ReadConfig {
            max_bytes: 64 * 1024 * 1024,
            pdf_timeout: Duration::from_secs(60),
            file_timeout: Some(Duration::from_secs(120)),
        }
    }
}

/// The format a path names by its extension (case-insensitive); `None` for files juesuan
/// does not read.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" => Some(Format::Text),
        "docx" => Some(Format::Docx),
        "pdf" => Some(Format::Pdf),
        "html" | "htm" | "shtml" | "xhtml" => Some(Format::Html),
        "xlsx" => Some(Format::Xlsx),
        "xls" => Some(Format::Xls),
        "doc" => Some(Format::Doc),
        _ => None,
    }
}

/// Whether [`read`] hands these bytes to pdftotext: a non-empty file named `.pdf`. A batch
/// starts such a file's conversion ahead of its turn.
pub fn goes_to_pdftotext(path: &Path, bytes: &[u8]) -> bool {
    !bytes.is_empty() && format_of(path) == Some(Format::Pdf)
}

/// Reads one file's bytes (already loaded and size-checked by the caller) into a document.
pub fn read(path: &Path, bytes: &[u8], config: &ReadConfig) -> Result<Document, ReadError> {
    read_unless_stopped(path, bytes, config, &AtomicBool::new(false))
}

/// [`read`], giving up (with a `timeout` error) once `stop` is set: a helper program (pdftotext,
/// antiword) still running is then killed, so that a file a batch stopped waiting for does not
/// keep a process running, or one outliving juesuan.
pub fn read_unless_stopped(
    path: &Path,
    bytes: &[u8],
    config: &ReadConfig,
    stop: &AtomicBool,
) -> Result<Document, ReadError> {
    if bytes.is_empty() {
        return Err(ReadError::Empty {
            path: path.to_owned(),
        });
    }
    match format_of(path) {
        // A saved web page of any name is read as one.
        Some(Format::Html) => html::read_html(path, bytes),
        Some(f @ (Format::Xlsx | Format::Xls)) => sheet::read_sheet(path, bytes, f),
        Some(Format::Text) | None if html::looks_like_html(bytes) => html::read_html(path, bytes),
        Some(Format::Doc) => doc::read_doc(path, bytes, config, stop),
        // An OLE compound file under another name: a Word 97–2003 document, most likely.
        Some(Format::Text) | None if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) => {
            doc::read_doc(path, bytes, config, stop)
        }
        Some(Format::Text) | None => read_text(path, bytes),
        Some(Format::Pdf) => pdf::read_pdf(path, bytes, config, stop),
        Some(Format::Docx) => docx::read_docx(path, bytes, config),
    }
}

/// Reads decoded text: layout text (form feeds, aligned columns: what `pdftotext -layout`
/// makes of a PDF) with the layout reader, line-per-paragraph text with the text reader.
pub fn parse_text(text: &str, format: Format, encoding: Option<&'static str>) -> Document {
    if layout::is_layout(text) {
        layout::parse(text, format, encoding)
    } else {
        text::parse(text, format, encoding)
    }
}

fn read_text(path: &Path, bytes: &[u8]) -> Result<Document, ReadError> {
    match text::decode(bytes) {
        Ok((s, encoding)) => Ok(parse_text(&s, Format::Text, Some(encoding))),
        Err(text::DecodeError::Empty) => Err(ReadError::Empty {
            path: path.to_owned(),
        }),
        Err(text::DecodeError::NotText(why)) => Err(ReadError::Encoding {
            path: path.to_owned(),
            why,
        }),
    }
}
