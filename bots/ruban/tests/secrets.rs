//! Secrets never leave the process: a whole `ruban serve` run with Telegram and Discord on
//! (their fakes from the adapters' tests), debug logs, a card on each platform, refusals,
//! `/readyz`, `/metrics`, `check-config` and a SIGTERM, and not one token, secret or
//! organizer token appears in anything it printed or served.

use ruban_tests::discord as discord_fake;
use ruban_tests::serve as harness;
use ruban_tests::telegram as telegram_fake;

use std::process::Command;
use std::time::Duration;

use serde_json::json;

/// The binary under test, as Cargo built it for this package's tests.
const RUBAN: &str = env!("CARGO_BIN_EXE_ruban");

const TELEGRAM_TOKEN: &str = "7357000:AAHsecretTelegramTokenNeverLogged42";
const DISCORD_TOKEN: &str = "MTIzNDU2Nzg5.secretDiscordToken.NeverLogged42";
const ORGANIZER_TOKEN: &str = "organizer-secret-token-never-logged-42";

/// Every secret, and the parts a careless log line could show on their own.
fn secrets() -> Vec<&'static str> {
    vec![
        TELEGRAM_TOKEN,
        "AAHsecretTelegramTokenNeverLogged42",
        DISCORD_TOKEN,
        "secretDiscordToken",
        ORGANIZER_TOKEN,
        harness::SECRET,
    ]
}

fn assert_clean(what: &str, text: &str) {
    for s in secrets() {
        assert!(!text.contains(s), "{what} shows the secret {s:?}:\n{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_secret_appears_in_logs_errors_or_metrics() {
    let (telegram, telegram_url) = telegram_fake::start().await;
    let (discord, discord_url) = discord_fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ruban.db").display());
    let env = [
        ("TELEGRAM_TOKEN", TELEGRAM_TOKEN),
        ("TELEGRAM_API_URL", telegram_url.as_str()),
        ("DISCORD_TOKEN", DISCORD_TOKEN),
        ("DISCORD_API_URL", discord_url.as_str()),
        ("RUBAN_ORGANIZER_TOKEN", ORGANIZER_TOKEN),
        ("RUST_LOG", "debug"),
    ];
    let mut server = harness::Server::start_with(RUBAN, &db, &env);

    // Telegram: a card, and a refusal (flood control) that the adapter retries.
    telegram.fail_next.lock().unwrap().insert("sendphoto".into(), 1);
    telegram.push(telegram_fake::text_update(1, 501, 501, "/carte Léa oser \"Bravo!\""));
    telegram.wait_for_n_patient("sendphoto", 1).await;
    // Discord: a card once the gateway is ready.
    discord.wait_for_n("PUT", "/commands", 1, Duration::from_secs(60)).await;
    let options = json!([{"name": "nom", "type": 3, "value": "Léa"}, {"name": "modele", "type": 3, "value": "oser"}]);
    discord
        .dispatch("INTERACTION_CREATE", discord_fake::command(&discord, 900, "carte", options, (7, "Prof"), true, "0"));
    discord.wait_for_n("POST", "/interactions/900/", 1, Duration::from_secs(60)).await;

    // A wrong organizer token, health, readiness and metrics.
    let client = reqwest::Client::new();
    let refused =
        client.get(format!("{}/api/export.csv", server.base)).bearer_auth("not-the-token").send().await.unwrap();
    assert!(refused.status().is_client_error());
    assert_clean("a refusal", &refused.text().await.unwrap());
    let (status, ready) = harness::get(&format!("{}/readyz", server.base)).await;
    assert_eq!(status, 200, "{ready}");
    assert_clean("/readyz", &ready);
    let (_, metrics) = harness::get(&format!("{}/metrics", server.base)).await;
    assert!(metrics.contains("ruban_platform_retries_total"), "the 429 was counted:\n{metrics}");
    assert_clean("/metrics", &metrics);

    server.signal("TERM");
    let (exit, _) = server.wait_exit(Duration::from_secs(15));
    assert!(exit.success());
    let output = server.output.lock().unwrap().clone();
    assert!(output.contains("DEBUG"), "debug logs were on:\n{output}");
    assert_clean("the process's output", &output);

    // check-config prints the configuration with every secret masked.
    let mut check = Command::new(env!("CARGO_BIN_EXE_ruban"));
    check.args(["check-config"]).env("RUBAN_SECRET", harness::SECRET).env("DATABASE_URL", &db);
    for (k, v) in env {
        check.env(k, v);
    }
    let out = check.output().unwrap();
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{printed}");
    assert_clean("check-config", &printed);
}
