//! Queries on `org_units`. The tree is a materialised path of ids (`/1/5/23/`, the unit's own id
//! last), so a subtree is the index range [path, path + '~') and ancestors are read off the path.

use super::schema::org_units;
use super::AnyConnection;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel::sql_types::Text;
use shared::org::OrgKind;
use std::collections::{BTreeMap, HashMap};

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
    /// A border branch: meets every three months at least.
    pub border: bool,
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
    pub search_name: &'a str,
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
    pub search_name: Option<&'a str>,
    pub sector: Option<&'a str>,
    pub code: Option<Option<&'a str>>,
    pub border: Option<bool>,
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
        .order((org_units::dissolved_on.is_not_null().asc(), org_units::name.asc(), org_units::id.asc()))
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
    let ids = path_ids(path);
    add_per_unit(conn, ids.iter().map(|&id| (id, delta)).collect())?;
    Ok(ids.len())
}

/// Adds live members to many units at once: `deltas` per branch path, summed up the tree into
/// one update per unit touched (bulk writes).
pub fn add_live_members_many(conn: &mut AnyConnection, deltas: &HashMap<String, i64>) -> QueryResult<()> {
    let mut per_unit: BTreeMap<i64, i64> = BTreeMap::new();
    for (path, delta) in deltas {
        for id in path_ids(path) {
            *per_unit.entry(id).or_default() += delta;
        }
    }
    add_per_unit(conn, per_unit)
}

/// Moves `n` live members from the branch at `from` to the one at `to` (a transfer, a unit
/// merged into another), every counter in one ordered pass.
pub fn move_live_members(conn: &mut AnyConnection, from: &str, to: &str, n: i64) -> QueryResult<()> {
    add_live_members_many(conn, &HashMap::from([(from.to_owned(), -n), (to.to_owned(), n)]))
}

