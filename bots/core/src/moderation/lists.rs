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
//! | `(casser\|peter) la (face\|gueule)` | one of the alternatives, each a pattern (spaces allowed) |
//! | `_` | any one word: « je vais _ te frapper » |
//! | `un?`, `{intens}?`, `(a b)?`, `_?` | the word, group or alternatives, or nothing |
//! | `{intens}*`, `(a\|b)*`, `_*` | zero or more times |
//! | `.` | the end of a clause (punctuation or the end): « t’es mort . » spares « t’es mort de rire » |
//!
//! Each word matches a whole word only, so no innocent word that contains a rude one is ever
//! refused ("Scunthorpe", « concours »). A rule marked `negatable` is excused when a negation
//! (the lists' `negations`) comes in the three words before it, in the same clause
//! (« t’es pas nul », "you're not stupid"), or a denial (the lists' `denials`, patterns) comes
//! anywhere before it in the same clause ("don't let anyone tell you you're stupid"). The
//! lists' `innocent` patterns are phrases that look rude and are not ("summa cum laude",
//! « tue-toi pas à l’ouvrage »): what they cover is never refused, whatever its category.
//!
//! Speed: the ~1,200 patterns compile into a few dozen small regex-automata meta regexes
//! (buckets), whose lazy DFAs are built as texts are searched. A text's tokens tell which
//! buckets it may match in (see [`super::anchors`]): most texts need none searched, and the
//! others one or two small ones, whose DFAs build the states a new text needs quickly (one
//! regex of every pattern took up to a third of a millisecond for a text it never saw).
//! [`Filter::warm_up`] checks a sample of every pattern once, and a pool hands every thread a
//! copy of the warm caches. `examples/moderation_bench.rs` prints the figures.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Mutex;

use regex_automata::meta::{Cache, Regex};
use regex_automata::{Input, Match};
use serde::Deserialize;

use super::anchors::{self, Index};
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
    /// Patterns that excuse a `negatable` rule anywhere after them in the same clause:
    /// « ne laisse personne te dire que… », "don't let anyone tell you…".
    #[serde(default)]
    denials: Vec<String>,
    /// Patterns of phrases that look rude and are not ("summa cum laude", "Moby Dick",
    /// « l’Empire mongol »): nothing they cover is refused.
    #[serde(default)]
    innocent: Vec<String>,
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

/// The search state of the regexes for one check at a time. The lazy DFA inside each is
/// built as texts are searched, so a warmed one is fast from the first check on.
#[derive(Debug, Clone)]
pub(crate) struct Caches {
    /// One per bucket.
    rules: Vec<Cache>,
    denials: Option<Cache>,
    innocent: Option<Cache>,
}

/// Some rules in one regex, whose pattern `i` is the rule `ids[i]`.
#[derive(Debug)]
struct Bucket {
    regex: Regex,
    ids: Vec<usize>,
}

/// At most this many buckets (about 25 rules each): a few dozen small regexes are searched
/// faster than one of every rule, and a bucket is a bit of a `u64` (see [`Index`]).
const BUCKETS: usize = 48;

