//! The national template's own wording (财政部's 部门决算 and 部门预算 公开模板, which the
//! provinces copy and fill in): reports that follow it word for word, with amounts filled in,
//! must give every figure the template states, with its share and change, no amount left
//! unread, and no check that fails or warns.

use std::path::Path;

use serde_json::Value;

use crate::common::of_type;

/// A 决算 in the template's wording, its XX filled in so that the numbers agree.
const FINAL_ACCOUNTS: &str = r"某某市某某局2022年度部门决算

第二部分 2022年度部门决算情况说明

一、收入支出决算总体情况说明
2022年度收入、支出决算总计1,234.56万元。与2021年度相比，收入、支出决算总计各增加110.20万元，增长9.80%。主要原因是人员增加。
二、收入决算情况说明
2022年度收入合计1,200.00万元，其中：财政拨款收入1,104.00万元，占92.00%；上级补助收入0万元，占0%；事业收入48.00万元，占4.00%；经营收入0万元，占0%；附属单位上缴收入0万元，占0%；其他收入48.00万元，占4.00%。
三、支出决算情况说明
2022年度支出合计1,180.00万元，其中：基本支出900.00万元，占76.27%；项目支出280.00万元，占23.73%；上缴上级支出0万元，占0%；经营支出0万元，占0%；对附属单位补助支出0万元，占0%。
四、财政拨款收入支出决算总体情况说明
2022年度财政拨款收入、支出决算总计1,150.00万元。与2021年度相比，财政拨款收入、支出决算总计各增加100.00万元，增长9.52%。主要原因是人员增加。
五、一般公共预算财政拨款支出决算情况说明
（一）一般公共预算财政拨款支出决算总体情况
2022年度一般公共预算财政拨款支出1,080.00万元，占本年支出合计的91.53%。与2021年度相比，一般公共预算财政拨款支出增加80.00万元，增长8.00%。主要原因是人员增加。
（三）一般公共预算财政拨款支出决算具体情况
2022年度一般公共预算财政拨款支出年初预算为1,000.00万元，支出决算为1,080.00万元，完成年初预算的108.00%。
六、一般公共预算财政拨款基本支出决算情况说明
2022年度一般公共预算财政拨款基本支出800.00万元，其中：人员经费700.00万元，主要包括基本工资；公用经费100.00万元，主要包括办公费。
七、“三公”经费财政拨款支出决算情况说明
2022年度“三公”经费财政拨款支出决算为12.00万元，完成预算的80.00%，比2021年度减少3.00万元，下降20.00%。
因公出国（境）费支出决算为0万元，完成预算的0%。
公务用车购置及运行维护费支出决算为8.00万元，完成预算的80.00%。其中：公务用车购置费0万元；公务用车运行维护费8.00万元。
公务接待费支出决算为4.00万元，完成预算的80.00%。
八、机关运行经费支出说明
2022年度机关运行经费支出100.00万元，比2021年度增加5.00万元，增长5.26%。
九、政府采购支出说明
2022年度政府采购支出总额60.00万元，其中：政府采购货物支出20.00万元、政府采购工程支出0万元、政府采购服务支出40.00万元。授予中小企业合同金额50.00万元，占政府采购支出总额的83.33%，其中：授予小微企业合同金额30.00万元，占政府采购支出总额的50.00%。
十、预算绩效情况说明
根据预算绩效管理要求，本部门组织对2022年度一般公共预算项目支出全面开展绩效自评，其中，一级项目2个，二级项目5个，共涉及资金280.00万元，占一般公共预算项目支出总额的100.00%。
";

/// A 预算 in the template's wording (2024 and later), filled in the same way.
const BUDGET: &str = r"某某县教育局2024年部门预算

第二部分 2024年部门预算情况说明

一、收支预算总体情况
2024年收入、支出预算总计4,000.00万元，与上年相比收、支预算总计各增加156.78万元，主要原因是学生人数增加。
二、收入预算情况
收入预算总计4,000.00万元。其中：一般公共预算收入3,000.00万元，占75.00%；政府性基金预算收入400.00万元，占10.00%；事业收入400.00万元，占10.00%；上年结转结余200.00万元，占5.00%。
三、支出预算情况
支出预算总计4,000.00万元。其中：基本支出3,000.00万元，占75.00%；项目支出1,000.00万元，占25.00%。
四、财政拨款收支预算总体情况
财政拨款收、支总预算3,400.00万元。与上年相比，财政拨款收、支总计各增加120.00万元，主要原因是学生人数增加。
五、一般公共预算当年拨款情况
2024年一般公共预算当年拨款3,000.00万元，比上年增加100.00万元，增长3.45%，主要原因是学生人数增加。
六、一般公共预算基本支出情况
2024年一般公共预算基本支出2,400.00万元，其中：人员经费2,100.00万元，主要包括基本工资；公用经费300.00万元，主要包括办公费。
七、“三公”经费财政拨款预算情况
2024年“三公”经费财政拨款预算10.00万元，比上年减少2.00万元，下降16.67%。其中：因公出国（境）费0万元，与上年持平；公务用车购置及运行费6.00万元，比上年减少1.00万元（其中：公务用车购置费0万元，公务用车运行费6.00万元）；公务接待费4.00万元，比上年减少1.00万元。
八、机关运行经费
2024年机关运行经费预算300.00万元，比上年增加10.00万元，增长3.45%。
九、政府采购情况
2024年政府采购预算总额500.00万元，其中：政府采购货物预算200.00万元、政府采购工程预算100.00万元、政府采购服务预算200.00万元。面向中小企业预留政府采购项目预算金额400.00万元，其中：预留给小型和微型企业的政府采购项目预算为300.00万元。
十、国有资产占有使用情况
截至2023年12月31日，共有车辆3辆，其中：一般公务用车2辆，执法执勤用车1辆。
十一、预算绩效管理情况
2024年本部门实行绩效目标管理的项目8个，涉及一般公共预算当年拨款600.00万元。
";

