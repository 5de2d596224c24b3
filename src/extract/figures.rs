//! Headline figures: the rows of `data/figures.tsv` read in every paragraph, plus the
//! class totals of the structure statement (`一般公共服务（类）支出642.25万元，占76.16%`),
//! whose names come from the classification table.
//!
//! Most rows name a figure by a label: each amount of a paragraph is read backwards, the
//! words before it less a connector (`预算数为`) end with a label, and the label's row gives
//! the key (`label_hits`). The few rows that state more than a label (a value inside the
//! phrase, a count with its measure word) run as regexes, only where their literal occurs.
//!
//! A figure stated twice keeps its first statement; a later one with another value is kept
//! as a [`Conflict`] for the checks, never silently replaced.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::anchored::Anchored;
use crate::classification;
use crate::extract::change;
use crate::extract::labels::{self, Connectors, LabelForm, LabelIndex};
pub use crate::extract::change::{Change, Direction};
use crate::extract::meta::ReportKind;
use crate::extract::sections::Section;
use crate::model::{BlockKind, Document, Loc};
use crate::money;
use crate::prefilter::Prefilter;
use crate::text::Compact;

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureUnit {
    Yuan,
    Percent,
    Count,
}

impl FigureUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            FigureUnit::Yuan => "yuan",
            FigureUnit::Percent => "percent",
            FigureUnit::Count => "count",
        }
    }
}

/// A headline number.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub key: &'static str,
    pub value: Decimal,
    pub unit: FigureUnit,
    pub raw: String,
    pub approx: bool,
    pub share_pct: Option<Decimal>,
    pub change: Option<Change>,
    /// For class totals: the 类 code and the name as printed.
    pub code: Option<String>,
    pub name: Option<String>,
    pub loc: Loc,
}

/// A figure stated again with a different value.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub key: &'static str,
    pub code: Option<String>,
    pub first: Decimal,
    pub later: Decimal,
    pub raw: String,
    pub loc: Loc,
}

/// The figures of a document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figures {
    pub list: Vec<Figure>,
    pub conflicts: Vec<Conflict>,
}

impl Figures {
    /// The first figure of a key.
    pub fn get(&self, key: &str) -> Option<&Figure> {
        self.list.iter().find(|f| f.key == key)
    }

    /// Every figure of a key (class totals are one per code).
    pub fn all<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Figure> + 'a {
        self.list.iter().filter(move |f| f.key == key)
    }
}

enum ChangeRule {
    None,
    Default,
    After(LazyRegex),
}

/// A rule's regex, compiled when first used: a report matches few of the rules, and
/// compiling all of their patterns (each with the money grammar) up front was half of a
/// one-file run. It runs anchored at its literal prefixes where it can ([`Anchored`]).
struct LazyRegex {
    source: String,
    compiled: std::sync::OnceLock<(Anchored, Groups)>,
}

impl LazyRegex {
    fn new(source: String) -> LazyRegex {
        LazyRegex {
            source,
            compiled: std::sync::OnceLock::new(),
        }
    }

    fn compiled(&self) -> &(Anchored, Groups) {
        self.compiled
            .get_or_init(|| LazyRegex::with_groups(Anchored::new(&self.source)))
    }

    /// Compiled for a caller whose dispatch gives the starts ([`Anchored::given`]).
    fn given(&self, anchorable: bool) -> &(Anchored, Groups) {
        self.compiled.get_or_init(|| {
            LazyRegex::with_groups(Anchored::given(&self.source, anchorable))
        })
    }

    fn with_groups(re: Anchored) -> (Anchored, Groups) {
        let groups = Groups::of(re.regex());
        (re, groups)
    }

    fn get(&self) -> &Anchored {
        &self.compiled().0
    }
}

/// Where a pattern's value and connector groups are, by index: a match's groups are asked for
/// by index, since asking by name hashes the name (SipHash) each time, up to 32 names a match.
struct Groups {
    /// The value groups in the order [`VALUE_GROUPS`] tries them.
    values: Vec<usize>,
    connectors: Vec<usize>,
}

impl Groups {
    fn of(re: &Regex) -> Groups {
        let names: Vec<Option<&str>> = re.capture_names().collect();
        let indices = |wanted: &[&str]| -> Vec<usize> {
            wanted
                .iter()
                .filter_map(|w| names.iter().position(|n| *n == Some(*w)))
                .collect()
        };
        Groups {
            values: indices(&VALUE_GROUPS),
            connectors: indices(&CONNECTOR_GROUPS),
        }
    }

    /// The first value group that matched.
    fn value<'h>(&self, caps: &regex::Captures<'h>) -> Option<regex::Match<'h>> {
        self.values.iter().find_map(|&i| caps.get(i))
    }

    /// The connector the match captured (empty when its pattern has none).
    fn connector<'h>(&self, caps: &regex::Captures<'h>) -> &'h str {
        self.connectors
            .iter()
            .find_map(|&i| caps.get(i))
            .map_or("", |m| m.as_str())
    }
}

/// One row of `data/figures.tsv`.
struct Rule {
    key: &'static str,
    unit: FigureUnit,
    section: Option<&'static str>,
    pattern: LazyRegex,
    change: ChangeRule,
    /// The label alone followed by a change (`…支出决算增加0.40万元，增长8.00%`), for a later
    /// sentence that names a figure without its value; only for rows whose change is
    /// `default`.
    label_change: Option<LazyRegex>,
    /// The literal text the label starts with (`三公`, `公务接待费`): a later sentence that
    /// does not hold it leaves the row's figure waiting for its change; empty when the label
    /// starts with a pattern. Found with the change wordings' literals ([`LATER`]).
    anchor: String,
    /// For a row that names its figure by a label alone, the label's wordings: the clause
    /// reader ([`label_hits`]) reads it from the amount backwards, and `pattern` is not run.
    label: Option<LabelForm>,
    /// The sentence the row came from; the tests hold the row to it.
    #[cfg_attr(not(test), allow(dead_code))]
    example: &'static str,
}

/// An amount with its unit: the one money grammar of [`money::AMOUNT_PATTERN`].
const MONEY_RE: &str = money::AMOUNT_PATTERN;
const PERCENT_RE: &str = money::PERCENT_PATTERN;

/// What may stand between a label and its amount whatever the label: the statement's kind
/// (`基本支出预算数为9312.9万元`, `机关运行经费预算支出1642.08万元`, `支出决算为…`) and a verb,
/// perhaps with a colon (`收入预算总计：3,456.78万元`), `合计` after a part's label
/// (`人员经费合计700.00万元`), and `各`/`均` where one amount states two totals
/// (`收、支总计均为500.00万元`).
/// A kind word that contradicts the report (`预算` in a 决算 report states the budget, not the
/// figure) drops the match; see [`connector_fits`].
const CONNECTOR: &str =
    r"(?:预算|决算)?(?:支出)?(?:预算|决算)?(?:数|金额|总额|合计)?(?:各|均)?(?:为|是|达|共计)?[：:]?";

