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

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Block, BlockKind, Cell, Document, Format, Heading, Loc, Paragraph, Row, Table};
use crate::numbering;
use crate::text::{compact, is_cjk, join_lines};

/// Whether decoded text is layout text rather than line-per-paragraph text: it has form feeds,
/// or many lines hold wide runs of spaces between words.
pub fn is_layout(text: &str) -> bool {
    if text.contains('\x0c') {
        return true;
    }
    let mut lines = 0;
    let mut gappy = 0;
    for l in text.lines().filter(|l| !l.trim().is_empty()) {
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

/// Display width: CJK and full-width characters take two columns.
fn width(s: &str) -> usize {
    s.chars().map(|c| if is_cjk(c) { 2 } else { 1 }).sum()
}

/// A run of three or more spaces between two words.
fn has_gap(line: &str) -> bool {
    line.trim().contains("   ")
}

/// A source line of a page.
#[derive(Debug, Clone)]
struct Line {
    number: u32,
    text: String,
    /// The first line of a page.
    page_start: bool,
}

/// Reads layout text into a document.
pub fn parse(text: &str, format: Format, encoding: Option<&'static str>) -> Document {
    let pages = split_pages(text);
    let pages = drop_furniture(pages);
    let (lines, contents_end) = drop_contents(pages.into_iter().flatten().collect());
    // The cover (the first page, or what precedes the table of contents) holds titles that are
    // no sections.
    let body_from = contents_end.unwrap_or_else(|| {
        (1..lines.len())
            .find(|&i| lines[i].page_start)
            .unwrap_or(lines.len())
    });
    let body = body_width(&lines);
    let mut pending: Vec<(u32, Piece)> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if is_blank(&lines[i]) {
            i += 1;
            continue;
        }
        if starts_table(&lines[i].text) {
            let (table, next) = read_table(&lines, i, body);
            if let Some(table) = table {
                pending.push((lines[i].number, Piece::Table(table)));
                i = next;
                continue;
            }
        }
        let (text, next) = read_paragraph(&lines, i, body);
        let title = i >= body_from && is_centred_title(&lines, i, next, &text);
        pending.push((lines[i].number, Piece::Text(text, title)));
        i = next;
    }
    let texts: Vec<Option<&str>> = pending
        .iter()
        .map(|(_, p)| match p {
            Piece::Text(t, _) => Some(t.as_str()),
            Piece::Table(_) => None,
        })
        .collect();
    let labels = super::text::heading_labels(&texts);
    let blocks = pending
        .into_iter()
        .zip(labels)
        .enumerate()
        .map(|(i, ((line, piece), heading))| {
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
                },
            }
        })
        .collect();
    Document {
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

/// A title set in the middle of the line with no number, as budget reports head their parts
/// (`上海市普陀区人民政府办公室主要职能`, `2025年部门预算编制说明`), followed by prose: not a table
/// caption (`…预算表`), a unit line, a total (`合计`), a bracketed editing note
/// (`（如持平作持平表述）`), nor a column header left above a table.
fn is_centred_title(lines: &[Line], start: usize, next: usize, text: &str) -> bool {
    let indent = |l: &Line| l.text.len() - l.text.trim_start().len();
    let following = lines[next..].iter().find(|l| !is_blank(l));
    indent(&lines[start]) >= 8
        && !has_gap(&lines[start].text)
        && !text.starts_with(['（', '('])
        && text.chars().count() >= 4
        && numbering::split_label(text).is_none()
        && numbering::looks_like_title(text)
        && !text.trim_end_matches("（续）").ends_with('表')
        && !text.contains("单位")
        && following.is_none_or(|l| indent(l) < 8 && !starts_table(&l.text))
}

fn is_blank(l: &Line) -> bool {
    l.text.trim().is_empty()
}

fn split_pages(text: &str) -> Vec<Vec<Line>> {
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    for (n, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let has_ff = raw.contains('\x0c');
        for (k, part) in raw.split('\x0c').enumerate() {
            if k > 0 {
                pages.push(Vec::new());
            }
            // The empty remainders around a form feed are no lines of their own.
            if has_ff && part.trim().is_empty() {
                continue;
            }
            pages.last_mut().unwrap().push(Line {
                number: n as u32 + 1,
                text: part.trim_end().to_string(),
                page_start: false,
            });
        }
    }
    pages.retain(|p| p.iter().any(|l| !is_blank(l)));
    for p in &mut pages {
        if let Some(first) = p.iter_mut().find(|l| !l.text.trim().is_empty()) {
            first.page_start = true;
        }
    }
    pages
}

/// `- 3 -`, `3`, `第 3 页`, `第3页 共12页`, `3/12`.
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-—–]?\s*\d{1,4}\s*[-—–]?|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")
        .unwrap()
});

