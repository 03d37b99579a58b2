//! Fresh stores for tests, on both backends: a temporary SQLite file, or a PostgreSQL schema of
//! its own ([`crate::postgres`]). Every store-facing test runs on both (see [`contract!`]).

use ruban_store::Store;

use crate::postgres::Schema;

/// The campaign year of the embedded campaign (`assets/campaign/2026.toml`).
pub const CAMPAIGN: i32 = 2026;

/// A fresh store and what it takes to open the same database again.
pub struct Fresh {
    pub store: Store,
    /// The database: a `sqlite://` URL, or the PostgreSQL server's.
    pub url: String,
    /// The PostgreSQL schema, when on PostgreSQL.
    pub schema: Option<Schema>,
    _dir: Option<tempfile::TempDir>,
}

/// A fresh store on a temporary SQLite file, the embedded campaign loaded.
pub async fn sqlite() -> Fresh {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ruban.db").display());
    let store = Store::open(&url).await.unwrap();
    store.load_campaign(&ruban_vocabulary::Campaign::embedded()).await.unwrap();
    crate::skip::ran(crate::skip::half::SQLITE);
    Fresh { store, url, schema: None, _dir: Some(dir) }
}

/// A fresh store on a PostgreSQL schema of its own, the embedded campaign loaded; None (said
/// loudly) without a test server.
pub async fn postgres() -> Option<Fresh> {
    let schema = Schema::fresh("PostgreSQL half of this test").await?;
    let store = schema.store().await;
    store.load_campaign(&ruban_vocabulary::Campaign::embedded()).await.unwrap();
    Some(Fresh { store, url: schema.server.clone(), schema: Some(schema), _dir: None })
}

/// A fresh store on either backend.
pub async fn fresh(postgres: bool) -> Option<Fresh> {
    if postgres { self::postgres().await } else { Some(sqlite().await) }
}

impl Fresh {
    /// Closes the store and drops the PostgreSQL schema (call it when the test passed).
    pub async fn cleanup(&self) {
        self.store.close().await;
        if let Some(schema) = &self.schema {
            schema.drop_schema().await;
        }
    }

    /// Opens the same database again, as another (or a restarted) process would.
    pub async fn reopen(&self) -> Store {
        match &self.schema {
            None => Store::open(&self.url).await.unwrap(),
            Some(schema) => schema.store().await,
        }
    }

    /// The database as `ruban serve --database` takes it.
    pub fn database_url(&self) -> String {
        self.schema.as_ref().map_or_else(|| self.url.clone(), Schema::url)
    }
}

/// Two stores over one database, as two processes have: two SQLite connections to one fresh
/// file, or two pools on one fresh PostgreSQL schema (None, said loudly, without a server).
pub async fn pair(postgres: bool) -> Option<(Fresh, Store)> {
    let first = fresh(postgres).await?;
    let second = first.reopen().await;
    Some((first, second))
}

/// Generates a SQLite and a PostgreSQL test for each contract function (`async fn name(&Fresh)`).
#[macro_export]
macro_rules! contract {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    let fresh = $crate::store::sqlite().await;
                    super::$name(&fresh).await;
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(fresh) = $crate::store::postgres().await {
                        super::$name(&fresh).await;
                        fresh.cleanup().await;
                    }
                }
            }
        )*
    };
}
