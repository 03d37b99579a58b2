//! Bad input gets a typed error (never a panic, never a silent cut), and every output decodes
//! back to what was asked, byte for byte the same each time, with no metadata.

mod common;

use std::io::Cursor;

use card_renderer::*;
use common::assets;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use ruban_vocabulary::*;
use time::macros::date;

fn card() -> CardSpec {
    CardSpec {
        to: Name::parse("Élodie 💚").unwrap(),
        from: Some(Name::parse("Mme Tremblay").unwrap()),
        message: None,
        design: Design::Investir,
        locale: Locale::FrCa,
    }
}

fn encode_with(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

/// A photo whose left half is red and right half blue.
fn halves(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, _| if x < w / 2 { Rgb([220, 20, 20]) } else { Rgb([20, 20, 220]) })
}

#[test]
fn caps_are_typed_errors() {
    assert!(matches!(Name::parse(&"a".repeat(41)), Err(RenderError::TooLong { max: 40, got: 41, .. })));
    assert!(matches!(Message::parse(&"é".repeat(281)), Err(RenderError::TooLong { max: 280, got: 281, .. })));
    assert!(matches!(Message::parse("\u{202E}\u{200B}"), Err(RenderError::Empty { .. })));
    // JSON specs go through the same validation.
    let json = format!(r#"{{"to": "{}", "design": "oser"}}"#, "x".repeat(41));
    assert!(serde_json::from_str::<CardSpec>(&json).is_err());
}

#[test]
fn png_and_jpeg_round_trip_at_the_right_size() {
    let a = assets();
    let pixmap = render_card(&a, &card());
    let png = encode_as(&pixmap, Format::Png).unwrap();
    let decoded = image::load_from_memory_with_format(&png, ImageFormat::Png).unwrap().to_rgba8();
    assert_eq!(decoded.dimensions(), (1080, 1080));
    assert_eq!(decoded, common::rgba(&pixmap), "PNG is lossless");
    let jpeg = encode_as(&pixmap, Format::Jpeg).unwrap();
    let decoded = image::load_from_memory_with_format(&jpeg, ImageFormat::Jpeg).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (1080, 1080));
    let badge =
        BadgeSpec { name: None, number: 7, date: date!(2026 - 02 - 16), locale: Locale::EnCa, size: BadgeSize::Small };
    let small = image::load_from_memory(&encode::png(&render_badge(&a, &badge)).unwrap()).unwrap();
    assert_eq!((small.width(), small.height()), (512, 512));
}

#[test]
fn same_input_same_bytes_and_no_metadata() {
    let a = assets();
    let first = encode::png(&render_card(&a, &card())).unwrap();
    let second = encode::png(&render_card(&a, &card())).unwrap();
    assert_eq!(first, second);
    // Walk the PNG chunks: only image structure, no text, time or EXIF chunk.
    let mut i = 8;
    while i + 8 <= first.len() {
        let len = u32::from_be_bytes(first[i..i + 4].try_into().unwrap()) as usize;
        let kind = std::str::from_utf8(&first[i + 4..i + 8]).unwrap();
        assert!(matches!(kind, "IHDR" | "IDAT" | "IEND"), "unexpected chunk {kind}");
        i += 12 + len;
    }
}

#[test]
fn certificate_pdf_is_a_letter_page_with_the_image() {
    let spec = CertificateSpec {
        recipient: Name::parse("Noah").unwrap(),
        reason: Reason::parse("son courage en lecture").unwrap(),
        giver: Name::parse("M. Roy").unwrap(),
        organization: None,
        date: date!(2026 - 02 - 19),
        locale: Locale::EnCa,
    };
    let pdf = certificate_pdf(&assets(), &spec).unwrap();
    let text = String::from_utf8_lossy(&pdf);
    assert!(pdf.starts_with(b"%PDF-1.4"));
    assert!(text.contains("/MediaBox [0 0 792 612]"));
    assert!(text.contains("/Width 3300 /Height 2550"));
    assert!(text.trim_end().ends_with("%%EOF"));
    // The embedded image is a real JPEG of the certificate.
    let start = pdf.windows(2).position(|w| w == [0xFF, 0xD8]).unwrap();
    let end = pdf.windows(2).rposition(|w| w == [0xFF, 0xD9]).unwrap() + 2;
    let img = image::load_from_memory_with_format(&pdf[start..end], ImageFormat::Jpeg).unwrap();
    assert_eq!((img.width(), img.height()), (3300, 2550));
    // startxref points at the xref table.
    let sx: usize = text.rsplit("startxref").next().unwrap().split_whitespace().next().unwrap().parse().unwrap();
    assert!(pdf[sx..].starts_with(b"xref"));
}

