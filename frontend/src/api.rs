//! The only module that knows URLs and HTTP. Functions are named after the API's handlers and
//! return `Result<T, ApiFailure>`; a rejected request carries the server's problem+json.
//! The access token lives in memory only; the refresh token is an HttpOnly cookie the browser
//! sends to `/api/v1/auth/*`, so a reload signs back in with `refresh()`.

use futures_util::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::api::admissions::{
    AdmissionInbox, AdmissionTransitionRequest, AdmissionView, ApplicationForm, IntroducerView,
};
use shared::api::auth::{LoginRequest, MeResponse, RegisterRequest, SessionMode, TokenResponse, UserView};
use shared::api::imports::{ImportJobView, ImportMode};
use shared::api::member_transitions::{MemberTransitionRequest, MemberTransitionView};
use shared::api::members::{
    CreateMemberRequest, MemberListQuery, MemberSummary, MemberView, MergeMembersRequest, UpdateMemberRequest,
};
use shared::api::org_units::{CreateOrgUnitRequest, OrgUnitDetail, OrgUnitView};
use shared::api::positions::PositionView;
use shared::api::programme_files::EvidenceLinkForm;
use shared::api::programmes::{
    ProgrammeForm, ProgrammeStats, ProgrammeView, ProgressForm, RegistrationForm, RegistrationSummary,
    RegistrationTransitionRequest, RegistrationView,
};
use shared::api::role_assignments::{CreateRoleAssignmentRequest, RoleAssignmentView};
use shared::api::transfers::{CreateTransferRequest, PlacementView, TransferTransitionRequest, TransferView};
use shared::api::Page;
use shared::ids::{MemberId, OrgUnitId, RoleAssignmentId};
use shared::{ErrorCode, FieldError, Lang, Problem};
use std::cell::RefCell;

const BASE: &str = "/api/v1";

thread_local! {
    static ACCESS_TOKEN: RefCell<Option<String>> = const { RefCell::new(None) };
    static LANG: RefCell<Lang> = const { RefCell::new(Lang::Vi) };
}

/// The language asked of the server (problem titles and messages come back in it).
pub fn set_lang(lang: Lang) {
    LANG.with(|l| *l.borrow_mut() = lang);
}

fn token() -> Option<String> {
    ACCESS_TOKEN.with(|t| t.borrow().clone())
}

fn set_token(value: Option<String>) {
    set_session_hint(value.is_some());
    ACCESS_TOKEN.with(|t| *t.borrow_mut() = value);
}

/// Whether this browser signed in and has not signed out since (the refresh cookie itself is
/// HttpOnly, so the SPA cannot see it). Without the hint a visitor's page never asks
/// `/auth/refresh`, which could only answer 401.
const SESSION_HINT: &str = "sodoan.session";

fn set_session_hint(signed_in: bool) {
    if let Some(s) = crate::i18n::storage() {
        let _ = if signed_in { s.set_item(SESSION_HINT, "1") } else { s.remove_item(SESSION_HINT) };
    }
}

/// True when a session cookie may exist, so a refresh is worth asking for.
pub fn may_have_session() -> bool {
    token().is_some() || crate::i18n::storage().and_then(|s| s.get_item(SESSION_HINT).ok().flatten()).is_some()
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiFailure {
    /// The server answered with a problem document.
    Rejected(Problem),
    /// No usable answer (offline, server down, unreadable body).
    Network(String),
}

/// How a failed write shows in a form.
#[derive(Debug, Clone, PartialEq)]
pub enum FormFailure {
    /// Errors to show under their fields.
    Fields(Vec<FieldError>),
    /// Someone else changed the record first: reload it.
    Stale,
    /// Anything else, shown above the submit button.
    Message(String),
}

impl ApiFailure {
    /// Sorts a failed write into what a form does with it.
    pub fn for_form(self, lang: Lang) -> FormFailure {
        match self {
            ApiFailure::Rejected(p) if p.code() == Some(ErrorCode::PreconditionFailed) => FormFailure::Stale,
            ApiFailure::Rejected(p) if !p.errors.is_empty() => FormFailure::Fields(p.errors),
            ApiFailure::Rejected(p) if p.code() == Some(ErrorCode::Conflict) => {
                FormFailure::Message(p.detail.map_or(p.title.clone(), |d| format!("{}: {d}", p.title)))
            }
            other => FormFailure::Message(other.message(lang)),
        }
    }

    /// A sentence to show (problem titles arrive in the language asked for).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiFailure::Rejected(p) => p.title.clone(),
            ApiFailure::Network(_) => crate::i18n::T::Network.text(lang).to_owned(),
        }
    }
}

fn lang_header() -> &'static str {
    LANG.with(|l| l.borrow().tag())
}

