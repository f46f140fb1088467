//! Backups, restores and the move from the embedded SQLite to PostgreSQL — `sodoan backup`,
//! `sodoan restore`, `sodoan migrate-to` — and the nightly backup a server takes when
//! `SODOAN_BACKUP_DIR` is set.
//!
//! A backup is always one SQLite file, whichever engine it was taken from: SQLite copies itself
//! online (`VACUUM INTO`, a consistent snapshot while the server writes), PostgreSQL is copied
//! table by table from one REPEATABLE READ snapshot into a new SQLite file (`db::copy`). So one
//! file restores into either engine, and can be read with any SQLite tool.

use crate::config::BackupSchedule;
use crate::db::copy::{copy_all, TableCount};
use crate::db::{self, AnyConnection, DbUrl};
use crate::services::audit_chain;
use anyhow::{bail, Context};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// What a backup, restore or migration wrote.
#[derive(Debug)]
pub struct Summary {
    /// Where the data went.
    pub target: String,
    /// Rows per table, on both sides (equal, or the operation failed).
    pub tables: Vec<TableCount>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rows: i64 = self.tables.iter().map(|t| t.target).sum();
        write!(f, "{}: {} tables, {rows} rows", self.target, self.tables.len())?;
        for t in self.tables.iter().filter(|t| t.target > 0) {
            write!(f, "\n  {:<28} {:>10}", t.table, t.target)?;
        }
        Ok(())
    }
}

fn open(url: &DbUrl) -> anyhow::Result<db::PooledConn> {
    Ok(db::connect(url, 1)?.get()?)
}

fn migrated(url: &DbUrl) -> anyhow::Result<db::PooledConn> {
    let mut conn = open(url)?;
    if db::has_pending_migrations(&mut conn)? {
        bail!("the database is not migrated to this version of Sổ Đoàn; run `sodoan migrate` first");
    }
    Ok(conn)
}

fn sqlite_literal(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "''"))
}

fn partial(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}

/// Each table counted in the SQLite file at `path`.
fn counted(path: &Path) -> anyhow::Result<Vec<TableCount>> {
    use diesel::{QueryableByName, RunQueryDsl};
    #[derive(QueryableByName)]
    struct Named {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = open(&DbUrl::Sqlite(path.display().to_string()))?;
    let names = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '__diesel_schema_migrations' ORDER BY name",
    )
    .load::<Named>(&mut *conn)?;
    names
        .into_iter()
        .map(|t| {
            let n = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM \"{}\"", t.name))
                .get_result::<Count>(&mut *conn)?
                .n;
            Ok(TableCount { table: t.name, source: n, target: n })
        })
        .collect()
}

/// Copies in one snapshot of `from` and one transaction of `to`; refuses counts that differ.
fn copy_checked(from: &mut AnyConnection, to: &mut AnyConnection) -> anyhow::Result<Vec<TableCount>> {
    let tables = db::snapshot(from, |from| to.transaction(|to| copy_all(from, to)))?;
    if let Some(t) = tables.iter().find(|t| t.source != t.target) {
        bail!("table {} has {} rows in the source and {} in the copy", t.table, t.source, t.target);
    }
    Ok(tables)
}

fn verify_chain(conn: &mut AnyConnection) -> anyhow::Result<()> {
    let verdict = audit_chain::verify(conn).map_err(|e| anyhow::anyhow!("{e}"))?;
    if !verdict.is_ok() {
        bail!("the copied audit trail does not verify: {verdict}");
    }
    Ok(())
}

/// Writes a backup of the database at `url` to the new file `out`, while the server runs.
pub fn backup(url: &DbUrl, out: &Path) -> anyhow::Result<Summary> {
    if out.exists() {
        bail!("{} exists; a backup never overwrites a file", out.display());
    }
    let mut source = migrated(url)?;
    let work = partial(out);
    let _ = std::fs::remove_file(&work);
    match url {
        DbUrl::Sqlite(_) => {
            source
                .batch_execute(&format!("VACUUM INTO {}", sqlite_literal(&work)))
                .context("the online copy failed")?;
        }
        DbUrl::Postgres(_) => {
            let file = DbUrl::Sqlite(work.display().to_string());
            let mut copy = open(&file)?;
            db::migrate(&mut copy)?;
            copy_checked(&mut source, &mut copy)?;
            copy.batch_execute("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")?;
        }
    }
    std::fs::rename(&work, out).with_context(|| format!("cannot write {}", out.display()))?;
    Ok(Summary { target: out.display().to_string(), tables: counted(out)? })
}

