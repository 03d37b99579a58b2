//! Text as the lists see it: lowercase ASCII words separated by one space, so every disguise
//! of a word folds to the same form.
//!
//! ```text
//! « T’es LAIIIDE, p*s fin! »  →  " t es laiiide | p0s fin "
//! "F.U.C.K off"               →  " f u c k off "  and, spelled letters joined,  " fuck off "
//! ```
//!
//! - accents are removed, ligatures opened (« cœur » → "coeur"), case folded;
//! - leetspeak is undone inside words only ("sh1t", "@ss"; "Bravo!" keeps its "!");
//! - a run of `*` inside a word, or of two or more after letters, is a masked letter, written
//!   `0` ("f*ck" → "f0ck", "c**" → "c00"), which the lists match as any letter;
//! - punctuation that ends a clause (`,.;:!?…`, a new line) is written `|`, so a negation in
//!   one clause never excuses an insult in the next (« J’aime pas ça, t’es laid »);
//! - everything else is a space.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The clause marker in folded text.
pub(crate) const CLAUSE: char = '|';
/// A masked letter in folded text ("f*ck" → "f0ck").
pub(crate) const MASK: char = '0';

/// Letters people substitute for others.
fn unleet(c: char) -> char {
    match c {
        '0' => 'o',
        '1' | '!' | '|' => 'i',
        '3' => 'e',
        '4' | '@' => 'a',
        '5' | '$' => 's',
        '7' | '+' => 't',
        '8' => 'b',
        '9' => 'g',
        other => other,
    }
}

/// Whether `c` ends a clause when it stands as punctuation.
fn ends_clause(c: char) -> bool {
    matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | '…' | '\n' | '—' | '–')
}

/// Lowercase letters without accents, ligatures opened.
fn letters(text: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.nfd().filter(|&c| !is_combining_mark(c)) {
        match c {
            'œ' | 'Œ' => out.extend(['o', 'e']),
            'æ' | 'Æ' => out.extend(['a', 'e']),
            'ß' => out.extend(['s', 's']),
            other => out.extend(other.to_lowercase()),
        }
    }
    out
}

/// The folded form, padded with a space at each end. With `join_dots`, a `.` between two
/// letters is dropped ("sh.it" → "shit") instead of separating them.
pub(crate) fn fold(text: &str, join_dots: bool) -> String {
    let chars = letters(text);
    let mut out = String::with_capacity(chars.len() + 2);
    out.push(' ');
    let push_space = |out: &mut String| {
        if !out.ends_with(' ') {
            out.push(' ');
        }
    };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let prev = i.checked_sub(1).map(|p| chars[p]);
        if c == '*' {
            let end = chars[i..].iter().position(|&c| c != '*').map_or(chars.len(), |n| i + n);
            let after_letter = prev.is_some_and(char::is_alphabetic);
            let before_letter = chars.get(end).is_some_and(|c| c.is_alphabetic());
            if after_letter && (before_letter || end - i >= 2) {
                out.extend(std::iter::repeat_n(MASK, end - i));
            } else {
                push_space(&mut out);
            }
            i = end;
            continue;
        }
        let next = chars.get(i + 1).copied();
        // A symbol stands for a letter only inside a word ("sh!t"), not as punctuation
        // ("Bravo!"); a digit only beside a letter ("5h1t"), not in a number ("Élève279").
        let inside = next.is_some_and(char::is_alphanumeric);
        let beside_letter = prev.is_some_and(char::is_alphabetic) || next.is_some_and(char::is_alphabetic);
        let folded =
            if (c.is_ascii_digit() && beside_letter) || (!c.is_ascii_digit() && inside) { unleet(c) } else { c };
        if folded.is_ascii_alphabetic() {
            out.push(folded);
        } else if join_dots
            && c == '.'
            && prev.is_some_and(char::is_alphabetic)
            && next.is_some_and(char::is_alphabetic)
        {
            // "sh.it": the dot hides nothing.
        } else if ends_clause(c) && !inside {
            push_space(&mut out);
            if !out.ends_with("| ") && out.len() > 1 {
                out.push(CLAUSE);
                out.push(' ');
            }
        } else {
            push_space(&mut out);
        }
        i += 1;
    }
    push_space(&mut out);
    while out.ends_with("| ") && out.len() > 2 {
        out.truncate(out.len() - 2);
    }
    out
}

