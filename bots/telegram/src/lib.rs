//! Ruban on Telegram: a thin teloxide adapter. Each update becomes a core [`Incoming`]; the
//! core's [`Reply`] becomes Telegram calls (photos, documents, inline keyboards, edits, toasts).
//! No bot logic lives here; what does live here is what Telegram asks of a well-behaved bot:
//! its rate limits ([`pace`]), coalesced counter edits ([`edits`]), command menus per language
//! ([`menu`]), each update handled once even when delivered twice, long polling or a webhook.
//!
//! ```text
//! élève › /carte Léa
//! Ruban › [photo: carte-lea.png] Voici ta carte pour Léa! 💚
//! ```
#![warn(missing_docs)]

mod edits;
mod handlers;
pub mod inbox;
pub mod menu;
mod outbox;
pub mod pace;
pub mod takeover;
pub mod webhook;

use std::sync::Arc;

use teloxide::dispatching::ShutdownToken;
use teloxide::error_handlers::LoggingErrorHandler;
use teloxide::prelude::*;

pub use handlers::{Adapter, HandlerError, schema};
pub use pace::PaceLimits;

/// The adapter's one error type.
#[derive(Debug, thiserror::Error)]
pub enum TelegramError {
    /// A URL in the settings does not parse.
    #[error("{what} is not a valid URL: {source}")]
    Url {
        /// Which setting.
        what: &'static str,
        /// Why.
        source: url::ParseError,
    },
    /// Telegram (or the configured Bot API server) refused a set-up call.
    #[error("Telegram refused the set-up: {0}")]
    Request(#[from] teloxide::RequestError),
}

/// How to reach Telegram and how to receive updates.
#[derive(Clone, Default)]
pub struct Settings {
    /// The bot's token (never logged).
    pub token: String,
    /// Another Bot API server (self-hosted, or a test's fake); Telegram's by default.
    pub api_url: Option<String>,
    /// Webhook mode: the public HTTPS URL Telegram posts updates to (its path is served by the
    /// returned router). Long polling when absent.
    pub webhook_url: Option<String>,
    /// The secret Telegram sends back in `X-Telegram-Bot-Api-Secret-Token` (webhook mode).
    pub webhook_secret: Option<String>,
    /// This server's public base URL, for inline mode (Telegram fetches card images there).
    pub public_url: Option<String>,
    /// Rate limits to respect.
    pub pace: PaceLimits,
    /// Webhook mode: updates acknowledged and not yet handled, at most (the rest get 503 and
    /// Telegram delivers them again later); [`webhook::MAX_PENDING`] when None.
    pub webhook_queue: Option<usize>,
    /// Telegram user ids of the campaign's organizers (`TELEGRAM_ORGANIZERS`): they get
    /// `/totaux` in their private chat with the bot. Telegram has no campaign-wide role, so
    /// organizers are named; none: nobody has it on Telegram.
    pub organizers: Vec<u64>,
    /// How long a process holds an update it handles before another may take it over (it
    /// renews the hold while it works); [`inbox::LEASE`] when None. Tests shorten it.
    pub inbox_lease: Option<std::time::Duration>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("api_url", &self.api_url)
            .field("webhook_url", &self.webhook_url)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

/// A running bot.
pub struct Running {
    /// Webhook mode: the route to serve (merge it into the web server's router).
    pub router: Option<axum::Router>,
    /// Stops the dispatcher (in-flight updates finish).
    pub stop: ShutdownToken,
    /// The dispatcher's task.
    pub task: tokio::task::JoinHandle<()>,
    adapter: Arc<Adapter>,
    bot: Bot,
    /// Takes over updates whose process died ([`takeover::sweep`]); told to stop at shutdown.
    sweep: tokio::task::JoinHandle<()>,
    /// Posts the cards adults approved ([`outbox::deliver`]); stopped with the sweep.
    outbox: tokio::task::JoinHandle<()>,
    stop_sweep: tokio::sync::watch::Sender<bool>,
}

impl Running {
    /// A readiness check (`/readyz`): the Bot API answers `getMe`, so the token is good and the
    /// server reachable. Its error names what failed, never the URL (which holds the token).
    pub fn probe(
        &self,
    ) -> impl Fn() -> std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + Send>> + Send + Sync + 'static {
        let bot = self.bot.clone();
        move || {
            let bot = bot.clone();
            Box::pin(async move {
                match bot.get_me().await {
                    Ok(_) => Ok(()),
                    Err(teloxide::RequestError::Network(e)) => Err(if e.is_connect() {
                        "Bot API unreachable: cannot connect".to_owned()
                    } else if e.is_timeout() {
                        "Bot API unreachable: timed out".to_owned()
                    } else {
                        "Bot API unreachable: the request failed".to_owned()
                    }),
                    Err(teloxide::RequestError::Api(e)) => Err(format!("Bot API refused getMe: {e}")),
                    Err(_) => Err("Bot API answered getMe unexpectedly".to_owned()),
                }
            })
        }
    }

