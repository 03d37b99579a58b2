//! Updates in, core replies out: messages, button clicks and inline queries.

use std::sync::Arc;

use ruban_core::{Action, Chat, Command, Incoming, OutMessage, Photo, Reply, Target, User};
use teloxide::RequestError;
use teloxide::dispatching::UpdateHandler;
use teloxide::prelude::*;
use teloxide::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResult, InlineQueryResultPhoto, InlineQueryResultsButton,
    InlineQueryResultsButtonKind, InputFile, LinkPreviewOptions, MessageEntityKind, MessageId, ParseMode,
    ReplyParameters,
};

use crate::edits::{Ctx, Edits};
use crate::inbox::Inbox;
use crate::pace::{PaceLimits, Pacer, call, call_paced};

/// The error type of handlers (teloxide's convention).
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;

/// What the adapter keeps between updates: the pacer and this process's part in counter
/// edits. Where each counter lives is in the store, so any process edits it.
pub struct Adapter {
    pacer: Arc<Pacer>,
    /// Webhook updates acknowledged and not yet handled ([`crate::webhook`]).
    pub(crate) pending: Arc<crate::webhook::Pending>,
    edits: Arc<Edits>,
    public_url: Option<String>,
    username: Option<String>,
    /// Organizers' user ids ([`crate::Settings::organizers`]).
    organizers: std::collections::HashSet<u64>,
}

impl Adapter {
    /// A new adapter: these limits, this public base URL (inline mode), the bot's username
    /// (deep links).
    pub fn new(pace: PaceLimits, public_url: Option<String>, username: Option<String>) -> Arc<Self> {
        Arc::new(Self {
            pacer: Arc::new(Pacer::new(pace)),
            pending: Arc::default(),
            edits: Arc::new(Edits::default()),
            public_url: public_url.map(|u| u.trim_end_matches('/').to_owned()),
            username,
            organizers: std::collections::HashSet::new(),
        })
    }

    /// The same adapter with these organizers (called once, before it is shared).
    pub fn with_organizers(self: Arc<Self>, ids: impl IntoIterator<Item = u64>) -> Arc<Self> {
        match Arc::try_unwrap(self) {
            Ok(mut a) => {
                a.organizers = ids.into_iter().collect();
                Arc::new(a)
            }
            Err(shared) => shared,
        }
    }

    /// Paces each chat together with the other processes on the core's database when it is
    /// shared (PostgreSQL): Telegram's limits are the bot's, not each process's.
    pub fn pace_with(&self, core: Arc<ruban_core::Bot>) {
        self.pacer.share_through(core);
    }

    /// Waits until every counter edit this process holds went out.
    pub async fn flush(&self) {
        while !self.edits.idle() {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// What counter tasks need: how to reach Telegram and the store, and how a counter is drawn.
    fn ctx(&self, bot: &Bot, core: &Arc<ruban_core::Bot>) -> Ctx {
        let (texts_of, username) = (core.clone(), self.username.clone());
        Ctx {
            bot: bot.clone(),
            core: core.clone(),
            pacer: self.pacer.clone(),
            render: Arc::new(move |m: &OutMessage| {
                (cap(&m.text, 4096), keyboard(username.as_deref(), texts_of.texts(), m))
            }),
        }
    }

    async fn remember(&self, core: &ruban_core::Bot, key: &str, at: (ChatId, MessageId), m: &OutMessage) {
        let location = ruban_core::MessageLocation { chat: at.0.0.to_string(), message: at.1.0.to_string() };
        core.remember_posted("telegram", key, &location, m.revision, m.locale).await;
    }

    /// A group became a supergroup: its classes follow, and nothing is looked for in the old chat.
    async fn moved(&self, core: &ruban_core::Bot, old: ChatId, new: ChatId) {
        tracing::info!("a group was upgraded to a supergroup: its classes follow it");
        core.chat_moved("telegram", &old.0.to_string(), &new.0.to_string()).await;
    }
}

/// The whole handler tree: messages, button clicks and inline queries. Each update reaches
/// it once recorded and taken ([`crate::inbox`]): handled at least once, and never again once
/// it finished, even redelivered after a restart or to another process.
pub fn schema() -> UpdateHandler<HandlerError> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(message_then_done))
        .branch(Update::filter_callback_query().endpoint(click_then_done))
        .branch(Update::filter_inline_query().endpoint(inline_then_done))
}

