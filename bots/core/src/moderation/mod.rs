//! The moderation filter for every text that reaches another person (names, messages, class
//! and school names, public names on the wall), in French (Quebec forms and spellings) and
//! English.
//!
//! It refuses by meaning, not only by word: each entry of the lists (`assets/moderation/`,
//! data, with its [`Category`]) is a word or a phrase pattern, so « t’es laid », "nobody likes
//! you" and « tue-toi » are refused although they hold no swear word, while « t’es pas nul »
//! and "you are not stupid" pass (a negation excuses what follows it in its clause).
//!
//! ```text
//! « T’es LAIIIDE »          → body shaming      « Ton dessin est malade! » → passes
//! « je vais te péter la face » → threat         "you killed it!"           → passes
//! "k y s"                   → self-harm         « concours », "Scunthorpe" → pass
//! ```
//!
//! It sees through case, accents, spacing ("f u c k"), repeated letters ("merdeee"), leetspeak
//! ("sh1t", "@ss"), `*` and `.` inside words ("f*ck", "F.U.C.K") and matches whole words only,
//! so innocent words that contain a bad one pass ("Scunthorpe", "concours", "class",
//! "hostile", "assistant", "Dickens"). A refusal is a kind message that never quotes the text;
//! nothing is stored or drawn.
//!
//! Why not `rustrict`: it knows English only (the children write Quebec French first), matches
//! added words inside other words ("field" in "cornfield", its docs warn), has no phrases or
//! negation, and extending its global list takes `unsafe`, which this workspace forbids. One
//! engine over both languages keeps the same disguises, negations and categories everywhere.

mod anchors;
mod category;
mod links;
mod lists;
mod names;
mod normalize;
pub mod scorer;

use std::sync::LazyLock;

pub use category::Category;
pub use links::has_link;
pub use lists::{Filter, ListError};
pub use scorer::Verdict;

/// The lists shipped with Ruban, compiled into the binary: nothing is read at run time.
pub const EMBEDDED_LISTS: [(&str, &str); 2] = [
    ("assets/moderation/fr-CA.toml", include_str!("../../../../assets/moderation/fr-CA.toml")),
    ("assets/moderation/en-CA.toml", include_str!("../../../../assets/moderation/en-CA.toml")),
];

static FILTER: LazyLock<Filter> = LazyLock::new(|| {
    // Warmed on a thread of its own: the first checks need not wait for it (they are slower
    // until it ends, a fraction of a second later).
    std::thread::Builder::new()
        .name("moderation-warm-up".to_owned())
        .spawn(|| FILTER.warm_up())
        .map(drop)
        .unwrap_or_else(|e| tracing::warn!(error = %e, "moderation warm-up not started"));
    Filter::compile(&EMBEDDED_LISTS).expect("the embedded lists compile (a test checks it)")
});

impl Filter {
    /// The embedded lists, compiled on first use and then warmed up (see [`Filter::warm_up`]).
    pub fn embedded() -> &'static Filter {
        &FILTER
    }

    /// The embedded lists plus an organizer's own file (same format, its groups may use the
    /// embedded ones).
    pub fn with_extra(name: &str, toml: &str) -> Result<Filter, ListError> {
        let mut files = EMBEDDED_LISTS.to_vec();
        files.push((name, toml));
        Filter::compile(&files).map(Filter::warmed)
    }

    /// The gravest category `text` falls in, or `Ok` when it may reach another person.
    pub fn check(&self, text: &str) -> Result<(), Category> {
        self.explain(text).map_or(Ok(()), |(c, _)| Err(c))
    }

    /// Like [`Filter::check`], with the pattern that matched (for tests and list authors;
    /// never shown to the person, never logged with the text).
    pub fn explain(&self, text: &str) -> Option<(Category, &str)> {
        self.with_caches(|caches| self.explain_with(text, caches))
    }

    fn explain_with(&self, text: &str, caches: &mut lists::Caches) -> Option<(Category, &str)> {
        let mut worst = None;
        let mut forms = normalize::forms(text);
        if let Some(split) = normalize::segment_spelled(&forms[0], |w| self.knows(w))
            && !forms.contains(&split)
        {
            forms.push(split);
        }
        for form in forms {
            self.scan(&form, &mut worst, caches);
            if worst.is_some_and(|(c, _)| c == Category::ALL[0]) {
                break;
            }
        }
        worst.map(|(c, id)| (c, self.source(id)))
    }
}

/// The gravest category `text` falls in, by the embedded lists; `Ok` when it may be drawn on
/// a card, shown on the wall or sent. Links are a separate check ([`has_link`]).
pub fn check(text: &str) -> Result<(), Category> {
    FILTER.check(text)
}

/// What moderation concludes about `text`: the lists first (precise, and for words that must
/// never pass), then the scorer for what no list holds. Links are a separate check
/// ([`has_link`]).
pub fn judge(text: &str) -> Verdict {
    match FILTER.check(text) {
        Err(category) => Verdict::Hurtful(category),
        Ok(()) => scorer::opinion(text).verdict(),
    }
}

pub use names::is_not_a_name;

/// Whether `text` may be drawn on a card, stored on the wall or sent: nothing hurtful, no link.
pub fn is_acceptable(text: &str) -> bool {
    !has_link(text) && check(text).is_ok()
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
