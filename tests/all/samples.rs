//! Golden snapshots of the full record stream of every file in `samples/`, and the facts the
//! foundation issue names, asserted value by value.

use crate::common;

use std::path::Path;

use common::{of_type, records, SAMPLE};

#[test]
fn golden_record_stream_of_every_sample() {
    insta::glob!("../../samples", "*.{txt,docx}", |path| {
        // A relative path, so the snapshot's `path` field is the same on every machine.
        let rel = Path::new("samples").join(path.file_name().unwrap());
        let lines: Vec<String> = juesuan::process(&rel, &Default::default())
            .iter()
            .map(|r| serde_json::to_string(r).unwrap())
            .collect();
        let name = rel.file_name().unwrap().to_str().unwrap().to_string();
        insta::with_settings!({snapshot_suffix => name, prepend_module_to_snapshot => false, snapshot_path => "../snapshots"}, {
            insta::assert_snapshot!("records", lines.join("\n"));
        });
    });
}

#[test]
fn sample_document_record() {
    let r = records(Path::new(SAMPLE));
    let doc = &r[0];
    assert_eq!(doc["type"], "document");
    assert_eq!(doc["unit"], "攀枝花市西区玉泉街道办事处");
    assert_eq!(doc["year"], 2021);
    assert_eq!(doc["report_kind"], "final_accounts");
    assert_eq!(doc["format"], "text");
    assert_eq!(doc["encoding"], "utf-8");
    assert_eq!(
        doc["title"],
        serde_json::Value::Null,
        "the sample states no title line"
    );
    assert_eq!(doc["doc"], "5d439c03c31ed26d");
    assert_eq!(
        doc["sha256"],
        "5d439c03c31ed26dfff33c574742cebb9c222392f23a0ce9085a3baf86054d15"
    );
    assert_eq!(doc["bytes"], 54727);
    assert_eq!(doc["counts"]["section"], of_type(&r, "section").len());
    assert_eq!(doc["counts"]["table"], 4);
}

#[test]
fn sample_has_every_canonical_section_key() {
    let r = records(Path::new(SAMPLE));
    let keys: Vec<&str> = of_type(&r, "section")
        .iter()
        .filter_map(|s| s["key"].as_str())
        .collect();
    for key in [
        "overview",
        "functions",
        "organization",
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
        "other_matters",
        "glossary",
        "attachments",
        "performance",
    ] {
        assert!(keys.contains(&key), "missing section key {key}");
    }
}

/// `(label, title, level, parent title, key)` of the sections the issue calls out.
#[test]
fn sample_sections_follow_the_documents_own_nesting() {
    let r = records(Path::new(SAMPLE));
    let sections = of_type(&r, "section");
    let by_id = |id: &serde_json::Value| {
        sections
            .iter()
            .find(|s| &s["id"] == id)
            .map(|s| s["title"].as_str().unwrap().to_string())
    };
    let find = |title: &str| {
        sections
            .iter()
            .find(|s| s["title"] == title)
            .unwrap_or_else(|| panic!("no section {title}"))
    };
    for (title, label, level, parent, key) in [
        ("部门概况", "第一部分", 1, None, Some("overview")),
        (
            "2021年度部门决算情况说明",
            "第二部分",
            1,
            None,
            Some("explanation"),
        ),
        (
            "收入支出决算总体情况说明",
            "1、",
            2,
            Some("2021年度部门决算情况说明"),
            Some("income_expense"),
        ),
        (
            "财政拨款收入支出决算总体情况说明",
            "四、",
            2,
            Some("2021年度部门决算情况说明"),
            Some("appropriation"),
        ),
        (
            "国有资本经营预算支出决算情况说明",
            "9、",
            2,
            Some("2021年度部门决算情况说明"),
            Some("state_capital"),
        ),
        (
            "其他重要事项的情况说明",
            "10、",
            2,
            Some("2021年度部门决算情况说明"),
            Some("other_matters"),
        ),
        (
            "机关运行经费支出情况",
            "（一）",
            3,
            Some("其他重要事项的情况说明"),
            None,
        ),
        ("名词解释", "第3部分", 1, None, Some("glossary")),
        (
            "部门财政资金支出情况",
            "（2）",
            3,
            Some("部门财政资金收支情况"),
            None,
        ),
    ] {
        let s = find(title);
        assert_eq!(s["label"], label, "{title}");
        assert_eq!(s["level"], level, "{title}");
        assert_eq!(by_id(&s["parent"]).as_deref(), parent, "{title}");
        assert_eq!(s["key"].as_str(), key, "{title}");
    }
    // Numbered sentences are not headings: duties, line items, glossary entries.
    for s in &sections {
        let t = s["title"].as_str().unwrap();
        assert!(
            !t.starts_with("贯彻执行") && !t.contains("万元") && !t.contains("：指"),
            "{t}"
        );
    }
    // 主要职能's list `1.`…`8.` has a short last item that must not become a heading.
    assert!(sections
        .iter()
        .all(|s| s["title"] != "完成区委、区政府交办的其他工作"));
}

