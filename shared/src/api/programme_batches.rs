//! A branch's list at once, for its cadres: registering every member not registered yet (the
//! required items only), the list of those not registered yet, and the year-end evaluation of
//! the branch's list in one decision (each registration checked on its own).

use super::programmes::{RegistrationAction, RegistrationTransitionRequest, ValidRegistrationTransition};
use crate::error::{FieldErrorCode, FieldErrors};
use crate::ids::{MemberId, OrgUnitId};
use crate::{FieldError, Lang};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The most registrations one evaluation decision covers.
pub const MAX_EVALUATIONS: usize = 500;

/// `POST /programmes/{id}/registrations/bulk`: registers every live member of the unit's subtree
/// (default: the programme's unit) who has no registration for the programme's year yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BulkRegistrationRequest {
    pub unit_id: Option<OrgUnitId>,
}

/// What a bulk registration did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkRegistrationOutcome {
    /// Members registered now, with the required items.
    pub registered: i64,
}

/// A live member of the subtree with no registration for the programme's year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnregisteredMember {
    pub member_id: MemberId,
    pub full_name: String,
    pub date_of_birth: NaiveDate,
    pub unit_id: OrgUnitId,
    pub unit_name: String,
}

/// One registration of an evaluation decision, with the version it was read at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EvaluationItem {
    /// The registration.
    pub id: i64,
    pub version: i64,
    /// `excellent`, `good`, `fulfilled` or `not_fulfilled`.
    pub result: Option<String>,
    pub comment: Option<String>,
}

/// `POST /programmes/{id}/evaluations`: the branch's list evaluated in one decision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EvaluationBatch {
    pub items: Vec<EvaluationItem>,
}

/// A checked evaluation of one registration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidEvaluation {
    pub id: i64,
    pub version: i64,
    pub transition: ValidRegistrationTransition,
}

impl EvaluationBatch {
    /// Checks the list: 1 to `MAX_EVALUATIONS` registrations, each named once, each with a known
    /// result (errors name `items[i].result`).
    pub fn validate(&self) -> Result<Vec<ValidEvaluation>, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        match self.items.len() {
            0 => e.push("items", FieldErrorCode::Required),
            n if n > MAX_EVALUATIONS => e.push("items", FieldErrorCode::OutOfRange),
            _ => {}
        }
        let mut seen = std::collections::HashSet::new();
        let mut valid = Vec::with_capacity(self.items.len());
        for (i, item) in self.items.iter().enumerate() {
            if !seen.insert(item.id) {
                e.push(&format!("items[{i}].id"), FieldErrorCode::Duplicate);
            }
            let request = RegistrationTransitionRequest {
                action: RegistrationAction::Evaluate.as_str().to_owned(),
                result: item.result.clone(),
                comment: item.comment.clone(),
                text: None,
            };
            match request.validate() {
                Ok(transition) => valid.push(ValidEvaluation { id: item.id, version: item.version, transition }),
                Err(errs) => errs.iter().for_each(|f| e.push(&format!("items[{i}].{}", f.field), f.code)),
            }
        }
        e.finish(|| valid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, result: &str) -> EvaluationItem {
        EvaluationItem { id, version: 1, result: Some(result.into()), comment: None }
    }

    #[test]
    fn a_list_is_checked_item_by_item() {
        let ok = EvaluationBatch { items: vec![item(1, "good"), item(2, "excellent")] }.validate().unwrap();
        assert_eq!(ok.len(), 2);
        let errs = EvaluationBatch { items: vec![item(1, "good"), item(1, "best")] }.validate().unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["items[1].id", "items[1].result"]);
        let errs = EvaluationBatch::default().validate().unwrap_err();
        assert_eq!(errs[0].field, "items");
    }
}