/// A budget in wordings other provinces use: `收支预算总额`, `上年结转` without `结余`, `较上年增长
/// 2.50%` (a percentage right after the direction), `货物类`/`工程类`/`服务类`, `单位价值…以上`
/// thresholds, and a 决算's `降低5.88%`.
const VARIANT_BUDGET: &str = r"某某区某某街道办事处2024年部门预算
一、部门收支预算总体情况
2024年收支预算总额2,000.00万元，比上年增加100.00万元，增长5.26%。
二、部门收入预算情况
2024年部门收入预算2,000.00万元，其中：一般公共预算拨款收入1,800.00万元，占90.00%；政府性基金预算拨款收入100.00万元，占5.00%；上年结转100.00万元，占5.00%。
三、部门支出预算情况
2024年部门支出预算2,000.00万元，其中：基本支出1,500.00万元，占75.00%；项目支出500.00万元，占25.00%。
四、“三公”经费预算情况
2024年“三公”经费预算数为20.00万元，较上年减少2.00万元，下降9.09%。其中：因公出国（境）费0万元；公务接待费5.00万元；公务用车购置及运行维护费15.00万元（其中：公务用车购置费0万元，公务用车运行维护费15.00万元）。
五、机关运行经费预算
2024年本部门机关运行经费预算为120.00万元，较上年增长2.50%。
六、政府采购预算情况
2024年本部门政府采购预算总额为300.00万元，其中：货物类100.00万元，工程类0万元，服务类200.00万元。
七、国有资产占用情况
截至2023年12月31日，本部门共有车辆2辆，单位价值50万元以上通用设备0台（套），单位价值100万元以上专用设备0台（套）。
";

/// The same statements in wordings other provinces use: `收、支总计均为`, `一般公共预算拨款收入`
/// without `财政`, `财政拨款支出` without `为`, a change after a share, `较上年`.
const VARIANT: &str = r"某某省某某厅2023年度部门决算

一、收入支出决算总体情况说明
2023年度收、支总计均为500.00万元。与2022年度相比，收、支总计各减少20.00万元，下降3.85%。
二、收入决算情况说明
本年收入合计480.00万元，其中：一般公共预算拨款收入400.00万元，占83.33%；政府性基金预算拨款收入80.00万元，占16.67%。
四、财政拨款收入支出决算总体情况说明
2023年度财政拨款收入480.00万元，财政拨款支出470.00万元。
五、一般公共预算财政拨款支出决算情况说明
2023年度一般公共预算财政拨款支出决算数为390.00万元，占本年支出合计的82.98%，较上年减少10.00万元，下降2.50%。
七、“三公”经费财政拨款支出决算情况说明
2023年度“三公”经费财政拨款支出决算数6.00万元。其中：因公出国（境）费0万元；公务用车购置及运行维护费4.00万元；公务接待费2.00万元。
八、政府性基金预算财政拨款收入支出决算情况说明
2023年度政府性基金预算财政拨款支出80.00万元。
十、机关运行经费
2023年度本部门机关运行经费支出50.00万元，较上年增长2.00万元，增长4.17%。
";

/// The template's 决算具体情况: one line per 项, `类（类）款（款）项（项）` and its amounts.
const ITEMS: &str = r"某某市某某局2022年度部门决算

五、一般公共预算财政拨款支出决算情况说明
（三）一般公共预算财政拨款支出决算具体情况
2022年度一般公共预算财政拨款支出年初预算为300.00万元，支出决算为320.00万元，完成年初预算的106.67%。其中：
1.一般公共服务（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。年初预算为100.00万元，支出决算为110.00万元，完成年初预算的110.00%。决算数大于年初预算数的主要原因是人员增加。
2.一般公共服务（类）政府办公厅（室）及相关机构事务（款）一般行政管理事务（项）：支出决算为50.00万元，完成年初预算的100.00%。
3.社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）。年初预算为40.00万元，支出决算为40.00万元，完成年初预算的100.00%。
4.卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）。年初预算为20.00万元，支出决算为20.00万元，完成年初预算的100.00%。
5.住房保障支出（类）住房改革支出（款）住房公积金（项）。年初预算为90.00万元，支出决算为100.00万元，完成年初预算的111.11%。
";

/// The same lines in other shapes: a 类 as a sub-heading, quoted names with bare markers,
/// a code before the name, dashed names without quotes, square brackets.
const ITEMS_IN_OTHER_SHAPES: &str = r"某某县某某镇人民政府2023年度部门决算

五、一般公共预算财政拨款支出决算情况说明
（三）一般公共预算财政拨款支出决算具体情况
2023年度一般公共预算财政拨款支出年初预算为300.00万元，支出决算为320.00万元，完成年初预算的106.67%。其中：
（一）一般公共服务支出
1.政府办公厅（室）及相关机构事务（款）行政运行（项）：支出决算为110.00万元，完成年初预算的110.00%。
2.“一般公共服务支出”类“政府办公厅（室）及相关机构事务”款“一般行政管理事务”项，支出决算为50.00万元。
（二）社会保障和就业支出
3.2080505机关事业单位基本养老保险缴费支出：支出决算为40.00万元，完成年初预算的100.00%。
4.卫生健康支出-行政事业单位医疗-行政单位医疗：支出决算为20.00万元。
5.住房保障支出[类]住房改革支出[款]住房公积金[项]支出决算为100.00万元。
";

/// The budget template's 一般公共预算当年拨款 part: its class totals and one line per 项, each
/// with its change.
const BUDGET_ITEMS: &str = r"某某县教育局2024年部门预算

五、一般公共预算当年拨款情况
（一）一般公共预算当年拨款规模变化情况
2024年一般公共预算当年拨款3,000.00万元，比上年增加100.00万元，增长3.45%。
（二）一般公共预算当年拨款结构情况
教育支出（类）2,400.00万元，占80.00%；社会保障和就业支出（类）300.00万元，占10.00%；卫生健康支出（类）150.00万元，占5.00%；住房保障支出（类）150.00万元，占5.00%。
（三）一般公共预算当年拨款具体使用情况
1.教育支出（类）教育管理事务（款）行政运行（项）2024年预算数为400.00万元，比上年增加20.00万元，增长5.26%，主要原因是人员增加。
2.教育支出（类）普通教育（款）小学教育（项）2024年预算数为2,000.00万元，与上年持平。
3.社会保障和就业支出（类）行政事业单位养老支出（款）机关事业单位基本养老保险缴费支出（项）2024年预算数为300.00万元，比上年减少10.00万元，下降3.23%。
4.卫生健康支出（类）行政事业单位医疗（款）事业单位医疗（项）2024年预算数为150.00万元。
5.住房保障支出（类）住房改革支出（款）住房公积金（项）2024年预算数为150.00万元。
";

