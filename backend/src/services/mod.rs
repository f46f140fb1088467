//! The rules: scope checks, validation that needs the database, transactions and audit.
//! Services are synchronous functions over one connection; `Db::run` moves them off the
//! async executor onto the blocking pool, so handlers never touch diesel.

pub mod admissions;
pub mod audit;
pub mod auth;
pub mod classes;
pub mod imports;
pub mod members;
pub mod merges;
pub mod org_units;
pub mod positions;
pub mod role_assignments;
pub mod transfers;

use crate::db::{self, AnyConnection, Engine, Pool};
use crate::error::ApiError;
use actix_web::web;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

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

/// A stored timestamp (UTC by convention) as an instant.
pub fn utc(t: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    t.and_utc()
}

/// An enum stored as text that the CHECK constraints guarantee; anything else is corruption.
pub fn stored<T>(value: Option<T>, column: &str, raw: &str) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("unexpected value `{raw}` in {column}")))
}
