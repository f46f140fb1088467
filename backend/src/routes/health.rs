//! `GET /api/v1/health`: the server answers and so does its database.

use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use shared::api::health::Health;

/// Liveness and database check.
#[utoipa::path(get, path = "/api/v1/health", tag = "system",
    responses((status = 200, description = "Up", body = Health), (status = 500, body = shared::Problem)))]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    state.db.run(|conn| crate::db::ping(conn).map_err(|e| ApiError::Internal(e.into()))).await?;
    Ok(HttpResponse::Ok().json(Health {
        status: "ok".to_owned(),
        database: state.db.engine().name().to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }))
}
