//! The .docx reader: each Word feature pinned by a small package built in memory, the limits
//! against hostile files, every file of `../shared/corpus/docx-wild/`, and the sample report
//! rendered as a Word document with docx-rs.

use crate::common;

use std::io::{Cursor, Write};

use common::{package, W};
use std::path::{Path, PathBuf};

use juesuan::model::{Block, BlockKind, Document};
use juesuan::reader::{self, ReadConfig};
use serde_json::Value;

fn read(bytes: &[u8]) -> Result<Document, juesuan::ReadError> {
    reader::read(Path::new("test.docx"), bytes, &ReadConfig::default())
}

fn texts(doc: &Document) -> Vec<String> {
    doc.blocks
        .iter()
        .map(|b: &Block| match &b.kind {
            BlockKind::Heading(h) => format!(
                "H{}:{}",
                h.outline_level.map_or(String::new(), |l| l.to_string()),
                h.text
            ),
            BlockKind::Paragraph(p) => format!("P:{}", p.text),
            BlockKind::Note(n) => format!("N{}:{}", n.id, n.text),
            BlockKind::Table(t) => format!(
                "T:{}",
                t.rows
                    .iter()
                    .map(|r| r
                        .cells
                        .iter()
                        .map(|c| match c {
                            None => "~".to_string(),
                            Some(c) if c.col_span > 1 || c.row_span > 1 =>
                                format!("{}[{}x{}]", c.text, c.row_span, c.col_span),
                            Some(c) if !c.nested.is_empty() =>
                                format!("{}{{{}}}", c.text, c.nested.len()),
                            Some(c) => c.text.clone(),
                        })
                        .collect::<Vec<_>>()
                        .join("|"))
                    .collect::<Vec<_>>()
                    .join(" / ")
            ),
        })
        .collect()
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn cell(text: &str, props: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text))
}

#[test]
fn merged_cells_resolve_to_a_grid() {
    let body = format!(
        "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>{}{}</w:tr></w:tbl>",
        cell("完成指标", "<w:vMerge w:val=\"restart\"/>"),
        cell("数量指标", "<w:gridSpan w:val=\"2\"/>"),
        cell("", "<w:vMerge/>"),
        cell("a", ""),
        cell("b", ""),
        cell("c", ""),
        cell("d", ""),
    );
    let doc = read(&package(&body, None, None, None)).unwrap();
    assert_eq!(
        texts(&doc),
        ["T:完成指标[2x1]|数量指标[1x2]|~ / ~|a|b / ~|c|d"]
    );
}

#[test]
fn vmerge_three_rows() {
    let body = format!(
        "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        cell("效益指标", "<w:vMerge w:val=\"restart\"/>"),
        cell("1", ""),
        cell("", "<w:vMerge w:val=\"continue\"/>"),
        cell("2", ""),
        cell("", "<w:vMerge/>"),
        cell("3", ""),
        cell("新", ""),
        cell("4", ""),
    );
    assert_eq!(
        texts(&read(&package(&body, None, None, None)).unwrap()),
        ["T:效益指标[3x1]|1 / ~|2 / ~|3 / 新|4"]
    );
}

#[test]
fn nested_table_stays_a_table() {
    let inner = format!(
        "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
        cell("内1", ""),
        cell("内2", "")
    );
    let body = format!(
        "<w:tbl><w:tr><w:tc>{}{inner}</w:tc>{}</w:tr></w:tbl>",
        p("外"),
        cell("右", "")
    );
    let doc = read(&package(&body, None, None, None)).unwrap();
    assert_eq!(texts(&doc), ["T:外{1}|右"]);
    let BlockKind::Table(t) = &doc.blocks[0].kind else {
        panic!()
    };
    let nested = &t.rows[0].cells[0].as_ref().unwrap().nested[0];
    assert_eq!(nested.text(0, 1), Some("内2"));
}

const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
  <w:abstractNum w:abstractNumId="10">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="11">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="第%1部分"/></w:lvl>
  </w:abstractNum>
  <w:abstractNum w:abstractNumId="12">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="ideographTraditional"/><w:lvlText w:val="%1."/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircle"/><w:lvlText w:val="%2"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimalFullWidth"/><w:lvlText w:val="%3．"/></w:lvl>
    <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedParen"/><w:lvlText w:val="%4"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="11"/></w:num>
  <w:num w:numId="3"><w:abstractNumId w:val="10"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>
  <w:num w:numId="4"><w:abstractNumId w:val="12"/></w:num>
