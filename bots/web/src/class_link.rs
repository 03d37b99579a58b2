//! The class link (`/classe/{code}`): how pupils too young for Discord and Telegram pledge,
//! on a school device or the classroom's projector, with no account and no personal data.
//!
//! Who may use it: whoever has the link, which the teacher got when opening the class
//! (`/classe NOM`); the code is 17 characters of a 31-letter alphabet (84 random bits), so it
//! cannot be guessed, and it stops working when the teacher closes the class.
//!
//! Trust: the page never takes an identity from the browser. The server gives each device a
//! random identity in a cookie (HttpOnly, SameSite=Strict, so another site's form cannot post
//! with it), and each page it serves carries a fresh random « turn », both sealed with the
//! server's secret (any process knows its seal; a made-up pair counts nothing): the pupil who presses
//! « Je m'engage » is the pair (device, turn), so pupils pledge one after the other on one
//! device, while a double click or a reload counts once. A device may pledge once every
//! [`PAUSE`], and a client address [`PER_ADDRESS_PER_MINUTE`] times a minute (per process, like
//! every per-minute limit): a class of 30 passes, a script does not.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use maud::{Markup, html};
use ruban_core::{Action, Chat, Incoming, User};
use ruban_vocabulary::{Locale, format_number};
use serde::Deserialize;

use crate::auth::Client;
use crate::document::{Frame, document};
use crate::{AppState, LangQuery, page_locale};

const DEVICE_COOKIE: &str = "ruban_device";
/// The shortest time between two pledges on one device (a pupil hands the device on).
pub(crate) const PAUSE: Duration = Duration::from_secs(2);
/// Pledges one client address may make through class links in a minute.
pub(crate) const PER_ADDRESS_PER_MINUTE: u32 = 60;

/// Recent pledges per device and per address (per process).
#[derive(Debug)]
pub(crate) struct Pace {
    pause: Duration,
    devices: Mutex<HashMap<String, Instant>>,
    addresses: Mutex<HashMap<Client, (Instant, u32)>>,
}

impl Pace {
    pub(crate) fn new(pause: Duration) -> Self {
        Self { pause, devices: Mutex::default(), addresses: Mutex::default() }
    }

    /// Whether a pledge from this device and address may go now (and counts it).
    fn admits(&self, device: &str, client: Client) -> bool {
        let now = Instant::now();
        {
            let mut a = self.addresses.lock().unwrap_or_else(|e| e.into_inner());
            if a.len() > 100_000 {
                a.retain(|_, (start, _)| now.duration_since(*start) < Duration::from_secs(60));
            }
            let slot = a.entry(client).or_insert((now, 0));
            if now.duration_since(slot.0) >= Duration::from_secs(60) {
                *slot = (now, 0);
            }
            if slot.1 >= PER_ADDRESS_PER_MINUTE {
                return false;
            }
            slot.1 += 1;
        }
        let mut d = self.devices.lock().unwrap_or_else(|e| e.into_inner());
        if d.len() > 100_000 {
            d.retain(|_, last| now.duration_since(*last) < self.pause);
        }
        match d.get(device) {
            Some(last) if now.duration_since(*last) < self.pause => false,
            _ => {
                d.insert(device.to_owned(), now);
                true
            }
        }
    }
}

fn random_hex() -> String {
    use rand::Rng;
    format!("{:032x}", rand::rng().random::<u128>())
}

