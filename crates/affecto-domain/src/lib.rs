//! The vocabulary of Affecto and the rules that hold whatever the storage or transport.
//!
//! Values are parsed once, at the edge, into types whose constructors refuse bad input:
//! a [`Uai`] is always well formed, a [`Level`] is always one the French school system
//! knows, a [`SeatCount`] never goes below zero.

mod audience;
mod level;
mod rollover;
pub mod roster;
mod seats;
mod uai;

pub use audience::Audience;
pub use level::{Cycle, Level};
pub use rollover::{AutoUnassignDate, SchoolYear};
pub use seats::{SeatCount, SeatShortage};
pub use uai::Uai;

/// Why a value given by a client was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("UAI must be 7 digits followed by a letter, e.g. 0020002S")]
    Uai,
    #[error("unknown level {0:?}; expected one of 6e, 5e, 4e, 3e, 2nde, 1re, Tle")]
    Level(String),
    #[error("unknown audience {0:?}; expected student or teacher")]
    Audience(String),
    #[error("automatic unassignment date must be MM-DD, e.g. 07-31")]
    AutoUnassignDate,
}
