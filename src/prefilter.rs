//! Keyword dispatch for rule lists: which of many regexes can match a text, found in one pass.
//!
//! A lexicon of phrasings (`data/figures.tsv`) is a list of regexes, and a paragraph matches
//! few of them. A `RegexSet` of all of them answers which, but building it compiles every
//! pattern a second time (each carries the money grammar): 5 to 7 ms of every process, a
//! tenth of a one-file run. Every match of a pattern starts with one of a few literal
//! prefixes, which `regex-syntax` computes from the pattern (`(?:本年)?收入合计…` →
//! `本年收入合计`, `收入合计`); one pass over the text finds the prefixes present, and only the
//! rules of those prefixes run, as fast as the set. A pattern without a usable prefix (one
//! that can start with anything) is always a candidate, so the answer is the `RegexSet`'s
//! answer or a superset of it: the caller still runs each candidate's regex.
//!
//! The pass reads the text a character at a time and tests each against the literals' first
//! characters, in a bitmap small enough to stay in the cache; only where one starts a literal
//! are the literals of that character compared. It finds every occurrence of every literal,
//! as the overlapping Aho-Corasick search it replaced did, and a text batch took 0.95× the
//! CPU: that automaton over the figure lexicon's literals (a DFA of 385 KB, for the byte
//! classes of Chinese text) was read from memory a byte at a time, and cost 33 M
//! instructions to build at the start of every process.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

/// The literal prefixes of a list of patterns, for finding a text's candidate rules.
pub(crate) struct Prefilter {
    /// The literals, each valid UTF-8, so that each occurrence starts at a character.
    literals: Vec<Vec<u8>>,
    /// Each literal's first eight bytes (fewer for a shorter one) as a little-endian word,
    /// with the mask of the bytes it has: a literal is tested against the text with one
    /// comparison of words ([`Prefilter::literal_at`]).
    heads: Vec<(u64, u64)>,
    /// Which characters below U+10000 start a literal: a bit per character (8 KB).
    first_bmp: Vec<u64>,
    /// For each word of `first_bmp`, the bits set in the words before it: with the bits below
    /// a character's own in its word, the place of its literals in `bmp_literals`.
    rank: Vec<u16>,
    /// The literals each first character below U+10000 starts, in the characters' order.
    bmp_literals: Vec<Vec<usize>>,
    /// The first characters above the bitmap, with the literals each starts.
    astral: Vec<(char, Vec<usize>)>,
    /// The rules of each literal.
    rules_of: Vec<Vec<usize>>,
    /// Rules with no literal prefix: candidates for every text.
    always: Vec<usize>,
    /// Whether each rule's matches start where one of its literals does, with no look-around
    /// assertion before it: such a rule can be run anchored at its literals
    /// ([`Prefilter::candidate_starts`]).
    anchorable: Vec<bool>,
}

