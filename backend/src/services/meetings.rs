//! Branch life (`shared::api::meetings`): a unit's cadres plan meetings (a monthly series in one
//! step), record them as held, and keep the attendance sheet — ticked on a phone, or checked in
//! by members with a short-lived QR code; members read their branch's upcoming meetings and their
//! participation. Holding a meeting moves the leaders' counters per unit and month
//! (`unit_month_counts`) in its own transaction, so a province's page of branches that did not
//! meet is read from them.

use super::{audit, classes::CHECKIN_TTL_SECS, programme_registrations::fill_from, stored};
use crate::auth::{AuthUser, CheckinFor, TokenKeys};
use crate::db::meetings::{GapQuery, Line, MeetingChanges, MeetingQuery, MeetingRow, NewMeetingRow, RosterRow};
use crate::db::unit_counts::{along, month_of};
use crate::db::{self, org_units::OrgUnitRow, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use shared::api::classes::CheckinLink;
use shared::api::meetings::{
    quarter_months, rate, AttendanceLine, AttendanceSheet, AttendanceStatus, KindCount, MeetingKind, MeetingStats,
    MeetingStatus, MeetingView, MonthParticipation, Participation, UnitGap, ValidEntry, ValidMeeting,
    ValidMeetingPatch,
};
use shared::api::page::Paging;
use shared::api::programmes::{ItemLink, PeriodKind};
use shared::api::Page;
use shared::ids::{MemberId, OrgUnitId, UserId};
use shared::org::OrgKind;
use shared::roles::Capability;
use shared::FieldErrorCode;
use std::collections::{BTreeMap, HashMap};

/// Branches (monthly ones) that held a branch meeting in the month.
pub const BRANCHES_MET: &str = "branches_met";
/// Border branches that held a branch meeting in the quarter (kept under the quarter's first month).
pub const BORDER_BRANCHES_MET: &str = "border_branches_met";
/// Grassroots units with an activity held in their subtree in the quarter (under its first month).
pub const GRASSROOTS_ACTIVE: &str = "grassroots_active";

/// The counter of meetings of `kind` held (in the unit's subtree) in a month.
pub fn held_counter(kind: MeetingKind) -> String {
    format!("held:{}", kind.as_str())
}

fn kind_of(row: &MeetingRow) -> Result<MeetingKind, ApiError> {
    stored(MeetingKind::parse(&row.kind), "meetings.kind", &row.kind)
}

fn status_of(row: &MeetingRow) -> Result<MeetingStatus, ApiError> {
    stored(MeetingStatus::parse(&row.status), "meetings.status", &row.status)
}

fn may_manage(user: &AuthUser, row: &MeetingRow) -> bool {
    scope::require(user, Capability::ManageMembers, &row.unit_path).is_ok()
}

fn view(user: &AuthUser, row: &MeetingRow, unit_name: String) -> Result<MeetingView, ApiError> {
    Ok(MeetingView {
        id: row.id,
        unit_id: OrgUnitId(row.unit_id),
        unit_name,
        kind: kind_of(row)?,
        status: status_of(row)?,
        starts_at: row.starts_at,
        title: row.title.clone(),
        place: row.place.clone(),
        online_url: row.online_url.clone(),
        agenda: row.agenda.clone(),
        minutes: row.minutes.clone(),
        chaired_by: row.chaired_by.clone(),
        guests: row.guests.clone(),
        present: row.present,
        excused: row.excused,
        absent: row.absent,
        version: row.version,
        can_manage: may_manage(user, row),
    })
}

/// The caller's own live member record.
fn own_member(conn: &mut AnyConnection, user: &AuthUser) -> Result<Option<db::members::MemberRow>, ApiError> {
    Ok(db::members::live_of_user(conn, user.id.0)?)
}

/// A meeting the caller may read: its unit's cadres (and those above), and the members of the
/// units it is held for (a branch's members read their branch's and their grassroots unit's).
fn readable(conn: &mut AnyConnection, user: &AuthUser, id: i64) -> Result<(MeetingRow, String), ApiError> {
    let (row, unit_name) = db::meetings::find(conn, id)?.ok_or(ApiError::NotFound("meeting"))?;
    if scope::require(user, Capability::ReadRecords, &row.unit_path).is_ok() {
        return Ok((row, unit_name));
    }
    match own_member(conn, user)? {
        Some(m) if m.unit_path.starts_with(&row.unit_path) => Ok((row, unit_name)),
        _ => Err(ApiError::NotFound("meeting")),
    }
}

/// A meeting the caller manages (404 when they may not read it, 403 when only read).
fn managed(conn: &mut AnyConnection, user: &AuthUser, id: i64) -> Result<(MeetingRow, String), ApiError> {
    let (row, unit_name) = readable(conn, user, id)?;
    scope::require(user, Capability::ManageMembers, &row.unit_path)?;
    Ok((row, unit_name))
}

fn audit_unit(row: &MeetingRow) -> audit::Unit<'_> {
    audit::Unit { id: row.unit_id, path: &row.unit_path }
}

