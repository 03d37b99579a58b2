//! Fatal gateway closes, seen and stopped.
//!
//! Discord closes a connection it will never accept with a code: 4004 (authentication
//! failed), 4010 (invalid shard), 4011 (sharding required), 4012 (invalid API version), 4013
//! and 4014 (intents). Reconnecting cannot help. serenity 0.12.5 stops by itself on 4004, 4013
//! and 4014, but on 4010 and 4011 its shard runner keeps reading the closed socket, which
//! answers at once, so it loops without ever yielding until the next heartbeat fails, then
//! reconnects and does it again (measured: one core at 100%, the web side starved, SIGTERM
//! ignored); on 4012 it reconnects every five seconds for ever.
//!
//! serenity tells of these closes only in its log lines, with the shard in them, so this
//! module reads them: [`layer`] is a `tracing` layer the binary adds to its subscriber. Each
//! Discord client runs on a runtime of its own whose threads are named after the client
//! (`ruban-dc-<n>`), which says whose shard closed even when several clients share a process
//! (tests); the client's watcher then stops that shard (a message the looping runner reads on
//! its next turn) or, on 4012, the whole client (its runtime), logs the reason once in plain
//! words and keeps it for `/readyz`. The
//! client's own runtime also keeps any other serenity trouble off the runtime that serves the
//! web and Telegram.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use serenity::all::{ShardId, ShardManager};
use serenity::gateway::ShardRunnerMessage;
use tokio::sync::mpsc;
use tracing::Subscriber;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{Filtered, Targets};
use tracing_subscriber::layer::Context;

/// The prefix of every Discord client runtime's thread names.
pub(crate) const THREAD_PREFIX: &str = "ruban-dc-";

/// A close Discord will repeat however often the shard reconnects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FatalClose {
    /// The shard Discord closed.
    pub shard: u32,
    /// Discord's close code.
    pub code: u16,
}

impl FatalClose {
    /// Whether only stopping the whole client ends serenity's retries (see [`watch`]).
    fn stops_the_client(&self) -> bool {
        self.code == 4012
    }

    /// What the code means, and what the operator can do about it.
    pub fn reason(&self) -> &'static str {
        match self.code {
            4004 => "authentication failed: check DISCORD_TOKEN",
            4010 => "invalid shard: check DISCORD_SHARDS (ids must be below the total)",
            4011 => {
                "sharding required: the bot is in too many servers for this shard count; raise the total in DISCORD_SHARDS"
            }
            4012 => {
                "invalid API version: this version of Ruban speaks a gateway version Discord no longer accepts; upgrade Ruban"
            }
            4013 => "invalid intents",
            4014 => "disallowed intents: enable them in the developer portal or ask for fewer",
            _ => "closed by Discord",
        }
    }
}

impl std::fmt::Display for FatalClose {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "shard {} closed by Discord with {} ({})", self.shard, self.code, self.reason())
    }
}

/// Clients that want to hear of their fatal closes, by client number.
fn listeners() -> &'static Mutex<HashMap<u64, mpsc::UnboundedSender<FatalClose>>> {
    static LISTENERS: OnceLock<Mutex<HashMap<u64, mpsc::UnboundedSender<FatalClose>>>> = OnceLock::new();
    LISTENERS.get_or_init(Mutex::default)
}

static NEXT_CLIENT: AtomicU64 = AtomicU64::new(1);
static LAYER_INSTALLED: AtomicBool = AtomicBool::new(false);

/// A new client number and the channel its fatal closes arrive on.
pub(crate) fn register() -> (u64, mpsc::UnboundedReceiver<FatalClose>) {
    let id = NEXT_CLIENT.fetch_add(1, Ordering::Relaxed);
    let (tx, rx) = mpsc::unbounded_channel();
    listeners().lock().unwrap_or_else(|e| e.into_inner()).insert(id, tx);
    if !LAYER_INSTALLED.load(Ordering::Relaxed) {
        tracing::warn!("ruban_discord::gateway::layer is not in the subscriber: fatal gateway closes go unseen");
    }
    (id, rx)
}

pub(crate) fn unregister(id: u64) {
    listeners().lock().unwrap_or_else(|e| e.into_inner()).remove(&id);
}

/// The `tracing` layer that sees fatal gateway closes in serenity's log lines. It carries its
/// own filter (serenity's gateway, warnings and errors), so it works whatever `RUST_LOG` says
/// as long as the subscriber's other filters are per layer.
pub fn layer<S>() -> Filtered<Watch, Targets, S>
where
    S: Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    LAYER_INSTALLED.store(true, Ordering::Relaxed);
    Watch.with_filter(Targets::new().with_target("serenity::gateway", tracing::Level::WARN))
}

/// See [`layer`].
#[derive(Debug)]
pub struct Watch;

impl<S: Subscriber> Layer<S> for Watch {
    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        let Some(client) = std::thread::current().name().and_then(|n| n.strip_prefix(THREAD_PREFIX)?.parse().ok())
        else {
            return;
        };
        let mut message = Message(String::new());
        event.record(&mut message);
        if let Some(close) = parse(&message.0)
            && let Some(tx) = listeners().lock().unwrap_or_else(|e| e.into_inner()).get(&client)
        {
            let _ = tx.send(close);
        }
    }
}

