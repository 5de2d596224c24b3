//! Rules over the report's tables: their own arithmetic, their agreement with the narrative,
//! and whether the standard tables are there at all.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::{checked_sum, money_finding, overflow, wan, Finding, Input, Status};
use crate::extract::line_items::{Level, LineItem};
use crate::extract::meta::ReportKind;
use crate::keys;
use crate::model::{BlockKind, Table};
use crate::money::{self, yuan_string, Unit};

/// Tables that state each code's spending, in the order a narrative line is compared with
/// them.
const EXPENSE_TABLES: &[&str] = &[
    "general_budget",
    "budget_general",
    "expense",
    "budget_expense",
];

/// 10,000: 万元 written as 元.
const WAN: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

/// Whether two amounts are the same quantity 10,000× apart.
fn ten_thousand_apart(a: Decimal, b: Decimal) -> bool {
    !a.is_zero() && !b.is_zero() && (a.checked_mul(WAN) == Some(b) || b.checked_mul(WAN) == Some(a))
}

pub(super) fn table_total_vs_narrative(input: &Input) -> Vec<Finding> {
    let f = &input.ex.figures;
    input
        .table_totals
        .iter()
        .filter_map(|t| {
            let n = f.get(t.key)?;
            if ten_thousand_apart(t.value, n.value) {
                return None;
            }
            Some(money_finding(
                t.value,
                n.value,
                format!(
                    "{}: the summary table states {} ({}万元), the narrative {}",
                    t.key,
                    t.raw,
                    wan(t.value),
                    n.raw
                ),
                n.loc,
            ))
        })
        .collect()
}

/// Each narrative line item with a code, and the first table row of the same code. A 类-level
/// narrative line is left out: its total may cover every fund (`1．公共安全（类）支出
/// 13656.34 万元` against 13,641.34 of 财政拨款 in the code tables, 其他资金 making the rest).
fn narrative_rows<'a>(input: &Input<'a>) -> Vec<(&'a LineItem, &'a LineItem)> {
    let items = &input.ex.line_items;
    items
        .iter()
        .filter(|i| i.table == Some("narrative") && i.code.is_some() && i.amount.is_some())
        .filter(|i| i.level != Level::Class)
        .filter_map(|n| {
            let row = EXPENSE_TABLES.iter().find_map(|t| {
                items
                    .iter()
                    .find(|i| i.table == Some(*t) && i.code == n.code && i.amount.is_some())
            })?;
            Some((n, row))
        })
        .collect()
}

pub(super) fn table_vs_narrative(input: &Input) -> Vec<Finding> {
    narrative_rows(input)
        .into_iter()
        .filter_map(|(n, row)| {
            let (amount, stated) = (n.amount?, row.amount?);
            if ten_thousand_apart(amount, stated) {
                return None;
            }
            Some(money_finding(
                stated,
                amount,
                format!(
                    "{} {}: the {} table states {}万元, the narrative {}万元",
                    n.code.as_deref().unwrap_or_default(),
                    n.name,
                    row.table.unwrap_or("code"),
                    wan(stated),
                    wan(amount)
                ),
                n.loc,
            ))
        })
        .collect()
}

pub(super) fn unit_magnitude(input: &Input) -> Vec<Finding> {
    let f = &input.ex.figures;
    let mut out = Vec::new();
    for (n, row) in narrative_rows(input) {
        let (Some(amount), Some(stated)) = (n.amount, row.amount) else {
            continue;
        };
        if ten_thousand_apart(amount, stated) {
            out.push(
                Finding::new(
                    Status::Fail,
                    format!(
                        "{} {}: the narrative states {}元 where the {} table states {}万元: 10,000× apart (万元 and 元 confused)",
                        n.code.as_deref().unwrap_or_default(),
                        n.name,
                        yuan_string(amount),
                        row.table.unwrap_or("code"),
                        wan(stated)
                    ),
                    n.loc,
                )
                .values(Some(yuan_string(stated)), Some(yuan_string(amount))),
            );
        }
    }
    for t in &input.table_totals {
        let Some(n) = f.get(t.key) else { continue };
        if ten_thousand_apart(t.value, n.value) {
            out.push(
                Finding::new(
                    Status::Fail,
                    format!(
                        "{}: the narrative states {} where the summary table states {}万元: 10,000× apart",
                        t.key,
                        n.raw,
                        wan(t.value)
                    ),
                    n.loc,
                )
                .values(Some(yuan_string(t.value)), Some(yuan_string(n.value))),
            );
        }
    }
    out
}

