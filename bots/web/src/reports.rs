//! The organizers' queue of reported cards (`/organisateurs`, campaign-wide tokens only, like
//! the wall's moderation): each report with the reported words where they are still kept,
//! the sender's strikes (never who they are), and three decisions: keep it hidden, restore
//! it (a mistaken report: the strike no longer counts), block the sender for the campaign.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use ruban_store::{Review, Scope};
use ruban_vocabulary::Locale;
use serde::Deserialize;

use crate::AppState;
use crate::session::{Session, signed_in_with};

/// The queue, as a dashboard section.
pub(crate) async fn section(state: &AppState, l: Locale, session: &Session) -> Result<Markup, ruban_store::StoreError> {
    let texts = state.bot.texts();
    let t = |id: &str| texts.t(l, id, &[]);
    let reports = match session.scope {
        Scope::All => Some(state.bot.store().reports(state.bot.campaign().year, 100).await?),
        _ => None,
    };
    let decisions = [("hide", "dash-report-hide"), ("restore", "dash-report-restore"), ("block", "dash-report-block")];
    Ok(html! {
        section.reports #signalements {
            h2 { (t("dash-reports")) }
            @match reports {
                None => p { (t("dash-moderation-scoped")) },
                Some(reports) if reports.is_empty() => p { (t("dash-reports-empty")) },
                Some(reports) => ul {
                    @for r in reports {
                        li class={ "report report-" (r.state) } {
                            @match &r.message {
                                Some(m) => q { (m) },
                                None => em { (t("dash-report-suggested")) },
                            }
                            " " span.state { (t(&format!("dash-report-state-{}", r.state))) }
                            " · " (r.platform) " · "
                            (texts.t(l, "dash-report-strikes", &[("count", r.strikes.into())]))
                            @if r.blocked { " " strong { (t("dash-report-blocked")) } }
                            @if r.stranger { " " em.from-wall { (t("dash-report-from-wall")) } }
                            " "
                            @for (value, label) in decisions {
                                form method="post" action={ "/organisateurs/signalements/" (r.id) } {
                                    input type="hidden" name="csrf" value=(session.csrf);
                                    input type="hidden" name="review" value=(value);
                                    button type="submit" { (t(label)) }
                                }
                            }
                        }
                    }
                },
            }
        }
    })
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
