//! `/org-units`: the organisation tree.

use super::{etag, if_match_version};
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services;
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use shared::api::org_units::{
    CreateOrgUnitRequest, DissolveOrgUnitRequest, OrgUnitDetail, OrgUnitListQuery, OrgUnitView, UpdateOrgUnitRequest,
};
use shared::api::{Page, PageParams};
use shared::ids::OrgUnitId;

/// The children of a unit (or the roots), each with its number of children; or, with `q`, a
/// search over live units by name or code (the first page only).
#[utoipa::path(get, path = "/api/v1/org-units", tag = "org units", security(("bearer" = [])),
    params(OrgUnitListQuery),
    responses((status = 200, body = Page<OrgUnitView>), (status = 401, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[get("/org-units")]
pub async fn list(
    state: web::Data<AppState>,
    _user: AuthUser,
    query: web::Query<OrgUnitListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let paging = PageParams { page: q.page, per_page: q.per_page }.validate().map_err(ApiError::Validation)?;
    let page = state
        .db
        .run(move |conn| match q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(text) => services::org_units::search(conn, text, q.under, q.kind.as_deref(), paging),
            None => services::org_units::list(conn, q.parent_id, paging),
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One unit with its ancestors (for breadcrumbs). `ETag` carries its version.
#[utoipa::path(get, path = "/api/v1/org-units/{id}", tag = "org units", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Unit id")),
    responses((status = 200, body = OrgUnitDetail), (status = 401, body = shared::Problem),
              (status = 404, body = shared::Problem)))]
#[get("/org-units/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    _user: AuthUser,
    id: web::Path<OrgUnitId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let detail = state.db.run(move |conn| services::org_units::get(conn, id)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(detail.unit.version)).json(detail))
}

/// Creates a unit under a parent in the caller's subtree.
#[utoipa::path(post, path = "/api/v1/org-units", tag = "org units", security(("bearer" = [])),
    request_body = CreateOrgUnitRequest,
    responses((status = 201, body = OrgUnitView), (status = 401, body = shared::Problem),
              (status = 403, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/org-units")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CreateOrgUnitRequest>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate(super::today()).map_err(ApiError::Validation)?;
    let unit = state.db.run(move |conn| services::org_units::create(conn, &user, valid)).await?;
    Ok(HttpResponse::Created()
        .insert_header(etag(unit.version))
        .insert_header(("Location", format!("/api/v1/org-units/{}", unit.id)))
        .json(unit))
}

/// Renames, recodes or re-sectors a unit; requires `If-Match` with the current version.
#[utoipa::path(patch, path = "/api/v1/org-units/{id}", tag = "org units", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Unit id"),
           ("If-Match" = String, Header, description = "The version last read, e.g. \"3\"")),
    request_body = UpdateOrgUnitRequest,
    responses((status = 200, body = OrgUnitView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 412, body = shared::Problem),
              (status = 422, body = shared::Problem), (status = 428, body = shared::Problem)))]
#[patch("/org-units/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<OrgUnitId>,
    body: web::Json<UpdateOrgUnitRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let valid = body.validate().map_err(ApiError::Validation)?;
    let id = id.into_inner();
    let unit = state.db.run(move |conn| services::org_units::update(conn, &user, id, version, valid)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(unit.version)).json(unit))
}

/// Dissolves a unit (it must be empty), or merges it into another (`merged_into_id`): its child
/// units and live members move there, and it stays readable with its dates. Requires `If-Match`.
#[utoipa::path(post, path = "/api/v1/org-units/{id}/dissolve", tag = "org units", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Unit id"),
           ("If-Match" = String, Header, description = "The version last read, e.g. \"3\"")),
    request_body = DissolveOrgUnitRequest,
    responses((status = 200, body = OrgUnitView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem),
              (status = 409, description = "Already dissolved, or not empty and no merge target", body = shared::Problem),
              (status = 412, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/org-units/{id}/dissolve")]
pub async fn dissolve(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<OrgUnitId>,
    body: web::Json<DissolveOrgUnitRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let valid = body.validate(super::today()).map_err(ApiError::Validation)?;
    let id = id.into_inner();
    let unit = state.db.run(move |conn| services::org_units::dissolve(conn, &user, id, version, valid)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(unit.version)).json(unit))
}
