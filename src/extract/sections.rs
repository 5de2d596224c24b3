//! The heading hierarchy: levels, parents and canonical keys.
//!
//! Levels start from the label style (第X部分 1, 一、 2, （一） 3, 1./1、 4, （1） 5), then
//! follow the document's own nesting where its numbering is irregular. Word auto-numbering
//! rendered to text is the common cause: the sample reads
//! ```text
//! 第二部分 2021年度部门决算情况说明
//! 1、 收入支出决算总体情况说明        ← the author saw 一、
//! 2、 收入决算情况说明
//! 3、 支出决算情况说明
//! 四、财政拨款收入支出决算总体情况说明
//! …
//! 八、政府性基金预算支出决算情况说明
//! 9、 国有资本经营预算支出决算情况说明  ← and 九、
//! ```
//! So headings are linked into *chains* of consecutive ordinals: a heading joins the chain
//! of the previous heading of its own style when that one has the ordinal before it, and
//! otherwise the chain of the nearest still-open heading of another style that has it
//! (`四、` after `3、`, `9、` after `八、`, `（2）` after `（一）`). A chain takes the
//! shallowest level among its styles, since a rendered number looks deeper than it is, never
//! shallower.
//!
//! Unnumbered titles of appended documents (`附件`, `…部门整体绩效评价报告`) open a frame:
//! the numbered headings after them nest under them until the next such title or 第X部分.

use crate::keys;
use crate::model::{BlockKind, Document, Loc};
use crate::numbering::{self, Style};

/// A recognised heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    /// Index in the extraction's section list (the record id is `s{index+1}`).
    pub index: usize,
    pub parent: Option<usize>,
    pub level: u8,
    pub label: Option<String>,
    pub title: String,
    pub key: Option<&'static str>,
    pub loc: Loc,
}

struct Candidate {
    loc: Loc,
    label: Option<String>,
    style: Option<Style>,
    ordinal: u32,
    title: String,
    /// Unnumbered document title: a frame (see the module docs).
    frame: bool,
    /// The outline level the source format states (0-based).
    outline: Option<u8>,
}

/// The index of the innermost section a block belongs to: the last heading at or before it.
pub fn section_at(sections: &[Section], block: usize) -> Option<usize> {
    sections
        .partition_point(|s| s.loc.block <= block)
        .checked_sub(1)
}

/// Finds the sections of a document.
pub fn extract_sections(doc: &Document) -> Vec<Section> {
    let candidates = candidates(doc);
    let levels = chain_levels(&candidates);
    nest(&candidates, &levels)
}

fn candidates(doc: &Document) -> Vec<Candidate> {
    let mut out = Vec::new();
    for block in &doc.blocks {
        match &block.kind {
            BlockKind::Heading(h) => {
                let parsed = numbering::split_label(&h.text);
                let (style, ordinal, rest) = match (&h.label, &parsed) {
                    (Some(_), Some(l)) => (Some(l.style), l.ordinal, l.rest),
                    (Some(label), None) => {
                        // A label rendered by the reader that is not at the text's start.
                        let style = numbering::split_label(label).map(|l| (l.style, l.ordinal));
                        let rest = h.text.strip_prefix(label.as_str()).unwrap_or(&h.text);
                        (style.map(|s| s.0), style.map_or(0, |s| s.1), rest)
                    }
                    (None, _) => (None, 0, h.text.as_str()),
                };
                let title = numbering::title_text(rest).to_string();
                out.push(Candidate {
                    loc: block.loc,
                    label: h.label.clone(),
                    style,
                    ordinal,
                    frame: style.is_none() && h.outline_level.is_none(),
                    outline: h.outline_level,
                    title,
                });
            }
            BlockKind::Paragraph(p) => {
                // An unnumbered title line such as `2021年攀枝花市西区玉泉街道办事处部门整体绩效评价报告`.
                let t = p.text.trim();
                if numbering::split_label(t).is_none()
                    && numbering::looks_like_title(t)
                    && !t.ends_with('。')
                    && matches!(keys::section_key(t), Some("performance" | "attachments"))
                {
                    out.push(Candidate {
                        loc: block.loc,
                        label: None,
                        style: None,
                        ordinal: 0,
                        title: numbering::title_text(t).to_string(),
                        frame: true,
                        outline: None,
                    });
                }
            }
            BlockKind::Table(_) | BlockKind::Note(_) => {}
        }
    }
    out
}

