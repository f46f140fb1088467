//! The database layer: one connection type over SQLite and PostgreSQL, the pool, migrations,
//! and one module of diesel queries per table. Functions here return `diesel::QueryResult`
//! and know nothing of HTTP.

pub mod admissions;
pub mod audit;
pub mod classes;
pub mod copy;
pub mod dues;
pub mod idempotency;
pub mod imports;
pub mod locks;
pub mod meetings;
pub mod members;
pub mod merges;
pub mod notify;
pub mod org_units;
pub mod positions;
pub mod programme_evidence;
pub mod programme_members;
pub mod programme_sheets;
pub mod programmes;
pub mod ratings;
pub mod refresh_tokens;
pub mod removals;
pub mod role_assignments;
pub mod schema;
pub mod throttle;
pub mod transfers;
pub mod unit_counts;
pub mod unit_ratings;
pub mod users;

use anyhow::{bail, Context};
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel::Connection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness};
use std::collections::HashSet;
use std::time::Duration;

/// One connection, to whichever engine `DATABASE_URL` names. Queries are written once for both.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    /// PostgreSQL (production).
    Postgresql(PgConnection),
    /// SQLite (the embedded default).
    Sqlite(SqliteConnection),
}

/// The pool every request borrows from.
pub type Pool = r2d2::Pool<Manager>;
/// A borrowed connection.
pub type PooledConn = r2d2::PooledConnection<Manager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = diesel_migrations::embed_migrations!("../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = diesel_migrations::embed_migrations!("../migrations/postgres");

/// Which engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// `sqlite://PATH`.
    Sqlite,
    /// `postgres://…` or `postgresql://…`.
    Postgres,
}

impl Engine {
    /// The name reported by `/health`.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// A parsed `DATABASE_URL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbUrl {
    /// A SQLite file.
    Sqlite(String),
    /// A PostgreSQL connection URL.
    Postgres(String),
}

impl DbUrl {
    /// Chooses the engine from the scheme (diesel's own guess hides the real connection error).
    pub fn parse(url: &str) -> anyhow::Result<DbUrl> {
        if let Some(path) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            if path.is_empty() {
                bail!("DATABASE_URL `{url}` names no file; use sqlite://PATH");
            }
            Ok(DbUrl::Sqlite(path.to_owned()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DbUrl::Postgres(url.to_owned()))
        } else {
            bail!("DATABASE_URL must start with sqlite:// or postgres:// (got `{url}`)")
        }
    }

    /// The engine.
    pub fn engine(&self) -> Engine {
        match self {
            DbUrl::Sqlite(_) => Engine::Sqlite,
            DbUrl::Postgres(_) => Engine::Postgres,
        }
    }
}

/// Opens connections for the pool, with the per-connection settings SQLite needs.
#[derive(Debug, Clone)]
pub struct Manager {
    url: DbUrl,
}

/// Write-ahead logging lets readers proceed during a write; the busy timeout makes a writer wait
/// for the lock instead of failing; foreign keys are off by default in SQLite; a 32 MB page cache
/// per connection keeps index pages of bulk writes (imports) in memory. (A memory map of the file
/// was tried: SQLite remaps it as the file grows, and a seed of 300,000 members spent its time in
/// the kernel.)
const SQLITE_PRAGMAS: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -32768;";

impl Manager {
    fn open(&self) -> diesel::ConnectionResult<AnyConnection> {
        match &self.url {
            DbUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path)?;
                conn.batch_execute(SQLITE_PRAGMAS).map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
                Ok(AnyConnection::Sqlite(conn))
            }
            DbUrl::Postgres(url) => PgConnection::establish(url).map(AnyConnection::Postgresql),
        }
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = AnyConnection;
    type Error = diesel::ConnectionError;

    fn connect(&self) -> Result<AnyConnection, Self::Error> {
        self.open()
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1").map_err(diesel::ConnectionError::CouldntSetupConfiguration)
    }

    fn has_broken(&self, _conn: &mut AnyConnection) -> bool {
        false
    }
}

/// Connects (reporting the engine's own error at once), then builds the pool.
pub fn connect(url: &DbUrl, max_size: u32) -> anyhow::Result<Pool> {
    let manager = Manager { url: url.clone() };
    // One direct attempt first: r2d2 would retry for 30 s and then hide the cause.
    manager.open().with_context(|| match url {
        DbUrl::Sqlite(path) => format!("cannot open the SQLite database `{path}`"),
        DbUrl::Postgres(_) => "cannot connect to PostgreSQL (DATABASE_URL)".to_owned(),
    })?;
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .connection_timeout(Duration::from_secs(10))
        .build(manager)
        .context("cannot build the database pool")?;
    Ok(pool)
}

fn migrations_for(conn: &AnyConnection) -> EmbeddedMigrations {
    match conn {
        AnyConnection::Sqlite(_) => SQLITE_MIGRATIONS,
        AnyConnection::Postgresql(_) => POSTGRES_MIGRATIONS,
    }
}

