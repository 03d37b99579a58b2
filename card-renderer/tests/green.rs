//! The Jeudi perséVERT frame (`/vert`): goldens, and a photo that arrives upright, whole and
//! at reduced scale, whatever its format, size and EXIF orientation; hostile photos get a
//! typed error and never a panic.

mod common;

use std::io::Cursor;

use card_renderer::photo::{MAX_MEGAPIXELS, decode, decode_to_cover};
use card_renderer::{Pixmap, RenderError, render_green};
use common::{assets, check};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use ruban_vocabulary::{Campaign, Locale};

/// A photo in four coloured quarters: red top-left, green top-right, blue bottom-left, yellow
/// bottom-right (as stored).
fn quarters(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| match (x < w / 2, y < h / 2) {
        (true, true) => Rgb([220, 30, 30]),
        (false, true) => Rgb([30, 200, 60]),
        (true, false) => Rgb([30, 40, 220]),
        (false, false) => Rgb([240, 220, 40]),
    })
}

/// A gentle photo-like gradient.
fn gradient(w: u32, h: u32) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| Rgb([(x * 255 / w) as u8, (y * 200 / h) as u8 + 40, 150]))
}

/// A JPEG carrying an EXIF orientation tag, as a phone writes it.
fn jpeg(img: &RgbImage, orientation: u16) -> Vec<u8> {
    common::jpeg_with_orientation(img, orientation, 92)
}

fn encoded(img: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img.clone()).write_to(&mut Cursor::new(&mut out), format).unwrap();
    out
}

fn campaign() -> Campaign {
    Campaign::embedded()
}

fn at(pm: &Pixmap, x: u32, y: u32) -> (u8, u8, u8) {
    let p = pm.pixel(x, y).unwrap().demultiply();
    (p.red(), p.green(), p.blue())
}

fn near(got: (u8, u8, u8), want: (u8, u8, u8)) -> bool {
    got.0.abs_diff(want.0) < 40 && got.1.abs_diff(want.1) < 40 && got.2.abs_diff(want.2) < 40
}

#[test]
fn a_portrait_phone_photo_in_french() {
    // Stored sideways (landscape pixels, orientation 6), as a phone held upright writes it.
    let photo = jpeg(&gradient(1600, 1200), 6);
    let pm = render_green(&assets(), &photo, Locale::FrCa, Some(&campaign())).unwrap();
    assert_eq!((pm.width(), pm.height()), (1080, 1350), "upright it is a portrait: the 4:5 frame");
    check("green", "portrait_fr", &pm);
}

#[test]
fn a_landscape_photo_in_english() {
    let pm = render_green(&assets(), &encoded(&gradient(1200, 800), ImageFormat::Png), Locale::EnCa, Some(&campaign()))
        .unwrap();
    assert_eq!((pm.width(), pm.height()), (1080, 1080));
    check("green", "landscape_en", &pm);
}

#[test]
fn between_campaigns_the_frame_carries_no_year() {
    let pm = render_green(&assets(), &encoded(&gradient(900, 900), ImageFormat::Png), Locale::FrCa, None).unwrap();
    check("green", "between_campaigns", &pm);
}

#[test]
fn every_exif_orientation_comes_out_upright_at_reduced_scale() {
    // The upright picture every orientation must give back.
    let upright = quarters(1600, 1200);
    for orientation in 1..=8u16 {
        // Store what a camera would have stored for that orientation: the upright picture
        // with the inverse transform applied.
        let stored = match orientation {
            1 => upright.clone(),
            2 => image::imageops::flip_horizontal(&upright),
            3 => image::imageops::rotate180(&upright),
            4 => image::imageops::flip_vertical(&upright),
            5 => image::imageops::flip_horizontal(&image::imageops::rotate90(&upright)),
            6 => image::imageops::rotate270(&upright),
            7 => image::imageops::flip_horizontal(&image::imageops::rotate270(&upright)),
            _ => image::imageops::rotate90(&upright),
        };
        let bytes = jpeg(&stored, orientation);
        let mut asked = None;
        let img = decode_to_cover(&bytes, |w, h| {
            asked = Some((w, h));
            (400, 300)
        })
        .unwrap();
        assert_eq!(asked, Some((1600, 1200)), "orientation {orientation}: the area is asked for the upright size");
        // 400 x 300 from 1600 x 1200: a quarter-scale decode, never the full picture.
        assert_eq!((img.width(), img.height()), (400, 300), "orientation {orientation}");
        let rgb = img.to_rgb8();
        let px = |x, y| {
            let p = rgb.get_pixel(x, y);
            (p[0], p[1], p[2])
        };
        assert!(near(px(50, 50), (220, 30, 30)), "orientation {orientation}: top-left {:?}", px(50, 50));
        assert!(near(px(350, 50), (30, 200, 60)), "orientation {orientation}: top-right {:?}", px(350, 50));
        assert!(near(px(50, 250), (30, 40, 220)), "orientation {orientation}: bottom-left {:?}", px(50, 250));
        assert!(near(px(350, 250), (240, 220, 40)), "orientation {orientation}: bottom-right {:?}", px(350, 250));
        // The same as the full decoder's, corner for corner.
        let full = decode(&bytes).unwrap();
        assert_eq!((full.width(), full.height()), (1600, 1200));
    }
}