/// Whether the words between a label and its value fit the report: `预算` only in a budget,
/// `决算` only in final accounts, either when the kind is unknown.
fn connector_fits(conn: &str, kind: Option<ReportKind>) -> bool {
    match kind {
        Some(ReportKind::Budget) => !holds!(conn, "决算"),
        Some(ReportKind::FinalAccounts) => !holds!(conn, "预算"),
        None => true,
    }
}

/// Whether a label row's statement (label and connector) states the report's own kind of
/// amount. A kind word in the connector decides ([`connector_fits`]); else the label's own
/// stage does: in a 决算, `支出预算为30.00万元` and `财政拨款支出预算` state the budget, as
/// `预算数为` after a label does. A key that names a budget (`three_public.budget`,
/// `general_budget.budget`, `budget.*`) is read from a 决算's `预算` words; a budget
/// report's own figures are its budget, so there such a key needs the 决算 template's `年初`.
fn words_fit(key: &str, label: &str, connector: &str, kind: Option<ReportKind>) -> bool {
    if key.ends_with(".budget") || key.starts_with("budget.") {
        return kind != Some(ReportKind::Budget) || holds!(label, "年初");
    }
    if holds!(connector, "预算") || holds!(connector, "决算") {
        return connector_fits(connector, kind);
    }
    connector_fits(label_stage(label), kind)
}

/// The stage a label names: its last `决算`, or `预算` right after a flow (`支出预算`,
/// `收入预算`, `经费预算`, `拨款预算`). Not a fund's name (`一般公共预算`), nor the budget of
/// what is reserved (`面向中小企业预留政府采购项目预算金额`, the amount itself in a 决算 too).
fn label_stage(label: &str) -> &'static str {
    const FLOWS: [&str; 4] = ["支出", "收入", "费", "拨款"];
    let budget = label
        .match_indices("预算")
        .map(|(i, _)| i)
        .filter(|&i| FLOWS.iter().any(|f| label[..i].ends_with(f)))
        .last();
    match (budget, label.rfind("决算")) {
        (Some(b), Some(f)) if f > b => "决算",
        (Some(_), _) => "预算",
        (None, Some(_)) => "决算",
        (None, None) => "",
    }
}

/// The connector groups [`expand`] names, in order.
const CONNECTOR_GROUPS: [&str; 8] = ["c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8"];

/// The value groups [`expand`] names, in the order they are tried: by number, then amount,
/// percentage, count. The first that matched holds the figure.
const VALUE_GROUPS: [&str; 24] = [
    "v1", "p1", "n1", "v2", "p2", "n2", "v3", "p3", "n3", "v4", "p4", "n4", "v5", "p5", "n5",
    "v6", "p6", "n6", "v7", "p7", "n7", "v8", "p8", "n8",
];

/// Expands `{V}`, `{P}`, `{N}` into numbered value groups (`v1`, `p2`, …), since one pattern may
/// name several alternatives.
fn expand(pattern: &str) -> String {
    let mut out = String::new();
    let mut n = 0;
    let mut rest = pattern;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        let value = |group: &str, re: &str, n: usize| format!("(?P<{group}{n}>{re})");
        if let Some(r) = tail.strip_prefix("{V}") {
            n += 1;
            out.push_str(&format!("(?P<c{n}>{CONNECTOR})"));
            // A figure's value: an amount with its unit, or a bare zero, which needs none
            // (`政府性基金拨款支出预算为0；`, `年初预算为 0，`).
            out.push_str(&value("v", &format!(r"(?:{MONEY_RE}|0(?:\.0+)?)"), n));
            rest = r;
        } else if let Some(r) = tail.strip_prefix("{P}") {
            n += 1;
            out.push_str(&value("p", PERCENT_RE, n));
            rest = r;
        } else if let Some(r) = tail.strip_prefix("{N}") {
            n += 1;
            out.push_str(&value("n", "[0-9０-９]+", n));
            rest = r;
        } else if let Some(r) = tail.strip_prefix("{DIR}") {
            out.push_str(change::DIR_RE);
            rest = r;
        } else if let Some(r) = tail.strip_prefix("{CV}") {
            out.push_str(&change::amount_group());
            rest = r;
        } else if let Some(r) = tail.strip_prefix("{CP}") {
            out.push_str(&change::pct_group());
            rest = r;
        } else {
            // A regex repetition such as `{0,6}`.
            out.push('{');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    assert!(
        n <= CONNECTOR_GROUPS.len(),
        "{pattern}: more values than the named groups asked for"
    );
    out
}

/// The whole-phrase rows, by row number.
static PHRASE_ROWS: LazyLock<Vec<usize>> =
    LazyLock::new(|| (0..RULES.len()).filter(|&i| RULES[i].label.is_none()).collect());

/// The whole-phrase rows' literals: a paragraph is searched only with the rows whose literal
/// it holds (a `RegexSet` of the rows answers as fast, but compiles them all a second time).
/// The candidates are positions in [`PHRASE_ROWS`].
static DISPATCH: LazyLock<Prefilter> = LazyLock::new(|| {
    Prefilter::new(
        PHRASE_ROWS
            .iter()
            .map(|&i| RULES[i].pattern.source.as_str()),
    )
});

static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    include_str!("../../data/figures.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let c: Vec<&'static str> = l.split('\t').collect();
            assert!(c.len() >= 6, "figures.tsv row needs 6 columns: {l}");
            let unit = match c[1] {
                "yuan" => FigureUnit::Yuan,
                "percent" => FigureUnit::Percent,
                "count" => FigureUnit::Count,
                u => panic!("unknown unit {u}"),
            };
            let change = match c[4] {
                "" => ChangeRule::None,
                "default" => ChangeRule::Default,
                r => ChangeRule::After(LazyRegex::new(expand(r))),
            };
            let label_change = (matches!(change, ChangeRule::Default) && !labels::top_level_or(c[3]))
                .then(|| c[3].split("{V}").next())
                .flatten()
                .map(|label| {
                    let head = change::HEAD_RE;
                    LazyRegex::new(expand(&format!(
                        r"{label}(?:支出|决算|预算|数)*[^，。；0-9０-９]{{0,6}}?(?:(?:{head}[，,]?)+[^，。；0-9０-９]{{0,12}}?|(?:同比)?){{DIR}}{{CV}}{{CP}}"
                    )))
                });
            let chars: Vec<char> = c[3].chars().collect();
            // Literal characters up to the first pattern syntax; one made optional
            // (`公务用?车`) is not part of it.
            let anchor = chars
                .iter()
                .enumerate()
                .take_while(|(k, ch)| {
                    crate::text::is_cjk(**ch)
                        && !matches!(ch, '（' | '）')
                        && !matches!(chars.get(k + 1), Some('?' | '*' | '{'))
                })
                .map(|(_, ch)| *ch)
                .collect::<String>();
            Rule {
                key: c[0],
                unit,
                section: (c[2] != "*").then_some(c[2]),
                pattern: LazyRegex::new(expand(c[3])),
                change,
                label_change,
                anchor,
                label: labels::label_form(c[3]),
                example: c[5],
            }
        })
        .collect()
});

