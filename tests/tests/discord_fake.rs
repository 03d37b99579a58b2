//! The fake Discord's self-test: what it refuses, shown straight to the fake (no bot in
//! between), so that a test passing against it means something.

use std::time::Duration;

use fake::command;
use ruban_tests::discord as fake;
use serde_json::{Value, json};

#[test]
fn the_fake_refuses_what_discord_would_refuse() {
    use axum::http::Method;
    let callback = "/interactions/1/tok/callback";
    let ok = json!({"type": 4, "data": {"content": "Bravo!", "allowed_mentions": {"parse": []}}});
    assert_eq!(fake::check(&Method::POST, callback, &ok), None);
    for bad in [
        json!({"type": 99}),
        json!({"data": {"content": "x"}}),
        json!({"type": 4, "data": {"content": "x".repeat(2001)}}),
        json!({"type": 4, "data": {"allowed_mentions": {"parse": ["everybody"]}}}),
        json!({"type": 7, "data": {"components": [{"type": 1, "components": [{"type": 2, "style": 1, "custom_id": "x".repeat(101)}]}]}}),
    ] {
        assert!(fake::check(&Method::POST, callback, &bad).is_some(), "accepted {bad}");
    }
    assert!(fake::check(&Method::GET, callback, &Value::Null).is_some(), "wrong method");
    assert!(fake::check(&Method::POST, "/interactions/1/tok/answer", &ok).is_some(), "unknown path");
    let command = json!([{"name": "carte", "description": "d".repeat(101)}]);
    assert!(fake::check(&Method::PUT, "/applications/1/commands", &command).is_some(), "description too long");
}

