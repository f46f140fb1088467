//! Transfers (chuyển sinh hoạt Đoàn): a member moves from their branch to another unit.
//! Requested by the member or a cadre → released by the sending grassroots unit (comment, dues
//! settled up to a month) → accepted by the receiving grassroots unit, which places the member in
//! one of its branches, or refused with a reason. Within one grassroots unit it is a single step.
//! Which action is possible from which state is decided here, for the server and the SPA.

use crate::error::{FieldErrorCode, FieldErrors};
use crate::ids::{MemberId, OrgUnitId, UserId};
use crate::values;
use crate::{FieldError, Lang};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Where a transfer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransferStatus {
    /// Asked for; the sending unit has not released the member yet.
    Requested,
    /// Released by the sending unit: in transit until the receiving unit decides.
    Released,
    /// Received and placed in a branch (the end of a transfer).
    Accepted,
    /// Refused by the receiving unit; the member stays where they were.
    Refused,
    /// Withdrawn before the receiving unit decided.
    Cancelled,
}

impl TransferStatus {
    /// Every status.
    pub const ALL: [TransferStatus; 5] = [
        TransferStatus::Requested,
        TransferStatus::Released,
        TransferStatus::Accepted,
        TransferStatus::Refused,
        TransferStatus::Cancelled,
    ];

    /// The statuses of a transfer still under way.
    pub const OPEN: [TransferStatus; 2] = [TransferStatus::Requested, TransferStatus::Released];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TransferStatus::Requested => "requested",
            TransferStatus::Released => "released",
            TransferStatus::Accepted => "accepted",
            TransferStatus::Refused => "refused",
            TransferStatus::Cancelled => "cancelled",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<TransferStatus> {
        TransferStatus::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }

    /// Whether the transfer is still under way.
    pub fn is_open(self) -> bool {
        TransferStatus::OPEN.contains(&self)
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TransferStatus::Requested => lang.pick("Chờ đơn vị đi giải quyết", "Awaiting release"),
            TransferStatus::Released => lang.pick("Đang chuyển", "In transit"),
            TransferStatus::Accepted => lang.pick("Đã tiếp nhận", "Received"),
            TransferStatus::Refused => lang.pick("Bị từ chối", "Refused"),
            TransferStatus::Cancelled => lang.pick("Đã hủy", "Cancelled"),
        }
    }
}

/// An action on a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TransferAction {
    /// The sending unit lets the member go (comment, dues settled).
    Release,
    /// The receiving unit takes the member and places them in a branch.
    Accept,
    /// The receiving unit declines, with a reason.
    Refuse,
    /// The requester or the sending unit withdraws the request.
    Cancel,
}

impl TransferAction {
    /// Every action.
    pub const ALL: [TransferAction; 4] =
        [TransferAction::Release, TransferAction::Accept, TransferAction::Refuse, TransferAction::Cancel];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TransferAction::Release => "release",
            TransferAction::Accept => "accept",
            TransferAction::Refuse => "refuse",
            TransferAction::Cancel => "cancel",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<TransferAction> {
        TransferAction::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }

    /// Whether the action is a decision on the member's case (release, accept, refuse), which the
    /// member may not take on their own transfer even as a cadre; cancelling is also theirs.
    pub fn decides(self) -> bool {
        !matches!(self, TransferAction::Cancel)
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            TransferAction::Release => lang.pick("Giải quyết cho chuyển đi", "Release"),
            TransferAction::Accept => lang.pick("Tiếp nhận", "Accept"),
            TransferAction::Refuse => lang.pick("Từ chối", "Refuse"),
            TransferAction::Cancel => lang.pick("Hủy yêu cầu", "Cancel"),
        }
    }

    /// The status the action leads to from `from`; `internal` is a move within one grassroots
    /// unit, which the receiving side (the same unit) accepts without a release.
    pub fn target(self, from: TransferStatus, internal: bool) -> Option<TransferStatus> {
        use TransferStatus::*;
        match (self, from) {
            (TransferAction::Release, Requested) if !internal => Some(Released),
            (TransferAction::Accept, Released) => Some(Accepted),
            (TransferAction::Accept, Requested) if internal => Some(Accepted),
            (TransferAction::Refuse, Released) => Some(Refused),
            (TransferAction::Refuse, Requested) if internal => Some(Refused),
            (TransferAction::Cancel, Requested | Released) => Some(Cancelled),
            _ => None,
        }
    }
}

/// `POST /transfers`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CreateTransferRequest {
    /// Who moves: a live member.
    pub member_id: Option<MemberId>,
    /// Where to: a grassroots unit, or a branch or section under one.
    pub to_unit_id: Option<OrgUnitId>,
    /// Why (a new school, a job, a move; up to 500 characters).
    pub note: Option<String>,
}

