//! Staying inside Telegram's limits, and surviving its refusals.
//!
//! Telegram asks bots to send at most one message per second in a chat, twenty per minute in a
//! group, and thirty per second overall; beyond that it answers 429 with `retry_after`. The
//! [`Pacer`] hands out send times that keep every chat inside those windows (edits count too),
//! and [`call`] retries what Telegram or the network refused, without ever sending a message
//! twice.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

use teloxide::RequestError;
use teloxide::requests::{Output, Request};
use tokio::time::{Instant, sleep, sleep_until};

/// The limits to respect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaceLimits {
    /// Least time between two messages (or edits) in one chat.
    pub chat_gap: Duration,
    /// Messages per minute in a group (chat ids below zero).
    pub group_per_minute: usize,
    /// Messages per second over all chats; 0 lifts the cap (a bot Telegram allowed more).
    pub per_second: usize,
}

impl Default for PaceLimits {
    /// Telegram's published limits, with 50 ms of margin for network jitter.
    fn default() -> Self {
        Self { chat_gap: Duration::from_millis(1050), group_per_minute: 20, per_second: 30 }
    }
}

impl std::fmt::Debug for Pacer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pacer").field("limits", &self.limits).field("shared", &self.shared.get().is_some()).finish()
    }
}

/// Hands out send times. Reservations are made in order, so a chat's messages keep their order
/// and nobody waits longer than the limits require.
#[derive(Default)]
pub struct Pacer {
    limits: PaceLimits,
    /// On a database several processes share, each chat's send times are reserved there.
    shared: std::sync::OnceLock<std::sync::Arc<ruban_core::Bot>>,
    chats: Mutex<HashMap<i64, VecDeque<Instant>>>,
    overall: Mutex<VecDeque<Instant>>,
    /// Chats Telegram closed with a 429, until when: nothing goes there before (Telegram
    /// answers an early message with another 429, and longer bans follow).
    closed: Mutex<HashMap<i64, Instant>>,
}

/// The longest a request waits out Telegram's 429s in all before it is given up (logged).
pub const MAX_FLOOD_WAIT: Duration = Duration::from_secs(180);

/// A group's minute, with a second of margin: the limit is counted where Telegram receives the
/// messages, and a photo's upload can take longer than the text before it.
const MINUTE: Duration = Duration::from_secs(61);
/// The overall cap's second, with the same 50 ms of margin as [`PaceLimits::chat_gap`]: Telegram
/// counts a message when it arrives, a moment after the pacer let it go.
const SECOND: Duration = Duration::from_millis(1050);

impl Pacer {
    /// A pacer for these limits.
    pub fn new(limits: PaceLimits) -> Self {
        Self { limits, ..Self::default() }
    }

    /// Reserves send times in the core's store from now on, so that every process on a shared
    /// database keeps each chat inside the limits together (the core decides whether it is
    /// shared). The first call wins.
    pub fn share_through(&self, core: std::sync::Arc<ruban_core::Bot>) {
        let _ = self.shared.set(core);
    }

    /// Records that Telegram closed `chat` for `wait` (a 429's `retry_after`): every message
    /// waiting for its turn there, in this process and (on a shared store) in every other,
    /// waits until it opens again.
    pub async fn close(&self, chat: i64, wait: Duration) {
        let until = Instant::now() + wait;
        {
            let mut closed = self.closed.lock().unwrap_or_else(|e| e.into_inner());
            if closed.len() > 10_000 {
                let now = Instant::now();
                closed.retain(|_, t| *t > now);
            }
            let t = closed.entry(chat).or_insert(until);
            *t = (*t).max(until);
        }
        if let Some(core) = self.shared.get() {
            core.close_chat("telegram", &chat.to_string(), wait).await;
        }
    }

    /// Until when `chat` is closed, as this process or (shared) any process learnt it.
    async fn closed_until(&self, chat: i64) -> Option<Instant> {
        let now = Instant::now();
        let local = self.closed.lock().unwrap_or_else(|e| e.into_inner()).get(&chat).copied().filter(|t| *t > now);
        let shared = match self.shared.get() {
            Some(core) => core.chat_closed_for("telegram", &chat.to_string()).await.map(|d| now + d),
            None => None,
        };
        local.max(shared).filter(|t| *t > now)
    }

    /// Waits until a message may go to `chat`, and counts it. A turn taken before the chat was
    /// closed is given up at its time for a new one after the closing.
    pub async fn wait(&self, chat: i64) {
        let group_cap = if chat < 0 { self.limits.group_per_minute } else { 0 };
        loop {
            let shared = match self.shared.get() {
                Some(core) => core.reserve_send("telegram", &chat.to_string(), self.limits.chat_gap, group_cap).await,
                None => None,
            };
            match shared {
                Some(wait) => sleep(wait).await,
                None => sleep_until(self.reserve(chat, Instant::now())).await,
            }
            match self.closed_until(chat).await {
                Some(open) => {
                    tracing::debug!(chat, "the chat is closed by flood control; waiting for it to open");
                    sleep_until(open).await;
                }
                None => break,
            }
        }
        if self.limits.per_second == 0 {
            return;
        }
        loop {
            let now = Instant::now();
            let next = {
                let mut sent = self.overall.lock().unwrap_or_else(|e| e.into_inner());
                while sent.front().is_some_and(|t| *t + SECOND <= now) {
                    sent.pop_front();
                }
                if sent.len() < self.limits.per_second {
                    sent.push_back(now);
                    None
                } else {
                    sent.front().map(|t| *t + SECOND)
                }
            };
            match next {
                None => return,
                Some(t) => sleep_until(t).await,
            }
        }
    }

