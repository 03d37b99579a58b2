//! Pupils without a device (issue 15, part 5): the adult in charge of a class records that « 24
//! élèves de 5e B » pledged, without each pupil clicking. Each pupil is a seat of the class: a
//! pseudonymous key made from the class and the seat's number, joined like a click (numbered in
//! the green wave, on the wall and in the totals, as pupils of the class). No name is kept, and
//! recording the same number again counts nobody twice: 24 then 26 adds two.

use super::prelude::*;

/// The most seats recorded at once: a class, or a large group.
pub const MAX_CLASS_SEATS: i64 = 100;

impl Bot {
    /// Records that `seats` pupils of class `code` pledged; answers the sentence that says the
    /// class's count now, and its class badge (PNG). Refused, changing nothing, when the class
    /// is closed or unknown, or the number is not 1 to [`MAX_CLASS_SEATS`].
    pub async fn record_class_seats(&self, l: Locale, code: &str, seats: i64) -> Result<(String, Attachment), String> {
        let said = |o: Oops| self.t_adult(l, o.0, &o.1);
        if !(1..=MAX_CLASS_SEATS).contains(&seats) {
            return Err(self.t(l, "error-seats-range", &[("max", MAX_CLASS_SEATS.into())]));
        }
        validate::class_code(code).map_err(|_| said(Oops::new("error-unknown-button")))?;
        let session = self.store.class_by_code(code).await.map_err(Oops::from).map_err(said)?;
        let session = session.filter(|s| s.is_open).ok_or_else(|| said(Oops::new("error-class-closed")))?;
        // The writer groups these joins into a few transactions.
        let joins = (1..=seats).map(|seat| {
            self.store.join_class(JoinRequest {
                code: code.to_owned(),
                person_key: self.keys.person("seat", &format!("{code}:{seat}")),
                platform: CLASS_PAGE.to_owned(),
                first_name: None,
            })
        });
        let joined = futures_util::future::try_join_all(joins).await.map_err(Oops::from).map_err(said)?;
        let added = joined.iter().filter(|j| j.newly_joined).count();
        tracing::info!(seats, added, "a class's pupils without a device were recorded");
        let summary = self.store.class_summary(code).await.map_err(Oops::from).map_err(said)?;
        let class = session.class_name.clone().unwrap_or_default();
        let png = self.class_badge_png(l, &summary).await.map_err(said)?;
        let args = [
            ("kind", super::class::kind(&session)),
            ("class", FluentValue::from(class.clone())),
            ("added", (added as i64).into()),
            ("count", summary.members.into()),
            ("formatted", format_number(l, summary.members as u64).into()),
        ];
        Ok((
            self.t(l, "seats-recorded", &args),
            Attachment {
                bytes: Arc::new(png),
                file_name: format!("{}.png", file_stem(&self.t(l, "file-class", &[]), &class)),
                alt: self.t(l, "class-badge-alt", &[("class", class.into()), ("kind", super::class::kind(&session))]),
            },
        ))
    }
}
