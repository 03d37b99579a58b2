//! How often one event goes to the store, counted from the statements sqlx runs (each one is a
//! `sqlx::query` tracing event): a card reads its sender once — profile, block and the day's
//! count together — instead of once for the language and again for each check.

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use ruban_core::{Action, Chat, Incoming, Limits, User};
use ruban_store::Store;
use ruban_vocabulary::Clock;
use time::macros::date;
use tracing::field::{Field, Visit};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// Every statement sqlx ran while it listened.
#[derive(Default, Clone)]
struct Statements(Arc<Mutex<Vec<String>>>);

impl Statements {
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// A statement's text: its summary, and its whole SQL when the summary was cut.
struct Sql(String);

impl Visit for Sql {
    fn record_str(&mut self, field: &Field, value: &str) {
        if matches!(field.name(), "summary" | "db.statement") {
            self.0.push_str(value);
            self.0.push(' ');
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        if matches!(field.name(), "summary" | "db.statement") {
            self.0.push_str(&format!("{value:?} "));
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for Statements {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            let mut sql = Sql(String::new());
            event.record(&mut sql);
            self.0.lock().unwrap().push(sql.0);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_reads_its_sender_once() {
    // SQLite runs statements on its own threads: only a global subscriber hears them (this
    // binary holds this one test).
    let statements = Statements::default();
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(statements.clone())).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ruban.db").display());
    let store = Store::open_with(&url, Clock::on(date!(2026 - 02 - 17))).await.unwrap();
    let bot = ruban_tests::core::on(store, Limits::default()).await;
    let card = |text: &str| Incoming {
        platform: "telegram".into(),
        user: User { id: "42".into(), display_name: "Noé".into(), locale: Some("fr".into()) },
        chat: Chat { id: "-100".into(), private: false },
        is_admin: false,
        is_organizer: false,
        target: None,
        action: Action::Text(text.into()),
    };
    // A first card, so the sender has a day's count to read.
    assert_eq!(bot.handle(card("/carte Léa \"Bravo!\"")).await.messages[0].images.len(), 1);
    statements.take();
    let reply = bot.handle(card("/carte Zoé \"Lâche pas!\"")).await;
    assert_eq!(reply.messages[0].images.len(), 1, "{reply:?}");
    let seen = statements.take();
    let about_the_sender: Vec<&String> =
        seen.iter().filter(|s| s.contains("people") || s.contains("blocked_senders")).collect();
    assert_eq!(about_the_sender.len(), 1, "the sender is read once: {seen:#?}");
    let read = about_the_sender[0];
    assert!(read.contains("blocked_senders") && read.contains("local_day") && read.contains("people"), "{read}");
    // The card is written once.
    assert_eq!(seen.iter().filter(|s| s.contains("INSERT INTO cards")).count(), 1, "{seen:#?}");
}
