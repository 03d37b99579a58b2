//! Drawing primitives shared by every image: gradients, rounded panels, the green wave, and
//! text boxes.

use tiny_skia::{
    FillRule, GradientStop, LinearGradient, Paint, Path, PathBuilder, Pixmap, Point,
    Rect as SkRect, Shader, SpreadMode, Transform,
};

use crate::assets::Assets;
use crate::fonts::Style;
use crate::text::{Layout, Rect, Rgba, TextSpec, VAlign, draw_layout, layout};

/// Fills the whole pixmap with a linear gradient from `from` (at `p0`) to `to` (at `p1`).
pub fn gradient(pixmap: &mut Pixmap, p0: (f32, f32), p1: (f32, f32), from: Rgba, to: Rgba) {
    let (w, h) = (pixmap.width() as f32, pixmap.height() as f32);
    let Some(shader) = LinearGradient::new(
        Point::from_xy(p0.0, p0.1),
        Point::from_xy(p1.0, p1.1),
        vec![
            GradientStop::new(0.0, from.skia()),
            GradientStop::new(1.0, to.skia()),
        ],
        SpreadMode::Pad,
        Transform::identity(),
    ) else {
        pixmap.fill(from.skia());
        return;
    };
    let paint = Paint {
        shader,
        anti_alias: false,
        ..Paint::default()
    };
    if let Some(r) = SkRect::from_xywh(0.0, 0.0, w, h) {
        pixmap.fill_rect(r, &paint, Transform::identity(), None);
    }
}

/// A solid paint.
pub fn solid(color: Rgba) -> Paint<'static> {
    Paint {
        shader: Shader::SolidColor(color.skia()),
        anti_alias: true,
        ..Paint::default()
    }
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

/// Fills a rounded rectangle.
pub fn fill_rounded(pixmap: &mut Pixmap, r: Rect, radius: f32, color: Rgba) {
    if let Some(path) = rounded_rect(r, radius) {
        pixmap.fill_path(
            &path,
            &solid(color),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

/// Strokes a rounded rectangle.
pub fn stroke_rounded(pixmap: &mut Pixmap, r: Rect, radius: f32, width: f32, color: Rgba) {
    if let Some(path) = rounded_rect(r, radius) {
        let stroke = tiny_skia::Stroke {
            width,
            ..Default::default()
        };
        pixmap.stroke_path(&path, &solid(color), &stroke, Transform::identity(), None);
    }
}

/// Fills a circle.
pub fn fill_circle(pixmap: &mut Pixmap, cx: f32, cy: f32, r: f32, color: Rgba) {
    if let Some(path) = PathBuilder::from_circle(cx, cy, r) {
        pixmap.fill_path(
            &path,
            &solid(color),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

/// Fills a horizontal band whose top edge is a sine wave: the "green wave" of pledges.
pub fn wave(
    pixmap: &mut Pixmap,
    top: f32,
    bottom: f32,
    amplitude: f32,
    periods: f32,
    phase: f32,
    color: Rgba,
) {
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
        pixmap.fill_path(
            &path,
            &solid(color),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

/// Strokes a straight line.
pub fn line(pixmap: &mut Pixmap, from: (f32, f32), to: (f32, f32), width: f32, color: Rgba) {
    let mut pb = PathBuilder::new();
    pb.move_to(from.0, from.1);
    pb.line_to(to.0, to.1);
    if let Some(path) = pb.finish() {
        let stroke = tiny_skia::Stroke {
            width,
            line_cap: tiny_skia::LineCap::Round,
            ..Default::default()
        };
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
        Self {
            area,
            style,
            max,
            min,
            lines: 1,
            line_height: 1.25,
            color,
            valign: VAlign::Center,
        }
    }

    /// Allows up to `lines` lines.
    pub const fn lines(mut self, lines: usize, line_height: f32) -> Self {
        self.lines = lines;
        self.line_height = line_height;
        self
    }

    /// The same box scaled by `s` (for the 512 px badge).
    pub fn scaled(mut self, s: f32) -> Self {
        self.area = Rect::new(
            self.area.x * s,
            self.area.y * s,
            self.area.w * s,
            self.area.h * s,
        );
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