/// `，占98.86%`, `，占本年支出合计的98.86%`, `，占政府采购支出总额的58.58%`.
static SHARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[，,、]?占[^，。；0-9０-９]{{0,16}}?{PERCENT_RE}"
    ))
    .unwrap()
});

/// `，完成预算的80.00%`: how much of its budget a figure spent, which the national template
/// states between a figure and its change (`“三公”经费财政拨款支出决算为12.00万元，完成预算的
/// 80.00%，比2021年度减少3.00万元，下降20.00%`).
static COMPLETION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[，,]?{}(?:{PERCENT_RE})",
        change::COMPLETION_PATTERN
    ))
    .unwrap()
});

/// Class totals of the structure statement: a class name (current or former, with or
/// without `支出` and `（类）`) right before an amount.
static CLASS_TOTAL: LazyLock<Anchored> = LazyLock::new(|| Anchored::new(&class_total_pattern()));

/// The pattern of [`CLASS_TOTAL`]: every class name, longest first.
fn class_total_pattern() -> String {
    let mut names: Vec<String> = classification::classes()
        .flat_map(|e| std::iter::once(e.name).chain(e.former.iter().copied()))
        .map(|n| regex::escape(&classification::name_key(n)))
        .collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.dedup();
    format!(
        r"(?P<name>{})(?:（类）|\(类\)|\(类）)?(?:支出)?(?:（类）|\(类\)|\(类）)?[”\x22]?(?:科目)?(?P<v1>{MONEY_RE})",
        names.join("|")
    )
}

/// The value of a clause that restates the figure before it in the report's own kind:
/// `，决算数为4.00万元`, `，支出决算为320.00万元` right after `text[..after]`.
fn restated(text: &str, after: usize, kind: Option<ReportKind>) -> Option<(usize, usize)> {
    let word = match kind? {
        ReportKind::FinalAccounts => "决算",
        ReportKind::Budget => "预算",
    };
    let at = text.len() - text[after..].strip_prefix(['，', ','])?.len();
    let (start, end) = money::values(&text[at..]).next()?;
    let connector = &text[at..at + start];
    (connector.contains(word) && CONNECTORS.is_whole(connector)).then_some((at + start, at + end))
}

/// The matches of a whole-phrase row in `text`, as `captures_iter` of its regex finds them:
/// each with the byte where the text its captures index starts, and the groups to read them
/// by. With `starts`, where its literal prefixes start ([`Prefilter::candidate_starts`] of
/// the dispatch, which found them for every row in one pass), its regex runs anchored there.
fn phrase_matches<'t>(
    rule: &'t Rule,
    text: &'t str,
    starts: Option<Vec<usize>>,
) -> Vec<(usize, regex::Captures<'t>, &'t Groups)> {
    // The dispatch gives starts exactly when the row can be anchored.
    let (re, groups) = rule.pattern.given(starts.is_some());
    let found = match starts {
        Some(starts) => re.captures_at(text, starts),
        None => re.captures_iter(text),
    };
    found
        .into_iter()
        .map(|(at, caps)| (at, caps, groups))
        .collect()
}

/// The rows that take a change stated in a later sentence ([`Rule::label_change`]), by row
/// number.
static LATER_ROWS: LazyLock<Vec<usize>> = LazyLock::new(|| {
    (0..RULES.len())
        .filter(|&i| RULES[i].label_change.is_some())
        .collect()
});

/// The anchors of the rows of [`LATER_ROWS`], in one dispatch: asked of each paragraph that
/// names a direction, once for all the rows still waiting. A row's label-and-change wording
/// starts with its anchor (a test holds every row to that), so the wording runs anchored
/// where the anchor starts. A row without an anchor (its label starts with a pattern:
/// `(?:^|[^位])事业收入`) is dispatched by its wording's own literals, so that it runs only
/// on a paragraph that holds them. One search for each row's anchor and one prefilter pass
/// for each row's wording were 3% of a text batch's samples (`perf`, copies of the sample).
static LATER: LazyLock<Prefilter> = LazyLock::new(|| {
    let patterns: Vec<String> = LATER_ROWS
        .iter()
        .map(|&i| {
            let rule = &RULES[i];
            match &rule.label_change {
                Some(wording) if rule.anchor.is_empty() => wording.source.clone(),
                _ => regex::escape(&rule.anchor),
            }
        })
        .collect();
    Prefilter::new(patterns.iter().map(String::as_str))
});

/// The label rows' wordings.
static LABELS: LazyLock<LabelIndex> =
    LazyLock::new(|| LabelIndex::new(RULES.iter().map(|r| r.label.as_ref())));

/// The words between a label and its value, spelled out.
static CONNECTORS: LazyLock<Connectors> = LazyLock::new(|| Connectors::new(CONNECTOR));

/// A label row's statement, found by [`label_hits`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct LabelHit<'t> {
    row: usize,
    /// Where the statement starts: its label, or the character its label may not follow.
    start: usize,
    label_len: usize,
    connector: &'t str,
    /// The value's byte range.
    value: (usize, usize),
}

/// The clause reader of the label rows: every value in `text`, read backwards, with each row
/// whose label ends the words before it (less a connector). A row's statement is the one
/// that starts earliest, and of those the longest label (`一般公共预算收入预算` over
/// `一般公共预算收入` with the connector `预算`), as the row's regex would match it.
fn label_hits(text: &str) -> Vec<LabelHit<'_>> {
    let mut hits = Vec::new();
    for (value_start, value_end) in money::values(text) {
        let before = &text[..value_start];
        let first = hits.len();
        for (words, connector) in CONNECTORS.splits(before) {
            for (row, label_len) in LABELS.ending(words) {
                let at = words.len() - label_len;
                let prev = words[..at].chars().next_back();
                let start = match RULES[row].label.as_ref().and_then(|l| l.not_after.as_ref()) {
                    Some(n) if !n.allows(prev) => continue,
                    Some(_) => at - prev.map_or(0, char::len_utf8),
                    None => at,
                };
                let hit = LabelHit {
                    row,
                    start,
                    label_len,
                    connector,
                    value: (value_start, value_end),
                };
                match hits[first..].iter_mut().find(|h: &&mut LabelHit| h.row == row) {
                    None => hits.push(hit),
                    Some(h) => {
                        if (hit.start, std::cmp::Reverse(hit.label_len))
                            < (h.start, std::cmp::Reverse(h.label_len))
                        {
                            *h = hit;
                        }
                    }
                }
            }
        }
    }
    hits
}

