//! Year-on-year changes: `比去年减少了54.20万元，下降5.97%`, `与2024年预算持平`,
//! `本年数小于上年预算数 220 万元`. One grammar, read after a figure's value and after a
//! narrative line item's amount alike.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::money;

/// Year-on-year direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Increase,
    Decrease,
    Flat,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Decrease => "decrease",
            Direction::Flat => "flat",
        }
    }
}

/// `比去年减少了54.20万元，下降5.97%`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub direction: Direction,
    pub amount: Option<Decimal>,
    pub pct: Option<Decimal>,
}

/// The words that state a direction, each with the direction it states: the one vocabulary of
/// [`DIR_RE`], the figure and line-item readers and the checks (a test holds `DIR_RE` to it).
/// `比上年减少5.00万元，降低5.88%` and `上升3.2%` are wordings of provinces other than the
/// corpus's.
pub(crate) const DIRECTION_WORDS: &[(&str, Direction)] = &[
    ("增加", Direction::Increase),
    ("增长", Direction::Increase),
    ("上升", Direction::Increase),
    ("减少", Direction::Decrease),
    ("下降", Direction::Decrease),
    ("降低", Direction::Decrease),
    ("持平", Direction::Flat),
    ("一致", Direction::Flat),
    ("不变", Direction::Flat),
    ("相同", Direction::Flat),
    ("相等", Direction::Flat),
];

/// Whether `text` holds a word of [`DIRECTION_WORDS`]. A SIMD search per word is the quickest
/// way measured: an Aho-Corasick automaton over the words took 40% longer, and a scan of the
/// characters several times that, since the words' first characters (`一`, `不`, `上`, `下`)
/// are among the commonest of Chinese text. Each word's searcher is built once: building one
/// per call, as `str::contains` and `memmem::find` do, cost more than the search.
pub(crate) fn names_a_direction(text: &str) -> bool {
    static FINDERS: LazyLock<Vec<memchr::memmem::Finder<'static>>> = LazyLock::new(|| {
        DIRECTION_WORDS
            .iter()
            .map(|(w, _)| memchr::memmem::Finder::new(w))
            .collect()
    });
    FINDERS.iter().any(|f| f.find(text.as_bytes()).is_some())
}

/// The direction a word of [`DIRECTION_WORDS`] states.
pub(crate) fn direction_of(word: &str) -> Option<Direction> {
    DIRECTION_WORDS
        .iter()
        .find(|(w, _)| *w == word)
        .map(|&(_, d)| d)
}

/// A stated direction: `增加`, `减少了`, `持平`, `与上年数一致`, with the template residue some
/// reports leave behind (`增加（减少）0万元`, `下降（增长）20.00%`).
pub(crate) const DIR_RE: &str = r"(?P<dir>增加|减少|增长|下降|上升|降低|持平|一致|不变|相同|相等)了?(?:[（(](?:增加|减少|增长|下降)[）)])?";

/// `（增长）` after a direction word: a template's alternative left in.
const RESIDUE: &str = r"(?:[（(](?:增加|减少|增长|下降)[）)])?";

/// What a change is compared with: `比2020年`, `与上年相比`, `比2026年预算执行数`,
/// `比2026年（上一年度，下同）预算`, `与上一年度`, `较上年同期`.
pub(crate) const HEAD_RE: &str = r"(?:与|比|较)(?:上年|去年|上一年度|上一?年|[0-9]{4}年度?)(?:同期|预算执行数|预算数|预算|决算数|决算|执行数|数)?(?:[（(][^）)]{0,12}[）)])?(?:预算)?(?:相比|对比|比较)?";

/// The words before how much of its budget a statement spent (`完成预算的80.00%`,
/// `完成年初预算的 25.83%`, `完成调整预算的96.97%`): one grammar for figures and line items.
pub(crate) const COMPLETION_PATTERN: &str = r"完成(?:全年|年初|调整)?预算(?:数)?的?";

/// The changed amount after a direction, optional: group `amt`; or, with no amount, the
/// percentage right after the direction (`较上年增长2.50%`): group `dpct`.
pub(crate) fn amount_group() -> String {
    format!(
        "(?:(?P<amt>{})|(?P<dpct>{}))?",
        money::AMOUNT_PATTERN,
        money::PERCENT_PATTERN
    )
}

/// The percentage that may follow (`，下降5.97%`, `，同比增长8%`, `，降幅54.9%`): group `pct`.
pub(crate) fn pct_group() -> String {
    format!(
        "(?:[，,]?(?:同比)?(?:{}|降幅|增幅|减幅)(?:了|为)?{RESIDUE}(?P<pct>{}))?",
        moving_words(),
        money::PERCENT_PATTERN
    )
}

