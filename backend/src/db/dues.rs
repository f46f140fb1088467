//! Queries on `dues_rates`, `dues_payments` and `dues_payment_months` (one row per member and
//! month paid, so a month is paid once), and the unpaid months of members (the removal list's seam).

use super::members::LIVE_STATUSES;
use super::org_units::subtree_upper_bound;
use super::schema::{dues_payment_months, dues_payments, dues_rates, members};
use super::AnyConnection;
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// A row of `dues_rates`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = dues_rates)]
pub struct RateRow {
    pub id: i64,
    pub unit_id: i64,
    pub effective_from: String,
    pub unsalaried: i64,
    pub salaried: i64,
    pub branch_percent: i64,
}

/// A new rate.
#[derive(Debug, Insertable)]
#[diesel(table_name = dues_rates)]
pub struct NewRateRow<'a> {
    pub unit_id: i64,
    pub effective_from: &'a str,
    pub unsalaried: i64,
    pub salaried: i64,
    pub branch_percent: i64,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// A row of `dues_payments`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = dues_payments)]
pub struct PaymentRow {
    pub id: i64,
    pub member_id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub amount: i64,
    pub paid_on: NaiveDate,
}

/// A new payment.
#[derive(Debug, Insertable)]
#[diesel(table_name = dues_payments)]
pub struct NewPaymentRow<'a> {
    pub member_id: i64,
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub amount: i64,
    pub paid_on: NaiveDate,
    pub recorded_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

/// One month a payment covers.
#[derive(Debug, Insertable)]
#[diesel(table_name = dues_payment_months)]
pub struct NewPaidMonthRow<'a> {
    pub member_id: i64,
    pub month: &'a str,
    pub payment_id: i64,
    pub unit_path: &'a str,
    pub amount: i64,
    pub kept: i64,
}

pub fn insert_rate(conn: &mut AnyConnection, row: &NewRateRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(dues_rates::table).values(row).returning(dues_rates::id).get_result(conn)
}

/// Every rate of the units named (a member's line: a handful of rows).
pub fn rates_of_units(conn: &mut AnyConnection, unit_ids: &[i64]) -> QueryResult<Vec<RateRow>> {
    dues_rates::table
        .filter(dues_rates::unit_id.eq_any(unit_ids))
        .select(RateRow::as_select())
        .order((dues_rates::unit_id, dues_rates::effective_from))
        .load(conn)
}

/// A unit's rates, the latest first, and how many it has.
pub fn rates_page(conn: &mut AnyConnection, unit_id: i64, offset: i64, limit: i64) -> QueryResult<(Vec<RateRow>, i64)> {
    let total = dues_rates::table.filter(dues_rates::unit_id.eq(unit_id)).count().get_result(conn)?;
    let rows = dues_rates::table
        .filter(dues_rates::unit_id.eq(unit_id))
        .select(RateRow::as_select())
        .order(dues_rates::effective_from.desc())
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}

/// The first month from `from` on paid by a member of the subtree at `path` (as collected).
pub fn first_paid_month_from(conn: &mut AnyConnection, path: &str, from: &str) -> QueryResult<Option<String>> {
    dues_payment_months::table
        .filter(dues_payment_months::unit_path.ge(path))
        .filter(dues_payment_months::unit_path.lt(subtree_upper_bound(path)))
        .filter(dues_payment_months::month.ge(from))
        .select(dues_payment_months::month)
        .order(dues_payment_months::month)
        .first(conn)
        .optional()
}

/// Of `months`, those the member has paid already.
pub fn paid_among(conn: &mut AnyConnection, member_id: i64, months: &[String]) -> QueryResult<Vec<String>> {
    dues_payment_months::table
        .filter(dues_payment_months::member_id.eq(member_id))
        .filter(dues_payment_months::month.eq_any(months))
        .select(dues_payment_months::month)
        .order(dues_payment_months::month)
        .load(conn)
}

/// The months the member paid from `from` to `to` (inclusive), with what each cost.
pub fn member_months(
    conn: &mut AnyConnection,
    member_id: i64,
    from: &str,
    to: &str,
) -> QueryResult<Vec<(String, i64)>> {
    dues_payment_months::table
        .filter(dues_payment_months::member_id.eq(member_id))
        .filter(dues_payment_months::month.ge(from))
        .filter(dues_payment_months::month.le(to))
        .select((dues_payment_months::month, dues_payment_months::amount))
        .order(dues_payment_months::month)
        .load(conn)
}

