//! The campaigns (dates, theme, hashtags, PerséVERT day), one file a year in
//! `assets/campaign/*.toml`, and the [`Calendar`] they make.
//!
//! The campaign is data, not code: next year's edition is a new file, written by hand or by
//! `ruban campaign new`. Every bundled file is compiled in (a build script lists the folder), so
//! nothing is read from a folder at run time unless an operator names one.
//!
//! Today's date picks the campaign: the one in progress (`start..=end`), or else the next one.
//! A campaign that is over is never picked, so nothing new carries it.
//!
//! ```
//! use ruban_vocabulary::campaign::{Calendar, Season};
//! use time::macros::date;
//!
//! let calendar = Calendar::embedded();
//! assert!(matches!(calendar.season(date!(2026 - 02 - 19)), Season::During(c) if c.year == 2026));
//! // After the 2026 week, with no later file: nothing to join yet.
//! assert!(calendar.at(date!(2026 - 12 - 03)).is_none());
//! ```

use std::path::Path;

use serde::Deserialize;
use time::{Date, Duration, Month, Weekday};

use crate::Locale;
use crate::error::VocabularyError;

include!(concat!(env!("OUT_DIR"), "/campaigns.rs"));

/// One edition of the Journées de la persévérance scolaire.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// The edition's year.
    pub year: i32,
    /// First day of the week.
    pub start: Date,
    /// Last day of the week.
    pub end: Date,
    /// Jeudi perséVERT.
    pub persevert_day: Date,
    /// The hashtag drawn on images.
    pub hashtag: String,
    /// All hashtags of the edition.
    #[serde(default)]
    pub hashtags: Vec<String>,
    /// The day after which personal data of this campaign is erased.
    pub retention_until: Date,
    /// The hashtag of Jeudi perséVERT's « vague verte » (the kits' `#perséVERT2024`); optional
    /// in a file, defaulting to `#perséVERT<year>`.
    #[serde(default)]
    persevert_hashtag: String,
    theme: Theme,
    /// The Journées' name in each language, drawn on every image with the week's dates;
    /// optional in a file (older files have none), defaulting to [`default_name`].
    #[serde(default = "default_names")]
    name: Theme,
}

/// The Journées' name in a language when a campaign file gives none: « Journées de la
/// persévérance scolaire », and in English the campaign's own English name, Hooked on School
/// Days.
pub fn default_name(locale: Locale) -> &'static str {
    match locale {
        Locale::FrCa => "Journées de la persévérance scolaire",
        Locale::EnCa => "Hooked on School Days",
    }
}

/// The green wave's hashtag when a campaign file gives none, as the kits write it.
fn default_persevert_hashtag(year: i32) -> String {
    format!("#perséVERT{year}")
}

