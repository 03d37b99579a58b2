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
use ruban_store::ClassSession;
use ruban_vocabulary::Locale;
use ruban_vocabulary::format_number;
use serde::Deserialize;

use crate::auth::Client;
use crate::{AppState, LangQuery, esc, page_locale};

/// What a teacher's form asks.
#[derive(Debug, Deserialize)]
pub(crate) struct TeacherForm {
    action: String,
    #[serde(default)]
    id: Option<i64>,
}

fn page(l: Locale, title: &str, body: &str, status: StatusCode) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><link rel=\"icon\" href=\"/ribbon.svg\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"/dashboard.css\"></head>\
         <body class=\"dash\"><main class=\"answer teacher\">{body}</main></body></html>",
        l.tag(),
        esc(title)
    );
    (status, [(header::CACHE_CONTROL, "no-store"), (header::REFERRER_POLICY, "no-referrer")], Html(html))
        .into_response()
}

/// The class of `code`, or the page a stranger gets (the same for any code that opens nothing).
async fn class_of(state: &AppState, client: Client, l: Locale, code: &str) -> Result<ClassSession, Response> {
    if !state.misses.allows(client) {
        let t = state.bot.texts().t(l, "web-too-many-misses", &[]);
        return Err(page(
            l,
            &t,
            &format!("<p class=\"error\" role=\"alert\">{}</p>", esc(&t)),
            StatusCode::TOO_MANY_REQUESTS,
        ));
    }
    let gone = || {
        state.misses.missed(client);
        let t = state.bot.texts().t(l, "teacher-gone", &[]);
        page(l, &t, &format!("<p class=\"error\" role=\"alert\">{}</p>", esc(&t)), StatusCode::NOT_FOUND)
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
        Ok((title, body)) => page(l, &title, &body, StatusCode::OK),
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
) -> Result<(String, String), ruban_store::StoreError> {
    let texts = state.bot.texts();
    let t = |id: &str| esc(&texts.t(l, id, &[]));
    let store = state.bot.store();
    let name = class.class_name.clone().unwrap_or_default();
    let title = texts.t(l, "teacher-title", &[("class", name.clone().into())]);
    let members = store.class_summary(&class.code).await?.members;
    let action = format!("/enseignant/{}?lang={}", esc(code), l.tag());
    let form = |fields: &str, label: &str| {
        format!("<form method=\"post\" action=\"{action}\">{fields}<button type=\"submit\">{label}</button></form>")
    };
    let mut out = format!(
        "<h1>{}</h1><p class=\"scope\">{}</p><p class=\"kpis\"><strong>{}</strong> {}</p>",
        esc(&title),
        t("teacher-keep"),
        esc(&format_number(l, members as u64)),
        esc(&texts.t(l, "teacher-members", &[("count", members.into())])),
    );
    // Cards the scorer was unsure of, first: a pupil waits for them, and nothing is drawn or
    // sent before the adult decides.
    let held = store.held_cards(Some(&class.code), 200).await?;
    if !held.is_empty() {
        out.push_str(&format!(
            "<section class=\"held\"><h2>{}</h2><p>{}</p>",
            t("teacher-held"),
            t("teacher-held-why")
        ));
        // The teacher's form posts `send-card` / `drop-card`, beside its other actions.
        out.push_str(&crate::held::list(state, l, &held, |id, decision, label| {
            form(
                &format!(
                    "<input type=\"hidden\" name=\"action\" value=\"{decision}-card\"><input type=\"hidden\" name=\"id\" value=\"{id}\">"
                ),
                label,
            )
        }));
        out.push_str("</section>");
    }
    if !class.is_open {
        out.push_str(&format!("<p>{}</p>", t("teacher-closed")));
    } else {
        let premoderated = store.class_premoderated(&class.code).await?;
        let (said, field, button) = if premoderated {
            ("teacher-approval-on", "approval-off", "teacher-approval-turn-off")
        } else {
            ("teacher-approval-off", "approval-on", "teacher-approval-turn-on")
        };
        out.push_str(&format!(
            "<section class=\"approval\"><p>{}</p>{}</section>",
            t(said),
            form(&format!("<input type=\"hidden\" name=\"action\" value=\"{field}\">"), &t(button)),
        ));
        // The class link the pupils' devices hold, and the way to renew it when it went too far.
        let path = format!("/classe/{}", class.link());
        let link = state.bot.class_link(class.link()).unwrap_or_else(|| path.clone());
        out.push_str(&format!(
            "<section class=\"link\"><h2>{}</h2><p><a href=\"{}\">{}</a></p><p>{}</p>{}</section>",
            t("teacher-class-link"),
            esc(&path),
            esc(&link),
            t("teacher-renew-why"),
            form("<input type=\"hidden\" name=\"action\" value=\"renew-link\">", &t("teacher-renew")),
        ));
    }
    if class.is_open {
        // Pupils without a device: the adult records how many pledged (their own door).
        out.push_str(&format!(
            "<section class=\"seats\"><h2>{}</h2><p>{}</p><form method=\"post\" action=\"/enseignant/{}/eleves?lang={}\">\
             <label>{} <input type=\"number\" name=\"seats\" min=\"1\" max=\"{}\" required></label>\
             <button type=\"submit\">{}</button></form></section>",
            t("teacher-seats-title"),
            t("teacher-seats-why"),
            esc(code),
            l.tag(),
            t("teacher-seats-label"),
            ruban_core::MAX_CLASS_SEATS,
            t("teacher-seats-record"),
        ));
    }
    if class.is_open {
        // The first names pupils typed, seen by the adult before the badge draws them: any can
        // be taken off (a joke, a classmate's name typed for fun); the pledge stays.
        let names = store.class_first_names(&class.code).await?;
        out.push_str(&format!(
            "<section class=\"names\"><h2>{}</h2><p>{}</p>",
            t("teacher-names-title"),
            t("teacher-names-why")
        ));
        if names.is_empty() {
            out.push_str(&format!("<p>{}</p>", t("teacher-names-empty")));
        } else {
            out.push_str("<ul>");
            for (id, first_name) in names {
                let remove = form(
                    &format!(
                        "<input type=\"hidden\" name=\"action\" value=\"remove-name\"><input type=\"hidden\" name=\"id\" value=\"{id}\">"
                    ),
                    &texts.t(l, "teacher-names-remove", &[("name", first_name.clone().into())]),
                );
                out.push_str(&format!("<li><span class=\"first-name\">{}</span> {remove}</li>", esc(&first_name)));
            }
            out.push_str("</ul>");
        }
        out.push_str("</section>");
    }
    // The class's certificates, to print for a small ceremony (their own door answers a PDF).
    out.push_str(&crate::certificates::form(state, l, &format!("/enseignant/{code}/certificats?lang={}", l.tag()), ""));
    let waiting = store.awaiting_in_class(&class.code, 100).await?;
    out.push_str(&format!("<section class=\"moderation\"><h2>{}</h2>", t("teacher-queue")));
    if waiting.is_empty() {
        out.push_str(&format!("<p>{}</p>", t("teacher-queue-empty")));
    } else {
        out.push_str("<ul>");
        for (id, message, _) in waiting {
            let approve = form(
                &format!(
                    "<input type=\"hidden\" name=\"action\" value=\"approve\"><input type=\"hidden\" name=\"id\" value=\"{id}\">"
                ),
                &t("teacher-approve"),
            );
            let hide = form(
                &format!(
                    "<input type=\"hidden\" name=\"action\" value=\"hide\"><input type=\"hidden\" name=\"id\" value=\"{id}\">"
                ),
                &t("teacher-hide"),
            );
            out.push_str(&format!("<li><q>{}</q> {approve}{hide}</li>", esc(&message)));
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
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
                    Some((title, body)) => page(l, &title, &body, StatusCode::OK),
                    None => StatusCode::SERVICE_UNAVAILABLE.into_response(),
                };
            }
            Ok(_) => Ok(true),
            Err(why) => return page(l, &why, &format!("<p>{}</p>", esc(&why)), StatusCode::SERVICE_UNAVAILABLE),
        },
        ("drop-card", Some(id)) => match state.bot.drop_held_card(l, Some(&class.code), id).await {
            Ok(dropped) => Ok(dropped),
            Err(why) => return page(l, &why, &format!("<p>{}</p>", esc(&why)), StatusCode::SERVICE_UNAVAILABLE),
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
    let back = format!(
        "<p><a href=\"/enseignant/{}?lang={}\">{}</a></p>",
        esc(&code),
        l.tag(),
        esc(&texts.t(l, "teacher-back", &[]))
    );
    let typed = form.seats.trim().parse::<i64>().unwrap_or(0);
    match state.bot.record_class_seats(l, &class.code, typed).await {
        Ok((said, badge)) => {
            use base64::Engine;
            let data = base64::engine::general_purpose::STANDARD.encode(badge.bytes.as_slice());
            let body = format!(
                "<p class=\"done\" role=\"status\">{}</p><figure><img class=\"badge\" src=\"data:image/png;base64,{data}\" alt=\"{}\" width=\"540\" height=\"540\">\
                 <figcaption><a href=\"data:image/png;base64,{data}\" download=\"{}\">{}</a></figcaption></figure>{back}",
                esc(&said),
                esc(&badge.alt),
                esc(&badge.file_name),
                esc(&texts.t(l, "teacher-seats-download", &[])),
            );
            page(l, &said, &body, StatusCode::OK)
        }
        Err(why) => page(
            l,
            &why,
            &format!("<p class=\"error\" role=\"alert\">{}</p>{back}", esc(&why)),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    }
}
