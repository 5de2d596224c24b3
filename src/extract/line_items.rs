//! Line items: function-classification expenditure entries (类/款/项), from the narrative and
//! from the report's code tables.
//!
//! Narrative shapes, all read by one parser after brackets are folded and quotes dropped:
//! ```text
//! 1.一般公共服务（201）政府办公厅（室）及相关机构事务（03）行政运行（01）:2021年支出决算数为118.97万元，完成预算100%
//! 1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：……年初预算为 1560.05 万元，支出决算为1511.89万元。
//! 1.“一般公共服务（类）统计信息事务（款）统计信息事务（项）”20.04 万元，……完成年初预算的 25.83%。
//! 1. “一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元
//! 1、公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元。
//! “一般公共服务支出(类）-统计信息事务（款）-统计管理（项）”2026年度预算0.12万元
//! ```
//! Table rows: `201   06   01   行政运行   1,511.90   1,511.89` (codes split over columns) or
//! `2010505 专项统计业务 20.03 20.03`.
//!
//! Codes come from the line when it states them, else from the report's own code tables, else
//! from the built-in classification; what none of them knows stays `None`.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::classification;
use crate::extract::change::{self, Change};
use crate::extract::meta::ReportKind;
use crate::extract::tables::TableInfo;
use crate::model::{BlockKind, Document, Loc, Table};
use crate::money::{self, Unit};
use crate::numbering::{self, Style};

/// The depth of an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Class,
    Kind,
    Item,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Class => "class",
            Level::Kind => "kind",
            Level::Item => "item",
        }
    }

    fn of_code(code: &str) -> Option<Level> {
        match code.len() {
            3 => Some(Level::Class),
            5 => Some(Level::Kind),
            7 => Some(Level::Item),
            _ => None,
        }
    }
}

/// A 类, 款 or 项 reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub code: Option<String>,
    pub name: String,
}

/// One expenditure entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LineItem {
    /// `"narrative"` or the table's key (`None` for a code table of no known kind).
    pub table: Option<&'static str>,
    pub seq: Option<u32>,
    pub level: Level,
    pub code: Option<String>,
    pub name: String,
    pub class: Option<Part>,
    pub kind: Option<Part>,
    pub item: Option<Part>,
    pub year: Option<i32>,
    pub amount: Option<Decimal>,
    pub budget: Option<Decimal>,
    /// The year-on-year change a narrative line states after its amount
    /// (`支出7448.2万元，与上年相比增加1075.88万元，增长16.88%`); `None` for table rows.
    pub change: Option<Change>,
    pub completion_pct: Option<Decimal>,
    /// Column header → yuan, when every value's column is certain.
    pub columns: Option<Vec<(String, Decimal)>>,
    pub raw: String,
    pub loc: Loc,
    /// For table rows: (row, col) of the code cell.
    pub cell: Option<(usize, usize)>,
}

/// Folds brackets to full width (`[类]`, `【款】`, `(项)` → `（…）`), turns a marker right after
/// a closing quote into a bracketed one (`“一般公共服务支出”类` → `一般公共服务支出（类）`), and
/// drops quotes and spaces: the noise between the shapes.
///
/// Every paragraph with a digit is folded, and most of its characters are Han ones that stay:
/// runs of those are copied whole, and only a byte that may start a changed character (an
/// ASCII space, quote or bracket; a lead byte of Unicode spaces, curly quotes, 【】〔〕 and
/// dashes) is decoded. The char-by-char fold was 28% of the line items' time; most of what
/// was saved came from folding fewer paragraphs ([`may_name_parts`]).
fn fold(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    // The start of the bytes that stay, not yet copied.
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        if !FOLD_STARTS[bytes[i] as usize] {
            i += 1;
            continue;
        }
        let c = s[i..].chars().next().expect("a char starts here");
        let len = c.len_utf8();
        let replacement = match c {
            c if c.is_whitespace() => "",
            '(' | '[' | '【' | '〔' => "（",
            ')' | ']' | '】' | '〕' => "）",
            '—' | '－' | '–' => "-",
            '“' | '”' | '"' | '‘' | '’' => "",
            _ => {
                i += len;
                continue;
            }
        };
        out.push_str(&s[run..i]);
        i += len;
        run = i;
        if !matches!(c, '“' | '”' | '"' | '‘' | '’') {
            out.push_str(replacement);
            continue;
        }
        // A quote that closes a name (`”`, `’`, or a straight quote right after a Han
        // character) before `类`, `款` or `项` (not `项目`): the name's marker.
        let closes = match c {
            '”' | '’' => true,
            '"' => s[..i - len]
                .chars()
                .rev()
                .find(|c| !c.is_whitespace())
                .is_some_and(crate::text::is_cjk),
            _ => false,
        };
        if !closes {
            continue;
        }
        let (m, after) = next_non_space(s, i);
        let Some(m) = m.filter(|m| matches!(m, '类' | '款' | '项')) else {
            continue;
        };
        if m == '项' && next_non_space(s, after).0 == Some('目') {
            out.push(m);
        } else {
            out.push('（');
            out.push(m);
            out.push('）');
        }
        i = after;
        run = i;
    }
    out.push_str(&s[run..]);
    out
}

/// The bytes that may start a character [`fold`] changes, as a table: one load a byte.
static FOLD_STARTS: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = matches!(
            b as u8,
            b'\t'..=b'\r' | b' ' | b'"' | b'(' | b')' | b'[' | b']' | 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF
        );
        b += 1;
    }
    t
};

/// The first character of `s[at..]` that is no white space, and the byte after it.
fn next_non_space(s: &str, at: usize) -> (Option<char>, usize) {
    match s[at..].char_indices().find(|(_, c)| !c.is_whitespace()) {
        Some((k, c)) => (Some(c), at + k + c.len_utf8()),
        None => (None, s.len()),
    }
}

/// A name of the classification: text without clause punctuation, allowing short bracketed
/// parts that are no marker (`政府办公厅（室）及相关机构事务`, `因公出国（境）`).
const NAME: &str = r"(?:[^（）：:，。；、\-]|（[^）0-9类款项]{1,4}）)+?";

/// A 项's name may list things (`公诉、审判、侦查、执行等检察监督支出（项）`): its `（项）` marker
/// bounds it, so `、` is allowed where a 类's or 款's name would end at it.
const ITEM_NAME: &str = r"(?:[^（）：:，。；\-]|（[^）0-9类款项]{1,4}）)+?";

/// `NAME（类|201|204类）NAME（款|03|06款）NAME（项|01|01项）`, dashes allowed between parts: the
/// regex [`class_part`] reads, kept for the tests that hold it to the regex.
#[cfg(test)]
static CLASS_PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<n1>{NAME})（(?P<m1>类|[0-9]{{3}}类?)）-?(?P<n2>{NAME})（(?P<m2>款|(?:[0-9]{{3}})?[0-9]{{2}}款?)）-?(?:(?P<n3>{ITEM_NAME})（(?P<m3>项|(?:[0-9]{{5}})?[0-9]{{2}}项?)）)?"
    ))
    .unwrap()
});

/// A 类 and 款, perhaps with a 项, at the start of a folded text, as [`class_part`] reads them.
#[derive(Debug, PartialEq, Eq)]
struct ClassPart<'t> {
    /// Each part's name and marker (`类`, `201类`, `01`): the 类's, the 款's, the 项's.
    parts: Vec<(&'t str, &'t str)>,
    /// The byte after the last marker's `）`, or after the dash that follows the 款's.
    end: usize,
}

