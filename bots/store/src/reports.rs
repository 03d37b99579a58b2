//! Reports of cards that hurt, the organizers' review queue, and senders blocked for a
//! campaign.
//!
//! Who may report a card is the core's decision (its recipient, or an adult responsible for
//! the chat); here a report hides the card's wall entry at once, joins the queue, and counts
//! as a strike against its sender: [`STRIKES_TO_BLOCK`] reported cards block the sender's
//! cards for the campaign. An organizer's review hides for good, restores (the strike no
//! longer counts) or blocks. Everything is keyed by pseudonymous keys.
//!
//! On the wall page anyone looking may report an entry ([`Store::report_wall_entry`]): the
//! entry leaves the wall at once all the same, but such a stranger's report is a strike only
//! once an organizer confirms it, and one client may make [`STRANGER_REPORTS_PER_HOUR`].

use crate::Store;
use crate::db::on_db;
use crate::error::Result;

/// Reported cards (not restored) after which a sender is blocked for the campaign.
pub const STRIKES_TO_BLOCK: i64 = 3;

/// Reports one client may make from the wall page in an hour (counted in the database, so
/// every process behind the address counts the same).
pub const STRANGER_REPORTS_PER_HOUR: i64 = 5;

/// The reports of a sender that count as strikes: not restored, and a stranger's only once
/// an organizer confirmed it. One text for every query that counts them.
macro_rules! strike {
    ($r:literal) => {
        concat!($r, ".state <> 'restored' AND (NOT ", $r, ".stranger OR ", $r, ".state <> 'open')")
    };
}

/// Blocks the sender `$2` for campaign `$1` (at `$3`) once their strikes reached `$4`
/// ([`STRIKES_TO_BLOCK`], or 0 for an organizer's block); once: a second block changes
/// nothing. The one statement that blocks: a report that counts at once, an organizer keeping
/// a stranger's report hidden, an organizer's block.
const BLOCK_AT_LAST_STRIKE: &str = concat!(
    "INSERT INTO blocked_senders (campaign, sender_key, blocked_at) SELECT $1, $2, $3 \
     WHERE (SELECT COUNT(DISTINCT r.card_id) FROM reports r WHERE r.campaign = $1 AND r.sender_key = $2 AND ",
    strike!("r"),
    ") >= $4 ON CONFLICT (campaign, sender_key) DO NOTHING"
);

/// What a report from the wall page did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WallReport {
    /// The entry left the wall and joined the queue.
    Hidden,
    /// This client had already reported it, or an organizer looked at it and gave it back to
    /// the wall (nothing changed).
    Already,
    /// No such entry on the wall (never was, or already hidden).
    NotOnWall,
    /// This client made [`STRANGER_REPORTS_PER_HOUR`] reports in the last hour: nothing changed.
    TooMany,
}

/// The card a report is about.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportedCard {
    /// The card.
    pub id: i64,
    /// Its campaign.
    pub campaign: i32,
    /// Who sent it.
    pub sender_key: Option<String>,
    /// Who received it, when the platform said.
    pub recipient_key: Option<String>,
    /// Its message on the wall, if posted.
    pub wall_entry: Option<i64>,
}

/// What a report did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reported {
    /// False when this person had already reported this card (nothing changed).
    pub new: bool,
    /// The sender is now blocked for the campaign (this report was their last strike).
    pub blocked: bool,
}

/// One report in the organizers' queue.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportRow {
    /// The report.
    pub id: i64,
    /// The card.
    pub card_id: i64,
    /// Where it came from.
    pub platform: String,
    /// `open`, `hidden`, `restored` or `blocked`.
    pub state: String,
    /// When (ms since the epoch).
    pub created_at: i64,
    /// Reported from the wall page by someone looking: a strike only once confirmed.
    pub stranger: bool,
    /// The reported words, where they are still kept (the wall entry, or the message offered
    /// for the wall); None for a card with a suggested message.
    pub message: Option<String>,
    /// Cards of the same sender reported in the campaign (strikes).
    pub strikes: i64,
    /// Whether the sender is blocked.
    pub blocked: bool,
}

