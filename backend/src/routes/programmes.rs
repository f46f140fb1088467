//! `/programmes` and `/programme-registrations`: the Member Training programme (Rèn luyện đoàn
//! viên) — units' programmes, members' registrations, progress, self-assessment, evaluation, figures.

use super::{etag, if_match_version, prefers_minimal, today, Paged};
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services::{self, programme_registrations as registrations};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use shared::api::page::PageParams;
use shared::api::programmes::{
    MemberProgrammeYear, ProgrammeForm, ProgrammeStats, ProgrammeView, ProgressForm, RegistrationForm,
    RegistrationSummary, RegistrationTransitionRequest, RegistrationView,
};
use shared::api::Page;
use shared::api::API_PREFIX;
use shared::ids::{MemberId, OrgUnitId};
use shared::FieldErrorCode;

fn this_year() -> i32 {
    chrono::Datelike::year(&today())
}

/// A year in a query: 2000 to next year.
fn check_year(year: Option<i32>) -> Result<(), ApiError> {
    match year {
        Some(y) if !(2000..=this_year() + 1).contains(&y) => Err(ApiError::field("year", FieldErrorCode::OutOfRange)),
        _ => Ok(()),
    }
}

/// Publishes a unit's programme for a period (a cadre over a grassroots unit or higher), or with
/// `template` a template for the units below, which they copy with `template_id`. Without
/// `headings` it gets the template's, or the five standard ones; `period_kind` defaults from the unit's sector
/// (schools: the school year). A second programme of the unit for the year is 409.
#[utoipa::path(post, path = "/api/v1/programmes", tag = "programmes", security(("bearer" = [])),
    request_body = ProgrammeForm,
    responses((status = 201, body = ProgrammeView), (status = 403, body = shared::Problem),
              (status = 409, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/programmes")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<ProgrammeForm>,
) -> Result<HttpResponse, ApiError> {
    let mut form = body.into_inner();
    let p = state
        .db
        .run(move |conn| {
            services::programmes::apply_template(conn, &user, &mut form, today())?;
            let valid = form.validate(this_year()).map_err(ApiError::Validation)?;
            services::programmes::create(conn, &user, valid, today())
        })
        .await?;
    Ok(HttpResponse::Created().insert_header(etag(p.version)).json(p))
}

/// `GET /programmes` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// The unit whose programmes (those of its subtree and of the units above it) are listed.
    unit_id: Option<OrgUnitId>,
    /// Only this year's (2000 to next year).
    year: Option<i32>,
    /// The page number (default 1).
    page: Option<i64>,
    /// Programmes per page, 1–200 (default 50).
    per_page: Option<i64>,
}

/// The programmes published in a unit's subtree or above it, newest year first (for those who
/// read the unit's records; another subtree is 404).
#[utoipa::path(get, path = "/api/v1/programmes", tag = "programmes", security(("bearer" = [])),
    params(ListQuery),
    responses((status = 200, body = Page<ProgrammeView>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/programmes")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let paging = PageParams { page: q.page, per_page: q.per_page }.validate().map_err(ApiError::Validation)?;
    check_year(q.year)?;
    let unit = q.unit_id.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))?;
    let page = state.db.run(move |conn| services::programmes::list(conn, &user, unit, q.year, paging, today())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// The caller's own branch's programme for the current period: the nearest programme up the
/// line from the branch of the caller's member record (404 when there is none).
#[utoipa::path(get, path = "/api/v1/programmes/current", tag = "programmes", security(("bearer" = [])),
    responses((status = 200, body = ProgrammeView), (status = 404, body = shared::Problem)))]
#[get("/programmes/current")]
pub async fn current(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, ApiError> {
    let p = state.db.run(move |conn| services::programmes::current(conn, &user, today())).await?;
    Ok(HttpResponse::Ok().insert_header(etag(p.version)).json(p))
}

/// `GET /programmes/stats` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    unit_id: Option<OrgUnitId>,
    /// The programme year (the calendar year, or the year a school year starts in); default this year.
    year: Option<i32>,
}

