//! Generated variants of the sample: other encodings, line ends, numbering, units and years
//! must give the same structure, and meta data must come from the text, not from the sample.

mod common;

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