/// Plans a meeting, or a monthly series of them, for a unit (its cadres, or those above): a
/// branch meeting is a branch's; a dissolved unit holds none.
pub fn plan(conn: &mut AnyConnection, user: &AuthUser, v: ValidMeeting) -> Result<Vec<MeetingView>, ApiError> {
    let ids = db::write(conn, |conn| {
        let unit = db::org_units::find(conn, v.unit_id.0)?.ok_or(ApiError::NotFound("org unit"))?;
        if scope::best_role(user, &unit.path).is_none() {
            return Err(ApiError::NotFound("org unit"));
        }
        scope::require(user, Capability::ManageMembers, &unit.path)?;
        if unit.dissolved_on.is_some() {
            return Err(ApiError::field("unit_id", FieldErrorCode::Dissolved));
        }
        if v.kind == MeetingKind::BranchMeeting && OrgKind::parse(&unit.kind) != Some(OrgKind::Branch) {
            return Err(ApiError::field("kind", FieldErrorCode::NotAllowed));
        }
        let now = db::now();
        let mut ids = Vec::new();
        for starts_at in v.series() {
            let id = db::meetings::insert(
                conn,
                &NewMeetingRow {
                    unit_id: unit.id,
                    unit_path: &unit.path,
                    kind: v.kind.as_str(),
                    starts_at,
                    title: &v.title,
                    place: v.place.as_deref(),
                    online_url: v.online_url.as_deref(),
                    agenda: v.agenda.as_deref(),
                    created_by: Some(user.id.0),
                    created_at: now,
                    updated_at: now,
                },
            )?;
            let after = serde_json::json!({ "kind": v.kind.as_str(), "starts_at": starts_at, "title": v.title });
            audit::record(
                conn,
                audit::Change::<(), _> {
                    actor: Some(user.id),
                    action: "meeting.plan",
                    entity_type: "meeting",
                    entity_id: id,
                    unit: Some(audit::Unit::of(&unit)),
                    before: None,
                    after: Some(&after),
                },
            )?;
            ids.push(id);
        }
        Ok::<_, ApiError>(ids)
    })?;
    ids.into_iter().map(|id| get(conn, user, id)).collect()
}

pub fn get(conn: &mut AnyConnection, user: &AuthUser, id: i64) -> Result<MeetingView, ApiError> {
    let (row, unit_name) = readable(conn, user, id)?;
    view(user, &row, unit_name)
}

fn page(
    conn: &mut AnyConnection,
    user: &AuthUser,
    q: &MeetingQuery<'_>,
    paging: Paging,
) -> Result<Page<MeetingView>, ApiError> {
    let (rows, total) = db::meetings::list(conn, q, paging.offset(), paging.per_page)?;
    let items = rows.into_iter().map(|(r, name)| view(user, &r, name)).collect::<Result<_, _>>()?;
    Ok(paging.wrap(items, total))
}

/// The meetings of a unit's subtree from `from` until before `until`, in time order (its
/// cadres and those above; another subtree is 404).
pub fn list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit: OrgUnitId,
    from: Option<NaiveDateTime>,
    until: Option<NaiveDateTime>,
    paging: Paging,
) -> Result<Page<MeetingView>, ApiError> {
    let unit = db::org_units::find(conn, unit.0)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ReadRecords, &unit.path).map_err(|_| ApiError::NotFound("org unit"))?;
    let q = MeetingQuery { path: &unit.path, line: false, from, until, statuses: &[], latest_first: false };
    page(conn, user, &q, paging)
}

