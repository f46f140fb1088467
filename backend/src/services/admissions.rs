//! Admission applications through their pipeline (`shared::api::admissions`): the applicant
//! writes and submits; the branch's cadres start the training and record the branch vote; the
//! unit directly above approves and records the ceremony, which creates the member record and
//! makes the applicant's account a member account. Every step checks the actor, the state and the
//! version, lands on the timeline and in the audit trail.

use super::{audit, members, stored, utc};
use crate::auth::AuthUser;
use crate::db::admissions::{AdmissionFormPatch, AdmissionRow, AdmissionStepPatch, NewAdmissionRow, NewEventRow};
use crate::db::{self, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use crate::throttle::LookupThrottle;
use chrono::NaiveDate;
use shared::api::admissions::{
    Actor, AdmissionAction, AdmissionCard, AdmissionEvent, AdmissionInbox, AdmissionState, AdmissionView,
    ApplicationForm, BatchOutcome, InboxCursor, IntroducerKey, IntroducerView, ValidAdmissionTransition,
};
use shared::api::classes::{ClassKind, ClassResult, EssayStatus};
use shared::api::members::{check_joining_age, CreateMemberRequest};
use shared::ids::{MemberId, OrgUnitId, UserId};
use shared::org::OrgKind;
use shared::roles::Capability;
use shared::text;
use shared::values::age_on;
use shared::ConflictCode;
use shared::FieldErrorCode;

fn state_of(row: &AdmissionRow) -> Result<AdmissionState, ApiError> {
    stored(AdmissionState::parse(&row.state), "admissions.state", &row.state)
}

fn form_of(row: &AdmissionRow) -> ApplicationForm {
    serde_json::from_str(&row.form).unwrap_or_default()
}

/// The path of the unit directly above the branch at `path`.
fn parent_path(path: &str) -> Option<String> {
    let ids = db::org_units::path_ids(path);
    (ids.len() > 1)
        .then(|| format!("/{}/", ids[..ids.len() - 1].iter().map(i64::to_string).collect::<Vec<_>>().join("/")))
}

/// Whether the caller is the given actor for an application by `applicant` to the branch at `branch_path`.
fn is_actor(user: &AuthUser, applicant: i64, branch_path: Option<&str>, actor: Actor) -> bool {
    let manages = |path: Option<&str>| path.is_some_and(|p| scope::require(user, Capability::ManageMembers, p).is_ok());
    match actor {
        Actor::Applicant => applicant == user.id.0,
        Actor::BranchCadre => manages(branch_path),
        Actor::HigherCadre => manages(branch_path.and_then(parent_path).as_deref()),
    }
}

/// Whether the caller is the given actor for this application.
fn is(user: &AuthUser, row: &AdmissionRow, actor: Actor) -> bool {
    is_actor(user, row.user_id, row.unit_path.as_deref(), actor)
}

/// Whether the caller may take a step as `actor` on an application by `applicant`: only the
/// applicant's own steps are theirs on their own case, though they hold the role (`scope::not_about_self`).
fn own_case_allows(user: &AuthUser, applicant: i64, actor: Actor) -> Result<(), ApiError> {
    match actor {
        Actor::Applicant => Ok(()),
        Actor::BranchCadre | Actor::HigherCadre => scope::not_about_self(user, Some(UserId(applicant))),
    }
}

/// What the caller may do next with an application in `state`.
fn allowed_for(
    user: &AuthUser,
    applicant: i64,
    branch_path: Option<&str>,
    state: AdmissionState,
) -> Vec<AdmissionAction> {
    AdmissionAction::ALL
        .into_iter()
        .filter(|a| {
            a.target(state).is_some()
                && is_actor(user, applicant, branch_path, a.actor(state))
                && own_case_allows(user, applicant, a.actor(state)).is_ok()
        })
        .collect()
}

fn allowed(user: &AuthUser, row: &AdmissionRow, state: AdmissionState) -> Vec<AdmissionAction> {
    allowed_for(user, row.user_id, row.unit_path.as_deref(), state)
}

fn may_read(user: &AuthUser, row: &AdmissionRow) -> bool {
    row.user_id == user.id.0
        || row.unit_path.as_deref().is_some_and(|p| scope::require(user, Capability::ReadRecords, p).is_ok())
}

fn view(
    conn: &mut AnyConnection,
    user: &AuthUser,
    row: AdmissionRow,
    today: NaiveDate,
    timeline: bool,
) -> Result<AdmissionView, ApiError> {
    let state = state_of(&row)?;
    let form = form_of(&row);
    let unit_name = match row.unit_id {
        Some(u) => db::org_units::find(conn, u)?.map(|u| u.name).unwrap_or_default(),
        None => String::new(),
    };
    let introducer_name = match row.introducer_member_id {
        Some(m) => db::members::find(conn, m)?.map(|(m, _, _)| m.full_name),
        None => None,
    };
    let class_result = match (row.class_id, row.enrollment_id) {
        (Some(c), Some(e)) => db::classes::find_enrollment(conn, c, e)?.and_then(|e| e.result),
        _ => None,
    };
    let events = if timeline {
        db::admissions::events(conn, row.id)?
            .into_iter()
            .map(|e| {
                let st = |s: &str| stored(AdmissionState::parse(s), "admission_events.state", s);
                Ok(AdmissionEvent {
                    from_state: st(&e.from_state)?,
                    to_state: st(&e.to_state)?,
                    action: e.action,
                    reason: e.reason,
                    actor_name: e.actor_name,
                    at: utc(e.at),
                })
            })
            .collect::<Result<_, ApiError>>()?
    } else {
        vec![]
    };
    let born = row.date_of_birth;
    Ok(AdmissionView {
        id: row.id,
        user_id: UserId(row.user_id),
        state,
        unit_name,
        introducer_name,
        age: born.map_or(0, |b| age_on(b, today)),
        age_at_meeting: born.zip(row.meeting_on).map(|(b, m)| age_on(b, m)),
        class_id: row.class_id,
        class_result,
        meeting_on: row.meeting_on,
        present: row.present,
        votes_for: row.votes_for,
        votes_against: row.votes_against,
        decision_no: row.decision_no.clone(),
        decided_on: row.decided_on,
        signer: row.signer.clone(),
        ceremony_on: row.ceremony_on,
        member_id: row.member_id.map(MemberId),
        submitted_at: row.submitted_at.map(utc),
        updated_at: utc(row.updated_at),
        allowed_actions: allowed(user, &row, state),
        timeline: events,
        version: row.version,
        form,
    })
}

/// The branch an application names: it must exist, be a branch, and not be dissolved.
fn check_branch(
    conn: &mut AnyConnection,
    unit: Option<OrgUnitId>,
) -> Result<Option<db::org_units::OrgUnitRow>, ApiError> {
    let Some(unit) = unit else { return Ok(None) };
    let row = db::org_units::find(conn, unit.0)?.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::NotFound))?;
    if row.dissolved_on.is_some() {
        return Err(ApiError::field("unit_id", FieldErrorCode::Dissolved));
    }
    if OrgKind::parse(&row.kind) != Some(OrgKind::Branch) {
        return Err(ApiError::field("unit_id", FieldErrorCode::NotAllowed));
    }
    Ok(Some(row))
}

