//! The layout-text reader: the text `pdftotext -layout` makes of a PDF (also accepted as a
//! .txt file), rebuilt into the document its author wrote.
//!
//! Layout text places every character where it sat on the page, so:
//! - pages are separated by form feeds, and may repeat running headers, footers and page
//!   numbers (`- 3 -`, `第 3 页`), which are dropped, as is the table of contents (a `目录`
//!   line and the entries after it, or any line with leaders `……… 3`);
//! - sentences are wrapped at the page's right margin (`…年初预算为 1560.05 万元，支出决算为1511.89万`
//!   / `元。`) and headings may wrap too (`…部门决算情况` / `说明`): wrapped lines are joined
//!   back, with no space between CJK characters;
//! - tables are lines of aligned columns where an empty cell is just spaces, so a value's
//!   column is known from its position, not its order; names too long for their cell wrap onto
//!   the lines above or below their row (`208   05   05          160.75` / `机关事业单位基本养老保险`
//!   / `缴费支出`).

#[cfg(test)]
mod cases;
mod pages;
mod paragraphs;
mod tables;

use crate::model::{Block, BlockKind, Document, Format, Heading, Loc, Paragraph, Table};
use crate::text::{is_cjk, trim};

use pages::{drop_contents, drop_furniture, drop_repeats, split_pages};
use paragraphs::{
    body_width, continues_amount, is_centred_title, opens_with_closing, read_paragraph,
    undo_letter_spacing,
};
use tables::{read_table, starts_table};

/// Whether decoded text is layout text rather than line-per-paragraph text: it has form feeds,
/// or many lines hold wide runs of spaces between words.
pub fn is_layout(text: &str) -> bool {
    if text.contains('\x0c') {
        return true;
    }
    let mut lines = 0;
    let mut gappy = 0;
    for l in text_lines(text).filter(|l| !trim(l).is_empty()) {
        if l.starts_with('\t') {
            return false;
        }
        lines += 1;
        if has_gap(l) {
            gappy += 1;
        }
    }
    lines >= 5 && gappy * 5 >= lines
}

/// The lines of [`str::lines`], each found by the SIMD `memchr` (std's searches a word at a
/// time, and this runs over every text file).
fn text_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let line = match memchr::memchr(b'\n', rest.as_bytes()) {
            Some(i) => {
                let line = &rest[..i];
                rest = &rest[i + 1..];
                line.strip_suffix('\r').unwrap_or(line)
            }
            None => std::mem::take(&mut rest),
        };
        Some(line)
    })
}

/// Display width: CJK and full-width characters take two columns.
///
/// Asked of every line several times (the body's width, wrapped lines, table cells). Most of
/// a report is ASCII or a unified ideograph U+5000–U+9FFF (lead bytes E5–E9), whose widths
/// are known from the lead byte; only other characters are decoded and asked [`is_cjk`].
/// Against decoding every character, a layout report takes 1.8% fewer instructions.
pub(super) fn width(s: &str) -> usize {
    let b = s.as_bytes();
    let (mut w, mut i) = (0, 0);
    while i < b.len() {
        match b[i] {
            0..0x80 => {
                w += 1;
                i += 1;
            }
            0xe5..=0xe9 => {
                w += 2;
                i += 3;
            }
            _ => {
                let c = s[i..].chars().next().unwrap_or_default();
                w += if is_cjk(c) { 2 } else { 1 };
                i += c.len_utf8();
            }
        }
    }
    w
}

/// A run of three or more spaces between two words.
pub(super) fn has_gap(line: &str) -> bool {
    // Asked of every line of every text file: a searcher built once (SIMD).
    static GAP: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("   "));
    GAP.find(trim(line).as_bytes()).is_some()
}

/// A source line of a page.
#[derive(Debug, Clone)]
pub(super) struct Line {
    pub number: u32,
    pub text: String,
    /// The first line of a page.
    pub page_start: bool,
    /// 1-based page: form feeds counted from the start of the text.
    pub page: u32,
}

