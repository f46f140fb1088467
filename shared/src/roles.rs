//! Roles and what each may do. A role is held on an org unit and covers that unit's whole subtree;
//! the server checks it on every request, the SPA uses the same rules only to hide what cannot work.

use crate::Lang;
use serde::{Deserialize, Serialize};

/// A role held on an org unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// An account without membership yet (thanh niên).
    Applicant,
    /// A Union member (đoàn viên).
    Member,
    /// A Union cadre (cán bộ Đoàn): manages members, admissions, classes and ratings in the subtree.
    Cadre,
    /// A leader: reads everything in the subtree and approves at their level.
    Leader,
    /// A system administrator.
    Admin,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 5] = [Role::Applicant, Role::Member, Role::Cadre, Role::Leader, Role::Admin];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Member => "member",
            Role::Cadre => "cadre",
            Role::Leader => "leader",
            Role::Admin => "admin",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Role::Applicant => lang.pick("Thanh niên", "Applicant"),
            Role::Member => lang.pick("Đoàn viên", "Member"),
            Role::Cadre => lang.pick("Cán bộ Đoàn", "Cadre"),
            Role::Leader => lang.pick("Lãnh đạo", "Leader"),
            Role::Admin => lang.pick("Quản trị hệ thống", "Administrator"),
        }
    }

    /// Whether this role includes everything `other` may do (roles are ordered).
    pub fn covers(self, other: Role) -> bool {
        self >= other
    }

    /// Whether a holder of this role may grant `granted` (within their subtree).
    /// Admins grant anything; leaders grant up to leader; cadres grant up to cadre; nobody else grants.
    pub fn may_grant(self, granted: Role) -> bool {
        match self {
            Role::Admin => true,
            Role::Leader => granted <= Role::Leader,
            Role::Cadre => granted <= Role::Cadre,
            Role::Member | Role::Applicant => false,
        }
    }
}

/// What a caller wants to do on a unit; each needs a minimum role there (or above it in the tree).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// See the unit's people, assignments and audit trail.
    ReadRecords,
    /// Create, rename or restructure units below it.
    ManageUnits,
    /// Grant or revoke roles in it.
    AssignRoles,
    /// Read the audit log of the subtree.
    ReadAudit,
    /// Create and edit member records.
    ManageMembers,
}

impl Capability {
    /// The lowest role that has this capability.
    pub fn min_role(self) -> Role {
        match self {
            Capability::ReadRecords => Role::Cadre,
            Capability::ManageUnits => Role::Cadre,
            Capability::AssignRoles => Role::Cadre,
            Capability::ReadAudit => Role::Leader,
            Capability::ManageMembers => Role::Cadre,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_from_applicant_to_admin() {
        assert!(Role::Admin.covers(Role::Leader));
        assert!(Role::Leader.covers(Role::Cadre));
        assert!(!Role::Cadre.covers(Role::Leader));
        assert!(!Role::Member.covers(Role::Cadre));
    }

    #[test]
    fn nobody_but_an_admin_grants_admin() {
        assert!(Role::Admin.may_grant(Role::Admin));
        assert!(!Role::Leader.may_grant(Role::Admin));
        assert!(Role::Leader.may_grant(Role::Leader));
        assert!(!Role::Cadre.may_grant(Role::Leader));
        assert!(Role::Cadre.may_grant(Role::Member));
        assert!(!Role::Member.may_grant(Role::Applicant));
    }

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
