//! `/carte NOM [design] [message]`: an encouragement card for someone, drawn, counted, with
//! « Afficher sur le babillard » when a message was typed and « Signaler » where others see it.
//! A message the moderation scorer is unsure of is not drawn: in a class it waits for the
//! adult in charge (see [`Bot::approve_held_card`]); elsewhere its sender says it another way.

use ruban_store::NewHeldCard;

use super::prelude::*;
use crate::moderation::Category;

/// Platforms where an approved card reaches its chat later: the adapters that take the
/// store's outbox (the class page shows it to the adult instead; the playground only answers
/// requests, so a card there is asked another way).
const DELIVERED_LATER: [&str; 2] = ["telegram", "discord"];

/// Who a card is from and for, and where it goes.
struct CardFor<'a> {
    platform: &'a str,
    sender: &'a str,
    /// The name the card is signed with: the sender's public name, else the platform's.
    signature: Option<&'a str>,
    recipient_key: Option<String>,
    /// Whether others see the chat (the card then carries « Signaler »).
    public: bool,
}

impl Bot {
    pub(crate) async fn card(
        &self,
        inc: &Incoming,
        l: Locale,
        from: &Sender,
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
        let (message, doubt) = match message.map(|m| weighed_message(&m)).transpose()? {
            Some((m, doubt)) => (Some(m), doubt),
            None => (None, None),
        };
        self.drawable(to.as_str())?;
        if let Some(m) = &message {
            self.drawable(m.as_str())?;
        }
        // Checked after validation: a refused text does not use up the sender's cards.
        self.limit(Kind::Card, inc)?;
        let sender = self.person(inc);
        // Read with the sender, once for the event ([`Bot::handle`]); an unknown sender when
        // the store could not answer (fail-open: the moderation above still holds).
        // Three of their cards reported as hurtful: no more cards this campaign.
        if from.blocked {
            return Err(Oops::new("error-card-blocked"));
        }
        // The day's cap again, from the database: other processes may have sent this
        // person's cards (the per-process count above holds too).
        if from.cards_today >= i64::from(self.limits.cards_per_day()) {
            return Err(Oops::from(Refusal::DailyCap));
        }
        // No design named: the one whose headline says what the message says (« You did it! »
        // under "You did it!", not "Don't give up!"), else the encouragement.
        let design =
            design.or_else(|| message.as_ref().and_then(|m| fitting_design(m.as_str()))).unwrap_or(Design::Encourager);
        let recipient_key =
            inc.target.as_ref().and_then(|t| t.id.as_ref()).map(|id| self.keys.person(&inc.platform, id));
        if let (Some(category), Some(m)) = (doubt, &message) {
            return self.hold(inc, l, &sender, recipient_key, &to, m, design, category).await;
        }
        let signed = from.profile.as_ref().and_then(|p| p.public_name.as_deref()).unwrap_or(&inc.user.display_name);
        let whom = CardFor {
            platform: &inc.platform,
            sender: &sender,
            signature: Some(signed),
            recipient_key,
            public: !inc.chat.private,
        };
        Ok(Reply::one(self.draw_card(l, &whom, &to, message.as_ref(), design).await?))
    }

