//! Tests that need the real `affecto` binary: concurrency across processes, crashes,
//! a lost database, and schedulers racing on one PostgreSQL database.

#[path = "../support/db.rs"]
mod db;
mod server;

mod concurrency;
mod crash;
mod database_loss;
mod logs;
mod startup;
