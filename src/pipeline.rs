//! The batch layer: many files in parallel, one outcome per file, output in input order.
//!
//! This and `pool.rs` are the only modules that know about threads. Files are processed
//! by a pool of worker threads; the calling thread keeps their deadlines and writes each
//! file's records as soon as every earlier file is written,
//! keeping at most a small window of finished files in memory, so a batch of a million files
//! streams in constant memory and gives byte-identical output for any `--jobs`.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use crate::check::check;
use crate::error::ReadError;
use crate::extract::extract;
use crate::model::{Document, Format};
use crate::pool::{Event, Pool, Work};
use crate::reader::{self, ReadConfig};
use crate::record::{self, Record, Source};
use crate::sink::columns::Rows;
use crate::sink::{Encoder, Sink};

/// The input files of a batch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inputs {
    /// Files to process, sorted by path, each once.
    pub files: Vec<PathBuf>,
    /// Files found in directories that are not .txt, .docx or .pdf.
    pub ignored: usize,
}

/// Expands command-line paths: files are taken as given (whatever their extension, so a
/// named file always gets a record), directories are walked recursively for .txt, .docx and
/// .pdf (case-insensitive). A path that does not exist is kept, to become an `io` error.
pub fn collect_inputs(paths: &[PathBuf]) -> Inputs {
    let mut files = BTreeSet::new();
    let mut ignored = 0;
    for p in paths {
        if p.is_dir() {
            walk(p, &mut files, &mut ignored);
        } else {
            files.insert(p.clone());
        }
    }
    Inputs {
        files: files.into_iter().collect(),
        ignored,
    }
}

/// `--glob` and `--exclude`: which found files to keep. A pattern without `/` matches the
/// file name (`*.pdf`), one with `/` the end of the path (`2024/**` matches any file under a
/// folder named `2024`; `/data/**` an absolute path).
#[derive(Debug, Clone, Default)]
pub struct PathFilter {
    include: Option<globset::GlobSet>,
    exclude: Option<globset::GlobSet>,
}

impl PathFilter {
    /// Compiles the patterns; empty lists keep everything.
    pub fn new(include: &[String], exclude: &[String]) -> Result<PathFilter, globset::Error> {
        let set = |patterns: &[String]| -> Result<Option<globset::GlobSet>, globset::Error> {
            if patterns.is_empty() {
                return Ok(None);
            }
            let mut b = globset::GlobSetBuilder::new();
            for p in patterns {
                // `sub/**` is meant below any folder, as `**/sub/**`.
                let p = if p.contains('/') && !p.starts_with('/') && !p.starts_with("**") {
                    format!("**/{p}")
                } else {
                    p.clone()
                };
                b.add(
                    globset::GlobBuilder::new(&p)
                        .case_insensitive(true)
                        .literal_separator(p.contains('/'))
                        .build()?,
                );
            }
            b.build().map(Some)
        };
        Ok(PathFilter {
            include: set(include)?,
            exclude: set(exclude)?,
        })
    }

    /// Whether a path passes.
    pub fn keeps(&self, path: &Path) -> bool {
        let name = path.file_name().map(Path::new).unwrap_or(path);
        let hit = |s: &globset::GlobSet| s.is_match(path) || s.is_match(name);
        self.include.as_ref().is_none_or(hit) && !self.exclude.as_ref().is_some_and(hit)
    }
}

/// [`collect_inputs`], keeping only the files the filter passes (named files included).
pub fn collect_inputs_filtered(paths: &[PathBuf], filter: &PathFilter) -> Inputs {
    let mut inputs = collect_inputs(paths);
    inputs.files.retain(|f| filter.keeps(f));
    inputs
}

fn walk(dir: &Path, files: &mut BTreeSet<PathBuf>, ignored: &mut usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        // An unreadable directory is reported as an input that cannot be read.
        files.insert(dir.to_path_buf());
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            walk(&path, files, ignored);
        } else if reader::format_of(&path).is_some() {
            files.insert(path);
        } else if ft.is_file() || ft.is_symlink() {
            *ignored += 1;
        }
    }
}

/// Reads, extracts and renders one file. Never panics and never fails: every outcome is
/// records, a `document` with its content or a single `error`.
///
/// With a [`ReadConfig::file_timeout`], the work runs on a helper thread (one per calling
/// thread, kept for its next file) and a file that takes longer is a `timeout` error at the
/// deadline. Rust cannot stop a thread, so that work is left to finish in the background and
/// its result dropped: the batch goes on, at the cost of the CPU the file still takes (every
/// reader's input is bounded by the size limits). A helper program it waits for (pdftotext,
/// antiword) is killed within 50 ms.
pub fn process(path: &Path, config: &ReadConfig) -> Vec<Record> {
    let owned_config = config.clone();
    let owned_path = path.to_owned();
    with_deadline(path, config, move |stop| {
        process_file(&owned_path, &owned_config, stop)
    })
}