fn columns<'a>(
    form: &'a ApplicationForm,
    json: &'a str,
    branch: Option<&'a db::org_units::OrgUnitRow>,
    fallback_name: &'a str,
) -> AdmissionFormPatch<'a> {
    AdmissionFormPatch {
        unit_id: branch.map(|b| b.id),
        unit_path: branch.map(|b| b.path.as_str()),
        form: json,
        full_name: if form.full_name.trim().is_empty() { fallback_name } else { form.full_name.trim() },
        date_of_birth: shared::values::parse_date(&form.date_of_birth).ok(),
        introducer_member_id: form.introducer_member_id.map(|m| m.0),
        introducer_org: form.introducer_org.as_deref().map(str::trim).filter(|o| !o.is_empty()),
    }
}

fn record(
    conn: &mut AnyConnection,
    user: &AuthUser,
    row: &AdmissionRow,
    action: &str,
    to: AdmissionState,
) -> Result<(), ApiError> {
    let unit = row.unit_id.zip(row.unit_path.as_deref()).map(|(id, path)| audit::Unit { id, path });
    let after = serde_json::json!({ "state": to.as_str(), "applicant": row.full_name });
    audit::record::<(), _>(
        conn,
        audit::Change {
            actor: Some(user.id),
            action: &format!("admission.{action}"),
            entity_type: "admission",
            entity_id: row.id,
            unit,
            before: None,
            after: Some(&after),
        },
    )
}

