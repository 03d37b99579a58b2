//! The server's own limits hold against a hostile client (issue 13, part 4): a request head
//! sent one byte at a time is cut off, one client cannot hold every connection or every event
//! stream, and another client still gets in.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

async fn served(limits: ruban_web::ServerLimits, streams: ruban_web::StreamLimits) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (bot, _) = ruban_tests::core::in_dir(dir.path(), ruban_core::Limits::default()).await;
    let app =
        ruban_web::app(ruban_web::AppState::with_options(bot, ruban_web::WebOptions { streams, ..Default::default() }));
    (ruban_tests::web::serve(app, limits).await, dir)
}

fn addr(base: &str) -> SocketAddr {
    base.trim_start_matches("http://").parse().unwrap()
}

/// A connection from a chosen loopback address (127.0.0.x is all this machine's).
async fn connect_from(local: [u8; 4], to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::from((local, 0))).unwrap();
    socket.connect(to).await.unwrap()
}

/// Whether the server closed the connection (EOF or reset) within `limit`.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> bool {
    let mut buf = [0u8; 512];
    let deadline = Instant::now() + limit;
    loop {
        match tokio::time::timeout_at(deadline.into(), stream.read(&mut buf)).await {
            Err(_) => return false,
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => continue,
        }
    }
}

