//! A fake Discord on 127.0.0.1 for the real serenity client: the REST calls serenity makes
//! (through its proxy setting) and a gateway (HELLO, IDENTIFY, heartbeats, READY, RESUME with
//! replay, dispatches). It records every REST call with the time it arrived, decodes
//! multipart attachments, and refuses any request whose path, method or JSON body does not
//! match Discord's OpenAPI description (`spec/discord/openapi.json`): unknown paths and methods,
//! bodies of the wrong shape (types, enums, lengths, required properties, unions).
//! Like the real API it takes snowflakes as numbers or strings and integers as numeric strings.
//! Like Discord it is not kind:
//! - an IDENTIFY for a shard that cannot exist (`id >= total`) is closed with 4010, and a test
//!   can make the next IDENTIFY close with any other code (4004, 4011–4014);
//! - sessions start at the rate `/gateway/bot` advertises: one IDENTIFY per five seconds per
//!   bucket (`shard_id % max_concurrency`, "max_concurrency: the number of identify requests
//!   allowed per 5 seconds"); one too soon is answered, as Discord's gateway documentation
//!   says, with op 9 Invalid Session (not resumable) instead of READY, and counts as a refusal;
//! - REST calls take 30–120 ms each, so concurrent calls are applied in any order;
//! - an interaction gets one callback (a second: 40060), within three seconds of its dispatch
//!   (later: 404, 10062 Unknown interaction); `@original` edits and follow-ups need the callback
//!   first; interaction tokens expire (15 minutes, shorter in a test);
//! - it keeps every message's current state, so a test reads what a user would see at the end.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Json, Response};
use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};

use crate::fakes::{Body, CallLog, Refusals, listen, read_body, spec_file};

pub const APP_ID: u64 = 910_000_000_000_000_001;

#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    /// The path after `/api/v10`, query removed.
    pub path: String,
    pub body: Value,
    /// Attachments by part name (`files[0]`): (file name, bytes).
    pub files: Vec<(String, String, Vec<u8>)>,
    pub at: Instant,
}

pub struct Fake {
    pub calls: CallLog<Call>,
    pub refused: Refusals,
    /// 429s to hand out (see [`Fake::rate_limit`]): the path part and the `retry_after`.
    rate_limits: Mutex<Vec<(String, f64, bool)>>,
    /// Paths closed by a 429 until the instant given (global: every path).
    blocked: Mutex<Vec<(String, Instant, bool)>>,
    /// The 429s sent: path, retry_after, when.
    pub limited: Mutex<Vec<(String, f64, Instant)>>,
    /// Requests that came before the `retry_after` they were given had passed (each got
    /// another 429, as from Discord).
    pub early: Mutex<Vec<String>>,
    answered: Mutex<HashSet<String>>,
    /// Each shard's queue and log (see [`ShardState`]).
    shards: Mutex<HashMap<u32, ShardState>>,
    /// The shard count the bot identified with.
    total: Mutex<u32>,
    /// Session id → its shard (for RESUME).
    session_shards: Mutex<HashMap<String, u32>>,
    /// Interaction id → the shard whose connection carried it.
    delivered: Mutex<HashMap<String, u32>>,
    /// Asks the open connection to send op 7 RECONNECT.
    reconnect_requested: std::sync::atomic::AtomicBool,
    /// The shards op 7 was sent to.
    pub reconnects_sent: Mutex<Vec<u32>>,
    /// Asks the open connection to send op 1 HEARTBEAT.
    heartbeat_requested: std::sync::atomic::AtomicBool,
    /// When the last op 1 was sent to the bot.
    pub heartbeat_asked: Mutex<Option<Instant>>,
    /// Heartbeats the bot sent: when, and the sequence number it carried.
    pub heartbeats: Mutex<Vec<(Instant, Value)>>,
    wake: Notify,
    /// Asks the open connection to drop (without a close frame), as a network failure would.
    drop_now: Notify,
    drop_requested: std::sync::atomic::AtomicBool,
    /// The next dispatches are numbered and logged but never reach the bot, then the
    /// connection drops: RESUME must replay them.
    lose_then_drop: std::sync::atomic::AtomicBool,
    /// Dispatches replayed on RESUME (their sequence numbers).
    pub replayed: Mutex<Vec<u64>>,
    /// Asks the open connection to send INVALID_SESSION (op 9, not resumable).
    invalidate_requested: std::sync::atomic::AtomicBool,
    sessions: Mutex<u32>,
    /// Every IDENTIFY the bot sent (its `d`), answered with READY or not.
    pub identifies: Mutex<Vec<Value>>,
    /// What `/gateway/bot` advertises and the gateway enforces: IDENTIFYs allowed together,
    /// one per bucket (`shard_id % max_concurrency`).
    pub max_concurrency: Mutex<u32>,
    /// How long a bucket stays closed after a session started in it (Discord: five seconds).
    pub identify_interval: Mutex<Duration>,
    /// When a session last started in each bucket.
    started_in_bucket: Mutex<HashMap<u64, Instant>>,
    pub resumes: Mutex<Vec<Value>>,
    next_id: Mutex<u64>,
    pub base: OnceLock<String>,
    /// The next IDENTIFY is closed with this code instead of READY.
    pub close_next_identify: Mutex<Option<u16>>,
    /// Gateway closes sent: (code, the shard the IDENTIFY named).
    pub closes: Mutex<Vec<(u16, Value)>>,
    /// Each REST call's delay is drawn from this range (ms); `0..1` makes the fake instant.
    pub latency_ms: Mutex<std::ops::Range<u64>>,
    /// How long an interaction may wait for its first callback.
    pub deadline: Mutex<Duration>,
    /// How long an interaction token lives.
    pub token_life: Mutex<Duration>,
    /// Interactions dispatched, by id.
    interactions: Mutex<HashMap<String, Dispatched>>,
    /// Token → (interaction id, issued at).
    tokens: Mutex<HashMap<String, (String, Instant)>>,
    /// Token → the message its `@original` is (made by the callback).
    originals: Mutex<HashMap<String, String>>,
    /// Every message as a user sees it now, by id.
    pub messages: Mutex<HashMap<String, Value>>,
    /// Files people attached (a `/vert` photo), by CDN path, as the attachment's URL serves them.
    pub attachments: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    /// CDN downloads, by path.
    pub downloads: Mutex<Vec<String>>,
}

/// An interaction dispatched: its token, when it was first sent (or queued), the message a
/// click was on, whether it was sent yet.
type Dispatched = (String, Instant, Option<String>, bool);

