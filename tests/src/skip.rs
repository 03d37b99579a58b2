//! A half of a test that needs something this machine lacks (a PostgreSQL server, a browser,
//! axe-core) says so loudly and passes, so that `cargo test` works on a bare laptop; under
//! `RUBAN_REQUIRE_ALL` (set by `.ci/run`) the same skip is a failure, so CI can never show
//! `ok` for a half that did not run.
//!
//! Each half that runs or is skipped is also tallied, one line per half, in the file named by
//! `RUBAN_HALVES_TALLY` when it is set: `.ci/run` prints the counts as the suite's last lines,
//! so a reader sees how many PostgreSQL schemas and SQLite stores were opened, and how many
//! browser and axe halves ran, and that none was skipped.

use std::io::Write;

/// The variable under which no half may be skipped.
pub const REQUIRE_ALL: &str = "RUBAN_REQUIRE_ALL";

/// The variable naming the file where halves are tallied.
pub const TALLY: &str = "RUBAN_HALVES_TALLY";

/// The kinds of halves, as the tally names them.
pub mod half {
    /// A fresh SQLite store opened for a test's half (`store::sqlite`).
    pub const SQLITE: &str = "SQLite-store";
    /// A fresh PostgreSQL schema opened for a test's half (a test of several processes opens
    /// one; SQLite tests that use a temporary folder of their own are not counted).
    pub const POSTGRES: &str = "PostgreSQL-schema";
    /// A test in headless Chromium.
    pub const BROWSER: &str = "Chromium";
    /// An accessibility scan with axe-core.
    pub const AXE: &str = "axe-core";
}

/// Tallies a half of `kind` that runs.
pub fn ran(kind: &str) {
    tally(kind, "ran");
}

/// Says `what` (a half of `kind`) is skipped and how to run it; panics instead under
/// [`REQUIRE_ALL`].
pub fn skipped(kind: &str, what: &str, how: &str) {
    tally(kind, "skipped");
    // Printed on stdout and stderr: the harness shows a passing test's output only with
    // `--nocapture`, and CI's log then carries it whichever stream it keeps.
    let line = format!("\n*** SKIPPED: {what}: {how} ***\n");
    println!("{line}");
    eprintln!("{line}");
    if std::env::var_os(REQUIRE_ALL).is_some() {
        panic!("{REQUIRE_ALL} is set: {what} may not be skipped ({how})");
    }
}

/// One line, appended in one write (`O_APPEND`: lines from test processes running side by
/// side do not interleave).
fn tally(kind: &str, outcome: &str) {
    let Some(path) = std::env::var_os(TALLY) else { return };
    let line = format!("{kind} {outcome}\n");
    let file = std::fs::OpenOptions::new().create(true).append(true).open(&path);
    if let Err(e) = file.and_then(|mut f| f.write_all(line.as_bytes())) {
        eprintln!("cannot tally a half in {}: {e}", path.to_string_lossy());
    }
}
