//! Jeudi perséVERT morning for all of Quebec, compressed (issue 32, point 7): two `ruban serve`
//! processes on one PostgreSQL, classes pledging on their class pages one pupil after the other,
//! photos in green, certificate packs, walls on event streams, and a stranger's mix beside it
//! (oversized uploads with made-up cookies, made-up device pairs, guessing codes). A benchmark,
//! not a test: it prints figures and never fails on timing.
//!
//! ```text
//! cargo build --release
//! RUBAN_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test \
//!   cargo run --release -p ruban --example thursday_morning -- 2000 25
//! ```
//!
//! Arguments (all optional): classes (2000), pupils per class (25), photos a minute (300),
//! certificate packs (50), wall viewers (2000). `RUBAN_BIN` names the binary (default
//! `target/release/ruban`). Each class is a school behind its own address (`X-Forwarded-For`,
//! from the trusted loopback proxy), as a province's schools are; the stranger is one address.
//! It prints pledges lost or doubled (must be 0), p50/p99 per door, each process's peak
//! memory (VmHWM) and answers by kind. Telegram and Discord traffic are not in it yet.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use ruban_store::NewClass;
use ruban_tests::postgres::Schema;
use ruban_tests::serve::Server;
use tokio::sync::Mutex;

/// Latencies (ms) and answers by kind, per door.
#[derive(Default)]
struct Tally {
    latencies: BTreeMap<&'static str, Vec<f64>>,
    answers: BTreeMap<String, u64>,
}

type Shared = Arc<Mutex<Tally>>;

async fn record(tally: &Shared, door: &'static str, started: Instant, answer: &str) {
    let mut t = tally.lock().await;
    t.latencies.entry(door).or_default().push(started.elapsed().as_secs_f64() * 1000.0);
    *t.answers.entry(format!("{door}: {answer}")).or_default() += 1;
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// The cookie and the pledge form's turn of a class page.
fn cookie_and_turn(headers: &reqwest::header::HeaderMap, page: &str) -> (Option<String>, Option<String>) {
    let cookie =
        headers.get("set-cookie").and_then(|v| v.to_str().ok()).and_then(|v| v.split(';').next()).map(str::to_owned);
    let turn = page.split("name=\"turn\" value=\"").nth(1).and_then(|s| s.split('"').next()).map(str::to_owned);
    (cookie, turn)
}

fn school(i: usize) -> String {
    format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255)
}

/// One class: its pupils press « Je m’engage » one after the other on one device.
#[allow(clippy::too_many_arguments)]
async fn class(
    client: reqwest::Client,
    base: String,
    code: String,
    i: usize,
    pupils: usize,
    tally: Shared,
    acked: Arc<AtomicU64>,
    start_in: Duration,
) {
    tokio::time::sleep(start_in).await;
    let addr = school(i);
    let url = format!("{base}/classe/{code}");
    let Ok(res) = client.get(&url).header("x-forwarded-for", &addr).send().await else { return };
    let headers = res.headers().clone();
    let page = res.text().await.unwrap_or_default();
    let (Some(cookie), Some(mut turn)) = cookie_and_turn(&headers, &page) else { return };
    // The first pupil makes a card for a classmate.
    let started = Instant::now();
    let card = client
        .post(format!("{url}/carte"))
        .header("x-forwarded-for", &addr)
        .header("cookie", &cookie)
        .form(&[("turn", turn.as_str()), ("to", "Zoé"), ("design", "oser"), ("message", "Tu es capable!")])
        .send()
        .await;
    match card {
        Ok(r) => {
            let status = r.status();
            let body = r.text().await.unwrap_or_default();
            let kind = if body.contains("class=\"card\"") { "drawn".to_owned() } else { status.to_string() };
            record(&tally, "card", started, &kind).await;
            if let (_, Some(t)) = cookie_and_turn(&reqwest::header::HeaderMap::new(), &body) {
                turn = t;
            }
        }
        Err(e) => record(&tally, "card", started, &format!("error {e}")).await,
    }
    let mut pupil = 0;
    while pupil < pupils {
        // A pupil hands the device on: the page's pause between two pledges on one device.
        tokio::time::sleep(Duration::from_millis(2_050)).await;
        let started = Instant::now();
        let res = client
            .post(&url)
            .header("x-forwarded-for", &addr)
            .header("cookie", &cookie)
            .form(&[("turn", turn.as_str())])
            .send()
            .await;
        let Ok(res) = res else {
            record(&tally, "pledge", started, "connection error").await;
            continue;
        };
        let status = res.status();
        let body = res.text().await.unwrap_or_default();
        let kind = if body.contains("Merci, c’est compté!") {
            acked.fetch_add(1, Ordering::Relaxed);
            pupil += 1;
            "counted".to_owned()
        } else if body.contains("Pas encore compté") {
            "paced".to_owned()
        } else {
            format!("{status} not counted")
        };
        record(&tally, "pledge", started, &kind).await;
        if let (_, Some(t)) = cookie_and_turn(&reqwest::header::HeaderMap::new(), &body) {
            turn = t;
        }
    }
}

