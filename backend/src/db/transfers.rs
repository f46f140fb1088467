//! Queries on `member_transfers` and `member_placements`.

use super::org_units::subtree_upper_bound;
use super::schema::{member_placements, member_transfers, members, org_units};
use super::AnyConnection;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// A row of `member_transfers`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = member_transfers)]
pub struct TransferRow {
    pub id: i64,
    pub member_id: i64,
    pub from_unit_id: i64,
    pub from_path: String,
    pub to_unit_id: i64,
    pub to_path: String,
    pub placed_unit_id: Option<i64>,
    pub internal: bool,
    pub status: String,
    pub note: Option<String>,
    pub release_comment: Option<String>,
    pub dues_paid_to: Option<NaiveDate>,
    pub decision_reason: Option<String>,
    pub requested_by: Option<i64>,
    pub released_by: Option<i64>,
    pub decided_by: Option<i64>,
    pub requested_at: NaiveDateTime,
    pub released_at: Option<NaiveDateTime>,
    pub decided_at: Option<NaiveDateTime>,
    pub version: i64,
}

/// A new transfer request.
#[derive(Debug, Insertable)]
#[diesel(table_name = member_transfers)]
pub struct NewTransferRow<'a> {
    pub member_id: i64,
    pub from_unit_id: i64,
    pub from_path: &'a str,
    pub to_unit_id: i64,
    pub to_path: &'a str,
    pub internal: bool,
    pub status: &'a str,
    pub note: Option<&'a str>,
    pub requested_by: Option<i64>,
    pub requested_at: NaiveDateTime,
}

/// What a step of a transfer changes.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = member_transfers)]
pub struct TransferStepPatch<'a> {
    pub status: &'a str,
    pub placed_unit_id: Option<i64>,
    pub release_comment: Option<&'a str>,
    pub dues_paid_to: Option<NaiveDate>,
    pub decision_reason: Option<&'a str>,
    pub released_by: Option<i64>,
    pub released_at: Option<NaiveDateTime>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<NaiveDateTime>,
}

