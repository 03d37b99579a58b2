//! Forgiving command parsing: French or English names (and each platform's spelling of them),
//! quotes optional (" " « » “ ”), the design by name or number anywhere after the name, a
//! mention or a typed name.

use ruban_vocabulary::Design;

use crate::table::fold;

/// A parsed command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// `/carte`.
    Card {
        /// The recipient as typed (absent when the platform gave a mention or a reply).
        name: Option<String>,
        /// The design, if one was named.
        design: Option<Design>,
        /// The message, if any.
        message: Option<String>,
    },
    /// `/ruban [public name]`.
    Ribbon {
        /// The public name to show.
        name: Option<String>,
    },
    /// `/classe NAME` or `/classe fermer` (`/groupe NAME`: the same, for a cégep, adult
    /// education or a workplace, whose words say « groupe »).
    Class {
        /// The class's name (absent for `fermer`).
        name: Option<String>,
        /// `/classe fermer`.
        close: bool,
        /// Opened with `/groupe`.
        group: bool,
    },
    /// `/mur`.
    Wall,
    /// `/totaux`.
    Totals,
    /// `/aide` (and `/start`).
    Help,
    /// `/start classe_<code>`: a deep link into a class from a private chat.
    JoinClass(String),
    /// `/classe approbation [oui|non]`: the chat's class's messages reach the wall only once
    /// an adult approved them (or again at once).
    ClassApproval(bool),
    /// `/certificat NOM [raison]`: a certificate of recognition, for the adult who asks, in
    /// private (PNG and PDF).
    Certificate {
        /// Who receives it.
        name: Option<String>,
        /// Why (the default reason when none is given).
        reason: Option<String>,
    },
    /// `/classe enseignant`: the chat's class's teacher access, for the adult who asks, in
    /// private (where they approve the class's messages).
    ClassTeacher,
    /// `/vert` (`/green`): a photo in green, framed for Jeudi perséVERT. Typed alone it has
    /// none (the core says how to send one); an adapter that received a photo with it (a
    /// Telegram caption, a Discord attachment, an upload) gives its bytes.
    Green(Option<Photo>),
    /// `/langue fr|en`.
    Language(Option<String>),
    /// `/oublie-moi`.
    Forget,
    /// A command the bot does not know.
    Unknown(String),
    /// Not a command: plain chat.
    NotACommand,
}

/// A photo's bytes as a platform delivered them (at most [`crate::validate::MAX_PHOTO_BYTES`]),
/// processed in memory and never stored. Its `Debug` shows the size only: a photo never
/// reaches a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Photo(pub std::sync::Arc<Vec<u8>>);

impl Photo {
    /// A photo from its bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(std::sync::Arc::new(bytes))
    }
}

impl std::fmt::Debug for Photo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Photo({} bytes)", self.0.len())
    }
}

/// Splits on spaces, keeping quoted runs together (quotes removed).
pub fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut closing: Option<char> = None;
    for c in s.chars() {
        match closing {
            Some(end) if c == end => {
                closing = None;
                out.push(std::mem::take(&mut cur).trim().to_owned());
            }
            Some(_) => cur.push(c),
            None => match c {
                '"' | '«' | '“' if cur.is_empty() => {
                    closing = Some(match c {
                        '«' => '»',
                        '“' => '”',
                        _ => '"',
                    });
                }
                c if c.is_whitespace() => {
                    if !cur.is_empty() {
                        out.push(std::mem::take(&mut cur));
                    }
                }
                c => cur.push(c),
            },
        }
    }
    // An unclosed quote keeps what followed it.
    let rest = cur.trim();
    if !rest.is_empty() {
        out.push(rest.to_owned());
    }
    out.retain(|t| !t.is_empty());
    out
}

