//! Queries on `role_assignments`.

use super::schema::{org_units, role_assignments, users};
use super::AnyConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A row of `role_assignments`.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = role_assignments)]
pub struct RoleAssignmentRow {
    pub id: i64,
    pub user_id: i64,
    pub org_unit_id: i64,
    pub role: String,
    pub title: Option<String>,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
}

/// A new grant.
#[derive(Debug, Insertable)]
#[diesel(table_name = role_assignments)]
pub struct NewRoleAssignmentRow<'a> {
    pub user_id: i64,
    pub org_unit_id: i64,
    pub role: &'a str,
    pub title: Option<&'a str>,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
}

/// An assignment with the names a screen shows next to it.
#[derive(Debug, Clone, Queryable)]
pub struct AssignmentListing {
    pub row: RoleAssignmentRow,
    pub user_full_name: String,
    pub user_login: String,
    pub unit_name: String,
    pub unit_path: String,
}

/// The columns of an `AssignmentListing`, for queries joining users and org units.
macro_rules! listing_columns {
    () => {
        (RoleAssignmentRow::as_select(), users::full_name, users::login, org_units::name, org_units::path)
    };
}

pub fn insert(conn: &mut AnyConnection, row: &NewRoleAssignmentRow<'_>) -> QueryResult<RoleAssignmentRow> {
    let id: i64 =
        diesel::insert_into(role_assignments::table).values(row).returning(role_assignments::id).get_result(conn)?;
    super::notify::notify(conn, super::notify::CALLERS)?;
    role_assignments::table.find(id).select(RoleAssignmentRow::as_select()).first(conn)
}

pub fn delete(conn: &mut AnyConnection, id: i64) -> QueryResult<usize> {
    super::notify::notify(conn, super::notify::CALLERS)?;
    diesel::delete(role_assignments::table.find(id)).execute(conn)
}

pub fn find_listing(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<AssignmentListing>> {
    role_assignments::table
        .inner_join(users::table)
        .inner_join(org_units::table)
        .filter(role_assignments::id.eq(id))
        .select(listing_columns!())
        .first(conn)
        .optional()
}

/// Every role a user holds, with the unit's name and path (what scope checks need).
pub fn for_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Vec<AssignmentListing>> {
    role_assignments::table
        .inner_join(users::table)
        .inner_join(org_units::table)
        .filter(role_assignments::user_id.eq(user_id))
        .order(role_assignments::id.asc())
        .select(listing_columns!())
        .load(conn)
}

/// A page of the roles held on one unit.
pub fn on_unit(
    conn: &mut AnyConnection,
    unit_id: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<AssignmentListing>, i64)> {
    let total = role_assignments::table.filter(role_assignments::org_unit_id.eq(unit_id)).count().get_result(conn)?;
    let rows = role_assignments::table
        .inner_join(users::table)
        .inner_join(org_units::table)
        .filter(role_assignments::org_unit_id.eq(unit_id))
        .order((role_assignments::role.asc(), users::full_name.asc(), role_assignments::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(listing_columns!())
        .load(conn)?;
    Ok((rows, total))
}

pub fn count_with_role(conn: &mut AnyConnection, role: &str) -> QueryResult<i64> {
    role_assignments::table.filter(role_assignments::role.eq(role)).count().get_result(conn)
}
