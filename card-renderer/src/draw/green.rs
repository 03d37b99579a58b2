//! The Jeudi perséVERT frame: a photo of people wearing green, framed in the ribbon's green
//! and white with « Jeudi perséVERT », the green wave's hashtag and the campaign line, ready
//! to share. Portrait photos get a 1080 x 1350 frame (what phones and feeds show whole),
//! others 1080 x 1080.
//!
//! Everything but the photo depends only on the size, the language and the campaign, so it
//! is drawn once and kept ([`Assets::layer`]); a photo costs a copy of that layer and the
//! photo's own pixels.

use image::DynamicImage;
use tiny_skia::{FillRule, PathBuilder, Pixmap, Transform};

use super::paint::{TextBox, canvas, fill_rounded, solid};
use crate::assets::Assets;
use crate::fonts::Style;
use crate::spec::Locale;
use crate::text::{Rect, Rgba};
use ruban_vocabulary::campaign::Campaign;

const DARK: Rgba = Rgba::hex(0x0B6E4F);
const GREEN: Rgba = Rgba::hex(0x2BA84A);
const LIGHT: Rgba = Rgba::hex(0xC4F5D0);
const WHITE: Rgba = Rgba::hex(0xFFFFFF);

/// Width of every frame, px.
pub const WIDTH: u32 = 1080;
/// Height of the banner under the photo, px.
const BANNER: f32 = 260.0;
/// The striped border, then the white edge, px.
const BORDER: f32 = 36.0;
const EDGE: f32 = 14.0;

/// The frame's size for an upright photo of `w` x `h`: 4:5 for a portrait photo, square
/// otherwise.
pub fn canvas_size(w: u32, h: u32) -> (u32, u32) {
    if u64::from(h) * 100 > u64::from(w) * 105 { (WIDTH, 1350) } else { (WIDTH, WIDTH) }
}

/// Where the photo goes in a frame of `height` px.
pub fn photo_area(height: u32) -> Rect {
    let inset = BORDER + EDGE;
    Rect::new(inset, inset, WIDTH as f32 - 2.0 * inset, height as f32 - 2.0 * inset - BANNER - EDGE)
}

/// Frames `photo` (already upright, about the size of [`photo_area`] or larger).
pub fn draw(assets: &Assets, photo: &DynamicImage, height: u32, locale: Locale, edition: Option<&Campaign>) -> Pixmap {
    let key = format!("green/{height}/{}/{}", locale.tag(), super::edition_key(edition));
    let mut pm = (*assets.layer(&key, || frame(assets, height, locale, edition))).clone();
    let area = photo_area(height);
    let (aw, ah) = (area.w.round() as u32, area.h.round() as u32);
    let (pw, ph) = (photo.width().max(1) as f32, photo.height().max(1) as f32);
    let (wide, tall) = (aw as f32 / pw, ah as f32 / ph);
    // Covering the area crops what overflows; past a tenth of the photo (a 3:4 portrait lost
    // an eighth at the top and at the bottom, heads included) the whole photo is kept instead,
    // letterboxed on the frame's pale green.
    if wide.min(tall) / wide.max(tall) >= CROP_AT_MOST {
        let fitted = cover(photo, aw, ah);
        paste_rounded(&mut pm, &fitted, area.x as usize, area.y as usize, 22.0);
    } else {
        let scale = wide.min(tall);
        let (fw, fh) = (((pw * scale).round() as u32).clamp(1, aw), ((ph * scale).round() as u32).clamp(1, ah));
        fill_rounded(&mut pm, area, 22.0, PALE);
        let fitted = cover(photo, fw, fh);
        let (x, y) = (area.x as usize + (aw - fw) as usize / 2, area.y as usize + (ah - fh) as usize / 2);
        paste_rounded(&mut pm, &fitted, x, y, 22.0);
    }
    pm
}

/// The least share of a photo's length kept when it covers the frame's area; below it, the
/// photo is letterboxed whole.
const CROP_AT_MOST: f32 = 0.9;
/// The bands around a letterboxed photo.
const PALE: Rgba = Rgba::hex(0xE8F5EC);

