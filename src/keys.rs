//! Canonical keys of sections and tables, kept as data (`data/section_keys.tsv`,
//! `data/table_keys.tsv`) so that a phrasing found in a new report is one row, not a branch.
//! Each row carries a real title it must match; a unit test holds every row to it.

use std::sync::LazyLock;

use regex::Regex;

/// One row of a key table.
#[derive(Debug)]
pub struct KeyPattern {
    pub key: &'static str,
    pub pattern: Regex,
    pub example: &'static str,
}

fn load(tsv: &'static str) -> Vec<KeyPattern> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let mut cols = l.split('\t');
            let (Some(key), Some(pattern), Some(example)) = (cols.next(), cols.next(), cols.next())
            else {
                panic!("key table row needs key, pattern and example: {l}")
            };
            KeyPattern {
                key,
                pattern: Regex::new(pattern)
                    .unwrap_or_else(|e| panic!("bad pattern {pattern}: {e}")),
                example,
            }
        })
        .collect()
}

/// Section keys in match order.
pub static SECTION_KEYS: LazyLock<Vec<KeyPattern>> =
    LazyLock::new(|| load(include_str!("../data/section_keys.tsv")));

/// Table keys in match order.
pub static TABLE_KEYS: LazyLock<Vec<KeyPattern>> =
    LazyLock::new(|| load(include_str!("../data/table_keys.tsv")));

fn first_match(table: &[KeyPattern], title: &str) -> Option<&'static str> {
    let compact = crate::text::compact(title);
    table
        .iter()
        .find(|k| k.pattern.is_match(&compact))
        .map(|k| k.key)
}

/// The canonical key a section title names (`收入决算情况说明` → `income`).
pub fn section_key(title: &str) -> Option<&'static str> {
    first_match(&SECTION_KEYS, title)
}

/// The canonical key a table caption names (`支出决算表` → `expense`).
pub fn table_key(caption: &str) -> Option<&'static str> {
    first_match(&TABLE_KEYS, caption)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_matches_its_own_example_and_resolves_to_its_key() {
        for k in SECTION_KEYS.iter() {
            assert_eq!(
                section_key(k.example),
                Some(k.key),
                "section example {}",
                k.example
            );
        }
        for k in TABLE_KEYS.iter() {
            assert_eq!(
                table_key(k.example),
                Some(k.key),
                "table example {}",
                k.example
            );
        }
    }

    #[test]
    fn titles_seen_in_real_reports() {
        for (title, key) in [
            ("部门概况", Some("overview")),
            ("上海市普陀区财政局概况", Some("overview")),
            ("基本职能及主要工作", Some("functions")),
            ("机构设置", Some("organization")),
            ("2021年度部门决算情况说明", Some("explanation")),
            ("收入支出决算总体情况说明", Some("income_expense")),
            ("收入决算情况说明", Some("income")),
            ("支出决算情况说明", Some("expense")),
            ("财政拨款收入支出决算总体情况说明", Some("appropriation")),
            (
                "一般公共预算财政拨款支出决算情况说明",
                Some("general_budget"),
            ),
            (
                "一般公共预算财政拨款基本支出决算情况说明",
                Some("basic_expense"),
            ),
            ("“三公”经费财政拨款支出决算情况说明", Some("three_public")),
            ("财政拨款“三公”经费支出决算情况说明", Some("three_public")),
            (
                "政府性基金预算财政拨款收入支出决算情况说明",
                Some("government_fund"),
            ),
            ("国有资本经营预算支出决算情况说明", Some("state_capital")),
            ("其他重要事项的情况说明", Some("other_matters")),
            ("名词解释", Some("glossary")),
            ("附件", Some("attachments")),
            ("2021年专项预算项目支出绩效自评报告", Some("performance")),
            ("部门预算编制说明", Some("explanation")),
            ("收入决算表", None),
            ("机关运行经费支出情况", None),
            ("政府采购支出情况", None),
        ] {
            assert_eq!(section_key(title), key, "{title}");
        }
        for (caption, key) in [
            ("收入决算表", Some("income")),
            ("支出决算表", Some("expense")),
            ("财政拨款收入支出决算总表", Some("appropriation")),
            ("收入支出决算总表", Some("income_expense")),
            ("一般公共预算财政拨款支出决算表", Some("general_budget")),
            (
                "一般公共预算财政拨款基本支出决算表",
                Some("general_budget_basic"),
            ),
            ("国有资本经营预算财政拨款支出决算表", Some("state_capital")),
            ("2025年部门财政拨款收支预算总表", Some("appropriation")),
            ("项目支出绩效目标表", Some("performance")),
            ("部门基本情况表", None),
        ] {
            assert_eq!(table_key(caption), key, "{caption}");
        }
    }
}
