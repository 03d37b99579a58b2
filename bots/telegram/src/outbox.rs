//! Cards an adult approved on the teacher's page (issue 34): the core leaves them in the
//! store's outbox for their chat; any process running the Telegram bot takes the next one (a
//! lease, so two processes never post the same card), posts it in the chat's turn, and clears
//! it. One that fails stays for a later pass, by this process or another.

use std::sync::Arc;
use std::time::Duration;

use teloxide::Bot;
use teloxide::types::ChatId;

use crate::handlers::{Adapter, post};

/// How often the outbox is looked at when it was empty.
pub(crate) const EVERY: Duration = Duration::from_secs(2);

/// Posts the outbox's Telegram cards until `stop` says so.
pub(crate) async fn deliver(
    bot: Bot,
    core: Arc<ruban_core::Bot>,
    adapter: Arc<Adapter>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    loop {
        while let Some((id, chat, message)) = core.take_outgoing("telegram").await {
            let Ok(chat) = chat.parse::<i64>() else {
                tracing::warn!("an approved card for a chat id Telegram cannot have was dropped");
                core.sent_outgoing(id).await;
                continue;
            };
            match post(&bot, &adapter, core.texts(), ChatId(chat), None, &message).await {
                Ok(_) => core.sent_outgoing(id).await,
                Err(e) => {
                    // Left leased: tried again once the lease ends.
                    tracing::warn!(error = %e, "could not post an approved card; it will be tried again");
                    break;
                }
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            _ = stop.wait_for(|s| *s) => break,
        }
    }
}
