//! Branch life: a unit's meetings and activities (sinh hoạt chi đoàn, họp Ban Chấp hành, hoạt
//! động, sinh hoạt chủ đề), planned ahead (a monthly series in one step) and recorded afterwards
//! (held, minutes, who chaired), their attendance sheet (present, excused with a reason,
//! absent), members' participation per period, and the leaders' figures of units that did not
//! meet. The checks that need no database live here, for the server and the SPA alike.

use crate::error::{FieldErrorCode, FieldErrors};
use crate::ids::{MemberId, OrgUnitId};
use crate::values::{parse_long_text, parse_optional_text};
use crate::{FieldError, Lang};
use chrono::{Datelike, Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The most meetings one series plans (a year of monthly meetings).
pub const MAX_SERIES: u32 = 12;
/// The most lines one attendance sheet saves at once.
pub const MAX_ENTRIES: usize = 2_000;

wire_enum! {
    /// What kind of gathering a meeting is.
    MeetingKind {
        /// The branch's monthly meeting (sinh hoạt chi đoàn): every member is on its sheet.
        BranchMeeting => "branch_meeting", "Sinh hoạt chi đoàn", "Branch meeting";
        /// The committee's (Ban Chấp hành) meeting.
        CommitteeMeeting => "committee_meeting", "Họp Ban Chấp hành", "Committee meeting";
        /// An activity (hoạt động): a grassroots unit holds one a quarter at least.
        Activity => "activity", "Hoạt động", "Activity";
        /// A themed meeting (sinh hoạt chủ đề).
        Themed => "themed", "Sinh hoạt chủ đề", "Themed meeting";
    }
}

wire_enum! {
    /// Where a meeting stands.
    MeetingStatus {
        /// Planned, not yet recorded.
        Planned => "planned", "Dự kiến", "Planned";
        /// Held: its attendance counts.
        Held => "held", "Đã tổ chức", "Held";
        /// Called off before it was held.
        Cancelled => "cancelled", "Đã hủy", "Cancelled";
    }
}

wire_enum! {
    /// One line of an attendance sheet.
    AttendanceStatus {
        Present => "present", "Có mặt", "Present";
        /// Absent with a valid reason (written on the line).
        Excused => "excused", "Vắng có lý do", "Excused";
        Absent => "absent", "Vắng", "Absent";
    }
}

/// Parses a meeting's local time, `YYYY-MM-DDTHH:MM` (seconds allowed, or a space for `T`).
pub fn parse_starts_at(raw: &str) -> Result<NaiveDateTime, FieldErrorCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldErrorCode::Required);
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw, f).ok())
        .filter(|t| (2000..=2100).contains(&t.year()))
        .ok_or(FieldErrorCode::InvalidFormat)
}

fn optional_url(e: &mut FieldErrors, field: &str, raw: Option<&str>) -> Option<String> {
    let url = e.check(field, parse_optional_text(raw, 500)).flatten();
    if url.as_deref().is_some_and(|u| !(u.starts_with("https://") || u.starts_with("http://"))) {
        e.push(field, FieldErrorCode::InvalidFormat);
    }
    url
}

/// `POST /meetings`: plans a meeting, or with `repeat_months` a monthly series.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MeetingForm {
    /// The unit holding it (a branch, or a grassroots unit or higher for activities).
    pub unit_id: Option<OrgUnitId>,
    /// `branch_meeting`, `committee_meeting`, `activity` or `themed`.
    pub kind: String,
    /// Local time, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    pub title: String,
    /// A place, or empty when online.
    pub place: Option<String>,
    /// A meeting link when it is held online.
    pub online_url: Option<String>,
    /// The agenda (several lines).
    pub agenda: Option<String>,
    /// Plan this many meetings (1–12), one a month from `starts_at` on the same day and time
    /// (the month's last day where it is shorter). Default 1.
    pub repeat_months: Option<u32>,
}

/// A checked meeting plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidMeeting {
    pub unit_id: OrgUnitId,
    pub kind: MeetingKind,
    pub starts_at: NaiveDateTime,
    pub title: String,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub agenda: Option<String>,
    pub repeat_months: u32,
}

impl ValidMeeting {
    /// The times of the series: `starts_at`, then a month later each, `repeat_months` in all.
    pub fn series(&self) -> Vec<NaiveDateTime> {
        (0..self.repeat_months).filter_map(|i| self.starts_at.checked_add_months(Months::new(i))).collect()
    }
}

