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
    (serve(app, ruban_web::ServerLimits::default()).await, dir)
}

/// Serves `app` on 127.0.0.1 at a free port with the product's own server loop and `limits`;
/// returns its base URL.
pub async fn serve(app: axum::Router, limits: ruban_web::ServerLimits) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { ruban_web::serve(listener, app, limits, std::future::pending()).await.unwrap() });
    format!("http://{addr}")
}

/// Two stores over one database, as two processes have: two SQLite connections to one file in
/// `dir`, or, with `postgres`, two pools on one fresh PostgreSQL schema (None, said loudly, when
/// the server is not configured).
pub async fn store_pair(dir: &tempfile::TempDir, postgres: bool) -> Option<(Store, Store)> {
    if !postgres {
        let url = format!("sqlite://{}", dir.path().join("shared.db").display());
        return Some((Store::open(&url).await.unwrap(), Store::open(&url).await.unwrap()));
    }
    let first = postgres_store().await?;
    let schema = first_schema(&first).await;
    let url = std::env::var(PG_ENV).unwrap();
    use std::str::FromStr;
    let options = sqlx::postgres::PgConnectOptions::from_str(&url).unwrap().options([("search_path", schema.as_str())]);
    let second = Store::with_db(ruban_store::Db::open_postgres(options).await.unwrap()).await.unwrap();
    Some((first, second))
}

async fn first_schema(store: &Store) -> String {
    let ruban_store::Db::Postgres(pool) = store.db() else { panic!("not PostgreSQL") };
    let (schema,): (String,) = sqlx::query_as("SELECT current_schema()").fetch_one(pool).await.unwrap();
    schema
}

/// The environment variable naming the PostgreSQL test server.
pub const PG_ENV: &str = "RUBAN_TEST_POSTGRES_URL";

/// A fresh store on PostgreSQL (a schema of its own on the server `RUBAN_TEST_POSTGRES_URL`
/// names), or None, said loudly, without that variable.
pub async fn postgres_store() -> Option<Store> {
    use sqlx::Connection;
    use std::str::FromStr;
    let Ok(url) = std::env::var(PG_ENV) else {
        eprintln!("\n*** SKIPPED: PostgreSQL half of this test: set {PG_ENV}=postgres://… to run it ***\n");
        if std::env::var_os("RUBAN_REQUIRE_ALL").is_some() {
            panic!("RUBAN_REQUIRE_ALL is set: this half may not be skipped (see the SKIPPED line)");
        }
        return None;
    };
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let schema = format!(
        "ruban_web_test_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos()
    );
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap_or_else(|e| panic!("{PG_ENV}={url}: {e}"));
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    let options = sqlx::postgres::PgConnectOptions::from_str(&url).unwrap().options([("search_path", schema.as_str())]);
    Some(Store::with_db(ruban_store::Db::open_postgres(options).await.unwrap()).await.unwrap())
}

/// A bot over a given store.
pub async fn bot_on(store: Store, limits: Limits) -> Arc<Bot> {
    let campaign = card_renderer::Campaign::embedded();
    let assets = card_renderer::Assets::with_campaign(campaign.clone()).unwrap();
    let config = ruban_core::Config { campaign, secret: b"web tests secret, 32 bytes long.".to_vec(), limits };
    Arc::new(Bot::new(store, assets, config).await.unwrap())
}

/// A form POST, with a cookie if given (the dashboard's and the class page's forms).
pub fn form(uri: &str, body: &str, cookie: Option<&str>) -> axum::http::Request<axum::body::Body> {
    let mut r =
        axum::http::Request::post(uri).header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        r = r.header(axum::http::header::COOKIE, c);
    }
    r.body(axum::body::Body::from(body.to_owned())).unwrap()
}

/// A GET, with a cookie if given.
pub fn get(uri: &str, cookie: Option<&str>) -> axum::http::Request<axum::body::Body> {
    let mut r = axum::http::Request::get(uri);
    if let Some(c) = cookie {
        r = r.header(axum::http::header::COOKIE, c);
    }
    r.body(axum::body::Body::empty()).unwrap()
}
