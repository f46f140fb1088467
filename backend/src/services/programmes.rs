//! Programmes of the Member Training programme (`shared::api::programmes`): a cadre of a
//! grassroots unit or higher publishes the unit's programme for a period and edits it (an item
//! or heading members hold cannot be left out; items can be added); members read the
//! programmes on their line up the tree; leaders read the figures, from the counters kept per
//! unit and year by the registrations' writes.

use super::audit;
use crate::auth::AuthUser;
use crate::db::programmes::{ItemFields, NewProgrammeRow, ProgrammePatch, ProgrammeRow};
use crate::db::{self, org_units::OrgUnitRow, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use chrono::NaiveDate;
use shared::api::page::Paging;
use shared::api::programmes::{
    check_window, percent_of, HeadingView, ItemLink, ItemView, PeriodKind, ProgrammeForm, ProgrammeResult,
    ProgrammeStats, ProgrammeView, ResultCount, UnitProgrammeStats, ValidHeading, ValidProgramme,
};
use shared::api::Page;
use shared::ids::OrgUnitId;
use shared::org::OrgKind;
use shared::roles::Capability;
use shared::{ConflictCode, FieldErrorCode};
use std::collections::HashMap;

/// The counter of registrations.
pub const REGISTERED: &str = "registered";
/// The counter of members who assessed themselves.
pub const SELF_ASSESSED: &str = "self_assessed";
/// The counter of evaluated registrations.
pub const EVALUATED: &str = "evaluated";

/// The counter of evaluations with `result`.
pub fn result_counter(result: ProgrammeResult) -> String {
    format!("result_{}", result.as_str())
}

/// The stored period kind.
pub fn period_kind(row: &ProgrammeRow) -> Result<PeriodKind, ApiError> {
    super::stored(PeriodKind::parse(&row.period_kind), "programmes.period_kind", &row.period_kind)
}

/// The caller's own member record: (id, branch path), if the account has one.
pub fn own_member(conn: &mut AnyConnection, user: &AuthUser) -> Result<Option<(i64, String)>, ApiError> {
    let Some(id) = db::members::id_for_user(conn, user.id.0)? else { return Ok(None) };
    Ok(db::members::find(conn, id)?.map(|(m, _, _)| (m.id, m.unit_path)))
}

/// Whether the caller may read a programme of the unit at `path`: a role on its line (above it,
/// on it, or on a unit under it), or a member record under it.
fn may_read(user: &AuthUser, member_path: Option<&str>, path: &str) -> bool {
    let on_line = |p: &str| p.starts_with(path) || path.starts_with(p);
    scope::is_admin(user)
        || user.grants.iter().any(|g| on_line(&g.unit_path))
        || member_path.is_some_and(|m| m.starts_with(path))
}

/// The programme as the caller reads it.
pub fn view(
    conn: &mut AnyConnection,
    user: &AuthUser,
    row: ProgrammeRow,
    today: NaiveDate,
) -> Result<ProgrammeView, ApiError> {
    let mut view = shape(conn, row, today)?;
    view.unit_name = db::org_units::find(conn, view.unit_id.0)?.map(|u| u.name).unwrap_or_default();
    view.my_registration_id = match db::members::id_for_user(conn, user.id.0)? {
        Some(member) => db::programmes::registration_of(conn, view.id, member)?,
        None => None,
    };
    view.registered = db::programmes::counts(conn, &[view.unit_id.0], view.year)?
        .into_iter()
        .find(|(_, c, _)| c == REGISTERED)
        .map_or(0, |(_, _, n)| n);
    Ok(view)
}

/// The programme's period, window, headings and items — what a registration is checked
/// against — without the caller's registration, the figures or the unit's name.
pub fn shape(conn: &mut AnyConnection, row: ProgrammeRow, today: NaiveDate) -> Result<ProgrammeView, ApiError> {
    let kind = period_kind(&row)?;
    let items = db::programmes::items(conn, row.id)?;
    let headings = db::programmes::headings(conn, row.id)?
        .into_iter()
        .map(|h| HeadingView {
            items: items
                .iter()
                .filter(|i| i.heading_id == h.id)
                .map(|i| ItemView {
                    id: i.id,
                    title: i.title.clone(),
                    required: i.required,
                    target: i.target,
                    counted: i.counted.clone(),
                    fills_from: i.fills_from.clone(),
                })
                .collect(),
            id: h.id,
            title: h.title,
        })
        .collect();
    Ok(ProgrammeView {
        id: row.id,
        unit_id: OrgUnitId(row.unit_id),
        unit_name: String::new(),
        year: row.year,
        period_kind: kind,
        starts_on: row.starts_on,
        ends_on: row.ends_on,
        title: row.title,
        registration_open: !row.is_template
            && (row.registration_opens_on..=row.registration_closes_on).contains(&today),
        registration_opens_on: row.registration_opens_on,
        registration_closes_on: row.registration_closes_on,
        min_optional: row.min_optional,
        headings,
        my_registration_id: None,
        registered: 0,
        template: row.is_template,
        version: row.version,
    })
}

/// The unit a programme is published for: it exists, is live, and is a grassroots unit or higher.
fn publishing_unit(conn: &mut AnyConnection, unit: Option<OrgUnitId>) -> Result<OrgUnitRow, ApiError> {
    let id = unit.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))?;
    let row = db::org_units::find(conn, id.0)?.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::NotFound))?;
    if row.dissolved_on.is_some() {
        return Err(ApiError::field("unit_id", FieldErrorCode::Dissolved));
    }
    if matches!(OrgKind::parse(&row.kind), Some(OrgKind::Branch | OrgKind::Section)) {
        return Err(ApiError::field("unit_id", FieldErrorCode::NotAllowed));
    }
    Ok(row)
}

