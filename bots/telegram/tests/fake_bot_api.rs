//! The real teloxide client, started the way `ruban serve` starts it, against the fake Telegram
//! Bot API of `ruban_tests::telegram` (spec-checked, flood-controlled, as unkind as Telegram).

use std::sync::Arc;
use std::time::{Duration, Instant};

use fake::{
    Fake, before_nth_sent, busy_class, click_update, count_shown, json_param, sent_in, text_update, wait_shown,
};
use ruban_core::Limits;
use ruban_store::Store;
use ruban_telegram::{PaceLimits, Running, Settings};
use ruban_tests::telegram as fake;
use serde_json::{Value, json};

/// A core over a store in `dir` (kept across "restarts").
async fn core(dir: &std::path::Path) -> Arc<ruban_core::Bot> {
    ruban_tests::core::in_dir(dir, Limits { cards_per_day: 10_000, ..Limits::default() }).await.0
}

fn settings(base: &str) -> Settings {
    Settings {
        token: "123:TEST".into(),
        api_url: Some(base.into()),
        pace: PaceLimits::default(),
        // A process that dies holds its updates this long before another takes them over.
        inbox_lease: Some(Duration::from_secs(2)),
        ..Settings::default()
    }
}

async fn start(base: &str, dir: &std::path::Path) -> Running {
    ruban_telegram::start(settings(base), core(dir).await).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_in_a_private_chat_arrives_as_a_photo_and_menus_are_registered_in_both_languages() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    fake.push(text_update(1, 555, 555, "/carte Léa encourager \"Lâche pas @everyone!\""));
    let photo = fake.wait_for("sendphoto").await;
    assert_eq!(photo.params["chat_id"], "555");
    assert!(photo.params["caption"].as_str().unwrap().contains("Voici ta carte pour Léa"));
    assert!(photo.params.get("parse_mode").is_none(), "plain text: nothing typed is read as markup");
    let img = image::load_from_memory(&photo.files["photo"]).unwrap();
    assert_eq!((img.width(), img.height()), (1080, 1080));

    let menus = fake.calls_of("setmycommands");
    assert_eq!(menus.len(), 3, "default, fr and en");
    let names = |lang: Option<&str>| -> Vec<String> {
        let m = menus.iter().find(|c| c.params["language_code"].as_str() == lang).expect("a menu for each language");
        m.params["commands"].as_array().unwrap().iter().map(|c| c["command"].as_str().unwrap().to_owned()).collect()
    };
    assert!(names(Some("fr")).contains(&"oublie_moi".to_owned()));
    assert!(names(None).contains(&"carte".to_owned()));
    assert!(names(Some("en")).contains(&"forget_me".to_owned()));
    let en = menus.iter().find(|c| c.params["language_code"] == "en").unwrap();
    assert_eq!(en.params["commands"][0]["description"], "An encouragement card for someone");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_in_a_group_by_reply_goes_to_the_person_replied_to() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    let mut update = text_update(1, -100_500, 7, "/carte@RubanBot oser");
    update["message"]["reply_to_message"] = json!({"message_id": 900, "date": 1_771_499_000,
        "chat": {"id": -100_500, "type": "supergroup", "title": "5e B"},
        "from": {"id": 99, "is_bot": false, "first_name": "Zoé", "last_name": "Gagnon"}, "text": "J'ai réussi!"});
    fake.push(update);
    let photo = fake.wait_for("sendphoto").await;
    assert_eq!(photo.params["chat_id"], "-100500");
    assert!(photo.params["caption"].as_str().unwrap().contains("Zoé Gagnon"), "{}", photo.params["caption"]);
    assert_eq!(json_param(&photo.params["reply_parameters"])["message_id"], 1001, "answers the command");
    assert!(image::load_from_memory(&photo.files["photo"]).is_ok());
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// Opens a class in group `chat`; returns the class message's id and its join button's data.
async fn open_class(fake: &Fake, update_id: i64, chat: i64) -> (i64, String, Value) {
    fake.push(text_update(update_id, chat, 7, "/classe « 5e B »"));
    let class = fake.wait_for("sendmessage").await;
    let markup = json_param(&class.params["reply_markup"]);
    let join = markup["inline_keyboard"][0][0]["callback_data"]
        .as_str()
        .unwrap_or_else(|| panic!("no join button in {:?}", class.params))
        .to_owned();
    // The fake numbers messages from 1: the class message is the first one sent.
    (1, join, markup)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_of_30_clicking_within_two_seconds_is_counted_exactly_within_the_limits() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    let group = -100_500;
    let (message_id, join, markup) = open_class(&fake, 1, group).await;
    let deep_link = markup["inline_keyboard"][2][0]["url"].as_str().expect("a deep link button").to_owned();
    assert!(deep_link.starts_with("https://t.me/RubanBot?start=classe_"), "{deep_link}");
    let clicks_started = Instant::now();
    for i in 0..30 {
        fake.push(click_update(10 + i, group, message_id, 1000 + i, &join));
        tokio::time::sleep(Duration::from_millis(2000 / 30)).await;
    }
    let answers = fake.wait_for_n("answercallbackquery", 30).await;
    // The fake refuses a second answer to a query, so 30 accepted answers are 30 queries.
    assert_eq!(answers.len(), 30, "every click answered once");
    assert!(answers.iter().all(|a| a.params["text"].as_str().is_some_and(|t| !t.is_empty())), "each with a toast");
    // The final edit shows the exact count (how soon is printed below, not asserted).
    let deadline = Instant::now() + ruban_tests::PATIENCE;
    loop {
        let edits = fake.calls_of("editmessagetext");
        if edits.last().is_some_and(|e| e.params["text"].as_str().unwrap().contains("30 engagements")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no final edit with 30; edits: {:?}",
            edits.iter().map(|e| &e.params["text"]).collect::<Vec<_>>()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let settled = clicks_started.elapsed();
    bot.shutdown().await;
    let edits = fake.calls_of("editmessagetext");
    assert!(edits.len() <= 6, "coalesced: {} edits for 30 clicks", edits.len());
    let in_chat = sent_in(&fake, -100_500);
    assert!(in_chat.len() >= 2, "the class message and its edits: {in_chat:?}");
    for pair in in_chat.windows(2) {
        assert!(pair[1] - pair[0] >= Duration::from_millis(1000), "two messages in the group less than 1 s apart");
    }
    assert!(
        fake.limited.lock().unwrap().is_empty(),
        "Telegram would have said 429: {:?}",
        fake.limited.lock().unwrap()
    );
    fake.assert_nothing_refused();
    let store = Store::open(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await.unwrap();
    let code = join.strip_prefix("j:").unwrap();
    assert_eq!(store.class_summary(code).await.unwrap().members, 30, "30 pledges stored");
    eprintln!("30 clicks: final count shown {settled:?} after the first click, {} edits", edits.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_busy_class_groups_answer_every_click_at_once_and_end_at_the_right_count() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    // As the issue asks: a class of 30 clicking while 20 cards are in flight, in two groups.
    let (first, first_message) = busy_class(&fake, -100_900, 1_000, 20, 30).await;
    let (second, second_message) = busy_class(&fake, -100_901, 2_000, 20, 30).await;
    // Meanwhile, someone in a private chat.
    fake.push(text_update(3_000, 555, 555, "/carte Zoé"));
    let answers = fake.wait_for_n("answercallbackquery", 60).await;
    let handed = fake.handed_out.lock().unwrap().clone();
    let mut slowest = Duration::ZERO;
    for a in &answers {
        let update: i64 = a.params["callback_query_id"].as_str().unwrap().trim_start_matches("cb").parse().unwrap();
        let group = if first.contains(&update) { -100_900 } else { -100_901 };
        assert!(first.contains(&update) || second.contains(&update), "{update}");
        // Not behind the group's queue: answered before its fifth card went out (the fake
        // also refuses an answer later than Telegram's deadline).
        assert!(before_nth_sent(&fake, group, 6, a.at), "the click {update} waited behind the group's cards");
        slowest = slowest.max(a.at.duration_since(handed[&update]));
    }
    // The private chat is not held up by the groups.
    let private = loop {
        if let Some(p) = fake.calls_of("sendphoto").into_iter().find(|c| c.params["chat_id"] == "555") {
            break p;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let private_took = private.at.duration_since(handed[&3_000]);
    for group in [-100_900, -100_901] {
        assert!(before_nth_sent(&fake, group, 6, private.at), "the private card waited behind {group}");
    }
    // Both counters end at 30, after the cards have gone out in their turn (20 messages a
    // minute in a group: the class message and 20 cards take more than a minute).
    wait_shown(&fake, -100_900, first_message, 30, Duration::from_secs(120)).await;
    wait_shown(&fake, -100_901, second_message, 30, Duration::from_secs(120)).await;
    fake.wait_for_n_patient("sendphoto", 41).await;
    eprintln!("busy groups: slowest click answer {slowest:?}, private card in {private_took:?}");
    bot.shutdown().await;
    for group in [-100_900, -100_901] {
        let times = sent_in(&fake, group);
        for pair in times.windows(2) {
            assert!(pair[1] - pair[0] >= Duration::from_millis(1000), "two messages in {group} less than 1 s apart");
        }
    }
    assert!(fake.limited.lock().unwrap().is_empty(), "429s: {:?}", fake.limited.lock().unwrap());
    fake.assert_nothing_refused();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_double_click_sends_no_edit_that_changes_nothing() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    let group = -100_950;
    let (message_id, join, _) = open_class(&fake, 1, group).await;
    fake.push(click_update(10, group, message_id, 1000, &join));
    wait_shown(&fake, group, message_id, 1, Duration::from_secs(10)).await;
    fake.push(click_update(11, group, message_id, 1000, &join));
    fake.push(click_update(12, group, message_id, 1001, &join));
    wait_shown(&fake, group, message_id, 2, Duration::from_secs(10)).await;
    fake.wait_for_n("answercallbackquery", 3).await;
    bot.shutdown().await;
    // The fake refuses an edit identical to what the message shows (« message is not modified »).
    fake.assert_nothing_refused();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_upgraded_to_a_supergroup_gets_its_card_there_and_its_class_follows() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    let (old, new) = (-300, -1_000_000_000_300);
    let (_, join, _) = open_class(&fake, 1, old).await;
    fake.migrated.lock().unwrap().insert(old, new);
    // The group was upgraded before the bot answered this card.
    fake.push(text_update(2, old, 8, "/carte Noé"));
    let photo = fake.wait_for("sendphoto").await;
    assert_eq!(photo.params["chat_id"], new.to_string(), "the card went to the supergroup");
    // In the supergroup, the teacher closes the class opened in the old group.
    fake.push(text_update(3, new, 7, "/classe fermer"));
    let badge = fake.wait_for_n("sendphoto", 2).await.remove(1);
    assert_eq!(badge.params["chat_id"], new.to_string());
    assert!(
        badge.params["caption"].as_str().unwrap_or_default().contains("5e B"),
        "the class badge: {:?}",
        badge.params
    );
    bot.shutdown().await;
    let store = Store::open(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await.unwrap();
    let class = store.class_by_code(join.strip_prefix("j:").unwrap()).await.unwrap().unwrap();
    assert!(!class.is_open, "the class was found and closed from the supergroup");
    let refused = fake.refused.all();
    assert!(refused.iter().all(|r| r.contains("upgraded group")), "{refused:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_process_edits_the_groups_own_counter_and_closes_the_class() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let first = start(&base, dir.path()).await;
    let group = -100_980;
    let (message_id, join, _) = open_class(&fake, 1, group).await;
    first.shutdown().await;
    // Another process (here: after a restart, on the same database) handles the deep link.
    let second = start(&base, dir.path()).await;
    let code = join.strip_prefix("j:").unwrap().to_owned();
    fake.push(text_update(2, 889, 889, &format!("/start classe_{code}")));
    wait_shown(&fake, group, message_id, 1, Duration::from_secs(10)).await;
    let private_counters = fake
        .calls_of("sendmessage")
        .into_iter()
        .filter(|c| c.params["chat_id"] == 889 && c.params["text"].as_str().is_some_and(|t| count_shown(t).is_some()))
        .count();
    assert_eq!(private_counters, 0, "no copy of the counter in the pupil's private chat");

    // The teacher closes the class there too: the class badge comes, and the counter the first
    // process posted loses its buttons (nobody can join a closed class from it).
    fake.push(text_update(3, group, 7, "/classe fermer"));
    let badge = fake.wait_for("sendphoto").await;
    assert_eq!(badge.params["chat_id"].as_str(), Some(group.to_string().as_str()), "in the group (a multipart field)");
    assert!(image::load_from_memory(&badge.files["photo"]).is_ok(), "the class badge is an image");
    let deadline = Instant::now() + ruban_tests::PATIENCE;
    let markup = loop {
        let (_, markup) = fake.messages.lock().unwrap()[&(group, message_id)].clone();
        if !markup.to_string().contains(&join) {
            break markup;
        }
        assert!(Instant::now() < deadline, "the closed class's counter still offers to join: {markup}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    second.shutdown().await;
    let clicks = fake.calls_of("answercallbackquery").len();
    // A late click on the old message (a phone that had not refreshed) counts nothing.
    let third = start(&base, dir.path()).await;
    fake.push(click_update(4, group, message_id, 1500, &join));
    fake.wait_for_n("answercallbackquery", clicks + 1).await;
    third.shutdown().await;
    let store = Store::open(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await.unwrap();
    assert_eq!(store.class_summary(&code).await.unwrap().members, 1, "closed at 1: {markup}");
    fake.assert_nothing_refused();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_updates_again_after_a_restart_change_nothing() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    let group = -100_600;
    let (message_id, join, _) = open_class(&fake, 1, group).await;
    let first_half: Vec<Value> = (0..5).map(|i| click_update(10 + i, group, message_id, 2000 + i, &join)).collect();
    for u in &first_half {
        fake.push(u.clone());
    }
    fake.push(text_update(20, 777, 777, "/carte Noé"));
    fake.wait_for_n("answercallbackquery", 5).await;
    fake.wait_for("sendphoto").await;
    // The process dies without confirming anything (no graceful shutdown).
    let Running { task, .. } = bot;
    task.abort();
    assert!(task.await.unwrap_err().is_cancelled(), "the dispatcher is gone");
    // A new process on the same database; Telegram delivers the same updates again, then more.
    let bot = start(&base, dir.path()).await;
    for u in &first_half {
        fake.push(u.clone());
    }
    fake.push(text_update(20, 777, 777, "/carte Noé"));
    for i in 5..10 {
        fake.push(click_update(10 + i, group, message_id, 2000 + i, &join));
    }
    fake.wait_for_n("answercallbackquery", 10).await;
    // The counter ends at 10, whichever process holds its edits (the first one's counter task
    // outlived its dispatcher here; a process truly gone lets its lease run out).
    wait_shown(&fake, group, message_id, 10, Duration::from_secs(60)).await;
    // The shutdown waits for every update in flight and every counter edit: a duplicate
    // handled by mistake would have made its calls by then.
    bot.shutdown().await;
    assert_eq!(fake.calls_of("answercallbackquery").len(), 10, "no click answered twice");
    assert_eq!(fake.calls_of("sendphoto").len(), 1, "the card was not sent twice");
    assert_eq!(count_shown(&fake.text_of(group, message_id).unwrap()), Some(10));
    fake.assert_nothing_refused();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_deep_link_joins_the_class_from_a_private_chat() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    let (_, join, _) = open_class(&fake, 1, -100_700).await;
    let code = join.strip_prefix("j:").unwrap().to_owned();
    fake.push(text_update(2, 888, 888, &format!("/start classe_{code}")));
    let edit = fake.wait_for("editmessagetext").await;
    assert_eq!(edit.params["chat_id"], -100_700, "the group's counter moves");
    assert!(edit.params["text"].as_str().unwrap().contains("1 engagement"), "{}", edit.params["text"]);
    let private = fake.calls_of("sendmessage").into_iter().find(|c| c.params["chat_id"] == 888).expect("a reply");
    assert!(private.params["text"].as_str().unwrap().contains("engagement"), "{}", private.params["text"]);
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_update_is_skipped_and_the_bot_goes_on() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    fake.push(json!({"update_id": 1, "message": {"message_id": "not a number", "chat": 5}}));
    fake.push(json!({"update_id": 2, "callback_query": {"id": 3}}));
    fake.push(text_update(3, 555, 555, "/carte Léa"));
    let photo = fake.wait_for("sendphoto").await;
    assert_eq!(photo.params["chat_id"], "555");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_is_waited_out_for_the_retry_after_given_and_the_card_sent_once() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    // Not one second (a wait a bot might hard-code): the fake keeps the chat closed for the
    // three given, and would refuse an earlier retry.
    fake.fail_next.lock().unwrap().insert("sendphoto".into(), 3);
    let pushed = Instant::now();
    fake.push(text_update(1, 555, 555, "/carte Léa"));
    fake.wait_for("sendphoto").await;
    let waited = pushed.elapsed();
    // After the shutdown (which waits for what is in flight), nothing more can come.
    bot.shutdown().await;
    assert_eq!(fake.limited.lock().unwrap().as_slice(), ["sendphoto"], "one 429, no early retry");
    fake.assert_nothing_refused();
    assert_eq!(fake.calls_of("sendphoto").len(), 1, "sent once");
    assert!(waited >= Duration::from_secs(3), "retry_after was honoured: {waited:?}");
}

/// A 429 closes the whole chat for its retry_after (issue 32): the cards queued behind the
/// refused one wait too, instead of knocking once a second and drawing more 429s (and the
/// longer bans Telegram gives clients that keep knocking).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_closes_the_chat_for_every_message_queued_there() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    fake.fail_next.lock().unwrap().insert("sendphoto".into(), 4);
    let pushed = Instant::now();
    for (id, user) in [(1, 501), (2, 502), (3, 503), (4, 504)] {
        fake.push(text_update(id, -100_777, user, "/carte Léa"));
    }
    fake.wait_for_n_patient("sendphoto", 4).await;
    let waited = pushed.elapsed();
    bot.shutdown().await;
    assert_eq!(fake.limited.lock().unwrap().as_slice(), ["sendphoto"], "one 429: nothing knocked on the closed chat");
    fake.assert_nothing_refused();
    assert_eq!(fake.calls_of("sendphoto").len(), 4, "every card sent once");
    assert!(waited >= Duration::from_secs(4), "the chat stayed closed for the retry_after: {waited:?}");
}

/// Forty people writing at once get forty answers, never more than thirty in a second in all
/// (the fake answers the 31st of a second with 429, as Telegram does): the pacer's overall cap.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_people_at_once_get_their_answers_at_thirty_a_second_at_most() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    for i in 0..40 {
        fake.push(text_update(1 + i, 3000 + i, 3000 + i, "/aide"));
    }
    fake.wait_for_n("sendmessage", 40).await;
    bot.shutdown().await;
    assert_eq!(*fake.limited.lock().unwrap(), Vec::<String>::new(), "Telegram would have said 429");
    fake.assert_nothing_refused();
    let mut at: Vec<Instant> = fake.calls_of("sendmessage").iter().map(|c| c.at).collect();
    at.sort();
    assert_eq!(at.len(), 40, "one answer each");
    for w in at.windows(31) {
        assert!(w[30] - w[0] >= Duration::from_secs(1), "31 messages within {:?}", w[30] - w[0]);
    }
    eprintln!("40 answers in {:?}", at[39] - at[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_refuses_a_wrong_secret_and_takes_the_right_one() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings(&base);
    s.webhook_url = Some("https://ruban.example.org/telegram/webhook".into());
    s.webhook_secret = Some("s3cret-webhook".into());
    let mut bot = ruban_telegram::start(s, core(dir.path()).await).await.unwrap();
    let set = fake.wait_for("setwebhook").await;
    assert_eq!(set.params["url"], "https://ruban.example.org/telegram/webhook");
    assert_eq!(set.params["secret_token"], "s3cret-webhook");
    let router = bot.router.take().expect("webhook mode serves a route");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // The web server stops first (as in `ruban serve`), which ends the webhook's update stream.
    let (stop_web, web_stopped) = tokio::sync::oneshot::channel::<()>();
    let web = tokio::spawn(async move {
        axum::serve(listener, router).with_graceful_shutdown(async move { drop(web_stopped.await) }).await.unwrap()
    });
    let http = reqwest::Client::new();
    let post = |secret: Option<&'static str>, update: Value| {
        let mut req = http.post(format!("http://{addr}/telegram/webhook")).json(&update);
        if let Some(s) = secret {
            req = req.header("X-Telegram-Bot-Api-Secret-Token", s);
        }
        req.send()
    };
    assert_eq!(post(Some("wrong"), text_update(1, 555, 555, "/carte Léa")).await.unwrap().status(), 401);
    assert_eq!(post(None, text_update(2, 555, 555, "/carte Léa")).await.unwrap().status(), 401);
    // A refusal is answered before anything is recorded: the store holds no trace of either.
    let store = Store::open(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await.unwrap();
    let ruban_store::Db::Sqlite { read, .. } = store.db() else { panic!("a SQLite store") };
    let (recorded,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM deliveries").fetch_one(read).await.unwrap();
    assert_eq!(recorded, 0, "a refused update is not recorded");
    assert_eq!(post(Some("s3cret-webhook"), text_update(3, 555, 555, "/carte Léa")).await.unwrap().status(), 200);
    let photo = fake.wait_for("sendphoto").await;
    assert_eq!(photo.params["chat_id"], "555");
    // The refused updates left no trace: delivered properly now, they are handled.
    assert_eq!(post(Some("s3cret-webhook"), text_update(1, 555, 555, "/carte Zoé")).await.unwrap().status(), 200);
    fake.wait_for_n("sendphoto", 2).await;
    fake.assert_nothing_refused();
    drop(http);
    stop_web.send(()).unwrap();
    web.await.unwrap();
    bot.shutdown().await;
    // The shutdown waited for what was in flight: the two accepted updates, nothing else.
    let captions: Vec<String> = fake
        .calls_of("sendphoto")
        .iter()
        .map(|c| c.params["caption"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(captions.len(), 2, "{captions:?}");
    assert!(captions.iter().any(|c| c.contains("Zoé")), "{captions:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_mode_offers_cards_the_web_server_renders() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path()).await;
    // The web server that serves /partage/…, as `ruban serve` runs it.
    let web = ruban_web::app(ruban_web::AppState::new(core.clone(), None));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let public = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, web).await.unwrap() });
    let mut s = settings(&base);
    s.public_url = Some(public.clone());
    let bot = ruban_telegram::start(s, core).await.unwrap();
    let from = json!({"id": 555, "is_bot": false, "first_name": "Léa", "language_code": "fr"});
    fake.push(
        json!({"update_id": 1, "inline_query": {"id": "iq1", "from": from, "query": "Bravo Alex", "offset": ""}}),
    );
    fake.push(
        json!({"update_id": 2, "inline_query": {"id": "iq2", "from": from, "query": "Alex, tabarnak", "offset": ""}}),
    );
    let answers = fake.wait_for_n("answerinlinequery", 2).await;
    let ok = answers.iter().find(|a| a.params["inline_query_id"] == "iq1").unwrap();
    let results = json_param(&ok.params["results"]);
    assert_eq!(results.as_array().unwrap().len(), ruban_vocabulary::Design::ALL.len(), "every design");
    assert_eq!(results[0]["title"], "Bravo!");
    let url = results[0]["photo_url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{public}/partage/")), "{url}");
    let res = reqwest::get(url).await.unwrap();
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let img = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
    assert_eq!((img.width(), img.height()), (1080, 1080));
    let refused = answers.iter().find(|a| a.params["inline_query_id"] == "iq2").unwrap();
    assert!(json_param(&refused.params["results"]).as_array().unwrap().is_empty(), "no card for a refused text");
    assert!(json_param(&refused.params["button"])["text"].as_str().is_some_and(|t| !t.is_empty()));
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

#[test]
fn an_update_claimed_by_a_process_that_died_before_replying_is_handled_after_the_restart() {
    let runtime =
        |threads| tokio::runtime::Builder::new_multi_thread().worker_threads(threads).enable_all().build().unwrap();
    let main = runtime(2);
    let (fake, base) = main.block_on(fake::start());
    let dir = tempfile::tempdir().unwrap();
    // The first process claims the update, then dies while its photo is on the way.
    fake.stall.lock().unwrap().insert("sendphoto".into());
    let doomed = runtime(1);
    let first = doomed.block_on(start(&base, dir.path()));
    let card = text_update(1, 444, 444, "/carte Noé");
    fake.push(card.clone());
    main.block_on(async {
        // The update was claimed and its card drawn: the photo is on its way, and stalls.
        let deadline = Instant::now() + ruban_tests::PATIENCE;
        while !fake.stalled.lock().unwrap().iter().any(|m| m == "sendphoto") {
            assert!(Instant::now() < deadline, "the photo never left");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    drop(first);
    doomed.shutdown_background();
    fake.stall.lock().unwrap().clear();
    // Telegram delivers it again (its offset was not confirmed), to the restarted process.
    main.block_on(async {
        let second = start(&base, dir.path()).await;
        fake.push(card);
        let photo = fake.wait_for("sendphoto").await;
        assert_eq!(photo.params["chat_id"], "444", "the card arrives after the restart");
        fake.push(text_update(2, 444, 444, "/aide"));
        fake.wait_for_n("sendmessage", 1).await;
        second.shutdown().await;
        assert_eq!(fake.count_of("sendphoto"), 1, "and only once");
        fake.assert_nothing_refused();
    });
}

/// In a group, only its creator and administrators may open a class (Telegram says who is who):
/// a pupil's `/classe` is refused kindly and opens nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_groups_administrators_open_a_class() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    let group = -100_990;
    fake.statuses.lock().unwrap().insert((group, 40), "administrator");
    fake.push(text_update(1, group, 41, "/classe « 5e C »"));
    // The refusal goes to the pupil in private.
    let refusal = fake.wait_for("sendmessage").await;
    assert_eq!(refusal.params["chat_id"], 41, "{:?}", refusal.params);
    fake.push(text_update(2, group, 40, "/classe « 5e C »"));
    let opened = fake.wait_for_n("sendmessage", 2).await.remove(1);
    assert_eq!(opened.params["chat_id"], group);
    assert!(opened.params["text"].as_str().unwrap().contains("5e C"), "{:?}", opened.params);
    bot.shutdown().await;
    let store = Store::open(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await.unwrap();
    let classes: Vec<(String,)> = match store.db() {
        ruban_store::Db::Sqlite { read, .. } => {
            sqlx::query_as("SELECT code FROM class_sessions").fetch_all(read).await.unwrap()
        }
        _ => unreachable!(),
    };
    assert_eq!(classes.len(), 1, "the pupil's /classe opened nothing");
}

/// Issue 33: every command the core's table reserves to a chat's adults gets Telegram's
/// answer about who is one: `/groupe` (and `/group`) by a group's administrator opens a group,
/// as `/classe` does; the adapter keeps no list of its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_groups_administrator_opens_a_group_with_groupe() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    let (first, second) = (-100_991, -100_992);
    fake.statuses.lock().unwrap().insert((first, 40), "administrator");
    fake.statuses.lock().unwrap().insert((second, 40), "creator");
    fake.push(text_update(1, first, 40, "/groupe « Sciences humaines »"));
    let opened = fake.wait_for("sendmessage").await;
    assert_eq!(opened.params["chat_id"], first, "{:?}", opened.params);
    assert!(opened.params["text"].as_str().unwrap().contains("Sciences humaines"), "{:?}", opened.params);
    fake.push(text_update(2, second, 40, "/group@RubanBot \"Adult education\""));
    let opened = fake.wait_for_n("sendmessage", 2).await.remove(1);
    assert_eq!(opened.params["chat_id"], second, "{:?}", opened.params);
    assert!(opened.params["text"].as_str().unwrap().contains("Adult education"), "{:?}", opened.params);
    bot.shutdown().await;
    assert!(fake.calls_of("getchatmember").len() >= 2, "Telegram was asked who administers the group");
}

/// Issue 35: `/aide` lists what this person may do here, from the core's table: a group's
/// administrator is offered `/classe` (and its teacher page) and `/certificat`, a pupil in the
/// same group is not; nobody but an organizer is offered `/totaux`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_lists_what_this_person_may_do_here() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    let group = -100_994;
    fake.statuses.lock().unwrap().insert((group, 40), "administrator");
    fake.push(text_update(1, group, 40, "/aide"));
    let adult = fake.wait_for("sendmessage").await;
    fake.push(text_update(2, group, 41, "/help@RubanBot"));
    let pupil = fake.wait_for_n("sendmessage", 2).await.remove(1);
    bot.shutdown().await;
    let (adult, pupil) = (adult.params["text"].as_str().unwrap(), pupil.params["text"].as_str().unwrap());
    for line in ["/carte", "/ruban", "/classe NOM", "/classe enseignant", "/groupe", "/certificat", "/vert", "/mur"] {
        assert!(adult.contains(line), "the adult is offered {line}: {adult}");
    }
    for line in ["/carte", "/ruban", "/vert", "/mur", "/oublie-moi"] {
        assert!(pupil.contains(line), "the pupil is offered {line}: {pupil}");
    }
    for line in ["/classe", "/groupe", "/certificat", "/totaux"] {
        assert!(!pupil.contains(line), "the pupil is not offered {line}: {pupil}");
    }
    assert!(!adult.contains("/totaux"), "{adult}");
}

/// Organizers named in `TELEGRAM_ORGANIZERS` get `/totaux` in their private chat (a chart and
/// the CSV); anyone else, or an organizer in a class group, gets the polite refusal and no
/// figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn named_organizers_get_the_totals_in_private_and_nobody_else_does() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = ruban_telegram::start(Settings { organizers: vec![4242], ..settings(&base) }, core(dir.path()).await)
        .await
        .unwrap();
    fake.push(text_update(1, 4242, 4242, "/totaux"));
    let chart = fake.wait_for("sendphoto").await;
    assert_eq!(chart.params["chat_id"], "4242");
    assert!(chart.params["caption"].as_str().unwrap().contains("Totaux"), "{}", chart.params);
    let csv = fake.wait_for("senddocument").await;
    assert!(
        String::from_utf8_lossy(&csv.files["document"]).contains("engagements"),
        "the French file, for Excel in French, has French headers"
    );
    // Someone else, in private.
    fake.push(text_update(2, 777, 777, "/totaux"));
    // The organizer, in a class group.
    fake.push(text_update(3, -100_555, 4242, "/totaux"));
    let refusals = fake.wait_for_n("sendmessage", 2).await;
    for r in &refusals {
        assert!(!r.params["text"].as_str().unwrap().contains("Totaux"), "{}", r.params);
    }
    assert_eq!(fake.count_of("sendphoto"), 1, "no chart for anyone else");
    assert_eq!(fake.count_of("senddocument"), 1);
    bot.shutdown().await;
}

/// A self-harm phrase in a class group: the group sees a kind refusal and never the help lines;
/// the help lines reach the pupil in their private chat with the bot, or, when the pupil never
/// started the bot (Telegram forbids writing first), the group is told only that the bot has a
/// message for them in private.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn help_lines_go_to_the_pupil_in_private_never_to_the_group() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    let group = -100_970;
    fake.never_started.lock().unwrap().insert(902);
    fake.push(text_update(1, group, 901, "/carte Léa tue-toi"));
    fake.push(text_update(2, group, 902, "/carte Noé tue-toi"));
    let texts = |chat: i64| -> Vec<String> {
        fake.calls_of("sendmessage")
            .into_iter()
            .filter(|c| c.params["chat_id"] == chat)
            .map(|c| c.params["text"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while texts(group).len() < 2 || texts(901).len() < 2 {
        assert!(Instant::now() < deadline, "group {:?}, private {:?}", texts(group), texts(901));
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bot.shutdown().await;
    let (in_group, private) = (texts(group), texts(901));
    assert!(private.iter().any(|t| t.contains("Tel-jeunes") && t.contains("1 800 263-2266")), "{private:?}");
    assert!(in_group.iter().all(|t| !t.contains("Tel-jeunes")), "the group saw the help lines: {in_group:?}");
    assert!(in_group.iter().any(|t| t.contains("en privé")), "the group is told to write privately: {in_group:?}");
    // Léa (who started the bot) got her refusal in private too; Noé's is in the group.
    assert_eq!(in_group.len(), 2, "Noé's refusal and « écris-moi en privé »: {in_group:?}");
    assert_eq!(private.len(), 2, "Léa's refusal and the help lines: {private:?}");
    assert_eq!(fake.count_of("sendphoto"), 0, "no card");
    let refused = fake.refused.all();
    assert!(refused.iter().all(|r| r.contains("never started")), "{refused:?}");
}

/// Issue 15: a teacher asks for a certificate in the class group; it reaches the teacher's
/// private chat, as an image and a PDF, and never the group (the pupil it names is there).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_asked_in_a_group_reaches_the_teacher_alone() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    let group = -100_990;
    // User 7 created the group; user 31 is a pupil.
    fake.push(text_update(1, group, 31, "/certificat Zoé"));
    fake.push(text_update(2, group, 7, "/certificat « Zoé » pour son courage en lecture"));
    let photo = fake.wait_for("sendphoto").await;
    let document = fake.wait_for("senddocument").await;
    bot.shutdown().await;
    for call in [&photo, &document] {
        assert_eq!(call.params["chat_id"].as_str(), Some("7"), "to the teacher's private chat: {:?}", call.params);
    }
    assert!(image::load_from_memory(&photo.files["photo"]).is_ok(), "the certificate as an image");
    assert!(document.files["document"].starts_with(b"%PDF-"), "and as a PDF");
    assert_eq!(fake.count_of("sendphoto") + fake.count_of("senddocument"), 2, "one certificate, nothing in the group");
    let to_pupil: Vec<_> = fake.calls_of("sendmessage").into_iter().filter(|c| c.params["chat_id"] == 31).collect();
    let in_group: Vec<_> = fake.calls_of("sendmessage").into_iter().filter(|c| c.params["chat_id"] == group).collect();
    let said: Vec<&str> = to_pupil.iter().chain(&in_group).filter_map(|c| c.params["text"].as_str()).collect();
    assert!(said.iter().any(|t| t.contains("responsables du groupe")), "the pupil is told who may: {said:?}");
    let store = Store::open(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await.unwrap();
    assert_eq!(store.certificates_given(2026).await.unwrap(), 1, "the pupil's ask counted nothing");
    fake.assert_nothing_refused();
}

/// A photo, as a JPEG of one colour.
fn photo_of_colour(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(w, h, image::Rgb(rgb)));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Jpeg).unwrap();
    out
}

fn near(p: &image::Rgb<u8>, rgb: [u8; 3]) -> bool {
    p.0.iter().zip(rgb).all(|(a, b)| a.abs_diff(b) < 30)
}

/// Issue 15: `/vert` as a photo's caption in the class group, and in reply to a photo: each
/// photo comes back framed (the JPEG the fake received shows the photo sent, in the frame's
/// size for its shape), Telegram's largest size is the one downloaded, and the green wave
/// counts two. `/vert` typed alone says how; a file that is no photo is refused kindly and
/// counts nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_with_vert_comes_back_framed_and_joins_the_green_wave() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    let group = -100_991;
    let green = [30, 170, 70];
    fake.push(fake::photo_update(&fake, 1, group, 31, "/vert", photo_of_colour(1600, 1200, green), (1600, 1200)));
    let first = fake.wait_for("sendphoto").await;
    assert_eq!(first.params["chat_id"].as_str(), Some(&*group.to_string()), "framed in the group it was sent to");
    let framed = image::load_from_memory(&first.files["photo"]).unwrap().to_rgb8();
    assert_eq!(framed.dimensions(), (1080, 1080), "a landscape photo: the square frame");
    assert!(near(framed.get_pixel(540, 400), green), "the photo inside: {:?}", framed.get_pixel(540, 400));
    let caption = first.params["caption"].as_str().unwrap_or_default();
    assert!(caption.contains("#perséVERT2026") && caption.contains("vague verte"), "{caption}");
    assert_eq!(*fake.downloads.lock().unwrap(), vec!["photos/photo1.jpg".to_owned()], "the largest size only");

    // In reply to a photo (a portrait one, in blue).
    let blue = [40, 60, 200];
    let mut reply = text_update(2, group, 32, "/vert");
    reply["message"]["reply_to_message"] =
        fake::photo_update(&fake, 90, group, 33, "", photo_of_colour(900, 1200, blue), (900, 1200))["message"].clone();
    fake.push(reply);
    let second = fake.wait_for_n("sendphoto", 2).await.pop().unwrap();
    let framed = image::load_from_memory(&second.files["photo"]).unwrap().to_rgb8();
    assert_eq!(framed.dimensions(), (1080, 1350), "a portrait photo: the 4:5 frame");
    assert!(near(framed.get_pixel(540, 500), blue), "{:?}", framed.get_pixel(540, 500));

    // Typed alone, in private: how to send one. A file that is no photo: refused kindly.
    fake.push(text_update(3, 34, 34, "/vert"));
    fake.push(fake::photo_update(&fake, 4, 35, 35, "/vert", b"GIF89a not really".to_vec(), (640, 480)));
    let said = |chat: i64| {
        fake.calls_of("sendmessage")
            .into_iter()
            .filter(move |c| c.params["chat_id"] == chat)
            .filter_map(|c| c.params["text"].as_str().map(str::to_owned))
            .collect::<Vec<_>>()
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while said(34).is_empty() || said(35).is_empty() {
        assert!(Instant::now() < deadline, "no answer to /vert alone or to a bad photo");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    bot.shutdown().await;
    assert!(said(34)[0].contains("légende"), "{:?}", said(34));
    assert!(said(35)[0].contains("n’arrive pas à lire"), "{:?}", said(35));
    assert_eq!(fake.count_of("sendphoto"), 2);
    let store = Store::open(&format!("sqlite://{}", dir.path().join("ruban.db").display())).await.unwrap();
    assert_eq!(store.green_photos(2026).await.unwrap(), 2, "two photos in the green wave, the bad one not");
    fake.assert_nothing_refused();
}

/// In a busy class group (20 cards waiting for the group's slots, 20 a minute), a refused card
/// is answered in the pupil's private chat at once, not a minute later in the group, and the
/// class never reads that someone's card was refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_card_in_a_busy_group_is_answered_in_private_at_once() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    let group = -100_975;
    busy_class(&fake, group, 1, 20, 0).await;
    fake.push(text_update(500, group, 903, "/carte Zoé t'es laide"));
    let deadline = Instant::now() + Duration::from_secs(60);
    let refusal = loop {
        if let Some(c) = fake.calls_of("sendmessage").into_iter().find(|c| c.params["chat_id"] == 903) {
            break c;
        }
        assert!(Instant::now() < deadline, "no refusal in the pupil's private chat");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let took = refusal.at.duration_since(fake.handed_out.lock().unwrap()[&500]);
    eprintln!("a refusal in a busy group: answered in private in {took:?}");
    assert!(before_nth_sent(&fake, group, 6, refusal.at), "the refusal waited behind the group's cards");
    bot.task.abort();
    let in_group: Vec<fake::Call> =
        fake.calls_of("sendmessage").into_iter().filter(|c| c.params["chat_id"] == group).collect();
    assert_eq!(in_group.len(), 1, "only the class message in the group: {in_group:?}");
    fake.assert_nothing_refused();
}

/// Webhook mode acknowledges an update only when it can take it: with every place taken (here
/// 3, and Telegram slow to answer the bot's photos), the next update gets 503 and is not lost:
/// Telegram delivers it again, and once places free up it is taken.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_webhook_answers_503_and_takes_the_update_later() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let mut s = settings(&base);
    s.webhook_url = Some("https://ruban.example.org/telegram/webhook".into());
    s.webhook_secret = Some("s3cret-webhook".into());
    s.webhook_queue = Some(3);
    let mut bot = ruban_telegram::start(s, core(dir.path()).await).await.unwrap();
    let router = bot.router.take().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let web = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    *fake.latency_ms.lock().unwrap() = 2000..2001;
    // Every wait has a ceiling: a request or a shutdown that never ends fails the test (once,
    // under a whole suite's load, this test hung instead of failing).
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let post = |update: Value| {
        http.post(format!("http://{addr}/telegram/webhook"))
            .header("X-Telegram-Bot-Api-Secret-Token", "s3cret-webhook")
            .json(&update)
            .send()
    };
    for i in 0..3 {
        assert_eq!(post(text_update(10 + i, 600 + i, 600 + i, "/carte Léa")).await.unwrap().status(), 200);
    }
    let full = post(text_update(20, 700, 700, "/aide")).await.unwrap();
    assert_eq!(full.status(), 503, "no place left: Telegram must deliver it again");
    assert!(full.headers().contains_key("retry-after"));
    // Telegram delivers it again until a place frees up (the photos go out, their handlers end).
    let deadline = Instant::now() + Duration::from_secs(60);
    while post(text_update(20, 700, 700, "/aide")).await.unwrap().status() == 503 {
        assert!(Instant::now() < deadline, "no place ever freed up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let deadline = Instant::now() + Duration::from_secs(30);
    while fake.calls_of("sendmessage").iter().all(|c| c.params["chat_id"] != 700) {
        assert!(Instant::now() < deadline, "the update delivered again was never handled");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    web.abort();
    let _ = web.await;
    tokio::time::timeout(Duration::from_secs(60), bot.shutdown()).await.expect("the bot shut down within a minute");
    let answers = fake.calls_of("sendmessage").into_iter().filter(|c| c.params["chat_id"] == 700).count();
    assert_eq!(answers, 1, "the update refused with 503 was handled once, when delivered again");
    fake.assert_nothing_refused();
}

/// Issue 20, delivery: a process in webhook mode acknowledged a card and a pledge (200), then
/// died while their photos were on the way, so Telegram will never deliver them again.
/// Another process, in long polling, takes both over once the dead one's lease ran out and
/// handles each once; nothing is left unfinished, and a delivery again changes nothing.
#[test]
fn updates_acknowledged_by_a_webhook_that_died_are_handled_by_another_process() {
    let runtime =
        |threads| tokio::runtime::Builder::new_multi_thread().worker_threads(threads).enable_all().build().unwrap();
    let main = runtime(2);
    let (fake, base) = main.block_on(fake::start());
    let dir = tempfile::tempdir().unwrap();
    fake.stall.lock().unwrap().insert("sendphoto".into());
    let card = text_update(40, 557, 557, "/carte Zoé");
    let pledge = text_update(41, 558, 558, "/ruban");
    let doomed = runtime(1);
    let first = doomed.block_on(async {
        let mut s = settings(&base);
        s.webhook_url = Some("https://ruban.example.org/telegram/webhook".into());
        s.webhook_secret = Some("s3cret-webhook".into());
        let mut bot = ruban_telegram::start(s, core(dir.path()).await).await.unwrap();
        let router = bot.router.take().unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        let http = reqwest::Client::new();
        for update in [&card, &pledge] {
            let r = http
                .post(format!("http://{addr}/telegram/webhook"))
                .header("X-Telegram-Bot-Api-Secret-Token", "s3cret-webhook")
                .json(update)
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 200, "acknowledged: Telegram will not deliver it again");
        }
        bot
    });
    main.block_on(async {
        // Both are drawn and their photos stall at the fake.
        let deadline = Instant::now() + Duration::from_secs(30);
        while fake.stalled.lock().unwrap().len() < 2 {
            assert!(Instant::now() < deadline, "the photos never left");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    drop(first);
    doomed.shutdown_background();
    fake.stall.lock().unwrap().clear();
    main.block_on(async {
        let bot = start(&base, dir.path()).await;
        let photos = fake.wait_for_n_patient("sendphoto", 2).await;
        let to = |chat: &str| photos.iter().filter(|p| p.params["chat_id"] == chat).count();
        assert_eq!((to("557"), to("558")), (1, 1), "the card and the badge, once each");
        bot.shutdown().await;
        let after = core(dir.path()).await;
        assert!(after.take_unfinished("telegram:42:", Duration::ZERO, 10).await.is_empty(), "nothing left unfinished");
        for (id, update) in [(40, &card), (41, &pledge)] {
            let again = after.receive_event(&format!("telegram:42:{id}"), &update.to_string(), Duration::ZERO).await;
            assert_eq!(again, Some(false), "a delivery again would be skipped");
        }
        assert_eq!(fake.calls_of("sendphoto").len(), 2);
        fake.assert_nothing_refused();
    });
}

/// Issue 14, report and review on Telegram: a card in a group carries « Signaler »; another
/// pupil's click is told who may report (nothing is reported), the recipient's click reports
/// it (a toast thanks them, never naming the sender), and so does the group's administrator's
/// on another card; once an organizer blocks the sender, their next card is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_that_hurt_is_reported_by_its_recipient_or_an_administrator_and_its_sender_blocked() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path()).await;
    let bot = ruban_telegram::start(settings(&base), core.clone()).await.unwrap();
    let group = -100_560;
    let card_to_zoe = |id: i64| {
        let mut update = text_update(id, group, 12, "/carte@RubanBot oser « On sait tous ce que tu as fait »");
        update["message"]["reply_to_message"] = json!({"message_id": 900, "date": 1_771_499_000,
            "chat": {"id": group, "type": "supergroup", "title": "5e B"},
            "from": {"id": 99, "is_bot": false, "first_name": "Zoé"}, "text": "J'ai réussi!"});
        update
    };
    let report_of = |photo: &fake::Call| {
        let markup = json_param(&photo.params["reply_markup"]);
        markup["inline_keyboard"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|row| row.as_array().unwrap().iter())
            .find_map(|b| b["callback_data"].as_str().filter(|d| d.starts_with("s:")).map(str::to_owned))
            .expect("a « Signaler » button")
    };
    fake.push(card_to_zoe(1));
    let first = fake.wait_for("sendphoto").await;
    let report = report_of(&first);
    fake.push(click_update(2, group, 5_000, 13, &report));
    let answer = fake.wait_for("answercallbackquery").await;
    assert!(answer.params["text"].as_str().unwrap().contains("Seule la personne"), "{:?}", answer.params);
    fake.push(click_update(3, group, 5_000, 99, &report));
    let answers = fake.wait_for_n("answercallbackquery", 2).await;
    let thanks = answers[1].params["text"].as_str().unwrap();
    assert!(thanks.contains("Merci de nous l"), "{thanks}");
    let store = core.store();
    let queue = store.reports(2026, 10).await.unwrap();
    assert_eq!(queue.len(), 1, "the stranger's click reported nothing; the recipient's did");

    fake.push(card_to_zoe(4));
    let photos = fake.wait_for_n("sendphoto", 2).await;
    fake.push(click_update(5, group, 5_001, 7, &report_of(&photos[1])));
    fake.wait_for_n("answercallbackquery", 3).await;
    let queue = store.reports(2026, 10).await.unwrap();
    assert_eq!(queue.len(), 2, "the group's administrator reports too");
    assert_eq!(queue[0].strikes, 2);

    assert!(store.review_report(queue[0].id, ruban_store::Review::Block).await.unwrap());
    fake.push(card_to_zoe(6));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let refused = fake
            .calls_of("sendmessage")
            .into_iter()
            .any(|c| c.params["text"].as_str().is_some_and(|t| t.contains("Tu ne peux plus envoyer de cartes")));
        if refused {
            break;
        }
        assert!(Instant::now() < deadline, "the blocked sender's card was not refused");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(fake.count_of("sendphoto"), 2, "no third card");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// Issue 14, wall pre-moderation on Telegram: only the group's administrators choose that its
/// class's messages wait for approval; a pupil's « /classe approbation » changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_groups_administrators_ask_for_approval_of_its_messages() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path()).await;
    let bot = ruban_telegram::start(settings(&base), core.clone()).await.unwrap();
    let group = -100_570;
    open_class(&fake, 1, group).await;
    let said = |chat: i64, n: usize| {
        let fake = fake.clone();
        async move {
            let deadline = Instant::now() + Duration::from_secs(60);
            loop {
                let texts: Vec<String> = fake
                    .calls_of("sendmessage")
                    .into_iter()
                    .filter(|c| {
                        c.params["chat_id"].as_i64().or_else(|| c.params["chat_id"].as_str()?.parse().ok())
                            == Some(chat)
                    })
                    .filter_map(|c| c.params["text"].as_str().map(str::to_owned))
                    .collect();
                if texts.len() >= n {
                    return texts;
                }
                assert!(Instant::now() < deadline, "fewer than {n} messages in {chat}: {texts:?}");
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    fake.push(text_update(2, group, 31, "/classe approbation"));
    let refused = said(31, 1).await;
    assert!(refused[0].contains("Seules les personnes responsables"), "{refused:?}");
    let chat_key = ruban_store::Pseudonymizer::new(ruban_tests::core::SECRET).chat("telegram", &group.to_string());
    assert!(!core.store().chat_premoderated(&chat_key).await.unwrap(), "the pupil changed nothing");
    fake.push(text_update(3, group, 7, "/classe approbation"));
    let texts = said(group, 2).await;
    assert!(texts.iter().any(|t| t.contains("une fois approuvés")), "{texts:?}");
    assert!(core.store().chat_premoderated(&chat_key).await.unwrap(), "the teacher's choice holds");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// Issue 34: in a class group, a card the scorer is unsure of is not drawn: the pupil is told
/// in private that an adult will read it, the group sees nothing; once the class's adult
/// approves it, it arrives in the group, once, from the outbox; a card dropped never arrives.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uncertain_card_in_a_class_waits_for_its_adult_and_arrives_once_approved() {
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = core(dir.path()).await;
    let bot = ruban_telegram::start(settings(&base), core.clone()).await.unwrap();
    let group = -100_777;
    open_class(&fake, 1, group).await;
    let uncertain = ruban_tests::moderation::an_uncertain_message();
    fake.push(text_update(2, group, 903, &format!("/carte Zoé oser « {uncertain} »")));
    let deadline = Instant::now() + Duration::from_secs(30);
    let told = loop {
        if let Some(c) = fake.calls_of("sendmessage").into_iter().find(|c| c.params["chat_id"] == 903) {
            break c;
        }
        assert!(Instant::now() < deadline, "the pupil is told in private");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(told.params["text"].as_str().unwrap().contains("Une personne adulte de ta classe"), "{:?}", told.params);
    let store = core.store();
    let held = store.held_cards(None, 10).await.unwrap();
    assert_eq!(held.len(), 1, "{held:?}");
    assert!(fake.calls_of("sendphoto").is_empty(), "nothing drawn in the group before an adult decides");

    let approved =
        core.approve_held_card(ruban_vocabulary::Locale::FrCa, Some(&held[0].card.class_code), held[0].id).await;
    assert!(approved.unwrap().is_some_and(|a| a.sent_to_chat));
    let photo = fake.wait_for("sendphoto").await;
    assert_eq!(photo.params["chat_id"], group.to_string());
    assert!(photo.params["caption"].as_str().unwrap().contains("Une carte pour Zoé"), "{:?}", photo.params);
    let img = image::load_from_memory(&photo.files["photo"]).unwrap();
    assert_eq!((img.width(), img.height()), (1080, 1080));
    // Approving again finds nothing; a second card, dropped, never arrives.
    assert!(core.approve_held_card(ruban_vocabulary::Locale::FrCa, None, held[0].id).await.unwrap().is_none());
    fake.push(text_update(3, group, 904, &format!("/carte Léo oser « {uncertain} »")));
    let deadline = Instant::now() + Duration::from_secs(30);
    let second = loop {
        if let Some(h) = store.held_cards(None, 10).await.unwrap().pop() {
            break h;
        }
        assert!(Instant::now() < deadline, "the second card waits");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(
        core.drop_held_card(ruban_vocabulary::Locale::FrCa, Some(&second.card.class_code), second.id).await.unwrap()
    );
    tokio::time::sleep(ruban_telegram_outbox_pass()).await;
    assert_eq!(fake.calls_of("sendphoto").len(), 1, "only the approved card reached the group");
    fake.assert_nothing_refused();
    bot.shutdown().await;
}

/// A little more than one pass of the outbox (every 2 s).
fn ruban_telegram_outbox_pass() -> Duration {
    Duration::from_millis(2_500)
}

/// Issue 33: the core's command table is the one list of commands. Every command it holds, by
/// each of its names as Telegram spells them, is driven in a class group as its administrator
/// and as a pupil: none is unknown; what is for a chat's adults is refused to the pupil with
/// the adults' sentence, never to the adult; what is for organizers is refused to both (neither
/// is named one). Telegram is asked who administers the group only for what depends on it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_of_the_table_is_driven_as_a_groups_adult_and_as_a_pupil() {
    use ruban_core::table::{COMMANDS, Who};
    let (fake, base) = fake::start().await;
    let dir = tempfile::tempdir().unwrap();
    let bot = start(&base, dir.path()).await;
    let sends = |fake: &fake::Fake| {
        fake.calls.matching(|c| matches!(c.method.as_str(), "sendmessage" | "sendphoto" | "senddocument"))
    };
    let said = |calls: &[fake::Call]| {
        calls
            .iter()
            .map(|c| c.params["text"].as_str().or(c.params["caption"].as_str()).unwrap_or_default().to_owned())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut update = 0;
    for spec in COMMANDS {
        for name in [spec.fr, spec.en] {
            let typed = format!("/{}", name.replace('-', "_"));
            // A group of its own for each name: Telegram lets a bot post 20 messages a minute
            // in one group, and the adapter keeps to it.
            let group = -101_000 - update;
            fake.statuses.lock().unwrap().insert((group, 40), "administrator");
            let mut heard = Vec::new();
            for user in [41, 40] {
                update += 1;
                let before = sends(&fake).len();
                fake.push(text_update(update, group, user, &typed));
                let deadline = Instant::now() + Duration::from_secs(20);
                while sends(&fake).len() == before {
                    assert!(Instant::now() < deadline, "{typed} from {user} got no answer");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                // The rest of the answer (a help line after a refusal, say).
                tokio::time::sleep(Duration::from_millis(300)).await;
                heard.push(said(&sends(&fake)[before..]));
            }
            let (pupil, adult) = (&heard[0], &heard[1]);
            for (who, text) in [("pupil", pupil), ("adult", adult)] {
                assert!(!text.contains("Je ne connais pas cette commande"), "{typed} ({who}): {text}");
            }
            let adults_only = "Seules les personnes responsables du groupe";
            let organizers_only = "réservée aux organisatrices et organisateurs";
            match spec.who {
                Who::Anyone => {
                    assert!(!pupil.contains(adults_only) && !pupil.contains(organizers_only), "{typed}: {pupil}");
                }
                Who::ChatAdults => {
                    assert!(pupil.contains(adults_only), "{typed} is refused to a pupil: {pupil}");
                    assert!(!adult.contains(adults_only), "{typed} is the adult's: {adult}");
                }
                Who::Organizers => {
                    assert!(pupil.contains(organizers_only) && adult.contains(organizers_only), "{typed}");
                }
            }
        }
    }
    bot.shutdown().await;
    fake.assert_nothing_refused();
}
