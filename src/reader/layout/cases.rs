//! The shapes of `../shared/cases/layout.md`, each with the blocks (and records) wanted.

use crate::extract::extract;
use crate::model::{BlockKind, Document, Format};

fn read(text: &str) -> Document {
    super::parse(text, Format::Pdf, None)
}

/// One summary per block: `P:text`, `H:text`, `T:a|b / c|d`.
fn blocks(text: &str) -> Vec<String> {
    read(text).blocks.iter().map(|b| b.summary(false)).collect()
}

/// Narrative line items as (code, amount, budget) in yuan.
fn narrative(text: &str) -> Vec<(Option<String>, Option<String>, Option<String>)> {
    let doc = read(text);
    extract(&doc)
        .line_items
        .iter()
        .filter(|i| i.table == Some("narrative"))
        .map(|i| {
            let y = |d: Option<rust_decimal::Decimal>| d.map(crate::money::yuan_string);
            (i.code.clone(), y(i.amount), y(i.budget))
        })
        .collect()
}

fn some(s: &str) -> Option<String> {
    Some(s.to_string())
}

/// L1: one statement split over lines that are no paragraph breaks: a line opening with
/// `。` or a bare `万元`, a line after `：`, a staircase, and an unindented line after a first
/// line that reaches the margin, each across blank lines where the PDF put them.
#[test]
fn l1_a_statement_split_over_lines() {
    let text = "  4、文化旅游体育与传媒支出（类）文化和旅游（款）图书馆\n\n（项）\n         。主要用于：图书购置支出。年初预算为 12.00\n\n万元，支出决算为 11.50 万元，完成年初预算的 95.83%。\n\n  5、卫生健康支出（类）行政事业单位医疗（款）行政单位\n医疗（项）。\n     主要用于：\n         在职人员医疗保险支出。\n                   年初预算为 8.40\n\n万元，支出决算为 8.20 万元，完成年初预算的 97.62%。\n\n  6、住房保障支出（类）住房改革支出（款）住房公积金（项）。\n\n主要用于：缴纳住房公积金。全年预算为 20.00 万元，支出决算为 19.80 万元。\n";
    assert_eq!(
        blocks(text),
        [
            "P:4、文化旅游体育与传媒支出（类）文化和旅游（款）图书馆（项）。主要用于：图书购置支出。年初预算为 12.00万元，支出决算为 11.50 万元，完成年初预算的 95.83%。",
            "P:5、卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）。主要用于：在职人员医疗保险支出。年初预算为 8.40万元，支出决算为 8.20 万元，完成年初预算的 97.62%。",
            "P:6、住房保障支出（类）住房改革支出（款）住房公积金（项）。主要用于：缴纳住房公积金。全年预算为 20.00 万元，支出决算为 19.80 万元。",
        ]
    );
    let items = narrative(text);
    assert_eq!(
        items[..2],
        [
            (some("2070104"), some("115000"), some("120000")),
            (some("2101101"), some("82000"), some("84000")),
        ]
    );
    assert_eq!(
        (&items[2].0, &items[2].1),
        (&some("2210201"), &some("198000"))
    );
}

/// L2: statements run together without first-line indents: after a sentence end, a line
/// opening a quoted `“…（类）` statement starts a new paragraph.
#[test]
fn l2_statements_glued_together() {
    let text = "“一般公共服务（类）宣传事务（款）一般行政管理事务（项）”6.60 万元，主要用于：社区宣传栏维护。年初预算为 7.00\n万元，支出决算为 6.60 万元，完成年初预算的 94.29%。决算数小于预算数的主要原因：印制费用减少。\n“公共安全支出（类）司法（款）公共法律服务（项）”12.30 万元，主要用于：法律援助。年初预算为 12.30 万元，支出决算为 12.30 万元。\n";
    let b = blocks(text);
    assert_eq!(b.len(), 2, "{b:#?}");
    assert!(b[1].starts_with("P:“公共安全支出（类）"));
    let items: Vec<Option<String>> = narrative(text).into_iter().map(|i| i.0).collect();
    assert_eq!(items, [some("2013302"), some("2040607")]);
}

