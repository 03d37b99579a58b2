//! The command table: every command once, with its names in both languages and the other
//! spellings people type, its options and their limits, who may use it, where, and its help
//! line. Parsing ([`crate::parse`]), `/aide`, Telegram's menus and its admin check, and
//! Discord's registration are all derived from it: an adapter tells the core facts (this
//! sender administers this chat), it never keeps a list of commands of its own.
//!
//! Names are the French ones first (Discord's base name, Telegram's default menu); Telegram
//! allows only `a-z0-9_`, so `oublie-moi` is `/oublie_moi` there, and parsing reads both.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Who may use a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// Anyone.
    Anyone,
    /// In a group, its adults (the platform says who administers it); anyone in a private
    /// chat with the bot, where the person asking is the adult.
    ChatAdults,
    /// The campaign's organizers (named in the configuration, or a server's managers).
    Organizers,
}

/// Where a command may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Places {
    /// A private chat with the bot (a Telegram private chat, a Discord DM).
    pub private: bool,
    /// A group (a Telegram group, a Discord server's channel).
    pub group: bool,
    /// The class page (`/classe/CODE`), for pupils without an account.
    pub class_page: bool,
}

/// What an option holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptionKind {
    /// Words.
    Text,
    /// A person of the chat (Discord's member picker).
    Person,
    /// Yes or no.
    Flag,
    /// A photo.
    Photo,
}

/// One option of a command (Discord's slash options; typed words elsewhere).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    /// Its French name.
    pub fr: &'static str,
    /// Its English name.
    pub en: &'static str,
    /// The Fluent id of its description.
    pub help: &'static str,
    /// What it holds.
    pub kind: OptionKind,
    /// Whether it must be given.
    pub required: bool,
    /// Its longest value in characters, if capped.
    pub max_len: Option<u16>,
    /// Whether the platform suggests values as it is typed (the card designs).
    pub suggest: bool,
}

/// One command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandSpec {
    /// Its French name (`carte`, `oublie-moi`): the one registered first.
    pub fr: &'static str,
    /// Its English name.
    pub en: &'static str,
    /// Other spellings read, folded (lowercase, no accents, `-` for `_`).
    pub aliases: &'static [&'static str],
    /// The Fluent id of its one-line description (menus, Discord).
    pub menu: &'static str,
    /// The Fluent ids of its lines in `/aide` (none: not listed).
    pub help: &'static [&'static str],
    /// Who may use it.
    pub who: Who,
    /// Where.
    pub places: Places,
    /// Its options.
    pub options: &'static [OptionSpec],
    /// Whether platforms list it in their menus (`/groupe` is `/classe`'s option there).
    pub listed: bool,
    /// Whether its answer is for the person who asked alone, whatever it says (a certificate
    /// for an adult): a platform that must acknowledge before the answer is ready (Discord's
    /// deferral) acknowledges privately, so the answer never shows in the chat.
    pub answers_privately: bool,
}

const EVERYWHERE: Places = Places { private: true, group: true, class_page: true };
const CHATS: Places = Places { private: true, group: true, class_page: false };

const fn opt(fr: &'static str, en: &'static str, help: &'static str, kind: OptionKind) -> OptionSpec {
    OptionSpec { fr, en, help, kind, required: false, max_len: None, suggest: false }
}

const fn text(fr: &'static str, en: &'static str, help: &'static str, max: u16) -> OptionSpec {
    OptionSpec { fr, en, help, kind: OptionKind::Text, required: false, max_len: Some(max), suggest: false }
}

const fn required(mut o: OptionSpec) -> OptionSpec {
    o.required = true;
    o
}

