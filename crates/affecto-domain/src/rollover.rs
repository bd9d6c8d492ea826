use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ParseError;

/// The day of the year on which student licences are taken back ("désaffectation
/// automatique"), 31 July unless configured otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AutoUnassignDate {
    pub month: u32,
    pub day: u32,
}

impl Default for AutoUnassignDate {
    fn default() -> Self {
        Self { month: 7, day: 31 }
    }
}

impl FromStr for AutoUnassignDate {
    type Err = ParseError;
    /// Parses `MM-DD`; 29 February is refused since it does not come every year.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (month, day) = s.split_once('-').ok_or(ParseError::AutoUnassignDate)?;
        let month: u32 = month.parse().map_err(|_| ParseError::AutoUnassignDate)?;
        let day: u32 = day.parse().map_err(|_| ParseError::AutoUnassignDate)?;
        NaiveDate::from_ymd_opt(2027, month, day).ok_or(ParseError::AutoUnassignDate)?;
        Ok(Self { month, day })
    }
}

impl fmt::Display for AutoUnassignDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

impl AutoUnassignDate {
    fn in_year(self, year: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
            .expect("validated when parsed: the date exists every year")
    }

    /// The school year whose unassignment is the latest one due on `today`: the one
    /// ending this calendar year if the date has come, else the one ending last year.
    pub fn latest_due(self, today: NaiveDate) -> SchoolYear {
        let this_year = self.in_year(today.year());
        let end_year = if today >= this_year {
            today.year()
        } else {
            today.year() - 1
        };
        SchoolYear { end_year }
    }

    /// The date on which `school_year`'s unassignment falls.
    pub fn date_for(self, school_year: SchoolYear) -> NaiveDate {
        self.in_year(school_year.end_year)
    }
}

/// A school year, named by the calendar year it ends in: 2026 is "2025-2026".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SchoolYear {
    pub end_year: i32,
}

impl SchoolYear {
    pub fn next(self) -> SchoolYear {
        SchoolYear {
            end_year: self.end_year + 1,
        }
    }
}

impl fmt::Display for SchoolYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.end_year - 1, self.end_year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_date_is_read_as_month_and_day() {
        assert_eq!("07-31".parse(), Ok(AutoUnassignDate { month: 7, day: 31 }));
        assert_eq!(
            "08-15".parse::<AutoUnassignDate>().unwrap().to_string(),
            "08-15"
        );
        for bad in ["", "7", "13-01", "02-30", "02-29", "aa-bb", "07-31-1"] {
            assert!(bad.parse::<AutoUnassignDate>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn on_31_july_this_year_s_run_is_due() {
        let date31 = AutoUnassignDate::default();
        assert_eq!(
            date31.latest_due(date(2026, 7, 31)),
            SchoolYear { end_year: 2026 }
        );
        assert_eq!(
            date31.latest_due(date(2026, 8, 2)),
            SchoolYear { end_year: 2026 }
        );
    }

    #[test]
    fn before_31_july_last_year_s_run_is_the_latest_due() {
        let date31 = AutoUnassignDate::default();
        assert_eq!(
            date31.latest_due(date(2026, 7, 30)),
            SchoolYear { end_year: 2025 }
        );
        assert_eq!(
            date31.latest_due(date(2026, 12, 3)),
            SchoolYear { end_year: 2026 }
        );
    }

    #[test]
    fn a_school_year_is_named_by_both_its_calendar_years() {
        assert_eq!(SchoolYear { end_year: 2026 }.to_string(), "2025-2026");
    }
}
