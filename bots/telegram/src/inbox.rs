//! Every update handled at least once, even when the process that received it dies.
//!
//! Telegram delivers an update again only when its delivery failed; the webhook's 200 and the
//! next long poll (which confirms the offset) end it. So each update is written to the store
//! with its content and a lease **before** that point: in the webhook route before it answers
//! 200 ([`crate::webhook`]), and in long polling before the listener lets teloxide ask for the
//! next batch ([`Recorded`]). The handler renews the lease while it works and marks the update
//! done when it ends. An update whose lease ran out unfinished (its process died) is taken
//! over by any process's [`crate::takeover::sweep`] and handled there. Pledges and class clicks are idempotent,
//! so a card may at worst be sent twice (the process died after sending it, before marking it
//! done); nothing that counts is lost or counted twice.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use teloxide::prelude::*;
use teloxide::stop::StopToken;
use teloxide::types::{AllowedUpdate, Me, UpdateKind};
use teloxide::update_listeners::{AsUpdateStream, Polling, UpdateListener};

/// How long a process holds an update it handles without renewing (renewed every third of it).
pub const LEASE: Duration = Duration::from_secs(60);

/// Where updates are recorded: the store, through the core, under the bot's own keys.
#[derive(Clone)]
pub struct Inbox {
    pub(crate) core: Arc<ruban_core::Bot>,
    bot_id: u64,
    pub(crate) lease: Duration,
}

impl Inbox {
    /// The inbox of the bot `me`, with leases of `lease`.
    pub fn new(core: Arc<ruban_core::Bot>, me: &Me, lease: Duration) -> Self {
        Self { core, bot_id: me.id.0, lease }
    }

    /// The update's key in the store (the same for every process of this bot).
    pub fn key(&self, update: &Update) -> String {
        delivery_key(self.bot_id, update)
    }

    pub(crate) fn prefix(&self) -> String {
        format!("telegram:{}:", self.bot_id)
    }

    /// Records the update (as received) and takes it: `Some(true)` when this process must
    /// handle it, `Some(false)` when it was handled or another process holds it, `None` when
    /// the store cannot answer.
    pub async fn receive(&self, update: &Update, payload: &str) -> Option<bool> {
        self.core.receive_event(&self.key(update), payload, self.lease).await
    }

    /// Keeps the lease of an update while `work` runs, then marks the update handled.
    pub async fn hold<T>(&self, update: &Update, work: impl Future<Output = T>) -> T {
        let key = self.key(update);
        let renew = async {
            loop {
                tokio::time::sleep(self.lease / 3).await;
                self.core.renew_event(&key, self.lease).await;
            }
        };
        let out = tokio::select! {
            out = work => out,
            never = renew => never,
        };
        self.core.delivered(&key).await;
        out
    }
}

/// The store key of an update of the bot `bot_id`.
pub(crate) fn delivery_key(bot_id: u64, update: &Update) -> String {
    format!("telegram:{bot_id}:{}", update.id.0)
}

/// A long-polling listener whose updates are recorded before they are handed on: teloxide
/// confirms a batch's offsets when it asks for the next one, which it does only once every
/// update of the batch was taken from this stream.
pub struct Recorded {
    inner: Polling<Bot>,
    inbox: Inbox,
}

impl Recorded {
    /// Wraps teloxide's long polling.
    pub fn new(inner: Polling<Bot>, inbox: Inbox) -> Self {
        Self { inner, inbox }
    }
}

impl UpdateListener for Recorded {
    type Err = teloxide::RequestError;

    fn stop_token(&mut self) -> StopToken {
        self.inner.stop_token()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        self.inner.hint_allowed_updates(hint);
    }
}

impl<'a> AsUpdateStream<'a> for Recorded {
    type StreamErr = teloxide::RequestError;
    type Stream = BoxStream<'a, Result<Update, teloxide::RequestError>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let inbox = self.inbox.clone();
        self.inner
            .as_stream()
            .filter_map(move |item| {
                let inbox = inbox.clone();
                async move {
                    let update = match item {
                        Ok(update) => update,
                        Err(e) => {
                            conflict(&e);
                            return Some(Err(e));
                        }
                    };
                    if matches!(update.kind, UpdateKind::Error(_)) {
                        return Some(Ok(update));
                    }
                    let payload = serde_json::to_string(&update).unwrap_or_default();
                    // A store that cannot answer lets the update through: handling it beats
                    // losing it (long polling cannot refuse an update).
                    match inbox.receive(&update, &payload).await {
                        Some(false) => None,
                        Some(true) | None => Some(Ok(update)),
                    }
                }
            })
            .boxed()
    }
}

/// Says what to do when Telegram ends this process's long poll because another one polls the
/// same bot (409): Telegram serves one poller per bot, so two processes in long polling take
/// turns (teloxide backs off after each 409) and each sees only part of the updates. Nothing
/// is lost (each update goes to one of them, and the inbox makes a repeat harmless), but the
/// operator should know: several processes share one bot through a webhook.
fn conflict(e: &teloxide::RequestError) {
    if matches!(e, teloxide::RequestError::Api(teloxide::ApiError::TerminatedByOtherGetUpdates)) {
        metrics::counter!("ruban_telegram_poll_conflicts_total").increment(1);
        tracing::warn!(
            "another process polls this Telegram bot (409 Conflict): Telegram serves one long poller per bot; \
             run one process in long polling, or set TELEGRAM_WEBHOOK_URL so several processes share the updates"
        );
    }
}
