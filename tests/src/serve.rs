//! A `ruban serve` process for tests: started on a free port, its output kept, killed with
//! SIGKILL when dropped; and the requests the process tests make of it.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The server secret every test process runs with.
pub const SECRET: &str = "serve-process-test-secret-0123456789abcdef";

/// A running `ruban serve` and everything it printed.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub output: Arc<Mutex<String>>,
}

impl Server {
    /// Starts `ruban serve` (the binary at `bin`: a test of the `ruban` package passes
    /// `env!("CARGO_BIN_EXE_ruban")`, the one way Cargo says where the binary it just built is)
    /// on `database`.
    pub fn start(bin: &str, database: &str) -> Self {
        Self::start_with(bin, database, &[])
    }

    /// Starts with these environment variables as well.
    pub fn start_with(bin: &str, database: &str, env: &[(&str, &str)]) -> Self {
        let mut command = Command::new(bin);
        command
            .args(["serve", "--bind", "127.0.0.1:0", "--database", database])
            .env("RUBAN_SECRET", SECRET)
            .env("RUST_LOG", "info")
            // These scenarios happen during the 2026 week (Jeudi perséVERT); a test may move it.
            .env("RUBAN_TODAY", "2026-02-19")
            .env_remove("DATABASE_URL")
            .env_remove("TELEGRAM_TOKEN")
            .env_remove("DISCORD_TOKEN");
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("ruban starts");
        let output = Arc::new(Mutex::new(String::new()));
        // Standard error is read from the start: a process logging at debug before it prints
        // its address would otherwise fill the pipe and wait forever.
        let stderr = Self::drain(Box::new(child.stderr.take().unwrap()), output.clone());
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut base = None;
        let mut line = String::new();
        while base.is_none() && stdout.read_line(&mut line).unwrap_or(0) > 0 {
            output.lock().unwrap().push_str(&line);
            // The first address printed: `playground: URL` when it is open, `web: URL` when not.
            let trimmed = line.trim();
            if let Some(rest) = trimmed.strip_prefix("playground: ").or_else(|| trimmed.strip_prefix("web: "))
                && let Some(url) = rest.split_whitespace().next().filter(|u| u.starts_with("http"))
            {
                base = Some(url.trim_end_matches('/').to_owned());
            }
            line.clear();
        }
        let base = base.unwrap_or_else(|| {
            let _ = stderr.join();
            panic!("ruban serve did not start:\n{}", output.lock().unwrap())
        });
        Self::drain(Box::new(stdout), output.clone());
        Self { child, base, output }
    }

    /// Appends what `pipe` says to `output` until it closes, on a thread of its own.
    fn drain(mut pipe: Box<dyn Read + Send>, output: Arc<Mutex<String>>) -> std::thread::JoinHandle<()> {
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                output.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    }

    pub fn signal(&self, name: &str) {
        let status = Command::new("kill").args(["-s", name, &self.child.id().to_string()]).status().unwrap();
        assert!(status.success(), "kill -s {name}");
    }

    /// Waits for the process to end; its exit status and how long it took.
    pub fn wait_exit(&mut self, limit: Duration) -> (std::process::ExitStatus, Duration) {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return (status, start.elapsed());
            }
            assert!(start.elapsed() < limit, "still running after {limit:?}:\n{}", self.output.lock().unwrap());
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Pledges (`/ruban`) through the playground API as `who`, in a chat of their own; the number
/// the server acknowledged, or None when it did not answer (stopped, killed).
pub async fn pledge(client: &reqwest::Client, base: &str, who: &str) -> Option<i64> {
    let body =
        serde_json::json!({"chat": who, "user": {"id": who, "name": "Élève"}, "locale": "en-CA", "text": "/ruban"});
    let resp = client.post(format!("{base}/api/chat")).json(&body).send().await.ok()?;
    if !resp.status().is_success() {
        return None;
    }
    let answer: serde_json::Value = resp.json().await.ok()?;
    Some(pledge_number(&answer).unwrap_or_else(|| panic!("no pledge number in {answer}")))
}

/// The pledge number in the bot's answer (« … person #12 in the green wave »), if it pledged.
fn pledge_number(answer: &serde_json::Value) -> Option<i64> {
    answer["messages"].as_array()?.iter().find_map(|m| {
        let text = m["text"].as_str()?;
        let after = text.split_once('#')?.1;
        // « #1,234 »: digits with thousands separators (a comma in English, spaces in French).
        let digits: String = after
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '\u{a0}' | '\u{202f}'))
            .filter(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    })
}

/// GET: status and body.
pub async fn get(url: &str) -> (u16, String) {
    let resp = reqwest::get(url).await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}
