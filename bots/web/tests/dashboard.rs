//! The organizer dashboard: sign-in by token, the session cookie's flags, CSRF on every change,
//! scoped views, downloads and moderation.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use ruban_core::Limits;
use ruban_store::{NewWallEntry, PledgeRequest, Scope, Store};
use tower::ServiceExt;

const TOKEN: &str = "campaign-token-for-dashboard-tests";

async fn setup() -> (Router, Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (bot, store) = ruban_tests::core::in_dir(dir.path(), Limits::default()).await;
    for (who, region) in [("a", "06"), ("b", "NUN")] {
        store
            .pledge(PledgeRequest {
                campaign: 2026,
                person_key: who.into(),
                platform: "telegram".into(),
                chat_key: None,
                region: Some(region.into()),
                organization: Some("École A".into()),
            })
            .await
            .unwrap();
    }
    (ruban_web::app(ruban_web::AppState::new(bot, Some(TOKEN.into()))), store, dir)
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, headers, String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap())
}

fn form(uri: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut r = Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    r.body(Body::from(body.to_owned())).unwrap()
}

fn get(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut r = Request::get(uri);
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    r.body(Body::empty()).unwrap()
}

async fn sign_in(app: &Router, token: &str) -> String {
    let (status, headers, _) = send(app, form("/organisateurs/connexion", &format!("token={token}"), None)).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let set = headers[header::SET_COOKIE].to_str().unwrap().to_owned();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
    set.split(';').next().unwrap().to_owned()
}

