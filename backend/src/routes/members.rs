//! `/members`: the member registry.

use super::Paged;
use super::{etag, if_match_version, today};
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services;
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use shared::api::member_transitions::{MemberTransitionRequest, MemberTransitionView};
use shared::api::members::{CreateMemberRequest, MemberListQuery, MemberSummary, MemberView, UpdateMemberRequest};
use shared::api::{Page, PageParams};
use shared::ids::MemberId;

/// Members of a unit's subtree, sorted by given name; search by name (diacritics optional),
/// CCCD, phone or card number; filter by status, sex, Party membership, incomplete records, age.
#[utoipa::path(get, path = "/api/v1/members", tag = "members", security(("bearer" = [])),
    params(MemberListQuery),
    responses((status = 200, body = Page<MemberSummary>), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[get("/members")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<MemberListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let paging = PageParams { page: q.page, per_page: q.per_page }.validate().map_err(ApiError::Validation)?;
    let page = state.db.run(move |conn| services::members::list(conn, &user, &q, paging, today())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Adds a member record to a branch of the caller's subtree. A live record with the same CCCD is a 409.
#[utoipa::path(post, path = "/api/v1/members", tag = "members", security(("bearer" = [])),
    request_body = CreateMemberRequest,
    responses((status = 201, body = MemberView), (status = 403, body = shared::Problem),
              (status = 409, description = "The CCCD belongs to a live member", body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[post("/members")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CreateMemberRequest>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate(today()).map_err(ApiError::Validation)?;
    let member = state.db.run(move |conn| services::members::create(conn, &user, valid, today())).await?;
    state.callers.forget_all();
    Ok(HttpResponse::Created()
        .insert_header(etag(member.version))
        .insert_header(("Location", format!("/api/v1/members/{}", member.id)))
        .json(member))
}

/// One member record (the member book): for cadres and leaders of its subtree and the member themself.
#[utoipa::path(get, path = "/api/v1/members/{id}", tag = "members", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = MemberView), (status = 404, body = shared::Problem)))]
#[get("/members/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<MemberId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let member = state.db.run(move |conn| services::members::get(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(member.version)).json(member))
}

/// Edits a member record; requires `If-Match`. Cadres of the subtree edit any field, a member
/// only their own `phone`, `email` and `current_address`.
#[utoipa::path(patch, path = "/api/v1/members/{id}", tag = "members", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Member id"),
           ("If-Match" = String, Header, description = "The version last read, e.g. \"3\"")),
    request_body = UpdateMemberRequest,
    responses((status = 200, body = MemberView), (status = 403, description = "Outside the caller's scope, or `own_case`: a decision on a case about the caller", body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem),
              (status = 412, body = shared::Problem), (status = 422, body = shared::Problem),
              (status = 428, body = shared::Problem)))]
#[patch("/members/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<MemberId>,
    body: web::Json<UpdateMemberRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let (id, patch) = (id.into_inner(), body.into_inner());
    let member = state.db.run(move |conn| services::members::update(conn, &user, id, version, &patch, today())).await?;
    Ok(HttpResponse::Ok().insert_header(etag(member.version)).json(member))
}

/// Applies a lifecycle action (`extend`, `mature`, `remove`, `expel`, `record_death`, `restore`)
/// with its date and reason; requires `If-Match`. An action not possible from the member's status is a 409.
#[utoipa::path(post, path = "/api/v1/members/{id}/transitions", tag = "members", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Member id"),
           ("If-Match" = String, Header, description = "The version last read, e.g. \"3\"")),
    request_body = MemberTransitionRequest,
    responses((status = 200, body = MemberView), (status = 403, description = "Outside the caller's scope, or `own_case`: a decision on a case about the caller", body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem),
              (status = 412, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/members/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<MemberId>,
    body: web::Json<MemberTransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let valid = body.validate(today()).map_err(ApiError::Validation)?;
    let id = id.into_inner();
    let member = state.db.run(move |conn| services::members::transition(conn, &user, id, version, valid)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(member.version)).json(member))
}

