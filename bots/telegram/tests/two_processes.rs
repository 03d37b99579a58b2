//! Two Ruban processes on one PostgreSQL, in webhook mode behind one address (the way a school
//! board would run more than one): Telegram hands each update to either. They must behave as
//! one bot: every click answered in time, every counter ending at the true count although
//! clicks are counted by both, no edit that changes nothing, no card lost or sent twice.

use std::time::{Duration, Instant};

use fake::{Fake, before_nth_sent, busy_class, sent_in, text_update, wait_shown};
use ruban_core::Limits;
use ruban_telegram::{PaceLimits, Running, Settings};
use ruban_tests::postgres::Schema;
use ruban_tests::telegram as fake;

const SECRET: &str = "two-processes-secret";

/// One process: its own core over the shared database, its own adapter, its webhook route
/// served on its own port. Returns the running bot, its webhook URL and its web server.
async fn process(base: &str, schema: &Schema) -> (Running, String, tokio::task::JoinHandle<()>) {
    let core = ruban_tests::core::on(schema.store().await, Limits { cards_per_day: 10_000, ..Limits::default() }).await;
    let settings = Settings {
        token: "123:TEST".into(),
        api_url: Some(base.into()),
        pace: PaceLimits::default(),
        webhook_url: Some("https://ruban.example.org/telegram/webhook".into()),
        webhook_secret: Some(SECRET.into()),
        ..Settings::default()
    };
    let mut bot = ruban_telegram::start(settings, core).await.unwrap();
    let router = bot.router.take().expect("webhook mode serves a route");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let web = tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (bot, format!("http://{addr}/telegram/webhook"), web)
}

