//! The campaign calendar (issue 15, part 1) with the clock fixed before, during, between and
//! after campaigns, and a 2027 file in a temporary folder: the pledge's stored campaign, the
//! badge's and card's pixels, the kind refusal, `/aide`, the purge sparing the next campaign;
//! then `ruban campaign new` and `ruban check-config` on good and bad files.
//!
//! Each fixture has its own clock ([`Clock`]), handed to its store and so to its bot: moving
//! its day moves it for everything the fixture does, and for nothing else.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

use card_renderer::{Assets, BadgeSize, BadgeSpec, CardSpec, Message, Name};
use ruban_core::{Action, Bot, Chat, Incoming, Limits, Reply, User};
use ruban_store::{Pseudonymizer, Store};
use ruban_tests::postgres::Schema;
use ruban_vocabulary::Clock;
use ruban_vocabulary::{Calendar, Campaign, Design, Locale};
use time::Date;
use time::macros::date;

const SECRET: &[u8] = b"calendar tests secret, 32 bytes.";

const FILE_2027: &str = r##"year = 2027
start = "2027-02-15"
end = "2027-02-19"
persevert_day = "2027-02-18"
hashtag = "#JPS2027"
hashtags = ["#JPS2027"]
retention_until = "2027-08-31"

[theme]
fr-CA = "Chaque essai compte."
en-CA = "Every try counts."
"##;

fn ruban(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ruban"));
    c.args(args).env_remove("RUBAN_CAMPAIGN_FILE").env_remove("RUBAN_TODAY").env_remove("DATABASE_URL");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("ruban runs")
}

fn folder_with_2027() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("2026.toml"), include_str!("../../../assets/campaign/2026.toml")).unwrap();
    std::fs::write(dir.path().join("2027.toml"), FILE_2027).unwrap();
    dir
}

fn user(id: &str, locale: &str) -> User {
    User { id: id.into(), display_name: "Test".into(), locale: Some(locale.into()) }
}

fn incoming(who: &str, locale: &str, text: &str) -> Incoming {
    Incoming {
        platform: "telegram".into(),
        user: user(who, locale),
        chat: Chat { id: format!("chat-{who}"), private: true },
        is_admin: false,
        is_organizer: false,
        target: None,
        action: Action::Text(text.into()),
    }
}

fn pixels(png: &[u8]) -> Vec<u8> {
    image::load_from_memory(png).expect("a PNG").to_rgba8().into_raw()
}

fn first_image(r: &Reply) -> Vec<u8> {
    pixels(&r.messages.iter().find_map(|m| m.images.first()).expect("an image in the reply").bytes)
}

struct Fixture {
    bot: Bot,
    assets: Arc<Assets>,
    keys: Pseudonymizer,
    _dir: Option<tempfile::TempDir>,
    schema: Option<Schema>,
    /// The fixture's clock: its store's, so its bot's.
    clock: Clock,
}

async fn open_store(pg: bool, clock: &Clock) -> Option<(Store, Option<tempfile::TempDir>, Option<Schema>)> {
    if !pg {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("r.db").display());
        let store = Store::open_with(&url, clock.clone()).await.unwrap();
        ruban_tests::skip::ran(ruban_tests::skip::half::SQLITE);
        return Some((store, Some(dir), None));
    }
    let schema = Schema::fresh("PostgreSQL half of the campaign calendar").await?;
    let store = schema.store_with(clock.clone()).await;
    Some((store, None, Some(schema)))
}

async fn fixture(pg: bool, calendar: Calendar) -> Option<Fixture> {
    let clock = Clock::system();
    let (store, dir, schema) = open_store(pg, &clock).await?;
    let shown = calendar.campaigns()[0].clone();
    let assets = Assets::with_campaign(shown.clone()).unwrap();
    let limits = Limits { cards_per_minute: 100, cards_per_day: 1000, commands_per_minute: 100, ..Limits::default() };
    let bot = Bot::new(store, assets.clone(), ruban_core::Config { campaign: shown, secret: SECRET.to_vec(), limits })
        .await
        .unwrap()
        .with_calendar(calendar)
        .await
        .unwrap();
    Some(Fixture { bot, assets, keys: Pseudonymizer::new(SECRET), _dir: dir, schema, clock })
}

