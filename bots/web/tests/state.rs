//! Every piece of web state is in the store (issue 13, part 3): two processes over one
//! database behave as one. A dashboard session made on one works on the other, an image
//! rendered by one is served by the other, a « afficher sur le mur » button made by one posts
//! from the other; and forget-me leaves nothing behind: the person's images are gone and an
//! old wall button does nothing. On SQLite (two connections to one file) and PostgreSQL.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use ruban_core::Limits;
use ruban_store::Store;
use ruban_web::{AppState, ChatResponse};
use serde_json::json;
use tower::ServiceExt;

const TOKEN: &str = "campaign-token-for-state-tests-0123456789";

fn roomy() -> Limits {
    Limits { commands_per_minute: 10_000, chat_per_minute: 10_000, ..Limits::default() }
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, Vec<u8>, axum::http::HeaderMap) {
    let res = app.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, res.into_body().collect().await.unwrap().to_bytes().to_vec(), headers)
}

async fn chat(app: &Router, path: &str, body: serde_json::Value) -> ChatResponse {
    let req = Request::post(path).header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string()));
    let (status, bytes, _) = send(app, req.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&bytes));
    serde_json::from_slice(&bytes).unwrap()
}

async fn say(app: &Router, user: &str, text: &str) -> ChatResponse {
    chat(app, "/api/chat", json!({"chat": "5b", "user": {"id": user, "name": user}, "locale": "fr-CA", "text": text}))
        .await
}

async fn click(app: &Router, user: &str, message: &str, button: &str) -> ChatResponse {
    let body = json!({"chat": "5b", "user": {"id": user, "name": user}, "locale": "fr-CA", "message_id": message, "button_id": button});
    chat(app, "/api/chat/click", body).await
}

async fn pair(stores: (Store, Store)) -> [Router; 2] {
    let (a, b) = stores;
    let opts = |bot| {
        AppState::with_options(bot, ruban_web::WebOptions { organizer_token: Some(TOKEN.into()), ..Default::default() })
    };
    [
        ruban_web::app(opts(ruban_tests::core::on(a, roomy()).await)),
        ruban_web::app(opts(ruban_tests::core::on(b, roomy()).await)),
    ]
}

async fn two_processes_behave_as_one(stores: (Store, Store)) {
    let store = stores.0.clone();
    let [one, two] = pair(stores).await;

    // An image rendered by one process is served by the other, privately.
    let card = say(&one, "lea", "/carte Zoé encourager « Lâche pas, tu es capable! »").await;
    let image = card.messages[0].images[0].clone();
    let (status, bytes, headers) = send(&two, Request::get(&image).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{image} from the other process");
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 1080);
    assert_eq!(headers[header::CACHE_CONTROL], "private, no-store");

    // The card's « afficher sur le mur » button, made by one, posts from the other, once.
    let wall = card.messages[0].buttons.iter().find(|b| b.id.starts_with("w:")).expect("a wall button").id.clone();
    let posted = click(&two, "lea", &card.messages[0].id, &wall).await;
    assert!(!posted.messages[0].text.contains("plus actif"), "{}", posted.messages[0].text);
    let entries = store.wall(2026, 10, true).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].message, "Lâche pas, tu es capable!");
    // Someone else clicking it, or the author again, posts nothing more.
    click(&one, "intrus", &card.messages[0].id, &wall).await;
    click(&one, "lea", &card.messages[0].id, &wall).await;
    assert_eq!(store.wall(2026, 10, true).await.unwrap().len(), 1);

    // A dashboard session made on one process works on the other; sign-out on the other ends it.
    let login = Request::post("/organisateurs/connexion")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("token={TOKEN}")))
        .unwrap();
    let (status, _, headers) = send(&one, login).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let dashboard =
        |cookie: &str| Request::get("/organisateurs").header(header::COOKIE, cookie).body(Body::empty()).unwrap();
    let (status, page, _) = send(&two, dashboard(&cookie)).await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("deconnexion"), "the other process shows the dashboard, not the sign-in form");
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    // Hiding a wall entry from the other process with the session's CSRF token works.
    let hide = Request::post(format!("/organisateurs/mur/{}", entries[0].id))
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf}&hidden=1")))
        .unwrap();
    assert_eq!(send(&two, hide).await.0, StatusCode::SEE_OTHER);
    assert!(store.wall(2026, 10, true).await.unwrap()[0].hidden);
    // A forged form (no CSRF token of this session) is refused.
    let forged = Request::post(format!("/organisateurs/mur/{}", entries[0].id))
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("csrf=0000&hidden=0"))
        .unwrap();
    assert_eq!(send(&one, forged).await.0, StatusCode::FORBIDDEN);
    let logout = Request::post("/organisateurs/deconnexion")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf}")))
        .unwrap();
    assert_eq!(send(&two, logout).await.0, StatusCode::SEE_OTHER);
    let (_, page, _) = send(&one, dashboard(&cookie)).await;
    assert!(!String::from_utf8(page).unwrap().contains("deconnexion"), "signed out on every process");
}

