//! Drives `/carte` interactions through the real serenity client and the fake Discord of the
//! tests, and prints interactions per second and the time from the gateway dispatch to the
//! interaction callback carrying the image.
//!
//! ```text
//! cargo run --release -p ruban --example discord_bench -- [--cards 1000] [--rate 150]
//! ```
//! Two runs: a steady one at `--rate` interactions per second (the latency figures), then a
//! flood of all of them at once (the most the adapter sustains).

use ruban_tests::bench::{arg, print_run};
use ruban_tests::discord as fake;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ruban_core::Limits;
use ruban_discord::{Registration, Settings, Shards};
use ruban_store::Store;
use serde_json::json;

/// Dispatches `n` cards with ids from `first`, `gap` apart; returns (elapsed, latencies).
async fn run(fake: &fake::Fake, first: u64, n: u64, gap: Duration) -> (Duration, Vec<Duration>) {
    let before = fake.count_matching("POST", "/callback");
    let start = Instant::now();
    let mut sent_at = std::collections::HashMap::new();
    for i in 0..n {
        let id = first + i;
        let options = json!([{"name": "nom", "type": 3, "value": format!("Élève {id}")},
            {"name": "modele", "type": 3, "value": "celebrer"}, {"name": "message", "type": 3, "value": "Bravo!"}]);
        fake.dispatch("INTERACTION_CREATE", fake::command(fake, id, "carte", options, (5000 + id, "Prof"), true, "0"));
        sent_at.insert(id, Instant::now());
        if !gap.is_zero() {
            tokio::time::sleep_until((start + gap * (i as u32 + 1)).into()).await;
        }
    }
    fake.wait_for_n("POST", "/callback", before + n as usize, Duration::from_secs(300)).await;
    // A deferred answer (past two seconds) brings its card in the edit of the original.
    let deadline = Instant::now() + Duration::from_secs(300);
    let delivered = loop {
        let calls = fake.calls.all();
        let mut at = std::collections::HashMap::new();
        for c in calls.iter().filter(|c| !c.files.is_empty()) {
            let parts: Vec<&str> = c.path.split('/').collect();
            let id = match parts.as_slice() {
                ["", "interactions", id, ..] => id.parse::<u64>().ok(),
                ["", "webhooks", _, token, ..] => token.strip_prefix("itok-").and_then(|t| t.parse().ok()),
                _ => None,
            };
            if let Some(id) = id.filter(|id| sent_at.contains_key(id)) {
                at.entry(id).or_insert(c.at);
            }
        }
        if at.len() == n as usize || Instant::now() > deadline {
            break at;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(delivered.len(), n as usize, "every interaction got its card");
    let elapsed = delivered.values().max().unwrap().duration_since(start);
    let mut latencies: Vec<Duration> = delivered.iter().map(|(id, at)| *at - sent_at[id]).collect();
    latencies.sort();
    (elapsed, latencies)
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt().with_env_filter(std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into())).init();
    let cards = arg("--cards", 1000);
    let rate = arg("--rate", 150);
    let (fake, base) = fake::start().await;
    // The bot's own latency is measured: the fake answers at once (it delays calls by default).
    *fake.latency_ms.lock().unwrap() = 0..1;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("bench.db").display())).await.unwrap();
    let campaign = ruban_vocabulary::Campaign::embedded();
    let assets = card_renderer::Assets::with_campaign(campaign.clone()).unwrap();
    let config = ruban_core::Config {
        campaign,
        secret: b"bench secret, thirty-two bytes..".to_vec(),
        limits: Limits { chat_per_minute: 1_000_000, ..Limits::default() },
    };
    let core = Arc::new(ruban_core::Bot::new(store, assets, config).await.unwrap());
    let settings = Settings {
        token: "FAKE.BOT.TOKEN".into(),
        api_url: Some(base),
        shards: Shards::default(),
        registration: Registration::Global,
        organizer_roles: Vec::new(),
        organizer_guilds: Vec::new(),
    };
    let bot = ruban_discord::start(settings, core).await.unwrap();
    fake.wait_for_n("PUT", "/commands", 1, Duration::from_secs(30)).await;
    run(&fake, 1, 20, Duration::ZERO).await;

    println!("discord_bench: {cards} /carte interactions in one guild channel, real serenity ↔ fake Discord");
    let (elapsed, lat) = run(&fake, 100, cards, Duration::from_secs_f64(1.0 / rate as f64)).await;
    print_run(&format!("steady at {rate}/s"), "dispatch→callback", cards, elapsed, &lat, true);
    let (elapsed, lat) = run(&fake, 100 + cards, cards, Duration::ZERO).await;
    print_run("flood (all at once)", "dispatch→callback", cards, elapsed, &lat, false);
    fake.assert_nothing_refused();
    bot.shutdown().await;
}
