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

/// Narrows `$query`, a query on `schools`, to the schools `$viewer` may see, and
/// evaluates `$run` with `$q` bound to the narrowed query. Each kind of viewer gives a
/// query of its own type, so that each stays a prepared statement of its own.
macro_rules! visible_to {
    ($viewer:expr, $query:expr, |$q:ident| $run:expr) => {{
        use diesel::dsl::exists;
        use $crate::schema::{admin_schools, api_client_schools, schools};
        match $viewer {
            $crate::schools::Viewer::Operator => {
                let $q = $query;
                $run
            }
            $crate::schools::Viewer::Admin(admin_id) => {
                let $q = $query.filter(exists(
                    admin_schools::table
                        .filter(admin_schools::admin_id.eq(admin_id))
                        .filter(admin_schools::school_id.eq(schools::id)),
                ));
                $run
            }
            $crate::schools::Viewer::Client(client_id) => {
                let $q = $query.filter(exists(
                    api_client_schools::table
                        .filter(api_client_schools::api_client_id.eq(client_id))
                        .filter(api_client_schools::school_id.eq(schools::id)),
                ));
                $run
            }
        }
    }};
}

pub mod database;
mod error;
pub mod schema;

pub use database::{DatabaseTarget, DbConnection, DbPool, PoolSettings, PooledConnection};
pub use error::StoreError;
pub use r2d2::State as PoolState;
pub mod access;
mod access_batch;
pub mod accounts;
pub mod assignments;
pub mod audit;
pub mod catalogue;
pub mod demo;
pub mod generator;
pub mod id_list;
pub mod licences;
pub mod orders;
pub mod rollover;
pub mod roster;
pub mod roster_import;
pub mod schools;