/// Drops page numbers and running headers/footers: a first or last line of a page that
/// recurs on at least three pages and 40% of them. Unit lines (`单位：万元`) recur too but
/// belong to tables, and are kept.
fn drop_furniture(mut pages: Vec<Vec<Line>>) -> Vec<Vec<Line>> {
    let edges = |p: &Vec<Line>| -> Vec<usize> {
        let idx: Vec<usize> = (0..p.len()).filter(|&i| !is_blank(&p[i])).collect();
        let mut e = Vec::new();
        e.extend(idx.first());
        e.extend(idx.last().filter(|&&l| Some(&l) != idx.first()));
        e
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    for p in &pages {
        for i in edges(p) {
            *counts.entry(furniture_key(&p[i].text)).or_default() += 1;
        }
    }
    let n = pages.len();
    for p in &mut pages {
        let mut drop = Vec::new();
        for i in edges(p) {
            let t = p[i].text.trim();
            let repeated = counts[&furniture_key(t)];
            if PAGE_NUMBER.is_match(t)
                || (repeated >= 3
                    && repeated * 5 >= n * 2
                    && !t.contains("单位")
                    && !t.contains("合计"))
            {
                drop.push(i);
            }
        }
        for i in drop.into_iter().rev() {
            let was_start = p[i].page_start;
            p.remove(i);
            if was_start {
                if let Some(next) = p.iter_mut().find(|l| !l.text.trim().is_empty()) {
                    next.page_start = true;
                }
            }
        }
    }
    pages
}

/// Running headers often carry the page number; compare them without digits.
fn furniture_key(s: &str) -> String {
    compact(s).chars().filter(|c| !c.is_ascii_digit()).collect()
}

/// A table-of-contents entry's leader dots and page number: `一、部门主要职能 ……… 3`.
static LEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:[…⋯]{2,}|[.．·•。\-]{5,})\s*\d*\s*$").unwrap());

/// Drops the table of contents: lines with leaders, and after a `目录` line, the numbered
/// entries that follow until the first of them recurs as the real heading or a line that is
/// no entry (a sentence, an unnumbered title).
fn drop_contents(lines: Vec<Line>) -> (Vec<Line>, Option<usize>) {
    let mut out = Vec::with_capacity(lines.len());
    let mut contents_end = None;
    let mut in_toc = false;
    // The first entry, by text and by label: the TOC ends where it recurs as the real heading
    // (`第一部分` again, even written `第1部分`).
    let mut first_entry: Option<(String, Option<(numbering::Style, u32)>)> = None;
    for l in lines {
        let t = l.text.trim();
        if LEADER.is_match(t) {
            continue;
        }
        if compact(t) == "目录" {
            in_toc = true;
            first_entry = None;
            continue;
        }
        if in_toc {
            if t.is_empty() {
                continue;
            }
            let c = compact(t);
            let label = numbering::split_label(t);
            let is_entry = label
                .as_ref()
                .is_some_and(|lab| numbering::looks_like_title(lab.rest));
            let part = label
                .filter(|lab| lab.style == numbering::Style::Part)
                .map(|lab| (lab.style, lab.ordinal));
            match &first_entry {
                None if is_entry => {
                    first_entry = Some((c, part));
                    continue;
                }
                Some((text, first_part))
                    if is_entry && *text != c && (part.is_none() || part != *first_part) =>
                {
                    continue
                }
                _ => {
                    in_toc = false;
                    contents_end = Some(out.len());
                }
            }
        }
        out.push(l);
    }
    (out, contents_end)
}

