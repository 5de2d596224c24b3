//! The `juesuan` binary: argument parsing, exit codes and the summary line. Exit codes: 0 all
//! files read, 1 some files produced `error` records, 2 usage error (clap's own, or an output
//! that is one of the inputs), 3 the output could not be written.

mod cli;

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use clap::ValueEnum;
use juesuan::pipeline::Summary as BatchSummary;
use juesuan::pipeline::{self, Summary};
use juesuan::reader::{self, ReadConfig};
use juesuan::record;
use juesuan::sink::{CsvSink, JsonlSink, SqliteSink};

/// An error of the command line itself (exit 2), as opposed to a failed write (exit 3).
#[derive(Debug)]
struct Usage(String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<Usage>().is_some() => {
            eprintln!("juesuan: {e:#}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("juesuan: {e:#}");
            ExitCode::from(3)
        }
    }
}

/// The most files processed at once: more threads than this only cost memory.
fn max_jobs() -> usize {
    (std::thread::available_parallelism().map_or(1, |n| n.get()) * 4).min(256)
}

/// Refuses an output that is one of the inputs, or that a later run over the same inputs would
/// read as one (a `.txt` inside an input folder).
fn check_output(output: &Path, paths: &[PathBuf], files: &[PathBuf]) -> Result<(), Usage> {
    let absolute = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            let parent = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            std::fs::canonicalize(parent)
                .map(|d| d.join(p.file_name().unwrap_or_default()))
                .unwrap_or_else(|_| p.to_path_buf())
        })
    };
    let out = absolute(output);
    if files.iter().any(|f| absolute(f) == out) {
        return Err(Usage(format!(
            "the output {} is one of the inputs",
            output.display()
        )));
    }
    let readable = juesuan::reader::format_of(output).is_some();
    if readable
        && paths
            .iter()
            .filter(|p| p.is_dir())
            .any(|d| out.starts_with(absolute(d)))
    {
        return Err(Usage(format!(
            "the output {} lies in an input folder and would be read as a report by the next run",
            output.display()
        )));
    }
    Ok(())
}

/// The format asked for, else the one the output's name implies (`.db`, `.sqlite`,
/// `.sqlite3` → SQLite), else JSON Lines.
fn output_format(
    format: Option<cli::OutputFormat>,
    output: Option<&Path>,
) -> Result<cli::OutputFormat, Usage> {
    if let Some(f) = format {
        return Ok(f);
    }
    let url = output.and_then(|p| p.to_str()).unwrap_or_default();
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(cli::OutputFormat::Postgres);
    }
    let ext = output
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    Ok(match ext.as_deref() {
        Some("db" | "sqlite" | "sqlite3") => cli::OutputFormat::Sqlite,
        _ => cli::OutputFormat::Jsonl,
    })
}

/// Writes a batch as Parquet files (the `parquet` feature).
#[cfg(feature = "parquet")]
fn parquet_write(
    dir: &Path,
    files: &[PathBuf],
    config: &ReadConfig,
    jobs: usize,
) -> anyhow::Result<BatchSummary> {
    let mut sink = juesuan::sink::ParquetSink::create(dir)
        .with_context(|| format!("cannot write into {}", dir.display()))?;
    pipeline::run_batch(files, config, jobs, &mut sink)
        .with_context(|| format!("cannot write into {}", dir.display()))
}

#[cfg(not(feature = "parquet"))]
fn parquet_write(
    _dir: &Path,
    _files: &[PathBuf],
    _config: &ReadConfig,
    _jobs: usize,
) -> anyhow::Result<BatchSummary> {
    Err(Usage("this juesuan was built without the `parquet` feature".into()).into())
}

/// Loads a batch into PostgreSQL (the `postgres` feature).
#[cfg(feature = "postgres")]
fn postgres_load(
    url: &Path,
    files: &[PathBuf],
    config: &ReadConfig,
    jobs: usize,
) -> anyhow::Result<BatchSummary> {
    let url = url
        .to_str()
        .ok_or_else(|| Usage("the PostgreSQL URL is not UTF-8".into()))?;
    let mut sink = juesuan::sink::PostgresSink::connect(url)
        .with_context(|| "cannot connect to PostgreSQL".to_string())?;
    pipeline::run_batch(files, config, jobs, &mut sink)
        .with_context(|| "cannot write to PostgreSQL".to_string())
}

