//! The avatar frame: any photo becomes a 512 x 512 round profile picture framed by the ribbon.
//!
//! Photos are untrusted: their declared size is checked before any pixel is decoded (40
//! megapixels at most), decoders run under allocation limits, and a truncated or malformed
//! file is a typed error, never a panic.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageReader, Limits, imageops::FilterType};
use tiny_skia::{FillRule, Mask, Pixmap, PixmapPaint, Transform};

use super::paint::{TextBox, canvas, fill_circle, solid};
use crate::assets::Assets;
use crate::error::RenderError;
use crate::fonts::Style;
use crate::spec::Locale;
use crate::text::{Rect, Rgba};

/// Side of the avatar, px.
pub const SIZE: u32 = 512;
/// The largest photo accepted, in megapixels.
pub const MAX_MEGAPIXELS: u32 = 40;
/// The most memory a decoder may allocate.
const MAX_ALLOC: u64 = 256 << 20;

const GREEN: Rgba = Rgba::hex(0x2BA84A);
const DARK: Rgba = Rgba::hex(0x0B6E4F);

/// Decodes a PNG, JPEG, WebP or GIF (first frame), honouring EXIF orientation.
pub fn decode_photo(bytes: &[u8]) -> Result<DynamicImage, RenderError> {
    let bad = |e: image::ImageError| RenderError::BadPhoto(e.to_string());
    let mut reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| RenderError::BadPhoto(e.to_string()))?;
    if reader.format().is_none() {
        return Err(RenderError::BadPhoto("not a PNG, JPEG, WebP or GIF file".into()));
    }
    let mut limits = Limits::default();
    limits.max_alloc = Some(MAX_ALLOC);
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(bad)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > u64::from(MAX_MEGAPIXELS) * 1_000_000 {
        return Err(RenderError::PhotoTooLarge { width, height, max_megapixels: MAX_MEGAPIXELS });
    }
    if width == 0 || height == 0 {
        return Err(RenderError::BadPhoto("the image is empty".into()));
    }
    let orientation = decoder.orientation().map_err(bad)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(bad)?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// Frames a photo.
pub fn draw(assets: &Assets, photo: &DynamicImage, caption: &str, locale: Locale) -> Result<Pixmap, RenderError> {
    let (w, h) = (photo.width(), photo.height());
    let side = w.min(h);
    let square = photo.crop_imm((w - side) / 2, (h - side) / 2, side, side);
    let inner = 440;
    let small = square.resize_exact(inner, inner, FilterType::Triangle).to_rgba8();
    let mut photo_pm = canvas(inner, inner);
    for (dst, src) in photo_pm.pixels_mut().iter_mut().zip(small.pixels()) {
        *dst = tiny_skia::ColorU8::from_rgba(src[0], src[1], src[2], src[3]).premultiply();
    }
    let c = SIZE as f32 / 2.0;
    let mut pm = canvas(SIZE, SIZE);
    // The frame: a green ring with a white inner edge.
    fill_circle(&mut pm, c, c, 254.0, GREEN);
    fill_circle(&mut pm, c, c, 228.0, Rgba::hex(0xFFFFFF));
    let offset = (SIZE - inner) as f32 / 2.0;
    let mut mask = Mask::new(SIZE, SIZE).ok_or_else(|| RenderError::Encode("mask".into()))?;
    if let Some(circle) = tiny_skia::PathBuilder::from_circle(c, c, 220.0) {
        mask.fill_path(&circle, FillRule::Winding, true, Transform::identity());
    }
    pm.draw_pixmap(
        offset as i32,
        offset as i32,
        photo_pm.as_ref(),
        &PixmapPaint::default(),
        Transform::identity(),
        Some(&mask),
    );
    // A banner with the campaign's words and line, and the ribbon on the ring: all of it
    // inside the circle that Discord and Telegram crop profile pictures to.
    if let Some(path) = super::paint::rounded_rect(Rect::new(88.0, 358.0, 336.0, 100.0), 34.0) {
        pm.fill_path(&path, &solid(DARK), FillRule::Winding, Transform::identity(), None);
    }
    TextBox::line(Rect::new(104.0, 362.0, 304.0, 40.0), Style::Bold, 32.0, 14.0, Rgba::hex(0xFFFFFF))
        .draw(&mut pm, assets, caption);
    super::campaign_line(
        &mut pm,
        assets,
        Some(&assets.campaign),
        locale,
        Rect::new(100.0, 404.0, 312.0, 48.0),
        18.0,
        Rgba::hex(0xFFFFFF),
    );
    assets.draw_art(&mut pm, "ribbon", 346.0, 58.0, 84.0, 108.0);
    Ok(pm)
}
