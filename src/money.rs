//! Amounts, units and percentages, exact: every amount becomes a [`Decimal`] number of yuan,
//! never a float. `118.97万元`, `1,511.89 万元`, `3,286,618,082.20元`, `0.4万元`, `2200余元`,
//! `11.5亿`, `0`, `0.00`, and full-width digits (`１２．５万元`).

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

/// A money unit as reports write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Yuan,
    Thousand,
    TenThousand,
    HundredMillion,
}

impl Unit {
    /// `元`, `千元`, `万元`, `亿元` / `亿`.
    pub fn parse(s: &str) -> Option<Unit> {
        Some(match s.trim() {
            "元" => Unit::Yuan,
            "千元" => Unit::Thousand,
            "万元" | "万" => Unit::TenThousand,
            "亿元" | "亿" => Unit::HundredMillion,
            _ => return None,
        })
    }

    fn factor(self) -> Decimal {
        match self {
            Unit::Yuan => Decimal::ONE,
            Unit::Thousand => Decimal::from(1_000),
            Unit::TenThousand => Decimal::from(10_000),
            Unit::HundredMillion => Decimal::from(100_000_000),
        }
    }
}

/// An amount read from the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Amount {
    pub yuan: Decimal,
    /// The source hedges it: `余`, `约`, `近`, `多`, `逾`.
    pub approx: bool,
}

/// Folds full-width digits and separators to ASCII and drops thousands separators.
fn ascii_number(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            '．' => Some('.'),
            ',' | '，' | ' ' => None,
            '－' | '−' => Some('-'),
            c => Some(c),
        })
        .collect()
}

/// Parses a bare number (`1,511.89`, `０．４`, `-3.00`).
pub fn parse_number(s: &str) -> Option<Decimal> {
    let s = s.trim();
    // Every table cell is asked, most of them names or plain ASCII numbers: those are answered
    // without folding the cell into a new string (which was 0.9% of a text report's
    // instructions). A character no number holds, folded or not, rules the cell out.
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') {
        return if s.is_empty() { None } else { s.parse::<Decimal>().ok() };
    }
    if !s.chars().all(|c| {
        c.is_ascii_digit()
            || matches!(c, '.' | '-' | ',' | '，' | ' ' | '０'..='９' | '．' | '－' | '−')
    }) {
        return None;
    }
    let t = ascii_number(s);
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return None;
    }
    t.parse::<Decimal>().ok()
}

/// A number in a given unit, in yuan: a table cell `1,511.90` under `单位：万元`.
pub fn to_yuan(number: &str, unit: Unit) -> Option<Decimal> {
    parse_number(number)
        .and_then(|d| d.checked_mul(unit.factor()))
        .map(|d| d.normalize())
}

/// The one grammar of an amount with its unit, as a pattern other patterns embed (without
/// capture groups): `118.97万元`, `1,511.89 万元`, `约3.4亿`, `2200余元`, `１２．５万元`. The
/// figure lexicon (`{V}`) and the checks embed it; [`amounts`] and [`values`] find its matches
/// without a regex, and are tested against it.
pub const AMOUNT_PATTERN: &str = r"(?:约|近|逾)?[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?\s*(?:余|多)?\s*(?:亿元|亿|万元|千元|元)(?:余|多)?";

/// Parses a whole money string: `118.97万元` → 1189700 yuan; a bare number is yuan
/// (`0`, `0.00`). Returns `None` for text that is not exactly one amount (`XX万元`).
///
/// ```
/// use juesuan::money::{parse_money, yuan_string};
/// let a = parse_money("2200余元").unwrap();
/// assert_eq!((yuan_string(a.yuan), a.approx), ("2200".to_string(), true));
/// assert_eq!(yuan_string(parse_money("1,511.89 万元").unwrap().yuan), "15118900");
/// assert!(parse_money("XX万元").is_none());
/// ```
pub fn parse_money(s: &str) -> Option<Amount> {
    let t = s.trim();
    if let Some((start, end)) = amounts(t).next() {
        if end - start == t.len() {
            return amount_in(t);
        }
        return None;
    }
    parse_number(t).map(|d| Amount {
        yuan: d.normalize(),
        approx: false,
    })
}