/// Whether a row of a table holds a number but yielded no coded line item: a row whose code
/// the text layer damaged. Sums over such a table are not certain.
fn has_unread_rows(table: &Table, coded: &[usize]) -> bool {
    table.rows.iter().enumerate().any(|(r, row)| {
        if coded.contains(&r) {
            return false;
        }
        let texts: Vec<&str> = row
            .cells
            .iter()
            .flatten()
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
            .collect();
        let label = texts.iter().any(|t| {
            ["合计", "总计", "小计", "行次", "栏次"]
                .iter()
                .any(|w| t.contains(w))
        });
        !label && texts.iter().any(|t| money::parse_number(t).is_some())
    })
}

pub(super) fn table_class_sum(input: &Input) -> Vec<Finding> {
    let by_block = rows_by_table(input);
    let blocks: Vec<usize> = by_block.keys().copied().collect();
    let mut out = Vec::new();
    for (pos, (&block, rows)) in by_block.iter().enumerate() {
        let BlockKind::Table(table) = &input.doc.blocks[block].kind else {
            continue;
        };
        let coded: Vec<usize> = rows.iter().filter_map(|i| i.cell.map(|c| c.0)).collect();
        let unread = has_unread_rows(table, &coded);
        // The next code table may continue this one on a new page.
        let next = blocks.get(pos + 1).map(|b| &by_block[b]);
        for parent in rows {
            let (Some(code), Some(amount)) = (parent.code.as_deref(), parent.amount) else {
                continue;
            };
            if code.len() == 7 {
                continue;
            }
            let child = |len: usize| -> Vec<&&LineItem> {
                rows.iter()
                    .filter(|i| {
                        i.code
                            .as_deref()
                            .is_some_and(|c| c.len() == len && c.starts_with(code))
                    })
                    .collect()
            };
            let mut children = child(code.len() + 2);
            if children.is_empty() && code.len() == 3 {
                children = child(7);
            }
            if children.is_empty() {
                continue;
            }
            let Some(sum) = checked_sum(children.iter().filter_map(|i| i.amount)) else {
                out.push(overflow("table rows", parent.loc).at_cell(parent.cell));
                continue;
            };
            let level = if children[0].code.as_deref().map(str::len) == Some(5) {
                "款"
            } else {
                "项"
            };
            let mut finding = money_finding(
                amount,
                sum,
                format!(
                    "{code} {}: the row states {}万元, its {} {level} rows sum to {}万元",
                    parent.name,
                    wan(amount),
                    children.len(),
                    wan(sum)
                ),
                parent.loc,
            )
            .at_cell(parent.cell);
            let continued = next.is_some_and(|n| {
                n.iter().any(|i| {
                    i.code
                        .as_deref()
                        .is_some_and(|c| c.len() > code.len() && c.starts_with(code))
                })
            }) && children.last().and_then(|c| c.cell)
                >= rows.last().and_then(|r| r.cell);
            if finding.status == Status::Fail && (unread || continued) {
                finding.status = Status::Skip;
                finding.detail.push_str(if unread {
                    "; not decided: a row of the table could not be read"
                } else {
                    "; not decided: the table may continue on the next page"
                });
            }
            out.push(finding);
        }
    }
    out
}