/// `NAME（类|201|204类）NAME（款|03|06款）NAME（项|01|01项）` at the start of `s`, dashes allowed
/// between parts; [`NAME`] and [`ITEM_NAME`] say what a name holds. It reads what the regex
/// of that shape matched (the tests hold it to the regex), by hand: each bracket either holds
/// a marker or is part of a name, never both, so no backtracking is needed. The regex's
/// captures ran its backtracker over names of Unicode classes: reading by hand takes 3.7% fewer
/// instructions a text report (callgrind, copies of the sample).
fn class_part(s: &str) -> Option<ClassPart<'_>> {
    let mut parts = Vec::with_capacity(3);
    let mut at = 0;
    // A 项's name may hold `、`.
    for (k, (list, word, long)) in [(false, "类", None), (false, "款", Some(5)), (true, "项", Some(7))]
    .into_iter()
    .enumerate()
    {
        // `类|[0-9]{3}类?`, `款|(?:[0-9]{3})?[0-9]{2}款?`, `项|(?:[0-9]{5})?[0-9]{2}项?`.
        let digits = |n: usize| if k == 0 { n == 3 } else { n == 2 || Some(n) == long };
        match name_and_marker(s, at, list, word, digits) {
            Some((name, marker, end)) => {
                parts.push((name, marker));
                // A dash may follow the 类's and the 款's marker.
                at = end + usize::from(k < 2 && s[end..].starts_with('-'));
            }
            // The 项 is optional.
            None if k == 2 => break,
            None => return None,
        }
    }
    Some(ClassPart { parts, end: at })
}

/// A name from byte `at` of `s` and the marker in the bracket after it: the name's characters
/// are no brackets or clause punctuation (`、` only where `list`), or a short bracketed part
/// that holds no marker (`（室）`). The marker is `word`, or ASCII digits of a length `digits`
/// allows with `word` perhaps after them. Returns the name, the marker, and the byte after the
/// marker's `）`. The stops are matched as characters, not looked up in a list: 0.5% of a text
/// report's instructions.
fn name_and_marker<'t>(
    s: &'t str,
    at: usize,
    list: bool,
    word: &str,
    digits: impl Fn(usize) -> bool,
) -> Option<(&'t str, &'t str, usize)> {
    let mut i = at;
    loop {
        let c = s[i..].chars().next()?;
        if c != '（' {
            if matches!(c, '）' | '：' | ':' | '，' | '。' | '；' | '-') || (c == '、' && !list) {
                return None;
            }
            i += c.len_utf8();
            continue;
        }
        let inner = i + '（'.len_utf8();
        let rest = &s[inner..];
        // The name holds a character at least before its marker.
        if i > at {
            let n = rest.bytes().take_while(u8::is_ascii_digit).count();
            let len = if rest.starts_with(word) {
                Some(word.len())
            } else if n > 0 && digits(n) {
                Some(n + if rest[n..].starts_with(word) { word.len() } else { 0 })
            } else {
                None
            };
            if let Some(len) = len.filter(|&len| rest[len..].starts_with('）')) {
                return Some((&s[at..i], &rest[..len], inner + len + '）'.len_utf8()));
            }
        }
        // `（[^）0-9类款项]{1,4}）`: a bracketed part of the name.
        let mut chars = rest.char_indices();
        let close = chars
            .by_ref()
            .take(5)
            .find(|&(_, c)| c == '）' || c.is_ascii_digit() || matches!(c, '类' | '款' | '项'))
            .filter(|&(k, c)| c == '）' && k > 0)?;
        i = inner + close.0 + '）'.len_utf8();
    }
}

/// `一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行` inside quotes, no markers.
static DASHED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[“\x22](?P<inner>[^”\x22]+-[^”\x22]+)[”\x22]").unwrap());

/// `卫生健康支出-行政事业单位医疗-行政单位医疗：支出决算为20.00万元`: the dashed names without
/// quotes, ending at clause punctuation or a number (read only when the 类 is one).
static DASHED_BARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<inner>[^-：:，,。；0-9（）]+(?:（[^）0-9]{1,4}）[^-：:，,。；0-9（）]*)*(?:-[^-：:，,。；0-9]+){1,2})")
        .unwrap()
});

/// `2080505机关事业单位基本养老保险缴费支出：支出决算为40.00万元`: a 款's or 项's code, then its
/// name.
static CODE_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<code>[0-9]{5}(?:[0-9]{2})?)(?P<name>[^：:，,。；0-9]+)").unwrap()
});

/// `行政运行（2010301）110.00万元`: a name, then its code in brackets.
static NAME_THEN_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<name>{ITEM_NAME})（(?P<code>[0-9]{{5}}(?:[0-9]{{2}})?)）"
    ))
    .unwrap()
});

/// `3.2080505机关…`: a list number before a code (no decimal: a name, not a unit, follows).
static SEQ_BEFORE_CODE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?P<seq>[0-9]{1,2})[.．](?P<code>[0-9]{5}(?:[0-9]{2})?)[^0-9.．,，%％万元亿千]")
        .unwrap()
});

/// Words that lead from a name to its amount (`支出决算为`, `年初预算`), where a name without
/// a marker ends.
const LEAD_INS: &[&str] = &["支出决算", "支出预算", "决算", "预算", "年初", "科目"];

/// `检察（款）行政运行（项）支出 1,500.00 万元`: a 款 and 项 under a 类 stated above.
static KIND_PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<n2>{NAME})（(?P<m2>款|[0-9]{{2}}款?)）-?(?P<n3>{ITEM_NAME})（(?P<m3>项|[0-9]{{2}}项?)）"
    ))
    .unwrap()
});

/// `行政事业单位离退休（类）未归口管理的行政单位离退休支出（项）`: a 款 marked `（类）`.
static KIND_AS_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<n2>{NAME})（类）-?(?P<n3>{ITEM_NAME})（(?P<m3>项|[0-9]{{2}}项?)）"
    ))
    .unwrap()
});

/// `政协事务行政运行（项）支出 800.00 万元`: a 项 whose name runs on from its 款's.
static ITEM_PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<n3>{ITEM_NAME})（(?P<m3>项|[0-9]{{2}}项?)）"
    ))
    .unwrap()
});

/// `社会保障和就业支出 150.00 万元`, `一般公共服务支出科目12,345万元`: a 类 and its amount.
static CLASS_AMOUNT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^(?P<n1>{NAME})(?:（类）)?(?:科目)?(?:支出)?(?:为)?[0-9]"
    ))
    .unwrap()
});

/// `642.25万元，占76.16%`: an amount followed by its share.
static SHARE_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[^，。；]*?(?:万元|元)[，,]?占").unwrap());