/// The caller's coming meetings: those of their branch and of the units above it, planned or
/// held, from three hours ago on (an empty page for someone who is no member).
pub fn upcoming(
    conn: &mut AnyConnection,
    user: &AuthUser,
    now: NaiveDateTime,
    paging: Paging,
) -> Result<Page<MeetingView>, ApiError> {
    let Some(member) = own_member(conn, user)? else {
        return Ok(paging.wrap(Vec::new(), 0));
    };
    let q = MeetingQuery {
        path: &member.unit_path,
        line: true,
        from: Some(now - chrono::Duration::hours(3)),
        until: None,
        statuses: &[MeetingStatus::Planned.as_str(), MeetingStatus::Held.as_str()],
        latest_first: false,
    };
    page(conn, user, &q, paging)
}

/// The grassroots unit a unit belongs to (itself, or the nearest one above it).
fn grassroots_of(conn: &mut AnyConnection, unit: &OrgUnitRow) -> Result<Option<OrgUnitRow>, ApiError> {
    let line = db::org_units::find_many(conn, &db::org_units::path_ids(&unit.path))?;
    Ok(line.into_iter().filter(|u| OrgKind::parse(&u.kind) == Some(OrgKind::Grassroots)).max_by_key(|u| u.path.len()))
}

/// Sum of `counter` for the unit over `months`.
fn sum_over(conn: &mut AnyConnection, unit_id: i64, counter: &str, months: &[String]) -> Result<i64, ApiError> {
    let first = months.first().cloned().unwrap_or_default();
    let last = months.last().cloned().unwrap_or_default();
    Ok(db::unit_counts::read(conn, &[unit_id], &[counter], &first, &last)?.iter().map(|r| r.3).sum())
}

fn quarter_keys(day: NaiveDate) -> Vec<String> {
    quarter_months(day.with_day(1).unwrap_or(day)).iter().map(|d| month_of(*d)).collect()
}

/// What holding a meeting counts: meetings held by kind for its unit and every unit above; a
/// branch's first branch meeting of the month (of the quarter, for a border branch); a
/// grassroots unit's first activity of the quarter.
fn count_held(conn: &mut AnyConnection, row: &MeetingRow, kind: MeetingKind) -> Result<(), ApiError> {
    let day = row.starts_at.date();
    let month = month_of(day);
    let quarter = quarter_keys(day);
    let unit = db::org_units::find(conn, row.unit_id)?.ok_or(ApiError::NotFound("org unit"))?;
    let counter = held_counter(kind);
    if kind == MeetingKind::BranchMeeting && OrgKind::parse(&unit.kind) == Some(OrgKind::Branch) {
        let (key, months, counted) = if unit.border {
            (quarter[0].clone(), quarter.clone(), BORDER_BRANCHES_MET)
        } else {
            (month.clone(), vec![month.clone()], BRANCHES_MET)
        };
        if sum_over(conn, unit.id, &counter, &months)? == 0 {
            db::unit_counts::add(conn, &key, counted, &along(&unit.path, 1))?;
        }
    }
    if kind == MeetingKind::Activity {
        if let Some(g) = grassroots_of(conn, &unit)? {
            if sum_over(conn, g.id, &counter, &quarter)? == 0 {
                db::unit_counts::add(conn, &quarter[0], GRASSROOTS_ACTIVE, &along(&g.path, 1))?;
            }
        }
    }
    db::unit_counts::add(conn, &month, &counter, &along(&unit.path, 1))?;
    Ok(())
}

/// Who may be on the meeting's sheet: the members of its unit on the day.
fn roster(conn: &mut AnyConnection, row: &MeetingRow, only: Option<&[i64]>) -> Result<Vec<RosterRow>, ApiError> {
    Ok(db::meetings::roster(conn, &row.unit_path, row.starts_at.date(), only)?)
}

/// The statuses on a sheet, by member.
fn lines_by_member(
    conn: &mut AnyConnection,
    meeting_id: i64,
) -> Result<HashMap<i64, db::meetings::AttendanceRow>, ApiError> {
    Ok(db::meetings::attendance(conn, meeting_id)?.into_iter().map(|l| (l.member_id, l)).collect())
}