fn record(
    conn: &mut AnyConnection,
    user: &AuthUser,
    row: &ProgrammeRow,
    action: &str,
    title: &str,
) -> Result<(), ApiError> {
    let after = serde_json::json!({ "title": title, "year": row.year });
    audit::record::<(), _>(
        conn,
        audit::Change {
            actor: Some(user.id),
            action,
            entity_type: "programme",
            entity_id: row.id,
            unit: Some(audit::Unit { id: row.unit_id, path: &row.unit_path }),
            before: None,
            after: Some(&after),
        },
    )
}

/// Fills a new programme's form from the template it names (`template_id`): the headings and
/// items when the form sends none, the minimum of optional items when it sends none. The
/// template must be one the caller reads, published as a template by a unit above the form's
/// unit (else 422 `template_id`).
pub fn apply_template(
    conn: &mut AnyConnection,
    user: &AuthUser,
    form: &mut ProgrammeForm,
    today: NaiveDate,
) -> Result<(), ApiError> {
    let Some(id) = form.template_id else { return Ok(()) };
    let refused = |code| ApiError::field("template_id", code);
    let row = readable(conn, user, id).map_err(|_| refused(FieldErrorCode::NotFound))?;
    let unit = match form.unit_id {
        Some(u) => db::org_units::find(conn, u.0)?,
        None => None,
    };
    let above = unit.is_some_and(|u| u.path.starts_with(&row.unit_path) && u.path != row.unit_path);
    if !row.is_template || !above {
        return Err(refused(FieldErrorCode::NotAllowed));
    }
    let template = view(conn, user, row, today)?;
    form.headings.get_or_insert_with(|| template.as_template());
    form.min_optional.get_or_insert(template.min_optional);
    Ok(())
}

/// Publishes a unit's programme for a year (a cadre over the unit).
pub fn create(
    conn: &mut AnyConnection,
    user: &AuthUser,
    p: ValidProgramme,
    today: NaiveDate,
) -> Result<ProgrammeView, ApiError> {
    let id = db::write(conn, |conn| {
        let unit = publishing_unit(conn, p.unit_id)?;
        scope::require(user, Capability::ManageMembers, &unit.path)?;
        let year = p.year.ok_or_else(|| ApiError::field("year", FieldErrorCode::Required))?;
        let kind = p.period_kind.unwrap_or_else(|| PeriodKind::of_sector(&unit.sector));
        check_window(kind, year, p.registration_opens_on, p.registration_closes_on)
            .map_err(|(field, code)| ApiError::field(field, code))?;
        let (starts_on, ends_on) = kind.bounds(year);
        let now = db::now();
        let id = db::programmes::insert(
            conn,
            &NewProgrammeRow {
                unit_id: unit.id,
                unit_path: &unit.path,
                year,
                period_kind: kind.as_str(),
                starts_on,
                ends_on,
                is_template: p.template,
                created_by: Some(user.id.0),
                created_at: now,
                updated_at: now,
                fields: patch_of(&p),
            },
        )?;
        write_headings(conn, id, &p.headings, &[])?;
        let row = db::programmes::find(conn, id)?.ok_or(ApiError::NotFound("programme"))?;
        record(conn, user, &row, "programme.publish", &p.title)?;
        Ok::<_, ApiError>(id)
    })?;
    get(conn, user, id, today)
}

