//! A half of a test that needs something this machine lacks (a PostgreSQL server, a browser,
//! axe-core) says so loudly and passes, so that `cargo test` works on a bare laptop; under
//! `RUBAN_REQUIRE_ALL` (set by `.ci/run`) the same skip is a failure, so CI can never show
//! `ok` for a half that did not run.

/// The variable under which no half may be skipped.
pub const REQUIRE_ALL: &str = "RUBAN_REQUIRE_ALL";

/// Says `what` is skipped and how to run it; panics instead under [`REQUIRE_ALL`].
pub fn skipped(what: &str, how: &str) {
    // Printed on stdout and stderr: the harness shows a passing test's output only with
    // `--nocapture`, and CI's log then carries it whichever stream it keeps.
    let line = format!("\n*** SKIPPED: {what}: {how} ***\n");
    println!("{line}");
    eprintln!("{line}");
    if std::env::var_os(REQUIRE_ALL).is_some() {
        panic!("{REQUIRE_ALL} is set: {what} may not be skipped ({how})");
    }
}