fn csrf(html: &str) -> String {
    html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_see_download_and_moderate() {
    let (app, store, _dir) = setup().await;
    let (status, _, html) = send(&app, get("/organisateurs", None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("type=\"password\""), "the sign-in form");
    let (status, _, html) = send(&app, form("/organisateurs/connexion", "token=wrong", None)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(html.contains("pas valide"));
    // Behind HTTPS the cookie is Secure.
    let req = Request::post("/organisateurs/connexion")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-proto", "https")
        .body(Body::from(format!("token={TOKEN}")))
        .unwrap();
    assert!(send(&app, req).await.1[header::SET_COOKIE].to_str().unwrap().contains("Secure"));

    let cookie = sign_in(&app, TOKEN).await;
    let (status, headers, html) = send(&app, get("/organisateurs", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert!(html.contains("<svg") && html.contains("<table>") && html.contains("Toute la campagne"));
    assert!(html.contains("Montréal") && html.contains("Nunavik"));
    let (status, _, csv) = send(&app, get("/api/export.csv?by=region", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.starts_with('\u{FEFF}') || csv.starts_with("key"), "{csv}");

    let id = store
        .post_wall(&NewWallEntry {
            campaign: 2026,
            author_key: None,
            message: "Un message à masquer".into(),
            platform: "web".into(),
            region: None,
            organization: None,
        })
        .await
        .unwrap();
    let token = csrf(&html);
    let (status, _, _) =
        send(&app, form(&format!("/organisateurs/mur/{id}"), "csrf=forged&hidden=1", Some(&cookie))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no change without the session's CSRF token");
    assert_eq!(store.wall(2026, 10, false).await.unwrap().len(), 1);
    let (status, _, _) =
        send(&app, form(&format!("/organisateurs/mur/{id}"), &format!("csrf={token}&hidden=1"), None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no change without the session cookie");
    let (status, _, _) =
        send(&app, form(&format!("/organisateurs/mur/{id}"), &format!("csrf={token}&hidden=1"), Some(&cookie))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(store.wall(2026, 10, false).await.unwrap().is_empty(), "hidden from the public wall");

    let (status, _, _) = send(&app, form("/organisateurs/deconnexion", &format!("csrf={token}"), Some(&cookie))).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, _, html) = send(&app, get("/organisateurs", Some(&cookie))).await;
    assert!(html.contains("type=\"password\""), "signed out");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scoped_token_sees_its_scope_only_and_cannot_moderate() {
    let (app, store, _dir) = setup().await;
    let token = store.add_organizer_token(&Scope::Region("NUN".into()), None).await.unwrap();
    let cookie = sign_in(&app, &token).await;
    let (_, _, html) = send(&app, get("/organisateurs", Some(&cookie))).await;
    assert!(html.contains("Région") && html.contains("Nunavik"));
    let (status, _, csv) = send(&app, get("/api/export.csv?pledges=true", Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(csv.contains("NUN") && !csv.contains(",06,"), "{csv}");
    let (status, _, _) = send(&app, get("/api/export.csv?region=06", Some(&cookie))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _, _) =
        send(&app, form("/organisateurs/mur/1", &format!("csrf={}&hidden=1", csrf(&html)), Some(&cookie))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// Issue 35: a dashboard an organizer would show their director. People who gave no region
/// are a labelled bar (« Région non précisée »), each table's header names what it counts
/// (« Jour », « Région », never « Groupe »), and the download rows are in French.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn charts_and_downloads_are_labelled_in_french() {
    let (app, store, _dir) = setup().await;
    store
        .pledge(PledgeRequest {
            campaign: 2026,
            person_key: "c".into(),
            platform: "web".into(),
            chat_key: None,
            region: None,
            organization: None,
        })
        .await
        .unwrap();
    let cookie = sign_in(&app, TOKEN).await;
    let (_, _, html) = send(&app, get("/organisateurs?lang=fr-CA", Some(&cookie))).await;
    assert!(html.contains("Région non précisée") && html.contains("Organisation non précisée"), "{html}");
    for header in ["Jour", "Région", "Organisation", "Plateforme"] {
        assert!(html.contains(&format!("<th scope=\"col\">{header}</th>")), "{header}: {html}");
    }
    assert!(!html.contains(">Groupe<"), "{html}");
    for english in ["<li>day:", "<li>region:", "<li>organization:", "<li>platform:", "<li>chat:"] {
        assert!(!html.contains(english), "{english}");
    }
    assert!(html.contains("<li>Par jour\u{a0}:"), "{html}");
}

/// Issue 35: the campaign's one-page report, from the dashboard: a one-page Letter PDF for a
/// signed-in organizer (nobody else), its figures those of the token's scope.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_campaign_report_is_one_printed_page_of_the_scopes_figures() {
    let (app, store, _dir) = setup().await;
    let (status, _, _) = send(&app, get("/organisateurs/rapport.pdf", None)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "nobody signed in, no report");
    let cookie = sign_in(&app, TOKEN).await;
    let (_, _, html) = send(&app, get("/organisateurs?lang=fr-CA", Some(&cookie))).await;
    assert!(html.contains("href=\"/organisateurs/rapport.pdf?lang=fr-CA\""), "the dashboard offers it");
    let res = app.clone().oneshot(get("/organisateurs/rapport.pdf?lang=fr-CA", Some(&cookie))).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "application/pdf");
    assert!(res.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().contains("bilan-campagne.pdf"));
    let pdf = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&pdf);
    assert_eq!(text.matches("/Type /Page ").count() + text.matches("/Type /Page/").count(), 1, "one page");
    assert!(text.contains("/MediaBox [0 0 612 792]"), "US Letter");
    // The page itself: the JPEG inside, at 300 dpi.
    let start = pdf.windows(3).position(|w| w == [0xFF, 0xD8, 0xFF]).expect("a JPEG page");
    let end = pdf.windows(2).rposition(|w| w == [0xFF, 0xD9]).expect("its end") + 2;
    let page = image::load_from_memory(&pdf[start..end]).unwrap();
    assert_eq!((page.width(), page.height()), card_renderer::REPORT_SIZE);
    // Its figures: the whole campaign's (two pledges), or a region's own (one).
    let texts = ruban_core::Texts::embedded().unwrap();
    let campaign = ruban_vocabulary::Campaign::embedded();
    let day = time::macros::date!(2026 - 02 - 23);
    let all = ruban_core::report::spec(&store, &texts, ruban_vocabulary::Locale::FrCa, &campaign, &Scope::All, day)
        .await
        .unwrap();
    assert_eq!(all.figures[0], ("2".to_owned(), "engagements".to_owned()));
    assert_eq!(all.by_region.bars.iter().map(|b| b.1).sum::<u64>(), 2);
    assert!(all.figures.iter().any(|f| f.1.contains("certificats")), "campaign-wide: certificates counted");
    let region = Scope::Region("06".into());
    let one = ruban_core::report::spec(&store, &texts, ruban_vocabulary::Locale::FrCa, &campaign, &region, day)
        .await
        .unwrap();
    assert_eq!(one.figures[0].0, "1");
    assert!(one.subtitle.contains("Montréal"), "{}", one.subtitle);
    assert!(!one.figures.iter().any(|f| f.1.contains("certificats")), "a region's report counts no certificates");
    assert!(one.footer.contains("lundi 23 février 2026"), "{}", one.footer);
}
