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