/// Runs one file's `work` under the file deadline of `config` (if any), turning a panic into
/// an `internal` error record and a run past the deadline into a `timeout` one.
fn with_deadline(
    path: &Path,
    config: &ReadConfig,
    work: impl FnOnce(&AtomicBool) -> Vec<Record> + Send + 'static,
) -> Vec<Record> {
    let Some(limit) = config.file_timeout else {
        return guarded(path, || work(&AtomicBool::new(false)));
    };
    let owned_path = path.to_owned();
    let job: Job = Box::new(move |stop| guarded(&owned_path, || work(stop)));
    match DEADLINE_WORKER.with(|w| w.borrow_mut().run(job, limit)) {
        Ran::Done(records) => records,
        // No thread to spare: the work runs here, without a deadline.
        Ran::NoThread(job) => job(&AtomicBool::new(false)),
        Ran::Lost => lost(path),
        Ran::Late => late(path, config),
    }
}

/// One file's work, sent to a helper thread, given a flag set when the caller stops waiting
/// for it.
type Job = Box<dyn FnOnce(&AtomicBool) -> Vec<Record> + Send>;

/// What became of a job given a deadline.
enum Ran {
    Done(Vec<Record>),
    /// Past the deadline: the helper is abandoned with it.
    Late,
    /// No helper thread could be started; the job comes back to run in place.
    NoThread(Job),
    /// The helper ended without an answer (a panic the job's guard could not catch).
    Lost,
}

thread_local! {
    /// The helper thread of each batch thread, kept from file to file: a thread per file
    /// costs a quarter of a text report's time (a new thread's allocator arena and cold
    /// regex caches), measured with `--timeout 0` against the default.
    static DEADLINE_WORKER: std::cell::RefCell<DeadlineWorker> =
        const { std::cell::RefCell::new(DeadlineWorker { helper: None }) };
}

/// A long-lived helper thread that runs jobs for one batch thread, which waits for each
/// with a deadline. A job past its deadline keeps its helper: the helper is told to stop
/// and dropped (it exits when that job ends and finds no one listening) and the next job
/// starts a new one.
struct DeadlineWorker {
    helper: Option<Helper>,
}

/// A helper thread: where its jobs go, where their records come back, and its `stop` flag.
struct Helper {
    jobs: mpsc::Sender<Job>,
    done: mpsc::Receiver<Vec<Record>>,
    stop: Arc<AtomicBool>,
}

impl DeadlineWorker {
    fn run(&mut self, job: Job, limit: Duration) -> Ran {
        if self.helper.is_none() {
            let (job_tx, job_rx) = mpsc::channel::<Job>();
            let (done_tx, done_rx) = mpsc::channel();
            let stop = Arc::new(AtomicBool::new(false));
            let its_stop = stop.clone();
            let spawned = std::thread::Builder::new()
                .name("juesuan-file".into())
                .spawn(move || {
                    for job in job_rx {
                        if done_tx.send(job(&its_stop)).is_err() {
                            return;
                        }
                    }
                });
            if spawned.is_err() {
                return Ran::NoThread(job);
            }
            self.helper = Some(Helper {
                jobs: job_tx,
                done: done_rx,
                stop,
            });
        }
        let helper = self.helper.as_ref().expect("a helper was started");
        if let Err(mpsc::SendError(job)) = helper.jobs.send(job) {
            // The helper is gone (it cannot be: jobs are guarded); start afresh next time.
            self.helper = None;
            return Ran::NoThread(job);
        }
        match helper.done.recv_timeout(limit) {
            Ok(records) => Ran::Done(records),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                helper.stop.store(true, Ordering::Relaxed);
                self.helper = None;
                Ran::Late
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                self.helper = None;
                Ran::Lost
            }
        }
    }
}

/// Runs one file's work, turning a panic (a bug) into an `internal` error record for that
/// file, so that the rest of the batch goes on.
fn guarded(path: &Path, work: impl FnOnce() -> Vec<Record>) -> Vec<Record> {
    match catch_unwind(AssertUnwindSafe(work)) {
        Ok(records) => records,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_string());
            let source = std::fs::read(path).ok().map(|b| Source::new(path, &b));
            vec![record::error(
                path,
                source.as_ref(),
                &ReadError::Internal {
                    path: path.to_owned(),
                    why,
                },
            )]
        }
    }
}

