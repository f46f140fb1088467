//! Queries on `import_jobs`.

use super::org_units::subtree_upper_bound;
use super::schema::import_jobs;
use super::AnyConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A row of `import_jobs`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = import_jobs)]
pub struct ImportJobRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub user_id: i64,
    pub file_name: String,
    pub mode: String,
    pub status: String,
    pub total_rows: i64,
    pub processed_rows: i64,
    pub error_rows: i64,
    pub imported_rows: i64,
    pub message: Option<String>,
    pub report: Option<String>,
    pub created_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
    pub kind: String,
}

/// A job being started.
#[derive(Debug, Insertable)]
#[diesel(table_name = import_jobs)]
pub struct NewImportJobRow<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub user_id: i64,
    pub file_name: &'a str,
    pub mode: &'a str,
    pub status: &'a str,
    pub total_rows: i64,
    pub created_at: NaiveDateTime,
    pub kind: &'a str,
}

/// How a job ended (or where it stands).
#[derive(Debug, AsChangeset)]
#[diesel(table_name = import_jobs)]
pub struct ImportJobPatch<'a> {
    pub status: &'a str,
    pub processed_rows: i64,
    pub error_rows: i64,
    pub imported_rows: i64,
    pub message: Option<&'a str>,
    pub report: Option<&'a str>,
    pub finished_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut AnyConnection, row: &NewImportJobRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(import_jobs::table).values(row).returning(import_jobs::id).get_result(conn)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<ImportJobRow>> {
    import_jobs::table.find(id).select(ImportJobRow::as_select()).first(conn).optional()
}

pub fn update(conn: &mut AnyConnection, id: i64, change: &ImportJobPatch<'_>) -> QueryResult<usize> {
    diesel::update(import_jobs::table.find(id)).set(change).execute(conn)
}

/// A running job's progress: `imported` members written so far (with the chunk that wrote them).
pub fn set_imported(conn: &mut AnyConnection, id: i64, imported: i64, errors: i64) -> QueryResult<usize> {
    diesel::update(import_jobs::table.find(id))
        .set((
            import_jobs::status.eq("importing"),
            import_jobs::imported_rows.eq(imported),
            import_jobs::processed_rows.eq(imported + errors),
            import_jobs::error_rows.eq(errors),
        ))
        .execute(conn)
}

/// The latest jobs into the subtree at `path`, newest first.
pub fn recent(conn: &mut AnyConnection, path: &str, limit: i64) -> QueryResult<Vec<ImportJobRow>> {
    import_jobs::table
        .filter(import_jobs::unit_path.ge(path))
        .filter(import_jobs::unit_path.lt(subtree_upper_bound(path)))
        .order(import_jobs::id.desc())
        .limit(limit)
        .select(ImportJobRow::as_select())
        .load(conn)
}

/// Marks jobs left running by a stopped server as failed; returns how many. On PostgreSQL a job
/// whose lock (`locks::import_job`) another server still holds is running there and is left alone.
pub fn fail_interrupted(conn: &mut AnyConnection, message: &str, at: NaiveDateTime) -> QueryResult<usize> {
    let running: Vec<i64> = import_jobs::table
        .filter(import_jobs::status.eq_any(["validating", "importing"]))
        .select(import_jobs::id)
        .load(conn)?;
    let mut failed = 0;
    for job in running {
        let lock = super::locks::import_job(job);
        if !super::locks::try_lock(conn, lock)? {
            continue;
        }
        failed += diesel::update(
            import_jobs::table.find(job).filter(import_jobs::status.eq_any(["validating", "importing"])),
        )
        .set((import_jobs::status.eq("failed"), import_jobs::message.eq(message), import_jobs::finished_at.eq(at)))
        .execute(conn)?;
        super::locks::unlock(conn, lock)?;
    }
    Ok(failed)
}