/// What the fake refuses about answers, as Discord would, straight to the fake.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fake_refuses_late_second_and_premature_answers() {
    let (fake, base) = fake::start().await;
    *fake.latency_ms.lock().unwrap() = 0..1;
    *fake.deadline.lock().unwrap() = Duration::from_millis(300);
    let http = reqwest::Client::new();
    let api = |path: String| format!("{base}/api/v10{path}");
    let message = json!({"type": 4, "data": {"content": "Bravo!"}});
    for id in [1u64, 2] {
        fake.dispatch("INTERACTION_CREATE", command(&fake, id, "carte", json!([]), (7, "Prof"), true, "0"));
    }
    // Before any callback, `@original` does not exist yet.
    let early = http
        .patch(api(format!("/webhooks/{}/itok-1/messages/@original", fake::APP_ID)))
        .json(&json!({"content": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(early.status().as_u16(), 404);
    let first = http.post(api("/interactions/1/itok-1/callback".into())).json(&message).send().await.unwrap();
    assert_eq!(first.status().as_u16(), 204);
    let second = http.post(api("/interactions/1/itok-1/callback".into())).json(&message).send().await.unwrap();
    assert_eq!(second.status().as_u16(), 400);
    assert_eq!(second.json::<Value>().await.unwrap()["code"], 40060);
    tokio::time::sleep(Duration::from_millis(400)).await;
    let late = http.post(api("/interactions/2/itok-2/callback".into())).json(&message).send().await.unwrap();
    assert_eq!(late.status().as_u16(), 404);
    assert_eq!(late.json::<Value>().await.unwrap()["code"], 10062);
    // An expired token edits nothing.
    *fake.token_life.lock().unwrap() = Duration::ZERO;
    let dead = http
        .patch(api(format!("/webhooks/{}/itok-1/messages/@original", fake::APP_ID)))
        .json(&json!({"content": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(dead.status().as_u16(), 401);
}

/// A gateway connection straight to the fake (no serenity): a WebSocket client just big
/// enough for the self-tests, over a blocking TCP stream (run it with `block_in_place`).
struct Gateway {
    read: std::io::BufReader<std::net::TcpStream>,
    write: std::net::TcpStream,
}

/// A frame from the fake: a JSON payload or a close with its code.
#[derive(Debug, PartialEq)]
enum Frame {
    Json(Value),
    Close(Option<u16>),
}

impl Gateway {
    /// Opens `/gw` on the fake at `base` (`http://127.0.0.1:port`) and reads its HELLO.
    fn connect(base: &str) -> Self {
        use std::io::{BufRead, Write};
        let host = base.trim_start_matches("http://");
        let mut write = std::net::TcpStream::connect(host).unwrap();
        write.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            write,
            "GET /gw HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        .unwrap();
        let mut read = std::io::BufReader::new(write.try_clone().unwrap());
        let mut status = String::new();
        read.read_line(&mut status).unwrap();
        assert!(status.starts_with("HTTP/1.1 101"), "no upgrade: {status}");
        loop {
            let mut header = String::new();
            read.read_line(&mut header).unwrap();
            if header == "\r\n" {
                break;
            }
        }
        let mut gateway = Self { read, write };
        let hello = gateway.recv();
        assert!(matches!(&hello, Frame::Json(v) if v["op"] == 10), "no HELLO: {hello:?}");
        gateway
    }

    /// Sends a JSON text frame, masked as a client must.
    fn send(&mut self, v: &Value) {
        use std::io::Write;
        let payload = v.to_string().into_bytes();
        let mut frame = vec![0x81u8];
        match payload.len() {
            n if n < 126 => frame.push(0x80 | n as u8),
            n => {
                frame.push(0x80 | 126);
                frame.extend((n as u16).to_be_bytes());
            }
        }
        let mask = [0x12u8, 0x34, 0x56, 0x78];
        frame.extend(mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.write.write_all(&frame).unwrap();
    }

    /// The next text or close frame (pings and the rest are skipped).
    fn recv(&mut self) -> Frame {
        use std::io::Read;
        loop {
            let mut head = [0u8; 2];
            self.read.read_exact(&mut head).unwrap();
            let mut len = u64::from(head[1] & 0x7f);
            if len == 126 {
                let mut n = [0u8; 2];
                self.read.read_exact(&mut n).unwrap();
                len = u64::from(u16::from_be_bytes(n));
            } else if len == 127 {
                let mut n = [0u8; 8];
                self.read.read_exact(&mut n).unwrap();
                len = u64::from_be_bytes(n);
            }
            let mut payload = vec![0u8; len as usize];
            self.read.read_exact(&mut payload).unwrap();
            match head[0] & 0x0f {
                0x1 => return Frame::Json(serde_json::from_slice(&payload).unwrap()),
                0x8 => return Frame::Close(payload.get(..2).map(|c| u16::from_be_bytes([c[0], c[1]]))),
                _ => {}
            }
        }
    }

    /// Sends IDENTIFY for `shard` and returns the answer: READY (a dispatch), op 9, or a close.
    fn identify(&mut self, shard: [u32; 2]) -> Frame {
        self.send(&json!({"op": 2, "d": {"token": "FAKE.BOT.TOKEN", "intents": 0,
            "properties": {"os": "linux", "browser": "self-test", "device": "self-test"}, "shard": shard}}));
        self.recv()
    }
}

fn is_ready(answer: &Frame) -> bool {
    matches!(answer, Frame::Json(v) if v["t"] == "READY")
}

fn is_invalid_session(answer: &Frame) -> bool {
    matches!(answer, Frame::Json(v) if v["op"] == 9 && v["d"] == false)
}

/// Discord closes an IDENTIFY for a shard that cannot exist (`id >= total`) with 4010 Invalid
/// shard, and starts a possible one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fake_gateway_closes_an_impossible_shard_with_4010() {
    let (fake, base) = fake::start().await;
    tokio::task::block_in_place(|| {
        let answer = Gateway::connect(&base).identify([1, 1]);
        assert_eq!(answer, Frame::Close(Some(4010)), "shard 1 of 1 does not exist");
        assert!(is_ready(&Gateway::connect(&base).identify([0, 1])), "shard 0 of 1 does");
    });
    assert_eq!(fake.closes.lock().unwrap().clone(), vec![(4010, json!([1, 1]))]);
    assert_eq!(fake.identifies.lock().unwrap().len(), 2);
}

/// Sessions start at the rate `/gateway/bot` advertises: `max_concurrency` IDENTIFYs per five
/// seconds, one per bucket (`shard_id % max_concurrency`); one too soon gets op 9 Invalid
/// Session (not resumable), as Discord's gateway documentation says, and is a refusal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_fake_gateway_starts_one_session_per_bucket_per_five_seconds() {
    let (fake, base) = fake::start().await;
    let advertised: Value = reqwest::get(format!("{base}/api/v10/gateway/bot")).await.unwrap().json().await.unwrap();
    assert_eq!(advertised["session_start_limit"]["max_concurrency"], 1);
    assert_eq!(*fake.identify_interval.lock().unwrap(), Duration::from_secs(5), "Discord's five seconds");
    // Shortened so that the test can show the bucket open again.
    let interval = Duration::from_secs(1);
    *fake.identify_interval.lock().unwrap() = interval;
    tokio::task::block_in_place(|| {
        let started = std::time::Instant::now();
        assert!(is_ready(&Gateway::connect(&base).identify([0, 2])));
        // The session started between `started` and `ready`.
        let ready = std::time::Instant::now();
        // Shard 1 is in the same bucket when max_concurrency is 1 (1 % 1 == 0).
        let mut second = Gateway::connect(&base);
        let answer = second.identify([1, 2]);
        assert!(started.elapsed() < interval, "the test was too slow to be too soon");
        assert!(is_invalid_session(&answer), "a second IDENTIFY in the bucket at once: {answer:?}");
        assert!(fake.refused.any("IDENTIFY of shard [1,2]"), "{:?}", fake.refused);
        // Once the interval has passed since the session started, the bucket is open again
        // (on the same connection, as after any op 9).
        std::thread::sleep(interval.saturating_sub(ready.elapsed()));
        assert!(is_ready(&second.identify([1, 2])), "the bucket is open again");
    });
    assert_eq!(fake.refused.all().len(), 1, "{:?}", fake.refused);

    // With max_concurrency 2, shards 0 and 1 are in two buckets and start together; shard 2
    // shares shard 0's bucket.
    let (fake, base) = fake::start().await;
    *fake.max_concurrency.lock().unwrap() = 2;
    let advertised: Value = reqwest::get(format!("{base}/api/v10/gateway/bot")).await.unwrap().json().await.unwrap();
    assert_eq!(advertised["session_start_limit"]["max_concurrency"], 2);
    tokio::task::block_in_place(|| {
        assert!(is_ready(&Gateway::connect(&base).identify([0, 4])));
        assert!(is_ready(&Gateway::connect(&base).identify([1, 4])), "another bucket");
        assert!(is_invalid_session(&Gateway::connect(&base).identify([2, 4])), "shard 0's bucket");
    });
    assert_eq!(fake.refused.all().len(), 1, "{:?}", fake.refused);
}
