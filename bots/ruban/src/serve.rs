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
    config.validate()?;
    if let Some(b) = args.bind {
        config.bind = b;
    }
    if let Some(d) = args.database {
        config.database_url = d;
    }
    let calendar = config.calendar()?;
    let clock = config.clock.clone();
    // Renders that name no campaign draw today's (or the next, else the last): the bot itself
    // asks the calendar each time.
    let campaign = calendar.season(clock.today()).shown().clone();
    let store = Store::open_within(&config.database_url, std::time::Duration::from_secs(5), config.clock.clone())
        .await
        .with_context(|| format!("cannot open the database {}", crate::redact::redact(&config.database_url)))?;
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
        .await?
        .with_calendar(calendar.clone())
        .await?,
    );
    // Retention: purge once at start, then daily.
    let purger = store.clone();
    let purge_clock = clock.clone();
    tokio::spawn(async move {
        loop {
            match purger.purge(purge_clock.today()).await {
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
    // What the web pages keep (sessions, images, pending wall posts) lives a day at most: swept
    // every hour, by whichever processes run.
    let sweeper = store.clone();
    tokio::spawn(async move {
        loop {
            if let Err(e) = sweeper.sweep_web_state().await {
                tracing::warn!(error = %e, "sweeping expired web state failed");
            }
            tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
        }
    });
    let listener = tokio::net::TcpListener::bind(&config.bind)
        .await
        .with_context(|| format!("cannot listen on {}", config.bind))?;
    let addr = listener.local_addr()?;
    let playground = config.playground_open()?;
    // The wall's QR codes lead where a visitor may go: the configured links, else the
    // playground when it is open, else nowhere.
    let join_url = config.join_url.clone().or_else(|| playground.then(|| format!("http://{addr}/")));
    // Class links are made from the public address, or this one when it is a loopback address
    // (trying Ruban on one's own machine).
    match (&config.public_url, playground) {
        (Some(url), _) => bot.set_public_url(url),
        (None, true) if addr.ip().is_loopback() => bot.set_public_url(&format!("http://{addr}")),
        (None, _) => tracing::warn!("RUBAN_PUBLIC_URL is not set: class messages carry no class link"),
    }
    let telegram_core = bot.clone();
    let discord_core = bot.clone();
    let state = ruban_web::AppState::with_options(
        bot,
        ruban_web::WebOptions {
            organizer_token: config.organizer_token.clone(),
            join_url,
            playground,
            ..ruban_web::WebOptions::default()
        },
    );
    let web_state = state.clone();
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
                organizers: config.telegram_organizers()?,
                webhook_queue: None,
                inbox_lease: None,
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
    let (discord, discord_status) = match config.discord()? {
        Some(settings) => {
            let shards = settings.shards.clone();
            let running =
                ruban_discord::start(settings, discord_core).await.context("the Discord bot could not start")?;
            (Some(running), format!("on (shards {}-{} of {})", shards.range.start, shards.range.end - 1, shards.total))
        }
        None => (None, "off (set DISCORD_TOKEN to start it)".to_owned()),
    };
    let mut ops = ruban_web::ops::Ops { probes: Vec::new(), notes: Vec::new(), metrics: Some(metrics_renderer()) };
    let (seasons, season_clock) = (calendar.clone(), clock.clone());
    ops.notes.push(("campaign", Arc::new(move || crate::calendar::season_sentence(&seasons, season_clock.today()))));
    let pinged = store.clone();
    ops.probes.push((
        "store",
        ruban_web::ops::probe(move || {
            let store = pinged.clone();
            async move { store.ping().await.map_err(|e| e.to_string()) }
        }),
    ));
    if let Some(t) = &telegram {
        ops.probes.push(("telegram", Arc::new(t.probe())));
    }
    if let Some(d) = &discord {
        ops.probes.push(("discord", Arc::new(d.probe())));
    }
    app = app.merge(ruban_web::ops::router(ops));
    println!("Ruban is running.");
    if playground {
        println!("  playground: http://{addr}/");
        println!("              {}", config.playground_summary());
    } else {
        println!("  web:        http://{addr}/");
        println!("  playground: {}", config.playground_summary());
    }
    println!("  wall:       http://{addr}/mur  (filters: ?region=06&school=…&class=…)");
    println!("  health:     http://{addr}/healthz, /readyz, /metrics");
    println!("  database:   {} ({})", crate::redact::redact(&config.database_url), store.db().backend());
    println!("  Telegram:   {telegram_status}");
    println!("  Discord:    {discord_status}");
    let season = crate::calendar::season_sentence(&calendar, clock.today());
    println!("  campaign:   {season}");
    if matches!(calendar.season(clock.today()), ruban_vocabulary::campaign::Season::Unannounced { .. }) {
        tracing::warn!("no next campaign file: pledges are refused until one is added (ruban campaign new)");
    }
    // SIGTERM: stop taking requests, end the walls' event streams, finish what is in flight,
    // stop the bots, flush the store; whatever is still running 9 s after the signal is
    // abandoned so the process exits within 10 s (a pledge not yet acknowledged is not lost
    // for good: the platform delivers it again and the store claims it once).
    let (signalled, signal) = tokio::sync::oneshot::channel::<tokio::time::Instant>();
    // The peer's address reaches the handlers (organizer tokens are limited per client);
    // header, request and connection limits hold every door (ruban_web::server).
    let limits = ruban_web::ServerLimits { trusted_proxies: config.trusted_proxies()?, ..Default::default() };
    let server = ruban_web::serve(listener, app, limits, async move {
        shutdown().await;
        tracing::info!("shutting down");
        web_state.begin_shutdown();
        let _ = signalled.send(tokio::time::Instant::now());
    });
    let mut server = std::pin::pin!(server);
    let deadline = tokio::select! {
        done = &mut server => {
            done?;
            tokio::time::Instant::now() + STOP_BUDGET
        }
        Ok(at) = signal => {
            let deadline = at + STOP_BUDGET;
            if tokio::time::timeout_at(deadline, &mut server).await.is_err() {
                tracing::warn!("requests still open at the shutdown deadline were dropped");
            }
            deadline
        }
    };
    if let Some(running) = telegram
        && tokio::time::timeout_at(deadline, running.shutdown()).await.is_err()
    {
        tracing::warn!("Telegram updates still in flight at the shutdown deadline");
    }
    if let Some(running) = discord
        && tokio::time::timeout_at(deadline, running.shutdown()).await.is_err()
    {
        tracing::warn!("Discord interactions still in flight at the shutdown deadline");
    }
    // The store's writer commits what it has; closing waits for the pools.
    let _ = tokio::time::timeout_at(deadline + std::time::Duration::from_millis(500), store.close()).await;
    Ok(())
}

/// How long after SIGTERM the process may take to stop (systemd waits 15 s by default in the
/// deployment guide; the issue asks for 10).
const STOP_BUDGET: std::time::Duration = std::time::Duration::from_secs(9);

/// The Prometheus recorder, installed once per process; `/metrics` renders it.
fn metrics_renderer() -> Arc<dyn Fn() -> String + Send + Sync> {
    use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
    static HANDLE: std::sync::OnceLock<Option<PrometheusHandle>> = std::sync::OnceLock::new();
    let handle = HANDLE.get_or_init(|| {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("ruban_render_seconds".into()),
                &[0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5],
            )
            .ok()?;
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        metrics::set_global_recorder(recorder).ok()?;
        describe_metrics();
        Some(handle)
    });
    match handle.clone() {
        Some(h) => Arc::new(move || h.render()),
        None => Arc::new(|| String::from("# metrics are unavailable: another recorder is installed\n")),
    }
}

/// Help texts shown in `/metrics`.
fn describe_metrics() {
    metrics::describe_counter!("ruban_images_rendered_total", "Images drawn and encoded, by kind (card, badge, …).");
    metrics::describe_histogram!("ruban_render_seconds", metrics::Unit::Seconds, "Time to draw and encode one image.");
    metrics::describe_counter!("ruban_pledges_total", "New pledges committed by this process, by way (person, class).");
    metrics::describe_counter!(
        "ruban_platform_retries_total",
        "Platform calls retried after a 429 or a network error, by platform."
    );
    metrics::describe_counter!("ruban_platform_errors_total", "Platform calls that failed for good, by platform.");
    metrics::describe_counter!(
        "ruban_telegram_poll_conflicts_total",
        "Long polls Telegram ended because another process polls the same bot (409)."
    );
    metrics::describe_gauge!("ruban_event_streams_open", "Live wall event streams open now.");
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
