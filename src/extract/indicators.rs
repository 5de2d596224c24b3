//! Performance tables: projects and their indicator trees.
//!
//! A 部门决算 carries self-evaluation tables (绩效目标自评表: per project the budget and its
//! execution, the overall goal and its result, and indicators 一级/二级/三级 with target and
//! actual values); a 部门预算 carries target tables (项目支出绩效目标表 / 绩效目标填报表: the same
//! tree, targets only). Fields are found by their labels, never by position, since every
//! reader gives the grid another shape: TAB text shows a merged cell as an empty cell or leaves
//! it out of the row, .docx resolves merges to `None` positions, PDF layout puts values where
//! their columns are.
//! ```text
//! 项目名称 | 基层政权事业专项经费（含基层人民武装业务费） | 实施单位 | 攀枝花市西区玉泉街办
//! 项目预算执行情况（万元） | 预算数： | 4 | 执行数： | 4
//!  | 其中：财政拨款 | 4 | 其中：财政拨款 | 4
//! 年度总体目标完成情况 | 预期目标 | 目标实际完成情况
//!  | 抓好党建工作，…不断提高服务质量和服务水平。 | 较好的完成了年初设定的目标
//! 年度绩效指标完成情况 | 一级指标 | 二级指标 | 三级指标 | 预期指标值 | 实际完成指标值
//!  | 完成指标 | 数量指标 | 教育、基层党建、妇联工会 | …完成率达95%及以上。 | 各专项工作开展完成达95%及以上。
//!  |  | 时效指标 | 全年 | 年中、年底进行自我检查与被检查，保障工作的有序推进。 |
//! ```

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use crate::extract::tables::TableInfo;
use crate::model::{BlockKind, Document, Loc};
use crate::money::{self, Unit};
use crate::text::compact;

/// A project of a performance table.
#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub name: Option<String>,
    pub unit: Option<String>,
    pub department: Option<String>,
    pub budget: Option<Decimal>,
    pub executed: Option<Decimal>,
    pub budget_appropriation: Option<Decimal>,
    pub executed_appropriation: Option<Decimal>,
    pub goal: Option<String>,
    pub goal_result: Option<String>,
    pub loc: Loc,
    /// (row, col) of the 项目名称 label.
    pub cell: (usize, usize),
    pub indicators: Vec<Indicator>,
}

/// One indicator row.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub level1: Option<String>,
    pub level2: Option<String>,
    pub name: Option<String>,
    pub target: Option<String>,
    pub actual: Option<String>,
    pub target_value: Option<Value>,
    pub actual_value: Option<Value>,
    pub loc: Loc,
    pub cell: (usize, usize),
}

/// A number a target or result states, with how it compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Value {
    pub op: &'static str,
    pub value: Decimal,
    pub unit: Option<&'static str>,
}

/// A grid row as text, `None` for covered or missing positions, empty text as `None` too.
type Cells = Vec<Option<String>>;

/// Whether a cell is one of the labels, allowing a colon and a unit after it
/// (`预算数：`, `项目资金（万元）`).
fn is(cell: &Option<String>, labels: &[&str]) -> bool {
    cell.as_deref().is_some_and(|t| {
        // A long cell is a text, never a label.
        if t.len() > 80 {
            return false;
        }
        // The label form starts with the cell's first character that is no space: most cells
        // are ruled out by it without building that form (`is` runs for every cell and label
        // list, and was 4% of extraction).
        let Some(first) = t.chars().find(|c| !c.is_whitespace()) else {
            return false;
        };
        if !labels.iter().any(|l| l.starts_with(first)) {
            return false;
        }
        let c = compact(t);
        let c = c.trim_end_matches(['：', ':']);
        let c = ["（万元）", "(万元)", "（元）", "(元)"]
            .iter()
            .find_map(|u| c.strip_suffix(u))
            .unwrap_or(c)
            .trim_end_matches(['：', ':']);
        labels.contains(&c)
    })
}

