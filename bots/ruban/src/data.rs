//! `ruban export`, `ruban purge` and `ruban migrate`: the organizer's and operator's commands
//! over the store.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use ruban_store::export::{write_pledges, write_totals};
use ruban_store::{ExportFormat, GroupBy, Store};

use crate::config::Config;

/// Where the store is, if the command line says (else the configuration's `database_url`,
/// which `DATABASE_URL` sets).
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// The database: sqlite://FILE or postgres://… (default: the configuration's, else
    /// sqlite://ruban.db)
    #[arg(long = "database")]
    pub url: Option<String>,
}

impl DatabaseArgs {
    /// The database URL: the flag, else the configuration's.
    fn url<'a>(&'a self, config: &'a Config) -> &'a str {
        self.url.as_deref().unwrap_or(&config.database_url)
    }
}

/// `ruban export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// csv, json or xlsx (the organizers' workbook, in French).
    #[arg(long, default_value = "csv")]
    format: String,
    /// Group totals by day, region, organization, platform or chat.
    #[arg(long, default_value = "day")]
    by: String,
    /// The campaign's year (default: the bundled campaign).
    #[arg(long)]
    campaign: Option<i32>,
    /// Export the pledge rows an organizer may see instead of totals.
    #[arg(long)]
    pledges: bool,
    /// Start the CSV with a byte-order mark, for Excel.
    #[arg(long)]
    excel: bool,
    /// Separate the CSV's cells with `;`, for Excel in French (Canada).
    #[arg(long)]
    semicolon: bool,
    /// Write to this file instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    db: DatabaseArgs,
}

/// `ruban report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The campaign's year (default: the one in progress, else the last, else the next).
    #[arg(long)]
    campaign: Option<i32>,
    /// fr or en.
    #[arg(long, default_value = "fr")]
    lang: String,
    /// A region's code (`06`, `NUN`) for its own figures; default: the whole campaign.
    #[arg(long)]
    region: Option<String>,
    /// The PDF to write (default: standard output, when it is not a terminal).
    #[arg(long)]
    out: Option<PathBuf>,
    #[command(flatten)]
    db: DatabaseArgs,
}

/// `ruban purge`.
#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Purge as if today were this day (YYYY-MM-DD); default: today in Montreal.
    #[arg(long)]
    today: Option<String>,
    #[command(flatten)]
    db: DatabaseArgs,
}

/// How long a database may take to answer before a command says why it cannot.
const CONNECT_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// Opens the store the configuration (or `--database`) names, with the campaigns of the
/// configuration's calendar, as `serve` does: an operator's campaign file is never replaced by
/// the bundled one.
async fn open(db: &DatabaseArgs, config: &Config) -> Result<Store> {
    let url = db.url(config);
    let store = Store::open_within(url, CONNECT_WAIT, config.clock.clone())
        .await
        .with_context(|| format!("cannot open the database {}", crate::redact::redact(url)))?;
    for campaign in config.calendar()?.campaigns() {
        store.load_campaign(campaign).await?;
    }
    if let Some(regions) = config.regions()? {
        store.load_regions(&regions).await?;
    }
    Ok(store)
}

/// `check-config`'s last line: the database answers (and is migrated), or why it does not,
/// within [`CONNECT_WAIT`].
pub async fn check_database(config: &Config) -> Result<()> {
    let url = &config.database_url;
    let store = Store::open_within(url, CONNECT_WAIT, config.clock.clone())
        .await
        .with_context(|| format!("cannot open the database {}", crate::redact::redact(url)))?;
    println!("database: {} {} answers and is up to date", store.db().backend(), crate::redact::redact(url));
    store.close().await;
    Ok(())
}

/// Runs `ruban export`.
pub async fn export(a: ExportArgs, config: &Config) -> Result<()> {
    let format = match a.format.as_str() {
        "csv" => Some(ExportFormat::Csv { excel: a.excel, semicolon: a.semicolon }),
        "json" => Some(ExportFormat::Json),
        // The organizers' workbook, the same as the dashboard's, in French.
        "xlsx" => None,
        other => anyhow::bail!("--format {other:?}: use csv, json or xlsx"),
    };
    let by: GroupBy = a.by.parse().context("--by")?;
    // A workbook is bytes a terminal would show as noise (and may act on): a file, or a pipe.
    if format.is_none() && a.out.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        anyhow::bail!("--format xlsx writes a workbook: give --out FILE.xlsx (or redirect the output to a file)");
    }
    if let Some(out) = &a.out {
        let ext = out.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
        let expected = if format.is_none() { "xlsx" } else { a.format.as_str() };
        anyhow::ensure!(
            ext.is_empty() || ext == expected,
            "--out {}: the name says .{ext} but --format is {}",
            out.display(),
            a.format
        );
    }
    let store = open(&a.db, config).await?;
    let campaign = campaign_year(config, a.campaign)?;
    let mut buffer = Vec::new();
    match format {
        Some(format) if a.pledges => {
            write_pledges(&mut buffer, campaign, &store.pledge_rows(campaign).await?, format)?;
        }
        Some(format) => write_totals(&mut buffer, campaign, by, &store.totals(campaign, by).await?, format)?,
        None if a.pledges => {
            anyhow::bail!("--pledges: the workbook holds totals; use --format csv or json for pledge rows")
        }
        None => {
            let texts = ruban_core::Texts::embedded()?;
            let all = ruban_store::Scope::All;
            buffer = ruban_web::workbook::build(&store, &texts, ruban_vocabulary::Locale::FrCa, campaign, &all).await?;
        }
    }
    store.close().await;
    match a.out {
        Some(path) => std::fs::write(&path, &buffer).with_context(|| format!("cannot write {}", path.display())),
        None => std::io::stdout().write_all(&buffer).context("cannot write to standard output"),
    }
}

