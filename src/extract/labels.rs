//! The label index of the figure lexicon: which rows of `data/figures.tsv` name a figure by a
//! label alone (`基本支出{V}`, `公务接待费(?:支出)?{V}`), and every wording each such label can
//! take, so that a clause is read from its amount backwards: the words right before an amount
//! (less the connector, [`Connectors`]) end with a label, and the label names the key.
//!
//! A row is a label row when its pattern is a finite label followed by `{V}`, perhaps after a
//! written-out look-behind (`(?:^|[^算金])财政拨款收入{V}`: the label may not follow `算` or
//! `金`). `regex-syntax` spells out the label's wordings; a row whose pattern is anything more
//! (two values, a value inside the phrase, a repetition) stays a whole-phrase regex.

use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// How a label row constrains the character before its label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotAfter(Vec<char>);

impl NotAfter {
    /// Whether a label may follow `prev` (`None` at the start of the text).
    pub(crate) fn allows(&self, prev: Option<char>) -> bool {
        prev.is_none_or(|c| !self.0.contains(&c))
    }
}

/// A label row: the wordings of its label, and the characters it may not follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LabelForm {
    pub(crate) wordings: Vec<String>,
    pub(crate) not_after: Option<NotAfter>,
}

/// Every string a finite pattern matches (the empty one included), or `None` when it matches
/// too many (over 4,096, or a class of over 4 characters) or infinitely many.
fn spell_out(pattern: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_total(4096)
        .limit_class(4)
        .extract(&hir);
    if !seq.is_exact() {
        return None;
    }
    let mut out: Vec<String> = seq
        .literals()?
        .iter()
        .map(|l| String::from_utf8(l.as_bytes().to_vec()).ok())
        .collect::<Option<_>>()?;
    out.sort();
    out.dedup();
    Some(out)
}

/// The wordings a label pattern can take, when it is finite, names few enough of them and
/// none is empty.
fn wordings(pattern: &str) -> Option<Vec<String>> {
    if pattern.is_empty() || pattern.contains(['^', '$', '*', '+', '{', '.', '\\']) {
        return None;
    }
    spell_out(pattern).filter(|ws| ws.iter().all(|w| !w.is_empty()))
}

/// The label form of a row's pattern, or `None` for a whole-phrase row.
pub(crate) fn label_form(pattern: &str) -> Option<LabelForm> {
    let label = pattern.strip_suffix("{V}")?;
    let (label, not_after) = match label
        .strip_prefix("(?:^|[^")
        .and_then(|r| r.split_once("])"))
    {
        Some((chars, rest)) => (rest, Some(NotAfter(chars.chars().collect()))),
        None => (label, None),
    };
    // A choice between whole phrasings is no label (`A{V}|B{V}` ends in `{V}` too).
    if top_level_or(label) {
        return None;
    }
    Some(LabelForm {
        wordings: wordings(label)?,
        not_after,
    })
}

