//! Word 97–2003 `.doc` through `antiword`, run as a subprocess with a time limit, as PDF goes
//! through pdftotext.
//!
//! Reading the OLE compound file and Word's piece table ourselves (the `cfb` crate) would be a
//! second Word reader to keep beside the .docx one, for a format no longer written; antiword is
//! small, packaged everywhere (`apt-get install antiword`) and reads CJK text as UTF-8. Its
//! output is line-per-paragraph text, handed to the text reader. Without antiword, a `.doc` is an
//! `unsupported` error naming the package.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;

use super::pdf::{run_tool, Input, Tool};
use crate::error::ReadError;
use crate::model::{Document, Format};
use crate::reader::ReadConfig;

/// Runs `antiword -m UTF-8.txt -w 0 FILE` (UTF-8, no line wrapping) and reads its text;
/// antiword is killed once `stop` is set (the batch gave up on the file).
pub fn read_doc(
    path: &Path,
    bytes: &[u8],
    config: &ReadConfig,
    stop: &AtomicBool,
) -> Result<Document, ReadError> {
    let input = Input::new(path, bytes, ".doc")?;
    let input_name = input.name().display().to_string();
    let mut cmd = Command::new("antiword");
    cmd.args(["-m", "UTF-8.txt", "-w", "0"]).arg(input.name());
    let (status, stdout, stderr) = run_tool(
        &mut cmd,
        input,
        path,
        Tool {
            name: "antiword",
            install: "it is a Word 97-2003 .doc file; reading .doc needs antiword, which is not \
                      installed (Debian/Ubuntu: apt-get install antiword; macOS: brew install \
                      antiword), or save it as .docx",
            timeout_flag: "--pdf-timeout",
        },
        config.pdf_timeout,
        config.max_bytes.saturating_mul(4),
        stop,
    )?;
    // Messages name the document, not the temporary copy antiword read.
    let stderr = stderr.replace(&input_name, &path.display().to_string());
    if !status.success() {
        let first = stderr.lines().next().unwrap_or_default();
        return Err(if first.to_lowercase().contains("encrypt") {
            ReadError::Unsupported {
                path: path.to_owned(),
                why: format!("the .doc is encrypted ({first})"),
            }
        } else {
            ReadError::Corrupt {
                path: path.to_owned(),
                why: if first.is_empty() {
                    format!("antiword could not read it ({status})")
                } else {
                    format!("antiword could not read it: {first}")
                },
            }
        });
    }
    let text = String::from_utf8_lossy(&stdout);
    let mut doc = super::parse_text(&text, Format::Doc, None);
    doc.format = Format::Doc;
    Ok(doc)
}