fn process_file(path: &Path, config: &ReadConfig, stop: &AtomicBool) -> Vec<Record> {
    let bytes = match read_limited(path, config.max_bytes) {
        Ok(b) => b,
        Err(e) => return vec![record::error(path, None, &e)],
    };
    process_loaded(path, &bytes, config, stop)
}

/// Processes a report held in memory (downloaded, or out of an archive) like a file of that
/// name: `name`'s extension picks the reader (a PDF or .doc is handed to its helper program
/// as a temporary file) and is the `path` of the records. Never panics; bytes over
/// `config.max_bytes` are a `too_large` error.
pub fn process_bytes(name: &Path, bytes: &[u8], config: &ReadConfig) -> Vec<Record> {
    guarded(name, || {
        if bytes.len() as u64 > config.max_bytes {
            let e = ReadError::TooLarge {
                path: name.to_owned(),
                what: format!(
                    "{} bytes, over the limit of {} bytes",
                    bytes.len(),
                    config.max_bytes
                ),
            };
            return vec![record::error(name, None, &e)];
        }
        process_loaded(name, bytes, config, &AtomicBool::new(false))
    })
}

fn process_loaded(
    path: &Path,
    bytes: &[u8],
    config: &ReadConfig,
    stop: &AtomicBool,
) -> Vec<Record> {
    records_of(
        path,
        bytes,
        reader::read_unless_stopped(path, bytes, config, stop),
    )
}

/// The records of a file read (or not) into a document.
fn records_of(path: &Path, bytes: &[u8], read: Result<Document, ReadError>) -> Vec<Record> {
    let source = Source::new(path, bytes);
    match read {
        Ok(doc) => {
            let ex = extract(&doc);
            if !ex.looks_like_a_report() {
                let e = ReadError::NotAReport {
                    path: path.to_owned(),
                    why: "it names no unit, year or report kind and states no section, table, \
                          figure or line item of one"
                        .to_string(),
                };
                return vec![record::error(path, Some(&source), &e)];
            }
            let checks = check(&doc, &ex);
            record::build(&source, doc, ex, checks)
        }
        Err(e) => vec![record::error(path, Some(&source), &e)],
    }
}

