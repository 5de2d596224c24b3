//! Performance tables: the sample's self-evaluations from TAB text and from a layout-text
//! rendering, and budget-style target tables in TAB text, layout text and .docx.

use crate::common;

use std::path::Path;

use common::{of_type, records, SAMPLE};
use serde_json::{json, Value};

fn projects(r: &[Value]) -> Vec<&Value> {
    of_type(r, "project")
}

fn indicators<'a>(r: &'a [Value], project: &str) -> Vec<&'a Value> {
    r.iter()
        .filter(|x| x["type"] == "indicator" && x["project"] == project)
        .collect()
}

#[test]
fn sample_projects() {
    let r = records(Path::new(SAMPLE));
    let p = projects(&r);
    let summary: Vec<(&str, &str, &str, &str)> = p
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap(),
                p["budget"].as_str().unwrap(),
                p["executed"].as_str().unwrap(),
                p["unit"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "基层政权事业专项经费（含基层人民武装业务费）",
                "40000",
                "40000",
                "攀枝花市西区玉泉街办"
            ),
            (
                "社会管理专项经费（包含人民防空、安全生产等）",
                "90000",
                "90000",
                "攀枝花市西区玉泉街办"
            ),
            (
                "“人大代表之家”工作经费",
                "10000",
                "10000",
                "攀枝花市西区玉泉街办"
            ),
            ("综治维稳经费", "30000", "30000", "攀枝花市西区玉泉街办"),
        ]
    );
    assert_eq!(
        (
            &p[0]["budget_appropriation"],
            &p[0]["executed_appropriation"]
        ),
        (&json!("40000"), &json!("40000"))
    );
    assert_eq!(p[0]["department"], Value::Null);
    assert_eq!(p[3]["goal"], "做好基层维稳工作，确保社会和谐稳定");
    assert_eq!(p[3]["goal_result"], "较好的完成了年初设定的目标");
    assert_eq!(p[0]["id"], "p1");

    let i1 = indicators(&r, "p1");
    assert_eq!(i1.len(), 16);
    let first = i1[0];
    assert_eq!(
        (&first["level1"], &first["level2"], &first["name"]),
        (
            &json!("完成指标"),
            &json!("数量指标"),
            &json!("教育、基层党建、妇联工会")
        )
    );
    assert_eq!(
        first["target"],
        "教育、基层党建、妇联工会专项工作开展工作完成率达95%及以上。"
    );
    assert_eq!(
        first["target_value"],
        json!({"op": ">=", "value": "95", "unit": "percent"})
    );
    assert_eq!(first["actual"], "各专项工作开展完成达95%及以上。");
    // Every row has both levels, carried down over merged cells.
    assert!(i1
        .iter()
        .all(|i| i["level1"].is_string() && i["level2"].is_string()));
    let timely = i1.iter().find(|i| i["level2"] == "时效指标").unwrap();
    assert_eq!(
        (&timely["name"], &timely["actual"], &timely["actual_value"]),
        (&json!("全年"), &Value::Null, &Value::Null)
    );
    let cost = i1
        .iter()
        .find(|i| i["name"] == "财税及经济统计" && i["level2"] == "成本指标")
        .unwrap();
    assert_eq!(
        cost["target_value"],
        json!({"op": "=", "value": "10000", "unit": "yuan"})
    );
    let satisfaction = i1.last().unwrap();
    assert_eq!(
        (&satisfaction["level1"], &satisfaction["level2"]),
        (&json!("满意度指标"), &json!("服务对象满意度指标"))
    );
    assert_eq!(
        satisfaction["actual_value"],
        json!({"op": ">=", "value": "100", "unit": "percent"})
    );
    // 不少于5户 in project 3.
    let five = indicators(&r, "p3")
        .into_iter()
        .find(|i| i["name"] == "人大代表工作")
        .unwrap();
    assert_eq!(
        five["target_value"],
        json!({"op": ">=", "value": "5", "unit": "count"})
    );
    assert_eq!(
        five["actual_value"],
        Value::Null,
        "8余户, 2户 and 2200余元: no single number"
    );
    // The last table's 二级 labels sit against the wrong values: emitted as the table says.
    let odd = indicators(&r, "p4");
    assert_eq!(
        (&odd[11]["level2"], &odd[11]["name"]),
        (&json!("可持续影响指标"), &json!("服务对象满意率"))
    );
    assert_eq!(
        (&odd[12]["level1"], &odd[12]["name"]),
        (&json!("满意度指标"), &json!("保持良好社会生态效益"))
    );
}

