//! Ruban's shared test support, in one place instead of copies included by path:
//!
//! - [`telegram`]: a fake Telegram Bot API for the real teloxide client, checked against the
//!   official description (`spec/telegram/api.json`) and as unkind as Telegram;
//! - [`discord`]: a fake Discord (REST checked against `spec/discord/openapi.json`, and a
//!   gateway) for the real serenity client;
//! - [`fakes`]: what both fakes share (their listener, their call logs, reading a request body
//!   or a multipart upload, their spec files);
//! - [`store`]: fresh stores on both backends (a temporary SQLite file, or a PostgreSQL schema
//!   of its own), and the `contract!` macro that runs a test on each;
//! - [`core`]: a core ([`ruban_core::Bot`]) over a fresh store;
//! - [`web`]: the web app served on a loopback port, and its form and GET requests;
//! - [`serve`]: a `ruban serve` process, started and watched;
//! - [`skip`]: the one rule for a half of a test that cannot run here.
//!
//! The crates' own tests take this crate as a dev-dependency; the tests that cross crates live
//! in this crate's `tests/`. Nothing here is product code: it never ships in the binary.

pub mod bench;
pub mod core;
pub mod discord;
pub mod fakes;
pub mod moderation;
pub mod postgres;
pub mod serve;
pub mod skip;
pub mod store;
pub mod telegram;
pub mod web;

/// How long a test waits for something that must happen (a minute: a debug build on a loaded
/// 2-core machine is slow, and only a failure waits that long). A ceiling, never a deadline.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_secs(60);
