//! Ruban on the web: the playground, a third adapter over the bot core, where anyone chats with
//! the bot in a page, with no token and no account; the wall; the organizers' dashboard.
//!
//! `POST /api/chat` and `POST /api/chat/click` are the contract other tools use; `GET /media/{id}`
//! serves the rendered images and files; `GET /` is the page.
//!
//! The playground trusts the identity the page sends, so it is for trying Ruban on one's own
//! machine: [`WebOptions::playground`] is off unless asked for (`ruban serve` turns it on only
//! when it listens on a loopback address, or with `RUBAN_PLAYGROUND=demo`). Everything a later
//! request needs (sessions, images, pending wall posts) is in the store, so any process answers.
#![warn(missing_docs)]

mod auth;
mod certificates;
mod class_link;
mod dashboard;
mod dashboard_classes;
mod document;
pub mod export;
mod held;
mod media;
pub mod ops;
mod organizer_page;
mod page;
mod reports;
pub mod server;
mod session;
mod strangers;
mod streams;
mod teacher;
pub mod wall;
pub mod workbook;

use std::sync::Arc;

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ruban_core::{Action, Bot, Chat, Incoming, OutMessage, Target, User};
use serde::{Deserialize, Serialize};

pub use auth::AuthLimits;
pub use server::{ServerLimits, serve};
pub use streams::StreamLimits;

/// How the web side is set up.
#[derive(Debug, Clone)]
pub struct WebOptions {
    /// The campaign-wide organizer token (`RUBAN_ORGANIZER_TOKEN`).
    pub organizer_token: Option<String>,
    /// Where the wall's QR codes lead, separated by spaces (a Telegram deep link, a Discord
    /// invite, the playground); none: the wall shows no code.
    pub join_url: Option<String>,
    /// Limits on wrong organizer tokens.
    pub limits: AuthLimits,
    /// Whether the playground (`/`, `/api/chat`, `/api/chat/click`) is open: it takes the
    /// identity a page claims, so it is for one's own machine or a demonstration only.
    pub playground: bool,
    /// Caps on the walls' event streams.
    pub streams: StreamLimits,
    /// The shortest time between two pledges on one device through a class link.
    pub class_link_pause: std::time::Duration,
    /// Codes that open nothing (class links, teacher pages, media, shared cards) one address
    /// may try in a minute before those doors answer it 429.
    pub misses_per_minute: u32,
}

impl Default for WebOptions {
    fn default() -> Self {
        Self {
            organizer_token: None,
            join_url: Some("http://127.0.0.1:8080/".into()),
            limits: AuthLimits::default(),
            playground: true,
            streams: StreamLimits::default(),
            class_link_pause: class_link::PAUSE,
            misses_per_minute: strangers::MISSES_PER_MINUTE,
        }
    }
}

/// Shared state of the web adapter.
pub struct AppState {
    /// The bot.
    pub bot: Arc<Bot>,
    /// SHA-256 of the campaign-wide organizer token (`RUBAN_ORGANIZER_TOKEN`): the token
    /// itself is not kept.
    organizer_token_digest: Option<[u8; 32]>,
    /// Where the wall's QR codes lead, separated by spaces (a Telegram deep link, a Discord
    /// invite, the playground), if anywhere.
    pub join_url: Option<String>,
    /// Whether the playground is open ([`WebOptions::playground`]).
    pub playground: bool,
    /// Open event streams.
    streams: streams::Slots,
    /// Recent pledges through class links, per device and per address.
    class_pace: class_link::Pace,
    /// Wrong organizer tokens, per client and in all: checked before any comparison.
    auth: auth::Guard,
    /// Codes that opened nothing, per client: guessing is slowed.
    misses: strangers::Misses,
    /// Uploads in progress, per client.
    uploads: strangers::Uploads,
    /// Set when the server shuts down: open event streams end, so a graceful shutdown does
    /// not wait for walls that never hang up.
    closing: tokio::sync::watch::Sender<bool>,
}

impl AppState {
    /// State over a bot.
    pub fn new(bot: Arc<Bot>, organizer_token: Option<String>) -> Arc<Self> {
        Self::with_join_url(bot, organizer_token, "http://127.0.0.1:8080/".into())
    }

    /// State whose wall QR code leads to `join_url`.
    pub fn with_join_url(bot: Arc<Bot>, organizer_token: Option<String>, join_url: String) -> Arc<Self> {
        Self::with_options(bot, WebOptions { organizer_token, join_url: Some(join_url), ..WebOptions::default() })
    }

