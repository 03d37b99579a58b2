//! What the two platform fakes share: a loopback listener, a log of the calls they accepted
//! and of the ones they refused (with waits on them), reading a request's body as JSON or as a
//! multipart upload, and loading the official API descriptions they check requests against.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;
use serde_json::Value;

/// Serves `app` on 127.0.0.1 at a free port; its base URL (`http://127.0.0.1:PORT`).
pub async fn listen(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// An official API description under this crate's `spec/` (`telegram/api.json`,
/// `discord/openapi.json`), parsed.
pub fn spec_file(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("spec").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One part of a multipart upload.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    /// Set for a file; a plain field has none.
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

/// A request's body as a platform reads it.
#[derive(Debug)]
pub enum Body {
    /// No body at all.
    Empty,
    Json(Value),
    /// A body that is not JSON, and why.
    NotJson(String),
    Multipart(Vec<Part>),
}

/// Reads `req`'s body: a multipart upload by parts, anything else as JSON (up to 50 MiB).
pub async fn read_body(req: Request) -> Body {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("multipart/"));
    if is_multipart {
        let mut mp = Multipart::from_request(req, &()).await.unwrap();
        let mut parts = Vec::new();
        while let Some(field) = mp.next_field().await.unwrap() {
            let name = field.name().unwrap_or_default().to_owned();
            let file_name = field.file_name().map(str::to_owned);
            parts.push(Part { name, file_name, bytes: field.bytes().await.unwrap().to_vec() });
        }
        return Body::Multipart(parts);
    }
    let bytes = axum::body::to_bytes(req.into_body(), 50 << 20).await.unwrap();
    if bytes.is_empty() {
        return Body::Empty;
    }
    match serde_json::from_slice(&bytes) {
        Ok(v) => Body::Json(v),
        Err(e) => Body::NotJson(e.to_string()),
    }
}

/// The calls a fake accepted, in the order they were accepted.
pub struct CallLog<C> {
    calls: Mutex<Vec<C>>,
}

impl<C> Default for CallLog<C> {
    fn default() -> Self {
        Self { calls: Mutex::default() }
    }
}

impl<C: Clone> CallLog<C> {
    pub fn push(&self, call: C) {
        self.calls.lock().unwrap().push(call);
    }

    /// Every call so far.
    pub fn all(&self) -> Vec<C> {
        self.calls.lock().unwrap().clone()
    }

    pub fn matching(&self, keep: impl Fn(&C) -> bool) -> Vec<C> {
        self.calls.lock().unwrap().iter().filter(|c| keep(c)).cloned().collect()
    }

    pub fn count(&self, keep: impl Fn(&C) -> bool) -> usize {
        self.calls.lock().unwrap().iter().filter(|c| keep(c)).count()
    }

    /// Waits (at most `patience`, a ceiling: only a failure waits that long) until `n` calls
    /// match; returns them. On failure, panics with `what` and `context()` (what the fake saw).
    pub async fn wait(
        &self,
        keep: impl Fn(&C) -> bool,
        n: usize,
        patience: Duration,
        what: &str,
        context: impl Fn() -> String,
    ) -> Vec<C> {
        let deadline = Instant::now() + patience;
        loop {
            if self.count(&keep) >= n {
                return self.matching(&keep);
            }
            if Instant::now() >= deadline {
                panic!("fewer than {n} {what} after {patience:?}: {}", context());
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// Why a fake refused requests, in order: a test of well-behaved traffic asserts there is none,
/// a test of a refusal asserts the reason.
#[derive(Default)]
pub struct Refusals(Mutex<Vec<String>>);

impl Refusals {
    pub fn push(&self, why: String) {
        self.0.lock().unwrap().push(why);
    }

    pub fn all(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// Whether some refusal says `part`.
    pub fn any(&self, part: &str) -> bool {
        self.0.lock().unwrap().iter().any(|r| r.contains(part))
    }

    pub fn assert_none(&self) {
        let all = self.all();
        assert!(all.is_empty(), "the fake refused: {all:?}");
    }
}

impl std::fmt::Debug for Refusals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.all().fmt(f)
    }
}
