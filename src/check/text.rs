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
        // A lead byte (never a continuation one): a character starts here.
        let c = text[start..].chars().next().expect("a character starts at a lead byte");
        let after = start + c.len_utf8();
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
    // One buffer for every paragraph's characters.
    let mut chars: Vec<(usize, char)> = Vec::new();
    for (b, text) in texts(input) {
        if !matches!(b.kind, BlockKind::Paragraph(_)) {
            continue;
        }
        chars.clear();
        chars.extend(text.char_indices());
        let mut i = 0;
        while i < chars.len() {
            // A doubled word repeats its first character `len` places on: test that first.
            let found = (2..=4).rev().find(|&len| {
                i + 2 * len <= chars.len()
                    && chars[i].1 == chars[i + len].1
                    && (0..len)
                        .all(|k| is_han(chars[i + k].1) && chars[i + k].1 == chars[i + len + k].1)
            });
            if let Some(len) = found {
                let start = chars[i].0;
                let end = chars.get(i + 2 * len).map_or(text.len(), |(k, _)| *k);
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
                i += 2 * len;
            } else {
                i += 1;
            }
        }
    }
    out
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

#[cfg(test)]
mod tests {
    use super::doubled_marks;

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