</w:numbering>"#;

fn numbered(num: u32, ilvl: u32, text: &str, style: &str) -> String {
    format!(
        "<w:p><w:pPr>{style}<w:numPr><w:ilvl w:val=\"{ilvl}\"/><w:numId w:val=\"{num}\"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"
    )
}

#[test]
fn numbering_labels_formats_and_restarts() {
    let styles = format!(
        r#"<w:styles {W}><w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="H2"><w:name w:val="标题 2"/></w:style><w:style w:type="paragraph" w:styleId="H3"><w:name w:val="Custom"/><w:basedOn w:val="H2"/></w:style></w:styles>"#
    );
    let body = [
        numbered(2, 0, "部门概况", "<w:pStyle w:val=\"H1\"/>"),
        numbered(1, 0, "基本职能及主要工作", "<w:pStyle w:val=\"H2\"/>"),
        numbered(1, 1, "主要职能", "<w:pStyle w:val=\"H3\"/>"),
        numbered(1, 1, "重点工作", "<w:pStyle w:val=\"H3\"/>"),
        numbered(1, 0, "机构设置", "<w:pStyle w:val=\"H2\"/>"),
        numbered(1, 1, "机构组成", "<w:pStyle w:val=\"H3\"/>"),
        numbered(2, 0, "部门决算情况说明", "<w:pStyle w:val=\"H1\"/>"),
        numbered(
            3,
            0,
            "财政拨款收入支出决算总体情况说明",
            "<w:pStyle w:val=\"H2\"/>",
        ),
        numbered(
            3,
            0,
            "一般公共预算财政拨款支出决算情况说明",
            "<w:pStyle w:val=\"H2\"/>",
        ),
        numbered(4, 0, "甲项，列表内容。", ""),
        numbered(4, 1, "圈一，列表内容。", ""),
        numbered(4, 2, "全角一，列表内容。", ""),
        numbered(4, 3, "括号一，列表内容。", ""),
        numbered(0, 0, "numId 0 has no number", "<w:pStyle w:val=\"H1\"/>"),
    ]
    .concat();
    let doc = read(&package(&body, Some(&styles), Some(NUMBERING), None)).unwrap();
    assert_eq!(
        texts(&doc),
        [
            "H0:第一部分部门概况",
            "H1:一、基本职能及主要工作",
            "H1:（一）主要职能",
            "H1:（二）重点工作",
            "H1:二、机构设置",
            "H1:（一）机构组成",
            "H0:第二部分部门决算情况说明",
            "H1:四、财政拨款收入支出决算总体情况说明",
            "H1:五、一般公共预算财政拨款支出决算情况说明",
            "P:甲.甲项，列表内容。",
            "P:①圈一，列表内容。",
            "P:１．全角一，列表内容。",
            "P:⑴括号一，列表内容。",
            "H0:numId 0 has no number",
        ]
    );
    let BlockKind::Heading(h) = &doc.blocks[7].kind else {
        panic!()
    };
    assert_eq!(h.label.as_deref(), Some("四、"));
}

