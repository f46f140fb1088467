//! Queries on `idempotency_keys`.

use super::schema::idempotency_keys;
use super::AnyConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A row of `idempotency_keys`; `status` is empty while the first request is still running.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = idempotency_keys)]
pub struct IdempotencyRow {
    pub id: i64,
    pub scope: String,
    pub idem_key: String,
    pub fingerprint: String,
    pub status: Option<i32>,
    pub content_type: Option<String>,
    pub body: Option<String>,
    pub created_at: NaiveDateTime,
}

/// A claim on a key, taken before the request runs.
#[derive(Debug, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct NewIdempotencyRow<'a> {
    pub scope: &'a str,
    pub idem_key: &'a str,
    pub fingerprint: &'a str,
    pub created_at: NaiveDateTime,
}

/// Claims a key; a unique violation means someone holds it already.
pub fn claim(conn: &mut AnyConnection, row: &NewIdempotencyRow<'_>) -> QueryResult<usize> {
    diesel::insert_into(idempotency_keys::table).values(row).execute(conn)
}

pub fn find(conn: &mut AnyConnection, scope: &str, key: &str) -> QueryResult<Option<IdempotencyRow>> {
    idempotency_keys::table
        .filter(idempotency_keys::scope.eq(scope).and(idempotency_keys::idem_key.eq(key)))
        .select(IdempotencyRow::as_select())
        .first(conn)
        .optional()
}

/// Stores the response of the request that holds the key.
pub fn complete(
    conn: &mut AnyConnection,
    scope: &str,
    key: &str,
    status: i32,
    content_type: Option<&str>,
    body: &str,
) -> QueryResult<usize> {
    diesel::update(
        idempotency_keys::table.filter(idempotency_keys::scope.eq(scope).and(idempotency_keys::idem_key.eq(key))),
    )
    .set((
        idempotency_keys::status.eq(status),
        idempotency_keys::content_type.eq(content_type),
        idempotency_keys::body.eq(body),
    ))
    .execute(conn)
}

/// Gives a key up (the request failed on the server's side, so a retry may run it again).
pub fn release(conn: &mut AnyConnection, scope: &str, key: &str) -> QueryResult<usize> {
    diesel::delete(
        idempotency_keys::table.filter(idempotency_keys::scope.eq(scope).and(idempotency_keys::idem_key.eq(key))),
    )
    .execute(conn)
}

/// Forgets keys older than `before`.
pub fn purge(conn: &mut AnyConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(before))).execute(conn)
}
