//! Rules over what the wording says about the numbers beside it: `决算数小于预算数` against
//! the 年初预算 and 决算 amounts of the same statement, and a year-on-year change
//! (`增加…万元，增长…%`) against the amount it changes.

use std::sync::LazyLock;

use regex::Regex;
use rust_decimal::Decimal;

use super::{half_unit, pct_status, wan, Finding, Input, Status};
use crate::extract::change::{direction_of, moving_words, Change, Direction};
use crate::extract::figures::Figure;
use crate::extract::line_items::LineItem;
use crate::model::Loc;
use crate::money::{self, yuan_string};
use crate::text::compact;

/// `决算数小于预算数`, `决算数大于年初预算数`, `决算数等于预算数`, `决算数与预算数持平`,
/// `决算数与预算数基本持平` (a hedge: not checked).
static COMPARISON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"决算数?(?:(?P<word>大于|小于|等于|高于|低于|超过|多于|少于)(?:年初)?预算|与(?:年初)?预算数?(?P<hedge>基本|大体)?(?P<flat>持平|一致|相等|相同))",
    )
    .unwrap()
});

/// `年初预算为 1560.05 万元`, `年初预算数为0`.
static BUDGET_LABEL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"年初预算数?(?:为|是)?").unwrap());

/// `支出决算为 1511.89 万元`, `决算数为…`.
static FINAL_LABEL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"决算数?(?:为|是)").unwrap());

/// The amount that starts right at `pos`: `1560.05万元`, or a bare `0` (`年初预算为 0，`).
fn amount_at(text: &str, pos: usize) -> Option<Decimal> {
    let rest = &text[pos..];
    if let Some((0, end)) = money::amounts(rest).next() {
        return money::amount_in(&rest[..end]).map(|a| a.yuan);
    }
    let zero = rest.trim_start_matches(['0', '.']);
    (rest.starts_with('0') && !zero.starts_with(|c: char| c.is_ascii_digit()))
        .then_some(Decimal::ZERO)
}

/// The last labelled amount in a window of text.
fn last_amount(label: &Regex, text: &str) -> Option<Decimal> {
    label
        .find_iter(text)
        .filter_map(|m| amount_at(text, m.end()))
        .last()
}

pub(super) fn final_vs_budget_wording(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for b in &input.doc.blocks {
        let Some(text) = b.text() else { continue };
        if !holds!(text, "决算") || !holds!(text, "预算") {
            continue;
        }
        let c = compact(text);
        let mut from = 0;
        for m in COMPARISON.captures_iter(&c) {
            let whole = m.get(0).unwrap();
            let window = &c[from..whole.start()];
            from = whole.end();
            if m.name("hedge").is_some() {
                continue;
            }
            let (Some(budget), Some(actual)) = (
                last_amount(&BUDGET_LABEL, window),
                last_amount(&FINAL_LABEL, window),
            ) else {
                continue;
            };
            let word = m.name("word").or(m.name("flat")).map_or("", |w| w.as_str());
            let holds = match word {
                "大于" | "高于" | "超过" | "多于" => actual > budget,
                "小于" | "低于" | "少于" => actual < budget,
                _ => actual == budget,
            };
            out.push(
                Finding::new(
                    if holds { Status::Pass } else { Status::Fail },
                    format!(
                        "“{}” is stated for 年初预算 {}万元 and 决算 {}万元",
                        whole.as_str(),
                        wan(budget),
                        wan(actual)
                    ),
                    b.loc,
                )
                .values(Some(yuan_string(budget)), Some(yuan_string(actual))),
            );
        }
    }
    out
}

