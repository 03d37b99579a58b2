//! `ruban`: the binary. It owns the command line and the wiring; the libraries own the rest.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod data;
mod render;

/// Ruban: encouragement cards, ribbon pledges and the wall of support for Quebec's Journées de
/// la persévérance scolaire.
#[derive(Debug, Parser)]
#[command(name = "ruban", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Render one image to a file (card, badge, class-badge, certificate, avatar), or a whole
    /// class's certificates from a CSV.
    #[command(subcommand)]
    Render(render::RenderCommand),
    /// Pledge totals by day, region, organization, platform or chat (CSV or JSON), or with
    /// --pledges the pledge rows an organizer may see.
    ///
    /// Example: ruban export --format csv --by region --excel --out totaux.csv
    Export(data::ExportArgs),
    /// Erase the personal data of campaigns past their retention date (anonymous totals stay).
    Purge(data::PurgeArgs),
    /// Create or update the database schema.
    Migrate(data::DatabaseArgs),
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Render(cmd)) => render::run(cmd),
        Some(Command::Export(a)) => runtime().and_then(|rt| rt.block_on(data::export(a))),
        Some(Command::Purge(a)) => runtime().and_then(|rt| rt.block_on(data::purge(a))),
        Some(Command::Migrate(a)) => runtime().and_then(|rt| rt.block_on(data::migrate(a))),
        None => {
            // Until `ruban serve` exists, the plain command shows what this build can do.
            use clap::CommandFactory;
            Cli::command()
                .print_long_help()
                .map_err(anyhow::Error::from)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, the bad input first, as ripgrep does.
            eprintln!("ruban: {e:#}");
            ExitCode::from(2)
        }
    }
}
