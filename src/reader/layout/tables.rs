//! Tables: rows and columns rebuilt from character positions.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::paragraphs::is_centred_title;
use super::{has_gap, is_blank, width, Line};
use crate::model::{Cell, Row, Table};
use crate::numbering;
use crate::text::{join_lines, trim};

/// A money amount as tables print it: `2,940.05`, `91,016,775.35`, `0.94`, `-3.00`, `0`.
static AMOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$").unwrap());

/// A template's placeholder for a number: `XX`, `XX.XX`, `××`.
static PLACEHOLDER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[XＸ×xX]{1,4}(?:\.[XＸ×x]{1,4})?%?$").unwrap());

/// Whether a word is an [`AMOUNT`]. Every word of every layout line is asked (some 1,900 a
/// report), and most are plain ASCII numbers or Chinese words: an ASCII word is read by hand
/// (in ASCII, `\d` is `[0-9]`), and a word whose first character is neither `-` nor numeric
/// cannot match; only the rest (`１２`, other scripts' digits, for `\d` is any decimal digit)
/// ask the regex. Against the regex for every word, a layout report takes 1.5% fewer
/// instructions (callgrind, copies of a corpus report).
fn amount_word(t: &str) -> bool {
    if t.is_ascii() {
        return ascii_amount(t.as_bytes());
    }
    t.starts_with(|c: char| c == '-' || c.is_numeric()) && AMOUNT.is_match(t)
}

/// [`AMOUNT`] on ASCII: `-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`, the whole word.
fn ascii_amount(b: &[u8]) -> bool {
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let lead = digits(i);
    if lead == 0 {
        return false;
    }
    i += lead;
    if b.get(i) == Some(&b',') {
        // Thousands groups, after one to three digits.
        if lead > 3 {
            return false;
        }
        while b.get(i) == Some(&b',') && digits(i + 1) == 3 {
            i += 4;
        }
    }
    if b.get(i) == Some(&b'.') {
        let fraction = digits(i + 1);
        if fraction == 0 {
            return false;
        }
        i += 1 + fraction;
    }
    i == b.len()
}