impl MeetingForm {
    /// Checks every field.
    pub fn validate(&self) -> Result<ValidMeeting, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        if self.unit_id.is_none() {
            e.push("unit_id", FieldErrorCode::Required);
        }
        let kind = e.check(
            "kind",
            match self.kind.trim() {
                "" => Err(FieldErrorCode::Required),
                k => MeetingKind::parse(k).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        let starts_at = e.check("starts_at", parse_starts_at(&self.starts_at));
        let title = e.required_text("title", &self.title, 200);
        let place = e.check("place", parse_optional_text(self.place.as_deref(), 200)).flatten();
        let online_url = optional_url(&mut e, "online_url", self.online_url.as_deref());
        if place.is_none() && online_url.is_none() && !e.has("place") && !e.has("online_url") {
            e.push("place", FieldErrorCode::Required);
        }
        let agenda = e.check("agenda", parse_long_text(self.agenda.as_deref(), 5_000)).flatten();
        let repeat_months = e.check(
            "repeat_months",
            match self.repeat_months.unwrap_or(1) {
                n if (1..=MAX_SERIES).contains(&n) => Ok(n),
                _ => Err(FieldErrorCode::OutOfRange),
            },
        );
        e.finish(|| ValidMeeting {
            unit_id: self.unit_id.unwrap(),
            kind: kind.unwrap(),
            starts_at: starts_at.unwrap(),
            title: title.unwrap(),
            place,
            online_url,
            agenda,
            repeat_months: repeat_months.unwrap(),
        })
    }
}

/// `PATCH /meetings/{id}` (with `If-Match`): changes a plan, records it as held (with minutes
/// and who chaired) or calls it off. Absent fields stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MeetingPatch {
    /// `held` (not before its time) or `cancelled` (only while planned).
    pub status: Option<String>,
    /// Local time, `YYYY-MM-DDTHH:MM` (only while planned).
    pub starts_at: Option<String>,
    pub title: Option<String>,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub agenda: Option<String>,
    /// The minutes (several lines).
    pub minutes: Option<String>,
    /// Who chaired, as written in the minutes.
    pub chaired_by: Option<String>,
    /// Guests recorded, e.g. a visiting cadre of a higher unit (name and unit).
    pub guests: Option<String>,
}

/// A checked meeting change: `None` keeps a field, `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidMeetingPatch {
    pub status: Option<MeetingStatus>,
    pub starts_at: Option<NaiveDateTime>,
    pub title: Option<String>,
    pub place: Option<Option<String>>,
    pub online_url: Option<Option<String>>,
    pub agenda: Option<Option<String>>,
    pub minutes: Option<Option<String>>,
    pub chaired_by: Option<Option<String>>,
    pub guests: Option<Option<String>>,
}

impl MeetingPatch {
    /// Checks the fields sent.
    pub fn validate(&self) -> Result<ValidMeetingPatch, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let status = match self.status.as_deref() {
            None => None,
            Some(s) => e.check(
                "status",
                match MeetingStatus::parse(s) {
                    Some(MeetingStatus::Planned) | None => Err(FieldErrorCode::UnknownValue),
                    Some(s) => Ok(s),
                },
            ),
        };
        let starts_at = self.starts_at.as_deref().and_then(|s| e.check("starts_at", parse_starts_at(s)));
        let title = self.title.as_deref().and_then(|t| e.required_text("title", t, 200));
        let place = self.place.as_deref().map(|p| e.check("place", parse_optional_text(Some(p), 200)).flatten());
        let online_url = self.online_url.as_deref().map(|u| optional_url(&mut e, "online_url", Some(u)));
        let agenda = self.agenda.as_deref().map(|a| e.check("agenda", parse_long_text(Some(a), 5_000)).flatten());
        let minutes = self.minutes.as_deref().map(|m| e.check("minutes", parse_long_text(Some(m), 20_000)).flatten());
        let chaired_by =
            self.chaired_by.as_deref().map(|c| e.check("chaired_by", parse_optional_text(Some(c), 200)).flatten());
        let guests = self.guests.as_deref().map(|g| e.check("guests", parse_long_text(Some(g), 2_000)).flatten());
        e.finish(|| ValidMeetingPatch {
            status,
            starts_at,
            title,
            place,
            online_url,
            agenda,
            minutes,
            chaired_by,
            guests,
        })
    }
}

