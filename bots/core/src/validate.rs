//! The one gate every value from a door goes through before the store sees it: identifiers,
//! codes, buttons, filters and texts from the web, Telegram, Discord and the command line.
//!
//! Why one place: PostgreSQL refuses a NUL byte in text where SQLite stores it, so a value no
//! person would type (`j:` + U+0000 in a click) once failed a whole group commit of pledges.
//! Each door used to bound its own values; now they all ask this module, and the bot answers a
//! refused value with a kind, localised message ([`crate::Bot::handle`]), the web with a 400.
//!
//! The checks are about shape, not meaning: a well-formed class code may still be unknown (the
//! store says so), a well-formed region may have no pledges. Names and messages people write
//! are cleaned and moderated later ([`card_renderer::Name::parse`], [`crate::moderation`]);
//! here they are only refused when they carry control characters or are too long to be text.

use ruban_store::WallFilter;

use crate::{Action, Command, CoreError, Incoming};

/// The longest platform id (user, chat): Telegram's and Discord's are numbers of at most 20
/// digits; the web playground's are chosen by the page.
pub const MAX_ID_BYTES: usize = 128;
/// The longest button id: Telegram's `callback_data` holds at most 64 bytes.
pub const MAX_BUTTON_BYTES: usize = 64;
/// The longest message text (Telegram's limit is 4096 characters; bytes are stricter).
pub const MAX_TEXT_BYTES: usize = 4096;
/// The longest display name or school name.
pub const MAX_NAME_BYTES: usize = 512;
/// The longest filter value (a school as pledged).
pub const MAX_FILTER_BYTES: usize = 120;
/// The largest photo accepted (`/vert`): what Telegram lets a bot download (20 MB); a
/// 12-megapixel phone photo is 3 to 5 MB.
pub const MAX_PHOTO_BYTES: usize = 20 * 1024 * 1024;
/// The longest organizer token accepted for comparison (the store issues 48 hex digits).
pub const MAX_TOKEN_BYTES: usize = 200;

fn refuse(field: &'static str, why: &'static str) -> CoreError {
    CoreError::Invalid { field, why }
}

/// Bidirectional overrides and isolates, which can make a value look like another.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Text people write: any character but NUL and other control characters (tabs and line
/// breaks excepted when `multiline`), at most `max` bytes.
pub fn text(field: &'static str, s: &str, max: usize, multiline: bool) -> Result<(), CoreError> {
    if s.len() > max {
        return Err(refuse(field, "is too long"));
    }
    let allowed = |c: char| multiline && matches!(c, '\n' | '\r' | '\t');
    if s.chars().any(|c| c.is_control() && !allowed(c)) {
        return Err(refuse(field, "contains control characters"));
    }
    Ok(())
}

/// A platform id (a user, a chat): 1 to 128 bytes, no control or bidi characters, not blank.
pub fn id(field: &'static str, s: &str) -> Result<(), CoreError> {
    if s.trim().is_empty() {
        return Err(refuse(field, "is empty"));
    }
    if s.len() > MAX_ID_BYTES {
        return Err(refuse(field, "is longer than 128 bytes"));
    }
    if s.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Err(refuse(field, "contains control characters"));
    }
    Ok(())
}

/// A button id as the core makes them (`j:<code>`, `r:g:06`, `w:42`): 1 to 64 bytes of
/// printable ASCII.
pub fn button(s: &str) -> Result<(), CoreError> {
    if s.is_empty() || s.len() > MAX_BUTTON_BYTES {
        return Err(refuse("button", "must be 1 to 64 bytes"));
    }
    if !s.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(refuse("button", "must be printable ASCII"));
    }
    Ok(())
}

/// A class code exactly as the store issues them ([`ruban_store::is_class_code`]).
pub fn class_code(s: &str) -> Result<(), CoreError> {
    if ruban_store::is_class_code(s) { Ok(()) } else { Err(refuse("class", "is not a class code")) }
}

/// A region code (`06`, `NUN`): 1 to 8 ASCII letters or digits.
pub fn region_code(s: &str) -> Result<(), CoreError> {
    if !s.is_empty() && s.len() <= 8 && s.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(())
    } else {
        Err(refuse("region", "is not a region code"))
    }
}

