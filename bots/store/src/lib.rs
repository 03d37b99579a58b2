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

pub mod db;
pub mod error;
pub mod export;
mod held;
mod inbox;
pub mod keys;
mod locations;
pub mod model;
mod notify;
mod reports;
mod sends;
mod web_state;
mod writer;

use std::sync::Arc;

use ruban_vocabulary::{Campaign, Region};
use time::Date;

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
use crate::writer::{Job, Outcome, RefusalKind, Writer};
use ruban_vocabulary::Clock;
use ruban_vocabulary::clock::{day_string, montreal_day};

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

    fn emit(&self, event: StoreEvent) {
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

    /// Loads (or updates) a campaign from its data file.
    pub async fn load_campaign(&self, c: &Campaign) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO campaigns (year, start_day, end_day, persevert_day, hashtag, theme_fr, theme_en, retention_until) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                 ON CONFLICT (year) DO UPDATE SET start_day = excluded.start_day, end_day = excluded.end_day, \
                 persevert_day = excluded.persevert_day, hashtag = excluded.hashtag, theme_fr = excluded.theme_fr, \
                 theme_en = excluded.theme_en, retention_until = excluded.retention_until",
            )
            .bind(c.year)
            .bind(day_string(c.start))
            .bind(day_string(c.end))
            .bind(day_string(c.persevert_day))
            .bind(&c.hashtag)
            .bind(c.theme(ruban_vocabulary::Locale::FrCa))
            .bind(c.theme(ruban_vocabulary::Locale::EnCa))
            .bind(day_string(c.retention_until))
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Loads (or updates) the regions.
    pub async fn load_regions(&self, regions: &[Region]) -> Result<()> {
        on_db!(&self.db, pool => {
            for r in regions {
                sqlx::query(
                    "INSERT INTO regions (code, name_fr, name_en) VALUES ($1, $2, $3) \
                     ON CONFLICT (code) DO UPDATE SET name_fr = excluded.name_fr, name_en = excluded.name_en",
                )
                .bind(&r.code)
                .bind(&r.fr)
                .bind(&r.en)
                .execute(pool)
                .await?;
            }
        });
        *self.regions.write().unwrap_or_else(|e| e.into_inner()) = regions.to_vec();
        Ok(())
    }

    /// The regions, in file order.
    pub fn regions(&self) -> Vec<Region> {
        self.regions.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn check_region(&self, region: Option<&str>) -> Result<()> {
        match region {
            Some(code) if !self.regions().iter().any(|r| r.code == code) => {
                Err(StoreError::UnknownRegion(code.to_owned()))
            }
            _ => Ok(()),
        }
    }

    async fn check_campaign(&self, year: i32) -> Result<()> {
        if self.campaigns.read().unwrap_or_else(|e| e.into_inner()).contains(&year) {
            return Ok(());
        }
        let found: Option<(i32,)> = on_db!(read &self.db, pool => {
            sqlx::query_as("SELECT year FROM campaigns WHERE year = $1").bind(year).fetch_optional(pool).await?
        });
        found.ok_or(StoreError::UnknownCampaign(year))?;
        self.campaigns.write().unwrap_or_else(|e| e.into_inner()).insert(year);
        Ok(())
    }

    /// Pledges: returns the person's pledge in the campaign, made now or earlier.
    #[tracing::instrument(skip_all, fields(campaign = req.campaign, platform = %req.platform))]
    pub async fn pledge(&self, req: PledgeRequest) -> Result<Pledge> {
        self.check_region(req.region.as_deref())?;
        self.check_campaign(req.campaign).await?;
        let (campaign, region, organization) = (req.campaign, req.region.clone(), req.organization.clone());
        match self.writer.submit(Job::Pledge(req)).await? {
            Outcome::Pledged(p) => {
                if p.created {
                    self.emit(StoreEvent::Pledge { campaign, number: p.number, region, organization, class: None });
                }
                Ok(p)
            }
            other => Err(StoreError::WriteFailed(format!("unexpected answer {other:?}"))),
        }
    }

    /// A click on a class's button: the person joins the class (once) and pledges if they had
    /// not yet.
    pub async fn join_class(&self, req: JoinRequest) -> Result<Joined> {
        let code = req.code.clone();
        match self.writer.submit(Job::Join(req)).await? {
            Outcome::Joined(j) => {
                if j.pledge.created
                    && let Some(session) = self.class_by_code(&code).await?
                {
                    self.emit(StoreEvent::Pledge {
                        campaign: session.campaign,
                        number: j.pledge.number,
                        region: session.region,
                        organization: session.school,
                        class: session.public_id,
                    });
                }
                Ok(j)
            }
            Outcome::Refused(RefusalKind::NotFound, code) => Err(StoreError::ClassNotFound(code)),
            Outcome::Refused(RefusalKind::Closed, code) => Err(StoreError::ClassClosed(code)),
            other => Err(StoreError::WriteFailed(format!("unexpected answer {other:?}"))),
        }
    }

    /// Opens a class pledge session and returns it with its new code.
    pub async fn open_class(&self, new: NewClass) -> Result<ClassSession> {
        self.check_region(new.region.as_deref())?;
        self.check_campaign(new.campaign).await?;
        let now = self.clock.now_ms();
        for _ in 0..8 {
            let code = class_code();
            let inserted: Option<ClassSession> = on_db!(&self.db, pool => {
                sqlx::query_as(&format!(
                    "INSERT INTO class_sessions (campaign, code, owner_key, platform, chat_key, class_name, school, region, is_open, opened_at, teacher_code, is_group, public_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9, $10, $11, $12) ON CONFLICT DO NOTHING \
                     RETURNING {CLASS_COLUMNS}",
                ))
                .bind(new.campaign)
                .bind(&code)
                .bind(&new.owner_key)
                .bind(&new.platform)
                .bind(&new.chat_key)
                .bind(&new.class_name)
                .bind(&new.school)
                .bind(&new.region)
                .bind(now)
                .bind(class_code())
                .bind(new.is_group)
                .bind(class_public_id())
                .fetch_optional(pool)
                .await?
            });
            if let Some(session) = inserted {
                return Ok(session);
            }
        }
        Err(StoreError::WriteFailed("could not find a free class code".into()))
    }

    /// A class session by its code.
    pub async fn class_by_code(&self, code: &str) -> Result<Option<ClassSession>> {
        Ok(on_db!(&self.db, pool => {
            sqlx::query_as(&format!(
                "SELECT {CLASS_COLUMNS} FROM class_sessions WHERE code = $1",
            ))
            .bind(code)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// The class a class link opens (its code): the renewed link, or the code itself for a
    /// class whose link was never renewed. None for a link that opens nothing (any more).
    pub async fn class_for_link(&self, link: &str) -> Result<Option<String>> {
        if !is_class_code(link) {
            return Ok(None);
        }
        let found: Option<(String,)> = on_db!(read &self.db, pool => {
            sqlx::query_as(
                "SELECT code FROM class_sessions WHERE link_code = $1 OR (link_code IS NULL AND code = $1) LIMIT 1",
            )
            .bind(link)
            .fetch_optional(pool)
            .await?
        });
        Ok(found.map(|(code,)| code))
    }

    /// Gives an open class a new link (as unguessable as a code); the old one stops opening
    /// its page at once, on every process. None when no open class has this code.
    pub async fn renew_class_link(&self, code: &str) -> Result<Option<String>> {
        for _ in 0..8 {
            let link = class_code();
            // A new link never equals another class's code either (codes are links too).
            let renewed = on_db!(&self.db, pool => {
                sqlx::query(
                    "UPDATE class_sessions SET link_code = $2 WHERE code = $1 AND is_open = TRUE \
                     AND NOT EXISTS (SELECT 1 FROM class_sessions o WHERE o.code = $2 OR o.link_code = $2)",
                )
                .bind(code)
                .bind(&link)
                .execute(pool)
                .await?
                .rows_affected()
            });
            if renewed == 1 {
                return Ok(Some(link));
            }
            if self.class_by_code(code).await?.is_none_or(|c| !c.is_open) {
                return Ok(None);
            }
        }
        Err(StoreError::WriteFailed("could not find a free class link".into()))
    }

    /// Whether the open class `code`'s messages reach the wall only once approved. False when
    /// no open class has that code.
    pub async fn set_class_premoderated(&self, code: &str, on: bool) -> Result<bool> {
        let done = on_db!(&self.db, pool => {
            sqlx::query("UPDATE class_sessions SET premoderated = $2 WHERE code = $1 AND is_open = TRUE")
                .bind(code)
                .bind(on)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done == 1)
    }

    /// Whether a message posted from `chat_key` waits for approval: the chat's open class
    /// asked for it.
    pub async fn chat_premoderated(&self, chat_key: &str) -> Result<bool> {
        Ok(self.premoderated_class(chat_key).await?.is_some())
    }

    /// The code of the open class of `chat_key` that asked for approval, if any: a message
    /// posted from there waits for its teacher (or an organizer).
    pub async fn premoderated_class(&self, chat_key: &str) -> Result<Option<String>> {
        let found: Option<(String,)> = on_db!(&self.db, pool => {
            sqlx::query_as(
                "SELECT code FROM class_sessions WHERE is_open = TRUE AND premoderated = TRUE \
                 AND chat_key = $1 ORDER BY id DESC LIMIT 1",
            )
            .bind(chat_key)
            .fetch_optional(pool)
            .await?
        });
        Ok(found.map(|(c,)| c))
    }

    /// Counts the certificates of `pupils` (keyed hashes of a class and a first name, see
    /// `Bot`'s certificates; nothing about whom or why is kept), each once per campaign
    /// however many times it is printed. Returns how many were new.
    pub async fn count_certificates(&self, campaign: i32, platform: &str, pupils: &[String]) -> Result<u64> {
        let now = self.clock.now_ms();
        Ok(on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let mut added = 0;
            for pupil in pupils {
                added += sqlx::query(
                    "INSERT INTO certificates_given (campaign, platform, count, created_at, pupil_tag) VALUES ($1, $2, 1, $3, $4) \
                     ON CONFLICT (campaign, pupil_tag) DO NOTHING",
                )
                .bind(campaign)
                .bind(platform)
                .bind(now)
                .bind(pupil)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            tx.commit().await?;
            added
        }))
    }

    /// How many certificates were handed out for a campaign.
    pub async fn certificates_given(&self, campaign: i32) -> Result<i64> {
        let (n,): (i64,) = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT CAST(COALESCE(SUM(count), 0) AS BIGINT) FROM certificates_given WHERE campaign = $1")
                .bind(campaign)
                .fetch_one(pool)
                .await?
        });
        Ok(n)
    }

    /// One more photo in Jeudi perséVERT's green wave. The photo itself never reaches the
    /// store; the row keeps the day, the platform and, when known, the class and the region
    /// the person chose when they pledged (read here, so no key is kept with it).
    pub async fn count_green_photo(&self, photo: &GreenPhoto) -> Result<()> {
        let day = day_string(self.clock.today());
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO green_photos (campaign, platform, day, region, class_code, created_at) \
                 VALUES ($1, $2, $3, (SELECT region FROM pledges WHERE campaign = $1 AND person_key = $4), $5, $6)",
            )
            .bind(photo.campaign)
            .bind(&photo.platform)
            .bind(&day)
            .bind(photo.person_key.as_deref().unwrap_or_default())
            .bind(photo.class_code.as_deref())
            .bind(self.clock.now_ms())
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// A campaign's green wave by region (the region the person chose when they pledged;
    /// `None`: unknown, last), largest first.
    pub async fn green_photos_by_region(&self, campaign: i32) -> Result<Vec<(Option<String>, i64)>> {
        let rows: Vec<(Option<String>, i64)> = on_db!(&self.db, pool => {
            sqlx::query_as(
                "SELECT region, CAST(COUNT(*) AS BIGINT) AS n FROM green_photos WHERE campaign = $1 \
                 GROUP BY region ORDER BY n DESC, region IS NULL, region",
            )
            .bind(campaign)
            .fetch_all(pool)
            .await?
        });
        Ok(rows)
    }

    /// How many photos joined a campaign's green wave.
    pub async fn green_photos(&self, campaign: i32) -> Result<i64> {
        let (n,): (i64,) = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM green_photos WHERE campaign = $1")
                .bind(campaign)
                .fetch_one(pool)
                .await?
        });
        Ok(n)
    }

    /// Whether class `code`'s messages wait for approval (see [`Store::premoderated_class`] for
    /// a chat's).
    pub async fn class_premoderated(&self, code: &str) -> Result<bool> {
        let found: Option<(bool,)> = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT premoderated FROM class_sessions WHERE code = $1")
                .bind(code)
                .fetch_optional(pool)
                .await?
        });
        Ok(found.is_some_and(|(p,)| p))
    }

    /// The secret of a class's teacher access (see [`Store::class_for_teacher`]); None for a
    /// class opened before it existed.
    pub async fn teacher_code(&self, code: &str) -> Result<Option<String>> {
        let found: Option<(Option<String>,)> = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT teacher_code FROM class_sessions WHERE code = $1")
                .bind(code)
                .fetch_optional(pool)
                .await?
        });
        Ok(found.and_then(|(c,)| c))
    }

    /// The class whose teacher access is `teacher_code`, of any campaign, open or closed.
    pub async fn class_for_teacher(&self, teacher_code: &str) -> Result<Option<ClassSession>> {
        if !is_class_code(teacher_code) {
            return Ok(None);
        }
        let found: Option<(String,)> = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT code FROM class_sessions WHERE teacher_code = $1")
                .bind(teacher_code)
                .fetch_optional(pool)
                .await?
        });
        match found {
            Some((code,)) => self.class_by_code(&code).await,
            None => Ok(None),
        }
    }

    /// The messages of class `code` that wait for approval, the oldest first (at most `max`):
    /// `(entry id, message, posted at in ms)`.
    pub async fn awaiting_in_class(&self, code: &str, max: i64) -> Result<Vec<(i64, String, i64)>> {
        Ok(on_db!(&self.db, pool => {
            sqlx::query_as(
                "SELECT id, message, created_at FROM wall_entries WHERE class_code = $1 AND awaiting = TRUE \
                 ORDER BY created_at, id LIMIT $2",
            )
            .bind(code)
            .bind(max)
            .fetch_all(pool)
            .await?
        }))
    }

    /// A teacher's decision on a message of their class that waits: shown on the wall, or kept
    /// hidden. False when `id` is not a waiting message of class `code` (another class's, one
    /// already decided): nothing changes.
    pub async fn review_in_class(&self, code: &str, id: i64, show: bool) -> Result<bool> {
        let (done, campaign): (u64, Option<i32>) = on_db!(&self.db, pool => {
            let row: Option<(i32,)> = sqlx::query_as(
                "UPDATE wall_entries SET state = $3, awaiting = FALSE \
                 WHERE id = $1 AND class_code = $2 AND awaiting = TRUE RETURNING campaign",
            )
            .bind(id)
            .bind(code)
            .bind(if show { "visible" } else { "hidden" })
            .fetch_optional(pool)
            .await?;
            (u64::from(row.is_some()), row.map(|(c,)| c))
        });
        if let (true, Some(campaign)) = (show, campaign) {
            self.emit(StoreEvent::Wall { campaign });
        }
        Ok(done > 0)
    }

    /// The open classes of a campaign within a filter, the latest first, at most `max`
    /// (the organizers' dashboard).
    pub async fn open_classes(&self, campaign: i32, filter: &WallFilter, max: i64) -> Result<Vec<ClassSession>> {
        Ok(on_db!(read &self.db, pool => {
            sqlx::query_as(&format!(
                "SELECT {CLASS_COLUMNS} FROM class_sessions \
                 WHERE campaign = $1 AND is_open = TRUE AND (CAST($2 AS TEXT) IS NULL OR region = $2) \
                 AND (CAST($3 AS TEXT) IS NULL OR school = $3) ORDER BY id DESC LIMIT $4",
            ))
            .bind(campaign)
            .bind(&filter.region)
            .bind(&filter.school)
            .bind(max)
            .fetch_all(pool)
            .await?
        }))
    }

    /// The open class session in a chat, if any (the latest).
    pub async fn open_class_in_chat(&self, chat_key: &str) -> Result<Option<ClassSession>> {
        Ok(on_db!(&self.db, pool => {
            sqlx::query_as(&format!(
                "SELECT {CLASS_COLUMNS} FROM class_sessions \
                 WHERE chat_key = $1 AND is_open = TRUE ORDER BY id DESC LIMIT 1",
            ))
            .bind(chat_key)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Closes a class (only its owner may) and returns what its badge shows. Closing twice
    /// returns the same summary.
    pub async fn close_class(&self, code: &str, by: &str) -> Result<ClassSummary> {
        let session = self.class_by_code(code).await?.ok_or_else(|| StoreError::ClassNotFound(code.to_owned()))?;
        if session.owner_key.as_deref() != Some(by) {
            return Err(StoreError::NotClassOwner(code.to_owned()));
        }
        on_db!(&self.db, pool => {
            sqlx::query("UPDATE class_sessions SET is_open = FALSE, closed_at = COALESCE(closed_at, $2) WHERE id = $1")
                .bind(session.id)
                .bind(self.clock.now_ms())
                .execute(pool)
                .await?;
        });
        self.class_summary(code).await
    }

    /// Forgets the first names typed for a closed class (its badge was drawn): only the count
    /// remains. Open classes keep theirs.
    pub async fn forget_class_names(&self, code: &str) -> Result<u64> {
        Ok(on_db!(&self.db, pool => {
            sqlx::query(
                "UPDATE class_members SET first_name = NULL WHERE first_name IS NOT NULL AND session_id IN \
                 (SELECT id FROM class_sessions WHERE code = $1 AND is_open = FALSE)",
            )
            .bind(code)
            .execute(pool)
            .await?
            .rows_affected()
        }))
    }

    /// The first names pupils typed on an open class's page, with their member ids, in the
    /// order they pledged: what the class's adult sees before the badge is drawn.
    pub async fn class_first_names(&self, code: &str) -> Result<Vec<(i64, String)>> {
        Ok(on_db!(read &self.db, pool => {
            sqlx::query_as(
                "SELECT m.id, m.first_name FROM class_members m JOIN class_sessions s ON s.id = m.session_id \
                 WHERE s.code = $1 AND m.first_name IS NOT NULL ORDER BY m.id",
            )
            .bind(code)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Takes a first name off the class's badge (the pupil's pledge stays): the class's adult
    /// removing a joke or a name that should not be drawn. False when the class holds no such
    /// name (already removed, or another class's).
    pub async fn remove_class_first_name(&self, code: &str, member: i64) -> Result<bool> {
        let done = on_db!(&self.db, pool => {
            sqlx::query(
                "UPDATE class_members SET first_name = NULL WHERE id = $1 AND first_name IS NOT NULL \
                 AND session_id = (SELECT id FROM class_sessions WHERE code = $2)",
            )
            .bind(member)
            .bind(code)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(done > 0)
    }

    /// The members count and the names members agreed to show.
    pub async fn class_summary(&self, code: &str) -> Result<ClassSummary> {
        let session = self.class_by_code(code).await?.ok_or_else(|| StoreError::ClassNotFound(code.to_owned()))?;
        let (members, names): ((i64,), Vec<(String,)>) = on_db!(&self.db, pool => {
            let count = sqlx::query_as("SELECT COUNT(*) FROM class_members WHERE session_id = $1")
                .bind(session.id)
                .fetch_one(pool)
                .await?;
            // A first name typed on the class page, else the public name a member chose to show.
            let names = sqlx::query_as(
                "SELECT COALESCE(m.first_name, p.public_name) FROM class_members m \
                 LEFT JOIN people p ON p.person_key = m.person_key \
                 WHERE m.session_id = $1 AND (m.first_name IS NOT NULL OR (p.wall_opt_in = TRUE AND p.public_name IS NOT NULL)) \
                 ORDER BY m.id",
            )
            .bind(session.id)
            .fetch_all(pool)
            .await?;
            (count, names)
        });
        Ok(ClassSummary { session, members: members.0, names: names.into_iter().map(|(n,)| n).collect() })
    }

    /// Saves a person's chosen profile (public name, language, wall consent).
    pub async fn set_profile(&self, person_key: &str, profile: &Profile) -> Result<()> {
        let now = self.clock.now_ms();
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO people (person_key, public_name, locale, wall_opt_in, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) \
                 ON CONFLICT (person_key) DO UPDATE SET public_name = excluded.public_name, locale = excluded.locale, \
                 wall_opt_in = excluded.wall_opt_in, updated_at = excluded.updated_at",
            )
            .bind(person_key)
            .bind(&profile.public_name)
            .bind(&profile.locale)
            .bind(profile.wall_opt_in)
            .bind(now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// A person's profile, if they set one.
    pub async fn profile(&self, person_key: &str) -> Result<Option<Profile>> {
        let row: Option<(Option<String>, Option<String>, bool)> = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT public_name, locale, wall_opt_in FROM people WHERE person_key = $1")
                .bind(person_key)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(public_name, locale, wall_opt_in)| Profile { public_name, locale, wall_opt_in }))
    }

    /// A person's pledge in a campaign, if any.
    pub async fn pledge_of(&self, campaign: i32, person_key: &str) -> Result<Option<Pledge>> {
        let row: Option<(i64, i64)> = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT number, created_at FROM pledges WHERE campaign = $1 AND person_key = $2")
                .bind(campaign)
                .bind(person_key)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(number, at_ms)| Pledge { number, created: false, at_ms }))
    }

    /// Cards `sender_key` sent on `day` (YYYY-MM-DD, Montreal). Counted in the database, so a
    /// daily cap holds whichever process sent them.
    pub async fn cards_sent_on(&self, sender_key: &str, day: &str) -> Result<i64> {
        let (n,): (i64,) = on_db!(read &self.db, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM cards WHERE sender_key = $1 AND local_day = $2")
                .bind(sender_key)
                .bind(day)
                .fetch_one(pool)
                .await?
        });
        Ok(n)
    }

    /// Records a card sent (through the writer: cards sent together share one commit).
    pub async fn record_card(&self, card: &NewCard) -> Result<i64> {
        match self.writer.submit(Job::Card(card.clone())).await? {
            Outcome::Card(id) => Ok(id),
            other => Err(StoreError::WriteFailed(format!("unexpected answer {other:?}"))),
        }
    }

    /// Sets the region of a person's pledge (asked after the pledge, optional).
    pub async fn set_region(&self, campaign: i32, person_key: &str, region: &str) -> Result<bool> {
        self.check_region(Some(region))?;
        let done = on_db!(&self.db, pool => {
            sqlx::query("UPDATE pledges SET region = $3 WHERE campaign = $1 AND person_key = $2")
                .bind(campaign)
                .bind(person_key)
                .bind(region)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done > 0)
    }

    /// Records whether the person who pledged in `campaign` is a young person or an adult
    /// (`None`: they prefer not to say, or take it back). False when they have no pledge.
    pub async fn set_age_group(&self, campaign: i32, person_key: &str, group: Option<AgeGroup>) -> Result<bool> {
        let done = on_db!(&self.db, pool => {
            sqlx::query("UPDATE pledges SET age_group = $3 WHERE campaign = $1 AND person_key = $2")
                .bind(campaign)
                .bind(person_key)
                .bind(group.map(AgeGroup::as_str))
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(done > 0)
    }

    /// Records that a card's message was posted on the wall.
    pub async fn link_card_to_wall(&self, card_id: i64, entry: i64) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query("UPDATE cards SET wall_entry = $2 WHERE id = $1").bind(card_id).bind(entry).execute(pool).await?;
        });
        Ok(())
    }

    /// Posts a (moderated) message on the wall.
    pub async fn post_wall(&self, entry: &NewWallEntry) -> Result<i64> {
        self.insert_wall(entry, None).await
    }

    /// Posts a message of class `class` that waits, hidden, for an adult's approval (the class
    /// asked for it): no wall shows it until its teacher ([`Store::review_in_class`]) or an
    /// organizer ([`Store::set_wall_hidden`]) shows it.
    pub async fn post_wall_for_approval(&self, entry: &NewWallEntry, class: &str) -> Result<i64> {
        self.insert_wall(entry, Some(class)).await
    }

    async fn insert_wall(&self, entry: &NewWallEntry, awaiting_in: Option<&str>) -> Result<i64> {
        self.check_region(entry.region.as_deref())?;
        let awaiting = awaiting_in.is_some();
        let (id,): (i64,) = on_db!(&self.db, pool => {
            sqlx::query_as(
                "INSERT INTO wall_entries (campaign, author_key, message, state, platform, region, organization, created_at, awaiting, class_code) \
                 VALUES ($1, $2, $3, $8, $4, $5, $6, $7, $9, $10) RETURNING id",
            )
            .bind(entry.campaign)
            .bind(&entry.author_key)
            .bind(&entry.message)
            .bind(&entry.platform)
            .bind(&entry.region)
            .bind(&entry.organization)
            .bind(self.clock.now_ms())
            .bind(if awaiting { "hidden" } else { "visible" })
            .bind(awaiting)
            .bind(awaiting_in)
            .fetch_one(pool)
            .await?
        });
        if !awaiting {
            self.emit(StoreEvent::Wall { campaign: entry.campaign });
        }
        Ok(id)
    }

    /// Hides (or shows again) a wall entry: an organizer's moderation.
    pub async fn set_wall_hidden(&self, id: i64, hidden: bool) -> Result<bool> {
        let done = on_db!(&self.db, pool => {
            // Shown or hidden by an adult: no longer awaiting anyone's approval.
            sqlx::query("UPDATE wall_entries SET state = $2, awaiting = FALSE WHERE id = $1")
                .bind(id)
                .bind(if hidden { "hidden" } else { "visible" })
                .execute(pool)
                .await?
                .rows_affected()
        });
        if done > 0 {
            let campaigns: Vec<i32> =
                self.campaigns.read().unwrap_or_else(|e| e.into_inner()).iter().copied().collect();
            for campaign in campaigns {
                self.emit(StoreEvent::Wall { campaign });
            }
        }
        Ok(done > 0)
    }

    /// What a wall shows: totals for its filter, per region, and the latest pledges (names
    /// only of people who agreed).
    pub async fn wall_stats(&self, campaign: i32, filter: &WallFilter) -> Result<WallStats> {
        let today = day_string(montreal_day(self.clock.now_ms()));
        // One WHERE clause for every query; a NULL parameter means "no filter".
        const WHERE: &str = "pl.campaign = $1 AND (CAST($2 AS TEXT) IS NULL OR pl.region = $2) \
            AND (CAST($3 AS TEXT) IS NULL OR pl.organization = $3) AND (CAST($4 AS TEXT) IS NULL OR cs.public_id = $4)";
        const FROM: &str = "FROM pledges pl LEFT JOIN class_sessions cs ON cs.id = pl.class_session";
        let (region, school, class) = (&filter.region, &filter.school, &filter.class);
        // (total, today, counted through), per region, latest (name, consent, time)
        type Rows = ((i64, i64, i64), Vec<(Option<String>, i64)>, Vec<(Option<String>, Option<bool>, i64)>);
        let (totals, by_region, latest): Rows = on_db!(read &self.db, pool => {
            let totals = sqlx::query_as(&format!(
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN pl.local_day = $5 THEN 1 ELSE 0 END), 0), \
                 (SELECT COALESCE(MAX(number), 0) FROM pledges WHERE campaign = $1) {FROM} WHERE {WHERE}"
            ))
            .bind(campaign).bind(region).bind(school).bind(class).bind(&today)
            .fetch_one(pool)
            .await?;
            let by_region = sqlx::query_as(&format!("SELECT pl.region, COUNT(*) {FROM} WHERE {WHERE} GROUP BY pl.region"))
                .bind(campaign).bind(region).bind(school).bind(class)
                .fetch_all(pool)
                .await?;
            let latest = sqlx::query_as(&format!(
                "SELECT pe.public_name, pe.wall_opt_in, pl.created_at {FROM} LEFT JOIN people pe ON pe.person_key = pl.person_key \
                 WHERE {WHERE} ORDER BY pl.number DESC LIMIT 8"
            ))
            .bind(campaign).bind(region).bind(school).bind(class)
            .fetch_all(pool)
            .await?;
            (totals, by_region, latest)
        });
        let counts: std::collections::HashMap<Option<String>, i64> = by_region.into_iter().collect();
        Ok(WallStats {
            total: totals.0,
            today: totals.1,
            counted_through: totals.2,
            regions: self
                .regions()
                .into_iter()
                .map(|r| (r.code.clone(), counts.get(&Some(r.code)).copied().unwrap_or(0)))
                .collect(),
            latest_pledges: latest
                .into_iter()
                .map(|(name, opt_in, at)| (name.filter(|_| opt_in == Some(true)), at))
                .collect(),
        })
    }

    /// The latest wall entries; hidden ones only when `include_hidden` (the moderation queue).
    /// An author's name appears only if they agreed to be shown by name.
    pub async fn wall(&self, campaign: i32, limit: i64, include_hidden: bool) -> Result<Vec<WallItem>> {
        // id, public name, consent, message, time, state
        type Row = (i64, Option<String>, Option<bool>, String, i64, String, bool);
        let rows: Vec<Row> = on_db!(&self.db, pool => {
            sqlx::query_as(
                "SELECT w.id, p.public_name, p.wall_opt_in, w.message, w.created_at, w.state, w.awaiting FROM wall_entries w \
                 LEFT JOIN people p ON p.person_key = w.author_key \
                 WHERE w.campaign = $1 AND ($2 OR w.state = 'visible') ORDER BY w.created_at DESC, w.id DESC LIMIT $3",
            )
            .bind(campaign)
            .bind(include_hidden)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(id, name, opt_in, message, at_ms, state, awaiting)| WallItem {
                id,
                author_name: name.filter(|_| opt_in == Some(true)),
                message,
                at_ms,
                hidden: state == "hidden",
                awaiting,
            })
            .collect())
    }

    /// How many class sessions were opened within a filter (region, school).
    pub async fn class_count(&self, campaign: i32, filter: &WallFilter) -> Result<i64> {
        let (n,): (i64,) = on_db!(read &self.db, pool => {
            sqlx::query_as(
                "SELECT COUNT(*) FROM class_sessions WHERE campaign = $1 AND (CAST($2 AS TEXT) IS NULL OR region = $2) \
                 AND (CAST($3 AS TEXT) IS NULL OR school = $3)",
            )
            .bind(campaign)
            .bind(&filter.region)
            .bind(&filter.school)
            .fetch_one(pool)
            .await?
        });
        Ok(n)
    }

    /// How many pledges a campaign's wave holds.
    pub async fn count(&self, campaign: i32) -> Result<i64> {
        let (n,): (i64,) = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM pledges WHERE campaign = $1").bind(campaign).fetch_one(pool).await?
        });
        Ok(n)
    }

    /// Forget me: deletes the person's profile, wall messages, images kept for the web pages and
    /// messages offered for the wall and cards waiting for an adult, and unlinks their pledges, class memberships, classes and
    /// cards. Counts stay; nothing can be traced back to them.
    pub async fn forget(&self, person_key: &str) -> Result<Forgotten> {
        let mut f = Forgotten::default();
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            // Cards posted on the wall point at the entries about to be deleted.
            sqlx::query("UPDATE cards SET wall_entry = NULL WHERE wall_entry IN (SELECT id FROM wall_entries WHERE author_key = $1)")
                .bind(person_key)
                .execute(&mut *tx)
                .await?;
            f.wall_entries = sqlx::query("DELETE FROM wall_entries WHERE author_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            f.cards = sqlx::query("UPDATE cards SET sender_key = NULL WHERE sender_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            f.cards += sqlx::query("UPDATE cards SET recipient_key = NULL WHERE recipient_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            f.memberships = sqlx::query("UPDATE class_members SET person_key = NULL WHERE person_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            sqlx::query("UPDATE class_sessions SET owner_key = NULL WHERE owner_key = $1").bind(person_key).execute(&mut *tx).await?;
            f.pledges = sqlx::query("UPDATE pledges SET person_key = NULL WHERE person_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            f.profiles = sqlx::query("DELETE FROM people WHERE person_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            // What the web pages kept for them: their images, and messages they had not posted
            // yet (an old « afficher sur le mur » button then finds nothing).
            f.media = sqlx::query("DELETE FROM media WHERE owner_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            f.pending_posts = sqlx::query("DELETE FROM pending_posts WHERE author_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            f.held_cards = sqlx::query("DELETE FROM held_cards WHERE sender_key = $1").bind(person_key).execute(&mut *tx).await?.rows_affected();
            tx.commit().await?;
        });
        Ok(f)
    }

    /// Claims a platform event (`telegram:<bot>:<update id>`, `discord:<interaction id>`): true
    /// the first time, false for every later delivery, across restarts and processes. Claimed
    /// before handling, so a reply is sent at most once.
    pub async fn first_delivery(&self, event_key: &str) -> Result<bool> {
        self.claim(event_key, false).await
    }

    /// Claims a platform event for handling at least once: true the first time, and true again
    /// for an event claimed before whose handling never finished ([`Store::delivered`] was not
    /// called: the process died between the claim and the reply); false once it finished.
    /// For platforms that deliver an event again only when the first delivery failed
    /// (Telegram after a restart).
    pub async fn claim_delivery(&self, event_key: &str) -> Result<bool> {
        self.claim(event_key, true).await
    }

    async fn claim(&self, event_key: &str, retake: bool) -> Result<bool> {
        match self.writer.submit(Job::Claim(event_key.to_owned(), retake)).await? {
            Outcome::Claimed(first) => Ok(first),
            other => Err(StoreError::WriteFailed(format!("unexpected answer {other:?}"))),
        }
    }

    /// The handling of a claimed event finished: a later delivery is skipped.
    pub async fn delivered(&self, event_key: &str) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query("UPDATE deliveries SET done_at = $2, payload = NULL WHERE event_key = $1")
                .bind(event_key)
                .bind(self.clock.now_ms())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Forgets delivery claims older than `max_age_ms` (platforms do not redeliver after a day).
    pub async fn forget_deliveries(&self, max_age_ms: i64) -> Result<u64> {
        let cutoff = self.clock.now_ms() - max_age_ms;
        let done = on_db!(&self.db, pool => {
            sqlx::query("DELETE FROM deliveries WHERE received_at < $1").bind(cutoff).execute(pool).await?.rows_affected()
        });
        Ok(done)
    }

    /// Erases the personal data of every campaign whose retention date is before `today`:
    /// person and chat keys, class names and owners, wall messages; then the profiles no live
    /// campaign refers to. Totals by day, region, organization and platform stay. Returns the
    /// campaigns purged now.
    pub async fn purge(&self, today: Date) -> Result<Vec<i32>> {
        let today = day_string(today);
        let now = self.clock.now_ms();
        let purged: Vec<(i32,)> = on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            // Every run looks at every campaign past retention: data that arrived after an
            // earlier purge (a late pledge) goes too. A year is reported when something went.
            let due: Vec<(i32,)> = sqlx::query_as("SELECT year FROM campaigns WHERE retention_until < $1")
                .bind(&today)
                .fetch_all(&mut *tx)
                .await?;
            let mut purged = Vec::new();
            for (year,) in &due {
                let mut n = 0;
                n += sqlx::query("UPDATE cards SET wall_entry = NULL, sender_key = NULL, recipient_key = NULL WHERE campaign = $1 AND (wall_entry IS NOT NULL OR sender_key IS NOT NULL OR recipient_key IS NOT NULL)").bind(year).execute(&mut *tx).await?.rows_affected();
                n += sqlx::query("DELETE FROM wall_entries WHERE campaign = $1").bind(year).execute(&mut *tx).await?.rows_affected();
                n += sqlx::query("DELETE FROM reports WHERE campaign = $1").bind(year).execute(&mut *tx).await?.rows_affected();
                n += sqlx::query("DELETE FROM blocked_senders WHERE campaign = $1").bind(year).execute(&mut *tx).await?.rows_affected();
                n += sqlx::query("UPDATE class_members SET person_key = NULL, first_name = NULL WHERE (person_key IS NOT NULL OR first_name IS NOT NULL) AND session_id IN (SELECT id FROM class_sessions WHERE campaign = $1)").bind(year).execute(&mut *tx).await?.rows_affected();
                n += sqlx::query("UPDATE class_sessions SET owner_key = NULL, chat_key = NULL, class_name = NULL WHERE campaign = $1 AND (owner_key IS NOT NULL OR chat_key IS NOT NULL OR class_name IS NOT NULL)").bind(year).execute(&mut *tx).await?.rows_affected();
                n += sqlx::query("UPDATE pledges SET person_key = NULL, chat_key = NULL WHERE campaign = $1 AND (person_key IS NOT NULL OR chat_key IS NOT NULL)").bind(year).execute(&mut *tx).await?.rows_affected();
                if n > 0 {
                    sqlx::query("UPDATE campaigns SET purged_at = $2 WHERE year = $1").bind(year).bind(now).execute(&mut *tx).await?;
                    purged.push((*year,));
                }
            }
            // Profiles that no campaign still links to.
            sqlx::query(
                "DELETE FROM people WHERE NOT EXISTS (SELECT 1 FROM pledges WHERE pledges.person_key = people.person_key) \
                 AND NOT EXISTS (SELECT 1 FROM class_members WHERE class_members.person_key = people.person_key) \
                 AND NOT EXISTS (SELECT 1 FROM wall_entries WHERE wall_entries.author_key = people.person_key) \
                 AND NOT EXISTS (SELECT 1 FROM cards WHERE cards.sender_key = people.person_key OR cards.recipient_key = people.person_key)",
            )
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            purged
        });
        Ok(purged.into_iter().map(|(y,)| y).collect())
    }
}

