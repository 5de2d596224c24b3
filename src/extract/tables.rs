//! What a table is: its caption, its unit and its canonical key.
//!
//! Reports put the caption on the line above the table (`支出决算表`), often with a unit line
//! between them (`编制单位：上海市普陀区财政局        单位：万元`); Word tables of the
//! performance self-evaluations carry it in a first row that spans the table
//! (`2021年部门预算项目绩效目标自评`).

use std::sync::LazyLock;

use regex::Regex;

use crate::keys;
use crate::model::{BlockKind, Document, Loc, Table};
use crate::numbering;

/// A table block and what the document says about it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableInfo {
    /// Index of the table block in the document.
    pub block: usize,
    pub loc: Loc,
    pub title: Option<String>,
    pub key: Option<&'static str>,
    pub unit: Option<String>,
}

/// `单位：万元`, `金额单位：元`, `单位: 亿元`.
static UNIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"单位\s*[：:]\s*(亿元|千元|万元|元)").unwrap());

/// How many blocks above a table may hold its caption and unit line.
const LOOK_BACK: usize = 4;

/// Describes every table of a document.
pub fn extract_tables(doc: &Document) -> Vec<TableInfo> {
    doc.blocks
        .iter()
        .enumerate()
        .filter_map(|(i, b)| match &b.kind {
            BlockKind::Table(t) => Some(describe(doc, i, t)),
            _ => None,
        })
        .collect()
}

fn describe(doc: &Document, index: usize, table: &Table) -> TableInfo {
    let above: Vec<&str> = doc.blocks[index.saturating_sub(LOOK_BACK)..index]
        .iter()
        .rev()
        .map_while(|b| b.text())
        .collect();
    let unit = above
        .iter()
        .copied()
        .chain(
            table
                .rows
                .iter()
                .take(2)
                .flat_map(|r| r.cells.iter().flatten().map(|c| c.text.as_str())),
        )
        .find_map(|t| UNIT.captures(t).map(|c| c[1].to_string()));
    // The nearest caption-like line, preferring one that names a table (`…决算表`) over
    // header lines the layout left above the grid (`支出功能分类`).
    let candidates: Vec<&str> = above
        .iter()
        .copied()
        .filter(|t| !UNIT.is_match(t) && !t.contains("编制单位") && !t.contains("编制部门"))
        .filter(|t| !LABEL_ONLY.is_match(t.trim()))
        .take_while(|t| is_caption(t))
        .collect();
    let title = candidates
        .iter()
        .find(|t| names_table(t))
        .or(candidates.first())
        .map(|t| caption_text(t))
        .or_else(|| spanning_first_row(table));
    let key = title.as_deref().and_then(keys::table_key);
    TableInfo {
        block: index,
        loc: doc.blocks[index].loc,
        title,
        key,
        unit,
    }
}

/// `收入决算表`, `支出决算表（续）`, `财政拨款支出预算表（功能科目）`, `收支预算总表公开表一`.
fn names_table(t: &str) -> bool {
    !LABEL_ONLY.is_match(t.trim()) && caption_name(t).ends_with('表')
}

/// `公开05表`, `公开 05 表`, `公开表五`, `附表1`: a table's label, printed above its caption.
static LABEL_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:公开|附)\s*表?\s*[0-9０-９一二三四五六七八九十]+\s*表?$").unwrap()
});

/// `（续）`, `（功能科目）`, `公开表五`, `公开05表` after a table's name in its caption.
static CAPTION_TAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:（[^）]*）|\([^)]*\)|公开表[一二三四五六七八九十0-9]+|公开[0-9]+表)+$").unwrap()
});

/// A caption's table name: whitespace-free, without what follows the name
/// (`财政拨款支出预算表（功能科目）` → `财政拨款支出预算表`, `收支预算总表公开表一` → `收支预算总表`).
pub(crate) fn caption_name(t: &str) -> String {
    CAPTION_TAIL
        .replace(&crate::text::compact(t), "")
        .into_owned()
}

/// A caption is short and is not a sentence.
fn is_caption(t: &str) -> bool {
    let t = t.trim();
    !t.is_empty()
        && t.chars().count() <= 60
        && !t.contains(['，', '。', '；', ',', ';'])
        && !t.ends_with(['：', ':'])
}

/// The caption without a numbering label (`二、收入决算表` → `收入决算表`) and without a label
/// printed after it (`收支预算总表公开表一` → `收支预算总表`).
fn caption_text(t: &str) -> String {
    let t = match numbering::split_label(t) {
        Some(l) if !l.rest.is_empty() => l.rest,
        _ => t.trim(),
    };
    LABEL_AFTER.replace(t, "").trim().to_string()
}

/// `公开表一` after a caption.
static LABEL_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(?:公开表[一二三四五六七八九十0-9]+|公开\s*[0-9]+\s*表)$").unwrap()
});

