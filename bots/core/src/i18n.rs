//! Every user-facing string of the core, from `assets/locales/<locale>/*.ftl`.
//!
//! fr-CA is the reference. Bidi isolation is off everywhere: these strings go to images and to
//! platform fields, where an isolation mark would show or be counted.

use card_renderer::i18n::{CARDS_EN, CARDS_FR, CardTexts};
use fluent::FluentValue;
use ruban_vocabulary::Locale;

/// The Fluent sources of each locale, compiled in.
pub const FR_SOURCES: [&str; 4] = [
    CARDS_FR,
    include_str!("../../../assets/locales/fr-CA/replies.ftl"),
    include_str!("../../../assets/locales/fr-CA/errors.ftl"),
    include_str!("../../../assets/locales/fr-CA/web.ftl"),
];
/// English sources, same files.
pub const EN_SOURCES: [&str; 4] = [
    CARDS_EN,
    include_str!("../../../assets/locales/en-CA/replies.ftl"),
    include_str!("../../../assets/locales/en-CA/errors.ftl"),
    include_str!("../../../assets/locales/en-CA/web.ftl"),
];

/// All texts of both locales.
pub struct Texts(CardTexts);

impl std::fmt::Debug for Texts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Texts")
    }
}

impl Texts {
    /// Loads the compiled-in texts.
    pub fn embedded() -> Result<Self, card_renderer::RenderError> {
        Ok(Self(CardTexts::from_sources(&FR_SOURCES, &EN_SOURCES)?))
    }

    /// Formats a message; a missing id is caught by the tests (and logged here).
    pub fn t(&self, locale: Locale, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        if !self.0.has(locale, id) {
            tracing::warn!(id, %locale, "missing message");
        }
        self.0.get(locale, id, args)
    }

    /// A date written out: « jeudi 19 février 2026 ».
    pub fn date(&self, locale: Locale, date: time::Date) -> String {
        self.0.date(locale, date)
    }

    /// A span of days: « 16–20 février 2026 », "February 16–20, 2026".
    pub fn date_range(&self, locale: Locale, start: time::Date, end: time::Date) -> String {
        self.0.date_range(locale, start, end)
    }

    /// A day without its year: « 16 février », "February 16".
    pub fn day_and_month(&self, locale: Locale, date: time::Date) -> String {
        self.0.day_and_month(locale, date)
    }

    /// The suggested messages of a design in a language.
    pub fn design_suggestions(&self, locale: Locale, design: ruban_vocabulary::Design) -> Vec<String> {
        self.0.design_suggestions(locale, design)
    }

    /// Whether a message exists.
    pub fn has(&self, locale: Locale, id: &str) -> bool {
        self.0.has(locale, id)
    }
}

/// Maps a platform's language tag to ours (fr*, anything unknown → fr-CA; en* → en-CA).
pub fn locale_from_platform(tag: Option<&str>) -> Locale {
    tag.map_or(Locale::FrCa, Locale::from_platform)
}
