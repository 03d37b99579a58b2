//! The two languages Ruban speaks.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::VocabularyError;

/// The two languages Ruban speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Locale {
    /// Quebec French, the reference.
    #[default]
    #[serde(rename = "fr-CA")]
    FrCa,
    /// Canadian English.
    #[serde(rename = "en-CA")]
    EnCa,
}

impl Locale {
    /// Both, French first.
    pub const ALL: [Locale; 2] = [Self::FrCa, Self::EnCa];

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Self::FrCa => "fr-CA",
            Self::EnCa => "en-CA",
        }
    }

    /// Maps any platform locale to one of ours: `fr*` to fr-CA, `en*` to en-CA, anything else
    /// to fr-CA (the campaign's language).
    pub fn from_platform(tag: &str) -> Self {
        let lower = tag.trim().to_ascii_lowercase();
        if lower == "en" || lower.starts_with("en-") || lower.starts_with("en_") { Self::EnCa } else { Self::FrCa }
    }
}

impl FromStr for Locale {
    type Err = VocabularyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "fr" | "fr-ca" | "fr_ca" | "français" | "francais" => Ok(Self::FrCa),
            "en" | "en-ca" | "en_ca" | "english" | "anglais" => Ok(Self::EnCa),
            _ => Err(VocabularyError::UnknownLocale(s.to_owned())),
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_locales_map_to_ours() {
        assert_eq!(Locale::from_platform("fr"), Locale::FrCa);
        assert_eq!(Locale::from_platform("en-GB"), Locale::EnCa);
        assert_eq!(Locale::from_platform("es-MX"), Locale::FrCa);
    }

    #[test]
    fn tags_round_trip_and_strangers_are_named() {
        for l in Locale::ALL {
            assert_eq!(l.tag().parse::<Locale>(), Ok(l));
        }
        assert_eq!("de".parse::<Locale>(), Err(VocabularyError::UnknownLocale("de".into())));
    }
}
