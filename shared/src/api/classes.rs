//! Training classes (lớp bồi dưỡng): a unit runs a class of a kind, with sessions, a capacity and
//! an enrolment window; people enrol themselves or are enrolled by a cadre, wait in line when it
//! is full, attend sessions (ticked by a cadre or checked in by QR), and get a result.

use crate::error::{FieldErrorCode, FieldErrors};
use crate::ids::{MemberId, OrgUnitId, UserId};
use crate::values;
use crate::{FieldError, Lang};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $wire:literal, $vi:literal, $en:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),* }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The wire name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),* }
            }

            /// Parses the wire name.
            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s.trim())
            }

            /// The label shown to users.
            pub fn label(self, lang: Lang) -> &'static str {
                match self { $($name::$variant => lang.pick($vi, $en)),* }
            }
        }
    };
}

wire_enum! {
    /// What a class is for.
    ClassKind {
        /// Lớp cảm tình Đoàn: orientation before admission.
        Orientation => "orientation", "Lớp cảm tình Đoàn", "Orientation for admission";
        /// Lớp bồi dưỡng nhận thức về Đảng.
        PartyAwareness => "party_awareness", "Bồi dưỡng nhận thức về Đảng", "Party awareness";
        /// Tập huấn cán bộ.
        CadreTraining => "cadre_training", "Tập huấn cán bộ Đoàn", "Cadre training";
        /// Skills, political theory and others.
        Other => "other", "Kỹ năng, lý luận và khác", "Skills and other";
    }
}

wire_enum! {
    /// Where an enrolment stands.
    EnrollmentStatus {
        /// Has a seat.
        Enrolled => "enrolled", "Đã ghi danh", "Enrolled";
        /// Waits for a seat; moves up when someone leaves.
        Waitlisted => "waitlisted", "Danh sách chờ", "Waiting list";
        /// Left the class (or was removed by a cadre).
        Cancelled => "cancelled", "Đã hủy", "Cancelled";
    }
}

wire_enum! {
    /// How a class ended for an enrolee.
    ClassResult {
        Passed => "passed", "Đạt", "Passed";
        Failed => "failed", "Không đạt", "Failed";
    }
}

wire_enum! {
    /// The reflection essay (bài thu hoạch).
    EssayStatus {
        /// Not handed in.
        Missing => "missing", "Chưa nộp", "Not handed in";
        /// Handed in, not graded yet.
        Received => "received", "Đã nộp", "Received";
        /// Graded and accepted.
        Accepted => "accepted", "Đạt", "Accepted";
        /// Graded and not accepted.
        Rejected => "rejected", "Không đạt", "Not accepted";
    }
}

/// Who may enrol in a class (any combination).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct Audience {
    /// Youth without membership (admission candidates).
    pub applicants: bool,
    /// Members whose branch is in the organising unit's subtree.
    pub members: bool,
    /// Cadres holding a role in the organising unit's subtree.
    pub cadres: bool,
}

/// One session of a class.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct SessionInput {
    /// When changing a class: the session kept (absent: a new one).
    pub id: Option<i64>,
    /// `YYYY-MM-DD`.
    pub held_on: String,
    /// `HH:MM`, local time.
    pub starts_at: String,
    /// A place, or empty when online.
    pub place: Option<String>,
    /// A meeting link for an online session.
    pub online_url: Option<String>,
}

/// `POST /classes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CreateClassRequest {
    /// The organising unit (a grassroots unit or higher).
    pub unit_id: Option<OrgUnitId>,
    /// `orientation`, `party_awareness`, `cadre_training` or `other`.
    pub kind: String,
    pub title: String,
    /// How many seats (1–2,000).
    pub capacity: Option<i32>,
    /// The enrolment window, `YYYY-MM-DD`.
    pub enrol_from: String,
    pub enrol_until: String,
    pub audience: Audience,
    /// At least one session.
    pub sessions: Vec<SessionInput>,
}

/// A checked session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidSession {
    pub id: Option<i64>,
    pub held_on: NaiveDate,
    pub starts_at: String,
    pub place: Option<String>,
    pub online_url: Option<String>,
}

/// A checked class.
#[derive(Debug, Clone)]
pub struct ValidClass {
    pub unit_id: OrgUnitId,
    pub kind: ClassKind,
    pub title: String,
    pub capacity: i32,
    pub enrol_from: NaiveDate,
    pub enrol_until: NaiveDate,
    pub audience: Audience,
    pub sessions: Vec<ValidSession>,
}

