//! What the adapters' benchmarks (`bots/ruban/examples/*_bench.rs`) share: their flags, their
//! percentiles, and the line each run prints.

use std::time::Duration;

/// The value of `--name N` on the command line, else `default`.
pub fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The `p` percentile (0 to 1) of sorted, non-empty latencies.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// Prints one run: `label` (« steady at 200/s »), the cards a second, and the p50 and p99 (and
/// the longest, with `max`) of `span` (« update→photo ») over sorted latencies.
pub fn print_run(label: &str, span: &str, cards: u64, elapsed: Duration, sorted: &[Duration], max: bool) {
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let longest = match sorted.last() {
        Some(d) if max => format!(", max {:.1} ms", ms(*d)),
        _ => String::new(),
    };
    println!(
        "{label}: {:.0} cards/s, {span} p50 {:.1} ms, p99 {:.1} ms{longest}",
        cards as f64 / elapsed.as_secs_f64(),
        ms(percentile(sorted, 0.5)),
        ms(percentile(sorted, 0.99)),
    );
}