#[doc(hidden)]
/// Reads a file, refusing one over `max` bytes without reading it all, and anything that is
/// not a regular file (a FIFO would block) before opening it.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_owned(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(ReadError::Io {
            path: path.to_owned(),
            source: std::io::Error::other("it is a directory that cannot be listed"),
        });
    }
    // A FIFO, socket or device named like a report would block or never end: refused before
    // it is opened.
    if !meta.is_file() {
        return Err(ReadError::Io {
            path: path.to_owned(),
            source: std::io::Error::other("not a regular file (a FIFO, socket or device)"),
        });
    }
    let too_large = |n: u64| ReadError::TooLarge {
        path: path.to_owned(),
        what: format!("{n} bytes, over the limit of {max} bytes (see --max-bytes)"),
    };
    if meta.len() > max {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .map_err(io)?
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Totals of a batch, for the summary line.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Summary {
    /// Files written (a document or an error each).
    pub files: usize,
    /// Files read as reports (`document` records).
    pub documents: usize,
    /// Files that gave an `error` record.
    pub errors: usize,
    /// Files left out because their content is already loaded (`--skip-unchanged`).
    pub skipped: usize,
    /// Records written, by type.
    pub records: BTreeMap<&'static str, usize>,
    /// Check records by status.
    pub checks: BTreeMap<Cow<'static, str>, usize>,
    /// Whether the batch stopped early on request (Ctrl-C): the files written are complete,
    /// the rest were not started.
    pub interrupted: bool,
}

impl Summary {
    fn add(&mut self, file: &FileDone) {
        self.files += 1;
        for &(name, n) in &file.records {
            *self.records.entry(name).or_insert(0) += n;
            match name {
                "document" => self.documents += n,
                "error" => self.errors += n,
                _ => {}
            }
        }
        for (status, n) in &file.checks {
            *self.checks.entry(status.clone()).or_insert(0) += n;
        }
    }
}

/// What one file of a batch gave: what the [`Summary`] counts, and its error if it gave one.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct FileDone {
    /// Records by type, in the order of each type's first record.
    pub records: Vec<(&'static str, usize)>,
    /// Check records by status, in the order of each status's first check.
    pub checks: Vec<(Cow<'static, str>, usize)>,
    /// The file's error record, when it gave one instead of a document.
    pub error: Option<record::ErrorRecord>,
}

impl FileDone {
    fn of(records: &[Record]) -> FileDone {
        fn count<K: PartialEq>(counts: &mut Vec<(K, usize)>, key: K) {
            match counts.iter_mut().find(|(k, _)| *k == key) {
                Some((_, n)) => *n += 1,
                None => counts.push((key, 1)),
            }
        }
        let mut done = FileDone::default();
        for r in records {
            count(&mut done.records, r.type_name());
            match r {
                Record::Check(c) => count(&mut done.checks, c.status.clone()),
                Record::Error(e) if done.error.is_none() => done.error = Some(e.clone()),
                _ => {}
            }
        }
        done
    }

    /// The number of records written for the file.
    pub fn total(&self) -> usize {
        self.records.iter().map(|(_, n)| n).sum()
    }
}

/// A callback told of each file written: its path, and what it gave (`None` when it was
/// skipped as already loaded).
pub type FileWritten<'a> = dyn FnMut(&Path, Option<&FileDone>) + 'a;

/// How a batch may be steered from outside: stopped, told what to skip, watched.
#[derive(Default)]
pub struct Control<'a> {
    /// When set (by a Ctrl-C handler), no new file is started; the files in flight are
    /// finished and written, then the sink is finished.
    pub stop: Option<&'a AtomicBool>,
    /// SHA-256 digests of contents already loaded: a file with one of them is read and
    /// hashed but neither extracted nor written (`Summary::skipped`).
    pub skip: Option<&'a HashSet<String>>,
    /// Called on the writing thread after each file's records are written (progress, naming
    /// failed files), with what the file gave; a skipped file with `None`.
    pub on_file: Option<&'a mut FileWritten<'a>>,
}

/// Processes files on `jobs` threads and writes each file's records to the sink in the order
/// of `files`. Stops early only when the sink fails (a closed pipe), returning its error.
pub fn run_batch(
    files: &[PathBuf],
    config: &ReadConfig,
    jobs: usize,
    sink: &mut dyn Sink,
) -> std::io::Result<Summary> {
    run_batch_with(files, config, jobs, sink, Control::default())
}

/// [`run_batch`] under a [`Control`].
///
/// The files are worked on by `jobs` worker threads (each file under the deadline
/// of `config.file_timeout`); this thread writes them in order and keeps the deadlines.
pub fn run_batch_with(
    files: &[PathBuf],
    config: &ReadConfig,
    jobs: usize,
    sink: &mut dyn Sink,
    mut control: Control,
) -> std::io::Result<Summary> {
    let jobs = jobs.max(1);
    // Finished files waiting for an earlier one are held in memory; the window bounds them.
    let window = jobs * 4;
    // With one worker, this thread's encoding runs beside it, on a core of its own: it stays
    // here. With more, each worker encodes its own files or makes their rows (see
    // `Sink::encoder`, `Sink::takes_rows`).
    let prepare = match sink.encoder() {
        _ if jobs == 1 => Prepare::Records,
        Some(encode) => Prepare::Encode(encode),
        None if sink.takes_rows() => Prepare::Rows,
        None => Prepare::Records,
    };
    let mut summary = Summary::default();
    let stopped = || control.stop.is_some_and(|s| s.load(Ordering::Relaxed));
    // The workers own what they use: a worker past a deadline outlives the batch.
    let files_owned: Arc<[PathBuf]> = files.into();
    let batch = Arc::new(Batch {
        ahead: Ahead::new(files_owned.clone(), window),
        files: files_owned,
        config: config.clone(),
        skip: control.skip.cloned(),
        prepare,
    });
    let work: Work<Outcome> = {
        let batch = batch.clone();
        Arc::new(move |i, stop| batch.process(i, stop))
    };
    let mut pool = Pool::new(jobs, config.file_timeout, work);
    // A stop (Ctrl-C) is looked for this often while files are in flight, and the sink is
    // paused (`Sink::pause`) when no file came for as long.
    let poll = Some(PAUSE);
    let mut next_queue = 0;
    let mut next_write = 0;
    // The end of the files to write: all of them, or those started when the batch stopped.
    let mut end = files.len();
    let mut done: BTreeMap<usize, Outcome> = BTreeMap::new();
    let mut failed = None;
    'batch: loop {
        if end == files.len() && stopped() {
            // The output stays a prefix of the batch in input order: the files not started
            // are left out, and nothing after them is written.
            end = pool.cancel_queued().unwrap_or(next_queue);
            next_queue = end;
        }
        while next_queue < end && next_queue < next_write + window {
            pool.push(next_queue);
            next_queue += 1;
        }
        if next_write == end {
            break;
        }
        match pool.next(poll) {
            Event::Done(i, outcome) => {
                done.insert(i, outcome);
            }
            Event::Late(i) => {
                done.insert(i, Outcome::Done(late(&files[i], config)));
            }
            Event::Lost(i) => {
                done.insert(i, Outcome::Done(lost(&files[i])));
            }
            Event::Idle => {
                // No file came for a while: the sink ends what it holds open (see `PAUSE`).
                if let Err(e) = sink.pause() {
                    pool.cancel_queued();
                    failed = Some(e);
                    break 'batch;
                }
                continue;
            }
        }
        while let Some(outcome) = done.remove(&next_write) {
            let path = &files[next_write];
            next_write += 1;
            let (file, written) = match outcome {
                Outcome::Skipped => {
                    summary.skipped += 1;
                    if let Some(f) = control.on_file.as_mut() {
                        f(path, None);
                    }
                    continue;
                }
                Outcome::Done(records) => (FileDone::of(&records), sink.write_file(&records)),
                Outcome::Encoded { bytes, done } => (done, sink.write_encoded(&bytes)),
                Outcome::Rows { rows, done } => (done, sink.write_rows(rows)),
            };
            summary.add(&file);
            if let Err(e) = written {
                pool.cancel_queued();
                failed = Some(e);
                break 'batch;
            }
            if let Some(f) = control.on_file.as_mut() {
                f(path, Some(&file));
            }
        }
    }
    summary.interrupted = end < files.len();
    // Conversions started ahead for files left out (a stopped batch) are killed now, and
    // abandoned files' helper programs are given a moment to be: none outlives the batch.
    batch.ahead.drop_started();
    pool.wait_for_abandoned(Duration::from_secs(1));
    drop(pool);
    if let Some(e) = failed {
        return Err(e);
    }
    sink.finish()?;
    Ok(summary)
}