    /// State with explicit limits on wrong organizer tokens.
    pub fn with_limits(
        bot: Arc<Bot>,
        organizer_token: Option<String>,
        join_url: String,
        limits: AuthLimits,
    ) -> Arc<Self> {
        Self::with_options(
            bot,
            WebOptions { organizer_token, join_url: Some(join_url), limits, ..WebOptions::default() },
        )
    }

    /// State with every option given.
    pub fn with_options(bot: Arc<Bot>, options: WebOptions) -> Arc<Self> {
        Arc::new(Self {
            bot,
            organizer_token_digest: options.organizer_token.as_deref().map(auth::digest),
            join_url: options.join_url.filter(|u| !u.trim().is_empty()),
            playground: options.playground,
            streams: streams::Slots::new(options.streams),
            class_pace: class_link::Pace::new(options.class_link_pause),
            auth: auth::Guard::new(options.limits),
            misses: strangers::Misses::new(options.misses_per_minute),
            uploads: strangers::Uploads::new(strangers::UPLOADS_PER_ADDRESS),
            closing: tokio::sync::watch::channel(false).0,
        })
    }

    /// Ends every open event stream (walls reconnect to another process) and refuses none
    /// of the requests in flight: call it when shutdown begins.
    pub fn begin_shutdown(&self) {
        self.closing.send_replace(true);
    }

    /// Resolves once [`AppState::begin_shutdown`] was called.
    pub(crate) fn closed(&self) -> impl std::future::Future<Output = ()> + Send + use<> {
        let mut rx = self.closing.subscribe();
        async move {
            let _ = rx.wait_for(|closing| *closing).await;
        }
    }
}

/// The web application (tests call it without a socket).
pub fn app(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(page::index))
        .route("/playground.js", get(page::script))
        .route("/playground.css", get(page::style))
        .route("/ribbon.svg", get(page::ribbon))
        .route("/api/chat", post(chat))
        .route("/api/chat/click", post(click))
        // A phone photo for /vert: up to the core's 20 MB (and the form's other fields).
        .route(
            "/api/chat/photo",
            post(chat_photo).layer(axum::extract::DefaultBodyLimit::max(strangers::PHOTO_FORM_LIMIT as usize)),
        )
        .route("/media/{id}", get(media))
        .route("/partage/{token}", get(shared_card))
        .route("/classe/{code}", get(class_link::show).post(class_link::pledge))
        .route("/class/{code}", get(class_link::show).post(class_link::pledge))
        .route("/classe/{code}/carte", axum::routing::post(class_link::card))
        // A phone photo: up to the core's 20 MB (and the form's other fields), not axum's 2 MB.
        .route(
            "/classe/{code}/vert",
            axum::routing::post(class_link::green)
                .layer(axum::extract::DefaultBodyLimit::max(strangers::PHOTO_FORM_LIMIT as usize)),
        )
        .route("/class/{code}/card", axum::routing::post(class_link::card))
        .route("/enseignant/{code}", get(teacher::show).post(teacher::act))
        .route("/teacher/{code}", get(teacher::show).post(teacher::act))
        .route("/enseignant/{code}/certificats", post(teacher::certificates))
        .route("/enseignant/{code}/eleves", post(teacher::seats))
        .route("/teacher/{code}/pupils", post(teacher::seats))
        .route("/mur", get(wall::page))
        .route("/wall", get(wall::page))
        .route("/mur/signaler/{id}", post(wall::report))
        .route("/wall/report/{id}", post(wall::report))
        .route("/wall.js", get(wall::script))
        .route("/wall.css", get(wall::style))
        .route("/api/wall", get(wall::api))
        .route("/api/wall/events", get(wall::events))
        .route("/organisateurs", get(dashboard::show))
        .route("/organizers", get(dashboard::show))
        .route("/organisateurs/connexion", post(dashboard::login))
        .route("/organisateurs/deconnexion", post(dashboard::logout))
        .route("/organisateurs/rapport.pdf", get(dashboard::report))
        .route("/organizers/report.pdf", get(dashboard::report))
        .route("/organisateurs/mur/{id}", post(dashboard::moderate))
        .route("/organisateurs/signalements/{id}", post(reports::review))
        .route("/organisateurs/cartes/{id}", post(held::decide))
        .route("/organisateurs/certificats", post(certificates::make))
        .route("/organisateurs/classes", post(dashboard_classes::open))
        .route("/organisateurs/classes/{code}", get(dashboard_classes::sheet))
        .route("/organisateurs/classes/{code}/lien", post(dashboard_classes::renew_link))
        .route("/organisateurs/classes/{code}/fermer", post(dashboard_classes::close))
        .route("/dashboard.css", get(dashboard::style))
        .route("/api/export.csv", get(export::csv))
        .route("/api/export.json", get(export::json))
        .route("/api/export.xlsx", get(workbook::xlsx))
        .layer(axum::middleware::from_fn(security_headers))
        .with_state(state)
}