/// What a request carries.
enum Body<'a, B> {
    Json(Option<&'a B>),
    /// A file, sent as is.
    File(&'a web_sys::File),
}

async fn send<B: Serialize>(
    method: Method,
    path: &str,
    body: Option<&B>,
    if_match: Option<i64>,
) -> Result<Response, ApiFailure> {
    send_body(method, path, Body::Json(body), if_match).await
}

async fn send_body<B: Serialize>(
    method: Method,
    path: &str,
    body: Body<'_, B>,
    if_match: Option<i64>,
) -> Result<Response, ApiFailure> {
    let mut builder = RequestBuilder::new(&format!("{BASE}{path}"))
        .method(method)
        .header("Accept", "application/json")
        .header("Accept-Language", lang_header());
    if let Some(t) = token() {
        builder = builder.header("Authorization", &format!("Bearer {t}"));
    }
    if let Some(v) = if_match {
        builder = builder.header("If-Match", &format!("\"{v}\""));
    }
    let request = match body {
        Body::Json(Some(b)) => builder.json(b),
        Body::Json(None) => builder.build(),
        Body::File(f) => builder.header("Content-Type", "application/octet-stream").body(f.clone()),
    }
    .map_err(|e| ApiFailure::Network(e.to_string()))?;
    request.send().await.map_err(|e| ApiFailure::Network(e.to_string()))
}

/// Sends a request; on a 401 (no access token yet, or an expired one) the session is renewed once
/// through the refresh cookie and the request retried.
async fn call<B: Serialize>(
    method: Method,
    path: &str,
    body: Option<&B>,
    if_match: Option<i64>,
) -> Result<Response, ApiFailure> {
    let res = send(method.clone(), path, body, if_match).await?;
    if res.status() == 401 && may_have_session() && refresh().await.is_ok() {
        return send(method, path, body, if_match).await;
    }
    Ok(res)
}

async fn read<T: DeserializeOwned>(res: Response) -> Result<T, ApiFailure> {
    if res.ok() {
        res.json().await.map_err(|e| ApiFailure::Network(e.to_string()))
    } else {
        let status = res.status();
        let problem = res.json::<Problem>().await.unwrap_or_else(|_| Problem {
            type_uri: "about:blank".into(),
            title: format!("HTTP {status}"),
            status,
            detail: None,
            errors: vec![],
            reason: None,
        });
        Err(ApiFailure::Rejected(problem))
    }
}

/// The first page of a list short by nature (a unit's imports, a member's history), as a vector.
async fn read_list<T: DeserializeOwned>(path: &str) -> Result<Vec<T>, ApiFailure> {
    let sep = if path.contains('?') { '&' } else { '?' };
    let page: Page<T> = read(call(Method::GET, &format!("{path}{sep}per_page=200"), NO_BODY, None).await?).await?;
    Ok(page.items)
}

async fn read_empty(res: Response) -> Result<(), ApiFailure> {
    if res.ok() {
        Ok(())
    } else {
        read::<serde_json::Value>(res).await.map(|_| ())
    }
}

const NO_BODY: Option<&()> = None;

/// `POST /auth/register`.
pub async fn register(req: &RegisterRequest) -> Result<UserView, ApiFailure> {
    read(call(Method::POST, "/auth/register", Some(req), None).await?).await
}

/// `POST /auth/login`, with the refresh token set as a cookie.
pub async fn login(login: &str, password: &str) -> Result<TokenResponse, ApiFailure> {
    let req = LoginRequest { login: login.to_owned(), password: password.to_owned(), session: SessionMode::Cookie };
    let tokens: TokenResponse = read(send(Method::POST, "/auth/login", Some(&req), None).await?).await?;
    set_token(Some(tokens.access_token.clone()));
    Ok(tokens)
}

type RefreshFuture = Shared<LocalBoxFuture<'static, Result<TokenResponse, ApiFailure>>>;

thread_local! {
    static REFRESHING: RefCell<Option<RefreshFuture>> = const { RefCell::new(None) };
}

/// `POST /auth/refresh` with the cookie: signs back in after a reload or when the access token
/// expires. Single-flight: callers at the same moment share one request, because presenting a
/// rotated refresh token twice would end the session.
pub async fn refresh() -> Result<TokenResponse, ApiFailure> {
    let flight = REFRESHING.with(|r| r.borrow().clone()).unwrap_or_else(|| {
        let flight = refresh_once().boxed_local().shared();
        REFRESHING.with(|r| *r.borrow_mut() = Some(flight.clone()));
        flight
    });
    let result = flight.clone().await;
    REFRESHING.with(|r| {
        let mut current = r.borrow_mut();
        if current.as_ref().is_some_and(|f| f.ptr_eq(&flight)) {
            *current = None;
        }
    });
    result
}

async fn refresh_once() -> Result<TokenResponse, ApiFailure> {
    let res = send(Method::POST, "/auth/refresh", NO_BODY, None).await?;
    match read::<TokenResponse>(res).await {
        Ok(tokens) => {
            set_token(Some(tokens.access_token.clone()));
            Ok(tokens)
        }
        Err(e) => {
            set_token(None);
            Err(e)
        }
    }
}

/// `POST /auth/logout`: revokes the refresh cookie.
pub async fn logout() -> Result<(), ApiFailure> {
    let res = send(Method::POST, "/auth/logout", NO_BODY, None).await;
    set_token(None);
    read_empty(res?).await
}

/// `GET /me`.
pub async fn me() -> Result<MeResponse, ApiFailure> {
    read(call(Method::GET, "/me", NO_BODY, None).await?).await
}

/// `GET /org-units?parent_id=` (the roots without a parent).
pub async fn list_org_units(parent: Option<OrgUnitId>, page: i64) -> Result<Page<OrgUnitView>, ApiFailure> {
    let mut path = format!("/org-units?per_page=200&page={page}");
    if let Some(p) = parent {
        path.push_str(&format!("&parent_id={p}"));
    }
    read(call(Method::GET, &path, NO_BODY, None).await?).await
}

/// `GET /org-units/{id}`.
pub async fn get_org_unit(id: OrgUnitId) -> Result<OrgUnitDetail, ApiFailure> {
    read(call(Method::GET, &format!("/org-units/{id}"), NO_BODY, None).await?).await
}

/// `POST /org-units`.
pub async fn create_org_unit(req: &CreateOrgUnitRequest) -> Result<OrgUnitView, ApiFailure> {
    read(call(Method::POST, "/org-units", Some(req), None).await?).await
}

/// The query string of a member list (only the parts that are set).
fn member_query(q: &MemberListQuery) -> String {
    let enc = |v: &str| -> String { js_sys::encode_uri_component(v).into() };
    let mut parts = Vec::new();
    if let Some(u) = q.unit_id {
        parts.push(format!("unit_id={u}"));
    }
    for (key, value) in [("q", &q.q), ("status", &q.status), ("gender", &q.gender), ("party_status", &q.party_status)] {
        if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{key}={}", enc(v)));
        }
    }
    if let Some(b) = q.incomplete {
        parts.push(format!("incomplete={b}"));
    }
    for (key, value) in [("turning", q.turning), ("age_min", q.age_min), ("age_max", q.age_max)] {
        if let Some(v) = value {
            parts.push(format!("{key}={v}"));
        }
    }
    for (key, value) in [("page", q.page), ("per_page", q.per_page)] {
        if let Some(v) = value {
            parts.push(format!("{key}={v}"));
        }
    }
    parts.join("&")
}

