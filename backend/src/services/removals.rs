//! The removal list (`shared::api::removals`): per unit and year, the live members with
//! `DEFAULT_MONTHS` or more months without attending a held branch meeting (present or excused),
//! or owing dues. The list is found again whenever it is read — open candidates come and go with
//! the sheets and payments — and written only when it changed; a decision stays. Removing a
//! candidate records the member's own `remove` transition with the months as its reason.

use super::audit;
use crate::auth::AuthUser;
use crate::db::removals::{CandidateListing, CandidateRow, NewCandidateRow};
use crate::db::unit_counts::along;
use crate::db::{self, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use shared::api::member_transitions::{MemberAction, ValidMemberTransition};
use shared::api::page::Paging;
use shared::api::removals::{
    months_of, CandidateAction, CandidateStatus, RemovalCandidateView, ValidCandidateTransition, DEFAULT_MONTHS,
};
use shared::api::Page;
use shared::ids::{MemberId, OrgUnitId, UserId};
use shared::org::OrgKind;
use shared::roles::Capability;
use shared::ConflictCode;
use std::collections::BTreeMap;

/// The counter of open candidates, kept per unit under the year (`YYYY`) in `unit_month_counts`.
pub const OPEN: &str = "removal_open";

fn year_key(year: i32) -> String {
    format!("{year:04}")
}

/// A member's months that count, by kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Months {
    attendance: Vec<String>,
    dues: Vec<String>,
}

impl Months {
    fn counts(&self, min: usize) -> bool {
        self.attendance.len() >= min || self.dues.len() >= min
    }
}

/// Months with a held branch meeting in which the member was neither present nor excused.
fn missed(lines: &[(i64, NaiveDateTime, String)]) -> BTreeMap<i64, Vec<String>> {
    let mut by_month: BTreeMap<(i64, String), bool> = BTreeMap::new();
    for (member, at, status) in lines {
        let kept = by_month.entry((*member, db::unit_counts::month_of(at.date()))).or_insert(false);
        *kept |= status != "absent";
    }
    let mut out: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for ((member, month), kept) in by_month {
        if !kept {
            out.entry(member).or_default().push(month);
        }
    }
    out
}

/// Months of `year` before the current one that each live member of the subtree owes dues for,
/// in the branches that keep their dues here (a payment recorded in the year): a branch still on
/// paper owes nothing in Sổ Đoàn's eyes.
fn owed(
    conn: &mut AnyConnection,
    path: &str,
    year: i32,
    today: NaiveDate,
    only: Option<i64>,
) -> Result<BTreeMap<i64, Vec<String>>, ApiError> {
    let last_month = today.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(today);
    let up_to = db::unit_counts::month_of(last_month);
    let members = db::removals::live_in(conn, path, only)?;
    let mut units: Vec<i64> = members.iter().map(|(_, u)| *u).collect();
    units.sort_unstable();
    units.dedup();
    let (first, last) = (format!("{year:04}-01"), format!("{year:04}-12"));
    let keeping: std::collections::HashSet<i64> =
        db::unit_counts::read(conn, &units, &[super::dues::PAID_MEMBERS], &first, &last)?
            .into_iter()
            .filter(|r| r.3 > 0)
            .map(|r| r.0)
            .collect();
    let ids: Vec<i64> = members.iter().filter(|(_, u)| keeping.contains(u)).map(|(m, _)| *m).collect();
    Ok(db::dues::unpaid_months(conn, &ids, year, &up_to)?)
}

fn year_span(year: i32, today: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    let day = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(today).and_hms_opt(0, 0, 0).unwrap_or_default();
    let end = today.succ_opt().unwrap_or(today).and_hms_opt(0, 0, 0).unwrap_or_default();
    (day(year), day(year + 1).min(end))
}

/// The members of the subtree whose months count: (member, unit id, unit path) → months.
fn find(
    conn: &mut AnyConnection,
    path: &str,
    year: i32,
    min: usize,
    today: NaiveDate,
    only: Option<i64>,
) -> Result<BTreeMap<i64, (i64, String, Months)>, ApiError> {
    let (from, until) = year_span(year, today);
    let attendance = missed(&db::removals::branch_lines(conn, path, from, until, only)?);
    let mut dues = owed(conn, path, year, today, only)?;
    let mut ids: Vec<i64> = attendance.keys().copied().collect();
    ids.extend(dues.iter().filter(|(_, months)| months.len() >= min).map(|(m, _)| *m));
    ids.sort_unstable();
    ids.dedup();
    let mut found = BTreeMap::new();
    for (member, unit_id, unit_path) in db::removals::live_members(conn, path, &ids)? {
        let months = Months {
            attendance: attendance.get(&member).cloned().unwrap_or_default(),
            dues: dues.remove(&member).unwrap_or_default(),
        };
        if months.counts(min) {
            found.insert(member, (unit_id, unit_path, months));
        }
    }
    Ok(found)
}