/// A unit's figures for a year over its subtree: live members, registered (the goal is 100%),
/// self-assessed, evaluated by result, and the units directly under it furthest from 100% first.
#[utoipa::path(get, path = "/api/v1/programmes/stats", tag = "programmes", security(("bearer" = [])),
    params(StatsQuery),
    responses((status = 200, body = ProgrammeStats), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/programmes/stats")]
pub async fn stats(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let unit = q.unit_id.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))?;
    check_year(q.year)?;
    let year = q.year.unwrap_or_else(this_year);
    let s = state.db.run(move |conn| services::programmes::stats(conn, &user, unit, year)).await?;
    Ok(HttpResponse::Ok().json(s))
}

/// One programme (for those on its unit's line: its members, cadres and leaders).
#[utoipa::path(get, path = "/api/v1/programmes/{id}", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Programme id")),
    responses((status = 200, body = ProgrammeView), (status = 404, body = shared::Problem)))]
#[get("/programmes/{id}")]
pub async fn get(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let p = state.db.run(move |conn| services::programmes::get(conn, &user, id, today())).await?;
    Ok(HttpResponse::Ok().insert_header(etag(p.version)).json(p))
}

/// Edits a programme (a cadre over its unit, with `If-Match`; the unit, year and period stay).
/// Headings and items are sent whole: with their `id` they are kept, without one added; one
/// left out is removed, unless members hold the item or wrote under the heading (409 `item_chosen`).
#[utoipa::path(patch, path = "/api/v1/programmes/{id}", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Programme id"), ("If-Match" = String, Header, description = "The version last read")),
    request_body = ProgrammeForm,
    responses((status = 200, body = ProgrammeView), (status = 403, body = shared::Problem), (status = 404, body = shared::Problem),
              (status = 409, body = shared::Problem), (status = 412, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[patch("/programmes/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<ProgrammeForm>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let mut form = body.into_inner();
    // The year and period are fixed; only the rest is checked.
    (form.year, form.period_kind) = (None, None);
    let valid = form.validate(this_year()).map_err(ApiError::Validation)?;
    let id = id.into_inner();
    let p = state.db.run(move |conn| services::programmes::update(conn, &user, id, version, valid, today())).await?;
    Ok(HttpResponse::Ok().insert_header(etag(p.version)).json(p))
}

/// Registers for a programme inside its window: the caller's own registration, or with
/// `member_id` a member of the caller's subtree (a cadre). Outside the window 422 names
/// `registration_opens_on` or `registration_closes_on`; a second registration is 409.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/registrations", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Programme id")),
    request_body = RegistrationForm,
    responses((status = 201, description = "The registration; with `Prefer: return=minimal` no body, its address in `Location` and its version in `ETag`", body = RegistrationView),
              (status = 403, body = shared::Problem), (status = 404, body = shared::Problem),
              (status = 409, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/programmes/{id}/registrations")]
pub async fn register(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<RegistrationForm>,
) -> Result<HttpResponse, ApiError> {
    let (id, form, minimal) = (id.into_inner(), body.into_inner(), prefers_minimal(&req));
    let made = state
        .db
        .run(move |conn| {
            let id = registrations::register(conn, &user, id, &form, today())?;
            match minimal {
                true => Ok((id, None)),
                false => registrations::get(conn, &user, id).map(|r| (id, Some(r))),
            }
        })
        .await?;
    Ok(match made {
        (_, Some(r)) => HttpResponse::Created().insert_header(etag(r.version)).json(r),
        (id, None) => HttpResponse::Created()
            .insert_header(etag(1))
            .insert_header((header::LOCATION, format!("{API_PREFIX}/programme-registrations/{id}")))
            .finish(),
    })
}

/// The unit whose subtree a programme's list is read for.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct UnitQuery {
    /// Default: the programme's unit.
    pub unit_id: Option<OrgUnitId>,
}

/// A programme's registrations in a unit's subtree, by member name (for those who read the
/// unit's records; another subtree is 404).
#[utoipa::path(get, path = "/api/v1/programmes/{id}/registrations", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Programme id"), UnitQuery, PageParams),
    responses((status = 200, body = Page<RegistrationSummary>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/programmes/{id}/registrations")]
pub async fn registrations_list(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    query: web::Query<UnitQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let (id, unit) = (id.into_inner(), query.unit_id);
    let page = state.db.run(move |conn| registrations::list(conn, &user, id, unit, paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// One registration with its items, progress, commitments and results (the member, and those
/// who read the records of the member's branch).
#[utoipa::path(get, path = "/api/v1/programme-registrations/{id}", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Registration id")),
    responses((status = 200, body = RegistrationView), (status = 404, body = shared::Problem)))]
#[get("/programme-registrations/{id}")]
pub async fn get_registration(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let r = state.db.run(move |conn| registrations::get(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(r.version)).json(r))
}

/// Changes the optional items and commitments (the member or a cadre over the branch, with
/// `If-Match`, inside the window). After the evaluation it is 409 `registration_evaluated`;
/// leaving out an item with progress is 409 `progress_recorded`.
#[utoipa::path(patch, path = "/api/v1/programme-registrations/{id}", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Registration id"), ("If-Match" = String, Header, description = "The version last read")),
    request_body = RegistrationForm,
    responses((status = 200, body = RegistrationView), (status = 403, body = shared::Problem), (status = 404, body = shared::Problem),
              (status = 409, body = shared::Problem), (status = 412, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[patch("/programme-registrations/{id}")]
pub async fn update_registration(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<RegistrationForm>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let (id, form) = (id.into_inner(), body.into_inner());
    let r = state.db.run(move |conn| registrations::update(conn, &user, id, version, &form, today())).await?;
    Ok(HttpResponse::Ok().insert_header(etag(r.version)).json(r))
}

/// Records progress on an item the registration holds: a count (1–1,000), the day (not in the
/// future, within the period), a note (the member or a cadre over the branch; 409 after the evaluation).
#[utoipa::path(post, path = "/api/v1/programme-registrations/{id}/progress", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Registration id")),
    request_body = ProgressForm,
    responses((status = 201, body = RegistrationView), (status = 403, body = shared::Problem), (status = 404, body = shared::Problem),
              (status = 409, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/programme-registrations/{id}/progress")]
pub async fn progress(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<ProgressForm>,
) -> Result<HttpResponse, ApiError> {
    let (id, form) = (id.into_inner(), body.into_inner());
    let r = state.db.run(move |conn| registrations::record_progress(conn, &user, id, &form, today())).await?;
    Ok(HttpResponse::Created().insert_header(etag(r.version)).json(r))
}

/// An action on a registration (with `If-Match`): `self_assess` {result, text} by the member,
/// `evaluate` {result, comment} by a cadre over the member's branch — never about their own
/// registration (403 `own_case`); a later evaluation is a new decision, audited.
#[utoipa::path(post, path = "/api/v1/programme-registrations/{id}/transitions", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Registration id"), ("If-Match" = String, Header, description = "The version last read")),
    request_body = RegistrationTransitionRequest,
    responses((status = 200, body = RegistrationView),
              (status = 403, description = "Not this actor's step, or `own_case`: an evaluation of the caller's own registration", body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem),
              (status = 412, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/programme-registrations/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<RegistrationTransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let valid = body.validate().map_err(ApiError::Validation)?;
    let id = id.into_inner();
    let r = state.db.run(move |conn| registrations::transition(conn, &user, id, version, &valid)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(r.version)).json(r))
}

/// The member book's "Rèn luyện đoàn viên" section: the member's registrations year by year,
/// the latest first, with the branch's evaluation (for whoever reads the member's record).
#[utoipa::path(get, path = "/api/v1/members/{id}/programme-registrations", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Member id"), PageParams),
    responses((status = 200, body = Page<MemberProgrammeYear>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/members/{id}/programme-registrations")]
pub async fn member_years(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<MemberId>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let page = state.db.run(move |conn| registrations::member_years(conn, &user, id, paging)).await?;
    Ok(HttpResponse::Ok().json(page))
}