/// Writes the sheet's counts onto the meeting and moves its version on.
fn settle_counts(conn: &mut AnyConnection, row: &MeetingRow, status: Option<MeetingStatus>) -> Result<(), ApiError> {
    let lines = db::meetings::attendance(conn, row.id)?;
    let count = |s: AttendanceStatus| lines.iter().filter(|l| l.status == s.as_str()).count() as i64;
    let changes = MeetingChanges {
        status: status.map(MeetingStatus::as_str),
        present: Some(count(AttendanceStatus::Present)),
        excused: Some(count(AttendanceStatus::Excused)),
        absent: Some(count(AttendanceStatus::Absent)),
        ..Default::default()
    };
    if !db::meetings::update(conn, row.id, row.version, &changes, db::now())? {
        return Err(ApiError::PreconditionFailed);
    }
    Ok(())
}

/// Fills the programme items linked to the meeting's kind for the members whose presence at a
/// held meeting changed (`+1` now present, `-1` no longer).
fn fill_programmes(
    conn: &mut AnyConnection,
    user: &AuthUser,
    row: &MeetingRow,
    kind: MeetingKind,
    changes: &BTreeMap<i64, i32>,
) -> Result<(), ApiError> {
    let why = format!("{}: {}", kind.label(shared::Lang::Vi), row.title);
    for (&member, &delta) in changes.iter().filter(|(_, d)| **d != 0) {
        fill_from(conn, user, member, ItemLink::Meeting(kind), &why, delta, row.starts_at.date())?;
    }
    Ok(())
}

/// Who was present: `held` false counts nobody (presence counts once the meeting is held).
fn present_set(lines: &HashMap<i64, db::meetings::AttendanceRow>, held: bool) -> BTreeMap<i64, i32> {
    lines
        .values()
        .filter(|l| held && l.status == AttendanceStatus::Present.as_str())
        .map(|l| (l.member_id, 1))
        .collect()
}

fn presence_changes(before: &BTreeMap<i64, i32>, after: &BTreeMap<i64, i32>) -> BTreeMap<i64, i32> {
    let mut d: BTreeMap<i64, i32> = after.clone();
    for m in before.keys() {
        *d.entry(*m).or_insert(0) -= 1;
    }
    d
}

/// Changes a planned meeting, records it as held (not before its time; its sheet's presence
/// then counts) or calls it off (only while planned). With `If-Match`.
pub fn update(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    expected: i64,
    p: ValidMeetingPatch,
    now: NaiveDateTime,
) -> Result<MeetingView, ApiError> {
    db::write(conn, |conn| {
        let (row, unit_name) = managed(conn, user, id)?;
        if row.version != expected {
            return Err(ApiError::PreconditionFailed);
        }
        let status = status_of(&row)?;
        let kind = kind_of(&row)?;
        let changes_plan = p.status.is_some_and(|s| s != status) || p.starts_at.is_some_and(|t| t != row.starts_at);
        if status != MeetingStatus::Planned && changes_plan {
            return Err(ApiError::InvalidState(row.status.clone()));
        }
        let starts_at = p.starts_at.unwrap_or(row.starts_at);
        let becomes_held = status == MeetingStatus::Planned && p.status == Some(MeetingStatus::Held);
        if becomes_held && starts_at > now {
            return Err(ApiError::field("status", FieldErrorCode::InFuture));
        }
        let before = view(user, &row, unit_name.clone())?;
        let changes = MeetingChanges {
            status: p.status.filter(|s| *s != status).map(MeetingStatus::as_str),
            starts_at: p.starts_at,
            title: p.title.as_deref(),
            place: p.place.as_ref().map(|x| x.as_deref()),
            online_url: p.online_url.as_ref().map(|x| x.as_deref()),
            agenda: p.agenda.as_ref().map(|x| x.as_deref()),
            minutes: p.minutes.as_ref().map(|x| x.as_deref()),
            chaired_by: p.chaired_by.as_ref().map(|x| x.as_deref()),
            guests: p.guests.as_ref().map(|x| x.as_deref()),
            ..Default::default()
        };
        if !db::meetings::update(conn, row.id, expected, &changes, db::now())? {
            return Err(ApiError::PreconditionFailed);
        }
        let (updated, _) = db::meetings::find(conn, id)?.ok_or(ApiError::NotFound("meeting"))?;
        if becomes_held {
            count_held(conn, &updated, kind)?;
            let lines = lines_by_member(conn, id)?;
            fill_programmes(conn, user, &updated, kind, &present_set(&lines, true))?;
        }
        let after = view(user, &updated, unit_name)?;
        audit::record(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: "meeting.update",
                entity_type: "meeting",
                entity_id: id,
                unit: Some(audit_unit(&updated)),
                before: Some(&before),
                after: Some(&after),
            },
        )?;
        Ok(after)
    })
}

