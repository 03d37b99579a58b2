//! Classes from the organizers' dashboard (issue 13): an organizer opens a class for a school
//! with no chat, prints its sheet (the class link and its QR code), pupils pledge on the class's
//! device, and the organizer closes it and downloads the badge. Strangers, forged forms,
//! organizers of another scope and hurtful names get nothing.

use axum::Router;
use axum::http::{StatusCode, header};
use ruban_core::Limits;
use ruban_store::{Scope, Store};
use ruban_tests::web::{cookie_of, csrf_of, form, get, press, send, turn_of, urlencode};
use ruban_web::{AppState, WebOptions};

const ORGANIZER: &str = "dashboard-classes-organizer-token-0123";

struct Dash {
    app: Router,
    store: Store,
    _dir: tempfile::TempDir,
}

async fn dash() -> Dash {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { commands_per_minute: 10_000, chat_per_minute: 10_000, ..Limits::default() };
    let (bot, store) = ruban_tests::core::in_dir(dir.path(), limits).await;
    bot.set_public_url("https://ruban.ecole.test/");
    let options = WebOptions {
        class_link_pause: std::time::Duration::ZERO,
        organizer_token: Some(ORGANIZER.into()),
        ..Default::default()
    };
    Dash { app: ruban_web::app(AppState::with_options(bot, options)), store, _dir: dir }
}

impl Dash {
    /// Signs in with `token`: the session cookie and the dashboard's CSRF token.
    async fn sign_in(&self, token: &str) -> (String, String) {
        let (status, _, headers) =
            send(&self.app, form("/organisateurs/connexion", &format!("token={token}"), None)).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let session = cookie_of(&headers);
        let (_, page, _) = send(&self.app, get("/organisateurs", Some(&session))).await;
        (session, csrf_of(&page))
    }

