//! The public wall of support: a projector page (`/mur`, `/wall`), its data (`GET /api/wall`)
//! and its live events (`GET /api/wall/events`, server-sent events), all taking the same filters
//! (`?region=06&school=…&class=…`) so each school gets its own wall URL.
//!
//! The page's static content is complete without JavaScript; the script makes the counter move
//! within a second of a pledge, and falls back to polling when event streams are unavailable.
//! Only public names people chose to show appear; everyone else shows as a neutral wording.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use futures_util::Stream;
use maud::{PreEscaped, html};
use ruban_store::{StoreEvent, WallFilter, WallReport, WallStats};
use ruban_vocabulary::{Locale, format_number};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use crate::AppState;
use crate::document::{Frame, document};

/// The wall's query: its filters and the language.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct WallQuery {
    /// A region code.
    pub region: Option<String>,
    /// A school, exactly as pledged.
    pub school: Option<String>,
    /// A class session's code.
    pub class: Option<String>,
    /// fr-CA or en-CA.
    pub lang: Option<String>,
}

impl WallQuery {
    /// The filters, through the core's one validation: a malformed value (a NUL, a code the
    /// store never issues) is refused here, never sent to the database.
    fn filter(&self) -> Result<WallFilter, ruban_core::CoreError> {
        ruban_core::validate::wall_filter(self.region.as_deref(), self.school.as_deref(), self.class.as_deref())
    }
}

/// 400 for a wall link whose filters do not read: what is wrong, in English for scripts, and
/// the localised sentence for people.
fn bad_filter(state: &AppState, l: Locale, e: &ruban_core::CoreError, html: bool) -> Response {
    let message = state.bot.texts().t(l, "wall-bad-filter", &[]);
    if html {
        // The way back leads to the whole wall (these filters do not read).
        return notice_page(state, l, StatusCode::BAD_REQUEST, "wall-page-title", &message, &WallQuery::default());
    }
    (StatusCode::BAD_REQUEST, Json(serde_json::json!({ "error": e.to_string(), "message": message }))).into_response()
}

/// `GET /api/wall`: totals and the latest entries.
#[derive(Debug, Serialize, Deserialize)]
pub struct WallData {
    /// The campaign's year.
    pub campaign: i32,
    /// Pledges on this wall.
    pub total: i64,
    /// Of which today.
    pub today: i64,
    /// Whether today is Jeudi perséVERT.
    pub persevert: bool,
    /// Per region: code, name, count.
    pub regions: Vec<(String, String, i64)>,
    /// Latest pledges' shown names (a neutral wording for people who did not opt in).
    pub latest: Vec<String>,
    /// The same pledges as the wall says them (« Léa porte le ruban », « Quelqu’un porte
    /// le ruban », each with the drawn ribbon): a pledge reads as a pledge, and three anonymous ones do not read as the
    /// same line repeated by mistake.
    pub latest_lines: Vec<String>,
    /// Latest visible wall messages.
    pub messages: Vec<WallMessage>,
    /// The words under the counter, in the right plural.
    pub label: String,
    /// « Aujourd’hui : 12 ».
    pub today_label: String,
    /// Photos framed for Jeudi perséVERT (`/vert`): the green wave.
    pub green_photos: i64,
    /// « La vague verte : 12 photos en vert », in the right plural.
    pub green_label: String,
}

/// A message on the wall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WallMessage {
    /// The entry (what « Signaler » names).
    pub id: i64,
    /// The shown name (a neutral wording for people who did not opt in).
    pub who: String,
    /// The words.
    pub text: String,
}

