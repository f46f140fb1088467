//! `Idempotency-Key` on writes (api.md): a phone that retries a request after a lost answer gets
//! the first answer again instead of acting twice. The key is scoped to the caller (or to
//! anonymous requests), and tied to the request it first came with: reusing it for a different
//! request is a 409. Answers are kept for 24 hours; a server error releases the key so a retry runs.

use crate::db::{self, idempotency::NewIdempotencyRow, AnyConnection};
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::body::{self, BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use chrono::Duration;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use sha2::{Digest, Sha256};
use shared::ConflictCode;

/// The request header.
pub const HEADER: &str = "Idempotency-Key";
/// Set on a replayed answer.
pub const REPLAYED: &str = "Idempotent-Replayed";
/// How long answers are kept.
pub const KEEP_HOURS: i64 = 24;
/// After this long without an answer, the first request is presumed dead and a retry may run.
pub const ABANDONED_SECS: i64 = 60;

enum Claim {
    /// This request holds the key: run it.
    Run,
    /// The first answer, to replay.
    Replay { status: u16, content_type: Option<String>, body: String },
}

fn try_claim(conn: &mut AnyConnection, scope: &str, key: &str, fingerprint: &str) -> Result<Claim, ApiError> {
    let now = db::now();
    db::idempotency::purge(conn, now - Duration::hours(KEEP_HOURS))?;
    let row = NewIdempotencyRow { scope, idem_key: key, fingerprint, created_at: now };
    match db::idempotency::claim(conn, &row) {
        Ok(_) => return Ok(Claim::Run),
        Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
        Err(e) => return Err(e.into()),
    }
    let existing =
        db::idempotency::find(conn, scope, key)?.ok_or(ApiError::conflict(ConflictCode::IdempotencyKeyRunning))?;
    if existing.fingerprint != fingerprint {
        return Err(ApiError::conflict(ConflictCode::IdempotencyKeyReused));
    }
    match existing.status {
        Some(status) => Ok(Claim::Replay {
            status: u16::try_from(status).unwrap_or(200),
            content_type: existing.content_type,
            body: existing.body.unwrap_or_default(),
        }),
        None if existing.created_at < now - Duration::seconds(ABANDONED_SECS) => {
            db::idempotency::release(conn, scope, key)?;
            db::idempotency::claim(conn, &row)?;
            Ok(Claim::Run)
        }
        None => Err(ApiError::conflict(ConflictCode::IdempotencyKeyRunning)),
    }
}

fn caller_scope(req: &ServiceRequest, state: &AppState) -> Option<String> {
    match req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        None => Some("anonymous".to_owned()),
        Some(value) => {
            let token = value.split_once(' ').map(|(_, t)| t.trim())?;
            state.tokens.verify(token).ok().map(|user| format!("user:{user}"))
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The middleware.
pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let is_write = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    let key = req.headers().get(HEADER).map(|v| v.to_str().map(str::to_owned));
    let (Some(key), true) = (key, is_write) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let key = match key {
        Ok(k) if (1..=255).contains(&k.len()) && k.bytes().all(|b| b.is_ascii_graphic()) => k,
        _ => {
            let err = ApiError::BadRequest("Idempotency-Key must be 1–255 visible ASCII characters".into());
            return Ok(req.error_response(err));
        }
    };
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    // An invalid token is the handler's to refuse (401); nothing to remember.
    let Some(scope) = caller_scope(&req, &state) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    let body = match req.extract::<web::Bytes>().await {
        Ok(b) => b,
        Err(e) => return Ok(req.error_response(e)),
    };
    req.set_payload(Payload::from(body.clone()));
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str());
    hasher.update(b"\n");
    hasher.update(req.uri().to_string());
    hasher.update(b"\n");
    hasher.update(&body);
    let fingerprint = hex(&hasher.finalize());

    let claim = {
        let (scope, key, fingerprint) = (scope.clone(), key.clone(), fingerprint.clone());
        state.db.run(move |conn| try_claim(conn, &scope, &key, &fingerprint)).await
    };
    match claim {
        Err(e) => Ok(req.error_response(e)),
        Ok(Claim::Replay { status, content_type, body }) => {
            let mut res = HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::OK));
            if let Some(ct) = content_type {
                res.insert_header((header::CONTENT_TYPE, ct));
            }
            res.insert_header((REPLAYED, "true"));
            Ok(req.into_response(res.body(body)))
        }
        Ok(Claim::Run) => {
            let res = next.call(req).await?;
            let status = res.status();
            if status.is_server_error() {
                let _ = state.db.run(move |conn| Ok(db::idempotency::release(conn, &scope, &key)?)).await;
                return Ok(res.map_into_boxed_body());
            }
            let content_type = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
            let (http_req, http_res) = res.into_parts();
            let (http_res, res_body) = http_res.into_parts();
            let bytes = body::to_bytes(res_body.boxed())
                .await
                .map_err(|e| ApiError::Internal(anyhow::anyhow!("cannot read the response: {e}")))?;
            let stored = String::from_utf8_lossy(&bytes).into_owned();
            state
                .db
                .run(move |conn| {
                    Ok(db::idempotency::complete(
                        conn,
                        &scope,
                        &key,
                        status.as_u16().into(),
                        content_type.as_deref(),
                        &stored,
                    )?)
                })
                .await?;
            Ok(ServiceResponse::new(http_req, http_res.set_body(BoxBody::new(bytes))))
        }
    }
}
