//! `/audit`: the trail of changes in a subtree, for its leaders.

use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use shared::api::audit::{AuditEntryView, AuditListQuery};
use shared::api::{Page, PageParams};
use shared::FieldErrorCode;

/// Changes in a unit's subtree, newest first (leaders and admins).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])),
    params(AuditListQuery),
    responses((status = 200, body = Page<AuditEntryView>), (status = 403, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/audit")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<AuditListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let paging = PageParams { page: q.page, per_page: q.per_page }.validate().map_err(ApiError::Validation)?;
    let unit = q.unit_id.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))?;
    let page = state.db.run(move |conn| services::audit::list(conn, &user, unit, paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}
