//! The real reports of `../shared/corpus/reports/`, through the PDF path (pdftotext) and the
//! layout-text path. Skipped with a printed reason where the corpus or pdftotext is absent.

use crate::common;

use std::path::PathBuf;

use common::{corpus, dump, of_type, pdftotext_available, records};
use serde_json::Value;

const CZJ: &str = "gh_shpt_czj_2024_final_dept";

/// The `.layout.txt` always, the `.pdf` where pdftotext is available.
fn both(stem: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = corpus(&format!("{stem}.layout.txt")).into_iter().collect();
    if !out.is_empty() && pdftotext_available() {
        out.extend(corpus(&format!("{stem}.pdf")));
    }
    out
}

fn texts(blocks: &[Value], kind: &str) -> Vec<String> {
    blocks
        .iter()
        .filter(|b| b["kind"] == kind)
        .map(|b| b["text"].as_str().unwrap().to_string())
        .collect()
}

/// The table block whose caption (the nearest line above ending in 表) is `caption`.
fn table_after<'a>(blocks: &'a [Value], caption: &str) -> &'a Value {
    let i = blocks
        .iter()
        .position(|b| b["text"] == caption)
        .unwrap_or_else(|| panic!("no caption {caption}"));
    blocks[i..].iter().find(|b| b["kind"] == "table").unwrap()
}

/// The row of a table whose first cells are the given code parts.
fn row<'a>(table: &'a Value, codes: &[&str]) -> Vec<&'a str> {
    table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r.as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap_or(""))
                .collect::<Vec<_>>()
        })
        .find(|r| r.len() >= codes.len() && r[..codes.len()] == *codes)
        .unwrap_or_else(|| panic!("no row {codes:?}"))
}

#[test]
fn czj_headings_and_paragraphs_are_whole() {
    for path in both(CZJ) {
        let blocks = dump(&path);
        let headings = texts(&blocks, "heading");
        for h in [
            "第一部分 上海市普陀区财政局概况",
            "第三部分上海市普陀区财政局2024年度部门决算情况说明",
            "五、一般公共预算财政拨款支出决算情况说明",
            "（三）一般公共预算财政拨款支出决算具体情况",
            "十一、其他重要事项的情况说明",
            "第四部分 名词解释",
        ] {
            assert!(
                headings.iter().any(|x| x == h),
                "{}: no heading {h}",
                path.display()
            );
        }
        // The table of contents is gone: 第一部分 is a heading once.
        assert_eq!(
            headings.iter().filter(|h| h.contains("财政局概况")).count(),
            1
        );
        let paragraphs = texts(&blocks, "paragraph");
        let item = paragraphs
            .iter()
            .find(|p| p.starts_with("1、一般公共服务支出（类）财政事务（款）行政运行（项）"))
            .unwrap();
        assert!(
            item.contains("年初预算为 1560.05 万元，支出决算为1511.89万元。"),
            "{item}"
        );
        assert!(paragraphs.iter().any(|p| p
            == "上海市普陀区财政局2024年度收入支出总计2995.39万元。与2023年度相比，收入支出总计减少56.95万元，下降1.87%。主要原因：基本支出中人员进出及退休变化，以及项目支出中合同支付进度条款等原因减少支付。"));
    }
}

#[test]
fn czj_code_tables_keep_codes_names_and_columns() {
    for path in both(CZJ) {
        let blocks = dump(&path);
        let income = table_after(&blocks, "收入决算表");
        let header: Vec<&str> = income["rows"][0]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| *h == name)
                .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
        };
        let (total, appropriation, other) =
            (col("本年收入合计"), col("财政拨款收入"), col("其他收入"));
        let r = row(income, &["201", "06", "01"]);
        assert_eq!(
            (r[3], r[total], r[appropriation], r[other]),
            ("行政运行", "1,511.90", "1,511.89", "0.01")
        );
        // Vanished cells stay empty in their own column.
        let r = row(income, &["201", "06", "07"]);
        assert_eq!(
            (r[total], r[appropriation], r[other]),
            ("135.25", "135.25", "")
        );
        // A name wrapped below its row is put back whole.
        let r = row(income, &["208", "05", "05"]);
        assert_eq!(
            (r[3], r[total]),
            ("机关事业单位基本养老保险缴费支出", "160.75")
        );
        let r = row(income, &["208", "05", "06"]);
        assert_eq!((r[3], r[total]), ("机关事业单位职业年金缴费支出", "80.38"));
        // A row continued on the next page.
        let r = row(income, &["221", "02", "03"]);
        assert_eq!(
            (r[3], r[total], r[appropriation]),
            ("购房补贴", "258.50", "258.50")
        );

        let expense = table_after(&blocks, "支出决算表");
        let header: Vec<&str> = expense["rows"][0]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let basic = header.iter().position(|h| *h == "基本支出").unwrap();
        let project = header.iter().position(|h| *h == "项目支出").unwrap();
        // Values printed above their row are merged into it.
        let r = row(expense, &["201", "", ""]);
        assert_eq!(
            (r[3], r[basic], r[project]),
            ("一般公共服务支出", "1,503.52", "603.14")
        );
        let r = row(expense, &["201", "06", "02"]);
        assert_eq!((r[basic], r[project]), ("", "10.00"));

        let general = table_after(&blocks, "一般公共预算财政拨款支出决算表");
        let r = row(general, &["208", "05", "05"]);
        assert_eq!(
            r[3..=5],
            ["机关事业单位基本养老保险缴费支出", "160.75", "160.75"]
        );
        let r = row(general, &["201", "06", "01"]);
        assert_eq!(r[3..], ["行政运行", "1,511.89", "1,503.52", "8.37"]);
    }
}