#[test]
fn a_framed_photo_shows_the_whole_upright_picture() {
    let pm = render_green(&assets(), &jpeg(&quarters(1600, 1200), 1), Locale::FrCa, Some(&campaign())).unwrap();
    // Photo area: 50..1030 across, 50..756 down (1080 x 1080 frame).
    assert!(near(at(&pm, 200, 200), (220, 30, 30)), "top-left {:?}", at(&pm, 200, 200));
    assert!(near(at(&pm, 880, 200), (30, 200, 60)), "top-right {:?}", at(&pm, 880, 200));
    assert!(near(at(&pm, 200, 650), (30, 40, 220)), "bottom-left {:?}", at(&pm, 200, 650));
    assert!(near(at(&pm, 880, 650), (240, 220, 40)), "bottom-right {:?}", at(&pm, 880, 650));
    // Rounded corners: the very corner of the photo area is the frame's white, not the photo.
    assert_eq!(at(&pm, 51, 51), (255, 255, 255));
}

#[test]
fn a_small_photo_is_framed_too() {
    let pm = render_green(&assets(), &jpeg(&quarters(240, 180), 1), Locale::FrCa, Some(&campaign())).unwrap();
    assert_eq!((pm.width(), pm.height()), (1080, 1080));
    assert!(near(at(&pm, 200, 200), (220, 30, 30)));
}

#[test]
fn every_photo_format_is_framed() {
    for format in [ImageFormat::Png, ImageFormat::Jpeg, ImageFormat::WebP, ImageFormat::Gif] {
        let pm = render_green(&assets(), &encoded(&quarters(800, 600), format), Locale::FrCa, None)
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert!(near(at(&pm, 200, 200), (220, 30, 30)), "{format:?}: {:?}", at(&pm, 200, 200));
    }
}

#[test]
fn hostile_photos_get_a_typed_error() {
    let good = jpeg(&quarters(800, 600), 1);
    // Truncated in the middle of the scan, or cut inside the headers.
    for cut in [good.len() / 2, 40, 3] {
        match render_green(&assets(), &good[..cut], Locale::FrCa, None) {
            Err(RenderError::BadPhoto(_)) => {}
            Ok(_) if cut > 100 => {} // a JPEG cut in its scan still decodes its first rows
            other => panic!("cut at {cut}: {:?}", other.map(|p| p.width())),
        }
    }
    assert!(matches!(
        render_green(&assets(), b"not a photo at all", Locale::FrCa, None),
        Err(RenderError::BadPhoto(_))
    ));
    assert!(matches!(render_green(&assets(), &[], Locale::FrCa, None), Err(RenderError::BadPhoto(_))));
    // A header that declares 65,000 x 65,000 pixels: refused before any pixel is decoded.
    let mut huge = good.clone();
    let sof = huge.windows(2).position(|w| w == [0xFF, 0xC0]).expect("a baseline frame header");
    huge[sof + 5..sof + 9].copy_from_slice(&[0xFD, 0xE8, 0xFD, 0xE8]);
    match render_green(&assets(), &huge, Locale::FrCa, None) {
        Err(RenderError::PhotoTooLarge { max_megapixels, .. }) => assert_eq!(max_megapixels, MAX_MEGAPIXELS),
        other => panic!("a 4-gigapixel header: {:?}", other.map(|p| p.width())),
    }
}

/// Issue 35: a 3:4 portrait photo is kept whole in the 4:5 frame (a head near the top was
/// cut): its first and last rows are in the frame, letterboxed rather than cropped.
#[test]
fn a_portrait_photo_is_kept_whole() {
    let photo = RgbImage::from_fn(1200, 1600, |_, y| match y {
        0..80 => Rgb([220, 20, 20]),
        1520.. => Rgb([20, 20, 220]),
        _ => Rgb([240, 240, 240]),
    });
    let pm = render_green(&assets(), &encoded(&photo, ImageFormat::Png), Locale::FrCa, Some(&campaign())).unwrap();
    // The photo's area: under the border, above the banner.
    let rows: Vec<(u8, u8, u8)> = (50..pm.height() - 300).map(|y| at(&pm, 540, y)).collect();
    assert!(rows.iter().any(|p| near(*p, (220, 20, 20))), "the photo's top rows are in the frame");
    assert!(rows.iter().any(|p| near(*p, (20, 20, 220))), "and its bottom rows");
}
