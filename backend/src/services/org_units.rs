//! The organisation tree: create units under a parent, read them with their ancestors and
//! children, rename them. Any signed-in user may read the tree (names are public; the
//! admission form needs them); writes need `ManageUnits` over the parent or the unit itself.

use super::{audit, stored};
use crate::auth::AuthUser;
use crate::db::{self, org_units::OrgUnitRow, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use shared::api::org_units::{
    OrgUnitDetail, OrgUnitRef, OrgUnitView, ValidDissolution, ValidNewOrgUnit, ValidOrgUnitUpdate,
};
use shared::api::page::Paging;
use shared::api::transfers::PlacementCause;
use shared::api::Page;
use shared::ids::{OrgUnitId, UserId};
use shared::org::{OrgKind, Sector};
use shared::roles::Capability;
use shared::ConflictCode;
use shared::FieldErrorCode;
use std::collections::HashMap;

fn kind_of(row: &OrgUnitRow) -> Result<OrgKind, ApiError> {
    stored(OrgKind::parse(&row.kind), "org_units.kind", &row.kind)
}

fn sector_of(row: &OrgUnitRow) -> Result<Sector, ApiError> {
    stored(Sector::parse(&row.sector), "org_units.sector", &row.sector)
}

/// A stored unit as the API shows it.
pub fn view(row: &OrgUnitRow, child_count: i64) -> Result<OrgUnitView, ApiError> {
    Ok(OrgUnitView {
        id: OrgUnitId(row.id),
        parent_id: row.parent_id.map(OrgUnitId),
        name: row.name.clone(),
        kind: kind_of(row)?,
        sector: sector_of(row)?,
        code: row.code.clone(),
        depth: row.depth,
        founded_on: row.founded_on,
        dissolved_on: row.dissolved_on,
        merged_into_id: row.merged_into_id.map(OrgUnitId),
        version: row.version,
        child_count,
        member_count: row.live_members,
        border: row.border,
        parent_name: None,
    })
}

fn find(conn: &mut AnyConnection, id: OrgUnitId) -> Result<OrgUnitRow, ApiError> {
    db::org_units::find(conn, id.0)?.ok_or(ApiError::NotFound("org unit"))
}

/// A unit to store (its place in the tree comes from the parent).
pub struct NewUnit<'a> {
    pub kind: OrgKind,
    pub sector: Sector,
    pub name: &'a str,
    pub code: Option<&'a str>,
    pub founded_on: Option<chrono::NaiveDate>,
}

/// Stores a unit under `parent` (or as a root) and audits it; checks are the caller's. Used by
/// the API, the root's creation and seeding.
pub fn insert_unit(
    conn: &mut AnyConnection,
    parent: Option<&OrgUnitRow>,
    unit: &NewUnit<'_>,
    actor: Option<UserId>,
) -> Result<OrgUnitRow, ApiError> {
    let now = db::now();
    let folded = shared::text::fold(unit.name);
    let row = db::org_units::insert(
        conn,
        &db::org_units::NewOrgUnitRow {
            parent_id: parent.map(|p| p.id),
            path: "",
            depth: parent.map_or(0, |p| p.depth + 1),
            kind: unit.kind.as_str(),
            sector: unit.sector.as_str(),
            name: unit.name,
            search_name: &folded,
            code: unit.code,
            founded_on: unit.founded_on,
            created_at: now,
            updated_at: now,
        },
        parent.map(|p| p.path.as_str()),
    )?;
    let created = view(&row, 0)?;
    audit::record::<(), _>(
        conn,
        audit::Change {
            actor,
            action: "org_unit.create",
            entity_type: "org_unit",
            entity_id: row.id,
            unit: Some(audit::Unit::of(&row)),
            before: None,
            after: Some(&created),
        },
    )?;
    Ok(row)
}

/// Creates a unit under its parent.
pub fn create(conn: &mut AnyConnection, user: &AuthUser, new: ValidNewOrgUnit) -> Result<OrgUnitView, ApiError> {
    db::write(conn, |conn| {
        let parent = db::org_units::find(conn, new.parent_id.0)?
            .ok_or_else(|| ApiError::field("parent_id", FieldErrorCode::NotFound))?;
        scope::require(user, Capability::ManageUnits, &parent.path)?;
        if parent.dissolved_on.is_some() {
            return Err(ApiError::field("parent_id", FieldErrorCode::Dissolved));
        }
        if !kind_of(&parent)?.can_contain(new.kind) {
            return Err(ApiError::field("kind", FieldErrorCode::NotAllowed));
        }
        if let Some(code) = &new.code {
            if db::org_units::code_taken(conn, code.as_str(), None)? {
                return Err(ApiError::field("code", FieldErrorCode::Duplicate));
            }
        }
        let sector = new.sector.unwrap_or(sector_of(&parent)?);
        let new_unit = NewUnit {
            kind: new.kind,
            sector,
            name: new.name.as_str(),
            code: new.code.as_ref().map(|c| c.as_str()),
            founded_on: new.founded_on,
        };
        let row = insert_unit(conn, Some(&parent), &new_unit, Some(user.id))?;
        view(&row, 0)
    })
}

