//! Every input committed in `fuzz/corpus/<target>/` (the seeds, and what earlier fuzzing runs
//! found and minimised) goes through the same checks as its fuzz target, on the stable
//! toolchain, in every test run: a change that breaks a property on a known input fails here
//! without anyone running the fuzzer.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

#[test]
fn every_committed_fuzz_input_still_passes_its_targets_checks() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus");
    let mut failures = Vec::new();
    for (target, check) in ruban_fuzz_checks::TARGETS {
        let dir = root.join(target);
        let mut inputs: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .collect();
        inputs.sort();
        assert!(inputs.len() >= 100, "{target}: only {} inputs in {}", inputs.len(), dir.display());
        for input in &inputs {
            let data = std::fs::read(input).unwrap();
            if catch_unwind(AssertUnwindSafe(|| check(&data))).is_err() {
                failures.push(input.display().to_string());
            }
        }
        println!("fuzz corpus {target}: {} inputs replayed", inputs.len());
    }
    assert!(failures.is_empty(), "inputs that break their target's checks: {failures:#?}");
}
