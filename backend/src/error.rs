//! The one error type handlers and services return, and its mapping to RFC 9457 problem+json.
//!
//! Layers: `db` functions return `diesel::QueryResult`; services and handlers return
//! `Result<_, ApiError>` (diesel, pool and blocking errors convert with `?`); start-up returns
//! `anyhow::Result`. Messages follow `Accept-Language`: responses are built in Vietnamese and
//! `localize` rebuilds them in English when the request asks for it.

use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use shared::ConflictCode;
use shared::{ErrorCode, FieldError, FieldErrorCode, Lang, Problem};

/// Everything a request can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("some fields are invalid")]
    Validation(Vec<FieldError>),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("please sign in")]
    Unauthenticated,
    #[error("wrong login or password")]
    InvalidCredentials,
    #[error("outside your scope")]
    Forbidden,
    /// The caller would decide a case about themselves (`scope::not_about_self`).
    #[error("a case about the caller")]
    OwnCase,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("login already in use")]
    DuplicateLogin,
    /// A write that conflicts with what is stored; the text is language-neutral context (a link,
    /// a count, a date) shown after the code's message.
    #[error("conflict: {0:?}")]
    Conflict(ConflictCode, Option<String>),
    #[error("not allowed in state {0}")]
    InvalidState(String),
    #[error("stale version")]
    PreconditionFailed,
    #[error("If-Match required")]
    PreconditionRequired,
    #[error("too many attempts; retry in {retry_after} s")]
    TooManyRequests { retry_after: u64 },
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("unsupported file: {0}")]
    UnsupportedMediaType(String),
    /// A file that was read but is not what was asked for (wrong headers, no rows): 422 on `file`.
    #[error("unusable file: {0}")]
    UnusableFile(String),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("busy: no database connection free")]
    Unavailable,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// A conflict with nothing more to say than its code.
    pub fn conflict(code: ConflictCode) -> ApiError {
        ApiError::Conflict(code, None)
    }

    /// One invalid field.
    pub fn field(field: &str, code: FieldErrorCode) -> ApiError {
        ApiError::Validation(vec![FieldError::new(field, code, Lang::default())])
    }

    /// The code clients match on.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Validation(_) => ErrorCode::ValidationFailed,
            ApiError::BadRequest(_) => ErrorCode::BadRequest,
            ApiError::Unauthenticated => ErrorCode::Unauthenticated,
            ApiError::InvalidCredentials => ErrorCode::InvalidCredentials,
            ApiError::Forbidden => ErrorCode::Forbidden,
            ApiError::OwnCase => ErrorCode::OwnCase,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::DuplicateLogin => ErrorCode::DuplicateLogin,
            ApiError::Conflict(..) => ErrorCode::Conflict,
            ApiError::InvalidState(_) => ErrorCode::InvalidState,
            ApiError::PreconditionFailed => ErrorCode::PreconditionFailed,
            ApiError::PreconditionRequired => ErrorCode::PreconditionRequired,
            ApiError::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            ApiError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            ApiError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            ApiError::UnusableFile(_) => ErrorCode::ValidationFailed,
            ApiError::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            ApiError::Unavailable => ErrorCode::Unavailable,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// The problem document in `lang`.
    pub fn problem(&self, lang: Lang) -> Problem {
        let mut p = Problem::new(self.code(), lang);
        match self {
            ApiError::Validation(errors) => {
                p.errors = errors.iter().cloned().map(|e| e.localized(lang)).collect();
            }
            ApiError::BadRequest(detail) | ApiError::UnsupportedMediaType(detail) => p.detail = Some(detail.clone()),
            ApiError::Conflict(code, context) => {
                p.reason = Some(*code);
                p.detail = Some(match context {
                    Some(c) => format!("{} ({c})", code.message(lang)),
                    None => code.message(lang).to_owned(),
                });
            }
            ApiError::UnusableFile(detail) => {
                p.detail = Some(detail.clone());
                p.errors = vec![FieldError::new("file", FieldErrorCode::InvalidFormat, lang)];
            }
            ApiError::InvalidState(state) => {
                p.detail = Some(match lang {
                    Lang::Vi => format!("Trạng thái hiện tại: {state}"),
                    Lang::En => format!("Current state: {state}"),
                })
            }
            ApiError::NotFound(what) => p.detail = Some((*what).to_owned()),
            ApiError::TooManyRequests { retry_after } => {
                p.detail = Some(match lang {
                    Lang::Vi => format!("Thử lại sau {retry_after} giây"),
                    Lang::En => format!("Retry in {retry_after} seconds"),
                })
            }
            _ => {}
        }
        p
    }

    /// The full response in `lang`.
    pub fn to_response(&self, lang: Lang) -> HttpResponse {
        if let ApiError::Internal(e) = self {
            tracing::error!(error = ?e, "request failed");
        }
        let problem = self.problem(lang);
        let mut res = HttpResponse::build(self.status_code());
        res.content_type("application/problem+json");
        res.insert_header((header::CONTENT_LANGUAGE, lang.tag()));
        match self {
            ApiError::TooManyRequests { retry_after } => {
                res.insert_header((header::RETRY_AFTER, retry_after.to_string()));
            }
            ApiError::Unavailable => {
                res.insert_header((header::RETRY_AFTER, "1"));
            }
            ApiError::Unauthenticated | ApiError::InvalidCredentials => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            _ => {}
        }
        res.json(problem)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.code().status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        self.to_response(Lang::default())
    }
}

