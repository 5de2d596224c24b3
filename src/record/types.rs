//! The record types of the wire format (SCHEMA.md), each field documented here: these doc
//! comments are the descriptions of the JSON Schema (`juesuan schema`, `schema/`) and of the
//! field reference `docs/fields.md`, both generated from them.

use std::borrow::Cow;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::Loc;

/// Bumped when a field is renamed or removed.
pub const SCHEMA_VERSION: u32 = 1;

/// One output line: a JSON object whose `type` names the record type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Record {
    /// One per report read: its identity, unit, year and kind, and counts.
    Document(DocumentRecord),
    /// One per heading of the report's outline.
    Section(SectionRecord),
    /// One per function-classification expenditure entry (类/款/项), narrative or table row.
    LineItem(LineItemRecord),
    /// One per headline number (totals, shares, 三公, staff counts, …).
    Figure(FigureRecord),
    /// One per project of a performance (绩效) table.
    Project(ProjectRecord),
    /// One per indicator row of a performance table.
    Indicator(IndicatorRecord),
    /// One per table of the report, its cells as printed.
    Table(TableRecord),
    /// One per consistency finding.
    Check(CheckRecord),
    /// What to sum: one per document and function code.
    Expenditure(ExpenditureRecord),
    /// One per input that could not be read.
    Error(ErrorRecord),
}

impl Record {
    /// The record's `type`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Record::Document(_) => "document",
            Record::Section(_) => "section",
            Record::LineItem(_) => "line_item",
            Record::Figure(_) => "figure",
            Record::Project(_) => "project",
            Record::Indicator(_) => "indicator",
            Record::Table(_) => "table",
            Record::Check(_) => "check",
            Record::Expenditure(_) => "expenditure",
            Record::Error(_) => "error",
        }
    }
}

/// A report that was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct DocumentRecord {
    /// The document id: the first 16 hex digits of the file's SHA-256; every record of the
    /// document carries it.
    pub doc: String,
    /// The input path as given on the command line or found under a given directory (shown
    /// lossily, with U+FFFD, when it is not UTF-8).
    pub path: String,
    /// The path's original bytes in lowercase hex when it is not UTF-8 (a GBK file name on
    /// Linux), else `null`.
    pub path_bytes: Option<String>,
    /// The reader used: `text` (plain or layout text), `pdf`, `docx`, `doc`, `html`, `xlsx` or
    /// `xls`.
    pub format: Cow<'static, str>,
    /// The text encoding detected (`utf-8`, `utf-16le`, `utf-16be`, `gb18030`); `null` for PDF
    /// and .docx.
    pub encoding: Option<Cow<'static, str>>,
    /// SHA-256 of the file's bytes, 64 hex digits.
    pub sha256: String,
    /// The file's size in bytes.
    pub bytes: u64,
    /// The reporting unit (`攀枝花市西区玉泉街道办事处`), or `null` when the report does not name it.
    pub unit: Option<String>,
    /// The report's year (`2021` for a 2021年度部门决算), or `null`.
    pub year: Option<i32>,
    /// `final_accounts` (决算) or `budget` (预算), or `null`.
    pub report_kind: Option<Cow<'static, str>>,
    /// The cover title as printed, or `null` when the report has no cover title line.
    pub title: Option<String>,
    /// The number of blocks (paragraphs, headings, tables) the reader built.
    pub blocks: usize,
    /// Records of this document by type, this `document` included.
    pub counts: BTreeMap<Cow<'static, str>, usize>,
    /// Check records by status (`pass`, `warn`, `fail`, `skip`; every status listed, zeros
    /// included), so reports can be sorted by trust without reading every check.
    pub checks_by_status: BTreeMap<Cow<'static, str>, usize>,
    /// Amounts of the narrative that no figure or line item took (`juesuan dump --unread`
    /// lists them): a measure of what the extractors may have missed.
    pub unread_amounts: usize,
    /// Tables the source publishes as images (a web page's `<img>` where a 公开表 should be):
    /// their numbers are not read, so the report's records are incomplete. 0 for other formats.
    pub image_tables: usize,
    /// The record format's version; bumped when a field is renamed or removed.
    pub schema_version: u32,
}

