//! The class link (issue 13, part 1): pupils without an account pledge one after the other on
//! one school device, with an identity the server gives, never one the browser picks.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures_util::StreamExt;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use ruban_core::Limits;
use ruban_tests::web::{get, press, send, turn_of, urlencode};
use ruban_web::{AppState, ChatResponse, WebOptions};
use serde_json::json;
use tower::ServiceExt;

/// The campaign-wide organizer token of these tests.
const ORGANIZER: &str = "class-link-tests-organizer-token-0123";

struct Class {
    app: Router,
    store: ruban_store::Store,
    link: String,
    code: String,
    _dir: tempfile::TempDir,
}

async fn open_class(pause: Duration) -> Class {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { commands_per_minute: 10_000, chat_per_minute: 10_000, ..Limits::default() };
    let (bot, store) = ruban_tests::core::in_dir(dir.path(), limits).await;
    bot.set_public_url("https://ruban.ecole.test/");
    let options = WebOptions { class_link_pause: pause, organizer_token: Some(ORGANIZER.into()), ..Default::default() };
    let app = ruban_web::app(AppState::with_options(bot, options));
    let body = json!({"chat": "5b", "user": {"id": "mme-tremblay", "name": "Mme Tremblay"}, "locale": "fr-CA", "text": "/classe « 5e année B »"});
    let req =
        Request::post("/api/chat").header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string()));
    let (_, text, _) = send(&app, req.unwrap()).await;
    let opened: ChatResponse = serde_json::from_str(&text).unwrap();
    let message = &opened.messages[0].text;
    let link = message
        .split_whitespace()
        .find(|w| w.starts_with("https://ruban.ecole.test/classe/"))
        .unwrap_or_else(|| panic!("the class message carries its class link: {message}"))
        .to_owned();
    let code = link.rsplit('/').next().unwrap().to_owned();
    assert!(ruban_store::is_class_code(&code), "{code}");
    Class { app, store, link, code, _dir: dir }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_of_30_pledges_one_after_the_other_on_one_device() {
    let class = open_class(Duration::ZERO).await;
    let path = format!("/classe/{}", class.code);
    assert!(class.link.ends_with(&path));

    // The first visit gives the device its identity.
    let (status, page, headers) = send(&class.app, get(&path, None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("5e année B") && page.contains("0 engagement"), "{page}");
    let set = headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
    let cookie = set.split(';').next().unwrap().to_owned();
    let mut turn = turn_of(&page);

    for pupil in 1..=30 {
        let (status, page, _) = send(&class.app, press(&path, Some(&cookie), &turn)).await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Merci, c’est compté!"), "pupil {pupil}: {page}");
        if pupil % 5 == 0 {
            // A double click (the same page posted again) counts once.
            let (_, again, _) = send(&class.app, press(&path, Some(&cookie), &turn)).await;
            assert!(again.contains("Merci, c’est compté!"), "{again}");
        }
        assert!(page.contains(&format!("{pupil} engagement")), "pupil {pupil}: {page}");
        turn = turn_of(&page);
    }
    let summary = class.store.class_summary(&class.code).await.unwrap();
    assert_eq!(summary.members, 30, "30 pupils, each once");
    assert_eq!(class.store.count(2026).await.unwrap(), 30, "30 in the wave");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_and_scripts_get_nothing() {
    let class = open_class(WebOptions::default().class_link_pause).await;
    let path = format!("/classe/{}", class.code);
    let (_, page, headers) = send(&class.app, get(&path, None)).await;
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let turn = turn_of(&page);

    // Another site's form (no cookie: SameSite=Strict keeps it away) counts nothing.
    let (_, refused, _) = send(&class.app, press(&path, None, &turn)).await;
    assert!(refused.contains("Recharge"), "{refused}");
    // A made-up identity or turn counts nothing.
    let (_, bad, _) = send(&class.app, press(&path, Some("ruban_device=lea"), &turn)).await;
    assert!(bad.contains("Recharge"), "{bad}");
    let (_, bad, _) = send(&class.app, press(&path, Some(&cookie), "../../etc")).await;
    assert!(bad.contains("Réessaie"), "{bad}");
    assert_eq!(class.store.count(2026).await.unwrap(), 0);

    // A script pressing as fast as it can on one device: one pledge per pause.
    let (_, first, _) = send(&class.app, press(&path, Some(&cookie), &turn)).await;
    assert!(first.contains("Merci, c’est compté!"), "{first}");
    let (_, fast, _) = send(&class.app, press(&path, Some(&cookie), &turn_of(&first))).await;
    assert!(fast.contains("Appuie encore") && fast.contains("Pas encore compté"), "{fast}");
    assert_eq!(class.store.count(2026).await.unwrap(), 1);

    // Codes that are not a class's: a kind page, nothing else.
    for wrong in ["aaaaaaaaaaaaaaaaa", "abc", "%00", "..%2F..%2Fetc"] {
        let (status, page, _) = send(&class.app, get(&format!("/classe/{wrong}"), None)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{wrong}");
        assert!(page.contains("introuvable"), "{page}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_class_takes_no_more_pledges() {
    let class = open_class(Duration::ZERO).await;
    let path = format!("/classe/{}", class.code);
    let (_, page, headers) = send(&class.app, get(&path, None)).await;
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let turn = turn_of(&page);
    let teacher = ruban_store::Pseudonymizer::new(ruban_tests::core::SECRET).person("web", "mme-tremblay");
    class.store.close_class(&class.code, &teacher).await.unwrap();
    let (_, late, _) = send(&class.app, press(&path, Some(&cookie), &turn)).await;
    assert!(!late.contains("Merci, c’est compté!"), "{late}");
    assert!(late.contains("terminé"), "{late}");
    assert!(!late.contains("name=\"turn\""), "no button on a closed class");
    assert_eq!(class.store.count(2026).await.unwrap(), 0);
}

/// A class's wall is named by its public id, never by its code or link (issue 32): the wall
/// shows no class link, so renewing a link shuts out whoever held the old one, and a code in
/// the filter is refused as what it is not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_class_wall_never_shows_its_class_link() {
    let class = open_class(Duration::ZERO).await;
    let session = class.store.class_by_code(&class.code).await.unwrap().unwrap();
    let public = session.public_id.clone().expect("a class has a public id");
    assert!(ruban_store::is_class_public_id(&public) && !public.contains(&class.code), "{public}");
    let path = format!("/classe/{}", class.code);
    let (_, page, headers) = send(&class.app, get(&path, None)).await;
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let (_, thanks, _) = send(&class.app, press(&path, Some(&cookie), &turn_of(&page))).await;
    assert!(thanks.contains("Merci, c’est compté!"), "{thanks}");
    class.store.renew_class_link(&class.code).await.unwrap();
    let renewed = class.store.class_by_code(&class.code).await.unwrap().unwrap();
    let new_link = renewed.link().to_owned();
    assert_ne!(new_link, class.code);

    for uri in [format!("/mur?class={public}"), format!("/api/wall?class={public}")] {
        let (status, wall, _) = send(&class.app, get(&uri, None)).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {wall}");
        assert!(!wall.contains(&new_link) && !wall.contains(&class.code), "{uri} shows no secret: {wall}");
    }
    let (_, api, _) = send(&class.app, get(&format!("/api/wall?class={public}"), None)).await;
    let api: serde_json::Value = serde_json::from_str(&api).unwrap();
    assert_eq!(api["total"], 1, "the class's wall counts its pledge: {api}");
    // The old link (the code) names no wall: it is refused as not a public id.
    let (status, refused, _) = send(&class.app, get(&format!("/mur?class={}", class.code), None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
    assert!(!refused.contains(&new_link), "{refused}");
}

fn card_form(uri: &str, cookie: &str, turn: &str, to: &str, message: &str) -> Request<Body> {
    let body = format!(
        "turn={turn}&to={}&design=oser&message={}",
        to.replace(' ', "+").replace('é', "%C3%A9"),
        message.replace(' ', "+").replace('!', "%21")
    );
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap()
}

/// On the class page a pupil makes a card for a classmate, with the chat's own checks.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pupil_makes_a_card_for_a_classmate_on_the_class_page() {
    let class = open_class(Duration::ZERO).await;
    let path = format!("/classe/{}", class.code);
    let (_, page, headers) = send(&class.app, get(&path, None)).await;
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    assert!(page.contains("/carte"), "the page has a card form: {page}");
    let turn = page.rsplit("name=\"turn\" value=\"").next().unwrap().split('"').next().unwrap().to_owned();
    let (status, made, _) =
        send(&class.app, card_form(&format!("{path}/carte"), &cookie, &turn, "Zoé", "Tu es capable!")).await;
    assert_eq!(status, StatusCode::OK);
    let src =
        made.split("<img class=\"card\" src=\"").nth(1).unwrap_or_else(|| panic!("{made}")).split('"').next().unwrap();
    let res = class.app.clone().oneshot(get(src, None)).await.unwrap();
    assert_eq!(res.headers()[header::CACHE_CONTROL], "private, no-store");
    let png = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(image::load_from_memory(&png).unwrap().width(), 1080);
    // The chat's checks hold: a swear word makes no card.
    let (_, refused, _) =
        send(&class.app, card_form(&format!("{path}/carte"), &cookie, &turn_of(&made), "Zoé", "tabarnak")).await;
    assert!(!refused.contains("<img class=\"card\""), "{refused}");
    assert!(refused.contains("notice error"), "{refused}");
    // No device cookie, no card.
    let no_cookie = Request::post(format!("{path}/carte"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("turn={turn}&to=Zoé")))
        .unwrap();
    let (_, page, _) = send(&class.app, no_cookie).await;
    assert!(!page.contains("<img class=\"card\""));
}

fn press_named(uri: &str, cookie: &str, turn: &str, name: &str) -> Request<Body> {
    let body = format!("turn={turn}&name={}", urlencode(name));
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap()
}

/// A pupil may type a first name for the class badge: checked like any name that reaches other
/// people (a hurtful one counts nothing), drawn on the badge, then forgotten when the class
/// closes: only the count remains.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_names_typed_on_the_class_page_reach_the_badge_and_are_forgotten_at_close() {
    let class = open_class(Duration::ZERO).await;
    let path = format!("/classe/{}", class.code);
    let (_, page, headers) = send(&class.app, get(&path, None)).await;
    assert!(page.contains("name=\"name\"") && page.contains("Ton prénom"), "{page}");
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let mut turn = turn_of(&page);
    for (name, counted) in [("Léa", true), ("t'es nulle", false), ("Noé", true), ("", true)] {
        let (_, page, _) = send(&class.app, press_named(&path, &cookie, &turn, name)).await;
        assert_eq!(page.contains("Merci, c’est compté!"), counted, "{name}: {page}");
        turn = turn_of(&page);
    }
    let before = class.store.class_summary(&class.code).await.unwrap();
    assert_eq!(before.members, 3, "the hurtful name counted nothing");
    assert_eq!(before.names, vec!["Léa".to_owned(), "Noé".to_owned()]);

    let body = json!({"chat": "5b", "user": {"id": "mme-tremblay", "name": "Mme Tremblay"}, "locale": "fr-CA", "text": "/classe fermer"});
    let req =
        Request::post("/api/chat").header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string()));
    let (_, text, _) = send(&class.app, req.unwrap()).await;
    let closed: ChatResponse = serde_json::from_str(&text).unwrap();
    assert!(closed.messages.iter().any(|m| !m.images.is_empty()), "the class badge: {text}");
    let after = class.store.class_summary(&class.code).await.unwrap();
    assert_eq!(after.members, 3);
    assert!(after.names.is_empty(), "first names forgotten at close: {:?}", after.names);
}

/// Issue 13: an organizer renews a class link shared too widely, from the dashboard. The old
/// link stops opening the page and counting at once; the new one works; a forged form, a
/// stranger and an organizer of another region cannot renew it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organizer_renews_a_class_link_and_the_old_one_stops_at_once() {
    let class = open_class(Duration::ZERO).await;
    let old = format!("/classe/{}", class.code);
    let (_, page, headers) = send(&class.app, get(&old, None)).await;
    let device = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let old_turn = turn_of(&page);
    let renew = format!("/organisateurs/classes/{}/lien", class.code);

    let (status, _, _) = send(&class.app, ruban_tests::web::form(&renew, "csrf=anything", None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a stranger");
    let (status, _, headers) =
        send(&class.app, ruban_tests::web::form("/organisateurs/connexion", &format!("token={ORGANIZER}"), None)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let session = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let (_, dash, _) = send(&class.app, get("/organisateurs", Some(&session))).await;
    assert!(dash.contains("5e année B") && dash.contains(&class.link), "the open class and its link: {dash}");
    let csrf = dash.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let (status, _, _) = send(&class.app, ruban_tests::web::form(&renew, "csrf=forged", Some(&session))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a forged form");
    let elsewhere = class.store.add_organizer_token(&ruban_store::Scope::Region("NUN".into()), None).await.unwrap();
    let (_, _, headers) =
        send(&class.app, ruban_tests::web::form("/organisateurs/connexion", &format!("token={elsewhere}"), None)).await;
    let other = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let (_, other_dash, _) = send(&class.app, get("/organisateurs", Some(&other))).await;
    assert!(!other_dash.contains(&class.link), "another region's organizer does not see it");
    let other_csrf = other_dash.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let (status, _, _) =
        send(&class.app, ruban_tests::web::form(&renew, &format!("csrf={other_csrf}"), Some(&other))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "nor renews it");
    assert_eq!(send(&class.app, get(&old, None)).await.0, StatusCode::OK, "nothing changed yet");

    let (status, _, _) =
        send(&class.app, ruban_tests::web::form(&renew, &format!("csrf={csrf}"), Some(&session))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, dash, _) = send(&class.app, get("/organisateurs", Some(&session))).await;
    assert!(!dash.contains(&class.link), "the old link is gone from the dashboard");
    let new = dash.split("href=\"/classe/").nth(1).expect("the new link").split('"').next().unwrap().to_owned();
    assert!(ruban_store::is_class_code(&new) && new != class.code, "{new}");
    // The old link: the page is gone, and a pupil's pledge from an old page counts nothing.
    let (status, gone, _) = send(&class.app, get(&old, None)).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{gone}");
    let (_, late, _) = send(&class.app, press(&old, Some(&device), &old_turn)).await;
    assert!(!late.contains("Merci, c’est compté!"), "{late}");
    assert_eq!(class.store.count(2026).await.unwrap(), 0);
    // The new link opens the same class and counts.
    let new = format!("/classe/{new}");
    let (status, page, _) = send(&class.app, get(&new, Some(&device))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("action=\"{new}?")), "its forms post to the new link");
    let (_, thanks, _) = send(&class.app, press(&new, Some(&device), &turn_of(&page))).await;
    assert!(thanks.contains("Merci, c’est compté!"), "{thanks}");
    assert_eq!(class.store.class_summary(&class.code).await.unwrap().members, 1);
}

/// The class page's `/vert` form, as a browser posts it (multipart).
fn photo_form(uri: &str, cookie: &str, turn: &str, photo: &[u8]) -> Request<Body> {
    let (content_type, body) = ruban_tests::web::photo_form_body(turn, photo);
    Request::post(uri)
        .header(header::CONTENT_TYPE, content_type)
        .header(header::COOKIE, cookie)
        .body(Body::from(body))
        .unwrap()
}

/// Issue 15: on the class page a pupil frames their photo in green for Jeudi perséVERT. The
/// framed image comes back inside the page (nothing is kept, not even as a card's image is),
/// the green wave counts it; a photo over 20 MB is refused with its own sentence and counts
/// nothing, and without the page's device cookie nothing is framed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pupil_frames_a_photo_in_green_on_the_class_page() {
    use base64::Engine;
    let class = open_class(Duration::ZERO).await;
    let path = format!("/classe/{}", class.code);
    let (_, page, headers) = send(&class.app, get(&path, None)).await;
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    assert!(page.contains(&format!("action=\"{path}/vert?lang=fr-CA\" enctype=\"multipart/form-data\"")), "{page}");
    let turn = page.rsplit("name=\"turn\" value=\"").next().unwrap().split('"').next().unwrap().to_owned();
    let (_, wall, _) = send(&class.app, get("/mur", None)).await;
    assert!(wall.contains("id=\"green-wave\" hidden"), "no wave before the first photo (and not the Thursday)");
    let green = image::RgbImage::from_pixel(1200, 1600, image::Rgb([30, 170, 70]));
    let mut jpeg = Vec::new();
    image::DynamicImage::ImageRgb8(green)
        .write_to(&mut std::io::Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let (status, framed, _) = send(&class.app, photo_form(&format!("{path}/vert"), &cookie, &turn, &jpeg)).await;
    assert_eq!(status, StatusCode::OK);
    let src = framed
        .split("<img class=\"green\" src=\"data:image/jpeg;base64,")
        .nth(1)
        .unwrap_or_else(|| panic!("the framed photo in the page: {framed}"))
        .split('"')
        .next()
        .unwrap();
    let bytes = base64::engine::general_purpose::STANDARD.decode(src).unwrap();
    let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (1080, 1350), "a portrait photo: the 4:5 frame");
    let p = img.get_pixel(540, 500);
    assert!(p[1] > 140 && p[0] < 70, "the photo inside: {p:?}");
    assert!(!framed.contains("/media/"), "nothing kept to serve later");
    assert!(framed.contains("vague verte"), "{framed}");
    assert_eq!(class.store.green_photos(2026).await.unwrap(), 1);
    let (_, wall, _) = send(&class.app, get("/mur", None)).await;
    assert!(wall.contains("<p class=\"green-wave\" id=\"green-wave\">La vague verte\u{a0}: 1 photo en vert"), "{wall}");
    let (_, api, _) = send(&class.app, get("/api/wall", None)).await;
    assert_eq!(serde_json::from_str::<serde_json::Value>(&api).unwrap()["green_photos"], 1);

    // Over 20 MB: refused before it is read whole, with its own sentence.
    let huge = vec![0xFFu8; ruban_core::validate::MAX_PHOTO_BYTES + 100 * 1024];
    let (_, refused, _) =
        send(&class.app, photo_form(&format!("{path}/vert"), &cookie, &turn_of(&framed), &huge)).await;
    assert!(refused.contains("trop lourde") && !refused.contains("class=\"green\""), "{refused}");
    // A file that is no photo: the core's kind refusal.
    let (_, bad, _) =
        send(&class.app, photo_form(&format!("{path}/vert"), &cookie, &turn_of(&refused), b"hello")).await;
    assert!(bad.contains("n’arrive pas à lire"), "{bad}");
    // No device cookie: nothing framed.
    let mut stranger = photo_form(&format!("{path}/vert"), "x=y", &turn, &jpeg);
    stranger.headers_mut().remove(header::COOKIE);
    let (_, page, _) = send(&class.app, stranger).await;
    assert!(!page.contains("class=\"green\""));
    assert_eq!(class.store.green_photos(2026).await.unwrap(), 1, "only the one framed photo counted");
}

/// Issue 15: « groupe » as well as « classe »: `/groupe` opens a class session for a cégep,
/// adult education or a workplace, and its words say « groupe »: its message, its class link's
/// page, its closing sentence and its badge's description.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cegep_group_is_called_a_group() {
    let dir = tempfile::tempdir().unwrap();
    let (bot, _store) = ruban_tests::core::in_dir(dir.path(), Limits::default()).await;
    bot.set_public_url("https://ruban.cegep.test/");
    let app = ruban_web::app(AppState::with_options(bot, WebOptions::default()));
    let opened = ruban_tests::web::say(&app, "prof", "/groupe « Soins infirmiers 1020 »").await;
    let text = &opened.messages[0].text;
    assert!(text.starts_with("Le groupe «\u{a0}Soins infirmiers 1020\u{a0}» s’engage"), "{text}");
    assert!(text.contains("Lien du groupe"), "{text}");
    let code = text.split("/classe/").nth(1).unwrap().split_whitespace().next().unwrap().to_owned();
    let (_, page, _) = send(&app, get(&format!("/classe/{code}"), None)).await;
    assert!(page.contains("<h1>Groupe «\u{a0}Soins infirmiers 1020\u{a0}»</h1>"), "{page}");
    let closed = ruban_tests::web::say(&app, "prof", "/groupe fermer").await;
    let badge = closed.messages.iter().find(|m| !m.images.is_empty()).expect("the badge");
    assert!(badge.text.starts_with("Le groupe «\u{a0}Soins infirmiers 1020\u{a0}» a terminé"), "{}", badge.text);
    assert!(badge.alts[0].starts_with("Badge du groupe"), "{}", badge.alts[0]);
    // A class stays a class.
    let class = ruban_tests::web::say(&app, "prof", "/classe « 5e B »").await;
    assert!(class.messages[0].text.starts_with("La classe «\u{a0}5e B\u{a0}»"), "{}", class.messages[0].text);
}

/// A `/vert` form whose body records whether the server read any of it (issue 32: a body is
/// read only once its door is known to be open for that client). `pending`: the body never
/// ends, as a slow upload in progress.
fn watched_photo(uri: &str, cookie: &str, pending: bool) -> (Request<Body>, Arc<AtomicBool>) {
    let read = Arc::new(AtomicBool::new(false));
    let flag = read.clone();
    let b = "ruban-test-boundary-7d0f";
    let head = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"moi.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    );
    let stream = futures_util::stream::once(async move {
        flag.store(true, Ordering::SeqCst);
        Ok::<_, std::io::Error>(bytes::Bytes::from(head))
    })
    .chain(futures_util::stream::once(async move {
        if pending {
            std::future::pending::<()>().await;
        }
        Ok::<_, std::io::Error>(bytes::Bytes::from(vec![0u8; 1 << 20]))
    }));
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={b}"))
        .header(header::CONTENT_LENGTH, (19_500_000u64).to_string())
        .header(header::COOKIE, cookie)
        .body(Body::from_stream(stream))
        .unwrap();
    (req, read)
}

/// Issue 32: a stranger's uploads are refused before a byte is read (a link that opens
/// nothing, a made-up device), and one address gets only a few uploads at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_strangers_photos_are_refused_unread() {
    let class = open_class(Duration::ZERO).await;
    let path = format!("/classe/{}", class.code);
    let (_, _, headers) = send(&class.app, get(&path, None)).await;
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let made_up = format!("ruban_device={:032x}", 0x5eed_u128);
    for (uri, cookie, why) in [
        ("/classe/aaaaaaaaaaaaaaaaa/vert".to_owned(), cookie.as_str(), "a link that opens nothing"),
        (format!("{path}/vert"), made_up.as_str(), "a device this server never sealed"),
        (format!("{path}/vert"), "ruban_device=lea", "a malformed device"),
    ] {
        let (req, read) = watched_photo(&uri, cookie, false);
        let (_, page, _) = send(&class.app, req).await;
        assert!(!read.load(Ordering::SeqCst), "{why}: the body was read");
        assert!(!page.contains("persevert.jpg"), "{why}: {page}");
    }
    // Three uploads in progress from one address; the fourth is told to come back, unread.
    let mut slow = Vec::new();
    for _ in 0..3 {
        let (req, read) = watched_photo(&format!("{path}/vert"), &cookie, true);
        let app = class.app.clone();
        slow.push(tokio::spawn(async move { send(&app, req).await }));
        while !read.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    let (req, read) = watched_photo(&format!("{path}/vert"), &cookie, false);
    let (_, busy, _) = send(&class.app, req).await;
    assert!(!read.load(Ordering::SeqCst), "the fourth upload at once was read");
    assert!(busy.contains("Beaucoup de monde en même temps"), "{busy}");
    for s in slow {
        s.abort();
    }
    assert_eq!(class.store.green_photos(2026).await.unwrap(), 0);
}

/// Issue 32: only a device and a turn the server issued count; well-formed made-up ones
/// (any 32 hex digits) count nothing, nor a real turn from another device.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn made_up_devices_and_turns_count_nothing() {
    let class = open_class(Duration::ZERO).await;
    let path = format!("/classe/{}", class.code);
    let (_, page, headers) = send(&class.app, get(&path, None)).await;
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let turn = turn_of(&page);
    let (_, other_page, _) = send(&class.app, get(&path, None)).await;
    let made_up_device = format!("ruban_device={:032x}", 0xfeed_u128);
    let made_up_turn = format!("{:032x}", 0xbeef_u128);
    let forged = format!("{made_up_turn}.{:032x}", 0xcafe_u128);
    for (cookie, turn) in [
        (made_up_device.as_str(), made_up_turn.as_str()),
        (made_up_device.as_str(), turn.as_str()),
        (cookie.as_str(), made_up_turn.as_str()),
        (cookie.as_str(), forged.as_str()),
    ] {
        let (_, page, _) = send(&class.app, press(&path, Some(cookie), turn)).await;
        assert!(!page.contains("Merci, c’est compté!"), "{cookie} {turn}: {page}");
    }
    // A turn the server gave to another device (a page fetched without this cookie).
    let (_, page, _) = send(&class.app, press(&path, Some(&cookie), &turn_of(&other_page))).await;
    assert!(!page.contains("Merci, c’est compté!"), "{page}");
    assert_eq!(class.store.count(2026).await.unwrap(), 0);
    let (_, thanks, _) = send(&class.app, press(&path, Some(&cookie), &turn)).await;
    assert!(thanks.contains("Merci, c’est compté!"), "the issued pair counts: {thanks}");
}

/// Issue 32: a form another site posts is refused when the browser says so by any of
/// `Sec-Fetch-Site`, `Origin` or (older browsers) a `Referer` alone; the teacher's page too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forms_from_another_site_are_refused_even_with_a_referer_alone() {
    let class = open_class(Duration::ZERO).await;
    let path = format!("/classe/{}", class.code);
    let (_, page, headers) = send(&class.app, get(&path, None)).await;
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let teacher = class.store.teacher_code(&class.code).await.unwrap().expect("a teacher code");
    let teacher_path = format!("/enseignant/{teacher}");
    for (name, value) in [
        ("sec-fetch-site", "cross-site"),
        ("origin", "https://evil.test"),
        ("referer", "https://evil.test/ruban.ecole.test/classe"),
    ] {
        let mut req = press(&path, Some(&cookie), &turn_of(&page));
        req.headers_mut().insert("host", "ruban.ecole.test".parse().unwrap());
        req.headers_mut().insert(name, value.parse().unwrap());
        let (status, _, _) = send(&class.app, req).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}: {value}");
        let mut req = ruban_tests::web::form(&teacher_path, "action=approval-on", None);
        req.headers_mut().insert("host", "ruban.ecole.test".parse().unwrap());
        req.headers_mut().insert(name, value.parse().unwrap());
        let (status, _, _) = send(&class.app, req).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "teacher, {name}: {value}");
    }
    assert_eq!(class.store.count(2026).await.unwrap(), 0);
    // The same forms from this site go through.
    let mut req = press(&path, Some(&cookie), &turn_of(&page));
    req.headers_mut().insert("host", "ruban.ecole.test".parse().unwrap());
    req.headers_mut().insert("referer", "https://ruban.ecole.test/classe/x".parse().unwrap());
    let (_, thanks, _) = send(&class.app, req).await;
    assert!(thanks.contains("Merci, c’est compté!"), "{thanks}");
}

