//! `/rating-periods`, `/ratings`, `/unit-ratings` and `/members/{id}/ratings`: the annual
//! rating of members (self-assessment, the branch's proposal, the grassroots unit's
//! confirmation) and of units, and what leaders see of it.

use super::{etag, if_match_version, today, Paged};
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services::{rating_history, rating_periods, ratings, unit_ratings};
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use chrono::Datelike;
use shared::api::batch::BatchOutcome;
use shared::api::page::PageParams;
use shared::api::ratings::{
    ConfirmationBatch, ConfirmationOutcome, ExclusionCommentForm, MemberRatingYear, ProposalBatch, RatingPeriodForm,
    RatingPeriodView, RatingQuery, RatingStats, RatingTransitionRequest, RatingView, UnitRatingForm, UnitRatingQuery,
    UnitRatingView,
};
use shared::api::Page;
use shared::ids::{MemberId, OrgUnitId};
use shared::FieldErrorCode;

fn required_unit(unit: Option<OrgUnitId>) -> Result<OrgUnitId, ApiError> {
    unit.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))
}

fn year_or_this(year: Option<i32>) -> Result<i32, ApiError> {
    match year {
        None => Ok(today().year()),
        Some(y) if (2000..=2100).contains(&y) => Ok(y),
        Some(_) => Err(ApiError::field("year", FieldErrorCode::OutOfRange)),
    }
}

/// Opens a grassroots unit's rating period for a year (its cadres and those above) and creates
/// one rating per eligible member; the answer lists who is not rated there and why. A second
/// period for the unit and year is 409 `rating_period_exists`.
#[utoipa::path(post, path = "/api/v1/rating-periods", tag = "ratings", security(("bearer" = [])),
    request_body = RatingPeriodForm,
    responses((status = 201, body = RatingPeriodView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[post("/rating-periods")]
pub async fn open(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<RatingPeriodForm>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate(today().year()).map_err(ApiError::Validation)?;
    let p = state.db.run(move |conn| rating_periods::open(conn, &user, &valid, today())).await?;
    Ok(HttpResponse::Created().insert_header(etag(p.version)).json(p))
}

/// `GET /rating-periods` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct PeriodQuery {
    /// The unit: the periods of its subtree and the one of the grassroots unit above it.
    unit_id: Option<OrgUnitId>,
    year: Option<i32>,
}

/// The periods that cover a unit (for those who read its records; another subtree is 404).
#[utoipa::path(get, path = "/api/v1/rating-periods", tag = "ratings", security(("bearer" = [])),
    params(PeriodQuery, PageParams),
    responses((status = 200, body = Page<RatingPeriodView>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/rating-periods")]
pub async fn periods(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<PeriodQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let unit = required_unit(query.unit_id)?;
    let year = query.year.map(|y| year_or_this(Some(y))).transpose()?;
    let all = state.db.run(move |conn| rating_periods::list(conn, &user, unit, year, today())).await?;
    Ok(HttpResponse::Ok().json(paging.page_of(all)))
}

/// A period with who is not rated there and why.
#[utoipa::path(get, path = "/api/v1/rating-periods/{id}", tag = "ratings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Rating period id")),
    responses((status = 200, body = RatingPeriodView), (status = 404, body = shared::Problem)))]
#[get("/rating-periods/{id}")]
pub async fn period(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let p = state.db.run(move |conn| rating_periods::get(conn, &user, id, today())).await?;
    Ok(HttpResponse::Ok().insert_header(etag(p.version)).json(p))
}

/// `POST /rating-periods/{id}/ratings` body.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AddMember {
    pub member_id: Option<MemberId>,
}

