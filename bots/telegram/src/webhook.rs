//! The webhook route: Telegram POSTs each update here.
//!
//! Why not teloxide's own route: it acknowledges every update it can read into an unbounded
//! queue, so a flood grows memory without limit and an update is acknowledged whether or not
//! the bot can take it, and it compares the secret with `!=`. This one:
//! - compares `X-Telegram-Bot-Api-Secret-Token` in constant time (`subtle`); a wrong or missing
//!   secret gets 401 and nothing is read;
//! - acknowledges (200) an update only when there is room for it: at most [`MAX_PENDING`]
//!   updates accepted and not yet handled in this process. Beyond that it answers 503 with
//!   `Retry-After`, and Telegram delivers the update again later (it retries what a webhook
//!   refuses), so a flood neither grows memory nor loses an update; so does a process that is
//!   stopping;
//! - records each update with its content in the store before it answers 200
//!   ([`crate::inbox`]): an update this process acknowledged and could not handle (it died) is
//!   handled by another; a store that cannot record it gets 503, and Telegram tries again;
//! - acknowledges and logs a body that is not an update (Telegram would send it forever).

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use teloxide::prelude::*;
use teloxide::stop::{StopFlag, StopToken, mk_stop_token};
use teloxide::types::UpdateKind;
use teloxide::update_listeners::{StatefulListener, UpdateListener};
use tokio::sync::mpsc;
use tokio_stream::wrappers::UnboundedReceiverStream;

use crate::TelegramError;
use crate::inbox::Inbox;
use crate::pace::call;

/// Updates accepted and not yet handled, at most, in one process.
pub const MAX_PENDING: usize = 1024;

/// Updates accepted by the route and not yet handled. The handlers count each one down when
/// it is done ([`Pending::done`]); in long polling nothing counts up, and nothing goes below 0.
#[derive(Debug, Default)]
pub struct Pending(AtomicUsize);

impl Pending {
    /// Takes a place for one more update, if there is room.
    fn take(&self, max: usize) -> bool {
        self.0.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max).then_some(n + 1)).is_ok()
    }

    /// One more update, taken over from a process that stopped ([`crate::inbox::sweep`]).
    pub(crate) fn add(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }

    /// One update is done (handled, skipped as already handled, or unreadable).
    pub fn done(&self) {
        let _ = self.0.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
    }

    /// How many are waiting or being handled.
    pub fn now(&self) -> usize {
        self.0.load(Ordering::Acquire)
    }
}

#[derive(Clone)]
struct RouteState {
    secret: Arc<String>,
    tx: mpsc::UnboundedSender<Result<Update, Infallible>>,
    pending: Arc<Pending>,
    max: usize,
    stopped: StopFlag,
    inbox: Inbox,
}

/// Registers the webhook with Telegram (`setWebhook` with the secret) and returns the update
/// listener for the dispatcher and the route to serve at `url`'s path. The listener ends once
/// every copy of the route is dropped (the web server stopped), after the updates it had
/// acknowledged.
pub async fn start(
    bot: &Bot,
    url: url::Url,
    secret: String,
    pending: Arc<Pending>,
    max: usize,
    inbox: Inbox,
) -> Result<(impl UpdateListener<Err = Infallible> + use<>, axum::Router), TelegramError> {
    let mut req = bot.set_webhook(url.clone());
    req.secret_token = Some(secret.clone());
    req.max_connections = Some(40);
    call(&req, true).await?;
    let (tx, rx) = mpsc::unbounded_channel();
    let (stop_token, stopped) = mk_stop_token();
    let state = RouteState { secret: Arc::new(secret), tx, pending, max, stopped, inbox };
    let router = axum::Router::new().route(url.path(), axum::routing::post(receive)).with_state(state);
    let listener = StatefulListener::new((UnboundedReceiverStream::new(rx), stop_token), first, token);
    Ok((listener, router))
}

fn first<A, B>(state: &mut (A, B)) -> &mut A {
    &mut state.0
}

fn token<A>(state: &mut (A, StopToken)) -> StopToken {
    state.1.clone()
}

async fn receive(State(state): State<RouteState>, headers: HeaderMap, body: String) -> Response {
    use subtle::ConstantTimeEq;
    let given = headers.get("x-telegram-bot-api-secret-token").map(|v| v.as_bytes()).unwrap_or_default();
    if !bool::from(given.ct_eq(state.secret.as_bytes())) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let busy = || (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "2")]).into_response();
    if state.stopped.is_stopped() {
        return busy();
    }
    let update = match serde_json::from_str::<Update>(&body) {
        Ok(u) if !matches!(u.kind, UpdateKind::Error(_)) => u,
        _ => {
            tracing::warn!("skipped an update the bot cannot read");
            return StatusCode::OK.into_response();
        }
    };
    if !state.pending.take(state.max) {
        metrics::counter!("ruban_webhook_refused_total", "reason" => "full").increment(1);
        tracing::warn!(pending = state.pending.now(), "too many updates waiting: Telegram will deliver this one again");
        return busy();
    }
    // Recorded before the 200: from here a dead process's update is taken over by another.
    match state.inbox.receive(&update, &body).await {
        Some(true) => {}
        Some(false) => {
            state.pending.done();
            return StatusCode::OK.into_response();
        }
        None => {
            state.pending.done();
            return busy();
        }
    }
    if state.tx.send(Ok(update)).is_err() {
        state.pending.done();
        return busy();
    }
    StatusCode::OK.into_response()
}
