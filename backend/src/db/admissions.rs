//! Queries on `admissions` and `admission_events`.

use super::org_units::subtree_upper_bound;
use super::schema::{admission_events, admission_targets, admissions, class_enrollments, members, org_units, users};
use super::AnyConnection;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// A row of `admissions`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = admissions)]
pub struct AdmissionRow {
    pub id: i64,
    pub user_id: i64,
    pub unit_id: Option<i64>,
    pub unit_path: Option<String>,
    pub state: String,
    pub form: String,
    pub full_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub introducer_member_id: Option<i64>,
    pub class_id: Option<i64>,
    pub enrollment_id: Option<i64>,
    pub meeting_on: Option<NaiveDate>,
    pub present: Option<i32>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub decision_no: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub signer: Option<String>,
    pub ceremony_on: Option<NaiveDate>,
    pub member_id: Option<i64>,
    pub submitted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// The form part of an application (what the applicant writes).
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = admissions, treat_none_as_null = true)]
pub struct AdmissionFormPatch<'a> {
    pub unit_id: Option<i64>,
    pub unit_path: Option<&'a str>,
    pub form: &'a str,
    pub full_name: &'a str,
    pub date_of_birth: Option<NaiveDate>,
    pub introducer_member_id: Option<i64>,
    pub introducer_org: Option<&'a str>,
}

/// A new application (a draft).
#[derive(Debug, Insertable)]
#[diesel(table_name = admissions)]
pub struct NewAdmissionRow<'a> {
    pub user_id: i64,
    pub state: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    #[diesel(embed)]
    pub fields: AdmissionFormPatch<'a>,
}

/// What a step records besides the new state (absent fields stay).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = admissions)]
pub struct AdmissionStepPatch<'a> {
    pub class_id: Option<i64>,
    pub enrollment_id: Option<i64>,
    pub meeting_on: Option<NaiveDate>,
    pub present: Option<i32>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub decision_no: Option<&'a str>,
    pub decided_on: Option<NaiveDate>,
    pub signer: Option<&'a str>,
    pub ceremony_on: Option<NaiveDate>,
    pub member_id: Option<i64>,
    pub submitted_at: Option<NaiveDateTime>,
}

/// A step to record on the timeline.
#[derive(Debug, Insertable)]
#[diesel(table_name = admission_events)]
pub struct NewEventRow<'a> {
    pub admission_id: i64,
    pub action: &'a str,
    pub from_state: &'a str,
    pub to_state: &'a str,
    pub reason: Option<&'a str>,
    pub actor_user_id: Option<i64>,
    pub at: NaiveDateTime,
}

/// A timeline entry with the actor's name.
#[derive(Debug, Clone, Queryable)]
pub struct EventRow {
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub reason: Option<String>,
    pub at: NaiveDateTime,
    pub actor_name: Option<String>,
}

pub fn insert(conn: &mut AnyConnection, row: &NewAdmissionRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(admissions::table).values(row).returning(admissions::id).get_result(conn)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<AdmissionRow>> {
    admissions::table.find(id).select(AdmissionRow::as_select()).first(conn).optional()
}

/// The account's application under way (not admitted, rejected or withdrawn), if any.
pub fn open_for_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Option<AdmissionRow>> {
    admissions::table
        .filter(admissions::user_id.eq(user_id))
        .filter(admissions::state.ne_all(["admitted", "rejected", "withdrawn"]))
        .select(AdmissionRow::as_select())
        .first(conn)
        .optional()
}

/// The account's applications, newest first.
pub fn of_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<AdmissionRow>> {
    admissions::table
        .filter(admissions::user_id.eq(user_id))
        .order(admissions::id.desc())
        .select(AdmissionRow::as_select())
        .load(conn)
}

/// Which applications a unit's list reads.
pub struct SubtreeFilter<'a> {
    /// The unit's path: its cases and those of the units below it.
    pub path: &'a str,
    /// Only cases in this state.
    pub state: Option<&'a str>,
    /// Only cases started in this calendar year.
    pub year: Option<i32>,
}