/// Creates the root of the tree (the central committee) if there is none; returns the root.
pub fn ensure_root(conn: &mut AnyConnection) -> Result<OrgUnitRow, ApiError> {
    db::write(conn, |conn| {
        if let Some(root) = db::org_units::root(conn)? {
            return Ok(root);
        }
        let root = NewUnit {
            kind: OrgKind::Central,
            sector: Sector::Other,
            name: "Trung ương Đoàn TNCS Hồ Chí Minh",
            code: Some("TW"),
            founded_on: chrono::NaiveDate::from_ymd_opt(1931, 3, 26),
        };
        insert_unit(conn, None, &root, None)
    })
}

/// One unit with its ancestors (root first).
pub fn get(conn: &mut AnyConnection, id: OrgUnitId) -> Result<OrgUnitDetail, ApiError> {
    let row = find(conn, id)?;
    let ancestor_ids: Vec<i64> = db::org_units::path_ids(&row.path).into_iter().filter(|a| *a != row.id).collect();
    let mut ancestors = db::org_units::find_many(conn, &ancestor_ids)?;
    ancestors.sort_by_key(|a| a.depth);
    let ancestors = ancestors
        .iter()
        .map(|a| Ok(OrgUnitRef { id: OrgUnitId(a.id), name: a.name.clone(), kind: kind_of(a)? }))
        .collect::<Result<_, ApiError>>()?;
    let children = db::org_units::child_counts(conn, &[row.id])?;
    Ok(OrgUnitDetail { unit: view(&row, children.get(&row.id).copied().unwrap_or(0))?, ancestors })
}

/// A page of the children of `parent` (or of the roots), each with its own child count.
pub fn list(
    conn: &mut AnyConnection,
    parent: Option<OrgUnitId>,
    paging: Paging,
) -> Result<Page<OrgUnitView>, ApiError> {
    if let Some(p) = parent {
        find(conn, p)?;
    }
    let (rows, total) = db::org_units::list_children(conn, parent.map(|p| p.0), paging.offset(), paging.per_page)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let counts = db::org_units::child_counts(conn, &ids)?;
    let items = rows.iter().map(|r| view(r, counts.get(&r.id).copied().unwrap_or(0))).collect::<Result<_, _>>()?;
    Ok(paging.wrap(items, total))
}

/// Live units matching `text` by name or code, optionally under a unit and of some kinds.
pub fn search(
    conn: &mut AnyConnection,
    text: &str,
    under: Option<OrgUnitId>,
    kinds: Option<&str>,
    paging: Paging,
) -> Result<Page<OrgUnitView>, ApiError> {
    let under = under.map(|u| find(conn, u)).transpose()?;
    let kinds = match kinds.map(str::trim).filter(|k| !k.is_empty()) {
        None => vec![],
        Some(list) => list
            .split(',')
            .map(|k| OrgKind::parse(k.trim()).map(OrgKind::as_str))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| ApiError::field("kind", FieldErrorCode::UnknownValue))?,
    };
    let folded = shared::text::fold(text);
    let rows = db::org_units::search(conn, &folded, under.as_ref().map(|u| u.path.as_str()), &kinds, paging.per_page)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let counts = db::org_units::child_counts(conn, &ids)?;
    let parent_ids: Vec<i64> = rows.iter().filter_map(|r| r.parent_id).collect();
    let parents: HashMap<i64, String> =
        db::org_units::find_many(conn, &parent_ids)?.into_iter().map(|p| (p.id, p.name)).collect();
    let items: Vec<OrgUnitView> = rows
        .iter()
        .map(|r| {
            let mut v = view(r, counts.get(&r.id).copied().unwrap_or(0))?;
            v.parent_name = r.parent_id.and_then(|p| parents.get(&p).cloned());
            Ok(v)
        })
        .collect::<Result<_, ApiError>>()?;
    let total = items.len() as i64;
    Ok(paging.wrap(items, total))
}

