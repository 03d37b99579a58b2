//! `/totaux`: the organizers' figures, a chart and a CSV.

use super::prelude::*;

impl Bot {
    pub(crate) async fn totals(&self, inc: &Incoming, l: Locale) -> Result<Reply, Oops> {
        if !inc.is_organizer {
            return Err(Oops::new("error-organizers-only"));
        }
        self.limit(Kind::Other, inc)?;
        let year = self.campaign().year;
        let rows = self.store.totals(year, GroupBy::Day).await?;
        let mut csv = Vec::new();
        ruban_store::export::write_totals(
            &mut csv,
            year,
            GroupBy::Day,
            &rows,
            ExportFormat::Csv {
                excel: true,
                // Excel in French reads `;` files; in English, `,`.
                semicolon: l == Locale::FrCa,
            },
        )?;
        let total: i64 = rows.iter().map(|r| r.pledges).sum();
        let green = self.store.green_photos(year).await?;
        let bars: Vec<(String, u64, bool)> = rows
            .iter()
            .map(|r| {
                let label = time::Date::parse(&r.key, time::macros::format_description!("[year]-[month]-[day]"))
                    .map(|d| format!("{} {}", d.day(), self.t(l, &format!("month-{}", u8::from(d.month())), &[])))
                    .unwrap_or_else(|_| r.key.clone());
                (label, r.pledges as u64, r.persevert == Some(true))
            })
            .collect();
        let spec = card_renderer::ChartSpec { title: self.t(l, "totals-alt", &[]), bars, locale: l };
        let png = self.render("chart", move |a| card_renderer::into_png(card_renderer::render_chart(a, &spec))).await?;
        Ok(Reply::one(OutMessage {
            text: self.t(
                l,
                "totals-summary",
                &[
                    ("year", year.into()),
                    ("formatted", format_number(l, total as u64).into()),
                    ("green_count", green.into()),
                    ("green", format_number(l, green as u64).into()),
                ],
            ),
            images: vec![Attachment {
                bytes: Arc::new(png),
                file_name: "totaux.png".into(),
                alt: self.t(l, "totals-alt", &[]),
            }],
            files: vec![Attachment {
                bytes: Arc::new(csv),
                file_name: format!("totaux-{year}.csv"),
                alt: String::new(),
            }],
            private: true,
            ..OutMessage::default()
        }))
    }
}