/// How long a batch waits for its next file before it pauses the sink ([`Sink::pause`]) and
/// looks for a stop. Short enough that a sink's open group of files (SQLite's write lock) is
/// not held while a slow file is read; long enough that a batch whose files come steadily
/// never pauses.
const PAUSE: Duration = Duration::from_millis(100);

/// What the workers of a batch share, owned (see [`run_batch_with`]).
struct Batch {
    files: Arc<[PathBuf]>,
    config: ReadConfig,
    skip: Option<HashSet<String>>,
    ahead: Ahead,
    /// What the workers make of a file's records for the sink (see `run_batch_with`).
    prepare: Prepare,
}

/// What a worker makes of a file's records for the sink.
#[derive(Clone, Copy)]
enum Prepare {
    /// Nothing: the writing thread hands the sink the records.
    Records,
    /// The sink's bytes ([`Sink::encoder`]).
    Encode(Encoder),
    /// Their rows ([`Sink::takes_rows`]).
    Rows,
}

impl Batch {
    /// File `i`'s outcome, on a worker (which keeps its deadline).
    fn process(&self, i: usize, stop: &AtomicBool) -> Outcome {
        let path = &self.files[i];
        let started = self
            .ahead
            .take_and_start_next(i, &self.config, self.skip.as_ref());
        let records = match started {
            Some(started) => guarded(path, || started.records(path, stop)),
            None => {
                if skipped(path, &self.config, self.skip.as_ref()) {
                    return Outcome::Skipped;
                }
                guarded(path, || process_file(path, &self.config, stop))
            }
        };
        match self.prepare {
            Prepare::Records => Outcome::Done(records),
            Prepare::Encode(encode) => encoded(records, encode),
            Prepare::Rows => Outcome::Rows {
                done: FileDone::of(&records),
                rows: Rows::of(&records),
            },
        }
    }
}

/// A file's outcome as the sink's bytes. Its records are freed here, on the thread that
/// allocated them. Should the encoding fail, the records go to the sink's `write_file`,
/// which reports the failure as it would have without an encoder.
fn encoded(records: Vec<Record>, encode: Encoder) -> Outcome {
    let mut bytes = Vec::new();
    match encode(&records, &mut bytes) {
        Ok(()) => Outcome::Encoded {
            bytes,
            done: FileDone::of(&records),
        },
        Err(_) => Outcome::Done(records),
    }
}

/// The record of a file past its deadline.
fn late(path: &Path, config: &ReadConfig) -> Vec<Record> {
    let limit = config.file_timeout.unwrap_or_default();
    let source = read_limited(path, config.max_bytes)
        .ok()
        .map(|b| Source::new(path, &b));
    vec![record::error(
        path,
        source.as_ref(),
        &ReadError::Timeout {
            path: path.to_owned(),
            why: format!(
                "reading and extracting it took over {} s (see --timeout)",
                limit.as_secs_f64()
            ),
        },
    )]
}

