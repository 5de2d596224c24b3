//! PDF input through poppler's `pdftotext -layout`, run as a subprocess with a timeout.
//!
//! Parsing PDF ourselves would mean re-implementing poppler's text layout; `pdftotext` is the
//! well-kept standard for this job and is one `apt-get install poppler-utils` away. Its
//! output is layout text, handed to the text reader.

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::LazyLock;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use wait_timeout::ChildExt;

use crate::error::ReadError;
use crate::model::{Document, Format};
use crate::reader::ReadConfig;

/// Runs `pdftotext -layout -enc UTF-8 FILE -` on the PDF's bytes and parses its output. The
/// bytes are given to pdftotext as a temporary file (on Unix an unnamed one, read as
/// `/dev/stdin`), so a PDF held in memory reads like one on disk; `path` names the document
/// in messages. Once `stop` is set (the batch gave up on the file), pdftotext is killed.
pub fn read_pdf(
    path: &Path,
    bytes: &[u8],
    config: &ReadConfig,
    stop: &AtomicBool,
) -> Result<Document, ReadError> {
    Conversion::start(path, bytes, config)?.finish(stop)
}

/// A pdftotext run under way. A batch starts the next PDF's conversion before it finishes
/// the current one, so pdftotext (a process of its own) converts while juesuan extracts:
/// a PDF's wall time is then about pdftotext's alone, not pdftotext's plus extraction's.
/// Dropped unfinished, the run is killed.
pub struct Conversion {
    /// pdftotext and the file it reads; dropped unfinished, pdftotext is killed.
    running: Running,
    path: PathBuf,
    /// What pdftotext names the copy it reads, for its messages.
    input_name: String,
    timeout: Duration,
    started: Instant,
}

impl Conversion {
    /// Starts pdftotext on the PDF's bytes; its time limit (`config.pdf_timeout`) counts from
    /// now.
    pub fn start(path: &Path, bytes: &[u8], config: &ReadConfig) -> Result<Conversion, ReadError> {
        let input = Input::new(path, bytes, ".pdf")?;
        let mut cmd = Command::new("pdftotext");
        cmd.args(["-layout", "-enc", "UTF-8"])
            .arg(input.name())
            .arg("-");
        let input_name = input.name().display().to_string();
        let running = Running::spawn(
            &mut cmd,
            input,
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
            input_name,
            running,
            timeout: config.pdf_timeout,
            started: Instant::now(),
        })
    }

    /// Waits for pdftotext (within what is left of its time limit, and until `stop` is set)
    /// and reads its text.
    pub fn finish(self, stop: &AtomicBool) -> Result<Document, ReadError> {
        let Conversion {
            path,
            input_name,
            running,
            timeout,
            started,
        } = self;
        let (status, stdout, stderr) = running.wait(&path, timeout, started, stop)?;
        // Messages name the document, not the temporary copy pdftotext read.
        let stderr = stderr.replace(&input_name, &path.display().to_string());
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

/// The bytes a helper program reads, in a temporary file.
///
/// Where the system has `/dev/stdin` (Linux, macOS, the BSDs) the file has no name: it is the
/// child's standard input, which the program opens as `/dev/stdin` (a seekable file, not a
/// pipe: pdftotext and antiword both seek). So nothing is ever left in the temporary
/// directory, not even when juesuan is killed mid-file or exits with a conversion still
/// running. Elsewhere it is a named file, removed when dropped.
pub(crate) enum Input {
    Unnamed(std::fs::File),
    Named(tempfile::NamedTempFile),
}

/// The name a program opens its standard input by.
const STDIN: &str = "/dev/stdin";

impl Input {
    pub(crate) fn new(path: &Path, bytes: &[u8], suffix: &str) -> Result<Input, ReadError> {
        static HAS_STDIN: LazyLock<bool> = LazyLock::new(|| Path::new(STDIN).exists());
        let made = match *HAS_STDIN {
            true => Input::unnamed(bytes),
            false => Input::named(bytes, suffix),
        };
        made.map_err(|source| ReadError::Io {
            path: path.to_owned(),
            source,
        })
    }

    fn unnamed(bytes: &[u8]) -> std::io::Result<Input> {
        let mut file = tempfile::tempfile()?;
        file.write_all(bytes)?;
        file.rewind()?;
        Ok(Input::Unnamed(file))
    }

    fn named(bytes: &[u8], suffix: &str) -> std::io::Result<Input> {
        let mut file = tempfile::Builder::new()
            .prefix("juesuan-")
            .suffix(suffix)
            .tempfile()?;
        file.write_all(bytes)?;
        Ok(Input::Named(file))
    }

    /// The file name to give the program.
    pub(crate) fn name(&self) -> &Path {
        match self {
            Input::Unnamed(_) => Path::new(STDIN),
            Input::Named(file) => file.path(),
        }
    }

    /// The program's standard input, and what must live until it ends.
    fn stdin(self) -> (Stdio, Option<Input>) {
        match self {
            Input::Unnamed(file) => (Stdio::from(file), None),
            named => (Stdio::null(), Some(named)),
        }
    }
}

/// How often a wait for a helper program looks whether it should stop.
const STOP_POLL: Duration = Duration::from_millis(50);

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
    input: Input,
    path: &Path,
    tool: Tool,
    timeout: Duration,
    cap: u64,
    stop: &AtomicBool,
) -> Result<(std::process::ExitStatus, Vec<u8>, String), ReadError> {
    Running::spawn(cmd, input, path, tool, cap)?.wait(path, timeout, Instant::now(), stop)
}

