//! Who reported, for which year, and what kind of report: from the title, the header lines and
//! the template's recurring phrases, never from the file name.
//!
//! The most reliable statement is the scope sentence every 部门决算 carries:
//! `纳入攀枝花市西区玉泉街道办事处2021年度部门决算编制范围的二级预算单位包括：无。`
//! Then the cover title (`上海市普陀区财政局` / `2024年度部门决算`, two lines on a PDF cover),
//! then header fields such as `预算主管部门：上海市普陀区人民政府办公室`.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{BlockKind, Document};
use crate::text::compact;

/// 决算 or 预算.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    FinalAccounts,
    Budget,
}

impl ReportKind {
    fn from_word(w: &str) -> ReportKind {
        if w == "预算" {
            ReportKind::Budget
        } else {
            ReportKind::FinalAccounts
        }
    }
}

/// What the document says about itself.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Meta {
    pub unit: Option<String>,
    pub year: Option<i32>,
    pub kind: Option<ReportKind>,
    pub title: Option<String>,
}

/// `纳入上海市普陀区财政局2024年度部门决算编制范围` (on whitespace-free text).
static SCOPE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"纳入(\p{Han}[^，。；：,;:]{1,60}?)((?:19|20)\d{2})年度?(?:部门|单位)?(决算|预算)编制范围",
    )
    .unwrap()
});

/// A cover title: `2024年度部门决算`, `上海市普陀区2025年区级部门预算`,
/// `攀枝花市西区玉泉街道办事处2021年部门决算`.
static TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^(\p{{Han}}[^，。；：,;:{NOT_IN_TITLE}]{{0,40}}?)?((?:19|20)\d{{2}})年度?[^，。；：,;:]{{0,8}}?(?:部门|单位)(决算|预算){TITLE_TAIL}$")).unwrap()
});

/// Characters of a web page's breadcrumb (`首页 > 信息公开`) or a site's title bar
/// (`… | 某某市人民政府`), which a unit's name never holds.
const NOT_IN_TITLE: &str = r">＞|｜/»›_";

/// What may follow `部门决算` in a title: `报告`, `公开`, `公开说明`, `情况说明`, `信息公开`, and a
/// second subject (`部门预算及“三公”经费预算公开说明`).
const TITLE_TAIL: &str =
    r"(?:及[^，。；：,;:]{0,16}?)?(?:信息)?(?:公开)?(?:情况)?(?:说明|报告)?(?:书)?";

/// `预算主管部门：上海市普陀区人民政府办公室`, `部门名称：…`, `单位名称：…`, `预算单位：青禾区档案馆`,
/// and a tables-only file's header `部门：云岭省档案局              单位：万元`.
static UNIT_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:预算主管部门|主管部门|部门名称|单位名称|编制单位|编制部门|预算单位|部门)[：:](\p{Han}[^，。；,;：:]{1,40}?)(?:(?:金额)?单位[：:].*)?$",
    )
    .unwrap()
});

/// A cover title with the year first: `2027年度云岭省档案局部门预算公开`.
static TITLE_YEAR_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^((?:19|20)\d{{2}})年度?(\p{{Han}}[^，。；：,;:0-9{NOT_IN_TITLE}]{{1,40}}?)(?:部门|单位)(决算|预算){TITLE_TAIL}$")).unwrap()
});

/// `第一部分 云岭县青禾街道办事处概况`: with no cover, the unit the overview part is named for
/// (the template's own `部门概况` names none).
static OVERVIEW: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^第[一1]部分(\p{Han}[^，。；：,;:0-9]{2,30}?)(?:基本)?概况$").unwrap()
});

/// A table caption that states its year: `2027年部门收支预算总表`, `2024年度收入决算表`.
static CAPTION_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"((?:19|20)\d{2})年度?[^，。；：0-9]{0,12}?(决算|预算)[^，。；：0-9]{0,8}表")
        .unwrap()
});

/// `云岭省档案局主要职责是……`: with no cover, the subject of the opening sentences.
static SUBJECT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\p{Han}[^，。；：,;:0-9]{2,30}?)(?:的)?主要(?:职责|职能)(?:是|为|有|[：:])")
        .unwrap()
});

/// Prefixes a cover may drop that the body keeps (`云岭省委宣传部` on the cover,
/// `中共云岭省委宣传部` in the text): the fuller form is the unit.
const DROPPED_PREFIXES: &[&str] = &["中国共产党", "中共"];

/// `2021年度部门决算` anywhere, to vote on year and kind when nothing better is stated.
static YEAR_KIND: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})年度?(?:部门|单位)(决算|预算)").unwrap());

