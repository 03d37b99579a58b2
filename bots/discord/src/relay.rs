//! REST calls through `DISCORD_API_URL`, with Discord's 429s honoured.
//!
//! serenity 0.12.5 sends its REST calls to a proxy only with its rate limiter off, and then
//! keeps nothing of a 429 but the status: its error decoder reads Discord's body
//! (`{"message": …, "retry_after": 0.42, "global": false}`, no `code`) as an error with a
//! `code` and fails, and the headers are gone. So the bot could only guess how long to wait
//! (it waited a fixed second, then two: too early for a `retry_after` of 2.5, which Discord
//! answers with another 429; far too long for 0.05).
//!
//! Here serenity talks to this relay on 127.0.0.1 instead, which forwards each request to
//! `DISCORD_API_URL` as it came (method, path, query, headers, body) and, on a 429, waits
//! exactly what Discord said (the body's `retry_after`, else the `retry-after` header), then
//! sends it again; a global 429 holds every request until then. A 429 means Discord did not act
//! on the request, so sending it again never doubles a message. A wait longer than
//! [`LONGEST_WAIT`] or a fifth 429 in a row is handed back to serenity as it came. The relay
//! runs on the client's own runtime and ends with it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tokio::time::Instant;

/// The most a request waits on one 429; past it, the 429 goes back to serenity.
const LONGEST_WAIT: Duration = Duration::from_secs(30);
/// Tries of one request (429s and refused connections).
const TRIES: u32 = 5;
/// The largest body forwarded (Discord takes up to 25 MiB of files per message).
const BODY_MAX: usize = 64 << 20;

struct Relay {
    upstream: String,
    client: reqwest::Client,
    /// Until when a global 429 holds every request.
    global: Mutex<Option<Instant>>,
}

/// Starts the relay towards `upstream` (a base URL, `/api/v10/…` appended) on this runtime;
/// returns the base URL serenity is to use.
pub(crate) async fn start(upstream: &str) -> std::io::Result<String> {
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(60))
        .build()
        .map_err(std::io::Error::other)?;
    let relay =
        Arc::new(Relay { upstream: upstream.trim_end_matches('/').to_owned(), client, global: Mutex::default() });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let app = axum::Router::new().fallback(forward).with_state(relay);
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "the Discord REST relay stopped");
        }
    });
    Ok(base)
}

/// How long Discord asked to wait, from a 429's body (exact) or header (whole seconds), and
/// whether it holds every route.
fn retry_after(headers: &HeaderMap, body: &[u8]) -> (Duration, bool) {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let from_body = json.as_ref().and_then(|v| v["retry_after"].as_f64());
    let from_header = headers.get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()?.trim().parse::<f64>().ok());
    let seconds = from_body.or(from_header).filter(|s| s.is_finite() && *s >= 0.0).unwrap_or(1.0);
    let global = json.as_ref().and_then(|v| v["global"].as_bool()).unwrap_or(false)
        || headers.get("x-ratelimit-global").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"true"));
    (Duration::from_secs_f64(seconds), global)
}

/// Hop-by-hop headers and those the HTTP clients set themselves.
fn passes(name: &HeaderName) -> bool {
    ![header::HOST, header::CONTENT_LENGTH, header::TRANSFER_ENCODING, header::CONNECTION].contains(name)
}

async fn forward(State(relay): State<Arc<Relay>>, req: Request) -> Response {
    let (parts, body) = req.into_parts();
    let Ok(body) = axum::body::to_bytes(body, BODY_MAX).await else {
        return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response();
    };
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let url = format!("{}{path}", relay.upstream);
    let mut tries = 0;
    loop {
        tries += 1;
        let held = *relay.global.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(until) = held.filter(|u| *u > Instant::now()) {
            tokio::time::sleep_until(until).await;
        }
        let mut request = relay.client.request(parts.method.clone(), &url).body(body.clone());
        for (name, value) in parts.headers.iter().filter(|(n, _)| passes(n)) {
            request = request.header(name, value);
        }
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) if e.is_connect() && tries < TRIES => {
                tracing::warn!(error = %e, "Discord could not be reached, trying again");
                metrics::counter!("ruban_platform_retries_total", "platform" => "discord").increment(1);
                tokio::time::sleep(Duration::from_millis(250) * tries).await;
                continue;
            }
            Err(e) => {
                tracing::warn!(error = %e, "Discord could not be reached");
                return (StatusCode::BAD_GATEWAY, axum::Json(serde_json::json!({"code": 0, "message": e.to_string()})))
                    .into_response();
            }
        };
        let status = StatusCode::from_u16(response.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap_or_default();
        if status == StatusCode::TOO_MANY_REQUESTS && tries < TRIES {
            let (wait, global) = retry_after(&headers, &bytes);
            if wait <= LONGEST_WAIT {
                let until = Instant::now() + wait;
                if global {
                    let mut held = relay.global.lock().unwrap_or_else(|e| e.into_inner());
                    *held = Some(held.map_or(until, |h| h.max(until)));
                }
                metrics::counter!("ruban_platform_retries_total", "platform" => "discord").increment(1);
                tracing::warn!(?wait, global, "Discord asked to wait, waiting exactly that");
                tokio::time::sleep_until(until).await;
                continue;
            }
            tracing::warn!(?wait, "Discord asked to wait longer than a request may: refused");
        }
        let mut answer = Response::new(Body::from(bytes));
        *answer.status_mut() = status;
        for (name, value) in headers.iter().filter(|(n, _)| passes(n)) {
            answer.headers_mut().append(name, value.clone());
        }
        return answer;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_is_the_one_discord_gave() {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, "3".parse().unwrap());
        let body = br#"{"message": "You are being rate limited.", "retry_after": 2.5, "global": false}"#;
        assert_eq!(retry_after(&headers, body), (Duration::from_millis(2500), false), "the body's exact value");
        assert_eq!(retry_after(&headers, b"not json"), (Duration::from_secs(3), false), "else the header");
        headers.insert("x-ratelimit-global", "true".parse().unwrap());
        assert!(retry_after(&headers, b"").1, "a global header");
        let global = br#"{"retry_after": 0.05, "global": true}"#;
        assert_eq!(retry_after(&HeaderMap::new(), global), (Duration::from_millis(50), true));
    }
}
