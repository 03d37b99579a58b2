//! Glyph rasterising (outlines by `ab_glyph`, colour emoji from their bitmaps), a bounded glyph
//! cache shared across threads, and compositing glyphs onto a pixmap.
//!
//! Filling a glyph outline costs far more than copying its coverage, and a card draws the
//! same few dozen glyphs at a handful of sizes, so coverage masks are cached by face, glyph,
//! whole-pixel size and quarter-pixel horizontal phase. The cache is bounded in bytes and
//! emptied when full, which keeps a long-running process's memory flat.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use rustybuzz::ttf_parser::{GlyphId, RasterImageFormat};
use tiny_skia::{Pixmap, PixmapPaint, Transform};

use super::layout::{Layout, PlacedGlyph};
use crate::fonts::{FaceKind, FontSet, PICTURE_BOX};

/// A colour with straight (not premultiplied) alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgba(pub u8, pub u8, pub u8, pub u8);

impl Rgba {
    /// Parses `#RRGGBB` or `#RRGGBBAA` (used by the design tables).
    pub const fn hex(v: u32) -> Self {
        Self((v >> 16) as u8, (v >> 8) as u8, v as u8, 255)
    }

    /// The same colour with another alpha.
    pub const fn alpha(self, a: u8) -> Self {
        Self(self.0, self.1, self.2, a)
    }

    /// As a tiny-skia colour.
    pub fn skia(self) -> tiny_skia::Color {
        tiny_skia::Color::from_rgba8(self.0, self.1, self.2, self.3)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    font: u8,
    glyph: u16,
    size: u16,
    phase: u8,
}

enum Pixels {
    /// Coverage, one byte per pixel.
    Alpha(Vec<u8>),
    /// Premultiplied RGBA (colour emoji).
    Rgba(Vec<u8>),
}

struct Bitmap {
    left: i32,
    top: i32,
    width: usize,
    height: usize,
    pixels: Pixels,
}

impl Bitmap {
    fn bytes(&self) -> usize {
        match &self.pixels {
            Pixels::Alpha(v) | Pixels::Rgba(v) => v.len() + 64,
        }
    }
}

/// Cached glyph bitmaps, safe to share between rendering threads.
pub struct GlyphCache {
    inner: Mutex<CacheInner>,
    budget: usize,
}

#[derive(Default)]
struct CacheInner {
    map: HashMap<Key, Option<Arc<Bitmap>>>,
    bytes: usize,
}

impl GlyphCache {
    /// A cache that holds at most about `budget` bytes of bitmaps.
    pub fn new(budget: usize) -> Self {
        Self { inner: Mutex::new(CacheInner::default()), budget }
    }