/// The most seats a class may have.
pub const MAX_CAPACITY: i32 = 2_000;

fn parse_time(raw: &str) -> Result<String, FieldErrorCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldErrorCode::Required);
    }
    chrono::NaiveTime::parse_from_str(raw, "%H:%M")
        .map(|t| t.format("%H:%M").to_string())
        .map_err(|_| FieldErrorCode::InvalidFormat)
}

impl CreateClassRequest {
    /// Checks every field; sessions are named `sessions[i].field`.
    pub fn validate(&self) -> Result<ValidClass, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        if self.unit_id.is_none() {
            e.push("unit_id", FieldErrorCode::Required);
        }
        let kind = e.check(
            "kind",
            match self.kind.trim() {
                "" => Err(FieldErrorCode::Required),
                k => ClassKind::parse(k).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        let title = e.check(
            "title",
            match self.title.trim() {
                "" => Err(FieldErrorCode::Required),
                t if t.chars().count() > 200 => Err(FieldErrorCode::TooLong),
                t => Ok(t.to_owned()),
            },
        );
        let capacity = e.check(
            "capacity",
            match self.capacity {
                None => Err(FieldErrorCode::Required),
                Some(c) if !(1..=MAX_CAPACITY).contains(&c) => Err(FieldErrorCode::OutOfRange),
                Some(c) => Ok(c),
            },
        );
        let from = e.check("enrol_from", values::parse_date(&self.enrol_from));
        let until = e.check(
            "enrol_until",
            values::parse_date(&self.enrol_until).and_then(|u| match from {
                Some(f) if u < f => Err(FieldErrorCode::OutOfRange),
                _ => Ok(u),
            }),
        );
        if !(self.audience.applicants || self.audience.members || self.audience.cadres) {
            e.push("audience", FieldErrorCode::Required);
        }
        if self.sessions.is_empty() {
            e.push("sessions", FieldErrorCode::Required);
        }
        let mut sessions = Vec::new();
        for (i, s) in self.sessions.iter().enumerate() {
            let held_on = e.check(&format!("sessions[{i}].held_on"), values::parse_date(&s.held_on));
            let starts_at = e.check(&format!("sessions[{i}].starts_at"), parse_time(&s.starts_at));
            let place = e
                .check(&format!("sessions[{i}].place"), values::parse_optional_text(s.place.as_deref(), 200))
                .flatten();
            let url = e
                .check(&format!("sessions[{i}].online_url"), values::parse_optional_text(s.online_url.as_deref(), 500))
                .flatten();
            if url.as_deref().is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://"))) {
                e.push(&format!("sessions[{i}].online_url"), FieldErrorCode::InvalidFormat);
            }
            if place.is_none() && url.is_none() {
                e.push(&format!("sessions[{i}].place"), FieldErrorCode::Required);
            }
            if let (Some(held_on), Some(starts_at)) = (held_on, starts_at) {
                sessions.push(ValidSession { id: s.id, held_on, starts_at, place, online_url: url });
            }
        }
        e.finish(|| ValidClass {
            unit_id: self.unit_id.unwrap(),
            kind: kind.unwrap(),
            title: title.unwrap(),
            capacity: capacity.unwrap(),
            enrol_from: from.unwrap(),
            enrol_until: until.unwrap(),
            audience: self.audience,
            sessions,
        })
    }
}

/// A session as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionView {
    pub id: i64,
    pub held_on: NaiveDate,
    pub starts_at: String,
    pub place: Option<String>,
    pub online_url: Option<String>,
}

/// A class as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClassView {
    pub id: i64,
    pub unit_id: OrgUnitId,
    pub unit_name: String,
    pub kind: ClassKind,
    pub title: String,
    pub capacity: i32,
    /// Seats taken.
    pub enrolled: i32,
    /// People waiting for a seat.
    pub waitlisted: i64,
    pub enrol_from: NaiveDate,
    pub enrol_until: NaiveDate,
    pub audience: Audience,
    pub sessions: Vec<SessionView>,
    /// The caller's own enrolment, if any.
    pub my_enrollment: Option<EnrollmentView>,
    pub version: i64,
}

/// `GET /classes` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(default)]
pub struct ClassListQuery {
    /// Classes organised in this unit's subtree (by default: every class the caller may see).
    pub unit_id: Option<OrgUnitId>,
    /// Only classes whose enrolment window contains today.
    pub open: Option<bool>,
}

