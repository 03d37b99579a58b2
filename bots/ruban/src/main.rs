//! `ruban`: the binary. It owns the command line and the wiring; the libraries own the rest.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod calendar;
mod config;
mod data;
mod redact;
mod render;
mod serve;

/// Ruban: encouragement cards, ribbon pledges and the wall of support for Quebec's Journées de
/// la persévérance scolaire.
#[derive(Debug, Parser)]
#[command(name = "ruban", version)]
struct Cli {
    /// The configuration file (default: ruban.toml if it exists; a file named here must exist).
    /// Environment variables override it, and flags override both.
    #[arg(long, global = true)]
    config: Option<std::path::PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web playground (and the bots whose tokens are set); the default.
    Serve(serve::ServeArgs),
    /// Print the merged configuration, secrets masked, and check it.
    CheckConfig,
    /// Render one image to a file (card, badge, class-badge, certificate, avatar), or a whole
    /// class's certificates from a CSV.
    #[command(subcommand)]
    Render(render::RenderCommand),
    /// Pledge totals by day, region, organization, platform or chat (CSV or JSON), or with
    /// --pledges the pledge rows an organizer may see.
    ///
    /// Example: ruban export --format csv --by region --excel --out totaux.csv
    Export(data::ExportArgs),
    /// The campaign's one-page report (PDF, US Letter), as the dashboard makes it.
    ///
    /// Example: ruban report --out bilan-2026.pdf (--lang en, --region 06, --campaign 2026)
    Report(data::ReportArgs),
    /// Erase the personal data of campaigns past their retention date (anonymous totals stay).
    Purge(data::PurgeArgs),
    /// Create or update the database schema.
    Migrate(data::DatabaseArgs),
    /// Manage organizer tokens.
    #[command(subcommand)]
    Organizer(OrganizerCommand),
    /// Manage the campaign calendar (one file a year).
    #[command(subcommand)]
    Campaign(calendar::CampaignCommand),
}

#[derive(Debug, Subcommand)]
enum OrganizerCommand {
    /// Create a token for the whole campaign, a region or an organization (printed once).
    ///
    /// Example: ruban organizer add --region NUN --label "Kativik Ilisarniliriniq"
    Add(data::OrganizerAddArgs),
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

fn serve_with(args: serve::ServeArgs, config: config::Config) -> anyhow::Result<()> {
    telemetry();
    runtime()?.block_on(serve::serve(args, config))
}

/// Logs to stderr, `RUST_LOG` to filter (default: info for Ruban, warnings for the rest).
/// The filter is the log's own, not the subscriber's: the Discord adapter's watch on fatal
/// gateway closes ([`ruban_discord::gateway::layer`]) must see serenity's warnings whatever
/// `RUST_LOG` says.
fn telemetry() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::{Layer, fmt};
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("warn,ruban=info,ruban_core=info,ruban_web=info,ruban_store=info")
    });
    let log = fmt::layer().with_writer(std::io::stderr).with_filter(filter);
    let _ = tracing_subscriber::registry().with(log).with(ruban_discord::gateway::layer()).try_init();
}

/// Runs one subcommand with the configuration.
fn run(command: Option<Command>, config: config::Config) -> anyhow::Result<()> {
    match command {
        Some(Command::Campaign(cmd)) => calendar::run(cmd, &config),
        Some(Command::Render(cmd)) => {
            config.calendar().and_then(|cal| render::run(cmd, cal.at(config.clock.today()).cloned(), &config.clock))
        }
        Some(Command::Export(a)) => runtime()?.block_on(data::export(a, &config)),
        Some(Command::Report(a)) => runtime()?.block_on(data::report(a, &config)),
        Some(Command::Purge(a)) => runtime()?.block_on(data::purge(a, &config)),
        Some(Command::Migrate(a)) => runtime()?.block_on(data::migrate(a, &config)),
        Some(Command::Organizer(OrganizerCommand::Add(a))) => runtime()?.block_on(data::organizer_add(a, &config)),
        Some(Command::CheckConfig) => {
            config.validate()?;
            let calendar = config.calendar()?;
            config.regions()?;
            config.discord()?;
            for (name, url) in [
                ("TELEGRAM_API_URL", &config.telegram_api_url),
                ("TELEGRAM_WEBHOOK_URL", &config.telegram_webhook_url),
                ("RUBAN_PUBLIC_URL", &config.public_url),
                ("DISCORD_API_URL", &config.discord_api_url),
            ] {
                if let Some(u) = url {
                    url::Url::parse(u).map_err(|e| anyhow::anyhow!("{name} is not a valid URL ({e}): {u:?}"))?;
                }
            }
            println!("{}", redact::redact(&config.to_string()));
            print!("{}", calendar::describe(&calendar, &config.clock));
            // The database answers, or the reason it does not, within a few seconds.
            runtime()?.block_on(data::check_database(&config))
        }
        Some(Command::Serve(args)) => serve_with(args, config),
        None => serve_with(serve::ServeArgs::default(), config),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // One clock for the whole process: RUBAN_TODAY, checked before anything runs, then handed
    // down with the configuration to every subcommand (nothing else reads the system date).
    let clock = match ruban_vocabulary::Clock::from_env() {
        Ok(clock) => clock,
        Err(e) => {
            eprintln!("ruban: {e}");
            return ExitCode::from(2);
        }
    };
    // One configuration for every subcommand: the file, then the environment (flags are
    // applied by each subcommand, last). Loaded once, here.
    let result = config::Config::load(cli.config.as_deref()).and_then(|mut config| {
        config.clock = clock;
        run(cli.command, config)
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, the bad input first, as ripgrep does.
            // No URL's password in it, whichever library quoted the URL.
            eprintln!("ruban: {}", redact::redact(&format!("{e:#}")));
            ExitCode::from(2)
        }
    }
}
