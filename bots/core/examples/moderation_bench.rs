//! Moderation speed over the corpus (`tests/corpus/`): how long the lists take to compile,
//! then checks per second and the time of one check at the 50th and 99th percentiles, on a
//! first (cold) pass and on warm passes. Issue 14 wants a check under 50 µs at the 99th
//! percentile, so that moderation never shows in a card's latency.
//!
//! ```text
//! cargo run -p ruban-core --release --example moderation_bench
//! ```
//!
//! A debug build (no `--release`) runs the regex engine optimised anyway (the workspace builds
//! dependencies at opt-level 2), so its figures are close.

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::hint::black_box;
use std::time::{Duration, Instant};

use ruban_core::moderation::{EMBEDDED_LISTS, Filter};

/// Warm passes over the corpus.
const WARM_PASSES: usize = 30;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Checks every text once, timing each; prints and returns nothing but the figures.
fn pass(filter: &Filter, texts: &[&str], passes: usize, what: &str) {
    let mut times = Vec::with_capacity(texts.len() * passes);
    let started = Instant::now();
    for _ in 0..passes {
        for text in texts {
            let t = Instant::now();
            black_box(filter.check(black_box(text)).is_ok());
            times.push(t.elapsed());
        }
    }
    let total = started.elapsed();
    times.sort_unstable();
    println!(
        "{what:<34} {:>9.0} checks/s   p50 {:>6.1} µs   p99 {:>6.1} µs   max {:>7.1} µs   ({} checks)",
        times.len() as f64 / total.as_secs_f64(),
        micros(percentile(&times, 0.50)),
        micros(percentile(&times, 0.99)),
        micros(*times.last().unwrap_or(&Duration::ZERO)),
        times.len()
    );
}

fn main() {
    let samples = corpus::all();
    let texts: Vec<&str> = samples.iter().map(|s| s.text.as_str()).collect();
    println!("corpus: {} messages ({} hurtful, {} kind)", texts.len(), corpus::hurtful().len(), corpus::kind().len());

    let mut compiles = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        black_box(Filter::compile(&EMBEDDED_LISTS).expect("the embedded lists compile"));
        compiles.push(t.elapsed());
    }
    compiles.sort_unstable();
    let t = Instant::now();
    let warmed = Filter::compile(&EMBEDDED_LISTS).expect("the embedded lists compile").warmed();
    let warmed_in = t.elapsed();
    println!(
        "compile: {} patterns, median {:.1} ms (min {:.1}, max {:.1}); compile and warm-up: {:.1} ms",
        warmed.len(),
        compiles[2].as_secs_f64() * 1e3,
        compiles[0].as_secs_f64() * 1e3,
        compiles[4].as_secs_f64() * 1e3,
        warmed_in.as_secs_f64() * 1e3
    );

    let cold = Filter::compile(&EMBEDDED_LISTS).expect("the embedded lists compile");
    pass(&cold, &texts, 1, "cold, first pass, no warm-up");
    pass(&warmed, &texts, 1, "first pass after the warm-up");
    pass(&warmed, &texts, WARM_PASSES, "warm");
    pass(Filter::embedded(), &texts, WARM_PASSES, "warm, Filter::embedded()");
}
