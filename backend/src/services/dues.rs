//! Dues (đoàn phí): units' rates, members' payments (one or more months, or a branch's
//! collection for a month in one step), what a member owes and what a unit collected.
//!
//! The rate of a member for a month is the newest rate with `effective_from` ≤ the month of the
//! nearest unit on the member's line (their branch first, then up to the root), else the
//! built-in 2,000 / 5,000 VND with everything kept by the branch. Each month paid moves the
//! counters `dues_paid_members` (+1), `dues_collected` and `dues_kept` (the branch's share) of
//! the member's branch and every unit above it, in the payment's transaction.

use super::audit;
use crate::auth::AuthUser;
use crate::db::dues::{DuesMember, NewPaidMonthRow, NewPaymentRow, NewRateRow, PaymentsOf, RateRow};
use crate::db::org_units::{path_ids, OrgUnitRow};
use crate::db::unit_counts::{add, along};
use crate::db::{self, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use chrono::NaiveDate;
use shared::api::batch::BatchOutcome;
use shared::api::dues::{
    month_of, months_of_year, DuesClass, DuesMemberMonth, DuesMemberSummary, DuesPaymentView, DuesRateView,
    DuesRollLine, DuesUnitMonth, DuesUnitYear, ValidDuesCollection, ValidDuesPayment, ValidDuesRate,
};
use shared::api::page::Paging;
use shared::api::Page;
use shared::ids::{MemberId, OrgUnitId};
use shared::org::OrgKind;
use shared::roles::Capability;
use shared::{ConflictCode, FieldError, FieldErrorCode, Lang};
use std::collections::BTreeMap;

/// Members who paid a month (one per member and month).
pub const PAID_MEMBERS: &str = "dues_paid_members";
/// VND collected for a month.
pub const COLLECTED: &str = "dues_collected";
/// Of it, VND the members' branches keep.
pub const KEPT: &str = "dues_kept";

fn rate_view(r: &RateRow) -> DuesRateView {
    DuesRateView {
        id: r.id,
        unit_id: Some(OrgUnitId(r.unit_id)),
        effective_from: r.effective_from.clone(),
        unsalaried: r.unsalaried,
        salaried: r.salaried,
        branch_percent: r.branch_percent,
        above_percent: 100 - r.branch_percent,
    }
}

/// The rates on a unit's line, nearest unit first.
pub struct Rates(Vec<Vec<RateRow>>);

impl Rates {
    /// The rates of the unit at `path` and every unit above it.
    pub fn load(conn: &mut AnyConnection, path: &str) -> Result<Rates, ApiError> {
        let ids = path_ids(path);
        let mut by_unit: BTreeMap<i64, Vec<RateRow>> = BTreeMap::new();
        for r in db::dues::rates_of_units(conn, &ids)? {
            by_unit.entry(r.unit_id).or_default().push(r);
        }
        Ok(Rates(ids.iter().rev().filter_map(|id| by_unit.remove(id)).collect()))
    }

    /// The rate that applies in `month`.
    pub fn at(&self, month: &str) -> DuesRateView {
        self.0
            .iter()
            .find_map(|rates| rates.iter().rev().find(|r| r.effective_from.as_str() <= month))
            .map(rate_view)
            .unwrap_or_else(DuesRateView::builtin)
    }
}

/// The unit, for a caller who reads its records (else 404).
fn readable_unit(conn: &mut AnyConnection, user: &AuthUser, id: OrgUnitId) -> Result<OrgUnitRow, ApiError> {
    let unit = db::org_units::find(conn, id.0)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ReadRecords, &unit.path).map_err(|_| ApiError::NotFound("org unit"))?;
    Ok(unit)
}

/// The unit, for a cadre over it: 404 to whoever does not read it, 403 to a reader who may not write.
fn managed_unit(conn: &mut AnyConnection, user: &AuthUser, id: OrgUnitId) -> Result<OrgUnitRow, ApiError> {
    let unit = readable_unit(conn, user, id)?;
    scope::require(user, Capability::ManageMembers, &unit.path)?;
    Ok(unit)
}