/// Every figure key the lexicon (`data/figures.tsv`) names, and the class totals' key.
#[cfg(test)]
pub(crate) fn figure_keys() -> impl Iterator<Item = &'static str> {
    RULES
        .iter()
        .map(|r| r.key)
        .chain(std::iter::once("general_budget.class"))
}

/// Finds every figure the document states.
pub fn extract_figures(doc: &Document, sections: &[Section], kind: Option<ReportKind>) -> Figures {
    let mut out = Figures::default();
    let mut seen: HashMap<(&'static str, Option<String>), usize> = HashMap::new();
    let mut found: Vec<(usize, Figure)> = Vec::new();
    for block in &doc.blocks {
        let BlockKind::Paragraph(p) = &block.kind else {
            continue;
        };
        // Every figure states a number.
        if !crate::text::has_digit(&p.text) {
            continue;
        }
        let keys = section_keys(sections, block.loc.block);
        let c = Compact::new(&p.text);
        // The amounts whole phrases read: a phrase states more than a label inside it, so
        // `实行绩效目标管理的项目8个，涉及一般公共预算当年拨款600.00万元` is the money under
        // performance targets, not the general budget's 当年拨款.
        let mut taken: Vec<(usize, usize)> = Vec::new();
        for (k, starts) in DISPATCH.candidate_starts(&c.text) {
            let i = PHRASE_ROWS[k];
            let rule = &RULES[i];
            if rule.section.is_some_and(|s| !keys.contains(&s)) {
                continue;
            }
            for (at, caps, groups) in phrase_matches(rule, &c.text, starts) {
                if qualified(rule.key, &c.text[..at + caps.get(0).unwrap().start()])
                    || !connector_fits(groups.connector(&caps), kind)
                {
                    continue;
                }
                let Some(v) = groups.value(&caps) else {
                    continue;
                };
                let value = (at + v.start(), at + v.end());
                let Some(f) = figure_at(rule.key, rule.unit, value, &rule.change, &c, block.loc, None)
                else {
                    continue;
                };
                taken.push(value);
                found.push((i, f));
            }
        }
        for hit in label_hits(&c.text) {
            let rule = &RULES[hit.row];
            if rule.section.is_some_and(|s| !keys.contains(&s))
                || qualified(rule.key, &c.text[..hit.start])
            {
                continue;
            }
            // `公务接待费预算数为5.00万元，决算数为4.00万元` in a 决算: the label's own
            // statement is the other kind's; the next clause restates it with the report's.
            let label_end = hit.value.0 - hit.connector.len();
            let label = &c.text[label_end - hit.label_len..label_end];
            let value = if words_fit(rule.key, label, hit.connector, kind) {
                Some(hit.value)
            } else {
                restated(&c.text, hit.value.1, kind)
            };
            let Some((start, end)) = value else {
                continue;
            };
            if taken.contains(&(start, end)) {
                continue;
            }
            if let Some(f) = figure_at(
                rule.key,
                rule.unit,
                (start, end),
                &rule.change,
                &c,
                block.loc,
                None,
            ) {
                found.push((hit.row, f));
            }
        }
        // In row order, as one regex per row found them; a row's statements in text order.
        found.sort_by_key(|(row, _)| *row);
        // One statement read by two rows of a key (`本年收入合计` as `收入合计` and as
        // `本年收入` with the connector `合计`) is one statement: the second read may add its
        // share or change, but must not record the same contradiction twice.
        let mut read: Vec<(&str, Option<String>, String)> = Vec::new();
        for (_, f) in found.drain(..) {
            let id = (f.key, f.code.clone(), f.raw.clone());
            if read.contains(&id) {
                let first = seen.get(&(f.key, f.code.clone())).map(|&i| &out.list[i]);
                if first.is_some_and(|first| first.value != f.value) {
                    continue;
                }
            } else {
                read.push(id);
            }
            record(&mut out, &mut seen, f);
        }
        if keys.contains(&"general_budget") {
            for (at, caps) in CLASS_TOTAL.captures_iter(&c.text) {
                let name = caps["name"].to_string();
                let Some(entry) = classification::class_by_name(&name) else {
                    continue;
                };
                let code = Some((entry.code.to_string(), name));
                let Some(v) = caps.name("v1") else {
                    continue;
                };
                if let Some(f) = figure_at(
                    "general_budget.class",
                    FigureUnit::Yuan,
                    (at + v.start(), at + v.end()),
                    &ChangeRule::None,
                    &c,
                    block.loc,
                    code,
                ) {
                    record(&mut out, &mut seen, f);
                }
            }
        }
    }
    changes_named_later(doc, &mut out);
    out
}

/// Whether the clause around `at` gives a reason or a purpose (`主要原因是…`, `…用于…`) rather
/// than a statement of the figure.
fn in_a_reason(text: &str, at: usize) -> bool {
    let start = text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| "，。；,;".contains(*c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let lead = &text[start..at];
    ["原因", "由于", "用于", "因为"]
        .iter()
        .any(|w| lead.contains(w))
}

/// A change stated in a later sentence that names a figure without its value:
/// `2026年度“三公”经费财政拨款支出决算数比2025年度减少1.80万元，下降（增长）20.00%，其中：
/// 因公出国（境）费支出与上一年度持平；公务用车购置及运行维护费支出决算增加0.40万元，…`.
/// It only fills in a figure that has no change yet.
fn changes_named_later(doc: &Document, out: &mut Figures) {
    // Only the rules of figures still without a change are tried: positions in LATER_ROWS.
    let mut pending: Vec<usize> = (0..LATER_ROWS.len())
        .filter(|&k| {
            let key = RULES[LATER_ROWS[k]].key;
            out.list.iter().any(|f| f.key == key && f.change.is_none())
        })
        .collect();
    for block in &doc.blocks {
        if pending.is_empty() {
            return;
        }
        let BlockKind::Paragraph(p) = &block.kind else {
            continue;
        };
        if !change::names_a_direction(&p.text) {
            continue;
        }
        let c = crate::text::compact(&p.text);
        let mut found = LATER.candidate_starts(&c);
        pending.retain(|&k| {
            let rule = &RULES[LATER_ROWS[k]];
            let Some(matches) = later_matches(rule, k, &c, &mut found) else {
                return true;
            };
            // `项目支出预算数增加125.62万元` names a part, not `支出预算总计`.
            // A reason (`主要原因是档案数字化项目支出增加`) names a change without stating it: a
            // later sentence counts only when it gives an amount or a percentage, or says the
            // figure is unchanged.
            let change = matches
                .into_iter()
                .filter(|(at, m)| !qualified(rule.key, &c[..at + m.get(0).unwrap().start()]))
                .filter(|(at, m)| !in_a_reason(&c, at + m.get(0).unwrap().start()))
                .filter_map(|(_, m)| change::of_captures(&m))
                .find(|ch| {
                    ch.amount.is_some() || ch.pct.is_some() || ch.direction == Direction::Flat
                });
            let Some(change) = change else {
                return true;
            };
            if let Some(f) = out
                .list
                .iter_mut()
                .find(|f| f.key == rule.key && f.change.is_none())
            {
                f.change = Some(change);
            }
            out.list
                .iter()
                .any(|f| f.key == rule.key && f.change.is_none())
        });
    }
}

/// The matches of the `k`th later row's label-and-change wording in `text`, given what
/// [`LATER`] found there (`found`, whose starts are taken): `None` when the text does not hold
/// the row's anchor (or, for a row without one, any literal of its wording). The wording
/// runs anchored where the anchor (or its literals) start, or unanchored when it cannot be.
fn later_matches<'t>(
    rule: &Rule,
    k: usize,
    text: &'t str,
    found: &mut [(usize, Option<Vec<usize>>)],
) -> Option<Vec<(usize, regex::Captures<'t>)>> {
    let i = found.binary_search_by_key(&k, |(p, _)| *p).ok()?;
    let re = rule.label_change.as_ref()?;
    // An anchor is a literal, so the dispatch gives its starts; a wording that cannot be
    // anchored comes without.
    let starts = found[i].1.take();
    let (re, _) = re.given(starts.is_some());
    Some(match starts {
        Some(starts) => re.captures_at(text, starts),
        None => re.captures_iter(text),
    })
}

/// Words that, right before a total's label, make it the total of one part only:
/// `（2）政府性基金收入预算0万元`, `2．财政专户管理资金收入预算总计0万元`,
/// `1．财政拨款收入预算总计18330.37万元` (Jiangsu 2019 budget) are not `total.income`, and
/// `项目支出预算…` is not `total.expense`.
const QUALIFIERS: &[&str] = &[
    "政府性基金",
    "一般公共预算",
    "国有资本经营预算",
    "财政拨款",
    "拨款",
    "财政专户管理资金",
    "其他资金",
    "上年结转",
    "事业",
    "经营",
    "上级补助",
    "附属单位上缴",
    "其他",
    "项目",
    "基本",
    "采购",
    // `因公出国（境）费支出预算为0万元` (the 决算 template's 三公 sentence) is one item's.
    "费",
    // `收入、支出预算总计`: the grand total of both sides.
    "收入、",
    "收、",
];

/// Words that make a part of spending the part of one fund's spending only:
/// `一般公共预算财政拨款基本支出1,234万元` is `basic.total`, not `expense.basic`.
const FUND_QUALIFIERS: &[&str] = &[
    "财政拨款",
    "拨款",
    "一般公共预算",
    "政府性基金",
    "政府性基金预算",
    "国有资本经营预算",
];

/// Whether the text before a label qualifies it as another quantity than its key's.
fn qualified(key: &str, before: &str) -> bool {
    let words = if key.starts_with("total.") {
        QUALIFIERS
    } else if key.starts_with("expense.") || key.starts_with("carryover.") {
        // `财政拨款上年结转结余`, `一般公共预算财政拨款年初结转和结余` are one fund's.
        FUND_QUALIFIERS
    } else {
        return false;
    };
    words.iter().any(|q| before.ends_with(q))
}

/// Keeps the first statement of a figure; fills in share and change from later ones; keeps a
/// later different value as a conflict.
fn record(out: &mut Figures, seen: &mut HashMap<(&'static str, Option<String>), usize>, f: Figure) {
    match seen.get(&(f.key, f.code.clone())) {
        None => {
            seen.insert((f.key, f.code.clone()), out.list.len());
            out.list.push(f);
        }
        Some(&i) => {
            let first = &mut out.list[i];
            if first.value != f.value {
                out.conflicts.push(Conflict {
                    key: f.key,
                    code: f.code,
                    first: first.value,
                    later: f.value,
                    raw: f.raw,
                    loc: f.loc,
                });
            } else {
                if first.share_pct.is_none() {
                    first.share_pct = f.share_pct;
                }
                if first.change.is_none() {
                    first.change = f.change;
                }
            }
        }
    }
}

/// The canonical keys of the section a block sits in and of its ancestors.
fn section_keys(sections: &[Section], block: usize) -> Vec<&'static str> {
    let mut keys = Vec::new();
    let mut cur = crate::extract::sections::section_at(sections, block);
    while let Some(k) = cur {
        keys.extend(sections[k].key);
        cur = sections[k].parent;
    }
    keys
}

/// The figure whose value is `c.text[value.0..value.1]`, with the share and change after it.
#[allow(clippy::too_many_arguments)]
fn figure_at(
    key: &'static str,
    unit: FigureUnit,
    at: (usize, usize),
    change: &ChangeRule,
    c: &Compact,
    loc: Loc,
    class: Option<(String, String)>,
) -> Option<Figure> {
    let text = &c.text[at.0..at.1];
    let (value, approx) = match unit {
        FigureUnit::Yuan => {
            let a = money::parse_money(text)?;
            (a.yuan, a.approx)
        }
        FigureUnit::Percent => (money::parse_percent(text)?, false),
        FigureUnit::Count => (money::parse_number(text)?, false),
    };
    let rest = &c.text[at.1..];
    // The share, searched for once (anchored: most values have none). Its percentage is the
    // first of the match, whose words before it hold no digit: read from the match, without
    // the capture group's second search.
    let share = rest
        .starts_with(['，', ',', '、', '占'])
        .then(|| SHARE.find(rest))
        .flatten();
    let share_pct = share.and_then(|m| money::parse_percent(m.as_str()));
    // The share comes first when both are stated (`…万元，占3.5%，比上年增加…`).
    let after_share = share.map_or(rest, |m| &rest[m.end()..]);
    let after_share = COMPLETION
        .find(after_share)
        .map_or(after_share, |m| &after_share[m.end()..]);
    let change = match change {
        ChangeRule::None => None,
        ChangeRule::Default => change::after(after_share),
        // A row's own change wording, else a change stated right after the value, which
        // always belongs to it (`…，占本年支出合计的82.98%，较上年减少10.00万元`).
        ChangeRule::After(re) => re
            .get()
            .captures(rest)
            .and_then(|(_, x)| change::of_captures(&x))
            .or_else(|| change::after(after_share)),
    };
    let (code, name) = match class {
        Some((code, name)) => (Some(code), Some(name)),
        None => (None, None),
    };
    Some(Figure {
        key,
        value,
        unit,
        raw: c.source(at.0, at.1).to_string(),
        approx,
        share_pct,
        change,
        code,
        name,
        loc,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Block, Paragraph};

    /// The keyword dispatch never leaves out a whole-phrase row that matches: on every line of
    /// the samples and the corpus (when present), its candidates hold every row a `RegexSet`
    /// of those rows matches.
    #[test]
    fn the_dispatch_keeps_every_rule_that_matches() {
        let set = regex::RegexSet::new(
            PHRASE_ROWS
                .iter()
                .map(|&i| RULES[i].pattern.source.as_str()),
        )
        .unwrap();
        let (mut lines, mut matched) = (0, 0);
        for line in lines_pairs_and_examples() {
            let c = Compact::new(&line);
            let want: Vec<usize> = set.matches(&c.text).iter().collect();
            let got = DISPATCH.candidates(&c.text);
            assert!(want.iter().all(|w| got.contains(w)), "{line}: {got:?} ⊉ {want:?}");
            lines += 1;
            matched += want.len();
        }
        assert!(lines > 1000 && matched > 20, "{lines} lines, {matched} matches");
        let texts = crate::test_texts::sample_and_corpus_texts();
        let compacted: Vec<String> = texts
            .iter()
            .flat_map(|t| t.lines())
            .map(|l| Compact::new(l).text.into_owned())
            .collect();
        let found =
            DISPATCH.assert_finds_what_aho_corasick_finds(compacted.iter().map(String::as_str));
        assert!(found > 100, "{found} literals found");
    }

    /// A rule's pattern as an unanchored regex, as the tests hold the rules to it.
    fn unanchored(pattern: &LazyRegex) -> Regex {
        Regex::new(&pattern.source).unwrap()
    }

    /// Every line of the samples and the corpus (when present), each pair of adjacent lines
    /// joined (as paragraphs are), and each row's example.
    fn lines_pairs_and_examples() -> Vec<String> {
        let mut out = Vec::new();
        for text in crate::test_texts::sample_and_corpus_texts() {
            let raw: Vec<&str> = text.lines().collect();
            out.extend(raw.iter().map(|l| l.to_string()));
            out.extend(raw.windows(2).map(|w| format!("{}{}", w[0], w[1])));
        }
        out.extend(RULES.iter().map(|r| r.example.to_string()));
        out
    }

    /// A match's groups as byte ranges of the text whose slice from `at` it was made on.
    fn spans(caps: &regex::Captures, at: usize) -> Vec<Option<(usize, usize)>> {
        caps.iter()
            .map(|m| m.map(|m| (at + m.start(), at + m.end())))
            .collect()
    }

    /// The whole-phrase rows run anchored at their literals find what their regexes'
    /// `captures_iter` finds: the same matches and groups on every line and every pair of
    /// adjacent lines of the samples and corpus, and on each row's example.
    #[test]
    fn anchored_phrase_rows_match_as_their_regexes() {
        let (mut lines, mut anchored, mut matches, mut other_matches) = (0, 0, 0, 0);
        let compiled: Vec<Regex> = RULES.iter().map(|r| unanchored(&r.pattern)).collect();
        let others: Vec<(&Anchored, Regex)> = RULES
            .iter()
            .flat_map(|r| {
                let after = match &r.change {
                    ChangeRule::After(re) => Some(re),
                    _ => None,
                };
                after.into_iter().chain(r.label_change.as_ref())
            })
            .map(|re| (re.get(), unanchored(re)))
            .chain(std::iter::once((
                &*CLASS_TOTAL,
                Regex::new(&class_total_pattern()).unwrap(),
            )))
            .collect();
        assert!(others.iter().filter(|(re, _)| re.is_anchored()).count() > 20);
        for line in lines_pairs_and_examples() {
            let c = Compact::new(&line);
            for (k, starts) in DISPATCH.candidate_starts(&c.text) {
                let rule = &RULES[PHRASE_ROWS[k]];
                anchored += usize::from(starts.is_some());
                let got: Vec<_> = phrase_matches(rule, &c.text, starts)
                    .iter()
                    .map(|(at, caps, _)| spans(caps, *at))
                    .collect();
                let want: Vec<_> = compiled[PHRASE_ROWS[k]]
                    .captures_iter(&c.text)
                    .map(|caps| spans(&caps, 0))
                    .collect();
                assert_eq!(got, want, "{}: {line}", rule.key);
                matches += want.len();
            }
            // The change wordings and the class totals, run anchored on their own.
            for (re, plain) in &others {
                let got: Vec<_> = re
                    .captures_iter(&c.text)
                    .iter()
                    .map(|(at, caps)| spans(caps, *at))
                    .collect();
                let want: Vec<_> = plain
                    .captures_iter(&c.text)
                    .map(|caps| spans(&caps, 0))
                    .collect();
                assert_eq!(got, want, "{}: {line}", plain.as_str());
                other_matches += want.len();
            }
            lines += 1;
        }
        assert!(
            lines > 1000 && anchored > 1000 && matches > 20 && other_matches > 20,
            "{lines} lines, {anchored} anchored, {matches} matches, {other_matches} others"
        );
    }

    /// Each later row's label-and-change wording starts with its anchor, where
    /// [`later_matches`] runs it: every match starts with one of the wording's literal
    /// prefixes, and each of them starts with the anchor.
    #[test]
    fn every_later_wording_starts_with_its_anchor() {
        let mut anchored = 0;
        for &i in LATER_ROWS.iter() {
            let rule = &RULES[i];
            if rule.anchor.is_empty() {
                continue;
            }
            let wording = &rule.label_change.as_ref().unwrap().source;
            let own = Prefilter::new([wording.as_str()]);
            assert!(own.anchorable(0), "{}: {wording}", rule.key);
            for literal in own.literals() {
                assert!(
                    literal.starts_with(rule.anchor.as_bytes()),
                    "{}: {} in {wording}",
                    rule.key,
                    String::from_utf8_lossy(literal)
                );
            }
            anchored += 1;
        }
        assert!(anchored > 10, "{anchored} rows with an anchor");
    }

    /// The later rows' dispatch answers as each row's own tests would: its anchor is found
    /// where the text holds it, and its label-and-change wording matches where and as the
    /// wording's regex does, on every line and pair of lines of the samples and corpus. A
    /// row without an anchor may be left out only where its wording does not match.
    #[test]
    fn the_later_dispatch_finds_what_each_rows_anchor_and_wording_find() {
        let plain: Vec<Regex> = LATER_ROWS
            .iter()
            .map(|&i| unanchored(RULES[i].label_change.as_ref().unwrap()))
            .collect();
        let (mut anchors, mut matches) = (0, 0);
        for line in lines_pairs_and_examples() {
            let c = crate::text::compact(&line);
            let mut found = LATER.candidate_starts(&c);
            for (k, &i) in LATER_ROWS.iter().enumerate() {
                let rule = &RULES[i];
                let got = later_matches(rule, k, &c, &mut found).map(|m| {
                    m.iter()
                        .map(|(at, caps)| spans(caps, *at))
                        .collect::<Vec<_>>()
                });
                let want = c.contains(rule.anchor.as_str()).then(|| {
                    plain[k]
                        .captures_iter(&c)
                        .map(|caps| spans(&caps, 0))
                        .collect::<Vec<_>>()
                });
                // A row without an anchor is not asked where its wording cannot match.
                let want = want.filter(|w| !(rule.anchor.is_empty() && got.is_none() && w.is_empty()));
                assert_eq!(got, want, "{}: {line}", rule.key);
                anchors += usize::from(want.is_some());
                matches += want.map_or(0, |w| w.len());
            }
        }
        assert!(
            LATER_ROWS.len() > 10 && anchors > 1000 && matches > 20,
            "{} rows, {anchors} anchors found, {matches} matches",
            LATER_ROWS.len()
        );
    }

    /// The clause reader reads each label row where the row's own regex matches, and nowhere
    /// else: the same start, connector and value on every line and every pair of adjacent
    /// lines of the samples and corpus, and on each row's example.
    #[test]
    fn the_clause_reader_reads_what_each_rows_regex_matches() {
        let rows: Vec<usize> = (0..RULES.len())
            .filter(|&i| RULES[i].label.is_some())
            .collect();
        assert!(rows.len() >= 50, "{} label rows", rows.len());
        let compiled: Vec<(Regex, Groups)> = RULES
            .iter()
            .map(|r| {
                let re = unanchored(&r.pattern);
                let groups = Groups::of(&re);
                (re, groups)
            })
            .collect();
        let (mut lines, mut hits) = (0, 0);
        for line in lines_pairs_and_examples() {
            let c = Compact::new(&line);
            let mut want: Vec<(usize, usize, &str, (usize, usize))> = rows
                .iter()
                .flat_map(|&row| {
                    let (re, groups) = &compiled[row];
                    re.captures_iter(&c.text).map(move |caps| {
                        let v = groups.value(&caps).unwrap();
                        (
                            row,
                            caps.get(0).unwrap().start(),
                            groups.connector(&caps),
                            (v.start(), v.end()),
                        )
                    })
                })
                .collect();
            let mut got: Vec<(usize, usize, &str, (usize, usize))> = label_hits(&c.text)
                .into_iter()
                .map(|h| (h.row, h.start, h.connector, h.value))
                .collect();
            want.sort();
            got.sort();
            assert_eq!(got, want, "{line}");
            lines += 1;
            hits += got.len();
        }
        assert!(lines > 1000 && hits > 300, "{lines} lines, {hits} statements");
    }

    /// Every regex of every row compiles (they compile when first used, so a bad row would
    /// otherwise fail only on a report that reaches it).
    #[test]
    fn every_rule_regex_compiles() {
        for rule in RULES.iter() {
            rule.pattern.get();
            if let ChangeRule::After(re) = &rule.change {
                re.get();
            }
            if let Some(re) = &rule.label_change {
                re.get();
            }
        }
    }

    /// Every row of figures.tsv finds its figure in its own example sentence.
    #[test]
    fn every_phrase_matches_its_example() {
        for rule in RULES.iter() {
            let c = Compact::new(rule.example);
            let re = unanchored(&rule.pattern);
            let groups = &Groups::of(&re);
            let caps = re.captures(&c.text).unwrap_or_else(|| {
                panic!("{} does not match its example {}", rule.key, rule.example)
            });
            // The groups found by index are the ones their names give.
            let by_name = VALUE_GROUPS.iter().find_map(|g| caps.name(g));
            assert_eq!(groups.value(&caps), by_name, "{}", rule.key);
            let connector = CONNECTOR_GROUPS.iter().find_map(|g| caps.name(g));
            assert_eq!(groups.connector(&caps), connector.map_or("", |m| m.as_str()));
            let v = groups.value(&caps).unwrap();
            let loc = Loc {
                block: 0,
                line: None,
                page: None,
            };
            let f = figure_at(rule.key, rule.unit, (v.start(), v.end()), &rule.change, &c, loc, None);
            assert!(f.is_some(), "{}: no value in {}", rule.key, rule.example);
        }
    }

    fn figures(paragraphs: &[&str]) -> Figures {
        figures_of(paragraphs, None)
    }

    fn figures_of(paragraphs: &[&str], kind: Option<ReportKind>) -> Figures {
        let doc = Document {
            image_tables: 0,
            format: crate::model::Format::Text,
            encoding: None,
            blocks: paragraphs
                .iter()
                .enumerate()
                .map(|(i, t)| Block {
                    kind: BlockKind::Paragraph(Paragraph {
                        text: t.to_string(),
                    }),
                    loc: Loc {
                        block: i,
                        line: None,
                        page: None,
                    },
                })
                .collect(),
        };
        // Everything in one section of each key the rules name.
        let sections: Vec<Section> = [
            "income_expense",
            "income",
            "expense",
            "appropriation",
            "general_budget",
            "basic_expense",
            "three_public",
            "government_fund",
            "state_capital",
        ]
        .iter()
        .enumerate()
        .map(|(i, k)| Section {
            index: i,
            parent: i.checked_sub(1),
            level: 2,
            label: None,
            title: String::new(),
            key: Some(k),
            loc: Loc {
                block: 0,
                line: None,
                page: None,
            },
        })
        .collect();
        extract_figures(&doc, &sections, kind)
    }

    /// The fund labels with or without `财政` and `预算` (`政府性基金预算拨款收入`,
    /// `国有资本经营预算拨款支出`, `政府性基金支出`).
    #[test]
    fn fund_labels_in_every_wording() {
        let f = figures(&[
            "其中：一般公共预算拨款收入60.00万元，政府性基金预算拨款收入20.00万元，国有资本经营预算拨款收入10.00万元。",
            "政府性基金预算拨款支出20.00万元，国有资本经营预算拨款支出10.00万元。",
        ]);
        let got: Vec<(&str, String)> = f
            .list
            .iter()
            .map(|x| (x.key, x.value.to_string()))
            .collect();
        assert_eq!(
            got,
            [
                ("income.general_budget", "600000".to_string()),
                ("income.government_fund", "200000".to_string()),
                ("income.state_capital", "100000".to_string()),
                ("government_fund.expense", "200000".to_string()),
                ("state_capital.expense", "100000".to_string()),
            ]
        );
    }

    /// A total stated after its budget and its adjusted budget, and completion of the
    /// adjusted budget.
    #[test]
    fn total_after_an_adjusted_budget() {
        let f = figures(&["2022年度一般公共预算财政拨款支出年初预算为300.00万元，调整预算为330.00万元，支出决算为320.00万元，完成调整预算的96.97%。"]);
        assert_values(
            &f,
            &[
                ("general_budget.budget", "3000000"),
                ("general_budget.expense", "3200000"),
                ("general_budget.completion_pct", "96.97"),
            ],
        );
    }

    /// Each key's first figure has the value.
    fn assert_values(f: &Figures, want: &[(&str, &str)]) {
        for (key, value) in want {
            let got = f.get(key).map(|x| x.value.to_string());
            assert_eq!(got.as_deref(), Some(*value), "{key}");
        }
    }

    /// `‘三公’` in single quotes, and `政府采购合同金额`.
    #[test]
    fn single_quotes_and_contract_amounts() {
        let f = figures(&[
            "2022年度‘三公’经费财政拨款支出决算为12.00万元。",
            "2022年度政府采购合同金额60.00万元，其中：政府采购货物支出20.00万元。",
        ]);
        assert_values(
            &f,
            &[
                ("three_public.total", "120000"),
                ("procurement.total", "600000"),
                ("procurement.goods", "200000"),
            ],
        );
    }

    /// `合计` between a part's label and its amount.
    #[test]
    fn heji_after_a_label() {
        let f = figures(&["其中：人员经费合计700.00万元，公用经费合计100.00万元；基本支出合计900.00万元。"]);
        assert_values(
            &f,
            &[
                ("basic.personnel", "7000000"),
                ("basic.public", "1000000"),
                ("expense.basic", "9000000"),
            ],
        );
    }

    /// A label stated with the other kind's amount, then restated with the report's own.
    #[test]
    fn a_restatement_in_the_reports_own_kind() {
        let text = ["公务接待费预算数为5.00万元，决算数为4.00万元，比上年减少1.00万元。"];
        let f = figures_of(&text, Some(ReportKind::FinalAccounts));
        let r = f.get("three_public.reception").unwrap();
        assert_eq!((r.value, r.raw.as_str()), (Decimal::from(40000), "4.00万元"));
        assert_eq!(r.change.as_ref().unwrap().amount, Some(Decimal::from(10000)));
        let f = figures_of(&text, Some(ReportKind::Budget));
        assert_eq!(
            f.get("three_public.reception").unwrap().value,
            Decimal::from(50000)
        );
        // No restatement: nothing is read rather than the budget.
        let f = figures_of(
            &["公务接待费预算数为5.00万元，主要用于接待。"],
            Some(ReportKind::FinalAccounts),
        );
        assert!(f.get("three_public.reception").is_none());
    }

    #[test]
    fn totals_with_their_changes() {
        let f = figures(&["2021年本年度收入为853.00万元、支出为853.00万元。与2020年相比，收入比去年减少了54.20万元，下降5.97%，支出增加了15.27万元，增长1.82%，主要是本年度项目收入增减变动。"]);
        let income = f.get("total.income").unwrap();
        assert_eq!(
            (income.value, income.raw.as_str()),
            (Decimal::from(8530000), "853.00万元")
        );
        let ch = income.change.as_ref().unwrap();
        assert_eq!(
            (ch.direction, ch.amount, ch.pct),
            (
                Direction::Decrease,
                Some(Decimal::from(542000)),
                Some(Decimal::new(597, 2))
            )
        );
        let ch = f.get("total.expense").unwrap().change.clone().unwrap();
        assert_eq!(
            (ch.direction, ch.amount, ch.pct),
            (
                Direction::Increase,
                Some(Decimal::from(152700)),
                Some(Decimal::new(182, 2))
            )
        );
    }

    #[test]
    fn class_totals_with_old_and_new_names() {
        let f = figures(&[
            "一般公共服务（类）支出642.25万元，占76.16%；",
            "医疗卫生与计划生育支出16.56万元，占1.96%；",
            "一般公共服务支出（类）2106.66万元，占71.73%；",
        ]);
        let classes: Vec<(&str, String, String)> = f
            .all("general_budget.class")
            .map(|x| {
                (
                    x.code.as_deref().unwrap(),
                    x.value.to_string(),
                    x.share_pct.unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(
            classes,
            [
                ("201", "6422500".into(), "76.16".into()),
                ("210", "165600".into(), "1.96".into())
            ]
        );
        assert_eq!(
            f.conflicts.len(),
            1,
            "201 stated twice with different values"
        );
        assert_eq!(f.conflicts[0].later, Decimal::from(21066600));
    }

    /// One fund's carry-over is not the report's.
    #[test]
    fn a_funds_carryover_is_not_the_reports() {
        let f = figures(&[
            "一般公共预算财政拨款上年结转结余10.00万元。",
            "年初结转和结余49.14万元，年末结转和结余55.34万元。",
        ]);
        let values: Vec<(&str, String)> = f
            .all("carryover.begin")
            .chain(f.all("carryover.end"))
            .map(|x| (x.key, x.value.to_string()))
            .collect();
        assert_eq!(
            values,
            [
                ("carryover.begin", "491400".to_string()),
                ("carryover.end", "553400".to_string())
            ]
        );
        assert!(f.conflicts.is_empty());
    }

    #[test]
    fn zero_statements_are_figures_and_placeholders_are_not() {
        let f = figures(&[
            "国有资本经营预算财政拨款收入0万元，占0%；",
            "2024年度一般公共预算财政拨款支出XX万元，占本年支出合计的XX%。",
        ]);
        let z = f.get("income.state_capital").unwrap();
        assert_eq!((z.value, z.share_pct), (Decimal::ZERO, Some(Decimal::ZERO)));
        assert!(f.get("general_budget.expense").is_none());
    }
}