struct Message(String);

impl tracing::field::Visit for Message {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}

/// Reads serenity 0.12.5's lines (`shard.rs`, `handle_gateway_closed`): `[ShardInfo { id:
/// ShardId(1), total: 1 }] Sent invalid shard data.`
fn parse(line: &str) -> Option<FatalClose> {
    let code = if line.contains("Sent invalid authentication") {
        4004
    } else if line.contains("Sent invalid shard data") {
        4010
    } else if line.contains("Shard has too many guilds") {
        4011
    } else if line.contains("Invalid gateway intents") {
        4013
    } else if line.contains("Disallowed gateway intents") {
        4014
    } else if let Some(rest) = line.split("Unknown unclean close ").nth(1) {
        let code: u16 = rest.split(|c: char| !c.is_ascii_digit()).next()?.parse().ok()?;
        if !(4004..=4014).contains(&code) || matches!(code, 4005..=4009) {
            return None;
        }
        code
    } else {
        return None;
    };
    let shard = line.split("ShardId(").nth(1)?.split(')').next()?.parse().ok()?;
    Some(FatalClose { shard, code })
}

/// The fatal closes a client has had, by shard (for `/readyz`).
pub(crate) type Closed = Arc<Mutex<BTreeMap<u32, FatalClose>>>;

/// The client's own runtime, which the watcher may have to stop (see [`watch`]).
pub(crate) type Runtime = Arc<Mutex<Option<tokio::runtime::Runtime>>>;

/// A handle to the client's runtime while it runs.
pub(crate) fn handle(runtime: &Runtime) -> Option<tokio::runtime::Handle> {
    runtime.lock().unwrap_or_else(|e| e.into_inner()).as_ref().map(|r| r.handle().clone())
}

/// Stops the client's runtime, at once and without waiting for its tasks (never blocks, so it
/// is safe from inside another runtime).
pub(crate) fn stop_runtime(runtime: &Runtime) -> bool {
    let taken = runtime.lock().unwrap_or_else(|e| e.into_inner()).take();
    taken.map(tokio::runtime::Runtime::shutdown_background).is_some()
}

/// Stops each shard Discord closed for good, once, and keeps why.
///
/// How it stops matters, because of more serenity 0.12.5 traps: its `Shutdown` message waits
/// for Discord's answering close frame and loops for ever on a socket that is already closed,
/// and a shard it stopped by itself (4004, 4013, 4014) stays in its list, so stopping all
/// shards later waits five seconds for it. So the looping runner (4010, 4011) gets a `Close`,
/// which fails on the closed socket and ends it without a restart, and every closed shard
/// leaves the list.
///
/// On 4012 serenity's runner is not looping but restarting: it asks its manager for a new
/// connection, which identifies again five seconds later, for ever, and listens to no message
/// meanwhile. Nothing but its tasks' end stops that, and since 4012 is about the API version
/// every shard of the client speaks (each would get it), the whole client stops: its runtime
/// is shut down, which drops the runner, the queuer and the client's task before the next
/// IDENTIFY. Other clients, the web side and Telegram run on other runtimes and go on.
pub(crate) async fn watch(
    mut closes: mpsc::UnboundedReceiver<FatalClose>,
    shards: Arc<ShardManager>,
    closed: Closed,
    runtime: Runtime,
) {
    while let Some(close) = closes.recv().await {
        let first = closed.lock().unwrap_or_else(|e| e.into_inner()).insert(close.shard, close).is_none();
        if close.stops_the_client() {
            if stop_runtime(&runtime) {
                tracing::error!("Discord: {close}; this Discord client stays off until the configuration is fixed");
            }
            // Every runner of the client ended with its runtime.
            shards.runners.lock().await.clear();
            continue;
        }
        if first {
            tracing::error!("Discord: {close}; this shard stays off until the configuration is fixed");
        }
        let mut runners = shards.runners.lock().await;
        if let Some(runner) = runners.remove(&ShardId(close.shard))
            && matches!(close.code, 4010 | 4011)
        {
            runner.runner_tx.send_to_shard(ShardRunnerMessage::Close(1000, None));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serenity_lines_read_as_closes() {
        let shard = "[ShardInfo { id: ShardId(1), total: 1 }]";
        for (line, code) in [
            ("Sent invalid authentication, please check the token.", 4004),
            ("Sent invalid shard data.", 4010),
            ("Shard has too many guilds.", 4011),
            ("Unknown unclean close 4012: Some(\"\")", 4012),
            ("Invalid gateway intents have been provided.", 4013),
            ("Disallowed gateway intents have been provided.", 4014),
        ] {
            assert_eq!(parse(&format!("{shard} {line}")), Some(FatalClose { shard: 1, code }), "{line}");
        }
        for harmless in
            ["Sent invalid seq: 3.", "Unknown unclean close 4000: None", "Gateway ratelimited.", "Invalid session."]
        {
            assert_eq!(parse(&format!("{shard} {harmless}")), None, "{harmless}");
        }
    }
}