/// A checked transfer request.
#[derive(Debug, Clone)]
pub struct ValidTransferRequest {
    pub member_id: MemberId,
    pub to_unit_id: OrgUnitId,
    pub note: Option<String>,
}

impl CreateTransferRequest {
    /// Checks the fields.
    pub fn validate(&self) -> Result<ValidTransferRequest, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        if self.member_id.is_none() {
            e.push("member_id", FieldErrorCode::Required);
        }
        if self.to_unit_id.is_none() {
            e.push("to_unit_id", FieldErrorCode::Required);
        }
        let note = e.check("note", values::parse_optional_text(self.note.as_deref(), 500)).flatten();
        e.finish(|| ValidTransferRequest {
            member_id: self.member_id.unwrap(),
            to_unit_id: self.to_unit_id.unwrap(),
            note,
        })
    }
}

/// `POST /transfers/{id}/transitions` (with `If-Match`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TransferTransitionRequest {
    /// `release`, `accept`, `refuse` or `cancel`.
    pub action: String,
    /// Release: the sending branch's comment on the member (required).
    pub comment: Option<String>,
    /// Release: dues settled up to this month, `YYYY-MM` (required, not in the future).
    pub dues_paid_to: Option<String>,
    /// Accept: the branch of the receiving unit the member joins (may be omitted when the
    /// transfer names a branch).
    pub branch_id: Option<OrgUnitId>,
    /// Refuse (required) or cancel (optional): why.
    pub reason: Option<String>,
}

/// A checked transfer action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidTransferTransition {
    Release { comment: String, dues_paid_to: NaiveDate },
    Accept { branch_id: Option<OrgUnitId> },
    Refuse { reason: String },
    Cancel { reason: Option<String> },
}

impl ValidTransferTransition {
    /// The action.
    pub fn action(&self) -> TransferAction {
        match self {
            ValidTransferTransition::Release { .. } => TransferAction::Release,
            ValidTransferTransition::Accept { .. } => TransferAction::Accept,
            ValidTransferTransition::Refuse { .. } => TransferAction::Refuse,
            ValidTransferTransition::Cancel { .. } => TransferAction::Cancel,
        }
    }
}

/// A text that must be present, up to 500 characters.
fn required_text(e: &mut FieldErrors, field: &str, raw: Option<&str>) -> Option<String> {
    let text = e.check(field, values::parse_optional_text(raw, 500)).flatten();
    if text.is_none() && !e.has(field) {
        e.push(field, FieldErrorCode::Required);
    }
    text
}

/// Parses a month `YYYY-MM` (or `MM/YYYY`) as its first day.
pub fn parse_month(raw: &str) -> Result<NaiveDate, FieldErrorCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldErrorCode::Required);
    }
    let (y, m) = match (raw.split_once('-'), raw.split_once('/')) {
        (Some((y, m)), _) => (y, m),
        (None, Some((m, y))) => (y, m),
        _ => return Err(FieldErrorCode::InvalidFormat),
    };
    let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.parse::<u32>()) else {
        return Err(FieldErrorCode::InvalidFormat);
    };
    NaiveDate::from_ymd_opt(y, m, 1).ok_or(FieldErrorCode::InvalidFormat)
}

impl TransferTransitionRequest {
    /// Checks the fields the action needs; `today` bounds the dues month.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidTransferTransition, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let action = e.check(
            "action",
            match self.action.trim() {
                "" => Err(FieldErrorCode::Required),
                a => TransferAction::parse(a).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        let valid = match action {
            Some(TransferAction::Release) => {
                let comment = required_text(&mut e, "comment", self.comment.as_deref());
                let this_month = today.with_day(1).unwrap_or(today);
                let dues = e.check(
                    "dues_paid_to",
                    parse_month(self.dues_paid_to.as_deref().unwrap_or_default()).and_then(|m| {
                        if m > this_month {
                            Err(FieldErrorCode::InFuture)
                        } else {
                            Ok(m)
                        }
                    }),
                );
                comment
                    .zip(dues)
                    .map(|(comment, dues_paid_to)| ValidTransferTransition::Release { comment, dues_paid_to })
            }
            Some(TransferAction::Accept) => Some(ValidTransferTransition::Accept { branch_id: self.branch_id }),
            Some(TransferAction::Refuse) => required_text(&mut e, "reason", self.reason.as_deref())
                .map(|reason| ValidTransferTransition::Refuse { reason }),
            Some(TransferAction::Cancel) => {
                let reason = e.check("reason", values::parse_optional_text(self.reason.as_deref(), 500)).flatten();
                Some(ValidTransferTransition::Cancel { reason })
            }
            None => None,
        };
        e.finish(|| valid.unwrap())
    }
}

