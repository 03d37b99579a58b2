//! A fake Telegram Bot API on 127.0.0.1 for the real teloxide client. It hands out updates
//! through getUpdates, records every call with the time it arrived, decodes multipart uploads,
//! and refuses what the real API would refuse:
//! - any method, parameter name, parameter type (nested objects included) or missing required
//!   parameter that the official description (`spec/telegram/api.json`, Bot API 10.1) does not
//!   allow;
//! - the limits it states only in words: captions of 1024 and texts of 4096 characters,
//!   64-byte `callback_data`, command names of `a-z0-9_`;
//! - flooding: two messages (or edits) in one chat less than a second apart, or more than 20 in
//!   a minute in a group, get a 429 with `retry_after`, as on the real service.
//!
//! - and the rest of what Telegram does to a bot: every call takes 30–120 ms, so calls made
//!   together land in any order; more than 30 messages a second in all get a 429; a callback
//!   query is answered once, within ten seconds of its update (later, or a second time:
//!   « query is too old and response timeout expired or query ID is invalid »); an edit that
//!   changes nothing gets « message is not modified », an edit of an unknown message « message
//!   to edit not found »; a group a test upgraded to a supergroup refuses everything with
//!   `migrate_to_chat_id`.
//!
//! - a bot may not write first to a person who never started it (403);
//! - a body that is not JSON (400); `getChatMember` tells each member's real status (creator, administrator, member,
//!   left, kicked), not "creator" for everyone.
//!
//! - a second long poller: while one `getUpdates` waits, another one ends it with 409
//!   « Conflict: terminated by other getUpdates request », as when two processes poll one bot.
//!
//! Tests can also make the next call of a method fail with a 429. After any 429 the chat stays
//! closed for the `retry_after` given: a message sent there sooner is refused (an early retry)
//! and gets another 429.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Json, Response};
use serde_json::{Value, json};

use crate::fakes::{Body, CallLog, Refusals, listen, read_body, spec_file};

/// A call the fake accepted: method (lowercase), parameters, uploaded files by parameter name,
/// and when it arrived.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub params: Value,
    pub files: HashMap<String, Arc<Vec<u8>>>,
    pub at: Instant,
}

pub struct Fake {
    pub calls: CallLog<Call>,
    pub updates: Mutex<VecDeque<Value>>,
    /// Why calls were refused (400s, 403s).
    pub refused: Refusals,
    /// 429s handed out, by method.
    pub limited: Mutex<Vec<String>>,
    /// The next call of each method listed here gets a 429 with this retry_after.
    pub fail_next: Mutex<HashMap<String, u64>>,
    /// After a 429, until when each chat (0: calls without a chat) stays closed: a message sent
    /// there earlier is refused as an early retry and gets another 429, so a bot that ignores
    /// `retry_after` (or waits a fixed second) shows.
    closed_until: Mutex<HashMap<i64, Instant>>,
    next_message: Mutex<i64>,
    /// Wakes a waiting getUpdates when an update is pushed.
    arrived: tokio::sync::Notify,
    /// When each update was handed out, by update id (for latency figures).
    pub handed_out: Mutex<HashMap<i64, Instant>>,
    /// Times of accepted messages and edits, per chat.
    sent: Mutex<HashMap<i64, Vec<Instant>>>,
    /// Times of accepted messages and edits, all chats.
    sent_all: Mutex<VecDeque<Instant>>,
    /// Each call's delay is drawn from this range (ms); `0..1` makes the fake instant.
    pub latency_ms: Mutex<std::ops::Range<u64>>,
    /// How long after its update a callback query may be answered.
    pub answer_within: Mutex<Duration>,
    /// Callback queries answered.
    answered: Mutex<std::collections::HashSet<String>>,
    /// Messages as they are now: (chat, message id) → (text, reply_markup).
    pub messages: Mutex<HashMap<(i64, i64), (String, Value)>>,
    /// Groups upgraded to supergroups: old id → new id.
    pub migrated: Mutex<HashMap<i64, i64>>,
    /// Calls of these methods never get an answer (a process that dies while waiting).
    pub stall: Mutex<std::collections::HashSet<String>>,
    /// The calls held by `stall` so far (method names), never answered.
    pub stalled: Mutex<Vec<String>>,
    /// People who never started the bot: it may not write to their private chat (403).
    pub never_started: Mutex<std::collections::HashSet<i64>>,
    /// Members' statuses in groups, by (chat, user); anyone else is a plain "member", except
    /// user 7, the teacher of the scenarios, who created every group.
    pub statuses: Mutex<HashMap<(i64, i64), &'static str>>,
    /// Each getUpdates takes the next number; a waiting one whose number is no longer the
    /// last ends with 409: Telegram serves one poller per bot.
    polls: std::sync::atomic::AtomicU64,
    /// The getUpdates calls ended with 409 by a newer one.
    pub conflicts: std::sync::atomic::AtomicU64,
    /// Files people sent (photos), by file id, as `getFile` and the file link serve them.
    pub files: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    /// Downloads through the file link, by file path (what the bot fetched).
    pub downloads: Mutex<Vec<String>>,
}

