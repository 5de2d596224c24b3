//! Each rule on small texts in the shapes real reports use (`../shared/cases/extraction.md` §E
//! and the errors published reports contain), read by the same readers and extractors as a file.

use super::{check, Check, Status};
use crate::extract::extract;
use crate::model::Format;

/// The checks of a text report (plain text).
fn checks(text: &str) -> Vec<Check> {
    let doc = crate::reader::text::parse(text, Format::Text, Some("utf-8"));
    check(&doc, &extract(&doc))
}

/// The checks of layout text (what pdftotext -layout gives), whose aligned tables are read.
fn layout_checks(text: &str) -> Vec<Check> {
    let doc = crate::reader::layout::parse(text, Format::Text, Some("utf-8"));
    check(&doc, &extract(&doc))
}

/// `(status, expected, actual)` of one rule's findings.
fn of(checks: &[Check], rule: &str) -> Vec<(Status, Option<String>, Option<String>)> {
    checks
        .iter()
        .filter(|c| c.rule == rule)
        .map(|c| (c.status, c.expected.clone(), c.actual.clone()))
        .collect()
}

fn statuses(checks: &[Check], rule: &str) -> Vec<Status> {
    of(checks, rule).into_iter().map(|c| c.0).collect()
}

fn s(x: &str) -> Option<String> {
    Some(x.to_string())
}

const FINAL_HEAD: &str = "青禾区档案馆2026年度部门决算\n第一部分 部门概况\n纳入青禾区档案馆2026年度部门决算编制范围的单位包括：本级。\n第三部分 2026年度部门决算情况说明\n";

#[test]
fn budget_and_final_wording_against_the_amounts_beside_it() {
    let text = format!(
        "{FINAL_HEAD}五、一般公共预算财政拨款支出决算情况说明\n\
         1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：人员经费。年初预算为 1560.05 万元，支出决算为 1511.89 万元。 决算数大于预算数的主要原因：人员减少。\n\
         2、一般公共服务支出（类）财政事务（款）一般行政管理事务（项）。年初预算为10.00万元，支出决算为9.98万元。决算数与预算数基本持平。\n\
         3、一般公共服务支出（类）财政事务（款）信息化建设（项）。年初预算为135.90万元，支出决算为135.25万元。决算数小于预算数的主要原因：进度调整。\n\
         4、住房保障支出（类）住房改革支出（款）住房公积金（项）。年初预算为 0，支出决算为 25 万元。决算数等于预算数。\n"
    );
    let c = checks(&text);
    assert_eq!(
        of(&c, "final_vs_budget_wording"),
        [
            (Status::Fail, s("15600500"), s("15118900")),
            (Status::Pass, s("1359000"), s("1352500")),
            (Status::Fail, s("0"), s("250000")),
        ],
        "基本持平 is a hedge and is not checked"
    );
}

#[test]
fn a_change_agrees_with_the_amount_it_changes() {
    let text = format!(
        "{FINAL_HEAD}一、收入支出决算总体情况说明\n\
         2026年本年度收入为853.00万元、支出为853.00万元。与2025年相比，收入比去年减少了54.20万元，下降5.97%，支出增加了15.27万元，增长1.82%。\n\
         机关运行经费支出184.65万元，比2025年度增加54.20万元，增长5.97%。\n"
    );
    let c = checks(&text);
    assert_eq!(
        statuses(&c, "change_consistency"),
        [Status::Pass, Status::Pass, Status::Fail],
        "{c:#?}"
    );
    // 54.20 on 130.45 is 41.55%, not 5.97% (the direction of a fall written as a rise).
    assert_eq!(of(&c, "change_consistency")[2].1, s("41.55"));
    // 10.00 from nothing is no percentage.
    let text =
        format!("{FINAL_HEAD}机关运行经费支出10.00万元，比2025年度增加10.00万元，增长100%。\n");
    let c = checks(&text);
    assert_eq!(statuses(&c, "change_consistency"), [Status::Fail]);
    assert!(c
        .iter()
        .any(|x| x.rule == "change_consistency" && x.detail.contains("from nothing")));
}

#[test]
fn two_years_stated_with_the_change_between_them() {
    let text = "青禾区文旅局2027年度部门预算\n三、一般公共预算支出预算情况说明\n\
        3.“一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”25.00万元，主要用于普查。2026年当年预算执行数为24.00万元，2027年预算安排25.00万元，比2026年预算执行数增加4.17%。\n\
        4.“一般公共服务支出（类）统计信息事务（款）统计管理（项）”20.00万元，主要用于统计。2026年当年预算执行数为24.00万元，2027年预算安排20.00万元，比2026年预算执行数增加16.67%。\n";
    let c = checks(text);
    assert_eq!(
        statuses(&c, "change_consistency"),
        [Status::Pass, Status::Fail]
    );
    // B4: the statement's year is the year of its amount, not the comparison's.
    assert!(of(&c, "year_mismatch").is_empty(), "{c:#?}");
}

