//! Platform events kept with their content until they are handled: at least once, even when
//! the process that received one dies before handling it.
//!
//! Telegram delivers an update again only if its delivery failed: a webhook that answered
//! 200, or a long poll whose next request confirmed the offset, is the end of it. A claim
//! alone (the key, no content) made the update's loss silent when its process died after that
//! point. Here the update is written with its content and a lease before it is acknowledged;
//! the lease's holder handles it and marks it done ([`Store::delivered`], which also drops the
//! content). An update whose lease ran out unfinished is taken over by any process
//! ([`Store::take_unfinished`]); pledges and class clicks are idempotent, so handling one again
//! never counts twice.

use crate::Store;
use crate::db::on_db;
use crate::error::Result;

/// An event taken over from a process whose lease ran out.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Unfinished {
    /// Its key (`telegram:<bot>:<update id>`).
    pub event_key: String,
    /// Its content, as received.
    pub payload: String,
}

impl Store {
    /// Receives a platform event with its content and takes it for `lease_ms`: true when this
    /// process must handle it (the first delivery, or a delivery of one that never finished and
    /// whose last taker's lease ran out); false when it finished, or another process holds it.
    /// Written before the event is acknowledged to the platform.
    pub async fn receive_event(&self, event_key: &str, payload: &str, lease_ms: i64) -> Result<bool> {
        let now = self.clock.now_ms();
        let taken = on_db!(&self.db, pool => {
            sqlx::query(
                "INSERT INTO deliveries (event_key, received_at, payload, taken_until) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (event_key) DO UPDATE SET received_at = excluded.received_at, \
                 payload = excluded.payload, taken_until = excluded.taken_until \
                 WHERE deliveries.done_at IS NULL AND COALESCE(deliveries.taken_until, 0) < $2",
            )
            .bind(event_key)
            .bind(now)
            .bind(payload)
            .bind(now + lease_ms)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(taken == 1)
    }

    /// The holder of an event still handles it: its lease runs `lease_ms` from now.
    pub async fn renew_event(&self, event_key: &str, lease_ms: i64) -> Result<()> {
        on_db!(&self.db, pool => {
            sqlx::query("UPDATE deliveries SET taken_until = $2 WHERE event_key = $1 AND done_at IS NULL")
                .bind(event_key)
                .bind(self.clock.now_ms() + lease_ms)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Takes over, for `lease_ms`, at most `max` events whose key starts with `prefix` that
    /// were received and never finished, and whose taker's lease ran out (its process died).
    /// Two processes asking at once never take the same event.
    pub async fn take_unfinished(&self, prefix: &str, lease_ms: i64, max: i64) -> Result<Vec<Unfinished>> {
        let now = self.clock.now_ms();
        // LIKE's own wildcards in a key prefix are escaped (keys are ours, but say so).
        let pattern = format!("{}%", prefix.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let taken = on_db!(&self.db, pool => {
            sqlx::query_as(
                "UPDATE deliveries SET taken_until = $2 WHERE event_key IN ( \
                     SELECT event_key FROM deliveries WHERE done_at IS NULL AND payload IS NOT NULL \
                     AND taken_until < $1 AND event_key LIKE $3 ESCAPE '\\' ORDER BY received_at LIMIT $4) \
                 AND done_at IS NULL AND taken_until < $1 \
                 RETURNING event_key, payload",
            )
            .bind(now)
            .bind(now + lease_ms)
            .bind(&pattern)
            .bind(max)
            .fetch_all(pool)
            .await?
        });
        Ok(taken)
    }
}
