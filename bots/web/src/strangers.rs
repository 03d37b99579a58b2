//! What a stranger on the network may not lean on: forms posted from another site, codes tried
//! by the thousand, and many uploads at once from one address.
//!
//! Every per-address count here lives in one process, like the other per-minute limits: with
//! several processes behind one address a guesser gets a few more tries, never many.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::HeaderMap;

use crate::auth::Client;

/// Codes that open nothing (class links, teacher pages, media, shared cards) one address may
/// try in a minute before every door of that kind answers 429 for the rest of the minute. A
/// teacher mistyping a link misses a few; a script trying codes misses thousands.
pub(crate) const MISSES_PER_MINUTE: u32 = 30;

/// Uploads (photos) one address may send at once: a classroom behind one school address sends
/// a photo or two at a time, and twenty at once from one address is a script.
pub(crate) const UPLOADS_PER_ADDRESS: u32 = 3;

/// Whether the browser says this form came from another site: `Sec-Fetch-Site` first (every
/// current browser), then `Origin`, then `Referer` (older browsers send only that). A form
/// with none of them (our pages ask for no referrer, and older browsers send no `Origin`) is
/// not known to be foreign; the forms behind a session carry a CSRF token as well.
pub(crate) fn is_cross_site(headers: &HeaderMap) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        return !matches!(site, "same-origin" | "none");
    }
    let host = header("host");
    if let Some(origin) = header("origin") {
        return host.is_none() || authority(origin) != host;
    }
    if let Some(referer) = header("referer") {
        return host.is_none() || authority(referer) != host;
    }
    false
}

/// The authority of an absolute URL (`https://host:port/path` → `host:port`).
fn authority(url: &str) -> Option<&str> {
    url.split_once("://").map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or(""))
}

/// Codes that opened nothing, per address, in the current minute.
#[derive(Debug)]
pub(crate) struct Misses {
    per_minute: u32,
    by_client: Mutex<HashMap<Client, (Instant, u32)>>,
}

impl Misses {
    pub(crate) fn new(per_minute: u32) -> Self {
        Self { per_minute, by_client: Mutex::default() }
    }

    /// Whether `client` may still try a code this minute (checked before any query).
    pub(crate) fn allows(&self, client: Client) -> bool {
        let now = Instant::now();
        let map = self.by_client.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&client).is_none_or(|(start, n)| now.duration_since(*start) >= MINUTE || *n < self.per_minute)
    }

    /// Records that a code `client` tried opened nothing.
    pub(crate) fn missed(&self, client: Client) {
        let now = Instant::now();
        let mut map = self.by_client.lock().unwrap_or_else(|e| e.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < MINUTE);
        }
        let slot = map.entry(client).or_insert((now, 0));
        if now.duration_since(slot.0) >= MINUTE {
            *slot = (now, 0);
        }
        slot.1 += 1;
        if slot.1 == self.per_minute {
            metrics::counter!("ruban_guessers_limited_total").increment(1);
            tracing::warn!("an address tried {} unknown codes within a minute; slowed", self.per_minute);
        }
    }
}

const MINUTE: Duration = Duration::from_secs(60);

/// Uploads in progress, per address.
#[derive(Debug)]
pub(crate) struct Uploads {
    per_client: u32,
    by_client: Arc<Mutex<HashMap<Client, u32>>>,
}

/// One upload in progress: its address's count goes down when it is dropped.
#[derive(Debug)]
pub(crate) struct Upload {
    client: Client,
    by_client: Arc<Mutex<HashMap<Client, u32>>>,
}

impl Drop for Upload {
    fn drop(&mut self) {
        let mut map = self.by_client.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = map.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.client);
            }
        }
    }
}

/// The largest body a photo form may have: the core's 20 MB and what the form holds besides the
/// photo (its other fields, the parts' headers).
pub(crate) const PHOTO_FORM_LIMIT: u64 = ruban_core::validate::MAX_PHOTO_BYTES as u64 + 64 * 1024;

/// Lets a photo's body be read, the last check before reading it (every door that takes a
/// photo asks its own questions first): an upload slot of this address, and the process's
/// budget's share for the body its `Content-Length` declares (the largest form when it says
/// nothing). `None` when either is full: the door answers « try again in a moment », unread.
/// The slot ends when the body is read; the share when the photo is done with.
pub(crate) async fn admit_photo(
    state: &crate::AppState,
    client: Client,
    headers: &HeaderMap,
) -> Option<(Upload, ruban_core::Share)> {
    let declared = headers
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(PHOTO_FORM_LIMIT);
    let admitted = match state.uploads.begin(client) {
        Some(upload) => {
            state.bot.budget().take(declared.min(PHOTO_FORM_LIMIT), ruban_core::BUDGET_WAIT).await.map(|s| (upload, s))
        }
        None => None,
    };
    if admitted.is_none() {
        metrics::counter!("ruban_budget_refused_total", "door" => "upload").increment(1);
    }
    admitted
}

impl Uploads {
    pub(crate) fn new(per_client: u32) -> Self {
        Self { per_client, by_client: Arc::default() }
    }

    /// An upload slot for `client`, if it has fewer than its share in progress.
    pub(crate) fn begin(&self, client: Client) -> Option<Upload> {
        let mut map = self.by_client.lock().unwrap_or_else(|e| e.into_inner());
        let n = map.entry(client).or_insert(0);
        if *n >= self.per_client {
            return None;
        }
        *n += 1;
        Some(Upload { client, by_client: self.by_client.clone() })
    }
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn a_form_from_another_site_is_known_by_any_of_the_three_headers() {
        let host = ("host", "ruban.ecole.test");
        assert!(is_cross_site(&headers(&[host, ("sec-fetch-site", "cross-site")])));
        assert!(!is_cross_site(&headers(&[host, ("sec-fetch-site", "same-origin")])));
        assert!(is_cross_site(&headers(&[host, ("origin", "https://evil.test")])));
        assert!(!is_cross_site(&headers(&[host, ("origin", "https://ruban.ecole.test")])));
        // Older browsers: a Referer only.
        assert!(is_cross_site(&headers(&[host, ("referer", "https://evil.test/ruban.ecole.test/")])));
        assert!(is_cross_site(&headers(&[host, ("referer", "https://ruban.ecole.test.evil.test/x")])));
        assert!(!is_cross_site(&headers(&[host, ("referer", "https://ruban.ecole.test/enseignant/x?lang=fr")])));
        // Sec-Fetch-Site speaks first.
        assert!(is_cross_site(&headers(&[
            host,
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://ruban.ecole.test")
        ])));
        assert!(!is_cross_site(&headers(&[host])));
    }

    #[test]
    fn misses_past_the_budget_close_the_door_for_that_address_only() {
        let misses = Misses::new(3);
        let (a, b) = (Client([10, 0, 0, 1].into()), Client([10, 0, 0, 2].into()));
        for _ in 0..3 {
            assert!(misses.allows(a));
            misses.missed(a);
        }
        assert!(!misses.allows(a));
        assert!(misses.allows(b));
    }

    #[test]
    fn uploads_per_address_are_capped_and_given_back() {
        let uploads = Uploads::new(2);
        let a = Client([10, 0, 0, 1].into());
        let (one, _two) = (uploads.begin(a).unwrap(), uploads.begin(a).unwrap());
        assert!(uploads.begin(a).is_none());
        assert!(uploads.begin(Client([10, 0, 0, 2].into())).is_some());
        drop(one);
        assert!(uploads.begin(a).is_some());
    }
}
