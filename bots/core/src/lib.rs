//! Ruban's bot, independent of any chat platform: an adapter turns a platform event into an
//! [`Incoming`], calls [`Bot::handle`], and sends the [`Reply`]. No Discord, Telegram or web
//! type enters this crate, so a new platform is one new adapter.
//!
//! ```text
//! élève   › /carte "Léa" encourager "Lâche pas!"
//! Ruban   › Voici ta carte pour Léa! 💚            [image: carte-lea.png]
//! élève   › /ruban Zoé
//! Ruban   › Merci! Tu portes le ruban : tu es la personne nº 42 de la vague verte. 💚
//! ```
#![warn(missing_docs)]

pub mod i18n;
pub mod incoming;
pub mod moderation;
pub mod parse;
pub mod places;
pub mod ratelimit;
pub mod reply;
pub mod share;
pub mod validate;

use std::sync::Arc;

use card_renderer::{
    Assets, BadgeSize, BadgeSpec, Calendar, Campaign, CardSpec, CertificateSpec, ClassBadgeSpec, Design, Label, Locale,
    Message, Name, Reason, RenderError, Season, i18n::format_number,
};
use fluent_bundle::FluentValue;
use ruban_store::{
    ExportFormat, GroupBy, JoinRequest, NewCard, NewClass, NewWallEntry, PendingPost, PledgeRequest, Profile,
    Pseudonymizer, Store, StoreError,
};

pub use i18n::Texts;
pub use incoming::{Action, Chat, Incoming, Target, User};
pub use parse::Command;
pub use places::{EditTurn, MessageLocation};
pub use ratelimit::{Limits, RateLimits};
pub use reply::{Attachment, Button, OutMessage, Reply};
pub use ruban_store::Unfinished;
pub use share::InlineCard;

/// The commands platforms list in their menus: (French name, English name, description id).
/// Names use `-`; Telegram, which allows only `a-z0-9_`, writes `_` instead.
pub const MENU: [(&str, &str, &str); 9] = [
    ("carte", "card", "command-card"),
    ("ruban", "ribbon", "command-ribbon"),
    ("classe", "class", "command-class"),
    ("certificat", "certificate", "command-certificate"),
    ("mur", "wall", "command-wall"),
    ("totaux", "totals", "command-totals"),
    ("langue", "language", "command-language"),
    ("oublie-moi", "forget-me", "command-forget"),
    ("aide", "help", "command-help"),
];

use crate::ratelimit::{Kind, Refusal};

/// The bot's one error type, for set-up; failures while handling become localised replies.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Assets or texts failed to load.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// A value from a door has the wrong shape ([`validate`]): refused before the store sees it.
    #[error("{field} {why}")]
    Invalid {
        /// Which value (`user.id`, `button`, `class`…).
        field: &'static str,
        /// What is wrong with it.
        why: &'static str,
    },
}

/// Configuration the core needs.
#[derive(Debug, Clone)]
pub struct Config {
    /// The campaign, pinned whatever the date (tests, one-off tools); `ruban serve` gives the
    /// whole calendar with [`Bot::with_calendar`], and today's date picks the campaign.
    pub campaign: Campaign,
    /// The secret that pseudonymises platform ids (never logged).
    pub secret: Vec<u8>,
    /// Rate limits.
    pub limits: Limits,
}

/// A message a sender may still choose to post on the wall (kept in memory only, briefly).
/// The bot.
pub struct Bot {
    store: Store,
    assets: Arc<Assets>,
    texts: Texts,
    keys: Pseudonymizer,
    limits: RateLimits,
    campaign: Campaign,
    /// The calendar today's date picks from; `None`: [`Config::campaign`] is pinned.
    calendar: Option<Calendar>,
    /// One drawing per core at a time: a burst of cards queues here in arrival order instead
    /// of sharing the cores among dozens of half-drawn images, so the first card asked is the
    /// first sent, and each drawing thread reuses its buffers (`card_renderer::scratch`).
    drawing: tokio::sync::Semaphore,
    /// This server's public address, once known: an open class's message then carries its
    /// class link (`…/classe/CODE`), the way in for pupils without an account.
    public_url: std::sync::OnceLock<String>,
    /// Cards drawn lately from signed links ([`share`]).
    shared_cache: std::sync::Mutex<share::SharedCache>,
}

impl std::fmt::Debug for Bot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bot").field("campaign", &self.campaign.year).finish_non_exhaustive()
    }
}

/// A refusal or failure shown to the person: a Fluent id and its arguments.
/// What closing a class answers: the counter's last state (an edit of its message, where it
/// has one) and the message with the class badge.
struct ClosedClass {
    counter: OutMessage,
    badge: OutMessage,
}

/// The owner (and platform) of a class opened from the organizers' dashboard: not a person,
/// so no person's key; organizers close it by their scope.
pub const DASHBOARD_OWNER: &str = "dashboard";

/// The most certificates drawn at once for a class (a class list on the dashboard).
pub const MAX_CLASS_CERTIFICATES: usize = 60;

struct Oops(&'static str, Vec<(&'static str, FluentValue<'static>)>);

impl Oops {
    fn new(id: &'static str) -> Self {
        Self(id, Vec::new())
    }
}

impl From<StoreError> for Oops {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::ClassClosed(_) => Oops::new("error-class-closed"),
            StoreError::ClassNotFound(_) => Oops::new("error-unknown-button"),
            StoreError::NotClassOwner(_) => Oops::new("error-class-not-owner"),
            other => {
                tracing::error!(error = %other, "store failure");
                Oops::new("error-internal")
            }
        }
    }
}

impl From<Refusal> for Oops {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::SlowDown => Oops::new("error-slow-down"),
            Refusal::DailyCap => Oops::new("error-daily-cap"),
        }
    }
}

/// Turns a validation error into the message that explains it.
fn text_error(e: RenderError) -> Oops {
    match e {
        RenderError::TooLong { field: "message", max, got } => {
            Oops("error-message-too-long", vec![("max", max.into()), ("got", got.into())])
        }
        RenderError::TooLong { field: "reason", max, got } => {
            Oops("error-reason-too-long", vec![("max", max.into()), ("got", got.into())])
        }
        RenderError::TooLong { max, got, .. } => {
            Oops("error-name-too-long", vec![("max", max.into()), ("got", got.into())])
        }
        RenderError::Empty { .. } => Oops::new("error-empty"),
        RenderError::UnknownDesign(_) => Oops::new("error-unknown-design"),
        other => {
            tracing::error!(error = %other, "render failure");
            Oops::new("error-internal")
        }
    }
}

/// A lease as the store counts it.
fn lease_ms(lease: std::time::Duration) -> i64 {
    i64::try_from(lease.as_millis()).unwrap_or(i64::MAX / 2)
}

