//! The one [`Clock`], Unix milliseconds, and the America/Montreal calendar day used for daily
//! totals.
//!
//! Quebec follows the North American rule since 2007: UTC-5, and UTC-4 from the second Sunday
//! of March at 2:00 to the first Sunday of November at 2:00. Computing it here keeps the
//! databases free of time-zone tables and both backends identical.

use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

use time::{Date, Month, OffsetDateTime};

use crate::error::VocabularyError;

/// The one clock: the real time, or the day `RUBAN_TODAY` fixes (for tests, screenshots and
/// rehearsals) with the time of day still running, so ordering, timeouts and rate windows
/// behave as usual.
///
/// `main` makes it from the environment and hands it down: the store stamps pledges and rows
/// with it, the core picks the campaign with it, the web and the command line print its day.
/// Nothing else reads the system date. Clones share the day: a test that moves the day moves
/// it for everything it handed the clock to, and two tests' clocks never see each other's.
#[derive(Clone, Debug)]
pub struct Clock {
    /// The fixed day as a Julian day, `i32::MIN` for none.
    fixed: Arc<AtomicI32>,
}

impl Default for Clock {
    /// The real date.
    fn default() -> Self {
        Self::system()
    }
}

impl Clock {
    /// The name of the environment variable that fixes the day.
    pub const TODAY_VAR: &'static str = "RUBAN_TODAY";

    /// The real date and time.
    pub fn system() -> Self {
        Self { fixed: Arc::new(AtomicI32::new(i32::MIN)) }
    }

    /// A clock whose day is `day` (the time of day runs).
    pub fn on(day: Date) -> Self {
        let clock = Self::system();
        clock.set_day(Some(day));
        clock
    }

    /// `RUBAN_TODAY` (`YYYY-MM-DD`; unset or empty: the real date); a value that is no date is
    /// an error naming the variable.
    pub fn from_env() -> Result<Self, VocabularyError> {
        match std::env::var(Self::TODAY_VAR).ok().filter(|v| !v.trim().is_empty()) {
            None => Ok(Self::system()),
            Some(v) => {
                Ok(Self::on(parse_day(&v).map_err(|e| VocabularyError::Today(format!("{}: {e}", Self::TODAY_VAR)))?))
            }
        }
    }

    /// Fixes the day of this clock and of every clone of it, or frees it with `None`.
    pub fn set_day(&self, day: Option<Date>) {
        self.fixed.store(day.map_or(i32::MIN, Date::to_julian_day), Ordering::SeqCst);
    }

    /// The fixed day, if there is one.
    pub fn fixed_day(&self) -> Option<Date> {
        match self.fixed.load(Ordering::SeqCst) {
            i32::MIN => None,
            jd => Date::from_julian_day(jd).ok(),
        }
    }

    /// Now, in Unix milliseconds: the real instant, moved to the fixed day if there is one
    /// (same Montreal time of day). The only place Ruban reads the system's date.
    pub fn now_ms(&self) -> i64 {
        let real = (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
        match self.fixed_day() {
            Some(day) => on_day(real, day),
            None => real,
        }
    }

    /// Today in Montreal (the fixed day if there is one).
    pub fn today(&self) -> Date {
        self.fixed_day().unwrap_or_else(|| montreal_day(self.now_ms()))
    }
}

/// `YYYY-MM-DD` read as a date.
pub fn parse_day(s: &str) -> Result<Date, String> {
    Date::parse(s.trim(), time::macros::format_description!("[year]-[month]-[day]"))
        .map_err(|e| format!("{s:?} is not a date YYYY-MM-DD ({e})"))
}

/// The instant `real` moved to `day`, at the same Montreal time of day (or an hour off it
/// where summer time begins or ends between the two days).
pub fn on_day(real: i64, day: Date) -> i64 {
    const DAY_MS: i64 = 86_400_000;
    const HOUR_MS: i64 = 3_600_000;
    let mut t = real + (day - montreal_day(real)).whole_days() * DAY_MS;
    // Across a change of summer time the shift can land an hour off the day: step back in.
    for _ in 0..2 {
        match montreal_day(t).cmp(&day) {
            std::cmp::Ordering::Less => t += HOUR_MS,
            std::cmp::Ordering::Greater => t -= HOUR_MS,
            std::cmp::Ordering::Equal => break,
        }
    }
    t
}

fn nth_sunday(year: i32, month: Month, n: u8) -> Date {
    let first = Date::from_calendar_date(year, month, 1).expect("valid first of month");
    let offset = (7 - first.weekday().number_days_from_sunday()) % 7;
    first + time::Duration::days(i64::from(offset) + 7 * i64::from(n - 1))
}

/// The UTC offset of Montreal, in hours, at a UTC instant.
pub fn montreal_offset_hours(utc: OffsetDateTime) -> i64 {
    let year = utc.year();
    // DST starts at 2:00 EST (7:00 UTC) and ends at 2:00 EDT (6:00 UTC).
    let start = nth_sunday(year, Month::March, 2).with_hms(7, 0, 0).expect("valid").assume_utc();
    let end = nth_sunday(year, Month::November, 1).with_hms(6, 0, 0).expect("valid").assume_utc();
    if utc >= start && utc < end { -4 } else { -5 }
}

/// The Montreal calendar day of a Unix-millisecond instant.
pub fn montreal_day(unix_ms: i64) -> Date {
    let utc = OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH);
    (utc + time::Duration::hours(montreal_offset_hours(utc))).date()
}