/// A stated percentage change against `amount / prior`, given the rounding of all three
/// (see [`pct_status`]).
fn pct_fit(
    amount: Decimal,
    prior: Decimal,
    pct: Decimal,
    h_amount: Decimal,
    h_prior: Decimal,
) -> Option<Status> {
    let hundred = Decimal::ONE_HUNDRED;
    let prior_hi = prior.checked_add(h_prior)?;
    let prior_lo = prior.checked_sub(h_prior)?;
    if prior_lo <= Decimal::ZERO {
        return None;
    }
    let lo = (amount - h_amount)
        .max(Decimal::ZERO)
        .checked_mul(hundred)?
        .checked_div(prior_hi)?;
    let hi = amount
        .checked_add(h_amount)?
        .checked_mul(hundred)?
        .checked_div(prior_lo)?;
    Some(pct_status(pct, lo, hi))
}

/// A figure's change: `本年收入合计853.00万元，比去年减少了54.20万元，下降5.97%` holds
/// only if 54.20 / (853.00 + 54.20) rounds to 5.97%.
fn figure_change(f: &Figure) -> Option<Finding> {
    let label = f.name.as_deref().unwrap_or(f.key);
    stated_change(label, f.value, &f.raw, &f.raw, f.change.as_ref()?, f.loc)
}

/// A narrative line item's change: `人大事务（款）人大立法（项）支出729万元，与上年相比减少81万元，
/// 减少10%` holds only if 81 / (729 + 81) rounds to 10%.
fn line_item_change(i: &LineItem) -> Option<Finding> {
    let label = format!("{} {}", i.code.as_deref().unwrap_or("-"), i.name);
    let amount = i.amount?;
    let shown = format!("{}万元", wan(amount));
    stated_change(&label, amount, &i.raw, &shown, i.change.as_ref()?, i.loc)
}

/// A value, the change stated beside it and the percentage of that change, held together.
/// `raw` is the statement the value was printed in (its decimals set the rounding allowed),
/// `shown` the value as the finding quotes it.
fn stated_change(
    label: &str,
    value: Decimal,
    raw: &str,
    shown: &str,
    change: &Change,
    loc: Loc,
) -> Option<Finding> {
    let (Some(amount), Some(pct)) = (change.amount, change.pct) else {
        return None;
    };
    let prior = match change.direction {
        Direction::Increase => value.checked_sub(amount)?,
        Direction::Decrease => value.checked_add(amount)?,
        Direction::Flat => return None,
    };
    let h_value = half_unit(raw, Some(value));
    let h_amount = half_unit(raw, Some(amount));
    let word = match change.direction {
        Direction::Increase => "增加",
        _ => "减少",
    };
    // `增加（减少）0万元，增长（减少）0%`: no change, stated as none.
    if amount.is_zero() {
        return Some(
            Finding::new(
                if pct.is_zero() {
                    Status::Pass
                } else {
                    Status::Fail
                },
                format!(
                    "{label} {}: a change of 0万元 is stated as {}%",
                    shown,
                    yuan_string(pct)
                ),
                loc,
            )
            .values(Some("0".into()), Some(yuan_string(pct))),
        );
    }
    if prior.abs() <= h_value + h_amount {
        return Some(
            Finding::new(
                Status::Fail,
                format!(
                    "{label} {}: a change of {}万元 from nothing is stated as {}%",
                    shown,
                    wan(amount),
                    yuan_string(pct)
                ),
                loc,
            )
            .values(None, Some(yuan_string(pct))),
        );
    }
    let mut status = pct_fit(amount, prior, pct, h_amount, h_value + h_amount)?;
    let computed = amount
        .checked_mul(Decimal::ONE_HUNDRED)?
        .checked_div(prior)?
        .round_dp(2);
    let mut detail = format!(
        "{label} {}: {word}{}万元 from {}万元 is {}%, stated as {}%",
        shown,
        wan(amount),
        wan(prior),
        yuan_string(computed),
        yuan_string(pct)
    );
    // A report that divides by this year's amount instead of last year's (`比去年减少了53.71万元，
    // 下降6.30%` beside 853.00万元) uses the wrong base, which is a slip of method, not a
    // contradiction of its numbers.
    if status == Status::Fail
        && pct_fit(amount, value, pct, h_amount, h_value) == Some(Status::Pass)
    {
        status = Status::Warn;
        detail.push_str("; the stated percentage is of this year's amount, not of last year's");
    }
    Some(
        Finding::new(status, detail, loc)
            .values(Some(yuan_string(computed)), Some(yuan_string(pct))),
    )
}

