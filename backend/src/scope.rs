//! The scope rule, in one place: a role held on unit U covers U and everything under it
//! (its path is a prefix of theirs); an admin covers the whole tree. Every service calls
//! `require` (or `best_role`) explicitly before reading records or writing.
//!
//! Separation of duties, also here: nobody decides a case about themselves, whatever their
//! roles. A service calls `not_about_self` with the account the case is about before any step
//! that is not the subject's own (an application's submission and withdrawal are the
//! applicant's; starting the training, the vote, the approval, the ceremony are someone else's).

use crate::auth::AuthUser;
use crate::error::ApiError;
use shared::ids::UserId;
use shared::roles::{Capability, Role};

/// Whether a grant on `grant_path` covers the unit at `unit_path`.
pub fn covers(grant_path: &str, unit_path: &str) -> bool {
    unit_path.starts_with(grant_path)
}

/// The highest role the user holds over the unit at `unit_path`, if any.
pub fn best_role(user: &AuthUser, unit_path: &str) -> Option<Role> {
    user.grants.iter().filter(|g| g.role == Role::Admin || covers(&g.unit_path, unit_path)).map(|g| g.role).max()
}

/// Whether the user is a system administrator.
pub fn is_admin(user: &AuthUser) -> bool {
    user.grants.iter().any(|g| g.role == Role::Admin)
}

/// Refuses (403) unless the user holds a role with `capability` over the unit at `unit_path`.
pub fn require(user: &AuthUser, capability: Capability, unit_path: &str) -> Result<Role, ApiError> {
    match best_role(user, unit_path) {
        Some(role) if role.covers(capability.min_role()) => Ok(role),
        _ => Err(ApiError::Forbidden),
    }
}

/// Refuses (403 `own_case`) when the case is about the caller: `subject` is the account it is
/// about (an applicant, a member record's linked account, a rated or nominated person). A case
/// about nobody's account (`None`, a record not linked to one) is nobody's own.
pub fn not_about_self(user: &AuthUser, subject: Option<UserId>) -> Result<(), ApiError> {
    match subject {
        Some(subject) if subject == user.id => Err(ApiError::OwnCase),
        _ => Ok(()),
    }
}

/// Whether the case is about the caller (to leave a decision off the actions it is offered).
pub fn is_about_self(user: &AuthUser, subject: Option<UserId>) -> bool {
    not_about_self(user, subject).is_err()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Grant;
    use shared::ids::{OrgUnitId, RoleAssignmentId, UserId};

    fn user(grants: &[(Role, &str)]) -> AuthUser {
        AuthUser {
            id: UserId(1),
            full_name: "Test".into(),
            grants: grants
                .iter()
                .enumerate()
                .map(|(i, (role, path))| Grant {
                    assignment_id: RoleAssignmentId(i as i64),
                    role: *role,
                    unit_id: OrgUnitId(0),
                    unit_path: (*path).to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_role_covers_its_unit_and_below_but_not_siblings_or_above() {
        let cadre = user(&[(Role::Cadre, "/1/5/")]);
        assert!(require(&cadre, Capability::ManageUnits, "/1/5/").is_ok());
        assert!(require(&cadre, Capability::ManageUnits, "/1/5/23/").is_ok());
        assert!(require(&cadre, Capability::ManageUnits, "/1/50/").is_err(), "/1/50/ is a sibling, not a child");
        assert!(require(&cadre, Capability::ManageUnits, "/1/").is_err());
        assert!(require(&cadre, Capability::ReadAudit, "/1/5/").is_err(), "audit needs a leader");
    }

    #[test]
    fn a_case_about_the_caller_is_refused_whatever_their_role() {
        let admin = user(&[(Role::Admin, "/1/")]);
        assert!(matches!(not_about_self(&admin, Some(UserId(1))), Err(ApiError::OwnCase)));
        assert!(not_about_self(&admin, Some(UserId(2))).is_ok());
        assert!(not_about_self(&admin, None).is_ok(), "a record linked to no account");
    }

    #[test]
    fn the_best_role_wins_and_an_admin_covers_everything() {
        let u = user(&[(Role::Member, "/1/5/23/"), (Role::Leader, "/1/5/")]);
        assert_eq!(best_role(&u, "/1/5/23/"), Some(Role::Leader));
        assert_eq!(best_role(&u, "/1/6/"), None);
        let admin = user(&[(Role::Admin, "/9/")]);
        assert_eq!(best_role(&admin, "/1/6/"), Some(Role::Admin));
    }
}