impl Default for Fake {
    fn default() -> Self {
        Self {
            calls: CallLog::default(),
            updates: Mutex::default(),
            refused: Refusals::default(),
            limited: Mutex::default(),
            fail_next: Mutex::default(),
            closed_until: Mutex::default(),
            next_message: Mutex::default(),
            arrived: tokio::sync::Notify::default(),
            handed_out: Mutex::default(),
            sent: Mutex::default(),
            sent_all: Mutex::default(),
            latency_ms: Mutex::new(30..121),
            answer_within: Mutex::new(Duration::from_secs(10)),
            answered: Mutex::default(),
            messages: Mutex::default(),
            migrated: Mutex::default(),
            stall: Mutex::default(),
            stalled: Mutex::default(),
            never_started: Mutex::default(),
            statuses: Mutex::default(),
            polls: Default::default(),
            conflicts: Default::default(),
            files: Mutex::default(),
            downloads: Mutex::default(),
        }
    }
}

/// Methods that put a message in a chat (or change one): what Telegram's flood control counts.
const COUNTED: [&str; 5] = ["sendmessage", "sendphoto", "senddocument", "editmessagetext", "editmessagereplymarkup"];

impl Fake {
    /// Closes `chat` for `retry_after` seconds from `at` (a 429 was just given).
    fn close(&self, chat: i64, at: Instant, retry_after: u64) {
        self.closed_until.lock().unwrap().insert(chat, at + Duration::from_secs(retry_after));
    }

    /// How long `chat` still stays closed at `at`, if it does.
    fn still_closed(&self, chat: i64, at: Instant) -> Option<Duration> {
        let until = *self.closed_until.lock().unwrap().get(&chat)?;
        (at < until).then(|| until - at)
    }

    /// The text a message shows now.
    pub fn text_of(&self, chat: i64, message_id: i64) -> Option<String> {
        self.messages.lock().unwrap().get(&(chat, message_id)).map(|(t, _)| t.clone())
    }

    pub fn calls_of(&self, method: &str) -> Vec<Call> {
        self.calls.matching(|c| c.method == method)
    }

    pub fn count_of(&self, method: &str) -> usize {
        self.calls.count(|c| c.method == method)
    }

    pub fn push(&self, update: Value) {
        self.updates.lock().unwrap().push_back(update);
        self.arrived.notify_waiters();
    }

    pub fn assert_nothing_refused(&self) {
        self.refused.assert_none();
    }

    /// Waits (at most [`crate::PATIENCE`]) until `n` calls of `method` arrived; returns them.
    pub async fn wait_for_n(&self, method: &str, n: usize) -> Vec<Call> {
        self.wait_for_n_within(method, n, crate::PATIENCE).await
    }

    /// Like `wait_for_n`, for benchmarks: up to two minutes.
    pub async fn wait_for_n_patient(&self, method: &str, n: usize) -> Vec<Call> {
        self.wait_for_n_within(method, n, Duration::from_secs(120)).await
    }

    async fn wait_for_n_within(&self, method: &str, n: usize, patience: Duration) -> Vec<Call> {
        let context = || {
            format!(
                "the fake saw {:?}, refused {:?}, limited {:?}",
                self.calls.all().iter().map(|c| c.method.clone()).collect::<Vec<_>>(),
                self.refused,
                self.limited.lock().unwrap()
            )
        };
        self.calls.wait(|c| c.method == method, n, patience, method, context).await
    }

    pub async fn wait_for(&self, method: &str) -> Call {
        self.wait_for_n(method, 1).await.remove(0)
    }

