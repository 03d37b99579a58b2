//! The slash commands, French first: base names and descriptions in French, with English
//! localizations for Discord's `en-US` and `en-GB` and French ones for `fr`. Every command
//! works where the app is installed on a server and where a person installed it for
//! themselves (bot DM, group DMs), except class pledges and totals, which belong to servers.

use card_renderer::{Design, Locale};
use ruban_core::{Command, Texts};
use serenity::all::{
    CommandOptionType, CreateCommand, CreateCommandOption, InstallationContext, InteractionContext, Permissions,
    ResolvedOption, ResolvedValue,
};

/// Option: (French name, English name, description id, type, required, max length).
type OptionDef = (&'static str, &'static str, &'static str, CommandOptionType, bool, Option<u16>);

fn options_of(command: &str) -> Vec<OptionDef> {
    use CommandOptionType::{Attachment, Boolean, String, User};
    match command {
        "carte" => vec![
            ("destinataire", "recipient", "option-recipient", User, false, None),
            ("nom", "name", "option-name", String, false, Some(40)),
            ("modele", "design", "option-design", String, false, None),
            ("message", "message", "option-message", String, false, Some(280)),
        ],
        "ruban" => vec![("nom", "name", "option-public-name", String, false, Some(40))],
        "classe" => vec![
            ("nom", "name", "option-class-name", String, false, Some(80)),
            ("fermer", "close", "option-close", Boolean, false, None),
            ("approbation", "approval", "option-approval", Boolean, false, None),
            ("enseignant", "teacher", "option-teacher", Boolean, false, None),
            ("groupe", "group", "option-group", Boolean, false, None),
        ],
        "certificat" => vec![
            ("nom", "name", "option-certificate-name", String, true, Some(40)),
            ("raison", "reason", "option-certificate-reason", String, false, Some(160)),
        ],
        "langue" => vec![("langue", "language", "option-language", String, true, None)],
        "vert" => vec![("photo", "photo", "option-green-photo", Attachment, true, None)],
        _ => Vec::new(),
    }
}

/// Discord's locales for each of Ruban's languages.
const EN_LOCALES: [&str; 2] = ["en-US", "en-GB"];

/// Every command, ready to register.
pub fn all(texts: &Texts) -> Vec<CreateCommand> {
    let fr = |id: &str| texts.t(Locale::FrCa, id, &[]);
    let en = |id: &str| texts.t(Locale::EnCa, id, &[]);
    ruban_core::MENU
        .iter()
        .map(|(name, en_name, desc)| {
            let mut c = CreateCommand::new(*name).description(fr(desc)).description_localized("fr", fr(desc));
            for l in EN_LOCALES {
                c = c.name_localized(l, *en_name).description_localized(l, en(desc));
            }
            let server_only = matches!(*name, "classe" | "totaux");
            c = if server_only {
                c.integration_types(vec![InstallationContext::Guild]).contexts(vec![InteractionContext::Guild])
            } else {
                c.integration_types(vec![InstallationContext::Guild, InstallationContext::User]).contexts(vec![
                    InteractionContext::Guild,
                    InteractionContext::BotDm,
                    InteractionContext::PrivateChannel,
                ])
            };
            if *name == "totaux" {
                // Hidden from those who cannot manage the server; the handler checks again.
                c = c.default_member_permissions(Permissions::MANAGE_GUILD);
            }
            for (o_name, o_en, o_desc, kind, required, max) in options_of(name) {
                let mut o = CreateCommandOption::new(kind, o_name, fr(o_desc))
                    .description_localized("fr", fr(o_desc))
                    .required(required);
                for l in EN_LOCALES {
                    o = o.name_localized(l, o_en).description_localized(l, en(o_desc));
                }
                if let Some(max) = max {
                    o = o.max_length(max);
                }
                if o_name == "modele" {
                    o = o.set_autocomplete(true);
                }
                if *name == "langue" {
                    o = o
                        .add_string_choice_localized("Français", "fr", [("en-US", "French"), ("en-GB", "French")])
                        .add_string_choice_localized("English", "en", [("fr", "Anglais")]);
                }
                c = c.add_option(o);
            }
            c
        })
        .collect()
}

/// Design suggestions for the autocomplete of `modele`: the designs whose name (in the
/// person's language) or number starts with what they typed.
pub fn design_choices(texts: &Texts, locale: Locale, typed: &str) -> Vec<(String, String)> {
    let typed = typed.trim().to_lowercase();
    Design::ALL
        .iter()
        .filter_map(|d| {
            let label = format!("{} · {}", d.number(), texts.t(locale, &format!("card-headline-{}", d.id()), &[]));
            let matches = typed.is_empty()
                || label.to_lowercase().contains(&typed)
                || d.id().starts_with(&typed)
                || d.number().to_string() == typed;
            matches.then(|| (label, d.id().to_owned()))
        })
        .collect()
}

/// What the person typed, as the core's command. `target` is the recipient picked with the
/// member picker (the core then uses their name).
pub fn to_core(name: &str, options: &[ResolvedOption<'_>]) -> Command {
    let text = |key: &str| {
        options.iter().find(|o| o.name == key).and_then(|o| match o.value {
            ResolvedValue::String(s) | ResolvedValue::Autocomplete { value: s, .. } => Some(s.to_owned()),
            _ => None,
        })
    };
    let flag = |key: &str| options.iter().any(|o| o.name == key && matches!(o.value, ResolvedValue::Boolean(true)));
    match name {
        "carte" => Command::Card {
            name: text("nom"),
            design: text("modele").and_then(|d| d.parse().ok()),
            message: text("message"),
        },
        "ruban" => Command::Ribbon { name: text("nom") },
        "classe" if flag("fermer") => Command::Class { name: None, close: true, group: false },
        // `approbation: true` or `false`, given alone: the class's wall messages wait for an
        // adult's approval, or no longer.
        "classe" if text("nom").is_none() && options.iter().any(|o| o.name == "approbation") => {
            Command::ClassApproval(flag("approbation"))
        }
        // `enseignant: true`: the class's teacher page, for the adult who asks (ephemeral).
        "classe" if text("nom").is_none() && flag("enseignant") => Command::ClassTeacher,
        "classe" => Command::Class { name: text("nom"), close: false, group: flag("groupe") },
        "certificat" => Command::Certificate { name: text("nom"), reason: text("raison") },
        // The photo itself is fetched by the handler, inside the answer's deadline.
        "vert" => Command::Green(None),
        "mur" => Command::Wall,
        "totaux" => Command::Totals,
        "langue" => Command::Language(text("langue")),
        "oublie-moi" => Command::Forget,
        "aide" => Command::Help,
        other => Command::Unknown(other.to_owned()),
    }
}
