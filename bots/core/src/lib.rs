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

pub mod budget;
pub mod button_id;
mod commands;
pub mod i18n;
pub mod incoming;
pub mod moderation;
pub mod parse;
pub mod places;
pub mod ratelimit;
pub mod reply;
pub mod report;
pub mod share;
pub mod table;
pub mod validate;

use std::sync::Arc;

use card_renderer::{Assets, Label, Message, Name, RenderError};
use fluent::FluentValue;
use ruban_store::{Profile, Pseudonymizer, Sender, Store, StoreError};
use ruban_vocabulary::{Calendar, Campaign, Locale, Season};

pub use budget::{BUDGET_WAIT, Budget, Share};
pub use button_id::ButtonId;
pub use commands::card::Approved;
pub use commands::certificate::{PackRefusal, PrintPack};
pub use commands::seats::MAX_CLASS_SEATS;
pub use i18n::Texts;
pub use incoming::{Action, Chat, Incoming, Target, User};
pub use parse::{Command, Photo};
pub use places::{EditTurn, MessageLocation};
pub use ratelimit::{Limits, RateLimits};
pub use reply::{Attachment, Button, OutMessage, Reply};
pub use ruban_store::Unfinished;
pub use share::InlineCard;

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
    /// Memory in flight, process-wide: decoded photos here, uploads and packs on the web side.
    budget: Budget,
}

impl std::fmt::Debug for Bot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bot").field("campaign", &self.campaign.year).finish_non_exhaustive()
    }
}

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

/// A refusal or failure shown to the person: a Fluent id and its arguments.
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
        RenderError::BadPhoto(why) => {
            tracing::info!(why = %why, "photo refused");
            Oops::new("error-photo-unreadable")
        }
        RenderError::PhotoTooLarge { max_megapixels, .. } => {
            Oops("error-photo-too-large", vec![("max", max_megapixels.into())])
        }
        other => {
            tracing::error!(error = %other, "render failure");
            Oops::new("error-internal")
        }
    }
}

