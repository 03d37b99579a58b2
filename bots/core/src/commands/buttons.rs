//! Clicks on the buttons the core sent: one place decodes their ids.

use super::prelude::*;

impl Bot {
    pub(crate) async fn click(&self, inc: &Incoming, l: Locale, button: &str) -> Result<Reply, Oops> {
        let person = self.person(inc);
        let private = |text: String| Reply::one(OutMessage { text, private: true, ..OutMessage::default() });
        let mut parts = button.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("j"), Some(code), None) => self.join(inc, l, code).await,
            (Some("x"), Some(code), None) => self.close_class(inc, l, code).await,
            (Some("f"), Some("1"), None) => {
                self.store.forget(&person).await?;
                // The cards they offered through signed links stop rendering too.
                self.store
                    .revoke_shares(&self.sender_tag(&person), ruban_store::clock::now_ms() + share::SHARE_LIFE_MS)
                    .await?;
                Ok(private(self.t(l, "forget-done", &[])))
            }
            (Some("f"), Some("0"), None) => Ok(private(self.t(l, "forget-cancelled", &[]))),
            (Some("r"), Some("w"), Some(choice @ ("0" | "1"))) => {
                let mut profile = self.store.profile(&person).await?.unwrap_or_default();
                profile.wall_opt_in = choice == "1";
                self.store.set_profile(&person, &profile).await?;
                Ok(private(self.t(
                    l,
                    if profile.wall_opt_in { "ribbon-wall-saved-yes" } else { "ribbon-wall-saved-no" },
                    &[],
                )))
            }
            (Some("r"), Some("g"), Some(code)) => {
                let region = self
                    .store
                    .regions()
                    .into_iter()
                    .find(|r| r.code == code)
                    .ok_or(Oops::new("error-unknown-button"))?;
                self.store.set_region(self.joinable()?.year, &person, &region.code).await?;
                Ok(private(self.t(l, "ribbon-region-saved", &[("region", region.name(l.tag()).to_owned().into())])))
            }
            (Some("r"), Some("a"), Some(choice @ ("y" | "a" | "n"))) => {
                let group = match choice {
                    "y" => Some(ruban_store::AgeGroup::Youth),
                    "a" => Some(ruban_store::AgeGroup::Adult),
                    _ => None,
                };
                self.store.set_age_group(self.joinable()?.year, &person, group).await?;
                Ok(private(self.t(l, "ribbon-age-saved", &[])))
            }
            (Some("s"), Some(id), None) => self.report(inc, l, id).await,
            (Some("w"), Some(id), None) => {
                let id: i64 = id.parse().map_err(|_| Oops::new("error-unknown-button"))?;
                let post = self.store.take_wall_post(id, &person).await?.ok_or(Oops::new("error-unknown-button"))?;
                let new = NewWallEntry {
                    campaign: self.joinable()?.year,
                    author_key: Some(post.author_key),
                    message: post.message,
                    platform: post.platform,
                    region: None,
                    organization: None,
                };
                // A class that asked for approval: the message waits in the organizers' queue.
                let class = match inc.chat.private {
                    true => None,
                    false => self.store.premoderated_class(&self.chat(inc)).await?,
                };
                let waits = class.is_some();
                let entry = match &class {
                    Some(class) => self.store.post_wall_for_approval(&new, class).await?,
                    None => self.store.post_wall(&new).await?,
                };
                self.store.link_card_to_wall(id, entry).await?;
                Ok(private(self.t(l, if waits { "card-posted-awaiting" } else { "card-posted" }, &[])))
            }
            _ => Err(Oops::new("error-unknown-button")),
        }
    }
}
