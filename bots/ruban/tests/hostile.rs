//! The hostile client (issue 13): every attack the issue measured against the old main, tried
//! again against two `ruban serve` processes on one PostgreSQL behind "one address" (the
//! client alternates between them), and shown to fail. Each step says what it used to do.

use ruban_tests::serve as harness;

use std::time::Duration;

use futures_util::StreamExt;
use harness::Server;
use serde_json::{Value, json};

/// The binary under test, as Cargo built it for this package's tests.
const RUBAN: &str = env!("CARGO_BIN_EXE_ruban");

const TOKEN: &str = "hostile-test-organizer-token-0123456789";

async fn say(http: &reqwest::Client, base: &str, user: &str, text: &str) -> Value {
    let body = json!({"chat": "5b", "user": {"id": user, "name": user}, "locale": "fr-CA", "text": text});
    http.post(format!("{base}/api/chat")).json(&body).send().await.unwrap().json().await.unwrap()
}

async fn click(http: &reqwest::Client, base: &str, user: &str, message: &str, button: &str) -> reqwest::Response {
    let body = json!({"chat": "5b", "user": {"id": user, "name": user}, "locale": "fr-CA", "message_id": message, "button_id": button});
    http.post(format!("{base}/api/chat/click")).json(&body).send().await.unwrap()
}