/// `GET /members?…`: a page of a unit's subtree, searched and filtered.
pub async fn list_members(q: &MemberListQuery) -> Result<Page<MemberSummary>, ApiFailure> {
    read(call(Method::GET, &format!("/members?{}", member_query(q)), NO_BODY, None).await?).await
}

/// A file's bytes, or the problem the server answered with.
async fn read_bytes(res: Response) -> Result<Vec<u8>, ApiFailure> {
    if res.ok() {
        res.binary().await.map_err(|e| ApiFailure::Network(e.to_string()))
    } else {
        read::<serde_json::Value>(res).await.map(|_| Vec::new())
    }
}

/// `GET /members/export?…&format=`: the filtered list as `csv` or `xlsx` bytes.
pub async fn export_members(q: &MemberListQuery, format: &str) -> Result<Vec<u8>, ApiFailure> {
    let mut all = q.clone();
    (all.page, all.per_page) = (None, None);
    read_bytes(
        call(Method::GET, &format!("/members/export?{}&format={format}", member_query(&all)), NO_BODY, None).await?,
    )
    .await
}

/// `GET /imports/template.{format}`.
pub async fn import_template(format: &str) -> Result<Vec<u8>, ApiFailure> {
    read_bytes(call(Method::GET, &format!("/imports/template.{format}"), NO_BODY, None).await?).await
}

/// `POST /imports?unit_id=&mode=&file_name=` with the file as the body.
pub async fn start_import(
    unit: OrgUnitId,
    mode: ImportMode,
    file: &web_sys::File,
) -> Result<ImportJobView, ApiFailure> {
    let name: String = js_sys::encode_uri_component(&file.name()).into();
    let path = format!("/imports?unit_id={unit}&mode={}&file_name={name}", mode.as_str());
    read(post_file(&path, file).await?).await
}

/// `POST /programmes/{id}/registrations/import?unit_id=&mode=&file_name=` with the sheet as the body.
pub async fn import_registrations(
    programme: i64,
    unit: OrgUnitId,
    mode: ImportMode,
    file: &web_sys::File,
) -> Result<ImportJobView, ApiFailure> {
    let name: String = js_sys::encode_uri_component(&file.name()).into();
    let path =
        format!("/programmes/{programme}/registrations/import?unit_id={unit}&mode={}&file_name={name}", mode.as_str());
    read(post_file(&path, file).await?).await
}

/// POSTs a file as the body, renewing the session once on a 401 as `call` does.
async fn post_file(path: &str, file: &web_sys::File) -> Result<Response, ApiFailure> {
    let res = send_body::<()>(Method::POST, path, Body::File(file), None).await?;
    if res.status() == 401 && may_have_session() && refresh().await.is_ok() {
        return send_body::<()>(Method::POST, path, Body::File(file), None).await;
    }
    Ok(res)
}

/// `POST /programme-registrations/{id}/progress/{entry}/evidence` with a photo or PDF as the body.
pub async fn attach_evidence_file(id: i64, entry: i64, file: &web_sys::File) -> Result<RegistrationView, ApiFailure> {
    let name: String = js_sys::encode_uri_component(&file.name()).into();
    read(post_file(&format!("/programme-registrations/{id}/progress/{entry}/evidence?file_name={name}"), file).await?)
        .await
}

/// `POST /programme-registrations/{id}/progress/{entry}/evidence` with a link.
pub async fn attach_evidence_link(id: i64, entry: i64, url: &str) -> Result<RegistrationView, ApiFailure> {
    let form = EvidenceLinkForm { url: url.to_owned() };
    read(
        call(Method::POST, &format!("/programme-registrations/{id}/progress/{entry}/evidence"), Some(&form), None)
            .await?,
    )
    .await
}

/// `GET /programme-evidence/{id}`: a photo's or PDF's bytes.
pub async fn evidence_file(id: i64) -> Result<Vec<u8>, ApiFailure> {
    read_bytes(call(Method::GET, &format!("/programme-evidence/{id}"), NO_BODY, None).await?).await
}

/// `GET /programmes/{id}/registrations/export?unit_id=`: a subtree's registrations as `.xlsx` bytes.
pub async fn export_programme_registrations(id: i64, unit: OrgUnitId) -> Result<Vec<u8>, ApiFailure> {
    read_bytes(
        call(Method::GET, &format!("/programmes/{id}/registrations/export?unit_id={unit}"), NO_BODY, None).await?,
    )
    .await
}

/// `GET /imports/{id}`.
pub async fn get_import(id: i64) -> Result<ImportJobView, ApiFailure> {
    read(call(Method::GET, &format!("/imports/{id}"), NO_BODY, None).await?).await
}

/// `GET /imports?unit_id=`.
pub async fn list_imports(unit: OrgUnitId) -> Result<Vec<ImportJobView>, ApiFailure> {
    read_list(&format!("/imports?unit_id={unit}")).await
}

/// `GET /org-units?q=&kind=`: live units by name or code.
pub async fn search_org_units(q: &str, kinds: &str) -> Result<Page<OrgUnitView>, ApiFailure> {
    let q: String = js_sys::encode_uri_component(q).into();
    read(call(Method::GET, &format!("/org-units?q={q}&kind={kinds}&per_page=20"), NO_BODY, None).await?).await
}

/// `POST /transfers`.
pub async fn create_transfer(req: &CreateTransferRequest) -> Result<TransferView, ApiFailure> {
    read(call(Method::POST, "/transfers", Some(req), None).await?).await
}

