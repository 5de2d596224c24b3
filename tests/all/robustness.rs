//! Mangled inputs never panic: each of a few hundred deterministic mutations of real text and
//! of a real .docx gives a document or a clear error, never an `internal` one.

use crate::common;

use std::path::Path;

use juesuan::reader::ReadConfig;

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Cuts, duplicates and garbles random stretches of the text.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(chars.len());
        let len = 1 + rng.below(200).min(chars.len() - at);
        match rng.below(4) {
            0 => {
                chars.drain(at..(at + len).min(chars.len()));
            }
            1 => {
                let copy: Vec<char> = chars[at..(at + len).min(chars.len())].to_vec();
                let to = rng.below(chars.len());
                chars.splice(to..to, copy);
            }
            2 => {
                for c in chars.iter_mut().skip(at).take(len) {
                    *c = ['\t', '\n', ' ', '\x0c', '（', '1', '、', '万', '元', '%'][rng.below(10)];
                }
            }
            _ => chars.insert(at, ['\t', '\x0c', '\n'][rng.below(3)]),
        }
    }
    chars.into_iter().collect()
}

#[test]
fn mangled_text_never_panics() {
    let dir = common::scratch("mangled");
    let mut sources = vec![common::sample_text()];
    if let Some(p) = common::corpus("gh_shpt_czj_2024_final_dept.layout.txt") {
        sources.push(std::fs::read_to_string(p).unwrap());
    }
    let mut rng = Rng(0x9E3779B97F4A7C15);
    for (s, source) in sources.iter().enumerate() {
        for k in 0..150 {
            let path = dir.join(format!("m{s}-{k}.txt"));
            std::fs::write(&path, mutate(source, &mut rng)).unwrap();
            let records = juesuan::process(&path, &ReadConfig::default());
            let first = serde_json::to_value(&records[0]).unwrap();
            assert_ne!(
                first["error"],
                "internal",
                "{}: {}",
                path.display(),
                first["message"]
            );
        }
    }
}

#[test]
fn mangled_docx_never_panics() {
    let body = "<w:p><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>一般公共服务支出（类）财政事务（款）行政运行（项）1511.89万元</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>项目名称</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr></w:tbl>";
    let mut rng = Rng(42);
    // Mangled XML inside a sound package.
    for _ in 0..300 {
        let bytes = common::package(&mutate(body, &mut rng), None, None, None);
        if let Err(e) = juesuan::reader::read(Path::new("m.docx"), &bytes, &ReadConfig::default()) {
            assert!(matches!(e.kind(), "corrupt" | "too_large"), "{e}");
        }
    }
    // Mangled bytes of the package itself.
    let good = common::package(body, None, None, None);
    for k in 0..300 {
        let mut bytes = good.clone();
        for _ in 0..1 + rng.below(6) {
            let at = rng.below(bytes.len());
            bytes[at] = rng.next() as u8;
        }
        if k % 3 == 0 {
            bytes.truncate(rng.below(bytes.len()));
        }
        let result = juesuan::reader::read(Path::new("m.docx"), &bytes, &ReadConfig::default());
        if let Err(e) = result {
            assert_ne!(e.kind(), "internal");
        }
    }
}

