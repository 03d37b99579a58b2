//! Interactions in, core replies out. Every interaction is answered within Discord's three
//! seconds: directly when the core is quick (it nearly always is), deferred first when it is
//! not. Nothing the bot sends can mention anyone (`allowed_mentions` empty).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ruban_core::{Action, Chat, Incoming, OutMessage, Reply, Target, User};
use ruban_vocabulary::Locale;
use serenity::all::{
    ButtonStyle, ChannelId, CommandInteraction, ComponentInteraction, ComponentInteractionDataKind, Context,
    CreateActionRow, CreateAllowedMentions, CreateAttachment, CreateAutocompleteResponse, CreateButton,
    CreateInteractionResponse, CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateSelectMenu,
    CreateSelectMenuKind, CreateSelectMenuOption, EditInteractionResponse, EditMessage, EventHandler, GuildId,
    Interaction, InteractionContext, InteractionResponseFlags, Member, MessageFlags, MessageId, PartialMember,
    Permissions, Ready, ResolvedValue, RoleId,
};
use serenity::async_trait;
use serenity::builder::Builder;

use crate::commands;
use crate::retry::retry;

/// Discord's limits: message content, button labels, custom ids, bot uploads.
const CONTENT_MAX: usize = 2000;
const LABEL_MAX: usize = 80;
const UPLOAD_MAX: usize = 10 << 20;
/// Past this, the answer is deferred (Discord allows three seconds).
const ANSWER_WITHIN: Duration = Duration::from_millis(2000);
/// The custom id of a select menu (its options carry the button ids).
const MENU_ID: &str = "menu";
/// Interaction tokens let a bot edit its answer for 15 minutes.
const TOKEN_LIFE: Duration = Duration::from_secs(14 * 60);

/// Where commands are registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Registration {
    /// For everyone (takes a while to reach every client).
    Global,
    /// On one test server, at once.
    Guild(u64),
    /// Not at all (another process does it).
    None,
}

/// The event handler.
pub struct Handler {
    pub(crate) core: Arc<ruban_core::Bot>,
    /// The runtime the core and the store live on (the handler runs on the client's own).
    pub(crate) main: tokio::runtime::Handle,
    pub(crate) registration: Registration,
    /// Guilds whose members may hold organizer rights (campaign-wide totals).
    pub(crate) organizer_guilds: Vec<u64>,
    pub(crate) organizer_roles: Vec<u64>,
    /// Keyed messages (class counters): the latest interaction token that may edit each (the
    /// opener's, then each click's: a click's `@original` is the message its button is on),
    /// and when it was issued.
    pub(crate) keyed: Mutex<HashMap<String, (String, Instant)>>,
    pub(crate) counters: Counters,
    pub(crate) seen: Seen,
}

/// The interactions this process received lately, so a redelivery (a gateway replay) stops
/// before anything is sent. Interactions live 15 minutes; older ids are forgotten.
#[derive(Default)]
pub(crate) struct Seen(Mutex<SeenIds>);

/// The ids, and the same ids in the order they came.
type SeenIds = (std::collections::HashSet<u64>, std::collections::VecDeque<(Instant, u64)>);

impl Seen {
    /// True the first time this process sees `id`.
    fn first(&self, id: u64) -> bool {
        let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let (ids, order) = &mut *guard;
        while order.front().is_some_and(|(at, _)| at.elapsed() > TOKEN_LIFE + Duration::from_secs(120)) {
            if let Some((_, old)) = order.pop_front() {
                ids.remove(&old);
            }
        }
        if !ids.insert(id) {
            return false;
        }
        order.push_back((Instant::now(), id));
        true
    }
}

/// Class counters shown in order. Discord applies edits sent together in any order, so a
/// burst of clicks each editing the counter with its own count could end on an old one. Here
/// one edit per counter is in flight at a time, always carrying the newest state (the core's
/// `revision`), and a state older than one already shown is never sent.
///
/// A guild's interactions all arrive on its shard, so all the clicks on one counter reach the
/// same process (with the gateway; not so behind an HTTP interactions endpoint).
#[derive(Default)]
pub(crate) struct Counters(Mutex<HashMap<String, Counter>>);

