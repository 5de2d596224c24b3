//! Amounts the narrative states that no figure or line item took: a measure of what the
//! extractors may have missed, counted on the `document` record (`unread_amounts`) and listed
//! by `juesuan dump --unread`. No gold is needed to see which reports to review, or which
//! phrasing a new province needs.

use std::collections::HashSet;

use rust_decimal::Decimal;

use crate::extract::figures::Figures;
use crate::extract::line_items::LineItem;
use crate::model::{BlockKind, Document, Loc};
use crate::money;

/// An amount of the narrative that nothing read.
#[derive(Debug, Clone, PartialEq)]
pub struct Unread {
    /// The amount as printed (`12.30 万元`).
    pub raw: String,
    /// The clause around it, for a reader to judge.
    pub context: String,
    pub loc: Loc,
}

/// Every amount (with its unit) of the paragraphs and headings whose value no figure (value,
/// change or contradicting restatement) and no narrative line item (amount, budget or change)
/// took.
pub fn unread_amounts(doc: &Document, figures: &Figures, items: &[LineItem]) -> Vec<Unread> {
    let mut read: HashSet<Decimal> = HashSet::new();
    for f in &figures.list {
        read.insert(f.value.normalize());
        if let Some(a) = f.change.as_ref().and_then(|c| c.amount) {
            read.insert(a.normalize());
        }
    }
    // A restatement with another value was read too: it is a recorded contradiction.
    read.extend(figures.conflicts.iter().map(|c| c.later.normalize()));
    for i in items.iter().filter(|i| i.table == Some("narrative")) {
        read.extend(i.amount.map(|a| a.normalize()));
        read.extend(i.budget.map(|a| a.normalize()));
        read.extend(
            i.change
                .as_ref()
                .and_then(|c| c.amount)
                .map(|a| a.normalize()),
        );
    }
    let mut out = Vec::new();
    for b in &doc.blocks {
        let text = match &b.kind {
            BlockKind::Paragraph(p) => p.text.as_str(),
            BlockKind::Heading(h) => h.text.as_str(),
            _ => continue,
        };
        if !crate::text::has_digit(text) {
            continue;
        }
        for (start, end) in money::amounts(text) {
            let Some(a) = money::amount_in(&text[start..end]) else {
                continue;
            };
            if read.contains(&a.yuan.normalize()) {
                continue;
            }
            if is_threshold(&text[..start]) {
                continue;
            }
            out.push(Unread {
                raw: text[start..end].to_string(),
                context: clause_around(text, start, end),
                loc: b.loc,
            });
        }
    }
    out
}

/// Words right before an amount that make it a threshold, not a sum the report states:
/// `单价100万元（含）以上设备（不含车辆）2台（套）` (Shanghai), `单位价值50万元以上通用设备0台`
/// (the national template), `单价20万元（含）以上的设备69台（套）` (Jiangsu).
/// Not `价值` or `原值` alone: `固定资产原值1,234万元` states a sum.
const THRESHOLD_WORDS: &[&str] = &["单价", "单位价值"];

fn is_threshold(before: &str) -> bool {
    let before = before.trim_end();
    THRESHOLD_WORDS.iter().any(|w| before.ends_with(w))
}

/// The clause an amount sits in: from the previous to the next `，。；`.
fn clause_around(text: &str, start: usize, end: usize) -> String {
    let stops = ['，', '。', '；', ',', ';'];
    let from = text[..start].rfind(stops).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let to = text[end..].find(stops).map_or(text.len(), |i| end + i);
    text[from..to].trim().to_string()
}

#[cfg(test)]
mod tests {
    use crate::extract::extract;
    use crate::model::Format;

    #[test]
    fn amounts_no_figure_took_are_listed() {
        let doc = crate::reader::parse_text(
            "青禾区档案馆2026年度部门决算\n一、收入支出决算总体情况说明\n2026年本年度收入为853.00万元、支出为853.00万元。另有专项资金12.34万元用于档案数字化。\n",
            Format::Text,
            Some("utf-8"),
        );
        let ex = extract(&doc);
        let unread: Vec<(&str, &str)> = ex
            .unread
            .iter()
            .map(|u| (u.raw.as_str(), u.context.as_str()))
            .collect();
        assert_eq!(
            unread,
            [("12.34万元", "另有专项资金12.34万元用于档案数字化")]
        );
    }

    /// A threshold is no sum: `单价 100 万元（含）以上设备…2台（套）` states a count.
    #[test]
    fn thresholds_are_not_unread_amounts() {
        let doc = crate::reader::parse_text(
            "青禾区档案馆2026年度部门决算\n一、收入支出决算总体情况说明\n截至2026年12月31日，单价 100 万元（含）以上设备2台（套），单位价值50万元以上通用设备0台，另购设备价款12.34万元，固定资产原值56.78万元。\n",
            Format::Text,
            Some("utf-8"),
        );
        let raws: Vec<String> = extract(&doc).unread.into_iter().map(|u| u.raw).collect();
        assert_eq!(raws, ["12.34万元", "56.78万元"]);
    }
}
