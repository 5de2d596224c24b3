//! Web pages (`.html`, `.htm`, `.shtml`, and a saved page of any name that is HTML): portals
//! publish the report as a page, often GBK-encoded, its 公开表 as HTML tables or as images.
//!
//! The page is parsed with html5ever (through `scraper`), so broken markup is read the way a
//! browser reads it. Scripts, styles, forms and site navigation (`<nav>`, `<header>`,
//! `<footer>`) are dropped; block elements and `<br>` end paragraphs; tables become table blocks
//! with `rowspan`/`colspan` resolved to the merged grid, like .docx. An image where a table
//! should be (its `alt`/`title` names a 表, or the paragraph before it is a table caption) is
//! counted in [`Document::image_tables`]. Headings are found as in text: by their numbering.

use std::path::Path;

use ego_tree::NodeRef;
use scraper::{Html, Node};

use crate::error::ReadError;
use crate::model::{Block, BlockKind, Cell, Document, Format, Heading, Loc, Paragraph, Row, Table};

/// The most grid positions a page's tables may have in all, and the widest span a cell may
/// claim: a `colspan="100000"` must not allocate a row of 100,000 cells.
const MAX_GRID_CELLS: usize = 5_000_000;
const MAX_SPAN: usize = 1_000;
/// Nesting deeper than this is read as plain text (no recursion past it).
const MAX_DEPTH: usize = 200;

/// Whether bytes look like an HTML page, whatever the file is called.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head: Vec<u8> = bytes
        .iter()
        .skip_while(|b| b.is_ascii_whitespace() || **b == 0xEF || **b == 0xBB || **b == 0xBF)
        .take(512)
        .map(u8::to_ascii_lowercase)
        .collect();
    head.starts_with(b"<!doctype html")
        || head.starts_with(b"<html")
        || (head.starts_with(b"<!--") || head.starts_with(b"<?xml"))
            && head.windows(5).any(|w| w == b"<html")
}

/// The page's text encoding: a BOM, else a `<meta charset>` / `content="…charset=…"` in the
/// first 4 KB, else UTF-8 when the bytes are valid UTF-8, else GB18030 (which reads GBK and
/// GB2312).
pub fn decode(bytes: &[u8]) -> (String, &'static str) {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom..]);
        return (text.into_owned(), name_of(enc));
    }
    let head: String = bytes[..bytes.len().min(4096)]
        .iter()
        .map(|b| b.to_ascii_lowercase() as char)
        .collect();
    let declared = head.find("charset").and_then(|i| {
        let rest = head[i + 7..].trim_start_matches([' ', '=', '"', '\'']);
        let label: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect();
        encoding_rs::Encoding::for_label(label.as_bytes())
    });
    let enc = match declared {
        // GBK and GB2312 pages are read as GB18030, their superset.
        Some(e) if e == encoding_rs::GBK => encoding_rs::GB18030,
        // A page declared UTF-8 that is not is usually GBK saved by an old editor.
        Some(e) if e == encoding_rs::UTF_8 && std::str::from_utf8(bytes).is_err() => {
            encoding_rs::GB18030
        }
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        None => encoding_rs::GB18030,
    };
    let (text, _) = enc.decode_without_bom_handling(bytes);
    (text.into_owned(), name_of(enc))
}

fn name_of(enc: &'static encoding_rs::Encoding) -> &'static str {
    match enc.name() {
        "UTF-8" => "utf-8",
        "UTF-16LE" => "utf-16le",
        "UTF-16BE" => "utf-16be",
        "gb18030" | "GBK" => "gb18030",
        "Big5" => "big5",
        _ => "other",
    }
}

/// Reads a web page into a document.
pub fn read_html(path: &Path, bytes: &[u8]) -> Result<Document, ReadError> {
    let (text, encoding) = decode(bytes);
    let page = Html::parse_document(&text);
    let mut w = Walker::default();
    w.node(page.tree.root(), 0);
    w.flush();
    if w.cells > MAX_GRID_CELLS {
        return Err(ReadError::TooLarge {
            path: path.to_owned(),
            what: format!("its tables have over {MAX_GRID_CELLS} grid positions"),
        });
    }
    let texts: Vec<Option<&str>> = w
        .items
        .iter()
        .map(|i| match i {
            Item::Line(t) => Some(t.as_str()),
            Item::Table(_) => None,
        })
        .collect();
    let heading = super::lines::heading_labels(&texts);
    let blocks = w
        .items
        .into_iter()
        .zip(heading)
        .enumerate()
        .map(|(i, (item, heading))| Block {
            kind: match item {
                Item::Table(t) => BlockKind::Table(t),
                Item::Line(text) => match heading {
                    Some(label) => BlockKind::Heading(Heading {
                        text,
                        label,
                        outline_level: None,
                    }),
                    None => BlockKind::Paragraph(Paragraph { text }),
                },
            },
            loc: Loc {
                block: i,
                line: None,
                page: None,
            },
        })
        .collect();
    Ok(Document {
        format: Format::Html,
        encoding: Some(encoding),
        blocks,
        image_tables: w.image_tables,
    })
}

enum Item {
    Line(String),
    Table(Table),
}

#[derive(Default)]
struct Walker {
    items: Vec<Item>,
    line: String,
    image_tables: usize,
    /// Grid positions of all tables so far.
    cells: usize,
}

/// Elements whose content is not the report.
const DROPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "nav", "header", "footer", "iframe",
    "select", "option", "button", "form", "svg", "object", "embed",
];

