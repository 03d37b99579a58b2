//! Where keyed messages live on a platform, so any process edits them in place (see
//! `ruban_store::MessageLocation`), and chats that change their id.

use ruban_vocabulary::Locale;

use crate::{Bot, OutMessage};
pub use ruban_store::{EditTurn, MessageLocation};

/// How long a process may hold a counter's edit lease without renewing it (each edit renews
/// it): a process that dies holding it delays that counter's next edit by at most this much.
const EDIT_LEASE_MS: i64 = 10_000;

impl Bot {
    /// Remembers where `platform` posted the keyed message `key` (a class counter). A failure
    /// is logged: the next state is then posted anew rather than lost.
    pub async fn remember_message(&self, platform: &str, key: &str, at: &MessageLocation) {
        self.remember_posted(platform, key, at, None, None).await;
    }

    /// Like [`Bot::remember_message`], with the revision the posted message shows and its
    /// language (from its [`crate::OutMessage`]), for adapters that edit it through
    /// [`Bot::want_edit`].
    pub async fn remember_posted(
        &self,
        platform: &str,
        key: &str,
        at: &MessageLocation,
        revision: Option<u64>,
        locale: Option<Locale>,
    ) {
        let shown = revision.map_or(0, |r| r as i64);
        let tag = locale.map(|l| l.tag());
        if let Err(e) = self.store.set_message_location(&format!("{platform}:{key}"), at, shown, tag).await {
            tracing::warn!(error = %e, "could not remember where a counter lives");
        }
    }

    /// Asks for the keyed message `key` to show `revision` or later. Exactly one process (the
    /// `editor` holding the lease) edits a message at a time, so edits never race each other
    /// on the platform; see [`ruban_store::Store::want_edit`]. A store failure is logged and
    /// counts as [`EditTurn::Unknown`]: the next click tries again.
    pub async fn want_edit(&self, platform: &str, key: &str, revision: u64, editor: &str) -> EditTurn {
        match self.store.want_edit(&format!("{platform}:{key}"), revision as i64, editor, EDIT_LEASE_MS).await {
            Ok(turn) => turn,
            Err(e) => {
                tracing::warn!(error = %e, "could not ask for a counter edit");
                EditTurn::Unknown
            }
        }
    }

    /// The lease holder showed `shown`: `true` when it is done, `false` when a newer state is
    /// wanted (its lease renewed). A store failure lets go: the next click takes it again.
    pub async fn edit_done(&self, platform: &str, key: &str, editor: &str, shown: u64) -> bool {
        match self.store.edit_done(&format!("{platform}:{key}"), editor, shown as i64, EDIT_LEASE_MS).await {
            Ok(done) => done,
            Err(e) => {
                tracing::warn!(error = %e, "could not record a counter edit");
                true
            }
        }
    }

    /// The lease holder is still at work: its lease is renewed. False when it lost it (it
    /// then stops: another process edits). A store failure keeps it going.
    pub async fn renew_edit(&self, platform: &str, key: &str, editor: &str) -> bool {
        self.store.renew_edit(&format!("{platform}:{key}"), editor, EDIT_LEASE_MS).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "could not renew a counter edit's lease");
            true
        })
    }

    /// How often a holder renews its lease.
    pub const EDIT_RENEW_EVERY: std::time::Duration = std::time::Duration::from_millis(EDIT_LEASE_MS as u64 / 4);

    /// The lease holder cannot edit the message any more (it is gone, or the platform keeps
    /// refusing): it lets go, and a later click tries again.
    pub async fn edit_abandoned(&self, platform: &str, key: &str, editor: &str) {
        if let Err(e) = self.store.edit_abandoned(&format!("{platform}:{key}"), editor).await {
            tracing::warn!(error = %e, "could not let go of a counter edit");
        }
    }

    /// The keyed message `key` as it should show now, read from the store (not from the click
    /// that asked for the edit: another process may have counted more since), in the language
    /// it was posted in. None for a key that names nothing (any more).
    pub async fn keyed_message(&self, key: &str, locale: Option<&str>) -> Option<OutMessage> {
        let code = key.strip_prefix("class-")?;
        let l = locale.and_then(|t| t.parse::<Locale>().ok()).unwrap_or_default();
        let summary = match self.store.class_summary(code).await {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "could not read a class counter");
                return None;
            }
        };
        let mut m = self.class_message(l, &summary.session, summary.members, summary.session.is_open);
        m.edits = m.key.take();
        Some(m)
    }

    /// Where `platform` posted the keyed message `key`, on any process.
    pub async fn message_at(&self, platform: &str, key: &str) -> Option<MessageLocation> {
        match self.store.message_location(&format!("{platform}:{key}")).await {
            Ok(found) => found,
            Err(e) => {
                tracing::warn!(error = %e, "could not look up where a counter lives");
                None
            }
        }
    }

    /// A chat got a new id on `platform` (a Telegram group upgraded to a supergroup): its
    /// classes follow it, and its counters will be posted anew in the new chat.
    pub async fn chat_moved(&self, platform: &str, old_chat: &str, new_chat: &str) {
        let (old_key, new_key) = (self.keys.chat(platform, old_chat), self.keys.chat(platform, new_chat));
        if let Err(e) = self.store.move_chat(&old_key, &new_key, old_chat).await {
            tracing::warn!(error = %e, "could not move a chat's classes to its new id");
        }
    }

    /// When the next message may go to `chat` on `platform`, as a wait from now, on a
    /// database several processes share (PostgreSQL): they pace each chat together (see
    /// [`ruban_store::Store::reserve_send`]). None on a process's own database (SQLite), or
    /// when the store fails: the adapter then paces alone.
    pub async fn reserve_send(
        &self,
        platform: &str,
        chat: &str,
        gap: std::time::Duration,
        per_minute: usize,
    ) -> Option<std::time::Duration> {
        if !self.store.shared() {
            return None;
        }
        let key = format!("{platform}:{chat}");
        match self.store.reserve_send(&key, gap.as_millis() as i64, per_minute as i64).await {
            Ok(at) => Some(std::time::Duration::from_millis((at - self.clock().now_ms()).max(0) as u64)),
            Err(e) => {
                tracing::warn!(error = %e, "could not reserve a send time; pacing alone");
                None
            }
        }
    }

    /// Tells every process that the platform closed `chat` for `wait` (a 429's retry_after):
    /// their next sends there wait for it ([`Bot::reserve_send`], [`Bot::chat_closed_for`]).
    /// Nothing to tell on a store no other process shares.
    pub async fn close_chat(&self, platform: &str, chat: &str, wait: std::time::Duration) {
        if !self.store.shared() {
            return;
        }
        let until = self.clock().now_ms() + wait.as_millis() as i64;
        if let Err(e) = self.store.close_chat(&format!("{platform}:{chat}"), until).await {
            tracing::warn!(error = %e, "could not share that a chat is closed; holding back alone");
        }
    }

    /// How long the platform still keeps `chat` closed, as any process learnt it; `None` when
    /// it is open (or no other process shares the store).
    pub async fn chat_closed_for(&self, platform: &str, chat: &str) -> Option<std::time::Duration> {
        if !self.store.shared() {
            return None;
        }
        match self.store.chat_closed_until(&format!("{platform}:{chat}")).await {
            Ok(until) => until.map(|u| std::time::Duration::from_millis((u - self.clock().now_ms()).max(0) as u64)),
            Err(e) => {
                tracing::warn!(error = %e, "could not read whether a chat is closed");
                None
            }
        }
    }
}
