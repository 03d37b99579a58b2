//! A class's teacher access (issues 13 and 14): the adult in charge of a class gets a link of
//! their own, in private; there they choose that the class's messages wait for approval, and
//! approve or keep hidden each one. Strangers, other sites and other classes' teachers change
//! nothing.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use ruban_core::Limits;
use ruban_tests::web::{button, click, cookie_of, get, say, send, turn_of, urlencode};
use ruban_web::{AppState, ChatResponse, WebOptions};

const ORGANIZER: &str = "teacher-access-tests-organizer-token-0123";

async fn playground() -> (Router, ruban_store::Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { cards_per_minute: 1000, cards_per_day: 1000, commands_per_minute: 1000, ..Limits::default() };
    let (bot, store) = ruban_tests::core::in_dir(dir.path(), limits).await;
    bot.set_public_url("https://ruban.ecole.test/");
    (ruban_web::app(AppState::new(bot, Some(ORGANIZER.into()))), store, dir)
}

/// A teacher's form, posted from the teacher's page (`site`: what the browser says of it).
fn act(code: &str, body: &str, site: &str) -> Request<Body> {
    Request::post(format!("/enseignant/{code}?lang=fr-CA"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", site)
        .body(Body::from(body.to_owned()))
        .unwrap()
}

/// The teacher code in the private answer to `/classe enseignant`.
fn teacher_code(reply: &ChatResponse) -> String {
    let m = &reply.messages[0];
    assert!(m.private, "for the teacher alone: {m:?}");
    let link = m
        .text
        .split_whitespace()
        .find(|w| w.starts_with("https://ruban.ecole.test/enseignant/"))
        .unwrap_or_else(|| panic!("a teacher link: {}", m.text));
    link.rsplit('/').next().unwrap().to_owned()
}

/// A pupil's card, its message offered to the wall: what the pupil is told.
async fn posted(app: &Router, pupil: &str, message: &str) -> String {
    let card = say(app, pupil, &format!("/carte Zoé encourager « {message} »")).await;
    let (id, post) = button(&card, "w:").expect("a wall button");
    click(app, pupil, &id, &post).await.messages[0].text.clone()
}

async fn wall(app: &Router) -> String {
    send(app, get("/api/wall", None)).await.1
}

/// The entry id of `message` on the teacher's page.
fn entry_of(page: &str, message: &str) -> String {
    let item = page.split("<li>").find(|li| li.contains(message)).unwrap_or_else(|| panic!("{message} waits: {page}"));
    item.split("name=\"id\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_approves_the_class_messages_from_their_own_link() {
    let (app, _store, _dir) = playground().await;
    let opened = say(&app, "prof", "/classe « 5e B »").await;
    assert!(!opened.messages[0].text.contains("/enseignant/"), "the class message shows no teacher link");
    let code = teacher_code(&say(&app, "prof", "/classe enseignant").await);
    let page = format!("/enseignant/{code}?lang=fr-CA");

    let (status, shown, headers) = send(&app, get(&page, None)).await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(headers[header::REFERRER_POLICY], "no-referrer");
    assert!(shown.contains("5e B") && shown.contains("dès leur publication"), "{shown}");

    // Approval on: a pupil's message waits for the teacher.
    assert_eq!(send(&app, act(&code, "action=approval-on", "same-origin")).await.0, StatusCode::SEE_OTHER);
    let told = posted(&app, "noah", "Bravo pour ton exposé").await;
    assert!(told.contains("approuvé"), "{told}");
    assert!(!wall(&app).await.contains("Bravo pour ton exposé"), "not on the wall yet");
    let (_, shown, _) = send(&app, get(&page, None)).await;
    assert!(shown.contains("attendent votre approbation"), "{shown}");
    let bravo = entry_of(&shown, "Bravo pour ton exposé");
    let told = posted(&app, "lou", "Tu es capable").await;
    assert!(told.contains("approuvé"), "{told}");
    let (_, shown, _) = send(&app, get(&page, None)).await;
    let capable = entry_of(&shown, "Tu es capable");

    // Approved: on the wall. Kept hidden: never on the wall, and out of the queue.
    assert_eq!(
        send(&app, act(&code, &format!("action=approve&id={bravo}"), "same-origin")).await.0,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        send(&app, act(&code, &format!("action=hide&id={capable}"), "same-origin")).await.0,
        StatusCode::SEE_OTHER
    );
    let on_wall = wall(&app).await;
    assert!(on_wall.contains("Bravo pour ton exposé") && !on_wall.contains("Tu es capable"), "{on_wall}");
    let (_, shown, _) = send(&app, get(&page, None)).await;
    assert!(shown.contains("Aucun message n’attend"), "{shown}");
    // Deciding again (a second tab) changes nothing.
    send(&app, act(&code, &format!("action=approve&id={capable}"), "same-origin")).await;
    assert!(!wall(&app).await.contains("Tu es capable"), "a decision stands");

    // The class link went too far: the teacher renews it; the old one opens nothing at once.
    let old_link = shown.split("href=\"/classe/").nth(1).expect("the class link").split('"').next().unwrap().to_owned();
    assert_eq!(send(&app, get(&format!("/classe/{old_link}"), None)).await.0, StatusCode::OK);
    assert_eq!(send(&app, act(&code, "action=renew-link", "same-origin")).await.0, StatusCode::SEE_OTHER);
    assert_eq!(send(&app, get(&format!("/classe/{old_link}"), None)).await.0, StatusCode::NOT_FOUND);
    let (_, shown, _) = send(&app, get(&page, None)).await;
    let new_link = shown.split("href=\"/classe/").nth(1).expect("the new link").split('"').next().unwrap().to_owned();
    assert_ne!(new_link, old_link);
    assert_eq!(send(&app, get(&format!("/classe/{new_link}"), None)).await.0, StatusCode::OK);
    assert!(shown.contains(&format!("https://ruban.ecole.test/classe/{new_link}")), "{shown}");

    // Approval off: at once again.
    assert_eq!(send(&app, act(&code, "action=approval-off", "same-origin")).await.0, StatusCode::SEE_OTHER);
    let told = posted(&app, "lou", "Continue comme ça").await;
    assert!(!told.contains("approuvé"), "{told}");
    assert!(wall(&app).await.contains("Continue comme ça"));
    let (_, shown, _) = send(&app, get(&page, None)).await;
    assert!(shown.contains("dès leur publication"), "{shown}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_other_sites_and_other_teachers_change_nothing() {
    let (app, _store, _dir) = playground().await;
    say(&app, "prof", "/classe « 5e B »").await;
    let code = teacher_code(&say(&app, "prof", "/classe enseignant").await);
    send(&app, act(&code, "action=approval-on", "same-origin")).await;
    posted(&app, "noah", "Bravo pour ton exposé").await;
    let (_, shown, _) = send(&app, get(&format!("/enseignant/{code}"), None)).await;
    let entry = entry_of(&shown, "Bravo pour ton exposé");

    // Another site's form: refused, nothing approved.
    let (status, _, _) = send(&app, act(&code, &format!("action=approve&id={entry}"), "cross-site")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Codes that open nothing: one kind page, the same for each.
    for wrong in ["aaaaaaaaaaaaaaaaa", "abc", "%00", "..%2F..%2Fetc"] {
        let (status, page, _) = send(&app, get(&format!("/enseignant/{wrong}"), None)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{wrong}");
        assert!(page.contains("ne mène à aucune classe"), "{page}");
        let (status, _, _) = send(&app, act(wrong, &format!("action=approve&id={entry}"), "same-origin")).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{wrong}");
    }
    // Another class's teacher cannot decide this class's messages.
    let other = {
        let body = serde_json::json!({"chat": "6a", "user": {"id": "mme-roy", "name": "Mme Roy"}, "locale": "fr-CA", "text": "/classe « 6e A »"});
        let req = Request::post("/api/chat")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()));
        send(&app, req.unwrap()).await;
        let body = serde_json::json!({"chat": "6a", "user": {"id": "mme-roy", "name": "Mme Roy"}, "locale": "fr-CA", "text": "/classe enseignant"});
        let req = Request::post("/api/chat")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()));
        teacher_code(&serde_json::from_str(&send(&app, req.unwrap()).await.1).unwrap())
    };
    assert_ne!(other, code);
    assert_eq!(
        send(&app, act(&other, &format!("action=approve&id={entry}"), "same-origin")).await.0,
        StatusCode::SEE_OTHER
    );
    // Nonsense asked: refused.
    assert_eq!(send(&app, act(&code, "action=drop-tables", "same-origin")).await.0, StatusCode::BAD_REQUEST);
    assert!(!wall(&app).await.contains("Bravo pour ton exposé"), "still waiting for its own teacher");
    let (_, shown, _) = send(&app, get(&format!("/enseignant/{code}"), None)).await;
    assert_eq!(entry_of(&shown, "Bravo pour ton exposé"), entry, "still in its teacher's queue");
}

/// The teacher prints the class's certificates from their page: one PDF, a page per pupil; a
/// form from another site or with a code that opens nothing gets none.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_prints_the_class_certificates_from_their_page() {
    let (app, store, _dir) = playground().await;
    say(&app, "prof", "/classe « 5e B »").await;
    let code = teacher_code(&say(&app, "prof", "/classe enseignant").await);
    let (_, page, _) = send(&app, get(&format!("/enseignant/{code}"), None)).await;
    assert!(page.contains(&format!("action=\"/enseignant/{code}/certificats")), "{page}");
    let body = format!("names={}&reason=&giver=Mme%20Roy", ruban_tests::web::urlencode("Zoé\nNoah\nLéa"));
    let post = |code: &str, site: &str| {
        Request::post(format!("/enseignant/{code}/certificats?lang=fr-CA"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", site)
            .body(Body::from(body.clone()))
            .unwrap()
    };
    let res = {
        use tower::ServiceExt;
        app.clone().oneshot(post(&code, "same-origin")).await.unwrap()
    };
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "application/pdf");
    let pdf = {
        use http_body_util::BodyExt;
        res.into_body().collect().await.unwrap().to_bytes()
    };
    assert!(String::from_utf8_lossy(&pdf).contains("/Count 3"), "three pages");
    assert_eq!(store.certificates_given(2026).await.unwrap(), 3);
    assert_eq!(send(&app, post(&code, "cross-site")).await.0, StatusCode::FORBIDDEN);
    assert_eq!(send(&app, post("aaaaaaaaaaaaaaaaa", "same-origin")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(store.certificates_given(2026).await.unwrap(), 3, "refused: nothing counted");
}

/// The pupils-without-a-device form, posted from the teacher's page.
fn seats(code: &str, typed: &str, site: &str) -> Request<Body> {
    Request::post(format!("/enseignant/{code}/eleves?lang=fr-CA"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", site)
        .body(Body::from(format!("seats={typed}")))
        .unwrap()
}

/// Issue 15, part 5: a teacher records that 24 pupils without a device pledged. They count in
/// the green wave, on the wall and in the totals as pupils of the class (numbered pledges, no
/// name); the page shows the class badge with the count. The same 24 again counts nobody twice,
/// 26 adds two; a bad number, another site and a closed class change nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_records_the_pupils_without_a_device() {
    use base64::Engine;
    let (app, store, _dir) = playground().await;
    say(&app, "prof", "/classe « 5e B »").await;
    say(&app, "lea", "/ruban").await; // someone outside the class, pledged first
    let code = teacher_code(&say(&app, "prof", "/classe enseignant").await);
    let (_, page, _) = send(&app, get(&format!("/enseignant/{code}?lang=fr-CA"), None)).await;
    assert!(page.contains(&format!("action=\"/enseignant/{code}/eleves?lang=fr-CA\"")), "{page}");

    let (status, done, _) = send(&app, seats(&code, "24", "same-origin")).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(done.contains("24 élèves de plus") && done.contains("24 engagements"), "{done}");
    let png = done.split("src=\"data:image/png;base64,").nth(1).unwrap().split('"').next().unwrap();
    let badge = image::load_from_memory(&base64::engine::general_purpose::STANDARD.decode(png).unwrap()).unwrap();
    assert_eq!(badge.width(), 1080, "the class badge");
    assert_eq!(store.count(2026).await.unwrap(), 25, "24 pupils in the wave beside the earlier pledge");
    let numbers: Vec<i64> = store.pledge_rows(2026).await.unwrap().into_iter().map(|r| r.number).collect();
    assert_eq!(numbers, (1..=25).collect::<Vec<_>>(), "numbered in the wave, densely");
    let api: serde_json::Value = serde_json::from_str(&wall(&app).await).unwrap();
    assert_eq!(api["total"], 25, "on the wall");

    let (_, again, _) = send(&app, seats(&code, "24", "same-origin")).await;
    assert!(again.contains("aucun élève de plus"), "{again}");
    let (_, more, _) = send(&app, seats(&code, "26", "same-origin")).await;
    assert!(more.contains("2 élèves de plus") && more.contains("26 engagements"), "{more}");
    assert_eq!(store.count(2026).await.unwrap(), 27);

    // Bad numbers, another site, a stranger's code: nothing changes.
    for typed in ["0", "-3", "101", "vingt", "2%00"] {
        let (status, said, _) = send(&app, seats(&code, typed, "same-origin")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{typed}");
        assert!(said.contains("de 1 à 100"), "{typed}: {said}");
    }
    assert_eq!(send(&app, seats(&code, "30", "cross-site")).await.0, StatusCode::FORBIDDEN);
    assert_eq!(send(&app, seats("inconnu1234567890abcdef", "30", "same-origin")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(store.count(2026).await.unwrap(), 27, "refusals count nothing");
    // Closed: the badge at closing counts them, and nothing more is recorded.
    let closed = say(&app, "prof", "/classe fermer").await;
    assert!(closed.messages.iter().any(|m| m.text.contains("26")), "{closed:?}");
    let (status, _, _) = send(&app, seats(&code, "30", "same-origin")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(store.count(2026).await.unwrap(), 27);
}

/// Issue 34: names are names, and the adult decides. The first names pupils type on the class
/// page appear on the teacher's page before the badge draws them; the teacher takes one off
/// (the pledge stays counted) and the badge will not carry it; another site cannot.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_removes_a_first_name_before_the_badge_is_drawn() {
    let (app, store, _dir) = playground().await;
    say(&app, "prof", "/classe « 5e B »").await;
    let code = teacher_code(&say(&app, "prof", "/classe enseignant").await);
    let class = store.open_classes(2026, &ruban_store::WallFilter::default(), 10).await.unwrap().remove(0);
    let path = format!("/classe/{}", class.link());
    let (_, page, headers) = send(&app, get(&path, None)).await;
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let mut turn = ruban_tests::web::turn_of(&page);
    for name in ["Zoé", "Bidule"] {
        let body = format!("turn={turn}&name={}", ruban_tests::web::urlencode(name));
        let (_, thanks, _) = send(&app, ruban_tests::web::form(&path, &body, Some(&cookie))).await;
        assert!(thanks.contains("Merci, c’est compté!"), "{thanks}");
        turn = ruban_tests::web::turn_of(&thanks);
        tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    }
    let (_, page, _) = send(&app, get(&format!("/enseignant/{code}?lang=fr-CA"), None)).await;
    assert!(page.contains("Zoé") && page.contains("Bidule"), "the adult sees the names: {page}");
    let (id, _) = store.class_first_names(&class.code).await.unwrap().into_iter().find(|(_, n)| n == "Bidule").unwrap();
    assert!(page.contains(&format!("name=\"id\" value=\"{id}\"")), "a button to remove it: {page}");
    let (status, _, _) = send(&app, act(&code, &format!("action=remove-name&id={id}"), "cross-site")).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "not from another site");
    let (status, _, _) = send(&app, act(&code, &format!("action=remove-name&id={id}"), "same-origin")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let summary = store.class_summary(&class.code).await.unwrap();
    assert_eq!(summary.names, ["Zoé"], "the badge will not carry it");
    assert_eq!(summary.members, 2, "the pledge stays counted");
}

/// Issue 32: a certificate pack that finds the process's memory budget spent (here held by the
/// test, as a morning's photos and packs would) waits briefly, then is told to try again in a
/// moment: 503 with Retry-After and the adult's sentence, nothing drawn or counted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pack_that_finds_the_budget_spent_is_told_to_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let (bot, store) = ruban_tests::core::in_dir(dir.path(), Limits::default()).await;
    bot.set_public_url("https://ruban.ecole.test/");
    let app = ruban_web::app(AppState::new(bot.clone(), None));
    say(&app, "prof", "/classe « 5e B »").await;
    let code = teacher_code(&say(&app, "prof", "/classe enseignant").await);
    let held = bot.budget().take(bot.budget().total(), std::time::Duration::ZERO).await.expect("the whole budget");
    let body = format!("names={}&reason=&giver=Mme%20Roy", ruban_tests::web::urlencode("Zoé\nNoah\nLéa"));
    let req = Request::post(format!("/enseignant/{code}/certificats?lang=fr-CA"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap();
    let (status, page, headers) = send(&app, req).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{page}");
    assert!(headers.contains_key(header::RETRY_AFTER), "{headers:?}");
    assert!(page.contains("Réessayez dans un instant"), "{page}");
    assert_eq!(store.certificates_given(2026).await.unwrap(), 0);
    drop(held);
}

/// `user` says `text` in the playground's chat `chat`.
async fn say_in(app: &Router, chat: &str, user: &str, text: &str) -> ChatResponse {
    let body = serde_json::json!({"chat": chat, "user": {"id": user, "name": user}, "locale": "fr-CA", "text": text});
    let req =
        Request::post("/api/chat").header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string()));
    serde_json::from_str(&send(app, req.unwrap()).await.1).unwrap()
}

/// A card made on the class page `path` (the device's cookie and the page's turn).
fn class_card(path: &str, cookie: &str, turn: &str, to: &str, message: &str) -> Request<Body> {
    Request::post(format!("{path}/carte"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(format!("turn={turn}&to={}&design=oser&message={}", urlencode(to), urlencode(message))))
        .unwrap()
}

/// The playground with a class « 5e B » opened in it, its class page without the pause between
/// pupils: the app, the class link's code, and the folder of its store.
async fn class_with_its_page() -> (Router, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { cards_per_minute: 1000, cards_per_day: 1000, commands_per_minute: 1000, ..Limits::default() };
    let (bot, _store) = ruban_tests::core::in_dir(dir.path(), limits).await;
    bot.set_public_url("https://ruban.ecole.test/");
    let options = WebOptions {
        class_link_pause: std::time::Duration::ZERO,
        organizer_token: Some(ORGANIZER.into()),
        ..Default::default()
    };
    let app = ruban_web::app(AppState::with_options(bot, options));
    let opened = say(&app, "prof", "/classe « 5e B »").await;
    let link = opened.messages[0]
        .text
        .split_whitespace()
        .find_map(|w| w.strip_prefix("https://ruban.ecole.test/classe/"))
        .expect("the class link")
        .to_owned();
    (app, link, dir)
}

/// The id in the teacher's page of the held card for `to`.
fn held_id(page: &str, to: &str) -> String {
    let item = page
        .split("<li>")
        .find(|li| li.contains(&format!("Pour {to}")) && li.contains("send-card"))
        .unwrap_or_else(|| panic!("a card for {to} waits: {page}"));
    item.split("name=\"id\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

/// Issue 34: a card the scorer is unsure of, made on the class page, is not drawn. The pupil
/// is thanked and told an adult will read it; the teacher sees it on their page and approves
/// it (drawn then, for them to show or print) or drops it (nothing drawn). Another class's
/// teacher decides nothing of it, and a decided card cannot be decided again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_uncertain_card_from_the_class_page_waits_for_the_teacher() {
    let (app, link, _dir) = class_with_its_page().await;
    let code = teacher_code(&say(&app, "prof", "/classe enseignant").await);
    let teacher = format!("/enseignant/{code}?lang=fr-CA");
    say_in(&app, "6a", "autre-prof", "/classe « 6e A »").await;
    let other = teacher_code(&say_in(&app, "6a", "autre-prof", "/classe enseignant").await);

    let path = format!("/classe/{link}");
    let (_, page, headers) = send(&app, get(&path, None)).await;
    let cookie = cookie_of(&headers);
    let uncertain = ruban_tests::moderation::an_uncertain_message();
    let (status, held, _) = send(&app, class_card(&path, &cookie, &turn_of(&page), "Zoé", uncertain)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(held.contains("notice held") && held.contains("Une personne adulte de ta classe"), "{held}");
    assert!(!held.contains("<img class=\"card\""), "not drawn: {held}");

    let (_, shown, _) = send(&app, get(&teacher, None)).await;
    assert!(shown.contains("Cartes à lire avant l’envoi"), "{shown}");
    let id = held_id(&shown, "Zoé");
    // Another class's teacher cannot decide it: nothing drawn, still waiting.
    let (status, _, _) = send(&app, act(&other, &format!("action=send-card&id={id}"), "same-origin")).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(held_id(&send(&app, get(&teacher, None)).await.1, "Zoé"), id, "still waiting for its own teacher");
    // From another site: refused.
    let (status, _, _) = send(&app, act(&code, &format!("action=send-card&id={id}"), "cross-site")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let (status, approved, _) = send(&app, act(&code, &format!("action=send-card&id={id}"), "same-origin")).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    let data =
        approved.split("src=\"data:image/png;base64,").nth(1).expect("the card, drawn").split('"').next().unwrap();
    use base64::Engine;
    let png = base64::engine::general_purpose::STANDARD.decode(data).unwrap();
    let card = image::load_from_memory(&png).unwrap();
    assert_eq!((card.width(), card.height()), (1080, 1080));
    let (_, shown, _) = send(&app, get(&teacher, None)).await;
    assert!(!shown.contains("send-card"), "no longer waiting: {shown}");
    let (status, again, _) = send(&app, act(&code, &format!("action=send-card&id={id}"), "same-origin")).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "decided once: {again}");

    // A second one, dropped: nothing drawn, gone.
    let (_, page, _) = send(&app, get(&path, Some(&cookie))).await;
    send(&app, class_card(&path, &cookie, &turn_of(&page), "Léo", uncertain)).await;
    let id = held_id(&send(&app, get(&teacher, None)).await.1, "Léo");
    let (status, dropped, _) = send(&app, act(&code, &format!("action=drop-card&id={id}"), "same-origin")).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{dropped}");
    assert!(!send(&app, get(&teacher, None)).await.1.contains("send-card"));

    // The playground has no adult who reads later: the sender is asked to say it another way.
    let asked = say(&app, "noah", &format!("/carte Zoé oser « {uncertain} »")).await;
    assert!(asked.messages[0].images.is_empty() && asked.messages[0].text.contains("autrement"), "{asked:?}");
}

/// The organizers' session cookie and CSRF token.
async fn sign_in(app: &Router) -> (String, String) {
    let (status, _, headers) =
        send(app, ruban_tests::web::form("/organisateurs/connexion", &format!("token={ORGANIZER}"), None)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let (_, page, _) = send(app, get("/organisateurs", Some(&cookie))).await;
    let csrf = page.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    (cookie, csrf)
}

/// The form action deciding the held card for `to` in the dashboard's queue.
fn queue_action(page: &str, to: &str) -> String {
    let queue = page.split("id=\"cartes\"").nth(1).expect("the organizers' queue of held cards");
    let item = queue
        .split("<li>")
        .find(|li| li.contains(&format!("Pour {to}")))
        .unwrap_or_else(|| panic!("{to} waits: {queue}"));
    item.split("action=\"").nth(1).unwrap().split('"').next().unwrap().replace("&amp;", "&")
}

/// Issue 34: the organizers' queue holds every class's uncertain cards. A campaign-wide
/// organizer sends one (a class page's card is shown to them, drawn) or drops one; a forged
/// form or a stranger decides nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizers_decide_uncertain_cards_from_the_dashboard() {
    let (app, link, _dir) = class_with_its_page().await;
    let path = format!("/classe/{link}");
    let uncertain = ruban_tests::moderation::an_uncertain_message();
    let (_, page, headers) = send(&app, get(&path, None)).await;
    let cookie = cookie_of(&headers);
    let (_, page, _) = send(&app, class_card(&path, &cookie, &turn_of(&page), "Zoé", uncertain)).await;
    send(&app, class_card(&path, &cookie, &turn_of(&page), "Léo", uncertain)).await;

    let (session, csrf) = sign_in(&app).await;
    let (_, dashboard, _) = send(&app, get("/organisateurs", Some(&session))).await;
    let zoe = queue_action(&dashboard, "Zoé");
    assert!(zoe.starts_with("/organisateurs/cartes/"), "{zoe}");
    let form = |body: &str, cookie: Option<&str>| ruban_tests::web::form(&zoe, body, cookie);
    assert_eq!(send(&app, form("csrf=forged&decision=send", Some(&session))).await.0, StatusCode::FORBIDDEN);
    assert_eq!(send(&app, form(&format!("csrf={csrf}&decision=send"), None)).await.0, StatusCode::FORBIDDEN);
    let (status, approved, _) = send(&app, form(&format!("csrf={csrf}&decision=send"), Some(&session))).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert!(approved.contains("src=\"data:image/png;base64,"), "the class page's card, drawn: {approved}");

    let leo = queue_action(&send(&app, get("/organisateurs", Some(&session))).await.1, "Léo");
    let (status, _, _) =
        send(&app, ruban_tests::web::form(&leo, &format!("csrf={csrf}&decision=drop"), Some(&session))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, dashboard, _) = send(&app, get("/organisateurs", Some(&session))).await;
    assert!(dashboard.contains("Aucune carte n’attend de décision."), "{dashboard}");
}
