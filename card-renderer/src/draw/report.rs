//! The campaign's one-page report, to print or to send to a director: a Letter page at 300 dpi
//! with the key figures as tiles and the green wave by day, by region and by age as charts.
//! Texts arrive localised; numbers arrive formatted where they are shown as text.

use tiny_skia::Pixmap;

use super::paint::{TextBox, canvas, fill_rounded, gradient, line};
use crate::assets::Assets;
use crate::fonts::Style;
use crate::spec::Locale;
use crate::text::{Rect, Rgba};

const DARK: Rgba = Rgba::hex(0x0B6E4F);
const GREEN: Rgba = Rgba::hex(0x2BA84A);
const MINT: Rgba = Rgba::hex(0xEAF6EE);
const WHITE: Rgba = Rgba::hex(0xFFFFFF);
const INK: Rgba = Rgba::hex(0x1F2933);
const MUTED: Rgba = Rgba::hex(0x52606D);

/// The page: US Letter, portrait, at 300 dpi.
pub const REPORT_SIZE: (u32, u32) = (2550, 3300);

/// One chart of the report: its title and its bars (label, value, highlighted).
#[derive(Debug, Clone, PartialEq)]
pub struct ReportChart {
    /// What it counts (« Engagements par jour »).
    pub title: String,
    /// Label, value, highlighted (Jeudi perséVERT). At most 31 are drawn.
    pub bars: Vec<(String, u64, bool)>,
}

/// What the report shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportSpec {
    /// « Bilan de la campagne 2026 ».
    pub title: String,
    /// The campaign line and whose figures these are (« Toute la campagne », a region).
    pub subtitle: String,
    /// Key figures: the value as written, and what it counts. Up to six.
    pub figures: Vec<(String, String)>,
    /// By day, drawn as columns.
    pub by_day: ReportChart,
    /// By region (or any long list), drawn as rows.
    pub by_region: ReportChart,
    /// Young people and adults (or any short split), drawn as rows.
    pub by_age: ReportChart,
    /// The last line: when and from what it was made.
    pub footer: String,
    /// Language, for the numbers on the bars.
    pub locale: Locale,
}

/// Draws the report page.
pub fn draw_report(assets: &Assets, spec: &ReportSpec) -> Pixmap {
    let (w, h) = (REPORT_SIZE.0 as f32, REPORT_SIZE.1 as f32);
    let mut pm = canvas(REPORT_SIZE.0, REPORT_SIZE.1);
    pm.fill(WHITE.skia());
    // The band: the ribbon, the title, whose figures.
    let mut band = canvas(REPORT_SIZE.0, 420);
    gradient(&mut band, (0.0, 0.0), (w, 420.0), DARK, GREEN);
    pm.draw_pixmap(0, 0, band.as_ref(), &tiny_skia::PixmapPaint::default(), tiny_skia::Transform::identity(), None);
    assets.draw_art(&mut pm, "ribbon", 120.0, 70.0, 180.0, 280.0);
    TextBox::line(Rect::new(360.0, 80.0, w - 480.0, 170.0), Style::Bold, 130.0, 60.0, WHITE).draw(
        &mut pm,
        assets,
        &spec.title,
    );
    TextBox::line(Rect::new(360.0, 250.0, w - 480.0, 110.0), Style::Regular, 64.0, 36.0, WHITE).lines(2, 1.15).draw(
        &mut pm,
        assets,
        &spec.subtitle,
    );
    // The figures: tiles of three per row.
    let (tile_w, tile_h, gap, top) = ((w - 240.0 - 2.0 * 60.0) / 3.0, 260.0, 60.0, 480.0);
    for (i, (value, label)) in spec.figures.iter().take(6).enumerate() {
        let (col, row) = ((i % 3) as f32, (i / 3) as f32);
        let area = Rect::new(120.0 + col * (tile_w + gap), top + row * (tile_h + 36.0), tile_w, tile_h);
        fill_rounded(&mut pm, area, 36.0, MINT);
        TextBox::line(Rect::new(area.x + 40.0, area.y + 24.0, area.w - 80.0, 120.0), Style::Bold, 110.0, 50.0, DARK)
            .draw(&mut pm, assets, value);
        TextBox::line(Rect::new(area.x + 40.0, area.y + 148.0, area.w - 80.0, 100.0), Style::Regular, 48.0, 30.0, INK)
            .lines(2, 1.1)
            .draw(&mut pm, assets, label);
    }
    let rows = spec.figures.len().min(6).div_ceil(3) as f32;
    let y = top + rows * (tile_h + 36.0) + 30.0;
    // The week beside the ages, then the regions across the page (their names need room).
    let half = (w - 240.0 - 100.0) / 2.0;
    columns(&mut pm, assets, &spec.by_day, spec.locale, Rect::new(120.0, y, half, 600.0));
    let ages_end = bars(&mut pm, assets, &spec.by_age, spec.locale, Rect::new(220.0 + half, y, half, 600.0), 0.42);
    let regions_end = bars(
        &mut pm,
        assets,
        &spec.by_region,
        spec.locale,
        Rect::new(120.0, y + 640.0, w - 240.0, h - y - 640.0 - 200.0),
        0.36,
    );
    debug_assert!(ages_end.max(regions_end) <= h - 170.0, "the charts end above the footer");
    line(&mut pm, (120.0, h - 170.0), (w - 120.0, h - 170.0), 4.0, MINT);
    TextBox::line(Rect::new(120.0, h - 150.0, w - 240.0, 90.0), Style::Regular, 44.0, 26.0, MUTED).draw(
        &mut pm,
        assets,
        &spec.footer,
    );
    pm
}

