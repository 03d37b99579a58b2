//! Which rules a text could match at all, told without running their regexes.
//!
//! Every rule needs some word: « t’es laid » cannot match a text without a token that is
//! `laid` stretched or masked (`laiiid`, `l0id`). A rule's anchors are the words of one item
//! it cannot do without (for `{tu_es} (laid|laide)`: `laid` or `laide`), and a text whose
//! tokens hold none of them is not searched for it. The rules are put in buckets of a few
//! dozen, each one small regex, and a check searches only the buckets a token of the text
//! points to: most texts point to none or one, and a small regex's lazy DFA builds the states
//! a new text needs in a few microseconds, where the one regex of every rule took hundreds
//! (issue 14: a check under 50 µs at the 99th percentile, also for a text no check saw).
//!
//! An anchor is necessary, not sufficient: the bucket's regex still decides. Letters are
//! compared with their runs collapsed (`folle` and `fole` are both `fole`), since a word's
//! regex stretches each letter (`[l0]+[l0]+` is two or more `l`, and a token with them
//! collapses the same way).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::lists::{items, split_top};
use super::normalize::{CLAUSE, MASK};

/// A word a rule needs: its letters with runs collapsed, and whether more may follow (`stem*`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Anchor {
    letters: String,
    prefix: bool,
}

/// `word` with each run of one letter as one (`laiiide` → `laide`): how anchors and the
/// list of what is not a first name ([`super::names`]) compare stretched words.
pub(super) fn collapse(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

/// The anchors of a pattern: words one of which every text it matches holds, or `None`
/// when no required item has them (the rule is then searched in every text).
pub(super) fn of_pattern(pattern: &str, groups: &BTreeMap<String, Vec<String>>, depth: u8) -> Option<BTreeSet<Anchor>> {
    if depth > 6 {
        return None;
    }
    let mut best: Option<BTreeSet<Anchor>> = None;
    for (body, quantifier) in items(pattern, "").ok()? {
        if !quantifier.is_empty() || body == "." || body == "_" {
            continue;
        }
        let anchors = if let Some(alternatives) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
            union(split_top(alternatives).into_iter(), groups, depth)
        } else if let Some(name) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
            groups.get(name).and_then(|alternatives| union(alternatives.iter().map(String::as_str), groups, depth))
        } else {
            Some(
                body.split('|')
                    .map(|w| match w.strip_suffix('*') {
                        Some(stem) => Anchor { letters: collapse(stem), prefix: true },
                        None => Anchor { letters: collapse(w), prefix: false },
                    })
                    .collect(),
            )
        };
        if let Some(anchors) = anchors
            && best.as_ref().is_none_or(|b| rank(&anchors) > rank(b))
        {
            best = Some(anchors);
        }
    }
    best
}

/// The anchors of alternatives: every one must have some, and a text holds one of them all.
fn union<'a>(
    alternatives: impl Iterator<Item = &'a str>,
    groups: &BTreeMap<String, Vec<String>>,
    depth: u8,
) -> Option<BTreeSet<Anchor>> {
    let mut out = BTreeSet::new();
    for alternative in alternatives {
        out.extend(of_pattern(alternative, groups, depth + 1)?);
    }
    Some(out)
}

/// How selective a set of anchors is: the longer its shortest word (short words such as
/// `t` or `es` are in most French texts), then the fewer words, the better.
fn rank(anchors: &BTreeSet<Anchor>) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = anchors.iter().map(|a| a.letters.len()).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(anchors.len()))
}

impl Anchor {
    /// Whether a token with masked letters (`f000`, `l0id`) may be this word: the word's
    /// regex, with its runs collapsed, over the token, one bit per letter run.
    fn matches_masked(&self, token: &str) -> bool {
        let letters = self.letters.as_bytes();
        let runs = letters.len();
        if runs == 0 || runs > 63 {
            return true;
        }
        let last = 1u64 << (runs - 1);
        let all = (last << 1) - 1;
        // Bit j: the token so far ends inside the word's run j.
        let mut state = 0u64;
        for (i, &c) in token.as_bytes().iter().enumerate() {
            let fits = if c == MASK as u8 {
                all
            } else {
                letters.iter().enumerate().filter(|(_, l)| **l == c).fold(0u64, |m, (j, _)| m | 1 << j)
            };
            state = if i == 0 { fits & 1 } else { (state | (state << 1)) & fits };
            if self.prefix && state & last != 0 {
                return true;
            }
            if state == 0 {
                return false;
            }
        }
        state & last != 0
    }
}