/// Every amount of `text`, left to right and not overlapping, as `(start, end)` byte ranges:
/// exactly the matches of [`AMOUNT_PATTERN`]'s regex, found without it. Every amount holds
/// `元` or `亿`; a SIMD search finds those, and only the few characters before each are tried
/// as starts. The regex's automaton walked every byte of every paragraph three times a report
/// (figures, line items, unread amounts): 4–5% of a text report's CPU.
pub fn amounts(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut units = Units::default();
    let mut from = 0;
    std::iter::from_fn(move || {
        let (start, end) = next_amount(text, from, &mut units)?;
        from = end;
        Some((start, end))
    })
}

/// Every value of `text` as the figure grammar's `{V}` reads it: an amount, else a bare zero
/// (`0`, `0.00`; any `0`, even the last digit of `10`, as the regex `(?:AMOUNT|0(?:\.0+)?)`
/// finds it), left to right and not overlapping.
pub fn values(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let b = text.as_bytes();
    let mut units = Units::default();
    let mut from = 0;
    // The first amount at or after some earlier `from`, kept while it lies ahead.
    let mut ahead: Option<(usize, usize)> = None;
    std::iter::from_fn(move || {
        if ahead.is_none_or(|(start, _)| start < from) {
            ahead = next_amount(text, from, &mut units);
        }
        let zero = memchr::memchr(b'0', &b[from..]).map(|k| from + k);
        // At one position the amount comes first; before it, only a bare zero can start.
        let next = match (ahead, zero) {
            (Some(a), Some(z)) if z < a.0 => bare_zero(b, z),
            (Some(a), _) => a,
            (None, Some(z)) => bare_zero(b, z),
            (None, None) => return None,
        };
        from = next.1;
        Some(next)
    })
}

/// `0(?:\.0+)?` at byte `z`.
fn bare_zero(b: &[u8], z: usize) -> (usize, usize) {
    let zeros = b[z + 1..].iter().skip(1).take_while(|&&c| c == b'0').count();
    if b.get(z + 1) == Some(&b'.') && zeros > 0 {
        (z, z + 2 + zeros)
    } else {
        (z, z + 1)
    }
}

/// The next `元` and `亿` of a text at or after some byte, remembered between calls so that
/// each is searched for once: per word, the byte searched from and what was found there.
#[derive(Default)]
struct Units {
    yuan: Option<(usize, Option<usize>)>,
    yi: Option<(usize, Option<usize>)>,
}

