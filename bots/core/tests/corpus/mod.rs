//! The moderation corpus (`hurtful.txt`, `kind.txt` beside this file), shared by the corpus
//! test and the moderation bench: one message a line, `category|language|message`, `#` for
//! comments.

#![allow(dead_code)] // Each user takes what it needs.

/// One message of the corpus.
#[derive(Debug, Clone)]
pub struct Sample {
    /// For a hurtful message its category as the lists name it (`self-harm`); for a kind one
    /// its theme (`slang`, `place`…).
    pub category: String,
    /// `fr` or `en`.
    pub language: String,
    /// The message as a person would type it.
    pub text: String,
    /// Where it is written, for failure messages (`hurtful.txt:42`).
    pub at: String,
}

/// The hurtful messages.
pub const HURTFUL: &str = include_str!("hurtful.txt");
/// The kind messages.
pub const KIND: &str = include_str!("kind.txt");

/// The messages of one file (`name` for failure messages).
///
/// # Panics
/// On a line that is not `category|language|message`, naming the line.
pub fn parse(name: &str, text: &str) -> Vec<Sample> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(n, line)| {
            let at = format!("{name}:{}", n + 1);
            let mut parts = line.splitn(3, '|');
            let (Some(category), Some(language), Some(text)) = (parts.next(), parts.next(), parts.next()) else {
                panic!("{at}: {line:?} is not category|language|message");
            };
            assert!(matches!(language, "fr" | "en"), "{at}: the language is fr or en, not {language:?}");
            assert!(!text.trim().is_empty(), "{at}: an empty message");
            Sample { category: category.to_owned(), language: language.to_owned(), text: text.to_owned(), at }
        })
        .collect()
}

/// The hurtful messages, parsed.
pub fn hurtful() -> Vec<Sample> {
    parse("hurtful.txt", HURTFUL)
}

/// The kind messages, parsed.
pub fn kind() -> Vec<Sample> {
    parse("kind.txt", KIND)
}

/// Every message of the corpus, hurtful then kind.
pub fn all() -> Vec<Sample> {
    let mut out = hurtful();
    out.extend(kind());
    out
}
