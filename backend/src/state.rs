//! What the running server holds and every handler can reach: the database handle, token keys,
//! throttles, the caller cache and the progress of background jobs. Beneath routes and
//! services; it imports neither.

use crate::auth::caller::CallerCache;
use crate::auth::tokens::TokenKeys;
use crate::db::{self, AnyConnection, Engine, Pool};
use crate::error::ApiError;
use crate::files::FileStore;
use crate::throttle::{LoginThrottle, LookupThrottle};
use actix_web::web;
use shared::api::imports::ImportStatus;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// What every handler can reach.
pub struct AppState {
    pub db: Db,
    pub tokens: TokenKeys,
    pub throttle: LoginThrottle,
    /// Look-ups of people (introducers) per caller.
    pub lookups: LookupThrottle,
    pub secure_cookies: bool,
    /// `SODOAN_ENV=production`: served over HTTPS (HSTS).
    pub production: bool,
    /// After how many days a transfer under way is overdue.
    pub transfer_alert_days: i64,
    /// Callers recently loaded (cleared by every change of roles).
    pub callers: Arc<CallerCache>,
    /// Where running imports stand.
    pub imports: Arc<ImportProgress>,
    /// Uploaded files (programme evidence).
    pub files: FileStore,
}

/// The database as handlers see it: a pool and a way to run work on it.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    engine: Engine,
    /// How many requests work on the database at once; the others wait without a thread.
    running: Arc<Semaphore>,
    /// SQLite: the connection every write goes through.
    writer: Option<db::SharedWriter>,
}

/// How long a request waits for its turn before the server answers 503.
const QUEUE_TIMEOUT: Duration = Duration::from_secs(10);

impl Db {
    /// Wraps a pool; at most `concurrency` requests use it at once.
    pub fn new(pool: Pool, url: &db::DbUrl, concurrency: usize) -> Db {
        let running = Arc::new(Semaphore::new(concurrency.max(1)));
        Db { pool, engine: url.engine(), running, writer: db::Writer::for_url(url) }
    }

    /// Runs `f` on this thread with this database's writer for the writes it makes (work that
    /// holds a connection of its own, such as an import's background thread).
    pub fn writing<T>(&self, f: impl FnOnce() -> T) -> T {
        db::with_writer(self.writer.as_ref(), f)
    }

    /// Which engine this is.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The pool (start-up tasks and tests).
    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// Runs `f` with a pooled connection on the blocking thread pool, once one of the
    /// `concurrency` turns is free: more threads than cores contending for connections and
    /// locks cost more than they overlap.
    pub async fn run<T, F>(&self, f: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut AnyConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let _turn = tokio::time::timeout(QUEUE_TIMEOUT, self.running.clone().acquire_owned())
            .await
            .map_err(|_| ApiError::Unavailable)?
            .map_err(|e| ApiError::Internal(e.into()))?;
        let db = self.clone();
        web::block(move || {
            db.writing(|| {
                let mut conn = db.pool.get()?;
                f(&mut conn)
            })
        })
        .await?
    }
}

/// Where running jobs stand: (status, rows handled, rows with problems).
#[derive(Debug, Default)]
pub struct ImportProgress(Mutex<HashMap<i64, (ImportStatus, i64, i64)>>);

impl ImportProgress {
    pub(crate) fn set(&self, job: i64, status: ImportStatus, processed: usize, errors: usize) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(job, (status, processed as i64, errors as i64));
        }
    }

    pub(crate) fn get(&self, job: i64) -> Option<(ImportStatus, i64, i64)> {
        self.0.lock().ok().and_then(|map| map.get(&job).copied())
    }

    pub(crate) fn remove(&self, job: i64) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(&job);
        }
    }
}