/// Whether a row holds any label of a performance table: the end of a wrapped text above it.
fn has_label(row: &Cells) -> bool {
    row.iter().any(|c| {
        [
            NAME,
            UNIT,
            DEPARTMENT,
            BUDGET,
            EXECUTED,
            APPROPRIATION,
            GOAL,
            GOAL_RESULT,
            LEVEL1,
            LEVEL3,
        ]
        .iter()
        .any(|labels| is(c, labels))
    })
}

/// The first non-empty cell right of `col`.
fn right_of(row: &Cells, col: usize) -> Option<String> {
    row.iter().skip(col + 1).flatten().next().cloned()
}

const NAME: &[&str] = &["项目名称"];
const UNIT: &[&str] = &["实施单位", "项目实施单位"];
const DEPARTMENT: &[&str] = &["主管部门", "预算主管部门", "项目主管部门"];
const BUDGET: &[&str] = &[
    "预算数",
    "全年预算数",
    "年度预算数",
    "年度预算",
    "项目资金",
    "项目预算",
    "项目资金总额",
    "资金总额",
    "年度资金总额",
];
const EXECUTED: &[&str] = &["执行数", "全年执行数", "年度执行数", "实际执行数"];
const APPROPRIATION: &[&str] = &[
    "其中：财政拨款",
    "其中:财政拨款",
    "财政拨款",
    "其中财政拨款",
];
/// Goal labels, the preferred first: a target table states a project's overall goal and its
/// goal for the year; the year's is the one a year's report answers for.
const GOAL: &[&str] = &["预期目标", "年度总体目标", "年度目标", "项目总目标"];
const GOAL_RESULT: &[&str] = &["目标实际完成情况", "实际完成情况"];
const LEVEL1: &[&str] = &["一级指标"];
const LEVEL2: &[&str] = &["二级指标"];
const LEVEL3: &[&str] = &["三级指标"];
const TARGET: &[&str] = &[
    "预期指标值",
    "指标值",
    "年度指标值",
    "年度(/项目)指标值",
    "年度（/项目）指标值",
    "项目指标值",
    "预期目标值",
    "目标值",
    "绩效指标值",
];
const ACTUAL: &[&str] = &[
    "实际完成指标值",
    "实际完成值",
    "完成值",
    "实际值",
    "实际完成情况值",
];

/// Finds the projects of every performance table. A table without 项目名称 that follows a
/// project's table continues it (a table broken by a page).
pub fn extract_projects(doc: &Document, tables: &[TableInfo]) -> Vec<Project> {
    let mut out: Vec<Project> = Vec::new();
    // The indicator columns of the last project, for a continuation table.
    let mut columns: Option<IndicatorColumns> = None;
    for info in tables {
        let BlockKind::Table(table) = &doc.blocks[info.block].kind else {
            continue;
        };
        // A `项目名称 | 金额` header of a spending table names no project: a performance table
        // states goals or indicators.
        let performance = info.key == Some("performance")
            || table
                .rows
                .iter()
                .flat_map(|r| r.cells.iter().flatten())
                .any(|c| names_performance(&c.text));
        // Other tables are read only as the continuation of a project's indicators: most
        // reports' tables (the financial ones, before any project) are never copied out.
        if !performance && (out.is_empty() || columns.is_none()) {
            continue;
        }
        let rows: Vec<Cells> = table.trimmed_texts();
        let starts: Vec<usize> = (0..rows.len())
            .filter(|&r| performance && rows[r].iter().any(|c| is(c, NAME)))
            .collect();
        if starts.is_empty() {
            if let (Some(p), Some(cols)) = (out.last_mut(), &columns) {
                if info.block > 0 && rows.iter().any(|r| looks_like_indicator_row(r, cols)) {
                    read_indicators(&rows, 0, rows.len(), cols, info.loc, &mut p.indicators);
                }
            }
            continue;
        }
        for (k, &start) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(rows.len());
            let (project, cols) =
                read_project(&rows[start..end], start, info.loc, stated_unit(info));
            columns = cols;
            out.push(project);
        }
    }
    out
}

