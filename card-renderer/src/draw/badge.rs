//! The ribbon pledge badge: the ribbon, « Je porte le ruban » and its subtitle, the public name, the pledge's
//! number riding the green wave, the date and the hashtag. Drawn at 1080 px and scaled
//! geometry for 512 px (a profile picture), not a downscaled bitmap, so text stays crisp.

use tiny_skia::Pixmap;

use super::paint::{TextBox, canvas, fill_circle, gradient, wave};
use crate::assets::Assets;
use crate::fonts::Style;
use crate::spec::BadgeSpec;
use crate::text::{Rect, Rgba};
use ruban_vocabulary::campaign::Campaign;
use ruban_vocabulary::format_number;

const DARK: Rgba = Rgba::hex(0x0B6E4F);
const GREEN: Rgba = Rgba::hex(0x2BA84A);
const WHITE: Rgba = Rgba::hex(0xFFFFFF);

/// The public name, above the green wave: its box ends before the wave's highest crest
/// ([`WAVE_TOP`]), so no descender touches it (« Guy Pépin-Jégou » did).
const NAME_BOX: Rect = Rect::new(90.0, 522.0, 900.0, 58.0);
/// The first wave's line and swell; its highest point is [`WAVE_TOP`].
const WAVE_LINE: f32 = 606.0;
const WAVE_SWELL: f32 = 22.0;
/// The highest point of the first wave, for the test that keeps names clear of it.
#[cfg(test)]
const WAVE_TOP: f32 = WAVE_LINE - WAVE_SWELL;

/// Draws a badge.
pub fn draw(assets: &Assets, spec: &BadgeSpec, edition: Option<&Campaign>) -> Pixmap {
    let px = spec.size.pixels();
    let s = px as f32 / 1080.0;
    let key = format!("badge/{px}/{}/{}", spec.locale.tag(), super::edition_key(edition));
    let mut pm = (*assets.layer(&key, || background(assets, spec, s, edition))).clone();
    if let Some(name) = &spec.name {
        TextBox::line(NAME_BOX, Style::Bold, 56.0, 28.0, Rgba::hex(0x1F2933)).scaled(s).draw(
            &mut pm,
            assets,
            name.as_str(),
        );
    }
    let number =
        assets.texts.get(spec.locale, "badge-number", &[("number", format_number(spec.locale, spec.number).into())]);
    TextBox::line(Rect::new(140.0, 636.0, 800.0, 148.0), Style::Bold, 132.0, 40.0, WHITE).scaled(s).draw(
        &mut pm,
        assets,
        &super::typography(spec.locale, &number),
    );
    let date = assets.texts.date(spec.locale, spec.date);
    TextBox::line(Rect::new(140.0, 796.0, 800.0, 56.0), Style::Regular, 40.0, 20.0, WHITE).scaled(s).draw(
        &mut pm,
        assets,
        &super::typography(spec.locale, &date),
    );
    pm
}

fn background(assets: &Assets, spec: &BadgeSpec, s: f32, edition: Option<&Campaign>) -> Pixmap {
    let px = spec.size.pixels();
    let mut pm = canvas(px, px);
    let f = px as f32;
    gradient(&mut pm, (0.0, 0.0), (0.0, f), Rgba::hex(0xF3FFF6), Rgba::hex(0xD5F5DE));
    fill_circle(&mut pm, f / 2.0, 212.0 * s, 184.0 * s, WHITE);
    fill_circle(&mut pm, f / 2.0, 212.0 * s, 174.0 * s, GREEN.alpha(30));
    assets.draw_art(&mut pm, "ribbon", 420.0 * s, 56.0 * s, 240.0 * s, 312.0 * s);
    // The green wave: three layers, the number rides the front one.
    wave(&mut pm, WAVE_LINE * s, f, WAVE_SWELL * s, 1.5, 0.8, GREEN.alpha(90));
    wave(&mut pm, 630.0 * s, f, 18.0 * s, 1.2, 2.2, GREEN);
    wave(&mut pm, 784.0 * s, f, 10.0 * s, 2.0, 0.0, DARK);
    let title = assets.texts.get(spec.locale, "badge-title", &[]);
    TextBox::line(Rect::new(90.0, 394.0, 900.0, 90.0), Style::Display, 88.0, 40.0, DARK)
        .scaled(s)
        .draw(&mut pm, assets, &title);
    let subtitle = assets.texts.get(spec.locale, "badge-subtitle", &[]);
    TextBox::line(Rect::new(90.0, 482.0, 900.0, 46.0), Style::Regular, 38.0, 18.0, DARK)
        .scaled(s)
        .draw(&mut pm, assets, &subtitle);
    // The campaign line, then the hashtag, on the dark wave.
    super::campaign_line(
        &mut pm,
        assets,
        edition,
        spec.locale,
        Rect::new(50.0, 860.0, 980.0, 108.0).scaled(s),
        44.0 * s,
        WHITE,
    );
    TextBox::line(Rect::new(140.0, 976.0, 800.0, 66.0), Style::Bold, 40.0, 20.0, WHITE.alpha(230)).scaled(s).draw(
        &mut pm,
        assets,
        &super::hashtag(assets, edition, spec.locale),
    );
    pm
}

#[cfg(test)]
mod tests {
    use super::{WAVE_TOP, draw};
    use crate::spec::{BadgeSize, BadgeSpec, Locale};
    use crate::{Assets, Name};

    /// Issue 35: a public name keeps clear of the green wave, descenders included, at both
    /// sizes: every pixel the name changes lies above the wave's highest crest.
    #[test]
    fn names_keep_clear_of_the_wave() {
        let assets = Assets::embedded().expect("bundled assets");
        for size in [BadgeSize::Large, BadgeSize::Small] {
            for name in ["Guy Pépin-Jégou", "Jojo", "Maëlle-Joy Gagnon-Pagé"] {
                let spec = |name: Option<Name>| BadgeSpec {
                    name,
                    number: 1234,
                    date: time::macros::date!(2026 - 02 - 19),
                    locale: Locale::FrCa,
                    size,
                };
                let (with, without) =
                    (draw(&assets, &spec(Some(Name::parse(name).unwrap())), None), draw(&assets, &spec(None), None));
                let s = with.width() as f32 / 1080.0;
                let lowest = (0..with.height())
                    .rev()
                    .find(|&y| (0..with.width()).any(|x| with.pixel(x, y) != without.pixel(x, y)))
                    .expect("the name is drawn");
                assert!(
                    (lowest as f32) < WAVE_TOP * s - 1.0,
                    "{name} at {size:?}: ink at row {lowest}, the wave starts at {}",
                    WAVE_TOP * s
                );
            }
        }
    }
}
