//! `ruban export`, `ruban purge` and `ruban migrate` against a real SQLite file.

use std::process::{Command, Output};

use ruban_store::{NewWallEntry, PledgeRequest, Profile, Store};

fn ruban(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ruban")).args(args).env_remove("DATABASE_URL").output().expect("ruban runs")
}

async fn seeded(url: &str) {
    let store = Store::open(url).await.unwrap();
    store.load_campaign(&ruban_vocabulary::Campaign::embedded()).await.unwrap();
    for (i, (region, org)) in [("06", "=2+3"), ("06", "École A"), ("NUN", "École Ulluriaq")].into_iter().enumerate() {
        let person = format!("person-{i}");
        store
            .set_profile(&person, &Profile { public_name: Some(format!("Ami {i}")), locale: None, wall_opt_in: i == 1 })
            .await
            .unwrap();
        store
            .pledge(PledgeRequest {
                campaign: 2026,
                person_key: person.clone(),
                platform: "telegram".into(),
                chat_key: Some("chat-x".into()),
                region: Some(region.into()),
                organization: Some(org.into()),
            })
            .await
            .unwrap();
        store
            .post_wall(&NewWallEntry {
                campaign: 2026,
                author_key: Some(person),
                message: "Bravo!".into(),
                platform: "telegram".into(),
                region: None,
                organization: None,
            })
            .await
            .unwrap();
    }
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_purge_and_migrate() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ruban.db").display());
    assert!(ruban(&["migrate", "--database", &url]).status.success());
    seeded(&url).await;

    let out = ruban(&["export", "--database", &url, "--by", "region", "--format", "csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csv_text = String::from_utf8(out.stdout).unwrap();
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 18);
    assert_eq!(rows.iter().find(|r| &r[0] == "06").unwrap()[2].to_owned(), "2");
    assert_eq!(rows.iter().find(|r| &r[0] == "NUN").unwrap()[2].to_owned(), "1");

    let json_path = dir.path().join("totaux.json");
    let out = ruban(&[
        "export",
        "--database",
        &url,
        "--by",
        "organization",
        "--format",
        "json",
        "--out",
        json_path.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(v["by"], "organization");
    assert_eq!(v["rows"].as_array().unwrap().len(), 3);

    // The organizers' workbook, as the dashboard gives it: an xlsx file Excel opens.
    let xlsx_path = dir.path().join("totaux.xlsx");
    let out = ruban(&["export", "--database", &url, "--format", "xlsx", "--out", xlsx_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let xlsx = std::fs::read(&xlsx_path).unwrap();
    assert!(xlsx.starts_with(b"PK\x03\x04"), "a zip container");
    let text = String::from_utf8_lossy(&xlsx);
    assert!(text.contains("xl/workbook.xml") && text.contains("xl/chartsheets/sheet1.xml"), "sheets and the chart");
    let out = ruban(&["export", "--database", &url, "--format", "xlsx", "--pledges"]);
    assert!(!out.status.success(), "pledge rows are CSV or JSON");

    let out = ruban(&["export", "--database", &url, "--pledges", "--excel"]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with('\u{FEFF}'));
    assert!(text.contains("'=2+3"), "formula neutralised: {text}");
    assert!(text.contains("Ami 1") && !text.contains("Ami 0"), "only opted-in names: {text}");
    assert!(!text.contains("person-") && !text.contains("chat-x"), "no keys in exports");

    let bad = ruban(&["export", "--database", &url, "--by", "école"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--by"));

    // Retention: nothing before the date, everything personal after it; totals unchanged.
    assert!(ruban(&["purge", "--database", &url, "--today", "2026-08-31"]).status.success());
    assert!(String::from_utf8(ruban(&["export", "--database", &url, "--pledges"]).stdout).unwrap().contains("Ami 1"));
    assert!(ruban(&["purge", "--database", &url, "--today", "2026-09-01"]).status.success());
    let after = String::from_utf8(ruban(&["export", "--database", &url, "--pledges"]).stdout).unwrap();
    assert!(!after.contains("Ami"), "{after}");
    let totals = String::from_utf8(ruban(&["export", "--database", &url, "--by", "region"]).stdout).unwrap();
    assert_eq!(totals, csv_text, "totals survive the purge");
}

#[test]
fn check_config_masks_secrets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("none.toml"), "").unwrap();
    let started = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_ruban"))
        .args(["check-config", "--config", dir.path().join("none.toml").to_str().unwrap()])
        .env("RUBAN_SECRET", "a-very-secret-value-123456")
        .env("RUBAN_ORGANIZER_TOKEN", "token-abcdef-987654-long-enough")
        .env("DATABASE_URL", "postgres://ruban:hunter2@db.example:5432/ruban")
        .env("TELEGRAM_TOKEN", "123456:tg-token-AAAA")
        .env("TELEGRAM_WEBHOOK_SECRET", "webhook-secret-zzz")
        .env("DISCORD_TOKEN", "discord.token.qqq")
        .env("DISCORD_SHARDS", "0-3/8")
        .output()
        .unwrap();
    // The merged configuration is printed, then the database is tried: db.example answers to
    // nothing, which is said once, within seconds, without its password.
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("db.example") && !err.contains("hunter2") && err.lines().count() == 1, "{err}");
    assert!(started.elapsed() < std::time::Duration::from_secs(15), "{:?}", started.elapsed());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("secret = ***") && text.contains("organizer_token = ***"), "{text}");
    assert!(text.contains("telegram_token = ***") && text.contains("discord_token = ***"), "{text}");
    assert!(text.contains("discord_shards = Some(\"0-3/8\")"), "{text}");
    for leaked in ["a-very-secret-value", "token-abcdef", "hunter2", "tg-token", "webhook-secret", "discord.token"] {
        assert!(!text.contains(leaked), "{leaked} leaked: {text}");
    }
    // A short organizer token is refused, named, and not printed.
    let out = Command::new(env!("CARGO_BIN_EXE_ruban"))
        .args(["check-config", "--config", dir.path().join("none.toml").to_str().unwrap()])
        .env("RUBAN_ORGANIZER_TOKEN", "k")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a one-character organizer token must be refused");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("RUBAN_ORGANIZER_TOKEN") && err.contains("too short"), "{err}");
    // A bad regions file is named in one line, status 2.
    let bad = dir.path().join("regions.toml");
    std::fs::write(&bad, "[[region]]\ncode = 1\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ruban"))
        .args(["check-config", "--config", dir.path().join("none.toml").to_str().unwrap()])
        .env("RUBAN_REGIONS_FILE", &bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("regions.toml"));
    // Bad shards and URLs are named precisely.
    for (var, value, says) in [
        ("DISCORD_SHARDS", "9-2/8", "DISCORD_SHARDS"),
        ("TELEGRAM_WEBHOOK_URL", "not a url", "TELEGRAM_WEBHOOK_URL"),
        ("DISCORD_GUILD_ID", "guild", "DISCORD_GUILD_ID"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_ruban"))
            .args(["check-config", "--config", dir.path().join("none.toml").to_str().unwrap()])
            .env("DISCORD_TOKEN", "discord.token.qqq")
            .env(var, value)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{var}={value}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says) && !err.contains("discord.token"), "{err}");
    }
}

/// Issue 33: `check-config` opens the database and says within 5 s, once, why it cannot.
#[test]
fn check_config_says_why_the_database_cannot_be_used() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("ruban.toml");
    std::fs::write(&config, "").unwrap();
    let good = format!("sqlite://{}", dir.path().join("ruban.db").display());
    let missing = format!("sqlite://{}", dir.path().join("manquant").join("ruban.db").display());
    for (url, ok, says) in [
        (good.as_str(), true, "answers"),
        ("postgres://postgres@127.0.0.1:1/test", false, "refused"),
        (missing.as_str(), false, "does not exist"),
    ] {
        let started = std::time::Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_ruban"))
            .args(["--config", config.to_str().unwrap(), "check-config"])
            .env("DATABASE_URL", url)
            .env("RUBAN_SECRET", "0123456789abcdef0123")
            .output()
            .unwrap();
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert_eq!(out.status.success(), ok, "{url}: {stderr}");
        let said = if ok { stdout.lines().last().unwrap_or_default().to_owned() } else { stderr.to_string() };
        assert!(said.contains(says), "{url}: {said}");
        if !ok {
            assert_eq!(stderr.lines().count(), 1, "said once: {stderr}");
            assert!(!stderr.contains("pool timed out"), "{stderr}");
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(8), "{url}: {:?}", started.elapsed());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizer_tokens_are_printed_once_and_stored_hashed() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ruban.db").display());
    let out = ruban(&["organizer", "add", "--region", "NUN", "--label", "Kativik", "--database", &url]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert_eq!(token.len(), 48);
    let store = Store::open(&url).await.unwrap();
    assert_eq!(store.organizer_scope(&token).await.unwrap(), Some(ruban_store::Scope::Region("NUN".into())));
    store.close().await;
    let db = std::fs::read(dir.path().join("ruban.db")).unwrap();
    let wal = std::fs::read(dir.path().join("ruban.db-wal")).unwrap_or_default();
    for bytes in [db, wal] {
        assert!(!bytes.windows(token.len()).any(|w| w == token.as_bytes()), "the token itself is never stored");
    }
    let bad = ruban(&["organizer", "add", "--organization", "École\u{7}A", "--database", &url]);
    assert_eq!(bad.status.code(), Some(2), "a control character in an organization is refused");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--organization"));
    let bad = ruban(&["organizer", "add", "--region", "99", "--database", &url]);
    assert_eq!(bad.status.code(), Some(2));
    assert_eq!(ruban(&["organizer", "add", "--database", &url]).status.code(), Some(2), "a scope is required");
}

/// `ruban` run with `env` in `dir`, stopped after 30 s if it has not ended; its stdout and stderr.
fn ruban_in(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ruban"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .envs(env.iter().copied())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("ruban runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while child.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code(), text)
}

/// A database URL's password never shows, whatever its scheme, in `serve` or `check-config`,
/// nor in the error that refuses it.
#[test]
fn no_database_password_in_any_output() {
    let dir = tempfile::tempdir().unwrap();
    // (PostgreSQL only through check-config: serve would wait for the pool's timeout.)
    for (url, commands) in [
        ("mysql://u:hunter2@h/db", &[&["serve"][..], &["check-config"], &["migrate"]][..]),
        ("postgres://u:hunter2@127.0.0.1:1/db", &[&["check-config"][..]][..]),
    ] {
        for args in commands {
            let env = [("DATABASE_URL", url), ("RUBAN_BIND", "127.0.0.1:0")];
            let (code, text) = ruban_in(dir.path(), args, &env);
            assert!(!text.contains("hunter2"), "{args:?} with {url} prints the password:\n{text}");
            if url.starts_with("mysql:") {
                assert_ne!(code, Some(0), "{args:?} refuses {url}:\n{text}");
            }
            assert!(text.contains("u:***@"), "{args:?} with {url} says which URL:\n{text}");
        }
    }
}

/// Telegram accepts a webhook secret of 1 to 256 characters of `A-Z a-z 0-9 _ -`: anything else
/// is refused before start (by check-config and by serve), named, and never printed.
#[test]
fn a_webhook_secret_telegram_would_refuse_is_refused_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("ruban.db").display());
    let long = "s".repeat(257);
    for secret in ["with a space-secret42", long.as_str(), "accentué-secret", "semi;colon"] {
        for args in [&["check-config"][..], &["serve"]] {
            let env = [
                ("DATABASE_URL", db.as_str()),
                ("RUBAN_BIND", "127.0.0.1:0"),
                ("TELEGRAM_TOKEN", "123:test-token"),
                ("TELEGRAM_API_URL", "http://127.0.0.1:1"),
                ("TELEGRAM_WEBHOOK_URL", "https://example.org/telegram"),
                ("TELEGRAM_WEBHOOK_SECRET", secret),
            ];
            let (code, text) = ruban_in(dir.path(), args, &env);
            assert_eq!(code, Some(2), "{args:?} refuses {secret:?}:\n{text}");
            assert!(text.contains("TELEGRAM_WEBHOOK_SECRET") && text.contains("A-Z, a-z, 0-9, _ and -"), "{text}");
            assert!(!text.contains(secret), "the secret is not printed:\n{text}");
        }
    }
    let (code, text) = ruban_in(
        dir.path(),
        &["check-config"],
        &[("DATABASE_URL", db.as_str()), ("TELEGRAM_WEBHOOK_SECRET", "Ok_secret-0123456789")],
    );
    assert_eq!(code, Some(0), "a well-formed secret passes:\n{text}");
}

