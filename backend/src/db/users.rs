//! Queries on `users`.

use super::schema::users;
use super::AnyConnection;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// A row of `users`.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub login: String,
    pub password_hash: String,
    pub full_name: String,
    pub date_of_birth: Option<NaiveDate>,
    pub status: String,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A new account.
#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUserRow<'a> {
    pub login: &'a str,
    pub password_hash: &'a str,
    pub full_name: &'a str,
    pub date_of_birth: Option<NaiveDate>,
    pub status: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, row: &NewUserRow<'_>) -> QueryResult<UserRow> {
    // MultiBackend cannot return a whole `Selectable` row, so return the id and read the row back.
    let id: i64 = diesel::insert_into(users::table).values(row).returning(users::id).get_result(conn)?;
    users::table.find(id).select(UserRow::as_select()).first(conn)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<UserRow>> {
    users::table.find(id).select(UserRow::as_select()).first(conn).optional()
}

pub fn find_by_login(conn: &mut AnyConnection, login: &str) -> QueryResult<Option<UserRow>> {
    users::table.filter(users::login.eq(login)).select(UserRow::as_select()).first(conn).optional()
}

pub fn set_status(conn: &mut AnyConnection, id: i64, status: &str, at: NaiveDateTime) -> QueryResult<usize> {
    super::notify::notify(conn, super::notify::CALLERS)?;
    diesel::update(users::table.find(id)).set((users::status.eq(status), users::updated_at.eq(at))).execute(conn)
}

pub fn set_password_hash(conn: &mut AnyConnection, id: i64, hash: &str, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(users::table.find(id)).set((users::password_hash.eq(hash), users::updated_at.eq(at))).execute(conn)
}

pub fn count(conn: &mut AnyConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}