fn default_names() -> Theme {
    Theme { fr: default_name(Locale::FrCa).to_owned(), en: default_name(Locale::EnCa).to_owned() }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Theme {
    #[serde(rename = "fr-CA")]
    fr: String,
    #[serde(rename = "en-CA")]
    en: String,
}

/// What `ruban campaign new` is given; [`Campaign::new_edition`] fills in the documented
/// defaults and never guesses the week itself.
#[derive(Debug, Clone)]
pub struct NewEdition {
    /// The edition's year.
    pub year: i32,
    /// First day of the week (required: JPS weeks follow no fixed rule).
    pub start: Date,
    /// Last day; default: the Friday of the week when `start` is a Monday (a Monday-to-Friday
    /// week). Any other start needs an explicit end.
    pub end: Option<Date>,
    /// Jeudi perséVERT; default: the Thursday of the week.
    pub persevert_day: Option<Date>,
    /// Retention; default: [`default_retention`].
    pub retention_until: Option<Date>,
    /// The theme in French.
    pub theme_fr: String,
    /// The theme in English.
    pub theme_en: String,
    /// The hashtag drawn on images; default `#JPS<year>`.
    pub hashtag: Option<String>,
}

/// The retention rule when none is given: August 31 after the end of the week, the end of the
/// school year in which the campaign took place (the 2026 edition's own date).
pub fn default_retention(end: Date) -> Date {
    let aug31 = |y| Date::from_calendar_date(y, Month::August, 31).expect("August has 31 days");
    if end < aug31(end.year()) { aug31(end.year()) } else { aug31(end.year() + 1) }
}

fn invalid(file: &str, field: &str, why: impl std::fmt::Display) -> String {
    format!("{file}: {field}: {why}")
}

impl Campaign {
    /// Parses a campaign file's text.
    pub fn parse(toml_text: &str) -> Result<Self, VocabularyError> {
        Self::parse_named("campaign", toml_text)
    }

    /// Parses and checks a campaign file's text; errors start with `file` and name the field.
    pub fn parse_named(file: &str, toml_text: &str) -> Result<Self, VocabularyError> {
        let mut c: Self = toml::from_str(toml_text).map_err(|e| {
            // Name the field: the key on the line where the error is (a bad value), else the
            // message names it itself (a missing or unknown field).
            let key = e.span().and_then(|span| {
                let line_start = toml_text[..span.start.min(toml_text.len())].rfind('\n').map_or(0, |i| i + 1);
                let line = toml_text[line_start..].lines().next()?;
                let (key, _) = line.split_once('=')?;
                Some(key.trim().to_owned())
            });
            let why = e.message().trim_end();
            VocabularyError::Campaign(match key {
                Some(key) if !key.is_empty() => format!("{file}: {key}: {why}"),
                _ => format!("{file}: {why}"),
            })
        })?;
        if c.persevert_hashtag.is_empty() {
            c.persevert_hashtag = default_persevert_hashtag(c.year);
        }
        let problems = c.problems(file);
        if problems.is_empty() { Ok(c) } else { Err(VocabularyError::Campaign(problems.join("\n"))) }
    }

    /// What is wrong with this campaign, each problem naming `file` and the field.
    pub fn problems(&self, file: &str) -> Vec<String> {
        let mut out = Vec::new();
        if self.start.year() != self.year {
            out.push(invalid(file, "start", format!("{} is not in year {}", self.start, self.year)));
        }
        if self.end < self.start {
            out.push(invalid(file, "end", format!("{} is before start {}", self.end, self.start)));
        } else if self.end - self.start > Duration::days(13) {
            out.push(invalid(file, "end", format!("{} is more than two weeks after start {}", self.end, self.start)));
        }
        if self.persevert_day < self.start || self.persevert_day > self.end {
            out.push(invalid(
                file,
                "persevert_day",
                format!("{} is outside the week {}..{}", self.persevert_day, self.start, self.end),
            ));
        }
        if self.persevert_day.weekday() != Weekday::Thursday {
            out.push(invalid(
                file,
                "persevert_day",
                format!("{} is a {}, not a Thursday", self.persevert_day, self.persevert_day.weekday()),
            ));
        }
        if self.retention_until <= self.end {
            out.push(invalid(
                file,
                "retention_until",
                format!("{} is not after the end {}", self.retention_until, self.end),
            ));
        }
        let not_a_hashtag = |t: &str| !t.starts_with('#') || t.len() < 2 || t.contains(char::is_whitespace);
        if not_a_hashtag(&self.hashtag) {
            out.push(invalid(file, "hashtag", format!("{:?} is not a hashtag (#, then no space)", self.hashtag)));
        }
        if not_a_hashtag(&self.persevert_hashtag) {
            let tag = &self.persevert_hashtag;
            out.push(invalid(file, "persevert_hashtag", format!("{tag:?} is not a hashtag (#, then no space)")));
        }
        for (field, text) in [
            ("theme.fr-CA", &self.theme.fr),
            ("theme.en-CA", &self.theme.en),
            ("name.fr-CA", &self.name.fr),
            ("name.en-CA", &self.name.en),
        ] {
            if text.trim().is_empty() {
                out.push(invalid(file, field, "is empty"));
            }
        }
        out
    }

    /// The hashtag of Jeudi perséVERT's green wave: the file's, else `#perséVERT<year>`.
    pub fn persevert_hashtag(&self) -> &str {
        &self.persevert_hashtag
    }

    /// Reads and checks a campaign file.
    pub fn load(path: &Path) -> Result<Self, VocabularyError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| VocabularyError::Campaign(format!("cannot read {}: {e}", path.display())))?;
        Self::parse_named(&path.display().to_string(), &text)
    }

    /// The latest bundled edition (tests and renders that name no date use it).
    pub fn embedded() -> Self {
        Calendar::embedded().campaigns.last().cloned().expect("a bundled campaign file")
    }

    /// A new edition with the documented defaults; fails, naming the flag, on a week it would
    /// have to guess.
    pub fn new_edition(n: NewEdition) -> Result<Self, VocabularyError> {
        let end = match n.end {
            Some(end) => end,
            None if n.start.weekday() == Weekday::Monday => n.start + Duration::days(4),
            None => {
                return Err(VocabularyError::Campaign(format!(
                    "--end: {} is a {}, not a Monday: give the last day of the week with --end",
                    n.start,
                    n.start.weekday()
                )));
            }
        };
        let persevert_day = match n.persevert_day {
            Some(d) => d,
            None => {
                let days = (7 + 3 - i64::from(n.start.weekday().number_days_from_monday())) % 7;
                n.start + Duration::days(days)
            }
        };
        let hashtag = n.hashtag.unwrap_or_else(|| format!("#JPS{}", n.year));
        let c = Self {
            year: n.year,
            start: n.start,
            end,
            persevert_day,
            hashtags: vec![hashtag.clone(), "#persévérancescolaire".to_owned()],
            hashtag,
            retention_until: n.retention_until.unwrap_or_else(|| default_retention(end)),
            persevert_hashtag: default_persevert_hashtag(n.year),
            theme: Theme { fr: n.theme_fr.trim().to_owned(), en: n.theme_en.trim().to_owned() },
            name: default_names(),
        };
        let problems = c.problems(&format!("{}.toml", n.year));
        if problems.is_empty() { Ok(c) } else { Err(VocabularyError::Campaign(problems.join("\n"))) }
    }

    /// The campaign as a file, in the bundled files' layout.
    pub fn to_toml(&self) -> String {
        let q = |s: &str| toml::Value::String(s.to_owned()).to_string();
        let tags: Vec<String> = self.hashtags.iter().map(|t| q(t)).collect();
        format!(
            "# Journées de la persévérance scolaire, {year} edition.\n\
             year = {year}\nstart = \"{start}\"\nend = \"{end}\"\n\
             # Jeudi perséVERT: the Thursday when everyone wears green.\n\
             persevert_day = \"{pv}\"\nhashtag = {hashtag}\nhashtags = [{tags}]\n\
             # Personal data of this campaign is erased on this date (ruban purge); anonymous totals stay.\n\
             retention_until = \"{ret}\"\n\
             # The green wave's hashtag on Jeudi perséVERT.\npersevert_hashtag = {green}\n\n[theme]\nfr-CA = {fr}\nen-CA = {en}\n\n\
             # The Journées' name, drawn on every image with the week's dates.\n\
             [name]\nfr-CA = {name_fr}\nen-CA = {name_en}\n",
            year = self.year,
            start = self.start,
            end = self.end,
            pv = self.persevert_day,
            hashtag = q(&self.hashtag),
            tags = tags.join(", "),
            ret = self.retention_until,
            green = q(&self.persevert_hashtag),
            fr = q(&self.theme.fr),
            en = q(&self.theme.en),
            name_fr = q(&self.name.fr),
            name_en = q(&self.name.en),
        )
    }

    /// The theme in a language.
    pub fn theme(&self, locale: Locale) -> &str {
        match locale {
            Locale::FrCa => &self.theme.fr,
            Locale::EnCa => &self.theme.en,
        }
    }

    /// The Journées' name in a language.
    pub fn name(&self, locale: Locale) -> &str {
        match locale {
            Locale::FrCa => &self.name.fr,
            Locale::EnCa => &self.name.en,
        }
    }

    /// The footer drawn on cards: `#JPS2026 · La persévérance, ça mène loin.`
    pub fn footer(&self, locale: Locale) -> String {
        format!("{} · {}", self.hashtag, self.theme(locale))
    }

    /// Whether the week is over on `today`.
    pub fn is_over(&self, today: Date) -> bool {
        today > self.end
    }
}

