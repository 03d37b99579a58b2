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

use ruban_core::moderation::{EMBEDDED_LISTS, Filter, Verdict, scorer};

/// Warm passes over the corpus.
const WARM_PASSES: usize = 30;
/// Fresh filters for the first-pass figures.
const FRESH: usize = 3;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// The time of each check of `texts` on `filter`, `passes` times over, and the wall time.
fn timed(filter: &Filter, texts: &[&str], passes: usize) -> (Vec<Vec<Duration>>, Duration) {
    timed_by(texts, passes, |text| filter.check(text).is_ok())
}

/// The time of `check` on each of `texts`, `passes` times over, and the wall time.
fn timed_by(texts: &[&str], passes: usize, check: impl Fn(&str) -> bool) -> (Vec<Vec<Duration>>, Duration) {
    let started = Instant::now();
    let times = (0..passes)
        .map(|_| {
            texts
                .iter()
                .map(|text| {
                    let t = Instant::now();
                    black_box(check(black_box(text)));
                    t.elapsed()
                })
                .collect()
        })
        .collect();
    (times, started.elapsed())
}

/// Prints checks per second and p50/p99/max of `runs` (each a list of per-text times, in the
/// same text order), first over every check, then over each text's fastest run: a machine
/// that runs other work preempts a check now and then (a 4 ms tick), and the fastest of
/// several runs of the same text tells the filter's own time.
fn report(what: &str, runs: &[Vec<Duration>], wall: Duration) {
    let mut all: Vec<Duration> = runs.iter().flatten().copied().collect();
    all.sort_unstable();
    let mut fastest: Vec<Duration> =
        (0..runs[0].len()).map(|i| runs.iter().map(|r| r[i]).min().unwrap_or_default()).collect();
    fastest.sort_unstable();
    println!(
        "{what:<30} {:>7.0} checks/s | all {:>5} checks: p50 {:>5.1} µs, p99 {:>7.1} µs, max {:>7.1} µs | fastest of {} per text: p50 {:>5.1} µs, p99 {:>5.1} µs, max {:>7.1} µs",
        all.len() as f64 / wall.as_secs_f64(),
        all.len(),
        micros(percentile(&all, 0.50)),
        micros(percentile(&all, 0.99)),
        micros(*all.last().unwrap_or(&Duration::ZERO)),
        runs.len(),
        micros(percentile(&fastest, 0.50)),
        micros(percentile(&fastest, 0.99)),
        micros(*fastest.last().unwrap_or(&Duration::ZERO)),
    );
}

/// The first pass over the corpus of `FRESH` new filters, each made by `make`.
fn first_passes(texts: &[&str], what: &str, make: impl Fn() -> Filter) {
    let (mut runs, mut wall) = (Vec::new(), Duration::ZERO);
    for _ in 0..FRESH {
        let filter = make();
        let (mut times, w) = timed(&filter, texts, 1);
        runs.append(&mut times);
        wall += w;
    }
    report(what, &runs, wall);
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
    let filter = Filter::compile(&EMBEDDED_LISTS).expect("the embedded lists compile");
    let compiled_in = t.elapsed();
    filter.warm_up();
    println!(
        "compile: {} patterns, median {:.1} ms (min {:.1}, max {:.1}); warm-up {:.1} ms more (on a thread of its own in Filter::embedded); warm lazy-DFA cache {:.1} MB",
        filter.len(),
        compiles[2].as_secs_f64() * 1e3,
        compiles[0].as_secs_f64() * 1e3,
        compiles[4].as_secs_f64() * 1e3,
        (t.elapsed() - compiled_in).as_secs_f64() * 1e3,
        filter.cache_bytes() as f64 / 1e6,
    );

    let compile = || Filter::compile(&EMBEDDED_LISTS).expect("the embedded lists compile");
    first_passes(&texts, "cold: first pass, no warm-up", compile);
    first_passes(&texts, "first pass after the warm-up", || compile().warmed());
    // A running server: its caches hold what earlier texts needed, and each new text is one it
    // never saw. Half the corpus (every other text) goes first, then the other half is timed
    // on its first check, on fresh warmed filters.
    let seen: Vec<&str> = texts.iter().copied().step_by(2).collect();
    let unseen: Vec<&str> = texts.iter().copied().skip(1).step_by(2).collect();
    let (mut runs, mut wall) = (Vec::new(), Duration::ZERO);
    for _ in 0..FRESH {
        let filter = compile().warmed();
        timed(&filter, &seen, 1);
        let (mut times, w) = timed(&filter, &unseen, 1);
        runs.append(&mut times);
        wall += w;
    }
    report("unseen, after others (server)", &runs, wall);
    let (runs, wall) = timed(&filter, &texts, WARM_PASSES);
    report("warm", &runs, wall);

    // The product's whole check (moderation::judge): the lists, then the scorer for what they
    // let through. The scorer's model is read once, at the first use.
    let t = Instant::now();
    black_box(scorer::opinion("bonjour"));
    println!("scorer: model read and first opinion in {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let judge = |filter: &Filter, text: &str| match filter.check(text) {
        Err(c) => Verdict::Hurtful(c),
        Ok(()) => scorer::opinion(text).verdict(),
    };
    let (runs, wall) = timed_by(&texts, WARM_PASSES, |text| scorer::opinion(text).hurtful > 0.5);
    report("scorer alone", &runs, wall);
    let (mut runs, mut wall) = (Vec::new(), Duration::ZERO);
    for _ in 0..FRESH {
        let filter = compile().warmed();
        timed_by(&seen, 1, |text| judge(&filter, text) == Verdict::Kind);
        let (mut times, w) = timed_by(&unseen, 1, |text| judge(&filter, text) == Verdict::Kind);
        runs.append(&mut times);
        wall += w;
    }
    report("lists + scorer, unseen (server)", &runs, wall);
}
