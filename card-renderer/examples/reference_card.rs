//! Draws `../shared/bench/reference-card.md` the way the peers do (everything drawn per card,
//! nothing cached but the loaded fonts and their glyphs), and prints the peers' JSON line:
//! `impl, per_card_ms, cards_per_s, png_bytes, peak_rss_mb, cold_ms`.
//!
//! `cargo run --release -p card-renderer --example reference_card`
//! Environment: `PEER_CARDS` (200), `PEER_WARMUP` (10), `PEER_T0` (epoch seconds at exec),
//! `REFERENCE_OUT` (write the PNG there).

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use card_renderer::Assets;
use card_renderer::draw::paint::{TextBox, canvas, fill_rounded, gradient};
use card_renderer::encode;
use card_renderer::fonts::Style;
use card_renderer::text::{Rect, Rgba, VAlign};
use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Transform};

const TITLE: &str = "Bravo Alexandre !";
const MESSAGE: &str = "Ton exposé sur les volcans était vraiment impressionnant. Continue comme ça, \
                       ta persévérance fait toute la différence ! Je suis fière de toi.";
const SIGNATURE: &str = "— Mme Tremblay, 5e année";
const FOOTER: &str = "#JPS2026 · La persévérance, ça mène loin.";

fn ribbon() -> tiny_skia::Path {
    let mut pb = PathBuilder::new();
    pb.move_to(100.0, 20.0);
    pb.cubic_to(60.0, 20.0, 45.0, 60.0, 55.0, 100.0);
    pb.line_to(20.0, 280.0);
    pb.line_to(60.0, 260.0);
    pb.line_to(100.0, 150.0);
    pb.line_to(140.0, 260.0);
    pb.line_to(180.0, 280.0);
    pb.line_to(145.0, 100.0);
    pb.cubic_to(155.0, 60.0, 140.0, 20.0, 100.0, 20.0);
    pb.close();
    pb.move_to(100.0, 50.0);
    pb.cubic_to(85.0, 50.0, 80.0, 75.0, 85.0, 95.0);
    pb.line_to(100.0, 130.0);
    pb.line_to(115.0, 95.0);
    pb.cubic_to(120.0, 75.0, 115.0, 50.0, 100.0, 50.0);
    pb.close();
    pb.finish().expect("the reference ribbon path is valid")
}

fn top(area: Rect, style: Style, size: f32, line_height: f32, lines: usize, color: Rgba) -> TextBox {
    let mut b = TextBox::line(area, style, size, size, color).lines(lines, line_height);
    b.valign = VAlign::Top;
    b
}

fn render(assets: &Assets, ribbon: &tiny_skia::Path) -> Pixmap {
    let mut pm = canvas(1080, 1080);
    gradient(&mut pm, (0.0, 0.0), (0.0, 1080.0), Rgba::hex(0x0B6E4F), Rgba::hex(0x2BA84A));
    fill_rounded(&mut pm, Rect::new(60.0, 60.0, 960.0, 960.0), 48.0, Rgba::hex(0xFFFFFF));
    let mut paint = Paint::default();
    paint.set_color_rgba8(0x2B, 0xA8, 0x4A, 255);
    paint.anti_alias = true;
    pm.fill_path(ribbon, &paint, FillRule::EvenOdd, Transform::from_row(0.6, 0.0, 0.0, 0.6, 480.0, 90.0), None);
    let green = Rgba::hex(0x0B6E4F);
    top(Rect::new(60.0, 290.0, 960.0, 120.0), Style::Bold, 88.0, 1.2, 1, green).draw(&mut pm, assets, TITLE);
    top(Rect::new(120.0, 432.0, 840.0, 360.0), Style::Regular, 44.0, 1.3, 6, Rgba::hex(0x1F2933))
        .draw(&mut pm, assets, MESSAGE);
    top(Rect::new(60.0, 812.0, 960.0, 60.0), Style::Regular, 36.0, 1.3, 1, Rgba::hex(0x52606D))
        .draw(&mut pm, assets, SIGNATURE);
    top(Rect::new(60.0, 922.0, 960.0, 56.0), Style::Bold, 32.0, 1.3, 1, Rgba::hex(0x2BA84A))
        .draw(&mut pm, assets, FOOTER);
    pm
}

/// Peak resident set size, from the kernel (VmHWM), in MB.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse::<f64>().ok()))
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let t0 = std::env::var("PEER_T0").ok().and_then(|v| v.parse::<f64>().ok());
    let cards = env_usize("PEER_CARDS", 200);
    let warmup = env_usize("PEER_WARMUP", 10);

    let assets = Assets::embedded()?;
    let path = ribbon();
    let png = encode::png(&render(&assets, &path))?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs_f64();
    let cold_ms = t0.map_or(f64::NAN, |t0| (now - t0) * 1000.0);
    if let Ok(out) = std::env::var("REFERENCE_OUT") {
        std::fs::write(out, &png)?;
    }
    for _ in 0..warmup {
        encode::png(&render(&assets, &path))?;
    }
    let mut times = Vec::with_capacity(cards);
    let mut bytes = png.len();
    for _ in 0..cards {
        let start = Instant::now();
        let png = encode::png(&render(&assets, &path))?;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        bytes = png.len();
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "{{\"impl\": \"ruban\", \"per_card_ms\": {:.3}, \"cards_per_s\": {:.1}, \"png_bytes\": {}, \"peak_rss_mb\": {:.1}, \"cold_ms\": {}}}",
        median,
        1000.0 / median,
        bytes,
        peak_rss_mb(),
        if cold_ms.is_nan() { "null".to_owned() } else { format!("{cold_ms:.1}") }
    );
    Ok(())
}
