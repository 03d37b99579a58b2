//! Classes from the organizers' dashboard (issue 13): open a class for a school without any
//! chat, print its sheet (the class link and its QR code, for the class's device), renew a link
//! shared too widely, and close the class to get its badge.
//!
//! Who may: a signed-in organizer whose scope holds the class, with the session's CSRF token on
//! every change. A class opened here belongs to the dashboard ([`DASHBOARD_OWNER`]), not to a
//! person: any organizer of its scope may close it. A class opened from a chat stays its
//! teacher's to close there (its counter lives in that chat); here it can only be renewed.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, PreEscaped, html};
use ruban_core::DASHBOARD_OWNER;
use ruban_store::{ClassSession, Scope};
use ruban_vocabulary::{Locale, format_number};
use serde::Deserialize;

use crate::organizer_page::page;
use crate::session::{CsrfForm, Session, Sessions, signed_in_with};
use crate::{AppState, LangQuery, page_locale};

/// The dashboard's section of open classes: the form that opens one, and each class with its
/// link, its sheet, and the buttons that renew or close it.
pub(crate) async fn section(
    state: &AppState,
    l: Locale,
    session: &Session,
    year: i32,
    filter: &ruban_store::WallFilter,
) -> Result<Markup, ruban_store::StoreError> {
    let texts = state.bot.texts();
    let t = |id: &str| texts.t(l, id, &[]);
    let classes = state.bot.store().open_classes(year, filter, 100).await?;
    let lang = l.tag();
    let mut items = Vec::with_capacity(classes.len());
    for c in &classes {
        let path = format!("/classe/{}", c.link());
        let address = state.bot.class_link(c.link()).unwrap_or_else(|| path.clone());
        let teacher = state.bot.store().teacher_code(&c.code).await?;
        // What an organizer tells classes apart by: how many pledged, when it was opened,
        // its school, and where (a chat's platform, or this dashboard).
        let members = state.bot.store().class_summary(&c.code).await?.members;
        let opened = texts.date(l, ruban_vocabulary::clock::montreal_day(c.opened_at));
        let origin = match c.platform.as_str() {
            DASHBOARD_OWNER => texts.t(l, "dash-class-origin-dashboard", &[]),
            "telegram" => "Telegram".to_owned(),
            "discord" => "Discord".to_owned(),
            _ => texts.t(l, "dash-class-origin-web", &[]),
        };
        let facts = texts.t(
            l,
            "dash-class-facts",
            &[
                ("count", members.into()),
                ("formatted", format_number(l, members as u64).into()),
                ("date", opened.into()),
                ("origin", origin.into()),
            ],
        );
        items.push(html! {
            li {
                strong { (c.class_name.as_deref().unwrap_or_default()) }
                @if let Some(school) = &c.school { " (" (school) ")" }
                " " span.facts { (facts) } " "
                a href=(path) { (address) } " "
                a href={ "/organisateurs/classes/" (c.code) "?lang=" (lang) } { (t("dash-class-sheet")) }
                @if let Some(tc) = teacher {
                    " " a href={ "/enseignant/" (tc) "?lang=" (lang) } { (t("dash-class-teacher")) }
                }
                form method="post" action={ "/organisateurs/classes/" (c.code) "/lien" } {
                    input type="hidden" name="csrf" value=(session.csrf);
                    button type="submit" { (t("dash-class-renew")) }
                }
                @if c.owner_key.as_deref() == Some(DASHBOARD_OWNER) {
                    form method="post" action={ "/organisateurs/classes/" (c.code) "/fermer?lang=" (lang) } {
                        input type="hidden" name="csrf" value=(session.csrf);
                        button type="submit" { (t("dash-class-close")) }
                    }
                }
            }
        });
    }
    Ok(html! {
        section.classes #classes {
            h2 { (t("dash-classes-open")) }
            form.open-class method="post" action={ "/organisateurs/classes?lang=" (lang) } {
                label { (t("dash-class-name")) " " input name="name" required maxlength="60" autocomplete="off"; }
                label.group { input type="checkbox" name="group" value="1"; " " (t("dash-class-group")) }
                input type="hidden" name="csrf" value=(session.csrf);
                button type="submit" { (t("dash-class-open")) }
            }
            @if items.is_empty() {
                p { (t("dash-classes-open-empty")) }
            } @else {
                p { (t("dash-class-renew-why")) }
                ul { @for item in items { (item) } }
            }
        }
    })
}

