//! Encouragement cards sent: the daily count per sender and the card rows (no text kept).

use crate::db::on_db;
use crate::writer::{Job, Outcome};
use crate::{NewCard, Profile, Result, Sender, Store, StoreError};

impl Store {
    /// Everything a request needs of its sender, in one round trip: their profile, whether
    /// their cards are blocked in `campaign` (none between campaigns), and the cards they sent
    /// on `day` (YYYY-MM-DD, Montreal). Read where the profile is written, so a language just
    /// chosen is the one this answer speaks.
    pub async fn sender(&self, campaign: Option<i32>, person_key: &str, day: &str) -> Result<Sender> {
        type Row = (i64, bool, bool, Option<String>, Option<String>, Option<bool>);
        let (cards_today, blocked, known, public_name, locale, wall_opt_in): Row = on_db!(&self.db, pool => {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM cards WHERE sender_key = $1 AND local_day = $2), \
                 EXISTS (SELECT 1 FROM blocked_senders WHERE campaign = $3 AND sender_key = $1), \
                 p.person_key IS NOT NULL, p.public_name, p.locale, p.wall_opt_in \
                 FROM (SELECT 1 AS one) o LEFT JOIN people p ON p.person_key = $1",
            )
            .bind(person_key)
            .bind(day)
            .bind(campaign)
            .fetch_one(pool)
            .await?
        });
        let profile = known.then(|| Profile { public_name, locale, wall_opt_in: wall_opt_in.unwrap_or(false) });
        Ok(Sender { profile, blocked, cards_today })
    }

    /// Records a card sent (through the writer: cards sent together share one commit).
    pub async fn record_card(&self, card: &NewCard) -> Result<i64> {
        match self.writer.submit(Job::Card(card.clone())).await? {
            Outcome::Card(id) => Ok(id),
            other => Err(StoreError::WriteFailed(format!("unexpected answer {other:?}"))),
        }
    }
}
