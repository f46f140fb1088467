//! The members a programme reaches, beyond one registration at a time: the live members of a
//! subtree with no registration for the year (a branch's list to chase, a bulk registration),
//! the items held by a page of registrations (the member × item grid), and the registrations
//! that follow a member who moves to another branch mid-period.

use super::members::LIVE_STATUSES;
use super::org_units::subtree_upper_bound;
use super::programmes::RegistrationRow;
use super::schema::{members, org_units, programme_registration_items, programme_registrations, programmes};
use super::AnyConnection;
use chrono::NaiveDate;
use diesel::dsl::{exists, not};
use diesel::prelude::*;

/// A live member with no registration for the year.
#[derive(Debug, Clone, Queryable)]
pub struct UnregisteredRow {
    pub id: i64,
    pub full_name: String,
    pub date_of_birth: NaiveDate,
    pub unit_id: i64,
    pub unit_path: String,
    pub unit_name: String,
}

macro_rules! unregistered_in {
    ($query:expr, $path:expr, $upper:expr, $year:expr) => {
        $query
            .filter(members::unit_path.ge($path.to_owned()))
            .filter(members::unit_path.lt($upper.clone()))
            .filter(members::status.eq_any(LIVE_STATUSES))
            .filter(not(exists(
                programme_registrations::table
                    .filter(programme_registrations::member_id.eq(members::id))
                    .filter(programme_registrations::year.eq($year)),
            )))
    };
}

/// A page of the live members of the subtree at `path` with no registration for `year` (in
/// any programme), by name; with the total.
pub fn unregistered(
    conn: &mut AnyConnection,
    path: &str,
    year: i32,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<UnregisteredRow>, i64)> {
    let upper = subtree_upper_bound(path);
    let total = unregistered_in!(members::table, path, upper, year).count().get_result(conn)?;
    let rows = unregistered_in!(members::table.inner_join(org_units::table), path, upper, year)
        .order((members::sort_key.asc(), members::id.asc()))
        .offset(offset)
        .limit(limit)
        .select((
            members::id,
            members::full_name,
            members::date_of_birth,
            members::unit_id,
            members::unit_path,
            org_units::name,
        ))
        .load(conn)?;
    Ok((rows, total))
}

/// Every live member of the subtree at `path` with no registration for `year`: (id, unit id,
/// unit path), for a bulk registration.
pub fn all_unregistered(conn: &mut AnyConnection, path: &str, year: i32) -> QueryResult<Vec<(i64, i64, String)>> {
    let upper = subtree_upper_bound(path);
    unregistered_in!(members::table, path, upper, year)
        .order(members::id.asc())
        .select((members::id, members::unit_id, members::unit_path))
        .load(conn)
}

/// The items held by each of `registration_ids`: (registration, item, done).
pub fn held_by(conn: &mut AnyConnection, registration_ids: &[i64]) -> QueryResult<Vec<(i64, i64, i32)>> {
    programme_registration_items::table
        .filter(programme_registration_items::registration_id.eq_any(registration_ids))
        .order((programme_registration_items::registration_id, programme_registration_items::item_id))
        .select((
            programme_registration_items::registration_id,
            programme_registration_items::item_id,
            programme_registration_items::done,
        ))
        .load(conn)
}

/// The member's registrations in programmes whose period has not ended on `today`.
pub fn running_of(conn: &mut AnyConnection, member_id: i64, today: NaiveDate) -> QueryResult<Vec<RegistrationRow>> {
    programme_registrations::table
        .inner_join(programmes::table)
        .filter(programme_registrations::member_id.eq(member_id))
        .filter(programmes::ends_on.ge(today))
        .select(RegistrationRow::as_select())
        .load(conn)
}

/// Moves a registration to the member's new branch (the subtree range reads it there).
pub fn move_registration(conn: &mut AnyConnection, id: i64, unit_id: i64, unit_path: &str) -> QueryResult<usize> {
    diesel::update(programme_registrations::table.find(id))
        .set((
            programme_registrations::unit_id.eq(unit_id),
            programme_registrations::unit_path.eq(unit_path),
            programme_registrations::version.eq(programme_registrations::version + 1),
        ))
        .execute(conn)
}

/// A registration changed by itself (progress filled by a class): a new version.
pub fn touch(conn: &mut AnyConnection, id: i64) -> QueryResult<usize> {
    diesel::update(programme_registrations::table.find(id))
        .set((
            programme_registrations::version.eq(programme_registrations::version + 1),
            programme_registrations::updated_at.eq(super::now()),
        ))
        .execute(conn)
}

/// A page of the member's registrations with their programmes' titles, the latest year first;
/// with the total.
pub fn of_member(
    conn: &mut AnyConnection,
    member_id: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<(RegistrationRow, String)>, i64)> {
    let total = programme_registrations::table
        .filter(programme_registrations::member_id.eq(member_id))
        .count()
        .get_result(conn)?;
    let rows = programme_registrations::table
        .inner_join(programmes::table)
        .filter(programme_registrations::member_id.eq(member_id))
        .order((programme_registrations::year.desc(), programme_registrations::id.desc()))
        .offset(offset)
        .limit(limit)
        .select((RegistrationRow::as_select(), programmes::title))
        .load(conn)?;
    Ok((rows, total))
}
