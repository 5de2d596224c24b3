//! The plain-text reader: bytes in any supported encoding → [`Document`].
//!
//! It handles the flavour of the sample report, a .docx converted to text:
//! ```text
//! [bookmark: _Toc15377208]四、财政拨款收入支出决算总体情况说明     ← a heading, marker stripped
//! 2021年财政拨款收入853.00万元、支出为853.00万元。…            ← a paragraph per line
//!
//! <TAB>项目预算                                                  ← a table row: each cell starts
//! 执行情况                                                       ←   with a TAB and continues on
//! （万元）                                                       ←   lines without one
//! <TAB>预算数：
//! <TAB>4
//!                                                                ← a blank line ends the row
//! <TAB>                                                          ← a lone TAB is an empty cell
//! ```
//! Rows are separated by one or two blank lines; three blank lines, or an empty paragraph
//! (a line that held only a bookmark marker), end a table, since Word needs a paragraph
//! between two tables and the conversion renders it that way.

use crate::model::{Block, BlockKind, Cell, Document, Format, Heading, Loc, Paragraph, Row, Table};
use crate::text::{collapse_spaces, join_lines, strip_bookmarks};

/// Why bytes could not be decoded as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// No characters other than whitespace.
    Empty,
    /// Not valid in any supported encoding, or binary data.
    NotText(String),
}

/// The text of UTF-8 bytes, also when the file was cut in the middle of its last character
/// (a truncated download): the incomplete character is dropped, not the whole file.
fn utf8_cut_or_whole(bytes: &[u8]) -> Option<&str> {
    // The SIMD check answers the common case; std's says where invalid text stops.
    if let Ok(s) = simdutf8::basic::from_utf8(bytes) {
        return Some(s);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Some(s),
        // Only a text that is UTF-8 up to there (with characters beyond ASCII, which GBK
        // bytes never are) and merely ends early.
        Err(e) if e.error_len().is_none() && !bytes[..e.valid_up_to()].is_ascii() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    }
}

/// Decodes a text file: UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030 (which
/// covers GBK and GB2312), the encodings Chinese government files come in. Returns the text
/// and the name of the encoding used.
///
/// ```
/// use juesuan::reader::text::decode;
/// let (gbk, _, _) = encoding_rs::GB18030.encode("部门决算");
/// assert_eq!(decode(&gbk).unwrap(), ("部门决算".to_string(), "gb18030"));
/// assert_eq!(decode("\u{feff}部门决算".as_bytes()).unwrap().1, "utf-8");
/// ```
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), DecodeError> {
    let (text, encoding): (String, &'static str) =
        if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
            let (cow, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
            if had_errors {
                return Err(DecodeError::NotText(format!(
                    "it starts with a {} byte-order mark but is not valid {}",
                    enc.name(),
                    enc.name()
                )));
            }
            let name = match enc.name() {
                "UTF-8" => "utf-8",
                "UTF-16LE" => "utf-16le",
                _ => "utf-16be",
            };
            (cow.into_owned(), name)
        } else if let Some(s) = utf8_cut_or_whole(bytes) {
            (s.to_owned(), "utf-8")
        } else {
            match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
                Some(cow) => (cow.into_owned(), "gb18030"),
                None => {
                    return Err(DecodeError::NotText(
                        "its bytes are valid neither as UTF-8 nor as GB18030 (binary data?)"
                            .to_string(),
                    ))
                }
            }
        };
    if text.trim().is_empty() {
        return Err(DecodeError::Empty);
    }
    // GB18030 accepts most byte soup; real text has almost no control characters.
    // Counted on the bytes: a control character is an ASCII one (below 0x20, or 0x7F) or
    // U+0080..U+009F (`C2 80`..`C2 9F`); a pass over the chars cost 1% of a text report.
    // Each byte with the next (zero after the last), on `&` and `|` with no branch.
    let b = text.as_bytes();
    let control = |x: u8, n: u8| {
        ((x < 0x20) & (x != b'\t') & (x != b'\n') & (x != b'\r') & (x != 0x0c))
            | (x == 0x7f)
            | ((x == 0xc2) & (n.wrapping_sub(0x80) < 0x20))
    };
    // Most texts have none: a block scan says so, and only a text with one is counted.
    let control_at = |b: &[u8], i: usize| control(b[i], b.get(i + 1).copied().unwrap_or(0));
    let controls = if crate::text::any_window(b, |x, n, _| control(x, n), control_at) {
        (0..b.len()).filter(|&i| control_at(b, i)).count()
    } else {
        0
    };
    if controls > 0 && controls * 200 > text.chars().count().max(1) {
        return Err(DecodeError::NotText(format!(
            "it holds {controls} control characters, so it looks like binary data, not text"
        )));
    }
    Ok((text, encoding))
}

