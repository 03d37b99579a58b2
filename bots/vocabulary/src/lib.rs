//! Ruban's vocabulary: the words every crate shares, at the bottom of the crate graph.
//!
//! The two languages ([`Locale`]), the card designs ([`Design`]), the campaigns and the
//! [`Calendar`] that picks today's, Quebec's regions ([`Region`]), numbers as each language
//! writes them ([`format_number`]) and the one [`clock`]. The renderer draws with these words,
//! the store keeps them, the core decides with them and the adapters speak them; none of those
//! needs another's crate to name a language or a campaign.
//!
//! No drawing, no database, no async runtime, no network: serde, time and toml only.
#![warn(missing_docs)]

pub mod campaign;
pub mod clock;
pub mod design;
pub mod error;
pub mod locale;
pub mod number;
pub mod regions;

pub use campaign::{Calendar, Campaign, NewEdition, Season};
pub use clock::Clock;
pub use design::Design;
pub use error::VocabularyError;
pub use locale::Locale;
pub use number::format_number;
pub use regions::Region;
