//! A regex run only where one of its literal prefixes starts, anchored there.
//!
//! Why: an unanchored search runs the regex's lazy DFA over the whole paragraph, and back
//! again from each match's end to find where it starts. In native runs that DFA costs about
//! four times the average instruction (its tables are read a byte at a time from memory; a
//! regex of the money grammar has large ones): a fifth of a text batch's samples were in it
//! (`perf`), for 3% of its instructions (callgrind). Most lexicon patterns start with
//! literal words (`财政拨款收入`, a class name); the [`Prefilter`] finds where they start in
//! one pass, and the regex, anchored, runs only from those places and stops where it fails.
//!
//! The matches are the unanchored search's: a leftmost-first match starts at the first place
//! where an anchored match does, and the next is searched for from its end on. A pattern
//! whose matches may start elsewhere (a literal inside the match, or none, or an assertion
//! before its literals) runs unanchored as before.

use regex::{Captures, Regex};

use crate::prefilter::Prefilter;

/// A regex and, when it can be anchored, where its matches may start.
pub(crate) struct Anchored {
    /// The pattern anchored at the start of the text it is given (`^(?:…)`) unless `starts`
    /// is [`Starts::Unanchored`]; else the pattern as written.
    regex: Regex,
    starts: Starts,
}

/// Where an anchored pattern's matches are tried.
enum Starts {
    /// Nowhere in particular: the pattern runs unanchored.
    Unanchored,
    /// Where its own literal prefixes start (boxed: a rule without a regex stays small).
    Own(Box<Prefilter>),
    /// Where the caller says: a prefilter shared by a list of patterns found the starts of
    /// all of them in one pass ([`Prefilter::candidate_starts`]). Asked without them, at
    /// every character.
    Given,
}

impl Anchored {
    /// Compiles `pattern`, with a prefilter of its own literals when it can be anchored;
    /// panics on a bad pattern (the lexicons are built in and tested).
    pub(crate) fn new(pattern: &str) -> Anchored {
        let prefilter = Prefilter::new([pattern]);
        let anchorable = prefilter.anchorable(0);
        Anchored::compile(
            pattern,
            match anchorable {
                true => Starts::Own(Box::new(prefilter)),
                false => Starts::Unanchored,
            },
        )
    }

    /// Compiles `pattern` for a caller whose shared prefilter gives the starts (and says
    /// whether it is `anchorable`): the pattern is not parsed a second time for its own,
    /// which cost a one-file run 6% of its instructions.
    pub(crate) fn given(pattern: &str, anchorable: bool) -> Anchored {
        Anchored::compile(
            pattern,
            match anchorable {
                true => Starts::Given,
                false => Starts::Unanchored,
            },
        )
    }

    fn compile(pattern: &str, starts: Starts) -> Anchored {
        let source = match starts {
            Starts::Unanchored => pattern.to_string(),
            _ => format!("^(?:{pattern})"),
        };
        Anchored {
            regex: Regex::new(&source).unwrap_or_else(|e| panic!("{pattern}: {e}")),
            starts,
        }
    }

    /// Whether the pattern runs anchored at its literals.
    #[cfg(test)]
    pub(crate) fn is_anchored(&self) -> bool {
        !matches!(self.starts, Starts::Unanchored)
    }

    /// The compiled regex (for its group names; anchored when the pattern could be).
    pub(crate) fn regex(&self) -> &Regex {
        &self.regex
    }

    /// Where the pattern's matches may start in `text`, in order; `None` when it runs
    /// unanchored.
    fn starts(&self, text: &str) -> Option<Vec<usize>> {
        match &self.starts {
            Starts::Unanchored => None,
            Starts::Own(prefilter) => Some(
                prefilter
                    .candidate_starts(text)
                    .into_iter()
                    .find_map(|(_, starts)| starts)
                    .unwrap_or_default(),
            ),
            Starts::Given => Some(text.char_indices().map(|(i, _)| i).collect()),
        }
    }

