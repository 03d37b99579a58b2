//! Configuration: defaults, then `ruban.toml` (optional), then environment variables
//! (`RUBAN_…`, `DATABASE_URL`), then command-line flags.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

/// The merged configuration.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the web server listens.
    pub bind: String,
    /// The database URL.
    pub database_url: String,
    /// The file holding the pseudonymisation secret (created on first start).
    pub secret_file: PathBuf,
    /// The secret itself (overrides the file), e.g. from `RUBAN_SECRET`.
    pub secret: Option<String>,
    /// A token that makes its bearer an organizer in the playground API.
    pub organizer_token: Option<String>,
    /// A campaign file, or a folder of them (default: every bundled file); see `calendar.rs`.
    pub campaign_file: Option<PathBuf>,
    /// A regions file organizers edited (default: the bundled `assets/regions.toml`).
    pub regions_file: Option<PathBuf>,
    /// Where the wall's QR codes lead, separated by spaces: the bot's Telegram deep link and
    /// Discord invite (default: this server's playground).
    pub join_url: Option<String>,
    /// The playground (a page that takes the identity it is told): `demo` opens it, `off`
    /// closes it; unset, it is open only when `bind` is a loopback address.
    pub playground: Option<String>,
    /// Reverse proxies whose `X-Forwarded-For` is believed, separated by commas (`10.0.0.5`,
    /// `10.1.0.0/16`); none: the header is ignored.
    pub trusted_proxies: Option<String>,
    /// This server's public base URL (`https://ruban.example.org`): inline cards are fetched
    /// there.
    pub public_url: Option<String>,
    /// The Telegram bot's token; Telegram is off without one.
    pub telegram_token: Option<String>,
    /// Another Bot API server (self-hosted, or a test's fake).
    pub telegram_api_url: Option<String>,
    /// Webhook mode: the public URL Telegram posts to (its path is served here).
    pub telegram_webhook_url: Option<String>,
    /// The webhook's secret header (default: derived from the server's secret).
    pub telegram_webhook_secret: Option<String>,
    /// Telegram user ids of the campaign's organizers, separated by commas (`/totaux` in their
    /// private chat with the bot).
    pub telegram_organizers: Option<String>,
    /// The Discord bot's token; Discord is off without one.
    pub discord_token: Option<String>,
    /// Another base URL for Discord's REST calls (a proxy shared by shards, or a test's fake).
    pub discord_api_url: Option<String>,
    /// The shards this process runs: `4`, or `0-3/8` for shards 0 to 3 of 8.
    pub discord_shards: Option<String>,
    /// Register the slash commands on this test server only (at once), not globally.
    pub discord_guild_id: Option<u64>,
    /// Role ids whose members may use organizer commands, separated by commas.
    pub discord_organizer_roles: Option<String>,
    /// Guild ids where organizer rights exist at all (members with Manage Server or one of
    /// the roles), separated by commas; none: no organizer on Discord.
    pub discord_organizer_guilds: Option<String>,
    /// The one clock (`RUBAN_TODAY`, read in `main` before anything else): never from the file.
    #[serde(skip)]
    pub clock: ruban_vocabulary::Clock,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            database_url: "sqlite://ruban.db".into(),
            secret_file: PathBuf::from("ruban.secret"),
            secret: None,
            organizer_token: None,
            campaign_file: None,
            regions_file: None,
            join_url: None,
            playground: None,
            trusted_proxies: None,
            public_url: None,
            telegram_token: None,
            telegram_api_url: None,
            telegram_webhook_url: None,
            telegram_webhook_secret: None,
            telegram_organizers: None,
            discord_token: None,
            discord_api_url: None,
            discord_shards: None,
            discord_guild_id: None,
            discord_organizer_roles: None,
            discord_organizer_guilds: None,
            clock: ruban_vocabulary::Clock::system(),
        }
    }
}