impl Prefilter {
    /// A prefilter for `patterns` (regexes in the `regex` crate's syntax). Panics on a pattern
    /// that does not parse: the lexicon is built in and tested.
    pub(crate) fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Prefilter {
        let mut literals: Vec<Vec<u8>> = Vec::new();
        let mut rules_of: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        let mut anchorable = Vec::new();
        for (i, pattern) in patterns.into_iter().enumerate() {
            let hir = regex_syntax::Parser::new()
                .parse(pattern)
                .unwrap_or_else(|e| panic!("{pattern}: {e}"));
            let Some((ls, prefixes)) = literals_of(&hir) else {
                always.push(i);
                anchorable.push(false);
                continue;
            };
            anchorable.push(prefixes && hir.properties().look_set_prefix_any().is_empty());
            for bytes in ls {
                match literals.iter().position(|x| *x == bytes) {
                    Some(k) => rules_of[k].push(i),
                    None => {
                        literals.push(bytes);
                        rules_of.push(vec![i]);
                    }
                }
            }
        }
        let mut by_first: Vec<(char, Vec<usize>)> = Vec::new();
        let mut first_bmp = vec![0u64; 0x10000 / 64];
        for (k, bytes) in literals.iter().enumerate() {
            let first = std::str::from_utf8(bytes)
                .ok()
                .and_then(|l| l.chars().next())
                .unwrap_or_else(|| panic!("a literal prefix is UTF-8 text: {bytes:?}"));
            match by_first.iter_mut().find(|(c, _)| *c == first) {
                Some((_, ks)) => ks.push(k),
                None => by_first.push((first, vec![k])),
            }
            if let Some(bit) = bmp_bit(first) {
                first_bmp[bit / 64] |= 1 << (bit % 64);
            }
        }
        by_first.sort_by_key(|(c, _)| *c);
        let heads = literals.iter().map(|l| head_of(l)).collect();
        let mut rank = Vec::with_capacity(first_bmp.len());
        let mut set = 0u16;
        for word in &first_bmp {
            rank.push(set);
            set += word.count_ones() as u16;
        }
        let (bmp, astral): (Vec<_>, Vec<_>) = by_first
            .into_iter()
            .partition(|(c, _)| bmp_bit(*c).is_some());
        Prefilter {
            literals,
            heads,
            first_bmp,
            rank,
            bmp_literals: bmp.into_iter().map(|(_, ks)| ks).collect(),
            astral,
            rules_of,
            always,
            anchorable,
        }
    }

    /// The rules that may match `text`, in rule order: the rules whose literal is in it, and
    /// those without a literal.
    #[cfg(test)]
    pub(crate) fn candidates(&self, text: &str) -> Vec<usize> {
        let mut hit = vec![false; self.anchorable.len()];
        for &i in &self.always {
            hit[i] = true;
        }
        for (_, k) in self.occurring(text) {
            for &i in &self.rules_of[k] {
                hit[i] = true;
            }
        }
        hit.iter()
            .enumerate()
            .filter_map(|(i, &h)| h.then_some(i))
            .collect()
    }

    /// The literals found (test only: to hold a lexicon to a shape its caller relies on).
    #[cfg(test)]
    pub(crate) fn literals(&self) -> impl Iterator<Item = &[u8]> {
        self.literals.iter().map(Vec::as_slice)
    }

    /// Whether rule `i`'s matches start where its literals do ([`Prefilter::candidate_starts`]).
    pub(crate) fn anchorable(&self, i: usize) -> bool {
        self.anchorable[i]
    }

    /// The rules that may match `text`, in rule order, each with where its matches may start
    /// when it is anchorable: the starts of its literals, in order, each once. A rule whose
    /// matches may start elsewhere (a literal inside the match, or none) comes with `None`.
    pub(crate) fn candidate_starts(&self, text: &str) -> Vec<(usize, Option<Vec<usize>>)> {
        // Each (rule, start) found, in rule order and then text order, each once. A paragraph
        // holds a few occurrences: sorting them costs less than a table of every rule's
        // starts, built and dropped for each paragraph (with the word test of `literal_at`,
        // 0.99x the instructions of a text report).
        let mut found: Vec<(usize, usize)> = Vec::new();
        for (at, k) in self.occurring(text) {
            found.extend(self.rules_of[k].iter().map(|&i| (i, at)));
        }
        found.sort_unstable();
        found.dedup();
        let mut out: Vec<(usize, Option<Vec<usize>>)> = Vec::new();
        let mut always = self.always.iter().copied().peekable();
        for (i, at) in found {
            while let Some(a) = always.next_if(|&a| a < i) {
                out.push((a, None));
            }
            match out.last_mut() {
                Some((last, starts)) if *last == i => {
                    if let Some(starts) = starts {
                        starts.push(at);
                    }
                }
                _ => out.push((i, self.anchorable[i].then(|| vec![at]))),
            }
        }
        out.extend(always.map(|a| (a, None)));
        out
    }

