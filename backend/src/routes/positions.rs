//! `/positions`: committees of units and their terms.

use super::today;
use super::Paged;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use shared::api::positions::{CreatePositionRequest, EndPositionRequest, PositionListQuery, PositionView};
use shared::api::{Page, PageParams};
use shared::FieldErrorCode;

/// Appoints a member of the unit's subtree to its committee; `grant_role` also gives their account the cadre role there.
#[utoipa::path(post, path = "/api/v1/positions", tag = "members", security(("bearer" = [])),
    request_body = CreatePositionRequest,
    responses((status = 201, body = PositionView), (status = 403, body = shared::Problem),
              (status = 409, description = "The unit has a secretary already", body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[post("/positions")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CreatePositionRequest>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate(today()).map_err(ApiError::Validation)?;
    let position = state.db.run(move |conn| services::positions::create(conn, &user, valid)).await?;
    state.callers.forget_all();
    Ok(HttpResponse::Created().json(position))
}

/// A unit's committee: current positions, or (`current=false`) every term.
#[utoipa::path(get, path = "/api/v1/positions", tag = "members", security(("bearer" = [])),
    params(PositionListQuery, PageParams),
    responses((status = 200, body = Page<PositionView>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/positions")]
pub async fn list(
    state: web::Data<AppState>,
    _user: AuthUser,
    query: web::Query<PositionListQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let unit = q.unit_id.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))?;
    let current = q.current.unwrap_or(true);
    let positions = state.db.run(move |conn| services::positions::list(conn, unit, current)).await?;
    Ok(HttpResponse::Ok().json(paging.page_of(positions)))
}

/// Ends a term; a cadre role the position granted is revoked.
#[utoipa::path(post, path = "/api/v1/positions/{id}/end", tag = "members", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Position id")),
    request_body = EndPositionRequest,
    responses((status = 200, body = PositionView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[post("/positions/{id}/end")]
pub async fn end(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<EndPositionRequest>,
) -> Result<HttpResponse, ApiError> {
    let ended_on = shared::values::parse_date(&body.ended_on)
        .and_then(|d| if d > today() { Err(FieldErrorCode::InFuture) } else { Ok(d) })
        .map_err(|code| ApiError::field("ended_on", code))?;
    let id = id.into_inner();
    let position = state.db.run(move |conn| services::positions::end(conn, &user, id, ended_on)).await?;
    state.callers.forget_all();
    Ok(HttpResponse::Ok().json(position))
}
