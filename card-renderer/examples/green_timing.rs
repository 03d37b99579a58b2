//! Times the Jeudi perséVERT frame on a phone photo: a 12-megapixel JPEG (4032 x 3024, stored
//! sideways with EXIF orientation 6, as phones held upright write them, about 4 MB) decoded at
//! reduced scale, framed, and encoded as the JPEG that is sent. One thread.
//!
//! `cargo run --release -p card-renderer --example green_timing [-- framed.jpg [photo.jpg]]`
use std::time::{Duration, Instant};

use card_renderer::Assets;
use ruban_vocabulary::{Campaign, Locale};

/// A photo-like 4032 x 3024 picture: soft shapes under luminance grain (phones smooth the
/// colour noise away and keep some of the light's), about the 3 MB of a phone's 12 MP photo;
/// `grain` sets how much, and with it the file's size.
fn phone_photo(grain_levels: u64) -> Vec<u8> {
    let (w, h) = (4032u32, 3024u32);
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    for y in 0..h {
        for x in 0..w {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let grain = (seed % grain_levels) as i32 - (grain_levels / 2) as i32;
            let dx = x as i32 - 2016;
            let dy = y as i32 - 1512;
            let shirt = dx * dx / 4 + dy * dy < 900_000;
            let base = if shirt { [40, 170, 80] } else { [200 - (y / 20) as i32, 190, 170 + (x / 40) as i32] };
            let i = ((y * w + x) * 3) as usize;
            for c in 0..3 {
                rgb[i + c] = (base[c] + grain).clamp(0, 255) as u8;
            }
        }
    }
    let mut exif = b"Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0".to_vec();
    exif.extend_from_slice(&6u16.to_le_bytes());
    exif.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
    let mut out = Vec::new();
    let mut enc = jpeg_encoder::Encoder::new(&mut out, 90);
    enc.add_app_segment(1, &exif).expect("exif");
    enc.encode(&rgb, w as u16, h as u16, jpeg_encoder::ColorType::Rgb).expect("encode");
    out
}

fn main() {
    let out = std::env::args().nth(1);
    let assets = Assets::embedded().expect("assets");
    let campaign = Campaign::embedded();
    let grain = std::env::var("GRAIN").ok().and_then(|g| g.parse().ok()).unwrap_or(25);
    let photo = phone_photo(grain);
    if let Some(path) = std::env::args().nth(2) {
        std::fs::write(path, &photo).expect("write the photo");
    }
    println!("photo: 4032 x 3024, EXIF orientation 6, {:.1} MB", photo.len() as f64 / 1e6);
    let (mut framed, mut sent) = (Vec::new(), Vec::new());
    for want in [2000, 1000, 700, 300] {
        let t = Instant::now();
        let img = card_renderer::photo::decode_to_cover(&photo, |_, _| (want, want)).expect("decode");
        println!("decode alone: {:?} -> {} x {}", t.elapsed(), img.width(), img.height());
    }
    let t = Instant::now();
    let img = image::load_from_memory(&photo).unwrap();
    println!("zune full: {:?} -> {} x {}", t.elapsed(), img.width(), img.height());
    for run in 0..12 {
        let t = Instant::now();
        let pm = card_renderer::render_green(&assets, &photo, Locale::FrCa, Some(&campaign)).expect("frame");
        let drawn = t.elapsed();
        let t = Instant::now();
        let jpeg = card_renderer::encode::jpeg(&pm, 88).expect("jpeg");
        let encoded = t.elapsed();
        if run == 0 {
            println!("first (the frame's layer drawn too): {drawn:?}, {} x {}", pm.width(), pm.height());
            if let Some(path) = &out {
                let bytes = if path.ends_with(".png") { card_renderer::encode::png(&pm).expect("png") } else { jpeg };
                std::fs::write(path, bytes).expect("write");
            }
            continue;
        }
        framed.push(drawn);
        sent.push(drawn + encoded);
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    println!(
        "decoded and framed: median {:?}, worst {:?}; with the JPEG sent (q88): median {:?}, worst {:?}",
        median(&mut framed),
        framed.last().copied().unwrap_or_default(),
        median(&mut sent),
        sent.last().copied().unwrap_or_default()
    );
}