/// The 决算 template's “三公” part in detail: each item restated with `完成预算的X%` before
/// its change.
const THREE_PUBLIC: &str = r"某某市某某局2022年度部门决算

七、“三公”经费财政拨款支出决算情况说明
（一）“三公”经费财政拨款支出决算总体情况说明
2022年度“三公”经费财政拨款支出决算为12.00万元，完成预算的80.00%，比2021年度减少3.00万元，下降20.00%。决算数小于预算数的主要原因是厉行节约。
（二）“三公”经费财政拨款支出决算具体情况说明
2022年度“三公”经费财政拨款支出决算中，因公出国（境）费支出决算0万元，占0%；公务用车购置及运行维护费支出决算8.00万元，占66.67%；公务接待费支出决算4.00万元，占33.33%。具体情况如下：
1.因公出国（境）费支出0万元，完成预算的0%，与2021年度持平。
2.公务用车购置及运行维护费支出8.00万元，完成预算的80.00%，比2021年度减少1.00万元，下降11.11%。其中：公务用车购置费0万元，与2021年度持平；公务用车运行维护费8.00万元，比2021年度减少1.00万元，下降11.11%。截至2022年12月31日，单位共有公务用车2辆。
3.公务接待费支出4.00万元，完成预算的80.00%，比2021年度减少2.00万元，下降33.33%。其中：国内公务接待支出4.00万元，接待20批次，150人次。
";

/// Lines that state codes: after the name in brackets, before the name, and the whole code of
/// each level in its marker.
const ITEMS_WITH_CODES: &str = r"某某县某某局2023年度部门决算

五、一般公共预算财政拨款支出决算情况说明
（三）一般公共预算财政拨款支出决算具体情况
2023年度一般公共预算财政拨款支出年初预算为300.00万元，支出决算为320.00万元，完成年初预算的106.67%。其中：
1.行政运行（2010301）110.00万元，主要用于机关日常运转。
2.2010302一般行政管理事务50.00万元，主要用于专项工作。
3.社会保障和就业支出（208）行政事业单位养老支出（20805）机关事业单位基本养老保险缴费支出（2080505）40.00万元。
4.卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）20.00万元。
5.住房保障支出（类）住房改革支出（款）住房公积金（项）100.00万元。
";

/// Another province's wording: `收入总计…，支出总计…` stated apart, `本年收入`/`本年支出`
/// without `合计`, the assets paragraph with its thresholds (`单价50万元以上`, no figure).
const VARIANT_SEPARATE_TOTALS: &str = r"某某市某某局2022年度部门决算

一、收入支出决算总体情况说明
本部门2022年度收入总计1,234.56万元，支出总计1,234.56万元，与2021年度相比，收、支总计各增加110.20万元，增长9.80%。
二、收入决算情况说明
本部门2022年度本年收入1,200.00万元，其中：财政拨款收入1,104.00万元，占92.00%；事业收入48.00万元，占4.00%；其他收入48.00万元，占4.00%。
三、支出决算情况说明
本部门2022年度本年支出1,180.00万元，其中：基本支出900.00万元，占76.27%；项目支出280.00万元，占23.73%。
八、机关运行经费支出情况说明
本部门2022年度机关运行经费支出100.00万元，比2021年度减少5.00万元，下降4.76%。主要原因是压减公用经费。
九、政府采购支出情况说明
本部门2022年度政府采购支出总额60.00万元，其中：政府采购货物支出20.00万元、政府采购工程支出0万元、政府采购服务支出40.00万元。授予中小企业合同金额50.00万元，占政府采购支出总额83.33%，其中：授予小微企业合同金额30.00万元，占政府采购支出总额50.00%。
十、国有资产占用情况说明
截至2022年12月31日，本部门共有车辆2辆，其中：副部（省）级及以上领导用车0辆，主要领导干部用车0辆，机要通信用车1辆，应急保障用车1辆。单价50万元以上通用设备0台（套），单价100万元以上专用设备0台（套）。
";

/// The budget template's 一般公共预算支出表 pasted as TAB-separated rows (its 合计 row's first
/// cell empty), to stand before the narrative of [`BUDGET_ITEMS`], which names its entries
/// without codes.
const BUDGET_TABLE: &str = "某某县教育局2024年部门预算

第二部分 2024年部门预算表

一般公共预算支出表
单位：万元
科目编码\t科目名称\t合计\t基本支出\t项目支出
\t合计\t3,000.00\t2,500.00\t500.00
205\t教育支出\t2,400.00\t1,900.00\t500.00
20501\t教育管理事务\t400.00\t400.00\t0.00
2050101\t行政运行\t400.00\t400.00\t0.00
20502\t普通教育\t2,000.00\t1,500.00\t500.00
2050202\t小学教育\t2,000.00\t1,500.00\t500.00
208\t社会保障和就业支出\t300.00\t300.00\t0.00
20805\t行政事业单位养老支出\t300.00\t300.00\t0.00
2080505\t机关事业单位基本养老保险缴费支出\t300.00\t300.00\t0.00
210\t卫生健康支出\t150.00\t150.00\t0.00
21011\t行政事业单位医疗\t150.00\t150.00\t0.00
2101102\t事业单位医疗\t150.00\t150.00\t0.00
221\t住房保障支出\t150.00\t150.00\t0.00
22102\t住房改革支出\t150.00\t150.00\t0.00
2210201\t住房公积金\t150.00\t150.00\t0.00
";

/// A budget in other words again: `部门收入预算`, `财政拨款收支预算总额`, `一般公共预算支出预算`,
/// and line items under `（一）`, `（二）` with `2024年预算数为`.
const BUDGET_LABELLED_ITEMS: &str = r"某某区文化和广电旅游体育局2024年部门预算