async fn healthy(base: &str) -> u16 {
    reqwest::get(format!("{base}/mur")).await.map(|r| r.status().as_u16()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_head_sent_one_byte_at_a_time_is_cut_off() {
    let limits = ruban_web::ServerLimits { header_read: Duration::from_secs(1), ..Default::default() };
    let (base, _dir) = served(limits, Default::default()).await;
    let to = addr(&base);
    let head = b"GET /mur HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let mut tasks = Vec::new();
    for _ in 0..100 {
        tasks.push(tokio::spawn(async move {
            let mut s = TcpStream::connect(to).await.unwrap();
            let start = Instant::now();
            for byte in head.iter() {
                if s.write_all(&[*byte]).await.is_err() {
                    return start.elapsed();
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
                if start.elapsed() > Duration::from_secs(6) {
                    break;
                }
            }
            // Writes may still be buffered: read to see whether the server hung up.
            let _ = closed_within(&mut s, Duration::from_secs(2)).await;
            start.elapsed()
        }));
    }
    // Meanwhile an ordinary visitor is served.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(healthy(&base).await, 200);
    let mut longest = Duration::ZERO;
    for t in tasks {
        longest = longest.max(t.await.unwrap());
    }
    // 100 bytes at 10 a second would take 10 s; the server hangs up after about 1 s.
    println!("slowest trickling connection was cut off after {longest:?}");
    assert!(longest < Duration::from_secs(6), "a trickling connection stayed open {longest:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_connection_is_closed() {
    let limits = ruban_web::ServerLimits { header_read: Duration::from_secs(1), ..Default::default() };
    let (base, _dir) = served(limits, Default::default()).await;
    let mut s = TcpStream::connect(addr(&base)).await.unwrap();
    assert!(closed_within(&mut s, Duration::from_secs(4)).await, "a connection that never sends is closed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_cannot_take_every_connection() {
    let limits = ruban_web::ServerLimits { connections_per_client: 20, connections: 30, ..Default::default() };
    let (base, _dir) = served(limits, Default::default()).await;
    let to = addr(&base);
    // The hostile client opens 25 connections and sends nothing.
    let mut held = Vec::new();
    for _ in 0..25 {
        held.push(connect_from([127, 0, 0, 2], to).await);
    }
    let mut refused = 0;
    for s in held.iter_mut() {
        if closed_within(s, Duration::from_millis(300)).await {
            refused += 1;
        }
    }
    assert_eq!(refused, 5, "the 21st to 25th connections of one client are closed at once");
    // Another client still gets in.
    let mut other = connect_from([127, 0, 0, 3], to).await;
    other.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut answer = String::new();
    other.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 "), "{answer}");
    // The hostile client's held connections free their slots when it leaves.
    // (The server learns of each close when it next reads that socket: ask again until then.)
    drop(held);
    let deadline = Instant::now() + ruban_tests::PATIENCE;
    loop {
        let mut again = connect_from([127, 0, 0, 2], to).await;
        let mut answer = String::new();
        if again.write_all(b"GET /mur HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").await.is_ok() {
            let _ = again.read_to_string(&mut answer).await;
        }
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(Instant::now() < deadline, "the client's slots never came back: {answer:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_cannot_hold_every_event_stream() {
    let streams = ruban_web::StreamLimits { per_client: 4, total: 6 };
    let (base, _dir) = served(Default::default(), streams).await;
    let to = addr(&base);
    let open = |from: [u8; 4]| async move {
        let mut s = connect_from(from, to).await;
        s.write_all(b"GET /api/wall/events HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
        let mut buf = vec![0u8; 1024];
        let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await.unwrap().unwrap();
        (String::from_utf8_lossy(&buf[..n]).into_owned(), s)
    };
    let mut kept = Vec::new();
    for _ in 0..4 {
        let (head, s) = open([127, 0, 0, 4]).await;
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        kept.push(s);
    }
    let (head, _) = open([127, 0, 0, 4]).await;
    assert!(head.starts_with("HTTP/1.1 429"), "a fifth stream for one client: {head}");
    for _ in 0..2 {
        let (head, s) = open([127, 0, 0, 5]).await;
        assert!(head.starts_with("HTTP/1.1 200"), "another client: {head}");
        kept.push(s);
    }
    let (head, _) = open([127, 0, 0, 6]).await;
    assert!(head.starts_with("HTTP/1.1 429"), "a seventh stream in all: {head}");
    // A viewer who leaves frees a slot.
    drop(kept.remove(0));
    let start = Instant::now();
    loop {
        let (head, s) = open([127, 0, 0, 6]).await;
        if head.starts_with("HTTP/1.1 200") {
            drop(s);
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(5), "the slot was never freed: {head}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Behind a reverse proxy, the client is the one the proxy names in `X-Forwarded-For`, and
/// only a trusted proxy is believed: anyone else writing the header is still themselves.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_trusted_proxy_names_the_client() {
    let streams = ruban_web::StreamLimits { per_client: 2, total: 100 };
    let limits =
        ruban_web::ServerLimits { trusted_proxies: vec!["127.0.0.7/32".parse().unwrap()], ..Default::default() };
    let (base, _dir) = served(limits, streams).await;
    let to = addr(&base);
    let open = |from: [u8; 4], forwarded: &'static str| async move {
        let mut s = connect_from(from, to).await;
        let req = format!("GET /api/wall/events HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: {forwarded}\r\n\r\n");
        s.write_all(req.as_bytes()).await.unwrap();
        let mut buf = vec![0u8; 1024];
        let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf)).await.unwrap().unwrap();
        (String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"), s)
    };
    let mut kept = Vec::new();
    // Through the proxy: two clients, two streams each; a third for the first is refused.
    for who in ["10.0.0.1", "10.0.0.1", "10.0.0.2", "9.9.9.9, 10.0.0.2"] {
        let (ok, s) = open([127, 0, 0, 7], who).await;
        assert!(ok, "through the proxy for {who}");
        kept.push(s);
    }
    assert!(!open([127, 0, 0, 7], "10.0.0.1").await.0, "a third stream for 10.0.0.1");
    // Someone else writing the header is not believed: each of their streams is theirs.
    for who in ["10.0.0.3", "10.0.0.4"] {
        let (ok, s) = open([127, 0, 0, 8], who).await;
        assert!(ok);
        kept.push(s);
    }
    assert!(!open([127, 0, 0, 8], "10.0.0.5").await.0, "a spoofed header bought a third stream");
}
