//! Ruban's card renderer: a description in, pixels and PNG/JPEG/PDF bytes out.
//!
//! Pure and synchronous: no network, no database, no async runtime. Fonts and art are compiled
//! in and loaded once into an [`Assets`] value shared (`Arc`) across threads.
//!
//! ```
//! use card_renderer::{Assets, CardSpec, Name, render_card, encode};
//! use ruban_vocabulary::{Design, Locale};
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
pub mod draw;
pub mod encode;
pub mod error;
pub mod fonts;
pub mod i18n;
pub mod logo;
pub mod photo;
pub mod scratch;
pub mod spec;
pub mod text;

pub use assets::Assets;
pub use draw::report::{REPORT_SIZE, ReportChart, ReportSpec};
pub use draw::wall::{ChartSpec, WallSpec};
pub use error::RenderError;
pub use logo::Logo;
use ruban_vocabulary::{Campaign, Locale};
pub use scratch::recycle;
pub use spec::{BadgeSize, BadgeSpec, CardSpec, CertificateSpec, ClassBadgeSpec, Format, Label, Message, Name, Reason};
pub use tiny_skia::Pixmap;

/// The first character of `text` that no bundled font (nor picture) can draw, in the regular
/// or the bold style: what the bot refuses, naming it, before drawing a card that would show
/// the replacement diamond. `None` when every character can be drawn.
///
/// ```
/// # let assets = card_renderer::Assets::embedded()?;
/// use card_renderer::first_undrawable;
/// assert_eq!(first_undrawable(&assets, "Bravo Zoé 💚🇶🇨 ᓄᓇᕕᒃ"), None);
/// assert_eq!(first_undrawable(&assets, "Alex \u{E000}!"), Some('\u{E000}'));
/// assert_eq!(first_undrawable(&assets, "a\u{10FFFD}\u{0301}"), Some('\u{10FFFD}'));
/// assert_eq!(first_undrawable(&assets, "Bravo \u{FFFD}"), Some('\u{FFFD}'));
/// # Ok::<(), card_renderer::RenderError>(())
/// ```
pub fn first_undrawable(assets: &Assets, text: &str) -> Option<char> {
    use unicode_segmentation::UnicodeSegmentation;
    text.graphemes(true).find_map(|g| {
        // The replacement diamond itself is what a card must never show.
        if let Some(c) = g.chars().find(|&c| c == fonts::REPLACEMENT) {
            return Some(c);
        }
        let drawn =
            [fonts::Style::Regular, fonts::Style::Bold].iter().all(|&style| assets.fonts.pick(style, g).is_some());
        if drawn {
            return None;
        }
        // Name the character no font has, not a combining mark or a joiner beside it.
        let missing = g.chars().find(|&c| {
            [fonts::Style::Regular, fonts::Style::Bold]
                .iter()
                .any(|&style| assets.fonts.pick(style, &c.to_string()).is_none())
        });
        missing.or_else(|| g.chars().next())
    })
}

/// Draws an encouragement card (1080 x 1080) carrying `assets.campaign`.
pub fn render_card(assets: &Assets, spec: &CardSpec) -> Pixmap {
    draw::card::draw(assets, spec, Some(&assets.campaign))
}

/// Draws an encouragement card carrying `edition` (today's campaign from a [`Calendar`]), or
/// no year at all when `None` (between campaigns, the next not announced).
pub fn render_card_in(assets: &Assets, spec: &CardSpec, edition: Option<&Campaign>) -> Pixmap {
    draw::card::draw(assets, spec, edition)
}

/// Draws a ribbon pledge badge (1080 x 1080 or 512 x 512) carrying `assets.campaign`.
pub fn render_badge(assets: &Assets, spec: &BadgeSpec) -> Pixmap {
    draw::badge::draw(assets, spec, Some(&assets.campaign))
}

/// Draws a ribbon pledge badge carrying `edition` (see [`render_card_in`]).
pub fn render_badge_in(assets: &Assets, spec: &BadgeSpec, edition: Option<&Campaign>) -> Pixmap {
    draw::badge::draw(assets, spec, edition)
}

/// Draws the campaign's one-page report (US Letter at 300 dpi, [`REPORT_SIZE`]).
pub fn render_report(assets: &Assets, spec: &ReportSpec) -> Pixmap {
    draw::report::draw_report(assets, spec)
}

/// Draws a class badge (1080 x 1080) carrying `assets.campaign`.
pub fn render_class_badge(assets: &Assets, spec: &ClassBadgeSpec) -> Pixmap {
    draw::class_badge::draw(assets, spec, Some(&assets.campaign))
}

/// Draws a class badge carrying `edition` (see [`render_card_in`]).
pub fn render_class_badge_in(assets: &Assets, spec: &ClassBadgeSpec, edition: Option<&Campaign>) -> Pixmap {
    draw::class_badge::draw(assets, spec, edition)
}

/// Draws a certificate of recognition (3300 x 2550, US Letter landscape at 300 dpi).
pub fn render_certificate(assets: &Assets, spec: &CertificateSpec) -> Pixmap {
    draw::certificate::draw(assets, spec, Some(&assets.campaign))
}

/// Draws a certificate carrying `edition` (see [`render_card_in`]).
pub fn render_certificate_in(assets: &Assets, spec: &CertificateSpec, edition: Option<&Campaign>) -> Pixmap {
    draw::certificate::draw(assets, spec, edition)
}