/// What a refresh changes: new candidates, open ones whose months changed, open ones gone.
fn changes(found: &BTreeMap<i64, (i64, String, Months)>, existing: &[CandidateRow]) -> usize {
    let open: BTreeMap<i64, &CandidateRow> = existing.iter().map(|c| (c.member_id, c)).collect();
    let new_or_changed = found
        .iter()
        .filter(|(m, (_, _, months))| match open.get(m) {
            None => true,
            Some(c) => {
                c.status == CandidateStatus::Open.as_str()
                    && (months_of(&c.attendance_months) != months.attendance
                        || months_of(&c.dues_months) != months.dues)
            }
        })
        .count();
    let gone = existing
        .iter()
        .filter(|c| c.status == CandidateStatus::Open.as_str() && !found.contains_key(&c.member_id))
        .count();
    new_or_changed + gone
}

/// Brings the subtree's open candidates of the year up to date (one write, only if needed).
fn refresh(conn: &mut AnyConnection, path: &str, year: i32, min: usize, today: NaiveDate) -> Result<(), ApiError> {
    let found = find(conn, path, year, min, today, None)?;
    if changes(&found, &db::removals::of_subtree(conn, path, year)?) == 0 {
        return Ok(());
    }
    db::write(conn, |conn| {
        let found = find(conn, path, year, min, today, None)?;
        let existing = db::removals::of_subtree(conn, path, year)?;
        let at = db::now();
        let key = year_key(year);
        for c in existing.iter().filter(|c| c.status == CandidateStatus::Open.as_str()) {
            match found.get(&c.member_id) {
                None => {
                    db::removals::drop_open(conn, c.id)?;
                    db::unit_counts::add(conn, &key, OPEN, &along(&c.unit_path, -1))?;
                }
                Some((_, _, m)) => {
                    let (a, d) = (m.attendance.join(","), m.dues.join(","));
                    if a != c.attendance_months || d != c.dues_months {
                        db::removals::set_months(conn, c.id, &a, &d, at)?;
                    }
                }
            }
        }
        for (member, (unit_id, unit_path, m)) in &found {
            if existing.iter().any(|c| c.member_id == *member) {
                continue;
            }
            let (a, d) = (m.attendance.join(","), m.dues.join(","));
            let row = NewCandidateRow {
                member_id: *member,
                unit_id: *unit_id,
                unit_path,
                year,
                attendance_months: &a,
                dues_months: &d,
                created_at: at,
                updated_at: at,
            };
            db::removals::insert(conn, &row)?;
            db::unit_counts::add(conn, &key, OPEN, &along(unit_path, 1))?;
        }
        Ok(())
    })
}

fn status_of(row: &CandidateRow) -> Result<CandidateStatus, ApiError> {
    super::stored(CandidateStatus::parse(&row.status), "removal_candidates.status", &row.status)
}

fn view(
    user: &AuthUser,
    (row, full_name, account, unit_name): CandidateListing,
) -> Result<RemovalCandidateView, ApiError> {
    let status = status_of(&row)?;
    let decides = status == CandidateStatus::Open
        && scope::require(user, Capability::ManageMembers, &row.unit_path).is_ok()
        && !scope::is_about_self(user, account.map(UserId));
    Ok(RemovalCandidateView {
        id: row.id,
        member_id: MemberId(row.member_id),
        full_name,
        unit_id: OrgUnitId(row.unit_id),
        unit_name,
        year: row.year,
        attendance_months: months_of(&row.attendance_months),
        dues_months: months_of(&row.dues_months),
        status,
        reason: row.reason,
        decided_at: row.decided_at.map(super::utc),
        version: row.version,
        allowed_actions: if decides { CandidateAction::ALL.to_vec() } else { Vec::new() },
    })
}

