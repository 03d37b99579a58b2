//! The fake Telegram Bot API's self-test: what it refuses, shown straight to the fake (no bot in
//! between), so that a test passing against it means something.

use std::time::{Duration, Instant};

use ruban_tests::telegram as fake;
use serde_json::{Value, json};

/// What the fake refuses, as Telegram would: each refusal shown on its own, straight to the
/// fake (no bot in between).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fake_refuses_what_telegram_refuses() {
    let (fake, base) = fake::start().await;
    *fake.latency_ms.lock().unwrap() = 0..1;
    let http = reqwest::Client::new();
    let call = |method: &str, body: Value| {
        let req = http.post(format!("{base}/bot123:TEST/{method}")).json(&body);
        async move {
            let resp = req.send().await.unwrap();
            let status = resp.status().as_u16();
            (status, resp.json::<Value>().await.unwrap())
        }
    };
    // A message, then an edit that changes nothing, then one of a message that does not exist.
    let (status, sent) = call("sendMessage", json!({"chat_id": 5, "text": "1 engagement"})).await;
    assert_eq!(status, 200, "{sent}");
    let id = sent["result"]["message_id"].as_i64().unwrap();
    let (status, same) = call("editMessageText", json!({"chat_id": 5, "message_id": id, "text": "1 engagement"})).await;
    assert_eq!(status, 400);
    assert!(same["description"].as_str().unwrap().contains("message is not modified"), "{same}");
    let (status, gone) = call("editMessageText", json!({"chat_id": 5, "message_id": 999, "text": "2"})).await;
    assert_eq!(status, 400);
    assert!(gone["description"].as_str().unwrap().contains("message to edit not found"), "{gone}");
    // A callback query answered twice, and one answered too late.
    fake.handed_out.lock().unwrap().insert(1, Instant::now());
    assert_eq!(call("answerCallbackQuery", json!({"callback_query_id": "cb1"})).await.0, 200);
    let (status, twice) = call("answerCallbackQuery", json!({"callback_query_id": "cb1"})).await;
    assert_eq!(status, 400);
    assert!(twice["description"].as_str().unwrap().contains("query is too old"), "{twice}");
    fake.handed_out.lock().unwrap().insert(2, Instant::now() - Duration::from_secs(11));
    assert_eq!(call("answerCallbackQuery", json!({"callback_query_id": "cb2"})).await.0, 400, "too late");
    // An upgraded group.
    fake.migrated.lock().unwrap().insert(-7, -1_000_000_000_007);
    let (status, moved) = call("sendMessage", json!({"chat_id": -7, "text": "Bravo"})).await;
    assert_eq!(status, 400);
    assert_eq!(moved["parameters"]["migrate_to_chat_id"], -1_000_000_000_007_i64);
    // Flood control: a second message in a chat within a second, and a 31st in a second in all.
    assert_eq!(call("sendMessage", json!({"chat_id": 5, "text": "again"})).await.0, 429);
    // (past the second of the messages above)
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let mut statuses = Vec::new();
    for chat in 100..131 {
        statuses.push(call("sendMessage", json!({"chat_id": chat, "text": "x"})).await.0);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 1, "the 31st in a second: {statuses:?}");
    // And what the description forbids.
    let (status, _) = call("sendMessage", json!({"chat_id": 5, "text": "x", "parse_mod": "HTML"})).await;
    assert_eq!(status, 400, "an unknown parameter");
    // A body that is not JSON.
    let raw = http.post(format!("{base}/bot123:TEST/sendMessage")).header("content-type", "application/json");
    assert_eq!(raw.body("{\"chat_id\": 5, \"text\"").send().await.unwrap().status(), 400);
    // Members are members; only the group's creator and administrators are privileged.
    fake.statuses.lock().unwrap().insert((-9, 30), "administrator");
    fake.statuses.lock().unwrap().insert((-9, 32), "left");
    fake.statuses.lock().unwrap().insert((-9, 33), "kicked");
    for (user, status) in [(7, "creator"), (30, "administrator"), (31, "member"), (32, "left"), (33, "kicked")] {
        let (_, member) = call("getChatMember", json!({"chat_id": -9, "user_id": user})).await;
        assert_eq!(member["result"]["status"], status, "{member}");
    }
}

/// After a 429 the chat stays closed for the `retry_after` given: a message sent sooner is an
/// early retry (another 429, and a refusal the tests see), one sent after it goes through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_stays_closed_for_the_retry_after_it_was_given() {
    let (fake, base) = fake::start().await;
    *fake.latency_ms.lock().unwrap() = 0..1;
    let http = reqwest::Client::new();
    let send = |chat: i64| {
        let req = http.post(format!("{base}/bot123:TEST/sendMessage")).json(&json!({"chat_id": chat, "text": "x"}));
        async move {
            let resp = req.send().await.unwrap();
            (resp.status().as_u16(), resp.json::<Value>().await.unwrap())
        }
    };
    fake.fail_next.lock().unwrap().insert("sendmessage".into(), 2);
    let limited = Instant::now();
    let (status, body) = send(5).await;
    assert_eq!((status, body["parameters"]["retry_after"].as_u64()), (429, Some(2)), "{body}");
    fake.assert_nothing_refused();
    // A second later (what a bot with a fixed one-second wait would do): still closed.
    tokio::time::sleep_until((limited + Duration::from_secs(1)).into()).await;
    assert_eq!(send(5).await.0, 429, "retried before the retry_after");
    assert!(fake.refused.any("retried"), "{:?}", fake.refused.all());
    // Another chat is not closed, and this one opens once the time given has passed.
    assert_eq!(send(6).await.0, 200);
    tokio::time::sleep_until((limited + Duration::from_millis(2100)).into()).await;
    assert_eq!(send(5).await.0, 200, "open again after retry_after");
}

/// Telegram serves one long poller per bot: a `getUpdates` that arrives while another waits ends
/// the waiting one with 409 « Conflict: terminated by other getUpdates request », and takes the
/// updates itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_poller_ends_the_first_with_409() {
    let (fake, base) = fake::start().await;
    *fake.latency_ms.lock().unwrap() = 0..1;
    let http = reqwest::Client::new();
    let poll = |offset: i64| {
        let req = http.post(format!("{base}/bot123:TEST/getUpdates")).json(&json!({"offset": offset, "timeout": 30}));
        async move {
            let resp = req.send().await.unwrap();
            (resp.status().as_u16(), resp.json::<Value>().await.unwrap())
        }
    };
    let first = tokio::spawn(poll(0));
    // The first poll is waiting (nothing to hand out) when the second arrives.
    while fake.count_of("getupdates") < 1 && !first.is_finished() {
        tokio::task::yield_now().await;
    }
    let second = tokio::spawn(poll(0));
    let (status, ended) = first.await.unwrap();
    assert_eq!(status, 409, "{ended}");
    assert!(ended["description"].as_str().unwrap().contains("terminated by other getUpdates request"), "{ended}");
    fake.push(fake::text_update(1, 5, 5, "/aide"));
    let (status, got) = second.await.unwrap();
    assert_eq!(status, 200, "{got}");
    assert_eq!(got["result"][0]["update_id"], 1, "the newer poller takes the update: {got}");
    assert_eq!(fake.conflicts.load(std::sync::atomic::Ordering::SeqCst), 1);
}