/// The language a person chose with `/langue`, else their platform's.
fn chosen_locale(profile: Option<&Profile>, user: &User) -> Locale {
    profile
        .and_then(|p| p.locale.as_deref())
        .and_then(|tag| tag.parse::<Locale>().ok())
        .unwrap_or_else(|| i18n::locale_from_platform(user.locale.as_deref()))
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
/// class and school names, public names): no link, nothing hurtful by the lists. A refusal
/// says kindly why, by category, and never quotes the text back.
fn moderated(text: &str) -> Result<(), Oops> {
    if moderation::has_link(text) {
        return Err(Oops::new("error-link"));
    }
    moderation::check(text).map_err(refused)
}

/// The refusal of a text in `category`, counted by category only: the text itself may be a
/// child's name or a cry for help.
fn refused(category: moderation::Category) -> Oops {
    tracing::info!(category = %category, "text refused by moderation");
    metrics::counter!("ruban_moderation_refused_total", "category" => category.name()).increment(1);
    Oops::new(category.refusal_id())
}

/// The gate for sentences (a card's message, a certificate's reason): the lists, then the
/// scorer for what no list holds ([`moderation::judge`]). Names and labels stay with the
/// lists: the scorer reads sentences, and a first name is not one. A text the scorer is
/// unsure of is not drawn: its sender is asked to say it another way.
fn moderated_sentence(text: &str) -> Result<(), Oops> {
    if moderation::has_link(text) {
        return Err(Oops::new("error-link"));
    }
    match moderation::judge(text) {
        moderation::Verdict::Kind => Ok(()),
        moderation::Verdict::Hurtful(category) => Err(refused(category)),
        moderation::Verdict::Uncertain(category) => {
            tracing::info!(category = %category, "text held back by moderation: uncertain");
            metrics::counter!("ruban_moderation_uncertain_total", "category" => category.name()).increment(1);
            Err(Oops::new("error-moderation-uncertain"))
        }
    }
}

/// The platform name of the class page (`/classe/{code}`): pupils without an account.
pub const CLASS_PAGE: &str = "classe";

/// Cleans, caps and moderates a name typed by someone.
fn checked_name(raw: &str) -> Result<Name, Oops> {
    let name = Name::parse(raw).map_err(text_error)?;
    moderated(name.as_str())?;
    // A joke where a first name goes (« caca ») hurts nobody in a sentence, but is drawn on a
    // class's badge or a certificate: names are names.
    if moderation::is_not_a_name(name.as_str()) {
        metrics::counter!("ruban_moderation_refused_total", "category" => "not-a-name").increment(1);
        return Err(Oops::new("error-not-a-name"));
    }
    Ok(name)
}

/// Cleans, caps and moderates a message typed by someone; a message the scorer is unsure of
/// is refused with « say it another way » (see [`weighed_message`] where an adult may decide).
fn checked_message(raw: &str) -> Result<Message, Oops> {
    match weighed_message(raw)? {
        (message, None) => Ok(message),
        (_, Some(_)) => Err(Oops::new("error-moderation-uncertain")),
    }
}

/// Cleans and caps a message and weighs it: refused (`Err`), kind (`None`), or uncertain
/// (`Some` of the scorer's likeliest category), for a caller that can hold it for an adult.
fn weighed_message(raw: &str) -> Result<(Message, Option<moderation::Category>), Oops> {
    let message = Message::parse(raw).map_err(text_error)?;
    if moderation::has_link(message.as_str()) {
        return Err(Oops::new("error-link"));
    }
    match moderation::judge(message.as_str()) {
        moderation::Verdict::Kind => Ok((message, None)),
        moderation::Verdict::Hurtful(category) => Err(refused(category)),
        moderation::Verdict::Uncertain(category) => {
            tracing::info!(category = %category, "text held back by moderation: uncertain");
            metrics::counter!("ruban_moderation_uncertain_total", "category" => category.name()).increment(1);
            Ok((message, Some(category)))
        }
    }
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
            budget: Budget::default(),
        })
    }

    /// The texts (adapters use them for menus and pages).
    pub fn texts(&self) -> &Texts {
        &self.texts
    }

    /// The process's budget of memory in flight ([`budget`]): every door that holds many
    /// bytes at once (uploads, photos, certificate packs) takes its share first.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// The one clock the process was handed (through its store): today's date, every time.
    pub fn clock(&self) -> &ruban_vocabulary::Clock {
        self.store.clock()
    }

    /// The campaign's one-page report for `scope` (the campaign the wall shows), as a PDF, in
    /// `l`: drawn on the drawing pool like any image. The error is a sentence for an adult.
    pub async fn campaign_report(&self, l: Locale, scope: &ruban_store::Scope) -> Result<Vec<u8>, String> {
        let spec = report::spec(&self.store, &self.texts, l, self.campaign(), scope, self.clock().today())
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "campaign report");
                self.t_adult(l, "error-internal", &[])
            })?;
        self.render("report", move |assets| report::pdf(assets, &spec))
            .await
            .map_err(|Oops(id, args)| self.t_adult(l, id, &args))
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Lets today's date ([`Bot::clock`]) pick the campaign from `calendar`,
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
            Some(c) => c.season(self.clock().today()),
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
        chosen_locale(self.store.profile(&key).await.ok().flatten().as_ref(), user)
    }

    /// The person an event is from, read once for the whole event: their language, the name
    /// they sign with, whether their cards are blocked, the cards they sent today. A store
    /// that cannot answer gives an unknown sender (the platform's language; the per-process
    /// caps and the moderation still hold).
    async fn sender_of(&self, inc: &Incoming) -> Sender {
        let day = ruban_vocabulary::clock::day_string(self.clock().today());
        let year = self.current_campaign().map(|c| c.year);
        self.store.sender(year, &self.person(inc), &day).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, "could not read the sender; the per-process caps apply");
            Sender::default()
        })
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
        let sender = self.sender_of(&inc).await;
        let locale = chosen_locale(sender.profile.as_ref(), &inc.user);
        let result = match &inc.action {
            Action::Text(text) => self.command(&inc, locale, &sender, parse::parse(text, inc.target.is_some())).await,
            Action::Command(cmd) => self.command(&inc, locale, &sender, cmd.clone()).await,
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
    /// `/aide`: what this person may do here, from the command table (a pupil in a group is
    /// not offered `/classe`, an organizer is offered `/totaux`), in their language.
    fn help(&self, inc: &Incoming, l: Locale) -> String {
        let adult = inc.is_admin || inc.chat.private;
        let class_page = inc.platform == CLASS_PAGE;
        let mut out = self.t(l, "help-intro", &[]);
        for spec in table::COMMANDS {
            if spec.allowed(adult, inc.is_organizer, inc.chat.private, class_page) {
                for id in spec.help {
                    out.push_str("\n• ");
                    out.push_str(&self.t(l, id, &[]));
                }
            }
        }
        out.push('\n');
        out.push_str(&self.t(l, "help-designs", &[]));
        out
    }

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

    /// A refusal for an adult in their professional role (the dashboard, the teacher page):
    /// its `-vous` variant where one exists (« Veuillez le reformuler. »), not the sentence a
    /// child reads (« Essaie un mot d’encouragement! »).
    fn t_adult(&self, l: Locale, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let adult = format!("{id}-vous");
        if self.texts.has(l, &adult) { self.t(l, &adult, args) } else { self.t(l, id, args) }
    }

    /// The pseudonymous key of a platform's user, as the store knows them (what the web side
    /// files a person's images under, so forget-me finds them).
    pub fn person_key(&self, platform: &str, user_id: &str) -> String {
        self.keys.person(platform, user_id)
    }

    /// A tag proving this server (any process sharing its secret) made `data` for `purpose`:
    /// what the class page signs its device identities and turns with, so a made-up pair
    /// counts nothing.
    pub fn seal(&self, purpose: &str, data: &str) -> String {
        self.keys.tag(purpose, data)
    }

    /// Whether `tag` is [`Bot::seal`]'s for `data` and `purpose`, compared in constant time.
    pub fn is_sealed(&self, purpose: &str, data: &str, tag: &str) -> bool {
        use subtle::ConstantTimeEq;
        bool::from(self.keys.tag(purpose, data).as_bytes().ct_eq(tag.as_bytes()))
    }

    fn person(&self, inc: &Incoming) -> String {
        self.keys.person(&inc.platform, &inc.user.id)
    }

    fn chat(&self, inc: &Incoming) -> String {
        self.keys.chat(&inc.platform, &inc.chat.id)
    }

    fn limit(&self, kind: Kind, inc: &Incoming) -> Result<(), Oops> {
        let day = ruban_vocabulary::clock::day_string(self.clock().today());
        self.limits.check(kind, &self.person(inc), &self.chat(inc), &day).map_err(Oops::from)
    }

    async fn command(&self, inc: &Incoming, l: Locale, sender: &Sender, cmd: Command) -> Result<Reply, Oops> {
        match cmd {
            Command::NotACommand if inc.chat.private => Ok(Reply::one(OutMessage::text(self.t(l, "welcome", &[])))),
            Command::NotACommand => Ok(Reply::default()),
            Command::Unknown(_) => Err(Oops::new("error-unknown-command")),
            Command::Help => {
                self.limit(Kind::Other, inc)?;
                Ok(Reply::one(OutMessage::text(format!("{}\n\n{}", self.help(inc, l), self.season_text(l)))))
            }
            Command::Card { name, design, message } => self.card(inc, l, sender, name, design, message).await,
            Command::Ribbon { name } => self.ribbon(inc, l, name).await,
            Command::Class { name: _, close: true, .. } => {
                let chat = self.chat(inc);
                let open = self.store.open_class_in_chat(&chat).await?.ok_or(Oops::new("error-class-none-open"))?;
                self.close_class(inc, l, &open.code).await
            }
            Command::Class { name, close: false, group } => self.open_class(inc, l, name, group).await,
            Command::ClassApproval(on) => self.class_approval(inc, l, on).await,
            Command::ClassTeacher => self.class_teacher(inc, l).await,
            Command::Certificate { name, reason } => self.certificate(inc, l, name, reason).await,
            Command::JoinClass(code) => self.join(inc, l, &code).await,
            Command::Green(photo) => self.green(inc, l, photo).await,
            Command::Wall => self.wall(inc, l).await,
            Command::Totals => self.totals(inc, l).await,
            Command::Language(choice) => self.language(inc, choice).await,
            Command::Forget => Ok(Reply::one(OutMessage {
                text: self.t(l, "forget-confirm", &[]),
                buttons: vec![
                    Button { id: ButtonId::Forget(true).encode(), label: self.t(l, "forget-yes", &[]) },
                    Button { id: ButtonId::Forget(false).encode(), label: self.t(l, "forget-no", &[]) },
                ],
                private: true,
                ..OutMessage::default()
            })),
        }
    }

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

    /// A text that goes on an image: refused, naming the character, when no bundled font
    /// draws one of its characters (a card never shows the replacement diamond).
    fn drawable(&self, text: &str) -> Result<(), Oops> {
        match card_renderer::first_undrawable(&self.assets, text) {
            None => Ok(()),
            Some(c) => Err(Oops("error-undrawable", vec![("char", FluentValue::from(c.to_string()))])),
        }
    }
}
