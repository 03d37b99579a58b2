//! Ruban's pledge store: SQLite by default, PostgreSQL at scale, with the same behaviour on both.
//!
//! Guarantees (each has a test in `tests/store_contract.rs`, run on both backends):
//! - **Idempotent**: a person pledges once per campaign; pledging again, a click delivered twice
//!   or an update redelivered after a crash returns the first pledge and its number.
//! - **Dense numbering**: the green wave is numbered 1..N with no gap and no repeat under any
//!   concurrency ([`writer`] explains how).
//! - **Durable**: a pledge is acknowledged only after its transaction committed with fsync.
//! - **Forget me** erases a person's profile, messages and every link to them; the anonymous
//!   counts stay. **Purge** does the same for whole campaigns past their retention date.
//!
//! How pledges count: a person counts once in a campaign's wave, whether they pledged alone
//! (`/ruban`) or by clicking in one or several classes. A class counts each person who clicked
//! in it, once; so a pupil who pledged alone and then with the class is one number in the wave
//! and one member of the class.
//!
//! ```no_run
//! # async fn demo() -> Result<(), ruban_store::StoreError> {
//! use ruban_store::{PledgeRequest, Pseudonymizer, Store};
//! let store = Store::open("sqlite://ruban.db").await?;
//! store.load_campaign(&ruban_vocabulary::Campaign::embedded()).await?;
//! let keys = Pseudonymizer::new("server secret");
//! let pledge = store
//!     .pledge(PledgeRequest {
//!         campaign: 2026,
//!         person_key: keys.person("telegram", "12345"),
//!         platform: "telegram".into(),
//!         chat_key: None,
//!         region: Some("06".into()),
//!         organization: None,
//!     })
//!     .await?;
//! println!("nº {}", pledge.number);
//! # Ok(()) }
//! ```
#![warn(missing_docs)]

mod campaigns;
mod cards;
mod class_codes;
mod classes;
pub mod db;
mod deliveries;
pub mod error;
pub mod export;
mod held;
mod inbox;
pub mod keys;
mod locations;
pub mod model;
mod notify;
mod organizers;
mod people;
mod pledges;
mod recognition;
mod reports;
mod sends;
mod wall;
mod web_state;
mod writer;

use std::sync::Arc;

use ruban_vocabulary::Region;

pub use class_codes::{CLASS_CODE_ALPHABET, CLASS_CODE_LEN, CLASS_PUBLIC_ID_LEN, is_class_code, is_class_public_id};
pub use db::Db;
pub use error::{Result, StoreError};
pub use export::{ExportFormat, GroupBy, PledgeRow, TotalRow};
pub use held::{HELD_LIFE_MS, HeldCard, NewHeldCard, NewOutgoing, Outgoing};
pub use inbox::Unfinished;
pub use keys::Pseudonymizer;
pub use locations::{EditTurn, MessageLocation};
pub use model::*;
pub use reports::{ReportRow, Reported, ReportedCard, Review, STRANGER_REPORTS_PER_HOUR, STRIKES_TO_BLOCK, WallReport};
pub use web_state::{PendingPost, WEB_STATE_LIFE_MS, WebSession};

use crate::db::on_db;
use crate::writer::Writer;
use ruban_vocabulary::Clock;

/// The store. Cheap to clone; every clone shares the pools and the pledge writer.
#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
    writer: Writer,
    regions: Arc<std::sync::RwLock<Vec<Region>>>,
    /// Campaigns known to exist: checked once, then from memory (every pledge checks).
    campaigns: Arc<std::sync::RwLock<std::collections::HashSet<i32>>>,
    /// Changes, for live walls: what subscribers receive.
    events: tokio::sync::broadcast::Sender<StoreEvent>,
    /// On PostgreSQL, where changes go first: to every process through NOTIFY, coming back to
    /// `events` through LISTEN ([`notify`]).
    publisher: Option<notify::Publisher>,
    /// On PostgreSQL, the notification channel of this store's schema ([`notify::channel`]).
    channel: Option<String>,
    /// The one clock ([`Clock`]): every row's time and day come from it.
    clock: Clock,
}

impl Store {
    /// Opens (creating and migrating) the database at `url`, loads the bundled regions, and
    /// starts the pledge writer on the current Tokio runtime.
    /// Its rows carry the real date and time ([`Clock::system`]).
    pub async fn open(url: &str) -> Result<Self> {
        Self::open_with(url, Clock::system()).await
    }

    /// Opens the database at `url`; its rows carry `clock`'s time (`RUBAN_TODAY`'s day).
    pub async fn open_with(url: &str, clock: Clock) -> Result<Self> {
        Self::with_db(Db::open(url).await?, clock).await
    }

    /// Opens `url` with `clock`, or says within `wait` why it cannot ([`Db::open_within`]).
    pub async fn open_within(url: &str, wait: std::time::Duration, clock: Clock) -> Result<Self> {
        Self::with_db(Db::open_within(url, wait).await?, clock).await
    }

    /// Wraps an already opened database; its rows carry `clock`'s time.
    pub async fn with_db(db: Db, clock: Clock) -> Result<Self> {
        let events = tokio::sync::broadcast::channel(4096).0;
        let (publisher, channel) = match &db {
            Db::Postgres(pool) => {
                let channel = notify::channel(pool).await?;
                notify::listen(pool, &channel, events.clone()).await?;
                (Some(notify::Publisher::spawn(pool.clone(), channel.clone())), Some(channel))
            }
            Db::Sqlite { .. } => (None, None),
        };
        let store = Self {
            writer: Writer::spawn(db.for_writer(), clock.clone()),
            clock,
            db,
            regions: Arc::new(std::sync::RwLock::new(Vec::new())),
            campaigns: Arc::default(),
            events,
            publisher,
            channel,
        };
        store.load_regions(&Region::embedded()?).await?;
        Ok(store)
    }

    /// On PostgreSQL, the channel this store's processes `LISTEN` and `NOTIFY` on: `ruban_events`
    /// in the `public` schema, a name of the schema's own otherwise (what an operator looks for
    /// in `pg_stat_activity`).
    pub fn events_channel(&self) -> Option<&str> {
        self.channel.as_deref()
    }

    /// The clock this store stamps rows with: the one the process was handed.
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Subscribes to changes (new pledges, wall messages), sent after their commit.
    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<StoreEvent> {
        self.events.subscribe()
    }

    pub(crate) fn emit(&self, event: StoreEvent) {
        if let StoreEvent::Pledge { class, .. } = &event {
            metrics::counter!("ruban_pledges_total", "via" => if class.is_some() { "class" } else { "person" })
                .increment(1);
        }
        match &self.publisher {
            Some(p) => p.send(event),
            // No subscriber is fine: nobody is watching a wall.
            None => {
                let _ = self.events.send(event);
            }
        }
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Checks that the database answers and the pledge writer is running (`/readyz`).
    pub async fn ping(&self) -> Result<()> {
        if self.writer.is_stopped() {
            return Err(StoreError::Closed);
        }
        on_db!(&self.db, pool => {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes the pools.
    pub async fn close(&self) {
        self.db.close().await;
    }
}
