//! The organizer dashboard (`/organisateurs`, `/organizers`): sign in with a token, see the
//! totals of the token's scope as SVG charts with a table beside each (for screen readers),
//! download the same CSV and JSON as `ruban export`, and moderate the wall.
//!
//! Security: tokens compared in constant time or by hash; the session cookie is HttpOnly,
//! SameSite=Strict, Secure behind HTTPS; every form carries the session's CSRF token; wrong
//! tokens are limited per client and in all before any comparison ([`crate::auth`]); nothing
//! here is cached.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use ruban_store::{GroupBy, Scope, TotalRow};
use ruban_vocabulary::campaign::Season;
use ruban_vocabulary::{Locale, format_number};
use serde::Deserialize;

use crate::auth::{Client, Verdict, verify};
use crate::organizer_page::page;
use crate::session::{COOKIE, CsrfForm, SESSION_LIFE, Session, Sessions, checked, secure, set_cookie};
use crate::{AppState, LangQuery, page_locale};

fn login_form(state: &AppState, l: Locale, error: Option<&str>) -> Response {
    let t = |id: &str| state.bot.texts().t(l, id, &[]);
    let body = html! {
        main.login {
            h1 { (t("dash-login-title")) }
            @if let Some(id) = error {
                p.error role="alert" { (t(id)) }
            }
            form method="post" action={ "/organisateurs/connexion?lang=" (l.tag()) } {
                label for="token" { (t("dash-login-token")) }
                input #token name="token" type="password" autocomplete="current-password" required;
                button type="submit" { (t("dash-login-submit")) }
            }
        }
    };
    page(l, &t("dash-login-title"), body)
}

/// A bar chart as SVG with its data table beside it: the chart for eyes, the table for screen
/// readers and for copying.
fn chart(l: Locale, caption: &str, rows: &[(String, i64, bool)], col_key: &str, col_n: &str) -> Markup {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1) as f64;
    let bar_h = 22.0;
    let height = (rows.len() as f64 * (bar_h + 6.0)).max(28.0);
    html! {
        section.chart {
            h2 { (caption) }
            div.pair {
                svg viewBox={ "0 0 620 " (height) } role="img" aria-label=(caption) {
                    @for (i, (label, n, hi)) in rows.iter().enumerate() {
                        @let y = i as f64 * (bar_h + 6.0);
                        @let w = (*n as f64 / max * 360.0).max(2.0);
                        text x="0" y=(y + 16.0) class="lbl" { (truncate(label, 26)) }
                        rect x="190" y=(y) width=(format!("{w:.1}")) height=(bar_h) rx="4" class=(if *hi { "bar hi" } else { "bar" }) {}
                        text x=(format!("{:.1}", 196.0 + w)) y=(y + 16.0) class="num" { (format_number(l, *n as u64)) }
                    }
                }
                table {
                    caption { (caption) }
                    thead { tr { th scope="col" { (col_key) } th scope="col" { (col_n) } } }
                    tbody {
                        @for (label, n, _) in rows {
                            tr { th scope="row" { (label) } td { (format_number(l, *n as u64)) } }
                        }
                    }
                }
            }
        }
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_owned() } else { format!("{}…", s.chars().take(n - 1).collect::<String>()) }
}

