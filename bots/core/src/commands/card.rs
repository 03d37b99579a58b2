//! `/carte NOM [design] [message]`: an encouragement card for someone, drawn, counted, with
//! « Afficher sur le babillard » when a message was typed and « Signaler » where others see it.

use super::prelude::*;

impl Bot {
    pub(crate) async fn card(
        &self,
        inc: &Incoming,
        l: Locale,
        name: Option<String>,
        design: Option<Design>,
        message: Option<String>,
    ) -> Result<Reply, Oops> {
        let raw_name = match (&inc.target, name) {
            (Some(t), _) => t.name.clone(),
            (None, Some(n)) => n,
            (None, None) => return Err(Oops::new("error-card-needs-name")),
        };
        let to = checked_name(&raw_name)?;
        let message = message.map(|m| checked_message(&m)).transpose()?;
        self.drawable(to.as_str())?;
        if let Some(m) = &message {
            self.drawable(m.as_str())?;
        }
        // Checked after validation: a refused text does not use up the sender's cards.
        self.limit(Kind::Card, inc)?;
        let sender = self.person(inc);
        // Three of their cards reported as hurtful: no more cards this campaign. Fail-open
        // (the store unavailable): the moderation above still holds.
        if let Some(year) = self.current_campaign().map(|c| c.year) {
            match self.store.is_blocked(year, &sender).await {
                Ok(true) => return Err(Oops::new("error-card-blocked")),
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "could not check whether a sender is blocked"),
            }
        }
        // The day's cap again, from the database: other processes may have sent this
        // person's cards. Fail-open: the per-process count above still holds.
        let today = ruban_store::clock::day_string(ruban_store::export::today());
        match self.store.cards_sent_on(&sender, &today).await {
            Ok(sent) if sent >= i64::from(self.limits.cards_per_day()) => return Err(Oops::from(Refusal::DailyCap)),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not count today's cards; the per-process cap applies"),
        }
        let from_raw = match self.store.profile(&sender).await {
            Ok(Some(Profile { public_name: Some(n), .. })) => n,
            _ => inc.user.display_name.clone(),
        };
        // A display name that does not pass (or that no bundled font draws) is simply left
        // off the card.
        let from = checked_name(&from_raw).ok().filter(|n| self.drawable(n.as_str()).is_ok());
        let design = design.unwrap_or(Design::Encourager);
        // No message typed: one of the design's suggestions, at random for each card (a
        // class writing to the same Léa sends her different words).
        let drawn = match &message {
            Some(m) => m.clone(),
            None => self.suggested(l, design)?,
        };
        let spec = CardSpec { to: to.clone(), from, message: Some(drawn), design, locale: l };
        let design_id = spec.design.id();
        // Between campaigns, with none announced, the card carries no year.
        let edition = self.current_campaign().cloned();
        let png = self
            .render("card", move |assets| {
                card_renderer::into_png(card_renderer::render_card_in(assets, &spec, edition.as_ref()))
            })
            .await?;
        let Some(year) = self.current_campaign().map(|c| c.year) else {
            // Nothing to count it in nor a wall to post it on: the card is sent, not kept.
            let name_arg = [("name", FluentValue::from(to.as_str().to_owned()))];
            return Ok(Reply::one(OutMessage {
                text: self.t(l, "card-sent", &name_arg),
                images: vec![Attachment {
                    bytes: Arc::new(png),
                    file_name: format!("{}.png", file_stem(&self.t(l, "file-card", &[]), to.as_str())),
                    alt: self.t(l, "card-alt", &name_arg),
                }],
                ..OutMessage::default()
            }));
        };
        let card_id = self
            .store
            .record_card(&NewCard {
                campaign: year,
                sender_key: Some(sender.clone()),
                recipient_key: inc
                    .target
                    .as_ref()
                    .and_then(|t| t.id.as_ref())
                    .map(|id| self.keys.person(&inc.platform, id)),
                design: design_id.to_owned(),
                platform: inc.platform.clone(),
                wall_entry: None,
            })
            .await?;
        let mut buttons = Vec::new();
        if let Some(m) = &message {
            // Offered in the store, so the button works from any process, and never after the
            // author's forget-me. Fail-open: the card is sent without the button.
            let offer =
                PendingPost { author_key: sender, message: m.as_str().to_owned(), platform: inc.platform.clone() };
            match self.store.offer_wall_post(card_id, &offer).await {
                Ok(()) => buttons.push(Button {
                    id: ButtonId::PostToWall(card_id).encode(),
                    label: self.t(l, "card-post-wall", &[]),
                }),
                Err(e) => tracing::warn!(error = %e, "could not offer the card's message for the wall"),
            }
        }
        // In a chat others see, whoever the card hurt can report it (see `report`).
        if !inc.chat.private {
            buttons.push(Button { id: ButtonId::Report(card_id).encode(), label: self.t(l, "card-report", &[]) });
        }
        let name_arg = [("name", FluentValue::from(to.as_str().to_owned()))];
        Ok(Reply::one(OutMessage {
            text: self.t(l, "card-sent", &name_arg),
            images: vec![Attachment {
                bytes: Arc::new(png),
                file_name: format!("{}.png", file_stem(&self.t(l, "file-card", &[]), to.as_str())),
                alt: self.t(l, "card-alt", &name_arg),
            }],
            buttons,
            ..OutMessage::default()
        }))
    }

    /// One of the design's suggested messages, picked at random.
    pub(crate) fn suggested(&self, l: Locale, design: Design) -> Result<Message, Oops> {
        let all = self.texts.design_suggestions(l, design);
        let pick = all.get(rand::random_range(0..all.len().max(1))).ok_or(Oops::new("error-internal"))?;
        Message::parse(pick).map_err(text_error)
    }
}