/// The earliest month the member has paid, if any.
pub fn first_paid_month(conn: &mut AnyConnection, member_id: i64) -> QueryResult<Option<String>> {
    dues_payment_months::table
        .filter(dues_payment_months::member_id.eq(member_id))
        .select(dues_payment_months::month)
        .order(dues_payment_months::month)
        .first(conn)
        .optional()
}

pub fn insert_payment(conn: &mut AnyConnection, row: &NewPaymentRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(dues_payments::table).values(row).returning(dues_payments::id).get_result(conn)
}

/// The months of a payment, a row each (the multi-engine connection inserts one row at a time).
pub fn insert_months(conn: &mut AnyConnection, rows: &[NewPaidMonthRow<'_>]) -> QueryResult<usize> {
    rows.iter().map(|row| diesel::insert_into(dues_payment_months::table).values(row).execute(conn)).sum()
}

/// Whose payments a list shows.
#[derive(Debug, Clone, Copy)]
pub enum PaymentsOf<'a> {
    Member(i64),
    /// Collected in the subtree at this path.
    Subtree(&'a str),
}

/// A payment in a list: the row, the member's name, the months it covers.
pub type ListedPayment = (PaymentRow, String, Vec<String>);

/// Payments made in `year` (by the day paid), the latest first, with the member's name and the
/// months each covers; and how many there are.
pub fn payments_page(
    conn: &mut AnyConnection,
    of: PaymentsOf<'_>,
    year: i32,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<ListedPayment>, i64)> {
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    );
    let filtered = || {
        let q = dues_payments::table
            .inner_join(members::table)
            .filter(dues_payments::paid_on.between(from, to))
            .into_boxed::<super::MultiBackend>();
        match of {
            PaymentsOf::Member(id) => q.filter(dues_payments::member_id.eq(id)),
            PaymentsOf::Subtree(path) => q
                .filter(dues_payments::unit_path.ge(path.to_owned()))
                .filter(dues_payments::unit_path.lt(subtree_upper_bound(path))),
        }
    };
    let total = filtered().count().get_result(conn)?;
    let rows: Vec<(PaymentRow, String)> = filtered()
        .select((PaymentRow::as_select(), members::full_name))
        .order((dues_payments::paid_on.desc(), dues_payments::id.desc()))
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|(p, _)| p.id).collect();
    let mut months: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (payment, month) in dues_payment_months::table
        .filter(dues_payment_months::payment_id.eq_any(&ids))
        .select((dues_payment_months::payment_id, dues_payment_months::month))
        .order(dues_payment_months::month)
        .load::<(i64, String)>(conn)?
    {
        months.entry(payment).or_default().push(month);
    }
    let rows = rows
        .into_iter()
        .map(|(p, name)| {
            let m = months.remove(&p.id).unwrap_or_default();
            (p, name, m)
        })
        .collect();
    Ok((rows, total))
}

/// The first month both members paid, if any (two records of one person cannot be merged then).
pub fn paid_by_both(conn: &mut AnyConnection, a: i64, b: i64) -> QueryResult<Option<String>> {
    let theirs: Vec<String> = dues_payment_months::table
        .filter(dues_payment_months::member_id.eq(b))
        .select(dues_payment_months::month)
        .load(conn)?;
    dues_payment_months::table
        .filter(dues_payment_months::member_id.eq(a))
        .filter(dues_payment_months::month.eq_any(theirs))
        .select(dues_payment_months::month)
        .order(dues_payment_months::month)
        .first(conn)
        .optional()
}

/// Points a merged-away record's payments at the kept one (no month is paid by both).
pub fn move_payments(conn: &mut AnyConnection, from: i64, to: i64) -> QueryResult<()> {
    diesel::update(dues_payments::table.filter(dues_payments::member_id.eq(from)))
        .set(dues_payments::member_id.eq(to))
        .execute(conn)?;
    diesel::update(dues_payment_months::table.filter(dues_payment_months::member_id.eq(from)))
        .set(dues_payment_months::member_id.eq(to))
        .execute(conn)?;
    Ok(())
}

/// What the dues rules read of a member: id, joining day, status and since when, class, name.
#[derive(Debug, Clone, Queryable)]
pub struct DuesMember {
    pub id: i64,
    pub joined_on: NaiveDate,
    pub status: String,
    pub status_since: NaiveDate,
    pub dues_class: String,
    pub full_name: String,
    pub unit_id: i64,
    pub unit_path: String,
}

