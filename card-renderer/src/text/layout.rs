//! Line breaking (UAX #14, then grapheme boundaries for over-long words), shrink-to-fit, and
//! placing glyphs line by line in visual order.

use std::ops::Range;

use rustybuzz::ttf_parser::GlyphId;
use unicode_bidi::BidiInfo;
use unicode_linebreak::{BreakOpportunity, linebreaks};
use unicode_segmentation::UnicodeSegmentation;

use super::shape::{Shaped, shape_run};
use crate::fonts::{FaceKind, FontId, FontSet, PICTURE_ADVANCE, PICTURE_BOX, Style};

/// A rectangle in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl Rect {
    /// A rectangle from its left, top, width and height.
    pub const fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Self { x, y, w, h }
    }

    /// Whether `other` lies inside this rectangle.
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x
            && other.y >= self.y
            && other.x + other.w <= self.x + self.w
            && other.y + other.h <= self.y + self.h
    }

    /// The same rectangle scaled by `s` about the origin (a 1080 px layout drawn at 512 px).
    pub fn scaled(self, s: f32) -> Rect {
        Rect::new(self.x * s, self.y * s, self.w * s, self.h * s)
    }

    fn union(self, other: Rect) -> Rect {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        let r = (self.x + self.w).max(other.x + other.w);
        let b = (self.y + self.h).max(other.y + other.h);
        Rect::new(x, y, r - x, b - y)
    }
}

/// Vertical placement of the block of lines inside its box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VAlign {
    /// Lines start at the top of the box.
    Top,
    /// The block is centred vertically.
    Center,
}

/// What to lay out and how.
#[derive(Debug, Clone, Copy)]
pub struct TextSpec<'a> {
    /// One paragraph of already validated text.
    pub text: &'a str,
    /// Font style (and so fallback chain).
    pub style: Style,
    /// The size used when the text fits at it, in px.
    pub max_size: f32,
    /// The smallest size the design allows; text that needs less still fits (smaller) rather
    /// than overflow.
    pub min_size: f32,
    /// Line height as a multiple of the size.
    pub line_height: f32,
    /// At most this many lines.
    pub max_lines: usize,
    /// Vertical placement.
    pub valign: VAlign,
}

/// One glyph placed on the canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedGlyph {
    /// The face.
    pub font: FontId,
    /// The glyph in that face.
    pub glyph: u16,
    /// Pen position (left of the glyph origin), px.
    pub x: f32,
    /// Baseline, px.
    pub y: f32,
}

/// The result of laying a paragraph into a box.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The size chosen, px.
    pub size: f32,
    /// The lines, as drawn.
    pub lines: Vec<String>,
    /// Every glyph with its position.
    pub glyphs: Vec<PlacedGlyph>,
    /// The union of the glyphs' outlines (their ink), px.
    pub ink: Option<Rect>,
}

/// The smallest size tried when even `min_size` does not fit: text shrinks this far rather
/// than overflow its box.
const FLOOR_SIZE: f32 = 6.0;

/// Lays `spec.text` into `area`, choosing the largest whole-pixel size in
/// `min_size..=max_size` at which every line fits and the ink stays inside the box.
pub fn layout(fonts: &FontSet, spec: &TextSpec<'_>, area: Rect) -> Layout {
    let shaped = Shaped::new(fonts, spec.style, spec.text);
    let primary = fonts.face(fonts.primary(spec.style));
    let fits = |size: f32| {
        let lines = wrap(&shaped, area.w / size);
        lines.len() <= spec.max_lines && lines.len() as f32 * size * spec.line_height <= area.h
    };
    // Binary search over whole pixels keeps the glyph cache small and the output stable.
    let (mut lo, mut hi) = (spec.min_size.floor() as i32, spec.max_size.floor() as i32);
    if !fits(lo as f32) {
        while lo > FLOOR_SIZE as i32 && !fits(lo as f32) {
            lo -= 1;
        }
        hi = lo;
    }
    while lo < hi {
        let mid = (lo + hi + 1) / 2;
        if fits(mid as f32) { lo = mid } else { hi = mid - 1 }
    }
    let mut size = lo as f32;
    loop {
        let lines = wrap(&shaped, area.w / size);
        let placed = place(fonts, &shaped, &lines, size, spec, primary.ascender(), primary.descender(), area);
        // Tall marks or a font with a big ascender can ink past the line box: shrink again.
        let inside = placed.ink.is_none_or(|ink| area.contains(&ink));
        if inside || size <= FLOOR_SIZE {
            return placed;
        }
        size -= 1.0;
    }
}

/// Greedy line breaking at UAX #14 opportunities; a word wider than the line is broken
/// between graphemes. Returns byte ranges without trailing spaces.
fn wrap(shaped: &Shaped, max_em: f32) -> Vec<Range<usize>> {
    let text = shaped.text.as_str();
    let trim = |start: usize, end: usize| start + text[start..end].trim_end().len();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut last_ok: Option<usize> = None;
    for (pos, opportunity) in linebreaks(text) {
        loop {
            let end = trim(start, pos);
            if shaped.width(start..end) <= max_em {
                last_ok = Some(pos);
                break;
            }
            if let Some(ok) = last_ok.take() {
                lines.push(start..trim(start, ok));
                start = ok;
                continue;
            }
            let cut = grapheme_cut(shaped, start, end, max_em);
            lines.push(start..cut);
            start = cut;
            // Spaces right after a forced cut would start the next line.
            start += text[start..].len() - text[start..].trim_start().len();
        }
        if opportunity == BreakOpportunity::Mandatory && start < pos {
            lines.push(start..trim(start, pos));
            start = pos;
            last_ok = None;
        }
    }
    lines.retain(|l| !l.is_empty());
    lines
}