fn class_of(m: &DuesMember) -> Result<DuesClass, ApiError> {
    super::stored(DuesClass::parse(&m.dues_class), "members.dues_class", &m.dues_class)
}

/// Records a unit's rate from a month on (a cadre over the unit). A month from it on that a
/// member of the subtree has paid already is 409 naming the first such month.
pub fn create_rate(conn: &mut AnyConnection, user: &AuthUser, v: &ValidDuesRate) -> Result<DuesRateView, ApiError> {
    db::write(conn, |conn| {
        let unit = managed_unit(conn, user, v.unit_id)?;
        if let Some(month) = db::dues::first_paid_month_from(conn, &unit.path, &v.effective_from)? {
            return Err(ApiError::Conflict(ConflictCode::DuesRateOverPayments, Some(month)));
        }
        let id = db::dues::insert_rate(
            conn,
            &NewRateRow {
                unit_id: unit.id,
                effective_from: &v.effective_from,
                unsalaried: v.unsalaried,
                salaried: v.salaried,
                branch_percent: v.branch_percent,
                created_by: Some(user.id.0),
                created_at: db::now(),
            },
        )?;
        let view = DuesRateView {
            id,
            unit_id: Some(OrgUnitId(unit.id)),
            effective_from: v.effective_from.clone(),
            unsalaried: v.unsalaried,
            salaried: v.salaried,
            branch_percent: v.branch_percent,
            above_percent: 100 - v.branch_percent,
        };
        audit::record(
            conn,
            audit::Change::<(), _> {
                actor: Some(user.id),
                action: "dues_rate.create",
                entity_type: "dues_rate",
                entity_id: id,
                unit: Some(audit::Unit::of(&unit)),
                before: None,
                after: Some(&view),
            },
        )?;
        Ok(view)
    })
}

/// A unit's own rates, the latest first (for those who read its records).
pub fn rates(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit_id: OrgUnitId,
    paging: Paging,
) -> Result<Page<DuesRateView>, ApiError> {
    let unit = readable_unit(conn, user, unit_id)?;
    let (rows, total) = db::dues::rates_page(conn, unit.id, paging.offset(), paging.per_page)?;
    Ok(paging.wrap(rows.iter().map(rate_view).collect(), total))
}

/// The member as the dues rules read them, for a cadre over their branch: 404 to whoever does
/// not read the member's record, 403 to a reader who may not record (the member themself).
fn managed_member(conn: &mut AnyConnection, user: &AuthUser, id: MemberId) -> Result<DuesMember, ApiError> {
    super::members::get(conn, user, id)?;
    let member = db::dues::dues_members(conn, &[id.0])?.pop().ok_or(ApiError::NotFound("member"))?;
    scope::require(user, Capability::ManageMembers, &member.unit_path)?;
    Ok(member)
}