    /// Draws, counts and offers a card (the wall button, « Signaler »): a card typed now, or
    /// one an adult approved.
    async fn draw_card(
        &self,
        l: Locale,
        whom: &CardFor<'_>,
        to: &Name,
        message: Option<&Message>,
        design: Design,
    ) -> Result<OutMessage, Oops> {
        // A signature that does not pass (or that no bundled font draws) is simply left off
        // the card.
        let from = whom.signature.and_then(|raw| checked_name(raw).ok()).filter(|n| self.drawable(n.as_str()).is_ok());
        // No message typed: one of the design's suggestions, at random for each card (a
        // class writing to the same Léa sends her different words).
        let drawn = match message {
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
        let name_arg = [("name", FluentValue::from(to.as_str().to_owned()))];
        let image = Attachment {
            bytes: Arc::new(png),
            file_name: format!("{}.png", file_stem(&self.t(l, "file-card", &[]), to.as_str())),
            alt: self.t(l, "card-alt", &name_arg),
        };
        let Some(year) = self.current_campaign().map(|c| c.year) else {
            // Nothing to count it in nor a wall to post it on: the card is sent, not kept.
            return Ok(OutMessage {
                text: self.t(l, "card-sent", &name_arg),
                images: vec![image],
                ..OutMessage::default()
            });
        };
        let card_id = self
            .store
            .record_card(&NewCard {
                campaign: year,
                sender_key: Some(whom.sender.to_owned()),
                recipient_key: whom.recipient_key.clone(),
                design: design_id.to_owned(),
                platform: whom.platform.to_owned(),
                wall_entry: None,
            })
            .await?;
        let mut buttons = Vec::new();
        if let Some(m) = message {
            // Offered in the store, so the button works from any process, and never after the
            // author's forget-me. Fail-open: the card is sent without the button.
            let offer = PendingPost {
                author_key: whom.sender.to_owned(),
                message: m.as_str().to_owned(),
                platform: whom.platform.to_owned(),
            };
            match self.store.offer_wall_post(card_id, &offer).await {
                Ok(()) => buttons.push(Button {
                    id: ButtonId::PostToWall(card_id).encode(),
                    label: self.t(l, "card-post-wall", &[]),
                }),
                Err(e) => tracing::warn!(error = %e, "could not offer the card's message for the wall"),
            }
        }
        // In a chat others see, whoever the card hurt can report it (see `report`).
        if whom.public {
            buttons.push(Button { id: ButtonId::Report(card_id).encode(), label: self.t(l, "card-report", &[]) });
        }
        Ok(OutMessage {
            text: self.t(l, "card-sent", &name_arg),
            images: vec![image],
            buttons,
            ..OutMessage::default()
        })
    }

    /// A card the scorer is unsure of: kept, not drawn, for the adult in charge of the class
    /// (the teacher's page), and its sender told kindly. Where no adult is in charge (a private
    /// chat, a chat with no open class), the sender is asked to say it another way instead.
    #[allow(clippy::too_many_arguments)] // One card's facts, each distinct.
    async fn hold(
        &self,
        inc: &Incoming,
        l: Locale,
        sender: &str,
        recipient_key: Option<String>,
        to: &Name,
        message: &Message,
        design: Design,
        category: Category,
    ) -> Result<Reply, Oops> {
        let Some(class_code) = self.class_in_charge(inc).await else {
            return Err(Oops::new("error-moderation-uncertain"));
        };
        let held = NewHeldCard {
            class_code,
            sender_key: sender.to_owned(),
            platform: inc.platform.clone(),
            chat: (inc.platform != CLASS_PAGE).then(|| inc.chat.id.clone()),
            recipient: to.as_str().to_owned(),
            recipient_key,
            message: message.as_str().to_owned(),
            design: design.id().to_owned(),
            locale: l.tag().to_owned(),
            category: category.name().to_owned(),
        };
        self.store.hold_card(&held).await?;
        // The category only: the text may be a child's words about themself.
        tracing::info!(category = %category, "card held for the adult of its class");
        metrics::counter!("ruban_moderation_held_total", "category" => category.name()).increment(1);
        let name_arg = [("name", FluentValue::from(to.as_str().to_owned()))];
        Ok(Reply::one(OutMessage {
            text: self.t(l, "card-held", &name_arg),
            private: true,
            awaits_adult: true,
            ..OutMessage::default()
        }))
    }

    /// The open class whose adult decides for a card written in `inc`'s chat, if any.
    async fn class_in_charge(&self, inc: &Incoming) -> Option<String> {
        if inc.platform == CLASS_PAGE {
            return inc.chat.id.strip_prefix("classe:").map(str::to_owned);
        }
        if inc.chat.private || !DELIVERED_LATER.contains(&inc.platform.as_str()) {
            return None;
        }
        match self.store.open_class_in_chat(&self.chat(inc)).await {
            Ok(class) => class.map(|c| c.code),
            Err(e) => {
                tracing::warn!(error = %e, "could not find the class of a chat; the card is asked another way");
                None
            }
        }
    }

    /// An adult approves held card `id` (of class `class`, or any for organizers): it is
    /// drawn and counted now. A card from a chat is left in the outbox for its platform, which
    /// posts it there; a card from the class page is handed back, for the adult to show or
    /// print. `None` when it is no longer waiting (decided in another tab, or expired); the
    /// error is a sentence for the adult, in `l`.
    pub async fn approve_held_card(&self, l: Locale, class: Option<&str>, id: i64) -> Result<Option<Approved>, String> {
        self.approve_held(class, id).await.map_err(|Oops(id, args)| self.t_adult(l, id, &args))
    }

    async fn approve_held(&self, class: Option<&str>, id: i64) -> Result<Option<Approved>, Oops> {
        let Some(ruban_store::HeldCard { card: held, .. }) = self.store.take_held_card(id, class).await? else {
            return Ok(None);
        };
        // The card speaks the sender's language, whatever the adult's.
        let l: Locale = held.locale.parse().unwrap_or(Locale::FrCa);
        let design: Design = held.design.parse().unwrap_or(Design::Encourager);
        let to = Name::parse(&held.recipient).map_err(text_error)?;
        let message = Message::parse(&held.message).map_err(text_error)?;
        // Signed with the public name the sender chose (the platform's name is not kept).
        let profile = self.store.profile(&held.sender_key).await?;
        let whom = CardFor {
            platform: &held.platform,
            sender: &held.sender_key,
            signature: profile.as_ref().and_then(|p| p.public_name.as_deref()),
            recipient_key: held.recipient_key.clone(),
            public: held.chat.is_some(),
        };
        let card = self.draw_card(l, &whom, &to, Some(&message), design).await?;
        tracing::info!(category = %held.category, "a held card was approved");
        metrics::counter!("ruban_moderation_approved_total").increment(1);
        match &held.chat {
            Some(chat) => {
                let image = card.images.first().ok_or(Oops::new("error-internal"))?;
                let buttons: Vec<(String, String)> =
                    card.buttons.iter().map(|b| (b.id.clone(), b.label.clone())).collect();
                let buttons = serde_json::to_string(&buttons).map_err(|_| Oops::new("error-internal"))?;
                self.store
                    .queue_outgoing(&ruban_store::NewOutgoing {
                        platform: held.platform.clone(),
                        chat: chat.clone(),
                        // Said to the chat, not to the sender: « Une carte pour Léa! ».
                        text: self.t(l, "card-delivered", &[("name", FluentValue::from(to.as_str().to_owned()))]),
                        file_name: image.file_name.clone(),
                        alt: image.alt.clone(),
                        image: image.bytes.as_ref().clone(),
                        buttons,
                    })
                    .await?;
                Ok(Some(Approved { card, sent_to_chat: true }))
            }
            None => Ok(Some(Approved { card, sent_to_chat: false })),
        }
    }

    /// An adult decides held card `id` is not sent: it is deleted, nothing is drawn. False
    /// when it was no longer waiting; the error is a sentence for the adult, in `l`.
    pub async fn drop_held_card(&self, l: Locale, class: Option<&str>, id: i64) -> Result<bool, String> {
        let taken = self.store.take_held_card(id, class).await;
        let dropped = taken.map_err(|e| self.t_adult(l, Oops::from(e).0, &[]))?.is_some();
        if dropped {
            metrics::counter!("ruban_moderation_dropped_total").increment(1);
        }
        Ok(dropped)
    }

    /// The next approved card waiting for `platform` to post it, leased to this process for a
    /// minute: the chat's id and the message. Call [`Bot::sent_outgoing`] once posted.
    pub async fn take_outgoing(&self, platform: &str) -> Option<(i64, String, OutMessage)> {
        let taken = match self.store.take_outgoing(platform).await {
            Ok(taken) => taken?,
            Err(e) => {
                tracing::warn!(error = %e, "could not read the outbox");
                return None;
            }
        };
        let buttons: Vec<(String, String)> = serde_json::from_str(&taken.buttons).unwrap_or_default();
        let message = OutMessage {
            text: taken.text,
            images: vec![Attachment { bytes: Arc::new(taken.image), file_name: taken.file_name, alt: taken.alt }],
            buttons: buttons.into_iter().map(|(id, label)| Button { id, label }).collect(),
            ..OutMessage::default()
        };
        Some((taken.id, taken.chat, message))
    }

    /// An approved card was posted: it leaves the outbox.
    pub async fn sent_outgoing(&self, id: i64) {
        if let Err(e) = self.store.sent_outgoing(id).await {
            tracing::warn!(error = %e, "could not clear a sent card from the outbox; it may be sent again");
        }
    }

    /// One of the design's suggested messages, picked at random.
    pub(crate) fn suggested(&self, l: Locale, design: Design) -> Result<Message, Oops> {
        let all = self.texts.design_suggestions(l, design);
        let pick = all.get(rand::random_range(0..all.len().max(1))).ok_or(Oops::new("error-internal"))?;
        Message::parse(pick).map_err(text_error)
    }
}

/// Words that say which design a message is (folded: lowercase, no accents, one space), the
/// headlines of both languages first.
const DESIGN_WORDS: [(Design, &[&str]); 7] = [
    (
        Design::Reussir,
        &["you did it", "mission accomplie", "tu as reussi", "t as reussi", "you made it", "tu l as fait"],
    ),
    (Design::Merci, &["merci", "thank you", "thanks"]),
    (Design::Celebrer, &["bravo", "way to go", "congrats", "congratulations", "felicitations", "well done"]),
    (Design::Reconnaitre, &["chapeau", "hats off", "je suis fier", "je suis fiere", "proud of you"]),
    (Design::Oser, &["fonce", "go for it", "ose", "you can do it", "tu es capable", "t es capable"]),
    (Design::Investir, &["continue", "keep going", "keep it up", "keep up"]),
    (Design::Encourager, &["lache pas", "don t give up", "never give up", "courage"]),
];

/// The design whose headline a message echoes, by the whole words it holds (see
/// [`DESIGN_WORDS`]); `None` when none does.
fn fitting_design(message: &str) -> Option<Design> {
    use unicode_normalization::UnicodeNormalization;
    let folded: String = message
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' })
        .collect();
    let folded = format!(" {} ", folded.split_whitespace().collect::<Vec<_>>().join(" "));
    DESIGN_WORDS
        .iter()
        .find(|(_, words)| words.iter().any(|w| folded.contains(&format!(" {w} "))))
        .map(|(design, _)| *design)
}

/// A held card an adult approved, drawn.
#[derive(Debug, Clone)]
pub struct Approved {
    /// The card as drawn.
    pub card: OutMessage,
    /// Whether it went to its chat's outbox (else it is for the adult to show or print).
    pub sent_to_chat: bool,
}

#[cfg(test)]
mod tests {
    use super::{Design, fitting_design};

    #[test]
    fn a_typed_message_gets_the_headline_it_echoes() {
        assert_eq!(fitting_design("You did it!"), Some(Design::Reussir));
        assert_eq!(fitting_design("Mission accomplie, Maya!"), Some(Design::Reussir));
        assert_eq!(fitting_design("Merci pour ton aide"), Some(Design::Merci));
        assert_eq!(fitting_design("Bravo pour ton exposé"), Some(Design::Celebrer));
        assert_eq!(fitting_design("Lâche pas!"), Some(Design::Encourager));
        assert_eq!(fitting_design("Keep going, you're almost there"), Some(Design::Investir));
        assert_eq!(fitting_design("Ton dessin est beau"), None);
        // Inside another word, nothing: « osera » is not « ose », "Thanksgiving" thanks nobody.
        assert_eq!(fitting_design("Il osera demain"), None);
        assert_eq!(fitting_design("Bon Thanksgiving"), None);
    }
}
