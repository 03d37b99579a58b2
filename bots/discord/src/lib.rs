//! Ruban on Discord: a thin serenity adapter. Slash commands and button clicks become core
//! [`ruban_core::Incoming`]s; the core's replies become interaction answers (attachments,
//! buttons, counters updated in place, ephemeral refusals). What lives here is what Discord
//! asks of a bot: localized command registration ([`commands`]), the three-second answer,
//! no mentions ever, sharding, and each interaction handled once.
//!
//! ```text
//! élève › /carte destinataire:@Léa modele:oser message:Lâche pas!
//! Ruban › Voici ta carte pour Léa! 💚   [carte-lea.png]
//! ```
#![warn(missing_docs)]

pub mod commands;
pub mod gateway;
mod handler;
mod outbox;
mod relay;
mod retry;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use serenity::all::{ClientBuilder, ConnectionStage, GatewayIntents, HttpBuilder, ShardManager};

pub use handler::Registration;

/// The adapter's one error type.
#[derive(Debug, thiserror::Error)]
pub enum DiscordError {
    /// `DISCORD_SHARDS` does not read as `N` or `A-B/N`.
    #[error("DISCORD_SHARDS must be a count (\"4\") or a range of a total (\"0-3/8\"), not {0:?}")]
    Shards(String),
    /// serenity could not build the client.
    #[error(transparent)]
    Client(#[from] serenity::Error),
    /// The client's runtime could not start.
    #[error("cannot start the Discord client's runtime: {0}")]
    Runtime(#[from] std::io::Error),
}

/// Which shards this process runs: `DISCORD_SHARDS=4` is shards 0, 1, 2 and 3 of 4;
/// `DISCORD_SHARDS=0-3/8` is shards 0, 1, 2 and 3 of 8 (both ends included, as people write
/// ranges), so the next process takes `4-7/8`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shards {
    /// Shard ids run here, end excluded (a Rust range: `0..4` is shards 0 to 3).
    pub range: Range<u32>,
    /// Shards over all processes.
    pub total: u32,
}

impl Default for Shards {
    fn default() -> Self {
        Self { range: 0..1, total: 1 }
    }
}

impl std::str::FromStr for Shards {
    type Err = DiscordError;

    /// `4` (this process runs all four) or `0-3/8` (shards 0 to 3 of 8).
    fn from_str(s: &str) -> Result<Self, DiscordError> {
        let bad = || DiscordError::Shards(s.to_owned());
        let s = s.trim();
        let shards = match s.split_once('/') {
            None => {
                let total: u32 = s.parse().map_err(|_| bad())?;
                Self { range: 0..total, total }
            }
            Some((range, total)) => {
                let total: u32 = total.trim().parse().map_err(|_| bad())?;
                let (a, b) = range.split_once('-').unwrap_or((range, range));
                let (a, b): (u32, u32) = (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?);
                Self { range: a..b + 1, total }
            }
        };
        if shards.total == 0 || shards.range.is_empty() || shards.range.end > shards.total {
            return Err(bad());
        }
        Ok(shards)
    }
}

/// How to reach Discord.
#[derive(Clone)]
pub struct Settings {
    /// The bot token (never logged).
    pub token: String,
    /// Another base URL for REST calls (a proxy shared by shards, or a test's fake).
    pub api_url: Option<String>,
    /// The shards this process runs.
    pub shards: Shards,
    /// Where to register the slash commands.
    pub registration: Registration,
    /// Role ids whose members may use organizer commands (besides Manage Server), in the
    /// organizer guilds only.
    pub organizer_roles: Vec<u64>,
    /// The guilds where organizer rights exist; elsewhere nobody has campaign-wide rights.
    pub organizer_guilds: Vec<u64>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("api_url", &self.api_url)
            .field("shards", &self.shards)
            .field("registration", &self.registration)
            .finish_non_exhaustive()
    }
}

/// A running bot.
pub struct Running {
    /// Stops every shard.
    pub shards: Arc<ShardManager>,
    /// The client's task.
    task: Option<tokio::task::JoinHandle<()>>,
    /// How many shards this process runs.
    expected: u32,
    /// The shards Discord closed for good, and why.
    closed: gateway::Closed,
    /// The client's own runtime (see [`gateway`]); gone once stopped.
    runtime: gateway::Runtime,
    client: u64,
    /// Posts the cards adults approved ([`outbox::deliver`]); aborted at shutdown.
    outbox: tokio::task::JoinHandle<()>,
}

