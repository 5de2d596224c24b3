//! Generated variants of the sample: other encodings, line ends, numbering, units and years
//! must give the same structure, and meta data must come from the text, not from the sample.

use crate::common;

use std::path::Path;

use common::{content, of_type, records, sample_text, scratch};

#[test]
fn gb18030_text() {
    let dir = scratch("gb18030_text");
    let text = sample_text();
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    let path = dir.join("yuquan-gb18030.txt");
    std::fs::write(&path, &bytes).unwrap();
    let gb = records(&path);
    assert_eq!(gb[0]["encoding"], "gb18030");
    assert_eq!(gb[0]["unit"], "攀枝花市西区玉泉街道办事处");
    assert_eq!(content(&gb), content(&records(Path::new(common::SAMPLE))));
}

#[test]
fn crlf_and_cr_line_ends() {
    let dir = scratch("crlf_text");
    let utf8 = records(Path::new(common::SAMPLE));
    for (name, eol) in [("crlf.txt", "\r\n"), ("cr.txt", "\r")] {
        let path = dir.join(name);
        std::fs::write(&path, sample_text().replace('\n', eol)).unwrap();
        assert_eq!(content(&records(&path)), content(&utf8), "{name}");
    }
}

#[test]
fn utf8_with_bom() {
    let dir = scratch("bom_text");
    let path = dir.join("bom.txt");
    std::fs::write(&path, format!("\u{feff}{}", sample_text())).unwrap();
    let r = records(&path);
    assert_eq!(r[0]["encoding"], "utf-8");
    assert_eq!(content(&r), content(&records(Path::new(common::SAMPLE))));
}

/// The author's intended numbering (一、 where the sample shows rendered `1、`) gives the same
/// outline as the sample's irregular one.
#[test]
fn renumbered_headings_give_the_same_outline() {
    let dir = scratch("renumbered");
    let fixed = sample_text()
        .replace("1、 [bookmark: _Toc1409]", "一、[bookmark: _Toc1409]")
        .replace(
            "2、 [bookmark: _Toc15377206]",
            "二、[bookmark: _Toc15377206]",
        )
        .replace(
            "3、 [bookmark: _Toc15396605]",
            "三、[bookmark: _Toc15396605]",
        )
        .replace("9、 [bookmark: _Toc5711]", "九、[bookmark: _Toc5711]")
        .replace(
            "10、 [bookmark: _Toc15396612]",
            "十、[bookmark: _Toc15396612]",
        )
        .replace("第3部分 ", "第三部分")
        .replace("（2） 部门财政资金支出情况", "（二）部门财政资金支出情况")
        .replace("（2） 存在的问题", "（二）存在的问题")
        .replace("（1） 项目组织架构", "（一）项目组织架构");
    let path = dir.join("renumbered.txt");
    std::fs::write(&path, fixed).unwrap();
    let outline = |r: &[serde_json::Value]| -> Vec<(String, u64, Option<String>, Option<String>)> {
        of_type(r, "section")
            .iter()
            .map(|s| {
                (
                    s["title"].as_str().unwrap().to_string(),
                    s["level"].as_u64().unwrap(),
                    s["parent"].as_str().map(str::to_string),
                    s["key"].as_str().map(str::to_string),
                )
            })
            .collect()
    };
    let renumbered = records(&path);
    assert_eq!(
        outline(&renumbered),
        outline(&records(Path::new(common::SAMPLE)))
    );
    let labels: Vec<&str> = of_type(&renumbered, "section")
        .iter()
        .filter_map(|s| s["label"].as_str())
        .collect();
    assert!(labels.contains(&"九、") && labels.contains(&"第三部分"));
}