/// The open class `code` of this campaign if the session's scope holds it; otherwise the
/// answer to give (404: a class out of scope is one the organizer cannot know of).
async fn in_scope(state: &AppState, session: &Session, code: &str) -> Result<ClassSession, Response> {
    if !ruban_store::is_class_code(code) {
        return Err(StatusCode::NOT_FOUND.into_response());
    }
    let filter = session.scope.filter();
    let held = |c: &ClassSession| {
        filter.region.as_ref().is_none_or(|r| c.region.as_ref() == Some(r))
            && filter.school.as_ref().is_none_or(|s| c.school.as_ref() == Some(s))
    };
    match state.bot.store().class_by_code(code).await {
        Ok(Some(c)) if c.is_open && c.campaign == state.bot.campaign().year && held(&c) => Ok(c),
        Ok(_) => Err(StatusCode::NOT_FOUND.into_response()),
        Err(e) => {
            tracing::error!(error = %e, "class from the dashboard");
            Err(StatusCode::SERVICE_UNAVAILABLE.into_response())
        }
    }
}

/// A short page of the dashboard: a title, what to say, and the way back.
pub(crate) fn answer(state: &AppState, l: Locale, status: StatusCode, title: &str, body: Markup) -> Response {
    let back = state.bot.texts().t(l, "dash-back", &[]);
    let html = html! {
        main.answer {
            h1 { (title) }
            (body)
            p { a href={ "/organisateurs?lang=" (l.tag()) "#classes" } { (back) } }
        }
    };
    (status, page(l, title, html)).into_response()
}

/// A refusal, said where the organizer looks first.
pub(crate) fn refusal(why: &str) -> Markup {
    html! { p.error role="alert" { (why) } }
}

/// The open-a-class form's fields.
#[derive(Debug, Deserialize)]
pub(crate) struct OpenForm {
    csrf: String,
    name: String,
    /// Checked: a group (« groupe »: a cégep, adult education, a workplace).
    #[serde(default)]
    group: Option<String>,
}

/// Opens a class in the organizer's scope (its region or its organization) and shows its sheet.
pub(crate) async fn open(
    State(state): State<Arc<AppState>>,
    q: Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<OpenForm>,
) -> Response {
    let l = page_locale(&q, &headers);
    let Some(session) = signed_in_with(&state, &headers, &form.csrf).await else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let (school, region) = match &session.scope {
        Scope::All => (None, None),
        Scope::Region(r) => (None, Some(r.clone())),
        Scope::Organization(o) => (Some(o.clone()), None),
    };
    let group = form.group.as_deref() == Some("1");
    match state.bot.open_class_from_dashboard(l, &form.name, school, region, group).await {
        Ok(class) => Redirect::to(&format!("/organisateurs/classes/{}?lang={}", class.code, l.tag())).into_response(),
        Err(why) => {
            let title = state.bot.texts().t(l, "dash-class-open-refused", &[]);
            answer(&state, l, StatusCode::UNPROCESSABLE_ENTITY, &title, refusal(&why))
        }
    }
}

