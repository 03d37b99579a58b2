//! The renderer's one error type.

/// Everything that can go wrong when describing or rendering an image.
///
/// Variants name the bad input first so callers can turn them into localised messages.
#[derive(Debug, thiserror::Error, PartialEq)]
#[non_exhaustive]
pub enum RenderError {
    /// A required text is empty once cleaned.
    #[error("{field} is empty")]
    Empty {
        /// Which field.
        field: &'static str,
    },
    /// A text has more user-perceived characters than its cap.
    #[error("{field} has {got} characters, at most {max} are allowed")]
    TooLong {
        /// Which field.
        field: &'static str,
        /// The cap, in graphemes.
        max: usize,
        /// What was given, in graphemes after cleaning.
        got: usize,
    },
    /// Too many names on a class badge or in a batch.
    #[error("{field} has {got} entries, at most {max} are allowed")]
    TooMany {
        /// Which field.
        field: &'static str,
        /// The cap.
        max: usize,
        /// What was given.
        got: usize,
    },
    /// A photo bigger than the renderer accepts.
    #[error("photo is {width} x {height} pixels, at most {max_megapixels} megapixels are allowed")]
    PhotoTooLarge {
        /// Declared width.
        width: u32,
        /// Declared height.
        height: u32,
        /// The cap.
        max_megapixels: u32,
    },
    /// A photo that is not a readable PNG, JPEG, WebP or GIF.
    #[error("photo cannot be read: {0}")]
    BadPhoto(String),
    /// A logo that is not a readable PNG, JPEG, WebP, GIF or SVG file.
    #[error("logo cannot be read: {0}")]
    BadLogo(String),
    /// A locale file is invalid or lacks a message.
    #[error("locale data is invalid: {0}")]
    Locale(String),
    /// Encoding the output failed.
    #[error("cannot encode the image: {0}")]
    Encode(String),
}