/// Column headers that are parts of a row's total in the expenditure and income tables.
const PART_HEADERS: &[&str] = &[
    "基本支出",
    "项目支出",
    "上缴上级支出",
    "经营支出",
    "对附属单位补助支出",
    "财政拨款收入",
    "上级补助收入",
    "事业收入",
    "经营收入",
    "附属单位上缴收入",
    "其他收入",
];

pub(super) fn table_row_parts(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for i in &input.ex.line_items {
        let Some(columns) = &i.columns else { continue };
        let compact: Vec<String> = columns
            .iter()
            .map(|(h, _)| crate::text::compact(h).into_owned())
            .collect();
        let Some(t) = compact
            .iter()
            .position(|h| h.ends_with("合计") || h == "小计")
        else {
            continue;
        };
        let parts: Vec<usize> = (0..columns.len()).filter(|&k| k != t).collect();
        if parts.is_empty()
            || !parts
                .iter()
                .all(|&k| PART_HEADERS.contains(&compact[k].as_str()))
        {
            continue;
        }
        let Some(sum) = checked_sum(parts.iter().map(|&k| columns[k].1)) else {
            out.push(overflow("table columns", i.loc).at_cell(i.cell));
            continue;
        };
        let total = columns[t].1;
        out.push(
            money_finding(
                total,
                sum,
                format!(
                    "{} {}: {} {}万元, {} sum to {}万元",
                    i.code.as_deref().unwrap_or_default(),
                    i.name,
                    columns[t].0,
                    wan(total),
                    parts
                        .iter()
                        .map(|&k| columns[k].0.as_str())
                        .collect::<Vec<_>>()
                        .join(" + "),
                    wan(sum)
                ),
                i.loc,
            )
            .at_cell(i.cell),
        );
    }
    out
}

/// `本表无数据`, `故本表为空`, `此表为空表`: the report says a table has nothing to show.
fn says_empty(text: &str) -> bool {
    ["无数据", "为空", "空表", "无此项", "不涉及"]
        .iter()
        .any(|w| text.contains(w))
}

pub(super) fn three_public_table(input: &Input) -> Vec<Finding> {
    let f = &input.ex.figures;
    let mut out = Vec::new();
    for info in input
        .ex
        .tables
        .iter()
        .filter(|t| t.key == Some("three_public"))
    {
        let BlockKind::Table(table) = &input.doc.blocks[info.block].kind else {
            continue;
        };
        let unit = info.unit.as_deref().and_then(Unit::parse);
        let cells: Vec<&str> = table
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().flatten())
            .map(|c| c.text.trim())
            .collect();
        // A note right after the table (`注：…故本表无数据。`) counts as the table's own.
        let note = input.doc.blocks[info.block + 1..]
            .iter()
            .take(2)
            .filter_map(|b| b.text())
            .any(says_empty);
        if note || cells.iter().any(|c| says_empty(c)) {
            continue;
        }
        let numbers: Vec<Decimal> = cells
            .iter()
            .filter_map(|c| unit.and_then(|u| money::to_yuan(c, u)))
            .collect();
        for key in ["three_public.total", "three_public.budget"] {
            let Some(n) = f.get(key) else { continue };
            if n.value.is_zero() {
                continue;
            }
            let (status, detail) = if numbers.is_empty()
                && cells.iter().all(|c| money::parse_number(c).is_none())
            {
                (
                    Status::Fail,
                    format!(
                        "the “三公” table states no amount; the narrative states {key} {}",
                        n.raw
                    ),
                )
            } else if numbers.contains(&n.value) {
                (
                    Status::Pass,
                    format!("the “三公” table states {key} {}万元", wan(n.value)),
                )
            } else {
                (
                    Status::Skip,
                    format!(
                        "the narrative's {key} {} is not among the “三公” table's amounts; not decided: its columns are not certain",
                        n.raw
                    ),
                )
            };
            out.push(Finding::new(status, detail, n.loc).values(Some(yuan_string(n.value)), None));
        }
    }
    out
}

