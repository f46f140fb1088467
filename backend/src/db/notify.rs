//! Telling the other servers on one PostgreSQL that something they keep in memory changed
//! (`NOTIFY`, delivered when the writing transaction commits), and listening for it. SQLite
//! serves one process: nothing to tell.

use super::AnyConnection;
use diesel::pg::PgConnection;
use diesel::{Connection, RunQueryDsl};
use std::time::Duration;

/// Accounts or role grants changed: callers loaded before must be read again.
pub const CALLERS: &str = "sodoan_callers";

/// How often the listener looks for notifications (a revoked role stops working on every
/// server within about this long).
pub const POLL: Duration = Duration::from_millis(200);

/// Tells every server listening on `channel`, when the current transaction commits (at once
/// outside one).
pub fn notify(conn: &mut AnyConnection, channel: &'static str) -> diesel::QueryResult<()> {
    if let AnyConnection::Postgresql(pg) = conn {
        diesel::sql_query(format!("NOTIFY {channel}")).execute(pg)?;
    }
    Ok(())
}

/// Listens on `channel` on a connection of its own until `tick` answers false (nobody needs it
/// any more). `tick(true)` after notifications arrived, and also whenever the connection had to
/// be opened again (what was sent meanwhile is lost, so a change is assumed); `tick(false)` every
/// `POLL` otherwise. Runs on the calling thread.
pub fn listen(url: &str, channel: &'static str, tick: impl Fn(bool) -> bool) {
    let mut reconnected = false;
    loop {
        let listened = PgConnection::establish(url).and_then(|mut conn| {
            diesel::sql_query(format!("LISTEN {channel}")).execute(&mut conn).map_err(broken)?;
            poll(&mut conn, reconnected, &tick)
        });
        match listened {
            Ok(()) => return,
            Err(e) => tracing::warn!(channel, error = %e, "listening for changes stopped; reconnecting"),
        }
        std::thread::sleep(Duration::from_secs(1));
        reconnected = true;
    }
}

fn broken(e: diesel::result::Error) -> diesel::ConnectionError {
    diesel::ConnectionError::BadConnection(e.to_string())
}

fn poll(
    conn: &mut PgConnection,
    mut changed: bool,
    tick: &impl Fn(bool) -> bool,
) -> Result<(), diesel::ConnectionError> {
    loop {
        for n in conn.notifications_iter() {
            n.map_err(broken)?;
            changed = true;
        }
        if !tick(changed) {
            return Ok(());
        }
        changed = false;
        std::thread::sleep(POLL);
    }
}
