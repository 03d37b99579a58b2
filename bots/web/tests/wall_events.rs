//! The wall's live events over a real socket: a pledge made through the playground API reaches
//! an open event stream within a second, filtered as the wall asked.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use ruban_core::{Bot, Limits};
use ruban_store::Store;
use serde_json::{Value, json};

async fn server() -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await.unwrap();
    let campaign = card_renderer::Campaign::embedded();
    let assets = card_renderer::Assets::with_campaign(campaign.clone()).unwrap();
    let config = ruban_core::Config {
        campaign,
        secret: b"wall events test secret 32 bytes".to_vec(),
        limits: Limits::default(),
    };
    let bot = Bot::new(store, assets, config).await.unwrap();
    let app = ruban_web::app(ruban_web::AppState::new(Arc::new(bot), None));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), dir)
}

/// Reads server-sent events until one named `count`, returning its data.
async fn next_count(
    stream: &mut (impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    buf: &mut String,
) -> Value {
    loop {
        if let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            if block.lines().any(|l| l == "event: count") {
                let data = block.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
                return serde_json::from_str(data).unwrap();
            }
            continue;
        }
        let chunk = tokio::time::timeout(Duration::from_secs(5), stream.next()).await.expect("an event within 5 s");
        buf.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pledge_reaches_every_matching_wall_within_a_second() {
    let (base, _dir) = server().await;
    let http = reqwest::Client::new();
    let mut all = http.get(format!("{base}/api/wall/events")).send().await.unwrap().bytes_stream();
    let mut nunavik = http.get(format!("{base}/api/wall/events?region=NUN")).send().await.unwrap().bytes_stream();
    let (mut a, mut n) = (String::new(), String::new());
    assert_eq!(next_count(&mut all, &mut a).await["total"], 0);
    assert_eq!(next_count(&mut nunavik, &mut n).await["total"], 0);

    for who in ["lea", "noah"] {
        let started = std::time::Instant::now();
        let body = json!({"chat": "c", "user": {"id": who, "name": who}, "locale": "fr-CA", "text": "/ruban"});
        http.post(format!("{base}/api/chat")).json(&body).send().await.unwrap();
        let tick = next_count(&mut all, &mut a).await;
        assert!(started.elapsed() < Duration::from_secs(1), "the wall moved {:?} after the pledge", started.elapsed());
        assert_eq!(tick["number"], tick["total"]);
    }
    // The Nunavik wall heard nothing: its next event is the one a Nunavik pledge makes.
    // (No region was given above.) A repeated pledge makes no event either.
    let body = json!({"chat": "c", "user": {"id": "lea", "name": "lea"}, "locale": "fr-CA", "text": "/ruban"});
    http.post(format!("{base}/api/chat")).json(&body).send().await.unwrap();
    let quiet = tokio::time::timeout(Duration::from_millis(500), nunavik.next()).await;
    assert!(quiet.is_err() || !String::from_utf8_lossy(&quiet.unwrap().unwrap().unwrap()).contains("count"));
    let latest: Value = http.get(format!("{base}/api/wall")).send().await.unwrap().json().await.unwrap();
    assert_eq!(latest["total"], 2);
}
