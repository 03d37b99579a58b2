//! Network errors on the way to Telegram: retried with backoff, and a message never twice.
//!
//! A raw TCP server stands in for the Bot API so the tests can do what a flaky network does:
//! refuse connections for a while, or take a request and hang up before answering. The
//! request goes through `ruban_telegram::pace::call`, what the adapter uses for every call.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use teloxide::prelude::*;
use teloxide::types::ChatAction;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Reads one HTTP request (headers and a Content-Length body); false when the peer left.
async fn read_request(sock: &mut TcpStream, buf: &mut Vec<u8>) -> bool {
    loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + len {
                buf.drain(..end + 4 + len);
                return true;
            }
        }
        let mut chunk = [0u8; 4096];
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Serves `{"ok":true,"result":true}` on `listener`, hanging up without an answer on the first
/// `drop_first` requests. Returns how many requests arrived.
fn serve(listener: TcpListener, drop_first: usize) -> Arc<AtomicUsize> {
    let seen = Arc::new(AtomicUsize::new(0));
    let count = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let count = count.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                while read_request(&mut sock, &mut buf).await {
                    if count.fetch_add(1, Ordering::SeqCst) < drop_first {
                        return; // the request arrived; the answer never leaves
                    }
                    let body = r#"{"ok":true,"result":true}"#;
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if sock.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    seen
}

fn bot_at(port: u16) -> Bot {
    Bot::new("123:NETWORK").set_api_url(format!("http://127.0.0.1:{port}/").parse().unwrap())
}

#[tokio::test]
async fn an_unreachable_api_is_retried_until_it_answers_and_the_message_goes_once() {
    // A port nobody listens on yet: the first attempts are refused outright.
    let port = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let bot = bot_at(port);
    let start = Instant::now();
    let later = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(400)).await;
        serve(TcpListener::bind(("127.0.0.1", port)).await.unwrap(), 0)
    });
    // Not idempotent: retried only because the connection never opened.
    let sent = ruban_telegram::pace::call(&bot.send_chat_action(ChatId(7), ChatAction::UploadPhoto), false).await;
    assert!(sent.is_ok(), "the call went through once the API was back: {sent:?}");
    assert!(start.elapsed() >= Duration::from_millis(400), "it waited for the API, with backoff");
    assert_eq!(later.await.unwrap().load(Ordering::SeqCst), 1, "the API received it exactly once");
}

#[tokio::test]
async fn a_message_whose_answer_was_lost_is_not_sent_again() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bot = bot_at(listener.local_addr().unwrap().port());
    let seen = serve(listener, 1);
    // The API may have posted it: sending again could show it twice, so the error comes back.
    let sent = ruban_telegram::pace::call(&bot.send_chat_action(ChatId(7), ChatAction::Typing), false).await;
    assert!(matches!(sent, Err(teloxide::RequestError::Network(_))), "{sent:?}");
    assert_eq!(seen.load(Ordering::SeqCst), 1, "sent once, not retried");
}

#[tokio::test]
async fn an_idempotent_call_whose_answer_was_lost_is_retried() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let bot = bot_at(listener.local_addr().unwrap().port());
    let seen = serve(listener, 2);
    // An answer to a click or an edit to the same text: harmless to repeat.
    let answered = ruban_telegram::pace::call(
        &bot.answer_callback_query(teloxide::types::CallbackQueryId("cb-1".to_owned())),
        true,
    )
    .await;
    assert!(answered.is_ok(), "{answered:?}");
    assert_eq!(seen.load(Ordering::SeqCst), 3, "two lost answers, then the one that arrived");
}