/// An organizer's decision on a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// The card stays off the wall; the strike counts.
    Hide,
    /// A mistaken report: the wall entry comes back and the strike no longer counts.
    Restore,
    /// The sender sends no more cards this campaign.
    Block,
}

impl Store {
    /// The card `id`, for a report.
    pub async fn card_for_report(&self, id: i64) -> Result<Option<ReportedCard>> {
        Ok(on_db!(&self.db, pool => {
            sqlx::query_as("SELECT id, campaign, sender_key, recipient_key, wall_entry FROM cards WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        }))
    }

    /// `reporter_key` reports `card` (seen on `platform`): its wall entry leaves the wall at
    /// once, the report joins the queue, and the sender's strikes are counted; a third blocks.
    pub async fn report_card(&self, card: &ReportedCard, reporter_key: &str, platform: &str) -> Result<Reported> {
        let (new, blocked) = self.insert_report(card, reporter_key, platform, false).await?;
        if let Some(entry) = card.wall_entry {
            self.set_wall_hidden(entry, true).await?;
        }
        Ok(Reported { new, blocked })
    }

    /// Someone looking at the wall page (`reporter_key`, a keyed hash of their client)
    /// reports the visible entry `entry`: it leaves the wall at once and joins the queue,
    /// without a strike until an organizer confirms it.
    pub async fn report_wall_entry(&self, entry: i64, reporter_key: &str) -> Result<WallReport> {
        let since = self.clock.now_ms() - 3_600_000;
        let (recent,): (i64,) = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT COUNT(*) FROM reports WHERE reporter_key = $1 AND created_at > $2")
                .bind(reporter_key)
                .bind(since)
                .fetch_one(pool)
                .await?
        });
        if recent >= STRANGER_REPORTS_PER_HOUR {
            return Ok(WallReport::TooMany);
        }
        type Row = (i64, i32, Option<String>, Option<String>, Option<i64>, bool);
        let row: Option<Row> = on_db!(&self.db, pool => {
            sqlx::query_as(
                "SELECT c.id, c.campaign, c.sender_key, c.recipient_key, c.wall_entry, \
                 EXISTS (SELECT 1 FROM reports r WHERE r.card_id = c.id AND r.state = 'restored') FROM cards c \
                 JOIN wall_entries w ON w.id = c.wall_entry WHERE w.id = $1 AND w.state = 'visible'",
            )
            .bind(entry)
            .fetch_optional(pool)
            .await?
        });
        let Some((id, campaign, sender_key, recipient_key, wall_entry, restored)) = row else {
            return Ok(WallReport::NotOnWall);
        };
        // An organizer looked at this one and gave it back to the wall: their decision stands
        // (a stranger hiding it again, from address after address, would be a way to silence it).
        if restored {
            return Ok(WallReport::Already);
        }
        let card = ReportedCard { id, campaign, sender_key, recipient_key, wall_entry };
        let (new, _) = self.insert_report(&card, reporter_key, "wall", true).await?;
        if !new {
            return Ok(WallReport::Already);
        }
        self.set_wall_hidden(entry, true).await?;
        Ok(WallReport::Hidden)
    }

    /// Files a report (once per card and reporter) and, for a report that counts at once,
    /// blocks the sender at their last strike. Returns (new, blocked now).
    async fn insert_report(
        &self,
        card: &ReportedCard,
        reporter_key: &str,
        platform: &str,
        stranger: bool,
    ) -> Result<(bool, bool)> {
        let now = self.clock.now_ms();
        Ok(on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            let new = sqlx::query(
                "INSERT INTO reports (campaign, card_id, wall_entry, sender_key, reporter_key, platform, created_at, stranger) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (card_id, reporter_key) DO NOTHING",
            )
            .bind(card.campaign)
            .bind(card.id)
            .bind(card.wall_entry)
            .bind(&card.sender_key)
            .bind(reporter_key)
            .bind(platform)
            .bind(now)
            .bind(stranger)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            let mut blocked = false;
            if new && !stranger && let Some(sender) = &card.sender_key {
                blocked = sqlx::query(BLOCK_AT_LAST_STRIKE)
                    .bind(card.campaign)
                    .bind(sender)
                    .bind(now)
                    .bind(STRIKES_TO_BLOCK)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
                    == 1;
            }
            tx.commit().await?;
            (new, blocked)
        }))
    }

