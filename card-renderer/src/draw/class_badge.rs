//! The class badge: the class, its school, how many pledged (large), and up to 24 first names
//! large enough to read on a phone, in balanced columns, with « + 12 autres » beyond; under
//! the panel, on the campaign's green, the date, the campaign line and the footer.

use tiny_skia::Pixmap;

use super::WhiteFooter;
use super::paint::{TextBox, canvas, fill_rounded, gradient, shade_below, wave};
use crate::assets::Assets;
use crate::fonts::Style;
use crate::spec::{CLASS_BADGE_NAMES, ClassBadgeSpec};
use crate::text::{Rect, Rgba, TextSpec, VAlign, draw_layout, layout};
use ruban_vocabulary::campaign::Campaign;
use ruban_vocabulary::format_number;

const DARK: Rgba = Rgba::hex(0x0B6E4F);
const GREEN: Rgba = Rgba::hex(0x2BA84A);
const INK: Rgba = Rgba::hex(0x1F2933);
const WHITE: Rgba = Rgba::hex(0xFFFFFF);

/// The pill the count stands in, above the names, and its green: darker than the campaign's,
/// so its white count reads at 4.5:1 (on #2BA84A it was 2.9:1).
const COUNT_PILL: Rect = Rect::new(220.0, 362.0, 640.0, 92.0);
const PILL: Rgba = Rgba::hex(0x1E7F38);

/// The area the names may use.
pub const NAMES_AREA: Rect = Rect::new(96.0, 470.0, 888.0, 300.0);

/// Draws a class badge.
pub fn draw(assets: &Assets, spec: &ClassBadgeSpec, edition: Option<&Campaign>) -> Pixmap {
    let key = format!("class/{}/{}/{}", spec.locale.tag(), super::edition_key(edition), spec.group);
    let mut pm = (*assets.layer(&key, || background(assets, spec, edition))).clone();
    let l = spec.locale;
    let typo = |t: &str| super::typography(l, t);
    TextBox::line(Rect::new(100.0, 212.0, 880.0, 92.0), Style::Bold, 76.0, 30.0, INK).draw(
        &mut pm,
        assets,
        &typo(spec.class_name.as_str()),
    );
    if let Some(school) = &spec.school {
        TextBox::line(Rect::new(100.0, 302.0, 880.0, 50.0), Style::Regular, 40.0, 20.0, Rgba::hex(0x52606D)).draw(
            &mut pm,
            assets,
            &typo(school.as_str()),
        );
    }
    let count = assets.texts.get(
        l,
        "class-badge-count",
        &[("count", spec.count.into()), ("formatted", format_number(l, spec.count).into())],
    );
    let shown = &spec.names[..spec.names.len().min(CLASS_BADGE_NAMES)];
    if shown.is_empty() {
        // No names: the count alone, very large, fills the panel.
        fill_rounded(&mut pm, Rect::new(130.0, 400.0, 820.0, 400.0), 60.0, GREEN.alpha(36));
        TextBox::line(Rect::new(160.0, 430.0, 760.0, 340.0), Style::Bold, 150.0, 40.0, DARK)
            .lines(2, 1.1)
            .draw(&mut pm, assets, &count);
    } else {
        fill_rounded(&mut pm, COUNT_PILL, 46.0, PILL);
        TextBox::line(Rect::new(250.0, 366.0, 580.0, 84.0), Style::Bold, 64.0, 24.0, WHITE)
            .draw(&mut pm, assets, &count);
        draw_names(&mut pm, assets, shown.iter().map(|n| n.as_str()).collect());
    }
    let hidden = spec.count.max(spec.names.len() as u64).saturating_sub(shown.len() as u64);
    if hidden > 0 && !shown.is_empty() {
        let more = assets.texts.get(
            l,
            "class-badge-more",
            &[("count", hidden.into()), ("formatted", format_number(l, hidden).into())],
        );
        TextBox::line(Rect::new(100.0, 774.0, 880.0, 50.0), Style::Bold, 40.0, 20.0, DARK).draw(&mut pm, assets, &more);
    }
    let date = assets.texts.date(l, spec.date);
    TextBox::line(Rect::new(100.0, 820.0, 880.0, 40.0), Style::Regular, 32.0, 18.0, Rgba::hex(0x52606D)).draw(
        &mut pm,
        assets,
        &typo(&date),
    );
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
        0..=4 => 1,
        5..=10 => 2,
        11..=18 => 3,
        _ => 4,
    };
    let rows = n.div_ceil(cols);
    let cell_w = NAMES_AREA.w / cols as f32;
    let cell_h = (NAMES_AREA.h / rows as f32).min(75.0);
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
        line_height: 1.15,
        max_lines: 1,
        valign: VAlign::Center,
    };
    let max = (cell_h * 0.8).min(56.0);
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

