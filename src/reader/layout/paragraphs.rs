//! Paragraphs: lines re-joined into the statements their author wrote.

use super::tables::starts_table;
use super::{has_gap, is_blank, width, Line};
use crate::numbering;
use crate::text::join_lines;

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
pub(super) fn read_paragraph(lines: &[Line], start: usize, body: usize) -> (String, usize) {
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