/// `GET /transfers?unit_id=&direction=&open=`.
pub async fn list_transfers(unit: OrgUnitId, direction: &str, open: bool) -> Result<Vec<TransferView>, ApiFailure> {
    read_list(&format!("/transfers?unit_id={unit}&direction={direction}&open={open}")).await
}

/// `GET /transfers?member_id=`.
pub async fn member_transfers(member: MemberId) -> Result<Vec<TransferView>, ApiFailure> {
    read_list(&format!("/transfers?member_id={member}")).await
}

/// `POST /transfers/{id}/transitions` with `If-Match`.
pub async fn transition_transfer(
    id: i64,
    version: i64,
    req: &TransferTransitionRequest,
) -> Result<TransferView, ApiFailure> {
    read(call(Method::POST, &format!("/transfers/{id}/transitions"), Some(req), Some(version)).await?).await
}

/// `POST /members/{id}/merge` with `If-Match`: folds `duplicate` into `id`.
pub async fn merge_members(id: MemberId, version: i64, duplicate: MemberId) -> Result<MemberView, ApiFailure> {
    let req = MergeMembersRequest { duplicate_id: Some(duplicate) };
    read(call(Method::POST, &format!("/members/{id}/merge"), Some(&req), Some(version)).await?).await
}

/// `POST /org-units/{id}/dissolve` with `If-Match`.
pub async fn dissolve_org_unit(
    id: OrgUnitId,
    version: i64,
    req: &shared::api::org_units::DissolveOrgUnitRequest,
) -> Result<OrgUnitView, ApiFailure> {
    read(call(Method::POST, &format!("/org-units/{id}/dissolve"), Some(req), Some(version)).await?).await
}

/// `GET /members/{id}/placements`.
pub async fn member_placements(id: MemberId) -> Result<Vec<PlacementView>, ApiFailure> {
    read_list(&format!("/members/{id}/placements")).await
}

/// Hands bytes to the browser as a file to save.
pub fn save_file(name: &str, mime: &str, bytes: &[u8]) -> Result<(), ApiFailure> {
    use wasm_bindgen::JsCast;
    let fail = |e: wasm_bindgen::JsValue| ApiFailure::Network(format!("{e:?}"));
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document =
        web_sys::window().and_then(|w| w.document()).ok_or_else(|| ApiFailure::Network("no document".into()))?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").map_err(fail)?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    web_sys::Url::revoke_object_url(&url).map_err(fail)
}

/// `GET /members/{id}`.
pub async fn get_member(id: MemberId) -> Result<MemberView, ApiFailure> {
    read(call(Method::GET, &format!("/members/{id}"), NO_BODY, None).await?).await
}

/// `POST /members`.
pub async fn create_member(req: &CreateMemberRequest) -> Result<MemberView, ApiFailure> {
    read(call(Method::POST, "/members", Some(req), None).await?).await
}

/// `PATCH /members/{id}` with `If-Match`.
pub async fn update_member(id: MemberId, version: i64, req: &UpdateMemberRequest) -> Result<MemberView, ApiFailure> {
    read(call(Method::PATCH, &format!("/members/{id}"), Some(req), Some(version)).await?).await
}

/// `POST /members/{id}/transitions` with `If-Match`.
pub async fn transition_member(
    id: MemberId,
    version: i64,
    req: &MemberTransitionRequest,
) -> Result<MemberView, ApiFailure> {
    read(call(Method::POST, &format!("/members/{id}/transitions"), Some(req), Some(version)).await?).await
}

/// `GET /members/{id}/transitions`.
pub async fn member_transitions(id: MemberId) -> Result<Vec<MemberTransitionView>, ApiFailure> {
    read_list(&format!("/members/{id}/transitions")).await
}

/// `GET /positions?unit_id=` (the current committee).
pub async fn list_positions(unit: OrgUnitId) -> Result<Vec<PositionView>, ApiFailure> {
    read_list(&format!("/positions?unit_id={unit}")).await
}

/// `GET /role-assignments?org_unit_id=`.
pub async fn list_role_assignments(unit: OrgUnitId) -> Result<Page<RoleAssignmentView>, ApiFailure> {
    read(call(Method::GET, &format!("/role-assignments?org_unit_id={unit}&per_page=200"), NO_BODY, None).await?).await
}

/// `POST /role-assignments`.
pub async fn create_role_assignment(req: &CreateRoleAssignmentRequest) -> Result<RoleAssignmentView, ApiFailure> {
    read(call(Method::POST, "/role-assignments", Some(req), None).await?).await
}

/// `DELETE /role-assignments/{id}`.
pub async fn delete_role_assignment(id: RoleAssignmentId) -> Result<(), ApiFailure> {
    read_empty(call(Method::DELETE, &format!("/role-assignments/{id}"), NO_BODY, None).await?).await
}

/// `GET /admissions`: the caller's own applications (a youth has one or two).
pub async fn my_admissions() -> Result<Vec<AdmissionView>, ApiFailure> {
    let page: Page<AdmissionView> = read(call(Method::GET, "/admissions", NO_BODY, None).await?).await?;
    Ok(page.items)
}

/// `POST /admissions`: a new draft.
pub async fn create_admission(form: &ApplicationForm) -> Result<AdmissionView, ApiFailure> {
    read(call(Method::POST, "/admissions", Some(form), None).await?).await
}

/// `GET /audit?unit_id=&page=&per_page=`: a unit's audit trail, newest first.
pub async fn audit_trail(
    unit: OrgUnitId,
    page: i64,
    per_page: i64,
) -> Result<Page<shared::api::audit::AuditEntryView>, ApiFailure> {
    read(call(Method::GET, &format!("/audit?unit_id={unit}&page={page}&per_page={per_page}"), NO_BODY, None).await?)
        .await
}