/// A language tag (`fr-CA`, `en-US`): 1 to 35 bytes of ASCII letters, digits, `-` and `_`.
pub fn locale_tag(s: &str) -> Result<(), CoreError> {
    if !s.is_empty() && s.len() <= 35 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        Ok(())
    } else {
        Err(refuse("locale", "is not a language tag"))
    }
}

/// An organizer token as given (before any comparison): 1 to 200 bytes of printable ASCII.
pub fn token(s: &str) -> Result<(), CoreError> {
    if !s.is_empty() && s.len() <= MAX_TOKEN_BYTES && s.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(refuse("token", "is not an organizer token"))
    }
}

/// A school or organization named in a filter or on the command line.
pub fn organization(s: &str) -> Result<(), CoreError> {
    if s.trim().is_empty() {
        return Err(refuse("organization", "is empty"));
    }
    text("organization", s, MAX_FILTER_BYTES, false)?;
    if s.chars().any(is_bidi_control) {
        return Err(refuse("organization", "contains control characters"));
    }
    Ok(())
}

/// A wall's filters (`?region=06&school=…&class=…`), an empty value meaning no filter.
pub fn wall_filter(region: Option<&str>, school: Option<&str>, class: Option<&str>) -> Result<WallFilter, CoreError> {
    let given = |v: Option<&str>| v.filter(|s| !s.is_empty()).map(str::to_owned);
    let filter = WallFilter { region: given(region), school: given(school), class: given(class) };
    if let Some(r) = &filter.region {
        region_code(r)?;
    }
    if let Some(s) = &filter.school {
        organization(s)
            .map_err(|_| refuse("school", "is not a school name (at most 120 bytes, no control characters)"))?;
    }
    if let Some(c) = &filter.class
        && !ruban_store::is_class_public_id(c)
    {
        return Err(refuse("class", "is not a class's public id (16 hex digits; a class link is not one)"));
    }
    Ok(filter)
}

fn command(cmd: &Command) -> Result<(), CoreError> {
    let opt = |field, v: &Option<String>, max| v.as_deref().map_or(Ok(()), |s| text(field, s, max, false));
    match cmd {
        Command::Card { name, message, .. } => {
            opt("name", name, MAX_NAME_BYTES)?;
            // A message may hold the line breaks its sender typed (as a whole text may).
            message.as_deref().map_or(Ok(()), |m| text("message", m, MAX_TEXT_BYTES, true))
        }
        Command::Ribbon { name } | Command::Class { name, .. } => opt("name", name, MAX_NAME_BYTES),
        Command::JoinClass(code) => text("class", code, MAX_BUTTON_BYTES, false),
        Command::Language(choice) => opt("language", choice, 35),
        Command::Certificate { name, reason } => {
            opt("name", name, MAX_TEXT_BYTES)?;
            // Like a card's message, a reason may hold the line breaks its adult typed.
            reason.as_deref().map_or(Ok(()), |r| text("reason", r, MAX_TEXT_BYTES, true))
        }
        Command::Unknown(s) => text("command", s, MAX_TEXT_BYTES, false),
        Command::Green(Some(photo)) if photo.0.len() > MAX_PHOTO_BYTES => Err(refuse("photo", "is larger than 20 MB")),
        Command::Green(_)
        | Command::Wall
        | Command::Totals
        | Command::Help
        | Command::Forget
        | Command::NotACommand
        | Command::ClassApproval(_)
        | Command::ClassTeacher => Ok(()),
    }
}