    /// Every occurrence of every literal in `text`: where it starts, and the literal's index.
    fn occurring<'t>(&'t self, text: &'t str) -> impl Iterator<Item = (usize, usize)> + 't {
        let b = text.as_bytes();
        let mut from = 0;
        std::iter::from_fn(move || {
            let (at, ks) = self.next_start(b, from)?;
            from = at + crate::text::char_len(b[at]);
            Some((at, ks))
        })
        .flat_map(move |(at, ks)| {
            ks.iter()
                .filter(move |&&k| self.literal_at(b, at, k))
                .map(move |&k| (at, k))
        })
    }

    /// Whether literal `k` starts at byte `at` of `b`. Most tests fail on the second
    /// character, and a call of `memcmp` for each was 1.4% of a text batch's samples; one
    /// comparison of words decides them.
    fn literal_at(&self, b: &[u8], at: usize, k: usize) -> bool {
        let literal = &self.literals[k];
        let Some(word) = b.get(at..at + 8) else {
            return b[at..].starts_with(literal);
        };
        let (head, mask) = self.heads[k];
        let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        word & mask == head && (literal.len() <= 8 || b[at + 8..].starts_with(&literal[8..]))
    }

    /// The first character at or after byte `i` of `b` (a character's start in valid UTF-8)
    /// that starts a literal, with its literals. Most of a report is Han characters, three
    /// bytes each, and few of them start a literal: the loop reads their bitmap bit straight
    /// from the bytes, without decoding the character, and goes on. Against `char_indices`, a
    /// binary search and an iterator per character, a text report takes 0.7% fewer
    /// instructions (callgrind, copies of the sample).
    fn next_start(&self, b: &[u8], mut i: usize) -> Option<(usize, &[usize])> {
        while i < b.len() {
            let lead = b[i];
            if lead & 0xf0 == 0xe0 {
                // U+0800–U+FFFF: bits 12–15 from the lead byte, 6–11 and 0–5 from the others.
                let word = (usize::from(lead & 0x0f) << 6) | usize::from(b[i + 1] & 0x3f);
                let bit = b[i + 2] & 0x3f;
                if self.first_bmp[word] & (1 << bit) != 0 {
                    return Some((i, self.bmp_starting(word, bit)));
                }
                i += 3;
            } else if lead < 0x80 {
                let (word, bit) = (usize::from(lead >> 6), lead & 0x3f);
                if self.first_bmp[word] & (1 << bit) != 0 {
                    return Some((i, self.bmp_starting(word, bit)));
                }
                i += 1;
            } else {
                // Two bytes (U+0080–U+07FF) or four (above the bitmap).
                let len = if lead >= 0xf0 { 4 } else { 2 };
                let c = std::str::from_utf8(&b[i..i + len])
                    .ok()
                    .and_then(|s| s.chars().next())?;
                let ks = match bmp_bit(c) {
                    Some(bit) if self.first_bmp[bit / 64] & (1 << (bit % 64)) != 0 => {
                        self.bmp_starting(bit / 64, (bit % 64) as u8)
                    }
                    Some(_) => &[],
                    // No literal of the lexicons starts with such a character, but one could.
                    None => self
                        .astral
                        .iter()
                        .find(|(f, _)| *f == c)
                        .map_or(&[][..], |(_, ks)| ks.as_slice()),
                };
                if !ks.is_empty() {
                    return Some((i, ks));
                }
                i += c.len_utf8();
            }
        }
        None
    }

    /// The literals of the character whose bit is set at `bit` of `first_bmp[word]`.
    fn bmp_starting(&self, word: usize, bit: u8) -> &[usize] {
        let below = self.first_bmp[word] & ((1u64 << bit) - 1);
        &self.bmp_literals[usize::from(self.rank[word]) + below.count_ones() as usize]
    }
}