#[derive(Default)]
struct Counter {
    /// The newest revision Discord has confirmed.
    shown: u64,
    /// An edit is in flight (its sender sends whatever is pending after it).
    busy: bool,
    pending: Option<(u64, OutMessage, String)>,
}

impl Counters {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Counter>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A counter was posted with this revision.
    fn posted(&self, key: &str, revision: u64) {
        let mut counters = self.lock();
        let c = counters.entry(key.to_owned()).or_default();
        c.shown = c.shown.max(revision);
    }

    /// Queues a state; true when the caller must send it (nothing is in flight).
    fn offer(&self, key: &str, revision: u64, m: OutMessage, token: String) -> bool {
        let mut counters = self.lock();
        let c = counters.entry(key.to_owned()).or_default();
        let newest = c.pending.as_ref().map_or(c.shown, |(r, ..)| (*r).max(c.shown));
        if revision <= newest && (c.busy || revision <= c.shown) {
            return false;
        }
        c.pending = Some((revision, m, token));
        !std::mem::replace(&mut c.busy, true)
    }

    /// The next state to send, or None (and nothing in flight any more).
    fn next(&self, key: &str) -> Option<(u64, OutMessage, String)> {
        let mut counters = self.lock();
        let c = counters.get_mut(key)?;
        match c.pending.take() {
            Some(p) if p.0 > c.shown => Some(p),
            _ => {
                c.busy = false;
                None
            }
        }
    }

    fn shown(&self, key: &str, revision: u64) {
        if let Some(c) = self.lock().get_mut(key) {
            c.shown = c.shown.max(revision);
        }
    }
}

fn cap(text: &str, max: usize) -> String {
    if text.chars().count() <= max { text.to_owned() } else { text.chars().take(max - 1).chain(['…']).collect() }
}

fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

/// Message text as Discord shows it: capped, and with what Discord's Markdown reads escaped,
/// so a name or message typed by someone (`[Zoé](https://…)`, `**`, `# ` at a line's start,
/// `<@…>`) shows as typed and never becomes a link, a heading or a mention. Ruban's own texts
/// use no Markdown.
fn content(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut line_start = true;
    for c in text.chars() {
        let anywhere = matches!(c, '\\' | '*' | '_' | '~' | '`' | '|' | '[' | ']' | '<');
        if anywhere || (line_start && matches!(c, '#' | '-' | '>')) {
            out.push('\\');
        }
        out.push(c);
        line_start = c == '\n' || (line_start && c == ' ');
    }
    if out.chars().count() <= CONTENT_MAX {
        return out;
    }
    // Cut before the limit, never between a backslash and what it escapes.
    let mut cut: String = out.chars().take(CONTENT_MAX - 1).collect();
    if cut.chars().rev().take_while(|&c| c == '\\').count() % 2 == 1 {
        cut.pop();
    }
    cut.push('…');
    cut
}

fn user_of(u: &serenity::all::User, member: Option<&Member>) -> User {
    let name = member.and_then(|m| m.nick.clone()).or_else(|| u.global_name.clone()).unwrap_or_else(|| u.name.clone());
    User { id: u.id.get().to_string(), display_name: name, locale: None }
}

fn picked_target(value: &ResolvedValue<'_>) -> Option<Target> {
    if let ResolvedValue::User(u, member) = value {
        let name = member
            .and_then(|m: &PartialMember| m.nick.clone())
            .or_else(|| u.global_name.clone())
            .unwrap_or_else(|| u.name.clone());
        return Some(Target { id: Some(u.id.get().to_string()), name });
    }
    None
}

impl Handler {
    /// (admin of this chat, campaign organizer). Anyone can create a guild and hold Manage
    /// Server in it, so organizer rights (campaign-wide totals) exist only in the guilds the
    /// configuration names, for members with a configured role or Manage Server there.
    fn privileges(&self, guild: Option<GuildId>, member: Option<&Member>) -> (bool, bool) {
        let Some(m) = member else { return (false, false) };
        let perms = m.permissions.unwrap_or_else(Permissions::empty);
        let manager = perms.manage_guild() || perms.administrator();
        let trusted_guild = guild.is_some_and(|g| self.organizer_guilds.contains(&g.get()));
        let role = m.roles.iter().any(|r: &RoleId| self.organizer_roles.contains(&r.get()));
        let organizer = trusted_guild && (manager || role);
        (manager || perms.manage_channels() || perms.manage_messages(), organizer)
    }

