//! `ruban serve` as a process, the way operators run it: health and metrics answer, SIGTERM
//! finishes what is in flight and exits within ten seconds, and SIGKILL in the middle of a
//! storm of pledges loses none that was acknowledged, on SQLite and on PostgreSQL.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ruban_store::Store;

const SECRET: &str = "serve-process-test-secret-0123456789abcdef";

/// A running `ruban serve` and everything it printed.
struct Server {
    child: Child,
    base: String,
    output: Arc<Mutex<String>>,
}

impl Server {
    fn start(database: &str) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ruban"))
            .args(["serve", "--bind", "127.0.0.1:0", "--database", database])
            .env("RUBAN_SECRET", SECRET)
            .env("RUST_LOG", "info")
            .env_remove("DATABASE_URL")
            .env_remove("TELEGRAM_TOKEN")
            .env_remove("DISCORD_TOKEN")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ruban starts");
        let output = Arc::new(Mutex::new(String::new()));
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut base = None;
        let mut line = String::new();
        while base.is_none() && stdout.read_line(&mut line).unwrap_or(0) > 0 {
            output.lock().unwrap().push_str(&line);
            if let Some(rest) = line.trim().strip_prefix("playground: ") {
                base = Some(rest.trim_end_matches('/').to_owned());
            }
            line.clear();
        }
        let base = base.unwrap_or_else(|| {
            let mut err = String::new();
            let _ = child.stderr.take().unwrap().read_to_string(&mut err);
            panic!("ruban serve did not start:\n{}\n{err}", output.lock().unwrap())
        });
        for mut pipe in [Box::new(stdout) as Box<dyn Read + Send>, Box::new(child.stderr.take().unwrap())] {
            let output = output.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    output.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            });
        }
        Self { child, base, output }
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill").args(["-s", name, &self.child.id().to_string()]).status().unwrap();
        assert!(status.success(), "kill -s {name}");
    }

    /// Waits for the process to end; its exit status and how long it took.
    fn wait_exit(&mut self, limit: Duration) -> (std::process::ExitStatus, Duration) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status, start.elapsed());
            }
            assert!(start.elapsed() < limit, "still running after {limit:?}:\n{}", self.output.lock().unwrap());
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The pledge number in the bot's answer (« … person #12 in the green wave »), if it pledged.
fn pledge_number(answer: &serde_json::Value) -> Option<i64> {
    answer["messages"].as_array()?.iter().find_map(|m| {
        let text = m["text"].as_str()?;
        let after = text.split_once('#')?.1;
        let digits: String =
            after.chars().skip_while(|c| !c.is_ascii_digit()).take_while(|c| c.is_ascii_digit()).collect();
        digits.parse().ok()
    })
}

/// Pledges from `workers` clients in a loop until the server stops answering or `stop` is
/// set; returns the numbers the server acknowledged.
async fn storm(base: String, workers: usize, tag: &'static str, stop: Arc<std::sync::atomic::AtomicBool>) -> Vec<i64> {
    let client = reqwest::Client::new();
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let (client, base, stop) = (client.clone(), base.clone(), stop.clone());
            tokio::spawn(async move {
                let mut acked = Vec::new();
                for i in 0.. {
                    if stop.load(std::sync::atomic::Ordering::SeqCst) {
                        break;
                    }
                    let body = serde_json::json!({
                        "chat": format!("{tag}-{w}-{i}"),
                        "user": {"id": format!("{tag}-{w}-{i}"), "name": "Élève"},
                        "locale": "en-CA",
                        "text": "/ruban",
                    });
                    let Ok(resp) = client.post(format!("{base}/api/chat")).json(&body).send().await else { break };
                    if !resp.status().is_success() {
                        break;
                    }
                    let Ok(answer) = resp.json::<serde_json::Value>().await else { break };
                    acked.push(pledge_number(&answer).unwrap_or_else(|| panic!("no pledge number in {answer}")));
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

/// Every acknowledged pledge is in the database once, and the numbers are dense.
async fn check_pledges(database: &str, acked: &[i64]) -> usize {
    let store = Store::open(database).await.unwrap();
    let year = card_renderer::Campaign::embedded().year;
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

async fn get(url: &str) -> (u16, String) {
    let resp = reqwest::get(url).await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_metrics_and_a_graceful_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ruban.db").display());
    let mut server = Server::start(&db);
    assert_eq!(get(&format!("{}/healthz", server.base)).await.0, 200);
    let (status, body) = get(&format!("{}/readyz", server.base)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&body).unwrap()["store"], "ok");

    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let storming = tokio::spawn(storm(server.base.clone(), 6, "term", stop.clone()));
    tokio::time::sleep(Duration::from_millis(1500)).await;
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
    assert!(acked.len() >= 10, "the storm pledged ({} acknowledged)", acked.len());
    let stored = check_pledges(&db, &acked).await;
    eprintln!("SIGTERM: {} acknowledged, {stored} stored, exit after {took:?}", acked.len());
}

/// Starts a server, storms it, kills it with SIGKILL mid-storm, restarts it, and checks.
async fn killed_mid_storm(database: &str) {
    let server = Server::start(database);
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let storming = tokio::spawn(storm(server.base.clone(), 8, "kill", stop.clone()));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    drop(server); // SIGKILL, mid-storm
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let acked = storming.await.unwrap();
    assert!(acked.len() >= 10, "the storm pledged ({} acknowledged)", acked.len());
    let stored = check_pledges(database, &acked).await;
    // The restarted process goes on from there.
    let again = Server::start(database);
    let (status, body) = get(&format!("{}/readyz", again.base)).await;
    assert_eq!(status, 200, "{body}");
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/api/chat", again.base))
        .json(&serde_json::json!({"chat": "after", "user": {"id": "after", "name": "Élève"}, "locale": "en-CA", "text": "/ruban"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(pledge_number(&answer), Some(stored as i64 + 1), "numbering goes on densely after the crash");
    eprintln!("SIGKILL on {}: {} acknowledged, {stored} stored", database.split(':').next().unwrap(), acked.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_storm_loses_no_acknowledged_pledge_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    killed_mid_storm(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_storm_loses_no_acknowledged_pledge_on_postgres() {
    let Ok(url) = std::env::var("RUBAN_TEST_POSTGRES_URL") else {
        eprintln!("\n*** SKIPPED: PostgreSQL crash test: set RUBAN_TEST_POSTGRES_URL=postgres://… to run it ***\n");
        return;
    };
    use sqlx::Connection;
    let schema = format!(
        "ruban_serve_{}_{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos()
    );
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut conn).await.unwrap();
    let sep = if url.contains('?') { '&' } else { '?' };
    killed_mid_storm(&format!("{url}{sep}options[search_path]={schema}")).await;
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&mut conn).await.unwrap();
}
