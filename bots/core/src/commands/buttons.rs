//! Clicks on the buttons the core sent, read by [`ButtonId::parse`].

use super::prelude::*;

impl Bot {
    pub(crate) async fn click(&self, inc: &Incoming, l: Locale, button: &str) -> Result<Reply, Oops> {
        let person = self.person(inc);
        let private = |text: String| Reply::one(OutMessage { text, private: true, ..OutMessage::default() });
        let Some(clicked) = ButtonId::parse(button) else {
            return Err(Oops::new("error-unknown-button"));
        };
        match clicked {
            ButtonId::JoinClass(code) => self.join(inc, l, &code).await,
            ButtonId::CloseClass(code) => self.close_class(inc, l, &code).await,
            ButtonId::Forget(true) => {
                self.store.forget(&person).await?;
                // The cards they offered through signed links stop rendering too.
                self.store
                    .revoke_shares(&self.sender_tag(&person), self.clock().now_ms() + share::SHARE_LIFE_MS)
                    .await?;
                Ok(private(self.t(l, "forget-done", &[])))
            }
            ButtonId::Forget(false) => Ok(private(self.t(l, "forget-cancelled", &[]))),
            ButtonId::WallConsent(yes) => {
                let mut profile = self.store.profile(&person).await?.unwrap_or_default();
                profile.wall_opt_in = yes;
                self.store.set_profile(&person, &profile).await?;
                Ok(private(self.t(
                    l,
                    if profile.wall_opt_in { "ribbon-wall-saved-yes" } else { "ribbon-wall-saved-no" },
                    &[],
                )))
            }
            ButtonId::Region(code) => {
                let region = self
                    .store
                    .regions()
                    .into_iter()
                    .find(|r| r.code == code)
                    .ok_or(Oops::new("error-unknown-button"))?;
                self.store.set_region(self.joinable()?.year, &person, &region.code).await?;
                Ok(private(self.t(l, "ribbon-region-saved", &[("region", region.name(l.tag()).to_owned().into())])))
            }
            ButtonId::AgeGroup(group) => {
                self.store.set_age_group(self.joinable()?.year, &person, group).await?;
                Ok(private(self.t(l, "ribbon-age-saved", &[])))
            }
            ButtonId::Report(id) => self.report(inc, l, id).await,
            ButtonId::PostToWall(id) => {
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
        }
    }
}
