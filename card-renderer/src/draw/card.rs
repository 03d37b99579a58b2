//! The encouragement card (1080 x 1080), in six designs.
//!
//! Everything that does not depend on the people (background, motif, panel, ribbon, headline,
//! footer) is drawn once per design and language and kept; a card copies it and draws the
//! recipient, the message and the signature.

use tiny_skia::Pixmap;

use super::WhiteFooter;
use super::paint::{TextBox, canvas, fill_circle, fill_rounded, gradient, shade_below, stroke_rounded};
use crate::assets::Assets;
use crate::fonts::Style;
use crate::spec::{CardSpec, Design};
use crate::text::{Rect, Rgba};
use ruban_vocabulary::campaign::Campaign;

/// Side of a card, px.
pub const SIZE: u32 = 1080;

/// The campaign's greens: every card stands on them, whatever its design.
pub(crate) const GREEN_DARK: Rgba = Rgba::hex(0x0B6E4F);
pub(crate) const GREEN: Rgba = Rgba::hex(0x2BA84A);

/// A design's own colours, its accents on the campaign's green: the headline and the panel's
/// edge (`accent`), the confetti-like bubbles on the green (`bubble`).
struct Palette {
    accent: Rgba,
    bubble: Rgba,
}

fn palette(d: Design) -> Palette {
    let p = |accent, bubble| Palette { accent: Rgba::hex(accent), bubble: Rgba::hex(bubble).alpha(56) };
    match d {
        Design::Celebrer => p(0xD9480F, 0xFFA94D),
        Design::Reconnaitre => p(0x1E3A8A, 0xFFD45C),
        Design::Oser => p(0x6D28D9, 0xF9A8D4),
        Design::Investir => p(0x0B6E4F, 0xC6F6D5),
        Design::Reussir => p(0xB45309, 0xFDE68A),
        Design::Encourager => p(0xBE185D, 0xF9A8D4),
        Design::Merci => p(0x15803D, 0xFBCFE8),
    }
}

/// Text colours on the white panel.
const INK: Rgba = Rgba::hex(0x1F2933);
const SOFT_INK: Rgba = Rgba::hex(0x52606D);

/// The white panel; under it, on the green, the campaign line and the footer.
const PANEL: Rect = Rect::new(44.0, 44.0, 992.0, 820.0);
/// The recipient line.
const TO_BOX: TextBox =
    TextBox::line(Rect::new(100.0, 236.0, 880.0, 124.0), Style::Bold, 76.0, 34.0, INK).lines(2, 1.1);
/// The message: a short one is drawn large (up to 136 px), a long one shrinks to fit.
const MESSAGE_BOX: TextBox =
    TextBox::line(Rect::new(100.0, 372.0, 880.0, 380.0), Style::Regular, 136.0, 24.0, INK).lines(9, 1.22);
/// The signature.
const FROM_BOX: TextBox = TextBox::line(Rect::new(130.0, 766.0, 820.0, 70.0), Style::Regular, 42.0, 22.0, SOFT_INK);

/// Where the text of each part may go, for tests that check nothing inks outside its box.
pub fn text_areas() -> [Rect; 3] {
    [TO_BOX.area, MESSAGE_BOX.area, FROM_BOX.area]
}

/// Draws a card.
pub fn draw(assets: &Assets, spec: &CardSpec, edition: Option<&Campaign>) -> Pixmap {
    let key = format!("card/{}/{}/{}", spec.design.id(), spec.locale.tag(), super::edition_key(edition));
    let background = assets.layer(&key, || background(assets, spec, edition));
    let mut pixmap = crate::scratch::copy_of(&background);
    draw_people_texts(&mut pixmap, assets, spec);
    pixmap
}

/// Draws what people wrote (recipient, message, signature), each inside its box in
/// [`text_areas`]; public so tests can draw them alone and check no pixel leaves its box.
pub fn draw_people_texts(pixmap: &mut Pixmap, assets: &Assets, spec: &CardSpec) {
    let texts = &assets.texts;
    let to = texts.get(spec.locale, "card-to", &[("name", spec.to.as_str().into())]);
    TO_BOX.draw(pixmap, assets, &super::typography(spec.locale, &to));
    let message = match &spec.message {
        Some(m) => m.as_str().to_owned(),
        None => texts.suggestion(spec.locale, spec.to.as_str()),
    };
    MESSAGE_BOX.draw(pixmap, assets, &super::typography(spec.locale, &message));
    if let Some(from) = &spec.from {
        let signed = texts.get(spec.locale, "card-from", &[("name", from.as_str().into())]);
        FROM_BOX.draw(pixmap, assets, &super::typography(spec.locale, &signed));
    }
}

