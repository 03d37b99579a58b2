//! The wall's live events over a real socket: a pledge made through the playground API reaches
//! an open event stream, filtered as the wall asked (how soon is printed, not asserted).

use futures_util::StreamExt;
use serde_json::{Value, json};

/// Reads server-sent events until one named `count`, returning its data.
async fn next_count(
    stream: &mut (impl futures_util::Stream<Item = reqwest::Result<bytes::Bytes>> + Unpin),
    buf: &mut String,
) -> Value {
    loop {
        if let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            if block.lines().any(|l| l == "event: count") {
                let data = block.lines().find_map(|l| l.strip_prefix("data: ")).unwrap();
                return serde_json::from_str(data).unwrap();
            }
            continue;
        }
        let chunk = tokio::time::timeout(ruban_tests::PATIENCE, stream.next()).await.expect("an event");
        buf.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pledge_reaches_every_matching_wall_and_no_other() {
    let (base, _dir) = ruban_tests::web::server().await;
    let http = reqwest::Client::new();
    let mut all = http.get(format!("{base}/api/wall/events")).send().await.unwrap().bytes_stream();
    let mut nunavik = http.get(format!("{base}/api/wall/events?region=NUN")).send().await.unwrap().bytes_stream();
    let (mut a, mut n) = (String::new(), String::new());
    assert_eq!(next_count(&mut all, &mut a).await["total"], 0);
    assert_eq!(next_count(&mut nunavik, &mut n).await["total"], 0);

    for who in ["lea", "noah"] {
        let started = std::time::Instant::now();
        let body = json!({"chat": "c", "user": {"id": who, "name": who}, "locale": "fr-CA", "text": "/ruban"});
        http.post(format!("{base}/api/chat")).json(&body).send().await.unwrap();
        let tick = next_count(&mut all, &mut a).await;
        // Measured, not asserted (tests never fail on timing): `-- --nocapture` prints it.
        println!("the wall moved {:?} after the pledge", started.elapsed());
        assert_eq!(tick["number"], tick["total"]);
    }
    // A repeated pledge changes nothing. Neither it nor the pledges above (no region was given)
    // reach the Nunavik wall: shown at the end, where its next event is the message's refresh.
    let body = json!({"chat": "c", "user": {"id": "lea", "name": "lea"}, "locale": "fr-CA", "text": "/ruban"});
    http.post(format!("{base}/api/chat")).json(&body).send().await.unwrap();
    let latest: Value = http.get(format!("{base}/api/wall")).send().await.unwrap().json().await.unwrap();
    assert_eq!(latest["total"], 2);

    // A message posted on the wall (hidden ones alike) tells every wall to refresh, at once.
    let body =
        json!({"chat": "c", "user": {"id": "lea", "name": "lea"}, "locale": "fr-CA", "text": "/carte Zoé \"Bravo!\""});
    let card: Value = http.post(format!("{base}/api/chat")).json(&body).send().await.unwrap().json().await.unwrap();
    let (message, button) =
        (card["messages"][0]["id"].as_str().unwrap(), card["messages"][0]["buttons"][0]["id"].as_str().unwrap());
    let started = std::time::Instant::now();
    let click = json!({"chat": "c", "user": {"id": "lea", "name": "lea"}, "locale": "fr-CA", "message_id": message, "button_id": button});
    http.post(format!("{base}/api/chat/click")).json(&click).send().await.unwrap();
    loop {
        if a.contains("event: wall") {
            break;
        }
        let chunk = tokio::time::timeout(ruban_tests::PATIENCE, all.next()).await.expect("a wall event");
        a.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
    }
    println!("the wall heard of the new message {:?} after the click", started.elapsed());
    assert!(!a[..a.find("event: wall").unwrap()].contains("event: count"), "the repeated pledge made no event: {a}");

    // Every wall refreshes for the message, Nunavik's too; it heard no count before it.
    while !n.contains("event: wall") {
        let chunk = tokio::time::timeout(ruban_tests::PATIENCE, nunavik.next()).await.expect("a wall event");
        n.push_str(&String::from_utf8_lossy(&chunk.unwrap().unwrap()));
    }
    assert!(!n.contains("event: count"), "the Nunavik wall counted a pledge from elsewhere: {n}");
}
