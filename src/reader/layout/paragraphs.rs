//! Paragraphs: lines re-joined into the statements their author wrote.

use super::tables::starts_table;
use super::{has_gap, is_blank, width, Line};
use crate::numbering;
use crate::text::{char_len, join_lines, space_at, trim};

/// A title set in the middle of the line with no number, as budget reports head their parts
/// (`上海市普陀区人民政府办公室主要职能`, `2025年部门预算编制说明`), followed by prose: not a table
/// caption (`…预算表`), a unit line, a total (`合计`), a bracketed editing note
/// (`（如持平作持平表述）`), nor a column header left above a table.
pub(super) fn is_centred_title(lines: &[Line], start: usize, next: usize, text: &str) -> bool {
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

/// Undoes letter-spacing (Word's distributed alignment prints `云 岭 省 档 案 局 2 0 2 7 年 度`):
/// in a line whose words are mostly single characters, a space between two CJK characters, or
/// between two parts of one number (`5 , 0 8 0 . 0 0`), is no text and goes. The indent is
/// kept, since paragraphs are told apart by it. `None` for a line that is not letter-spaced.
pub(super) fn undo_letter_spacing(line: &str) -> Option<String> {
    let (words, single) = word_counts(line);
    if words < 4 || single * 10 < words * 7 {
        return None;
    }
    let chars: Vec<char> = line.chars().collect();
    let numeric = |c: char| c.is_ascii_digit() || matches!(c, '.' | ',' | '%');
    let joins = |c: char| crate::text::is_cjk(c) || numeric(c);
    let mut out = String::with_capacity(line.len());
    for (k, &c) in chars.iter().enumerate() {
        // Only a single space between two joinable characters goes; runs of spaces (the
        // indent, a table's column gap) stay as they are.
        let single_space = c == ' '
            && k > 0
            && chars.get(k + 1).is_some_and(|&a| a != ' ' && joins(a))
            && chars[k - 1] != ' '
            && joins(chars[k - 1]);
        if !single_space {
            out.push(c);
        }
    }
    Some(out)
}

/// How many words a line has (as `split_whitespace` splits it) and how many of them are one
/// character. Asked of every line, on its bytes: the characters are stepped over by their lead
/// byte and [`space_at`] tells the spaces, without decoding or collecting the words: 1.8%
/// fewer instructions a layout report.
fn word_counts(line: &str) -> (usize, usize) {
    let b = line.as_bytes();
    let (mut words, mut single) = (0, 0);
    // The characters of the word being read.
    let mut chars = 0;
    let mut i = 0;
    while i < b.len() {
        if space_at(b, i) {
            if chars > 0 {
                words += 1;
                single += usize::from(chars == 1);
                chars = 0;
            }
        } else {
            chars += 1;
        }
        i += char_len(b[i]);
    }
    if chars > 0 {
        words += 1;
        single += usize::from(chars == 1);
    }
    (words, single)
}

/// The width of a full line of body text: lines this wide were wrapped by the layout.
pub(super) fn body_width(lines: &[Line]) -> usize {
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
pub(super) fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['。', '！', '？', '!', '?'])
}

/// Whether a line opens with closing punctuation (`。主要用于：…`, `，`, `）`): it can only
/// continue the statement above it.
pub(super) fn opens_with_closing(t: &str) -> bool {
    t.starts_with([
        '。', '，', '、', '；', '：', '）', ')', '”', '’', '》', '％', '%',
    ])
}

/// Whether a line continues an amount left open above: a bare unit (`万元，支出决算为…`), or
/// an amount run on from the line above (`151 万元，比上年增加…`).
pub(super) fn continues_amount(t: &str) -> bool {
    ["万元", "亿元", "千元", "元"].iter().any(|u| {
        t.strip_prefix(u)
            .is_some_and(|r| r.starts_with(['，', '。', '；', '、', ' ']) || r.is_empty())
    }) || AMOUNT_THEN_UNIT.is_match(t)
}

/// `151 万元，比上年增加…`, `12.30万元。`: a wrapped line that starts with an amount and its unit.
static AMOUNT_THEN_UNIT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"^[0-9][0-9,]*(?:\.[0-9]+)?\s*(?:万元|亿元|千元|元|%|％)[，。；、]").unwrap()
});