pub(crate) async fn show(State(state): State<Arc<AppState>>, q: Query<LangQuery>, headers: HeaderMap) -> Response {
    let l = page_locale(&q, &headers);
    let Some(session) = Sessions::get(&state, &headers).await else {
        return login_form(&state, l, None);
    };
    match dashboard(&state, l, &session).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(error = %e, "dashboard");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

async fn dashboard(state: &AppState, l: Locale, session: &Session) -> Result<Response, ruban_store::StoreError> {
    let texts = state.bot.texts();
    let t = |id: &str| texts.t(l, id, &[]);
    let store = state.bot.store();
    let year = state.bot.campaign().year;
    let filter = session.scope.filter();
    let regions = store.regions();
    // People who gave no region (or organization) are a bar of their own, named as such.
    let region_name = |code: &str| match code {
        "" => t("dash-region-none"),
        _ => regions.iter().find(|r| r.code == code).map_or(code.to_owned(), |r| r.name(l.tag()).to_owned()),
    };
    let scope_label = match &session.scope {
        Scope::All => t("dash-scope-all"),
        Scope::Region(r) => texts.t(l, "dash-scope-region", &[("name", region_name(r).into())]),
        Scope::Organization(o) => texts.t(l, "dash-scope-organization", &[("name", o.clone().into())]),
    };
    let day = store.totals_in(year, GroupBy::Day, &filter).await?;
    let by_region = store.totals_in(year, GroupBy::Region, &filter).await?;
    let by_org = store.totals_in(year, GroupBy::Organization, &filter).await?;
    let by_platform = store.totals_in(year, GroupBy::Platform, &filter).await?;
    let total: i64 = day.iter().map(|r| r.pledges).sum();
    let (youth, adult): (i64, i64) = (day.iter().map(|r| r.youth).sum(), day.iter().map(|r| r.adult).sum());
    let cards: Option<i64> = day.iter().map(|r| r.cards).sum();
    let classes = store.class_count(year, &filter).await?;
    let rows = |v: &[TotalRow], label: &dyn Fn(&TotalRow) -> String| -> Vec<(String, i64, bool)> {
        v.iter().map(|r| (label(r), r.pledges, r.persevert == Some(true))).collect()
    };
    let n = t("dash-col-pledges");
    // Between campaigns with no next one on file, pledges are refused: the organizers read it
    // first, with what to ask of their operator.
    let no_next = match state.bot.season() {
        Season::Unannounced { last } => Some(texts.t(l, "dash-no-next-campaign", &[("year", last.year.into())])),
        _ => None,
    };
    // Certificates and the green wave's photos are counted for the whole campaign only (here
    // nothing says whose region they were).
    let recognition = match session.scope {
        Scope::All => Some((store.certificates_given(year).await?, store.green_photos(year).await?)),
        _ => None,
    };
    let split = texts.t(
        l,
        "dash-total-split",
        &[("youth", format_number(l, youth as u64).into()), ("adult", format_number(l, adult as u64).into())],
    );
    let organization = |r: &TotalRow| if r.key.is_empty() { t("dash-organization-none") } else { r.label.clone() };
    let colon = if l == Locale::FrCa { "\u{a0}:" } else { ":" };
    let wall = match session.scope {
        Scope::All => Some(store.wall(year, 50, true).await?),
        _ => None,
    };
    let classes_section = crate::dashboard_classes::section(state, l, session, year, &filter).await?;
    let reports_section = crate::reports::section(state, l, session).await?;
    let held_section = crate::held::section(state, l, session).await?;
    let body = html! {
        header {
            h1 { (t("dash-title")) }
            p.scope { (scope_label) }
            form method="post" action="/organisateurs/deconnexion" {
                input type="hidden" name="csrf" value=(session.csrf);
                button type="submit" { (t("dash-logout")) }
            }
        }
        main {
            @if let Some(said) = no_next {
                p.notice.error role="alert" { (said) }
            }
            section.kpis {
                p { strong { (format_number(l, total as u64)) } " " (t("dash-total")) " " small { (split) } }
                p {
                    strong { (cards.map_or("—".to_owned(), |c| format_number(l, c as u64))) }
                    " " (t("dash-cards"))
                }
                p { strong { (format_number(l, classes as u64)) } " " (t("dash-classes")) }
                @if let Some((certificates, photos)) = recognition {
                    p { strong { (format_number(l, certificates as u64)) } " " (t("dash-certificates")) }
                    p { strong { (format_number(l, photos as u64)) } " " (t("dash-green-photos")) }
                }
            }
            (chart(l, &t("dash-by-day"), &rows(&day, &|r| r.key.clone()), &t("dash-col-day"), &n))
            (chart(l, &t("dash-by-region"), &rows(&by_region, &|r| region_name(&r.key)), &t("dash-col-region"), &n))
            (chart(l, &t("dash-by-organization"), &rows(&by_org, &organization), &t("dash-col-organization"), &n))
            (chart(l, &t("dash-by-platform"), &rows(&by_platform, &|r| r.key.clone()), &t("dash-col-platform"), &n))
            section.downloads {
                h2 { (t("dash-downloads")) }
                p { a href={ "/organisateurs/rapport.pdf?lang=" (l.tag()) } { (t("dash-download-report")) } }
                p { a href={ "/api/export.xlsx?lang=" (l.tag()) } { (t("dash-download-xlsx")) } }
                ul {
                    @for by in ["day", "region", "organization", "platform", "chat"] {
                        li {
                            (t(&format!("dash-by-{by}"))) (colon) " "
                            a href={ "/api/export.csv?by=" (by) "&excel=true" } { (t("dash-download-csv")) }
                            " · "
                            a href={ "/api/export.csv?by=" (by) "&excel=true&sep=semicolon" } { (t("dash-download-csv-fr")) }
                            " · "
                            a href={ "/api/export.json?by=" (by) } { (t("dash-download-json")) }
                        }
                    }
                }
                p { a href="/api/export.csv?pledges=true&excel=true" { (t("dash-download-pledges")) } }
            }
            (classes_section)
            (crate::certificates::section(state, l, session))
            (reports_section)
            (held_section)
            section.moderation {
                h2 { (t("dash-moderation")) }
                @match wall {
                    Some(entries) => {
                        @if entries.is_empty() {
                            p { (t("dash-moderation-empty")) }
                        }
                        ul {
                            @for e in entries {
                                @let (action, label) = match (e.awaiting, e.hidden) {
                                    (true, _) => ("0", t("dash-approve")),
                                    (false, true) => ("0", t("dash-show")),
                                    (false, false) => ("1", t("dash-hide")),
                                };
                                li.hidden-entry[e.hidden] {
                                    q { (e.message) }
                                    " "
                                    @if e.awaiting {
                                        em { "(" (t("dash-awaiting")) ")" }
                                    } @else if e.hidden {
                                        em { "(" (t("dash-hidden")) ")" }
                                    }
                                    form method="post" action={ "/organisateurs/mur/" (e.id) } {
                                        input type="hidden" name="csrf" value=(session.csrf);
                                        input type="hidden" name="hidden" value=(action);
                                        button type="submit" { (label) }
                                    }
                                }
                            }
                        }
                    }
                    None => p { (t("dash-moderation-scoped")) },
                }
            }
        }
    };
    Ok(page(l, &t("dash-title"), body))
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    token: String,
}

pub(crate) async fn login(
    State(state): State<Arc<AppState>>,
    client: Client,
    q: Query<LangQuery>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let l = page_locale(&q, &headers);
    let refused = |id: &str, status: StatusCode| {
        let mut r = login_form(&state, l, Some(id));
        *r.status_mut() = status;
        r
    };
    let scope = match verify(&state, client, form.token.trim()).await {
        Verdict::Granted(scope) => scope,
        Verdict::Denied => return refused("dash-login-bad", StatusCode::UNAUTHORIZED),
        Verdict::Limited => return refused("dash-login-slow", StatusCode::TOO_MANY_REQUESTS),
        Verdict::Unavailable => return refused("dash-login-unavailable", StatusCode::SERVICE_UNAVAILABLE),
    };
    let id = match Sessions::create(&state, scope).await {
        Ok(id) => id,
        Err(e) => {
            tracing::error!(error = %e, "could not keep a dashboard session");
            return refused("dash-login-unavailable", StatusCode::SERVICE_UNAVAILABLE);
        }
    };
    let mut res = Redirect::to(&format!("/organisateurs?lang={}", l.tag())).into_response();
    set_cookie(&mut res, COOKIE, &id, "/", SESSION_LIFE, secure(&headers));
    res
}

pub(crate) async fn logout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    if checked(&state, &headers, &form).await.is_none() {
        return StatusCode::FORBIDDEN.into_response();
    }
    Sessions::remove(&state, &headers).await;
    let mut res = Redirect::to("/organisateurs").into_response();
    set_cookie(&mut res, COOKIE, "", "/", std::time::Duration::ZERO, secure(&headers));
    res
}