/// What identifies the content of project and indicator records, for comparing renderings.
fn content(r: &[Value]) -> Vec<Value> {
    r.iter()
        .filter(|x| x["type"] == "project" || x["type"] == "indicator")
        .map(|x| {
            let mut x = x.clone();
            let o = x.as_object_mut().unwrap();
            for k in ["doc", "loc", "section"] {
                o.remove(k);
            }
            x
        })
        .collect()
}

/// A layout-text rendering of a table, as pdftotext prints a ruled table: each cell at its
/// column's character position, an empty or merged cell as spaces. Columns are as wide as their
/// longest text.
fn layout_table(rows: &[Vec<String>]) -> String {
    let width = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut columns = vec![0; width];
    for c in 1..width {
        let widest = rows
            .iter()
            .filter_map(|r| r.get(c - 1))
            .map(|t| t.chars().count())
            .max()
            .unwrap_or(0);
        columns[c] = columns[c - 1] + widest + 4;
    }
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, text) in row.iter().enumerate() {
            line.push_str(&" ".repeat(columns[c].saturating_sub(line.chars().count())));
            line.push_str(text);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn sample_tables_as_layout_text_give_the_same_projects() {
    let doc = juesuan::reader::text::parse(
        &common::sample_text(),
        juesuan::model::Format::Text,
        Some("utf-8"),
    );
    let mut text = String::from("2021年部门预算项目绩效目标自评报告\n\n");
    for b in &doc.blocks {
        let juesuan::model::BlockKind::Table(t) = &b.kind else {
            continue;
        };
        let rows: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| c.as_ref().unwrap().text.clone())
                    .collect()
            })
            .collect();
        // Rows shorter than the grid (merged cells) put their cells in the first columns, as the
        // TAB text does; a page break before each table.
        text.push('\x0c');
        text.push_str(&layout_table(&rows));
    }
    let dir = common::scratch("performance_layout");
    let path = dir.join("sample-tables.layout.txt");
    std::fs::write(&path, &text).unwrap();
    let from_layout = records(&path);
    let from_text = records(Path::new(SAMPLE));
    assert_eq!(projects(&from_layout).len(), 4);
    assert_eq!(content(&from_layout), content(&from_text));
}

/// A budget report's target table (项目支出绩效目标表): no execution, no actual values.
const TARGET_ROWS: &[&[&str]] = &[
    &[
        "项目名称",
        "社区养老服务补贴项目",
        "主管部门",
        "某某区民政局",
    ],
    &[
        "实施单位",
        "某某区养老服务中心",
        "项目资金（万元）",
        "50.00",
    ],
    &[
        "项目总目标",
        "为辖区60岁以上老年人提供助餐、助浴等居家养老服务。",
        "年度总体目标",
        "完成全年助餐服务，覆盖辖区老年人。",
    ],
    &["一级指标", "二级指标", "三级指标", "指标值"],
    &["产出指标", "数量指标", "服务老年人数", "不少于500人"],
    &["", "质量指标", "服务合格率", "≥95%"],
    &["效益指标", "社会效益指标", "老年人满意度", "达90%以上"],
];

