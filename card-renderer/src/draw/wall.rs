//! The wall of support as an image (`/mur`) and the totals chart (`/totaux`).

use tiny_skia::Pixmap;

use super::WhiteFooter;
use super::paint::{TextBox, canvas, fill_rounded, gradient, shade_below, wave};
use crate::assets::Assets;
use crate::fonts::Style;
use crate::spec::Locale;
use crate::text::{Rect, Rgba};
use ruban_vocabulary::campaign::Campaign;

const DARK: Rgba = Rgba::hex(0x0B6E4F);
const GREEN: Rgba = Rgba::hex(0x2BA84A);
const WHITE: Rgba = Rgba::hex(0xFFFFFF);
const INK: Rgba = Rgba::hex(0x1F2933);

/// What the wall image shows. Texts arrive localised and already moderated.
#[derive(Debug, Clone, PartialEq)]
pub struct WallSpec {
    /// « Le mur d'appui ».
    pub title: String,
    /// The total, formatted for the locale.
    pub total: String,
    /// One line: "1 234 people wear the ribbon, 56 of them today."
    pub summary: String,
    /// Latest messages: (who, as they chose to be shown; the message). At most four are drawn.
    pub entries: Vec<(String, String)>,
    /// Language (for the footer).
    pub locale: Locale,
}

/// Where the campaign line and the footer go, white on the green at the bottom.
const WHITE_FOOTER: WhiteFooter =
    WhiteFooter { line: Rect::new(50.0, 876.0, 980.0, 112.0), footer: Rect::new(80.0, 996.0, 920.0, 56.0) };

/// The wall's green, light at the bottom, its wave, and the shade its white footer stands on
/// (the light end gave it 2.7–2.9:1; shaded, 4.5:1 or more).
fn ground() -> Pixmap {
    let mut pm = canvas(1080, 1080);
    gradient(&mut pm, (0.0, 0.0), (0.0, 1080.0), DARK, GREEN);
    wave(&mut pm, 300.0, 1080.0, 20.0, 1.5, 0.3, WHITE.alpha(30));
    shade_below(&mut pm, 820.0, 872.0, DARK, 205);
    pm
}

/// Draws the wall (1080 x 1080).
pub fn draw_wall(assets: &Assets, spec: &WallSpec, edition: Option<&Campaign>) -> Pixmap {
    let mut pm = ground();
    assets.draw_art(&mut pm, "ribbon", 70.0, 50.0, 100.0, 150.0);
    TextBox::line(Rect::new(190.0, 60.0, 700.0, 110.0), Style::Display, 90.0, 40.0, WHITE).draw(
        &mut pm,
        assets,
        &spec.title,
    );
    let typo = |t: &str| super::typography(spec.locale, t);
    TextBox::line(Rect::new(80.0, 168.0, 920.0, 140.0), Style::Bold, 140.0, 60.0, WHITE).draw(
        &mut pm,
        assets,
        &spec.total,
    );
    TextBox::line(Rect::new(80.0, 306.0, 920.0, 52.0), Style::Regular, 38.0, 20.0, WHITE).draw(
        &mut pm,
        assets,
        &typo(&spec.summary),
    );
    draw_entries(&mut pm, assets, spec);
    // The campaign line, then the hashtag and the theme.
    WHITE_FOOTER.draw(&mut pm, assets, edition, spec.locale);
    pm
}

/// Where the latest messages go: the whole of it at any count, so the image is never a
/// screen of empty green (with one message, a large one; with none, the ribbon itself).
const ENTRIES: Rect = Rect::new(80.0, 368.0, 920.0, 494.0);
/// Between two messages.
const ENTRY_GAP: f32 = 10.0;

/// The latest messages (at most four), each in a white box sharing [`ENTRIES`]; fewer
/// messages, taller boxes and larger words.
fn draw_entries(pm: &mut Pixmap, assets: &Assets, spec: &WallSpec) {
    let typo = |t: &str| super::typography(spec.locale, t);
    let entries = &spec.entries[..spec.entries.len().min(4)];
    if entries.is_empty() {
        // Nobody yet: the ribbon, large, where the messages will go.
        assets.draw_art(pm, "ribbon", ENTRIES.x, ENTRIES.y + 20.0, ENTRIES.w, ENTRIES.h - 40.0);
        return;
    }
    let n = entries.len() as f32;
    let slot = (ENTRIES.h - ENTRY_GAP * (n - 1.0)) / n;
    // A four-message box is 116 px tall with words up to 34 px; fewer grow with their box.
    let grow = (slot / 116.0).min(2.2);
    for (i, (who, message)) in entries.iter().enumerate() {
        let top = ENTRIES.y + i as f32 * (slot + ENTRY_GAP);
        fill_rounded(pm, Rect::new(ENTRIES.x, top, ENTRIES.w, slot), 24.0, WHITE.alpha(240));
        let who_h = 34.0 * grow.min(1.6);
        TextBox::line(
            Rect::new(ENTRIES.x + 30.0, top + 8.0, ENTRIES.w - 60.0, slot - who_h - 16.0),
            Style::Regular,
            34.0 * grow,
            16.0,
            INK,
        )
        .lines(if grow > 1.5 { 4 } else { 2 }, 1.15)
        .draw(pm, assets, &typo(message));
        TextBox::line(
            Rect::new(ENTRIES.x + 30.0, top + slot - who_h - 6.0, ENTRIES.w - 60.0, who_h),
            Style::Bold,
            26.0 * grow.min(1.6),
            14.0,
            DARK,
        )
        .draw(pm, assets, &typo(&format!("— {who}")));
    }
}