pub(crate) async fn moderate(
    State(state): State<Arc<AppState>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(form): Form<CsrfForm>,
) -> Response {
    let Some(session) = checked(&state, &headers, &form).await else {
        return StatusCode::FORBIDDEN.into_response();
    };
    if session.scope != Scope::All {
        return StatusCode::FORBIDDEN.into_response();
    }
    match state.bot.store().set_wall_hidden(id, form.hidden.as_deref() == Some("1")).await {
        Ok(_) => Redirect::to("/organisateurs#moderation").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "moderation");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

/// `GET /organisateurs/rapport.pdf`: the campaign's one-page report for the session's scope,
/// to download and print (reading only: no form, so no CSRF token; never cached).
pub(crate) async fn report(State(state): State<Arc<AppState>>, q: Query<LangQuery>, headers: HeaderMap) -> Response {
    let l = page_locale(&q, &headers);
    let Some(session) = Sessions::get(&state, &headers).await else {
        return StatusCode::FORBIDDEN.into_response();
    };
    match state.bot.campaign_report(l, &session.scope).await {
        Ok(pdf) => {
            let file = state.bot.texts().t(l, "report-file", &[]);
            (
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
                    (header::CACHE_CONTROL, "private, no-store".to_owned()),
                ],
                pdf,
            )
                .into_response()
        }
        Err(why) => {
            tracing::warn!(why, "campaign report");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

pub(crate) async fn style() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("../static/dashboard.css"))
}