/// A claim's answer, logged; a store that cannot answer lets the event through (pledges and
/// class clicks are idempotent, so handling twice beats losing one).
fn fail_open(event_key: &str, claimed: ruban_store::Result<bool>) -> bool {
    match claimed {
        Ok(true) => true,
        Ok(false) => {
            tracing::info!(event = event_key, "event delivered again: skipped");
            false
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not check for a repeated event");
            true
        }
    }
}

/// The one gate every text that reaches another person goes through (names, messages,
/// class and school names, public names): no link, nothing hurtful. A refusal says kindly
/// why, by category, and never quotes the text back.
fn moderated(text: &str) -> Result<(), Oops> {
    if moderation::has_link(text) {
        return Err(Oops::new("error-link"));
    }
    moderation::check(text).map_err(|category| {
        // The category only: the text itself may be a child's name or a cry for help.
        tracing::info!(category = %category, "text refused by moderation");
        metrics::counter!("ruban_moderation_refused_total", "category" => category.name()).increment(1);
        Oops::new(category.refusal_id())
    })
}

/// Cleans, caps and moderates a name typed by someone.
/// The platform name of the class page (`/classe/{code}`): pupils without an account.
pub const CLASS_PAGE: &str = "classe";

fn checked_name(raw: &str) -> Result<Name, Oops> {
    let name = Name::parse(raw).map_err(text_error)?;
    moderated(name.as_str())?;
    Ok(name)
}

/// Cleans, caps and moderates a message typed by someone.
fn checked_message(raw: &str) -> Result<Message, Oops> {
    let message = Message::parse(raw).map_err(text_error)?;
    moderated(message.as_str())?;
    Ok(message)
}

/// Cleans, caps and moderates a class or school name typed by someone.
fn checked_label(raw: &str) -> Result<Label, Oops> {
    let label = Label::parse(raw).map_err(text_error)?;
    moderated(label.as_str())?;
    Ok(label)
}

/// A file name from a person's name, ASCII only.
fn file_stem(prefix: &str, name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let slug: String = name.nfd().filter(|c| c.is_ascii_alphanumeric()).take(24).collect::<String>().to_lowercase();
    if slug.is_empty() { prefix.to_owned() } else { format!("{prefix}-{slug}") }
}