一、部门收支预算总体情况
根据部门综合预算编制原则，本部门所有收入和支出均纳入部门预算管理。2024年部门收入预算1,500.00万元，比2023年预算增加100.00万元，增长7.14%。其中：一般公共预算拨款收入1,400.00万元，政府性基金预算拨款收入0万元，事业收入100.00万元。
2024年部门支出预算1,500.00万元，其中：基本支出1,000.00万元，占66.67%；项目支出500.00万元，占33.33%。
二、财政拨款收支预算总体情况
2024年财政拨款收支预算总额1,400.00万元，比2023年预算增加80.00万元，增长6.06%。
三、一般公共预算支出预算情况
2024年一般公共预算支出预算1,400.00万元，比2023年预算增加80.00万元，增长6.06%。主要用于以下方面：
（一）文化旅游体育与传媒支出（类）文化和旅游（款）行政运行（项）2024年预算数为300.00万元，比2023年预算数增加20.00万元，增长7.14%，主要原因是人员增加。
（二）文化旅游体育与传媒支出（类）文化和旅游（款）群众文化（项）2024年预算数为1,100.00万元，比2023年预算数增加60.00万元，增长5.77%。
四、一般公共预算基本支出预算情况
2024年一般公共预算基本支出预算1,000.00万元，其中：人员经费900.00万元，主要包括基本工资；公用经费100.00万元，主要包括办公费。
五、“三公”经费预算情况
2024年“三公”经费财政拨款预算20.00万元，比2023年预算减少2.00万元。其中：因公出国（境）费0万元；公务用车购置及运行维护费15.00万元；公务接待费5.00万元。
六、政府性基金预算支出情况
本部门2024年无政府性基金预算支出。
七、其他重要事项的情况说明
（一）机关运行经费
2024年本部门机关运行经费预算100.00万元，比2023年预算减少5.00万元，下降4.76%。
（二）政府采购情况
2024年本部门政府采购预算总额200.00万元，其中：货物类50.00万元，工程类0万元，服务类150.00万元。
（三）国有资产占有使用情况
截至2023年12月31日，本部门共有车辆2辆，其中：一般公务用车1辆，其他用车1辆。
";

/// A 乡镇's 决算 with every amount in 元 (`12,345,678.90元`), `收、支总计各`, and no
/// government-fund spending (`无…支出`, no figure).
const TOWNSHIP_IN_YUAN: &str = r"某某县某某镇人民政府2022年度部门决算公开

第二部分 2022年度部门决算情况说明
一、收入支出决算总体情况说明
2022年度收、支总计各12,345,678.90元。与2021年度相比，收、支总计各增加1,234,567.80元，增长11.11%。主要原因是项目增加。
二、收入决算情况说明
本年收入合计11,000,000.00元，其中：财政拨款收入10,500,000.00元，占95.45%；其他收入500,000.00元，占4.55%。
三、支出决算情况说明
本年支出合计11,500,000.00元，其中：基本支出6,900,000.00元，占60%；项目支出4,600,000.00元，占40%。
四、财政拨款收入支出决算总体情况说明
2022年度财政拨款收、支总计各10,800,000.00元。与2021年度相比，财政拨款收、支总计各增加800,000.00元，增长8%。
五、一般公共预算财政拨款支出决算情况说明
（一）一般公共预算财政拨款支出决算总体情况
2022年度一般公共预算财政拨款支出10,000,000.00元，占本年支出合计的86.96%。与2021年度相比，一般公共预算财政拨款支出增加500,000.00元，增长5.26%。
（二）一般公共预算财政拨款支出决算结构情况
2022年度一般公共预算财政拨款支出10,000,000.00元，主要用于以下方面：一般公共服务支出5,000,000.00元，占50%；农林水支出5,000,000.00元，占50%。
（三）一般公共预算财政拨款支出决算具体情况
1.一般公共服务支出（类）政府办公厅（室）及相关机构事务（款）行政运行（项）。年初预算为4,000,000.00元，支出决算为5,000,000.00元，完成年初预算的125%。
2.农林水支出（类）农村综合改革（款）对村民委员会和村党支部的补助（项）。年初预算为5,000,000.00元，支出决算为5,000,000.00元，完成年初预算的100%。
六、一般公共预算财政拨款基本支出决算情况说明
2022年度一般公共预算财政拨款基本支出6,500,000.00元，其中：人员经费5,800,000.00元；公用经费700,000.00元。
七、“三公”经费财政拨款支出决算情况说明
2022年度“三公”经费财政拨款支出决算为60,000.00元，完成预算的75%，其中：因公出国（境）费0元；公务用车购置及运行维护费40,000.00元；公务接待费20,000.00元。
八、政府性基金预算支出决算情况说明
本单位2022年度无政府性基金预算财政拨款支出。
九、国有资本经营预算支出决算情况说明
本单位2022年度无国有资本经营预算财政拨款支出。
十、机关运行经费支出情况说明
2022年度机关运行经费支出700,000.00元，比上年减少50,000.00元，下降6.67%。
十一、政府采购支出情况说明
2022年度政府采购支出总额0元。
十二、国有资产占用情况说明
截至2022年12月31日，本单位共有车辆2辆，其中：一般公务用车1辆，执法执勤用车1辆。
";

/// The template texts the layout, Word and web-page tests read in each form.
const ALL_TEXTS: [(&str, &str); 12] = [
    ("final", FINAL_ACCOUNTS),
    ("budget", BUDGET),
    ("three-public", THREE_PUBLIC),
    ("variant", VARIANT),
    ("variant-budget", VARIANT_BUDGET),
    ("separate-totals", VARIANT_SEPARATE_TOTALS),
    ("items", ITEMS),
    ("items-other-shapes", ITEMS_IN_OTHER_SHAPES),
    ("budget-items", BUDGET_ITEMS),
    ("items-with-codes", ITEMS_WITH_CODES),
    ("labelled-items", BUDGET_LABELLED_ITEMS),
    ("township-in-yuan", TOWNSHIP_IN_YUAN),
];

fn records(name: &str, text: &str) -> Vec<Value> {
    juesuan::process_bytes(Path::new(name), text.as_bytes(), &Default::default())
        .iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect()
}

