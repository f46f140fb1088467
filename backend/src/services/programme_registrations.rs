//! Members' registrations for a programme: the member registers (or a cadre of the member's
//! branch does), changes it while the window is open, records progress, assesses themselves;
//! the branch's cadres evaluate — never a cadre about their own registration
//! (`scope::not_about_self`). Each write keeps the counters of the member's branch and every
//! unit above it (`programme_counts`) in its own transaction, with its audit entry.

use super::programmes::{self as programmes_service, result_counter, EVALUATED, REGISTERED, SELF_ASSESSED};
use super::{audit, stored, utc};
use crate::auth::AuthUser;
use crate::db::programmes::{NewProgressRow, Registering, RegistrationRow, RegistrationStepPatch};
use crate::db::{self, members::MemberRow, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use chrono::NaiveDate;
use shared::api::page::Paging;
use shared::api::programme_files::{EvidenceKind, EvidenceView};
use shared::api::programmes::{
    mean_percent, overall_percent, CommitmentView, ItemDone, ItemLink, MemberProgrammeYear, ProgrammeResult,
    ProgrammeView, ProgressView, RegistrationAction, RegistrationForm, RegistrationItemView, RegistrationState,
    RegistrationSummary, RegistrationView, ValidProgress, ValidRegistrationTransition,
};
use shared::api::Page;
use shared::ids::{MemberId, OrgUnitId, UserId};
use shared::roles::Capability;
use shared::{ConflictCode, FieldErrorCode};
use std::collections::{BTreeMap, HashMap};

pub(crate) fn state_of(row: &RegistrationRow) -> Result<RegistrationState, ApiError> {
    stored(RegistrationState::parse(&row.state), "programme_registrations.state", &row.state)
}

fn result_of(raw: Option<&str>) -> Result<Option<ProgrammeResult>, ApiError> {
    raw.map(|r| stored(ProgrammeResult::parse(r), "programme_registrations.result", r)).transpose()
}

fn member(conn: &mut AnyConnection, id: i64) -> Result<MemberRow, ApiError> {
    Ok(db::members::find(conn, id)?.ok_or(ApiError::NotFound("member"))?.0)
}

fn is_subject(user: &AuthUser, m: &MemberRow) -> bool {
    m.user_id == Some(user.id.0)
}

fn manages(user: &AuthUser, path: &str) -> bool {
    scope::require(user, Capability::ManageMembers, path).is_ok()
}

/// The registration if the caller may read it: the member, or those who read the records of
/// the member's branch at registration (else 404).
pub(crate) fn readable(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
) -> Result<(RegistrationRow, MemberRow), ApiError> {
    let row = db::programmes::find_registration(conn, id)?.ok_or(ApiError::NotFound("registration"))?;
    let m = member(conn, row.member_id)?;
    let reads = scope::require(user, Capability::ReadRecords, &row.unit_path).is_ok()
        || scope::require(user, Capability::ReadRecords, &m.unit_path).is_ok();
    if !is_subject(user, &m) && !reads {
        return Err(ApiError::NotFound("registration"));
    }
    Ok((row, m))
}

/// The member (or a cadre over the member's branch) may change it; anyone else is 403.
fn may_edit(user: &AuthUser, row: &RegistrationRow, m: &MemberRow) -> Result<(), ApiError> {
    match is_subject(user, m) || manages(user, &row.unit_path) {
        true => Ok(()),
        false => Err(ApiError::Forbidden),
    }
}

fn allowed(user: &AuthUser, row: &RegistrationRow, m: &MemberRow, state: RegistrationState) -> Vec<RegistrationAction> {
    let mut out = Vec::new();
    if is_subject(user, m) && RegistrationAction::SelfAssess.allowed_from(state) {
        out.push(RegistrationAction::SelfAssess);
    }
    if manages(user, &row.unit_path) && !scope::is_about_self(user, m.user_id.map(UserId)) {
        out.push(RegistrationAction::Evaluate);
    }
    out
}

fn view(
    conn: &mut AnyConnection,
    user: &AuthUser,
    row: RegistrationRow,
    m: MemberRow,
) -> Result<RegistrationView, ApiError> {
    let programme = db::programmes::find(conn, row.programme_id)?.ok_or(ApiError::NotFound("programme"))?;
    let defs = db::programmes::items(conn, row.programme_id)?;
    let held = db::programmes::held_items(conn, row.id)?;
    let items: Vec<RegistrationItemView> = defs
        .iter()
        .filter_map(|d| {
            held.iter().find(|h| h.item_id == d.id).map(|h| RegistrationItemView {
                item_id: d.id,
                heading_id: d.heading_id,
                title: d.title.clone(),
                required: d.required,
                target: d.target,
                counted: d.counted.clone(),
                fills_from: d.fills_from.clone(),
                done: h.done,
            })
        })
        .collect();
    let headings = db::programmes::headings(conn, row.programme_id)?;
    let commitments = db::programmes::commitments(conn, row.id)?
        .into_iter()
        .map(|(h, text)| CommitmentView {
            heading_id: h,
            heading_title: headings.iter().find(|x| x.id == h).map(|x| x.title.clone()).unwrap_or_default(),
            text,
        })
        .collect();
    let mut evidence = evidence_by_entry(conn, row.id)?;
    let progress = db::programmes::progress(conn, row.id)?
        .into_iter()
        .map(|p| ProgressView {
            id: p.id,
            item_id: p.item_id,
            count: p.count,
            done_on: p.done_on,
            note: p.note,
            at: utc(p.created_at),
            evidence: evidence.remove(&p.id).unwrap_or_default(),
        })
        .collect();
    let unit_name = db::org_units::find(conn, row.unit_id)?.map(|u| u.name).unwrap_or_default();
    let state = state_of(&row)?;
    Ok(RegistrationView {
        id: row.id,
        programme_id: row.programme_id,
        programme_title: programme.title,
        year: row.year,
        member_id: MemberId(m.id),
        member_name: m.full_name.clone(),
        unit_id: OrgUnitId(row.unit_id),
        unit_name,
        state,
        percent: overall_percent(&items),
        items,
        commitments,
        progress,
        self_result: result_of(row.self_result.as_deref())?,
        self_text: row.self_text.clone(),
        result: result_of(row.result.as_deref())?,
        comment: row.comment.clone(),
        evaluated_at: row.evaluated_at.map(utc),
        allowed_actions: allowed(user, &row, &m, state),
        version: row.version,
    })
}

/// A registration's evidence by progress entry, oldest first.
fn evidence_by_entry(conn: &mut AnyConnection, id: i64) -> Result<HashMap<i64, Vec<EvidenceView>>, ApiError> {
    let mut out: HashMap<i64, Vec<EvidenceView>> = HashMap::new();
    for e in db::programme_evidence::of_registration(conn, id)? {
        let view = EvidenceView {
            id: e.id,
            progress_id: e.progress_id,
            kind: stored(EvidenceKind::parse(&e.kind), "programme_evidence.kind", &e.kind)?,
            url: e.url,
            media_type: e.media_type,
            size: e.size,
            file_name: e.file_name,
            sha256: e.sha256,
            at: utc(e.created_at),
        };
        out.entry(e.progress_id).or_default().push(view);
    }
    Ok(out)
}

/// One registration.
pub fn get(conn: &mut AnyConnection, user: &AuthUser, id: i64) -> Result<RegistrationView, ApiError> {
    let (row, m) = readable(conn, user, id)?;
    view(conn, user, row, m)
}

pub(crate) fn record(
    conn: &mut AnyConnection,
    user: &AuthUser,
    row: &RegistrationRow,
    action: &str,
    after: serde_json::Value,
) -> Result<(), ApiError> {
    record_for(conn, user, row.id, audit::Unit { id: row.unit_id, path: &row.unit_path }, action, after)
}

/// The audit entry of a change to registration `id` of a member of `unit`.
pub(super) fn record_for(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    unit: audit::Unit<'_>,
    action: &str,
    after: serde_json::Value,
) -> Result<(), ApiError> {
    audit::record::<(), _>(
        conn,
        audit::Change {
            actor: Some(user.id),
            action,
            entity_type: "programme_registration",
            entity_id: id,
            unit: Some(unit),
            before: None,
            after: Some(&after),
        },
    )
}

/// Refuses a registration for a template (409 `programme_is_template`), or a change outside the
/// registration window (422 naming its end, or its start).
pub(crate) fn check_window(p: &ProgrammeView, today: NaiveDate) -> Result<(), ApiError> {
    if p.template {
        return Err(ApiError::conflict(ConflictCode::ProgrammeIsTemplate));
    }
    if today < p.registration_opens_on {
        return Err(ApiError::field("registration_opens_on", FieldErrorCode::OutOfRange));
    }
    if today > p.registration_closes_on {
        return Err(ApiError::field("registration_closes_on", FieldErrorCode::Expired));
    }
    Ok(())
}

/// The member a registration is for: the caller's own record, or (`member_id`) one a cadre over
/// the member's branch names. The member must be live and under the programme's unit.
fn registrant(
    conn: &mut AnyConnection,
    user: &AuthUser,
    programme_path: &str,
    member_id: Option<MemberId>,
) -> Result<MemberRow, ApiError> {
    let own = db::members::id_for_user(conn, user.id.0)?;
    let m = match member_id {
        Some(id) => {
            db::members::find(conn, id.0)?.ok_or_else(|| ApiError::field("member_id", FieldErrorCode::NotFound))?.0
        }
        None => member(conn, own.ok_or(ApiError::Forbidden)?)?,
    };
    if Some(m.id) != own && !manages(user, &m.unit_path) {
        return Err(ApiError::Forbidden);
    }
    if !m.unit_path.starts_with(programme_path) {
        return Err(ApiError::Forbidden);
    }
    if !db::members::LIVE_STATUSES.contains(&m.status.as_str()) {
        return Err(ApiError::conflict(ConflictCode::MemberNotLive));
    }
    Ok(m)
}

/// Registers a member for a programme (one registration per member and programme) and answers
/// its id (at version 1). What needs no lock is read and checked before the write takes its
/// turn; the write checks again that the member has no registration (the unique key stands
/// behind it).
pub fn register(
    conn: &mut AnyConnection,
    user: &AuthUser,
    programme_id: i64,
    form: &RegistrationForm,
    today: NaiveDate,
) -> Result<i64, ApiError> {
    let row = programmes_service::readable(conn, user, programme_id)?;
    let path = row.unit_path.clone();
    let programme = programmes_service::shape(conn, row, today)?;
    let m = registrant(conn, user, &path, form.member_id)?;
    check_window(&programme, today)?;
    let valid = form.validate(&programme).map_err(ApiError::Validation)?;
    db::write(conn, |conn| {
        if db::programmes::registration_of(conn, programme_id, m.id)?.is_some() {
            return Err(ApiError::conflict(ConflictCode::AlreadyRegistered));
        }
        let mut held = programme.required_ids();
        held.extend(&valid.optional_item_ids);
        let registering = Registering {
            programme_id,
            year: programme.year,
            member: (m.id, m.unit_id, &m.unit_path),
            by: user.id.0,
            held: &held,
        };
        let id = db::programmes::register(conn, &registering, db::now())?;
        db::programmes::set_commitments(conn, id, &valid.commitments)?;
        let line = db::org_units::path_ids(&m.unit_path);
        db::programmes::add_count(conn, &line, programme.year, REGISTERED, 1)?;
        let after = serde_json::json!({ "member": m.full_name, "optional_item_ids": valid.optional_item_ids });
        let unit = audit::Unit { id: m.unit_id, path: &m.unit_path };
        record_for(conn, user, id, unit, "programme_registration.register", after)?;
        Ok::<_, ApiError>(id)
    })
}

/// Changes the optional items and commitments (the member or a cadre over the branch, with
/// `If-Match`, while the window is open and before the evaluation). An item with progress
/// cannot be left out (409 `progress_recorded`).
pub fn update(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    expected: i64,
    form: &RegistrationForm,
    today: NaiveDate,
) -> Result<RegistrationView, ApiError> {
    db::write(conn, |conn| {
        let (row, m) = readable(conn, user, id)?;
        may_edit(user, &row, &m)?;
        if row.version != expected {
            return Err(ApiError::PreconditionFailed);
        }
        if state_of(&row)? == RegistrationState::Evaluated {
            return Err(ApiError::conflict(ConflictCode::RegistrationEvaluated));
        }
        let prog_row = db::programmes::find(conn, row.programme_id)?.ok_or(ApiError::NotFound("programme"))?;
        let programme = programmes_service::shape(conn, prog_row, today)?;
        check_window(&programme, today)?;
        let valid = form.validate(&programme).map_err(ApiError::Validation)?;
        let required = programme.required_ids();
        let held = db::programmes::held_items(conn, id)?;
        let dropped: Vec<_> = held
            .iter()
            .filter(|h| !required.contains(&h.item_id) && !valid.optional_item_ids.contains(&h.item_id))
            .collect();
        if dropped.iter().any(|h| h.done > 0) {
            return Err(ApiError::conflict(ConflictCode::ProgressRecorded));
        }
        let dropped: Vec<i64> = dropped.iter().map(|h| h.item_id).collect();
        let added: Vec<i64> = required
            .iter()
            .chain(&valid.optional_item_ids)
            .copied()
            .filter(|i| !held.iter().any(|h| h.item_id == *i))
            .collect();
        db::programmes::release_items(conn, id, &dropped)?;
        db::programmes::hold_items(conn, id, &added)?;
        db::programmes::set_commitments(conn, id, &valid.commitments)?;
        if !db::programmes::step_registration(conn, id, expected, &RegistrationStepPatch::default(), db::now())? {
            return Err(ApiError::PreconditionFailed);
        }
        let after = serde_json::json!({ "optional_item_ids": valid.optional_item_ids });
        record(conn, user, &row, "programme_registration.edit", after)
    })?;
    get(conn, user, id)
}

/// The registration if the caller may add to it (the member or a cadre over the branch, else
/// 403; unreadable 404) and the branch has not evaluated it (409 `registration_evaluated`).
pub(crate) fn editable(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
) -> Result<(RegistrationRow, MemberRow), ApiError> {
    let (row, m) = readable(conn, user, id)?;
    may_edit(user, &row, &m)?;
    if state_of(&row)? == RegistrationState::Evaluated {
        return Err(ApiError::conflict(ConflictCode::RegistrationEvaluated));
    }
    Ok((row, m))
}

/// Records progress on a held item (the member or a cadre over the branch; not after the evaluation).
pub fn record_progress(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    form: &shared::api::programmes::ProgressForm,
    today: NaiveDate,
) -> Result<RegistrationView, ApiError> {
    db::write(conn, |conn| {
        let (row, _) = editable(conn, user, id)?;
        let programme = db::programmes::find(conn, row.programme_id)?.ok_or(ApiError::NotFound("programme"))?;
        let ValidProgress { item_id, count, done_on, note } =
            form.validate(today, (programme.starts_on, programme.ends_on)).map_err(ApiError::Validation)?;
        if !db::programmes::add_done(conn, id, item_id, count)? {
            return Err(ApiError::field("item_id", FieldErrorCode::NotFound));
        }
        let now = db::now();
        db::programmes::insert_progress(
            conn,
            &NewProgressRow {
                registration_id: id,
                item_id,
                count,
                done_on,
                note: note.as_deref(),
                recorded_by: Some(user.id.0),
                created_at: now,
            },
        )?;
        if !db::programmes::step_registration(conn, id, row.version, &RegistrationStepPatch::default(), now)? {
            return Err(ApiError::PreconditionFailed);
        }
        let after = serde_json::json!({ "item_id": item_id, "count": count, "done_on": done_on });
        record(conn, user, &row, "programme_registration.progress", after)
    })?;
    get(conn, user, id)
}

/// `self_assess` (the member only) or `evaluate` (a cadre over the branch, never about their
/// own registration), with `If-Match`; keeps the counters of the member's line.
pub fn transition(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    expected: i64,
    t: &ValidRegistrationTransition,
) -> Result<RegistrationView, ApiError> {
    db::write(conn, |conn| {
        let (row, m) = readable(conn, user, id)?;
        let action = t.action();
        match action {
            RegistrationAction::SelfAssess if !is_subject(user, &m) => return Err(ApiError::Forbidden),
            RegistrationAction::Evaluate if !manages(user, &row.unit_path) => return Err(ApiError::Forbidden),
            RegistrationAction::Evaluate => scope::not_about_self(user, m.user_id.map(UserId))?,
            RegistrationAction::SelfAssess => {}
        }
        if row.version != expected {
            return Err(ApiError::PreconditionFailed);
        }
        let from = state_of(&row)?;
        if !action.allowed_from(from) {
            return Err(ApiError::conflict(ConflictCode::RegistrationEvaluated));
        }
        apply(conn, user, &row, from, t)
    })?;
    get(conn, user, id)
}

fn apply(
    conn: &mut AnyConnection,
    user: &AuthUser,
    row: &RegistrationRow,
    from: RegistrationState,
    t: &ValidRegistrationTransition,
) -> Result<(), ApiError> {
    let line = db::org_units::path_ids(&row.unit_path);
    let now = db::now();
    let (patch, after) = match t {
        ValidRegistrationTransition::SelfAssess { result, text } => {
            if from == RegistrationState::Registered {
                db::programmes::add_count(conn, &line, row.year, SELF_ASSESSED, 1)?;
            }
            let patch = RegistrationStepPatch {
                state: Some(RegistrationState::SelfAssessed.as_str()),
                self_result: Some(result.as_str()),
                self_text: Some(text.as_deref()),
                ..Default::default()
            };
            (patch, serde_json::json!({ "self_result": result.as_str() }))
        }
        ValidRegistrationTransition::Evaluate { result, comment } => {
            match result_of(row.result.as_deref())? {
                Some(old) => db::programmes::add_count(conn, &line, row.year, &result_counter(old), -1)?,
                None => db::programmes::add_count(conn, &line, row.year, EVALUATED, 1)?,
            }
            db::programmes::add_count(conn, &line, row.year, &result_counter(*result), 1)?;
            let patch = RegistrationStepPatch {
                state: Some(RegistrationState::Evaluated.as_str()),
                result: Some(result.as_str()),
                comment: Some(comment.as_deref()),
                evaluated_by: Some(user.id.0),
                evaluated_at: Some(now),
                ..Default::default()
            };
            (patch, serde_json::json!({ "result": result.as_str(), "before": row.result }))
        }
    };
    if !db::programmes::step_registration(conn, row.id, row.version, &patch, now)? {
        return Err(ApiError::PreconditionFailed);
    }
    record(conn, user, row, &format!("programme_registration.{}", t.action().as_str()), after)
}

/// A programme's registrations in a unit's subtree (default: the programme's unit), by member
/// name, for those who read the unit's records (else 404).
pub fn list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    programme_id: i64,
    unit_id: Option<OrgUnitId>,
    paging: Paging,
) -> Result<Page<RegistrationSummary>, ApiError> {
    let programme = programmes_service::readable(conn, user, programme_id)?;
    let path = subtree_path(conn, user, &programme.unit_path, unit_id)?;
    let (rows, total) = db::programmes::registrations(conn, programme_id, &path, paging.offset(), paging.per_page)?;
    let targets: HashMap<i64, i32> =
        db::programmes::items(conn, programme_id)?.into_iter().map(|d| (d.id, d.target)).collect();
    let ids: Vec<i64> = rows.iter().map(|(r, _, _)| r.id).collect();
    let mut held: HashMap<i64, Vec<ItemDone>> = HashMap::new();
    for (registration, item_id, done) in db::programme_members::held_by(conn, &ids)? {
        let target = targets.get(&item_id).copied().unwrap_or(1);
        held.entry(registration).or_default().push(ItemDone { item_id, done, target });
    }
    let items = rows
        .into_iter()
        .map(|(r, member_name, unit_name)| {
            let items = held.remove(&r.id).unwrap_or_default();
            Ok(RegistrationSummary {
                percent: mean_percent(items.iter().map(|i| (i.done, i.target))),
                items,
                id: r.id,
                member_id: MemberId(r.member_id),
                member_name,
                unit_name,
                state: state_of(&r)?,
                self_result: result_of(r.self_result.as_deref())?,
                result: result_of(r.result.as_deref())?,
                version: r.version,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(paging.wrap(items, total))
}

/// The path of the unit a programme's list (or sheet) is for: `unit_id`, or the programme's own
/// (an unknown unit is 404).
pub(crate) fn list_unit_path(
    conn: &mut AnyConnection,
    programme_path: &str,
    unit_id: Option<OrgUnitId>,
) -> Result<String, ApiError> {
    Ok(match unit_id {
        Some(u) => db::org_units::find(conn, u.0)?.ok_or(ApiError::NotFound("org unit"))?.path,
        None => programme_path.to_owned(),
    })
}

/// The subtree a programme's list (or sheet) is read for, for those who read its records (else 404).
pub(crate) fn subtree_path(
    conn: &mut AnyConnection,
    user: &AuthUser,
    programme_path: &str,
    unit_id: Option<OrgUnitId>,
) -> Result<String, ApiError> {
    let path = list_unit_path(conn, programme_path, unit_id)?;
    scope::require(user, Capability::ReadRecords, &path).map_err(|_| ApiError::NotFound("org unit"))?;
    Ok(path)
}

/// What a registration counts in `programme_counts`.
fn counted(row: &RegistrationRow) -> Result<Vec<String>, ApiError> {
    let mut counters = vec![REGISTERED.to_owned()];
    if row.self_result.is_some() {
        counters.push(SELF_ASSESSED.to_owned());
    }
    if let Some(result) = result_of(row.result.as_deref())? {
        counters.extend([EVALUATED.to_owned(), result_counter(result)]);
    }
    Ok(counters)
}

/// A member who moves to another branch mid-period keeps their registrations of programmes
/// still running: each moves to the new branch, so its cadres see it, and what it counts moves
/// from the old branch's line to the new one's (in the transfer's transaction).
pub fn follow_member(
    conn: &mut AnyConnection,
    member_id: i64,
    unit_id: i64,
    unit_path: &str,
    today: NaiveDate,
) -> Result<(), ApiError> {
    for row in db::programme_members::running_of(conn, member_id, today)? {
        let mut per_unit = BTreeMap::new();
        for u in db::org_units::path_ids(&row.unit_path) {
            *per_unit.entry(u).or_insert(0) -= 1;
        }
        for u in db::org_units::path_ids(unit_path) {
            *per_unit.entry(u).or_insert(0) += 1;
        }
        for counter in counted(&row)? {
            db::programmes::add_counts(conn, row.year, &counter, &per_unit)?;
        }
        db::programme_members::move_registration(conn, row.id, unit_id, unit_path)?;
    }
    Ok(())
}

/// A class passed, or a meeting attended, fills by itself the items linked to it (`class:<kind>`,
/// `meeting:<kind>`) in the member's registrations of programmes under way and not yet
/// evaluated: `count` more done (less for a correction) and a progress entry saying why, in the
/// transaction of the write that caused it.
pub fn fill_from(
    conn: &mut AnyConnection,
    user: &AuthUser,
    member_id: i64,
    link: ItemLink,
    why: &str,
    count: i32,
    today: NaiveDate,
) -> Result<(), ApiError> {
    let wire = link.wire();
    for row in db::programme_members::running_of(conn, member_id, today)? {
        let programme = db::programmes::find(conn, row.programme_id)?.ok_or(ApiError::NotFound("programme"))?;
        if state_of(&row)? == RegistrationState::Evaluated || today < programme.starts_on {
            continue;
        }
        let linked = db::programmes::items(conn, row.programme_id)?
            .into_iter()
            .filter(|i| i.fills_from.as_deref() == Some(&wire));
        for item in linked {
            if !db::programmes::add_done(conn, row.id, item.id, count)? {
                continue; // an optional item the member did not choose
            }
            let entry = NewProgressRow {
                registration_id: row.id,
                item_id: item.id,
                count,
                done_on: today,
                note: Some(why),
                recorded_by: Some(user.id.0),
                created_at: db::now(),
            };
            db::programmes::insert_progress(conn, &entry)?;
            db::programme_members::touch(conn, row.id)?;
            let after = serde_json::json!({ "item_id": item.id, "count": count, "from": wire, "note": why });
            record(conn, user, &row, "programme_registration.progress", after)?;
        }
    }
    Ok(())
}

/// The member book's programme years: the member's registrations, the latest year first, for
/// whoever reads the member's record (else 404).
pub fn member_years(
    conn: &mut AnyConnection,
    user: &AuthUser,
    member: MemberId,
    paging: Paging,
) -> Result<Page<MemberProgrammeYear>, ApiError> {
    super::members::get(conn, user, member)?;
    let (rows, total) = db::programme_members::of_member(conn, member.0, paging.offset(), paging.per_page)?;
    let items = rows
        .into_iter()
        .map(|(r, programme_title)| {
            Ok(MemberProgrammeYear {
                registration_id: r.id,
                programme_id: r.programme_id,
                programme_title,
                year: r.year,
                state: state_of(&r)?,
                self_result: result_of(r.self_result.as_deref())?,
                result: result_of(r.result.as_deref())?,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(paging.wrap(items, total))
}
