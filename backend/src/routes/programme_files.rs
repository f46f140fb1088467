//! Files of the Member Training programme: evidence attached to progress entries (a link, or a
//! photo or PDF) and served back, and a branch's registrations as a spreadsheet, out and in.

use super::imports::read_upload;
use crate::auth::AuthUser;
use crate::error::ApiError;
use crate::services::{
    self,
    programme_evidence::{self as evidence, Evidence},
};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{get, post, web, FromRequest, HttpRequest, HttpResponse};
use shared::api::programme_files::{EvidenceLinkForm, MAX_EVIDENCE_BYTES};
use shared::api::programmes::RegistrationView;
use shared::ids::OrgUnitId;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// `POST …/evidence` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct EvidenceQuery {
    /// The uploaded file's name (kept for the download; its last path component, 200 characters).
    file_name: Option<String>,
}

/// Attaches evidence to a progress entry (the member or a cadre over the branch, until the
/// evaluation: 409 `registration_evaluated`): with `Content-Type: application/json` a link
/// `{"url"}` (http or https), else the body is a photo or a PDF of at most 5 MB, its kind told
/// from its bytes — JPEG, PNG, WebP or PDF; anything else (a program renamed `.jpg`) is 415.
/// At most 5 per entry (409 `evidence_limit`). Answers the registration, the evidence listed
/// under its progress entry.
#[utoipa::path(post, path = "/api/v1/programme-registrations/{id}/progress/{progress_id}/evidence", tag = "programmes",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Registration id"), ("progress_id" = i64, Path, description = "Progress entry id"), EvidenceQuery),
    request_body(description = "A link as JSON, or the file as the body", content(
        (EvidenceLinkForm = "application/json"),
        (Vec<u8> = "application/octet-stream"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"),
        (Vec<u8> = "image/webp"), (Vec<u8> = "application/pdf"))),
    responses((status = 201, body = RegistrationView), (status = 403, body = shared::Problem),
              (status = 404, description = "No such registration or entry, or outside the caller's subtree", body = shared::Problem),
              (status = 409, description = "`registration_evaluated` or `evidence_limit`", body = shared::Problem),
              (status = 413, description = "A file over 5 MB", body = shared::Problem),
              (status = 415, description = "Not a JPEG, PNG, WebP or PDF file", body = shared::Problem),
              (status = 422, description = "A link that is not an http(s) address (`url`)", body = shared::Problem)))]
#[post("/programme-registrations/{id}/progress/{progress_id}/evidence")]
pub async fn attach(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    path: web::Path<(i64, i64)>,
    query: web::Query<EvidenceQuery>,
    body: web::Payload,
) -> Result<HttpResponse, actix_web::Error> {
    let (id, progress_id) = path.into_inner();
    let is_json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")));
    let attached = if is_json {
        let form = web::Json::<EvidenceLinkForm>::from_request(&req, &mut body.into_inner()).await?;
        Evidence::Link(form.validate().map_err(ApiError::Validation)?)
    } else {
        let bytes = read_upload(&req, body, MAX_EVIDENCE_BYTES).await?;
        Evidence::File { bytes, file_name: query.into_inner().file_name }
    };
    let files = state.files.clone();
    let r = state.db.run(move |conn| evidence::attach(conn, &user, &files, id, progress_id, attached)).await?;
    Ok(HttpResponse::Created().insert_header(super::etag(r.version)).json(r))
}

/// `Content-Disposition` for a download: an ASCII name, and the name as given (RFC 6266).
fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| if (c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '%')) || c == ' ' { c } else { '_' })
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// A file kept as evidence, with its stored media type, for those who read the registration
/// (anyone else, and a link's id, 404). Sent as an attachment, never to be sniffed.
#[utoipa::path(get, path = "/api/v1/programme-evidence/{id}", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Evidence id")),
    responses((status = 200, description = "The file", content(
                  (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "image/webp"), (Vec<u8> = "application/pdf"))),
              (status = 404, body = shared::Problem)))]
#[get("/programme-evidence/{id}")]
pub async fn file(state: web::Data<AppState>, user: AuthUser, id: web::Path<i64>) -> Result<HttpResponse, ApiError> {
    let (id, files) = (id.into_inner(), state.files.clone());
    let f = state.db.run(move |conn| evidence::file(conn, &user, &files, id)).await?;
    Ok(HttpResponse::Ok()
        .content_type(f.media_type)
        .insert_header((header::CONTENT_DISPOSITION, disposition(&f.file_name)))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(f.bytes))
}

/// `GET /programmes/{id}/registrations/export` query.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// The unit whose subtree's registrations are exported (default: the programme's unit).
    unit_id: Option<OrgUnitId>,
}

/// A programme's registrations in a unit's subtree as an `.xlsx` sheet in the programme's layout:
/// a row per member (name, birth date, CCCD, card number, branch), a column per item with
/// `done/target` for the items the member holds, and the result. Every cell a spreadsheet would
/// read as a formula starts with `'`. For those who read the unit's records (another subtree 404).
#[utoipa::path(get, path = "/api/v1/programmes/{id}/registrations/export", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Programme id"), ExportQuery),
    responses((status = 200, description = "The .xlsx file",
                  content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
              (status = 404, body = shared::Problem),
              (status = 409, description = "More than 100,000 rows (`export_too_large`)", body = shared::Problem)))]
#[get("/programmes/{id}/registrations/export")]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    id: web::Path<i64>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let (id, unit) = (id.into_inner(), query.into_inner().unit_id);
    let sheet = state.db.run(move |conn| services::programme_sheets::export(conn, &user, id, unit)).await?;
    let name = format!("dang-ky-ren-luyen-{id}-{}.xlsx", unit.map(|u| u.0).unwrap_or_default());
    Ok(HttpResponse::Ok()
        .content_type(XLSX)
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")))
        .body(sheet))
}

/// Registers members for a programme from its sheet (the export's layout, `.xlsx` or `.csv`, as
/// the body): each row names a member of the unit's subtree by `Số CCCD` (else `Số thẻ đoàn
/// viên`) and marks with `x` the optional items chosen (the column headed with the item's
/// title); the required items are held anyway. Checked at once: the programme and its window,
/// the caller (a cadre over the unit), the file's kind and header row (422 naming unknown
/// columns); the rows are checked and registered in the background, `valid_only` (default) or
/// `all_or_nothing`: follow the job at its `Location` (`/imports/{id}`).
#[utoipa::path(post, path = "/api/v1/programmes/{id}/registrations/import", tag = "programmes", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Programme id"), super::imports::ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The .xlsx or .csv file"),
    responses((status = 202, body = shared::api::imports::ImportJobView), (status = 403, body = shared::Problem),
              (status = 404, body = shared::Problem),
              (status = 413, description = "Larger than 20 MB", body = shared::Problem),
              (status = 415, description = "Not a .xlsx or UTF-8 .csv file", body = shared::Problem),
              (status = 422, description = "Wrong headers, no rows, a unit outside the programme's, or the window closed", body = shared::Problem)))]
#[post("/programmes/{id}/registrations/import")]
pub async fn import(
    state: web::Data<AppState>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<i64>,
    query: web::Query<super::imports::ImportQuery>,
    body: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let upload = query.into_inner().upload(&req, body).await?;
    let (id, today) = (id.into_inner(), super::today());
    let (job, work) =
        state.db.run(move |conn| services::programme_sheets::start_import(conn, &user, id, upload, today)).await?;
    super::imports::run_in_background(&state, job, work)
}
