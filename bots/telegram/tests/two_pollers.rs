//! Two processes in long polling on one bot, by mistake (an operator started a second one
//! without a webhook): Telegram serves one poller per bot and ends the other's poll with 409.
//! They take turns; every update still gets exactly one answer, and each process says what to
//! do instead.

use std::time::Duration;

use ruban_telegram::{PaceLimits, Settings};
use ruban_tests::telegram as fake;

fn settings(base: &str) -> Settings {
    Settings {
        token: "123:TEST".into(),
        api_url: Some(base.into()),
        pace: PaceLimits::default(),
        inbox_lease: Some(Duration::from_secs(2)),
        ..Settings::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_long_pollers_on_one_bot_take_turns_and_answer_each_update_once() {
    let (fake, base) = fake::start().await;
    let (fresh, second) = ruban_tests::store::pair(false).await.unwrap();
    let limits = ruban_tests::core::generous();
    let a =
        ruban_telegram::start(settings(&base), ruban_tests::core::on(fresh.store.clone(), limits).await).await.unwrap();
    let b = ruban_telegram::start(settings(&base), ruban_tests::core::on(second, limits).await).await.unwrap();
    // Both are polling: one has already ended the other's poll.
    let deadline = std::time::Instant::now() + ruban_tests::PATIENCE;
    while fake.conflicts.load(std::sync::atomic::Ordering::SeqCst) == 0 {
        assert!(std::time::Instant::now() < deadline, "the two pollers never met");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for i in 0..12 {
        fake.push(fake::text_update(1 + i, 700 + i, 700 + i, "/aide"));
    }
    fake.wait_for_n("sendmessage", 12).await;
    // Whichever process took an update answered it, once: no chat got two answers.
    for i in 0..12 {
        let chat = 700 + i;
        let answers = fake.calls_of("sendmessage").into_iter().filter(|c| c.params["chat_id"] == chat).count();
        assert_eq!(answers, 1, "chat {chat} got {answers} answers");
    }
    // A 13th update after the 12 answers proves nothing more was on its way.
    fake.push(fake::text_update(13, 712, 712, "/aide"));
    fake.wait_for_n("sendmessage", 13).await;
    assert_eq!(fake.count_of("sendmessage"), 13);
    fake.assert_nothing_refused();
    a.shutdown().await;
    b.shutdown().await;
}
