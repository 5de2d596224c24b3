//! String clean-up shared by readers and extractors: the layout noise SCHEMA.md says text
//! fields lose (bookmark markers, runs of spaces, line breaks inside a cell), and nothing
//! else. The source's own characters, full-width punctuation included, are kept.

use std::borrow::Cow;

use std::sync::LazyLock;

/// Removes bookmark markers: `[bookmark: _Toc15377197]`, left by the .docx-to-text conversion
/// of the sample in front of headings (`[bookmark: _Toc19599]第一部分部门概况`). A marker is
/// `[bookmark: ` and everything up to the next `]` (the regex `\[bookmark: [^\]]*\]`, matched
/// by hand: the regex's replace cost 5,000 instructions a line).
pub fn strip_bookmarks(s: &str) -> Cow<'_, str> {
    const OPEN: &str = "[bookmark: ";
    // Asked of every line: a searcher built once (SIMD), not `str::contains`' per call.
    static MARK: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(OPEN));
    let mut out: Option<String> = None;
    let mut at = 0;
    while let Some(k) = MARK.find(&s.as_bytes()[at..]) {
        let start = at + k;
        let Some(close) = memchr::memchr(b']', &s.as_bytes()[start + OPEN.len()..]) else {
            // No `]` after it: neither this nor any later marker is closed.
            break;
        };
        let end = start + OPEN.len() + close + 1;
        out.get_or_insert_with(|| String::with_capacity(s.len()))
            .push_str(&s[at..start]);
        at = end;
    }
    match out {
        Some(mut o) => {
            o.push_str(&s[at..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(s),
    }
}

/// `str::trim`, with the ASCII spaces at either end skipped a byte at a time, and the rest
/// trimmed only where a space of another kind starts it or ends it. A layout line is indented
/// by its column, often dozens of spaces, and is trimmed several times; `str::trim` decodes
/// and tests each character. Against `str::trim`, a layout report takes 6% fewer
/// instructions, and skipping eight spaces at a time 0.6% fewer again.
pub fn trim(s: &str) -> &str {
    const EIGHT: &[u8; 8] = b"        ";
    let b = s.as_bytes();
    // Eight spaces at a time (one compare of a word), then one at a time.
    let mut start = 0;
    while b.get(start..start + 8) == Some(EIGHT) {
        start += 8;
    }
    start += b[start..].iter().take_while(|&&c| c == b' ').count();
    let end = b[start..]
        .iter()
        .rposition(|&c| c != b' ')
        .map_or(start, |e| start + e + 1);
    let t = &s[start..end];
    let tb = t.as_bytes();
    // Where the last character starts: the last byte that is no continuation byte.
    let last = tb.iter().rposition(|&c| c & 0xc0 != 0x80);
    match last {
        Some(last) if space_at(tb, 0) || space_at(tb, last) => t.trim(),
        _ => t,
    }
}

/// The length in bytes of the UTF-8 character whose first byte is `lead`.
pub(crate) fn char_len(lead: u8) -> usize {
    match lead {
        0..0xc0 => 1,
        0xc0..0xe0 => 2,
        0xe0..0xf0 => 3,
        _ => 4,
    }
}

/// True for characters of the CJK scripts and CJK punctuation, between which a line break
/// or a layout space carries no meaning.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F   // CJK punctuation
        | 0x3400..=0x4DBF // extension A
        | 0x4E00..=0x9FFF // unified ideographs
        | 0xF900..=0xFAFF // compatibility ideographs
        | 0xFF00..=0xFFEF // full-width forms
        | 0x20000..=0x2FA1F
    ) || matches!(c, '“' | '”' | '‘' | '’' | '…' | '—' | '·')
}

/// Trims and collapses every run of whitespace (spaces, tabs, NBSP, ideographic space) to a
/// single ASCII space.
pub fn collapse_spaces(s: &str) -> String {
    if !collapses(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Whether [`collapse_spaces`] changes `s`. Most text has single spaces at most and none at
/// the ends, and most of all has none (the block scan of `has_whitespace` answers that
/// fastest).
pub fn collapses(s: &str) -> bool {
    has_whitespace(s) && !is_collapsed(s)
}

/// Whether `s` has no whitespace but single ASCII spaces between other characters, checked in
/// one pass over the bytes (non-ASCII spaces by `wide_space_at`, without decoding).
fn is_collapsed(s: &str) -> bool {
    let bytes = s.as_bytes();
    // A space here would be leading or doubled.
    let mut after_space = true;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => return false,
            0xc2 | 0xe1 | 0xe2 | 0xe3 => {
                if wide_space_at(bytes, i) {
                    return false;
                }
                after_space = false;
            }
            _ => after_space = false,
        }
    }
    !bytes.is_empty() && !after_space
}

