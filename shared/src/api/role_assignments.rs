//! Roles held by users on org units.

use crate::error::{FieldErrorCode, FieldErrors};
use crate::ids::{OrgUnitId, RoleAssignmentId, UserId};
use crate::roles::Role;
use crate::values::{self, Login};
use crate::{FieldError, Lang};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A role held by a user on a unit (and so on its whole subtree).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RoleAssignmentView {
    /// Id.
    pub id: RoleAssignmentId,
    /// The holder.
    pub user_id: UserId,
    /// The holder's name.
    pub user_full_name: String,
    /// The holder's login.
    pub user_login: String,
    /// The unit the role is held on.
    pub org_unit_id: OrgUnitId,
    /// That unit's name.
    pub org_unit_name: String,
    /// The role.
    pub role: Role,
    /// A title such as "Bí thư", if any.
    pub title: Option<String>,
    /// When it was granted.
    pub created_at: DateTime<Utc>,
}

/// Query of `GET /role-assignments`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct RoleAssignmentListQuery {
    /// Roles held on this unit (required).
    pub org_unit_id: Option<OrgUnitId>,
    /// Page number, 1–1,000,000 (default 1).
    #[cfg_attr(feature = "openapi", param(schema_with = crate::api::page::page_schema))]
    #[serde(default, deserialize_with = "crate::api::page::lenient_number")]
    pub page: Option<i64>,
    /// Page size, 1–200 (default 50).
    #[cfg_attr(feature = "openapi", param(schema_with = crate::api::page::per_page_schema))]
    #[serde(default, deserialize_with = "crate::api::page::lenient_number")]
    pub per_page: Option<i64>,
}

/// `POST /role-assignments`: grant a role. The user is named by `user_id` or by `login`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CreateRoleAssignmentRequest {
    /// The user's id…
    pub user_id: Option<UserId>,
    /// …or their login (phone or email).
    pub login: Option<String>,
    /// The unit.
    pub org_unit_id: Option<OrgUnitId>,
    /// `admin`, `leader`, `cadre`, `member` or `applicant`.
    pub role: String,
    /// Optional title, up to 100 characters ("Bí thư", "Phó Bí thư", "Ủy viên BCH").
    pub title: Option<String>,
}

/// Who receives a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Grantee {
    /// By id.
    Id(UserId),
    /// By login.
    Login(Login),
}

/// A checked grant.
#[derive(Debug, Clone)]
pub struct ValidRoleAssignment {
    /// The user.
    pub grantee: Grantee,
    /// The unit.
    pub org_unit_id: OrgUnitId,
    /// The role.
    pub role: Role,
    /// The title.
    pub title: Option<String>,
}

impl CreateRoleAssignmentRequest {
    /// Checks the fields.
    pub fn validate(&self) -> Result<ValidRoleAssignment, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let grantee = match (self.user_id, self.login.as_deref().filter(|l| !l.trim().is_empty())) {
            (Some(id), _) => Some(Grantee::Id(id)),
            (None, Some(login)) => e.check("login", Login::parse(login)).map(Grantee::Login),
            (None, None) => {
                e.push("user_id", FieldErrorCode::Required);
                None
            }
        };
        if self.org_unit_id.is_none() {
            e.push("org_unit_id", FieldErrorCode::Required);
        }
        let role = e.check(
            "role",
            match self.role.trim() {
                "" => Err(FieldErrorCode::Required),
                r => Role::parse(r).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        let title = e.check("title", values::parse_optional_text(self.title.as_deref(), 100));
        e.finish(|| ValidRoleAssignment {
            grantee: grantee.unwrap(),
            org_unit_id: self.org_unit_id.unwrap(),
            role: role.unwrap(),
            title: title.unwrap(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grant_names_a_user_a_unit_and_a_known_role() {
        let errs = CreateRoleAssignmentRequest { role: "king".into(), ..Default::default() }.validate().unwrap_err();
        let got: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(got, ["user_id", "org_unit_id", "role"]);
        let ok = CreateRoleAssignmentRequest {
            login: Some("+84912345678".into()),
            org_unit_id: Some(OrgUnitId(3)),
            role: "cadre".into(),
            title: Some(" Bí thư ".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        assert_eq!(ok.grantee, Grantee::Login(Login::parse("0912345678").unwrap()));
        assert_eq!(ok.title.as_deref(), Some("Bí thư"));
    }
}