/// `“公共安全支出（类）司法（款）…`: a line that opens a new quoted 类/款/项 statement, which
/// starts a paragraph after a sentence end even without a first-line indent.
fn opens_quoted_statement(t: &str) -> bool {
    t.starts_with(['“', '"']) && t.chars().take(30).collect::<String>().contains("（类）")
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
///
/// It also undoes what some producers do to one printed statement:
/// - a line that can only continue the one above (closing punctuation, a bare `万元`, an
///   amount and its unit) joins it, across blank lines too;
/// - a line after one ending in `：` joins it;
/// - a "staircase", each line starting further right with no blank between
///   (`主要用于：` / `    在职人员医疗保险支出。` / `          年初预算为 8.40`), is one line;
/// - the first line of a numbered statement that fills the line continues into an unindented
///   line after a blank (`6、住房保障支出（类）…（项）。` / blank / `主要用于：…`).
///
/// And it keeps statements apart that a layout without first-line indents runs together: after a
/// sentence end, a line opening a quoted `“…（类）…` statement starts a new paragraph.
pub(super) fn read_paragraph(lines: &[Line], start: usize, body: usize) -> (String, usize) {
    let indent = |l: &Line| l.text.len() - l.text.trim_start().len();
    let mut parts = vec![lines[start].text.as_str()];
    let numbered_start = numbering::split_label(trim(&lines[start].text)).is_some();
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
        let t = trim(&next.text);
        if numbering::split_label(t).is_some() {
            break;
        }
        // A heading is complete: pdftotext may put a swapped line right under it
        // (`三、支出决算情况说明` / `603.14万元，占20.51%；`), which is no continuation.
        // A numbered title on a line of its own (`二、部门决算单位构成`) is complete.
        let heading = parts.len() == 1
            && numbering::split_label(trim(parts[0]))
                .is_some_and(|l| numbering::looks_like_title(l.rest));
        let glued = opens_with_closing(t) || (continues_amount(t) && !heading);
        if starts_table(&next.text) && !glued {
            break;
        }
        if ends_sentence(&prev.text) && opens_quoted_statement(t) {
            break;
        }
        let centred = indent(prev) >= 8;
        let wrapped = !centred && width(&prev.text) * 10 >= body * 8;
        let continues = indent(next) < 2;
        let colon = prev.text.trim_end().ends_with(['：', ':']);
        // A numbered title is followed by its text at the same indent: a new paragraph.
        if heading && j == i && indent(next) >= 2 && indent(next) == indent(prev) {
            break;
        }
        // A fragment that was itself a continuation (`。主要用`) and stops mid-sentence.
        let open_fragment =
            i > start + 1 && opens_with_closing(trim(&prev.text)) && !ends_sentence(&prev.text);
        let join = if glued {
            true
        } else if j > i {
            let open = colon || (wrapped && !ends_sentence(&prev.text)) || open_fragment;
            let first_line_full = parts.len() == 1 && numbered_start && wrapped;
            // A statement wrapped at the foot of a page runs on at the head of the next.
            let over_page = !next.page_start || (wrapped && !ends_sentence(&prev.text));
            (open || first_line_full) && continues && over_page
        } else {
            let tail = width(t) <= 8
                && !t.contains(['，', '。', '：', '；'])
                && numbering::looks_like_title(&format!("{}{t}", trim(&prev.text)));
            // A staircase step is itself unfinished (`主要用于：`, `年初预算为 8.40`): a centred
            // title or caption further right (`“三公”经费预算数`, `单位：万元`) is not.
            let unfinished = t.ends_with(|c: char| {
                c.is_ascii_digit() || matches!(c, '：' | ':' | '，' | '、' | '；')
            });
            let staircase =
                indent(next) > indent(prev) + 1 && indent(next) >= 4 && unfinished && !heading;
            (wrapped && (!ends_sentence(&prev.text) || continues))
                || (tail && !ends_sentence(&prev.text))
                || (colon && !next.page_start)
                || staircase
        };
        if !join {
            break;
        }
        parts.push(&next.text);
        i = j + 1;
    }
    let text = join_lines(parts);
    (undo_letter_spacing(&text).unwrap_or(text), i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte count is `split_whitespace`'s: for every character between spaces of each
    /// kind, and every line of the samples and the corpus's texts.
    #[test]
    fn word_counts_are_split_whitespaces() {
        let by_words = |s: &str| {
            let words: Vec<&str> = s.split_whitespace().collect();
            let single = words.iter().filter(|w| w.chars().count() == 1).count();
            (words.len(), single)
        };
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let t = format!("a {c} 收\u{3000}{c}{c}\u{a0}x");
            assert_eq!(word_counts(&t), by_words(&t), "{t:?}");
        }
        let texts = crate::test_texts::sample_and_corpus_texts();
        for line in texts.iter().flat_map(|t| t.lines()) {
            assert_eq!(word_counts(line), by_words(line), "{line}");
        }
    }
}