/// The names and markers of a line that names 款 and 项 (or a 项 only) under a 类 stated
/// above it, and the rest of the line.
fn under_class(
    folded: &str,
    class: &Part,
    kind_part: Option<&Part>,
    resolver: &Resolver,
) -> Option<(Vec<String>, Vec<Option<String>>, String)> {
    if let Some(c) = KIND_PART.captures(folded) {
        let names = vec![class.name.clone(), c["n2"].to_string(), c["n3"].to_string()];
        let markers = vec![class.code.clone(), digits(&c["m2"]), digits(&c["m3"])];
        return Some((
            names,
            markers,
            folded[c.get(0).unwrap().end()..].to_string(),
        ));
    }
    // `1．行政事业单位离退休（类）未归口管理的行政单位离退休支出（项）271.45万元` under
    // `（二）社会保障和就业（类）`: a 款 of that 类 marked as a 类 by mistake.
    if let Some(c) = KIND_AS_CLASS.captures(folded) {
        let class_code = class.code.as_deref()?;
        resolver.kind(class_code, &c["n2"])?;
        let names = vec![class.name.clone(), c["n2"].to_string(), c["n3"].to_string()];
        let markers = vec![class.code.clone(), None, digits(&c["m3"])];
        return Some((
            names,
            markers,
            folded[c.get(0).unwrap().end()..].to_string(),
        ));
    }
    let c = ITEM_PART.captures(folded)?;
    // Under a 款 line: the 项 of that 款.
    if let Some(k) = kind_part {
        let names = vec![class.name.clone(), k.name.clone(), c["n3"].to_string()];
        let kind_digits = k.code.as_ref().map(|code| code[3..].to_string());
        let markers = vec![class.code.clone(), kind_digits, digits(&c["m3"])];
        return Some((
            names,
            markers,
            folded[c.get(0).unwrap().end()..].to_string(),
        ));
    }
    // The 款's name runs into the 项's: split it where a 款 of this 类 ends.
    let merged = classification::name_key(&c["n3"]);
    let class_code = class.code.as_deref()?;
    let (kind, item) = classification::kinds_of(class_code)
        .flat_map(|k| std::iter::once(k.name).chain(k.former.iter().copied()))
        .map(classification::name_key)
        .find_map(|k| {
            merged
                .strip_prefix(k.as_str())
                .filter(|rest| !rest.is_empty())
                .map(|rest| (k.clone(), rest.to_string()))
        })?;
    let names = vec![class.name.clone(), kind, item];
    let markers = vec![class.code.clone(), None, digits(&c["m3"])];
    Some((
        names,
        markers,
        folded[c.get(0).unwrap().end()..].to_string(),
    ))
}

/// A line that states a 类's amount (`2. 社会保障和就业支出 150.00 万元，…`,
/// `1.“一般公共服务支出”科目12,345万元`): a class-level narrative item.
fn class_level_item(
    folded: &str,
    seq: Option<u32>,
    loc: Loc,
    resolver: &Resolver,
    kind: Option<ReportKind>,
    raw: &str,
) -> Option<LineItem> {
    // Only a numbered line of a list; an amount with its share (`…642.25万元，占76.16%`) is
    // the structure statement's class total, a figure.
    seq?;
    let c = CLASS_AMOUNT.captures(folded)?;
    let name = c["n1"].to_string();
    let code = resolver.class(&name)?;
    let rest = &folded[c.name("n1").unwrap().end()..];
    let (amount, budget, end) = amounts_at(rest, kind);
    amount?;
    if SHARE_AFTER.is_match(rest) {
        return None;
    }
    Some(LineItem {
        table: Some("narrative"),
        seq,
        level: Level::Class,
        code: Some(code.clone()),
        name: name.clone(),
        class: Some(Part {
            code: Some(code),
            name,
        }),
        kind: None,
        item: None,
        year: statement_year(rest, amount),
        amount,
        budget,
        change: end.and_then(|e| change::after(&rest[e..])),
        completion_pct: completion(rest),
        columns: None,
        raw: raw.trim().to_string(),
        loc,
        cell: None,
    })
}

/// The year a line states for its amount: `2021年支出决算数`, `2021支出年决算数` (a typo kept
/// as the year it states), `2026年度预算`.
static YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:19|20)[0-9]{2}(?:年度?)?[^，。；0-9]{0,6}?(?:决算|预算)").unwrap()
});

/// The year of a line's amount: the year whose clause states that amount
/// (`2026年当年预算执行数为24.00万元，2027年预算安排25.00万元` → 2027 for 25.00万元), else the
/// first year that is not the other side of a comparison (`比2020年…`).
fn statement_year(rest: &str, amount: Option<Decimal>) -> Option<i32> {
    // Each match starts with its year's four digits: matches, not capture groups, which cost
    // the regex a second search over each.
    let years: Vec<regex::Match> = YEAR.find_iter(rest).collect();
    let stating = years.iter().find(|m| {
        let after = &rest[m.end()..];
        money::amounts(after)
            .next()
            .and_then(|(s, e)| money::amount_in(&after[s..e]))
            .is_some_and(|a| Some(a.yuan) == amount)
    });
    // Else a year before the amount: one in the explanation after it (`纳入2018年预算管理的…`)
    // is not the statement's.
    let amount_at = money::amounts(rest)
        .find(|&(s, e)| money::amount_in(&rest[s..e]).is_some_and(|a| Some(a.yuan) == amount))
        .map_or(rest.len(), |(s, _)| s);
    stating
        .or_else(|| {
            years.iter().find(|m| {
                m.start() < amount_at
                    && !crate::extract::meta::is_comparison(&rest[..m.start()], "")
            })
        })
        .and_then(|m| m.as_str()[..4].parse().ok())
}

/// The completion share a line states after its amount (`完成预算100%`), asked only of a
/// text with `完成` (see [`starts_with_digit`] on why).
fn completion(rest: &str) -> Option<Decimal> {
    if !rest.contains("完成") {
        return None;
    }
    // The words before the percentage hold no digit and no sign: it is the match's first.
    COMPLETION
        .find(rest)
        .and_then(|m| money::parse_percent(m.as_str()))
}

/// Whether `s` starts with an ASCII digit: the first character of the anchored code
/// patterns. A regex asked of a text it fails at once is cheap to find no match, but a
/// captures call still clears its backtracker's memory for the whole text first.
fn starts_with_digit(s: &str) -> bool {
    s.as_bytes().first().is_some_and(u8::is_ascii_digit)
}

/// `完成预算100%`, `完成年初预算的 25.83%`.
static COMPLETION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        "{}{}",
        change::COMPLETION_PATTERN,
        money::PERCENT_PATTERN
    ))
    .unwrap()
});

/// Resolves names to codes: the report's own code tables first, then the classification.
#[derive(Debug, Default)]
pub struct Resolver {
    /// (parent code or "", name key) → code, from the report's tables.
    own: HashMap<(String, String), String>,
    /// code → name as the report prints it.
    names: HashMap<String, String>,
}

impl Resolver {
    fn learn(&mut self, code: &str, name: &str) {
        let parent = classification::parent_code(code).unwrap_or("").to_string();
        self.own
            .entry((parent, classification::name_key(name)))
            .or_insert_with(|| code.to_string());
        self.names
            .entry(code.to_string())
            .or_insert_with(|| name.to_string());
    }

    fn class(&self, name: &str) -> Option<String> {
        classification::code_by_name("", name, &self.own)
    }

    fn kind(&self, class: &str, name: &str) -> Option<String> {
        classification::code_by_name(class, name, &self.own)
    }

    fn item(&self, kind: &str, name: &str) -> Option<String> {
        self.own
            .get(&(kind.to_string(), classification::name_key(name)))
            .cloned()
            .or_else(|| classification::item_code(kind, name))
    }

    /// The name of a code: as the report prints it, else the classification's.
    fn name(&self, code: &str) -> Option<String> {
        self.names
            .get(code)
            .cloned()
            .or_else(|| classification::by_code(code).map(|e| e.name.to_string()))
    }
}