/// Reads decoded line-per-paragraph text into a document (layout text goes to
/// [`super::layout::parse`]; [`super::parse_text`] decides which).
pub fn parse(text: &str, format: Format, encoding: Option<&'static str>) -> Document {
    let lines = split_lines(text);
    let pending = group_lines(&lines);
    let texts: Vec<Option<&str>> = pending
        .iter()
        .map(|p| match &p.body {
            Body::Line(t) => Some(t.as_str()),
            Body::Table(_) => None,
        })
        .collect();
    let heading = super::lines::heading_labels(&texts);
    let blocks = pending
        .into_iter()
        .zip(heading)
        .enumerate()
        .map(|(i, (p, heading))| {
            let loc = Loc {
                block: i,
                line: Some(p.line),
                page: None,
            };
            let kind = match p.body {
                Body::Table(t) => BlockKind::Table(t),
                Body::Line(text) => match heading {
                    Some(label) => BlockKind::Heading(Heading {
                        text,
                        label,
                        outline_level: None,
                    }),
                    None => BlockKind::Paragraph(Paragraph { text }),
                },
            };
            Block { kind, loc }
        })
        .collect();
    Document {
        image_tables: 0,
        format,
        encoding,
        blocks,
    }
}

/// One source line after marker stripping.
struct Line<'a> {
    number: u32,
    text: std::borrow::Cow<'a, str>,
    /// The line held a bookmark marker and nothing else: an empty paragraph.
    marker_only: bool,
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    for (number, part) in super::lines::split_lines(text) {
        let stripped = strip_bookmarks(part);
        // A line with no marker (borrowed as it is) is not a marker-only line: asked without
        // trimming it twice.
        let marker_only = matches!(stripped, std::borrow::Cow::Owned(_))
            && stripped.trim().is_empty()
            && !part.trim().is_empty();
        out.push(Line {
            number,
            text: stripped,
            marker_only,
        });
    }
    let first = out.first_mut();
    if let Some(first) = first {
        if let Some(rest) = first.text.strip_prefix('\u{feff}') {
            first.text = rest.to_owned().into();
        }
    }
    out
}

enum Body {
    Line(String),
    Table(Table),
}

struct Pending {
    line: u32,
    body: Body,
}

fn is_blank(line: &Line) -> bool {
    line.text.trim().is_empty()
}

fn group_lines(lines: &[Line]) -> Vec<Pending> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if line.text.starts_with('\t') {
            let (table, next) = read_table(lines, i);
            out.push(Pending {
                line: line.number,
                body: Body::Table(table),
            });
            i = next;
        } else if is_tab_row(line) && lines.get(i + 1).is_some_and(continues_tab_rows) {
            // Rows of TAB-separated cells, one per line (a sheet pasted as text).
            let mut table = Table::default();
            let start = line.number;
            while let Some(row) = lines.get(i).filter(|l| continues_tab_rows(l)) {
                table.rows.push(Row {
                    cells: row
                        .text
                        .split('\t')
                        .map(|c| Some(Cell::new(collapse_spaces(c.trim()))))
                        .collect(),
                    line: Some(row.number),
                    page: None,
                    // Every cell is written, empty ones included: the columns are certain.
                    aligned: true,
                });
                i += 1;
            }
            let width = table.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
            for r in &mut table.rows {
                r.cells.resize(width, Some(Cell::new("")));
            }
            out.push(Pending {
                line: start,
                body: Body::Table(table),
            });
        } else if is_blank(line) {
            i += 1;
        } else {
            out.push(Pending {
                line: line.number,
                body: Body::Line(collapse_spaces(&line.text)),
            });
            i += 1;
        }
    }
    out
}

