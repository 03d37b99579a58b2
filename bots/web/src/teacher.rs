//! A class's teacher access (`/enseignant/CODE`, `/teacher/CODE`; issues 13 and 14): where the
//! adult in charge of a class sees its count, chooses whether its messages wait for approval
//! before they reach the wall, approves or keeps hidden each message that waits, and renews the
//! class link when it went further than the class.
//!
//! Who may: whoever holds the link. Its code is a secret of its own (80 bits and more from a
//! CSPRNG), apart from the class link the pupils' devices hold, and it is given only privately
//! (`/classe enseignant` in the class's chat, or the organizers' dashboard). A form posted from
//! another site is refused; an unknown code gets the same page as a malformed one; pages are
//! never cached and leak no address through `Referer`.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{Markup, html};
use ruban_store::ClassSession;
use ruban_vocabulary::{Locale, format_number};
use serde::Deserialize;

use crate::auth::Client;
use crate::document::{Frame, document};
use crate::{AppState, LangQuery, page_locale};

/// What a teacher's form asks.
#[derive(Debug, Deserialize)]
pub(crate) struct TeacherForm {
    action: String,
    #[serde(default)]
    id: Option<i64>,
}

fn page(l: Locale, title: &str, body: Markup, status: StatusCode) -> Response {
    let frame = Frame { stylesheet: "/dashboard.css", script: None, body_class: Some("dash") };
    let html = document(l, title, frame, html! { main.answer.teacher { (body) } });
    (status, [(header::CACHE_CONTROL, "no-store"), (header::REFERRER_POLICY, "no-referrer")], Html(html.into_string()))
        .into_response()
}

/// A refusal, said where the adult looks first.
fn refusal(why: &str) -> Markup {
    html! { p.error role="alert" { (why) } }
}

/// The class of `code`, or the page a stranger gets (the same for any code that opens nothing).
async fn class_of(state: &AppState, client: Client, l: Locale, code: &str) -> Result<ClassSession, Response> {
    if !state.misses.allows(client) {
        let t = state.bot.texts().t(l, "web-too-many-misses", &[]);
        return Err(page(l, &t, refusal(&t), StatusCode::TOO_MANY_REQUESTS));
    }
    let gone = || {
        state.misses.missed(client);
        let t = state.bot.texts().t(l, "teacher-gone", &[]);
        page(l, &t, refusal(&t), StatusCode::NOT_FOUND)
    };
    match state.bot.store().class_for_teacher(code).await {
        Ok(Some(c)) => Ok(c),
        Ok(None) => Err(gone()),
        Err(e) => {
            tracing::error!(error = %e, "teacher access");
            Err(StatusCode::SERVICE_UNAVAILABLE.into_response())
        }
    }
}

/// The class a teacher's form was posted for: refused when it came from another site (403) or
/// its code opens nothing (the stranger's page).
async fn posted_to(
    state: &AppState,
    client: Client,
    l: Locale,
    headers: &HeaderMap,
    code: &str,
) -> Result<ClassSession, Response> {
    if crate::strangers::is_cross_site(headers) {
        return Err(StatusCode::FORBIDDEN.into_response());
    }
    class_of(state, client, l, code).await
}

