//! Interactions in, core replies out. Every interaction is answered within Discord's three
//! seconds: directly when the core is quick (it nearly always is), deferred first when it is
//! not. Nothing the bot sends can mention anyone (`allowed_mentions` empty).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use card_renderer::Locale;
use ruban_core::{Action, Chat, Incoming, OutMessage, Reply, Target, User};
use serenity::all::{
    ButtonStyle, CommandInteraction, ComponentInteraction, Context, CreateActionRow, CreateAllowedMentions,
    CreateAttachment, CreateAutocompleteResponse, CreateButton, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, EditInteractionResponse, EventHandler,
    Interaction, InteractionContext, Member, PartialMember, Permissions, Ready, ResolvedValue, RoleId,
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
    pub(crate) registration: Registration,
    pub(crate) organizer_roles: Vec<u64>,
    /// Keyed messages (class counters) posted as interaction answers: the token that may edit
    /// them, and when it was issued.
    pub(crate) keyed: Mutex<HashMap<String, (String, Instant)>>,
}

fn cap(text: &str, max: usize) -> String {
    if text.chars().count() <= max { text.to_owned() } else { text.chars().take(max - 1).chain(['…']).collect() }
}

fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
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
    fn privileges(&self, member: Option<&Member>) -> (bool, bool) {
        let Some(m) = member else { return (false, false) };
        let perms = m.permissions.unwrap_or_else(Permissions::empty);
        let role = m.roles.iter().any(|r: &RoleId| self.organizer_roles.contains(&r.get()));
        let organizer = perms.manage_guild() || perms.administrator() || role;
        (organizer || perms.manage_channels() || perms.manage_messages(), organizer)
    }

    fn incoming(
        &self,
        user: &serenity::all::User,
        member: Option<&Member>,
        locale: &str,
        channel: u64,
        private: bool,
        action: Action,
    ) -> Incoming {
        let (is_admin, is_organizer) = self.privileges(member);
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

    /// Claims the interaction: a second delivery (a gateway replay, another process) stops here.
    async fn first(&self, id: u64) -> bool {
        self.core.first_delivery(&format!("discord:{id}")).await
    }

    /// The core's reply, and whether `defer` had to be sent first because the core took longer
    /// than Discord's deadline allows.
    async fn reply_within<F, Fut>(&self, inc: Incoming, defer: F) -> (Reply, bool)
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<(), serenity::Error>>,
    {
        let core = self.core.clone();
        let mut work = tokio::spawn(async move { core.handle(inc).await });
        tokio::select! {
            r = &mut work => (r.unwrap_or_default(), false),
            () = tokio::time::sleep(ANSWER_WITHIN) => {
                if let Err(e) = defer().await {
                    tracing::warn!(error = %e, "could not defer an answer");
                }
                (work.await.unwrap_or_default(), true)
            }
        }
    }

    async fn on_command(&self, ctx: &Context, cmd: CommandInteraction) {
        if !self.first(cmd.id.get()).await {
            return;
        }
        let options = cmd.data.options();
        let target = options.iter().find(|o| o.name == "destinataire").and_then(|o| picked_target(&o.value));
        let private = cmd.guild_id.is_none() && cmd.context != Some(InteractionContext::PrivateChannel);
        let mut inc = self.incoming(
            &cmd.user,
            cmd.member.as_deref(),
            &cmd.locale,
            cmd.channel_id.get(),
            private,
            Action::Command(commands::to_core(&cmd.data.name, &options)),
        );
        inc.target = target;
        let defer = CreateInteractionResponse::Defer(CreateInteractionResponseMessage::new());
        let (reply, deferred) =
            self.reply_within(inc, || async { retry(|| cmd.create_response(&ctx.http, defer.clone())).await }).await;
        self.answer_command(ctx, &cmd, reply, deferred).await;
    }

    async fn answer_command(&self, ctx: &Context, cmd: &CommandInteraction, reply: Reply, deferred: bool) {
        let mut messages = reply.messages.into_iter();
        let Some(first) = messages.next() else { return };
        let key = first.key.clone();
        let result = if deferred {
            let mut edit = EditInteractionResponse::new()
                .content(cap(&first.text, CONTENT_MAX))
                .allowed_mentions(no_mentions())
                .components(buttons(&first));
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
            self.remember(key, cmd.token.clone());
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

    /// A further message: an edit of a keyed message (while its token lives), or a follow-up.
    async fn follow_up(&self, ctx: &Context, token: &str, m: OutMessage) {
        if let Some(key) = &m.edits {
            let known = self.keyed.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned();
            if let Some((owner_token, _)) = known.filter(|(_, at)| at.elapsed() < TOKEN_LIFE) {
                let edit = EditInteractionResponse::new()
                    .content(cap(&m.text, CONTENT_MAX))
                    .allowed_mentions(no_mentions())
                    .components(buttons(&m));
                if let Err(e) = retry(|| edit.clone().execute(&ctx.http, &owner_token)).await {
                    tracing::warn!(error = %e, "could not edit a counter");
                }
            }
            return;
        }
        let mut f = CreateInteractionResponseFollowup::new()
            .content(cap(&m.text, CONTENT_MAX))
            .allowed_mentions(no_mentions())
            .ephemeral(m.private)
            .components(buttons(&m));
        for a in attachments(&m) {
            f = f.add_file(a);
        }
        if let Err(e) = retry(|| f.clone().execute(&ctx.http, (None, token))).await {
            tracing::warn!(error = %e, "could not send a follow-up");
        }
    }

    async fn on_click(&self, ctx: &Context, click: ComponentInteraction) {
        if !self.first(click.id.get()).await {
            return;
        }
        let private = click.guild_id.is_none() && click.context != Some(InteractionContext::PrivateChannel);
        let inc = self.incoming(
            &click.user,
            click.member.as_ref(),
            &click.locale,
            click.channel_id.get(),
            private,
            Action::Click { button: click.data.custom_id.clone() },
        );
        let defer = CreateInteractionResponse::Acknowledge;
        let (reply, deferred) =
            self.reply_within(inc, || async { retry(|| click.create_response(&ctx.http, defer.clone())).await }).await;
        let mut messages: Vec<OutMessage> = reply.messages;
        // The clicked message is the counter: its new state is the answer itself.
        let update = messages.iter().position(|m| m.edits.is_some());
        let answered = match (update, deferred) {
            (Some(i), false) => {
                let m = messages.remove(i);
                let r = CreateInteractionResponse::UpdateMessage(
                    CreateInteractionResponseMessage::new()
                        .content(cap(&m.text, CONTENT_MAX))
                        .allowed_mentions(no_mentions())
                        .components(buttons(&m)),
                );
                retry(|| click.create_response(&ctx.http, r.clone())).await
            }
            (Some(i), true) => {
                let m = messages.remove(i);
                let edit = EditInteractionResponse::new()
                    .content(cap(&m.text, CONTENT_MAX))
                    .allowed_mentions(no_mentions())
                    .components(buttons(&m));
                retry(|| click.edit_response(&ctx.http, edit.clone())).await.map(|_| ())
            }
            (None, false) if !messages.is_empty() => {
                let m = messages.remove(0);
                let r = CreateInteractionResponse::Message(message(&m));
                retry(|| click.create_response(&ctx.http, r.clone())).await
            }
            (None, _) => Ok(()),
        };
        if let Err(e) = answered {
            tracing::warn!(error = %e, "could not answer a click");
            return;
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

fn buttons(m: &OutMessage) -> Vec<CreateActionRow> {
    if m.buttons.is_empty() {
        return Vec::new();
    }
    let row = m
        .buttons
        .iter()
        .take(5)
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

fn message(m: &OutMessage) -> CreateInteractionResponseMessage {
    CreateInteractionResponseMessage::new()
        .content(cap(&m.text, CONTENT_MAX))
        .allowed_mentions(no_mentions())
        .ephemeral(m.private)
        .components(buttons(m))
        .add_files(attachments(m))
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
