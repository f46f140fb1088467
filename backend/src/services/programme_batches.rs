//! A branch's list at once (`shared::api::programme_batches`): the cadres of a unit register
//! every member not registered yet with the required items, read the list of those not
//! registered, and evaluate the branch's list under one decision — each registration checked,
//! written and audited on its own, never a cadre's own (`scope::not_about_self`, through the
//! single evaluation).

use super::audit;
use super::programme_registrations::{self as registrations, check_window, list_unit_path, record_for};
use super::programmes::{self as programmes_service, REGISTERED};
use crate::auth::AuthUser;
use crate::db::programmes::Registering;
use crate::db::{self, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use chrono::NaiveDate;
use shared::api::batch::BatchOutcome;
use shared::api::page::Paging;
use shared::api::programme_batches::{BulkRegistrationOutcome, UnregisteredMember, ValidEvaluation};
use shared::api::Page;
use shared::ids::{MemberId, OrgUnitId};
use shared::roles::Capability;
use shared::FieldErrorCode;
use std::collections::BTreeMap;

/// The subtree of a branch's list: `unit_id` (default: the programme's unit), inside the
/// programme's subtree (else 422 `unit_id`).
fn list_path(
    conn: &mut AnyConnection,
    programme: &db::programmes::ProgrammeRow,
    unit_id: Option<OrgUnitId>,
) -> Result<String, ApiError> {
    let path = list_unit_path(conn, &programme.unit_path, unit_id)?;
    match path.starts_with(&programme.unit_path) {
        true => Ok(path),
        false => Err(ApiError::field("unit_id", FieldErrorCode::OutOfRange)),
    }
}

/// The live members of the unit's subtree (default: the programme's unit) with no registration
/// for the programme's year, by name.
pub fn unregistered(
    conn: &mut AnyConnection,
    user: &AuthUser,
    programme_id: i64,
    unit_id: Option<OrgUnitId>,
    paging: Paging,
) -> Result<Page<UnregisteredMember>, ApiError> {
    let programme = programmes_service::readable(conn, user, programme_id)?;
    let path = list_path(conn, &programme, unit_id)?;
    scope::require(user, Capability::ReadRecords, &path).map_err(|_| ApiError::NotFound("org unit"))?;
    let (rows, total) =
        db::programme_members::unregistered(conn, &path, programme.year, paging.offset(), paging.per_page)?;
    let items = rows
        .into_iter()
        .map(|r| UnregisteredMember {
            member_id: MemberId(r.id),
            full_name: r.full_name,
            date_of_birth: r.date_of_birth,
            unit_id: OrgUnitId(r.unit_id),
            unit_name: r.unit_name,
        })
        .collect();
    Ok(paging.wrap(items, total))
}

/// Registers every live member of the unit's subtree not registered for the year, with the
/// required items only (a cadre over the unit, inside the window), in one transaction: the
/// counters move once per unit for the whole list.
pub fn register_unit(
    conn: &mut AnyConnection,
    user: &AuthUser,
    programme_id: i64,
    unit_id: Option<OrgUnitId>,
    today: NaiveDate,
) -> Result<BulkRegistrationOutcome, ApiError> {
    db::write(conn, |conn| {
        let row = programmes_service::readable(conn, user, programme_id)?;
        let path = list_path(conn, &row, unit_id)?;
        scope::require(user, Capability::ManageMembers, &path)?;
        let programme = programmes_service::shape(conn, row, today)?;
        check_window(&programme, today)?;
        let required = programme.required_ids();
        let members = db::programme_members::all_unregistered(conn, &path, programme.year)?;
        let now = db::now();
        let mut per_unit = BTreeMap::new();
        for (member_id, unit_id, unit_path) in &members {
            let registering = Registering {
                programme_id,
                year: programme.year,
                member: (*member_id, *unit_id, unit_path),
                by: user.id.0,
                held: &required,
            };
            let id = db::programmes::register(conn, &registering, now)?;
            for u in db::org_units::path_ids(unit_path) {
                *per_unit.entry(u).or_insert(0) += 1;
            }
            let unit = audit::Unit { id: *unit_id, path: unit_path };
            let after = serde_json::json!({ "member_id": member_id, "bulk": true });
            record_for(conn, user, id, unit, "programme_registration.register", after)?;
        }
        db::programmes::add_counts(conn, programme.year, REGISTERED, &per_unit)?;
        Ok(BulkRegistrationOutcome { registered: members.len() as i64 })
    })
}

/// Evaluates a branch's list under one decision: each registration (of this programme) checked,
/// written and audited on its own; one refused does not stop the others.
pub fn evaluate_list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    programme_id: i64,
    items: &[ValidEvaluation],
) -> Result<Vec<BatchOutcome>, ApiError> {
    programmes_service::readable(conn, user, programme_id)?;
    items
        .iter()
        .map(|e| {
            let decided = db::programmes::find_registration(conn, e.id)?
                .filter(|r| r.programme_id == programme_id)
                .ok_or(ApiError::NotFound("registration"))
                .and_then(|_| registrations::transition(conn, user, e.id, e.version, &e.transition));
            Ok(match decided {
                Ok(v) => BatchOutcome { id: e.id, version: Some(v.version), problem: None },
                Err(ApiError::Internal(err)) => return Err(ApiError::Internal(err)),
                Err(err) => BatchOutcome { id: e.id, version: None, problem: Some(err.problem(shared::Lang::Vi)) },
            })
        })
        .collect()
}
