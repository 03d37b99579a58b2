//! `GET /api/export.csv` and `GET /api/export.json`: the same totals and pledge rows as
//! `ruban export`, for scripts, with `Authorization: Bearer <token>`, within the token's scope.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ruban_store::export::{write_pledges, write_totals};
use ruban_store::{ExportFormat, GroupBy, Scope, WallFilter};
use serde::Deserialize;

use crate::{AppState, constant_time_eq};

/// The parameters, as the command line's flags.
#[derive(Debug, Deserialize, Default)]
pub struct ExportQuery {
    /// day, region, organization, platform or chat.
    by: Option<String>,
    /// The pledge rows instead of totals.
    #[serde(default)]
    pledges: bool,
    /// A byte-order mark for Excel (CSV).
    #[serde(default)]
    excel: bool,
    /// Narrow to a region (within the token's scope).
    region: Option<String>,
    /// Narrow to an organization (within the token's scope).
    organization: Option<String>,
}

fn refuse(status: StatusCode, why: &'static str) -> Response {
    let mut res = (status, axum::Json(serde_json::json!({ "error": why }))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    res
}

/// The scope of the request's token, or the response refusing it.
pub(crate) async fn authorize(state: &AppState, headers: &HeaderMap) -> Result<Scope, Response> {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .unwrap_or_default();
    if given.is_empty() {
        // The dashboard's download links: the signed-in session's scope.
        if let Some(session) = state.sessions.get(headers) {
            return Ok(session.scope);
        }
        return Err(refuse(StatusCode::UNAUTHORIZED, "an organizer token is required"));
    }
    if let Some(campaign_token) = &state.organizer_token
        && constant_time_eq(given.as_bytes(), campaign_token.as_bytes())
    {
        return Ok(Scope::All);
    }
    match state.bot.store().organizer_scope(given).await {
        Ok(Some(scope)) => Ok(scope),
        Ok(None) => {
            // Guessing tokens: a few wrong tries a minute, then wait.
            if state.login_attempts.check().is_err() {
                return Err(refuse(StatusCode::TOO_MANY_REQUESTS, "too many attempts, wait a minute"));
            }
            Err(refuse(StatusCode::UNAUTHORIZED, "unknown organizer token"))
        }
        Err(e) => {
            tracing::error!(error = %e, "organizer token lookup");
            Err(refuse(StatusCode::SERVICE_UNAVAILABLE, "try again"))
        }
    }
}

/// The filter for a request within a scope: a scoped token may narrow, never widen.
fn within(scope: &Scope, q: &ExportQuery) -> Result<WallFilter, &'static str> {
    let mut filter = scope.filter();
    for (asked, allowed, slot) in [
        (&q.region, filter.region.clone(), &mut filter.region),
        (&q.organization, filter.school.clone(), &mut filter.school),
    ] {
        match (asked.as_ref().filter(|s| !s.is_empty()), allowed) {
            (Some(a), Some(allowed)) if *a != allowed => {
                return Err("this token does not cover that region or organization");
            }
            (Some(a), None) => *slot = Some(a.clone()),
            _ => {}
        }
    }
    Ok(filter)
}

async fn export(state: Arc<AppState>, headers: HeaderMap, q: ExportQuery, json: bool) -> Response {
    let scope = match authorize(&state, &headers).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let filter = match within(&scope, &q) {
        Ok(f) => f,
        Err(why) => return refuse(StatusCode::FORBIDDEN, why),
    };
    let by: GroupBy = match q.by.as_deref().unwrap_or("day").parse() {
        Ok(b) => b,
        Err(_) => return refuse(StatusCode::BAD_REQUEST, "by is day, region, organization, platform or chat"),
    };
    let format = if json { ExportFormat::Json } else { ExportFormat::Csv { excel: q.excel } };
    let year = state.bot.campaign().year;
    let store = state.bot.store();
    let mut out = Vec::new();
    let written = if q.pledges {
        match store.pledge_rows_in(year, &filter).await {
            Ok(rows) => write_pledges(&mut out, year, &rows, format),
            Err(e) => Err(e),
        }
    } else {
        match store.totals_in(year, by, &filter).await {
            Ok(rows) => write_totals(&mut out, year, by, &rows, format),
            Err(e) => Err(e),
        }
    };
    if let Err(e) = written {
        tracing::error!(error = %e, "export");
        return refuse(StatusCode::SERVICE_UNAVAILABLE, "try again");
    }
    let (content_type, name) = if json {
        ("application/json", format!("ruban-{year}.json"))
    } else {
        ("text/csv; charset=utf-8", format!("ruban-{year}.csv"))
    };
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        out,
    )
        .into_response()
}

pub(crate) async fn csv(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<ExportQuery>,
) -> Response {
    export(state, headers, q, false).await
}

pub(crate) async fn json(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    Query(q): Query<ExportQuery>,
) -> Response {
    export(state, headers, q, true).await
}
