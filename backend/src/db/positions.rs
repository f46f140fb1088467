//! Queries on `positions`.

use super::schema::{members, positions};
use super::AnyConnection;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// A row of `positions`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = positions)]
pub struct PositionRow {
    pub id: i64,
    pub member_id: i64,
    pub unit_id: i64,
    pub title: String,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub role_assignment_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
}

/// A new position.
#[derive(Debug, Insertable)]
#[diesel(table_name = positions)]
pub struct NewPositionRow<'a> {
    pub member_id: i64,
    pub unit_id: i64,
    pub title: &'a str,
    pub started_on: NaiveDate,
    pub role_assignment_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub created_by: Option<i64>,
}

pub fn insert(conn: &mut AnyConnection, row: &NewPositionRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(positions::table).values(row).returning(positions::id).get_result(conn)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<PositionRow>> {
    positions::table.find(id).select(PositionRow::as_select()).first(conn).optional()
}

/// Whether someone holds `title` on the unit now.
pub fn held(conn: &mut AnyConnection, unit_id: i64, title: &str) -> QueryResult<bool> {
    positions::table
        .filter(positions::unit_id.eq(unit_id).and(positions::title.eq(title)).and(positions::ended_on.is_null()))
        .count()
        .get_result::<i64>(conn)
        .map(|n| n > 0)
}

/// The positions of a unit with their holders' names, current ones only when `current`.
pub fn of_unit(conn: &mut AnyConnection, unit_id: i64, current: bool) -> QueryResult<Vec<(PositionRow, String)>> {
    let mut q = positions::table.inner_join(members::table).filter(positions::unit_id.eq(unit_id)).into_boxed();
    if current {
        q = q.filter(positions::ended_on.is_null());
    }
    q.order((positions::started_on.desc(), positions::id.desc()))
        .select((PositionRow::as_select(), members::full_name))
        .load(conn)
}

/// Closes a term.
pub fn end(conn: &mut AnyConnection, id: i64, ended_on: NaiveDate) -> QueryResult<usize> {
    diesel::update(positions::table.find(id).filter(positions::ended_on.is_null()))
        .set(positions::ended_on.eq(ended_on))
        .execute(conn)
}