/// Another unit and year: the meta data follows the text.
#[test]
fn other_unit_and_year() {
    let dir = scratch("other_unit");
    let text = sample_text()
        .replace("攀枝花市西区玉泉街道办事处", "成都市锦江区春熙路街道办事处")
        .replace("2021年度部门决算", "2023年度部门决算");
    let path = dir.join("chunxi.txt");
    std::fs::write(&path, text).unwrap();
    let r = records(&path);
    assert_eq!(r[0]["unit"], "成都市锦江区春熙路街道办事处");
    assert_eq!(r[0]["year"], 2023);
    assert_eq!(r[0]["report_kind"], "final_accounts");
}

/// A budget report's scope sentence gives `budget`.
#[test]
fn budget_phrasing() {
    let dir = scratch("budget_kind");
    let path = dir.join("budget.txt");
    std::fs::write(
        &path,
        "某某县教育局2024年部门预算\n第一部分 部门概况\n纳入某某县教育局2024年度部门预算编制范围的单位共3个。\n",
    )
    .unwrap();
    let r = records(&path);
    assert_eq!(r[0]["report_kind"], "budget");
    assert_eq!(r[0]["year"], 2024);
    assert_eq!(r[0]["unit"], "某某县教育局");
    assert_eq!(r[0]["title"], "某某县教育局2024年部门预算");
}

/// Keeps only the records of the given types, without `doc`, `loc` and `section` (which a
/// format sets its own way).
fn read_content(records: &[serde_json::Value], types: &[&str]) -> Vec<serde_json::Value> {
    content(records)
        .into_iter()
        .filter(|r| types.contains(&r["type"].as_str().unwrap_or_default()))
        .map(|mut r| {
            let o = r.as_object_mut().unwrap();
            o.remove("loc");
            o.remove("section");
            r
        })
        .collect()
}

/// The sample as a web page in GBK: paragraphs as `<p>` (some split by `<br>`), its tables as
/// HTML tables with their merged cells as `colspan`/`rowspan`, a table published as an image,
/// and the site's navigation, scripts and styles around it. The page gives the sample's line
/// items and figures.
#[test]
fn the_sample_as_a_gbk_web_page() {
    use juesuan::model::BlockKind;
    let text = sample_text();
    let doc = juesuan::reader::parse_text(&text, juesuan::model::Format::Text, Some("utf-8"));
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut page = String::from(
        "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">\
         <title>部门决算公开</title><style>p{margin:0}</style><script>var x = '2020年支出决算数为1万元';</script></head>\
         <body><nav><a href=\"/\">首页</a> &gt; <a>财政预决算</a></nav><div class=\"content\">\n",
    );
    for b in &doc.blocks {
        match &b.kind {
            BlockKind::Table(t) => {
                // A first cell left empty under a filled one is the rest of a vertical merge
                // (`项目预算执行情况（万元）` over three rows): written as a `rowspan`.
                let first = |r: usize| t.text(r, 0).unwrap_or_default();
                page.push_str("<table border=\"1\">\n");
                for (r, row) in t.rows.iter().enumerate() {
                    page.push_str("<tr>");
                    for (c, cell) in row.cells.iter().flatten().enumerate() {
                        if c == 0 && cell.text.is_empty() && r > 0 {
                            continue;
                        }
                        let mut span = 1;
                        while c == 0
                            && !cell.text.is_empty()
                            && r + span < t.rows.len()
                            && first(r + span).is_empty()
                            && t.rows[r + span].cells.len() > 1
                        {
                            span += 1;
                        }
                        page.push_str(&format!(
                            "<td colspan=\"{}\" rowspan=\"{span}\">{}</td>",
                            cell.col_span,
                            esc(&cell.text)
                        ));
                    }
                    page.push_str("</tr>\n");
                }
                page.push_str("</table>\n");
            }
            _ => {
                let t = b.text().unwrap_or_default();
                page.push_str(&format!("<p>\n  {}\n</p>\n", esc(t)));
            }
        }
    }
    page.push_str(
        "<p>附件：政府性基金预算财政拨款收入支出决算表</p><img src=\"b.png\" alt=\"附表\">\
         </div><footer>主办单位：攀枝花市西区人民政府</footer></body></html>",
    );
    assert!(page.contains("rowspan=\"3\""), "a vertical merge");
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&page);
    assert!(!unmappable);
    let dir = scratch("html_page");
    let path = dir.join("yuquan-2021.html");
    std::fs::write(&path, &bytes).unwrap();
    let html = records(&path);
    assert_eq!(
        (
            &html[0]["format"],
            &html[0]["encoding"],
            &html[0]["image_tables"]
        ),
        (
            &serde_json::json!("html"),
            &serde_json::json!("gb18030"),
            &serde_json::json!(1)
        )
    );
    assert_eq!(html[0]["unit"], "攀枝花市西区玉泉街道办事处");
    let sample = records(Path::new(common::SAMPLE));
    let types = ["line_item", "figure", "project", "indicator"];
    assert_eq!(read_content(&html, &types), read_content(&sample, &types));
    // The performance tables keep their grid.
    assert_eq!(
        of_type(&html, "table").len(),
        of_type(&sample, "table").len()
    );
}