/// Which buckets of rules a text may need, from its tokens: buckets as bits of a `u64`.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// Whole words (collapsed) and the buckets of the rules they anchor.
    exact: HashMap<String, u64>,
    /// Word beginnings (`stem*`, collapsed) and their buckets.
    prefixes: HashMap<String, u64>,
    /// The longest word beginning, to bound the look-ups of a token.
    longest_prefix: usize,
    /// Every anchor, for tokens with masked letters.
    every: Vec<(Anchor, u64)>,
    /// Buckets of rules without anchors: searched in every text.
    always: u64,
}

impl Index {
    /// Records that the rules of `bucket` (0 to 63) need one of `anchors` (`None`: nothing).
    pub(super) fn add(&mut self, bucket: usize, anchors: Option<&BTreeSet<Anchor>>) {
        let bit = 1u64 << bucket;
        let Some(anchors) = anchors else {
            self.always |= bit;
            return;
        };
        for anchor in anchors {
            let map = if anchor.prefix { &mut self.prefixes } else { &mut self.exact };
            *map.entry(anchor.letters.clone()).or_default() |= bit;
            if anchor.prefix {
                self.longest_prefix = self.longest_prefix.max(anchor.letters.len());
            }
            match self.every.iter_mut().find(|(a, _)| a == anchor) {
                Some((_, bits)) => *bits |= bit,
                None => self.every.push((anchor.clone(), bit)),
            }
        }
    }

    /// The buckets a folded form (`" t es laiiide | p0s fin "`) may match in.
    pub(super) fn candidates(&self, hay: &str) -> u64 {
        let mut out = self.always;
        let mut collapsed = String::new();
        for token in hay.split(' ') {
            if token.is_empty() || token.starts_with(CLAUSE) {
                continue;
            }
            if token.contains(MASK) {
                for (anchor, bits) in &self.every {
                    if out & bits != *bits && anchor.matches_masked(token) {
                        out |= bits;
                    }
                }
                continue;
            }
            collapsed.clear();
            for c in token.chars() {
                if !collapsed.ends_with(c) {
                    collapsed.push(c);
                }
            }
            if let Some(bits) = self.exact.get(collapsed.as_str()) {
                out |= bits;
            }
            for end in 1..=collapsed.len().min(self.longest_prefix) {
                if let Some(bits) = collapsed.get(..end).and_then(|p| self.prefixes.get(p)) {
                    out |= bits;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{Anchor, Index, of_pattern};

    fn words(pattern: &str, groups: &BTreeMap<String, Vec<String>>) -> Vec<String> {
        of_pattern(pattern, groups, 0)
            .map(|a| a.into_iter().map(|a| a.letters + if a.prefix { "*" } else { "" }).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_rule_is_anchored_on_its_most_telling_required_word() {
        let groups = BTreeMap::from([("tu_es".to_owned(), vec!["t es".to_owned(), "tu es".to_owned()])]);
        assert_eq!(words("{tu_es} (laid|laide|folle)", &groups), ["fole", "laid", "laide"]);
        assert_eq!(words("{tu_es}", &groups), ["es", "tu"]);
        assert_eq!(words("tres? con*", &groups), ["con*"]);
        // Letters are compared with their runs collapsed: `casser` is `caser`.
        assert_eq!(words("_ (casser la face|peter) .", &groups), ["caser", "peter"]);
        // An alternative without a required word leaves the item without anchors.
        assert_eq!(words("(va chier|_) toi", &groups), ["toi"]);
        assert!(words("_ nul?", &groups).is_empty());
    }

    #[test]
    fn tokens_point_to_the_buckets_of_their_words_in_every_disguise() {
        let groups = BTreeMap::new();
        let mut index = Index::default();
        index.add(0, of_pattern("laid", &groups, 0).as_ref());
        index.add(1, of_pattern("fuck*", &groups, 0).as_ref());
        index.add(2, of_pattern("folle", &groups, 0).as_ref());
        assert_eq!(index.candidates(" t es laiiid "), 0b001);
        assert_eq!(index.candidates(" l0id | fuckers "), 0b011);
        // Masked letters may be any: `f000` may be `fuck` or `fole` (an anchor is necessary,
        // not sufficient: the bucket's regex decides).
        assert_eq!(index.candidates(" f000 "), 0b110);
        assert_eq!(index.candidates(" fffoooleee "), 0b100);
        assert_eq!(index.candidates(" bravo lea | laids fucker "), 0b010);
        assert_eq!(index.candidates(" lai fuc fole0 "), 0b100);
        index.add(3, None);
        assert_eq!(index.candidates(" bravo "), 0b1000);
        let masked = Anchor { letters: "laid".to_owned(), prefix: false };
        assert!(masked.matches_masked("l00d") && masked.matches_masked("0000"));
        assert!(!masked.matches_masked("0") && !masked.matches_masked("l0idx"));
    }
}
