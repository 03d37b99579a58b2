//! Trains the moderation scorer on the whole corpus (`tests/corpus/`) and writes the model
//! that is compiled into the binary, `assets/moderation/scorer.bin`. Reproducible: the same
//! corpus gives the same bytes (the test `moderation_families` checks the shipped file against
//! a fresh training).
//!
//! ```text
//! cargo run --release -p ruban-core --example train_scorer
//! ```

#[path = "../tests/corpus/mod.rs"]
mod corpus;

use std::time::Instant;

use ruban_core::moderation::{Category, scorer};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let samples = corpus::everything();
    let labelled: Vec<(&str, Option<Category>)> = samples.iter().map(|s| (s.text.as_str(), s.label())).collect();
    let started = Instant::now();
    let model = scorer::train(&labelled);
    let bytes = model.to_bytes();
    let out = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/moderation/scorer.bin");
    std::fs::write(out, &bytes)?;
    println!(
        "trained on {} messages ({} hurtful) in {:.1} s: {} rows of 2^{}, {} KiB, written to assets/moderation/scorer.bin",
        labelled.len(),
        labelled.iter().filter(|(_, c)| c.is_some()).count(),
        started.elapsed().as_secs_f64(),
        model.nonzero_rows(),
        model.bits(),
        bytes.len() / 1024
    );
    Ok(())
}