impl Default for Fake {
    fn default() -> Self {
        Self {
            calls: CallLog::default(),
            refused: Refusals::default(),
            rate_limits: Mutex::default(),
            blocked: Mutex::default(),
            limited: Mutex::default(),
            early: Mutex::default(),
            answered: Mutex::default(),
            shards: Mutex::default(),
            total: Mutex::new(1),
            session_shards: Mutex::default(),
            delivered: Mutex::default(),
            reconnect_requested: std::sync::atomic::AtomicBool::default(),
            reconnects_sent: Mutex::default(),
            heartbeat_requested: std::sync::atomic::AtomicBool::default(),
            heartbeat_asked: Mutex::default(),
            heartbeats: Mutex::default(),
            wake: Notify::default(),
            drop_now: Notify::default(),
            drop_requested: std::sync::atomic::AtomicBool::default(),
            lose_then_drop: std::sync::atomic::AtomicBool::default(),
            replayed: Mutex::default(),
            invalidate_requested: std::sync::atomic::AtomicBool::default(),
            sessions: Mutex::default(),
            identifies: Mutex::default(),
            max_concurrency: Mutex::new(1),
            identify_interval: Mutex::new(Duration::from_secs(5)),
            started_in_bucket: Mutex::default(),
            resumes: Mutex::default(),
            next_id: Mutex::default(),
            base: OnceLock::default(),
            close_next_identify: Mutex::default(),
            closes: Mutex::default(),
            latency_ms: Mutex::new(30..121),
            deadline: Mutex::new(Duration::from_secs(3)),
            token_life: Mutex::new(Duration::from_secs(15 * 60)),
            interactions: Mutex::default(),
            tokens: Mutex::default(),
            originals: Mutex::default(),
            messages: Mutex::default(),
            attachments: Mutex::default(),
            downloads: Mutex::default(),
        }
    }
}

impl Fake {
    pub fn calls_matching(&self, method: &str, path_part: &str) -> Vec<Call> {
        self.calls.matching(|c| c.method == method && c.path.contains(path_part))
    }

    pub fn count_matching(&self, method: &str, path_part: &str) -> usize {
        self.calls.count(|c| c.method == method && c.path.contains(path_part))
    }

    pub async fn wait_for_n(&self, method: &str, path_part: &str, n: usize, patience: Duration) -> Vec<Call> {
        let context = || {
            format!(
                "saw {:?}; refused {:?}",
                self.calls.all().iter().map(|c| format!("{} {}", c.method, c.path)).collect::<Vec<_>>(),
                self.refused
            )
        };
        let keep = |c: &Call| c.method == method && c.path.contains(path_part);
        self.calls.wait(keep, n, patience, &format!("{method} {path_part}"), context).await
    }

    pub fn assert_nothing_refused(&self) {
        self.refused.assert_none();
    }

    /// The message a user sees now, by id.
    pub fn message(&self, id: &str) -> Option<Value> {
        self.messages.lock().unwrap().get(id).cloned()
    }

    /// The message an interaction's callback made (or, for a click, the clicked message), as
    /// it is now.
    pub fn message_of(&self, interaction: u64) -> Option<Value> {
        let token = self.interactions.lock().unwrap().get(&interaction.to_string())?.0.clone();
        let id = self.originals.lock().unwrap().get(&token)?.clone();
        self.message(&id)
    }

    /// Sends an event to the bot (now, or when it is connected again).
    pub fn dispatch(&self, event: &str, d: Value) {
        if event == "INTERACTION_CREATE" {
            let (id, token) =
                (d["id"].as_str().unwrap_or_default().to_owned(), d["token"].as_str().unwrap_or_default());
            let clicked = d["message"]["id"].as_str().map(str::to_owned);
            let now = Instant::now();
            self.interactions.lock().unwrap().insert(id.clone(), (token.to_owned(), now, clicked.clone(), false));
            self.tokens.lock().unwrap().insert(token.to_owned(), (id, now));
            if let Some(m) = clicked {
                // A click's `@original` is the message its button is on.
                self.originals.lock().unwrap().insert(token.to_owned(), m.clone());
                self.messages.lock().unwrap().entry(m).or_insert_with(|| d["message"].clone());
            }
        }
        let shard = shard_of(&d, *self.total.lock().unwrap());
        self.shards.lock().unwrap().entry(shard).or_default().to_send.push(json!({"t": event, "d": d}));
        self.wake.notify_waiters();
    }

    /// Tells the bot its session is invalid (not resumable): it must identify again. Events
    /// sent meanwhile wait for the new session.
    pub fn invalidate_session(&self) {
        self.invalidate_requested.store(true, std::sync::atomic::Ordering::SeqCst);
        self.wake.notify_waiters();
    }

    /// The next dispatches are lost on the wire, then the connection drops (a network failure
    /// mid-stream): the bot only gets them by RESUME's replay.
    pub fn lose_next_then_drop(&self) {
        self.lose_then_drop.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// The next request whose path contains `path_part` gets a 429 with this `retry_after`
    /// (seconds), as Discord sends it (the `retry-after` header rounded up, the exact value in
    /// the body, no `code`); that path stays closed until then, so a retry that comes sooner
    /// gets another 429 and is counted in `early`. A global limit closes every path (requests
    /// to other paths then get a 429 too, but only the path that was told counts as early).
    pub fn rate_limit(&self, path_part: &str, retry_after: f64, global: bool) {
        self.rate_limits.lock().unwrap().push((path_part.to_owned(), retry_after, global));
    }

    /// A 429 for this request, if its path is limited now or closed by an earlier 429.
    fn limit(&self, method: &Method, path: &str, arrived: Instant) -> Option<Response> {
        let closed = self
            .blocked
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, until, global)| (*global || p == path) && arrived < *until)
            .map(|(p, until, global)| (until.duration_since(arrived).as_secs_f64(), *global, p == path))
            .reduce(|a, b| if a.0 >= b.0 { a } else { b });
        let (retry_after, global) = match closed {
            Some((left, global, told)) => {
                if told {
                    self.early.lock().unwrap().push(format!("{method} {path}"));
                }
                (left, global)
            }
            None => {
                let mut limits = self.rate_limits.lock().unwrap();
                let i = limits.iter().position(|(part, ..)| path.contains(part.as_str()))?;
                let (_, retry_after, global) = limits.remove(i);
                let until = arrived + Duration::from_secs_f64(retry_after);
                self.blocked.lock().unwrap().push((path.to_owned(), until, global));
                (retry_after, global)
            }
        };
        self.limited.lock().unwrap().push((path.to_owned(), retry_after, arrived));
        let header = format!("{}", retry_after.ceil().max(1.0) as u64);
        Some(
            (
                StatusCode::TOO_MANY_REQUESTS,
                [
                    ("retry-after", header.as_str()),
                    ("x-ratelimit-global", if global { "true" } else { "false" }),
                    ("x-ratelimit-scope", if global { "global" } else { "user" }),
                ],
                Json(json!({"message": "You are being rate limited.", "retry_after": retry_after, "global": global})),
            )
                .into_response(),
        )
    }

    pub fn drop_connection(&self) {
        self.drop_requested.store(true, std::sync::atomic::Ordering::SeqCst);
        self.drop_now.notify_waiters();
    }

    pub fn id(&self) -> u64 {
        let mut n = self.next_id.lock().unwrap();
        *n += 1;
        1_200_000_000_000_000_000 + *n
    }
}

