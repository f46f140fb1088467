//! The signed-in caller (their role grants with each unit's path) and the cache of callers
//! recently loaded.

use crate::db::role_assignments::AssignmentListing;
use shared::ids::{OrgUnitId, RoleAssignmentId, UserId};
use shared::roles::Role;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// One role the caller holds, with the path of its unit (what scope checks compare).
#[derive(Debug, Clone)]
pub struct Grant {
    pub assignment_id: RoleAssignmentId,
    pub role: Role,
    pub unit_id: OrgUnitId,
    pub unit_path: String,
}

impl Grant {
    /// A grant from a stored assignment (rows with an unknown role are skipped by the caller).
    pub fn from_listing(l: &AssignmentListing) -> Option<Grant> {
        Some(Grant {
            assignment_id: RoleAssignmentId(l.row.id),
            role: Role::parse(&l.row.role)?,
            unit_id: OrgUnitId(l.row.org_unit_id),
            unit_path: l.unit_path.clone(),
        })
    }
}

/// The signed-in caller.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub id: UserId,
    pub full_name: String,
    pub grants: Vec<Grant>,
}

/// Callers recently loaded, so a request does not read the user and their grants again. Any
/// change of roles clears it (the routes that grant or revoke call `forget_all` once their
/// transaction has committed); entries also expire after `CALLER_TTL`, for changes made by
/// another process (the command line).
#[derive(Debug, Default)]
pub struct CallerCache(std::sync::Mutex<HashMap<i64, (AuthUser, Instant)>>);

/// How long a cached caller is trusted without a known change.
const CALLER_TTL: Duration = Duration::from_secs(60);
/// Above this many entries the cache starts over (bounded memory).
const CALLER_CACHE_MAX: usize = 50_000;

impl CallerCache {
    pub(crate) fn get(&self, id: UserId) -> Option<AuthUser> {
        let map = self.0.lock().ok()?;
        map.get(&id.0).filter(|(_, at)| at.elapsed() < CALLER_TTL).map(|(u, _)| u.clone())
    }

    pub(crate) fn put(&self, user: &AuthUser) {
        if let Ok(mut map) = self.0.lock() {
            if map.len() >= CALLER_CACHE_MAX {
                map.clear();
            }
            map.insert(user.id.0, (user.clone(), Instant::now()));
        }
    }

    /// Forgets every caller: after any change of role assignments or accounts.
    pub fn forget_all(&self) {
        if let Ok(mut map) = self.0.lock() {
            map.clear();
        }
    }
}
