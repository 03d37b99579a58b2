//! Platform events handled once: a delivery is claimed before its work and marked done after it.

use crate::db::on_db;
use crate::writer::{Job, Outcome};
use crate::{Result, Store, StoreError};

impl Store {
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

    pub(crate) async fn claim(&self, event_key: &str, retake: bool) -> Result<bool> {
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
}