/// Compiled lists.
#[derive(Debug)]
pub struct Filter {
    /// The rules, each in one bucket, in the order of `rules` within it.
    buckets: Vec<Bucket>,
    /// Which buckets a text may need.
    index: Index,
    rules: Vec<Rule>,
    /// Negations, each as its words.
    negations: Vec<Vec<String>>,
    /// Words that end a negation's reach.
    breaks: Vec<String>,
    /// Denials (see [`ListFile::denials`]), one regex, if any.
    denials: Option<Regex>,
    /// Innocent phrases (see [`ListFile::innocent`]), one regex, if any.
    innocent: Option<Regex>,
    /// Every word the lists write, to split spelled-out letters into words.
    vocabulary: HashSet<String>,
    /// Patterns, as written (for tests and error messages).
    sources: Vec<String>,
    /// Texts the patterns match, to warm the lazy DFAs up (see [`Filter::warmed`]).
    samples: Vec<String>,
    /// What a check takes when the pool is empty: warm once [`Filter::warm_up`] has run.
    template: Mutex<Caches>,
    /// Caches between checks. regex-automata's own pool keeps a warm cache for one thread
    /// only; this one hands every thread (tokio's workers) a warm copy.
    pool: Mutex<Vec<Caches>>,
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

/// The regex of a pattern (a sequence of words, groups and alternatives), each word followed
/// by its space.
fn sequence(pattern: &str, groups: &BTreeMap<String, Vec<String>>, at: &str, depth: u8) -> Result<String, ListError> {
    if depth > 6 {
        return Err(ListError(format!("{at}: groups nest more than 6 deep (a group that names itself?)")));
    }
    let mut out = String::new();
    for (body, quantifier) in items(pattern, at)? {
        if body == "." {
            // The end of a clause: « t’es mort » is a threat, « t’es mort de rire » is not.
            out.push_str(&format!("(?:\\{CLAUSE} |$){quantifier}"));
            continue;
        }
        let inner = if let Some(alternatives) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
            split_top(alternatives)
                .into_iter()
                .map(|a| sequence(a, groups, at, depth + 1))
                .collect::<Result<Vec<_>, _>>()?
                .join("|")
        } else if body == "_" {
            format!("[a-z{MASK}]+ ")
        } else if let Some(name) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
            let alternatives = groups.get(name).ok_or_else(|| ListError(format!("{at}: no group named {{{name}}}")))?;
            alternatives
                .iter()
                .map(|a| sequence(a, groups, &format!("{at} in {{{name}}}"), depth + 1))
                .collect::<Result<Vec<_>, _>>()?
                .join("|")
        } else if body.contains(['(', ')', '{', '}']) {
            return Err(ListError(format!(
                "{at}: {body:?} mixes a word with a parenthesis or a brace (leave a space)"
            )));
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

/// Warm-up samples per pattern: the first alternatives without the optional items, and the
/// second with them. (Eight, with more alternatives, warmed no better on the corpus: what a
/// first check pays for is the states of its own words.)
const WARM_UP_PICKS: usize = 2;

/// A lock that a panic elsewhere does not spoil (what it guards stays valid).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The most memory one lazy DFA may hold before it starts again from nothing.
const CACHE_CAPACITY: usize = 64 << 20;

/// One regex of many patterns (`(regex, source)`), or `None` when there are none.
fn many<'a>(patterns: impl Iterator<Item = (&'a str, &'a str)>, what: &str) -> Result<Option<Regex>, ListError> {
    let (regexes, sources): (Vec<&str>, Vec<&str>) = patterns.unzip();
    if regexes.is_empty() {
        return Ok(None);
    }
    let regex = Regex::builder()
        .configure(Regex::config().hybrid_cache_capacity(CACHE_CAPACITY))
        .build_many(&regexes)
        .map_err(|e| ListError(format!("{what} do not compile: {e}")))?;
    if let Some(m) = regex.find(" ") {
        return Err(ListError(format!("{:?} matches an empty text: make a word required", sources[m.pattern()])));
    }
    // A pattern that matches words it does not write (`_`, `_ _?`) would refuse every text.
    if let Some(m) = regex.find(" qxzv qxzv qxzv ") {
        return Err(ListError(format!("{:?} matches any text: make a word required", sources[m.pattern()])));
    }
    Ok(Some(regex))
}

/// `hay` with what `regex` matches taken out (one space left in its place), or `None` when
/// it matches nothing.
fn blank(regex: &Regex, cache: &mut Cache, hay: &str) -> Option<String> {
    let mut out = String::with_capacity(hay.len());
    let mut last = 0;
    while let Some(m) = regex.search_with(cache, &Input::new(hay).range(last..)) {
        out.push_str(&hay[last..m.start()]);
        out.push(' ');
        last = m.end();
    }
    if last == 0 {
        return None;
    }
    out.push_str(&hay[last..]);
    if !out.ends_with(' ') {
        out.push(' ');
    }
    Some(out)
}

/// The items of a pattern, each as its body and its quantifier (`""`, `"?"` or `"*"`).
pub(super) fn items<'p>(pattern: &'p str, at: &str) -> Result<Vec<(&'p str, &'static str)>, ListError> {
    let mut out = Vec::new();
    let bytes = pattern.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b' ' {
            i += 1;
            continue;
        }
        // One item: `( … )` up to its closing parenthesis, else a token up to the next space.
        let (body, mut next) = if bytes[i] == b'(' {
            let close = closing(pattern, i).ok_or_else(|| ListError(format!("{at}: a '(' is not closed")))?;
            (&pattern[i..=close], close + 1)
        } else {
            let end = pattern[i..].find([' ', '(']).map_or(pattern.len(), |n| i + n);
            (&pattern[i..end], end)
        };
        let (body, quantifier) = match (body.strip_suffix('?'), body.strip_suffix('*')) {
            (Some(b), _) => (b, "?"),
            (_, Some(b)) if b.ends_with('}') || b == "_" => (b, "*"),
            _ => match bytes.get(next) {
                // `(a|b)?`: the quantifier stands after the parenthesis.
                Some(b'?') if body.starts_with('(') => {
                    next += 1;
                    (body, "?")
                }
                Some(b'*') if body.starts_with('(') => {
                    next += 1;
                    (body, "*")
                }
                _ => (body, ""),
            },
        };
        i = next;
        out.push((body, quantifier));
    }
    Ok(out)
}