/// Renames, recodes or re-sectors a unit, if `expected_version` is still current.
pub fn update(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: OrgUnitId,
    expected_version: i64,
    upd: ValidOrgUnitUpdate,
) -> Result<OrgUnitView, ApiError> {
    db::write(conn, |conn| {
        let row = find(conn, id)?;
        scope::require(user, Capability::ManageUnits, &row.path)?;
        if row.version != expected_version {
            return Err(ApiError::PreconditionFailed);
        }
        if let Some(Some(code)) = &upd.code {
            if db::org_units::code_taken(conn, code.as_str(), Some(row.id))? {
                return Err(ApiError::field("code", FieldErrorCode::Duplicate));
            }
        }
        let children = db::org_units::child_counts(conn, &[row.id])?.get(&row.id).copied().unwrap_or(0);
        let before = view(&row, children)?;
        let folded = upd.name.as_ref().map(|n| shared::text::fold(n.as_str()));
        let patch = db::org_units::OrgUnitPatch {
            name: upd.name.as_ref().map(|n| n.as_str()),
            search_name: folded.as_deref(),
            sector: upd.sector.map(|s| s.as_str()),
            code: upd.code.as_ref().map(|c| c.as_ref().map(|c| c.as_str())),
            border: upd.border,
        };
        let updated = db::org_units::update_versioned(conn, row.id, expected_version, &patch, db::now())?
            .ok_or(ApiError::PreconditionFailed)?;
        let after = view(&updated, children)?;
        audit::record(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: "org_unit.update",
                entity_type: "org_unit",
                entity_id: row.id,
                unit: Some(audit::Unit::of(&updated)),
                before: Some(&before),
                after: Some(&after),
            },
        )?;
        Ok(after)
    })
}

/// Dissolves a unit, or merges it into another: its live child units (with everything under
/// them) and its live members move to the target, open transfers headed to it go to the target,
/// and the unit stays readable with its dates. Needs `ManageUnits` over its parent (and the target).
pub fn dissolve(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: OrgUnitId,
    expected_version: i64,
    d: ValidDissolution,
) -> Result<OrgUnitView, ApiError> {
    db::write(conn, |conn| {
        let row = find(conn, id)?;
        let parent = match row.parent_id {
            Some(p) => find(conn, OrgUnitId(p))?,
            None => return Err(ApiError::Forbidden),
        };
        scope::require(user, Capability::ManageUnits, &parent.path)?;
        if row.version != expected_version {
            return Err(ApiError::PreconditionFailed);
        }
        if row.dissolved_on.is_some() {
            return Err(ApiError::InvalidState("dissolved".to_owned()));
        }
        if row.founded_on.is_some_and(|f| d.on < f) {
            return Err(ApiError::field("on", FieldErrorCode::OutOfRange));
        }
        let children = db::org_units::live_children(conn, row.id)?;
        let members = db::members::live_ids_in_unit(conn, row.id)?;
        let before = view(&row, children.len() as i64)?;
        let now = db::now();
        match d.merged_into_id {
            None if !children.is_empty() || !members.is_empty() => {
                return Err(ApiError::Conflict(
                    ConflictCode::UnitNotEmpty,
                    Some(format!("{} / {}", children.len(), members.len())),
                ));
            }
            None => {}
            Some(target_id) => {
                let target = db::org_units::find(conn, target_id.0)?
                    .ok_or_else(|| ApiError::field("merged_into_id", FieldErrorCode::NotFound))?;
                scope::require(user, Capability::ManageUnits, &target.path)?;
                if target.dissolved_on.is_some() {
                    return Err(ApiError::field("merged_into_id", FieldErrorCode::Dissolved));
                }
                let target_kind = kind_of(&target)?;
                let fits = children
                    .iter()
                    .map(kind_of)
                    .collect::<Result<Vec<_>, _>>()?
                    .into_iter()
                    .all(|k| target_kind.can_contain(k));
                let inside = scope::covers(&row.path, &target.path);
                if inside || !fits || (!members.is_empty() && target_kind != OrgKind::Branch) {
                    return Err(ApiError::field("merged_into_id", FieldErrorCode::NotAllowed));
                }
                db::org_units::move_live_members(conn, &row.path, &target.path, row.live_members)?;
                for child in &children {
                    let new_path = db::org_units::child_path(Some(&target.path), child.id);
                    db::org_units::move_subtree(conn, &child.path, &new_path, target.depth + 1 - child.depth)?;
                    db::org_units::set_parent(conn, child.id, target.id, now)?;
                }
                db::members::move_many(conn, &members, target.id, &target.path, now)?;
                for m in &members {
                    db::transfers::place(conn, *m, target.id, d.on, PlacementCause::UnitMerged.as_str(), None)?;
                }
                db::transfers::redirect_incoming(conn, row.id, target.id, &target.path)?;
            }
        }
        if !db::org_units::dissolve(conn, row.id, expected_version, d.on, d.merged_into_id.map(|t| t.0), now)? {
            return Err(ApiError::PreconditionFailed);
        }
        let updated = find(conn, id)?;
        let after = view(&updated, 0)?;
        let record = serde_json::json!({ "unit": after, "reason": d.reason, "moved_units": children.len(), "moved_members": members.len() });
        audit::record(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: if d.merged_into_id.is_some() { "org_unit.merge" } else { "org_unit.dissolve" },
                entity_type: "org_unit",
                entity_id: row.id,
                unit: Some(audit::Unit::of(&parent)),
                before: Some(&before),
                after: Some(&record),
            },
        )?;
        Ok(after)
    })
}
