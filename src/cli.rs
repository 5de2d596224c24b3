//! Command-line interface definitions.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Where and how records are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// JSON Lines, one record per line (SCHEMA.md); to stdout or `-o FILE`.
    Jsonl,
    /// One CSV file per record type in the directory `-o DIR`.
    Csv,
    /// A SQLite database `-o FILE`, one table per record type; reloading a file replaces its
    /// rows.
    Sqlite,
    /// One Parquet file per record type in the directory `-o DIR`.
    Parquet,
    /// A PostgreSQL database `-o postgres://user:password@host/db`: the same tables, created
    /// if missing; reloading a file replaces its rows.
    Postgres,
}

/// Turn 部门决算 / 部门预算 reports (.txt, .docx, .pdf) into JSON Lines records.
#[derive(Debug, Parser)]
#[command(name = "juesuan", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract records from files and directories (searched recursively).
    Extract {
        /// Files and directories to read.
        #[arg(required_unless_present = "files_from")]
        paths: Vec<PathBuf>,
        /// Also read the paths listed in this file, one per line (`-`: standard input).
        #[arg(long, value_name = "FILE")]
        files_from: Option<PathBuf>,
        /// Only files whose path matches one of these glob patterns (`*.pdf`, `2024/**`);
        /// repeatable. Applies to the files found in directories and listed with
        /// --files-from.
        #[arg(long, value_name = "PATTERN")]
        glob: Vec<String>,
        /// Leave out files whose path matches one of these glob patterns; repeatable.
        #[arg(long, value_name = "PATTERN")]
        exclude: Vec<String>,
        /// With a SQLite or PostgreSQL output: skip files whose content (SHA-256) is already
        /// loaded there, so a rerun over a growing folder does only the new files.
        #[arg(long)]
        skip_unchanged: bool,
        /// Print nothing on stderr but fatal errors (no progress, no failed files, no summary).
        #[arg(short, long, conflicts_with = "verbose")]
        quiet: bool,
        /// Name every file on stderr as it is written, not only the failed ones.
        #[arg(short, long)]
        verbose: bool,
        /// Write records here instead of standard output: a file (jsonl, sqlite), a directory
        /// (csv) or a database URL (postgres). A `.db`/`.sqlite`/`.sqlite3` name picks SQLite,
        /// a `postgres://` URL PostgreSQL. `-` is standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Output format (default: from the `-o` name, else jsonl).
        #[arg(short, long, value_enum)]
        format: Option<OutputFormat>,
        /// Number of files processed in parallel (default: all cores).
        #[arg(short, long)]
        jobs: Option<usize>,
        /// Refuse files larger than this many bytes.
        #[arg(long, default_value_t = 64 * 1024 * 1024)]
        max_bytes: u64,
        /// Seconds pdftotext may spend on one PDF.
        #[arg(long, default_value_t = 60)]
        pdf_timeout: u64,
        /// Seconds one file of any format may take in all (0: no limit); past it the file is
        /// a `timeout` error and the batch goes on.
        #[arg(long, default_value_t = 120)]
        timeout: u64,
    },
    /// List the check rules: id, what a failure means, what the rule reads.
    Rules,
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) of juesuan.
    Man,
    /// Print the JSON Schema of the records (one output line), generated from the record
    /// types; `--markdown` prints the field reference (docs/fields.md) instead.
    Schema {
        /// The field reference as Markdown.
        #[arg(long)]
        markdown: bool,
    },
    /// Print the document model the reader built: one JSON line per block.
    Dump {
        /// The file to read.
        path: PathBuf,
        /// List the narrative's amounts that no figure or line item took, one JSON line each,
        /// instead of the blocks.
        #[arg(long)]
        unread: bool,
        /// Refuse files larger than this many bytes.
        #[arg(long, default_value_t = 64 * 1024 * 1024)]
        max_bytes: u64,
        /// Seconds pdftotext may spend on a PDF.
        #[arg(long, default_value_t = 60)]
        pdf_timeout: u64,
    },
}