    /// The earliest time at or after `now` when `chat` may get another message.
    fn reserve(&self, chat: i64, now: Instant) -> Instant {
        let mut chats = self.chats.lock().unwrap_or_else(|e| e.into_inner());
        if chats.len() > 10_000 {
            chats.retain(|_, q| q.back().is_some_and(|t| *t + MINUTE > now));
        }
        let q = chats.entry(chat).or_default();
        while q.front().is_some_and(|t| *t + MINUTE <= now) {
            q.pop_front();
        }
        let mut at = now;
        if let Some(open) = self.closed.lock().unwrap_or_else(|e| e.into_inner()).get(&chat) {
            at = at.max(*open);
        }
        if let Some(last) = q.back() {
            at = at.max(*last + self.limits.chat_gap);
        }
        let n = self.limits.group_per_minute;
        if chat < 0 && n > 0 && q.len() >= n {
            at = at.max(q[q.len() - n] + MINUTE);
        }
        q.push_back(at);
        at
    }
}

/// Sends a request, retrying 429s after the `retry_after` Telegram gives, and network failures
/// with backoff. A 429 means the request was not carried out, so it is always retried, for as
/// long as Telegram asks up to [`MAX_FLOOD_WAIT`] in all: a card is late rather than lost. A
/// request that may have reached Telegram is retried only if repeating it is harmless
/// (`idempotent`: an edit); a new message or a click's answer is retried only when the
/// connection never opened, so it is never sent twice.
pub async fn call<R>(req: &R, idempotent: bool) -> Result<Output<R>, RequestError>
where
    R: Request<Err = RequestError>,
{
    call_paced(req, idempotent, None).await
}

/// Like [`call`], for a message or an edit sent in its chat's turn: after a 429 it waits for
/// the chat's turn again (a new one, after every message reserved meanwhile), so a retry never
/// collides with the next message and draws another 429.
pub async fn call_paced<R>(req: &R, idempotent: bool, turn: Option<(&Pacer, i64)>) -> Result<Output<R>, RequestError>
where
    R: Request<Err = RequestError>,
{
    let mut backoff = Duration::from_millis(250);
    let mut attempt = 0;
    let mut flood_waited = Duration::ZERO;
    loop {
        attempt += 1;
        match req.send_ref().await {
            Err(RequestError::RetryAfter(after)) if flood_waited + after.duration() <= MAX_FLOOD_WAIT => {
                metrics::counter!("ruban_platform_retries_total", "platform" => "telegram").increment(1);
                tracing::warn!(retry_after = ?after.duration(), "Telegram asked to slow down");
                flood_waited += after.duration();
                // The whole chat is closed, not only this request: every message queued there
                // (here and in other processes) waits too, then this one takes a new turn.
                match turn {
                    Some((pacer, chat)) => {
                        pacer.close(chat, after.duration()).await;
                        pacer.wait(chat).await;
                    }
                    None => sleep(after.duration()).await,
                }
            }
            Err(RequestError::Network(e)) if attempt < 6 && (idempotent || e.is_connect()) => {
                metrics::counter!("ruban_platform_retries_total", "platform" => "telegram").increment(1);
                tracing::warn!(error = %e, ?backoff, "network error, retrying");
                sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(8));
            }
            Err(e) => {
                metrics::counter!("ruban_platform_errors_total", "platform" => "telegram").increment(1);
                return Err(e);
            }
            ok => return ok,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chats_are_spaced_and_groups_capped_per_minute() {
        let p = Pacer::new(PaceLimits::default());
        let t0 = Instant::now();
        let private: Vec<Instant> = (0..3).map(|_| p.reserve(7, t0)).collect();
        assert_eq!(private[0], t0);
        assert_eq!(private[1] - private[0], Duration::from_millis(1050));
        assert_eq!(private[2] - private[1], Duration::from_millis(1050));
        // Another chat is not held up by the first.
        assert_eq!(p.reserve(8, t0), t0);
        // A group: 20 in the first minute, the 21st one minute after the first.
        let group: Vec<Instant> = (0..21).map(|_| p.reserve(-100, t0)).collect();
        let in_first_minute = group.iter().filter(|t| **t < group[0] + MINUTE).count();
        assert_eq!(in_first_minute, 20);
        assert_eq!(group[20], group[0] + MINUTE);
    }
}