/// Elements that end a paragraph before and after.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "section",
    "article",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "center",
    "main",
    "body",
    "tr",
    "caption",
    "address",
    "hr",
    "figure",
    "figcaption",
];

impl Walker {
    fn flush(&mut self) {
        let text = collapse(&self.line);
        self.line.clear();
        if !text.is_empty() {
            self.items.push(Item::Line(text));
        }
    }

    fn node(&mut self, node: NodeRef<Node>, depth: usize) {
        match node.value() {
            Node::Text(t) => self.line.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if DROPPED.contains(&name) {
                    return;
                }
                if depth > MAX_DEPTH {
                    // Deeper than any real page: its text, without structure or recursion.
                    for d in node.descendants() {
                        if let Node::Text(t) = d.value() {
                            self.line.push_str(t);
                        }
                    }
                    return;
                }
                match name {
                    "br" => self.flush(),
                    "img" => {
                        let named = ["alt", "title"]
                            .iter()
                            .filter_map(|a| e.attr(a))
                            .any(|v| v.contains('表'));
                        let after_caption = self.line.trim().is_empty()
                            && matches!(self.items.last(), Some(Item::Line(t)) if is_caption(t));
                        if named || after_caption {
                            self.image_tables += 1;
                        }
                    }
                    "table" => {
                        self.flush();
                        if let Some(t) = self.table(node) {
                            self.items.push(Item::Table(t));
                        }
                    }
                    _ if BLOCKS.contains(&name) => {
                        self.flush();
                        for c in node.children() {
                            self.node(c, depth + 1);
                        }
                        self.flush();
                    }
                    _ => {
                        for c in node.children() {
                            self.node(c, depth + 1);
                        }
                    }
                }
            }
            _ => {
                for c in node.children() {
                    self.node(c, depth + 1);
                }
            }
        }
    }

    /// A `<table>` as a grid, spans resolved; `None` when it has no text (a layout table of
    /// images), whose images are still counted.
    fn table(&mut self, table: NodeRef<Node>) -> Option<Table> {
        // The rows of this table, not of tables nested in its cells.
        let mut rows: Vec<NodeRef<Node>> = Vec::new();
        let mut stack: Vec<NodeRef<Node>> = table.children().collect();
        stack.reverse();
        while let Some(n) = stack.pop() {
            let Some(e) = n.value().as_element() else {
                continue;
            };
            match e.name() {
                "tr" => rows.push(n),
                "thead" | "tbody" | "tfoot" => {
                    let mut kids: Vec<_> = n.children().collect();
                    kids.reverse();
                    stack.extend(kids);
                }
                "caption" => {
                    let text = collapse(&text_of(n));
                    if !text.is_empty() {
                        self.items.push(Item::Line(text));
                    }
                }
                _ => {}
            }
        }
        let mut grid: Vec<Vec<Option<Cell>>> = Vec::new();
        let mut taken: Vec<Vec<bool>> = Vec::new();
        let mut any_text = false;
        for (r, tr) in rows.iter().enumerate() {
            if grid.len() <= r {
                grid.push(Vec::new());
                taken.push(Vec::new());
            }
            let mut c = 0;
            for td in tr.children() {
                let Some(e) = td.value().as_element() else {
                    continue;
                };
                if !matches!(e.name(), "td" | "th") {
                    continue;
                }
                let span = |a: &str| {
                    e.attr(a)
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, MAX_SPAN)
                };
                let (col_span, row_span) = (span("colspan"), span("rowspan").min(rows.len() - r));
                while taken[r].get(c).copied().unwrap_or(false) {
                    c += 1;
                }
                for img in td.descendants() {
                    if let Some(i) = img.value().as_element() {
                        if i.name() == "img"
                            && ["alt", "title"]
                                .iter()
                                .filter_map(|a| i.attr(a))
                                .any(|v| v.contains('表'))
                        {
                            self.image_tables += 1;
                        }
                    }
                }
                let text = collapse(&text_of(td));
                any_text |= !text.is_empty();
                self.cells += col_span * row_span;
                if self.cells > MAX_GRID_CELLS {
                    return None;
                }
                for rr in r..r + row_span {
                    while grid.len() <= rr {
                        grid.push(Vec::new());
                        taken.push(Vec::new());
                    }
                    let row = &mut grid[rr];
                    let mark = &mut taken[rr];
                    if row.len() < c + col_span {
                        row.resize(c + col_span, None);
                        mark.resize(c + col_span, false);
                    }
                    mark[c..c + col_span].fill(true);
                }
                grid[r][c] = Some(Cell {
                    text,
                    col_span: col_span as u32,
                    row_span: row_span as u32,
                    nested: Vec::new(),
                });
                c += col_span;
            }
        }
        if !any_text {
            return None;
        }
        let width = grid.iter().map(Vec::len).max().unwrap_or(0);
        Some(Table {
            rows: grid
                .into_iter()
                .zip(taken)
                .map(|(mut cells, taken)| {
                    // A position no cell covers (a short row) holds an empty cell, not `None`:
                    // `None` means covered by a merged cell.
                    for (k, cell) in cells.iter_mut().enumerate() {
                        if cell.is_none() && !taken[k] {
                            *cell = Some(Cell::new(""));
                        }
                    }
                    cells.resize(width, Some(Cell::new("")));
                    Row {
                        cells,
                        line: None,
                        page: None,
                        aligned: true,
                    }
                })
                .collect(),
        })
    }
}

