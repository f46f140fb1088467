//! Queries on the Member Training programme's tables: `programmes` with their headings and
//! items, `programme_registrations` with the items they hold, commitments and progress, and the
//! leaders' counters `programme_counts` (per unit, year and counter).

use super::org_units::{path_ids, subtree_upper_bound};
use super::schema::{
    members, org_units, programme_commitments, programme_counts, programme_headings, programme_items,
    programme_progress, programme_registration_items, programme_registrations, programmes,
};
use super::AnyConnection;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use shared::api::programmes::{ProgrammeResult, RegistrationState};
use std::collections::BTreeMap;

/// A row of `programmes`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = programmes)]
pub struct ProgrammeRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub year: i32,
    pub period_kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub title: String,
    pub registration_opens_on: NaiveDate,
    pub registration_closes_on: NaiveDate,
    pub min_optional: i32,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
    /// Published for the units below to copy; nobody registers for it.
    pub is_template: bool,
}

/// What a programme's edit may change.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = programmes)]
pub struct ProgrammePatch<'a> {
    pub title: &'a str,
    pub registration_opens_on: NaiveDate,
    pub registration_closes_on: NaiveDate,
    pub min_optional: i32,
}

/// A new programme.
#[derive(Debug, Insertable)]
#[diesel(table_name = programmes)]
pub struct NewProgrammeRow<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub year: i32,
    pub period_kind: &'a str,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub is_template: bool,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    #[diesel(embed)]
    pub fields: ProgrammePatch<'a>,
}

/// A row of `programme_headings`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = programme_headings)]
pub struct HeadingRow {
    pub id: i64,
    pub programme_id: i64,
    pub position: i32,
    pub title: String,
}

/// A row of `programme_items`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = programme_items)]
pub struct ItemRow {
    pub id: i64,
    pub programme_id: i64,
    pub heading_id: i64,
    pub position: i32,
    pub title: String,
    pub required: bool,
    pub target: i32,
    pub counted: String,
    /// What fills its progress by itself (`class:<kind>`), if anything.
    pub fills_from: Option<String>,
}

/// An item's fields (new or changed).
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = programme_items, treat_none_as_null = true)]
pub struct ItemFields<'a> {
    pub programme_id: i64,
    pub heading_id: i64,
    pub position: i32,
    pub title: &'a str,
    pub required: bool,
    pub target: i32,
    pub counted: &'a str,
    pub fills_from: Option<&'a str>,
}

/// A row of `programme_registrations`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = programme_registrations)]
pub struct RegistrationRow {
    pub id: i64,
    pub programme_id: i64,
    pub member_id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub year: i32,
    pub state: String,
    pub self_result: Option<String>,
    pub self_text: Option<String>,
    pub result: Option<String>,
    pub comment: Option<String>,
    pub evaluated_by: Option<i64>,
    pub evaluated_at: Option<NaiveDateTime>,
    pub registered_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// A new registration.
#[derive(Debug, Insertable)]
#[diesel(table_name = programme_registrations)]
pub struct NewRegistrationRow<'a> {
    pub programme_id: i64,
    pub member_id: i64,
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub year: i32,
    pub state: &'a str,
    pub registered_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a transition writes (absent fields stay).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = programme_registrations)]
pub struct RegistrationStepPatch<'a> {
    pub state: Option<&'a str>,
    pub self_result: Option<&'a str>,
    pub self_text: Option<Option<&'a str>>,
    pub result: Option<&'a str>,
    pub comment: Option<Option<&'a str>>,
    pub evaluated_by: Option<i64>,
    pub evaluated_at: Option<NaiveDateTime>,
}

/// An item a registration holds, with the progress so far.
#[derive(Debug, Clone, Queryable)]
pub struct HeldItemRow {
    pub item_id: i64,
    pub done: i32,
}