async fn data(state: &AppState, filter: &WallFilter, l: Locale) -> Result<WallData, ruban_store::StoreError> {
    let bot = &state.bot;
    let campaign = bot.campaign();
    let store = bot.store();
    let stats: WallStats = store.wall_stats(campaign.year, filter).await?;
    let neutral = bot.texts().t(l, "wall-neutral-name", &[]);
    let names = store.regions();
    let green = store.green_photos(campaign.year).await?;
    Ok(WallData {
        campaign: campaign.year,
        total: stats.total,
        today: stats.today,
        persevert: bot.clock().today() == campaign.persevert_day,
        regions: stats
            .regions
            .into_iter()
            .map(|(code, n)| {
                let name = names.iter().find(|r| r.code == code).map_or(code.clone(), |r| r.name(l.tag()).to_owned());
                (code, name, n)
            })
            .collect(),
        latest_lines: stats
            .latest_pledges
            .iter()
            .map(|(name, _)| match name {
                Some(n) => bot.texts().t(l, "wall-pledge-named", &[("name", n.clone().into())]),
                None => bot.texts().t(l, "wall-pledge-anonymous", &[]),
            })
            .collect(),
        latest: stats.latest_pledges.into_iter().map(|(name, _)| name.unwrap_or_else(|| neutral.clone())).collect(),
        messages: store
            .wall(campaign.year, 6, false)
            .await?
            .into_iter()
            .map(|w| WallMessage { id: w.id, who: w.author_name.unwrap_or_else(|| neutral.clone()), text: w.message })
            .collect(),
        green_photos: green,
        green_label: bot.texts().t(
            l,
            "wall-page-green",
            &[("count", green.into()), ("formatted", format_number(l, green as u64).into())],
        ),
        label: bot.texts().t(l, "wall-page-counter", &[("count", stats.total.into())]),
        today_label: bot.texts().t(l, "wall-page-today", &[("formatted", format_number(l, stats.today as u64).into())]),
    })
}

fn locale(q: &WallQuery, headers: &HeaderMap) -> Locale {
    crate::page_locale(&Query(crate::LangQuery { lang: q.lang.clone() }), headers)
}

pub(crate) async fn api(
    State(state): State<Arc<AppState>>,
    Query(q): Query<WallQuery>,
    headers: HeaderMap,
) -> Response {
    let l = locale(&q, &headers);
    let filter = match q.filter() {
        Ok(f) => f,
        Err(e) => return bad_filter(&state, l, &e, false),
    };
    match data(&state, &filter, l).await {
        Ok(d) => Json(d).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "wall data");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// A live wall's counters, and how far through the campaign's pledges they count.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    total: i64,
    today: i64,
    /// The campaign's highest pledge number when the counts were read: pledges numbered up to
    /// it are in them (or not this wall's), so their events, which may still be on their way,
    /// are skipped. Only a reading moves it: live events from several processes may arrive out
    /// of number order (each process notifies after its own commit), and each arrives once.
    through: i64,
    /// This wall's newest pledge not yet sent.
    last: Option<i64>,
}

impl From<WallStats> for Counts {
    fn from(s: WallStats) -> Self {
        Self { total: s.total, today: s.today, through: s.counted_through, last: None }
    }
}

impl Counts {
    /// A pledge heard live (`number` beyond [`Self::through`]).
    fn count(&mut self, filter: &WallFilter, event: &StoreEvent, number: i64) {
        if number <= self.through {
            return;
        }
        if filter.matches(event) {
            // Live pledges are today's: both counters move.
            self.total += 1;
            self.today += 1;
            self.last = Some(number);
        }
    }

    fn tick(&self, number: Option<i64>) -> Option<Event> {
        Event::default().event("count").json_data(Tick { total: self.total, today: self.today, number }).ok()
    }
}

/// What each event carries: the wall's counters after the change.
#[derive(Debug, Serialize)]
struct Tick {
    total: i64,
    today: i64,
    number: Option<i64>,
}

pub(crate) async fn events(
    State(state): State<Arc<AppState>>,
    client: crate::auth::Client,
    Query(q): Query<WallQuery>,
    headers: HeaderMap,
) -> Response {
    let filter = match q.filter() {
        Ok(filter) => filter,
        Err(e) => return bad_filter(&state, locale(&q, &headers), &e, false),
    };
    let Some(slot) = state.streams.take(client) else {
        // The page's EventSource retries later; the counter shows its last figure meanwhile.
        metrics::counter!("ruban_wall_streams_refused_total").increment(1);
        return (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "30")]).into_response();
    };
    events_for(state, filter, slot).await.into_response()
}

