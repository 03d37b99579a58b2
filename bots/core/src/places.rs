//! Where keyed messages live on a platform, so any process edits them in place (see
//! `ruban_store::MessageLocation`), and chats that change their id.

use crate::Bot;
pub use ruban_store::MessageLocation;

impl Bot {
    /// Remembers where `platform` posted the keyed message `key` (a class counter). A failure
    /// is logged: the next state is then posted anew rather than lost.
    pub async fn remember_message(&self, platform: &str, key: &str, at: &MessageLocation) {
        if let Err(e) = self.store.set_message_location(&format!("{platform}:{key}"), at).await {
            tracing::warn!(error = %e, "could not remember where a counter lives");
        }
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
}