fn button(reply: &Value, prefix: &str) -> Option<String> {
    reply["messages"].as_array()?.iter().find_map(|m| {
        m["buttons"]
            .as_array()?
            .iter()
            .find_map(|b| b["id"].as_str().filter(|id| id.starts_with(prefix)).map(str::to_owned))
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_attack_of_the_issue_fails() {
    let Some(pg) = ruban_tests::postgres::Schema::fresh("the hostile client on two processes").await else { return };
    let env = [("RUBAN_ORGANIZER_TOKEN", TOKEN)];
    let servers = [Server::start_with(RUBAN, &pg.url(), &env), Server::start_with(RUBAN, &pg.url(), &env)];
    let bases: Vec<String> = servers.iter().map(|s| s.base.clone()).collect();
    // Patience, not a deadline: a loaded debug build is slow, and only a hung request waits it out.
    let http = reqwest::Client::builder().timeout(Duration::from_secs(120)).build().unwrap();

    // 1. NUL class codes mixed into ordinary pledges. Used to fail whole group commits on
    //    PostgreSQL: 1 to 77 of 200 pledges got a badge.
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..240usize {
        let (http, base) = (http.clone(), bases[i % 2].clone());
        tasks.spawn(async move {
            if i % 6 == 0 {
                let r = click(&http, &base, &format!("nul-{i}"), "m1", "j:\u{0}").await;
                (false, r.status().is_success())
            } else {
                (true, harness::pledge(&http, &base, &format!("pupil-{i}")).await.is_some())
            }
        });
    }
    let (mut pledged, mut nul_answered) = (0, 0);
    while let Some(done) = tasks.join_next().await {
        match done.unwrap() {
            (true, ok) => pledged += usize::from(ok),
            (false, ok) => nul_answered += usize::from(ok),
        }
    }
    assert_eq!(pledged, 200, "every ordinary pledge got its badge");
    assert_eq!(nul_answered, 40, "each NUL click got its polite refusal");
    let (status, _) = harness::get(&format!("{}/api/wall?class=%00", bases[1])).await;
    assert_eq!(status, 400, "a NUL filter is a clear 400, not a 503");

    // 2. Guessing the organizer token. Used to: the right token still signed in after 20
    //    wrong ones. Now the guesser is refused, even with the right token, on every door.
    let login =
        |base: &str, token: &str| http.post(format!("{base}/organisateurs/connexion")).form(&[("token", token)]).send();
    let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for n in 0..5 {
        let r = login(&bases[0], &format!("wrong-guess-{n:030}")).await.unwrap();
        assert_eq!(r.status(), 401);
    }
    let r = login(&bases[0], TOKEN).await.unwrap();
    assert_eq!(r.status(), 429, "the right token after five wrong ones, from the guesser");
    let r = http.get(format!("{}/api/export.csv", bases[0])).bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(r.status(), 429, "the exports share the limit");
    let totals = json!({"chat": "5b", "user": {"id": "x", "name": "x"}, "text": "/totaux"});
    let r = http.post(format!("{}/api/chat", bases[0])).bearer_auth(TOKEN).json(&totals).send().await.unwrap();
    assert_eq!(r.status(), 429, "/totaux with a Bearer header shares the limit");

    // 3. A session made on one process is a session on the other (it used to be a sign-in
    //    form there). The guesser's limit is per process: the other process signs in.
    let r = no_redirect
        .post(format!("{}/organisateurs/connexion", bases[1]))
        .form(&[("token", TOKEN)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let page = http.get(format!("{}/organisateurs", bases[0])).header("cookie", &cookie).send().await.unwrap();
    assert!(page.text().await.unwrap().contains("deconnexion"), "signed in on the other process too");

    // 4. Hoarding event streams. Used to: one client held 300. Now 16 per client.
    let mut held = Vec::new();
    let mut refused = 0;
    for _ in 0..40 {
        let r = http.get(format!("{}/api/wall/events", bases[0])).send().await.unwrap();
        if r.status() == 429 {
            refused += 1;
        } else {
            assert_eq!(r.status(), 200);
            held.push(r.bytes_stream());
        }
    }
    assert_eq!((held.len(), refused), (16, 24), "16 streams kept, the rest refused");
    // They are real streams: the first event arrives.
    assert!(held[0].next().await.is_some());
    drop(held);

    // 5. Images name people: private, unguessable, and gone with forget-me; an old wall
    //    button does nothing after it (it used to post the message anyway).
    let card = say(&http, &bases[0], "noah", "/carte Zoé encourager « Bravo pour tes efforts! »").await;
    let image = card["messages"][0]["images"][0].as_str().unwrap().to_owned();
    let message_id = card["messages"][0]["id"].as_str().unwrap().to_owned();
    let wall = button(&card, "w:").expect("a wall button");
    let r = http.get(format!("{}{image}", bases[1])).send().await.unwrap();
    assert_eq!(r.status(), 200, "served by the other process");
    assert_eq!(r.headers()["cache-control"], "private, no-store");
    let asked = say(&http, &bases[1], "noah", "/oublie-moi").await;
    let yes = button(&asked, "f:1").unwrap();
    assert!(
        click(&http, &bases[1], "noah", asked["messages"][0]["id"].as_str().unwrap(), &yes).await.status().is_success()
    );
    for base in &bases {
        assert_eq!(http.get(format!("{base}{image}")).send().await.unwrap().status(), 404);
    }
    let late: Value = click(&http, &bases[0], "noah", &message_id, &wall).await.json().await.unwrap();
    assert!(late["messages"][0]["text"].as_str().unwrap().contains("plus actif"), "{late}");
    let wall_now: Value = http.get(format!("{}/api/wall", bases[1])).send().await.unwrap().json().await.unwrap();
    assert!(!wall_now.to_string().contains("Bravo pour tes efforts"), "nothing posted after forget-me: {wall_now}");

    // 6. A server open to a network trusts no identity a page claims: with the playground
    //    closed, erasing someone else's data or pledging as 60 made-up people is impossible.
    let closed = Server::start_with(RUBAN, &pg.url(), &[("RUBAN_PLAYGROUND", "off")]);
    let body = json!({"chat": "c", "user": {"id": "pupil-1", "name": "x"}, "message_id": "m", "button_id": "f:1"});
    let r = http.post(format!("{}/api/chat/click", closed.base)).json(&body).send().await.unwrap();
    assert_eq!(r.status(), 404);
    for i in 0..60 {
        assert_eq!(harness::pledge(&http, &closed.base, &format!("made-up-{i}")).await, None);
    }
    let (_, total) = harness::get(&format!("{}/api/wall", closed.base)).await;
    let total: Value = serde_json::from_str(&total).unwrap();
    assert_eq!(total["total"], 200, "still exactly the 200 real pledges: {total}");

    drop(servers);
    drop(closed);
    pg.drop_schema().await;
}