#[test]
fn sample_tables_are_the_four_performance_tables() {
    let r = records(Path::new(SAMPLE));
    let tables = of_type(&r, "table");
    assert_eq!(tables.len(), 4);
    let t1 = tables[0];
    assert_eq!(t1["title"], "2021年部门预算项目绩效目标自评");
    assert_eq!(t1["key"], "performance");
    assert_eq!(t1["unit"], serde_json::Value::Null);
    assert_eq!(t1["loc"]["line"], 229);
    assert_eq!(
        t1["rows"][1][1],
        "基层政权事业专项经费（含基层人民武装业务费）"
    );
    // Multi-line cells are joined without spaces between CJK characters.
    assert_eq!(t1["rows"][2][0], "项目预算执行情况（万元）");
    assert_eq!(t1["rows"][3][1], "其中：财政拨款");
    assert_eq!(t1["rows"][7][1], "一级指标");
    // An empty cell stays an empty string where the source has a lone TAB.
    assert_eq!(t1["rows"][14][5], "");
    assert_eq!(t1["rows"][14][2], "时效指标");
    let names: Vec<&str> = tables
        .iter()
        .map(|t| t["rows"][1][1].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "基层政权事业专项经费（含基层人民武装业务费）",
            "社会管理专项经费（包含人民防空、安全生产等）",
            "“人大代表之家”工作经费",
            "综治维稳经费"
        ]
    );
    assert_eq!(
        tables
            .iter()
            .map(|t| t["n_rows"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        [24, 27, 17, 21]
    );
}

/// The sample and, where the corpus is present, its layout texts (the PDFs' text, read
/// without pdftotext).
fn sample_and_corpus_texts() -> Vec<std::path::PathBuf> {
    let mut paths = vec![std::path::PathBuf::from(SAMPLE)];
    if let Some(dir) = common::corpus("") {
        paths.extend(
            std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt")),
        );
    }
    paths
}

/// Every field of every record of the sample and the corpus has a column in the tabular
/// outputs: a field added to a record without one fails here, not silently in a CSV.
#[test]
fn every_field_has_a_column() {
    let paths = sample_and_corpus_texts();
    for p in &paths {
        for r in juesuan::process(p, &juesuan::reader::ReadConfig::default()) {
            let missing = juesuan::sink::columns::unmapped_keys(&r);
            assert!(
                missing.is_empty(),
                "{}: {} {:?}",
                p.display(),
                r.type_name(),
                missing
            );
        }
    }
}

/// The committed JSON Schema and field reference are what the record types generate
/// (`juesuan schema > schema/records.schema.json`, `juesuan schema --markdown > docs/fields.md`).
#[test]
fn committed_schema_and_field_reference_are_current() {
    let schema = serde_json::to_string_pretty(&juesuan::record::json_schema()).unwrap() + "\n";
    assert_eq!(
        std::fs::read_to_string("schema/records.schema.json").unwrap(),
        schema,
        "run: juesuan schema > schema/records.schema.json"
    );
    assert_eq!(
        std::fs::read_to_string("docs/fields.md").unwrap(),
        juesuan::record::fields_markdown(),
        "run: juesuan schema --markdown > docs/fields.md"
    );
}

/// Every record of the sample, the corpus and an error validates against the JSON Schema and
/// reads back into the same [`juesuan::Record`] (the library's types deserialize the wire
/// format: a downstream Rust program can load a JSONL file), and the schema rejects a record
/// with a field missing, a field too many or a float amount.
#[test]
fn every_record_validates_against_the_schema() {
    let schema = juesuan::record::json_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let mut paths = sample_and_corpus_texts();
    let empty = common::scratch("schema_empty").join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    paths.push(empty);
    let mut n = 0;
    for p in &paths {
        for r in records(p) {
            let errors: Vec<String> = validator.iter_errors(&r).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {r}: {errors:?}", p.display());
            let back: juesuan::Record = serde_json::from_value(r.clone())
                .unwrap_or_else(|e| panic!("{}: {r}: {e}", p.display()));
            assert_eq!(serde_json::to_value(&back).unwrap(), r);
            n += 1;
        }
    }
    assert!(n > 300, "{n} records validated");
    let item = records(std::path::Path::new(SAMPLE))
        .into_iter()
        .find(|r| r["type"] == "line_item")
        .unwrap();
    let mut missing = item.clone();
    missing.as_object_mut().unwrap().remove("budget");
    assert!(!validator.is_valid(&missing), "a missing field");
    let mut extra = item.clone();
    extra["surprise"] = serde_json::json!(1);
    assert!(!validator.is_valid(&extra), "an extra field");
    let mut float = item;
    float["amount"] = serde_json::json!(1189700.0);
    assert!(!validator.is_valid(&float), "a float amount");
}

/// The .docx samples (made by `cargo run --example make_samples`: Word numbering for the
/// headings, Word tables with vertical merges) give their text samples' records: the same
/// outline, line items, figures, projects, indicators, expenditure and checks.
#[test]
fn the_docx_samples_read_like_the_text_samples() {
    let strip = |records: Vec<serde_json::Value>| -> Vec<serde_json::Value> {
        common::content(&records)
            .into_iter()
            .filter(|r| !["document", "table"].contains(&r["type"].as_str().unwrap_or_default()))
            .map(|mut r| {
                r.as_object_mut().unwrap().remove("loc");
                r
            })
            .collect()
    };
    for (name, n) in [("yuquan-2021", 266), ("qinghe-2027-budget", 99)] {
        let docx = records(Path::new(&format!("samples/{name}.docx")));
        assert_eq!(docx[0]["format"], "docx");
        let text = records(Path::new(&format!("samples/{name}.txt")));
        assert_eq!(strip(docx.clone()).len(), n, "{name}");
        assert_eq!(strip(docx), strip(text), "{name}");
    }
}

/// The synthetic budget sample: a budget report with its changes, its table read from
/// TAB-separated rows, every narrative line item equal to its table row, and no check failing.
#[test]
fn the_budget_sample() {
    let r = records(Path::new("samples/qinghe-2027-budget.txt"));
    assert_eq!(
        (&r[0]["unit"], &r[0]["year"], &r[0]["report_kind"]),
        (
            &serde_json::json!("青禾区档案馆"),
            &serde_json::json!(2027),
            &serde_json::json!("budget")
        )
    );
    let figure = |k: &str| {
        r.iter()
            .find(|x| x["type"] == "figure" && x["key"] == k)
            .unwrap_or_else(|| panic!("{k}"))
    };
    // `收、支预算总计各500.00万元，与上年相比收、支预算总计各增加20.00万元，增长4.17%`
    assert_eq!(figure("total.grand")["value"], "5000000");
    assert_eq!(
        figure("total.grand")["change"],
        serde_json::json!({"direction": "increase", "amount": "200000", "pct": "4.17"})
    );
    // `项目支出100.00万元，占20.00%`; the reason `…项目支出增加` states no change of it.
    assert_eq!(figure("expense.project")["share_pct"], "20");
    assert_eq!(figure("expense.project")["change"], serde_json::Value::Null);
    assert_eq!(figure("three_public.total")["value"], "30000");
    // Each narrative line item equals its row of the 支出预算表.
    let items = of_type(&r, "line_item");
    let narrative: Vec<_> = items.iter().filter(|i| i["table"] == "narrative").collect();
    assert_eq!(narrative.len(), 4);
    for n in narrative {
        let row = items
            .iter()
            .find(|i| i["table"] == "budget_expense" && i["code"] == n["code"])
            .unwrap();
        assert_eq!(row["amount"], n["amount"], "{}", n["code"]);
    }
    assert_eq!(
        items
            .iter()
            .find(|i| i["code"] == "2012604" && i["table"] == "budget_expense")
            .unwrap()["columns"],
        serde_json::json!({"合计": "1800000", "基本支出": "800000", "项目支出": "1000000"})
    );
    assert_eq!(r[0]["checks_by_status"]["fail"], 0);
    // Its 绩效目标表: `项目资金（万元） | 年度资金总额 | 100.00`, and `≥10万页`, a count of pages,
    // not money.
    let project = of_type(&r, "project")[0];
    assert_eq!(
        (&project["name"], &project["budget"]),
        (
            &serde_json::json!("档案数字化项目"),
            &serde_json::json!("1000000")
        )
    );
    let pages = of_type(&r, "indicator")[0];
    assert_eq!(
        pages["target_value"],
        serde_json::json!({"op": ">=", "value": "100000", "unit": "count"})
    );
}
