//! Who is calling: the `AuthUser` extractor — a handler that takes an `AuthUser` argument only
//! runs for a signed-in, active user, whose role grants are loaded with it. Passwords and
//! refresh tokens (`passwords`), signed tokens (`tokens`) and the caller with its cache
//! (`caller`) live in the files beside this one.

pub mod caller;
pub mod passwords;
pub mod tokens;

pub use caller::{AuthUser, CallerCache, Grant};
pub use passwords::{hash_password, hash_refresh_token, new_refresh_token, verify_against_dummy, verify_password};
pub use tokens::{
    CheckinFor, CheckinTokenError, TokenKeys, ACCESS_TOKEN_TTL_SECS, DEVICE_TTL_DAYS, REFRESH_TOKEN_TTL_DAYS,
};

use crate::db;
use crate::error::ApiError;
use crate::state::{AppState, Db};
use actix_web::{dev::Payload, http::header, web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use shared::ids::UserId;

fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<AuthUser, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
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