impl std::fmt::Display for Config {
    /// The merged view, secrets masked (what `ruban check-config` prints).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mask = |s: &Option<String>| if s.is_some() { "***" } else { "(none)" };
        writeln!(f, "bind = {:?}", self.bind)?;
        writeln!(f, "database_url = {:?}", crate::redact::redact(&self.database_url))?;
        writeln!(f, "secret_file = {:?}", self.secret_file.display().to_string())?;
        writeln!(f, "secret = {}", mask(&self.secret))?;
        writeln!(f, "organizer_token = {}", mask(&self.organizer_token))?;
        writeln!(f, "campaign_file = {:?}", self.campaign_file.as_ref().map(|p| p.display().to_string()))?;
        writeln!(f, "regions_file = {:?}", self.regions_file.as_ref().map(|p| p.display().to_string()))?;
        writeln!(f, "join_url = {:?}", self.join_url)?;
        writeln!(f, "playground = {:?} ({})", self.playground, self.playground_summary())?;
        writeln!(f, "trusted_proxies = {:?}", self.trusted_proxies)?;
        writeln!(f, "public_url = {:?}", self.public_url)?;
        writeln!(f, "telegram_token = {}", mask(&self.telegram_token))?;
        writeln!(f, "telegram_api_url = {:?}", self.telegram_api_url)?;
        writeln!(f, "telegram_webhook_url = {:?}", self.telegram_webhook_url)?;
        writeln!(f, "telegram_webhook_secret = {}", mask(&self.telegram_webhook_secret))?;
        writeln!(f, "telegram_organizers = {:?}", self.telegram_organizers)?;
        writeln!(f, "discord_token = {}", mask(&self.discord_token))?;
        writeln!(f, "discord_api_url = {:?}", self.discord_api_url)?;
        writeln!(f, "discord_shards = {:?}", self.discord_shards)?;
        writeln!(f, "discord_guild_id = {:?}", self.discord_guild_id)?;
        writeln!(f, "discord_organizer_guilds = {:?}", self.discord_organizer_guilds)?;
        write!(f, "discord_organizer_roles = {:?}", self.discord_organizer_roles)
    }
}

/// The shortest organizer token accepted: guessing 24 random characters is out of reach even
/// without the rate limit.
pub const MIN_ORGANIZER_TOKEN: usize = 24;

impl Config {
    /// Checks what `check-config` and `serve` both refuse to run with.
    pub fn validate(&self) -> Result<()> {
        let url = self.database_url.as_str();
        anyhow::ensure!(
            ["sqlite:", "postgres:", "postgresql:"].iter().any(|scheme| url.starts_with(scheme)),
            "DATABASE_URL (database_url) {:?} is not supported: use sqlite://FILE or postgres://…",
            crate::redact::redact(url)
        );
        if let Some(secret) = &self.telegram_webhook_secret {
            // Telegram's rule for `secret_token`: 1 to 256 characters, A-Z a-z 0-9 _ -.
            let n = secret.chars().count();
            anyhow::ensure!(
                (1..=256).contains(&n) && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
                "TELEGRAM_WEBHOOK_SECRET (telegram_webhook_secret) must be 1 to 256 characters of A-Z, a-z, 0-9, \
                 _ and - (Telegram refuses anything else; it has {n} characters): make one with \
                 `openssl rand -hex 32`, or leave it unset to derive one from RUBAN_SECRET"
            );
        }
        self.playground_open()?;
        self.trusted_proxies()?;
        self.telegram_organizers()?;
        if let Some(token) = &self.organizer_token {
            let n = token.chars().count();
            anyhow::ensure!(
                n >= MIN_ORGANIZER_TOKEN,
                "RUBAN_ORGANIZER_TOKEN (organizer_token) is too short: {n} characters, at least {MIN_ORGANIZER_TOKEN} \
                 are needed (make one with `openssl rand -hex 24`)"
            );
            anyhow::ensure!(
                token.bytes().all(|b| b.is_ascii_graphic()),
                "RUBAN_ORGANIZER_TOKEN (organizer_token) must be printable ASCII without spaces \
                 (make one with `openssl rand -hex 24`)"
            );
        }
        Ok(())
    }

    /// Whether the playground is open: as `RUBAN_PLAYGROUND` says, else only on a loopback
    /// `bind` (a server reachable from a network trusts no identity a page claims).
    pub fn playground_open(&self) -> Result<bool> {
        match self.playground.as_deref().map(str::trim) {
            Some("demo" | "on") => Ok(true),
            Some("off") => Ok(false),
            Some(other) => anyhow::bail!("RUBAN_PLAYGROUND (playground) is {other:?}: use demo (open) or off (closed)"),
            None => Ok(self.bind_is_loopback()),
        }
    }

