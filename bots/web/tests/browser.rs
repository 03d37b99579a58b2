//! The playground in a real browser: headless Chromium driven through ChromeDriver (W3C
//! WebDriver over HTTP), against the real server on a loopback port.
//!
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them); without them the
//! test says SKIPPED loudly. A screenshot of each scenario is written to
//! `target/playground-*.png` to look at.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ruban_tests::skip::half;
use serde_json::{Value, json};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

struct Driver {
    child: Child,
    base: String,
    session: String,
    http: reqwest::Client,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The browser goes first: killing ChromeDriver alone left its Chromium running, one
        // per test, some spinning a core each (a whole suite then ran at a load of six and its
        // timing tests failed). A blocking request: Drop cannot await.
        use std::io::{Read, Write};
        if let Some(addr) = self.base.strip_prefix("http://")
            && let Ok(mut stream) = std::net::TcpStream::connect(addr)
        {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let request = format!(
                "DELETE /session/{} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
                self.session
            );
            if stream.write_all(request.as_bytes()).is_ok() {
                let _ = stream.read_to_end(&mut Vec::new());
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Driver {
    async fn start() -> Option<Self> {
        let (Some(driver), Some(browser)) = (which("chromedriver"), which("chromium")) else {
            ruban_tests::skip::skipped(
                half::BROWSER,
                "browser test",
                "install Debian's chromium and chromium-driver (.ci/run does)",
            );
            return None;
        };
        let port = free_port();
        // Found but not starting is a failure, not a skip.
        let child = Command::new(&driver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("{driver} does not start: {e}"));
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::new();
        let start = Instant::now();
        while http.get(format!("{base}/status")).send().await.is_err() {
            assert!(start.elapsed() < Duration::from_secs(20), "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
            "binary": browser,
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                     "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--window-size=1100,1400", format!("--user-data-dir={}", profile.path().display())]
        }}}});
        let res: Value = http.post(format!("{base}/session")).json(&caps).send().await.unwrap().json().await.unwrap();
        let session = res["value"]["sessionId"].as_str().unwrap_or_else(|| panic!("no session: {res}")).to_owned();
        ruban_tests::skip::ran(half::BROWSER);
        Some(Self { child, base, session, http, _profile: profile })
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let url = format!("{}/session/{}{path}", self.base, self.session);
        let mut req = self.http.request(method, url);
        if !body.is_null() {
            req = req.json(&body);
        }
        let res: Value = req.send().await.unwrap().json().await.unwrap();
        res["value"].clone()
    }

    async fn goto(&self, url: &str) {
        self.cmd(reqwest::Method::POST, "/url", json!({ "url": url })).await;
    }

    async fn find(&self, css: &str) -> String {
        let v = self.cmd(reqwest::Method::POST, "/element", json!({"using": "css selector", "value": css})).await;
        v[ELEMENT].as_str().unwrap_or_else(|| panic!("no element {css}: {v}")).to_owned()
    }

    async fn type_into(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{el}/value"), json!({ "text": text })).await;
    }

    async fn click(&self, css: &str) {
        let el = self.find(css).await;
        self.cmd(reqwest::Method::POST, &format!("/element/{el}/click"), json!({})).await;
    }

    async fn script(&self, js: &str) -> Value {
        self.cmd(reqwest::Method::POST, "/execute/sync", json!({"script": js, "args": []})).await
    }

    /// Polls a script until it returns something truthy.
    async fn wait_for(&self, js: &str, what: &str) -> Value {
        let start = Instant::now();
        loop {
            let v = self.script(js).await;
            if !(v.is_null() || v == json!(false) || v == json!(0) || v == json!("")) {
                return v;
            }
            assert!(start.elapsed() < Duration::from_secs(30), "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    async fn screenshot(&self, name: &str) {
        use base64::Engine;
        let v = self.cmd(reqwest::Method::GET, "/screenshot", Value::Null).await;
        let b64 = v.as_str().unwrap_or_else(|| panic!("no screenshot: {v}"));
        let png = base64::engine::general_purpose::STANDARD.decode(b64).unwrap();
        assert!(png.starts_with(b"\x89PNG"));
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target");
        let _ = std::fs::write(dir.join(format!("playground-{name}.png")), png);
    }
}

/// The program `name` on `PATH` (then Debian's chromium folder, where the driver may live).
fn which(name: &str) -> Option<String> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain([std::path::PathBuf::from("/usr/lib/chromium")])
        .map(|d| d.join(name))
        .find(|p| p.is_file())
        .map(|p| p.display().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_a_card_command_shows_the_card() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (base, _dir) = ruban_tests::web::server().await;
    driver.goto(&format!("{base}/?lang=fr-CA")).await;
    driver.type_into("#text", "/carte \"Léa\" encourager \"Lâche pas, tu es capable!\"").await;
    driver.click("#send-button").await;
    let width = driver
        .wait_for(
            "const i = document.querySelector('li.msg.bot img.card'); return i && i.complete && i.naturalWidth;",
            "the card image",
        )
        .await;
    assert_eq!(width, json!(1080), "the card image loaded at full size");
    let text = driver.script("return document.querySelector('li.msg.bot:last-child').innerText;").await;
    assert!(text.as_str().unwrap().contains("Voici ta carte pour Léa"), "{text}");
    driver.screenshot("card").await;
}

/// Issue 35: the playground's camera button sends a photo for `/vert`, which comes back framed
/// (a portrait photo in a 1080 × 1350 frame).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_camera_button_sends_a_photo_for_vert() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (base, dir) = ruban_tests::web::server().await;
    let path = dir.path().join("moi-en-vert.jpg");
    image::RgbImage::from_pixel(900, 1200, image::Rgb([30, 170, 70])).save(&path).unwrap();
    driver.goto(&format!("{base}/?lang=fr-CA")).await;
    // What a person picking a file does: the input receives its path, and the page sends it.
    driver.type_into("#photo", path.to_str().unwrap()).await;
    let height = driver
        .wait_for(
            "const i = document.querySelector('li.msg.bot img'); return i && i.complete && i.naturalHeight;",
            "the framed photo",
        )
        .await;
    assert_eq!(height, json!(1350), "a portrait photo in a 4:5 frame");
    let said = driver.script("return [...document.querySelectorAll('li.msg.me')].pop().innerText;").await;
    assert!(said.as_str().unwrap().contains("/vert"), "{said}");
    driver.screenshot("vert").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clicking_the_class_button_counts_the_pledge() {
    let Some(driver) = Driver::start().await else {
        return;
    };
    let (base, _dir) = ruban_tests::web::server().await;
    driver.goto(&format!("{base}/?lang=fr-CA")).await;
    driver.type_into("#text", "/classe \"5e année B\"").await;
    driver.click("#send-button").await;
    driver.wait_for("return document.querySelector('li.msg.bot .buttons button');", "the class button").await;
    assert!(driver.script("return document.body.innerText.includes('0 engagement');").await == json!(true));
    driver.click("li.msg.bot .buttons button").await;
    driver
        .wait_for(
            "return document.querySelector('li.msg.bot').parentNode.innerText.includes('1 engagement');",
            "the counter at 1",
        )
        .await;
    // Another pupil clicks in the same class.
    let name = driver.find("#user-name").await;
    driver.cmd(reqwest::Method::POST, &format!("/element/{name}/clear"), json!({})).await;
    driver.type_into("#user-name", "Noah").await;
    driver.click("li.msg.bot .buttons button").await;
    driver.wait_for("return document.body.innerText.includes('2 engagements');", "the counter at 2").await;
    // The counter was edited in place: one class message only.
    let count = driver.script("return [...document.querySelectorAll('li.msg.bot')].filter(li => li.innerText.includes('s’engage')).length;").await;
    assert_eq!(count, json!(1));
    driver.screenshot("class").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wall_counter_moves_when_a_pledge_arrives() {
    let Some(driver) = Driver::start().await else { return };
    let (base, _dir) = ruban_tests::web::server().await;
    driver.cmd(reqwest::Method::POST, "/window/rect", json!({"width": 1920, "height": 1080})).await;
    driver.goto(&format!("{base}/mur?lang=fr-CA")).await;
    assert_eq!(driver.script("return document.getElementById('total').textContent;").await, json!("0"));
    // The stream is open once the first event arrived; then pledges come through the API.
    driver.wait_for("return document.body.dataset.live === '1';", "the event stream").await;
    let http = reqwest::Client::new();
    for (i, who) in ["zoe", "noah", "lea"].iter().enumerate() {
        let body = json!({"chat": "5b", "user": {"id": who, "name": who}, "locale": "fr-CA", "text": "/ruban"});
        http.post(format!("{base}/api/chat")).json(&body).send().await.unwrap();
        let want = (i + 1).to_string();
        driver
            .wait_for(
                &format!("return document.getElementById('total').textContent === '{want}';"),
                "the counter to move",
            )
            .await;
    }
    // Names, bars and the plural follow within a second or so.
    driver
        .wait_for("return document.getElementById('counter-label').textContent.includes('personnes');", "the plural")
        .await;
    driver.screenshot("wall-1920x1080").await;
    driver.cmd(reqwest::Method::POST, "/window/rect", json!({"width": 390, "height": 844})).await;
    driver.screenshot("wall-390x844").await;
}

/// A card from `who` with `words`, posted on the wall through the playground's API.
async fn card_on_wall(base: &str, who: &str, words: &str) {
    let http = reqwest::Client::new();
    let text = format!("/carte Zoé encourager « {words} »");
    let body = json!({"chat": "5b", "user": {"id": who, "name": who}, "locale": "fr-CA", "text": text});
    let card: Value = http.post(format!("{base}/api/chat")).json(&body).send().await.unwrap().json().await.unwrap();
    let message = &card["messages"][0];
    let wall = message["buttons"].as_array().unwrap().iter().find(|b| b["id"].as_str().unwrap().starts_with("w:"));
    let click = json!({"chat": "5b", "user": {"id": who, "name": who}, "locale": "fr-CA",
                       "message_id": message["id"], "button_id": wall.expect("a wall button")["id"]});
    http.post(format!("{base}/api/chat/click")).json(&click).send().await.unwrap();
}

/// Issue 14 in the browser: « Signaler » under a wall message, pressed as a pupil would, thanks
/// them, and the way back shows the wall without it; the forms the script draws when the wall
/// moves carry « Signaler » too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_reported_on_the_wall_page_is_gone_when_you_come_back() {
    let Some(driver) = Driver::start().await else { return };
    let (base, _dir) = ruban_tests::web::server().await;
    card_on_wall(&base, "noah", "On sait tous ce que tu as fait hier").await;
    card_on_wall(&base, "lea", "Bravo pour ton exposé").await;
    driver.cmd(reqwest::Method::POST, "/window/rect", json!({"width": 1920, "height": 1080})).await;
    driver.goto(&format!("{base}/mur?lang=fr-CA")).await;
    assert_eq!(driver.script("return document.querySelectorAll('#messages form.report').length;").await, json!(2));
    driver.screenshot("wall-report-buttons").await;
    // The newest first: Léa's. Report Noah's, the second.
    driver.click("#messages li:nth-child(2) form.report button").await;
    driver.wait_for("return document.body.innerText.includes('Merci de nous l’avoir dit');", "the thanks").await;
    driver.screenshot("wall-report-thanks").await;
    driver.click("a.back").await;
    driver.wait_for("return document.getElementById('messages') !== null;", "the wall again").await;
    let shown = driver.script("return document.getElementById('messages').innerText;").await;
    let shown = shown.as_str().unwrap();
    assert!(shown.contains("Bravo pour ton exposé") && !shown.contains("On sait tous"), "{shown}");
    // The wall moves (a pledge): the script redraws the messages, « Signaler » included.
    driver.wait_for("return document.body.dataset.live === '1';", "the event stream").await;
    card_on_wall(&base, "max", "Tu es capable").await;
    driver
        .wait_for("return document.getElementById('messages').innerText.includes('Tu es capable');", "the new message")
        .await;
    let actions = driver
        .script("return [...document.querySelectorAll('#messages form.report')].map(f => f.getAttribute('action'));")
        .await;
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 2, "{actions:?}");
    assert!(actions.iter().all(|a| a.as_str().unwrap().starts_with("/mur/signaler/")), "{actions:?}");
    // A wall link that does not read answers with the same small page, and a way to the wall.
    driver.goto(&format!("{base}/mur?class=%00&lang=fr-CA")).await;
    driver.wait_for("return document.body.innerText.includes('n’est pas valide');", "the bad link's page").await;
    driver.screenshot("wall-bad-link").await;
    driver.click("a.back").await;
    driver.wait_for("return document.getElementById('messages') !== null;", "the whole wall").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organizer_signs_in_sees_charts_and_downloads_the_csv() {
    let Some(driver) = Driver::start().await else { return };
    let (base, _dir) = ruban_tests::web::server_with(Some("dashboard-browser-token")).await;
    let http = reqwest::Client::new();
    for who in ["zoe", "noah"] {
        let body = json!({"chat": "5b", "user": {"id": who, "name": who}, "locale": "fr-CA", "text": "/ruban"});
        http.post(format!("{base}/api/chat")).json(&body).send().await.unwrap();
    }
    driver.cmd(reqwest::Method::POST, "/window/rect", json!({"width": 1280, "height": 1000})).await;
    driver.goto(&format!("{base}/organisateurs?lang=fr-CA")).await;
    driver.type_into("#token", "dashboard-browser-token").await;
    driver.click("form button[type=submit]").await;
    driver.wait_for("return document.querySelector('section.chart svg rect');", "a chart").await;
    let kpi = driver.script("return document.querySelector('.kpis strong').textContent;").await;
    assert_eq!(kpi, json!("2"));
    // The download link works with the session cookie.
    let csv = driver
        .wait_for(
            "const a = document.querySelector('.downloads a[href^=\\'/api/export.csv\\']'); if (!window.__csv) { window.__csv = ''; fetch(a.href).then(r => r.text()).then(t => window.__csv = t); } return window.__csv;",
            "the CSV",
        )
        .await;
    assert!(csv.as_str().unwrap().contains("key,label,pledges"), "{csv}");
    driver.screenshot("dashboard").await;
}

/// axe-core, installed by `.ci/run` with `npm ci --prefix bots/web/tests/axe`.
fn axe_source() -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/axe/node_modules/axe-core/axe.min.js");
    let source = std::fs::read_to_string(&path).ok();
    if source.is_none() {
        ruban_tests::skip::skipped(
            half::AXE,
            "accessibility scan",
            "run `npm ci --prefix bots/web/tests/axe` (.ci/run does)",
        );
    } else {
        ruban_tests::skip::ran(half::AXE);
    }
    source
}