/// Every command, in the order menus and `/aide` show them.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        fr: "carte",
        en: "card",
        aliases: &["cartes", "cards"],
        menu: "command-card",
        help: &["help-card"],
        who: Who::Anyone,
        places: EVERYWHERE,
        options: &[
            opt("destinataire", "recipient", "option-recipient", OptionKind::Person),
            text("nom", "name", "option-name", 40),
            OptionSpec {
                fr: "modele",
                en: "design",
                help: "option-design",
                kind: OptionKind::Text,
                required: false,
                max_len: None,
                suggest: true,
            },
            text("message", "message", "option-message", 280),
        ],
        listed: true,
        answers_privately: false,
    },
    CommandSpec {
        fr: "ruban",
        en: "ribbon",
        aliases: &[],
        menu: "command-ribbon",
        help: &["help-ribbon"],
        who: Who::Anyone,
        places: CHATS,
        options: &[text("nom", "name", "option-public-name", 40)],
        listed: true,
        answers_privately: false,
    },
    CommandSpec {
        fr: "classe",
        en: "class",
        aliases: &[],
        menu: "command-class",
        help: &["help-class", "help-class-teacher"],
        who: Who::ChatAdults,
        places: CHATS,
        options: &[
            text("nom", "name", "option-class-name", 80),
            opt("fermer", "close", "option-close", OptionKind::Flag),
            opt("approbation", "approval", "option-approval", OptionKind::Flag),
            opt("enseignant", "teacher", "option-teacher", OptionKind::Flag),
            opt("groupe", "group", "option-group", OptionKind::Flag),
        ],
        listed: true,
        answers_privately: false,
    },
    CommandSpec {
        fr: "groupe",
        en: "group",
        aliases: &[],
        menu: "command-class",
        help: &["help-group"],
        who: Who::ChatAdults,
        places: CHATS,
        options: &[text("nom", "name", "option-class-name", 80)],
        listed: false,
        answers_privately: false,
    },
    CommandSpec {
        fr: "certificat",
        en: "certificate",
        aliases: &[],
        menu: "command-certificate",
        help: &["help-certificate"],
        who: Who::ChatAdults,
        places: CHATS,
        options: &[
            required(text("nom", "name", "option-certificate-name", 40)),
            text("raison", "reason", "option-certificate-reason", 160),
        ],
        listed: true,
        answers_privately: true,
    },
    CommandSpec {
        fr: "vert",
        en: "green",
        aliases: &["persevert"],
        menu: "command-green",
        help: &["help-green"],
        who: Who::Anyone,
        places: EVERYWHERE,
        options: &[required(opt("photo", "photo", "option-green-photo", OptionKind::Photo))],
        listed: true,
        answers_privately: false,
    },
    CommandSpec {
        fr: "mur",
        en: "wall",
        aliases: &[],
        menu: "command-wall",
        help: &["help-wall"],
        who: Who::Anyone,
        places: CHATS,
        options: &[],
        listed: true,
        answers_privately: false,
    },
    CommandSpec {
        fr: "totaux",
        en: "totals",
        aliases: &["total"],
        menu: "command-totals",
        help: &["help-totals"],
        who: Who::Organizers,
        places: CHATS,
        options: &[],
        listed: true,
        answers_privately: false,
    },
    CommandSpec {
        fr: "langue",
        en: "language",
        aliases: &["lang"],
        menu: "command-language",
        help: &["help-language"],
        who: Who::Anyone,
        places: CHATS,
        options: &[required(opt("langue", "language", "option-language", OptionKind::Text))],
        listed: true,
        answers_privately: false,
    },
    CommandSpec {
        fr: "oublie-moi",
        en: "forget-me",
        aliases: &["oubliemoi", "oublie", "forgetme", "forget"],
        menu: "command-forget",
        help: &["help-forget"],
        who: Who::Anyone,
        places: CHATS,
        options: &[],
        listed: true,
        answers_privately: false,
    },
    CommandSpec {
        fr: "aide",
        en: "help",
        // Telegram's first message to a bot, and its deep links (`/start classe_CODE`).
        aliases: &["start"],
        menu: "command-help",
        help: &[],
        who: Who::Anyone,
        places: CHATS,
        options: &[],
        listed: true,
        answers_privately: false,
    },
];

/// A command's name as the table spells it: lowercase without accents, `_` read as `-`
/// (Telegram's `/oublie_moi` is `/oublie-moi`).
pub(crate) fn fold(s: &str) -> String {
    s.nfd()
        .filter(|&c| !is_combining_mark(c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == '_' { '-' } else { c })
        .collect()
}

/// The command a folded name (`carte`, `forget-me`, `oublie-moi`) names.
pub fn find(folded: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().find(|c| c.fr == folded || c.en == folded || c.aliases.contains(&folded))
}

/// The command a message starts with (`/groupe@RubanBot …`), if any.
pub fn of_text(text: &str) -> Option<&'static CommandSpec> {
    let head = text.trim().strip_prefix('/')?.split(char::is_whitespace).next()?;
    find(&fold(head.split('@').next().unwrap_or_default()))
}

/// Whether what the core answers to `text` depends on whether its sender is one of the chat's
/// adults: a command reserved to them, or `/aide` (which lists what this person may do). An
/// adapter asks the platform who administers the chat for these only (a call each).
pub fn asks_about_the_sender(text: &str) -> bool {
    of_text(text).is_some_and(|c| c.who == Who::ChatAdults || c.fr == "aide")
}

impl CommandSpec {
    /// Its name on Telegram (`a-z0-9_` only).
    pub fn telegram_name(&self, english: bool) -> String {
        (if english { self.en } else { self.fr }).replace('-', "_")
    }

    /// Whether this person may use it here: `adult` (the platform says they administer the
    /// group, or the chat is private), `organizer`, `private` and `class_page` say who and where.
    pub fn allowed(&self, adult: bool, organizer: bool, private: bool, class_page: bool) -> bool {
        let here = if class_page {
            self.places.class_page
        } else if private {
            self.places.private
        } else {
            self.places.group
        };
        here && match self.who {
            Who::Anyone => true,
            Who::ChatAdults => adult || private,
            Who::Organizers => organizer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_and_alias_names_one_command_and_fits_every_platform() {
        let mut seen = std::collections::HashSet::new();
        for c in COMMANDS {
            for name in [c.fr, c.en].iter().chain(c.aliases) {
                assert!(seen.insert(*name), "{name} names two commands");
                assert_eq!(find(name), Some(c));
            }
            for english in [false, true] {
                let t = c.telegram_name(english);
                assert!(t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'), "{t}");
            }
            assert!(c.fr.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') && c.fr.len() <= 32, "{}", c.fr);
        }
    }

    #[test]
    fn commands_for_a_chats_adults_ask_who_the_sender_is() {
        for text in ["/classe « 5e B »", "/groupe Sciences", "/group@RubanBot x", "/certificat Léa", "/aide", "/HELP"]
        {
            assert!(asks_about_the_sender(text), "{text}");
        }
        for text in ["/carte Léa", "/ruban", "/mur", "bonjour", "/inconnu", "/vert"] {
            assert!(!asks_about_the_sender(text), "{text}");
        }
    }

    #[test]
    fn who_and_where_decide_what_a_person_may_use() {
        let class = find("classe").unwrap();
        assert!(class.allowed(true, false, false, false), "a group's adult");
        assert!(!class.allowed(false, false, false, false), "a pupil in a group");
        assert!(class.allowed(false, false, true, false), "anyone in private");
        assert!(!class.allowed(true, true, false, true), "not on the class page");
        let totals = find("totaux").unwrap();
        assert!(!totals.allowed(true, false, true, false) && totals.allowed(false, true, true, false));
        assert!(find("carte").unwrap().allowed(false, false, false, true));
    }
}