/// Starts an application (a draft) for the signed-in youth.
pub fn create(
    conn: &mut AnyConnection,
    user: &AuthUser,
    form: ApplicationForm,
    today: NaiveDate,
) -> Result<AdmissionView, ApiError> {
    let id = db::write(conn, |conn| {
        if db::members::id_for_user(conn, user.id.0)?.is_some() {
            return Err(ApiError::conflict(ConflictCode::AccountIsMember));
        }
        if db::admissions::open_for_user(conn, user.id.0)?.is_some() {
            return Err(ApiError::conflict(ConflictCode::ApplicationUnderWay));
        }
        let branch = check_branch(conn, form.unit_id)?;
        let json = serde_json::to_string(&form).map_err(|e| ApiError::Internal(e.into()))?;
        let now = db::now();
        let id = db::admissions::insert(
            conn,
            &NewAdmissionRow {
                user_id: user.id.0,
                state: AdmissionState::Draft.as_str(),
                created_at: now,
                updated_at: now,
                fields: columns(&form, &json, branch.as_ref(), &user.full_name),
            },
        )?;
        Ok(id)
    })?;
    get(conn, user, id, today)
}

/// Rewrites a draft (the applicant's own, with `If-Match`); a submitted application is 403.
pub fn update(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    expected_version: i64,
    form: ApplicationForm,
    today: NaiveDate,
) -> Result<AdmissionView, ApiError> {
    db::write(conn, |conn| {
        let row = db::admissions::find(conn, id)?.ok_or(ApiError::NotFound("admission"))?;
        if !may_read(user, &row) {
            return Err(ApiError::NotFound("admission"));
        }
        if row.user_id != user.id.0 || state_of(&row)? != AdmissionState::Draft {
            return Err(ApiError::Forbidden);
        }
        if row.version != expected_version {
            return Err(ApiError::PreconditionFailed);
        }
        let branch = check_branch(conn, form.unit_id)?;
        let json = serde_json::to_string(&form).map_err(|e| ApiError::Internal(e.into()))?;
        if !db::admissions::update_form(
            conn,
            id,
            expected_version,
            &columns(&form, &json, branch.as_ref(), &user.full_name),
            db::now(),
        )? {
            return Err(ApiError::PreconditionFailed);
        }
        Ok(())
    })?;
    get(conn, user, id, today)
}

/// One application with its timeline: for the applicant and the cadres and leaders of its branch.
pub fn get(conn: &mut AnyConnection, user: &AuthUser, id: i64, today: NaiveDate) -> Result<AdmissionView, ApiError> {
    let row = db::admissions::find(conn, id)?.ok_or(ApiError::NotFound("admission"))?;
    if !may_read(user, &row) {
        return Err(ApiError::NotFound("admission"));
    }
    view(conn, user, row, today, true)
}

/// A unit's list of applications, in any state (filters: state, year started, name), or without a
/// unit the caller's own; a page of whole applications, newest first.
pub struct ListFilter {
    /// The unit whose subtree is listed; `None` for the caller's own applications.
    pub unit_id: Option<i64>,
    /// Only this state.
    pub state: Option<AdmissionState>,
    /// Only cases started in this year.
    pub year: Option<i32>,
    /// A name, matched without diacritics.
    pub name: Option<String>,
}

