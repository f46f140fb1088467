//! A grassroots unit's rating period for a year: its cadres (or those above) open it with the
//! deadlines and the rules in force; opening creates one rating per eligible member and lists
//! who is not rated there and why. A member's eligibility is read from their placements in the
//! unit's subtree during the period (so a member who moved away after six months is still
//! rated here, and one who arrived two months ago is not).

use super::audit;
use super::ratings::{RATINGS, RATING_STATE_OPEN};
use crate::auth::AuthUser;
use crate::db::ratings::{NewExclusionRow, NewPeriodRow, NewRatingRow, PeriodRow, PlacementLine};
use crate::db::{self, org_units::OrgUnitRow, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use chrono::NaiveDate;
use shared::api::members::PartyStatus;
use shared::api::programmes::PeriodKind;
use shared::api::ratings::{
    months_of_days, ExclusionReason, RatingExclusion, RatingPeriodView, RatingRules, ValidRatingPeriod,
};
use shared::ids::{MemberId, OrgUnitId};
use shared::org::OrgKind;
use shared::roles::Capability;
use shared::{ConflictCode, FieldErrorCode};
use std::collections::{BTreeMap, HashSet};

/// The rules a period keeps.
pub fn rules_of(p: &PeriodRow) -> RatingRules {
    RatingRules {
        min_months: p.min_months,
        rate_full_party: p.rate_full_party,
        quota_percent: p.quota_percent,
        quota_enforced: p.quota_enforced,
    }
}

/// The unit if the caller holds any role over it (else 404), and may manage its records (else 403).
pub(crate) fn managed_unit(conn: &mut AnyConnection, user: &AuthUser, id: OrgUnitId) -> Result<OrgUnitRow, ApiError> {
    let unit = db::org_units::find(conn, id.0)?.ok_or(ApiError::NotFound("org unit"))?;
    if scope::best_role(user, &unit.path).is_none() {
        return Err(ApiError::NotFound("org unit"));
    }
    scope::require(user, Capability::ManageMembers, &unit.path)?;
    Ok(unit)
}

/// Where one member stands for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// Rated here, in this branch.
    Rated {
        unit_id: i64,
        unit_path: String,
        months: i32,
    },
    Excluded {
        reason: ExclusionReason,
        months: i32,
    },
}

/// Each live member placed in the subtree during `from..=to`, and where they stand: the months
/// are the days of all their placements there within the period, the branch their latest one.
pub fn standings(
    lines: &[PlacementLine],
    (from, to): (NaiveDate, NaiveDate),
    rules: &RatingRules,
    rated_elsewhere: &HashSet<i64>,
) -> BTreeMap<i64, Standing> {
    let mut days: BTreeMap<i64, (i64, &PlacementLine)> = BTreeMap::new();
    for line in lines.iter().filter(|l| db::members::LIVE_STATUSES.contains(&l.status.as_str())) {
        let start = line.started_on.max(from);
        let end = line.ended_on.unwrap_or(to).min(to);
        let n = (end - start).num_days() + 1;
        let entry = days.entry(line.member_id).or_insert((0, line));
        entry.0 += n.max(0);
        if line.started_on >= entry.1.started_on {
            entry.1 = line;
        }
    }
    days.into_iter()
        .map(|(member, (n, last))| {
            let months = months_of_days(n);
            let full = last.party_status == PartyStatus::Full.as_str();
            let standing = if full && !rules.rate_full_party {
                Standing::Excluded { reason: ExclusionReason::FullPartyMember, months }
            } else if months < rules.min_months {
                Standing::Excluded { reason: ExclusionReason::TooFewMonths, months }
            } else if rated_elsewhere.contains(&member) {
                Standing::Excluded { reason: ExclusionReason::RatedElsewhere, months }
            } else {
                Standing::Rated { unit_id: last.unit_id, unit_path: last.unit_path.clone(), months }
            };
            (member, standing)
        })
        .collect()
}

/// Where one member stands for the period (None: never placed in its subtree during it).
pub(crate) fn standing_of(conn: &mut AnyConnection, p: &PeriodRow, member: i64) -> Result<Option<Standing>, ApiError> {
    let lines: Vec<PlacementLine> = db::ratings::placements_in(conn, &p.unit_path, p.starts_on, p.ends_on)?
        .into_iter()
        .filter(|l| l.member_id == member)
        .collect();
    let elsewhere: HashSet<i64> = db::ratings::rated_in_year(conn, &[member], p.year)?.into_iter().collect();
    Ok(standings(&lines, (p.starts_on, p.ends_on), &rules_of(p), &elsewhere).remove(&member))
}