/// Where the campaign line and the footer go, white on the green under the panel.
const WHITE_FOOTER: WhiteFooter =
    WhiteFooter { line: Rect::new(50.0, 876.0, 980.0, 112.0), footer: Rect::new(70.0, 994.0, 940.0, 60.0) };

fn background(assets: &Assets, spec: &CardSpec, edition: Option<&Campaign>) -> Pixmap {
    let mut pm = art(assets, spec);
    // Under the panel, on the green: the campaign line, then the hashtag and the theme.
    WHITE_FOOTER.draw(&mut pm, assets, edition, spec.locale);
    pm
}

/// Everything but the campaign's texts: the green, the design's bubbles, the shade the
/// white footer stands on, the panel, its art and headline.
fn art(assets: &Assets, spec: &CardSpec) -> Pixmap {
    let s = SIZE as f32;
    let pal = palette(spec.design);
    let mut pm = canvas(SIZE, SIZE);
    gradient(&mut pm, (0.0, 0.0), (s, s), GREEN_DARK, GREEN);
    // The design's bubbles on the green give it depth; each design places them differently.
    let n = spec.design.number() as f32;
    for i in 0..9 {
        let t = i as f32 * 1.7 + n;
        let x = (t * 211.0) % s;
        let y = (t * 137.0 + 60.0 * n) % s;
        let r = 30.0 + (t * 53.0) % 90.0;
        fill_circle(&mut pm, x, y, r, pal.bubble);
    }
    // The gradient's light end and the bubbles gave the white footer 3.1–3.7:1; shaded, it
    // reads at 4.5:1 or more everywhere (a test measures every pixel behind it).
    shade_below(&mut pm, 800.0, 872.0, GREEN_DARK, 205);
    let shadow = Rect::new(PANEL.x + 6.0, PANEL.y + 10.0, PANEL.w, PANEL.h);
    fill_rounded(&mut pm, shadow, 44.0, Rgba(0, 0, 0, 50));
    fill_rounded(&mut pm, PANEL, 44.0, Rgba::hex(0xFFFFFF));
    stroke_rounded(&mut pm, Rect::new(62.0, 62.0, 956.0, 784.0), 30.0, 6.0, pal.accent.alpha(150));
    // The ribbon on the panel's top left, the design's motif on its top right.
    assets.draw_art(&mut pm, "ribbon", 78.0, 74.0, 130.0, 160.0);
    assets.draw_art(&mut pm, spec.design.id(), 842.0, 78.0, 150.0, 150.0);
    let headline = assets.texts.get(spec.locale, &format!("card-headline-{}", spec.design.id()), &[]);
    TextBox::line(Rect::new(214.0, 84.0, 620.0, 150.0), Style::Display, 118.0, 56.0, pal.accent)
        .draw(&mut pm, assets, &headline);
    pm
}

#[cfg(test)]
mod tests {
    use super::{WHITE_FOOTER, art};
    use crate::spec::{CardSpec, Design, Locale};
    use crate::{Assets, Name};

    /// Issue 35: the campaign line and the footer, small white text, read at 4.5:1 (WCAG AA)
    /// on every pixel behind them, in every design.
    #[test]
    fn the_white_footer_reads_at_4_5_to_1_on_every_design() {
        let assets = Assets::embedded().expect("bundled assets");
        for design in Design::ALL {
            let spec =
                CardSpec { to: Name::parse("Léa").unwrap(), from: None, message: None, design, locale: Locale::FrCa };
            let worst = crate::draw::contrast::worst(&art(&assets, &spec), &WHITE_FOOTER.areas());
            assert!(worst >= 4.5, "{design:?}: the footer's white reads at {worst:.2}:1 somewhere");
        }
    }
}
