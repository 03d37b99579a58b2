//! « Signaler » under a card: a report, a strike, the card off the wall.

use super::prelude::*;

impl Bot {
    /// « Signaler » under a card: its recipient, or an adult responsible for the chat (an
    /// administrator), reports it. The card leaves the wall at once, the report reaches the
    /// organizers' queue, and its sender gets a strike (three block their cards for the
    /// campaign). Anyone else is told who may report; nobody is ever told who sent it.
    pub(crate) async fn report(&self, inc: &Incoming, l: Locale, id: i64) -> Result<Reply, Oops> {
        let private = |text: String| Reply::one(OutMessage { text, private: true, ..OutMessage::default() });
        let card = self.store.card_for_report(id).await?.ok_or(Oops::new("error-unknown-button"))?;
        let person = self.person(inc);
        let recipient = card.recipient_key.as_deref() == Some(person.as_str());
        let adult_in_charge = inc.is_admin && !inc.chat.private;
        if !(recipient || adult_in_charge) {
            return Ok(private(self.t(l, "report-not-yours", &[])));
        }
        let reported = self.store.report_card(&card, &person, &inc.platform).await?;
        if reported.new {
            tracing::info!(blocked = reported.blocked, "a card was reported");
            metrics::counter!("ruban_cards_reported_total").increment(1);
        }
        Ok(private(self.t(l, "report-thanks", &[])))
    }
}
