//! Training classes: a cadre of a grassroots unit (or higher) opens a class with sessions;
//! people enrol themselves within the window and the audience, or a cadre enrols them; a full
//! class puts newcomers on a waiting list that moves up when someone leaves; attendance is ticked
//! by a cadre or checked in with a short-lived signed link (QR code); results, essays and
//! certificate numbers are recorded per enrolee.

use super::{audit, stored, utc};
use crate::auth::{AuthUser, CheckinFor, CheckinTokenError, TokenKeys};
use crate::db::classes::{ClassResultPatch, ClassRow, EnrollmentRow, NewClassRow, NewEnrollmentRow, NewSessionRow};
use crate::db::{self, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use chrono::{Datelike, NaiveDate};
use shared::api::classes::{
    Audience, CheckinLink, ClassKind, ClassResult, ClassView, EnrollRequest, EnrollmentStatus, EnrollmentView,
    EssayStatus, SessionView, ValidClass, ValidResult,
};
use shared::ids::{MemberId, OrgUnitId, UserId};
use shared::org::OrgKind;
use shared::roles::{Capability, Role};
use shared::ConflictCode;
use shared::FieldErrorCode;
use std::collections::HashMap;

/// How long a check-in link stays valid.
pub const CHECKIN_TTL_SECS: i64 = 5 * 60;

fn status_of(row: &EnrollmentRow) -> Result<EnrollmentStatus, ApiError> {
    stored(EnrollmentStatus::parse(&row.status), "class_enrollments.status", &row.status)
}

fn enrollment_view(row: EnrollmentRow, position: Option<i64>, attended: Vec<i64>) -> Result<EnrollmentView, ApiError> {
    Ok(EnrollmentView {
        id: row.id,
        class_id: row.class_id,
        user_id: row.user_id.map(UserId),
        member_id: row.member_id.map(MemberId),
        status: status_of(&row)?,
        waitlist_position: position,
        attended,
        result: row
            .result
            .as_deref()
            .map(|r| stored(ClassResult::parse(r), "class_enrollments.result", r))
            .transpose()?,
        score: row.score,
        essay: stored(EssayStatus::parse(&row.essay), "class_enrollments.essay", &row.essay)?,
        certificate_no: row.certificate_no,
        enrolled_at: utc(row.created_at),
        full_name: row.full_name,
        version: row.version,
    })
}

/// Every enrolment of a class with its waiting-list place and attended sessions.
fn roster(conn: &mut AnyConnection, class_id: i64, all: bool) -> Result<Vec<EnrollmentView>, ApiError> {
    let mut attended: HashMap<i64, Vec<i64>> = HashMap::new();
    for (session, enrollment) in db::classes::attendance(conn, class_id)? {
        attended.entry(enrollment).or_default().push(session);
    }
    let mut place = 0;
    db::classes::enrollments(conn, class_id, all)?
        .into_iter()
        .map(|row| {
            let position = (row.status == "waitlisted").then(|| {
                place += 1;
                place
            });
            let mut sessions = attended.remove(&row.id).unwrap_or_default();
            sessions.sort_unstable();
            enrollment_view(row, position, sessions)
        })
        .collect()
}

fn class_view(
    conn: &mut AnyConnection,
    row: ClassRow,
    unit_name: String,
    mine: Option<EnrollmentView>,
) -> Result<ClassView, ApiError> {
    let sessions = db::classes::sessions(conn, row.id)?
        .into_iter()
        .map(|s| SessionView {
            id: s.id,
            held_on: s.held_on,
            starts_at: s.starts_at,
            place: s.place,
            online_url: s.online_url,
        })
        .collect();
    Ok(ClassView {
        id: row.id,
        unit_id: OrgUnitId(row.unit_id),
        unit_name,
        kind: stored(ClassKind::parse(&row.kind), "classes.kind", &row.kind)?,
        title: row.title,
        capacity: row.capacity,
        enrolled: row.enrolled,
        waitlisted: db::classes::waitlisted(conn, row.id)?,
        enrol_from: row.enrol_from,
        enrol_until: row.enrol_until,
        audience: Audience { applicants: row.for_applicants, members: row.for_members, cadres: row.for_cadres },
        sessions,
        my_enrollment: mine,
        version: row.version,
    })
}

/// The caller's own live enrolment in a class, if any.
fn mine(conn: &mut AnyConnection, user: &AuthUser, class_id: i64) -> Result<Option<EnrollmentView>, ApiError> {
    let member = db::members::id_for_user(conn, user.id.0)?;
    let Some(row) = db::classes::live_enrollment_of(conn, class_id, Some(user.id.0), member)? else {
        return Ok(None);
    };
    single(conn, row).map(Some)
}

/// One enrolment's view, with its own waiting-list place and attended sessions (not the whole roster).
fn single(conn: &mut AnyConnection, row: EnrollmentRow) -> Result<EnrollmentView, ApiError> {
    let position = match status_of(&row)? {
        EnrollmentStatus::Waitlisted => Some(db::classes::waiting_before(conn, row.class_id, row.id)? + 1),
        _ => None,
    };
    let attended = db::classes::attended_by(conn, row.id)?;
    enrollment_view(row, position, attended)
}

fn find(conn: &mut AnyConnection, id: i64) -> Result<(ClassRow, String), ApiError> {
    db::classes::find(conn, id)?.ok_or(ApiError::NotFound("class"))
}

/// The unit a class's audit entries belong to (its organising unit, from the class's path copy).
fn audit_unit(class: &ClassRow) -> audit::Unit<'_> {
    audit::Unit { id: class.unit_id, path: &class.unit_path }
}

