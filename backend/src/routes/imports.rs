//! `/imports`: member records from a spreadsheet, checked row by row, written in the background.

use super::Paged;
use crate::auth::AuthUser;
use crate::error::{request_lang, ApiError};
use crate::services::{self, imports::Upload};
use crate::state::AppState;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;
use shared::api::imports::{ImportJobView, ImportMode, MAX_FILE_BYTES};
use shared::api::{Page, PageParams};
use shared::ids::OrgUnitId;
use shared::FieldErrorCode;

/// `POST /imports` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// The unit imported into: a branch, or a unit whose branches the `Chi đoàn` column names.
    unit_id: Option<OrgUnitId>,
    /// `valid_only` (default) or `all_or_nothing`.
    mode: Option<String>,
    /// The file's name, for the job list.
    file_name: Option<String>,
}

/// `GET /imports` query.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ImportListQuery {
    /// The unit whose subtree's imports to list.
    unit_id: Option<OrgUnitId>,
}

/// Reads an uploaded body up to `limit` bytes (413 beyond it, before reading it all when the
/// size is declared).
pub(super) async fn read_upload(req: &HttpRequest, mut body: web::Payload, limit: usize) -> Result<Vec<u8>, ApiError> {
    let declared =
        req.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::PayloadTooLarge);
    }
    let mut bytes = Vec::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("the upload was interrupted: {e}")))?;
        if bytes.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Uploads a `.xlsx` or `.csv` file (the body, as is) in the template's columns and starts its
/// import. The file kind, the caller's scope and the header row are checked at once (415, 403,
/// 422 naming the missing or unknown columns); the rows are checked and written in the
/// background: follow the job at its `Location`.
#[utoipa::path(post, path = "/api/v1/imports", tag = "imports", security(("bearer" = [])),
    params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The .xlsx or .csv file"),
    responses((status = 202, body = ImportJobView), (status = 403, body = shared::Problem),
              (status = 413, description = "Larger than 20 MB", body = shared::Problem),
              (status = 415, description = "Not a .xlsx or UTF-8 .csv file", body = shared::Problem),
              (status = 422, description = "Wrong headers, no rows, or a bad unit", body = shared::Problem)))]
#[post("/imports")]
pub async fn create(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    query: web::Query<ImportQuery>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let upload = query.into_inner().upload(&req, body).await?;
    let today = super::today();
    let (job, work) = state.db.run(move |conn| services::imports::start(conn, &user, upload, today)).await?;
    run_in_background(&state, job, work)
}

impl ImportQuery {
    /// The upload these parameters describe, with the file read (413 over 20 MB).
    pub(super) async fn upload(self, req: &HttpRequest, body: web::Payload) -> Result<Upload, ApiError> {
        let unit_id = self.unit_id.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))?;
        let mode = match self.mode.as_deref().map(str::trim) {
            None | Some("") => ImportMode::ValidOnly,
            Some(m) => ImportMode::parse(m).ok_or_else(|| ApiError::field("mode", FieldErrorCode::UnknownValue))?,
        };
        let file_name =
            self.file_name.map(|n| n.trim().chars().take(200).collect::<String>()).filter(|n| !n.is_empty());
        let bytes = read_upload(req, body, MAX_FILE_BYTES).await?;
        Ok(Upload { unit_id, mode, file_name: file_name.unwrap_or_else(|| "tep-nhap".to_owned()), bytes })
    }
}

/// Runs an accepted job on a thread of its own and answers 202 with the job at its `Location`.
pub(super) fn run_in_background(
    state: &AppState,
    job: ImportJobView,
    work: services::imports::Work,
) -> Result<HttpResponse, ApiError> {
    let (db, progress) = (state.db.clone(), state.imports.clone());
    std::thread::Builder::new()
        .name(format!("import-{}", job.id))
        .spawn(move || db.writing(|| services::imports::run(db.pool(), &progress, work)))
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(HttpResponse::Accepted().insert_header(("Location", format!("/api/v1/imports/{}", job.id))).json(job))
}

/// An import job: progress while it runs, then the counts and the row report.
#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "imports", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Job id")),
    responses((status = 200, body = ImportJobView), (status = 404, body = shared::Problem)))]
#[get("/imports/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let (id, lang, progress) = (id.into_inner(), request_lang(&req), state.imports.clone());
    let job = state.db.run(move |conn| services::imports::get(conn, &user, &progress, id, lang)).await?;
    Ok(HttpResponse::Ok().json(job))
}

/// The latest 20 imports into a unit's subtree, newest first (without row reports).
#[utoipa::path(get, path = "/api/v1/imports", tag = "imports", security(("bearer" = [])),
    params(ImportListQuery, PageParams),
    responses((status = 200, body = Page<ImportJobView>), (status = 403, body = shared::Problem),
              (status = 422, body = shared::Problem)))]
#[get("/imports")]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    query: web::Query<ImportListQuery>,
    Paged(paging): Paged,
) -> Result<HttpResponse, ApiError> {
    let unit = query.unit_id.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))?;
    let (lang, progress) = (request_lang(&req), state.imports.clone());
    let jobs = state.db.run(move |conn| services::imports::recent(conn, &user, &progress, unit, lang)).await?;
    Ok(HttpResponse::Ok().json(paging.page_of(jobs)))
}

/// The import template (`xlsx` or `csv`): the columns with Vietnamese headers and a sample row.
#[utoipa::path(get, path = "/api/v1/imports/template.{format}", tag = "imports", security(("bearer" = [])),
    params(("format" = String, Path, description = "`xlsx` or `csv`")),
    responses((status = 200, description = "The template file"), (status = 404, body = shared::Problem)))]
#[get("/imports/template.{format}")]
pub async fn template(_user: AuthUser, format: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let format = format.into_inner();
    let (xlsx, content_type) = match format.as_str() {
        "xlsx" => (true, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        "csv" => (false, "text/csv; charset=utf-8"),
        _ => return Err(ApiError::NotFound("template format")),
    };
    let bytes = web::block(move || services::imports::template(xlsx)).await??;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", format!("attachment; filename=\"mau-nhap-doan-vien.{format}\"")))
        .body(bytes))
}
