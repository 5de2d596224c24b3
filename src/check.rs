//! Consistency rules over what a report states: its own arithmetic, its years, and figures
//! stated twice. A report that contradicts itself is recorded as it is and flagged here,
//! never repaired.
//!
//! Money compares exactly; a difference of at most 0.01万元 (100 yuan), the rounding of a
//! report that prints 万元 with two decimals, is `warn`, more is `fail`. Shares compare to 100
//! with 0.01 percent point per part.

use rust_decimal::Decimal;

use crate::extract::figures::{Figure, Figures};
use crate::extract::line_items::{Level, LineItem};
use crate::extract::meta::YearStatement;
use crate::extract::tables::TableTotal;
use crate::model::Loc;
use crate::money::yuan_string;

/// pass, warn (within rounding), fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Pass,
    Warn,
    Fail,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
        }
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub rule: &'static str,
    pub status: Status,
    pub expected: Option<String>,
    pub actual: Option<String>,
    pub detail: String,
    pub loc: Loc,
    /// For checks on a table row: (row, col).
    pub cell: Option<(usize, usize)>,
}

/// 0.01万元.
const MONEY_TOLERANCE: Decimal = Decimal::from_parts(100, 0, 0, false, 0);

fn money_status(expected: Decimal, actual: Decimal) -> Status {
    let diff = (expected - actual).abs();
    if diff.is_zero() {
        Status::Pass
    } else if diff <= MONEY_TOLERANCE {
        Status::Warn
    } else {
        Status::Fail
    }
}

fn money_check(
    rule: &'static str,
    expected: Decimal,
    actual: Decimal,
    detail: String,
    loc: Loc,
) -> Check {
    Check {
        rule,
        status: money_status(expected, actual),
        expected: Some(yuan_string(expected)),
        actual: Some(yuan_string(actual)),
        detail,
        loc,
        cell: None,
    }
}

fn wan(d: Decimal) -> String {
    yuan_string(d / Decimal::from(10_000))
}

/// What the rules need besides records.
pub struct Context<'a> {
    pub year: Option<i32>,
    pub items: &'a [LineItem],
    pub figures: &'a Figures,
    /// The report says its income and expense balance (`收支平衡`).
    pub balance_stated: bool,
    /// Totals the summary tables state.
    pub table_totals: &'a [TableTotal],
    /// Statements of the report's own year.
    pub year_statements: &'a [YearStatement],
    /// Blocks holding a template placeholder.
    pub placeholders: &'a [Loc],
}