/// A meeting as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingView {
    pub id: i64,
    pub unit_id: OrgUnitId,
    pub unit_name: String,
    pub kind: MeetingKind,
    pub status: MeetingStatus,
    /// Local (Vietnam) wall-clock time, `YYYY-MM-DDTHH:MM:SS`, without an offset.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-01-10T19:30:00"))]
    pub starts_at: NaiveDateTime,
    pub title: String,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub agenda: Option<String>,
    pub minutes: Option<String>,
    pub chaired_by: Option<String>,
    pub guests: Option<String>,
    /// The sheet's lines by status (zero until attendance is recorded).
    pub present: i64,
    pub excused: i64,
    pub absent: i64,
    pub version: i64,
    /// Whether the caller may plan, record and take attendance for it.
    pub can_manage: bool,
}

/// `POST /meetings` answer: the meetings planned (one, or the series).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlannedMeetings {
    pub items: Vec<MeetingView>,
}

/// One line sent in `PUT /meetings/{id}/attendance`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AttendanceEntry {
    pub member_id: Option<MemberId>,
    /// `present`, `excused` (with `reason`) or `absent`.
    pub status: String,
    /// Why the member was excused (required then).
    pub reason: Option<String>,
}

/// `PUT /meetings/{id}/attendance` (with `If-Match`): the lines ticked, the whole sheet or part
/// of it. Saving it records the meeting as held; a branch meeting's members left out are absent
/// unless they checked in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AttendanceForm {
    pub entries: Vec<AttendanceEntry>,
}

/// A checked line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidEntry {
    pub member_id: MemberId,
    pub status: AttendanceStatus,
    pub reason: Option<String>,
}

impl AttendanceForm {
    /// Checks every line: lines are named `entries[i].field`; a member twice is `Duplicate`.
    pub fn validate(&self) -> Result<Vec<ValidEntry>, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        if self.entries.len() > MAX_ENTRIES {
            e.push("entries", FieldErrorCode::TooLong);
        }
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        for (i, line) in self.entries.iter().enumerate() {
            let member = match line.member_id {
                None => {
                    e.push(&format!("entries[{i}].member_id"), FieldErrorCode::Required);
                    None
                }
                Some(m) if !seen.insert(m) => {
                    e.push(&format!("entries[{i}].member_id"), FieldErrorCode::Duplicate);
                    None
                }
                Some(m) => Some(m),
            };
            let status = e.check(
                &format!("entries[{i}].status"),
                match line.status.trim() {
                    "" => Err(FieldErrorCode::Required),
                    s => AttendanceStatus::parse(s).ok_or(FieldErrorCode::UnknownValue),
                },
            );
            let field = format!("entries[{i}].reason");
            let reason = e.check(&field, parse_optional_text(line.reason.as_deref(), 300)).flatten();
            if status == Some(AttendanceStatus::Excused) && reason.is_none() && !e.has(&field) {
                e.push(&field, FieldErrorCode::Required);
            }
            if let (Some(member_id), Some(status)) = (member, status) {
                let reason = if status == AttendanceStatus::Present { None } else { reason };
                out.push(ValidEntry { member_id, status, reason });
            }
        }
        e.finish(|| out)
    }
}

/// One line of a meeting's sheet: a member of the unit on the day, and what was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceLine {
    pub member_id: MemberId,
    pub full_name: String,
    /// The member's branch (for a grassroots unit's sheet).
    pub unit_name: String,
    /// Nothing recorded yet when absent.
    pub status: Option<AttendanceStatus>,
    pub reason: Option<String>,
    /// `list` (ticked by a cadre) or `qr` (checked in by the member).
    pub method: Option<String>,
}

/// `GET|PUT /meetings/{id}/attendance`: the meeting and its sheet, in the member list's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceSheet {
    pub meeting: MeetingView,
    pub lines: Vec<AttendanceLine>,
}

/// One month of a member's participation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MonthParticipation {
    /// `YYYY-MM`.
    pub month: String,
    /// Branch meetings held with the member on the sheet.
    pub held: i64,
    pub present: i64,
    pub excused: i64,
}

/// `GET /members/{id}/participation?year=`: the member's branch meetings in the period
/// (calendar or school year, as the branch's sector), and the other meetings attended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Participation {
    pub member_id: MemberId,
    pub year: i32,
    /// `calendar` or `school`.
    pub period_kind: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub held: i64,
    pub present: i64,
    pub excused: i64,
    pub absent: i64,
    /// Present ÷ held, in percent rounded down (none before a meeting is held). The top rating
    /// (HTXSNV) asks for 90.
    pub rate: Option<i64>,
    /// Months with a branch meeting held that the member neither attended nor was excused from.
    pub months_missed: Vec<String>,
    /// Committee meetings, activities and themed meetings attended.
    pub other_attended: i64,
    pub months: Vec<MonthParticipation>,
}

