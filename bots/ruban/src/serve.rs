//! `ruban serve` (and plain `ruban`): the store, the bot, the web playground; says where to
//! click.

use std::sync::Arc;

use anyhow::{Context, Result};
use clap::Args;
use ruban_core::{Bot, Limits};
use ruban_store::Store;

use crate::config::Config;

/// `ruban serve`.
#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080; env RUBAN_BIND).
    #[arg(long)]
    bind: Option<String>,
    /// Database URL (default sqlite://ruban.db; env DATABASE_URL).
    #[arg(long)]
    database: Option<String>,
}

/// Runs the server until Ctrl-C or SIGTERM.
pub async fn serve(args: ServeArgs, mut config: Config) -> Result<()> {
    if let Some(b) = args.bind {
        config.bind = b;
    }
    if let Some(d) = args.database {
        config.database_url = d;
    }
    let campaign = config.campaign()?;
    let store = Store::open(&config.database_url)
        .await
        .with_context(|| format!("cannot open the database {}", crate::data::redact(&config.database_url)))?;
    if let Some(regions) = config.regions()? {
        store.load_regions(&regions).await?;
    }
    let assets = card_renderer::Assets::with_campaign(campaign.clone())?;
    let bot = Arc::new(
        Bot::new(
            store.clone(),
            assets,
            ruban_core::Config { campaign, secret: config.secret()?, limits: Limits::default() },
        )
        .await?,
    );
    // Retention: purge once at start, then daily.
    let purger = store.clone();
    tokio::spawn(async move {
        loop {
            match purger.purge(ruban_store::export::today()).await {
                Ok(years) if !years.is_empty() => {
                    tracing::info!(?years, "personal data past retention erased")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "daily purge failed"),
            }
            if let Err(e) = purger.forget_deliveries(48 * 3600 * 1000).await {
                tracing::warn!(error = %e, "forgetting old deliveries failed");
            }
            tokio::time::sleep(std::time::Duration::from_secs(24 * 3600)).await;
        }
    });
    let listener = tokio::net::TcpListener::bind(&config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    let addr = listener.local_addr()?;
    let join_url = config.join_url.clone().unwrap_or_else(|| format!("http://{addr}/"));
    let telegram_core = bot.clone();
    let discord_core = bot.clone();
    let state = ruban_web::AppState::with_join_url(bot, config.organizer_token.clone(), join_url);
    let mut app = ruban_web::app(state);
    let mut telegram = None;
    let telegram_status;
    match &config.telegram_token {
        Some(token) => {
            let webhook_secret = match (&config.telegram_webhook_secret, &config.telegram_webhook_url) {
                (Some(s), _) => Some(s.clone()),
                (None, Some(_)) => Some(ruban_store::Pseudonymizer::new(config.secret()?).tag("telegram-webhook", "")),
                (None, None) => None,
            };
            let settings = ruban_telegram::Settings {
                token: token.clone(),
                api_url: config.telegram_api_url.clone(),
                webhook_url: config.telegram_webhook_url.clone(),
                webhook_secret,
                public_url: config.public_url.clone(),
                pace: ruban_telegram::PaceLimits::default(),
            };
            let mut running = ruban_telegram::start(settings, telegram_core)
                .await
                .context("the Telegram bot could not start (check TELEGRAM_TOKEN and TELEGRAM_API_URL)")?;
            if let Some(router) = running.router.take() {
                app = app.merge(router);
            }
            let mode = if config.telegram_webhook_url.is_some() { "webhook" } else { "long polling" };
            let inline =
                if config.public_url.is_some() { "inline cards on" } else { "inline cards off: set RUBAN_PUBLIC_URL" };
            telegram_status = format!("on ({mode}; {inline})");
            telegram = Some(running);
        }
        None => telegram_status = "off (set TELEGRAM_TOKEN to start it)".to_owned(),
    }
    println!("Ruban is running.");
    println!("  playground: http://{addr}/");
    println!("  wall:       http://{addr}/mur  (filters: ?region=06&school=…&class=…)");
    println!("  database:   {} ({})", crate::data::redact(&config.database_url), store.db().backend());
    println!("  Telegram:   {telegram_status}");
    let discord = match config.discord()? {
        Some(settings) => {
            let shards = settings.shards.clone();
            let running =
                ruban_discord::start(settings, discord_core).await.context("the Discord bot could not start")?;
            println!("  Discord:    on (shards {}..{} of {})", shards.range.start, shards.range.end, shards.total);
            Some(running)
        }
        None => {
            println!("  Discord:    off (set DISCORD_TOKEN to start it)");
            None
        }
    };
    axum::serve(listener, app).with_graceful_shutdown(shutdown()).await?;
    if let Some(running) = telegram {
        running.shutdown().await;
    }
    if let Some(running) = discord {
        running.shutdown().await;
    }
    store.close().await;
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
