//! Units rated each year (branches and grassroots units, by the level above), and what leaders
//! see of the year's ratings across their subtree: members by level against last year, members
//! and units not rated yet, periods past their deadline, the units that moved up or dropped —
//! read from the counters per unit and year that the confirmations keep, for the unit and the
//! units directly below it.

use super::audit;
use super::ratings::{level_counter, CONFIRMED, RATINGS};
use crate::auth::AuthUser;
use crate::db::unit_ratings::{NewUnitRatingRow, RATED_KINDS};
use crate::db::{self, org_units::OrgUnitRow, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use chrono::NaiveDate;
use shared::api::page::Paging;
use shared::api::ratings::{LevelCount, RatingLevel, RatingStats, UnitRatingFigures, UnitRatingView, ValidUnitRating};
use shared::api::Page;
use shared::ids::OrgUnitId;
use shared::roles::Capability;
use shared::{ConflictCode, FieldErrorCode, Lang};
use std::collections::HashMap;

/// Counters of unit ratings (per unit above and the unit itself, under the year's key).
pub const UNITS_RATED: &str = "unit_rating:rated";
pub const UNITS_UP: &str = "unit_rating:up";
pub const UNITS_DROPPED: &str = "unit_rating:dropped";

fn read_unit(conn: &mut AnyConnection, user: &AuthUser, id: OrgUnitId) -> Result<OrgUnitRow, ApiError> {
    let unit = db::org_units::find(conn, id.0)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ReadRecords, &unit.path).map_err(|_| ApiError::NotFound("org unit"))?;
    Ok(unit)
}

/// Rates a branch or grassroots unit for a year: a cadre over the unit above it, never one who
/// is a member inside the unit rated (403 `own_case`); a second rating of the year is 409.
pub fn rate(conn: &mut AnyConnection, user: &AuthUser, v: &ValidUnitRating) -> Result<UnitRatingView, ApiError> {
    db::write(conn, |conn| {
        let unit = db::org_units::find(conn, v.unit_id.0)?.ok_or(ApiError::NotFound("org unit"))?;
        if scope::best_role(user, &unit.path).is_none() {
            return Err(ApiError::NotFound("org unit"));
        }
        if !RATED_KINDS.contains(&unit.kind.as_str()) {
            return Err(ApiError::field("unit_id", FieldErrorCode::NotAllowed));
        }
        let parent = unit.parent_id.and_then(|p| db::org_units::find(conn, p).transpose()).transpose()?;
        let parent = parent.ok_or(ApiError::field("unit_id", FieldErrorCode::NotAllowed))?;
        scope::require(user, Capability::ManageMembers, &parent.path)?;
        if db::members::live_of_user(conn, user.id.0)?.is_some_and(|m| m.unit_path.starts_with(&unit.path)) {
            return Err(ApiError::OwnCase);
        }
        if db::unit_ratings::of_unit(conn, unit.id, v.year)?.is_some() {
            return Err(ApiError::conflict(ConflictCode::UnitRated));
        }
        let previous = db::unit_ratings::of_unit(conn, unit.id, v.year - 1)?.and_then(|r| RatingLevel::parse(&r.level));
        let id = db::unit_ratings::insert(
            conn,
            &NewUnitRatingRow {
                unit_id: unit.id,
                unit_path: &unit.path,
                year: v.year,
                level: v.level.as_str(),
                assessment: v.assessment.as_deref(),
                rated_by: Some(user.id.0),
                created_at: db::now(),
            },
        )?;
        let year = v.year.to_string();
        let line = db::unit_counts::along(&unit.path, 1);
        db::unit_counts::add(conn, &year, UNITS_RATED, &line)?;
        if let Some(prev) = previous {
            if v.level.rank() > prev.rank() {
                db::unit_counts::add(conn, &year, UNITS_UP, &line)?;
            } else if prev.rank() >= RatingLevel::Good.rank() && v.level.rank() < prev.rank() {
                db::unit_counts::add(conn, &year, UNITS_DROPPED, &line)?;
            }
        }
        let after = serde_json::json!({ "year": v.year, "level": v.level.as_str(), "previous": previous.map(RatingLevel::as_str) });
        audit::record::<(), _>(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: "unit_rating.rate",
                entity_type: "unit_rating",
                entity_id: id,
                unit: Some(audit::Unit::of(&unit)),
                before: None,
                after: Some(&after),
            },
        )?;
        Ok(UnitRatingView {
            id: Some(id),
            unit_id: OrgUnitId(unit.id),
            unit_name: unit.name.clone(),
            kind: unit.kind.clone(),
            year: v.year,
            level: Some(v.level),
            label: Some(v.level.unit_label_in(v.year, Lang::Vi).to_owned()),
            assessment: v.assessment.clone(),
            previous_level: previous,
        })
    })
}