/// A figure as `value share direction amount pct`, `-` for what it does not state.
fn figure(records: &[Value], key: &str) -> String {
    let f = of_type(records, "figure")
        .into_iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("no {key}"));
    let text = |v: &Value| v.as_str().unwrap_or("-").to_string();
    let ch = &f["change"];
    [
        text(&f["value"]),
        text(&f["share_pct"]),
        text(&ch["direction"]),
        text(&ch["amount"]),
        text(&ch["pct"]),
    ]
    .join(" ")
}

/// Each figure as `want` says, as far as it goes (`"12000000"` checks the value only, `"480000
/// 4"` the value and share).
fn expect(records: &[Value], want: &[(&str, &str)]) {
    for (key, want) in want {
        let got = figure(records, key);
        let n = want.split(' ').count();
        let head: Vec<&str> = got.split(' ').take(n).collect();
        assert_eq!(head.join(" "), *want, "{key}: {got}");
    }
}

/// Reads a report whole: its unit, year and kind, `figures` figures of which `want` as
/// [`expect`] says, no alarm and nothing unread.
fn reads_whole(
    name: &str,
    text: &str,
    meta: (&str, i32, &str),
    figures: usize,
    want: &[(&str, &str)],
) {
    let r = records(name, text);
    assert_eq!(
        (&r[0]["unit"], &r[0]["year"], &r[0]["report_kind"]),
        (&meta.0.into(), &meta.1.into(), &meta.2.into())
    );
    expect(&r, want);
    assert_eq!(of_type(&r, "figure").len(), figures);
    no_alarm(&r);
}

/// Every check passes, but for the standard tables, which a narrative alone does not hold.
fn no_alarm(records: &[Value]) {
    for c in of_type(records, "check") {
        if c["rule"] != "standard_tables" {
            assert_eq!(c["status"], "pass", "{c}");
        }
    }
    assert_eq!(records[0]["unread_amounts"], 0);
}

#[test]
fn the_final_accounts_template_gives_every_figure() {
    reads_whole(
        "national-2022.txt",
        FINAL_ACCOUNTS,
        ("某某市某某局", 2022, "final_accounts"),
        35,
        &[
            // `收入、支出决算总计…。与2021年度相比，收入、支出决算总计各增加110.20万元，增长9.80%`.
            ("total.grand", "12345600 - increase 1102000 9.8"),
            // `收入合计` and `支出合计` without `本年`.
            ("total.income", "12000000"),
            ("total.expense", "11800000"),
            ("income.other", "480000 4"),
            ("appropriation.grand", "11500000 - increase 1000000 9.52"),
            ("general_budget.expense", "10800000 91.53 increase 800000 8"),
            ("general_budget.budget", "10000000"),
            ("general_budget.completion_pct", "108"),
            ("basic.total", "8000000"),
            // The change after `，完成预算的80.00%`.
            ("three_public.total", "120000 - decrease 30000 20"),
            ("three_public.vehicle_operation", "80000"),
            ("operating_costs", "1000000 - increase 50000 5.26"),
            ("procurement.small_micro", "300000 50"),
            // `全面开展绩效自评，…共涉及资金280.00万元，占一般公共预算项目支出总额的100.00%`.
            ("performance.evaluated_funds", "2800000 100"),
        ],
    );
    // Headings with the year before them, or without `总体`, are the same sections: every
    // figure that counts only in its section is still read.
    let dated = FINAL_ACCOUNTS
        .replace("二、收入决算情况说明", "二、2022年度收入决算情况说明")
        .replace("三、支出决算情况说明", "三、2022年度支出决算情况说明")
        .replace(
            "四、财政拨款收入支出决算总体情况说明",
            "四、财政拨款收入支出决算情况说明",
        );
    reads_whole(
        "national-2022-dated.txt",
        &dated,
        ("某某市某某局", 2022, "final_accounts"),
        35,
        &[
            ("total.income", "12000000"),
            ("income.other", "480000 4"),
            ("total.expense", "11800000"),
            ("expense.basic", "9000000 76.27"),
            ("appropriation.grand", "11500000 - increase 1000000 9.52"),
        ],
    );
}

#[test]
fn the_budget_template_gives_every_figure() {
    reads_whole(
        "national-2024-budget.txt",
        BUDGET,
        ("某某县教育局", 2024, "budget"),
        30,
        &[
            // `收入、支出预算总计…，与上年相比收、支预算总计各增加156.78万元`.
            ("total.grand", "40000000 - increase 1567800 -"),
            // `上年结转结余200.00万元，占5.00%`: a part of 收入预算总计, whose shares then sum to 100.
            ("carryover.begin", "2000000 5"),
            ("appropriation.grand", "34000000 - increase 1200000 -"),
            // `一般公共预算当年拨款3,000.00万元，比上年增加100.00万元，增长3.45%`.
            ("general_budget.expense", "30000000 - increase 1000000 3.45"),
            // `一般公共预算基本支出`, without `财政拨款`.
            ("basic.total", "24000000"),
            ("three_public.overseas", "0 - flat - -"),
            ("procurement.small_micro", "3000000"),
            ("assets.vehicles", "3"),
            // `实行绩效目标管理的项目8个，涉及一般公共预算当年拨款600.00万元`.
            ("performance.target_projects", "8"),
            ("performance.target_funds", "6000000"),
        ],
    );
}

#[test]
fn a_budget_in_other_words_gives_every_figure() {
    reads_whole(
        "variant-2024-budget.txt",
        VARIANT_BUDGET,
        ("某某区某某街道办事处", 2024, "budget"),
        20,
        &[
            // `收支预算总额2,000.00万元，比上年增加100.00万元，增长5.26%`.
            ("total.grand", "20000000 - increase 1000000 5.26"),
            // `上年结转100.00万元，占5.00%`: the shares of the income now sum to 100.
            ("carryover.begin", "1000000 5"),
            // `较上年增长2.50%`.
            ("operating_costs", "1200000 - increase - 2.5"),
            ("procurement.goods", "1000000"),
            ("procurement.works", "0"),
            ("procurement.services", "2000000"),
        ],
    );
    // `比上年减少5.00万元，降低5.88%`.
    let text = VARIANT_BUDGET
        .replace("部门预算", "部门决算")
        .replace("机关运行经费预算为", "机关运行经费支出")
        .replace("较上年增长2.50%", "比上年减少5.00万元，降低5.88%");
    let r = records("variant-2024-final.txt", &text);
    expect(&r, &[("operating_costs", "1200000 - decrease 50000 5.88")]);
}

