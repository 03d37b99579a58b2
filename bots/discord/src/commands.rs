//! The slash commands, French first: base names and descriptions in French, with English
//! localizations for Discord's `en-US` and `en-GB` and French ones for `fr`. Every command
//! works where the app is installed on a server and where a person installed it for
//! themselves (bot DM, group DMs), except class pledges and totals, which belong to servers.

use ruban_core::table::{self, OptionKind, Who};
use ruban_core::{Command, Texts};
use ruban_vocabulary::{Design, Locale};
use serenity::all::{
    CommandOptionType, CreateCommand, CreateCommandOption, InstallationContext, InteractionContext, Permissions,
    ResolvedOption, ResolvedValue,
};

/// Discord's locales for each of Ruban's languages.
const EN_LOCALES: [&str; 2] = ["en-US", "en-GB"];

/// Discord's kind of option for each of the table's.
fn kind(k: OptionKind) -> CommandOptionType {
    match k {
        OptionKind::Text => CommandOptionType::String,
        OptionKind::Person => CommandOptionType::User,
        OptionKind::Flag => CommandOptionType::Boolean,
        OptionKind::Photo => CommandOptionType::Attachment,
    }
}

/// Every command the core's table lists, ready to register: names and descriptions in both
/// languages, options with their limits, where it may be used and who sees it.
pub fn all(texts: &Texts) -> Vec<CreateCommand> {
    let fr = |id: &str| texts.t(Locale::FrCa, id, &[]);
    let en = |id: &str| texts.t(Locale::EnCa, id, &[]);
    table::COMMANDS
        .iter()
        .filter(|spec| spec.listed)
        .map(|spec| {
            let desc = spec.menu;
            let mut c = CreateCommand::new(spec.fr).description(fr(desc)).description_localized("fr", fr(desc));
            for l in EN_LOCALES {
                c = c.name_localized(l, spec.en).description_localized(l, en(desc));
            }
            // A DM has no server whose roles make an organizer: theirs are servers' commands.
            let server_only = !spec.places.private || spec.who == Who::Organizers;
            c = if server_only {
                c.integration_types(vec![InstallationContext::Guild]).contexts(vec![InteractionContext::Guild])
            } else {
                c.integration_types(vec![InstallationContext::Guild, InstallationContext::User]).contexts(vec![
                    InteractionContext::Guild,
                    InteractionContext::BotDm,
                    InteractionContext::PrivateChannel,
                ])
            };
            if spec.who == Who::Organizers {
                // Hidden from those who cannot manage the server; the handler checks again.
                c = c.default_member_permissions(Permissions::MANAGE_GUILD);
            }
            for o in spec.options {
                let mut option = CreateCommandOption::new(kind(o.kind), o.fr, fr(o.help))
                    .description_localized("fr", fr(o.help))
                    .required(o.required);
                for l in EN_LOCALES {
                    option = option.name_localized(l, o.en).description_localized(l, en(o.help));
                }
                if let Some(max) = o.max_len {
                    option = option.max_length(max);
                }
                if o.suggest {
                    option = option.set_autocomplete(true);
                }
                if spec.fr == "langue" {
                    option = option
                        .add_string_choice_localized("Français", "fr", [("en-US", "French"), ("en-GB", "French")])
                        .add_string_choice_localized("English", "en", [("fr", "Anglais")]);
                }
                c = c.add_option(option);
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
