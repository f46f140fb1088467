//! Queries on `throttle_windows`: failures counted per key, shared by every server on the
//! database (the throttle module decides what they mean).

use super::schema::throttle_windows;
use super::AnyConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

/// A key's window: when it started, the last failure, and how many.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = throttle_windows)]
pub struct WindowRow {
    pub key: String,
    pub started_at: NaiveDateTime,
    pub last_at: NaiveDateTime,
    pub failures: i32,
}

/// The windows of `keys` that started at or after `since`.
pub fn live(conn: &mut AnyConnection, keys: &[&str], since: NaiveDateTime) -> QueryResult<Vec<WindowRow>> {
    throttle_windows::table
        .filter(throttle_windows::key.eq_any(keys).and(throttle_windows::started_at.ge(since)))
        .select(WindowRow::as_select())
        .load(conn)
}

/// Counts one failure for `key` at `now`: in its window if that started at or after `since`,
/// else in a new one. Two servers counting the same new key at once both count (the loser of
/// the insert adds to the winner's row).
pub fn add(conn: &mut AnyConnection, key: &str, now: NaiveDateTime, since: NaiveDateTime) -> QueryResult<()> {
    let bump = |conn: &mut AnyConnection| {
        diesel::update(
            throttle_windows::table.filter(throttle_windows::key.eq(key).and(throttle_windows::started_at.ge(since))),
        )
        .set((throttle_windows::failures.eq(throttle_windows::failures + 1), throttle_windows::last_at.eq(now)))
        .execute(conn)
    };
    if bump(conn)? > 0 {
        return Ok(());
    }
    diesel::delete(throttle_windows::table.find(key)).execute(conn)?;
    let row = (
        throttle_windows::key.eq(key),
        throttle_windows::started_at.eq(now),
        throttle_windows::last_at.eq(now),
        throttle_windows::failures.eq(1),
    );
    // In a savepoint: on PostgreSQL a failed insert would otherwise abort the caller's
    // transaction, and the bump after it with it.
    match conn.transaction(|conn| diesel::insert_into(throttle_windows::table).values(row).execute(conn)) {
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => bump(conn).map(drop),
        other => other.map(drop),
    }
}

/// Forgets `key`'s failures.
pub fn remove(conn: &mut AnyConnection, key: &str) -> QueryResult<usize> {
    diesel::delete(throttle_windows::table.find(key)).execute(conn)
}

/// Forgets every window that started before `before` (expired ones).
pub fn purge(conn: &mut AnyConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(throttle_windows::table.filter(throttle_windows::started_at.lt(before))).execute(conn)
}
