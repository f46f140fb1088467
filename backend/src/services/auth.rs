//! Accounts and sessions: registration, password sign-in, refresh-token rotation, sign-out,
//! and the caller's own profile. Password hashing happens here, on the blocking pool.

use super::{audit, role_assignments, stored, utc};
use crate::auth::{self as tokens, AuthUser};
use crate::db::{self, users::UserRow, AnyConnection};
use crate::error::ApiError;
use crate::throttle::{Attempt, LoginThrottle};
use chrono::Duration;
use shared::api::auth::{MeResponse, UserStatus, UserView, ValidRegistration};
use shared::ids::UserId;

fn status_of(row: &UserRow) -> Result<UserStatus, ApiError> {
    let s = match row.status.as_str() {
        "active" => Some(UserStatus::Active),
        "disabled" => Some(UserStatus::Disabled),
        _ => None,
    };
    stored(s, "users.status", &row.status)
}

/// A stored user as the API shows it.
pub fn view(row: &UserRow) -> Result<UserView, ApiError> {
    Ok(UserView {
        id: UserId(row.id),
        login: row.login.clone(),
        full_name: row.full_name.clone(),
        date_of_birth: row.date_of_birth,
        status: status_of(row)?,
        created_at: utc(row.created_at),
    })
}

/// Opens an account (no role yet: an applicant).
pub fn register(conn: &mut AnyConnection, v: &ValidRegistration) -> Result<UserView, ApiError> {
    let hash = tokens::hash_password(v.password.expose())?;
    db::write(conn, |conn| {
        if db::users::find_by_login(conn, v.login.as_str())?.is_some() {
            return Err(ApiError::DuplicateLogin);
        }
        let now = db::now();
        let row = db::users::insert(
            conn,
            &db::users::NewUserRow {
                login: v.login.as_str(),
                password_hash: &hash,
                full_name: v.full_name.as_str(),
                date_of_birth: Some(v.date_of_birth),
                status: "active",
                created_at: now,
                updated_at: now,
            },
        )?;
        let created = view(&row)?;
        audit::record::<(), _>(
            conn,
            audit::Change {
                actor: Some(created.id),
                action: "user.register",
                entity_type: "user",
                entity_id: row.id,
                unit: None,
                before: None,
                after: Some(&created),
            },
        )?;
        Ok(created)
    })
}

/// Checks a login and password. Unknown logins cost the same as wrong passwords and get the same answer.
pub fn verify_credentials(conn: &mut AnyConnection, login: &str, password: &str) -> Result<UserRow, ApiError> {
    let Some(user) = db::users::find_by_login(conn, login)? else {
        tokens::verify_against_dummy(password);
        return Err(ApiError::InvalidCredentials);
    };
    if !tokens::verify_password(password, &user.password_hash) {
        return Err(ApiError::InvalidCredentials);
    }
    if user.status != "active" {
        return Err(ApiError::Unauthenticated);
    }
    Ok(user)
}

/// Signs in with a password under the throttle: an attempt past its limits is refused before the
/// password is even checked (429 with the seconds to wait); a wrong password counts a failure,
/// a right one forgets its pair's. Answers the account and a new refresh token.
pub fn sign_in(
    conn: &mut AnyConnection,
    throttle: &LoginThrottle,
    attempt: &Attempt<'_>,
    password: &str,
) -> Result<(UserView, String), ApiError> {
    let now = db::now();
    if let Err(retry_after) = throttle.check(conn, attempt, now)? {
        return Err(ApiError::TooManyRequests { retry_after });
    }
    match verify_credentials(conn, attempt.login, password) {
        Ok(user) => {
            db::write(conn, |conn| throttle.succeed(conn, attempt))?;
            let session = start_session(conn, user.id)?;
            Ok((view(&user)?, session))
        }
        Err(ApiError::InvalidCredentials) => {
            db::write(conn, |conn| throttle.fail(conn, attempt, now))?;
            Err(ApiError::InvalidCredentials)
        }
        Err(e) => Err(e),
    }
}

/// Issues a refresh token for a user and stores its hash.
pub fn start_session(conn: &mut AnyConnection, user_id: i64) -> Result<String, ApiError> {
    let (token, hash) = tokens::new_refresh_token();
    let now = db::now();
    db::refresh_tokens::insert(
        conn,
        &db::refresh_tokens::NewRefreshTokenRow {
            user_id,
            token_hash: &hash,
            created_at: now,
            expires_at: now + Duration::days(tokens::REFRESH_TOKEN_TTL_DAYS),
        },
    )?;
    Ok(token)
}