// ---- Spec checking -------------------------------------------------------------------------

struct Spec {
    doc: Value,
    /// (regex-free matcher pieces, template) per path.
    paths: Vec<(Vec<String>, String)>,
}

fn spec() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        let doc = spec_file("discord/openapi.json");
        let paths = doc["paths"]
            .as_object()
            .unwrap()
            .keys()
            .map(|p| (p.trim_start_matches('/').split('/').map(str::to_owned).collect(), p.clone()))
            .collect();
        Spec { doc, paths }
    })
}

/// The template a concrete path matches (`/interactions/{interaction_id}/{interaction_token}/callback`);
/// literal segments win over parameters.
fn template(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    spec()
        .paths
        .iter()
        .filter(|(pieces, _)| {
            pieces.len() == parts.len()
                && pieces.iter().zip(&parts).all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}')))
        })
        .max_by_key(|(pieces, _)| pieces.iter().filter(|t| !t.starts_with('{')).count())
        .map(|(_, t)| t.clone())
}

fn resolve(schema: &Value) -> &Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let mut v = &spec().doc;
            for piece in r.trim_start_matches("#/").split('/') {
                v = &v[piece];
            }
            resolve(v)
        }
        None => schema,
    }
}

fn is_snowflake(schema: &Value) -> bool {
    schema.get("format").and_then(Value::as_str) == Some("snowflake")
}

/// Validates `v` against a JSON Schema of the description (the subset it uses: `$ref`,
/// `oneOf`/`anyOf`/`allOf`, `enum`, types, lengths, item counts, properties, `required`,
/// `additionalProperties`). Properties a schema does not list pass, as the description allows
/// (serenity sends `nsfw` and `autocomplete: false` everywhere; Discord ignores them).
pub fn validate(v: &Value, schema: &Value, at: &str, depth: usize) -> Result<(), String> {
    if depth > 40 {
        return Ok(());
    }
    let schema = resolve(schema);
    // anyOf: at least one; oneOf: exactly one (a body two branches accept is ambiguous, and
    // Discord refuses it).
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let errors: Vec<String> = options.iter().filter_map(|o| validate(v, o, at, depth + 1).err()).collect();
            if errors.len() == options.len() {
                return Err(format!("{at}: matches none of {key}: [{}]", errors.join(" | ")));
            }
            let matched = options.len() - errors.len();
            if key == "oneOf" && matched > 1 {
                return Err(format!("{at}: {v} matches {matched} branches of oneOf, not exactly one"));
            }
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            validate(v, s, at, depth + 1)?;
        }
    }
    if let Some(c) = schema.get("const")
        && c != v
    {
        return Err(format!("{at}: {v} is not {c}"));
    }
    if let Some(e) = schema.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        return Err(format!("{at}: {v} not in {e:?}"));
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() {
        let numeric_string = v.as_str().is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
        let ok = types.iter().any(|t| match *t {
            "null" => v.is_null(),
            "string" => v.is_string() || (is_snowflake(schema) && v.is_u64()),
            "integer" => v.is_i64() || v.is_u64() || numeric_string,
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => false,
        });
        if !ok {
            return Err(format!("{at}: {v} is not {types:?}"));
        }
    }
    if let Some(s) = v.as_str() {
        let n = s.chars().count() as u64;
        if schema.get("maxLength").and_then(Value::as_u64).is_some_and(|m| n > m) {
            return Err(format!("{at}: longer than {}", schema["maxLength"]));
        }
        if schema.get("minLength").and_then(Value::as_u64).is_some_and(|m| n < m) {
            return Err(format!("{at}: shorter than {}", schema["minLength"]));
        }
    }
    if let Some(items) = v.as_array() {
        if schema.get("maxItems").and_then(Value::as_u64).is_some_and(|m| items.len() as u64 > m) {
            return Err(format!("{at}: more than {} items", schema["maxItems"]));
        }
        if let Some(item) = schema.get("items") {
            for (i, x) in items.iter().enumerate() {
                validate(x, item, &format!("{at}[{i}]"), depth + 1)?;
            }
        }
    }
    if let Some(obj) = v.as_object() {
        let props = schema.get("properties").and_then(Value::as_object);
        let extra = schema.get("additionalProperties");
        for (k, x) in obj {
            match (props.and_then(|p| p.get(k)), extra) {
                (Some(s), _) => validate(x, s, &format!("{at}.{k}"), depth + 1)?,
                (None, Some(s)) if s.is_object() => validate(x, s, &format!("{at}.{k}"), depth + 1)?,
                (None, Some(Value::Bool(false))) => return Err(format!("{at}: unknown property {k}")),
                _ => {}
            }
        }
        for r in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !obj.contains_key(r.as_str().unwrap_or_default()) {
                return Err(format!("{at}: missing {r}"));
            }
        }
    }
    Ok(())
}

/// What Discord would refuse about this request, or None.
pub fn check(method: &Method, path: &str, body: &Value) -> Option<String> {
    let Some(t) = template(path) else { return Some(format!("no such path {path}")) };
    let op = &spec().doc["paths"][&t][method.as_str().to_lowercase()];
    if op.is_null() {
        return Some(format!("{method} not allowed on {t}"));
    }
    // A null or missing body is checked like any other: where the description requires a
    // body, there must be one, and it must match.
    let request = &op["requestBody"];
    if request.is_null() {
        return None;
    }
    if body.is_null() && request["required"] == true {
        return Some(format!("{method} {t}: the body is missing (or null) where one is required"));
    }
    let content = &request["content"]["application/json"]["schema"];
    if !content.is_null()
        && let Err(why) = validate(body, content, "body", 0)
    {
        return Some(format!("{method} {t}: {why}"));
    }
    None
}

