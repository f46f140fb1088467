//! The rules: scope checks, validation that needs the database, transactions and audit.
//! Services are synchronous functions over one connection; `state::Db::run` moves them off
//! the async executor onto the blocking pool, so handlers never touch diesel.

pub mod admissions;
pub mod audit;
pub mod audit_chain;
pub mod auth;
pub mod backups;
pub mod classes;
pub mod dues;
pub mod import_rows;
pub mod imports;
pub mod meetings;
pub mod members;
pub mod merges;
pub mod org_units;
pub mod positions;
pub mod programme_batches;
pub mod programme_evidence;
pub mod programme_registrations;
pub mod programme_sheets;
pub mod programmes;
pub mod rating_history;
pub mod rating_periods;
pub mod ratings;
pub mod removals;
pub mod role_assignments;
pub mod transfers;
pub mod unit_ratings;

use crate::error::ApiError;

/// A stored timestamp (UTC by convention) as an instant.
pub fn utc(t: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    t.and_utc()
}

/// An enum stored as text that the CHECK constraints guarantee; anything else is corruption.
pub fn stored<T>(value: Option<T>, column: &str, raw: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("unexpected value `{raw}` in {column}")))
}
