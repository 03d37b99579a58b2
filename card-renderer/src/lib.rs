//! Ruban's card renderer: a description in, pixels and PNG/JPEG/PDF bytes out.
//!
//! Pure and synchronous: no network, no database, no async runtime. Fonts and art are compiled
//! in and loaded once into an [`Assets`] value shared (`Arc`) across threads.
//!
//! ```
//! use card_renderer::{Assets, CardSpec, Design, Locale, Name, render_card, encode};
//!
//! let assets = Assets::embedded()?;
//! let spec = CardSpec {
//!     to: Name::parse("Élodie")?,
//!     from: Some(Name::parse("Mme Tremblay")?),
//!     message: None, // a suggested message in the card's language
//!     design: Design::Encourager,
//!     locale: Locale::FrCa,
//! };
//! let png = encode::png(&render_card(&assets, &spec))?;
//! assert!(png.starts_with(b"\x89PNG"));
//! # Ok::<(), card_renderer::RenderError>(())
//! ```
#![warn(missing_docs)]

pub mod assets;
pub mod campaign;
pub mod draw;
pub mod encode;
pub mod error;
pub mod fonts;
pub mod i18n;
pub mod spec;
pub mod text;

pub use assets::Assets;
pub use campaign::Campaign;
pub use error::RenderError;
pub use spec::{
    BadgeSize, BadgeSpec, CardSpec, CertificateSpec, ClassBadgeSpec, Design, Format, Label, Locale,
    Message, Name, Reason,
};
pub use tiny_skia::Pixmap;

/// Draws an encouragement card (1080 x 1080).
pub fn render_card(assets: &Assets, spec: &CardSpec) -> Pixmap {
    draw::card::draw(assets, spec)
}
