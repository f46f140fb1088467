//! Typed ids: a `UserId` cannot be passed where an `OrgUnitId` is expected. On the wire they are plain numbers.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta] $name:ident),* $(,)?) => {$(
        #[$doc]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map(Self)
            }
        }
    )*};
}

id_type!(
    /// A user account (anyone who can sign in).
    UserId,
    /// A node of the organisation tree.
    OrgUnitId,
    /// One role held by one user on one org unit.
    RoleAssignmentId,
    /// One entry of the audit log.
    AuditEntryId,
    /// A member record (sổ đoàn viên).
    MemberId,
);