/// Whether a pattern is a choice between whole phrasings (`A{V}|B{V}`): a `|` outside any
/// group.
pub(crate) fn top_level_or(pattern: &str) -> bool {
    let mut depth = 0i32;
    let mut escaped = false;
    let mut in_class = false;
    for ch in pattern.chars() {
        match ch {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            _ if in_class => {}
            '(' => depth += 1,
            ')' => depth -= 1,
            '|' if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

/// Words read backwards from the end of a text: a trie over the reversed words, so that
/// finding every word a text ends with walks back only as far as some word goes.
#[derive(Default)]
struct ReverseTrie {
    nodes: Vec<Node>,
}

/// A trie node: its children by character (sorted), and the rows of the words ending there.
type Node = (Vec<(char, u32)>, Vec<usize>);

impl ReverseTrie {
    fn insert(&mut self, word: &str, row: usize) {
        if self.nodes.is_empty() {
            self.nodes.push(Default::default());
        }
        let mut at = 0;
        for ch in word.chars().rev() {
            let next = &self.nodes[at].0;
            at = match next.binary_search_by_key(&ch, |&(c, _)| c) {
                Ok(k) => next[k].1 as usize,
                Err(k) => {
                    let id = self.nodes.len();
                    self.nodes[at].0.insert(k, (ch, id as u32));
                    self.nodes.push(Default::default());
                    id
                }
            };
        }
        if !self.nodes[at].1.contains(&row) {
            self.nodes[at].1.push(row);
        }
    }

    /// Every (row, word length in bytes) of the words `text` ends with, shortest first.
    fn ending<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
        let mut at = (!self.nodes.is_empty()).then_some(0usize);
        let mut chars = text.char_indices().rev();
        let mut len = 0;
        // The root's words (the empty one) first, then one node deeper per character.
        let mut pending: std::slice::Iter<'a, usize> = at
            .map(|a| self.nodes[a].1.iter())
            .unwrap_or_default();
        std::iter::from_fn(move || loop {
            if let Some(&row) = pending.next() {
                return Some((row, len));
            }
            let node = at?;
            let (i, ch) = chars.next()?;
            let next = &self.nodes[node].0;
            match next.binary_search_by_key(&ch, |&(c, _)| c) {
                Ok(k) => {
                    let id = next[k].1 as usize;
                    at = Some(id);
                    len = text.len() - i;
                    pending = self.nodes[id].1.iter();
                }
                Err(_) => at = None,
            }
        })
    }
}

/// Every wording of every label row, for finding the labels a text ends with.
pub(crate) struct LabelIndex(ReverseTrie);

impl LabelIndex {
    /// The index of the rows `forms` (by row number; `None` for a whole-phrase row).
    pub(crate) fn new<'a>(forms: impl IntoIterator<Item = Option<&'a LabelForm>>) -> LabelIndex {
        let mut trie = ReverseTrie::default();
        for (row, form) in forms.into_iter().enumerate() {
            for w in form.iter().flat_map(|f| &f.wordings) {
                trie.insert(w, row);
            }
        }
        LabelIndex(trie)
    }

    /// Every (row, wording length in bytes) whose wording `text` ends with.
    pub(crate) fn ending<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
        self.0.ending(text)
    }
}

/// The words that may stand between a label and its amount: every wording of the connector
/// pattern ([`super::figures`]' `CONNECTOR`), the empty one included.
pub(crate) struct Connectors(ReverseTrie);

impl Connectors {
    /// The connectors of a finite pattern. Panics if it is not finite: it is built in.
    pub(crate) fn new(pattern: &str) -> Connectors {
        let words = spell_out(pattern)
            .unwrap_or_else(|| panic!("the connector pattern is finite and small: {pattern}"));
        let mut trie = ReverseTrie::default();
        for w in words {
            trie.insert(&w, 0);
        }
        Connectors(trie)
    }

    /// Whether `text` is a connector, all of it.
    pub(crate) fn is_whole(&self, text: &str) -> bool {
        self.0.ending(text).any(|(_, n)| n == text.len())
    }

    /// Every split of `text` into the words before a connector and the connector it ends
    /// with, the empty connector first.
    pub(crate) fn splits<'a>(&'a self, text: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.0
            .ending(text)
            .map(move |(_, n)| (&text[..text.len() - n], &text[text.len() - n..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_row_spells_out_its_wordings() {
        let f = label_form("公务用?车购置(?:费)?{V}").unwrap();
        assert_eq!(
            f.wordings,
            ["公务用车购置", "公务用车购置费", "公务车购置", "公务车购置费"]
        );
        assert_eq!(f.not_after, None);
        let f = label_form("(?:^|[^算金])财政拨款收入{V}").unwrap();
        assert_eq!(f.wordings, ["财政拨款收入"]);
        let n = f.not_after.unwrap();
        assert!(!n.allows(Some('算')) && n.allows(Some('：')) && n.allows(None));
    }

    #[test]
    fn whole_phrase_rows_are_no_label_rows() {
        for p in [
            "行政人员编制{N}人",
            "政府采购货物支出{V}|货物采购金额{V}",
            "收入预算[0-9.,]+万?元[，,]其中[：:]财政拨款收入{V}",
            "一般公共预算(?:财政拨款)?支出[^。；]{0,40}?完成(?:年初)?预算(?:数)?的?{P}",
        ] {
            assert_eq!(label_form(p), None, "{p}");
        }
    }

    #[test]
    fn connectors_split_the_words_before_an_amount() {
        let c = Connectors::new("(?:预算|决算)?(?:数)?(?:为)?");
        let splits: Vec<(&str, &str)> = c.splits("基本支出预算数为").collect();
        assert_eq!(
            splits,
            [
                ("基本支出预算数为", ""),
                ("基本支出预算数", "为"),
                ("基本支出预算", "数为"),
                ("基本支出", "预算数为")
            ]
        );
        let idx = LabelIndex::new([label_form("基本支出{V}").as_ref(), None]);
        assert_eq!(idx.ending("一般公共预算基本支出").collect::<Vec<_>>(), [(0, 12)]);
    }
}