/// `GET /admissions/{id}`: a whole case (form, class result, vote, timeline).
pub async fn get_admission(id: i64) -> Result<AdmissionView, ApiFailure> {
    read(call(Method::GET, &format!("/admissions/{id}"), NO_BODY, None).await?).await
}

/// `PATCH /admissions/{id}` with `If-Match`: rewrite a draft.
pub async fn update_admission(id: i64, version: i64, form: &ApplicationForm) -> Result<AdmissionView, ApiFailure> {
    read(call(Method::PATCH, &format!("/admissions/{id}"), Some(form), Some(version)).await?).await
}

/// `POST /admissions/{id}/transitions` with `If-Match`.
pub async fn transition_admission(
    id: i64,
    version: i64,
    req: &AdmissionTransitionRequest,
) -> Result<AdmissionView, ApiFailure> {
    read(call(Method::POST, &format!("/admissions/{id}/transitions"), Some(req), Some(version)).await?).await
}

/// `GET /admissions/inbox`: a page of the cases waiting for the caller, after `after` (a `next`).
pub async fn admissions_inbox(after: Option<String>) -> Result<AdmissionInbox, ApiFailure> {
    let path = match after {
        Some(a) => format!("/admissions/inbox?after={}", String::from(js_sys::encode_uri_component(&a))),
        None => "/admissions/inbox".to_owned(),
    };
    read(call(Method::GET, &path, NO_BODY, None).await?).await
}

/// `GET /admissions/introducers?q=`: a member by phone or card number.
pub async fn find_introducer(q: &str) -> Result<IntroducerView, ApiFailure> {
    let q: String = js_sys::encode_uri_component(q).into();
    read(call(Method::GET, &format!("/admissions/introducers?q={q}"), NO_BODY, None).await?).await
}

/// `GET /classes?open=true`: classes taking enrolments today.
pub async fn open_classes() -> Result<Vec<shared::api::classes::ClassView>, ApiFailure> {
    read_list("/classes?open=true").await
}

/// `GET /classes?unit_id=`: classes of a unit's subtree.
pub async fn unit_classes(unit: OrgUnitId) -> Result<Vec<shared::api::classes::ClassView>, ApiFailure> {
    read_list(&format!("/classes?unit_id={unit}")).await
}

/// `POST /classes`.
/// `PUT /classes/{id}`: changes a class (its sessions keep their ids).
pub async fn update_class(
    id: i64,
    version: i64,
    req: &shared::api::classes::CreateClassRequest,
) -> Result<shared::api::classes::ClassView, ApiFailure> {
    read(call(Method::PUT, &format!("/classes/{id}"), Some(req), Some(version)).await?).await
}

pub async fn create_class(
    req: &shared::api::classes::CreateClassRequest,
) -> Result<shared::api::classes::ClassView, ApiFailure> {
    read(call(Method::POST, "/classes", Some(req), None).await?).await
}

/// `GET /classes/{id}`.
pub async fn get_class(id: i64) -> Result<shared::api::classes::ClassView, ApiFailure> {
    read(call(Method::GET, &format!("/classes/{id}"), NO_BODY, None).await?).await
}

/// `POST /classes/{id}/enrollments` with an empty body: enrol oneself.
pub async fn enroll_self(class: i64) -> Result<shared::api::classes::EnrollmentView, ApiFailure> {
    let req = shared::api::classes::EnrollRequest::default();
    read(call(Method::POST, &format!("/classes/{class}/enrollments"), Some(&req), None).await?).await
}

/// `DELETE /classes/{id}/enrollments/{enrollment}`.
pub async fn cancel_enrollment(
    class: i64,
    enrollment: i64,
) -> Result<shared::api::classes::EnrollmentView, ApiFailure> {
    read(call(Method::DELETE, &format!("/classes/{class}/enrollments/{enrollment}"), NO_BODY, None).await?).await
}

/// `GET /classes/{id}/enrollments`: the roster.
pub async fn class_roster(class: i64) -> Result<Vec<shared::api::classes::EnrollmentView>, ApiFailure> {
    read_list(&format!("/classes/{class}/enrollments")).await
}

/// `GET /classes/{id}/enrollments/{enrollment}`.
pub async fn get_enrollment(class: i64, enrollment: i64) -> Result<shared::api::classes::EnrollmentView, ApiFailure> {
    read(call(Method::GET, &format!("/classes/{class}/enrollments/{enrollment}"), NO_BODY, None).await?).await
}

/// `PUT /classes/{id}/sessions/{session}/attendance`.
pub async fn set_attendance(
    class: i64,
    session: i64,
    present: Vec<i64>,
) -> Result<Vec<shared::api::classes::EnrollmentView>, ApiFailure> {
    let req = shared::api::classes::AttendanceRequest { present };
    read(call(Method::PUT, &format!("/classes/{class}/sessions/{session}/attendance"), Some(&req), None).await?).await
}

/// `POST /classes/{id}/sessions/{session}/checkin-links`.
pub async fn checkin_link(class: i64, session: i64) -> Result<shared::api::classes::CheckinLink, ApiFailure> {
    read(call(Method::POST, &format!("/classes/{class}/sessions/{session}/checkin-links"), NO_BODY, None).await?).await
}

/// `POST /classes/{id}/sessions/{session}/checkins`.
pub async fn check_in(
    class: i64,
    session: i64,
    token: &str,
) -> Result<shared::api::classes::EnrollmentView, ApiFailure> {
    let req = shared::api::classes::CheckinRequest { token: token.to_owned() };
    read(call(Method::POST, &format!("/classes/{class}/sessions/{session}/checkins"), Some(&req), None).await?).await
}

/// `PATCH /classes/{id}/enrollments/{enrollment}` with `If-Match`: the result.
pub async fn set_class_result(
    class: i64,
    enrollment: i64,
    version: i64,
    req: &shared::api::classes::ResultRequest,
) -> Result<shared::api::classes::EnrollmentView, ApiFailure> {
    read(call(Method::PATCH, &format!("/classes/{class}/enrollments/{enrollment}"), Some(req), Some(version)).await?)
        .await
}

