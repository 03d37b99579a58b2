//! Times one certificate's drawing and its JPEG encoding (what a class's PDF costs per page).
//!
//! `cargo run --release -p card-renderer --example certificate_timing`
use std::time::Instant;

use card_renderer::{Assets, CertificateSpec, Name, Reason};
use ruban_vocabulary::Locale;

fn main() {
    let assets = Assets::embedded().expect("assets");
    let spec = CertificateSpec {
        recipient: Name::parse("Élodie").unwrap(),
        reason: Reason::parse("pour ses efforts et sa persévérance").unwrap(),
        giver: Name::parse("Mme Roy").unwrap(),
        organization: None,
        date: time::macros::date!(2026 - 02 - 19),
        locale: Locale::FrCa,
    };
    for _ in 0..3 {
        let t = Instant::now();
        let pm = card_renderer::render_certificate_in(&assets, &spec, None);
        let drawn = t.elapsed();
        let t = Instant::now();
        let jpeg = card_renderer::encode::jpeg_print(&pm).unwrap();
        println!("drawn in {drawn:?}, JPEG to print (q92, 4:2:0, {} kB) in {:?}", jpeg.len() / 1000, t.elapsed());
    }
}