fn line_view(r: &RosterRow, line: Option<&db::meetings::AttendanceRow>) -> Result<AttendanceLine, ApiError> {
    Ok(AttendanceLine {
        member_id: MemberId(r.member_id),
        full_name: r.full_name.clone(),
        unit_name: r.unit_name.clone(),
        status: line
            .map(|l| stored(AttendanceStatus::parse(&l.status), "meeting_attendance.status", &l.status))
            .transpose()?,
        reason: line.and_then(|l| l.reason.clone()),
        method: line.map(|l| l.method.clone()),
    })
}

/// The meeting and its sheet: every member of its unit on the day, with what was recorded (its
/// cadres and those above).
pub fn sheet(conn: &mut AnyConnection, user: &AuthUser, id: i64) -> Result<AttendanceSheet, ApiError> {
    let (row, unit_name) = readable(conn, user, id)?;
    scope::require(user, Capability::ReadRecords, &row.unit_path)?;
    let lines = lines_by_member(conn, id)?;
    let roster = roster(conn, &row, None)?;
    Ok(AttendanceSheet {
        meeting: view(user, &row, unit_name)?,
        lines: roster.iter().map(|r| line_view(r, lines.get(&r.member_id))).collect::<Result<_, _>>()?,
    })
}

/// Saves attendance lines (with `If-Match`) and records the meeting as held: each line names a
/// member of the unit on the day (else 422 naming the line); a branch meeting's members left out
/// and not checked in are absent. A cadre's own line is theirs to check in, not to tick (403
/// `own_case` when it would change). Corrections after the meeting are audited line by line.
pub fn save_attendance(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    expected: i64,
    entries: Vec<ValidEntry>,
    now: NaiveDateTime,
) -> Result<AttendanceSheet, ApiError> {
    db::write(conn, |conn| {
        let (row, _) = managed(conn, user, id)?;
        if row.version != expected {
            return Err(ApiError::PreconditionFailed);
        }
        let status = status_of(&row)?;
        let kind = kind_of(&row)?;
        if status == MeetingStatus::Cancelled {
            return Err(ApiError::InvalidState(row.status.clone()));
        }
        if row.starts_at > now {
            return Err(ApiError::field("starts_at", FieldErrorCode::InFuture));
        }
        let ids: Vec<i64> = entries.iter().map(|e| e.member_id.0).collect();
        let on_roster: HashMap<i64, RosterRow> =
            roster(conn, &row, Some(&ids))?.into_iter().map(|r| (r.member_id, r)).collect();
        let before = lines_by_member(conn, id)?;
        for (i, e) in entries.iter().enumerate() {
            let Some(r) = on_roster.get(&e.member_id.0) else {
                return Err(ApiError::field(&format!("entries[{i}].member_id"), FieldErrorCode::NotInUnit));
            };
            let old = before.get(&e.member_id.0);
            let same = old.is_some_and(|o| o.status == e.status.as_str() && o.reason == e.reason);
            if !same && scope::is_about_self(user, r.user_id.map(UserId)) {
                return Err(ApiError::OwnCase);
            }
        }
        let at = db::now();
        let mut changed = Vec::new();
        for e in &entries {
            let old = before.get(&e.member_id.0);
            if old.is_some_and(|o| o.status == e.status.as_str() && o.reason == e.reason) {
                continue;
            }
            let l = Line {
                status: e.status.as_str(),
                reason: e.reason.as_deref(),
                method: "list",
                recorded_by: Some(user.id.0),
                at,
            };
            db::meetings::set_line(conn, id, e.member_id.0, &l)?;
            changed.push(serde_json::json!({
                "member_id": e.member_id.0,
                "before": old.map(|o| o.status.clone()),
                "after": e.status.as_str(),
                "reason": e.reason,
            }));
        }
        if kind == MeetingKind::BranchMeeting {
            let listed: std::collections::HashSet<i64> = ids.iter().copied().collect();
            for r in roster(conn, &row, None)? {
                if !listed.contains(&r.member_id) && !before.contains_key(&r.member_id) {
                    let l = Line {
                        status: AttendanceStatus::Absent.as_str(),
                        reason: None,
                        method: "list",
                        recorded_by: Some(user.id.0),
                        at,
                    };
                    db::meetings::set_line(conn, id, r.member_id, &l)?;
                }
            }
        }
        let was_held = status == MeetingStatus::Held;
        let after_lines = lines_by_member(conn, id)?;
        let presence = presence_changes(&present_set(&before, was_held), &present_set(&after_lines, true));
        settle_counts(conn, &row, (!was_held).then_some(MeetingStatus::Held))?;
        if !was_held {
            count_held(conn, &row, kind)?;
        }
        fill_programmes(conn, user, &row, kind, &presence)?;
        let after = serde_json::json!({ "held": true, "lines": changed });
        audit::record(
            conn,
            audit::Change::<(), _> {
                actor: Some(user.id),
                action: if was_held { "meeting.attendance_corrected" } else { "meeting.attendance" },
                entity_type: "meeting",
                entity_id: id,
                unit: Some(audit_unit(&row)),
                before: None,
                after: Some(&after),
            },
        )?;
        Ok::<_, ApiError>(())
    })?;
    sheet(conn, user, id)
}