/// A certificate's size in pixels (US Letter, landscape, at 300 dpi).
pub const CERTIFICATE_WIDTH: u32 = draw::certificate::WIDTH;
/// See [`CERTIFICATE_WIDTH`].
pub const CERTIFICATE_HEIGHT: u32 = draw::certificate::HEIGHT;

/// Draws a certificate with a school's or a region's logo (see [`Logo::parse`]) between the
/// signature and the date, carrying `edition` (see [`render_card_in`]).
pub fn render_certificate_with_logo(
    assets: &Assets,
    spec: &CertificateSpec,
    edition: Option<&Campaign>,
    logo: Option<&Logo>,
) -> Pixmap {
    draw::certificate::draw_with_logo(assets, spec, edition, logo)
}

/// The certificate with a logo as a PDF (see [`render_certificate_with_logo`]).
pub fn certificate_pdf_with_logo(
    assets: &Assets,
    spec: &CertificateSpec,
    edition: Option<&Campaign>,
    logo: Option<&Logo>,
) -> Result<Vec<u8>, RenderError> {
    let title = assets.texts.get(spec.locale, "certificate-title", &[]);
    encode::pdf(&render_certificate_with_logo(assets, spec, edition, logo), 792.0, 612.0, &title)
}

/// The certificate as a one-page, landscape US Letter PDF.
pub fn certificate_pdf(assets: &Assets, spec: &CertificateSpec) -> Result<Vec<u8>, RenderError> {
    certificate_pdf_in(assets, spec, Some(&assets.campaign))
}

/// The certificate as a PDF, carrying `edition` (see [`render_card_in`]).
pub fn certificate_pdf_in(
    assets: &Assets,
    spec: &CertificateSpec,
    edition: Option<&Campaign>,
) -> Result<Vec<u8>, RenderError> {
    let title = assets.texts.get(spec.locale, "certificate-title", &[]);
    encode::pdf(&render_certificate_in(assets, spec, edition), 792.0, 612.0, &title)
}

/// Frames a photo (PNG, JPEG, WebP or the first frame of a GIF) as a 512 x 512 round avatar
/// with the ribbon. Fails with a typed error on an unreadable, truncated or oversized photo.
pub fn render_avatar(assets: &Assets, photo: &[u8], locale: Locale) -> Result<Pixmap, RenderError> {
    render_avatar_in(assets, photo, locale, Some(&assets.campaign))
}

/// The same, carrying `edition` (the campaign the caller's calendar picks; none between
/// campaigns): the renderer draws what it is handed, it owns no calendar.
pub fn render_avatar_in(
    assets: &Assets,
    photo: &[u8],
    locale: Locale,
    edition: Option<&Campaign>,
) -> Result<Pixmap, RenderError> {
    let image = photo::decode(photo)?;
    let caption = assets.texts.get(locale, "badge-title", &[]);
    draw::avatar::draw(assets, &image, &caption, locale, edition)
}

/// Frames a photo for Jeudi perséVERT (1080 x 1350 for a portrait photo, else 1080 x 1080):
/// the ribbon's green and white, « Jeudi perséVERT », the green wave's hashtag and the
/// campaign line of `edition` (none between campaigns). A JPEG is decoded at the smallest
/// scale that covers the frame ([`photo::decode_to_cover`]); the limits of [`photo`] hold.
pub fn render_green(
    assets: &Assets,
    photo: &[u8],
    locale: Locale,
    edition: Option<&Campaign>,
) -> Result<Pixmap, RenderError> {
    let mut height = draw::green::WIDTH;
    let image = photo::decode_to_cover(photo, |w, h| {
        height = draw::green::canvas_size(w, h).1;
        let area = draw::green::photo_area(height);
        (area.w as u32, area.h as u32)
    })?;
    Ok(draw::green::draw(assets, &image, height, locale, edition))
}

/// Draws the wall of support as an image (1080 x 1080).
pub fn render_wall(assets: &Assets, spec: &WallSpec) -> Pixmap {
    draw::wall::draw_wall(assets, spec, Some(&assets.campaign))
}

/// Draws the wall of support carrying `edition` (see [`render_card_in`]).
pub fn render_wall_in(assets: &Assets, spec: &WallSpec, edition: Option<&Campaign>) -> Pixmap {
    draw::wall::draw_wall(assets, spec, edition)
}

/// Draws a bar chart of totals (1200 x 800).
pub fn render_chart(assets: &Assets, spec: &ChartSpec) -> Pixmap {
    draw::wall::draw_chart(assets, spec)
}

/// Encodes a PNG and gives the pixmap back for the next drawing on this thread
/// ([`scratch`]): what the bots do with every card, badge and chart.
pub fn into_png(pixmap: Pixmap) -> Result<Vec<u8>, RenderError> {
    let png = encode::png(&pixmap);
    recycle(pixmap);
    png
}

/// Encodes in the chosen format (JPEG at quality 90).
pub fn encode_as(pixmap: &Pixmap, format: Format) -> Result<Vec<u8>, RenderError> {
    match format {
        Format::Png => encode::png(pixmap),
        Format::Jpeg => encode::jpeg(pixmap, 90),
    }
}
