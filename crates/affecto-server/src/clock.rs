//! The time every date rule reads: expiry, the yearly unassignment, audit timestamps.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;

/// Tells the time. Tests and demonstrations can set it; production reads the system.
#[derive(Clone)]
pub struct Clock {
    source: Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>,
    zone: Tz,
}

impl Clock {
    /// The system clock, with dates taken in `zone` (the schools' time zone).
    pub fn system(zone: Tz) -> Self {
        Self {
            source: Arc::new(Utc::now),
            zone,
        }
    }

    /// A clock stopped at `instant`.
    pub fn fixed(instant: DateTime<Utc>, zone: Tz) -> Self {
        Self {
            source: Arc::new(move || instant),
            zone,
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.source)()
    }

    /// Now in UTC without zone, as stored in the database.
    pub fn now_naive(&self) -> NaiveDateTime {
        self.now().naive_utc()
    }

    /// The schools' time zone.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Today's date in the schools' time zone: 00:30 in Paris on 31 July is 31 July,
    /// though it is still 30 July in UTC.
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&self.zone).date_naive()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Clock({}, {})", self.now(), self.zone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_date_in_the_schools_time_zone() {
        let instant = "2026-07-30T22:30:00Z".parse::<DateTime<Utc>>().unwrap();
        let clock = Clock::fixed(instant, chrono_tz::Europe::Paris);
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 7, 31).unwrap());
    }
}
