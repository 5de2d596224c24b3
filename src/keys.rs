//! Canonical keys of sections and tables, kept as data (`data/section_keys.tsv`,
//! `data/table_keys.tsv`) so that a phrasing found in a new report is one row, not a branch.
//! Each row carries a real title it must match; a unit test holds every row to it.

use std::sync::LazyLock;

use crate::anchored::Anchored;
use crate::prefilter::Prefilter;

/// One row of a key table.
pub struct KeyPattern {
    pub key: &'static str,
    /// The regex over a compacted title, as written in the table.
    pub pattern: &'static str,
    /// The regex, compiled when a title first holds its literals, and run anchored where
    /// they start when it can be.
    regex: std::sync::OnceLock<Anchored>,
    pub example: &'static str,
}

impl std::fmt::Debug for KeyPattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPattern")
            .field("key", &self.key)
            .field("pattern", &self.pattern)
            .field("example", &self.example)
            .finish()
    }
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
                pattern,
                regex: std::sync::OnceLock::new(),
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

/// The rows of each table whose literals a title holds: a title was tried against every row's
/// regex in turn (2% of a text report's CPU); now only against those that can match.
static SECTION_DISPATCH: LazyLock<Prefilter> =
    LazyLock::new(|| Prefilter::new(SECTION_KEYS.iter().map(|k| k.pattern)));
static TABLE_DISPATCH: LazyLock<Prefilter> =
    LazyLock::new(|| Prefilter::new(TABLE_KEYS.iter().map(|k| k.pattern)));

fn first_match(table: &[KeyPattern], dispatch: &Prefilter, title: &str) -> Option<&'static str> {
    let compact = crate::text::compact(title);
    dispatch
        .candidate_starts(&compact)
        .into_iter()
        .find(|(i, starts)| {
            let row = &table[*i];
            // The dispatch gives starts exactly when the row can be anchored.
            row.regex
                .get_or_init(|| Anchored::given(row.pattern, starts.is_some()))
                .is_match_at(&compact, starts.as_deref().unwrap_or_default())
        })
        .map(|(i, _)| table[i].key)
}

/// The canonical key a section title names (`收入决算情况说明` → `income`).
pub fn section_key(title: &str) -> Option<&'static str> {
    first_match(&SECTION_KEYS, &SECTION_DISPATCH, title)
}

