//! `/meetings`: branch life — meetings and activities of a unit, their attendance sheets and QR
//! check-in, the leaders' figures of units that did not meet; and `/members/{id}/participation`.

use super::{etag, if_match_version, today, Paged};
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services::meetings::{self, Missing};
use crate::state::AppState;
use actix_web::{get, patch, post, put, web, HttpRequest, HttpResponse};
use chrono::{Datelike, NaiveDate};
use shared::api::classes::{CheckinLink, CheckinRequest};
use shared::api::meetings::{
    AttendanceForm, AttendanceLine, AttendanceSheet, MeetingForm, MeetingPatch, MeetingStats, MeetingView,
    Participation, PlannedMeetings, UnitGap,
};
use shared::api::page::PageParams;
use shared::api::transfers::parse_month;
use shared::api::Page;
use shared::ids::{MemberId, OrgUnitId};
use shared::values::parse_date;
use shared::FieldErrorCode;

/// The local time now (meetings are kept in local wall-clock time).
fn now() -> chrono::NaiveDateTime {
    chrono::Local::now().naive_local()
}

fn required_unit(unit: Option<OrgUnitId>) -> Result<OrgUnitId, ApiError> {
    unit.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))
}

/// A month in a query, `YYYY-MM` (default: this month).
fn month(raw: Option<&str>) -> Result<NaiveDate, ApiError> {
    match raw.map(str::trim).filter(|m| !m.is_empty()) {
        None => Ok(today().with_day0(0).unwrap_or_else(today)),
        Some(m) => parse_month(m).map_err(|code| ApiError::field("month", code)),
    }
}

/// Plans a meeting of a unit, or with `repeat_months` a monthly series (a cadre over the unit;
/// a branch meeting is a branch's). The answer lists the meetings planned.
#[utoipa::path(post, path = "/api/v1/meetings", tag = "meetings", security(("bearer" = [])),
    request_body = MeetingForm,
    responses((status = 201, body = PlannedMeetings), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/meetings")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<MeetingForm>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate().map_err(ApiError::Validation)?;
    let items = state.db.run(move |conn| meetings::plan(conn, &user, valid)).await?;
    Ok(HttpResponse::Created().json(PlannedMeetings { items }))
}

/// `GET /meetings` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// The unit whose subtree's meetings are listed.
    unit_id: Option<OrgUnitId>,
    /// From this day, `YYYY-MM-DD`.
    from: Option<String>,
    /// Up to and including this day, `YYYY-MM-DD`.
    to: Option<String>,
}

fn day(field: &str, raw: Option<&str>) -> Result<Option<NaiveDate>, ApiError> {
    raw.map(str::trim)
        .filter(|d| !d.is_empty())
        .map(|d| parse_date(d).map_err(|c| ApiError::field(field, c)))
        .transpose()
}

/// The meetings of a unit's subtree in a span of days, in time order (its cadres and those
/// above; another subtree is 404).
#[utoipa::path(get, path = "/api/v1/meetings", tag = "meetings", security(("bearer" = [])),
    params(ListQuery, PageParams),
    responses((status = 200, body = Page<MeetingView>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/meetings")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let unit = required_unit(query.unit_id)?;
    let from = day("from", query.from.as_deref())?;
    let to = day("to", query.to.as_deref())?;
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            return Err(ApiError::field("to", FieldErrorCode::OutOfRange));
        }
    }
    let (from, until) = (
        from.map(|d| d.and_time(Default::default())),
        to.and_then(|d| d.succ_opt()).map(|d| d.and_time(Default::default())),
    );
    let page = state.db.run(move |conn| meetings::list(conn, &user, unit, from, until, paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// The caller's coming meetings: their branch's and those of the units above it, planned or
/// held, from three hours ago on (an empty page for someone who is no member).
#[utoipa::path(get, path = "/api/v1/meetings/upcoming", tag = "meetings", security(("bearer" = [])),
    params(PageParams),
    responses((status = 200, body = Page<MeetingView>), (status = 422, body = shared::Problem)))]