    /// Opens a class named `name`: the class code, from where the dashboard sends the organizer.
    async fn open(&self, session: &str, csrf: &str, name: &str) -> (StatusCode, String, Option<String>) {
        let body = format!("csrf={csrf}&name={}", urlencode(name));
        let (status, page, headers) =
            send(&self.app, form("/organisateurs/classes?lang=fr-CA", &body, Some(session))).await;
        let code = headers.get(header::LOCATION).map(|l| {
            let l = l.to_str().unwrap();
            l.strip_prefix("/organisateurs/classes/").unwrap().split('?').next().unwrap().to_owned()
        });
        (status, page, code)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organizer_opens_a_class_prints_its_sheet_and_closes_it_with_its_badge() {
    let d = dash().await;
    let region = d.store.add_organizer_token(&Scope::Region("06".into()), None).await.unwrap();
    let (session, csrf) = d.sign_in(&region).await;
    let (status, _, code) = d.open(&session, &csrf, "5e année C").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let code = code.expect("sent to the class's sheet");
    let class = d.store.class_by_code(&code).await.unwrap().expect("the class is open");
    assert!(class.is_open && class.chat_key.is_none(), "a class with no chat: {class:?}");
    assert_eq!(class.region.as_deref(), Some("06"), "in the organizer's region");

    // The sheet: the class's name, its link in words and as a QR code, what to do with them.
    let (status, sheet, headers) = send(&d.app, get(&format!("/organisateurs/classes/{code}"), Some(&session))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let link = format!("https://ruban.ecole.test/classe/{}", class.link());
    assert!(sheet.contains("5e année C") && sheet.contains(&link), "{sheet}");
    assert!(sheet.contains("<svg") && sheet.contains("Je m’engage"), "a QR code and how to use it: {sheet}");
    let (_, dashboard, _) = send(&d.app, get("/organisateurs", Some(&session))).await;
    assert!(dashboard.contains(&link) && dashboard.contains(&format!("/organisateurs/classes/{code}/fermer")));
    // Classes told apart (issue 35): their count, when and where they were opened.
    assert!(dashboard.contains("0 engagement, ouverte le ") && dashboard.contains(" (tableau de bord)"), "{dashboard}");
    // The teacher's own access, to hand to the class's teacher (never on the sheet pupils see).
    let teacher = d.store.teacher_code(&code).await.unwrap().expect("a teacher access");
    assert!(dashboard.contains(&format!("/enseignant/{teacher}")), "{dashboard}");
    assert!(!sheet.contains(&teacher), "the sheet carries the class link only");

    // Two pupils pledge on the class's device, through the link the sheet shows.
    let path = format!("/classe/{}", class.link());
    let (status, page, headers) = send(&d.app, get(&path, None)).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let device = cookie_of(&headers);
    let mut turn = turn_of(&page);
    for _ in 0..2 {
        let (_, thanks, _) = send(&d.app, press(&path, Some(&device), &turn)).await;
        assert!(thanks.contains("Merci, c’est compté!"), "{thanks}");
        turn = turn_of(&thanks);
    }

    // Closed: the count said, the badge shown and downloadable, the class page closed.
    let close = format!("/organisateurs/classes/{code}/fermer?lang=fr-CA");
    let (status, closed, _) = send(&d.app, form(&close, &format!("csrf={csrf}"), Some(&session))).await;
    assert_eq!(status, StatusCode::OK, "{closed}");
    assert!(closed.contains('2'), "the count: {closed}");
    let media = closed.split("<img src=\"/media/").nth(1).expect("the badge").split('"').next().unwrap().to_owned();
    let res = {
        use tower::ServiceExt;
        d.app.clone().oneshot(get(&format!("/media/{media}"), None)).await.unwrap()
    };
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CACHE_CONTROL], "private, no-store");
    let bytes = {
        use http_body_util::BodyExt;
        res.into_body().collect().await.unwrap().to_bytes()
    };
    let badge = image::load_from_memory(&bytes).expect("the badge is an image");
    assert!(badge.width() >= 512, "{}x{}", badge.width(), badge.height());
    let summary = d.store.class_summary(&code).await.unwrap();
    assert_eq!(summary.members, 2);
    assert!(!d.store.class_by_code(&code).await.unwrap().unwrap().is_open);
    let (_, late, _) = send(&d.app, press(&path, Some(&device), &turn)).await;
    assert!(!late.contains("Merci, c’est compté!"), "a closed class counts nothing more: {late}");
    assert_eq!(d.store.class_summary(&code).await.unwrap().members, 2);
    // Closing again: it is no longer open, nothing to close.
    let (status, _, _) = send(&d.app, form(&close, &format!("csrf={csrf}"), Some(&session))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn strangers_forged_forms_other_scopes_and_hurtful_names_open_and_close_nothing() {
    let d = dash().await;
    let (session, csrf) = d.sign_in(ORGANIZER).await;
    // No session, or a forged form: nothing opens.
    let body = format!("csrf={csrf}&name=5e");
    assert_eq!(send(&d.app, form("/organisateurs/classes", &body, None)).await.0, StatusCode::FORBIDDEN);
    let forged = "csrf=forged&name=5e";
    assert_eq!(send(&d.app, form("/organisateurs/classes", forged, Some(&session))).await.0, StatusCode::FORBIDDEN);
    // A hurtful or undrawable name: the kind sentence, never the words, and no class.
    for name in ["t'es laid", "\u{0}"] {
        let (status, page, code) = d.open(&session, &csrf, name).await;
        assert_eq!((status, code), (StatusCode::UNPROCESSABLE_ENTITY, None), "{name:?}: {page}");
        assert!(page.contains("role=\"alert\"") && !page.contains("laid"), "{page}");
    }
    // An organizer is spoken to as an adult in their role (issue 35), not as a child.
    let (_, page, _) = d.open(&session, &csrf, "t'es laid").await;
    assert!(page.contains("Veuillez le reformuler") && !page.contains("Essaie"), "{page}");
    let filter = ruban_store::WallFilter::default();
    assert!(d.store.open_classes(2026, &filter, 10).await.unwrap().is_empty(), "no class opened");

    let (_, _, code) = d.open(&session, &csrf, "6e A").await;
    let code = code.unwrap();
    let sheet = format!("/organisateurs/classes/{code}");
    let close = format!("/organisateurs/classes/{code}/fermer");
    // A stranger sees no sheet and closes nothing; nor does an organizer of another region.
    assert_eq!(send(&d.app, get(&sheet, None)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(send(&d.app, form(&close, &format!("csrf={csrf}"), None)).await.0, StatusCode::FORBIDDEN);
    // (A class opened by a campaign-wide token has no region: give it one, as a region's own.)
    let nunavik = d.store.add_organizer_token(&Scope::Region("NUN".into()), None).await.unwrap();
    let (other, other_csrf) = d.sign_in(&nunavik).await;
    let (_, _, theirs) = d.open(&other, &other_csrf, "Secondaire 1").await;
    let theirs = theirs.unwrap();
    let region = d.store.add_organizer_token(&Scope::Region("06".into()), None).await.unwrap();
    let (mine, mine_csrf) = d.sign_in(&region).await;
    let their_sheet = format!("/organisateurs/classes/{theirs}");
    assert_eq!(send(&d.app, get(&their_sheet, Some(&mine))).await.0, StatusCode::NOT_FOUND);
    let their_close = format!("/organisateurs/classes/{theirs}/fermer");
    let (status, _, _) = send(&d.app, form(&their_close, &format!("csrf={mine_csrf}"), Some(&mine))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "another region's class");
    assert!(d.store.class_by_code(&theirs).await.unwrap().unwrap().is_open);
    // Codes that name nothing, or not a code at all.
    for wrong in ["aaaaaaaaaaaaaaaaa", "%00", "..%2Fetc"] {
        let (status, _, _) = send(
            &d.app,
            form(&format!("/organisateurs/classes/{wrong}/fermer"), &format!("csrf={csrf}"), Some(&session)),
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{wrong}");
    }

    // A class a teacher opened in a chat is theirs to close there (its counter is in the
    // chat): the dashboard shows its sheet, and offers no close.
    let said = ruban_tests::web::say(&d.app, "mme-roy", "/classe « 5e B »").await;
    let chat_code =
        said.messages[0].buttons.iter().find_map(|b| b.id.strip_prefix("j:")).expect("a join button").to_owned();
    assert_eq!(
        send(&d.app, get(&format!("/organisateurs/classes/{chat_code}"), Some(&session))).await.0,
        StatusCode::OK
    );
    let (_, dashboard, _) = send(&d.app, get("/organisateurs", Some(&session))).await;
    assert!(!dashboard.contains(&format!("/organisateurs/classes/{chat_code}/fermer")), "no close for it");
    let chat_close = format!("/organisateurs/classes/{chat_code}/fermer");
    let (status, _, _) = send(&d.app, form(&chat_close, &format!("csrf={csrf}"), Some(&session))).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(d.store.class_by_code(&chat_code).await.unwrap().unwrap().is_open);
}

/// Issue 15: « groupe » from the dashboard too: the open form's box makes the class a group,
/// whose page and badge say so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organizer_opens_a_group_for_a_cegep() {
    let d = dash().await;
    let (session, csrf) = d.sign_in(ORGANIZER).await;
    let body = format!("csrf={csrf}&name={}&group=1", urlencode("Soins infirmiers 1020"));
    let (status, _, headers) = send(&d.app, form("/organisateurs/classes?lang=fr-CA", &body, Some(&session))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let code = headers[header::LOCATION].to_str().unwrap().strip_prefix("/organisateurs/classes/").unwrap();
    let code = code.split('?').next().unwrap().to_owned();
    let class = d.store.class_by_code(&code).await.unwrap().expect("opened");
    assert!(class.is_group, "a group");
    let (_, page, _) = send(&d.app, get(&format!("/classe/{}", class.link()), None)).await;
    assert!(page.contains("<h1>Groupe «\u{a0}Soins infirmiers 1020\u{a0}»</h1>"), "{page}");
    // Without the box, a class.
    let (_, _, plain) = d.open(&session, &csrf, "5e B").await;
    assert!(!d.store.class_by_code(&plain.unwrap()).await.unwrap().unwrap().is_group);
}