/// Whether a cell names what only a performance table states: `指标`, `绩效`, `目标`. Asked of
/// every cell of every table, with searchers built once.
fn names_performance(cell: &str) -> bool {
    static WORDS: LazyLock<[memchr::memmem::Finder<'static>; 3]> = LazyLock::new(|| {
        ["指标", "绩效", "目标"].map(|w| memchr::memmem::Finder::new(w).into_owned())
    });
    WORDS.iter().any(|w| w.find(cell.as_bytes()).is_some())
}

/// Where the indicator fields sit, by grid column.
#[derive(Debug, Clone)]
struct IndicatorColumns {
    width: usize,
    level1: Option<usize>,
    level2: Option<usize>,
    name: Option<usize>,
    target: Option<usize>,
    actual: Option<usize>,
}

fn find(row: &Cells, labels: &[&str]) -> Option<usize> {
    row.iter().position(|c| is(c, labels))
}

/// The money unit of a table from outside its rows: the unit line above it (`单位：元`), else
/// the unit its template prints amounts in (`data/default_units.tsv`).
fn stated_unit(info: &TableInfo) -> Option<Unit> {
    if let Some(u) = info.unit.as_deref().and_then(Unit::parse) {
        return Some(u);
    }
    let title = compact(info.title.as_deref()?);
    DEFAULT_UNITS
        .iter()
        .find(|(caption, _)| caption.is_match(&title))
        .map(|(_, u)| *u)
}

/// The rows of `data/default_units.tsv`.
static DEFAULT_UNITS: LazyLock<Vec<(Regex, Unit)>> = LazyLock::new(|| {
    include_str!("../../data/default_units.tsv")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert!(c.len() == 3, "default_units.tsv row needs 3 columns: {l}");
            let unit = Unit::parse(c[1]).unwrap_or_else(|| panic!("unknown unit {}", c[1]));
            (
                Regex::new(c[0]).unwrap_or_else(|e| panic!("{}: {e}", c[0])),
                unit,
            )
        })
        .collect()
});