/// `text` in `b`'s box, flush left (the layout centres lines; a list of names reads down its
/// left edge).
fn flush_left(pm: &mut Pixmap, assets: &Assets, b: TextBox, text: &str) {
    let spec = crate::text::TextSpec {
        text,
        style: b.style,
        max_size: b.max,
        min_size: b.min,
        line_height: b.line_height,
        max_lines: b.lines,
        valign: b.valign,
    };
    let mut laid = crate::text::layout(&assets.fonts, &spec, b.area);
    if let Some(ink) = laid.ink {
        let dx = b.area.x - ink.x;
        for g in &mut laid.glyphs {
            g.x += dx;
        }
    }
    crate::text::draw_layout(pm, &assets.fonts, &assets.glyphs, &laid, b.color);
}

/// A chart's title in `area`, returning where its body starts.
fn title(pm: &mut Pixmap, assets: &Assets, text: &str, area: Rect) -> f32 {
    flush_left(pm, assets, TextBox::line(Rect::new(area.x, area.y, area.w, 90.0), Style::Bold, 64.0, 36.0, DARK), text);
    area.y + 110.0
}

/// Columns (the days of the week): the value above each, the label below. Returns the bottom.
fn columns(pm: &mut Pixmap, assets: &Assets, chart: &ReportChart, l: Locale, area: Rect) -> f32 {
    let body = title(pm, assets, &chart.title, area);
    let list = &chart.bars[..chart.bars.len().min(31)];
    let bottom = area.y + area.h;
    if list.is_empty() {
        return bottom;
    }
    let (top, base) = (body + 70.0, bottom - 110.0);
    let max = list.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f32;
    let slot = area.w / list.len() as f32;
    let bar_w = (slot * 0.66).min(220.0);
    for (i, (label, value, highlight)) in list.iter().enumerate() {
        let x = area.x + slot * i as f32 + (slot - bar_w) / 2.0;
        let bar_h = ((*value as f32 / max) * (base - top)).max(6.0);
        fill_rounded(
            pm,
            Rect::new(x, base - bar_h, bar_w, bar_h),
            (bar_w / 8.0).min(bar_h / 2.0),
            if *highlight { GREEN } else { DARK },
        );
        TextBox::line(Rect::new(x - 20.0, base - bar_h - 70.0, bar_w + 40.0, 64.0), Style::Bold, 46.0, 20.0, INK).draw(
            pm,
            assets,
            &ruban_vocabulary::format_number(l, *value),
        );
        TextBox::line(Rect::new(x - 20.0, base + 14.0, bar_w + 40.0, 90.0), Style::Regular, 38.0, 18.0, INK)
            .lines(2, 1.05)
            .draw(pm, assets, label);
    }
    bottom
}

/// Rows (the regions): the label, the bar, the value. Returns where the rows end.
fn bars(pm: &mut Pixmap, assets: &Assets, chart: &ReportChart, l: Locale, area: Rect, label_share: f32) -> f32 {
    let body = title(pm, assets, &chart.title, area);
    let list = &chart.bars[..chart.bars.len().min(31)];
    if list.is_empty() {
        return body;
    }
    let row = ((area.y + area.h - body) / list.len() as f32).clamp(40.0, 110.0);
    let (label_w, value_w) = (area.w * label_share, 200.0);
    let bar_room = area.w - label_w - value_w - 30.0;
    let max = list.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f32;
    for (i, (label, value, highlight)) in list.iter().enumerate() {
        let y = body + row * i as f32;
        // One size for every row (a long name does not shrink on its own), smaller only when a
        // name would not fit at all.
        let size = (row * 0.5).min(46.0);
        flush_left(
            pm,
            assets,
            TextBox::line(Rect::new(area.x, y, label_w - 20.0, row * 0.9), Style::Regular, size, 18.0, INK),
            label,
        );
        let bar_w = ((*value as f32 / max) * bar_room).max(6.0);
        let bar_h = row * 0.55;
        fill_rounded(
            pm,
            Rect::new(area.x + label_w, y + (row * 0.9 - bar_h) / 2.0, bar_w, bar_h),
            (bar_h / 2.0).min(14.0),
            if *highlight { GREEN } else { DARK },
        );
        let value_box = TextBox::line(
            Rect::new(area.x + label_w + bar_w + 16.0, y, value_w, row * 0.9),
            Style::Bold,
            size,
            18.0,
            INK,
        );
        flush_left(pm, assets, value_box, &ruban_vocabulary::format_number(l, *value));
    }
    body + row * list.len() as f32
}