/// The width of a full line of body text: lines this wide were wrapped by the layout.
fn body_width(lines: &[Line]) -> usize {
    let mut widths: Vec<usize> = lines
        .iter()
        .filter(|l| !has_gap(&l.text) && !is_blank(l))
        .map(|l| width(&l.text))
        .collect();
    widths.sort_unstable();
    widths
        .get(widths.len() * 9 / 10)
        .copied()
        .unwrap_or(80)
        .max(20)
}

/// Sentence-final punctuation: a line ending in it ends its paragraph.
fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['。', '！', '？', '!', '?'])
}

/// Reads a paragraph starting at `start`. A following line joins it when the previous line
/// was wrapped at the margin (nearly full width, not a centred title) and the next one is not
/// indented as a new paragraph, or when the next is a short tail such as `说明`; never when the
/// next line starts a numbered item. A sentence end at the margin does not end the paragraph
/// when the next line continues at the left edge.
///
/// pdftotext sometimes sets a paragraph's lines apart with blank lines
/// (`…财政委托业务支出（项）。主要用于：` / blank / `449.52万元。决算数…`): a paragraph that
/// stops mid-sentence (a colon, or a wrapped line without a full stop) continues past blank
/// lines into an unindented line.
fn read_paragraph(lines: &[Line], start: usize, body: usize) -> (String, usize) {
    let indent = |l: &Line| l.text.len() - l.text.trim_start().len();
    let mut parts = vec![lines[start].text.as_str()];
    let mut i = start + 1;
    while i < lines.len() {
        let prev = &lines[i - 1];
        // The next non-blank line, and whether blank lines came first.
        let mut j = i;
        while j < lines.len() && is_blank(&lines[j]) {
            j += 1;
        }
        if j == lines.len() {
            break;
        }
        let next = &lines[j];
        let t = next.text.trim();
        if starts_table(&next.text) || numbering::split_label(t).is_some() {
            break;
        }
        let centred = indent(prev) >= 8;
        let wrapped = !centred && width(&prev.text) * 10 >= body * 8;
        let continues = indent(next) < 2;
        let join = if j > i {
            let open = prev.text.trim_end().ends_with(['：', ':'])
                || (wrapped && !ends_sentence(&prev.text));
            open && continues && !next.page_start
        } else {
            let tail = width(t) <= 8
                && !t.contains(['，', '。', '：', '；'])
                && numbering::looks_like_title(&format!("{}{t}", prev.text.trim()));
            (wrapped && (!ends_sentence(&prev.text) || continues))
                || (tail && !ends_sentence(&prev.text))
        };
        if !join {
            break;
        }
        parts.push(&next.text);
        i = j + 1;
    }
    (join_lines(parts), i)
}

/// A money amount as tables print it: `2,940.05`, `91,016,775.35`, `0.94`, `-3.00`, `0`.
static AMOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$").unwrap());

/// A template's placeholder for a number: `XX`, `XX.XX`, `××`.
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[XＸ×xX]{1,4}(?:\.[XＸ×x]{1,4})?%?$").unwrap());

/// A code row: `201   06   01   行政运行   1,511.90`, `2010601 行政运行`, `201 一般公共服务支出`.
static CODE_ROW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s{0,3}(?:\d{3}(?:\s+\d{2}){0,2}|\d{5}|\d{7})(?:\s|$)").unwrap()
});

/// A word of a line with its character span.
#[derive(Debug, Clone)]
struct Seg {
    start: usize,
    end: usize,
    text: String,
    numeric: bool,
}

/// Splits a line into segments: words separated by two or more spaces, and amounts separated
/// by any space (`82,096,797.42 82,096,797.42` are two values).
fn segments(line: &str) -> Vec<Seg> {
    let chars: Vec<char> = line.chars().collect();
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            i += 1;
            continue;
        }
        let s = i;
        while i < chars.len() && chars[i] != ' ' {
            i += 1;
        }
        words.push((s, i));
    }
    let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let mut out: Vec<Seg> = Vec::new();
    for (s, e) in words {
        let t = text(s, e);
        let numeric = AMOUNT.is_match(&t);
        if let Some(last) = out.last_mut() {
            if !numeric && !last.numeric && s - last.end == 1 {
                last.text.push(' ');
                last.text.push_str(&t);
                last.end = e;
                continue;
            }
        }
        out.push(Seg {
            start: s,
            end: e,
            text: t,
            numeric,
        });
    }
    // A template's `XX` standing alone where an amount goes is a value cell too; inside text
    // (`上海市 XX 局`) it was merged above.
    for seg in &mut out {
        if PLACEHOLDER.is_match(&seg.text) {
            seg.numeric = true;
        }
    }
    out
}