/// Where `today` falls in the calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Season<'a> {
    /// A campaign's week is on.
    During(&'a Campaign),
    /// The next campaign is announced and has not started: pledges join it.
    Before(&'a Campaign),
    /// No campaign is announced after the last one, which is over.
    Unannounced {
        /// The last campaign (its totals stay on the wall).
        last: &'a Campaign,
    },
}

impl<'a> Season<'a> {
    /// The campaign something new joins today, if any: never one that is over.
    pub fn campaign(self) -> Option<&'a Campaign> {
        match self {
            Season::During(c) | Season::Before(c) => Some(c),
            Season::Unannounced { .. } => None,
        }
    }

    /// The campaign a wall shows: today's or the next, else the last one.
    pub fn shown(self) -> &'a Campaign {
        match self {
            Season::During(c) | Season::Before(c) | Season::Unannounced { last: c } => c,
        }
    }
}

/// Every known campaign, in date order, none overlapping another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    campaigns: Vec<Campaign>,
}

impl Calendar {
    /// A calendar of checked campaigns: `(file, campaign)`, the file named in errors.
    pub fn new(mut campaigns: Vec<(String, Campaign)>) -> Result<Self, VocabularyError> {
        if campaigns.is_empty() {
            return Err(VocabularyError::Campaign("no campaign file (*.toml) found".to_owned()));
        }
        campaigns.sort_by_key(|(_, c)| c.start);
        let mut problems = Vec::new();
        for pair in campaigns.windows(2) {
            let ((fa, a), (fb, b)) = (&pair[0], &pair[1]);
            if a.year == b.year {
                problems.push(invalid(fb, "year", format!("{} is also the year of {fa}", b.year)));
            }
            if b.start <= a.end {
                problems.push(invalid(fb, "start", format!("{} overlaps {fa} ({}..{})", b.start, a.start, a.end)));
            }
        }
        if !problems.is_empty() {
            return Err(VocabularyError::Campaign(problems.join("\n")));
        }
        Ok(Self { campaigns: campaigns.into_iter().map(|(_, c)| c).collect() })
    }

