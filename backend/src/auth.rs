//! Who is calling: password hashing (Argon2id), access tokens (JWT, HS256), opaque refresh
//! tokens, and the `AuthUser` extractor — a handler that takes an `AuthUser` argument only runs
//! for a signed-in, active user, whose role grants are loaded with it.

use crate::db::{self, role_assignments::AssignmentListing};
use crate::error::ApiError;
use crate::services::Db;
use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine as _;
use futures_util::future::LocalBoxFuture;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shared::ids::{OrgUnitId, RoleAssignmentId, UserId};
use shared::roles::Role;
use std::collections::HashMap;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

/// Lifetime of an access token.
pub const ACCESS_TOKEN_TTL_SECS: i64 = 15 * 60;
/// Lifetime of a refresh token.
pub const REFRESH_TOKEN_TTL_DAYS: i64 = 30;
const ISSUER: &str = "sodoan";

/// Hashes a password with Argon2id and a fresh salt.
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("password hashing failed: {e}")))
}

/// Checks a password against a stored hash.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// A hash nobody's password matches: verifying against it for unknown logins takes as long
/// as a real check, so response times do not reveal which logins exist.
pub fn verify_against_dummy(password: &str) {
    static DUMMY: LazyLock<String> = LazyLock::new(|| hash_password("sodoan-timing-equaliser").unwrap_or_default());
    let _ = verify_password(password, &DUMMY);
}

/// A new opaque refresh token and the hash to store.
pub fn new_refresh_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_refresh_token(&token);
    (token, hash)
}

/// What is stored for a refresh token: its SHA-256 (the token has 256 random bits, so no salt is needed).
pub fn hash_refresh_token(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iss: String,
    iat: i64,
    exp: i64,
}

/// Signs and checks access tokens.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    checkin_validation: Validation,
    device_validation: Validation,
}

/// The issuer of class check-in tokens (never valid as access tokens, nor the reverse).
const CHECKIN_ISSUER: &str = "sodoan/checkin";

/// The issuer of device cookies (never valid as access or check-in tokens, nor the reverse).
const DEVICE_ISSUER: &str = "sodoan/device";
/// How long a device is remembered after it signed in.
pub const DEVICE_TTL_DAYS: i64 = 365;

/// Why a check-in token is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckinTokenError {
    Expired,
    Invalid,
}

impl TokenKeys {
    /// Keys from the configured secret.
    pub fn new(secret: &[u8]) -> TokenKeys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.leeway = 5;
        let mut checkin_validation = validation.clone();
        checkin_validation.set_issuer(&[CHECKIN_ISSUER]);
        checkin_validation.leeway = 0;
        let mut device_validation = validation.clone();
        device_validation.set_issuer(&[DEVICE_ISSUER]);
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            checkin_validation,
            device_validation,
        }
    }

    /// A device cookie's value for a device that just signed in to `login`: a random device id
    /// and the login, signed, for `DEVICE_TTL_DAYS` (the login throttle trusts it, `throttle`).
    pub fn issue_device(&self, login: &str) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let mut id = [0u8; 12];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut id);
        let device: String = id.iter().map(|b| format!("{b:02x}")).collect();
        let claims = Claims {
            sub: format!("{device} {login}"),
            iss: DEVICE_ISSUER.to_owned(),
            iat: now,
            exp: now + DEVICE_TTL_DAYS * 86_400,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("cannot sign token: {e}")))
    }

    /// The device id of a valid device cookie issued for `login`.
    pub fn verify_device(&self, token: &str, login: &str) -> Option<String> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.device_validation).ok()?;
        let (device, signed_login) = data.claims.sub.split_once(' ')?;
        (signed_login == login).then(|| device.to_owned())
    }

    /// A token that lets signed-in attendees check in to class session `session_id` until `exp`
    /// (seconds since the epoch).
    pub fn issue_checkin(&self, session_id: i64, exp: i64) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims { sub: session_id.to_string(), iss: CHECKIN_ISSUER.to_owned(), iat: now, exp };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("cannot sign token: {e}")))
    }

    /// The class session a check-in token was issued for.
    pub fn verify_checkin(&self, token: &str) -> Result<i64, CheckinTokenError> {
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.checkin_validation).map_err(|e| {
                match e.kind() {
                    jsonwebtoken::errors::ErrorKind::ExpiredSignature => CheckinTokenError::Expired,
                    _ => CheckinTokenError::Invalid,
                }
            })?;
        data.claims.sub.parse().map_err(|_| CheckinTokenError::Invalid)
    }

    /// An access token for `user` issued at `iat` (seconds since the epoch).
    pub fn issue_at(&self, user: UserId, iat: i64, ttl_secs: i64) -> Result<String, ApiError> {
        let claims = Claims { sub: user.0.to_string(), iss: ISSUER.to_owned(), iat, exp: iat + ttl_secs };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("cannot sign token: {e}")))
    }

    /// An access token for `user`, valid from now.
    pub fn issue(&self, user: UserId) -> Result<String, ApiError> {
        self.issue_at(user, chrono::Utc::now().timestamp(), ACCESS_TOKEN_TTL_SECS)
    }

    /// The user a valid token names.
    pub fn verify(&self, token: &str) -> Result<UserId, ApiError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|_| ApiError::Unauthenticated)?;
        data.claims.sub.parse().map(UserId).map_err(|_| ApiError::Unauthenticated)
    }
}

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

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
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
    fn get(&self, id: UserId) -> Option<AuthUser> {
        let map = self.0.lock().ok()?;
        map.get(&id.0).filter(|(_, at)| at.elapsed() < CALLER_TTL).map(|(u, _)| u.clone())
    }

    fn put(&self, user: &AuthUser) {
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

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<AuthUser, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<crate::startup::AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("app state missing")))?;
            let user_id = state.tokens.verify(&token.ok_or(ApiError::Unauthenticated)?)?;
            if let Some(user) = state.callers.get(user_id) {
                return Ok(user);
            }
            let user = load_caller(&state.db, user_id).await?;
            state.callers.put(&user);
            Ok(user)
        })
    }
}

/// Loads an active user and their grants; a missing or disabled user is unauthenticated.
pub async fn load_caller(db: &Db, user_id: UserId) -> Result<AuthUser, ApiError> {
    db.run(move |conn| {
        let user = db::users::find(conn, user_id.0)?.ok_or(ApiError::Unauthenticated)?;
        if user.status != "active" {
            return Err(ApiError::Unauthenticated);
        }
        let grants = db::role_assignments::for_user(conn, user.id)?.iter().filter_map(Grant::from_listing).collect();
        Ok(AuthUser { id: UserId(user.id), full_name: user.full_name, grants })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_only_with_its_own_key_and_before_expiry() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef");
        let other = TokenKeys::new(b"ffffffffffffffffffffffffffffffff");
        let t = keys.issue(UserId(7)).unwrap();
        assert_eq!(keys.verify(&t).unwrap(), UserId(7));
        assert!(other.verify(&t).is_err());
        let old = keys.issue_at(UserId(7), chrono::Utc::now().timestamp() - 3600, 60).unwrap();
        assert!(keys.verify(&old).is_err());
    }

    #[test]
    fn passwords_verify_against_their_hash_only() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
    }

    #[test]
    fn refresh_tokens_are_random_and_stored_hashed() {
        let (a, ha) = new_refresh_token();
        let (b, _) = new_refresh_token();
        assert_ne!(a, b);
        assert_eq!(hash_refresh_token(&a), ha);
        assert_ne!(a, ha);
    }
}