/// The effective level of every numbered candidate (frames get theirs in [`nest`]).
fn chain_levels(c: &[Candidate]) -> Vec<u8> {
    // chain[i]: the chain a candidate belongs to; chain_level[k]: that chain's level.
    let mut chain: Vec<usize> = Vec::with_capacity(c.len());
    let mut chain_level: Vec<u8> = Vec::new();
    for i in 0..c.len() {
        let Some(style) = c[i].style else {
            // An unnumbered heading: the level Word gives it (outline level 0 → 1), else 1.
            chain_level.push(c[i].outline.map_or(1, |o| (o + 1).min(5)));
            chain.push(chain_level.len() - 1);
            continue;
        };
        let base = style.default_level();
        let level_of = |j: usize, chain: &[usize], chain_level: &[u8]| chain_level[chain[j]];
        let mut link = None;
        if c[i].ordinal > 1 {
            // Same style: the previous heading of this style, unless a shallower heading
            // (a new part, a new 一、) intervenes.
            for j in (0..i).rev() {
                if c[j].frame {
                    break;
                }
                if c[j].style == Some(style) {
                    if c[j].ordinal + 1 == c[i].ordinal {
                        link = Some(j);
                    }
                    break;
                }
                if level_of(j, &chain, &chain_level) < base {
                    break;
                }
            }
            // Another style: the nearest heading with the ordinal before that is still open
            // (no heading between has its level or a shallower one). Parts only chain with
            // parts.
            if link.is_none() && style != Style::Part {
                let mut closing = u8::MAX; // shallowest level between j and i
                for j in (0..i).rev() {
                    if c[j].frame || c[j].style == Some(Style::Part) {
                        break;
                    }
                    let lj = level_of(j, &chain, &chain_level);
                    if c[j].style.is_some() && c[j].ordinal + 1 == c[i].ordinal && lj < closing {
                        link = Some(j);
                        break;
                    }
                    closing = closing.min(lj);
                }
            }
        }
        match link {
            Some(j) => {
                let k = chain[j];
                chain_level[k] = chain_level[k].min(base);
                chain.push(k);
            }
            None => {
                chain_level.push(base);
                chain.push(chain_level.len() - 1);
            }
        }
    }
    chain.iter().map(|&k| chain_level[k]).collect()
}

/// Parents, frame levels and keys.
fn nest(c: &[Candidate], levels: &[u8]) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::with_capacity(c.len());
    // Open sections: (index in out, level, is frame).
    let mut stack: Vec<(usize, u8, bool)> = Vec::new();
    for (i, cand) in c.iter().enumerate() {
        let level = if cand.frame {
            // A title closes the previous title and everything below the current part.
            while stack.last().is_some_and(|&(_, l, frame)| l > 1 || frame) {
                stack.pop();
            }
            stack.last().map_or(1, |&(_, l, _)| l + 1)
        } else {
            let level = levels[i];
            while stack
                .last()
                .is_some_and(|&(_, l, frame)| if frame { level < l } else { l >= level })
            {
                stack.pop();
            }
            level
        };
        let parent = stack.last().map(|&(p, _, _)| p);
        let index = out.len();
        let key = key_for(&cand.title, parent, &out);
        out.push(Section {
            index,
            parent,
            level,
            label: cand.label.clone(),
            title: cand.title.clone(),
            key,
            loc: cand.loc,
        });
        stack.push((index, level, cand.frame));
    }
    out
}