    #[allow(clippy::too_many_arguments)]
    fn incoming(
        &self,
        user: &serenity::all::User,
        guild: Option<GuildId>,
        member: Option<&Member>,
        locale: &str,
        channel: u64,
        private: bool,
        action: Action,
    ) -> Incoming {
        let (is_admin, is_organizer) = self.privileges(guild, member);
        let mut u = user_of(user, member);
        u.locale = Some(locale.to_owned());
        Incoming {
            platform: "discord".into(),
            user: u,
            chat: Chat { id: channel.to_string(), private },
            is_admin,
            is_organizer,
            target: None,
            action,
        }
    }

    /// The core's reply to interaction `id`, and whether `defer` had to be sent first because
    /// the work took longer than Discord's deadline allows; None for an interaction already
    /// handled. A panic in the core is logged and answered with the usual polite error.
    ///
    /// The claim in the store (a second delivery, a gateway replay or another process, stops
    /// there) is inside the deadline too: a store slow to claim (a busy SQLite file, a
    /// PostgreSQL failover) once made the answer miss Discord's three seconds. A redelivery
    /// to this process stops before that, so it never defers an interaction another task of
    /// this process is answering (its callback would then be refused).
    async fn reply_within<F, Fut>(
        &self,
        id: u64,
        mut inc: Incoming,
        photo: Option<serenity::all::Attachment>,
        defer: F,
    ) -> Option<(Reply, bool)>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<(), serenity::Error>>,
    {
        if !self.seen.first(id) {
            return None;
        }
        let core = self.core.clone();
        let locale = Locale::from_platform(inc.user.locale.as_deref().unwrap_or_default());
        let work = self.main.spawn(async move {
            // Fail open, as the core does: a click answered twice beats a click lost.
            if !core.first_delivery(&format!("discord:{id}")).await {
                return None;
            }
            // `/vert`'s photo is fetched here, inside the deadline that defers the answer.
            if let Some(attachment) = photo {
                inc.action = Action::Command(ruban_core::Command::Green(Some(download(&attachment).await)));
            }
            Some(core.handle(inc).await)
        });
        match guarded(self.core.texts(), locale, work, defer).await {
            (Some(reply), deferred) => Some((reply, deferred)),
            (None, _) => None,
        }
    }

