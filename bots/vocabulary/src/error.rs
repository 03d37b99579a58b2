//! The vocabulary's one error type.

/// A word the vocabulary does not know, or a data file it cannot accept.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
#[non_exhaustive]
pub enum VocabularyError {
    /// An unknown design name or number.
    #[error(
        "unknown design {0:?}: use a number from 1 to 7 or one of celebrer, reconnaitre, oser, investir, reussir, encourager, merci"
    )]
    UnknownDesign(String),
    /// An unknown locale.
    #[error("unknown language {0:?}: use fr-CA or en-CA")]
    UnknownLocale(String),
    /// A campaign file (or a folder of them) is invalid; every problem names the file and field.
    #[error("campaign data is invalid: {0}")]
    Campaign(String),
    /// `RUBAN_TODAY` is not a date.
    #[error("{0}")]
    Today(String),
    /// The regions file is invalid.
    #[error("regions: {0}")]
    Regions(String),
}