/// A numbered paragraph of list `num` at level 0.
fn numbered(num: usize, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

/// A numbering part: one abstract list of `format` starting at `start` with level text
/// `text`, and instances 1..=`instances`.
fn numbering(format: &str, start: u64, text: &str, instances: usize) -> String {
    let mut xml = format!(
        r#"<?xml version="1.0"?><w:numbering {}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="{start}"/><w:numFmt w:val="{format}"/><w:lvlText w:val="{text}"/></w:lvl></w:abstractNum>"#,
        common::W
    );
    for i in 1..=instances {
        xml.push_str(&format!(
            r#"<w:num w:numId="{i}"><w:abstractNumId w:val="0"/></w:num>"#
        ));
    }
    xml.push_str("</w:numbering>");
    xml
}

/// The records of an in-memory .docx (a report's title line, then `body`), and how long
/// reading it took.
fn read_docx(body: &str, numbering: &str) -> (Vec<serde_json::Value>, std::time::Duration) {
    let body = format!("<w:p><w:r><w:t>青禾区档案馆2026年度部门决算</w:t></w:r></w:p>{body}");
    let bytes = common::package(&body, None, Some(numbering), None);
    let dir = common::scratch(&format!("hostile_{}", bytes.len()));
    let path = dir.join("hostile.docx");
    std::fs::write(&path, bytes).unwrap();
    let started = std::time::Instant::now();
    let r = common::records(&path);
    (r, started.elapsed())
}

/// Lists that start near u32::MAX in letter and roman formats give short labels (Word's own
/// limits: 780 for letters, 3999 for roman numerals; beyond, the number), and a counter past
/// u32::MAX saturates instead of overflowing.
#[test]
fn huge_list_starts_give_short_labels() {
    for format in ["upperLetter", "lowerRoman"] {
        let body: String = (0..3).map(|k| numbered(1, &format!("第{k}项"))).collect();
        let (r, took) = read_docx(&body, &numbering(format, 4_294_967_294, "%1.", 1));
        assert!(
            took < std::time::Duration::from_secs(5),
            "{format}: {took:?}"
        );
        assert_eq!(r[0]["type"], "document", "{format}");
        assert_eq!(r[0]["blocks"], 4);
    }
    let dump = {
        let bytes = common::package(
            &numbered(1, "项"),
            None,
            Some(&numbering("upperLetter", 4_294_967_290, "%1.", 1)),
            None,
        );
        let dir = common::scratch("hostile_letter_dump");
        let path = dir.join("a.docx");
        std::fs::write(&path, bytes).unwrap();
        common::dump(&path)
    };
    assert_eq!(dump[0]["text"], "4294967290.项");
}

/// A level text of a hundred thousand `%1` is cut to Word's size; a hundred thousand list
/// instances, one per paragraph, are looked up in constant time.
#[test]
fn hostile_numbering_stays_small_and_fast() {
    let text = "%1".repeat(100_000);
    let (r, took) = read_docx(&numbered(1, "项"), &numbering("decimal", 1, &text, 1));
    assert_eq!(r[0]["type"], "document");
    assert!(took < std::time::Duration::from_secs(5), "{took:?}");
    let n = 100_000;
    let body: String = (1..=n).map(|i| numbered(i, "项")).collect();
    let (r, took) = read_docx(&body, &numbering("decimal", 1, "%1.", n));
    assert_eq!(
        (&r[0]["type"], &r[0]["blocks"]),
        (&"document".into(), &(n + 1).into())
    );
    assert!(took < std::time::Duration::from_secs(30), "{took:?}");
}

/// A 1,000-wide grid of 10,000 rows (`gridBefore`, a few bytes a row) is `too_large` before it
/// is laid out, and quickly: the cells of a document's tables have a budget.
#[test]
fn a_huge_grid_is_too_large() {
    let row = r#"<w:tr><w:trPr><w:gridBefore w:val="999"/></w:trPr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>"#;
    let body = format!("<w:tbl>{}</w:tbl>", row.repeat(10_000));
    let (r, took) = read_docx(&body, &numbering("decimal", 1, "%1.", 1));
    assert_eq!(r[0]["error"], "too_large", "{:?}", r[0]);
    assert!(r[0]["message"].as_str().unwrap().contains("cells"));
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");
}

/// Parts that are each under the per-part cap but over it together are `too_large`.
#[test]
fn parts_share_one_size_budget() {
    let text = "青".repeat(200_000);
    let body = format!("<w:p><w:r><w:t>青禾区档案馆2026年度部门决算{text}</w:t></w:r></w:p>");
    let styles = format!(
        r#"<?xml version="1.0"?><w:styles {}><!-- {} --></w:styles>"#,
        common::W,
        "x".repeat(700_000)
    );
    let bytes = common::package(&body, Some(&styles), None, None);
    let dir = common::scratch("parts_budget");
    let path = dir.join("a.docx");
    std::fs::write(&path, bytes).unwrap();
    // --max-bytes 256 KiB: 1 MiB per part (the smallest cap) and 1 MiB for all of them.
    let config = ReadConfig {
        max_bytes: 256 << 10,
        ..ReadConfig::default()
    };
    let r: Vec<serde_json::Value> = juesuan::process(&path, &config)
        .iter()
        .map(|x| serde_json::to_value(x).unwrap())
        .collect();
    assert_eq!(r[0]["error"], "too_large", "{:?}", r[0]);
    assert!(r[0]["message"].as_str().unwrap().contains("together"));
}

/// Layout text with 80,000 columns is read in linear time (cells from token order).
#[test]
fn layout_text_with_very_many_columns_is_linear() {
    let mut text = String::from("青禾区档案馆2026年度部门决算\n\x0c");
    for row in 0..3 {
        let cells: Vec<String> = (0..80_000).map(|k| format!("{}", (k + row) % 10)).collect();
        text.push_str(&cells.join("   "));
        text.push('\n');
    }
    let started = std::time::Instant::now();
    let doc = juesuan::reader::parse_text(&text, juesuan::model::Format::Text, Some("utf-8"));
    let ex = juesuan::extract::extract(&doc);
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(ex.meta.year, Some(2026));
    let widest = doc
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            juesuan::model::BlockKind::Table(t) => Some(t.n_cols()),
            _ => None,
        })
        .max();
    assert_eq!(widest, Some(80_000));
}

