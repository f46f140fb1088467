//! Writing and reading the audit trail. Writers call `record` inside their own transaction,
//! so a change and its audit entry commit together or not at all.

use crate::auth::AuthUser;
use crate::db::{self, audit::NewAuditRow, org_units::OrgUnitRow, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use serde::Serialize;
use shared::api::audit::AuditEntryView;
use shared::api::page::Paging;
use shared::api::Page;
use shared::ids::{AuditEntryId, OrgUnitId, UserId};
use shared::roles::Capability;

/// The unit a change belongs to: leaders of its subtree read the entry.
#[derive(Debug, Clone, Copy)]
pub struct Unit<'a> {
    pub id: i64,
    pub path: &'a str,
}

impl<'a> Unit<'a> {
    /// The unit of a stored row.
    pub fn of(row: &'a OrgUnitRow) -> Unit<'a> {
        Unit { id: row.id, path: &row.path }
    }
}

/// One change to record.
pub struct Change<'a, B: Serialize, A: Serialize> {
    pub actor: Option<UserId>,
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: i64,
    pub unit: Option<Unit<'a>>,
    pub before: Option<&'a B>,
    pub after: Option<&'a A>,
}

fn to_json<T: Serialize>(v: Option<&T>) -> Result<Option<String>, ApiError> {
    v.map(serde_json::to_string).transpose().map_err(|e| ApiError::Internal(e.into()))
}

/// Appends one entry to the chain (see `db::audit`).
pub fn record<B: Serialize, A: Serialize>(conn: &mut AnyConnection, c: Change<'_, B, A>) -> Result<(), ApiError> {
    db::audit::insert(
        conn,
        &NewAuditRow {
            actor_user_id: c.actor.map(|u| u.0),
            action: c.action,
            entity_type: c.entity_type,
            entity_id: c.entity_id,
            org_unit_id: c.unit.map(|u| u.id),
            unit_path: c.unit.map(|u| u.path),
            before_json: to_json(c.before)?,
            after_json: to_json(c.after)?,
            at: db::now(),
        },
    )?;
    Ok(())
}

fn view(row: db::audit::AuditRow, actor_name: Option<String>) -> AuditEntryView {
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    AuditEntryView {
        id: AuditEntryId(row.id),
        actor_user_id: row.actor_user_id.map(UserId),
        actor_name,
        action: row.action,
        entity_type: row.entity_type,
        entity_id: row.entity_id,
        org_unit_id: row.org_unit_id.map(OrgUnitId),
        before: parse(row.before_json),
        after: parse(row.after_json),
        at: super::utc(row.at),
        seq: row.seq,
        hash: row.hash,
    }
}

/// The trail of a unit's subtree, newest first; leaders and admins only.
pub fn list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit_id: OrgUnitId,
    paging: Paging,
) -> Result<Page<AuditEntryView>, ApiError> {
    let unit = db::org_units::find(conn, unit_id.0)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ReadAudit, &unit.path)?;
    let (rows, total) = db::audit::list_in_subtree(conn, &unit.path, paging.offset(), paging.per_page)?;
    Ok(paging.wrap(rows.into_iter().map(|(r, name)| view(r, name)).collect(), total))
}
