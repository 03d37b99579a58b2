//! Live events across processes.
//!
//! On SQLite one process owns the database and events go through an in-process channel. On
//! PostgreSQL any number of processes share it: each event is published with `NOTIFY` on
//! [`CHANNEL`], and every process, this one included, hears it through `LISTEN` and hands it
//! to its subscribers. So every wall on every process sees every pledge, each once.
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

/// The PostgreSQL notification channel.
pub const CHANNEL: &str = "ruban_events";

/// Largest payload sent in one notification (PostgreSQL refuses 8000 bytes and more).
const MAX_PAYLOAD: usize = 7000;

/// Sends events to every process through `NOTIFY`.
#[derive(Debug, Clone)]
pub(crate) struct Publisher {
    tx: mpsc::UnboundedSender<StoreEvent>,
}

impl Publisher {
    /// Starts the publishing task on `pool`.
    pub(crate) fn spawn(pool: PgPool) -> Self {
        let (tx, mut rx) = mpsc::unbounded_channel::<StoreEvent>();
        tokio::spawn(async move {
            let mut batch = Vec::new();
            while rx.recv_many(&mut batch, 512).await > 0 {
                for payload in payloads(&batch) {
                    publish(&pool, &payload).await;
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

async fn publish(pool: &PgPool, payload: &str) {
    for attempt in 1..=3u32 {
        match sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(payload).execute(pool).await {
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

/// Listens on [`CHANNEL`] and passes every event to `events`' subscribers. Returns once the
/// listener is subscribed, so nothing published after this returns is missed.
pub(crate) async fn listen(pool: &PgPool, events: broadcast::Sender<StoreEvent>) -> Result<()> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
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
