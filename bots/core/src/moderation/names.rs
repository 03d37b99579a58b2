//! What is not a first name: the words a 9-year-old types as a joke where a first name goes
//! (« caca », « Pipi »), which no list of insults holds because they hurt nobody in a
//! sentence, but which would then be drawn on the class badge of 34 pupils, or on a
//! certificate. Checked on every name (card recipients, public names, first names on class
//! badges, certificates) after the lists, with the same folding (case, accents, leetspeak,
//! spacing): `P1P1`, `c a c a` and `caaaaca` are the same word.

use super::anchors::collapse as collapsed;
use super::normalize::fold;

/// Bodily words and jokes, in both languages, as folded (lowercase, no accents). Real first
/// names and nicknames stay out (« Kiki », "Pop").
const NOT_NAMES: &[&str] = &[
    "caca",
    "kaka",
    "pipi",
    "pipii",
    "prout",
    "crotte",
    "crottes",
    "fesse",
    "fesses",
    "foufoune",
    "zizi",
    "zezette",
    "cul",
    "pisse",
    "vomi",
    "morve",
    "toilette",
    "toilettes",
    "poop",
    "poopoo",
    "poo",
    "pee",
    "peepee",
    "fart",
    "farts",
    "butt",
    "butthead",
    "booger",
    "boogers",
    "diarrhee",
    "diarrhea",
    "pet",
    "pets",
    "poil",
    "poils",
];

/// Whether `name` holds a word that is not a first name. A word with a double letter of its
/// own (`poop`) is matched as it is written; the others also stretched (`caaaca`).
pub fn is_not_a_name(name: &str) -> bool {
    let folded = fold(name, false);
    let tokens: Vec<&str> = folded.split(' ').filter(|t| !t.is_empty()).collect();
    // Spelled out (`c a c a`) as well as word by word.
    let joined: String = tokens.concat();
    tokens
        .iter()
        .copied()
        .chain((tokens.len() > 1).then_some(joined.as_str()))
        .any(|token| NOT_NAMES.iter().any(|w| *w == token || (collapsed(w) == *w && collapsed(token) == *w)))
}

#[cfg(test)]
mod tests {
    use super::is_not_a_name;

    #[test]
    fn jokes_are_not_names_and_names_are() {
        for joke in ["caca", "Pipi", "PIPI", "c a c a", "caaaaca", "P1P1", "Léa Caca", "prout", "Poop", "fesses"] {
            assert!(is_not_a_name(joke), "{joke}");
        }
        for name in
            ["Léa", "Noah", "Kiki", "Pop", "Pascal", "Capucine", "Pierre-Paul", "Zoé", "Culver", "Petra", "Pépin"]
        {
            assert!(!is_not_a_name(name), "{name}");
        }
    }
}
