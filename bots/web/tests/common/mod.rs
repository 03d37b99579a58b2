//! A bot over a fresh SQLite store, and the real server on a loopback port, for the web tests.

#![allow(dead_code)]

use std::sync::Arc;

use ruban_core::{Bot, Limits};
use ruban_store::Store;

/// A bot over a fresh store in `dir`.
pub async fn bot(dir: &tempfile::TempDir, limits: Limits) -> (Arc<Bot>, Store) {
    let store = Store::open(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await.unwrap();
    let campaign = card_renderer::Campaign::embedded();
    let assets = card_renderer::Assets::with_campaign(campaign.clone()).unwrap();
    let config = ruban_core::Config { campaign, secret: b"web tests secret, 32 bytes long.".to_vec(), limits };
    (Arc::new(Bot::new(store.clone(), assets, config).await.unwrap()), store)
}

/// The web app served on 127.0.0.1 at a free port; returns its base URL.
pub async fn server() -> (String, tempfile::TempDir) {
    server_with(None).await
}

/// The same, with a campaign-wide organizer token.
pub async fn server_with(organizer_token: Option<&str>) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (bot, _) = bot(&dir, Limits::default()).await;
    let app = ruban_web::app(ruban_web::AppState::new(bot, organizer_token.map(str::to_owned)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), dir)
}
