//! Coalesced edits of counter messages. Thirty pupils clicking within two seconds would ask for
//! thirty edits of one message; Telegram allows about one per second in a chat. Each message
//! gets at most one edit in flight: while it waits for its slot, newer states replace older
//! ones, and the state with the highest revision is always the last one sent, so the counter
//! ends exact. An edit that would change nothing (a double click: same count, same buttons) is
//! never sent: Telegram refuses it (« message is not modified »).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardMarkup, MessageId};

use teloxide::{ApiError, RequestError};

use crate::pace::{Pacer, call};

/// A state of a message: its text, its buttons, and its revision.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct State {
    pub(crate) text: String,
    pub(crate) markup: InlineKeyboardMarkup,
    pub(crate) revision: Option<u64>,
}

#[derive(Debug, Default)]
struct Slot {
    /// The next state to send, if newer than what was sent.
    pending: Option<State>,
    /// The highest revision sent or queued.
    highest: Option<u64>,
    /// A task is sending this message's edits.
    running: bool,
    /// What the message shows (as far as this process knows).
    shown: Option<(String, InlineKeyboardMarkup)>,
}

/// The edits waiting to go out, by message.
#[derive(Debug, Default)]
pub(crate) struct Edits {
    slots: Mutex<HashMap<(ChatId, MessageId), Slot>>,
}

impl Edits {
    /// Queues a new state of a message; returns at once. An older revision than one already
    /// sent or queued is dropped.
    pub(crate) fn submit(self: &Arc<Self>, bot: &Bot, pacer: &Arc<Pacer>, chat: ChatId, id: MessageId, state: State) {
        let start = {
            let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
            if slots.len() > 10_000 {
                slots.retain(|_, s| s.running);
            }
            let slot = slots.entry((chat, id)).or_default();
            if let (Some(new), Some(highest)) = (state.revision, slot.highest)
                && new < highest
            {
                return;
            }
            slot.highest = state.revision.or(slot.highest);
            slot.pending = Some(state);
            !std::mem::replace(&mut slot.running, true)
        };
        if start {
            let (edits, bot, pacer) = (self.clone(), bot.clone(), pacer.clone());
            tokio::spawn(async move { edits.drain(bot, pacer, chat, id).await });
        }
    }

    async fn drain(&self, bot: Bot, pacer: Arc<Pacer>, chat: ChatId, id: MessageId) {
        loop {
            {
                let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
                let slot = slots.entry((chat, id)).or_default();
                if slot.pending.is_none() {
                    slot.running = false;
                    return;
                }
            }
            pacer.wait(chat.0).await;
            // Taken after the wait: what arrived meanwhile is sent in this one edit.
            let state = {
                let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
                match slots.get_mut(&(chat, id)).and_then(|s| s.pending.take()) {
                    Some(s) => s,
                    None => continue,
                }
            };
            let same = {
                let slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
                slots.get(&(chat, id)).and_then(|s| s.shown.as_ref())
                    == Some(&(state.text.clone(), state.markup.clone()))
            };
            if same {
                continue;
            }
            let shown = (state.text.clone(), state.markup.clone());
            let mut edit = bot.edit_message_text(chat, id, state.text);
            edit.reply_markup = Some(state.markup);
            let done = match call(&edit, true).await {
                Ok(_) => true,
                // Another process (or an earlier answer) already shows this state.
                Err(RequestError::Api(ApiError::MessageNotModified)) => true,
                Err(e) => {
                    tracing::warn!(error = %e, "a counter edit failed");
                    false
                }
            };
            if done && let Some(slot) = self.slots.lock().unwrap_or_else(|e| e.into_inner()).get_mut(&(chat, id)) {
                slot.shown = Some(shown);
            }
        }
    }

    /// Whether any edit is still waiting (tests and shutdown wait for none).
    pub(crate) fn idle(&self) -> bool {
        self.slots.lock().unwrap_or_else(|e| e.into_inner()).values().all(|s| !s.running)
    }
}