/// Reads layout text into a document.
pub fn parse(text: &str, format: Format, encoding: Option<&'static str>) -> Document {
    let pages = split_pages(text);
    let pages = drop_repeats(drop_furniture(pages));
    let (mut lines, contents_end) = drop_contents(pages.into_iter().flatten().collect());
    // A letter-spaced line without column gaps is text, whatever its spacing; a line with
    // gaps keeps its character positions for the table reader.
    for l in &mut lines {
        if !has_gap(&l.text) {
            if let Some(text) = undo_letter_spacing(&l.text) {
                l.text = text;
            }
        }
    }
    // The cover (the first page, or what precedes the table of contents) holds titles that are
    // no sections.
    let body_from = contents_end.unwrap_or_else(|| {
        (1..lines.len())
            .find(|&i| lines[i].page_start)
            .unwrap_or(lines.len())
    });
    let body = body_width(&lines);
    let mut pending: Vec<(u32, u32, Piece)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if is_blank(&lines[i]) {
            i += 1;
            continue;
        }
        // A line whose sentence runs on into a line starting with its unit
        // (`…总预算          21,940.96` / `万元。与上年相比…`) is a justified sentence.
        let runs_on = lines[i + 1..]
            .iter()
            .find(|l| !is_blank(l))
            .is_some_and(|l| continues_amount(trim(&l.text)) || opens_with_closing(trim(&l.text)));
        if starts_table(&lines[i].text) && !runs_on {
            let (table, next) = read_table(&lines, i, body);
            if let Some(table) = table {
                pending.push((lines[i].number, lines[i].page, Piece::Table(table)));
                i = next;
                continue;
            }
        }
        let (text, next) = read_paragraph(&lines, i, body);
        let title = i >= body_from && is_centred_title(&lines, i, next, &text);
        pending.push((lines[i].number, lines[i].page, Piece::Text(text, title)));
        i = next;
    }
    let texts: Vec<Option<&str>> = pending
        .iter()
        .map(|(_, _, p)| match p {
            Piece::Text(t, _) => Some(t.as_str()),
            Piece::Table(_) => None,
        })
        .collect();
    let labels = super::lines::heading_labels(&texts);
    let blocks = pending
        .into_iter()
        .zip(labels)
        .enumerate()
        .map(|(i, ((line, page, piece), heading))| {
            let kind = match piece {
                Piece::Table(t) => BlockKind::Table(t),
                Piece::Text(text, title) => match heading {
                    Some(label) => BlockKind::Heading(Heading {
                        text,
                        label,
                        outline_level: None,
                    }),
                    None if title => BlockKind::Heading(Heading {
                        text,
                        label: None,
                        outline_level: None,
                    }),
                    None => BlockKind::Paragraph(Paragraph { text }),
                },
            };
            Block {
                kind,
                loc: Loc {
                    block: i,
                    line: Some(line),
                    page: Some(page),
                },
            }
        })
        .collect();
    Document {
        image_tables: 0,
        format,
        encoding,
        blocks,
    }
}

enum Piece {
    /// A paragraph, and whether it is a centred title line.
    Text(String, bool),
    Table(Table),
}

