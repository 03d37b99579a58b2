//! The card designs.

use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::VocabularyError;

/// The card designs: six for the campaign's verbs, and « Merci » for the adults who help.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Design {
    /// Célébrer: confetti and streamers.
    #[default]
    Celebrer,
    /// Reconnaître: a medal and laurels.
    Reconnaitre,
    /// Oser: a mountain and its flag.
    Oser,
    /// Investir: a growing seedling.
    Investir,
    /// Réussir: stars and a trophy.
    Reussir,
    /// Encourager: hearts.
    Encourager,
    /// Merci: a bouquet tied with the ribbon, for the adults around a young person (parents,
    /// teachers, coaches, employers).
    Merci,
}

impl Design {
    /// All designs, in the campaign's order (their numbers are 1 to 7).
    pub const ALL: [Design; 7] =
        [Self::Celebrer, Self::Reconnaitre, Self::Oser, Self::Investir, Self::Reussir, Self::Encourager, Self::Merci];

    /// The identifier used in files, commands and Fluent ids.
    pub fn id(self) -> &'static str {
        match self {
            Self::Celebrer => "celebrer",
            Self::Reconnaitre => "reconnaitre",
            Self::Oser => "oser",
            Self::Investir => "investir",
            Self::Reussir => "reussir",
            Self::Encourager => "encourager",
            Self::Merci => "merci",
        }
    }

    /// 1-based number.
    pub fn number(self) -> usize {
        Self::ALL.iter().position(|&d| d == self).map_or(1, |i| i + 1)
    }
}

impl FromStr for Design {
    type Err = VocabularyError;
    /// Accepts a number (1–7), the French verb with or without accents (composed or not), or
    /// its English twin; spaces around and invisible characters are ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let folded: String = s
            .trim()
            .to_lowercase()
            .chars()
            .filter_map(|c| match c {
                'é' | 'è' | 'ê' => Some('e'),
                'î' => Some('i'),
                // Combining accents (a decomposed « é »), controls and format characters.
                '\u{300}'..='\u{36F}' => None,
                c if c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}') => {
                    None
                }
                other => Some(other),
            })
            .collect();
        let d = match folded.as_str() {
            "1" | "celebrer" | "celebrate" => Self::Celebrer,
            "2" | "reconnaitre" | "recognize" | "recognise" => Self::Reconnaitre,
            "3" | "oser" | "dare" => Self::Oser,
            "4" | "investir" | "invest" => Self::Investir,
            "5" | "reussir" | "succeed" => Self::Reussir,
            "6" | "encourager" | "encourage" => Self::Encourager,
            "7" | "merci" | "remercier" | "thanks" | "thank-you" | "thankyou" | "thank" => Self::Merci,
            _ => return Err(VocabularyError::UnknownDesign(s.to_owned())),
        };
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn designs_parse_forgivingly() {
        assert_eq!("Réussir".parse::<Design>(), Ok(Design::Reussir));
        assert_eq!("Re\u{301}ussir".parse::<Design>(), Ok(Design::Reussir));
        assert_eq!(" 3\u{200B}".parse::<Design>(), Ok(Design::Oser));
        assert_eq!("encourage".parse::<Design>(), Ok(Design::Encourager));
        assert_eq!("Merci".parse::<Design>(), Ok(Design::Merci));
        assert_eq!("thank-you".parse::<Design>(), Ok(Design::Merci));
        assert!("8".parse::<Design>().is_err());
        for d in Design::ALL {
            assert_eq!(d.number().to_string().parse::<Design>(), Ok(d));
            assert_eq!(d.id().parse::<Design>(), Ok(d));
        }
    }
}