pub fn insert(conn: &mut AnyConnection, row: &NewTransferRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(member_transfers::table).values(row).returning(member_transfers::id).get_result(conn)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<TransferRow>> {
    member_transfers::table.find(id).select(TransferRow::as_select()).first(conn).optional()
}

/// The member's transfer under way, if any.
pub fn open_for_member(conn: &mut AnyConnection, member_id: i64) -> QueryResult<Option<TransferRow>> {
    member_transfers::table
        .filter(member_transfers::member_id.eq(member_id))
        .filter(member_transfers::status.eq_any(["requested", "released"]))
        .select(TransferRow::as_select())
        .first(conn)
        .optional()
}

/// Applies a step if the transfer is still at `expected_version`; false if it was not.
pub fn step(
    conn: &mut AnyConnection,
    id: i64,
    expected_version: i64,
    change: &TransferStepPatch<'_>,
) -> QueryResult<bool> {
    let n = diesel::update(
        member_transfers::table
            .filter(member_transfers::id.eq(id))
            .filter(member_transfers::version.eq(expected_version)),
    )
    .set((change, member_transfers::version.eq(expected_version + 1)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Points the open transfers headed to `from_unit` at `to_unit` (at `to_path`) instead.
pub fn redirect_incoming(conn: &mut AnyConnection, from_unit: i64, to_unit: i64, to_path: &str) -> QueryResult<usize> {
    diesel::update(
        member_transfers::table
            .filter(member_transfers::to_unit_id.eq(from_unit))
            .filter(member_transfers::status.eq_any(["requested", "released"])),
    )
    .set((
        member_transfers::to_unit_id.eq(to_unit),
        member_transfers::to_path.eq(to_path),
        member_transfers::version.eq(member_transfers::version + 1),
    ))
    .execute(conn)
}

/// Which side of a unit's subtree a listed transfer touches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Incoming,
    Outgoing,
    Both,
}

/// Transfers into and/or out of the subtree at `path`, newest first, with the member's name
/// and account; only those under way when `open`.
pub fn of_subtree(
    conn: &mut AnyConnection,
    path: &str,
    direction: Direction,
    open: bool,
    limit: i64,
) -> QueryResult<Vec<(TransferRow, String, Option<i64>)>> {
    let upper = subtree_upper_bound(path);
    let incoming = member_transfers::to_path.ge(path.to_owned()).and(member_transfers::to_path.lt(upper.clone()));
    let outgoing = member_transfers::from_path.ge(path.to_owned()).and(member_transfers::from_path.lt(upper));
    let mut q = member_transfers::table.inner_join(members::table).into_boxed();
    q = match direction {
        Direction::Incoming => q.filter(incoming),
        Direction::Outgoing => q.filter(outgoing),
        Direction::Both => q.filter(incoming.or(outgoing)),
    };
    if open {
        q = q.filter(member_transfers::status.eq_any(["requested", "released"]));
    }
    q.order(member_transfers::id.desc())
        .limit(limit)
        .select((TransferRow::as_select(), members::full_name, members::user_id))
        .load(conn)
}

/// One member's transfers, newest first, with their name and account.
pub fn of_member(conn: &mut AnyConnection, member_id: i64) -> QueryResult<Vec<(TransferRow, String, Option<i64>)>> {
    member_transfers::table
        .inner_join(members::table)
        .filter(member_transfers::member_id.eq(member_id))
        .order(member_transfers::id.desc())
        .select((TransferRow::as_select(), members::full_name, members::user_id))
        .load(conn)
}

/// A row of `member_placements` with the unit's name and dissolution date.
#[derive(Debug, Clone, Queryable)]
pub struct PlacementRow {
    pub unit_id: i64,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub cause: String,
    pub transfer_id: Option<i64>,
    pub unit_name: String,
    pub unit_dissolved_on: Option<NaiveDate>,
}

/// A new placement.
#[derive(Debug, Insertable)]
#[diesel(table_name = member_placements)]
pub struct NewPlacementRow<'a> {
    pub member_id: i64,
    pub unit_id: i64,
    pub started_on: NaiveDate,
    pub cause: &'a str,
    pub transfer_id: Option<i64>,
}

pub fn insert_placement(conn: &mut AnyConnection, row: &NewPlacementRow<'_>) -> QueryResult<usize> {
    diesel::insert_into(member_placements::table).values(row).execute(conn)
}

/// Ends the member's current placement on `on`.
pub fn end_placement(conn: &mut AnyConnection, member_id: i64, on: NaiveDate) -> QueryResult<usize> {
    diesel::update(
        member_placements::table
            .filter(member_placements::member_id.eq(member_id))
            .filter(member_placements::ended_on.is_null()),
    )
    .set(member_placements::ended_on.eq(on))
    .execute(conn)
}

/// Moves a member to another branch from `on`: ends the current placement and starts the next.
pub fn place(
    conn: &mut AnyConnection,
    member_id: i64,
    unit_id: i64,
    on: NaiveDate,
    cause: &str,
    transfer_id: Option<i64>,
) -> QueryResult<usize> {
    end_placement(conn, member_id, on)?;
    insert_placement(conn, &NewPlacementRow { member_id, unit_id, started_on: on, cause, transfer_id })
}

/// The units a member belonged to, oldest first.
pub fn placements(conn: &mut AnyConnection, member_id: i64) -> QueryResult<Vec<PlacementRow>> {
    member_placements::table
        .inner_join(org_units::table)
        .filter(member_placements::member_id.eq(member_id))
        .order((member_placements::started_on.asc(), member_placements::id.asc()))
        .select((
            member_placements::unit_id,
            member_placements::started_on,
            member_placements::ended_on,
            member_placements::cause,
            member_placements::transfer_id,
            org_units::name,
            org_units::dissolved_on,
        ))
        .load(conn)
}
