//! The web app served by the product's own server loop on a loopback port, and the requests the
//! web tests make of it through `tower` (forms and GETs with the dashboard's cookie).

use axum::body::Body;
use axum::http::{Request, header};
use ruban_core::Limits;

/// Serves `app` on 127.0.0.1 at a free port with the product's own server loop and `limits`;
/// returns its base URL.
pub async fn serve(app: axum::Router, limits: ruban_web::ServerLimits) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { ruban_web::serve(listener, app, limits, std::future::pending()).await.unwrap() });
    format!("http://{addr}")
}

/// The whole web app over a fresh SQLite store, served on a free port; its base URL and the
/// folder holding its database (dropped with the test).
pub async fn server() -> (String, tempfile::TempDir) {
    server_with(None).await
}

/// The same, with a campaign-wide organizer token.
pub async fn server_with(organizer_token: Option<&str>) -> (String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (bot, _) = crate::core::in_dir(dir.path(), Limits::default()).await;
    let app = ruban_web::app(ruban_web::AppState::new(bot, organizer_token.map(str::to_owned)));
    (serve(app, ruban_web::ServerLimits::default()).await, dir)
}

/// A form POST, with a cookie if given (the dashboard's and the class page's forms).
pub fn form(uri: &str, body: &str, cookie: Option<&str>) -> Request<Body> {
    let mut r = Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    r.body(Body::from(body.to_owned())).unwrap()
}

/// A GET, with a cookie if given.
pub fn get(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut r = Request::get(uri);
    if let Some(c) = cookie {
        r = r.header(header::COOKIE, c);
    }
    r.body(Body::empty()).unwrap()
}

/// A request to `app` through `tower`: its status, body (as text) and headers.
pub async fn send(app: &axum::Router, req: Request<Body>) -> (axum::http::StatusCode, String, axum::http::HeaderMap) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let res = app.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    (status, String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap(), headers)
}

/// `user` (their id is their name) says `text` in the playground's chat « 5b », in French.
pub async fn say(app: &axum::Router, user: &str, text: &str) -> ruban_web::ChatResponse {
    let body = serde_json::json!({"chat": "5b", "user": {"id": user, "name": user}, "locale": "fr-CA", "text": text});
    let req =
        Request::post("/api/chat").header(header::CONTENT_TYPE, "application/json").body(Body::from(body.to_string()));
    serde_json::from_str(&send(app, req.unwrap()).await.1).unwrap()
}

/// `s` percent-encoded for a form or a query (every byte but ASCII letters and digits).
pub fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// A pupil's press of « Je m’engage » on the class page at `uri`: the device's cookie (if any)
/// and the turn the page carried.
pub fn press(uri: &str, cookie: Option<&str>, turn: &str) -> Request<Body> {
    form(uri, &format!("turn={turn}"), cookie)
}

/// The turn a class page's pledge form carries.
pub fn turn_of(page: &str) -> String {
    page.split("name=\"turn\" value=\"").nth(1).expect("a pledge form").split('"').next().unwrap().to_owned()
}

/// The first cookie a response set (`name=value`).
pub fn cookie_of(headers: &axum::http::HeaderMap) -> String {
    headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned()
}

/// The CSRF token of a dashboard page's forms.
pub fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf\" value=\"").nth(1).expect("a dashboard form").split('"').next().unwrap().to_owned()
}

/// `user` clicks `button` under `message` in the playground's chat « 5b ».
pub async fn click(app: &axum::Router, user: &str, message: &str, button: &str) -> ruban_web::ChatResponse {
    let body = serde_json::json!({"chat": "5b", "user": {"id": user, "name": user}, "locale": "fr-CA", "message_id": message, "button_id": button});
    let req = Request::post("/api/chat/click")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()));
    serde_json::from_str(&send(app, req.unwrap()).await.1).unwrap()
}

/// The first button of a reply whose id starts with `prefix`: (its message's id, its id).
pub fn button(reply: &ruban_web::ChatResponse, prefix: &str) -> Option<(String, String)> {
    reply
        .messages
        .iter()
        .find_map(|m| m.buttons.iter().find(|b| b.id.starts_with(prefix)).map(|b| (m.id.clone(), b.id.clone())))
}

/// The class page's `/vert` form as a browser posts it (multipart, the turn then the photo):
/// its content type and body.
pub fn photo_form_body(turn: &str, photo: &[u8]) -> (String, Vec<u8>) {
    let b = "ruban-test-boundary-7d0f";
    let mut body = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"turn\"\r\n\r\n{turn}\r\n--{b}\r\n\
         Content-Disposition: form-data; name=\"photo\"; filename=\"moi.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(photo);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}
