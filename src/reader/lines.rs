//! What every text-bearing reader needs alike: source lines, whatever the line-end convention,
//! and the decision which numbered lines are headings. The text and layout readers both use
//! this module and never each other.

use std::collections::HashMap;

use crate::numbering::{self, Style};

/// The lines of a text with their 1-based numbers. CRLF, CR (old Mac text) and LF all end a
/// line, so a file with CR-only line ends reads like any other.
pub(crate) fn split_lines(text: &str) -> impl Iterator<Item = (u32, &str)> {
    let mut rest = Some(text);
    // Most texts have no CR: their lines end at each LF alone, found by `memchr`, not by a
    // second search for CR in every line.
    let has_cr = memchr::memchr(b'\r', text.as_bytes()).is_some();
    std::iter::from_fn(move || {
        let r = rest?;
        let end = if has_cr {
            memchr::memchr2(b'\n', b'\r', r.as_bytes())
        } else {
            memchr::memchr(b'\n', r.as_bytes())
        };
        let Some(end) = end else {
            rest = None;
            return Some(r);
        };
        // CRLF is one line end, and a CR that ends the text ends its last line.
        rest = match &r[end..] {
            "\r" => None,
            e if e.starts_with("\r\n") => Some(&r[end + 2..]),
            _ => Some(&r[end + 1..]),
        };
        Some(&r[..end])
    })
    .zip(1..)
    .map(|(line, number)| (number, line))
}

/// Decides which lines are headings. A line is a heading when it starts with a numbering
/// label and the rest reads like a title (see [`numbering::looks_like_title`]); but a
/// numbered list is judged as a whole: `1.`…`8.` of a list of duties are paragraphs even
/// where one item happens to be short (`8.完成区委、区政府交办的其他工作。`), because most of
/// its items are sentences. A run is a sequence of labels of one style whose ordinals
/// follow each other (other lines may sit between them).
///
/// Takes the text of each block (`None` for tables) and returns, per block, `Some(label)` for
/// headings (`Some(None)` for an unnumbered attachment title). Used by every reader (text, layout, .docx).
pub(crate) fn heading_labels(texts: &[Option<&str>]) -> Vec<Option<Option<String>>> {
    struct Candidate {
        index: usize,
        label: String,
        title_like: bool,
        /// Ends with a full stop, as list items do (`1.上海市普陀区人民政府办公室本部。`).
        full_stop: bool,
        run: usize,
    }
    let mut candidates = Vec::new();
    let mut last_by_style: HashMap<Style, (u32, usize)> = HashMap::new();
    let mut runs: Vec<(usize, usize)> = Vec::new(); // (title-like, sentence-like) per run
    let mut out = vec![None; texts.len()];
    for (index, text) in texts.iter().enumerate() {
        let Some(text) = text else { continue };
        let Some(label) = numbering::split_label(text) else {
            if is_attachment_title(text) {
                out[index] = Some(None);
            }
            continue;
        };
        let title_like = numbering::looks_like_title(label.rest)
            || (label.style == Style::Part && label.rest.is_empty());
        let run = match last_by_style.get(&label.style) {
            Some(&(ordinal, run)) if label.ordinal == ordinal + 1 => run,
            _ => {
                runs.push((0, 0));
                runs.len() - 1
            }
        };
        last_by_style.insert(label.style, (label.ordinal, run));
        if title_like {
            runs[run].0 += 1;
        } else {
            runs[run].1 += 1;
        }
        candidates.push(Candidate {
            index,
            label: label.text.to_string(),
            title_like,
            full_stop: label.rest.trim_end().ends_with(['。', '.']),
            run,
        });
    }
    for c in candidates {
        // Most of the run reads like titles; a tie counts only in a run of two, where one
        // heading may carry an editing note (`二、部门决算单位构成（仅有一个单位的部门，…）`),
        // and not for a title ending in a full stop as list items do.
        let (titles, sentences) = runs[c.run];
        if c.title_like
            && (titles > sentences || (titles == sentences && titles == 1 && !c.full_stop))
        {
            out[c.index] = Some(Some(c.label));
        }
    }
    out
}

/// `附件`, `附件2`, `附表：` standing alone on a line: the title of an appended document.
fn is_attachment_title(text: &str) -> bool {
    let t = text.trim().trim_end_matches(['：', ':']);
    let rest = t.strip_prefix("附件").or_else(|| t.strip_prefix("附表"));
    rest.is_some_and(|r| {
        r.chars().all(|c| {
            c.is_ascii_digit() || ('０'..='９').contains(&c) || "一二三四五六七八九十 ".contains(c)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_three_line_ends() {
        let lines: Vec<(u32, &str)> = split_lines("a\r\nb\rc\nd").collect();
        assert_eq!(lines, [(1, "a"), (2, "b"), (3, "c"), (4, "d")]);
    }

    /// The line splitter reads every mix of line ends as splitting at LF and then at CR did
    /// (the code it replaced), blank lines and the empty last line included.
    #[test]
    fn line_ends_as_split_at_lf_then_cr() {
        let before = |text: &str| -> Vec<(u32, String)> {
            text.split('\n')
                .flat_map(|raw| raw.strip_suffix('\r').unwrap_or(raw).split('\r'))
                .zip(1..)
                .map(|(line, n)| (n, line.to_string()))
                .collect()
        };
        let mut texts: Vec<String> = [
            "", "\n", "\r", "\r\n", "\n\r", "a\r\r\n", "a\n\r\nb", "x\r\n\r\ny\r", "一\r\n二\n\n三",
        ]
        .map(String::from)
        .to_vec();
        texts.push(include_str!("../../samples/yuquan-2021.txt").to_string());
        texts.push(include_str!("../../samples/yuquan-2021.txt").replace('\n', "\r\n"));
        for t in &texts {
            let after: Vec<(u32, String)> =
                split_lines(t).map(|(n, l)| (n, l.to_string())).collect();
            assert_eq!(after, before(t), "{t:?}");
        }
    }

    #[test]
    fn attachment_titles() {
        assert!(is_attachment_title("附件"));
        assert!(is_attachment_title("附件2："));
        assert!(!is_attachment_title("附件：2021年绩效自评表"));
    }
}
