//! One decision over a list of cases (a branch meeting's admissions, a branch's evaluations):
//! each case is checked and written on its own, and the answer says how each went.

use serde::{Deserialize, Serialize};

/// One case of a batch decision, and how it went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchOutcome {
    pub id: i64,
    /// The new version when the decision was written.
    pub version: Option<i64>,
    /// Why it was not written (a problem's title and detail).
    pub problem: Option<crate::Problem>,
}