    async fn on_command(&self, ctx: &Context, cmd: CommandInteraction) {
        let options = cmd.data.options();
        let target = options.iter().find(|o| o.name == "destinataire").and_then(|o| picked_target(&o.value));
        let photo = options.iter().find_map(|o| match o.value {
            ResolvedValue::Attachment(a) if o.name == "photo" => Some(a.clone()),
            _ => None,
        });
        let private = cmd.guild_id.is_none() && cmd.context != Some(InteractionContext::PrivateChannel);
        let mut inc = self.incoming(
            &cmd.user,
            cmd.guild_id,
            cmd.member.as_deref(),
            &cmd.locale,
            cmd.channel_id.get(),
            private,
            Action::Command(commands::to_core(&cmd.data.name, &options)),
        );
        inc.target = target;
        // A command whose answer is for the asker alone (a certificate) is acknowledged
        // privately: a public deferral would make its answer public.
        let privately = Self::deferred_privately(&cmd);
        let defer = CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(privately));
        let answer = self
            .reply_within(cmd.id.get(), inc, photo, || async {
                retry(|| cmd.create_response(&ctx.http, defer.clone())).await
            })
            .await;
        if let Some((reply, deferred)) = answer {
            self.answer_command(ctx, &cmd, reply, deferred).await;
        }
    }

    /// Whether `cmd` was acknowledged privately when deferred (see `on_command`).
    fn deferred_privately(cmd: &CommandInteraction) -> bool {
        ruban_core::table::find(&cmd.data.name).is_some_and(|c| c.answers_privately)
    }

    async fn answer_command(&self, ctx: &Context, cmd: &CommandInteraction, reply: Reply, deferred: bool) {
        // An edit of a counter (`/classe fermer`) goes to the counter itself; the rest is the
        // answer to this command.
        let (edits, messages): (Vec<OutMessage>, Vec<OutMessage>) =
            reply.messages.into_iter().partition(|m| m.edits.is_some());
        for m in edits {
            self.edit_keyed(ctx, m).await;
        }
        let mut messages = messages.into_iter();
        let Some(first) = messages.next() else {
            if !deferred {
                // Discord needs an answer; the counter edit said it all.
                let ack = CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new().ephemeral(true));
                if let Err(e) = retry(|| cmd.create_response(&ctx.http, ack.clone())).await {
                    tracing::warn!(error = %e, "could not answer a command");
                }
                let _ = cmd.delete_response(&ctx.http).await;
            }
            return;
        };
        let key = first.key.clone();
        let result = if deferred && first.private && !Self::deferred_privately(cmd) {
            // Acknowledged publicly (« Ruban réfléchit… » in the channel), answered privately
            // (a refusal, say): the public placeholder goes, and the answer follows for the
            // asker alone, never as an edit everyone sees.
            let _ = cmd.delete_response(&ctx.http).await;
            let mut follow = CreateInteractionResponseFollowup::new()
                .content(content(&first.text))
                .allowed_mentions(no_mentions())
                .ephemeral(true)
                .components(components(&first));
            for a in attachments(&first) {
                follow = follow.add_file(a);
            }
            retry(|| cmd.create_followup(&ctx.http, follow.clone())).await.map(|_| ())
        } else if deferred {
            let mut edit = EditInteractionResponse::new()
                .content(content(&first.text))
                .allowed_mentions(no_mentions())
                .components(components(&first));
            for a in attachments(&first) {
                edit = edit.new_attachment(a);
            }
            retry(|| cmd.edit_response(&ctx.http, edit.clone())).await.map(|_| ())
        } else {
            let response = CreateInteractionResponse::Message(message(&first));
            retry(|| cmd.create_response(&ctx.http, response.clone())).await
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not answer a command");
            return;
        }
        if let Some(key) = key {
            self.counters.posted(&key, first.revision.unwrap_or(0));
            self.remember(key.clone(), cmd.token.clone());
            // Where it lives, for a process that has no live token for it (after a restart,
            // or past the token's 15 minutes): it edits the message with the bot's own token.
            match cmd.get_response(&ctx.http).await {
                Ok(posted) => {
                    let at = ruban_core::MessageLocation {
                        chat: posted.channel_id.get().to_string(),
                        message: posted.id.get().to_string(),
                    };
                    let core = self.core.clone();
                    let _ = self.main.spawn(async move { core.remember_message("discord", &key, &at).await }).await;
                }
                Err(e) => tracing::warn!(error = %e, "could not learn where a counter was posted"),
            }
        }
        for m in messages {
            self.follow_up(ctx, &cmd.token, m).await;
        }
    }

    fn remember(&self, key: String, token: String) {
        let mut keyed = self.keyed.lock().unwrap_or_else(|e| e.into_inner());
        keyed.retain(|_, (_, at)| at.elapsed() < TOKEN_LIFE);
        keyed.insert(key, (token, Instant::now()));
    }

    /// A new state of a keyed message (a class counter), edited in place through the newest
    /// token that may (the opener's or a click's) while one lives.
    async fn edit_keyed(&self, ctx: &Context, m: OutMessage) {
        let Some(key) = m.edits.clone() else { return };
        let known = self.keyed.lock().unwrap_or_else(|e| e.into_inner()).get(&key).cloned();
        if let Some((token, _)) = known.filter(|(_, at)| at.elapsed() < TOKEN_LIFE) {
            return self.show_counter(ctx, &key, m, token).await;
        }
        // No live token here: the message itself, where the store says it is.
        let core = self.core.clone();
        let lookup = key.clone();
        let at = self.main.spawn(async move { core.message_at("discord", &lookup).await }).await.ok().flatten();
        let ids = at.and_then(|at| Some((at.chat.parse::<u64>().ok()?, at.message.parse::<u64>().ok()?)));
        let Some((channel, message)) = ids.filter(|(c, m)| *c != 0 && *m != 0) else {
            tracing::info!("a class counter is nowhere to be found: its new state stays unseen");
            return;
        };
        let edit =
            EditMessage::new().content(content(&m.text)).allowed_mentions(no_mentions()).components(components(&m));
        if let Err(e) =
            retry(|| ChannelId::new(channel).edit_message(&ctx.http, MessageId::new(message), edit.clone())).await
        {
            tracing::warn!(error = %e, "could not edit a counter");
        }
    }

    /// Shows a counter state through `token`, in revision order (see [`Counters`]).
    async fn show_counter(&self, ctx: &Context, key: &str, m: OutMessage, token: String) {
        let revision = m.revision.unwrap_or(0);
        if !self.counters.offer(key, revision, m, token) {
            return; // newer is shown or on its way, or the one in flight sends it
        }
        while let Some((revision, m, token)) = self.counters.next(key) {
            let edit = EditInteractionResponse::new()
                .content(content(&m.text))
                .allowed_mentions(no_mentions())
                .components(components(&m));
            match retry(|| edit.clone().execute(&ctx.http, &token)).await {
                Ok(_) => self.counters.shown(key, revision),
                Err(e) => tracing::warn!(error = %e, "could not edit a counter"),
            }
        }
    }

    /// A further message, as a follow-up of the interaction.
    async fn follow_up(&self, ctx: &Context, token: &str, m: OutMessage) {
        if m.edits.is_some() {
            return self.edit_keyed(ctx, m).await;
        }
        let mut f = CreateInteractionResponseFollowup::new()
            .content(content(&m.text))
            .allowed_mentions(no_mentions())
            .flags(flags(&m))
            .components(components(&m));
        for a in attachments(&m) {
            f = f.add_file(a);
        }
        if let Err(e) = retry(|| f.clone().execute(&ctx.http, (None, token))).await {
            tracing::warn!(error = %e, "could not send a follow-up");
        }
    }

    async fn on_click(&self, ctx: &Context, click: ComponentInteraction) {
        let private = click.guild_id.is_none() && click.context != Some(InteractionContext::PrivateChannel);
        // A select menu's custom id names the menu; the option chosen is the button.
        let button = match &click.data.kind {
            ComponentInteractionDataKind::StringSelect { values } => values.first().cloned().unwrap_or_default(),
            _ => click.data.custom_id.clone(),
        };
        let inc = self.incoming(
            &click.user,
            click.guild_id,
            click.member.as_ref(),
            &click.locale,
            click.channel_id.get(),
            private,
            Action::Click { button },
        );
        let ack = CreateInteractionResponse::Acknowledge;
        let answer = self
            .reply_within(click.id.get(), inc, None, || async {
                retry(|| click.create_response(&ctx.http, ack.clone())).await
            })
            .await;
        let Some((reply, deferred)) = answer else { return };
        let mut messages: Vec<OutMessage> = reply.messages;
        // The clicked message is the counter: acknowledged at once, then edited in revision
        // order with this click's token (its `@original` is the clicked message).
        let update = messages.iter().position(|m| m.edits.is_some());
        let answered = match (update, deferred) {
            (Some(_), false) => retry(|| click.create_response(&ctx.http, ack.clone())).await,
            (None, false) if !messages.is_empty() => {
                let m = messages.remove(0);
                let r = CreateInteractionResponse::Message(message(&m));
                retry(|| click.create_response(&ctx.http, r.clone())).await
            }
            (None, false) => retry(|| click.create_response(&ctx.http, ack.clone())).await,
            (_, true) => Ok(()),
        };
        if let Err(e) = answered {
            tracing::warn!(error = %e, "could not answer a click");
            return;
        }
        if let Some(i) = update {
            let m = messages.remove(i);
            if let Some(key) = m.edits.clone() {
                self.remember(key.clone(), click.token.clone());
                self.show_counter(ctx, &key, m, click.token.clone()).await;
            }
        }
        for m in messages {
            self.follow_up(ctx, &click.token, m).await;
        }
    }

    async fn on_autocomplete(&self, ctx: &Context, cmd: CommandInteraction) {
        let typed = cmd.data.autocomplete().map(|o| o.value.to_owned()).unwrap_or_default();
        let locale = Locale::from_platform(&cmd.locale);
        let mut response = CreateAutocompleteResponse::new();
        for (label, value) in commands::design_choices(self.core.texts(), locale, &typed) {
            response = response.add_string_choice(label, value);
        }
        let r = CreateInteractionResponse::Autocomplete(response);
        if let Err(e) = retry(|| cmd.create_response(&ctx.http, r.clone())).await {
            tracing::debug!(error = %e, "autocomplete not answered");
        }
    }
}