impl Units {
    /// Where the first `元` or `亿` at or after byte `at` starts.
    fn next(&mut self, b: &[u8], at: usize) -> Option<usize> {
        static YUAN: LazyLock<memchr::memmem::Finder<'static>> =
            LazyLock::new(|| memchr::memmem::Finder::new("元"));
        static YI: LazyLock<memchr::memmem::Finder<'static>> =
            LazyLock::new(|| memchr::memmem::Finder::new("亿"));
        // A remembered answer holds for `at` between the byte searched from and the word found.
        let find = |cached: &mut Option<(usize, Option<usize>)>, f: &memchr::memmem::Finder| {
            let holds = cached.is_some_and(|(from, found)| {
                from <= at && found.is_none_or(|found| at <= found)
            });
            if !holds {
                *cached = Some((at, f.find(&b[at..]).map(|k| at + k)));
            }
            cached.and_then(|(_, found)| found)
        };
        let yuan = find(&mut self.yuan, &YUAN);
        let yi = find(&mut self.yi, &YI);
        match (yuan, yi) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// The first amount at or after byte `from`, as the leftmost-first regex finds it. An amount
/// starting before the first unit word at or after `from` ends with that unit, so only the
/// characters an amount is made of, right before it, can start one; each is tried in order.
/// At a start, the greedy parse is the regex's match, since no part of the grammar can end
/// where the next begins (a digit never follows the number, nor a unit the spaces).
fn next_amount(text: &str, from: usize, units: &mut Units) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut at = from;
    loop {
        let unit = units.next(b, at)?;
        let mut i = window_start(text, unit).max(from);
        // Digits before here belong to a number whose parse from an earlier digit failed,
        // and would fail again from them (see `amount_end`): skipping them keeps a long
        // number linear.
        let mut failed_up_to = 0;
        while i < unit {
            let end = match b[i] {
                b'0'..=b'9' | 0xef if i < failed_up_to => None,
                b'0'..=b'9' | 0xef => match amount_end(text, i) {
                    Ok(end) => Some(end),
                    Err(retry) => {
                        failed_up_to = retry;
                        None
                    }
                },
                // `约`, `近`, `逾`
                _ => match b.get(i..i + 3) {
                    Some([0xe7, 0xba, 0xa6] | [0xe8, 0xbf, 0x91] | [0xe9, 0x80, 0xbe]) => {
                        amount_end(text, i + 3).ok()
                    }
                    _ => None,
                },
            };
            if let Some(end) = end {
                return Some((i, end));
            }
            i += text[i..].chars().next().map_or(1, char::len_utf8);
        }
        at = unit + "元".len();
    }
}

/// Where the characters an amount is made of (digits, separators, spaces, `余`, `多` and the
/// hedge words), and a `万` or `千` of the unit, end before the unit word at byte `unit`.
fn window_start(text: &str, unit: usize) -> usize {
    let mut start = unit;
    let before = &text[..unit];
    let before = match before.strip_suffix(['万', '千']) {
        Some(b) if text[unit..].starts_with('元') => b,
        _ => before,
    };
    for (i, c) in before.char_indices().rev() {
        let part = matches!(
            c,
            '0'..='9' | '０'..='９' | ',' | '，' | '.' | '．' | '余' | '多' | '约' | '近' | '逾'
        ) || c.is_whitespace();
        if !part {
            break;
        }
        start = i;
    }
    start.min(before.len())
}

/// The end of the run of digits (ASCII or full-width) from byte `i`.
fn digits_end(b: &[u8], mut i: usize) -> usize {
    while digit_at(b, i) > 0 {
        i += digit_at(b, i);
    }
    i
}

/// The length of the digit at byte `i`: 1 (ASCII), 3 (full-width `０`–`９`), else 0.
fn digit_at(b: &[u8], i: usize) -> usize {
    match b.get(i..) {
        Some([b'0'..=b'9', ..]) => 1,
        Some([0xef, 0xbc, 0x90..=0x99, ..]) => 3,
        _ => 0,
    }
}

/// Where the amount whose number starts at byte `i` ends, if one does: [`AMOUNT_PATTERN`]
/// after its hedge word. If none does, `Err` holds the first byte from which a parse might
/// end otherwise: a start in the first run of digits or in a thousands group but the last
/// reaches the same groups, so the same end, and fails the same way; from the last group's
/// digits the run may go on (`1,2345万元` holds `2345万元`).
fn amount_end(text: &str, i: usize) -> Result<usize, usize> {
    let b = text.as_bytes();
    let digits = |j: usize| digits_end(b, j);
    let mut j = digits(i);
    if j == i {
        return Err(i + 1);
    }
    let mut retry = j;
    // `(?:[,，][0-9０-９]{3})*`
    loop {
        let comma = if b.get(j) == Some(&b',') {
            1
        } else if text[j..].starts_with('，') {
            3
        } else {
            0
        };
        if comma == 0 {
            break;
        }
        let mut k = j + comma;
        let mut three = true;
        for _ in 0..3 {
            match digit_at(b, k) {
                0 => {
                    three = false;
                    break;
                }
                n => k += n,
            }
        }
        if !three {
            break;
        }
        retry = j + comma;
        j = k;
    }
    // `(?:[.．][0-9０-９]+)?`
    let dot = if b.get(j) == Some(&b'.') {
        1
    } else if text[j..].starts_with('．') {
        3
    } else {
        0
    };
    if dot > 0 && digit_at(b, j + dot) > 0 {
        j = digits(j + dot);
    }
    // `\s*(?:余|多)?\s*`
    let spaces = |j: usize| text.len() - text[j..].trim_start().len();
    j = spaces(j);
    if let Some(rest) = text[j..].strip_prefix(['余', '多']) {
        j = text.len() - rest.len();
        j = spaces(j);
    }
    let Some(unit) = UNIT_WORDS.iter().find(|(w, _)| text[j..].starts_with(w)) else {
        return Err(retry);
    };
    j += unit.0.len();
    if text[j..].starts_with(['余', '多']) {
        j += '余'.len_utf8();
    }
    Ok(j)
}

/// The parts of an amount that [`AMOUNT_PATTERN`] matched: its number as printed, its unit, and
/// whether a word hedges it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts<'a> {
    /// `1,511.89`, `１２．５`.
    pub number: &'a str,
    pub unit: Unit,
    /// `约`, `近` or `逾` before it, `余` or `多` after the number or the unit.
    pub approx: bool,
}

/// The units a [`AMOUNT_PATTERN`] match ends with, longest first where one starts another.
const UNIT_WORDS: &[(&str, Unit)] = &[
    ("亿元", Unit::HundredMillion),
    ("亿", Unit::HundredMillion),
    ("万元", Unit::TenThousand),
    ("千元", Unit::Thousand),
    ("元", Unit::Yuan),
];