fn patch_of(p: &ValidProgramme) -> ProgrammePatch<'_> {
    ProgrammePatch {
        title: &p.title,
        registration_opens_on: p.registration_opens_on,
        registration_closes_on: p.registration_closes_on,
        min_optional: p.min_optional,
    }
}

/// Writes the headings and items as sent: those with an id are updated (they must be this
/// programme's: `existing`), the others inserted, in the order sent.
fn write_headings(
    conn: &mut AnyConnection,
    programme: i64,
    headings: &[ValidHeading],
    existing: &[(i64, Vec<i64>)],
) -> Result<(), ApiError> {
    let known_item = |id: i64| existing.iter().any(|(_, items)| items.contains(&id));
    for (h, heading) in headings.iter().enumerate() {
        let position = h as i32;
        let heading_id = match heading.id {
            Some(id) if existing.iter().any(|(e, _)| *e == id) => {
                db::programmes::update_heading(conn, id, position, &heading.title)?;
                id
            }
            Some(_) => return Err(ApiError::field(&format!("headings[{h}].id"), FieldErrorCode::NotFound)),
            None => db::programmes::insert_heading(conn, programme, position, &heading.title)?,
        };
        for (i, item) in heading.items.iter().enumerate() {
            let link = item.fills_from.map(ItemLink::wire);
            let fields = ItemFields {
                programme_id: programme,
                heading_id,
                position: i as i32,
                title: &item.title,
                required: item.required,
                target: item.target,
                counted: &item.counted,
                fills_from: link.as_deref(),
            };
            match item.id {
                Some(id) if known_item(id) => {
                    db::programmes::update_item(conn, id, &fields)?;
                }
                Some(_) => {
                    return Err(ApiError::field(&format!("headings[{h}].items[{i}].id"), FieldErrorCode::NotFound))
                }
                None => {
                    db::programmes::insert_item(conn, &fields)?;
                }
            }
        }
    }
    Ok(())
}

/// Edits a programme (a cadre over its unit, with `If-Match`). Headings and items left out are
/// removed unless a member holds the item or wrote under the heading (409 `item_chosen`).
pub fn update(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    expected: i64,
    p: ValidProgramme,
    today: NaiveDate,
) -> Result<ProgrammeView, ApiError> {
    db::write(conn, |conn| {
        let row = readable(conn, user, id)?;
        scope::require(user, Capability::ManageMembers, &row.unit_path)?;
        if row.version != expected {
            return Err(ApiError::PreconditionFailed);
        }
        check_window(period_kind(&row)?, row.year, p.registration_opens_on, p.registration_closes_on)
            .map_err(|(field, code)| ApiError::field(field, code))?;
        let items = db::programmes::items(conn, id)?;
        let existing: Vec<(i64, Vec<i64>)> = db::programmes::headings(conn, id)?
            .into_iter()
            .map(|h| (h.id, items.iter().filter(|i| i.heading_id == h.id).map(|i| i.id).collect()))
            .collect();
        let sent_items: Vec<i64> = p.headings.iter().flat_map(|h| &h.items).filter_map(|i| i.id).collect();
        let sent_headings: Vec<i64> = p.headings.iter().filter_map(|h| h.id).collect();
        let gone_items: Vec<i64> = items.iter().map(|i| i.id).filter(|i| !sent_items.contains(i)).collect();
        let gone_headings: Vec<i64> = existing.iter().map(|(h, _)| *h).filter(|h| !sent_headings.contains(h)).collect();
        if db::programmes::any_chosen(conn, &gone_items, &gone_headings)? {
            return Err(ApiError::conflict(ConflictCode::ItemChosen));
        }
        if !db::programmes::update(conn, id, expected, &patch_of(&p), db::now())? {
            return Err(ApiError::PreconditionFailed);
        }
        write_headings(conn, id, &p.headings, &existing)?;
        db::programmes::delete_items(conn, &gone_items)?;
        db::programmes::delete_headings(conn, &gone_headings)?;
        record(conn, user, &row, "programme.edit", &p.title)
    })?;
    get(conn, user, id, today)
}

