//! Queries on `classes`, `class_sessions`, `class_enrollments` and `class_attendance`.

use super::org_units::subtree_upper_bound;
use super::schema::{class_attendance, class_enrollments, class_sessions, classes, org_units};
use super::AnyConnection;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;

/// A row of `classes`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = classes)]
pub struct ClassRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub kind: String,
    pub title: String,
    pub capacity: i32,
    pub enrolled: i32,
    pub enrol_from: NaiveDate,
    pub enrol_until: NaiveDate,
    pub for_applicants: bool,
    pub for_members: bool,
    pub for_cadres: bool,
    pub certificates: i32,
    pub version: i64,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A new class.
#[derive(Debug, Insertable)]
#[diesel(table_name = classes)]
pub struct NewClassRow<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub kind: &'a str,
    #[diesel(embed)]
    pub fields: ClassPatch<'a>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A row of `class_sessions`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = class_sessions)]
pub struct SessionRow {
    pub id: i64,
    pub class_id: i64,
    pub held_on: NaiveDate,
    pub starts_at: String,
    pub place: Option<String>,
    pub online_url: Option<String>,
}

/// A new session.
#[derive(Debug, Insertable)]
#[diesel(table_name = class_sessions)]
pub struct NewSessionRow<'a> {
    pub class_id: i64,
    pub held_on: NaiveDate,
    pub starts_at: &'a str,
    pub place: Option<&'a str>,
    pub online_url: Option<&'a str>,
}

/// A row of `class_enrollments`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = class_enrollments)]
pub struct EnrollmentRow {
    pub id: i64,
    pub class_id: i64,
    pub user_id: Option<i64>,
    pub member_id: Option<i64>,
    pub full_name: String,
    pub status: String,
    pub result: Option<String>,
    pub score: Option<i32>,
    pub essay: String,
    pub certificate_no: Option<String>,
    pub enrolled_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub version: i64,
}

/// A new enrolment.
#[derive(Debug, Insertable)]
#[diesel(table_name = class_enrollments)]
pub struct NewEnrollmentRow<'a> {
    pub class_id: i64,
    pub user_id: Option<i64>,
    pub member_id: Option<i64>,
    pub full_name: &'a str,
    pub status: &'a str,
    pub enrolled_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// The result fields of an enrolment.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = class_enrollments, treat_none_as_null = true)]
pub struct ClassResultPatch<'a> {
    pub result: Option<&'a str>,
    pub score: Option<i32>,
    pub essay: &'a str,
    pub certificate_no: Option<&'a str>,
}

pub fn insert(conn: &mut AnyConnection, row: &NewClassRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(classes::table).values(row).returning(classes::id).get_result(conn)
}

pub fn insert_session(conn: &mut AnyConnection, row: &NewSessionRow<'_>) -> QueryResult<usize> {
    diesel::insert_into(class_sessions::table).values(row).execute(conn)
}

/// What a cadre writes of a class, and may rewrite later.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = classes)]
pub struct ClassPatch<'a> {
    pub title: &'a str,
    pub capacity: i32,
    pub enrol_from: NaiveDate,
    pub enrol_until: NaiveDate,
    pub for_applicants: bool,
    pub for_members: bool,
    pub for_cadres: bool,
}