/// Lists applications (see `ListFilter`). A unit outside the caller's subtree is 404.
pub fn list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    filter: &ListFilter,
    paging: shared::api::page::Paging,
    today: NaiveDate,
) -> Result<shared::api::Page<AdmissionView>, ApiError> {
    let Some(unit_id) = filter.unit_id else {
        let mine = db::admissions::of_user(conn, user.id.0)?;
        let total = mine.len() as i64;
        let page = mine.into_iter().skip(paging.offset() as usize).take(paging.per_page as usize);
        let items = page.map(|r| view(conn, user, r, today, true)).collect::<Result<_, _>>()?;
        return Ok(paging.wrap(items, total));
    };
    let unit = db::org_units::find(conn, unit_id)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ReadRecords, &unit.path).map_err(|_| ApiError::NotFound("org unit"))?;
    let f = db::admissions::SubtreeFilter {
        path: &unit.path,
        state: filter.state.map(AdmissionState::as_str),
        year: filter.year,
    };
    let (rows, total) = match filter.name.as_deref().map(text::fold).filter(|n| !n.is_empty()) {
        None => db::admissions::of_subtree(conn, &f, paging.offset(), paging.per_page)?,
        Some(name) => {
            let found: Vec<AdmissionRow> = db::admissions::all_of_subtree(conn, &f)?
                .into_iter()
                .filter(|r| text::fold(&r.full_name).contains(&name))
                .collect();
            let total = found.len() as i64;
            (found.into_iter().skip(paging.offset() as usize).take(paging.per_page as usize).collect(), total)
        }
    };
    let items = rows.into_iter().map(|r| view(conn, user, r, today, true)).collect::<Result<_, _>>()?;
    Ok(paging.wrap(items, total))
}

/// Cases on an inbox page unless the caller asks for another number.
pub const INBOX_PAGE: i64 = 20;
/// The most cases one inbox page holds.
pub const INBOX_MAX: i64 = 50;

/// The roots of the subtrees whose cases the caller acts on (admins: the whole tree).
fn inbox_paths(user: &AuthUser) -> Vec<&str> {
    user.grants
        .iter()
        .filter(|g| g.role.covers(Capability::ManageMembers.min_role()))
        .map(|g| if g.role == shared::roles::Role::Admin { "/" } else { g.unit_path.as_str() })
        .collect()
}

/// The names of the states waiting for `actor`.
fn waiting_names(actor: Actor) -> Vec<&'static str> {
    actor.waiting_states().into_iter().map(AdmissionState::as_str).collect()
}

/// How many cases wait for the caller's next step forward (the home page's count).
pub fn inbox_count(conn: &mut AnyConnection, user: &AuthUser) -> Result<i64, ApiError> {
    let (branch_states, higher_states) = (waiting_names(Actor::BranchCadre), waiting_names(Actor::HigherCadre));
    let paths = inbox_paths(user);
    // A subtree inside another the caller holds is counted with it.
    let roots = paths.iter().filter(|p| !paths.iter().any(|q| q != *p && p.starts_with(q)));
    let mut n = 0;
    for path in roots.collect::<std::collections::BTreeSet<_>>() {
        n += db::admissions::count_waiting(conn, path, &branch_states, &higher_states)?;
    }
    Ok(n)
}

/// The cases waiting for the caller's next step forward across their subtrees, oldest first, a
/// page of `limit` after `after`.
pub fn inbox(
    conn: &mut AnyConnection,
    user: &AuthUser,
    after: Option<InboxCursor>,
    limit: i64,
    today: NaiveDate,
) -> Result<AdmissionInbox, ApiError> {
    let (branch_states, higher_states) = (waiting_names(Actor::BranchCadre), waiting_names(Actor::HigherCadre));
    let after = after.map(|c| (c.updated_at.naive_utc(), c.id));
    let mut rows: Vec<db::admissions::CardRow> = Vec::new();
    for path in inbox_paths(user) {
        let query = db::admissions::InboxQuery {
            path,
            branch_states: &branch_states,
            higher_states: &higher_states,
            // The centre's and a province's subtrees hold most cases: walk them by age.
            walk: db::org_units::path_ids(path).len() <= 2,
            after,
            limit: limit + 1,
        };
        for row in db::admissions::inbox(conn, &query)? {
            if !rows.iter().any(|r| r.id == row.id) {
                rows.push(row);
            }
        }
    }
    rows.sort_by_key(|r| (r.updated_at, r.id));
    let next = (rows.len() as i64 > limit)
        .then(|| {
            rows.get(limit as usize - 1).map(|r| InboxCursor { updated_at: utc(r.updated_at), id: r.id }.to_string())
        })
        .flatten();
    rows.truncate(limit as usize);
    let items = rows.into_iter().map(|r| card(user, r, today)).collect::<Result<_, ApiError>>()?;
    Ok(AdmissionInbox { items, next })
}