/// A segment split at every space, each word with its own span.
fn words(s: &Seg) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut pos = s.start;
    for w in s.text.split(' ') {
        let len = w.chars().count();
        if len > 0 {
            out.push(Seg {
                start: pos,
                end: pos + len,
                text: w.to_string(),
                numeric: s.numeric,
            });
        }
        pos += len + 1;
    }
    out
}

/// Whether a line begins a table: a code row, or aligned columns that are not a heading
/// (`第一部分    上海市普陀区财政局概况` is gappy too) nor a caption line with a unit.
fn starts_table(line: &str) -> bool {
    if CODE_ROW.is_match(line) && segments(line).len() >= 2 {
        return true;
    }
    if !has_gap(line) || line.contains("单位：") || line.contains("单位:") {
        return false;
    }
    // `第三部分      上海市 XX 局 2024 年度部门决算情况说明`: parts are headings, whatever
    // their spacing.
    if numbering::split_label(line.trim()).is_some_and(|l| l.style == numbering::Style::Part) {
        return false;
    }
    let segs = segments(line);
    if segs.len() < 2 {
        return false;
    }
    // `第一部分    上海市普陀区财政局概况`: a heading whose label is set apart by spaces.
    let label_apart = numbering::split_label(line.trim()).is_some_and(|l| l.text == segs[0].text);
    !(segs.len() == 2 && label_apart && !segs[1].numeric)
}

/// Whether a line inside a table ends it: a long line of prose, or a heading at the margin.
fn ends_table(line: &str, body: usize) -> bool {
    let t = line.trim();
    if starts_table(line) {
        return false;
    }
    let indent = line.len() - line.trim_start().len();
    let heading = indent <= 4
        && numbering::split_label(t).is_some_and(|l| numbering::looks_like_title(l.rest));
    heading || width(t) * 10 > body * 6 || t.starts_with("注：") || t.starts_with("注:")
}

/// Whether the line at `i` is a table caption: it ends in 表, or a unit line follows within
/// three lines.
fn starts_caption(lines: &[Line], i: usize) -> bool {
    lines[i].text.trim().ends_with('表')
        || lines[i + 1..]
            .iter()
            .filter(|l| !is_blank(l))
            .take(2)
            .any(|l| l.text.contains("单位：") || l.text.contains("单位:"))
}

/// A line of a table region, segmented.
struct TLine {
    number: u32,
    /// The first line of a new page.
    page_start: bool,
    segs: Vec<Seg>,
    /// Blank lines directly above it.
    gap_before: bool,
    data: bool,
}

/// Reads the table region starting at `start`. Returns `None` when the region holds no data
/// row (no amount, no code), so its lines are read as text instead.
fn read_table(lines: &[Line], start: usize, body: usize) -> (Option<Table>, usize) {
    let mut region: Vec<TLine> = Vec::new();
    let mut row_styles: Vec<numbering::Style> = Vec::new();
    let mut i = start;
    let mut blanks = 0;
    while i < lines.len() {
        let l = &lines[i];
        if is_blank(l) {
            blanks += 1;
            i += 1;
            if blanks >= 4 {
                break;
            }
            continue;
        }
        // A numbered line at the margin is a heading, unless the table's own rows are
        // numbered that way (`一、一般公共预算财政拨款` / `二、政府性基金预算财政拨`).
        let row_label = numbering::split_label(l.text.trim())
            .is_some_and(|lab| row_styles.contains(&lab.style));
        if i > start && !row_label && ends_table(&l.text, body) {
            break;
        }
        // A part title after the table (`其他相关情况说明` below the 三公 table).
        if i > start && is_centred_title(lines, i, i + 1, l.text.trim()) {
            break;
        }
        // A new page continues the table unless it starts a new one (a caption ending in
        // 表, a unit line just below).
        if l.page_start && i > start && !starts_table(&l.text) && starts_caption(lines, i) {
            break;
        }
        if let Some(lab) = numbering::split_label(l.text.trim()) {
            row_styles.push(lab.style);
        }
        let segs = segments(&l.text);
        let data = segs.iter().any(|s| s.numeric) || CODE_ROW.is_match(&l.text);
        region.push(TLine {
            number: l.number,
            page_start: l.page_start && i > start,
            segs,
            gap_before: blanks > 0,
            data,
        });
        blanks = 0;
        i += 1;
    }
    // Do not swallow the blank lines after the table.
    while i > start && is_blank(&lines[i - 1]) {
        i -= 1;
    }
    let multi = region.iter().filter(|l| l.segs.len() >= 2).count();
    let data = region.iter().filter(|l| l.data).count();
    if data == 0 && multi < 3 {
        return (None, start);
    }
    // A table of text (a template's empty form, a performance table) is laid out by all its
    // lines, not by its few amounts: every line is a row.
    if data * 3 < multi {
        for l in &mut region {
            l.data = !l.segs.is_empty();
        }
    }
    (Some(build_grid(region)), i)
}

