//! What an adapter hands the core: who, where, in which language, and what they did.

/// A person as the platform knows them. The id never leaves the core unhashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The platform's id for the person.
    pub id: String,
    /// The name the platform shows (used only when the person gives no other).
    pub display_name: String,
    /// The platform's language tag for the person, if it tells.
    pub locale: Option<String>,
}

/// Where a message came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chat {
    /// The platform's id for the chat.
    pub id: String,
    /// A one-to-one conversation with the bot.
    pub private: bool,
}

/// Someone the command is about: the author of the message replied to, or a mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Their platform id, when known.
    pub id: Option<String>,
    /// Their display name.
    pub name: String,
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A text message (a command or not).
    Text(String),
    /// A command the platform already parsed (Discord's slash commands and their options).
    Command(crate::Command),
    /// A click on a button the core sent.
    Click {
        /// The button's id, as the core made it (at most 64 bytes).
        button: String,
    },
}

/// One event from any platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// `telegram`, `discord`, `web`.
    pub platform: String,
    /// Who.
    pub user: User,
    /// Where.
    pub chat: Chat,
    /// Whether the platform says this person administers the chat (may open classes).
    pub is_admin: bool,
    /// Whether this person is a campaign organizer (configured per platform).
    pub is_organizer: bool,
    /// The person the command is about, when the platform resolved a mention or a reply.
    pub target: Option<Target>,
    /// What they did.
    pub action: Action,
}