    /// Every match in `text`, as `captures_iter` of the pattern finds them: each with the
    /// byte of `text` where the text its captures index starts.
    pub(crate) fn captures_iter<'t>(&self, text: &'t str) -> Vec<(usize, Captures<'t>)> {
        match self.starts(text) {
            Some(starts) => self.captures_at(text, starts),
            None => self.regex.captures_iter(text).map(|c| (0, c)).collect(),
        }
    }

    /// The first match in `text`, as `captures` of the pattern finds it.
    pub(crate) fn captures<'t>(&self, text: &'t str) -> Option<(usize, Captures<'t>)> {
        match self.starts(text) {
            Some(starts) => starts
                .into_iter()
                .find_map(|at| self.regex.captures(&text[at..]).map(|c| (at, c))),
            None => self.regex.captures(text).map(|c| (0, c)),
        }
    }

    /// Whether the pattern matches in `text`, given where its matches may start (as for
    /// [`Anchored::captures_at`]).
    pub(crate) fn is_match_at(&self, text: &str, starts: &[usize]) -> bool {
        if let Starts::Unanchored = self.starts {
            return self.regex.is_match(text);
        }
        starts.iter().any(|&at| self.regex.is_match(&text[at..]))
    }

    /// The matches in `text` given where they may start (the starts of the pattern's
    /// literals, in order, found by a prefilter shared with other patterns); unanchored when
    /// the pattern could not be anchored.
    pub(crate) fn captures_at<'t>(
        &self,
        text: &'t str,
        starts: Vec<usize>,
    ) -> Vec<(usize, Captures<'t>)> {
        if let Starts::Unanchored = self.starts {
            return self.regex.captures_iter(text).map(|c| (0, c)).collect();
        }
        let mut found = Vec::new();
        let mut end = 0;
        for at in starts {
            if at < end {
                continue;
            }
            if let Some(caps) = self.regex.captures(&text[at..]) {
                end = at + caps.get(0).map_or(0, |m| m.end());
                found.push((at, caps));
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::Anchored;

    /// Each way of asking answers as the pattern's own regex does, for patterns that can be
    /// anchored and for those that cannot, on texts with no match, one, several and
    /// overlapping candidates.
    #[test]
    fn answers_as_the_unanchored_regex() {
        let patterns = [
            r"(?:本年)?收入合计(?P<v>\d+)",
            r"(?:收入|收入合计)\d",
            r"(?:^|[^算金])财政拨款收入(?P<v>\d+)",
            r"\b收入合计",
            r"[0-9]+个项目",
            r"收入合计[^，]{0,8}?\d",
            r"哈哈\d",
            r"(?:甲|乙|丙|丁|戊|己)收入\d",
        ];
        let texts = [
            "",
            "本年收入合计5，收入合计6元，财政拨款收入7",
            "收入收入合计收入合计12个项目，预算财政拨款收入3",
            "财政拨款收入8，收入合计为9",
            "abc收入合计",
            "哈哈哈1哈哈哈哈2",
            "甲收入1乙收入丙收入2己收入3",
        ];
        for p in patterns {
            let own = Anchored::new(p);
            let given = Anchored::given(p, own.is_anchored());
            let re = regex::Regex::new(p).unwrap();
            for (a, t) in [&own, &given]
                .into_iter()
                .flat_map(|a| texts.map(|t| (a, t)))
            {
                let spans = |c: &regex::Captures, at: usize| -> Vec<Option<(usize, usize)>> {
                    c.iter()
                        .map(|m| m.map(|m| (at + m.start(), at + m.end())))
                        .collect()
                };
                let want: Vec<_> = re.captures_iter(t).map(|c| spans(&c, 0)).collect();
                let got: Vec<_> = a
                    .captures_iter(t)
                    .iter()
                    .map(|(at, c)| spans(c, *at))
                    .collect();
                assert_eq!(got, want, "{p} in {t}");
                let first = a.captures(t).map(|(at, c)| spans(&c, at));
                assert_eq!(first, want.first().cloned(), "{p} in {t}");
                let starts: Vec<usize> = t.char_indices().map(|(i, _)| i).collect();
                assert_eq!(a.is_match_at(t, &starts), re.is_match(t), "{p} in {t}");
            }
        }
        assert!(Anchored::new(patterns[0]).is_anchored());
        assert!(!Anchored::new(patterns[2]).is_anchored());
        assert!(!Anchored::new(patterns[3]).is_anchored());
    }
}
