//! `/removal-candidates`: the removal list (xóa tên) of a unit and year, and its decisions.

use super::{etag, if_match_version, today, Paged};
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services::removals;
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Datelike;
use shared::api::page::PageParams;
use shared::api::removals::{CandidateStatus, CandidateTransitionRequest, RemovalCandidateView};
use shared::api::Page;
use shared::ids::OrgUnitId;
use shared::FieldErrorCode;

/// `GET /removal-candidates` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// The unit whose subtree's list is read (a grassroots unit or a branch finds it again; a
    /// unit above reads the lists as their units last found them).
    unit_id: Option<OrgUnitId>,
    /// The calendar year (default this year).
    year: Option<i32>,
    /// `open`, `removed` or `dismissed` (default all).
    status: Option<String>,
}

/// The members with three or more months in the year without attending a branch meeting (or
/// without dues) and no valid reason, with the months, by name.
#[utoipa::path(get, path = "/api/v1/removal-candidates", tag = "meetings", security(("bearer" = [])),
    params(ListQuery, PageParams),
    responses((status = 200, body = Page<RemovalCandidateView>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/removal-candidates")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let unit = query.unit_id.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))?;
    let this_year = today().year();
    let year = query.year.unwrap_or(this_year);
    if !(2000..=this_year).contains(&year) {
        return Err(ApiError::field("year", FieldErrorCode::OutOfRange));
    }
    let status = match query.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => {
            Some(CandidateStatus::parse(s).ok_or_else(|| ApiError::field("status", FieldErrorCode::UnknownValue))?)
        }
    };
    let page = state.db.run(move |conn| removals::list(conn, &user, unit, year, status, paging, today())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Removes a candidate (records the member's `remove` transition with the months as its reason)
/// or dismisses it with a reason, with `If-Match`. A cadre's own candidacy is 403 `own_case`; a
/// candidate whose months were attended or paid since is 409 `candidate_settled`.
#[utoipa::path(post, path = "/api/v1/removal-candidates/{id}/transitions", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Candidate id"), ("If-Match" = String, Header, description = "The version last read")),
    request_body = CandidateTransitionRequest,
    responses((status = 200, body = RemovalCandidateView), (status = 403, body = shared::Problem), (status = 404, body = shared::Problem),
              (status = 409, body = shared::Problem), (status = 412, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/removal-candidates/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<CandidateTransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let valid = body.validate().map_err(ApiError::Validation)?;
    let id = id.into_inner();
    let c = state.db.run(move |conn| removals::transition(conn, &user, id, version, valid, today())).await?;
    Ok(HttpResponse::Ok().insert_header(etag(c.version)).json(c))
}
