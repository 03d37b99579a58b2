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

/// Why a connection failed, in words an operator acts on (the driver's own message last).
fn reason(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            "the connection was refused (is PostgreSQL running and listening there?)".to_owned()
        }
        sqlx::Error::Io(io) => format!("cannot reach it ({io}; is the host name right?)"),
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("28P01" | "28000") => format!("the server refused the user or password ({})", db.message()),
            Some("3D000") => format!("no such database ({})", db.message()),
            _ => db.message().to_owned(),
        },
        other => other.to_string(),
    }
}

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
            let scheme: String = url.split(':').next().unwrap_or_default().chars().take(20).collect();
            Err(StoreError::UnsupportedUrl(scheme))
        }
    }

    /// Like [`Db::open`], after one plain connection within `wait` that says why the database
    /// cannot be used when it cannot (refused, unknown host, wrong password, no such database,
    /// a SQLite file's folder missing), instead of a pool's retries ending in « pool timed out ».
    pub async fn open_within(url: &str, wait: Duration) -> Result<Self> {
        if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.trim_start_matches("//").split('?').next().unwrap_or_default();
            if !path.contains(":memory:")
                && let Some(folder) = std::path::Path::new(path).parent().filter(|f| !f.as_os_str().is_empty())
                && !folder.is_dir()
            {
                return Err(StoreError::Unreachable(format!("the folder {} does not exist", folder.display())));
            }
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            use sqlx::Connection;
            let options = PgConnectOptions::from_str(url)?;
            let place = format!("{}:{}", options.get_host(), options.get_port());
            match tokio::time::timeout(wait, sqlx::PgConnection::connect_with(&options)).await {
                Err(_) => {
                    return Err(StoreError::Unreachable(format!("{place} did not answer within {} s", wait.as_secs())));
                }
                Ok(Err(e)) => return Err(StoreError::Unreachable(format!("{place}: {}", reason(&e)))),
                Ok(Ok(probe)) => {
                    let _ = probe.close().await;
                }
            }
        }
        Self::open(url).await
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

    /// The database the pledge writer uses: on PostgreSQL a pool of its own, so that a crowd
    /// of readers never makes the writer wait for a connection; on SQLite the one writer.
    pub fn for_writer(&self) -> Self {
        match self {
            Self::Sqlite { .. } => self.clone(),
            Self::Postgres(pool) => {
                // The pledges table grows by thousands of rows a second: a plan cached while it
                // was small (a sequential scan) would stay. Plan each statement afresh.
                let options = (*pool.connect_options()).clone().options([("plan_cache_mode", "force_custom_plan")]);
                Self::Postgres(PgPoolOptions::new().max_connections(2).connect_lazy_with(options))
            }
        }
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

/// The two statements of the pledge writer whose best form differs by backend: on PostgreSQL
/// one statement with array parameters (`= ANY($2)`, `UNNEST`) whatever the batch size, so it
/// is prepared once; on SQLite, where preparing is a local call, plain lists.
pub(crate) trait Dialect {
    /// `(person_key, id, number, created_at)` of the people who already pledged.
    fn existing(
        &mut self,
        campaign: i32,
        people: Vec<String>,
    ) -> impl Future<Output = Result<Vec<(String, i64, i64, i64)>>> + Send;

    /// Inserts pledges and returns `(id, campaign, person_key)` for each.
    fn insert(
        &mut self,
        rows: Vec<crate::model::NewPledge>,
        now: i64,
        day: String,
    ) -> impl Future<Output = Result<Vec<(i64, i32, String)>>> + Send;
}

impl Dialect for sqlx::SqliteConnection {
    async fn existing(&mut self, campaign: i32, people: Vec<String>) -> Result<Vec<(String, i64, i64, i64)>> {
        let mut out = Vec::new();
        for chunk in people.chunks(256) {
            let mut q =
                sqlx::QueryBuilder::new("SELECT person_key, id, number, created_at FROM pledges WHERE campaign = ");
            q.push_bind(campaign);
            q.push(" AND person_key IN (");
            let mut sep = q.separated(", ");
            for p in chunk {
                sep.push_bind(p.as_str());
            }
            q.push(")");
            out.extend(q.build_query_as::<(String, i64, i64, i64)>().fetch_all(&mut *self).await?);
        }
        Ok(out)
    }

    async fn insert(
        &mut self,
        rows: Vec<crate::model::NewPledge>,
        now: i64,
        day: String,
    ) -> Result<Vec<(i64, i32, String)>> {
        let mut out = Vec::with_capacity(rows.len());
        for chunk in rows.chunks(64) {
            let mut q = sqlx::QueryBuilder::new(
                "INSERT INTO pledges (campaign, number, person_key, kind, class_session, platform, chat_key, region, organization, created_at, local_day) ",
            );
            q.push_values(chunk, |mut b, p| {
                b.push_bind(p.campaign)
                    .push_bind(p.number)
                    .push_bind(p.person_key.as_str())
                    .push_bind(p.kind)
                    .push_bind(p.class_session)
                    .push_bind(p.platform.as_str())
                    .push_bind(p.chat_key.as_deref())
                    .push_bind(p.region.as_deref())
                    .push_bind(p.organization.as_deref())
                    .push_bind(now)
                    .push_bind(day.as_str());
            });
            q.push(" RETURNING id, campaign, person_key");
            out.extend(q.build_query_as::<(i64, i32, String)>().fetch_all(&mut *self).await?);
        }
        Ok(out)
    }
}

impl Dialect for sqlx::PgConnection {
    async fn existing(&mut self, campaign: i32, people: Vec<String>) -> Result<Vec<(String, i64, i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT person_key, id, number, created_at FROM pledges WHERE campaign = $1 AND person_key = ANY($2)",
        )
        .bind(campaign)
        .bind(people)
        .fetch_all(&mut *self)
        .await?)
    }

    async fn insert(
        &mut self,
        rows: Vec<crate::model::NewPledge>,
        now: i64,
        day: String,
    ) -> Result<Vec<(i64, i32, String)>> {
        let n = rows.len();
        let mut campaign = Vec::with_capacity(n);
        let mut number = Vec::with_capacity(n);
        let mut person = Vec::with_capacity(n);
        let mut kind = Vec::with_capacity(n);
        let mut session = Vec::with_capacity(n);
        let mut platform = Vec::with_capacity(n);
        let mut chat = Vec::with_capacity(n);
        let mut region = Vec::with_capacity(n);
        let mut org = Vec::with_capacity(n);
        for r in rows {
            campaign.push(r.campaign);
            number.push(r.number);
            person.push(r.person_key);
            kind.push(r.kind.to_owned());
            session.push(r.class_session);
            platform.push(r.platform);
            chat.push(r.chat_key);
            region.push(r.region);
            org.push(r.organization);
        }
        Ok(sqlx::query_as(
            "INSERT INTO pledges (campaign, number, person_key, kind, class_session, platform, chat_key, region, organization, created_at, local_day) \
             SELECT c, n, p, k, s, pl, ch, r, o, $10, $11 FROM UNNEST($1::int[], $2::bigint[], $3::text[], $4::text[], $5::bigint[], \
             $6::text[], $7::text[], $8::text[], $9::text[]) AS t(c, n, p, k, s, pl, ch, r, o) RETURNING id, campaign, person_key",
        )
        .bind(campaign)
        .bind(number)
        .bind(person)
        .bind(kind)
        .bind(session)
        .bind(platform)
        .bind(chat)
        .bind(region)
        .bind(org)
        .bind(now)
        .bind(day)
        .fetch_all(&mut *self)
        .await?)
    }
}

#[cfg(test)]
mod url_tests {
    use super::*;

    /// The error names the scheme, never the rest of a URL that may carry a password.
    #[tokio::test]
    async fn an_unsupported_url_is_refused_without_its_password() {
        let e = Db::open("mysql://u:hunter2@h/db").await.unwrap_err();
        let shown = format!("{e} {e:?}");
        assert!(shown.contains("\"mysql\""), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}
