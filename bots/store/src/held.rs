//! Cards the moderation scorer was unsure of, waiting for the adult in charge of their class
//! (issue 34), and the outbox where an approved card waits for its chat's platform.
//!
//! A held card keeps only what drawing it takes, for at most [`HELD_LIFE_MS`]; approving or
//! refusing it deletes it (one taker, whichever process the click reached). The outbox is
//! taken with a lease: a process that dies between taking and sending leaves the card to
//! another once the lease ends, and a card is deleted only once sent.

use sqlx::FromRow;

use crate::Store;
use crate::db::on_db;
use crate::error::Result;

/// How long a held card waits for an adult before it is dropped: a school week.
pub const HELD_LIFE_MS: i64 = 7 * 24 * 3600 * 1000;
/// How long a process has to send an outbox card it took before another may take it.
pub const OUTBOX_LEASE_MS: i64 = 60_000;
/// An approved card nobody sent within this is dropped (its platform is off for good).
const OUTBOX_LIFE_MS: i64 = 24 * 3600 * 1000;

/// A card to hold for an adult.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct NewHeldCard {
    /// The class whose adult decides.
    pub class_code: String,
    /// Who wrote it (pseudonymous).
    pub sender_key: String,
    /// `telegram`, `discord`, `classe`, `web`.
    pub platform: String,
    /// The platform's chat id where the approved card goes; `None` on the class page.
    pub chat: Option<String>,
    /// The name to draw.
    pub recipient: String,
    /// The recipient's key, when the platform named a person.
    pub recipient_key: Option<String>,
    /// The message as typed (cleaned).
    pub message: String,
    /// The design's id.
    pub design: String,
    /// The locale's tag (`fr-CA`).
    pub locale: String,
    /// The scorer's likeliest category, for the adult.
    pub category: String,
}

/// A card waiting for an adult: the card as it was held, its id and when.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct HeldCard {
    /// Its id, for the adult's buttons.
    pub id: i64,
    /// What was held.
    #[sqlx(flatten)]
    pub card: NewHeldCard,
    /// When it was written (ms since the epoch).
    pub created_at: i64,
}

/// An approved card to leave for a chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutgoing {
    /// `telegram`, `discord`, `web`: whose processes post it.
    pub platform: String,
    /// The platform's chat id.
    pub chat: String,
    /// The message's text.
    pub text: String,
    /// The image's file name.
    pub file_name: String,
    /// The image's description.
    pub alt: String,
    /// The image (PNG).
    pub image: Vec<u8>,
    /// The buttons, as the core wrote them (JSON).
    pub buttons: String,
}

/// An approved card for a chat.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct Outgoing {
    /// Its id, to delete it once sent.
    pub id: i64,
    /// The platform's chat id.
    pub chat: String,
    /// The message's text.
    pub text: String,
    /// The image's file name.
    pub file_name: String,
    /// The image's description.
    pub alt: String,
    /// The image (PNG).
    pub image: Vec<u8>,
    /// The buttons, as the core wrote them (JSON).
    pub buttons: String,
}

const HELD_COLUMNS: &str = "id, class_code, sender_key, platform, chat, recipient, recipient_key, message, design, locale, category, created_at";

impl Store {
    /// Keeps a card for the adult of its class; returns its id.
    pub async fn hold_card(&self, card: &NewHeldCard) -> Result<i64> {
        Ok(on_db!(&self.db, pool => {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO held_cards (class_code, sender_key, platform, chat, recipient, recipient_key, message, design, locale, category, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(&card.class_code)
            .bind(&card.sender_key)
            .bind(&card.platform)
            .bind(&card.chat)
            .bind(&card.recipient)
            .bind(&card.recipient_key)
            .bind(&card.message)
            .bind(&card.design)
            .bind(&card.locale)
            .bind(&card.category)
            .bind(self.clock.now_ms())
            .fetch_one(pool)
            .await?;
            id
        }))
    }

    /// The cards waiting for class `class_code`'s adult, the oldest first (at most `max`);
    /// every class's with `None` (the organizers' queue).
    pub async fn held_cards(&self, class_code: Option<&str>, max: i64) -> Result<Vec<HeldCard>> {
        Ok(on_db!(read &self.db, pool => {
            sqlx::query_as(&format!(
                "SELECT {HELD_COLUMNS} FROM held_cards WHERE (CAST($1 AS TEXT) IS NULL OR class_code = $1) \
                 AND created_at > $2 ORDER BY id LIMIT $3"
            ))
            .bind(class_code)
            .bind(self.clock.now_ms() - HELD_LIFE_MS)
            .bind(max)
            .fetch_all(pool)
            .await?
        }))
    }

    /// Takes held card `id` out of the queue (to draw or to drop it), if it is still there
    /// and, with `Some(class)`, belongs to that class: one taker only.
    pub async fn take_held_card(&self, id: i64, class_code: Option<&str>) -> Result<Option<HeldCard>> {
        Ok(on_db!(&self.db, pool => {
            sqlx::query_as(&format!(
                "DELETE FROM held_cards WHERE id = $1 AND (CAST($2 AS TEXT) IS NULL OR class_code = $2) \
                 AND created_at > $3 RETURNING {HELD_COLUMNS}"
            ))
            .bind(id)
            .bind(class_code)
            .bind(self.clock.now_ms() - HELD_LIFE_MS)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// Leaves an approved card for its chat.
    pub async fn queue_outgoing(&self, card: &NewOutgoing) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO outbox (platform, chat, text, file_name, alt, buttons, image, taken_until, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8)",
            )
            .bind(&card.platform)
            .bind(&card.chat)
            .bind(&card.text)
            .bind(&card.file_name)
            .bind(&card.alt)
            .bind(&card.buttons)
            .bind(&card.image)
            .bind(self.clock.now_ms())
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Takes the next card waiting for `platform`, leased for [`OUTBOX_LEASE_MS`]: no other
    /// process takes it meanwhile. Call [`Store::sent_outgoing`] once it is sent.
    pub async fn take_outgoing(&self, platform: &str) -> Result<Option<Outgoing>> {
        let now = self.clock.now_ms();
        Ok(on_db!(&self.db, pool => {
            // The condition is checked again on the row itself: two processes that picked the
            // same id, one after the other, cannot both take it.
            sqlx::query_as(
                "UPDATE outbox SET taken_until = $1 WHERE id = \
                 (SELECT id FROM outbox WHERE platform = $2 AND taken_until < $3 AND created_at > $4 ORDER BY id LIMIT 1) \
                 AND taken_until < $3 RETURNING id, chat, text, file_name, alt, image, buttons",
            )
            .bind(now + OUTBOX_LEASE_MS)
            .bind(platform)
            .bind(now)
            .bind(now - OUTBOX_LIFE_MS)
            .fetch_optional(pool)
            .await?
        }))
    }

    /// An outbox card was sent: it goes.
    pub async fn sent_outgoing(&self, id: i64) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query("DELETE FROM outbox WHERE id = $1").bind(id).execute(pool).await?;
        });
        Ok(())
    }

    /// Deletes held cards and outbox cards past their life. Returns the rows deleted.
    pub(crate) async fn sweep_held(&self) -> Result<u64> {
        let now = self.clock.now_ms();
        Ok(on_db!(&self.db, pool => {
            let mut n = sqlx::query("DELETE FROM held_cards WHERE created_at <= $1").bind(now - HELD_LIFE_MS).execute(pool).await?.rows_affected();
            n += sqlx::query("DELETE FROM outbox WHERE created_at <= $1").bind(now - OUTBOX_LIFE_MS).execute(pool).await?.rows_affected();
            n
        }))
    }
}
