//! A storm of pledges: `--people` distinct people pledging through `--concurrency` concurrent
//! callers, each pledge acknowledged only once durable. Prints pledges per second and latency
//! percentiles, then checks the count and that numbers are exactly 1..N.
//!
//! ```sh
//! cargo run --release -p ruban-store --example pledge_storm -- --backend sqlite --people 20000 --concurrency 64
//! cargo run --release -p ruban-store --example pledge_storm -- --backend postgres --people 20000 --concurrency 64
//! ```
//! PostgreSQL: `--url` or `RUBAN_TEST_POSTGRES_URL` or `DATABASE_URL` (a fresh schema is used and
//! dropped).

use std::str::FromStr;
use std::time::Instant;

use ruban_store::{Db, PledgeRequest, Store};
use sqlx::Connection;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let backend = arg(&args, "--backend").unwrap_or_else(|| "sqlite".into());
    let people: usize = arg(&args, "--people").map_or(Ok(20_000), |v| v.parse())?;
    let concurrency: usize = arg(&args, "--concurrency").map_or(Ok(64), |v| v.parse())?;

    let dir = tempfile::tempdir()?;
    let mut schema = None;
    let url;
    let store = match backend.as_str() {
        "sqlite" => {
            url = format!("sqlite://{}", dir.path().join("storm.db").display());
            Store::open(&url).await?
        }
        "postgres" => {
            url = arg(&args, "--url")
                .or_else(|| std::env::var("RUBAN_TEST_POSTGRES_URL").ok())
                .or_else(|| std::env::var("DATABASE_URL").ok())
                .ok_or("postgres needs --url, RUBAN_TEST_POSTGRES_URL or DATABASE_URL")?;
            let name = format!("ruban_storm_{}", std::process::id());
            let mut conn = sqlx::PgConnection::connect(&url).await?;
            sqlx::query(&format!("CREATE SCHEMA {name}")).execute(&mut conn).await?;
            let options = sqlx::postgres::PgConnectOptions::from_str(&url)?.options([("search_path", name.as_str())]);
            schema = Some(name);
            Store::with_db(Db::open_postgres(options).await?, Default::default()).await?
        }
        other => return Err(format!("unknown backend {other}: use sqlite or postgres").into()),
    };
    let campaign = ruban_vocabulary::Campaign::embedded();
    store.load_campaign(&campaign).await?;

    let start = Instant::now();
    let per_worker = people.div_ceil(concurrency);
    let mut tasks = Vec::new();
    for w in 0..concurrency {
        let store = store.clone();
        let year = campaign.year;
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(per_worker);
            for i in (w * per_worker)..((w + 1) * per_worker).min(people) {
                let t = Instant::now();
                store
                    .pledge(PledgeRequest {
                        campaign: year,
                        person_key: format!("person-{i}"),
                        platform: if i % 2 == 0 { "telegram".into() } else { "discord".into() },
                        chat_key: Some(format!("chat-{}", i % 100)),
                        region: Some(format!("{:02}", 1 + i % 17)),
                        organization: None,
                    })
                    .await
                    .expect("pledge");
                latencies.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            latencies
        }));
    }
    let mut latencies = Vec::with_capacity(people);
    for t in tasks {
        latencies.extend(t.await?);
    }
    let elapsed = start.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p) as usize];

    let count = store.count(campaign.year).await?;
    let numbers: Vec<i64> = store.pledge_rows(campaign.year).await?.into_iter().map(|r| r.number).collect();
    let dense = numbers == (1..=numbers.len() as i64).collect::<Vec<_>>();
    println!(
        "{{\"backend\": \"{backend}\", \"people\": {people}, \"concurrency\": {concurrency}, \"pledges_per_s\": {:.0}, \"p50_ms\": {:.2}, \"p99_ms\": {:.2}, \"count_ok\": {}, \"dense\": {dense}}}",
        people as f64 / elapsed,
        pct(0.50),
        pct(0.99),
        count == people as i64,
    );
    store.close().await;
    if let Some(name) = schema {
        let mut conn = sqlx::PgConnection::connect(&url).await?;
        sqlx::query(&format!("DROP SCHEMA {name} CASCADE")).execute(&mut conn).await?;
    }
    if count != people as i64 || !dense {
        return Err("count or numbering check failed".into());
    }
    Ok(())
}
