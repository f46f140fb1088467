//! Request and response bodies of `/api/v1`, one module per resource.

pub mod admissions;
pub mod audit;
pub mod auth;
pub mod batch;
pub mod classes;
pub mod dues;
pub mod health;
pub mod imports;
pub mod meetings;
pub mod member_transitions;
pub mod members;
pub mod org_units;
pub mod page;
pub mod positions;
pub mod programme_batches;
pub mod programme_files;
pub mod programmes;
pub mod rating_history;
pub mod ratings;
pub mod removals;
pub mod role_assignments;
pub mod transfers;

pub use page::{Page, PageParams};

/// The path prefix of every API route.
pub const API_PREFIX: &str = "/api/v1";