/// Finds every line item: table rows first (they teach the resolver the report's codes), then
/// narrative lines.
pub fn extract_line_items(
    doc: &Document,
    tables: &[TableInfo],
    kind: Option<ReportKind>,
) -> Vec<LineItem> {
    let mut resolver = Resolver::default();
    let mut out = Vec::new();
    for info in tables {
        let BlockKind::Table(table) = &doc.blocks[info.block].kind else {
            continue;
        };
        out.extend(table_items(table, info, &mut resolver));
    }
    // The 类 a sub-heading or a line of its own names (`（一）公共安全（类）`, `一般公共服务`):
    // the lines under it that name only 款 and 项 belong to it.
    let mut context: Option<Part> = None;
    let mut kind_context: Option<Part> = None;
    for block in &doc.blocks {
        let text = match &block.kind {
            BlockKind::Paragraph(p) => p.text.as_str(),
            BlockKind::Heading(h) => h.text.as_str(),
            _ => continue,
        };
        if let Some(class) = class_line(text, &resolver) {
            context = Some(class);
            kind_context = None;
            continue;
        }
        let BlockKind::Paragraph(_) = &block.kind else {
            context = None;
            kind_context = None;
            continue;
        };
        // `检察（款）: 2018 年预算支出合计 16,444.36 万元。其中：` opens a 款 whose 项 follow.
        if let Some((k, seq, rest)) = context.as_ref().and_then(|c| kind_line(text, c, &resolver)) {
            // The 款's own amount, when the line states one, is a kind-level item.
            let (amount, budget, end) = amounts_at(&rest, kind);
            if amount.is_some() {
                let class = context.clone();
                out.push(LineItem {
                    table: Some("narrative"),
                    seq,
                    level: Level::Kind,
                    code: k.code.clone(),
                    name: k.name.clone(),
                    class,
                    kind: Some(k.clone()),
                    item: None,
                    year: statement_year(&rest, amount),
                    amount,
                    budget,
                    change: end.and_then(|e| change::after(&rest[e..])),
                    completion_pct: completion(&rest),
                    columns: None,
                    raw: text.trim().to_string(),
                    loc: block.loc,
                    cell: None,
                });
            }
            kind_context = Some(k);
            continue;
        }
        let ctx = context.as_ref().map(|c| (c, kind_context.as_ref()));
        if let Some(item) = narrative_item(text, block.loc, &resolver, kind, ctx) {
            out.push(item);
        }
    }
    out
}

/// `检察（款）: 2018 年预算支出合计 16,444.36 万元。其中：`: a line that opens a 款 of the 类
/// above it, whose 项 are listed next.
/// Returns the 款, the line's own number and its folded remainder.
fn kind_line(text: &str, class: &Part, resolver: &Resolver) -> Option<(Part, Option<u32>, String)> {
    if !text.contains('款') {
        return None;
    }
    let (seq, body) = match numbering::split_label(text) {
        Some(l) => (Some(l.ordinal), l.rest),
        None => (None, text.trim()),
    };
    let folded = fold(body);
    let c = KIND_LINE.captures(&folded)?;
    let code = resolver.kind(class.code.as_deref()?, &c["n2"])?;
    let rest = folded[c.get(0).unwrap().end()..].to_string();
    Some((
        Part {
            code: Some(code),
            name: c["n2"].to_string(),
        },
        seq,
        rest,
    ))
}

/// `检察（款）:`, `住房改革支出(款):`.
static KIND_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^(?P<n2>{NAME})（款）[:：]")).unwrap());