/// A message's buttons: a row of buttons, or, past the five a row holds, one select menu
/// (25 options at most: the 18 regions fit).
fn components(m: &OutMessage) -> Vec<CreateActionRow> {
    if m.buttons.is_empty() {
        return Vec::new();
    }
    if m.buttons.len() > 5 {
        let options = m
            .buttons
            .iter()
            .take(25)
            .map(|b| CreateSelectMenuOption::new(cap(&b.label, LABEL_MAX), b.id.clone()))
            .collect();
        let menu = CreateSelectMenu::new(MENU_ID, CreateSelectMenuKind::String { options });
        return vec![CreateActionRow::SelectMenu(menu)];
    }
    let row = m
        .buttons
        .iter()
        .enumerate()
        .map(|(i, b)| {
            CreateButton::new(b.id.clone()).label(cap(&b.label, LABEL_MAX)).style(if i == 0 {
                ButtonStyle::Success
            } else {
                ButtonStyle::Secondary
            })
        })
        .collect();
    vec![CreateActionRow::Buttons(row)]
}

/// Private messages are ephemeral; nothing Ruban sends unfurls a link into a preview.
fn flags(m: &OutMessage) -> MessageFlags {
    let mut flags = MessageFlags::SUPPRESS_EMBEDS;
    if m.private {
        flags |= MessageFlags::EPHEMERAL;
    }
    flags
}

