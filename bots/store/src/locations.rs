//! Where keyed platform messages live (class counters), and chats that moved.
//!
//! A Telegram counter is edited by chat and message id; remembered in one process's memory,
//! a deep link or `/classe fermer` handled by another process (or after a restart) posted a
//! new counter instead. Here any process finds it.

use crate::Store;
use crate::clock::now_ms;
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

impl Store {
    /// Remembers where the message `key` (`telegram:class-<code>`) was posted; a later post of
    /// the same key replaces it.
    pub async fn set_message_location(&self, key: &str, at: &MessageLocation) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO message_locations (message_key, chat, message, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (message_key) DO UPDATE SET chat = excluded.chat, message = excluded.message, \
                 updated_at = excluded.updated_at",
            )
            .bind(key)
            .bind(&at.chat)
            .bind(&at.message)
            .bind(now_ms())
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
