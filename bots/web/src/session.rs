//! What every organizer door shares: the signed-in session (kept in the store, so any process
//! serves it), its cookie, and the CSRF token every form that changes something carries; and
//! how every door reads and sets a cookie (the class page's device cookie too).
//!
//! Security: the cookie carries 256 random bits, HttpOnly, SameSite=Strict, Secure behind
//! HTTPS; the store keeps only their SHA-256; CSRF tokens are compared in constant time.

use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use ruban_store::Scope;
use serde::Deserialize;

use crate::{AppState, constant_time_eq};

pub(crate) const COOKIE: &str = "ruban_session";
pub(crate) const SESSION_LIFE: Duration = Duration::from_secs(8 * 3600);

/// A signed-in organizer.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) scope: Scope,
    pub(crate) csrf: String,
}

/// Signed-in sessions live in the store ([`ruban_store::WebSession`]), so a session made on one
/// process works on every other. The cookie carries 256 random bits; the store keeps only
/// their SHA-256, so its rows cannot be replayed as cookies.
pub(crate) struct Sessions;

fn random_hex(bytes: usize) -> String {
    (0..bytes).map(|_| format!("{:02x}", rand::random::<u8>())).collect()
}

fn id_hash(id: &str) -> String {
    crate::auth::digest(id).iter().map(|b| format!("{b:02x}")).collect()
}

impl Sessions {
    pub(crate) async fn create(state: &AppState, scope: Scope) -> Result<String, ruban_store::StoreError> {
        let id = random_hex(32);
        let session = ruban_store::WebSession { scope, csrf: random_hex(16) };
        state.bot.store().create_web_session(&id_hash(&id), &session, SESSION_LIFE.as_millis() as i64).await?;
        Ok(id)
    }

    /// The request's live session. A store that cannot answer signs nobody in (logged).
    pub(crate) async fn get(state: &AppState, headers: &HeaderMap) -> Option<Session> {
        let id = cookie(headers, COOKIE).filter(|id| id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()))?;
        match state.bot.store().web_session(&id_hash(&id)).await {
            Ok(s) => s.map(|s| Session { scope: s.scope, csrf: s.csrf }),
            Err(e) => {
                tracing::error!(error = %e, "could not read a dashboard session");
                None
            }
        }
    }

    pub(crate) async fn remove(state: &AppState, headers: &HeaderMap) {
        if let Some(id) = cookie(headers, COOKIE)
            && let Err(e) = state.bot.store().end_web_session(&id_hash(&id)).await
        {
            tracing::error!(error = %e, "could not end a dashboard session");
        }
    }
}

/// The value of the cookie `name` the request carries, if any.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Sets the cookie `name` on `res`, as every cookie of Ruban is set: HttpOnly (no script reads
/// it), SameSite=Strict (no other site's request carries it), on `path`, for `max_age`
/// (zero: removed), and Secure behind HTTPS.
pub(crate) fn set_cookie(res: &mut Response, name: &str, value: &str, path: &str, max_age: Duration, secure: bool) {
    let mut cookie = format!("{name}={value}; HttpOnly; SameSite=Strict; Path={path}; Max-Age={}", max_age.as_secs());
    if secure {
        cookie.push_str("; Secure");
    }
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
}

/// Behind a TLS-terminating proxy the cookie must be Secure.
pub(crate) fn secure(headers: &HeaderMap) -> bool {
    headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https")
}

/// A form that changes something carries the session's CSRF token.
#[derive(Debug, Deserialize)]
pub(crate) struct CsrfForm {
    csrf: String,
    /// The wall's hide/show toggle (the moderation form); other forms send none.
    #[serde(default)]
    pub(crate) hidden: Option<String>,
}

impl CsrfForm {
    /// The CSRF token the form carried.
    pub(crate) fn csrf(&self) -> &str {
        &self.csrf
    }
}

pub(crate) async fn checked(state: &AppState, headers: &HeaderMap, form: &CsrfForm) -> Option<Session> {
    signed_in_with(state, headers, &form.csrf).await
}

/// The signed-in session whose CSRF token a form carried, if any: every form that changes
/// something goes through here.
pub(crate) async fn signed_in_with(state: &AppState, headers: &HeaderMap, csrf: &str) -> Option<Session> {
    let session = Sessions::get(state, headers).await?;
    constant_time_eq(csrf.as_bytes(), session.csrf.as_bytes()).then_some(session)
}
