//! API integration tests: the real app over HTTP, a fresh database per test, each test on
//! SQLite and on PostgreSQL. One binary, a module per resource.

#[macro_use]
mod helpers;
mod pg;

mod admissions;
mod audit;
mod auth;
mod backups;
mod classes;
mod cli;
mod crash;
mod dues;
mod idempotency;
mod imports;
mod meetings;
mod members;
mod merges;
mod org_units;
mod positions;
mod programme_batches;
mod programme_files;
mod programmes;
mod ratings;
mod removals;
mod role_assignments;
mod schema_drift;
mod servers;
mod system;
mod transfers;
mod unit_history;