/// A row of `programme_progress`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = programme_progress)]
pub struct ProgressRow {
    pub id: i64,
    pub registration_id: i64,
    pub item_id: i64,
    pub count: i32,
    pub done_on: NaiveDate,
    pub note: Option<String>,
    pub recorded_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A new progress entry.
#[derive(Debug, Insertable)]
#[diesel(table_name = programme_progress)]
pub struct NewProgressRow<'a> {
    pub registration_id: i64,
    pub item_id: i64,
    pub count: i32,
    pub done_on: NaiveDate,
    pub note: Option<&'a str>,
    pub recorded_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, row: &NewProgrammeRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(programmes::table).values(row).returning(programmes::id).get_result(conn)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<ProgrammeRow>> {
    programmes::table.find(id).select(ProgrammeRow::as_select()).first(conn).optional()
}

/// Applies an edit if the stored version is `expected`; false when stale.
pub fn update(
    conn: &mut AnyConnection,
    id: i64,
    expected: i64,
    patch: &ProgrammePatch<'_>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(programmes::table.find(id).filter(programmes::version.eq(expected)))
        .set((patch, programmes::version.eq(expected + 1), programmes::updated_at.eq(at)))
        .execute(conn)
        .map(|n| n == 1)
}

/// The programmes of the units on `ancestor_ids` (a member's line up the tree) for the years given.
pub fn of_units(conn: &mut AnyConnection, ancestor_ids: &[i64], years: &[i32]) -> QueryResult<Vec<ProgrammeRow>> {
    programmes::table
        .filter(programmes::unit_id.eq_any(ancestor_ids))
        .filter(programmes::year.eq_any(years))
        .select(ProgrammeRow::as_select())
        .load(conn)
}

/// A page of the programmes published in the subtree at `path` or by a unit above it, newest
/// year first; with the total.
pub fn list(
    conn: &mut AnyConnection,
    path: &str,
    year: Option<i32>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<ProgrammeRow>, i64)> {
    let upper = subtree_upper_bound(path);
    let above = path_ids(path);
    let base = || {
        let mut q = programmes::table
            .filter(
                programmes::unit_path
                    .ge(path.to_owned())
                    .and(programmes::unit_path.lt(upper.clone()))
                    .or(programmes::unit_id.eq_any(above.clone())),
            )
            .into_boxed();
        if let Some(y) = year {
            q = q.filter(programmes::year.eq(y));
        }
        q
    };
    let total = base().count().get_result(conn)?;
    let rows = base()
        .order((programmes::year.desc(), programmes::unit_path.asc(), programmes::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(ProgrammeRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn headings(conn: &mut AnyConnection, programme_id: i64) -> QueryResult<Vec<HeadingRow>> {
    programme_headings::table
        .filter(programme_headings::programme_id.eq(programme_id))
        .order((programme_headings::position.asc(), programme_headings::id.asc()))
        .select(HeadingRow::as_select())
        .load(conn)
}

pub fn items(conn: &mut AnyConnection, programme_id: i64) -> QueryResult<Vec<ItemRow>> {
    programme_items::table
        .filter(programme_items::programme_id.eq(programme_id))
        .order((programme_items::position.asc(), programme_items::id.asc()))
        .select(ItemRow::as_select())
        .load(conn)
}

pub fn insert_heading(conn: &mut AnyConnection, programme_id: i64, position: i32, title: &str) -> QueryResult<i64> {
    diesel::insert_into(programme_headings::table)
        .values((
            programme_headings::programme_id.eq(programme_id),
            programme_headings::position.eq(position),
            programme_headings::title.eq(title),
        ))
        .returning(programme_headings::id)
        .get_result(conn)
}

pub fn update_heading(conn: &mut AnyConnection, id: i64, position: i32, title: &str) -> QueryResult<usize> {
    diesel::update(programme_headings::table.find(id))
        .set((programme_headings::position.eq(position), programme_headings::title.eq(title)))
        .execute(conn)
}

pub fn delete_headings(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<usize> {
    diesel::delete(programme_headings::table.filter(programme_headings::id.eq_any(ids))).execute(conn)
}

pub fn insert_item(conn: &mut AnyConnection, item: &ItemFields<'_>) -> QueryResult<i64> {
    diesel::insert_into(programme_items::table).values(item).returning(programme_items::id).get_result(conn)
}

pub fn update_item(conn: &mut AnyConnection, id: i64, item: &ItemFields<'_>) -> QueryResult<usize> {
    diesel::update(programme_items::table.find(id)).set(item).execute(conn)
}

pub fn delete_items(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<usize> {
    diesel::delete(programme_items::table.filter(programme_items::id.eq_any(ids))).execute(conn)
}

/// Whether any registration holds one of these items or wrote under one of these headings.
pub fn any_chosen(conn: &mut AnyConnection, item_ids: &[i64], heading_ids: &[i64]) -> QueryResult<bool> {
    let held: i64 = programme_registration_items::table
        .filter(programme_registration_items::item_id.eq_any(item_ids))
        .count()
        .get_result(conn)?;
    let written: i64 = programme_commitments::table
        .filter(programme_commitments::heading_id.eq_any(heading_ids))
        .count()
        .get_result(conn)?;
    Ok(held + written > 0)
}

pub fn insert_registration(conn: &mut AnyConnection, row: &NewRegistrationRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(programme_registrations::table)
        .values(row)
        .returning(programme_registrations::id)
        .get_result(conn)
}

/// A member's new registration for a programme of `year`, made by `by`, holding `held`: the
/// member is (id, branch, branch path). Returns its id.
pub struct Registering<'a> {
    pub programme_id: i64,
    pub year: i32,
    pub member: (i64, i64, &'a str),
    pub by: i64,
    pub held: &'a [i64],
}

/// Writes a registration in state `registered` with the items it holds.
pub fn register(conn: &mut AnyConnection, r: &Registering<'_>, at: NaiveDateTime) -> QueryResult<i64> {
    let (member_id, unit_id, unit_path) = r.member;
    let row = NewRegistrationRow {
        programme_id: r.programme_id,
        member_id,
        unit_id,
        unit_path,
        year: r.year,
        state: RegistrationState::Registered.as_str(),
        registered_by: Some(r.by),
        created_at: at,
        updated_at: at,
    };
    let id = insert_registration(conn, &row)?;
    hold_items(conn, id, r.held)?;
    Ok(id)
}

pub fn find_registration(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<RegistrationRow>> {
    programme_registrations::table.find(id).select(RegistrationRow::as_select()).first(conn).optional()
}

/// The member's registration for a programme, if any.
pub fn registration_of(conn: &mut AnyConnection, programme_id: i64, member_id: i64) -> QueryResult<Option<i64>> {
    programme_registrations::table
        .filter(programme_registrations::programme_id.eq(programme_id))
        .filter(programme_registrations::member_id.eq(member_id))
        .select(programme_registrations::id)
        .first(conn)
        .optional()
}

/// Bumps a registration's version if it is `expected` (writing `patch`); false when stale.
pub fn step_registration(
    conn: &mut AnyConnection,
    id: i64,
    expected: i64,
    patch: &RegistrationStepPatch<'_>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let target = programme_registrations::table.find(id).filter(programme_registrations::version.eq(expected));
    let bump = (programme_registrations::version.eq(expected + 1), programme_registrations::updated_at.eq(at));
    let n = match patch.state.is_some() {
        true => diesel::update(target).set((patch, bump)).execute(conn)?,
        false => diesel::update(target).set(bump).execute(conn)?,
    };
    Ok(n == 1)
}

/// The items a registration holds, with their progress.
pub fn held_items(conn: &mut AnyConnection, registration_id: i64) -> QueryResult<Vec<HeldItemRow>> {
    programme_registration_items::table
        .filter(programme_registration_items::registration_id.eq(registration_id))
        .select((programme_registration_items::item_id, programme_registration_items::done))
        .load(conn)
}

pub fn hold_items(conn: &mut AnyConnection, registration_id: i64, item_ids: &[i64]) -> QueryResult<usize> {
    // One statement per row: the two engines' connection type has no multi-row insert.
    for i in item_ids {
        diesel::insert_into(programme_registration_items::table)
            .values((
                programme_registration_items::registration_id.eq(registration_id),
                programme_registration_items::item_id.eq(*i),
                programme_registration_items::done.eq(0),
            ))
            .execute(conn)?;
    }
    Ok(item_ids.len())
}

pub fn release_items(conn: &mut AnyConnection, registration_id: i64, item_ids: &[i64]) -> QueryResult<usize> {
    diesel::delete(
        programme_registration_items::table
            .filter(programme_registration_items::registration_id.eq(registration_id))
            .filter(programme_registration_items::item_id.eq_any(item_ids)),
    )
    .execute(conn)
}

/// Adds `count` to the progress of a held item; false when the registration does not hold it.
pub fn add_done(conn: &mut AnyConnection, registration_id: i64, item_id: i64, count: i32) -> QueryResult<bool> {
    diesel::update(
        programme_registration_items::table
            .filter(programme_registration_items::registration_id.eq(registration_id))
            .filter(programme_registration_items::item_id.eq(item_id)),
    )
    .set(programme_registration_items::done.eq(programme_registration_items::done + count))
    .execute(conn)
    .map(|n| n == 1)
}

pub fn commitments(conn: &mut AnyConnection, registration_id: i64) -> QueryResult<Vec<(i64, String)>> {
    programme_commitments::table
        .filter(programme_commitments::registration_id.eq(registration_id))
        .select((programme_commitments::heading_id, programme_commitments::text))
        .load(conn)
}

/// Replaces a registration's commitments.
pub fn set_commitments(conn: &mut AnyConnection, registration_id: i64, rows: &[(i64, String)]) -> QueryResult<()> {
    diesel::delete(programme_commitments::table.filter(programme_commitments::registration_id.eq(registration_id)))
        .execute(conn)?;
    for (h, t) in rows {
        diesel::insert_into(programme_commitments::table)
            .values((
                programme_commitments::registration_id.eq(registration_id),
                programme_commitments::heading_id.eq(*h),
                programme_commitments::text.eq(t.as_str()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert_progress(conn: &mut AnyConnection, row: &NewProgressRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(programme_progress::table).values(row).returning(programme_progress::id).get_result(conn)
}

pub fn progress(conn: &mut AnyConnection, registration_id: i64) -> QueryResult<Vec<ProgressRow>> {
    programme_progress::table
        .filter(programme_progress::registration_id.eq(registration_id))
        .order(programme_progress::id.desc())
        .select(ProgressRow::as_select())
        .load(conn)
}

/// A registration's line in a list: the row, the member's name, the branch's name.
pub type SummaryRow = (RegistrationRow, String, String);

/// A page of a programme's registrations in the subtree at `path`, by member name; with the total.
pub fn registrations(
    conn: &mut AnyConnection,
    programme_id: i64,
    path: &str,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<SummaryRow>, i64)> {
    let upper = subtree_upper_bound(path);
    let base = || {
        programme_registrations::table
            .filter(programme_registrations::programme_id.eq(programme_id))
            .filter(programme_registrations::unit_path.ge(path.to_owned()))
            .filter(programme_registrations::unit_path.lt(upper.clone()))
    };
    let total = base().count().get_result(conn)?;
    let rows = programme_registrations::table
        .inner_join(members::table)
        .inner_join(org_units::table.on(org_units::id.eq(programme_registrations::unit_id)))
        .filter(programme_registrations::programme_id.eq(programme_id))
        .filter(programme_registrations::unit_path.ge(path.to_owned()))
        .filter(programme_registrations::unit_path.lt(upper.clone()))
        .order((members::sort_key.asc(), programme_registrations::id.asc()))
        .offset(offset)
        .limit(limit)
        .select((RegistrationRow::as_select(), members::full_name, org_units::name))
        .load(conn)?;
    Ok((rows, total))
}

/// Adds `delta` to `counter` of `year` for each of `unit_ids` (the member's branch and every
/// unit above it).
pub fn add_count(conn: &mut AnyConnection, unit_ids: &[i64], year: i32, counter: &str, delta: i64) -> QueryResult<()> {
    add_counts(conn, year, counter, &unit_ids.iter().map(|id| (*id, delta)).collect())
}

/// Adds each unit's delta to `counter` of `year`, in ascending id order so concurrent writers on
/// PostgreSQL lock the rows in the same order and cannot deadlock.
pub fn add_counts(
    conn: &mut AnyConnection,
    year: i32,
    counter: &str,
    per_unit: &BTreeMap<i64, i64>,
) -> QueryResult<()> {
    for (&id, &delta) in per_unit.iter().filter(|(_, d)| **d != 0) {
        let key = programme_counts::table
            .filter(programme_counts::unit_id.eq(id))
            .filter(programme_counts::year.eq(year))
            .filter(programme_counts::counter.eq(counter));
        let n = diesel::update(key).set(programme_counts::n.eq(programme_counts::n + delta)).execute(conn)?;
        if n == 0 {
            diesel::insert_into(programme_counts::table)
                .values((
                    programme_counts::unit_id.eq(id),
                    programme_counts::year.eq(year),
                    programme_counts::counter.eq(counter),
                    programme_counts::n.eq(delta),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// The counters of `year` for each of `unit_ids`: (unit, counter, n).
pub fn counts(conn: &mut AnyConnection, unit_ids: &[i64], year: i32) -> QueryResult<Vec<(i64, String, i64)>> {
    programme_counts::table
        .filter(programme_counts::unit_id.eq_any(unit_ids))
        .filter(programme_counts::year.eq(year))
        .select((programme_counts::unit_id, programme_counts::counter, programme_counts::n))
        .load(conn)
}

/// The member's programme result for `year`, as their branch evaluated it (the seam the annual
/// rating reads: an "excellent" here is one of the conditions of an excellent rating). `None`
/// when the member has no evaluated registration for that year; with several (a member who
/// moved and registered in the new unit's programme too) the latest evaluation counts. `year`
/// is the programme's: the calendar year, or the year a school year starts in.
pub fn programme_result(conn: &mut AnyConnection, member_id: i64, year: i32) -> QueryResult<Option<ProgrammeResult>> {
    let latest: Option<Option<String>> = programme_registrations::table
        .filter(programme_registrations::member_id.eq(member_id))
        .filter(programme_registrations::year.eq(year))
        .filter(programme_registrations::state.eq("evaluated"))
        .order((programme_registrations::evaluated_at.desc(), programme_registrations::id.desc()))
        .select(programme_registrations::result)
        .first(conn)
        .optional()?;
    Ok(latest.flatten().as_deref().and_then(ProgrammeResult::parse))
}