/// Issue 33: one configuration for every subcommand. `ruban purge` reads the operator's
/// campaign files from `ruban.toml` (here a 2026 file whose data is kept until January 2027)
/// and never rewrites the campaign with the bundled one (whose retention ended 2026-08-31);
/// a named configuration file that does not exist is an error, not silence.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn purge_keeps_the_operators_campaign_and_a_missing_config_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ruban.db").display());
    let campaigns = dir.path().join("campagnes");
    std::fs::create_dir(&campaigns).unwrap();
    let operators = ruban_vocabulary::Campaign::embedded()
        .to_toml()
        .replace("retention_until = \"2026-08-31\"", "retention_until = \"2027-01-31\"");
    assert!(operators.contains("2027-01-31"), "{operators}");
    std::fs::write(campaigns.join("2026.toml"), operators).unwrap();
    let config = dir.path().join("ruban.toml");
    std::fs::write(&config, format!("database_url = {url:?}\ncampaign_file = {:?}\n", campaigns.display().to_string()))
        .unwrap();
    let config = config.to_str().unwrap();
    assert!(ruban(&["--config", config, "migrate"]).status.success());
    seeded(&url).await;
    // The store was seeded with the bundled 2026 file: the operator's own is loaded by every
    // subcommand that opens the store, as `serve` does.
    let out = ruban(&["--config", config, "purge", "--today", "2026-09-01"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let kept = String::from_utf8(ruban(&["--config", config, "export", "--pledges"]).stdout).unwrap();
    assert!(kept.contains("Ami 1"), "the operator's retention (2027-01-31) holds: {kept}");
    let out = ruban(&["--config", config, "purge", "--today", "2027-02-01"]);
    assert!(out.status.success());
    let gone = String::from_utf8(ruban(&["--config", config, "export", "--pledges"]).stdout).unwrap();
    assert!(!gone.contains("Ami"), "{gone}");

    let missing = dir.path().join("manquant.toml");
    for args in [
        &["purge"][..],
        &["export"],
        &["migrate"],
        &["check-config"],
        &["render", "badge", "--number", "1", "--out", "x.png"],
    ] {
        let mut all = vec!["--config", missing.to_str().unwrap()];
        all.extend_from_slice(args);
        let out = ruban(&all);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("manquant.toml") && err.lines().count() == 1, "{args:?}: {err}");
    }
}

