//! The two backends behind one enum. Queries are written once in the SQL both dialects share
//! (`$1` parameters, `ON CONFLICT`, `RETURNING`) and run on either pool through [`on_db!`];
//! where the dialects differ (write locking) the code says so.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::error::{Result, StoreError};

/// Runs `$body` with `$pool` bound to whichever pool the store uses; the body is compiled once
/// per backend, so it must only use SQL both understand.
macro_rules! on_db {
    (read $db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite { read: $pool, write: _ } => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite { read: _, write: $pool } => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_db;

/// The open database.
#[derive(Debug, Clone)]
pub enum Db {
    /// One file. Writes go through a single connection (SQLite has one writer anyway, and this
    /// avoids lock upgrades failing under load); reads use a small pool beside it (WAL mode).
    Sqlite {
        /// Readers.
        read: SqlitePool,
        /// The writer.
        write: SqlitePool,
    },
    /// A server shared by any number of processes.
    Postgres(PgPool),
}

impl Db {
    /// Opens `url` (`sqlite://ruban.db`, `sqlite::memory:`, `postgres://…`), creating a SQLite
    /// file if needed, and applies the migrations of its backend.
    pub async fn open(url: &str) -> Result<Self> {
        if url.starts_with("sqlite:") {
            // Durability: WAL with synchronous=FULL fsyncs every commit, so an acknowledged
            // pledge survives a crash and a power cut; group commits keep that fast.
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let write = SqlitePoolOptions::new().max_connections(1).connect_with(options.clone()).await?;
            sqlx::migrate!("../../migrations/sqlite").run(&write).await?;
            let read = if url.contains(":memory:") {
                // An in-memory database exists only on its own connection.
                write.clone()
            } else {
                SqlitePoolOptions::new().max_connections(4).connect_with(options.read_only(true)).await?
            };
            Ok(Self::Sqlite { read, write })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let options = PgConnectOptions::from_str(url)?;
            Self::open_postgres(options).await
        } else {
            Err(StoreError::UnsupportedUrl(url.to_owned()))
        }
    }

    /// Opens PostgreSQL with explicit options (tests use a schema of their own).
    pub async fn open_postgres(options: PgConnectOptions) -> Result<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        sqlx::migrate!("../../migrations/postgres").run(&pool).await?;
        Ok(Self::Postgres(pool))
    }

    /// The backend's name.
    pub fn backend(&self) -> &'static str {
        match self {
            Self::Sqlite { .. } => "sqlite",
            Self::Postgres(_) => "postgres",
        }
    }

    /// Closes every connection (flushing SQLite's WAL).
    pub async fn close(&self) {
        match self {
            Self::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Self::Postgres(p) => p.close().await,
        }
    }
}
