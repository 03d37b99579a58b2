//! The campaign calendar on the command line: `RUBAN_CAMPAIGN_FILE` (a file or a folder of
//! files; default: every file bundled from `assets/campaign/`), the fixed clock
//! (`RUBAN_TODAY=2026-02-19`), and `ruban campaign new`.
//!
//! ```text
//! $ ruban campaign new 2027 --start 2027-02-15 --theme-fr "…" --theme-en "…" --dir campagnes/
//! ruban: wrote campagnes/2027.toml: 2027-02-15..2027-02-19, Jeudi perséVERT 2027-02-18, retention until 2027-08-31
//! ```

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use ruban_vocabulary::campaign::{Calendar, Campaign, NewEdition, Season};
use time::Date;

use crate::config::Config;

use ruban_vocabulary::Clock;
use ruban_vocabulary::clock::parse_day;

// Kept apart from config.rs (which others edit): the calendar the configuration names.
impl Config {
    /// The calendar in force: `campaign_file` (`RUBAN_CAMPAIGN_FILE`, a file or a folder of
    /// `*.toml`), else the bundled files. Every file is checked; errors name file and field.
    pub fn calendar(&self) -> Result<Calendar> {
        match &self.campaign_file {
            Some(p) => Calendar::load(p).with_context(|| format!("RUBAN_CAMPAIGN_FILE {}", p.display())),
            None => Ok(Calendar::embedded()),
        }
    }
}

/// What `check-config` prints about the calendar: each campaign and where today falls.
pub fn describe(calendar: &Calendar, clock: &Clock) -> String {
    let today = clock.today();
    let mut out = String::new();
    for c in calendar.campaigns() {
        out.push_str(&format!(
            "campaign {}: {}..{}, persevert_day {}, retention_until {}\n",
            c.year, c.start, c.end, c.persevert_day, c.retention_until
        ));
    }
    let fixed = if clock.fixed_day().is_some() { format!(" ({})", Clock::TODAY_VAR) } else { String::new() };
    out.push_str(&format!("today {today}{fixed}: {}\n", season_sentence(calendar, today)));
    out
}

/// Where `today` falls in the calendar, for an operator: said at start-up, on `/readyz` and by
/// `check-config`, so a calendar with no next campaign (pledges refused) is never a surprise.
pub fn season_sentence(calendar: &Calendar, today: Date) -> String {
    match calendar.season(today) {
        Season::During(c) => format!("campaign {} in progress", c.year),
        Season::Before(c) => format!("between campaigns; pledges join {} (from {})", c.year, c.start),
        Season::Unannounced { last } => format!(
            "between campaigns; {} is over and no later campaign file exists: pledges are refused until one is \
             added (ruban campaign new)",
            last.year
        ),
    }
}

/// `ruban campaign …`.
#[derive(Debug, Subcommand)]
pub enum CampaignCommand {
    /// Write next edition's campaign file, checked with the others before it is written.
    ///
    /// Dates are never guessed: --start is required. The end defaults to the Friday when
    /// --start is a Monday (a Monday-to-Friday week), and must be given otherwise; Jeudi
    /// perséVERT defaults to the Thursday of the week; the retention date defaults to August
    /// 31 after the end (the end of that school year).
    ///
    /// Example: ruban campaign new 2027 --start 2027-02-15 --theme-fr "…" --theme-en "…"
    New(NewArgs),
}

/// `ruban campaign new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The edition's year.
    year: i32,
    /// First day of the week (YYYY-MM-DD).
    #[arg(long, value_parser = parse_day)]
    start: Date,
    /// Last day of the week (default: the Friday, when --start is a Monday).
    #[arg(long, value_parser = parse_day)]
    end: Option<Date>,
    /// Jeudi perséVERT (default: the Thursday of the week).
    #[arg(long, value_parser = parse_day)]
    persevert: Option<Date>,
    /// The day after which its personal data is erased (default: August 31 after the end).
    #[arg(long, value_parser = parse_day)]
    retention: Option<Date>,
    /// The theme in French.
    #[arg(long)]
    theme_fr: String,
    /// The theme in English.
    #[arg(long)]
    theme_en: String,
    /// The hashtag drawn on images (default: #JPS<year>).
    #[arg(long)]
    hashtag: Option<String>,
    /// The campaign folder (default: RUBAN_CAMPAIGN_FILE, when it names a folder).
    #[arg(long)]
    dir: Option<PathBuf>,
}

/// Runs `ruban campaign …`.
pub fn run(cmd: CampaignCommand, config: &Config) -> Result<()> {
    match cmd {
        CampaignCommand::New(a) => new(a, config),
    }
}

fn new(a: NewArgs, config: &Config) -> Result<()> {
    let dir = match a.dir {
        Some(d) => d,
        None => match config.campaign_file.clone() {
            Some(p) if p.is_dir() => p,
            Some(p) => bail!(
                "RUBAN_CAMPAIGN_FILE {} is a file, not a folder: give --dir, or point RUBAN_CAMPAIGN_FILE at a \
                 folder holding every campaign file",
                p.display()
            ),
            None => bail!("--dir is required: the campaign folder (or set RUBAN_CAMPAIGN_FILE to that folder)"),
        },
    };
    anyhow::ensure!(dir.is_dir(), "--dir {}: no such folder", dir.display());
    let campaign = Campaign::new_edition(NewEdition {
        year: a.year,
        start: a.start,
        end: a.end,
        persevert_day: a.persevert,
        retention_until: a.retention,
        theme_fr: a.theme_fr,
        theme_en: a.theme_en,
        hashtag: a.hashtag,
    })?;
    let path = dir.join(format!("{}.toml", a.year));
    anyhow::ensure!(!path.exists(), "{} already exists: edit it, or remove it first", path.display());
    // Checked with the folder's other files: no year twice, no weeks overlapping.
    let mut all = vec![(path.display().to_string(), campaign.clone())];
    let has_others = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?
        .filter_map(|e| e.ok())
        .any(|e| e.path().extension().is_some_and(|x| x == "toml"));
    if has_others {
        let others = Calendar::load(&dir)?;
        all.extend(
            others.campaigns().iter().map(|c| (dir.join(format!("{}.toml", c.year)).display().to_string(), c.clone())),
        );
    }
    Calendar::new(all)?;
    std::fs::write(&path, campaign.to_toml()).with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "wrote {}: {}..{}, Jeudi perséVERT {}, retention until {}",
        path.display(),
        campaign.start,
        campaign.end,
        campaign.persevert_day,
        campaign.retention_until
    );
    Ok(())
}
