//! The organizers' queue of reported cards (`/organisateurs`, campaign-wide tokens only, like
//! the wall's moderation): each report with the reported words where they are still kept,
//! the sender's strikes (never who they are), and three decisions: keep it hidden, restore
//! it (a mistaken report: the strike no longer counts), block the sender for the campaign.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use ruban_store::{Review, Scope};
use ruban_vocabulary::Locale;
use serde::Deserialize;

use crate::session::{Session, signed_in_with};
use crate::{AppState, esc};

/// The queue, as a dashboard section.
pub(crate) async fn section(state: &AppState, l: Locale, session: &Session) -> Result<String, ruban_store::StoreError> {
    let texts = state.bot.texts();
    let t = |id: &str| esc(&texts.t(l, id, &[]));
    let mut out = format!("<section class=\"reports\" id=\"signalements\"><h2>{}</h2>", t("dash-reports"));
    if session.scope != Scope::All {
        out.push_str(&format!("<p>{}</p></section>", t("dash-moderation-scoped")));
        return Ok(out);
    }
    let reports = state.bot.store().reports(state.bot.campaign().year, 100).await?;
    if reports.is_empty() {
        out.push_str(&format!("<p>{}</p></section>", t("dash-reports-empty")));
        return Ok(out);
    }
    out.push_str("<ul>");
    for r in reports {
        let words = match &r.message {
            Some(m) => format!("<q>{}</q>", esc(m)),
            None => format!("<em>{}</em>", t("dash-report-suggested")),
        };
        let state_label = t(&format!("dash-report-state-{}", r.state));
        let strikes = esc(&texts.t(l, "dash-report-strikes", &[("count", r.strikes.into())]));
        let blocked = if r.blocked { format!(" <strong>{}</strong>", t("dash-report-blocked")) } else { String::new() };
        let from_wall = if r.stranger {
            format!(" <em class=\"from-wall\">{}</em>", t("dash-report-from-wall"))
        } else {
            String::new()
        };
        let buttons: String = [("hide", "dash-report-hide"), ("restore", "dash-report-restore"), ("block", "dash-report-block")]
            .iter()
            .map(|(value, label)| {
                format!(
                    "<form method=\"post\" action=\"/organisateurs/signalements/{id}\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
                     <input type=\"hidden\" name=\"review\" value=\"{value}\"><button type=\"submit\">{label}</button></form>",
                    id = r.id,
                    csrf = esc(&session.csrf),
                    label = t(label),
                )
            })
            .collect();
        out.push_str(&format!(
            "<li class=\"report report-{cls}\">{words} <span class=\"state\">{state_label}</span> · {platform} · {strikes}{blocked}{from_wall} {buttons}</li>",
            cls = esc(&r.state),
            platform = esc(&r.platform),
        ));
    }
    out.push_str("</ul></section>");
    Ok(out)
}

/// A decision's form.
#[derive(Debug, Deserialize)]
pub(crate) struct ReviewForm {
    csrf: String,
    review: String,
}

/// An organizer's decision on a report (campaign-wide sessions, CSRF-checked).
pub(crate) async fn review(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<ReviewForm>,
) -> Response {
    if signed_in_with(&state, &headers, &form.csrf).await.is_none_or(|s| s.scope != Scope::All) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let review = match form.review.as_str() {
        "hide" => Review::Hide,
        "restore" => Review::Restore,
        "block" => Review::Block,
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    match state.bot.store().review_report(id, review).await {
        Ok(true) => Redirect::to("/organisateurs#signalements").into_response(),
        Ok(false) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "report review");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