fn avatar(bytes: &[u8]) -> Result<Pixmap, RenderError> {
    render_avatar(&assets(), bytes, Locale::FrCa)
}

/// The colour at the top centre of the framed photo.
fn top_of_photo(pm: &Pixmap) -> (u8, u8, u8) {
    let p = pm.pixel(256, 80).unwrap().demultiply();
    (p.red(), p.green(), p.blue())
}

#[test]
fn every_photo_format_is_framed() {
    let photo = DynamicImage::ImageRgb8(halves(300, 200));
    for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::WebP, ImageFormat::Gif] {
        let pm = avatar(&encode_with(&photo, format)).unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert_eq!((pm.width(), pm.height()), (512, 512));
        // Left of centre is red, right is blue: the photo is inside, upright.
        let left = pm.pixel(150, 256).unwrap().demultiply();
        let right = pm.pixel(360, 256).unwrap().demultiply();
        assert!(left.red() > 150 && left.blue() < 90, "{format:?}: left is {left:?}");
        assert!(right.blue() > 150 && right.red() < 90, "{format:?}: right is {right:?}");
    }
}

#[test]
fn gif_uses_its_first_frame() {
    use image::codecs::gif::GifEncoder;
    use image::{Delay, Frame, RgbaImage};
    let mut gif = Vec::new();
    {
        let mut enc = GifEncoder::new(&mut gif);
        for color in [[20u8, 200, 20, 255], [200, 20, 20, 255]] {
            let frame = Frame::from_parts(
                RgbaImage::from_pixel(64, 64, image::Rgba(color)),
                0,
                0,
                Delay::from_numer_denom_ms(100, 1),
            );
            enc.encode_frame(frame).unwrap();
        }
    }
    let (r, g, _) = top_of_photo(&avatar(&gif).unwrap());
    assert!(g > 150 && r < 90, "first frame is green, got r={r} g={g}");
}

/// A JPEG carrying an EXIF orientation tag.
fn jpeg_with_orientation(img: &RgbImage, orientation: u16) -> Vec<u8> {
    common::jpeg_with_orientation(img, orientation, 90)
}

#[test]
fn exif_orientation_is_honoured() {
    // Stored sideways: red left, blue right; orientation 6 means "rotate 90° clockwise to view",
    // which puts red on top.
    let pm = avatar(&jpeg_with_orientation(&halves(300, 200), 6)).unwrap();
    let (r, _, b) = top_of_photo(&pm);
    assert!(r > 150 && b < 90, "red should be on top after rotation, got r={r} b={b}");
    // (Below the middle, above the banner that carries the campaign line.)
    let bottom = pm.pixel(256, 330).unwrap().demultiply();
    assert!(bottom.blue() > 150 && bottom.red() < 90, "blue should be at the bottom, got {bottom:?}");
    // Without the tag the same pixels stay where they were stored: red left, blue right.
    let upright = avatar(&jpeg_with_orientation(&halves(300, 200), 1)).unwrap();
    let left = upright.pixel(120, 256).unwrap().demultiply();
    let right = upright.pixel(390, 256).unwrap().demultiply();
    assert!(left.red() > 150 && right.blue() > 150, "left {left:?}, right {right:?}");
}