/// The columns of a class its cadres write.
fn changes(v: &ValidClass) -> db::classes::ClassPatch<'_> {
    db::classes::ClassPatch {
        title: &v.title,
        capacity: v.capacity,
        enrol_from: v.enrol_from,
        enrol_until: v.enrol_until,
        for_applicants: v.audience.applicants,
        for_members: v.audience.members,
        for_cadres: v.audience.cadres,
    }
}

/// Opens a class in a unit of the caller's subtree (a grassroots unit or higher).
pub fn create(conn: &mut AnyConnection, user: &AuthUser, v: ValidClass) -> Result<ClassView, ApiError> {
    let id = db::write(conn, |conn| {
        let unit = db::org_units::find(conn, v.unit_id.0)?
            .ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::NotFound))?;
        scope::require(user, Capability::ManageMembers, &unit.path)?;
        if unit.dissolved_on.is_some() {
            return Err(ApiError::field("unit_id", FieldErrorCode::Dissolved));
        }
        if matches!(OrgKind::parse(&unit.kind), Some(OrgKind::Branch | OrgKind::Section)) {
            return Err(ApiError::field("unit_id", FieldErrorCode::NotAllowed));
        }
        let id = db::classes::insert(
            conn,
            &NewClassRow {
                unit_id: unit.id,
                unit_path: &unit.path,
                kind: v.kind.as_str(),
                fields: changes(&v),
                created_by: Some(user.id.0),
                created_at: db::now(),
            },
        )?;
        for s in &v.sessions {
            db::classes::insert_session(
                conn,
                &NewSessionRow {
                    class_id: id,
                    held_on: s.held_on,
                    starts_at: &s.starts_at,
                    place: s.place.as_deref(),
                    online_url: s.online_url.as_deref(),
                },
            )?;
        }
        let after = serde_json::json!({ "title": v.title, "kind": v.kind.as_str(), "capacity": v.capacity });
        audit::record::<(), _>(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: "class.create",
                entity_type: "class",
                entity_id: id,
                unit: Some(audit::Unit::of(&unit)),
                before: None,
                after: Some(&after),
            },
        )?;
        Ok(id)
    })?;
    get(conn, user, id)
}

/// One class with its sessions and the caller's enrolment (classes are public to the signed-in).
pub fn get(conn: &mut AnyConnection, user: &AuthUser, id: i64) -> Result<ClassView, ApiError> {
    let (row, unit_name) = find(conn, id)?;
    let mine = mine(conn, user, row.id)?;
    class_view(conn, row, unit_name, mine)
}