/// The year figures are asked of (`export`, `report`): the one named, else the campaign in
/// progress or the last one (between campaigns, the figures asked for are the last
/// campaign's), else the next.
fn campaign_year(config: &Config, asked: Option<i32>) -> Result<i32> {
    let calendar = config.calendar()?;
    let today = config.clock.today();
    let latest = calendar.campaigns().iter().filter(|c| c.start <= today).map(|c| c.year).max();
    Ok(asked
        .or(latest)
        .or_else(|| calendar.at(today).map(|c| c.year))
        .unwrap_or_else(|| ruban_vocabulary::Campaign::embedded().year))
}

/// The campaign of [`campaign_year`], which a report needs whole (its dates, its name).
fn campaign_asked(config: &Config, asked: Option<i32>) -> Result<ruban_vocabulary::Campaign> {
    let year = campaign_year(config, asked)?;
    match config.calendar()?.get(year) {
        Some(c) => Ok(c.clone()),
        None => anyhow::bail!("--campaign {year}: no such campaign in the calendar"),
    }
}

/// Runs `ruban report`: the campaign's one-page report as a PDF, as the dashboard makes it.
pub async fn report(a: ReportArgs, config: &Config) -> Result<()> {
    let l: ruban_vocabulary::Locale = a.lang.parse().context("--lang")?;
    if a.out.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        anyhow::bail!("ruban report writes a PDF: give --out FILE.pdf (or redirect the output to a file)");
    }
    if let Some(out) = &a.out {
        let ext = out.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
        anyhow::ensure!(ext == "pdf", "--out {}: a report is a PDF (name it .pdf)", out.display());
    }
    let campaign = campaign_asked(config, a.campaign)?;
    let store = open(&a.db, config).await?;
    let scope = match a.region {
        Some(code) => {
            anyhow::ensure!(store.regions().iter().any(|r| r.code == code), "--region {code:?}: no such region");
            ruban_store::Scope::Region(code)
        }
        None => ruban_store::Scope::All,
    };
    let texts = ruban_core::Texts::embedded()?;
    let spec = ruban_core::report::spec(&store, &texts, l, &campaign, &scope, config.clock.today()).await?;
    store.close().await;
    let assets = card_renderer::Assets::with_campaign(campaign)?;
    let pdf = ruban_core::report::pdf(&assets, &spec)?;
    match a.out {
        Some(path) => std::fs::write(&path, &pdf).with_context(|| format!("cannot write {}", path.display())),
        None => std::io::stdout().write_all(&pdf).context("cannot write to standard output"),
    }
}

/// Runs `ruban purge`.
pub async fn purge(a: PurgeArgs, config: &Config) -> Result<()> {
    let today = match &a.today {
        Some(d) => time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
            .with_context(|| format!("--today {d:?} is not YYYY-MM-DD"))?,
        None => config.clock.today(),
    };
    let store = open(&a.db, config).await?;
    let purged = store.purge(today).await?;
    let swept = store.sweep_web_state().await?;
    if swept > 0 {
        eprintln!("{swept} expired web sessions, images and unposted wall messages deleted");
    }
    store.close().await;
    if purged.is_empty() {
        eprintln!("no campaign is past its retention date");
    } else {
        eprintln!("personal data of campaign(s) {purged:?} erased; anonymous totals kept");
    }
    Ok(())
}

/// Runs `ruban migrate`.
pub async fn migrate(db: DatabaseArgs, config: &Config) -> Result<()> {
    let store = open(&db, config).await?;
    eprintln!("{} database {} is up to date", store.db().backend(), crate::redact::redact(db.url(config)));
    store.close().await;
    Ok(())
}

/// `ruban organizer add`.
#[derive(Debug, Args)]
#[group(required = true, multiple = false, id = "scope")]
pub struct OrganizerAddArgs {
    /// The token sees one region (its code in assets/regions.toml, e.g. 06 or NUN).
    #[arg(long, group = "scope")]
    region: Option<String>,
    /// The token sees one organization (school, organism), exactly as pledged.
    #[arg(long, group = "scope")]
    organization: Option<String>,
    /// The token sees the whole campaign.
    #[arg(long, group = "scope")]
    all: bool,
    /// A note to remember who has it.
    #[arg(long)]
    label: Option<String>,
    #[command(flatten)]
    db: DatabaseArgs,
}

/// Runs `ruban organizer add`: prints the new token once (only its hash is stored).
pub async fn organizer_add(a: OrganizerAddArgs, config: &Config) -> Result<()> {
    // The same validation as every other door, before the store sees anything.
    if let Some(r) = &a.region {
        ruban_core::validate::region_code(r).with_context(|| format!("--region {r:?}"))?;
    }
    if let Some(o) = &a.organization {
        ruban_core::validate::organization(o).with_context(|| format!("--organization {:?}", o.escape_debug()))?;
    }
    if let Some(l) = &a.label {
        ruban_core::validate::text("label", l, ruban_core::validate::MAX_FILTER_BYTES, false)
            .with_context(|| format!("--label {:?}", l.escape_debug()))?;
    }
    let scope = match (a.region, a.organization, a.all) {
        (Some(r), _, _) => ruban_store::Scope::Region(r),
        (_, Some(o), _) => ruban_store::Scope::Organization(o),
        _ => ruban_store::Scope::All,
    };
    let store = open(&a.db, config).await?;
    let token = store.add_organizer_token(&scope, a.label.as_deref()).await.context("--region")?;
    store.close().await;
    println!("{token}");
    eprintln!("organizer token created for {scope:?}; it is shown only now: keep it safe");
    Ok(())
}
