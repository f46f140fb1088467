//! `/classes`: training classes, enrolments, attendance (ticked or by QR check-in) and results.

use super::Paged;
use super::{etag, if_match_version, today};
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services;
use crate::state::AppState;
use actix_web::{delete, get, patch, post, put, web, HttpRequest, HttpResponse};
use shared::api::classes::{
    AttendanceRequest, CheckinLink, CheckinRequest, ClassListQuery, ClassView, CreateClassRequest, EnrollRequest,
    EnrollmentView, ResultRequest,
};
use shared::api::{Page, PageParams};

/// Opens a class in a grassroots unit (or higher) of the caller's subtree, with its sessions.
#[utoipa::path(post, path = "/api/v1/classes", tag = "classes", security(("bearer" = [])),
    request_body = CreateClassRequest,
    responses((status = 201, body = ClassView), (status = 403, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/classes")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    body: web::Json<CreateClassRequest>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.validate().map_err(ApiError::Validation)?;
    let class = state.db.run(move |conn| services::classes::create(conn, &user, valid)).await?;
    Ok(HttpResponse::Created().insert_header(etag(class.version)).json(class))
}

/// Changes a class (with `If-Match`): title, seats, enrolment window, audience, sessions (an
/// `id` keeps and moves a session; one left out is removed unless attended, then 409). Seats
/// cannot go below those taken; seats added go to the waiting list in order.
#[utoipa::path(put, path = "/api/v1/classes/{id}", tag = "classes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Class id"), ("If-Match" = String, Header, description = "The version last read")),
    request_body = CreateClassRequest,
    responses((status = 200, body = ClassView), (status = 403, body = shared::Problem), (status = 404, body = shared::Problem),
              (status = 409, body = shared::Problem), (status = 412, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[put("/classes/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    body: web::Json<CreateClassRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let valid = body.validate().map_err(ApiError::Validation)?;
    let id = id.into_inner();
    let class = state.db.run(move |conn| services::classes::update(conn, &user, id, version, valid)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(class.version)).json(class))
}

/// Classes of a unit's subtree (or all), newest first, each with the caller's own enrolment;
/// `open=true`: only those taking enrolments today.
#[utoipa::path(get, path = "/api/v1/classes", tag = "classes", security(("bearer" = [])),
    params(ClassListQuery, PageParams),
    responses((status = 200, body = Page<ClassView>), (status = 404, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/classes")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    query: web::Query<ClassListQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let open_on = q.open.unwrap_or(false).then(today);
    let classes = state.db.run(move |conn| services::classes::list(conn, &user, q.unit_id, open_on)).await?;
    Ok(HttpResponse::Ok().json(paging.page_of(classes)))
}

/// One class with its sessions and the caller's enrolment.
#[utoipa::path(get, path = "/api/v1/classes/{id}", tag = "classes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Class id")),
    responses((status = 200, body = ClassView), (status = 404, body = shared::Problem)))]
#[get("/classes/{id}")]
pub async fn get(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let class = state.db.run(move |conn| services::classes::get(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(class.version)).json(class))
}

/// Enrols the caller (`{}`: within the window, if in the audience) or, for a cadre of the class's
/// unit, an account (`user_id`) or a member (`member_id`). A full class puts them on the waiting list.
#[utoipa::path(post, path = "/api/v1/classes/{id}/enrollments", tag = "classes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Class id")), request_body = EnrollRequest,
    responses((status = 201, body = EnrollmentView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem),
              (status = 409, description = "Already enrolled, or the window is closed", body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[post("/classes/{id}/enrollments")]
pub async fn enroll(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    body: web::Json<EnrollRequest>,
) -> Result<HttpResponse, ApiError> {
    let (id, req) = (id.into_inner(), body.into_inner());
    let e = state.db.run(move |conn| services::classes::enroll(conn, &user, id, &req, today())).await?;
    Ok(HttpResponse::Created().insert_header(etag(e.version)).json(e))
}

/// The class's enrolments with waiting-list places and attended sessions (its unit's cadres and leaders).
#[utoipa::path(get, path = "/api/v1/classes/{id}/enrollments", tag = "classes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Class id"), PageParams),
    responses((status = 200, body = Page<EnrollmentView>), (status = 403, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/classes/{id}/enrollments")]
pub async fn enrollments(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let people = state.db.run(move |conn| services::classes::enrollments(conn, &user, id)).await?;
    Ok(HttpResponse::Ok().json(paging.page_of(people)))
}

/// One enrolment (the enrolee's own, or for the class's cadres): the certificate page reads it.
#[utoipa::path(get, path = "/api/v1/classes/{id}/enrollments/{enrollment_id}", tag = "classes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Class id"), ("enrollment_id" = i64, Path, description = "Enrolment id")),
    responses((status = 200, body = EnrollmentView), (status = 404, body = shared::Problem)))]
#[get("/classes/{id}/enrollments/{enrollment_id}")]
pub async fn get_enrollment(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (class, id) = path.into_inner();
    let e = state.db.run(move |conn| services::classes::get_enrollment(conn, &user, class, id)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(e.version)).json(e))
}

/// Leaves the class (the enrolee) or removes an enrolee (a cadre); the next on the waiting list moves up.
#[utoipa::path(delete, path = "/api/v1/classes/{id}/enrollments/{enrollment_id}", tag = "classes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Class id"), ("enrollment_id" = i64, Path, description = "Enrolment id")),
    responses((status = 200, body = EnrollmentView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem)))]
#[delete("/classes/{id}/enrollments/{enrollment_id}")]
pub async fn cancel(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (class, id) = path.into_inner();
    let e = state.db.run(move |conn| services::classes::cancel(conn, &user, class, id)).await?;
    Ok(HttpResponse::Ok().json(e))
}

/// Records a result, score and essay (with `If-Match`); a pass gets a certificate number.
#[utoipa::path(patch, path = "/api/v1/classes/{id}/enrollments/{enrollment_id}", tag = "classes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Class id"), ("enrollment_id" = i64, Path, description = "Enrolment id"),
           ("If-Match" = String, Header, description = "The enrolment's version")),
    request_body = ResultRequest,
    responses((status = 200, body = EnrollmentView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 409, body = shared::Problem),
              (status = 412, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[patch("/classes/{id}/enrollments/{enrollment_id}")]
pub async fn set_result(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    body: web::Json<ResultRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match_version(&req)?;
    let valid = body.validate().map_err(ApiError::Validation)?;
    let (class, id) = path.into_inner();
    let e = state
        .db
        .run(move |conn| services::classes::set_result(conn, &user, class, id, version, valid, today()))
        .await?;
    Ok(HttpResponse::Ok().insert_header(etag(e.version)).json(e))
}

/// Who attended a session, ticked by a cadre: the whole list (the others are absent).
#[utoipa::path(put, path = "/api/v1/classes/{id}/sessions/{session_id}/attendance", tag = "classes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Class id"), ("session_id" = i64, Path, description = "Session id")),
    request_body = AttendanceRequest,
    responses((status = 200, body = Vec<EnrollmentView>), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[put("/classes/{id}/sessions/{session_id}/attendance")]
pub async fn attendance(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(i64, i64)>,
    body: web::Json<AttendanceRequest>,
) -> Result<HttpResponse, ApiError> {
    let (class, session) = path.into_inner();
    let present = body.into_inner().present;
    let people =
        state.db.run(move |conn| services::classes::set_attendance(conn, &user, class, session, &present)).await?;
    Ok(HttpResponse::Ok().json(people))
}

/// A check-in link for a session, valid for five minutes (shown as a QR code by the SPA).
#[utoipa::path(post, path = "/api/v1/classes/{id}/sessions/{session_id}/checkin-links", tag = "classes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Class id"), ("session_id" = i64, Path, description = "Session id")),
    responses((status = 201, body = CheckinLink), (status = 403, body = shared::Problem), (status = 404, body = shared::Problem)))]
#[post("/classes/{id}/sessions/{session_id}/checkin-links")]
pub async fn checkin_link(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(i64, i64)>,
) -> Result<HttpResponse, ApiError> {
    let (class, session) = path.into_inner();
    let keys = state.clone();
    let link =
        state.db.run(move |conn| services::classes::checkin_link(conn, &user, &keys.tokens, class, session)).await?;
    Ok(HttpResponse::Created().json(link))
}

/// Checks the signed-in caller in to a session with a link's token (expired, forged or another
/// session's tokens are refused with 422 on `token`; someone not enrolled gets 403).
#[utoipa::path(post, path = "/api/v1/classes/{id}/sessions/{session_id}/checkins", tag = "classes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Class id"), ("session_id" = i64, Path, description = "Session id")),
    request_body = CheckinRequest,
    responses((status = 200, body = EnrollmentView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem), (status = 422, body = shared::Problem)))]
#[post("/classes/{id}/sessions/{session_id}/checkins")]
pub async fn check_in(
    state: web::Data<AppState>,
    user: AuthUser,
    path: web::Path<(i64, i64)>,
    body: web::Json<CheckinRequest>,
) -> Result<HttpResponse, ApiError> {
    let (class, session) = path.into_inner();
    let (keys, token) = (state.clone(), body.into_inner().token);
    let e = state
        .db
        .run(move |conn| services::classes::check_in(conn, &user, &keys.tokens, class, session, &token))
        .await?;
    Ok(HttpResponse::Ok().json(e))
}

/// The class roster as an `.xlsx` file.
#[utoipa::path(get, path = "/api/v1/classes/{id}/roster.xlsx", tag = "classes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Class id")),
    responses((status = 200, description = "The roster"), (status = 403, body = shared::Problem)))]
#[get("/classes/{id}/roster.xlsx")]
pub async fn roster_xlsx(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let file = state.db.run(move |conn| services::classes::roster_xlsx(conn, &user, id)).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header(("Content-Disposition", format!("attachment; filename=\"lop-{id}.xlsx\"")))
        .body(file))
}