fn card(user: &AuthUser, r: db::admissions::CardRow, today: NaiveDate) -> Result<AdmissionCard, ApiError> {
    let state = stored(AdmissionState::parse(&r.state), "admissions.state", &r.state)?;
    Ok(AdmissionCard {
        id: r.id,
        state,
        allowed_actions: allowed_for(user, r.user_id, r.unit_path.as_deref(), state),
        full_name: r.full_name,
        unit_name: r.unit_name.unwrap_or_default(),
        age: r.date_of_birth.map_or(0, |b| age_on(b, today)),
        age_at_meeting: r.date_of_birth.zip(r.meeting_on).map(|(b, m)| age_on(b, m)),
        class_result: r.class_result,
        meeting_on: r.meeting_on,
        present: r.present,
        votes_for: r.votes_for,
        votes_against: r.votes_against,
        introducer: r.introducer_name.or(r.introducer_org),
        updated_at: utc(r.updated_at),
        version: r.version,
    })
}

/// Applies one action (with `If-Match`): the right actor, from the right state, with what it
/// needs. Answers the application's new version.
pub fn decide(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    expected_version: i64,
    t: &ValidAdmissionTransition,
    today: NaiveDate,
) -> Result<i64, ApiError> {
    // Read before taking the write lock: every change bumps the version and the step's UPDATE is
    // guarded by it, so a case changed in between is refused (412) as it would be inside.
    let row = db::admissions::find(conn, id)?.ok_or(ApiError::NotFound("admission"))?;
    db::write(conn, |conn| apply(conn, user, row, expected_version, t, today))
}

