//! The certificate of recognition: landscape US Letter at 300 dpi (3300 x 2550), to print.

use tiny_skia::Pixmap;

use super::paint::{TextBox, canvas, gradient, line, stroke_rounded};
use crate::assets::Assets;
use crate::fonts::Style;
use crate::logo::Logo;
use crate::spec::CertificateSpec;
use crate::text::{Rect, Rgba};
use ruban_vocabulary::campaign::Campaign;

/// Width at 300 dpi (11 in).
pub const WIDTH: u32 = 3300;
/// Height at 300 dpi (8.5 in).
pub const HEIGHT: u32 = 2550;

const DARK: Rgba = Rgba::hex(0x0B6E4F);
const GREEN: Rgba = Rgba::hex(0x2BA84A);
const GOLD: Rgba = Rgba::hex(0xD4A017);
const INK: Rgba = Rgba::hex(0x1F2933);
const SOFT: Rgba = Rgba::hex(0x52606D);

/// Where a school's or a region's logo goes: between the signature and the date.
pub const LOGO_AREA: Rect = Rect::new(1500.0, 1780.0, 300.0, 300.0);

/// Draws a certificate.
pub fn draw(assets: &Assets, spec: &CertificateSpec, edition: Option<&Campaign>) -> Pixmap {
    draw_with_logo(assets, spec, edition, None)
}

/// Draws a certificate with a school's or a region's logo between the signature and the date.
pub fn draw_with_logo(
    assets: &Assets,
    spec: &CertificateSpec,
    edition: Option<&Campaign>,
    logo: Option<&Logo>,
) -> Pixmap {
    let key = format!("certificate/{}/{}", spec.locale.tag(), super::edition_key(edition));
    let mut pm = (*assets.layer(&key, || background(assets, spec, edition))).clone();
    let t = &assets.texts;
    let l = spec.locale;
    TextBox::line(Rect::new(500.0, 930.0, 2300.0, 260.0), Style::Bold, 210.0, 90.0, INK).draw(
        &mut pm,
        assets,
        &super::typography(l, spec.recipient.as_str()),
    );
    TextBox::line(Rect::new(560.0, 1290.0, 2180.0, 330.0), Style::Regular, 96.0, 44.0, INK).lines(3, 1.25).draw(
        &mut pm,
        assets,
        &super::typography(l, spec.reason.as_str()),
    );
    if let Some(org) = &spec.organization {
        TextBox::line(Rect::new(560.0, 1640.0, 2180.0, 110.0), Style::Bold, 80.0, 40.0, DARK).draw(
            &mut pm,
            assets,
            &super::typography(l, org.as_str()),
        );
    }
    if let Some(logo) = logo {
        let a = LOGO_AREA;
        logo.draw(&mut pm, a.x, a.y, a.w, a.h);
    }
    // The signature line stays blank for the pen; under it, « Remis par » and the giver.
    let given = t.get(l, "certificate-given-by", &[]);
    TextBox::line(Rect::new(420.0, 1950.0, 1000.0, 64.0), Style::Regular, 52.0, 28.0, SOFT)
        .draw(&mut pm, assets, &given);
    TextBox::line(Rect::new(420.0, 2010.0, 1000.0, 110.0), Style::Bold, 84.0, 40.0, INK).draw(
        &mut pm,
        assets,
        &super::typography(l, spec.giver.as_str()),
    );
    // The date sits on its line, written without a weekday.
    TextBox::line(Rect::new(1880.0, 1810.0, 1000.0, 110.0), Style::Regular, 76.0, 36.0, INK).draw(
        &mut pm,
        assets,
        &super::typography(l, &t.date_short(l, spec.date)),
    );
    pm
}

fn background(assets: &Assets, spec: &CertificateSpec, edition: Option<&Campaign>) -> Pixmap {
    let (w, h) = (WIDTH as f32, HEIGHT as f32);
    let mut pm = canvas(WIDTH, HEIGHT);
    gradient(&mut pm, (0.0, 0.0), (w, h), Rgba::hex(0xFFFDF5), Rgba::hex(0xF4FBF1));
    // A double frame, green outside, gold inside.
    stroke_rounded(&mut pm, Rect::new(90.0, 90.0, w - 180.0, h - 180.0), 60.0, 36.0, DARK);
    stroke_rounded(&mut pm, Rect::new(150.0, 150.0, w - 300.0, h - 300.0), 40.0, 8.0, GOLD);
    // The corner medals, well inside the gold frame (its inner edge is at 154 px).
    for (x, y, deg) in [(330.0, 330.0, -16.0), (w - 330.0, 330.0, 16.0)] {
        assets.draw_art_rotated(&mut pm, "reconnaitre", x, y, 210.0, deg);
    }
    assets.draw_art(&mut pm, "ribbon", w / 2.0 - 150.0, 166.0, 300.0, 306.0);
    let t = &assets.texts;
    let l = spec.locale;
    TextBox::line(Rect::new(400.0, 480.0, 2500.0, 240.0), Style::Display, 200.0, 90.0, DARK).draw(
        &mut pm,
        assets,
        &t.get(l, "certificate-title", &[]),
    );
    TextBox::line(Rect::new(400.0, 710.0, 2500.0, 110.0), Style::Regular, 88.0, 40.0, GREEN).draw(
        &mut pm,
        assets,
        &t.get(l, "certificate-subtitle", &[]),
    );
    TextBox::line(Rect::new(400.0, 840.0, 2500.0, 90.0), Style::Regular, 64.0, 30.0, SOFT).draw(
        &mut pm,
        assets,
        &t.get(l, "certificate-presented", &[]),
    );
    line(&mut pm, (700.0, 1200.0), (w - 700.0, 1200.0), 5.0, GOLD);
    // The signature and date lines; the giver's name and the date's caption go under them.
    line(&mut pm, (420.0, 1930.0), (1420.0, 1930.0), 5.0, INK);
    line(&mut pm, (1880.0, 1930.0), (2880.0, 1930.0), 5.0, INK);
    TextBox::line(Rect::new(1880.0, 1950.0, 1000.0, 64.0), Style::Regular, 52.0, 28.0, SOFT).draw(
        &mut pm,
        assets,
        &t.get(l, "certificate-date", &[]),
    );
    // The campaign line and the footer, above the frame's bottom edge.
    super::campaign_line(&mut pm, assets, edition, l, Rect::new(300.0, 2180.0, 2700.0, 124.0), 76.0, DARK);
    TextBox::line(Rect::new(400.0, 2300.0, 2500.0, 70.0), Style::Regular, 54.0, 28.0, GREEN).draw(
        &mut pm,
        assets,
        &super::footer(assets, edition, l),
    );
    pm
}