#[test]
fn every_block_knows_its_page() {
    let doc = read("第一页的正文。\n\x0c第二页的正文。\n\x0c\x0c第四页的正文。\n");
    let pages: Vec<Option<u32>> = doc.blocks.iter().map(|b| b.loc.page).collect();
    assert_eq!(pages, [Some(1), Some(2), Some(4)]);
    assert!(doc
        .blocks
        .iter()
        .all(|b| matches!(b.kind, BlockKind::Paragraph(_))));
}

/// L3: page text with single spaces between cells and a header over several lines: cells
/// from token order, the first amount the 合计 column.
#[test]
fn l3_single_spaced_table() {
    let text = "支出决算表\n单位：万元\n项目\n本年支出合计 基本支出 项目支出 上缴上级支出 经营支出\n功能分类\n科目名称\n科目编码\n合计 1,234.56 1,000.00 234.56\n201 一般公共服务支出 56.78 56.78\n2010101 行政运行 12.34 12.34\n2010102 一般行政管理事务 44.44 44.44\n\x0c";
    let doc = read(text);
    let ex = extract(&doc);
    let t = ex.tables.iter().find(|t| t.key == Some("expense")).unwrap();
    assert_eq!(
        (t.title.as_deref(), t.unit.as_deref()),
        (Some("支出决算表"), Some("万元"))
    );
    let items: Vec<(String, String)> = ex
        .line_items
        .iter()
        .filter(|i| i.table == Some("expense") && i.code.as_deref().is_some_and(|c| c.len() == 7))
        .map(|i| {
            (
                i.code.clone().unwrap(),
                crate::money::yuan_string(i.amount.unwrap()),
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            ("2010101".to_string(), "123400".to_string()),
            ("2010102".to_string(), "444400".to_string())
        ]
    );
    // Which column an amount sits in cannot be seen: no row claims certain columns.
    assert!(ex.line_items.iter().all(|i| i.columns.is_none()));
}

/// L4: letter-spaced and justified text: spaces between CJK characters and inside a number
/// are no text, and a sentence spread over the line with its amount set apart from its unit
/// is a paragraph, not a table row.
#[test]
fn l4_letter_spaced_and_justified_text() {
    let text = "云 岭 省 档 案 局 2 0 2 7 年 度 收 入 、 支 出 预 算 总 计 5 , 0 8 0 . 0 0 万 元\n\n（一）收入预算总计          4,321.00          万元。包括：\n\n项 目 支 出\n\x0c";
    assert_eq!(
        blocks(text),
        [
            "P:云岭省档案局2027年度收入、支出预算总计5,080.00万元",
            "P:（一）收入预算总计 4,321.00 万元。包括：项目支出",
        ]
    );
    // A table's columns keep their positions: only single spaces between letters go.
    let table = "  类     款    项      科目名称          合计\n  201    06    01      行政运行        1,511.89\n  201    06    02      一般行政管理事务   10.00\n";
    assert_eq!(
        blocks(table),
        ["T:类|款|项|科目名称|合计 / 201|06|01|行政运行|1,511.89 / 201|06|02|一般行政管理事务|10.00"]
    );
}

/// L5: hidden duplicate text at a page break: the last statements of a page repeated at the
/// top of the next are read once.
#[test]
fn l5_duplicate_text_at_a_page_break() {
    let text = "  一、收入支出决算总体情况说明\n  本年收入合计853.00万元，比上年减少54.20万元。\n  本年支出合计853.00万元，比上年增加15.27万元。\n\x0c  本年收入合计853.00万元，比上年减少54.20万元。\n  本年支出合计853.00万元，比上年增加15.27万元。\n  二、收入决算情况说明\n  本年收入合计853.00万元。\n";
    assert_eq!(
        blocks(text),
        [
            "H:一、收入支出决算总体情况说明",
            "P:本年收入合计853.00万元，比上年减少54.20万元。",
            "P:本年支出合计853.00万元，比上年增加15.27万元。",
            "H:二、收入决算情况说明",
            "P:本年收入合计853.00万元。",
        ]
    );
}

/// L6: one damaged row (the text layer lost the 类's digits) does not move the code columns
/// of the other rows; its own code is not read rather than read wrong.
#[test]
fn l6_a_damaged_row_is_isolated() {
    let text = "                    一般公共预算财政拨款支出决算表\n                                                    单位：元\n类     款    项   科目名称                  合计          基本支出\n208   05   01   行政单位离退休            12,000        12,000\n208   05   02   事业单位离退休            53,000        53,000\n 7    11   02   事业单位医疗              50,000        50,000\n210   11   01   行政单位医疗              40,000        40,000\n\x0c";
    let doc = read(text);
    let codes: Vec<String> = extract(&doc)
        .line_items
        .iter()
        .filter_map(|i| i.code.clone())
        .filter(|c| c.len() == 7)
        .collect();
    assert_eq!(codes, ["2080501", "2080502", "2101101"]);
}

/// L7: names wrapped above and below their code rows go back to their own rows.
#[test]
fn l7_names_wrapped_above_and_below() {
    let text = "                    一般公共预算财政拨款支出决算表\n                                                    单位：万元\n科目编码        科目名称                 合计        基本支出\n2010501         统计管理                 10.00       10.00\n                其他统计信息\n2010599                                  12.00       12.00\n                事务支出\n                行政事业单位\n20805                                     8.00        8.00\n                养老支出\n\x0c";
    let doc = read(text);
    let names: Vec<(String, String)> = extract(&doc)
        .line_items
        .iter()
        .map(|i| (i.code.clone().unwrap_or_default(), i.name.clone()))
        .collect();
    assert_eq!(
        names,
        [
            ("2010501".to_string(), "统计管理".to_string()),
            ("2010599".to_string(), "其他统计信息事务支出".to_string()),
            ("20805".to_string(), "行政事业单位养老支出".to_string()),
        ]
    );
}

/// L8: CR-only line ends read like LF; a wrapped line starting with an amount continues its
/// sentence; the contents are dropped and the first real heading after them is kept.
#[test]
fn l8_line_ends_and_furniture() {
    let cr = "  一、收入支出决算总体情况说明\r  本年收入合计853.00万元。\r  二、收入决算情况说明\r  本年收入合计853.00万元。\r\x0c";
    assert_eq!(
        blocks(cr),
        [
            "H:一、收入支出决算总体情况说明",
            "P:本年收入合计853.00万元。",
            "H:二、收入决算情况说明",
            "P:本年收入合计853.00万元。",
        ]
    );
    let wrapped = "  机关运行经费支出为全年财政拨款基本支出中的日常公用经费支出，本年度机关运行经费支出\n151 万元，比上年增加 12 万元，增长 8.63%。\n\x0c";
    assert_eq!(
        blocks(wrapped),
        ["P:机关运行经费支出为全年财政拨款基本支出中的日常公用经费支出，本年度机关运行经费支出151 万元，比上年增加 12 万元，增长 8.63%。"]
    );
    let contents = "青禾区档案馆2026年度部门决算\n\x0c                目  录\n第一部分 部门概况\n  一、主要职能\n第二部分 2026年度部门决算表\n\x0c第一部分 部门概况\n  一、主要职能\n  负责全区档案工作。\n";
    assert_eq!(
        blocks(contents),
        [
            "P:青禾区档案馆2026年度部门决算",
            "H:第一部分 部门概况",
            "H:一、主要职能",
            "P:负责全区档案工作。",
        ]
    );
}