/// Runs every rule.
pub fn check(cx: &Context) -> Vec<Check> {
    let mut out = Vec::new();
    let f = cx.figures;
    let narrative: Vec<&LineItem> = cx
        .items
        .iter()
        .filter(|i| i.table == Some("narrative") && i.level == Level::Item && i.amount.is_some())
        .collect();

    // Line items of each class sum to the class total, and all of them to the total.
    if let Some(total) = f.get("general_budget.expense") {
        if !narrative.is_empty() {
            let sum: Decimal = narrative.iter().filter_map(|i| i.amount).sum();
            out.push(money_check(
                "line_items_sum",
                total.value,
                sum,
                format!(
                    "{} narrative line items sum to {}万元; the general-budget expense is {}万元",
                    narrative.len(),
                    wan(sum),
                    wan(total.value)
                ),
                total.loc,
            ));
        }
    }
    for class in f.all("general_budget.class") {
        let code = class.code.as_deref().unwrap_or_default();
        let of_class: Vec<&&LineItem> = narrative
            .iter()
            .filter(|i| i.class.as_ref().and_then(|c| c.code.as_deref()) == Some(code))
            .collect();
        if of_class.is_empty() {
            continue;
        }
        let sum: Decimal = of_class.iter().filter_map(|i| i.amount).sum();
        out.push(money_check(
            "line_items_class_sum",
            class.value,
            sum,
            format!(
                "line items of class {code} sum to {}万元; the class total is {}万元",
                wan(sum),
                wan(class.value)
            ),
            class.loc,
        ));
    }

    // Class totals sum to the general-budget expense.
    let classes: Vec<&Figure> = f.all("general_budget.class").collect();
    if let (Some(total), false) = (f.get("general_budget.expense"), classes.is_empty()) {
        let sum: Decimal = classes.iter().map(|c| c.value).sum();
        out.push(money_check(
            "class_totals_sum",
            total.value,
            sum,
            format!(
                "{} class totals sum to {}万元; the general-budget expense is {}万元",
                classes.len(),
                wan(sum),
                wan(total.value)
            ),
            classes[0].loc,
        ));
    }

    // Shares of one whole sum to 100.
    let income_parts: &[&str] = if f.get("income.appropriation").is_some() {
        &[
            "income.appropriation",
            "income.superior_subsidy",
            "income.business",
            "income.operating",
            "income.subsidiary",
            "income.other",
        ]
    } else {
        &[
            "income.general_budget",
            "income.government_fund",
            "income.state_capital",
            "income.superior_subsidy",
            "income.business",
            "income.operating",
            "income.subsidiary",
            "income.other",
        ]
    };
    let groups: [(&str, Vec<&Figure>); 4] = [
        (
            "income",
            income_parts.iter().filter_map(|k| f.get(k)).collect(),
        ),
        (
            "expense",
            [
                "expense.basic",
                "expense.project",
                "expense.to_superior",
                "expense.operating",
                "expense.to_subsidiary",
            ]
            .iter()
            .filter_map(|k| f.get(k))
            .collect(),
        ),
        ("general_budget.class", classes.clone()),
        (
            "three_public",
            [
                "three_public.overseas",
                "three_public.vehicle",
                "three_public.reception",
            ]
            .iter()
            .filter_map(|k| f.get(k))
            .collect(),
        ),
    ];
    for (group, parts) in groups {
        let shares: Vec<Decimal> = parts.iter().filter_map(|p| p.share_pct).collect();
        if shares.len() < 2 || shares.len() != parts.len() {
            continue;
        }
        let sum: Decimal = shares.iter().sum();
        let diff = (sum - Decimal::ONE_HUNDRED).abs();
        let tolerance = Decimal::new(1, 2) * Decimal::from(shares.len());
        let status = if diff.is_zero() {
            Status::Pass
        } else if diff <= tolerance {
            Status::Warn
        } else {
            Status::Fail
        };
        out.push(Check {
            rule: "shares_sum",
            status,
            expected: Some("100".into()),
            actual: Some(yuan_string(sum)),
            detail: format!(
                "the {} shares of {group} sum to {}%",
                shares.len(),
                yuan_string(sum)
            ),
            loc: parts[0].loc,
            cell: None,
        });
    }

    // Basic + project = total expense; personnel + public = basic.
    let pairs = [
        (
            "basic_plus_project",
            "expense.basic",
            "expense.project",
            "total.expense",
            "basic + project expense",
        ),
        (
            "personnel_plus_public",
            "basic.personnel",
            "basic.public",
            "basic.total",
            "personnel + public costs",
        ),
    ];
    for (rule, a, b, total, what) in pairs {
        if let (Some(a), Some(b), Some(t)) = (f.get(a), f.get(b), f.get(total)) {
            let sum = a.value + b.value;
            out.push(money_check(
                rule,
                t.value,
                sum,
                format!(
                    "{what} = {}万元; the stated total is {}万元",
                    wan(sum),
                    wan(t.value)
                ),
                a.loc,
            ));
        }
    }

    // Income = expense where the report says they balance.
    if cx.balance_stated {
        if let (Some(i), Some(e)) = (f.get("total.income"), f.get("total.expense")) {
            out.push(money_check(
                "income_expense_balance",
                i.value,
                e.value,
                format!(
                    "the report says income and expense balance: income {}万元, expense {}万元",
                    wan(i.value),
                    wan(e.value)
                ),
                e.loc,
            ));
        }
    }

    // A line's year that is not the report's.
    if let Some(year) = cx.year {
        for i in cx
            .items
            .iter()
            .filter(|i| i.year.is_some_and(|y| y != year))
        {
            out.push(Check {
                rule: "year_mismatch",
                status: Status::Fail,
                expected: Some(year.to_string()),
                actual: i.year.map(|y| y.to_string()),
                detail: format!(
                    "line item {} states the year {} in a {year} report",
                    i.code.as_deref().unwrap_or(&i.name),
                    i.year.unwrap()
                ),
                loc: i.loc,
                cell: i.cell,
            });
        }
    }

    for s in cx.year_statements {
        if let Some(year) = cx.year.filter(|y| *y != s.year) {
            out.push(Check {
                rule: "year_mismatch",
                status: Status::Fail,
                expected: Some(year.to_string()),
                actual: Some(s.year.to_string()),
                detail: format!("the text states {} in a {year} report", s.raw),
                loc: s.loc,
                cell: None,
            });
        }
    }

    // A template's placeholder left in the report.
    if let Some(first) = cx.placeholders.first() {
        out.push(Check {
            rule: "placeholder_text",
            status: Status::Fail,
            expected: None,
            actual: Some("XX".into()),
            detail: format!(
                "{} blocks hold a template placeholder (XX) instead of a name or number",
                cx.placeholders.len()
            ),
            loc: *first,
            cell: None,
        });
    }

    // A summary table's total that differs from the narrative.
    for t in cx.table_totals {
        if let Some(n) = f.get(t.key) {
            out.push(money_check(
                "table_total_vs_narrative",
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
            ));
        }
    }

    // The same figure stated twice with different values.
    for c in &f.conflicts {
        let mut check = money_check(
            "duplicate_figure_conflict",
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
        if check.status == Status::Pass {
            check.status = Status::Warn;
        }
        out.push(check);
    }

    // A table row that differs from the narrative line of the same code.
    for n in cx.items.iter().filter(|i| i.table == Some("narrative")) {
        let (Some(code), Some(amount)) = (&n.code, n.amount) else {
            continue;
        };
        let row = [
            "general_budget",
            "budget_general",
            "expense",
            "budget_expense",
        ]
        .iter()
        .find_map(|t| {
            cx.items.iter().find(|i| {
                i.table == Some(*t) && i.code.as_ref() == Some(code) && i.amount.is_some()
            })
        });
        if let Some(row) = row {
            out.push(money_check(
                "table_vs_narrative",
                row.amount.unwrap(),
                amount,
                format!(
                    "{code} {}: the {} table states {}万元, the narrative {}万元",
                    n.name,
                    row.table.unwrap_or("code"),
                    wan(row.amount.unwrap()),
                    wan(amount)
                ),
                n.loc,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::figures::FigureUnit;

    fn figure(key: &'static str, wan: &str, share: Option<&str>) -> Figure {
        Figure {
            key,
            value: crate::money::parse_money(&format!("{wan}万元"))
                .unwrap()
                .yuan,
            unit: FigureUnit::Yuan,
            raw: format!("{wan}万元"),
            approx: false,
            share_pct: share.map(|s| s.parse().unwrap()),
            change: None,
            code: None,
            name: None,
            loc: Loc {
                block: 0,
                line: None,
            },
        }
    }

    fn run(list: Vec<Figure>, balance_stated: bool) -> Vec<Check> {
        let figures = Figures {
            list,
            conflicts: Vec::new(),
        };
        check(&Context {
            year: Some(2021),
            items: &[],
            figures: &figures,
            balance_stated,
            table_totals: &[],
            year_statements: &[],
            placeholders: &[],
        })
    }

    #[test]
    fn balance_is_checked_only_where_stated() {
        let figs = || {
            vec![
                figure("total.income", "853.00", None),
                figure("total.expense", "852.00", None),
            ]
        };
        assert!(run(figs(), false)
            .iter()
            .all(|c| c.rule != "income_expense_balance"));
        let c = run(figs(), true);
        let b = c
            .iter()
            .find(|c| c.rule == "income_expense_balance")
            .unwrap();
        assert_eq!(
            (b.status, b.expected.as_deref(), b.actual.as_deref()),
            (Status::Fail, Some("8530000"), Some("8520000"))
        );
    }

    #[test]
    fn shares_within_rounding_warn_and_beyond_fail() {
        let c = run(
            vec![
                figure("expense.basic", "623.25", Some("73.06")),
                figure("expense.project", "229.76", Some("26.95")),
            ],
            false,
        );
        let s = c.iter().find(|c| c.rule == "shares_sum").unwrap();
        assert_eq!(
            (s.status, s.actual.as_deref()),
            (Status::Warn, Some("100.01"))
        );
        let c = run(
            vec![
                figure("expense.basic", "623.25", Some("73.06")),
                figure("expense.project", "229.76", Some("27.06")),
            ],
            false,
        );
        assert_eq!(
            c.iter().find(|c| c.rule == "shares_sum").unwrap().status,
            Status::Fail
        );
    }

    #[test]
    fn money_tolerance_is_one_hundred_yuan() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(money_status(d("8530000"), d("8530000")), Status::Pass);
        assert_eq!(money_status(d("8530000"), d("8530100")), Status::Warn);
        assert_eq!(money_status(d("8530000"), d("8530100.01")), Status::Fail);
    }
}