/// Classes of a unit's subtree (or all), newest first; `open_on`: only those taking enrolments that day.
pub fn list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit: Option<OrgUnitId>,
    open_on: Option<NaiveDate>,
) -> Result<Vec<ClassView>, ApiError> {
    let path = match unit {
        Some(u) => Some(db::org_units::find(conn, u.0)?.ok_or(ApiError::NotFound("org unit"))?.path),
        None => None,
    };
    db::classes::list(conn, path.as_deref(), open_on, 100)?
        .into_iter()
        .map(|(row, name)| {
            let mine = mine(conn, user, row.id)?;
            class_view(conn, row, name, mine)
        })
        .collect()
}

/// Whether the caller may enrol themself in the class.
fn eligible(conn: &mut AnyConnection, user: &AuthUser, class: &ClassRow) -> Result<bool, ApiError> {
    let member = db::members::id_for_user(conn, user.id.0)?;
    if class.for_applicants && member.is_none() {
        return Ok(true);
    }
    if class.for_members {
        if let Some(m) = member {
            if let Some((row, _, _)) = db::members::find(conn, m)? {
                if scope::covers(&class.unit_path, &row.unit_path) {
                    return Ok(true);
                }
            }
        }
    }
    let cadre_here = user.grants.iter().any(|g| {
        g.role.covers(Role::Cadre)
            && (scope::covers(&class.unit_path, &g.unit_path) || scope::covers(&g.unit_path, &class.unit_path))
    });
    Ok(class.for_cadres && cadre_here)
}

/// Enrols the caller (an empty request) or, for a cadre of the class's unit, an account or a member.
/// A full class puts the enrolee on the waiting list.
pub fn enroll(
    conn: &mut AnyConnection,
    user: &AuthUser,
    class_id: i64,
    req: &EnrollRequest,
    today: NaiveDate,
) -> Result<EnrollmentView, ApiError> {
    let id = db::write(conn, |conn| {
        let (class, _) = find(conn, class_id)?;
        let by_cadre = req.user_id.is_some() || req.member_id.is_some();
        let (user_id, member_id, full_name) = if by_cadre {
            scope::require(user, Capability::ManageMembers, &class.unit_path)?;
            match (req.user_id, req.member_id) {
                (_, Some(m)) => {
                    let (row, _, _) = db::members::find(conn, m.0)?
                        .ok_or_else(|| ApiError::field("member_id", FieldErrorCode::NotFound))?;
                    if scope::require(user, Capability::ReadRecords, &row.unit_path).is_err() {
                        return Err(ApiError::field("member_id", FieldErrorCode::NotFound));
                    }
                    (row.user_id, Some(row.id), row.full_name)
                }
                (Some(u), None) => {
                    let account = db::users::find(conn, u.0)?
                        .ok_or_else(|| ApiError::field("user_id", FieldErrorCode::NotFound))?;
                    (Some(account.id), db::members::id_for_user(conn, account.id)?, account.full_name)
                }
                (None, None) => unreachable!("by_cadre"),
            }
        } else {
            if today < class.enrol_from || today > class.enrol_until {
                return Err(ApiError::InvalidState("enrolment closed".to_owned()));
            }
            if !eligible(conn, user, &class)? {
                return Err(ApiError::Forbidden);
            }
            (Some(user.id.0), db::members::id_for_user(conn, user.id.0)?, user.full_name.clone())
        };
        if db::classes::live_enrollment_of(conn, class.id, user_id, member_id)?.is_some() {
            return Err(ApiError::conflict(ConflictCode::AlreadyEnrolled));
        }
        let seated = db::classes::claim_seat(conn, class.id)?;
        let status = if seated { EnrollmentStatus::Enrolled } else { EnrollmentStatus::Waitlisted };
        let id = db::classes::insert_enrollment(
            conn,
            &NewEnrollmentRow {
                class_id: class.id,
                user_id,
                member_id,
                full_name: &full_name,
                status: status.as_str(),
                enrolled_by: Some(user.id.0),
                created_at: db::now(),
            },
        )?;
        audit_enrollment(conn, user, &class, id, "class.enroll", status)?;
        Ok(id)
    })?;
    enrollment(conn, class_id, id)
}