    /// Webhook mode: from now on, pushed updates are POSTed to `targets` in turn (several
    /// processes behind one address), with the secret header, as Telegram does; an update
    /// refused or not answered is posted again (to the next target) until one takes it.
    pub fn deliver_to(self: &Arc<Self>, targets: Vec<String>, secret: Option<String>) {
        let fake = self.clone();
        tokio::spawn(async move {
            let http = reqwest::Client::new();
            let mut turn = 0usize;
            loop {
                let arrived = fake.arrived.notified();
                let ready: Vec<Value> = fake.updates.lock().unwrap().drain(..).collect();
                if ready.is_empty() {
                    let _ = tokio::time::timeout(Duration::from_millis(100), arrived).await;
                    continue;
                }
                for update in ready {
                    let (http, fake, targets, secret) = (http.clone(), fake.clone(), targets.clone(), secret.clone());
                    let first = turn;
                    turn += 1;
                    tokio::spawn(async move {
                        let id = update["update_id"].as_i64().unwrap_or(0);
                        fake.handed_out.lock().unwrap().entry(id).or_insert_with(Instant::now);
                        for attempt in 0.. {
                            let url = &targets[(first + attempt) % targets.len()];
                            let mut req = http.post(url).json(&update).timeout(Duration::from_secs(10));
                            if let Some(s) = &secret {
                                req = req.header("X-Telegram-Bot-Api-Secret-Token", s);
                            }
                            if req.send().await.is_ok_and(|r| r.status().is_success()) {
                                return;
                            }
                            tokio::time::sleep(Duration::from_millis(200)).await;
                        }
                    });
                }
            }
        });
    }
}

/// When the messages and edits of `chat` arrived (the requests carry the chat id as a number,
/// or as text in a multipart upload).
pub fn sent_in(fake: &Fake, chat: i64) -> Vec<Instant> {
    fake.calls
        .matching(|c| {
            COUNTED.contains(&c.method.as_str())
                && c.params["chat_id"].as_i64().or_else(|| c.params["chat_id"].as_str()?.parse().ok()) == Some(chat)
        })
        .into_iter()
        .map(|c| c.at)
        .collect()
}

/// Whether `at` came before the `n`-th message sent in `chat` (1-based), or that message was
/// not sent yet: how a test shows that something did not wait behind a busy chat's queue
/// without a timing threshold (the chat's pacing spaces its messages out, whatever the load).
pub fn before_nth_sent(fake: &Fake, chat: i64, n: usize, at: Instant) -> bool {
    sent_in(fake, chat).get(n - 1).is_none_or(|t| at < *t)
}

/// The count a message shows (« 10 engagements »).
pub fn count_shown(text: &str) -> Option<u64> {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .find_map(|w| w[1].starts_with("engagement").then(|| w[0].replace('\u{a0}', "").parse().ok()).flatten())
}