/// A page of a unit's removal list for a year (its cadres and those above; another subtree is
/// 404), refreshed first, by member name.
pub fn list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit: OrgUnitId,
    year: i32,
    status: Option<CandidateStatus>,
    paging: Paging,
    today: NaiveDate,
) -> Result<Page<RemovalCandidateView>, ApiError> {
    let unit = db::org_units::find(conn, unit.0)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ReadRecords, &unit.path).map_err(|_| ApiError::NotFound("org unit"))?;
    // A grassroots unit's list (or a branch's) is found again; above that, the lists as their
    // units last read them (a province's members' lines are not read on a page load).
    let local = matches!(OrgKind::parse(&unit.kind), Some(OrgKind::Grassroots | OrgKind::Section | OrgKind::Branch));
    if local && year <= today.year() {
        refresh(conn, &unit.path, year, DEFAULT_MONTHS, today)?;
    }
    let (rows, total) = db::removals::page(
        conn,
        &unit.path,
        year,
        status.map(CandidateStatus::as_str),
        paging.offset(),
        paging.per_page,
    )?;
    let items = rows.into_iter().map(|r| view(user, r)).collect::<Result<_, _>>()?;
    Ok(paging.wrap(items, total))
}

/// Removes a candidate (the member's `remove` transition, the months as its reason) or dismisses
/// it with a reason, with `If-Match`. A cadre's own candidacy is not theirs to decide (403
/// `own_case`); months attended or paid since leave too few to remove (409 `candidate_settled`).
pub fn transition(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    expected: i64,
    t: ValidCandidateTransition,
    today: NaiveDate,
) -> Result<RemovalCandidateView, ApiError> {
    db::write(conn, |conn| {
        let listing = db::removals::find(conn, id)?.ok_or(ApiError::NotFound("removal candidate"))?;
        let (row, _, account, _) = &listing;
        scope::require(user, Capability::ReadRecords, &row.unit_path)
            .map_err(|_| ApiError::NotFound("removal candidate"))?;
        scope::require(user, Capability::ManageMembers, &row.unit_path)?;
        scope::not_about_self(user, account.map(UserId))?;
        if row.version != expected {
            return Err(ApiError::PreconditionFailed);
        }
        if status_of(row)? != CandidateStatus::Open {
            return Err(ApiError::InvalidState(row.status.clone()));
        }
        let before = view(user, listing.clone())?;
        let (status, reason) = match t.action {
            CandidateAction::Dismiss => (CandidateStatus::Dismissed, t.reason.clone()),
            CandidateAction::Remove => {
                let now = find(conn, &row.unit_path, row.year, DEFAULT_MONTHS, today, Some(row.member_id))?;
                let Some((_, _, months)) = now.get(&row.member_id) else {
                    return Err(ApiError::conflict(ConflictCode::CandidateSettled));
                };
                let settled = RemovalCandidateView {
                    attendance_months: months.attendance.clone(),
                    dues_months: months.dues.clone(),
                    ..before.clone()
                };
                let mut reason = settled.removal_reason();
                if let Some(note) = &t.reason {
                    reason = format!("{reason}. {note}");
                }
                let (member, _, _) = db::members::find(conn, row.member_id)?.ok_or(ApiError::NotFound("member"))?;
                let step =
                    ValidMemberTransition { action: MemberAction::Remove, on: today, reason: Some(reason.clone()) };
                super::members::transition(conn, user, MemberId(member.id), member.version, step)?;
                (CandidateStatus::Removed, Some(reason))
            }
        };
        if !db::removals::decide(conn, id, expected, status.as_str(), reason.as_deref(), user.id.0, db::now())? {
            return Err(ApiError::PreconditionFailed);
        }
        db::unit_counts::add(conn, &year_key(row.year), OPEN, &along(&row.unit_path, -1))?;
        let after = view(user, db::removals::find(conn, id)?.ok_or(ApiError::NotFound("removal candidate"))?)?;
        audit::record(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: &format!("removal_candidate.{}", t.action.as_str()),
                entity_type: "removal_candidate",
                entity_id: id,
                unit: Some(audit::Unit { id: row.unit_id, path: &row.unit_path }),
                before: Some(&before),
                after: Some(&after),
            },
        )?;
        Ok(after)
    })
}

/// Open candidates of a year counted for a unit's subtree (the home page's alert, leaders' figures).
pub fn open_count(conn: &mut AnyConnection, unit_id: i64, year: i32) -> Result<i64, ApiError> {
    let key = year_key(year);
    Ok(db::unit_counts::read(conn, &[unit_id], &[OPEN], &key, &key)?.iter().map(|r| r.3).sum())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_counts_when_no_meeting_of_it_was_attended_or_excused() {
        let t = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap().and_hms_opt(19, 0, 0).unwrap();
        let lines = vec![
            (1, t(1, 5), "absent".to_owned()),
            (1, t(1, 20), "present".to_owned()),
            (1, t(2, 5), "absent".to_owned()),
            (1, t(3, 5), "excused".to_owned()),
            (2, t(2, 5), "present".to_owned()),
        ];
        assert_eq!(missed(&lines), BTreeMap::from([(1, vec!["2026-02".to_owned()])]));
    }
}
