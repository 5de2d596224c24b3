//! The check stage: [`Extraction`] → [`Check`]s. Rules over what a report states (its own
//! arithmetic, its tables against its narrative, its years, its wording, its typography). A
//! report that contradicts itself is recorded as it is and flagged here, never repaired.
//!
//! Rules are kept the way linters keep theirs: [`RULES`] is a registry of small functions, each
//! with a stable id, a one-line description and what it reads (`juesuan rules` prints it). The
//! driver [`check`] runs them all after extraction; extraction never calls into this module.
//!
//! Statuses (documented in `docs/checks.md`):
//! - `pass`: both sides agree exactly;
//! - `warn`: they differ by no more than the rounding of what is printed (0.01万元 per stated
//!   part for money, 0.01 point per part for shares), or the rule found a likely slip that
//!   is not a contradiction (a doubled word);
//! - `fail`: the report contradicts itself, established from values read with certainty on
//!   both sides;
//! - `skip`: the rule applies but could not be decided; `detail` says why (one side may be a
//!   reading gap, an amount overflowed).

mod narrative;
mod tables;
#[cfg(test)]
mod tests;
mod text;
mod wording;

use rust_decimal::Decimal;

use crate::extract::line_items::{Level, LineItem};
use crate::extract::meta::{self, YearStatement};
use crate::extract::tables::{self as table_info, TableTotal};
use crate::extract::Extraction;
use crate::model::{Document, Loc};
use crate::money::yuan_string;

/// The outcome of one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

impl Status {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Skip => "skip",
        }
    }

    /// Every status, in the order the document record lists them.
    pub const ALL: [Status; 4] = [Status::Pass, Status::Warn, Status::Fail, Status::Skip];
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The id of the rule in [`RULES`].
    pub rule: &'static str,
    pub status: Status,
    pub expected: Option<String>,
    pub actual: Option<String>,
    pub detail: String,
    pub loc: Loc,
    /// For checks on a table row: (row, col).
    pub cell: Option<(usize, usize)>,
}

/// What a rule function returns: a [`Check`] without its rule id, which the driver adds, so
/// that a rule cannot report under another rule's name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    pub status: Status,
    pub expected: Option<String>,
    pub actual: Option<String>,
    pub detail: String,
    pub loc: Loc,
    pub cell: Option<(usize, usize)>,
}

impl Finding {
    fn new(status: Status, detail: String, loc: Loc) -> Finding {
        Finding {
            status,
            expected: None,
            actual: None,
            detail,
            loc,
            cell: None,
        }
    }

    fn values(mut self, expected: Option<String>, actual: Option<String>) -> Finding {
        self.expected = expected;
        self.actual = actual;
        self
    }

    fn at_cell(mut self, cell: Option<(usize, usize)>) -> Finding {
        self.cell = cell;
        self
    }
}

/// One rule of the registry.
pub struct Rule {
    /// Stable id, the `rule` field of `check` records.
    pub id: &'static str,
    /// One line: what a failure means.
    pub description: &'static str,
    /// The records and text the rule reads.
    pub reads: &'static str,
    run: fn(&Input) -> Vec<Finding>,
}

/// Everything the rules read: the document, its extraction, and facts computed once.
pub(crate) struct Input<'a> {
    pub doc: &'a Document,
    pub ex: &'a Extraction,
    /// Narrative item-level line items that state an amount.
    pub narrative: Vec<&'a LineItem>,
    /// Totals the summary tables state.
    pub table_totals: Vec<TableTotal>,
    /// Statements of the report's own year.
    pub year_statements: Vec<YearStatement>,
    /// Blocks holding a template placeholder.
    pub placeholders: Vec<Loc>,
}

