//! Three `ruban serve` processes on one PostgreSQL, the way Ruban runs for all of Quebec: a
//! class of 30 clicks through all three at once, then a storm of 5,000 pledges spread over
//! them. Totals are exact, numbers dense, and the live wall on every process ends on the
//! final count (events cross processes through LISTEN/NOTIFY).

use ruban_tests::serve as harness;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use harness::{Server, pledge};
use serde_json::{Value, json};

/// The binary under test, as Cargo built it for this package's tests.
const RUBAN: &str = env!("CARGO_BIN_EXE_ruban");

/// Follows a wall's live events, keeping the last total it showed.
fn follow_wall(base: &str) -> Arc<AtomicI64> {
    let last = Arc::new(AtomicI64::new(-1));
    let (seen, url) = (last.clone(), format!("{base}/api/wall/events"));
    tokio::spawn(async move {
        let mut stream = reqwest::get(url).await.unwrap().bytes_stream();
        let mut buf = String::new();
        while let Some(Ok(chunk)) = stream.next().await {
            buf.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buf.find("\n\n") {
                let block: String = buf.drain(..end + 2).collect();
                if block.lines().any(|l| l == "event: count")
                    && let Some(data) = block.lines().find_map(|l| l.strip_prefix("data: "))
                    && let Ok(tick) = serde_json::from_str::<Value>(data)
                {
                    seen.store(tick["total"].as_i64().unwrap_or(-1), Ordering::SeqCst);
                }
            }
        }
    });
    last
}

async fn post(client: &reqwest::Client, url: String, body: Value) -> Value {
    let resp = client.post(url).json(&body).send().await.unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    resp.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_processes_on_one_postgres_count_exactly() {
    let Some(pg) = ruban_tests::postgres::Schema::fresh("three processes on one PostgreSQL").await else { return };
    let servers: Vec<Server> = (0..3).map(|_| Server::start(RUBAN, &pg.url())).collect();
    let bases: Vec<String> = servers.iter().map(|s| s.base.clone()).collect();
    let walls: Vec<Arc<AtomicI64>> = bases.iter().map(|b| follow_wall(b)).collect();
    let client = reqwest::Client::new();
    // Every wall has said where it starts before anything happens.
    let start = Instant::now();
    while walls.iter().any(|w| w.load(Ordering::SeqCst) != 0) {
        assert!(start.elapsed() < Duration::from_secs(10), "walls did not connect");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // A class opened on the first process; 30 pupils click through all three at once, some twice.
    let opened = post(
        &client,
        format!("{}/api/chat", bases[0]),
        json!({"chat": "5b", "user": {"id": "teacher", "name": "Mme Tremblay"}, "locale": "fr-CA", "text": "/classe « 5e année B »"}),
    )
    .await;
    let class_msg = &opened["messages"][0];
    let message_id = class_msg["id"].as_str().unwrap().to_owned();
    let join = class_msg["buttons"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|b| b["id"].as_str().filter(|id| id.starts_with("j:")))
        .unwrap()
        .to_owned();
    let mut clicks = Vec::new();
    for i in 0..30usize {
        for again in 0..(1 + usize::from(i % 4 == 0)) {
            let (client, url) = (client.clone(), format!("{}/api/chat/click", bases[(i + again) % 3]));
            let body = json!({"chat": "5b", "user": {"id": format!("pupil-{i}"), "name": format!("Élève {i}")}, "locale": "fr-CA", "message_id": message_id, "button_id": join});
            clicks.push(tokio::spawn(async move { post(&client, url, body).await }));
        }
    }
    for c in clicks {
        let answer = c.await.unwrap();
        assert!(answer["messages"][0]["text"].as_str().unwrap().contains("engagement"), "{answer}");
    }
    // Closed on another process: the badge counts all 30.
    let closed = post(
        &client,
        format!("{}/api/chat", bases[1]),
        json!({"chat": "5b", "user": {"id": "teacher", "name": "Mme Tremblay"}, "locale": "fr-CA", "text": "/classe fermer"}),
    )
    .await;
    let badge = closed["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect::<Vec<_>>()
        .join(" | ");
    assert!(badge.contains("30\u{a0}engagements") || badge.contains("30 engagements"), "{badge}");

    // A storm of 5,000 pledges spread over the three, 12 clients at a time.
    const STORM: usize = 5000;
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let workers: Vec<_> = (0..12)
        .map(|_| {
            let (client, bases, next) = (client.clone(), bases.clone(), next.clone());
            tokio::spawn(async move {
                let mut numbers = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= STORM {
                        return numbers;
                    }
                    let number = pledge(&client, &bases[i % 3], &format!("storm-{i}")).await;
                    numbers.push(number.unwrap_or_else(|| panic!("pledge {i} was not answered")));
                }
            })
        })
        .collect();
    let mut numbers = Vec::new();
    for w in workers {
        numbers.extend(w.await.unwrap());
    }
    let storm_took = start.elapsed();
    numbers.sort_unstable();
    let expected: Vec<i64> = (31..=(30 + STORM as i64)).collect();
    assert_eq!(
        numbers,
        expected,
        "the storm's numbers follow the class's, dense and unique ({} numbers, first {:?}, last {:?})",
        numbers.len(),
        numbers.first(),
        numbers.last()
    );

    let store = ruban_store::Store::open(&pg.url()).await.unwrap();
    let year = ruban_vocabulary::Campaign::embedded().year;
    assert_eq!(store.count(year).await.unwrap(), 30 + STORM as i64, "exact total in the database");
    store.close().await;
    // Every wall, on every process, ends on the exact total.
    let total = 30 + STORM as i64;
    let waiting = Instant::now();
    while walls.iter().any(|w| w.load(Ordering::SeqCst) != total) {
        let now: Vec<i64> = walls.iter().map(|w| w.load(Ordering::SeqCst)).collect();
        assert!(waiting.elapsed() < Duration::from_secs(10), "walls show {now:?}, expected {total}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    eprintln!(
        "three processes: class of 30 + {STORM} pledges in {:.1} s; walls at {total} {:.0} ms after the last answer",
        storm_took.as_secs_f64(),
        waiting.elapsed().as_secs_f64() * 1e3
    );
    drop(servers);
    pg.drop_schema().await;
}
