//! What to draw: validated texts, designs, locales and one spec per kind of image.
//!
//! Every text a person typed goes through a newtype's `parse`, which cleans it
//! ([`crate::text::clean::clean`]) and refuses it when it is empty or over its cap: the renderer
//! never silently cuts what a child wrote.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use time::Date;

pub(crate) use ruban_vocabulary::{Design, Locale};

use crate::error::RenderError;
use crate::text::clean::{clean, grapheme_count, shows_something};

macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $field:literal, $max:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The cap, in user-perceived characters (graphemes).
            pub const MAX: usize = $max;
            /// The field's name in error messages.
            pub const FIELD: &'static str = $field;

            /// Cleans `raw` and checks it is neither empty nor over [`Self::MAX`] graphemes.
            pub fn parse(raw: &str) -> Result<Self, RenderError> {
                let text = clean(raw);
                let got = grapheme_count(&text);
                if got == 0 || !shows_something(&text) {
                    return Err(RenderError::Empty { field: Self::FIELD });
                }
                if got > Self::MAX {
                    return Err(RenderError::TooLong { field: Self::FIELD, max: Self::MAX, got });
                }
                Ok(Self(text))
            }

            /// The cleaned text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = String::deserialize(d)?;
                Self::parse(&raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

bounded_text!(
    /// A person's public name: at most 40 graphemes.
    Name, "name", 40
);
bounded_text!(
    /// An encouragement message: at most 280 graphemes.
    Message, "message", 280
);
bounded_text!(
    /// A short label: a class, a school, an organization (at most 80 graphemes).
    Label, "label", 80
);
bounded_text!(
    /// Why a certificate is given: at most 160 graphemes.
    Reason, "reason", 160
);

/// An encouragement card (1080 x 1080).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardSpec {
    /// Who it is for.
    pub to: Name,
    /// Who sends it, if they sign.
    #[serde(default)]
    pub from: Option<Name>,
    /// The message; when absent a suggested one in `locale` is drawn.
    #[serde(default)]
    pub message: Option<Message>,
    /// The design.
    #[serde(default)]
    pub design: Design,
    /// The language of the fixed texts.
    #[serde(default)]
    pub locale: Locale,
}

/// Sizes of the ribbon pledge badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum BadgeSize {
    /// 1080 x 1080, to share.
    #[default]
    #[serde(rename = "1080")]
    Large,
    /// 512 x 512, for a profile picture.
    #[serde(rename = "512")]
    Small,
}

impl BadgeSize {
    /// Side in pixels.
    pub fn pixels(self) -> u32 {
        match self {
            Self::Large => 1080,
            Self::Small => 512,
        }
    }
}

/// A ribbon pledge badge: "I wear the ribbon", the public name and the number in the wave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BadgeSpec {
    /// The public name the person chose; absent, the badge carries no name.
    #[serde(default)]
    pub name: Option<Name>,
    /// The pledge's number in the campaign's green wave (1-based).
    pub number: u64,
    /// The day of the pledge.
    pub date: Date,
    /// The language.
    #[serde(default)]
    pub locale: Locale,
    /// The size.
    #[serde(default)]
    pub size: BadgeSize,
}

/// The most first names a class badge lists, each large enough to read on a phone; the rest
/// are counted as « + N autres ».
pub const CLASS_BADGE_NAMES: usize = 24;

/// A class pledge badge.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassBadgeSpec {
    /// The class, as its teacher named it.
    pub class_name: Label,
    /// The school.
    #[serde(default)]
    pub school: Option<Label>,
    /// How many people pledged (may exceed the names listed).
    pub count: u64,
    /// First names to list (the first [`CLASS_BADGE_NAMES`] are drawn).
    #[serde(default)]
    pub names: Vec<Name>,
    /// The day the class pledged.
    pub date: Date,
    /// The language.
    #[serde(default)]
    pub locale: Locale,
    /// A group (« Notre groupe s’engage! »: a cégep, adult education, a workplace), not a class.
    #[serde(default)]
    pub group: bool,
}

/// A certificate of recognition, landscape US Letter at 300 dpi (3300 x 2550).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateSpec {
    /// Who receives it.
    pub recipient: Name,
    /// Why.
    pub reason: Reason,
    /// Who gives it.
    pub giver: Name,
    /// The school or organism.
    #[serde(default)]
    pub organization: Option<Label>,
    /// The date written on it.
    pub date: Date,
    /// The language.
    #[serde(default)]
    pub locale: Locale,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Lossless, the default.
    #[default]
    Png,
    /// Smaller uploads.
    Jpeg,
}

impl FromStr for Format {
    type Err = RenderError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "png" => Ok(Self::Png),
            "jpeg" | "jpg" => Ok(Self::Jpeg),
            _ => Err(RenderError::Encode(format!("unknown format {s:?}: use png or jpeg"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_are_errors_not_cuts() {
        assert!(Name::parse(&"é".repeat(40)).is_ok());
        assert_eq!(Name::parse(&"é".repeat(41)), Err(RenderError::TooLong { field: "name", max: 40, got: 41 }));
        assert_eq!(Name::parse(" \u{200B} "), Err(RenderError::Empty { field: "name" }));
        // Graphemes, not code points: a family emoji is one character.
        assert!(Name::parse(&"👨‍👩‍👧‍👦".repeat(40)).is_ok());
    }
}
