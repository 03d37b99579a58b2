//! Load on the live wall, all on loopback: `--streams` open event streams while pledges arrive
//! at `--rate` per second for `--seconds`; then checks every viewer's counter ends at the exact
//! total and prints events delivered per second, the p99 delay from a pledge's acknowledgement
//! to the event that shows it, and peak memory.
//!
//! `cargo run --release -p ruban-web --example wall_load -- --streams 2000 --rate 200 --seconds 60`

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use ruban_core::{Bot, Limits};
use ruban_store::{PledgeRequest, Store};

fn arg(name: &str, default: u64) -> u64 {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (streams, rate, seconds) = (arg("--streams", 2000), arg("--rate", 200), arg("--seconds", 60));
    let dir = tempfile::tempdir()?;
    let store = Store::open(&format!("sqlite://{}", dir.path().join("load.db").display())).await?;
    let campaign = ruban_vocabulary::Campaign::embedded();
    let assets = card_renderer::Assets::with_campaign(campaign.clone())?;
    let config = ruban_core::Config {
        campaign: campaign.clone(),
        secret: b"load test secret, 32 bytes long.".to_vec(),
        limits: Limits::default(),
    };
    let bot = Arc::new(Bot::new(store.clone(), assets, config).await?);
    let app = ruban_web::app(ruban_web::AppState::new(bot, None));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });

    let total = rate * seconds;
    let start = Instant::now();
    // When each pledge number was acknowledged (µs since start; 0 = not yet).
    let acked: Arc<Vec<AtomicU64>> = Arc::new((0..=total).map(|_| AtomicU64::new(0)).collect());
    let delivered = Arc::new(AtomicU64::new(0));
    let delays = Arc::new(std::sync::Mutex::new(Vec::<u64>::new()));
    let finals: Arc<Vec<AtomicI64>> = Arc::new((0..streams).map(|_| AtomicI64::new(-1)).collect());
    let http = reqwest::Client::builder().pool_max_idle_per_host(0).build()?;
    let mut viewers = Vec::new();
    for i in 0..streams as usize {
        let res = http.get(format!("http://{addr}/api/wall/events")).send().await?;
        let (acked, delivered, delays, finals) = (acked.clone(), delivered.clone(), delays.clone(), finals.clone());
        viewers.push(tokio::spawn(async move {
            let mut body = res.bytes_stream();
            let mut buf = String::new();
            while let Some(Ok(chunk)) = body.next().await {
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(end) = buf.find("\n\n") {
                    let block: String = buf.drain(..end + 2).collect();
                    let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: ")) else { continue };
                    let Ok(v) = serde_json::from_str::<serde_json::Value>(data) else { continue };
                    delivered.fetch_add(1, Ordering::Relaxed);
                    let t = v["total"].as_i64().unwrap_or(0);
                    finals[i].store(t, Ordering::Relaxed);
                    if let Some(n) = v["number"].as_u64() {
                        let at = acked.get(n as usize).map_or(0, |a| a.load(Ordering::Relaxed));
                        if at > 0 && i % 10 == 0 {
                            let now = start.elapsed().as_micros() as u64;
                            delays.lock().unwrap().push(now.saturating_sub(at));
                        }
                    }
                    if t as u64 == total {
                        return;
                    }
                }
            }
        }));
    }
    eprintln!("{streams} streams open; pledging {rate}/s for {seconds} s");
    delivered.store(0, Ordering::Relaxed);
    let pledging = Instant::now();
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / rate.max(1)));
    for n in 0..total {
        tick.tick().await;
        let (store, acked, year) = (store.clone(), acked.clone(), campaign.year);
        tokio::spawn(async move {
            let p = store
                .pledge(PledgeRequest {
                    campaign: year,
                    person_key: format!("person-{n}"),
                    platform: "telegram".into(),
                    chat_key: None,
                    region: None,
                    organization: None,
                })
                .await
                .expect("pledge");
            acked[p.number as usize].store(start.elapsed().as_micros() as u64, Ordering::Relaxed);
        });
    }
    let pledge_time = pledging.elapsed().as_secs_f64();
    let waited = Instant::now();
    for v in viewers {
        let _ = tokio::time::timeout(Duration::from_secs(30).saturating_sub(waited.elapsed()), v).await;
    }
    let exact = finals.iter().filter(|f| f.load(Ordering::Relaxed) == total as i64).count();
    let mut d = delays.lock().unwrap().clone();
    d.sort_unstable();
    let pct = |p: f64| d.get(((d.len().max(1) - 1) as f64 * p) as usize).map_or(0.0, |us| *us as f64 / 1000.0);
    println!(
        "{{\"streams\": {streams}, \"pledges\": {total}, \"pledge_rate_per_s\": {:.0}, \"events_delivered_per_s\": {:.0}, \"p50_delay_ms\": {:.1}, \"p99_delay_ms\": {:.1}, \"viewers_exact\": {exact}, \"peak_rss_mb\": {:.1}}}",
        total as f64 / pledge_time,
        delivered.load(Ordering::Relaxed) as f64 / (pledge_time + waited.elapsed().as_secs_f64()),
        pct(0.50),
        pct(0.99),
        peak_rss_mb(),
    );
    if exact != streams as usize {
        return Err(format!("only {exact} of {streams} viewers ended at the exact total").into());
    }
    Ok(())
}