/// The longest run of whole graphemes from `start` that fits in `max_em` (at least one).
fn grapheme_cut(shaped: &Shaped, start: usize, end: usize, max_em: f32) -> usize {
    let mut cut = None;
    for (i, g) in shaped.text[start..end].grapheme_indices(true) {
        let b = start + i + g.len();
        if cut.is_some() && shaped.width(start..b) > max_em {
            break;
        }
        cut = Some(b);
    }
    cut.unwrap_or(end)
}

#[allow(clippy::too_many_arguments)]
fn place(
    fonts: &FontSet,
    shaped: &Shaped,
    lines: &[Range<usize>],
    size: f32,
    spec: &TextSpec<'_>,
    ascender: f32,
    descender: f32,
    area: Rect,
) -> Layout {
    let text = shaped.text.as_str();
    let line_h = size * spec.line_height;
    let block_h = line_h * lines.len() as f32;
    let top = match spec.valign {
        VAlign::Top => area.y,
        VAlign::Center => area.y + (area.h - block_h) / 2.0,
    };
    let bidi = BidiInfo::new(text, None);
    let mut glyphs = Vec::new();
    let mut ink: Option<Rect> = None;
    for (n, line) in lines.iter().enumerate() {
        let baseline =
            (top + n as f32 * line_h + (line_h - (ascender + descender) * size) / 2.0 + ascender * size).round();
        let first = glyphs.len();
        let mut pen = 0.0f32;
        if let Some(para) = bidi.paragraphs.first() {
            let (levels, runs) = bidi.visual_runs(para, line.clone());
            for run in runs {
                let rtl = levels[run.start].is_rtl();
                let mut pieces: Vec<(Range<usize>, FontId)> = shaped
                    .items
                    .iter()
                    .filter_map(|item| {
                        let s = item.range.start.max(run.start);
                        let e = item.range.end.min(run.end);
                        (s < e).then_some((s..e, item.font))
                    })
                    .collect();
                if rtl {
                    pieces.reverse();
                }
                for (range, font) in pieces {
                    if FontSet::is_picture(font) {
                        for _ in text[range].graphemes(true) {
                            glyphs.push(PlacedGlyph { font, glyph: 0, x: pen, y: baseline });
                            pen += PICTURE_ADVANCE * size;
                        }
                        continue;
                    }
                    let face = fonts.face(font);
                    let scale = size / face.upem;
                    let out = shape_run(fonts, font, &text[range], rtl);
                    for (info, pos) in out.glyph_infos().iter().zip(out.glyph_positions()) {
                        glyphs.push(PlacedGlyph {
                            font,
                            glyph: info.glyph_id as u16,
                            x: pen + pos.x_offset as f32 * scale,
                            y: baseline - pos.y_offset as f32 * scale,
                        });
                        pen += pos.x_advance as f32 * scale;
                    }
                }
            }
        }
        // Centre the line on its real (reshaped) width.
        let dx = area.x + (area.w - pen) / 2.0;
        for g in &mut glyphs[first..] {
            g.x += dx;
            if let Some(r) = glyph_ink(fonts, g, size) {
                ink = Some(ink.map_or(r, |i| i.union(r)));
            }
        }
    }
    Layout { size, lines: lines.iter().map(|l| text[l.clone()].to_owned()).collect(), glyphs, ink }
}

/// The ink rectangle of a placed glyph, px (outline box, or the colour bitmap's box).
pub fn glyph_ink(fonts: &FontSet, g: &PlacedGlyph, size: f32) -> Option<Rect> {
    if FontSet::is_picture(g.font) {
        let (l, t, w, h) = PICTURE_BOX;
        return Some(Rect::new(g.x + l * size, g.y + t * size, w * size, h * size));
    }
    let face = fonts.face(g.font);
    let scale = size / face.upem;
    match face.kind {
        FaceKind::Outline => face.face.glyph_bounding_box(GlyphId(g.glyph)).map(|b| {
            Rect::new(
                g.x + f32::from(b.x_min) * scale,
                g.y - f32::from(b.y_max) * scale,
                f32::from(b.x_max - b.x_min) * scale,
                f32::from(b.y_max - b.y_min) * scale,
            )
        }),
        FaceKind::ColorBitmap => face.face.glyph_raster_image(GlyphId(g.glyph), u16::MAX).map(|img| {
            let s = size / f32::from(img.pixels_per_em);
            Rect::new(
                g.x + f32::from(img.x) * s,
                g.y - (f32::from(img.y) + f32::from(img.height)) * s,
                f32::from(img.width) * s,
                f32::from(img.height) * s,
            )
        }),
    }
}