// ---- REST ----------------------------------------------------------------------------------

fn message_json(id: &str, channel: &str, data: &Value) -> Value {
    json!({
        "id": id, "channel_id": channel, "type": 0,
        "author": {"id": APP_ID.to_string(), "username": "Ruban", "discriminator": "0", "bot": true},
        "content": data["content"].as_str().unwrap_or_default(), "timestamp": "2026-02-19T14:00:00.000000+00:00",
        "tts": false, "mention_everyone": false, "mentions": [], "mention_roles": [], "attachments": [],
        "embeds": [], "pinned": false, "components": data.get("components").cloned().unwrap_or(json!([])),
    })
}

fn discord_error(status: StatusCode, code: u32, message: &str) -> Response {
    (status, Json(json!({"code": code, "message": message}))).into_response()
}

impl Fake {
    fn refuse(&self, why: String) {
        self.refused.push(why);
    }

    /// A new message from `data`; returns its id.
    fn create_message(&self, data: &Value) -> String {
        let id = self.id().to_string();
        self.messages.lock().unwrap().insert(id.clone(), message_json(&id, &CHANNEL.to_string(), data));
        id
    }

    /// Applies an edit to a message as Discord would: the fields given replace the old ones.
    fn edit_message(&self, id: &str, data: &Value) -> Option<Value> {
        let mut messages = self.messages.lock().unwrap();
        let m = messages.get_mut(id)?;
        for field in ["content", "components", "attachments", "embeds"] {
            if let Some(v) = data.get(field) {
                m[field] = v.clone();
            }
        }
        Some(m.clone())
    }

    /// The interaction a token belongs to, if the token is still alive.
    fn token_owner(&self, token: &str) -> Option<String> {
        let life = *self.token_life.lock().unwrap();
        self.tokens.lock().unwrap().get(token).filter(|(_, at)| at.elapsed() < life).map(|(id, _)| id.clone())
    }

