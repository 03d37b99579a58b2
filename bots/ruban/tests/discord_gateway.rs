//! `ruban serve` with Discord on, when Discord closes the gateway for good: 4011 ("sharding
//! required": a bot that grew past what its shard count allows), and 4012 (invalid API
//! version). Before, serenity's runner looped on the closed socket after a 4011 (one core at
//! 100%, `/healthz` silent, SIGTERM ignored) and identified again every five seconds after a
//! 4012.

use ruban_tests::discord as discord_fake;

use ruban_tests::serve as harness;

use std::time::{Duration, Instant};

/// The binary under test, as Cargo built it for this package's tests.
const RUBAN: &str = env!("CARGO_BIN_EXE_ruban");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fatal_gateway_close_is_said_once_readyz_names_it_and_the_process_keeps_serving() {
    fatal_close_in_serve(4011, "sharding required").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_4012_the_client_stops_for_good_and_the_process_keeps_serving() {
    fatal_close_in_serve(4012, "invalid API version").await;
}

/// A minute: a debug build on a loaded machine is slow; only a failure waits that long.
const PATIENCE: Duration = Duration::from_secs(60);

async fn fatal_close_in_serve(code: u16, reason: &str) {
    let (discord, discord_url) = discord_fake::start().await;
    *discord.close_next_identify.lock().unwrap() = Some(code);
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ruban.db").display());
    // serenity's words about its shards (`serenity::gateway::bridge`, debug) go to the output,
    // where the test reads how the shard ended (see `discord_fake::ShardLog`).
    let env = [
        ("DISCORD_TOKEN", "FAKE.BOT.TOKEN"),
        ("DISCORD_API_URL", discord_url.as_str()),
        ("RUST_LOG", "info,serenity::gateway::bridge=debug"),
    ];
    let mut server = tokio::task::block_in_place(|| harness::Server::start_with(RUBAN, &db, &env));
    let client = reqwest::Client::builder().timeout(Duration::from_secs(1)).build().unwrap();

    // /healthz answers within a second all along, from before the close until the shard can
    // never identify again: the Discord client's threads (its runtime's, `ruban-dc-<n>`) are all
    // gone, or serenity says the shard's runner ended and it never asked for another start of
    // the shard. Not a window of "long enough": a runner that loops on the closed socket or a
    // client that reconnects (serenity would, five seconds after the close) never gets there.
    // "All gone" is no vacuous truth once the process said the close: the adapter saw it only
    // by reading the client's number in the name of the thread serenity logged it on.
    let mut threads = discord_fake::Threads::of(server.child.id(), "ruban-dc-");
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    let mut closed_at = None;
    let (gone, took) = loop {
        let output = server.output.lock().unwrap().clone();
        assert!(
            started.elapsed() < PATIENCE,
            "{code}: never shown unable to identify again (closes {:?}, {} Discord threads alive):\n{output}",
            discord.closes.lock().unwrap(),
            threads.alive()
        );
        let asked = Instant::now();
        let health = client.get(format!("{}/healthz", server.base)).send().await;
        assert!(health.is_ok_and(|r| r.status().is_success()), "/healthz did not answer within 1 s");
        slowest = slowest.max(asked.elapsed());
        assert!(discord.identifies.lock().unwrap().len() <= 1, "{code}: the shard identified again:\n{output}");
        if closed_at.is_none() && !discord.closes.lock().unwrap().is_empty() {
            closed_at = Some(Instant::now());
        }
        if let Some(at) = closed_at {
            let alive = threads.poll();
            if alive == 0 && output.contains(&format!("closed by Discord with {code}")) {
                break (true, at.elapsed());
            }
            if discord_fake::ShardLog::read(&output, 0).ended_for_good() {
                break (false, at.elapsed());
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    eprintln!("{code}: slowest /healthz while Discord refused the shard: {slowest:?}");
    let how = if gone { "the client's threads are all gone" } else { "its runner ended, never asked to start again" };
    eprintln!("{code}: the shard cannot identify again ({how}) {took:?} after the close");
    // A 4012 is about the API version every shard speaks: the whole client stops.
    assert!(gone || code != 4012, "{code}: the client did not stop");
    assert_eq!(discord.identifies.lock().unwrap().len(), 1, "the shard did not identify again");

    let ready = client.get(format!("{}/readyz", server.base)).send().await.unwrap();
    assert_eq!(ready.status().as_u16(), 503);
    let body = ready.text().await.unwrap();
    assert!(
        body.contains(&format!("shard 0 closed by Discord with {code}")),
        "/readyz says which shard and why: {body}"
    );
    assert!(body.contains(reason), "{body}");
    // The web side still works: a pledge through the playground.
    let number = harness::pledge(&client, &server.base, "lea").await;
    assert_eq!(number, Some(1));

    let asked = Instant::now();
    server.signal("TERM");
    let (exit, took) = tokio::task::block_in_place(|| server.wait_exit(Duration::from_secs(10)));
    assert!(exit.success(), "{exit:?}");
    eprintln!("{code}: SIGTERM after a fatal close: exited in {took:?} ({:?} since asked)", asked.elapsed());
    let output = server.output.lock().unwrap().clone();
    let said = output.matches(&format!("closed by Discord with {code}")).count();
    assert_eq!(said, 1, "said once in plain words:\n{output}");
    assert!(output.contains(reason), "{output}");
}

#[test]
fn check_config_refuses_shards_that_cannot_exist_and_says_what_ranges_mean() {
    for (shards, ok) in
        [("1", true), ("0-3/8", true), ("4-7/8", true), ("1-1/1", false), ("8/8", false), ("0-8/8", false)]
    {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_ruban"))
            .arg("check-config")
            .env("RUBAN_SECRET", harness::SECRET)
            .env("DISCORD_TOKEN", "FAKE.BOT.TOKEN")
            .env("DISCORD_SHARDS", shards)
            .env_remove("DATABASE_URL")
            .env_remove("TELEGRAM_TOKEN")
            .output()
            .unwrap();
        let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.success(), ok, "DISCORD_SHARDS={shards}:\n{printed}");
        if !ok {
            assert!(printed.contains("DISCORD_SHARDS"), "names the variable: {printed}");
        }
    }
}
