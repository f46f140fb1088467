//! `/programmes/{id}/registrations/bulk`, `/programmes/{id}/unregistered` and
//! `/programmes/{id}/evaluations`: a branch's list at once, for its cadres.

use super::programmes::UnitQuery;
use super::{today, Paged};
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services::programme_batches;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use shared::api::batch::BatchOutcome;
use shared::api::page::PageParams;
use shared::api::programme_batches::{
    BulkRegistrationOutcome, BulkRegistrationRequest, EvaluationBatch, UnregisteredMember,
};
use shared::api::Page;

/// Registers every live member of the unit's subtree (default: the programme's unit) who has no
/// registration for the programme's year, with the required items only — a cadre over the
/// unit, inside the registration window; all in one transaction.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/registrations/bulk", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Programme id")),
    request_body = BulkRegistrationRequest,
    responses((status = 200, body = BulkRegistrationOutcome), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/programmes/{id}/registrations/bulk")]
pub async fn register_unit(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<BulkRegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, unit) = (id.into_inner(), body.unit_id);
    let outcome = state.db.run(move |conn| programme_batches::register_unit(conn, &user, id, unit, today())).await?;
    Ok(HttpResponse::Ok().json(outcome))
}

/// The live members of the unit's subtree with no registration for the programme's year, by
/// name (for those who read the unit's records; another subtree is 404).
#[utoipa::path(get, path = "/api/v1/programmes/{id}/unregistered", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Programme id"), UnitQuery, PageParams),
    responses((status = 200, body = Page<UnregisteredMember>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/programmes/{id}/unregistered")]
pub async fn unregistered(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    query: web::Query<UnitQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let (id, unit) = (id.into_inner(), query.unit_id);
    let page = state.db.run(move |conn| programme_batches::unregistered(conn, &user, id, unit, paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Evaluates the branch's list under one decision: each registration (with the version it was
/// read at) checked, written and audited on its own; the answer says how each went (a cadre's
/// own registration is refused `own_case`, a stale one `precondition_failed`).
#[utoipa::path(post, path = "/api/v1/programmes/{id}/evaluations", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Programme id")),
    request_body = EvaluationBatch,
    responses((status = 200, body = Vec<BatchOutcome>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[post("/programmes/{id}/evaluations")]
pub async fn evaluate_list(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<EvaluationBatch>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate().map_err(ApiError::Validation)?;
    let id = id.into_inner();
    let outcomes = state.db.run(move |conn| programme_batches::evaluate_list(conn, &user, id, &valid)).await?;
    Ok(HttpResponse::Ok().json(outcomes))
}