/// Joins text that a layout broke over several lines (a table cell such as
/// `项目预算\n执行情况\n（万元）`): no separator where either side of the break is CJK, one
/// space otherwise (`Total\nincome` stays two words).
pub fn join_lines<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for part in parts {
        let part = collapse_spaces(part);
        if out.is_empty() {
            // The first part (most cells have one) is the result as it is, not a copy of it.
            out = part;
            continue;
        }
        if part.is_empty() {
            continue;
        }
        if let (Some(last), Some(first)) = (out.chars().last(), part.chars().next()) {
            if !is_cjk(last) && !is_cjk(first) {
                out.push(' ');
            }
        }
        out.push_str(&part);
    }
    out
}

/// Whether `s` holds a digit, ASCII or full-width (`０`..`９`, `EF BC 90`..`99` in UTF-8).
/// A byte scan: every figure, line item and amount states a number, and most paragraphs of
/// a report are ruled out by this before any regex runs.
pub fn has_digit(s: &str) -> bool {
    let full_width = |b: &[u8], i: usize| {
        b.get(i + 1) == Some(&0xbc) && b.get(i + 2).is_some_and(|n| (0x90..=0x99).contains(n))
    };
    any_window(
        s.as_bytes(),
        |a, b, c| {
            (a.wrapping_sub(b'0') < 10) | ((a == 0xef) & (b == 0xbc) & (c.wrapping_sub(0x90) < 10))
        },
        |b, i| b[i].is_ascii_digit() || (b[i] == 0xef && full_width(b, i)),
    )
}

/// Whether `s` holds a whitespace character, checked on the bytes (the spaces of
/// `wide_space_at`). A pass that decoded every character was 2–3% of a text report's CPU,
/// asked of every paragraph by the extractors.
pub fn has_whitespace(s: &str) -> bool {
    any_window(s.as_bytes(), space_starts, space_at)
}

/// Whether a whitespace character starts at byte `i` of `b`: ASCII's, or one of
/// [`wide_space_at`]'s. Matched on the bytes, without decoding.
pub(crate) fn space_at(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'\t'..=b'\r' | b' ' => true,
        0xc2 | 0xe1 | 0xe2 | 0xe3 => wide_space_at(b, i),
        _ => false,
    }
}

/// Whether a whitespace character starts with the bytes `a`, `b`, `c`: [`wide_space_at`]'s
/// rules and ASCII's, written without a branch for [`any_window`]'s blocks.
fn space_starts(a: u8, b: u8, c: u8) -> bool {
    let ascii = (a.wrapping_sub(b'\t') < 5) | (a == b' ');
    let c2 = (a == 0xc2) & ((b == 0x85) | (b == 0xa0));
    let e1 = (a == 0xe1) & (b == 0x9a) & (c == 0x80);
    // U+2000–U+200A, U+2028, U+2029, U+202F; U+205F.
    let e2_80 = (c.wrapping_sub(0x80) <= 0x0a) | (c == 0xa8) | (c == 0xa9) | (c == 0xaf);
    let e2 = (a == 0xe2) & (((b == 0x80) & e2_80) | ((b == 0x81) & (c == 0x9f)));
    let e3 = (a == 0xe3) & (b == 0x80) & (c == 0x80);
    ascii | c2 | e1 | e2 | e3
}

/// Whether `hit` holds for the three bytes at some position of `b` (zeros past its end);
/// `at(b, i)` answers the same for the one position `i`.
///
/// Every paragraph is asked [`has_digit`] and [`has_whitespace`] by several extractors, and a
/// byte loop that stops at the first hit runs a byte a cycle. Here the positions are tested a
/// block at a time with no exit inside a block, on `&`/`|` of comparisons, which the compiler
/// turns into vector instructions; `hit` must be written that way too (no `&&`, `||`, `if`).
/// A short text (a table cell, a label) and the last two positions, whose windows run past
/// the end, are asked of `at`, a test that stops early.
pub(crate) fn any_window(
    b: &[u8],
    hit: impl Fn(u8, u8, u8) -> bool,
    at: impl Fn(&[u8], usize) -> bool,
) -> bool {
    const BLOCK: usize = 32;
    let n = b.len();
    if n < BLOCK + 2 {
        return (0..n).any(|k| at(b, k));
    }
    let block = |i: usize| {
        let w = &b[i..i + BLOCK + 2];
        let (x, y, z) = (&w[..BLOCK], &w[1..BLOCK + 1], &w[2..BLOCK + 2]);
        let mut any = false;
        for k in 0..BLOCK {
            any |= hit(x[k], y[k], z[k]);
        }
        any
    };
    let mut i = 0;
    while i + BLOCK + 2 <= n {
        if block(i) {
            return true;
        }
        i += BLOCK;
    }
    // The rest: the text's last whole block (again over positions already tested), then its
    // last two positions.
    block(n - BLOCK - 2) || at(b, n - 2) || at(b, n - 1)
}

