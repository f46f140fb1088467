//! Configuration from the environment (see `docs` and the README's table).

use crate::db::DbUrl;
use anyhow::{bail, Context};
use rand::RngCore;
use std::path::{Path, PathBuf};

/// Everything the server needs to start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the data lives.
    pub database_url: DbUrl,
    /// `host:port`; port 0 picks a free one (tests).
    pub bind_addr: String,
    /// HMAC key for access tokens.
    pub jwt_secret: Vec<u8>,
    /// Seed the demo organisation on an empty database.
    pub demo: bool,
    /// `SODOAN_ENV=production`: secrets required, cookies marked Secure.
    pub production: bool,
    /// HTTP worker threads (default: one per core).
    pub workers: Option<usize>,
    /// Connections in the pool.
    pub pool_size: u32,
    /// Where the built SPA is read from at run time instead of the embedded copy (development).
    pub spa_dir: Option<PathBuf>,
    /// After how many days a transfer still under way is flagged overdue.
    pub transfer_alert_days: i64,
    /// How many requests work on the database at once (default: twice the cores).
    pub db_concurrency: usize,
    /// The nightly backup (`SODOAN_BACKUP_DIR`, `SODOAN_BACKUP_KEEP`, `SODOAN_BACKUP_AT`), if any.
    pub backup: Option<BackupSchedule>,
    /// Where uploaded files (programme evidence) are kept (`SODOAN_FILES_DIR`; default: next to
    /// the SQLite file, `<file>.files`, or `sodoan-files` in the working directory for PostgreSQL).
    pub files_dir: PathBuf,
}

/// Where and when the server backs itself up, and how many backups it keeps.
#[derive(Debug, Clone)]
pub struct BackupSchedule {
    /// The folder of `sodoan-YYYYMMDD-HHMMSS.db` files.
    pub dir: PathBuf,
    /// How many to keep (the oldest go first).
    pub keep: usize,
    /// The time of day, UTC (default 19:00, 02:00 in Vietnam).
    pub at: chrono::NaiveTime,
}

impl BackupSchedule {
    fn from_env() -> anyhow::Result<Option<BackupSchedule>> {
        let Some(dir) = var("SODOAN_BACKUP_DIR") else { return Ok(None) };
        let keep = var("SODOAN_BACKUP_KEEP").map(|k| k.parse()).transpose().context("SODOAN_BACKUP_KEEP")?.unwrap_or(7);
        if keep == 0 {
            bail!("SODOAN_BACKUP_KEEP must be at least 1");
        }
        let at = var("SODOAN_BACKUP_AT")
            .map(|t| chrono::NaiveTime::parse_from_str(&t, "%H:%M"))
            .transpose()
            .context("SODOAN_BACKUP_AT (HH:MM, UTC)")?
            .unwrap_or_else(|| chrono::NaiveTime::from_hms_opt(19, 0, 0).unwrap_or_default());
        Ok(Some(BackupSchedule { dir: PathBuf::from(dir), keep, at }))
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    /// Reads the environment (after `.env`, if present).
    pub fn from_env() -> anyhow::Result<Config> {
        let production = var("SODOAN_ENV").is_some_and(|v| v == "production");
        let database_url = DbUrl::parse(&var("DATABASE_URL").unwrap_or_else(|| "sqlite://sodoan.db".to_owned()))?;
        let jwt_secret = match var("JWT_SECRET") {
            Some(s) if s.len() < 32 => bail!("JWT_SECRET must be at least 32 characters"),
            Some(s) => s.into_bytes(),
            None if production => bail!("JWT_SECRET is required when SODOAN_ENV=production"),
            None => dev_secret(&database_url)?,
        };
        let files_dir = var("SODOAN_FILES_DIR").map_or_else(|| default_files_dir(&database_url), PathBuf::from);
        let demo = var("SODOAN_DEMO").is_some_and(|v| v == "1" || v == "true");
        Ok(Config {
            database_url,
            bind_addr: var("BIND_ADDR").unwrap_or_else(|| "127.0.0.1:8080".to_owned()),
            jwt_secret,
            demo,
            production,
            workers: var("SODOAN_WORKERS").map(|w| w.parse()).transpose().context("SODOAN_WORKERS")?,
            pool_size: var("SODOAN_POOL_SIZE")
                .map(|w| w.parse())
                .transpose()
                .context("SODOAN_POOL_SIZE")?
                .unwrap_or(16),
            spa_dir: var("SODOAN_SPA_DIR").map(PathBuf::from),
            transfer_alert_days: var("SODOAN_TRANSFER_ALERT_DAYS")
                .map(|d| d.parse())
                .transpose()
                .context("SODOAN_TRANSFER_ALERT_DAYS")?
                .unwrap_or(90),
            db_concurrency: var("SODOAN_DB_CONCURRENCY")
                .map(|d| d.parse())
                .transpose()
                .context("SODOAN_DB_CONCURRENCY")?
                .unwrap_or_else(|| 2 * std::thread::available_parallelism().map_or(2, |n| n.get())),
            backup: BackupSchedule::from_env()?,
            files_dir,
        })
    }
}

/// Uploaded files live next to the data: beside the SQLite file, or in the working directory.
pub fn default_files_dir(url: &DbUrl) -> PathBuf {
    match url {
        DbUrl::Sqlite(path) => PathBuf::from(format!("{path}.files")),
        DbUrl::Postgres(_) => PathBuf::from("sodoan-files"),
    }
}

/// Development only: a random key generated once and kept next to the SQLite file
/// (or in the working directory for PostgreSQL), so sessions survive restarts.
fn dev_secret(url: &DbUrl) -> anyhow::Result<Vec<u8>> {
    let file = match url {
        DbUrl::Sqlite(path) => PathBuf::from(format!("{path}.jwt-secret")),
        DbUrl::Postgres(_) => PathBuf::from("sodoan.jwt-secret"),
    };
    if let Ok(existing) = std::fs::read_to_string(&file) {
        if existing.trim().len() >= 32 {
            return Ok(existing.trim().as_bytes().to_vec());
        }
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    write_private(&file, &secret).with_context(|| format!("cannot write {}", file.display()))?;
    Ok(secret.into_bytes())
}

fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    opts.open(path)?.write_all(contents.as_bytes())
}
