//! `GET /api/export.csv` and `GET /api/export.json`: the same totals and pledge rows as
//! `ruban export`, for scripts, with `Authorization: Bearer <token>`, within the token's scope.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use ruban_store::export::{write_pledges, write_totals};
use ruban_store::{ExportFormat, GroupBy, Scope, WallFilter};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{Client, Verdict, verify};

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
    /// `semicolon`: cells separated by `;`, for Excel in French (CSV).
    sep: Option<String>,
    /// Narrow to a region (within the token's scope).
    region: Option<String>,
    /// Narrow to an organization (within the token's scope).
    organization: Option<String>,
}

fn refuse(status: StatusCode, why: &'static str) -> Response {
    refuse_owned(status, why.to_owned())
}

fn refuse_owned(status: StatusCode, why: String) -> Response {
    let mut res = (status, axum::Json(serde_json::json!({ "error": why }))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    res
}

/// The scope of the request's token, or the response refusing it.
pub(crate) async fn authorize(state: &AppState, client: Client, headers: &HeaderMap) -> Result<Scope, Response> {
    let bearer = headers.get(header::AUTHORIZATION);
    if bearer.is_none() {
        // The dashboard's download links: the signed-in session's scope.
        if let Some(session) = crate::session::Sessions::get(state, headers).await {
            return Ok(session.scope);
        }
        return Err(refuse(StatusCode::UNAUTHORIZED, "an organizer token is required"));
    }
    let given = bearer.and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
    match verify(state, client, given.unwrap_or_default()).await {
        Verdict::Granted(scope) => Ok(scope),
        Verdict::Denied => Err(refuse(StatusCode::UNAUTHORIZED, "unknown organizer token")),
        Verdict::Limited => Err(refuse(StatusCode::TOO_MANY_REQUESTS, "too many wrong tokens, wait a minute")),
        Verdict::Unavailable => Err(refuse(StatusCode::SERVICE_UNAVAILABLE, "try again")),
    }
}

/// The filter for a request within a scope: a scoped token may narrow, never widen. The
/// narrowing values go through the core's validation first.
fn within(scope: &Scope, q: &ExportQuery) -> Result<WallFilter, (StatusCode, String)> {
    ruban_core::validate::wall_filter(q.region.as_deref(), q.organization.as_deref(), None)
        .map_err(|e| (StatusCode::BAD_REQUEST, e.to_string()))?;
    let mut filter = scope.filter();
    for (asked, allowed, slot) in [
        (&q.region, filter.region.clone(), &mut filter.region),
        (&q.organization, filter.school.clone(), &mut filter.school),
    ] {
        match (asked.as_ref().filter(|s| !s.is_empty()), allowed) {
            (Some(a), Some(allowed)) if *a != allowed => {
                return Err((
                    StatusCode::FORBIDDEN,
                    "this token does not cover that region or organization".to_owned(),
                ));
            }
            (Some(a), None) => *slot = Some(a.clone()),
            _ => {}
        }
    }
    Ok(filter)
}

async fn export(state: Arc<AppState>, client: Client, headers: HeaderMap, q: ExportQuery, json: bool) -> Response {
    let scope = match authorize(&state, client, &headers).await {
        Ok(s) => s,
        Err(res) => return res,
    };
    let filter = match within(&scope, &q) {
        Ok(f) => f,
        Err((status, why)) => return refuse_owned(status, why),
    };
    let by: GroupBy = match q.by.as_deref().unwrap_or("day").parse() {
        Ok(b) => b,
        Err(_) => return refuse(StatusCode::BAD_REQUEST, "by is day, region, organization, platform or chat"),
    };
    let semicolon = match q.sep.as_deref() {
        None | Some("comma" | ",") => false,
        Some("semicolon" | ";") => true,
        Some(_) => return refuse(StatusCode::BAD_REQUEST, "sep is comma or semicolon"),
    };
    let format = if json { ExportFormat::Json } else { ExportFormat::Csv { excel: q.excel, semicolon } };
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
    client: Client,
    headers: HeaderMap,
    Query(q): Query<ExportQuery>,
) -> Response {
    export(state, client, headers, q, false).await
}

pub(crate) async fn json(
    State(state): State<Arc<AppState>>,
    client: Client,
    headers: HeaderMap,
    Query(q): Query<ExportQuery>,
) -> Response {
    export(state, client, headers, q, true).await
}
