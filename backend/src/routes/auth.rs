//! `/auth/*` and `/me`: accounts and sessions.

use crate::auth::{AuthUser, ACCESS_TOKEN_TTL_SECS, REFRESH_TOKEN_TTL_DAYS};
use crate::error::ApiError;
use crate::services;
use crate::state::AppState;
use crate::throttle::Attempt;
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use shared::api::auth::{
    LoginRequest, MeResponse, RefreshRequest, RegisterRequest, SessionMode, TokenResponse, UserView,
};
use shared::values::Login;
use shared::FieldErrorCode;

/// The cookie that carries the SPA's refresh token.
pub const REFRESH_COOKIE: &str = "sodoan_refresh";
/// The cookie that marks a browser which signed in to a login before (`throttle`): with it, the
/// login's and the address's failures do not hold the owner back.
pub const DEVICE_COOKIE: &str = "sodoan_device";
const COOKIE_PATH: &str = "/api/v1/auth";

fn refresh_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, token)
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.secure_cookies)
        .max_age(CookieDuration::days(REFRESH_TOKEN_TTL_DAYS))
        .finish()
}

fn device_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(DEVICE_COOKIE, token)
        .path(COOKIE_PATH)
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(state.secure_cookies)
        .max_age(CookieDuration::days(crate::auth::DEVICE_TTL_DAYS))
        .finish()
}

fn expired_cookie(state: &AppState) -> Cookie<'static> {
    let mut c = refresh_cookie(state, String::new());
    c.make_removal();
    c
}

/// Signs a new access token and shapes the token response, putting the refresh token where asked.
fn token_response(
    state: &AppState,
    user: UserView,
    refresh_token: String,
    mode: SessionMode,
) -> Result<HttpResponse, ApiError> {
    let access_token = state.tokens.issue(user.id)?;
    let mut res = HttpResponse::Ok();
    let body_token = match mode {
        SessionMode::Body => Some(refresh_token),
        SessionMode::Cookie => {
            res.cookie(refresh_cookie(state, refresh_token));
            None
        }
    };
    Ok(res.json(TokenResponse {
        access_token,
        token_type: "Bearer".to_owned(),
        expires_in: ACCESS_TOKEN_TTL_SECS,
        refresh_token: body_token,
        user,
    }))
}

/// Opens an account for a young person (login = phone or email).
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = UserView), (status = 409, description = "Login taken", body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[post("/auth/register")]
pub async fn register(state: web::Data<AppState>, body: web::Json<RegisterRequest>) -> Result<HttpResponse, ApiError> {
    let valid = body.validate(super::today()).map_err(ApiError::Validation)?;
    let user = state.db.run(move |conn| services::auth::register(conn, &valid)).await?;
    Ok(HttpResponse::Created().json(user))
}

/// Signs in. Five failures of one login from one address, then each further attempt waits for a
/// delay that doubles (30 s up to 15 min; 429 with `Retry-After`); ten failures of one login from
/// browsers new to it slow those down the same way; an address is refused after 1,000 failures in
/// 15 minutes. A browser that signed in to the login before (the `sodoan_device` cookie this
/// answer sets) is held back only by its own failures.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = shared::Problem),
              (status = 429, description = "Too many failures; see Retry-After", body = shared::Problem)))]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    if body.password.is_empty() {
        return Err(ApiError::field("password", FieldErrorCode::Required));
    }
    // A login that cannot exist still costs a hash, so it is not told apart from a wrong password.
    let login = Login::parse(&body.login).map(|l| l.as_str().to_owned()).unwrap_or(body.login.trim().to_lowercase());
    let address = req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default();
    let device = req.cookie(DEVICE_COOKIE).and_then(|c| state.tokens.verify_device(c.value(), &login));
    let (st, password, known) = (state.clone(), body.password, device.clone());
    let signed_in = state
        .db
        .run(move |conn| {
            let attempt = Attempt { login: &login, address: &address, device: known.as_deref() };
            services::auth::sign_in(conn, &st.throttle, &attempt, &password)
                .map(|(user, session)| (user, session, login))
        })
        .await;
    let (user, session, login) = signed_in?;
    let mut res = token_response(&state, user, session, body.session)?;
    if device.is_none() {
        res.add_cookie(&device_cookie(&state, state.tokens.issue_device(&login)?))
            .map_err(|e| ApiError::Internal(anyhow::anyhow!("cannot set the device cookie: {e}")))?;
    }
    Ok(res)
}

/// Exchanges a refresh token (body or cookie) for new tokens; the old one stops working.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = TokenResponse), (status = 401, body = shared::Problem)))]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Option<web::Json<RefreshRequest>>,
) -> Result<HttpResponse, ApiError> {
    let (token, mode) = match body.and_then(|b| b.into_inner().refresh_token) {
        Some(t) => (t, SessionMode::Body),
        None => {
            let cookie = req.cookie(REFRESH_COOKIE).ok_or(ApiError::Unauthenticated)?;
            (cookie.value().to_owned(), SessionMode::Cookie)
        }
    };
    let outcome = state
        .db
        .run(move |conn| {
            let (user, next) = services::auth::rotate(conn, &token)?;
            Ok((services::auth::view(&user)?, next))
        })
        .await;
    let (user, next) = outcome?;
    token_response(&state, user, next, mode)
}

/// Signs out: the refresh token (body or cookie) is revoked and the cookie cleared.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", request_body = Option<RefreshRequest>,
    responses((status = 204, description = "Signed out")))]
#[post("/auth/logout")]
pub async fn logout(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> Result<HttpResponse, ApiError> {
    // The body is optional (the cookie may carry the token), but a body sent must be one.
    let sent = if body.is_empty() {
        None
    } else {
        let invalid = || {
            ApiError::Validation(vec![shared::FieldError::new(
                "refresh_token",
                shared::FieldErrorCode::InvalidFormat,
                shared::Lang::Vi,
            )])
        };
        let value: serde_json::Value =
            serde_json::from_slice(&body).map_err(|e| ApiError::BadRequest(format!("invalid JSON body: {e}")))?;
        if !value.is_object() {
            return Err(invalid());
        }
        let parsed: RefreshRequest = serde_json::from_value(value).map_err(|_| invalid())?;
        parsed.refresh_token
    };
    let token = sent.or_else(|| req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned()));
    if let Some(token) = token {
        state.db.run(move |conn| services::auth::end_session(conn, &token)).await?;
    }
    Ok(HttpResponse::NoContent().cookie(expired_cookie(&state)).finish())
}

/// The caller's account and role assignments.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = MeResponse), (status = 401, body = shared::Problem)))]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, ApiError> {
    let me = state.db.run(move |conn| services::auth::me(conn, &user)).await?;
    Ok(HttpResponse::Ok().json(me))
}
