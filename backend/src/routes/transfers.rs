//! `/transfers`: moving members between units (chuyển sinh hoạt Đoàn).

use super::Paged;
use super::{etag, if_match_version, today};
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services;
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use shared::api::transfers::{CreateTransferRequest, TransferListQuery, TransferTransitionRequest, TransferView};
use shared::api::{Page, PageParams};

/// Asks for a member to move to another unit: by the member, or a cadre of their unit. Within one
/// grassroots unit, its cadre naming a branch moves the member at once (status `accepted`).
#[utoipa::path(post, path = "/api/v1/transfers", tag = "transfers", security(("bearer" = [])),
    request_body = CreateTransferRequest,
    responses((status = 201, body = TransferView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem),
              (status = 409, description = "A transfer is already under way, or the member is not live", body = shared::Problem),
              (status = 422, description = "Unknown, dissolved or unsuitable destination", body = shared::Problem)))]
#[post("/transfers")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CreateTransferRequest>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate().map_err(ApiError::Validation)?;
    let alert = state.transfer_alert_days;
    let transfer = state.db.run(move |conn| services::transfers::create(conn, &user, valid, today(), alert)).await?;
    Ok(HttpResponse::Created().insert_header(etag(transfer.version)).json(transfer))
}

/// Transfers into (`incoming`) and/or out of (`outgoing`) a unit's subtree, those under way by
/// default (`open=false` for all), newest first; or one member's (`member_id`). `overdue` marks
/// those waiting longer than the configured alert period.
#[utoipa::path(get, path = "/api/v1/transfers", tag = "transfers", security(("bearer" = [])),
    params(TransferListQuery, PageParams),
    responses((status = 200, body = Page<TransferView>), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[get("/transfers")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<TransferListQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let alert = state.transfer_alert_days;
    let transfers = state.db.run(move |conn| services::transfers::list(conn, &user, &q, alert)).await?;
    Ok(HttpResponse::Ok().json(paging.page_of(transfers)))
}

/// One transfer.
#[utoipa::path(get, path = "/api/v1/transfers/{id}", tag = "transfers", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Transfer id")),
    responses((status = 200, body = TransferView), (status = 404, body = shared::Problem)))]
#[get("/transfers/{id}")]
pub async fn get(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let (id, alert) = (id.into_inner(), state.transfer_alert_days);
    let transfer = state.db.run(move |conn| services::transfers::get(conn, &user, id, alert)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(transfer.version)).json(transfer))
}

/// A step of a transfer, with `If-Match`: `release` (sending grassroots unit: comment, dues
/// settled to a month), `accept` (receiving unit: the branch), `refuse` (receiving unit: reason),
/// `cancel` (requester or sending unit). A step not possible from the current status is a 409.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/transitions", tag = "transfers", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Transfer id"),
           ("If-Match" = String, Header, description = "The version last read, e.g. \"1\"")),
    request_body = TransferTransitionRequest,
    responses((status = 200, body = TransferView), (status = 403, description = "Outside the caller's scope, or `own_case`: a decision on a case about the caller", body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem),
              (status = 412, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/transfers/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<TransferTransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let valid = body.validate(today()).map_err(ApiError::Validation)?;
    let (id, alert) = (id.into_inner(), state.transfer_alert_days);
    let transfer = state
        .db
        .run(move |conn| services::transfers::transition(conn, &user, id, version, valid, today(), alert))
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag(transfer.version)).json(transfer))
}