/// Parses a message. `has_target` says the platform already resolved who a card is for.
pub fn parse(text: &str, has_target: bool) -> Command {
    let text = text.trim();
    let Some(rest) = text.strip_prefix('/') else {
        return Command::NotACommand;
    };
    let (head, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    // Telegram appends the bot's name in groups: /carte@RubanBot.
    let name = fold(head.split('@').next().unwrap_or_default());
    let mut args = tokens(args);
    // Which command: the table knows every name and spelling; what follows is read here.
    let Some(spec) = crate::table::find(&name) else { return Command::Unknown(name) };
    match spec.fr {
        "carte" => card(&mut args, has_target),
        "ruban" => Command::Ribbon { name: joined(&args) },
        "classe" | "groupe" => {
            let group = spec.fr == "groupe";
            match args.first().map(|a| fold(a)).as_deref() {
                Some("fermer" | "close" | "fin" | "end" | "terminer") if args.len() == 1 => {
                    Command::Class { name: None, close: true, group }
                }
                // `/classe approbation` (or `oui`), `/classe approbation non`.
                Some("approbation" | "approval") if args.len() <= 2 => Command::ClassApproval(!matches!(
                    args.get(1).map(|a| fold(a)).as_deref(),
                    Some("non" | "no" | "off" | "sans" | "aucune")
                )),
                Some("enseignant" | "enseignante" | "teacher") if args.len() == 1 => Command::ClassTeacher,
                _ => Command::Class { name: joined(&args), close: false, group },
            }
        }
        "certificat" => {
            let name = (!args.is_empty()).then(|| args.remove(0)).filter(|n| !n.is_empty());
            Command::Certificate { name, reason: joined(&args) }
        }
        "vert" => Command::Green(None),
        "mur" => Command::Wall,
        "totaux" => Command::Totals,
        "aide" if name == "start" => {
            match args.first().and_then(|a| a.strip_prefix("classe_").or_else(|| a.strip_prefix("class_"))) {
                Some(code) if !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric()) => {
                    Command::JoinClass(code.to_ascii_lowercase())
                }
                _ => Command::Help,
            }
        }
        "aide" => Command::Help,
        "langue" => Command::Language(args.first().cloned()),
        "oublie-moi" => Command::Forget,
        other => Command::Unknown(other.to_owned()),
    }
}

fn joined(args: &[String]) -> Option<String> {
    let s = args.join(" ");
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_owned())
}