fn is_hex32(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// What the device cookie's seal is made for.
const DEVICE_SEAL: &str = "class_device";
/// What a turn's seal is made for.
const TURN_SEAL: &str = "class_turn";

/// A random id and this server's seal over it (`id.tag`), made for `purpose` in `context`.
fn sealed(state: &AppState, purpose: &str, context: &str) -> String {
    let id = random_hex();
    let tag = state.bot.seal(purpose, &format!("{context}:{id}"));
    format!("{id}.{tag}")
}

/// Whether `value` is one [`sealed`] made for `purpose` in `context`.
fn is_sealed(state: &AppState, purpose: &str, context: &str, value: &str) -> bool {
    value.split_once('.').is_some_and(|(id, tag)| {
        is_hex32(id) && is_hex32(tag) && state.bot.is_sealed(purpose, &format!("{context}:{id}"), tag)
    })
}

/// The device a request comes from: its cookie, once it is one this server sealed.
fn device_of(state: &AppState, headers: &HeaderMap) -> Option<String> {
    crate::session::cookie(headers, DEVICE_COOKIE).filter(|v| is_sealed(state, DEVICE_SEAL, "", v))
}

/// The pupil a (device, turn) pair stands for: a pseudonym the browser cannot choose.
fn pupil_id(device: &str, turn: &str) -> String {
    let d = crate::auth::digest(&format!("class-link:{device}:{turn}"));
    d[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// What the page says above the button after a press.
enum Notice {
    None,
    /// The press counted: a big « Merci, c’est compté! » with the class's new count.
    Thanks,
    /// The press did not count: a big « Appuie encore » and why (the device's pause, a name
    /// refused, the class closed meanwhile), so a child never hands the device on uncounted.
    Again(String),
    Error(String),
    /// A card made for a classmate: its text and image address.
    Card(String, String),
    /// A card kept for the adult's decision: thanks, and who will read it.
    Held(String),
    /// A photo framed for Jeudi perséVERT: its text and the image itself (a `data:` address).
    Green(String, String),
}

pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    client: Client,
    Path(link): Path<String>,
    q: Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let l = page_locale(&q, &headers);
    let code = match known(&state, client, l, &link).await {
        Ok(code) => code,
        Err(refused) => return refused,
    };
    let device = device_of(&state, &headers);
    page_with(&state, l, &link, &code, device, Notice::None, crate::session::secure(&headers)).await
}

/// The class a link opens, for a client that has not tried too many links that open nothing
/// this minute (then 429, before any query); a link that opens nothing counts as a miss (the
/// page then says so).
async fn known(state: &AppState, client: Client, l: Locale, link: &str) -> Result<String, Response> {
    if !state.misses.allows(client) {
        let said = state.bot.texts().t(l, "web-too-many-misses", &[]);
        let body = html! { main.class-link { p.notice.error role="alert" { (said) } } };
        return Err(html(l, &said, body, StatusCode::TOO_MANY_REQUESTS));
    }
    let code = resolve(state, link).await;
    if code.is_empty() {
        state.misses.missed(client);
    }
    Ok(code)
}

/// A form another site posted (a pupil's browser tricked into it): refused before anything.
fn foreign(headers: &HeaderMap) -> Option<Response> {
    crate::strangers::is_cross_site(headers).then(|| StatusCode::FORBIDDEN.into_response())
}

/// The class a link opens, or an empty code (the page then says the link opens nothing): a
/// renewed link's old address stops working at once.
async fn resolve(state: &AppState, link: &str) -> String {
    match state.bot.store().class_for_link(link).await {
        Ok(found) => found.unwrap_or_default(),
        Err(e) => {
            tracing::error!(error = %e, "class link");
            String::new()
        }
    }
}

/// The form's fields.
#[derive(Debug, Deserialize)]
pub(crate) struct PledgeForm {
    turn: String,
    /// The pupil's first name for the class badge, if they typed one (kept while the class is
    /// open, then forgotten).
    #[serde(default)]
    name: String,
}

pub(crate) async fn pledge(
    State(state): State<Arc<AppState>>,
    client: Client,
    Path(link): Path<String>,
    q: Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<PledgeForm>,
) -> Response {
    let l = page_locale(&q, &headers);
    if let Some(refused) = foreign(&headers) {
        return refused;
    }
    let code = match known(&state, client, l, &link).await {
        Ok(code) => code,
        Err(refused) => return refused,
    };
    let (code, link) = (code.as_str(), link.as_str());
    // No cookie: a first visit whose page was never served, or another site's form
    // (SameSite=Strict keeps the cookie away from it). Nothing is counted.
    let device = match visitor(&state, l, link, code, &headers, &form.turn).await {
        Ok(device) => device,
        Err(refused) => return refused,
    };
    if !state.class_pace.admits(&device, client) {
        let why = state.bot.texts().t(l, "classlink-slow", &[]);
        return page(&state, l, link, code, Some(device), Notice::Again(why)).await;
    }
    let inc = Incoming {
        platform: ruban_core::CLASS_PAGE.into(),
        user: User { id: pupil_id(&device, &form.turn), display_name: form.name.clone(), locale: Some(l.tag().into()) },
        chat: Chat { id: format!("classe:{code}"), private: false },
        is_admin: false,
        is_organizer: false,
        target: None,
        action: Action::Click { button: ruban_core::ButtonId::JoinClass(code.to_owned()).encode() },
    };
    let reply = state.bot.handle(inc).await;
    // A pledge answers with the counter's new state (an edit) and a thank-you; anything else is the core's
    // polite refusal (a class closed meanwhile, the store unavailable), shown as it is.
    let notice = if reply.messages.iter().any(|m| m.edits.is_some()) {
        Notice::Thanks
    } else {
        Notice::Again(reply.messages.first().map(|m| m.text.clone()).unwrap_or_default())
    };
    page(&state, l, link, code, Some(device), notice).await
}

/// The device posting a class page's form, once it is one this server gave an identity and
/// the form one of its pages' turns; otherwise the page again with why, and nothing counted.
async fn visitor(
    state: &AppState,
    l: Locale,
    link: &str,
    code: &str,
    headers: &HeaderMap,
    turn: &str,
) -> Result<String, Response> {
    let texts = state.bot.texts();
    let Some(device) = device_of(state, headers) else {
        return Err(page(state, l, link, code, None, Notice::Error(texts.t(l, "classlink-no-device", &[]))).await);
    };
    if !is_sealed(state, TURN_SEAL, &device, turn) || !ruban_store::is_class_code(code) {
        return Err(page(state, l, link, code, Some(device), Notice::Error(texts.t(l, "classlink-error", &[]))).await);
    }
    Ok(device)
}

/// A form posted by a pupil at an open class's device ([`visitor`]): the device, or the page
/// that says why nothing happens. Only an open class's page makes cards or frames photos.
async fn at_open_class(
    state: &AppState,
    l: Locale,
    link: &str,
    code: &str,
    headers: &HeaderMap,
    turn: &str,
) -> Result<String, Response> {
    let device = visitor(state, l, link, code, headers, turn).await?;
    match state.bot.store().class_by_code(code).await {
        Ok(Some(c)) if c.is_open => Ok(device),
        _ => Err(page(state, l, link, code, Some(device), Notice::None).await),
    }
}

/// The class page's pace for `device` at `client`: refused, the page that says to wait.
async fn paced(
    state: &AppState,
    client: Client,
    l: Locale,
    link: &str,
    code: &str,
    device: &str,
) -> Result<(), Response> {
    if state.class_pace.admits(device, client) {
        return Ok(());
    }
    let why = state.bot.texts().t(l, "classlink-slow", &[]);
    Err(page(state, l, link, code, Some(device.to_owned()), Notice::Error(why)).await)
}

/// What a pupil at the class page does, as the core hears it: the class page's platform, the
/// pupil by (device, turn), never named.
fn pupil_action(l: Locale, code: &str, pupil: &str, action: Action) -> Incoming {
    Incoming {
        platform: ruban_core::CLASS_PAGE.into(),
        user: User { id: pupil.to_owned(), display_name: String::new(), locale: Some(l.tag().into()) },
        chat: Chat { id: format!("classe:{code}"), private: false },
        is_admin: false,
        is_organizer: false,
        target: None,
        action,
    }
}

/// The card form's fields.
#[derive(Debug, Deserialize)]
pub(crate) struct CardForm {
    turn: String,
    to: String,
    #[serde(default)]
    design: String,
    #[serde(default)]
    message: String,
}

/// A card for a classmate, made on the class page: the same command and the same checks
/// (length, moderation, rate limits) as `/carte` in a chat. The sender is the pupil at the
/// device (device, turn), never named.
pub(crate) async fn card(
    State(state): State<Arc<AppState>>,
    client: Client,
    Path(link): Path<String>,
    q: Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<CardForm>,
) -> Response {
    let l = page_locale(&q, &headers);
    if let Some(refused) = foreign(&headers) {
        return refused;
    }
    let code = match known(&state, client, l, &link).await {
        Ok(code) => code,
        Err(refused) => return refused,
    };
    let (code, link) = (code.as_str(), link.as_str());
    let device = match at_open_class(&state, l, link, code, &headers, &form.turn).await {
        Ok(device) => device,
        Err(refused) => return refused,
    };
    if let Err(wait) = paced(&state, client, l, link, code, &device).await {
        return wait;
    }
    let pupil = pupil_id(&device, &form.turn);
    let message = Some(form.message.trim().to_owned()).filter(|m| !m.is_empty());
    let inc = pupil_action(
        l,
        code,
        &pupil,
        Action::Command(ruban_core::Command::Card {
            name: Some(form.to.clone()),
            design: form.design.parse().ok(),
            message,
        }),
    );
    let owner = state.bot.person_key("classe", &pupil);
    let reply = state.bot.handle(inc).await;
    let first = reply.messages.into_iter().next();
    let notice = match first {
        Some(m) if !m.images.is_empty() => {
            let image = &m.images[0];
            match crate::media::put(state.bot.store(), &image.bytes, &image.file_name, Some(&owner)).await {
                Ok(id) => Notice::Card(m.text, format!("/media/{id}")),
                Err(e) => {
                    tracing::error!(error = %e, "could not keep a class card");
                    Notice::Error(state.bot.texts().t(l, "classlink-error", &[]))
                }
            }
        }
        Some(m) if m.awaits_adult => Notice::Held(m.text),
        Some(m) => Notice::Error(m.text),
        None => Notice::Error(state.bot.texts().t(l, "classlink-error", &[])),
    };
    page(&state, l, link, code, Some(device), notice).await
}

/// `/vert` on the class page: a pupil's photo in green comes back framed for Jeudi perséVERT,
/// with the chat's checks and pace, and joins the green wave. The photo and the framed image
/// live in this request's memory only: the page carries the image itself (a `data:` address,
/// which the Content-Security-Policy allows for images), so nothing is kept, not even for a day
/// as a card's image is.
pub(crate) async fn green(
    State(state): State<Arc<AppState>>,
    client: Client,
    Path(link): Path<String>,
    q: Query<LangQuery>,
    headers: HeaderMap,
    mut form: axum::extract::Multipart,
) -> Response {
    let l = page_locale(&q, &headers);
    if let Some(refused) = foreign(&headers) {
        return refused;
    }
    // Everything that may refuse is asked before a byte of the photo is read: the link opens
    // an open class, the device is one this server sealed, the page's pace allows it, this
    // address has few uploads in progress, and the process's budget has room for the body.
    // A stranger's 20 MB are never buffered, nor twenty of them at once.
    let code = match known(&state, client, l, &link).await {
        Ok(code) => code,
        Err(refused) => return refused,
    };
    let (code, link) = (code.as_str(), link.as_str());
    if !matches!(state.bot.store().class_by_code(code).await, Ok(Some(ref c)) if c.is_open) {
        return page(&state, l, link, code, None, Notice::None).await;
    }
    let Some(device) = device_of(&state, &headers) else {
        let said = state.bot.texts().t(l, "classlink-no-device", &[]);
        return page(&state, l, link, code, None, Notice::Error(said)).await;
    };
    if let Err(wait) = paced(&state, client, l, link, code, &device).await {
        return wait;
    }
    let Some((upload, _share)) = crate::strangers::admit_photo(&state, client, &headers).await else {
        let busy = Notice::Error(state.bot.texts().t(l, "error-busy", &[]));
        return page(&state, l, link, code, Some(device), busy).await;
    };
    let (mut turn, mut photo, mut too_big) = (String::new(), None, false);
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("turn") => turn = field.text().await.unwrap_or_default().chars().take(80).collect(),
                Some("photo") => match field.bytes().await {
                    Ok(bytes) => photo = Some(bytes.to_vec()).filter(|b| !b.is_empty()),
                    Err(_) => too_big = true,
                },
                _ => {}
            },
            Ok(None) => break,
            // Over the body's limit (or a broken form): nothing is read further.
            Err(_) => {
                too_big = true;
                break;
            }
        }
    }
    // A body over the limit is refused as it starts (its length says so), before even the
    // turn is read: the page says why, and nothing is framed or counted.
    if too_big {
        let max = ruban_core::validate::MAX_PHOTO_BYTES / (1024 * 1024);
        let said = state.bot.texts().t(l, "classlink-green-too-big", &[("max", max.into())]);
        return page(&state, l, link, code, Some(device), Notice::Error(said)).await;
    }
    let device = match at_open_class(&state, l, link, code, &headers, &turn).await {
        Ok(device) => device,
        Err(refused) => return refused,
    };
    drop(upload);
    let photo = Action::Command(ruban_core::Command::Green(photo.map(ruban_core::Photo::new)));
    let inc = pupil_action(l, code, &pupil_id(&device, &turn), photo);
    let notice = match state.bot.handle(inc).await.messages.into_iter().next() {
        Some(m) if !m.images.is_empty() => {
            use base64::Engine;
            let (content_type, _) = crate::media::content_type(&m.images[0].file_name);
            let data = base64::engine::general_purpose::STANDARD.encode(m.images[0].bytes.as_slice());
            Notice::Green(m.text, format!("data:{content_type};base64,{data}"))
        }
        Some(m) => Notice::Error(m.text),
        None => Notice::Error(state.bot.texts().t(l, "classlink-error", &[])),
    };
    page(&state, l, link, code, Some(device), notice).await
}

