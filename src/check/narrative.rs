//! Rules over the narrative's own numbers: line items against the totals they make up, the
//! parts of a whole (amounts and shares), and a figure stated twice.
//!
//! A sum over a list is only a contradiction when the list is known to be whole. The
//! narrative may describe only some items (the report's choice) or one statement may not have
//! been read; so a sum that falls short is `fail` only when the report's own general-budget
//! table shows the narrative holds every item it lists, and `skip` otherwise.

use std::collections::BTreeSet;

use rust_decimal::Decimal;

use super::{
    checked_sum, half_unit, money_finding, money_status, overflow, pct_status, wan, Finding, Input,
    Status,
};
use crate::extract::figures::Figure;
use crate::extract::line_items::{Level, LineItem};
use crate::money::yuan_string;

/// Tables whose item rows list the general-budget spending the narrative explains.
const GENERAL_TABLES: &[&str] = &["general_budget", "budget_general"];

/// Narrative entries that are not broken down further in the narrative: every item, and a
/// 类- or 款-level line (`2. 社会保障和就业支出 150.00 万元`) with no narrative line below it.
fn narrative_leaves<'a>(input: &Input<'a>) -> Vec<&'a LineItem> {
    let all: Vec<&LineItem> = input
        .ex
        .line_items
        .iter()
        .filter(|i| i.table == Some("narrative") && i.amount.is_some())
        .collect();
    all.iter()
        .copied()
        .filter(|i| match (&i.code, i.level) {
            (_, Level::Item) => true,
            (Some(code), _) => !all.iter().any(|j| {
                j.code
                    .as_deref()
                    .is_some_and(|c| c.len() > code.len() && c.starts_with(code.as_str()))
            }),
            (None, _) => false,
        })
        .collect()
}

/// Why the narrative may not hold every item of the general-budget table (`None`: it holds
/// them all, so a sum over it is certain). `class` restricts both sides to one 类.
fn gap(input: &Input, leaves: &[&LineItem], class: Option<&str>) -> Option<String> {
    let in_class = |code: &str| class.is_none_or(|c| code.starts_with(c));
    let table: BTreeSet<&str> = input
        .ex
        .line_items
        .iter()
        .filter(|i| i.table.is_some_and(|t| GENERAL_TABLES.contains(&t)))
        .filter(|i| i.level == Level::Item && i.amount.is_some_and(|a| !a.is_zero()))
        .filter_map(|i| i.code.as_deref())
        .filter(|c| in_class(c))
        .collect();
    if table.is_empty() {
        return Some(
            "the report has no general-budget table to show the narrative is whole".into(),
        );
    }
    let stated: BTreeSet<&str> = leaves
        .iter()
        .filter_map(|i| i.code.as_deref())
        .filter(|c| in_class(c))
        .collect();
    let uncoded = leaves.iter().filter(|i| i.code.is_none()).count();
    if uncoded > 0 {
        return Some(format!(
            "{uncoded} narrative lines have no code to match against the table"
        ));
    }
    let missing: Vec<&&str> = table
        .iter()
        .filter(|c| !stated.iter().any(|s| c.starts_with(*s)))
        .collect();
    if let Some(first) = missing.first() {
        return Some(format!(
            "the general-budget table lists {} item codes the narrative did not yield (first {first})",
            missing.len()
        ));
    }
    let extra: Vec<&&str> = stated
        .iter()
        .filter(|s| !table.iter().any(|c| c.starts_with(**s)))
        .collect();
    if let Some(first) = extra.first() {
        return Some(format!(
            "the narrative states codes the general-budget table does not list (first {first}), such as 政府性基金 items"
        ));
    }
    None
}

/// A sum compared with the totals it may stand for: the first that agrees gives `pass` or
/// `warn`; none agreeing is `fail` when the list is whole, else `skip` with the reason.
fn sum_against(
    sum: Decimal,
    totals: &[&Figure],
    gap: Option<String>,
    what: String,
) -> Option<Finding> {
    let first = *totals.first()?;
    let agreeing = totals
        .iter()
        .find(|t| money_status(t.value, sum) != Status::Fail);
    let total = agreeing.copied().unwrap_or(first);
    let mut finding = money_finding(
        total.value,
        sum,
        format!(
            "{what} sum to {}万元; {} is {}万元",
            wan(sum),
            total.key,
            wan(total.value)
        ),
        total.loc,
    );
    if finding.status == Status::Fail {
        if let Some(why) = gap {
            finding.status = Status::Skip;
            finding.detail = format!("{}; not decided: {why}", finding.detail);
        }
    }
    Some(finding)
}

