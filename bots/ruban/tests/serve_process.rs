//! `ruban serve` as a process, the way operators run it: health and metrics answer, SIGTERM
//! finishes what is in flight and exits within ten seconds, and SIGKILL in the middle of a
//! storm of pledges loses none that was acknowledged, on SQLite and on PostgreSQL.

use std::sync::Arc;
use std::time::Duration;

use ruban_store::Store;

use ruban_tests::serve as harness;

use harness::{Server, get, pledge};

/// The binary under test, as Cargo built it for this package's tests.
const RUBAN: &str = env!("CARGO_BIN_EXE_ruban");

/// Pledges from `workers` clients in a loop until the server stops answering or `stop` is
/// set, counting acknowledgements in `acks` as they come; returns the numbers the server
/// acknowledged.
async fn storm(
    base: String,
    workers: usize,
    tag: &'static str,
    stop: Arc<std::sync::atomic::AtomicBool>,
    acks: Arc<std::sync::atomic::AtomicUsize>,
) -> Vec<i64> {
    let client = reqwest::Client::new();
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let (client, base, stop, acks) = (client.clone(), base.clone(), stop.clone(), acks.clone());
            tokio::spawn(async move {
                let mut acked = Vec::new();
                for i in 0.. {
                    if stop.load(std::sync::atomic::Ordering::SeqCst) {
                        break;
                    }
                    let Some(number) = pledge(&client, &base, &format!("{tag}-{w}-{i}")).await else { break };
                    acked.push(number);
                    acks.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                }
                acked
            })
        })
        .collect();
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    all
}

/// Waits (a ceiling, never a deadline) until the storm had `n` pledges acknowledged: the
/// server is then busy with it, whatever the machine's speed.
async fn storming_for(acks: &std::sync::atomic::AtomicUsize, n: usize) {
    let deadline = std::time::Instant::now() + ruban_tests::PATIENCE;
    while acks.load(std::sync::atomic::Ordering::SeqCst) < n {
        assert!(std::time::Instant::now() < deadline, "the storm never got {n} answers");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Every acknowledged pledge is in the database once, and the numbers are dense.
async fn check_pledges(database: &str, acked: &[i64]) -> usize {
    let store = Store::open(database).await.unwrap();
    let year = ruban_vocabulary::Campaign::embedded().year;
    let mut numbers: Vec<i64> = store.pledge_rows(year).await.unwrap().into_iter().map(|r| r.number).collect();
    numbers.sort_unstable();
    let expected: Vec<i64> = (1..=numbers.len() as i64).collect();
    assert_eq!(numbers, expected, "numbers are dense and unique");
    for n in acked {
        assert!(numbers.binary_search(n).is_ok(), "acknowledged pledge #{n} is missing");
    }
    let mut unique = acked.to_vec();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), acked.len(), "no number was handed out twice");
    store.close().await;
    numbers.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_metrics_and_a_graceful_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ruban.db").display());
    let mut server = Server::start(RUBAN, &db);
    assert_eq!(get(&format!("{}/healthz", server.base)).await.0, 200);
    let (status, body) = get(&format!("{}/readyz", server.base)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["store"], "ok");

    // A wall left open on a projector: its event stream never ends on its own.
    let mut wall = reqwest::get(format!("{}/api/wall/events", server.base)).await.unwrap().bytes_stream();
    let wall_open =
        tokio::spawn(async move { while let Some(Ok(_)) = futures_util::StreamExt::next(&mut wall).await {} });
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let acks = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let storming = tokio::spawn(storm(server.base.clone(), 6, "term", stop.clone(), acks.clone()));
    storming_for(&acks, 30).await;
    let (status, metrics) = get(&format!("{}/metrics", server.base)).await;
    assert_eq!(status, 200);
    for name in ["ruban_pledges_total", "ruban_images_rendered_total", "ruban_render_seconds_bucket"] {
        assert!(metrics.contains(name), "{name} missing from /metrics:\n{metrics}");
    }
    server.signal("TERM");
    let (exit, took) = server.wait_exit(Duration::from_secs(15));
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let acked = storming.await.unwrap();
    assert!(exit.success(), "a clean exit after SIGTERM: {exit:?}\n{}", server.output.lock().unwrap());
    assert!(took <= Duration::from_secs(10), "exited {took:?} after SIGTERM");
    tokio::time::timeout(Duration::from_secs(1), wall_open).await.expect("the wall's stream ended").unwrap();
    assert!(acked.len() >= 10, "the storm pledged ({} acknowledged)", acked.len());
    let stored = check_pledges(&db, &acked).await;
    eprintln!("SIGTERM: {} acknowledged, {stored} stored, exit after {took:?}", acked.len());
}

/// Starts a server, storms it, kills it with SIGKILL mid-storm, restarts it, and checks.
async fn killed_mid_storm(database: &str) {
    let server = Server::start(RUBAN, database);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let acks = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let storming = tokio::spawn(storm(server.base.clone(), 8, "kill", stop.clone(), acks.clone()));
    storming_for(&acks, 30).await;
    drop(server); // SIGKILL, mid-storm
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let acked = storming.await.unwrap();
    assert!(acked.len() >= 10, "the storm pledged ({} acknowledged)", acked.len());
    let stored = check_pledges(database, &acked).await;
    // The restarted process goes on from there.
    let again = Server::start(RUBAN, database);
    let (status, body) = get(&format!("{}/readyz", again.base)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        pledge(&reqwest::Client::new(), &again.base, "after").await,
        Some(stored as i64 + 1),
        "numbering goes on densely after the crash"
    );
    eprintln!("SIGKILL on {}: {} acknowledged, {stored} stored", database.split(':').next().unwrap(), acked.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_storm_loses_no_acknowledged_pledge_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    killed_mid_storm(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_storm_loses_no_acknowledged_pledge_on_postgres() {
    let Some(pg) = ruban_tests::postgres::Schema::fresh("PostgreSQL crash test").await else { return };
    killed_mid_storm(&pg.url()).await;
    pg.drop_schema().await;
}

/// Issue 35: between campaigns with no next campaign file (today, with only the 2026 file),
/// the server says so plainly: at start-up, on `/readyz` (still ready: cards and the wall work)
/// and on the organizers' dashboard, with how to add one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn between_campaigns_the_operator_and_organizers_are_told_no_next_campaign_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ruban.db").display());
    let token = "between-campaigns-organizer-token-0123456789";
    let server = Server::start_with(RUBAN, &db, &[("RUBAN_TODAY", "2026-12-07"), ("RUBAN_ORGANIZER_TOKEN", token)]);
    // The start-up lines after the address are read as they come.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !server.output.lock().unwrap().contains("  campaign:") && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let started = server.output.lock().unwrap().clone();
    assert!(started.contains("campaign:") && started.contains("ruban campaign new"), "{started}");
    let (status, ready) = get(&format!("{}/readyz", server.base)).await;
    assert_eq!(status, 200, "{ready}");
    let ready: serde_json::Value = serde_json::from_str(&ready).unwrap();
    assert!(ready["campaign"].as_str().unwrap().contains("no later campaign file"), "{ready}");
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login =
        client.post(format!("{}/organisateurs/connexion", server.base)).form(&[("token", token)]).send().await.unwrap();
    let cookie = login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let dash = client
        .get(format!("{}/organisateurs?lang=fr-CA", server.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dash.contains("aucune prochaine campagne n’est inscrite") && dash.contains("ruban campaign new"), "{dash}");
}