/// A unit name, not a pronoun like `本部门` or a template placeholder.
fn plausible_unit(s: &str) -> bool {
    s.chars().count() >= 3
        && !s.starts_with(['本', '我', '该', '各'])
        && !s.contains("XX")
        && !s.contains("××")
}

/// How many leading blocks may hold the cover (title, unit lines).
const COVER_BLOCKS: usize = 12;

/// The text with each year written in Chinese numerals (`二〇二三年度部门决算`, `二○二三年`,
/// `二零二三年`: formal covers) in digits, so the cover's title reads as any other.
fn arabic_years(text: &str) -> String {
    const DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    let digit = |c: char| match c {
        '○' | '零' | 'Ｏ' => Some(0),
        c => DIGITS.iter().position(|&d| d == c),
    };
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let year = chars.get(i..i + 5).and_then(|w| {
            let ds: Option<Vec<usize>> = w[..4].iter().map(|&c| digit(c)).collect();
            ds.filter(|ds| w[4] == '年' && matches!(ds[..2], [1, 9] | [2, 0]))
        });
        match year {
            Some(ds) => {
                out.extend(ds.iter().map(|&d| char::from(b'0' + d as u8)));
                i += 4;
            }
            None => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// Reads the document's own statements about unit, year, kind and title.
pub fn extract_meta(doc: &Document) -> Meta {
    let mut meta = Meta::default();

    // Cover: paragraphs before the first heading or table.
    let cover: Vec<String> = doc
        .blocks
        .iter()
        .take(COVER_BLOCKS)
        .take_while(|b| matches!(b.kind, BlockKind::Paragraph(_)))
        .filter_map(|b| b.text().map(|t| arabic_years(&compact(t))))
        .collect();
    // A title may be wrapped over up to three cover lines (`2027 年度` / `云岭省档案局` /
    // `部门预算公开`, `云岭省农业机械化` / `技术推广站2027年度部门预算`): the longest span
    // from the earliest line that reads as one wins.
    let mut title_unit = None;
    'cover: for i in 0..cover.len() {
        for k in (1..=3.min(cover.len() - i)).rev() {
            let joined: String = cover[i..i + k].concat();
            if let Some(c) = TITLE_YEAR_FIRST.captures(&joined) {
                title_unit = Some(c[2].to_string());
                meta.title = Some(joined.clone());
                meta.year = c[1].parse().ok();
                meta.kind = Some(ReportKind::from_word(&c[3]));
                break 'cover;
            }
            if let Some(c) = TITLE.captures(&joined) {
                title_unit = c.get(1).map(|m| m.as_str().to_string());
                meta.title = Some(joined.clone());
                meta.year = c[2].parse().ok();
                meta.kind = Some(ReportKind::from_word(&c[3]));
                break 'cover;
            }
        }
    }
    let field_unit = cover
        .iter()
        .find_map(|l| UNIT_FIELD.captures(l).map(|c| c[1].to_string()));

    // The scope sentence.
    let mut scope_unit = None;
    for b in &doc.blocks {
        let Some(text) = b.text() else { continue };
        if !text.contains("纳入") {
            continue;
        }
        if let Some(c) = SCOPE.captures(&compact(text)) {
            if plausible_unit(&c[1]) {
                scope_unit = Some(c[1].to_string());
                meta.year = meta.year.or_else(|| c[2].parse().ok());
                meta.kind = meta.kind.or(Some(ReportKind::from_word(&c[3])));
                break;
            }
        }
    }
    let subject_unit = || {
        doc.blocks
            .iter()
            .take(40)
            .filter_map(|b| b.text())
            .find_map(|t| SUBJECT.captures(&compact(t)).map(|c| c[1].to_string()))
    };
    meta.unit = [scope_unit, field_unit, title_unit]
        .into_iter()
        .flatten()
        .find(|u| plausible_unit(u))
        .or_else(|| subject_unit().filter(|u| plausible_unit(u)))
        .or_else(|| {
            doc.blocks
                .iter()
                .take(40)
                .filter_map(|b| b.text())
                .find_map(|t| OVERVIEW.captures(&compact(t)).map(|c| c[1].to_string()))
                .filter(|u| plausible_unit(u))
        });
    if let Some(unit) = &meta.unit {
        // Each place the unit is named (overlapping ones too), with the text before it: one
        // search for the unit instead of one pass over the document per prefix.
        let finder = memchr::memmem::Finder::new(unit.as_bytes());
        let mut befores: Vec<&str> = Vec::new();
        for t in doc.blocks.iter().filter_map(|b| b.text()) {
            let mut from = 0;
            while let Some(at) = finder.find(&t.as_bytes()[from..]) {
                befores.push(&t[..from + at]);
                from += at + 1;
            }
        }
        let fuller = DROPPED_PREFIXES
            .iter()
            .find(|p| befores.iter().any(|b| b.ends_with(**p)));
        if let Some(p) = fuller {
            meta.unit = Some(format!("{p}{unit}"));
        }
    }

    if meta.year.is_none() || meta.kind.is_none() {
        let (year, kind) = vote(doc);
        meta.year = meta.year.or(year);
        meta.kind = meta.kind.or(kind);
    }
    // A file holding only the tables: their captions state year and kind
    // (`2027年部门收支预算总表`).
    if meta.year.is_none() || meta.kind.is_none() {
        let caption = doc.blocks.iter().filter_map(|b| b.text()).find_map(|t| {
            CAPTION_YEAR
                .captures(&compact(t))
                .map(|c| (c[1].parse().ok(), ReportKind::from_word(&c[2])))
        });
        if let Some((year, kind)) = caption {
            meta.year = meta.year.or(year);
            meta.kind = meta.kind.or(Some(kind));
        }
    }
    meta
}

/// The most frequent `YYYY年度部门决算|预算` phrase decides year and kind; ties decide nothing.
fn vote(doc: &Document) -> (Option<i32>, Option<ReportKind>) {
    let mut years: HashMap<i32, usize> = HashMap::new();
    let mut kinds: HashMap<&'static str, usize> = HashMap::new();
    for b in &doc.blocks {
        let Some(text) = b.text() else { continue };
        let text = compact(text);
        for c in YEAR_KIND.captures_iter(&text) {
            if let Ok(y) = c[1].parse() {
                *years.entry(y).or_default() += 1;
            }
            *kinds
                .entry(if &c[2] == "预算" {
                    "预算"
                } else {
                    "决算"
                })
                .or_default() += 1;
        }
    }
    (
        unique_max(&years).copied(),
        unique_max(&kinds).map(|k| ReportKind::from_word(k)),
    )
}

fn unique_max<K: Eq + std::hash::Hash>(counts: &HashMap<K, usize>) -> Option<&K> {
    let max = counts.values().max()?;
    let mut best = counts.iter().filter(|(_, n)| *n == max);
    let first = best.next()?;
    best.next().is_none().then_some(first.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;
    use crate::reader::text::parse;

    fn meta(text: &str) -> Meta {
        extract_meta(&parse(text, Format::Text, Some("utf-8")))
    }

    #[test]
    fn scope_sentence_gives_unit_year_and_kind() {
        let m = meta("第一部分部门概况\n纳入攀枝花市西区玉泉街道办事处2021年度部门决算编制范围的二级预算单位包括：无。\n");
        assert_eq!(m.unit.as_deref(), Some("攀枝花市西区玉泉街道办事处"));
        assert_eq!(m.year, Some(2021));
        assert_eq!(m.kind, Some(ReportKind::FinalAccounts));
        assert_eq!(m.title, None, "the text states no title");
    }

    #[test]
    fn cover_title_over_two_lines() {
        let m = meta("上海市普陀区财政局\n2024年度部门决算\n目 录\n第一部分 概况\n纳入上海市普陀区财政局 2024 年度部门决算编制范\n");
        assert_eq!(
            m.title.as_deref(),
            Some("上海市普陀区财政局2024年度部门决算")
        );
        assert_eq!(m.unit.as_deref(), Some("上海市普陀区财政局"));
        assert_eq!(
            (m.year, m.kind),
            (Some(2024), Some(ReportKind::FinalAccounts))
        );
    }

    /// Formal covers write the year in Chinese numerals, with 〇, ○ or 零.
    #[test]
    fn a_year_in_chinese_numerals() {
        for (cover, year) in [
            ("某某县人民政府办公室\n二〇二三年度部门决算\n", 2023),
            ("某某县人民政府办公室\n二○一九年部门预算\n", 2019),
            ("某某县人民政府办公室二零二四年度部门预算\n", 2024),
        ] {
            let m = meta(cover);
            assert_eq!(m.unit.as_deref(), Some("某某县人民政府办公室"), "{cover}");
            assert_eq!(m.year, Some(year), "{cover}");
        }
        // Four numerals before 年 that are no year of this era stay as they are.
        assert_eq!(arabic_years("三四五六年"), "三四五六年");
        assert_eq!(arabic_years("共二〇二三年度"), "共2023年度");
    }

    #[test]
    fn budget_cover_with_competent_department() {
        let m = meta(
            "上海市普陀区2025年区级部门预算\n预算主管部门：上海市普陀区人民政府办公室\n目 录\n",
        );
        assert_eq!(m.unit.as_deref(), Some("上海市普陀区人民政府办公室"));
        assert_eq!((m.year, m.kind), (Some(2025), Some(ReportKind::Budget)));
        assert_eq!(m.title.as_deref(), Some("上海市普陀区2025年区级部门预算"));
    }

    /// Titles with the tails other provinces give them, and a report with no cover whose
    /// overview part names the unit.
    #[test]
    fn title_tails_and_the_overview_part() {
        for (text, unit, year, kind) in [
            (
                "某某市自然资源局2023年度部门决算公开说明\n",
                "某某市自然资源局",
                2023,
                ReportKind::FinalAccounts,
            ),
            (
                "某某市自然资源局2024年部门预算及“三公”经费预算公开说明\n",
                "某某市自然资源局",
                2024,
                ReportKind::Budget,
            ),
            (
                "2022年度青禾区档案馆单位决算信息公开\n",
                "青禾区档案馆",
                2022,
                ReportKind::FinalAccounts,
            ),
            (
                "目录\n第一部分 某某县人民政府某某街道办事处概况\n一、部门职责\n第二部分 2023年度部门决算情况说明\n",
                "某某县人民政府某某街道办事处",
                2023,
                ReportKind::FinalAccounts,
            ),
        ] {
            let m = meta(text);
            assert_eq!(
                (m.unit.as_deref(), m.year, m.kind),
                (Some(unit), Some(year), Some(kind)),
                "{text}"
            );
        }
        // A web page's breadcrumb above the title is no part of the unit.
        let m = meta("首页 > 信息公开 > 财政预决算\n某某市某某局2022年度部门决算\n");
        assert_eq!(m.unit.as_deref(), Some("某某市某某局"));
        // The template's own `部门概况` names no unit.
        assert_eq!(meta("第一部分 部门概况\n").unit, None);
    }

    /// The words' test answers as `str::contains` does, on every line of the samples and
    /// corpus.
    #[test]
    fn a_year_statements_words_are_found_as_contains_finds_them() {
        let mut held = 0;
        for text in crate::test_texts::sample_and_corpus_texts() {
            for line in text.lines().chain(["截至2024年12月31日", "单位预算", "部门", "算"]) {
                let want = line.contains('截')
                    || (line.contains('算') && (line.contains("部门") || line.contains("单位")));
                assert_eq!(holds_a_year_statements_words(line), want, "{line}");
                held += usize::from(want);
            }
        }
        assert!(held > 100, "{held} lines hold the words");
    }

    /// The placeholder test finds `XX`, `ＸＸ` and `××` wherever they are, in short and long
    /// texts, and nothing else: as a substring search does, on crafted texts and every line
    /// and table cell of the samples and corpus.
    #[test]
    fn placeholders_are_found_as_a_substring_search_finds_them() {
        let search = |t: &str| ["XX", "ＸＸ", "××"].iter().any(|p| t.contains(p));
        let long = "上海市普陀区财政局，".repeat(8);
        let mut texts: Vec<String> = vec![
            "XX".into(),
            "X".into(),
            "上海市普陀区XX局".into(),
            "XX万元".into(),
            "ＸＸ".into(),
            "Ｘ×".into(),
            "××".into(),
            "×Ｘ×".into(),
            "X×X".into(),
            "，：（）".into(),
            format!("{long}XX"),
            format!("{long}××"),
            format!("ＸＸ{long}"),
            long.clone(),
        ];
        for text in crate::test_texts::sample_and_corpus_texts() {
            texts.extend(text.lines().map(str::to_string));
            texts.extend(text.split(['\t', ' ']).map(str::to_string));
        }
        let mut found = 0;
        for t in &texts {
            assert_eq!(has_placeholder(t), search(t), "{t}");
            found += usize::from(search(t));
        }
        assert!(found >= 8, "{found} texts with a placeholder");
    }

    #[test]
    fn pronouns_and_placeholders_are_no_unit() {
        let m = meta("纳入本部门2022年度部门决算编制范围的单位包括：无。\n");
        assert_eq!(m.unit, None);
        assert_eq!(m.year, Some(2022), "the year is still stated");
        let m = meta("XX单位XX年度部门决算\n");
        assert_eq!((m.unit, m.year), (None, None));
    }
}

/// A year the report states for itself somewhere: `第三部分 上海市普陀区财政局 2023 年度部门决算情况说明`,
/// `截至2023年12月31日` (the assets date of a final account).
#[derive(Debug, Clone, PartialEq)]
pub struct YearStatement {
    pub year: i32,
    pub raw: String,
    pub loc: crate::model::Loc,
}

/// `截至2021年12月31日`, `截至2021年12月底`.
static AS_OF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"截[至止]((?:19|20)\d{2})年12月(?:31日|底|末)").unwrap());

