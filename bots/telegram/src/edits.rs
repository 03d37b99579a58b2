//! Counter edits that end true, on one process or many.
//!
//! Thirty pupils clicking within two seconds would ask for thirty edits of one message;
//! Telegram allows about one per second in a chat, and applies edits sent together in no set
//! order. So a click never edits the counter with its own count. It raises the counter's
//! wanted revision in the store, and one process at a time holds the counter's lease
//! ([`ruban_core::Bot::want_edit`]). The holder waits for the chat's slot, reads the count from
//! the store at that moment (what every process counted meanwhile goes out in that one edit),
//! edits, records what the message shows, and lets go only when nothing newer is wanted. So
//! edits of one counter never race, the last one applied is the true count, and an edit that
//! would change nothing (a double click, a state another process already showed) is never sent:
//! Telegram refuses it (« message is not modified »).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ruban_core::EditTurn;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, MessageId};
use teloxide::{ApiError, RequestError};

use crate::pace::{Pacer, call_paced};

/// How a counter's text and buttons are made from the core's message (the adapter adds its
/// deep-link button, in the message's language).
pub(crate) type Render = dyn Fn(&ruban_core::OutMessage) -> (String, InlineKeyboardMarkup) + Send + Sync;

/// This process's part in counter edits.
#[derive(Debug, Default)]
struct Slot {
    /// The highest revision asked for here.
    highest: u64,
    /// A task of this process is working on this counter.
    running: bool,
    /// Asked again while the task ran: it takes another turn before it stops.
    again: bool,
    /// The task is only waiting for another process's lease to run out.
    watching: bool,
}

/// The counters this process wants edited, by key.
pub(crate) struct Edits {
    slots: Mutex<HashMap<String, Slot>>,
    /// This process's name in the store's leases (random, never shown).
    me: String,
}

impl Default for Edits {
    fn default() -> Self {
        let me = format!("tg-{:016x}-{}", rand_u64(), std::process::id());
        Self { slots: Mutex::default(), me }
    }
}

/// A random number from the standard library's randomly keyed hasher (no dependency for a
/// process name; each `RandomState` has keys of its own).
fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new().build_hasher().finish()
}

/// What a counter task needs.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub(crate) bot: Bot,
    pub(crate) core: Arc<ruban_core::Bot>,
    pub(crate) pacer: Arc<Pacer>,
    pub(crate) render: Arc<Render>,
}

/// Edits that fail in a row before the holder lets go (the next click tries again).
const MAX_FAILURES: u32 = 3;

