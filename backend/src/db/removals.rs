//! Queries on `removal_candidates`, and the attendance the removal list reads: members' lines at
//! the held branch meetings of a subtree in a span.

use super::members::LIVE_STATUSES;
use super::org_units::subtree_upper_bound;
use super::schema::{meeting_attendance, meetings, members, org_units, removal_candidates};
use super::AnyConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A row of `removal_candidates`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = removal_candidates)]
pub struct CandidateRow {
    pub id: i64,
    pub member_id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub year: i32,
    pub attendance_months: String,
    pub dues_months: String,
    pub status: String,
    pub reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// The lines of the live members of the subtree at `path` at its held branch meetings from
/// `from` until before `until`: (member, meeting time, status).
pub fn branch_lines(
    conn: &mut AnyConnection,
    path: &str,
    from: NaiveDateTime,
    until: NaiveDateTime,
    only: Option<i64>,
) -> QueryResult<Vec<(i64, NaiveDateTime, String)>> {
    let mut q = meeting_attendance::table
        .inner_join(meetings::table)
        .inner_join(members::table)
        .filter(meetings::kind.eq("branch_meeting"))
        .filter(meetings::status.eq("held"))
        .filter(meetings::unit_path.ge(path.to_owned()))
        .filter(meetings::unit_path.lt(subtree_upper_bound(path)))
        .filter(meetings::starts_at.ge(from))
        .filter(meetings::starts_at.lt(until))
        .filter(members::status.eq_any(LIVE_STATUSES))
        .into_boxed();
    if let Some(m) = only {
        q = q.filter(meeting_attendance::member_id.eq(m));
    }
    q.select((meeting_attendance::member_id, meetings::starts_at, meeting_attendance::status)).load(conn)
}

/// The candidates of a year in the subtree at `path`.
pub fn of_subtree(conn: &mut AnyConnection, path: &str, year: i32) -> QueryResult<Vec<CandidateRow>> {
    removal_candidates::table
        .filter(removal_candidates::unit_path.ge(path.to_owned()))
        .filter(removal_candidates::unit_path.lt(subtree_upper_bound(path)))
        .filter(removal_candidates::year.eq(year))
        .select(CandidateRow::as_select())
        .load(conn)
}

/// A candidate with the member's name and account and the unit's name.
pub type CandidateListing = (CandidateRow, String, Option<i64>, String);

/// A page of a year's candidates in the subtree at `path` (with `status` if given), by name.
pub fn page(
    conn: &mut AnyConnection,
    path: &str,
    year: i32,
    status: Option<&str>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<CandidateListing>, i64)> {
    let query = || {
        let mut q = removal_candidates::table
            .inner_join(members::table)
            .inner_join(org_units::table.on(org_units::id.eq(removal_candidates::unit_id)))
            .filter(removal_candidates::unit_path.ge(path.to_owned()))
            .filter(removal_candidates::unit_path.lt(subtree_upper_bound(path)))
            .filter(removal_candidates::year.eq(year))
            .into_boxed();
        if let Some(s) = status {
            q = q.filter(removal_candidates::status.eq(s.to_owned()));
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let rows = query()
        .select((CandidateRow::as_select(), members::full_name, members::user_id, org_units::name))
        .order((members::sort_key.asc(), removal_candidates::id.asc()))
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<CandidateListing>> {
    removal_candidates::table
        .inner_join(members::table)
        .inner_join(org_units::table.on(org_units::id.eq(removal_candidates::unit_id)))
        .filter(removal_candidates::id.eq(id))
        .select((CandidateRow::as_select(), members::full_name, members::user_id, org_units::name))
        .first(conn)
        .optional()
}

/// A new open candidate.
#[derive(Debug, Insertable)]
#[diesel(table_name = removal_candidates)]
pub struct NewCandidateRow<'a> {
    pub member_id: i64,
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub year: i32,
    pub attendance_months: &'a str,
    pub dues_months: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, row: &NewCandidateRow<'_>) -> QueryResult<usize> {
    diesel::insert_into(removal_candidates::table).values(row).execute(conn)
}

/// Sets an open candidate's months (the version moves on).
pub fn set_months(
    conn: &mut AnyConnection,
    id: i64,
    attendance: &str,
    dues: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(removal_candidates::table.find(id).filter(removal_candidates::status.eq("open")))
        .set((
            removal_candidates::attendance_months.eq(attendance),
            removal_candidates::dues_months.eq(dues),
            removal_candidates::version.eq(removal_candidates::version + 1),
            removal_candidates::updated_at.eq(at),
        ))
        .execute(conn)
}

/// Removes an open candidate whose months no longer count.
pub fn drop_open(conn: &mut AnyConnection, id: i64) -> QueryResult<usize> {
    diesel::delete(removal_candidates::table.find(id).filter(removal_candidates::status.eq("open"))).execute(conn)
}

/// Records a decision on an open candidate at `expected` version; false when stale.
pub fn decide(
    conn: &mut AnyConnection,
    id: i64,
    expected: i64,
    status: &str,
    reason: Option<&str>,
    by: i64,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(removal_candidates::table.find(id).filter(removal_candidates::version.eq(expected)))
        .set((
            removal_candidates::status.eq(status),
            removal_candidates::reason.eq(reason),
            removal_candidates::decided_by.eq(by),
            removal_candidates::decided_at.eq(at),
            removal_candidates::version.eq(expected + 1),
            removal_candidates::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// The live members of the subtree at `path`: (id, unit id, unit path).
pub fn live_members(conn: &mut AnyConnection, path: &str, ids: &[i64]) -> QueryResult<Vec<(i64, i64, String)>> {
    members::table
        .filter(members::id.eq_any(ids.to_vec()))
        .filter(members::unit_path.ge(path.to_owned()))
        .filter(members::unit_path.lt(subtree_upper_bound(path)))
        .filter(members::status.eq_any(LIVE_STATUSES))
        .select((members::id, members::unit_id, members::unit_path))
        .load(conn)
}

/// The live members of the subtree at `path` (or only `only`): (id, branch).
pub fn live_in(conn: &mut AnyConnection, path: &str, only: Option<i64>) -> QueryResult<Vec<(i64, i64)>> {
    let mut q = members::table
        .filter(members::unit_path.ge(path.to_owned()))
        .filter(members::unit_path.lt(subtree_upper_bound(path)))
        .filter(members::status.eq_any(LIVE_STATUSES))
        .into_boxed();
    if let Some(m) = only {
        q = q.filter(members::id.eq(m));
    }
    q.select((members::id, members::unit_id)).load(conn)
}

/// A merge of two records of one person: `from`'s candidacies become `to`'s, except in years
/// where `to` has one of its own (that one stays).
pub fn move_candidates(conn: &mut AnyConnection, from: i64, to: i64) -> QueryResult<()> {
    let theirs: Vec<i32> = removal_candidates::table
        .filter(removal_candidates::member_id.eq(to))
        .select(removal_candidates::year)
        .load(conn)?;
    diesel::delete(
        removal_candidates::table
            .filter(removal_candidates::member_id.eq(from))
            .filter(removal_candidates::year.eq_any(theirs)),
    )
    .execute(conn)?;
    diesel::update(removal_candidates::table.filter(removal_candidates::member_id.eq(from)))
        .set(removal_candidates::member_id.eq(to))
        .execute(conn)?;
    Ok(())
}