impl Store {
    /// Creates an organizer token for a scope and returns it: the only time it is shown (the
    /// store keeps its SHA-256).
    pub async fn add_organizer_token(&self, scope: &Scope, label: Option<&str>) -> Result<String> {
        if let Scope::Region(code) = scope {
            self.check_region(Some(code))?;
        }
        let token: String = rand::random::<[u8; 24]>().iter().map(|b| format!("{b:02x}")).collect();
        let (kind, value) = match scope {
            Scope::All => ("all", None),
            Scope::Region(r) => ("region", Some(r.as_str())),
            Scope::Organization(o) => ("organization", Some(o.as_str())),
        };
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO organizer_tokens (token_hash, scope_kind, scope_value, label, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash(&token))
            .bind(kind)
            .bind(value)
            .bind(label)
            .bind(self.clock.now_ms())
            .execute(pool)
            .await?;
        });
        Ok(token)
    }

    /// The scope of an organizer token, or `None` for an unknown token.
    pub async fn organizer_scope(&self, token: &str) -> Result<Option<Scope>> {
        if token.is_empty() || token.len() > 200 {
            return Ok(None);
        }
        let row: Option<(String, Option<String>)> = on_db!(read &self.db, pool => {
            sqlx::query_as("SELECT scope_kind, scope_value FROM organizer_tokens WHERE token_hash = $1")
                .bind(token_hash(token))
                .fetch_optional(pool)
                .await?
        });
        Ok(row.and_then(|(kind, value)| web_state::scope_from_parts(&kind, value)))
    }
}

