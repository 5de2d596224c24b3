//! Why a file could not be read. Each variant maps to one stable `error` kind of SCHEMA.md,
//! so a downstream user can count failures by cause across millions of files.

use std::path::PathBuf;

/// A file that could not be read as a report document.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The file could not be opened or read (permissions, a vanished file, a device).
    #[error("cannot read {path}: {source}")]
    Io {
        /// The input path.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The file holds no text.
    #[error("{path} is empty: it holds no text")]
    Empty {
        /// The input path.
        path: PathBuf,
    },
    /// The bytes are not text in an encoding juesuan reads.
    #[error("{path} is not text in UTF-8, UTF-16 or GB18030: {why}")]
    Encoding {
        /// The input path.
        path: PathBuf,
        /// What is wrong, in words.
        why: String,
    },
    /// The file, or something inside it (a zip part, a table), is over a size limit.
    #[error("{path} is too large: {what}")]
    TooLarge {
        /// The input path.
        path: PathBuf,
        /// What is over which limit.
        what: String,
    },
    /// A format juesuan does not read, or a helper program (pdftotext, antiword) is missing.
    #[error("{path} cannot be read: {why}")]
    Unsupported {
        /// The input path.
        path: PathBuf,
        /// What is wrong, in words.
        why: String,
    },
    /// A `.docx` name on a file that is not a Word document.
    #[error("{path} is not a Word document: {why}")]
    NotDocx {
        /// The input path.
        path: PathBuf,
        /// What is wrong, in words.
        why: String,
    },
    /// A damaged file of a format juesuan reads.
    #[error("{path} is damaged: {why}")]
    Corrupt {
        /// The input path.
        path: PathBuf,
        /// What is wrong, in words.
        why: String,
    },
    /// Reading the file took longer than the time limit.
    #[error("{path} took too long: {why}")]
    Timeout {
        /// The input path.
        path: PathBuf,
        /// What is wrong, in words.
        why: String,
    },
    /// A bug in juesuan, caught so that the batch goes on.
    #[error("internal error while processing {path}: {why} (this is a bug in juesuan; please report it with the file)")]
    Internal {
        /// The input path.
        path: PathBuf,
        /// What is wrong, in words.
        why: String,
    },
    /// A readable file with no sign of a 决算/预算 report (a readme, a notice).
    #[error("{path} is not a 决算/预算 report: {why}")]
    NotAReport {
        /// The input path.
        path: PathBuf,
        /// What is wrong, in words.
        why: String,
    },
}

impl ReadError {
    /// The stable kind written to `error.error`.
    pub fn kind(&self) -> &'static str {
        match self {
            ReadError::Io { .. } => "io",
            ReadError::Empty { .. } => "empty",
            ReadError::Encoding { .. } => "encoding",
            ReadError::TooLarge { .. } => "too_large",
            ReadError::Unsupported { .. } => "unsupported",
            ReadError::NotDocx { .. } => "not_docx",
            ReadError::Corrupt { .. } => "corrupt",
            ReadError::Timeout { .. } => "timeout",
            ReadError::NotAReport { .. } => "not_a_report",
            ReadError::Internal { .. } => "internal",
        }
    }
}