/// Restores the backup `file` into `target`: a SQLite file that does not exist yet (or, with
/// `replace`, one that is set aside as `<file>.before-restore-<time>`), or an empty PostgreSQL
/// database. A backup from an older version is migrated on the way; one from a newer version is
/// refused. The backup file itself is never changed.
pub fn restore(file: &Path, target: &DbUrl, replace: bool) -> anyhow::Result<Summary> {
    let mut head = [0u8; 16];
    use std::io::Read;
    std::fs::File::open(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .read_exact(&mut head)
        .ok()
        .filter(|()| &head == b"SQLite format 3\0")
        .with_context(|| format!("{} is not a Sổ Đoàn backup (a SQLite file)", file.display()))?;
    let work = std::env::temp_dir().join(format!("sodoan-restore-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&work);
    std::fs::copy(file, &work).with_context(|| format!("cannot copy {}", file.display()))?;
    let result = restore_from(&work, target, replace);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", work.display()));
    }
    result
}

fn restore_from(work: &Path, target: &DbUrl, replace: bool) -> anyhow::Result<Summary> {
    let mut backup = open(&DbUrl::Sqlite(work.display().to_string()))?;
    db::migrate(&mut backup).context("the backup cannot be restored by this version")?;
    match target {
        DbUrl::Sqlite(path) => {
            let path = Path::new(path);
            if path.exists() {
                if !replace {
                    bail!("{} exists; stop the server and add --replace to set it aside", path.display());
                }
                let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
                for suffix in ["", "-wal", "-shm"] {
                    let from = format!("{}{suffix}", path.display());
                    if Path::new(&from).exists() {
                        std::fs::rename(&from, format!("{}.before-restore-{stamp}{suffix}", path.display()))?;
                    }
                }
            }
            let work_file = partial(path);
            let _ = std::fs::remove_file(&work_file);
            backup.batch_execute(&format!("VACUUM INTO {}", sqlite_literal(&work_file)))?;
            std::fs::rename(&work_file, path)?;
            let mut restored = open(target)?;
            verify_chain(&mut restored)?;
            Ok(Summary { target: path.display().to_string(), tables: counted(path)? })
        }
        DbUrl::Postgres(_) => into_postgres(&mut backup, target),
    }
}

fn into_postgres(source: &mut AnyConnection, target: &DbUrl) -> anyhow::Result<Summary> {
    let mut to = open(target)?;
    db::migrate(&mut to)?;
    let tables = copy_checked(source, &mut to)?;
    verify_chain(&mut to)?;
    Ok(Summary { target: "PostgreSQL".to_owned(), tables })
}

/// Copies the SQLite installation at `source` into the empty PostgreSQL database `target`
/// (migrating it first), table by table, counts checked and the audit trail verified.
pub fn migrate_to(source: &DbUrl, target: &DbUrl) -> anyhow::Result<Summary> {
    let (DbUrl::Sqlite(_), DbUrl::Postgres(_)) = (source, target) else {
        bail!("migrate-to copies a SQLite installation (DATABASE_URL=sqlite://…) into PostgreSQL (postgres://…)");
    };
    let mut from = migrated(source)?;
    into_postgres(&mut from, target)
}

/// Takes one backup into `dir` as `sodoan-YYYYMMDD-HHMMSS-mmm.db` (UTC) and keeps the newest `keep`.
pub fn backup_into(url: &DbUrl, dir: &Path, keep: usize) -> anyhow::Result<Summary> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = format!("sodoan-{}.db", chrono::Utc::now().format("%Y%m%d-%H%M%S-%3f"));
    let summary = backup(url, &dir.join(name))?;
    let mut kept = backups_in(dir)?;
    kept.sort();
    let excess = kept.len().saturating_sub(keep.max(1));
    for old in &kept[..excess] {
        std::fs::remove_file(old).with_context(|| format!("cannot remove {}", old.display()))?;
    }
    Ok(summary)
}

/// The backups `backup_into` wrote in `dir`.
pub fn backups_in(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with("sodoan-") && name.ends_with(".db") {
            found.push(path);
        }
    }
    Ok(found)
}

/// Whether the newest backup in `dir` is younger than `age` (another server on the same
/// PostgreSQL took tonight's).
fn recent_backup(dir: &Path, age: Duration) -> bool {
    backups_in(dir).unwrap_or_default().iter().any(|p| {
        p.metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| SystemTime::now().duration_since(t).unwrap_or_default() < age)
    })
}

/// Runs the nightly backup on a thread of its own: every day at `schedule.at` (UTC). With
/// several servers on one PostgreSQL, the one holding an advisory lock takes it.
pub fn spawn_nightly(url: DbUrl, schedule: BackupSchedule) {
    std::thread::spawn(move || loop {
        let now = chrono::Utc::now().naive_utc();
        let mut next = now.date().and_time(schedule.at);
        if next <= now {
            next += chrono::Duration::days(1);
        }
        std::thread::sleep((next - now).to_std().unwrap_or(Duration::from_secs(60)));
        match nightly(&url, &schedule) {
            Ok(Some(summary)) => tracing::info!(%summary, "nightly backup written"),
            Ok(None) => tracing::info!("nightly backup taken by another server"),
            Err(e) => tracing::error!(error = %format!("{e:#}"), "nightly backup failed"),
        }
    });
}

fn nightly(url: &DbUrl, schedule: &BackupSchedule) -> anyhow::Result<Option<Summary>> {
    let mut guard = None;
    if let DbUrl::Postgres(_) = url {
        let mut conn = open(url)?;
        if !db::locks::try_lock(&mut conn, db::locks::BACKUP)? {
            return Ok(None);
        }
        guard = Some(conn);
    }
    if recent_backup(&schedule.dir, Duration::from_secs(12 * 3600)) {
        return Ok(None);
    }
    let summary = backup_into(url, &schedule.dir, schedule.keep);
    drop(guard); // closing the connection releases the lock
    summary.map(Some)
}
