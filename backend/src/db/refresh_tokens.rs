//! Queries on `refresh_tokens` (only hashes are stored).

use super::schema::refresh_tokens;
use super::AnyConnection;
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// A row of `refresh_tokens`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub id: i64,
    pub user_id: i64,
    pub token_hash: String,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
}

/// A newly issued token.
#[derive(Debug, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct NewRefreshTokenRow<'a> {
    pub user_id: i64,
    pub token_hash: &'a str,
    pub created_at: NaiveDateTime,
    pub expires_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, row: &NewRefreshTokenRow<'_>) -> QueryResult<usize> {
    diesel::insert_into(refresh_tokens::table).values(row).execute(conn)
}

pub fn find_by_hash(conn: &mut AnyConnection, hash: &str) -> QueryResult<Option<RefreshTokenRow>> {
    refresh_tokens::table
        .filter(refresh_tokens::token_hash.eq(hash))
        .select(RefreshTokenRow::as_select())
        .first(conn)
        .optional()
}

/// Revokes one token if it is still live; returns whether this call revoked it
/// (so of two concurrent refreshes with the same token only one wins).
pub fn revoke(conn: &mut AnyConnection, id: i64, at: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(refresh_tokens::table.find(id).filter(refresh_tokens::revoked_at.is_null()))
        .set(refresh_tokens::revoked_at.eq(at))
        .execute(conn)
        .map(|n| n == 1)
}

pub fn revoke_all_for_user(conn: &mut AnyConnection, user_id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        refresh_tokens::table.filter(refresh_tokens::user_id.eq(user_id)).filter(refresh_tokens::revoked_at.is_null()),
    )
    .set(refresh_tokens::revoked_at.eq(at))
    .execute(conn)
}