/// `present ÷ held` in percent, rounded down.
pub fn rate(present: i64, held: i64) -> Option<i64> {
    (held > 0).then(|| present * 100 / held)
}

/// `GET /meetings/stats?unit_id=&month=`: a subtree's branch life in a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingStats {
    pub unit_id: OrgUnitId,
    /// `YYYY-MM`.
    pub month: String,
    /// Branches that meet monthly (not marked as border), and how many met in the month.
    pub branches: i64,
    pub branches_met: i64,
    /// Border branches (meeting every three months at least) and how many met in the quarter.
    pub border_branches: i64,
    pub border_branches_met: i64,
    /// Grassroots units, and how many held an activity in the month's quarter.
    pub grassroots_units: i64,
    pub grassroots_active: i64,
    /// Meetings held in the month, by kind.
    pub held: Vec<KindCount>,
    /// Removal candidates of the month's year waiting for a decision (as the units' lists were last read).
    pub removal_candidates: i64,
}

/// Meetings of a kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindCount {
    pub kind: MeetingKind,
    pub count: i64,
}

/// Which units `GET /meetings/missing` lists.
pub const MISSING_LEVELS: [&str; 2] = ["branch", "grassroots"];

/// A unit that did not meet when it should have (`GET /meetings/missing`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitGap {
    pub unit_id: OrgUnitId,
    pub name: String,
    /// The unit above it.
    pub parent_name: Option<String>,
    /// A border branch (meets every three months at least).
    pub border: bool,
}

/// The quarter's months (`YYYY-MM`) of the month `month` (its first day).
pub fn quarter_months(month: NaiveDate) -> [NaiveDate; 3] {
    let first = NaiveDate::from_ymd_opt(month.year(), (month.month0() / 3) * 3 + 1, 1).unwrap_or(month);
    [0, 1, 2].map(|i| first.checked_add_months(Months::new(i)).unwrap_or(first))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> MeetingForm {
        MeetingForm {
            unit_id: Some(OrgUnitId(5)),
            kind: "branch_meeting".into(),
            starts_at: "2026-01-31T19:30".into(),
            title: "Sinh hoạt tháng 1".into(),
            place: Some("Nhà văn hóa".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_series_is_monthly_and_keeps_to_short_months() {
        let v = MeetingForm { repeat_months: Some(3), ..form() }.validate().unwrap();
        let days: Vec<String> = v.series().iter().map(|t| t.format("%Y-%m-%d %H:%M").to_string()).collect();
        assert_eq!(days, ["2026-01-31 19:30", "2026-02-28 19:30", "2026-03-31 19:30"]);
    }

    #[test]
    fn a_plan_needs_a_kind_a_time_and_a_place_or_a_link() {
        let bad = MeetingForm {
            kind: "party".into(),
            starts_at: "31/01/2026".into(),
            place: None,
            repeat_months: Some(13),
            ..form()
        };
        let fields: Vec<String> = bad.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["kind", "starts_at", "place", "repeat_months"]);
        let online = MeetingForm { place: None, online_url: Some("https://meet.example/x".into()), ..form() };
        assert!(online.validate().is_ok());
    }

    #[test]
    fn an_excused_line_needs_its_reason_and_a_member_comes_once() {
        let line = |m, s: &str, r: Option<&str>| AttendanceEntry {
            member_id: Some(MemberId(m)),
            status: s.into(),
            reason: r.map(Into::into),
        };
        let form = AttendanceForm {
            entries: vec![line(1, "present", Some("x")), line(2, "excused", None), line(1, "absent", None)],
        };
        let fields: Vec<String> = form.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["entries[1].reason", "entries[2].member_id"]);
        let ok = AttendanceForm { entries: vec![line(1, "present", Some("x")), line(2, "excused", Some("ốm"))] };
        let lines = ok.validate().unwrap();
        assert_eq!(lines[0].reason, None, "a present line keeps no reason");
        assert_eq!(lines[1].reason.as_deref(), Some("ốm"));
    }

    #[test]
    fn quarters_and_rates() {
        let d = |m| NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
        assert_eq!(quarter_months(d(5)), [d(4), d(5), d(6)]);
        assert_eq!(rate(9, 10), Some(90));
        assert_eq!(rate(2, 3), Some(66));
        assert_eq!(rate(0, 0), None);
    }
}