#[cfg(test)]
impl Prefilter {
    /// Asserts that [`Prefilter::occurring`] finds in each text exactly the occurrences an
    /// overlapping Aho-Corasick search of the same literals finds (the search it replaced);
    /// returns how many there were.
    pub(crate) fn assert_finds_what_aho_corasick_finds<'a>(
        &self,
        texts: impl IntoIterator<Item = &'a str>,
    ) -> usize {
        let ac = aho_corasick::AhoCorasick::new(&self.literals).unwrap();
        let mut found = 0;
        for text in texts {
            let mut want: Vec<(usize, usize)> = ac
                .find_overlapping_iter(text)
                .map(|m| (m.start(), m.pattern().as_usize()))
                .collect();
            want.sort_unstable();
            let mut got: Vec<(usize, usize)> = self.occurring(text).collect();
            got.sort_unstable();
            assert_eq!(got, want, "{text}");
            found += want.len();
        }
        found
    }
}

/// A literal's first eight bytes, or all of a shorter one, as a little-endian word and the
/// mask of the bytes it has.
fn head_of(literal: &[u8]) -> (u64, u64) {
    let n = literal.len().min(8);
    let mut bytes = [0u8; 8];
    bytes[..n].copy_from_slice(&literal[..n]);
    let mask = if n == 8 {
        u64::MAX
    } else {
        (1u64 << (8 * n)) - 1
    };
    (u64::from_le_bytes(bytes), mask)
}

/// A character's bit in the first-character bitmap, for one below U+10000.
fn bmp_bit(c: char) -> Option<usize> {
    let c = c as usize;
    (c < 0x10000).then_some(c)
}

/// Literals one of which every match of `hir` contains: the prefixes of its matches, or, for
/// a pattern that starts with a class (`(?:^|[^算金])财政拨款收入…`, a look-behind written
/// out, or the `[0-9]+` of `[0-9]+个项目实行绩效目标管理`), the prefixes of the rest of the
/// sequence after it; for a choice between phrasings, those of each. The flag says whether
/// every match starts with one of them (each is a prefix, not a literal inside the match).
fn literals_of(hir: &Hir) -> Option<(Vec<Vec<u8>>, bool)> {
    let prefixes = |h: &Hir| -> Option<Vec<Vec<u8>>> {
        // A class of more than four characters (`[0-9]`) ends a literal instead of being
        // spelled out into one literal per character.
        let seq = Extractor::new()
            .kind(ExtractKind::Prefix)
            .limit_class(4)
            .extract(h);
        seq.literals()
            .filter(|ls| !ls.is_empty() && ls.iter().all(|l| !l.as_bytes().is_empty()))
            .map(|ls| ls.iter().map(|l| l.as_bytes().to_vec()).collect())
    };
    if let Some(ls) = prefixes(hir).filter(|ls| !all_short(ls)) {
        return Some((ls, true));
    }
    match hir.kind() {
        // A choice between whole phrasings: the literals of each, so that a branch that
        // starts with a class does not make every digit a literal.
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            let mut all_prefixes = true;
            for b in branches {
                let (ls, prefixes) = literals_of(b)?;
                all.extend(ls);
                all_prefixes &= prefixes;
            }
            Some((all, all_prefixes))
        }
        HirKind::Concat(parts) => (1..parts.len())
            .find_map(|k| literals_of(&Hir::concat(parts[k..].to_vec())))
            .map(|(ls, _)| (ls, false)),
        // The whole pattern in a group (`(?:A|B)`).
        HirKind::Capture(c) => literals_of(&c.sub),
        _ => prefixes(hir).map(|ls| (ls, true)),
    }
}

/// Whether every literal is one byte (`0`..`9` of a leading `[0-9]+`): such literals are
/// in every paragraph with a number, and each of their matches costs the search a stop.
fn all_short(ls: &[Vec<u8>]) -> bool {
    ls.iter().all(|l| l.len() < 2)
}

#[cfg(test)]
mod tests {
    use super::Prefilter;

    fn rules(p: &Prefilter, text: &str) -> Vec<usize> {
        p.candidates(text)
    }