/// A table caption: a short line ending in 表 (`2021年一般公共预算财政拨款支出决算表`).
fn is_caption(t: &str) -> bool {
    let t = t.trim_end_matches(['：', ':', ' ']);
    t.chars().count() <= 40 && (t.ends_with('表') || t.ends_with("情况表"))
}

/// The text of a subtree, `<br>` and block ends as spaces (a cell is one line).
fn text_of(node: NodeRef<Node>) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        match d.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if e.name() == "br" || BLOCKS.contains(&e.name()) => out.push(' '),
            _ => {}
        }
    }
    out
}

/// Whitespace runs (HTML source line breaks, `&nbsp;`, full-width spaces) as one space, none
/// at the ends; none between two CJK characters, where a source line break is no space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for ch in s.chars() {
        if ch.is_whitespace() || ch == '\u{a0}' {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            let prev_cjk = out.chars().last().is_some_and(crate::text::is_cjk);
            if !(prev_cjk && crate::text::is_cjk(ch)) {
                out.push(' ');
            }
            pending_space = false;
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charset_from_meta_bom_or_bytes() {
        let gbk = encoding_rs::GBK
            .encode("<html><head><meta charset=\"gbk\"></head><body>部门决算</body></html>")
            .0;
        assert_eq!(
            decode(&gbk),
            (
                "<html><head><meta charset=\"gbk\"></head><body>部门决算</body></html>".to_string(),
                "gb18030"
            )
        );
        let undeclared = encoding_rs::GBK
            .encode("<html><body>部门决算</body></html>")
            .0;
        assert_eq!(decode(&undeclared).1, "gb18030");
        assert_eq!(decode("<html>部门决算</html>".as_bytes()).1, "utf-8");
    }

    #[test]
    fn spans_resolve_to_the_merged_grid() {
        let page = "<html><body><p>一般公共预算财政拨款支出决算表</p><table>\
            <tr><td rowspan=\"2\">科目编码</td><td colspan=\"2\">支出</td></tr>\
            <tr><td>基本</td><td>项目</td></tr>\
            <tr><td>2010301</td><td>1.00</td><td>2.00</td></tr></table>\
            <p>注：本表反映…</p><img src=\"t.png\" alt=\"政府性基金预算财政拨款收入支出决算表\"></body></html>";
        let doc = read_html(Path::new("x.html"), page.as_bytes()).unwrap();
        let BlockKind::Table(t) = &doc.blocks[1].kind else {
            panic!("{:?}", doc.blocks)
        };
        let text = |r: usize, c: usize| t.rows[r].cells[c].as_ref().map(|c| c.text.as_str());
        assert_eq!(
            (text(0, 0), text(0, 1), text(0, 2), text(1, 0), text(1, 1)),
            (Some("科目编码"), Some("支出"), None, None, Some("基本"))
        );
        assert_eq!(text(2, 2), Some("2.00"));
        assert_eq!(doc.image_tables, 1);
    }

    #[test]
    fn deep_nesting_and_huge_spans_are_bounded() {
        let deep = format!(
            "<html><body>{}部门决算{}</body></html>",
            "<div>".repeat(5_000),
            "</div>".repeat(5_000)
        );
        let doc = read_html(Path::new("x.html"), deep.as_bytes()).unwrap();
        assert!(doc.blocks.iter().any(|b| b.text() == Some("部门决算")));
        let wide = "<table><tr><td colspan=\"99999999\">a</td></tr></table>".repeat(10);
        let doc = read_html(
            Path::new("x.html"),
            format!("<html>{wide}</html>").as_bytes(),
        )
        .unwrap();
        let BlockKind::Table(t) = &doc.blocks[0].kind else {
            panic!()
        };
        assert_eq!(t.rows[0].cells.len(), MAX_SPAN);
    }
}