/// Where the campaign line and the footer go, white on the green under the panel.
const WHITE_FOOTER: WhiteFooter =
    WhiteFooter { line: Rect::new(50.0, 880.0, 980.0, 112.0), footer: Rect::new(70.0, 998.0, 940.0, 60.0) };

fn background(assets: &Assets, spec: &ClassBadgeSpec, edition: Option<&Campaign>) -> Pixmap {
    let mut pm = art(assets, spec);
    WHITE_FOOTER.draw(&mut pm, assets, edition, spec.locale);
    pm
}

/// Everything but the campaign's texts and the class's own: the green and its wave, the
/// shade the white footer stands on, the panel, its art and title.
fn art(assets: &Assets, spec: &ClassBadgeSpec) -> Pixmap {
    let mut pm = canvas(1080, 1080);
    gradient(&mut pm, (0.0, 0.0), (1080.0, 1080.0), DARK, GREEN);
    wave(&mut pm, 1000.0, 1080.0, 12.0, 1.5, 0.5, WHITE.alpha(30));
    // The gradient's light end gave the white footer 2.7–2.9:1; shaded, 4.5:1 or more.
    shade_below(&mut pm, 800.0, 876.0, DARK, 205);
    fill_rounded(&mut pm, Rect::new(50.0, 44.0, 980.0, 826.0), 44.0, WHITE);
    assets.draw_art(&mut pm, "ribbon", 78.0, 62.0, 120.0, 150.0);
    assets.draw_art(&mut pm, "celebrer", 872.0, 70.0, 130.0, 130.0);
    let kind = if spec.group { "groupe" } else { "classe" };
    let title = assets.texts.get(spec.locale, "class-badge-title", &[("kind", kind.into())]);
    TextBox::line(Rect::new(206.0, 70.0, 660.0, 140.0), Style::Display, 96.0, 44.0, DARK).draw(&mut pm, assets, &title);
    pm
}

#[cfg(test)]
mod tests {
    use super::{WHITE_FOOTER, art};
    use crate::Assets;
    use crate::spec::{ClassBadgeSpec, Label, Locale};

    /// Issue 35: the count's white reads at 4.5:1 on its pill: every pixel of the pill that is
    /// not the count's own ink measured.
    #[test]
    fn the_count_reads_at_4_5_to_1_on_its_pill() {
        let assets = Assets::embedded().expect("bundled assets");
        let spec = ClassBadgeSpec {
            class_name: Label::parse("5e B").unwrap(),
            school: None,
            count: 24,
            names: vec![crate::Name::parse("Léa").unwrap()],
            date: time::macros::date!(2026 - 02 - 19),
            locale: Locale::FrCa,
            group: false,
        };
        let pm = super::draw(&assets, &spec, None);
        let pill = super::COUNT_PILL;
        // The pill's own colour is the commonest inside it (the count's white and its edges
        // are the rest): every pixel of that colour is what the count stands on.
        let mut seen = std::collections::HashMap::new();
        for y in (pill.y + 8.0) as u32..(pill.y + pill.h - 8.0) as u32 {
            for x in (pill.x + 46.0) as u32..(pill.x + pill.w - 46.0) as u32 {
                let p = pm.pixel(x, y).unwrap();
                *seen.entry([p.red(), p.green(), p.blue()]).or_insert(0) += 1;
            }
        }
        let ground = seen.into_iter().max_by_key(|(_, n)| *n).map(|(c, _)| c).unwrap();
        let mut plain = tiny_skia::Pixmap::new(1, 1).unwrap();
        plain.fill(tiny_skia::Color::from_rgba8(ground[0], ground[1], ground[2], 255));
        let worst = crate::draw::contrast::worst(&plain, &[(crate::text::Rect::new(0.0, 0.0, 1.0, 1.0), super::WHITE)]);
        assert!(worst >= 4.5, "the count reads at {worst:.2}:1 on its pill");
    }

    /// Issue 35: the class badge's campaign line and footer read at 4.5:1 (WCAG AA) on every
    /// pixel behind them, for a class and a group.
    #[test]
    fn the_white_footer_reads_at_4_5_to_1() {
        let assets = Assets::embedded().expect("bundled assets");
        for group in [false, true] {
            let spec = ClassBadgeSpec {
                class_name: Label::parse("5e B").unwrap(),
                school: None,
                count: 3,
                names: Vec::new(),
                date: time::macros::date!(2026 - 02 - 19),
                locale: Locale::FrCa,
                group,
            };
            let worst = crate::draw::contrast::worst(&art(&assets, &spec), &WHITE_FOOTER.areas());
            assert!(worst >= 4.5, "group {group}: the footer's white reads at {worst:.2}:1 somewhere");
        }
    }
}
