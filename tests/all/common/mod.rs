//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::io::Write;
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

pub const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml""#;

/// A minimal package: the body, and optional styles, numbering and footnotes parts, found
/// through relationships the way Word finds them (the main part deliberately not at
/// word/document.xml).
pub fn package(
    body: &str,
    styles: Option<&str>,
    numbering: Option<&str>,
    footnotes: Option<&str>,
) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    let mut put = |name: &str, data: &str| {
        zip.start_file(name, opts).unwrap();
        zip.write_all(data.as_bytes()).unwrap();
    };
    put(
        "[Content_Types].xml",
        r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#,
    );
    put(
        "_rels/.rels",
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="doc/main.xml"/></Relationships>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (id, kind, target, part) in [
        ("s", "styles", "parts/s.xml", styles),
        ("n", "numbering", "parts/n.xml", numbering),
        ("f", "footnotes", "parts/f.xml", footnotes),
    ] {
        if let Some(xml) = part {
            rels.push_str(&format!(
                r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{target}"/>"#
            ));
            put(&format!("doc/{target}"), xml);
        }
    }
    rels.push_str("</Relationships>");
    put("doc/_rels/main.xml.rels", &rels);
    put(
        "doc/main.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>{body}</w:body></w:document>"#
        ),
    );
    zip.finish().unwrap().into_inner()
}
