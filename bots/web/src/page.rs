//! The playground page: HTML with its texts from `web.ftl`, a script and a style sheet served
//! from the same origin (the Content-Security-Policy forbids inline code).

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{Html, IntoResponse};

use crate::{AppState, LangQuery, page_locale};

const TEMPLATE: &str = include_str!("../static/index.html");
/// The front page of a server whose playground is closed: where Ruban is, and the wall.
const CLOSED: &str = include_str!("../static/closed.html");

pub(crate) async fn index(State(state): State<Arc<AppState>>, q: Query<LangQuery>, headers: HeaderMap) -> Html<String> {
    let l = page_locale(&q, &headers);
    let texts = state.bot.texts();
    let template = if state.playground { TEMPLATE } else { CLOSED };
    let mut html = template.replace("{{lang}}", l.tag());
    // Every {{web-…}} placeholder is a Fluent id.
    while let Some(start) = html.find("{{web-") {
        let Some(len) = html[start..].find("}}") else {
            break;
        };
        let id = html[start + 2..start + len].to_owned();
        // Escaped as the templates escape (the placeholders sit in text and double-quoted attributes).
        html.replace_range(start..start + len + 2, &maud::html! { (texts.t(l, &id, &[])) }.into_string());
    }
    Html(html)
}

pub(crate) async fn script() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], include_str!("../static/playground.js"))
}

pub(crate) async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("../static/playground.css"))
}

/// The campaign's green-and-white ribbon, drawn in the pages instead of an emoji (🎗️ is yellow,
/// and a box where no emoji font exists).
pub(crate) async fn ribbon() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")],
        include_str!("../../../assets/art/ribbon.svg"),
    )
}
