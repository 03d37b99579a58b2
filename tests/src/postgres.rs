//! Fresh schemas on the PostgreSQL test server named by `RUBAN_TEST_POSTGRES_URL` (set by
//! `.ci/run`): each test gets a schema of its own, so tests run side by side on one database and
//! leave nothing behind when they pass (a failed test's schema is kept, to look at).

use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;
use sqlx::postgres::PgConnectOptions;

/// The environment variable naming the test server.
pub const PG_ENV: &str = "RUBAN_TEST_POSTGRES_URL";

/// A schema of a test's own on the test server.
#[derive(Debug, Clone)]
pub struct Schema {
    /// The server's URL, as `RUBAN_TEST_POSTGRES_URL` gives it.
    pub server: String,
    /// The schema's name.
    pub name: String,
}

impl Schema {
    /// A new empty schema, or None (said loudly, see [`crate::skip`]) without a test server.
    /// `what` names the half that needs it.
    pub async fn fresh(what: &str) -> Option<Self> {
        let Ok(server) = std::env::var(PG_ENV) else {
            crate::skip::skipped(crate::skip::half::POSTGRES, what, &format!("set {PG_ENV}=postgres://… to run it"));
            return None;
        };
        static N: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let name = format!("ruban_test_{}_{}_{nanos}", std::process::id(), N.fetch_add(1, Ordering::Relaxed));
        let mut conn = sqlx::PgConnection::connect(&server).await.unwrap_or_else(|e| panic!("{PG_ENV}={server}: {e}"));
        sqlx::query(&format!("CREATE SCHEMA {name}")).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
        crate::skip::ran(crate::skip::half::POSTGRES);
        Some(Self { server, name })
    }

    /// Connection options that put this schema first on the search path.
    pub fn options(&self) -> PgConnectOptions {
        PgConnectOptions::from_str(&self.server).unwrap().options([("search_path", self.name.as_str())])
    }

    /// A database URL for this schema, as `ruban serve --database` takes it.
    pub fn url(&self) -> String {
        let sep = if self.server.contains('?') { '&' } else { '?' };
        format!("{}{sep}options[search_path]={}", self.server, self.name)
    }

    /// A store on this schema (migrated on first open), as one process opens it, on the real
    /// date.
    pub async fn store(&self) -> ruban_store::Store {
        self.store_with(ruban_vocabulary::Clock::system()).await
    }

    /// A store on this schema whose rows carry `clock`'s time (a test that moves the day).
    pub async fn store_with(&self, clock: ruban_vocabulary::Clock) -> ruban_store::Store {
        let db = ruban_store::Db::open_postgres(self.options()).await.unwrap();
        ruban_store::Store::with_db(db, clock).await.unwrap()
    }

    /// Drops the schema (call it when the test passed).
    pub async fn drop_schema(&self) {
        let mut conn = sqlx::PgConnection::connect(&self.server).await.unwrap();
        sqlx::query(&format!("DROP SCHEMA {} CASCADE", self.name)).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    }
}
