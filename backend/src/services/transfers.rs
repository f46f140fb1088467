//! Transfers (chuyển sinh hoạt Đoàn). The sending side is the grassroots unit above the member's
//! branch, the receiving side the grassroots unit of the destination: their cadres (or anyone
//! above them) release, accept or refuse. The member row itself moves, so everything attached to
//! it (history, classes, ratings, Party track) travels with it; the placements table keeps where
//! the member was and when.

use super::{audit, stored, utc};
use crate::auth::AuthUser;
use crate::db::transfers::{Direction, NewTransferRow, TransferRow, TransferStepPatch};
use crate::db::{self, members::MemberRow, org_units::OrgUnitRow, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use chrono::{NaiveDate, NaiveDateTime};
use shared::api::members::MemberStatus;
use shared::api::transfers::{
    TransferAction, TransferListQuery, TransferStatus, TransferView, ValidTransferRequest, ValidTransferTransition,
};
use shared::ids::{MemberId, OrgUnitId, UserId};
use shared::org::OrgKind;
use shared::roles::Capability;
use shared::ConflictCode;
use shared::FieldErrorCode;
use std::collections::HashMap;

/// The most transfers one list returns.
const LIST_MAX: i64 = 500;

/// Units looked up once for a set of transfers: every unit on their paths.
struct Units(HashMap<i64, OrgUnitRow>);

impl Units {
    /// Loads every unit on `paths`, and the units `also`.
    fn load(conn: &mut AnyConnection, paths: &[&str], also: &[i64]) -> Result<Units, ApiError> {
        let mut ids: Vec<i64> =
            paths.iter().flat_map(|p| db::org_units::path_ids(p)).chain(also.iter().copied()).collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(Units(db::org_units::find_many(conn, &ids)?.into_iter().map(|u| (u.id, u)).collect()))
    }

    fn get(&self, id: i64) -> Result<&OrgUnitRow, ApiError> {
        self.0.get(&id).ok_or(ApiError::NotFound("org unit"))
    }

    fn name(&self, id: i64) -> String {
        self.0.get(&id).map(|u| u.name.clone()).unwrap_or_default()
    }

    /// The grassroots unit at or above the unit at `path` (the nearest non-branch unit when
    /// there is none, e.g. a branch directly under a bloc).
    fn grassroots(&self, path: &str) -> Result<&OrgUnitRow, ApiError> {
        let chain: Vec<&OrgUnitRow> =
            db::org_units::path_ids(path).iter().map(|id| self.get(*id)).collect::<Result<_, _>>()?;
        let kind = |u: &OrgUnitRow| OrgKind::parse(&u.kind);
        chain
            .iter()
            .rev()
            .find(|u| kind(u) == Some(OrgKind::Grassroots))
            .or_else(|| chain.iter().rev().find(|u| !matches!(kind(u), Some(OrgKind::Branch | OrgKind::Section))))
            .or(chain.last())
            .copied()
            .ok_or(ApiError::NotFound("org unit"))
    }
}

/// What the caller is to one transfer.
struct Parties {
    sending: bool,
    receiving: bool,
    requester: bool,
    reader: bool,
    /// The transfer is the caller's own: they may cancel it, not release or accept it.
    own: bool,
}

impl Parties {
    fn of(user: &AuthUser, row: &TransferRow, units: &Units, member_user: Option<i64>) -> Result<Parties, ApiError> {
        let may = |cap, path: &str| scope::require(user, cap, path).is_ok();
        Ok(Parties {
            sending: may(Capability::ManageMembers, &units.grassroots(&row.from_path)?.path),
            receiving: may(Capability::ManageMembers, &units.grassroots(&row.to_path)?.path),
            requester: row.requested_by == Some(user.id.0) || member_user == Some(user.id.0),
            reader: may(Capability::ReadRecords, &row.from_path) || may(Capability::ReadRecords, &row.to_path),
            own: scope::is_about_self(user, member_user.map(UserId)),
        })
    }

    fn may(&self, action: TransferAction) -> bool {
        match action {
            TransferAction::Release => self.sending,
            TransferAction::Accept | TransferAction::Refuse => self.receiving,
            TransferAction::Cancel => self.requester || self.sending,
        }
    }

    fn sees(&self) -> bool {
        self.sending || self.receiving || self.requester || self.reader
    }
}

fn status_of(row: &TransferRow) -> Result<TransferStatus, ApiError> {
    stored(TransferStatus::parse(&row.status), "member_transfers.status", &row.status)
}

fn view(
    row: TransferRow,
    member_name: String,
    units: &Units,
    parties: &Parties,
    now: NaiveDateTime,
    alert_days: i64,
) -> Result<TransferView, ApiError> {
    let status = status_of(&row)?;
    let waiting_since = row.released_at.unwrap_or(row.requested_at);
    let allowed_actions = TransferAction::ALL
        .into_iter()
        .filter(|a| a.target(status, row.internal).is_some() && parties.may(*a) && !(parties.own && a.decides()))
        .collect();
    Ok(TransferView {
        id: row.id,
        member_id: MemberId(row.member_id),
        member_name,
        from_unit_id: OrgUnitId(row.from_unit_id),
        from_unit_name: units.name(row.from_unit_id),
        to_unit_id: OrgUnitId(row.to_unit_id),
        to_unit_name: units.name(row.to_unit_id),
        placed_unit_id: row.placed_unit_id.map(OrgUnitId),
        placed_unit_name: row.placed_unit_id.map(|id| units.name(id)),
        internal: row.internal,
        status,
        note: row.note,
        release_comment: row.release_comment,
        dues_paid_to: row.dues_paid_to,
        decision_reason: row.decision_reason,
        requested_by: row.requested_by.map(UserId),
        requested_at: utc(row.requested_at),
        released_at: row.released_at.map(utc),
        decided_at: row.decided_at.map(utc),
        overdue: status.is_open() && (now - waiting_since).num_days() >= alert_days,
        allowed_actions,
        version: row.version,
    })
}

/// Reads one transfer back as the caller sees it.
fn reread(conn: &mut AnyConnection, user: &AuthUser, id: i64, alert_days: i64) -> Result<TransferView, ApiError> {
    let row = db::transfers::find(conn, id)?.ok_or(ApiError::NotFound("transfer"))?;
    let (member, _, _) = db::members::find(conn, row.member_id)?.ok_or(ApiError::NotFound("member"))?;
    let placed: Vec<i64> = row.placed_unit_id.into_iter().collect();
    let units = Units::load(conn, &[&row.from_path, &row.to_path], &placed)?;
    let parties = Parties::of(user, &row, &units, member.user_id)?;
    if !parties.sees() {
        return Err(ApiError::NotFound("transfer"));
    }
    view(row, member.full_name, &units, &parties, db::now(), alert_days)
}

/// A member's request to move to `to_unit_id`, by the member or a cadre of the sending side.
/// Within one grassroots unit, a cadre of that unit moving the member to a branch completes it at once.
pub fn create(
    conn: &mut AnyConnection,
    user: &AuthUser,
    v: ValidTransferRequest,
    today: NaiveDate,
    alert_days: i64,
) -> Result<TransferView, ApiError> {
    let id = db::write(conn, |conn| {
        let (member, _, _) = db::members::find(conn, v.member_id.0)?.ok_or(ApiError::NotFound("member"))?;
        let is_self = member.user_id == Some(user.id.0);
        if !is_self && scope::require(user, Capability::ManageMembers, &member.unit_path).is_err() {
            return Err(if scope::require(user, Capability::ReadRecords, &member.unit_path).is_ok() {
                ApiError::Forbidden
            } else {
                ApiError::NotFound("member")
            });
        }
        let status = stored(MemberStatus::parse(&member.status), "members.status", &member.status)?;
        if !status.is_live() {
            return Err(ApiError::InvalidState(status.as_str().to_owned()));
        }
        let to = db::org_units::find(conn, v.to_unit_id.0)?
            .ok_or_else(|| ApiError::field("to_unit_id", FieldErrorCode::NotFound))?;
        if to.dissolved_on.is_some() {
            return Err(ApiError::field("to_unit_id", FieldErrorCode::Dissolved));
        }
        let to_kind = OrgKind::parse(&to.kind);
        if !matches!(to_kind, Some(OrgKind::Grassroots | OrgKind::Section | OrgKind::Branch)) || to.id == member.unit_id
        {
            return Err(ApiError::field("to_unit_id", FieldErrorCode::NotAllowed));
        }
        if db::transfers::open_for_member(conn, member.id)?.is_some() {
            return Err(ApiError::conflict(ConflictCode::TransferUnderWay));
        }
        let units = Units::load(conn, &[&member.unit_path, &to.path], &[])?;
        let internal = units.grassroots(&member.unit_path)?.id == units.grassroots(&to.path)?.id;
        let id = db::transfers::insert(
            conn,
            &NewTransferRow {
                member_id: member.id,
                from_unit_id: member.unit_id,
                from_path: &member.unit_path,
                to_unit_id: to.id,
                to_path: &to.path,
                internal,
                status: TransferStatus::Requested.as_str(),
                note: v.note.as_deref(),
                requested_by: Some(user.id.0),
                requested_at: db::now(),
            },
        )?;
        let row = db::transfers::find(conn, id)?.ok_or(ApiError::NotFound("transfer"))?;
        audit_step(conn, user, &row, "transfer.request", units.get(member.unit_id)?)?;
        let parties = Parties::of(user, &row, &units, member.user_id)?;
        // A cadre's own move within their unit waits for another cadre (`scope::not_about_self`).
        let own = scope::is_about_self(user, member.user_id.map(UserId));
        if internal && to_kind == Some(OrgKind::Branch) && parties.receiving && !own {
            accept(conn, user, &row, &member, &to, today)?;
        }
        Ok(id)
    })?;
    reread(conn, user, id, alert_days)
}

fn audit_step(
    conn: &mut AnyConnection,
    user: &AuthUser,
    row: &TransferRow,
    action: &str,
    unit: &OrgUnitRow,
) -> Result<(), ApiError> {
    let after = serde_json::json!({
        "status": row.status, "member_id": row.member_id, "from_unit_id": row.from_unit_id,
        "to_unit_id": row.to_unit_id, "placed_unit_id": row.placed_unit_id, "version": row.version,
    });
    audit::record::<(), _>(
        conn,
        audit::Change {
            actor: Some(user.id),
            action,
            entity_type: "transfer",
            entity_id: row.id,
            unit: Some(audit::Unit::of(unit)),
            before: None,
            after: Some(&after),
        },
    )
}

/// Places the member in `branch` and closes the transfer as accepted.
fn accept(
    conn: &mut AnyConnection,
    user: &AuthUser,
    row: &TransferRow,
    member: &MemberRow,
    branch: &OrgUnitRow,
    today: NaiveDate,
) -> Result<(), ApiError> {
    let status = stored(MemberStatus::parse(&member.status), "members.status", &member.status)?;
    if !status.is_live() {
        return Err(ApiError::InvalidState(format!("member {}", status.as_str())));
    }
    let now = db::now();
    if !db::members::move_to(conn, member.id, member.version, branch.id, &branch.path, now)? {
        return Err(ApiError::PreconditionFailed);
    }
    db::org_units::move_live_members(conn, &member.unit_path, &branch.path, 1)?;
    super::programme_registrations::follow_member(conn, member.id, branch.id, &branch.path, today)?;
    db::transfers::place(conn, member.id, branch.id, today, "transfer", Some(row.id))?;
    let step = TransferStepPatch {
        status: TransferStatus::Accepted.as_str(),
        placed_unit_id: Some(branch.id),
        decided_by: Some(user.id.0),
        decided_at: Some(now),
        ..Default::default()
    };
    if !db::transfers::step(conn, row.id, row.version, &step)? {
        return Err(ApiError::PreconditionFailed);
    }
    let row = db::transfers::find(conn, row.id)?.ok_or(ApiError::NotFound("transfer"))?;
    audit_step(conn, user, &row, "transfer.accept", branch)
}

/// The branch an accepted member joins: the one asked for, or the transfer's destination when
/// it is a branch; it must be a live branch of the receiving grassroots unit.
fn placement(
    conn: &mut AnyConnection,
    asked: Option<OrgUnitId>,
    to: &OrgUnitRow,
    receiving: &OrgUnitRow,
) -> Result<OrgUnitRow, ApiError> {
    let branch = match asked {
        Some(id) => {
            db::org_units::find(conn, id.0)?.ok_or_else(|| ApiError::field("branch_id", FieldErrorCode::NotFound))?
        }
        None if OrgKind::parse(&to.kind) == Some(OrgKind::Branch) => to.clone(),
        None => return Err(ApiError::field("branch_id", FieldErrorCode::Required)),
    };
    if branch.dissolved_on.is_some() {
        return Err(ApiError::field("branch_id", FieldErrorCode::Dissolved));
    }
    if OrgKind::parse(&branch.kind) != Some(OrgKind::Branch) || !scope::covers(&receiving.path, &branch.path) {
        return Err(ApiError::field("branch_id", FieldErrorCode::NotAllowed));
    }
    Ok(branch)
}

/// Applies a step (release, accept, refuse, cancel) if `expected_version` is current.
pub fn transition(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    expected_version: i64,
    t: ValidTransferTransition,
    today: NaiveDate,
    alert_days: i64,
) -> Result<TransferView, ApiError> {
    db::write(conn, |conn| {
        let row = db::transfers::find(conn, id)?.ok_or(ApiError::NotFound("transfer"))?;
        let (member, _, _) = db::members::find(conn, row.member_id)?.ok_or(ApiError::NotFound("member"))?;
        let units = Units::load(conn, &[&row.from_path, &row.to_path], &[])?;
        let parties = Parties::of(user, &row, &units, member.user_id)?;
        if !parties.sees() {
            return Err(ApiError::NotFound("transfer"));
        }
        let action = t.action();
        if !parties.may(action) {
            return Err(ApiError::Forbidden);
        }
        if action.decides() {
            scope::not_about_self(user, member.user_id.map(UserId))?;
        }
        if row.version != expected_version {
            return Err(ApiError::PreconditionFailed);
        }
        let status = status_of(&row)?;
        let target =
            action.target(status, row.internal).ok_or_else(|| ApiError::InvalidState(status.as_str().to_owned()))?;
        if let ValidTransferTransition::Release { dues_paid_to, .. } = &t {
            super::dues::check_paid_to(conn, member.id, *dues_paid_to)?;
        }
        let now = db::now();
        let sending = units.get(row.from_unit_id)?;
        match t {
            ValidTransferTransition::Accept { branch_id } => {
                let to = units.get(row.to_unit_id)?;
                if to.dissolved_on.is_some() {
                    return Err(ApiError::field("to_unit_id", FieldErrorCode::Dissolved));
                }
                let branch = placement(conn, branch_id, to, units.grassroots(&row.to_path)?)?;
                accept(conn, user, &row, &member, &branch, today)?;
            }
            other => {
                let step = match &other {
                    ValidTransferTransition::Release { comment, dues_paid_to } => TransferStepPatch {
                        status: target.as_str(),
                        release_comment: Some(comment),
                        dues_paid_to: Some(*dues_paid_to),
                        released_by: Some(user.id.0),
                        released_at: Some(now),
                        ..Default::default()
                    },
                    ValidTransferTransition::Refuse { reason } => TransferStepPatch {
                        status: target.as_str(),
                        decision_reason: Some(reason),
                        decided_by: Some(user.id.0),
                        decided_at: Some(now),
                        ..Default::default()
                    },
                    ValidTransferTransition::Cancel { reason } => TransferStepPatch {
                        status: target.as_str(),
                        decision_reason: reason.as_deref(),
                        decided_by: Some(user.id.0),
                        decided_at: Some(now),
                        ..Default::default()
                    },
                    ValidTransferTransition::Accept { .. } => unreachable!("handled above"),
                };
                if !db::transfers::step(conn, row.id, expected_version, &step)? {
                    return Err(ApiError::PreconditionFailed);
                }
                let row = db::transfers::find(conn, row.id)?.ok_or(ApiError::NotFound("transfer"))?;
                audit_step(conn, user, &row, &format!("transfer.{}", action.as_str()), sending)?;
            }
        }
        Ok(())
    })?;
    reread(conn, user, id, alert_days)
}

/// One transfer, for its parties and the readers of either side.
pub fn get(conn: &mut AnyConnection, user: &AuthUser, id: i64, alert_days: i64) -> Result<TransferView, ApiError> {
    reread(conn, user, id, alert_days)
}

/// A unit's incoming and/or outgoing transfers, or one member's.
pub fn list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    q: &TransferListQuery,
    alert_days: i64,
) -> Result<Vec<TransferView>, ApiError> {
    let rows = match (q.member_id, q.unit_id) {
        (Some(member), _) => {
            super::members::get(conn, user, member)?;
            db::transfers::of_member(conn, member.0)?
        }
        (None, Some(unit)) => {
            let unit = db::org_units::find(conn, unit.0)?.ok_or(ApiError::NotFound("org unit"))?;
            scope::require(user, Capability::ReadRecords, &unit.path)?;
            let direction = match q.direction.as_deref().map(str::trim) {
                None | Some("") | Some("all") => Direction::Both,
                Some("incoming") => Direction::Incoming,
                Some("outgoing") => Direction::Outgoing,
                Some(_) => return Err(ApiError::field("direction", FieldErrorCode::UnknownValue)),
            };
            db::transfers::of_subtree(conn, &unit.path, direction, q.open.unwrap_or(true), LIST_MAX)?
        }
        (None, None) => return Err(ApiError::field("unit_id", FieldErrorCode::Required)),
    };
    let placed: Vec<i64> = rows.iter().filter_map(|(r, _, _)| r.placed_unit_id).collect();
    let paths: Vec<&str> = rows.iter().flat_map(|(r, _, _)| [r.from_path.as_str(), r.to_path.as_str()]).collect();
    let units = Units::load(conn, &paths, &placed)?;
    let now = db::now();
    rows.into_iter()
        .map(|(row, name, member_user)| {
            let parties = Parties::of(user, &row, &units, member_user)?;
            view(row, name, &units, &parties, now, alert_days)
        })
        .collect()
}