fn apply(
    conn: &mut AnyConnection,
    user: &AuthUser,
    row: AdmissionRow,
    expected_version: i64,
    t: &ValidAdmissionTransition,
    today: NaiveDate,
) -> Result<i64, ApiError> {
    if !may_read(user, &row) {
        return Err(ApiError::NotFound("admission"));
    }
    let from = state_of(&row)?;
    let action = t.action();
    if !is(user, &row, action.actor(from)) {
        return Err(ApiError::Forbidden);
    }
    own_case_allows(user, row.user_id, action.actor(from))?;
    // A stale version first: another cadre acted on what the caller saw.
    if row.version != expected_version {
        return Err(ApiError::PreconditionFailed);
    }
    let to = action.target(from).ok_or_else(|| ApiError::InvalidState(from.as_str().to_owned()))?;
    let now = db::now();
    let mut columns = AdmissionStepPatch::default();
    let mut reason: Option<&str> = None;
    let mut then_trained = false;
    match t {
        ValidAdmissionTransition::Submit => {
            let form = form_of(&row);
            let valid = form.validate(today).map_err(ApiError::Validation)?;
            check_branch(conn, Some(valid.unit_id))?;
            if let Some(m) = valid.introducer_member_id {
                let live = db::members::find(conn, m.0)?
                    .is_some_and(|(m, _, _)| m.status == "active" || m.status == "extended");
                if !live {
                    return Err(ApiError::field("introducer_member_id", FieldErrorCode::NotFound));
                }
            }
            columns.submitted_at = Some(now);
        }
        ValidAdmissionTransition::StartTraining { class_id } => {
            let (class, _) = db::classes::find(conn, *class_id)?
                .ok_or_else(|| ApiError::field("class_id", FieldErrorCode::NotFound))?;
            if ClassKind::parse(&class.kind) != Some(ClassKind::Orientation) {
                return Err(ApiError::field("class_id", FieldErrorCode::NotAllowed));
            }
            let enrollment = db::classes::live_enrollment_of(conn, class.id, Some(row.user_id), None)?
                .ok_or_else(|| ApiError::field("class_id", FieldErrorCode::NotAllowed))?;
            then_trained = enrollment.result.as_deref() == Some(ClassResult::Passed.as_str())
                && enrollment.essay == EssayStatus::Accepted.as_str();
            (columns.class_id, columns.enrollment_id) = (Some(class.id), Some(enrollment.id));
        }
        ValidAdmissionTransition::Propose(vote) => {
            let born = row.date_of_birth.ok_or_else(|| ApiError::field("date_of_birth", FieldErrorCode::Required))?;
            check_joining_age(born, vote.meeting_on).map_err(|code| ApiError::field("meeting_on", code))?;
            columns.meeting_on = Some(vote.meeting_on);
            (columns.present, columns.votes_for, columns.votes_against) =
                (Some(vote.present), Some(vote.votes_for), Some(vote.votes_against));
        }
        ValidAdmissionTransition::Approve { decision_no, decided_on, signer } => {
            if row.meeting_on.is_some_and(|m| *decided_on < m) {
                return Err(ApiError::field("decided_on", FieldErrorCode::OutOfRange));
            }
            (columns.decision_no, columns.decided_on, columns.signer) =
                (Some(decision_no.as_str()), Some(*decided_on), Some(signer.as_str()));
        }
        ValidAdmissionTransition::Admit { ceremony_on, card_number } => {
            if row.decided_on.is_some_and(|d| *ceremony_on < d) {
                return Err(ApiError::field("ceremony_on", FieldErrorCode::OutOfRange));
            }
            let member = admit(conn, user, &row, *ceremony_on, card_number.clone(), today)?;
            (columns.ceremony_on, columns.member_id) = (Some(*ceremony_on), Some(member));
        }
        ValidAdmissionTransition::Return { reason: r } | ValidAdmissionTransition::Reject { reason: r } => {
            reason = Some(r)
        }
        ValidAdmissionTransition::Withdraw { reason: r } => reason = r.as_deref(),
    }
    let event = NewEventRow {
        admission_id: row.id,
        action: action.as_str(),
        from_state: from.as_str(),
        to_state: to.as_str(),
        reason,
        actor_user_id: Some(user.id.0),
        at: now,
    };
    if !db::admissions::step(conn, expected_version, to.as_str(), &columns, &event)? {
        return Err(ApiError::PreconditionFailed);
    }
    record(conn, user, &row, action.as_str(), to)?;
    let version = expected_version + 1;
    Ok(match then_trained {
        true => complete_training(conn, user, row.id)?.unwrap_or(version),
        false => version,
    })
}

/// Creates the member record for an approved application and links the applicant's account.
fn admit(
    conn: &mut AnyConnection,
    user: &AuthUser,
    row: &AdmissionRow,
    ceremony_on: NaiveDate,
    card_number: Option<String>,
    today: NaiveDate,
) -> Result<i64, ApiError> {
    let form = form_of(row);
    let account = db::users::find(conn, row.user_id)?.ok_or(ApiError::NotFound("applicant"))?;
    let request = CreateMemberRequest {
        full_name: form.full_name.clone(),
        date_of_birth: form.date_of_birth.clone(),
        gender: form.gender.clone(),
        national_id: form.national_id.clone(),
        phone: form.phone.clone(),
        email: None,
        unit_id: form.unit_id,
        joined_on: ceremony_on.to_string(),
        card_number,
        party_status: None,
        party_joined_on: None,
        login: Some(account.login),
        dues_class: None,
        profile: form.profile.clone(),
    };
    let valid = request.validate(today).map_err(ApiError::Validation)?;
    Ok(members::create_linked(conn, user, valid, today)?.id.0)
}