/// `GET /members/{id}/introductions`: the "1+1" count.
pub async fn introductions(member: MemberId) -> Result<shared::api::admissions::IntroductionCount, ApiFailure> {
    read(call(Method::GET, &format!("/members/{member}/introductions"), NO_BODY, None).await?).await
}

/// `GET /classes/{id}/roster.xlsx`.
pub async fn roster_xlsx(class: i64) -> Result<Vec<u8>, ApiFailure> {
    read_bytes(call(Method::GET, &format!("/classes/{class}/roster.xlsx"), NO_BODY, None).await?).await
}

/// `POST /admissions/batch-approve`: how each case went (`problem` null when approved).
pub async fn batch_approve(
    req: &shared::api::admissions::BatchApproveRequest,
) -> Result<Vec<shared::api::admissions::BatchOutcome>, ApiFailure> {
    read(call(Method::POST, "/admissions/batch-approve", Some(req), None).await?).await
}

/// `GET /admissions/stats`: a unit's admissions in a year against its target, with its units.
pub async fn admission_stats(
    unit: OrgUnitId,
    year: i32,
) -> Result<shared::api::admissions::AdmissionStats, ApiFailure> {
    read(call(Method::GET, &format!("/admissions/stats?unit_id={unit}&year={year}"), NO_BODY, None).await?).await
}

/// `PUT /admissions/targets`: sets a unit's target of new members for a year.
pub async fn set_admission_target(req: &shared::api::admissions::TargetRequest) -> Result<(), ApiFailure> {
    read_empty(call(Method::PUT, "/admissions/targets", Some(req), None).await?).await
}

/// `GET /admissions/inbox/count`: how many cases wait for the caller.
pub async fn admissions_waiting() -> Result<shared::api::admissions::InboxCount, ApiFailure> {
    read(call(Method::GET, "/admissions/inbox/count", NO_BODY, None).await?).await
}

/// `GET /programmes/current`: the caller's branch's programme for this period.
pub async fn current_programme() -> Result<ProgrammeView, ApiFailure> {
    read(call(Method::GET, "/programmes/current", NO_BODY, None).await?).await
}

/// `GET /programmes?unit_id=`: the programmes of a unit's subtree and of the units above it.
pub async fn list_programmes(unit: OrgUnitId) -> Result<Page<ProgrammeView>, ApiFailure> {
    read(call(Method::GET, &format!("/programmes?unit_id={unit}"), NO_BODY, None).await?).await
}

/// `POST /programmes`: publishes a unit's programme.
pub async fn create_programme(form: &ProgrammeForm) -> Result<ProgrammeView, ApiFailure> {
    read(call(Method::POST, "/programmes", Some(form), None).await?).await
}

/// `POST /programmes/{id}/registrations`: the caller's own registration.
pub async fn register_programme(id: i64, form: &RegistrationForm) -> Result<RegistrationView, ApiFailure> {
    read(call(Method::POST, &format!("/programmes/{id}/registrations"), Some(form), None).await?).await
}

/// `GET /programmes/{id}/registrations?unit_id=`: a page of registrations of a unit's subtree.
pub async fn programme_registrations(
    id: i64,
    unit: OrgUnitId,
    page: i64,
) -> Result<Page<RegistrationSummary>, ApiFailure> {
    let path = format!("/programmes/{id}/registrations?unit_id={unit}&page={page}");
    read(call(Method::GET, &path, NO_BODY, None).await?).await
}

/// `GET /programme-registrations/{id}`.
pub async fn get_registration(id: i64) -> Result<RegistrationView, ApiFailure> {
    read(call(Method::GET, &format!("/programme-registrations/{id}"), NO_BODY, None).await?).await
}

/// `POST /programme-registrations/{id}/progress`.
pub async fn record_progress(id: i64, form: &ProgressForm) -> Result<RegistrationView, ApiFailure> {
    read(call(Method::POST, &format!("/programme-registrations/{id}/progress"), Some(form), None).await?).await
}

/// `POST /programme-registrations/{id}/transitions` with `If-Match`: self-assess or evaluate.
pub async fn transition_registration(
    id: i64,
    version: i64,
    req: &RegistrationTransitionRequest,
) -> Result<RegistrationView, ApiFailure> {
    read(call(Method::POST, &format!("/programme-registrations/{id}/transitions"), Some(req), Some(version)).await?)
        .await
}

/// `GET /programmes/stats?unit_id=&year=`: a unit's registration figures.
pub async fn programme_stats(unit: OrgUnitId, year: i32) -> Result<ProgrammeStats, ApiFailure> {
    read(call(Method::GET, &format!("/programmes/stats?unit_id={unit}&year={year}"), NO_BODY, None).await?).await
}

/// `GET /programmes/{id}/unregistered?unit_id=`: a page of the unit's members not registered yet.
pub async fn programme_unregistered(
    id: i64,
    unit: OrgUnitId,
    page: i64,
) -> Result<Page<shared::api::programme_batches::UnregisteredMember>, ApiFailure> {
    let path = format!("/programmes/{id}/unregistered?unit_id={unit}&page={page}");
    read(call(Method::GET, &path, NO_BODY, None).await?).await
}

/// `POST /programmes/{id}/registrations/bulk`: registers the unit's members not registered yet.
pub async fn register_unit(
    id: i64,
    unit: OrgUnitId,
) -> Result<shared::api::programme_batches::BulkRegistrationOutcome, ApiFailure> {
    let body = shared::api::programme_batches::BulkRegistrationRequest { unit_id: Some(unit) };
    read(call(Method::POST, &format!("/programmes/{id}/registrations/bulk"), Some(&body), None).await?).await
}