    /// The reports of a campaign, open ones first, then the latest, at most `max`.
    pub async fn reports(&self, campaign: i32, max: i64) -> Result<Vec<ReportRow>> {
        Ok(on_db!(read &self.db, pool => {
            sqlx::query_as(concat!(
                "SELECT r.id, r.card_id, r.platform, r.state, r.created_at, r.stranger, \
                 COALESCE(w.message, p.message) AS message, \
                 (SELECT COUNT(DISTINCT o.card_id) FROM reports o WHERE o.campaign = r.campaign \
                    AND o.sender_key = r.sender_key AND ",
                strike!("o"),
                ") AS strikes, \
                 EXISTS (SELECT 1 FROM blocked_senders b WHERE b.campaign = r.campaign AND b.sender_key = r.sender_key) AS blocked \
                 FROM reports r LEFT JOIN wall_entries w ON w.id = r.wall_entry \
                 LEFT JOIN pending_posts p ON p.card_id = r.card_id \
                 WHERE r.campaign = $1 ORDER BY CASE WHEN r.state = 'open' THEN 0 ELSE 1 END, r.id DESC LIMIT $2",
            ))
            .bind(campaign)
            .bind(max)
            .fetch_all(pool)
            .await?
        }))
    }

    /// An organizer's decision on report `id` (and every report of the same card). False
    /// when there is no such report.
    pub async fn review_report(&self, id: i64, review: Review) -> Result<bool> {
        type Row = (i32, i64, Option<i64>, Option<String>);
        let row: Option<Row> = on_db!(&self.db, pool => {
            sqlx::query_as("SELECT campaign, card_id, wall_entry, sender_key FROM reports WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        let Some((campaign, card_id, wall_entry, sender)) = row else { return Ok(false) };
        let state = match review {
            Review::Hide => "hidden",
            Review::Restore => "restored",
            Review::Block => "blocked",
        };
        on_db!(&self.db, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE reports SET state = $2 WHERE card_id = $1")
                .bind(card_id)
                .bind(state)
                .execute(&mut *tx)
                .await?;
            match (&sender, review) {
                // Blocked by an organizer: at once. Kept hidden: a stranger's report now
                // counts, and may be the last strike.
                (Some(sender), Review::Block | Review::Hide) => {
                    let strikes_needed = if review == Review::Block { 0 } else { STRIKES_TO_BLOCK };
                    sqlx::query(BLOCK_AT_LAST_STRIKE)
                        .bind(campaign)
                        .bind(sender)
                        .bind(self.clock.now_ms())
                        .bind(strikes_needed)
                        .execute(&mut *tx)
                        .await?;
                }
                // A mistaken report no longer counts: a block its strike caused is lifted,
                // unless an organizer blocked the sender themselves.
                (Some(sender), Review::Restore) => {
                    sqlx::query(concat!(
                        "DELETE FROM blocked_senders WHERE campaign = $1 AND sender_key = $2 \
                         AND NOT EXISTS (SELECT 1 FROM reports WHERE campaign = $1 AND sender_key = $2 AND state = 'blocked') \
                         AND (SELECT COUNT(DISTINCT r.card_id) FROM reports r WHERE r.campaign = $1 AND r.sender_key = $2 AND ",
                        strike!("r"),
                        ") < $3",
                    ))
                    .bind(campaign)
                    .bind(sender)
                    .bind(STRIKES_TO_BLOCK)
                    .execute(&mut *tx)
                    .await?;
                }
                _ => {}
            }
            tx.commit().await?;
        });
        if let Some(entry) = wall_entry {
            self.set_wall_hidden(entry, review != Review::Restore).await?;
        }
        Ok(true)
    }
}
