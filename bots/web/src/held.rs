//! Cards the moderation scorer was unsure of (issue 34), waiting for an adult: the
//! organizers' queue on the dashboard (campaign-wide tokens only, like the wall's moderation
//! and the reports) with two decisions, send or drop, and the page that shows a class page's
//! card once approved. The teacher's page has the same queue for its own class
//! ([`crate::teacher`]).

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use ruban_store::{HeldCard, Scope};
use ruban_vocabulary::Locale;
use serde::Deserialize;

use crate::session::{Session, signed_in_with};
use crate::{AppState, LangQuery, page_locale};

/// The queue, as a dashboard section.
pub(crate) async fn section(state: &AppState, l: Locale, session: &Session) -> Result<Markup, ruban_store::StoreError> {
    let texts = state.bot.texts();
    let t = |id: &str| texts.t(l, id, &[]);
    let held = match session.scope {
        Scope::All => Some(state.bot.store().held_cards(None, 100).await?),
        _ => None,
    };
    Ok(html! {
        section.held #cartes {
            h2 { (t("dash-held")) }
            @match held {
                None => p { (t("dash-moderation-scoped")) },
                Some(held) if held.is_empty() => p { (t("dash-held-empty")) },
                Some(held) => {
                    p { (t("teacher-held-why")) }
                    (list(state, l, &held, |id, decision, label| html! {
                        form method="post" action={ "/organisateurs/cartes/" (id) "?lang=" (l.tag()) } {
                            input type="hidden" name="csrf" value=(session.csrf);
                            input type="hidden" name="decision" value=(decision);
                            button type="submit" { (label) }
                        }
                    }))
                }
            }
        }
    })
}

/// Held cards as both queues list them (the teacher's and the organizers'): for whom, the
/// words, and the two decisions. `decide(id, decision, label)` draws one decision's form,
/// `decision` being `send` or `drop`: each door posts its own way.
pub(crate) fn list(
    state: &AppState,
    l: Locale,
    held: &[HeldCard],
    decide: impl Fn(i64, &str, &str) -> Markup,
) -> Markup {
    let texts = state.bot.texts();
    html! {
        ul {
            @for HeldCard { id, card, .. } in held {
                li {
                    span.to { (texts.t(l, "teacher-held-to", &[("name", card.recipient.clone().into())])) }
                    " " q { (card.message) } " "
                    (decide(*id, "send", &texts.t(l, "teacher-held-send", &[])))
                    (decide(*id, "drop", &texts.t(l, "teacher-held-drop", &[])))
                }
            }
        }
    }
}

/// An organizer's decision on a held card.
#[derive(Debug, Deserialize)]
pub(crate) struct DecisionForm {
    csrf: String,
    decision: String,
}

/// `POST /organisateurs/cartes/{id}`: send (drawn now; a chat's card goes to its chat, a
/// class page's is shown) or drop. A card decided already (another tab, its teacher) changes
/// nothing.
pub(crate) async fn decide(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    q: Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<DecisionForm>,
) -> Response {
    let l = page_locale(&q, &headers);
    if signed_in_with(&state, &headers, &form.csrf).await.is_none_or(|s| s.scope != Scope::All) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let back = ("/organisateurs#cartes", "dash-held-back");
    let done = match form.decision.as_str() {
        "send" => match state.bot.approve_held_card(l, None, id).await {
            Ok(Some(approved)) if !approved.sent_to_chat => {
                return match approved_page(&state, l, back, &approved) {
                    Some((title, body)) => crate::organizer_page::page(l, &title, html! { main { (body) } }),
                    None => StatusCode::SERVICE_UNAVAILABLE.into_response(),
                };
            }
            other => other.map(drop),
        },
        "drop" => state.bot.drop_held_card(l, None, id).await.map(drop),
        _ => return StatusCode::BAD_REQUEST.into_response(),
    };
    match done {
        Ok(()) => Redirect::to(back.0).into_response(),
        Err(why) => crate::organizer_page::page(l, &why, html! { p { (why) } }).into_response(),
    }
}

/// A class page's card an adult just approved, as a page's title and body: shown, to turn the
/// tablet towards the pupil or to download and print (the pupil has long handed the device
/// on). The page carries the image itself, kept nowhere; `back` is where the adult came from
/// and the Fluent id of its link. Each door wraps it in its own page (the teacher's keeps its
/// code out of referrers).
pub(crate) fn approved_page(
    state: &AppState,
    l: Locale,
    back: (&str, &str),
    approved: &ruban_core::Approved,
) -> Option<(String, Markup)> {
    use base64::Engine;
    let texts = state.bot.texts();
    let t = |id: &str| texts.t(l, id, &[]);
    let image = approved.card.images.first()?;
    let data =
        format!("data:image/png;base64,{}", base64::engine::general_purpose::STANDARD.encode(image.bytes.as_ref()));
    let body = html! {
        figure.approved {
            figcaption { (t("teacher-held-ready")) }
            img.card src=(data) alt=(image.alt) width="540" height="540";
        }
        p { a download=(image.file_name) href=(data) { (t("teacher-held-download")) } }
        p { a href=(back.0) { (t(back.1)) } }
    };
    Some((t("teacher-held-ready"), body))
}