/// `2026年当年预算执行数为24.00万元，2027年预算安排25.00万元，比2026年预算执行数增加4.17%`: two
/// years' amounts, then the change between them.
static TWO_YEARS: LazyLock<Regex> = LazyLock::new(|| {
    let amount = money::AMOUNT_PATTERN;
    // The change grammar's words of a rise or a fall (and `持平`).
    let moves = moving_words();
    Regex::new(&format!(
        r"(?P<y1>(?:19|20)\d{{2}})年[^，。；\d]{{0,12}}?(?:为|是)?(?P<a1>{amount})[，,；]?(?P<y2>(?:19|20)\d{{2}})年[^，。；\d]{{0,12}}?(?:为|是)?(?P<a2>{amount})[，,；]?比(?P<y3>(?:19|20)\d{{2}})年[^，。；\d]{{0,12}}?(?P<dir>{moves}|持平)(?:(?P<a3>{amount})[，,]?(?:{moves})?)?(?P<p>[0-9.]+%)?",
    ))
    .unwrap()
});

fn two_year_changes(input: &Input) -> Vec<Finding> {
    let mut out = Vec::new();
    for b in &input.doc.blocks {
        let Some(text) = b.text() else { continue };
        if !holds!(text, "比") || text.matches('年').count() < 3 {
            continue;
        }
        let c = compact(text);
        for m in TWO_YEARS.captures_iter(&c) {
            let year = |k: &str| m[k].parse::<i32>().ok();
            let (Some(y1), Some(y2), Some(y3)) = (year("y1"), year("y2"), year("y3")) else {
                continue;
            };
            let amount = |k: &str| {
                m.name(k)
                    .and_then(|x| money::parse_money(x.as_str()))
                    .map(|a| a.yuan)
            };
            let (Some(a1), Some(a2)) = (amount("a1"), amount("a2")) else {
                continue;
            };
            // The change compares the later year's amount with the earlier one's.
            let (prior, now) = match (y3 == y1, y3 == y2) {
                (true, false) => (a1, a2),
                (false, true) => (a2, a1),
                _ => continue,
            };
            let dir = &m["dir"];
            let diff = now - prior;
            let h = half_unit(&m["a1"], Some(a1)).max(half_unit(&m["a2"], Some(a2)));
            let direction_holds = match direction_of(dir) {
                Some(Direction::Increase) => diff > -h - h,
                Some(Direction::Decrease) => diff < h + h,
                _ => diff.abs() <= h + h,
            };
            let pct_holds = match m.name("p").and_then(|p| money::parse_percent(p.as_str())) {
                Some(p) if dir != "持平" => pct_fit(diff.abs(), prior, p, h + h, h),
                _ => None,
            };
            let status = match (direction_holds, pct_holds) {
                (false, _) => Status::Fail,
                (true, Some(s)) => s,
                (true, None) => Status::Pass,
            };
            out.push(
                Finding::new(
                    status,
                    format!(
                        "“{}”: from {}万元 to {}万元 is a change of {}万元",
                        m.get(0).unwrap().as_str(),
                        wan(prior),
                        wan(now),
                        wan(diff)
                    ),
                    b.loc,
                )
                .values(Some(yuan_string(diff)), Some(dir.to_string())),
            );
        }
    }
    out
}

pub(super) fn change_consistency(input: &Input) -> Vec<Finding> {
    let mut out: Vec<Finding> = input
        .ex
        .figures
        .list
        .iter()
        .filter_map(figure_change)
        .collect();
    out.extend(
        input
            .ex
            .line_items
            .iter()
            .filter(|i| i.table == Some("narrative"))
            .filter_map(line_item_change),
    );
    out.extend(two_year_changes(input));
    out
}
