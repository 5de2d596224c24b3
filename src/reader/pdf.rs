//! PDF input through poppler's `pdftotext -layout`, run as a subprocess with a timeout.
//!
//! Parsing PDF ourselves would mean re-implementing poppler's text layout; `pdftotext` is the
//! well-kept standard for this job and is one `apt-get install poppler-utils` away. Its
//! output is layout text, handed to the text reader.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

use crate::error::ReadError;
use crate::model::{Document, Format};
use crate::reader::ReadConfig;

/// Runs `pdftotext -layout -enc UTF-8 FILE -` on the PDF's bytes and parses its output. The
/// bytes are given to pdftotext as a temporary file, so a PDF held in memory reads like one on
/// disk; `path` names the document in messages.
pub fn read_pdf(path: &Path, bytes: &[u8], config: &ReadConfig) -> Result<Document, ReadError> {
    Conversion::start(path, bytes, config)?.finish()
}

/// A pdftotext run under way. A batch starts the next PDF's conversion before it finishes
/// the current one, so pdftotext (a process of its own) converts while juesuan extracts:
/// a PDF's wall time is then about pdftotext's alone, not pdftotext's plus extraction's.
/// Dropped unfinished, the run is killed.
pub struct Conversion {
    /// First field, so that a conversion dropped unfinished kills pdftotext before its
    /// input is removed.
    running: Running,
    path: PathBuf,
    /// The temporary copy pdftotext reads; removed when the conversion is dropped.
    file: tempfile::NamedTempFile,
    timeout: Duration,
    started: Instant,
}

impl Conversion {
    /// Starts pdftotext on the PDF's bytes; its time limit (`config.pdf_timeout`) counts from
    /// now.
    pub fn start(path: &Path, bytes: &[u8], config: &ReadConfig) -> Result<Conversion, ReadError> {
        let file = temporary_copy(path, bytes, ".pdf")?;
        let mut cmd = Command::new("pdftotext");
        cmd.args(["-layout", "-enc", "UTF-8"])
            .arg(file.path())
            .arg("-");
        let running = Running::spawn(
            &mut cmd,
            path,
            Tool {
                name: "pdftotext",
                install: "reading PDF needs poppler's pdftotext, which is not installed \
                          (Debian/Ubuntu: apt-get install poppler-utils; macOS: brew install poppler)",
                timeout_flag: "--pdf-timeout",
            },
            // At most four times the input limit of text: a PDF whose text would be larger
            // (a bomb of repeated content streams) is `too_large`, and the closed pipe ends
            // the child.
            config.max_bytes.saturating_mul(4),
        )?;
        Ok(Conversion {
            path: path.to_owned(),
            file,
            running,
            timeout: config.pdf_timeout,
            started: Instant::now(),
        })
    }

    /// Waits for pdftotext (within what is left of its time limit) and reads its text.
    pub fn finish(self) -> Result<Document, ReadError> {
        let Conversion {
            path,
            file,
            running,
            timeout,
            started,
        } = self;
        let (status, stdout, stderr) = running.wait(&path, timeout, started)?;
        // Messages name the document, not the temporary copy pdftotext read.
        let stderr = stderr.replace(&file.path().display().to_string(), &path.display().to_string());
        drop(file);
        let text = text_of(&path, status, stdout, &stderr)?;
        if text.trim().is_empty() {
            return Err(ReadError::Unsupported {
                path,
                why: "the PDF has no text layer (a scanned image?); juesuan does not do OCR"
                    .to_string(),
            });
        }
        Ok(super::layout::parse(&text, Format::Pdf, None))
    }
}

/// pdftotext's text, or the error its exit status and messages tell.
fn text_of(
    path: &Path,
    status: std::process::ExitStatus,
    stdout: Vec<u8>,
    stderr: &str,
) -> Result<String, ReadError> {
    if !status.success() {
        let lower = stderr.to_lowercase();
        let why = if stderr.is_empty() {
            format!("pdftotext failed ({status})")
        } else {
            format!(
                "pdftotext failed: {}",
                stderr.lines().next().unwrap_or_default()
            )
        };
        return Err(
            if lower.contains("incorrect password") || lower.contains("encrypt") {
                ReadError::Unsupported {
                    path: path.to_owned(),
                    why: format!("the PDF is encrypted ({why})"),
                }
            } else {
                ReadError::Corrupt {
                    path: path.to_owned(),
                    why,
                }
            },
        );
    }
    String::from_utf8(stdout).map_err(|_| ReadError::Corrupt {
        path: path.to_owned(),
        why: "pdftotext produced text that is not UTF-8".to_string(),
    })
}