    /// Parses `(file, text)` pairs, reporting every bad file and field at once.
    pub fn parse_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self, VocabularyError> {
        let mut ok = Vec::new();
        let mut problems = Vec::new();
        for (name, text) in files {
            match Campaign::parse_named(name, text) {
                Ok(c) => ok.push((name.to_owned(), c)),
                Err(VocabularyError::Campaign(p)) => problems.push(p),
                Err(e) => problems.push(format!("{name}: {e}")),
            }
        }
        if !problems.is_empty() {
            return Err(VocabularyError::Campaign(problems.join("\n")));
        }
        Self::new(ok)
    }

    /// The campaign files compiled into the binary (`assets/campaign/*.toml`).
    pub fn embedded() -> Self {
        Self::parse_files(BUNDLED.iter().copied()).unwrap_or_else(|e| panic!("bundled campaign files are invalid: {e}"))
    }

    /// A campaign file, or a folder of them (`*.toml`; other files are ignored).
    pub fn load(path: &Path) -> Result<Self, VocabularyError> {
        if !path.is_dir() {
            return Self::new(vec![(path.display().to_string(), Campaign::load(path)?)]);
        }
        let entries = std::fs::read_dir(path)
            .map_err(|e| VocabularyError::Campaign(format!("cannot read the folder {}: {e}", path.display())))?;
        let mut files: Vec<std::path::PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
            .collect();
        files.sort();
        let mut texts = Vec::new();
        for f in &files {
            let text = std::fs::read_to_string(f)
                .map_err(|e| VocabularyError::Campaign(format!("cannot read {}: {e}", f.display())))?;
            texts.push((f.display().to_string(), text));
        }
        if texts.is_empty() {
            return Err(VocabularyError::Campaign(format!(
                "{}: no campaign file (*.toml) in this folder",
                path.display()
            )));
        }
        Self::parse_files(texts.iter().map(|(n, t)| (n.as_str(), t.as_str())))
    }

