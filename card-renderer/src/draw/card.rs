//! The encouragement card (1080 x 1080), in six designs.
//!
//! Everything that does not depend on the people (background, motif, panel, ribbon, headline,
//! footer) is drawn once per design and language and kept; a card copies it and draws the
//! recipient, the message and the signature.

use tiny_skia::Pixmap;

use super::paint::{TextBox, canvas, fill_circle, fill_rounded, gradient, stroke_rounded};
use crate::assets::Assets;
use crate::campaign::Campaign;
use crate::fonts::Style;
use crate::spec::{CardSpec, Design};
use crate::text::{Rect, Rgba};

/// Side of a card, px.
pub const SIZE: u32 = 1080;

/// A design's colours.
struct Palette {
    top: Rgba,
    bottom: Rgba,
    accent: Rgba,
    bubble: Rgba,
}

fn palette(d: Design) -> Palette {
    let p = |top, bottom, accent, bubble| Palette {
        top: Rgba::hex(top),
        bottom: Rgba::hex(bottom),
        accent: Rgba::hex(accent),
        bubble: Rgba::hex(bubble).alpha(46),
    };
    match d {
        Design::Celebrer => p(0xFF7A59, 0xFFC83D, 0xD9480F, 0xFFFFFF),
        Design::Reconnaitre => p(0x1E3A8A, 0x3C8DDE, 0x1E3A8A, 0xFFD45C),
        Design::Oser => p(0x5B21B6, 0xEC4899, 0x6D28D9, 0xFFFFFF),
        Design::Investir => p(0x0B6E4F, 0x2BA84A, 0x0B6E4F, 0xFFFFFF),
        Design::Reussir => p(0xB45309, 0xF2B705, 0x92400E, 0xFFF3C4),
        Design::Encourager => p(0xBE185D, 0xF472B6, 0xBE185D, 0xFFFFFF),
    }
}

/// Text colours on the white panel.
const INK: Rgba = Rgba::hex(0x1F2933);
const SOFT_INK: Rgba = Rgba::hex(0x52606D);

/// The recipient line.
const TO_BOX: TextBox =
    TextBox::line(Rect::new(110.0, 262.0, 860.0, 130.0), Style::Bold, 76.0, 34.0, INK).lines(2, 1.1);
/// The message.
const MESSAGE_BOX: TextBox =
    TextBox::line(Rect::new(120.0, 410.0, 840.0, 370.0), Style::Regular, 50.0, 24.0, INK).lines(9, 1.3);
/// The signature.
const FROM_BOX: TextBox = TextBox::line(Rect::new(140.0, 796.0, 800.0, 70.0), Style::Regular, 40.0, 22.0, SOFT_INK);

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
    TO_BOX.draw(pixmap, assets, &to);
    let message = match &spec.message {
        Some(m) => m.as_str().to_owned(),
        None => texts.suggestion(spec.locale, spec.to.as_str()),
    };
    MESSAGE_BOX.draw(pixmap, assets, &message);
    if let Some(from) = &spec.from {
        let signed = texts.get(spec.locale, "card-from", &[("name", from.as_str().into())]);
        FROM_BOX.draw(pixmap, assets, &signed);
    }
}

fn background(assets: &Assets, spec: &CardSpec, edition: Option<&Campaign>) -> Pixmap {
    let s = SIZE as f32;
    let pal = palette(spec.design);
    let mut pm = canvas(SIZE, SIZE);
    gradient(&mut pm, (0.0, 0.0), (s, s), pal.top, pal.bottom);
    // Soft bubbles give the background depth; each design places them differently.
    let n = spec.design.number() as f32;
    for i in 0..9 {
        let t = i as f32 * 1.7 + n;
        let x = (t * 211.0) % s;
        let y = (t * 137.0 + 60.0 * n) % s;
        let r = 30.0 + (t * 53.0) % 90.0;
        fill_circle(&mut pm, x, y, r, pal.bubble);
    }
    let panel = Rect::new(60.0, 60.0, 960.0, 960.0);
    fill_rounded(&mut pm, Rect::new(66.0, 72.0, 960.0, 960.0), 48.0, Rgba(0, 0, 0, 40));
    fill_rounded(&mut pm, panel, 48.0, Rgba::hex(0xFFFFFF));
    stroke_rounded(&mut pm, Rect::new(84.0, 84.0, 912.0, 912.0), 34.0, 3.0, pal.accent.alpha(60));
    // The motif, in the top right of the panel, and its echo, small, bottom left.
    assets.draw_art(&mut pm, spec.design.id(), 810.0, 96.0, 180.0, 180.0);
    assets.draw_art_rotated(&mut pm, spec.design.id(), 150.0, 930.0, 80.0, -12.0);
    // The ribbon hangs over the panel's top-left edge.
    assets.draw_art(&mut pm, "ribbon", 92.0, 28.0, 130.0, 195.0);
    let headline = assets.texts.get(spec.locale, &format!("card-headline-{}", spec.design.id()), &[]);
    TextBox::line(Rect::new(230.0, 110.0, 570.0, 150.0), Style::Display, 118.0, 56.0, pal.accent)
        .draw(&mut pm, assets, &headline);
    fill_rounded(&mut pm, Rect::new(250.0, 900.0, 580.0, 72.0), 36.0, pal.accent.alpha(28));
    TextBox::line(Rect::new(270.0, 904.0, 540.0, 64.0), Style::Bold, 30.0, 16.0, pal.accent).draw(
        &mut pm,
        assets,
        &super::footer(assets, edition, spec.locale),
    );
    pm
}