/// Holds the update's lease while its handler runs, then marks it handled, well or not (a
/// refusal by Telegram is for good: handling it again would not help).
async fn held(
    inbox: &Inbox,
    adapter: &Adapter,
    update: &Update,
    work: impl Future<Output = Result<(), HandlerError>>,
) -> Result<(), HandlerError> {
    let result = inbox.hold(update, work).await;
    adapter.pending.done();
    result
}

async fn message_then_done(
    bot: Bot,
    msg: Message,
    core: Arc<ruban_core::Bot>,
    adapter: Arc<Adapter>,
    update: Update,
    inbox: Inbox,
) -> Result<(), HandlerError> {
    held(&inbox, &adapter, &update, on_message(bot, msg, core, adapter.clone())).await
}

async fn click_then_done(
    bot: Bot,
    q: CallbackQuery,
    core: Arc<ruban_core::Bot>,
    adapter: Arc<Adapter>,
    update: Update,
    inbox: Inbox,
) -> Result<(), HandlerError> {
    held(&inbox, &adapter, &update, on_click(bot, q, core, adapter.clone())).await
}

async fn inline_then_done(
    bot: Bot,
    q: InlineQuery,
    core: Arc<ruban_core::Bot>,
    adapter: Arc<Adapter>,
    update: Update,
    inbox: Inbox,
) -> Result<(), HandlerError> {
    held(&inbox, &adapter, &update, on_inline(bot, q, core, adapter.clone())).await
}