/// The bytes in a temporary file for a helper program to read (removed when dropped).
pub(crate) fn temporary_copy(
    path: &Path,
    bytes: &[u8],
    suffix: &str,
) -> Result<tempfile::NamedTempFile, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = tempfile::Builder::new()
        .prefix("juesuan-")
        .suffix(suffix)
        .tempfile()
        .map_err(io)?;
    std::io::Write::write_all(&mut file, bytes).map_err(io)?;
    Ok(file)
}

/// An external program a reader runs.
pub(crate) struct Tool {
    pub name: &'static str,
    /// What to say when it is not installed (the package to install).
    pub install: &'static str,
    /// The option that sets its time limit, for the timeout message.
    pub timeout_flag: &'static str,
}

/// Runs a reader's helper program with a time limit, reading at most `cap` bytes of its
/// output: its exit status, its output and its stderr (trimmed). A missing program is
/// `unsupported` with the install hint, a run past `timeout` is killed and `timeout`, more
/// output than `cap` is `too_large`.
pub(crate) fn run_tool(
    cmd: &mut Command,
    path: &Path,
    tool: Tool,
    timeout: Duration,
    cap: u64,
) -> Result<(std::process::ExitStatus, Vec<u8>, String), ReadError> {
    Running::spawn(cmd, path, tool, cap)?.wait(path, timeout, Instant::now())
}

/// A helper program started, its output pipes drained on threads (so a chatty child never
/// blocks on a full pipe). Dropped before [`Running::wait`] ends it, the child is killed.
struct Running {
    child: Option<Child>,
    out: Option<JoinHandle<std::io::Result<Vec<u8>>>>,
    err: Option<JoinHandle<Vec<u8>>>,
    tool: Tool,
    cap: u64,
}

impl Running {
    fn spawn(cmd: &mut Command, path: &Path, tool: Tool, cap: u64) -> Result<Running, ReadError> {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => ReadError::Unsupported {
                    path: path.to_owned(),
                    why: tool.install.to_string(),
                },
                _ => ReadError::Io {
                    path: path.to_owned(),
                    source: e,
                },
            })?;
        let mut stdout = child.stdout.take().expect("piped stdout");
        let mut stderr = child.stderr.take().expect("piped stderr");
        let out = std::thread::spawn(move || {
            let mut buf = Vec::new();
            (&mut stdout)
                .take(cap.saturating_add(1))
                .read_to_end(&mut buf)
                .map(|_| buf)
        });
        let err = std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = stderr.read_to_end(&mut buf);
            buf
        });
        Ok(Running {
            child: Some(child),
            out: Some(out),
            err: Some(err),
            tool,
            cap,
        })
    }

    /// Waits for the child until `limit` after `started`: its exit status, output and
    /// stderr (trimmed).
    fn wait(
        mut self,
        path: &Path,
        limit: Duration,
        started: Instant,
    ) -> Result<(std::process::ExitStatus, Vec<u8>, String), ReadError> {
        let mut child = self.child.take().expect("waited once");
        // A blocking wait with a deadline (no polling: the result is there the moment the
        // child exits).
        let status = match child.wait_timeout(limit.saturating_sub(started.elapsed())) {
            Ok(Some(status)) => status,
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ReadError::Timeout {
                    path: path.to_owned(),
                    why: format!(
                        "{} did not finish within {} s (see {})",
                        self.tool.name,
                        limit.as_secs(),
                        self.tool.timeout_flag
                    ),
                });
            }
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ReadError::Io {
                    path: path.to_owned(),
                    source: e,
                });
            }
        };
        let stdout = self
            .out
            .take()
            .expect("joined once")
            .join()
            .unwrap_or_else(|_| Ok(Vec::new()))
            .map_err(|e| ReadError::Io {
                path: path.to_owned(),
                source: e,
            })?;
        if stdout.len() as u64 > self.cap {
            return Err(ReadError::TooLarge {
                path: path.to_owned(),
                what: format!("its text is over {} bytes (four times --max-bytes)", self.cap),
            });
        }
        let stderr = self.err.take().expect("joined once").join().unwrap_or_default();
        let stderr = String::from_utf8_lossy(&stderr).trim().to_string();
        Ok((status, stdout, stderr))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