/// A 12-megapixel phone photo in green (4000 x 3000, noisy enough to weigh what one does).
fn phone_photo() -> Vec<u8> {
    let mut seed = 0x2545_f491_u32;
    let img = image::RgbImage::from_fn(4000, 3000, |x, y| {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let n = (seed & 31) as u8;
        image::Rgb([20 + (x / 40) as u8 % 60 + n, 140 + (y / 30) as u8 % 80 + n, 60 + n])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img).write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// Peak resident memory (VmHWM) of a process, in MB.
fn peak_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let arg = |i: usize, default: usize| args.get(i).copied().unwrap_or(default);
    let (classes, pupils, photos_per_minute, packs, viewers) =
        (arg(0, 2000), arg(1, 25), arg(2, 300), arg(3, 50), arg(4, 2000));
    if std::env::var(ruban_tests::postgres::PG_ENV).is_err() {
        no_postgres();
    }
    let bin = std::env::var("RUBAN_BIN").unwrap_or_else(|_| "target/release/ruban".to_owned());
    let schema = Schema::fresh("the Thursday-morning benchmark").await.expect("a PostgreSQL server");
    let env = [
        ("RUBAN_TODAY", "2026-02-19"),
        ("RUBAN_TRUSTED_PROXIES", "127.0.0.1"),
        ("RUBAN_PLAYGROUND", "off"),
        ("RUST_LOG", "warn"),
    ];
    let servers = [Server::start_with(&bin, &schema.url(), &env), Server::start_with(&bin, &schema.url(), &env)];
    let bases: Vec<String> = servers.iter().map(|s| s.base.clone()).collect();
    let pids: Vec<u32> = servers.iter().map(|s| s.child.id()).collect();
    println!("two processes ({pids:?}) on {}, schema {}", bases.join(" and "), schema.name);

    // The classes, opened as organizers open them (with their teachers' links).
    let store = schema.store().await;
    let mut codes = Vec::with_capacity(classes);
    for i in 0..classes {
        let class = store
            .open_class(NewClass {
                campaign: 2026,
                owner_key: format!("bench-teacher-{i}"),
                platform: "web".into(),
                chat_key: None,
                class_name: format!("Classe {i}"),
                school: Some(format!("École {}", i / 10)),
                region: Some("06".into()),
                is_group: false,
            })
            .await
            .expect("a class");
        let teacher = store.teacher_code(&class.code).await.unwrap().expect("a teacher code");
        codes.push((class.code, teacher));
    }
    println!("{classes} classes of {pupils} opened");

    let tally: Shared = Arc::default();
    let acked = Arc::new(AtomicU64::new(0));
    let client = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let began = Instant::now();

    // Walls on projectors: event streams, each from its own school.
    let mut walls = Vec::new();
    for i in 0..viewers {
        let (client, base) = (client.clone(), bases[i % 2].clone());
        walls.push(tokio::spawn(async move {
            let Ok(res) =
                client.get(format!("{base}/api/wall/events")).header("x-forwarded-for", school(i)).send().await
            else {
                return 0u64;
            };
            let mut stream = res.bytes_stream();
            let mut events = 0u64;
            while let Some(Ok(chunk)) = futures_util::StreamExt::next(&mut stream).await {
                events += chunk.windows(6).filter(|w| w == b"event:").count() as u64;
            }
            events
        }));
    }

    // The classes, starting over the first minute.
    let mut tasks = Vec::new();
    for (i, (code, _)) in codes.iter().enumerate() {
        let start_in = Duration::from_millis((i as u64 * 60_000) / classes.max(1) as u64);
        tasks.push(tokio::spawn(class(
            client.clone(),
            bases[i % 2].clone(),
            code.clone(),
            i,
            pupils,
            tally.clone(),
            acked.clone(),
            start_in,
        )));
    }

    // Photos in green, at their rate, from classes' devices.
    let photo = Arc::new(phone_photo());
    println!("a phone photo of {:.1} MB", photo.len() as f64 / 1e6);
    let photos = {
        let (client, bases, codes, tally, done, photo) =
            (client.clone(), bases.clone(), codes.clone(), tally.clone(), done.clone(), photo.clone());
        tokio::spawn(async move {
            let gap = Duration::from_secs_f64(60.0 / photos_per_minute.max(1) as f64);
            let mut n = 0usize;
            let mut inflight = Vec::new();
            while !done.load(Ordering::Relaxed) {
                let (client, base, code, tally, photo) = (
                    client.clone(),
                    bases[n % 2].clone(),
                    codes[(n * 7919) % codes.len()].0.clone(),
                    tally.clone(),
                    photo.clone(),
                );
                let addr = school(1_000_000 + n);
                inflight.push(tokio::spawn(async move {
                    let url = format!("{base}/classe/{code}");
                    let Ok(res) = client.get(&url).header("x-forwarded-for", &addr).send().await else { return };
                    let headers = res.headers().clone();
                    let page = res.text().await.unwrap_or_default();
                    let (Some(cookie), Some(turn)) = cookie_and_turn(&headers, &page) else { return };
                    let turn =
                        page.rsplit("name=\"turn\" value=\"").next().and_then(|s| s.split('"').next()).unwrap_or(&turn);
                    let (content_type, body) = ruban_tests::web::photo_form_body(turn, &photo);
                    let started = Instant::now();
                    let res = client
                        .post(format!("{url}/vert"))
                        .header("x-forwarded-for", &addr)
                        .header("cookie", cookie)
                        .header("content-type", content_type)
                        .body(body)
                        .send()
                        .await;
                    let kind = match res {
                        Ok(r) => {
                            let status = r.status();
                            let body = r.text().await.unwrap_or_default();
                            if body.contains("persevert.jpg") {
                                "framed".to_owned()
                            } else if body.contains("Beaucoup de monde") {
                                "busy, try again".to_owned()
                            } else {
                                format!("{status} not framed")
                            }
                        }
                        Err(e) => format!("error {e}"),
                    };
                    record(&tally, "photo", started, &kind).await;
                }));
                n += 1;
                tokio::time::sleep(gap).await;
            }
            for t in inflight {
                let _ = t.await;
            }
        })
    };

    // Certificate packs of 30, from teachers' pages, spread over the first two minutes.
    let packs_task = {
        let (client, bases, codes, tally) = (client.clone(), bases.clone(), codes.clone(), tally.clone());
        tokio::spawn(async move {
            let names: String = (1..=30).map(|n| format!("Élève {n}\n")).collect();
            let mut inflight = Vec::new();
            for p in 0..packs {
                let (client, base, teacher, tally, names) = (
                    client.clone(),
                    bases[p % 2].clone(),
                    codes[p % codes.len()].1.clone(),
                    tally.clone(),
                    names.clone(),
                );
                inflight.push(tokio::spawn(async move {
                    let started = Instant::now();
                    let res = client
                        .post(format!("{base}/enseignant/{teacher}/certificats"))
                        .header("x-forwarded-for", school(p))
                        .form(&[
                            ("names", names.as_str()),
                            ("reason", ""),
                            ("giver", "Mme Tremblay"),
                            ("format", "pdf"),
                        ])
                        .send()
                        .await;
                    let kind = match res {
                        Ok(r) => {
                            let status = r.status();
                            let pdf = r.bytes().await.unwrap_or_default();
                            if pdf.starts_with(b"%PDF") { "pdf".to_owned() } else { format!("{status} no pdf") }
                        }
                        Err(e) => format!("error {e}"),
                    };
                    record(&tally, "certificates", started, &kind).await;
                }));
                tokio::time::sleep(Duration::from_millis(120_000 / packs.max(1) as u64)).await;
            }
            for t in inflight {
                let _ = t.await;
            }
        })
    };

    // The stranger: 24 uploads of 19.5 MB at once with made-up cookies to a link that opens
    // nothing, made-up device pairs on a real class, and codes guessed, every ten seconds.
    let stranger = {
        let (client, bases, codes, tally, done) =
            (client.clone(), bases.clone(), codes.clone(), tally.clone(), done.clone());
        tokio::spawn(async move {
            let junk = Arc::new(vec![0x5au8; 19_500_000]);
            let mut round = 0u64;
            while !done.load(Ordering::Relaxed) {
                let mut all = Vec::new();
                for k in 0..24u64 {
                    let (client, base, tally, junk) =
                        (client.clone(), bases[k as usize % 2].clone(), tally.clone(), junk.clone());
                    let code = if k % 2 == 0 {
                        "aaaaaaaaaaaaaaaaa".to_owned()
                    } else {
                        codes[k as usize % codes.len()].0.clone()
                    };
                    all.push(tokio::spawn(async move {
                        let (content_type, body) =
                            ruban_tests::web::photo_form_body(&format!("{:032x}.{:032x}", k, round), &junk);
                        let started = Instant::now();
                        let res = client
                            .post(format!("{base}/classe/{code}/vert"))
                            .header("x-forwarded-for", "203.0.113.7")
                            .header("cookie", format!("ruban_device={:032x}.{:032x}", round, k))
                            .header("content-type", content_type)
                            .body(body.clone())
                            .send()
                            .await;
                        let kind = match res {
                            Ok(r) => r.status().to_string(),
                            Err(_) => "connection closed unread".to_owned(),
                        };
                        record(&tally, "stranger upload", started, &kind).await;
                    }));
                }
                for g in 0..40u64 {
                    let started = Instant::now();
                    let res = client
                        .get(format!("{}/classe/{:0>17}", bases[g as usize % 2], format!("zz{round}x{g}")))
                        .header("x-forwarded-for", "203.0.113.7")
                        .send()
                        .await;
                    let kind = res.map_or_else(|_| "error".to_owned(), |r| r.status().to_string());
                    record(&tally, "stranger guess", started, &kind).await;
                }
                for t in all {
                    let _ = t.await;
                }
                round += 1;
                tokio::time::sleep(Duration::from_secs(10)).await;
            }
        })
    };

    for t in tasks {
        let _ = t.await;
    }
    let pledging = began.elapsed();
    done.store(true, Ordering::Relaxed);
    let _ = photos.await;
    let _ = packs_task.await;
    let _ = stranger.await;
    let peaks: Vec<f64> = pids.iter().map(|p| peak_mb(*p)).collect();
    for w in &walls {
        w.abort();
    }

    // Pledges lost or doubled: what the pages acknowledged against the database.
    let (rows, distinct, top): (i64, i64, i64) = match store.db() {
        ruban_store::Db::Postgres(pool) => sqlx::query_as(
            "SELECT COUNT(*), COUNT(DISTINCT number), COALESCE(MAX(number), 0) FROM pledges WHERE campaign = 2026",
        )
        .fetch_one(pool)
        .await
        .unwrap(),
        _ => unreachable!(),
    };
    let acked = acked.load(Ordering::Relaxed) as i64;
    println!(
        "\n== Thursday morning: {classes} classes x {pupils} pupils, two processes, {:.0} s ==",
        pledging.as_secs_f64()
    );
    println!("pledges acknowledged {acked}, stored {rows}, distinct numbers {distinct}, highest {top}");
    println!("lost {}, doubled {}", (acked - rows).max(0), (rows - distinct).max(0) + (rows - acked).max(0));
    let t = tally.lock().await;
    println!("door             count     p50 ms    p99 ms    max ms");
    for (door, v) in &t.latencies {
        let mut v = v.clone();
        v.sort_by(|a, b| a.total_cmp(b));
        println!(
            "{door:<16} {:>6} {:>10.1} {:>9.1} {:>9.1}",
            v.len(),
            percentile(&v, 0.5),
            percentile(&v, 0.99),
            v.last().copied().unwrap_or(0.0)
        );
    }
    println!("answers by kind:");
    for (kind, n) in &t.answers {
        println!("  {kind:<40} {n:>7}");
    }
    for (pid, peak) in pids.iter().zip(&peaks) {
        println!("process {pid}: peak memory {peak:.0} MB");
    }
    drop(servers);
    schema.drop_schema().await;
}

/// Says which PostgreSQL to name, and stops.
fn no_postgres() -> ! {
    // `std::env::set_var` is `unsafe` in edition 2024 and this workspace forbids unsafe code:
    // say what to set instead.
    eprintln!(
        "set {}=postgres://postgres@127.0.0.1:5432/test (the machine's PostgreSQL) to run this benchmark",
        ruban_tests::postgres::PG_ENV
    );
    std::process::exit(2);
}