    /// An interaction callback: at most one, within the deadline; applied to the messages.
    fn callback(&self, interaction: &str, token: &str, body: &Value, arrived: Instant) -> Result<(), Box<Response>> {
        let born = self.interactions.lock().unwrap().get(interaction).map(|(_, at, ..)| *at);
        if born.is_some_and(|b| arrived.duration_since(b) > *self.deadline.lock().unwrap()) {
            self.refuse(format!("callback to interaction {interaction} after the deadline"));
            return Err(Box::new(discord_error(StatusCode::NOT_FOUND, 10062, "Unknown interaction")));
        }
        if !self.answered.lock().unwrap().insert(interaction.to_owned()) {
            self.refuse(format!("second answer to interaction {interaction}"));
            return Err(Box::new(discord_error(
                StatusCode::BAD_REQUEST,
                40060,
                "Interaction has already been acknowledged.",
            )));
        }
        let data = &body["data"];
        match body["type"].as_u64() {
            Some(4) => {
                let id = self.create_message(data);
                self.originals.lock().unwrap().insert(token.to_owned(), id);
            }
            Some(5) => {
                let id = self.create_message(&json!({"content": ""}));
                self.originals.lock().unwrap().insert(token.to_owned(), id);
            }
            Some(7) => {
                let original = self.originals.lock().unwrap().get(token).cloned();
                if let Some(id) = original {
                    self.edit_message(&id, data);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A call on an interaction's webhook (`@original`, follow-ups): needs a live token and the
    /// callback first.
    fn webhook(&self, method: &Method, token: &str, rest: &[&str], body: &Value) -> Response {
        let Some(interaction) = self.token_owner(token) else {
            self.refuse(format!("{method} on the webhook of a dead or unknown token"));
            return discord_error(StatusCode::UNAUTHORIZED, 50027, "Invalid Webhook Token");
        };
        if !self.answered.lock().unwrap().contains(&interaction) {
            self.refuse(format!("{method} on interaction {interaction}'s webhook before its callback"));
            return discord_error(StatusCode::NOT_FOUND, 10015, "Unknown Webhook");
        }
        let original = self.originals.lock().unwrap().get(token).cloned();
        match (method.as_str(), rest) {
            ("POST", []) => {
                let id = self.create_message(body);
                Json(self.message(&id).unwrap()).into_response()
            }
            (_, ["messages", which]) => {
                let id = if *which == "@original" { original } else { Some((*which).to_owned()) };
                let Some(id) = id else { return discord_error(StatusCode::NOT_FOUND, 10008, "Unknown Message") };
                let found = if method == Method::PATCH { self.edit_message(&id, body) } else { self.message(&id) };
                match found {
                    Some(m) => Json(m).into_response(),
                    None => discord_error(StatusCode::NOT_FOUND, 10008, "Unknown Message"),
                }
            }
            _ => Json(json!({})).into_response(),
        }
    }
}

async fn rest(State(fake): State<Arc<Fake>>, req: Request) -> Response {
    let arrived = Instant::now();
    let method = req.method().clone();
    let full = req.uri().path().to_owned();
    let Some(path) = full.strip_prefix("/api/v10").map(str::to_owned) else {
        return (StatusCode::NOT_FOUND, "not under /api/v10").into_response();
    };
    let mut body = Value::Null;
    let mut files = Vec::new();
    let mut unreadable = None;
    match read_body(req).await {
        Body::Empty => {}
        Body::Json(v) => body = v,
        Body::NotJson(e) => unreadable = Some(format!("the body is not JSON: {e}")),
        Body::Multipart(parts) => {
            for part in parts {
                match part.file_name {
                    Some(f) => files.push((part.name, f, part.bytes)),
                    None if part.name == "payload_json" => match serde_json::from_slice(&part.bytes) {
                        Ok(v) => body = v,
                        Err(e) => unreadable = Some(format!("payload_json is not JSON: {e}")),
                    },
                    None => {}
                }
            }
        }
    }
    // Discord takes its time, and calls made together land in any order.
    let latency = fake.latency_ms.lock().unwrap().clone();
    if latency.end > latency.start + 1 {
        tokio::time::sleep(Duration::from_millis(rand::random_range(latency))).await;
    }
    if let Some(why) = unreadable.or_else(|| check(&method, &path, &body)) {
        fake.refuse(why.clone());
        return (StatusCode::BAD_REQUEST, Json(json!({"code": 50035, "message": format!("Invalid Form Body: {why}")})))
            .into_response();
    }
    if let Some(limited) = fake.limit(&method, &path, arrived) {
        return limited;
    }
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if let ["interactions", interaction, token, "callback"] = parts.as_slice()
        && let Err(refusal) = fake.callback(interaction, token, &body, arrived)
    {
        return *refusal;
    }
    fake.calls.push(Call {
        method: method.to_string(),
        path: path.clone(),
        body: body.clone(),
        files,
        at: Instant::now(),
    });
    let base = fake.base.get().cloned().unwrap_or_default();
    match (method.as_str(), parts.as_slice()) {
        ("GET", ["gateway"]) => Json(json!({"url": format!("{}/gw", base.replace("http", "ws"))})).into_response(),
        ("GET", ["gateway", "bot"]) => {
            let max_concurrency = *fake.max_concurrency.lock().unwrap();
            Json(json!({"url": format!("{}/gw", base.replace("http", "ws")), "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": max_concurrency}}))
            .into_response()
        }
        ("PUT", ["applications", _, .., "commands"]) => {
            let registered: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|mut c| {
                    c["id"] = json!(fake.id().to_string());
                    c["application_id"] = json!(APP_ID.to_string());
                    c["version"] = json!("1");
                    c["type"] = json!(1);
                    c
                })
                .collect();
            Json(Value::Array(registered)).into_response()
        }
        ("POST", ["interactions", ..]) => StatusCode::NO_CONTENT.into_response(),
        (_, ["webhooks", _app, token, rest @ ..]) => fake.webhook(&method, token, rest, &body),
        ("PATCH", ["channels", _, "messages", id]) => match fake.edit_message(id, &body) {
            Some(m) => Json(m).into_response(),
            None => discord_error(StatusCode::NOT_FOUND, 10008, "Unknown Message"),
        },
        ("POST", ["channels", _, "messages"]) => {
            let id = fake.create_message(&body);
            Json(fake.message(&id).unwrap()).into_response()
        }
        _ => Json(json!({})).into_response(),
    }
}

// ---- Gateway -------------------------------------------------------------------------------

/// One shard's side of the gateway, as Discord keeps it: its own queue of events (a guild's
/// events go to the shard `(guild_id >> 22) % total`, DMs to shard 0), its own sequence
/// numbers and its own log for RESUME.
#[derive(Default)]
struct ShardState {
    to_send: Vec<Value>,
    log: Vec<(u64, Value)>,
}

/// The shard a dispatch belongs to, as Discord routes it.
pub fn shard_of(d: &Value, total: u32) -> u32 {
    let guild = d["guild_id"].as_str().and_then(|g| g.parse::<u64>().ok());
    guild.map_or(0, |g| ((g >> 22) % u64::from(total.max(1))) as u32)
}

impl Fake {
    /// Asks the open connection to send op 7 RECONNECT (Discord moving the session): the bot
    /// must close, reconnect and RESUME; what was sent meanwhile comes by the replay.
    pub fn request_reconnect(&self) {
        self.reconnect_requested.store(true, std::sync::atomic::Ordering::SeqCst);
        self.wake.notify_waiters();
    }

    /// Asks the open connection to send op 1 HEARTBEAT (Discord asking for one now): the bot
    /// must answer with a heartbeat carrying its last sequence number.
    pub fn request_heartbeat(&self) {
        self.heartbeat_requested.store(true, std::sync::atomic::Ordering::SeqCst);
        self.wake.notify_waiters();
    }

    /// How long until a session may start in `shard`'s bucket (zero if it may now): a test that
    /// starts the same bot again, as another process would, waits for it (Discord would answer
    /// a sooner IDENTIFY with op 9).
    pub fn bucket_opens_in(&self, shard: u64) -> Duration {
        let bucket = shard % u64::from((*self.max_concurrency.lock().unwrap()).max(1));
        let interval = *self.identify_interval.lock().unwrap();
        let started = self.started_in_bucket.lock().unwrap().get(&bucket).copied();
        started.map_or(Duration::ZERO, |at| interval.saturating_sub(at.elapsed()))
    }

    /// The last sequence number sent on a shard.
    pub fn last_seq(&self, shard: u32) -> Option<u64> {
        self.shards.lock().unwrap().get(&shard).and_then(|s| s.log.last().map(|(n, _)| *n))
    }

    /// The shard whose connection carried an interaction to the bot.
    pub fn delivered_on(&self, interaction: u64) -> Option<u32> {
        self.delivered.lock().unwrap().get(&interaction.to_string()).copied()
    }
}

async fn gateway(State(fake): State<Arc<Fake>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| session(fake, socket))
}

fn frame(op: u8, d: Value) -> WsMessage {
    WsMessage::Text(json!({"op": op, "d": d, "s": null, "t": null}).to_string().into())
}

/// Records a frame the bot sent that every state of a connection answers alike (heartbeats).
fn heard(fake: &Fake, v: &Value) -> bool {
    if v["op"] == 1 {
        fake.heartbeats.lock().unwrap().push((Instant::now(), v["d"].clone()));
        return true;
    }
    false
}

async fn session(fake: Arc<Fake>, mut socket: WebSocket) {
    if socket.send(frame(10, json!({"heartbeat_interval": 41250}))).await.is_err() {
        return;
    }
    let (out, mut out_rx) = mpsc::unbounded_channel::<WsMessage>();
    // The first frame: IDENTIFY or RESUME. The shard this connection is.
    let shard: u32 = loop {
        let Some(Ok(WsMessage::Text(t))) = socket.recv().await else { return };
        let v: Value = serde_json::from_str(&t).unwrap_or_default();
        if heard(&fake, &v) {
            let _ = socket.send(frame(11, Value::Null)).await;
            continue;
        }
        match v["op"].as_u64() {
            Some(2) => {
                if let Some(code) = fatal_close(&fake, &v) {
                    let close = axum::extract::ws::CloseFrame { code, reason: "".into() };
                    let _ = socket.send(WsMessage::Close(Some(close))).await;
                    return;
                }
                if too_soon(&fake, &v) {
                    let _ = socket.send(frame(9, json!(false))).await;
                    continue;
                }
                break identify(&fake, &out, &v);
            }
            Some(6) => {
                fake.resumes.lock().unwrap().push(v["d"].clone());
                let session = v["d"]["session_id"].as_str().unwrap_or_default().to_owned();
                let Some(shard) = fake.session_shards.lock().unwrap().get(&session).copied() else {
                    // Not a session Discord knows: not resumable.
                    let _ = socket.send(frame(9, json!(false))).await;
                    continue;
                };
                let from = v["d"]["seq"].as_u64().unwrap_or(0);
                let missed: Vec<(u64, Value)> = fake
                    .shards
                    .lock()
                    .unwrap()
                    .get(&shard)
                    .map(|s| s.log.iter().filter(|(n, _)| *n > from).cloned().collect())
                    .unwrap_or_default();
                for (n, f) in missed {
                    fake.replayed.lock().unwrap().push(n);
                    note_delivery(&fake, &f["d"], f["t"].as_str().unwrap_or_default(), shard);
                    let _ = out.send(WsMessage::Text(f.to_string().into()));
                }
                send_dispatch(&fake, shard, &out, "RESUMED", json!({}));
                break shard;
            }
            _ => {}
        }
    };
    let mut invalid = false;
    // After op 7 Discord sends this connection nothing more: the bot is to reconnect.
    let mut moving = false;
    loop {
        if fake.drop_requested.swap(false, std::sync::atomic::Ordering::SeqCst) {
            return; // dropped without a close frame
        }
        if fake.invalidate_requested.swap(false, std::sync::atomic::Ordering::SeqCst) {
            invalid = true;
            let _ = socket.send(frame(9, json!(false))).await;
        }
        if !moving && fake.reconnect_requested.swap(false, std::sync::atomic::Ordering::SeqCst) {
            moving = true;
            fake.reconnects_sent.lock().unwrap().push(shard);
            if socket.send(frame(7, Value::Null)).await.is_err() {
                return;
            }
        }
        if fake.heartbeat_requested.swap(false, std::sync::atomic::Ordering::SeqCst) {
            *fake.heartbeat_asked.lock().unwrap() = Some(Instant::now());
            if socket.send(frame(1, Value::Null)).await.is_err() {
                return;
            }
        }
        // This shard's queued dispatches go out first (not to an invalid or moving session).
        let queued: Vec<Value> = if invalid || moving {
            Vec::new()
        } else {
            std::mem::take(&mut fake.shards.lock().unwrap().entry(shard).or_default().to_send)
        };
        if !queued.is_empty() && fake.lose_then_drop.swap(false, std::sync::atomic::Ordering::SeqCst) {
            let (lost, _gone) = mpsc::unbounded_channel::<WsMessage>();
            for q in queued {
                send_dispatch(&fake, shard, &lost, q["t"].as_str().unwrap(), q["d"].clone());
            }
            return; // dropped without a close frame
        }
        for q in queued {
            note_delivery(&fake, &q["d"], q["t"].as_str().unwrap_or_default(), shard);
            send_dispatch(&fake, shard, &out, q["t"].as_str().unwrap(), q["d"].clone());
        }
        while let Ok(m) = out_rx.try_recv() {
            if socket.send(m).await.is_err() {
                return;
            }
        }
        tokio::select! {
            () = fake.wake.notified() => {}
            () = fake.drop_now.notified() => return, // dropped without a close frame
            m = socket.recv() => match m {
                Some(Ok(WsMessage::Text(t))) => {
                    let v: Value = serde_json::from_str(&t).unwrap_or_default();
                    if heard(&fake, &v) {
                        let _ = socket.send(frame(11, Value::Null)).await;
                    }
                    if v["op"] == 2 {
                        // Identifying again on the same connection (after an invalid session).
                        if too_soon(&fake, &v) {
                            invalid = true;
                            let _ = socket.send(frame(9, json!(false))).await;
                        } else {
                            invalid = false;
                            identify(&fake, &out, &v);
                        }
                    }
                }
                Some(Ok(_)) => {}
                _ => return,
            },
            () = tokio::time::sleep(Duration::from_millis(20)) => {}
        }
    }
}

/// Notes which shard's connection carried an interaction.
fn note_delivery(fake: &Fake, d: &Value, t: &str, shard: u32) {
    if t == "INTERACTION_CREATE"
        && let Some(id) = d["id"].as_str()
    {
        fake.delivered.lock().unwrap().insert(id.to_owned(), shard);
    }
}

/// The close code Discord would answer this IDENTIFY with: 4010 for a shard that cannot exist,
/// or what the test asked for.
fn fatal_close(fake: &Fake, v: &Value) -> Option<u16> {
    let shard = &v["d"]["shard"];
    let (id, total) = (shard[0].as_u64().unwrap_or(0), shard[1].as_u64().unwrap_or(1));
    let code = if id >= total || total == 0 { Some(4010) } else { fake.close_next_identify.lock().unwrap().take() };
    if let Some(code) = code {
        fake.identifies.lock().unwrap().push(v["d"].clone());
        fake.closes.lock().unwrap().push((code, shard.clone()));
    }
    code
}

/// How much sooner than the interval an IDENTIFY may arrive and still count as paced. A client
/// waits the five seconds on its own clock, from when it started the previous shard (serenity's
/// queuer: after the connection opened, before the spawned runner sent IDENTIFY); the server
/// sees arrivals, which scheduling and the network shift by a few milliseconds either way
/// (seen: 4.999 s, CI of 2026-12-07). A client that does not pace arrives seconds too soon and
/// is still refused.
const CLOCK_SLACK: Duration = Duration::from_millis(50);

/// Whether this IDENTIFY comes too soon after the last session started in its bucket (then it
/// is logged, refused and answered with op 9); otherwise its bucket closes for the interval.
///
/// Discord's gateway documentation: "Clients are limited by maximum concurrency when
/// Identifying; if they exceed this limit, the gateway will respond with an Opcode 9 Invalid
/// Session", with `rate_limit_key = shard_id % max_concurrency` and `max_concurrency` "the
/// number of identify requests allowed per 5 seconds".
fn too_soon(fake: &Fake, v: &Value) -> bool {
    let shard = &v["d"]["shard"];
    let id = shard[0].as_u64().unwrap_or(0);
    let max_concurrency = u64::from((*fake.max_concurrency.lock().unwrap()).max(1));
    let bucket = id % max_concurrency;
    let interval = *fake.identify_interval.lock().unwrap();
    let now = Instant::now();
    let mut started = fake.started_in_bucket.lock().unwrap();
    if let Some(last) = started.get(&bucket)
        && now.duration_since(*last) + CLOCK_SLACK < interval
    {
        let after = now.duration_since(*last);
        drop(started);
        fake.identifies.lock().unwrap().push(v["d"].clone());
        fake.refuse(format!(
            "IDENTIFY of shard {shard} {after:?} after a session started in its bucket {bucket} \
             (max_concurrency {max_concurrency}: one per {interval:?})"
        ));
        return true;
    }
    started.insert(bucket, now);
    false
}

/// Answers IDENTIFY with READY for a new session of the shard it names; returns the shard.
fn identify(fake: &Fake, out: &mpsc::UnboundedSender<WsMessage>, v: &Value) -> u32 {
    fake.identifies.lock().unwrap().push(v["d"].clone());
    let shard = v["d"]["shard"][0].as_u64().unwrap_or(0) as u32;
    let total = v["d"]["shard"][1].as_u64().unwrap_or(1) as u32;
    *fake.total.lock().unwrap() = total.max(1);
    let session = {
        let mut n = fake.sessions.lock().unwrap();
        *n += 1;
        format!("session-{n}")
    };
    fake.session_shards.lock().unwrap().insert(session.clone(), shard);
    let base = fake.base.get().cloned().unwrap_or_default();
    let ready = json!({"v": 10, "user": {"id": APP_ID.to_string(), "username": "Ruban", "discriminator": "0", "bot": true},
        "guilds": [], "session_id": session, "resume_gateway_url": format!("{}/gw", base.replace("http", "ws")),
        "application": {"id": APP_ID.to_string(), "flags": 0}, "shard": v["d"]["shard"].clone()});
    // A new session numbers its events from 1 again.
    fake.shards.lock().unwrap().entry(shard).or_default().log.clear();
    send_dispatch(fake, shard, out, "READY", ready);
    shard
}

/// Numbers a dispatch in its shard's sequence, logs it for RESUME, queues it on this
/// connection; returns its number. An interaction's three seconds start when it is first sent
/// (Discord never holds one for a bot that is away: a replay on RESUME keeps the first time).
fn send_dispatch(fake: &Fake, shard: u32, out: &mpsc::UnboundedSender<WsMessage>, t: &str, d: Value) -> u64 {
    if t == "INTERACTION_CREATE"
        && let Some(id) = d["id"].as_str()
        && let Some(entry) = fake.interactions.lock().unwrap().get_mut(id)
        && !entry.3
    {
        entry.1 = Instant::now();
        entry.3 = true;
    }
    let mut shards = fake.shards.lock().unwrap();
    let log = &mut shards.entry(shard).or_default().log;
    let s = log.last().map_or(1, |(s, _)| s + 1);
    let f = json!({"op": 0, "s": s, "t": t, "d": d});
    log.push((s, f.clone()));
    let _ = out.send(WsMessage::Text(f.to_string().into()));
    s
}

pub async fn start() -> (Arc<Fake>, String) {
    let fake = Arc::new(Fake::default());
    let app = Router::new()
        .route("/gw", axum::routing::get(gateway))
        .route("/attachments/{*path}", axum::routing::get(cdn))
        .fallback(rest)
        .with_state(fake.clone());
    let base = listen(app).await;
    // Set before any request: the bot learns the address from this very return value.
    fake.base.set(base.clone()).unwrap();
    (fake, base)
}

// ---- Events --------------------------------------------------------------------------------

pub const GUILD: u64 = 930_000_000_000_000_001;
pub const CHANNEL: u64 = 940_000_000_000_000_001;

fn user(id: u64, name: &str) -> Value {
    json!({"id": id.to_string(), "username": name, "discriminator": "0", "global_name": name})
}

fn member(id: u64, name: &str, permissions: &str) -> Value {
    json!({"user": user(id, name), "roles": [], "deaf": false, "mute": false, "flags": 0,
        "joined_at": "2025-09-01T12:00:00.000000+00:00", "permissions": permissions})
}

/// A slash command in the guild (or, with `guild: false`, as a user-installed app in a DM).
pub fn command(
    fake: &Fake,
    id: u64,
    name: &str,
    options: Value,
    from: (u64, &str),
    guild: bool,
    permissions: &str,
) -> Value {
    let mut i = json!({"id": id.to_string(), "application_id": APP_ID.to_string(), "type": 2,
        "token": format!("itok-{id}"), "version": 1, "locale": "fr", "entitlements": [],
        "attachment_size_limit": 10_485_760, "app_permissions": "2248473465835073",
        "data": {"id": "1", "name": name, "type": 1, "options": options}});
    if guild {
        i["guild_id"] = json!(GUILD.to_string());
        i["channel_id"] = json!(CHANNEL.to_string());
        i["member"] = member(from.0, from.1, permissions);
        i["context"] = json!(0);
        i["authorizing_integration_owners"] = json!({"0": GUILD.to_string()});
    } else {
        i["channel_id"] = json!((CHANNEL + 7).to_string());
        i["user"] = user(from.0, from.1);
        i["context"] = json!(1);
        i["authorizing_integration_owners"] = json!({"1": from.0.to_string()});
    }
    let _ = fake;
    i
}

/// Discord's CDN: an attachment's bytes at the URL its interaction gave.
async fn cdn(
    axum::extract::State(fake): axum::extract::State<Arc<Fake>>,
    axum::extract::Path(path): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    fake.downloads.lock().unwrap().push(path.clone());
    match fake.attachments.lock().unwrap().get(&path).cloned() {
        Some(bytes) => (axum::http::StatusCode::OK, bytes.as_ref().clone()).into_response(),
        None => {
            fake.refused.push(format!("download of unknown attachment {path:?}"));
            axum::http::StatusCode::NOT_FOUND.into_response()
        }
    }
}

/// A slash command whose `option` is an attachment (`/vert photo:`): the option names the
/// attachment, `data.resolved.attachments` describes it, and the fake's CDN serves `bytes`.
pub fn command_with_attachment(
    fake: &Fake,
    id: u64,
    name: &str,
    option: &str,
    (bytes, file_name, content_type): (Vec<u8>, &str, &str),
    from: (u64, &str),
) -> Value {
    let attachment = (id + 5_000).to_string();
    let path = format!("{CHANNEL}/{attachment}/{file_name}");
    let url = format!("{}/attachments/{path}", fake.base.get().expect("the fake started"));
    let size = bytes.len();
    fake.attachments.lock().unwrap().insert(path, Arc::new(bytes));
    let mut i = command(fake, id, name, json!([{"name": option, "type": 11, "value": attachment}]), from, true, "0");
    i["data"]["resolved"] = json!({"attachments": {attachment.clone(): {
        "id": attachment, "filename": file_name, "size": size, "url": url, "proxy_url": url,
        "content_type": content_type, "width": 1600, "height": 1200, "ephemeral": true}}});
    i
}

/// A click on a button of `message` in the guild.
pub fn click(id: u64, custom_id: &str, message: &Value, from: (u64, &str)) -> Value {
    json!({"id": id.to_string(), "application_id": APP_ID.to_string(), "type": 3,
        "token": format!("itok-{id}"), "version": 1, "locale": "fr", "entitlements": [],
        "attachment_size_limit": 10_485_760, "guild_id": GUILD.to_string(), "channel_id": CHANNEL.to_string(),
        "member": member(from.0, from.1, "0"), "context": 0,
        "data": {"custom_id": custom_id, "component_type": 2}, "message": message})
}

/// The message an interaction's answer created, as Discord would show it in a click's
/// `message`.
pub fn answered_message(fake: &Fake, interaction: u64) -> Value {
    fake.message_of(interaction).unwrap_or_else(|| panic!("interaction {interaction} made no message"))
}

// ---- A serenity client's end, as a test sees it -----------------------------------------------
//
// A test that a shard Discord closed for good never identifies again cannot wait for "long
// enough": it waits for an event after which nothing could identify again, and counts the
// IDENTIFYs then. Two such events exist: every thread of the client's runtime is gone (none of
// its code runs any more), or the shard's runner has ended while serenity never asked for
// another start of that shard (only the client's start and a runner's restart boot a shard).

/// The threads of a process whose name is `name` (or starts with it, when it ends with `-`),
/// followed while they come and go, with the CPU time (user + system) each has used: a thread
/// that is gone keeps its last reading.
pub struct Threads {
    pid: String,
    name: String,
    last: HashMap<u32, Duration>,
    alive: usize,
}

impl Threads {
    /// `pid`: `"self"` for this process, or a child's id.
    pub fn of(pid: impl ToString, name: &str) -> Self {
        Self { pid: pid.to_string(), name: name.to_owned(), last: HashMap::new(), alive: 0 }
    }