/// Joins runs of three single letters or more: " f u c k you " → " fuck you ", so spacing
/// hides nothing. A lone letter (« t’es » → "t es") or two (« à l’ouvrage » → "a l ouvrage")
/// stay as they are: two are real words more often than a word spelled out.
pub(crate) fn join_spelled(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    out.push(' ');
    let mut run = String::new();
    let flush = |out: &mut String, run: &mut String| {
        match run.len() {
            0 => {}
            1 | 2 => {
                for c in run.chars() {
                    out.push(c);
                    out.push(' ');
                }
            }
            _ => {
                out.push_str(run);
                out.push(' ');
            }
        }
        run.clear();
    };
    for w in folded.split(' ').filter(|w| !w.is_empty()) {
        let single = w.len() == 1 && w.chars().all(|c| c.is_ascii_lowercase() || c == MASK);
        if single {
            run.push_str(w);
        } else {
            flush(&mut out, &mut run);
            out.push_str(w);
            out.push(' ');
        }
    }
    flush(&mut out, &mut run);
    out
}

/// Splits runs of single letters into known words: " u r a l o s e r " → " ur a loser ",
/// " p e r s o n n e t aime " → " personne t aime ", where joining them all (see
/// [`join_spelled`]) would glue a real one-letter word to the next. `known` tells the words
/// of the lists. The split with the fewest pieces wins; a letter that is no word of the lists
/// counts as three. `None` when the text has no run of two letters or more.
pub(crate) fn segment_spelled(folded: &str, known: impl Fn(&str) -> bool) -> Option<String> {
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let single = |w: &str| w.len() == 1 && w.chars().all(|c| c.is_ascii_lowercase() || c == MASK);
    let mut out = String::with_capacity(folded.len() + 8);
    out.push(' ');
    let mut changed = false;
    let mut i = 0;
    while i < words.len() {
        if !single(words[i]) {
            out.push_str(words[i]);
            out.push(' ');
            i += 1;
            continue;
        }
        let end = words[i..].iter().position(|w| !single(w)).map_or(words.len(), |n| i + n);
        let run: String = words[i..end].concat();
        if run.len() < 2 {
            for w in &words[i..end] {
                out.push_str(w);
                out.push(' ');
            }
        } else {
            changed = true;
            // cost[j]: the fewest pieces for run[..j]; from[j]: where the last piece starts.
            let n = run.len();
            let mut cost = vec![usize::MAX; n + 1];
            let mut from = vec![0; n + 1];
            cost[0] = 0;
            for j in 1..=n {
                for k in j.saturating_sub(24)..j {
                    if cost[k] == usize::MAX {
                        continue;
                    }
                    let piece = &run[k..j];
                    let c = match (piece.len(), known(piece)) {
                        (_, true) => 1,
                        (1, false) => 3,
                        _ => continue,
                    };
                    if cost[k] + c < cost[j] {
                        cost[j] = cost[k] + c;
                        from[j] = k;
                    }
                }
            }
            let mut cuts = vec![n];
            let mut j = n;
            while j > 0 {
                j = from[j];
                cuts.push(j);
            }
            cuts.reverse();
            for pair in cuts.windows(2) {
                out.push_str(&run[pair[0]..pair[1]]);
                out.push(' ');
            }
        }
        i = end;
    }
    changed.then_some(out)
}

/// Every form of `text` the lists are matched against (one to three, without repeats).
pub(crate) fn forms(text: &str) -> Vec<String> {
    let plain = fold(text, false);
    let mut out = vec![plain];
    let joined = join_spelled(&out[0]);
    if joined != out[0] {
        out.push(joined);
    }
    let has_inner_dot = text.as_bytes().windows(3).any(|w| w[1] == b'.' && w[0] != b'.' && w[2] != b' ');
    if has_inner_dot {
        let dotless = fold(text, true);
        if !out.contains(&dotless) {
            out.push(dotless);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{fold, forms, join_spelled, segment_spelled};

    #[test]
    fn folds_every_disguise_to_one_form() {
        assert_eq!(fold("T’es LAIIIDE, p*s fin!", false), " t es laiiide | p0s fin ");
        assert_eq!(fold("Ça m'é.n.e.r.v.e", false), " ca m e n e r v e ");
        assert_eq!(fold("$h!t happens", false), " shit happens ");
        assert_eq!(fold("f***", false), " f000 ");
        assert_eq!(fold("*Bravo* Léa", false), " bravo lea ");
        assert_eq!(fold("cœur", false), " coeur ");
        assert_eq!(fold("Élève279", false), " eleve ");
        assert_eq!(fold("sh.it", true), " shit ");
        assert_eq!(fold("Bravo!!!", false), " bravo ");
        assert_eq!(join_spelled(" f u c k you "), " fuck you ");
        assert_eq!(join_spelled(" t es nul "), " t es nul ");
        assert_eq!(forms("Bravo"), vec![" bravo ".to_owned()]);
        let known = |w: &str| ["ur", "u", "r", "a", "loser", "personne", "t", "aime"].contains(&w);
        assert_eq!(segment_spelled(" u r a l o s e r ", known).as_deref(), Some(" ur a loser "));
        assert_eq!(segment_spelled(" p e r s o n n e t aime ", known).as_deref(), Some(" personne t aime "));
        assert_eq!(segment_spelled(" t es nul ", known), None);
    }
}