#[cfg(not(feature = "postgres"))]
fn postgres_load(
    _url: &Path,
    _files: &[PathBuf],
    _config: &ReadConfig,
    _jobs: usize,
) -> anyhow::Result<BatchSummary> {
    Err(Usage("this juesuan was built without the `postgres` feature".into()).into())
}

/// Runs `write` on a temporary file beside `path` and renames it to `path` when complete: an
/// interrupted run leaves no truncated file at the output path.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(std::fs::File) -> std::io::Result<BatchSummary>,
) -> anyhow::Result<BatchSummary> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a file in {}", dir.display()))?;
    let file = tmp
        .reopen()
        .with_context(|| format!("cannot write {}", path.display()))?;
    let summary = write(file).with_context(|| format!("cannot write {}", path.display()))?;
    // A temporary file is private (0600); the output gets the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    Ok(summary)
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
            format,
            jobs,
            max_bytes,
            pdf_timeout,
        } => {
            let started = Instant::now();
            let config = ReadConfig {
                max_bytes,
                pdf_timeout: Duration::from_secs(pdf_timeout),
            };
            let jobs = jobs
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
                .clamp(1, max_jobs());
            let inputs = pipeline::collect_inputs(&paths);
            let format = output_format(format, output.as_deref())?;
            let summary = match (&output, format) {
                (Some(path), cli::OutputFormat::Jsonl) => {
                    check_output(path, &paths, &inputs.files)?;
                    write_atomically(path, |file| {
                        pipeline::run_batch(&inputs.files, &config, jobs, &mut JsonlSink::new(file))
                    })?
                }
                (Some(dir), cli::OutputFormat::Csv) => {
                    check_output(dir, &paths, &inputs.files)?;
                    let mut sink = CsvSink::create(dir)
                        .with_context(|| format!("cannot write into {}", dir.display()))?;
                    pipeline::run_batch(&inputs.files, &config, jobs, &mut sink)
                        .with_context(|| format!("cannot write into {}", dir.display()))?
                }
                (Some(path), cli::OutputFormat::Sqlite) => {
                    check_output(path, &paths, &inputs.files)?;
                    let mut sink = SqliteSink::open(path)
                        .with_context(|| format!("cannot open {}", path.display()))?;
                    pipeline::run_batch(&inputs.files, &config, jobs, &mut sink)
                        .with_context(|| format!("cannot write {}", path.display()))?
                }
                (Some(dir), cli::OutputFormat::Parquet) => {
                    check_output(dir, &paths, &inputs.files)?;
                    parquet_write(dir, &inputs.files, &config, jobs)?
                }
                (Some(url), cli::OutputFormat::Postgres) => {
                    postgres_load(url, &inputs.files, &config, jobs)?
                }
                (None, cli::OutputFormat::Jsonl) => {
                    let stdout = std::io::stdout().lock();
                    pipeline::run_batch(&inputs.files, &config, jobs, &mut JsonlSink::new(stdout))?
                }
                (None, f) => {
                    return Err(Usage(format!(
                        "--format {} needs -o (a {})",
                        f.to_possible_value()
                            .map_or(String::new(), |v| v.get_name().to_string()),
                        if f == cli::OutputFormat::Csv {
                            "directory"
                        } else {
                            "file"
                        }
                    ))
                    .into())
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
        cli::Command::Schema { markdown } => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            if markdown {
                out.write_all(record::fields_markdown().as_bytes())?;
            } else {
                serde_json::to_writer_pretty(&mut out, &record::json_schema())?;
                writeln!(out)?;
            }
            out.flush()?;
            Ok(ExitCode::SUCCESS)
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
            max_bytes,
            pdf_timeout,
        } => {
            let config = ReadConfig {
                max_bytes,
                pdf_timeout: Duration::from_secs(pdf_timeout),
            };
            let bytes = match pipeline::read_limited(&path, max_bytes) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("juesuan: {e}");
                    return Ok(ExitCode::from(1));
                }
            };
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
