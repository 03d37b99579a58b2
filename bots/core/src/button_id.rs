//! The ids of the buttons the core sends, typed: made and read here only, so a button made by
//! one command, in one process, means the same thing when it is clicked in another process or on
//! another platform. Encoded as short ASCII (`j:<code>`, `r:g:06`, `w:42`): Telegram keeps at
//! most 64 bytes of a button's data, and old buttons already sent keep working.

use std::fmt;

use ruban_store::AgeGroup;

/// What a button does when it is clicked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ButtonId {
    /// « Je m’engage » under a class's counter (`j:<code>`).
    JoinClass(String),
    /// The opener's « Fermer la classe » (`x:<code>`).
    CloseClass(String),
    /// Forget-me's confirmation: yes or no (`f:1`, `f:0`).
    Forget(bool),
    /// After a pledge: may the name appear on the wall (`r:w:1`, `r:w:0`).
    WallConsent(bool),
    /// After a pledge: the region, by code (`r:g:<code>`).
    Region(String),
    /// After a pledge: young person, adult, or rather not say (`r:a:y`, `r:a:a`, `r:a:n`).
    AgeGroup(Option<AgeGroup>),
    /// « Signaler » under a card (`s:<card id>`).
    Report(i64),
    /// « Afficher sur le babillard » under a card with a message (`w:<card id>`).
    PostToWall(i64),
}

impl ButtonId {
    /// The id as platforms carry it.
    pub fn encode(&self) -> String {
        self.to_string()
    }

    /// A clicked id, or `None` for an id the core never makes.
    pub fn parse(id: &str) -> Option<Self> {
        let number = |s: &str| s.parse::<i64>().ok().filter(|n| *n > 0 && s.bytes().all(|b| b.is_ascii_digit()));
        let mut parts = id.splitn(3, ':');
        Some(match (parts.next()?, parts.next()?, parts.next()) {
            ("j", code, None) if !code.is_empty() => Self::JoinClass(code.to_owned()),
            ("x", code, None) if !code.is_empty() => Self::CloseClass(code.to_owned()),
            ("f", "1", None) => Self::Forget(true),
            ("f", "0", None) => Self::Forget(false),
            ("r", "w", Some("1")) => Self::WallConsent(true),
            ("r", "w", Some("0")) => Self::WallConsent(false),
            ("r", "g", Some(code)) if !code.is_empty() => Self::Region(code.to_owned()),
            ("r", "a", Some("y")) => Self::AgeGroup(Some(AgeGroup::Youth)),
            ("r", "a", Some("a")) => Self::AgeGroup(Some(AgeGroup::Adult)),
            ("r", "a", Some("n")) => Self::AgeGroup(None),
            ("s", id, None) => Self::Report(number(id)?),
            ("w", id, None) => Self::PostToWall(number(id)?),
            _ => return None,
        })
    }
}

impl fmt::Display for ButtonId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::JoinClass(code) => write!(f, "j:{code}"),
            Self::CloseClass(code) => write!(f, "x:{code}"),
            Self::Forget(yes) => write!(f, "f:{}", u8::from(*yes)),
            Self::WallConsent(yes) => write!(f, "r:w:{}", u8::from(*yes)),
            Self::Region(code) => write!(f, "r:g:{code}"),
            Self::AgeGroup(Some(AgeGroup::Youth)) => f.write_str("r:a:y"),
            Self::AgeGroup(Some(AgeGroup::Adult)) => f.write_str("r:a:a"),
            Self::AgeGroup(None) => f.write_str("r:a:n"),
            Self::Report(id) => write!(f, "s:{id}"),
            Self::PostToWall(id) => write!(f, "w:{id}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_button_reads_back_as_itself_and_fits_telegram() {
        let all = [
            ButtonId::JoinClass("k7gcnnmv6vxem6zsg".into()),
            ButtonId::CloseClass("k7gcnnmv6vxem6zsg".into()),
            ButtonId::Forget(true),
            ButtonId::Forget(false),
            ButtonId::WallConsent(true),
            ButtonId::WallConsent(false),
            ButtonId::Region("06".into()),
            ButtonId::AgeGroup(Some(AgeGroup::Youth)),
            ButtonId::AgeGroup(Some(AgeGroup::Adult)),
            ButtonId::AgeGroup(None),
            ButtonId::Report(i64::MAX),
            ButtonId::PostToWall(42),
        ];
        for b in all {
            let id = b.encode();
            assert!(id.len() <= 64, "{id}");
            assert_eq!(ButtonId::parse(&id), Some(b), "{id}");
        }
        // The ids of buttons already sent read the same.
        assert_eq!(ButtonId::parse("r:g:NUN"), Some(ButtonId::Region("NUN".into())));
        assert_eq!(ButtonId::parse("w:7"), Some(ButtonId::PostToWall(7)));
    }

    #[test]
    fn ids_the_core_never_makes_mean_nothing() {
        for id in
            ["", "j", "j:", "x:", "f:2", "r:w:2", "r:g:", "r:a:x", "s:", "s:-1", "s:0", "s:+4", "w:1e3", "z:1", "j:a:b"]
        {
            assert_eq!(ButtonId::parse(id), None, "{id}");
        }
    }
}
