//! The `juesuan` binary: argument parsing, exit codes and the summary line. Exit codes: 0 all
//! files read, 1 some files produced `error` records, 2 usage error (clap's own, or an output
//! that is one of the inputs), 3 the output could not be written.

mod cli;

/// mimalloc, not the system allocator: extraction makes many short-lived strings, and
/// glibc's malloc and free were 12-15% of a batch's CPU (see Cargo.toml for the figures).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::collections::HashSet;
use std::io::{ErrorKind, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Parser;
use clap::ValueEnum;
use juesuan::pipeline::Summary as BatchSummary;
use juesuan::pipeline::{self, Summary};
use juesuan::reader::{self, ReadConfig};
use juesuan::record;
use juesuan::sink::{CsvSink, JsonlSink, Sink, SqliteSink};

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

/// The Parquet sink (the `parquet` feature).
#[cfg(feature = "parquet")]
fn parquet_sink(dir: &Path) -> anyhow::Result<Box<dyn Sink>> {
    Ok(Box::new(
        juesuan::sink::ParquetSink::create(dir)
            .with_context(|| format!("cannot write into {}", dir.display()))?,
    ))
}

#[cfg(not(feature = "parquet"))]
fn parquet_sink(_dir: &Path) -> anyhow::Result<Box<dyn Sink>> {
    Err(Usage("this juesuan was built without the `parquet` feature".into()).into())
}

/// A database sink and the content digests it already holds (for `--skip-unchanged`).
type LoadedSink = (Box<dyn Sink>, Option<HashSet<String>>);

/// The PostgreSQL sink (the `postgres` feature), and the digests it holds when they are to
/// be skipped.
#[cfg(feature = "postgres")]
fn postgres_sink(url: &Path, skip_unchanged: bool) -> anyhow::Result<LoadedSink> {
    let url = url
        .to_str()
        .ok_or_else(|| Usage("the PostgreSQL URL is not UTF-8".into()))?;
    let mut sink = juesuan::sink::PostgresSink::connect(url)
        .with_context(|| "cannot connect to PostgreSQL".to_string())?;
    let loaded = if skip_unchanged {
        Some(
            sink.loaded_digests()
                .with_context(|| "cannot read from PostgreSQL".to_string())?,
        )
    } else {
        None
    };
    Ok((Box::new(sink), loaded))
}

#[cfg(not(feature = "postgres"))]
fn postgres_sink(_url: &Path, _skip_unchanged: bool) -> anyhow::Result<LoadedSink> {
    Err(Usage("this juesuan was built without the `postgres` feature".into()).into())
}

/// The paths a `--files-from` list names, one per line (blank lines and `#` comments left
/// out); `-` reads standard input.
fn read_list(list: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let text = if list == Path::new("-") {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read the list of files from standard input")?;
        s
    } else {
        std::fs::read_to_string(list)
            .map_err(|e| Usage(format!("cannot read --files-from {}: {e}", list.display())))?
    };
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(PathBuf::from)
        .collect())
}

/// The flag a Ctrl-C sets: the batch stops taking new files, finishes the ones in flight,
/// writes the summary and exits 130. A second Ctrl-C exits at once.
fn interrupt_flag() -> &'static AtomicBool {
    static STOP: AtomicBool = AtomicBool::new(false);
    let _ = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
        eprintln!("juesuan: interrupted; finishing the files in flight (Ctrl-C again to quit now)");
    });
    &STOP
}

/// What the user sees on stderr while a batch runs: a progress bar when stderr is a terminal,
/// each failed file named with its error kind and message, every file with `-v`.
struct Reporter {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
    verbose: bool,
}

impl Reporter {
    fn new(quiet: bool, verbose: bool, total: usize) -> Reporter {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::new(total as u64);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:30} {pos}/{len} files  {per_sec}  ETA {eta}  {wide_msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        Reporter {
            bar,
            quiet,
            verbose,
        }
    }