/// The unit (when rated each year) and its rated children, with the year's rating where there
/// is one and last year's level beside it.
pub fn list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit: OrgUnitId,
    year: i32,
    paging: Paging,
) -> Result<Page<UnitRatingView>, ApiError> {
    let unit = read_unit(conn, user, unit)?;
    let units = db::unit_ratings::rated_units_at(conn, unit.id)?;
    let ids: Vec<i64> = units.iter().map(|u| u.0).collect();
    let this: HashMap<i64, _> =
        db::unit_ratings::of_units(conn, &ids, year)?.into_iter().map(|r| (r.unit_id, r)).collect();
    let last: HashMap<i64, String> = db::unit_ratings::levels_of(conn, &ids, year - 1)?.into_iter().collect();
    let items = units
        .into_iter()
        .map(|(id, name, kind, _)| {
            let rating = this.get(&id);
            let level = rating.and_then(|r| RatingLevel::parse(&r.level));
            UnitRatingView {
                id: rating.map(|r| r.id),
                unit_id: OrgUnitId(id),
                unit_name: name,
                kind,
                year,
                level,
                label: level.map(|l| l.unit_label_in(year, Lang::Vi).to_owned()),
                assessment: rating.and_then(|r| r.assessment.clone()),
                previous_level: last.get(&id).and_then(|l| RatingLevel::parse(l)),
            }
        })
        .collect();
    Ok(paging.page_of(items))
}

/// The subtree's figures of a year and the units directly below, worst first.
pub fn stats(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit: OrgUnitId,
    year: i32,
    today: NaiveDate,
) -> Result<RatingStats, ApiError> {
    let unit = read_unit(conn, user, unit)?;
    let children = db::org_units::live_children(conn, unit.id)?;
    let ids: Vec<i64> = std::iter::once(unit.id).chain(children.iter().map(|c| c.id)).collect();
    let levels: Vec<String> = RatingLevel::ALL.iter().map(|l| level_counter(*l)).collect();
    let mut names: Vec<&str> = levels.iter().map(String::as_str).collect();
    names.extend([RATINGS, CONFIRMED, UNITS_RATED, UNITS_UP, UNITS_DROPPED]);
    let (this, last) = (year.to_string(), (year - 1).to_string());
    let rows = db::unit_counts::read_keys(conn, &ids, &names, &[&last, &this])?;
    let get = |unit: i64, key: &str, counter: &str| {
        rows.iter().filter(|r| r.0 == unit && r.1 == key && r.2 == counter).map(|r| r.3).sum::<i64>()
    };
    let overdue = db::ratings::overdue_paths(conn, &unit.path, year, today)?;
    let mut figures = |u: &OrgUnitRow| -> Result<UnitRatingFigures, ApiError> {
        let (ratings, confirmed) = (get(u.id, &this, RATINGS), get(u.id, &this, CONFIRMED));
        Ok(UnitRatingFigures {
            unit_id: OrgUnitId(u.id),
            unit_name: u.name.clone(),
            kind: u.kind.clone(),
            ratings,
            confirmed,
            not_rated: ratings - confirmed,
            excellent: get(u.id, &this, &level_counter(RatingLevel::Excellent)),
            overdue_periods: overdue.iter().filter(|p| p.starts_with(&u.path)).count() as i64,
            units_rated: get(u.id, &this, UNITS_RATED),
            units_total: db::unit_ratings::rated_kind_count(conn, &u.path)?,
        })
    };
    let mut below: Vec<UnitRatingFigures> = children.iter().map(&mut figures).collect::<Result<_, _>>()?;
    below.sort_by_key(|f| (std::cmp::Reverse(share(f.not_rated, f.ratings)), f.unit_name.clone()));
    let mine = figures(&unit)?;
    Ok(RatingStats {
        year,
        levels: RatingLevel::ALL
            .iter()
            .map(|l| LevelCount {
                level: *l,
                count: get(unit.id, &this, &level_counter(*l)),
                previous: get(unit.id, &last, &level_counter(*l)),
            })
            .collect(),
        units_rated_percent: (mine.units_total > 0).then(|| mine.units_rated * 100 / mine.units_total),
        units_up: get(unit.id, &this, UNITS_UP),
        units_dropped: get(unit.id, &this, UNITS_DROPPED),
        unit: mine,
        below,
    })
}

/// `part` of `whole` in thousandths (0 for an empty whole).
fn share(part: i64, whole: i64) -> i64 {
    match whole {
        0 => 0,
        w => part * 1000 / w,
    }
}