/// `YYYY-MM-DD`.
pub fn day_string(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn ms(t: OffsetDateTime) -> i64 {
        (t.unix_timestamp_nanos() / 1_000_000) as i64
    }

    #[test]
    fn an_instant_moved_to_a_fixed_day_falls_on_that_day_in_montreal() {
        use time::macros::date;
        // Around midnight, in winter and summer time, moved across the changes of time.
        for real in [
            datetime!(2026-12-03 04:59 UTC),
            datetime!(2026-12-03 05:00 UTC),
            datetime!(2026-07-01 03:59 UTC),
            datetime!(2026-07-01 04:30 UTC),
            datetime!(2026-11-01 05:30 UTC),
        ] {
            for day in [date!(2026 - 02 - 19), date!(2026 - 07 - 01), date!(2027 - 03 - 14), date!(2026 - 11 - 01)] {
                assert_eq!(montreal_day(on_day(ms(real), day)), day, "{real} moved to {day}");
            }
        }
    }

    #[test]
    fn a_fixed_day_is_shared_by_clones_and_by_no_other_clock() {
        use time::macros::date;
        let clock = Clock::on(date!(2026 - 02 - 19));
        let handed = clock.clone();
        let other = Clock::system();
        assert_eq!((handed.today(), montreal_day(handed.now_ms())), (date!(2026 - 02 - 19), date!(2026 - 02 - 19)));
        clock.set_day(Some(date!(2027 - 02 - 18)));
        assert_eq!(handed.today(), date!(2027 - 02 - 18), "a clone sees the day moved");
        assert_eq!(other.fixed_day(), None, "another clock keeps the real date");
        clock.set_day(None);
        assert_eq!(handed.fixed_day(), None);
    }

    #[test]
    fn a_day_that_is_no_date_is_refused_with_its_reason() {
        assert_eq!(parse_day(" 2026-02-19 "), Ok(time::macros::date!(2026 - 02 - 19)));
        assert!(parse_day("2026-02-30").is_err());
        assert!(parse_day("demain").unwrap_err().contains("YYYY-MM-DD"));
    }

    #[test]
    fn montreal_days_follow_winter_and_summer_time() {
        // 2026-02-19 23:30 in Montreal is 04:30 UTC the next day.
        assert_eq!(day_string(montreal_day(ms(datetime!(2026-02-20 04:30 UTC)))), "2026-02-19");
        assert_eq!(day_string(montreal_day(ms(datetime!(2026-02-20 05:00 UTC)))), "2026-02-20");
        // Summer: UTC-4.
        assert_eq!(day_string(montreal_day(ms(datetime!(2026-07-01 03:59 UTC)))), "2026-06-30");
        assert_eq!(day_string(montreal_day(ms(datetime!(2026-07-01 04:00 UTC)))), "2026-07-01");
        // The switches: 2026-03-08 and 2026-11-01.
        assert_eq!(montreal_offset_hours(datetime!(2026-03-08 06:59 UTC)), -5);
        assert_eq!(montreal_offset_hours(datetime!(2026-03-08 07:00 UTC)), -4);
        assert_eq!(montreal_offset_hours(datetime!(2026-11-01 05:59 UTC)), -4);
        assert_eq!(montreal_offset_hours(datetime!(2026-11-01 06:00 UTC)), -5);
    }
}
