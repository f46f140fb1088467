//! Queries behind a programme's spreadsheet: a subtree's registrations with what each sheet row
//! shows of the member, and the items they hold; the members a sheet row names.

use super::members::MemberRow;
use super::org_units::subtree_upper_bound;
use super::schema::{members, org_units, programme_registration_items, programme_registrations};
use super::AnyConnection;
use chrono::NaiveDate;
use diesel::prelude::*;

/// A registration as a sheet row shows it.
#[derive(Debug, Clone, Queryable)]
pub struct SheetRow {
    pub registration_id: i64,
    pub result: Option<String>,
    pub full_name: String,
    pub date_of_birth: NaiveDate,
    pub national_id: Option<String>,
    pub card_number: Option<String>,
    pub branch: String,
}

/// How many registrations of the programme the subtree at `path` has.
pub fn count(conn: &mut AnyConnection, programme_id: i64, path: &str) -> QueryResult<i64> {
    programme_registrations::table
        .filter(programme_registrations::programme_id.eq(programme_id))
        .filter(programme_registrations::unit_path.ge(path))
        .filter(programme_registrations::unit_path.lt(subtree_upper_bound(path)))
        .count()
        .get_result(conn)
}

/// The programme's registrations in the subtree at `path`, by branch and member name.
pub fn rows(conn: &mut AnyConnection, programme_id: i64, path: &str) -> QueryResult<Vec<SheetRow>> {
    programme_registrations::table
        .inner_join(members::table)
        .inner_join(org_units::table.on(org_units::id.eq(programme_registrations::unit_id)))
        .filter(programme_registrations::programme_id.eq(programme_id))
        .filter(programme_registrations::unit_path.ge(path))
        .filter(programme_registrations::unit_path.lt(subtree_upper_bound(path)))
        .order((programme_registrations::unit_path.asc(), members::sort_key.asc(), programme_registrations::id.asc()))
        .select((
            programme_registrations::id,
            programme_registrations::result,
            members::full_name,
            members::date_of_birth,
            members::national_id,
            members::card_number,
            org_units::name,
        ))
        .load(conn)
}

/// (registration, item, done) for the items these registrations hold.
pub fn held(conn: &mut AnyConnection, registration_ids: &[i64]) -> QueryResult<Vec<(i64, i64, i32)>> {
    let mut out = Vec::new();
    // Bounded lists: PostgreSQL and SQLite both cap the parameters of one statement.
    for chunk in registration_ids.chunks(5_000) {
        out.extend(
            programme_registration_items::table
                .filter(programme_registration_items::registration_id.eq_any(chunk))
                .select((
                    programme_registration_items::registration_id,
                    programme_registration_items::item_id,
                    programme_registration_items::done,
                ))
                .load::<(i64, i64, i32)>(conn)?,
        );
    }
    Ok(out)
}

/// The live members under `path` with this CCCD, or else this card number (more than one means
/// the sheet's row names two people).
pub fn named(
    conn: &mut AnyConnection,
    path: &str,
    national_id: Option<&str>,
    card: Option<&str>,
) -> QueryResult<Vec<MemberRow>> {
    let mut q = members::table
        .filter(members::unit_path.ge(path.to_owned()))
        .filter(members::unit_path.lt(subtree_upper_bound(path)))
        .filter(members::status.eq_any(super::members::LIVE_STATUSES))
        .into_boxed();
    q = match (national_id, card) {
        (Some(n), _) => q.filter(members::national_id.eq(n.to_owned())),
        (None, Some(c)) => q.filter(members::card_number.eq(c.to_owned())),
        (None, None) => return Ok(Vec::new()),
    };
    q.select(MemberRow::as_select()).load(conn)
}
