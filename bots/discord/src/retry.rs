//! Surviving Discord's refusals. With Discord's own address, serenity's rate limiter waits out
//! 429s itself; through `DISCORD_API_URL` the relay does (see `relay.rs`), waiting exactly what
//! Discord said. A 429 that still reaches the bot asked for a wait longer than a request may
//! take, so it is not retried here. What is retried here are failures to connect: the request
//! never reached Discord, so retrying never doubles a message.

use std::future::Future;
use std::time::Duration;

use serenity::Error;
use serenity::http::HttpError;

/// How long to wait before trying again, if trying again can help.
fn retry_after(e: &Error) -> Option<Duration> {
    match e {
        Error::Http(HttpError::Request(r)) if r.is_connect() => Some(Duration::from_millis(250)),
        _ => None,
    }
}

/// Counts a request that failed for good (`ruban_platform_errors_total`).
fn failed(e: Error) -> Error {
    metrics::counter!("ruban_platform_errors_total", "platform" => "discord").increment(1);
    e
}

/// Runs `f` until it succeeds, fails for good, or five attempts went by.
pub async fn retry<T, F, Fut>(mut f: F) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let mut attempt = 0u32;
    loop {
        attempt += 1;
        match f().await {
            Err(e) if attempt < 5 => match retry_after(&e) {
                Some(base) => {
                    let wait = base * attempt;
                    metrics::counter!("ruban_platform_retries_total", "platform" => "discord").increment(1);
                    tracing::warn!(error = %e, ?wait, "Discord refused for now, retrying");
                    tokio::time::sleep(wait).await;
                }
                None => return Err(failed(e)),
            },
            Err(e) => return Err(failed(e)),
            other => return other,
        }
    }
}