/// A check-in link for a meeting, valid for `CHECKIN_TTL_SECS`, for its cadres.
pub fn checkin_link(
    conn: &mut AnyConnection,
    user: &AuthUser,
    keys: &TokenKeys,
    id: i64,
) -> Result<CheckinLink, ApiError> {
    let (row, _) = managed(conn, user, id)?;
    if status_of(&row)? == MeetingStatus::Cancelled {
        return Err(ApiError::InvalidState(row.status));
    }
    let exp = chrono::Utc::now().timestamp() + CHECKIN_TTL_SECS;
    let token = keys.issue_checkin(CheckinFor::Meeting(id), exp)?;
    Ok(CheckinLink {
        path: format!("/sinh-hoat/{id}/diem-danh?ma={token}"),
        token,
        expires_at: chrono::DateTime::from_timestamp(exp, 0).unwrap_or_default(),
    })
}

/// Checks the signed-in member in to a meeting of their unit with a link's token (an expired or
/// forged token is 422 `token`; someone not on the day's sheet is 403).
pub fn check_in(
    conn: &mut AnyConnection,
    user: &AuthUser,
    keys: &TokenKeys,
    id: i64,
    token: &str,
) -> Result<AttendanceLine, ApiError> {
    super::classes::verify_checkin(keys, token, CheckinFor::Meeting(id))?;
    db::write(conn, |conn| {
        let (row, _) = db::meetings::find(conn, id)?.ok_or(ApiError::NotFound("meeting"))?;
        let status = status_of(&row)?;
        if status == MeetingStatus::Cancelled {
            return Err(ApiError::InvalidState(row.status.clone()));
        }
        let member = own_member(conn, user)?.ok_or(ApiError::Forbidden)?;
        let r = roster(conn, &row, Some(&[member.id]))?.into_iter().next().ok_or(ApiError::Forbidden)?;
        let before = lines_by_member(conn, id)?;
        let was_present = before.get(&member.id).is_some_and(|l| l.status == AttendanceStatus::Present.as_str());
        if !was_present {
            let l = Line {
                status: AttendanceStatus::Present.as_str(),
                reason: None,
                method: "qr",
                recorded_by: Some(user.id.0),
                at: db::now(),
            };
            db::meetings::set_line(conn, id, member.id, &l)?;
            settle_counts(conn, &row, None)?;
            if status == MeetingStatus::Held {
                fill_programmes(conn, user, &row, kind_of(&row)?, &BTreeMap::from([(member.id, 1)]))?;
            }
            let after = serde_json::json!({ "member_id": member.id, "after": "present", "method": "qr" });
            audit::record(
                conn,
                audit::Change::<(), _> {
                    actor: Some(user.id),
                    action: "meeting.checkin",
                    entity_type: "meeting",
                    entity_id: id,
                    unit: Some(audit_unit(&row)),
                    before: None,
                    after: Some(&after),
                },
            )?;
        }
        let lines = lines_by_member(conn, id)?;
        line_view(&r, lines.get(&member.id))
    })
}