/// Refuses a database that a newer Sổ Đoàn has migrated, then applies the pending migrations
/// (each in its own transaction). Returns the names of those applied.
pub fn migrate(conn: &mut AnyConnection) -> anyhow::Result<Vec<String>> {
    use diesel::migration::MigrationSource;
    let source = migrations_for(conn);
    let known: HashSet<String> = MigrationSource::<diesel::sqlite::Sqlite>::migrations(&source)
        .map_err(|e| anyhow::anyhow!("embedded migrations are unreadable: {e}"))?
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    let applied = conn.applied_migrations().map_err(|e| anyhow::anyhow!("cannot read the schema version: {e}"))?;
    let unknown: Vec<String> = applied.iter().map(|v| v.to_string()).filter(|v| !known.contains(v)).collect();
    if !unknown.is_empty() {
        bail!(
            "this database was migrated by a newer version of Sổ Đoàn (unknown schema versions: {}); \
             upgrade sodoan or use another database",
            unknown.join(", ")
        );
    }
    let done: Vec<String> = conn
        .run_pending_migrations(source)
        .map_err(|e| anyhow::anyhow!("database migration failed: {e}"))?
        .iter()
        .map(|v| v.to_string())
        .collect();
    // The word index of member names arrived with this migration; fill it for existing members.
    if done.iter().any(|v| v == "20261122000005") {
        members::rebuild_words(conn).map_err(|e| anyhow::anyhow!("cannot index member names: {e}"))?;
    }
    // Folded unit names arrived with this migration; fill them for existing units.
    if done.iter().any(|v| v == "20261122000010") {
        org_units::rebuild_search_names(conn).map_err(|e| anyhow::anyhow!("cannot index unit names: {e}"))?;
    }
    // Entries written before the audit trail was a hash chain (or by an older binary) join it.
    let chained = audit::backfill_chain(conn).map_err(|e| anyhow::anyhow!("cannot chain the audit trail: {e}"))?;
    if chained > 0 {
        tracing::info!(entries = chained, "audit trail entries chained");
    }
    Ok(done)
}

/// Whether the database lacks migrations this binary has (it has not been migrated yet).
pub fn has_pending_migrations(conn: &mut AnyConnection) -> anyhow::Result<bool> {
    let source = migrations_for(conn);
    conn.has_pending_migration(source).map_err(|e| anyhow::anyhow!("cannot read the schema version: {e}"))
}

/// Runs `f` in a read-only transaction whose reads all see the database as it was at its first
/// read (PostgreSQL: REPEATABLE READ; SQLite: a read transaction keeps its WAL snapshot), so a
/// long read such as the audit verification is not confused by writes committed meanwhile.
pub fn snapshot<T, E, F>(conn: &mut AnyConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    conn.transaction(|conn| {
        if let AnyConnection::Postgresql(pg) = conn {
            pg.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        }
        f(conn)
    })
}

/// Runs `f` in a transaction that writes. On SQLite its first statement takes the write lock, so
/// the transaction reads after any writer before it has committed: a transaction that read first
/// and then wrote after another connection's commit would fail at once with `SQLITE_BUSY_SNAPSHOT`
/// (the busy timeout does not apply to it). PostgreSQL needs nothing more: versions and row locks
/// decide there.
pub fn write<T, E, F>(conn: &mut AnyConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    if matches!(conn, AnyConnection::Sqlite(_)) && !HOLDS_TURN.get() {
        if let Some(writer) = WRITER.with_borrow(Clone::clone) {
            let mut turn = writer.take()?;
            if let Some(conn) = turn.0.as_mut() {
                return transact(conn, f);
            }
        }
    }
    transact(conn, f)
}

fn transact<T, E, F>(conn: &mut AnyConnection, f: F) -> Result<T, E>
where
    F: FnOnce(&mut AnyConnection) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    conn.transaction(|conn| {
        if let AnyConnection::Sqlite(sqlite) = conn {
            // A write statement that changes nothing still opens the write transaction.
            sqlite.batch_execute("UPDATE users SET id = id WHERE 0")?;
        }
        f(conn)
    })
}

/// The one connection the server writes to a SQLite database through, one writer at a time.
/// Writers queue here instead of in SQLite's busy handler (which sleeps 1, 2, 5, 10… ms between
/// tries while the writer ahead needs well under one), and the writing connection keeps its page
/// cache: SQLite drops a connection's whole cache when another connection has written since its
/// last transaction, so writes spread over the pool each started cold.
pub struct Writer {
    url: DbUrl,
    conn: parking_lot::Mutex<Option<AnyConnection>>,
}

/// How long a write waits for its turn before the server answers 503 (as SQLite's busy timeout):
/// a long write, such as an all-or-nothing import, must not hold every request's thread.
const WRITER_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

/// The message of the error a write gets when its turn did not come in time.
pub const BUSY: &str = "the database is busy with another write";

/// A shared writer.
pub type SharedWriter = std::sync::Arc<Writer>;

