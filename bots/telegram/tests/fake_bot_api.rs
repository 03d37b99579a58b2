//! The real teloxide client against a fake Telegram Bot API on 127.0.0.1 that hands out updates
//! through getUpdates, records every call, decodes multipart uploads, and refuses any call whose
//! method or parameters the official description (`tests/spec/api.json`, Bot API 10.1) does not
//! allow, and the limits it states only in words (64-byte callback_data, caption and text
//! lengths).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Json, Response};
use ruban_core::Limits;
use ruban_store::Store;
use serde_json::{Value, json};
use teloxide::prelude::*;

/// A call the fake received: method (lowercase), parameters, and uploaded files by part name.
#[derive(Debug, Clone)]
struct Call {
    method: String,
    params: Value,
    files: HashMap<String, Vec<u8>>,
}

#[derive(Default)]
struct Fake {
    calls: Mutex<Vec<Call>>,
    updates: Mutex<VecDeque<Value>>,
    refused: Mutex<Vec<String>>,
    next_message: Mutex<i64>,
}

/// method (lowercase) -> (allowed parameters, required parameters)
type Spec = HashMap<String, (Vec<String>, Vec<String>)>;

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/spec/api.json");
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        v["methods"]
            .as_object()
            .unwrap()
            .values()
            .map(|m| {
                let fields = m["fields"].as_array().cloned().unwrap_or_default();
                let all = fields.iter().map(|f| f["name"].as_str().unwrap().to_owned()).collect();
                let req = fields
                    .iter()
                    .filter(|f| f["required"] == true)
                    .map(|f| f["name"].as_str().unwrap().to_owned())
                    .collect();
                (m["name"].as_str().unwrap().to_lowercase(), (all, req))
            })
            .collect()
    })
}

/// What the real API would refuse, or None.
fn check(method: &str, params: &Value) -> Option<String> {
    let Some((allowed, required)) = spec().get(method) else { return Some(format!("unknown method {method}")) };
    let obj = params.as_object()?;
    for k in obj.keys() {
        if !allowed.contains(k) {
            return Some(format!("{method}: unknown parameter {k}"));
        }
    }
    for r in required {
        if !obj.contains_key(r) {
            return Some(format!("{method}: missing {r}"));
        }
    }
    let text_len = |k: &str| obj.get(k).and_then(|v| v.as_str()).map_or(0, |s| s.encode_utf16().count());
    if text_len("caption") > 1024 || text_len("text") > 4096 || text_len("text") == 0 && obj.contains_key("text") {
        return Some(format!("{method}: caption or text length out of bounds"));
    }
    if let Some(markup) = obj.get("reply_markup") {
        let markup: Value = markup.as_str().map_or(markup.clone(), |s| serde_json::from_str(s).unwrap_or(Value::Null));
        for row in markup["inline_keyboard"].as_array().into_iter().flatten() {
            for b in row.as_array().into_iter().flatten() {
                if b["callback_data"].as_str().is_some_and(|d| d.len() > 64) {
                    return Some(format!("{method}: callback_data over 64 bytes"));
                }
            }
        }
    }
    None
}

fn ok(result: Value) -> Response {
    Json(json!({"ok": true, "result": result})).into_response()
}

fn message(fake: &Fake, chat: &Value, extra: Value) -> Value {
    let mut n = fake.next_message.lock().unwrap();
    *n += 1;
    let mut m = json!({"message_id": *n, "date": 1_771_500_000, "chat": {"id": chat.as_i64().unwrap_or(0), "type": "private", "first_name": "Léa"}});
    if let (Some(m), Some(extra)) = (m.as_object_mut(), extra.as_object()) {
        m.extend(extra.clone());
    }
    m
}