/// The class's sheet, to print or to show on the class's device: its name, its link and the
/// link's QR code, and what to do with them.
pub(crate) async fn sheet(
    State(state): State<Arc<AppState>>,
    Path(code): Path<String>,
    q: Query<LangQuery>,
    headers: HeaderMap,
) -> Response {
    let l = page_locale(&q, &headers);
    let Some(session) = Sessions::get(&state, &headers).await else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let class = match in_scope(&state, &session, &code).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let texts = state.bot.texts();
    let name = class.class_name.clone().unwrap_or_default();
    let path = format!("/classe/{}", class.link());
    let address = state.bot.class_link(class.link()).unwrap_or_else(|| this_host(&headers, &path));
    let body = html! {
        section.sheet {
            p.school { (class.school.as_deref().unwrap_or_default()) }
            figure.qr {
                // The QR code is SVG this server drew from the address (no text of anyone's).
                (PreEscaped(crate::wall::qr_svg(&address)))
                figcaption { a href=(path) { (address) } }
            }
            p { (texts.t(l, "dash-class-sheet-how", &[])) }
            p.keep { (texts.t(l, "dash-class-sheet-keep", &[])) }
        }
    };
    answer(&state, l, StatusCode::OK, &name, body)
}

/// `path` on the host this request reached, when no public address is set (a server on the
/// school's own network): a sheet is printed, so its link and QR code must be whole. A host
/// that is not a plain name, address and port leaves the path alone.
fn this_host(headers: &HeaderMap, path: &str) -> String {
    let host = headers.get(axum::http::header::HOST).and_then(|h| h.to_str().ok()).filter(|h| {
        !h.is_empty() && h.len() <= 255 && h.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
    });
    match host {
        Some(host) => format!("{}://{host}{path}", if crate::session::secure(headers) { "https" } else { "http" }),
        None => path.to_owned(),
    }
}

/// Closes a class opened from the dashboard and shows its badge, to download: the pupils'
/// first names typed on the class page are forgotten once it is drawn.
pub(crate) async fn close(
    State(state): State<Arc<AppState>>,
    Path(code): Path<String>,
    q: Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let l = page_locale(&q, &headers);
    let Some(session) = signed_in_with(&state, &headers, form.csrf()).await else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let class = match in_scope(&state, &session, &code).await {
        Ok(c) if c.owner_key.as_deref() == Some(DASHBOARD_OWNER) => c,
        Ok(_) => return StatusCode::NOT_FOUND.into_response(),
        Err(r) => return r,
    };
    let name = class.class_name.clone().unwrap_or_default();
    let (said, badge) = match state.bot.close_class_from_dashboard(l, &class.code).await {
        Ok(done) => done,
        Err(why) => return answer(&state, l, StatusCode::SERVICE_UNAVAILABLE, &name, refusal(&why)),
    };
    // Kept like the playground's images (a day, then swept), served `private, no-store`.
    let id = match crate::media::put(state.bot.store(), &badge.bytes, &badge.file_name, None).await {
        Ok(id) => id,
        Err(e) => {
            tracing::error!(error = %e, "class badge");
            return StatusCode::SERVICE_UNAVAILABLE.into_response();
        }
    };
    let download = state.bot.texts().t(l, "dash-class-badge-download", &[]);
    let media = format!("/media/{id}");
    let body = html! {
        p { (said) }
        figure.badge { img src=(media) alt=(badge.alt) width="540" height="540"; }
        p { a href=(media) download=(badge.file_name) { (download) } }
    };
    answer(&state, l, StatusCode::OK, &name, body)
}

/// Renews an open class's link, for an organizer whose scope holds the class: the old link
/// stops opening the class page at once, on every process.
pub(crate) async fn renew_link(
    State(state): State<Arc<AppState>>,
    Path(code): Path<String>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let Some(session) = signed_in_with(&state, &headers, form.csrf()).await else {
        return StatusCode::FORBIDDEN.into_response();
    };
    let class = match in_scope(&state, &session, &code).await {
        Ok(c) => c,
        Err(r) => return r,
    };
    match state.bot.store().renew_class_link(&class.code).await {
        Ok(Some(_)) => Redirect::to("/organisateurs#classes").into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "class link");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
