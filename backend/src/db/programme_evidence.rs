//! Queries on `programme_evidence`: the links and files attached to progress entries (the
//! files' bytes live outside the database, see `files`).

use super::schema::{programme_evidence, programme_progress};
use super::AnyConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A row of `programme_evidence`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = programme_evidence)]
pub struct EvidenceRow {
    pub id: i64,
    pub progress_id: i64,
    pub registration_id: i64,
    pub kind: String,
    pub url: Option<String>,
    pub media_type: Option<String>,
    pub size: Option<i64>,
    pub sha256: Option<String>,
    pub file_name: Option<String>,
    pub added_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A new piece of evidence.
#[derive(Debug, Insertable)]
#[diesel(table_name = programme_evidence)]
pub struct NewEvidenceRow<'a> {
    pub progress_id: i64,
    pub registration_id: i64,
    pub kind: &'a str,
    pub url: Option<&'a str>,
    pub media_type: Option<&'a str>,
    pub size: Option<i64>,
    pub sha256: Option<&'a str>,
    pub file_name: Option<&'a str>,
    pub added_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, row: &NewEvidenceRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(programme_evidence::table).values(row).returning(programme_evidence::id).get_result(conn)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<EvidenceRow>> {
    programme_evidence::table.find(id).select(EvidenceRow::as_select()).first(conn).optional()
}

/// A registration's evidence, oldest first.
pub fn of_registration(conn: &mut AnyConnection, registration_id: i64) -> QueryResult<Vec<EvidenceRow>> {
    programme_evidence::table
        .filter(programme_evidence::registration_id.eq(registration_id))
        .order(programme_evidence::id.asc())
        .select(EvidenceRow::as_select())
        .load(conn)
}

/// How many pieces of evidence a progress entry has.
pub fn count_for_progress(conn: &mut AnyConnection, progress_id: i64) -> QueryResult<i64> {
    programme_evidence::table.filter(programme_evidence::progress_id.eq(progress_id)).count().get_result(conn)
}

/// Whether `progress_id` is an entry of `registration_id`.
pub fn progress_of(conn: &mut AnyConnection, registration_id: i64, progress_id: i64) -> QueryResult<bool> {
    let n: i64 = programme_progress::table
        .filter(programme_progress::id.eq(progress_id))
        .filter(programme_progress::registration_id.eq(registration_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
