//! Class sessions: opening, links and their renewal, the teacher's page, first names, closing.

use crate::class_codes::{CLASS_COLUMNS, class_code, class_public_id};
use crate::db::on_db;
use crate::{ClassSession, ClassSummary, NewClass, Result, Store, StoreError, StoreEvent, WallFilter, is_class_code};

impl Store {
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
}