#[test]
fn a_comparison_year_is_not_a_wrong_year() {
    let text = format!(
        "{FINAL_HEAD}与2025年度部门决算相比，本年收支均有增加。\n截至2026年12月31日，本部门共有车辆2辆。\n本报告为2025年度部门决算。\n"
    );
    let c = checks(&text);
    assert_eq!(
        of(&c, "year_mismatch"),
        [(Status::Fail, s("2026"), s("2025"))],
        "only the statement of the report's own year is checked: {c:#?}"
    );
}

#[test]
fn shares_short_of_100_are_undecided_until_the_parts_make_the_whole() {
    // A third part of a name no key has: undecided.
    let text = format!(
        "{FINAL_HEAD}三、支出决算情况说明\n本年支出合计2,000.00万元，其中：基本支出 1,500.00 万元，占 75.00%；项目支出 430.00 万元，占 21.50%；债务还本支出 70.00 万元，占 3.50%。\n"
    );
    let c = checks(&text);
    assert_eq!(statuses(&c, "shares_sum"), [Status::Skip]);
    assert_eq!(statuses(&c, "basic_plus_project"), [Status::Skip]);
    // A8: the third part is 单位预留机动经费 (`expense.reserve`): the three make the whole.
    let c = checks(&text.replace("债务还本支出", "单位预留机动经费"));
    assert_eq!(of(&c, "shares_sum"), [(Status::Pass, s("100"), s("100"))]);
    assert_eq!(
        of(&c, "basic_plus_project"),
        [(Status::Pass, s("20000000"), s("20000000"))]
    );
    // The parts make the whole, and their shares do not: a contradiction.
    let text = format!(
        "{FINAL_HEAD}三、支出决算情况说明\n本年支出合计2,000.00万元，其中：基本支出 1,500.00 万元，占 70.00%；项目支出 500.00 万元，占 25.00%。\n"
    );
    let c = checks(&text);
    assert_eq!(of(&c, "shares_sum"), [(Status::Fail, s("100"), s("95"))]);
    assert_eq!(
        statuses(&c, "share_vs_amount"),
        [Status::Fail, Status::Pass]
    );
    assert_eq!(statuses(&c, "basic_plus_project"), [Status::Pass]);
}

#[test]
fn three_public_parts_add_up_to_the_total() {
    let text = format!(
        "{FINAL_HEAD}七、“三公”经费财政拨款支出决算情况说明\n\
         2026年“三公”经费财政拨款支出决算为12.00万元。因公出国（境）费支出决算2.00万元，占16.67%；公务用车购置及运行维护费支出决算8.00万元，占66.67%；公务接待费支出决算3.00万元，占25.00%。\n"
    );
    let c = checks(&text);
    assert_eq!(
        of(&c, "three_public_sum"),
        [(Status::Fail, s("120000"), s("130000"))]
    );
}

#[test]
fn narrative_items_against_a_table_that_lists_more_are_undecided() {
    // E1: the narrative explains one of the table's two items.
    let text = "青禾区档案馆2026年度部门决算
五、一般公共预算财政拨款支出决算情况说明
一般公共预算财政拨款支出100.00万元。
1、一般公共服务支出（类）财政事务（款）行政运行（项）。年初预算为60.00万元，支出决算为60.00万元。
\x0c
          一般公共预算财政拨款支出决算表
单位：万元
科目编码         科目名称                 合计        基本支出      项目支出
201              一般公共服务支出       100.00        60.00         40.00
20106            财政事务               100.00        60.00         40.00
2010601          行政运行                60.00        60.00
2010602          一般行政管理事务        40.00                      40.00\n";
    let c = layout_checks(text);
    let sum = c.iter().find(|x| x.rule == "line_items_sum").unwrap();
    assert_eq!(sum.status, Status::Skip, "{sum:?}");
    assert!(sum.detail.contains("2010602"), "{}", sum.detail);
    assert_eq!(
        statuses(&c, "table_class_sum"),
        [Status::Pass, Status::Pass],
        "{c:#?}"
    );
    assert_eq!(
        of(&c, "table_vs_narrative"),
        [(Status::Pass, s("600000"), s("600000"))]
    );
}

#[test]
fn table_rows_that_do_not_add_up() {
    let text = "青禾区档案馆2026年度部门决算
\x0c
          一般公共预算财政拨款支出决算表
单位：万元
科目编码         科目名称                 合计        基本支出      项目支出
201              一般公共服务支出       110.00        60.00         40.00
20106            财政事务               100.00        60.00         40.00
2010601          行政运行                60.00        60.00
2010602          一般行政管理事务        40.00                      40.00\n";
    let c = layout_checks(text);
    assert_eq!(
        of(&c, "table_class_sum"),
        [
            (Status::Fail, s("1100000"), s("1000000")),
            (Status::Pass, s("1000000"), s("1000000"))
        ],
        "{c:#?}"
    );
    assert_eq!(
        of(&c, "table_row_parts")[0],
        (Status::Fail, s("1100000"), s("1000000"))
    );
}