fn audit_enrollment(
    conn: &mut AnyConnection,
    user: &AuthUser,
    class: &ClassRow,
    enrollment: i64,
    action: &str,
    status: EnrollmentStatus,
) -> Result<(), ApiError> {
    let after = serde_json::json!({ "class_id": class.id, "status": status.as_str() });
    audit::record::<(), _>(
        conn,
        audit::Change {
            actor: Some(user.id),
            action,
            entity_type: "class_enrollment",
            entity_id: enrollment,
            unit: Some(audit_unit(class)),
            before: None,
            after: Some(&after),
        },
    )
}

fn enrollment(conn: &mut AnyConnection, class_id: i64, id: i64) -> Result<EnrollmentView, ApiError> {
    let row = db::classes::find_enrollment(conn, class_id, id)?.ok_or(ApiError::NotFound("enrollment"))?;
    single(conn, row)
}

/// Whether the enrolment is the caller's own.
fn is_own(user: &AuthUser, row: &EnrollmentRow, own_member: Option<i64>) -> bool {
    row.user_id == Some(user.id.0) || (row.member_id.is_some() && row.member_id == own_member)
}

/// One enrolment: for the enrolee and the cadres and leaders of the class's unit.
pub fn get_enrollment(
    conn: &mut AnyConnection,
    user: &AuthUser,
    class_id: i64,
    id: i64,
) -> Result<EnrollmentView, ApiError> {
    let (class, _) = find(conn, class_id)?;
    let row = db::classes::find_enrollment(conn, class_id, id)?.ok_or(ApiError::NotFound("enrollment"))?;
    let own_member = db::members::id_for_user(conn, user.id.0)?;
    if !is_own(user, &row, own_member) && scope::require(user, Capability::ReadRecords, &class.unit_path).is_err() {
        return Err(ApiError::NotFound("enrollment"));
    }
    enrollment(conn, class_id, id)
}

/// Leaves a class (the enrolee) or removes someone (a cadre of its unit); the first on the
/// waiting list takes the freed seat in the same transaction.
pub fn cancel(conn: &mut AnyConnection, user: &AuthUser, class_id: i64, id: i64) -> Result<EnrollmentView, ApiError> {
    db::write(conn, |conn| {
        let (class, _) = find(conn, class_id)?;
        let row = db::classes::find_enrollment(conn, class_id, id)?.ok_or(ApiError::NotFound("enrollment"))?;
        let own_member = db::members::id_for_user(conn, user.id.0)?;
        if !is_own(user, &row, own_member) {
            if scope::require(user, Capability::ReadRecords, &class.unit_path).is_err() {
                return Err(ApiError::NotFound("enrollment"));
            }
            scope::require(user, Capability::ManageMembers, &class.unit_path)?;
        }
        let status = status_of(&row)?;
        if status == EnrollmentStatus::Cancelled {
            return Err(ApiError::InvalidState(status.as_str().to_owned()));
        }
        if !db::classes::set_status(conn, row.id, row.version, EnrollmentStatus::Cancelled.as_str())? {
            return Err(ApiError::PreconditionFailed);
        }
        audit_enrollment(conn, user, &class, row.id, "class.cancel", EnrollmentStatus::Cancelled)?;
        if status == EnrollmentStatus::Enrolled {
            db::classes::release_seat(conn, class.id)?;
            fill_seats(conn, user, &class)?;
        }
        Ok(())
    })?;
    enrollment(conn, class_id, id)
}

