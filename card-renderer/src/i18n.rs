//! The texts drawn on images, from `assets/locales/<locale>/cards.ftl`, and the locale's way of
//! writing numbers and dates.
//!
//! Fluent's bidi isolation marks (U+2068/U+2069) are turned off here: these strings are drawn,
//! and a mark would either show as a box or shift a name.

use fluent::concurrent::FluentBundle;
use fluent::{FluentArgs, FluentResource, FluentValue};
use time::Date;

use crate::error::RenderError;
#[cfg(test)]
use ruban_vocabulary::format_number;
use ruban_vocabulary::{Campaign, Design, Locale};

/// The card texts of both locales.
pub struct CardTexts {
    fr: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for CardTexts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CardTexts")
    }
}

/// How many suggested messages each locale must offer.
pub const SUGGESTIONS: usize = 14;

/// How many suggested messages each design must offer in each locale, at the least.
pub const SUGGESTIONS_PER_DESIGN: usize = 3;

fn bundle(locale: Locale, sources: &[&str]) -> Result<FluentBundle<FluentResource>, RenderError> {
    let lang = locale.tag().parse().map_err(|e| RenderError::Locale(format!("{e:?}")))?;
    let mut b = FluentBundle::new_concurrent(vec![lang]);
    b.set_use_isolating(false);
    for source in sources {
        let res = FluentResource::try_new((*source).to_owned())
            .map_err(|(_, e)| RenderError::Locale(format!("{}: {e:?}", locale.tag())))?;
        b.add_resource(res).map_err(|e| RenderError::Locale(format!("{}: {e:?}", locale.tag())))?;
    }
    Ok(b)
}

/// The card texts in French (the reference).
pub const CARDS_FR: &str = include_str!("../../assets/locales/fr-CA/cards.ftl");
/// The card texts in English.
pub const CARDS_EN: &str = include_str!("../../assets/locales/en-CA/cards.ftl");

impl CardTexts {
    /// The card texts compiled into the binary.
    pub fn embedded() -> Result<Self, RenderError> {
        Self::from_sources(&[CARDS_FR], &[CARDS_EN])
    }

    /// Bundles from Fluent sources (the bot core adds its replies and errors to the cards').
    /// Bidi isolation is off: these strings are drawn or sent as they are.
    pub fn from_sources(fr: &[&str], en: &[&str]) -> Result<Self, RenderError> {
        Ok(Self { fr: bundle(Locale::FrCa, fr)?, en: bundle(Locale::EnCa, en)? })
    }

    /// Formats message `id`; a missing id is a defect caught by the tests, and shows as the id
    /// rather than crashing a render.
    pub fn get(&self, locale: Locale, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let b = match locale {
            Locale::FrCa => &self.fr,
            Locale::EnCa => &self.en,
        };
        let Some(pattern) = b.get_message(id).and_then(|m| m.value()) else {
            return id.to_owned();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, v.clone());
        }
        let mut errors = Vec::new();
        b.format_pattern(pattern, Some(&fargs), &mut errors).into_owned()
    }

    /// Whether message `id` exists in `locale`.
    pub fn has(&self, locale: Locale, id: &str) -> bool {
        match locale {
            Locale::FrCa => self.fr.has_message(id),
            Locale::EnCa => self.en.has_message(id),
        }
    }

    /// The suggested message for a recipient, chosen by a stable hash of the name so the same
    /// card always looks the same.
    pub fn suggestion(&self, locale: Locale, seed: &str) -> String {
        let n = fnv1a(seed.as_bytes()) % SUGGESTIONS as u64 + 1;
        self.get(locale, &format!("card-suggestion-{n}"), &[])
    }

    /// The suggested messages of a design, all of them (at least
    /// [`SUGGESTIONS_PER_DESIGN`]): the bot picks one at random for each card, so a class
    /// sending cards to the same Léa does not send her the same words thirty times.
    pub fn design_suggestions(&self, locale: Locale, design: Design) -> Vec<String> {
        (1..)
            .map(|n| format!("card-suggestion-{}-{n}", design.id()))
            .take_while(|id| self.has(locale, id))
            .map(|id| self.get(locale, &id, &[]))
            .collect()
    }

    /// A date written out: « jeudi 19 février 2026 », "Thursday, February 19, 2026".
    pub fn date(&self, locale: Locale, date: Date) -> String {
        let weekday = self.get(locale, &format!("weekday-{}", date.weekday().number_from_monday()), &[]);
        let month = self.get(locale, &format!("month-{}", u8::from(date.month())), &[]);
        let day = self.get(locale, "date-day", &[("day", FluentValue::from(date.day()))]);
        self.get(
            locale,
            "date-long",
            &[
                ("weekday", weekday.into()),
                ("day", day.into()),
                ("month", month.into()),
                ("year", date.year().to_string().into()),
            ],
        )
    }
}

impl CardTexts {
    /// A date without its weekday, for print: « 19 février 2026 », "February 19, 2026".
    pub fn date_short(&self, locale: Locale, date: Date) -> String {
        let (day, month) = self.day_month(locale, date);
        match locale {
            Locale::FrCa => format!("{day} {month} {}", date.year()),
            Locale::EnCa => format!("{month} {day}, {}", date.year()),
        }
    }

    /// A day of the year without it: « 16 février », "February 16" (a chart's column).
    pub fn day_and_month(&self, locale: Locale, date: Date) -> String {
        let (day, month) = self.day_month(locale, date);
        match locale {
            Locale::FrCa => format!("{day} {month}"),
            Locale::EnCa => format!("{month} {day}"),
        }
    }

