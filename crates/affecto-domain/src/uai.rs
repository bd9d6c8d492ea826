use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::ParseError;

/// A school's national identifier (Unité Administrative Immatriculée): seven digits and
/// one letter, e.g. `0020002S`. Stored upper-case; parsing accepts either case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uai(String);

impl Uai {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let bytes = raw.as_bytes();
        let well_formed = bytes.len() == 8
            && bytes[..7].iter().all(u8::is_ascii_digit)
            && bytes[7].is_ascii_alphabetic();
        if !well_formed {
            return Err(ParseError::Uai);
        }
        Ok(Self(raw.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Uai {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Uai {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Uai> for String {
    fn from(value: Uai) -> Self {
        value.0
    }
}

impl fmt::Display for Uai {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_well_formed_uai_is_accepted_and_upper_cased() {
        assert_eq!(Uai::parse("0020002s").unwrap().as_str(), "0020002S");
        assert_eq!(Uai::parse("0590001A").unwrap().as_str(), "0590001A");
    }

    #[test]
    fn malformed_uais_are_refused() {
        for raw in [
            "",
            "0020002",
            "00200023",
            "A0020002",
            "0020002SS",
            "002000٢S",
            "0020002é",
        ] {
            assert_eq!(Uai::parse(raw), Err(ParseError::Uai), "{raw:?}");
        }
    }
}