impl Fixture {
    async fn say(&self, who: &str, locale: &str, text: &str) -> Reply {
        self.bot.handle(incoming(who, locale, text)).await
    }

    async fn stored_campaigns(&self, who: &str) -> Vec<i32> {
        let key = self.keys.person("telegram", who);
        let mut out = Vec::new();
        for year in [2026, 2027] {
            if self.bot.store().pledge_of(year, &key).await.unwrap().is_some() {
                out.push(year);
            }
        }
        out
    }

    /// The badge the bot must have drawn: pledge `number`, today's date, `edition`'s hashtag.
    fn badge(&self, number: u64, day: Date, edition: &Campaign, l: Locale) -> Vec<u8> {
        let spec = BadgeSpec { name: None, number, date: day, locale: l, size: BadgeSize::Large };
        let png = card_renderer::encode::png(&card_renderer::render_badge_in(&self.assets, &spec, Some(edition)));
        pixels(&png.unwrap())
    }

    /// Every card the bot may draw for `to` with no message typed: one per suggestion.
    fn cards(&self, to: &str, edition: Option<&Campaign>, l: Locale) -> Vec<(String, Vec<u8>)> {
        let texts = ruban_core::Texts::embedded().unwrap();
        texts
            .design_suggestions(l, Design::Encourager)
            .into_iter()
            .map(|s| {
                let spec = CardSpec {
                    to: Name::parse(to).unwrap(),
                    from: Name::parse("Test").ok(),
                    message: Some(Message::parse(&s).unwrap()),
                    design: Design::Encourager,
                    locale: l,
                };
                let png = card_renderer::encode::png(&card_renderer::render_card_in(&self.assets, &spec, edition));
                (s, pixels(&png.unwrap()))
            })
            .collect()
    }

    async fn cleanup(self) {
        self.bot.store().close().await;
        if let Some(schema) = &self.schema {
            schema.drop_schema().await;
        }
    }
}

fn text(r: &Reply) -> String {
    r.messages.iter().map(|m| m.text.as_str()).collect::<Vec<_>>().join("\n")
}

