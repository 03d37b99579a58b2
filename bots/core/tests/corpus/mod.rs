//! The moderation corpus, shared by the corpus tests, the moderation bench and the scorer's
//! training: one message a line, `category|language|message`, `#` for comments.
//!
//! - `hurtful.txt`, `kind.txt`: the lists' corpus (the lists are tuned on it).
//! - `hurtful-families.txt`, `kind-families.txt`: messages written by *family*, one intent
//!   written many ways (Quebec French, joual, SMS spellings, English, mixed), introduced by a
//!   line `## family-name`. The lists were never tuned on them.
//!
//! Every message belongs to a family: the scorer is evaluated on families held out of its
//! training, so that ten spellings of one sentence never sit on both sides. A message with no
//! `##` line above it in its section (the lists' corpus) is in a family of the five lines
//! around it: neighbouring lines there are mostly spellings of one another.

#![allow(dead_code)] // Each user takes what it needs.

use ruban_core::moderation::Category;

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
    /// The intent it is one way of writing (see the module's documentation).
    pub family: String,
    /// Whether it is hurtful (from a hurtful file).
    pub hurtful: bool,
}

impl Sample {
    /// Its label for the scorer: the category when hurtful, `None` when kind.
    ///
    /// # Panics
    /// When a hurtful message's category is not one of [`Category::ALL`], naming its line.
    pub fn label(&self) -> Option<Category> {
        self.hurtful.then(|| {
            Category::ALL
                .into_iter()
                .find(|c| c.name() == self.category)
                .unwrap_or_else(|| panic!("{}: {:?} is not a category", self.at, self.category))
        })
    }
}

/// Messages of a family with no `##` line: this many neighbouring lines.
const CHUNK: usize = 5;

/// The hurtful messages.
pub const HURTFUL: &str = include_str!("hurtful.txt");
/// The kind messages.
pub const KIND: &str = include_str!("kind.txt");
/// Hurtful messages by family.
pub const HURTFUL_FAMILIES: &str = include_str!("hurtful-families.txt");
/// Kind messages by family.
pub const KIND_FAMILIES: &str = include_str!("kind-families.txt");

/// The messages of one file (`name` for failure messages and family names).
///
/// # Panics
/// On a line that is not `category|language|message`, naming the line.
pub fn parse(name: &str, text: &str) -> Vec<Sample> {
    let hurtful = name.starts_with("hurtful");
    let (mut section, mut family, mut in_section) = (0, None::<String>, 0);
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if let Some(f) = line.strip_prefix("## ") {
            family = Some(format!("{name}:{}", f.trim()));
            continue;
        }
        if line.starts_with("# -") {
            (section, family, in_section) = (section + 1, None, 0);
            continue;
        }
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("{name}:{}", n + 1);
        let mut parts = line.splitn(3, '|');
        let (Some(category), Some(language), Some(text)) = (parts.next(), parts.next(), parts.next()) else {
            panic!("{at}: {line:?} is not category|language|message");
        };
        assert!(matches!(language, "fr" | "en"), "{at}: the language is fr or en, not {language:?}");
        assert!(!text.trim().is_empty(), "{at}: an empty message");
        let family = family.clone().unwrap_or_else(|| format!("{name}:{section}:{}", in_section / CHUNK));
        in_section += 1;
        out.push(Sample {
            category: category.to_owned(),
            language: language.to_owned(),
            text: text.to_owned(),
            at,
            family,
            hurtful,
        });
    }
    out
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

/// Every message of both corpora, each with its family: what the scorer is trained on.
pub fn everything() -> Vec<Sample> {
    let mut out = all();
    out.extend(parse("hurtful-families.txt", HURTFUL_FAMILIES));
    out.extend(parse("kind-families.txt", KIND_FAMILIES));
    out
}