pub(super) fn is_blank(l: &Line) -> bool {
    trim(&l.text).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The width read from lead bytes is the width of every character: for every character
    /// between two others, and every line of the samples and the corpus's texts.
    #[test]
    fn width_is_the_width_of_each_character() {
        let by_chars = |s: &str| s.chars().map(|c| if is_cjk(c) { 2 } else { 1 }).sum::<usize>();
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let within = format!("a{c}收");
            assert_eq!(width(&within), by_chars(&within), "{c:?}");
        }
        let texts = crate::test_texts::sample_and_corpus_texts();
        for line in texts.iter().flat_map(|t| t.lines()) {
            assert_eq!(width(line), by_chars(line), "{line}");
        }
    }

    /// The memchr line splitter gives `str::lines`' lines, on every mix of line ends.
    #[test]
    fn lines_are_str_lines() {
        let sample = include_str!("../../../samples/yuquan-2021.txt");
        let crlf = sample.replace('\n', "\r\n");
        for t in [
            "", "\n", "\r", "a\r", "a\n", "a\n\n", "a\r\nb", "a\rb\n", "\r\n\r\n", "一\n二", sample, &crlf,
        ] {
            assert_eq!(text_lines(t).collect::<Vec<_>>(), t.lines().collect::<Vec<_>>(), "{t:?}");
        }
    }

    fn dump(text: &str) -> Vec<String> {
        parse(text, Format::Pdf, None)
            .blocks
            .iter()
            .map(|b| b.summary(false))
            .collect()
    }

    #[test]
    fn wrapped_sentences_and_headings_are_joined() {
        let text = "   第三部分上海市普陀区财政局2024年度部门决算情况\n             说明\n\n  1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：局本部人\n员经费及公用经费等的基本支出。年初预算为 1560.05 万元，支出决算为1511.89万\n元。 决算数小于预算数的主要原因：人员进出及退休变化，减少人员经费开支。\n\n一、主要职能\n  第一条 根据《上海市普陀区机构改革方案》，制定本规定。\n";
        assert_eq!(
            dump(text),
            [
                "H:第三部分上海市普陀区财政局2024年度部门决算情况说明",
                "P:1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：局本部人员经费及公用经费等的基本支出。年初预算为 1560.05 万元，支出决算为1511.89万元。 决算数小于预算数的主要原因：人员进出及退休变化，减少人员经费开支。",
                "H:一、主要职能",
                "P:第一条 根据《上海市普陀区机构改革方案》，制定本规定。",
            ]
        );
    }

    #[test]
    fn code_table_with_split_codes_vanished_cells_and_wrapped_names() {
        let text = "                   收入决算表\n                                       单位：万元\n\n                项目                本年收入合        财政拨款收        其他收\n                     科目名称        计            入                入\n\n201             一般公共服务支出         2,112.86     2,106.66          6.20\n201   06   01   行政运行           1,511.90     1,511.89          0.01\n201   06   07   信息化建设            135.25       135.25\n\n208   05   05                   160.75       160.75\n                机关事业单位基本养老保险\n                缴费支出\n\n208   05   99   其他行政事业单位养老支出      0.94         0.94\n\n注：本表为示例。这一行是注释，不是表格的一部分，因为它足够长而且以注开头。\n";
        let d = dump(text);
        assert_eq!(d[0], "P:收入决算表");
        assert_eq!(d[1], "P:单位：万元");
        assert_eq!(
            d[2],
            "T:||项目|科目名称|本年收入合计|财政拨款收入|其他收入 / 201|||一般公共服务支出|2,112.86|2,106.66|6.20 / 201|06|01|行政运行|1,511.90|1,511.89|0.01 / 201|06|07|信息化建设|135.25|135.25| / 208|05|05|机关事业单位基本养老保险缴费支出|160.75|160.75| / 208|05|99|其他行政事业单位养老支出|0.94|0.94|"
        );
        assert!(d[3].starts_with("P:注："));
    }

    #[test]
    fn contents_and_page_furniture_are_dropped() {
        let mut text = String::from("某某局\n2024年度部门决算\n       目 录\n第一部分 某某局概况\n 一、主要职能\n第二部分 决算表\n");
        for p in 1..=4 {
            text.push_str(&format!("\x0c某某局2024年度部门决算\n第{p}部分 正文标题\n  这是第{p}页的正文内容，它是一句完整的话。\n               - {p} -\n"));
        }
        let d = dump(&text);
        assert_eq!(
            d,
            [
                "P:某某局",
                "P:2024年度部门决算",
                "H:第1部分 正文标题",
                "P:这是第1页的正文内容，它是一句完整的话。",
                "H:第2部分 正文标题",
                "P:这是第2页的正文内容，它是一句完整的话。",
                "H:第3部分 正文标题",
                "P:这是第3页的正文内容，它是一句完整的话。",
                "H:第4部分 正文标题",
                "P:这是第4页的正文内容，它是一句完整的话。",
            ]
        );
    }

    #[test]
    fn leaders_mark_contents_lines() {
        let text = "一、部门主要职能 ……………………………………… 3\n二、部门机构设置 …………………………………… 5\n                 某某办公室主要职能\n  某某办公室是协助区政府领导处理区政府日常工作的区政府工作部门。\n";
        assert_eq!(
            dump(&format!("{text}\x0c")),
            [
                "P:某某办公室主要职能",
                "P:某某办公室是协助区政府领导处理区政府日常工作的区政府工作部门。"
            ]
        );
    }

    #[test]
    fn centred_titles_of_a_budget_report_are_headings() {
        let text = "某某区2025年区级部门预算\n\x0c                 某某办公室主要职能\n\n  某某办公室是协助区政府领导处理日常工作的部门。\n                  “三公”经费预算数\n                                  机关运行经费预算\n   合计        因公出国(境)费     公务接待费\n    867.50       839.00      28.50\n                          其他相关情况说明\n\n  一、2025年“三公”经费预算情况说明\n";
        assert_eq!(
            dump(text),
            [
                "P:某某区2025年区级部门预算",
                "H:某某办公室主要职能",
                "P:某某办公室是协助区政府领导处理日常工作的部门。",
                "P:“三公”经费预算数",
                "P:机关运行经费预算",
                "T:合计|因公出国(境)费|公务接待费 / 867.50|839.00|28.50",
                "H:其他相关情况说明",
                "H:一、2025年“三公”经费预算情况说明",
            ]
        );
    }

    #[test]
    fn layout_is_recognised() {
        assert!(is_layout("a\x0cb"));
        assert!(!is_layout("第一部分部门概况\n\t表格\n"));
        assert!(is_layout("项目     决算数\n一、收入     1.00\n二、支出     2.00\n三、其他     3.00\n四、合计     6.00\n"));
    }
}