pub(crate) async fn show(
    State(state): State<Arc<AppState>>,
    client: Client,
    Path(code): Path<String>,
    q: Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let l = page_locale(&q, &headers);
    let class = match class_of(&state, client, l, &code).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match body(&state, l, &code, &class).await {
        Ok((title, body)) => page(l, &title, body, StatusCode::OK),
        Err(e) => {
            tracing::error!(error = %e, "teacher access");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn body(
    state: &AppState,
    l: Locale,
    code: &str,
    class: &ClassSession,
) -> Result<(String, Markup), ruban_store::StoreError> {
    let texts = state.bot.texts();
    let t = |id: &str| texts.t(l, id, &[]);
    let store = state.bot.store();
    let name = class.class_name.clone().unwrap_or_default();
    let title = texts.t(l, "teacher-title", &[("class", name.clone().into())]);
    let members = store.class_summary(&class.code).await?.members;
    let action = format!("/enseignant/{code}?lang={}", l.tag());
    // Every change is one of the page's forms: an action, the item it is about, a button.
    let form = |what: &str, id: Option<i64>, label: &str| {
        html! {
            form method="post" action=(action) {
                input type="hidden" name="action" value=(what);
                @if let Some(id) = id { input type="hidden" name="id" value=(id); }
                button type="submit" { (label) }
            }
        }
    };
    // Cards the scorer was unsure of, first: a pupil waits for them, and nothing is drawn or
    // sent before the adult decides.
    let held = store.held_cards(Some(&class.code), 200).await?;
    let premoderated = if class.is_open { Some(store.class_premoderated(&class.code).await?) } else { None };
    let names = if class.is_open { store.class_first_names(&class.code).await? } else { Vec::new() };
    let waiting = store.awaiting_in_class(&class.code, 100).await?;
    // The class link the pupils' devices hold, and the way to renew it when it went too far.
    let path = format!("/classe/{}", class.link());
    let link = state.bot.class_link(class.link()).unwrap_or_else(|| path.clone());
    let certificates = format!("/enseignant/{code}/certificats?lang={}", l.tag());
    let out = html! {
        h1 { (title) }
        p.scope { (t("teacher-keep")) }
        p.kpis { strong { (format_number(l, members as u64)) } " " (texts.t(l, "teacher-members", &[("count", members.into())])) }
        @if !held.is_empty() {
            section.held {
                h2 { (t("teacher-held")) }
                p { (t("teacher-held-why")) }
                // The teacher's form posts `send-card` / `drop-card`, beside its other actions.
                (crate::held::list(state, l, &held, |id, decision, label| form(&format!("{decision}-card"), Some(id), label)))
            }
        }
        @match premoderated {
            None => p { (t("teacher-closed")) },
            Some(on) => {
                @let (said, field, button) = if on {
                    ("teacher-approval-on", "approval-off", "teacher-approval-turn-off")
                } else {
                    ("teacher-approval-off", "approval-on", "teacher-approval-turn-on")
                };
                section.approval { p { (t(said)) } (form(field, None, &t(button))) }
                section.link {
                    h2 { (t("teacher-class-link")) }
                    p { a href=(path) { (link) } }
                    p { (t("teacher-renew-why")) }
                    (form("renew-link", None, &t("teacher-renew")))
                }
                // Pupils without a device: the adult records how many pledged (their own door).
                section.seats {
                    h2 { (t("teacher-seats-title")) }
                    p { (t("teacher-seats-why")) }
                    form method="post" action={ "/enseignant/" (code) "/eleves?lang=" (l.tag()) } {
                        label {
                            (t("teacher-seats-label")) " "
                            input type="number" name="seats" min="1" max=(ruban_core::MAX_CLASS_SEATS) required;
                        }
                        button type="submit" { (t("teacher-seats-record")) }
                    }
                }
                // The first names pupils typed, seen by the adult before the badge draws them:
                // any can be taken off (a joke, a classmate's name typed for fun); the pledge
                // stays.
                section.names {
                    h2 { (t("teacher-names-title")) }
                    p { (t("teacher-names-why")) }
                    @if names.is_empty() {
                        p { (t("teacher-names-empty")) }
                    } @else {
                        ul {
                            @for (id, first_name) in &names {
                                li {
                                    span.first-name { (first_name) } " "
                                    (form("remove-name", Some(*id), &texts.t(l, "teacher-names-remove", &[("name", first_name.clone().into())])))
                                }
                            }
                        }
                    }
                }
            }
        }
        // The class's certificates, to print for a small ceremony (their own door answers a PDF).
        (crate::certificates::form(state, l, &certificates, html! {}))
        section.moderation {
            h2 { (t("teacher-queue")) }
            @if waiting.is_empty() {
                p { (t("teacher-queue-empty")) }
            } @else {
                ul {
                    @for (id, message, _) in &waiting {
                        li { q { (message) } " " (form("approve", Some(*id), &t("teacher-approve"))) (form("hide", Some(*id), &t("teacher-hide"))) }
                    }
                }
            }
        }
    };
    Ok((title, out))
}

pub(crate) async fn act(
    State(state): State<Arc<AppState>>,
    client: Client,
    Path(code): Path<String>,
    q: Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<TeacherForm>,
) -> Response {
    let l = page_locale(&q, &headers);
    let class = match posted_to(&state, client, l, &headers, &code).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let store = state.bot.store();
    let done = match (form.action.as_str(), form.id) {
        ("send-card", Some(id)) => match state.bot.approve_held_card(l, Some(&class.code), id).await {
            Ok(Some(approved)) if !approved.sent_to_chat => {
                let back = format!("/enseignant/{code}?lang={}", l.tag());
                return match crate::held::approved_page(&state, l, (&back, "teacher-held-back"), &approved) {
                    Some((title, body)) => page(l, &title, body, StatusCode::OK),
                    None => StatusCode::SERVICE_UNAVAILABLE.into_response(),
                };
            }
            Ok(_) => Ok(true),
            Err(why) => return page(l, &why, html! { p { (why) } }, StatusCode::SERVICE_UNAVAILABLE),
        },
        ("drop-card", Some(id)) => match state.bot.drop_held_card(l, Some(&class.code), id).await {
            Ok(dropped) => Ok(dropped),
            Err(why) => return page(l, &why, html! { p { (why) } }, StatusCode::SERVICE_UNAVAILABLE),
        },
        ("approve", Some(id)) => store.review_in_class(&class.code, id, true).await,
        ("hide", Some(id)) => store.review_in_class(&class.code, id, false).await,
        ("approval-on" | "approval-off", None) if class.is_open => {
            store.set_class_premoderated(&class.code, form.action == "approval-on").await
        }
        ("renew-link", None) if class.is_open => store.renew_class_link(&class.code).await.map(|l| l.is_some()),
        ("remove-name", Some(id)) if class.is_open => store.remove_class_first_name(&class.code, id).await,
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    match done {
        // Decided, or already decided (a second tab, a double click): the page tells the state.
        Ok(_) => Redirect::to(&format!("/enseignant/{code}?lang={}", l.tag())).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "teacher access");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// The class's certificates as one PDF, for its teacher (the same as the dashboard's).
pub(crate) async fn certificates(
    State(state): State<Arc<AppState>>,
    client: Client,
    Path(code): Path<String>,
    q: Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<crate::certificates::CertificatesForm>,
) -> Response {
    let l = page_locale(&q, &headers);
    match posted_to(&state, client, l, &headers, &code).await {
        Ok(class) => form.answer(&state, l, Some(&class.code)).await,
        Err(r) => r,
    }
}

/// The pupils-without-a-device form.
#[derive(Debug, Deserialize)]
pub(crate) struct SeatsForm {
    /// As typed: a number is checked by the core (1 to its maximum), anything else refused.
    seats: String,
}

/// Pupils without a device: the class's teacher records how many pledged (see
/// [`ruban_core::Bot::record_class_seats`]); the page says the class's count and shows its
/// badge, or says why nothing changed.
pub(crate) async fn seats(
    State(state): State<Arc<AppState>>,
    client: Client,
    Path(code): Path<String>,
    q: Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<SeatsForm>,
) -> Response {
    let l = page_locale(&q, &headers);
    let class = match posted_to(&state, client, l, &headers, &code).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let texts = state.bot.texts();
    let back =
        html! { p { a href={ "/enseignant/" (code) "?lang=" (l.tag()) } { (texts.t(l, "teacher-back", &[])) } } };
    let typed = form.seats.trim().parse::<i64>().unwrap_or(0);
    match state.bot.record_class_seats(l, &class.code, typed).await {
        Ok((said, badge)) => {
            use base64::Engine;
            let data = base64::engine::general_purpose::STANDARD.encode(badge.bytes.as_slice());
            let data = format!("data:image/png;base64,{data}");
            let body = html! {
                p.done role="status" { (said) }
                figure {
                    img.badge src=(data) alt=(badge.alt) width="540" height="540";
                    figcaption { a href=(data) download=(badge.file_name) { (texts.t(l, "teacher-seats-download", &[])) } }
                }
                (back)
            };
            page(l, &said, body, StatusCode::OK)
        }
        Err(why) => page(l, &why, html! { (refusal(&why)) (back) }, StatusCode::UNPROCESSABLE_ENTITY),
    }
}