/// A column: where its values sit.
#[derive(Debug, Clone)]
struct Column {
    numeric: bool,
    /// Anchor: the left edge for text, the right edge for amounts (they are right-aligned).
    anchor: usize,
    start: usize,
    end: usize,
}

/// Tolerance, in characters, for values of one column to wander (layout jitter).
const JITTER: usize = 4;

/// How many leading segments of a data row are code parts (`201`, `06`, `01`; `2010601`).
fn code_parts(l: &TLine) -> usize {
    if !l.data {
        return 0;
    }
    l.segs
        .iter()
        .take(3)
        .take_while(|s| {
            s.text.chars().all(|c| c.is_ascii_digit()) && matches!(s.text.len(), 2 | 3 | 5 | 7)
        })
        .count()
}

/// Whether a segment of a line is an amount (and not a code part).
fn is_amount(l: &TLine, k: usize) -> bool {
    l.segs[k].numeric && k >= code_parts(l)
}

/// Columns of a set of data rows: amounts clustered by right edge, text by left edge.
fn columns_of<'a>(rows: impl Iterator<Item = &'a TLine>) -> Vec<Column> {
    let mut cols: Vec<Column> = Vec::new();
    for l in rows.filter(|l| l.data) {
        for (k, s) in l.segs.iter().enumerate() {
            let numeric = is_amount(l, k);
            let anchor = if numeric { s.end } else { s.start };
            match cols
                .iter_mut()
                .find(|c| c.numeric == numeric && c.anchor.abs_diff(anchor) <= JITTER)
            {
                Some(c) => {
                    c.start = c.start.min(s.start);
                    c.end = c.end.max(s.end);
                }
                None => cols.push(Column {
                    numeric,
                    anchor,
                    start: s.start,
                    end: s.end,
                }),
            }
        }
    }
    // Order by where a column begins: a text column by its left edge (its long texts may run
    // far right), an amount column by its leftmost value.
    cols.sort_by_key(|c| if c.numeric { c.start } else { c.anchor });
    cols
}

/// The column a segment belongs to.
fn place(cols: &[Column], s: &Seg, numeric: bool) -> usize {
    let dist = |c: &Column| -> usize {
        if c.numeric == numeric {
            let a = if numeric { s.end } else { s.start };
            c.anchor.abs_diff(a)
        } else if overlap_len(c, s) > 0 {
            JITTER + 1
        } else {
            usize::MAX / 2
        }
    };
    (0..cols.len()).min_by_key(|&k| dist(&cols[k])).unwrap_or(0)
}