/// A text a compiled pattern matches, taking the `pick`-th alternative everywhere (modulo
/// their number) and, for an odd `pick`, the optional items too: samples for the warm-up.
fn example(pattern: &str, groups: &BTreeMap<String, Vec<String>>, pick: usize, depth: u8, out: &mut String) {
    let Ok(items) = items(pattern, "") else { return };
    if depth > 6 {
        return;
    }
    let choose = |alternatives: &[&str]| alternatives[pick % alternatives.len().max(1)].to_owned();
    for (body, quantifier) in items {
        if !quantifier.is_empty() && pick.is_multiple_of(2) {
            continue;
        }
        if body == "." {
            out.push_str(". ");
        } else if let Some(alternatives) = body.strip_prefix('(').and_then(|b| b.strip_suffix(')')) {
            example(&choose(&split_top(alternatives)), groups, pick, depth + 1, out);
        } else if body == "_" {
            out.push_str("mot ");
        } else if let Some(name) = body.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
            if let Some(alternatives) = groups.get(name) {
                let alternatives: Vec<&str> = alternatives.iter().map(String::as_str).collect();
                example(&choose(&alternatives), groups, pick, depth + 1, out);
            }
        } else {
            let words: Vec<&str> = body.split('|').collect();
            out.push_str(choose(&words).trim_end_matches('*'));
            out.push(' ');
        }
    }
}