async fn security_headers(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// The person typing in the page.
#[derive(Debug, Clone, Deserialize)]
pub struct WebUser {
    /// Any stable id the page chose.
    pub id: String,
    /// The name shown.
    pub name: String,
}

/// `POST /api/chat`.
#[derive(Debug, Deserialize)]
pub struct ChatRequest {
    /// The chat (a class's group, or anything).
    pub chat: String,
    /// Who types.
    pub user: WebUser,
    /// fr-CA or en-CA (anything else maps as platforms do).
    #[serde(default)]
    pub locale: Option<String>,
    /// What they typed.
    pub text: String,
}

/// `POST /api/chat/click`.
#[derive(Debug, Deserialize)]
pub struct ClickRequest {
    /// The chat.
    pub chat: String,
    /// Who clicks.
    pub user: WebUser,
    /// Language.
    #[serde(default)]
    pub locale: Option<String>,
    /// The message the button is under.
    pub message_id: String,
    /// The button.
    pub button_id: String,
}

/// A button in a response.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct WebButton {
    /// Its id, to send back to `/api/chat/click`.
    pub id: String,
    /// Its label.
    pub label: String,
}

/// A file in a response.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct WebFile {
    /// Where to download it.
    pub url: String,
    /// Its name.
    pub name: String,
}

/// One message in a response.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct WebMessage {
    /// Its id.
    pub id: String,
    /// Plain text (the page escapes it).
    pub text: String,
    /// Image URLs.
    pub images: Vec<String>,
    /// Alt texts of the images, in order.
    pub alts: Vec<String>,
    /// Files to download.
    pub files: Vec<WebFile>,
    /// Buttons.
    pub buttons: Vec<WebButton>,
    /// The id of the message this one replaces, or null.
    pub edits: Option<String>,
    /// Only for the person who acted.
    pub private: bool,
}

/// A response of the chat API.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChatResponse {
    /// Messages, in order.
    pub messages: Vec<WebMessage>,
}

/// A refusal of the API itself (not of the bot).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A field is empty or too long.
    #[error("{0}")]
    BadRequest(&'static str),
    /// Too many wrong organizer tokens from this client (or from everyone).
    #[error("too many wrong organizer tokens, wait a minute")]
    TooManyAttempts,
    /// The store could not check a token or keep an image.
    #[error("try again")]
    Unavailable,
    /// The playground is closed on this server ([`WebOptions::playground`]).
    #[error("the playground is closed on this server: ask your teacher for your class link")]
    PlaygroundClosed,
    /// Too many photos in flight (from this address, or in the process's budget).
    #[error("busy: try again in a moment")]
    Busy,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::PlaygroundClosed => StatusCode::NOT_FOUND,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        };
        let mut res = (status, Json(serde_json::json!({ "error": self.to_string() }))).into_response();
        if matches!(self, ApiError::Busy) {
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("2"));
        }
        res
    }
}

/// Whether the request's `Authorization: Bearer` names a campaign-wide organizer, through the
/// same guard as the dashboard and the exports (a scoped token gives no `/totaux`, which shows
/// the whole campaign).
async fn bearer_organizer(state: &AppState, client: auth::Client, headers: &HeaderMap) -> Result<bool, ApiError> {
    let Some(given) = headers.get(header::AUTHORIZATION) else { return Ok(false) };
    let given = given.to_str().ok().and_then(|v| v.strip_prefix("Bearer ")).map(str::trim).unwrap_or_default();
    match auth::verify(state, client, given).await {
        auth::Verdict::Granted(scope) => Ok(scope == ruban_store::Scope::All),
        auth::Verdict::Denied => Ok(false),
        auth::Verdict::Limited => Err(ApiError::TooManyAttempts),
        auth::Verdict::Unavailable => Err(ApiError::Unavailable),
    }
}