async fn page(state: &AppState, l: Locale, link: &str, code: &str, device: Option<String>, notice: Notice) -> Response {
    page_with(state, l, link, code, device, notice, false).await
}

/// The class page of `code`, reached by `link` (its forms post back there).
async fn page_with(
    state: &AppState,
    l: Locale,
    link: &str,
    code: &str,
    device: Option<String>,
    notice: Notice,
    secure: bool,
) -> Response {
    let texts = state.bot.texts();
    let t = |id: &str| texts.t(l, id, &[]);
    let session = if ruban_store::is_class_code(code) {
        match state.bot.store().class_summary(code).await {
            Ok(s) => Some(s),
            Err(ruban_store::StoreError::ClassNotFound(_)) => None,
            Err(e) => {
                tracing::error!(error = %e, "class page");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        }
    } else {
        None
    };
    let Some(summary) = session else {
        let body = html! {
            main.class-link {
                h1 { (t("classlink-unknown-title")) }
                p { (t("classlink-unknown")) }
            }
        };
        return html(l, &t("classlink-unknown-title"), body, StatusCode::NOT_FOUND);
    };
    let class = summary.session.class_name.clone().unwrap_or_default();
    let count = texts.t(
        l,
        "class-count",
        &[("count", summary.members.into()), ("formatted", format_number(l, summary.members as u64).into())],
    );
    let kind = if summary.session.is_group { "groupe" } else { "classe" };
    let title = texts.t(l, "classlink-title", &[("class", class.clone().into()), ("kind", kind.into())]);
    let (device, new_device) = match device {
        Some(d) => (d, false),
        None => (sealed(state, DEVICE_SEAL, ""), true),
    };
    let turn = sealed(state, TURN_SEAL, &device);
    let open = summary.session.is_open;
    let lang = l.tag();
    let body = html! {
        main.class-link {
            h1 { (title) }
            p.intro { (t("classlink-intro")) }
            @match notice {
                Notice::None => {},
                Notice::Thanks => div.notice.state.counted role="status" {
                    p.big { "✔ " (t("classlink-thanks")) }
                    p { (count) }
                },
                Notice::Again(why) => div.notice.state.again role="alert" {
                    p.big { "↻ " (t("classlink-again")) }
                    p { (why) }
                },
                Notice::Error(text) => p.notice.error role="alert" { (text) },
                Notice::Held(text) => p.notice.held role="status" { (text) },
                Notice::Card(text, src) => figure.notice.thanks role="status" {
                    figcaption { (text) }
                    img.card src=(src) alt=(t("classlink-card-alt")) width="540" height="540";
                    p { a href=(src) download { (t("classlink-card-download")) } }
                },
                Notice::Green(text, src) => figure.notice.thanks role="status" {
                    figcaption { (text) }
                    img.green src=(src) alt=(t("green-alt")) width="540";
                    p { a href=(src) download="persevert.jpg" { (t("classlink-green-download")) } }
                },
            }
            p.count aria-live="polite" { (count) }
            @if open {
                form method="post" action={ "/classe/" (link) "?lang=" (lang) } {
                    input type="hidden" name="turn" value=(turn);
                    p.first-name {
                        label for="name" { (t("classlink-name")) } " "
                        input #name name="name" maxlength="40" autocomplete="off" aria-describedby="name-why";
                        small #name-why { (t("classlink-name-why")) }
                    }
                    button.pledge type="submit" { img.ribbon src="/ribbon.svg" alt=""; " " (t("classlink-pledge")) }
                }
                p.next { (t("classlink-next")) }
                section.class-card {
                    h2 { (t("classlink-card-title")) }
                    form method="post" action={ "/classe/" (link) "/carte?lang=" (lang) } {
                        input type="hidden" name="turn" value=(turn);
                        label for="to" { (t("classlink-card-to")) }
                        input #to name="to" maxlength="40" required autocomplete="off";
                        label for="design" { (t("classlink-card-design")) }
                        select #design name="design" {
                            @for d in ruban_vocabulary::Design::ALL {
                                option value=(d.id()) { (t(&format!("card-headline-{}", d.id()))) }
                            }
                        }
                        label for="message" { (t("classlink-card-message")) }
                        textarea #message name="message" maxlength="280" rows="3" {}
                        button type="submit" { (t("classlink-card-send")) }
                    }
                }
                section.class-green {
                    h2 { (t("classlink-green-title")) }
                    form method="post" action={ "/classe/" (link) "/vert?lang=" (lang) } enctype="multipart/form-data" {
                        input type="hidden" name="turn" value=(turn);
                        label for="photo" { (t("classlink-green-photo")) }
                        input #photo name="photo" type="file" accept="image/jpeg,image/png,image/webp" required aria-describedby="photo-why";
                        small #photo-why { (t("classlink-green-why")) }
                        button type="submit" { (t("classlink-green-send")) }
                    }
                }
            } @else {
                p.closed { (t("classlink-closed")) }
            }
        }
    };
    let mut res = html(l, &title, body, StatusCode::OK);
    if new_device {
        // Until the campaign's data is purged at the latest; a school device keeps it all week.
        let life = Duration::from_secs(180 * 24 * 3600);
        crate::session::set_cookie(&mut res, DEVICE_COOKIE, &device, "/classe", life, secure);
    }
    res
}

fn html(l: Locale, title: &str, body: Markup, status: StatusCode) -> Response {
    let page = document(l, title, Frame { stylesheet: "/playground.css", script: None, body_class: None }, body);
    (status, [(header::CACHE_CONTROL, "no-store")], Html(page.into_string())).into_response()
}