/// Issue 35: `ruban export --format xlsx` with no `--out` refuses to write a workbook's bytes
/// to a terminal (a pipe or a file still gets them); an `--out` whose name says another format
/// is refused.
#[test]
fn a_workbook_is_never_written_to_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ruban.db").display());
    let command = format!("{} export --database {url} --format xlsx", env!("CARGO_BIN_EXE_ruban"));
    // `script` gives the command a terminal of its own.
    let out = Command::new("script").args(["-qec", &command, "/dev/null"]).output().expect("script runs");
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{shown}");
    assert!(shown.contains("--out") && !shown.contains("PK\u{3}\u{4}"), "{shown}");
    let piped = ruban(&["export", "--database", &url, "--format", "xlsx"]);
    assert!(piped.status.success() && piped.stdout.starts_with(b"PK\x03\x04"), "a pipe gets the workbook");
    let wrong = dir.path().join("totaux.csv");
    let out = ruban(&["export", "--database", &url, "--format", "xlsx", "--out", wrong.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!wrong.exists());
}

/// Issue 35: `ruban report` writes the campaign's one-page report as the dashboard makes it
/// (a Letter PDF), for the whole campaign or a region, and refuses a file name that is no PDF
/// or a region that does not exist, writing nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_writes_the_one_page_pdf_and_refuses_what_it_cannot_do() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ruban.db").display());
    assert!(ruban(&["migrate", "--database", &url]).status.success());
    seeded(&url).await;
    for (args, name) in [(vec![], "bilan.pdf"), (vec!["--region", "06", "--lang", "en"], "report-06.pdf")] {
        let path = dir.path().join(name);
        let mut all = vec!["report", "--database", &url, "--out", path.to_str().unwrap()];
        all.extend(args.iter().copied());
        let out = ruban(&all);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let pdf = std::fs::read(&path).unwrap();
        assert!(pdf.starts_with(b"%PDF-") && String::from_utf8_lossy(&pdf).contains("/MediaBox [0 0 612 792]"));
        let start = pdf.windows(3).position(|w| w == [0xFF, 0xD8, 0xFF]).unwrap();
        let page = image::load_from_memory(&pdf[start..]).unwrap();
        assert_eq!((page.width(), page.height()), (2550, 3300), "{name}");
    }
    let png = dir.path().join("bilan.png");
    let out = ruban(&["report", "--database", &url, "--out", png.to_str().unwrap()]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("PDF"));
    assert!(!png.exists(), "nothing written");
    let nowhere = dir.path().join("nowhere.pdf");
    let out = ruban(&["report", "--database", &url, "--region", "99", "--out", nowhere.to_str().unwrap()]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--region"));
    assert!(!nowhere.exists(), "nothing written");
}
