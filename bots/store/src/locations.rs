//! Where keyed platform messages live (class counters), and chats that moved.
//!
//! A Telegram counter is edited by chat and message id; remembered in one process's memory,
//! a deep link or `/classe fermer` handled by another process (or after a restart) posted a
//! new counter instead. Here any process finds it.

use crate::Store;
use crate::db::on_db;
use crate::error::Result;

/// A platform message: its chat and its id there, as the platform writes them.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MessageLocation {
    /// The chat (a Telegram chat id).
    pub chat: String,
    /// The message id in that chat.
    pub message: String,
}

/// What a process may do about a keyed message it wants edited ([`Store::want_edit`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditTurn {
    /// This process holds the lease: it edits the message at `at`, which shows revision
    /// `shown`, in `locale`.
    Mine {
        /// Where the message is.
        at: MessageLocation,
        /// The revision it shows.
        shown: i64,
        /// The language it was posted in.
        locale: Option<String>,
    },
    /// Another process holds the lease until `until` (ms since the epoch); it will show what was
    /// asked, or let go and the lease can be taken then.
    Theirs {
        /// When the lease runs out unless renewed.
        until: i64,
    },
    /// The message already shows this revision or a later one.
    Shown,
    /// Nobody remembered where the message is.
    Unknown,
}

impl Store {
    /// Remembers where the message `key` (`telegram:class-<code>`) was posted, the revision it
    /// shows and its language; a later post of the same key replaces it (and its lease).
    pub async fn set_message_location(
        &self,
        key: &str,
        at: &MessageLocation,
        shown: i64,
        locale: Option<&str>,
    ) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO message_locations (message_key, chat, message, updated_at, wanted, shown, editor, editor_until, locale) \
                 VALUES ($1, $2, $3, $4, $5, $5, NULL, 0, $6) \
                 ON CONFLICT (message_key) DO UPDATE SET chat = excluded.chat, message = excluded.message, \
                 updated_at = excluded.updated_at, shown = excluded.shown, \
                 wanted = CASE WHEN message_locations.wanted > excluded.wanted THEN message_locations.wanted ELSE excluded.wanted END, \
                 editor = NULL, editor_until = 0, locale = COALESCE(excluded.locale, message_locations.locale)",
            )
            .bind(key)
            .bind(&at.chat)
            .bind(&at.message)
            .bind(self.clock.now_ms())
            .bind(shown)
            .bind(locale)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Where the message `key` was posted, if anywhere.
    pub async fn message_location(&self, key: &str) -> Result<Option<MessageLocation>> {
        Ok(on_db!(read &self.db, pool => {
            sqlx::query_as("SELECT chat, message FROM message_locations WHERE message_key = $1")
                .bind(key)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Asks for the message `key` to show `revision` (or later): records the wish, then takes
    /// the lease for `editor` (for `lease_ms`) when nobody holds it. The wish is recorded
    /// before the lease is tried, and the holder lets go only when nothing newer is wanted
    /// ([`Store::edit_done`]), so a wish is never lost between two processes.
    pub async fn want_edit(&self, key: &str, revision: i64, editor: &str, lease_ms: i64) -> Result<EditTurn> {
        let now = self.clock.now_ms();
        type Row = (String, String, i64, Option<String>, Option<String>, i64);
        let row: Option<Row> = on_db!(&self.db, pool => {
            sqlx::query(
                "UPDATE message_locations SET wanted = $2 WHERE message_key = $1 AND wanted < $2",
            )
            .bind(key)
            .bind(revision)
            .execute(pool)
            .await?;
            sqlx::query(
                "UPDATE message_locations SET editor = $2, editor_until = $3 \
                 WHERE message_key = $1 AND wanted > shown AND (editor IS NULL OR editor = $2 OR editor_until < $4)",
            )
            .bind(key)
            .bind(editor)
            .bind(now + lease_ms)
            .bind(now)
            .execute(pool)
            .await?;
            sqlx::query_as(
                "SELECT chat, message, shown, locale, editor, editor_until FROM message_locations WHERE message_key = $1",
            )
            .bind(key)
            .fetch_optional(pool)
            .await?
        });
        Ok(match row {
            None => EditTurn::Unknown,
            Some((chat, message, shown, locale, holder, until)) => {
                if holder.as_deref() == Some(editor) {
                    EditTurn::Mine { at: MessageLocation { chat, message }, shown, locale }
                } else if shown >= revision {
                    EditTurn::Shown
                } else {
                    EditTurn::Theirs { until }
                }
            }
        })
    }

    /// The lease holder showed `shown` (or could not edit: pass the revision it still shows).
    /// Returns `true` when it let go (nothing newer is wanted), `false` when it must edit
    /// again: its lease is then renewed for `lease_ms`.
    pub async fn edit_done(&self, key: &str, editor: &str, shown: i64, lease_ms: i64) -> Result<bool> {
        let now = self.clock.now_ms();
        let released = on_db!(&self.db, pool => {
            sqlx::query(
                "UPDATE message_locations SET shown = CASE WHEN shown < $3 THEN $3 ELSE shown END \
                 WHERE message_key = $1 AND editor = $2",
            )
            .bind(key)
            .bind(editor)
            .bind(shown)
            .execute(pool)
            .await?;
            let released = sqlx::query(
                "UPDATE message_locations SET editor = NULL, editor_until = 0 \
                 WHERE message_key = $1 AND editor = $2 AND wanted <= shown",
            )
            .bind(key)
            .bind(editor)
            .execute(pool)
            .await?
            .rows_affected();
            if released == 0 {
                let renewed = sqlx::query(
                    "UPDATE message_locations SET editor_until = $3 WHERE message_key = $1 AND editor = $2",
                )
                .bind(key)
                .bind(editor)
                .bind(now + lease_ms)
                .execute(pool)
                .await?
                .rows_affected();
                // The lease was lost (it ran out and another process took it, or the message
                // was posted anew): that process goes on.
                renewed == 0
            } else {
                true
            }
        });
        Ok(released)
    }

    /// Lets go of the lease whatever is wanted (the message can no longer be edited here).
    pub async fn edit_abandoned(&self, key: &str, editor: &str) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query("UPDATE message_locations SET editor = NULL, editor_until = 0 WHERE message_key = $1 AND editor = $2")
                .bind(key)
                .bind(editor)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The lease holder is still at work (waiting for the chat's turn, or out a 429): its lease
    /// runs `lease_ms` from now. False when it no longer holds it.
    pub async fn renew_edit(&self, key: &str, editor: &str, lease_ms: i64) -> Result<bool> {
        let renewed = on_db!(&self.db, pool => {
            sqlx::query("UPDATE message_locations SET editor_until = $3 WHERE message_key = $1 AND editor = $2")
                .bind(key)
                .bind(editor)
                .bind(self.clock.now_ms() + lease_ms)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(renewed == 1)
    }

    /// A chat got a new id (a Telegram group upgraded to a supergroup): its open classes and
    /// pledges follow it. Messages posted in the old chat stay there (the platform does not
    /// move them), so their locations are forgotten: the next state is posted anew.
    pub async fn move_chat(&self, old_chat_key: &str, new_chat_key: &str, old_chat: &str) -> Result<()> {
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE class_sessions SET chat_key = $2 WHERE chat_key = $1")
                .bind(old_chat_key)
                .bind(new_chat_key)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE pledges SET chat_key = $2 WHERE chat_key = $1")
                .bind(old_chat_key)
                .bind(new_chat_key)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM message_locations WHERE chat = $1")
                .bind(old_chat)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        });
        Ok(())
    }
}
