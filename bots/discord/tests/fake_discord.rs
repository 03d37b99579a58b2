//! The real serenity client, started the way `ruban serve` starts it, against the fake Discord
//! of `ruban_tests::discord` (spec-checked REST, a gateway that can drop and resume).

use std::sync::Arc;
use std::time::{Duration, Instant};

use fake::{Fake, answered_message, click, command};
use ruban_discord::{Registration, Running, Settings, Shards};
use ruban_store::Store;
use ruban_tests::discord as fake;
use serde_json::{Value, json};

// (A minute: a debug build on a loaded machine compiles the moderation lists and renders slowly; only a failure waits that long.)
const PATIENCE: Duration = Duration::from_secs(60);
/// Manage Server.
const MANAGE_GUILD: &str = "32";

/// A core over a store in `dir`; twenty classes of 30 in a minute in one channel is more than a
/// real chat sees, so the limits are generous.
async fn core(dir: &std::path::Path) -> Arc<ruban_core::Bot> {
    ruban_tests::core::in_dir(dir, ruban_tests::core::generous()).await.0
}

/// Checks that serenity will read this interaction (a missing field silently drops it).
fn assert_readable(i: &Value) {
    serde_json::from_value::<serenity::all::Interaction>(i.clone()).unwrap_or_else(|e| panic!("unreadable: {e}: {i}"));
}

fn settings(base: &str) -> Settings {
    Settings {
        token: "FAKE.BOT.TOKEN".into(),
        api_url: Some(base.into()),
        shards: Shards::default(),
        registration: Registration::Global,
        organizer_roles: Vec::new(),
        organizer_guilds: vec![fake::GUILD],
    }
}

async fn start(base: &str, dir: &std::path::Path) -> Running {
    watch_gateway();
    ruban_discord::start(settings(base), core(dir).await).await.unwrap()
}

/// The subscriber `ruban serve` has: the log (with `TEST_LOG=1`) and the watch on fatal
/// gateway closes; and, for the tests, what serenity says of its shards (see [`serenity_said`]).
fn watch_gateway() {
    use tracing_subscriber::Layer;
    use tracing_subscriber::filter::{LevelFilter, Targets};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let level = if std::env::var_os("TEST_LOG").is_some() { LevelFilter::DEBUG } else { LevelFilter::OFF };
        let log = tracing_subscriber::fmt::layer().with_test_writer().with_filter(level);
        let said =
            SerenitySaid.with_filter(Targets::new().with_target("serenity::gateway::bridge", tracing::Level::DEBUG));
        let _ = tracing_subscriber::registry().with(log).with(ruban_discord::gateway::layer()).with(said).try_init();
    });
}

/// The lines serenity logged about its shards, by Discord client (the number in its runtime's
/// thread names, `ruban-dc-<n>`, as the adapter's own watch reads it).
fn said_by_clients() -> &'static std::sync::Mutex<std::collections::HashMap<u64, String>> {
    static SAID: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<u64, String>>> =
        std::sync::OnceLock::new();
    SAID.get_or_init(Default::default)
}

/// What serenity has said so far of `bot`'s shards, one event a line (for
/// [`fake::ShardLog::read`]).
fn serenity_said(bot: &Running) -> String {
    said_by_clients().lock().unwrap().get(&bot.client_number()).cloned().unwrap_or_default()
}

/// Keeps serenity's lines about its shards (see [`said_by_clients`]).
struct SerenitySaid;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for SerenitySaid {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        struct Message(String);
        impl tracing::field::Visit for Message {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
                if field.name() == "message" {
                    self.0 = format!("{value:?}");
                }
            }
        }
        let Some(client) = std::thread::current().name().and_then(|n| n.strip_prefix("ruban-dc-")?.parse().ok()) else {
            return;
        };
        let mut message = Message(String::new());
        event.record(&mut message);
        let mut said = said_by_clients().lock().unwrap();
        let lines = said.entry(client).or_default();
        lines.push_str(&message.0);
        lines.push('\n');
    }
}

fn send(fake: &Fake, interaction: Value) {
    assert_readable(&interaction);
    fake.dispatch("INTERACTION_CREATE", interaction);
}

/// Waits for the gateway to be ready (the commands registered after READY).
async fn ready(fake: &Fake) {
    fake.wait_for_n("PUT", "/commands", 1, PATIENCE).await;
}

async fn wait_callback(fake: &Fake, interaction: u64) -> fake::Call {
    fake.wait_for_n("POST", &format!("/interactions/{interaction}/"), 1, PATIENCE).await.remove(0)
}

fn card_options(user_id: u64) -> Value {
    json!([
        {"name": "destinataire", "type": 6, "value": user_id.to_string()},
        {"name": "modele", "type": 3, "value": "oser"},
        {"name": "message", "type": 3, "value": "Lâche pas @everyone, ton exposé était génial!"}
    ])
}

