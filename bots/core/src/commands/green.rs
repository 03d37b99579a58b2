//! `/vert` (`/green`): on Jeudi perséVERT, everyone wears green, takes a photo and shares it.
//! The photo comes back framed in the ribbon's green and white with « Jeudi perséVERT » and the
//! green wave's hashtag, ready to share, and one more joins the wave shown on the wall and in
//! the totals. The photo is processed in memory and never stored; only the count is.

use super::prelude::*;

impl Bot {
    pub(crate) async fn green(&self, inc: &Incoming, l: Locale, photo: Option<Photo>) -> Result<Reply, Oops> {
        let Some(photo) = photo else {
            // Typed alone: how to send one, in this platform's words.
            return Err(Oops::new(match inc.platform.as_str() {
                "telegram" => "green-needs-photo-telegram",
                "discord" => "green-needs-photo-discord",
                _ => "green-needs-photo",
            }));
        };
        self.limit(Kind::Photo, inc)?;
        // Its share of the process's memory before a pixel exists: a few large photos at once
        // wait their turn rather than outgrow the process (and then are told to come back).
        let need = card_renderer::photo::decoding_bytes(&photo.0);
        let Some(_share) = self.budget.take(need, crate::BUDGET_WAIT).await else {
            metrics::counter!("ruban_budget_refused_total", "door" => "photo").increment(1);
            return Err(Oops::new("error-busy"));
        };
        let edition = self.current_campaign().cloned();
        let tag = edition.as_ref().map(|c| c.persevert_hashtag().to_owned());
        let bytes = photo.0.clone();
        let jpeg = self
            .render("green", move |a| {
                let framed = card_renderer::render_green(a, &bytes, l, edition.as_ref())?;
                let jpeg = card_renderer::encode::jpeg(&framed, 88);
                card_renderer::recycle(framed);
                jpeg
            })
            .await?;
        let text = match (self.current_campaign().map(|c| c.year), tag) {
            (Some(year), Some(tag)) => {
                let counted = GreenPhoto {
                    campaign: year,
                    platform: inc.platform.clone(),
                    person_key: Some(self.person(inc)),
                    class_code: (inc.platform == CLASS_PAGE)
                        .then(|| inc.chat.id.trim_start_matches("classe:").to_owned()),
                };
                // Fail-open: the photo is framed even when the count cannot be kept.
                if let Err(e) = self.store.count_green_photo(&counted).await {
                    tracing::warn!(error = %e, "a green photo was not counted");
                }
                let wave = self.store.green_photos(year).await.unwrap_or(0);
                let args = [
                    ("hashtag", FluentValue::from(tag)),
                    ("count", wave.into()),
                    ("formatted", format_number(l, wave as u64).into()),
                ];
                self.t(l, "green-ready", &args)
            }
            // Between campaigns, with none announced: framed, not counted.
            _ => self.t(l, "green-ready-no-campaign", &[]),
        };
        metrics::counter!("ruban_green_photos_total").increment(1);
        Ok(Reply::one(OutMessage {
            text,
            images: vec![Attachment {
                bytes: Arc::new(jpeg),
                file_name: "persevert.jpg".into(),
                alt: self.t(l, "green-alt", &[]),
            }],
            ..OutMessage::default()
        }))
    }
}