fn read_project(
    rows: &[Cells],
    offset: usize,
    loc: Loc,
    stated: Option<Unit>,
) -> (Project, Option<IndicatorColumns>) {
    let mut p = Project {
        name: None,
        unit: None,
        department: None,
        budget: None,
        executed: None,
        budget_appropriation: None,
        executed_appropriation: None,
        goal: None,
        goal_result: None,
        loc,
        cell: (offset, 0),
        indicators: Vec::new(),
    };
    // The money unit of the budget rows: `项目预算执行情况（万元）`, `（元）`; else the
    // table's.
    let in_rows = rows.iter().flatten().flatten().find_map(|t| {
        let c = compact(t);
        if c.contains("（万元）") || c.contains("(万元)") || c.contains("单位：万元") {
            Some(Unit::TenThousand)
        } else if c.contains("（元）") || c.contains("(元)") || c.contains("单位：元") {
            Some(Unit::Yuan)
        } else {
            None
        }
    });
    let unit = in_rows.or(stated);
    let amount = |t: Option<String>| t.and_then(|t| unit.and_then(|u| money::to_yuan(&t, u)));
    let mut header: Option<(usize, IndicatorColumns)> = None;
    let mut appropriations = 0;
    let mut goal_rank: Option<usize> = None;
    for (r, row) in rows.iter().enumerate() {
        if header.is_some() {
            break;
        }
        for (c, cell) in row.iter().enumerate() {
            if is(cell, NAME) && p.name.is_none() {
                p.name = right_of(row, c);
                p.cell = (offset + r, c);
            } else if is(cell, UNIT) && p.unit.is_none() {
                p.unit = right_of(row, c);
            } else if is(cell, DEPARTMENT) && p.department.is_none() {
                p.department = right_of(row, c);
            } else if is(cell, BUDGET) && p.budget.is_none() {
                p.budget = amount(right_of(row, c));
            } else if is(cell, EXECUTED) && p.executed.is_none() {
                p.executed = amount(right_of(row, c));
            } else if is(cell, APPROPRIATION) {
                // The first 其中：财政拨款 is the budget's, the second the execution's.
                let v = amount(right_of(row, c));
                match appropriations {
                    0 => p.budget_appropriation = v,
                    1 => p.executed_appropriation = v,
                    _ => {}
                }
                appropriations += 1;
            }
        }
        // Goals: labels in one row, texts in the same columns of the next (self-evaluation),
        // or the text right of the label (target tables), continued on the following rows of
        // its column where a layout wrapped it.
        if let Some(g) = find(row, GOAL) {
            if let Some(x) = find(row, GOAL_RESULT) {
                // The texts, and their wrapped lines up to the next labelled row.
                let column = |c: usize| -> Option<String> {
                    let parts: Vec<String> = rows
                        .iter()
                        .skip(r + 1)
                        .take_while(|n| !has_label(n))
                        .filter_map(|n| n.get(c).cloned().flatten())
                        .collect();
                    (!parts.is_empty())
                        .then(|| crate::text::join_lines(parts.iter().map(String::as_str)))
                };
                p.goal = column(g);
                p.goal_result = column(x);
            } else {
                for (c, cell) in row.iter().enumerate() {
                    let Some(rank) = GOAL.iter().position(|l| is(cell, &[l])) else {
                        continue;
                    };
                    let Some(at) = (c + 1..row.len()).find(|&k| row[k].is_some()) else {
                        continue;
                    };
                    if goal_rank.is_some_and(|best| best <= rank) {
                        continue;
                    }
                    let mut parts = vec![row[at].clone().unwrap()];
                    for next in rows.iter().skip(r + 1).take_while(|n| !has_label(n)) {
                        parts.extend(next.get(at).cloned().flatten());
                    }
                    p.goal = Some(crate::text::join_lines(parts.iter().map(String::as_str)));
                    goal_rank = Some(rank);
                }
            }
        }
        if let (Some(l3), Some(l1)) = (find(row, LEVEL3), find(row, LEVEL1)) {
            header = Some((
                r,
                IndicatorColumns {
                    width: row.len(),
                    level1: Some(l1),
                    level2: find(row, LEVEL2),
                    name: Some(l3),
                    target: find(row, TARGET),
                    actual: find(row, ACTUAL),
                },
            ));
        }
    }
    let Some((h, cols)) = header else {
        return (p, None);
    };
    read_indicators(
        rows,
        h + 1,
        rows.len(),
        &cols,
        Loc { ..loc },
        &mut p.indicators,
    );
    for i in &mut p.indicators {
        i.cell.0 += offset;
    }
    (p, Some(cols))
}

fn looks_like_indicator_row(row: &Cells, cols: &IndicatorColumns) -> bool {
    let aligned = align(row, cols.width);
    cols.name
        .is_some_and(|n| aligned.get(n).is_some_and(|c| c.is_some()))
}

/// A row shorter than the header lost its leading merged cells: align it right.
fn align(row: &Cells, width: usize) -> Cells {
    if row.len() >= width {
        return row.clone();
    }
    let mut out = vec![None; width - row.len()];
    out.extend(row.iter().cloned());
    out
}

