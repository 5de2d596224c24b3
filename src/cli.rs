//! Command-line interface definitions.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

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
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Write records here instead of standard output.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Number of files processed in parallel (default: all cores).
        #[arg(short, long)]
        jobs: Option<usize>,
        /// Refuse files larger than this many bytes.
        #[arg(long, default_value_t = 64 * 1024 * 1024)]
        max_bytes: u64,
        /// Seconds pdftotext may spend on one PDF.
        #[arg(long, default_value_t = 60)]
        pdf_timeout: u64,
    },
    /// List the check rules: id, what a failure means, what the rule reads.
    Rules,
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