/// `POST /classes/{id}/enrollments`: enrol oneself (empty body) or, for a cadre, someone else.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EnrollRequest {
    /// An account to enrol (a cadre enrolling an applicant).
    pub user_id: Option<UserId>,
    /// A member to enrol (a cadre enrolling a member of the subtree).
    pub member_id: Option<MemberId>,
}

/// An enrolment as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EnrollmentView {
    pub id: i64,
    pub class_id: i64,
    pub user_id: Option<UserId>,
    pub member_id: Option<MemberId>,
    pub full_name: String,
    pub status: EnrollmentStatus,
    /// The place in the waiting list (1 = next), while waitlisted.
    pub waitlist_position: Option<i64>,
    /// Sessions attended, by session id.
    pub attended: Vec<i64>,
    pub result: Option<ClassResult>,
    pub score: Option<i32>,
    pub essay: EssayStatus,
    pub certificate_no: Option<String>,
    pub enrolled_at: DateTime<Utc>,
    pub version: i64,
}

/// `PUT /classes/{id}/sessions/{session_id}/attendance`: who was there (the whole list).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AttendanceRequest {
    /// Enrolments present at the session; the others are marked absent.
    pub present: Vec<i64>,
}

/// `POST /classes/{id}/sessions/{session_id}/checkin-links`: a short-lived check-in link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinLink {
    /// The signed token (goes into the link).
    pub token: String,
    /// The SPA address attendees open (shown as a QR code).
    pub path: String,
    pub expires_at: DateTime<Utc>,
}

/// `POST /classes/{id}/sessions/{session_id}/checkins`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CheckinRequest {
    pub token: String,
}

/// `PATCH /classes/{id}/enrollments/{enrollment_id}` (with `If-Match`): the result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ResultRequest {
    /// `passed` or `failed`; empty clears it.
    pub result: Option<String>,
    /// 0–100.
    pub score: Option<i32>,
    /// `missing`, `received`, `accepted` or `rejected`.
    pub essay: Option<String>,
}

/// A checked result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidResult {
    pub result: Option<ClassResult>,
    pub score: Option<i32>,
    pub essay: Option<EssayStatus>,
}

impl ResultRequest {
    /// Checks the fields.
    pub fn validate(&self) -> Result<ValidResult, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let result = e.check(
            "result",
            match self.result.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(r) => ClassResult::parse(r).map(Some).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        let score = e.check(
            "score",
            match self.score {
                Some(s) if !(0..=100).contains(&s) => Err(FieldErrorCode::OutOfRange),
                s => Ok(s),
            },
        );
        let essay = e.check(
            "essay",
            match self.essay.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(r) => EssayStatus::parse(r).map(Some).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        e.finish(|| ValidResult { result: result.flatten(), score: score.flatten(), essay: essay.flatten() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class() -> CreateClassRequest {
        CreateClassRequest {
            unit_id: Some(OrgUnitId(1)),
            kind: "orientation".into(),
            title: "Lớp cảm tình Đoàn khóa 1".into(),
            capacity: Some(30),
            enrol_from: "2026-11-01".into(),
            enrol_until: "2026-11-30".into(),
            audience: Audience { applicants: true, ..Default::default() },
            sessions: vec![SessionInput {
                id: None,
                held_on: "2026-12-05".into(),
                starts_at: "8:00".into(),
                place: Some("Hội trường".into()),
                online_url: None,
            }],
        }
    }

    #[test]
    fn a_class_needs_seats_a_window_an_audience_and_sessions_with_a_place_or_a_link() {
        let ok = class().validate().unwrap();
        assert_eq!((ok.kind, ok.sessions[0].starts_at.as_str()), (ClassKind::Orientation, "08:00"));
        let mut bad = class();
        bad.capacity = Some(0);
        bad.enrol_until = "2026-10-01".into();
        bad.audience = Audience::default();
        bad.sessions[0].place = None;
        bad.sessions[0].starts_at = "25:00".into();
        let fields: Vec<String> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["capacity", "enrol_until", "audience", "sessions[0].starts_at", "sessions[0].place"]);
    }

    #[test]
    fn a_result_takes_known_values_and_a_score_out_of_100() {
        let r = ResultRequest { result: Some("passed".into()), score: Some(85), essay: Some("accepted".into()) };
        assert_eq!(r.validate().unwrap().result, Some(ClassResult::Passed));
        let bad = ResultRequest { result: Some("great".into()), score: Some(120), essay: None };
        let fields: Vec<String> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["result", "score"]);
    }
}