/// A line of TAB-separated cells that does not start with a TAB (those are the cell-per-line
/// tables of [`read_table`]).
fn is_tab_row(line: &Line) -> bool {
    // Asked of every line: the SIMD `memchr`, not std's word-at-a-time search.
    !line.text.starts_with('\t') && memchr::memchr(b'\t', line.text.trim_end().as_bytes()).is_some()
}

/// A row of a sheet pasted as text after its first: a TAB row, or one whose first cell is
/// empty (`\t合计\t3,000.00\t…`), which a cell-per-line table's line, one cell after its
/// TAB, is not.
fn continues_tab_rows(line: &Line) -> bool {
    is_tab_row(line) || (line.text.starts_with('\t') && line.text.trim_end().matches('\t').count() >= 2)
}

/// Reads the table starting at `start`; returns it and the index of the first line after it.
fn read_table(lines: &[Line], start: usize) -> (Table, usize) {
    let mut table = Table::default();
    // Cells of the row being read, each as its lines.
    let mut row: Vec<Vec<&str>> = Vec::new();
    let mut row_line = lines[start].number;
    let mut blanks = 0;
    let mut i = start;
    let finish = |table: &mut Table, row: &mut Vec<Vec<&str>>, line: u32| {
        if !row.is_empty() {
            table.rows.push(Row {
                cells: row
                    .drain(..)
                    .map(|parts| Some(Cell::new(join_lines(parts))))
                    .collect(),
                line: Some(line),
                page: None,
                aligned: false,
            });
        }
    };
    while i < lines.len() {
        let line = &lines[i];
        if line.text.starts_with('\t') {
            if blanks > 0 {
                finish(&mut table, &mut row, row_line);
                row_line = line.number;
            }
            blanks = 0;
            // Every TAB starts a cell; a lone TAB is an empty one.
            for cell in line.text.split('\t').skip(1) {
                row.push(vec![cell]);
            }
        } else if line.marker_only {
            break;
        } else if is_blank(line) {
            blanks += 1;
            if blanks >= 3 {
                break;
            }
        } else if blanks > 0 {
            // Text after a blank line is the paragraph following the table.
            break;
        } else if let Some(cell) = row.last_mut() {
            cell.push(&line.text);
        }
        i += 1;
    }
    finish(&mut table, &mut row, row_line);
    (table, i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<String> {
        parse(text, Format::Text, Some("utf-8"))
            .blocks
            .iter()
            .map(|b| b.summary(true))
            .collect()
    }

    /// Control characters are counted on the bytes: the ASCII ones and U+0080..U+009F, never
    /// TAB, line ends or form feeds, and never a character whose UTF-8 merely holds such a
    /// byte (`退` is `E9 80 80`).
    #[test]
    fn binary_looking_text_is_refused_by_its_control_characters() {
        let text = "部门决算退回".repeat(40);
        assert!(decode(format!("{text}\t\r\n\x0c").as_bytes()).is_ok());
        let c1 = format!("{text}{}", "\u{85}".repeat(2));
        assert!(matches!(decode(c1.as_bytes()), Err(DecodeError::NotText(m)) if m.contains("2 control")));
        let ascii = format!("{text}\x01\x7f");
        assert!(matches!(decode(ascii.as_bytes()), Err(DecodeError::NotText(m)) if m.contains("2 control")));
        // At the start and in the middle (the scan goes by blocks, then the tail).
        let spread = format!("\x01{}\u{85}{}", &text[..300], &text[300..]);
        assert!(matches!(decode(spread.as_bytes()), Err(DecodeError::NotText(m)) if m.contains("2 control")));
        // One in 240 characters is below the one-in-200 threshold.
        assert!(decode(format!("{text}\x01").as_bytes()).is_ok());
    }

    #[test]
    fn tables_of_tab_started_cells() {
        let text = "前文\n\n\t项目名称\n\t经费\n\n\t项目预算\n执行情况\n（万元）\n\t预算数：\n\t\n\n\n\t第二行\n\n\n\n\t新表\n\n后文\n";
        assert_eq!(
            kinds(text),
            vec![
                "P:前文",
                "T:项目名称|经费 / 项目预算执行情况（万元）|预算数：| / 第二行",
                "T:新表",
                "P:后文"
            ]
        );
    }

    /// A sheet pasted as text whose total row starts with an empty cell stays one table.
    #[test]
    fn tab_rows_with_an_empty_first_cell() {
        let doc = parse(
            "表\n科目编码\t科目名称\t合计\n\t合计\t3,000.00\n205\t教育支出\t2,400.00\n后文\n",
            Format::Text,
            Some("utf-8"),
        );
        let tables: Vec<&Table> = doc
            .blocks
            .iter()
            .filter_map(|b| match &b.kind {
                BlockKind::Table(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(tables.len(), 1);
        let texts: Vec<Vec<String>> = tables[0]
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.as_ref().unwrap().text.clone()).collect())
            .collect();
        assert_eq!(
            texts,
            [
                ["科目编码", "科目名称", "合计"],
                ["", "合计", "3,000.00"],
                ["205", "教育支出", "2,400.00"]
            ]
        );
    }

    #[test]
    fn a_marker_only_line_separates_tables() {
        let text = "\tA\n\n\n[bookmark: _Toc1]\n\tB\n";
        assert_eq!(kinds(text), vec!["T:A", "T:B"]);
    }

    #[test]
    fn numbered_lists_of_sentences_are_not_headings() {
        let text = "（一）主要职能。\n1.贯彻执行党和国家的各项法律、法规，依法管理基层公共事务。\n2.负责辖区经济、文化，促进社会事业发展。\n3.完成区委、区政府交办的其他工作。\n（二）2021年重点工作完成情况。\n";
        assert_eq!(
            kinds(text),
            vec![
                "H（一）:（一）主要职能。",
                "P:1.贯彻执行党和国家的各项法律、法规，依法管理基层公共事务。",
                "P:2.负责辖区经济、文化，促进社会事业发展。",
                "P:3.完成区委、区政府交办的其他工作。",
                "H（二）:（二）2021年重点工作完成情况。",
            ]
        );
    }

    #[test]
    fn crlf_cr_and_bom() {
        let text = "\u{feff}第一部分 概况\r\n正文\r二、机构设置\r\n";
        assert_eq!(
            kinds(text),
            vec!["H第一部分:第一部分 概况", "P:正文", "H二、:二、机构设置"]
        );
        let doc = parse(text, Format::Text, None);
        assert_eq!(doc.blocks[2].loc.line, Some(3));
    }

    #[test]
    fn decoding() {
        assert_eq!(decode(b"  \n\t"), Err(DecodeError::Empty));
        assert!(matches!(
            decode(&[0xff, 0xfe, 0x00, 0xd8]),
            Err(DecodeError::NotText(_))
        ));
        let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        assert!(matches!(decode(&garbage), Err(DecodeError::NotText(_))));
        let (utf16, _, _) = encoding_rs::UTF_16LE.encode("部门");
        // encoding_rs encodes UTF-16 as UTF-8, so build the bytes by hand.
        assert_eq!(utf16, "部门".as_bytes());
        let mut le = vec![0xff, 0xfe];
        le.extend("部门决算".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode(&le).unwrap(), ("部门决算".to_string(), "utf-16le"));
    }

    #[test]
    fn utf8_cut_mid_character_keeps_its_text() {
        let mut bytes = "部门决算".as_bytes().to_vec();
        bytes.extend_from_slice(&"说".as_bytes()[..2]);
        assert_eq!(decode(&bytes).unwrap(), ("部门决算".to_string(), "utf-8"));
    }
}