#[test]
fn every_corpus_report_gives_its_document_and_sections() {
    let cases = [
        (CZJ, Some("上海市普陀区财政局"), 2024, "final_accounts"),
        (
            "gh_shpt_czj_2024_final_dept_MODIFIED_by_repo_author",
            Some("上海市普陀区财政局"),
            2024,
            "final_accounts",
        ),
        (
            "gh_sh_template_2024_final_dept_placeholderXX",
            None,
            2024,
            "final_accounts",
        ),
        (
            "gh_shpt_zfb_2025_budget_dept",
            Some("上海市普陀区人民政府办公室"),
            2025,
            "budget",
        ),
    ];
    for (stem, unit, year, kind) in cases {
        for path in both(stem) {
            let r = records(&path);
            let doc = &r[0];
            assert_eq!(doc["type"], "document", "{}", path.display());
            assert_eq!(doc["unit"].as_str(), unit, "{}", path.display());
            assert_eq!(doc["year"], year, "{}", path.display());
            assert_eq!(doc["report_kind"], kind, "{}", path.display());
            let keys: Vec<&str> = of_type(&r, "section")
                .iter()
                .filter_map(|s| s["key"].as_str())
                .collect();
            let expected: &[&str] = if kind == "budget" {
                // The budget report titles its parts without numbers, centred
                // (`上海市普陀区人民政府办公室主要职能`, `2025年部门预算编制说明`).
                &[
                    "functions",
                    "organization",
                    "glossary",
                    "explanation",
                    "other_matters",
                    "three_public",
                    "performance",
                ]
            } else if stem.contains("template") {
                // The template's `二、部门决算单位构成（仅有一个单位的部门，本部分内容为“机构设置”）`
                // carries an editing note with a comma, so it reads as a sentence, not a heading.
                &[
                    "overview",
                    "functions",
                    "explanation",
                    "income_expense",
                    "income",
                    "expense",
                    "appropriation",
                    "general_budget",
                    "basic_expense",
                    "three_public",
                    "government_fund",
                    "state_capital",
                    "performance",
                    "other_matters",
                    "glossary",
                ]
            } else {
                &[
                    "overview",
                    "functions",
                    "organization",
                    "explanation",
                    "income_expense",
                    "income",
                    "expense",
                    "appropriation",
                    "general_budget",
                    "three_public",
                    "performance",
                    "other_matters",
                    "glossary",
                ]
            };
            for k in expected {
                assert!(
                    keys.contains(k),
                    "{}: no section {k} in {keys:?}",
                    path.display()
                );
            }
            if path.extension().unwrap() == "pdf" {
                assert_eq!(doc["format"], "pdf");
            }
        }
    }
}

#[test]
fn pdf_and_layout_text_give_the_same_records() {
    let paths = both(CZJ);
    if paths.len() < 2 {
        return;
    }
    let strip = |r: Vec<Value>| -> Vec<Value> {
        common::content(&r)
            .into_iter()
            .map(|mut v| {
                v.as_object_mut().unwrap().remove("format");
                v
            })
            .collect()
    };
    assert_eq!(strip(records(&paths[0])), strip(records(&paths[1])));
}