/// `POST /programmes/{id}/evaluations`: the branch's list evaluated under one decision.
pub async fn evaluate_list(
    id: i64,
    batch: &shared::api::programme_batches::EvaluationBatch,
) -> Result<Vec<shared::api::batch::BatchOutcome>, ApiFailure> {
    read(call(Method::POST, &format!("/programmes/{id}/evaluations"), Some(batch), None).await?).await
}

/// `GET /members/{id}/programme-registrations`: the member book's programme years.
pub async fn member_programme_years(
    id: MemberId,
) -> Result<Vec<shared::api::programmes::MemberProgrammeYear>, ApiFailure> {
    read_list(&format!("/members/{id}/programme-registrations")).await
}

/// `POST /meetings`: plans a meeting or a monthly series.
pub async fn plan_meetings(
    form: &shared::api::meetings::MeetingForm,
) -> Result<shared::api::meetings::PlannedMeetings, ApiFailure> {
    read(call(Method::POST, "/meetings", Some(form), None).await?).await
}

/// `GET /meetings?unit_id=&from=`: a page of the subtree's meetings from a day on.
pub async fn list_meetings(
    unit: OrgUnitId,
    from: chrono::NaiveDate,
    page: i64,
) -> Result<Page<shared::api::meetings::MeetingView>, ApiFailure> {
    read(call(Method::GET, &format!("/meetings?unit_id={unit}&from={from}&page={page}"), NO_BODY, None).await?).await
}

/// `GET /meetings/upcoming`: the caller's coming meetings.
pub async fn upcoming_meetings() -> Result<Vec<shared::api::meetings::MeetingView>, ApiFailure> {
    read_list("/meetings/upcoming").await
}

/// `GET /meetings/{id}/attendance`: the meeting and its sheet.
pub async fn meeting_sheet(id: i64) -> Result<shared::api::meetings::AttendanceSheet, ApiFailure> {
    read(call(Method::GET, &format!("/meetings/{id}/attendance"), NO_BODY, None).await?).await
}

/// `PUT /meetings/{id}/attendance` with `If-Match`.
pub async fn save_meeting_sheet(
    id: i64,
    version: i64,
    form: &shared::api::meetings::AttendanceForm,
) -> Result<shared::api::meetings::AttendanceSheet, ApiFailure> {
    read(call(Method::PUT, &format!("/meetings/{id}/attendance"), Some(form), Some(version)).await?).await
}

/// `PATCH /meetings/{id}` with `If-Match`.
pub async fn update_meeting(
    id: i64,
    version: i64,
    patch: &shared::api::meetings::MeetingPatch,
) -> Result<shared::api::meetings::MeetingView, ApiFailure> {
    read(call(Method::PATCH, &format!("/meetings/{id}"), Some(patch), Some(version)).await?).await
}

/// `POST /meetings/{id}/checkin-links`.
pub async fn meeting_checkin_link(id: i64) -> Result<shared::api::classes::CheckinLink, ApiFailure> {
    read(call(Method::POST, &format!("/meetings/{id}/checkin-links"), NO_BODY, None).await?).await
}

/// `POST /meetings/{id}/checkins`.
pub async fn meeting_check_in(id: i64, token: &str) -> Result<shared::api::meetings::AttendanceLine, ApiFailure> {
    let req = shared::api::classes::CheckinRequest { token: token.to_owned() };
    read(call(Method::POST, &format!("/meetings/{id}/checkins"), Some(&req), None).await?).await
}

/// `GET /members/{id}/participation`: this period's.
pub async fn participation(id: MemberId) -> Result<shared::api::meetings::Participation, ApiFailure> {
    read(call(Method::GET, &format!("/members/{id}/participation"), NO_BODY, None).await?).await
}

/// `GET /meetings/stats?unit_id=&month=`.
pub async fn meeting_stats(unit: OrgUnitId, month: &str) -> Result<shared::api::meetings::MeetingStats, ApiFailure> {
    read(call(Method::GET, &format!("/meetings/stats?unit_id={unit}&month={month}"), NO_BODY, None).await?).await
}

/// `GET /meetings/missing?unit_id=&month=&level=`.
pub async fn meetings_missing(
    unit: OrgUnitId,
    month: &str,
    level: &str,
    page: i64,
) -> Result<Page<shared::api::meetings::UnitGap>, ApiFailure> {
    let path = format!("/meetings/missing?unit_id={unit}&month={month}&level={level}&page={page}");
    read(call(Method::GET, &path, NO_BODY, None).await?).await
}

/// `GET /removal-candidates?unit_id=&year=&status=`: a page of the removal list.
pub async fn removal_candidates(
    unit: OrgUnitId,
    year: i32,
    status: &str,
    page: i64,
) -> Result<Page<shared::api::removals::RemovalCandidateView>, ApiFailure> {
    let path = format!("/removal-candidates?unit_id={unit}&year={year}&status={status}&page={page}");
    read(call(Method::GET, &path, NO_BODY, None).await?).await
}

/// `POST /removal-candidates/{id}/transitions` with `If-Match`: remove or dismiss.
pub async fn decide_candidate(
    id: i64,
    version: i64,
    req: &shared::api::removals::CandidateTransitionRequest,
) -> Result<shared::api::removals::RemovalCandidateView, ApiFailure> {
    read(call(Method::POST, &format!("/removal-candidates/{id}/transitions"), Some(req), Some(version)).await?).await
}

// Dues (đoàn phí).

/// `GET /dues/roll?unit_id=&month=`: a page of the unit's live members with their rate for the
/// month and whether they paid it.
pub async fn dues_roll(
    unit: OrgUnitId,
    month: &str,
    page: i64,
) -> Result<Page<shared::api::dues::DuesRollLine>, ApiFailure> {
    let path = format!("/dues/roll?unit_id={unit}&month={month}&per_page=200&page={page}");
    read(call(Method::GET, &path, NO_BODY, None).await?).await
}

