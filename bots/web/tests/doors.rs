//! The web doors hold (issue 13): malformed values are refused before the store sees them,
//! and organizer tokens are limited per client and in all before any comparison.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use ruban_core::Limits;
use ruban_store::Store;
use ruban_web::{AppState, AuthLimits, ChatResponse};
use serde_json::json;
use tower::ServiceExt;

const TOKEN: &str = "campaign-token-for-door-tests-0123456789";

fn roomy() -> Limits {
    Limits { commands_per_minute: 10_000, chat_per_minute: 10_000, ..Limits::default() }
}

fn from(ip: [u8; 4], mut req: Request<Body>) -> Request<Body> {
    req.extensions_mut().insert(ConnectInfo(SocketAddr::from((ip, 40_000))));
    req
}

fn post_json(uri: &str, body: serde_json::Value, bearer: Option<&str>) -> Request<Body> {
    let mut r = Request::post(uri).header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = bearer {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    r.body(Body::from(body.to_string())).unwrap()
}

fn sign_in_form(token: &str) -> Request<Body> {
    Request::post("/organisateurs/connexion")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("token={token}")))
        .unwrap()
}

fn get(uri: &str, bearer: Option<&str>) -> Request<Body> {
    let mut r = Request::get(uri);
    if let Some(t) = bearer {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    r.body(Body::empty()).unwrap()
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    (status, String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap())
}

// ---- A. one validation before the store ------------------------------------------------------

/// 200 `/ruban` pledges at once, mixed with 40 class clicks whose code is a NUL: every pledge
/// gets its badge, numbers 1..200, and each NUL click gets the polite refusal, nothing else.
/// (On PostgreSQL the NUL clicks used to fail the writer's group commits: 1 to 77 of 200.)
async fn nul_clicks_are_refused_politely_and_pledges_around_them_succeed(store: Store) {
    let bot = ruban_tests::core::on(store.clone(), roomy()).await;
    let app = ruban_web::app(AppState::new(bot, None));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..240 {
        let app = app.clone();
        tasks.spawn(async move {
            let req = if i % 6 == 5 {
                post_json(
                    "/api/chat/click",
                    json!({ "chat": format!("c{i}"), "user": { "id": format!("nul{i}"), "name": "Élève" },
                            "locale": "fr-CA", "message_id": "m1", "button_id": "j:\u{0}" }),
                    None,
                )
            } else {
                post_json(
                    "/api/chat",
                    json!({ "chat": format!("c{i}"), "user": { "id": format!("p{i}"), "name": "Élève" },
                            "locale": "fr-CA", "text": "/ruban" }),
                    None,
                )
            };
            let (status, body) = send(&app, req).await;
            (i % 6 == 5, status, body)
        });
    }
    let mut badges = 0;
    while let Some(done) = tasks.join_next().await {
        let (nul, status, body) = done.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
        let reply: ChatResponse = serde_json::from_str(&body).unwrap();
        if nul {
            assert_eq!(reply.messages.len(), 1, "{body}");
            assert!(reply.messages[0].text.contains("je ne peux pas lire"), "a polite refusal: {body}");
            assert!(reply.messages[0].private);
        } else {
            assert!(
                !reply.messages.is_empty() && !reply.messages[0].images.is_empty(),
                "every pledge gets its badge: {body}"
            );
            badges += 1;
        }
    }
    assert_eq!(badges, 200);
    let mut numbers: Vec<i64> = store.pledge_rows(2026).await.unwrap().into_iter().map(|r| r.number).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=200).collect::<Vec<_>>(), "dense numbers, and nothing for the NUL clicks");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nul_clicks_and_pledges_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = ruban_tests::core::in_dir(dir.path(), roomy()).await;
    nul_clicks_are_refused_politely_and_pledges_around_them_succeed(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nul_clicks_and_pledges_postgres() {
    if let Some(fresh) = ruban_tests::store::postgres().await {
        nul_clicks_are_refused_politely_and_pledges_around_them_succeed(fresh.store.clone()).await;
        fresh.cleanup().await;
    }
}

/// Wall filters go through the same validation: a malformed value is a 400 that says what is
/// wrong (never a 503), on the data, the events and the page.
async fn malformed_wall_filters_are_a_clear_400(store: Store) {
    let bot = ruban_tests::core::on(store, roomy()).await;
    let app = ruban_web::app(AppState::new(bot, None));
    for uri in [
        "/api/wall?class=%00",
        "/api/wall?school=%C3%89cole%00A",
        "/api/wall?region=0%006",
        "/api/wall?class=ABCDEFGH",
        // A class code (a class link) is not a public id.
        "/api/wall?class=abcdefghjkmnpqrst",
        "/api/wall/events?class=%00",
    ] {
        let (status, body) = send(&app, get(uri, None)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("{uri}: {body}"));
        assert!(v["error"].as_str().is_some_and(|e| !e.is_empty()), "{uri}: {body}");
        assert!(v["message"].as_str().unwrap().contains("n’est pas valide"), "{uri}: {body}");
    }
    let (status, body) = send(&app, get("/mur?class=%00&lang=en-CA", None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("This wall link isn’t valid"), "{body}");
    for uri in ["/api/wall?class=0123456789abcdef", "/api/wall?region=06&school=%C3%89cole%20A", "/api/wall?class="] {
        assert_eq!(send(&app, get(uri, None)).await.0, StatusCode::OK, "{uri}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wall_filters_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let (_, store) = ruban_tests::core::in_dir(dir.path(), roomy()).await;
    malformed_wall_filters_are_a_clear_400(store).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wall_filters_postgres() {
    if let Some(fresh) = ruban_tests::store::postgres().await {
        malformed_wall_filters_are_a_clear_400(fresh.store.clone()).await;
        fresh.cleanup().await;
    }
}

// ---- B. organizer tokens ------------------------------------------------------------------------

async fn guarded(limits: AuthLimits) -> (Router, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (bot, _) = ruban_tests::core::in_dir(dir.path(), roomy()).await;
    let state = AppState::with_limits(bot, Some(TOKEN.into()), "http://127.0.0.1/".into(), limits);
    (ruban_web::app(state), dir)
}

const GUESSER: [u8; 4] = [203, 0, 113, 7];
const ORGANIZER: [u8; 4] = [198, 51, 100, 20];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_guessing_even_the_right_token_is_refused_until_the_window_passes() {
    let window = Duration::from_millis(1500);
    let (app, _dir) = guarded(AuthLimits { per_client: 3, global: 100, window }).await;
    let started = std::time::Instant::now();
    for i in 0..3 {
        let (status, _) = send(&app, from(GUESSER, sign_in_form(&format!("guess-{i}")))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "wrong try {i}");
    }
    for _ in 0..3 {
        assert_eq!(send(&app, from(GUESSER, sign_in_form("guess-again"))).await.0, StatusCode::TOO_MANY_REQUESTS);
    }
    let (status, body) = send(&app, from(GUESSER, sign_in_form(TOKEN))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "a limited client is refused even with the right token");
    assert!(body.contains("Trop d’essais"), "{body}");
    // The exports share the guard.
    assert_eq!(send(&app, from(GUESSER, get("/api/export.csv", Some(TOKEN)))).await.0, StatusCode::TOO_MANY_REQUESTS);
    assert!(started.elapsed() < window, "the test ran within the window");
    tokio::time::sleep(window + Duration::from_millis(100)).await;
    assert_eq!(send(&app, from(GUESSER, sign_in_form(TOKEN))).await.0, StatusCode::SEE_OTHER, "the window passed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_guesser_does_not_lock_out_another_organizer_up_to_the_global_cap() {
    let (app, _dir) = guarded(AuthLimits { per_client: 3, global: 12, window: Duration::from_secs(60) }).await;
    for i in 0..25 {
        send(&app, from(GUESSER, sign_in_form(&format!("guess-{i}")))).await;
    }
    assert_eq!(send(&app, from(GUESSER, sign_in_form(TOKEN))).await.0, StatusCode::TOO_MANY_REQUESTS);
    // Another organizer: a typo is an ordinary "not valid", then the right token signs in.
    let (status, body) = send(&app, from(ORGANIZER, sign_in_form("typo"))).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(send(&app, from(ORGANIZER, sign_in_form(TOKEN))).await.0, StatusCode::SEE_OTHER);
    assert_eq!(send(&app, from(ORGANIZER, get("/api/export.csv", Some(TOKEN)))).await.0, StatusCode::OK);
    // Many addresses together meet the global cap (3 + 1 wrong so far, 12 allowed).
    for host in 1..=3u8 {
        for i in 0..3 {
            send(&app, from([192, 0, 2, host], sign_in_form(&format!("crowd-{i}")))).await;
        }
    }
    assert_eq!(
        send(&app, from([192, 0, 2, 200], sign_in_form(TOKEN))).await.0,
        StatusCode::TOO_MANY_REQUESTS,
        "past the global cap everyone waits"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bearer_tokens_on_the_exports_and_totals_are_limited_too() {
    let (app, _dir) = guarded(AuthLimits { per_client: 3, global: 100, window: Duration::from_secs(60) }).await;
    let totals = |bearer: &str| {
        post_json(
            "/api/chat",
            json!({ "chat": "org", "user": { "id": "o1", "name": "Org" }, "locale": "fr-CA", "text": "/totaux" }),
            Some(bearer),
        )
    };
    // The right token works through the chat.
    let (status, body) = send(&app, from(ORGANIZER, totals(TOKEN))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!serde_json::from_str::<ChatResponse>(&body).unwrap().messages[0].files.is_empty(), "{body}");
    for i in 0..3 {
        let (status, body) = send(&app, from(GUESSER, totals(&format!("guess-{i}")))).await;
        assert_eq!(status, StatusCode::OK, "a wrong token is just not an organizer");
        assert!(body.contains("réservée"), "{body}");
    }
    let (status, _) = send(&app, from(GUESSER, totals(TOKEN))).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "/totaux through Bearer is limited before comparing");
    // Exports: a second client guesses there and meets the same guard.
    let other = [203, 0, 113, 99];
    for i in 0..3 {
        let (status, _) = send(&app, from(other, get(&format!("/api/export.json?x={i}"), Some("nope")))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(send(&app, from(other, get("/api/export.json", Some(TOKEN)))).await.0, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(send(&app, from(other, sign_in_form(TOKEN))).await.0, StatusCode::TOO_MANY_REQUESTS, "one guard");
    assert_eq!(send(&app, from(ORGANIZER, get("/api/export.json", Some(TOKEN)))).await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_server_limits_by_peer_address() {
    // Through a socket the peer's address is known (127.0.0.1 here): the guard applies.
    let (base, _dir) = ruban_tests::web::server_with(Some(TOKEN)).await;
    let http = reqwest::Client::new();
    let mut last = 0;
    for i in 0..7 {
        let res = http.get(format!("{base}/api/export.csv")).bearer_auth(format!("guess-{i}")).send().await.unwrap();
        last = res.status().as_u16();
    }
    assert_eq!(last, 429);
    let right = http.get(format!("{base}/api/export.csv")).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(right.status().as_u16(), 429, "the right token too, while this address is limited");
}
