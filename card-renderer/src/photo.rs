//! Photos people send: untrusted bytes that become pixels.
//!
//! Their declared size is checked before any pixel is decoded (40 megapixels at most),
//! decoders run under allocation limits, and a truncated or malformed file is a typed error,
//! never a panic. EXIF orientation is honoured, so a phone held upright gives an upright photo.
//!
//! A JPEG that is drawn small is decoded small: [`decode_to_cover`] asks `jpeg-decoder` for a
//! 1/2, 1/4 or 1/8 scale straight from the DCT, so a 12-megapixel phone photo framed at
//! 1080 px never exists at full size in memory (`image`'s JPEG decoder, zune-jpeg, decodes at
//! full size only).

use std::io::Cursor;

use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits, RgbImage};

use crate::error::RenderError;

/// The largest photo accepted, in megapixels.
pub const MAX_MEGAPIXELS: u32 = 40;
/// The most memory a decoder may allocate.
const MAX_ALLOC: u64 = 256 << 20;
/// How much smaller than asked a scaled decode may come out (then enlarged by at most this):
/// 30 % lets a 12 MP portrait photo decode at 1/4 instead of 1/2 for the 4:5 frame (756 px
/// shown at 980 on a phone), which saves a quarter of the frame's time (see the README).
const UNDERSHOOT: f32 = 1.3;

fn bad(e: impl std::fmt::Display) -> RenderError {
    RenderError::BadPhoto(e.to_string())
}

fn check_size(width: u32, height: u32) -> Result<(), RenderError> {
    if u64::from(width) * u64::from(height) > u64::from(MAX_MEGAPIXELS) * 1_000_000 {
        return Err(RenderError::PhotoTooLarge { width, height, max_megapixels: MAX_MEGAPIXELS });
    }
    if width == 0 || height == 0 {
        return Err(RenderError::BadPhoto("the image is empty".into()));
    }
    Ok(())
}

/// The most memory decoding `bytes` may take, read from the header alone (nothing decoded):
/// what a server reserves before it decodes, so many photos at once cannot outgrow its memory.
/// A JPEG decodes at half its size or less ([`decode_to_cover`], for frames of 1080 px),
/// anything else at full size with four bytes a pixel (eight for 16-bit files), plus the frame
/// drawn around it. A file whose header cannot be read needs nothing: it is refused unread.
pub fn decoding_bytes(bytes: &[u8]) -> u64 {
    const FRAME: u64 = 1080 * 1350 * 4 * 2;
    let Ok(reader) = ImageReader::new(Cursor::new(bytes)).with_guessed_format() else { return 0 };
    let jpeg = reader.format() == Some(image::ImageFormat::Jpeg);
    let Ok(decoder) = reader.into_decoder() else { return 0 };
    let (w, h) = decoder.dimensions();
    let pixels = u64::from(w) * u64::from(h);
    let decoded = if jpeg {
        // At most 1/2 scale for a photo larger than the frame; a small one at full size.
        (pixels * 3 / 4).max(pixels.min(3_000_000) * 3)
    } else {
        pixels * u64::from(decoder.color_type().bytes_per_pixel()).max(4)
    };
    decoded.min(MAX_ALLOC) + FRAME
}

/// Decodes a PNG, JPEG, WebP or GIF (first frame) at full size, honouring EXIF orientation.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, RenderError> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(bad)?;
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
    check_size(width, height)?;
    let orientation = decoder.orientation().map_err(bad)?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(bad)?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// Decodes a photo large enough to cover the area `target` gives for its upright size
/// (width, height): a JPEG at the smallest DCT scale that is large enough (up to
/// [`UNDERSHOOT`] short), anything else at full size ([`decode`]).
pub fn decode_to_cover(bytes: &[u8], target: impl FnOnce(u32, u32) -> (u32, u32)) -> Result<DynamicImage, RenderError> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        let img = decode(bytes)?;
        target(img.width(), img.height());
        return Ok(img);
    }
    let mut decoder = jpeg_decoder::Decoder::new(Cursor::new(bytes));
    decoder.set_max_decoding_buffer_size(MAX_ALLOC as usize);
    decoder.read_info().map_err(bad)?;
    let info = decoder.info().ok_or_else(|| bad("no image header"))?;
    let (sw, sh) = (u32::from(info.width), u32::from(info.height));
    check_size(sw, sh)?;
    if !matches!(info.pixel_format, jpeg_decoder::PixelFormat::RGB24 | jpeg_decoder::PixelFormat::L8) {
        // CMYK and 16-bit greys are rare in photos: the full decoder knows their colours.
        let img = decode(bytes)?;
        target(img.width(), img.height());
        return Ok(img);
    }
    // The APP1 segment comes before the frame header, so it is known once the header is.
    let orientation = decoder.exif_data().and_then(Orientation::from_exif_chunk).unwrap_or(Orientation::NoTransforms);
    let quarter_turn = matches!(
        orientation,
        Orientation::Rotate90 | Orientation::Rotate270 | Orientation::Rotate90FlipH | Orientation::Rotate270FlipH
    );
    let (uw, uh) = if quarter_turn { (sh, sw) } else { (sw, sh) };
    let (width, height) = target(uw, uh);
    let needed = (width as f32 / uw as f32).max(height as f32 / uh as f32);
    let eighths = [1u32, 2, 4].into_iter().find(|k| *k as f32 / 8.0 * UNDERSHOOT >= needed).unwrap_or(8);
    // jpeg-decoder picks the smallest scale reaching the width asked (the height asked here
    // is never reached): exactly `eighths`/8 of the stored width.
    let scaled_width = (sw * eighths).div_ceil(8);
    decoder.scale(u16::try_from(scaled_width).unwrap_or(u16::MAX), u16::MAX).map_err(bad)?;
    let pixels = decoder.decode().map_err(bad)?;
    let info = decoder.info().ok_or_else(|| bad("no image header"))?;
    let (w, h) = (u32::from(info.width), u32::from(info.height));
    let rgb = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&v| [v, v, v]).collect(),
        _ => pixels,
    };
    let image = RgbImage::from_raw(w, h, rgb).ok_or_else(|| bad("the image is truncated"))?;
    let mut img = DynamicImage::ImageRgb8(image);
    img.apply_orientation(orientation);
    Ok(img)
}
