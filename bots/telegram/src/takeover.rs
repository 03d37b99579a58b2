//! Updates whose process died before handling them, taken over by any process of the bot.
//!
//! Its own module so that the inbox (recording and leasing updates) does not need the handler
//! tree, and the handlers need only the inbox.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::Me;

use crate::handlers::{Adapter, schema};
use crate::inbox::Inbox;

/// Takes over, every third of a lease, the updates whose process died before handling them,
/// and handles them here as the dispatcher would, until `stop` turns true; then waits for those
/// it started.
pub async fn sweep(
    bot: Bot,
    me: Me,
    core: Arc<ruban_core::Bot>,
    adapter: Arc<Adapter>,
    inbox: Inbox,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut running = tokio::task::JoinSet::new();
    loop {
        for taken in core.take_unfinished(&inbox.prefix(), inbox.lease, 50).await {
            let Ok(update) = serde_json::from_str::<Update>(&taken.payload) else {
                tracing::warn!("skipped an unfinished update the bot cannot read");
                core.delivered(&taken.event_key).await;
                continue;
            };
            tracing::info!(update_id = update.id.0, "took over an update whose process stopped before handling it");
            metrics::counter!("ruban_telegram_updates_taken_over_total").increment(1);
            adapter.pending.add();
            let (adapter, inbox) = (adapter.clone(), inbox.clone());
            let deps = dptree::deps![update, bot.clone(), me.clone(), core.clone(), adapter.clone(), inbox.clone()];
            running.spawn(async move {
                match schema().dispatch(deps).await {
                    std::ops::ControlFlow::Break(Err(e)) => tracing::warn!(error = %e, "a taken-over update failed"),
                    std::ops::ControlFlow::Break(Ok(())) => {}
                    // Of a kind the bot does not handle: done with.
                    std::ops::ControlFlow::Continue(_) => {
                        inbox.core.delivered(&taken.event_key).await;
                        adapter.pending.done();
                    }
                }
            });
        }
        while running.try_join_next().is_some() {}
        tokio::select! {
            _ = tokio::time::sleep(inbox.lease / 3) => {}
            _ = stop.wait_for(|s| *s) => break,
        }
    }
    while running.join_next().await.is_some() {}
}