/// SHA-256 of a token, hex: what the store keeps. (Comparing hashes of random tokens leaks no
/// useful timing: the attacker does not choose the hash.)
fn token_hash(token: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// The characters of class codes: lowercase letters and digits without look-alikes (no `i`,
/// `l`, `o`, `0`, `1`): 31 characters.
pub const CLASS_CODE_ALPHABET: &str = "abcdefghjkmnpqrstuvwxyz23456789";
/// The length of class codes: 17 characters of [`CLASS_CODE_ALPHABET`] carry
/// 17 × log2(31) ≈ 84.2 bits, above the 80 a class link needs to be unguessable.
pub const CLASS_CODE_LEN: usize = 17;

/// The columns a [`ClassSession`] is read from, in every query that reads one.
const CLASS_COLUMNS: &str = "id, campaign, code, class_name, school, region, is_open, chat_key, owner_key, link_code, is_group, public_id, \
     platform, opened_at";

/// The length of a class's public id (lowercase hex): 64 random bits, so a class wall is not
/// found by counting, and nothing about its code or link in it.
pub const CLASS_PUBLIC_ID_LEN: usize = 16;

/// Whether `s` has the shape of a class's public id ([`ClassSession::public_id`]).
pub fn is_class_public_id(s: &str) -> bool {
    s.len() == CLASS_PUBLIC_ID_LEN && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A new class's public id: [`CLASS_PUBLIC_ID_LEN`] hex digits from the thread's CSPRNG,
/// independent of its code (knowing one tells nothing of the other).
fn class_public_id() -> String {
    use rand::Rng;
    format!("{:016x}", rand::rng().random::<u64>())
}

/// Whether `s` has the shape of a code this store issues (the doors refuse anything else
/// before a query is made with it).
pub fn is_class_code(s: &str) -> bool {
    s.len() == CLASS_CODE_LEN && s.bytes().all(|b| CLASS_CODE_ALPHABET.as_bytes().contains(&b))
}

/// A class code: [`CLASS_CODE_LEN`] characters drawn uniformly from [`CLASS_CODE_ALPHABET`]
/// by the thread's CSPRNG (`rand::rng()`), short enough for a deep link (`classe_<code>`)
/// and a 64-byte callback (`j:<code>`, 19 bytes).
fn class_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = CLASS_CODE_ALPHABET.as_bytes();
    let mut rng = rand::rng();
    (0..CLASS_CODE_LEN).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod class_code_tests {
    use super::*;

    #[test]
    fn class_codes_carry_at_least_80_bits_and_do_not_repeat() {
        let alphabet: std::collections::BTreeSet<u8> = CLASS_CODE_ALPHABET.bytes().collect();
        assert_eq!(alphabet.len(), CLASS_CODE_ALPHABET.len(), "no character twice");
        let bits = CLASS_CODE_LEN as f64 * (alphabet.len() as f64).log2();
        assert!(bits >= 80.0, "{CLASS_CODE_LEN} characters of {} carry only {bits:.1} bits", alphabet.len());

        let codes: std::collections::HashSet<String> = (0..10_000).map(|_| class_code()).collect();
        assert_eq!(codes.len(), 10_000, "10,000 codes, all different");
        let mut seen = std::collections::BTreeSet::new();
        for code in &codes {
            assert!(is_class_code(code), "{code}");
            assert!(format!("j:{code}").len() <= 64, "a Telegram callback_data holds it: {code}");
            seen.extend(code.bytes());
        }
        assert_eq!(seen, alphabet, "every character of the alphabet is drawn");
    }
}
