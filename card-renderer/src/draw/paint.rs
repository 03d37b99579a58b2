//! Drawing primitives shared by every image: gradients, rounded panels, the green wave, and
//! text boxes.

use tiny_skia::{FillRule, Paint, Path, PathBuilder, Pixmap, Shader, Transform};

use crate::assets::Assets;
use crate::fonts::Style;
use crate::text::{Layout, Rect, Rgba, TextSpec, VAlign, draw_layout, layout};

/// Fills the whole pixmap with a linear gradient from `from` (at `p0`) to `to` (at `p1`).
///
/// Written by hand rather than through tiny-skia's shader pipeline, which is general (any
/// stops, any transform) and several times slower for this two-stop, opaque case that every
/// card starts with.
pub fn gradient(pixmap: &mut Pixmap, p0: (f32, f32), p1: (f32, f32), from: Rgba, to: Rgba) {
    let w = pixmap.width() as usize;
    let (dx, dy) = (p1.0 - p0.0, p1.1 - p0.1);
    let len2 = (dx * dx + dy * dy).max(f32::EPSILON);
    let (kx, ky) = (dx / len2, dy / len2);
    let lerp = |t: f32| {
        let t = t.clamp(0.0, 1.0);
        let c = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t + 0.5) as u8;
        let a = c(from.3, to.3);
        let pm = |v: u8| ((u16::from(v) * u16::from(a) + 127) / 255) as u8;
        [pm(c(from.0, to.0)), pm(c(from.1, to.1)), pm(c(from.2, to.2)), a]
    };
    for (y, row) in pixmap.data_mut().chunks_exact_mut(w * 4).enumerate() {
        let yc = y as f32 + 0.5 - p0.1;
        if kx == 0.0 {
            let px = lerp(yc * ky);
            for p in row.chunks_exact_mut(4) {
                p.copy_from_slice(&px);
            }
        } else {
            for (x, p) in row.chunks_exact_mut(4).enumerate() {
                p.copy_from_slice(&lerp((x as f32 + 0.5 - p0.0) * kx + yc * ky));
            }
        }
    }
}

/// A solid paint.
pub fn solid(color: Rgba) -> Paint<'static> {
    Paint { shader: Shader::SolidColor(color.skia()), anti_alias: true, ..Paint::default() }
}

/// A rounded rectangle path.
pub fn rounded_rect(r: Rect, radius: f32) -> Option<Path> {
    let k = 0.552_284_8 * radius; // cubic approximation of a quarter circle
    let (x0, y0, x1, y1) = (r.x, r.y, r.x + r.w, r.y + r.h);
    let mut pb = PathBuilder::new();
    pb.move_to(x0 + radius, y0);
    pb.line_to(x1 - radius, y0);
    pb.cubic_to(x1 - radius + k, y0, x1, y0 + radius - k, x1, y0 + radius);
    pb.line_to(x1, y1 - radius);
    pb.cubic_to(x1, y1 - radius + k, x1 - radius + k, y1, x1 - radius, y1);
    pb.line_to(x0 + radius, y1);
    pb.cubic_to(x0 + radius - k, y1, x0, y1 - radius + k, x0, y1 - radius);
    pb.line_to(x0, y0 + radius);
    pb.cubic_to(x0, y0 + radius - k, x0 + radius - k, y0, x0 + radius, y0);
    pb.close();
    pb.finish()
}

/// Darkens the rows from `from_y` down with `color`, its opacity rising from nothing at
/// `from_y` to `alpha` at `full_y` and held to the bottom: a shade under small white text, so
/// that it reads at 4.5:1 (WCAG AA) on every part of a light green. Blends over an opaque
/// image, as every image here is under its text.
pub fn shade_below(pixmap: &mut Pixmap, from_y: f32, full_y: f32, color: Rgba, alpha: u8) {
    let w = pixmap.width() as usize;
    for (y, row) in pixmap.data_mut().chunks_exact_mut(w * 4).enumerate() {
        let yc = y as f32 + 0.5;
        if yc < from_y {
            continue;
        }
        let t = ((yc - from_y) / (full_y - from_y).max(1.0)).clamp(0.0, 1.0);
        let a = u32::from(alpha) * (t * 255.0).round() as u32 / 255;
        for p in row.chunks_exact_mut(4) {
            for (v, c) in p.iter_mut().zip([color.0, color.1, color.2]) {
                *v = ((u32::from(*v) * (255 - a) + u32::from(c) * a + 127) / 255) as u8;
            }
        }
    }
}

