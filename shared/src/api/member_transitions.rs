//! The life of a member in the Union, as transitions with a date and a reason:
//! extend past 30, mature out, remove (xóa tên), expel (khai trừ), record a death, restore a
//! wrongly removed member. Which action is allowed from which status is decided here, for the
//! server (the authority) and the SPA (which offers only possible actions).

use crate::api::members::MemberStatus;
use crate::error::{FieldErrorCode, FieldErrors};
use crate::ids::{MemberId, UserId};
use crate::values::{self, age_on};
use crate::{FieldError, Lang};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A lifecycle action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MemberAction {
    /// Keep a member of 30 or more (branch decision, up to 35).
    Extend,
    /// Trưởng thành Đoàn: the honourable exit at 30 or more.
    Mature,
    /// Xóa tên: three months in a year without meetings or dues, without valid reason.
    Remove,
    /// Khai trừ: the heaviest discipline.
    Expel,
    /// The member died.
    RecordDeath,
    /// Undo a removal made in error.
    Restore,
}

/// The oldest a member may be kept by an extension.
pub const EXTENSION_MAX_AGE: u32 = 35;

impl MemberAction {
    /// Every action.
    pub const ALL: [MemberAction; 6] = [
        MemberAction::Extend,
        MemberAction::Mature,
        MemberAction::Remove,
        MemberAction::Expel,
        MemberAction::RecordDeath,
        MemberAction::Restore,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MemberAction::Extend => "extend",
            MemberAction::Mature => "mature",
            MemberAction::Remove => "remove",
            MemberAction::Expel => "expel",
            MemberAction::RecordDeath => "record_death",
            MemberAction::Restore => "restore",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<MemberAction> {
        MemberAction::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            MemberAction::Extend => lang.pick("Kéo dài sinh hoạt", "Extend past 30"),
            MemberAction::Mature => lang.pick("Trưởng thành Đoàn", "Mature out"),
            MemberAction::Remove => lang.pick("Xóa tên", "Remove"),
            MemberAction::Expel => lang.pick("Khai trừ", "Expel"),
            MemberAction::RecordDeath => lang.pick("Ghi nhận từ trần", "Record death"),
            MemberAction::Restore => lang.pick("Khôi phục", "Restore"),
        }
    }

    /// The status the action leads to from `from`, if it is allowed there.
    pub fn target(self, from: MemberStatus) -> Option<MemberStatus> {
        use MemberStatus::*;
        match (self, from) {
            (MemberAction::Extend, Active) => Some(Extended),
            (MemberAction::Mature, Active | Extended) => Some(Matured),
            (MemberAction::Remove, Active | Extended) => Some(Removed),
            (MemberAction::Expel, Active | Extended) => Some(Expelled),
            (MemberAction::RecordDeath, Active | Extended) => Some(Deceased),
            (MemberAction::Restore, Removed) => Some(Active),
            _ => None,
        }
    }

    /// Whether the decision needs a written reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, MemberAction::Remove | MemberAction::Expel | MemberAction::Restore)
    }

    /// The actions possible from a status.
    pub fn possible_from(from: MemberStatus) -> Vec<MemberAction> {
        MemberAction::ALL.into_iter().filter(|a| a.target(from).is_some()).collect()
    }
}

/// `POST /members/{id}/transitions` (with `If-Match`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MemberTransitionRequest {
    /// `extend`, `mature`, `remove`, `expel`, `record_death` or `restore`.
    pub action: String,
    /// The date of the decision or event, `YYYY-MM-DD` (not in the future).
    pub on: String,
    /// Why (required to remove, expel or restore; up to 500 characters).
    pub reason: Option<String>,
}

/// A transition that passed the checks needing no database.
#[derive(Debug, Clone)]
pub struct ValidMemberTransition {
    pub action: MemberAction,
    pub on: NaiveDate,
    pub reason: Option<String>,
}

impl MemberTransitionRequest {
    /// Checks the fields; `today` bounds the date.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidMemberTransition, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let action = e.check(
            "action",
            match self.action.trim() {
                "" => Err(FieldErrorCode::Required),
                a => MemberAction::parse(a).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        let on = e.check(
            "on",
            values::parse_date(&self.on).and_then(|d| if d > today { Err(FieldErrorCode::InFuture) } else { Ok(d) }),
        );
        let reason = e.check("reason", values::parse_optional_text(self.reason.as_deref(), 500)).flatten();
        if action.is_some_and(MemberAction::needs_reason) && reason.is_none() && !e.has("reason") {
            e.push("reason", FieldErrorCode::Required);
        }
        e.finish(|| ValidMemberTransition { action: action.unwrap(), on: on.unwrap(), reason })
    }
}

/// Checks the age rules of an action against the member's date of birth.
pub fn check_age(action: MemberAction, born: NaiveDate, on: NaiveDate) -> Result<(), FieldErrorCode> {
    let age = age_on(born, on);
    match action {
        MemberAction::Extend if age < 30 => Err(FieldErrorCode::TooYoung),
        MemberAction::Extend if age >= EXTENSION_MAX_AGE => Err(FieldErrorCode::TooOld),
        MemberAction::Mature if age < 30 => Err(FieldErrorCode::TooYoung),
        _ => Ok(()),
    }
}

/// One step of a member's life, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberTransitionView {
    /// The member.
    pub member_id: MemberId,
    /// What was done.
    pub action: MemberAction,
    /// Status before.
    pub from_status: MemberStatus,
    /// Status after.
    pub to_status: MemberStatus,
    /// The date of the decision or event.
    pub on: NaiveDate,
    /// Why.
    pub reason: Option<String>,
    /// Who recorded it.
    pub actor_user_id: Option<UserId>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use MemberStatus::*;

    #[test]
    fn actions_are_allowed_only_from_their_statuses() {
        assert_eq!(MemberAction::Extend.target(Active), Some(Extended));
        assert_eq!(MemberAction::Extend.target(Extended), None);
        assert_eq!(MemberAction::Restore.target(Removed), Some(Active));
        assert_eq!(MemberAction::Restore.target(Expelled), None, "expulsion is not undone by restore");
        assert_eq!(MemberAction::possible_from(Deceased), []);
        assert_eq!(MemberAction::possible_from(Removed), [MemberAction::Restore]);
    }

    #[test]
    fn removal_needs_a_reason_and_a_past_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let errs = MemberTransitionRequest { action: "remove".into(), on: "2027-01-01".into(), reason: None }
            .validate(today)
            .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["on", "reason"]);
        assert!(MemberTransitionRequest { action: "record_death".into(), on: "2026-11-01".into(), reason: None }
            .validate(today)
            .is_ok());
    }

    #[test]
    fn extension_and_maturing_need_thirty_years() {
        let born = NaiveDate::from_ymd_opt(1996, 5, 1).unwrap();
        let on = |y| NaiveDate::from_ymd_opt(y, 6, 1).unwrap();
        assert_eq!(check_age(MemberAction::Extend, born, on(2025)), Err(FieldErrorCode::TooYoung));
        assert_eq!(check_age(MemberAction::Extend, born, on(2026)), Ok(()));
        assert_eq!(check_age(MemberAction::Extend, born, on(2031)), Err(FieldErrorCode::TooOld));
        assert_eq!(check_age(MemberAction::Mature, born, on(2026)), Ok(()));
    }
}