/// Copies `photo` (RGB, `w` x `h`) into `pm` at (`x`, `y`), its corners rounded to `radius`
/// with one blended pixel at the edge: straight into the frame's pixels, with no mask and no
/// second canvas (what took a third of the time after the decoding).
fn paste_rounded(pm: &mut Pixmap, photo: &fast_image_resize::images::Image<'_>, x: usize, y: usize, radius: f32) {
    let (w, h) = (photo.width() as usize, photo.height() as usize);
    let stride = pm.width() as usize * 4;
    let src = photo.buffer();
    let data = pm.data_mut();
    for row in 0..h {
        // How far the rounded corner cuts into this row, in pixels (fractional).
        let from_edge = (row as f32 + 0.5).min(h as f32 - row as f32 - 0.5);
        let cut = if from_edge < radius {
            let dy = radius - from_edge;
            radius - (radius * radius - dy * dy).max(0.0).sqrt()
        } else {
            0.0
        };
        let line = &mut data[(y + row) * stride..(y + row + 1) * stride];
        let src_line = &src[row * w * 3..(row + 1) * w * 3];
        let first = cut.floor() as usize;
        for col in first..w - first {
            let inside = (col as f32 + 1.0 - cut).min(w as f32 - col as f32 - cut).clamp(0.0, 1.0);
            let (s, d) = (&src_line[col * 3..col * 3 + 3], &mut line[(x + col) * 4..(x + col) * 4 + 4]);
            if inside >= 1.0 {
                d.copy_from_slice(&[s[0], s[1], s[2], 255]);
            } else {
                let a = (inside * 256.0) as u16;
                for c in 0..3 {
                    d[c] = ((u16::from(s[c]) * a + u16::from(d[c]) * (256 - a)) >> 8) as u8;
                }
                d[3] = 255;
            }
        }
    }
}

/// Resizes `photo` to cover `w` x `h`, cropping the overflow evenly (faces are rarely at a
/// photo's edges). SIMD bilinear resizing: `image`'s generic filters took 120 ms here.
fn cover(photo: &DynamicImage, w: u32, h: u32) -> fast_image_resize::images::Image<'static> {
    use fast_image_resize::{
        FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer, images::Image, images::ImageRef,
    };
    let owned;
    let rgb = match photo {
        DynamicImage::ImageRgb8(rgb) => rgb,
        other => {
            owned = other.to_rgb8();
            &owned
        }
    };
    let mut fitted = Image::new(w, h, PixelType::U8x3);
    let resized = ImageRef::new(rgb.width(), rgb.height(), rgb.as_raw(), PixelType::U8x3)
        .map_err(|e| e.to_string())
        .and_then(|src| {
            let options = ResizeOptions::new()
                .resize_alg(ResizeAlg::Convolution(FilterType::Bilinear))
                .fit_into_destination(None);
            Resizer::new().resize(&src, &mut fitted, &options).map_err(|e| e.to_string())
        });
    if let Err(e) = resized {
        // Sizes are checked before: a defect, drawn as the frame's white.
        debug_assert!(false, "photo resize failed: {e}");
        fitted.buffer_mut().fill(255);
    }
    fitted
}

/// The frame without its photo: green-and-white stripes, the white edge, the banner.
fn frame(assets: &Assets, height: u32, locale: Locale, edition: Option<&Campaign>) -> Pixmap {
    let (fw, fh) = (WIDTH as f32, height as f32);
    let mut pm = canvas(WIDTH, height);
    pm.fill(GREEN.skia());
    // The ribbon's two colours as diagonal stripes all around.
    let stripe = 34.0;
    let mut pb = PathBuilder::new();
    let mut x = -fh;
    while x < fw {
        pb.move_to(x, fh);
        pb.line_to(x + stripe, fh);
        pb.line_to(x + stripe + fh, 0.0);
        pb.line_to(x + fh, 0.0);
        pb.close();
        x += stripe * 2.0;
    }
    if let Some(path) = pb.finish() {
        pm.fill_path(&path, &solid(WHITE), FillRule::Winding, Transform::identity(), None);
    }
    fill_rounded(&mut pm, Rect::new(BORDER, BORDER, fw - 2.0 * BORDER, fh - 2.0 * BORDER), 30.0, WHITE);
    let inset = BORDER + EDGE;
    let banner = Rect::new(inset, fh - inset - BANNER, fw - 2.0 * inset, BANNER);
    fill_rounded(&mut pm, banner, 22.0, DARK);
    assets.draw_art(&mut pm, "ribbon", banner.x + 22.0, banner.y + 26.0, 150.0, BANNER - 52.0);
    let text_x = banner.x + 196.0;
    let text_w = banner.x + banner.w - 24.0 - text_x;
    let title = assets.texts.get(locale, "green-title", &[]);
    TextBox::line(Rect::new(text_x, banner.y + 14.0, text_w, 92.0), Style::Display, 84.0, 40.0, WHITE)
        .draw(&mut pm, assets, &title);
    let tag = match edition {
        Some(c) => c.persevert_hashtag().to_owned(),
        None => assets.texts.get(locale, "hashtag-no-campaign", &[]),
    };
    TextBox::line(Rect::new(text_x, banner.y + 106.0, text_w, 56.0), Style::Bold, 48.0, 28.0, LIGHT)
        .draw(&mut pm, assets, &tag);
    super::campaign_line(
        &mut pm,
        assets,
        edition,
        locale,
        Rect::new(text_x, banner.y + 164.0, text_w, 88.0),
        36.0,
        WHITE,
    );
    pm
}