/// A helper program started, its output pipes drained on threads (so a chatty child never
/// blocks on a full pipe). Dropped before [`Running::wait`] ends it, the child is killed.
struct Running {
    child: Option<Child>,
    /// The file the child reads, where it must outlive the child (a named one).
    _input: Option<Input>,
    out: Option<JoinHandle<std::io::Result<Vec<u8>>>>,
    err: Option<JoinHandle<Vec<u8>>>,
    tool: Tool,
    cap: u64,
}

impl Running {
    fn spawn(
        cmd: &mut Command,
        input: Input,
        path: &Path,
        tool: Tool,
        cap: u64,
    ) -> Result<Running, ReadError> {
        let io = |source| ReadError::Io {
            path: path.to_owned(),
            source,
        };
        let (stdin, input) = input.stdin();
        let mut child = cmd
            .stdin(stdin)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => ReadError::Unsupported {
                    path: path.to_owned(),
                    why: tool.install.to_string(),
                },
                _ => io(e),
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
            _input: input,
            out: Some(out),
            err: Some(err),
            tool,
            cap,
        })
    }

    /// Waits for the child until `limit` after `started`, or until `stop` is set: its exit
    /// status, output and stderr (trimmed).
    fn wait(
        mut self,
        path: &Path,
        limit: Duration,
        started: Instant,
        stop: &AtomicBool,
    ) -> Result<(std::process::ExitStatus, Vec<u8>, String), ReadError> {
        let mut child = self.child.take().expect("waited once");
        let deadline = started + limit;
        // A blocking wait (the result is there the moment the child exits), woken every
        // `STOP_POLL` to look at `stop`: a batch that gave up on this file (past `--timeout`)
        // sets it, and the child must not run on (or outlive juesuan) for nothing.
        let status = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let error = match child.wait_timeout(left.min(STOP_POLL)) {
                Ok(Some(status)) => break status,
                Ok(None) if stop.load(Ordering::Relaxed) => ReadError::Timeout {
                    path: path.to_owned(),
                    why: format!("{} was stopped: the batch gave up on the file", self.tool.name),
                },
                Ok(None) if left <= STOP_POLL => ReadError::Timeout {
                    path: path.to_owned(),
                    why: format!(
                        "{} did not finish within {} s (see {})",
                        self.tool.name,
                        limit.as_secs(),
                        self.tool.timeout_flag
                    ),
                },
                Ok(None) => continue,
                Err(e) => ReadError::Io {
                    path: path.to_owned(),
                    source: e,
                },
            };
            let _ = child.kill();
            let _ = child.wait();
            return Err(error);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A program reads the bytes by the name it is given, in either kind of file (here `cat`,
    /// standing in for pdftotext); the named one is gone once the run ends.
    #[cfg(unix)]
    #[test]
    fn a_program_reads_the_bytes_from_either_kind_of_file() {
        let bytes = "%PDF-1.4 收入合计\n".as_bytes();
        let path = Path::new("report.pdf");
        for input in [Input::unnamed(bytes), Input::named(bytes, ".pdf")] {
            let input = input.unwrap();
            let named = match &input {
                Input::Named(f) => Some(f.path().to_owned()),
                Input::Unnamed(_) => None,
            };
            let mut cmd = Command::new("cat");
            cmd.arg(input.name());
            let tool = Tool {
                name: "cat",
                install: "",
                timeout_flag: "",
            };
            let stop = AtomicBool::new(false);
            let (status, out, _) =
                run_tool(&mut cmd, input, path, tool, Duration::from_secs(10), 100, &stop).unwrap();
            assert!(status.success());
            assert_eq!(out, bytes);
            if let Some(named) = named {
                assert!(!named.exists(), "{named:?} was left");
            }
        }
    }

    /// A run told to stop is killed at once, long before its own time limit.
    #[cfg(unix)]
    #[test]
    fn a_stopped_run_is_killed() {
        let mut cmd = Command::new("sleep");
        cmd.arg("30");
        let input = Input::unnamed(b"").unwrap();
        let tool = Tool {
            name: "sleep",
            install: "",
            timeout_flag: "--pdf-timeout",
        };
        let stop = AtomicBool::new(true);
        let started = Instant::now();
        let path = Path::new("report.pdf");
        let e = run_tool(&mut cmd, input, path, tool, Duration::from_secs(30), 100, &stop);
        assert!(started.elapsed() < Duration::from_secs(5));
        let Err(ReadError::Timeout { why, .. }) = e else {
            panic!("{e:?}")
        };
        assert_eq!(why, "sleep was stopped: the batch gave up on the file");
    }
}
