//! Queries on `unit_ratings` (branches and grassroots units rated by the level above) and the
//! units a subtree has to rate.

use super::org_units::subtree_upper_bound;
use super::schema::{org_units, unit_ratings};
use super::AnyConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// The kinds of unit rated each year.
pub const RATED_KINDS: [&str; 2] = ["grassroots", "branch"];

/// A row of `unit_ratings`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = unit_ratings)]
pub struct UnitRatingRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub year: i32,
    pub level: String,
    pub assessment: Option<String>,
    pub rated_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub version: i64,
}

/// A new unit rating.
#[derive(Debug, Insertable)]
#[diesel(table_name = unit_ratings)]
pub struct NewUnitRatingRow<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub year: i32,
    pub level: &'a str,
    pub assessment: Option<&'a str>,
    pub rated_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, row: &NewUnitRatingRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(unit_ratings::table).values(row).returning(unit_ratings::id).get_result(conn)
}

/// The units' levels of a year, for the units among `ids`: (unit, level).
pub fn levels_of(conn: &mut AnyConnection, ids: &[i64], year: i32) -> QueryResult<Vec<(i64, String)>> {
    unit_ratings::table
        .filter(unit_ratings::unit_id.eq_any(ids))
        .filter(unit_ratings::year.eq(year))
        .select((unit_ratings::unit_id, unit_ratings::level))
        .load(conn)
}

pub fn of_unit(conn: &mut AnyConnection, unit_id: i64, year: i32) -> QueryResult<Option<UnitRatingRow>> {
    unit_ratings::table
        .filter(unit_ratings::unit_id.eq(unit_id))
        .filter(unit_ratings::year.eq(year))
        .select(UnitRatingRow::as_select())
        .first(conn)
        .optional()
}

/// The year's ratings of the units among `ids`.
pub fn of_units(conn: &mut AnyConnection, ids: &[i64], year: i32) -> QueryResult<Vec<UnitRatingRow>> {
    unit_ratings::table
        .filter(unit_ratings::unit_id.eq_any(ids))
        .filter(unit_ratings::year.eq(year))
        .select(UnitRatingRow::as_select())
        .load(conn)
}

/// How many live units of the subtree at `path` are rated each year (branches, grassroots units).
pub fn rated_kind_count(conn: &mut AnyConnection, path: &str) -> QueryResult<i64> {
    org_units::table
        .filter(org_units::path.ge(path.to_owned()))
        .filter(org_units::path.lt(subtree_upper_bound(path)))
        .filter(org_units::kind.eq_any(RATED_KINDS))
        .filter(org_units::dissolved_on.is_null())
        .count()
        .get_result(conn)
}

/// A unit's rated children and itself: (id, name, kind, path), in name order after the unit.
pub fn rated_units_at(conn: &mut AnyConnection, unit_id: i64) -> QueryResult<Vec<(i64, String, String, String)>> {
    org_units::table
        .filter(org_units::id.eq(unit_id).or(org_units::parent_id.eq(unit_id)))
        .filter(org_units::kind.eq_any(RATED_KINDS))
        .filter(org_units::dissolved_on.is_null())
        .order((org_units::depth.asc(), org_units::name.asc()))
        .select((org_units::id, org_units::name, org_units::kind, org_units::path))
        .load(conn)
}