#[track_caller]
fn check_target_table(r: &[Value]) {
    let p = projects(r);
    assert_eq!(p.len(), 1, "{p:?}");
    let p = p[0];
    assert_eq!(
        (&p["name"], &p["department"], &p["unit"]),
        (
            &json!("社区养老服务补贴项目"),
            &json!("某某区民政局"),
            &json!("某某区养老服务中心")
        )
    );
    assert_eq!(
        (&p["budget"], &p["executed"], &p["goal_result"]),
        (&json!("500000"), &Value::Null, &Value::Null)
    );
    assert_eq!(p["goal"], "完成全年助餐服务，覆盖辖区老年人。");
    let i: Vec<(Value, Value, Value, Value, Value, Value)> = indicators(r, "p1")
        .iter()
        .map(|x| {
            (
                x["level1"].clone(),
                x["level2"].clone(),
                x["name"].clone(),
                x["target"].clone(),
                x["actual"].clone(),
                x["target_value"].clone(),
            )
        })
        .collect();
    assert_eq!(
        i,
        [
            (
                json!("产出指标"),
                json!("数量指标"),
                json!("服务老年人数"),
                json!("不少于500人"),
                Value::Null,
                json!({"op": ">=", "value": "500", "unit": "count"})
            ),
            (
                json!("产出指标"),
                json!("质量指标"),
                json!("服务合格率"),
                json!("≥95%"),
                Value::Null,
                json!({"op": ">=", "value": "95", "unit": "percent"})
            ),
            (
                json!("效益指标"),
                json!("社会效益指标"),
                json!("老年人满意度"),
                json!("达90%以上"),
                Value::Null,
                json!({"op": ">=", "value": "90", "unit": "percent"})
            ),
        ]
    );
}

#[test]
fn target_table_in_tab_text() {
    let mut text = String::from("某某区民政局2025年部门预算\n项目支出绩效目标表\n\n");
    for row in TARGET_ROWS {
        for cell in *row {
            text.push('\t');
            text.push_str(cell);
            text.push('\n');
        }
        text.push('\n');
    }
    let dir = common::scratch("target_tab");
    let path = dir.join("target.txt");
    std::fs::write(&path, text).unwrap();
    check_target_table(&records(&path));
}

#[test]
fn target_table_in_layout_text_with_interleaved_goals() {
    // The two goal texts wrap within their columns, so their lines interleave.
    let mut rows: Vec<Vec<String>> = TARGET_ROWS
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    rows[2][1] = "为辖区60岁以上老年人提供助餐、".into();
    rows[2][3] = "完成全年助餐服务，".into();
    rows.insert(
        3,
        vec![
            "".into(),
            "助浴等居家养老服务。".into(),
            "".into(),
            "覆盖辖区老年人。".into(),
        ],
    );
    // A target wrapped onto a second line of its column.
    rows[5][3] = "不少于".into();
    rows.insert(6, vec!["".into(), "".into(), "".into(), "500人".into()]);
    let text = format!(
        "                         项目支出绩效目标表\n{}\x0c",
        layout_table(&rows)
    );
    let dir = common::scratch("target_layout");
    let path = dir.join("target.layout.txt");
    std::fs::write(&path, text).unwrap();
    let r = records(&path);
    check_target_table(&r);
}

#[test]
fn target_table_in_docx() {
    let cell = |t: &str| format!("<w:tc><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>");
    let merged = |t: &str, restart: bool| {
        format!(
            "<w:tc><w:tcPr><w:vMerge{}/></w:tcPr><w:p><w:r><w:t>{t}</w:t></w:r></w:p></w:tc>",
            if restart { " w:val=\"restart\"" } else { "" }
        )
    };
    let mut body = String::from("<w:p><w:r><w:t>项目支出绩效目标表</w:t></w:r></w:p><w:tbl>");
    for (r, row) in TARGET_ROWS.iter().enumerate() {
        body.push_str("<w:tr>");
        for (c, text) in row.iter().enumerate() {
            // 产出指标 is merged over the two rows of its indicators.
            body.push_str(&match (r, c) {
                (4, 0) => merged(text, true),
                (5, 0) => merged("", false),
                _ => cell(text),
            });
        }
        body.push_str("</w:tr>");
    }
    body.push_str("</w:tbl>");
    let dir = common::scratch("target_docx");
    let path = dir.join("target.docx");
    std::fs::write(&path, common::package(&body, None, None, None)).unwrap();
    let r = records(&path);
    check_target_table(&r);
    let table = r.iter().find(|x| x["type"] == "table").unwrap();
    assert!(table["rows"][5][0].is_null(), "the merged position is null");
}