pub(super) fn line_items_sum(input: &Input) -> Vec<Finding> {
    let f = &input.ex.figures;
    let leaves = narrative_leaves(input);
    if leaves.is_empty() || input.narrative.is_empty() {
        return Vec::new();
    }
    let totals: Vec<&Figure> = ["general_budget.expense", "appropriation.expense"]
        .iter()
        .filter_map(|k| f.get(k))
        .collect();
    let Some(sum) = checked_sum(leaves.iter().filter_map(|i| i.amount)) else {
        return vec![overflow("line items", leaves[0].loc)];
    };
    sum_against(
        sum,
        &totals,
        gap(input, &leaves, None),
        format!("{} narrative line items", leaves.len()),
    )
    .into_iter()
    .collect()
}

pub(super) fn line_items_class_sum(input: &Input) -> Vec<Finding> {
    let leaves = narrative_leaves(input);
    let mut out = Vec::new();
    for class in input.ex.figures.all("general_budget.class") {
        let Some(code) = class.code.as_deref() else {
            continue;
        };
        let of_class: Vec<&LineItem> = leaves
            .iter()
            .copied()
            .filter(|i| {
                i.class.as_ref().and_then(|c| c.code.as_deref()) == Some(code)
                    || i.code.as_deref().is_some_and(|c| c.starts_with(code))
            })
            .collect();
        if of_class.is_empty() {
            continue;
        }
        let Some(sum) = checked_sum(of_class.iter().filter_map(|i| i.amount)) else {
            out.push(overflow("line items", class.loc));
            continue;
        };
        out.extend(sum_against(
            sum,
            &[class],
            gap(input, &of_class, Some(code)),
            format!("line items of class {code}"),
        ));
    }
    out
}

pub(super) fn class_totals_sum(input: &Input) -> Vec<Finding> {
    let f = &input.ex.figures;
    let classes: Vec<&Figure> = f.all("general_budget.class").collect();
    let (Some(total), Some(first)) = (f.get("general_budget.expense"), classes.first()) else {
        return Vec::new();
    };
    let Some(sum) = checked_sum(classes.iter().map(|c| c.value)) else {
        return vec![overflow("class totals", first.loc)];
    };
    let mut finding = money_finding(
        total.value,
        sum,
        format!(
            "{} class totals sum to {}万元; the general-budget expense is {}万元",
            classes.len(),
            wan(sum),
            wan(total.value)
        ),
        first.loc,
    );
    // Fewer classes than the whole: a class statement may be unread (text torn by the PDF).
    if finding.status == Status::Fail && sum < total.value {
        finding.status = Status::Skip;
        finding
            .detail
            .push_str("; not decided: a class statement may be unread");
    }
    vec![finding]
}

/// A whole and the parts of it whose shares a report states, with the other wholes a share
/// may be taken of (`占本年支出合计的…` and `占一般公共预算…` name different bases).
struct Group {
    name: &'static str,
    wholes: &'static [&'static str],
    parts: &'static [&'static str],
}

const INCOME_PARTS: &[&str] = &[
    "income.appropriation",
    "income.superior_subsidy",
    "income.business",
    "income.operating",
    "income.subsidiary",
    "income.other",
];
const INCOME_PARTS_SPLIT: &[&str] = &[
    "income.general_budget",
    "income.government_fund",
    "income.state_capital",
    "income.superior_subsidy",
    "income.business",
    "income.operating",
    "income.subsidiary",
    "income.other",
];
/// Parts of a budget's income that count only where the report states them with a share,
/// as a part of 收入预算总计 (`上年结转结余100.00万元，占2.89%`): stated alone they are no part
/// of 本年收入.
const INCOME_PARTS_WITH_A_SHARE: &[&str] = &["carryover.begin", "income.special_account"];
/// The parts of 本年支出; a budget may set a third part aside (`单位预留机动经费70.00万元，占
/// 3.50%`, Jiangsu's template), read as `expense.reserve`.
const EXPENSE_PARTS: &[&str] = &[
    "expense.basic",
    "expense.project",
    "expense.reserve",
    "expense.to_superior",
    "expense.operating",
    "expense.to_subsidiary",
];
const THREE_PUBLIC_PARTS: &[&str] = &[
    "three_public.overseas",
    "three_public.vehicle",
    "three_public.reception",
];

