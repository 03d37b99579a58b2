//! The command menus Telegram shows when someone types `/`: French names and descriptions by
//! default and for French-speaking people, English ones for English speakers. Telegram allows
//! only a-z, 0-9 and `_` in command names, hence `/oublie_moi`; the core reads every spelling.

use ruban_core::Texts;
use ruban_vocabulary::Locale;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::BotCommand;

use crate::pace::call;

/// The menu in one language.
pub fn commands(texts: &Texts, locale: Locale) -> Vec<BotCommand> {
    ruban_core::table::COMMANDS
        .iter()
        .filter(|c| c.listed)
        .map(|c| BotCommand::new(c.telegram_name(locale == Locale::EnCa), texts.t(locale, c.menu, &[])))
        .collect()
}

/// Registers the menus: French as the default and for `fr`, English for `en`.
pub async fn register(bot: &Bot, texts: &Texts) -> Result<(), RequestError> {
    for (code, locale) in [(None, Locale::FrCa), (Some("fr"), Locale::FrCa), (Some("en"), Locale::EnCa)] {
        let mut req = bot.set_my_commands(commands(texts, locale));
        req.language_code = code.map(str::to_owned);
        call(&req, true).await?;
    }
    Ok(())
}