async fn events_for(
    state: Arc<AppState>,
    filter: WallFilter,
    slot: crate::streams::Slot,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let closed = state.closed();
    // Subscribe before reading the counts, so no pledge falls between the two; the events of
    // pledges the counts already hold are then known by their numbers and skipped.
    let rx = state.bot.store().subscribe();
    let year = state.bot.campaign().year;
    let start = state.bot.store().wall_stats(year, &filter).await.map_or(Counts::default(), Counts::from);
    let first = start.tick(None);
    // `pending` is an event to send before reading more: the first count, or the refresh that
    // follows a recount.
    let stream = futures_util::stream::unfold(
        (rx, state, filter, start, first),
        move |(mut rx, state, filter, mut counts, pending)| async move {
            if let Some(e) = pending {
                return Some((Ok(e), (rx, state, filter, counts, None)));
            }
            loop {
                let lost = match rx.recv().await {
                    Ok(ev @ StoreEvent::Pledge { campaign, number, .. }) if campaign == year => {
                        counts.count(&filter, &ev, number);
                        // Coalesce what is already waiting: a busy wall gets one event with
                        // the newest count rather than a backlog (the total stays exact).
                        let mut lost = false;
                        loop {
                            match rx.try_recv() {
                                Ok(StoreEvent::Resync) | Err(TryRecvError::Lagged(_)) => {
                                    lost = true;
                                    break;
                                }
                                Ok(more @ StoreEvent::Pledge { campaign, number, .. }) if campaign == year => {
                                    counts.count(&filter, &more, number);
                                }
                                Ok(_) => {}
                                Err(_) => break,
                            }
                        }
                        if !lost {
                            if counts.last.is_none() {
                                continue; // none of them was this wall's, or new to it
                            }
                            let e = counts.tick(counts.last)?;
                            counts.last = None;
                            return Some((Ok(e), (rx, state, filter, counts, None)));
                        }
                        true
                    }
                    Ok(StoreEvent::Wall { campaign }) if campaign == year => {
                        let e = Event::default().event("wall").data("{}");
                        return Some((Ok(e), (rx, state, filter, counts, None)));
                    }
                    // Too slow a reader, or events lost between processes.
                    Ok(StoreEvent::Resync) | Err(RecvError::Lagged(_)) => true,
                    Ok(_) => continue,
                    Err(RecvError::Closed) => return None,
                };
                if lost {
                    // Count again from the database rather than guess; the events still queued
                    // whose pledges it holds are skipped by their numbers.
                    match state.bot.store().wall_stats(year, &filter).await {
                        Ok(s) => counts = Counts::from(s),
                        Err(e) => tracing::warn!(error = %e, "wall recount failed; the counter keeps its figure"),
                    }
                    let e = counts.tick(None)?;
                    // Lost events may have been new wall messages too: the page reloads them.
                    let refresh = Event::default().event("wall").data("{}");
                    return Some((Ok(e), (rx, state, filter, counts, Some(refresh))));
                }
            }
        },
    );
    // The gauge counts this stream until the viewer leaves (the stream, and the guard with it,
    // is dropped).
    let open = OpenStream::new();
    let stream = futures_util::StreamExt::map(stream, move |e| {
        let _counted = (&open, &slot);
        e
    });
    // At shutdown the stream ends; the page's EventSource reconnects (to another process).
    let stream = futures_util::StreamExt::take_until(stream, closed);
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// One open event stream, counted in `ruban_event_streams_open` while it lives.
struct OpenStream;

impl OpenStream {
    fn new() -> Self {
        metrics::gauge!("ruban_event_streams_open").increment(1.0);
        Self
    }
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        metrics::gauge!("ruban_event_streams_open").decrement(1.0);
    }
}

/// A QR code as inline SVG (drawn server-side: no script, no request to anyone).
pub(crate) fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(220, 220)
            .dark_color(qrcode::render::svg::Color("#0b6e4f"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
        Err(_) => String::new(),
    }
}