/// Moves an application in training to `trained` (its orientation class passed, essay accepted);
/// answers its new version when it moved.
pub fn complete_training(
    conn: &mut AnyConnection,
    user: &AuthUser,
    admission_id: i64,
) -> Result<Option<i64>, ApiError> {
    let Some(row) = db::admissions::find(conn, admission_id)? else { return Ok(None) };
    if state_of(&row)? != AdmissionState::InTraining {
        return Ok(None);
    }
    let event = NewEventRow {
        admission_id: row.id,
        action: "complete_training",
        from_state: AdmissionState::InTraining.as_str(),
        to_state: AdmissionState::Trained.as_str(),
        reason: None,
        actor_user_id: Some(user.id.0),
        at: db::now(),
    };
    if !db::admissions::step(
        conn,
        row.version,
        AdmissionState::Trained.as_str(),
        &AdmissionStepPatch::default(),
        &event,
    )? {
        return Err(ApiError::PreconditionFailed);
    }
    record(conn, user, &row, "complete_training", AdmissionState::Trained)?;
    Ok(Some(row.version + 1))
}

/// A live member found by their whole phone or card number, to name as an introducer. Only a
/// caller who may read the member's record sees the full name and branch; anyone else the masked
/// name, and the branch when it is the one their own application is for. A member found is
/// recorded in the audit trail of their unit (who looked them up), a miss in the log.
pub fn find_introducer(
    conn: &mut AnyConnection,
    lookups: &LookupThrottle,
    user: &AuthUser,
    key: &IntroducerKey,
) -> Result<Option<IntroducerView>, ApiError> {
    if let Err(retry_after) = db::write(conn, |conn| lookups.hit(conn, user.id.0, db::now()))? {
        tracing::warn!(caller = user.id.0, "introducer look-ups throttled");
        return Err(ApiError::TooManyRequests { retry_after });
    }
    let (phone, card, by) = match key {
        IntroducerKey::Phone(p) => (Some(p.as_str()), None, "phone"),
        IntroducerKey::Card(c) => (None, Some(c.as_str()), "card_number"),
    };
    let Some((m, unit_name)) = db::members::live_by_phone_or_card(conn, phone, card)? else {
        tracing::info!(caller = user.id.0, by, "introducer look-up found nobody");
        return Ok(None);
    };
    let reader = scope::require(user, Capability::ReadRecords, &m.unit_path).is_ok();
    let applying_there = db::admissions::open_for_user(conn, user.id.0)?.and_then(|a| a.unit_id) == Some(m.unit_id);
    let found = IntroducerView {
        member_id: MemberId(m.id),
        full_name: if reader { m.full_name.clone() } else { shared::text::masked_name(&m.full_name) },
        unit_name: if reader || applying_there { unit_name } else { String::new() },
    };
    tracing::info!(caller = user.id.0, by, member = m.id, "introducer look-up");
    db::write(conn, |conn| {
        let unit = db::org_units::find(conn, m.unit_id)?;
        audit::record(
            conn,
            audit::Change::<(), _> {
                actor: Some(user.id),
                action: "member.lookup_introducer",
                entity_type: "member",
                entity_id: m.id,
                unit: unit.as_ref().map(audit::Unit::of),
                before: None,
                after: Some(&serde_json::json!({ "by": by, "shown": &found })),
            },
        )
    })?;
    Ok(Some(found))
}

/// Approves a branch meeting's list with one decision: each case checked, written and audited on
/// its own (one failing does not stop the others).
pub fn batch_approve(
    conn: &mut AnyConnection,
    user: &AuthUser,
    items: &[(i64, i64)],
    t: &ValidAdmissionTransition,
    today: NaiveDate,
) -> Result<Vec<BatchOutcome>, ApiError> {
    items
        .iter()
        .map(|(id, version)| {
            Ok(match decide(conn, user, *id, *version, t, today) {
                Ok(v) => BatchOutcome { id: *id, version: Some(v), problem: None },
                Err(ApiError::Internal(e)) => return Err(ApiError::Internal(e)),
                Err(e) => BatchOutcome { id: *id, version: None, problem: Some(e.problem(shared::Lang::Vi)) },
            })
        })
        .collect()
}

