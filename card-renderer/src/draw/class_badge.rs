//! The class badge: the class, its school, how many pledged, and up to 40 first names laid out
//! in balanced columns, with « + 12 autres » beyond.

use tiny_skia::Pixmap;

use super::paint::{TextBox, canvas, fill_rounded, gradient, wave};
use crate::assets::Assets;
use crate::campaign::Campaign;
use crate::fonts::Style;
use crate::i18n::format_number;
use crate::spec::{CLASS_BADGE_NAMES, ClassBadgeSpec};
use crate::text::{Rect, Rgba, TextSpec, VAlign, draw_layout, layout};

const DARK: Rgba = Rgba::hex(0x0B6E4F);
const GREEN: Rgba = Rgba::hex(0x2BA84A);
const INK: Rgba = Rgba::hex(0x1F2933);

/// The area the names may use.
pub const NAMES_AREA: Rect = Rect::new(110.0, 470.0, 860.0, 360.0);

/// Draws a class badge.
pub fn draw(assets: &Assets, spec: &ClassBadgeSpec, edition: Option<&Campaign>) -> Pixmap {
    let key = format!("class/{}/{}", spec.locale.tag(), super::edition_key(edition));
    let mut pm = (*assets.layer(&key, || background(assets, spec, edition))).clone();
    let l = spec.locale;
    TextBox::line(Rect::new(120.0, 250.0, 840.0, 96.0), Style::Bold, 80.0, 30.0, INK).draw(
        &mut pm,
        assets,
        spec.class_name.as_str(),
    );
    if let Some(school) = &spec.school {
        TextBox::line(Rect::new(120.0, 342.0, 840.0, 50.0), Style::Regular, 40.0, 20.0, Rgba::hex(0x52606D)).draw(
            &mut pm,
            assets,
            school.as_str(),
        );
    }
    let count = assets.texts.get(
        l,
        "class-badge-count",
        &[("count", spec.count.into()), ("formatted", format_number(l, spec.count).into())],
    );
    fill_rounded(&mut pm, Rect::new(300.0, 398.0, 480.0, 62.0), 31.0, GREEN);
    TextBox::line(Rect::new(320.0, 402.0, 440.0, 54.0), Style::Bold, 40.0, 20.0, Rgba::hex(0xFFFFFF))
        .draw(&mut pm, assets, &count);

    let shown = &spec.names[..spec.names.len().min(CLASS_BADGE_NAMES)];
    draw_names(&mut pm, assets, shown.iter().map(|n| n.as_str()).collect());
    let hidden = spec.count.max(spec.names.len() as u64).saturating_sub(shown.len() as u64);
    if hidden > 0 && !shown.is_empty() {
        let more = assets.texts.get(l, "class-badge-more", &[("formatted", format_number(l, hidden).into())]);
        TextBox::line(Rect::new(120.0, 836.0, 840.0, 50.0), Style::Bold, 36.0, 20.0, DARK).draw(&mut pm, assets, &more);
    }
    let date = assets.texts.date(l, spec.date);
    TextBox::line(Rect::new(120.0, 900.0, 840.0, 50.0), Style::Regular, 34.0, 18.0, Rgba::hex(0xFFFFFF))
        .draw(&mut pm, assets, &date);
    pm
}

/// Names in columns filled top to bottom, every name at the same size (the largest at which
/// the longest fits its cell), so no child's name looks smaller than another's.
fn draw_names(pm: &mut Pixmap, assets: &Assets, names: Vec<&str>) {
    if names.is_empty() {
        return;
    }
    let n = names.len();
    let cols = match n {
        0..=6 => 1,
        7..=16 => 2,
        17..=30 => 3,
        _ => 4,
    };
    let rows = n.div_ceil(cols);
    let cell_w = NAMES_AREA.w / cols as f32;
    let cell_h = (NAMES_AREA.h / rows as f32).min(72.0);
    let top = NAMES_AREA.y + (NAMES_AREA.h - cell_h * rows as f32) / 2.0;
    let cell = |i: usize| {
        let (c, r) = (i / rows, i % rows);
        Rect::new(NAMES_AREA.x + c as f32 * cell_w + 6.0, top + r as f32 * cell_h, cell_w - 12.0, cell_h)
    };
    let spec = |text, max| TextSpec {
        text,
        style: Style::Regular,
        max_size: max,
        min_size: 14.0,
        line_height: 1.2,
        max_lines: 1,
        valign: VAlign::Center,
    };
    let max = (cell_h * 0.7).min(48.0);
    let size = names
        .iter()
        .enumerate()
        .map(|(i, name)| layout(&assets.fonts, &spec(name, max), cell(i)).size)
        .fold(max, f32::min);
    for (i, name) in names.iter().enumerate() {
        let laid = layout(&assets.fonts, &spec(name, size), cell(i));
        draw_layout(pm, &assets.fonts, &assets.glyphs, &laid, INK);
    }
}

fn background(assets: &Assets, spec: &ClassBadgeSpec, edition: Option<&Campaign>) -> Pixmap {
    let mut pm = canvas(1080, 1080);
    gradient(&mut pm, (0.0, 0.0), (1080.0, 1080.0), DARK, GREEN);
    fill_rounded(&mut pm, Rect::new(60.0, 60.0, 960.0, 830.0), 48.0, Rgba::hex(0xFFFFFF));
    wave(&mut pm, 960.0, 1080.0, 14.0, 1.5, 0.5, Rgba::hex(0xFFFFFF).alpha(40));
    assets.draw_art(&mut pm, "ribbon", 90.0, 80.0, 110.0, 165.0);
    assets.draw_art(&mut pm, "celebrer", 860.0, 90.0, 120.0, 120.0);
    let title = assets.texts.get(spec.locale, "class-badge-title", &[]);
    TextBox::line(Rect::new(210.0, 100.0, 640.0, 140.0), Style::Display, 96.0, 44.0, DARK)
        .draw(&mut pm, assets, &title);
    TextBox::line(Rect::new(120.0, 968.0, 840.0, 60.0), Style::Bold, 38.0, 20.0, Rgba::hex(0xFFFFFF)).draw(
        &mut pm,
        assets,
        &super::footer(assets, edition, spec.locale),
    );
    pm
}