fn subtree<'a>(f: &SubtreeFilter<'a>) -> admissions::BoxedQuery<'a, super::MultiBackend> {
    let mut q = admissions::table
        .filter(admissions::unit_path.ge(f.path.to_owned()))
        .filter(admissions::unit_path.lt(subtree_upper_bound(f.path)))
        .into_boxed();
    if let Some(state) = f.state {
        q = q.filter(admissions::state.eq(state));
    }
    if let Some(year) = f.year {
        let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default().and_time(chrono::NaiveTime::MIN);
        let end = NaiveDate::from_ymd_opt(year + 1, 1, 1).unwrap_or_default().and_time(chrono::NaiveTime::MIN);
        q = q.filter(admissions::created_at.ge(start)).filter(admissions::created_at.lt(end));
    }
    q
}

/// A page of a subtree's applications, newest first, and how many there are.
pub fn of_subtree(
    conn: &mut AnyConnection,
    f: &SubtreeFilter<'_>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<AdmissionRow>, i64)> {
    let total = subtree(f).count().get_result(conn)?;
    let rows = subtree(f)
        .order(admissions::id.desc())
        .offset(offset)
        .limit(limit)
        .select(AdmissionRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Every application of a subtree, newest first (for a search by name, folded in Rust).
pub fn all_of_subtree(conn: &mut AnyConnection, f: &SubtreeFilter<'_>) -> QueryResult<Vec<AdmissionRow>> {
    subtree(f).order(admissions::id.desc()).select(AdmissionRow::as_select()).load(conn)
}

/// The application in training through an enrolment.
pub fn by_enrollment(conn: &mut AnyConnection, enrollment_id: i64) -> QueryResult<Option<AdmissionRow>> {
    admissions::table
        .filter(admissions::enrollment_id.eq(enrollment_id))
        .filter(admissions::state.eq("in_training"))
        .select(AdmissionRow::as_select())
        .first(conn)
        .optional()
}

/// Rewrites a draft's form if still at `expected_version`.
pub fn update_form(
    conn: &mut AnyConnection,
    id: i64,
    expected_version: i64,
    f: &AdmissionFormPatch<'_>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        admissions::table.filter(admissions::id.eq(id)).filter(admissions::version.eq(expected_version)),
    )
    .set((f, admissions::version.eq(expected_version + 1), admissions::updated_at.eq(at)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Moves to `state` with the step's columns if still at `expected_version`, and records the event.
pub fn step(
    conn: &mut AnyConnection,
    expected_version: i64,
    state: &str,
    columns: &AdmissionStepPatch<'_>,
    event: &NewEventRow<'_>,
) -> QueryResult<bool> {
    let q = admissions::table
        .filter(admissions::id.eq(event.admission_id))
        .filter(admissions::version.eq(expected_version));
    let base = (
        admissions::state.eq(state),
        admissions::version.eq(expected_version + 1),
        admissions::updated_at.eq(event.at),
    );
    let n = diesel::update(q).set((base, columns)).execute(conn)?;
    if n == 1 {
        diesel::insert_into(admission_events::table).values(event).execute(conn)?;
    }
    Ok(n == 1)
}

pub fn events(conn: &mut AnyConnection, admission_id: i64) -> QueryResult<Vec<EventRow>> {
    admission_events::table
        .left_join(users::table.on(users::id.nullable().eq(admission_events::actor_user_id)))
        .filter(admission_events::admission_id.eq(admission_id))
        .order(admission_events::id.asc())
        .select((
            admission_events::action,
            admission_events::from_state,
            admission_events::to_state,
            admission_events::reason,
            admission_events::at,
            users::full_name.nullable(),
        ))
        .load(conn)
}

/// A case as an inbox card shows it, read with its branch, introducer and class result.
#[derive(Debug, Clone, Queryable)]
pub struct CardRow {
    pub id: i64,
    pub user_id: i64,
    pub unit_path: Option<String>,
    pub state: String,
    pub full_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub meeting_on: Option<NaiveDate>,
    pub present: Option<i32>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    pub introducer_org: Option<String>,
    pub unit_name: Option<String>,
    pub introducer_name: Option<String>,
    pub class_result: Option<String>,
}

/// Which cases an inbox reads from one subtree.
pub struct InboxQuery<'a> {
    /// The subtree's root path.
    pub path: &'a str,
    /// States waiting for a cadre over the branch.
    pub branch_states: &'a [&'a str],
    /// States waiting for a cadre over the unit above the branch (so not on the root itself).
    pub higher_states: &'a [&'a str],
    /// Walk the age index and skip other units' cases (a subtree holding most cases, such as a
    /// province) instead of collecting the whole subtree and sorting it.
    pub walk: bool,
    /// Start after this (updated_at, id).
    pub after: Option<(NaiveDateTime, i64)>,
    pub limit: i64,
}

/// The cases of one subtree waiting for its cadres, oldest change first, as inbox cards.
pub fn inbox(conn: &mut AnyConnection, q: &InboxQuery<'_>) -> QueryResult<Vec<CardRow>> {
    let upper = subtree_upper_bound(q.path);
    let all: Vec<&str> = q.branch_states.iter().chain(q.higher_states).copied().collect();
    // A branch's own cadres do not approve its cases (that is the unit above): a case in a higher
    // state on the subtree's root itself is not the caller's.
    let query = admissions::table
        .left_join(org_units::table.on(org_units::id.nullable().eq(admissions::unit_id)))
        .left_join(members::table.on(members::id.nullable().eq(admissions::introducer_member_id)))
        .left_join(class_enrollments::table.on(class_enrollments::id.nullable().eq(admissions::enrollment_id)))
        .into_boxed();
    let mut query = if q.walk {
        // `column || ''` keeps both engines off the state and (state, unit_path) indexes, so the
        // ORDER BY walks the age index and stops at the page's end.
        let (state, unit_path) = (admissions::state.concat(""), admissions::unit_path.concat(""));
        query
            .filter(state.eq_any(all))
            .filter(diesel::dsl::not(
                admissions::state.concat("").eq_any(q.higher_states.to_vec()).and(unit_path.eq(q.path.to_owned())),
            ))
            .filter(admissions::unit_path.concat("").ge(q.path.to_owned()))
            .filter(admissions::unit_path.concat("").lt(upper))
    } else {
        query
            .filter(admissions::state.eq_any(all))
            .filter(diesel::dsl::not(
                admissions::state.eq_any(q.higher_states.to_vec()).and(admissions::unit_path.eq(q.path.to_owned())),
            ))
            .filter(admissions::unit_path.ge(q.path.to_owned()))
            .filter(admissions::unit_path.lt(upper))
    };
    if let Some((at, id)) = q.after {
        query =
            query.filter(admissions::updated_at.ge(at)).filter(admissions::updated_at.gt(at).or(admissions::id.gt(id)));
    }
    query
        .order((admissions::updated_at.asc(), admissions::id.asc()))
        .limit(q.limit)
        .select((
            admissions::id,
            admissions::user_id,
            admissions::unit_path,
            admissions::state,
            admissions::full_name,
            admissions::date_of_birth,
            admissions::meeting_on,
            admissions::present,
            admissions::votes_for,
            admissions::votes_against,
            admissions::updated_at,
            admissions::version,
            admissions::introducer_org,
            org_units::name.nullable(),
            members::full_name.nullable(),
            class_enrollments::result.nullable(),
        ))
        .load(conn)
}

/// How many cases of the subtree at `path` wait for its cadres (the inbox's filters, counted).
pub fn count_waiting(
    conn: &mut AnyConnection,
    path: &str,
    branch_states: &[&str],
    higher_states: &[&str],
) -> QueryResult<i64> {
    let upper = subtree_upper_bound(path);
    let for_branch: i64 = admissions::table
        .filter(admissions::state.eq_any(branch_states))
        .filter(admissions::unit_path.ge(path.to_owned()))
        .filter(admissions::unit_path.lt(upper.clone()))
        .count()
        .get_result(conn)?;
    // Not on the root itself: a branch's own cadres do not approve its cases.
    let for_above: i64 = admissions::table
        .filter(admissions::state.eq_any(higher_states))
        .filter(admissions::unit_path.gt(path.to_owned()))
        .filter(admissions::unit_path.lt(upper))
        .count()
        .get_result(conn)?;
    Ok(for_branch + for_above)
}

/// How many applications name `member_id` as introducer, and how many of those were admitted.
pub fn introductions(conn: &mut AnyConnection, member_id: i64) -> QueryResult<(i64, i64)> {
    let all: Vec<String> = admissions::table
        .filter(admissions::introducer_member_id.eq(member_id))
        .filter(admissions::state.ne("draft"))
        .select(admissions::state)
        .load(conn)?;
    let admitted = all.iter().filter(|s| *s == "admitted").count() as i64;
    Ok((all.len() as i64, admitted))
}

/// Applications under way in the subtree at `path` (submitted, not yet decided), counted per
/// branch path and state.
pub fn under_way(conn: &mut AnyConnection, path: &str) -> QueryResult<Vec<(Option<String>, String, i64)>> {
    admissions::table
        .filter(admissions::unit_path.ge(path.to_owned()))
        .filter(admissions::unit_path.lt(subtree_upper_bound(path)))
        .filter(admissions::state.ne_all(["draft", "admitted", "rejected", "withdrawn"]))
        .group_by((admissions::unit_path, admissions::state))
        .select((admissions::unit_path, admissions::state, diesel::dsl::count_star()))
        .load(conn)
}

/// Admissions in the subtree at `path` with a ceremony in `[from, until]`, counted per branch path.
pub fn admitted_between(
    conn: &mut AnyConnection,
    path: &str,
    from: NaiveDate,
    until: NaiveDate,
) -> QueryResult<Vec<(Option<String>, i64)>> {
    admissions::table
        .filter(admissions::unit_path.ge(path.to_owned()))
        .filter(admissions::unit_path.lt(subtree_upper_bound(path)))
        .filter(admissions::state.eq("admitted"))
        .filter(admissions::ceremony_on.between(from, until))
        .group_by(admissions::unit_path)
        .select((admissions::unit_path, diesel::dsl::count_star()))
        .load(conn)
}

/// The targets set for a year by any of `unit_ids`.
pub fn targets(conn: &mut AnyConnection, unit_ids: &[i64], year: i32) -> QueryResult<Vec<(i64, i32)>> {
    admission_targets::table
        .filter(admission_targets::unit_id.eq_any(unit_ids))
        .filter(admission_targets::year.eq(year))
        .select((admission_targets::unit_id, admission_targets::target))
        .load(conn)
}

/// Sets a unit's target for a year.
pub fn set_target(
    conn: &mut AnyConnection,
    unit_id: i64,
    year: i32,
    target: i32,
    by: i64,
    at: NaiveDateTime,
) -> QueryResult<()> {
    let updated = diesel::update(
        admission_targets::table
            .filter(admission_targets::unit_id.eq(unit_id))
            .filter(admission_targets::year.eq(year)),
    )
    .set((admission_targets::target.eq(target), admission_targets::set_by.eq(by), admission_targets::updated_at.eq(at)))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(admission_targets::table)
            .values((
                admission_targets::unit_id.eq(unit_id),
                admission_targets::year.eq(year),
                admission_targets::target.eq(target),
                admission_targets::set_by.eq(by),
                admission_targets::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}
