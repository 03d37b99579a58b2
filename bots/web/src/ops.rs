//! What operators and their tools ask a running process: `/healthz` (the process answers),
//! `/readyz` (the store and every enabled platform answer, so a load balancer sends it
//! traffic) and `/metrics` (Prometheus text, rendered by whatever recorder the binary
//! installed).
//!
//! Probe errors are shown as the probe words them: probes must never put a token or a URL
//! carrying one in their message (the adapters' probes strip them).

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// A readiness check: resolves to `Err(reason)` when its dependency does not answer.
pub type Probe = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<(), String>> + Send>> + Send + Sync>;

/// Wraps an async check as a [`Probe`].
pub fn probe<F, Fut>(check: F) -> Probe
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), String>> + Send + 'static,
{
    Arc::new(move || Box::pin(check()))
}

/// A fact `/readyz` states without failing on it (where the calendar stands).
pub type Note = Arc<dyn Fn() -> String + Send + Sync>;

/// What `/readyz` checks and what `/metrics` shows.
#[derive(Default, Clone)]
pub struct Ops {
    /// Named checks, all of which must pass for `/readyz` to answer 200.
    pub probes: Vec<(&'static str, Probe)>,
    /// Named facts shown beside the checks, whatever they say (a server between campaigns is
    /// ready; its operator is told pledges are refused until a campaign is added).
    pub notes: Vec<(&'static str, Note)>,
    /// Renders the metrics as Prometheus text; `/metrics` answers 404 without it.
    pub metrics: Option<Arc<dyn Fn() -> String + Send + Sync>>,
}

/// A probe that takes longer than this counts as failed: a load balancer's own check times
/// out at a few seconds.
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// The routes, to merge into the application.
pub fn router(ops: Ops) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok\n" }))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .with_state(Arc::new(ops))
}

async fn ready(State(ops): State<Arc<Ops>>) -> Response {
    let checks = ops.probes.iter().map(|(name, p)| {
        let p = p.clone();
        async move {
            let outcome = match tokio::time::timeout(PROBE_TIMEOUT, p()).await {
                Ok(r) => r,
                Err(_) => Err(format!("no answer within {} s", PROBE_TIMEOUT.as_secs())),
            };
            (*name, outcome)
        }
    });
    let results = futures_util::future::join_all(checks).await;
    let all_ok = results.iter().all(|(_, r)| r.is_ok());
    let mut body: serde_json::Map<String, serde_json::Value> = results
        .into_iter()
        .map(|(name, r)| (name.to_owned(), r.err().map_or_else(|| "ok".into(), serde_json::Value::from)))
        .collect();
    for (name, note) in &ops.notes {
        body.insert((*name).to_owned(), note().into());
    }
    let status = if all_ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, [(header::CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
}

async fn metrics(State(ops): State<Arc<Ops>>) -> Response {
    match &ops.metrics {
        Some(render) => (
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
            render(),
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