/// `（一）公共安全（类）`, `一般公共服务`: a line that names a 类 and nothing else.
fn class_line(text: &str, resolver: &Resolver) -> Option<Part> {
    // A 类 line is short: most paragraphs are ruled out without folding them.
    if text.chars().count() > 40 {
        return None;
    }
    let body = numbering::split_label(text).map_or(text.trim(), |l| l.rest);
    let folded = fold(body);
    let name = folded
        .strip_suffix("（类）")
        .unwrap_or(&folded)
        .trim_end_matches(['：', ':', '。']);
    if name.is_empty() || name.chars().count() > 20 || name.contains(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let code = resolver.class(name)?;
    Some(Part {
        code: Some(code),
        name: name.to_string(),
    })
}

/// Reads a narrative line, if it is one.
fn narrative_item(
    text: &str,
    loc: Loc,
    resolver: &Resolver,
    kind: Option<ReportKind>,
    context: Option<(&Part, Option<&Part>)>,
) -> Option<LineItem> {
    // Every line item states an amount.
    if !crate::text::has_digit(text) {
        return None;
    }
    let (seq, body) = match numbering::split_label(text) {
        Some(l)
            if matches!(
                l.style,
                Style::ArabicDot | Style::ArabicComma | Style::ParenArabic
            ) =>
        {
            (Some(l.ordinal), l.rest)
        }
        // `（一）文化旅游体育与传媒支出（类）文化和旅游（款）行政运行（项）2024年预算数为…`: a
        // whole statement under a label of any style (a lone `（一）公共安全（类）` is a 类
        // line, read above).
        Some(l) if may_name_parts(l.rest, None) && class_part(&fold(l.rest)).is_some() => {
            (Some(l.ordinal), l.rest)
        }
        // `3.2080505机关事业单位…`: a number and a code, which read as a decimal otherwise.
        // (Each anchored regex is asked only where its first character is: a captures call
        // that fails at once still clears its backtracker's memory for the whole paragraph.)
        _ => match starts_with_digit(text.trim())
            .then(|| SEQ_BEFORE_CODE.captures(text.trim()))
            .flatten()
        {
            Some(c) => (
                c["seq"].parse().ok(),
                &text.trim()[c.name("code").unwrap().start()..],
            ),
            None => (None, text.trim()),
        },
    };
    if !may_name_parts(body, seq) {
        return None;
    }
    let dashed = body
        .trim()
        .starts_with(['“', '"'])
        .then(|| DASHED.captures(body.trim()))
        .flatten();
    let (names, markers, rest) = if let Some(c) = dashed {
        let inner = fold(&c["inner"]);
        let names: Vec<String> = inner
            .split('-')
            .map(|n| {
                n.trim_end_matches("（类）")
                    .trim_end_matches("（款）")
                    .trim_end_matches("（项）")
                    .to_string()
            })
            .collect();
        if !(2..=3).contains(&names.len()) {
            return None;
        }
        let rest = fold(&body.trim()[c.get(0).unwrap().end()..]);
        (names, vec![None; 3], rest)
    } else {
        let folded = fold(body);
        if let Some(c) = class_part(&folded) {
            let names = c.parts.iter().map(|(n, _)| n.to_string()).collect();
            let markers = c.parts.iter().map(|(_, m)| digits(m)).collect();
            let rest = folded[c.end..].to_string();
            (names, markers, rest)
        } else if let Some(item) = class_level_item(&folded, seq, loc, resolver, kind, text) {
            return Some(item);
        } else if let Some(found) = dashed_bare(&folded, resolver) {
            found
        } else if let Some(found) = code_first(&folded, resolver) {
            found
        } else {
            let (class, kind_part) = context?;
            under_class(&folded, class, kind_part, resolver)?
        }
    };
    if names.len() == 2 && runs_into_amount(&rest) {
        return None;
    }
    let (amount, budget, end) = amounts_at(&rest, kind);
    if amount.is_none() && budget.is_none() {
        return None;
    }
    let change = end.and_then(|e| change::after(&rest[e..]));
    let year = statement_year(&rest, amount.or(budget));
    let completion_pct = completion(&rest);

    // Codes: stated, else resolved level by level.
    let class_code = markers[0].clone().or_else(|| resolver.class(&names[0]));
    let kind_code = class_code
        .as_ref()
        .and_then(|cc| match &markers.get(1).cloned().flatten() {
            Some(k) => Some(format!("{cc}{k}")),
            None => resolver.kind(cc, &names[1]),
        });
    let item_code = names.get(2).and_then(|n| {
        kind_code
            .as_ref()
            .and_then(|kc| match &markers.get(2).cloned().flatten() {
                Some(i) => Some(format!("{kc}{i}")),
                None => resolver.item(kc, n),
            })
    });
    let level = if names.len() == 3 {
        Level::Item
    } else {
        Level::Kind
    };
    let code = if level == Level::Item {
        item_code.clone()
    } else {
        kind_code.clone()
    };
    Some(LineItem {
        table: Some("narrative"),
        seq,
        level,
        code,
        name: names.last().cloned().unwrap_or_default(),
        class: Some(Part {
            code: class_code,
            name: names[0].clone(),
        }),
        kind: Some(Part {
            code: kind_code,
            name: names[1].clone(),
        }),
        item: names.get(2).map(|n| Part {
            code: item_code,
            name: n.clone(),
        }),
        year,
        amount,
        budget,
        change,
        completion_pct,
        columns: None,
        raw: text.trim().to_string(),
        loc,
        cell: None,
    })
}

/// Whether a line's body (after its list number, `seq`) may hold one of the shapes
/// [`narrative_item`] reads; most paragraphs with a number hold none, and are passed over
/// without folding them and trying each shape's regex.
///
/// Every shape's names end at `，`, `。` or `；` (none of the name patterns allows them outside
/// a bracket), so each shows itself before the first of them:
/// - a marker: a bracket or a quote before `类`, `款`, `项` or a digit (`（类）`, `【款】`,
///   `（201类）`, `（2010301）`, `”类`; spaces between are folded away);
/// - a dash (dashed names; `—` is folded to `-`);
/// - a quote or a digit at the start (a quoted dashed name, a code first);
/// - for a numbered line, a digit (a 类 with its amount, `2.社会保障和就业支出150.00万元`).
///
/// A bracket of a name (`（含…）`, `（室）`) or of an aside is no marker: a paragraph with
/// only those is passed over.
///
/// Read on the bytes (a pass over decoded characters cost more than the regexes it saved):
/// every mark sought is ASCII or starts with E2, E3 or EF, which Han characters do not.
fn may_name_parts(body: &str, seq: Option<u32>) -> bool {
    let body = body.trim();
    let b = body.as_bytes();
    if b.first().is_some_and(u8::is_ascii_digit) || body.starts_with(['“', '"', '‘']) {
        return true;
    }
    // Whether a marker's character (`类`, `款`, `项`, a digit) follows byte `at`, spaces
    // skipped.
    let marker_after = |at: usize| {
        body[at..]
            .chars()
            .find(|c| !c.is_whitespace())
            .is_some_and(|c| matches!(c, '类' | '款' | '项') || c.is_ascii_digit())
    };
    let mut i = 0;
    while i < b.len() {
        let next = |k: usize| b.get(i + k).copied().unwrap_or(0);
        match (b[i], next(1), next(2)) {
            (b'-', _, _) => return true,
            (b'(' | b'[' | b'"', _, _) if marker_after(i + 1) => return true,
            (d, _, _) if d.is_ascii_digit() && seq.is_some() => return true,
            // `，` `；` and `。`: the head ends.
            (0xef, 0xbc, 0x8c | 0x9b) | (0xe3, 0x80, 0x82) => return false,
            // `－`; `–` `—`.
            (0xef, 0xbc, 0x8d) | (0xe2, 0x80, 0x93 | 0x94) => return true,
            // `（`; `【` `〔`; `‘` `’` `“` `”`.
            (0xef, 0xbc, 0x88) | (0xe3, 0x80, 0x90 | 0x94) | (0xe2, 0x80, 0x98 | 0x99 | 0x9c | 0x9d)
                if marker_after(i + 3) =>
            {
                return true
            }
            _ => {}
        }
        i += 1;
    }
    false
}

/// The names, markers and rest of `卫生健康支出-行政事业单位医疗-行政单位医疗：…`, when the
/// first name is a 类.
fn dashed_bare(
    folded: &str,
    resolver: &Resolver,
) -> Option<(Vec<String>, Vec<Option<String>>, String)> {
    let c = DASHED_BARE.captures(folded)?;
    let names: Vec<String> = c["inner"]
        .split('-')
        .map(|n| {
            let n = n
                .trim_end_matches("（类）")
                .trim_end_matches("（款）")
                .trim_end_matches("（项）");
            strip_lead_ins(n).to_string()
        })
        .collect();
    if names.iter().any(String::is_empty) {
        return None;
    }
    resolver.class(&names[0])?;
    let rest = folded[c.get(0).unwrap().end()..].to_string();
    Some((names, vec![None; 3], rest))
}

/// The names, markers and rest of `2080505机关事业单位基本养老保险缴费支出：…` or
/// `行政运行（2010301）110.00万元`: the code states every level.
fn code_first(
    folded: &str,
    resolver: &Resolver,
) -> Option<(Vec<String>, Vec<Option<String>>, String)> {
    if let Some(c) = starts_with_digit(folded)
        .then(|| CODE_FIRST.captures(folded))
        .flatten()
    {
        let run = c.name("name").unwrap();
        return coded(&c["code"], run.as_str(), resolver)
            .map(|(names, markers, len)| (names, markers, folded[run.start() + len..].to_string()));
    }
    let c = NAME_THEN_CODE.captures(folded)?;
    let (names, markers, len) = coded(&c["code"], &c["name"], resolver)?;
    // The whole name stands before the code.
    (len == c["name"].len()).then(|| (names, markers, folded[c.get(0).unwrap().end()..].to_string()))
}

/// The names and markers of a 款's or 项's code and the name printed with it (`run`, which
/// may run on into the amount's lead-in), with the name's length in `run`. The 类 and 款 of
/// the code must be ones the report's tables or the classification know, and the entry
/// itself too, or else its printed name must resolve to that very code.
fn coded(
    code: &str,
    run: &str,
    resolver: &Resolver,
) -> Option<(Vec<String>, Vec<Option<String>>, usize)> {
    let known = resolver.name(code);
    // The name as the report or the classification prints it, when the line starts with it;
    // else the words up to the lead-in.
    let name = match known
        .as_deref()
        .and_then(|k| run.strip_prefix(fold(k).as_str()))
    {
        Some(after) => &run[..run.len() - after.len()],
        None => strip_lead_ins(run),
    };
    if name.is_empty() {
        return None;
    }
    let mut names = vec![resolver.name(&code[..3])?];
    let mut markers = vec![Some(code[..3].to_string()), Some(code[3..5].to_string())];
    if code.len() == 7 {
        names.push(resolver.name(&code[..5])?);
        markers.push(Some(code[5..].to_string()));
        if known.is_none() && resolver.item(&code[..5], name).as_deref() != Some(code) {
            return None;
        }
    } else {
        known.as_ref()?;
    }
    names.push(name.to_string());
    Some((names, markers, name.len()))
}

/// A name less the words that lead to its amount (`行政运行支出决算` → `行政运行`).
fn strip_lead_ins(name: &str) -> &str {
    LEAD_INS
        .iter()
        .filter_map(|w| name.find(w))
        .min()
        .map_or(name, |i| &name[..i])
}

/// Whether the text after a `（款）` runs a name straight into an amount
/// (`…（款）机关事业单位基本养老161.62万元`): the rest of an item name that the PDF's text
/// order tore off its `（项）`, so the line cannot be read safely. Lead-ins such as
/// `支出决算为` are no name.
fn runs_into_amount(rest: &str) -> bool {
    let han: String = rest
        .chars()
        .take_while(|c| !c.is_ascii_digit() && !"，。；：,;:（）".contains(*c))
        .collect();
    if !rest[han.len()..].starts_with(|c: char| c.is_ascii_digit()) {
        return false;
    }
    let mut name = han;
    for lead in [
        "支出", "决算", "预算", "科目", "年初", "合计", "共计", "数", "为", "的",
    ] {
        name = name.replace(lead, "");
    }
    name.chars().count() >= 4
}

/// The digits of a marker (`201`, `204类` → `204`), `None` for `类`/`款`/`项`. A 款's or
/// 项's marker may give its whole code (`（20805）`, `（2080505）`): its own two digits are the
/// last.
fn digits(marker: &str) -> Option<String> {
    let d: String = marker.chars().filter(|c| c.is_ascii_digit()).collect();
    match d.len() {
        0 => None,
        5 | 7 => Some(d[d.len() - 2..].to_string()),
        _ => Some(d),
    }
}

/// The amount (决算数, or 预算数 in a budget report) and the 年初预算 of a line's remainder,
/// with the byte offset where the amount ends (where its change, if any, is stated).
fn amounts_at(
    rest: &str,
    kind: Option<ReportKind>,
) -> (Option<Decimal>, Option<Decimal>, Option<usize>) {
    let mut amount = None;
    let mut end = None;
    let mut budget = None;
    for (start, stop) in money::amounts(rest) {
        let before: String = rest[..start]
            .chars()
            .rev()
            .take(8)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let Some(a) = money::amount_in(&rest[start..stop]) else {
            continue;
        };
        // `比上年增加5.00万元，2026年支出决算为45.00万元`: a change is not the amount.
        let after_change = |w: &str| before.ends_with(w) || before.strip_suffix('了').is_some_and(|b| b.ends_with(w));
        if change::DIRECTION_WORDS.iter().any(|(w, _)| after_change(w))
            || ["压减", "节约"].iter().any(|w| after_change(w))
        {
            continue;
        }
        let is_budget = kind != Some(ReportKind::Budget)
            && (before.ends_with("年初预算为")
                || before.ends_with("年初预算数为")
                || before.ends_with("年初预算")
                || before.ends_with("预算数为")
                || before.ends_with("预算为"));
        if is_budget {
            budget = budget.or(Some(a.yuan));
        } else if amount.is_none() {
            amount = Some(a.yuan);
            end = Some(stop);
        }
        if amount.is_some() && budget.is_some() {
            break;
        }
    }
    // `年初预算为 0，`: a zero needs no unit.
    if budget.is_none() && kind != Some(ReportKind::Budget) {
        if let Some(m) = ZERO_BUDGET.find(rest) {
            if amount.is_none() || m.start() < rest.len() {
                budget = Some(Decimal::ZERO);
            }
        }
    }
    (amount, budget, end)
}

/// `年初预算为 0，`, `年初预算数为0。`: a budget of zero, stated without a unit.
static ZERO_BUDGET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"年初预算数?为?0(?:\.0+)?(?:[，,。；;]|$)").unwrap());

