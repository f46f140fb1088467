//! One module per screen.

pub mod admission_stats;
pub mod admissions;
pub mod audit;
pub mod classes;
pub mod dues;
pub mod duplicates;
pub mod home;
pub mod imports;
pub mod login;
pub mod meetings;
pub mod members;
pub mod not_found;
pub mod programme_lists;
pub mod programme_registrations;
pub mod programmes;
pub mod rating_lists;
pub mod rating_stats;
pub mod ratings;
pub mod register;
pub mod removals;
pub mod transfers;
pub mod units;
