//! The real serenity client, started the way `ruban serve` starts it, against the fake Discord
//! in `tests/fake` (spec-checked REST, a gateway that can drop and resume).

mod fake;

use std::sync::Arc;
use std::time::{Duration, Instant};

use fake::{Fake, answered_message, assert_readable, click, command};
use ruban_core::Limits;
use ruban_discord::{Registration, Running, Settings, Shards};
use ruban_store::Store;
use serde_json::{Value, json};

const PATIENCE: Duration = Duration::from_secs(15);
/// Manage Server.
const MANAGE_GUILD: &str = "32";

async fn core(dir: &std::path::Path) -> Arc<ruban_core::Bot> {
    let store = Store::open(&format!("sqlite://{}", dir.join("ruban.db").display())).await.unwrap();
    let campaign = card_renderer::Campaign::embedded();
    let assets = card_renderer::Assets::with_campaign(campaign.clone()).unwrap();
    let config = ruban_core::Config {
        campaign,
        secret: b"discord test secret, 32 bytes...".to_vec(),
        limits: Limits { cards_per_day: 10_000, ..Limits::default() },
    };
    Arc::new(ruban_core::Bot::new(store, assets, config).await.unwrap())
}

async fn start(base: &str, dir: &std::path::Path) -> Running {
    let settings = Settings {
        token: "FAKE.BOT.TOKEN".into(),
        api_url: Some(base.into()),
        shards: Shards::default(),
        registration: Registration::Global,
        organizer_roles: Vec::new(),
    };
    ruban_discord::start(settings, core(dir).await).await.unwrap()
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
    assert_eq!(cb.body["type"], 4);
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
    (answered_message(fake, &cb.body), join)
}

fn count_in(call: &fake::Call) -> Option<u64> {
    let text = call.body["data"]["content"].as_str()?;
    text.split_whitespace()
        .collect::<Vec<_>>()
        .windows(2)
        .find_map(|w| (w[1].starts_with("engagement")).then(|| w[0].replace('\u{a0}', "").parse().ok()).flatten())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_of_30_clicking_within_two_seconds_is_counted_exactly() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let (message, join) = open_class(&fake, 700).await;
    let started = Instant::now();
    for n in 0..30u64 {
        send(&fake, click(800 + n, &join, &message, (3000 + n, &format!("Élève {n}"))));
        tokio::time::sleep(Duration::from_millis(2000 / 30)).await;
    }
    let mut counts = Vec::new();
    for n in 0..30u64 {
        let cb = wait_callback(&fake, 800 + n).await;
        assert_eq!(cb.body["type"], 7, "the click updates the counter message");
        assert_eq!(cb.body["data"]["allowed_mentions"], json!({"parse": [], "users": [], "roles": []}));
        counts.push(count_in(&cb).unwrap_or_else(|| panic!("no count in {}", cb.body)));
    }
    eprintln!("30 clicks answered {:?} after the first", started.elapsed());
    assert_eq!(counts.iter().max(), Some(&30), "the final count is exact: {counts:?}");
    let mut sorted = counts.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (1..=30).collect::<Vec<_>>(), "each click saw its own count");
    let store = Store::open(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await.unwrap();
    assert_eq!(store.class_summary(join.strip_prefix("j:").unwrap()).await.unwrap().members, 30);
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
    let cb = wait_callback(&fake, 801).await;
    assert_eq!(count_in(&cb), Some(1));
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(fake.count_matching("POST", "/interactions/801/"), 1);
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// Ten pupils click, five before and five after `disrupt` happens to the gateway; returns the
/// counts each click was answered with, after checking each was answered exactly once.
async fn ten_clicks_across(fake: &Fake, first: u64, disrupt: impl FnOnce(&Fake)) -> Vec<u64> {
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
    let mut counts = Vec::new();
    for n in 0..10u64 {
        counts.push(count_in(&wait_callback(fake, first + n).await).unwrap());
    }
    for n in 0..10u64 {
        assert_eq!(fake.count_matching("POST", &format!("/interactions/{}/", first + n)), 1);
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_gateway_resumes_in_the_middle_of_a_class_and_loses_no_click() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    // Discord replays what the bot missed on RESUME.
    let counts = ten_clicks_across(&fake, 900, Fake::drop_connection).await;
    assert!(!fake.resumes.lock().unwrap().is_empty(), "the shard resumed its session");
    assert_eq!(fake.resumes.lock().unwrap()[0]["session_id"], "session-1");
    assert_eq!(counts.iter().max(), Some(&10), "{counts:?}");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invalid_session_is_identified_again_and_the_class_goes_on() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    let counts = ten_clicks_across(&fake, 950, Fake::invalidate_session).await;
    assert!(fake.identifies.lock().unwrap().len() >= 2, "the shard identified again");
    assert_eq!(counts.iter().max(), Some(&10), "{counts:?}");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_with_retry_after_is_waited_out_and_the_card_arrives_once() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    ready(&fake).await;
    *fake.limit_next_callbacks.lock().unwrap() = 1;
    let options = json!([{"name": "nom", "type": 3, "value": "Zoé"}]);
    send(&fake, command(&fake, 1001, "carte", options, (8, "Noé"), true, "0"));
    let cb = wait_callback(&fake, 1001).await;
    assert!(image::load_from_memory(&cb.files[0].2).is_ok());
    assert_eq!(*fake.limited.lock().unwrap(), 1);
    assert_eq!(fake.count_matching("POST", "/interactions/1001/"), 1);
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
    assert_eq!(cb.body["data"]["flags"], 64, "ephemeral");
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