/// Opens the unit's period for the year (409 `rating_period_exists` for a second one) and
/// creates its ratings, in one transaction with the counters of every branch's line.
pub fn open(
    conn: &mut AnyConnection,
    user: &AuthUser,
    v: &ValidRatingPeriod,
    today: NaiveDate,
) -> Result<RatingPeriodView, ApiError> {
    let id = db::write(conn, |conn| {
        let unit = managed_unit(conn, user, v.unit_id)?;
        if unit.kind != OrgKind::Grassroots.as_str() {
            return Err(ApiError::field("unit_id", FieldErrorCode::NotAllowed));
        }
        if db::ratings::period_of(conn, unit.id, v.year)?.is_some() {
            return Err(ApiError::conflict(ConflictCode::RatingPeriodExists));
        }
        let kind = PeriodKind::of_sector(&unit.sector);
        let (starts_on, ends_on) = kind.bounds(v.year);
        let now = db::now();
        let id = db::ratings::insert_period(
            conn,
            &NewPeriodRow {
                unit_id: unit.id,
                unit_path: &unit.path,
                year: v.year,
                period_kind: kind.as_str(),
                starts_on,
                ends_on,
                self_until: v.self_until,
                branch_until: v.branch_until,
                confirm_until: v.confirm_until,
                min_months: v.rules.min_months,
                rate_full_party: v.rules.rate_full_party,
                quota_percent: v.rules.quota_percent,
                quota_enforced: v.rules.quota_enforced,
                opened_by: Some(user.id.0),
                created_at: now,
                updated_at: now,
            },
        )?;
        let lines = db::ratings::placements_in(conn, &unit.path, starts_on, ends_on)?;
        let ids: Vec<i64> = lines.iter().map(|l| l.member_id).collect();
        let elsewhere: HashSet<i64> = db::ratings::rated_in_year(conn, &ids, v.year)?.into_iter().collect();
        let mut per_unit: BTreeMap<i64, i64> = BTreeMap::new();
        let mut rated = 0;
        for (member, standing) in standings(&lines, (starts_on, ends_on), &v.rules, &elsewhere) {
            match standing {
                Standing::Rated { unit_id, unit_path, months } => {
                    insert_rating(conn, id, v.year, member, (unit_id, &unit_path), months)?;
                    for u in db::org_units::path_ids(&unit_path) {
                        *per_unit.entry(u).or_insert(0) += 1;
                    }
                    rated += 1;
                }
                Standing::Excluded { reason, months } => {
                    let row = NewExclusionRow {
                        period_id: id,
                        member_id: member,
                        year: v.year,
                        reason: reason.as_str(),
                        months,
                    };
                    db::ratings::insert_exclusion(conn, &row)?;
                }
            }
        }
        db::ratings::add_to_period(conn, id, rated, 0)?;
        db::unit_counts::add(conn, &v.year.to_string(), RATINGS, &per_unit)?;
        let after = serde_json::json!({ "year": v.year, "ratings": rated, "rules": v.rules });
        record(conn, user, id, &unit, "rating_period.open", after)?;
        Ok(id)
    })?;
    get(conn, user, id, today)
}

pub(crate) fn insert_rating(
    conn: &mut AnyConnection,
    period: i64,
    year: i32,
    member: i64,
    (unit_id, unit_path): (i64, &str),
    months: i32,
) -> Result<i64, ApiError> {
    let now = db::now();
    Ok(db::ratings::insert_rating(
        conn,
        &NewRatingRow {
            period_id: Some(period),
            member_id: member,
            unit_id,
            unit_path,
            year,
            state: RATING_STATE_OPEN,
            months,
            created_at: now,
            updated_at: now,
        },
    )?)
}

fn record(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    unit: &OrgUnitRow,
    action: &str,
    after: serde_json::Value,
) -> Result<(), ApiError> {
    audit::record::<(), _>(
        conn,
        audit::Change {
            actor: Some(user.id),
            action,
            entity_type: "rating_period",
            entity_id: id,
            unit: Some(audit::Unit::of(unit)),
            before: None,
            after: Some(&after),
        },
    )
}

/// The period if the caller reads its unit's records or those of a branch under it (else 404).
pub(crate) fn readable(conn: &mut AnyConnection, user: &AuthUser, id: i64) -> Result<PeriodRow, ApiError> {
    let p = db::ratings::find_period(conn, id)?.ok_or(ApiError::NotFound("rating period"))?;
    let reads = scope::require(user, Capability::ReadRecords, &p.unit_path).is_ok()
        || user.grants.iter().any(|g| {
            g.unit_path.starts_with(&p.unit_path) && scope::require(user, Capability::ReadRecords, &g.unit_path).is_ok()
        });
    match reads {
        true => Ok(p),
        false => Err(ApiError::NotFound("rating period")),
    }
}