/// Records a payment of `months` (in order) by `member`, checked against what is stored: each
/// month after the member joined and not after they left (409 `dues_after_leaving`), none paid
/// already (409 `dues_month_paid`), and the amount exactly the member's rate over the months
/// (`None`: at the rate). Writes the payment, its months, the counters and the audit entry.
fn pay(
    conn: &mut AnyConnection,
    user: &AuthUser,
    member: &DuesMember,
    months: &[String],
    amount: Option<i64>,
    paid_on: NaiveDate,
) -> Result<DuesPaymentView, ApiError> {
    let first = member.first_month();
    let before: Vec<FieldError> = months
        .iter()
        .enumerate()
        .filter(|(_, m)| m.as_str() < first.as_str())
        .map(|(i, m)| FieldError::with_context(format!("months[{i}]"), FieldErrorCode::NotAllowed, Lang::Vi, m))
        .collect();
    if !before.is_empty() {
        return Err(ApiError::Validation(before));
    }
    if let Some(last) = member.last_month() {
        if let Some(after) = months.iter().find(|m| m.as_str() > last.as_str()) {
            return Err(ApiError::Conflict(ConflictCode::DuesAfterLeaving, Some(after.clone())));
        }
    }
    if let Some(paid) = db::dues::paid_among(conn, member.id, months)?.into_iter().next() {
        return Err(ApiError::Conflict(ConflictCode::DuesMonthPaid, Some(paid)));
    }
    let class = class_of(member)?;
    let rates = Rates::load(conn, &member.unit_path)?;
    let lines: Vec<(String, i64, i64)> = months
        .iter()
        .map(|m| {
            let rate = rates.at(m);
            let due = rate.amount(class);
            (m.clone(), due, rate.kept(due))
        })
        .collect();
    let expected: i64 = lines.iter().map(|(_, due, _)| due).sum();
    let amount = amount.unwrap_or(expected);
    if amount != expected {
        let context = format!("{}: {expected}", shared::api::dues::months_text(months));
        return Err(ApiError::Validation(vec![FieldError::with_context(
            "amount",
            FieldErrorCode::AmountMismatch,
            Lang::Vi,
            &context,
        )]));
    }
    let id = db::dues::insert_payment(
        conn,
        &NewPaymentRow {
            member_id: member.id,
            unit_id: member.unit_id,
            unit_path: &member.unit_path,
            amount,
            paid_on,
            recorded_by: Some(user.id.0),
            created_at: db::now(),
        },
    )?;
    let rows: Vec<NewPaidMonthRow> = lines
        .iter()
        .map(|(month, due, kept)| NewPaidMonthRow {
            member_id: member.id,
            month,
            payment_id: id,
            unit_path: &member.unit_path,
            amount: *due,
            kept: *kept,
        })
        .collect();
    db::dues::insert_months(conn, &rows)?;
    for (month, due, kept) in &lines {
        add(conn, month, PAID_MEMBERS, &along(&member.unit_path, 1))?;
        add(conn, month, COLLECTED, &along(&member.unit_path, *due))?;
        add(conn, month, KEPT, &along(&member.unit_path, *kept))?;
    }
    let view = DuesPaymentView {
        id,
        member_id: MemberId(member.id),
        full_name: member.full_name.clone(),
        unit_id: OrgUnitId(member.unit_id),
        months: months.to_vec(),
        amount,
        paid_on,
    };
    audit::record(
        conn,
        audit::Change::<(), _> {
            actor: Some(user.id),
            action: "dues_payment.record",
            entity_type: "dues_payment",
            entity_id: id,
            unit: Some(audit::Unit { id: member.unit_id, path: &member.unit_path }),
            before: None,
            after: Some(&view),
        },
    )?;
    Ok(view)
}

/// A member's payment of one or more months (a cadre over the member's branch).
pub fn record_payment(
    conn: &mut AnyConnection,
    user: &AuthUser,
    v: &ValidDuesPayment,
) -> Result<DuesPaymentView, ApiError> {
    db::write(conn, |conn| {
        let member = managed_member(conn, user, v.member_id)?;
        pay(conn, user, &member, &v.months, Some(v.amount), v.paid_on)
    })
}

/// A unit's collection for one month: each listed member (of the unit's subtree) pays the month
/// at their rate, each in a transaction of its own, so one refused does not stop the others.
/// Each outcome names the member (`id`); a payment written has version 1.
pub fn collect(
    conn: &mut AnyConnection,
    user: &AuthUser,
    v: &ValidDuesCollection,
) -> Result<Vec<BatchOutcome>, ApiError> {
    let unit = managed_unit(conn, user, v.unit_id)?;
    v.member_ids
        .iter()
        .map(|id| {
            let paid = db::write(conn, |conn| {
                let member = db::dues::dues_members(conn, &[id.0])?
                    .pop()
                    .filter(|m| m.unit_path.starts_with(&unit.path))
                    .ok_or(ApiError::NotFound("member"))?;
                pay(conn, user, &member, std::slice::from_ref(&v.month), None, v.paid_on)
            });
            Ok(match paid {
                Ok(_) => BatchOutcome { id: id.0, version: Some(1), problem: None },
                Err(ApiError::Internal(err)) => return Err(ApiError::Internal(err)),
                Err(err) => BatchOutcome { id: id.0, version: None, problem: Some(err.problem(Lang::Vi)) },
            })
        })
        .collect()
}

