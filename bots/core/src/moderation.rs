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

/// Whether `text` may be drawn on a card, stored on the wall or sent: no bad word, no link.
pub fn is_acceptable(text: &str) -> bool {
    if has_link(text) {
        return false;
    }
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

/// Top-level domains a link typed in a name or message would end with (the common ones, the
/// link shorteners' and the invitation hosts': `discord.gg`, `bit.ly`, `t.me`).
const TLDS: &[&str] = &[
    "com", "ca", "net", "org", "io", "gg", "ly", "co", "me", "xyz", "app", "info", "biz", "tv", "fr", "us", "link",
    "site", "online", "ru", "to", "be", "gl", "quebec", "ai", "dev", "live", "club", "shop", "top",
];

/// Whether `text` carries a link (`https://…`, `www.…`, `discord.gg/…`, `exemple.com`). Names
/// and messages are drawn and sent to children: a link on a card, or made clickable by the
/// platform, could lead anywhere.
pub fn has_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.split_whitespace().any(|token| {
        let token = token.trim_matches(|c: char| !c.is_alphanumeric() && c != '/' && c != ':');
        if token.contains("://") || token.starts_with("www.") {
            return true;
        }
        let host = token.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.split(':').next().unwrap_or_default();
        let labels: Vec<&str> = host.split('.').collect();
        labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
            && TLDS.contains(labels.last().unwrap_or(&""))
    })
}

#[cfg(test)]
mod tests {
    use super::{has_link, is_acceptable};

    #[test]
    fn sees_links_and_not_ordinary_sentences() {
        for link in [
            "https://example.com",
            "[Zoé](https://x.y/z)",
            "va voir discord.gg/abcd",
            "www.exemple.qc",
            "bit.ly/xyz",
            "EXEMPLE.COM",
            "écris-moi sur t.me/quelquun!",
            "http://127.0.0.1:8080/",
        ] {
            assert!(has_link(link), "{link:?} is a link");
        }
        for plain in [
            "Bravo Léa! Tu es capable.",
            "Continue comme ça.Tu vas y arriver",
            "5e B, 2026",
            "M. Tremblay",
            "St-Jean-sur-Richelieu",
            "a.b",
            "Zoé & co",
            "il est 3:30",
        ] {
            assert!(!has_link(plain), "{plain:?} is not a link");
        }
    }

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