    /// A span of days: « 16–20 février 2026 », « 27 février – 3 mars 2026 »,
    /// "February 16–20, 2026", "February 27 – March 3, 2026" (an en dash, spaced between
    /// two months or years).
    pub fn date_range(&self, locale: Locale, start: Date, end: Date) -> String {
        if start == end {
            return self.date_short(locale, start);
        }
        let (d0, m0) = self.day_month(locale, start);
        let (d1, m1) = self.day_month(locale, end);
        let year = end.year();
        match (locale, start.year() == year, start.month() == end.month()) {
            (_, false, _) => format!("{} – {}", self.date_short(locale, start), self.date_short(locale, end)),
            (Locale::FrCa, true, true) => format!("{d0}–{d1} {m1} {year}"),
            (Locale::FrCa, true, false) => format!("{d0} {m0} – {d1} {m1} {year}"),
            (Locale::EnCa, true, true) => format!("{m1} {d0}–{d1}, {year}"),
            (Locale::EnCa, true, false) => format!("{m0} {d0} – {m1} {d1}, {year}"),
        }
    }

    /// A campaign's week, written out: « 16–20 février 2026 », "February 16–20, 2026" (with
    /// « 27 février – 3 mars 2026 » across two months).
    pub fn campaign_dates(&self, campaign: &Campaign, locale: Locale) -> String {
        self.date_range(locale, campaign.start, campaign.end)
    }

    /// The campaign line drawn on every image: « Journées de la persévérance scolaire ·
    /// 16–20 février 2026 », "Hooked on School Days · February 16–20, 2026".
    pub fn campaign_line(&self, campaign: &Campaign, locale: Locale) -> String {
        format!("{} · {}", campaign.name(locale), self.campaign_dates(campaign, locale))
    }

    fn day_month(&self, locale: Locale, date: Date) -> (String, String) {
        let month = self.get(locale, &format!("month-{}", u8::from(date.month())), &[]);
        let day = self.get(locale, "date-day", &[("day", FluentValue::from(date.day()))]);
        (day, month)
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_campaign_line_names_the_journees_and_the_week_in_each_language() {
        let c = Campaign::embedded();
        let t = CardTexts::embedded().unwrap();
        assert_eq!(t.campaign_line(&c, Locale::FrCa), "Journées de la persévérance scolaire · 16–20 février 2026");
        assert_eq!(t.campaign_line(&c, Locale::EnCa), "Hooked on School Days · February 16–20, 2026");
        let mut later = c.clone();
        later.start = date!(2026 - 02 - 27);
        later.end = date!(2026 - 03 - 01);
        assert_eq!(t.campaign_dates(&later, Locale::FrCa), "27 février – 1er mars 2026");
        assert_eq!(t.campaign_dates(&later, Locale::EnCa), "February 27 – March 1, 2026");
    }

    #[test]
    fn dates_are_written_out() {
        let t = CardTexts::embedded().unwrap();
        assert_eq!(t.date(Locale::FrCa, date!(2026 - 02 - 19)), "jeudi 19 février 2026");
        assert_eq!(t.date(Locale::FrCa, date!(2026 - 03 - 01)), "dimanche 1er mars 2026");
        assert_eq!(t.date(Locale::EnCa, date!(2026 - 02 - 19)), "Thursday, February 19, 2026");
        assert_eq!(t.date_short(Locale::FrCa, date!(2026 - 03 - 01)), "1er mars 2026");
        assert_eq!(t.date_short(Locale::EnCa, date!(2026 - 02 - 19)), "February 19, 2026");
        assert_eq!(
            t.date_range(Locale::FrCa, date!(2026 - 12 - 30), date!(2027 - 01 - 03)),
            "30 décembre 2026 – 3 janvier 2027"
        );
    }

    #[test]
    fn french_counts_zero_as_singular_and_no_isolation_marks_leak() {
        let t = CardTexts::embedded().unwrap();
        let count = |l, n: u64| {
            t.get(l, "class-badge-count", &[("count", n.into()), ("formatted", format_number(l, n).into())])
        };
        assert_eq!(count(Locale::FrCa, 0), "0 engagement");
        assert_eq!(count(Locale::FrCa, 1), "1 engagement");
        assert_eq!(count(Locale::FrCa, 1234), "1\u{202F}234 engagements");
        assert_eq!(count(Locale::EnCa, 1), "1 pledge");
        assert_eq!(count(Locale::EnCa, 0), "0 pledges");
        let to = t.get(Locale::FrCa, "card-to", &[("name", "Ali".into())]);
        assert!(!to.contains(['\u{2068}', '\u{2069}']));
    }

    #[test]
    fn every_design_has_three_suggestions_in_both_languages_and_they_differ() {
        let t = CardTexts::embedded().unwrap();
        for d in Design::ALL {
            for l in [Locale::FrCa, Locale::EnCa] {
                let s = t.design_suggestions(l, d);
                assert!(s.len() >= SUGGESTIONS_PER_DESIGN, "{l} {} has {} suggestions", d.id(), s.len());
                let distinct: std::collections::HashSet<&String> = s.iter().collect();
                assert_eq!(distinct.len(), s.len(), "{l} {}: repeated suggestion", d.id());
            }
            assert_eq!(t.design_suggestions(Locale::FrCa, d).len(), t.design_suggestions(Locale::EnCa, d).len());
        }
    }

    #[test]
    fn every_suggestion_exists_in_both_languages() {
        let t = CardTexts::embedded().unwrap();
        for n in 1..=SUGGESTIONS {
            for l in [Locale::FrCa, Locale::EnCa] {
                assert!(t.has(l, &format!("card-suggestion-{n}")), "{l} lacks suggestion {n}");
            }
        }
    }
}
