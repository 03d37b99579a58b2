//! The frame every page shares: the document, its language (what a screen reader speaks), its
//! title, the ribbon as icon, the viewport, its style sheet (and script), and its body's class.
//! One place, so no page can forget one of them.

use maud::{DOCTYPE, Markup, html};
use ruban_vocabulary::Locale;

/// What differs from one kind of page to another.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame<'a> {
    /// The style sheet's path (`/dashboard.css`).
    pub stylesheet: &'a str,
    /// A script of the same origin, deferred (the Content-Security-Policy forbids inline code).
    pub script: Option<&'a str>,
    /// The body's classes, if any.
    pub body_class: Option<&'a str>,
}

/// A whole page: `body` in the frame, titled `title`, in `l`.
pub(crate) fn document(l: Locale, title: &str, frame: Frame<'_>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(l.tag()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) }
                link rel="icon" href="/ribbon.svg" type="image/svg+xml";
                link rel="stylesheet" href=(frame.stylesheet);
                @if let Some(script) = frame.script {
                    script src=(script) defer {}
                }
            }
            body class=[frame.body_class] { (body) }
        }
    }
}