    /// Stops taking updates, waits for those in flight and for queued counter edits.
    /// In webhook mode the web server must have stopped first: its route feeds the dispatcher.
    pub async fn shutdown(mut self) {
        // The route holds the update channel open; the dispatcher ends once no copy is left.
        self.router = None;
        if let Ok(done) = self.stop.shutdown() {
            done.await;
        }
        let _ = self.task.await;
        let _ = self.stop_sweep.send(true);
        let _ = self.sweep.await;
        let _ = self.outbox.await;
        self.adapter.flush().await;
    }
}

/// A secret for one process's webhook when none is configured (`ruban serve` always passes one,
/// the same for every process).
fn random_secret() -> String {
    use std::hash::{BuildHasher, Hasher};
    (0..4)
        .map(|i| {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_u32(i);
            format!("{:016x}", h.finish())
        })
        .collect()
}

fn parse_url(what: &'static str, raw: &str) -> Result<url::Url, TelegramError> {
    raw.parse().map_err(|source| TelegramError::Url { what, source })
}

/// Starts the bot: registers its command menus, then long polling, or a webhook route when
/// `webhook_url` is set (served by the caller's axum server).
pub async fn start(settings: Settings, core: Arc<ruban_core::Bot>) -> Result<Running, TelegramError> {
    let mut bot = Bot::new(settings.token.clone());
    if let Some(url) = &settings.api_url {
        bot = bot.set_api_url(parse_url("TELEGRAM_API_URL", url)?);
    }
    let me = bot.get_me().await?;
    menu::register(&bot, core.texts()).await?;
    let adapter = Adapter::new(settings.pace, settings.public_url.clone(), me.username.clone())
        .with_organizers(settings.organizers.iter().copied());
    adapter.pace_with(core.clone());
    let inbox = inbox::Inbox::new(core.clone(), &me, settings.inbox_lease.unwrap_or(inbox::LEASE));
    let mut dispatcher = dispatcher(bot.clone(), core.clone(), adapter.clone(), inbox.clone());
    let stop = dispatcher.shutdown_token();
    let (router, task) = match &settings.webhook_url {
        Some(url) => {
            let url = parse_url("TELEGRAM_WEBHOOK_URL", url)?;
            let secret = settings.webhook_secret.clone().unwrap_or_else(random_secret);
            let (listener, router) = webhook::start(
                &bot,
                url,
                secret,
                adapter.pending.clone(),
                settings.webhook_queue.unwrap_or(webhook::MAX_PENDING),
                inbox.clone(),
            )
            .await?;
            let task = tokio::spawn(async move {
                dispatcher.dispatch_with_listener(listener, LoggingErrorHandler::with_custom_text("webhook")).await
            });
            (Some(router), task)
        }
        None => {
            let polling = teloxide::update_listeners::polling_default(bot.clone()).await;
            let listener = inbox::Recorded::new(polling, inbox.clone());
            let task = tokio::spawn(async move {
                dispatcher.dispatch_with_listener(listener, LoggingErrorHandler::with_custom_text("long polling")).await
            });
            (None, task)
        }
    };
    let (stop_sweep, stopped) = tokio::sync::watch::channel(false);
    let outbox = tokio::spawn(outbox::deliver(bot.clone(), core.clone(), adapter.clone(), stopped.clone()));
    let sweep = tokio::spawn(takeover::sweep(bot.clone(), me, core, adapter.clone(), inbox, stopped));
    Ok(Running { router, stop, task, adapter, bot, sweep, outbox, stop_sweep })
}

/// The dispatcher over the handler tree. Every update is handled at once, none waiting for
/// another: by default teloxide handles a chat's updates one after the other, so in a busy
/// class group the clicks waited behind the cards (each waiting for the group's message slot)
/// and Telegram refused their answers as too old; and a full per-chat queue stalled the
/// dispatcher for every chat. A chat's messages still go out in order of their turn (the
/// [`pace::Pacer`] hands out turns in the order replies ask).
pub fn dispatcher(
    bot: Bot,
    core: Arc<ruban_core::Bot>,
    adapter: Arc<Adapter>,
    inbox: inbox::Inbox,
) -> Dispatcher<Bot, HandlerError, ()> {
    let pending = adapter.pending.clone();
    let done = inbox.clone();
    Dispatcher::builder(bot, schema())
        .distribution_function(|_| None::<()>)
        .dependencies(dptree::deps![core, adapter, inbox])
        .default_handler(move |update| {
            let (pending, done) = (pending.clone(), done.clone());
            async move {
                // An update of a kind the bot does not handle lands here; the bot goes on.
                tracing::debug!(update_id = update.id.0, "skipped an update the bot does not handle");
                done.hold(&update, async {}).await;
                pending.done();
            }
        })
        .error_handler(LoggingErrorHandler::with_custom_text("a Telegram handler failed"))
        .build()
}