/// Everything an adapter hands the core, checked before anything is read or written for it.
pub fn incoming(inc: &Incoming) -> Result<(), CoreError> {
    if inc.platform.is_empty() || inc.platform.len() > 16 || !inc.platform.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(refuse("platform", "is not a platform name"));
    }
    id("user.id", &inc.user.id)?;
    id("chat.id", &inc.chat.id)?;
    text("user.name", &inc.user.display_name, MAX_NAME_BYTES, false)?;
    if let Some(l) = &inc.user.locale {
        locale_tag(l)?;
    }
    if let Some(t) = &inc.target {
        if let Some(tid) = &t.id {
            id("target.id", tid)?;
        }
        text("target.name", &t.name, MAX_NAME_BYTES, false)?;
    }
    match &inc.action {
        Action::Text(s) => text("text", s, MAX_TEXT_BYTES, true),
        Action::Command(cmd) => command(cmd),
        Action::Click { button: b } => button(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Chat, User};

    fn inc(action: Action) -> Incoming {
        Incoming {
            platform: "web".into(),
            user: User { id: "u1".into(), display_name: "Léa".into(), locale: Some("fr-CA".into()) },
            chat: Chat { id: "classe-5b".into(), private: false },
            is_admin: false,
            is_organizer: false,
            target: None,
            action,
        }
    }

    #[test]
    fn ordinary_events_pass() {
        for a in [
            Action::Text("/carte « Léa » encourager \"Lâche pas!\"\nÀ demain 💚".into()),
            Action::Click { button: "j:abcdefghjkmnpqrst".into() },
            Action::Click { button: "r:g:NUN".into() },
            Action::Command(Command::Card { name: Some("Zoé".into()), design: None, message: None }),
            // What an adapter that parsed a text hands over: the line break kept.
            Action::Command(typed_on_two_lines()),
        ] {
            incoming(&inc(a.clone())).unwrap_or_else(|e| panic!("{a:?}: {e}"));
        }
    }

    #[test]
    fn a_reason_typed_on_two_lines_is_accepted_once_parsed() {
        let cmd = crate::parse::parse("/certificat « Élodie » \"pour son courage\nen lecture\"", false);
        assert!(matches!(&cmd, Command::Certificate { reason: Some(r), .. } if r.contains('\n')), "{cmd:?}");
        incoming(&inc(Action::Command(cmd))).unwrap();
    }

    fn typed_on_two_lines() -> Command {
        let cmd = crate::parse::parse("/carte « Léa » encourager \"Lâche pas!\nÀ demain 💚\"", false);
        assert!(matches!(&cmd, Command::Card { message: Some(m), .. } if m.contains('\n')), "{cmd:?}");
        cmd
    }

    #[test]
    fn nul_controls_and_overlong_values_are_refused() {
        for a in [
            Action::Click { button: "j:\0".into() },
            Action::Click { button: "j:abc\u{7f}".into() },
            Action::Click { button: format!("j:{}", "a".repeat(63)) },
            Action::Click { button: "j:é".into() },
            Action::Text("/ruban\0".into()),
            Action::Text("a".repeat(4097)),
            Action::Command(Command::JoinClass("abc\0defg".into())),
            Action::Command(Command::Ribbon { name: Some("Zoé\u{1b}[31m".into()) }),
        ] {
            assert!(incoming(&inc(a.clone())).is_err(), "{a:?} must be refused");
        }
        let mut bad = inc(Action::Text("/ruban".into()));
        bad.user.id = "u\0".into();
        assert!(incoming(&bad).is_err());
        bad.user.id = "x".repeat(129);
        assert!(incoming(&bad).is_err());
        bad.user.id = "\u{202e}u1".into();
        assert!(incoming(&bad).is_err());
        let mut bad = inc(Action::Text("/ruban".into()));
        bad.chat.id = String::new();
        assert!(incoming(&bad).is_err());
        let mut bad = inc(Action::Text("/ruban".into()));
        bad.user.locale = Some("fr\0".into());
        assert!(incoming(&bad).is_err());
    }

    #[test]
    fn wall_filters_take_only_well_formed_values() {
        let public = "0123456789abcdef";
        assert!(ruban_store::is_class_public_id(public));
        let f = wall_filter(Some("06"), Some("École A"), Some(public)).unwrap();
        assert_eq!((f.region.as_deref(), f.class.as_deref()), (Some("06"), Some(public)));
        assert_eq!(wall_filter(Some(""), None, Some("")).unwrap(), WallFilter::default());
        for (r, s, c) in [
            (None, None, Some("\0")),
            (None, None, Some("ABCDEFGHJKMNPQRST")),
            (None, None, Some("abcdefghjkmnpqrs")),
            // A class code is a class link, a secret: never a wall's filter.
            (None, None, Some("abcdefghjkmnpqrst")),
            (None, None, Some("abcdefgh")),
            (Some("0\u{0}6"), None, None),
            (None, Some("École\0"), None),
            (None, Some(&*"x".repeat(121)), None),
        ] {
            assert!(wall_filter(r, s, c).is_err(), "{r:?} {s:?} {c:?}");
        }
    }
}
