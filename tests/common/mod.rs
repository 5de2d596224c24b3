//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use juesuan::reader::ReadConfig;
use serde_json::Value;

/// The sample report shipped in `samples/`.
pub const SAMPLE: &str = "samples/yuquan-2021.txt";

/// All records of one file as JSON values.
pub fn records(path: &Path) -> Vec<Value> {
    juesuan::process(path, &ReadConfig::default())
        .iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect()
}

/// Records of one type.
pub fn of_type<'a>(records: &'a [Value], t: &str) -> Vec<&'a Value> {
    records.iter().filter(|r| r["type"] == t).collect()
}

/// Records without the fields that identify the file (doc, path, sha256, bytes, encoding),
/// for comparing variants of the same report.
pub fn content(records: &[Value]) -> Vec<Value> {
    records
        .iter()
        .map(|r| {
            let mut r = r.clone();
            let o = r.as_object_mut().unwrap();
            for k in ["doc", "path", "sha256", "bytes", "encoding"] {
                o.remove(k);
            }
            r
        })
        .collect()
}

/// A fresh directory under the target dir for files a test generates.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The sample's text.
pub fn sample_text() -> String {
    std::fs::read_to_string(SAMPLE).unwrap()
}

/// A report of `../shared/corpus/reports/`, or `None` (with the reason printed) where the
/// corpus is absent, as on a fresh clone without `../shared/`.
pub fn corpus(name: &str) -> Option<PathBuf> {
    let path = Path::new("../shared/corpus/reports").join(name);
    if path.exists() {
        Some(path)
    } else {
        println!(
            "skipped: {} is absent (the corpus lives beside the repository)",
            path.display()
        );
        None
    }
}

/// Whether PDFs can be read here. Without pdftotext, PDF tests are skipped with a printed
/// reason, except under CI, where `.ci/run` installs it and its absence is a failure.
pub fn pdftotext_available() -> bool {
    let found = std::process::Command::new("pdftotext")
        .arg("-v")
        .output()
        .is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "pdftotext is missing under CI; .ci/run installs poppler-utils"
        );
        println!("skipped: pdftotext is not installed (apt-get install poppler-utils)");
    }
    found
}

/// The document model of a file as JSON values, one per block (what `juesuan dump` prints).
pub fn dump(path: &Path) -> Vec<Value> {
    let bytes = std::fs::read(path).unwrap();
    let doc = juesuan::reader::read(path, &bytes, &ReadConfig::default()).unwrap();
    doc.blocks.iter().map(juesuan::record::dump_block).collect()
}
