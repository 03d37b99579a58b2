//! What the core hands back: platform-neutral messages with text, images, files and buttons.

use std::sync::Arc;

use ruban_vocabulary::Locale;

/// An image or file to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// The bytes (PNG, CSV…).
    pub bytes: Arc<Vec<u8>>,
    /// A file name with its extension.
    pub file_name: String,
    /// A short description (alt text, caption for screen readers).
    pub alt: String,
}

/// A button under a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Button {
    /// What a click sends back in [`crate::Action::Click`]; at most 64 bytes (Telegram's limit).
    pub id: String,
    /// The localised label.
    pub label: String,
}

/// One message to send, or to put in place of an earlier one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutMessage {
    /// A stable name for this message (e.g. `class-<code>`), so later replies can edit it.
    pub key: Option<String>,
    /// When set, this message replaces the earlier message with that key.
    pub edits: Option<String>,
    /// Orders the states of a keyed message (a class counter): an adapter that coalesces or
    /// reorders edits keeps the highest, so the last edit shown is the latest state.
    pub revision: Option<u64>,
    /// Localised text, plain (adapters escape it for their markup).
    pub text: String,
    /// Images.
    pub images: Vec<Attachment>,
    /// Other files (CSV).
    pub files: Vec<Attachment>,
    /// Buttons, in rows of one.
    pub buttons: Vec<Button>,
    /// Only for the person who acted (a toast, an ephemeral reply), when the platform can.
    pub private: bool,
    /// For the person who acted and nobody else, even where private answers show in the chat
    /// (a Telegram group): an adapter that cannot answer privately in the chat sends it to the
    /// person's own private chat, and if it cannot write there, sends [`OutMessage::unreachable`]
    /// in the chat instead. The help lines after a self-harm phrase travel so.
    pub personal: bool,
    /// What the chat sees when a [`OutMessage::personal`] message cannot reach the person
    /// (« écris-moi en privé »); it never carries the personal text.
    pub unreachable: Option<String>,
    /// A card kept for an adult's decision ([`crate::Bot::approve_held_card`]): not a
    /// refusal, so a page shows it as thanks.
    pub awaits_adult: bool,
    /// The language of a keyed message (a class counter), so whoever edits it later, in any
    /// process and whatever the clicker's language, keeps it in that language.
    pub locale: Option<Locale>,
}

impl OutMessage {
    /// A text message.
    pub fn text(text: impl Into<String>) -> Self {
        Self { text: text.into(), ..Self::default() }
    }
}

/// Everything the core answers to one [`crate::Incoming`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reply {
    /// Messages, in order.
    pub messages: Vec<OutMessage>,
}

impl Reply {
    /// One message.
    pub fn one(message: OutMessage) -> Self {
        Self { messages: vec![message] }
    }
}
