//! Signed tokens (JWT, HS256): access tokens, class check-in tokens and device cookies, each
//! under its own issuer so one is never accepted as another.

use crate::error::ApiError;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use shared::ids::UserId;

/// Lifetime of an access token.
pub const ACCESS_TOKEN_TTL_SECS: i64 = 15 * 60;
/// Lifetime of a refresh token.
pub const REFRESH_TOKEN_TTL_DAYS: i64 = 30;
const ISSUER: &str = "sodoan";

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

/// What a check-in token lets its holder check in to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckinFor {
    /// A class session (signed as its id alone).
    ClassSession(i64),
    /// A meeting of a unit (signed as `meeting:<id>`).
    Meeting(i64),
}

impl CheckinFor {
    fn subject(self) -> String {
        match self {
            CheckinFor::ClassSession(id) => id.to_string(),
            CheckinFor::Meeting(id) => format!("meeting:{id}"),
        }
    }

    fn parse(sub: &str) -> Option<CheckinFor> {
        match sub.strip_prefix("meeting:") {
            Some(id) => id.parse().ok().map(CheckinFor::Meeting),
            None => sub.parse().ok().map(CheckinFor::ClassSession),
        }
    }
}

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

    /// A token that lets signed-in attendees check in to a class session or a meeting until
    /// `exp` (seconds since the epoch).
    pub fn issue_checkin(&self, to: CheckinFor, exp: i64) -> Result<String, ApiError> {
        let now = chrono::Utc::now().timestamp();
        let claims = Claims { sub: to.subject(), iss: CHECKIN_ISSUER.to_owned(), iat: now, exp };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("cannot sign token: {e}")))
    }

    /// What a check-in token was issued for.
    pub fn verify_checkin(&self, token: &str) -> Result<CheckinFor, CheckinTokenError> {
        let data =
            jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.checkin_validation).map_err(|e| {
                match e.kind() {
                    jsonwebtoken::errors::ErrorKind::ExpiredSignature => CheckinTokenError::Expired,
                    _ => CheckinTokenError::Invalid,
                }
            })?;
        CheckinFor::parse(&data.claims.sub).ok_or(CheckinTokenError::Invalid)
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
}