fn with_resolved(mut i: Value, user_id: u64, name: &str) -> Value {
    i["data"]["resolved"] = json!({
        "users": {user_id.to_string(): {"id": user_id.to_string(), "username": "lea", "discriminator": "0", "global_name": name}},
        "members": {user_id.to_string(): {"roles": [], "joined_at": "2025-09-01T12:00:00.000000+00:00", "deaf": false,
            "mute": false, "flags": 0, "nick": name, "permissions": "0"}}
    });
    i
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_by_slash_command_in_a_guild_mentions_nobody_and_commands_are_registered_in_both_languages() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let i = with_resolved(command(&fake, 501, "carte", card_options(77), (7, "Prof"), true, "0"), 77, "Léa");
    send(&fake, i);
    let cb = wait_callback(&fake, 501).await;
    // Answered at once (4), or deferred (5) when drawing took past the bot's 2-s budget on a
    // busy machine, then completed by editing @original: either is right, the content is what
    // is checked.
    let cb = match cb.body["type"].as_u64() {
        Some(4) => cb,
        Some(5) => {
            let mut edit = fake.wait_for_n("PATCH", "/messages/@original", 1, PATIENCE).await.remove(0);
            edit.body = json!({"type": 4, "data": edit.body});
            edit
        }
        other => panic!("callback type {other:?}"),
    };
    let data = &cb.body["data"];
    assert!(data["content"].as_str().unwrap().contains("Voici ta carte pour Léa"), "{data}");
    assert_eq!(data["allowed_mentions"], json!({"parse": [], "users": [], "roles": []}), "nobody can be pinged");
    assert_eq!(cb.files.len(), 1);
    let (_, file_name, bytes) = &cb.files[0];
    assert!(file_name.ends_with(".png"), "{file_name}");
    let img = image::load_from_memory(bytes).unwrap();
    assert_eq!((img.width(), img.height()), (1080, 1080));
    assert!(bytes.len() < 10 << 20);

    let registered = fake.calls_matching("PUT", "/commands").remove(0);
    assert_eq!(registered.path, format!("/applications/{}/commands", fake::APP_ID));
    let commands = registered.body.as_array().unwrap();
    let carte = commands.iter().find(|c| c["name"] == "carte").expect("/carte");
    assert_eq!(carte["name_localizations"]["en-US"], "card");
    assert_eq!(carte["name_localizations"]["en-GB"], "card");
    assert_eq!(carte["description_localizations"]["en-US"], "An encouragement card for someone");
    assert_eq!(carte["description"], "Une carte d’encouragement pour quelqu’un");
    assert_eq!(carte["integration_types"], json!([0, 1]), "server and user installs");
    assert_eq!(carte["contexts"], json!([0, 1, 2]));
    let modele = carte["options"].as_array().unwrap().iter().find(|o| o["name"] == "modele").unwrap();
    assert_eq!(modele["autocomplete"], true);
    assert_eq!(modele["name_localizations"]["en-US"], "design");
    let totaux = commands.iter().find(|c| c["name"] == "totaux").unwrap();
    assert_eq!(totaux["default_member_permissions"], "32");
    assert!(commands.iter().any(|c| c["name"] == "oublie-moi" && c["name_localizations"]["en-US"] == "forget-me"));
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_as_a_user_installed_app_in_a_dm_and_the_design_autocomplete() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let options = json!([{"name": "nom", "type": 3, "value": "Zoé"}]);
    send(&fake, command(&fake, 601, "carte", options, (8, "Noé"), false, "0"));
    let cb = wait_callback(&fake, 601).await;
    assert!(cb.body["data"]["content"].as_str().unwrap().contains("Zoé"));
    assert!(image::load_from_memory(&cb.files[0].2).is_ok());
    // Autocomplete of the design: "os" offers « Fonce! » (oser).
    let mut auto = command(
        &fake,
        602,
        "carte",
        json!([{"name": "modele", "type": 3, "value": "os", "focused": true}]),
        (8, "Noé"),
        false,
        "0",
    );
    auto["type"] = json!(4);
    send(&fake, auto);
    let cb = wait_callback(&fake, 602).await;
    assert_eq!(cb.body["type"], 8);
    let choices = cb.body["data"]["choices"].as_array().unwrap();
    assert_eq!(choices[0]["value"], "oser", "{choices:?}");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// Opens a class; returns the answered message as a click carries it and the join button's id.
async fn open_class(fake: &Fake, id: u64) -> (Value, String) {
    let options = json!([{"name": "nom", "type": 3, "value": "5e B"}]);
    send(fake, command(fake, id, "classe", options, (7, "Prof"), true, MANAGE_GUILD));
    let cb = wait_callback(fake, id).await;
    let join = cb.body["data"]["components"][0]["components"][0]["custom_id"]
        .as_str()
        .unwrap_or_else(|| panic!("no join button: {}", cb.body))
        .to_owned();
    (answered_message(fake, id), join)
}

/// Waits until the counter made by `interaction` has lost its buttons (closed); it then.
async fn wait_closed(fake: &Fake, interaction: u64) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let m = answered_message(fake, interaction);
        if m["components"] == json!([]) {
            return m;
        }
        assert!(Instant::now() < deadline, "the counter kept its buttons: {m}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The count a message shows.
fn count_shown(message: &Value) -> Option<u64> {
    count_in_text(message["content"].as_str()?)
}

/// Waits until the message `interaction` made shows `n`; the message as it is then.
async fn wait_shown(fake: &Fake, interaction: u64, n: u64) -> Value {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let m = answered_message(fake, interaction);
        if count_shown(&m) == Some(n) {
            return m;
        }
        assert!(Instant::now() < deadline, "the counter never showed {n}: {m}; refused {:?}", fake.refused);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn count_in_text(text: &str) -> Option<u64> {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .find_map(|w| (w[1].starts_with("engagement")).then(|| w[0].replace('\u{a0}', "").parse().ok()).flatten())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_of_30_with_double_clicks_in_bursts_ends_at_30_on_the_message_every_time() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let mut next = 10_000u64;
    for run in 0..20u64 {
        let opener = next;
        next += 1;
        let (message, join) = open_class(&fake, opener).await;
        let close = message["components"][0]["components"][1]["custom_id"].as_str().unwrap().to_owned();
        // 30 pupils in bursts of 10, a third of them clicking twice: 40 clicks at once.
        let mut clicks = Vec::new();
        for burst in 0..3u64 {
            for n in 0..10u64 {
                let pupil = 50_000 + run * 100 + burst * 10 + n;
                for _ in 0..(1 + u64::from(n % 3 == 0)) {
                    send(&fake, click(next, &join, &message, (pupil, "Élève")));
                    clicks.push(next);
                    next += 1;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        for &c in &clicks {
            let cb = wait_callback(&fake, c).await;
            // A first click is acknowledged at once (the counter is edited after); a second
            // one gets a private "already counted".
            let private_notice = cb.body["type"] == 4 && cb.body["data"]["flags"].as_u64().unwrap_or(0) & 64 == 64;
            assert!(cb.body["type"] == 6 || private_notice, "{}", cb.body);
        }
        wait_shown(&fake, opener, 30).await;
        // Closing: the counter keeps 30 and loses its buttons, the badge follows.
        let closer = next;
        next += 1;
        send(&fake, click(closer, &close, &message, (7, "Prof")));
        let badge = fake.wait_for_n("POST", &format!("/webhooks/{}/itok-{closer}", fake::APP_ID), 1, PATIENCE).await;
        assert!(badge[0].files.iter().any(|(_, f, _)| f.ends_with(".png")), "the class badge: {:?}", badge[0].body);
        let last = answered_message(&fake, opener);
        assert_eq!(count_shown(&last), Some(30), "run {run}: the message ends at 30: {last}");
        assert_eq!(last["components"], json!([]), "run {run}: a closed class has no buttons");
        let store = Store::open(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await.unwrap();
        assert_eq!(store.class_summary(join.strip_prefix("j:").unwrap()).await.unwrap().members, 30);
        store.close().await;
    }
    let edits = fake.count_matching("PATCH", "/messages/@original");
    eprintln!("20 classes of 30 (40 clicks each): {edits} counter edits in all");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_interaction_twice_is_answered_once() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let (message, join) = open_class(&fake, 700).await;
    let c = click(801, &join, &message, (3001, "Élève"));
    send(&fake, c.clone());
    send(&fake, c);
    wait_callback(&fake, 801).await;
    wait_shown(&fake, 700, 1).await;
    // Not a sleep meaning "nothing more came": a later click on the same shard, answered and
    // counted, comes after the second delivery was handled.
    send(&fake, click(802, &join, &message, (3002, "Élève")));
    wait_callback(&fake, 802).await;
    wait_shown(&fake, 700, 2).await;
    assert_eq!(fake.count_matching("POST", "/interactions/801/"), 1);
    assert_eq!(fake.delivered_on(801), Some(0));
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// Ten pupils click, five before and five after `disrupt` happens to the gateway; checks each
/// click was answered exactly once and returns the count the counter shows in the end.
async fn ten_clicks_across(fake: &Fake, first: u64, disrupt: impl FnOnce(&Fake)) -> u64 {
    let (message, join) = open_class(fake, 700).await;
    for n in 0..5u64 {
        send(fake, click(first + n, &join, &message, (4000 + first + n, "Élève")));
    }
    for n in 0..5u64 {
        wait_callback(fake, first + n).await;
    }
    disrupt(fake);
    // These arrive while the bot is away or re-identifying.
    for n in 5..10u64 {
        send(fake, click(first + n, &join, &message, (4000 + first + n, "Élève")));
    }
    for n in 0..10u64 {
        wait_callback(fake, first + n).await;
    }
    for n in 0..10u64 {
        assert_eq!(fake.count_matching("POST", &format!("/interactions/{}/", first + n)), 1);
    }
    count_shown(&wait_shown(fake, 700, 10).await).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_gateway_resumes_in_the_middle_of_a_class_and_loses_no_click() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    // Discord replays what the bot missed on RESUME.
    // The next clicks are lost on the wire as the connection drops: only RESUME's replay of
    // missed events brings them (before, the drop came after every callback, so nothing was
    // ever replayed and the replay went untested).
    let shown = ten_clicks_across(&fake, 900, Fake::lose_next_then_drop).await;
    assert!(!fake.resumes.lock().unwrap().is_empty(), "the shard resumed its session");
    assert_eq!(fake.resumes.lock().unwrap()[0]["session_id"], "session-1");
    assert!(!fake.replayed.lock().unwrap().is_empty(), "missed clicks were replayed");
    assert_eq!(shown, 10);
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_session_is_identified_again_and_the_class_goes_on() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let shown = ten_clicks_across(&fake, 950, Fake::invalidate_session).await;
    assert!(fake.identifies.lock().unwrap().len() >= 2, "the shard identified again");
    assert_eq!(shown, 10);
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_with_retry_after_is_waited_out_and_the_card_arrives_once() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    fake.rate_limit("/interactions/1001/", 0.35, false);
    let options = json!([{"name": "nom", "type": 3, "value": "Zoé"}]);
    send(&fake, command(&fake, 1001, "carte", options, (8, "Noé"), true, "0"));
    let cb = wait_callback(&fake, 1001).await;
    assert!(image::load_from_memory(&cb.files[0].2).is_ok());
    assert_eq!(fake.limited.lock().unwrap().len(), 1);
    assert_eq!(fake.early.lock().unwrap().len(), 0, "retried before the retry_after: {:?}", fake.early);
    assert_eq!(fake.count_matching("POST", "/interactions/1001/"), 1);
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// When the retry comes after the 429 it answers.
fn waited(fake: &Fake, path_part: &str) -> Vec<(f64, Duration)> {
    let limited = fake.limited.lock().unwrap().clone();
    let calls = fake.calls.all();
    limited
        .iter()
        .filter(|(p, ..)| p.contains(path_part))
        .filter_map(|(p, retry_after, at)| {
            let next = calls.iter().find(|c| c.path == *p && c.at > *at)?;
            Some((*retry_after, next.at.duration_since(*at)))
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_waited_out_for_the_retry_after_discord_gave_not_a_fixed_second() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let (message, join) = open_class(&fake, 1800).await;
    // A counter edit told to wait 2.5 s: a bot that waits its own second comes back too early
    // and Discord answers with another 429 (counted as early).
    fake.rate_limit("/itok-1801/messages/@original", 2.5, false);
    send(&fake, click(1801, &join, &message, (6200, "Élève")));
    wait_shown(&fake, 1800, 1).await;
    // A global limit of 50 ms on the next callback holds it only that long; then every route
    // is free again.
    fake.rate_limit("/interactions/1802/", 0.05, true);
    send(&fake, click(1802, &join, &message, (6201, "Élève")));
    wait_shown(&fake, 1800, 2).await;
    assert_eq!(fake.early.lock().unwrap().clone(), Vec::<String>::new(), "no request before its retry_after");
    let edits = waited(&fake, "/itok-1801/messages/@original");
    let callbacks = waited(&fake, "/interactions/1802/");
    eprintln!("retry_after 2.5 s: sent again after {:?}; 0.05 s (global): after {:?}", edits, callbacks);
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert!(edits[0].1 >= Duration::from_millis(2500), "{edits:?}");
    assert_eq!(edits[0].0, 2.5);
    assert_eq!(callbacks.len(), 1, "{callbacks:?}");
    assert!(callbacks[0].1 >= Duration::from_millis(50), "{callbacks:?}");
    assert_eq!(callbacks[0].0, 0.05);
    assert_eq!(fake.count_matching("POST", "/interactions/1802/"), 1, "the click answered once");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// The store is busy (another writer holds SQLite's lock) for 2.6 s: the claim and the pledge
/// wait, so the answer is deferred within Discord's three seconds, and the deferral itself
/// meets a 429 whose wait still fits; the badge then comes in the edit of the original.
/// Holds the store in `dir` busy (an exclusive writer), so the core's answers wait and the
/// adapter must defer them; [`free_store`] lets it go.
async fn busy_store(dir: &std::path::Path) -> sqlx::SqliteConnection {
    use sqlx::Connection;
    let url = format!("sqlite://{}", dir.join("ruban.db").display());
    let mut writer = sqlx::SqliteConnection::connect(&url).await.unwrap();
    sqlx::query("BEGIN EXCLUSIVE").execute(&mut writer).await.unwrap();
    writer
}

/// Ends the busy writer of [`busy_store`].
async fn free_store(mut writer: sqlx::SqliteConnection) {
    use sqlx::Connection;
    sqlx::query("COMMIT").execute(&mut writer).await.unwrap();
    writer.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_is_deferred_in_time_even_through_a_429_and_then_delivered() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let writer = busy_store(dir.path()).await;
    fake.rate_limit("/interactions/1901/", 0.3, false);
    let asked = Instant::now();
    send(&fake, command(&fake, 1901, "ruban", json!([]), (1901, "Élève"), true, "0"));
    let cb = wait_callback(&fake, 1901).await;
    let deferred_after = asked.elapsed();
    tokio::time::sleep_until((asked + Duration::from_millis(2600)).into()).await;
    free_store(writer).await;
    assert_eq!(cb.body["type"], 5, "deferred: {}", cb.body);
    let path = format!("/webhooks/{}/itok-1901/messages/@original", fake::APP_ID);
    let edit = fake.wait_for_n("PATCH", &path, 1, PATIENCE).await.remove(0);
    eprintln!("deferred after {deferred_after:?} (a 429 of 0.3 s inside), the badge after {:?}", edit.at - asked);
    assert!(edit.files.iter().any(|(_, f, _)| f.ends_with(".png")), "the badge in the edit: {}", edit.body);
    assert_eq!(fake.limited.lock().unwrap().len(), 1);
    assert!(fake.early.lock().unwrap().is_empty());
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_an_op_7_reconnect_the_bot_resumes_and_still_answers() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let shown = ten_clicks_across(&fake, 2000, Fake::request_reconnect).await;
    assert_eq!(fake.reconnects_sent.lock().unwrap().clone(), vec![0], "op 7 was sent");
    let resumes = fake.resumes.lock().unwrap().clone();
    assert_eq!(resumes.len(), 1, "resumed once: {resumes:?}");
    assert_eq!(resumes[0]["session_id"], "session-1");
    assert_eq!(fake.identifies.lock().unwrap().len(), 1, "resumed, not identified again");
    assert_eq!(shown, 10);
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_op_1_heartbeat_request_is_answered_with_the_last_sequence_number() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let options = json!([{"name": "nom", "type": 3, "value": "Zoé"}]);
    send(&fake, command(&fake, 2101, "carte", options, (8, "Noé"), true, "0"));
    wait_callback(&fake, 2101).await;
    fake.request_heartbeat();
    let deadline = Instant::now() + PATIENCE;
    let beat = loop {
        let asked = *fake.heartbeat_asked.lock().unwrap();
        let after = asked.and_then(|a| fake.heartbeats.lock().unwrap().iter().find(|(at, _)| *at > a).cloned());
        if let (Some(asked), Some(beat)) = (asked, after) {
            break (beat.0 - asked, beat.1);
        }
        assert!(Instant::now() < deadline, "no heartbeat after op 1");
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    eprintln!("op 1 answered after {:?}", beat.0);
    // The HELLO's interval is 41.25 s: this heartbeat answers the request, it is not the timer's.
    assert!(beat.0 < Duration::from_secs(30), "{:?}", beat.0);
    assert_eq!(beat.1, json!(fake.last_seq(0).unwrap()), "the last sequence number");
    // And the bot goes on answering.
    let options = json!([{"name": "nom", "type": 3, "value": "Léa"}]);
    send(&fake, command(&fake, 2102, "carte", options, (8, "Noé"), true, "0"));
    wait_callback(&fake, 2102).await;
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// A guild id whose events Discord sends on `shard` of `total`.
fn guild_on(shard: u64, total: u64) -> u64 {
    (fake::GUILD..).find(|g| (g >> 22) % total == shard).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_shard_gets_its_own_guilds_events_on_its_own_connection() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    watch_gateway();
    let settings = Settings { shards: "0-1/2".parse().unwrap(), ..settings(&base) };
    let bot = ruban_discord::start(settings, core(dir.path()).await).await.unwrap();
    let deadline = Instant::now() + PATIENCE;
    while fake.identifies.lock().unwrap().len() < 2 {
        assert!(Instant::now() < deadline, "two shards never identified");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    ready(&fake).await;
    for (id, shard) in [(2201u64, 0u64), (2202, 1), (2203, 1), (2204, 0)] {
        let options = json!([{"name": "nom", "type": 3, "value": "Zoé"}]);
        let mut i = command(&fake, id, "carte", options, (8, "Noé"), true, "0");
        i["guild_id"] = json!(guild_on(shard, 2).to_string());
        send(&fake, i);
    }
    for (id, shard) in [(2201u64, 0u32), (2202, 1), (2203, 1), (2204, 0)] {
        let cb = wait_callback(&fake, id).await;
        assert!(image::load_from_memory(&cb.files[0].2).is_ok());
        assert_eq!(fake.delivered_on(id), Some(shard), "interaction {id} came on its guild's shard");
    }
    // Each shard numbers its own events: its READY, then its two interactions.
    assert_eq!((fake.last_seq(0), fake.last_seq(1)), (Some(3), Some(3)), "one sequence per shard");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizer_commands_refuse_others_privately_and_in_their_language() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let mut i = command(&fake, 1101, "totaux", json!([]), (9, "Élève"), true, "0");
    i["locale"] = json!("en-US");
    send(&fake, i);
    let cb = wait_callback(&fake, 1101).await;
    assert_eq!(cb.body["data"]["flags"].as_u64().unwrap() & 64, 64, "ephemeral");
    let refusal = cb.body["data"]["content"].as_str().unwrap();
    assert!(refusal.contains("organizers"), "in English: {refusal}");
    send(&fake, command(&fake, 1102, "totaux", json!([]), (7, "Prof"), true, MANAGE_GUILD));
    let cb = wait_callback(&fake, 1102).await;
    assert!(cb.body["data"]["content"].as_str().unwrap().contains("Totaux de la campagne"), "{}", cb.body);
    assert!(cb.files.iter().any(|(_, f, _)| f.ends_with(".csv")), "the CSV is attached");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[test]
fn the_fake_checks_null_and_missing_bodies_and_reads_one_of_as_exactly_one() {
    use axum::http::Method;
    let callback = "/interactions/1/tok/callback";
    assert!(fake::check(&Method::POST, callback, &Value::Null).is_some(), "a callback needs a body");
    let edit = format!("/webhooks/{}/tok/messages/@original", fake::APP_ID);
    assert!(fake::check(&Method::PATCH, &edit, &Value::Null).is_some(), "an edit needs a body");
    assert_eq!(fake::check(&Method::GET, &edit, &Value::Null), None, "a GET has none");
    assert_eq!(fake::check(&Method::DELETE, &edit, &Value::Null), None);
    let one_of = json!({"oneOf": [{"type": "integer"}, {"type": "number"}]});
    assert!(fake::validate(&json!(3), &one_of, "x", 0).is_err(), "3 is both: not exactly one");
    assert!(fake::validate(&json!(3.5), &one_of, "x", 0).is_ok(), "3.5 is a number only");
    let any_of = json!({"anyOf": [{"type": "integer"}, {"type": "number"}]});
    assert!(fake::validate(&json!(3), &any_of, "x", 0).is_ok());
}

/// The fake's 429s, straight to the fake: a route stays closed for its retry_after, a global
/// one closes every route, and a request that comes too early is counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fake_keeps_a_route_closed_for_its_retry_after() {
    let (fake, base) = fake::start().await;
    *fake.latency_ms.lock().unwrap() = 0..1;
    let http = reqwest::Client::new();
    let url = format!("{base}/api/v10/gateway");
    // Long enough that the next request surely comes sooner, even on a loaded machine.
    fake.rate_limit("/gateway", 1.5, false);
    let first = http.get(&url).send().await.unwrap();
    assert_eq!(first.status().as_u16(), 429);
    assert_eq!(first.headers()["retry-after"], "2", "the header rounds up");
    let body: Value = first.json().await.unwrap();
    assert_eq!(body["retry_after"], 1.5);
    assert!(body.get("code").is_none(), "Discord's 429 body has no code");
    let early = http.get(&url).send().await.unwrap();
    assert_eq!(early.status().as_u16(), 429, "still closed");
    assert_eq!(fake.early.lock().unwrap().len(), 1);
    tokio::time::sleep(Duration::from_millis(1550)).await;
    assert_eq!(http.get(&url).send().await.unwrap().status().as_u16(), 200, "open again");
    fake.rate_limit("/gateway", 30.0, true);
    assert_eq!(http.get(&url).send().await.unwrap().status().as_u16(), 429);
    let other = http.get(format!("{base}/api/v10/applications/{}/commands", fake::APP_ID)).send().await.unwrap();
    assert_eq!(other.status().as_u16(), 429, "a global limit closes every route");
    assert_eq!(fake.early.lock().unwrap().len(), 1, "a path that was not told is not early");
    assert_eq!(http.get(&url).send().await.unwrap().status().as_u16(), 429);
    assert_eq!(fake.early.lock().unwrap().len(), 2, "the path that was told is");
}

/// How a client Discord closed for good showed that its shard can never identify again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ended {
    /// Every thread of its runtime is gone: none of its code runs any more.
    ClientGone,
    /// Its shard's runner ended; serenity started the shard once and never asked again.
    RunnerEnded,
}

/// What [`until_it_can_never_identify_again`] saw.
struct End {
    how: Ended,
    /// From the call until the event.
    took: Duration,
    /// CPU used by the client's threads meanwhile.
    cpu: Duration,
    /// The client's threads still alive then (its runtime's threads, named after it).
    alive: usize,
}

/// Waits (every 20 ms, at most [`PATIENCE`]) for the event after which `bot`'s only shard can
/// never identify again, which Discord closed for good before the call: all the client's
/// threads are gone, or serenity says the shard's runner ended and the shard was never asked
/// to start again ([`fake::ShardLog::ended_for_good`]). The shard must not identify again
/// meanwhile. Not a window of "long enough": a runner that loops on the closed socket, or a
/// client that reconnects, never gets there, and fails here.
///
/// "All gone" is no vacuous truth: the close reached `bot` at all because the adapter's watch
/// read the client's number in the name of the thread serenity logged it on.
async fn until_it_can_never_identify_again(fake: &Fake, bot: &Running) -> End {
    let asked = Instant::now();
    let mut threads = fake::Threads::of("self", &format!("ruban-dc-{}", bot.client_number()));
    threads.poll();
    let before = threads.cpu();
    loop {
        let alive = threads.poll();
        let said = serenity_said(bot);
        let how = if alive == 0 {
            Some(Ended::ClientGone)
        } else {
            fake::ShardLog::read(&said, 0).ended_for_good().then_some(Ended::RunnerEnded)
        };
        let identifies = fake.identifies.lock().unwrap().len();
        assert_eq!(identifies, 1, "the shard identified again after a fatal close; serenity said:\n{said}");
        if let Some(how) = how {
            return End { how, took: asked.elapsed(), cpu: threads.cpu().saturating_sub(before), alive };
        }
        assert!(
            asked.elapsed() < PATIENCE,
            "never shown unable to identify again: {alive} threads of the client alive; serenity said:\n{said}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_configuration_identifies_shard_0_of_1_and_nothing_else() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let shards = identified_after_a_reidentify(&fake, 1).await;
    assert_eq!(shards, vec![json!([0, 1]), json!([0, 1])], "exactly the configured shard, then itself again");
    assert!(fake.closes.lock().unwrap().is_empty(), "no close: {:?}", fake.closes.lock().unwrap());
    // Nor an IDENTIFY sooner than Discord allows (one per five seconds per bucket).
    fake.assert_nothing_refused();
    let deadline = Instant::now() + PATIENCE;
    while bot.probe()().await.is_err() {
        assert!(Instant::now() < deadline, "never ready again after the re-identify");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    bot.shutdown().await;
}

/// The shards that identified, in order, once `configured` shards have identified and one of
/// them was asked to identify again (op 9, not resumable).
///
/// Not a window of "long enough": serenity's shard queuer takes boots one at a time, in the
/// order they were asked for, five seconds apart. Every shard the configuration starts is
/// asked for at start-up, so a shard started by mistake is queued ahead of the re-identify,
/// which is asked for afterwards: it identifies first, and the list shows it.
async fn identified_after_a_reidentify(fake: &Fake, configured: usize) -> Vec<Value> {
    let deadline = Instant::now() + PATIENCE;
    while fake.identifies.lock().unwrap().len() < configured {
        assert!(Instant::now() < deadline, "the configured shards never identified");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    fake.invalidate_session();
    while fake.identifies.lock().unwrap().len() < configured + 1 {
        assert!(Instant::now() < deadline, "no shard identified again after op 9");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    fake.identifies.lock().unwrap().iter().map(|d| d["shard"].clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_range_of_shards_identifies_each_configured_shard_once() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    watch_gateway();
    let settings = Settings { shards: "2-3/4".parse().unwrap(), ..settings(&base) };
    let bot = ruban_discord::start(settings, core(dir.path()).await).await.unwrap();
    let shards = identified_after_a_reidentify(&fake, 2).await;
    assert_eq!(shards[..2], [json!([2, 4]), json!([3, 4])], "shards 2 and 3 of 4, once each");
    assert!(
        shards[2] == json!([2, 4]) || shards[2] == json!([3, 4]),
        "then one of them again, nothing else: {shards:?}"
    );
    assert!(fake.closes.lock().unwrap().is_empty());
    // serenity's queue spaces the IDENTIFYs by five seconds, as max_concurrency 1 asks.
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// One fatal close: the shard stops for good, without spinning, and says why.
struct FatalRun {
    code: u16,
    end: End,
    identifies: usize,
    why: String,
    stop: Duration,
}

async fn a_fatal_close(code: u16) -> FatalRun {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    *fake.close_next_identify.lock().unwrap() = Some(code);
    let bot = start(&base, dir.path()).await;
    let probe = bot.probe();
    let deadline = Instant::now() + PATIENCE;
    let why = loop {
        let closes = bot.fatal_closes();
        if !closes.is_empty() {
            assert_eq!(closes.len(), 1);
            assert_eq!((closes[0].shard, closes[0].code), (0, code));
            break probe().await.expect_err("not ready after a fatal close");
        }
        assert!(Instant::now() < deadline, "{code}: the fatal close was never seen");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    // A shard that loops burns CPU until it ends, and one that reconnects identifies again
    // (serenity reconnects five seconds after a close): neither gets to the end.
    let end = until_it_can_never_identify_again(&fake, &bot).await;
    let identifies = fake.identifies.lock().unwrap().len();
    let stopped = Instant::now();
    tokio::time::timeout(Duration::from_secs(10), bot.shutdown()).await.expect("shut down within 10 s");
    FatalRun { code, end, identifies, why, stop: stopped.elapsed() }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fatal_gateway_closes_stop_the_shard_once_without_spinning_and_readyz_says_why() {
    // Meanwhile the test's own runtime (the one the web side would run on) keeps ticking, from
    // the first start to the last shutdown.
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let ticking = tokio::spawn({
        let done = done.clone();
        async move {
            let mut worst = Duration::ZERO;
            let mut last = Instant::now();
            while !done.load(std::sync::atomic::Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(25)).await;
                worst = worst.max(last.elapsed());
                last = Instant::now();
            }
            worst
        }
    });
    let runs = futures_join_all([4004, 4010, 4011, 4012, 4013, 4014].map(a_fatal_close)).await;
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    for FatalRun { code, end, identifies, why, stop } in &runs {
        eprintln!(
            "close {code}: {:?} {:?} after the close, {:?} of CPU meanwhile, {identifies} IDENTIFY, stopped in {stop:?}: {why}",
            end.how, end.took, end.cpu
        );
        assert!(end.cpu < Duration::from_millis(700), "{code}: the client spun: {:?} of CPU", end.cpu);
        // serenity 0.12.5 would identify again five seconds after a 4012, for ever: the
        // adapter stops that client (see ruban_discord::gateway).
        assert_eq!(*identifies, 1, "{code}: the shard identified again");
        assert!(why.contains(&format!("shard 0 closed by Discord with {code}")), "{code}: {why}");
    }
    // The threads the test follows are the adapter's: some client that kept its runtime had
    // them alive at its end (so "all gone" above was not a wrong name).
    assert!(runs.iter().any(|r| r.end.how == Ended::RunnerEnded && r.end.alive > 0), "no client thread by its name");
    let worst = ticking.await.unwrap();
    // Measured, printed; the ceiling only catches a runtime blocked outright (a loaded machine
    // preempts a tick now and then).
    eprintln!("the test's runtime ticked every 25 ms; its longest gap: {worst:?}");
    assert!(worst < Duration::from_secs(10), "the rest of the process stalled for {worst:?}");
}

/// A 4012 stops its client for good, while another client in the same process (other shards,
/// another token) keeps answering, and both still shut down quickly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_4012_the_client_stops_for_good_and_another_client_keeps_answering() {
    let (healthy_fake, healthy_base) = fake::start().await;
    let healthy_dir = tempfile::tempdir().unwrap();
    let healthy = start(&healthy_base, healthy_dir.path()).await;
    ready(&healthy_fake).await;

    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    *fake.close_next_identify.lock().unwrap() = Some(4012);
    let bot = start(&base, dir.path()).await;
    let deadline = Instant::now() + PATIENCE;
    while bot.fatal_closes().is_empty() {
        assert!(Instant::now() < deadline, "the 4012 was never seen");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // A card asked of the healthy client while the other one stops is answered.
    let options = json!([{"name": "nom", "type": 3, "value": "Zoé"}]);
    send(&healthy_fake, command(&healthy_fake, 1701, "carte", options, (8, "Noé"), true, "0"));
    // serenity would identify again five seconds after the close; the whole client stops
    // instead, its runtime's threads with it.
    let end = until_it_can_never_identify_again(&fake, &bot).await;
    eprintln!(
        "4012: {:?} {:?} after the close, {:?} of CPU meanwhile by the stopped client",
        end.how, end.took, end.cpu
    );
    assert_eq!(end.how, Ended::ClientGone, "after a 4012 the whole client stops");
    assert_eq!(fake.identifies.lock().unwrap().len(), 1, "exactly one IDENTIFY, and none can follow");
    assert!(end.cpu < Duration::from_millis(100), "the stopped client used {:?} of CPU", end.cpu);
    let mut healthy_threads = fake::Threads::of("self", &format!("ruban-dc-{}", healthy.client_number()));
    assert!(healthy_threads.poll() > 0, "the healthy client's threads are seen by their name");
    let cb = wait_callback(&healthy_fake, 1701).await;
    assert!(image::load_from_memory(&cb.files[0].2).is_ok(), "the other client answered with a card");
    let why = bot.probe()().await.expect_err("not ready after a 4012");
    assert!(why.contains("shard 0 closed by Discord with 4012 (invalid API version"), "{why}");
    assert_eq!(healthy.probe()().await, Ok(()), "the other client is still connected");

    // The healthy client still answers after the other one stopped, and both stop at once.
    let options = json!([{"name": "nom", "type": 3, "value": "Léa"}]);
    send(&healthy_fake, command(&healthy_fake, 1702, "carte", options, (8, "Noé"), true, "0"));
    wait_callback(&healthy_fake, 1702).await;
    let asked = Instant::now();
    tokio::time::timeout(Duration::from_secs(10), bot.shutdown()).await.expect("the stopped client shuts down");
    tokio::time::timeout(Duration::from_secs(10), healthy.shutdown()).await.expect("the healthy client shuts down");
    eprintln!("both clients shut down in {:?}", asked.elapsed());
    healthy_fake.assert_nothing_refused();
    fake.assert_nothing_refused();
}

async fn futures_join_all<F: std::future::Future + Send + 'static>(futures: [F; 6]) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::new();
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_region_question_offers_all_18_regions_in_a_menu_and_the_choice_is_kept() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    for (id, locale, first, saguenay) in [
        (1201u64, "fr", "Bas-Saint-Laurent", "Saguenay–Lac-Saint-Jean"),
        (1211, "en-US", "Bas-Saint-Laurent", "Saguenay–Lac-Saint-Jean"),
    ] {
        let mut i = command(&fake, id, "ruban", json!([]), (id, "Élève"), true, "0");
        i["locale"] = json!(locale);
        send(&fake, i);
        wait_callback(&fake, id).await;
        let follow = fake.wait_for_n("POST", &format!("/webhooks/{}/itok-{id}", fake::APP_ID), 2, PATIENCE).await;
        let menu = follow
            .iter()
            .find_map(|c| {
                let row = &c.body["components"][0]["components"][0];
                (row["type"] == 3).then(|| row.clone())
            })
            .unwrap_or_else(|| panic!("no select menu in {:?}", follow.iter().map(|c| &c.body).collect::<Vec<_>>()));
        let options = menu["options"].as_array().unwrap();
        assert_eq!(options.len(), 18, "all 18 regions: {menu}");
        assert_eq!(options[0]["label"], first);
        let pick = options.iter().find(|o| o["label"] == saguenay).expect("Saguenay–Lac-Saint-Jean, whole");
        let chosen = pick["value"].as_str().unwrap().to_owned();
        let menu_message = follow.iter().find(|c| c.body["components"][0]["components"][0]["type"] == 3).unwrap();
        let mut pick_click = click(id + 1, menu["custom_id"].as_str().unwrap(), &json!(null), (id, "Élève"));
        pick_click["data"] = json!({"custom_id": menu["custom_id"], "component_type": 3, "values": [chosen]});
        let shown = fake
            .messages
            .lock()
            .unwrap()
            .values()
            .find(|m| m["components"] == menu_message.body["components"])
            .cloned()
            .expect("the menu's message");
        pick_click["message"] = shown;
        pick_click["locale"] = json!(locale);
        send(&fake, pick_click);
        let cb = wait_callback(&fake, id + 1).await;
        let text = cb.body["data"]["content"].as_str().unwrap_or_default().to_owned();
        assert!(text.contains("Saguenay"), "the choice is confirmed: {}", cb.body);
    }
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manage_server_in_a_guild_that_is_not_configured_gives_no_campaign_wide_totals() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let mut i = command(&fake, 1301, "totaux", json!([]), (7, "Prof"), true, MANAGE_GUILD);
    i["guild_id"] = json!("931000000000000009"); // a guild anyone could have just created
    send(&fake, i);
    let cb = wait_callback(&fake, 1301).await;
    assert_eq!(cb.body["data"]["flags"].as_u64().unwrap() & 64, 64, "a private refusal");
    assert!(cb.files.is_empty(), "no totals: {}", cb.body);
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_names_and_messages_never_become_markdown_or_links() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let options = json!([{"name": "nom", "type": 3, "value": "**Zoé** _la_ ~~grande~~ #1 <@123>"}]);
    send(&fake, command(&fake, 1401, "carte", options, (8, "Noé"), true, "0"));
    let cb = wait_callback(&fake, 1401).await;
    let content = cb.body["data"]["content"].as_str().unwrap();
    assert!(content.contains(r"\*\*Zoé\*\* \_la\_ \~\~grande\~\~ #1 \<@123>"), "escaped: {content}");
    assert_eq!(cb.body["data"]["flags"].as_u64().unwrap() & 4, 4, "no link previews (SUPPRESS_EMBEDS)");
    // A link in a name or message is refused before any card is drawn.
    let options = json!([{"name": "nom", "type": 3, "value": "[Zoé](https://example.com/x)"}]);
    send(&fake, command(&fake, 1402, "carte", options, (8, "Noé"), true, "0"));
    let cb = wait_callback(&fake, 1402).await;
    assert!(cb.files.is_empty(), "no card with a link: {}", cb.body);
    let options = json!([{"name": "nom", "type": 3, "value": "Zoé"}, {"name": "message", "type": 3, "value": "va voir discord.gg/abcd"}]);
    send(&fake, command(&fake, 1403, "carte", options, (8, "Noé"), true, "0"));
    let cb = wait_callback(&fake, 1403).await;
    assert!(cb.files.is_empty(), "no card with a link: {}", cb.body);
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_a_class_by_command_edits_the_counter_itself_and_sends_the_badge() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let (message, join) = open_class(&fake, 1500).await;
    for n in 0..3u64 {
        send(&fake, click(1510 + n, &join, &message, (6000 + n, "Élève")));
    }
    wait_shown(&fake, 1500, 3).await;
    let options = json!([{"name": "fermer", "type": 5, "value": true}]);
    send(&fake, command(&fake, 1520, "classe", options, (7, "Prof"), true, MANAGE_GUILD));
    let cb = wait_callback(&fake, 1520).await;
    assert!(cb.files.iter().any(|(_, f, _)| f.ends_with(".png")), "the class badge answers the command: {}", cb.body);
    let counter = wait_closed(&fake, 1500).await;
    assert_eq!(count_shown(&counter), Some(3), "{counter}");
    let counters = fake.messages.lock().unwrap().values().filter(|m| m["content"] == counter["content"]).count();
    assert_eq!(counters, 1, "no second counter was posted");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_restart_closing_by_command_still_edits_the_counter_itself() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let first = start(&base, dir.path()).await;
    ready(&fake).await;
    let (message, join) = open_class(&fake, 1600).await;
    send(&fake, click(1610, &join, &message, (6100, "Élève")));
    wait_shown(&fake, 1600, 1).await;
    first.shutdown().await;
    // Another process (here: the same one restarted) holds no token for the counter. Discord
    // starts a bot's sessions five seconds apart (op 9 for a sooner IDENTIFY): it starts when
    // it may.
    tokio::time::sleep(fake.bucket_opens_in(0)).await;
    let second = start(&base, dir.path()).await;
    fake.wait_for_n("PUT", "/commands", 2, PATIENCE).await;
    let options = json!([{"name": "fermer", "type": 5, "value": true}]);
    send(&fake, command(&fake, 1620, "classe", options, (7, "Prof"), true, MANAGE_GUILD));
    let cb = wait_callback(&fake, 1620).await;
    assert!(cb.files.iter().any(|(_, f, _)| f.ends_with(".png")), "the class badge: {}", cb.body);
    let counter = wait_closed(&fake, 1600).await;
    assert_eq!(count_shown(&counter), Some(1), "{counter}");
    assert_eq!(fake.count_matching("PATCH", "/channels/"), 1, "edited with the bot's token, where the store said");
    fake.assert_nothing_refused();
    second.shutdown().await;
}

/// Issue 14, report and review on Discord: a card in a guild carries « Signaler »; another
/// member's click is told privately who may report (nothing reported), the recipient's and a
/// moderator's (Manage Messages) clicks report it, privately thanked and never told who sent
/// it; once an organizer blocks the sender, their next card is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_that_hurt_is_reported_by_its_recipient_or_a_moderator_and_its_sender_blocked() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let card =
        |id: u64| with_resolved(command(&fake, id, "carte", card_options(77), (12, "Noah"), true, "0"), 77, "Léa");
    let private_text = |cb: &fake::Call| {
        assert_eq!(cb.body["type"], 4, "{}", cb.body);
        assert_eq!(cb.body["data"]["flags"].as_u64().unwrap_or(0) & 64, 64, "private: {}", cb.body);
        cb.body["data"]["content"].as_str().unwrap().to_owned()
    };
    send(&fake, card(601));
    wait_callback(&fake, 601).await;
    let message = loop {
        if let Some(m) = fake.message_of(601).filter(|m| m["components"].as_array().is_some_and(|c| !c.is_empty())) {
            break m;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let report = message["components"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row["components"].as_array().unwrap().iter())
        .find_map(|b| b["custom_id"].as_str().filter(|id| id.starts_with("s:")).map(str::to_owned))
        .expect("a « Signaler » button");
    send(&fake, click(602, &report, &message, (13, "Autre")));
    assert!(private_text(&wait_callback(&fake, 602).await).contains("Seule la personne"));
    send(&fake, click(603, &report, &message, (77, "Léa")));
    let thanks = private_text(&wait_callback(&fake, 603).await);
    assert!(thanks.contains("Merci de nous l") && !thanks.contains("Noah"), "{thanks}");
    let mut by_moderator = click(604, &report, &message, (40, "Mme Roy"));
    by_moderator["member"]["permissions"] = json!("8192");
    send(&fake, by_moderator);
    assert!(private_text(&wait_callback(&fake, 604).await).contains("Merci de nous l"));

    let store = Store::open(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await.unwrap();
    let queue = store.reports(2026, 10).await.unwrap();
    assert_eq!(queue.len(), 2, "the recipient's and the moderator's reports, not the other member's");
    assert!(store.review_report(queue[0].id, ruban_store::Review::Block).await.unwrap());
    store.close().await;
    send(&fake, card(605));
    let refused = wait_callback(&fake, 605).await;
    let text = refused.body["data"]["content"].as_str().unwrap_or_default().to_owned();
    assert!(text.contains("Tu ne peux plus envoyer de cartes"), "{}", refused.body);
    assert!(refused.files.is_empty(), "no card");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// Issue 14, wall pre-moderation on Discord: `/classe approbation:true` from a member who
/// manages the server turns it on for the channel's class; from a pupil, it is refused.
/// Issue 15: `/certificat` for the adults in charge of a server: the certificate comes back
/// ephemeral (the pupil it names may be in the channel), as an image and a PDF; a pupil gets a
/// refusal and no certificate.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_by_slash_command_is_for_the_adult_alone() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let options = json!([{"name": "nom", "type": 3, "value": "Zoé"}, {"name": "raison", "type": 3, "value": "pour son courage en lecture"}]);
    send(&fake, command(&fake, 801, "certificat", options.clone(), (55, "Élève"), true, "0"));
    let refused = wait_callback(&fake, 801).await;
    assert!(refused.files.is_empty(), "no certificate for a pupil");
    assert!(refused.body["data"]["content"].as_str().unwrap().contains("responsables"), "{}", refused.body);
    send(&fake, command(&fake, 802, "certificat", options, (7, "Prof"), true, MANAGE_GUILD));
    let cb = wait_callback(&fake, 802).await;
    let flags = cb.body["data"]["flags"].as_u64().unwrap_or(0);
    assert_eq!(flags & 64, 64, "ephemeral: {}", cb.body);
    let png = cb.files.iter().find(|f| f.1.ends_with(".png")).expect("the certificate as an image");
    assert_eq!(image::load_from_memory(&png.2).unwrap().width(), 3300);
    let pdf = cb.files.iter().find(|f| f.1.ends_with(".pdf")).expect("and as a PDF");
    assert!(pdf.2.starts_with(b"%PDF-"));
    let registered = fake.calls_matching("PUT", "/commands").remove(0);
    let certificat = registered.body.as_array().unwrap().iter().find(|c| c["name"] == "certificat").unwrap().clone();
    assert_eq!(certificat["name_localizations"]["en-US"], "certificate");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// Issue 15: `/vert photo:` on a server: the photo, fetched from Discord's CDN at the URL the
/// interaction gave, comes back framed for Jeudi perséVERT in the channel (a JPEG showing the
/// photo sent), and the green wave counts it. An attachment that is no image is refused kindly,
/// is never downloaded, and counts nothing. The command is registered with a required
/// attachment option.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_by_slash_command_comes_back_framed_and_joins_the_green_wave() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let green = image::RgbImage::from_pixel(1600, 1200, image::Rgb([30, 170, 70]));
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(green)
        .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let photo = (jpeg, "classe-en-vert.jpg", "image/jpeg");
    send(&fake, fake::command_with_attachment(&fake, 811, "vert", "photo", photo, (55, "Élève")));
    let cb = wait_callback(&fake, 811).await;
    let flags = cb.body["data"]["flags"].as_u64().unwrap_or(0);
    assert_eq!(flags & 64, 0, "shared in the channel, not ephemeral: {}", cb.body);
    let framed = cb.files.iter().find(|f| f.1.ends_with(".jpg")).expect("the framed photo");
    let framed = image::load_from_memory(&framed.2).unwrap().to_rgb8();
    assert_eq!(framed.dimensions(), (1080, 1080));
    let p = framed.get_pixel(540, 400);
    assert!(p[1] > 140 && p[0] < 70 && p[2] < 110, "the photo inside the frame: {p:?}");
    let said = cb.body["data"]["content"].as_str().unwrap_or_default();
    assert!(said.contains("#perséVERT2026"), "{said}");
    assert_eq!(fake.downloads.lock().unwrap().len(), 1, "fetched once from the CDN");

    let pdf = (b"%PDF-1.4 not a photo".to_vec(), "devoir.pdf", "application/pdf");
    send(&fake, fake::command_with_attachment(&fake, 812, "vert", "photo", pdf, (55, "Élève")));
    let refused = wait_callback(&fake, 812).await;
    assert!(refused.files.is_empty());
    let said = refused.body["data"]["content"].as_str().unwrap_or_default();
    assert!(said.contains("n’arrive pas à lire"), "{}", refused.body);
    assert_eq!(fake.downloads.lock().unwrap().len(), 1, "a file that is no image is never fetched");

    let registered = fake.calls_matching("PUT", "/commands").remove(0);
    let vert = registered.body.as_array().unwrap().iter().find(|c| c["name"] == "vert").unwrap().clone();
    assert_eq!(vert["name_localizations"]["en-US"], "green");
    let option = &vert["options"][0];
    assert_eq!((option["type"].as_u64(), option["required"].as_bool()), (Some(11), Some(true)), "{vert}");
    bot.shutdown().await;
    let store = Store::open(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await.unwrap();
    assert_eq!(store.green_photos(2026).await.unwrap(), 1);
    fake.assert_nothing_refused();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_members_in_charge_ask_for_approval_of_a_classs_messages() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    open_class(&fake, 701).await;
    let approval = json!([{"name": "approbation", "type": 5, "value": true}]);
    send(&fake, command(&fake, 702, "classe", approval.clone(), (55, "Élève"), true, "0"));
    let refused = wait_callback(&fake, 702).await;
    assert!(
        refused.body["data"]["content"].as_str().unwrap().contains("Seules les personnes responsables"),
        "{}",
        refused.body
    );
    send(&fake, command(&fake, 703, "classe", approval, (7, "Prof"), true, MANAGE_GUILD));
    let on = wait_callback(&fake, 703).await;
    assert!(on.body["data"]["content"].as_str().unwrap().contains("une fois approuvés"), "{}", on.body);
    let registered = fake.calls_matching("PUT", "/commands").remove(0);
    let classe = registered.body.as_array().unwrap().iter().find(|c| c["name"] == "classe").unwrap().clone();
    let option = classe["options"].as_array().unwrap().iter().find(|o| o["name"] == "approbation").unwrap().clone();
    assert_eq!(option["name_localizations"]["en-US"], "approval");

    // The teacher's page: for the adult in charge only, and only for them (ephemeral).
    let teacher = json!([{"name": "enseignant", "type": 5, "value": true}]);
    send(&fake, command(&fake, 704, "classe", teacher.clone(), (55, "Élève"), true, "0"));
    let refused = wait_callback(&fake, 704).await;
    let said = refused.body["data"]["content"].as_str().unwrap();
    assert!(said.contains("Seules les personnes responsables") && !said.contains("/enseignant/"), "{}", refused.body);
    send(&fake, command(&fake, 705, "classe", teacher, (7, "Prof"), true, MANAGE_GUILD));
    let link = wait_callback(&fake, 705).await;
    assert!(link.body["data"]["content"].as_str().unwrap().contains("/enseignant/"), "{}", link.body);
    assert_eq!(link.body["data"]["flags"].as_u64().unwrap_or(0) & 64, 64, "ephemeral: {}", link.body);
    let option = classe["options"].as_array().unwrap().iter().find(|o| o["name"] == "enseignant").unwrap().clone();
    assert_eq!(option["name_localizations"]["en-US"], "teacher");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// Issue 34: in a class channel, a card the scorer is unsure of is not drawn: the pupil is
/// told, for them alone, that an adult will read it; once the class's adult approves it, the
/// bot posts it in the channel, once, from the outbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uncertain_card_in_a_class_waits_for_its_adult_and_arrives_once_approved() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    watch_gateway();
    let core = core(dir.path()).await;
    let bot = ruban_discord::start(settings(&base), core.clone()).await.unwrap();
    ready(&fake).await;
    open_class(&fake, 501).await;
    let uncertain = ruban_tests::moderation::an_uncertain_message();
    let options = json!([
        {"name": "destinataire", "type": 6, "value": "4242"},
        {"name": "modele", "type": 3, "value": "oser"},
        {"name": "message", "type": 3, "value": uncertain}
    ]);
    send(&fake, with_resolved(command(&fake, 502, "carte", options, (903, "Noah"), true, "0"), 4242, "Zoé"));
    let told = wait_callback(&fake, 502).await;
    assert!(
        told.body["data"]["content"].as_str().unwrap().contains("Une personne adulte de ta classe"),
        "{}",
        told.body
    );
    assert_eq!(told.body["data"]["flags"].as_u64().unwrap() & 64, 64, "for the pupil alone: {}", told.body);
    let held = core.store().held_cards(None, 10).await.unwrap();
    assert_eq!(held.len(), 1, "{held:?}");

    let approved =
        core.approve_held_card(ruban_vocabulary::Locale::FrCa, Some(&held[0].card.class_code), held[0].id).await;
    assert!(approved.unwrap().is_some_and(|a| a.sent_to_chat));
    let posted = fake.wait_for_n("POST", &format!("/channels/{}/messages", fake::CHANNEL), 1, PATIENCE).await.remove(0);
    assert!(posted.body["content"].as_str().unwrap().contains("Une carte pour Zoé"), "{}", posted.body);
    assert_eq!(posted.body["allowed_mentions"]["parse"], json!([]), "mentions nobody: {}", posted.body);
    let (_, _, png) = posted.files.first().expect("the card as a file");
    let img = image::load_from_memory(png).unwrap();
    assert_eq!((img.width(), img.height()), (1080, 1080));
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    assert_eq!(fake.count_matching("POST", "/messages"), 1, "posted once");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// A slow answer (the store busy: here a writer holds it for 2.6 s) is deferred, and what is
/// private stays private: a certificate is acknowledged privately, so its answer is for the
/// adult alone; a refusal of a public command replaces the public « thinking » placeholder
/// with a follow-up for the asker alone, never an edit the channel sees.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_private_answer_stays_private_when_deferred() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let writer = busy_store(dir.path()).await;
    let asked = Instant::now();
    let certificate = json!([{"name": "nom", "type": 3, "value": "Zoé"}]);
    send(&fake, command(&fake, 2001, "certificat", certificate, (7, "Prof"), true, MANAGE_GUILD));
    let hurtful =
        json!([{"name": "nom", "type": 3, "value": "Zoé"}, {"name": "message", "type": 3, "value": "t'es laide"}]);
    send(&fake, command(&fake, 2002, "carte", hurtful, (8, "Noé"), true, "0"));
    let (first, second) = (wait_callback(&fake, 2001).await, wait_callback(&fake, 2002).await);
    tokio::time::sleep_until((asked + Duration::from_millis(2600)).into()).await;
    free_store(writer).await;
    assert_eq!(first.body["type"], 5, "deferred: {}", first.body);
    assert_eq!(first.body["data"]["flags"].as_u64().unwrap_or(0) & 64, 64, "privately: {}", first.body);
    let edit = format!("/webhooks/{}/itok-2001/messages/@original", fake::APP_ID);
    let certificate = fake.wait_for_n("PATCH", &edit, 1, PATIENCE).await.remove(0);
    assert!(certificate.files.iter().any(|(_, f, _)| f.ends_with(".pdf")), "{}", certificate.body);

    assert_eq!(second.body["type"], 5, "deferred: {}", second.body);
    let placeholder = format!("/webhooks/{}/itok-2002/messages/@original", fake::APP_ID);
    fake.wait_for_n("DELETE", &placeholder, 1, PATIENCE).await;
    let follow = fake.wait_for_n("POST", &format!("/webhooks/{}/itok-2002", fake::APP_ID), 1, PATIENCE).await.remove(0);
    assert_eq!(follow.body["flags"].as_u64().unwrap_or(0) & 64, 64, "for the asker alone: {}", follow.body);
    assert!(!follow.body["content"].as_str().unwrap_or_default().contains("laide"), "never quoted: {}", follow.body);
    assert_eq!(fake.count_matching("PATCH", &placeholder), 0, "never an edit the channel sees");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// Issue 33: the core's command table is the one list of commands. Every command it lists is
/// driven as a slash command in a class's channel, as a pupil (no permission) and as an adult
/// in charge (Manage Channels), with what Discord requires of its options: none is unknown;
/// what is for a chat's adults is refused to the pupil with the adults' sentence, never to the
/// adult; what is for organizers is refused to both (neither is one here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_of_the_table_is_driven_as_a_channels_adult_and_as_a_pupil() {
    use ruban_core::table::{COMMANDS, OptionKind, Who};
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    const MANAGE_CHANNELS: &str = "16";
    let mut id = 3000;
    let mut walked = 0;
    for spec in COMMANDS.iter().filter(|c| c.listed) {
        // Discord asks for required options before sending; a photo is the one this walk
        // cannot give (the /vert tests attach one).
        if spec.options.iter().any(|o| o.required && o.kind == OptionKind::Photo) {
            continue;
        }
        let options: Vec<Value> = spec
            .options
            .iter()
            .filter(|o| o.required)
            .map(|o| json!({"name": o.fr, "type": 3, "value": "Zoé"}))
            .collect();
        let mut heard = Vec::new();
        for (user, permissions) in [(41u64, "0"), (40, MANAGE_CHANNELS)] {
            id += 1;
            send(&fake, command(&fake, id, spec.fr, json!(options), (user, "Noé"), true, permissions));
            let callback = wait_callback(&fake, id).await;
            // A deferred answer arrives by editing the original message.
            let deadline = Instant::now() + PATIENCE;
            let text = loop {
                let now = fake.message_of(id).and_then(|m| m["content"].as_str().map(str::to_owned));
                match (callback.body["data"]["content"].as_str(), now) {
                    (_, Some(text)) if !text.is_empty() => break text,
                    (Some(text), _) if callback.body["type"] != 5 => break text.to_owned(),
                    _ => {}
                }
                if fake.message_of(id).is_some_and(|m| m["attachments"].as_array().is_some_and(|a| !a.is_empty())) {
                    break String::new();
                }
                assert!(Instant::now() < deadline, "/{} from {user} got no answer", spec.fr);
                tokio::time::sleep(Duration::from_millis(50)).await;
            };
            heard.push(text);
        }
        walked += 1;
        let (pupil, adult) = (&heard[0], &heard[1]);
        for (who, text) in [("pupil", pupil), ("adult", adult)] {
            assert!(!text.contains("Je ne connais pas cette commande"), "/{} ({who}): {text}", spec.fr);
        }
        let adults_only = "Seules les personnes responsables du groupe";
        let organizers_only = "réservée aux organisatrices et organisateurs";
        match spec.who {
            Who::Anyone => assert!(!pupil.contains(adults_only) && !pupil.contains(organizers_only), "{pupil}"),
            Who::ChatAdults => {
                assert!(pupil.contains(adults_only), "/{} is refused to a pupil: {pupil}", spec.fr);
                assert!(!adult.contains(adults_only), "/{} is the adult's: {adult}", spec.fr);
            }
            Who::Organizers => {
                assert!(pupil.contains(organizers_only) && adult.contains(organizers_only), "/{}", spec.fr);
            }
        }
    }
    assert_eq!(walked, COMMANDS.iter().filter(|c| c.listed).count() - 1, "every listed command but /vert");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}