/// `GET /transfers` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(default)]
pub struct TransferListQuery {
    /// The unit whose transfers to list (its subtree; required unless `member_id` is given).
    pub unit_id: Option<OrgUnitId>,
    /// `incoming` (to the subtree), `outgoing` (from it) or `all` (default).
    pub direction: Option<String>,
    /// Only transfers still under way (default) or, with `false`, every transfer.
    pub open: Option<bool>,
    /// One member's transfers (for the member book).
    pub member_id: Option<MemberId>,
}

/// A transfer as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferView {
    pub id: i64,
    pub member_id: MemberId,
    pub member_name: String,
    /// The branch the member leaves.
    pub from_unit_id: OrgUnitId,
    pub from_unit_name: String,
    /// The unit the member goes to.
    pub to_unit_id: OrgUnitId,
    pub to_unit_name: String,
    /// The branch the member was placed in, once accepted.
    pub placed_unit_id: Option<OrgUnitId>,
    pub placed_unit_name: Option<String>,
    /// A move between branches of one grassroots unit (no release step).
    pub internal: bool,
    pub status: TransferStatus,
    pub note: Option<String>,
    pub release_comment: Option<String>,
    /// Dues settled up to this month (its first day).
    pub dues_paid_to: Option<NaiveDate>,
    /// Why it was refused or cancelled.
    pub decision_reason: Option<String>,
    pub requested_by: Option<UserId>,
    pub requested_at: DateTime<Utc>,
    pub released_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Open for longer than the configured alert period.
    pub overdue: bool,
    /// What the caller may do next.
    pub allowed_actions: Vec<TransferAction>,
    pub version: i64,
}

/// Why a member began belonging to a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PlacementCause {
    /// The first branch (joining, or the record's creation).
    Joined,
    /// A transfer.
    Transfer,
    /// The previous unit was merged into this one.
    UnitMerged,
}

impl PlacementCause {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PlacementCause::Joined => "joined",
            PlacementCause::Transfer => "transfer",
            PlacementCause::UnitMerged => "unit_merged",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<PlacementCause> {
        [PlacementCause::Joined, PlacementCause::Transfer, PlacementCause::UnitMerged]
            .into_iter()
            .find(|c| c.as_str() == s)
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            PlacementCause::Joined => lang.pick("Vào Đoàn / lập hồ sơ", "Joined / record created"),
            PlacementCause::Transfer => lang.pick("Chuyển sinh hoạt", "Transfer"),
            PlacementCause::UnitMerged => lang.pick("Sáp nhập đơn vị", "Unit merged"),
        }
    }
}

/// A period of a member in one branch (the member book's "units over time").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlacementView {
    pub unit_id: OrgUnitId,
    /// The unit's name as kept (a merged or dissolved unit keeps its name).
    pub unit_name: String,
    /// When the unit was dissolved or merged away, if it was.
    pub unit_dissolved_on: Option<NaiveDate>,
    pub started_on: NaiveDate,
    /// Open while the member is still there.
    pub ended_on: Option<NaiveDate>,
    pub cause: PlacementCause,
    pub transfer_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use TransferStatus::*;

    #[test]
    fn a_transfer_between_grassroots_units_is_released_before_it_is_accepted() {
        assert_eq!(TransferAction::Accept.target(Requested, false), None);
        assert_eq!(TransferAction::Release.target(Requested, false), Some(Released));
        assert_eq!(TransferAction::Accept.target(Released, false), Some(Accepted));
        assert_eq!(TransferAction::Cancel.target(Accepted, false), None, "a received member is not un-received");
    }

    #[test]
    fn within_one_grassroots_unit_acceptance_is_the_only_step() {
        assert_eq!(TransferAction::Release.target(Requested, true), None);
        assert_eq!(TransferAction::Accept.target(Requested, true), Some(Accepted));
    }

    #[test]
    fn release_needs_a_comment_and_a_settled_month_not_in_the_future() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let req = |dues: &str| TransferTransitionRequest {
            action: "release".into(),
            comment: Some("Tốt".into()),
            dues_paid_to: Some(dues.into()),
            ..Default::default()
        };
        assert_eq!(
            req("2026-11").validate(today).unwrap(),
            ValidTransferTransition::Release {
                comment: "Tốt".into(),
                dues_paid_to: NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
            }
        );
        assert!(req("11/2026").validate(today).is_ok());
        let errs = req("2026-12").validate(today).unwrap_err();
        assert_eq!((errs[0].field.as_str(), errs[0].code), ("dues_paid_to", FieldErrorCode::InFuture));
        let errs =
            TransferTransitionRequest { action: "release".into(), ..Default::default() }.validate(today).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["comment", "dues_paid_to"]);
    }

    #[test]
    fn refusal_needs_a_reason() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let errs =
            TransferTransitionRequest { action: "refuse".into(), reason: Some("  ".into()), ..Default::default() }
                .validate(today)
                .unwrap_err();
        assert_eq!((errs[0].field.as_str(), errs[0].code), ("reason", FieldErrorCode::Required));
    }
}
