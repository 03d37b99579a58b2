//! Golden-image comparison: reference PNGs in plain git under `tests/golden/<kind>/<case>.png`,
//! compared with a small per-channel tolerance, rewritten with `RUBAN_BLESS=1`, and explained
//! on failure by a three-panel diff (expected | actual | differences) in `tests/diffs/`.

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
const OUTLIERS_PPM: usize = 200;

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
    if std::env::var_os("RUBAN_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        save_small(&actual, &path);
        return;
    }
    let expected = image::open(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with RUBAN_BLESS=1 to create it", path.display()))
        .to_rgba8();
    assert_eq!(expected.dimensions(), actual.dimensions(), "{kind}/{case}: size differs");
    let mut diff = image::RgbaImage::new(actual.width(), actual.height());
    let mut outliers = 0usize;
    for ((e, a), d) in expected.pixels().zip(actual.pixels()).zip(diff.pixels_mut()) {
        let worst = e.0.iter().zip(a.0.iter()).map(|(x, y)| x.abs_diff(*y)).max().unwrap_or(0);
        if worst > TOLERANCE {
            outliers += 1;
            *d = image::Rgba([255, 0, 0, 255]);
        } else {
            let g = (u16::from(a.0[0]) + u16::from(a.0[1]) + u16::from(a.0[2])) / 3;
            *d = image::Rgba([g as u8, g as u8, g as u8, 60]);
        }
    }
    let allowed = (actual.width() as usize * actual.height() as usize) * OUTLIERS_PPM / 1_000_000;
    if outliers > allowed {
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
            "{kind}/{case}: {outliers} pixels differ by more than {TOLERANCE} (allowed {allowed}); \
             see {} (expected | actual | diff); RUBAN_BLESS=1 rewrites the golden",
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