/// A heading of the report's outline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct SectionRecord {
    /// The document id.
    pub doc: String,
    /// `s1`, `s2`, … in reading order.
    pub id: String,
    /// The id of the enclosing section, or `null` at the top level.
    pub parent: Option<String>,
    /// Nesting depth, 1 at the top.
    pub level: u8,
    /// The numbering label as printed (`一、`, `（三）`, `第二部分`), or `null`.
    pub label: Option<String>,
    /// The heading text without its label.
    pub title: String,
    /// The canonical key of a template section (`income_expense`, `general_budget`,
    /// `three_public`, …), or `null`.
    pub key: Option<Cow<'static, str>>,
    /// Where the heading is.
    pub loc: LocRecord,
}

/// A table of the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct TableRecord {
    /// The document id.
    pub doc: String,
    /// `t1`, `t2`, … in reading order.
    pub id: String,
    /// The table's caption (`一般公共预算财政拨款支出决算表`), or `null`.
    pub title: Option<String>,
    /// The canonical table key (`expense`, `general_budget`, `budget_expense`, `performance`,
    /// …), or `null`.
    pub key: Option<Cow<'static, str>>,
    /// The stated unit (`万元`, `元`), or `null`.
    pub unit: Option<String>,
    /// The cells as printed, row by row; a merged cell's text sits in its first position and
    /// the positions it covers hold `null`.
    pub rows: Vec<Vec<Option<String>>>,
    /// The number of rows.
    pub n_rows: usize,
    /// The number of columns of the widest row.
    pub n_cols: usize,
    /// The id of the section the table sits in, or `null`.
    pub section: Option<String>,
    /// Where the table starts.
    pub loc: LocRecord,
}

/// A 类, 款 or 项: code and name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct PartRecord {
    /// 3, 5 or 7 digits (`201`, `20103`, `2010301`), or `null` when it cannot be resolved.
    pub code: Option<String>,
    /// The name as printed.
    pub name: String,
}

/// A function-classification expenditure entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct LineItemRecord {
    /// The document id.
    pub doc: String,
    /// Where it was stated: `narrative`, or the table's key (`expense`, `general_budget`,
    /// `budget_expense`, …), or `null` for a code table of no known kind.
    pub table: Option<Cow<'static, str>>,
    /// The narrative line's own number, or `null`.
    pub seq: Option<u32>,
    /// `class` (类), `kind` (款) or `item` (项).
    pub level: Cow<'static, str>,
    /// The deepest level's code, or `null` when it cannot be resolved (never guessed).
    pub code: Option<String>,
    /// The entry's own name as printed.
    pub name: String,
    /// The 类.
    pub class: Option<PartRecord>,
    /// The 款, or `null` for a 类-level entry.
    pub kind: Option<PartRecord>,
    /// The 项, or `null` above the 项 level.
    pub item: Option<PartRecord>,
    /// The year the line states for its amount (even when it contradicts the document's),
    /// or `null`.
    pub year: Option<i32>,
    /// Yuan, exact decimal string: the 决算数 (the 预算数 in a budget report), or `null`.
    pub amount: Option<String>,
    /// Yuan: the 年初预算数 when stated, else `null`.
    pub budget: Option<String>,
    /// The year-on-year change the narrative line states after its amount, or `null`.
    pub change: Option<ChangeRecord>,
    /// The stated completion of the budget in percent (`100`), or `null`.
    pub completion_pct: Option<String>,
    /// For table rows: column header as printed → yuan, when every value's column is certain;
    /// else `null`.
    pub columns: Option<BTreeMap<String, String>>,
    /// The source text of the line or row.
    pub raw: String,
    /// The id of the section it sits in, or `null`.
    pub section: Option<String>,
    /// Where it was stated (`row`/`col` for table rows).
    pub loc: LocRecord,
}

