//! Granting and revoking roles. A caller grants only inside their own subtree and only roles
//! their own role may grant (`Role::may_grant`): an admin anything, a leader up to leader,
//! a cadre up to cadre. Nobody grants above their unit.

use super::{audit, stored, utc};
use crate::auth::AuthUser;
use crate::db::{self, role_assignments::AssignmentListing, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use shared::api::page::Paging;
use shared::api::role_assignments::{Grantee, RoleAssignmentView, ValidRoleAssignment};
use shared::api::Page;
use shared::ids::{OrgUnitId, RoleAssignmentId, UserId};
use shared::roles::{Capability, Role};
use shared::ConflictCode;
use shared::FieldErrorCode;

/// A stored assignment as the API shows it.
pub fn view(l: &AssignmentListing) -> Result<RoleAssignmentView, ApiError> {
    Ok(RoleAssignmentView {
        id: RoleAssignmentId(l.row.id),
        user_id: UserId(l.row.user_id),
        user_full_name: l.user_full_name.clone(),
        user_login: l.user_login.clone(),
        org_unit_id: OrgUnitId(l.row.org_unit_id),
        org_unit_name: l.unit_name.clone(),
        role: stored(Role::parse(&l.row.role), "role_assignments.role", &l.row.role)?,
        title: l.row.title.clone(),
        created_at: utc(l.row.created_at),
    })
}

/// Refuses unless the caller may grant or revoke `role` on the unit at `unit_path`.
fn require_may_grant(user: &AuthUser, role: Role, unit_path: &str) -> Result<(), ApiError> {
    let mine = scope::require(user, Capability::AssignRoles, unit_path)?;
    if mine.may_grant(role) {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// Grants a role.
pub fn create(
    conn: &mut AnyConnection,
    user: &AuthUser,
    v: ValidRoleAssignment,
) -> Result<RoleAssignmentView, ApiError> {
    db::write(conn, |conn| {
        let unit = db::org_units::find(conn, v.org_unit_id.0)?
            .ok_or_else(|| ApiError::field("org_unit_id", FieldErrorCode::NotFound))?;
        require_may_grant(user, v.role, &unit.path)?;
        let grantee = match &v.grantee {
            Grantee::Id(id) => {
                db::users::find(conn, id.0)?.ok_or_else(|| ApiError::field("user_id", FieldErrorCode::NotFound))?
            }
            Grantee::Login(login) => db::users::find_by_login(conn, login.as_str())?
                .ok_or_else(|| ApiError::field("login", FieldErrorCode::NotFound))?,
        };
        let row = db::role_assignments::insert(
            conn,
            &db::role_assignments::NewRoleAssignmentRow {
                user_id: grantee.id,
                org_unit_id: unit.id,
                role: v.role.as_str(),
                title: v.title.as_deref(),
                created_at: db::now(),
                created_by: Some(user.id.0),
            },
        )
        .map_err(|e| match ApiError::from(e) {
            ApiError::Conflict(..) => ApiError::conflict(ConflictCode::RoleAlreadyHeld),
            other => other,
        })?;
        let listing = db::role_assignments::find_listing(conn, row.id)?.ok_or(ApiError::NotFound("role assignment"))?;
        let created = view(&listing)?;
        audit::record::<(), _>(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: "role_assignment.create",
                entity_type: "role_assignment",
                entity_id: row.id,
                unit: Some(audit::Unit::of(&unit)),
                before: None,
                after: Some(&created),
            },
        )?;
        Ok(created)
    })
}

/// The roles held on one unit; cadres and above of that unit's subtree.
pub fn list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit_id: OrgUnitId,
    paging: Paging,
) -> Result<Page<RoleAssignmentView>, ApiError> {
    let unit = db::org_units::find(conn, unit_id.0)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ReadRecords, &unit.path)?;
    let (rows, total) = db::role_assignments::on_unit(conn, unit.id, paging.offset(), paging.per_page)?;
    Ok(paging.wrap(rows.iter().map(view).collect::<Result<_, _>>()?, total))
}

/// Revokes a role. The last administrator cannot be removed.
pub fn delete(conn: &mut AnyConnection, user: &AuthUser, id: RoleAssignmentId) -> Result<(), ApiError> {
    db::write(conn, |conn| {
        let listing = db::role_assignments::find_listing(conn, id.0)?.ok_or(ApiError::NotFound("role assignment"))?;
        let existing = view(&listing)?;
        // Someone who cannot see the unit's records must not learn that the assignment exists.
        if scope::best_role(user, &listing.unit_path).is_none_or(|r| !r.covers(Capability::ReadRecords.min_role())) {
            return Err(ApiError::NotFound("role assignment"));
        }
        require_may_grant(user, existing.role, &listing.unit_path)?;
        if existing.role == Role::Admin && db::role_assignments::count_with_role(conn, Role::Admin.as_str())? <= 1 {
            return Err(ApiError::conflict(ConflictCode::LastAdmin));
        }
        db::role_assignments::delete(conn, id.0)?;
        let unit = db::org_units::find(conn, listing.row.org_unit_id)?;
        audit::record::<_, ()>(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: "role_assignment.delete",
                entity_type: "role_assignment",
                entity_id: id.0,
                unit: unit.as_ref().map(audit::Unit::of),
                before: Some(&existing),
                after: None,
            },
        )?;
        Ok(())
    })
}