/// The index of the parenthesis that closes the one at `open`.
fn closing(pattern: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in pattern.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The alternatives of `a b|c (d|e)`, split at the `|` outside parentheses.
pub(super) fn split_top(alternatives: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut from) = (0usize, 0);
    for (i, c) in alternatives.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            '|' if depth == 0 => {
                out.push(&alternatives[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    out.push(&alternatives[from..]);
    out
}

/// The rules (`(regex, rule, source)`, in their order) in buckets of a few dozen, rules that
/// need the same words together, and the index of their words.
fn bucketed(
    rules: &[(String, Rule, String)],
    groups: &BTreeMap<String, Vec<String>>,
) -> Result<(Vec<Bucket>, Index), ListError> {
    let mut by_anchors: BTreeMap<Option<BTreeSet<anchors::Anchor>>, Vec<usize>> = BTreeMap::new();
    for (id, (_, _, pattern)) in rules.iter().enumerate() {
        by_anchors.entry(anchors::of_pattern(pattern, groups, 0)).or_default().push(id);
    }
    // Rules without anchors (`None` comes first) have a bucket of their own, searched always.
    let size = rules.len().div_ceil(BUCKETS).max(1);
    // Each bucket: its rules, and the anchor sets they need.
    type Members = Vec<(Vec<usize>, Vec<Option<BTreeSet<anchors::Anchor>>>)>;
    let mut members: Members = Vec::new();
    for (anchors, ids) in by_anchors {
        let join = anchors.is_some()
            && members.last().is_some_and(|(ids, sets)| ids.len() < size && sets.iter().all(Option::is_some));
        if !join {
            members.push((Vec::new(), Vec::new()));
        }
        if let Some((all, sets)) = members.last_mut() {
            all.extend(ids);
            sets.push(anchors);
        }
    }
    if members.len() > 64 {
        return Err(ListError(format!("the lists make {} buckets, more than 64", members.len())));
    }
    let mut index = Index::default();
    let mut buckets = Vec::with_capacity(members.len());
    for (b, (mut ids, sets)) in members.into_iter().enumerate() {
        ids.sort_unstable();
        for set in &sets {
            index.add(b, set.as_ref());
        }
        let regex = many(ids.iter().map(|&i| (rules[i].0.as_str(), rules[i].2.as_str())), "the lists")?
            .ok_or_else(|| ListError("a bucket of the lists holds no rule".to_owned()))?;
        buckets.push(Bucket { regex, ids });
    }
    if buckets.is_empty() {
        return Err(ListError("the lists hold no rule".to_owned()));
    }
    Ok((buckets, index))
}

impl Filter {
    /// Compiles list files (named for error messages). Rules are ordered the most serious
    /// category first, so where two match at the same place the graver one is reported.
    pub fn compile(files: &[(&str, &str)]) -> Result<Self, ListError> {
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
        let mut denials = Vec::new();
        let mut innocent = Vec::new();
        for (name, file) in parsed {
            for rule in file.rules {
                for pattern in rule.patterns {
                    let at = format!("{name}: {} pattern {pattern:?}", rule.category);
                    let regex = format!(" {}", sequence(&pattern, &groups, &at, 0)?);
                    rules.push((regex, Rule { category: rule.category, negatable: rule.negatable }, pattern));
                }
            }
            for (kind, patterns, into) in
                [("denial", &file.denials, &mut denials), ("innocent", &file.innocent, &mut innocent)]
            {
                for pattern in patterns {
                    let at = format!("{name}: {kind} {pattern:?}");
                    into.push((format!(" {}", sequence(pattern, &groups, &at, 0)?), pattern.clone()));
                }
            }
        }
        let vocabulary = rules
            .iter()
            .map(|(_, _, s)| s.as_str())
            .chain(groups.values().flatten().map(String::as_str))
            .flat_map(|s| s.split(|c: char| !c.is_ascii_lowercase()))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let mut samples = Vec::new();
        for pattern in rules.iter().map(|(_, _, s)| s).chain(denials.iter().chain(&innocent).map(|(_, s)| s)) {
            for pick in 0..WARM_UP_PICKS {
                let mut text = String::new();
                example(pattern, &groups, pick, 0, &mut text);
                samples.push(text);
            }
        }
        samples.dedup();
        // The gravest first; within a category, what no negation excuses first.
        rules.sort_by_key(|(_, rule, _)| (std::cmp::Reverse(rule.category.rank()), rule.negatable));
        let (buckets, index) = bucketed(&rules, &groups)?;
        let denials = many(denials.iter().map(|(r, s)| (r.as_str(), s.as_str())), "the denials")?;
        let innocent = many(innocent.iter().map(|(r, s)| (r.as_str(), s.as_str())), "the innocent phrases")?;
        let template = Caches {
            rules: buckets.iter().map(|b| b.regex.create_cache()).collect(),
            denials: denials.as_ref().map(Regex::create_cache),
            innocent: innocent.as_ref().map(Regex::create_cache),
        };
        Ok(Self {
            buckets,
            index,
            sources: rules.iter().map(|(_, _, s)| s.clone()).collect(),
            rules: rules.into_iter().map(|(_, r, _)| r).collect(),
            negations,
            breaks,
            denials,
            innocent,
            vocabulary,
            samples,
            template: Mutex::new(template),
            pool: Mutex::new(Vec::new()),
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

    /// The filter after [`Filter::warm_up`].
    pub fn warmed(self) -> Self {
        self.warm_up();
        self
    }

    /// Checks a sample of every pattern once (about 2,400 texts), so that the lazy DFAs hold
    /// the states common texts need and the first checks are nearly as fast as later ones
    /// (the bench measures both). Every cache the filter hands out afterwards is a copy of
    /// the warm one. [`Filter::embedded`] runs it on a thread of its own, so that nobody waits.
    pub fn warm_up(&self) {
        let mut caches = lock(&self.template).clone();
        for text in &self.samples {
            let _ = self.explain_with(text, &mut caches);
        }
        // The caches made meanwhile are cold: they go, the warm one takes their place.
        let mut pool = lock(&self.pool);
        pool.clear();
        pool.push(caches.clone());
        *lock(&self.template) = caches;
    }

    /// How much memory the warm lazy DFAs hold, in bytes (each check at the same time holds
    /// a copy).
    pub fn cache_bytes(&self) -> usize {
        let t = lock(&self.template);
        t.rules.iter().map(Cache::memory_usage).sum::<usize>()
            + t.denials.as_ref().map_or(0, Cache::memory_usage)
            + t.innocent.as_ref().map_or(0, Cache::memory_usage)
    }

    /// Runs `f` with a cache of the pool (a copy of the template if the pool is empty).
    pub(crate) fn with_caches<R>(&self, f: impl FnOnce(&mut Caches) -> R) -> R {
        let taken = lock(&self.pool).pop();
        let mut caches = taken.unwrap_or_else(|| lock(&self.template).clone());
        let out = f(&mut caches);
        lock(&self.pool).push(caches);
        out
    }

    /// The gravest category a folded form falls in, with the pattern that matched.
    pub(crate) fn scan(&self, hay: &str, worst: &mut Option<(Category, usize)>, caches: &mut Caches) {
        // Most texts hold no word of any rule, or match nothing: a look at their words, at most
        // a search in a bucket or two, and nothing more is computed for them.
        let candidates = self.index.candidates(hay);
        let buckets: Vec<usize> = (0..self.buckets.len()).filter(|b| candidates & (1 << b) != 0).collect();
        let found = |b: usize, caches: &mut Caches| {
            self.buckets[b].regex.search_half_with(&mut caches.rules[b], &Input::new(hay).earliest(true)).is_some()
        };
        if !buckets.iter().any(|&b| found(b, caches)) {
            return;
        }
        // What an innocent phrase covers is taken out: "summa cum laude", « l’Empire mongol ».
        let blanked;
        let hay = match (&self.innocent, &mut caches.innocent) {
            (Some(innocent), Some(cache)) => {
                blanked = blank(innocent, cache, hay);
                blanked.as_deref().unwrap_or(hay)
            }
            _ => hay,
        };
        // The end of the last excused match: what lies inside it is excused too ("nobody
        // thinks you're a loser" excuses "you're a loser", and so its "loser").
        let mut excused_to = 0;
        let mut at = 0;
        // Each bucket's next match from `at` (`None` once it has no more): the earliest of
        // them, the first rule at a tie, is what one regex of every rule would find.
        let mut next: Vec<(usize, Option<Match>)> = buckets.into_iter().map(|b| (b, None)).collect();
        let mut searched = false;
        while at < hay.len() {
            for (b, m) in &mut next {
                if !searched || m.is_some_and(|m| m.start() < at) {
                    let bucket = &self.buckets[*b];
                    *m = bucket
                        .regex
                        .search_with(&mut caches.rules[*b], &Input::new(hay).range(at..))
                        .map(|m| Match::must(bucket.ids[m.pattern().as_usize()], m.range()));
                }
            }
            searched = true;
            next.retain(|(_, m)| m.is_some());
            let Some(m) = next.iter().filter_map(|(_, m)| *m).min_by_key(|m| (m.start(), m.pattern())) else { return };
            let rule = &self.rules[m.pattern().as_usize()];
            let excused = rule.negatable
                && (m.end() <= excused_to
                    || self.negated(&hay[..m.start()])
                    || self.denied(hay, m.start(), caches.denials.as_mut()));
            if excused {
                excused_to = excused_to.max(m.end());
            } else if worst.is_none_or(|(w, _)| rule.category.rank() > w.rank()) {
                *worst = Some((rule.category, m.pattern().as_usize()));
                if rule.category == Category::ALL[0] {
                    return;
                }
            }
            // Matches may overlap: look again from the next word.
            at = m.start() + 1;
        }
    }

    /// Whether a denial starts before `start`, in the same clause. It may overlap the match
    /// ("don't let anyone call you stupid" excuses "you stupid"), but not start with it:
    /// "nobody thinks you're funny" is no denial of itself.
    fn denied(&self, hay: &str, start: usize, cache: Option<&mut Cache>) -> bool {
        let (Some(denials), Some(cache)) = (&self.denials, cache) else { return false };
        let mut at = 0;
        while let Some(d) = denials.search_with(cache, &Input::new(hay).range(at..)) {
            if d.start() >= start {
                return false;
            }
            if !hay[d.start()..start].contains(CLAUSE) {
                return true;
            }
            at = d.end();
        }
        false
    }

    /// Whether the lists write this word (for [`super::normalize::segment_spelled`]).
    pub(crate) fn knows(&self, word: &str) -> bool {
        self.vocabulary.contains(word)
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

#[cfg(test)]
mod tests {
    use super::Filter;
    use crate::moderation::Category;

    const LIST: &str = r#"
negations = ["pas"]
denials = ["laisse personne te dire"]
innocent = ["cum laude", "tue toi pas a l ouvrage"]
[groups]
tu_es = ["t es", "tu es"]
[[rule]]
category = "self-harm"
patterns = ["tue toi"]
[[rule]]
category = "threat"
patterns = ["je vais (te|vous) (casser|peter) la (face|gueule)", "je vais _ te frapper", "attends (moi|nous)? dehors ."]
[[rule]]
category = "sexual"
patterns = ["cum"]
[[rule]]
category = "insult"
negatable = true
patterns = ["{tu_es} nul"]
"#;

    fn filter() -> Filter {
        Filter::compile(&[("test.toml", LIST)]).expect("the test list compiles")
    }

    #[test]
    fn alternatives_and_word_gaps() {
        let f = filter();
        for threat in [
            "je vais te casser la face",
            "Je vais vous péter la gueule!",
            "je vais demain te frapper",
            "attends dehors",
            "attends-moi dehors!",
        ] {
            assert_eq!(f.check(threat), Err(Category::Threat), "{threat:?}");
        }
        for fine in ["je vais te casser la croûte", "je vais te frapper", "attends dehors le bus"] {
            // "_" is exactly one word: « je vais te frapper » has none between.
            assert_eq!(f.check(fine), Ok(()), "{fine:?}");
        }
    }

    #[test]
    fn negations_denials_and_innocent_phrases() {
        let f = filter();
        assert_eq!(f.check("t'es nul"), Err(Category::Insult));
        assert_eq!(f.check("t'es pas nul"), Ok(()));
        assert_eq!(f.check("ne laisse personne te dire que tu es nul"), Ok(()));
        // A denial reaches the end of its clause, no further.
        assert_eq!(f.check("laisse personne te dire ça. T'es nul"), Err(Category::Insult));
        assert_eq!(f.check("summa cum laude"), Ok(()));
        assert_eq!(f.check("cum"), Err(Category::Sexual));
        assert_eq!(f.check("Tue-toi pas à l'ouvrage!"), Ok(()));
        assert_eq!(f.check("tue-toi"), Err(Category::SelfHarm));
        // What an innocent phrase does not cover is still seen.
        assert_eq!(f.check("summa cum laude, tue-toi"), Err(Category::SelfHarm));
    }

    #[test]
    fn spelled_letters_split_into_the_lists_words() {
        let f = filter();
        assert_eq!(f.check("t e s n u l"), Err(Category::Insult));
        assert_eq!(f.check("t u e toi"), Err(Category::SelfHarm));
    }

    #[test]
    fn a_bad_pattern_says_where() {
        let bad = LIST.replace("\"{tu_es} nul\"", "\"{tu_es} (nul|poche\"");
        let e = Filter::compile(&[("test.toml", &bad)]).expect_err("an unclosed parenthesis");
        assert!(e.0.contains("test.toml") && e.0.contains("not closed"), "{e}");
        let bad = LIST.replace("\"{tu_es} nul\"", "\"_\"");
        let e = Filter::compile(&[("test.toml", &bad)]).expect_err("a pattern of any word");
        assert!(e.0.contains("any text") && e.0.contains("\"_\""), "{e}");
    }

    #[test]
    fn a_warm_filter_answers_the_same() {
        let cold = filter();
        let warm = filter().warmed();
        for text in ["t'es nul", "t'es pas nul", "je vais te casser la face", "bonjour", "summa cum laude"] {
            assert_eq!(cold.check(text), warm.check(text), "{text:?}");
        }
        assert!(warm.cache_bytes() > 0);
    }
}