/// Telegram caps captions at 1024 characters, messages at 4096, button labels at 64 (UTF-16).
fn cap(text: &str, max: usize) -> String {
    if text.encode_utf16().count() <= max {
        return text.to_owned();
    }
    let mut out = String::new();
    for c in text.chars() {
        if out.encode_utf16().count() + c.len_utf16() > max - 1 {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
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
    for entity in msg.parse_entities()? {
        match entity.kind() {
            MessageEntityKind::TextMention { user } => {
                return Some(Target { id: Some(user.id.0.to_string()), name: user_of(user).display_name });
            }
            MessageEntityKind::Mention => {
                let name = entity.text().trim_start_matches('@').to_owned();
                if !name.is_empty() {
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
    match call(&bot.get_chat_member(msg.chat.id, user.id), true).await {
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
    // A photo's command is its caption (`/vert` under a photo).
    let (Some(text), Some(from)) = (msg.text().or(msg.caption()), msg.from.as_ref()) else { return Ok(()) };
    if from.is_bot {
        return Ok(());
    }
    // Only what depends on it (the core's table says which) asks Telegram whether the sender
    // administers the group (a call each).
    let needs_admin = ruban_core::table::asks_about_the_sender(text);
    let target = target_of(&msg);
    // Parsed once, here, as the core would (a mention or a reply names the card's recipient).
    let action = match ruban_core::parse::parse(text, target.is_some()) {
        // `/vert` with a photo (or in reply to one): the core gets its bytes.
        Command::Green(None) => match photo_of(&bot, &msg).await {
            Some(photo) => Action::Command(Command::Green(Some(photo))),
            None => Action::Command(Command::Green(None)),
        },
        command => Action::Command(command),
    };
    let incoming = Incoming {
        platform: "telegram".into(),
        user: user_of(from),
        chat: Chat { id: msg.chat.id.0.to_string(), private: msg.chat.is_private() },
        is_admin: needs_admin && is_admin(&bot, &msg, from).await,
        // Campaign-wide totals only in the organizer's private chat with the bot, never in a
        // class group.
        is_organizer: msg.chat.is_private() && adapter.organizers.contains(&from.id.0),
        target,
        action,
    };
    let reply = core.handle(incoming).await;
    send(&bot, &core, &adapter, To { chat: msg.chat.id, reply_to: Some(msg.id), user: from.id, click: None }, reply)
        .await
}

/// The photo a `/vert` is about: the message's own (Telegram's largest size), or an image
/// sent as a file, or the same in the message it replies to; downloaded into memory, at most
/// [`ruban_core::validate::MAX_PHOTO_BYTES`] (bots may download 20 MB). A photo that cannot
/// be fetched comes as no bytes at all, which the core calls unreadable.
async fn photo_of(bot: &Bot, msg: &Message) -> Option<Photo> {
    use futures_util::StreamExt;
    use teloxide::net::Download;
    let file_of = |m: &Message| {
        let photo = m.photo().and_then(|sizes| sizes.iter().max_by_key(|p| u64::from(p.width) * u64::from(p.height)));
        photo.map(|p| p.file.clone()).or_else(|| {
            m.document().filter(|d| d.mime_type.as_ref().is_some_and(|t| t.type_() == "image")).map(|d| d.file.clone())
        })
    };
    let meta = file_of(msg).or_else(|| msg.reply_to_message().and_then(file_of))?;
    let max = ruban_core::validate::MAX_PHOTO_BYTES;
    if meta.size as usize > max {
        return Some(Photo::new(Vec::new()));
    }
    let file = match call(&bot.get_file(meta.id.clone()), true).await {
        Ok(file) => file,
        Err(e) => {
            tracing::warn!(error = %e, "getFile failed");
            return Some(Photo::new(Vec::new()));
        }
    };
    let mut bytes = Vec::with_capacity(meta.size as usize);
    let mut stream = bot.download_file_stream(&file.path);
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) if bytes.len() + chunk.len() <= max => bytes.extend_from_slice(&chunk),
            Ok(_) => return Some(Photo::new(Vec::new())),
            Err(e) => {
                tracing::warn!(error = %e, "a photo's download failed");
                return Some(Photo::new(Vec::new()));
            }
        }
    }
    Some(Photo::new(bytes))
}

async fn on_click(
    bot: Bot,
    q: CallbackQuery,
    core: Arc<ruban_core::Bot>,
    adapter: Arc<Adapter>,
) -> Result<(), HandlerError> {
    let (Some(data), Some(message)) = (q.data.clone(), q.regular_message()) else {
        answer(&bot, &q, None).await;
        return Ok(());
    };
    let chat_id = message.chat.id;
    // A card's « Signaler » may come from the group's administrators (the adults in charge),
    // not only from its recipient: asked of Telegram only for that button.
    let reporting = matches!(ruban_core::ButtonId::parse(&data), Some(ruban_core::ButtonId::Report(_)))
        && !message.chat.is_private();
    let incoming = Incoming {
        platform: "telegram".into(),
        user: user_of(&q.from),
        chat: Chat { id: chat_id.0.to_string(), private: message.chat.is_private() },
        is_admin: reporting && is_admin(&bot, message, &q.from).await,
        is_organizer: false,
        target: None,
        action: Action::Click { button: data },
    };
    let reply = core.handle(incoming).await;
    send(
        &bot,
        &core,
        &adapter,
        To { chat: chat_id, reply_to: None, user: q.from.id, click: Some((&q, message.id)) },
        reply,
    )
    .await
}

/// Answers a click, at once and once: Telegram refuses a second answer and a late one, so it
/// is never repeated after it may have reached Telegram (only a refused connection or a 429
/// is retried), and a refusal stops nothing else (the click was counted; its counter edit
/// still goes out).
async fn answer(bot: &Bot, q: &CallbackQuery, toast: Option<String>) {
    let mut answer = bot.answer_callback_query(q.id.clone());
    answer.text = toast;
    if let Err(e) = call(&answer, false).await {
        tracing::info!(error = %e, "a click's answer was refused; the click counts all the same");
    }
}

/// Inline mode: `@RubanBot Bravo Alex` in any chat offers the card in every design. Telegram
/// fetches each image from this server's public URL, so inline mode needs one.
async fn on_inline(
    bot: Bot,
    q: InlineQuery,
    core: Arc<ruban_core::Bot>,
    adapter: Arc<Adapter>,
) -> Result<(), HandlerError> {
    let user = user_of(&q.from);
    let locale = core.locale_of("telegram", &user).await;
    let button = |text: String| InlineQueryResultsButton {
        text: cap(&text, 64),
        kind: InlineQueryResultsButtonKind::StartParameter("aide".into()),
    };
    let mut answer = bot.answer_inline_query(q.id.clone(), Vec::<InlineQueryResult>::new());
    answer.is_personal = Some(true);
    answer.cache_time = Some(30);
    match (&adapter.public_url, q.query.trim()) {
        (None, _) => answer.button = Some(button(core.texts().t(locale, "card-inline-off", &[]))),
        (Some(_), "") => answer.button = Some(button(core.texts().t(locale, "card-inline-hint", &[]))),
        (Some(base), query) => match core.inline_offer("telegram", &user, query).await {
            Ok(cards) => {
                let mut results = Vec::new();
                for card in cards {
                    let url: url::Url = format!("{base}/partage/{}", card.token).parse()?;
                    let mut photo = InlineQueryResultPhoto::new(card.design.id(), url.clone(), url);
                    photo.title = Some(card.title);
                    photo.description = Some(card.description);
                    photo.photo_width = Some(1080);
                    photo.photo_height = Some(1080);
                    results.push(InlineQueryResult::Photo(photo));
                }
                answer.results = results;
            }
            Err(why) => answer.button = Some(button(why)),
        },
    }
    call(&answer, true).await?;
    Ok(())
}

/// The buttons of a message, plus, for an open class, a deep link so a pupil can join from a
/// private chat; its label is in the message's own language (a counter keeps its language
/// whoever clicks).
fn keyboard(username: Option<&str>, texts: &ruban_core::Texts, m: &OutMessage) -> InlineKeyboardMarkup {
    let mut rows: Vec<Vec<InlineKeyboardButton>> =
        m.buttons.iter().map(|b| vec![InlineKeyboardButton::callback(cap(&b.label, 64), b.id.clone())]).collect();
    let code = m.buttons.iter().find_map(|b| match ruban_core::ButtonId::parse(&b.id) {
        Some(ruban_core::ButtonId::JoinClass(code)) => Some(code),
        _ => None,
    });
    if let (Some(code), Some(username)) = (code, username)
        && let Ok(url) = format!("https://t.me/{username}?start=classe_{code}").parse()
    {
        let label = texts.t(m.locale.unwrap_or_default(), "class-join-link", &[]);
        rows.push(vec![InlineKeyboardButton::url(label, url)]);
    }
    InlineKeyboardMarkup::new(rows)
}

/// Where a reply goes: the chat, the message it answers, who acted, and the click it answers.
struct To<'a> {
    chat: ChatId,
    reply_to: Option<MessageId>,
    user: teloxide::types::UserId,
    click: Option<(&'a CallbackQuery, MessageId)>,
}

/// Sends a core reply: a click is answered first, at once (its toast is the first short
/// private message); counters are edited in place by whichever process holds their lease
/// ([`crate::edits`]), never blocking the next click; a personal message (the help lines) goes
/// to the person's private chat, never to a group; the rest is sent as plain text (no parse
/// mode and no link preview: nothing a person typed is ever read as markup). A group that
/// became a supergroup gets its reply at its new id, and its classes follow it.
async fn send(
    bot: &Bot,
    core: &Arc<ruban_core::Bot>,
    adapter: &Adapter,
    to: To<'_>,
    reply: Reply,
) -> Result<(), HandlerError> {
    let mut chat = to.chat;
    let mut messages = reply.messages;
    if let Some((q, _)) = to.click {
        let toast =
            messages.iter().position(|m| m.private && !m.personal && m.images.is_empty() && m.buttons.is_empty());
        answer(bot, q, toast.map(|i| cap(&messages.remove(i).text, 200))).await;
    }
    for m in messages {
        if let Some(key) = &m.edits {
            let known = core.message_at("telegram", key).await.is_some();
            // The message clicked is the one to edit when no process remembered it.
            if !known && let Some((_, id)) = to.click {
                adapter.remember(core, key, (chat, id), &OutMessage { revision: None, ..m.clone() }).await;
            }
            if known || to.click.is_some() {
                adapter.edits.submit(&adapter.ctx(bot, core), key, m.revision.unwrap_or(0));
                continue;
            }
        }
        if m.personal && chat.0 < 0 {
            if m.images.is_empty() && m.files.is_empty() {
                personal(bot, adapter, chat, to.user, &m.text, m.unreachable.as_deref()).await;
            } else {
                personal_with_files(bot, adapter, core.texts(), chat, to.user, &m).await;
            }
            continue;
        }
        // A refusal (or any short answer for the person who acted) to a command typed in a
        // group goes to their private chat: it neither waits behind the group's cards for the
        // group's slot nor tells the class that someone's card was refused. Someone who never
        // started the bot gets it in the group, in the group's turn.
        if m.private && chat.0 < 0 && to.click.is_none() && m.images.is_empty() && m.buttons.is_empty() {
            personal(bot, adapter, chat, to.user, &m.text, Some(&m.text)).await;
            continue;
        }
        let sent = match post(bot, adapter, core.texts(), chat, to.reply_to, &m).await {
            Err(RequestError::MigrateToChatId(new)) => {
                adapter.moved(core, chat, new).await;
                chat = new;
                post(bot, adapter, core.texts(), chat, None, &m).await?
            }
            other => other?,
        };
        if let Some(key) = m.key.as_ref().or(m.edits.as_ref()) {
            adapter.remember(core, key, (chat, sent.id), &m).await;
        }
    }
    Ok(())
}

/// A message for the person alone, asked for in a group: it goes to their private chat with the
/// bot. Telegram lets a bot write there only once the person has started it; otherwise the group
/// sees `instead` (for the help lines, « écris-moi en privé », never the personal text).
async fn personal(
    bot: &Bot,
    adapter: &Adapter,
    group: ChatId,
    user: teloxide::types::UserId,
    text: &str,
    instead: Option<&str>,
) {
    let private = ChatId(user.0 as i64);
    adapter.pacer.wait(private.0).await;
    let mut req = bot.send_message(private, cap(text, 4096));
    req.link_preview_options = Some(no_preview());
    if call_paced(&req, false, Some((&adapter.pacer, private.0))).await.is_ok() {
        return;
    }
    if let Some(instead) = instead {
        adapter.pacer.wait(group.0).await;
        let mut req = bot.send_message(group, cap(instead, 4096));
        req.link_preview_options = Some(no_preview());
        if let Err(e) = call_paced(&req, false, Some((&adapter.pacer, group.0))).await {
            tracing::warn!(error = %e, "could not answer in a group");
        }
    }
}

/// Like [`personal`], for a message with an image or files (a certificate that names a pupil):
/// the whole message goes to the person's private chat; if the bot may not write there, the
/// group sees only [`OutMessage::unreachable`], never the message.
async fn personal_with_files(
    bot: &Bot,
    adapter: &Adapter,
    texts: &ruban_core::Texts,
    group: ChatId,
    user: teloxide::types::UserId,
    m: &OutMessage,
) {
    let private = ChatId(user.0 as i64);
    let alone = OutMessage { buttons: Vec::new(), ..m.clone() };
    if post(bot, adapter, texts, private, None, &alone).await.is_ok() {
        return;
    }
    if let Some(instead) = m.unreachable.as_deref() {
        adapter.pacer.wait(group.0).await;
        let mut req = bot.send_message(group, cap(instead, 4096));
        req.link_preview_options = Some(no_preview());
        if let Err(e) = call_paced(&req, false, Some((&adapter.pacer, group.0))).await {
            tracing::warn!(error = %e, "could not answer in a group");
        }
    }
}

fn no_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

/// Posts one message (a photo, a file or text) in its chat's turn.
pub(crate) async fn post(
    bot: &Bot,
    adapter: &Adapter,
    texts: &ruban_core::Texts,
    chat: ChatId,
    reply_to: Option<MessageId>,
    m: &OutMessage,
) -> Result<Message, RequestError> {
    adapter.pacer.wait(chat.0).await;
    let markup = (!m.buttons.is_empty()).then(|| keyboard(adapter.username.as_deref(), texts, m));
    if let Some(image) = m.images.first() {
        let mut req = bot
            .send_photo(chat, InputFile::memory(image.bytes.as_ref().clone()).file_name(image.file_name.clone()))
            .caption(cap(&m.text, 1024));
        req.reply_markup = markup.map(Into::into);
        req.reply_parameters = reply_to.map(|id| ReplyParameters::new(id).allow_sending_without_reply());
        let sent = call_paced(&req, false, Some((&adapter.pacer, chat.0))).await?;
        // Files that come with an image (the totals' CSV under its chart) follow it, each in
        // the chat's turn: a photo message carries no document.
        for file in &m.files {
            adapter.pacer.wait(chat.0).await;
            let req = bot
                .send_document(chat, InputFile::memory(file.bytes.as_ref().clone()).file_name(file.file_name.clone()));
            call_paced(&req, false, Some((&adapter.pacer, chat.0))).await?;
        }
        Ok(sent)
    } else if let Some(file) = m.files.first() {
        let mut req = bot
            .send_document(chat, InputFile::memory(file.bytes.as_ref().clone()).file_name(file.file_name.clone()))
            .caption(cap(&m.text, 1024));
        req.reply_markup = markup.map(Into::into);
        call_paced(&req, false, Some((&adapter.pacer, chat.0))).await
    } else {
        let mut req = bot.send_message(chat, cap(&m.text, 4096));
        req.reply_markup = markup.map(Into::into);
        req.parse_mode = None::<ParseMode>;
        req.link_preview_options = Some(no_preview());
        call_paced(&req, false, Some((&adapter.pacer, chat.0))).await
    }
}