async fn walk_the_calendar(pg: bool) {
    let folder = folder_with_2027();
    let calendar = Calendar::load(folder.path()).unwrap();
    let (c2026, c2027) = (calendar.get(2026).unwrap().clone(), calendar.get(2027).unwrap().clone());
    let Some(f) = fixture(pg, calendar).await else { return };

    // Before the 2026 week: the pledge joins 2026, and says when the wave opens.
    f.clock.set_day(Some(date!(2026 - 02 - 10)));
    let r = f.say("before", "fr", "/ruban").await;
    assert_eq!(f.stored_campaigns("before").await, vec![2026]);
    assert!(text(&r).contains("La vague verte 2026 commence le lundi 16 février 2026"), "{}", text(&r));
    assert_eq!(first_image(&r), f.badge(1, date!(2026 - 02 - 10), &c2026, Locale::FrCa));

    // During: 2026, no early note; /aide says the week is on.
    f.clock.set_day(Some(date!(2026 - 02 - 19)));
    let r = f.say("during", "en", "/ribbon").await;
    assert_eq!(f.stored_campaigns("during").await, vec![2026]);
    assert!(!text(&r).contains("starts on"), "{}", text(&r));
    assert_eq!(first_image(&r), f.badge(2, date!(2026 - 02 - 19), &c2026, Locale::EnCa));
    let help = text(&f.say("during", "fr", "/aide").await);
    assert!(help.contains("Journées de la persévérance scolaire 2026, jusqu’au vendredi 20 février 2026"), "{help}");

    // Between, 2027 announced: the pledge joins 2027 (number 1 of its wave), the badge and
    // the card carry #JPS2027, never 2026.
    f.clock.set_day(Some(date!(2026 - 12 - 03)));
    let r = f.say("between", "fr", "/ruban").await;
    assert_eq!(f.stored_campaigns("between").await, vec![2027]);
    assert!(text(&r).contains("nº 1 de la vague verte"), "{}", text(&r));
    assert!(text(&r).contains("La vague verte 2027 commence le lundi 15 février 2027"), "{}", text(&r));
    assert_eq!(first_image(&r), f.badge(1, date!(2026 - 12 - 03), &c2027, Locale::FrCa));
    assert_ne!(first_image(&r), f.badge(1, date!(2026 - 12 - 03), &c2026, Locale::FrCa));
    let card = first_image(&f.say("between", "fr", "/carte Léa").await);
    assert!(f.cards("Léa", Some(&c2027), Locale::FrCa).iter().any(|(_, px)| *px == card), "a 2027 card");
    assert!(!f.cards("Léa", Some(&c2026), Locale::FrCa).iter().any(|(_, px)| *px == card), "no 2026 card");
    let help = text(&f.say("between", "fr", "/aide").await);
    assert!(
        help.contains(
            "Prochaine édition\u{a0}: les Journées de la persévérance scolaire 2027, du lundi 15 février 2027"
        ),
        "{help}"
    );
    assert_eq!(f.bot.campaign().year, 2027, "the wall shows the next wave");

    // The purge (2026 is past retention) erases 2026's links and spares 2027's rows.
    let purged = f.bot.store().purge(f.clock.today()).await.unwrap();
    assert_eq!(purged, vec![2026]);
    assert_eq!(f.stored_campaigns("between").await, vec![2027]);
    assert_eq!(f.stored_campaigns("during").await, Vec::<i32>::new());
    assert_eq!(f.bot.store().count(2026).await.unwrap(), 2, "anonymous totals stay");
    // The person whose 2026 pledge was unlinked pledges into 2027, once: not twice in 2026.
    f.say("during", "fr", "/ruban").await;
    assert_eq!(f.stored_campaigns("during").await, vec![2027]);
    assert_eq!(f.bot.store().count(2026).await.unwrap(), 2);

    // After every campaign: the kind refusal, nothing stored, a year-less card.
    f.clock.set_day(Some(date!(2027 - 03 - 01)));
    let before = f.bot.store().count(2027).await.unwrap();
    let r = f.say("after", "fr", "/ruban").await;
    assert!(
        text(&r).contains("La prochaine édition des Journées de la persévérance scolaire n’est pas encore annoncée"),
        "{}",
        text(&r)
    );
    assert!(r.messages.iter().all(|m| m.images.is_empty()));
    assert_eq!(f.bot.store().count(2027).await.unwrap(), before);
    assert_eq!(f.stored_campaigns("after").await, Vec::<i32>::new());
    let r = f.say("after", "en", "/ribbon").await;
    assert!(text(&r).contains("has not been announced yet"), "{}", text(&r));
    let card = first_image(&f.say("after", "en", "/card Léa").await);
    assert!(f.cards("Léa", None, Locale::EnCa).iter().any(|(_, px)| *px == card), "a card with no year");
    let help = text(&f.say("after", "en", "/help").await);
    assert!(
        help.contains("The next edition of the Journées de la persévérance scolaire has not been announced yet"),
        "{help}"
    );
    f.cleanup().await;
}

async fn between_with_no_next_file(pg: bool) {
    // Only the bundled 2026 file, on the date of the bug report.
    let Some(f) = fixture(pg, Calendar::embedded()).await else { return };
    f.clock.set_day(Some(date!(2026 - 12 - 01)));
    let r = f.say("late", "fr", "/ruban").await;
    assert!(text(&r).contains("n’est pas encore annoncée"), "{}", text(&r));
    assert_eq!(f.stored_campaigns("late").await, Vec::<i32>::new());
    assert_eq!(f.bot.store().count(2026).await.unwrap(), 0, "no pledge enters 2026 past its retention");
    // A class has its own sentence for the adult (issue 35), not the ribbon's for a child.
    let r = f.say("prof", "fr", "/classe « 5e B »").await;
    assert!(text(&r).contains("votre classe pourra s’engager ensemble"), "{}", text(&r));
    let card = first_image(&f.say("late", "fr", "/carte Léa").await);
    assert!(f.cards("Léa", None, Locale::FrCa).iter().any(|(_, px)| *px == card), "no #JPS2026 on the card");
    f.cleanup().await;
}

