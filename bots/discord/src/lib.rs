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
mod handler;
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
}

/// Which shards this process runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shards {
    /// Shard ids run here.
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
    /// Role ids whose members may use organizer commands (besides Manage Server).
    pub organizer_roles: Vec<u64>,
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
    pub task: tokio::task::JoinHandle<()>,
    /// How many shards this process runs.
    expected: u32,
}

impl Running {
    /// A readiness check (`/readyz`): every shard this process runs is connected to the
    /// gateway.
    pub fn probe(
        &self,
    ) -> impl Fn() -> std::pin::Pin<Box<dyn Future<Output = Result<(), String>> + Send>> + Send + Sync + 'static {
        let (shards, expected) = (self.shards.clone(), self.expected);
        move || {
            let shards = shards.clone();
            Box::pin(async move {
                let runners = shards.runners.lock().await;
                let connected = runners.values().filter(|r| r.stage == ConnectionStage::Connected).count();
                if connected as u32 >= expected {
                    Ok(())
                } else {
                    Err(format!("{connected} of {expected} shards connected"))
                }
            })
        }
    }

    /// Closes the gateway connections and waits for the client to end.
    pub async fn shutdown(self) {
        self.shards.shutdown_all().await;
        let _ = self.task.await;
    }
}

/// Connects to the gateway with these shards and answers interactions until shut down.
pub async fn start(settings: Settings, core: Arc<ruban_core::Bot>) -> Result<Running, DiscordError> {
    let mut http = HttpBuilder::new(&settings.token);
    if let Some(url) = &settings.api_url {
        // serenity's rate limiter ignores the proxy; the bot's own retries take its place.
        http = http.proxy(url.trim_end_matches('/')).ratelimiter_disabled(true);
    }
    let handler = handler::Handler {
        core,
        registration: settings.registration,
        organizer_roles: settings.organizer_roles.clone(),
        keyed: Mutex::new(HashMap::new()),
    };
    // Slash commands need no privileged intent, and no message content.
    let mut client = ClientBuilder::new_with_http(http.build(), GatewayIntents::empty()).event_handler(handler).await?;
    let shards = client.shard_manager.clone();
    let Shards { range, total } = settings.shards;
    let expected = range.end - range.start;
    let task = tokio::spawn(async move {
        if let Err(e) = client.start_shard_range(range, total).await {
            tracing::error!(error = %e, "the Discord client stopped");
        }
    });
    Ok(Running { shards, task, expected })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_settings_read_counts_and_ranges() {
        assert_eq!("4".parse::<Shards>().unwrap(), Shards { range: 0..4, total: 4 });
        assert_eq!("0-3/8".parse::<Shards>().unwrap(), Shards { range: 0..4, total: 8 });
        assert_eq!("5/8".parse::<Shards>().unwrap(), Shards { range: 5..6, total: 8 });
        for bad in ["0", "x", "4-2/8", "0-8/8", "1/0", ""] {
            assert!(bad.parse::<Shards>().is_err(), "{bad}");
        }
    }
}
