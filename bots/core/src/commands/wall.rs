//! `/mur`: the wall of support as an image, with today's count.

use super::prelude::*;

impl Bot {
    pub(crate) async fn wall(&self, inc: &Incoming, l: Locale) -> Result<Reply, Oops> {
        self.limit(Kind::Other, inc)?;
        let year = self.campaign().year;
        let total = self.store.count(year).await?;
        let today = ruban_vocabulary::clock::day_string(self.clock().today());
        let today_count =
            self.store.totals(year, GroupBy::Day).await?.into_iter().find(|r| r.key == today).map_or(0, |r| r.pledges);
        let neutral = self.t(l, "wall-neutral-name", &[]);
        let entries: Vec<(String, String)> = self
            .store
            .wall(year, 4, false)
            .await?
            .into_iter()
            .map(|w| (w.author_name.unwrap_or_else(|| neutral.clone()), w.message))
            .collect();
        let formatted = format_number(l, total as u64);
        let summary = self.t(
            l,
            "wall-summary",
            &[
                ("total", total.into()),
                ("formatted", formatted.clone().into()),
                ("today", format_number(l, today_count as u64).into()),
            ],
        );
        let spec = card_renderer::WallSpec {
            title: self.t(l, "wall-title", &[]),
            total: formatted.clone(),
            summary: summary.clone(),
            entries,
            locale: l,
        };
        let edition = self.current_campaign().cloned();
        let png = self
            .render("wall", move |a| card_renderer::into_png(card_renderer::render_wall_in(a, &spec, edition.as_ref())))
            .await?;
        Ok(Reply::one(OutMessage {
            text: summary,
            images: vec![Attachment {
                bytes: Arc::new(png),
                file_name: "mur.png".into(),
                alt: self.t(l, "wall-alt", &[("formatted", formatted.into())]),
            }],
            ..OutMessage::default()
        }))
    }
}
