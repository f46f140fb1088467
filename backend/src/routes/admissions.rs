//! `/admissions`: applications for membership and their pipeline.

use super::{etag, if_match_version, prefers_minimal, today};
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services::{self, admissions::INBOX_MAX, admissions::INBOX_PAGE};
use crate::state::AppState;
use actix_web::{get, patch, post, put, web, HttpRequest, HttpResponse};
use shared::api::admissions::BatchOutcome;
use shared::api::admissions::{
    AdmissionAction, AdmissionInbox, AdmissionState, AdmissionTransitionRequest, AdmissionView, ApplicationForm,
    BatchApproveRequest, InboxCursor, IntroducerKey,
};
use shared::api::page::PageParams;
use shared::api::Page;
use shared::ids::OrgUnitId;
use shared::{FieldError, FieldErrorCode, Lang};

/// Starts the signed-in youth's application as a draft (one under way per account; members cannot apply).
#[utoipa::path(post, path = "/api/v1/admissions", tag = "admissions", security(("bearer" = [])),
    request_body = ApplicationForm,
    responses((status = 201, body = AdmissionView), (status = 409, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/admissions")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<ApplicationForm>,
) -> Result<HttpResponse, ApiError> {
    let form = body.into_inner();
    let a = state.db.run(move |conn| services::admissions::create(conn, &user, form, today())).await?;
    Ok(HttpResponse::Created().insert_header(etag(a.version)).json(a))
}

/// `GET /admissions` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// The unit whose applications (and those of the units below it) are listed; without it, the
    /// caller's own applications.
    unit_id: Option<OrgUnitId>,
    /// Only applications in this state (`draft`, `submitted`, …, `admitted`, `rejected`, `withdrawn`).
    state: Option<String>,
    /// Only applications started in this year (2000 to next year).
    year: Option<i32>,
    /// A name or part of one, matched without diacritics ("nguyen van" finds "Nguyễn Văn").
    q: Option<String>,
    /// The page number (default 1).
    page: Option<i64>,
    /// Applications per page, 1–200 (default 50).
    per_page: Option<i64>,
}

/// Applications, newest first, each with its timeline, a page at a time: a unit's (with
/// `unit_id`, in any state, for those who may read its records; another subtree is 404), or the
/// caller's own.
#[utoipa::path(get, path = "/api/v1/admissions", tag = "admissions", security(("bearer" = [])),
    params(ListQuery),
    responses((status = 200, body = Page<AdmissionView>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/admissions")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let mut errors = Vec::new();
    let paging = PageParams { page: q.page, per_page: q.per_page }.validate().map_err(|e| errors.extend(e)).ok();
    let wanted = q.state.as_deref().filter(|s| !s.is_empty());
    let status = wanted.and_then(AdmissionState::parse);
    if wanted.is_some() && status.is_none() {
        errors.push(FieldError::new("state", FieldErrorCode::UnknownValue, Lang::Vi));
    }
    let this_year = chrono::Datelike::year(&today());
    if q.year.is_some_and(|y| !(2000..=this_year + 1).contains(&y)) {
        errors.push(FieldError::new("year", FieldErrorCode::OutOfRange, Lang::Vi));
    }
    let (Some(paging), true) = (paging, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let filter =
        services::admissions::ListFilter { unit_id: q.unit_id.map(|u| u.0), state: status, year: q.year, name: q.q };
    let page = state.db.run(move |conn| services::admissions::list(conn, &user, &filter, paging, today())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// `GET /admissions/inbox` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct InboxQuery {
    /// The `next` of the previous page.
    after: Option<String>,
    /// Cases per page (1–50, default 20).
    limit: Option<i64>,
}

/// The cases waiting for the caller's next step across their subtrees, oldest first, a page at a time.
#[utoipa::path(get, path = "/api/v1/admissions/inbox", tag = "admissions", security(("bearer" = [])),
    params(InboxQuery),
    responses((status = 200, body = AdmissionInbox), (status = 422, body = shared::Problem)))]
#[get("/admissions/inbox")]
pub async fn inbox(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<InboxQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let after = q
        .after
        .map(|a| InboxCursor::parse(&a).ok_or_else(|| ApiError::field("after", FieldErrorCode::InvalidFormat)))
        .transpose()?;
    let limit = q.limit.unwrap_or(INBOX_PAGE);
    if !(1..=INBOX_MAX).contains(&limit) {
        return Err(ApiError::field("limit", FieldErrorCode::OutOfRange));
    }
    let page = state.db.run(move |conn| services::admissions::inbox(conn, &user, after, limit, today())).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// How many cases wait for the caller's next step (the home page's count).
#[utoipa::path(get, path = "/api/v1/admissions/inbox/count", tag = "admissions", security(("bearer" = [])),
    responses((status = 200, body = shared::api::admissions::InboxCount)))]
