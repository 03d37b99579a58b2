//! `/langue`: the language a person is answered in.

use super::prelude::*;

impl Bot {
    pub(crate) async fn language(&self, inc: &Incoming, choice: Option<String>) -> Result<Reply, Oops> {
        let current = self.locale_of(&inc.platform, &inc.user).await;
        let Some(choice) = choice else {
            return Ok(Reply::one(OutMessage::text(self.t(current, "language-choose", &[]))));
        };
        let l: Locale = choice.parse().map_err(|_| Oops::new("error-unknown-language"))?;
        let person = self.person(inc);
        let mut profile = self.store.profile(&person).await?.unwrap_or_default();
        profile.locale = Some(l.tag().to_owned());
        self.store.set_profile(&person, &profile).await?;
        Ok(Reply::one(OutMessage::text(self.t(l, "language-set", &[]))))
    }
}