#[get("/meetings/upcoming")]
pub async fn upcoming(
    state: web::Data<AppState>,
    user: AuthUser,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let page = state.db.run(move |conn| meetings::upcoming(conn, &user, now(), paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// `GET /meetings/stats` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    unit_id: Option<OrgUnitId>,
    /// `YYYY-MM`; default this month.
    month: Option<String>,
}

/// A subtree's branch life in a month: monthly branches and how many met, border branches and
/// how many met in the quarter, grassroots units and how many held an activity in the quarter,
/// meetings held by kind — read from the counters kept per unit and month.
#[utoipa::path(get, path = "/api/v1/meetings/stats", tag = "meetings", security(("bearer" = [])),
    params(StatsQuery),
    responses((status = 200, body = MeetingStats), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/meetings/stats")]
pub async fn stats(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    let unit = required_unit(query.unit_id)?;
    let month = month(query.month.as_deref())?;
    let s = state.db.run(move |conn| meetings::stats(conn, &user, unit, month)).await?;
    Ok(HttpResponse::Ok().json(s))
}

/// `GET /meetings/missing` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct MissingQuery {
    unit_id: Option<OrgUnitId>,
    /// `YYYY-MM`; default this month.
    month: Option<String>,
    /// `branch` (monthly branches without a branch meeting in the month, the default),
    /// `border_branch` (border branches without one in the quarter) or `grassroots` (grassroots
    /// units without an activity in the quarter).
    level: Option<String>,
}

/// The units of a subtree that did not meet when they should have, in tree order.
#[utoipa::path(get, path = "/api/v1/meetings/missing", tag = "meetings", security(("bearer" = [])),
    params(MissingQuery, PageParams),
    responses((status = 200, body = Page<UnitGap>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/meetings/missing")]
pub async fn missing(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<MissingQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let unit = required_unit(query.unit_id)?;
    let month = month(query.month.as_deref())?;
    let which = match query.level.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        None => Missing::Branches,
        Some(l) => Missing::parse(l).ok_or_else(|| ApiError::field("level", FieldErrorCode::UnknownValue))?,
    };
    let page = state.db.run(move |conn| meetings::missing(conn, &user, unit, month, which, paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One meeting (its unit's cadres and those above, and the members it is held for).
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = MeetingView), (status = 404, body = shared::Problem)))]
#[get("/meetings/{id}")]
pub async fn get(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let m = state.db.run(move |conn| meetings::get(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(m.version)).json(m))
}

/// Changes a planned meeting, records it as held (`status: held`, not before its time) with its
/// minutes and who chaired, or calls it off (`status: cancelled`, only while planned). With `If-Match`.
#[utoipa::path(patch, path = "/api/v1/meetings/{id}", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Meeting id"), ("If-Match" = String, Header, description = "The version last read")),
    request_body = MeetingPatch,
    responses((status = 200, body = MeetingView), (status = 403, body = shared::Problem), (status = 404, body = shared::Problem),
              (status = 409, body = shared::Problem), (status = 412, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[patch("/meetings/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<MeetingPatch>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let valid = body.validate().map_err(ApiError::Validation)?;
    let id = id.into_inner();
    let m = state.db.run(move |conn| meetings::update(conn, &user, id, version, valid, now())).await?;
    Ok(HttpResponse::Ok().insert_header(etag(m.version)).json(m))
}

/// The meeting's sheet: every member of its unit on the day, with what was recorded (its
/// cadres and those above).
#[utoipa::path(get, path = "/api/v1/meetings/{id}/attendance", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 200, body = AttendanceSheet), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem)))]
#[get("/meetings/{id}/attendance")]
pub async fn attendance(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let s = state.db.run(move |conn| meetings::sheet(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(s.meeting.version)).json(s))
}

/// Saves attendance lines and records the meeting as held (with `If-Match`): each names a member
/// of the unit on the day (else 422 `entries[i].member_id`); a branch meeting's members left out
/// and not checked in are absent; a meeting still ahead is 422 `starts_at`; a cadre's own line
/// is theirs to check in (403 `own_case` when it would change). Corrections are audited.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/attendance", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Meeting id"), ("If-Match" = String, Header, description = "The meeting's version last read")),
    request_body = AttendanceForm,
    responses((status = 200, body = AttendanceSheet), (status = 403, body = shared::Problem), (status = 404, body = shared::Problem),
              (status = 409, body = shared::Problem), (status = 412, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[put("/meetings/{id}/attendance")]
pub async fn save_attendance(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<AttendanceForm>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let entries = body.validate().map_err(ApiError::Validation)?;
    let id = id.into_inner();
    let s = state.db.run(move |conn| meetings::save_attendance(conn, &user, id, version, entries, now())).await?;
    Ok(HttpResponse::Ok().insert_header(etag(s.meeting.version)).json(s))
}

/// A short-lived check-in link for a meeting (its cadres), shown as a QR code.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/checkin-links", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Meeting id")),
    responses((status = 201, body = CheckinLink), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem)))]
#[post("/meetings/{id}/checkin-links")]
pub async fn checkin_link(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (id, keys) = (id.into_inner(), state.clone());
    let link = state.db.run(move |conn| meetings::checkin_link(conn, &user, &keys.tokens, id)).await?;
    Ok(HttpResponse::Created().json(link))
}

/// Checks the signed-in member in to a meeting of their unit with a link's token (expired,
/// forged or another meeting's tokens are 422 on `token`; someone not on the sheet is 403).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/checkins", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Meeting id")),
    request_body = CheckinRequest,
    responses((status = 200, body = AttendanceLine), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/meetings/{id}/checkins")]
pub async fn check_in(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<CheckinRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, keys, token) = (id.into_inner(), state.clone(), body.into_inner().token);
    let line = state.db.run(move |conn| meetings::check_in(conn, &user, &keys.tokens, id, &token)).await?;
    Ok(HttpResponse::Ok().json(line))
}

/// `GET /members/{id}/participation` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ParticipationQuery {
    /// The period's year (the calendar year, or the year a school year starts in); default the current one.
    year: Option<i32>,
}

/// A member's participation in a period: branch meetings held, attended, excused, absent, the
/// rate, the months missed without reason, month by month (whoever reads the member's record).
#[utoipa::path(get, path = "/api/v1/members/{id}/participation", tag = "meetings", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Member id"), ParticipationQuery),
    responses((status = 200, body = Participation), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/members/{id}/participation")]
pub async fn participation(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<MemberId>,
    query: web::Query<ParticipationQuery>,
) -> Result<HttpResponse, ApiError> {
    let year = query.year;
    if year.is_some_and(|y| !(2000..=today().year() + 1).contains(&y)) {
        return Err(ApiError::field("year", FieldErrorCode::OutOfRange));
    }
    let id = id.into_inner();
    let p = state.db.run(move |conn| meetings::participation(conn, &user, id, year, today())).await?;
    Ok(HttpResponse::Ok().json(p))
}