/// Whose payments a list shows, as asked.
pub enum PaymentsFor {
    Member(MemberId),
    Unit(OrgUnitId),
}

/// Payments made in `year`, the latest first: a member's (for the member and those who read
/// their records), or those collected in a unit's subtree (for those who read its records).
pub fn payments(
    conn: &mut AnyConnection,
    user: &AuthUser,
    of: PaymentsFor,
    year: i32,
    paging: Paging,
) -> Result<Page<DuesPaymentView>, ApiError> {
    let path;
    let of = match of {
        PaymentsFor::Member(id) => {
            super::members::get(conn, user, id)?;
            PaymentsOf::Member(id.0)
        }
        PaymentsFor::Unit(id) => {
            path = readable_unit(conn, user, id)?.path;
            PaymentsOf::Subtree(&path)
        }
    };
    let (rows, total) = db::dues::payments_page(conn, of, year, paging.offset(), paging.per_page)?;
    let items = rows
        .into_iter()
        .map(|(p, full_name, months)| DuesPaymentView {
            id: p.id,
            member_id: MemberId(p.member_id),
            full_name,
            unit_id: OrgUnitId(p.unit_id),
            months,
            amount: p.amount,
            paid_on: p.paid_on,
        })
        .collect();
    Ok(paging.wrap(items, total))
}

/// A member's year: each month from January to the current one (and any paid ahead), whether it
/// was due, its amount, whether it is paid; what was paid and what is owed. For the member and
/// those who read their records.
pub fn member_summary(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: MemberId,
    year: i32,
    today: NaiveDate,
) -> Result<DuesMemberSummary, ApiError> {
    super::members::get(conn, user, id)?;
    let member = db::dues::dues_members(conn, &[id.0])?.pop().ok_or(ApiError::NotFound("member"))?;
    let class = class_of(&member)?;
    let now = month_of(today);
    let paid: BTreeMap<String, i64> =
        db::dues::member_months(conn, id.0, &format!("{year:04}-01"), &format!("{year:04}-12"))?.into_iter().collect();
    let unpaid_months = db::dues::unpaid_months(conn, &[id.0], year, &now)?.remove(&id.0).unwrap_or_default();
    let rates = Rates::load(conn, &member.unit_path)?;
    let months = months_of_year(year, &now)
        .into_iter()
        .chain(paid.keys().filter(|m| m.as_str() > now.as_str()).cloned())
        .map(|month| {
            let amount = paid.get(&month).copied().unwrap_or_else(|| rates.at(&month).amount(class));
            DuesMemberMonth { due: member.owes(&month), paid: paid.contains_key(&month), amount, month }
        })
        .collect::<Vec<_>>();
    let owed = months.iter().filter(|m| unpaid_months.contains(&m.month)).map(|m| m.amount).sum();
    Ok(DuesMemberSummary {
        member_id: id,
        year,
        dues_class: class,
        months,
        paid: paid.values().sum(),
        owed,
        unpaid_months,
    })
}