/// `POST /dues/payments/bulk`: the month's collection of the members listed.
pub async fn collect_dues(
    form: &shared::api::dues::DuesCollectionForm,
) -> Result<Vec<shared::api::batch::BatchOutcome>, ApiFailure> {
    read(call(Method::POST, "/dues/payments/bulk", Some(form), None).await?).await
}

/// `GET /dues/months?unit_id=&year=`: a unit's collection per month.
pub async fn dues_months(unit: OrgUnitId, year: i32) -> Result<shared::api::dues::DuesUnitYear, ApiFailure> {
    read(call(Method::GET, &format!("/dues/months?unit_id={unit}&year={year}"), NO_BODY, None).await?).await
}

/// `GET /dues/members/{id}/summary?year=`: a member's year of dues.
pub async fn dues_summary(id: MemberId, year: i32) -> Result<shared::api::dues::DuesMemberSummary, ApiFailure> {
    read(call(Method::GET, &format!("/dues/members/{id}/summary?year={year}"), NO_BODY, None).await?).await
}

// Ratings (đánh giá, xếp loại).

/// `GET /rating-periods?unit_id=`: the periods covering a unit, latest year first.
pub async fn rating_periods(unit: OrgUnitId) -> Result<Vec<shared::api::ratings::RatingPeriodView>, ApiFailure> {
    read_list(&format!("/rating-periods?unit_id={unit}")).await
}

/// `POST /rating-periods`: opens a grassroots unit's period for a year.
pub async fn open_rating_period(
    form: &shared::api::ratings::RatingPeriodForm,
) -> Result<shared::api::ratings::RatingPeriodView, ApiFailure> {
    read(call(Method::POST, "/rating-periods", Some(form), None).await?).await
}

/// `GET /ratings?period_id=&unit_id=`: a period's list under a unit (the first 200, by name).
pub async fn period_ratings(period: i64, unit: OrgUnitId) -> Result<Vec<shared::api::ratings::RatingView>, ApiFailure> {
    read_list(&format!("/ratings?period_id={period}&unit_id={unit}")).await
}

/// `GET /ratings?unit_id=&year=&pending=true`: a page of the subtree's members not rated yet.
pub async fn pending_ratings(
    unit: OrgUnitId,
    year: i32,
    page: i64,
) -> Result<Page<shared::api::ratings::RatingView>, ApiFailure> {
    let path = format!("/ratings?unit_id={unit}&year={year}&pending=true&page={page}");
    read(call(Method::GET, &path, NO_BODY, None).await?).await
}

/// `GET /ratings/mine`: the caller's ratings not confirmed yet.
pub async fn my_ratings() -> Result<Vec<shared::api::ratings::RatingView>, ApiFailure> {
    read_list("/ratings/mine").await
}

/// `GET /ratings/{id}`.
pub async fn get_rating(id: i64) -> Result<shared::api::ratings::RatingView, ApiFailure> {
    read(call(Method::GET, &format!("/ratings/{id}"), NO_BODY, None).await?).await
}

/// `POST /ratings/{id}/transitions` with `If-Match`.
pub async fn transition_rating(
    id: i64,
    version: i64,
    req: &shared::api::ratings::RatingTransitionRequest,
) -> Result<shared::api::ratings::RatingView, ApiFailure> {
    read(call(Method::POST, &format!("/ratings/{id}/transitions"), Some(req), Some(version)).await?).await
}

/// `POST /rating-periods/{id}/proposals`: the branch's list after its meeting, one decision.
pub async fn propose_ratings(
    period: i64,
    batch: &shared::api::ratings::ProposalBatch,
) -> Result<Vec<shared::api::batch::BatchOutcome>, ApiFailure> {
    read(call(Method::POST, &format!("/rating-periods/{period}/proposals"), Some(batch), None).await?).await
}

/// `POST /rating-periods/{id}/confirmations`: the grassroots unit's decision over a list.
pub async fn confirm_ratings(
    period: i64,
    batch: &shared::api::ratings::ConfirmationBatch,
) -> Result<shared::api::ratings::ConfirmationOutcome, ApiFailure> {
    read(call(Method::POST, &format!("/rating-periods/{period}/confirmations"), Some(batch), None).await?).await
}

/// `GET /ratings/stats?unit_id=&year=`: a subtree's figures from the counters.
pub async fn rating_stats(unit: OrgUnitId, year: i32) -> Result<shared::api::ratings::RatingStats, ApiFailure> {
    read(call(Method::GET, &format!("/ratings/stats?unit_id={unit}&year={year}"), NO_BODY, None).await?).await
}

/// `GET /members/{id}/ratings`: the member book's years.
pub async fn member_ratings(id: MemberId) -> Result<Vec<shared::api::ratings::MemberRatingYear>, ApiFailure> {
    read_list(&format!("/members/{id}/ratings")).await
}

/// `GET /unit-ratings?unit_id=&year=`: the unit and those directly below, rated or not.
pub async fn unit_ratings(unit: OrgUnitId, year: i32) -> Result<Vec<shared::api::ratings::UnitRatingView>, ApiFailure> {
    read_list(&format!("/unit-ratings?unit_id={unit}&year={year}")).await
}

/// `POST /unit-ratings`: rates a branch or a grassroots unit for a year.
pub async fn rate_unit(
    form: &shared::api::ratings::UnitRatingForm,
) -> Result<shared::api::ratings::UnitRatingView, ApiFailure> {
    read(call(Method::POST, "/unit-ratings", Some(form), None).await?).await
}

/// `POST /ratings/import?unit_id=&mode=&file_name=`: earlier years' ratings from a sheet.
pub async fn import_rating_history(
    unit: OrgUnitId,
    mode: ImportMode,
    file: &web_sys::File,
) -> Result<ImportJobView, ApiFailure> {
    let name: String = js_sys::encode_uri_component(&file.name()).into();
    read(post_file(&format!("/ratings/import?unit_id={unit}&mode={}&file_name={name}", mode.as_str()), file).await?)
        .await
}
