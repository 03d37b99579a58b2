//! A class's teacher access across two `ruban serve` processes on one PostgreSQL (issues 13
//! and 14): every step may reach either process, as behind one address. The teacher asks for
//! the access on one, turns approval on from the other, a pupil's message waits, is approved on
//! the first and shows on the second's wall; the class link renewed on one is dead on both.

use ruban_tests::serve as harness;

use std::time::Duration;

use harness::Server;
use serde_json::{Value, json};

const RUBAN: &str = env!("CARGO_BIN_EXE_ruban");

async fn say(http: &reqwest::Client, base: &str, user: &str, text: &str) -> Value {
    let body = json!({"chat": "5b", "user": {"id": user, "name": user}, "locale": "fr-CA", "text": text});
    http.post(format!("{base}/api/chat")).json(&body).send().await.unwrap().json().await.unwrap()
}

fn button(reply: &Value, prefix: &str) -> Option<(String, String)> {
    reply["messages"].as_array()?.iter().find_map(|m| {
        let b = m["buttons"].as_array()?.iter().find_map(|b| b["id"].as_str().filter(|id| id.starts_with(prefix)))?;
        Some((m["id"].as_str()?.to_owned(), b.to_owned()))
    })
}

/// A teacher's form on `base`.
async fn act(http: &reqwest::Client, base: &str, path: &str, body: &str) -> u16 {
    let r = http
        .post(format!("{base}{path}"))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    r.status().as_u16()
}

/// The first `href` on `page` that starts with `prefix`.
fn href(page: &str, prefix: &str) -> Option<String> {
    let at = page.find(&format!("href=\"{prefix}"))? + 6;
    Some(page[at..].split('"').next()?.to_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_teachers_access_works_the_same_on_every_process() {
    let Some(pg) = ruban_tests::postgres::Schema::fresh("the teacher access on two processes").await else { return };
    let servers = [Server::start(RUBAN, &pg.url()), Server::start(RUBAN, &pg.url())];
    let (a, b) = (servers[0].base.clone(), servers[1].base.clone());
    // Patience, not a deadline: a loaded debug build is slow.
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(120))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    say(&http, &a, "prof", "/classe « 5e B »").await;
    let asked = say(&http, &b, "prof", "/classe enseignant").await;
    let text = asked["messages"][0]["text"].as_str().unwrap();
    let link = text.split_whitespace().find(|w| w.contains("/enseignant/")).unwrap_or_else(|| panic!("{text}"));
    let teacher = link[link.find("/enseignant/").unwrap()..].to_owned();

    assert_eq!(act(&http, &b, &teacher, "action=approval-on").await, 303);
    let card = say(&http, &a, "noah", "/carte Zoé encourager « Bravo pour ton exposé »").await;
    let (id, post) = button(&card, "w:").expect("a wall button");
    let body = json!({"chat": "5b", "user": {"id": "noah", "name": "noah"}, "locale": "fr-CA", "message_id": id, "button_id": post});
    http.post(format!("{b}/api/chat/click")).json(&body).send().await.unwrap();
    let wall = |base: String| {
        let http = http.clone();
        async move { http.get(format!("{base}/api/wall")).send().await.unwrap().text().await.unwrap() }
    };
    assert!(!wall(a.clone()).await.contains("Bravo pour ton exposé"), "waiting");
    let page = http.get(format!("{a}{teacher}")).send().await.unwrap().text().await.unwrap();
    let item = page.split("<li>").find(|li| li.contains("Bravo pour ton exposé")).expect("in the teacher's queue");
    let entry = item.split("name=\"id\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert_eq!(act(&http, &a, &teacher, &format!("action=approve&id={entry}")).await, 303);
    assert!(wall(b.clone()).await.contains("Bravo pour ton exposé"), "approved on one, shown by the other");

    // The class link renewed on one process is dead on both at once.
    let old = href(&page, "/classe/").expect("the class link");
    assert_eq!(act(&http, &b, &teacher, "action=renew-link").await, 303);
    for base in [&a, &b] {
        assert_eq!(http.get(format!("{base}{old}")).send().await.unwrap().status(), 404, "{base}");
    }
    let page = http.get(format!("{b}{teacher}")).send().await.unwrap().text().await.unwrap();
    let new = href(&page, "/classe/").expect("the new link");
    assert_ne!(new, old);
    assert_eq!(http.get(format!("{a}{new}")).send().await.unwrap().status(), 200);

    drop(servers);
    pg.drop_schema().await;
}
