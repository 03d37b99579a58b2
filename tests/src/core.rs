//! A core over a fresh store: what every adapter's tests and the web's tests start from.

use std::sync::Arc;

use ruban_core::{Bot, Limits};
use ruban_store::Store;

/// The server secret of every test core (32 bytes; pseudonymous keys derive from it).
pub const SECRET: &[u8] = b"ruban tests secret, 32 bytes ok.";

/// Limits for scenarios with many people in one chat: far more than a real chat sees, so a
/// scenario measures the adapter, not the per-person caps (tests of the caps set their own).
pub fn generous() -> Limits {
    Limits { cards_per_day: 10_000, chat_per_minute: 100_000, classes_per_hour: 1_000, ..Limits::default() }
}

/// A core over `store`, with the embedded campaign and `limits`.
pub async fn on(store: Store, limits: Limits) -> Arc<Bot> {
    let campaign = ruban_vocabulary::Campaign::embedded();
    let assets = card_renderer::Assets::with_campaign(campaign.clone()).unwrap();
    let config = ruban_core::Config { campaign, secret: SECRET.to_vec(), limits };
    Arc::new(Bot::new(store, assets, config).await.unwrap())
}

/// A core over the SQLite file `ruban.db` in `dir` (kept across "restarts" of the same test).
pub async fn in_dir(dir: &std::path::Path, limits: Limits) -> (Arc<Bot>, Store) {
    let store = Store::open(&format!("sqlite://{}", dir.join("ruban.db").display())).await.unwrap();
    (on(store.clone(), limits).await, store)
}