async fn thirty_cards_for_lea(pg: bool) {
    let Some(f) = fixture(pg, Calendar::embedded()).await else { return };
    f.clock.set_day(Some(date!(2026 - 02 - 17)));
    let c2026 = Campaign::embedded();
    let candidates = f.cards("Léa", Some(&c2026), Locale::FrCa);
    let mut seen = std::collections::BTreeSet::new();
    for pupil in 0..30 {
        let card = first_image(&f.say(&format!("pupil-{pupil}"), "fr", "/carte Léa").await);
        let (suggestion, _) = candidates.iter().find(|(_, px)| *px == card).expect("one of the design's suggestions");
        seen.insert(suggestion.clone());
    }
    assert!(seen.len() > 1, "30 cards for Léa all said {seen:?}");
    f.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clock_walks_before_during_between_and_after_campaigns_on_both_backends() {
    for pg in [false, true] {
        walk_the_calendar(pg).await;
        between_with_no_next_file(pg).await;
        thirty_cards_for_lea(pg).await;
    }
}

/// An empty configuration file: these runs take nothing from a `ruban.toml` in the working
/// folder (and a file named with `--config` must exist).
static EMPTY_CONFIG: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let path = std::env::temp_dir().join(format!("ruban-empty-{}.toml", std::process::id()));
    std::fs::write(&path, "").unwrap();
    path.to_str().unwrap().to_owned()
});

fn check_config(folder: &Path, today: Option<&str>) -> Output {
    let mut env = vec![("RUBAN_CAMPAIGN_FILE", folder.to_str().unwrap()), ("RUBAN_SECRET", "0123456789abcdef0123")];
    if let Some(t) = today {
        env.push(("RUBAN_TODAY", t));
    }
    ruban(&["--config", &EMPTY_CONFIG, "check-config"], &env)
}