fn read_indicators(
    rows: &[Cells],
    from: usize,
    to: usize,
    cols: &IndicatorColumns,
    loc: Loc,
    out: &mut Vec<Indicator>,
) {
    let get = |row: &Cells, c: Option<usize>| c.and_then(|c| row.get(c).cloned().flatten());
    let first = out.len();
    let mut level1 = out.last().and_then(|i| i.level1.clone());
    let mut level2 = out.last().and_then(|i| i.level2.clone());
    // A 二级 label wrapped above its row (`服务对象满意度` / … / `指标`).
    let mut level2_head: Option<String> = None;
    for (r, raw) in rows.iter().enumerate().take(to).skip(from) {
        let row = align(raw, cols.width);
        let name = get(&row, cols.name);
        // A target table's values may sit right of their header (layout text aligns them
        // at the right edge): without an actual column, the first text right of it.
        let target = get(&row, cols.target).or_else(|| {
            let t = cols.target?;
            cols.actual
                .is_none()
                .then(|| row.iter().skip(t + 1).flatten().next().cloned())
                .flatten()
        });
        let actual = get(&row, cols.actual);
        if name.is_none() && target.is_none() && actual.is_none() {
            // A label alone on a row: the head or the tail of a wrapped 二级 label.
            if let Some(part) = get(&row, cols.level2) {
                match out[first..].last_mut() {
                    Some(last) if last.level2.as_deref().is_some_and(|l| !l.ends_with("指标")) => {
                        let joined = format!("{}{part}", last.level2.as_deref().unwrap_or(""));
                        last.level2 = Some(joined.clone());
                        level2 = Some(joined);
                    }
                    _ => level2_head = Some(part),
                }
            }
            continue;
        }
        // A row with no indicator name and no level of its own is the wrapped rest of the
        // texts above it (layout text sets a long target on several lines).
        let no_levels = get(&row, cols.level1).is_none() && get(&row, cols.level2).is_none();
        if name.is_none() && no_levels {
            if let Some(last) = out.last_mut() {
                let join = |a: &mut Option<String>, b: Option<String>| {
                    if let Some(b) = b {
                        *a = Some(crate::text::join_lines([
                            a.as_deref().unwrap_or(""),
                            b.as_str(),
                        ]));
                    }
                };
                join(&mut last.target, target);
                join(&mut last.actual, actual);
                last.target_value = last.target.as_deref().and_then(parse_value);
                last.actual_value = last.actual.as_deref().and_then(parse_value);
                continue;
            }
        }
        // Merged cells carry their value down.
        if let Some(l) = get(&row, cols.level1) {
            level1 = Some(l);
            level2 = None;
        }
        if let Some(l) = get(&row, cols.level2) {
            level2 = Some(l);
        }
        if let Some(head) = level2_head.take() {
            level2 = Some(format!("{head}{}", level2.as_deref().unwrap_or("")));
        }
        out.push(Indicator {
            level1: level1.clone(),
            level2: level2.clone(),
            target_value: target.as_deref().and_then(parse_value),
            actual_value: actual.as_deref().and_then(parse_value),
            name,
            target,
            actual,
            loc,
            cell: (r, cols.name.unwrap_or(0)),
        });
    }
    // A merged 一级 label is printed on the middle row of its span: the rows above it, before
    // any label, belong to it too.
    if let Some(label) = out[first..].iter().find_map(|i| i.level1.clone()) {
        for i in out[first..].iter_mut().take_while(|i| i.level1.is_none()) {
            i.level1 = Some(label.clone());
        }
    }
}

/// Numbers in a target text, with what follows them.
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<num>[0-9０-９]+(?:[.．][0-9０-９]+)?)\s*[（(]?(?P<unit>[%％]|亿元|万元|千元|元|万[户人个次件场份辆台套项家所批名篇期条处座天]|万|年|[户人个次件场份辆台套项家所批名篇期条处座天])?").unwrap()
});

