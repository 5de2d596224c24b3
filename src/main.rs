//! The `juesuan` binary: argument parsing, exit codes and the summary line. Exit codes: 0 all
//! files read, 1 some files produced `error` records, 2 usage error (clap's own).

mod cli;

use std::io::{ErrorKind, Write};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use juesuan::pipeline::{self, Summary};
use juesuan::reader::{self, ReadConfig};
use juesuan::record;
use juesuan::sink::JsonlSink;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("juesuan: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == ErrorKind::BrokenPipe)
    })
}

fn run(command: cli::Command) -> anyhow::Result<ExitCode> {
    match command {
        cli::Command::Extract {
            paths,
            output,
            jobs,
            max_bytes,
            pdf_timeout,
        } => {
            let started = Instant::now();
            let config = ReadConfig {
                max_bytes,
                pdf_timeout: Duration::from_secs(pdf_timeout),
            };
            let jobs =
                jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let inputs = pipeline::collect_inputs(&paths);
            let summary = match &output {
                Some(path) => {
                    let file = std::fs::File::create(path)
                        .with_context(|| format!("cannot create {}", path.display()))?;
                    pipeline::run_batch(&inputs.files, &config, jobs, &mut JsonlSink::new(file))
                        .with_context(|| format!("cannot write {}", path.display()))?
                }
                None => {
                    let stdout = std::io::stdout().lock();
                    pipeline::run_batch(&inputs.files, &config, jobs, &mut JsonlSink::new(stdout))?
                }
            };
            eprintln!(
                "{}",
                summary_line(&summary, inputs.ignored, started.elapsed())
            );
            Ok(if summary.errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        cli::Command::Rules => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for rule in juesuan::check::RULES {
                writeln!(
                    out,
                    "{}\t{}\t(reads: {})",
                    rule.id, rule.description, rule.reads
                )?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
        cli::Command::Dump {
            path,
            unread,
            pdf_timeout,
        } => {
            let config = ReadConfig {
                pdf_timeout: Duration::from_secs(pdf_timeout),
                ..ReadConfig::default()
            };
            let bytes =
                std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
            let doc = match reader::read(&path, &bytes, &config) {
                Ok(doc) => doc,
                Err(e) => {
                    eprintln!("juesuan: {e}");
                    return Ok(ExitCode::from(1));
                }
            };
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            let lines: Vec<serde_json::Value> = if unread {
                let ex = juesuan::extract::extract(&doc);
                ex.unread.iter().map(record::dump_unread).collect()
            } else {
                doc.blocks.iter().map(record::dump_block).collect()
            };
            for line in lines {
                out.write_all(line.to_string().as_bytes())?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `juesuan: 3 files: 2 documents, 1 error; records: document 2, error 1, section 80, table 4; 1 ignored; 0.12 s`
fn summary_line(s: &Summary, ignored: usize, elapsed: Duration) -> String {
    let records = s
        .records
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "juesuan: {} files: {} documents, {} errors; records: {}; {} ignored (not .txt/.docx/.pdf); {:.2} s",
        s.files,
        s.documents,
        s.errors,
        if records.is_empty() { "none".to_string() } else { records },
        ignored,
        elapsed.as_secs_f64()
    )
}