/// Moves each unit's counter, in ascending id order: every writer locks counter rows in the same
/// order, so a member's create and an import's chunk never wait on each other in a cycle (on
/// PostgreSQL, one `UPDATE … WHERE id IN (…)` locks rows in whatever order its plan reads them).
fn add_per_unit(conn: &mut AnyConnection, per_unit: BTreeMap<i64, i64>) -> QueryResult<()> {
    for (id, delta) in per_unit.into_iter().filter(|(_, d)| *d != 0) {
        diesel::update(org_units::table.find(id))
            .set(org_units::live_members.eq(org_units::live_members + delta))
            .execute(conn)?;
    }
    Ok(())
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

diesel::define_sql_function! {
    /// The text from the 1-based position `start` to the end (SQLite and PostgreSQL alike).
    fn substr(text: diesel::sql_types::Text, start: diesel::sql_types::Integer) -> diesel::sql_types::Text;
}

/// Moves the subtree at `old` to sit at `new` (a path ending in the subtree's own id): rewrites
/// the paths of its units (and their depth) and every copy of those paths kept for range reads
/// (members, transfers). The audit trail keeps the paths as they were when it was written.
pub fn move_subtree(conn: &mut AnyConnection, old: &str, new: &str, depth_delta: i32) -> QueryResult<()> {
    use super::schema::{
        admissions, classes, import_jobs, meetings, member_transfers, members, programme_registrations, programmes,
        removal_candidates,
    };
    let upper = subtree_upper_bound(old);
    let keep_from = i32::try_from(old.len()).unwrap_or(i32::MAX) + 1;
    super::notify::notify(conn, super::notify::CALLERS)?; // callers' grants carry unit paths
    diesel::update(org_units::table.filter(org_units::path.ge(old)).filter(org_units::path.lt(&upper)))
        .set((
            org_units::path.eq(new.into_sql::<Text>().concat(substr(org_units::path, keep_from))),
            org_units::depth.eq(org_units::depth + depth_delta),
        ))
        .execute(conn)?;
    // Every copy of a unit path kept beside a record, so its subtree range follows the move.
    macro_rules! rewrite {
        ($($table:ident . $column:ident),+) => {$(
            diesel::update($table::table.filter($table::$column.ge(old)).filter($table::$column.lt(&upper)))
                .set($table::$column.eq(new.into_sql::<Text>().concat(substr($table::$column, keep_from))))
                .execute(conn)?;
        )+};
    }
    rewrite!(
        members.unit_path,
        member_transfers.from_path,
        member_transfers.to_path,
        classes.unit_path,
        import_jobs.unit_path,
        programmes.unit_path,
        programme_registrations.unit_path,
        meetings.unit_path,
        removal_candidates.unit_path
    );
    let a = admissions::unit_path;
    diesel::update(admissions::table.filter(a.ge(old)).filter(a.lt(&upper)))
        .set(a.eq(new.into_sql::<Text>().concat(substr(a.assume_not_null(), keep_from)).nullable()))
        .execute(conn)?;
    Ok(())
}

/// Hangs a unit under another parent (its path is the caller's, via `move_subtree`).
pub fn set_parent(conn: &mut AnyConnection, id: i64, parent_id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(org_units::table.find(id))
        .set((
            org_units::parent_id.eq(parent_id),
            org_units::version.eq(org_units::version + 1),
            org_units::updated_at.eq(at),
        ))
        .execute(conn)
}

/// Marks a unit dissolved on `on` (merged into `merged_into`) if still at `expected_version`.
pub fn dissolve(
    conn: &mut AnyConnection,
    id: i64,
    expected_version: i64,
    on: NaiveDate,
    merged_into: Option<i64>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(org_units::table.find(id).filter(org_units::version.eq(expected_version)))
        .set((
            org_units::dissolved_on.eq(on),
            org_units::merged_into_id.eq(merged_into),
            org_units::live_members.eq(0),
            org_units::version.eq(expected_version + 1),
            org_units::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// The live branches in the subtree at `path` (the unit itself included).
pub fn branches_in(conn: &mut AnyConnection, path: &str) -> QueryResult<Vec<OrgUnitRow>> {
    of_kind_in(conn, path, OrgKind::Branch)
}

/// The live units of `kind` in the subtree at `path` (the unit itself included).
pub fn of_kind_in(conn: &mut AnyConnection, path: &str, kind: OrgKind) -> QueryResult<Vec<OrgUnitRow>> {
    org_units::table
        .filter(org_units::path.ge(path))
        .filter(org_units::path.lt(subtree_upper_bound(path)))
        .filter(org_units::kind.eq(kind.as_str()))
        .filter(org_units::dissolved_on.is_null())
        .select(OrgUnitRow::as_select())
        .load(conn)
}

/// Live units whose folded name contains `folded` (or whose code starts with it), in the subtree
/// at `under` if given, of the given kinds if any; the shallowest first.
pub fn search(
    conn: &mut AnyConnection,
    folded: &str,
    under: Option<&str>,
    kinds: &[&str],
    limit: i64,
) -> QueryResult<Vec<OrgUnitRow>> {
    let pattern = format!("%{}%", folded.replace(['%', '_', '\\'], ""));
    let code = format!("{}%", folded.to_uppercase().replace(['%', '_', '\\'], ""));
    let mut q = org_units::table
        .filter(org_units::dissolved_on.is_null())
        .filter(org_units::search_name.like(pattern).or(org_units::code.like(code)))
        .into_boxed();
    if let Some(path) = under {
        q = q.filter(org_units::path.ge(path.to_owned())).filter(org_units::path.lt(subtree_upper_bound(path)));
    }
    if !kinds.is_empty() {
        q = q.filter(org_units::kind.eq_any(kinds.to_vec()));
    }
    q.order((org_units::depth.asc(), org_units::name.asc())).limit(limit).select(OrgUnitRow::as_select()).load(conn)
}

/// Folds every unit's name for search (after the migration that added the column).
pub fn rebuild_search_names(conn: &mut AnyConnection) -> QueryResult<usize> {
    let units: Vec<(i64, String)> = org_units::table.select((org_units::id, org_units::name)).load(conn)?;
    for (id, name) in &units {
        diesel::update(org_units::table.find(id))
            .set(org_units::search_name.eq(shared::text::fold(name)))
            .execute(conn)?;
    }
    Ok(units.len())
}

/// The units directly under `id` that are not dissolved.
pub fn live_children(conn: &mut AnyConnection, id: i64) -> QueryResult<Vec<OrgUnitRow>> {
    org_units::table
        .filter(org_units::parent_id.eq(id))
        .filter(org_units::dissolved_on.is_null())
        .select(OrgUnitRow::as_select())
        .load(conn)
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