pub(crate) async fn page(
    State(state): State<Arc<AppState>>,
    Query(q): Query<WallQuery>,
    headers: HeaderMap,
) -> Response {
    let l = locale(&q, &headers);
    let filter = match q.filter() {
        Ok(f) => f,
        Err(e) => return bad_filter(&state, l, &e, true),
    };
    let d = match data(&state, &filter, l).await {
        Ok(d) => d,
        Err(e) => {
            tracing::error!(error = %e, "wall page");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let t = |id: &str| state.bot.texts().t(l, id, &[]);
    let campaign = state.bot.campaign();
    let max = d.regions.iter().map(|r| r.2).max().unwrap_or(0).max(1);
    // Each message carries « Signaler »: a plain form, so it works without the script.
    let here = query_string(&q, l.tag());
    let report_path = if l == Locale::FrCa { "/mur/signaler" } else { "/wall/report" };
    let other = if l == Locale::FrCa { "en-CA" } else { "fr-CA" };
    // One QR code per way in (a Telegram deep link and a Discord invite, say), each with its URL.
    // A class's wall too shows only these: its class link is a secret that only those who hold
    // it may see (a wall is public, and renewing a link must shut out whoever had the old one).
    let codes: Vec<&str> = state.join_url.as_deref().unwrap_or_default().split_whitespace().take(3).collect();
    let title = t("wall-page-title");
    let full_title = format!("{title} · {}", campaign.hashtag);
    let frame = Frame { stylesheet: "/wall.css", script: Some("/wall.js"), body_class: Some("wall") };
    let body = html! {
                header.wall-head {
                    h1 { img.ribbon-head src="/ribbon.svg" alt=""; " " (title) }
                    p.theme { (campaign.theme(l)) " " strong { (campaign.hashtag) } }
                    p.season { (state.bot.season_text(l)) }
                    a.switch href={ "?" (query_string(&q, other)) } { (t("wall-page-switch")) }
                }
                main.wall-main {
                    section.counter aria-live="polite" {
                        p.total #total data-total=(d.total) { (format_number(l, d.total as u64)) }
                        p.counter-label #counter-label { (d.label) }
                        p.today #today { (d.today_label) }
                        p.persevert #persevert hidden[!d.persevert] { (t("wall-page-persevert")) }
                        // The green wave shows once it has begun, and all of Jeudi perséVERT.
                        p.green-wave #green-wave hidden[d.green_photos == 0 && !d.persevert] { (d.green_label) }
                    }
                    section.latest {
                        h2 { (t("wall-page-latest")) }
                        ul #latest {
                            @if d.latest.is_empty() {
                                li { (t("wall-page-empty")) }
                            } @else {
                                @for line in &d.latest_lines { li { (line) } }
                            }
                        }
                        h2 { (t("wall-page-messages")) }
                        ul #messages.messages data-report-path=(report_path) data-report-query=(here)
                            data-report=(t("wall-report")) data-report-label=(t("wall-report-label"))
                            data-empty=(t("wall-page-messages-empty")) {
                            // An empty section says so rather than showing a heading over nothing.
                            @if d.messages.is_empty() {
                                li.empty { (t("wall-page-messages-empty")) }
                            }
                            @for m in &d.messages {
                                li {
                                    q { (m.text) } " " cite { "— " (m.who) } " "
                                    form.report method="post" action={ (report_path) "/" (m.id) "?" (here) } {
                                        button type="submit" aria-label=(t("wall-report-label")) { (t("wall-report")) }
                                    }
                                }
                            }
                        }
                    }
                    section.join hidden[codes.is_empty()] {
                        h2 { (t("wall-page-join")) }
                        div.codes {
                            @for url in &codes {
                                figure.qr {
                                    // SVG this server drew from the configured address.
                                    (PreEscaped(qr_svg(url)))
                                    figcaption.join-url { (url) }
                                }
                            }
                        }
                    }
                    section.regions {
                        h2 { (t("wall-page-regions")) }
                        ul #regions {
                            @for (code, name, n) in &d.regions {
                                li {
                                    span.region-name { (name) }
                                    span.bar { span.fill data-pct=(*n * 100 / max) data-region=(code) {} }
                                    span.region-count { (format_number(l, *n as u64)) }
                                }
                            }
                        }
                    }
                }
    };
    let html = document(l, &full_title, frame, body);
    ([(header::CACHE_CONTROL, "no-store")], Html(html.into_string())).into_response()
}