/// Gives the free seats to the waiting list, first in line first.
fn fill_seats(conn: &mut AnyConnection, user: &AuthUser, class: &ClassRow) -> Result<(), ApiError> {
    while let Some(next) = db::classes::first_waiting(conn, class.id)? {
        if !db::classes::claim_seat(conn, class.id)? {
            break;
        }
        if !db::classes::set_status(conn, next.id, next.version, EnrollmentStatus::Enrolled.as_str())? {
            return Err(ApiError::PreconditionFailed);
        }
        audit_enrollment(conn, user, class, next.id, "class.promote", EnrollmentStatus::Enrolled)?;
    }
    Ok(())
}

/// Changes a class (with `If-Match`): title, seats, enrolment window, audience and sessions; its
/// kind and organising unit stay. Seats cannot go below those taken; seats added go to the
/// waiting list in order. A session with an id is moved, one without is added, and one left out
/// is removed — unless someone attended it (409).
pub fn update(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    expected_version: i64,
    v: ValidClass,
) -> Result<ClassView, ApiError> {
    db::write(conn, |conn| {
        let (class, _) = find(conn, id)?;
        scope::require(user, Capability::ManageMembers, &class.unit_path)?;
        if class.version != expected_version {
            return Err(ApiError::PreconditionFailed);
        }
        if v.unit_id.0 != class.unit_id {
            return Err(ApiError::field("unit_id", FieldErrorCode::NotAllowed));
        }
        if v.kind.as_str() != class.kind {
            return Err(ApiError::field("kind", FieldErrorCode::NotAllowed));
        }
        if v.capacity < class.enrolled {
            return Err(ApiError::field("capacity", FieldErrorCode::OutOfRange));
        }
        if !db::classes::update(conn, id, expected_version, &changes(&v))? {
            return Err(ApiError::PreconditionFailed);
        }
        let before = db::classes::sessions(conn, id)?;
        for (i, s) in v.sessions.iter().enumerate() {
            let row = NewSessionRow {
                class_id: id,
                held_on: s.held_on,
                starts_at: &s.starts_at,
                place: s.place.as_deref(),
                online_url: s.online_url.as_deref(),
            };
            match s.id {
                Some(session) => {
                    if !db::classes::update_session(conn, id, session, &row)? {
                        return Err(ApiError::field(&format!("sessions[{i}].id"), FieldErrorCode::NotFound));
                    }
                }
                None => {
                    db::classes::insert_session(conn, &row)?;
                }
            }
        }
        for gone in before.iter().filter(|b| !v.sessions.iter().any(|s| s.id == Some(b.id))) {
            if !db::classes::delete_unattended_session(conn, id, gone.id)? {
                return Err(ApiError::Conflict(ConflictCode::SessionAttended, Some(gone.held_on.to_string())));
            }
        }
        fill_seats(conn, user, &class)?;
        let before = serde_json::json!({ "title": class.title, "capacity": class.capacity, "sessions": before.len() });
        let after = serde_json::json!({ "title": v.title, "capacity": v.capacity, "sessions": v.sessions.len() });
        audit::record(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: "class.update",
                entity_type: "class",
                entity_id: id,
                unit: Some(audit_unit(&class)),
                before: Some(&before),
                after: Some(&after),
            },
        )
    })?;
    get(conn, user, id)
}

/// The class's enrolments (cancelled ones too), for its unit's cadres and leaders.
pub fn enrollments(conn: &mut AnyConnection, user: &AuthUser, class_id: i64) -> Result<Vec<EnrollmentView>, ApiError> {
    let (class, _) = find(conn, class_id)?;
    scope::require(user, Capability::ReadRecords, &class.unit_path)?;
    roster(conn, class_id, true)
}

