//! Leaders' counters of branch life (`unit_month_counts`): one number per unit, calendar month
//! and counter. A write moves them for its unit and every unit above it, in ascending id order,
//! inside its own transaction; a subtree's figures for a month are then one row per unit.

use super::org_units::path_ids;
use super::schema::unit_month_counts;
use super::AnyConnection;
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use std::collections::BTreeMap;

/// The month key of a day: `YYYY-MM`.
pub fn month_of(day: NaiveDate) -> String {
    format!("{:04}-{:02}", day.year(), day.month())
}

/// `delta` for the unit at `path` and each unit above it, keyed (so ordered) by unit id.
pub fn along(path: &str, delta: i64) -> BTreeMap<i64, i64> {
    path_ids(path).into_iter().map(|id| (id, delta)).collect()
}

/// Adds each unit's delta to `counter` of `month`, creating the row the first time. Two writers
/// creating the same row at once (PostgreSQL): the second's insert fails inside its savepoint and
/// it adds to the row the first made.
pub fn add(conn: &mut AnyConnection, month: &str, counter: &str, per_unit: &BTreeMap<i64, i64>) -> QueryResult<()> {
    use diesel::result::{DatabaseErrorKind, Error};
    for (&id, &delta) in per_unit.iter().filter(|(_, d)| **d != 0) {
        let key = || {
            unit_month_counts::table
                .filter(unit_month_counts::unit_id.eq(id))
                .filter(unit_month_counts::month.eq(month))
                .filter(unit_month_counts::counter.eq(counter))
        };
        let bump = |conn: &mut AnyConnection| {
            diesel::update(key()).set(unit_month_counts::n.eq(unit_month_counts::n + delta)).execute(conn)
        };
        if bump(conn)? > 0 {
            continue;
        }
        let inserted = conn.transaction(|conn| {
            diesel::insert_into(unit_month_counts::table)
                .values((
                    unit_month_counts::unit_id.eq(id),
                    unit_month_counts::month.eq(month),
                    unit_month_counts::counter.eq(counter),
                    unit_month_counts::n.eq(delta),
                ))
                .execute(conn)
        });
        match inserted {
            Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
                bump(conn)?;
            }
            other => {
                other?;
            }
        }
    }
    Ok(())
}

/// What a read answers per counter: (unit, key, counter, n).
const LINE: (unit_month_counts::unit_id, unit_month_counts::month, unit_month_counts::counter, unit_month_counts::n) =
    (unit_month_counts::unit_id, unit_month_counts::month, unit_month_counts::counter, unit_month_counts::n);

/// The counters named in `counters` for each of `unit_ids` over the months `from..=to`
/// (`YYYY-MM`): (unit, month, counter, n), rows that were never written left out.
pub fn read(
    conn: &mut AnyConnection,
    unit_ids: &[i64],
    counters: &[&str],
    from: &str,
    to: &str,
) -> QueryResult<Vec<(i64, String, String, i64)>> {
    unit_month_counts::table
        .filter(unit_month_counts::unit_id.eq_any(unit_ids))
        .filter(unit_month_counts::counter.eq_any(counters))
        .filter(unit_month_counts::month.ge(from))
        .filter(unit_month_counts::month.le(to))
        .select(LINE)
        .load(conn)
}

/// The counters of units under exact keys (a year's, a few months'): the primary key's lookups,
/// where a range of keys would scan the counter's index across every unit.
pub fn read_keys(
    conn: &mut AnyConnection,
    unit_ids: &[i64],
    counters: &[&str],
    keys: &[&str],
) -> QueryResult<Vec<(i64, String, String, i64)>> {
    unit_month_counts::table
        .filter(unit_month_counts::unit_id.eq_any(unit_ids))
        .filter(unit_month_counts::counter.eq_any(counters))
        .filter(unit_month_counts::month.eq_any(keys))
        .select(LINE)
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_zero_padded_and_sort_as_text() {
        let d = |y, m| NaiveDate::from_ymd_opt(y, m, 1).unwrap();
        assert_eq!(month_of(d(2026, 3)), "2026-03");
        assert!(month_of(d(2026, 9)) < month_of(d(2026, 10)));
    }

    #[test]
    fn a_path_counts_every_unit_on_it() {
        assert_eq!(along("/1/5/23/", 2), BTreeMap::from([(1, 2), (5, 2), (23, 2)]));
    }
}
