//! The lists (`assets/moderation/*.toml`) compiled into one multi-pattern regex.
//!
//! A pattern is words in folded form (lowercase, no accents, an apostrophe is a space:
//! « t’es » is `t es`), separated by spaces. A word may be:
//!
//! | written | matches |
//! |---|---|
//! | `laid` | that word, letters stretched (`laiiid`) or masked (`l*id`) |
//! | `laid\|laide\|laite` | one of these words |
//! | `masturb*` | any word that starts so |
//! | `{tu_es}` | one of the group's alternatives (each itself a pattern) |
//! | `un?`, `{intens}?` | the word or group, or nothing |
//! | `{intens}*` | the group zero or more times |
//! | `.` | the end of a clause (punctuation or the end): « t’es mort . » spares « t’es mort de rire » |
//!
//! Each word matches a whole word only, so no innocent word that contains a rude one is ever
//! refused ("Scunthorpe", « concours »). A rule marked `negatable` is excused when a negation
//! (the lists' `negations`) comes in the three words before it, in the same clause:
//! « t’es pas nul », "you're not stupid".

use std::collections::BTreeMap;

use regex_automata::Input;
use regex_automata::meta::Regex;
use serde::Deserialize;

use super::category::Category;
use super::normalize::{CLAUSE, MASK};

/// One list file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListFile {
    /// Words (or two-word phrases: "isn t") that negate what follows.
    #[serde(default)]
    negations: Vec<String>,
    /// Words that start a new clause for negations (« mais », "but"): « j’aime pas ça pis
    /// t’es laid » is not excused by its « pas ».
    #[serde(default)]
    breaks: Vec<String>,
    /// Named alternatives, used in patterns as `{name}`.
    #[serde(default)]
    groups: BTreeMap<String, Vec<String>>,
    /// The rules.
    #[serde(default, rename = "rule")]
    rules: Vec<RuleFile>,
}

/// Patterns of one category.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    category: Category,
    /// Excused after a negation (« t’es pas nul »).
    #[serde(default)]
    negatable: bool,
    patterns: Vec<String>,
}

/// Why a list does not load: which file, which pattern, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListError(pub String);

impl std::fmt::Display for ListError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a pattern id stands for.
#[derive(Debug, Clone)]
struct Rule {
    category: Category,
    negatable: bool,
}

/// Compiled lists.
#[derive(Debug)]
pub struct Filter {
    regex: Regex,
    rules: Vec<Rule>,
    /// Negations, each as its words.
    negations: Vec<Vec<String>>,
    /// Words that end a negation's reach.
    breaks: Vec<String>,
    /// Patterns, as written (for tests and error messages).
    sources: Vec<String>,
}

/// The regex of one word: each letter stretched or masked, then its space.
fn word(w: &str, at: &str) -> Result<String, ListError> {
    let (stem, prefix) = match w.strip_suffix('*') {
        Some(stem) => (stem, true),
        None => (w, false),
    };
    if stem.is_empty() || !stem.chars().all(|c| c.is_ascii_lowercase()) {
        return Err(ListError(format!(
            "{at}: {w:?} is not a folded word (write lowercase a-z only, no accents; an apostrophe is a space)"
        )));
    }
    let mut out = String::with_capacity(stem.len() * 8 + 16);
    for c in stem.chars() {
        out.push_str(&format!("[{c}{MASK}]+"));
    }
    if prefix {
        out.push_str(&format!("[a-z{MASK}]*"));
    }
    out.push(' ');
    Ok(out)
}

/// The regex of a pattern (a sequence of words and groups), each word followed by its space.
fn sequence(pattern: &str, groups: &BTreeMap<String, Vec<String>>, at: &str, depth: u8) -> Result<String, ListError> {
    if depth > 4 {
        return Err(ListError(format!("{at}: groups nest more than 4 deep (a group that names itself?)")));
    }
    let mut out = String::new();
    for token in pattern.split_whitespace() {
        if token == "." {
            // The end of a clause: « t’es mort » is a threat, « t’es mort de rire » is not.
            out.push_str(&format!("(?:\\{CLAUSE} |$)"));
            continue;
        }
        let (body, quantifier) = if let Some(b) = token.strip_suffix('?') {
            (b, "?")
        } else if let Some(b) = token.strip_suffix("}*") {
            (&token[..b.len() + 1], "*")
        } else {
            (token, "")
        };
        let inner = if let Some(name) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
            let alternatives = groups.get(name).ok_or_else(|| ListError(format!("{at}: no group named {{{name}}}")))?;
            alternatives
                .iter()
                .map(|a| sequence(a, groups, &format!("{at} in {{{name}}}"), depth + 1))
                .collect::<Result<Vec<_>, _>>()?
                .join("|")
        } else {
            body.split('|').map(|w| word(w, at)).collect::<Result<Vec<_>, _>>()?.join("|")
        };
        // A phrase runs across punctuation (« t’es… nul »); a negation does not (see `negated`).
        out.push_str(&format!("(?:(?:{inner})(?:\\{CLAUSE} )?){quantifier}"));
    }
    if out.is_empty() {
        return Err(ListError(format!("{at}: an empty pattern")));
    }
    Ok(out)
}