/// Records who attended a session (the whole list: the others are absent), by a cadre.
pub fn set_attendance(
    conn: &mut AnyConnection,
    user: &AuthUser,
    class_id: i64,
    session_id: i64,
    present: &[i64],
) -> Result<Vec<EnrollmentView>, ApiError> {
    db::write(conn, |conn| {
        let (class, _) = find(conn, class_id)?;
        scope::require(user, Capability::ManageMembers, &class.unit_path)?;
        db::classes::find_session(conn, class_id, session_id)?.ok_or(ApiError::NotFound("session"))?;
        let enrolled: Vec<i64> = db::classes::enrollments(conn, class_id, false)?
            .into_iter()
            .filter(|e| e.status == EnrollmentStatus::Enrolled.as_str())
            .map(|e| e.id)
            .collect();
        if present.iter().any(|p| !enrolled.contains(p)) {
            return Err(ApiError::field("present", FieldErrorCode::NotAllowed));
        }
        let now = db::now();
        db::classes::clear_absent(conn, session_id, present)?;
        for p in present {
            db::classes::mark_present(conn, session_id, *p, "cadre", Some(user.id.0), now)?;
        }
        let after = serde_json::json!({ "session_id": session_id, "present": present });
        audit::record::<(), _>(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: "class.attendance",
                entity_type: "class",
                entity_id: class.id,
                unit: Some(audit_unit(&class)),
                before: None,
                after: Some(&after),
            },
        )?;
        roster(conn, class_id, true)
    })
}

/// A check-in link for a session, valid for `CHECKIN_TTL_SECS`, for the class's cadres.
pub fn checkin_link(
    conn: &mut AnyConnection,
    user: &AuthUser,
    keys: &TokenKeys,
    class_id: i64,
    session_id: i64,
) -> Result<CheckinLink, ApiError> {
    let (class, _) = find(conn, class_id)?;
    scope::require(user, Capability::ManageMembers, &class.unit_path)?;
    db::classes::find_session(conn, class_id, session_id)?.ok_or(ApiError::NotFound("session"))?;
    let exp = chrono::Utc::now().timestamp() + CHECKIN_TTL_SECS;
    let token = keys.issue_checkin(CheckinFor::ClassSession(session_id), exp)?;
    Ok(CheckinLink {
        path: format!("/lop/{class_id}/diem-danh/{session_id}?ma={token}"),
        token,
        expires_at: chrono::DateTime::from_timestamp(exp, 0).unwrap_or_default(),
    })
}

/// Checks that a check-in link's token was signed for `expected` and is still valid (422 on
/// `token`: expired, forged, or issued for something else).
pub(crate) fn verify_checkin(keys: &TokenKeys, token: &str, expected: CheckinFor) -> Result<(), ApiError> {
    let signed_for = keys.verify_checkin(token).map_err(|e| match e {
        CheckinTokenError::Expired => ApiError::field("token", FieldErrorCode::Expired),
        CheckinTokenError::Invalid => ApiError::field("token", FieldErrorCode::InvalidFormat),
    })?;
    if signed_for != expected {
        return Err(ApiError::field("token", FieldErrorCode::Mismatch));
    }
    Ok(())
}

/// Checks the signed-in caller in to a session with a link's token.
pub fn check_in(
    conn: &mut AnyConnection,
    user: &AuthUser,
    keys: &TokenKeys,
    class_id: i64,
    session_id: i64,
    token: &str,
) -> Result<EnrollmentView, ApiError> {
    verify_checkin(keys, token, CheckinFor::ClassSession(session_id))?;
    let id = db::write(conn, |conn| {
        db::classes::find_session(conn, class_id, session_id)?.ok_or(ApiError::NotFound("session"))?;
        let member = db::members::id_for_user(conn, user.id.0)?;
        let row = db::classes::live_enrollment_of(conn, class_id, Some(user.id.0), member)?
            .filter(|e| e.status == EnrollmentStatus::Enrolled.as_str())
            .ok_or(ApiError::Forbidden)?;
        db::classes::mark_present(conn, session_id, row.id, "qr", Some(user.id.0), db::now())?;
        Ok::<_, ApiError>(row.id)
    })?;
    enrollment(conn, class_id, id)
}