fn incoming(
    organizer: bool,
    chat: &str,
    user: &WebUser,
    locale: Option<String>,
    action: Action,
) -> Result<Incoming, ApiError> {
    // The API's own limits: the core validates what people write; this bounds what reaches it.
    if chat.is_empty()
        || chat.len() > 128
        || user.id.is_empty()
        || user.id.len() > 128
        || user.name.chars().count() > 100
    {
        return Err(ApiError::BadRequest("chat and user.id are 1 to 128 bytes, user.name at most 100 characters"));
    }
    Ok(Incoming {
        platform: "web".into(),
        user: User { id: user.id.clone(), display_name: user.name.clone(), locale },
        chat: Chat { id: chat.to_owned(), private: false },
        // In the playground everyone may act as the teacher of their class.
        is_admin: true,
        is_organizer: organizer,
        target: None::<Target>,
        action,
    })
}

/// Compares secrets without leaking where they differ through timing (`subtle`).
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    bool::from(a.ct_eq(b))
}

/// The id a page knows a message by. A message that later replies edit (a class counter) is
/// named by its key, so an edit made by any process names the message it replaces; the others
/// get a random id.
fn web_id(key: Option<&str>) -> String {
    match key {
        Some(k) => format!("k:{k}"),
        None => format!("m{:016x}", rand::random::<u64>()),
    }
}

async fn to_web(state: &AppState, owner_key: &str, messages: Vec<OutMessage>) -> Result<ChatResponse, ApiError> {
    let store = state.bot.store();
    let mut out = Vec::with_capacity(messages.len());
    for m in messages {
        let edits = m.edits.as_deref().map(|k| web_id(Some(k)));
        let id = edits.clone().unwrap_or_else(|| web_id(m.key.as_deref()));
        let mut images = Vec::with_capacity(m.images.len());
        for i in &m.images {
            images.push(format!("/media/{}", kept(store, &i.bytes, &i.file_name, owner_key).await?));
        }
        let mut files = Vec::with_capacity(m.files.len());
        for f in m.files {
            let url = format!("/media/{}", kept(store, &f.bytes, &f.file_name, owner_key).await?);
            files.push(WebFile { url, name: f.file_name });
        }
        out.push(WebMessage {
            id,
            text: m.text,
            alts: m.images.iter().map(|i| i.alt.clone()).collect(),
            images,
            files,
            buttons: m.buttons.into_iter().map(|b| WebButton { id: b.id, label: b.label }).collect(),
            edits,
            private: m.private,
        });
    }
    Ok(ChatResponse { messages: out })
}

async fn kept(store: &ruban_store::Store, bytes: &[u8], file_name: &str, owner_key: &str) -> Result<String, ApiError> {
    media::put(store, bytes, file_name, Some(owner_key)).await.map_err(|e| {
        tracing::error!(error = %e, "could not keep an image for the page");
        ApiError::Unavailable
    })
}

async fn chat(
    State(state): State<Arc<AppState>>,
    client: auth::Client,
    headers: HeaderMap,
    Json(req): Json<ChatRequest>,
) -> Result<Json<ChatResponse>, ApiError> {
    if !state.playground {
        return Err(ApiError::PlaygroundClosed);
    }
    if req.text.len() > 4096 {
        return Err(ApiError::BadRequest("text is at most 4096 bytes"));
    }
    let organizer = bearer_organizer(&state, client, &headers).await?;
    let inc = incoming(organizer, &req.chat, &req.user, req.locale.clone(), Action::Text(req.text.clone()))?;
    let owner = state.bot.person_key(&inc.platform, &inc.user.id);
    let reply = state.bot.handle(inc).await;
    Ok(Json(to_web(&state, &owner, reply.messages).await?))
}