#[get("/admissions/inbox/count")]
pub async fn inbox_count(state: web::Data<AppState>, user: AuthUser) -> Result<HttpResponse, ApiError> {
    let count = state.db.run(move |conn| services::admissions::inbox_count(conn, &user)).await?;
    Ok(HttpResponse::Ok().json(shared::api::admissions::InboxCount { count }))
}

/// `GET /admissions/introducers` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct IntroducerQuery {
    /// The introducer's phone number or member card number (exact).
    q: String,
}

/// Finds a live member by their whole phone or card number to name as introducer (404 when
/// none; 422 on `q` for anything else, such as a name or part of a number). Unless the caller
/// may read the member's record, the name is masked ("Huỳnh M. A.") and the branch given only
/// when it is the one the caller's application is for (else `unit_name` is empty). Twenty
/// look-ups per caller in 15 minutes (then 429); each one found is in the member unit's audit trail.
#[utoipa::path(get, path = "/api/v1/admissions/introducers", tag = "admissions", security(("bearer" = [])),
    params(IntroducerQuery),
    responses((status = 200, body = shared::api::admissions::IntroducerView), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem),
              (status = 429, description = "Too many look-ups; see Retry-After", body = shared::Problem)))]
#[get("/admissions/introducers")]
pub async fn introducer(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<IntroducerQuery>,
) -> Result<HttpResponse, ApiError> {
    let key = IntroducerKey::parse(&query.into_inner().q).map_err(|code| ApiError::field("q", code))?;
    let st = state.clone();
    let found = state.db.run(move |conn| services::admissions::find_introducer(conn, &st.lookups, &user, &key)).await?;
    Ok(HttpResponse::Ok().json(found.ok_or(ApiError::NotFound("member"))?))
}

/// One application with its timeline (the applicant, and the cadres and leaders of its branch).
#[utoipa::path(get, path = "/api/v1/admissions/{id}", tag = "admissions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id")),
    responses((status = 200, body = AdmissionView), (status = 404, body = shared::Problem)))]
#[get("/admissions/{id}")]
pub async fn get(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let a = state.db.run(move |conn| services::admissions::get(conn, &user, id, today())).await?;
    Ok(HttpResponse::Ok().insert_header(etag(a.version)).json(a))
}