/// A year-on-year change: `比去年减少了54.20万元，下降5.97%`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ChangeRecord {
    /// `increase`, `decrease` or `flat`.
    pub direction: Cow<'static, str>,
    /// Yuan changed, or `null` when not stated (always `null` for `flat`).
    pub amount: Option<String>,
    /// The stated percentage, or `null`.
    pub pct: Option<String>,
}

/// A headline number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct FigureRecord {
    /// The document id.
    pub doc: String,
    /// The figure key (`total.income`, `three_public.total`, `general_budget.class`, …; see
    /// SCHEMA.md and docs/schema-notes.md).
    pub key: Cow<'static, str>,
    /// Decimal string in `unit`.
    pub value: String,
    /// `yuan`, `percent` or `count`.
    pub unit: Cow<'static, str>,
    /// The value as printed (`853.00万元`).
    pub raw: String,
    /// Whether the text hedges the value (`约`, `近`, `余`, `多`).
    pub approx: bool,
    /// The `占X%` attached to the value, or `null`.
    pub share_pct: Option<String>,
    /// The year-on-year change stated for it, or `null`.
    pub change: Option<ChangeRecord>,
    /// For class totals: the 类 code, else `null`.
    pub code: Option<String>,
    /// For class totals: the 类 name as printed, else `null`.
    pub name: Option<String>,
    /// The id of the section it sits in, or `null`.
    pub section: Option<String>,
    /// Where it was first stated.
    pub loc: LocRecord,
}

/// A project of a performance table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ProjectRecord {
    /// The document id.
    pub doc: String,
    /// `p1`, `p2`, … in reading order.
    pub id: String,
    /// 项目名称, or `null`.
    pub name: Option<String>,
    /// 实施单位, or `null`.
    pub unit: Option<String>,
    /// 主管部门, or `null`.
    pub department: Option<String>,
    /// Yuan: 预算数 (年度资金总额), or `null`.
    pub budget: Option<String>,
    /// Yuan: 执行数, or `null` (always in budget-style target tables).
    pub executed: Option<String>,
    /// Yuan: 预算数 of which 财政拨款, or `null`.
    pub budget_appropriation: Option<String>,
    /// Yuan: 执行数 of which 财政拨款, or `null`.
    pub executed_appropriation: Option<String>,
    /// 预期目标 / 年度目标, or `null`.
    pub goal: Option<String>,
    /// 目标实际完成情况, or `null`.
    pub goal_result: Option<String>,
    /// The id of the section it sits in, or `null`.
    pub section: Option<String>,
    /// Where the project's table is.
    pub loc: LocRecord,
}

/// One number an indicator states: `完成率达95%及以上` → `{">=", "95", "percent"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ValueRecord {
    /// `>=`, `<=`, `=`, `>` or `<`.
    pub op: Cow<'static, str>,
    /// Decimal string (yuan for money).
    pub value: String,
    /// `percent`, `yuan`, `count`, or `null`.
    pub unit: Option<Cow<'static, str>>,
}

/// An indicator row of a performance table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct IndicatorRecord {
    /// The document id.
    pub doc: String,
    /// The project's id (`p1`).
    pub project: String,
    /// 一级指标 (`完成指标`), or `null`.
    pub level1: Option<String>,
    /// 二级指标 (`数量指标`), or `null`.
    pub level2: Option<String>,
    /// 三级指标, or `null`.
    pub name: Option<String>,
    /// 预期指标值 / 年度指标值 as text, or `null`.
    pub target: Option<String>,
    /// 实际完成指标值 as text, or `null`.
    pub actual: Option<String>,
    /// The one number `target` states, or `null`.
    pub target_value: Option<ValueRecord>,
    /// The one number `actual` states, or `null`.
    pub actual_value: Option<ValueRecord>,
    /// The indicator's cell.
    pub loc: LocRecord,
}