#[test]
fn doubled_marks_fail_and_doubled_words_warn() {
    let text = format!("{FINAL_HEAD}主要用于用于社会治理。。其他……详见附表——不再列示。\n");
    let c = checks(&text);
    assert_eq!(
        of(&c, "repeated_punctuation"),
        [(Status::Fail, None, s("。。"))]
    );
    assert_eq!(
        of(&c, "doubled_word"),
        [(Status::Warn, None, s("用于用于"))]
    );
}

#[test]
fn amounts_too_large_to_add_are_skipped_not_a_panic() {
    let huge = "5000000000000000000000000";
    let text = format!(
        "{FINAL_HEAD}三、支出决算情况说明\n本年支出合计{huge}万元，其中：基本支出{huge}万元，占50%；项目支出{huge}万元，占50%。\n\
         一、收入支出决算总体情况说明\n本年度收入为{huge}万元，比去年减少了{huge}万元，下降50%。\n"
    );
    let c = checks(&text);
    assert_eq!(statuses(&c, "basic_plus_project"), [Status::Skip], "{c:#?}");
}

#[test]
fn a_row_number_column_is_not_an_amount() {
    let text = "青禾区档案馆2026年度部门决算
第一部分 部门概况
一、收入支出决算总体情况说明
2026年本年度收入为853.00万元、支出为853.00万元。
\x0c
            收入支出决算总表
单位：万元
项目                      行次        决算数       项目                     行次      决算数
本年收入合计               1          853.00       本年支出合计              2        853.00\n";
    let c = layout_checks(text);
    assert!(
        of(&c, "table_total_vs_narrative")
            .iter()
            .all(|x| x.0 == Status::Pass),
        "{c:#?}"
    );
}

#[test]
fn balance_is_checked_only_where_stated() {
    let body = "一、收入支出决算总体情况说明\n2026年本年度收入为853.00万元、支出为852.00万元。\n";
    let c = checks(&format!("{FINAL_HEAD}{body}"));
    assert!(of(&c, "income_expense_balance").is_empty());
    let c = checks(&format!("{FINAL_HEAD}{body}本年收支平衡。\n"));
    assert_eq!(
        of(&c, "income_expense_balance"),
        [(Status::Fail, s("8530000"), s("8520000"))]
    );
}

#[test]
fn shares_within_rounding_warn_and_beyond_fail() {
    let shares = |a: &str, b: &str| {
        checks(&format!(
            "{FINAL_HEAD}三、支出决算情况说明\n本年支出合计853.00万元，其中：基本支出623.25万元，占{a}%；项目支出229.76万元，占{b}%。\n"
        ))
    };
    assert_eq!(
        of(&shares("73.06", "26.95"), "shares_sum"),
        [(Status::Warn, s("100"), s("100.01"))]
    );
    assert_eq!(
        statuses(&shares("73.06", "27.06"), "shares_sum"),
        [Status::Fail]
    );
}

/// E2: the list under `财政拨款支出主要内容如下` includes 政府性基金 items: its sum is held to
/// all 财政拨款 spending, not to the general budget alone.
#[test]
fn narrative_list_with_government_fund_items() {
    let text = format!(
        "{FINAL_HEAD}四、财政拨款收入支出决算总体情况说明\n2026年财政拨款支出为120.00万元。\n五、一般公共预算财政拨款支出决算情况说明\n一般公共预算财政拨款支出100.00万元。财政拨款支出主要内容如下：\n1、一般公共服务支出（类）财政事务（款）行政运行（项）。年初预算为100.00万元，支出决算为100.00万元。\n2、城乡社区支出（类）国有土地使用权出让收入安排的支出（款）征地和拆迁补偿支出（项）。年初预算为20.00万元，支出决算为20.00万元。\n"
    );
    let c = checks(&text);
    assert_eq!(
        of(&c, "line_items_sum"),
        [(Status::Pass, s("1200000"), s("1200000"))],
        "{c:#?}"
    );
}

/// A code table's 合计 row against its 类 rows, and the structure statement's 类 totals
/// against the table's 类 rows.
#[test]
fn total_row_and_class_totals_against_the_table() {
    let text = "青禾区档案馆2026年度部门决算\n五、一般公共预算财政拨款支出决算情况说明\n一般公共预算财政拨款支出180.00万元，主要用于以下方面：一般公共服务（类）支出100.00万元，占55.56%；社会保障和就业（类）支出70.00万元，占38.89%。\n\x0c\n                  一般公共预算财政拨款支出决算表\n单位：万元\n科目编码         科目名称                 合计        基本支出      项目支出\n                 合计                   170.00       130.00         40.00\n201              一般公共服务支出       100.00        60.00         40.00\n2010601          行政运行               100.00        60.00         40.00\n208              社会保障和就业支出      80.00        80.00\n2080505          机关事业单位基本养老保险缴费支出    80.00    80.00\n";
    let c = layout_checks(text);
    assert_eq!(
        of(&c, "table_total_row"),
        [(Status::Fail, s("1700000"), s("1800000"))],
        "the 类 rows exceed their 合计: {c:#?}"
    );
    assert_eq!(
        of(&c, "class_total_vs_table"),
        [
            (Status::Pass, s("1000000"), s("1000000")),
            (Status::Fail, s("800000"), s("700000")),
        ]
    );
}
