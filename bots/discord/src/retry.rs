//! Surviving Discord's refusals. With Discord's own address, serenity's rate limiter waits out
//! 429s itself. Through `DISCORD_API_URL` (a shared proxy, the tests' fake) serenity must run
//! without its rate limiter, so a 429 reaches the bot: it is retried here after Discord's
//! `retry_after` (at least a second), and so are failures to connect. A 429 or a refused
//! connection means the request was not acted on, so retrying never doubles a message.

use std::future::Future;
use std::time::Duration;

use serenity::Error;
use serenity::http::HttpError;

/// How long Discord asked to wait, if this is a 429.
fn retry_after(e: &Error) -> Option<Duration> {
    match e {
        Error::Http(HttpError::UnsuccessfulRequest(r)) if r.status_code.as_u16() == 429 => {
            // serenity keeps the body's message, not its retry_after: wait a second, then more.
            Some(Duration::from_secs(1))
        }
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