/// A consistency finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct CheckRecord {
    /// The document id.
    pub doc: String,
    /// The rule's stable id (`juesuan rules`, docs/checks.md).
    pub rule: Cow<'static, str>,
    /// `pass`, `warn` (within rounding), `fail` (the report contradicts itself, both sides
    /// read with certainty) or `skip` (undecidable; the reason in `detail`).
    pub status: Cow<'static, str>,
    /// What the rule computed, or `null`.
    pub expected: Option<String>,
    /// What the report states, or `null`.
    pub actual: Option<String>,
    /// One sentence on what was compared.
    pub detail: String,
    /// The statement checked.
    pub loc: LocRecord,
}

/// What to sum: one per (document, function code), the amount taken from the first source
/// of [`EXPENDITURE_SOURCES`] that states the code. A 类 appears up to four times among the
/// `line_item` records (narrative and three tables); here once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ExpenditureRecord {
    /// The document id.
    pub doc: String,
    /// The function code: 3, 5 or 7 digits.
    pub code: String,
    /// `class`, `kind` or `item`.
    pub level: Cow<'static, str>,
    /// The name as the source prints it.
    pub name: String,
    /// The 类 code (the first three digits), for grouping.
    pub class_code: String,
    /// Yuan, exact decimal string.
    pub amount: String,
    /// Where the amount comes from: a `line_item.table` value, or `figure` for a 类 total of
    /// the narrative's structure statement.
    pub source: Cow<'static, str>,
    /// Where the source states it.
    pub loc: LocRecord,
}

/// The order of preference of the `expenditure` records' sources: the table of all
/// expenditure (支出决算表 / 支出预算表), then the general-budget tables, the 财政拨款 table,
/// the fund tables, the narrative's line items, and last the 类 totals of the narrative's
/// structure statement (`figure` records `general_budget.class`:
/// `一般公共服务（类）支出642.25万元，占76.16%`), so a report whose only 类 amounts are stated
/// there still has one row per 类.
pub const EXPENDITURE_SOURCES: &[&str] = &[
    "expense",
    "budget_expense",
    "general_budget",
    "budget_general",
    "appropriation",
    "government_fund",
    "state_capital",
    "narrative",
    "figure",
];

/// An input that could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct ErrorRecord {
    /// The document id of the bytes read, or `null` when not even the bytes could be read.
    pub doc: Option<String>,
    /// The input path (shown lossily when it is not UTF-8).
    pub path: String,
    /// The path's original bytes in lowercase hex when it is not UTF-8, else `null`.
    pub path_bytes: Option<String>,
    /// A stable kind: `io`, `empty`, `not_docx`, `corrupt`, `too_large`, `encoding`,
    /// `unsupported`, `timeout`, `not_a_report`, `internal`.
    pub error: Cow<'static, str>,
    /// What went wrong, for a person.
    pub message: String,
}

/// Where a record's source is: `{"block": N, "line": L}`, plus `page` for paged sources and
/// `row`/`col` for table-derived records.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct LocRecord {
    /// The block index (0-based) of the document model (`juesuan dump`).
    pub block: usize,
    /// The 1-based line of the source text, or `null` (.docx).
    pub line: Option<u32>,
    /// The page the source text is printed on, for paged sources (PDF, layout text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The table row (0-based, header rows counted), for table-derived records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// The table column (0-based), for table-derived records.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub col: Option<usize>,
}

impl From<Loc> for LocRecord {
    fn from(l: Loc) -> Self {
        LocRecord {
            block: l.block,
            line: l.line,
            page: l.page,
            row: None,
            col: None,
        }
    }
}

#[cfg(test)]
mod tests {
    /// Every expenditure source but the narrative and its 类 totals is a table key of
    /// `data/table_keys.tsv`: a typo would silently drop that source.
    #[test]
    fn expenditure_sources_are_table_keys() {
        for s in super::EXPENDITURE_SOURCES {
            if ["narrative", "figure"].contains(s) {
                continue;
            }
            assert!(
                crate::keys::TABLE_KEYS.iter().any(|k| k.key == *s),
                "{s} is not a table key"
            );
        }
    }
}