#[test]
fn text_boxes_are_read_once() {
    let tb = "<w:txbxContent><w:p><w:r><w:t>框内文字</w:t></w:r></w:p></w:txbxContent>";
    let body = format!(
        "<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wps:txbx>{tb}</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>{tb}</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    );
    assert_eq!(
        texts(&read(&package(&body, None, None, None)).unwrap()),
        ["P:正文", "P:框内文字"]
    );
}

#[test]
fn tracked_changes_in_their_accepted_form() {
    let body = "<w:p><w:r><w:t>支出</w:t></w:r><w:ins><w:r><w:t>决算</w:t></w:r></w:ins><w:del><w:r><w:delText>预算</w:delText></w:r></w:del><w:moveFrom><w:r><w:t>旧位置</w:t></w:r></w:moveFrom><w:moveTo><w:r><w:t>为853.00万元</w:t></w:r></w:moveTo></w:p>";
    assert_eq!(
        texts(&read(&package(body, None, None, None)).unwrap()),
        ["P:支出决算为853.00万元"]
    );
}

#[test]
fn field_codes_keep_their_result() {
    let body = "<w:p><w:r><w:t>详见第</w:t></w:r><w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText> PAGEREF _Toc15377197 \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r><w:fldSimple w:instr=\"PAGE\"><w:r><w:t>7</w:t></w:r></w:fldSimple><w:r><w:t>页。</w:t></w:r></w:p>";
    assert_eq!(
        texts(&read(&package(body, None, None, None)).unwrap()),
        ["P:详见第37页。"]
    );
}

#[test]
fn hidden_text_symbols_links_and_content_controls() {
    let body = "<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r><w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t>可见</w:t></w:r><w:hyperlink r:id=\"x\"><w:r><w:t>链接</w:t></w:r></w:hyperlink><w:r><w:sym w:font=\"Symbol\" w:char=\"00B1\"/><w:sym w:font=\"Wingdings\" w:char=\"F0FC\"/><w:tab/><w:t>符号</w:t></w:r><w:sdt><w:sdtPr><w:alias w:val=\"x\"/><w:placeholder><w:docPart w:val=\"y\"/></w:placeholder></w:sdtPr><w:sdtContent><w:sdt><w:sdtContent><w:r><w:t>控件</w:t></w:r></w:sdtContent></w:sdt></w:sdtContent></w:sdt><w:smartTag><w:r><w:t>标记</w:t></w:r></w:smartTag></w:p>";
    assert_eq!(
        texts(&read(&package(body, None, None, None)).unwrap()),
        ["P:可见链接± 符号控件标记"]
    );
}

#[test]
fn footnotes_follow_the_body_as_notes() {
    let notes = format!(
        r#"<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>数据来源：财政局。</w:t></w:r></w:p></w:footnote></w:footnotes>"#
    );
    let body = "<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r></w:p>";
    assert_eq!(
        texts(&read(&package(body, None, None, Some(&notes))).unwrap()),
        ["P:正文", "N1:数据来源：财政局。"]
    );
}

#[test]
fn hostile_and_wrong_files_get_errors() {
    let kind = |bytes: &[u8]| read(bytes).map(|_| "ok").unwrap_or_else(|e| e.kind());
    // A .doc (OLE compound file) renamed .docx.
    assert_eq!(
        kind(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 0, 0]),
        "not_docx"
    );
    assert_eq!(kind(b"plain text, no zip"), "not_docx");
    // A zip holding no Word document.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"hi").unwrap();
    assert_eq!(kind(&zip.finish().unwrap().into_inner()), "not_docx");
    // A truncated package.
    let good = package(&p("正文"), None, None, None);
    assert_eq!(kind(&good[..good.len() / 2]), "corrupt");
    // Not well-formed XML.
    let bad = package("<w:p><w:r><w:t>unclosed</w:r></w:p>", None, None, None);
    assert_eq!(kind(&bad), "corrupt");
    // A gridSpan far beyond any real table.
    let wide = package(
        &format!(
            "<w:tbl><w:tr>{}</w:tr></w:tbl>",
            cell("x", "<w:gridSpan w:val=\"100000\"/>")
        ),
        None,
        None,
        None,
    );
    assert_eq!(kind(&wide), "too_large");
    // Nesting beyond the depth limit.
    let deep = package(
        &format!(
            "{}{}",
            "<w:sdt><w:sdtContent>".repeat(600),
            "</w:sdtContent></w:sdt>".repeat(600)
        ),
        None,
        None,
        None,
    );
    assert_eq!(kind(&deep), "too_large");
}

#[test]
fn zip_bomb_part_is_too_large() {
    // 64 MiB of spaces compress to a few KB; the part cap for a 1 MB file limit is 4 MiB.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("_rels/.rels", opts).unwrap();
    zip.write_all(br#"<Relationships xmlns="r"><Relationship Type="x/officeDocument" Target="word/document.xml"/></Relationships>"#).unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..64 {
        zip.write_all(&chunk).unwrap();
    }
    let bytes = zip.finish().unwrap().into_inner();
    assert!(bytes.len() < 1_000_000);
    let config = ReadConfig {
        max_bytes: 1_000_000,
        ..ReadConfig::default()
    };
    let err = reader::read(Path::new("bomb.docx"), &bytes, &config).unwrap_err();
    assert_eq!(err.kind(), "too_large");
    assert!(err.to_string().contains("word/document.xml"), "{err}");
}

