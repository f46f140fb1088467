//! The OpenAPI 3.1 document, generated from the route annotations and the `shared` schemas.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr};
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
        super::admissions::create, super::admissions::list, super::admissions::inbox, super::admissions::inbox_count, super::admissions::introducer, super::admissions::stats, super::admissions::set_target, super::admissions::introductions, super::admissions::get,
        super::admissions::update, super::admissions::transition, super::admissions::batch_approve,
        super::programmes::create, super::programmes::list, super::programmes::current, super::programmes::stats,
        super::programmes::get, super::programmes::update, super::programmes::register, super::programmes::registrations_list,
        super::programmes::get_registration, super::programmes::update_registration, super::programmes::progress,
        super::programmes::transition, super::programme_batches::register_unit, super::programme_batches::unregistered,
        super::programme_batches::evaluate_list, super::programmes::member_years,
        super::programme_files::attach, super::programme_files::file, super::programme_files::export,
        super::programme_files::import,
        super::meetings::create, super::meetings::list, super::meetings::upcoming, super::meetings::stats,
        super::meetings::missing, super::meetings::get, super::meetings::update, super::meetings::attendance,
        super::meetings::save_attendance, super::meetings::checkin_link, super::meetings::check_in,
        super::meetings::participation, super::removals::list, super::removals::transition,
        super::ratings::open, super::ratings::periods, super::ratings::period, super::ratings::add_member,
        super::ratings::comment, super::ratings::propose, super::ratings::confirm, super::ratings::list,
        super::ratings::mine, super::ratings::stats, super::ratings::get, super::ratings::transition,
        super::ratings::member_years, super::ratings::rate_unit, super::ratings::unit_list, super::ratings::import,
        super::audit::list,
        super::dues::create_rate, super::dues::rates, super::dues::pay, super::dues::collect, super::dues::payments,
        super::dues::member_summary, super::dues::unit_months, super::dues::roll,
    ),
    components(schemas(shared::Problem, shared::FieldError, shared::ErrorCode, shared::FieldErrorCode)),
    modifiers(&BearerAuth, &StandardProblems),
    tags(
        (name = "system"), (name = "auth", description = "Accounts and sessions"),
        (name = "org units", description = "The organisation tree"), (name = "roles", description = "Role assignments"),
        (name = "members", description = "The member registry (sổ đoàn viên)"),
        (name = "transfers", description = "Moving members between units (chuyển sinh hoạt Đoàn)"),
        (name = "imports", description = "Member records from spreadsheets"),
        (name = "admissions", description = "Applications for membership (kết nạp đoàn viên)"),
        (name = "classes", description = "Training classes (lớp bồi dưỡng)"),
        (name = "programmes", description = "The Member Training programme (Rèn luyện đoàn viên)"),
        (name = "meetings", description = "Branch life: meetings, activities and attendance (sinh hoạt chi đoàn)"),
        (name = "ratings", description = "Annual ratings of members and units (đánh giá, xếp loại)"),
        (name = "audit", description = "Who changed what"),
        (name = "dues", description = "Dues (đoàn phí): rates, payments, collections"),
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

/// The answers every route may give besides its own, declared on every operation so that the
/// document lists each status the server can send, all as `application/problem+json`:
/// a request the server cannot read (400), one it reads and refuses (422), the database busy
/// (503); on routes that need a session, none or an expired one (401), a role that does not
/// cover the unit (403), a record outside the caller's subtree or none at all (404); on writes,
/// a conflict such as an `Idempotency-Key` reused for another request (409), a body too large
/// (413) or of another type (415); on versioned writes (an `If-Match` parameter), a stale
/// version (412) or none (428). The routes' own annotations say which of these carry meaning
/// there; this keeps the list complete as routes are added.
struct StandardProblems;

const PROBLEM: &str = "application/problem+json";

fn problem(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(PROBLEM, Content::new(Some(Ref::from_schema_name("Problem"))))
        .build()
        .into()
}

fn standardise(op: &mut Operation, write: bool) {
    let params = op.parameters.iter().flatten().filter_map(|p| match p {
        RefOr::T(p) => Some(p),
        RefOr::Ref(_) => None,
    });
    let (mut path_param, mut versioned) = (false, false);
    for p in params {
        path_param |= p.parameter_in == ParameterIn::Path;
        versioned |= p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case("If-Match");
    }
    // A version as the server reads it: "3", W/"3" or 3.
    for p in op.parameters.iter_mut().flatten() {
        if let RefOr::T(p) = p {
            if p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case("If-Match") {
                p.schema = Some(
                    ObjectBuilder::new().schema_type(Type::String).pattern(Some(r#"^(W/)?"[1-9][0-9]{0,8}"$"#)).into(),
                );
            }
        }
    }
    let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
    let mut add = vec![
        ("400", "The request cannot be read"),
        ("422", "Invalid input: `errors` names each field and why"),
        ("503", "The database is busy; retry shortly"),
    ];
    if secured {
        add.extend([
            ("401", "Not signed in, or the session expired"),
            ("403", "The caller's role does not allow this"),
            ("404", "Not found, or outside the caller's subtree"),
        ]);
    }
    if path_param {
        add.push(("404", "Not found"));
    }
    if write {
        add.extend([
            ("409", "Conflicts with the current state (see `reason`)"),
            ("413", "The body is too large"),
            ("415", "The body is not of a type this route reads"),
        ]);
    }
    if versioned {
        add.extend([
            ("412", "The version in If-Match is stale: read again"),
            ("428", "If-Match with the version last read is required"),
        ]);
    }
    for (status, description) in add {
        op.responses.responses.entry(status.to_owned()).or_insert_with(|| problem(description));
    }
    for (status, response) in op.responses.responses.iter_mut() {
        if let (true, RefOr::T(response)) = (status.starts_with('4') || status.starts_with('5'), response) {
            if let Some(json) = response.content.shift_remove("application/json") {
                response.content.insert(PROBLEM.to_owned(), json);
            }
        }
    }
}

impl Modify for StandardProblems {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            for (op, write) in [
                (&mut item.get, false),
                (&mut item.head, false),
                (&mut item.post, true),
                (&mut item.put, true),
                (&mut item.patch, true),
                (&mut item.delete, true),
            ] {
                if let Some(op) = op {
                    standardise(op, write);
                }
            }
        }
    }
}

/// The methods the document declares for each path, to answer 405 with `Allow` (instead of 404)
/// when a path exists but not with the method asked.
#[derive(Debug, Clone, Default)]
pub struct DeclaredMethods(Vec<(Vec<String>, String)>);

impl DeclaredMethods {
    /// Read from the document.
    pub fn of(doc: &utoipa::openapi::OpenApi) -> DeclaredMethods {
        let mut routes = Vec::new();
        for (path, item) in &doc.paths.paths {
            let mut methods = Vec::new();
            for (name, op) in [
                ("GET", &item.get),
                ("POST", &item.post),
                ("PUT", &item.put),
                ("PATCH", &item.patch),
                ("DELETE", &item.delete),
            ] {
                if op.is_some() {
                    methods.push(name);
                }
            }
            routes.push((path.split('/').map(str::to_owned).collect(), methods.join(", ")));
        }
        DeclaredMethods(routes)
    }

    /// The `Allow` value for a path the document has, or `None`.
    pub fn allowed(&self, path: &str) -> Option<&str> {
        let segments: Vec<&str> = path.split('/').collect();
        self.0
            .iter()
            .filter(|(template, _)| {
                template.len() == segments.len() && template.iter().zip(&segments).all(|(t, s)| segment_matches(t, s))
            })
            .max_by_key(|(template, _)| template.iter().filter(|t| !t.contains('{')).count())
            .map(|(_, allow)| allow.as_str())
    }
}

/// A path segment against a template segment: literal, or `pre{name}post` with a non-empty value.
fn segment_matches(template: &str, segment: &str) -> bool {
    match (template.find('{'), template.rfind('}')) {
        (Some(open), Some(close)) if open < close => {
            let (prefix, suffix) = (&template[..open], &template[close + 1..]);
            segment.len() > prefix.len() + suffix.len() && segment.starts_with(prefix) && segment.ends_with(suffix)
        }
        _ => template == segment,
    }
}
