//! PostgreSQL advisory locks, held by a connection's session: work that one server at a time may
//! do (the nightly backup), and the mark of an import still running (a server that dies releases
//! its locks with its connections, so another one can tell its jobs were interrupted). SQLite
//! serves one process, which holds every lock.

use super::AnyConnection;
use diesel::sql_types::{BigInt, Bool};
use diesel::{QueryableByName, RunQueryDsl};

/// The nightly backup.
pub const BACKUP: i64 = 0x50_44_42_41_43_4b; // "SDBACK"

/// The lock of a running import job.
pub fn import_job(job: i64) -> i64 {
    0x494d_5000_0000_0000 | (job & 0xff_ffff_ffff) // "IMP" + the job
}

#[derive(QueryableByName)]
struct Got {
    #[diesel(sql_type = Bool)]
    got: bool,
}

/// Takes `key` for this connection's session if nobody holds it; answers whether it did.
pub fn try_lock(conn: &mut AnyConnection, key: i64) -> diesel::QueryResult<bool> {
    match conn {
        AnyConnection::Postgresql(pg) => Ok(diesel::sql_query("SELECT pg_try_advisory_lock($1) AS got")
            .bind::<BigInt, _>(key)
            .get_result::<Got>(pg)?
            .got),
        AnyConnection::Sqlite(_) => Ok(true),
    }
}

/// Gives `key` back (before the connection returns to the pool).
pub fn unlock(conn: &mut AnyConnection, key: i64) -> diesel::QueryResult<()> {
    if let AnyConnection::Postgresql(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_unlock($1) AS got").bind::<BigInt, _>(key).get_result::<Got>(pg)?;
    }
    Ok(())
}