    fn get(&self, fonts: &FontSet, key: Key) -> Option<Arc<Bitmap>> {
        if let Some(hit) = self.lock().map.get(&key) {
            return hit.clone();
        }
        let bitmap = rasterize(fonts, key).map(Arc::new);
        let mut inner = self.lock();
        let cost = bitmap.as_ref().map_or(64, |b| b.bytes());
        if inner.bytes + cost > self.budget {
            inner.map.clear();
            inner.bytes = 0;
        }
        inner.bytes += cost;
        inner.map.insert(key, bitmap.clone());
        bitmap
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheInner> {
        // A panic while holding the lock cannot leave the map half-written: recover it.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn rasterize(fonts: &FontSet, key: Key) -> Option<Bitmap> {
    if let Some(tree) = fonts.picture(key.font) {
        // A picture: its art scaled into its box (see `PICTURE_BOX`), in its own colours.
        let size = f32::from(key.size);
        let (l, t, w, h) = PICTURE_BOX;
        let (left, top) = ((l * size + f32::from(key.phase) / 4.0).floor(), (t * size).floor());
        let (width, height) = ((w * size).ceil() as u32 + 1, (h * size).ceil() as u32 + 1);
        let mut pm = Pixmap::new(width, height)?;
        let art = tree.size();
        let dx = l * size + f32::from(key.phase) / 4.0 - left;
        let dy = t * size - top;
        let transform = Transform::from_row(w * size / art.width(), 0.0, 0.0, h * size / art.height(), dx, dy);
        resvg::render(tree, transform, &mut pm.as_mut());
        return Some(Bitmap {
            left: left as i32,
            top: top as i32,
            width: width as usize,
            height: height as usize,
            pixels: Pixels::Rgba(pm.take()),
        });
    }
    let face = fonts.face(key.font);
    let size = f32::from(key.size);
    let glyph = GlyphId(key.glyph);
    match face.kind {
        FaceKind::Outline => {
            use ab_glyph::Font;
            let font = face.glyphs.as_ref()?;
            // ab_glyph scales by the font's height (ascent − descent); a size is pixels per em.
            let scale = ab_glyph::PxScale::from(size * font.height_unscaled() / face.upem);
            let position = ab_glyph::point(f32::from(key.phase) / 4.0, 0.0);
            let outlined = font.outline_glyph(ab_glyph::GlyphId(key.glyph).with_scale_and_position(scale, position))?;
            let b = outlined.px_bounds();
            let (width, height) = (b.width() as usize, b.height() as usize);
            let mut alpha = vec![0u8; width * height];
            outlined.draw(|x, y, coverage| {
                if let Some(a) = alpha.get_mut(y as usize * width + x as usize) {
                    // Sixteen steps of coverage, as a 4 × 4 supersampling gives: the eye
                    // tells no more apart at these sizes, and the PNG of a card stays as
                    // small as it was before (exact coverage made it a third larger).
                    *a = ((coverage.clamp(0.0, 1.0) * 16.0).round() * (255.0 / 16.0)) as u8;
                }
            });
            Some(Bitmap { left: b.min.x as i32, top: b.min.y as i32, width, height, pixels: Pixels::Alpha(alpha) })
        }
        FaceKind::ColorBitmap => {
            let img = face.face.glyph_raster_image(glyph, u16::MAX)?;
            if img.format != RasterImageFormat::PNG {
                return None;
            }
            let src = decode_png_rgba(img.data)?;
            let s = size / f32::from(img.pixels_per_em);
            let left = (f32::from(img.x) * s).round() as i32;
            let top = (-(f32::from(img.y) + f32::from(img.height)) * s).round() as i32;
            let width = ((f32::from(img.width) * s).ceil() as u32).max(1);
            let height = ((f32::from(img.height) * s).ceil() as u32).max(1);
            let mut pm = Pixmap::new(width, height)?;
            let paint = PixmapPaint { quality: tiny_skia::FilterQuality::Bicubic, ..PixmapPaint::default() };
            pm.draw_pixmap(0, 0, src.as_ref(), &paint, Transform::from_scale(s, s), None);
            Some(Bitmap { left, top, width: width as usize, height: height as usize, pixels: Pixels::Rgba(pm.take()) })
        }
    }
}

/// Decodes the PNG inside a colour-bitmap font into a premultiplied pixmap.
fn decode_png_rgba(data: &[u8]) -> Option<Pixmap> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(data));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    let (w, h) = (info.width, info.height);
    let rgba: Vec<u8> = match info.color_type {
        png::ColorType::Rgba => buf[..info.buffer_size()].to_vec(),
        png::ColorType::Rgb => {
            buf[..info.buffer_size()].chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect()
        }
        png::ColorType::GrayscaleAlpha => {
            buf[..info.buffer_size()].chunks_exact(2).flat_map(|p| [p[0], p[0], p[0], p[1]]).collect()
        }
        png::ColorType::Grayscale => buf[..info.buffer_size()].iter().flat_map(|&g| [g, g, g, 255]).collect(),
        png::ColorType::Indexed => return None,
    };
    let mut pm = Pixmap::new(w, h)?;
    for (dst, src) in pm.pixels_mut().iter_mut().zip(rgba.chunks_exact(4)) {
        *dst = tiny_skia::ColorU8::from_rgba(src[0], src[1], src[2], src[3]).premultiply();
    }
    Some(pm)
}

/// Draws a laid-out paragraph in `color` (colour emoji keep their own colours).
pub fn draw_layout(pixmap: &mut Pixmap, fonts: &FontSet, cache: &GlyphCache, layout: &Layout, color: Rgba) {
    let size = layout.size.round().clamp(1.0, f32::from(u16::MAX)) as u16;
    for g in &layout.glyphs {
        draw_glyph(pixmap, fonts, cache, g, size, color);
    }
}

fn draw_glyph(pixmap: &mut Pixmap, fonts: &FontSet, cache: &GlyphCache, g: &PlacedGlyph, size: u16, color: Rgba) {
    let x0 = g.x.floor();
    let phase = (((g.x - x0) * 4.0).round() as u8).min(3);
    let key = Key { font: g.font, glyph: g.glyph, size, phase };
    let Some(bitmap) = cache.get(fonts, key) else {
        return;
    };
    let ox = x0 as i32 + bitmap.left;
    let oy = g.y.round() as i32 + bitmap.top;
    let (pw, ph) = (pixmap.width() as i32, pixmap.height() as i32);
    // Clip the bitmap to the canvas once, then blend row slices without per-pixel checks.
    let (c0, c1) = ((-ox).max(0), (pw - ox).min(bitmap.width as i32));
    let (r0, r1) = ((-oy).max(0), (ph - oy).min(bitmap.height as i32));
    if c0 >= c1 || r0 >= r1 {
        return;
    }
    let (c0, c1) = (c0 as usize, c1 as usize);
    let stride = pw as usize * 4;
    let data = pixmap.data_mut();
    // Source colour, premultiplied, in 0..=255.
    let ca = u32::from(color.3);
    let src_color = [u32::from(color.0) * ca / 255, u32::from(color.1) * ca / 255, u32::from(color.2) * ca / 255, ca];
    for row in r0..r1 {
        let start = (oy + row) as usize * stride + (ox as usize + c0) * 4;
        let dst = &mut data[start..start + (c1 - c0) * 4];
        let first = row as usize * bitmap.width;
        match &bitmap.pixels {
            Pixels::Alpha(a) => {
                for (d, &cov) in dst.chunks_exact_mut(4).zip(&a[first + c0..first + c1]) {
                    match cov {
                        0 => {}
                        255 if ca == 255 => d.copy_from_slice(&src_color.map(|v| v as u8)),
                        _ => {
                            let cov = u32::from(cov);
                            blend(d, src_color.map(|v| mul(v, cov)));
                        }
                    }
                }
            }
            Pixels::Rgba(p) => {
                for (d, s) in dst.chunks_exact_mut(4).zip(p[(first + c0) * 4..(first + c1) * 4].chunks_exact(4)) {
                    if s[3] != 0 {
                        blend(d, [u32::from(s[0]), u32::from(s[1]), u32::from(s[2]), u32::from(s[3])]);
                    }
                }
            }
        }
    }
}

/// Source-over for premultiplied 8-bit pixels.
#[inline]
fn blend(d: &mut [u8], src: [u32; 4]) {
    let inv = 255 - src[3];
    for k in 0..4 {
        d[k] = (src[k] + mul(u32::from(d[k]), inv)).min(255) as u8;
    }
}

/// `a * b / 255`, rounded, for 8-bit channels.
#[inline]
fn mul(a: u32, b: u32) -> u32 {
    let t = a * b + 128;
    (t + (t >> 8)) >> 8
}
