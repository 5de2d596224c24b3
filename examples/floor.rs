//! The floor of `scripts/throughput.sh`: the least work any reader of these files must do, to
//! compare juesuan against on the same files in the same run.
//!
//! For a text file: read it and decode it (UTF-8, or GB18030 when it is not). For a .docx:
//! open the zip and inflate and tokenize (quick-xml events, nothing kept) exactly the parts
//! juesuan reads: the package and document relationships, the document, styles, numbering,
//! footnotes and endnotes. No extraction, no output. Files run in parallel on `JOBS` threads,
//! as juesuan's batch does.
//!
//! `cargo run --release --example floor -- JOBS DIR [REPEAT]`: REPEAT passes over the files
//! (default 1), so that a floor far below a clock tick can be timed.

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

/// The parts of a .docx that juesuan's reader inflates.
const DOCX_PARTS: &[&str] = &[
    "_rels/.rels",
    "word/_rels/document.xml.rels",
    "word/document.xml",
    "word/styles.xml",
    "word/numbering.xml",
    "word/footnotes.xml",
    "word/endnotes.xml",
];

fn main() {
    let mut args = std::env::args().skip(1);
    let jobs: usize = args.next().and_then(|j| j.parse().ok()).unwrap_or(2);
    let dir = PathBuf::from(args.next().expect("usage: floor JOBS DIR [REPEAT]"));
    let repeat: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(1);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("a directory")
        .map(|e| e.expect("an entry").path())
        .collect();
    files.sort();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .expect("a thread pool");
    let units: usize = (0..repeat)
        .map(|_| pool.install(|| files.par_iter().map(|f| floor(f)).sum::<usize>()))
        .sum();
    // Printed so that the work cannot be optimized away.
    println!("{} files, {units} characters or XML events", files.len());
}

fn floor(path: &Path) -> usize {
    let bytes = std::fs::read(path).expect("a readable file");
    if path.extension().is_some_and(|e| e == "docx") {
        tokenize_docx(&bytes)
    } else {
        match std::str::from_utf8(&bytes) {
            Ok(s) => s.chars().count(),
            Err(_) => encoding_rs::GB18030.decode(&bytes).0.chars().count(),
        }
    }
}

fn tokenize_docx(bytes: &[u8]) -> usize {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut events = 0;
    let mut xml = Vec::new();
    let mut buf = Vec::new();
    for part in DOCX_PARTS {
        let Ok(mut f) = zip.by_name(part) else {
            continue;
        };
        xml.clear();
        f.read_to_end(&mut xml).expect("an inflatable part");
        let mut reader = quick_xml::Reader::from_reader(&xml[..]);
        loop {
            buf.clear();
            match reader.read_event_into(&mut buf) {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => events += 1,
                Err(e) => panic!("{part}: {e}"),
            }
        }
    }
    events
}