async fn forget_me_leaves_nothing_behind(stores: (Store, Store)) {
    let store = stores.0.clone();
    let [one, two] = pair(stores).await;
    let card = say(&one, "noah", "/carte Zoé encourager « Bravo pour tes efforts! »").await;
    let image = card.messages[0].images[0].clone();
    let wall = card.messages[0].buttons.iter().find(|b| b.id.starts_with("w:")).unwrap().id.clone();
    // Someone else's image, which must stay.
    let other = say(&one, "emma", "/carte Léo").await.messages[0].images[0].clone();

    let asked = say(&two, "noah", "/oublie-moi").await;
    let yes = asked.messages[0].buttons.iter().find(|b| b.id == "f:1").unwrap().id.clone();
    click(&two, "noah", &asked.messages[0].id, &yes).await;

    for app in [&one, &two] {
        assert_eq!(send(app, Request::get(&image).body(Body::empty()).unwrap()).await.0, StatusCode::NOT_FOUND);
        assert_eq!(send(app, Request::get(&other).body(Body::empty()).unwrap()).await.0, StatusCode::OK);
    }
    // The old « afficher sur le mur » button does nothing now.
    let late = click(&one, "noah", &card.messages[0].id, &wall).await;
    assert!(late.messages[0].text.contains("plus actif"), "{}", late.messages[0].text);
    assert!(store.wall(2026, 10, true).await.unwrap().is_empty(), "nothing was posted after forget-me");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_sqlite() {
    let (fresh, second) = ruban_tests::store::pair(false).await.unwrap();
    two_processes_behave_as_one((fresh.store.clone(), second)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_postgres() {
    let Some((fresh, second)) = ruban_tests::store::pair(true).await else { return };
    two_processes_behave_as_one((fresh.store.clone(), second)).await;
    fresh.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forget_me_sqlite() {
    let (fresh, second) = ruban_tests::store::pair(false).await.unwrap();
    forget_me_leaves_nothing_behind((fresh.store.clone(), second)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forget_me_postgres() {
    let Some((fresh, second)) = ruban_tests::store::pair(true).await else { return };
    forget_me_leaves_nothing_behind((fresh.store.clone(), second)).await;
    fresh.cleanup().await;
}

/// With the playground closed (a server open to a network), nobody can act as anybody: the
/// chat API is gone, the front page says where Ruban is, and the wall shows no QR code that
/// leads nowhere.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_playground_takes_no_identity() {
    let dir = tempfile::tempdir().unwrap();
    let (bot, store) = ruban_tests::core::in_dir(dir.path(), roomy()).await;
    let app = ruban_web::app(AppState::with_options(
        bot,
        ruban_web::WebOptions { playground: false, join_url: None, ..Default::default() },
    ));
    for (path, body) in [
        ("/api/chat", json!({"chat": "c", "user": {"id": "victim", "name": "x"}, "text": "/ruban"})),
        (
            "/api/chat/click",
            json!({"chat": "c", "user": {"id": "victim", "name": "x"}, "message_id": "m", "button_id": "f:1"}),
        ),
    ] {
        let req =
            Request::post(path).header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string()));
        let (status, bytes, _) = send(&app, req.unwrap()).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}: {}", String::from_utf8_lossy(&bytes));
    }
    assert_eq!(store.count(2026).await.unwrap(), 0, "no pledge went through");
    let (status, page, _) = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Telegram") && !page.contains("/playground.js"), "{page}");
    let (_, wall, _) = send(&app, Request::get("/mur").body(Body::empty()).unwrap()).await;
    let wall = String::from_utf8(wall).unwrap();
    assert!(!wall.contains("<svg") || !wall.contains("class=\"qr\""), "no QR code to a closed door");
    assert!(wall.contains("class=\"join\" hidden"), "the join section is hidden");
}