/// The standard tables of each report kind: canonical table key and the template's name.
/// 决算: the nine tables of the national 部门决算 template (收入支出决算总表 … 国有资本经营预算
/// 财政拨款收入支出决算表); 预算: the tables every 部门预算 publishes, whatever the province.
const FINAL_TABLES: &[(&str, &str)] = &[
    ("income_expense", "收入支出决算总表"),
    ("income", "收入决算表"),
    ("expense", "支出决算表"),
    ("appropriation", "财政拨款收入支出决算总表"),
    ("general_budget", "一般公共预算财政拨款支出决算表"),
    ("general_budget_basic", "一般公共预算财政拨款基本支出决算表"),
    ("three_public", "财政拨款“三公”经费支出决算表"),
    ("government_fund", "政府性基金预算财政拨款收入支出决算表"),
    ("state_capital", "国有资本经营预算财政拨款收入支出决算表"),
];
const BUDGET_TABLES: &[(&str, &str)] = &[
    ("income_expense", "收支预算总表"),
    ("budget_income", "收入预算总表"),
    ("budget_expense", "支出预算总表"),
    ("appropriation", "财政拨款收支预算总表"),
    ("budget_general", "一般公共预算支出预算表"),
    ("general_budget_basic", "一般公共预算基本支出预算表"),
    ("three_public", "一般公共预算“三公”经费支出预算表"),
];

/// A line that is a table's caption (`一般公共预算支出预算表（功能科目）`): short, its name
/// ending with 表. A numbered contents entry is never in the document model (the reader drops
/// the contents).
fn caption_key(text: &str) -> Option<&'static str> {
    if !holds!(text, "表") {
        return None;
    }
    let name = crate::extract::tables::caption_name(text);
    (name.ends_with('表') && name.chars().count() <= 40)
        .then(|| keys::table_key(&name))
        .flatten()
}

pub(super) fn standard_tables(input: &Input) -> Vec<Finding> {
    let ex = input.ex;
    let set = match ex.meta.kind {
        Some(ReportKind::FinalAccounts) => FINAL_TABLES,
        Some(ReportKind::Budget) => BUDGET_TABLES,
        None => return Vec::new(),
    };
    let mut present: Vec<&str> = ex.tables.iter().filter_map(|t| t.key).collect();
    for b in &input.doc.blocks {
        match &b.kind {
            BlockKind::Table(t) => present.extend(
                t.rows
                    .iter()
                    .flat_map(|r| r.cells.iter().flatten())
                    .filter_map(|c| caption_key(&c.text)),
            ),
            _ => present.extend(b.text().and_then(caption_key)),
        }
    }
    let found = set.iter().filter(|(k, _)| present.contains(k)).count();
    let loc = ex.tables.first().map_or(
        crate::model::Loc {
            block: 0,
            line: None,
            page: None,
        },
        |t| t.loc,
    );
    if found * 2 < set.len() {
        return vec![Finding::new(
            Status::Skip,
            format!(
                "{found} of the {} standard tables found: the report's tables are not published in this file or not read",
                set.len()
            ),
            loc,
        )];
    }
    if found == set.len() {
        return vec![Finding::new(
            Status::Pass,
            format!("all {} standard tables are present", set.len()),
            loc,
        )];
    }
    let empties: Vec<String> = input
        .doc
        .blocks
        .iter()
        .filter_map(|b| b.text())
        .filter(|t| says_empty(t))
        .map(|t| crate::text::compact(t).into_owned())
        .collect();
    set.iter()
        .filter(|(k, _)| !present.contains(k))
        .map(|(k, name)| {
            let plain = name.replace("决算", "").replace("预算", "");
            if empties
                .iter()
                .any(|e| e.contains(name) || e.contains(&plain))
            {
                Finding::new(
                    Status::Pass,
                    format!("{name} ({k}) is absent, and the report says it is empty"),
                    loc,
                )
            } else {
                Finding::new(
                    Status::Fail,
                    format!(
                        "the standard table {name} ({k}) is missing: {found} of the {} are present",
                        set.len()
                    ),
                    loc,
                )
            }
            .values(Some((*k).to_string()), None)
        })
        .collect()
}

