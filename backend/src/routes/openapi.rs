//! The OpenAPI 3.1 document, generated from the route annotations and the `shared` schemas.

use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

/// Every route of `/api/v1`.
#[derive(OpenApi)]
#[openapi(
    info(title = "Sổ Đoàn API", description = "Membership system of the Ho Chi Minh Communist Youth Union. \
        Errors are RFC 9457 problem+json; messages follow Accept-Language (vi, en). \
        Versioned writes need `If-Match: \"<version>\"` (412 when stale). Any write may carry \
        `Idempotency-Key`: a retry with the same key and request returns the first answer \
        (header `Idempotent-Replayed: true`); the same key with another request is a 409."),
    paths(
        super::health::health,
        super::auth::register, super::auth::login, super::auth::refresh, super::auth::logout, super::auth::me,
        super::org_units::list, super::org_units::get, super::org_units::create, super::org_units::update, super::org_units::dissolve,
        super::role_assignments::list, super::role_assignments::create, super::role_assignments::delete,
        super::members::list, super::members::create, super::members::export, super::members::get, super::members::update, super::members::transition, super::members::transitions, super::members::placements, super::members::merge, super::members::confirm_link,
        super::transfers::create, super::transfers::list, super::transfers::get, super::transfers::transition,
        super::positions::create, super::positions::list, super::positions::end,
        super::imports::create, super::imports::get, super::imports::list, super::imports::template,
        super::classes::create, super::classes::update, super::classes::list, super::classes::get, super::classes::enroll,
        super::classes::enrollments, super::classes::get_enrollment, super::classes::cancel, super::classes::set_result,
        super::classes::attendance, super::classes::checkin_link, super::classes::check_in, super::classes::roster_xlsx,
        super::admissions::create, super::admissions::mine, super::admissions::inbox, super::admissions::inbox_count, super::admissions::introducer, super::admissions::stats, super::admissions::set_target, super::admissions::introductions, super::admissions::get,
        super::admissions::update, super::admissions::transition, super::admissions::batch_approve,
        super::audit::list,
    ),
    components(schemas(shared::Problem, shared::FieldError, shared::ErrorCode, shared::FieldErrorCode)),
    modifiers(&BearerAuth),
    tags(
        (name = "system"), (name = "auth", description = "Accounts and sessions"),
        (name = "org units", description = "The organisation tree"), (name = "roles", description = "Role assignments"),
        (name = "members", description = "The member registry (sổ đoàn viên)"),
        (name = "transfers", description = "Moving members between units (chuyển sinh hoạt Đoàn)"),
        (name = "imports", description = "Member records from spreadsheets"),
        (name = "admissions", description = "Applications for membership (kết nạp đoàn viên)"),
        (name = "classes", description = "Training classes (lớp bồi dưỡng)"),
        (name = "audit", description = "Who changed what"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}