/// The record of a file whose work ended without a result.
fn lost(path: &Path) -> Vec<Record> {
    vec![record::error(
        path,
        None,
        &ReadError::Internal {
            path: path.to_owned(),
            why: "the thread processing it ended without a result".to_string(),
        },
    )]
}

/// PDF conversions started ahead. pdftotext is a process of its own: started for a later
/// file while this one is extracted, it converts on another core, so a PDF batch takes about
/// pdftotext's time alone rather than pdftotext's plus extraction's. Each worker, when it
/// begins a file, starts the conversion of the next PDF none has claimed, so each of the
/// `jobs` workers has about one conversion running ahead of it (and its bytes held: memory
/// stays bounded by the files in flight).
struct Ahead {
    files: Arc<[PathBuf]>,
    /// How far past the file being processed a conversion may be started.
    reach: usize,
    state: Mutex<AheadState>,
}

#[derive(Default)]
struct AheadState {
    /// The first file no worker has looked at for a conversion yet.
    next: usize,
    started: HashMap<usize, Started>,
}

/// A file read and its conversion under way.
struct Started {
    bytes: Vec<u8>,
    conversion: reader::pdf::Conversion,
}

impl Started {
    /// The file's records, once its conversion ends (or is stopped).
    fn records(self, path: &Path, stop: &AtomicBool) -> Vec<Record> {
        let Started { bytes, conversion } = self;
        records_of(path, &bytes, conversion.finish(stop))
    }
}

impl Ahead {
    fn new(files: Arc<[PathBuf]>, reach: usize) -> Ahead {
        Ahead {
            files,
            reach,
            state: Mutex::default(),
        }
    }

    /// File `i`'s conversion if one was started, after starting the next PDF's. A file whose
    /// conversion could not be started (unreadable, too large, already loaded, no pdftotext)
    /// is left to its own worker, which reports why.
    fn take_and_start_next(
        &self,
        i: usize,
        config: &ReadConfig,
        skip: Option<&HashSet<String>>,
    ) -> Option<Started> {
        // A poisoned lock only means another worker panicked while starting a conversion.
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mine = state.started.remove(&i);
        state.next = state.next.max(i + 1);
        while state.next < self.files.len() && state.next <= i + self.reach {
            let j = state.next;
            state.next += 1;
            if let Some(started) = start(&self.files[j], config, skip) {
                state.started.insert(j, started);
                break;
            }
        }
        mine
    }

    /// Drops the conversions started and not taken, which kills their pdftotext.
    fn drop_started(&self) {
        let started =
            std::mem::take(&mut self.state.lock().unwrap_or_else(|e| e.into_inner()).started);
        drop(started);
    }
}

fn start(path: &Path, config: &ReadConfig, skip: Option<&HashSet<String>>) -> Option<Started> {
    if reader::format_of(path) != Some(Format::Pdf) {
        return None;
    }
    let bytes = read_limited(path, config.max_bytes).ok()?;
    if !reader::goes_to_pdftotext(path, &bytes) {
        return None;
    }
    if skip.is_some_and(|skip| skip.contains(&Source::new(path, &bytes).sha256)) {
        return None;
    }
    let conversion = reader::pdf::Conversion::start(path, &bytes, config).ok()?;
    Some(Started { bytes, conversion })
}

/// What became of one file of a batch.
enum Outcome {
    Done(Vec<Record>),
    /// Its records as the sink's encoder wrote them, and what they were.
    Encoded {
        bytes: Vec<u8>,
        done: FileDone,
    },
    /// Its records as rows of the sink's tables, and what they were.
    Rows {
        rows: Rows,
        done: FileDone,
    },
    /// Its content is already loaded.
    Skipped,
}

