//! Accounts and sessions: register, log in, refresh, log out, who am I.

use crate::api::role_assignments::RoleAssignmentView;
use crate::error::FieldErrors;
use crate::ids::UserId;
use crate::values::{self, FullName, Login, Password};
use crate::{FieldError, Lang};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// `POST /auth/register`: a young person opens an account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RegisterRequest {
    /// A Vietnamese mobile number or an email address.
    pub login: String,
    /// 8–128 characters.
    pub password: String,
    /// Full name with diacritics.
    pub full_name: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
}

/// A registration that passed validation.
#[derive(Debug, Clone)]
pub struct ValidRegistration {
    /// Normalised login.
    pub login: Login,
    /// The chosen password.
    pub password: Password,
    /// NFC full name.
    pub full_name: FullName,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
}

impl RegisterRequest {
    /// Checks every field; `today` bounds the date of birth.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidRegistration, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let login = e.check("login", Login::parse(&self.login));
        let password = e.check("password", Password::parse(&self.password));
        let full_name = e.check("full_name", FullName::parse(&self.full_name));
        let date_of_birth = e.check("date_of_birth", values::parse_birth_date(&self.date_of_birth, today));
        e.finish(|| ValidRegistration {
            login: login.unwrap(),
            password: password.unwrap(),
            full_name: full_name.unwrap(),
            date_of_birth: date_of_birth.unwrap(),
        })
    }
}

/// Where the refresh token goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SessionMode {
    /// In the response body (mobile apps and API clients).
    #[default]
    Body,
    /// In an HttpOnly, SameSite=Strict cookie scoped to `/api/v1/auth` (the SPA); the body then has none.
    Cookie,
}

/// `POST /auth/login`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct LoginRequest {
    /// Mobile number or email, in any common form.
    pub login: String,
    /// The password.
    pub password: String,
    /// Where to put the refresh token (default `body`).
    pub session: SessionMode,
}

/// `POST /auth/refresh` and `POST /auth/logout`: the refresh token, unless it travels in the cookie.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RefreshRequest {
    /// The opaque refresh token from login or the last refresh; omitted when the cookie carries it.
    pub refresh_token: Option<String>,
}

/// Whether an account may sign in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UserStatus {
    /// Signs in normally.
    Active,
    /// Refused at sign-in and on every request.
    Disabled,
}

/// A user account as returned by the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UserView {
    /// Id.
    pub id: UserId,
    /// Normalised login.
    pub login: String,
    /// Full name.
    pub full_name: String,
    /// Date of birth.
    pub date_of_birth: Option<NaiveDate>,
    /// Active or disabled.
    pub status: UserStatus,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

/// Tokens issued by login and refresh.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// A short-lived JWT for `Authorization: Bearer …`.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    /// The opaque refresh token (single use; absent when it was set as a cookie).
    pub refresh_token: Option<String>,
    /// The signed-in user.
    pub user: UserView,
}

/// `GET /me`: the caller, their roles, and (later) their member record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeResponse {
    /// The account.
    pub user: UserView,
    /// Every role the caller holds, with its unit.
    pub roles: Vec<RoleAssignmentView>,
    /// The caller's own member record, if they are a member.
    pub member_id: Option<crate::ids::MemberId>,
    /// A member record a cadre made naming this account, waiting for the caller to confirm it
    /// is theirs (`POST /members/{id}/link/confirm`).
    #[serde(default)]
    pub pending_member_id: Option<crate::ids::MemberId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registration_reports_every_bad_field_at_once() {
        let req = RegisterRequest {
            login: "12345".into(),
            password: "x".into(),
            full_name: "a".repeat(300),
            date_of_birth: "2030-01-01".into(),
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let fields: Vec<_> = req.validate(today).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["login", "password", "full_name", "date_of_birth"]);
    }

    #[test]
    fn a_missing_field_reads_as_empty_and_is_required() {
        let req: RegisterRequest = serde_json::from_str(r#"{"login":"0912345678"}"#).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let errs = req.validate(today).unwrap_err();
        assert!(errs.iter().all(|e| e.code == crate::FieldErrorCode::Required));
        assert_eq!(errs.len(), 3);
    }
}
