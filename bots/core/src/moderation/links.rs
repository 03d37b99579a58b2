//! Links typed in a name or a message.

/// Top-level domains a link typed in a name or message would end with (the common ones, the
/// link shorteners' and the invitation hosts': `discord.gg`, `bit.ly`, `t.me`).
const TLDS: &[&str] = &[
    "com", "ca", "net", "org", "io", "gg", "ly", "co", "me", "xyz", "app", "info", "biz", "tv", "fr", "us", "link",
    "site", "online", "ru", "to", "be", "gl", "quebec", "ai", "dev", "live", "club", "shop", "top",
];

/// Whether `text` carries a link (`https://…`, `www.…`, `discord.gg/…`, `exemple.com`). Names
/// and messages are drawn and sent to children: a link on a card, or made clickable by the
/// platform, could lead anywhere.
pub fn has_link(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower.split_whitespace().any(|token| {
        let token = token.trim_matches(|c: char| !c.is_alphanumeric() && c != '/' && c != ':');
        if token.contains("://") || token.starts_with("www.") {
            return true;
        }
        let host = token.split(['/', '?', '#']).next().unwrap_or_default();
        let host = host.split(':').next().unwrap_or_default();
        let labels: Vec<&str> = host.split('.').collect();
        labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
            && TLDS.contains(labels.last().unwrap_or(&""))
    })
}