/// Hostile workbooks: a sparse sheet whose used range is 17 billion cells is `too_large` at
/// once (its two cells are read, never the range), and a damaged package is `corrupt`.
#[test]
fn hostile_workbooks_give_one_error_each() {
    let dir = common::scratch("hostile_xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "2027年部门收支预算总表").unwrap();
    sheet.write_number(1_048_575, 16_383, 1.0).unwrap();
    let sparse = dir.join("sparse.xlsx");
    book.save(&sparse).unwrap();
    let r = common::records(&sparse);
    assert_eq!(
        (r.len(), r[0]["error"].as_str()),
        (1, Some("too_large")),
        "{r:?}"
    );
    let mut bytes = std::fs::read(&sparse).unwrap();
    let n = bytes.len();
    bytes[n / 2..].fill(0);
    let broken = dir.join("broken.xlsx");
    std::fs::write(&broken, &bytes).unwrap();
    let r = common::records(&broken);
    assert_eq!(
        (r.len(), r[0]["error"].as_str()),
        (1, Some("corrupt")),
        "{r:?}"
    );
    let xls = dir.join("fake.xls");
    std::fs::write(&xls, b"\xD0\xCF\x11\xE0 not really an OLE file").unwrap();
    let r = common::records(&xls);
    assert_eq!(
        (r.len(), r[0]["error"].as_str()),
        (1, Some("corrupt")),
        "{r:?}"
    );
}

/// A damaged Word 97-2003 `.doc` (an OLE header and nothing else) is one error: `corrupt`
/// through antiword, or `unsupported` naming antiword where it is not installed.
#[test]
fn a_damaged_doc_is_one_error() {
    let dir = common::scratch("legacy_doc");
    let doc = dir.join("report.doc");
    std::fs::write(
        &doc,
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 and the rest of an OLE file",
    )
    .unwrap();
    let r = common::records(&doc);
    assert_eq!(r.len(), 1);
    let message = r[0]["message"].as_str().unwrap();
    match r[0]["error"].as_str().unwrap() {
        "corrupt" => {
            assert!(message.contains("antiword"), "{message}");
            // antiword's own words name the document, not the copy it read.
            assert!(!message.contains("/dev/stdin"), "{message}");
            assert!(!message.contains("juesuan-"), "{message}");
        }
        "unsupported" => assert!(message.contains("apt-get install antiword"), "{message}"),
        other => panic!("{other}: {message}"),
    }
}

/// The sample saved as a Word 97-2003 `.doc` (tests/fixtures/README.md) gives the sample's
/// line items and figures through antiword.
#[test]
fn the_sample_as_a_legacy_doc() {
    if std::process::Command::new("antiword")
        .arg("-h")
        .output()
        .is_err()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI: antiword is not installed"
        );
        println!("skipped: antiword is not installed (apt-get install antiword)");
        return;
    }
    let doc = common::records(Path::new("tests/fixtures/yuquan-2021.doc"));
    assert_eq!(doc[0]["format"], "doc", "{}", doc[0]);
    assert_eq!(doc[0]["unit"], "攀枝花市西区玉泉街道办事处");
    let sample = common::records(Path::new(common::SAMPLE));
    let keep = |records: &[serde_json::Value], t: &str| -> Vec<serde_json::Value> {
        common::content(records)
            .into_iter()
            .filter(|r| r["type"] == t)
            .map(|mut r| {
                let o = r.as_object_mut().unwrap();
                o.remove("loc");
                o.remove("section");
                r
            })
            .collect()
    };
    // The narrative's records. (The fixture's tables are TAB-separated paragraphs, not Word
    // tables, and antiword prints TABs as spaces, so their cells are not told apart.)
    for t in ["line_item", "figure"] {
        assert_eq!(keep(&doc, t), keep(&sample, t), "{t}");
    }
    assert_eq!(keep(&doc, "line_item").len(), 21);
}