/// Whether the file's content is in `skip` (read and hashed, not extracted).
fn skipped(path: &Path, config: &ReadConfig, skip: Option<&HashSet<String>>) -> bool {
    let Some(skip) = skip else {
        return false;
    };
    read_limited(path, config.max_bytes)
        .is_ok_and(|bytes| skip.contains(&Source::new(path, &bytes).sha256))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::columns::{Cell, TABLES};
    use crate::sink::JsonlSink;

    #[test]
    fn a_panic_becomes_an_internal_error_record() {
        let path = Path::new("samples/yuquan-2021.txt");
        let records = guarded(path, || panic!("index out of bounds in a test"));
        let [Record::Error(e)] = records.as_slice() else {
            panic!("expected one error record, got {records:?}")
        };
        assert_eq!(e.error, "internal");
        assert!(
            e.message.contains("index out of bounds in a test"),
            "{}",
            e.message
        );
        assert_eq!(e.doc.as_deref(), Some("5d439c03c31ed26d"));
    }

    /// A job past its deadline is `Late`, and its `stop` flag is set (what makes a wait for
    /// pdftotext kill it); the next job gets a new helper with a flag of its own.
    #[test]
    fn a_late_job_is_told_to_stop() {
        let (told, heard) = mpsc::channel();
        let mut worker = DeadlineWorker { helper: None };
        let job: Job = Box::new(move |stop| {
            let started = std::time::Instant::now();
            while !stop.load(Ordering::Relaxed) && started.elapsed() < Duration::from_secs(30) {
                std::thread::sleep(Duration::from_millis(5));
            }
            let _ = told.send(stop.load(Ordering::Relaxed));
            Vec::new()
        });
        assert!(matches!(
            worker.run(job, Duration::from_millis(100)),
            Ran::Late
        ));
        assert_eq!(heard.recv_timeout(Duration::from_secs(10)), Ok(true));
        let next: Job = Box::new(|stop| {
            assert!(!stop.load(Ordering::Relaxed));
            Vec::new()
        });
        assert!(matches!(
            worker.run(next, Duration::from_secs(10)),
            Ran::Done(_)
        ));
    }

    /// Each file's path and what it gave, as a batch of `jobs` workers tells `on_file`; the
    /// batch's summary.
    fn run_told(
        files: &[PathBuf],
        jobs: usize,
        sink: &mut dyn Sink,
    ) -> (Vec<(PathBuf, Option<FileDone>)>, Summary) {
        let mut told = Vec::new();
        let mut on_file =
            |p: &Path, done: Option<&FileDone>| told.push((p.to_owned(), done.cloned()));
        let control = Control {
            on_file: Some(&mut on_file),
            ..Control::default()
        };
        let summary = run_batch_with(files, &ReadConfig::default(), jobs, sink, control).unwrap();
        (told, summary)
    }

    /// A sink that takes records only, as one without an encoder does; and counts them.
    #[derive(Default)]
    struct RecordsOnly {
        jsonl: Vec<u8>,
        records: Vec<usize>,
        fail_encoding: bool,
    }

    impl Sink for RecordsOnly {
        fn write_file(&mut self, records: &[Record]) -> std::io::Result<()> {
            self.records.push(records.len());
            JsonlSink::new(&mut self.jsonl).write_file(records)
        }
        fn finish(&mut self) -> std::io::Result<()> {
            Ok(())
        }
        fn encoder(&self) -> Option<Encoder> {
            fn fails(_: &[Record], _: &mut Vec<u8>) -> std::io::Result<()> {
                Err(std::io::Error::other("a test's encoder"))
            }
            self.fail_encoding.then_some(fails as Encoder)
        }
    }

    /// On two workers, the JSON Lines sink is handed bytes its workers encoded: they are the
    /// bytes it writes for the records, file by file in input order, and the summary and the
    /// files told of are those of the records.
    #[test]
    fn workers_encode_what_the_sink_writes_for_the_records() {
        let files = [
            PathBuf::from("samples/qinghe-2027-budget.txt"),
            PathBuf::from("Cargo.toml"),
            PathBuf::from("samples/qinghe-2027-budget.docx"),
        ];
        let mut encoded = Vec::new();
        let mut sink = JsonlSink::new(&mut encoded);
        assert!(sink.encoder().is_some());
        let (told, summary) = run_told(&files, 2, &mut sink);
        drop(sink);
        let mut records = RecordsOnly::default();
        let (told_records, summary_records) = run_told(&files, 2, &mut records);
        assert_eq!(encoded, records.jsonl);
        assert_eq!((&told, &summary), (&told_records, &summary_records));

        // 青禾区档案馆's budget: 102 records, 37 checks of which 36 pass and one is skipped.
        let qinghe = told[0].1.as_ref().unwrap();
        assert_eq!(qinghe.total(), 102);
        assert_eq!(qinghe.records[0], ("document", 1));
        assert!(qinghe.records.contains(&("figure", 20)));
        assert_eq!(qinghe.checks, [("pass".into(), 36), ("skip".into(), 1)]);
        assert_eq!(qinghe.error, None);
        let not_a_report = told[1].1.as_ref().unwrap();
        assert_eq!(not_a_report.records, [("error", 1)]);
        assert_eq!(not_a_report.error.as_ref().unwrap().error, "not_a_report");
        assert_eq!(records.records[..2], [102, 1]);
        assert_eq!(
            (summary.files, summary.documents, summary.errors),
            (3, 2, 1)
        );
        assert_eq!(summary.checks["pass"], 2 * 36);
        let lines = encoded.split(|&b| b == b'\n').filter(|l| !l.is_empty());
        assert_eq!(lines.count(), summary.records.values().sum::<usize>());
    }

    /// A tabular sink that keeps each file's rows, and whether they came as rows.
    #[derive(Default)]
    struct RowsKept(Vec<(bool, Rows)>);

    impl Sink for RowsKept {
        fn write_file(&mut self, records: &[Record]) -> std::io::Result<()> {
            self.0.push((false, Rows::of(records)));
            Ok(())
        }
        fn finish(&mut self) -> std::io::Result<()> {
            Ok(())
        }
        fn takes_rows(&self) -> bool {
            true
        }
        fn write_rows(&mut self, rows: Rows) -> std::io::Result<()> {
            self.0.push((true, rows));
            Ok(())
        }
    }

    /// On two workers, a tabular sink is handed rows its workers made: the rows of the
    /// records it is handed on one, file by file in input order.
    #[test]
    fn workers_make_the_rows_a_tabular_sink_writes() {
        let files = [
            PathBuf::from("samples/qinghe-2027-budget.txt"),
            PathBuf::from("Cargo.toml"),
            PathBuf::from("samples/yuquan-2021.txt"),
        ];
        let (mut one, mut two) = (RowsKept::default(), RowsKept::default());
        let (told_one, summary_one) = run_told(&files, 1, &mut one);
        let (told_two, summary_two) = run_told(&files, 2, &mut two);
        assert_eq!((&told_one, &summary_one), (&told_two, &summary_two));
        assert_eq!(
            one.0.iter().map(|(r, _)| *r).collect::<Vec<_>>(),
            [false; 3]
        );
        assert_eq!(two.0.iter().map(|(r, _)| *r).collect::<Vec<_>>(), [true; 3]);
        assert!(one.0.iter().zip(&two.0).all(|(a, b)| a.1 == b.1));

        let table = |rows: &Rows, name: &str| -> Vec<Vec<Cell>> {
            let k = TABLES.iter().position(|t| t.name == name).unwrap();
            rows.tables[k].clone()
        };
        let text = |s: &str| Cell::Text(s.into());
        // 青禾区档案馆's budget: one document row, its 20 figures.
        let qinghe = &two.0[0].1;
        let (path, doc) = qinghe.replaces.clone().unwrap();
        assert_eq!(path, "samples/qinghe-2027-budget.txt");
        let documents = table(qinghe, "documents");
        assert_eq!(documents.len(), 1);
        assert_eq!(documents[0][0], text(doc.as_deref().unwrap()));
        assert!(documents[0].contains(&text("青禾区档案馆")));
        assert_eq!(table(qinghe, "figures").len(), 20);
        // Cargo.toml is an error row of its path.
        let error = &two.0[1].1;
        assert_eq!(error.replaces.as_ref().unwrap().0, "Cargo.toml");
        assert_eq!(table(error, "errors").len(), 1);
        // 玉泉街道's 2021 final accounts: its rows carry the document's unit and year.
        let yuquan = &two.0[2].1;
        let items = table(yuquan, "line_items");
        assert_eq!(items.len(), 21);
        assert!(items.iter().all(
            |r| r.contains(&text("攀枝花市西区玉泉街道办事处")) && r.contains(&Cell::Int(2021))
        ));
    }

    /// A file whose encoding fails goes to the sink as records, which reports it as it would
    /// without an encoder.
    #[test]
    fn a_file_whose_encoding_fails_goes_to_the_sink_as_records() {
        let files = [
            PathBuf::from("samples/qinghe-2027-budget.txt"),
            PathBuf::from("Cargo.toml"),
        ];
        let mut sink = RecordsOnly {
            fail_encoding: true,
            ..RecordsOnly::default()
        };
        let (told, summary) = run_told(&files, 2, &mut sink);
        assert_eq!(sink.records, [102, 1]);
        assert_eq!(told[0].1.as_ref().unwrap().total(), 102);
        assert_eq!(summary.files, 2);
    }

    #[test]
    fn directories_are_walked_in_sorted_order_and_other_files_counted() {
        let inputs = collect_inputs(&[PathBuf::from("samples"), PathBuf::from("Cargo.toml")]);
        assert_eq!(
            inputs.files,
            [
                PathBuf::from("Cargo.toml"),
                PathBuf::from("samples/qinghe-2027-budget.docx"),
                PathBuf::from("samples/qinghe-2027-budget.txt"),
                PathBuf::from("samples/yuquan-2021.docx"),
                PathBuf::from("samples/yuquan-2021.txt")
            ]
        );
        assert_eq!(inputs.ignored, 1, "samples/README.md");
    }
}
