//! The HTTP server loop, with limits on every connection.
//!
//! Why not `axum::serve`: it gives hyper no timer, so hyper's header-read timeout never runs,
//! and it accepts any number of connections: 300 clients sending a request one byte at a time
//! were all still open after a minute. Here:
//! - a connection must send a request's whole head within [`ServerLimits::header_read`] of the
//!   connection opening or of the previous response (hyper's timer starts when it waits for a
//!   head, so this is also the keep-alive idle timeout);
//! - a request that is not answered within [`ServerLimits::request`] gets 503 (event streams,
//!   which are meant to stay open, are exempt: they have their own caps in [`crate::streams`]);
//! - at most [`ServerLimits::connections`] connections in all and
//!   [`ServerLimits::connections_per_client`] per client (IPv4 address, IPv6 /64) are open; one
//!   more is closed at once, so one client cannot take every socket.
//!
//! Shutdown: stop accepting, let each connection finish its request in flight (hyper's
//! graceful shutdown), then return.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

use crate::auth::Client;

/// The limits of [`serve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerLimits {
    /// How long a connection may take to send a request's head (and may stay idle between
    /// requests).
    pub header_read: Duration,
    /// How long a request may take to be answered (event streams excepted).
    pub request: Duration,
    /// Open connections in all.
    pub connections: usize,
    /// Open connections per client.
    pub connections_per_client: usize,
    /// Reverse proxies whose `X-Forwarded-For` is believed (`RUBAN_TRUSTED_PROXIES`): a request
    /// through one of them is the client's, as the proxy says; from anywhere else the header is
    /// ignored (anyone can write it). Connections from a trusted proxy are not capped per
    /// client (they carry everyone); the proxy caps its own clients.
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            header_read: Duration::from_secs(10),
            request: Duration::from_secs(30),
            connections: 4096,
            // A school behind one address: every classroom's projector showing a wall, each
            // browser holding a few connections.
            connections_per_client: 256,
            trusted_proxies: Vec::new(),
        }
    }
}

/// Counts of open connections, per client and in all.
#[derive(Debug, Default)]
struct Open {
    total: usize,
    per_client: HashMap<Client, usize>,
}

/// One open connection, counted until dropped.
struct Counted {
    open: Arc<Mutex<Open>>,
    client: Client,
}

impl Drop for Counted {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.total -= 1;
        if let Some(n) = open.per_client.get_mut(&self.client) {
            *n -= 1;
            if *n == 0 {
                open.per_client.remove(&self.client);
            }
        }
    }
}

fn admit(open: &Arc<Mutex<Open>>, client: Client, proxy: bool, limits: &ServerLimits) -> Option<Counted> {
    let mut o = open.lock().unwrap_or_else(|e| e.into_inner());
    let mine = o.per_client.get(&client).copied().unwrap_or(0);
    if o.total >= limits.connections || (!proxy && mine >= limits.connections_per_client) {
        return None;
    }
    o.total += 1;
    *o.per_client.entry(client).or_insert(0) += 1;
    Some(Counted { open: open.clone(), client })
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets the requests in flight
/// finish. Handlers see the peer's address as `ConnectInfo<SocketAddr>`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ServerLimits,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let app = app.layer(axum::middleware::from_fn_with_state(limits.request, deadline));
    let trusted = Arc::new(limits.trusted_proxies.clone());
    let open = Arc::new(Mutex::new(Open::default()));
    // Every connection task holds a receiver; the sender's `closed()` says they all ended.
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let proxy = trusted.iter().any(|net| net.contains(&peer.ip()));
        let Some(counted) = admit(&open, Client::of(peer.ip()), proxy, &limits) else {
            tracing::debug!("connection refused: too many open");
            metrics::counter!("ruban_http_connections_refused_total").increment(1);
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let app = app.clone();
        let trusted = trusted.clone();
        let header_read = limits.header_read;
        let mut stop = stop_rx.clone();
        tokio::spawn(async move {
            let _counted = counted;
            let service = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                let client = if proxy { forwarded_client(req.headers(), &trusted).unwrap_or(peer) } else { peer };
                req.extensions_mut().insert(ConnectInfo(client));
                let app = app.clone();
                async move {
                    use tower_service::Service;
                    let mut app = app;
                    app.call(req.map(Body::new)).await
                }
            });
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(header_read);
            let conn = builder.serve_connection(TokioIo::new(stream), service);
            let mut conn = std::pin::pin!(conn);
            let stopping = async {
                let _ = stop.wait_for(|s| *s).await;
            };
            let result = tokio::select! {
                result = conn.as_mut() => result,
                () = stopping => {
                    // Finish the request in flight, then close.
                    conn.as_mut().graceful_shutdown();
                    conn.as_mut().await
                }
            };
            if let Err(e) = result {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(stop);
        });
    }
    drop(listener);
    drop(stop_rx);
    stop_tx.send_replace(true);
    stop_tx.closed().await;
    Ok(())
}

/// The client a trusted proxy speaks for: the right-most address of `X-Forwarded-For` that is
/// not itself a trusted proxy (the left part is whatever the client wrote).
fn forwarded_client(headers: &axum::http::HeaderMap, trusted: &[ipnet::IpNet]) -> Option<SocketAddr> {
    let mut hops: Vec<std::net::IpAddr> = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        for hop in value.to_str().ok()?.split(',') {
            hops.push(hop.trim().parse().ok()?);
        }
    }
    hops.into_iter().rev().find(|ip| !trusted.iter().any(|net| net.contains(ip))).map(|ip| SocketAddr::new(ip, 0))
}

/// Answers 503 to a request still unanswered after the limit; event streams are exempt.
async fn deadline(
    axum::extract::State(limit): axum::extract::State<Duration>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if req.uri().path().ends_with("/events") {
        return next.run(req).await;
    }
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            metrics::counter!("ruban_http_requests_timed_out_total").increment(1);
            (axum::http::StatusCode::SERVICE_UNAVAILABLE, [(axum::http::header::RETRY_AFTER, "5")]).into_response()
        }
    }
}