/// A programme the caller may read (else 404).
pub fn readable(conn: &mut AnyConnection, user: &AuthUser, id: i64) -> Result<ProgrammeRow, ApiError> {
    let row = db::programmes::find(conn, id)?.ok_or(ApiError::NotFound("programme"))?;
    if may_read(user, None, &row.unit_path) {
        return Ok(row); // a role on the line: the member record is not needed
    }
    let member = own_member(conn, user)?;
    match may_read(user, member.as_ref().map(|(_, p)| p.as_str()), &row.unit_path) {
        true => Ok(row),
        false => Err(ApiError::NotFound("programme")),
    }
}

/// One programme.
pub fn get(conn: &mut AnyConnection, user: &AuthUser, id: i64, today: NaiveDate) -> Result<ProgrammeView, ApiError> {
    let row = readable(conn, user, id)?;
    view(conn, user, row, today)
}

/// The programmes published in a unit's subtree or above it (for those who read its records;
/// another subtree is 404), newest year first.
pub fn list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit_id: OrgUnitId,
    year: Option<i32>,
    paging: Paging,
    today: NaiveDate,
) -> Result<Page<ProgrammeView>, ApiError> {
    let unit = db::org_units::find(conn, unit_id.0)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ReadRecords, &unit.path).map_err(|_| ApiError::NotFound("org unit"))?;
    let (rows, total) = db::programmes::list(conn, &unit.path, year, paging.offset(), paging.per_page)?;
    let items = rows.into_iter().map(|r| view(conn, user, r, today)).collect::<Result<_, _>>()?;
    Ok(paging.wrap(items, total))
}

/// The caller's branch's programme for the period holding `today`: the nearest programme up
/// the line from the member's branch (404 without a member record or a programme).
pub fn current(conn: &mut AnyConnection, user: &AuthUser, today: NaiveDate) -> Result<ProgrammeView, ApiError> {
    let (_, path) = own_member(conn, user)?.ok_or(ApiError::NotFound("programme"))?;
    let line = db::org_units::path_ids(&path);
    let years = [chrono::Datelike::year(&today) - 1, chrono::Datelike::year(&today)];
    let nearest = db::programmes::of_units(conn, &line, &years)?
        .into_iter()
        .filter(|p| !p.is_template && (p.starts_on..=p.ends_on).contains(&today))
        .max_by_key(|p| (p.unit_path.len(), p.id))
        .ok_or(ApiError::NotFound("programme"))?;
    view(conn, user, nearest, today)
}

/// A unit's figures for a year (a cadre or leader over it): live members against registrations,
/// self-assessments and evaluations by result, and the units directly under it, those furthest
/// from 100% first. Read from the counters, never from the registrations.
pub fn stats(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit_id: OrgUnitId,
    year: i32,
) -> Result<ProgrammeStats, ApiError> {
    let unit = db::org_units::find(conn, unit_id.0)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ReadRecords, &unit.path).map_err(|_| ApiError::NotFound("org unit"))?;
    let (children, _) = db::org_units::list_children(conn, Some(unit.id), 0, 10_000)?;
    let mut ids: Vec<i64> = children.iter().map(|c| c.id).collect();
    ids.push(unit.id);
    let mut counts: HashMap<(i64, String), i64> = HashMap::new();
    for (u, c, n) in db::programmes::counts(conn, &ids, year)? {
        counts.insert((u, c), n);
    }
    let n = |u: i64, c: &str| counts.get(&(u, c.to_owned())).copied().unwrap_or(0);
    let mut by_unit: Vec<UnitProgrammeStats> = children
        .iter()
        .filter(|c| c.dissolved_on.is_none())
        .map(|c| UnitProgrammeStats {
            unit_id: OrgUnitId(c.id),
            name: c.name.clone(),
            live_members: c.live_members,
            registered: n(c.id, REGISTERED),
            percent_registered: percent_of(n(c.id, REGISTERED), c.live_members),
        })
        .collect();
    by_unit.sort_by_key(|u| (u.percent_registered.unwrap_or(i64::MAX), u.name.clone()));
    Ok(ProgrammeStats {
        unit_id,
        unit_name: unit.name.clone(),
        year,
        live_members: unit.live_members,
        registered: n(unit.id, REGISTERED),
        percent_registered: percent_of(n(unit.id, REGISTERED), unit.live_members),
        self_assessed: n(unit.id, SELF_ASSESSED),
        evaluated: n(unit.id, EVALUATED),
        by_result: ProgrammeResult::ALL
            .into_iter()
            .map(|r| ResultCount { result: r, count: n(unit.id, &result_counter(r)) })
            .collect(),
        by_unit,
    })
}