/// Fills a rounded rectangle.
pub fn fill_rounded(pixmap: &mut Pixmap, r: Rect, radius: f32, color: Rgba) {
    if let Some(path) = rounded_rect(r, radius) {
        pixmap.fill_path(&path, &solid(color), FillRule::Winding, Transform::identity(), None);
    }
}

/// Strokes a rounded rectangle.
pub fn stroke_rounded(pixmap: &mut Pixmap, r: Rect, radius: f32, width: f32, color: Rgba) {
    if let Some(path) = rounded_rect(r, radius) {
        let stroke = tiny_skia::Stroke { width, ..Default::default() };
        pixmap.stroke_path(&path, &solid(color), &stroke, Transform::identity(), None);
    }
}

/// Fills a circle.
pub fn fill_circle(pixmap: &mut Pixmap, cx: f32, cy: f32, r: f32, color: Rgba) {
    if let Some(path) = PathBuilder::from_circle(cx, cy, r) {
        pixmap.fill_path(&path, &solid(color), FillRule::Winding, Transform::identity(), None);
    }
}

/// Fills a horizontal band whose top edge is a sine wave: the "green wave" of pledges.
pub fn wave(pixmap: &mut Pixmap, top: f32, bottom: f32, amplitude: f32, periods: f32, phase: f32, color: Rgba) {
    let w = pixmap.width() as f32;
    let mut pb = PathBuilder::new();
    pb.move_to(0.0, bottom);
    let steps = 64;
    for i in 0..=steps {
        let x = w * i as f32 / steps as f32;
        let y = top + amplitude * (std::f32::consts::TAU * periods * x / w + phase).sin();
        pb.line_to(x, y);
    }
    pb.line_to(w, bottom);
    pb.close();
    if let Some(path) = pb.finish() {
        pixmap.fill_path(&path, &solid(color), FillRule::Winding, Transform::identity(), None);
    }
}

/// Strokes a straight line.
pub fn line(pixmap: &mut Pixmap, from: (f32, f32), to: (f32, f32), width: f32, color: Rgba) {
    let mut pb = PathBuilder::new();
    pb.move_to(from.0, from.1);
    pb.line_to(to.0, to.1);
    if let Some(path) = pb.finish() {
        let stroke = tiny_skia::Stroke { width, line_cap: tiny_skia::LineCap::Round, ..Default::default() };
        pixmap.stroke_path(&path, &solid(color), &stroke, Transform::identity(), None);
    }
}

/// A text box: where, how big at most and at least, and in which colour.
#[derive(Debug, Clone, Copy)]
pub struct TextBox {
    /// Where the text may ink.
    pub area: Rect,
    /// Style (fallback chain).
    pub style: Style,
    /// Largest size, px.
    pub max: f32,
    /// Smallest size the design wants, px.
    pub min: f32,
    /// At most this many lines.
    pub lines: usize,
    /// Line height multiple.
    pub line_height: f32,
    /// Colour.
    pub color: Rgba,
    /// Vertical placement.
    pub valign: VAlign,
}

impl TextBox {
    /// A one-line, vertically centred box.
    pub const fn line(area: Rect, style: Style, max: f32, min: f32, color: Rgba) -> Self {
        Self { area, style, max, min, lines: 1, line_height: 1.25, color, valign: VAlign::Center }
    }

    /// Allows up to `lines` lines.
    pub const fn lines(mut self, lines: usize, line_height: f32) -> Self {
        self.lines = lines;
        self.line_height = line_height;
        self
    }

    /// The same box scaled by `s` (for the 512 px badge).
    pub fn scaled(mut self, s: f32) -> Self {
        self.area = Rect::new(self.area.x * s, self.area.y * s, self.area.w * s, self.area.h * s);
        self.max *= s;
        self.min *= s;
        self
    }

    /// Lays `text` into the box and draws it.
    pub fn draw(&self, pixmap: &mut Pixmap, assets: &Assets, text: &str) -> Layout {
        let spec = TextSpec {
            text,
            style: self.style,
            max_size: self.max,
            min_size: self.min,
            line_height: self.line_height,
            max_lines: self.lines,
            valign: self.valign,
        };
        let laid = layout(&assets.fonts, &spec, self.area);
        draw_layout(pixmap, &assets.fonts, &assets.glyphs, &laid, self.color);
        laid
    }
}

/// A new pixmap; the sizes used here are fixed and valid, so failure is a defect.
pub fn canvas(w: u32, h: u32) -> Pixmap {
    Pixmap::new(w, h).unwrap_or_else(|| panic!("cannot allocate a {w}x{h} canvas"))
}