/// A member's history of status changes, oldest first.
#[utoipa::path(get, path = "/api/v1/members/{id}/transitions", tag = "members", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Member id"), PageParams),
    responses((status = 200, body = Page<MemberTransitionView>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/members/{id}/transitions")]
pub async fn transitions(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<MemberId>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let history = state.db.run(move |conn| services::members::transitions(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().json(paging.page_of(history)))
}

/// Merges another record of the same person into this one (requires `If-Match` of this one):
/// for a cadre whose scope covers both records' common ancestor. The other record's history
/// moves here, empty fields are filled from it, and it is deleted (a snapshot is kept and audited).
#[utoipa::path(post, path = "/api/v1/members/{id}/merge", tag = "members", security(("bearer" = [])),
    params(("id" = i64, Path, description = "The record to keep"),
           ("If-Match" = String, Header, description = "Its version last read, e.g. \"3\"")),
    request_body = shared::api::members::MergeMembersRequest,
    responses((status = 200, body = MemberView), (status = 403, description = "Outside the caller's scope, or `own_case`: a decision on a case about the caller", body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem),
              (status = 412, body = shared::Problem),
              (status = 422, description = "Not the same person (birth date, sex or CCCD differ)", body = shared::Problem)))]
#[post("/members/{id}/merge")]
pub async fn merge(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<MemberId>,
    body: web::Json<shared::api::members::MergeMembersRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let duplicate =
        body.duplicate_id.ok_or_else(|| ApiError::field("duplicate_id", shared::FieldErrorCode::Required))?;
    let id = id.into_inner();
    let member = state.db.run(move |conn| services::merges::merge(conn, &user, id, duplicate, version)).await?;
    state.callers.forget_all();
    Ok(HttpResponse::Ok().insert_header(etag(member.version)).json(member))
}

/// The account holder confirms that a record a cadre made naming their account (`login`) is
/// theirs: it is linked to the account, which gets the member role on its branch. Anyone but
/// the named account gets 404; an account already linked to a record gets 409.
#[utoipa::path(post, path = "/api/v1/members/{id}/link/confirm", tag = "members", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Member id (`pending_member_id` of `/me`)")),
    responses((status = 200, body = MemberView), (status = 404, body = shared::Problem),
              (status = 409, body = shared::Problem)))]
#[post("/members/{id}/link/confirm")]
pub async fn confirm_link(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<MemberId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let member = state.db.run(move |conn| services::members::confirm_link(conn, &user, id)).await?;
    state.callers.forget_all();
    Ok(HttpResponse::Ok().insert_header(etag(member.version)).json(member))
}

/// The branches a member belonged to, oldest first (a merged or dissolved unit shows as it was).
#[utoipa::path(get, path = "/api/v1/members/{id}/placements", tag = "members", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Member id"), PageParams),
    responses((status = 200, body = Page<shared::api::transfers::PlacementView>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/members/{id}/placements")]
pub async fn placements(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<MemberId>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let history = state.db.run(move |conn| services::members::placements(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().json(paging.page_of(history)))
}

/// `GET /members/export` query: the list's filters and a file format.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ExportFormatQuery {
    /// `csv` (default) or `xlsx`.
    format: Option<String>,
}

/// The filtered members of a unit's subtree as a `.csv` or `.xlsx` file (same filters as the
/// list, no paging; at most 100,000 rows). Vietnamese headers; CSV in UTF-8 with BOM. A cell a
/// spreadsheet would read as a formula (starting with `=`, `+`, `-`, `@`, a tab or CR) starts with `'`.
#[utoipa::path(get, path = "/api/v1/members/export", tag = "members", security(("bearer" = [])),
    params(MemberListQuery, ExportFormatQuery),
    responses((status = 200, description = "text/csv or .xlsx"), (status = 403, body = shared::Problem),
              (status = 409, description = "Too many rows; narrow the filters", body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/members/export")]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<MemberListQuery>,
    format: web::Query<ExportFormatQuery>,
) -> Result<HttpResponse, ApiError> {
    use services::members::ExportFormat;
    let (format, extension, content_type) = match format.format.as_deref().unwrap_or("csv") {
        "csv" => (ExportFormat::Csv, "csv", "text/csv; charset=utf-8"),
        "xlsx" => (ExportFormat::Xlsx, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        _ => return Err(ApiError::field("format", shared::FieldErrorCode::UnknownValue)),
    };
    let q = query.into_inner();
    let unit = q.unit_id;
    let file = state.db.run(move |conn| services::members::export(conn, &user, &q, today(), format)).await?;
    let name = format!("doan-vien-{}.{extension}", unit.map(|u| u.0).unwrap_or_default());
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"{name}\"")))
        .body(file))
}
