//! A busy week in one process: renders and encodes varied cards (every design, both languages,
//! emoji, syllabics, Arabic, long and short texts) and prints peak RSS after 1,000 cards and
//! at the end. Growth between the two must stay under 5%.
//!
//! `cargo run --release -p card-renderer --example memory_soak [-- CARDS]` (default 10000)

use card_renderer::{CardSpec, Message, Name, encode, render_card};
use ruban_vocabulary::{Design, Locale};

const PIECES: &[&str] = &[
    "Léa",
    "Noah",
    "Zoé",
    "William",
    "Élodie",
    "Maëlle",
    "ᓄᓇᕕᒃ",
    "محمد",
    "נועה",
    "小明",
    "Wolfgang",
    "Œuvray",
    "💚",
    "🎉",
    "👏🏽",
    "👩‍🏫",
    "🇶🇨",
    "🌟",
    "bravo",
    "continue",
    "persévérance",
    "ta",
    "fierté",
    "c’est",
    "«\u{202F}super\u{202F}»",
    "!",
    "courage",
    "👨‍👩‍👧‍👦",
    "🚀",
    "Ça",
    "déjà",
    "loin",
];

/// xorshift64*: deterministic variety without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize
    }
    fn words(&mut self, max: usize) -> String {
        let n = 1 + self.next() % max;
        (0..n).map(|_| PIECES[self.next() % PIECES.len()]).collect::<Vec<_>>().join(" ")
    }
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let total: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let assets = card_renderer::Assets::embedded()?;
    let mut rng = Rng(0x5EED_2026);
    let mut at_1000 = 0.0;
    let mut bytes = 0usize;
    let start = std::time::Instant::now();
    for i in 1..=total {
        let to = Name::parse(&rng.words(4)).or_else(|_| Name::parse("Alex"))?;
        let message = match rng.next() % 4 {
            0 => None,
            _ => Message::parse(&rng.words(40)).ok(),
        };
        let spec = CardSpec {
            to,
            from: (rng.next().is_multiple_of(2)).then(|| Name::parse(&rng.words(3)).ok()).flatten(),
            message,
            design: Design::ALL[rng.next() % Design::ALL.len()],
            locale: if rng.next().is_multiple_of(2) { Locale::FrCa } else { Locale::EnCa },
        };
        bytes += encode::png(&render_card(&assets, &spec))?.len();
        if i == 1000 {
            at_1000 = peak_rss_mb();
        }
    }
    let end = peak_rss_mb();
    let growth = if at_1000 > 0.0 { (end - at_1000) / at_1000 * 100.0 } else { 0.0 };
    println!(
        "{{\"cards\": {total}, \"peak_rss_mb_at_1000\": {at_1000:.1}, \"peak_rss_mb_at_end\": {end:.1}, \"growth_pct\": {growth:.2}, \"avg_png_bytes\": {}, \"per_card_ms\": {:.2}}}",
        bytes / total.max(1),
        start.elapsed().as_secs_f64() * 1000.0 / total.max(1) as f64
    );
    Ok(())
}
