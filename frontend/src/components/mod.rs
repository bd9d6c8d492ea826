//! Pieces shared by several screens.

pub mod assignment;
pub mod header;
pub mod licence_table;
pub mod product_heading;
pub mod require_auth;
pub mod status;