/// A unit's collection per month of `year` (to the current month), read from its counters;
/// what was due is counted member by member for a branch, and estimated above it from the
/// subtree's live members at the unit's rate without a salary (no scan of a province).
pub fn unit_months(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit_id: OrgUnitId,
    year: i32,
    today: NaiveDate,
) -> Result<DuesUnitYear, ApiError> {
    let unit = readable_unit(conn, user, unit_id)?;
    let months = months_of_year(year, &month_of(today));
    let (Some(from), Some(to)) = (months.first(), months.last()) else {
        return Ok(DuesUnitYear { unit_id, year, due_exact: true, months: Vec::new() });
    };
    let mut counts: BTreeMap<(String, String), i64> = BTreeMap::new();
    for (_, month, counter, n) in db::unit_counts::read(conn, &[unit.id], &[PAID_MEMBERS, COLLECTED, KEPT], from, to)? {
        counts.insert((month, counter), n);
    }
    let exact = unit.kind == OrgKind::Branch.as_str();
    let members = if exact { db::dues::live_members(conn, &unit.path)? } else { Vec::new() };
    let mut lines: BTreeMap<String, Rates> = BTreeMap::new();
    for m in &members {
        if !lines.contains_key(&m.unit_path) {
            lines.insert(m.unit_path.clone(), Rates::load(conn, &m.unit_path)?);
        }
    }
    let own = Rates::load(conn, &unit.path)?;
    let months = months
        .iter()
        .map(|month| {
            let n = |counter: &str| counts.get(&(month.clone(), counter.to_owned())).copied().unwrap_or(0);
            let (members_due, due) = if exact {
                let owing: Vec<&DuesMember> = members.iter().filter(|m| m.owes(month)).collect();
                let mut due = 0;
                for m in &owing {
                    due += lines[&m.unit_path].at(month).amount(class_of(m)?);
                }
                (owing.len() as i64, due)
            } else {
                (unit.live_members, unit.live_members * own.at(month).unsalaried)
            };
            let (collected, kept) = (n(COLLECTED), n(KEPT));
            Ok(DuesUnitMonth {
                month: month.clone(),
                members_due,
                members_paid: n(PAID_MEMBERS),
                collected,
                due,
                kept,
                sent_up: collected - kept,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(DuesUnitYear { unit_id, year, due_exact: exact, months })
}

/// The live members of a unit's subtree by name, each with their rate for `month` and whether
/// they paid it (for those who read the unit's records): the list a branch collects from.
pub fn roll(
    conn: &mut AnyConnection,
    user: &AuthUser,
    unit_id: OrgUnitId,
    month: &str,
    paging: Paging,
) -> Result<Page<DuesRollLine>, ApiError> {
    let unit = readable_unit(conn, user, unit_id)?;
    let (members, total) = db::dues::live_members_page(conn, &unit.path, paging.offset(), paging.per_page)?;
    let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
    let paid = db::dues::paid_by(conn, &ids, month, month)?;
    let mut lines: BTreeMap<String, Rates> = BTreeMap::new();
    let mut items = Vec::with_capacity(members.len());
    for m in members {
        if !lines.contains_key(&m.unit_path) {
            lines.insert(m.unit_path.clone(), Rates::load(conn, &m.unit_path)?);
        }
        let class = class_of(&m)?;
        items.push(DuesRollLine {
            member_id: MemberId(m.id),
            amount: lines[&m.unit_path].at(month).amount(class),
            paid: paid.get(&m.id).is_some_and(|p| p.contains(month)),
            full_name: m.full_name,
            dues_class: class,
        });
    }
    Ok(paging.wrap(items, total))
}

/// A transfer's release may not claim the member's dues paid later than their payments cover:
/// once any month is recorded, every month from the first paid to `paid_to` must be paid (409
/// `dues_unpaid` naming the first that is not). A member with no payment recorded is taken at
/// the branch's word.
pub fn check_paid_to(conn: &mut AnyConnection, member_id: i64, paid_to: NaiveDate) -> Result<(), ApiError> {
    let Some(first) = db::dues::first_paid_month(conn, member_id)? else {
        return Ok(());
    };
    let to = month_of(paid_to);
    let paid: std::collections::BTreeSet<String> =
        db::dues::member_months(conn, member_id, &first, &to)?.into_iter().map(|(m, _)| m).collect();
    let mut month = first;
    while month <= to {
        if !paid.contains(&month) {
            return Err(ApiError::Conflict(ConflictCode::DuesUnpaid, Some(month)));
        }
        month = shared::api::dues::add_months(&month, 1);
    }
    Ok(())
}
