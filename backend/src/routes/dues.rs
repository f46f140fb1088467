//! `/dues`: dues (đoàn phí) — units' rates, members' payments, a branch's collection for a month,
//! a member's year and a unit's collection per month.

use super::{today, Paged};
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services::dues::{self, PaymentsFor};
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use chrono::Datelike;
use shared::api::batch::BatchOutcome;
use shared::api::dues::{
    parse_month, DuesCollectionForm, DuesMemberSummary, DuesPaymentForm, DuesPaymentView, DuesRateForm, DuesRateView,
    DuesRollLine, DuesUnitYear,
};
use shared::api::page::PageParams;
use shared::api::Page;
use shared::ids::{MemberId, OrgUnitId};
use shared::FieldErrorCode;

/// A year in a query: 2000 to next year; default this year.
fn year_or_this(year: Option<i32>) -> Result<i32, ApiError> {
    let this = today().year();
    match year {
        None => Ok(this),
        Some(y) if (2000..=this + 1).contains(&y) => Ok(y),
        Some(_) => Err(ApiError::field("year", FieldErrorCode::OutOfRange)),
    }
}

/// Records a unit's rate from a month on (a cadre over the unit): VND a month without and with
/// a salary (default 2,000 and 5,000) and the percentage the member's branch keeps. A month
/// from it on already paid by a member of the unit's subtree is 409 `dues_rate_over_payments`
/// naming the first.
#[utoipa::path(post, path = "/api/v1/dues/rates", tag = "dues", security(("bearer" = [])),
    request_body = DuesRateForm,
    responses((status = 201, body = DuesRateView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[post("/dues/rates")]
pub async fn create_rate(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<DuesRateForm>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate(today()).map_err(ApiError::Validation)?;
    let rate = state.db.run(move |conn| dues::create_rate(conn, &user, &valid)).await?;
    Ok(HttpResponse::Created().json(rate))
}

/// `GET /dues/rates` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RatesQuery {
    /// The unit whose own rates are listed (required).
    unit_id: Option<OrgUnitId>,
}

/// A unit's own rates, the latest first (for those who read the unit's records; else 404).
#[utoipa::path(get, path = "/api/v1/dues/rates", tag = "dues", security(("bearer" = [])),
    params(RatesQuery, PageParams),
    responses((status = 200, body = Page<DuesRateView>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/dues/rates")]
pub async fn rates(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<RatesQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let unit = query.unit_id.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))?;
    let page = state.db.run(move |conn| dues::rates(conn, &user, unit, paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Records a member's payment of one or more months (a cadre over the member's branch; a member
/// the caller does not read is 404). The amount must be the member's rate summed over the months
/// (else 422 `amount`, naming the months and the amount due); a month paid already is 409
/// `dues_month_paid`, a month after the member left 409 `dues_after_leaving`, each naming the month.
#[utoipa::path(post, path = "/api/v1/dues/payments", tag = "dues", security(("bearer" = [])),
    request_body = DuesPaymentForm,
    responses((status = 201, body = DuesPaymentView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[post("/dues/payments")]
pub async fn pay(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<DuesPaymentForm>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate(today()).map_err(ApiError::Validation)?;
    let payment = state.db.run(move |conn| dues::record_payment(conn, &user, &valid)).await?;
    Ok(HttpResponse::Created().json(payment))
}

/// A unit's collection for one month (a cadre over the unit): each listed member of its subtree
/// pays the month at their rate, each on its own; the answer says how each went (`id` is the
/// member; a member outside the unit is `not_found`, a month paid already `dues_month_paid`).
#[utoipa::path(post, path = "/api/v1/dues/payments/bulk", tag = "dues", security(("bearer" = [])),
    request_body = DuesCollectionForm,
    responses((status = 200, body = Vec<BatchOutcome>), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/dues/payments/bulk")]
pub async fn collect(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<DuesCollectionForm>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate(today()).map_err(ApiError::Validation)?;
    let outcomes = state.db.run(move |conn| dues::collect(conn, &user, &valid)).await?;
    Ok(HttpResponse::Ok().json(outcomes))
}

/// `GET /dues/payments` query: one of `member_id` and `unit_id`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PaymentsQuery {
    /// A member's payments.
    member_id: Option<MemberId>,
    /// Or those collected in a unit's subtree.
    unit_id: Option<OrgUnitId>,
    /// Paid in this year (2000 to next year; default this year).
    year: Option<i32>,
}

/// Payments made in a year, the latest first: a member's (the member themself, and those who
/// read their records) or those collected in a unit's subtree (those who read its records).
#[utoipa::path(get, path = "/api/v1/dues/payments", tag = "dues", security(("bearer" = [])),
    params(PaymentsQuery, PageParams),
    responses((status = 200, body = Page<DuesPaymentView>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/dues/payments")]
pub async fn payments(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<PaymentsQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let year = year_or_this(query.year)?;
    let of = match (query.member_id, query.unit_id) {
        (Some(m), None) => PaymentsFor::Member(m),
        (None, Some(u)) => PaymentsFor::Unit(u),
        (Some(_), Some(_)) => return Err(ApiError::field("unit_id", FieldErrorCode::NotAllowed)),
        (None, None) => return Err(ApiError::field("unit_id", FieldErrorCode::Required)),
    };
    let page = state.db.run(move |conn| dues::payments(conn, &user, of, year, paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// `?year=`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// 2000 to next year (default this year).
    year: Option<i32>,
}

/// A member's year: each month to the current one, whether it was due, its amount and whether
/// it is paid, what was paid and what is owed (the member themself, and those who read their
/// records; else 404).
#[utoipa::path(get, path = "/api/v1/dues/members/{id}/summary", tag = "dues", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Member id"), YearQuery),
    responses((status = 200, body = DuesMemberSummary), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/dues/members/{id}/summary")]
pub async fn member_summary(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<MemberId>,
    query: web::Query<YearQuery>,
) -> Result<HttpResponse, ApiError> {
    let (id, year) = (id.into_inner(), year_or_this(query.year)?);
    let summary = state.db.run(move |conn| dues::member_summary(conn, &user, id, year, today())).await?;
    Ok(HttpResponse::Ok().json(summary))
}

/// `GET /dues/months` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitYearQuery {
    /// The unit (its whole subtree; required).
    unit_id: Option<OrgUnitId>,
    /// 2000 to next year (default this year).
    year: Option<i32>,
}

/// A unit's collection per month of a year up to now: members due and paid, VND collected and
/// due, and the split (kept by the branches, sent up), from the unit's counters (for those who
/// read its records; else 404).
#[utoipa::path(get, path = "/api/v1/dues/months", tag = "dues", security(("bearer" = [])),
    params(UnitYearQuery),
    responses((status = 200, body = DuesUnitYear), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/dues/months")]
pub async fn unit_months(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<UnitYearQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = year_or_this(query.year)?;
    let unit = query.unit_id.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))?;
    let figures = state.db.run(move |conn| dues::unit_months(conn, &user, unit, year, today())).await?;
    Ok(HttpResponse::Ok().json(figures))
}

/// `GET /dues/roll` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RollQuery {
    /// The unit (its subtree's live members; required).
    unit_id: Option<OrgUnitId>,
    /// `YYYY-MM` (required).
    month: Option<String>,
}

/// The live members of a unit's subtree by name, each with their rate for the month and whether
/// they paid it: the list a branch collects from (for those who read the unit's records; else 404).
#[utoipa::path(get, path = "/api/v1/dues/roll", tag = "dues", security(("bearer" = [])),
    params(RollQuery, PageParams),
    responses((status = 200, body = Page<DuesRollLine>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/dues/roll")]
pub async fn roll(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<RollQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let unit = query.unit_id.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))?;
    let (y, m) = parse_month(query.month.as_deref().unwrap_or_default()).map_err(|c| ApiError::field("month", c))?;
    let month = shared::api::dues::month_key(y, m);
    let page = state.db.run(move |conn| dues::roll(conn, &user, unit, &month, paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}
