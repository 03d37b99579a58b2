//! When a message may go to a chat, decided by every process together.
//!
//! Telegram allows a bot one message a second in a chat and twenty a minute in a group, per
//! bot, not per process: two `ruban serve` processes each pacing on their own sent twice that
//! and were answered 429. Here every reservation of a chat is taken under one lock (a
//! PostgreSQL advisory lock per chat; SQLite's single writer), so the processes share one
//! schedule.

use crate::Store;
use crate::db::{Db, on_db};
use crate::error::Result;

/// A group's minute, with a second of margin (see the Telegram adapter's pacer).
const MINUTE_MS: i64 = 61_000;

impl Store {
    /// Reserves the earliest time (ms since the epoch), now or later, when one more message may
    /// go to `chat`: at least `gap_ms` after the chat's last one, and, when `per_minute` is not
    /// zero, never more than `per_minute` in any minute. Reservations are kept in order, so a
    /// chat's messages keep the order in which they asked.
    pub async fn reserve_send(&self, chat: &str, gap_ms: i64, per_minute: i64) -> Result<i64> {
        let now = self.clock.now_ms();
        let postgres = matches!(self.db, Db::Postgres(_));
        let at = on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            if postgres {
                sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
                    .bind(format!("ruban-send:{chat}"))
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query("DELETE FROM chat_sends WHERE chat = $1 AND at_ms < $2")
                .bind(chat)
                .bind(now - 2 * MINUTE_MS)
                .execute(&mut *tx)
                .await?;
            let recent: Vec<(i64,)> = sqlx::query_as(
                "SELECT at_ms FROM chat_sends WHERE chat = $1 AND at_ms > $2 ORDER BY at_ms DESC LIMIT $3",
            )
            .bind(chat)
            .bind(now - MINUTE_MS)
            .bind(per_minute.max(1))
            .fetch_all(&mut *tx)
            .await?;
            // A chat the platform closed (a 429) takes nothing before it opens again.
            let closed: Option<(i64,)> = sqlx::query_as("SELECT until_ms FROM chat_floods WHERE chat = $1")
                .bind(chat)
                .fetch_optional(&mut *tx)
                .await?;
            let mut at = now.max(closed.map_or(0, |(until,)| until));
            if let Some((last,)) = recent.first() {
                at = at.max(last + gap_ms);
            }
            if per_minute > 0 && recent.len() as i64 >= per_minute {
                at = at.max(recent[per_minute as usize - 1].0 + MINUTE_MS);
            }
            sqlx::query("INSERT INTO chat_sends (chat, at_ms) VALUES ($1, $2)")
                .bind(chat)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            at
        });
        Ok(at)
    }

    /// Records that the platform closed `chat` until `until_ms` (a 429 with its retry_after):
    /// every process's next reservation for it waits until then ([`Store::reserve_send`]).
    /// A later closing wins; an earlier one changes nothing.
    pub async fn close_chat(&self, chat: &str, until_ms: i64) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO chat_floods (chat, until_ms) VALUES ($1, $2) ON CONFLICT (chat) DO UPDATE SET \
                 until_ms = CASE WHEN excluded.until_ms > chat_floods.until_ms THEN excluded.until_ms ELSE chat_floods.until_ms END",
            )
            .bind(chat)
            .bind(until_ms)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Until when (ms since the epoch) the platform closed `chat`, if that is still to come.
    pub async fn chat_closed_until(&self, chat: &str) -> Result<Option<i64>> {
        let now = self.clock.now_ms();
        let found: Option<(i64,)> = on_db!(read &self.db, pool => {
            sqlx::query_as("SELECT until_ms FROM chat_floods WHERE chat = $1 AND until_ms > $2")
                .bind(chat)
                .bind(now)
                .fetch_optional(pool)
                .await?
        });
        Ok(found.map(|(until,)| until))
    }

    /// Whether several processes may share this database (PostgreSQL): then they pace their
    /// sends together through [`Store::reserve_send`].
    pub fn shared(&self) -> bool {
        matches!(self.db, Db::Postgres(_))
    }
}