/// This wall's filters and language `lang`, as a query string (the language switch, the
/// report forms, the way back from a report).
fn query_string(q: &WallQuery, lang: &str) -> String {
    let mut parts = vec![format!("lang={lang}")];
    for (k, v) in [("region", &q.region), ("school", &q.school), ("class", &q.class)] {
        if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", url_encode(v)));
        }
    }
    parts.join("&")
}

/// `POST /mur/signaler/{id}` (`/wall/report/{id}`): someone looking at the wall reports a
/// message. It leaves the wall at once and joins the organizers' queue, without a strike
/// against its sender until an organizer keeps it hidden (see
/// [`ruban_store::Store::report_wall_entry`]); one client may report five an hour, counted in
/// the database so every process counts the same. The reporter is a keyed hash of the
/// client's address. Refused when the browser says the form was posted from another site: a
/// page elsewhere must not make its visitors' browsers empty the wall.
pub(crate) async fn report(
    State(state): State<Arc<AppState>>,
    client: crate::auth::Client,
    Path(id): Path<String>,
    Query(q): Query<WallQuery>,
    headers: HeaderMap,
) -> Response {
    let l = locale(&q, &headers);
    let answer = |status: StatusCode, id: &str| {
        notice_page(&state, l, status, "wall-report-title", &state.bot.texts().t(l, id, &[]), &q)
    };
    if crate::strangers::is_cross_site(&headers) {
        return answer(StatusCode::FORBIDDEN, "wall-report-refused");
    }
    // An id that is not a number names no message: the same answer as one that left.
    let Some(id) = id.parse::<i64>().ok().filter(|id| *id > 0) else {
        return answer(StatusCode::NOT_FOUND, "wall-report-gone");
    };
    let reporter = state.bot.person_key("wall", &client.0.to_string());
    match state.bot.store().report_wall_entry(id, &reporter).await {
        Ok(WallReport::Hidden) => {
            metrics::counter!("ruban_wall_reports_total").increment(1);
            answer(StatusCode::OK, "wall-report-thanks")
        }
        Ok(WallReport::Already) => answer(StatusCode::OK, "wall-report-thanks"),
        Ok(WallReport::NotOnWall) => answer(StatusCode::NOT_FOUND, "wall-report-gone"),
        Ok(WallReport::TooMany) => answer(StatusCode::TOO_MANY_REQUESTS, "wall-report-too-many"),
        Err(e) => {
            tracing::error!(error = %e, "wall report");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// A small page in the wall's colours: a heading (the message `title`), what happened (`said`,
/// an alert when `status` is an error), and the way back to the wall `back`. What a wall link
/// that does not read and a report answer with.
fn notice_page(state: &AppState, l: Locale, status: StatusCode, title: &str, said: &str, back: &WallQuery) -> Response {
    let t = |id: &str| state.bot.texts().t(l, id, &[]);
    let frame = Frame { stylesheet: "/wall.css", script: None, body_class: Some("wall notice-page") };
    let page = document(
        l,
        &t(title),
        frame,
        html! {
            main {
                h1 { (t(title)) }
                p role=(if status.is_success() { "status" } else { "alert" }) { (said) }
                p { a.back href={ "/mur?" (query_string(back, l.tag())) } { (t("wall-report-back")) } }
            }
        },
    );
    (status, [(header::CACHE_CONTROL, "no-store")], Html(page.into_string())).into_response()
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

pub(crate) async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], include_str!("../static/wall.js"))
}

pub(crate) async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("../static/wall.css"))
}