impl Driver {
    /// Runs axe-core on the current page and returns its serious and critical violations.
    async fn axe(&self, source: &str) -> Vec<String> {
        self.script(source).await;
        let v = self
            .cmd(
                reqwest::Method::POST,
                "/execute/async",
                json!({"script": "const done = arguments[arguments.length - 1]; \
                    axe.run(document).then(r => done(r.violations \
                      .filter(v => v.impact === 'serious' || v.impact === 'critical') \
                      .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.map(n => n.target.join(' ')).join(', ')))) \
                    .catch(e => done(['axe failed: ' + e]));", "args": []}),
            )
            .await;
        serde_json::from_value(v.clone()).unwrap_or_else(|_| panic!("axe answered {v}"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wall_the_dashboard_and_the_playground_pass_an_accessibility_scan() {
    let Some(source) = axe_source() else { return };
    let Some(driver) = Driver::start().await else { return };
    let (base, _dir) = ruban_tests::web::server_with(Some("axe-token-for-the-dashboard")).await;
    let http = reqwest::Client::new();
    let body =
        json!({"chat": "5b", "user": {"id": "zoe", "name": "Zoé"}, "locale": "fr-CA", "text": "/carte Léa bravo"});
    http.post(format!("{base}/api/chat")).json(&body).send().await.unwrap();
    card_on_wall(&base, "lea", "Bravo pour ton exposé").await;
    let mut found = Vec::new();
    for page in ["/?lang=fr-CA", "/?lang=en-CA", "/mur?lang=fr-CA", "/wall?lang=en-CA", "/organisateurs?lang=fr-CA"] {
        driver.goto(&format!("{base}{page}")).await;
        found.extend(driver.axe(&source).await.into_iter().map(|v| format!("{page}: {v}")));
    }
    driver.type_into("#token", "axe-token-for-the-dashboard").await;
    driver.click("form button[type=submit]").await;
    driver.wait_for("return document.querySelector('section.chart svg');", "the dashboard").await;
    found.extend(driver.axe(&source).await.into_iter().map(|v| format!("dashboard: {v}")));
    assert!(found.is_empty(), "serious or critical accessibility violations:\n{}", found.join("\n"));
}

/// The class link in the browser, as a class would use it on one school device: each press
/// moves the counter, the page is keyboard-usable and passes the accessibility scan.
/// Opens the class « 3e année A » from the playground, as its teacher; returns its code.
async fn open_class(base: &str) -> String {
    let body = json!({"chat": "5b", "user": {"id": "prof", "name": "Mme Roy"}, "locale": "fr-CA", "text": "/classe « 3e année A »"});
    let opened: Value =
        reqwest::Client::new().post(format!("{base}/api/chat")).json(&body).send().await.unwrap().json().await.unwrap();
    opened["messages"][0]["buttons"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|b| b["id"].as_str().and_then(|id| id.strip_prefix("j:")))
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pupils_pledge_one_after_the_other_on_the_class_link() {
    let Some(driver) = Driver::start().await else { return };
    let dir = tempfile::tempdir().unwrap();
    let (bot, store) = ruban_tests::core::in_dir(dir.path(), ruban_core::Limits::default()).await;
    let options = ruban_web::WebOptions { class_link_pause: std::time::Duration::ZERO, ..Default::default() };
    let base =
        ruban_tests::web::serve(ruban_web::app(ruban_web::AppState::with_options(bot, options)), Default::default())
            .await;
    let code = open_class(&base).await;
    driver.cmd(reqwest::Method::POST, "/window/rect", json!({"width": 1280, "height": 800})).await;
    driver.goto(&format!("{base}/classe/{code}?lang=fr-CA")).await;
    assert!(driver.script("return document.body.innerText.includes('0 engagement');").await == json!(true));
    for n in 1..=3 {
        driver.click("button.pledge").await;
        let want = if n == 1 { "1 engagement".to_owned() } else { format!("{n} engagements") };
        driver.wait_for(&format!("return document.body.innerText.includes('{want}');"), "the counter to move").await;
    }
    assert_eq!(store.class_summary(&code).await.unwrap().members, 3);
    driver.screenshot("class-link").await;
    let mut found = Vec::new();
    let source = axe_source();
    if let Some(source) = &source {
        found.extend(driver.axe(source).await.into_iter().map(|v| format!("fr-CA: {v}")));
    }
    driver.goto(&format!("{base}/classe/{code}?lang=en-CA")).await;
    assert!(driver.script("return document.body.innerText.includes('I pledge');").await == json!(true));
    driver.screenshot("class-link-en").await;
    if let Some(source) = &source {
        found.extend(driver.axe(source).await.into_iter().map(|v| format!("en-CA: {v}")));
    }
    assert!(found.is_empty(), "serious or critical accessibility violations:\n{}", found.join("\n"));
}

/// A class opened from the dashboard, in the browser: the organizer types its name, gets the
/// sheet to print (its QR code drawn), closes it and sees the class badge. Both pages pass the
/// accessibility scan.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organizer_opens_a_class_from_the_dashboard_prints_its_sheet_and_closes_it() {
    let Some(driver) = Driver::start().await else { return };
    let (base, _dir) = ruban_tests::web::server_with(Some("dashboard-class-browser-token")).await;
    driver.cmd(reqwest::Method::POST, "/window/rect", json!({"width": 1280, "height": 1000})).await;
    driver.goto(&format!("{base}/organisateurs?lang=fr-CA")).await;
    driver.type_into("#token", "dashboard-class-browser-token").await;
    driver.click("form button[type=submit]").await;
    driver
        .wait_for("return document.querySelector('form.open-class input[name=name]');", "the open-a-class form")
        .await;
    driver.type_into("form.open-class input[name=name]", "4e année B").await;
    driver.click("form.open-class button[type=submit]").await;
    let qr = driver
        .wait_for(
            "const s = document.querySelector('.sheet .qr svg'); return s && s.getBoundingClientRect().width;",
            "the sheet's QR code",
        )
        .await;
    assert!(qr.as_f64().unwrap() >= 200.0, "a QR code large enough to scan: {qr}");
    assert_eq!(driver.script("return document.querySelector('h1').textContent;").await, json!("4e année B"));
    driver.screenshot("dashboard-class-sheet").await;
    let mut found = Vec::new();
    let source = axe_source();
    if let Some(source) = &source {
        found.extend(driver.axe(source).await.into_iter().map(|v| format!("sheet: {v}")));
    }
    // The same sheet in English, for the guide.
    let sheet = driver.script("return location.pathname;").await.as_str().unwrap().to_owned();
    driver.goto(&format!("{base}{sheet}?lang=en-CA")).await;
    assert!(driver.script("return document.body.innerText.includes('I pledge');").await == json!(true));
    driver.screenshot("dashboard-class-sheet-en").await;
    driver.goto(&format!("{base}{sheet}?lang=fr-CA")).await;
    // Back to the dashboard, where the class is listed with its close button.
    driver.click(".answer > p:last-child a").await;
    driver.wait_for("return document.querySelector('#classes form[action*=fermer] button');", "the close button").await;
    driver.click("#classes form[action*=fermer] button").await;
    let badge = driver
        .wait_for(
            "const i = document.querySelector('.badge img'); return i && i.complete && i.naturalWidth;",
            "the class badge",
        )
        .await;
    assert!(badge.as_u64().unwrap() >= 512, "the badge image loaded: {badge}");
    driver.screenshot("dashboard-class-closed").await;
    if let Some(source) = &source {
        found.extend(driver.axe(source).await.into_iter().map(|v| format!("closed: {v}")));
    }
    assert!(found.is_empty(), "serious or critical accessibility violations:\n{}", found.join("\n"));
}

/// The teacher's own page in the browser: asked in the class's chat, opened, approval turned
/// on; it passes the accessibility scan in both languages.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teacher_turns_approval_on_from_their_own_page() {
    let Some(driver) = Driver::start().await else { return };
    let (base, _dir) = ruban_tests::web::server().await;
    let http = reqwest::Client::new();
    let say = |text: &str| {
        let body = json!({"chat": "5b", "user": {"id": "prof", "name": "Mme Roy"}, "locale": "fr-CA", "text": text});
        http.post(format!("{base}/api/chat")).json(&body).send()
    };
    say("/classe « 3e année A »").await.unwrap();
    let asked: Value = say("/classe enseignant").await.unwrap().json().await.unwrap();
    let text = asked["messages"][0]["text"].as_str().unwrap().to_owned();
    let path = text.split_whitespace().find(|w| w.contains("/enseignant/")).expect("the teacher link").to_owned();
    let path = &path[path.find("/enseignant/").unwrap()..];
    driver.cmd(reqwest::Method::POST, "/window/rect", json!({"width": 1280, "height": 900})).await;
    driver.goto(&format!("{base}{path}?lang=fr-CA")).await;
    driver.click(".approval button").await;
    driver.wait_for("return document.body.innerText.includes('attendent votre approbation');", "approval on").await;
    driver.screenshot("teacher").await;
    let mut found = Vec::new();
    if let Some(source) = axe_source() {
        found.extend(driver.axe(&source).await.into_iter().map(|v| format!("fr-CA: {v}")));
        driver.goto(&format!("{base}{path}?lang=en-CA")).await;
        driver.screenshot("teacher-en").await;
        found.extend(driver.axe(&source).await.into_iter().map(|v| format!("en-CA: {v}")));
    }
    assert!(found.is_empty(), "serious or critical accessibility violations:\n{}", found.join("\n"));
}

/// Issue 35: the wall on a gym's screen, 1920 × 1080 and 3840 × 2160: everything in one
/// screen (no scroll bar), the QR code in view, and messages that do not fit rolling gently
/// rather than cut off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wall_fills_a_gym_screen_without_scrolling() {
    let Some(driver) = Driver::start().await else { return };
    let (base, _dir) = ruban_tests::web::server().await;
    for i in 0..12 {
        card_on_wall(
            &base,
            &format!("eleve{i}"),
            &format!("Bravo à toute la classe pour vos beaux efforts, message {i}!"),
        )
        .await;
    }
    for (w, h) in [(1920, 1080), (3840, 2160)] {
        driver.cmd(reqwest::Method::POST, "/window/rect", json!({"width": w, "height": h})).await;
        driver.goto(&format!("{base}/mur?lang=fr-CA")).await;
        let seen = driver
            .script(
                "const list = document.getElementById('messages'), box = list.closest('.latest');\
                 return { scroll: document.documentElement.scrollHeight, inner: innerHeight, width: innerWidth,\
                   qr: document.querySelector('.qr').getBoundingClientRect().bottom,\
                   regions: document.querySelector('.regions').getBoundingClientRect().bottom,\
                   fits: list.scrollHeight <= box.clientHeight + 1, rolling: list.classList.contains('rolling') };",
            )
            .await;
        let n = |k: &str| seen[k].as_f64().unwrap_or_else(|| panic!("{k}: {seen}"));
        assert!(n("width") >= f64::from(w) * 0.9, "the window is the screen's size: {seen}");
        assert!(n("scroll") <= n("inner") + 1.0, "{w}×{h}: no scroll bar: {seen}");
        assert!(n("qr") <= n("inner"), "{w}×{h}: the QR code in view: {seen}");
        assert!(n("regions") <= n("inner") + 1.0, "{w}×{h}: every region in view: {seen}");
        assert!(seen["fits"] == json!(true) || seen["rolling"] == json!(true), "{w}×{h}: messages fit or roll: {seen}");
        driver.screenshot(&format!("wall-gym-{w}x{h}")).await;
    }
}

/// Issue 35: the class page's two states after a press — « ✔ Merci, c'est compté! » with the
/// new count, and « ↻ Appuie encore » with its reason (a press within the pause) — pass axe-core
/// on a tablet (768 × 1024) and a phone (390 × 844), and the big state is seen without scrolling.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_class_pages_two_states_pass_axe_on_a_tablet_and_a_phone() {
    let Some(source) = axe_source() else { return };
    let Some(driver) = Driver::start().await else { return };
    let (base, _dir) = ruban_tests::web::server().await;
    let code = open_class(&base).await;
    let mut found = Vec::new();
    for (width, height) in [(768, 1024), (390, 844)] {
        driver.cmd(reqwest::Method::POST, "/window/rect", json!({"width": width, "height": height})).await;
        driver.goto(&format!("{base}/classe/{code}?lang=fr-CA")).await;
        // The device waits two seconds between two pupils (the last press was the size before's).
        tokio::time::sleep(Duration::from_millis(2200)).await;
        driver.click("button.pledge").await;
        driver.wait_for("return document.querySelector('.notice');", "an answer").await;
        let text = driver.script("return document.querySelector('main').innerText;").await;
        assert!(
            driver.script("return !!document.querySelector('.notice.state.counted');").await == json!(true),
            "{width}×{height}: {text}"
        );
        let seen = driver
            .script("const r = document.querySelector('.notice.state').getBoundingClientRect(); return r.bottom <= window.innerHeight;")
            .await;
        assert_eq!(seen, json!(true), "{width}×{height}: the state is seen without scrolling");
        found.extend(driver.axe(&source).await.into_iter().map(|v| format!("{width}×{height} counted: {v}")));
        driver.screenshot(&format!("class-counted-{width}x{height}")).await;
        // At once again: within the pause, the page says to press again, and why.
        driver.click("button.pledge").await;
        driver.wait_for("return document.querySelector('.notice.state.again');", "« Appuie encore »").await;
        found.extend(driver.axe(&source).await.into_iter().map(|v| format!("{width}×{height} again: {v}")));
        driver.screenshot(&format!("class-again-{width}x{height}")).await;
    }
    assert!(found.is_empty(), "serious or critical accessibility violations:\n{}", found.join("\n"));
}
