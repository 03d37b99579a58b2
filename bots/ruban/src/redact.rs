//! Secrets never printed: a URL's password masked wherever a URL is shown (the configuration,
//! `check-config`, errors that quote a database URL).

/// `text` with the password of every URL in it masked (`scheme://user:***@host…`), whatever
/// the scheme: a database URL, and any message that quotes one (a library's error may).
/// A URL runs from its `scheme://` to the first space or quote; its userinfo ends at the
/// last `@` in it (a password may hold an unencoded `@`), so too much is masked rather than
/// too little.
pub fn redact(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (before, after) = rest.split_at(i + 3);
        out.push_str(before);
        let end =
            after.find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '`' | '<' | '>')).unwrap_or(after.len());
        let (url, tail) = after.split_at(end);
        match url.rfind('@') {
            Some(at) => {
                let user = url[..at].split(':').next().unwrap_or_default();
                let has_password = url[..at].contains(':');
                out.push_str(user);
                if has_password {
                    out.push_str(":***");
                }
                out.push_str(&url[at..]);
            }
            None => out.push_str(url),
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(super::redact("postgres://ruban:hunter2@db:5432/ruban"), "postgres://ruban:***@db:5432/ruban");
        assert_eq!(super::redact("sqlite://ruban.db"), "sqlite://ruban.db");
        assert_eq!(super::redact("mysql://u:hunter2@h/db"), "mysql://u:***@h/db");
        assert_eq!(
            super::redact("cannot open mysql://u:hunter2@h/db: unsupported database URL \"mysql://u:hunter2@h/db\""),
            "cannot open mysql://u:***@h/db: unsupported database URL \"mysql://u:***@h/db\""
        );
        assert_eq!(super::redact("redis://:p@ss@h x https://a@b"), "redis://:***@h x https://a@b");
    }
}
