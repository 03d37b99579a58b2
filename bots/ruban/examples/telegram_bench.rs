//! Drives `/carte` updates through the real teloxide client and the fake Bot API of the tests,
//! and prints replies per second and the time from the update being handed out (getUpdates) to
//! the photo upload arriving at the fake.
//!
//! ```text
//! cargo run --release -p ruban --example telegram_bench -- [--cards 1000] [--rate 250]
//! ```
//! Two runs: a steady one at `--rate` updates per second (the latency figures), then a flood of
//! all the cards at once (the most the adapter sustains). Each card goes to its own private
//! chat. Telegram's 30 messages per second overall is lifted for the run (`per_second: 0`):
//! it is the service's limit, not the adapter's, and Telegram raises it for bots that need it.

use ruban_tests::bench::{arg, print_run};
use ruban_tests::telegram as fake;

use std::sync::Arc;
use std::time::{Duration, Instant};

use ruban_core::Limits;
use ruban_store::Store;
use ruban_telegram::{PaceLimits, Settings};

/// Pushes `n` cards starting at update `first`, `gap` apart; returns (elapsed, latencies).
async fn run(fake: &fake::Fake, first: i64, n: i64, gap: Duration) -> (Duration, Vec<Duration>) {
    let before = fake.calls_of("sendphoto").len();
    let start = Instant::now();
    for i in 0..n {
        let id = first + i;
        fake.push(fake::text_update(id, 10_000 + id, 10_000 + id, &format!("/carte Élève{id} celebrer \"Bravo!\"")));
        if !gap.is_zero() {
            tokio::time::sleep_until((start + gap * (i as u32 + 1)).into()).await;
        }
    }
    let photos = fake.wait_for_n_patient("sendphoto", before + n as usize).await;
    let elapsed = start.elapsed();
    let handed = fake.handed_out.lock().unwrap().clone();
    let mut latencies: Vec<Duration> = photos[before..]
        .iter()
        .map(|c| {
            let chat: i64 = c.params["chat_id"].as_str().unwrap().parse().unwrap();
            c.at - handed[&(chat - 10_000)]
        })
        .collect();
    latencies.sort();
    (elapsed, latencies)
}

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt().with_env_filter(std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".into())).init();
    let cards = arg("--cards", 1000) as i64;
    let rate = arg("--rate", 250);
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
        limits: Limits::default(),
    };
    let core = Arc::new(ruban_core::Bot::new(store, assets, config).await.unwrap());
    let settings = Settings {
        token: "123:BENCH".into(),
        api_url: Some(base),
        pace: PaceLimits { per_second: 0, ..PaceLimits::default() },
        ..Settings::default()
    };
    let bot = ruban_telegram::start(settings, core).await.unwrap();
    // Warm-up: fonts, art and connections.
    run(&fake, 1, 20, Duration::ZERO).await;

    println!("telegram_bench: {cards} /carte updates, one private chat each, real teloxide ↔ fake Bot API");
    let (elapsed, lat) = run(&fake, 100, cards, Duration::from_secs_f64(1.0 / rate as f64)).await;
    print_run(&format!("steady at {rate}/s"), "update→photo", cards.unsigned_abs(), elapsed, &lat, true);
    let (elapsed, lat) = run(&fake, 100 + cards, cards, Duration::ZERO).await;
    print_run("flood (all at once)", "update→photo", cards.unsigned_abs(), elapsed, &lat, false);
    fake.assert_nothing_refused();
    bot.shutdown().await;
}