/// The code tables' line items, by the table block they come from.
fn rows_by_table<'a>(input: &Input<'a>) -> BTreeMap<usize, Vec<&'a LineItem>> {
    let mut by_block: BTreeMap<usize, Vec<&LineItem>> = BTreeMap::new();
    for i in &input.ex.line_items {
        if i.table != Some("narrative") && i.cell.is_some() && i.code.is_some() {
            by_block.entry(i.loc.block).or_default().push(i);
        }
    }
    by_block
}

/// `合 计   2,940.05 …`: the first amount of a code table's total row, in yuan, with its row.
fn total_row(input: &Input, block: usize, table: &Table) -> Option<(usize, Decimal)> {
    let unit = input
        .ex
        .tables
        .iter()
        .find(|t| t.block == block)?
        .unit
        .as_deref()
        .and_then(Unit::parse)?;
    table.rows.iter().enumerate().find_map(|(r, row)| {
        let texts: Vec<&str> = row.cells.iter().flatten().map(|c| c.text.trim()).collect();
        let label = texts
            .iter()
            .position(|t| crate::text::compact(t) == "合计")?;
        texts[label + 1..]
            .iter()
            .find_map(|t| money::to_yuan(t, unit))
            .map(|v| (r, v))
    })
}

pub(super) fn table_total_row(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for (block, rows) in rows_by_table(input) {
        let BlockKind::Table(table) = &input.doc.blocks[block].kind else {
            continue;
        };
        let Some((r, total)) = total_row(input, block, table) else {
            continue;
        };
        let classes: Vec<&&LineItem> = rows
            .iter()
            .filter(|i| i.code.as_deref().is_some_and(|c| c.len() == 3))
            .collect();
        if classes.is_empty() {
            continue;
        }
        let Some(sum) = checked_sum(classes.iter().filter_map(|i| i.amount)) else {
            out.push(overflow("table rows", input.doc.blocks[block].loc));
            continue;
        };
        let coded: Vec<usize> = rows.iter().filter_map(|i| i.cell.map(|c| c.0)).collect();
        let mut finding = money_finding(
            total,
            sum,
            format!(
                "the table's 合计 is {}万元, its {} 类 rows sum to {}万元",
                wan(total),
                classes.len(),
                wan(sum)
            ),
            input.doc.blocks[block].loc,
        )
        .at_cell(Some((r, 0)));
        // A 类 row may continue on the next page, or be unreadable: short of the total is
        // then not certain.
        if finding.status == Status::Fail && (sum < total || has_unread_rows(table, &coded)) {
            finding.status = Status::Skip;
            finding
                .detail
                .push_str("; not decided: a 类 row may be unread or on the next page");
        }
        out.push(finding);
    }
    out
}

pub(super) fn class_total_vs_table(input: &Input) -> Vec<Finding> {
    let items = &input.ex.line_items;
    input
        .ex
        .figures
        .all("general_budget.class")
        .filter_map(|f| {
            let code = f.code.as_deref()?;
            let row = ["general_budget", "budget_general"].iter().find_map(|t| {
                items
                    .iter()
                    .find(|i| i.table == Some(*t) && i.code.as_deref() == Some(code))
            })?;
            let stated = row.amount?;
            if ten_thousand_apart(stated, f.value) {
                return None;
            }
            Some(money_finding(
                stated,
                f.value,
                format!(
                    "{code} {}: the {} table states {}万元, the structure statement {}",
                    f.name.as_deref().unwrap_or_default(),
                    row.table.unwrap_or_default(),
                    wan(stated),
                    f.raw
                ),
                f.loc,
            ))
        })
        .collect()
}
