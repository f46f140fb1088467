//! Committee positions: appointing a member of the unit's subtree to a title for a term
//! (optionally with the cadre role on the unit for its holder's account), ending a term
//! (which revokes that role), and reading a unit's committee.

use super::{audit, stored};
use crate::auth::AuthUser;
use crate::db::{self, positions::PositionRow, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use shared::api::positions::{PositionTitle, PositionView, ValidPosition};
use shared::ids::{MemberId, OrgUnitId};
use shared::roles::{Capability, Role};
use shared::ConflictCode;
use shared::{FieldErrorCode, Lang};

fn view(row: &PositionRow, member_name: String) -> Result<PositionView, ApiError> {
    Ok(PositionView {
        id: row.id,
        member_id: MemberId(row.member_id),
        member_name,
        unit_id: OrgUnitId(row.unit_id),
        title: stored(PositionTitle::parse(&row.title), "positions.title", &row.title)?,
        started_on: row.started_on,
        ended_on: row.ended_on,
        grants_role: row.role_assignment_id.is_some(),
    })
}

/// Appoints a live member of the unit's subtree.
pub fn create(conn: &mut AnyConnection, user: &AuthUser, v: ValidPosition) -> Result<PositionView, ApiError> {
    db::write(conn, |conn| {
        let unit = db::org_units::find(conn, v.unit_id.0)?
            .ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::NotFound))?;
        scope::require(user, Capability::ManageMembers, &unit.path)?;
        let (member, _, _) = db::members::find(conn, v.member_id.0)?
            .ok_or_else(|| ApiError::field("member_id", FieldErrorCode::NotFound))?;
        let live = matches!(member.status.as_str(), "active" | "extended");
        if !live || !scope::covers(&unit.path, &member.unit_path) {
            return Err(ApiError::field("member_id", FieldErrorCode::NotAllowed));
        }
        if v.title.is_single() && db::positions::held(conn, unit.id, v.title.as_str())? {
            return Err(ApiError::conflict(ConflictCode::PositionTaken));
        }
        let now = db::now();
        let role_assignment_id = if v.grant_role {
            let account = member.user_id.ok_or_else(|| ApiError::field("grant_role", FieldErrorCode::NotAllowed))?;
            let granted = db::role_assignments::insert(
                conn,
                &db::role_assignments::NewRoleAssignmentRow {
                    user_id: account,
                    org_unit_id: unit.id,
                    role: Role::Cadre.as_str(),
                    title: Some(v.title.label(Lang::Vi)),
                    created_at: now,
                    created_by: Some(user.id.0),
                },
            )
            .map_err(|e| match ApiError::from(e) {
                ApiError::Conflict(..) => ApiError::conflict(ConflictCode::RoleAlreadyHeld),
                other => other,
            })?;
            Some(granted.id)
        } else {
            None
        };
        let id = db::positions::insert(
            conn,
            &db::positions::NewPositionRow {
                member_id: member.id,
                unit_id: unit.id,
                title: v.title.as_str(),
                started_on: v.started_on,
                role_assignment_id,
                created_at: now,
                created_by: Some(user.id.0),
            },
        )?;
        let row = db::positions::find(conn, id)?.ok_or(ApiError::NotFound("position"))?;
        let created = view(&row, member.full_name)?;
        audit::record::<(), _>(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: "position.create",
                entity_type: "position",
                entity_id: id,
                unit: Some(audit::Unit::of(&unit)),
                before: None,
                after: Some(&created),
            },
        )?;
        Ok(created)
    })
}

/// A unit's committee (any signed-in user: who leads a unit is not a secret inside the Union).
pub fn list(conn: &mut AnyConnection, unit_id: OrgUnitId, current: bool) -> Result<Vec<PositionView>, ApiError> {
    db::org_units::find(conn, unit_id.0)?.ok_or(ApiError::NotFound("org unit"))?;
    db::positions::of_unit(conn, unit_id.0, current)?.into_iter().map(|(row, name)| view(&row, name)).collect()
}

/// Ends a term on `ended_on`; the cadre role it granted is revoked.
pub fn end(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    ended_on: chrono::NaiveDate,
) -> Result<PositionView, ApiError> {
    db::write(conn, |conn| {
        let row = db::positions::find(conn, id)?.ok_or(ApiError::NotFound("position"))?;
        let unit = db::org_units::find(conn, row.unit_id)?.ok_or(ApiError::NotFound("org unit"))?;
        scope::require(user, Capability::ManageMembers, &unit.path)?;
        if row.ended_on.is_some() {
            return Err(ApiError::InvalidState("ended".into()));
        }
        if ended_on < row.started_on {
            return Err(ApiError::field("ended_on", FieldErrorCode::OutOfRange));
        }
        let (member, _, _) = db::members::find(conn, row.member_id)?.ok_or(ApiError::NotFound("member"))?;
        let before = view(&row, member.full_name.clone())?;
        db::positions::end(conn, id, ended_on)?;
        if let Some(assignment) = row.role_assignment_id {
            db::role_assignments::delete(conn, assignment)?;
        }
        let after = view(&db::positions::find(conn, id)?.ok_or(ApiError::NotFound("position"))?, member.full_name)?;
        audit::record(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: "position.end",
                entity_type: "position",
                entity_id: id,
                unit: Some(audit::Unit::of(&unit)),
                before: Some(&before),
                after: Some(&after),
            },
        )?;
        Ok(after)
    })
}
