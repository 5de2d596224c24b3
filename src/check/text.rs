//! Rules over the report's text itself: the years it states for itself, template
//! placeholders left in, and typographic slips.

use super::{Finding, Input, Status};
use crate::model::BlockKind;

pub(super) fn year_mismatch(input: &Input) -> Vec<Finding> {
    let Some(year) = input.ex.meta.year else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for i in &input.ex.line_items {
        let Some(stated) = i.year.filter(|y| *y != year) else {
            continue;
        };
        out.push(
            Finding::new(
                Status::Fail,
                format!(
                    "line item {} states the year {stated} in a {year} report",
                    i.code.as_deref().unwrap_or(&i.name)
                ),
                i.loc,
            )
            .values(Some(year.to_string()), Some(stated.to_string()))
            .at_cell(i.cell),
        );
    }
    for s in input.year_statements.iter().filter(|s| s.year != year) {
        out.push(
            Finding::new(
                Status::Fail,
                format!("the text states {} in a {year} report", s.raw),
                s.loc,
            )
            .values(Some(year.to_string()), Some(s.year.to_string())),
        );
    }
    out
}

pub(super) fn placeholder_text(input: &Input) -> Vec<Finding> {
    let Some(first) = input.placeholders.first() else {
        return Vec::new();
    };
    vec![Finding::new(
        Status::Fail,
        format!(
            "{} blocks hold a template placeholder (XX) instead of a name or number",
            input.placeholders.len()
        ),
        *first,
    )
    .values(None, Some("XX".into()))]
}

/// The punctuation marks that are never right doubled (`。。`, `，，`, `；；`, `、、`, `：：`,
/// also with spaces between). The ellipsis `……` and the dash `——` are written doubled and are
/// not among them.
const DOUBLED_MARKS: &[char] = &['。', '，', '；', '、', '：', '！', '？'];

/// Every doubled mark of `text` as `(start, end)`, left to right and not overlapping (`。。。`
/// is one): a scan of the characters, where a regex of seven alternatives stopped at every
/// comma of the text (1.7% of a text report's CPU).
///
/// Every mark's UTF-8 starts with the byte E3 or EF, which Han characters (E4 to E9) do not:
/// the scan jumps between those bytes (SIMD) and decodes only there.
fn doubled_marks(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(k) = memchr::memchr2(0xE3, 0xEF, &text.as_bytes()[at..]) {
        let start = at + k;
        // A lead byte (never a continuation one): a character of three bytes starts here.
        let after = start + 3;
        // Most marks are followed by a Han character: the mark is not doubled unless the next
        // character is one like it (its first byte) or a white space.
        let b = text.as_bytes();
        if !(b.get(after) == Some(&b[start]) || (after < b.len() && crate::text::space_at(b, after))) {
            at = after;
            continue;
        }
        let c = text[start..].chars().next().expect("a character starts at a lead byte");
        if !DOUBLED_MARKS.contains(&c) {
            at = after;
            continue;
        }
        // `\s*` of the regex this replaced: any Unicode white space between the two.
        let rest = &text[after..];
        let gap = rest.len() - rest.trim_start().len();
        if rest[gap..].starts_with(c) {
            let end = after + gap + c.len_utf8();
            out.push((start, end));
            at = end;
        } else {
            at = after;
        }
    }
    out
}

/// The text of every paragraph and heading, with its block.
fn texts<'a>(input: &'a Input) -> impl Iterator<Item = (&'a crate::model::Block, &'a str)> {
    input.doc.blocks.iter().filter_map(|b| match &b.kind {
        BlockKind::Paragraph(p) => Some((b, p.text.as_str())),
        BlockKind::Heading(h) => Some((b, h.text.as_str())),
        _ => None,
    })
}

/// A few characters of context around a byte range, for the detail.
fn around(text: &str, start: usize, end: usize) -> String {
    let before: String = text[..start]
        .chars()
        .rev()
        .take(12)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let after: String = text[end..].chars().take(6).collect();
    format!("{before}{}{after}", &text[start..end])
}

pub(super) fn repeated_punctuation(input: &Input) -> Vec<Finding> {
    texts(input)
        .flat_map(|(b, text)| {
            doubled_marks(text).into_iter().map(move |(start, end)| {
                Finding::new(
                    Status::Fail,
                    format!(
                        "a doubled punctuation mark: …{}…",
                        around(text, start, end)
                    ),
                    b.loc,
                )
                .values(None, Some(text[start..end].to_string()))
            })
        })
        .collect()
}

/// Reduplications that reports write on purpose (`逐步逐步` is a slip, `常常` is not): only
/// words of two or more characters are matched, and these are left alone.
const MEANT_TWICE: &[&str] = &["研究研究", "讨论讨论"];

pub(super) fn doubled_word(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for (b, text) in texts(input) {
        if !matches!(b.kind, BlockKind::Paragraph(_)) {
            continue;
        }
        for (start, end) in doubled_words(text) {
            let word = &text[start..end];
            if !MEANT_TWICE.contains(&word) {
                out.push(
                    Finding::new(
                        Status::Warn,
                        format!("a word written twice: …{}…", around(text, start, end)),
                        b.loc,
                    )
                    .values(None, Some(word.to_string())),
                );
            }
        }
    }
    out
}

/// Every word of two to four Han characters written twice running in `text`, as `(start,
/// end)` of both copies, the longest at each place, left to right and not overlapping.
///
/// A Han character is three bytes in UTF-8, so a word of `len` of them written twice starts
/// with three bytes that come again `3 * len` bytes on. Blocks of the text with no such place
/// are passed over whole (`repeat_at`, vectorized); only where one is are the characters
/// decoded and compared. Decoding every character and comparing each with the three after it
/// was a fifth of the checks' instructions.
fn doubled_words(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(p) = repeat_at(b, at) {
        let len = text
            .is_char_boundary(p)
            .then(|| doubled_at(text, p))
            .flatten();
        match len {
            Some(len) => {
                out.push((p, p + 6 * len));
                at = p + 6 * len;
            }
            None => at = p + 1,
        }
    }
    out
}