/// All body text of docx-rs's reading of a file: the `text` runs of its document model, less
/// comments and the headers/footers of section properties (not body text).
fn docx_rs_text(bytes: &[u8]) -> Option<String> {
    let docx = docx_rs::read_docx(bytes).ok()?;
    let json: Value = serde_json::from_str(&docx.json()).ok()?;
    fn walk(v: &Value, out: &mut String) {
        match v {
            Value::Object(o) => {
                if o.get("type").and_then(Value::as_str) == Some("text") {
                    if let Some(t) = o
                        .get("data")
                        .and_then(|d| d.get("text"))
                        .and_then(Value::as_str)
                    {
                        out.push_str(t);
                    }
                    return;
                }
                for (k, x) in o {
                    if k != "sectionProperty" && k != "comment" {
                        walk(x, out);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    walk(&json["document"], &mut out);
    Some(out)
}

fn our_text(doc: &Document) -> String {
    fn table(t: &juesuan::model::Table, out: &mut String) {
        for c in t.rows.iter().flat_map(|r| r.cells.iter().flatten()) {
            out.push_str(&c.text);
            c.nested.iter().for_each(|n| table(n, out));
        }
    }
    let mut out = String::new();
    for b in &doc.blocks {
        match &b.kind {
            BlockKind::Table(t) => table(t, &mut out),
            BlockKind::Note(_) => {}
            _ => out.push_str(b.text().unwrap_or_default()),
        }
    }
    out
}

fn counts(s: &str) -> std::collections::BTreeMap<char, i64> {
    let mut m = std::collections::BTreeMap::new();
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        *m.entry(c).or_insert(0) += 1;
    }
    m
}

/// Characters of list labels juesuan renders and docx-rs does not.
const LABEL_CHARS: &str = "0123456789０１２３４５６７８９.．、()（）一二三四五六七八九十百第部分条章节節①②③④⑤⑥⑦⑧⑨⑩⑴⑵⑶⑷⑸⒈⒉⒊甲乙丙丁IVXLCivxlcABCDEFabcdef•·-–—";

/// Files where docx-rs's text differs from what Word shows, and why juesuan's is right.
const DOCX_RS_DIFFERS: &[(&str, &str)] = &[
    (
        "hidden__hidden.docx",
        "docx-rs keeps w:vanish text, which Word hides",
    ),
    (
        "spec_vanish__spec_vanish.docx",
        "docx-rs keeps w:vanish text, which Word hides",
    ),
    (
        "numbering__numbering.docx",
        "its list labels hold words (`Section %1.`), which docx-rs does not render",
    ),
    (
        "lvl_override__override.docx",
        "its list labels hold words, which docx-rs does not render",
    ),
];

#[test]
fn every_wild_docx_reads_and_matches_docx_rs() {
    let dir = PathBuf::from("../shared/corpus/docx-wild");
    if !dir.exists() {
        println!(
            "skipped: {} is absent (the corpus lives beside the repository)",
            dir.display()
        );
        return;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 73);
    let mut compared = 0;
    let mut problems = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let doc = reader::read(path, &bytes, &ReadConfig::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let name = path.file_name().unwrap().to_str().unwrap();
        let Some(theirs) = docx_rs_text(&bytes) else {
            continue;
        };
        if DOCX_RS_DIFFERS.iter().any(|(n, _)| *n == name) {
            continue;
        }
        compared += 1;
        let (ours, theirs) = (counts(&our_text(&doc)), counts(&theirs));
        // Nothing docx-rs reads is lost…
        let missing: String = theirs
            .iter()
            .filter(|(c, n)| ours.get(c).copied().unwrap_or(0) < **n)
            .map(|(c, _)| *c)
            .collect();
        // …and what juesuan adds are list labels docx-rs does not render.
        let extra: String = ours
            .iter()
            .filter(|(c, n)| theirs.get(c).copied().unwrap_or(0) < **n)
            .map(|(c, _)| *c)
            .filter(|c| !LABEL_CHARS.contains(*c))
            .collect();
        if !missing.is_empty() || !extra.is_empty() {
            problems.push(format!("{name}: missing [{missing}] extra [{extra}]"));
        }
    }
    assert!(compared >= 40, "only {compared} files compared");
    assert!(
        problems.is_empty(),
        "text differs from docx-rs: {problems:#?}"
    );
}

/// The sample report as Word would hold it: see [`as_docx`].
fn sample_as_docx() -> Vec<u8> {
    as_docx(&common::sample_text(), false)
}

/// A report's text as Word would hold it: headings auto-numbered (chineseCounting `%1、`,
/// `（%1）`, `第%1部分`, and the decimal ones the text shows), the tables with real vertical
/// and horizontal merges; with `lists`, numbered paragraphs too (a list of line items `1．…`
/// whose numbers Word renders), with no number in their text.
pub(crate) fn as_docx(text: &str, lists: bool) -> Vec<u8> {
    use docx_rs::*;
    use juesuan::numbering::{split_label, Style};
    let doc = juesuan::reader::text::parse(text, juesuan::model::Format::Text, Some("utf-8"));
    let mut docx = Docx::new();
    // One abstract list per label format; a run of consecutive ordinals shares an instance,
    // each new run starts a new one with a start override.
    let formats: Vec<(Style, bool, &str, &str)> = vec![
        (Style::Part, true, "chineseCounting", "第%1部分"),
        (Style::Part, false, "decimal", "第%1部分"),
        (Style::Chinese, true, "chineseCounting", "%1、"),
        (Style::ParenChinese, true, "chineseCounting", "（%1）"),
        (Style::ArabicComma, false, "decimal", "%1、"),
        (Style::ArabicDot, false, "decimal", "%1."),
        (Style::ParenArabic, false, "decimal", "（%1）"),
    ];
    for (i, (_, _, fmt, text)) in formats.iter().enumerate() {
        docx = docx.add_abstract_numbering(AbstractNumbering::new(100 + i).add_level(Level::new(
            0,
            Start::new(1),
            NumberFormat::new(*fmt),
            LevelText::new(*text),
            LevelJc::new("left"),
        )));
    }
    let mut next_num = 200;
    let mut last: Option<(usize, u32, usize)> = None; // (format, ordinal, numId)
    for block in &doc.blocks {
        // A paragraph Word numbers: (format, ordinal, outline level, text after the label).
        let mut numbered: Vec<(usize, u32, Option<usize>, String)> = Vec::new();
        match &block.kind {
            BlockKind::Heading(h) if h.label.is_some() => {
                let label = split_label(&h.text).unwrap();
                let chinese = !label.text.chars().any(|c| c.is_ascii_digit());
                let f = formats
                    .iter()
                    .position(|(s, c, _, _)| *s == label.style && *c == chinese)
                    .unwrap();
                let outline = label.style.default_level() as usize - 1;
                numbered.push((f, label.ordinal, Some(outline), label.rest.to_string()));
            }
            BlockKind::Heading(h) => {
                docx = docx.add_paragraph(Paragraph::new().add_run(Run::new().add_text(&h.text)))
            }
            BlockKind::Paragraph(p) => {
                let label = split_label(&p.text).filter(|l| {
                    lists
                        && matches!(
                            l.style,
                            Style::ArabicDot | Style::ArabicComma | Style::ParenArabic
                        )
                });
                match label {
                    Some(label) => {
                        let f = formats
                            .iter()
                            .position(|(s, c, _, _)| *s == label.style && !*c)
                            .unwrap_or_else(|| panic!("no list format for {}", label.text));
                        numbered.push((f, label.ordinal, None, label.rest.to_string()));
                    }
                    None => {
                        docx = docx
                            .add_paragraph(Paragraph::new().add_run(Run::new().add_text(&p.text)))
                    }
                }
            }
            BlockKind::Table(t) => {
                let width = t.n_cols();
                let grid: Vec<Vec<String>> = t
                    .rows
                    .iter()
                    .map(|r| {
                        r.cells
                            .iter()
                            .map(|c| c.as_ref().unwrap().text.clone())
                            .collect()
                    })
                    .collect();
                let mut rows = Vec::new();
                for (r, row) in grid.iter().enumerate() {
                    let mut cells = Vec::new();
                    for (c, text) in row.iter().enumerate() {
                        // The last cell of a short row spans the rest of the grid.
                        let span = if c + 1 == row.len() { width - c } else { 1 };
                        // Empty cells of the two label columns under a label are merged into it.
                        let above = (0..r)
                            .rev()
                            .map(|k| grid[k].get(c))
                            .find(|x| x.is_some_and(|t| !t.is_empty()));
                        let below_empty = grid
                            .get(r + 1)
                            .and_then(|n| n.get(c))
                            .is_some_and(|t| t.is_empty());
                        let mut cell = TableCell::new()
                            .add_paragraph(Paragraph::new().add_run(Run::new().add_text(text)));
                        if c <= 1 && text.is_empty() && above.is_some() {
                            cell = cell.vertical_merge(VMergeType::Continue);
                        } else if c <= 1 && !text.is_empty() && below_empty {
                            cell = cell.vertical_merge(VMergeType::Restart);
                        }
                        if span > 1 {
                            cell = cell.grid_span(span);
                        }
                        cells.push(cell);
                    }
                    rows.push(TableRow::new(cells));
                }
                docx = docx.add_table(Table::new(rows).set_grid(vec![1000; width]));
            }
            _ => {}
        }
        for (f, ordinal, outline, rest) in numbered {
            let num = match last {
                Some((lf, lo, id)) if lf == f && lo + 1 == ordinal => id,
                _ => {
                    next_num += 1;
                    docx = docx.add_numbering(
                        Numbering::new(next_num, 100 + f)
                            .add_override(LevelOverride::new(0).start(ordinal as usize)),
                    );
                    next_num
                }
            };
            last = Some((f, ordinal, num));
            let mut para = Paragraph::new();
            if let Some(level) = outline {
                para = para.outline_lvl(level);
            }
            docx = docx.add_paragraph(
                para.numbering(NumberingId::new(num), IndentLevel::new(0))
                    .add_run(Run::new().add_text(rest)),
            );
        }
    }
    let mut buf = Cursor::new(Vec::new());
    docx.build().pack(&mut buf).unwrap();
    buf.into_inner()
}

/// The records that carry the report's content, without what identifies the file or the
/// position in it.
fn content(records: &[Value], types: &[&str]) -> Vec<Value> {
    records
        .iter()
        .filter(|r| types.contains(&r["type"].as_str().unwrap()))
        .map(|r| {
            let mut r = r.clone();
            let o = r.as_object_mut().unwrap();
            o.remove("doc");
            o.remove("loc");
            r
        })
        .collect()
}

#[test]
fn sample_as_docx_gives_the_same_records() {
    let dir = common::scratch("sample_docx");
    let path = dir.join("yuquan-2021.docx");
    std::fs::write(&path, sample_as_docx()).unwrap();
    let from_docx = common::records(&path);
    let from_text = common::records(Path::new(common::SAMPLE));
    assert_eq!(from_docx[0]["format"], "docx");
    assert_eq!(from_docx[0]["unit"], "攀枝花市西区玉泉街道办事处");
    for t in [
        "section",
        "line_item",
        "figure",
        "project",
        "indicator",
        "check",
    ] {
        let (a, b) = (content(&from_docx, &[t]), content(&from_text, &[t]));
        assert_eq!(a.len(), b.len(), "number of {t} records");
        for (x, y) in a.iter().zip(&b) {
            assert_eq!(x, y, "{t} record differs");
        }
    }
    // The docx tables hold real merges: covered positions are null.
    let table = from_docx.iter().find(|r| r["type"] == "table").unwrap();
    assert!(table["rows"][9][0].is_null(), "{}", table["rows"][9]);
    // And dump shows the rendered labels and the merged grid.
    let dump = common::dump(&path);
    let grid = dump.iter().find(|b| b["kind"] == "table").unwrap();
    assert_eq!(grid["rows"][2][0]["text"], "项目预算执行情况（万元）");
    assert_eq!(grid["rows"][2][0]["row_span"], 3);
    assert!(grid["rows"][3][0].is_null());
    assert_eq!(grid["rows"][1][3]["col_span"], 3);
    let h = dump
        .iter()
        .find(|b| b["text"] == "四、财政拨款收入支出决算总体情况说明")
        .unwrap();
    assert_eq!(
        (&h["kind"], &h["label"]),
        (&Value::from("heading"), &Value::from("四、"))
    );
}
