//! The campaign (dates, theme, hashtags, PerséVERT day), read from `assets/campaign/*.toml`.
//!
//! The campaign is data, not code: next year's edition is a new file.

use std::path::Path;

use serde::Deserialize;
use time::Date;

use crate::error::RenderError;
use crate::spec::Locale;

/// One edition of the Journées de la persévérance scolaire.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
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
    theme: Theme,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Theme {
    #[serde(rename = "fr-CA")]
    fr: String,
    #[serde(rename = "en-CA")]
    en: String,
}

impl Campaign {
    /// Parses a campaign file's text.
    pub fn parse(toml_text: &str) -> Result<Self, RenderError> {
        let c: Self = toml::from_str(toml_text).map_err(|e| RenderError::Campaign(e.to_string()))?;
        if c.start > c.end || c.persevert_day < c.start || c.persevert_day > c.end {
            return Err(RenderError::Campaign(format!(
                "campaign {}: persevert_day and start..end are out of order",
                c.year
            )));
        }
        Ok(c)
    }

    /// Reads a campaign file.
    pub fn load(path: &Path) -> Result<Self, RenderError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| RenderError::Campaign(format!("cannot read {}: {e}", path.display())))?;
        Self::parse(&text)
    }

    /// The campaign compiled into the binary (the current edition).
    pub fn embedded() -> Self {
        Self::parse(include_str!("../../assets/campaign/2026.toml"))
            .unwrap_or_else(|e| panic!("bundled campaign file is invalid: {e}"))
    }

    /// The theme in a language.
    pub fn theme(&self, locale: Locale) -> &str {
        match locale {
            Locale::FrCa => &self.theme.fr,
            Locale::EnCa => &self.theme.en,
        }
    }

    /// The footer drawn on cards: `#JPS2026 · La persévérance, ça mène loin.`
    pub fn footer(&self, locale: Locale) -> String {
        format!("{} · {}", self.hashtag, self.theme(locale))
    }
}