/// The rows of a code table that carry a function-classification code.
fn table_items(table: &Table, info: &TableInfo, resolver: &mut Resolver) -> Vec<LineItem> {
    let unit = info.unit.as_deref().and_then(Unit::parse);
    let header = header_row(table);
    let mut rows = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        let cells: Vec<&str> = row
            .cells
            .iter()
            .map(|c| c.as_ref().map_or("", |c| c.text.trim()))
            .collect();
        let Some((code, used)) = row_code(&cells) else {
            continue;
        };
        if !classification::is_function_code(&code) {
            continue;
        }
        let name_at = (used..cells.len())
            .find(|&k| !cells[k].is_empty() && money::parse_number(cells[k]).is_none());
        let name = name_at.map(|k| cells[k].to_string()).unwrap_or_default();
        let values: Vec<(usize, Decimal)> = (name_at.map_or(used, |k| k + 1)..cells.len())
            .filter_map(|k| {
                unit.and_then(|u| money::to_yuan(cells[k], u))
                    .map(|v| (k, v))
            })
            .collect();
        resolver.learn(&code, &name);
        rows.push((r, code, name, values, row.aligned, row.page));
    }
    rows.into_iter()
        .map(|(r, code, name, values, aligned, page)| {
            let part = |c: &str| -> Option<Part> {
                (code.len() >= c.len()).then(|| Part {
                    name: resolver.name(c).unwrap_or_default(),
                    code: Some(c.to_string()),
                })
            };
            let columns = (aligned && header.is_some() && !values.is_empty())
                .then(|| {
                    let h = header.as_ref().unwrap();
                    values
                        .iter()
                        .map(|(k, v)| {
                            h.get(*k)
                                .filter(|t| !t.is_empty())
                                .map(|t| (t.to_string(), *v))
                        })
                        .collect::<Option<Vec<_>>>()
                })
                .flatten();
            let raw = table.rows[r]
                .cells
                .iter()
                .map(|c| c.as_ref().map_or("", |c| c.text.as_str()))
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            LineItem {
                table: info.key,
                seq: None,
                level: Level::of_code(&code).unwrap_or(Level::Item),
                class: part(&code[..3]),
                kind: (code.len() >= 5).then(|| part(&code[..5])).flatten(),
                item: (code.len() == 7).then(|| part(&code)).flatten(),
                code: Some(code),
                name,
                year: None,
                amount: values.first().map(|(_, v)| *v),
                budget: None,
                change: None,
                completion_pct: None,
                columns,
                raw,
                // A row of a table printed over several pages is on its own page.
                loc: Loc {
                    page: page.or(info.loc.page),
                    ..info.loc
                },
                cell: Some((r, 0)),
            }
        })
        .collect()
}

/// The header row of a table: the first row without a code and with a non-numeric text.
fn header_row(table: &Table) -> Option<Vec<String>> {
    let first = table.rows.first()?;
    let cells: Vec<String> = first
        .cells
        .iter()
        .map(|c| c.as_ref().map_or(String::new(), |c| c.text.clone()))
        .collect();
    let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
    (row_code(&refs).is_none()
        && refs
            .iter()
            .any(|c| !c.is_empty() && money::parse_number(c).is_none()))
    .then_some(cells)
}

