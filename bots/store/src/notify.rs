//! Live events across processes.
//!
//! On SQLite one process owns the database and events go through an in-process channel. On
//! PostgreSQL any number of processes share it: each event is published with `NOTIFY` on the
//! schema's channel ([`channel`]), and every process, this one included, hears it through
//! `LISTEN` and hands it to its subscribers. So every wall on every process sees every pledge,
//! each once.
//!
//! Notification channels belong to the whole database, not to a schema: two deployments (or two
//! test schemas) in one database on one channel would each hear the other's pledges. So the
//! channel is named after the schema the store writes to.
//!
//! Publishing is after the commit and batched (one `pg_notify` carries up to ~7 kB of events,
//! under PostgreSQL's 8 kB payload limit), so a storm of pledges costs a few statements, not
//! one per pledge. When the listening connection drops, sqlx reconnects; events sent in the
//! gap are lost, so subscribers get [`StoreEvent::Resync`] and count again from the database.

use sqlx::PgPool;
use sqlx::postgres::PgListener;
use tokio::sync::{broadcast, mpsc};

use crate::error::Result;
use crate::model::StoreEvent;

/// The notification channel of a store in the `public` schema; other schemas get their own.
pub const CHANNEL: &str = "ruban_events";

/// The notification channel of the schema `pool` writes to: [`CHANNEL`] for `public`, else
/// [`CHANNEL`] and a hash of the schema's name (a channel is an identifier: at most 63 bytes,
/// and a schema's name may be longer or hold any character).
pub(crate) async fn channel(pool: &PgPool) -> Result<String> {
    let schema: Option<String> = sqlx::query_scalar("SELECT current_schema()").fetch_one(pool).await?;
    Ok(channel_for(schema.as_deref().unwrap_or("public")))
}

fn channel_for(schema: &str) -> String {
    if schema == "public" {
        return CHANNEL.to_owned();
    }
    // FNV-1a, 64 bits: stable across builds and releases, unlike std's hasher, so processes of
    // different versions on one schema still share a channel.
    let hash = schema.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("{CHANNEL}_{hash:016x}")
}

/// Largest payload sent in one notification (PostgreSQL refuses 8000 bytes and more).
const MAX_PAYLOAD: usize = 7000;

/// Sends events to every process through `NOTIFY`.
#[derive(Debug, Clone)]
pub(crate) struct Publisher {
    tx: mpsc::UnboundedSender<StoreEvent>,
}

impl Publisher {
    /// Starts the publishing task on `pool`, sending on `channel`.
    pub(crate) fn spawn(pool: PgPool, channel: String) -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel::<StoreEvent>();
        tokio::spawn(async move {
            let mut batch = Vec::new();
            while rx.recv_many(&mut batch, 512).await > 0 {
                for payload in payloads(&batch) {
                    publish(&pool, &channel, &payload).await;
                }
                batch.clear();
            }
        });
        Self { tx }
    }

    /// Queues an event for every process (this one hears it back through `LISTEN`).
    pub(crate) fn send(&self, event: StoreEvent) {
        // The task ends only with the runtime; then nobody is listening anyway.
        let _ = self.tx.send(event);
    }
}

/// JSON arrays of events, each under [`MAX_PAYLOAD`] bytes.
fn payloads(events: &[StoreEvent]) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::from("[");
    for e in events {
        let Ok(json) = serde_json::to_string(e) else { continue };
        if current.len() > 1 && current.len() + json.len() + 2 > MAX_PAYLOAD {
            current.push(']');
            out.push(std::mem::replace(&mut current, String::from("[")));
        }
        if current.len() > 1 {
            current.push(',');
        }
        current.push_str(&json);
    }
    if current.len() > 1 {
        current.push(']');
        out.push(current);
    }
    out
}

async fn publish(pool: &PgPool, channel: &str, payload: &str) {
    for attempt in 1..=3u32 {
        match sqlx::query("SELECT pg_notify($1, $2)").bind(channel).bind(payload).execute(pool).await {
            Ok(_) => return,
            Err(e) => {
                tracing::warn!(error = %e, attempt, "publishing wall events failed");
                tokio::time::sleep(std::time::Duration::from_millis(200 * u64::from(attempt))).await;
            }
        }
    }
    // Walls recount when they lag or reconnect; a lost batch only delays their counter.
    tracing::error!("wall events dropped after three attempts");
}

/// Listens on `channel` and passes every event to `events`' subscribers. Returns once the
/// listener is subscribed, so nothing published after this returns is missed.
pub(crate) async fn listen(pool: &PgPool, channel: &str, events: broadcast::Sender<StoreEvent>) -> Result<()> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(channel).await?;
    let pool = pool.clone();
    tokio::spawn(async move {
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) => match serde_json::from_str::<Vec<StoreEvent>>(n.payload()) {
                    Ok(list) => {
                        for e in list {
                            let _ = events.send(e);
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "skipped an unreadable wall event"),
                },
                Ok(None) => {
                    // The connection dropped and sqlx reconnected: some events may be lost.
                    tracing::warn!("wall events connection lost; walls will count again");
                    let _ = events.send(StoreEvent::Resync);
                }
                // The store is closing: the listener must let go of its connection, or
                // `Pool::close` (which waits for every checked-out connection) never ends.
                Err(_) if pool.is_closed() => break,
                Err(e) => {
                    tracing::warn!(error = %e, "wall events listener failed; retrying");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_schema_has_its_own_channel_within_the_identifier_limit() {
        assert_eq!(channel_for("public"), "ruban_events");
        let long = "s".repeat(200);
        let names = ["ruban_t_1", "ruban_t_2", "École « A »", long.as_str()];
        let channels: Vec<String> = names.iter().map(|n| channel_for(n)).collect();
        for c in &channels {
            assert!(c.len() <= 63 && c.starts_with("ruban_events_") && c.is_ascii(), "{c}");
        }
        assert_eq!(channels.iter().collect::<std::collections::HashSet<_>>().len(), names.len());
        assert_eq!(channel_for("ruban_t_1"), channels[0], "a schema's channel never changes");
    }

    #[test]
    fn payloads_stay_under_the_limit_and_keep_every_event() {
        let events: Vec<StoreEvent> = (0..500)
            .map(|n| StoreEvent::Pledge {
                campaign: 2026,
                number: n,
                region: Some("06".into()),
                organization: Some("École des Explorateurs de la persévérance".into()),
                class: Some("ABCD-1234".into()),
            })
            .collect();
        let out = payloads(&events);
        assert!(out.len() > 1);
        let mut back = Vec::new();
        for p in &out {
            assert!(p.len() < 8000, "{} bytes", p.len());
            back.extend(serde_json::from_str::<Vec<StoreEvent>>(p).unwrap());
        }
        assert_eq!(back, events);
    }
}