/// Records a result, a score and the essay (with `If-Match`); a pass gets the class's next
/// certificate number, a result changed away from a pass loses it.
pub fn set_result(
    conn: &mut AnyConnection,
    user: &AuthUser,
    class_id: i64,
    id: i64,
    expected_version: i64,
    r: ValidResult,
    today: NaiveDate,
) -> Result<EnrollmentView, ApiError> {
    db::write(conn, |conn| {
        let (class, _) = find(conn, class_id)?;
        let row = db::classes::find_enrollment(conn, class_id, id)?.ok_or(ApiError::NotFound("enrollment"))?;
        if scope::require(user, Capability::ReadRecords, &class.unit_path).is_err() {
            return Err(ApiError::NotFound("enrollment"));
        }
        scope::require(user, Capability::ManageMembers, &class.unit_path)?;
        if row.version != expected_version {
            return Err(ApiError::PreconditionFailed);
        }
        if status_of(&row)? != EnrollmentStatus::Enrolled {
            return Err(ApiError::InvalidState(row.status.clone()));
        }
        let essay = r.essay.unwrap_or(stored(EssayStatus::parse(&row.essay), "class_enrollments.essay", &row.essay)?);
        let certificate = match (r.result, row.certificate_no.clone()) {
            (Some(ClassResult::Passed), Some(existing)) => Some(existing),
            (Some(ClassResult::Passed), None) => {
                let n = db::classes::next_certificate(conn, class.id)?;
                Some(format!("{}-{}-{n:03}", class.created_at.year(), class.id))
            }
            _ => None,
        };
        let change = ClassResultPatch {
            result: r.result.map(ClassResult::as_str),
            score: r.score,
            essay: essay.as_str(),
            certificate_no: certificate.as_deref(),
        };
        if !db::classes::set_result(conn, row.id, expected_version, &change)? {
            return Err(ApiError::PreconditionFailed);
        }
        // A class passed fills the member's programme items linked to its kind.
        if let (Some(ClassResult::Passed), Some(member), false) =
            (r.result, row.member_id, row.result.as_deref() == Some(ClassResult::Passed.as_str()))
        {
            let kind = stored(ClassKind::parse(&class.kind), "classes.kind", &class.kind)?;
            let why = format!("{}: {}", ClassResult::Passed.label(shared::Lang::Vi), class.title);
            let link = shared::api::programmes::ItemLink::Class(kind);
            super::programme_registrations::fill_from(conn, user, member, link, &why, 1, today)?;
        }
        // An applicant's orientation class passed with the essay accepted: the application is trained.
        if r.result == Some(ClassResult::Passed) && essay == EssayStatus::Accepted {
            if let Some(admission) = db::admissions::by_enrollment(conn, row.id)? {
                super::admissions::complete_training(conn, user, admission.id)?;
            }
        }
        let after = serde_json::json!({ "result": change.result, "score": r.score, "essay": essay.as_str(), "certificate_no": certificate });
        audit::record::<(), _>(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: "class.result",
                entity_type: "class_enrollment",
                entity_id: row.id,
                unit: Some(audit_unit(&class)),
                before: None,
                after: Some(&after),
            },
        )?;
        Ok(())
    })?;
    enrollment(conn, class_id, id)
}

/// The roster as an `.xlsx` file, for the class's cadres and leaders.
pub fn roster_xlsx(conn: &mut AnyConnection, user: &AuthUser, class_id: i64) -> Result<Vec<u8>, ApiError> {
    let (class, _) = find(conn, class_id)?;
    scope::require(user, Capability::ReadRecords, &class.unit_path)?;
    let sessions = db::classes::sessions(conn, class_id)?.len();
    let lang = shared::Lang::Vi;
    let rows = roster(conn, class_id, false)?.into_iter().enumerate().map(|(i, e)| {
        vec![
            (i + 1).to_string(),
            e.full_name,
            e.status.label(lang).to_owned(),
            format!("{}/{sessions}", e.attended.len()),
            e.result.map(|r| r.label(lang).to_owned()).unwrap_or_default(),
            e.score.map(|s| s.to_string()).unwrap_or_default(),
            e.essay.label(lang).to_owned(),
            e.certificate_no.unwrap_or_default(),
        ]
    });
    let headers = ["STT", "Họ và tên", "Tình trạng", "Số buổi dự", "Kết quả", "Điểm", "Bài thu hoạch", "Số chứng nhận"];
    crate::sheets::write_xlsx("Danh sách lớp", &headers, rows)
}
