//! Ruban on Telegram: a thin teloxide adapter. Each update becomes a core [`Incoming`]; the
//! core's [`Reply`] becomes Telegram calls (photos, documents, inline keyboards, edits, toasts).
//! No bot logic lives here.
//!
//! ```text
//! élève › /carte Léa
//! Ruban › [photo: carte-lea.png] Voici ta carte pour Léa! 💚
//! ```
#![warn(missing_docs)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use ruban_core::{Action, Chat, Incoming, OutMessage, Reply, Target, User};
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageEntityKind, MessageId, ParseMode, ReplyParameters,
};

/// The error type of handlers (teloxide's convention).
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// What the adapter remembers: which Telegram message carries each keyed core message (a class
/// counter), so later replies edit it in place.
#[derive(Default)]
pub struct Adapter {
    keys: Mutex<HashMap<(ChatId, String), MessageId>>,
}

impl Adapter {
    /// A new adapter state.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }
}

/// Runs the bot with long polling until the process stops. `api_url` points it at another Bot
/// API server (a self-hosted one, or a test's fake).
pub async fn run_polling(
    token: String,
    api_url: Option<String>,
    core: Arc<ruban_core::Bot>,
) -> Result<(), HandlerError> {
    let mut bot = Bot::new(token);
    if let Some(url) = api_url {
        bot = bot.set_api_url(url.parse()?);
    }
    Dispatcher::builder(bot, schema())
        .dependencies(dptree::deps![core, Adapter::new()])
        .default_handler(|_| async {})
        .build()
        .dispatch()
        .await;
    Ok(())
}

/// The whole handler tree: messages and button clicks.
pub fn schema() -> UpdateHandler<HandlerError> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(on_message))
        .branch(Update::filter_callback_query().endpoint(on_click))
}

/// Telegram caps captions at 1024 characters and messages at 4096.
fn cap(text: &str, max: usize) -> String {
    if text.chars().count() <= max { text.to_owned() } else { text.chars().take(max - 1).chain(['…']).collect() }
}

fn user_of(u: &teloxide::types::User) -> User {
    let mut name = u.first_name.clone();
    if let Some(last) = &u.last_name {
        name.push(' ');
        name.push_str(last);
    }
    User { id: u.id.0.to_string(), display_name: name, locale: u.language_code.clone() }
}

/// Who a card is for: the author of the message replied to, or the first mention.
fn target_of(msg: &Message) -> Option<Target> {
    if let Some(from) = msg.reply_to_message().and_then(|r| r.from.as_ref()).filter(|u| !u.is_bot) {
        return Some(Target { id: Some(from.id.0.to_string()), name: user_of(from).display_name });
    }
    let text = msg.text()?;
    for entity in msg.parse_entities()? {
        match entity.kind() {
            MessageEntityKind::TextMention { user } => {
                return Some(Target { id: Some(user.id.0.to_string()), name: user_of(user).display_name });
            }
            MessageEntityKind::Mention => {
                let name = entity.text().trim_start_matches('@').to_owned();
                if !name.is_empty() && text.contains(entity.text()) {
                    return Some(Target { id: None, name });
                }
            }
            _ => {}
        }
    }
    None
}

async fn is_admin(bot: &Bot, msg: &Message, user: &teloxide::types::User) -> bool {
    if msg.chat.is_private() {
        return true;
    }
    match bot.get_chat_member(msg.chat.id, user.id).await {
        Ok(member) => member.is_privileged(),
        Err(e) => {
            tracing::warn!(error = %e, "getChatMember failed");
            false
        }
    }
}

async fn on_message(
    bot: Bot,
    msg: Message,
    core: Arc<ruban_core::Bot>,
    adapter: Arc<Adapter>,
) -> Result<(), HandlerError> {
    let (Some(text), Some(from)) = (msg.text(), msg.from.as_ref()) else { return Ok(()) };
    if from.is_bot {
        return Ok(());
    }
    let lower = text.to_lowercase();
    let needs_admin = lower.starts_with("/classe") || lower.starts_with("/class");
    let incoming = Incoming {
        platform: "telegram".into(),
        user: user_of(from),
        chat: Chat { id: msg.chat.id.0.to_string(), private: msg.chat.is_private() },
        is_admin: needs_admin && is_admin(&bot, &msg, from).await,
        is_organizer: false,
        target: target_of(&msg),
        action: Action::Text(text.to_owned()),
    };
    let reply = core.handle(incoming).await;
    send(&bot, &adapter, msg.chat.id, Some(msg.id), reply, None).await
}