/// A report held in memory gives the records of the same file on disk, PDF included (handed
/// to pdftotext as a temporary file): only `path` differs.
#[test]
fn a_report_in_memory_reads_like_the_file() {
    let mut paths = vec![std::path::PathBuf::from(common::SAMPLE)];
    paths.extend(common::corpus("gh_shpt_czj_2024_final_dept.pdf"));
    for path in paths {
        let bytes = std::fs::read(&path).unwrap();
        let from_file = common::records(&path);
        let from_bytes: Vec<serde_json::Value> = juesuan::process_bytes(
            Path::new("upload/report.bin.pdf"),
            &bytes,
            &ReadConfig::default(),
        )
        .iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect();
        if path.extension().is_some_and(|e| e == "pdf") {
            assert_eq!(from_bytes[0]["format"], "pdf");
            assert_eq!(common::content(&from_bytes), common::content(&from_file));
        } else {
            let named: Vec<serde_json::Value> =
                juesuan::process_bytes(&path, &bytes, &ReadConfig::default())
                    .iter()
                    .map(|r| serde_json::to_value(r).unwrap())
                    .collect();
            assert_eq!(named, from_file);
        }
    }
}

/// A file name that is not UTF-8 (a GBK name on Linux) is recorded losslessly: `path` shows it
/// with U+FFFD, `path_bytes` holds its bytes, for a document and for an error alike.
#[cfg(unix)]
#[test]
fn a_gbk_file_name_is_recorded_losslessly() {
    use std::os::unix::ffi::OsStrExt;
    let dir = common::scratch("gbk_name");
    let name = encoding_rs::GBK.encode("玉泉决算.txt").0.into_owned();
    let path = dir.join(std::ffi::OsStr::from_bytes(&name));
    if std::fs::copy(common::SAMPLE, &path).is_err() {
        println!("skipped: this file system does not take non-UTF-8 names");
        return;
    }
    let hex: String = path
        .as_os_str()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let r = common::records(&path);
    assert_eq!(r[0]["type"], "document");
    assert_eq!(r[0]["path_bytes"], hex);
    assert!(r[0]["path"].as_str().unwrap().contains('\u{fffd}'));
    std::fs::write(&path, "").unwrap();
    let r = common::records(&path);
    assert_eq!(
        (r[0]["error"].as_str(), r[0]["path_bytes"].as_str()),
        (Some("empty"), Some(hex.as_str()))
    );
    // A UTF-8 name has no bytes to keep.
    let r = common::records(Path::new(common::SAMPLE));
    assert_eq!(r[0]["path_bytes"], serde_json::Value::Null);
}
