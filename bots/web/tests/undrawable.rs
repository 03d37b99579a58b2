//! Issue 16: a card never shows the replacement diamond. A character no bundled font draws is
//! refused kindly before drawing, naming it; 🇶🇨, which Quebec children type, is drawn.

use axum::body::Body;
use axum::http::{Request, header};
use http_body_util::BodyExt;
use ruban_core::Limits;
use ruban_web::{AppState, ChatResponse, app};
use serde_json::json;
use tower::ServiceExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_character_no_font_draws_is_refused_by_name_and_the_quebec_flag_is_drawn() {
    let dir = tempfile::tempdir().unwrap();
    let (bot, store) = ruban_tests::core::in_dir(dir.path(), Limits::default()).await;
    let app = app(AppState::new(bot, None));
    let say = |text: &str| {
        let body = json!({"chat": "5b", "user": {"id": "lea", "name": "Léa"}, "locale": "fr-CA", "text": text});
        let req = Request::post("/api/chat")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()));
        let app = app.clone();
        async move {
            let res = app.oneshot(req.unwrap()).await.unwrap();
            serde_json::from_slice::<ChatResponse>(&res.into_body().collect().await.unwrap().to_bytes()).unwrap()
        }
    };
    for (text, shown) in [("/carte Zoé « Bravo \u{E000} »", "\u{E000}"), ("/carte \u{10FFFD}Zoé", "\u{10FFFD}")] {
        let reply = say(text).await;
        assert!(reply.messages[0].images.is_empty(), "not drawn: {text}");
        let said = &reply.messages[0].text;
        assert!(said.contains("Je ne sais pas encore dessiner") && said.contains(shown), "{said}");
    }
    assert_eq!(store.count(2026).await.unwrap(), 0);
    let flag = say("/carte Zoé « Bonne fête nationale 🇶🇨 »").await;
    assert_eq!(flag.messages[0].images.len(), 1, "{}", flag.messages[0].text);
}