    fn say(&self, line: String) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    fn file(&mut self, path: &Path, done: Option<&pipeline::FileDone>) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
        if self.quiet {
            return;
        }
        match done {
            Some(pipeline::FileDone { error: Some(e), .. }) => {
                self.say(format!("juesuan: {}: {}: {}", e.path, e.error, e.message))
            }
            Some(done) if self.verbose => self.say(format!(
                "juesuan: {}: document, {} records",
                path.display(),
                done.total()
            )),
            None if self.verbose => {
                self.say(format!("juesuan: {}: unchanged, skipped", path.display()))
            }
            _ => {}
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Runs `write` on a temporary file beside `path` and renames it to `path` when complete: an
/// interrupted run leaves no truncated file at the output path.
///
/// An output that exists and is not a regular file (`/dev/null`, a named pipe, the `/dev/fd/63`
/// of a shell's `>(gzip > out.gz)`) is written in place: renaming over it would replace the
/// device or pipe with a plain file. As root, `-o /dev/null` once did exactly that, and every
/// later program that wrote to /dev/null fed its text to the next one that read it.
fn write_atomically(
    path: &Path,
    write: impl FnOnce(std::fs::File) -> std::io::Result<BatchSummary>,
) -> anyhow::Result<BatchSummary> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        return write(file).with_context(|| format!("cannot write {}", path.display()));
    }
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
            mut paths,
            output,
            format,
            jobs,
            max_bytes,
            pdf_timeout,
            files_from,
            glob,
            exclude,
            skip_unchanged,
            quiet,
            verbose,
            timeout,
        } => {
            let started = Instant::now();
            // `-o -` is standard output, as for most tools, not a file named `-`.
            let output = output.filter(|p| p.as_os_str() != "-");
            let config = ReadConfig {
                max_bytes,
                pdf_timeout: Duration::from_secs(pdf_timeout),
                file_timeout: (timeout > 0).then(|| Duration::from_secs(timeout)),
            };
            let jobs = jobs
                .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
                .clamp(1, max_jobs());
            let listed = match &files_from {
                Some(list) => read_list(list)?,
                None => Vec::new(),
            };
            let filter = pipeline::PathFilter::new(&glob, &exclude)
                .map_err(|e| Usage(format!("a bad --glob or --exclude pattern: {e}")))?;
            let mut inputs = pipeline::collect_inputs_filtered(&paths, &filter);
            let more = pipeline::collect_inputs_filtered(&listed, &filter);
            inputs.files.extend(more.files);
            inputs.files.sort();
            inputs.files.dedup();
            inputs.ignored += more.ignored;
            paths.extend(listed);
            let format = output_format(format, output.as_deref())?;
            if skip_unchanged
                && !matches!(
                    format,
                    cli::OutputFormat::Sqlite | cli::OutputFormat::Postgres
                )
            {
                return Err(
                    Usage("--skip-unchanged needs a SQLite or PostgreSQL output".into()).into(),
                );
            }
            let stop = interrupt_flag();
            let mut reporter = Reporter::new(quiet, verbose, inputs.files.len());
            let mut batch = |sink: &mut dyn Sink, skip: Option<&HashSet<String>>| {
                let mut on_file =
                    |p: &Path, done: Option<&pipeline::FileDone>| reporter.file(p, done);
                pipeline::run_batch_with(
                    &inputs.files,
                    &config,
                    jobs,
                    sink,
                    pipeline::Control {
                        stop: Some(stop),
                        skip,
                        on_file: Some(&mut on_file),
                    },
                )
            };
            let summary = match (&output, format) {
                (Some(path), cli::OutputFormat::Jsonl) => {
                    check_output(path, &paths, &inputs.files)?;
                    write_atomically(path, |file| batch(&mut JsonlSink::new(file), None))?
                }
                (Some(dir), cli::OutputFormat::Csv) => {
                    check_output(dir, &paths, &inputs.files)?;
                    let mut sink = CsvSink::create(dir)
                        .with_context(|| format!("cannot write into {}", dir.display()))?;
                    batch(&mut sink, None)
                        .with_context(|| format!("cannot write into {}", dir.display()))?
                }
                (Some(path), cli::OutputFormat::Sqlite) => {
                    check_output(path, &paths, &inputs.files)?;
                    let mut sink = SqliteSink::open(path)
                        .with_context(|| format!("cannot open {}", path.display()))?;
                    let loaded = if skip_unchanged {
                        Some(
                            sink.loaded_digests()
                                .with_context(|| format!("cannot read {}", path.display()))?,
                        )
                    } else {
                        None
                    };
                    batch(&mut sink, loaded.as_ref())
                        .with_context(|| format!("cannot write {}", path.display()))?
                }
                (Some(dir), cli::OutputFormat::Parquet) => {
                    check_output(dir, &paths, &inputs.files)?;
                    let mut sink = parquet_sink(dir)?;
                    batch(sink.as_mut(), None)
                        .with_context(|| format!("cannot write into {}", dir.display()))?
                }
                (Some(url), cli::OutputFormat::Postgres) => {
                    let (mut sink, loaded) = postgres_sink(url, skip_unchanged)?;
                    batch(sink.as_mut(), loaded.as_ref())
                        .with_context(|| "cannot write to PostgreSQL".to_string())?
                }
                (None, cli::OutputFormat::Jsonl) => {
                    let stdout = std::io::stdout().lock();
                    batch(&mut JsonlSink::new(stdout), None)?
                }
                (None, f) => {
                    return Err(Usage(format!(
                        "--format {} needs -o (a {})",
                        f.to_possible_value()
                            .map_or(String::new(), |v| v.get_name().to_string()),
                        match f {
                            cli::OutputFormat::Csv | cli::OutputFormat::Parquet => "directory",
                            cli::OutputFormat::Postgres => "postgres:// URL",
                            _ => "file",
                        }
                    ))
                    .into())
                }
            };
            reporter.finish();
            if !quiet {
                eprintln!(
                    "{}",
                    summary_line(&summary, inputs.ignored, started.elapsed())
                );
            }
            Ok(if summary.interrupted {
                ExitCode::from(130)
            } else if summary.errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        cli::Command::Completions { shell } => {
            let mut cmd = <cli::Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut cmd, "juesuan", &mut std::io::stdout().lock());
            Ok(ExitCode::SUCCESS)
        }
        cli::Command::Man => {
            let cmd = <cli::Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(cmd).render(&mut std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
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
                file_timeout: None,
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
    fn list<K: std::fmt::Display>(m: &std::collections::BTreeMap<K, usize>) -> String {
        let l = m
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        if l.is_empty() {
            "none".to_string()
        } else {
            l
        }
    }
    let mut line = format!(
        "juesuan: {} files: {} documents, {} errors; records: {}; checks: {}; {} ignored (not a format juesuan reads)",
        s.files,
        s.documents,
        s.errors,
        list(&s.records),
        list(&s.checks),
        ignored,
    );
    if s.skipped > 0 {
        line.push_str(&format!("; {} unchanged, skipped", s.skipped));
    }
    if s.interrupted {
        line.push_str("; interrupted: the files not started are not in the output");
    }
    line.push_str(&format!("; {:.2} s", elapsed.as_secs_f64()));
    line
}
