//! Merging two records of one person: the history of the duplicate moves to the kept record.

use super::schema::{member_merges, member_placements, member_transfers, member_transitions, members, positions};
use super::AnyConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A merge to record.
#[derive(Debug, Insertable)]
#[diesel(table_name = member_merges)]
pub struct NewMergeRow<'a> {
    pub survivor_id: i64,
    pub duplicate_id: i64,
    pub snapshot: &'a str,
    pub merged_by: Option<i64>,
    pub merged_at: NaiveDateTime,
}

/// Points everything that belonged to `from` (status changes, placements, transfers,
/// committee positions, dues, attendance lines, removal candidacies) at `to`; ratings, which
/// move counters, are `services::ratings::merge_records`'.
pub fn move_history(conn: &mut AnyConnection, from: i64, to: i64) -> QueryResult<()> {
    diesel::update(member_transitions::table.filter(member_transitions::member_id.eq(from)))
        .set(member_transitions::member_id.eq(to))
        .execute(conn)?;
    diesel::update(member_placements::table.filter(member_placements::member_id.eq(from)))
        .set(member_placements::member_id.eq(to))
        .execute(conn)?;
    diesel::update(member_transfers::table.filter(member_transfers::member_id.eq(from)))
        .set(member_transfers::member_id.eq(to))
        .execute(conn)?;
    diesel::update(positions::table.filter(positions::member_id.eq(from)))
        .set(positions::member_id.eq(to))
        .execute(conn)?;
    super::dues::move_payments(conn, from, to)?;
    super::meetings::move_lines(conn, from, to)?;
    super::removals::move_candidates(conn, from, to)?;
    Ok(())
}

/// Records the merge and deletes the merged-away record (its profile and name words go with it).
pub fn finish(conn: &mut AnyConnection, row: &NewMergeRow<'_>) -> QueryResult<()> {
    diesel::insert_into(member_merges::table).values(row).execute(conn)?;
    diesel::delete(members::table.find(row.duplicate_id)).execute(conn)?;
    Ok(())
}

/// The record a merged-away id now lives on, if it was merged.
pub fn survivor_of(conn: &mut AnyConnection, duplicate_id: i64) -> QueryResult<Option<i64>> {
    member_merges::table
        .filter(member_merges::duplicate_id.eq(duplicate_id))
        .order(member_merges::id.desc())
        .select(member_merges::survivor_id)
        .first(conn)
        .optional()
}
