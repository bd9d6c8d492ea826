//! Affecto's storage layer: every read and write of the database goes through here.
//!
//! Queries are written once against [`DbConnection`], which is either SQLite (the
//! embedded default) or PostgreSQL (production). The rules that must hold under
//! concurrency — never more licences assigned than purchased, at most one licence of a
//! product per user — are enforced by the database itself (CHECK and UNIQUE
//! constraints) and by the locking order of [`assignments::apply_change`].

/// Runs `$body` with `$c` bound to the concrete connection of either backend, for the
/// statements diesel cannot express through [`DbConnection`] (multi-row inserts).
macro_rules! on_each_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::DbConnection::Postgres($c) => $body,
            $crate::DbConnection::Sqlite($c) => $body,
        }
    };
}

pub mod database;
mod error;
pub mod schema;

pub use database::{DatabaseTarget, DbConnection, DbPool, PoolSettings, PooledConnection};
pub use error::StoreError;
pub use r2d2::State as PoolState;
pub mod access;
pub mod accounts;
pub mod assignments;
pub mod audit;
pub mod catalogue;
pub mod demo;
pub mod generator;
pub mod licences;
pub mod orders;
pub mod rollover;
pub mod roster;
pub mod roster_import;
pub mod schools;
