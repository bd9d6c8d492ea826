//! End-to-end tests of the HTTP API: a real server on a free port, a fresh database
//! per test, on SQLite and on PostgreSQL.

#[path = "../support/db.rs"]
mod db;

mod common;

mod access;
mod assignments;
mod auth;
mod errors;
mod imports;
mod isolation;
mod licences;
mod openapi;
mod operations;
mod orders;
mod school_year;