/// The sample's tables as an .xlsx workbook: each table a sheet under its caption row, cells
/// holding numbers as numbers, a caption merged across the sheet. The workbook gives the
/// sample's projects and indicators (the records its tables hold).
#[test]
fn the_sample_tables_as_an_xlsx_workbook() {
    use juesuan::model::BlockKind;
    let doc =
        juesuan::reader::parse_text(&sample_text(), juesuan::model::Format::Text, Some("utf-8"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let mut caption = String::new();
    let mut sheets = 0;
    for b in &doc.blocks {
        match &b.kind {
            BlockKind::Table(t) => {
                sheets += 1;
                let sheet = book.add_worksheet();
                let width = t.n_cols().max(1) as u16;
                // The caption paragraph above the table, merged across the sheet's width.
                let fmt = rust_xlsxwriter::Format::new();
                if width > 1 {
                    sheet
                        .merge_range(0, 0, 0, width - 1, &caption, &fmt)
                        .unwrap();
                } else {
                    sheet.write_string(0, 0, &caption).unwrap();
                }
                for (r, row) in t.rows.iter().enumerate() {
                    for (c, cell) in row.cells.iter().enumerate() {
                        let Some(cell) = cell else { continue };
                        let (r, c) = (r as u32 + 1, c as u16);
                        match cell.text.parse::<f64>() {
                            Ok(n) if !cell.text.starts_with('0') || cell.text == "0" => {
                                sheet.write_number(r, c, n).unwrap();
                            }
                            _ if cell.text.is_empty() => {}
                            _ => {
                                sheet.write_string(r, c, &cell.text).unwrap();
                            }
                        }
                    }
                }
            }
            _ => caption = b.text().unwrap_or_default().to_string(),
        }
    }
    assert_eq!(sheets, 4);
    let dir = scratch("xlsx_book");
    let path = dir.join("yuquan-2021-tables.xlsx");
    book.save(&path).unwrap();
    let xlsx = records(&path);
    assert_eq!(xlsx[0]["format"], "xlsx", "{}", xlsx[0]);
    let sample = records(Path::new(common::SAMPLE));
    let types = ["project", "indicator"];
    let got = read_content(&xlsx, &types);
    assert_eq!(got.len(), 61, "4 projects and 57 indicators");
    assert_eq!(got, read_content(&sample, &types));
}

/// The same workbook saved as Excel 97 `.xls` (tests/fixtures/README.md) gives the sample's
/// projects and indicators too.
#[test]
fn the_sample_tables_as_an_xls_workbook() {
    let xls = records(Path::new("tests/fixtures/yuquan-2021-tables.xls"));
    assert_eq!(xls[0]["format"], "xls", "{}", xls[0]);
    let sample = records(Path::new(common::SAMPLE));
    let types = ["project", "indicator"];
    let got = read_content(&xls, &types);
    assert_eq!(got.len(), 61, "4 projects and 57 indicators");
    assert_eq!(got, read_content(&sample, &types));
}