    fn matches(&self, comm: &str) -> bool {
        if self.name.ends_with('-') { comm.starts_with(&self.name) } else { comm == self.name }
    }

    /// Reads `/proc` again; returns how many of the threads are alive now.
    pub fn poll(&mut self) -> usize {
        let ticks_per_s = 100; // USER_HZ on Linux
        self.alive = 0;
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{}/task", self.pid)) else { return 0 };
        for task in tasks.flatten() {
            let Ok(tid) = task.file_name().to_string_lossy().parse::<u32>() else { continue };
            let Ok(stat) = std::fs::read_to_string(task.path().join("stat")) else { continue };
            let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
            if !self.matches(&stat[open + 1..close]) {
                continue;
            }
            let fields: Vec<&str> = stat[close + 2..].split(' ').collect();
            let ticks = fields[11].parse::<u64>().unwrap_or(0) + fields[12].parse::<u64>().unwrap_or(0);
            self.last.insert(tid, Duration::from_millis(ticks * 1000 / ticks_per_s));
            self.alive += 1;
        }
        self.alive
    }

    /// How many were alive at the last [`Threads::poll`].
    pub fn alive(&self) -> usize {
        self.alive
    }

    /// How many were ever seen.
    pub fn seen(&self) -> usize {
        self.last.len()
    }