/// A colon between a label and its amount (`收入合计：1,200.00万元`) changes nothing.
#[test]
fn a_colon_before_the_amount_changes_nothing() {
    let plain = records("plain.txt", FINAL_ACCOUNTS);
    let colon = FINAL_ACCOUNTS
        .replace("收入合计1,200.00", "收入合计：1,200.00")
        .replace("基本支出900.00", "基本支出为：900.00")
        .replace("公务接待费支出决算为4.00", "公务接待费支出决算为：4.00");
    let r = records("colon.txt", &colon);
    let fields = ["key", "value", "share_pct"];
    assert_eq!(rows(&r, "figure", &fields), rows(&plain, "figure", &fields));
}

#[test]
fn the_template_in_other_words_gives_every_figure() {
    let r = records("variant-2023.txt", VARIANT);
    expect(
        &r,
        &[
            ("total.grand", "5000000 - decrease 200000 3.85"),
            ("income.general_budget", "4000000"),
            ("income.government_fund", "800000 16.67"),
            ("appropriation.income", "4800000"),
            ("appropriation.expense", "4700000"),
            (
                "general_budget.expense",
                "3900000 82.98 decrease 100000 2.5",
            ),
            ("operating_costs", "500000 - increase 20000 4.17"),
        ],
    );
    assert_eq!(of_type(&r, "figure").len(), 13);
    no_alarm(&r);
}