/// Adds a member to the period's list (one placed in its subtree after it opened): 409
/// `member_not_rated` with the reason (`too_few_months (4)`, `full_party_member`,
/// `rated_elsewhere`, `not_in_unit`) where the member is not rated here.
#[utoipa::path(post, path = "/api/v1/rating-periods/{id}/ratings", tag = "ratings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Rating period id")),
    request_body = AddMember,
    responses((status = 201, body = RatingView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[post("/rating-periods/{id}/ratings")]
pub async fn add_member(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<AddMember>,
) -> Result<HttpResponse, ApiError> {
    let member = body.member_id.ok_or_else(|| ApiError::field("member_id", FieldErrorCode::Required))?;
    let id = id.into_inner();
    let r = state.db.run(move |conn| ratings::add_member(conn, &user, id, member)).await?;
    Ok(HttpResponse::Created().insert_header(etag(r.version)).json(r))
}

/// The unit's comment on a member it does not rate (the unit they moved from): it travels to
/// the rating of the unit that rates them.
#[utoipa::path(post, path = "/api/v1/rating-periods/{id}/comments", tag = "ratings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Rating period id")),
    request_body = ExclusionCommentForm,
    responses((status = 200, body = RatingPeriodView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/rating-periods/{id}/comments")]
pub async fn comment(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ExclusionCommentForm>,
) -> Result<HttpResponse, ApiError> {
    let member = body.member_id.ok_or_else(|| ApiError::field("member_id", FieldErrorCode::Required))?;
    let text = shared::values::parse_long_text(Some(&body.comment), 2_000)
        .and_then(|t| t.ok_or(FieldErrorCode::Required))
        .map_err(|c| ApiError::field("comment", c))?;
    let id = id.into_inner();
    let p = state.db.run(move |conn| rating_periods::comment(conn, &user, id, member, &text, today())).await?;
    Ok(HttpResponse::Ok().json(p))
}

/// The branch's proposals after its meeting, one decision over its list: each case (with the
/// version it was read at) checked and written on its own; the answer says how each went (a
/// cadre's own rating is refused `own_case`, a stale one `precondition_failed`).
#[utoipa::path(post, path = "/api/v1/rating-periods/{id}/proposals", tag = "ratings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Rating period id")),
    request_body = ProposalBatch,
    responses((status = 200, body = Vec<BatchOutcome>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[post("/rating-periods/{id}/proposals")]
pub async fn propose(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ProposalBatch>,
) -> Result<HttpResponse, ApiError> {
    let cases = body.validate().map_err(ApiError::Validation)?;
    let id = id.into_inner();
    let out = state.db.run(move |conn| ratings::propose_list(conn, &user, id, &cases, today())).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The grassroots unit's decision over a list (its cadres, the level above the branches): each
/// case written on its own; the quota over the confirmed list is reported, and where the unit
/// enforces it a list that would go over is refused whole (422 `level` `over_quota`, with the
/// numbers).
#[utoipa::path(post, path = "/api/v1/rating-periods/{id}/confirmations", tag = "ratings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Rating period id")),
    request_body = ConfirmationBatch,
    responses((status = 200, body = ConfirmationOutcome), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/rating-periods/{id}/confirmations")]
pub async fn confirm(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ConfirmationBatch>,
) -> Result<HttpResponse, ApiError> {
    let (decision, items) = body.validate().map_err(ApiError::Validation)?;
    let id = id.into_inner();
    let out = state.db.run(move |conn| ratings::confirm_list(conn, &user, id, &decision, &items, today())).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// `GET /ratings` extra filter.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[serde(default)]
pub struct PendingQuery {
    /// Only the ratings not confirmed yet (members not yet rated).
    pending: Option<bool>,
}

/// Ratings by member name: a period's, or a unit's subtree's of a year; filtered by state,
/// confirmed level, or `pending` (for those who read the unit's records).
#[utoipa::path(get, path = "/api/v1/ratings", tag = "ratings", security(("bearer" = [])),
    params(RatingQuery, PendingQuery, PageParams),
    responses((status = 200, body = Page<RatingView>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/ratings")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<RatingQuery>,
    pending: web::Query<PendingQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let valid = query.validate().map_err(ApiError::Validation)?;
    let pending = pending.pending.unwrap_or(false);
    let page = state.db.run(move |conn| ratings::list(conn, &user, &valid, pending, paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// The caller's own ratings not yet confirmed (an empty page for someone who is no member).
#[utoipa::path(get, path = "/api/v1/ratings/mine", tag = "ratings", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = Page<RatingView>), (status = 422, body = shared::Problem)))]
#[get("/ratings/mine")]
pub async fn mine(state: web::Data<AppState>, user: AuthUser, Paged(paging): Paged) -> Result<HttpResponse, ApiError> {
    let page = state.db.run(move |conn| ratings::mine(conn, &user, paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// `GET /ratings/stats` and `GET /unit-ratings` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    unit_id: Option<OrgUnitId>,
    /// Default: this year.
    year: Option<i32>,
}

/// A subtree's ratings of a year from the counters: members by level against last year, not
/// yet rated, units rated and moving, periods past their deadline, and the units directly
/// below, worst first.
#[utoipa::path(get, path = "/api/v1/ratings/stats", tag = "ratings", security(("bearer" = [])),
    params(StatsQuery),
    responses((status = 200, body = RatingStats), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/ratings/stats")]
pub async fn stats(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    let unit = required_unit(query.unit_id)?;
    let year = year_or_this(query.year)?;
    let s = state.db.run(move |conn| unit_ratings::stats(conn, &user, unit, year, today())).await?;
    Ok(HttpResponse::Ok().json(s))
}

/// A rating with its evidence (programme result, participation, classes), other units'
/// comments, earlier decisions and the steps the caller may take.
#[utoipa::path(get, path = "/api/v1/ratings/{id}", tag = "ratings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Rating id")),
    responses((status = 200, body = RatingView), (status = 404, body = shared::Problem)))]
#[get("/ratings/{id}")]
pub async fn get(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let r = state.db.run(move |conn| ratings::get(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(r.version)).json(r))
}

/// A step, with `If-Match`: `self_assess` (the member only), `propose` (the branch's cadres;
/// before the self-assessment deadline only once the member has assessed themselves),
/// `confirm` (the grassroots unit's cadres), `revise` (a new decision on a confirmed rating).
#[utoipa::path(post, path = "/api/v1/ratings/{id}/transitions", tag = "ratings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Rating id"), ("If-Match" = String, Header, description = "The version last read")),
    request_body = RatingTransitionRequest,
    responses((status = 200, body = RatingView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem),
              (status = 412, body = shared::Problem), (status = 422, body = shared::Problem),
              (status = 428, body = shared::Problem)))]
#[post("/ratings/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<RatingTransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let valid = body.validate().map_err(ApiError::Validation)?;
    let id = id.into_inner();
    let r = state.db.run(move |conn| ratings::transition(conn, &user, id, version, &valid, today())).await?;
    Ok(HttpResponse::Ok().insert_header(etag(r.version)).json(r))
}

/// A member's ratings year by year, for the member book (the member, or those who read it).
#[utoipa::path(get, path = "/api/v1/members/{id}/ratings", tag = "ratings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Member id"), PageParams),
    responses((status = 200, body = Page<MemberRatingYear>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/members/{id}/ratings")]
pub async fn member_years(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let id = MemberId(id.into_inner());
    let page = state.db.run(move |conn| ratings::member_years(conn, &user, id, paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Rates a branch or grassroots unit for a year (a cadre over the unit above it; never a member
/// inside the unit rated, 403 `own_case`; a second rating of the year is 409 `unit_rated`).
#[utoipa::path(post, path = "/api/v1/unit-ratings", tag = "ratings", security(("bearer" = [])),
    request_body = UnitRatingForm,
    responses((status = 201, body = UnitRatingView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[post("/unit-ratings")]
pub async fn rate_unit(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<UnitRatingForm>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate(today().year()).map_err(ApiError::Validation)?;
    let r = state.db.run(move |conn| unit_ratings::rate(conn, &user, &valid)).await?;
    Ok(HttpResponse::Created().json(r))
}

/// The unit and the units directly below it that are rated each year, with the year's rating
/// where there is one and last year's level beside it.
#[utoipa::path(get, path = "/api/v1/unit-ratings", tag = "ratings", security(("bearer" = [])),
    params(UnitRatingQuery, PageParams),
    responses((status = 200, body = Page<UnitRatingView>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/unit-ratings")]
pub async fn unit_list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<UnitRatingQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let unit = required_unit(query.unit_id)?;
    let year = year_or_this(query.year)?;
    let page = state.db.run(move |conn| unit_ratings::list(conn, &user, unit, year, paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Ratings of earlier years from a sheet (`.xlsx` or UTF-8 `.csv`): the columns `Họ và tên`,
/// `Số CCCD`, `Số thẻ đoàn viên` (the member, live under `unit_id`, found by CCCD else card
/// number), `Năm` (2000 to last year), `Xếp loại` (as written: a code, HTXSNV…, or a label of
/// either set, old years' Xuất sắc / Khá / Trung bình / Yếu kém included), `Số quyết định`,
/// `Ngày quyết định`. Checked at once: the caller (a cadre over the unit), the file's kind and
/// header row (422 naming missing and unknown columns); the rows are checked and recorded in
/// the background, confirmed with the label as written (`valid_only` by default, or
/// `all_or_nothing`), a year already rated reported `already_rated`: follow the job at its
/// `Location` (`/imports/{id}`).
#[utoipa::path(post, path = "/api/v1/ratings/import", tag = "ratings", security(("bearer" = [])),
    params(super::imports::ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The .xlsx or .csv file"),
    responses((status = 202, body = shared::api::imports::ImportJobView), (status = 403, body = shared::Problem),
              (status = 413, description = "Larger than 20 MB", body = shared::Problem),
              (status = 415, description = "Not a .xlsx or UTF-8 .csv file", body = shared::Problem),
              (status = 422, description = "Wrong headers, no rows, or an unknown unit", body = shared::Problem)))]
#[post("/ratings/import")]
pub async fn import(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    query: web::Query<super::imports::ImportQuery>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let upload = query.into_inner().upload(&req, body).await?;
    let today = today();
    let (job, work) = state.db.run(move |conn| rating_history::start_import(conn, &user, upload, today)).await?;
    super::imports::run_in_background(&state, job, work)
}
