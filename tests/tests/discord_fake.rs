//! The fake Discord's self-test: what it refuses, shown straight to the fake (no bot in
//! between), so that a test passing against it means something.

use std::time::Duration;

use fake::command;
use ruban_tests::discord as fake;
use serde_json::{Value, json};

#[test]
fn the_fake_refuses_what_discord_would_refuse() {
    use axum::http::Method;
    let callback = "/interactions/1/tok/callback";
    let ok = json!({"type": 4, "data": {"content": "Bravo!", "allowed_mentions": {"parse": []}}});
    assert_eq!(fake::check(&Method::POST, callback, &ok), None);
    for bad in [
        json!({"type": 99}),
        json!({"data": {"content": "x"}}),
        json!({"type": 4, "data": {"content": "x".repeat(2001)}}),
        json!({"type": 4, "data": {"allowed_mentions": {"parse": ["everybody"]}}}),
        json!({"type": 7, "data": {"components": [{"type": 1, "components": [{"type": 2, "style": 1, "custom_id": "x".repeat(101)}]}]}}),
    ] {
        assert!(fake::check(&Method::POST, callback, &bad).is_some(), "accepted {bad}");
    }
    assert!(fake::check(&Method::GET, callback, &Value::Null).is_some(), "wrong method");
    assert!(fake::check(&Method::POST, "/interactions/1/tok/answer", &ok).is_some(), "unknown path");
    let command = json!([{"name": "carte", "description": "d".repeat(101)}]);
    assert!(fake::check(&Method::PUT, "/applications/1/commands", &command).is_some(), "description too long");
}

/// What the fake refuses about answers, as Discord would, straight to the fake.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fake_refuses_late_second_and_premature_answers() {
    let (fake, base) = fake::start().await;
    *fake.latency_ms.lock().unwrap() = 0..1;
    *fake.deadline.lock().unwrap() = Duration::from_millis(300);
    let http = reqwest::Client::new();
    let api = |path: String| format!("{base}/api/v10{path}");
    let message = json!({"type": 4, "data": {"content": "Bravo!"}});
    for id in [1u64, 2] {
        fake.dispatch("INTERACTION_CREATE", command(&fake, id, "carte", json!([]), (7, "Prof"), true, "0"));
    }
    // Before any callback, `@original` does not exist yet.
    let early = http
        .patch(api(format!("/webhooks/{}/itok-1/messages/@original", fake::APP_ID)))
        .json(&json!({"content": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(early.status().as_u16(), 404);
    let first = http.post(api("/interactions/1/itok-1/callback".into())).json(&message).send().await.unwrap();
    assert_eq!(first.status().as_u16(), 204);
    let second = http.post(api("/interactions/1/itok-1/callback".into())).json(&message).send().await.unwrap();
    assert_eq!(second.status().as_u16(), 400);
    assert_eq!(second.json::<Value>().await.unwrap()["code"], 40060);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let late = http.post(api("/interactions/2/itok-2/callback".into())).json(&message).send().await.unwrap();
    assert_eq!(late.status().as_u16(), 404);
    assert_eq!(late.json::<Value>().await.unwrap()["code"], 10062);
    // An expired token edits nothing.
    *fake.token_life.lock().unwrap() = Duration::ZERO;
    let dead = http
        .patch(api(format!("/webhooks/{}/itok-1/messages/@original", fake::APP_ID)))
        .json(&json!({"content": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(dead.status().as_u16(), 401);
}
