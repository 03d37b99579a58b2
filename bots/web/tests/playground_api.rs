//! Scenarios through the playground's JSON API against a real store (SQLite file), as the page
//! and other tools use it.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use ruban_core::Limits;
use ruban_store::{GroupBy, Store};
use ruban_web::{AppState, ChatResponse, app};
use serde_json::json;
use tower::ServiceExt;

struct Harness {
    app: Router,
    store: Store,
    _dir: tempfile::TempDir,
}

const TOKEN: &str = "organizer-token-for-tests";

async fn harness(limits: Limits) -> Harness {
    let dir = tempfile::tempdir().unwrap();
    let (bot, store) = ruban_tests::core::in_dir(dir.path(), limits).await;
    Harness { app: app(AppState::new(bot, Some(TOKEN.into()))), store, _dir: dir }
}

fn relaxed() -> Limits {
    Limits {
        cards_per_minute: 1000,
        cards_per_day: 1000,
        commands_per_minute: 1000,
        chat_per_minute: 10_000,
        classes_per_hour: 100,
    }
}

impl Harness {
    async fn call(&self, path: &str, body: serde_json::Value, token: Option<&str>) -> ChatResponse {
        let mut req = Request::post(path).header("content-type", "application/json");
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let res = self.app.clone().oneshot(req.body(Body::from(body.to_string())).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap()
    }

    async fn say(&self, chat: &str, user: &str, locale: &str, text: &str) -> ChatResponse {
        self.call(
            "/api/chat",
            json!({"chat": chat, "user": {"id": user, "name": user}, "locale": locale, "text": text}),
            None,
        )
        .await
    }

    async fn click(&self, chat: &str, user: &str, message: &str, button: &str) -> ChatResponse {
        let body = json!({"chat": chat, "user": {"id": user, "name": user}, "locale": "fr-CA", "message_id": message, "button_id": button});
        self.call("/api/chat/click", body, None).await
    }

    async fn media(&self, url: &str) -> Vec<u8> {
        let res = self.app.clone().oneshot(Request::get(url).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{url}");
        res.into_body().collect().await.unwrap().to_bytes().to_vec()
    }

    async fn cards_sent(&self) -> i64 {
        self.store.totals(2026, GroupBy::Platform).await.unwrap().iter().filter_map(|r| r.cards).sum()
    }
}

fn image_size(bytes: &[u8]) -> (u32, u32) {
    let img = image::load_from_memory(bytes).unwrap();
    (img.width(), img.height())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cards_with_and_without_message_in_both_languages() {
    let h = harness(relaxed()).await;
    let r = h.say("c", "lea", "fr-CA", "/carte \"Zoé\" oser \"Ton exposé était génial!\"").await;
    assert_eq!(r.messages.len(), 1);
    let m = &r.messages[0];
    assert_eq!(m.text, "Voici ta carte pour Zoé! 💚");
    assert_eq!(image_size(&h.media(&m.images[0]).await), (1080, 1080));
    let ids: Vec<&str> = m.buttons.iter().map(|b| b.id.split(':').next().unwrap()).collect();
    assert_eq!(ids, ["w", "s"], "the sender may post the message on the wall; whoever it hurt may report it");

    let r = h.say("c", "sam", "en-CA", "/card Jordan").await;
    assert_eq!(r.messages[0].text, "Here is your card for Jordan! 💚");
    let ids: Vec<&str> = r.messages[0].buttons.iter().map(|b| b.id.split(':').next().unwrap()).collect();
    assert_eq!(ids, ["s"], "no message of the sender's own, nothing to post; still reportable");
    assert_eq!(image_size(&h.media(&r.messages[0].images[0]).await), (1080, 1080));
    assert_eq!(h.cards_sent().await, 2);

    // Posting the first card's message on the wall.
    let post = h.click("c", "lea", &m.id, &m.buttons[0].id).await;
    assert!(post.messages[0].text.contains("babillard"), "{}", post.messages[0].text);
    assert_eq!(h.store.wall(2026, 10, false).await.unwrap()[0].message, "Ton exposé était génial!");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_of_30_with_double_clicks_counts_30() {
    let h = harness(relaxed()).await;
    let opened = h.say("5b", "teacher", "fr-CA", "/classe « 5e année B »").await;
    let class_msg = &opened.messages[0];
    assert!(class_msg.text.contains("5e année B") && class_msg.text.contains("0 engagement"), "{}", class_msg.text);
    let join = class_msg.buttons.iter().find(|b| b.id.starts_with("j:")).unwrap().id.clone();
    let mut tasks = Vec::new();
    for i in 0..30 {
        for _ in 0..(1 + usize::from(i % 4 == 0)) {
            let (app, join, id) = (h.app.clone(), join.clone(), class_msg.id.clone());
            tasks.push(tokio::spawn(async move {
                let body = json!({"chat": "5b", "user": {"id": format!("pupil-{i}"), "name": format!("Élève {i}")}, "locale": "fr-CA", "message_id": id, "button_id": join});
                let res = app
                    .oneshot(Request::post("/api/chat/click").header("content-type", "application/json").body(Body::from(body.to_string())).unwrap())
                    .await
                    .unwrap();
                let r: ChatResponse = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
                r
            }));
        }
    }
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(
            r.messages[0].edits.as_deref(),
            Some(class_msg.id.as_str()),
            "the counter message is edited in place"
        );
        assert!(r.messages[1].private);
    }
    assert_eq!(h.store.count(2026).await.unwrap(), 30);
    let closed = h.say("5b", "teacher", "fr-CA", "/classe fermer").await;
    assert_eq!(closed.messages[0].edits.as_deref(), Some(class_msg.id.as_str()));
    assert!(closed.messages[0].buttons.is_empty());
    assert!(
        closed.messages[1].text.contains("30\u{a0}engagements") || closed.messages[1].text.contains("30 engagements"),
        "{}",
        closed.messages[1].text
    );
    assert_eq!(image_size(&h.media(&closed.messages[1].images[0]).await), (1080, 1080));
    // A late click is refused kindly and counts nothing.
    let late = h.click("5b", "pupil-99", &class_msg.id, &join).await;
    assert!(late.messages[0].text.contains("terminée"));
    assert_eq!(h.store.count(2026).await.unwrap(), 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pledging_twice_gives_the_same_number_and_forget_me_erases() {
    let h = harness(relaxed()).await;
    h.say("c", "a", "fr-CA", "/ruban").await;
    let first = h.say("c", "zoe", "fr-CA", "/ruban Zoé").await;
    assert!(first.messages[0].text.contains("nº 2"), "{}", first.messages[0].text);
    assert_eq!(first.messages.len(), 4, "badge, then the consent, region and age questions");
    assert_eq!(image_size(&h.media(&first.messages[0].images[0]).await), (1080, 1080));
    let again = h.say("c", "zoe", "fr-CA", "/ruban").await;
    assert!(again.messages[0].text.contains("déjà") && again.messages[0].text.contains("nº 2"));
    assert_eq!(again.messages.len(), 1);
    assert_eq!(h.store.count(2026).await.unwrap(), 2);

    // Consent to show the name, then forget me.
    let consent = &first.messages[1];
    h.click("c", "zoe", &consent.id, "r:w:1").await;
    let region = first.messages[2].buttons.iter().find(|b| b.id == "r:g:NUN").unwrap();
    assert!(h.click("c", "zoe", &first.messages[2].id, &region.id).await.messages[0].text.contains("Nunavik"));
    let rows = h.store.pledge_rows(2026).await.unwrap();
    assert_eq!(rows[1].public_name, "Zoé");
    assert_eq!(rows[1].region, "NUN");
    let ask = h.say("c", "zoe", "fr-CA", "/oublie-moi").await;
    assert_eq!(ask.messages[0].buttons.len(), 2);
    let done = h.click("c", "zoe", &ask.messages[0].id, "f:1").await;
    assert!(done.messages[0].text.contains("effacé"));
    let rows = h.store.pledge_rows(2026).await.unwrap();
    assert_eq!(rows.len(), 2, "the count stays");
    assert!(rows.iter().all(|r| r.public_name.is_empty()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_are_kind_localised_and_store_nothing() {
    let h = harness(Limits { cards_per_minute: 2, cards_per_day: 100, ..relaxed() }).await;
    for (text, expect) in [
        ("/carte tabarnak", "mots gentils"),
        ("/carte Léa \"t'es un c o n\"", "faire de la peine"),
        (&format!("/carte {}", "x".repeat(41)) as &str, "trop long"),
        ("/carte", "Pour qui"),
        ("/carte Léa 7 bravo", "Voici ta carte"),
        ("/danse", "/aide"),
        ("/ruban 💩 tabarnak", "mots gentils"),
        ("/classe", "Donne un nom"),
        ("/totaux", "réservée"),
        ("/langue klingon", "français et anglais"),
    ] {
        let r = h.say("c", "kid", "fr-CA", text).await;
        assert!(r.messages[0].text.contains(expect), "{text}: {}", r.messages[0].text);
        // Fluent's bidi isolation marks never reach a platform field.
        assert!(!r.messages[0].text.contains(['\u{2068}', '\u{2069}']), "{text}: isolation marks");
    }
    // "7" is not a design: it became part of the message, and that card was sent.
    assert_eq!(h.cards_sent().await, 1);
    assert_eq!(h.store.count(2026).await.unwrap(), 0, "no refused pledge stored");
    // The rate limit: the second card passes, the third is refused and not stored.
    assert!(h.say("c", "kid", "fr-CA", "/carte Noé").await.messages[0].text.contains("Voici"));
    let slow = h.say("c", "kid", "fr-CA", "/carte Zoé").await;
    assert!(slow.messages[0].text.contains("Doucement"), "{}", slow.messages[0].text);
    assert!(slow.messages[0].images.is_empty());
    assert_eq!(h.cards_sent().await, 2);
    // English refusals.
    let r = h.say("c", "other", "en-CA", "/card fuck").await;
    assert!(r.messages[0].text.contains("kind words"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizers_get_totals_as_chart_and_csv_and_everyone_gets_the_wall() {
    let h = harness(relaxed()).await;
    h.say("c", "a", "fr-CA", "/ruban").await;
    let refused = h.say("c", "a", "fr-CA", "/totaux").await;
    assert!(refused.messages[0].text.contains("réservée"));
    let body = json!({"chat": "c", "user": {"id": "org", "name": "Org"}, "locale": "fr-CA", "text": "/totaux"});
    let r = h.call("/api/chat", body, Some(TOKEN)).await;
    let m = &r.messages[0];
    assert!(m.text.contains("2026"), "{}", m.text);
    assert_eq!(image_size(&h.media(&m.images[0]).await), (1200, 800));
    let csv = String::from_utf8(h.media(&m.files[0].url).await).unwrap();
    assert!(csv.contains("2026-02-19"), "{csv}");
    let wall = h.say("c", "b", "en-CA", "/wall").await;
    assert!(wall.messages[0].text.contains("1 person"), "{}", wall.messages[0].text);
    assert_eq!(image_size(&h.media(&wall.messages[0].images[0]).await), (1080, 1080));
    let help = h.say("c", "b", "en-CA", "/help").await;
    assert!(help.messages[0].text.contains("/card"));
}

#[tokio::test]
async fn the_page_is_localised_and_locked_down() {
    let h = harness(relaxed()).await;
    let res = h.app.clone().oneshot(Request::get("/?lang=en-CA").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
    let html = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(html.contains("Chat with Ruban") && html.contains("lang=\"en-CA\""));
    assert!(!html.contains("{{"), "every placeholder is filled");
    let res = h
        .app
        .clone()
        .oneshot(Request::get("/").header("accept-language", "fr-CA,fr;q=0.9").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let html = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(html.contains("Clavarde avec Ruban"));
    let missing = h.app.clone().oneshot(Request::get("/media/nope.png").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

/// A card names its recipient: no shared cache may keep it, no browser may store it, and its
/// address (128 random bits) says nothing about the next one's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_image_is_private_and_its_address_unguessable() {
    let h = harness(relaxed()).await;
    let first = h.say("c", "lea", "fr-CA", "/carte Zoé").await;
    let second = h.say("c", "lea", "fr-CA", "/carte Zoé").await;
    let (a, b) = (&first.messages[0].images[0], &second.messages[0].images[0]);
    assert_ne!(a, b);
    for url in [a, b] {
        let id = url.strip_prefix("/media/").unwrap().strip_suffix(".png").unwrap();
        assert_eq!(id.len(), 32, "128 bits in hex: {url}");
        assert!(id.bytes().all(|c| c.is_ascii_hexdigit()), "{url}");
        let res = h.app.clone().oneshot(Request::get(url.as_str()).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["cache-control"], "private, no-store", "{url}");
    }
}

async fn get_json(h: &Harness, url: &str) -> serde_json::Value {
    let res = h.app.clone().oneshot(Request::get(url).body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{url}");
    serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wall_follows_pledges_with_filters_and_shows_only_chosen_names() {
    let h = harness(relaxed()).await;
    assert_eq!(get_json(&h, "/api/wall").await["total"], 0);
    let first = h.say("c", "zoe", "fr-CA", "/ruban Zoé").await;
    h.click("c", "zoe", &first.messages[1].id, "r:w:1").await;
    h.click("c", "zoe", &first.messages[2].id, "r:g:06").await;
    h.say("c", "secret", "fr-CA", "/ruban Secret").await; // did not agree to show their name
    let all = get_json(&h, "/api/wall").await;
    assert_eq!((all["total"].as_i64(), all["today"].as_i64()), (Some(2), Some(2)));
    assert_eq!(all["latest"], json!(["Une personne qui croit en toi", "Zoé"]));
    assert_eq!(all["latest_lines"], json!(["Quelqu’un porte le ruban", "Zoé porte le ruban"]));
    assert_eq!(get_json(&h, "/api/wall?region=06").await["total"], 1);
    assert_eq!(get_json(&h, "/api/wall?region=NUN").await["total"], 0);
    assert_eq!(get_json(&h, "/api/wall?lang=en-CA").await["latest"][0], "Someone who believes in you");
    assert_eq!(get_json(&h, "/api/wall?lang=en-CA").await["latest_lines"][0], "Someone is wearing the ribbon");

    let res = h.app.clone().oneshot(Request::get("/mur").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let html = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(html.contains("data-total=\"2\"") && html.contains("personnes portent le ruban"));
    assert!(html.contains("<svg") && html.contains("#JPS2026"), "QR code and hashtag drawn server-side");
    assert_eq!(html.matches("<figure class=\"qr\">").count(), 1);
    assert!(html.contains("Zoé") && !html.contains("Secret"), "only chosen public names");
    assert!(html.contains("<li>Quelqu’un porte le ruban</li>"), "a pledge reads as a pledge");
    let res =
        h.app.clone().oneshot(Request::get("/wall?lang=en-CA&region=NUN").body(Body::empty()).unwrap()).await.unwrap();
    let html = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(html.contains("data-total=\"0\"") && html.contains("people wear the ribbon"));
    assert!(html.contains("href=\"?lang=fr-CA&amp;region=NUN\""), "the language switch keeps the filter");
}

async fn export(h: &Harness, url: &str, token: Option<&str>) -> (StatusCode, String) {
    let mut req = Request::get(url);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let res = h.app.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    (status, String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exports_need_a_token_and_stay_within_its_scope() {
    let h = harness(relaxed()).await;
    let first = h.say("c", "zoe", "fr-CA", "/ruban Zoé").await;
    h.click("c", "zoe", &first.messages[2].id, "r:g:NUN").await;
    let second = h.say("c", "max", "fr-CA", "/ruban Max").await;
    h.click("c", "max", &second.messages[2].id, "r:g:06").await;
    let nunavik = h.store.add_organizer_token(&ruban_store::Scope::Region("NUN".into()), None).await.unwrap();

    assert_eq!(export(&h, "/api/export.csv", None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(export(&h, "/api/export.csv", Some("wrong")).await.0, StatusCode::UNAUTHORIZED);

    let (status, all) = export(&h, "/api/export.csv?by=region", Some(TOKEN)).await;
    assert_eq!(status, StatusCode::OK);
    let count = |csv: &str, code: &str| {
        csv.lines()
            .find(|l| l.starts_with(&format!("{code},")))
            // key, label, pledges, youth, adult: no region's name holds a comma.
            .and_then(|l| l.split(',').nth(2))
            .unwrap_or("")
            .to_owned()
    };
    assert_eq!((count(&all, "NUN"), count(&all, "06")), ("1".into(), "1".into()));

    let (status, scoped) = export(&h, "/api/export.csv?by=region", Some(&nunavik)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((count(&scoped, "NUN"), count(&scoped, "06")), ("1".into(), "0".into()));
    let (status, rows) = export(&h, "/api/export.json?pledges=true", Some(&nunavik)).await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&rows).unwrap();
    assert_eq!(v["rows"].as_array().unwrap().len(), 1);
    assert_eq!(v["rows"][0]["region"], "NUN");
    // A scoped token can never read another scope.
    assert_eq!(export(&h, "/api/export.csv?region=06", Some(&nunavik)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(export(&h, "/api/export.json?pledges=true&region=06", Some(&nunavik)).await.0, StatusCode::FORBIDDEN);
    // The campaign token may narrow.
    let (_, narrowed) = export(&h, "/api/export.json?pledges=true&region=06", Some(TOKEN)).await;
    assert_eq!(serde_json::from_str::<serde_json::Value>(&narrowed).unwrap()["rows"].as_array().unwrap().len(), 1);
    assert_eq!(export(&h, "/api/export.csv?by=nope", Some(TOKEN)).await.0, StatusCode::BAD_REQUEST);
}

/// Two processes over one database (two bots over one SQLite file here): the day's card cap
/// counts the cards both sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_card_cap_holds_across_processes() {
    let limits = Limits { cards_per_day: 3, ..relaxed() };
    let dir = tempfile::tempdir().unwrap();
    let (first, _) = ruban_tests::core::in_dir(dir.path(), limits).await;
    let (second, store) = ruban_tests::core::in_dir(dir.path(), limits).await;
    let apps = [app(AppState::new(first, None)), app(AppState::new(second, None))];
    let say = |i: usize, text: &str| {
        let body = json!({"chat": "c", "user": {"id": "kid", "name": "kid"}, "locale": "fr-CA", "text": text});
        let req = Request::post("/api/chat")
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))
            .unwrap();
        let app = apps[i % 2].clone();
        async move {
            let res = app.oneshot(req).await.unwrap();
            let r: ChatResponse = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
            r.messages[0].text.clone()
        }
    };
    for i in 0..3 {
        assert!(say(i, &format!("/carte Ami{i}")).await.contains("Voici ta carte"));
    }
    // Each process alone has counted fewer than three: the database says three.
    for i in 3..5 {
        let refused = say(i, "/carte Léa").await;
        assert!(refused.contains("Reviens demain"), "{refused}");
    }
    let day = ruban_vocabulary::clock::day_string(store.clock().today());
    let keys = ruban_store::Pseudonymizer::new(ruban_tests::core::SECRET);
    assert_eq!(
        store.sender(None, &keys.person("web", "kid"), &day).await.unwrap().cards_today,
        3,
        "three cards stored, no more"
    );
}

/// Issue 33: the command table is the one list of commands. Every name and spelling it holds,
/// in both languages and Telegram's `_` spelling, is understood (never « Je ne connais pas
/// cette commande »), and `/aide` offers a line for every command this person may use here.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_command_of_the_table_is_understood_in_both_languages() {
    let h = harness(relaxed()).await;
    for spec in ruban_core::table::COMMANDS {
        let names = [spec.fr, spec.en].into_iter().chain(spec.aliases.iter().copied());
        for (i, name) in names.enumerate() {
            let (locale, unknown) = if i == 1 {
                ("en-CA", "I don't know this command")
            } else {
                ("fr-CA", "Je ne connais pas cette commande")
            };
            for typed in [format!("/{name}"), format!("/{}", name.replace('-', "_"))] {
                let reply = h.say("table", &format!("walker-{name}"), locale, &typed).await;
                let text: String = reply.messages.iter().map(|m| m.text.as_str()).collect();
                assert!(!text.contains(unknown), "{typed}: {text}");
            }
        }
    }
    // The playground's person acts as the chat's adult: /aide offers every command but the
    // organizers' and the class page's own.
    let help = h.say("table", "walker-help", "fr-CA", "/aide").await;
    let help = &help.messages[0].text;
    for spec in ruban_core::table::COMMANDS.iter().filter(|c| c.who != ruban_core::table::Who::Organizers) {
        if !spec.help.is_empty() {
            assert!(help.contains(&format!("/{}", spec.fr)), "/aide lacks /{}: {help}", spec.fr);
        }
    }
    assert!(!help.contains("/totaux"), "{help}");
}

/// Issue 35: a typed message with no design named gets the headline it echoes — "/card Maya
/// "You did it!"" is drawn as the « réussir » card ("You did it!"), not "Don't give up!": the
/// same image as when the design is named.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_with_no_design_gets_the_headline_it_echoes() {
    let h = harness(relaxed()).await;
    let guessed = h.say("c", "sam", "en-CA", "/card Maya \"You did it!\"").await;
    let named = h.say("c", "sam", "en-CA", "/card Maya reussir \"You did it!\"").await;
    let default = h.say("c", "sam", "en-CA", "/card Maya encourager \"You did it!\"").await;
    let (guessed, named, default) = (
        h.media(&guessed.messages[0].images[0]).await,
        h.media(&named.messages[0].images[0]).await,
        h.media(&default.messages[0].images[0]).await,
    );
    let pixels = |png: &[u8]| image::load_from_memory(png).unwrap().to_rgba8().into_raw();
    assert!(pixels(&guessed) == pixels(&named), "drawn as the « réussir » card");
    assert!(pixels(&guessed) != pixels(&default), "not the encouragement card");
}

/// The playground's `/vert` form as the page posts it (multipart): the fields, then the photo.
fn photo_post(fields: &[(&str, &str)], photo: &[u8]) -> Request<Body> {
    let b = "ruban-playground-photo";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"moi.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(photo);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    Request::post("/api/chat/photo")
        .header("content-type", format!("multipart/form-data; boundary={b}"))
        .body(Body::from(body))
        .unwrap()
}

/// Issue 35: the playground can send a photo for `/vert` (the page's 📷 button): it comes back
/// framed in the ribbon's green and white, the photo's own colour inside the frame. A photo
/// with another command is not framed (the text is handled as typed), and the page carries
/// the button in both languages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_playground_sends_a_photo_for_vert_and_gets_it_framed() {
    let h = harness(relaxed()).await;
    let green = image::RgbImage::from_pixel(1200, 1600, image::Rgb([30, 170, 70]));
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(green)
        .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let fields = [("chat", "5e-b"), ("user_id", "lea"), ("user_name", "Léa"), ("locale", "fr-CA"), ("text", "/vert")];
    let res = h.app.clone().oneshot(photo_post(&fields, &jpeg)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let reply: ChatResponse = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    let framed = image::load_from_memory(&h.media(&reply.messages[0].images[0]).await).unwrap().to_rgb8();
    assert_eq!((framed.width(), framed.height()), (1080, 1350), "a portrait photo in a 4:5 frame");
    let inside = framed.get_pixel(540, 675);
    assert!(inside[1] > 140 && inside[0] < 70 && inside[2] < 110, "the photo's green inside the frame: {inside:?}");
    // A photo sent with another command is not framed: the text is handled as typed.
    let fields = [("chat", "5e-b"), ("user_id", "lea"), ("user_name", "Léa"), ("locale", "fr-CA"), ("text", "/aide")];
    let res = h.app.clone().oneshot(photo_post(&fields, &jpeg)).await.unwrap();
    let reply: ChatResponse = serde_json::from_slice(&res.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert!(reply.messages.iter().all(|m| m.images.is_empty()), "{:?}", reply.messages);
    // The page offers the button, named in each language.
    for (lang, name) in [("fr-CA", "Envoyer une photo en vert (/vert)"), ("en-CA", "Send a photo in green (/green)")] {
        let res =
            h.app.clone().oneshot(Request::get(format!("/?lang={lang}")).body(Body::empty()).unwrap()).await.unwrap();
        let page = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        assert!(page.contains("id=\"photo\" type=\"file\"") && page.contains(name), "{lang}: {page}");
    }
}