/// Whether a word is a [`PLACEHOLDER`]: asked of the regex only when it starts like one.
fn placeholder_word(t: &str) -> bool {
    t.starts_with(['X', 'Ｘ', '×', 'x']) && PLACEHOLDER.is_match(t)
}

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
    // Each word between spaces: its start and end in characters (the columns) and its text,
    // sliced from the line (a vector of the line's characters cost a layout report 2%).
    let mut words: Vec<(usize, usize, &str)> = Vec::new();
    let mut word: Option<(usize, usize)> = None;
    let mut n = 0;
    for (at, c) in line.char_indices() {
        if c == ' ' {
            if let Some((s, from)) = word.take() {
                words.push((s, n, &line[from..at]));
            }
        } else if word.is_none() {
            word = Some((n, at));
        }
        n += 1;
    }
    if let Some((s, from)) = word {
        words.push((s, n, &line[from..]));
    }
    let mut out: Vec<Seg> = Vec::new();
    for (s, e, t) in words {
        let numeric = amount_word(t);
        if let Some(last) = out.last_mut() {
            if !numeric && !last.numeric && s - last.end == 1 {
                last.text.push(' ');
                last.text.push_str(t);
                last.end = e;
                continue;
            }
        }
        out.push(Seg {
            start: s,
            end: e,
            text: t.to_string(),
            numeric,
        });
    }
    // A template's `XX` standing alone where an amount goes is a value cell too; inside text
    // (`上海市 XX 局`) it was merged above.
    for seg in &mut out {
        if placeholder_word(&seg.text) {
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

/// A line and its segments, split when first asked for: a line inside a table is asked
/// whether it starts one, ends one and is a spread sentence, then read, and splitting it once
/// for all four was 4% of reading a layout report.
struct Segmented<'l> {
    line: &'l str,
    segs: std::cell::OnceCell<Vec<Seg>>,
}

impl<'l> Segmented<'l> {
    fn new(line: &'l str) -> Segmented<'l> {
        Segmented {
            line,
            segs: std::cell::OnceCell::new(),
        }
    }

    fn segs(&self) -> &[Seg] {
        self.segs.get_or_init(|| segments(self.line))
    }

    fn into_segs(self) -> Vec<Seg> {
        let Segmented { line, segs } = self;
        segs.into_inner().unwrap_or_else(|| segments(line))
    }
}

/// Whether a line begins a table: a code row, or aligned columns that are not a heading
/// (`第一部分    上海市普陀区财政局概况` is gappy too) nor a caption line with a unit.
pub(super) fn starts_table(line: &str) -> bool {
    begins_table(&Segmented::new(line))
}

fn begins_table(l: &Segmented) -> bool {
    let line = l.line;
    if CODE_ROW.is_match(line) && l.segs().len() >= 2 {
        return true;
    }
    if is_total_row(line) {
        return true;
    }
    if !has_gap(line) || line.contains("单位：") || line.contains("单位:") {
        return false;
    }
    // `第三部分      上海市 XX 局 2024 年度部门决算情况说明`: parts are headings, whatever
    // their spacing.
    if numbering::split_label(trim(line)).is_some_and(|l| l.style == numbering::Style::Part) {
        return false;
    }
    let segs = l.segs();
    if segs.len() < 2 || is_spread(segs) {
        return false;
    }
    // `第一部分    上海市普陀区财政局概况`: a heading whose label is set apart by spaces.
    let label_apart = numbering::split_label(trim(line)).is_some_and(|l| l.text == segs[0].text);
    !(segs.len() == 2 && label_apart && !segs[1].numeric)
}

/// `（一）收入预算总计          4,321.00          万元。包括：`: a sentence spread over the line
/// by justified alignment. A table never sets an amount's unit apart from it in a column of
/// its own, so an amount followed across a gap by its unit and more text (`万元。包括：`) makes
/// the line a paragraph, not a table row.
fn is_spread(segs: &[Seg]) -> bool {
    segs.windows(2).any(|w| {
        w[0].numeric
            && ["万元", "亿元", "千元", "元", "%", "％"].iter().any(|u| {
                w[1].text
                    .strip_prefix(u)
                    .is_some_and(|r| r.starts_with(['。', '，', '；', '：', '、']))
            })
    })
}

/// `合计 1,234.56 1,000.00 234.56`: a short label and two or more amounts, single-spaced: the
/// total row of a table printed without column alignment.
fn is_total_row(line: &str) -> bool {
    let mut tokens = line.split_whitespace();
    let label = tokens.next().unwrap_or_default();
    if label.chars().count() > 8 || label.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    // Asked of every line: the words are read only until one is no amount.
    let mut amounts = 0;
    for t in tokens {
        if !amount_word(t) {
            return false;
        }
        amounts += 1;
    }
    amounts >= 2
}

/// A table printed without column alignment (page text with one space between cells): each
/// line is a row of tokens, cells in token order: a code, then the name (its words joined),
/// then each amount. Which column an amount belongs to cannot be seen, so no row is aligned.
fn token_table(lines: &[&Line]) -> Table {
    let rows = lines
        .iter()
        .map(|l| {
            let mut cells: Vec<String> = Vec::new();
            let mut name: Vec<&str> = Vec::new();
            for (k, t) in l.text.split_whitespace().enumerate() {
                let code = k == 0 && CODE_ROW.is_match(t);
                if code || amount_word(t) || placeholder_word(t) {
                    if !name.is_empty() {
                        cells.push(join_lines(name.drain(..)));
                    }
                    cells.push(t.to_string());
                } else {
                    name.push(t);
                }
            }
            if !name.is_empty() {
                cells.push(join_lines(name.drain(..)));
            }
            Row {
                cells: cells.into_iter().map(|c| Some(Cell::new(c))).collect(),
                line: Some(l.number),
                page: Some(l.page),
                aligned: false,
            }
        })
        .collect();
    Table { rows }
}

/// Whether a line inside a table ends it: a long line of prose, or a heading at the margin.
fn ends_table(l: &Segmented, body: usize) -> bool {
    let line = l.line;
    let t = trim(line);
    if begins_table(l) {
        return false;
    }
    let indent = line.len() - line.trim_start().len();
    let heading = indent <= 4
        && numbering::split_label(t).is_some_and(|l| numbering::looks_like_title(l.rest));
    heading
        || width(t) * 10 > body * 6
        || t.starts_with("注：")
        || t.starts_with("注:")
        || is_spread(l.segs())
}

/// Whether the line at `i` is a table caption: it ends in 表, or a unit line follows within
/// three lines.
fn starts_caption(lines: &[Line], i: usize) -> bool {
    trim(&lines[i].text).ends_with('表')
        || lines[i + 1..]
            .iter()
            .filter(|l| !is_blank(l))
            .take(2)
            .any(|l| l.text.contains("单位：") || l.text.contains("单位:"))
}

/// A line of a table region, segmented.
struct TLine {
    number: u32,
    page: u32,
    /// The first line of a new page.
    page_start: bool,
    segs: Vec<Seg>,
    /// Blank lines directly above it.
    gap_before: bool,
    data: bool,
}

/// Reads the table region starting at `start`. Returns `None` when the region holds no data
/// row (no amount, no code), so its lines are read as text instead.
pub(super) fn read_table(lines: &[Line], start: usize, body: usize) -> (Option<Table>, usize) {
    let mut region: Vec<TLine> = Vec::new();
    // Where the text cells of the data rows so far begin.
    // (A column is a small number: a set of them is a vector of flags.)
    let mut text_starts: Vec<bool> = Vec::new();
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
        let row_label = numbering::split_label(trim(&l.text))
            .is_some_and(|lab| row_styles.contains(&lab.style));
        let split = Segmented::new(&l.text);
        if i > start && !row_label && ends_table(&split, body) {
            break;
        }
        // A part title after the table (`其他相关情况说明` below the 三公 table); not a name
        // wrapped below the last row, which starts where the names above it start.
        let indent = l.text.len() - l.text.trim_start().len();
        let in_name_column =
            (indent.saturating_sub(JITTER)..=indent + JITTER).any(|k| text_starts.get(k) == Some(&true));
        if i > start && !in_name_column && is_centred_title(lines, i, i + 1, trim(&l.text)) {
            break;
        }
        // A new page continues the table unless it starts a new one (a caption ending in
        // 表, a unit line just below).
        if l.page_start && i > start && !begins_table(&split) && starts_caption(lines, i) {
            break;
        }
        if let Some(lab) = numbering::split_label(trim(&l.text)) {
            row_styles.push(lab.style);
        }
        let segs = split.into_segs();
        let data = segs.iter().any(|s| s.numeric) || CODE_ROW.is_match(&l.text);
        if data {
            for s in segs.iter().filter(|s| !s.numeric) {
                if text_starts.len() <= s.start {
                    text_starts.resize(s.start + 1, false);
                }
                text_starts[s.start] = true;
            }
        }
        region.push(TLine {
            number: l.number,
            page: l.page,
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
    // Nothing aligned anywhere: cells come from token order. So too for a region with more
    // column positions than any real table has (layout text of 80,000 columns): laying it out
    // by position would take time in the square of its columns.
    let region_lines: Vec<&Line> = lines[start..i].iter().filter(|l| !is_blank(l)).collect();
    let positions: std::collections::HashSet<usize> = region
        .iter()
        .flat_map(|l| l.segs.iter().map(|s| s.start))
        .take(MAX_POSITIONS + 1)
        .collect();
    if region_lines.iter().all(|l| !has_gap(&l.text)) || positions.len() > MAX_POSITIONS {
        return (Some(token_table(&region_lines)), i);
    }
    (Some(build_grid(region)), i)
}

/// The most distinct cell positions a table region is laid out by; a real table has a few
/// dozen.
const MAX_POSITIONS: usize = 512;

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
    let digits = |s: &Seg| s.text.chars().all(|c| c.is_ascii_digit());
    // ` 7    11   02   事业单位医疗`: a split code whose 类 lost digits in the text layer is
    // still three code parts, so that its pieces stay in the code columns and do not open
    // columns of their own (which would shift every other row's codes).
    if let [a, b, c, name, ..] = l.segs.as_slice() {
        if digits(a)
            && (1..=3).contains(&a.text.len())
            && digits(b)
            && b.text.len() == 2
            && digits(c)
            && c.text.len() == 2
            && !name.numeric
        {
            return 3;
        }
    }
    l.segs
        .iter()
        .take(3)
        .take_while(|s| digits(s) && matches!(s.text.len(), 2 | 3 | 5 | 7))
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
    let page_of: HashMap<u32, u32> = region.iter().map(|l| (l.number, l.page)).collect();
    let make_row = |cells: Vec<Vec<String>>, line: u32, aligned: bool| Row {
        cells: cells
            .into_iter()
            .map(|parts| Some(Cell::new(join_lines(parts.iter().map(String::as_str)))))
            .collect(),
        line: Some(line),
        page: page_of.get(&line).copied(),
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
            if to_last && last_open && open && !l.gap_before && pending.len() >= 2 {
                // Two wrapped names meet between their rows (`…事务支出` below one code,
                // `行政事业单位…` above the next): the first half goes down to the row above,
                // the rest up to this one.
                let rest = pending.split_off(pending.len().div_ceil(2));
                flush(&mut out, &mut pending, k, true, pending_line);
                cells[k] = rest;
            } else if to_last && last_open {
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

    /// The quick tests answer as the regexes: on made-up words, on random words of the
    /// characters that decide them, and on every word of the samples and the corpus's texts.
    #[test]
    fn amount_and_placeholder_answer_as_their_regexes() {
        let made = [
            "0", "-3.00", "2,940.05", "91,016,775.35", "0.94", "1,234", "1234,567", "1,23",
            "1,2345", "12.", ".5", "-", "--1", "", "1,234,56", "1,234.5.6", "１２", "１,２３４",
            "-１２", "٣", "〇", "一二", "XX", "XX.XX", "××", "Ｘ", "XXXXX", "x.x%", "X.", "万元",
        ];
        let texts = crate::test_texts::sample_and_corpus_texts();
        let words = texts.iter().flat_map(|t| t.split_whitespace());
        let pieces = ["1", "2", "3", "4", ",", ".", "-", "１", "X", "x", "×", "%", "元"];
        let mut next = crate::test_texts::random_below(0x2545_f491_4f6c_dd1du64);
        let random: Vec<String> = (0..50_000)
            .map(|_| (0..next(12)).map(|_| pieces[next(pieces.len())]).collect())
            .collect();
        let (mut amounts, mut placeholders) = (0, 0);
        for w in made
            .iter()
            .copied()
            .chain(words)
            .chain(random.iter().map(String::as_str))
        {
            assert_eq!(amount_word(w), AMOUNT.is_match(w), "{w:?}");
            assert_eq!(placeholder_word(w), PLACEHOLDER.is_match(w), "{w:?}");
            amounts += usize::from(amount_word(w));
            placeholders += usize::from(placeholder_word(w));
        }
        assert!(amounts > 1_000 && placeholders > 10, "{amounts} {placeholders}");
    }
}