impl Bot {
    /// A bot over a store, with the renderer's assets.
    pub async fn new(store: Store, assets: Arc<Assets>, config: Config) -> Result<Self, CoreError> {
        store.load_campaign(&config.campaign).await?;
        // The moderation lists compile once per process, on first use: start it now, beside
        // the start-up, so the first card does not wait for it.
        std::thread::spawn(|| {
            let _ = moderation::check("ruban");
        });
        Ok(Self {
            store,
            assets,
            texts: Texts::embedded()?,
            keys: Pseudonymizer::new(&config.secret),
            limits: RateLimits::new(config.limits),
            campaign: config.campaign,
            calendar: None,
            drawing: tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())),
            public_url: std::sync::OnceLock::new(),
            shared_cache: std::sync::Mutex::default(),
        })
    }

    /// The texts (adapters use them for menus and pages).
    pub fn texts(&self) -> &Texts {
        &self.texts
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Lets today's date ([`ruban_store::clock::today`]) pick the campaign from `calendar`,
    /// each time it is asked: the campaign in progress, else the next one; never one that is
    /// over. Every campaign of the calendar is loaded into the store.
    pub async fn with_calendar(mut self, calendar: Calendar) -> Result<Self, CoreError> {
        for c in calendar.campaigns() {
            self.store.load_campaign(c).await?;
        }
        self.calendar = Some(calendar);
        Ok(self)
    }

    /// Where today falls in the calendar (what a wall or a help page says is next).
    pub fn season(&self) -> Season<'_> {
        match &self.calendar {
            Some(c) => c.season(ruban_store::clock::today()),
            None => Season::During(&self.campaign),
        }
    }

    /// The campaign something new joins today (in progress, else the next announced one), or
    /// `None` between campaigns when the next is not announced.
    pub fn current_campaign(&self) -> Option<&Campaign> {
        self.season().campaign()
    }

    /// The campaign a wall and totals show: today's or the next, else the last one (its
    /// totals stay on the wall between editions). Never the one new things join when it is
    /// over: see [`Bot::current_campaign`].
    pub fn campaign(&self) -> &Campaign {
        self.season().shown()
    }

    /// One sentence on what is next, in `l`: the week in progress, the next edition's dates,
    /// or that it is not announced (for `/aide` and the wall).
    pub fn season_text(&self, l: Locale) -> String {
        let d = |date| FluentValue::from(self.texts.date(l, date));
        match self.season() {
            Season::During(c) => self.t(
                l,
                "help-season-during",
                &[("year", c.year.to_string().into()), ("end", d(c.end)), ("persevert", d(c.persevert_day))],
            ),
            Season::Before(c) => self.t(
                l,
                "help-season-before",
                &[("year", c.year.to_string().into()), ("start", d(c.start)), ("end", d(c.end))],
            ),
            Season::Unannounced { .. } => self.t(l, "help-season-unannounced", &[]),
        }
    }

    /// The campaign a pledge, a class or a wall message joins now, or the kind refusal.
    fn joinable(&self) -> Result<&Campaign, Oops> {
        self.current_campaign().ok_or(Oops::new("ribbon-no-campaign"))
    }

    /// Claims a platform event (`telegram:<bot>:<update>`, `discord:<interaction>`) before an
    /// adapter handles it: false for a repeated delivery (a crash and restart, a gateway
    /// replay, a second process), which must change nothing. If the store cannot answer, the
    /// event is handled: pledges and class clicks are idempotent anyway.
    pub async fn first_delivery(&self, event_key: &str) -> bool {
        fail_open(event_key, self.store.first_delivery(event_key).await)
    }

    /// Claims a platform event for handling at least once (Telegram): true the first time and
    /// again after a delivery whose handling never finished (see [`Bot::delivered`]); false
    /// once it finished. Fail-open, like [`Bot::first_delivery`].
    pub async fn claim_delivery(&self, event_key: &str) -> bool {
        fail_open(event_key, self.store.claim_delivery(event_key).await)
    }

    /// Receives a platform event with its content, before it is acknowledged (Telegram), and
    /// takes it for `lease`: `Some(true)` when this process must handle it, `Some(false)` when
    /// it finished or another process holds it, `None` when the store cannot answer (a webhook
    /// then refuses the update, and Telegram delivers it again).
    pub async fn receive_event(&self, event_key: &str, payload: &str, lease: std::time::Duration) -> Option<bool> {
        match self.store.receive_event(event_key, payload, lease_ms(lease)).await {
            Ok(false) => {
                tracing::info!(event = event_key, "event delivered again: skipped");
                Some(false)
            }
            Ok(true) => Some(true),
            Err(e) => {
                tracing::warn!(error = %e, "could not record a received event");
                None
            }
        }
    }

    /// This process still handles the event: its lease runs `lease` from now.
    pub async fn renew_event(&self, event_key: &str, lease: std::time::Duration) {
        if let Err(e) = self.store.renew_event(event_key, lease_ms(lease)).await {
            tracing::warn!(error = %e, "could not renew the lease of an event being handled");
        }
    }

    /// Events under `prefix` received and never finished whose process's lease ran out (it
    /// died), taken over by this process for `lease`; none when the store cannot answer.
    pub async fn take_unfinished(&self, prefix: &str, lease: std::time::Duration, max: i64) -> Vec<Unfinished> {
        self.store.take_unfinished(prefix, lease_ms(lease), max).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "could not look for unfinished events");
            Vec::new()
        })
    }

    /// The handling of a claimed event finished (its replies were sent or refused for good).
    pub async fn delivered(&self, event_key: &str) {
        if let Err(e) = self.store.delivered(event_key).await {
            tracing::warn!(error = %e, "could not mark an event handled; a redelivery would be handled again");
        }
    }

    /// The person's language: their `/langue` choice, else the platform's.
    pub async fn locale_of(&self, platform: &str, user: &User) -> Locale {
        let key = self.keys.person(platform, &user.id);
        if let Ok(Some(Profile { locale: Some(tag), .. })) = self.store.profile(&key).await
            && let Ok(l) = tag.parse::<Locale>()
        {
            return l;
        }
        i18n::locale_from_platform(user.locale.as_deref())
    }

    /// Handles one event and returns what to send. Never fails: a failure is a kind message.
    pub async fn handle(&self, inc: Incoming) -> Reply {
        // The one gate: a value no person types (a NUL, a control character, an id of 4 kB)
        // gets a kind answer, in the platform's language, and reaches nothing stored.
        if let Err(e) = validate::incoming(&inc) {
            tracing::info!(platform = %inc.platform.escape_debug(), refused = %e, "malformed event refused");
            let locale =
                i18n::locale_from_platform(inc.user.locale.as_deref().filter(|l| validate::locale_tag(l).is_ok()));
            let mut m = OutMessage::text(self.texts.t(locale, "error-invalid-input", &[]));
            m.private = true;
            return Reply::one(m);
        }
        let locale = self.locale_of(&inc.platform, &inc.user).await;
        let result = match &inc.action {
            Action::Text(text) => self.command(&inc, locale, parse::parse(text, inc.target.is_some())).await,
            Action::Command(cmd) => self.command(&inc, locale, cmd.clone()).await,
            Action::Click { button } => self.click(&inc, locale, button).await,
        };
        match result {
            Ok(reply) => reply,
            Err(Oops(id, args)) => {
                let mut m = OutMessage::text(self.texts.t(locale, id, &args));
                m.private = true;
                let mut reply = Reply::one(m);
                if moderation::Category::from_refusal_id(id).is_some_and(moderation::Category::needs_help_lines) {
                    reply.messages.push(self.help_lines(locale));
                }
                reply
            }
        }
    }

    /// The help lines for young people, for the person alone (never shown to a group): a
    /// self-harm phrase may be a cry for help as much as an attack.
    fn help_lines(&self, l: Locale) -> OutMessage {
        OutMessage {
            text: self.t(l, "error-moderation-help-lines", &[]),
            private: true,
            personal: true,
            unreachable: Some(self.t(l, "error-moderation-write-privately", &[])),
            ..OutMessage::default()
        }
    }

    fn t(&self, l: Locale, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        self.texts.t(l, id, args)
    }

    /// The pseudonymous key of a platform's user, as the store knows them (what the web side
    /// files a person's images under, so forget-me finds them).
    pub fn person_key(&self, platform: &str, user_id: &str) -> String {
        self.keys.person(platform, user_id)
    }

    fn person(&self, inc: &Incoming) -> String {
        self.keys.person(&inc.platform, &inc.user.id)
    }

    fn chat(&self, inc: &Incoming) -> String {
        self.keys.chat(&inc.platform, &inc.chat.id)
    }

    fn limit(&self, kind: Kind, inc: &Incoming) -> Result<(), Oops> {
        let day = ruban_store::clock::day_string(ruban_store::export::today());
        self.limits.check(kind, &self.person(inc), &self.chat(inc), &day).map_err(Oops::from)
    }

    async fn command(&self, inc: &Incoming, l: Locale, cmd: Command) -> Result<Reply, Oops> {
        match cmd {
            Command::NotACommand if inc.chat.private => Ok(Reply::one(OutMessage::text(self.t(l, "welcome", &[])))),
            Command::NotACommand => Ok(Reply::default()),
            Command::Unknown(_) => Err(Oops::new("error-unknown-command")),
            Command::Help => {
                self.limit(Kind::Other, inc)?;
                Ok(Reply::one(OutMessage::text(format!("{}\n\n{}", self.t(l, "help", &[]), self.season_text(l)))))
            }
            Command::Card { name, design, message } => self.card(inc, l, name, design, message).await,
            Command::Ribbon { name } => self.ribbon(inc, l, name).await,
            Command::Class { name: _, close: true } => {
                let chat = self.chat(inc);
                let open = self.store.open_class_in_chat(&chat).await?.ok_or(Oops::new("error-class-none-open"))?;
                self.close_class(inc, l, &open.code).await
            }
            Command::Class { name, close: false } => self.open_class(inc, l, name).await,
            Command::ClassApproval(on) => self.class_approval(inc, l, on).await,
            Command::ClassTeacher => self.class_teacher(inc, l).await,
            Command::Certificate { name, reason } => self.certificate(inc, l, name, reason).await,
            Command::JoinClass(code) => self.join(inc, l, &code).await,
            Command::Wall => self.wall(inc, l).await,
            Command::Totals => self.totals(inc, l).await,
            Command::Language(choice) => self.language(inc, choice).await,
            Command::Forget => Ok(Reply::one(OutMessage {
                text: self.t(l, "forget-confirm", &[]),
                buttons: vec![
                    Button { id: "f:1".into(), label: self.t(l, "forget-yes", &[]) },
                    Button { id: "f:0".into(), label: self.t(l, "forget-no", &[]) },
                ],
                private: true,
                ..OutMessage::default()
            })),
        }
    }

    async fn card(
        &self,
        inc: &Incoming,
        l: Locale,
        name: Option<String>,
        design: Option<Design>,
        message: Option<String>,
    ) -> Result<Reply, Oops> {
        let raw_name = match (&inc.target, name) {
            (Some(t), _) => t.name.clone(),
            (None, Some(n)) => n,
            (None, None) => return Err(Oops::new("error-card-needs-name")),
        };
        let to = checked_name(&raw_name)?;
        let message = message.map(|m| checked_message(&m)).transpose()?;
        self.drawable(to.as_str())?;
        if let Some(m) = &message {
            self.drawable(m.as_str())?;
        }
        // Checked after validation: a refused text does not use up the sender's cards.
        self.limit(Kind::Card, inc)?;
        let sender = self.person(inc);
        // Three of their cards reported as hurtful: no more cards this campaign. Fail-open
        // (the store unavailable): the moderation above still holds.
        if let Some(year) = self.current_campaign().map(|c| c.year) {
            match self.store.is_blocked(year, &sender).await {
                Ok(true) => return Err(Oops::new("error-card-blocked")),
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "could not check whether a sender is blocked"),
            }
        }
        // The day's cap again, from the database: other processes may have sent this
        // person's cards. Fail-open: the per-process count above still holds.
        let today = ruban_store::clock::day_string(ruban_store::export::today());
        match self.store.cards_sent_on(&sender, &today).await {
            Ok(sent) if sent >= i64::from(self.limits.cards_per_day()) => return Err(Oops::from(Refusal::DailyCap)),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not count today's cards; the per-process cap applies"),
        }
        let from_raw = match self.store.profile(&sender).await {
            Ok(Some(Profile { public_name: Some(n), .. })) => n,
            _ => inc.user.display_name.clone(),
        };
        // A display name that does not pass (or that no bundled font draws) is simply left
        // off the card.
        let from = checked_name(&from_raw).ok().filter(|n| self.drawable(n.as_str()).is_ok());
        let design = design.unwrap_or(Design::Encourager);
        // No message typed: one of the design's suggestions, at random for each card (a
        // class writing to the same Léa sends her different words).
        let drawn = match &message {
            Some(m) => m.clone(),
            None => self.suggested(l, design)?,
        };
        let spec = CardSpec { to: to.clone(), from, message: Some(drawn), design, locale: l };
        let design_id = spec.design.id();
        // Between campaigns, with none announced, the card carries no year.
        let edition = self.current_campaign().cloned();
        let png = self
            .render("card", move |assets| {
                card_renderer::into_png(card_renderer::render_card_in(assets, &spec, edition.as_ref()))
            })
            .await?;
        let Some(year) = self.current_campaign().map(|c| c.year) else {
            // Nothing to count it in nor a wall to post it on: the card is sent, not kept.
            let name_arg = [("name", FluentValue::from(to.as_str().to_owned()))];
            return Ok(Reply::one(OutMessage {
                text: self.t(l, "card-sent", &name_arg),
                images: vec![Attachment {
                    bytes: Arc::new(png),
                    file_name: format!("{}.png", file_stem("carte", to.as_str())),
                    alt: self.t(l, "card-alt", &name_arg),
                }],
                ..OutMessage::default()
            }));
        };
        let card_id = self
            .store
            .record_card(&NewCard {
                campaign: year,
                sender_key: Some(sender.clone()),
                recipient_key: inc
                    .target
                    .as_ref()
                    .and_then(|t| t.id.as_ref())
                    .map(|id| self.keys.person(&inc.platform, id)),
                design: design_id.to_owned(),
                platform: inc.platform.clone(),
                wall_entry: None,
            })
            .await?;
        let mut buttons = Vec::new();
        if let Some(m) = &message {
            // Offered in the store, so the button works from any process, and never after the
            // author's forget-me. Fail-open: the card is sent without the button.
            let offer =
                PendingPost { author_key: sender, message: m.as_str().to_owned(), platform: inc.platform.clone() };
            match self.store.offer_wall_post(card_id, &offer).await {
                Ok(()) => buttons.push(Button { id: format!("w:{card_id}"), label: self.t(l, "card-post-wall", &[]) }),
                Err(e) => tracing::warn!(error = %e, "could not offer the card's message for the wall"),
            }
        }
        // In a chat others see, whoever the card hurt can report it (see `report`).
        if !inc.chat.private {
            buttons.push(Button { id: format!("s:{card_id}"), label: self.t(l, "card-report", &[]) });
        }
        let name_arg = [("name", FluentValue::from(to.as_str().to_owned()))];
        Ok(Reply::one(OutMessage {
            text: self.t(l, "card-sent", &name_arg),
            images: vec![Attachment {
                bytes: Arc::new(png),
                file_name: format!("{}.png", file_stem("carte", to.as_str())),
                alt: self.t(l, "card-alt", &name_arg),
            }],
            buttons,
            ..OutMessage::default()
        }))
    }

    /// Renders on the blocking pool: drawing is CPU work that must not stall the chat loop.
    /// Draws and encodes on the blocking pool, one drawing per core; `kind` names what for
    /// the metrics (`ruban_images_rendered_total`, `ruban_render_seconds`).
    async fn render<F>(&self, kind: &'static str, f: F) -> Result<Vec<u8>, Oops>
    where
        F: FnOnce(&Assets) -> Result<Vec<u8>, RenderError> + Send + 'static,
    {
        let assets = self.assets.clone();
        // The semaphore is never closed, so acquiring only waits.
        let _turn = self.drawing.acquire().await.map_err(|_| Oops::new("error-internal"))?;
        let started = std::time::Instant::now();
        match tokio::task::spawn_blocking(move || f(&assets)).await {
            Ok(Ok(bytes)) => {
                metrics::counter!("ruban_images_rendered_total", "kind" => kind).increment(1);
                metrics::histogram!("ruban_render_seconds", "kind" => kind).record(started.elapsed().as_secs_f64());
                Ok(bytes)
            }
            Ok(Err(e)) => Err(text_error(e)),
            Err(e) => {
                tracing::error!(error = %e, "render task failed");
                Err(Oops::new("error-internal"))
            }
        }
    }

    /// One of the design's suggested messages, picked at random.
    fn suggested(&self, l: Locale, design: Design) -> Result<Message, Oops> {
        let all = self.texts.design_suggestions(l, design);
        let pick = all.get(rand::random_range(0..all.len().max(1))).ok_or(Oops::new("error-internal"))?;
        Message::parse(pick).map_err(text_error)
    }

    async fn ribbon(&self, inc: &Incoming, l: Locale, name: Option<String>) -> Result<Reply, Oops> {
        let name = name.map(|n| checked_name(&n)).transpose()?;
        // Between campaigns: the next one if announced, else a kind word and nothing stored.
        let campaign = self.joinable()?.clone();
        let early = ruban_store::clock::today() < campaign.start;
        self.limit(Kind::Pledge, inc)?;
        let person = self.person(inc);
        let mut profile = self.store.profile(&person).await?.unwrap_or_default();
        if let Some(n) = &name {
            profile.public_name = Some(n.as_str().to_owned());
            self.store.set_profile(&person, &profile).await?;
        }
        let pledge = self
            .store
            .pledge(PledgeRequest {
                campaign: campaign.year,
                person_key: person,
                platform: inc.platform.clone(),
                chat_key: (!inc.chat.private).then(|| self.chat(inc)),
                region: None,
                organization: None,
            })
            .await?;
        let shown = profile.public_name.as_deref().and_then(|n| Name::parse(n).ok());
        let date = ruban_store::clock::montreal_day(pledge.at_ms);
        let spec = BadgeSpec { name: shown, number: pledge.number as u64, date, locale: l, size: BadgeSize::Large };
        let year = campaign.year;
        let png = self
            .render("badge", move |a| {
                card_renderer::into_png(card_renderer::render_badge_in(a, &spec, Some(&campaign)))
            })
            .await?;
        let number = [("number", FluentValue::from(format_number(l, pledge.number as u64)))];
        let mut text = self.t(l, if pledge.created { "ribbon-new" } else { "ribbon-again" }, &number);
        if early && let Some(c) = self.current_campaign().filter(|c| c.year == year) {
            let args = [("year", FluentValue::from(year.to_string())), ("date", self.texts.date(l, c.start).into())];
            text = format!("{text}\n{}", self.t(l, "ribbon-early", &args));
        }
        let mut messages = vec![OutMessage {
            text,
            images: vec![Attachment {
                bytes: Arc::new(png),
                file_name: format!("ruban-{}.png", pledge.number),
                alt: self.t(l, "ribbon-alt", &number),
            }],
            ..OutMessage::default()
        }];
        if pledge.created {
            messages.push(OutMessage {
                text: self.t(l, "ribbon-ask-wall", &[]),
                buttons: vec![
                    Button { id: "r:w:1".into(), label: self.t(l, "ribbon-wall-yes", &[]) },
                    Button { id: "r:w:0".into(), label: self.t(l, "ribbon-wall-no", &[]) },
                ],
                private: true,
                ..OutMessage::default()
            });
            messages.push(OutMessage {
                text: self.t(l, "ribbon-ask-region", &[]),
                buttons: self
                    .store
                    .regions()
                    .iter()
                    .map(|r| Button { id: format!("r:g:{}", r.code), label: r.name(l.tag()).to_owned() })
                    .collect(),
                private: true,
                ..OutMessage::default()
            });
        }
        Ok(Reply { messages })
    }

    /// Sets the public address class links are made from (`https://ruban.example.org`); the
    /// first call wins.
    pub fn set_public_url(&self, url: &str) {
        let _ = self.public_url.set(url.trim_end_matches('/').to_owned());
    }

    /// The address of a class link (`link`: [`ruban_store::ClassSession::link`]), when this
    /// server's public address is known.
    pub fn class_link(&self, link: &str) -> Option<String> {
        self.public_url.get().map(|base| format!("{base}/classe/{link}"))
    }

    pub(crate) fn class_message(
        &self,
        l: Locale,
        session: &ruban_store::ClassSession,
        members: i64,
        open: bool,
    ) -> OutMessage {
        let class = session.class_name.clone().unwrap_or_default();
        let mut count = self.t(
            l,
            "class-count",
            &[("count", members.into()), ("formatted", format_number(l, members as u64).into())],
        );
        if let Some(link) = self.class_link(session.link()).filter(|_| open) {
            count.push('\n');
            count.push_str(&self.t(l, "class-link-line", &[("url", link.into())]));
        }
        let key = format!("class-{}", session.code);
        OutMessage {
            text: format!("{}\n\n{count}", self.t(l, "class-opened", &[("class", class.into())])),
            buttons: if open {
                vec![
                    Button { id: format!("j:{}", session.code), label: self.t(l, "class-join-button", &[]) },
                    Button { id: format!("x:{}", session.code), label: self.t(l, "class-close-button", &[]) },
                ]
            } else {
                Vec::new()
            },
            key: Some(key.clone()),
            edits: None,
            // Later states win: more members, and closed after open.
            revision: Some(members as u64 * 2 + u64::from(!open)),
            locale: Some(l),
            ..OutMessage::default()
        }
    }

    async fn open_class(&self, inc: &Incoming, l: Locale, name: Option<String>) -> Result<Reply, Oops> {
        if !(inc.is_admin || inc.chat.private) {
            return Err(Oops::new("error-class-not-allowed"));
        }
        let raw = name.ok_or(Oops::new("error-class-needs-name"))?;
        let label = checked_label(&raw)?;
        self.drawable(label.as_str())?;
        let chat = self.chat(inc);
        if let Some(open) = self.store.open_class_in_chat(&chat).await? {
            return Err(Oops("error-class-already-open", vec![("class", open.class_name.unwrap_or_default().into())]));
        }
        let year = self.joinable()?.year;
        self.limit(Kind::Class, inc)?;
        let session = self
            .store
            .open_class(NewClass {
                campaign: year,
                owner_key: self.person(inc),
                platform: inc.platform.clone(),
                chat_key: Some(chat),
                class_name: label.as_str().to_owned(),
                school: None,
                region: None,
            })
            .await?;
        Ok(Reply::one(self.class_message(l, &session, 0, true)))
    }

    /// `/classe approbation`: the adults in charge of a class's chat choose that its messages
    /// reach the wall only once an organizer approved them (the dashboard's queue).
    async fn class_approval(&self, inc: &Incoming, l: Locale, on: bool) -> Result<Reply, Oops> {
        if !inc.is_admin || inc.chat.private {
            return Err(Oops::new("error-class-approval-not-allowed"));
        }
        let class = self.store.open_class_in_chat(&self.chat(inc)).await?.ok_or(Oops::new("error-class-none-open"))?;
        self.store.set_class_premoderated(&class.code, on).await?;
        let args = [("class", FluentValue::from(class.class_name.unwrap_or_default()))];
        Ok(Reply::one(OutMessage::text(self.t(l, if on { "class-approval-on" } else { "class-approval-off" }, &args))))
    }

    /// `/certificat NOM [raison]`: the adults in charge of a chat (or anyone in a private chat
    /// with the bot) get a certificate of recognition for a pupil, privately, as a PNG and a
    /// PDF to print. The name and the reason get the checks of a card; the giver is the adult's
    /// name when it passes them. Only the count is kept.
    async fn certificate(
        &self,
        inc: &Incoming,
        l: Locale,
        name: Option<String>,
        reason: Option<String>,
    ) -> Result<Reply, Oops> {
        if !(inc.is_admin || inc.chat.private) {
            return Err(Oops::new("error-certificate-not-allowed"));
        }
        let raw = name.ok_or(Oops::new("error-certificate-needs-name"))?;
        let recipient = checked_name(&raw)?;
        self.drawable(recipient.as_str())?;
        let reason = self.certificate_reason(l, reason.as_deref())?;
        self.limit(Kind::Other, inc)?;
        let giver = checked_name(&inc.user.display_name)
            .ok()
            .filter(|g| self.drawable(g.as_str()).is_ok())
            .map_or_else(|| Name::parse(&self.t(l, "certificate-default-giver", &[])).map_err(text_error), Ok)?;
        let spec = CertificateSpec {
            recipient: recipient.clone(),
            reason,
            giver,
            organization: None,
            date: ruban_store::export::today(),
            locale: l,
        };
        let edition = self.current_campaign().cloned();
        let (png_spec, png_edition) = (spec.clone(), edition.clone());
        let png = self
            .render("certificate", move |a| {
                card_renderer::into_png(card_renderer::render_certificate_in(a, &png_spec, png_edition.as_ref()))
            })
            .await?;
        let pdf = self
            .render("certificate_pdf", move |a| card_renderer::certificate_pdf_in(a, &spec, edition.as_ref()))
            .await?;
        let year = self.current_campaign().map_or(self.campaign().year, |c| c.year);
        if let Err(e) = self.store.count_certificates(year, &inc.platform, 1).await {
            tracing::warn!(error = %e, "a certificate was not counted");
        }
        let stem = file_stem("certificat", recipient.as_str());
        let who = [("name", FluentValue::from(recipient.as_str().to_owned()))];
        Ok(Reply::one(OutMessage {
            text: self.t(l, "certificate-ready", &who),
            images: vec![Attachment {
                bytes: Arc::new(png),
                file_name: format!("{stem}.png"),
                alt: self.t(l, "certificate-alt", &who),
            }],
            files: vec![Attachment {
                bytes: Arc::new(pdf),
                file_name: format!("{stem}.pdf"),
                alt: self.t(l, "certificate-alt", &who),
            }],
            private: true,
            personal: true,
            unreachable: Some(self.t(l, "certificate-write-privately", &[])),
            ..OutMessage::default()
        }))
    }

    /// A certificate's reason as typed (a card's checks), or the default one when none is.
    fn certificate_reason(&self, l: Locale, typed: Option<&str>) -> Result<Reason, Oops> {
        match typed.map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => {
                let r = Reason::parse(r).map_err(text_error)?;
                moderated(r.as_str())?;
                self.drawable(r.as_str())?;
                Ok(r)
            }
            None => Reason::parse(&self.t(l, "certificate-default-reason", &[])).map_err(text_error),
        }
    }

    /// A class's certificates, for an organizer (the dashboard): one print-ready PDF with a
    /// page per pupil, in the order given. Every name (at most [`MAX_CLASS_CERTIFICATES`]) and
    /// the reason get a card's checks first: one refused name draws nothing, and the sentence
    /// says which line. Only the count is kept.
    pub async fn class_certificates(
        &self,
        l: Locale,
        names: &[String],
        reason: Option<&str>,
        giver: &str,
        platform: &str,
    ) -> Result<Vec<u8>, String> {
        let oops = |o: Oops| self.t(l, o.0, &o.1);
        let names: Vec<&str> = names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()).collect();
        if names.is_empty() {
            return Err(self.t(l, "error-certificates-none", &[]));
        }
        if names.len() > MAX_CLASS_CERTIFICATES {
            return Err(self.t(l, "error-certificates-too-many", &[("max", MAX_CLASS_CERTIFICATES.into())]));
        }
        let mut recipients = Vec::with_capacity(names.len());
        for (i, raw) in names.iter().enumerate() {
            let name = checked_name(raw).and_then(|n| self.drawable(n.as_str()).map(|()| n)).map_err(|o| {
                self.t(l, "error-certificates-line", &[("line", (i + 1).into()), ("why", oops(o).into())])
            })?;
            recipients.push(name);
        }
        let reason = self.certificate_reason(l, reason).map_err(oops)?;
        let giver = checked_name(giver).and_then(|g| self.drawable(g.as_str()).map(|()| g)).map_err(oops)?;
        let edition = self.current_campaign().cloned();
        let date = ruban_store::export::today();
        // Each page drawn and encoded in its own turn on the drawing cores, all at once.
        let pages = recipients.into_iter().map(|recipient| {
            let spec = CertificateSpec {
                recipient,
                reason: reason.clone(),
                giver: giver.clone(),
                organization: None,
                date,
                locale: l,
            };
            let edition = edition.clone();
            self.render("certificate_page", move |a| {
                let pixmap = card_renderer::render_certificate_in(a, &spec, edition.as_ref());
                card_renderer::encode::jpeg_print(&pixmap)
            })
        });
        let jpegs = futures_util::future::try_join_all(pages).await.map_err(oops)?;
        let pages: Vec<card_renderer::encode::JpegPage> = jpegs
            .into_iter()
            .map(|j| {
                card_renderer::encode::JpegPage::from_jpeg(
                    j,
                    card_renderer::CERTIFICATE_WIDTH,
                    card_renderer::CERTIFICATE_HEIGHT,
                )
            })
            .collect();
        let title = self.t(l, "certificate-title", &[]);
        let pdf = card_renderer::encode::pdf_pages(&pages, 792.0, 612.0, &title).map_err(text_error).map_err(oops)?;
        let year = self.current_campaign().map_or(self.campaign().year, |c| c.year);
        if let Err(e) = self.store.count_certificates(year, platform, pages.len() as i64).await {
            tracing::warn!(error = %e, "a class's certificates were not counted");
        }
        Ok(pdf)
    }

    /// `/classe enseignant`: the adults in charge of a class's chat get its teacher access, for
    /// them alone (never shown in the group, where pupils would see it).
    async fn class_teacher(&self, inc: &Incoming, l: Locale) -> Result<Reply, Oops> {
        if !inc.is_admin || inc.chat.private {
            return Err(Oops::new("error-class-teacher-not-allowed"));
        }
        let class = self.store.open_class_in_chat(&self.chat(inc)).await?.ok_or(Oops::new("error-class-none-open"))?;
        let code = self.store.teacher_code(&class.code).await?.ok_or(Oops::new("error-class-teacher-none"))?;
        let args = [
            ("class", FluentValue::from(class.class_name.unwrap_or_default())),
            ("link", self.teacher_link(&code).into()),
        ];
        Ok(Reply::one(OutMessage {
            text: self.t(l, "class-teacher-link", &args),
            private: true,
            personal: true,
            unreachable: Some(self.t(l, "class-teacher-write-privately", &[])),
            ..OutMessage::default()
        }))
    }

    /// A class's teacher access (`/enseignant/CODE`), whole when the public address is known.
    pub fn teacher_link(&self, teacher_code: &str) -> String {
        let path = format!("/enseignant/{teacher_code}");
        self.public_url.get().map_or(path.clone(), |base| format!("{base}{path}"))
    }

    async fn close_class(&self, inc: &Incoming, l: Locale, code: &str) -> Result<Reply, Oops> {
        let closed = self.close_class_by(l, code, &self.person(inc)).await?;
        Ok(Reply { messages: vec![closed.counter, closed.badge] })
    }

    /// Opens a class from the organizers' dashboard, for a pupil's school device (the class
    /// link): the class name gets the checks of `/classe NOM`; the class has no chat, and its
    /// owner is [`DASHBOARD_OWNER`], so that any organizer whose scope holds it may close it.
    /// A refusal is the sentence to show the organizer.
    pub async fn open_class_from_dashboard(
        &self,
        l: Locale,
        name: &str,
        school: Option<String>,
        region: Option<String>,
    ) -> Result<ruban_store::ClassSession, String> {
        let opened = async {
            let label = checked_label(name)?;
            self.drawable(label.as_str())?;
            let year = self.joinable()?.year;
            let new = NewClass {
                campaign: year,
                owner_key: DASHBOARD_OWNER.to_owned(),
                platform: DASHBOARD_OWNER.to_owned(),
                chat_key: None,
                class_name: label.as_str().to_owned(),
                school,
                region,
            };
            Ok::<_, Oops>(self.store.open_class(new).await?)
        };
        opened.await.map_err(|Oops(id, args)| self.t(l, id, &args))
    }

    /// Closes a class opened from the dashboard: the sentence that says how many pledged, and
    /// the class badge (PNG). The caller checked that the organizer's scope holds the class.
    pub async fn close_class_from_dashboard(&self, l: Locale, code: &str) -> Result<(String, Attachment), String> {
        let mut closed =
            self.close_class_by(l, code, DASHBOARD_OWNER).await.map_err(|Oops(id, args)| self.t(l, id, &args))?;
        let badge = closed.badge.images.pop().ok_or_else(|| self.t(l, "error-internal", &[]))?;
        Ok((closed.badge.text, badge))
    }

    async fn close_class_by(&self, l: Locale, code: &str, by: &str) -> Result<ClosedClass, Oops> {
        validate::class_code(code).map_err(|_| Oops::new("error-unknown-button"))?;
        let summary = self.store.close_class(code, by).await?;
        let class = summary.session.class_name.clone().unwrap_or_default();
        let mut edited = self.class_message(l, &summary.session, summary.members, false);
        edited.edits = edited.key.take();
        let names: Vec<Name> = summary.names.iter().filter_map(|n| Name::parse(n).ok()).collect();
        let spec = ClassBadgeSpec {
            class_name: Label::parse(&class).unwrap_or_else(|_| Label::parse("Classe").expect("a valid label")),
            school: summary.session.school.as_deref().and_then(|s| Label::parse(s).ok()),
            count: summary.members as u64,
            names,
            date: ruban_store::export::today(),
            locale: l,
        };
        // The class's campaign, unless it is over (then no year at all).
        let edition = self.current_campaign().filter(|c| c.year == summary.session.campaign).cloned();
        let png = self
            .render("class_badge", move |a| {
                card_renderer::into_png(card_renderer::render_class_badge_in(a, &spec, edition.as_ref()))
            })
            .await?;
        let count_args = [
            ("class", FluentValue::from(class.clone())),
            ("count", summary.members.into()),
            ("formatted", format_number(l, summary.members as u64).into()),
        ];
        let done = OutMessage {
            text: self.t(l, "class-closed", &count_args),
            images: vec![Attachment {
                bytes: Arc::new(png),
                file_name: format!("{}.png", file_stem("classe", &class)),
                alt: self.t(l, "class-badge-alt", &[("class", class.into())]),
            }],
            ..OutMessage::default()
        };
        // The badge is drawn: the first names typed on the class page are forgotten.
        if let Err(e) = self.store.forget_class_names(code).await {
            tracing::warn!(error = %e, "could not forget a closed class's first names; the purge will");
        }
        Ok(ClosedClass { counter: edited, badge: done })
    }

    async fn join(&self, inc: &Incoming, l: Locale, code: &str) -> Result<Reply, Oops> {
        // A code of the wrong shape cannot be one of ours: the same answer as an unknown one.
        validate::class_code(code).map_err(|_| Oops::new("error-unknown-button"))?;
        self.limit(Kind::Other, inc)?;
        // A click on a class of a campaign that is over (an old message) pledges nowhere.
        let before = self.store.class_by_code(code).await?.ok_or(Oops::new("error-unknown-button"))?;
        if self.current_campaign().map(|c| c.year) != Some(before.campaign) {
            return Err(Oops("class-campaign-over", vec![("year", before.campaign.to_string().into())]));
        }
        // On the class page (no account, no platform name) a pupil may type a first name for
        // the class badge; it gets the same checks as any name that reaches other people. A
        // platform's display name is never drawn without the person choosing it (`/nom`).
        let first_name = match inc.user.display_name.trim() {
            typed if inc.platform == CLASS_PAGE && !typed.is_empty() => Some(checked_name(typed)?.as_str().to_owned()),
            _ => None,
        };
        let joined = self
            .store
            .join_class(JoinRequest {
                code: code.to_owned(),
                person_key: self.person(inc),
                platform: inc.platform.clone(),
                first_name,
            })
            .await?;
        let session = self.store.class_by_code(code).await?.ok_or(Oops::new("error-unknown-button"))?;
        let mut edited = self.class_message(l, &session, joined.members, session.is_open);
        edited.edits = edited.key.take();
        let toast = OutMessage {
            text: self.t(l, if joined.newly_joined { "class-joined-toast" } else { "class-already-toast" }, &[]),
            private: true,
            ..OutMessage::default()
        };
        Ok(Reply { messages: vec![edited, toast] })
    }

    async fn wall(&self, inc: &Incoming, l: Locale) -> Result<Reply, Oops> {
        self.limit(Kind::Other, inc)?;
        let year = self.campaign().year;
        let total = self.store.count(year).await?;
        let today = ruban_store::clock::day_string(ruban_store::export::today());
        let today_count =
            self.store.totals(year, GroupBy::Day).await?.into_iter().find(|r| r.key == today).map_or(0, |r| r.pledges);
        let neutral = self.t(l, "wall-neutral-name", &[]);
        let entries: Vec<(String, String)> = self
            .store
            .wall(year, 4, false)
            .await?
            .into_iter()
            .map(|w| (w.author_name.unwrap_or_else(|| neutral.clone()), w.message))
            .collect();
        let formatted = format_number(l, total as u64);
        let summary = self.t(
            l,
            "wall-summary",
            &[
                ("total", total.into()),
                ("formatted", formatted.clone().into()),
                ("today", format_number(l, today_count as u64).into()),
            ],
        );
        let spec = card_renderer::WallSpec {
            title: self.t(l, "wall-title", &[]),
            total: formatted.clone(),
            summary: summary.clone(),
            entries,
            locale: l,
        };
        let edition = self.current_campaign().cloned();
        let png = self
            .render("wall", move |a| card_renderer::into_png(card_renderer::render_wall_in(a, &spec, edition.as_ref())))
            .await?;
        Ok(Reply::one(OutMessage {
            text: summary,
            images: vec![Attachment {
                bytes: Arc::new(png),
                file_name: "mur.png".into(),
                alt: self.t(l, "wall-alt", &[("formatted", formatted.into())]),
            }],
            ..OutMessage::default()
        }))
    }

    async fn totals(&self, inc: &Incoming, l: Locale) -> Result<Reply, Oops> {
        if !inc.is_organizer {
            return Err(Oops::new("error-organizers-only"));
        }
        self.limit(Kind::Other, inc)?;
        let year = self.campaign().year;
        let rows = self.store.totals(year, GroupBy::Day).await?;
        let mut csv = Vec::new();
        ruban_store::export::write_totals(&mut csv, year, GroupBy::Day, &rows, ExportFormat::Csv { excel: true })?;
        let total: i64 = rows.iter().map(|r| r.pledges).sum();
        let bars: Vec<(String, u64, bool)> = rows
            .iter()
            .map(|r| {
                let label = time::Date::parse(&r.key, time::macros::format_description!("[year]-[month]-[day]"))
                    .map(|d| format!("{} {}", d.day(), self.t(l, &format!("month-{}", u8::from(d.month())), &[])))
                    .unwrap_or_else(|_| r.key.clone());
                (label, r.pledges as u64, r.persevert == Some(true))
            })
            .collect();
        let spec = card_renderer::ChartSpec { title: self.t(l, "totals-alt", &[]), bars, locale: l };
        let png = self.render("chart", move |a| card_renderer::into_png(card_renderer::render_chart(a, &spec))).await?;
        Ok(Reply::one(OutMessage {
            text: self.t(
                l,
                "totals-summary",
                &[("year", year.into()), ("formatted", format_number(l, total as u64).into())],
            ),
            images: vec![Attachment {
                bytes: Arc::new(png),
                file_name: "totaux.png".into(),
                alt: self.t(l, "totals-alt", &[]),
            }],
            files: vec![Attachment {
                bytes: Arc::new(csv),
                file_name: format!("totaux-{year}.csv"),
                alt: String::new(),
            }],
            private: true,
            ..OutMessage::default()
        }))
    }

    async fn language(&self, inc: &Incoming, choice: Option<String>) -> Result<Reply, Oops> {
        let current = self.locale_of(&inc.platform, &inc.user).await;
        let Some(choice) = choice else {
            return Ok(Reply::one(OutMessage::text(self.t(current, "language-choose", &[]))));
        };
        let l: Locale = choice.parse().map_err(|_| Oops::new("error-unknown-language"))?;
        let person = self.person(inc);
        let mut profile = self.store.profile(&person).await?.unwrap_or_default();
        profile.locale = Some(l.tag().to_owned());
        self.store.set_profile(&person, &profile).await?;
        Ok(Reply::one(OutMessage::text(self.t(l, "language-set", &[]))))
    }

    /// A text that goes on an image: refused, naming the character, when no bundled font
    /// draws one of its characters (a card never shows the replacement diamond).
    fn drawable(&self, text: &str) -> Result<(), Oops> {
        match card_renderer::first_undrawable(&self.assets, text) {
            None => Ok(()),
            Some(c) => Err(Oops("error-undrawable", vec![("char", FluentValue::from(c.to_string()))])),
        }
    }

    /// « Signaler » under a card: its recipient, or an adult responsible for the chat (an
    /// administrator), reports it. The card leaves the wall at once, the report reaches the
    /// organizers' queue, and its sender gets a strike (three block their cards for the
    /// campaign). Anyone else is told who may report; nobody is ever told who sent it.
    async fn report(&self, inc: &Incoming, l: Locale, id: &str) -> Result<Reply, Oops> {
        let private = |text: String| Reply::one(OutMessage { text, private: true, ..OutMessage::default() });
        let id: i64 = id.parse().map_err(|_| Oops::new("error-unknown-button"))?;
        let card = self.store.card_for_report(id).await?.ok_or(Oops::new("error-unknown-button"))?;
        let person = self.person(inc);
        let recipient = card.recipient_key.as_deref() == Some(person.as_str());
        let adult_in_charge = inc.is_admin && !inc.chat.private;
        if !(recipient || adult_in_charge) {
            return Ok(private(self.t(l, "report-not-yours", &[])));
        }
        let reported = self.store.report_card(&card, &person, &inc.platform).await?;
        if reported.new {
            tracing::info!(blocked = reported.blocked, "a card was reported");
            metrics::counter!("ruban_cards_reported_total").increment(1);
        }
        Ok(private(self.t(l, "report-thanks", &[])))
    }

    async fn click(&self, inc: &Incoming, l: Locale, button: &str) -> Result<Reply, Oops> {
        let person = self.person(inc);
        let private = |text: String| Reply::one(OutMessage { text, private: true, ..OutMessage::default() });
        let mut parts = button.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("j"), Some(code), None) => self.join(inc, l, code).await,
            (Some("x"), Some(code), None) => self.close_class(inc, l, code).await,
            (Some("f"), Some("1"), None) => {
                self.store.forget(&person).await?;
                // The cards they offered through signed links stop rendering too.
                self.store
                    .revoke_shares(&self.sender_tag(&person), ruban_store::clock::now_ms() + share::SHARE_LIFE_MS)
                    .await?;
                Ok(private(self.t(l, "forget-done", &[])))
            }
            (Some("f"), Some("0"), None) => Ok(private(self.t(l, "forget-cancelled", &[]))),
            (Some("r"), Some("w"), Some(choice @ ("0" | "1"))) => {
                let mut profile = self.store.profile(&person).await?.unwrap_or_default();
                profile.wall_opt_in = choice == "1";
                self.store.set_profile(&person, &profile).await?;
                Ok(private(self.t(
                    l,
                    if profile.wall_opt_in { "ribbon-wall-saved-yes" } else { "ribbon-wall-saved-no" },
                    &[],
                )))
            }
            (Some("r"), Some("g"), Some(code)) => {
                let region = self
                    .store
                    .regions()
                    .into_iter()
                    .find(|r| r.code == code)
                    .ok_or(Oops::new("error-unknown-button"))?;
                self.store.set_region(self.joinable()?.year, &person, &region.code).await?;
                Ok(private(self.t(l, "ribbon-region-saved", &[("region", region.name(l.tag()).to_owned().into())])))
            }
            (Some("s"), Some(id), None) => self.report(inc, l, id).await,
            (Some("w"), Some(id), None) => {
                let id: i64 = id.parse().map_err(|_| Oops::new("error-unknown-button"))?;
                let post = self.store.take_wall_post(id, &person).await?.ok_or(Oops::new("error-unknown-button"))?;
                let new = NewWallEntry {
                    campaign: self.joinable()?.year,
                    author_key: Some(post.author_key),
                    message: post.message,
                    platform: post.platform,
                    region: None,
                    organization: None,
                };
                // A class that asked for approval: the message waits in the organizers' queue.
                let class = match inc.chat.private {
                    true => None,
                    false => self.store.premoderated_class(&self.chat(inc)).await?,
                };
                let waits = class.is_some();
                let entry = match &class {
                    Some(class) => self.store.post_wall_for_approval(&new, class).await?,
                    None => self.store.post_wall(&new).await?,
                };
                self.store.link_card_to_wall(id, entry).await?;
                Ok(private(self.t(l, if waits { "card-posted-awaiting" } else { "card-posted" }, &[])))
            }
            _ => Err(Oops::new("error-unknown-button")),
        }
    }
}
