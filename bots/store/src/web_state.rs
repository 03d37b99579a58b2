//! What a later web request needs, kept in the database so that every process answers it:
//! dashboard sessions, images shown in pages, cards' messages offered for the wall.
//!
//! Several `ruban serve` processes behind one address behave as one: a session made on one
//! works on the other, an image rendered by one is served by the other, a « afficher sur le
//! mur » button made by one posts from the other. Nothing here outlives a day but sessions
//! (8 hours) and nothing names a person in clear.

use crate::Store;
use crate::db::on_db;
use crate::error::Result;
use crate::model::Scope;

/// How long an image or a pending wall post is kept: long enough to look at it, download it
/// or post it, short enough that nothing accumulates.
pub const WEB_STATE_LIFE_MS: i64 = 24 * 3600 * 1000;

/// A signed-in organizer, as a later request finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    /// What the session may see.
    pub scope: Scope,
    /// The token its forms must carry.
    pub csrf: String,
}

/// A card's message waiting for its author's « afficher sur le mur ».
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PendingPost {
    /// The author's pseudonymous key.
    pub author_key: String,
    /// The (moderated) message.
    pub message: String,
    /// Where the card was sent.
    pub platform: String,
}

fn scope_parts(scope: &Scope) -> (&'static str, Option<&str>) {
    match scope {
        Scope::All => ("all", None),
        Scope::Region(r) => ("region", Some(r.as_str())),
        Scope::Organization(o) => ("organization", Some(o.as_str())),
    }
}

pub(crate) fn scope_from_parts(kind: &str, value: Option<String>) -> Option<Scope> {
    match (kind, value) {
        ("all", _) => Some(Scope::All),
        ("region", Some(v)) => Some(Scope::Region(v)),
        ("organization", Some(v)) => Some(Scope::Organization(v)),
        _ => None,
    }
}

impl Store {
    /// Keeps a dashboard session: `id_hash` is the SHA-256 of the cookie's random id (the id
    /// itself is never stored).
    pub async fn create_web_session(&self, id_hash: &str, session: &WebSession, life_ms: i64) -> Result<()> {
        let (kind, value) = scope_parts(&session.scope);
        on_db!(&self.db, pool => {
            sqlx::query("INSERT INTO web_sessions (id_hash, scope_kind, scope_value, csrf, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id_hash)
                .bind(kind)
                .bind(value)
                .bind(&session.csrf)
                .bind(self.clock.now_ms() + life_ms)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// The live session whose cookie id hashes to `id_hash`.
    pub async fn web_session(&self, id_hash: &str) -> Result<Option<WebSession>> {
        let row: Option<(String, Option<String>, String)> = on_db!(read &self.db, pool => {
            sqlx::query_as("SELECT scope_kind, scope_value, csrf FROM web_sessions WHERE id_hash = $1 AND expires_at > $2")
                .bind(id_hash)
                .bind(self.clock.now_ms())
                .fetch_optional(pool)
                .await?
        });
        Ok(row.and_then(|(kind, value, csrf)| Some(WebSession { scope: scope_from_parts(&kind, value)?, csrf })))
    }

    /// Ends a session (sign-out).
    pub async fn end_web_session(&self, id_hash: &str) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query("DELETE FROM web_sessions WHERE id_hash = $1").bind(id_hash).execute(pool).await?;
        });
        Ok(())
    }

    /// Keeps an image or file for the web pages under a random `id`; `owner_key` is the person
    /// it was made for (forget-me deletes it).
    pub async fn put_media(&self, id: &str, content_type: &str, bytes: &[u8], owner_key: Option<&str>) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query("INSERT INTO media (id, content_type, bytes, owner_key, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(id)
                .bind(content_type)
                .bind(bytes)
                .bind(owner_key)
                .bind(self.clock.now_ms())
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// An image or file and its content type, while it is kept.
    pub async fn media(&self, id: &str) -> Result<Option<(String, Vec<u8>)>> {
        Ok(on_db!(read &self.db, pool => {
            sqlx::query_as("SELECT content_type, bytes FROM media WHERE id = $1 AND created_at > $2")
                .bind(id)
                .bind(self.clock.now_ms() - WEB_STATE_LIFE_MS)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// Offers a card's message for the wall until its author posts it.
    pub async fn offer_wall_post(&self, card_id: i64, post: &PendingPost) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO pending_posts (card_id, author_key, message, platform, created_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (card_id) DO NOTHING",
            )
            .bind(card_id)
            .bind(&post.author_key)
            .bind(&post.message)
            .bind(&post.platform)
            .bind(self.clock.now_ms())
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Takes the message offered with card `card_id`, if `author_key` wrote it and it is still
    /// offered: one taker only, whichever process the click reached.
    pub async fn take_wall_post(&self, card_id: i64, author_key: &str) -> Result<Option<PendingPost>> {
        Ok(on_db!(&self.db, pool => {
            sqlx::query_as(
                "DELETE FROM pending_posts WHERE card_id = $1 AND author_key = $2 AND created_at > $3 \
                 RETURNING author_key, message, platform",
            )
            .bind(card_id)
            .bind(author_key)
            .bind(self.clock.now_ms() - WEB_STATE_LIFE_MS)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Revokes the signed card links whose sender carries `sender_tag` (forget-me), until
    /// `until_ms`, when they would have expired anyway.
    pub async fn revoke_shares(&self, sender_tag: &str, until_ms: i64) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO revoked_shares (sender_tag, until_ms) VALUES ($1, $2) \
                 ON CONFLICT (sender_tag) DO UPDATE SET until_ms = excluded.until_ms",
            )
            .bind(sender_tag)
            .bind(until_ms)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Whether the links of `sender_tag` were revoked.
    pub async fn share_revoked(&self, sender_tag: &str) -> Result<bool> {
        let row: Option<(i64,)> = on_db!(read &self.db, pool => {
            sqlx::query_as("SELECT until_ms FROM revoked_shares WHERE sender_tag = $1")
                .bind(sender_tag)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.is_some())
    }

    /// Deletes what the web side keeps past its life: expired sessions, images and pending
    /// posts older than [`WEB_STATE_LIFE_MS`], held cards and outbox cards past theirs.
    /// Returns the rows deleted.
    pub async fn sweep_web_state(&self) -> Result<u64> {
        let (now, cutoff) = (self.clock.now_ms(), self.clock.now_ms() - WEB_STATE_LIFE_MS);
        Ok(on_db!(&self.db, pool => {
            let mut n = sqlx::query("DELETE FROM web_sessions WHERE expires_at <= $1").bind(now).execute(pool).await?.rows_affected();
            n += sqlx::query("DELETE FROM media WHERE created_at <= $1").bind(cutoff).execute(pool).await?.rows_affected();
            n += sqlx::query("DELETE FROM pending_posts WHERE created_at <= $1").bind(cutoff).execute(pool).await?.rows_affected();
            n += sqlx::query("DELETE FROM revoked_shares WHERE until_ms <= $1").bind(now).execute(pool).await?.rows_affected();
            n
        }) + self.sweep_held().await?)
    }
}
