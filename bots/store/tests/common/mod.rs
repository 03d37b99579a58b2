//! Fresh stores for the contract tests: a temporary SQLite file, or a PostgreSQL schema of its
//! own on the server named by `RUBAN_TEST_POSTGRES_URL` (set by `.ci/run`). Without that
//! variable the PostgreSQL half says SKIPPED, loudly, and passes.

#![allow(dead_code)]

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

use ruban_store::{Db, Store};
use sqlx::Connection;
use sqlx::postgres::PgConnectOptions;

pub const CAMPAIGN: i32 = 2026;

/// The environment variable naming the test server.
pub const PG_ENV: &str = "RUBAN_TEST_POSTGRES_URL";

pub struct Fresh {
    pub store: Store,
    pub url: String,
    /// PostgreSQL schema, to reopen the same database.
    pub schema: Option<String>,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> Fresh {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ruban.db").display());
    let store = Store::open(&url).await.unwrap();
    store.load_campaign(&card_renderer::Campaign::embedded()).await.unwrap();
    Fresh { store, url, schema: None, _dir: Some(dir) }
}

pub fn pg_options(url: &str, schema: &str) -> PgConnectOptions {
    PgConnectOptions::from_str(url).unwrap().options([("search_path", schema)])
}

pub async fn postgres() -> Option<Fresh> {
    let Ok(url) = std::env::var(PG_ENV) else {
        eprintln!("\n*** SKIPPED: PostgreSQL half of this test: set {PG_ENV}=postgres://… to run it ***\n");
        if std::env::var_os("RUBAN_REQUIRE_ALL").is_some() {
            panic!("RUBAN_REQUIRE_ALL is set: this half may not be skipped (see the SKIPPED line)");
        }
        return None;
    };
    static N: AtomicU32 = AtomicU32::new(0);
    let schema = format!(
        "ruban_test_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos()
    );
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap_or_else(|e| panic!("{PG_ENV}={url}: {e}"));
    sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    let store = Store::with_db(Db::open_postgres(pg_options(&url, &schema)).await.unwrap()).await.unwrap();
    store.load_campaign(&card_renderer::Campaign::embedded()).await.unwrap();
    Some(Fresh { store, url, schema: Some(schema), _dir: None })
}

impl Fresh {
    /// Drops the PostgreSQL schema of a test that passed.
    pub async fn cleanup(&self) {
        self.store.close().await;
        if let Some(schema) = &self.schema {
            let mut conn = sqlx::PgConnection::connect(&self.url).await.unwrap();
            sqlx::query(&format!("DROP SCHEMA {schema} CASCADE")).execute(&mut conn).await.unwrap();
        }
    }

    /// Opens the same database again, as a restarted process would.
    pub async fn reopen(&self) -> Store {
        match &self.schema {
            None => Store::open(&self.url).await.unwrap(),
            Some(schema) => {
                Store::with_db(Db::open_postgres(pg_options(&self.url, schema)).await.unwrap()).await.unwrap()
            }
        }
    }
}

/// Generates a SQLite and a PostgreSQL test for each contract function.
#[macro_export]
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let fresh = $crate::common::sqlite().await;
                    super::$name(&fresh).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(fresh) = $crate::common::postgres().await {
                        super::$name(&fresh).await;
                        fresh.cleanup().await;
                    }
                }
            }
        )*
    };
}
