//! A class's certificates from the organizers' dashboard (issue 15, part 3): the pupils' first
//! names, one per line, become one print-ready PDF with a page per pupil (Letter, 300 dpi), or
//! a ZIP of the PNGs.
//!
//! Who may: a signed-in organizer, with the session's CSRF token. Every name and the reason get
//! a card's checks before anything is drawn; the names are used for the drawing only, never
//! stored or logged; only the count is kept.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use ruban_core::PrintPack;
use ruban_vocabulary::Locale;
use serde::Deserialize;

use crate::session::{Session, signed_in_with};
use crate::{AppState, LangQuery, page_locale};

/// The dashboard's section: the form that makes a class's certificates.
pub(crate) fn section(state: &AppState, l: Locale, session: &Session) -> Markup {
    let csrf = html! { input type="hidden" name="csrf" value=(session.csrf); };
    form(state, l, &format!("/organisateurs/certificats?lang={}", l.tag()), csrf)
}

/// The form that makes a class's certificates, posting to `action` (the dashboard's door or
/// the teacher's) with `hidden` fields (the dashboard's CSRF token).
pub(crate) fn form(state: &AppState, l: Locale, action: &str, hidden: Markup) -> Markup {
    let texts = state.bot.texts();
    let t = |id: &str| texts.t(l, id, &[]);
    html! {
        section.certificates #certificats {
            h2 { (t("dash-certificates-title")) }
            p { (t("dash-certificates-why")) }
            form.certificates-form method="post" action=(action) {
                label { (t("dash-certificates-names")) " " textarea name="names" rows="8" required {} }
                label {
                    (t("dash-certificates-reason")) " "
                    input name="reason" maxlength="160" placeholder=(t("certificate-default-reason"));
                }
                label { (t("dash-certificates-giver")) " " input name="giver" maxlength="40" required; }
                (hidden)
                p.actions {
                    button type="submit" name="format" value="pdf" { (t("dash-certificates-make")) }
                    " "
                    button.secondary type="submit" name="format" value="zip" { (t("dash-certificates-make-zip")) }
                }
            }
        }
    }
}

/// The form's fields (the teacher's door has no CSRF token: its secret link is in its path).
#[derive(Debug, Deserialize)]
pub(crate) struct CertificatesForm {
    #[serde(default)]
    csrf: String,
    names: String,
    #[serde(default)]
    reason: String,
    giver: String,
    /// `pdf` (the default) or `zip`: which button was pressed.
    #[serde(default)]
    format: String,
}

impl CertificatesForm {
    /// The class's certificates as one PDF, or the page that says why there is none. `class`
    /// names the class (its code on the teacher's page); `None` on the dashboard, where the
    /// adult who gives them names the group (one pupil printed twice by them counts once).
    pub(crate) async fn answer(&self, state: &AppState, l: Locale, class: Option<&str>) -> Response {
        let names: Vec<String> = self.names.lines().map(str::to_owned).collect();
        let pack = if self.format == "zip" { PrintPack::PngZip } else { PrintPack::Pdf };
        let class = match class {
            Some(code) => format!("class:{code}"),
            None => format!("dashboard:{}", self.giver),
        };
        let made = state.bot.class_certificates(l, &names, Some(&self.reason), &self.giver, "web", &class, pack).await;
        answer(state, l, pack, made)
    }
}

pub(crate) async fn make(
    State(state): State<Arc<AppState>>,
    q: Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<CertificatesForm>,
) -> Response {
    let l = page_locale(&q, &headers);
    if signed_in_with(&state, &headers, &form.csrf).await.is_none() {
        return StatusCode::FORBIDDEN.into_response();
    }
    form.answer(&state, l, None).await
}

/// The PDF or the ZIP to download, or the page that says why there is none.
fn answer(state: &AppState, l: Locale, pack: PrintPack, made: Result<Vec<u8>, ruban_core::PackRefusal>) -> Response {
    match made {
        Ok(pdf) => {
            let (file, content_type) = match pack {
                PrintPack::Pdf => ("dash-certificates-file", "application/pdf"),
                PrintPack::PngZip => ("dash-certificates-zip-file", "application/zip"),
            };
            let file = state.bot.texts().t(l, file, &[]);
            (
                [
                    (header::CONTENT_TYPE, content_type.to_owned()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
                    (header::CACHE_CONTROL, "private, no-store".to_owned()),
                ],
                pdf,
            )
                .into_response()
        }
        Err(ruban_core::PackRefusal { text: why, busy: true }) => {
            let title = state.bot.texts().t(l, "dash-certificates-refused", &[]);
            let body = crate::dashboard_classes::refusal(&why);
            let mut page = crate::dashboard_classes::answer(state, l, StatusCode::SERVICE_UNAVAILABLE, &title, body);
            page.headers_mut().insert(header::RETRY_AFTER, axum::http::HeaderValue::from_static("5"));
            page
        }
        Err(ruban_core::PackRefusal { text: why, busy: false }) => {
            let title = state.bot.texts().t(l, "dash-certificates-refused", &[]);
            let body = crate::dashboard_classes::refusal(&why);
            crate::dashboard_classes::answer(state, l, StatusCode::UNPROCESSABLE_ENTITY, &title, body)
        }
    }
}