impl Filter {
    /// Compiles list files (named for error messages). Rules are ordered the most serious
    /// category first, so where two match at the same place the graver one is reported.
    pub(crate) fn compile(files: &[(&str, &str)]) -> Result<Self, ListError> {
        let mut groups = BTreeMap::new();
        let mut negations = Vec::new();
        let mut breaks = Vec::new();
        let mut rules: Vec<(String, Rule, String)> = Vec::new();
        let mut parsed = Vec::new();
        for (name, text) in files {
            let file: ListFile = toml::from_str(text).map_err(|e| ListError(format!("{name}: {e}")))?;
            for (group, alternatives) in &file.groups {
                if groups.insert(group.clone(), alternatives.clone()).is_some() {
                    return Err(ListError(format!("{name}: the group {{{group}}} is defined twice")));
                }
            }
            negations.extend(file.negations.iter().map(|n| n.split_whitespace().map(str::to_owned).collect()));
            breaks.extend(file.breaks.iter().cloned());
            parsed.push((name, file));
        }
        for (name, file) in parsed {
            for rule in file.rules {
                for pattern in rule.patterns {
                    let at = format!("{name}: {} pattern {pattern:?}", rule.category);
                    let regex = format!(" {}", sequence(&pattern, &groups, &at, 0)?);
                    rules.push((regex, Rule { category: rule.category, negatable: rule.negatable }, pattern));
                }
            }
        }
        // The gravest first; within a category, what no negation excuses first.
        rules.sort_by_key(|(_, rule, _)| (std::cmp::Reverse(rule.category.rank()), rule.negatable));
        let regex = Regex::new_many(&rules.iter().map(|(r, _, _)| r.as_str()).collect::<Vec<_>>())
            .map_err(|e| ListError(format!("the lists do not compile: {e}")))?;
        if let Some(m) = regex.find(" ") {
            return Err(ListError(format!("{:?} matches an empty text: make a word required", rules[m.pattern()].2)));
        }
        Ok(Self {
            regex,
            sources: rules.iter().map(|(_, _, s)| s.clone()).collect(),
            rules: rules.into_iter().map(|(_, r, _)| r).collect(),
            negations,
            breaks,
        })
    }

    /// How many patterns the lists hold.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    /// Whether the lists hold no pattern.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The gravest category a folded form falls in, with the pattern that matched.
    pub(crate) fn scan(&self, hay: &str, worst: &mut Option<(Category, usize)>) {
        let mut at = 0;
        while at < hay.len() {
            let Some(m) = self.regex.find(Input::new(hay).range(at..)) else { return };
            let rule = &self.rules[m.pattern().as_usize()];
            let excused = rule.negatable && self.negated(&hay[..m.start()]);
            if !excused && worst.is_none_or(|(w, _)| rule.category.rank() > w.rank()) {
                *worst = Some((rule.category, m.pattern().as_usize()));
                if rule.category == Category::ALL[0] {
                    return;
                }
            }
            // Matches may overlap: look again from the next word.
            at = m.start() + 1;
        }
    }

    /// Whether a negation stands in the (at most) three words before, in the same clause.
    fn negated(&self, before: &str) -> bool {
        let mut window: Vec<&str> = Vec::with_capacity(3);
        for w in before.rsplit(' ').filter(|w| !w.is_empty()) {
            if w.starts_with(CLAUSE) || window.len() == 3 || self.breaks.iter().any(|b| b == w) {
                break;
            }
            window.push(w);
        }
        window.reverse();
        self.negations.iter().any(|n| window.windows(n.len()).any(|win| win.iter().zip(n).all(|(a, b)| a == b)))
    }

    /// The pattern behind a match, as written in its list.
    pub(crate) fn source(&self, id: usize) -> &str {
        &self.sources[id]
    }
}
