//! The moderation filter for children's text, in French (Quebec swearing included) and English.
//!
//! It sees through case, accents, spacing ("f u c k"), repeated letters ("merdeee") and common
//! leetspeak ("sh1t", "@ss"), and matches whole words only, so innocent words that contain a
//! bad one pass ("Scunthorpe", "concours", "class", "hostile", "assistant", "Dickens").
//! A refusal is a kind message; nothing is stored or drawn.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words refused wherever they stand as a word. Folded form: lowercase ASCII, no accents.
const WORDS: &[&str] = &[
    // Quebec swearing (sacres) and their common spellings.
    "tabarnak",
    "tabarnac",
    "tabernak",
    "tabarnaque",
    "tabernacle",
    "taberna",
    "calisse",
    "caliss",
    "calice",
    "kalisse",
    "criss",
    "crisse",
    "christ",
    "kriss",
    "osti",
    "ostie",
    "hostie",
    "esti",
    "estie",
    "ciboire",
    "sacrament",
    "viarge",
    "torrieu",
    "mautadit",
    "ostifie",
    "crisser",
    "calisser",
    "decrisse",
    "decalisse",
    "fif",
    "fefi",
    // French.
    "merde",
    "putain",
    "pute",
    "putes",
    "salope",
    "salopes",
    "connard",
    "connards",
    "connasse",
    "encule",
    "encules",
    "enculer",
    "con",
    "cons",
    "conne",
    "connes",
    "batard",
    "batards",
    "nique",
    "niquer",
    "bite",
    "couille",
    "couilles",
    "chienne",
    "pd",
    "tapette",
    "tapettes",
    "gouine",
    "negre",
    "negro",
    "bougnoule",
    "bicot",
    "enfoire",
    "enfoires",
    "ta gueule",
    "fdp",
    "ntm",
    "tg",
    "debile",
    "mongol",
    "attarde",
    "grosse vache",
    "suicide toi",
    "va mourir",
    // English.
    "fuck",
    "fucks",
    "fucker",
    "fuckers",
    "fucking",
    "fucked",
    "motherfucker",
    "shit",
    "shits",
    "shitty",
    "bullshit",
    "bitch",
    "bitches",
    "asshole",
    "assholes",
    "ass",
    "arse",
    "cunt",
    "cunts",
    "dick",
    "dicks",
    "dickhead",
    "cock",
    "pussy",
    "bastard",
    "bastards",
    "slut",
    "sluts",
    "whore",
    "whores",
    "fag",
    "faggot",
    "retard",
    "retarded",
    "nigger",
    "nigga",
    "wanker",
    "twat",
    "damn",
    "crap",
    "stfu",
    "kys",
    "kill yourself",
    "go die",
    "loser",
    "stupid",
    "idiot",
    "idiots",
    "moron",
    "dumbass",
    "jackass",
];

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

/// Lowercase, accents removed, leetspeak undone; everything else a space.
/// "Ça m'é.n.e.r.v.e" → "ca m e n e r v e".
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.nfd().filter(|&c| !is_combining_mark(c)).flat_map(char::to_lowercase).collect();
    for (i, &c) in chars.iter().enumerate() {
        // A symbol stands for a letter only inside a word ("sh!t"), not as punctuation ("Bravo!");
        // a digit only beside a letter ("5h1t"), not in a number ("Élève279" is not "tg").
        let inside = chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        let beside_letter =
            (i > 0 && chars[i - 1].is_alphabetic()) || chars.get(i + 1).is_some_and(|n| n.is_alphabetic());
        let c = if (c.is_ascii_digit() && beside_letter) || (!c.is_ascii_digit() && inside) { unleet(c) } else { c };
        if c.is_ascii_alphabetic() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_owned()
}

/// Joins runs of single letters: "f u c k you" → "fuck you", so spacing hides nothing.
fn join_spelled(folded: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut run = String::new();
    for w in folded.split(' ') {
        if w.len() == 1 {
            run.push_str(w);
        } else {
            if !run.is_empty() {
                out.push(std::mem::take(&mut run));
            }
            out.push(w.to_owned());
        }
    }
    if !run.is_empty() {
        out.push(run);
    }
    out.join(" ")
}

/// A word as runs of one letter: "ostiiie" → [(o,1), (s,1), (t,1), (i,3), (e,1)].
fn runs(word: &str) -> Vec<(char, usize)> {
    let mut out: Vec<(char, usize)> = Vec::new();
    for c in word.chars() {
        match out.last_mut() {
            Some((last, n)) if *last == c => *n += 1,
            _ => out.push((c, 1)),
        }
    }
    out
}

/// Whether a typed word is a dictionary word with letters stretched ("merdeeee" is "merde",
/// but "as" is not "ass").
fn same_word(typed: &str, dict: &str) -> bool {
    let (t, d) = (runs(typed), runs(dict));
    t.len() == d.len() && t.iter().zip(&d).all(|((tc, tn), (dc, dn))| tc == dc && tn >= dn)
}

/// Whether `text` may be drawn on a card, stored on the wall or sent.
pub fn is_acceptable(text: &str) -> bool {
    let folded = fold(text);
    for candidate in [folded.clone(), join_spelled(&folded)] {
        let typed: Vec<&str> = candidate.split(' ').filter(|w| !w.is_empty()).collect();
        for entry in WORDS {
            let dict: Vec<&str> = entry.split(' ').collect();
            if typed.windows(dict.len()).any(|win| win.iter().zip(&dict).all(|(t, d)| same_word(t, d))) {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::is_acceptable;

    #[test]
    fn refuses_swearing_in_every_disguise() {
        for bad in [
            "tabarnak",
            "TABARNAK!",
            "Câlisse",
            "c a l i s s e",
            "osti de niaiseux",
            "ostiiiiie",
            "merde alors",
            "t'es un con",
            "fuck",
            "f u c k you",
            "F.U.C.K",
            "sh1t",
            "$h!t happens",
            "b1tch",
            "@ss",
            "you're a loser",
            "ta gueule",
            "kys",
            "motherfucker",
            "5h1t",
            "7g",
        ] {
            assert!(!is_acceptable(bad), "{bad:?} should be refused");
        }
    }

    #[test]
    fn lets_innocent_words_through() {
        for good in [
            "Bravo Léa!",
            "Scunthorpe",
            "concours de sciences",
            "Continue comme ça, tu es capable",
            "classe de 5e année",
            "assistant",
            "Dickens",
            "hostile",
            "passe une belle journée",
            "Constance",
            "compte sur moi",
            "Christine",
            "la persévérance, ça mène loin",
            "Great class assignment",
            "Mississauga",
            "as good as gold",
            "I pass the class",
            "Élève279",
            "Élève 679",
            "Groupe 79",
            "Local 707",
        ] {
            assert!(is_acceptable(good), "{good:?} should pass");
        }
    }
}