/// `POST /api/chat/photo`: the playground's `/vert` with a photo (a multipart form: `chat`,
/// `user_id`, `user_name`, `locale`, `text` and the `photo`), framed as on the platforms.
/// Every check that may refuse is made before the photo is read: the playground is open, the
/// organizer's token (if any) is right, this address has few uploads in progress, and the
/// process's budget has room for the body.
async fn chat_photo(
    State(state): State<Arc<AppState>>,
    client: auth::Client,
    headers: HeaderMap,
    mut form: axum::extract::Multipart,
) -> Result<Json<ChatResponse>, ApiError> {
    if !state.playground {
        return Err(ApiError::PlaygroundClosed);
    }
    let organizer = bearer_organizer(&state, client, &headers).await?;
    let Some((upload, _share)) = strangers::admit_photo(&state, client, &headers).await else {
        return Err(ApiError::Busy);
    };
    let (mut fields, mut photo) = (HashMap::new(), None);
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name().map(str::to_owned).as_deref() {
                Some("photo") => {
                    photo = Some(field.bytes().await.map_err(|_| ApiError::BadRequest("the photo is at most 20 MB"))?)
                }
                Some(name @ ("chat" | "user_id" | "user_name" | "locale" | "text")) => {
                    let value = field.text().await.map_err(|_| ApiError::BadRequest("a field cannot be read"))?;
                    fields.insert(name.to_owned(), value.chars().take(600).collect::<String>());
                }
                _ => {}
            },
            Ok(None) => break,
            Err(_) => return Err(ApiError::BadRequest("the form is over 20 MB or broken")),
        }
    }
    drop(upload);
    let field = |name: &str| fields.get(name).cloned().unwrap_or_default();
    let user = WebUser { id: field("user_id"), name: field("user_name") };
    let text = field("text");
    // The photo goes with `/vert` (`/green`) only; any other text is handled as typed.
    let action = match (ruban_core::parse::parse(&text, false), photo) {
        (ruban_core::Command::Green(_), Some(bytes)) if !bytes.is_empty() => {
            Action::Command(ruban_core::Command::Green(Some(ruban_core::Photo::new(bytes.to_vec()))))
        }
        _ => Action::Text(text),
    };
    let inc = incoming(organizer, &field("chat"), &user, fields.get("locale").cloned(), action)?;
    let owner = state.bot.person_key(&inc.platform, &inc.user.id);
    let reply = state.bot.handle(inc).await;
    Ok(Json(to_web(&state, &owner, reply.messages).await?))
}

async fn click(
    State(state): State<Arc<AppState>>,
    client: auth::Client,
    headers: HeaderMap,
    Json(req): Json<ClickRequest>,
) -> Result<Json<ChatResponse>, ApiError> {
    if !state.playground {
        return Err(ApiError::PlaygroundClosed);
    }
    if req.button_id.len() > 64 || req.message_id.len() > 128 {
        return Err(ApiError::BadRequest("button_id is at most 64 bytes"));
    }
    let organizer = bearer_organizer(&state, client, &headers).await?;
    let inc =
        incoming(organizer, &req.chat, &req.user, req.locale.clone(), Action::Click { button: req.button_id.clone() })?;
    let owner = state.bot.person_key(&inc.platform, &inc.user.id);
    let reply = state.bot.handle(inc).await;
    Ok(Json(to_web(&state, &owner, reply.messages).await?))
}

/// How media are cached: cards, badges, certificates and walls name people (a card's recipient,
/// a class's first names), so no shared cache keeps them and no browser keeps them on disk;
/// a person who asked to be forgotten is not found again in a proxy's cache.
const PERSONAL_CACHE: &str = "private, no-store";

async fn media(State(state): State<Arc<AppState>>, client: auth::Client, Path(id): Path<String>) -> Response {
    if !state.misses.allows(client) {
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    }
    if !media::is_media_id(&id) {
        state.misses.missed(client);
        return StatusCode::NOT_FOUND.into_response();
    }
    match state.bot.store().media(&id).await {
        Ok(Some((content_type, bytes))) => {
            let content_type =
                HeaderValue::from_str(&content_type).unwrap_or(HeaderValue::from_static("application/octet-stream"));
            (
                [
                    (header::CONTENT_TYPE, content_type),
                    (header::CACHE_CONTROL, HeaderValue::from_static(PERSONAL_CACHE)),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(None) => {
            state.misses.missed(client);
            StatusCode::NOT_FOUND.into_response()
        }
        Err(e) => {
            tracing::error!(error = %e, "could not read an image");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// A card offered in Telegram's inline mode: rendered from a link this server signed, as JPEG.
async fn shared_card(State(state): State<Arc<AppState>>, client: auth::Client, Path(token): Path<String>) -> Response {
    if !state.misses.allows(client) {
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    }
    match state.bot.render_shared(&token).await {
        Some(jpeg) => {
            ([(header::CONTENT_TYPE, "image/jpeg"), (header::CACHE_CONTROL, PERSONAL_CACHE)], jpeg).into_response()
        }
        None => {
            state.misses.missed(client);
            StatusCode::NOT_FOUND.into_response()
        }
    }
}

/// The page's language: `?lang=`, else the browser's Accept-Language, else fr-CA.
#[derive(Debug, Deserialize)]
pub(crate) struct LangQuery {
    pub(crate) lang: Option<String>,
}

pub(crate) fn page_locale(q: &Query<LangQuery>, headers: &HeaderMap) -> ruban_vocabulary::Locale {
    if let Some(l) = q.lang.as_deref().and_then(|l| l.parse().ok()) {
        return l;
    }
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("fr-CA");
    ruban_vocabulary::Locale::from_platform(accept.split(',').next().unwrap_or("fr-CA"))
}
