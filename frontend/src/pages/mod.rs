//! One module per screen.

pub mod licences;
pub mod login;
pub mod not_found;
pub mod school;
pub mod students;
pub mod teachers;