/// A period as read, with who is not rated and why.
pub fn get(conn: &mut AnyConnection, user: &AuthUser, id: i64, today: NaiveDate) -> Result<RatingPeriodView, ApiError> {
    let p = readable(conn, user, id)?;
    let exclusions = db::ratings::exclusions_of(conn, p.id)?
        .into_iter()
        .map(|(member, full_name, reason, months, comment)| {
            Ok(RatingExclusion {
                member_id: MemberId(member),
                full_name,
                reason: super::stored(ExclusionReason::parse(&reason), "rating_exclusions.reason", &reason)?,
                months,
                comment,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    view(conn, p, exclusions, today)
}

fn view(
    conn: &mut AnyConnection,
    p: PeriodRow,
    exclusions: Vec<RatingExclusion>,
    today: NaiveDate,
) -> Result<RatingPeriodView, ApiError> {
    let unit = db::org_units::find(conn, p.unit_id)?.ok_or(ApiError::NotFound("org unit"))?;
    Ok(RatingPeriodView {
        id: p.id,
        unit_id: OrgUnitId(p.unit_id),
        unit_name: unit.name,
        year: p.year,
        rules: rules_of(&p),
        period_kind: p.period_kind,
        starts_on: p.starts_on,
        ends_on: p.ends_on,
        self_until: p.self_until,
        branch_until: p.branch_until,
        confirm_until: p.confirm_until,
        ratings: p.ratings,
        confirmed: p.confirmed,
        overdue: today > p.confirm_until && p.confirmed < p.ratings,
        exclusions,
        version: p.version,
    })
}

/// The periods that cover a unit: its own subtree's, and the one of the grassroots unit above
/// it (for a branch's cadres), of a year when given; for those who read the unit's records.
pub fn list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit: OrgUnitId,
    year: Option<i32>,
    today: NaiveDate,
) -> Result<Vec<RatingPeriodView>, ApiError> {
    let unit = db::org_units::find(conn, unit.0)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ReadRecords, &unit.path).map_err(|_| ApiError::NotFound("org unit"))?;
    let above: Vec<i64> = db::org_units::path_ids(&unit.path).into_iter().filter(|u| *u != unit.id).collect();
    let mut rows = db::ratings::periods_of_units(conn, &above, year)?;
    rows.extend(db::ratings::periods_in(conn, &unit.path, year)?);
    rows.into_iter().map(|p| view(conn, p, Vec::new(), today)).collect()
}

/// The unit's comment on a member it lists as not rated (its cadres; the member not the
/// caller): it travels to the rating of the unit that rates them.
pub fn comment(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    member: MemberId,
    text: &str,
    today: NaiveDate,
) -> Result<RatingPeriodView, ApiError> {
    db::write(conn, |conn| {
        let p = readable(conn, user, id)?;
        scope::require(user, Capability::ManageMembers, &p.unit_path)?;
        let subject = db::members::find(conn, member.0)?.ok_or(ApiError::NotFound("member"))?.0;
        scope::not_about_self(user, subject.user_id.map(shared::ids::UserId))?;
        if !db::ratings::comment_exclusion(conn, p.id, member.0, text, user.id.0)? {
            return Err(ApiError::field("member_id", FieldErrorCode::NotFound));
        }
        let unit = db::org_units::find(conn, p.unit_id)?.ok_or(ApiError::NotFound("org unit"))?;
        record(conn, user, p.id, &unit, "rating_period.comment", serde_json::json!({ "member_id": member.0 }))
    })?;
    get(conn, user, id, today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn line(member: i64, unit: i64, from: NaiveDate, to: Option<NaiveDate>, party: &str) -> PlacementLine {
        PlacementLine {
            member_id: member,
            unit_id: unit,
            unit_path: format!("/1/{unit}/"),
            started_on: from,
            ended_on: to,
            full_name: "A".into(),
            party_status: party.into(),
            status: "active".into(),
        }
    }

    #[test]
    fn a_member_is_rated_where_active_six_months_or_more() {
        let year = (d(2026, 1, 1), d(2026, 12, 31));
        let lines = vec![
            line(1, 5, d(2020, 3, 1), Some(d(2026, 7, 31)), "none"),
            line(1, 6, d(2026, 8, 1), None, "none"),
            line(2, 5, d(2026, 9, 1), None, "none"),
            line(3, 5, d(2019, 1, 1), None, "full"),
            line(4, 5, d(2019, 1, 1), None, "probationary"),
        ];
        let s = standings(&lines, year, &RatingRules::default(), &HashSet::new());
        assert_eq!(s[&1], Standing::Rated { unit_id: 6, unit_path: "/1/6/".into(), months: 12 });
        assert_eq!(s[&2], Standing::Excluded { reason: ExclusionReason::TooFewMonths, months: 4 });
        assert_eq!(s[&3], Standing::Excluded { reason: ExclusionReason::FullPartyMember, months: 12 });
        assert!(matches!(s[&4], Standing::Rated { .. }));
        let rules = RatingRules { rate_full_party: true, ..Default::default() };
        let elsewhere = HashSet::from([4]);
        let s = standings(&lines, year, &rules, &elsewhere);
        assert!(matches!(s[&3], Standing::Rated { .. }));
        assert_eq!(s[&4], Standing::Excluded { reason: ExclusionReason::RatedElsewhere, months: 12 });
    }
}
