//! Organizer tokens: one guard in front of every door that takes one (the dashboard's sign-in,
//! `/api/export.csv` and `.json`, `/totaux` through the chat with `Authorization: Bearer`).
//!
//! The order matters: the client is checked against its limit *before* anything is compared,
//! so a client that used up its wrong tries is refused even with the right token until its
//! window passes (otherwise guessing costs nothing: the limit only slows down wrong answers).
//! Failures are counted per client (its IP address; IPv6 by /64, what one host usually holds)
//! and for everyone together, so one guesser locks out only itself, while a crowd of addresses
//! still meets the global cap. Comparisons are of SHA-256 digests in constant time (`subtle`);
//! the store looks tokens up by their hash.
//!
//! The counts live in this process's memory (per-minute limits may: several processes behind
//! one address each allow their share). Behind a reverse proxy named in
//! `RUBAN_TRUSTED_PROXIES`, the client is the address the proxy gives in `X-Forwarded-For`
//! ([`crate::server`]); an untrusted proxy's requests all count as the proxy's: safe, but one
//! guesser then slows everyone.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use ruban_store::Scope;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::AppState;

/// How many wrong tokens are allowed, and over what window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthLimits {
    /// Wrong tokens one client may send per window; then it is refused until the window ends.
    pub per_client: u32,
    /// Wrong tokens all clients together may send per window.
    pub global: u32,
    /// The window.
    pub window: Duration,
}

impl Default for AuthLimits {
    fn default() -> Self {
        Self { per_client: 5, global: 60, window: Duration::from_secs(60) }
    }
}

/// The most clients tracked at once (a flood of addresses then meets the global cap alone).
const MAX_CLIENTS: usize = 100_000;

/// Who is asking: the peer's address as the server accepted the connection (set by
/// `into_make_service_with_connect_info`), IPv6 reduced to its /64. Without it (a test calling
/// the app directly) every request is the same client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Client(pub(crate) IpAddr);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts.extensions.get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
        Ok(Self::of(ip))
    }
}

impl Client {
    /// The client an address belongs to: itself for IPv4, its /64 for IPv6.
    pub(crate) fn of(ip: IpAddr) -> Self {
        Self(match ip {
            IpAddr::V6(v6) if v6.to_ipv4_mapped().is_none() => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
            IpAddr::V6(v6) => IpAddr::V4(v6.to_ipv4_mapped().unwrap_or(std::net::Ipv4Addr::UNSPECIFIED)),
            v4 => v4,
        })
    }
}

#[derive(Debug)]
struct Window {
    start: Instant,
    failures: u32,
}

impl Window {
    fn current(&mut self, now: Instant, length: Duration) -> &mut Self {
        if now.duration_since(self.start) >= length {
            *self = Self { start: now, failures: 0 };
        }
        self
    }
}

/// The counts of wrong tokens.
#[derive(Debug)]
pub(crate) struct Guard {
    limits: AuthLimits,
    global: Mutex<Window>,
    clients: Mutex<HashMap<Client, Window>>,
}

impl Guard {
    pub(crate) fn new(limits: AuthLimits) -> Self {
        Self {
            limits,
            global: Mutex::new(Window { start: Instant::now(), failures: 0 }),
            clients: Mutex::new(HashMap::new()),
        }
    }

    /// Whether the client may try a token now (checked before any comparison).
    fn admits(&self, client: Client) -> bool {
        let now = Instant::now();
        let global = self.global.lock().unwrap_or_else(|e| e.into_inner()).current(now, self.limits.window).failures;
        if global >= self.limits.global {
            return false;
        }
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.get_mut(&client).is_none_or(|w| w.current(now, self.limits.window).failures < self.limits.per_client)
    }

    /// Counts a wrong token.
    fn failed(&self, client: Client) {
        let now = Instant::now();
        self.global.lock().unwrap_or_else(|e| e.into_inner()).current(now, self.limits.window).failures += 1;
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if clients.len() >= MAX_CLIENTS && !clients.contains_key(&client) {
            clients.retain(|_, w| now.duration_since(w.start) < self.limits.window);
            if clients.len() >= MAX_CLIENTS {
                return;
            }
        }
        clients
            .entry(client)
            .or_insert(Window { start: now, failures: 0 })
            .current(now, self.limits.window)
            .failures += 1;
    }
}

/// What a token is worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// A known token, and its scope.
    Granted(Scope),
    /// Unknown (counted against the client).
    Denied,
    /// The client or everyone tried too many wrong tokens: not even compared.
    Limited,
    /// The store could not answer.
    Unavailable,
}

/// SHA-256 of a token: what is kept and compared.
pub(crate) fn digest(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Checks a token a client gave, through the guard.
pub(crate) async fn verify(state: &AppState, client: Client, given: &str) -> Verdict {
    if !state.auth.admits(client) {
        return Verdict::Limited;
    }
    if ruban_core::validate::token(given).is_err() {
        state.auth.failed(client);
        return Verdict::Denied;
    }
    let given_digest = digest(given);
    if let Some(campaign) = &state.organizer_token_digest
        && bool::from(given_digest.ct_eq(campaign))
    {
        return Verdict::Granted(Scope::All);
    }
    match state.bot.store().organizer_scope(given).await {
        Ok(Some(scope)) => Verdict::Granted(scope),
        Ok(None) => {
            state.auth.failed(client);
            Verdict::Denied
        }
        Err(e) => {
            tracing::error!(error = %e, "organizer token lookup");
            Verdict::Unavailable
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limited_client_waits_for_its_window_and_others_are_not_limited() {
        let guard = Guard::new(AuthLimits { per_client: 2, global: 5, window: Duration::from_millis(200) });
        let (a, b, c) = (Client([10, 0, 0, 1].into()), Client([10, 0, 0, 2].into()), Client([10, 0, 0, 3].into()));
        assert!(guard.admits(a));
        guard.failed(a);
        guard.failed(a);
        assert!(!guard.admits(a), "two wrong tries: limited");
        assert!(guard.admits(b), "another client is not");
        guard.failed(b);
        guard.failed(b);
        guard.failed(c);
        assert!(!guard.admits(Client([10, 0, 0, 9].into())), "five wrong tries in all: everyone waits");
        std::thread::sleep(Duration::from_millis(250));
        assert!(guard.admits(a) && guard.admits(Client([10, 0, 0, 9].into())), "the window passed");
    }
}