impl DuesMember {
    /// The first month the member owes: the month they joined.
    pub fn first_month(&self) -> String {
        month_key(self.joined_on)
    }

    /// The last month the member owes when they left (a status that is not live), else `None`.
    pub fn last_month(&self) -> Option<String> {
        match LIVE_STATUSES.contains(&self.status.as_str()) {
            true => None,
            false => Some(month_key(self.status_since)),
        }
    }

    /// Whether the member owes `month`.
    pub fn owes(&self, month: &str) -> bool {
        month >= self.first_month().as_str() && self.last_month().is_none_or(|last| month <= last.as_str())
    }
}

fn month_key(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

type DuesMemberColumns = (
    members::id,
    members::joined_on,
    members::status,
    members::status_since,
    members::dues_class,
    members::full_name,
    members::unit_id,
    members::unit_path,
);

const DUES_MEMBER: DuesMemberColumns = (
    members::id,
    members::joined_on,
    members::status,
    members::status_since,
    members::dues_class,
    members::full_name,
    members::unit_id,
    members::unit_path,
);

/// The members named, as the dues rules read them.
pub fn dues_members(conn: &mut AnyConnection, ids: &[i64]) -> QueryResult<Vec<DuesMember>> {
    members::table.filter(members::id.eq_any(ids)).select(DUES_MEMBER).load(conn)
}

/// The live members of the subtree at `path`, by name; a page and how many there are.
pub fn live_members_page(
    conn: &mut AnyConnection,
    path: &str,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<DuesMember>, i64)> {
    let filtered = || {
        members::table
            .filter(members::unit_path.ge(path.to_owned()))
            .filter(members::unit_path.lt(subtree_upper_bound(path)))
            .filter(members::status.eq_any(LIVE_STATUSES))
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .select(DUES_MEMBER)
        .order((members::sort_key, members::id))
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}

/// Every live member of the subtree at `path` (a branch: its few dozen members).
pub fn live_members(conn: &mut AnyConnection, path: &str) -> QueryResult<Vec<DuesMember>> {
    live_members_page(conn, path, 0, i64::MAX).map(|(rows, _)| rows)
}

/// For each of `member_ids`, the months paid among `months`.
pub fn paid_by(
    conn: &mut AnyConnection,
    member_ids: &[i64],
    from: &str,
    to: &str,
) -> QueryResult<BTreeMap<i64, BTreeSet<String>>> {
    let mut paid: BTreeMap<i64, BTreeSet<String>> = BTreeMap::new();
    for chunk in member_ids.chunks(500) {
        for (member, month) in dues_payment_months::table
            .filter(dues_payment_months::member_id.eq_any(chunk))
            .filter(dues_payment_months::month.ge(from))
            .filter(dues_payment_months::month.le(to))
            .select((dues_payment_months::member_id, dues_payment_months::month))
            .load::<(i64, String)>(conn)?
        {
            paid.entry(member).or_default().insert(month);
        }
    }
    Ok(paid)
}

/// For each member named, the months of `year` up to `up_to` (`YYYY-MM`) with no payment. A
/// month before the member joined the Union, or after they left it (a status that is not live,
/// from the month after it began), is not unpaid. Members not found are left out; a member with
/// nothing unpaid has an empty list.
pub fn unpaid_months(
    conn: &mut AnyConnection,
    member_ids: &[i64],
    year: i32,
    up_to: &str,
) -> QueryResult<BTreeMap<i64, Vec<String>>> {
    let from = format!("{year:04}-01");
    let to = format!("{year:04}-12").min(up_to.to_owned());
    let mut members = Vec::new();
    for chunk in member_ids.chunks(500) {
        members.extend(dues_members(conn, chunk)?);
    }
    let paid = paid_by(conn, member_ids, &from, &to)?;
    let months: Vec<String> = (1..=12).map(|m| format!("{year:04}-{m:02}")).filter(|m| *m <= to).collect();
    Ok(members
        .into_iter()
        .map(|m| {
            let done = paid.get(&m.id);
            let unpaid = months
                .iter()
                .filter(|month| m.owes(month) && !done.is_some_and(|d| d.contains(*month)))
                .cloned()
                .collect();
            (m.id, unpaid)
        })
        .collect())
}