    /// The campaigns, in date order.
    pub fn campaigns(&self) -> &[Campaign] {
        &self.campaigns
    }

    /// The campaign of a year.
    pub fn get(&self, year: i32) -> Option<&Campaign> {
        self.campaigns.iter().find(|c| c.year == year)
    }

    /// Where `today` falls.
    pub fn season(&self, today: Date) -> Season<'_> {
        match self.campaigns.iter().find(|c| !c.is_over(today)) {
            Some(c) if c.start <= today => Season::During(c),
            Some(c) => Season::Before(c),
            None => Season::Unannounced { last: self.campaigns.last().expect("a calendar is never empty") },
        }
    }

    /// The campaign something new joins today (in progress, else the next); `None` between
    /// campaigns when the next one is not announced.
    pub fn at(&self, today: Date) -> Option<&Campaign> {
        self.season(today).campaign()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn edition(start: Date) -> NewEdition {
        NewEdition {
            year: start.year(),
            start,
            end: None,
            persevert_day: None,
            retention_until: None,
            theme_fr: "Thème".into(),
            theme_en: "Theme".into(),
            hashtag: None,
        }
    }

    #[test]
    fn a_new_edition_takes_the_documented_defaults_and_round_trips() {
        let c = Campaign::new_edition(edition(date!(2027 - 02 - 15))).unwrap();
        assert_eq!(
            (c.end, c.persevert_day, c.retention_until),
            (date!(2027 - 02 - 19), date!(2027 - 02 - 18), date!(2027 - 08 - 31))
        );
        assert_eq!(c.hashtag, "#JPS2027");
        assert_eq!(Campaign::parse(&c.to_toml()).unwrap(), c);
    }

    #[test]
    fn a_file_without_a_name_takes_the_default_names() {
        let text = Campaign::embedded().to_toml();
        let cut = &text[..text.find("\n# The Journées' name").expect("to_toml writes the name")];
        let old = Campaign::parse(cut).unwrap();
        assert_eq!(old.name(Locale::FrCa), "Journées de la persévérance scolaire");
        assert_eq!(old.name(Locale::EnCa), "Hooked on School Days");
        let named = text.replace("Hooked on School Days", "Hooked on School Days, Canada");
        assert_eq!(Campaign::parse(&named).unwrap().name(Locale::EnCa), "Hooked on School Days, Canada");
    }

    #[test]
    fn the_green_waves_hashtag_is_the_files_or_the_kits_default() {
        let c = Campaign::embedded();
        assert_eq!(c.persevert_hashtag(), "#perséVERT2026");
        let text = c.to_toml();
        let without: String = text.lines().filter(|l| !l.contains("persevert_hashtag")).collect::<Vec<_>>().join("\n");
        assert_eq!(Campaign::parse(&without).unwrap().persevert_hashtag(), "#perséVERT2026");
        let own = text.replace("\"#perséVERT2026\"", "\"#VagueVerte\"");
        assert_eq!(Campaign::parse(&own).unwrap().persevert_hashtag(), "#VagueVerte");
        let err = Campaign::parse(&text.replace("\"#perséVERT2026\"", "\"vague verte\"")).unwrap_err().to_string();
        assert!(err.contains("persevert_hashtag") && err.contains("not a hashtag"), "{err}");
    }

    #[test]
    fn a_start_that_is_not_a_monday_needs_an_end() {
        let err = Campaign::new_edition(edition(date!(2027 - 02 - 16))).unwrap_err().to_string();
        assert!(err.contains("--end") && err.contains("Tuesday"), "{err}");
    }

    #[test]
    fn the_bundled_2026_file_matches_the_documented_defaults() {
        let c = Campaign::embedded();
        let mut n = edition(c.start);
        n.theme_fr = c.theme(Locale::FrCa).into();
        n.theme_en = c.theme(Locale::EnCa).into();
        assert_eq!(Campaign::new_edition(n).unwrap(), c);
    }
}