/// Values printed a little above their row end up on a line of their own
/// (`1,503.52   603.14` above `201   一般公共服务支出   2,106.66`): such amount-only lines are
/// merged into the code row right below them, or with each other.
fn merge_floating_values(region: Vec<TLine>) -> Vec<TLine> {
    let amounts_only = |l: &TLine| {
        l.data && !l.segs.is_empty() && l.segs.iter().all(|s| s.numeric) && code_parts(l) == 0
    };
    let mut out: Vec<TLine> = Vec::with_capacity(region.len());
    let mut floating: Option<TLine> = None;
    for mut l in region {
        if let Some(f) = floating.take() {
            let fits = !l.gap_before
                && !l.page_start
                && l.data
                && f.segs
                    .iter()
                    .all(|a| l.segs.iter().all(|b| a.end <= b.start || b.end <= a.start));
            if fits && (code_parts(&l) > 0 || amounts_only(&l)) {
                l.segs.extend(f.segs);
                l.segs.sort_by_key(|s| s.start);
                l.number = f.number;
                l.gap_before = f.gap_before;
            } else {
                out.push(f);
            }
        }
        if amounts_only(&l) {
            floating = Some(l);
        } else {
            out.push(l);
        }
    }
    out.extend(floating);
    out
}

fn build_grid(region: Vec<TLine>) -> Table {
    let region = merge_floating_values(region);
    let first_data = region.iter().position(|l| l.data).unwrap_or(0);
    // A table continued on a new page is laid out anew; each page's part gets its own
    // columns, mapped onto the first part's by rank.
    let mut chunks: Vec<&[TLine]> = Vec::new();
    let mut from = first_data;
    for i in first_data + 1..=region.len() {
        if i == region.len() || region[i].page_start {
            chunks.push(&region[from..i]);
            from = i;
        }
    }
    let mut cols = columns_of(chunks.first().map_or(&[][..], |c| *c).iter());
    // Header segments far from every column make columns of their own (a column whose cells
    // all vanished still has its header).
    // Header words are split at single spaces too: `基本支出 项目支出` are two columns' headers.
    let header: Vec<Vec<Seg>> = region[..first_data]
        .iter()
        .map(|l| l.segs.iter().flat_map(words).collect())
        .collect();
    for l in &header {
        for s in l {
            let near = |c: &Column| {
                overlap_len(c, s) > 0
                    || c.start.abs_diff(s.end) <= 1
                    || s.start.abs_diff(c.end) <= 1
            };
            if !cols.iter().any(near) {
                cols.push(Column {
                    numeric: false,
                    anchor: s.start,
                    start: s.start,
                    end: s.end,
                });
                cols.sort_by_key(|c| (c.start + c.end) / 2);
            }
        }
    }
    if cols.is_empty() {
        // Nothing to align on: one column holding each line's text.
        cols.push(Column {
            numeric: false,
            anchor: 0,
            start: 0,
            end: usize::MAX / 4,
        });
    }
    let n = cols.len();
    let mut rows: Vec<Row> = Vec::new();
    let make_row = |cells: Vec<Vec<String>>, line: u32, aligned: bool| Row {
        cells: cells
            .into_iter()
            .map(|parts| Some(Cell::new(join_lines(parts.iter().map(String::as_str)))))
            .collect(),
        line: Some(line),
        aligned,
    };
    if first_data > 0 {
        let mut cells = vec![Vec::new(); n];
        // Headers are centred over their column.
        let centre = |a: usize, b: usize| a + b;
        for l in &header {
            let mut taken: Vec<usize> = Vec::with_capacity(l.len());
            for s in l {
                let mut k = (0..n)
                    .min_by_key(|&k| {
                        centre(cols[k].start, cols[k].end).abs_diff(centre(s.start, s.end))
                    })
                    .unwrap_or(0);
                // Two words of one line in one column (`基本支出 项目支出` set a space apart):
                // the right-hand word belongs to the next column when that one has none.
                if taken.last() == Some(&k) && k + 1 < n && !taken.contains(&(k + 1)) {
                    k += 1;
                }
                taken.push(k);
                cells[k].push(s.text.clone());
            }
        }
        rows.push(make_row(cells, region[0].number, true));
    }
    let name_col = chunks.first().and_then(|chunk| {
        chunk.iter().filter(|l| l.data).find_map(|l| {
            let codes = code_parts(l);
            (codes > 0)
                .then(|| {
                    l.segs
                        .get(codes)
                        .filter(|s| !s.numeric)
                        .map(|s| place(&cols, s, false))
                })
                .flatten()
        })
    });
    for (c, chunk) in chunks.iter().enumerate() {
        // This part's columns and their index among the first part's.
        let (local, map, aligned) = if c == 0 || columns_of(chunk.iter()).is_empty() {
            (cols.clone(), (0..n).collect::<Vec<_>>(), c == 0)
        } else {
            let local = columns_of(chunk.iter());
            let rank = |cs: &[Column], numeric: bool| -> Vec<usize> {
                (0..cs.len())
                    .filter(|&k| cs[k].numeric == numeric)
                    .collect()
            };
            let (gt, gn) = (rank(&cols, false), rank(&cols, true));
            let (lt, ln) = (rank(&local, false), rank(&local, true));
            let mut map = vec![0; local.len()];
            for (i, &k) in lt.iter().enumerate() {
                map[k] = gt.get(i).or(gt.last()).copied().unwrap_or(0);
            }
            for (i, &k) in ln.iter().enumerate() {
                map[k] = gn.get(i).or(gn.last()).copied().unwrap_or(0);
            }
            let aligned = lt.len() == gt.len() && ln.len() == gn.len();
            (local, map, aligned)
        };
        read_rows(
            chunk, &local, &map, n, name_col, aligned, &mut rows, &make_row,
        );
    }
    Table { rows }
}

