//! A throwaway PostgreSQL cluster for the test binary, started from the machine's own binaries
//! (initdb/pg_ctl in a temp dir; as root they run as the `postgres` user). A watchdog process
//! stops the cluster and deletes it when the test process exits. Each test gets a fresh database
//! copied from a migrated template.
//!
//! Without PostgreSQL binaries the PostgreSQL variants are skipped loudly — and fail under `CI`.

use sodoan::db::{self, DbUrl};
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

pub struct Cluster {
    port: u16,
    create_lock: Mutex<()>,
}

static CLUSTER: OnceLock<Result<Cluster, String>> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(1);
const TEMPLATE: &str = "sodoan_template";

fn bin_dir() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("SODOAN_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("initdb").is_file())
        .collect();
    dirs.sort_by_key(|p| {
        p.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok()).unwrap_or(0)
    });
    dirs.pop()
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

/// Runs a shell script, as `postgres` when we are root (initdb refuses root).
fn run_as_pg(script: &str) -> Command {
    let mut cmd = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--", "sh", "-c", script]);
        c
    } else {
        let mut c = Command::new("sh");
        c.args(["-c", script]);
        c
    };
    cmd.stdin(std::process::Stdio::null());
    cmd
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn start() -> Result<Cluster, String> {
    let bin = bin_dir().ok_or("no PostgreSQL binaries (apt-get install postgresql, or set SODOAN_PG_BIN)")?;
    let dir = std::env::temp_dir().join(format!("sodoan-test-pg-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    if is_root() {
        Command::new("chown").args(["postgres:postgres", dir.to_str().unwrap()]).status().map_err(|e| e.to_string())?;
    }
    let data = dir.join("data");
    let port = free_port();
    let b = |tool: &str| bin.join(tool).display().to_string();
    let init = run_as_pg(&format!(
        "{} -D {} -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >{}/initdb.log 2>&1",
        b("initdb"),
        data.display(),
        dir.display()
    ))
    .status()
    .map_err(|e| format!("initdb: {e}"))?;
    if !init.success() {
        return Err(format!("initdb failed; see {}/initdb.log", dir.display()));
    }
    let opts = format!(
        "-p {port} -c listen_addresses=127.0.0.1 -k {} -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=400",
        dir.display()
    );
    let start = run_as_pg(&format!(
        "{pg_ctl} -D {data} -o '{opts}' -l {dir}/server.log -w start >/dev/null",
        pg_ctl = b("pg_ctl"),
        data = data.display(),
        dir = dir.display()
    ))
    .status()
    .map_err(|e| format!("pg_ctl: {e}"))?;
    if !start.success() {
        return Err(format!("PostgreSQL did not start; see {}/server.log", dir.display()));
    }
    // The watchdog outlives nothing: when this test process is gone, the cluster goes too.
    let watchdog = format!(
        "while [ -d /proc/{pid} ]; do sleep 1; done; {pg_ctl} -D {data} -m immediate stop >/dev/null 2>&1; rm -rf {dir}",
        pid = std::process::id(),
        pg_ctl = b("pg_ctl"),
        data = data.display(),
        dir = dir.display()
    );
    run_as_pg(&format!("nohup sh -c '{watchdog}' >/dev/null 2>&1 &")).status().map_err(|e| e.to_string())?;

    let admin = admin_conn(port)?;
    exec(&admin, &format!("CREATE DATABASE {TEMPLATE}"))?;
    let pool = db::connect(&url(port, TEMPLATE), 1).map_err(|e| format!("{e:#}"))?;
    db::migrate(&mut *pool.get().map_err(|e| e.to_string())?).map_err(|e| format!("{e:#}"))?;
    drop(pool);
    Ok(Cluster { port, create_lock: Mutex::new(()) })
}

fn url(port: u16, db: &str) -> DbUrl {
    DbUrl::Postgres(format!("postgres://postgres@127.0.0.1:{port}/{db}"))
}

fn admin_conn(port: u16) -> Result<db::Pool, String> {
    db::connect(&url(port, "postgres"), 1).map_err(|e| format!("{e:#}"))
}

fn exec(pool: &db::Pool, sql: &str) -> Result<(), String> {
    use diesel::connection::SimpleConnection;
    pool.get().map_err(|e| e.to_string())?.batch_execute(sql).map_err(|e| format!("{sql}: {e}"))
}

/// A fresh, migrated database for one test, or `None` (with a loud message) when PostgreSQL is unavailable
/// outside CI. Under `CI` an unavailable PostgreSQL fails the test.
pub fn fresh_database() -> Option<DbUrl> {
    let cluster = match CLUSTER.get_or_init(start) {
        Ok(c) => c,
        Err(why) => {
            if std::env::var_os("CI").is_some() {
                panic!("PostgreSQL is required in CI: {why}");
            }
            eprintln!("\n*** SKIPPED the PostgreSQL variant: {why} ***\n");
            return None;
        }
    };
    let name = format!("t{}_{}", std::process::id(), NEXT_DB.fetch_add(1, Ordering::Relaxed));
    let _guard = cluster.create_lock.lock().unwrap_or_else(|p| p.into_inner());
    let admin = admin_conn(cluster.port).expect("connect to the test cluster");
    exec(&admin, &format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE}")).expect("create a test database");
    Some(url(cluster.port, &name))
}
