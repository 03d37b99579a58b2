//! Rate limits per person and per chat (cards, pledges, class sessions) and a daily cap of
//! cards per sender, so a child (or a script) cannot flood a class chat.
//!
//! Short-term limits use `governor` (GCRA) and are per process: with several processes a
//! person may get that allowance once per process. The daily cap is checked by the core from
//! the cards in the database, so it holds across processes; the count kept here is what still
//! holds (in this process) when the database cannot be asked.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// What is being limited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A card.
    Card,
    /// A ribbon pledge.
    Pledge,
    /// Opening a class session.
    Class,
    /// A photo framed (`/vert`): an image to draw, so the cards' per-minute pace, but not
    /// their daily cap (a photo is not a card sent to someone).
    Photo,
    /// Anything else (help, wall…).
    Other,
}

/// The limits, adjustable by configuration.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Cards per person per minute.
    pub cards_per_minute: u32,
    /// Cards per sender per day.
    pub cards_per_day: u32,
    /// Commands per person per minute (all kinds).
    pub commands_per_minute: u32,
    /// Messages the bot answers per chat per minute.
    pub chat_per_minute: u32,
    /// Class sessions opened per chat per hour.
    pub classes_per_hour: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            cards_per_minute: 6,
            cards_per_day: 40,
            commands_per_minute: 20,
            chat_per_minute: 120,
            classes_per_hour: 6,
        }
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Too fast: try again in a moment.
    SlowDown,
    /// The day's cap is reached.
    DailyCap,
}

/// The limiter.
pub struct RateLimits {
    limits: Limits,
    cards: DefaultKeyedRateLimiter<String>,
    person: DefaultKeyedRateLimiter<String>,
    chat: DefaultKeyedRateLimiter<String>,
    classes: DefaultKeyedRateLimiter<String>,
    daily: Mutex<(String, HashMap<String, u32>)>,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits").field("limits", &self.limits).finish_non_exhaustive()
    }
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl RateLimits {
    /// Limiters with these limits.
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            cards: RateLimiter::keyed(per_minute(limits.cards_per_minute)),
            person: RateLimiter::keyed(per_minute(limits.commands_per_minute)),
            chat: RateLimiter::keyed(per_minute(limits.chat_per_minute)),
            classes: RateLimiter::keyed(Quota::per_hour(
                NonZeroU32::new(limits.classes_per_hour.max(1)).unwrap_or(NonZeroU32::MIN),
            )),
            daily: Mutex::new((String::new(), HashMap::new())),
        }
    }

    /// Cards one person may send per day.
    pub fn cards_per_day(&self) -> u32 {
        self.limits.cards_per_day
    }

    /// Checks and counts one action by `person` in `chat` on `day` (YYYY-MM-DD, Montreal).
    pub fn check(&self, kind: Kind, person: &str, chat: &str, day: &str) -> Result<(), Refusal> {
        let person = person.to_owned();
        self.person.check_key(&person).map_err(|_| Refusal::SlowDown)?;
        self.chat.check_key(&chat.to_owned()).map_err(|_| Refusal::SlowDown)?;
        match kind {
            Kind::Card => {
                let mut daily = self.daily.lock().unwrap_or_else(|e| e.into_inner());
                if daily.0 != day {
                    // A new day: yesterday's counters go (this also bounds the map's size).
                    *daily = (day.to_owned(), HashMap::new());
                }
                let sent = daily.1.get(&person).copied().unwrap_or(0);
                if sent >= self.limits.cards_per_day {
                    return Err(Refusal::DailyCap);
                }
                self.cards.check_key(&person).map_err(|_| Refusal::SlowDown)?;
                daily.1.insert(person, sent + 1);
            }
            Kind::Class => self.classes.check_key(&chat.to_owned()).map_err(|_| Refusal::SlowDown)?,
            Kind::Photo => self.cards.check_key(&person).map_err(|_| Refusal::SlowDown)?,
            Kind::Pledge | Kind::Other => {}
        }
        // Keep the limiters' memory bounded in a long-running process.
        if self.person.len() > 100_000 {
            self.person.retain_recent();
            self.cards.retain_recent();
            self.chat.retain_recent();
            self.classes.retain_recent();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_slow_down_then_cap_per_day() {
        let limits = Limits { cards_per_minute: 3, cards_per_day: 5, ..Limits::default() };
        let r = RateLimits::new(limits);
        for _ in 0..3 {
            assert_eq!(r.check(Kind::Card, "a", "c", "2026-02-19"), Ok(()));
        }
        assert_eq!(r.check(Kind::Card, "a", "c", "2026-02-19"), Err(Refusal::SlowDown));
        // Another person is not slowed by the first.
        assert_eq!(r.check(Kind::Card, "b", "c", "2026-02-19"), Ok(()));
        let capped = RateLimits::new(Limits { cards_per_minute: 100, cards_per_day: 2, ..Limits::default() });
        assert_eq!(capped.check(Kind::Card, "a", "c", "2026-02-19"), Ok(()));
        assert_eq!(capped.check(Kind::Card, "a", "c", "2026-02-19"), Ok(()));
        assert_eq!(capped.check(Kind::Card, "a", "c", "2026-02-19"), Err(Refusal::DailyCap));
        assert_eq!(capped.check(Kind::Card, "a", "c", "2026-02-20"), Ok(()), "a new day");
    }
}