/// Whether a year phrase between `before` and `after` is the other side of a comparison:
/// `与2026年度部门决算相比`, `比2026年度预算`, `较上年`.
pub(crate) fn is_comparison(before: &str, after: &str) -> bool {
    before.ends_with(['与', '比', '较', '同'])
        || ["相比", "比较", "对比", "持平", "增加", "减少"]
            .iter()
            .any(|w| after.starts_with(w))
}

/// Every statement of the report's own year: the `YYYY年度部门决算` phrase (of the report's
/// kind), and for final accounts the year-end date of the assets statement.
pub fn year_statements(doc: &Document, kind: Option<ReportKind>) -> Vec<YearStatement> {
    let mut out = Vec::new();
    for b in &doc.blocks {
        let Some(text) = b.text() else { continue };
        // Both statements need a year and their words (`部门` or `单位` with `决算` or `预算`;
        // `截`); most paragraphs have neither.
        if !crate::text::has_digit(text) || !holds_a_year_statements_words(text) {
            continue;
        }
        let c = compact(text);
        for m in YEAR_KIND.captures_iter(&c) {
            // `与2026年度部门决算相比`: a comparison names another year on purpose.
            let whole = m.get(0).unwrap();
            if is_comparison(&c[..whole.start()], &c[whole.end()..]) {
                continue;
            }
            if Some(ReportKind::from_word(&m[2])) == kind {
                if let Ok(year) = m[1].parse() {
                    out.push(YearStatement {
                        year,
                        raw: m[0].to_string(),
                        loc: b.loc,
                    });
                }
            }
        }
        if kind == Some(ReportKind::FinalAccounts) {
            for m in AS_OF.captures_iter(&c) {
                if let Ok(year) = m[1].parse() {
                    out.push(YearStatement {
                        year,
                        raw: m[0].to_string(),
                        loc: b.loc,
                    });
                }
            }
        }
    }
    out
}