/// A row's code and how many cells it spans: `201 | 06 | 01`, `201 | 06 | `, `2010601`.
fn row_code(cells: &[&str]) -> Option<(String, usize)> {
    let digits = |s: &str, n: usize| s.len() == n && s.chars().all(|c| c.is_ascii_digit());
    let first = *cells.first()?;
    if digits(first, 7) || digits(first, 5) {
        return Some((first.to_string(), 1));
    }
    if !digits(first, 3) {
        return None;
    }
    let mut code = first.to_string();
    let mut used = 1;
    for k in 1..3 {
        match cells.get(k) {
            Some(c) if digits(c, 2) && code.len() == 1 + 2 * k => {
                code.push_str(c);
                used = k + 1;
            }
            Some(&"") => used = k + 1,
            _ => break,
        }
    }
    Some((code, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The gate lets through every shape the reader reads (a marker, a dash, a quoted or
    /// coded start, a numbered 类 with its amount) and passes over a paragraph whose head
    /// holds none, whatever brackets it has.
    #[test]
    fn may_name_parts_lets_every_shape_through() {
        for (body, seq) in [
            ("一般公共服务支出（类）人大事务（款）行政运行（项）支出决算为5万元", None),
            ("一般公共服务支出( 类 )人大事务(款)", None),
            ("住房保障支出[类]住房改革支出【款】住房公积金〔项〕", None),
            ("一般公共服务支出（201类）人大事务（01）", None),
            ("行政运行（2010301）110.00万元", None),
            ("“一般公共服务支出”类“人大事务”款", None),
            ("一般公共服务\"人大事务\"款", None),
            ("“一般公共服务支出-人大事务-行政运行”：5万元", None),
            ("卫生健康支出-行政事业单位医疗：20.00万元", None),
            ("卫生健康支出—行政事业单位医疗：20.00万元", None),
            ("卫生健康支出－行政事业单位医疗：20.00万元", None),
            ("2080505机关事业单位基本养老保险缴费支出：40.00万元", None),
            ("“2080505”机关事业单位基本养老保险缴费支出：40.00万元", None),
            ("社会保障和就业支出150.00万元，占10%", Some(2)),
        ] {
            assert!(may_name_parts(body, seq), "{body}");
        }
        for (body, seq) in [
            ("本年支出合计853.00万元（含结转），比上年增加5万元", None),
            ("（一）主要职能。2021年完成工作（详见附表）", None),
            ("收入合计853.00万元，其中：（类）", None),
            ("收入合计853.00万元；“一般”类", None),
            ("社会保障和就业支出150.00万元", None),
            ("政府办公厅（室）及相关机构事务，5万元", None),
        ] {
            assert!(!may_name_parts(body, seq), "{body}");
        }
    }

    /// The char-by-char fold this replaced, to compare with.
    fn fold_by_chars(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut chars = s.chars().filter(|c| !c.is_whitespace()).peekable();
        let mut prev: Option<char> = None;
        while let Some(c) = chars.next() {
            match c {
                '“' | '”' | '"' | '‘' | '’' => {
                    // A quote that closes a name (`”`, `’`, or a straight quote right after a Han
                    // character) before `类`, `款` or `项` (not `项目`): the name's marker.
                    let closes = match c {
                        '”' | '’' => true,
                        '"' => prev.is_some_and(crate::text::is_cjk),
                        _ => false,
                    };
                    if let Some(&m) = chars.peek().filter(|m| closes && matches!(m, '类' | '款' | '项')) {
                        chars.next();
                        if m == '项' && chars.peek() == Some(&'目') {
                            out.push(m);
                        } else {
                            out.push('（');
                            out.push(m);
                            out.push('）');
                        }
                        prev = Some(m);
                        continue;
                    }
                }
                '(' | '[' | '【' | '〔' => out.push('（'),
                ')' | ']' | '】' | '〕' => out.push('）'),
                '—' | '－' | '–' => out.push('-'),
                c => out.push(c),
            }
            prev = Some(c);
        }
        out
    }

    /// The fast fold gives what the char-by-char one gave, on made-up shapes and on every
    /// line of the samples and the corpus's texts.
    #[test]
    fn fold_is_the_char_by_char_fold() {
        let made = [
            "“一般公共服务支出”类“人大事务”款“行政运行”项",
            "\"人大事务\" 款 \"项目\"",
            "“乡村振兴” 项 目支出",
            "“乡村振兴”项",
            "a\"类\u{3000}”\u{a0}项",
            "(一)【款】〔项〕[类]—－–\u{2003}\u{85}“”‘’",
            "结尾的“",
            "”",
        ];
        let texts = crate::test_texts::sample_and_corpus_texts();
        for text in made.iter().copied().chain(texts.iter().flat_map(|t| t.lines())) {
            assert_eq!(fold(text), fold_by_chars(text), "{text}");
        }
    }

    /// What the regex of [`class_part`]'s shape reads from `s`, in `class_part`'s terms.
    fn class_part_by_regex(s: &str) -> Option<ClassPart<'_>> {
        let c = CLASS_PART.captures(s)?;
        let mut parts = vec![(&c["n1"], &c["m1"]), (&c["n2"], &c["m2"])];
        if let (Some(n3), Some(m3)) = (c.name("n3"), c.name("m3")) {
            parts.push((n3.as_str(), m3.as_str()));
        }
        // The captures borrow from `s`, not from `c`.
        let parts = parts
            .into_iter()
            .map(|(n, m)| {
                let at = |x: &str| x.as_ptr() as usize - s.as_ptr() as usize;
                (&s[at(n)..at(n) + n.len()], &s[at(m)..at(m) + m.len()])
            })
            .collect();
        Some(ClassPart {
            parts,
            end: c.get(0).unwrap().end(),
        })
    }

    /// The hand-written reader matches what the regex matched: on made-up shapes, on random
    /// texts of the characters that decide it, and on every folded line of the samples and
    /// the corpus's texts.
    #[test]
    fn class_part_reads_what_its_regex_read() {
        let made = [
            "一般公共服务支出（类）人大事务（款）行政运行（项）支出决算为5万元",
            "一般公共服务支出（201类）人大事务（01）行政运行（2010101项）5万元",
            "一般公共服务支出（201）人大事务（20101款）行政运行（01）",
            "政府办公厅（室）及相关机构事务（类）因公出国（境）（款）公诉、审判（项）",
            "社会保障（类）-行政事业单位养老支出（款）-机关养老（项）",
            "社会保障（类）-行政事业单位养老支出（款）-",
            "社会保障（类）-行政事业单位养老支出（款）-机关：养老（项）",
            "社会保障（类）-行政事业单位养老支出（款）行政运行（项）-",
            "社会保障（类）-、（款）",
            "（类）人大事务（款）",
            "a（（室）（类）b（款）",
            "a（室内外场（类）b（款）",
            "a（五个字符的（类）b（款）",
            "a（类似）（类）b（款）",
            "a（2010（类）b（款）",
            "a（1234）b（类）c（款）",
            "a（201类）b（201款）c（1234567项）d",
            "a（201类）b（2010款）",
            "a（201类）b（20101款款）",
            "a（类）b（款）c（12345678）",
            "a（类）b（款）c（项",
            "a（类）b（款",
            "a（类）",
            "",
        ];
        let texts = crate::test_texts::sample_and_corpus_texts();
        let folded: Vec<String> = texts.iter().flat_map(|t| t.lines()).map(fold).collect();
        // Random texts of the pieces the shape turns on, from a fixed seed: three parts, each
        // a few pieces of name and a marker, good or bad, perhaps with a dash.
        let names = ["a", "中", "a", "中", "（室）", "、", "（1）", "（类似）", "-", "：", "（", "）"];
        let good = [
            ["（类）", "（201类）", "（201）"],
            ["（款）", "（01）", "（20101款）"],
            ["（项）", "（2010101）", "（01项）"],
        ];
        let bad = ["（2010）", "（类", "）", "（0101）", "（20101项）", "（类款）"];
        let mut next = crate::test_texts::random_below(0x9e37_79b9_7f4a_7c15u64);
        let mut random = Vec::new();
        for _ in 0..40_000 {
            let mut t = String::new();
            for part in good {
                for _ in 0..next(3) + usize::from(next(8) > 0) {
                    t.push_str(names[next(names.len())]);
                }
                t.push_str(match next(4) {
                    0 => bad[next(bad.len())],
                    _ => part[next(3)],
                });
                if next(3) == 0 {
                    t.push('-');
                }
            }
            random.push(t);
        }
        let mut matched = 0;
        for text in made
            .iter()
            .copied()
            .chain(folded.iter().map(String::as_str))
            .chain(random.iter().map(String::as_str))
        {
            let want = class_part_by_regex(text);
            matched += usize::from(want.is_some());
            assert_eq!(class_part(text), want, "{text}");
        }
        // The random texts reach the matching shapes, not only the failing ones.
        assert!(matched > 1_000, "{matched}");
    }

    #[test]
    fn folding_brackets_quotes_and_bare_markers() {
        for (text, folded) in [
            (
                "“一般公共服务支出”类“人大事务”款“行政运行”项",
                "一般公共服务支出（类）人大事务（款）行政运行（项）",
            ),
            ("\"人大事务\"款", "人大事务（款）"),
            ("“乡村振兴”项目支出", "乡村振兴项目支出"),
            ("住房保障支出[类]住房改革支出【款】", "住房保障支出（类）住房改革支出（款）"),
            ("\"类似\"支出", "类似支出"),
            ("卫生健康支出—行政事业单位医疗", "卫生健康支出-行政事业单位医疗"),
        ] {
            assert_eq!(fold(text), folded, "{text}");
        }
    }

    /// The narrative line item of `text`, read as a line of a report of `kind`.
    fn read_as(text: &str, kind: Option<ReportKind>) -> Option<LineItem> {
        let loc = Loc {
            block: 0,
            line: None,
            page: None,
        };
        narrative_item(text, loc, &Resolver::default(), kind, None)
    }

    fn item(text: &str) -> LineItem {
        read_as(text, Some(ReportKind::FinalAccounts))
            .unwrap_or_else(|| panic!("no line item in {text}"))
    }

    #[track_caller]
    fn check(
        text: &str,
        seq: Option<u32>,
        code: &str,
        name: &str,
        amount: &str,
        budget: Option<&str>,
        year: Option<i32>,
    ) {
        let i = item(text);
        assert_eq!(i.seq, seq, "{text}");
        assert_eq!(i.code.as_deref(), Some(code), "{text}");
        assert_eq!(i.name, name, "{text}");
        assert_eq!(
            i.amount.map(money::yuan_string).as_deref(),
            Some(amount),
            "{text}"
        );
        assert_eq!(
            i.budget.map(money::yuan_string).as_deref(),
            budget,
            "{text}"
        );
        assert_eq!(i.year, year, "{text}");
    }

    #[test]
    fn every_narrative_shape() {
        check("1.一般公共服务（201）政府办公厅（室）及相关机构事务（03）行政运行（01）:2021年支出决算数为118.97万元，完成预算100%", Some(1), "2010301", "行政运行", "1189700", None, Some(2021));
        check("1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：局本部人员经费及公用经费等的基本支出。年初预算为 1560.05 万元，支出决算为1511.89万元。", Some(1), "2010601", "行政运行", "15118900", Some("15600500"), None);
        // 统计信息事务 is no item of 20105: the item code stays unknown, the kind is known.
        let i = item("1.“一般公共服务（类）统计信息事务（款）统计信息事务（项）”20.04 万元，主要用于统计工作，完成年初预算的 25.83%。");
        assert_eq!(
            (
                i.seq,
                i.code.as_deref(),
                i.kind.as_ref().unwrap().code.as_deref()
            ),
            (Some(1), None, Some("20105"))
        );
        assert_eq!(
            (
                i.amount.map(money::yuan_string).as_deref(),
                i.completion_pct.map(money::yuan_string).as_deref()
            ),
            (Some("200400"), Some("25.83"))
        );
        check("1. “一般公共服务支出-政府办公厅（室）及相关机构事务-行政运行”科目1,202.95万元，主要用于行政单位的基本支出。", Some(1), "2010301", "行政运行", "12029500", None, None);
        check(
            "1、公共安全支出（204类）司法（06款）行政运行（01项）1672.67万元。",
            Some(1),
            "2040601",
            "行政运行",
            "16726700",
            None,
            None,
        );
        check("6.一般公共服务（201）统计信息事务（05）专项统计业务（05）: 2021支出年决算数为2.40万元，完成预算100%；", Some(6), "2010505", "专项统计业务", "24000", None, Some(2021));
        check("21.住房保障支出（221）住房改革支出（02）住房公积金（01）: 2020年支出决算数为27.69万元，完成预算100%；", Some(21), "2210201", "住房公积金", "276900", None, Some(2020));
        check(
            "7.医疗卫生与计划生育支出(类）行政事业单位医疗（款）行政单位医疗（项）3.5万元",
            Some(7),
            "2101101",
            "行政单位医疗",
            "35000",
            None,
            None,
        );
    }

    #[test]
    fn budget_report_line() {
        let i = read_as(
            "“一般公共服务支出(类）-统计信息事务（款）-统计管理（项）”2026年度预算0.12万元",
            Some(ReportKind::Budget),
        )
        .unwrap();
        assert_eq!(
            (i.code.as_deref(), i.name.as_str(), i.year),
            (Some("2010506"), "统计管理", Some(2026))
        );
        assert_eq!(i.amount.map(money::yuan_string).as_deref(), Some("1200"));
        assert_eq!(i.budget, None);
    }

    /// A line's year-on-year change, in the same sentence or after one of explanation
    /// (the Jiangsu 预算 shapes).
    #[test]
    fn a_line_states_its_change() {
        let change = |text: &str| {
            let i = read_as(text, Some(ReportKind::Budget)).unwrap();
            let c = i.change.unwrap();
            (
                c.direction.as_str(),
                c.amount.map(money::yuan_string),
                c.pct.map(money::yuan_string),
            )
        };
        assert_eq!(
            change("4. 一般公共服务（类）人大事务（款）人大立法（项）支出729万元，与上年相比减少81万元，减少10%。主要原因是按照规定运转类专项经费压减10%。"),
            ("decrease", Some("810000".into()), Some("10".into()))
        );
        assert_eq!(
            change("1．一般公共服务（类）支出13907.78万元，主要用于在职人员工资福利支出。与上年相比增加1201.5万元，增长9.46%。"),
            ("increase", Some("12015000".into()), Some("9.46".into()))
        );
        assert_eq!(
            change("2. 公共安全（类）检察（款）行政运行（项）支出 1,500.00 万元，与上年预算持平。"),
            ("flat", None, None)
        );
    }

    #[test]
    fn not_line_items() {
        for text in [
            "5.一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）：指行政单位的基本支出。",
            "一般公共服务（类）支出642.25万元，占76.16%；",
            "1.贯彻执行党和国家的各项法律、法规。",
        ] {
            assert!(read_as(text, None).is_none(), "{text}");
        }
    }

    #[test]
    fn a_torn_item_name_is_no_line_item() {
        let text = "6、社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老161.62万元，支出决算为160.75万元。";
        assert!(read_as(text, None).is_none());
        let i = item("1、公共安全支出（204类）司法（06款）支出决算为1672.67万元。");
        assert_eq!((i.code.as_deref(), i.level), (Some("20406"), Level::Kind));
    }

    #[test]
    fn unknown_names_stay_null() {
        let i = item("3.某某新设支出（类）某某事务（款）某某项目（项）：2021年支出决算数为1万元");
        assert_eq!((i.code, i.class.unwrap().code), (None, None));
    }

    #[test]
    fn split_and_whole_codes() {
        assert_eq!(
            row_code(&["201", "06", "01", "行政运行"]),
            Some(("2010601".into(), 3))
        );
        assert_eq!(
            row_code(&["201", "", "", "一般公共服务支出"]),
            Some(("201".into(), 3))
        );
        assert_eq!(
            row_code(&["208", "05", "", "行政事业单位养老支出"]),
            Some(("20805".into(), 3))
        );
        assert_eq!(
            row_code(&["2010505", "专项统计业务"]),
            Some(("2010505".into(), 1))
        );
        assert_eq!(row_code(&["合计", "1.00"]), None);
    }
}
