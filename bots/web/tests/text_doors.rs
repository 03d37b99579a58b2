//! Issue 14, point 5: the same checks on every text that can reach another person. Each door a
//! person can type into — a card's recipient and message in a chat, the public name given with
//! `/ruban`, a class's name, and on the class page a card's recipient and message and a
//! pupil's first name — gets hurtful texts of every category in both languages; each is
//! refused with its category's kind sentence (never the words quoted back), and nothing
//! reaches anyone: no image, no pledge, no class, nothing on the wall.

use axum::http::header;
use ruban_core::Limits;
use ruban_core::moderation::check;
use ruban_tests::web::{form, say, send, urlencode};
use ruban_vocabulary::Locale;
use ruban_web::{AppState, WebOptions};

/// One hurtful text per category, French and English, short enough for a name.
const HURTFUL: &[&str] = &[
    "t'es laid",
    "gros tas",
    "personne t'aime",
    "je vais te tuer",
    "tue-toi",
    "retourne dans ton pays",
    "va chier",
    "ugly loser",
    "nobody likes you",
    "kill yourself",
    "go back to your country",
    "you're so fat",
];

fn turn_of(page: &str) -> String {
    page.rsplit("name=\"turn\" value=\"").next().unwrap().split('"').next().unwrap().to_owned()
}

/// The HTML-escaped form of `s`, as a page would show it.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('\'', "&#39;").replace('"', "&quot;")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_door_refuses_every_category_and_nothing_reaches_anyone() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits {
        cards_per_minute: 10_000,
        cards_per_day: 10_000,
        commands_per_minute: 10_000,
        chat_per_minute: 10_000,
        ..Limits::default()
    };
    let (bot, store) = ruban_tests::core::in_dir(dir.path(), limits).await;
    // No pause between two pupils' presses: each door is tried at once.
    let options = WebOptions { class_link_pause: std::time::Duration::ZERO, ..Default::default() };
    let app = ruban_web::app(AppState::with_options(bot.clone(), options));
    // A class, for the class page's doors (its own name passes).
    let opened = say(&app, "prof", "/classe « 5e année B »").await;
    let code =
        opened.messages[0].buttons.iter().find_map(|b| b.id.strip_prefix("j:")).expect("a class button").to_owned();
    let path = format!("/classe/{code}");
    let (_, page, headers) = send(&app, ruban_tests::web::get(&path, None)).await;
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let mut turn = turn_of(&page);

    let mut refused = 0;
    for hurtful in HURTFUL {
        let category = check(hurtful).expect_err(hurtful);
        let kind = bot.texts().t(Locale::FrCa, category.refusal_id(), &[]);
        // The chat's doors.
        for (door, command) in [
            ("a card's recipient", format!("/carte \"{hurtful}\" oser")),
            ("a card's message", format!("/carte Zoé oser « {hurtful} »")),
            ("a public name", format!("/ruban {hurtful}")),
            ("a class's name", format!("/classe « {hurtful} »")),
        ] {
            let reply = say(&app, "noah", &command).await;
            assert!(
                reply.messages.iter().all(|m| m.images.is_empty() && m.files.is_empty()),
                "{door}, {hurtful}: an image"
            );
            assert_eq!(reply.messages[0].text, kind, "{door}, {hurtful}: the category's sentence");
            assert!(reply.messages.iter().all(|m| !m.text.contains(hurtful)), "{door}, {hurtful}: quoted back");
            assert!(reply.messages.iter().all(|m| m.buttons.is_empty()), "{door}, {hurtful}: {:?}", reply.messages);
            refused += 1;
        }
        // The class page's doors.
        for (door, uri, body) in [
            (
                "a class-page card's recipient",
                format!("{path}/carte"),
                format!("to={}&design=oser", urlencode(hurtful)),
            ),
            (
                "a class-page card's message",
                format!("{path}/carte"),
                format!("to=Zo%C3%A9&design=oser&message={}", urlencode(hurtful)),
            ),
            ("a pupil's first name", path.clone(), format!("name={}", urlencode(hurtful))),
        ] {
            let (_, page, _) = send(&app, form(&uri, &format!("turn={turn}&{body}"), Some(&cookie))).await;
            assert!(!page.contains("<img class=\"card\""), "{door}, {hurtful}: a card");
            assert!(!page.contains("Merci, c’est compté!"), "{door}, {hurtful}: counted");
            assert!(page.contains(&escaped(&kind)), "{door}, {hurtful}: the category's sentence\n{page}");
            assert!(!page.contains(&escaped(hurtful)), "{door}, {hurtful}: quoted back");
            turn = turn_of(&page);
            refused += 1;
        }
    }
    println!("{refused} hurtful texts refused at 7 doors");

    // Nothing reached anyone.
    assert!(store.pledge_rows(2026).await.unwrap().is_empty(), "no pledge");
    assert!(store.wall(2026, 100, true).await.unwrap().is_empty(), "nothing on the wall");
    let summary = store.class_summary(&code).await.unwrap();
    assert_eq!((summary.members, summary.names.len()), (0, 0), "no pupil counted");
    let classes = store.open_classes(2026, &Default::default(), 100).await.unwrap();
    assert_eq!(classes.len(), 1, "only the class opened with a kind name: {classes:?}");
}