impl Running {
    /// A readiness check (`/readyz`): every shard this process runs is connected to the
    /// gateway; otherwise how many are, and each shard Discord closed for good with why.
    pub fn probe(
        &self,
    ) -> impl Fn() -> std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + Send>> + Send + Sync + 'static {
        let (shards, expected, closed) = (self.shards.clone(), self.expected, self.closed.clone());
        move || {
            let (shards, closed) = (shards.clone(), closed.clone());
            Box::pin(async move {
                let runners = shards.runners.lock().await;
                let connected = runners.values().filter(|r| r.stage == ConnectionStage::Connected).count();
                let closed: Vec<String> =
                    closed.lock().unwrap_or_else(|e| e.into_inner()).values().map(ToString::to_string).collect();
                if connected as u32 >= expected && closed.is_empty() {
                    Ok(())
                } else if closed.is_empty() {
                    Err(format!("{connected} of {expected} shards connected"))
                } else {
                    Err(format!("{connected} of {expected} shards connected; {}", closed.join("; ")))
                }
            })
        }
    }

    /// This client's number (its runtime's threads are `ruban-dc-<number>`).
    pub fn client_number(&self) -> u64 {
        self.client
    }

    /// The shards Discord closed for good.
    pub fn fatal_closes(&self) -> Vec<gateway::FatalClose> {
        self.closed.lock().unwrap_or_else(|e| e.into_inner()).values().copied().collect()
    }

    /// Closes the gateway connections and waits for the client to end (at most a few seconds).
    pub async fn shutdown(mut self) {
        self.outbox.abort();
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), self.shards.shutdown_all()).await;
        if let Some(mut task) = self.task.take() {
            // A client whose shards Discord all closed never returns: do not wait long.
            if tokio::time::timeout(std::time::Duration::from_millis(500), &mut task).await.is_err() {
                task.abort();
            }
        }
        gateway::stop_runtime(&self.runtime);
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.outbox.abort();
        gateway::unregister(self.client);
        // Never blocks, so it is safe inside another runtime (a test that failed midway).
        gateway::stop_runtime(&self.runtime);
    }
}

/// Connects to the gateway with these shards and answers interactions until shut down.
///
/// The gateway and REST calls run on a runtime of the client's own (see [`gateway`]); the
/// core's work runs on the caller's runtime, where the store lives.
pub async fn start(settings: Settings, core: Arc<ruban_core::Bot>) -> Result<Running, DiscordError> {
    let (client_id, closes) = gateway::register();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name(format!("{}{client_id}", gateway::THREAD_PREFIX))
        .enable_all()
        .build()?;
    let mut http = HttpBuilder::new(&settings.token);
    if let Some(url) = settings.api_url.clone() {
        // serenity's rate limiter ignores the proxy and, without it, serenity forgets how long
        // a 429 said to wait: the relay waits it out (see [`relay`]).
        let relay = match runtime.spawn(async move { relay::start(&url).await }).await {
            Ok(Ok(base)) => base,
            Ok(Err(e)) => {
                runtime.shutdown_background();
                return Err(DiscordError::Runtime(e));
            }
            Err(e) => {
                runtime.shutdown_background();
                return Err(DiscordError::Runtime(std::io::Error::other(e)));
            }
        };
        http = http.proxy(relay).ratelimiter_disabled(true);
    }
    let outbox_core = core.clone();
    let handler = handler::Handler {
        core,
        main: tokio::runtime::Handle::current(),
        registration: settings.registration,
        organizer_roles: settings.organizer_roles.clone(),
        organizer_guilds: settings.organizer_guilds.clone(),
        keyed: Mutex::new(HashMap::new()),
        counters: handler::Counters::default(),
        seen: handler::Seen::default(),
    };
    // Slash commands need no privileged intent, and no message content.
    let http = http.build();
    let built = runtime
        .spawn(async move { ClientBuilder::new_with_http(http, GatewayIntents::empty()).event_handler(handler).await })
        .await;
    let mut client = match built {
        Ok(client) => client?,
        Err(e) => {
            runtime.shutdown_background();
            return Err(DiscordError::Runtime(std::io::Error::other(e)));
        }
    };
    let shards = client.shard_manager.clone();
    let http = client.http.clone();
    let Shards { range, total } = settings.shards;
    let expected = range.end - range.start;
    let task = runtime.spawn(async move {
        if let Err(e) = client.start_shard_range(serenity_range(&range), total).await {
            tracing::error!(error = %e, "the Discord client stopped");
        }
    });
    let closed = gateway::Closed::default();
    let runtime: gateway::Runtime = Arc::new(Mutex::new(Some(runtime)));
    tokio::spawn(gateway::watch(closes, shards.clone(), closed.clone(), runtime.clone()));
    let outbox = tokio::spawn(outbox::deliver(outbox_core, http, runtime.clone()));
    Ok(Running { shards, task: Some(task), expected, closed, runtime, client: client_id, outbox })
}

/// serenity 0.12.5's `start_shard_range(a..b, total)` starts shards `a` through `b`, `b`
/// *included* (it boots `b - a + 1` shards: its docs' `4..7` is "shards 4 through 7"), unlike a
/// Rust range. Handing it `0..1` for one shard started a second, impossible shard `[1, 1]`,
/// which Discord closes with 4010.
fn serenity_range(shards: &Range<u32>) -> Range<u32> {
    shards.start..shards.end - 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_settings_read_counts_and_ranges() {
        assert_eq!("4".parse::<Shards>().unwrap(), Shards { range: 0..4, total: 4 });
        assert_eq!("0-3/8".parse::<Shards>().unwrap(), Shards { range: 0..4, total: 8 });
        assert_eq!("5/8".parse::<Shards>().unwrap(), Shards { range: 5..6, total: 8 });
        for bad in ["0", "x", "4-2/8", "0-8/8", "8/8", "1/0", "", "-1/4", "0-3/x"] {
            assert!(bad.parse::<Shards>().is_err(), "{bad}");
        }
    }

    #[test]
    fn serenity_gets_its_inclusive_range() {
        assert_eq!(serenity_range(&Shards::default().range), 0..0, "one shard: shard 0 only");
        assert_eq!(serenity_range(&"4".parse::<Shards>().unwrap().range), 0..3);
        assert_eq!(serenity_range(&"4-7/8".parse::<Shards>().unwrap().range), 4..7);
    }
}