/// Every block and record read from a PDF or its layout text carries the page it is printed
/// on (checked against `pdftotext -f N -l N`): the 行政运行 statement on page 22, the
/// 2080505 rows of the 收入决算表 on page 8 and of the 一般公共预算财政拨款支出决算表 on page 15.
#[test]
fn blocks_and_records_carry_their_page() {
    for path in both(CZJ) {
        let blocks = dump(&path);
        assert!(blocks.iter().all(|b| b["loc"]["page"].is_u64()));
        let statement = blocks
            .iter()
            .find(|b| {
                b["text"].as_str().is_some_and(|t| {
                    t.starts_with("1、一般公共服务支出（类）财政事务（款）行政运行")
                })
            })
            .unwrap();
        assert_eq!(statement["loc"]["page"], 22, "{}", path.display());
        let r = records(&path);
        let narrative = of_type(&r, "line_item")
            .into_iter()
            .find(|i| i["table"] == "narrative" && i["code"] == "2010601")
            .unwrap();
        assert_eq!(narrative["loc"]["page"], 22);
        let page_of = |table: &str| {
            of_type(&r, "line_item")
                .into_iter()
                .find(|i| i["table"] == table && i["code"] == "2080505")
                .unwrap()["loc"]["page"]
                .clone()
        };
        assert_eq!(
            (page_of("income"), page_of("general_budget")),
            (8.into(), 15.into())
        );
        assert!(r
            .iter()
            .filter(|x| x["type"] != "document")
            .all(|x| x["loc"]["page"].is_u64()));
    }
}

const ALL_STEMS: &[&str] = &[
    CZJ,
    "gh_shpt_czj_2024_final_dept_MODIFIED_by_repo_author",
    "gh_sh_template_2024_final_dept_placeholderXX",
    "gh_shpt_zfb_2025_budget_dept",
    "gh_js_jcy_2017_budget_dept",
    "gh_js_jcy_2018_budget_dept",
    "gh_js_jcy_2019_budget_dept",
    "gh_js_rdbgt_2019_budget_dept_narr",
    "gh_js_rdbgt_2019_budget_dept_tables",
];

/// On every corpus report, PDF and layout text: each narrative statement is one paragraph (no
/// paragraph starts with what can only continue another: closing punctuation or a bare
/// `万元`, except a note's stray colon under a table; every numbered 类/款/项 statement holds its
/// amount), every block has its page, and every code row that the report's own text prints on
/// one line (`201   06   01   行政运行   1,511.90 …`, `2040401 行政运行 12,268.62`) is a table
/// line item with that full code and that first amount.
#[test]
fn every_statement_whole_and_every_code_row_with_its_code() {
    let continuation =
        regex::Regex::new(r"^(?:[。，、；）)”’%％]|(?:万元|亿元|元)[，。；])").unwrap();
    let statement = regex::Regex::new(r"^[0-9]+[、.．].{0,30}（类）").unwrap();
    let amount = regex::Regex::new(r"[0-9X]\s*(?:万元|元)").unwrap();
    let code_row = regex::Regex::new(
        r"(?m)^\s{0,3}(?:([0-9]{3})\s+([0-9]{2})\s+([0-9]{2})|([0-9]{7}))\s+([^\s0-9][^\s]*)\s+(-?[0-9][0-9,]*\.[0-9]{2})(?:\s|$)",
    )
    .unwrap();
    for stem in ALL_STEMS {
        let Some(layout) = corpus(&format!("{stem}.layout.txt")) else {
            return;
        };
        let source = std::fs::read_to_string(&layout).unwrap();
        for path in both(stem) {
            let blocks = dump(&path);
            for (k, b) in blocks.iter().enumerate() {
                assert!(b["loc"]["page"].as_u64().is_some_and(|p| p >= 1));
                let Some(t) = b["text"].as_str() else {
                    continue;
                };
                let after_table = k > 0 && blocks[k - 1]["kind"] == "table";
                assert!(
                    !continuation.is_match(t) || (after_table && t.starts_with('：')),
                    "{}: a continuation stands alone: {t}",
                    path.display()
                );
                if statement.is_match(t) && t.contains("（款）") {
                    assert!(
                        amount.is_match(t),
                        "{}: a statement without its amount: {t}",
                        path.display()
                    );
                }
            }
            let r = records(&path);
            let rows: Vec<&Value> = of_type(&r, "line_item")
                .into_iter()
                .filter(|i| i["table"] != "narrative")
                .collect();
            let mut checked = 0;
            for m in code_row.captures_iter(&source) {
                let code = match m.get(4) {
                    Some(c) => c.as_str().to_string(),
                    None => format!("{}{}{}", &m[1], &m[2], &m[3]),
                };
                let first = &m[6];
                assert!(
                    rows.iter().any(|i| i["code"] == code.as_str()
                        && i["raw"].as_str().unwrap().contains(first)),
                    "{}: no table row {code} with {first}",
                    path.display()
                );
                checked += 1;
            }
            if !stem.contains("narr") && !stem.contains("placeholder") {
                assert!(
                    checked >= 10,
                    "{}: only {checked} code rows",
                    path.display()
                );
            }
        }
    }
}

