//! The removal list (xóa tên): per branch and year, the members with three or more months (the
//! unit may ask for another number) without attending a branch meeting, or without paying dues,
//! and no valid reason. A cadre turns a candidate into the member's `remove` transition, with the
//! months as the reason, or dismisses it with a reason.

use crate::error::{FieldErrorCode, FieldErrors};
use crate::ids::{MemberId, OrgUnitId};
use crate::values::parse_optional_text;
use crate::{FieldError, Lang};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Months missed in a year that make a member a candidate, unless the list asks otherwise.
pub const DEFAULT_MONTHS: usize = 3;

wire_enum! {
    /// Where a candidate stands.
    CandidateStatus {
        /// Waiting for the branch's decision.
        Open => "open", "Chờ xem xét", "Waiting";
        /// Removed (xóa tên): the member's `remove` transition was recorded.
        Removed => "removed", "Đã xóa tên", "Removed";
        /// Kept, with the reason written.
        Dismissed => "dismissed", "Không xóa tên", "Dismissed";
    }
}

wire_enum! {
    /// What a cadre does with a candidate.
    CandidateAction {
        Remove => "remove", "Xóa tên", "Remove";
        Dismiss => "dismiss", "Không xóa tên", "Dismiss";
    }
}

/// A candidate as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemovalCandidateView {
    pub id: i64,
    pub member_id: MemberId,
    pub full_name: String,
    pub unit_id: OrgUnitId,
    pub unit_name: String,
    pub year: i32,
    /// Months (`YYYY-MM`) with a branch meeting held that the member neither attended nor was excused from.
    pub attendance_months: Vec<String>,
    /// Months (`YYYY-MM`) the member owes dues for.
    pub dues_months: Vec<String>,
    pub status: CandidateStatus,
    /// Why it was dismissed, or the reason the removal recorded.
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub version: i64,
    /// What the caller may do with it now.
    pub allowed_actions: Vec<CandidateAction>,
}

impl RemovalCandidateView {
    /// The reason a removal records: the months that count, as the branch writes them.
    pub fn removal_reason(&self) -> String {
        let mut parts = Vec::new();
        if !self.attendance_months.is_empty() {
            parts.push(format!("Không sinh hoạt các tháng {}", self.attendance_months.join(", ")));
        }
        if !self.dues_months.is_empty() {
            parts.push(format!("không đóng đoàn phí các tháng {}", self.dues_months.join(", ")));
        }
        format!("Xóa tên: {} (không có lý do chính đáng)", parts.join("; "))
    }
}

/// `POST /removal-candidates/{id}/transitions` (with `If-Match`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CandidateTransitionRequest {
    /// `remove` or `dismiss`.
    pub action: String,
    /// Why the candidate is dismissed (required then); a note added to a removal's reason.
    pub reason: Option<String>,
}

/// A checked step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCandidateTransition {
    pub action: CandidateAction,
    pub reason: Option<String>,
}

impl CandidateTransitionRequest {
    pub fn validate(&self) -> Result<ValidCandidateTransition, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let action = e.check(
            "action",
            match self.action.trim() {
                "" => Err(FieldErrorCode::Required),
                a => CandidateAction::parse(a).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        let reason = e.check("reason", parse_optional_text(self.reason.as_deref(), 500)).flatten();
        if action == Some(CandidateAction::Dismiss) && reason.is_none() && !e.has("reason") {
            e.push("reason", FieldErrorCode::Required);
        }
        e.finish(|| ValidCandidateTransition { action: action.unwrap(), reason })
    }
}

/// Months from a stored list (`YYYY-MM,YYYY-MM`).
pub fn months_of(stored: &str) -> Vec<String> {
    stored.split(',').filter(|m| !m.is_empty()).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dismissal_needs_its_reason() {
        let r = CandidateTransitionRequest { action: "dismiss".into(), reason: None };
        assert_eq!(r.validate().unwrap_err()[0].field, "reason");
        let r = CandidateTransitionRequest { action: "remove".into(), reason: None };
        assert_eq!(r.validate().unwrap().action, CandidateAction::Remove);
        let r = CandidateTransitionRequest { action: "expel".into(), reason: None };
        assert_eq!(r.validate().unwrap_err()[0].field, "action");
        assert_eq!(months_of("2026-02,2026-04"), ["2026-02", "2026-04"]);
        assert!(months_of("").is_empty());
    }
}