    /// The Telegram user ids named organizers.
    pub fn telegram_organizers(&self) -> Result<Vec<u64>> {
        self.telegram_organizers
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<u64>()
                    .with_context(|| format!("TELEGRAM_ORGANIZERS (telegram_organizers): {s:?} is not a Telegram user id (a number; @userinfobot tells yours)"))
            })
            .collect()
    }

    /// The reverse proxies whose `X-Forwarded-For` is believed.
    pub fn trusted_proxies(&self) -> Result<Vec<ipnet::IpNet>> {
        self.trusted_proxies
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<ipnet::IpNet>()
                    .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .with_context(|| format!("RUBAN_TRUSTED_PROXIES (trusted_proxies): {s:?} is not an address or a network like 10.0.0.0/8"))
            })
            .collect()
    }

    fn bind_is_loopback(&self) -> bool {
        let host = self.bind.rsplit_once(':').map_or(self.bind.as_str(), |(h, _)| h);
        let host = host.trim_start_matches('[').trim_end_matches(']');
        host == "localhost" || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }

    /// What check-config and the start-up lines say about the playground.
    pub fn playground_summary(&self) -> String {
        match (self.playground_open(), self.playground.is_some()) {
            (Ok(true), true) => {
                "open (RUBAN_PLAYGROUND=demo): anyone who reaches this server may act as anyone in it".into()
            }
            (Ok(true), false) => "open (listening on a loopback address only; RUBAN_PLAYGROUND=off closes it)".into(),
            (Ok(false), true) => "closed (RUBAN_PLAYGROUND=off)".into(),
            (Ok(false), false) => "closed (not listening on a loopback address; RUBAN_PLAYGROUND=demo opens it)".into(),
            (Err(e), _) => e.to_string(),
        }
    }

    /// Loads the file named (which must exist), else `ruban.toml` if it exists, then applies
    /// the environment.
    pub fn load(named: Option<&Path>) -> Result<Self> {
        let path = named.unwrap_or(Path::new("ruban.toml"));
        if named.is_some() && !path.is_file() {
            anyhow::bail!("--config {}: no such file", path.display());
        }
        let mut c = if path.exists() {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            toml::from_str(&text).with_context(|| format!("cannot read {}", path.display()))?
        } else {
            Self::default()
        };
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        if let Some(v) = env("RUBAN_BIND") {
            c.bind = v;
        }
        if let Some(v) = env("DATABASE_URL") {
            c.database_url = v;
        }
        if let Some(v) = env("RUBAN_SECRET") {
            c.secret = Some(v);
        }
        if let Some(v) = env("RUBAN_SECRET_FILE") {
            c.secret_file = v.into();
        }
        if let Some(v) = env("RUBAN_ORGANIZER_TOKEN") {
            c.organizer_token = Some(v);
        }
        if let Some(v) = env("RUBAN_CAMPAIGN_FILE") {
            c.campaign_file = Some(v.into());
        }
        if let Some(v) = env("RUBAN_JOIN_URL") {
            c.join_url = Some(v);
        }
        if let Some(v) = env("RUBAN_REGIONS_FILE") {
            c.regions_file = Some(v.into());
        }
        if let Some(v) = env("RUBAN_TRUSTED_PROXIES") {
            c.trusted_proxies = Some(v);
        }
        if let Some(v) = env("RUBAN_PLAYGROUND") {
            c.playground = Some(v);
        }
        if let Some(v) = env("RUBAN_PUBLIC_URL") {
            c.public_url = Some(v);
        }
        if let Some(v) = env("TELEGRAM_TOKEN") {
            c.telegram_token = Some(v);
        }
        if let Some(v) = env("TELEGRAM_API_URL") {
            c.telegram_api_url = Some(v);
        }
        if let Some(v) = env("TELEGRAM_WEBHOOK_URL") {
            c.telegram_webhook_url = Some(v);
        }
        if let Some(v) = env("TELEGRAM_WEBHOOK_SECRET") {
            c.telegram_webhook_secret = Some(v);
        }
        if let Some(v) = env("TELEGRAM_ORGANIZERS") {
            c.telegram_organizers = Some(v);
        }
        if let Some(v) = env("DISCORD_TOKEN") {
            c.discord_token = Some(v);
        }
        if let Some(v) = env("DISCORD_API_URL") {
            c.discord_api_url = Some(v);
        }
        if let Some(v) = env("DISCORD_SHARDS") {
            c.discord_shards = Some(v);
        }
        if let Some(v) = env("DISCORD_GUILD_ID") {
            c.discord_guild_id =
                Some(v.parse().with_context(|| format!("DISCORD_GUILD_ID must be a number, not {v:?}"))?);
        }
        if let Some(v) = env("DISCORD_ORGANIZER_ROLES") {
            c.discord_organizer_roles = Some(v);
        }
        if let Some(v) = env("DISCORD_ORGANIZER_GUILDS") {
            c.discord_organizer_guilds = Some(v);
        }
        Ok(c)
    }

    /// The Discord settings, if a token is set; a precise error for what does not read.
    pub fn discord(&self) -> Result<Option<ruban_discord::Settings>> {
        let Some(token) = &self.discord_token else { return Ok(None) };
        let shards = match &self.discord_shards {
            Some(s) => s.parse()?,
            None => ruban_discord::Shards::default(),
        };
        let ids = |list: &Option<String>, name: &str, what: &str| {
            list.iter()
                .flat_map(|s| s.split(','))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.parse::<u64>().with_context(|| format!("{name}: {s:?} is not a {what} id")))
                .collect::<Result<Vec<u64>>>()
        };
        let organizer_roles = ids(&self.discord_organizer_roles, "DISCORD_ORGANIZER_ROLES", "role")?;
        let organizer_guilds = ids(&self.discord_organizer_guilds, "DISCORD_ORGANIZER_GUILDS", "guild")?;
        Ok(Some(ruban_discord::Settings {
            token: token.clone(),
            api_url: self.discord_api_url.clone(),
            shards,
            registration: match self.discord_guild_id {
                Some(id) => ruban_discord::Registration::Guild(id),
                None => ruban_discord::Registration::Global,
            },
            organizer_roles,
            organizer_guilds,
        }))
    }

    /// The regions in force, if a file replaces the bundled ones.
    pub fn regions(&self) -> Result<Option<Vec<ruban_vocabulary::Region>>> {
        match &self.regions_file {
            Some(p) => {
                let text = std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
                Ok(Some(
                    ruban_vocabulary::Region::parse(&text).with_context(|| format!("cannot read {}", p.display()))?,
                ))
            }
            None => Ok(None),
        }
    }

    /// The pseudonymisation secret: configured, or read from (or created in) the secret file.
    /// It must stay the same across restarts, or people would be counted anew.
    pub fn secret(&self) -> Result<Vec<u8>> {
        if let Some(s) = &self.secret {
            anyhow::ensure!(s.len() >= 16, "RUBAN_SECRET must be at least 16 characters");
            return Ok(s.as_bytes().to_vec());
        }
        if let Ok(bytes) = std::fs::read(&self.secret_file) {
            anyhow::ensure!(bytes.len() >= 16, "{} is too short to be a secret", self.secret_file.display());
            return Ok(bytes);
        }
        let secret: [u8; 32] = rand::random();
        let hex: String = secret.iter().map(|b| format!("{b:02x}")).collect();
        write_private(&self.secret_file, hex.as_bytes())
            .with_context(|| format!("cannot create the secret file {}", self.secret_file.display()))?;
        Ok(hex.into_bytes())
    }
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(bytes)
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_spaced_organizer_tokens_are_refused() {
        let mut c = Config { organizer_token: Some("x".into()), ..Config::default() };
        let err = format!("{:#}", c.validate().unwrap_err());
        assert!(err.contains("RUBAN_ORGANIZER_TOKEN") && err.contains("1 characters") && err.contains("24"), "{err}");
        c.organizer_token = Some("a".repeat(23));
        assert!(c.validate().is_err());
        c.organizer_token = Some("correct horse battery staple".into());
        assert!(c.validate().is_err(), "spaces");
        c.organizer_token = Some("a".repeat(24));
        c.validate().unwrap();
        c.organizer_token = None;
        c.validate().unwrap();
    }
}
