//! The organizers' figures as an Excel workbook (issue 15, part 6), read back by a spreadsheet
//! library as Excel would: the sheets, numbers as numbers, days as dates, the chart sheet; and
//! the `;` CSV that Excel in French reads in columns. Only an organizer gets either.

use std::io::Cursor;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use calamine::{Data, DataType, Reader, SheetType, Xlsx};
use http_body_util::BodyExt;
use ruban_core::Limits;
use ruban_tests::web::{say, send};
use ruban_web::AppState;
use tower::ServiceExt;

const ORGANIZER: &str = "workbook-tests-organizer-token-0123456789";

fn bearer(uri: &str, token: Option<&str>) -> Request<Body> {
    let mut r = Request::get(uri);
    if let Some(t) = token {
        r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    r.body(Body::empty()).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workbook_holds_every_figure_as_excel_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let limits = Limits { commands_per_minute: 1000, cards_per_minute: 1000, ..Limits::default() };
    let (bot, store) = ruban_tests::core::in_dir(dir.path(), limits).await;
    let app = ruban_web::app(AppState::new(bot, Some(ORGANIZER.into())));
    for (who, age) in [("lea", "r:a:y"), ("noah", "r:a:y"), ("zoe", "r:a:a")] {
        let pledged = say(&app, who, "/ruban").await;
        // Once, optionally: young person or adult.
        let (message, button) = ruban_tests::web::button(&pledged, age).expect("the age question");
        ruban_tests::web::click(&app, who, &message, &button).await;
    }
    // Someone without a pledge has nothing to say it on.
    ruban_tests::web::click(&app, "nobody", "m0", "r:a:y").await;
    say(&app, "lea", "/carte Noah").await;
    say(&app, "prof", "/classe « 5e B »").await;
    let pupils: Vec<String> = (1..=4).map(|i| format!("pupil-{i}")).collect();
    store.count_certificates(2026, "web", &pupils).await.unwrap();
    let photo = ruban_store::GreenPhoto { campaign: 2026, platform: "web".into(), person_key: None, class_code: None };
    store.count_green_photo(&photo).await.unwrap();

    assert_eq!(send(&app, bearer("/api/export.xlsx", None)).await.0, StatusCode::UNAUTHORIZED, "organizers only");
    assert_eq!(send(&app, bearer("/api/export.xlsx", Some("not-the-token"))).await.0, StatusCode::UNAUTHORIZED);
    let res = app.clone().oneshot(bearer("/api/export.xlsx?lang=fr-CA", Some(ORGANIZER))).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(res.headers()[header::CONTENT_DISPOSITION].to_str().unwrap().contains("ruban-2026.xlsx"));
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();

    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).expect("an xlsx file Excel would open");
    let sheets: Vec<(String, SheetType)> = book.sheets_metadata().iter().map(|s| (s.name.clone(), s.typ)).collect();
    let names: Vec<&str> = sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["Résumé", "Par jour", "Par région", "Par organisation", "Par plateforme", "Graphique"]);
    assert_eq!(sheets[5].1, SheetType::ChartSheet, "the chart on a sheet of its own");

    let summary = book.worksheet_range("Résumé").unwrap();
    let figure = |label: &str| {
        summary
            .rows()
            .find(|r| r[0] == Data::String(label.to_owned()))
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("{label} in the summary"))
    };
    assert_eq!(figure("Engagements"), Data::Float(3.0), "numbers as numbers");
    assert_eq!(figure("– jeunes"), Data::Float(2.0), "as they said");
    assert_eq!(figure("– adultes"), Data::Float(1.0));
    assert_eq!(figure("– sans réponse"), Data::Float(0.0));
    assert_eq!(figure("Cartes envoyées"), Data::Float(1.0));
    assert_eq!(figure("Classes et groupes"), Data::Float(1.0));
    assert_eq!(figure("Certificats remis"), Data::Float(4.0));
    assert_eq!(figure("Photos en vert (/vert)"), Data::Float(1.0));

    let days = book.worksheet_range("Par jour").unwrap();
    let first = &days.rows().nth(1).unwrap()[0];
    match first {
        Data::DateTime(d) => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            assert_eq!((y, m, day), (2026, 2, 16), "the week's first day, as a date");
        }
        other => panic!("a day is a date, got {other:?}"),
    }
    let thursday = days.rows().find(|r| r.get(5) == Some(&Data::String("Oui".into()))).expect("Jeudi perséVERT marked");
    assert!(matches!(thursday[0], Data::DateTime(_)));
    let pledged: f64 = days.rows().skip(1).filter_map(|r| r[1].get_float()).sum();
    assert_eq!(pledged, 3.0, "the days add up");
    let young: f64 = days.rows().skip(1).filter_map(|r| r[2].get_float()).sum();
    assert_eq!(young, 2.0, "young people by day too");
    let regions = book.worksheet_range("Par région").unwrap();
    assert!(regions.rows().any(|r| r[1] == Data::String("Montréal".into())), "regions by name");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_semicolon_csv_for_excel_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let (bot, _store) = ruban_tests::core::in_dir(dir.path(), Limits::default()).await;
    let app = ruban_web::app(AppState::new(bot, Some(ORGANIZER.into())));
    say(&app, "lea", "/ruban").await;
    let (status, text, _) =
        send(&app, bearer("/api/export.csv?by=day&excel=true&sep=semicolon", Some(ORGANIZER))).await;
    assert_eq!(status, StatusCode::OK);
    let mut lines = text.trim_start_matches('\u{FEFF}').lines();
    assert_eq!(lines.next(), Some("clé;libellé;engagements;jeunes;adultes;cartes;jeudi_persévert"));
    assert!(lines.any(|l| l.ends_with(";oui")), "{text}");
    let (status, _, _) = send(&app, bearer("/api/export.csv?sep=tab", Some(ORGANIZER))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "an unknown separator is refused");
    let (_, comma, _) = send(&app, bearer("/api/export.csv?by=day", Some(ORGANIZER))).await;
    assert!(comma.starts_with("key,label,pledges"), "comma stays the default: {comma}");
    // The dashboard offers both, and the workbook.
    let (_, page, headers) = send(
        &app,
        ruban_tests::web::form(
            "/organisateurs/connexion",
            &format!("token={}", ruban_tests::web::urlencode(ORGANIZER)),
            None,
        ),
    )
    .await;
    let _ = page;
    let session = ruban_tests::web::cookie_of(&headers);
    let (_, dashboard, _) = send(&app, ruban_tests::web::get("/organisateurs", Some(&session))).await;
    assert!(dashboard.contains("sep=semicolon") && dashboard.contains("/api/export.xlsx"), "{dashboard}");
}