/// Issue 32: codes tried from one address are answered 404 until its budget of misses for the
/// minute is spent, then 429 on every door of that kind (class links, teacher pages, media,
/// shared cards), even for a code that exists; another address is not affected.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_codes_is_slowed_to_429() {
    let class = open_class(Duration::ZERO).await;
    for i in 0..30 {
        let (status, _, _) = send(&class.app, get(&format!("/classe/{:0>17}", format!("a{i}")), None)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "miss {i}");
    }
    for uri in [
        format!("/classe/{}", class.code),
        "/enseignant/aaaaaaaaaaaaaaaaa".to_owned(),
        "/media/0123456789abcdef0123456789abcdef".to_owned(),
        "/partage/x.y".to_owned(),
    ] {
        let (status, page, _) = send(&class.app, get(&uri, None)).await;
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{uri}: {page}");
    }
}

/// Issue 34: names are names. A joke typed where a first name goes (« Pipi », « c a c a »)
/// or a name of invisible characters only is refused kindly on the class page, counts
/// nothing, and never reaches the class badge.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jokes_and_invisible_names_never_reach_the_class_badge() {
    let class = open_class(Duration::ZERO).await;
    let path = format!("/classe/{}", class.code);
    let (_, page, headers) = send(&class.app, get(&path, None)).await;
    let cookie = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let mut turn = turn_of(&page);
    for name in ["Pipi", "c a c a", "P1P1", "\u{200D}", "\u{200B}\u{FE0F}"] {
        let (_, refused, _) = send(&class.app, press_named(&path, &cookie, &turn, name)).await;
        assert!(!refused.contains("Merci, c’est compté!"), "{name:?}: {refused}");
        turn = turn_of(&refused);
    }
    assert_eq!(class.store.count(2026).await.unwrap(), 0);
    let (_, thanks, _) = send(&class.app, press_named(&path, &cookie, &turn, "Capucine")).await;
    assert!(thanks.contains("Merci, c’est compté!"), "{thanks}");
    assert_eq!(class.store.class_summary(&class.code).await.unwrap().members, 1);
}
