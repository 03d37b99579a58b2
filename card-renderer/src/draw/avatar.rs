//! The avatar frame: any photo becomes a 512 x 512 round profile picture framed by the ribbon
//! (the photo decoded by [`crate::photo`]).

use image::{DynamicImage, imageops::FilterType};
use tiny_skia::{FillRule, Mask, Pixmap, PixmapPaint, Transform};

use super::paint::{TextBox, canvas, fill_circle, solid};
use crate::assets::Assets;
use crate::error::RenderError;
use crate::fonts::Style;
use crate::spec::Locale;
use crate::text::{Rect, Rgba};

/// Side of the avatar, px.
pub const SIZE: u32 = 512;

const GREEN: Rgba = Rgba::hex(0x2BA84A);
const DARK: Rgba = Rgba::hex(0x0B6E4F);

/// Frames a photo.
pub fn draw(
    assets: &Assets,
    photo: &DynamicImage,
    caption: &str,
    locale: Locale,
    edition: Option<&ruban_vocabulary::campaign::Campaign>,
) -> Result<Pixmap, RenderError> {
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
        edition,
        locale,
        Rect::new(100.0, 404.0, 312.0, 48.0),
        18.0,
        Rgba::hex(0xFFFFFF),
    );
    assets.draw_art(&mut pm, "ribbon", 346.0, 58.0, 84.0, 108.0);
    Ok(pm)
}