/// The parts of `m`, the whole text of a [`AMOUNT_PATTERN`] match (`约3.4亿`, `2200余元`,
/// `1,511.89 万元`); `None` for other text. The match fixes where each part ends (the number
/// is the run of digits and separators after the hedge word), so they are read off by hand:
/// capture groups made every amount's search a second, slower one.
pub fn parts(m: &str) -> Option<Parts<'_>> {
    let (pre, rest) = match ["约", "近", "逾"].iter().find_map(|w| m.strip_prefix(w)) {
        Some(rest) => (true, rest),
        None => (false, m),
    };
    let end = rest
        .find(|c: char| !matches!(c, '0'..='9' | '０'..='９' | ',' | '，' | '.' | '．'))
        .unwrap_or(rest.len());
    let (number, rest) = rest.split_at(end);
    if !number.starts_with(|c: char| matches!(c, '0'..='9' | '０'..='９')) {
        return None;
    }
    let rest = rest.trim_start();
    let (mid, rest) = match rest.strip_prefix(['余', '多']) {
        Some(rest) => (true, rest.trim_start()),
        None => (false, rest),
    };
    let (unit, rest) = UNIT_WORDS
        .iter()
        .find_map(|(w, u)| rest.strip_prefix(w).map(|r| (*u, r)))?;
    let post = match rest {
        "" => false,
        "余" | "多" => true,
        _ => return None,
    };
    Some(Parts {
        number,
        unit,
        approx: pre || mid || post,
    })
}

/// The amount of `m`, the whole text of a [`AMOUNT_PATTERN`] match.
pub fn amount_in(m: &str) -> Option<Amount> {
    let p = parts(m)?;
    Some(Amount {
        yuan: to_yuan(p.number, p.unit)?,
        approx: p.approx,
    })
}

/// A percentage as the figure and change grammars embed it, whitespace already removed.
pub const PERCENT_PATTERN: &str = r"-?[0-9０-９]+(?:[.．][0-9０-９]+)?[%％]";

/// A percentage: `98.86%`, `占100.00%` → 98.86, 100.
pub static PERCENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"-?[0-9０-９]+(?:[.．][0-9０-９]+)?\s*[%％]").unwrap());

/// Parses the first percentage in a string.
pub fn parse_percent(s: &str) -> Option<Decimal> {
    // The number is the match less its `%` and the spaces before it: found without a capture
    // group, which costs the regex a second search over the match.
    let m = PERCENT.find(s)?;
    let num = m.as_str().strip_suffix(['%', '％'])?.trim_end();
    parse_number(num).map(|d| d.normalize())
}