/// Waits until message `id` of `chat` shows `n`.
pub async fn wait_shown(fake: &Fake, chat: i64, id: i64, n: u64, patience: Duration) {
    let deadline = Instant::now() + patience;
    loop {
        let text = fake.text_of(chat, id).unwrap_or_default();
        if count_shown(&text) == Some(n) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "message {id} of {chat} never showed {n}: {text:?}; refused {:?}",
            fake.refused
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Opens a class in `group`, then `cards` pupils send cards there and `clicks` click « Je
/// m'engage » right after; returns the ids of the click updates and the class message.
pub async fn busy_class(fake: &Fake, group: i64, first_update: i64, cards: i64, clicks: i64) -> (Vec<i64>, i64) {
    fake.push(text_update(first_update, group, 7, "/classe « 5e B »"));
    let class = loop {
        let found = fake.calls_of("sendmessage").into_iter().find(|c| c.params["chat_id"] == group);
        if let Some(c) = found {
            break c;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let markup = json_param(&class.params["reply_markup"]);
    let join = markup["inline_keyboard"][0][0]["callback_data"].as_str().unwrap().to_owned();
    let message_id = fake
        .messages
        .lock()
        .unwrap()
        .iter()
        .find(|((chat, _), (text, _))| *chat == group && count_shown(text) == Some(0))
        .map(|((_, id), _)| *id)
        .expect("the class message");
    for i in 0..cards {
        fake.push(text_update(first_update + 1 + i, group, 3000 + first_update + i, &format!("/carte Léa{i} oser")));
    }
    let mut ids = Vec::new();
    for i in 0..clicks {
        let id = first_update + 100 + i;
        fake.push(click_update(id, group, message_id, 5000 + first_update + i, &join));
        ids.push(id);
    }
    (ids, message_id)
}

struct Spec {
    methods: HashMap<String, Vec<Value>>,
    types: serde_json::Map<String, Value>,
}

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let v = spec_file("telegram/api.json");
        let methods = v["methods"]
            .as_object()
            .unwrap()
            .values()
            .map(|m| (m["name"].as_str().unwrap().to_lowercase(), m["fields"].as_array().cloned().unwrap_or_default()))
            .collect();
        Spec { methods, types: v["types"].as_object().unwrap().clone() }
    })
}

/// Whether `v` is a value of the described type (`Integer`, `Array of BotCommand`, a type name).
/// Multipart parameters arrive as text: JSON inside them is read first.
fn has_type(v: &Value, ty: &str, depth: usize) -> Result<(), String> {
    if depth > 12 {
        return Ok(());
    }
    if let Value::String(s) = v
        && ty != "String"
        && ty != "InputFile"
        && let Ok(inner) = serde_json::from_str::<Value>(s)
        && !inner.is_string()
    {
        return has_type(&inner, ty, depth + 1);
    }
    let ok = match ty {
        "Integer" => v.is_i64() || v.is_u64(),
        "Float" => v.is_number(),
        "String" => v.is_string(),
        "Boolean" => v.is_boolean(),
        "True" => v == &Value::Bool(true),
        "InputFile" => v.is_string(),
        _ => {
            if let Some(item) = ty.strip_prefix("Array of ") {
                let Some(items) = v.as_array() else { return Err(format!("expected {ty}, got {v}")) };
                for i in items {
                    has_type(i, item, depth + 1)?;
                }
                return Ok(());
            }
            let Some(def) = spec().types.get(ty) else { return Err(format!("unknown type {ty}")) };
            if let Some(subtypes) = def.get("subtypes").and_then(Value::as_array) {
                let errors: Vec<String> =
                    subtypes.iter().filter_map(|s| has_type(v, s.as_str().unwrap(), depth + 1).err()).collect();
                return if errors.len() < subtypes.len() {
                    Ok(())
                } else {
                    Err(format!("{v} is no {ty}: {}", errors.join("; ")))
                };
            }
            let Some(obj) = v.as_object() else { return Err(format!("expected {ty} object, got {v}")) };
            let fields = def["fields"].as_array().cloned().unwrap_or_default();
            return check_fields(ty, obj, &fields, depth);
        }
    };
    if ok { Ok(()) } else { Err(format!("expected {ty}, got {v}")) }
}

fn check_fields(
    what: &str,
    obj: &serde_json::Map<String, Value>,
    fields: &[Value],
    depth: usize,
) -> Result<(), String> {
    for (k, value) in obj {
        let Some(field) = fields.iter().find(|f| f["name"] == k.as_str()) else {
            return Err(format!("{what}: unknown field {k}"));
        };
        let types: Vec<&str> = field["types"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
        let results: Vec<Result<(), String>> = types.iter().map(|t| has_type(value, t, depth + 1)).collect();
        if !results.iter().any(Result::is_ok) {
            let why: Vec<String> = results.into_iter().filter_map(Result::err).collect();
            return Err(format!("{what}.{k}: {}", why.join(" / ")));
        }
    }
    for f in fields.iter().filter(|f| f["required"] == true) {
        if !obj.contains_key(f["name"].as_str().unwrap()) {
            return Err(format!("{what}: missing {}", f["name"]));
        }
    }
    Ok(())
}

/// What the real API would refuse, or None.
fn check(method: &str, params: &Value) -> Option<String> {
    let Some(fields) = spec().methods.get(method) else { return Some(format!("unknown method {method}")) };
    let obj = params.as_object()?;
    if let Err(why) = check_fields(method, obj, fields, 0) {
        return Some(why);
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
    if method == "setmycommands" {
        for c in obj["commands"].as_array().into_iter().flatten() {
            let name = c["command"].as_str().unwrap_or_default();
            let desc = c["description"].as_str().unwrap_or_default().chars().count();
            if name.is_empty()
                || name.len() > 32
                || !name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                || !(3..=256).contains(&desc)
            {
                return Some(format!("setMyCommands: bad command {c}"));
            }
        }
    }
    None
}

fn ok(result: Value) -> Response {
    Json(json!({"ok": true, "result": result})).into_response()
}

fn too_many(retry_after: u64) -> Response {
    (
        axum::http::StatusCode::TOO_MANY_REQUESTS,
        Json(json!({"ok": false, "error_code": 429, "description": format!("Too Many Requests: retry after {retry_after}"),
            "parameters": {"retry_after": retry_after}})),
    )
        .into_response()
}

fn message(fake: &Fake, chat: i64, extra: Value) -> Value {
    let mut n = fake.next_message.lock().unwrap();
    *n += 1;
    let kind = if chat < 0 {
        json!({"id": chat, "type": "supergroup", "title": "Groupe"})
    } else {
        json!({"id": chat, "type": "private", "first_name": "Léa"})
    };
    let mut m = json!({"message_id": *n, "date": 1_771_500_000, "chat": kind});
    if let (Some(m), Some(extra)) = (m.as_object_mut(), extra.as_object()) {
        m.extend(extra.clone());
    }
    m
}

/// Keeps a sent message's state (for « message is not modified »).
fn remembered(fake: &Fake, m: Value, text: String, markup: Value) -> Value {
    let key = (m["chat"]["id"].as_i64().unwrap_or(0), m["message_id"].as_i64().unwrap_or(0));
    fake.messages.lock().unwrap().insert(key, (text, markup));
    m
}

/// Flood control: the 429 Telegram would answer, or None (and the message is counted).
fn flood(fake: &Fake, method: &str, chat: i64) -> Option<u64> {
    if !COUNTED.contains(&method) {
        return None;
    }
    let now = Instant::now();
    let mut sent = fake.sent.lock().unwrap();
    let times = sent.entry(chat).or_default();
    if times.last().is_some_and(|t| now.duration_since(*t) < Duration::from_secs(1)) {
        return Some(1);
    }
    let last_minute = times.iter().filter(|t| now.duration_since(**t) < Duration::from_secs(60)).count();
    if chat < 0 && last_minute >= 20 {
        return Some(3);
    }
    let mut all = fake.sent_all.lock().unwrap();
    while all.front().is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1)) {
        all.pop_front();
    }
    if all.len() >= 30 {
        return Some(1);
    }
    all.push_back(now);
    times.push(now);
    None
}

fn bad_request(description: &str, parameters: Option<Value>) -> Response {
    let mut body = json!({"ok": false, "error_code": 400, "description": format!("Bad Request: {description}")});
    if let Some(p) = parameters {
        body["parameters"] = p;
    }
    (axum::http::StatusCode::BAD_REQUEST, Json(body)).into_response()
}

async fn api(State(fake): State<Arc<Fake>>, Path((_bot, method)): Path<(String, String)>, req: Request) -> Response {
    // A call arrives when its request starts, not once its body (a photo, say) is read: that is
    // the moment the bot's pacer chose, and what flood control and the tests' gaps measure.
    let arrived = Instant::now();
    let method = method.to_lowercase();
    let mut params = json!({});
    let mut files = HashMap::new();
    match read_body(req).await {
        Body::Empty => {}
        Body::Json(p) => params = p,
        Body::NotJson(_) => {
            fake.refused.push(format!("{method}: a body that is not JSON"));
            return bad_request("can't parse JSON object", None);
        }
        Body::Multipart(parts) => {
            let mut attachments: HashMap<String, Vec<u8>> = HashMap::new();
            for part in parts {
                if part.file_name.is_some() {
                    attachments.insert(part.name, part.bytes);
                } else {
                    params[part.name] = Value::String(String::from_utf8_lossy(&part.bytes).into_owned());
                }
            }
            // `photo: attach://<id>` names the part that holds the bytes.
            for (k, v) in params.as_object().unwrap().clone() {
                if let Some(id) = v.as_str().and_then(|s| s.strip_prefix("attach://")) {
                    files.insert(k, Arc::new(attachments.remove(id).unwrap_or_default()));
                }
            }
        }
    }
    if let Some(why) = check(&method, &params) {
        fake.refused.push(why.clone());
        return (
            axum::http::StatusCode::BAD_REQUEST,
            Json(json!({"ok": false, "error_code": 400, "description": format!("Bad Request: {why}")})),
        )
            .into_response();
    }
    if fake.stall.lock().unwrap().contains(&method) {
        fake.stalled.lock().unwrap().push(method.clone());
        std::future::pending::<()>().await;
    }
    let chat = params.get("chat_id").and_then(|c| c.as_i64().or_else(|| c.as_str().and_then(|s| s.parse().ok())));
    let counted = COUNTED.contains(&method.as_str());
    if let Some(early) = fake.still_closed(chat.unwrap_or(0), arrived).filter(|_| counted) {
        fake.refused.push(format!("{method} in {}: retried {early:?} before the retry_after given", chat.unwrap_or(0)));
        fake.limited.lock().unwrap().push(format!("{method} retried early"));
        return too_many(early.as_secs() + 1);
    }
    if let Some(after) = fake.fail_next.lock().unwrap().remove(&method) {
        fake.limited.lock().unwrap().push(method.clone());
        if counted {
            fake.close(chat.unwrap_or(0), arrived, after);
        }
        return too_many(after);
    }
    if let Some(new) = chat.and_then(|c| fake.migrated.lock().unwrap().get(&c).copied()) {
        fake.refused.push(format!("{method} to the upgraded group {}", chat.unwrap_or(0)));
        return bad_request("group chat was upgraded to a supergroup chat", Some(json!({"migrate_to_chat_id": new})));
    }
    if let Some(c) = chat.filter(|c| *c > 0 && fake.never_started.lock().unwrap().contains(c)) {
        fake.refused.push(format!("{method} to {c}, who never started the bot"));
        let body = json!({"ok": false, "error_code": 403, "description": "Forbidden: bot can't initiate conversation with a user"});
        return (axum::http::StatusCode::FORBIDDEN, Json(body)).into_response();
    }
    if method == "answercallbackquery" {
        let id = params["callback_query_id"].as_str().unwrap_or_default().to_owned();
        let update: i64 = id.trim_start_matches("cb").parse().unwrap_or(-1);
        let handed = fake.handed_out.lock().unwrap().get(&update).copied();
        let late = handed.is_some_and(|h| arrived.duration_since(h) > *fake.answer_within.lock().unwrap());
        if late || !fake.answered.lock().unwrap().insert(id.clone()) {
            fake.refused.push(format!("answerCallbackQuery {id}: {}", if late { "too late" } else { "twice" }));
            return bad_request("query is too old and response timeout expired or query ID is invalid", None);
        }
    }

    // An edit Telegram refuses is not a message: it is refused before flood control counts it.
    if method == "editmessagetext" {
        let key = (chat.unwrap_or(0), params["message_id"].as_i64().unwrap_or(0));
        let text = params["text"].as_str().unwrap_or_default().to_owned();
        let markup = json_param(params.get("reply_markup").unwrap_or(&Value::Null));
        let messages = fake.messages.lock().unwrap();
        match messages.get(&key) {
            None => {
                fake.refused.push(format!("edit of unknown message {key:?}"));
                return bad_request("message to edit not found", None);
            }
            Some((t, m)) if *t == text && *m == markup => {
                fake.refused.push(format!("edit of {key:?} that changes nothing"));
                return bad_request(
                    "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
                    None,
                );
            }
            Some(_) => {}
        }
        drop(messages);
    }
    if let Some(chat) = chat
        && let Some(after) = flood(&fake, &method, chat)
    {
        fake.limited.lock().unwrap().push(format!("{method} in {chat}"));
        fake.close(chat, arrived, after);
        return too_many(after);
    }
    // Flood control counts a call when it arrives; then Telegram takes its time, so calls made
    // together are applied in any order.
    let latency = fake.latency_ms.lock().unwrap().clone();
    if method != "getupdates" && latency.end > latency.start + 1 {
        tokio::time::sleep(Duration::from_millis(rand::random_range(latency))).await;
    }

    fake.calls.push(Call { method: method.clone(), params: params.clone(), files, at: arrived });
    let chat = chat.unwrap_or(0);
    let markup = json_param(params.get("reply_markup").unwrap_or(&Value::Null));
    let shown = params["text"].as_str().or_else(|| params["caption"].as_str()).unwrap_or_default().to_owned();
    if method == "editmessagetext" {
        let key = (chat, params["message_id"].as_i64().unwrap_or(0));
        fake.messages.lock().unwrap().insert(key, (shown.clone(), markup.clone()));
    }
    match method.as_str() {
        "getme" => {
            ok(json!({"id": 42, "is_bot": true, "first_name": "Ruban", "username": "RubanBot", "can_join_groups": true,
            "can_read_all_group_messages": false, "supports_inline_queries": true, "has_main_web_app": false}))
        }
        "getwebhookinfo" => ok(json!({"url": "", "has_custom_certificate": false, "pending_update_count": 0})),
        "getupdates" => {
            let offset = params["offset"].as_i64().unwrap_or(0);
            // One poller per bot: this call ends any that still waits, and is ended by the next.
            let me = fake.polls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            fake.arrived.notify_waiters();
            // Long poll: hold up to 500 ms, answer as soon as an update arrives.
            let deadline = tokio::time::Instant::now() + Duration::from_millis(500);
            loop {
                let arrived = fake.arrived.notified();
                if fake.polls.load(std::sync::atomic::Ordering::SeqCst) != me {
                    fake.conflicts.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    // Not a refusal of this process's request: a restarted process's new poll
                    // also ends the dead one's, whose connection nobody reads any more.
                    let body = json!({"ok": false, "error_code": 409,
                        "description": "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"});
                    return (axum::http::StatusCode::CONFLICT, Json(body)).into_response();
                }
                let ready: Vec<Value> = {
                    let mut q = fake.updates.lock().unwrap();
                    // Confirmed updates are gone; the others come again until confirmed.
                    q.retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
                    q.iter().take(100).cloned().collect()
                };
                if !ready.is_empty() {
                    let now = Instant::now();
                    let mut handed = fake.handed_out.lock().unwrap();
                    for u in &ready {
                        handed.entry(u["update_id"].as_i64().unwrap_or(0)).or_insert(now);
                    }
                    return ok(Value::Array(ready));
                }
                if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                    return ok(json!([]));
                }
            }
        }
        "sendphoto" => ok(remembered(
            &fake,
            message(
                &fake,
                chat,
                json!({"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 1080, "height": 1080}]}),
            ),
            shown,
            markup,
        )),
        "senddocument" => ok(remembered(
            &fake,
            message(&fake, chat, json!({"document": {"file_id": "d1", "file_unique_id": "u2"}})),
            shown,
            markup,
        )),
        "sendmessage" => {
            ok(remembered(&fake, message(&fake, chat, json!({"text": params["text"].clone()})), shown, markup))
        }
        "editmessagetext" => ok(json!({"message_id": params["message_id"].clone(), "date": 1_771_500_000,
            "chat": {"id": chat, "type": if chat < 0 { "supergroup" } else { "private" }}, "text": params["text"].clone()})),
        "answercallbackquery" | "deletewebhook" | "setwebhook" | "setmycommands" | "answerinlinequery" => {
            ok(json!(true))
        }
        "getchatmember" => {
            let user = params["user_id"].as_i64().unwrap_or(0);
            let status = fake.statuses.lock().unwrap().get(&(chat, user)).copied();
            let status = status.unwrap_or(if user == 7 { "creator" } else { "member" });
            let user = json!({"id": user, "is_bot": false, "first_name": "Élève"});
            ok(match status {
                "creator" => json!({"status": "creator", "is_anonymous": false, "user": user}),
                "administrator" => json!({"status": "administrator", "user": user, "can_be_edited": false,
                    "is_anonymous": false, "can_manage_chat": true, "can_delete_messages": true,
                    "can_manage_video_chats": false, "can_restrict_members": true, "can_promote_members": false,
                    "can_change_info": true, "can_invite_users": true, "can_post_stories": false,
                    "can_edit_stories": false, "can_delete_stories": false}),
                "left" => json!({"status": "left", "user": user}),
                "kicked" => json!({"status": "kicked", "user": user, "until_date": 0}),
                _ => json!({"status": "member", "user": user}),
            })
        }
        "getfile" => {
            let id = params["file_id"].as_str().unwrap_or_default().to_owned();
            let Some(size) = fake.files.lock().unwrap().get(&id).map(|f| f.len()) else {
                fake.refused.push(format!("getFile of unknown file {id:?}"));
                return bad_request("invalid file_id", None);
            };
            // Bots download 20 MB at most: a larger file has no link.
            if size > 20 * 1024 * 1024 {
                fake.refused.push(format!("getFile of a {size}-byte file"));
                return bad_request("file is too big", None);
            }
            ok(json!({"file_id": id, "file_unique_id": format!("u-{id}"), "file_size": size,
                "file_path": format!("photos/{id}.jpg")}))
        }
        other => ok(json!({"unhandled": other})),
    }
}

/// `GET /file/bot<token>/<file_path>`: a file's bytes, as `getFile` named it.
async fn file(State(fake): State<Arc<Fake>>, Path((_bot, path)): Path<(String, String)>) -> Response {
    fake.downloads.lock().unwrap().push(path.clone());
    let id = path.strip_prefix("photos/").and_then(|p| p.strip_suffix(".jpg")).unwrap_or_default();
    match fake.files.lock().unwrap().get(id).cloned() {
        Some(bytes) => (axum::http::StatusCode::OK, bytes.as_ref().clone()).into_response(),
        None => {
            fake.refused.push(format!("download of unknown file {path:?}"));
            axum::http::StatusCode::NOT_FOUND.into_response()
        }
    }
}

/// Starts the fake; returns it and its base URL.
pub async fn start() -> (Arc<Fake>, String) {
    let fake = Arc::new(Fake::default());
    let app = Router::new()
        .route("/{bot}/{method}", axum::routing::post(api))
        .route("/file/{bot}/{*path}", axum::routing::get(file))
        .with_state(fake.clone());
    let base = listen(app).await;
    (fake, base)
}

/// A text message update from a person in a private chat (or a group when `chat` < 0).
pub fn text_update(id: i64, chat: i64, user: i64, text: &str) -> Value {
    let chat_json = if chat < 0 {
        json!({"id": chat, "type": "supergroup", "title": "5e B"})
    } else {
        json!({"id": chat, "type": "private", "first_name": "Léa"})
    };
    let command_len = text.split(' ').next().unwrap().encode_utf16().count();
    let mut m = json!({"update_id": id, "message": {"message_id": 1000 + id, "date": 1_771_500_000,
        "chat": chat_json,
        "from": {"id": user, "is_bot": false, "first_name": "Léa", "language_code": "fr"},
        "text": text}});
    if text.starts_with('/') {
        m["message"]["entities"] = json!([{"type": "bot_command", "offset": 0, "length": command_len}]);
    }
    m
}

/// A photo `file_id` (`width` x `height`, as Telegram's largest size) sent in `chat` with
/// `caption` (a command's entity when it starts with `/`); `fake` holds its bytes.
pub fn photo_update(
    fake: &Fake,
    id: i64,
    chat: i64,
    user: i64,
    caption: &str,
    photo: Vec<u8>,
    size: (u32, u32),
) -> Value {
    let file_id = format!("photo{id}");
    fake.files.lock().unwrap().insert(file_id.clone(), Arc::new(photo.clone()));
    let mut m = text_update(id, chat, user, caption);
    let message = m["message"].as_object_mut().unwrap();
    message.remove("text");
    if let Some(entities) = message.remove("entities") {
        message.insert("caption_entities".into(), entities);
    }
    if !caption.is_empty() {
        message.insert("caption".into(), json!(caption));
    }
    // Telegram sends every size it made, the largest last.
    message.insert(
        "photo".into(),
        json!([
            {"file_id": format!("{file_id}-s"), "file_unique_id": "us", "width": 90, "height": 90 * size.1 / size.0.max(1), "file_size": 1200},
            {"file_id": file_id, "file_unique_id": "ul", "width": size.0, "height": size.1, "file_size": photo.len()}
        ]),
    );
    m
}

/// A click on a button of message `message_id` in `chat`.
pub fn click_update(id: i64, chat: i64, message_id: i64, user: i64, data: &str) -> Value {
    json!({"update_id": id, "callback_query": {
        "id": format!("cb{id}"), "chat_instance": "ci", "data": data,
        "message": {"message_id": message_id, "date": 1_771_500_000,
            "chat": {"id": chat, "type": "supergroup", "title": "5e B"}, "text": "…"},
        "from": {"id": user, "is_bot": false, "first_name": format!("Élève {user}"), "language_code": "fr"}}})
}

/// The JSON of a parameter that may have arrived as multipart text.
pub fn json_param(v: &Value) -> Value {
    match v {
        Value::String(s) => serde_json::from_str(s).unwrap_or(Value::Null),
        other => other.clone(),
    }
}
