use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::ParseError;

/// A year of French secondary school ("niveau"): 6e to 3e in a collège, 2nde to Tle in
/// a lycée. Serialised with the names schools use.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
pub enum Level {
    #[serde(rename = "6e")]
    Sixieme,
    #[serde(rename = "5e")]
    Cinquieme,
    #[serde(rename = "4e")]
    Quatrieme,
    #[serde(rename = "3e")]
    Troisieme,
    #[serde(rename = "2nde")]
    Seconde,
    #[serde(rename = "1re")]
    Premiere,
    #[serde(rename = "Tle")]
    Terminale,
}

/// The kind of school a level belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cycle {
    College,
    Lycee,
}

impl Level {
    pub const ALL: [Level; 7] = [
        Level::Sixieme,
        Level::Cinquieme,
        Level::Quatrieme,
        Level::Troisieme,
        Level::Seconde,
        Level::Premiere,
        Level::Terminale,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Sixieme => "6e",
            Level::Cinquieme => "5e",
            Level::Quatrieme => "4e",
            Level::Troisieme => "3e",
            Level::Seconde => "2nde",
            Level::Premiere => "1re",
            Level::Terminale => "Tle",
        }
    }

    pub fn cycle(self) -> Cycle {
        match self {
            Level::Sixieme | Level::Cinquieme | Level::Quatrieme | Level::Troisieme => {
                Cycle::College
            }
            Level::Seconde | Level::Premiere | Level::Terminale => Cycle::Lycee,
        }
    }
}

impl FromStr for Level {
    type Err = ParseError;
    /// Accepts the usual spellings found in school exports ("6e", "6ème", "6EME",
    /// "seconde", "1ère", "terminale"...).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key = s.trim().to_lowercase().replace(['è', 'é'], "e");
        let level = match key.as_str() {
            "6e" | "6eme" | "sixieme" => Level::Sixieme,
            "5e" | "5eme" | "cinquieme" => Level::Cinquieme,
            "4e" | "4eme" | "quatrieme" => Level::Quatrieme,
            "3e" | "3eme" | "troisieme" => Level::Troisieme,
            "2nde" | "2de" | "seconde" => Level::Seconde,
            "1re" | "1ere" | "premiere" => Level::Premiere,
            "tle" | "terminale" => Level::Terminale,
            _ => return Err(ParseError::Level(s.to_owned())),
        };
        Ok(level)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_level_round_trips_through_its_name() {
        for level in Level::ALL {
            assert_eq!(level.as_str().parse::<Level>(), Ok(level));
        }
    }

    #[test]
    fn common_spellings_from_school_exports_are_understood() {
        assert_eq!("6ème".parse::<Level>(), Ok(Level::Sixieme));
        assert_eq!("SECONDE".parse::<Level>(), Ok(Level::Seconde));
        assert_eq!("1ère".parse::<Level>(), Ok(Level::Premiere));
        assert!("CM2".parse::<Level>().is_err());
    }

    #[test]
    fn collège_and_lycée_levels_belong_to_their_cycle() {
        assert_eq!(Level::Troisieme.cycle(), Cycle::College);
        assert_eq!(Level::Seconde.cycle(), Cycle::Lycee);
    }
}
