//! Browser journeys: the real `sodoan` binary (with the built SPA and the demo organisation)
//! driven through headless Chromium by chromedriver, at a 360×740 phone viewport.
//! Needs `scripts/build-frontend` and `cargo build` first (`scripts/test` does both).

mod harness;

mod admissions;
mod auth;
mod dues;
mod meetings;
mod members;
mod programmes;
mod ratings;
mod units;