/// The language a request asks for.
pub fn request_lang(req: &HttpRequest) -> Lang {
    req.headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

/// Middleware body: rebuilds an `ApiError` response in the request's language.
pub async fn localize<B: actix_web::body::MessageBody + 'static>(
    req: ServiceRequest,
    next: actix_web::middleware::Next<B>,
) -> Result<ServiceResponse<EitherBody<B, BoxBody>>, actix_web::Error> {
    let lang = request_lang(req.request());
    let res = next.call(req).await?;
    if lang == Lang::default() {
        return Ok(res.map_into_left_body());
    }
    let rebuilt = res.response().error().and_then(|e| e.as_error::<ApiError>()).map(|e| e.to_response(lang));
    Ok(match rebuilt {
        Some(new) => res.into_response(new).map_into_right_body(),
        None => res.map_into_left_body(),
    })
}

/// The constraint a unique violation names: PostgreSQL reports it, SQLite names `table.column`.
fn violated(info: &dyn diesel::result::DatabaseErrorInformation) -> String {
    info.constraint_name().map(str::to_owned).unwrap_or_else(|| info.message().to_owned())
}

impl From<DieselError> for ApiError {
    fn from(e: DieselError) -> ApiError {
        match e {
            DieselError::NotFound => ApiError::NotFound("record"),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
                let which = violated(info.as_ref());
                if which.contains("users_login_key") || which.contains("users.login") {
                    ApiError::DuplicateLogin
                } else if which.contains("org_units_code_key") || which.contains("org_units.code") {
                    ApiError::field("code", FieldErrorCode::Duplicate)
                } else if which.contains("programmes_unit_year_key") || which.contains("programmes.unit_id") {
                    ApiError::conflict(ConflictCode::ProgrammeExists)
                } else if which.contains("programme_registrations_member_key")
                    || which.contains("programme_registrations.programme_id")
                {
                    ApiError::conflict(ConflictCode::AlreadyRegistered)
                } else if which.contains("dues_payment_months_key") || which.contains("dues_payment_months.member_id") {
                    // Two payments of one month at the same moment: the second finds it paid.
                    ApiError::conflict(ConflictCode::DuesMonthPaid)
                } else {
                    // The constraint's name stays in the log, never in the answer.
                    tracing::info!(constraint = %which, "unique violation");
                    ApiError::conflict(ConflictCode::Duplicate)
                }
            }
            // Another write held the database longer than a request waits (SQLite).
            DieselError::DatabaseError(_, info)
                if info.message() == crate::db::BUSY || info.message() == "database is locked" =>
            {
                tracing::warn!("database busy with another write");
                ApiError::Unavailable
            }
            DieselError::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                ApiError::conflict(ConflictCode::ConcurrentUpdate)
            }
            // PostgreSQL broke a deadlock (SQLSTATE 40P01) by ending this transaction: nothing was
            // written, and a retry succeeds.
            DieselError::DatabaseError(_, info) if info.message().starts_with("deadlock detected") => {
                tracing::warn!("deadlock broken by the database; the write was rolled back");
                ApiError::conflict(ConflictCode::ConcurrentUpdate)
            }
            other => ApiError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl From<r2d2::Error> for ApiError {
    /// The pool had no connection free within its timeout: the server is overloaded, not broken.
    fn from(e: r2d2::Error) -> ApiError {
        tracing::warn!(error = %e, "database pool exhausted");
        ApiError::Unavailable
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> ApiError {
        ApiError::Internal(anyhow::anyhow!("blocking task failed: {e}"))
    }
}

/// Turns extractor failures (malformed JSON, bad path or query) into problem+json.
pub mod extractors {
    use super::ApiError;
    use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
    use actix_web::HttpRequest;

    pub fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
        match err {
            JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
                ApiError::PayloadTooLarge.into()
            }
            JsonPayloadError::ContentType => {
                ApiError::UnsupportedMediaType("expected Content-Type: application/json".to_owned()).into()
            }
            // Well-formed JSON whose values do not fit (a missing field, a string for a number, an
            // unknown value): 422 naming the field where serde names it, else `body`.
            JsonPayloadError::Deserialize(e) if e.classify() == serde_json::error::Category::Data => {
                let text = e.to_string();
                let named = |marker: &str| {
                    text.split_once(marker).and_then(|(_, rest)| rest.split('`').nth(1)).map(str::to_owned)
                };
                let (field, code) = match named("missing field") {
                    Some(field) => (field, shared::FieldErrorCode::Required),
                    None if text.starts_with("unknown variant") => {
                        ("body".to_owned(), shared::FieldErrorCode::UnknownValue)
                    }
                    None => ("body".to_owned(), shared::FieldErrorCode::InvalidFormat),
                };
                let mut error = shared::FieldError::new(field, code, shared::i18n::Lang::Vi);
                error.message = format!("{} ({text})", error.message);
                ApiError::Validation(vec![error]).into()
            }
            JsonPayloadError::Deserialize(e) => ApiError::BadRequest(format!("invalid JSON body: {e}")).into(),
            other => ApiError::BadRequest(format!("unreadable body: {other}")).into(),
        }
    }

    pub fn path_error(err: PathError, _req: &HttpRequest) -> actix_web::Error {
        ApiError::BadRequest(format!("invalid path parameter: {err}")).into()
    }

    pub fn query_error(err: QueryPayloadError, _req: &HttpRequest) -> actix_web::Error {
        ApiError::BadRequest(format!("invalid query string: {err}")).into()
    }
}
