//! Queries on `org_units`. The tree is a materialised path of ids (`/1/5/23/`, the unit's own id
//! last), so a subtree is the index range [path, path + '~') and ancestors are read off the path.

use super::schema::org_units;
use super::AnyConnection;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;
use std::collections::HashMap;

/// A row of `org_units`.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = org_units)]
pub struct OrgUnitRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub path: String,
    pub depth: i32,
    pub kind: String,
    pub sector: String,
    pub name: String,
    pub code: Option<String>,
    pub founded_on: Option<NaiveDate>,
    pub dissolved_on: Option<NaiveDate>,
    pub merged_into_id: Option<i64>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// Live members in the whole subtree.
    pub live_members: i64,
}

/// A new unit; its path is set right after the insert, once the id is known.
#[derive(Debug, Insertable)]
#[diesel(table_name = org_units)]
pub struct NewOrgUnitRow<'a> {
    pub parent_id: Option<i64>,
    pub path: &'a str,
    pub depth: i32,
    pub kind: &'a str,
    pub sector: &'a str,
    pub name: &'a str,
    pub code: Option<&'a str>,
    pub founded_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Fields a PATCH may change.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = org_units)]
pub struct OrgUnitPatch<'a> {
    pub name: Option<&'a str>,
    pub sector: Option<&'a str>,
    pub code: Option<Option<&'a str>>,
}

/// The path of a child of `parent_path` (or of a root) with id `id`.
pub fn child_path(parent_path: Option<&str>, id: i64) -> String {
    format!("{}{id}/", parent_path.unwrap_or("/"))
}

/// The exclusive upper bound of the subtree range: `~` sorts after digits and `/`.
pub fn subtree_upper_bound(path: &str) -> String {
    format!("{path}~")
}

/// The ids on a path, root first (the unit's own id last).
pub fn path_ids(path: &str) -> Vec<i64> {
    path.split('/').filter_map(|s| s.parse().ok()).collect()
}

/// Inserts a unit and sets its path; returns the stored row.
pub fn insert(conn: &mut AnyConnection, row: &NewOrgUnitRow<'_>, parent_path: Option<&str>) -> QueryResult<OrgUnitRow> {
    // MultiBackend cannot return a whole `Selectable` row, so return the id and read the row back.
    let id: i64 = diesel::insert_into(org_units::table).values(row).returning(org_units::id).get_result(conn)?;
    diesel::update(org_units::table.find(id)).set(org_units::path.eq(child_path(parent_path, id))).execute(conn)?;
    org_units::table.find(id).select(OrgUnitRow::as_select()).first(conn)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<OrgUnitRow>> {
    org_units::table.find(id).select(OrgUnitRow::as_select()).first(conn).optional()
}

pub fn find_many(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<OrgUnitRow>> {
    org_units::table.filter(org_units::id.eq_any(ids)).select(OrgUnitRow::as_select()).load(conn)
}

pub fn find_by_code(conn: &mut AnyConnection, code: &str) -> QueryResult<Option<OrgUnitRow>> {
    org_units::table.filter(org_units::code.eq(code)).select(OrgUnitRow::as_select()).first(conn).optional()
}

pub fn code_taken(conn: &mut AnyConnection, code: &str, except_id: Option<i64>) -> QueryResult<bool> {
    let mut q = org_units::table.filter(org_units::code.eq(code)).into_boxed();
    if let Some(id) = except_id {
        q = q.filter(org_units::id.ne(id));
    }
    q.count().get_result::<i64>(conn).map(|n| n > 0)
}

/// A page of the children of `parent_id` (or the roots), by name.
pub fn list_children(
    conn: &mut AnyConnection,
    parent_id: Option<i64>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<OrgUnitRow>, i64)> {
    let base = || {
        let q = org_units::table.into_boxed();
        match parent_id {
            Some(p) => q.filter(org_units::parent_id.eq(p)),
            None => q.filter(org_units::parent_id.is_null()),
        }
    };
    let total = base().count().get_result(conn)?;
    let rows = base()
        .order((org_units::name.asc(), org_units::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(OrgUnitRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// How many children each of `ids` has.
pub fn child_counts(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<HashMap<i64, i64>> {
    let rows: Vec<(Option<i64>, i64)> = org_units::table
        .filter(org_units::parent_id.eq_any(ids))
        .group_by(org_units::parent_id)
        .select((org_units::parent_id, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(p, n)| p.map(|p| (p, n))).collect())
}

/// Applies a patch if the stored version is `expected_version`; returns the new row, or `None` when stale.
pub fn update_versioned(
    conn: &mut AnyConnection,
    id: i64,
    expected_version: i64,
    patch: &OrgUnitPatch<'_>,
    at: NaiveDateTime,
) -> QueryResult<Option<OrgUnitRow>> {
    let changed = diesel::update(org_units::table.find(id).filter(org_units::version.eq(expected_version)))
        .set((patch, org_units::version.eq(expected_version + 1), org_units::updated_at.eq(at)))
        .execute(conn)?;
    if changed == 0 {
        return Ok(None);
    }
    find(conn, id)
}

/// Adds `delta` live members to the unit at `path` and every unit above it.
pub fn add_live_members(conn: &mut AnyConnection, path: &str, delta: i64) -> QueryResult<usize> {
    diesel::update(org_units::table.filter(org_units::id.eq_any(path_ids(path))))
        .set(org_units::live_members.eq(org_units::live_members + delta))
        .execute(conn)
}

/// Recounts every unit's live members from the member records (after bulk loads; repairs drift).
pub fn recount_live_members(conn: &mut AnyConnection) -> QueryResult<usize> {
    diesel::sql_query(
        "UPDATE org_units SET live_members = (SELECT count(*) FROM members m \
         WHERE m.unit_path >= org_units.path AND m.unit_path < org_units.path || '~' \
         AND m.status IN ('active', 'extended'))",
    )
    .execute(conn)
}

/// The first root (the central committee), if the tree has been started.
pub fn root(conn: &mut AnyConnection) -> QueryResult<Option<OrgUnitRow>> {
    org_units::table
        .filter(org_units::parent_id.is_null())
        .order(org_units::id.asc())
        .select(OrgUnitRow::as_select())
        .first(conn)
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_hold_the_ids_from_the_root_down() {
        assert_eq!(child_path(None, 1), "/1/");
        assert_eq!(child_path(Some("/1/5/"), 23), "/1/5/23/");
        assert_eq!(path_ids("/1/5/23/"), [1, 5, 23]);
        let upper = subtree_upper_bound("/1/5/");
        assert!("/1/5/23/" < upper.as_str() && "/1/5/" < upper.as_str());
        assert!("/1/50/" >= upper.as_str() || !"/1/50/".starts_with("/1/5/"));
    }
}
