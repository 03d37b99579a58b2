//! The organizer pages' frame: the document, its language, the dashboard's style sheet, and
//! no caching (every organizer page shows figures or a session's forms).

use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use maud::Markup;
use ruban_vocabulary::Locale;

use crate::document::{Frame, document};

/// An organizer page titled `title` around `body`.
pub(crate) fn page(l: Locale, title: &str, body: Markup) -> Response {
    let frame = Frame { stylesheet: "/dashboard.css", script: None, body_class: Some("dash") };
    let html = document(l, title, frame, body);
    ([(header::CACHE_CONTROL, "no-store")], Html(html.into_string())).into_response()
}