/// A member's participation in a period (the calendar year, or the school year for a school's
/// branch): branch meetings held with them on the sheet, attended, excused, absent, the rate and
/// the months missed without reason, month by month (for whoever reads the member's record).
pub fn participation(
    conn: &mut AnyConnection,
    user: &AuthUser,
    member: MemberId,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<Participation, ApiError> {
    super::members::get(conn, user, member)?;
    let (row, _, _) = db::members::find(conn, member.0)?.ok_or(ApiError::NotFound("member"))?;
    let unit = db::org_units::find(conn, row.unit_id)?.ok_or(ApiError::NotFound("org unit"))?;
    let kind = PeriodKind::of_sector(&unit.sector);
    let year = year.unwrap_or_else(|| kind.year_of(today));
    let (from, to) = kind.bounds(year);
    let start = from.and_hms_opt(0, 0, 0).unwrap_or_default();
    let end = to.succ_opt().unwrap_or(to).and_hms_opt(0, 0, 0).unwrap_or_default();
    let lines = db::meetings::lines_of_member(conn, member.0, start, end)?;
    Ok(tally(member, year, kind, from, to, &lines))
}

/// Sums a member's lines into their participation.
pub fn tally(
    member: MemberId,
    year: i32,
    kind: PeriodKind,
    from: NaiveDate,
    to: NaiveDate,
    lines: &[(String, NaiveDateTime, String)],
) -> Participation {
    let mut months: BTreeMap<String, MonthParticipation> = BTreeMap::new();
    let mut other_attended = 0;
    for (k, at, status) in lines {
        let present = status == AttendanceStatus::Present.as_str();
        if k != MeetingKind::BranchMeeting.as_str() {
            other_attended += i64::from(present);
            continue;
        }
        let month = month_of(at.date());
        let m = months.entry(month.clone()).or_insert(MonthParticipation { month, held: 0, present: 0, excused: 0 });
        m.held += 1;
        m.present += i64::from(present);
        m.excused += i64::from(status == AttendanceStatus::Excused.as_str());
    }
    let held: i64 = months.values().map(|m| m.held).sum();
    let present: i64 = months.values().map(|m| m.present).sum();
    let excused: i64 = months.values().map(|m| m.excused).sum();
    Participation {
        member_id: member,
        year,
        period_kind: kind.as_str().to_owned(),
        from,
        to,
        held,
        present,
        excused,
        absent: held - present - excused,
        rate: rate(present, held),
        months_missed: months.values().filter(|m| m.present == 0 && m.excused == 0).map(|m| m.month.clone()).collect(),
        other_attended,
        months: months.into_values().collect(),
    }
}

/// A unit read by its cadres and those above (another subtree is 404).
fn read_unit(conn: &mut AnyConnection, user: &AuthUser, unit: OrgUnitId) -> Result<OrgUnitRow, ApiError> {
    let unit = db::org_units::find(conn, unit.0)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ReadRecords, &unit.path).map_err(|_| ApiError::NotFound("org unit"))?;
    Ok(unit)
}