/// Reads the one number a target or result states: `完成率达95%及以上` → `>=` 95 percent,
/// `1万元` → `=` 10000 yuan, `不少于5户` → `>=` 5 count, `满意度达90%` → `>=` 90 percent.
/// Years (`2021年`) are no values; a text with several numbers states no single one.
///
/// ```
/// use juesuan::extract::indicators::parse_value;
/// let v = parse_value("教育、基层党建、妇联工会专项工作开展工作完成率达95%及以上。").unwrap();
/// assert_eq!((v.op, v.value.to_string().as_str(), v.unit), (">=", "95", Some("percent")));
/// assert!(parse_value("已全部用于开展财税及经济统计工作").is_none());
/// ```
pub fn parse_value(text: &str) -> Option<Value> {
    if !crate::text::has_digit(text) {
        return None;
    }
    let c = compact(text);
    let mut numbers = NUMBER
        .captures_iter(&c)
        .filter(|m| m.name("unit").map(|u| u.as_str()) != Some("年"));
    // One number, and no second: the rest of a text with two is not read.
    let m = &numbers.next()?;
    if numbers.next().is_some() {
        return None;
    }
    let num = money::parse_number(&m["num"])?;
    let (value, unit) = match m.name("unit").map(|u| u.as_str()) {
        Some("%") | Some("％") => (num, Some("percent")),
        // `10万页`, `5万册`: ten thousands of a thing the list above does not name, a count;
        // a bare `万` is money only when no unit word follows it.
        Some("万")
            if c[m.get(0).unwrap().end()..]
                .chars()
                .next()
                .is_some_and(|ch| crate::text::is_cjk(ch) && !"元及以上下左右内".contains(ch)) =>
        {
            (num.checked_mul(Decimal::from(10_000))?, Some("count"))
        }
        Some(u @ ("亿元" | "万元" | "千元" | "元" | "万")) => {
            let unit = Unit::parse(if u == "万" { "万元" } else { u })?;
            (money::to_yuan(&m["num"], unit)?, Some("yuan"))
        }
        // `1万人`: ten thousand people, a count, not 10000 yuan.
        Some(u) if u.starts_with('万') => (num.checked_mul(Decimal::from(10_000))?, Some("count")),
        Some(_) => (num, Some("count")),
        None => (num, None),
    };
    let before = &c[..m.get(0).unwrap().start()];
    let after = &c[m.get(0).unwrap().end()..];
    let op = if after.starts_with("及以上")
        || after.starts_with("以上")
        || before.ends_with("不低于")
        || before.ends_with("不少于")
        || before.ends_with("至少")
        || before.ends_with("≥")
        || before.ends_with(">=")
        || before.ends_with("大于等于")
        || before.ends_with("达到")
        || before.ends_with("达")
    {
        ">="
    } else if after.starts_with("及以下")
        || after.starts_with("以下")
        || after.starts_with("以内")
        || before.ends_with("不高于")
        || before.ends_with("不超过")
        || before.ends_with("≤")
        || before.ends_with("<=")
    {
        "<="
    } else if before.ends_with("高于") || before.ends_with("大于") || before.ends_with("超过")
    {
        ">"
    } else if before.ends_with("低于") || before.ends_with("小于") || before.ends_with("少于")
    {
        "<"
    } else {
        "="
    };
    Some(Value {
        op,
        value: value.normalize(),
        unit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(text: &str, expect: Option<(&str, &str, Option<&str>)>) {
        let got = parse_value(text).map(|v| (v.op, money::yuan_string(v.value), v.unit));
        assert_eq!(
            got.as_ref().map(|(o, v, u)| (*o, v.as_str(), *u)),
            expect,
            "{text}"
        );
    }

    #[test]
    fn values_of_targets_and_results() {
        check("完成率达95%及以上", Some((">=", "95", Some("percent"))));
        check("1万元", Some(("=", "10000", Some("yuan"))));
        // `万` before a unit word the list does not name: a count, not money.
        check("≥10万页", Some((">=", "100000", Some("count"))));
        check("完成5万册档案整理", Some(("=", "50000", Some("count"))));
        check("不少于5户", Some((">=", "5", Some("count"))));
        check("满意度达90%", Some((">=", "90", Some("percent"))));
        check("满意度达100%", Some((">=", "100", Some("percent"))));
        check(
            "财税及经济统计工作按照既定目标和要求100%完成。",
            Some(("=", "100", Some("percent"))),
        );
        check(
            "办公,培训,宣传等工作开展5次",
            Some(("=", "5", Some("count"))),
        );
        check("日常宣传0.48万元", Some(("=", "4800", Some("yuan"))));
        check("投诉率不高于5%", Some(("<=", "5", Some("percent"))));
        check("2021年全年无安全和环保工作重大事故，辖区和谐稳定", None);
        check("走访慰问失独老人、困难党员、失独家庭8余户，认领2户困难家庭“微心愿”，共计发放慰问金2200余元。", None);
        check("全年", None);
        check("", None);
    }
}
