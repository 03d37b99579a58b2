//! `RUBAN_PLAYGROUND` (issue 13): the playground takes the identity a page claims, so it is
//! open only on a loopback address unless asked for; `check-config` and the start-up lines say
//! which; a closed playground takes no pledge.

use ruban_tests::serve as harness;

use std::process::Command;

use harness::Server;

/// The binary under test, as Cargo built it for this package's tests.
const RUBAN: &str = env!("CARGO_BIN_EXE_ruban");

fn check_config(env: &[(&str, &str)]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut c = Command::new(env!("CARGO_BIN_EXE_ruban"));
    c.arg("check-config")
        .current_dir(dir.path())
        .env("RUBAN_SECRET", harness::SECRET)
        .env_remove("RUBAN_BIND")
        .env_remove("RUBAN_PLAYGROUND")
        .env_remove("DATABASE_URL");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn check_config_says_whether_the_playground_is_open_and_why() {
    let (ok, out) = check_config(&[]);
    assert!(ok, "{out}");
    assert!(out.contains("open (listening on a loopback address only"), "{out}");
    let (ok, out) = check_config(&[("RUBAN_BIND", "0.0.0.0:8080")]);
    assert!(ok, "{out}");
    assert!(out.contains("closed (not listening on a loopback address"), "{out}");
    let (ok, out) = check_config(&[("RUBAN_BIND", "0.0.0.0:8080"), ("RUBAN_PLAYGROUND", "demo")]);
    assert!(ok && out.contains("open (RUBAN_PLAYGROUND=demo)"), "{out}");
    let (ok, out) = check_config(&[("RUBAN_PLAYGROUND", "off")]);
    assert!(ok && out.contains("closed (RUBAN_PLAYGROUND=off)"), "{out}");
    let (ok, out) = check_config(&[("RUBAN_PLAYGROUND", "maybe")]);
    assert!(!ok, "{out}");
    assert!(out.contains("RUBAN_PLAYGROUND") && out.contains("demo") && out.contains("off"), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_playground_takes_no_pledge_and_says_so_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ruban.db").display());
    let server = Server::start_with(RUBAN, &db, &[("RUBAN_PLAYGROUND", "off")]);
    // The lines after the address arrive through the output thread.
    let start = std::time::Instant::now();
    while !server.output.lock().unwrap().contains("playground: closed (RUBAN_PLAYGROUND=off)") {
        assert!(start.elapsed() < std::time::Duration::from_secs(10), "{}", server.output.lock().unwrap());
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let body = serde_json::json!({"chat": "c", "user": {"id": "someone-else", "name": "x"}, "text": "/ruban"});
    let res = reqwest::Client::new().post(format!("{}/api/chat", server.base)).json(&body).send().await.unwrap();
    assert_eq!(res.status(), 404);
    let (status, page) = harness::get(&format!("{}/", server.base)).await;
    assert_eq!(status, 200);
    assert!(page.contains("Telegram"), "{page}");
    assert_eq!(harness::pledge(&reqwest::Client::new(), &server.base, "lea").await, None);
}