/// The canonical key of a title, unless an ancestor already has it (`（一）一般公共预算财政拨款
/// 支出决算总体情况` under `五、一般公共预算财政拨款支出决算情况说明`), and, inside appended
/// documents (attachments, performance reports), only `performance`: their `一、部门概况`
/// is not the report's own overview.
fn key_for(title: &str, parent: Option<usize>, sections: &[Section]) -> Option<&'static str> {
    let key = keys::section_key(title)?;
    let mut p = parent;
    while let Some(i) = p {
        let anc = &sections[i];
        if anc.key == Some(key) {
            return None;
        }
        if matches!(anc.key, Some("attachments" | "performance")) && key != "performance" {
            return None;
        }
        p = anc.parent;
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;
    use crate::reader::text::parse;

    /// Renders sections as `level label title [key] ^parent-title`.
    fn outline(text: &str) -> Vec<String> {
        let doc = parse(text, Format::Text, Some("utf-8"));
        let s = extract_sections(&doc);
        s.iter()
            .map(|x| {
                format!(
                    "{} {}{}{}{}",
                    x.level,
                    x.label.as_deref().unwrap_or(""),
                    x.title,
                    x.key.map(|k| format!(" [{k}]")).unwrap_or_default(),
                    x.parent
                        .map(|p| format!(" ^{}", s[p].title))
                        .unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn rendered_auto_numbering_joins_the_chain_it_continues() {
        let text = "第二部分 2021年度部门决算情况说明\n1、 收入支出决算总体情况说明\n正文。\n2、 收入决算情况说明\n3、 支出决算情况说明\n四、财政拨款收入支出决算总体情况说明\n五、一般公共预算财政拨款支出决算情况说明\n（一）一般公共预算财政拨款支出决算总体情况\n（二）一般公共预算财政拨款支出决算结构情况\n八、政府性基金预算支出决算情况说明\n9、 国有资本经营预算支出决算情况说明\n10、 其他重要事项的情况说明\n（一）机关运行经费支出情况\n第3部分 名词解释\n";
        assert_eq!(
            outline(text),
            vec![
                "1 第二部分2021年度部门决算情况说明 [explanation]",
                "2 1、收入支出决算总体情况说明 [income_expense] ^2021年度部门决算情况说明",
                "2 2、收入决算情况说明 [income] ^2021年度部门决算情况说明",
                "2 3、支出决算情况说明 [expense] ^2021年度部门决算情况说明",
                "2 四、财政拨款收入支出决算总体情况说明 [appropriation] ^2021年度部门决算情况说明",
                "2 五、一般公共预算财政拨款支出决算情况说明 [general_budget] ^2021年度部门决算情况说明",
                "3 （一）一般公共预算财政拨款支出决算总体情况 ^一般公共预算财政拨款支出决算情况说明",
                "3 （二）一般公共预算财政拨款支出决算结构情况 ^一般公共预算财政拨款支出决算情况说明",
                "2 八、政府性基金预算支出决算情况说明 [government_fund] ^2021年度部门决算情况说明",
                "2 9、国有资本经营预算支出决算情况说明 [state_capital] ^2021年度部门决算情况说明",
                "2 10、其他重要事项的情况说明 [other_matters] ^2021年度部门决算情况说明",
                "3 （一）机关运行经费支出情况 ^其他重要事项的情况说明",
                "1 第3部分名词解释 [glossary]",
            ]
        );
    }

    #[test]
    fn regular_numbering_keeps_its_levels() {
        let text = "一、部门概况\n（一）主要职能\n1.组织起草文件\n2.研究审核事项\n（1）细项\n（2）细项二\n二、机构设置\n";
        assert_eq!(
            outline(text),
            vec![
                "2 一、部门概况 [overview]",
                "3 （一）主要职能 [functions] ^部门概况",
                "4 1.组织起草文件 ^主要职能",
                "4 2.研究审核事项 ^主要职能",
                "5 （1）细项 ^研究审核事项",
                "5 （2）细项二 ^研究审核事项",
                "2 二、机构设置 [organization]",
            ]
        );
    }

    #[test]
    fn a_rendered_paren_number_after_a_chinese_one_is_its_sibling() {
        let text = "二、部门财政资金收支情况\n（一）部门财政资金收入情况。\n正文。\n（2） 部门财政资金支出情况。\n";
        assert_eq!(
            outline(text),
            vec![
                "2 二、部门财政资金收支情况",
                "3 （一）部门财政资金收入情况 ^部门财政资金收支情况",
                "3 （2）部门财政资金支出情况 ^部门财政资金收支情况",
            ]
        );
    }

    #[test]
    fn a_closed_heading_does_not_capture_a_later_one() {
        // `2、` follows `一、` (open), not `（一）` (closed by `（二）`).
        let text = "一、甲部分\n（一）子一\n（二）子二\n2、乙部分\n";
        assert_eq!(
            outline(text),
            vec![
                "2 一、甲部分",
                "3 （一）子一 ^甲部分",
                "3 （二）子二 ^甲部分",
                "2 2、乙部分"
            ]
        );
    }

    #[test]
    fn appended_reports_are_frames_with_their_own_outline() {
        let text = "第四部分附件\n附件\n2021年某某街道办事处部门整体绩效评价报告\n一、部门（单位）概况\n（一）机构组成。\n二、部门财政资金收支情况\n附件\n2021年专项预算项目支出绩效自评报告\n一、项目概况\n";
        assert_eq!(
            outline(text),
            vec![
                "1 第四部分附件 [attachments]",
                "2 附件 ^附件",
                "2 2021年某某街道办事处部门整体绩效评价报告 [performance] ^附件",
                "2 一、部门（单位）概况 ^2021年某某街道办事处部门整体绩效评价报告",
                "3 （一）机构组成 ^部门（单位）概况",
                "2 二、部门财政资金收支情况 ^2021年某某街道办事处部门整体绩效评价报告",
                "2 附件 ^附件",
                "2 2021年专项预算项目支出绩效自评报告 [performance] ^附件",
                "2 一、项目概况 ^2021年专项预算项目支出绩效自评报告",
            ]
        );
    }
}
