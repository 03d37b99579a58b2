//! Cards an adult approved on the teacher's page (issue 34): the core leaves them in the
//! store's outbox for their channel; any process running the Discord bot takes the next one (a
//! lease, so two processes never post the same card), posts it with the bot's REST client on
//! the client's runtime, and clears it. One that fails stays for a later pass.

use std::sync::Arc;
use std::time::Duration;

use serenity::all::{ChannelId, Http};

use crate::gateway;
use crate::handler::channel_message;

/// How often the outbox is looked at when it was empty.
const EVERY: Duration = Duration::from_secs(2);

/// Posts the outbox's Discord cards, until aborted at shutdown. The store lives on the
/// caller's runtime (this task's); the REST call runs on the client's.
pub(crate) async fn deliver(core: Arc<ruban_core::Bot>, http: Arc<Http>, runtime: gateway::Runtime) {
    loop {
        while let Some((id, channel, message)) = core.take_outgoing("discord").await {
            let Some(channel) = channel.parse::<u64>().ok().filter(|c| *c != 0).map(ChannelId::new) else {
                tracing::warn!("an approved card for a channel id Discord cannot have was dropped");
                core.sent_outgoing(id).await;
                continue;
            };
            let Some(handle) = gateway::handle(&runtime) else { return };
            let http = http.clone();
            let sent = handle.spawn(async move { channel.send_message(&http, channel_message(&message)).await }).await;
            match sent {
                Ok(Ok(_)) => core.sent_outgoing(id).await,
                Ok(Err(e)) => {
                    // Left leased: tried again once the lease ends.
                    tracing::warn!(error = %e, "could not post an approved card; it will be tried again");
                    break;
                }
                Err(_) => return,
            }
        }
        tokio::time::sleep(EVERY).await;
    }
}
