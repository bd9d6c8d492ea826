//! One module per screen.

pub mod journal;
pub mod licences;
pub mod login;
pub mod not_found;
pub mod roster_import;
pub mod school;
pub mod students;
pub mod teachers;