/// The text of a first row holding a single non-empty cell, in a table wider than one column.
fn spanning_first_row(table: &Table) -> Option<String> {
    let first = table.rows.first()?;
    let mut texts = first
        .cells
        .iter()
        .flatten()
        .filter(|c| !c.text.trim().is_empty());
    let only = texts.next()?;
    (texts.next().is_none() && table.n_cols() > 1 && is_caption(&only.text))
        .then(|| only.text.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;
    use crate::reader::text::parse;

    fn info(text: &str) -> Vec<TableInfo> {
        extract_tables(&parse(text, Format::Text, Some("utf-8")))
    }

    #[test]
    fn caption_and_unit_above() {
        let t = info(
            "二、收入决算表\n编制单位：某局    单位：万元\n\t项目\n\t金额\n\n\t合计\n\t1.00\n",
        );
        assert_eq!(t[0].title.as_deref(), Some("收入决算表"));
        assert_eq!(t[0].key, Some("income"));
        assert_eq!(t[0].unit.as_deref(), Some("万元"));
    }

    #[test]
    fn title_in_a_spanning_first_row() {
        let t = info("（三）相关建议。在下一步工作中，继续完善。\n\n\t2021年部门预算项目绩效目标自评\n\n\t项目名称\n\t某项目\n");
        assert_eq!(
            t[0].title.as_deref(),
            Some("2021年部门预算项目绩效目标自评")
        );
        assert_eq!(t[0].key, Some("performance"));
        assert_eq!(t[0].unit, None);
    }
}

/// A total a summary table states (`本年收入合计 2,946.25`, `总计 2,995.39`), under the figure
/// key the narrative states it with, to compare the two.
#[derive(Debug, Clone, PartialEq)]
pub struct TableTotal {
    pub key: &'static str,
    pub value: rust_decimal::Decimal,
    pub raw: String,
    pub loc: Loc,
    pub cell: (usize, usize),
}

/// Row labels of the summary tables and the figure keys they state, per table key.
const TOTAL_LABELS: &[(&str, &str, &str)] = &[
    ("income_expense", "本年收入合计", "total.income"),
    ("income_expense", "本年支出合计", "total.expense"),
    ("income_expense", "总计", "total.grand"),
    ("income_expense", "年初结转和结余", "carryover.begin"),
    ("income_expense", "年末结转和结余", "carryover.end"),
    ("appropriation", "总计", "appropriation.grand"),
];

/// The totals the summary tables state: the first amount right of each label cell.
pub fn table_totals(doc: &Document, tables: &[TableInfo]) -> Vec<TableTotal> {
    let mut out: Vec<TableTotal> = Vec::new();
    for info in tables {
        let (Some(key), Some(unit)) = (
            info.key,
            info.unit.as_deref().and_then(crate::money::Unit::parse),
        ) else {
            continue;
        };
        let BlockKind::Table(t) = &doc.blocks[info.block].kind else {
            continue;
        };
        // A `行次` column numbers the rows: its values are never amounts.
        let row_numbers: Vec<usize> = t
            .rows
            .iter()
            .flat_map(|row| {
                row.cells.iter().enumerate().filter_map(|(k, c)| {
                    let text = crate::text::compact(&c.as_ref()?.text);
                    (text == "行次" || text == "栏次").then_some(k)
                })
            })
            .collect();
        // The table's labels, in the list's order; each cell is compacted once to be
        // compared with them (compacting it for each label was 0.8% of a layout report's
        // instructions).
        let labels: Vec<&(&str, &str, &str)> =
            TOTAL_LABELS.iter().filter(|(k, _, _)| *k == key).collect();
        for (r, row) in t.rows.iter().enumerate() {
            let cells: Vec<&str> = row
                .cells
                .iter()
                .map(|c| c.as_ref().map_or("", |c| c.text.trim()))
                .collect();
            for (c, text) in cells.iter().enumerate() {
                if labels.is_empty() {
                    break;
                }
                let compacted = crate::text::compact(text);
                let Some(&&(_, _, fkey)) = labels.iter().find(|(_, l, _)| compacted == *l) else {
                    continue;
                };
                if out.iter().any(|x| x.key == fkey) {
                    continue;
                }
                let value = cells[c + 1..]
                    .iter()
                    .enumerate()
                    .filter(|(k, v)| {
                        // Layouts may shift a row number off its column: in a table with a
                        // 行次 column, a bare number of up to three digits is one.
                        let small_integer = v.len() <= 3 && v.chars().all(|ch| ch.is_ascii_digit());
                        row_numbers.is_empty()
                            || (!row_numbers.contains(&(c + 1 + k)) && !small_integer)
                    })
                    .find_map(|(k, v)| {
                        crate::money::to_yuan(v, unit).map(|y| (c + 1 + k, y, v.to_string()))
                    });
                if let Some((col, value, raw)) = value {
                    out.push(TableTotal {
                        key: fkey,
                        value,
                        raw,
                        loc: info.loc,
                        cell: (r, col),
                    });
                }
            }
        }
    }
    out
}