/// Every rule, in the order its findings are emitted.
pub static RULES: &[Rule] = &[
    Rule {
        id: "line_items_sum",
        description: "the narrative's item-level line items add up to the general-budget expense (or to all appropriation spending)",
        reads: "line_item (narrative, item), figure general_budget.expense / appropriation.expense, the general-budget table's item codes",
        run: narrative::line_items_sum,
    },
    Rule {
        id: "line_items_class_sum",
        description: "the narrative's line items of one 类 add up to that 类's total in the structure statement",
        reads: "line_item (narrative, item), figure general_budget.class",
        run: narrative::line_items_class_sum,
    },
    Rule {
        id: "class_totals_sum",
        description: "the 类 totals of the structure statement add up to the general-budget expense",
        reads: "figure general_budget.class, general_budget.expense",
        run: narrative::class_totals_sum,
    },
    Rule {
        id: "shares_sum",
        description: "the shares (占X%) of the parts of one whole add up to 100",
        reads: "figure share_pct of income, expense, 类 and 三公 parts, and the totals they are parts of",
        run: narrative::shares_sum,
    },
    Rule {
        id: "share_vs_amount",
        description: "a stated share (占X%) equals the part's amount over the whole's amount",
        reads: "figure share_pct of income, expense, 类 and 三公 parts, and the totals they are parts of",
        run: narrative::share_vs_amount,
    },
    Rule {
        id: "basic_plus_project",
        description: "基本支出 + 项目支出 (+ other stated expense parts) = 本年支出合计",
        reads: "figure expense.*, total.expense",
        run: narrative::basic_plus_project,
    },
    Rule {
        id: "personnel_plus_public",
        description: "人员经费 + 公用经费 = 一般公共预算财政拨款基本支出",
        reads: "figure basic.personnel, basic.public, basic.total",
        run: narrative::personnel_plus_public,
    },
    Rule {
        id: "three_public_sum",
        description: "因公出国（境）费 + 公务用车购置及运行费 + 公务接待费 = the “三公” total; 购置 + 运行 = the vehicle line",
        reads: "figure three_public.*",
        run: narrative::three_public_sum,
    },
    Rule {
        id: "income_expense_balance",
        description: "income = expense where the report says they balance (收支平衡)",
        reads: "figure total.income, total.expense; the text 收支平衡",
        run: narrative::income_expense_balance,
    },
    Rule {
        id: "duplicate_figure_conflict",
        description: "a figure stated twice is stated with the same value",
        reads: "figure (every statement of a key)",
        run: narrative::duplicate_figure_conflict,
    },
    Rule {
        id: "table_total_vs_narrative",
        description: "a total of the summary tables (本年收入合计, 总计, 结转和结余) equals the narrative's figure",
        reads: "table income_expense / appropriation total rows, figure total.* / carryover.* / appropriation.grand",
        run: tables::table_total_vs_narrative,
    },
    Rule {
        id: "table_vs_narrative",
        description: "a narrative line item's amount equals the same code's row of the report's own expenditure table",
        reads: "line_item (narrative and general_budget / budget_general / expense / budget_expense tables)",
        run: tables::table_vs_narrative,
    },
    Rule {
        id: "unit_magnitude",
        description: "the same quantity is not stated 10,000× apart (万元 written as 元, or the reverse)",
        reads: "line_item (narrative vs table), figure vs summary-table totals",
        run: tables::unit_magnitude,
    },
    Rule {
        id: "table_class_sum",
        description: "in a code table, a 类 row equals the sum of its 款 rows and a 款 row the sum of its 项 rows",
        reads: "line_item (table rows with codes)",
        run: tables::table_class_sum,
    },
    Rule {
        id: "table_total_row",
        description: "a code table's 合计 row equals the sum of its 类 rows",
        reads: "table total row, line_item (table rows with 3-digit codes)",
        run: tables::table_total_row,
    },
    Rule {
        id: "class_total_vs_table",
        description: "a 类 total of the structure statement equals that 类's row of the general-budget table",
        reads: "figure general_budget.class, line_item (general_budget / budget_general table rows)",
        run: tables::class_total_vs_table,
    },
    Rule {
        id: "table_row_parts",
        description: "in an expenditure table row, 合计 = 基本支出 + 项目支出 (+ the other expense columns)",
        reads: "line_item columns (table rows whose columns are certain)",
        run: tables::table_row_parts,
    },
    Rule {
        id: "three_public_table",
        description: "the “三公” table states the “三公” amounts the narrative states (an empty table against a non-zero narrative amount fails)",
        reads: "table three_public, figure three_public.total / three_public.budget",
        run: tables::three_public_table,
    },
    Rule {
        id: "standard_tables",
        description: "the standard tables of the report's kind are present, unless the report says a table is empty",
        reads: "table captions and keys, paragraphs (本表无数据, 空表)",
        run: tables::standard_tables,
    },
    Rule {
        id: "final_vs_budget_wording",
        description: "决算数大于/小于/等于/持平 预算数 agrees with the 年初预算 and 决算 amounts stated beside it",
        reads: "paragraph text: 年初预算为X, 支出决算为Y, 决算数…预算数",
        run: wording::final_vs_budget_wording,
    },
    Rule {
        id: "change_consistency",
        description: "a year-on-year change (增加/减少 X万元, 增长/下降 Y%) agrees with the amount it changes",
        reads: "figure value and change; paragraph text: YYYY年…为X, YYYY年…Y, 比…增加/减少",
        run: wording::change_consistency,
    },
    Rule {
        id: "year_mismatch",
        description: "a line item's year, a YYYY年度部门决算/预算 phrase or the 截至YYYY年12月31日 date is the report's year",
        reads: "line_item year, paragraph text, document year",
        run: text::year_mismatch,
    },
    Rule {
        id: "placeholder_text",
        description: "no template placeholder (XX, ××) is left where a name or number belongs",
        reads: "every block's text",
        run: text::placeholder_text,
    },
    Rule {
        id: "repeated_punctuation",
        description: "no punctuation mark is doubled (。。, ，，, ；；)",
        reads: "paragraph and heading text",
        run: text::repeated_punctuation,
    },
    Rule {
        id: "doubled_word",
        description: "no word of two or more characters is written twice in a row (warn: it may be meant)",
        reads: "paragraph text",
        run: text::doubled_word,
    },
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Runs every rule of [`RULES`] over a document and its extraction.
pub fn check(doc: &Document, ex: &Extraction) -> Vec<Check> {
    let input = Input {
        doc,
        ex,
        narrative: ex
            .line_items
            .iter()
            .filter(|i| {
                i.table == Some("narrative") && i.level == Level::Item && i.amount.is_some()
            })
            .collect(),
        table_totals: table_info::table_totals(doc, &ex.tables),
        year_statements: meta::year_statements(doc, ex.meta.kind),
        placeholders: meta::placeholders(doc),
    };
    RULES
        .iter()
        .flat_map(|rule| {
            (rule.run)(&input).into_iter().map(|f| Check {
                rule: rule.id,
                status: f.status,
                expected: f.expected,
                actual: f.actual,
                detail: f.detail,
                loc: f.loc,
                cell: f.cell,
            })
        })
        .collect()
}

/// 0.01万元: the rounding of a report that prints 万元 with two decimals.
pub(crate) const MONEY_TOLERANCE: Decimal = Decimal::from_parts(100, 0, 0, false, 0);

/// Equal → pass; within `tolerance` → warn; more → fail.
pub(crate) fn money_status_within(
    expected: Decimal,
    actual: Decimal,
    tolerance: Decimal,
) -> Status {
    let Some(diff) = expected.checked_sub(actual).map(|d| d.abs()) else {
        return Status::Skip;
    };
    if diff.is_zero() {
        Status::Pass
    } else if diff <= tolerance {
        Status::Warn
    } else {
        Status::Fail
    }
}

/// Equal → pass; off by at most 0.01万元 → warn; more → fail.
pub(crate) fn money_status(expected: Decimal, actual: Decimal) -> Status {
    money_status_within(expected, actual, MONEY_TOLERANCE)
}

/// A money comparison: `expected` is the stated total, `actual` the computed or contradicting
/// value.
pub(crate) fn money_finding(
    expected: Decimal,
    actual: Decimal,
    detail: String,
    loc: Loc,
) -> Finding {
    Finding::new(money_status(expected, actual), detail, loc)
        .values(Some(yuan_string(expected)), Some(yuan_string(actual)))
}

/// Half of the last printed digit of an amount, in yuan (`2106.66万元` → 50): how far a
/// value computed from printed, rounded amounts can stray. With `value`, the digits its own
/// normalized form shows bound the printed ones from below, for an amount printed in another
/// number's unit (a change after its figure); the half unit is then an upper bound, which
/// keeps a test on the safe side.
pub(crate) fn half_unit(raw: &str, value: Option<Decimal>) -> Decimal {
    let Some(parts) = crate::money::amounts(raw)
        .next()
        .and_then(|(start, end)| crate::money::parts(&raw[start..end]))
    else {
        // A bare number (`0`) is exact; anything else gets the project's money tolerance.
        return if crate::money::parse_number(raw).is_some() {
            Decimal::new(5, 1)
        } else {
            MONEY_TOLERANCE
        };
    };
    let factor = crate::money::to_yuan("1", parts.unit).unwrap_or(Decimal::ONE);
    let printed = parts
        .number
        .split(['.', '．'])
        .nth(1)
        .map_or(0, |d| d.chars().count() as u32);
    let decimals = value
        .and_then(|v| v.checked_div(factor))
        .map_or(printed, |v| v.normalize().scale().min(printed));
    Decimal::new(5, (decimals + 1).min(28)) * factor
}

/// Half of the last digit of a normalized percentage (`71.73` → 0.005; `75` → 0.5, since
/// `75.00%` normalizes to `75`).
pub(crate) fn half_point(pct: Decimal) -> Decimal {
    Decimal::new(5, (pct.normalize().scale() + 1).min(28))
}

/// A stated percentage against the interval `[lo, hi]` the amounts allow.
pub(crate) fn pct_status(stated: Decimal, lo: Decimal, hi: Decimal) -> Status {
    let half = half_point(stated);
    let within = |slack: Decimal| -> Option<bool> {
        Some(stated.checked_add(slack)? >= lo && stated.checked_sub(slack)? <= hi)
    };
    match (within(half), within(half * Decimal::from(3))) {
        (Some(true), _) => Status::Pass,
        (_, Some(true)) => Status::Warn,
        (Some(false), Some(false)) => Status::Fail,
        _ => Status::Skip,
    }
}

/// Yuan as 万元 for details.
pub(crate) fn wan(d: Decimal) -> String {
    yuan_string(d / Decimal::from(10_000))
}

/// A sum that cannot overflow into a panic: `None` past `Decimal::MAX`.
pub(crate) fn checked_sum(values: impl IntoIterator<Item = Decimal>) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}

/// The finding for a sum that overflowed: undecidable, never a panic.
pub(crate) fn overflow(what: &str, loc: Loc) -> Finding {
    Finding::new(
        Status::Skip,
        format!("{what}: the amounts are too large to add up exactly"),
        loc,
    )
}

#[cfg(test)]
mod registry_tests {
    use super::*;

    #[test]
    fn rule_ids_are_unique_and_described() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
        assert!(RULES
            .iter()
            .all(|r| !r.description.is_empty() && !r.reads.is_empty()));
        assert_eq!(rule("shares_sum").unwrap().id, "shares_sum");
    }

    #[test]
    fn money_tolerance_is_one_hundred_yuan() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(money_status(d("8530000"), d("8530000")), Status::Pass);
        assert_eq!(money_status(d("8530000"), d("8530100")), Status::Warn);
        assert_eq!(money_status(d("8530000"), d("8530100.01")), Status::Fail);
    }

    #[test]
    fn huge_sums_do_not_panic() {
        assert_eq!(checked_sum([Decimal::MAX, Decimal::ONE]), None);
        assert_eq!(
            checked_sum([Decimal::ONE, Decimal::TWO]),
            Some(Decimal::from(3))
        );
    }
}