    #[test]
    fn only_rules_whose_prefix_is_present_are_candidates() {
        let p = Prefilter::new([
            r"(?:本年)?收入合计\d+",
            r"三公经费[^，]{0,4}\d+",
            r"\w+元",
            r"(?:^|[^算金])财政拨款收入\d+",
        ]);
        // The third can start anywhere, but its matches hold `元`; the fourth is a
        // look-behind written out, its literal after it.
        assert_eq!(rules(&p, "本年收入合计853万元"), vec![0, 2]);
        assert_eq!(rules(&p, "“三公”经费支出5万"), Vec::<usize>::new());
        assert_eq!(rules(&p, "三公经费支出5万元"), vec![1, 2]);
        assert_eq!(rules(&p, "其中财政拨款收入5万"), vec![3]);
        // A pattern that can be anything is a candidate for every text.
        let any = Prefilter::new([r"\w+", "收入"]);
        assert_eq!(rules(&any, "支出"), vec![0]);
        // A choice whose branch starts with digits: that branch's literal is the words after
        // them, not every digit, and no class of ten digits is spelled out.
        let perf = Prefilter::new([
            r"编报绩效目标的(?:[0-9]{4}年度?)?项目[0-9]+个|[0-9]+个项目实行绩效目标管理",
        ]);
        assert_eq!(rules(&perf, "本年收入合计853万元"), Vec::<usize>::new());
        assert_eq!(rules(&perf, "共5个项目实行绩效目标管理"), vec![0]);
        assert_eq!(rules(&perf, "编报绩效目标的2024年度项目4个"), vec![0]);
        assert_eq!(perf.literals.len(), 2);
    }

    /// A rule is anchorable when every match starts with one of its literals and no
    /// assertion comes before them; its starts are those of its literals, in order, once each.
    #[test]
    fn anchorable_rules_come_with_their_starts() {
        let p = Prefilter::new([
            r"(?:本年)?收入合计\d+",
            r"(?:^|[^算金])财政拨款收入\d+",
            r"\w+元",
            r"[0-9]+个项目|编报绩效目标的项目",
            r"\b收入合计",
            r"(?:收入|收入合计)\d",
        ]);
        let text = "本年收入合计5，收入合计6元，财政拨款收入7";
        let starts = |s: &str| text.find(s).unwrap();
        let later = text.rfind("收入合计").unwrap();
        assert_eq!(
            p.candidate_starts(text),
            vec![
                (0, Some(vec![0, starts("收入合计"), later])),
                (1, None),
                (2, None),
                (4, None),
                (5, Some(vec![starts("收入合计"), later, starts("收入7")])),
            ]
        );
        assert_eq!(p.candidate_starts("5个项目"), vec![(3, None)]);
    }

    /// Overlapping literals, one a prefix of another, characters of each UTF-8 length (a
    /// character above U+FFFF, `é`, ASCII): every occurrence of each is found, as an
    /// overlapping Aho-Corasick search finds them.
    #[test]
    fn every_occurrence_of_every_literal() {
        let p = Prefilter::new(["(?:本年)?收入合计", "收入", "𠀀年", "ab", "b", "é年"]);
        let found = p.assert_finds_what_aho_corasick_finds([
            "本年收入合计，收入收入",
            "𠀀年𠀀年ab收",
            "",
            "本",
            "abab",
            "éé年𠀀é年b",
        ]);
        assert_eq!(found, 5 + 4 + 4 + 3);
    }

    #[test]
    fn the_candidates_include_every_rule_a_regex_set_matches() {
        let patterns = [
            r"收入(?:支出)?总计\d+",
            r"(?:一般公共预算)?财政拨款(?:收入|支出)\d+",
            r"基本支出\d+",
            r"项目支出\d+",
        ];
        let p = Prefilter::new(patterns);
        let set = regex::RegexSet::new(patterns).unwrap();
        for text in [
            "收入支出总计2995万元",
            "一般公共预算财政拨款支出642万元，基本支出500万元",
            "项目支出142万元，收入总计12万元",
            "无数字",
        ] {
            let want: Vec<usize> = set.matches(text).iter().collect();
            let got = rules(&p, text);
            assert!(
                want.iter().all(|w| got.contains(w)),
                "{text}: {got:?} ⊉ {want:?}"
            );
        }
    }
}