/// "1+1" for a member: applications naming them as introducer, and how many were admitted.
pub fn introductions(
    conn: &mut AnyConnection,
    user: &AuthUser,
    member: MemberId,
) -> Result<shared::api::admissions::IntroductionCount, ApiError> {
    members::get(conn, user, member)?;
    let (introduced, admitted) = db::admissions::introductions(conn, member.0)?;
    Ok(shared::api::admissions::IntroductionCount { introduced, admitted })
}

/// A unit's admissions in `year` against its target, and the pipeline under way in its subtree,
/// in all and for each unit directly under it.
pub fn stats(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit: OrgUnitId,
    year: i32,
) -> Result<shared::api::admissions::AdmissionStats, ApiError> {
    use shared::api::admissions::UnitAdmissions;
    let row = db::org_units::find(conn, unit.0)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ReadRecords, &row.path)?;
    let (from, until) = NaiveDate::from_ymd_opt(year, 1, 1)
        .zip(NaiveDate::from_ymd_opt(year, 12, 31))
        .ok_or_else(|| ApiError::field("year", FieldErrorCode::OutOfRange))?;
    let mut children = db::org_units::live_children(conn, row.id)?;
    children.sort_by_cached_key(|c| shared::text::fold(&c.name));
    let ids: Vec<i64> = std::iter::once(row.id).chain(children.iter().map(|c| c.id)).collect();
    let targets: std::collections::HashMap<i64, i32> = db::admissions::targets(conn, &ids, year)?.into_iter().collect();
    let mut by_unit: Vec<UnitAdmissions> = children
        .iter()
        .map(|c| UnitAdmissions {
            unit_id: OrgUnitId(c.id),
            name: c.name.clone(),
            target: targets.get(&c.id).copied(),
            admitted: 0,
            in_progress: 0,
        })
        .collect();
    // The child a branch path lies under: the id right after this unit's in the path.
    let depth = db::org_units::path_ids(&row.path).len();
    let child_of = |path: Option<&str>| {
        let id = path.and_then(|p| db::org_units::path_ids(p).get(depth).copied());
        id.and_then(|id| children.iter().position(|c| c.id == id))
    };
    let mut admitted = 0;
    for (path, n) in db::admissions::admitted_between(conn, &row.path, from, until)? {
        admitted += n;
        if let Some(i) = child_of(path.as_deref()) {
            by_unit[i].admitted += n;
        }
    }
    let mut by_state: Vec<(AdmissionState, i64)> = Vec::new();
    for (path, state, n) in db::admissions::under_way(conn, &row.path)? {
        let state = stored(AdmissionState::parse(&state), "admissions.state", &state)?;
        match by_state.iter_mut().find(|(s, _)| *s == state) {
            Some((_, total)) => *total += n,
            None => by_state.push((state, n)),
        }
        if let Some(i) = child_of(path.as_deref()) {
            by_unit[i].in_progress += n;
        }
    }
    by_state.sort_by_key(|(s, _)| AdmissionState::ALL.iter().position(|x| x == s));
    Ok(shared::api::admissions::AdmissionStats {
        unit_id: unit,
        unit_name: row.name.clone(),
        year,
        target: targets.get(&row.id).copied(),
        admitted,
        in_progress: by_state,
        by_unit,
    })
}

/// Sets a unit's admission target for a year (a cadre over the unit).
pub fn set_target(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit: OrgUnitId,
    year: i32,
    target: i32,
) -> Result<(), ApiError> {
    db::write(conn, |conn| {
        let row =
            db::org_units::find(conn, unit.0)?.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::NotFound))?;
        scope::require(user, Capability::ManageUnits, &row.path)?;
        db::admissions::set_target(conn, row.id, year, target, user.id.0, db::now())?;
        let after = serde_json::json!({ "year": year, "target": target });
        audit::record::<(), _>(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: "admission.target",
                entity_type: "org_unit",
                entity_id: row.id,
                unit: Some(audit::Unit::of(&row)),
                before: None,
                after: Some(&after),
            },
        )
    })
}