/// Reads the rows of one page's part of a table into `rows`, putting wrapped name fragments
/// back into their row: fragments are the top of the next code row's name when its name cell
/// is empty, else the tail of the previous code row's name when nothing separated them from
/// it and its name was empty or wrapped, else a row of their own.
#[allow(clippy::too_many_arguments)]
fn read_rows(
    chunk: &[TLine],
    local: &[Column],
    map: &[usize],
    n: usize,
    name_col: Option<usize>,
    aligned: bool,
    rows: &mut Vec<Row>,
    make_row: &dyn Fn(Vec<Vec<String>>, u32, bool) -> Row,
) {
    let mut pending: Vec<String> = Vec::new();
    let mut pending_line = 0;
    // The pending fragments follow the last row with no blank line between.
    let mut contiguous = false;
    // The last row is a code row whose name cell was empty.
    let mut last_open = false;
    let mut last_is_code = false;
    let mut out: Vec<(Vec<Vec<String>>, u32)> = Vec::new();
    let flush = |out: &mut Vec<(Vec<Vec<String>>, u32)>,
                 pending: &mut Vec<String>,
                 k: usize,
                 to_last: bool,
                 line: u32| {
        if pending.is_empty() {
            return;
        }
        if to_last {
            out.last_mut().unwrap().0[k].append(pending);
        } else {
            let mut own = vec![Vec::new(); n];
            own[k] = std::mem::take(pending);
            out.push((own, line));
        }
    };
    for l in chunk {
        let fragment = !l.data
            && l.segs.len() == 1
            && name_col.is_some_and(|k| map[place(local, &l.segs[0], false)] == k);
        if fragment {
            if pending.is_empty() {
                contiguous = !l.gap_before && last_is_code;
                pending_line = l.number;
            } else {
                contiguous &= !l.gap_before;
            }
            pending.push(l.segs[0].text.clone());
            continue;
        }
        let mut cells = vec![Vec::new(); n];
        for (k, s) in l.segs.iter().enumerate() {
            cells[map[place(local, s, is_amount(l, k))]].push(s.text.clone());
        }
        let codes = code_parts(l);
        let open = codes > 0 && name_col.is_some_and(|k| cells[k].is_empty());
        if let Some(k) = name_col {
            let to_last = contiguous && last_is_code;
            if to_last && last_open {
                flush(&mut out, &mut pending, k, true, pending_line);
            } else if open && !pending.is_empty() {
                cells[k] = std::mem::take(&mut pending);
            } else {
                flush(&mut out, &mut pending, k, to_last, pending_line);
            }
        }
        last_is_code = codes > 0;
        last_open = open;
        out.push((cells, l.number));
    }
    if let Some(k) = name_col {
        flush(
            &mut out,
            &mut pending,
            k,
            contiguous && last_is_code,
            pending_line,
        );
    }
    rows.extend(
        out.into_iter()
            .map(|(cells, line)| make_row(cells, line, aligned)),
    );
}

fn overlap_len(c: &Column, s: &Seg) -> usize {
    c.end.min(s.end).saturating_sub(c.start.max(s.start))
}

#[cfg(test)]
mod tests {
    use super::*;

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
