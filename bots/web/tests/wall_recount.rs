//! When a wall loses events it counts again from the database, and shows the true figure: a
//! reader too slow for a storm of pledges (the broadcast lags), and, on PostgreSQL, a LISTEN
//! connection that drops (what was published meanwhile is gone). The event stream is read
//! through `tower`, so it is polled only when the test reads it: a reader as slow as it gets.

use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use ruban_store::{PledgeRequest, StoreEvent};
use ruban_tests::store::{CAMPAIGN, Fresh};
use serde_json::Value;
use tower::ServiceExt;

/// An open wall event stream and what was read of it.
struct Stream {
    body: Body,
    buf: String,
}

impl Stream {
    async fn open(app: &axum::Router) -> Self {
        let res = app.clone().oneshot(Request::get("/api/wall/events").body(Body::empty()).unwrap()).await.unwrap();
        assert!(res.status().is_success(), "{}", res.status());
        Self { body: res.into_body(), buf: String::new() }
    }

    /// The next event: its name and data. Keep-alive comments do not count: an event that never
    /// comes fails after 20 s, however many of them arrive meanwhile.
    async fn next(&mut self) -> (String, String) {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(end) = self.buf.find("\n\n") {
                let block: String = self.buf.drain(..end + 2).collect();
                let Some(name) = block.lines().find_map(|l| l.strip_prefix("event: ")) else { continue };
                let data = block.lines().find_map(|l| l.strip_prefix("data: ")).unwrap_or_default();
                return (name.to_owned(), data.to_owned());
            }
            let frame = tokio::time::timeout_at(deadline, self.body.frame())
                .await
                .expect("a wall event within 20 s")
                .expect("the stream stays open")
                .unwrap();
            if let Ok(data) = frame.into_data() {
                self.buf.push_str(&String::from_utf8_lossy(&data));
            }
        }
    }

    /// The next `count` event's data.
    async fn count(&mut self) -> Value {
        loop {
            let (name, data) = self.next().await;
            if name == "count" {
                return serde_json::from_str(&data).unwrap();
            }
        }
    }
}

fn pledge(person: String) -> PledgeRequest {
    PledgeRequest {
        campaign: CAMPAIGN,
        person_key: person,
        platform: "web".into(),
        chat_key: None,
        region: Some("06".into()),
        organization: None,
    }
}

async fn app(f: &Fresh) -> axum::Router {
    let bot = ruban_tests::core::on(f.store.clone(), ruban_tests::core::generous()).await;
    ruban_web::app(ruban_web::AppState::new(bot, None))
}

/// More pledges than the live channel holds (4,096) arrive while the wall reads nothing.
const STORM: usize = 4_600;

async fn a_wall_too_slow_for_a_storm_counts_again_and_never_twice(f: &Fresh) {
    let app = app(f).await;
    let mut wall = Stream::open(&app).await;
    assert_eq!(wall.count().await["total"], 0);
    let mut tasks = tokio::task::JoinSet::new();
    for chunk in 0..(STORM / 100) {
        let store = f.store.clone();
        tasks.spawn(async move {
            for n in 0..100 {
                store.pledge(pledge(format!("p{chunk}-{n}"))).await.unwrap();
            }
        });
    }
    tasks.join_all().await;
    assert_eq!(f.store.count(CAMPAIGN).await.unwrap(), STORM as i64);
    // On PostgreSQL the storm comes back through LISTEN a moment after the commits: wait until
    // a subscriber of our own has heard its last pledge, so the wall's reader has lagged too.
    let mut probe = f.store.subscribe();
    f.store.pledge(pledge("last of the storm".into())).await.unwrap();
    let total = STORM as i64 + 1;
    loop {
        let e = tokio::time::timeout(Duration::from_secs(20), probe.recv()).await.expect("the storm is heard");
        if matches!(e, Ok(StoreEvent::Pledge { number, .. }) if number == total) {
            break;
        }
    }

    // The wall lagged: its next count is the database's, not what it happened to keep.
    let tick = wall.count().await;
    assert_eq!(tick["total"], total, "{tick}");
    assert_eq!(tick["today"], total, "{tick}");
    // After the recount, what was still queued (up to 4,096 events, pledges the recount holds)
    // is not counted again. The reader goes through the whole queue in one poll, so it reads
    // first, then the next pledge is made: its tick must be one more. (Pledging before the
    // queue is read would overflow it again and only show another recount.)
    let (tick, ()) = tokio::join!(wall.count(), async {
        f.store.pledge(pledge("after".into())).await.unwrap();
    });
    assert_eq!((tick["total"].as_i64(), tick["number"].as_i64()), (Some(total + 1), Some(total + 1)), "{tick}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wall_too_slow_for_a_storm_counts_again_and_never_twice_sqlite() {
    let f = ruban_tests::store::sqlite().await;
    a_wall_too_slow_for_a_storm_counts_again_and_never_twice(&f).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wall_too_slow_for_a_storm_counts_again_and_never_twice_postgres() {
    if let Some(f) = ruban_tests::store::postgres().await {
        a_wall_too_slow_for_a_storm_counts_again_and_never_twice(&f).await;
        f.cleanup().await;
    }
}

/// PostgreSQL only: SQLite has no connection between processes to lose.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wall_whose_listen_connection_drops_counts_again_and_hears_again() {
    let Some(f) = ruban_tests::store::postgres().await else { return };
    let schema = f.schema.clone().unwrap();
    let app = app(&f).await;
    f.store.pledge(pledge("ana".into())).await.unwrap();
    let mut wall = Stream::open(&app).await;
    assert_eq!(wall.count().await["total"], 1);
    // Ana's event comes back through LISTEN after the wall read its count: it is not counted
    // again (the wall knows it counted through pledge number 1), so the next event is Ben's.

    // A pledge whose notification is lost: written by another process while this one's
    // listener was away (here, a row with no NOTIFY at all).
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect_with(&schema.options()).await.unwrap();
    sqlx::query(
        "INSERT INTO pledges (campaign, number, person_key, kind, platform, region, created_at, local_day) \
         SELECT campaign, 2, 'lost', kind, platform, region, created_at, local_day FROM pledges WHERE number = 1",
    )
    .execute(&mut conn)
    .await
    .unwrap();

    // The listener's connection drops.
    let mut probe = f.store.subscribe();
    let listen = format!("LISTEN \"{}\"", f.store.events_channel().unwrap());
    let dropped: Vec<bool> =
        sqlx::query_scalar("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = $1")
            .bind(&listen)
            .fetch_all(&mut conn)
            .await
            .unwrap();
    assert_eq!(dropped, [true], "one listener on this schema's channel ({listen})");
    let e = tokio::time::timeout(Duration::from_secs(20), probe.recv()).await.expect("the drop is noticed");
    assert!(matches!(e, Ok(StoreEvent::Resync)), "{e:?}");

    // The wall counts again from the database: the lost pledge shows.
    let tick = wall.count().await;
    assert_eq!((tick["total"].as_i64(), tick["number"].as_i64()), (Some(2), None), "{tick}");
    let (name, _) = wall.next().await;
    assert_eq!(name, "wall", "lost events may have been messages: the page reloads them");
    // And the listener is back: the next pledge reaches the wall live.
    f.store.pledge(pledge("ben".into())).await.unwrap();
    let tick = wall.count().await;
    assert_eq!((tick["total"].as_i64(), tick["number"].as_i64()), (Some(3), Some(3)), "{tick}");
    conn.close().await.unwrap();
    f.cleanup().await;
}