#[test]
fn campaign_new_writes_a_file_check_config_reads_and_the_server_date_picks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("2026.toml"), include_str!("../../../assets/campaign/2026.toml")).unwrap();
    let d = dir.path().to_str().unwrap();
    let new = |extra: &[&str]| {
        let mut args = vec![
            "campaign",
            "new",
            "2027",
            "--theme-fr",
            "Chaque essai compte.",
            "--theme-en",
            "Every try counts.",
            "--dir",
            d,
        ];
        args.extend_from_slice(extra);
        ruban(&args, &[])
    };
    // Never guessed: --start is required; a Tuesday start needs --end.
    let out = new(&[]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--start"));
    let out = new(&["--start", "2027-02-16"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("--end") && err.contains("Tuesday"), "{err}");
    // Overlapping 2026's week is refused, naming the file.
    let out = ruban(
        &["campaign", "new", "2025", "--start", "2026-02-16", "--theme-fr", "a", "--theme-en", "b", "--dir", d],
        &[],
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("2025.toml") && err.contains("start"), "{err}");
    assert!(!dir.path().join("2025.toml").exists());
    // A Monday: the documented defaults.
    let out = new(&["--start", "2027-02-15"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = Campaign::load(&dir.path().join("2027.toml")).unwrap();
    assert_eq!(
        (written.start, written.end, written.persevert_day, written.retention_until, written.hashtag.as_str()),
        (date!(2027 - 02 - 15), date!(2027 - 02 - 19), date!(2027 - 02 - 18), date!(2027 - 08 - 31), "#JPS2027")
    );
    assert_eq!(written.theme(Locale::FrCa), "Chaque essai compte.");
    // Not twice.
    let out = new(&["--start", "2027-02-15"]);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("already exists"));
    // check-config reads both, and says where the fixed date falls.
    let out = check_config(dir.path(), Some("2026-12-03"));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(said.contains("campaign 2027: 2027-02-15..2027-02-19"), "{said}");
    assert!(said.contains("today 2026-12-03 (RUBAN_TODAY): between campaigns; pledges join 2027"), "{said}");
    let said = String::from_utf8_lossy(&check_config(dir.path(), Some("2026-02-19")).stdout).into_owned();
    assert!(said.contains("campaign 2026 in progress"), "{said}");
}

#[test]
fn check_config_refuses_bad_campaign_files_naming_the_file_and_the_field() {
    let good = FILE_2027;
    let cases: [(&str, String, &str); 6] = [
        ("persevert_day", good.replace("2027-02-18", "2027-02-17"), "not a Thursday"),
        (
            "persevert_day",
            good.replace("persevert_day = \"2027-02-18\"", "persevert_day = \"2027-02-25\""),
            "outside the week",
        ),
        ("end", good.replace("end = \"2027-02-19\"", "end = \"2027-02-12\""), "before start"),
        ("retention_until", good.replace("2027-08-31", "2027-02-19"), "not after the end"),
        // Overlapping the 2026 file's week.
        ("start", good.replace("year = 2027", "year = 2026").replace("2027-02-15", "2026-02-20"), "start"),
        ("start", good.replace("start = \"2027-02-15\"", "start = \"next monday\""), "start"),
    ];
    for (field, text, why) in cases {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("2026.toml"), include_str!("../../../assets/campaign/2026.toml")).unwrap();
        std::fs::write(dir.path().join("2027.toml"), &text).unwrap();
        let out = check_config(dir.path(), None);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "accepted a bad {field}:\n{text}");
        assert!(err.contains("2027.toml") && err.contains(field) && err.contains(why), "{field}: {err}");
    }
    // A bad RUBAN_TODAY is refused, named.
    let dir = folder_with_2027();
    let out = check_config(dir.path(), Some("2026-02-30"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("RUBAN_TODAY") && err.contains("2026-02-30"), "{err}");
    // An empty folder is refused, named.
    let empty = tempfile::tempdir().unwrap();
    let err = String::from_utf8_lossy(&check_config(empty.path(), None).stderr).into_owned();
    assert!(err.contains("no campaign file"), "{err}");
}

#[test]
fn ruban_render_carries_the_campaign_the_date_picks() {
    let folder = folder_with_2027();
    let out = tempfile::tempdir().unwrap();
    let assets = Assets::embedded().unwrap();
    let spec = CardSpec {
        to: Name::parse("Léa").unwrap(),
        from: None,
        message: Some(Message::parse("Bravo!").unwrap()),
        design: Design::Oser,
        locale: Locale::FrCa,
    };
    let calendar = Calendar::load(folder.path()).unwrap();
    let expected = |edition: Option<&Campaign>| {
        pixels(&card_renderer::encode::png(&card_renderer::render_card_in(&assets, &spec, edition)).unwrap())
    };
    for (today, folder_env, edition) in [
        ("2026-02-19", folder.path().to_str().unwrap(), calendar.get(2026)),
        ("2026-12-03", folder.path().to_str().unwrap(), calendar.get(2027)),
        // The bundled files only: no year on a card drawn in December.
        ("2026-12-03", "", None),
    ] {
        let path = out.path().join("carte.png");
        let p = path.to_str().unwrap();
        let run = ruban(
            &[
                "--config",
                &EMPTY_CONFIG,
                "render",
                "card",
                "--to",
                "Léa",
                "--design",
                "oser",
                "--message",
                "Bravo!",
                "--out",
                p,
            ],
            &[("RUBAN_TODAY", today), ("RUBAN_CAMPAIGN_FILE", folder_env)],
        );
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        assert_eq!(pixels(&std::fs::read(&path).unwrap()), expected(edition), "{today} {folder_env:?}");
    }
}
