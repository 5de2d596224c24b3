//! The shapes of `../shared/cases/extraction.md`, each with the records wanted. Money is yuan;
//! a change is (direction, amount, pct).

use rust_decimal::Decimal;

use super::{extract, Extraction};
use crate::extract::figures::{Direction, Figure};
use crate::model::Format;
use crate::money::yuan_string;

fn read(text: &str) -> Extraction {
    extract(&crate::reader::parse_text(
        text,
        Format::Text,
        Some("utf-8"),
    ))
}

/// A figure as (value, share, change) strings, `None` where not stated.
type Fig = (
    String,
    Option<String>,
    Option<(&'static str, Option<String>, Option<String>)>,
);

fn fig(f: &Figure) -> Fig {
    let s = |d: Option<Decimal>| d.map(yuan_string);
    (
        yuan_string(f.value),
        s(f.share_pct),
        f.change
            .as_ref()
            .map(|c| (c.direction.as_str(), s(c.amount), s(c.pct))),
    )
}

#[track_caller]
fn want(ex: &Extraction, key: &str, value: &str, share: Option<&str>, change: Want) {
    let f = ex
        .figures
        .get(key)
        .unwrap_or_else(|| panic!("no figure {key} in {:#?}", ex.figures.list));
    let o = |x: Option<&str>| x.map(str::to_string);
    assert_eq!(
        fig(f),
        (
            value.to_string(),
            o(share),
            change.map(|(d, a, p)| (d.as_str(), o(a), o(p)))
        ),
        "{key}"
    );
}

const FLAT: Want = Some((Direction::Flat, None, None));

type Want = Option<(Direction, Option<&'static str>, Option<&'static str>)>;

fn dec(a: &'static str, p: Option<&'static str>) -> Want {
    Some((Direction::Decrease, Some(a), p))
}

fn inc(a: &'static str, p: Option<&'static str>) -> Want {
    Some((Direction::Increase, Some(a), p))
}

/// A1: a change right after a 三公 sub-item, sometimes after a full stop; 一致 and 持平 are
/// flat, and an amount after them is the comparison's base, not a change.
#[test]
fn a1_change_after_a_three_public_item() {
    let ex = read("（一）因公出国（境）费0万元，与2026年预算持平，主要原因是未安排出访计划。\n（二）公务用车购置及运行费12.30万元，比2026年预算减少3万元。其中：公务用车购置费0万元，与2026年预算一致0万元；公务用车运行费12.30万元，与2026年预算持平。\n（三）公务接待费0.80万元。比2026年预算持平，主要原因是严格控制接待标准。\n");
    want(&ex, "three_public.overseas", "0", None, FLAT);
    want(
        &ex,
        "three_public.vehicle",
        "123000",
        None,
        dec("30000", None),
    );
    want(&ex, "three_public.vehicle_purchase", "0", None, FLAT);
    want(&ex, "three_public.vehicle_operation", "123000", None, FLAT);
    want(&ex, "three_public.reception", "8000", None, FLAT);
}

/// A2: a change in a later sentence that names the item but not its value; `下降（增长）` is
/// template residue; a subject-less clause belongs to the figure before it.
#[test]
fn a2_change_in_a_later_sentence() {
    let ex = read("2026年度“三公”经费财政拨款支出决算为7.20万元，完成预算的80.00%，其中：因公出国（境）费支出决算为0万元……\n2026年度“三公”经费财政拨款支出决算数比2025年度减少1.80万元，下降（增长）20.00%，其中：因公出国（境）费支出与上一年度持平；公务用车购置及运行维护费支出决算增加0.40万元，增长8.00%；公务接待费支出决算减少2.20万元，下降55.00%。\n公务用车运行维护费支出5.40万元。主要用于燃料费、保险费等支出。与2025年相比，增加0.40万元，同比增长8.00%。\n");
    want(
        &ex,
        "three_public.total",
        "72000",
        None,
        dec("18000", Some("20")),
    );
    want(&ex, "three_public.overseas", "0", None, FLAT);
    want(
        &ex,
        "three_public.vehicle_operation",
        "54000",
        None,
        inc("4000", Some("8")),
    );
}

/// A3: a budget's income split, stated in the 编制说明.
#[test]
fn a3_budget_income_split() {
    let ex = read("2027年，青禾区文旅局收入预算2,345.67万元，其中：财政拨款收入2,300.00万元，比2026年预算增加45.60万元；事业收入0万元；事业单位经营收入45.67万元；其他收入0万元。\n");
    want(&ex, "total.income", "23456700", None, None);
    want(
        &ex,
        "income.appropriation",
        "23000000",
        None,
        inc("456000", None),
    );
    want(&ex, "income.business", "0", None, None);
    want(&ex, "income.operating", "456700", None, None);
    want(&ex, "income.other", "0", None, None);
}

/// A4: comparison bases: `比2026年预算执行数`, `比2026年（上一年度，下同）预算`.
#[test]
fn a4_comparison_bases() {
    let ex = read("2027年收入预算820.00万元，其中：财政拨款收入800.00万元，比2026年预算执行数增加20.00万元；政府性基金拨款支出预算0万元，比2026年预算执行数持平；\n");
    want(
        &ex,
        "income.appropriation",
        "8000000",
        None,
        inc("200000", None),
    );
    want(&ex, "government_fund.expense", "0", None, FLAT);
    let ex = read("2027年收入预算930.00万元，其中：财政拨款收入900.00万元，比2026年（上一年度，下同）预算增加30.00万元；\n");
    want(
        &ex,
        "income.appropriation",
        "9000000",
        None,
        inc("300000", None),
    );
}

/// A5: class totals with the class name in quotes and garbled numbering.
#[test]
fn a5_class_totals_in_quotes() {
    let ex = read("五、一般公共预算财政拨款支出决算情况说明\n一般公共预算财政拨款支出 1,234.56 万元，主要用于以下方面：\n1.“一般公共服务”123.45 万元，占 10.00%；\n2.“社会保障和就业支出”234.56 万元，占 19.00%；\n11“. 灾害防治及应急管理支出”13.57 万元，占 1.10%。\n");
    let classes: Vec<(String, String, Option<String>)> = ex
        .figures
        .all("general_budget.class")
        .map(|f| {
            (
                f.code.clone().unwrap_or_default(),
                yuan_string(f.value),
                f.share_pct.map(yuan_string),
            )
        })
        .collect();
    let o = |s: &str| Some(s.to_string());
    assert_eq!(
        classes,
        [
            ("201".to_string(), "1234500".to_string(), o("10")),
            ("208".to_string(), "2345600".to_string(), o("19")),
            ("224".to_string(), "135700".to_string(), o("1.1")),
        ]
    );
}

/// A6: phrase variants: a character dropped or doubled in a label, zero without a unit.
#[test]
fn a6_phrase_variants() {
    let ex = read("（二）公务车购置及运行费21.00万元，其中：公务用车购置费0万元；公务车用车运行费21.00万元。\n");
    want(&ex, "three_public.vehicle", "210000", None, None);
    want(&ex, "three_public.vehicle_operation", "210000", None, None);
    let ex = read("公务用车运行维护支出 3.50 万元。\n");
    want(&ex, "three_public.vehicle_operation", "35000", None, None);
    let ex = read("本部门面向中小企业预留政府采购项目预算金额 50.00 万元，面向小微企业预留政府采购项目预算金额 30.00 万元。\n");
    want(&ex, "procurement.sme", "500000", None, None);
    want(&ex, "procurement.small_micro", "300000", None, None);
    let ex = read("截止2026年12月31日，本部门固定资产1,200.00万元，其中：房屋1,500.00平方米；车辆3辆（一般公务用车1辆…）。\n");
    want(&ex, "assets.vehicles", "3", None, None);
    let ex = read("政府性基金拨款支出预算为0；\n");
    want(&ex, "government_fund.expense", "0", None, None);
}

/// A7: a provincial budget template: totals, qualified sub-totals, 各, 与上年相比.
#[test]
fn a7_provincial_budget_totals() {
    let ex = read("（一）收入预算总计 5,080.00 万元。包括：\n1．财政拨款收入预算总计 5,000.00 万元。其中\n（1）一般公共预算收入预算 5,000.00 万元，与上年相比增加 300.00 万元，增长 6.38%。\n（2）政府性基金收入预算 0 万元，与上年数一致。\n2．财政专户管理资金收入预算总计 0 万元，与上年数一致。\n3．其他资金收入预算总计 80.00 万元，与上年数一致。\n云岭省档案局2027年度收、支预算总计各 5,080.00 万元，与上年相比收、支预算总计各增加 300.00 万元，增长 6.28%。\n云岭省档案局2027年度财政拨款收、支总预算 5,000.00 万元。\n");
    want(&ex, "total.income", "50800000", None, None);
    want(&ex, "income.appropriation", "50000000", None, None);
    want(&ex, "income.other", "800000", None, FLAT);
    want(&ex, "income.special_account", "0", None, FLAT);
    want(
        &ex,
        "income.general_budget",
        "50000000",
        None,
        inc("3000000", Some("6.38")),
    );
    want(&ex, "income.government_fund", "0", None, FLAT);
    want(
        &ex,
        "total.grand",
        "50800000",
        None,
        inc("3000000", Some("6.28")),
    );
    want(&ex, "appropriation.grand", "50000000", None, None);
    assert!(
        ex.figures.conflicts.is_empty(),
        "{:#?}",
        ex.figures.conflicts
    );
}

/// A8: spending split three ways, shares on every part; the combined vehicle line takes its
/// share.
#[test]
fn a8_spending_split_three_ways() {
    let ex = read("支出预算总计 2,000.00 万元。其中：基本支出 1,500.00 万元，占 75.00%；项目支出 430.00 万元，占 21.50%；单位预留机动经费 70.00 万元，占 3.50%。\n因公出国（境）费 10.00 万元，占 12.50%；公务用车购置及运行维护费 50.00 万元，占 62.50%（其中：公务用车购置费 0 万元，公务用车运行维护费 50.00 万元）；公务接待费 20.00 万元，占 25.00%。\n");
    want(&ex, "total.expense", "20000000", None, None);
    want(&ex, "expense.basic", "15000000", Some("75"), None);
    want(&ex, "expense.project", "4300000", Some("21.5"), None);
    want(&ex, "expense.reserve", "700000", Some("3.5"), None);
    want(&ex, "three_public.vehicle", "500000", Some("62.5"), None);
    want(&ex, "three_public.vehicle_operation", "500000", None, None);
}

/// A9: web-page text: half-width brackets and colons, full-width digits in list markers, a
/// label with a character dropped.
#[test]
fn a9_web_page_text() {
    let ex = read("因公出国(境)费 12.00万元，其中:…\n１.一般公共预算收入 32,000.00 万元\n压减支出4.20万元，其中公务车运行维护费 18.30万元\n");
    want(&ex, "three_public.overseas", "120000", None, None);
    want(&ex, "income.general_budget", "320000000", None, None);
    want(&ex, "three_public.vehicle_operation", "183000", None, None);
}

/// Narrative line items as (code, level, amount).
fn items(ex: &Extraction) -> Vec<(Option<String>, &'static str, Option<String>)> {
    ex.line_items
        .iter()
        .filter(|i| i.table == Some("narrative"))
        .map(|i| (i.code.clone(), i.level.as_str(), i.amount.map(yuan_string)))
        .collect()
}

fn item(
    code: &str,
    level: &'static str,
    amount: &str,
) -> (Option<String>, &'static str, Option<String>) {
    (Some(code.to_string()), level, Some(amount.to_string()))
}

/// B1: the 类 is a sub-heading; 款 and 项 in parentheses; the amount after `支出`.
#[test]
fn b1_class_as_a_sub_heading() {
    let ex = read("（一）公共安全（类）\n1．检察（款）行政运行（项）支出 1,500.00 万元，与上年相比增加 120.00 万元，增长 8.7%。主要原因是人员增加。\n2．检察（款）一般行政管理事务（项）支出 600.00 万元，与上年相比减少 30.00 万元，下降 4.76%。主要原因是压减会议费。\n（二）社会保障和就业（类）\n1．行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）支出 300.00 万元，与上年数一致。\n");
    assert_eq!(
        items(&ex),
        [
            item("2040401", "item", "15000000"),
            item("2040402", "item", "6000000"),
            item("2080505", "item", "3000000"),
        ]
    );
}

/// B2: the 类 on its own line without a marker, the 款 merged into the 项 name, a 类-level line
/// inside the list; each statement once.
#[test]
fn b2_class_line_and_class_level_item() {
    let ex = read("一般公共服务\n1. 政协事务行政运行（项）支出 800.00 万元，主要用于机关正常运转。\n2. 社会保障和就业支出 150.00 万元，主要用于离退休人员费用。\n");
    assert_eq!(
        items(&ex),
        [
            item("2010201", "item", "8000000"),
            item("208", "class", "1500000"),
        ]
    );
}

/// B3: a class-level budget line.
#[test]
fn b3_class_level_budget_line() {
    let ex = read("1.“一般公共服务支出”科目12,345万元，主要用于机关运转。\n");
    assert_eq!(items(&ex), [item("201", "class", "123450000")]);
}

/// B4: the statement's year is the year of its amount.
#[test]
fn b4_year_of_the_amount() {
    let ex = read("青禾区文旅局2027年度部门预算\n3.“一般公共服务支出（类）统计信息事务（款）专项普查活动（项）”25.00万元，主要用于普查。2026年当年预算执行数为24.00万元，2027年预算安排25.00万元，比2026年预算执行数增加4.17%。\n");
    let i = ex
        .line_items
        .iter()
        .find(|i| i.table == Some("narrative"))
        .unwrap();
    assert_eq!((i.code.as_deref(), i.year), (Some("2010507"), Some(2027)));
}

/// B5: names that differ from the classification: 其它 = 其他, a former name, and names the
/// report's own table resolves.
#[test]
fn b5_names_that_differ() {
    let ex = read("8.“社会保障和就业支出（类）行政事业单位养老支出（款）其它行政事业单位养老支出（项）”0.50万元，主要用于补助。\n6.“社会保障和就业支出（类）行政事业单位离退休（款）归口管理的行政单位离退休（项）”30.00 万元，主要用于离休费。\n");
    let codes: Vec<Option<String>> = items(&ex).into_iter().map(|i| i.0).collect();
    assert_eq!(codes, [Some("2080599".into()), Some("2080501".into())]);
    // Without a table that states it, 农业农村 / 事业运行 is no code (a code is never made up).
    let ex =
        read("1.“农林水支出（类）农业农村（款）事业运行（项）”12.00万元，主要用于站所运转。\n");
    assert_eq!(items(&ex)[0].0, None);
}

/// B6: zero without a unit; a change amount before the amount.
#[test]
fn b6_zero_and_change_before_amount() {
    let ex = read("1、一般公共服务支出（类）财政事务（款）行政运行（项）。年初预算为 0，支出决算为 25 万元。\n2、一般公共服务支出（类）财政事务（款）一般行政管理事务（项）。比上年增加5.00万元，2026年支出决算为45.00万元。\n");
    let i: Vec<(Option<String>, Option<String>)> = ex
        .line_items
        .iter()
        .map(|i| (i.amount.map(yuan_string), i.budget.map(yuan_string)))
        .collect();
    assert_eq!(
        i,
        [
            (Some("250000".into()), Some("0".into())),
            (Some("450000".into()), None)
        ]
    );
}

/// (unit, year, kind) of a text.
fn meta(text: &str) -> (Option<String>, Option<i32>, Option<&'static str>) {
    let m = read(text).meta;
    (
        m.unit,
        m.year,
        m.kind.map(|k| match k {
            crate::extract::ReportKind::FinalAccounts => "final_accounts",
            crate::extract::ReportKind::Budget => "budget",
        }),
    )
}

fn m(
    unit: &str,
    year: i32,
    kind: &'static str,
) -> (Option<String>, Option<i32>, Option<&'static str>) {
    (Some(unit.to_string()), Some(year), Some(kind))
}

/// C: document meta from any cover, and from the tables when there is no cover.
#[test]
fn c_document_meta() {
    assert_eq!(
        meta("2027 年度\n云岭省档案局\n部门预算公开\n\n一、部门职责\n云岭省档案局主要职责是管理全省档案工作。\n"),
        m("云岭省档案局", 2027, "budget")
    );
    assert_eq!(
        meta("云岭省农业机械化\n技术推广站2027年度部门预算\n\n一、部门职责\n负责农机推广。\n"),
        m("云岭省农业机械化技术推广站", 2027, "budget")
    );
    assert_eq!(
        meta("青禾区2027年区级单位预算\n预算单位：青禾区档案馆\n\n一、单位职责\n负责档案工作。\n"),
        m("青禾区档案馆", 2027, "budget")
    );
    assert_eq!(
        meta("部门：云岭省档案局              单位：万元\n2027年部门收支预算总表\n项目        2027年预算数\n一、一般公共预算拨款收入       100.00\n"),
        m("云岭省档案局", 2027, "budget")
    );
    // No cover at all: the subject of the opening sentence.
    assert_eq!(
        meta(
            "一、部门职责\n云岭省档案局主要职责是管理全省档案工作。\n本报告为2027年度部门预算。\n"
        )
        .0,
        Some("云岭省档案局".to_string())
    );
    // The cover drops a prefix the body uses: the fuller form.
    assert_eq!(
        meta("云岭省委宣传部\n2027年度部门预算\n\n一、部门职责\n中共云岭省委宣传部主要职责是宣传。\n").0,
        Some("中共云岭省委宣传部".to_string())
    );
}

/// D: the caption is the line that names the table, not the label above it; a table
/// continued on the next page is one table; `项目 | 金额` is no performance project.
#[test]
fn d_table_captions_and_no_false_projects() {
    let text = "青禾区档案馆2027年度部门预算\n\x0c公开05表\n\n            财政拨款支出预算表（功能科目）\n部门：云岭省档案局                                          单位：万元\n 功能科目代码          功能科目名称                 金额\n                       合   计                   1,234.56\n 201                   一般公共服务支出              1,234.56\n 20101                 人大事务                      1,234.56\n 2010101               行政运行                        834.56\n\x0c 2010102               一般行政管理事务                400.00\n\x0c            政府采购支出预算表\n部门：云岭省档案局                                          单位：万元\n      项目名称                    金额\n      办公设备采购                 12.00\n      印刷服务                      3.00\n";
    let doc = crate::reader::parse_text(text, Format::Text, Some("utf-8"));
    let ex = extract(&doc);
    let titles: Vec<(Option<&str>, Option<&str>)> = ex
        .tables
        .iter()
        .map(|t| (t.title.as_deref(), t.key))
        .collect();
    assert_eq!(
        titles,
        [
            (
                Some("财政拨款支出预算表（功能科目）"),
                Some("budget_expense")
            ),
            (Some("政府采购支出预算表"), Some("budget_expense")),
        ],
        "one table over two pages, and its caption, not its label"
    );
    let codes: Vec<&str> = ex
        .line_items
        .iter()
        .filter_map(|i| i.code.as_deref())
        .filter(|c| c.len() == 7)
        .collect();
    assert_eq!(codes, ["2010101", "2010102"]);
    assert!(ex.projects.is_empty(), "{:?}", ex.projects);
}

/// D1: a budget's performance target table (财政项目支出绩效目标填报表): merged labels printed
/// on the middle row of their span and wrapped above and below, the `年度(/项目)指标值` column.
/// Its amounts state no unit: they are in the template's 元 (`data/default_units.tsv`), while
/// the same table with `单位：万元` above it is in 万元.
#[test]
fn d1_budget_target_table() {
    let text = "青禾区枫林街道办事处2027年度部门预算\n\x0c                        财政项目支出绩效目标填报表\n  项目名称        社区书屋运营经费         项目性质     经常性项目 项目类别   特定目标类\n  主管部门     青禾区枫林街道办事处        实施单位     青禾区枫林街道办事处\n  计划开始日期          2027-01-01      计划完成日期           2027-12-31\n         项目资金总额                 120,000.00 年度资金申请总额      120,000.00\n     一级指标    二级指标              三级指标                 年度(/项目)指标值\n              数量指标              开放天数                      ≥300.00(天)\n     产出指标    质量指标              图书完好率                     =95.00(%)\n              时效指标              按期开放                         及时\n            服务对象满意度\n    满意度指标                       读者满意度                    ≥90.00(%)\n              指标\n";
    let ex = read(text);
    assert_eq!(ex.projects.len(), 1);
    let p = &ex.projects[0];
    assert_eq!(p.name.as_deref(), Some("社区书屋运营经费"));
    assert_eq!(p.budget.map(yuan_string).as_deref(), Some("120000"));
    let stated = read(&text.replace(
        "填报表\n",
        "填报表\n                                                   单位：万元\n",
    ));
    assert_eq!(
        stated.projects[0].budget.map(yuan_string).as_deref(),
        Some("1200000000")
    );
    type Row<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
        Option<&'a str>,
    );
    let got: Vec<Row> = p
        .indicators
        .iter()
        .map(|i| {
            (
                i.level1.as_deref(),
                i.level2.as_deref(),
                i.name.as_deref(),
                i.target.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                Some("产出指标"),
                Some("数量指标"),
                Some("开放天数"),
                Some("≥300.00(天)")
            ),
            (
                Some("产出指标"),
                Some("质量指标"),
                Some("图书完好率"),
                Some("=95.00(%)")
            ),
            (
                Some("产出指标"),
                Some("时效指标"),
                Some("按期开放"),
                Some("及时")
            ),
            (
                Some("满意度指标"),
                Some("服务对象满意度指标"),
                Some("读者满意度"),
                Some("≥90.00(%)")
            ),
        ]
    );
    let v = p.indicators[1].target_value.as_ref().unwrap();
    assert_eq!((v.op, v.unit), ("=", Some("percent")));
    // `1万人` is a count of people, not 10000 yuan.
    let v = crate::extract::indicators::parse_value("服务1万人").unwrap();
    assert_eq!(
        (yuan_string(v.value), v.unit),
        ("10000".to_string(), Some("count"))
    );
}