/// Whether a Unicode space other than ASCII's starts at byte `i` (a lead byte `C2`, `E1`, `E2`
/// or `E3`): U+0085, U+00A0; U+1680; U+2000–U+200A, U+2028, U+2029, U+202F, U+205F; U+3000.
/// Matched on the bytes, without decoding: `、` and `。` (E3 80 81/82) are in every sentence.
fn wide_space_at(b: &[u8], i: usize) -> bool {
    match b[i] {
        0xc2 => matches!(b.get(i + 1), Some(0x85 | 0xa0)),
        0xe1 => b.get(i + 1..i + 3) == Some(&[0x9a, 0x80]),
        0xe2 => matches!(
            b.get(i + 1..i + 3),
            Some([0x80, 0x80..=0x8a | 0xa8 | 0xa9 | 0xaf] | [0x81, 0x9f])
        ),
        0xe3 => b.get(i + 1..i + 3) == Some(&[0x80, 0x80]),
        _ => false,
    }
}

/// Removes every whitespace character: phrases such as `纳入上海市普陀区财政局 2024 年度部门决算编制范围`
/// are matched on this compact form, since layouts put spaces around numbers.
pub fn compact(s: &str) -> Cow<'_, str> {
    // Most paragraphs hold no space at all: borrowed, with no copy made.
    if !has_whitespace(s) {
        return Cow::Borrowed(s);
    }
    // The runs between spaces are copied whole: a space starts only at a lead byte, so
    // [`space_at`] can be asked of every byte. Against collecting the kept characters one by
    // one, a text report takes 0.8% fewer instructions.
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut run, mut i) = (0, 0);
    while i < b.len() {
        if space_at(b, i) {
            out.push_str(&s[run..i]);
            i += char_len(b[i]);
            run = i;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[run..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `holds!` answers as `str::contains` does, for words and single characters, on every
    /// line of the samples and corpus and on texts too short to hold them.
    #[test]
    fn holds_is_contains() {
        let mut held = 0;
        for text in crate::test_texts::sample_and_corpus_texts() {
            for line in text.lines().chain(["", "决", "表", "决算表"]) {
                let got = [holds!(line, "决算"), holds!(line, "表"), holds!(line, "收支平衡")];
                let want = [line.contains("决算"), line.contains('表'), line.contains("收支平衡")];
                assert_eq!(got, want, "{line}");
                held += got.iter().filter(|&&h| h).count();
            }
        }
        assert!(held > 100, "{held}");
    }

    /// The one-pass test against the conditions it replaced, on every kind of space in
    /// every position.
    #[test]
    fn has_digit_sees_ascii_and_full_width_digits_only() {
        assert!(has_digit("支出决算为12.50万元"));
        assert!(has_digit("合计５万元"));
        assert!(has_digit("９"));
        // `Ｚ` (EF BC BA) and `＋` (EF BC 8B) share the digits' lead bytes.
        assert!(!has_digit("ＡＺ＋（）：万元"));
        assert!(!has_digit("一二三四五六七八九十"));
        assert!(!has_digit(""));
    }

    /// The byte test answers as a test of every character, for every kind of space.
    #[test]
    fn has_whitespace_is_the_char_test() {
        let parts = [
            "", " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{85}", "\u{a0}", "\u{1680}",
            "\u{2003}", "\u{2028}", "\u{202f}", "\u{205f}", "\u{3000}", "a", "收入", "。、",
            "¥", "—", "\u{1c}", "\u{2060}", "\u{3001}", "\u{200b}", "\u{2029}", "\u{2000}",
            "\u{200a}", "\u{2027}", "\u{2030}", "\u{1681}", "\u{a1}", "\u{84}", "\u{3002}",
        ];
        for a in parts {
            for b in parts {
                let s = format!("{a}{b}");
                assert_eq!(has_whitespace(&s), s.chars().any(char::is_whitespace), "{s:?}");
            }
        }
        // Every character, alone and between two others.
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let alone = c.to_string();
            assert_eq!(has_whitespace(&alone), c.is_whitespace(), "{c:?}");
            if c.len_utf8() > 1 {
                let within = format!("收{c}入");
                assert_eq!(has_whitespace(&within), c.is_whitespace(), "{c:?}");
            }
        }
        assert!(has_whitespace("纳入 2024 年度"));
        assert!(!has_whitespace("纳入2024年度，支出。"));
    }

    /// The byte-wise trim is `str::trim`: every kind of space, alone and in runs at either
    /// end, around every character, and every line of the samples and the corpus's texts.
    #[test]
    fn trim_is_str_trim() {
        let spaces = ["", " ", "   ", "\t", " \u{3000} ", "\u{a0}", "\u{2003}  ", "\u{85}", "\u{205f}"];
        // Each character first and last, with and without ASCII spaces beside it.
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            for t in [format!(" {c}"), format!("{c}收  "), format!("收{c}")] {
                assert_eq!(trim(&t), t.trim(), "{t:?}");
            }
        }
        for a in spaces {
            for z in spaces {
                for mid in ["", "收入", "a b", "\u{3000}"] {
                    let t = format!("{a}{mid}{z}");
                    assert_eq!(trim(&t), t.trim(), "{t:?}");
                }
            }
        }
        let texts = crate::test_texts::sample_and_corpus_texts();
        for line in texts.iter().flat_map(|t| t.lines()) {
            assert_eq!(trim(line), line.trim(), "{line}");
        }
    }

    /// Every text of three of `parts` in a row.
    fn triples<'a>(parts: &'a [&str]) -> impl Iterator<Item = String> + 'a {
        parts.iter().flat_map(move |a| {
            parts
                .iter()
                .flat_map(move |b| parts.iter().map(move |c| format!("{a}{b}{c}")))
        })
    }

    /// Copying the runs between spaces keeps what filtering every character kept: for every
    /// kind of space in pairs, every character between two others, and every line of the
    /// samples and the corpus's texts.
    #[test]
    fn compact_keeps_what_the_char_filter_kept() {
        let by_chars = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let parts = [
            "", " ", "\t", "\n", "\u{85}", "\u{a0}", "\u{1680}", "\u{2003}", "\u{2028}",
            "\u{202f}", "\u{205f}", "\u{3000}", "a", "收入", "。、", "¥", "\u{2060}", "\u{200b}",
        ];
        for s in triples(&parts) {
            assert_eq!(compact(&s), by_chars(&s), "{s:?}");
        }
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let within = format!(" 收{c}入 ");
            assert_eq!(compact(&within), by_chars(&within), "{c:?}");
        }
        let texts = crate::test_texts::sample_and_corpus_texts();
        for line in texts.iter().flat_map(|t| t.lines()) {
            assert_eq!(compact(line), by_chars(line), "{line}");
        }
    }

    /// The block scans of [`has_digit`] and [`has_whitespace`] answer as tests of every
    /// character wherever the character sits: in a block, across two blocks, in the tail.
    #[test]
    fn the_block_scans_are_the_char_tests_at_every_offset() {
        let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
        let special = "0９ＺＡ \t\n\u{b}\u{85}\u{a0}\u{1680}\u{2000}\u{200a}\u{200b}\u{2028}\u{202f}\u{205f}\u{3000}\u{3001}。、“”—…¥";
        let sampled = (0..=0x10ffff).step_by(97).filter_map(char::from_u32);
        for c in special.chars().chain(sampled) {
            for filler in ["a", "收"] {
                for before in 0..40 {
                    let s = format!("{}{c}{}", filler.repeat(before), filler.repeat(40 - before));
                    assert_eq!(has_digit(&s), is_digit(c), "{s:?}");
                    assert_eq!(has_whitespace(&s), c.is_whitespace(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn is_collapsed_is_the_plain_text_test() {
        let old = |s: &str| {
            let bytes = s.as_bytes();
            let plain = |b: u8| b != b'\t' && b != b'\n' && b != b'\r' && b != 0x0b && b != 0x0c;
            !bytes.is_empty()
                && bytes.iter().all(|&b| plain(b))
                && !bytes.windows(2).any(|w| w == b"  ")
                && bytes[0] != b' '
                && bytes[bytes.len() - 1] != b' '
                && !s.contains(|c: char| !c.is_ascii() && c.is_whitespace())
        };
        let parts = [
            "", " ", "  ", "\t", "\n", "\u{85}", "\u{a0}", "\u{1680}", "\u{2003}", "\u{2028}",
            "\u{202f}", "\u{205f}", "\u{3000}", "a", "收入", "万元", "¥", "—", "\u{1c}",
        ];
        for s in triples(&parts) {
            assert_eq!(is_collapsed(&s), old(&s), "{s:?}");
        }
    }

    #[test]
    fn bookmarks_are_stripped_wherever_they_sit() {
        assert_eq!(
            strip_bookmarks(
                "1、 [bookmark: _Toc1409][bookmark: _Toc15396603]收入支出决算总体情况说明"
            ),
            "1、 收入支出决算总体情况说明"
        );
        assert_eq!(strip_bookmarks("无标记"), "无标记");
        // Everything the regex it replaced strips, and nothing else.
        let re = regex::Regex::new(r"\[bookmark: [^\]]*\]").unwrap();
        let mut lines: Vec<String> = [
            "[bookmark: ]", "[bookmark: a", "[bookmark:a]x", "x[bookmark: a]]y", "[bookmark: [bookmark: a]b]",
            "[bookmark: a][bookmark: b", "尾[bookmark: _Toc1]", "[[bookmark: 目录]]", "",
        ]
        .map(String::from)
        .to_vec();
        for t in crate::test_texts::sample_and_corpus_texts() {
            lines.extend(t.lines().map(String::from));
        }
        for l in &lines {
            assert_eq!(strip_bookmarks(l), re.replace_all(l, ""), "{l:?}");
        }
    }

    #[test]
    fn cell_lines_join_without_space_between_cjk() {
        assert_eq!(
            join_lines(["项目预算", "执行情况", "（万元）"]),
            "项目预算执行情况（万元）"
        );
        assert_eq!(join_lines(["其中：", "财政拨款"]), "其中：财政拨款");
        assert_eq!(join_lines(["Total", "income"]), "Total income");
        assert_eq!(join_lines(["", "  满意  ", "度指标"]), "满意度指标");
    }

    #[test]
    fn runs_of_spaces_collapse() {
        assert_eq!(
            collapse_spaces("  精神文明建设,   纪工委\t外宣 "),
            "精神文明建设, 纪工委 外宣"
        );
        assert_eq!(compact("纳入 2024 年度"), "纳入2024年度");
    }
}

/// Whitespace-free text with a way back to the source: [`compact`] plus [`Compact::source`],
/// so that a value matched on `1560.05万元` can report its source substring `1560.05 万元`.
pub struct Compact<'a> {
    /// The source itself when it has no whitespace.
    pub text: Cow<'a, str>,
    source: &'a str,
}

impl<'a> Compact<'a> {
    pub fn new(source: &'a str) -> Compact<'a> {
        Compact {
            text: compact(source),
            source,
        }
    }

    /// The source substring behind the compact byte range `start..end`. Found by walking the
    /// source when asked (once per figure), rather than by a map of every character built for
    /// every paragraph (1.8% of a text report's CPU).
    pub fn source(&self, start: usize, end: usize) -> &'a str {
        if start >= end || end > self.text.len() {
            return "";
        }
        if let Cow::Borrowed(_) = self.text {
            return &self.source[start..end];
        }
        // The first kept character at or after `start`, and the last one before `end`.
        let mut at = 0;
        let mut first = None;
        let mut last = None;
        for (i, c) in self.source.char_indices().filter(|(_, c)| !c.is_whitespace()) {
            if at >= end {
                break;
            }
            if first.is_none() && at >= start {
                first = Some(i);
            }
            last = Some(i + c.len_utf8());
            at += c.len_utf8();
        }
        match (first, last) {
            (Some(from), Some(to)) if from < to => &self.source[from..to],
            _ => "",
        }
    }
}

#[cfg(test)]
mod compact_tests {
    use super::*;

    #[test]
    fn source_of_a_compact_match() {
        let c = Compact::new("年初预算为 1560.05 万元，支出");
        let at = c.text.find("1560.05万元").unwrap();
        assert_eq!(c.source(at, at + "1560.05万元".len()), "1560.05 万元");
        assert_eq!(c.source(0, "年初预算为".len()), "年初预算为");
        let end = c.text.len();
        assert_eq!(c.source(end - "支出".len(), end), "支出");
        let plain = Compact::new("支出12.00万元");
        assert_eq!(plain.source(6, 11), "12.00");
    }
}
