//! The Affecto server: the REST API, the web app's files, and the operator's command
//! line, over the storage of `affecto-store`.

pub mod access_queue;
pub mod auth;
pub mod clock;
pub mod commands;
pub mod config;
pub mod csv;
pub mod error;
pub mod imports;
pub mod metrics;
pub mod openapi;
pub mod routes;
pub mod scheduler;
pub mod startup;
pub mod state;
pub mod web;