/// The canonical key a table caption names (`支出决算表` → `expense`).
pub fn table_key(caption: &str) -> Option<&'static str> {
    first_match(&TABLE_KEYS, &TABLE_DISPATCH, caption)
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    /// The dispatch never changes the answer: on every line of the samples and the corpus
    /// texts, and on every row's example, the key is the first row whose regex matches.
    #[test]
    fn the_dispatch_gives_the_first_matching_row() {
        let texts = crate::test_texts::sample_and_corpus_texts();
        let examples: Vec<&str> = SECTION_KEYS
            .iter()
            .chain(TABLE_KEYS.iter())
            .map(|k| k.example)
            .collect();
        let mut keyed = 0;
        let plain = |table: &[KeyPattern]| -> Vec<Regex> {
            table
                .iter()
                .map(|k| Regex::new(k.pattern).unwrap())
                .collect()
        };
        let (sections, tables) = (plain(&SECTION_KEYS), plain(&TABLE_KEYS));
        for line in texts.iter().flat_map(|t| t.lines()).chain(examples) {
            let compact = crate::text::compact(line);
            for (table, regexes, dispatched) in [
                (&*SECTION_KEYS, &sections, section_key(line)),
                (&*TABLE_KEYS, &tables, table_key(line)),
            ] {
                let want = table
                    .iter()
                    .zip(regexes)
                    .find(|(_, re)| re.is_match(&compact))
                    .map(|(k, _)| k.key);
                assert_eq!(dispatched, want, "{line}");
                keyed += usize::from(want.is_some());
            }
        }
        assert!(keyed > 100, "{keyed} lines keyed");
    }

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
            ("一般公共预算当年拨款情况", Some("general_budget")),
            // The year before the title, `部门`, no `总体`, or `总体` where the template has none.
            ("2022年度收入决算情况说明", Some("income")),
            ("2022年度支出决算情况说明", Some("expense")),
            ("部门收入决算情况", Some("income")),
            ("收入预算总体情况", Some("income")),
            ("支出预算总体情况", Some("expense")),
            ("财政拨款收入支出决算情况说明", Some("appropriation")),
            ("财政拨款收支预算情况", Some("appropriation")),
            ("预算绩效管理工作开展情况", Some("performance")),
            ("收入支出决算表说明", None),
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
            // The national 部门预算 template's captions, and one without `总`.
            ("部门收支总表", Some("income_expense")),
            ("部门收入总表", Some("budget_income")),
            ("部门支出总表", Some("budget_expense")),
            ("财政拨款收支总表", Some("appropriation")),
            ("一般公共预算支出表", Some("budget_general")),
            ("一般公共预算基本支出表", Some("general_budget_basic")),
            ("一般公共预算“三公”经费支出表", Some("three_public")),
            ("收入支出决算表", Some("income_expense")),
            ("财政拨款收入支出决算表", Some("appropriation")),
        ] {
            assert_eq!(table_key(caption), key, "{caption}");
        }
    }

    /// Every key the code names is a key of the data, so that a typo cannot silently switch a
    /// phrase or a rule off: figure keys (`"general_budget.expense"`), table keys compared with
    /// `key`/`table` or listed in a `…TABLES` constant, section keys tested with `contains`.
    #[test]
    fn every_key_named_in_code_exists_in_data() {
        let figure_keys: Vec<&str> = crate::extract::figures::figure_keys().collect();
        let table_keys: Vec<&str> = TABLE_KEYS
            .iter()
            .map(|k| k.key)
            .chain(["narrative"])
            .collect();
        let section_keys: Vec<&str> = SECTION_KEYS.iter().map(|k| k.key).collect();
        let dotted = Regex::new(r#""([a-z_]+\.[a-z_]+)""#).unwrap();
        let compared = Regex::new(r#"(?:key|table) == Some\(\*?"([a-z_]+)"\)"#).unwrap();
        let listed = Regex::new(r#"(?s)const [A-Z_]*TABLES: [^=]*= &\[(.*?)\];"#).unwrap();
        let literal = Regex::new(r#""([a-z_]+)""#).unwrap();
        let contains = Regex::new(r#"contains\(&"([a-z_]+)"\)"#).unwrap();
        // Keys are named by the extractors and the checks; the readers name file parts.
        let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![
            root.join("extract"),
            root.join("check"),
            root.join("record"),
        ];
        let mut checked = 0;
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let code = std::fs::read_to_string(&path).unwrap();
            // Tests name keys that do not exist on purpose; only the code proper counts.
            let code = code.split("#[cfg(test)]").next().unwrap_or_default();
            let name = path.display();
            for c in dotted.captures_iter(code) {
                let key = &c[1];
                // File names and module paths are no keys.
                if key.ends_with(".tsv") || key.ends_with(".rs") || key.ends_with(".md") {
                    continue;
                }
                assert!(
                    figure_keys.contains(&key),
                    "{name}: figure key {key} is not in data/figures.tsv"
                );
                checked += 1;
            }
            for c in compared.captures_iter(code) {
                assert!(
                    table_keys.contains(&&c[1]),
                    "{name}: table key {} is not in data/table_keys.tsv",
                    &c[1]
                );
                checked += 1;
            }
            for list in listed.captures_iter(code) {
                for c in literal.captures_iter(&list[1]) {
                    assert!(
                        table_keys.contains(&&c[1]),
                        "{name}: table key {} is not in data/table_keys.tsv",
                        &c[1]
                    );
                    checked += 1;
                }
            }
            for c in contains.captures_iter(code) {
                assert!(
                    section_keys.contains(&&c[1]),
                    "{name}: section key {} is not in data/section_keys.tsv",
                    &c[1]
                );
                checked += 1;
            }
        }
        assert!(checked > 50, "only {checked} keys found in the code");
    }
}