/// Whether `text` holds `截`, or `算` with `部门` or `单位`: the words of a statement of the
/// report's year. Asked of every paragraph and cell: with `holds!`'s searchers, built once,
/// where `str::contains` builds one per call (1.5% of a text batch's samples, `perf`).
fn holds_a_year_statements_words(text: &str) -> bool {
    holds!(text, "截") || (holds!(text, "算") && (holds!(text, "部门") || holds!(text, "单位")))
}

/// A template's placeholder left in the text: `上海市普陀区XX局`, `XX万元`, `ＸＸ`, `××`.
/// The test runs on every table cell and paragraph. A short text is read a byte at a time
/// (each placeholder starts with a byte of its own: `X`, the fullwidth forms' `EF`, `×`'s
/// `C3`); a long one with a SIMD search per placeholder, built once (`holds!`). A regex call
/// cost 1.2% of a text report's CPU, and three searches on every short cell 1.5% (their
/// calls' own cost, `perf`).
fn has_placeholder(text: &str) -> bool {
    const PLACEHOLDERS: [&str; 3] = ["XX", "ＸＸ", "××"];
    let b = text.as_bytes();
    if b.len() > 64 {
        return holds!(text, "XX") || holds!(text, "ＸＸ") || holds!(text, "××");
    }
    (0..b.len()).any(|i| {
        matches!(b[i], b'X' | 0xEF | 0xC3)
            && PLACEHOLDERS.iter().any(|p| b[i..].starts_with(p.as_bytes()))
    })
}

/// The blocks that hold a template placeholder where a name or number belongs.
pub fn placeholders(doc: &Document) -> Vec<crate::model::Loc> {
    doc.blocks
        .iter()
        .filter(|b| match &b.kind {
            BlockKind::Table(t) => t
                .rows
                .iter()
                .flat_map(|r| r.cells.iter().flatten())
                .any(|c| has_placeholder(&c.text)),
            _ => b.text().is_some_and(has_placeholder),
        })
        .map(|b| b.loc)
        .collect()
}
