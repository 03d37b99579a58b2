//! Golden-image comparison: reference PNGs in plain git under `tests/golden/<kind>/<case>.png`,
//! compared with a small per-channel tolerance, and explained on failure by a three-panel diff
//! (expected | actual | differences) in `tests/diffs/`.
//!
//! Blessing rewrites goldens, so it never happens by accident: `RUBAN_BLESS=1` (every case)
//! or `RUBAN_BLESS=card/celebrer,badge/fr_1080` (those cases) only; any other value, and any
//! value at all under `CI`, is an error.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use card_renderer::{Assets, Pixmap};

/// The assets, loaded once for the whole test binary.
pub fn assets() -> Arc<Assets> {
    static ASSETS: OnceLock<Arc<Assets>> = OnceLock::new();
    ASSETS.get_or_init(|| Assets::embedded().expect("bundled assets load")).clone()
}

/// Channel difference tolerated: resampling and SIMD paths may round differently.
const TOLERANCE: u8 = 2;
/// Share of pixels allowed beyond the tolerance (antialiasing along edges), per million.
const OUTLIERS_PPM: usize = 50;
/// And how far even those may be off: an accent or a letter lost differs by far more.
const OUTLIER_MAX: u8 = 48;

/// Whether this case is to be rewritten (see the module's doc).
fn blessing(kind: &str, case: &str) -> bool {
    let Some(value) = std::env::var_os("RUBAN_BLESS") else { return false };
    assert!(std::env::var_os("CI").is_none(), "RUBAN_BLESS is set under CI: goldens are never rewritten there");
    let value = value.to_string_lossy().into_owned();
    if value == "1" {
        return true;
    }
    let named: Vec<&str> = value.split(',').map(str::trim).collect();
    assert!(
        named.iter().all(|n| n.contains('/')),
        "RUBAN_BLESS={value:?}: use 1 (every case) or kind/case names separated by commas"
    );
    named.contains(&format!("{kind}/{case}").as_str())
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests")
}

/// Straight RGBA bytes of a pixmap.
pub fn rgba(pixmap: &Pixmap) -> image::RgbaImage {
    let mut img = image::RgbaImage::new(pixmap.width(), pixmap.height());
    for (dst, p) in img.pixels_mut().zip(pixmap.pixels()) {
        let c = p.demultiply();
        *dst = image::Rgba([c.red(), c.green(), c.blue(), c.alpha()]);
    }
    img
}

/// Compares `pixmap` with `tests/golden/<kind>/<case>.png`.
pub fn check(kind: &str, case: &str, pixmap: &Pixmap) {
    let actual = rgba(pixmap);
    let path = root().join("golden").join(kind).join(format!("{case}.png"));
    if blessing(kind, case) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        save_small(&actual, &path);
        eprintln!("blessed {kind}/{case}");
        return;
    }
    let expected = image::open(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with RUBAN_BLESS=1 to create it", path.display()))
        .to_rgba8();
    assert_eq!(expected.dimensions(), actual.dimensions(), "{kind}/{case}: size differs");
    let mut diff = image::RgbaImage::new(actual.width(), actual.height());
    let mut outliers = 0usize;
    let mut largest = 0u8;
    for ((e, a), d) in expected.pixels().zip(actual.pixels()).zip(diff.pixels_mut()) {
        let worst = e.0.iter().zip(a.0.iter()).map(|(x, y)| x.abs_diff(*y)).max().unwrap_or(0);
        largest = largest.max(worst);
        if worst > TOLERANCE {
            outliers += 1;
            *d = image::Rgba([255, 0, 0, 255]);
        } else {
            let g = (u16::from(a.0[0]) + u16::from(a.0[1]) + u16::from(a.0[2])) / 3;
            *d = image::Rgba([g as u8, g as u8, g as u8, 60]);
        }
    }
    let allowed = (actual.width() as usize * actual.height() as usize) * OUTLIERS_PPM / 1_000_000;
    eprintln!(
        "golden {kind}/{case}: {outliers} pixels beyond ±{TOLERANCE} (allowed {allowed}), largest difference {largest}"
    );
    if outliers > allowed || largest > OUTLIER_MAX {
        let dir = root().join("diffs");
        std::fs::create_dir_all(&dir).unwrap();
        let (w, h) = actual.dimensions();
        let mut panel = image::RgbaImage::new(w * 3, h);
        image::imageops::replace(&mut panel, &expected, 0, 0);
        image::imageops::replace(&mut panel, &actual, i64::from(w), 0);
        image::imageops::replace(&mut panel, &diff, i64::from(w) * 2, 0);
        let out = dir.join(format!("{kind}-{case}.png"));
        panel.save(&out).unwrap();
        panic!(
            "{kind}/{case}: {outliers} pixels differ by more than {TOLERANCE} (allowed {allowed}), the largest by \
             {largest} (allowed {OUTLIER_MAX}); see {} (expected | actual | diff); RUBAN_BLESS={kind}/{case} \
             rewrites this golden",
            out.display()
        );
    }
}

/// Writes a golden as compactly as the png crate can (they live in git).
fn save_small(img: &image::RgbaImage, path: &std::path::Path) {
    let opaque = img.pixels().all(|p| p.0[3] == 255);
    let file = std::fs::File::create(path).unwrap();
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), img.width(), img.height());
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(png::Compression::High);
    if opaque {
        enc.set_color(png::ColorType::Rgb);
        let rgb: Vec<u8> = img.pixels().flat_map(|p| [p.0[0], p.0[1], p.0[2]]).collect();
        enc.write_header().unwrap().write_image_data(&rgb).unwrap();
    } else {
        enc.set_color(png::ColorType::Rgba);
        enc.write_header().unwrap().write_image_data(img.as_raw()).unwrap();
    }
}

/// A JPEG at `quality` carrying an EXIF orientation tag, as a phone writes it.
pub fn jpeg_with_orientation(img: &image::RgbImage, orientation: u16, quality: u8) -> Vec<u8> {
    let mut exif = b"Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0".to_vec();
    exif.extend_from_slice(&orientation.to_le_bytes());
    exif.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, quality);
    enc.add_app_segment(1, &exif).unwrap();
    enc.encode(img.as_raw(), img.width() as u16, img.height() as u16, jpeg_encoder::ColorType::Rgb).unwrap();
    out
}