/// The direction words that state a rise or a fall, as a regex choice (`增加|增长|…`).
pub(crate) fn moving_words() -> String {
    DIRECTION_WORDS
        .iter()
        .filter(|(_, d)| *d != Direction::Flat)
        .map(|(w, _)| *w)
        .collect::<Vec<_>>()
        .join("|")
}

/// A change after a value, in the same clause, the next one, or a sentence that follows
/// without a subject of its own (perhaps after one sentence of explanation):
/// `，比2020年减少6.73万元，下降18.15%`, `，与2024年预算持平`, `。比2026年预算持平`,
/// `。主要用于燃料费等支出。与2025年相比，增加0.40万元，同比增长8.00%`,
/// `，与上年相比收、支预算总计各增加 300.00 万元，增长 6.28%`, `，同比增长8%`.
static AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[，,；;。]?(?:[^。；0-9０-９]{{0,60}}。)?(?:(?:{HEAD_RE}[，,]?)+[^，。；0-9０-９]{{0,12}}?|(?:同比)?){DIR_RE}{}{}",
        amount_group(),
        pct_group()
    ))
    .unwrap()
});

/// `，本年数小于上年预算数 220 万元`, `，本年数等于上年预算数`: a change stated as a comparison.
static COMPARED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[，,]?本年(?:预算)?数?(?P<cmp>大于|小于|等于|高于|低于|多于|少于)(?:上年|去年)(?:预算数|决算数|数)?(?P<amt>{})?",
        money::AMOUNT_PATTERN
    ))
    .unwrap()
});

/// The change stated right after a value (`rest` is the compacted text after it).
pub(crate) fn after(rest: &str) -> Option<Change> {
    // Each pattern is asked only of a text that holds its words (a direction word; `本年` at
    // the start): a captures call that fails still clears its backtracker's memory for the
    // whole text first.
    if names_a_direction(rest) {
        if let Some(c) = AFTER.captures(rest) {
            return of_captures(&c);
        }
    }
    let start = rest.strip_prefix(['，', ',']).unwrap_or(rest);
    if !start.starts_with("本年") {
        return None;
    }
    let c = COMPARED.captures(rest)?;
    let direction = match &c["cmp"] {
        "大于" | "高于" | "多于" => Direction::Increase,
        "小于" | "低于" | "少于" => Direction::Decrease,
        _ => Direction::Flat,
    };
    Some(Change {
        direction,
        amount: (direction != Direction::Flat)
            .then(|| c.name("amt").and_then(|m| money::parse_money(m.as_str())))
            .flatten()
            .map(|a| a.yuan),
        pct: None,
    })
}

/// A change from a match with the groups `dir`, and optionally `amt` and `pct` (or `dpct`, a
/// percentage right after the direction).
pub(crate) fn of_captures(c: &regex::Captures) -> Option<Change> {
    let direction = direction_of(&c["dir"])?;
    // With `一致`/`持平` a trailing amount is the comparison's base, not a change
    // (`与2026年预算一致0万元`).
    let amount = (direction != Direction::Flat)
        .then(|| c.name("amt").and_then(|m| money::parse_money(m.as_str())))
        .flatten()
        .map(|a| a.yuan);
    Some(Change {
        direction,
        amount,
        pct: c
            .name("pct")
            .or_else(|| c.name("dpct"))
            .and_then(|m| money::parse_percent(m.as_str())),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `DIR_RE` names exactly the words of `DIRECTION_WORDS`, so that a word added to one is
    /// not silently missing from the other.
    #[test]
    fn the_direction_regex_is_the_vocabulary() {
        let inner = DIR_RE
            .strip_prefix("(?P<dir>")
            .and_then(|r| r.split_once(')'))
            .map(|(words, _)| words)
            .unwrap();
        let mut in_re: Vec<&str> = inner.split('|').collect();
        let mut words: Vec<&str> = DIRECTION_WORDS.iter().map(|(w, _)| *w).collect();
        in_re.sort();
        words.sort();
        assert_eq!(in_re, words);
    }

    /// `降低` and `上升`, the wordings of other provinces, read as `下降` and `增长` do.
    #[test]
    fn every_direction_word_reads_with_its_amount_and_percentage() {
        let read = |rest: &str| {
            let c = after(rest).unwrap();
            (
                c.direction,
                c.amount.map(|a| a.to_string()),
                c.pct.map(|p| p.to_string()),
            )
        };
        assert_eq!(
            read("，比上年减少5.00万元，降低5.88%。"),
            (Direction::Decrease, Some("50000".into()), Some("5.88".into()))
        );
        assert_eq!(
            read("，比上年降低5.00万元。"),
            (Direction::Decrease, Some("50000".into()), None)
        );
        assert_eq!(
            read("，比上年增加2.00万元，上升3.2%。"),
            (Direction::Increase, Some("20000".into()), Some("3.2".into()))
        );
        assert_eq!(read("，与上年持平。"), (Direction::Flat, None, None));
    }
}
