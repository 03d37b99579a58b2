//! Durability: a child process pledges in a loop and prints every acknowledged pledge; it is
//! killed with SIGKILL mid-stream; after a restart every acknowledged pledge is there, with its
//! number, and the wave is still dense.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use ruban_store::{PledgeRequest, Store};
use ruban_tests::postgres::{PG_ENV, Schema};
use ruban_tests::store::CAMPAIGN;

const CHILD_URL: &str = "RUBAN_CRASH_CHILD_URL";
const CHILD_SCHEMA: &str = "RUBAN_CRASH_CHILD_SCHEMA";

async fn open(url: &str, schema: Option<&str>) -> Store {
    match schema {
        None => Store::open(url).await.unwrap(),
        Some(s) => Schema { server: url.to_owned(), name: s.to_owned() }.store().await,
    }
}

/// The child: runs only when the parent sets the variables; otherwise it is an empty test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crash_child() {
    let Ok(url) = std::env::var(CHILD_URL) else {
        return;
    };
    let schema = std::env::var(CHILD_SCHEMA).ok();
    let store = open(&url, schema.as_deref()).await;
    store.load_campaign(&ruban_vocabulary::Campaign::embedded()).await.unwrap();
    // Eight concurrent pledgers, so batches are in flight when the kill lands.
    let mut tasks = Vec::new();
    for w in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0.. {
                let person = format!("w{w}-{i}");
                let p = store
                    .pledge(PledgeRequest {
                        campaign: CAMPAIGN,
                        person_key: person.clone(),
                        platform: "telegram".into(),
                        chat_key: None,
                        region: None,
                        organization: None,
                    })
                    .await
                    .unwrap();
                // println! locks stdout per line; the parent reads whole lines.
                println!("ACK {person} {}", p.number);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
}

async fn crash_and_check(url: &str, schema: Option<&str>) {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(["crash_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_URL, url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(s) = schema {
        cmd.env(CHILD_SCHEMA, s);
    }
    let mut child = cmd.spawn().unwrap();
    let mut acked = Vec::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while acked.len() < 2000 {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(rest) = line.strip_prefix("ACK ") {
            let (person, number) = rest.split_once(' ').unwrap();
            acked.push((person.to_owned(), number.parse::<i64>().unwrap()));
        }
    }
    child.kill().unwrap(); // SIGKILL: no destructor, no flush, no goodbye
    child.wait().unwrap();
    assert!(acked.len() >= 2000, "the child acknowledged only {} pledges", acked.len());

    let store = open(url, schema).await;
    for (person, number) in &acked {
        let found = store.pledge_of(CAMPAIGN, person).await.unwrap();
        assert_eq!(found.map(|p| p.number), Some(*number), "acknowledged pledge of {person} lost");
    }
    let numbers: Vec<i64> = store.pledge_rows(CAMPAIGN).await.unwrap().into_iter().map(|r| r.number).collect();
    assert!(numbers.len() >= acked.len());
    assert_eq!(numbers, (1..=numbers.len() as i64).collect::<Vec<_>>(), "dense after the crash");
    eprintln!("{} acknowledged before SIGKILL, {} stored", acked.len(), numbers.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_loses_no_acknowledged_pledge_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("crash.db").display());
    crash_and_check(&url, None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_loses_no_acknowledged_pledge_postgres() {
    let Some(fresh) = ruban_tests::store::postgres().await else {
        return;
    };
    let schema = fresh.schema.clone().unwrap();
    fresh.store.close().await;
    crash_and_check(&fresh.url, Some(&schema.name)).await;
    fresh.cleanup().await;
}

#[test]
fn postgres_url_is_set_in_ci() {
    // .ci/run sets it; if CI ever runs without it, say so loudly rather than pass quietly.
    if std::env::var("CI").is_ok() {
        assert!(std::env::var(PG_ENV).is_ok(), "{PG_ENV} must be set in CI so PostgreSQL is tested");
    }
}

/// The durability the crash test relies on is what the SQLite connections really use: WAL
/// with `synchronous = FULL` (2) on the writer, so every acknowledged commit is fsynced.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sqlite_writer_really_runs_wal_with_synchronous_full() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&format!("sqlite://{}", dir.path().join("ruban.db").display()), None).await;
    let ruban_store::Db::Sqlite { write, .. } = store.db() else { panic!("a SQLite store") };
    let (synchronous,): (i64,) = sqlx::query_as("PRAGMA synchronous").fetch_one(write).await.unwrap();
    let (journal,): (String,) = sqlx::query_as("PRAGMA journal_mode").fetch_one(write).await.unwrap();
    assert_eq!(synchronous, 2, "synchronous = FULL");
    assert_eq!(journal.to_lowercase(), "wal");
    store.close().await;
}
