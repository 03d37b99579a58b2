//! `/ruban [NOM]`: a pledge to wear the ribbon, its numbered badge, then the wall and region
//! questions.

use super::prelude::*;

impl Bot {
    pub(crate) async fn ribbon(&self, inc: &Incoming, l: Locale, name: Option<String>) -> Result<Reply, Oops> {
        let name = name.map(|n| checked_name(&n)).transpose()?;
        // Between campaigns: the next one if announced, else a kind word and nothing stored.
        let campaign = self.joinable()?.clone();
        let early = self.clock().today() < campaign.start;
        self.limit(Kind::Pledge, inc)?;
        let person = self.person(inc);
        let mut profile = self.store.profile(&person).await?.unwrap_or_default();
        if let Some(n) = &name {
            profile.public_name = Some(n.as_str().to_owned());
            self.store.set_profile(&person, &profile).await?;
        }
        let pledge = self
            .store
            .pledge(PledgeRequest {
                campaign: campaign.year,
                person_key: person,
                platform: inc.platform.clone(),
                chat_key: (!inc.chat.private).then(|| self.chat(inc)),
                region: None,
                organization: None,
            })
            .await?;
        let shown = profile.public_name.as_deref().and_then(|n| Name::parse(n).ok());
        let date = ruban_vocabulary::clock::montreal_day(pledge.at_ms);
        let spec = BadgeSpec { name: shown, number: pledge.number as u64, date, locale: l, size: BadgeSize::Large };
        let year = campaign.year;
        let png = self
            .render("badge", move |a| {
                card_renderer::into_png(card_renderer::render_badge_in(a, &spec, Some(&campaign)))
            })
            .await?;
        let number = [("number", FluentValue::from(format_number(l, pledge.number as u64)))];
        let mut text = self.t(l, if pledge.created { "ribbon-new" } else { "ribbon-again" }, &number);
        if early && let Some(c) = self.current_campaign().filter(|c| c.year == year) {
            let args = [("year", FluentValue::from(year.to_string())), ("date", self.texts.date(l, c.start).into())];
            text = format!("{text}\n{}", self.t(l, "ribbon-early", &args));
        }
        let mut messages = vec![OutMessage {
            text,
            images: vec![Attachment {
                bytes: Arc::new(png),
                file_name: format!("ruban-{}.png", pledge.number),
                alt: self.t(l, "ribbon-alt", &number),
            }],
            ..OutMessage::default()
        }];
        if pledge.created {
            messages.push(OutMessage {
                text: self.t(l, "ribbon-ask-wall", &[]),
                buttons: vec![
                    Button { id: ButtonId::WallConsent(true).encode(), label: self.t(l, "ribbon-wall-yes", &[]) },
                    Button { id: ButtonId::WallConsent(false).encode(), label: self.t(l, "ribbon-wall-no", &[]) },
                ],
                private: true,
                ..OutMessage::default()
            });
            messages.push(OutMessage {
                text: self.t(l, "ribbon-ask-region", &[]),
                buttons: self
                    .store
                    .regions()
                    .iter()
                    .map(|r| Button {
                        id: ButtonId::Region(r.code.clone()).encode(),
                        label: r.name(l.tag()).to_owned(),
                    })
                    .collect(),
                private: true,
                ..OutMessage::default()
            });
            // Once, optionally: young person or adult, for the campaign's figures.
            messages.push(OutMessage {
                text: self.t(l, "ribbon-ask-age", &[]),
                buttons: [
                    (Some(ruban_store::AgeGroup::Youth), "ribbon-age-youth"),
                    (Some(ruban_store::AgeGroup::Adult), "ribbon-age-adult"),
                    (None, "ribbon-age-unsaid"),
                ]
                .into_iter()
                .map(|(group, label)| Button { id: ButtonId::AgeGroup(group).encode(), label: self.t(l, label, &[]) })
                .collect(),
                private: true,
                ..OutMessage::default()
            });
        }
        Ok(Reply { messages })
    }
}