/// Rewrites a class if still at `expected_version` (and its capacity still holds its enrolled).
pub fn update(conn: &mut AnyConnection, id: i64, expected_version: i64, c: &ClassPatch<'_>) -> QueryResult<bool> {
    let n = diesel::update(
        classes::table
            .filter(classes::id.eq(id))
            .filter(classes::version.eq(expected_version))
            .filter(classes::enrolled.le(c.capacity)),
    )
    .set((c, classes::version.eq(expected_version + 1)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Moves a session of the class.
pub fn update_session(conn: &mut AnyConnection, class_id: i64, id: i64, row: &NewSessionRow<'_>) -> QueryResult<bool> {
    let n = diesel::update(
        class_sessions::table.filter(class_sessions::id.eq(id)).filter(class_sessions::class_id.eq(class_id)),
    )
    .set((
        class_sessions::held_on.eq(row.held_on),
        class_sessions::starts_at.eq(row.starts_at),
        class_sessions::place.eq(row.place),
        class_sessions::online_url.eq(row.online_url),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Removes a session nobody attended; false when someone did (or it is not the class's).
pub fn delete_unattended_session(conn: &mut AnyConnection, class_id: i64, id: i64) -> QueryResult<bool> {
    let attended: i64 = class_attendance::table.filter(class_attendance::session_id.eq(id)).count().get_result(conn)?;
    if attended > 0 {
        return Ok(false);
    }
    let n = diesel::delete(
        class_sessions::table.filter(class_sessions::id.eq(id)).filter(class_sessions::class_id.eq(class_id)),
    )
    .execute(conn)?;
    Ok(n == 1)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<(ClassRow, String)>> {
    classes::table
        .inner_join(org_units::table)
        .filter(classes::id.eq(id))
        .select((ClassRow::as_select(), org_units::name))
        .first(conn)
        .optional()
}

/// Classes organised in the subtree at `path` (or anywhere), newest first, with their unit's name;
/// only those open for enrolment on `open_on` if given.
pub fn list(
    conn: &mut AnyConnection,
    path: Option<&str>,
    open_on: Option<NaiveDate>,
    limit: i64,
) -> QueryResult<Vec<(ClassRow, String)>> {
    let mut q = classes::table.inner_join(org_units::table).into_boxed();
    if let Some(path) = path {
        q = q.filter(classes::unit_path.ge(path.to_owned())).filter(classes::unit_path.lt(subtree_upper_bound(path)));
    }
    if let Some(day) = open_on {
        q = q.filter(classes::enrol_from.le(day)).filter(classes::enrol_until.ge(day));
    }
    q.order(classes::id.desc()).limit(limit).select((ClassRow::as_select(), org_units::name)).load(conn)
}

pub fn sessions(conn: &mut AnyConnection, class_id: i64) -> QueryResult<Vec<SessionRow>> {
    class_sessions::table
        .filter(class_sessions::class_id.eq(class_id))
        .order((class_sessions::held_on.asc(), class_sessions::starts_at.asc(), class_sessions::id.asc()))
        .select(SessionRow::as_select())
        .load(conn)
}

pub fn find_session(conn: &mut AnyConnection, class_id: i64, session_id: i64) -> QueryResult<Option<SessionRow>> {
    class_sessions::table
        .filter(class_sessions::id.eq(session_id))
        .filter(class_sessions::class_id.eq(class_id))
        .select(SessionRow::as_select())
        .first(conn)
        .optional()
}

/// Takes a seat if one is free; false when the class is full.
pub fn claim_seat(conn: &mut AnyConnection, class_id: i64) -> QueryResult<bool> {
    let n =
        diesel::update(classes::table.filter(classes::id.eq(class_id)).filter(classes::enrolled.lt(classes::capacity)))
            .set(classes::enrolled.eq(classes::enrolled + 1))
            .execute(conn)?;
    Ok(n == 1)
}

/// Gives a seat back.
pub fn release_seat(conn: &mut AnyConnection, class_id: i64) -> QueryResult<usize> {
    diesel::update(classes::table.filter(classes::id.eq(class_id)).filter(classes::enrolled.gt(0)))
        .set(classes::enrolled.eq(classes::enrolled - 1))
        .execute(conn)
}

/// Counts a certificate issued by the class and returns its sequence number.
pub fn next_certificate(conn: &mut AnyConnection, class_id: i64) -> QueryResult<i32> {
    diesel::update(classes::table.find(class_id))
        .set(classes::certificates.eq(classes::certificates + 1))
        .execute(conn)?;
    classes::table.find(class_id).select(classes::certificates).first(conn)
}

pub fn insert_enrollment(conn: &mut AnyConnection, row: &NewEnrollmentRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(class_enrollments::table).values(row).returning(class_enrollments::id).get_result(conn)
}

pub fn find_enrollment(conn: &mut AnyConnection, class_id: i64, id: i64) -> QueryResult<Option<EnrollmentRow>> {
    class_enrollments::table
        .filter(class_enrollments::id.eq(id))
        .filter(class_enrollments::class_id.eq(class_id))
        .select(EnrollmentRow::as_select())
        .first(conn)
        .optional()
}

/// The live (not cancelled) enrolment of an account or a member in a class.
pub fn live_enrollment_of(
    conn: &mut AnyConnection,
    class_id: i64,
    user_id: Option<i64>,
    member_id: Option<i64>,
) -> QueryResult<Option<EnrollmentRow>> {
    let mut q = class_enrollments::table
        .filter(class_enrollments::class_id.eq(class_id))
        .filter(class_enrollments::status.ne("cancelled"))
        .into_boxed();
    q = match (user_id, member_id) {
        (Some(u), Some(m)) => q.filter(class_enrollments::user_id.eq(u).or(class_enrollments::member_id.eq(m))),
        (Some(u), None) => q.filter(class_enrollments::user_id.eq(u)),
        (None, Some(m)) => q.filter(class_enrollments::member_id.eq(m)),
        (None, None) => return Ok(None),
    };
    q.select(EnrollmentRow::as_select()).first(conn).optional()
}

/// The enrolments of a class (cancelled ones too when `all`), in enrolment order.
pub fn enrollments(conn: &mut AnyConnection, class_id: i64, all: bool) -> QueryResult<Vec<EnrollmentRow>> {
    let mut q = class_enrollments::table.filter(class_enrollments::class_id.eq(class_id)).into_boxed();
    if !all {
        q = q.filter(class_enrollments::status.ne("cancelled"));
    }
    q.order(class_enrollments::id.asc()).select(EnrollmentRow::as_select()).load(conn)
}

/// How many wait for a seat.
pub fn waitlisted(conn: &mut AnyConnection, class_id: i64) -> QueryResult<i64> {
    class_enrollments::table
        .filter(class_enrollments::class_id.eq(class_id))
        .filter(class_enrollments::status.eq("waitlisted"))
        .select(count_star())
        .first(conn)
}

/// The first in the waiting list.
pub fn first_waiting(conn: &mut AnyConnection, class_id: i64) -> QueryResult<Option<EnrollmentRow>> {
    class_enrollments::table
        .filter(class_enrollments::class_id.eq(class_id))
        .filter(class_enrollments::status.eq("waitlisted"))
        .order(class_enrollments::id.asc())
        .select(EnrollmentRow::as_select())
        .first(conn)
        .optional()
}

/// Sets an enrolment's status (a version change); false when stale.
pub fn set_status(conn: &mut AnyConnection, id: i64, expected_version: i64, status: &str) -> QueryResult<bool> {
    let n = diesel::update(
        class_enrollments::table
            .filter(class_enrollments::id.eq(id))
            .filter(class_enrollments::version.eq(expected_version)),
    )
    .set((class_enrollments::status.eq(status), class_enrollments::version.eq(expected_version + 1)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Records a result (a version change); false when stale.
pub fn set_result(
    conn: &mut AnyConnection,
    id: i64,
    expected_version: i64,
    change: &ClassResultPatch<'_>,
) -> QueryResult<bool> {
    let n = diesel::update(
        class_enrollments::table
            .filter(class_enrollments::id.eq(id))
            .filter(class_enrollments::version.eq(expected_version)),
    )
    .set((change, class_enrollments::version.eq(expected_version + 1)))
    .execute(conn)?;
    Ok(n == 1)
}

/// The (session, enrolment) pairs attended in a class.
pub fn attendance(conn: &mut AnyConnection, class_id: i64) -> QueryResult<Vec<(i64, i64)>> {
    class_attendance::table
        .inner_join(class_sessions::table)
        .filter(class_sessions::class_id.eq(class_id))
        .select((class_attendance::session_id, class_attendance::enrollment_id))
        .load(conn)
}

/// The sessions one enrolment attended.
pub fn attended_by(conn: &mut AnyConnection, enrollment_id: i64) -> QueryResult<Vec<i64>> {
    class_attendance::table
        .filter(class_attendance::enrollment_id.eq(enrollment_id))
        .order(class_attendance::session_id.asc())
        .select(class_attendance::session_id)
        .load(conn)
}

/// How many of the class's waitlisted enrolments came before `id` (its place is this + 1).
pub fn waiting_before(conn: &mut AnyConnection, class_id: i64, id: i64) -> QueryResult<i64> {
    class_enrollments::table
        .filter(class_enrollments::class_id.eq(class_id))
        .filter(class_enrollments::status.eq("waitlisted"))
        .filter(class_enrollments::id.lt(id))
        .select(count_star())
        .first(conn)
}

/// Marks one attendance (no-op when already there).
pub fn mark_present(
    conn: &mut AnyConnection,
    session_id: i64,
    enrollment_id: i64,
    method: &str,
    by: Option<i64>,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    let there = class_attendance::table
        .filter(class_attendance::session_id.eq(session_id))
        .filter(class_attendance::enrollment_id.eq(enrollment_id))
        .select(count_star())
        .first::<i64>(conn)?;
    if there > 0 {
        return Ok(0);
    }
    diesel::insert_into(class_attendance::table)
        .values((
            class_attendance::session_id.eq(session_id),
            class_attendance::enrollment_id.eq(enrollment_id),
            class_attendance::method.eq(method),
            class_attendance::recorded_by.eq(by),
            class_attendance::recorded_at.eq(at),
        ))
        .execute(conn)
}

/// Removes the attendance of a session for enrolments not in `present`.
pub fn clear_absent(conn: &mut AnyConnection, session_id: i64, present: &[i64]) -> QueryResult<usize> {
    diesel::delete(
        class_attendance::table
            .filter(class_attendance::session_id.eq(session_id))
            .filter(class_attendance::enrollment_id.ne_all(present.to_vec())),
    )
    .execute(conn)
}
