//! The organizer pages' frame: the document, its language, the dashboard's style sheet, and
//! no caching (every organizer page shows figures or a session's forms).

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use maud::{DOCTYPE, Markup, html};
use ruban_vocabulary::Locale;

/// An organizer page titled `title` around `body`.
pub(crate) fn page(l: Locale, title: &str, body: Markup) -> Response {
    let html = html! {
        (DOCTYPE)
        html lang=(l.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="icon" href="/ribbon.svg" type="image/svg+xml";
                link rel="stylesheet" href="/dashboard.css";
            }
            body.dash { (body) }
        }
    };
    ([(header::CACHE_CONTROL, "no-store")], Html(html.into_string())).into_response()
}
