//! HTTP only: each module parses requests for one resource, calls its service, shapes the
//! response and carries the OpenAPI annotations. Routes are wired in `configure`, in one place.

pub mod admissions;
pub mod audit;
pub mod auth;
pub mod classes;
pub mod dues;
pub mod health;
pub mod imports;
pub mod meetings;
pub mod members;
pub mod openapi;
pub mod org_units;
pub mod positions;
pub mod programme_batches;
pub mod programme_files;
pub mod programmes;
pub mod ratings;
pub mod removals;
pub mod role_assignments;
pub mod transfers;

use crate::error::ApiError;
use actix_web::http::header;
use actix_web::{web, HttpRequest};
use shared::api::page::{PageParams, Paging};

/// Registers every `/api/v1` route.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(health::health)
        .service(auth::register)
        .service(auth::login)
        .service(auth::refresh)
        .service(auth::logout)
        .service(auth::me)
        .service(org_units::list)
        .service(org_units::create)
        .service(org_units::get)
        .service(org_units::update)
        .service(org_units::dissolve)
        .service(role_assignments::list)
        .service(role_assignments::create)
        .service(role_assignments::delete)
        .service(members::list)
        .service(members::create)
        .service(members::export)
        .service(members::get)
        .service(members::update)
        .service(members::transition)
        .service(members::transitions)
        .service(members::placements)
        .service(members::merge)
        .service(members::confirm_link)
        .service(transfers::create)
        .service(transfers::list)
        .service(transfers::get)
        .service(transfers::transition)
        .service(positions::create)
        .service(positions::list)
        .service(positions::end)
        .service(imports::template)
        .service(imports::create)
        .service(imports::list)
        .service(imports::get)
        .service(classes::create)
        .service(classes::update)
        .service(classes::list)
        .service(classes::roster_xlsx)
        .service(classes::get)
        .service(classes::enroll)
        .service(classes::enrollments)
        .service(classes::get_enrollment)
        .service(classes::cancel)
        .service(classes::set_result)
        .service(classes::attendance)
        .service(classes::checkin_link)
        .service(classes::check_in)
        .service(admissions::create)
        .service(admissions::list)
        .service(admissions::inbox)
        .service(admissions::inbox_count)
        .service(admissions::introducer)
        .service(admissions::stats)
        .service(admissions::set_target)
        .service(admissions::introductions)
        .service(admissions::batch_approve)
        .service(admissions::get)
        .service(admissions::update)
        .service(admissions::transition)
        .service(programmes::create)
        .service(programmes::list)
        .service(programmes::current)
        .service(programmes::stats)
        .service(programmes::get)
        .service(programmes::update)
        .service(programme_batches::register_unit)
        .service(programme_batches::unregistered)
        .service(programme_batches::evaluate_list)
        .service(programmes::register)
        .service(programmes::registrations_list)
        .service(programmes::get_registration)
        .service(programmes::update_registration)
        .service(programmes::progress)
        .service(programmes::transition)
        .service(programmes::member_years)
        .service(programme_files::attach)
        .service(programme_files::file)
        .service(programme_files::export)
        .service(programme_files::import)
        .service(meetings::create)
        .service(meetings::list)
        .service(meetings::upcoming)
        .service(meetings::stats)
        .service(meetings::missing)
        .service(meetings::get)
        .service(meetings::update)
        .service(meetings::attendance)
        .service(meetings::save_attendance)
        .service(meetings::checkin_link)
        .service(meetings::check_in)
        .service(meetings::participation)
        .service(ratings::open)
        .service(ratings::periods)
        .service(ratings::period)
        .service(ratings::add_member)
        .service(ratings::comment)
        .service(ratings::propose)
        .service(ratings::confirm)
        .service(ratings::import)
        .service(ratings::list)
        .service(ratings::mine)
        .service(ratings::stats)
        .service(ratings::get)
        .service(ratings::transition)
        .service(ratings::member_years)
        .service(ratings::rate_unit)
        .service(ratings::unit_list)
        .service(removals::list)
        .service(removals::transition)
        .service(audit::list);
    // Dues (đoàn phí).
    cfg.service(dues::create_rate)
        .service(dues::rates)
        .service(dues::collect)
        .service(dues::pay)
        .service(dues::payments)
        .service(dues::member_summary)
        .service(dues::unit_months)
        .service(dues::roll);
}

/// Today's date where the server runs (bounds dates in requests: nothing in the future).
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// The version a client sends in `If-Match` (`"3"`, `W/"3"` or `3`); required on versioned writes.
pub fn if_match_version(req: &HttpRequest) -> Result<i64, ApiError> {
    let raw = req.headers().get(header::IF_MATCH).ok_or(ApiError::PreconditionRequired)?;
    let text = raw.to_str().map_err(|_| ApiError::BadRequest("unreadable If-Match header".to_owned()))?;
    text.trim()
        .trim_start_matches("W/")
        .trim_matches('"')
        .parse()
        .map_err(|_| ApiError::BadRequest(format!("If-Match must be a version such as \"3\" (got {text})")))
}

/// The `ETag` header for a resource version.
pub fn etag(version: i64) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{version}\""))
}

/// `?page=&per_page=` of a list, checked (422 naming `page` or `per_page`).
pub struct Paged(pub Paging);

impl actix_web::FromRequest for Paged {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Paged, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut actix_web::dev::Payload) -> Self::Future {
        let paged = match web::Query::<PageParams>::from_query(req.query_string()) {
            Ok(params) => params.validate().map(Paged).map_err(ApiError::Validation),
            Err(e) => Err(ApiError::BadRequest(format!("invalid query string: {e}"))),
        };
        std::future::ready(paged)
    }
}

/// `Prefer: return=minimal` (RFC 7240): the client needs only the outcome and the new version.
pub fn prefers_minimal(req: &HttpRequest) -> bool {
    req.headers()
        .get_all("prefer")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|p| p.trim().eq_ignore_ascii_case("return=minimal"))
}
