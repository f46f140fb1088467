//! The audit log: who changed what, when, with the record before and after.

use crate::ids::{AuditEntryId, OrgUnitId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One audited change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntryView {
    /// Id.
    pub id: AuditEntryId,
    /// Who did it (none for the system itself).
    pub actor_user_id: Option<UserId>,
    /// Their name at the time of reading.
    pub actor_name: Option<String>,
    /// What was done, e.g. `org_unit.create`, `role_assignment.delete`.
    pub action: String,
    /// The kind of record changed, e.g. `org_unit`.
    pub entity_type: String,
    /// Its id.
    pub entity_id: i64,
    /// The unit the change belongs to (what scopes who may read it).
    pub org_unit_id: Option<OrgUnitId>,
    /// The record before the change.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub before: Option<serde_json::Value>,
    /// The record after the change.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub after: Option<serde_json::Value>,
    /// When.
    pub at: DateTime<Utc>,
    /// Its place in the tamper-evident chain: 1 for the first entry, then without gaps
    /// (`sodoan audit verify` checks the chain).
    #[serde(default)]
    pub seq: Option<i64>,
    /// SHA-256 of the entry chained to the one before, 64 lowercase hex digits.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 64, max_length = 64, pattern = "^[0-9a-f]{64}$"))]
    pub hash: Option<String>,
}

/// Query of `GET /audit`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct AuditListQuery {
    /// Changes in this unit's subtree (required).
    pub unit_id: Option<OrgUnitId>,
    /// Page number, 1–1,000,000 (default 1; empty is the default).
    #[cfg_attr(feature = "openapi", param(schema_with = crate::api::page::page_schema))]
    #[serde(default, deserialize_with = "crate::api::page::lenient_number")]
    pub page: Option<i64>,
    /// Page size, 1–200 (default 50; empty is the default).
    #[cfg_attr(feature = "openapi", param(schema_with = crate::api::page::per_page_schema))]
    #[serde(default, deserialize_with = "crate::api::page::lenient_number")]
    pub per_page: Option<i64>,
}