fn card(args: &mut Vec<String>, has_target: bool) -> Command {
    if let Some(first) = args.first().map(|a| fold(a))
        && matches!(first.as_str(), "pour" | "for" | "a" | "to")
        && args.len() > 1
    {
        args.remove(0);
    }
    let name = if has_target {
        // The mention itself may still be in the text.
        if args.first().is_some_and(|a| a.starts_with('@')) {
            args.remove(0);
        }
        None
    } else if args.is_empty() {
        None
    } else {
        Some(args.remove(0).trim_start_matches('@').to_owned())
    };
    // The design comes right after the name (so "5 sur 5" in a message stays a message).
    let design = args.first().is_some_and(|a| a.parse::<Design>().is_ok()).then(|| args.remove(0));
    Command::Card { name, design: design.and_then(|d| d.parse().ok()), message: joined(args) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_and_english_names_and_platform_spellings() {
        assert_eq!(parse("/aide", false), Command::Help);
        assert_eq!(parse("/HELP", false), Command::Help);
        assert_eq!(parse("/oublie_moi", false), Command::Forget);
        assert_eq!(parse("/oublie-moi", false), Command::Forget);
        assert_eq!(parse("/forget-me", false), Command::Forget);
        assert_eq!(parse("/totaux@RubanBot", false), Command::Totals);
        assert_eq!(parse("/mûr", false), Command::Wall);
        assert_eq!(parse("bonjour", false), Command::NotACommand);
        assert_eq!(parse("/dance", false), Command::Unknown("dance".into()));
        assert_eq!(parse("/vert", false), Command::Green(None));
        assert_eq!(parse("/green@RubanBot", false), Command::Green(None));
        assert_eq!(parse("/perséVERT", false), Command::Green(None));
        // The thank-you design for an adult, by name or number.
        for text in ["/carte Maman merci", "/card Maman thanks", "/carte Maman 7"] {
            assert_eq!(
                parse(text, false),
                Command::Card { name: Some("Maman".into()), design: Some(Design::Merci), message: None },
                "{text}"
            );
        }
    }

    #[test]
    fn cards_with_or_without_quotes() {
        let expect = |name: &str, design, message: Option<&str>| Command::Card {
            name: Some(name.into()),
            design,
            message: message.map(Into::into),
        };
        assert_eq!(parse("/carte Léa", false), expect("Léa", None, None));
        assert_eq!(
            parse("/carte \"Marie-Ève Tremblay\" oser « Ton exposé était génial! »", false),
            expect("Marie-Ève Tremblay", Some(Design::Oser), Some("Ton exposé était génial!"))
        );
        assert_eq!(
            parse("/card Alex 6 keep going!", false),
            expect("Alex", Some(Design::Encourager), Some("keep going!"))
        );
        assert_eq!(parse("/carte pour Zoé bravo", false), expect("Zoé", None, Some("bravo")));
        assert_eq!(parse("/carte Zoé Tu as eu 5 sur 5", false), expect("Zoé", None, Some("Tu as eu 5 sur 5")));
        assert_eq!(parse("/carte @alex réussir", false), expect("alex", Some(Design::Reussir), None));
        assert_eq!(
            parse("/carte @alex Bravo!", true),
            Command::Card { name: None, design: None, message: Some("Bravo!".into()) }
        );
        assert_eq!(parse("/carte", false), Command::Card { name: None, design: None, message: None });
    }

    #[test]
    fn classes_and_ribbons() {
        assert_eq!(parse("/start classe_k7m2q", false), Command::JoinClass("k7m2q".into()));
        assert_eq!(parse("/start", false), Command::Help);
        assert_eq!(parse("/start classe_", false), Command::Help);
        assert_eq!(parse("/start classe_a;drop", false), Command::Help);
        assert_eq!(parse("/classe fermer", false), Command::Class { name: None, close: true, group: false });
        assert_eq!(parse("/class close", false), Command::Class { name: None, close: true, group: false });
        assert_eq!(parse("/classe approbation", false), Command::ClassApproval(true));
        assert_eq!(parse("/classe approbation non", false), Command::ClassApproval(false));
        assert_eq!(parse("/class approval off", false), Command::ClassApproval(false));
        assert_eq!(parse("/classe enseignante", false), Command::ClassTeacher);
        assert_eq!(parse("/class teacher", false), Command::ClassTeacher);
        assert_eq!(
            parse("/certificat « Élodie Roy » pour son courage en lecture", false),
            Command::Certificate {
                name: Some("Élodie Roy".into()),
                reason: Some("pour son courage en lecture".into())
            }
        );
        assert_eq!(parse("/certificate Noah", false), Command::Certificate { name: Some("Noah".into()), reason: None });
        assert_eq!(parse("/certificat", false), Command::Certificate { name: None, reason: None });
        assert_eq!(
            parse("/classe « 5e année B »", false),
            Command::Class { name: Some("5e année B".into()), close: false, group: false }
        );
        assert_eq!(
            parse("/classe 5e B", false),
            Command::Class { name: Some("5e B".into()), close: false, group: false }
        );
        assert_eq!(
            parse("/groupe « Soins infirmiers 1020 »", false),
            Command::Class { name: Some("Soins infirmiers 1020".into()), close: false, group: true }
        );
        assert_eq!(parse("/group close", false), Command::Class { name: None, close: true, group: true });
        assert_eq!(parse("/ruban", false), Command::Ribbon { name: None });
        assert_eq!(parse("/ribbon Zoé L.", false), Command::Ribbon { name: Some("Zoé L.".into()) });
        assert_eq!(parse("/langue en", false), Command::Language(Some("en".into())));
    }
}
