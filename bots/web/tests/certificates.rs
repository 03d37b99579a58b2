//! Certificates from the chat (issue 15, part 3): `/certificat NOM [raison]` gives the adult who
//! asks a certificate of recognition, privately, as an image and a PDF to print. The name and
//! the reason get a card's checks; only the count is kept.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use ruban_core::Limits;
use ruban_tests::web::say;
use tower::ServiceExt;

async fn playground() -> (Router, ruban_store::Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { commands_per_minute: 1000, ..Limits::default() };
    let (bot, store) = ruban_tests::core::in_dir(dir.path(), limits).await;
    (ruban_web::app(ruban_web::AppState::new(bot, None)), store, dir)
}

async fn fetch(app: &Router, url: &str) -> (StatusCode, String, Vec<u8>) {
    let res = app.clone().oneshot(Request::get(url).body(Body::empty()).unwrap()).await.unwrap();
    let (status, cache) = (res.status(), res.headers().get("cache-control").map(|v| v.to_str().unwrap().to_owned()));
    (status, cache.unwrap_or_default(), res.into_body().collect().await.unwrap().to_bytes().to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_adult_gets_a_certificate_to_print_and_only_the_count_is_kept() {
    let (app, store, _dir) = playground().await;
    let year = 2026;
    let reply = say(&app, "mme-roy", "/certificat « Élodie Roy » pour son courage en lecture").await;
    let m = &reply.messages[0];
    assert!(m.private, "for the adult alone: {m:?}");
    assert!(m.text.contains("Élodie Roy"), "{}", m.text);
    let (status, cache, png) = fetch(&app, &m.images[0]).await;
    assert_eq!((status, cache.as_str()), (StatusCode::OK, "private, no-store"));
    let img = image::load_from_memory(&png).expect("an image");
    assert_eq!((img.width(), img.height()), (3300, 2550), "Letter at 300 dpi, landscape");
    let pdf = m.files.iter().find(|f| f.name.ends_with(".pdf")).expect("a PDF to print");
    assert!(pdf.name.starts_with("certificat-elodie"), "{}", pdf.name);
    let (status, _, bytes) = fetch(&app, &pdf.url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(bytes.starts_with(b"%PDF-"), "a PDF");
    assert_eq!(store.certificates_given(year).await.unwrap(), 1);

    // The default reason, when none is given.
    let reply = say(&app, "mme-roy", "/certificat Noah").await;
    assert!(!reply.messages[0].images.is_empty(), "{}", reply.messages[0].text);
    assert_eq!(store.certificates_given(year).await.unwrap(), 2);
    // The same pupil again (printed once more, written a little differently): still one.
    let again = say(&app, "mme-roy", "/certificat « élodie  Roy » pour sa lecture").await;
    assert!(!again.messages[0].images.is_empty(), "{}", again.messages[0].text);
    assert_eq!(store.certificates_given(year).await.unwrap(), 2, "one pupil, however many prints");

    // Refused kindly, and nothing drawn or counted: no name, a hurtful name or reason, a reason
    // too long.
    let long = format!("pour {}", "sa très grande persévérance ".repeat(8));
    for (text, says) in [
        ("/certificat", "Exemple"),
        ("/certificat « t’es laid »", ""),
        ("/certificat Zoé parce que tu es nulle", ""),
        (&format!("/certificat Zoé {long}") as &str, "trop longue"),
    ] {
        let reply = say(&app, "mme-roy", text).await;
        let m = &reply.messages[0];
        assert!(m.images.is_empty() && m.files.is_empty(), "{text}: {m:?}");
        assert!(m.text.contains(says) && !m.text.contains("laid") && !m.text.contains("nulle"), "{text}: {}", m.text);
    }
    assert_eq!(store.certificates_given(year).await.unwrap(), 2, "refusals count nothing");
}

/// The organizers see how many certificates were handed out, and nothing else about them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_counts_certificates_handed_out() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { commands_per_minute: 1000, ..Limits::default() };
    let (bot, _store) = ruban_tests::core::in_dir(dir.path(), limits).await;
    let token = "certificates-dashboard-token-0123456789";
    let app = ruban_web::app(ruban_web::AppState::new(bot, Some(token.into())));
    for who in ["Zoé", "Noah", "Léa"] {
        say(&app, "mme-roy", &format!("/certificat {who}")).await;
    }
    let (_, _, headers) = ruban_tests::web::send(
        &app,
        ruban_tests::web::form("/organisateurs/connexion", &format!("token={token}"), None),
    )
    .await;
    let session = ruban_tests::web::cookie_of(&headers);
    let (_, page, _) = ruban_tests::web::send(&app, ruban_tests::web::get("/organisateurs", Some(&session))).await;
    assert!(page.contains("<strong>3</strong> Certificats remis"), "{page}");
    assert!(!page.contains("Zoé") && !page.contains("Noah"), "no name kept or shown");
}

/// A class's certificates from the dashboard: 30 first names become one PDF with 30 pages, to
/// print; one refused name (the line said) or a forged form draws and counts nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_first_names_become_one_pdf_with_a_page_each() {
    let dir = tempfile::tempdir().unwrap();
    let (bot, store) = ruban_tests::core::in_dir(dir.path(), Limits::default()).await;
    let token = "class-certificates-token-0123456789";
    let app = ruban_web::app(ruban_web::AppState::new(bot, Some(token.into())));
    let (_, _, headers) = ruban_tests::web::send(
        &app,
        ruban_tests::web::form("/organisateurs/connexion", &format!("token={token}"), None),
    )
    .await;
    let session = ruban_tests::web::cookie_of(&headers);
    let (_, page, _) = ruban_tests::web::send(&app, ruban_tests::web::get("/organisateurs", Some(&session))).await;
    let csrf = ruban_tests::web::csrf_of(&page);
    assert!(page.contains("action=\"/organisateurs/certificats"), "the form is on the dashboard");
    let names: Vec<String> = (1..=30).map(|i| format!("Élève {i}")).collect();
    let form = |names: &str, csrf: &str| {
        let body = format!(
            "csrf={csrf}&names={}&reason=&giver={}",
            ruban_tests::web::urlencode(names),
            ruban_tests::web::urlencode("Mme Roy")
        );
        ruban_tests::web::form("/organisateurs/certificats?lang=fr-CA", &body, Some(&session))
    };

    let started = std::time::Instant::now();
    let res = app.clone().oneshot(form(&names.join("\n"), &csrf)).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("certificats.pdf"));
    assert_eq!(res.headers()["cache-control"], "private, no-store");
    let pdf = res.into_body().collect().await.unwrap().to_bytes();
    // Measured, not asserted (`-- --nocapture` prints it): the floor is 3 s.
    println!("30 certificates as one PDF in {:?} ({} kB; this build)", started.elapsed(), pdf.len() / 1000);
    assert!(pdf.starts_with(b"%PDF-") && pdf.ends_with(b"%%EOF\n"));
    let text = String::from_utf8_lossy(&pdf);
    assert!(text.contains("/Count 30"), "30 pages in the page tree");
    assert_eq!(text.matches("/Type /Page ").count(), 30, "30 pages");
    assert_eq!(text.matches("/Subtype /Image /Width 3300 /Height 2550").count(), 30, "each a 300-dpi certificate");
    assert_eq!(store.certificates_given(2026).await.unwrap(), 30);

    // The same class as a ZIP of PNGs (the form's second button): one image per pupil, in order.
    let zipped = format!("{}&format=zip", ruban_tests::web::urlencode(&names.join("\n")));
    let body = format!("csrf={csrf}&names={zipped}&reason=&giver={}", ruban_tests::web::urlencode("Mme Roy"));
    let started = std::time::Instant::now();
    let res = app
        .clone()
        .oneshot(ruban_tests::web::form("/organisateurs/certificats?lang=fr-CA", &body, Some(&session)))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/zip");
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("certificats.zip"));
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    println!("30 certificates as a ZIP of PNGs in {:?} ({} kB; this build)", started.elapsed(), bytes.len() / 1000);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    assert_eq!(zip.len(), 30);
    let entries: Vec<String> = (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().unwrap().into_owned()).collect();
    assert_eq!(entries[0], "01-certificat-eleve1.png");
    assert_eq!(entries[29], "30-certificat-eleve30.png");
    for i in [0, 29] {
        let mut png = Vec::new();
        std::io::Read::read_to_end(&mut zip.by_index(i).unwrap(), &mut png).unwrap();
        let img = image::load_from_memory(&png).unwrap();
        assert_eq!((img.width(), img.height()), (3300, 2550), "{}", entries[i]);
    }
    assert_eq!(store.certificates_given(2026).await.unwrap(), 30, "the same 30 pupils printed again are still 30");

    // A hurtful name on line 12: the line said, nothing drawn or counted. A forged form, an
    // empty list, too many names: the same.
    let mut bad = names.clone();
    bad[11] = "t’es laid".into();
    let (status, page, _) = ruban_tests::web::send(&app, form(&bad.join("\n"), &csrf)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Ligne 12") && !page.contains("laid"), "{page}");
    assert_eq!(ruban_tests::web::send(&app, form("Zoé", "forged")).await.0, StatusCode::FORBIDDEN);
    assert_eq!(ruban_tests::web::send(&app, form("\n \n", &csrf)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let many: Vec<String> = (1..=61).map(|i| format!("Élève {i}")).collect();
    assert_eq!(ruban_tests::web::send(&app, form(&many.join("\n"), &csrf)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(store.certificates_given(2026).await.unwrap(), 30, "refusals count nothing");
}
