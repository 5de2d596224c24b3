//! Pages: form feeds, running headers and footers, page numbers and the table of contents.

use std::collections::HashMap;
use std::sync::LazyLock;

use regex::Regex;

use super::{is_blank, Line};
use crate::numbering;
use crate::text::{compact, trim};

pub(super) fn split_pages(text: &str) -> Vec<Vec<Line>> {
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    for (number, raw) in crate::reader::lines::split_lines(text) {
        let has_ff = raw.contains('\x0c');
        for (k, part) in raw.split('\x0c').enumerate() {
            if k > 0 {
                pages.push(Vec::new());
            }
            // The empty remainders around a form feed are no lines of their own.
            if has_ff && trim(part).is_empty() {
                continue;
            }
            let page = pages.len() as u32;
            pages.last_mut().unwrap().push(Line {
                number,
                text: part.trim_end().to_string(),
                page_start: false,
                page,
            });
        }
    }
    pages.retain(|p| p.iter().any(|l| !is_blank(l)));
    for p in &mut pages {
        if let Some(first) = p.iter_mut().find(|l| !trim(&l.text).is_empty()) {
            first.page_start = true;
        }
    }
    pages
}

/// `- 3 -`, `─ 11 ─`, `3`, `第 3 页`, `第3页 共12页`, `3/12`.
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:[-—–─]?\s*\d{1,4}\s*[-—–─]?|第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)$")
        .unwrap()
});

/// Drops page numbers and running headers/footers: a first or last line of a page that
/// recurs on at least three pages and 40% of them. Unit lines (`单位：万元`) recur too but
/// belong to tables, and are kept.
pub(super) fn drop_furniture(mut pages: Vec<Vec<Line>>) -> Vec<Vec<Line>> {
    let edges = |p: &Vec<Line>| -> Vec<usize> {
        let idx: Vec<usize> = (0..p.len()).filter(|&i| !is_blank(&p[i])).collect();
        let mut e = Vec::new();
        e.extend(idx.first());
        e.extend(idx.last().filter(|&&l| Some(&l) != idx.first()));
        e
    };
    let mut counts: HashMap<String, usize> = HashMap::new();
    for p in &pages {
        for i in edges(p) {
            *counts.entry(furniture_key(&p[i].text)).or_default() += 1;
        }
    }
    let n = pages.len();
    for p in &mut pages {
        let mut drop = Vec::new();
        for i in edges(p) {
            let t = trim(&p[i].text);
            let repeated = counts[&furniture_key(t)];
            if PAGE_NUMBER.is_match(t)
                || (repeated >= 3
                    && repeated * 5 >= n * 2
                    && !t.contains("单位")
                    && !t.contains("合计"))
            {
                drop.push(i);
            }
        }
        for i in drop.into_iter().rev() {
            let was_start = p[i].page_start;
            p.remove(i);
            if was_start {
                if let Some(next) = p.iter_mut().find(|l| !trim(&l.text).is_empty()) {
                    next.page_start = true;
                }
            }
        }
    }
    pages
}

/// Running headers often carry the page number; compare them without digits.
fn furniture_key(s: &str) -> String {
    compact(s).chars().filter(|c| !c.is_ascii_digit()).collect()
}

/// A table-of-contents entry's leader dots and page number: `一、部门主要职能 ……… 3`.
static LEADER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:[…⋯]{2,}|[.．·•。\-]{5,})\s*\d*\s*$").unwrap());

/// Drops the table of contents: lines with leaders, and after a `目录` line, the numbered
/// entries that follow until the first of them recurs as the real heading or a line that is
/// no entry (a sentence, an unnumbered title).
pub(super) fn drop_contents(lines: Vec<Line>) -> (Vec<Line>, Option<usize>) {
    let mut out = Vec::with_capacity(lines.len());
    let mut contents_end = None;
    let mut in_toc = false;
    // The first entry, by text and by label: the TOC ends where it recurs as the real heading
    // (`第一部分` again, even written `第1部分`).
    let mut first_entry: Option<(String, Option<(numbering::Style, u32)>)> = None;
    for l in lines {
        let t = trim(&l.text);
        if LEADER.is_match(t) {
            continue;
        }
        // Asked of every line: only one that starts with `目` and ends with `录` (it is
        // trimmed) can be `目录` once its spaces are gone, and only that one is compacted.
        if t.starts_with('目') && t.ends_with('录') && compact(t) == "目录" {
            in_toc = true;
            first_entry = None;
            continue;
        }
        if in_toc {
            if t.is_empty() {
                continue;
            }
            let c = compact(t);
            let label = numbering::split_label(t);
            let is_entry = label
                .as_ref()
                .is_some_and(|lab| numbering::looks_like_title(lab.rest));
            let part = label
                .filter(|lab| lab.style == numbering::Style::Part)
                .map(|lab| (lab.style, lab.ordinal));
            match &first_entry {
                None if is_entry => {
                    first_entry = Some((c.into_owned(), part));
                    continue;
                }
                Some((text, first_part))
                    if is_entry && *text != c && (part.is_none() || part != *first_part) =>
                {
                    continue
                }
                // The tail of an entry wrapped onto its own line (`十一、…支出预算` / `表`).
                Some(_) if c.chars().count() <= 4 && !c.contains(['。', '，', '：']) => continue,
                _ => {
                    in_toc = false;
                    contents_end = Some(out.len());
                }
            }
        }
        out.push(l);
    }
    (out, contents_end)
}

/// Drops the hidden duplicate text some producers keep at a page break: when the first lines
/// of a page repeat, verbatim, the last lines of the page before (two or more non-blank
/// lines), the copy at the top of the page goes, so nothing is read twice.
pub(super) fn drop_repeats(mut pages: Vec<Vec<Line>>) -> Vec<Vec<Line>> {
    /// The longest run looked for: a few statements, not a page.
    const MAX_RUN: usize = 30;
    for p in 1..pages.len() {
        let tail: Vec<&str> = pages[p - 1]
            .iter()
            .filter(|l| !is_blank(l))
            .map(|l| trim(&l.text))
            .collect();
        let head: Vec<(usize, &str)> = pages[p]
            .iter()
            .enumerate()
            .filter(|(_, l)| !is_blank(l))
            .map(|(i, l)| (i, trim(&l.text)))
            .take(MAX_RUN)
            .collect();
        let longest = (2..=head.len().min(tail.len())).rev().find(|&k| {
            head[..k]
                .iter()
                .map(|(_, t)| *t)
                .eq(tail[tail.len() - k..].iter().copied())
        });
        if let Some(k) = longest {
            let last = head[k - 1].0;
            pages[p].drain(..=last);
            if let Some(first) = pages[p].iter_mut().find(|l| !is_blank(l)) {
                first.page_start = true;
            }
        }
    }
    pages
}