/// The records of a type as lines of the named fields (`change.direction` reaches into an
/// object), `-` for a null.
fn rows(records: &[Value], kind: &str, fields: &[&str]) -> Vec<String> {
    of_type(records, kind)
        .iter()
        .map(|r| {
            fields
                .iter()
                .map(|f| {
                    let v = f.split('.').fold(*r, |v, k| &v[k]);
                    match v {
                        Value::Null => "-".to_string(),
                        Value::String(s) => s.clone(),
                        v => v.to_string(),
                    }
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Line items as `seq code name amount 年初预算 completion`.
const ITEM_FIELDS: &[&str] = &["seq", "code", "name", "amount", "budget", "completion_pct"];

#[test]
fn narrative_line_items_in_every_shape() {
    let r = records("items-2022.txt", ITEMS);
    assert_eq!(
        rows(&r, "line_item", ITEM_FIELDS),
        [
            "1 2010301 行政运行 1100000 1000000 110",
            "2 2010302 一般行政管理事务 500000 - 100",
            "3 2080505 机关事业单位基本养老保险缴费支出 400000 400000 100",
            "4 2101101 行政单位医疗 200000 200000 100",
            "5 2210201 住房公积金 1000000 900000 111.11",
        ]
    );
    // `年初预算为300.00万元，支出决算为320.00万元`: the total, stated after its budget.
    expect(&r, &[("general_budget.expense", "3200000")]);
    no_alarm(&r);

    let r = records("items-2023.txt", ITEMS_IN_OTHER_SHAPES);
    assert_eq!(
        rows(&r, "line_item", ITEM_FIELDS),
        [
            "1 2010301 行政运行 1100000 - 110",
            "2 2010302 一般行政管理事务 500000 - -",
            "3 2080505 机关事业单位基本养老保险缴费支出 400000 - 100",
            "4 2101101 行政单位医疗 200000 - -",
            "5 2210201 住房公积金 1000000 - -",
        ]
    );
    assert_eq!(r[0]["unread_amounts"], 0);

    let r = records("items-with-codes.txt", ITEMS_WITH_CODES);
    assert_eq!(
        rows(&r, "line_item", &["code", "name", "amount"]),
        [
            "2010301 行政运行 1100000",
            "2010302 一般行政管理事务 500000",
            "2080505 机关事业单位基本养老保险缴费支出 400000",
            "2101101 行政单位医疗 200000",
            "2210201 住房公积金 1000000",
        ]
    );
    no_alarm(&r);
}

/// Line items under Chinese list labels (`（一）…（类）…（款）…（项）2024年预算数为…`) and the
/// budget's totals in its own words, all read, nothing left.
#[test]
fn a_budget_with_labelled_items_gives_every_figure() {
    reads_whole(
        "labelled-2024-budget.txt",
        BUDGET_LABELLED_ITEMS,
        ("某某区文化和广电旅游体育局", 2024, "budget"),
        22,
        &[
            ("total.income", "15000000 - increase 1000000 7.14"),
            ("appropriation.grand", "14000000 - increase 800000 6.06"),
            ("general_budget.expense", "14000000 - increase 800000 6.06"),
            ("three_public.total", "200000 - decrease 20000 -"),
            ("procurement.goods", "500000"),
        ],
    );
    let r = records("labelled-2024-budget.txt", BUDGET_LABELLED_ITEMS);
    assert_eq!(
        rows(&r, "line_item", &["seq", "code", "name", "amount", "year"]),
        [
            "1 2070101 行政运行 3000000 2024",
            "2 2070109 群众文化 11000000 2024",
        ]
    );
}

/// Shorter budget wordings: `收支总预算`, `一般公共预算拨款基本支出` (no `财政`).
#[test]
fn short_budget_wordings() {
    let text = "某某市某某局2024年部门预算\n一、收支预算总体情况\n本部门2024年收支总预算1,500.00万元，比上年增加100.00万元。\n六、一般公共预算基本支出情况\n2024年一般公共预算拨款基本支出800.00万元，其中：人员经费700.00万元，公用经费100.00万元。\n";
    let r = records("short-2024-budget.txt", text);
    expect(
        &r,
        &[
            ("total.grand", "15000000 - increase 1000000"),
            ("basic.total", "8000000"),
            ("basic.personnel", "7000000"),
            ("basic.public", "1000000"),
        ],
    );
    no_alarm(&r);
}

/// Amounts in 元 read as stated, to the fen; the items' codes from the classification.
#[test]
fn a_township_report_in_yuan() {
    reads_whole(
        "township-2022.txt",
        TOWNSHIP_IN_YUAN,
        ("某某县某某镇人民政府", 2022, "final_accounts"),
        21,
        &[
            ("total.grand", "12345678.9 - increase 1234567.8 11.11"),
            ("income.appropriation", "10500000 95.45"),
            ("appropriation.grand", "10800000 - increase 800000 8"),
            ("general_budget.class", "5000000 50"),
            ("three_public.vehicle", "40000"),
            ("operating_costs", "700000 - decrease 50000 6.67"),
            ("procurement.total", "0"),
        ],
    );
    let r = records("township-2022.txt", TOWNSHIP_IN_YUAN);
    assert_eq!(
        rows(&r, "line_item", ITEM_FIELDS),
        [
            "1 2010301 行政运行 5000000 4000000 125",
            "2 2130705 对村民委员会和村党支部的补助 5000000 5000000 100",
        ]
    );
}

#[test]
fn budget_class_totals_and_line_items() {
    let r = records("budget-items-2024.txt", BUDGET_ITEMS);
    // Under `五、一般公共预算当年拨款情况`, the class totals of the structure statement.
    let classes: Vec<String> = rows(&r, "figure", &["key", "code", "value", "share_pct"])
        .into_iter()
        .filter(|f| f.starts_with("general_budget.class"))
        .collect();
    assert_eq!(
        classes,
        [
            "general_budget.class 205 24000000 80",
            "general_budget.class 208 3000000 10",
            "general_budget.class 210 1500000 5",
            "general_budget.class 221 1500000 5",
        ]
    );
    assert_eq!(
        rows(
            &r,
            "line_item",
            &[
                "code",
                "amount",
                "year",
                "change.direction",
                "change.amount"
            ]
        ),
        [
            "2050101 4000000 2024 increase 200000",
            // 小学教育 is no entry of the built-in classification, and the file has no
            // tables: its code is not made up.
            "- 20000000 2024 flat -",
            "2080505 3000000 2024 decrease 100000",
            "2101102 1500000 2024 - -",
            "2210201 1500000 2024 - -",
        ]
    );
    no_alarm(&r);
}

#[test]
fn three_public_items_with_completion_before_the_change() {
    let r = records("three-public-2022.txt", THREE_PUBLIC);
    expect(
        &r,
        &[
            ("three_public.overseas", "0 0 flat - -"),
            ("three_public.vehicle", "80000 66.67 decrease 10000 11.11"),
            (
                "three_public.vehicle_operation",
                "80000 - decrease 10000 11.11",
            ),
            ("three_public.reception", "40000 33.33 decrease 20000 33.33"),
            ("three_public.vehicles_owned", "2"),
        ],
    );
    no_alarm(&r);
}

/// The central 决算 template's 三公 sentence states each amount's budget, then its 决算:
/// `“三公”经费财政拨款支出预算为30.00万元，支出决算为24.00万元`. In a 决算 the first is
/// `three_public.budget`, the second the figure; an item's `支出预算为` is neither
/// `total.expense` nor (after `“三公”经费`) `appropriation.expense`. In a budget report the
/// same words state the figure itself, and no `three_public.budget`.
#[test]
fn three_public_budget_then_final_amounts() {
    let sentence = "2022年度“三公”经费财政拨款支出预算为30.00万元，支出决算为24.00万元，完成预算的80.00%，其中：因公出国（境）费支出预算为0万元，支出决算为0万元，完成预算的0%；公务用车购置及运行维护费支出预算为25.00万元，支出决算为20.00万元，完成预算的80.00%；公务接待费支出预算为5.00万元，支出决算为4.00万元，完成预算的80.00%。\n";
    let text =
        format!("某某市某某局2022年度部门决算\n七、“三公”经费财政拨款支出决算情况说明\n{sentence}");
    let r = records("three-public-budget-2022.txt", &text);
    expect(
        &r,
        &[
            ("three_public.total", "240000"),
            ("three_public.budget", "300000"),
            ("three_public.overseas", "0"),
            ("three_public.vehicle", "200000"),
            ("three_public.reception", "40000"),
        ],
    );
    let keys: Vec<&Value> = of_type(&r, "figure").iter().map(|f| &f["key"]).collect();
    assert_eq!(keys.len(), 5, "{keys:?}");
    // The items' own budgets have no key: they are the report's, left unread.
    assert_eq!(r[0]["unread_amounts"], 2);

    let budget = format!(
        "某某市某某局2023年部门预算\n七、“三公”经费财政拨款预算情况说明\n{}",
        "2023年“三公”经费财政拨款支出预算为30.00万元，其中：因公出国（境）费支出预算为0万元；公务用车购置及运行维护费支出预算为25.00万元；公务接待费支出预算为5.00万元。\n"
    );
    let r = records("three-public-budget-2023.txt", &budget);
    expect(
        &r,
        &[
            ("three_public.total", "300000"),
            ("three_public.overseas", "0"),
            ("three_public.vehicle", "250000"),
            ("three_public.reception", "50000"),
        ],
    );
    assert_eq!(of_type(&r, "figure").len(), 4);
}

/// The text as `pdftotext -layout` prints a PDF of it: statements wrapped at a width of 72
/// columns (a Han character two, a run of ASCII kept whole), first lines indented two
/// columns, headings apart, a page break with its page number half-way.
fn as_layout(text: &str) -> String {
    let width = |s: &str| {
        s.chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<usize>()
    };
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let heading = line.starts_with([
            '一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '（', '第',
        ]);
        if line.is_empty() || heading {
            lines.push(format!("  {line}"));
            continue;
        }
        // Tokens: a run of ASCII, or one other character.
        let mut tokens: Vec<String> = Vec::new();
        for c in line.chars() {
            match tokens.last_mut() {
                Some(t) if c.is_ascii() && t.is_ascii() => t.push(c),
                _ => tokens.push(c.to_string()),
            }
        }
        let mut cur = String::from("  ");
        for t in tokens {
            if width(&cur) + width(&t) > 72 {
                lines.push(std::mem::take(&mut cur));
            }
            cur.push_str(&t);
        }
        lines.push(cur);
    }
    let half = lines.len() / 2;
    lines.insert(
        half,
        "                                  - 1 -\n\u{c}".to_string(),
    );
    lines.join("\n") + "\n"
}

/// Each figure as `key code value share change`, sorted.
fn all_figures(records: &[Value]) -> Vec<String> {
    let mut v = rows(
        records,
        "figure",
        &[
            "key",
            "code",
            "value",
            "share_pct",
            "change.direction",
            "change.amount",
            "change.pct",
        ],
    );
    v.sort();
    v
}

/// The template's statements wrapped over lines and pages as a PDF's text is: the layout
/// reader joins them back, so the figures are the text's.
#[test]
fn the_template_read_from_layout_text_gives_the_same_figures() {
    for (name, text) in ALL_TEXTS {
        let layout = as_layout(text);
        assert!(
            layout.lines().count() > text.lines().count(),
            "{name}: wrapped"
        );
        let plain = records(&format!("{name}.txt"), text);
        let paged = records(&format!("{name}.layout.txt"), &layout);
        assert_eq!(
            all_figures(&paged),
            all_figures(&plain),
            "{name}:\n{layout}"
        );
        assert_eq!(
            rows(&paged, "line_item", ITEM_FIELDS),
            rows(&plain, "line_item", ITEM_FIELDS),
            "{name}:\n{layout}"
        );
        assert_eq!(paged[0]["unread_amounts"], 0, "{name}");
        // Read as layout text: the records after the break are on page 2.
        assert!(
            paged.iter().any(|f| f["loc"]["page"] == 2),
            "{name}: no page 2"
        );
    }
}

/// Every template text as a Word document, its headings and its numbered lists
/// auto-numbered by Word (the numbers are not in the text), gives the same figures and line
/// items as the text.
#[test]
fn the_template_as_word_gives_the_same_records() {
    let dir = crate::common::scratch("template_docx");
    for (name, text) in ALL_TEXTS {
        let path = dir.join(format!("{name}.docx"));
        std::fs::write(&path, crate::docx::as_docx(text, true)).unwrap();
        let word = crate::common::records(&path);
        let plain = records(&format!("{name}.txt"), text);
        assert_eq!(word[0]["format"], "docx");
        assert_eq!(all_figures(&word), all_figures(&plain), "{name}");
        assert_eq!(
            rows(&word, "line_item", ITEM_FIELDS),
            rows(&plain, "line_item", ITEM_FIELDS),
            "{name}"
        );
        assert_eq!(
            word[0]["unread_amounts"], plain[0]["unread_amounts"],
            "{name}"
        );
    }
}

/// Every template text as a web page (each line a `<p>`, under a site's navigation) gives the
/// same figures and line items as the text.
#[test]
fn the_template_as_a_web_page_gives_the_same_records() {
    for (name, text) in ALL_TEXTS {
        let body: String = text
            .lines()
            .map(|l| {
                format!(
                    "<p style=\"text-indent:2em\">{}</p>\n",
                    l.replace('&', "&amp;")
                )
            })
            .collect();
        let html = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>信息公开</title></head><body><div class=\"nav\"><a href=\"/\">首页</a> &gt; <a href=\"/xxgk\">信息公开</a></div><div class=\"content\">{body}</div></body></html>"
        );
        let page = records(&format!("{name}.html"), &html);
        let plain = records(&format!("{name}.txt"), text);
        assert_eq!(page[0]["format"], "html", "{name}");
        assert_eq!(page[0]["unit"], plain[0]["unit"], "{name}");
        assert_eq!(all_figures(&page), all_figures(&plain), "{name}");
        assert_eq!(
            rows(&page, "line_item", ITEM_FIELDS),
            rows(&plain, "line_item", ITEM_FIELDS),
            "{name}"
        );
    }
}

#[test]
fn totals_stated_apart_and_without_heji() {
    let r = records("separate-totals-2022.txt", VARIANT_SEPARATE_TOTALS);
    expect(
        &r,
        &[
            // The change is stated once for both: `收、支总计各增加110.20万元`.
            ("total.grand", "12345600 - increase 1102000 9.8"),
            ("total.income", "12000000"),
            ("total.expense", "11800000"),
            ("procurement.sme", "500000 83.33"),
            ("assets.vehicles", "2"),
        ],
    );
    no_alarm(&r);
    // Each side's 总计 with its parts, in the 收支总体 section: `其中：本年支出合计…`.
    let text = "某某市某某局2022年度部门决算\n一、收入支出决算总体情况说明\n2022年度收入总计1,300.00万元，其中：本年收入合计1,200.00万元，年初结转和结余100.00万元。\n2022年度支出总计1,300.00万元，其中：本年支出合计1,180.00万元，年末结转和结余120.00万元。\n";
    let r = records("totals-with-parts-2022.txt", text);
    expect(
        &r,
        &[
            ("total.grand", "13000000"),
            ("total.income", "12000000"),
            ("total.expense", "11800000"),
            ("carryover.begin", "1000000"),
            ("carryover.end", "1200000"),
        ],
    );
    no_alarm(&r);
}

#[test]
fn a_budget_table_gives_rows_and_the_codes_of_the_narrative() {
    let narrative = BUDGET_ITEMS.split_once('\n').unwrap().1;
    let r = records(
        "budget-table-2024.txt",
        &format!("{BUDGET_TABLE}\n{narrative}"),
    );
    assert_eq!(
        rows(&r, "table", &["title", "key", "n_rows"]),
        ["一般公共预算支出表 budget_general 16"]
    );
    let items = rows(
        &r,
        "line_item",
        &["table", "code", "name", "amount", "columns.项目支出"],
    );
    assert_eq!(items.len(), 14 + 5);
    assert_eq!(items[4], "budget_general 2050202 小学教育 20000000 5000000");
    // 小学教育 is no entry of the built-in classification: its code comes from the table.
    assert_eq!(items[15], "narrative 2050202 小学教育 20000000 -");
    no_alarm(&r);
}