/// The length in characters of the word written twice from byte `p` (a character's start),
/// the longest first.
fn doubled_at(text: &str, p: usize) -> Option<usize> {
    let b = text.as_bytes();
    [4, 3, 2].into_iter().find(|&len| {
        let half = 3 * len;
        p + 2 * half <= b.len()
            && b[p..p + half] == b[p + half..p + 2 * half]
            && text[p..].chars().take(len).all(is_han)
    })
}

/// The first byte position at or after `from` whose three bytes come again 6, 9 or 12 bytes
/// on: where a doubled word may start.
fn repeat_at(b: &[u8], from: usize) -> Option<usize> {
    const BLOCK: usize = 32;
    // Positions are tested against the 14 bytes after them; past the end, zeros.
    const SPAN: usize = BLOCK + 14;
    let repeats = |w: &[u8], k: usize| {
        let same = |d: usize| (w[k] == w[k + d]) & (w[k + 1] == w[k + 1 + d]) & (w[k + 2] == w[k + 2 + d]);
        same(6) | same(9) | same(12)
    };
    let block_has = |w: &[u8]| {
        let mut any = false;
        for k in 0..BLOCK {
            any |= repeats(w, k);
        }
        any
    };
    let first_in = |w: &[u8], limit: usize| (0..BLOCK.min(limit)).find(|&k| repeats(w, k));
    let mut i = from;
    while i + SPAN <= b.len() {
        let w = &b[i..i + SPAN];
        if block_has(w) {
            return first_in(w, BLOCK).map(|k| i + k);
        }
        i += BLOCK;
    }
    // The rest (under a block and 14 bytes), zero-padded, a block at a time.
    let mut tail = [0u8; 2 * BLOCK + 14];
    let rest = &b[i.min(b.len())..];
    tail[..rest.len()].copy_from_slice(rest);
    (0..2)
        .map(|n| n * BLOCK)
        .filter(|&start| start < rest.len())
        .find_map(|start| first_in(&tail[start..start + SPAN], rest.len() - start).map(|k| start + k))
        .map(|k| i + k)
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

#[cfg(test)]
mod tests {
    use super::doubled_marks;

    /// The char-by-char scan [`super::doubled_words`] replaced.
    fn doubled_words_by_chars(text: &str) -> Vec<(usize, usize)> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let found = (2..=4).rev().find(|&len| {
                i + 2 * len <= chars.len()
                    && (0..len).all(|k| {
                        super::is_han(chars[i + k].1) && chars[i + k].1 == chars[i + len + k].1
                    })
            });
            if let Some(len) = found {
                let end = chars.get(i + 2 * len).map_or(text.len(), |(k, _)| *k);
                out.push((chars[i].0, end));
                i += 2 * len;
            } else {
                i += 1;
            }
        }
        out
    }

    /// The block scan finds what the char scan found: on made-up slips at every offset
    /// (inside a block, across blocks, in the tail) and on every line of the samples and the
    /// corpus's texts.
    #[test]
    fn doubled_words_match_the_char_scan() {
        let made = [
            "逐步逐步推进",
            "研究研究",
            "加强加强加强管理",
            "a中中a",
            "工作工作",
            "预算管理预算管理",
            "文化文化与",
            "中𠀀中𠀀",
            "ＡＢＡＢ",
            "一二三四一二三四五",
            "abcabcabcabc",
            "\0\0\0\0\0\0\0\0",
        ];
        let mut texts: Vec<String> = Vec::new();
        for m in made {
            for filler in ["a", "收", "，"] {
                for before in 0..24 {
                    texts.push(format!("{}{m}{}", filler.repeat(before), filler.repeat(30 - before)));
                }
            }
            texts.push(m.to_string());
        }
        let corpus = crate::test_texts::sample_and_corpus_texts();
        let lines = corpus.iter().flat_map(|t| t.lines()).map(str::to_string);
        for text in texts.into_iter().chain(lines) {
            assert_eq!(super::doubled_words(&text), doubled_words_by_chars(&text), "{text}");
        }
        assert_eq!(super::doubled_words("逐步逐步推进"), [(0, 12)]);
    }

    /// The scan finds what the regex it replaced found: the same spans, on made-up slips and
    /// on every line of the samples and the corpus's layout texts.
    #[test]
    fn doubled_marks_are_the_regex_matches() {
        let re = regex::Regex::new(r"。\s*。|，\s*，|；\s*；|、\s*、|：\s*：|！\s*！|？\s*？").unwrap();
        let texts = crate::test_texts::sample_and_corpus_texts();
        let made = [
            "支出853.00万元。。比上年增加",
            "其中：：基本支出，\u{3000}，项目支出",
            "。。。三个句号",
            "……省略号——破折号，不是。",
            "、 、 、顿号",
            "？？！！",
            "，。，。交替",
        ];
        let lines = texts.iter().flat_map(|t| t.lines());
        for text in made.iter().copied().chain(lines) {
            let want: Vec<(usize, usize)> = re.find_iter(text).map(|m| (m.start(), m.end())).collect();
            assert_eq!(doubled_marks(text), want, "{text}");
        }
        assert_eq!(doubled_marks("支出853.00万元。。比上年增加"), [(18, 24)]);
        assert_eq!(doubled_marks("。。。三个句号"), [(0, 6)]);
    }
}