    /// The CPU time they have used, as far as the polls saw (each gone thread's last reading).
    pub fn cpu(&self) -> Duration {
        self.last.values().sum()
    }
}

/// What serenity 0.12.5 said of one shard in its log, from the lines of
/// `serenity::gateway::bridge` (`shard_manager.rs`: `Telling shard queuer to start shard 0`,
/// `Restarting shard 0`, at info; `shard_queuer.rs`, once a runner's task is over:
/// `[ShardRunner ShardInfo { id: ShardId(0), total: 1 }] Stopping`, at debug). Other words
/// read as nothing, so a test waiting for them fails by its ceiling rather than passing.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ShardLog {
    /// Starts asked of the shard queuer.
    pub starts: usize,
    /// Restarts asked (a runner that reconnects by identifying again).
    pub restarts: usize,
    /// Whether a runner of the shard has ended.
    pub runner_ended: bool,
}

impl ShardLog {
    /// Reads `log` (one event a line; ANSI colours, spans and timestamps before the message are
    /// ignored).
    pub fn read(log: &str, shard: u32) -> Self {
        let mut said = Self::default();
        let runner = format!("[ShardRunner ShardInfo {{ id: ShardId({shard}), ");
        for line in log.lines().map(plain) {
            let line = line.trim_end();
            if line.ends_with(&format!("Telling shard queuer to start shard {shard}")) {
                said.starts += 1;
            } else if line.ends_with(&format!("Restarting shard {shard}")) {
                said.restarts += 1;
            } else if line.contains(&runner) && line.ends_with("] Stopping") {
                said.runner_ended = true;
            }
        }
        said
    }

