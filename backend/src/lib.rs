//! Sổ Đoàn server: the REST API under `/api/v1` and the single-page app, in one process.
//! `main.rs` only reads the command line; everything else is here so tests can build the app.

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod files;
pub mod fixtures;
pub mod headers;
pub mod idempotency;
pub mod routes;
pub mod scope;
pub mod services;
pub mod sheets;
pub mod spa;
pub mod startup;
pub mod state;
pub mod throttle;
