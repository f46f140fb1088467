//! `/role-assignments`: who holds which role on which unit.

use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services;
use crate::state::AppState;
use actix_web::{delete as delete_route, get, post, web, HttpResponse};
use shared::api::role_assignments::{CreateRoleAssignmentRequest, RoleAssignmentListQuery, RoleAssignmentView};
use shared::api::{Page, PageParams};
use shared::ids::RoleAssignmentId;
use shared::FieldErrorCode;

/// The roles held on one unit (cadres and above of its subtree may read them).
#[utoipa::path(get, path = "/api/v1/role-assignments", tag = "roles", security(("bearer" = [])),
    params(RoleAssignmentListQuery),
    responses((status = 200, body = Page<RoleAssignmentView>), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[get("/role-assignments")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<RoleAssignmentListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let paging = PageParams { page: q.page, per_page: q.per_page }.validate().map_err(ApiError::Validation)?;
    let unit = q.org_unit_id.ok_or_else(|| ApiError::field("org_unit_id", FieldErrorCode::Required))?;
    let page = state.db.run(move |conn| services::role_assignments::list(conn, &user, unit, paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Grants a role on a unit of the caller's subtree (admins: anything; leaders: up to leader; cadres: up to cadre).
#[utoipa::path(post, path = "/api/v1/role-assignments", tag = "roles", security(("bearer" = [])),
    request_body = CreateRoleAssignmentRequest,
    responses((status = 201, body = RoleAssignmentView), (status = 403, body = shared::Problem),
              (status = 409, description = "Already held", body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[post("/role-assignments")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CreateRoleAssignmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate().map_err(ApiError::Validation)?;
    let created = state.db.run(move |conn| services::role_assignments::create(conn, &user, valid)).await?;
    state.callers.forget_all();
    Ok(HttpResponse::Created().json(created))
}

/// Revokes a role.
#[utoipa::path(delete, path = "/api/v1/role-assignments/{id}", tag = "roles", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Assignment id")),
    responses((status = 204, description = "Revoked"), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem),
              (status = 409, description = "The last administrator", body = shared::Problem)))]
#[delete_route("/role-assignments/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<RoleAssignmentId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    state.db.run(move |conn| services::role_assignments::delete(conn, &user, id)).await?;
    state.callers.forget_all();
    Ok(HttpResponse::NoContent().finish())
}