impl Edits {
    /// Asks for the counter `key` to show `revision` or later; returns at once.
    pub(crate) fn submit(self: &Arc<Self>, ctx: &Ctx, key: &str, revision: u64) {
        let start = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            if slots.len() > 10_000 {
                slots.retain(|_, s| s.running);
            }
            let slot = slots.entry(key.to_owned()).or_default();
            slot.highest = slot.highest.max(revision);
            slot.again = true;
            !std::mem::replace(&mut slot.running, true)
        };
        if start {
            let (edits, ctx, key) = (self.clone(), ctx.clone(), key.to_owned());
            tokio::spawn(async move { edits.work(ctx, key).await });
        }
    }

    /// Takes turns until nothing is asked of this process for `key`.
    async fn work(&self, ctx: Ctx, key: String) {
        loop {
            let revision = {
                let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
                let slot = slots.entry(key.clone()).or_default();
                if !slot.again {
                    slot.running = false;
                    slot.watching = false;
                    return;
                }
                slot.again = false;
                slot.watching = false;
                slot.highest
            };
            match ctx.core.want_edit("telegram", &key, revision, &self.me).await {
                EditTurn::Mine { at, shown, locale } => {
                    let (Ok(chat), Ok(id)) = (at.chat.parse(), at.message.parse()) else {
                        ctx.core.edit_abandoned("telegram", &key, &self.me).await;
                        continue;
                    };
                    self.hold(&ctx, &key, ChatId(chat), MessageId(id), shown.max(0) as u64, locale.as_deref()).await;
                }
                EditTurn::Theirs { until } => {
                    // Another process edits it. Should it die holding the lease, this process
                    // takes over once the lease runs out.
                    self.set_watching(&key);
                    // The lease's end is on the store's clock (RUBAN_TODAY's day, if set).
                    let now = ctx.core.clock().now_ms();
                    let wait = Duration::from_millis((until - now).clamp(0, 10_000) as u64 + 50);
                    tokio::time::sleep(wait).await;
                    self.ask_again(&key);
                }
                EditTurn::Shown | EditTurn::Unknown => {}
            }
        }
    }

    /// Holds the lease, renewed while this process works (a chat's turn or a 429 can take
    /// longer than a lease: without renewal another process took over meanwhile, and both
    /// sent the same state, which Telegram refuses). Stops at once if the lease is lost.
    async fn hold(&self, ctx: &Ctx, key: &str, chat: ChatId, id: MessageId, shown: u64, locale: Option<&str>) {
        let renew = async {
            loop {
                tokio::time::sleep(ruban_core::Bot::EDIT_RENEW_EVERY).await;
                if !ctx.core.renew_edit("telegram", key, &self.me).await {
                    tracing::info!("another process took over a counter's edits");
                    return;
                }
            }
        };
        tokio::select! {
            () = self.edit_until_true(ctx, key, chat, id, shown, locale) => {}
            () = renew => {}
        }
    }

    /// Edits to the truth until nothing newer is wanted.
    async fn edit_until_true(
        &self,
        ctx: &Ctx,
        key: &str,
        chat: ChatId,
        id: MessageId,
        mut shown: u64,
        locale: Option<&str>,
    ) {
        let mut failures = 0;
        loop {
            ctx.pacer.wait(chat.0).await;
            // Read after the wait: every click counted meanwhile, on any process, is in it.
            let Some(truth) = ctx.core.keyed_message(key, locale).await else {
                ctx.core.edit_abandoned("telegram", key, &self.me).await;
                return;
            };
            let revision = truth.revision.unwrap_or(0);
            if revision > shown {
                let (text, markup) = (ctx.render)(&truth);
                let mut edit = ctx.bot.edit_message_text(chat, id, text);
                edit.reply_markup = Some(markup);
                match call_paced(&edit, true, Some((&ctx.pacer, chat.0))).await {
                    // Not modified: an earlier attempt of this edit reached Telegram.
                    Ok(_) | Err(RequestError::Api(ApiError::MessageNotModified)) => {
                        shown = revision;
                        failures = 0;
                    }
                    Err(RequestError::Api(ApiError::MessageToEditNotFound | ApiError::MessageCantBeEdited)) => {
                        tracing::info!("a counter message is gone; its next state is not shown");
                        ctx.core.edit_abandoned("telegram", key, &self.me).await;
                        return;
                    }
                    Err(e) => {
                        failures += 1;
                        tracing::warn!(error = %e, failures, "a counter edit failed");
                        if failures >= MAX_FAILURES {
                            ctx.core.edit_abandoned("telegram", key, &self.me).await;
                            return;
                        }
                    }
                }
            }
            if ctx.core.edit_done("telegram", key, &self.me, shown).await {
                return;
            }
        }
    }

    fn set_watching(&self, key: &str) {
        if let Some(slot) = self.slots.lock().unwrap_or_else(|e| e.into_inner()).get_mut(key) {
            slot.watching = true;
        }
    }

    fn ask_again(&self, key: &str) {
        if let Some(slot) = self.slots.lock().unwrap_or_else(|e| e.into_inner()).get_mut(key) {
            slot.again = true;
        }
    }

    /// Whether this process still has an edit to make (tests and shutdown wait for none; a
    /// task that only watches another process's lease is not waited for).
    pub(crate) fn idle(&self) -> bool {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).values().all(|s| !s.running || s.watching)
    }
}