fn groups<'a>(input: &Input<'a>) -> Vec<(Group, Vec<&'a Figure>)> {
    let f = &input.ex.figures;
    let income = if f.get("income.appropriation").is_some() {
        INCOME_PARTS
    } else {
        INCOME_PARTS_SPLIT
    };
    let list = [
        Group {
            name: "income",
            wholes: &["total.income", "total.grand"],
            parts: income,
        },
        Group {
            name: "expense",
            wholes: &["total.expense", "total.grand"],
            parts: EXPENSE_PARTS,
        },
        Group {
            name: "general_budget.class",
            wholes: &[
                "general_budget.expense",
                "appropriation.expense",
                "total.expense",
            ],
            parts: &[],
        },
        Group {
            name: "three_public",
            wholes: &["three_public.total"],
            parts: THREE_PUBLIC_PARTS,
        },
    ];
    list.into_iter()
        .map(|g| {
            let mut parts: Vec<&Figure> = if g.parts.is_empty() {
                f.all(g.name).collect()
            } else {
                g.parts.iter().filter_map(|k| f.get(k)).collect()
            };
            if g.name == "income" {
                parts.extend(
                    INCOME_PARTS_WITH_A_SHARE
                        .iter()
                        .filter_map(|k| f.get(k))
                        .filter(|p| p.share_pct.is_some()),
                );
            }
            (g, parts)
        })
        .collect()
}

pub(super) fn shares_sum(input: &Input) -> Vec<Finding> {
    let f = &input.ex.figures;
    let mut out = Vec::new();
    for (group, parts) in groups(input) {
        let shares: Vec<Decimal> = parts.iter().filter_map(|p| p.share_pct).collect();
        if shares.len() < 2 || shares.len() != parts.len() {
            continue;
        }
        let Some(sum) = checked_sum(shares.iter().copied()) else {
            continue;
        };
        let diff = (sum - Decimal::ONE_HUNDRED).abs();
        let tolerance = Decimal::new(1, 2) * Decimal::from(shares.len());
        let mut status = if diff.is_zero() {
            Status::Pass
        } else if diff <= tolerance {
            Status::Warn
        } else {
            Status::Fail
        };
        let mut detail = format!(
            "the {} shares of {} sum to {}%",
            shares.len(),
            group.name,
            yuan_string(sum)
        );
        // Short of 100, a part may simply be unread (单位预留机动经费): certain only when the
        // parts' amounts make up the whole.
        if status == Status::Fail && sum < Decimal::ONE_HUNDRED {
            let amounts = checked_sum(parts.iter().map(|p| p.value));
            let whole = group.wholes.iter().find_map(|k| f.get(k));
            let complete = match (amounts, whole) {
                (Some(a), Some(w)) => money_status(w.value, a) != Status::Fail,
                _ => false,
            };
            if !complete {
                status = Status::Skip;
                detail.push_str("; not decided: the parts read do not make up the whole, another part may be unread");
            }
        }
        out.push(
            Finding::new(status, detail, parts[0].loc)
                .values(Some("100".into()), Some(yuan_string(sum))),
        );
    }
    out
}

/// Whether `share` percent of `whole` can be `part`, given what the printing rounded:
/// `Pass` within the rounding of all three numbers, `Warn` within one more unit of the share's
/// last digit (a share truncated, or adjusted so that the shares total 100), else `Fail`.
fn share_fits(part: &Figure, share: Decimal, whole: &Figure) -> Option<Status> {
    let hp = half_unit(&part.raw, None);
    let hw = half_unit(&whole.raw, None);
    let big_whole = whole.value.checked_add(hw)?;
    let small_whole = whole.value.checked_sub(hw)?;
    if small_whole <= Decimal::ZERO {
        return None;
    }
    let hundred = Decimal::ONE_HUNDRED;
    let lo = (part.value - hp)
        .max(Decimal::ZERO)
        .checked_mul(hundred)?
        .checked_div(big_whole)?;
    let hi = part
        .value
        .checked_add(hp)?
        .checked_mul(hundred)?
        .checked_div(small_whole)?;
    Some(pct_status(share, lo, hi))
}

pub(super) fn share_vs_amount(input: &Input) -> Vec<Finding> {
    let f = &input.ex.figures;
    let mut out = Vec::new();
    for (group, parts) in groups(input) {
        let wholes: Vec<&Figure> = group.wholes.iter().filter_map(|k| f.get(k)).collect();
        let Some(first) = wholes.first() else {
            continue;
        };
        for part in parts {
            let Some(share) = part.share_pct else {
                continue;
            };
            // `事业收入0万元，占0%` holds trivially: not worth a record.
            if share.is_zero() && part.value.is_zero() {
                continue;
            }
            // The best fit over the wholes a share may be taken of.
            let status = wholes
                .iter()
                .filter_map(|w| share_fits(part, share, w))
                .min()
                .unwrap_or(Status::Skip);
            let computed = if first.value.is_zero() {
                None
            } else {
                part.value
                    .checked_mul(Decimal::ONE_HUNDRED)
                    .and_then(|v| v.checked_div(first.value))
                    .map(|v| v.round_dp(2))
            };
            let label = part.name.as_deref().unwrap_or(part.key);
            out.push(
                Finding::new(
                    status,
                    format!(
                        "{label} {} is stated as {}% of {} {}万元, which computes to {}%",
                        part.raw,
                        yuan_string(share),
                        first.key,
                        wan(first.value),
                        computed.map_or("nothing".into(), yuan_string)
                    ),
                    part.loc,
                )
                .values(computed.map(yuan_string), Some(yuan_string(share))),
            );
        }
    }
    out
}

