use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ParseError;

/// Who a licence pool is for ("public" in the French UI). Student licences go to
/// students only, teacher licences to teachers only.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Student,
    Teacher,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Audience::Student, Audience::Teacher];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Student => "student",
            Audience::Teacher => "teacher",
        }
    }

    /// Whether the yearly automatic unassignment releases this audience's licences.
    pub fn released_every_year(self) -> bool {
        self == Audience::Student
    }
}

impl FromStr for Audience {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "student" => Ok(Audience::Student),
            "teacher" => Ok(Audience::Teacher),
            other => Err(ParseError::Audience(other.to_owned())),
        }
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audiences_round_trip_through_their_names() {
        for audience in Audience::ALL {
            assert_eq!(audience.as_str().parse::<Audience>(), Ok(audience));
        }
        assert!("admin".parse::<Audience>().is_err());
    }

    #[test]
    fn only_student_licences_are_released_every_year() {
        assert!(Audience::Student.released_every_year());
        assert!(!Audience::Teacher.released_every_year());
    }
}