/// The same flags, as an interaction callback spells them.
fn response_flags(m: &OutMessage) -> InteractionResponseFlags {
    InteractionResponseFlags::from_bits_truncate(flags(m).bits())
}

/// Images and files, each with its alt text; anything over the bot upload limit is left out
/// (none of Ruban's images comes close).
fn attachments(m: &OutMessage) -> Vec<CreateAttachment> {
    m.images
        .iter()
        .chain(&m.files)
        .filter(|a| {
            let fits = a.bytes.len() <= UPLOAD_MAX;
            if !fits {
                tracing::error!(bytes = a.bytes.len(), "attachment over Discord's upload limit left out");
            }
            fits
        })
        .map(|a| {
            let mut c = CreateAttachment::bytes(a.bytes.as_ref().clone(), a.file_name.clone());
            if !a.alt.is_empty() {
                c = c.description(cap(&a.alt, 1024));
            }
            c
        })
        .collect()
}

/// A message posted in a channel outside any interaction (a card an adult approved): the
/// same text, mentions, buttons and files as an answer.
pub(crate) fn channel_message(m: &OutMessage) -> serenity::all::CreateMessage {
    serenity::all::CreateMessage::new()
        .content(content(&m.text))
        .allowed_mentions(no_mentions())
        .flags(flags(m))
        .components(components(m))
        .add_files(attachments(m))
}

fn message(m: &OutMessage) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .content(content(&m.text))
        .allowed_mentions(no_mentions())
        .flags(response_flags(m))
        .components(components(m))
        .add_files(attachments(m))
}