/// Unit, year and kind of the Jiangsu reports: covers with the year on the line below the
/// unit (`江苏省人民检察院` / `2017 年部门预算`), the contents between cover and body, and a
/// file that holds only the tables (`部门名称：江苏省人大常委会办公厅` in their headers).
#[test]
fn jiangsu_reports_give_unit_year_and_kind() {
    for (stem, unit, year) in [
        ("gh_js_jcy_2017_budget_dept", "江苏省人民检察院", 2017),
        ("gh_js_jcy_2018_budget_dept", "江苏省人民检察院", 2018),
        ("gh_js_jcy_2019_budget_dept", "江苏省人民检察院", 2019),
        (
            "gh_js_rdbgt_2019_budget_dept_narr",
            "江苏省人大常委会办公厅",
            2019,
        ),
        (
            "gh_js_rdbgt_2019_budget_dept_tables",
            "江苏省人大常委会办公厅",
            2019,
        ),
    ] {
        for path in both(stem) {
            let r = records(&path);
            assert_eq!(
                (&r[0]["unit"], &r[0]["year"], &r[0]["report_kind"]),
                (&unit.into(), &year.into(), &"budget".into()),
                "{}",
                path.display()
            );
        }
    }
}

/// Every amount of a corpus report's narrative that no figure or line item takes, each a
/// deliberate choice (the reason above it). A new unread amount, or one now read, fails here:
/// the list is kept as the extractors change.
#[test]
fn every_unread_amount_is_a_known_choice() {
    let unread = |path: &std::path::Path| -> Vec<String> {
        let bytes = std::fs::read(path).unwrap();
        let doc = juesuan::reader::read(path, &bytes, &Default::default()).unwrap();
        let squeeze = |s: &str| s.split_whitespace().collect::<String>();
        juesuan::extract::extract(&doc)
            .unread
            .iter()
            .map(|u| format!("{} | {}", squeeze(&u.raw), squeeze(&u.context)))
            .collect()
    };
    let cases: [(&str, &[&str]); 9] = [
        // `基本支出 12323.48 万元` restates `基本支出预算数为 12323.46 万元`: read, as the
        // contradiction `every_fail_on_a_real_report_is_a_real_contradiction` names.
        ("gh_js_jcy_2017_budget_dept", &[]),
        (
            "gh_js_jcy_2018_budget_dept",
            &[
                // Causes of a change, in prose.
                "1,653万元 | 这一因素较上年减少部门支出1,653万元",
                "1,464.3万元 | 增加部门预算1,464.3万元",
                // Last year's reserve, in parentheses after this year's.
                "140.2万元 | 247.84万元（上年财政仅安排省检察院本级预留机动140.2万元）",
            ],
        ),
        // The cause of a change.
        (
            "gh_js_jcy_2019_budget_dept",
            &["240万元 | 主要原因一是省纪委监委自省检察院本级划转240万元办案费"],
        ),
        // Causes of changes: sub-items of spending named in prose, which are no line items.
        (
            "gh_js_rdbgt_2019_budget_dept_narr",
            &[
                "200万元 | 江苏省第十三届人代会二次会议经费专项增加200万元",
                "200万元 | 外事经费专项增加200万元",
                "55万元 | 信息化建设经费专项增加55万元",
                "209万元 | 增加综合管理费209万元用于办公用房租赁",
                "200万元 | 增加外事经费200万元",
                "200万元 | 主要原因是增加了江苏省第十三届人代会二次会议专项经费200万元",
                "23.3万元 | 主要原因是增加省人大立法研究所办公用房以及省级老同志阅文室专项经费23.3万元",
                "35万元 | 信息化建设经费增加35万元",
                "10万元 | 扶贫经费压减10万元",
                "200万元 | 根据实际开支人代会专项经费增加200万元",
                "1000元 | 主要原因是工会经费人均定额增加1000元",
            ],
        ),
        ("gh_js_rdbgt_2019_budget_dept_tables", &[]),
        ("gh_sh_template_2024_final_dept_placeholderXX", &[]),
        // pdftotext prints these lines out of order (a two-column layout it misreads), so the
        // statement they belong to is cut apart; the MODIFIED copy, printed in order, reads
        // them all.
        (
            "gh_shpt_czj_2024_final_dept",
            &[
                "603.14万元 | 603.14万元",
                "161.62万元 | 6、社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老161.62万元",
                "160.75万元 | 支出决算为160.75万元",
            ],
        ),
        ("gh_shpt_czj_2024_final_dept_MODIFIED_by_repo_author", &[]),
        ("gh_shpt_zfb_2025_budget_dept", &[]),
    ];
    let mut seen = 0;
    for (stem, want) in cases {
        for path in both(stem) {
            seen += 1;
            assert_eq!(unread(&path), *want, "{}", path.display());
        }
    }
    if seen == 0 {
        eprintln!("skipped: ../shared/corpus is absent");
    }
}