/// A subtree's branch life in a month, read from the counters of the unit alone.
pub fn stats(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit: OrgUnitId,
    month: NaiveDate,
) -> Result<MeetingStats, ApiError> {
    let unit = read_unit(conn, user, unit)?;
    let key = month_of(month);
    let quarter = quarter_keys(month);
    let counters: Vec<String> = MeetingKind::ALL.iter().map(|k| held_counter(*k)).collect();
    let mut names: Vec<&str> = counters.iter().map(String::as_str).collect();
    names.extend([BRANCHES_MET, BORDER_BRANCHES_MET, GRASSROOTS_ACTIVE]);
    let rows = db::unit_counts::read(conn, &[unit.id], &names, &quarter[0], &quarter[2])?;
    let get =
        |counter: &str, month: &str| rows.iter().filter(|r| r.2 == counter && r.1 == month).map(|r| r.3).sum::<i64>();
    let branch = OrgKind::Branch.as_str();
    Ok(MeetingStats {
        unit_id: OrgUnitId(unit.id),
        month: key.clone(),
        branches: db::meetings::count_units(conn, &unit.path, branch, false)?,
        branches_met: get(BRANCHES_MET, &key),
        border_branches: db::meetings::count_units(conn, &unit.path, branch, true)?,
        border_branches_met: get(BORDER_BRANCHES_MET, &quarter[0]),
        grassroots_units: db::meetings::count_units(conn, &unit.path, OrgKind::Grassroots.as_str(), false)?
            + db::meetings::count_units(conn, &unit.path, OrgKind::Grassroots.as_str(), true)?,
        grassroots_active: get(GRASSROOTS_ACTIVE, &quarter[0]),
        held: MeetingKind::ALL.iter().map(|k| KindCount { kind: *k, count: get(&held_counter(*k), &key) }).collect(),
        removal_candidates: super::removals::open_count(conn, unit.id, month.year())?,
    })
}

/// Which units did not meet when they should have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Monthly branches without a branch meeting in the month.
    Branches,
    /// Border branches without one in the month's quarter.
    BorderBranches,
    /// Grassroots units without an activity in the month's quarter.
    Grassroots,
}

impl Missing {
    pub fn parse(s: &str) -> Option<Missing> {
        match s.trim() {
            "branch" => Some(Missing::Branches),
            "border_branch" => Some(Missing::BorderBranches),
            "grassroots" => Some(Missing::Grassroots),
            _ => None,
        }
    }
}

/// A page of the subtree's units that did not meet (in tree order), from the counters.
pub fn missing(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit: OrgUnitId,
    month: NaiveDate,
    which: Missing,
    paging: Paging,
) -> Result<Page<UnitGap>, ApiError> {
    let unit = read_unit(conn, user, unit)?;
    let quarter = quarter_keys(month);
    let branch_meetings = held_counter(MeetingKind::BranchMeeting);
    let activities = held_counter(MeetingKind::Activity);
    let (kind, border, counter, months) = match which {
        Missing::Branches => (OrgKind::Branch, Some(false), &branch_meetings, vec![month_of(month)]),
        Missing::BorderBranches => (OrgKind::Branch, Some(true), &branch_meetings, quarter),
        Missing::Grassroots => (OrgKind::Grassroots, None, &activities, quarter),
    };
    let gaps = GapQuery { path: &unit.path, kind: kind.as_str(), border, counter, months: &months };
    let (rows, total) = db::meetings::units_without(conn, &gaps, paging.offset(), paging.per_page)?;
    let items = rows
        .into_iter()
        .map(|(id, name, parent_name, border)| UnitGap { unit_id: OrgUnitId(id), name, parent_name, border })
        .collect();
    Ok(paging.wrap(items, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presence_moves_only_for_those_whose_line_changed() {
        let before = BTreeMap::from([(1, 1), (2, 1)]);
        let after = BTreeMap::from([(2, 1), (3, 1)]);
        assert_eq!(presence_changes(&before, &after), BTreeMap::from([(1, -1), (2, 0), (3, 1)]));
    }

    #[test]
    fn a_month_without_presence_or_excuse_is_missed() {
        let t = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap().and_hms_opt(19, 0, 0).unwrap();
        let lines = vec![
            ("branch_meeting".to_owned(), t(1, 10), "present".to_owned()),
            ("branch_meeting".to_owned(), t(2, 10), "excused".to_owned()),
            ("branch_meeting".to_owned(), t(3, 10), "absent".to_owned()),
            ("activity".to_owned(), t(3, 20), "present".to_owned()),
        ];
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let p = tally(MemberId(1), 2026, PeriodKind::Calendar, d(1, 1), d(12, 31), &lines);
        assert_eq!((p.held, p.present, p.excused, p.absent, p.rate), (3, 1, 1, 1, Some(33)));
        assert_eq!(p.months_missed, ["2026-03"]);
        assert_eq!(p.other_attended, 1);
    }
}