async fn on_click(
    bot: Bot,
    q: CallbackQuery,
    core: Arc<ruban_core::Bot>,
    adapter: Arc<Adapter>,
) -> Result<(), HandlerError> {
    let (Some(data), Some(message)) = (q.data.clone(), q.regular_message()) else {
        bot.answer_callback_query(q.id.clone()).await?;
        return Ok(());
    };
    let chat_id = message.chat.id;
    let incoming = Incoming {
        platform: "telegram".into(),
        user: user_of(&q.from),
        chat: Chat { id: chat_id.0.to_string(), private: message.chat.is_private() },
        is_admin: false,
        is_organizer: false,
        target: None,
        action: Action::Click { button: data },
    };
    let reply = core.handle(incoming).await;
    send(&bot, &adapter, chat_id, None, reply, Some(&q)).await
}

fn keyboard(m: &OutMessage) -> Option<InlineKeyboardMarkup> {
    (!m.buttons.is_empty()).then(|| {
        InlineKeyboardMarkup::new(
            m.buttons.iter().map(|b| vec![InlineKeyboardButton::callback(cap(&b.label, 64), b.id.clone())]),
        )
    })
}

/// Sends a core reply: edits keyed messages in place, answers a click with the first private
/// message as its toast, and sends the rest as plain text (no parse mode: nothing a person
/// typed is ever read as markup).
async fn send(
    bot: &Bot,
    adapter: &Adapter,
    chat: ChatId,
    reply_to: Option<MessageId>,
    reply: Reply,
    click: Option<&CallbackQuery>,
) -> Result<(), HandlerError> {
    let mut toast: Option<String> = None;
    for m in reply.messages {
        if click.is_some() && m.private && toast.is_none() && m.images.is_empty() && m.buttons.is_empty() {
            toast = Some(cap(&m.text, 200));
            continue;
        }
        if let Some(key) = &m.edits {
            let known = adapter.keys.lock().unwrap_or_else(|e| e.into_inner()).get(&(chat, key.clone())).copied();
            if let Some(id) = known {
                let mut edit = bot.edit_message_text(chat, id, cap(&m.text, 4096));
                edit.reply_markup = keyboard(&m).or_else(|| Some(InlineKeyboardMarkup::default()));
                if let Err(e) = edit.await {
                    // "message is not modified" and the like: the counter is already right.
                    tracing::debug!(error = %e, "edit skipped");
                }
                continue;
            }
        }
        let sent = if let Some(image) = m.images.first() {
            let mut req = bot
                .send_photo(chat, InputFile::memory(image.bytes.as_ref().clone()).file_name(image.file_name.clone()))
                .caption(cap(&m.text, 1024));
            req.reply_markup = keyboard(&m).map(Into::into);
            req.reply_parameters = reply_to.map(ReplyParameters::new);
            req.await?
        } else if let Some(file) = m.files.first() {
            let mut req = bot
                .send_document(chat, InputFile::memory(file.bytes.as_ref().clone()).file_name(file.file_name.clone()))
                .caption(cap(&m.text, 1024));
            req.reply_markup = keyboard(&m).map(Into::into);
            req.await?
        } else {
            let mut req = bot.send_message(chat, cap(&m.text, 4096));
            req.reply_markup = keyboard(&m).map(Into::into);
            req.parse_mode = None::<ParseMode>;
            req.await?
        };
        if let Some(key) = m.key.or(m.edits) {
            adapter.keys.lock().unwrap_or_else(|e| e.into_inner()).insert((chat, key), sent.id);
        }
    }
    if let Some(q) = click {
        let mut answer = bot.answer_callback_query(q.id.clone());
        answer.text = toast;
        answer.await?;
    }
    Ok(())
}