/// A bar chart of totals.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// The chart's title.
    pub title: String,
    /// Bars: label, value, highlighted (Jeudi perséVERT).
    pub bars: Vec<(String, u64, bool)>,
    /// Language, for number formatting.
    pub locale: Locale,
}

/// Draws a bar chart (1200 x 800) with the value above each bar.
pub fn draw_chart(assets: &Assets, spec: &ChartSpec) -> Pixmap {
    let (w, h) = (1200.0, 800.0);
    let mut pm = canvas(w as u32, h as u32);
    pm.fill(WHITE.skia());
    TextBox::line(Rect::new(60.0, 30.0, w - 120.0, 80.0), Style::Bold, 48.0, 24.0, DARK).draw(
        &mut pm,
        assets,
        &spec.title,
    );
    let bars = &spec.bars[..spec.bars.len().min(31)];
    if bars.is_empty() {
        return pm;
    }
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f32;
    let (left, right, top, bottom) = (60.0, w - 60.0, 170.0, h - 110.0);
    let slot = (right - left) / bars.len() as f32;
    let bar_w = (slot * 0.7).min(140.0);
    for (i, (label, value, highlight)) in bars.iter().enumerate() {
        let x = left + slot * i as f32 + (slot - bar_w) / 2.0;
        let bar_h = ((*value as f32 / max) * (bottom - top)).max(4.0);
        let color = if *highlight { GREEN } else { DARK };
        fill_rounded(
            &mut pm,
            Rect::new(x, bottom - bar_h, bar_w, bar_h),
            // A rounded end no taller than half the bar, or short bars would bulge.
            (bar_w / 6.0).min(12.0).min(bar_h / 2.0),
            color,
        );
        let value_text = ruban_vocabulary::format_number(spec.locale, *value);
        TextBox::line(Rect::new(x - 10.0, bottom - bar_h - 54.0, bar_w + 20.0, 48.0), Style::Bold, 32.0, 12.0, INK)
            .draw(&mut pm, assets, &value_text);
        TextBox::line(Rect::new(x - 10.0, bottom + 12.0, bar_w + 20.0, 80.0), Style::Regular, 28.0, 12.0, INK)
            .lines(2, 1.1)
            .draw(&mut pm, assets, label);
    }
    pm
}

#[cfg(test)]
mod tests {
    use super::{WHITE_FOOTER, ground};

    /// Issue 35: the wall image is filled at any count: what is drawn where the messages go
    /// spans most of that height with none, one or four messages (it was 60 % empty).
    #[test]
    fn the_messages_area_is_filled_at_any_count() {
        let assets = crate::Assets::embedded().expect("bundled assets");
        let ground = ground();
        for n in 0..=4 {
            let spec = super::WallSpec {
                title: "Le mur d’appui".into(),
                total: "12".into(),
                summary: "12 personnes portent le ruban".into(),
                entries: (0..n).map(|i| (format!("Élève {i}"), "Lâche pas, tu es capable!".to_owned())).collect(),
                locale: crate::spec::Locale::FrCa,
            };
            let pm = super::draw_wall(&assets, &spec, None);
            let area = super::ENTRIES;
            let drawn: Vec<u32> = (area.y as u32..(area.y + area.h) as u32)
                .filter(|&y| {
                    (0..1080).any(|x| {
                        let (a, b) = (pm.pixel(x, y).unwrap(), ground.pixel(x, y).unwrap());
                        a.red().abs_diff(b.red()).max(a.green().abs_diff(b.green())).max(a.blue().abs_diff(b.blue()))
                            > 40
                    })
                })
                .collect();
            let span = drawn.last().map_or(0, |l| l - drawn[0] + 1);
            assert!(f64::from(span) >= 0.8 * f64::from(area.h), "{n} messages: drawn over {span} of {} rows", area.h);
        }
    }

    /// Issue 35: the wall image's campaign line and footer read at 4.5:1 (WCAG AA) on every
    /// pixel behind them.
    #[test]
    fn the_white_footer_reads_at_4_5_to_1() {
        let worst = crate::draw::contrast::worst(&ground(), &WHITE_FOOTER.areas());
        assert!(worst >= 4.5, "the footer's white reads at {worst:.2}:1 somewhere");
    }
}