/// The normalized decimal string of SCHEMA.md: no exponent, no trailing zeros, no `+`.
pub fn yuan_string(d: Decimal) -> String {
    let s = d.normalize().to_string();
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`AMOUNT_PATTERN`] as a regex: the reference the scans are held to.
    static MONEY: LazyLock<Regex> = LazyLock::new(|| Regex::new(AMOUNT_PATTERN).unwrap());

    /// [`parse_number`] as it was, folding every text before looking at it.
    fn parse_number_by_folding(s: &str) -> Option<Decimal> {
        let t = ascii_number(s.trim());
        if t.is_empty() || !t.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '-') {
            return None;
        }
        t.parse::<Decimal>().ok()
    }

    /// The quick answers give what folding gave: on made-up cells, and on every line, TAB
    /// cell and space-separated word of the samples and the corpus's texts.
    #[test]
    fn parse_number_answers_as_folding_did() {
        let made = [
            "", " ", "1,511.89", "０．４", "-3.00", "－3", "−3", "1 234", "1，234", "12a", "-",
            ".", "1.2.3", "--1", " 7 ", "\u{3000}7", "7\u{3000}", "1\u{3000}2", "万元", "１２ ３",
            "0", "00", "1e5", "+1",
        ];
        let texts = crate::test_texts::sample_and_corpus_texts();
        let pieces = texts.iter().flat_map(|t| {
            t.lines()
                .flat_map(|l| std::iter::once(l).chain(l.split('\t')).chain(l.split(' ')))
        });
        let mut numbers = 0;
        for s in made.iter().copied().chain(pieces) {
            let want = parse_number_by_folding(s);
            numbers += usize::from(want.is_some());
            assert_eq!(parse_number(s), want, "{s:?}");
        }
        assert!(numbers > 100, "{numbers}");
    }

    /// [`AMOUNT_PATTERN`], its regex and the scan [`amounts`] are one grammar: they match the
    /// same text.
    #[test]
    fn one_money_grammar() {
        let pattern = Regex::new(&format!("^{AMOUNT_PATTERN}$")).unwrap();
        for s in [
            "118.97万元",
            "1,511.89 万元",
            "约3.4亿",
            "2200余元",
            "１２．５万元",
            "10余万元",
            "3万元多",
        ] {
            let m = MONEY.find(s).map(|m| m.as_str());
            assert_eq!(m, Some(s), "{s}");
            assert_eq!(amounts(s).collect::<Vec<_>>(), [(0, s.len())], "{s}");
            assert!(pattern.is_match(s), "{s}");
        }
        for s in ["12.5", "万元", "XX万元"] {
            assert!(
                !pattern.is_match(s) && MONEY.find(s).is_none_or(|m| m.as_str() != s),
                "{s}"
            );
        }
    }

    /// [`parts`] reads a match as the capture groups of the same grammar did: on made-up
    /// amounts and on every amount of the samples and the corpus's layout texts.
    #[test]
    fn parts_are_the_capture_groups() {
        let groups = Regex::new(
            r"(?P<pre>约|近|逾)?(?P<num>[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?)\s*(?P<mid>余|多)?\s*(?P<unit>亿元|亿|万元|千元|元)(?P<post>余|多)?",
        )
        .unwrap();
        let made = "约3.4亿，2200余元，1,511.89 万元，１２．５万元，10余万元，3万元多，近5 多 千元，1,2345万元，1.2.3万元，逾0元余";
        let texts = crate::test_texts::sample_and_corpus_texts();
        let mut n = 0;
        for text in texts.iter().map(String::as_str).chain([made]) {
            for (m, c) in MONEY.find_iter(text).zip(groups.captures_iter(text)) {
                assert_eq!(m.range(), c.get(0).unwrap().range(), "{text}");
                let want = Parts {
                    number: &c["num"],
                    unit: Unit::parse(&c["unit"]).unwrap(),
                    approx: c.name("pre").is_some()
                        || c.name("mid").is_some()
                        || c.name("post").is_some(),
                };
                assert_eq!(parts(m.as_str()), Some(want), "{}", m.as_str());
                n += 1;
            }
        }
        // The two samples alone state 150 amounts.
        assert!(n >= 150, "{n} amounts");
        assert_eq!(parts("XX万元"), None);
        assert_eq!(
            parts("近5 多 千元"),
            Some(Parts {
                number: "5",
                unit: Unit::Thousand,
                approx: true
            })
        );
    }

    /// The scans find what the regexes find: every match, on made-up text full of near
    /// misses, on every line of the samples and the corpus's layout texts, and on every
    /// suffix of the made-up text (each start a byte of another kind).
    #[test]
    fn the_scans_are_the_regexes() {
        let value = Regex::new(&format!(r"(?:{AMOUNT_PATTERN}|0(?:\.0+)?)")).unwrap();
        let made = "约3.4亿，2200余元，1,511.89 万元，１２．５万元，10余万元，3万元多，近5 多 千元，\
            1,2345万元，1.2.3万元，逾0元余，12，345元，12，34万元，0.00，0.0.0，10，2021年0.，约万元，\
            近日，５．万元，３，０００元，1, 000元，100 亿元，1亿余元，7千，8千元多，9 余 元 余，00.000，\
            逾期5天，0万，05万元，\u{3000}3\u{3000}万元，，3千元，2千 元，12万3元，单元12元，\
            1亿元余，万元3元，5万，0.0,000元，2亿亿元，元元，1.5元多多，";
        let texts = crate::test_texts::sample_and_corpus_texts();
        let mut lines: Vec<&str> = texts.iter().flat_map(|t| t.lines()).collect();
        let suffixes: Vec<&str> = made
            .char_indices()
            .map(|(i, _)| &made[i..])
            .collect();
        lines.extend(suffixes);
        for text in lines {
            let want: Vec<(usize, usize)> =
                MONEY.find_iter(text).map(|m| (m.start(), m.end())).collect();
            assert_eq!(amounts(text).collect::<Vec<_>>(), want, "{text}");
            let want: Vec<(usize, usize)> =
                value.find_iter(text).map(|m| (m.start(), m.end())).collect();
            assert_eq!(values(text).collect::<Vec<_>>(), want, "{text}");
        }
        // A run of digits or of thousands groups that starts no amount is passed over once,
        // not once per digit.
        let long = format!("{}号{}号", "1".repeat(200_000), "0".repeat(5));
        assert_eq!(amounts(&long).count(), 0);
        assert_eq!(values(&long).count(), 5);
        let groups = format!("1{} 余 余元", ",111".repeat(100_000));
        assert_eq!(amounts(&groups).count(), 0);
        let decimals = format!("1.{} 余 余元", "1".repeat(200_000));
        assert_eq!(amounts(&decimals).count(), 0);
        let found: Vec<&str> = amounts("共1,511.89 万元，10余万元和约3亿")
            .map(|(s, e)| &"共1,511.89 万元，10余万元和约3亿"[s..e])
            .collect();
        assert_eq!(found, ["1,511.89 万元", "10余万元", "约3亿"]);
    }

    #[track_caller]
    fn check(input: &str, yuan: &str, approx: bool) {
        let a = parse_money(input).unwrap_or_else(|| panic!("no amount in {input}"));
        assert_eq!(
            (yuan_string(a.yuan).as_str(), a.approx),
            (yuan, approx),
            "{input}"
        );
    }

    #[test]
    fn amounts_as_reports_write_them() {
        for (input, yuan, approx) in [
            ("118.97万元", "1189700", false),
            ("1,511.89 万元", "15118900", false),
            ("3,286,618,082.20元", "3286618082.2", false),
            ("0.4万元", "4000", false),
            ("2200余元", "2200", true),
            ("11.5亿", "1150000000", false),
            ("11.5亿元", "1150000000", false),
            ("0", "0", false),
            ("0.00", "0", false),
            ("0万元", "0", false),
            ("853.00万元", "8530000", false),
            ("１２．５万元", "125000", false),
            ("约5万元", "50000", true),
            ("近3000元", "3000", true),
            ("100多万元", "1000000", true),
            ("3千元", "3000", false),
            ("15.6万元", "156000", false),
            ("91,016,775.35", "91016775.35", false),
        ] {
            check(input, yuan, approx);
        }
        assert!(parse_money("XX万元").is_none());
        assert!(parse_money("万元").is_none());
        assert!(
            parse_money("共计5万元整").is_none(),
            "not exactly one amount"
        );
    }

    #[test]
    fn table_cells_in_the_table_unit() {
        assert_eq!(
            yuan_string(to_yuan("1,511.90", Unit::TenThousand).unwrap()),
            "15119000"
        );
        assert_eq!(
            yuan_string(to_yuan("82,096,797.42", Unit::Yuan).unwrap()),
            "82096797.42"
        );
        assert!(to_yuan("XX", Unit::Yuan).is_none());
        assert!(to_yuan("", Unit::Yuan).is_none());
    }

    #[test]
    fn percentages() {
        assert_eq!(
            parse_percent("占98.86%").map(yuan_string).as_deref(),
            Some("98.86")
        );
        assert_eq!(
            parse_percent("占100.00%").map(yuan_string).as_deref(),
            Some("100")
        );
        assert_eq!(
            parse_percent("下降5.97％").map(yuan_string).as_deref(),
            Some("5.97")
        );
        assert_eq!(parse_percent("0%").map(yuan_string).as_deref(), Some("0"));
        assert!(parse_percent("XX%").is_none());
    }

    /// The percentage read from the match alone is the one its capture group gave (the code
    /// it replaced), on made-up shapes and every line of the samples and the corpus.
    #[test]
    fn percentages_as_the_capture_group_read_them() {
        let captures =
            Regex::new(r"(?P<num>-?[0-9０-９]+(?:[.．][0-9０-９]+)?)\s*[%％]").unwrap();
        let before = |s: &str| {
            captures
                .captures(s)
                .and_then(|c| parse_number(&c["num"]))
                .map(|d| d.normalize())
        };
        let mut lines: Vec<String> = [
            "增长 12.5 %", "下降-3％", "１２．５\u{3000}％", "5.%", "-.5%", "1.2.3%", "--5%", "占 %", "100",
        ]
        .map(String::from)
        .to_vec();
        for t in crate::test_texts::sample_and_corpus_texts() {
            lines.extend(t.lines().map(String::from));
        }
        for l in &lines {
            assert_eq!(parse_percent(l), before(l), "{l:?}");
        }
    }
}