    /// Whether the shard can never identify again: its runner ended, it was started once and
    /// never asked to start again (a runner asks for its restart before its task ends).
    pub fn ended_for_good(&self) -> bool {
        self.runner_ended && self.starts == 1 && self.restarts == 0
    }
}

/// A log line without its ANSI escapes.
fn plain(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters… final byte (a letter).
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod pacing {
    use super::*;

    fn identify_of(shard: u64) -> Value {
        json!({"op": 2, "d": {"shard": [shard, 2]}})
    }

    /// The slack forgives milliseconds, not a client that does not wait: an IDENTIFY in the
    /// same bucket at once, or a tenth of a second early, is still refused.
    #[test]
    fn an_identify_sooner_than_its_bucket_allows_is_refused_beyond_the_slack() {
        let fake = Fake::default();
        assert!(!too_soon(&fake, &identify_of(0)), "the first session starts");
        assert!(too_soon(&fake, &identify_of(1)), "the next one at once is refused");
        let interval = *fake.identify_interval.lock().unwrap();
        let started = |ago: Duration| {
            fake.started_in_bucket.lock().unwrap().insert(0, Instant::now() - ago);
        };
        started(interval - Duration::from_millis(100));
        assert!(too_soon(&fake, &identify_of(1)), "a tenth of a second early is refused");
        started(interval - Duration::from_millis(1));
        assert!(!too_soon(&fake, &identify_of(1)), "a millisecond early is the clocks, not the client");
        assert_eq!(fake.refused.all().len(), 2, "each refusal is logged");
    }
}