/// Exchanges a live refresh token for a new one (the old one is revoked). Presenting a token
/// that was already used revokes every session of its user: someone has a copy.
pub fn rotate(conn: &mut AnyConnection, token: &str) -> Result<(UserRow, String), ApiError> {
    let outcome = db::write(conn, |conn| {
        let now = db::now();
        let row = db::refresh_tokens::find_by_hash(conn, &tokens::hash_refresh_token(token))?
            .ok_or(ApiError::Unauthenticated)?;
        if row.revoked_at.is_some() || !db::refresh_tokens::revoke(conn, row.id, now)? {
            db::refresh_tokens::revoke_all_for_user(conn, row.user_id, now)?;
            return Ok(Err(ApiError::Unauthenticated));
        }
        if row.expires_at <= now {
            return Ok(Err(ApiError::Unauthenticated));
        }
        let user = db::users::find(conn, row.user_id)?.ok_or(ApiError::Unauthenticated)?;
        if user.status != "active" {
            return Ok(Err(ApiError::Unauthenticated));
        }
        let next = start_session(conn, user.id)?;
        Ok::<_, ApiError>(Ok((user, next)))
    })?;
    // The revocations above commit even though the caller is refused.
    outcome
}

/// Revokes a refresh token (sign-out); unknown tokens are ignored.
pub fn end_session(conn: &mut AnyConnection, token: &str) -> Result<(), ApiError> {
    if let Some(row) = db::refresh_tokens::find_by_hash(conn, &tokens::hash_refresh_token(token))? {
        db::refresh_tokens::revoke(conn, row.id, db::now())?;
    }
    Ok(())
}

/// The caller's account and roles.
pub fn me(conn: &mut AnyConnection, user: &AuthUser) -> Result<MeResponse, ApiError> {
    let row = db::users::find(conn, user.id.0)?.ok_or(ApiError::Unauthenticated)?;
    let roles =
        db::role_assignments::for_user(conn, row.id)?.iter().map(role_assignments::view).collect::<Result<_, _>>()?;
    let member_id = db::members::id_for_user(conn, row.id)?.map(shared::ids::MemberId);
    let pending_member_id = match member_id {
        Some(_) => None,
        None => db::members::pending_for_user(conn, row.id)?.map(shared::ids::MemberId),
    };
    Ok(MeResponse { user: view(&row)?, roles, member_id, pending_member_id })
}

/// Creates or updates an administrator (the `create-admin` command): the account gets the
/// password and an admin role on the root of the tree, which is created if missing.
pub fn create_admin(
    conn: &mut AnyConnection,
    login: &str,
    full_name: &str,
    password: &str,
) -> Result<UserView, ApiError> {
    let hash = tokens::hash_password(password)?;
    db::write(conn, |conn| {
        let root = super::org_units::ensure_root(conn)?;
        let now = db::now();
        let user = match db::users::find_by_login(conn, login)? {
            Some(existing) => {
                db::users::set_password_hash(conn, existing.id, &hash, now)?;
                db::users::set_status(conn, existing.id, "active", now)?;
                existing
            }
            None => db::users::insert(
                conn,
                &db::users::NewUserRow {
                    login,
                    password_hash: &hash,
                    full_name,
                    date_of_birth: None,
                    status: "active",
                    created_at: now,
                    updated_at: now,
                },
            )?,
        };
        let already = db::role_assignments::for_user(conn, user.id)?.iter().any(|l| l.row.role == "admin");
        if !already {
            let row = db::role_assignments::insert(
                conn,
                &db::role_assignments::NewRoleAssignmentRow {
                    user_id: user.id,
                    org_unit_id: root.id,
                    role: "admin",
                    title: None,
                    created_at: now,
                    created_by: None,
                },
            )?;
            audit::record::<(), _>(
                conn,
                audit::Change {
                    actor: None,
                    action: "role_assignment.create",
                    entity_type: "role_assignment",
                    entity_id: row.id,
                    unit: Some(audit::Unit::of(&root)),
                    before: None,
                    after: Some(&serde_json::json!({"user_id": user.id, "role": "admin"})),
                },
            )?;
        }
        view(&db::users::find(conn, user.id)?.ok_or(ApiError::NotFound("user"))?)
    })
}
