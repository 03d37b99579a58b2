//! The organizer pages' frame: the document, its language, the dashboard's style sheet, and
//! no caching (every organizer page shows figures or a session's forms).

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use ruban_vocabulary::Locale;

use crate::esc;

/// An organizer page titled `title` around `body` (already escaped HTML).
pub(crate) fn page(l: Locale, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><link rel=\"icon\" href=\"/ribbon.svg\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"/dashboard.css\"></head><body class=\"dash\">{body}</body></html>",
        l.tag(),
        esc(title)
    );
    ([(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}