thread_local! {
    /// The writer of the database this thread works on (set by `with_writer`).
    static WRITER: std::cell::RefCell<Option<SharedWriter>> = const { std::cell::RefCell::new(None) };
    /// Whether this thread holds a writer's turn (a `write` inside another runs in it).
    static HOLDS_TURN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A writer's connection while this thread holds its turn (always `Some` then).
struct Turn<'a>(parking_lot::MutexGuard<'a, Option<AnyConnection>>);

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        HOLDS_TURN.set(false);
        if std::thread::panicking() {
            // A write panicked mid-transaction: its connection may be unusable; the next opens another.
            *self.0 = None;
        }
    }
}

impl Writer {
    /// A writer for a SQLite database (none for PostgreSQL, where row locks and versions decide).
    pub fn for_url(url: &DbUrl) -> Option<SharedWriter> {
        matches!(url, DbUrl::Sqlite(_))
            .then(|| std::sync::Arc::new(Writer { url: url.clone(), conn: parking_lot::Mutex::new(None) }))
    }

    /// Waits for the turn (at most `WRITER_WAIT`); opens the connection on first use (and again
    /// after a panic lost it).
    fn take(&self) -> Result<Turn<'_>, diesel::result::Error> {
        let unable = |message: String| {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UnableToSendCommand,
                Box::new(message),
            )
        };
        let mut guard = self.conn.try_lock_for(WRITER_WAIT).ok_or_else(|| unable(BUSY.to_owned()))?;
        if guard.is_none() {
            let conn = Manager { url: self.url.clone() }.open().map_err(|e| unable(e.to_string()))?;
            *guard = Some(conn);
        }
        HOLDS_TURN.set(true);
        Ok(Turn(guard))
    }
}

/// Runs `f` with `writer` as this thread's writer (what `write` then goes through).
pub fn with_writer<T>(writer: Option<&SharedWriter>, f: impl FnOnce() -> T) -> T {
    struct Restore(Option<SharedWriter>);
    impl Drop for Restore {
        fn drop(&mut self) {
            WRITER.set(self.0.take());
        }
    }
    let _restore = Restore(WRITER.replace(writer.cloned()));
    f()
}

/// Now, in UTC, to the microsecond (both engines store microseconds).
pub fn now() -> chrono::NaiveDateTime {
    use chrono::{SubsecRound, Utc};
    Utc::now().naive_utc().trunc_subsecs(6)
}

/// One round trip to the database (the health check).
pub fn ping(conn: &mut AnyConnection) -> diesel::QueryResult<()> {
    conn.batch_execute("SELECT 1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;
    use diesel::RunQueryDsl;

    fn scratch() -> (tempfile::TempDir, DbUrl, AnyConnection) {
        let dir = tempfile::tempdir().unwrap();
        let url = DbUrl::Sqlite(dir.path().join("w.db").display().to_string());
        let mut conn = Manager { url: url.clone() }.open().unwrap();
        conn.batch_execute("CREATE TABLE users (id INTEGER PRIMARY KEY); CREATE TABLE t (n INTEGER);").unwrap();
        (dir, url, conn)
    }

    fn count(conn: &mut AnyConnection) -> i64 {
        diesel::dsl::sql::<diesel::sql_types::BigInt>("SELECT COUNT(*) FROM t").get_result(conn).unwrap()
    }

    #[test]
    fn writes_go_through_the_writer_one_at_a_time_and_a_write_inside_another_joins_it() {
        let (_dir, url, mut conn) = scratch();
        let writer = Writer::for_url(&url).unwrap();
        let done: Result<(), diesel::result::Error> = with_writer(Some(&writer), || {
            write(&mut conn, |w| {
                w.batch_execute("INSERT INTO t VALUES (1)")?;
                // Nested: runs in the same transaction on the writer, not waiting for itself.
                write(w, |w| w.batch_execute("INSERT INTO t VALUES (2)"))
            })
        });
        done.unwrap();
        assert_eq!(count(&mut conn), 2, "committed, and visible to the pool's connections");
        assert!(!HOLDS_TURN.get());
    }

    #[test]
    fn a_write_that_waits_too_long_for_its_turn_is_told_the_database_is_busy() {
        let (_dir, url, mut conn) = scratch();
        let writer = Writer::for_url(&url).unwrap();
        let (held, release) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
        let holder = {
            let (writer, url, held) = (writer.clone(), url.clone(), held.0);
            std::thread::spawn(move || {
                let mut own = Manager { url }.open().unwrap();
                with_writer(Some(&writer), || {
                    write(&mut own, |_| {
                        held.send(()).unwrap();
                        release.1.recv().unwrap();
                        Ok::<_, diesel::result::Error>(())
                    })
                })
                .unwrap();
            })
        };
        held.1.recv().unwrap();
        let waited: Result<(), diesel::result::Error> =
            with_writer(Some(&writer), || write(&mut conn, |w| w.batch_execute("INSERT INTO t VALUES (1)")));
        let err = waited.unwrap_err();
        assert!(matches!(&err, diesel::result::Error::DatabaseError(_, info) if info.message() == BUSY), "{err}");
        assert!(matches!(crate::error::ApiError::from(err), crate::error::ApiError::Unavailable), "a 503, not a 500");
        release.0.send(()).unwrap();
        holder.join().unwrap();
        assert_eq!(count(&mut conn), 0);
    }
}