async fn shutdown(fake: &Fake, procs: Vec<(Running, String, tokio::task::JoinHandle<()>)>) {
    let _ = fake;
    for (bot, _, web) in procs {
        web.abort();
        let _ = web.await;
        bot.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_count_two_busy_classes_exactly_and_answer_every_click_in_time() {
    let Some(schema) = Schema::fresh("two Telegram processes on PostgreSQL").await else { return };
    let (fake, base) = fake::start().await;
    let a = process(&base, &schema).await;
    let b = process(&base, &schema).await;
    fake.deliver_to(vec![a.1.clone(), b.1.clone()], Some(SECRET.into()));
    // A class of 30 clicking while 20 cards are in flight, in two groups; the clicks and the
    // cards of each group land on both processes.
    let (first, first_message) = busy_class(&fake, -100_700, 1_000, 20, 30).await;
    let (second, second_message) = busy_class(&fake, -100_701, 2_000, 20, 30).await;
    fake.push(text_update(3_000, 556, 556, "/carte Zoé"));

    let answers = fake.wait_for_n("answercallbackquery", 60).await;
    let handed = fake.handed_out.lock().unwrap().clone();
    let mut slowest = Duration::ZERO;
    for a in &answers {
        let update: i64 = a.params["callback_query_id"].as_str().unwrap().trim_start_matches("cb").parse().unwrap();
        assert!(first.contains(&update) || second.contains(&update), "{update}");
        let group = if first.contains(&update) { -100_700 } else { -100_701 };
        assert!(before_nth_sent(&fake, group, 6, a.at), "the click {update} waited behind the group's cards");
        slowest = slowest.max(a.at.duration_since(handed[&update]));
    }
    let private = loop {
        if let Some(p) = fake.calls_of("sendphoto").into_iter().find(|c| c.params["chat_id"] == "556") {
            break p;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let private_took = private.at.duration_since(handed[&3_000]);

    wait_shown(&fake, -100_700, first_message, 30, Duration::from_secs(150)).await;
    wait_shown(&fake, -100_701, second_message, 30, Duration::from_secs(150)).await;
    fake.wait_for_n_patient("sendphoto", 41).await;
    let started = Instant::now();
    shutdown(&fake, vec![a, b]).await;
    // Nothing changes the counters after both processes stopped: what shows is final.
    for (group, message) in [(-100_700, first_message), (-100_701, second_message)] {
        let text = fake.text_of(group, message).unwrap();
        assert_eq!(fake::count_shown(&text), Some(30), "{text}");
    }
    let photos = fake.calls_of("sendphoto");
    assert_eq!(photos.len(), 41, "every card once: 20 in each group, one in private");
    let edits = fake.calls_of("editmessagetext").len();
    eprintln!(
        "two processes: slowest click answer {slowest:?}, private card in {private_took:?}, {edits} counter edits, \
         429s {}, stopped in {:?}",
        fake.limited.lock().unwrap().len(),
        started.elapsed()
    );
    // No edit that changed nothing, no edit of a message that is not there, no late answer.
    fake.assert_nothing_refused();
    paced_together(&fake, &[-100_700, -100_701]);
    for group in [-100_700, -100_701] {
        assert!(sent_in(&fake, group).len() >= 21, "the class message and 20 cards in {group}");
    }
    let store = schema.store().await;
    let codes: Vec<(String,)> = sqlx::query_as("SELECT code FROM class_sessions")
        .fetch_all(match store.db() {
            ruban_store::Db::Postgres(p) => p,
            _ => unreachable!(),
        })
        .await
        .unwrap();
    for (code,) in codes {
        assert_eq!(store.class_summary(&code).await.unwrap().members, 30, "30 pledges stored in {code}");
    }
    store.close().await;
}

/// Clicks alone (no cards to wait behind), handed to both processes: each counts its clicks,
/// and their counter edits never race — one process at a time edits, to the count in the
/// store, so the message ends at the true count and no edit repeats what it shows (each
/// process editing on its own, both ended by sending the same final count, which Telegram
/// refuses as « message is not modified »).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clicks_on_two_processes_edit_one_counter_in_turn_and_end_exact() {
    let Some(schema) = Schema::fresh("two Telegram processes on PostgreSQL").await else { return };
    let (fake, base) = fake::start().await;
    let a = process(&base, &schema).await;
    let b = process(&base, &schema).await;
    fake.deliver_to(vec![a.1.clone(), b.1.clone()], Some(SECRET.into()));
    let group = -100_702;
    let (_, message) = busy_class(&fake, group, 1, 0, 0).await;
    let join = {
        let class = fake.calls_of("sendmessage").into_iter().find(|c| c.params["chat_id"] == group).unwrap();
        fake::json_param(&class.params["reply_markup"])["inline_keyboard"][0][0]["callback_data"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // Three waves of clicks a little apart, with double clicks, so both processes edit.
    let mut update = 100;
    for wave in 0..3 {
        for pupil in 0..10 {
            for _ in 0..if pupil % 3 == 0 { 2 } else { 1 } {
                fake.push(fake::click_update(update, group, message, 7000 + wave * 10 + pupil, &join));
                update += 1;
            }
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
    }
    wait_shown(&fake, group, message, 30, Duration::from_secs(60)).await;
    // The shutdown waits for every update in flight and every counter edit of both.
    shutdown(&fake, vec![a, b]).await;
    assert_eq!(fake::count_shown(&fake.text_of(group, message).unwrap()), Some(30));
    let edits = fake.calls_of("editmessagetext");
    eprintln!(
        "clicks on two processes: {} answers, {} counter edits",
        fake.count_of("answercallbackquery"),
        edits.len()
    );
    assert_eq!(fake.count_of("answercallbackquery"), update as usize - 100, "every click answered once");
    let last = edits.last().expect("the counter was edited");
    assert!(last.params["text"].as_str().unwrap().contains("30"), "{}", last.params["text"]);
    fake.assert_nothing_refused();
    paced_together(&fake, &[group]);
}

/// The processes kept each chat inside Telegram's limits together: each pacing alone, they
/// sent a group up to 40 messages a minute and two a second, and got a 429 for most of them
/// (297 in the busy-classes test). Together they get none, or, on a loaded machine where a
/// request leaves a little later than its turn, a few (waited out: late, never lost).
fn paced_together(fake: &Fake, chats: &[i64]) {
    let sent: usize = chats.iter().map(|c| sent_in(fake, *c).len()).sum();
    let limited = fake.limited.lock().unwrap().clone();
    let allowed = (sent / 10).max(1);
    assert!(limited.len() <= allowed, "{} 429s for {sent} messages: {limited:?}", limited.len());
}

/// A group upgraded to a supergroup, seen by both processes: the card one process sends after
/// the upgrade goes to the supergroup, and the class opened in the old group is found and
/// closed from the supergroup by the other process (the move is in the store).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upgraded_group_is_followed_by_both_processes() {
    let Some(schema) = Schema::fresh("two Telegram processes on PostgreSQL").await else { return };
    let (fake, base) = fake::start().await;
    let a = process(&base, &schema).await;
    let b = process(&base, &schema).await;
    fake.deliver_to(vec![a.1.clone(), b.1.clone()], Some(SECRET.into()));
    let (old, new) = (-400, -1_000_000_000_400);
    busy_class(&fake, old, 1, 0, 0).await;
    fake.migrated.lock().unwrap().insert(old, new);
    // Update 2 goes to the second process, update 3 to the first.
    fake.push(text_update(2, old, 8, "/carte Noé"));
    let photo = fake.wait_for("sendphoto").await;
    assert_eq!(photo.params["chat_id"], new.to_string(), "the card went to the supergroup");
    fake.push(text_update(3, new, 7, "/classe fermer"));
    let badge = fake.wait_for_n("sendphoto", 2).await.remove(1);
    assert_eq!(badge.params["chat_id"], new.to_string());
    assert!(badge.params["caption"].as_str().unwrap_or_default().contains("5e B"), "{:?}", badge.params);
    shutdown(&fake, vec![a, b]).await;
    let refused = fake.refused.all();
    assert!(refused.iter().all(|r| r.contains("upgraded group")), "{refused:?}");
}

/// Issue 32: a 429 that one process got closes the chat for every process: cards the other
/// process has queued in that group wait for the retry_after instead of drawing more 429s.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_one_process_got_holds_back_the_other() {
    let Some(schema) = Schema::fresh("a 429 shared by two Telegram processes").await else { return };
    let (fake, base) = fake::start().await;
    let a = process(&base, &schema).await;
    let b = process(&base, &schema).await;
    fake.deliver_to(vec![a.1.clone(), b.1.clone()], Some(SECRET.into()));
    fake.fail_next.lock().unwrap().insert("sendphoto".into(), 4);
    let pushed = Instant::now();
    for (id, user) in [(1, 601), (2, 602), (3, 603), (4, 604)] {
        fake.push(text_update(id, -100_702, user, "/carte Léa"));
    }
    fake.wait_for_n_patient("sendphoto", 4).await;
    let waited = pushed.elapsed();
    shutdown(&fake, vec![a, b]).await;
    assert_eq!(
        fake.limited.lock().unwrap().as_slice(),
        ["sendphoto"],
        "one 429: no process knocked on the closed chat"
    );
    fake.assert_nothing_refused();
    assert_eq!(fake.calls_of("sendphoto").len(), 4, "every card sent once");
    assert!(waited >= Duration::from_secs(4), "{waited:?}");
}
