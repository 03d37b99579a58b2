//! One module per kind of image, over shared painting primitives.

pub mod avatar;
pub mod badge;
pub mod card;
pub mod certificate;
pub mod class_badge;
pub mod paint;
pub mod wall;

use crate::assets::Assets;
use crate::campaign::Campaign;
use crate::spec::Locale;

/// The footer of an image: the campaign's hashtag and theme, or, between campaigns when none
/// is announced, the name of the Journées alone (no past year on anything new).
pub(crate) fn footer(assets: &Assets, edition: Option<&Campaign>, locale: Locale) -> String {
    match edition {
        Some(c) => c.footer(locale),
        None => assets.texts.get(locale, "footer-no-campaign", &[]),
    }
}

/// The hashtag drawn on a badge: the campaign's, or the year-less one between campaigns.
pub(crate) fn hashtag(assets: &Assets, edition: Option<&Campaign>, locale: Locale) -> String {
    match edition {
        Some(c) => c.hashtag.clone(),
        None => assets.texts.get(locale, "hashtag-no-campaign", &[]),
    }
}

/// The part of a cached layer's key that says which campaign it carries.
pub(crate) fn edition_key(edition: Option<&Campaign>) -> String {
    edition.map_or_else(|| "none".to_owned(), |c| c.year.to_string())
}