/// Waits for the core's `work`: answered directly within [`ANSWER_WITHIN`], or after `defer`.
/// A panic inside the core is logged and becomes the usual polite error.
async fn guarded<F, Fut>(
    texts: &ruban_core::Texts,
    locale: Locale,
    mut work: tokio::task::JoinHandle<Option<Reply>>,
    defer: F,
) -> (Option<Reply>, bool)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<(), serenity::Error>>,
{
    let outcome = |r: Result<Option<Reply>, tokio::task::JoinError>| {
        r.unwrap_or_else(|e| {
            tracing::error!(error = %e, "a command failed inside the core; answered with the internal error");
            let mut m = OutMessage::text(texts.t(locale, "error-internal", &[]));
            m.private = true;
            Some(Reply::one(m))
        })
    };
    tokio::select! {
        r = &mut work => (outcome(r), false),
        () = tokio::time::sleep(ANSWER_WITHIN) => {
            if let Err(e) = defer().await {
                tracing::warn!(error = %e, "could not defer an answer");
            }
            (outcome(work.await), true)
        }
    }
}

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        tracing::info!(shard = ?ready.shard, "Discord gateway ready");
        let is_first_shard = ready.shard.is_none_or(|s| s.id.0 == 0);
        if !is_first_shard {
            return;
        }
        let commands = commands::all(self.core.texts());
        let result = match self.registration {
            Registration::Global => {
                retry(|| serenity::all::Command::set_global_commands(&ctx.http, commands.clone())).await.map(|_| ())
            }
            Registration::Guild(id) => {
                retry(|| serenity::all::GuildId::new(id).set_commands(&ctx.http, commands.clone())).await.map(|_| ())
            }
            Registration::None => Ok(()),
        };
        if let Err(e) = result {
            tracing::error!(error = %e, "could not register the slash commands");
        }
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        match interaction {
            Interaction::Command(cmd) => self.on_command(&ctx, cmd).await,
            Interaction::Component(click) => self.on_click(&ctx, click).await,
            Interaction::Autocomplete(cmd) => self.on_autocomplete(&ctx, cmd).await,
            _ => {}
        }
    }
}

/// A `/vert` attachment's bytes, into memory: an image of at most
/// [`ruban_core::validate::MAX_PHOTO_BYTES`] as Discord declares it (its size and type), else
/// no bytes at all, which the core calls unreadable. The URL is Discord's CDN, given in the
/// interaction itself.
async fn download(a: &serenity::all::Attachment) -> ruban_core::Photo {
    let image = a.content_type.as_deref().is_some_and(|t| t.starts_with("image/"));
    if !image || a.size as usize > ruban_core::validate::MAX_PHOTO_BYTES {
        return ruban_core::Photo::new(Vec::new());
    }
    match a.download().await {
        Ok(bytes) if bytes.len() <= ruban_core::validate::MAX_PHOTO_BYTES => ruban_core::Photo::new(bytes),
        Ok(_) => ruban_core::Photo::new(Vec::new()),
        Err(e) => {
            tracing::warn!(error = %e, "a photo's download failed");
            ruban_core::Photo::new(Vec::new())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_markdown_shows_as_typed() {
        assert_eq!(content("[Zoé](https://x.y)"), r"\[Zoé\](https://x.y)");
        assert_eq!(content("# titre\n- liste\n> cite"), "\\# titre\n\\- liste\n\\> cite");
        assert_eq!(content("Jean-Luc #1 a:b"), "Jean-Luc #1 a:b", "only what Markdown reads");
        assert_eq!(content(r"a\b"), r"a\\b");
        let long = content(&"*".repeat(3000));
        assert!(long.chars().count() <= CONTENT_MAX);
        assert!(long.ends_with("\\*…"), "never a dangling backslash");
    }

    #[tokio::test]
    async fn a_panic_in_the_core_is_answered_with_the_polite_error() {
        let texts = ruban_core::Texts::embedded().unwrap();
        let work: tokio::task::JoinHandle<Option<Reply>> = tokio::spawn(async { panic!("a bug in a command") });
        let (reply, deferred) = guarded(&texts, Locale::FrCa, work, || async { Ok(()) }).await;
        let reply = reply.expect("an answer");
        assert!(!deferred);
        assert_eq!(reply.messages.len(), 1);
        assert!(reply.messages[0].private);
        assert_eq!(reply.messages[0].text, texts.t(Locale::FrCa, "error-internal", &[]));
        assert!(reply.messages[0].text.starts_with("Oups"), "{}", reply.messages[0].text);
    }
}