/// Rewrites a draft (the applicant's own, with `If-Match`); after submission it is 403.
#[utoipa::path(patch, path = "/api/v1/admissions/{id}", tag = "admissions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), ("If-Match" = String, Header, description = "The version last read")),
    request_body = ApplicationForm,
    responses((status = 200, body = AdmissionView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 412, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[patch("/admissions/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<ApplicationForm>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let (id, form) = (id.into_inner(), body.into_inner());
    let a = state.db.run(move |conn| services::admissions::update(conn, &user, id, version, form, today())).await?;
    Ok(HttpResponse::Ok().insert_header(etag(a.version)).json(a))
}

/// An action on an application (with `If-Match`; an `Idempotency-Key` makes a retry safe):
/// `submit`, `start_training` {class_id}, `propose` {meeting_on, present, votes_for,
/// votes_against}, `approve` {decision_no, decided_on, signer}, `admit` {ceremony_on,
/// card_number}, `return` {reason}, `reject` {reason}, `withdraw`. The wrong actor is 403, the
/// wrong state 409 naming it, a stale version 412. With `Prefer: return=minimal` the answer is
/// 204 with the new version in `ETag` instead of the whole application.
#[utoipa::path(post, path = "/api/v1/admissions/{id}/transitions", tag = "admissions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Application id"), ("If-Match" = String, Header, description = "The version last read")),
    request_body = AdmissionTransitionRequest,
    responses((status = 200, body = AdmissionView), (status = 204, description = "Done (`Prefer: return=minimal`); the new version in `ETag`"),
              (status = 403, description = "Outside the caller's scope, or `own_case`: a decision on a case about the caller", body = shared::Problem), (status = 404, body = shared::Problem), (status = 409, body = shared::Problem), (status = 412, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/admissions/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<AdmissionTransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let valid = body.validate(today()).map_err(ApiError::Validation)?;
    let admits = valid.action() == AdmissionAction::Admit;
    let id = id.into_inner();
    let minimal = prefers_minimal(&req);
    let answer = state
        .db
        .run(move |conn| {
            let version = services::admissions::decide(conn, &user, id, version, &valid, today())?;
            let view = (!minimal).then(|| services::admissions::get(conn, &user, id, today())).transpose()?;
            Ok((version, view))
        })
        .await?;
    if admits {
        // The applicant's account just became a member's.
        state.callers.forget_all();
    }
    Ok(match answer {
        (_, Some(a)) => HttpResponse::Ok().insert_header(etag(a.version)).json(a),
        (version, None) => HttpResponse::NoContent().insert_header(etag(version)).finish(),
    })
}

/// Approves a branch meeting's list under one decision; each case is checked, written and audited
/// on its own, and the answer says how each went.
#[utoipa::path(post, path = "/api/v1/admissions/batch-approve", tag = "admissions", security(("bearer" = [])),
    request_body = BatchApproveRequest,
    responses((status = 200, body = Vec<BatchOutcome>), (status = 422, body = shared::Problem)))]
#[post("/admissions/batch-approve")]
pub async fn batch_approve(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<BatchApproveRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let decision = AdmissionTransitionRequest {
        action: AdmissionAction::Approve.as_str().to_owned(),
        decision_no: b.decision_no,
        decided_on: b.decided_on,
        signer: b.signer,
        ..Default::default()
    };
    let valid = decision.validate(today()).map_err(ApiError::Validation)?;
    if b.items.is_empty() {
        return Err(ApiError::field("items", shared::FieldErrorCode::Required));
    }
    let items: Vec<(i64, i64)> = b.items.iter().map(|i| (i.id, i.version)).collect();
    let outcomes =
        state.db.run(move |conn| services::admissions::batch_approve(conn, &user, &items, &valid, today())).await?;
    Ok(HttpResponse::Ok().json(outcomes))
}

/// `GET /admissions/stats` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct StatsQuery {
    unit_id: Option<shared::ids::OrgUnitId>,
    /// Default: this year.
    year: Option<i32>,
}

/// A unit's admissions in a year against its target ("1+1"), and its pipeline under way.
#[utoipa::path(get, path = "/api/v1/admissions/stats", tag = "admissions", security(("bearer" = [])),
    params(StatsQuery),
    responses((status = 200, body = shared::api::admissions::AdmissionStats), (status = 403, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/admissions/stats")]
pub async fn stats(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let unit = q.unit_id.ok_or_else(|| ApiError::field("unit_id", shared::FieldErrorCode::Required))?;
    let year = q.year.unwrap_or_else(|| chrono::Datelike::year(&today()));
    let s = state.db.run(move |conn| services::admissions::stats(conn, &user, unit, year)).await?;
    Ok(HttpResponse::Ok().json(s))
}

/// Sets a unit's target of new members for a year (a cadre over the unit).
#[utoipa::path(put, path = "/api/v1/admissions/targets", tag = "admissions", security(("bearer" = [])),
    request_body = shared::api::admissions::TargetRequest,
    responses((status = 204), (status = 403, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[put("/admissions/targets")]
pub async fn set_target(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<shared::api::admissions::TargetRequest>,
) -> Result<HttpResponse, ApiError> {
    let (unit, year, target) = body.validate().map_err(ApiError::Validation)?;
    state.db.run(move |conn| services::admissions::set_target(conn, &user, unit, year, target)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// "1+1" for a member: youths they introduced, and how many were admitted.
#[utoipa::path(get, path = "/api/v1/members/{id}/introductions", tag = "admissions", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Member id")),
    responses((status = 200, body = shared::api::admissions::IntroductionCount), (status = 404, body = shared::Problem)))]
#[get("/members/{id}/introductions")]
pub async fn introductions(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<shared::ids::MemberId>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let count = state.db.run(move |conn| services::admissions::introductions(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().json(count))
}