async fn api(State(fake): State<Arc<Fake>>, Path((_bot, method)): Path<(String, String)>, req: Request) -> Response {
    let method = method.to_lowercase();
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("multipart/"));
    let mut params = json!({});
    let mut files = HashMap::new();
    if is_multipart {
        let mut mp = Multipart::from_request(req, &()).await.unwrap();
        let mut attachments: HashMap<String, Vec<u8>> = HashMap::new();
        while let Some(field) = mp.next_field().await.unwrap() {
            let name = field.name().unwrap_or_default().to_owned();
            let is_file = field.file_name().is_some();
            let bytes = field.bytes().await.unwrap().to_vec();
            if is_file {
                attachments.insert(name, bytes);
            } else {
                params[name] = Value::String(String::from_utf8_lossy(&bytes).into_owned());
            }
        }
        // `photo: attach://<id>` names the part that holds the bytes.
        for (k, v) in params.as_object().unwrap().clone() {
            if let Some(id) = v.as_str().and_then(|s| s.strip_prefix("attach://")) {
                files.insert(k, attachments.remove(id).unwrap_or_default());
            }
        }
    } else {
        let body = axum::body::to_bytes(req.into_body(), 50 << 20).await.unwrap();
        if !body.is_empty() {
            params = serde_json::from_slice(&body).unwrap_or(json!({}));
        }
    }
    if let Some(why) = check(&method, &params) {
        fake.refused.lock().unwrap().push(why.clone());
        return Json(json!({"ok": false, "error_code": 400, "description": format!("Bad Request: {why}")}))
            .into_response();
    }
    fake.calls.lock().unwrap().push(Call { method: method.clone(), params: params.clone(), files });
    let chat = params
        .get("chat_id")
        .cloned()
        .map(|c| c.as_str().and_then(|s| s.parse::<i64>().ok()).map_or(c.clone(), Value::from))
        .unwrap_or(Value::Null);
    match method.as_str() {
        "getme" => {
            ok(json!({"id": 42, "is_bot": true, "first_name": "Ruban", "username": "RubanBot", "can_join_groups": true,
            "can_read_all_group_messages": false, "supports_inline_queries": true, "has_main_web_app": false}))
        }
        "getwebhookinfo" => ok(json!({"url": "", "has_custom_certificate": false, "pending_update_count": 0})),
        "getupdates" => {
            let offset = params["offset"].as_i64().unwrap_or(0);
            for _ in 0..5 {
                let ready: Vec<Value> = {
                    let mut q = fake.updates.lock().unwrap();
                    q.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                    q.iter().cloned().collect()
                };
                if !ready.is_empty() {
                    return ok(Value::Array(ready));
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            ok(json!([]))
        }
        "sendphoto" => ok(message(
            &fake,
            &chat,
            json!({"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 1080, "height": 1080}]}),
        )),
        "senddocument" => ok(message(&fake, &chat, json!({"document": {"file_id": "d1", "file_unique_id": "u2"}}))),
        "sendmessage" | "editmessagetext" => ok(message(&fake, &chat, json!({"text": params["text"].clone()}))),
        "answercallbackquery" | "deletewebhook" => ok(json!(true)),
        "getchatmember" => ok(json!({"status": "creator", "is_anonymous": false,
            "user": {"id": params["user_id"].as_i64().unwrap_or(0), "is_bot": false, "first_name": "Prof"}})),
        other => ok(json!({"unhandled": other})),
    }
}

async fn start_fake() -> (Arc<Fake>, String) {
    let fake = Arc::new(Fake::default());
    let app = Router::new().route("/{bot}/{method}", axum::routing::post(api)).with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (fake, format!("http://{addr}"))
}

fn text_update(id: i64, chat: i64, user: i64, text: &str) -> Value {
    json!({"update_id": id, "message": {"message_id": 1000 + id, "date": 1_771_500_000,
        "chat": {"id": chat, "type": "private", "first_name": "Léa"},
        "from": {"id": user, "is_bot": false, "first_name": "Léa", "language_code": "fr"},
        "text": text, "entities": [{"type": "bot_command", "offset": 0, "length": text.split(' ').next().unwrap().len()}]}})
}

async fn wait_for(fake: &Fake, method: &str) -> Call {
    for _ in 0..100 {
        if let Some(c) = fake.calls.lock().unwrap().iter().find(|c| c.method == method).cloned() {
            return c;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "no {method}; the fake saw {:?} and refused {:?}",
        fake.calls.lock().unwrap().iter().map(|c| &c.method).collect::<Vec<_>>(),
        fake.refused.lock().unwrap()
    );
}

/// The real dispatcher over a real core and store, polling the fake.
async fn start_bot(
    base: &str,
) -> (teloxide::dispatching::ShutdownToken, tokio::task::JoinHandle<()>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await.unwrap();
    let campaign = card_renderer::Campaign::embedded();
    let assets = card_renderer::Assets::with_campaign(campaign.clone()).unwrap();
    let config = ruban_core::Config {
        campaign,
        secret: b"telegram test secret, 32 bytes..".to_vec(),
        limits: Limits::default(),
    };
    let core = Arc::new(ruban_core::Bot::new(store, assets, config).await.unwrap());
    let bot = Bot::new("123:TEST").set_api_url(reqwest::Url::parse(base).unwrap());
    let mut dispatcher = Dispatcher::builder(bot, ruban_telegram::schema())
        .dependencies(dptree::deps![core, ruban_telegram::Adapter::new()])
        .build();
    let stop = dispatcher.shutdown_token();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });
    (stop, running, dir)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_in_a_private_chat_arrives_as_a_photo() {
    let (fake, base) = start_fake().await;
    let (stop, running, _dir) = start_bot(&base).await;
    fake.updates.lock().unwrap().push_back(text_update(1, 555, 555, "/carte Léa encourager \"Lâche pas!\""));
    let photo = wait_for(&fake, "sendphoto").await;
    assert_eq!(photo.params["chat_id"], "555");
    assert!(photo.params["caption"].as_str().unwrap().contains("Voici ta carte pour Léa"));
    let png = &photo.files["photo"];
    let img = image::load_from_memory(png).unwrap();
    assert_eq!((img.width(), img.height()), (1080, 1080));
    assert!(fake.refused.lock().unwrap().is_empty(), "refused: {:?}", fake.refused.lock().unwrap());
    stop.shutdown().unwrap().await;
    running.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_in_a_group_counts_every_click_once() {
    let (fake, base) = start_fake().await;
    let (stop, running, _dir) = start_bot(&base).await;
    let group = -100_500;
    let mut opener = text_update(1, group, 7, "/classe « 5e B »");
    opener["message"]["chat"] = json!({"id": group, "type": "supergroup", "title": "5e B"});
    fake.updates.lock().unwrap().push_back(opener);
    let class = wait_for(&fake, "sendmessage").await;
    let markup = match &class.params["reply_markup"] {
        Value::String(s) => serde_json::from_str(s).unwrap(),
        other => other.clone(),
    };
    let join = markup["inline_keyboard"][0][0]["callback_data"]
        .as_str()
        .unwrap_or_else(|| panic!("no join button in {:?}; refused {:?}", class.params, fake.refused.lock().unwrap()))
        .to_owned();
    let class_message = json!({"message_id": 1, "date": 1_771_500_000, "chat": {"id": group, "type": "supergroup", "title": "5e B"}, "text": "…"});
    // Five pupils click; two of them twice.
    for (i, user) in [11, 12, 13, 14, 15, 11, 12].iter().enumerate() {
        fake.updates.lock().unwrap().push_back(json!({"update_id": 10 + i as i64, "callback_query": {
            "id": format!("cb{i}"), "chat_instance": "ci", "data": join, "message": class_message,
            "from": {"id": user, "is_bot": false, "first_name": format!("Élève {user}")}}}));
    }
    for _ in 0..100 {
        if fake.calls.lock().unwrap().iter().filter(|c| c.method == "answercallbackquery").count() == 7 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let calls = fake.calls.lock().unwrap().clone();
    assert_eq!(calls.iter().filter(|c| c.method == "answercallbackquery").count(), 7, "every click is answered");
    let last_edit = calls.iter().rev().find(|c| c.method == "editmessagetext").expect("the counter was edited");
    assert!(last_edit.params["text"].as_str().unwrap().contains("5 engagements"), "{}", last_edit.params["text"]);
    assert!(fake.refused.lock().unwrap().is_empty(), "refused: {:?}", fake.refused.lock().unwrap());
    stop.shutdown().unwrap().await;
    running.await.unwrap();
}