#[test]
fn oversized_photos_are_refused_before_decoding() {
    // 7000 x 6000 = 42 megapixels of zeros: a few hundred KB that would inflate to 126 MB.
    let (w, h) = (7000u32, 6000u32);
    let mut bomb = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut bomb, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_compression(png::Compression::Fast);
        let mut writer = enc.write_header().unwrap();
        writer.write_image_data(&vec![0u8; (w * h * 3) as usize]).unwrap();
    }
    assert!(bomb.len() < 2 << 20, "the bomb is small: {} bytes", bomb.len());
    assert_eq!(avatar(&bomb).unwrap_err(), RenderError::PhotoTooLarge { width: w, height: h, max_megapixels: 40 });

    // A JPEG header claiming 65535 x 65535.
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 80).encode(&[0u8; 8 * 8 * 3], 8, 8, jpeg_encoder::ColorType::Rgb).unwrap();
    let sof = jpeg.windows(2).position(|m| m == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 5..sof + 9].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
    assert!(avatar(&jpeg).is_err());
}

#[test]
fn truncated_and_malformed_photos_are_typed_errors() {
    let png = encode_with(&DynamicImage::ImageRgb8(halves(200, 200)), ImageFormat::Png);
    for cut in [8, 40, png.len() / 2, png.len() - 13] {
        assert!(matches!(avatar(&png[..cut]), Err(RenderError::BadPhoto(_))), "cut at {cut}");
    }
    assert!(matches!(avatar(b"GIF89a\x01\x00"), Err(RenderError::BadPhoto(_))));
    assert!(matches!(avatar(b""), Err(RenderError::BadPhoto(_))));
    assert!(matches!(avatar(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), Err(RenderError::BadPhoto(_))));
    let mut garbage = png.clone();
    for b in garbage.iter_mut().skip(60).step_by(7) {
        *b ^= 0x5A;
    }
    assert!(avatar(&garbage).is_err());
}

/// The bots hand every pixmap back for the next card on the same thread (`into_png`); a
/// recycled buffer must never show through: a card drawn after others is the same image as
/// one drawn first, and a transparent image encoded after an opaque one keeps its alpha.
#[test]
fn reused_buffers_leave_no_trace() {
    let a = assets();
    let fresh = std::thread::scope(|s| s.spawn(|| into_png(render_card(&a, &card())).unwrap()).join().unwrap());
    let mut other = card();
    other.design = Design::Investir;
    other.to = Name::parse("Quelqu’un d’autre avec un long nom").unwrap();
    other.message = Some(Message::parse("Un tout autre message, bien plus long que la suggestion.").unwrap());
    for _ in 0..2 {
        into_png(render_card(&a, &other)).unwrap();
    }
    assert_eq!(into_png(render_card(&a, &card())).unwrap(), fresh, "same card, same bytes");
    let clear = Pixmap::new(4, 4).unwrap();
    let decoded = image::load_from_memory(&into_png(clear).unwrap()).unwrap().to_rgba8();
    assert!(decoded.pixels().all(|p| p.0[3] == 0), "a transparent image stays transparent");
}

#[test]
fn the_avatar_frame_stays_inside_the_circle_platforms_crop_to() {
    // Discord and Telegram show profile pictures as a circle: nothing may ink outside it.
    let photo = DynamicImage::ImageRgb8(halves(300, 200));
    for locale in [Locale::FrCa, Locale::EnCa] {
        let pm = render_avatar(&assets(), &encode_with(&photo, ImageFormat::Png), locale).unwrap();
        let (c, r) = (pm.width() as f32 / 2.0, pm.width() as f32 / 2.0);
        let outside = pm
            .pixels()
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                let (x, y) = ((*i as u32 % pm.width()) as f32 + 0.5, (*i as u32 / pm.width()) as f32 + 0.5);
                p.alpha() > 0 && ((x - c).powi(2) + (y - c).powi(2)).sqrt() > r
            })
            .count();
        assert_eq!(outside, 0, "{locale}: {outside} pixels ink outside the circle");
    }
}