pub(super) fn basic_plus_project(input: &Input) -> Vec<Finding> {
    let f = &input.ex.figures;
    let (Some(basic), Some(_), Some(total)) = (
        f.get("expense.basic"),
        f.get("expense.project"),
        f.get("total.expense"),
    ) else {
        return Vec::new();
    };
    let parts: Vec<&Figure> = EXPENSE_PARTS.iter().filter_map(|k| f.get(k)).collect();
    let Some(sum) = checked_sum(parts.iter().map(|p| p.value)) else {
        return vec![overflow("expense parts", basic.loc)];
    };
    let mut finding = money_finding(
        total.value,
        sum,
        format!(
            "{} = {}万元; the stated total is {}万元",
            parts.iter().map(|p| p.key).collect::<Vec<_>>().join(" + "),
            wan(sum),
            wan(total.value)
        ),
        basic.loc,
    );
    // Short of the total, a part under a name no key has may be unread, unless the
    // parts' own shares say they are the whole.
    let shares = checked_sum(parts.iter().filter_map(|p| p.share_pct));
    let whole_by_shares = parts.iter().all(|p| p.share_pct.is_some())
        && shares.is_some_and(|s| (s - Decimal::ONE_HUNDRED).abs() <= Decimal::new(1, 1));
    if finding.status == Status::Fail && sum < total.value && !whole_by_shares {
        finding.status = Status::Skip;
        finding
            .detail
            .push_str("; not decided: another part, under a name not read here, may be unread");
    }
    vec![finding]
}

/// `a + b = total` for parts that make up their total by definition.
fn parts_sum(input: &Input, parts: &[&str], total: &str, what: &str) -> Vec<Finding> {
    let f = &input.ex.figures;
    let found: Vec<&Figure> = parts.iter().filter_map(|k| f.get(k)).collect();
    let Some(t) = f.get(total) else {
        return Vec::new();
    };
    if found.len() != parts.len() {
        return Vec::new();
    }
    let Some(sum) = checked_sum(found.iter().map(|p| p.value)) else {
        return vec![overflow(what, found[0].loc)];
    };
    vec![money_finding(
        t.value,
        sum,
        format!(
            "{what} = {}万元; the stated total is {}万元",
            wan(sum),
            wan(t.value)
        ),
        found[0].loc,
    )]
}

pub(super) fn personnel_plus_public(input: &Input) -> Vec<Finding> {
    parts_sum(
        input,
        &["basic.personnel", "basic.public"],
        "basic.total",
        "personnel + public costs",
    )
}

pub(super) fn three_public_sum(input: &Input) -> Vec<Finding> {
    let mut out = parts_sum(
        input,
        THREE_PUBLIC_PARTS,
        "three_public.total",
        "因公出国（境）费 + 公务用车购置及运行费 + 公务接待费",
    );
    out.extend(parts_sum(
        input,
        &[
            "three_public.vehicle_purchase",
            "three_public.vehicle_operation",
        ],
        "three_public.vehicle",
        "公务用车购置费 + 公务用车运行维护费",
    ));
    out
}

pub(super) fn income_expense_balance(input: &Input) -> Vec<Finding> {
    let f = &input.ex.figures;
    let stated = input
        .doc
        .blocks
        .iter()
        .filter_map(|b| b.text())
        .any(|t| holds!(t, "收支平衡"));
    match (stated, f.get("total.income"), f.get("total.expense")) {
        (true, Some(i), Some(e)) => vec![money_finding(
            i.value,
            e.value,
            format!(
                "the report says income and expense balance: income {}万元, expense {}万元",
                wan(i.value),
                wan(e.value)
            ),
            e.loc,
        )],
        _ => Vec::new(),
    }
}

pub(super) fn duplicate_figure_conflict(input: &Input) -> Vec<Finding> {
    input
        .ex
        .figures
        .conflicts
        .iter()
        .map(|c| {
            let mut finding = money_finding(
                c.first,
                c.later,
                format!(
                    "{}{} is stated again as {} after a first statement of {}",
                    c.key,
                    c.code
                        .as_deref()
                        .map(|x| format!(" ({x})"))
                        .unwrap_or_default(),
                    c.raw,
                    yuan_string(c.first)
                ),
                c.loc,
            );
            if finding.status == Status::Pass {
                finding.status = Status::Warn;
            }
            finding
        })
        .collect()
}
