//! Why a file could not be read. Each variant maps to one stable `error` kind of SCHEMA.md,
//! so a downstream user can count failures by cause across millions of files.

use std::path::PathBuf;

/// A file that could not become a [`crate::model::Document`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is empty: it holds no text")]
    Empty { path: PathBuf },
    #[error("{path} is not text in UTF-8, UTF-16 or GB18030: {why}")]
    Encoding { path: PathBuf, why: String },
    #[error("{path} is too large: {what}")]
    TooLarge { path: PathBuf, what: String },
    #[error("{path} cannot be read: {why}")]
    Unsupported { path: PathBuf, why: String },
    #[error("{path} is not a Word document: {why}")]
    NotDocx { path: PathBuf, why: String },
    #[error("{path} is damaged: {why}")]
    Corrupt { path: PathBuf, why: String },
    #[error("{path} took too long: {why}")]
    Timeout { path: PathBuf, why: String },
    #[error("internal error while processing {path}: {why} (this is a bug in juesuan; please report it with the file)")]
    Internal { path: PathBuf, why: String },
    #[error("{path} is not a 决算/预算 report: {why}")]
    NotAReport { path: PathBuf, why: String },
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
