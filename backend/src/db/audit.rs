//! Queries on `audit_log`.

use super::schema::{audit_log, users};
use super::AnyConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A row of `audit_log`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i64,
    pub actor_user_id: Option<i64>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: i64,
    pub org_unit_id: Option<i64>,
    pub unit_path: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub at: NaiveDateTime,
}

/// A new audit entry.
#[derive(Debug, Insertable)]
#[diesel(table_name = audit_log)]
pub struct NewAuditRow<'a> {
    pub actor_user_id: Option<i64>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: i64,
    pub org_unit_id: Option<i64>,
    pub unit_path: Option<&'a str>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, row: &NewAuditRow<'_>) -> QueryResult<usize> {
    diesel::insert_into(audit_log::table).values(row).execute(conn)
}

/// An audit row with its actor's name.
pub type AuditListing = (AuditRow, Option<String>);

/// Entries for units whose path starts with `path`, newest first, with the actor's name.
pub fn list_in_subtree(
    conn: &mut AnyConnection,
    path: &str,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<AuditListing>, i64)> {
    let upper = super::org_units::subtree_upper_bound(path);
    let in_subtree = audit_log::unit_path.ge(path.to_owned()).and(audit_log::unit_path.lt(upper));
    let total = audit_log::table.filter(in_subtree.clone()).count().get_result(conn)?;
    let rows = audit_log::table
        .left_join(users::table.on(users::id.nullable().eq(audit_log::actor_user_id)))
        .filter(in_subtree)
        .order(audit_log::id.desc())
        .offset(offset)
        .limit(limit)
        .select((AuditRow::as_select(), users::full_name.nullable()))
        .load(conn)?;
    Ok((rows, total))
}

pub fn list_for_entity(conn: &mut AnyConnection, entity_type: &str, entity_id: i64) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .filter(audit_log::entity_type.eq(entity_type).and(audit_log::entity_id.eq(entity_id)))
        .order(audit_log::id.asc())
        .select(AuditRow::as_select())
        .load(conn)
}
