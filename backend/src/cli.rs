//! The command line: `sodoan` (serve), `sodoan create-admin`, `sodoan migrate`, `sodoan audit verify`,
//! `sodoan backup`, `sodoan restore`, `sodoan migrate-to`.

use crate::config::Config;
use crate::fixtures::demo;
use crate::startup::Application;
use crate::{db, services};
use anyhow::{bail, Context};
use clap::{Parser, Subcommand};
use shared::values::{FullName, Login, Password};
use std::io::IsTerminal;

#[derive(Parser)]
#[command(name = "sodoan", version, about = "Sổ Đoàn — membership system of the Ho Chi Minh Communist Youth Union")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default).
    Serve,
    /// Create an administrator (or reset one's password). The password comes from
    /// SODOAN_ADMIN_PASSWORD, or is asked for on a terminal.
    CreateAdmin {
        /// Phone number or email to sign in with.
        #[arg(long)]
        login: String,
        /// Display name.
        #[arg(long, default_value = "Quản trị hệ thống")]
        name: String,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Write a backup of the database (DATABASE_URL) to a new file, while the server runs. The
    /// backup is one SQLite file whichever engine it comes from; it restores into either.
    Backup {
        /// The file to write (it must not exist).
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Restore a backup into DATABASE_URL: a SQLite file that does not exist yet, or an empty
    /// PostgreSQL database. Stop the server first.
    Restore {
        /// The backup file.
        file: std::path::PathBuf,
        /// Set an existing SQLite file aside (as FILE.before-restore-TIME) instead of refusing.
        #[arg(long)]
        replace: bool,
    },
    /// Copy this SQLite installation (DATABASE_URL) into an empty PostgreSQL database, table by
    /// table with counts checked; then point DATABASE_URL at PostgreSQL.
    MigrateTo {
        /// postgres://user:password@host/database
        url: String,
    },
    /// The audit trail.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Seed a benchmark province (≈1,000 grassroots units, ≈10,000 branches) with N members.
    Seed {
        /// How many members.
        #[arg(long, default_value_t = 300_000)]
        members: usize,
        /// Random seed (the same seed gives the same people).
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Add N admission cases waiting for approval to the benchmark province (after `seed`).
    SeedAdmissions {
        /// The province (as printed by `seed`).
        #[arg(long)]
        province: i64,
        /// How many cases.
        #[arg(long, default_value_t = 20_000)]
        count: usize,
    },
    /// Publish this year's Member Training programme for every grassroots unit of the benchmark
    /// province (after `seed`) and register PERCENT of each unit's members.
    SeedProgrammes {
        /// The province (as printed by `seed`).
        #[arg(long)]
        province: i64,
        /// The share of members registered, in percent.
        #[arg(long, default_value_t = 80)]
        percent: usize,
    },
    /// Seed the benchmark province's ratings: YEARS years up to this one confirmed, and next
    /// year's period open with every rating waiting for its branch's proposal.
    SeedRatings {
        /// The province (as printed by `seed`).
        #[arg(long)]
        province: i64,
        /// How many years of confirmed ratings.
        #[arg(long, default_value_t = 3)]
        years: i32,
    },
    /// Seed the benchmark province's branch life: every branch's monthly meetings for MONTHS
    /// months with their sheets, and a meeting held yesterday whose sheet is not taken yet.
    SeedMeetings {
        /// The province (as printed by `seed`).
        #[arg(long)]
        province: i64,
        /// How many months of meetings before this one.
        #[arg(long, default_value_t = 36)]
        months: u32,
    },
    /// Write an .xlsx import file of N generated members for the benchmark province's branches.
    SampleImport {
        /// How many rows.
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        /// Where to write it.
        #[arg(long)]
        out: std::path::PathBuf,
        /// Random seed.
        #[arg(long, default_value_t = 2)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the audit trail's hash chain: every entry in seq order without a gap, each linked to
    /// the one before, each hash recomputed, the head at the last entry. Prints `OK …` and exits 0,
    /// or `FAIL …` naming the first entry that does not hold and exits 1.
    Verify,
}

/// Entry point of the binary.
pub fn main() -> anyhow::Result<()> {
    dotenvy::dotenv().ok();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .init();
    let cli = Cli::parse();
    let config = Config::from_env()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::CreateAdmin { login, name } => create_admin(&config, &login, &name),
        Command::Seed { members, seed } => {
            let pool = db::connect(&config.database_url, 1)?;
            let mut conn = pool.get()?;
            db::migrate(&mut conn)?;
            let started = std::time::Instant::now();
            let done = crate::fixtures::seed::province(&mut conn, members, seed).map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "Seeded province {} with {} grassroots units, {} branches and {} members in {:.1} s.\n\
                 Sign in as {} or {} (password {}).",
                done.province,
                done.grassroots,
                done.branches,
                done.members,
                started.elapsed().as_secs_f64(),
                crate::fixtures::seed::BENCH_LEADER,
                crate::fixtures::seed::BENCH_CADRE,
                crate::fixtures::seed::BENCH_PASSWORD
            );
            Ok(())
        }
        Command::SeedAdmissions { province, count } => {
            let pool = db::connect(&config.database_url, 1)?;
            let mut conn = pool.get()?;
            let started = std::time::Instant::now();
            let (first, last) = crate::fixtures::seed::proposed_admissions(&mut conn, province, count)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "Seeded admissions {first}..={last} (proposed, version 2) in {:.1} s.",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::SeedRatings { province, years } => {
            let pool = db::connect(&config.database_url, 1)?;
            let mut conn = pool.get()?;
            let started = std::time::Instant::now();
            let done = crate::fixtures::ratings::bench(&mut conn, province, years.clamp(1, 10))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("Seeded {done} ratings in {:.1} s.", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::SeedMeetings { province, months } => {
            let pool = db::connect(&config.database_url, 1)?;
            let mut conn = pool.get()?;
            let started = std::time::Instant::now();
            let done = crate::fixtures::meetings::bench(&mut conn, province, months.clamp(1, 120))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "Seeded {} meetings with {} attendance lines in {:.1} s.",
                done.meetings,
                done.lines,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::SeedProgrammes { province, percent } => {
            let pool = db::connect(&config.database_url, 1)?;
            let mut conn = pool.get()?;
            let started = std::time::Instant::now();
            let done = crate::fixtures::programmes::bench(&mut conn, province, percent.min(100))
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "Seeded {} programmes and {} registrations in {:.1} s.",
                done.programmes,
                done.registrations,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::SampleImport { rows, out, seed } => {
            let bytes = crate::fixtures::seed::import_file(rows, seed).map_err(|e| anyhow::anyhow!("{e}"))?;
            std::fs::write(&out, bytes)?;
            println!("Wrote {rows} rows to {}", out.display());
            Ok(())
        }
        Command::Audit { command: AuditCommand::Verify } => audit_verify(&config),
        Command::Backup { out } => {
            println!("Backup written to {}", services::backups::backup(&config.database_url, &out)?);
            Ok(())
        }
        Command::Restore { file, replace } => {
            println!("Restored into {}", services::backups::restore(&file, &config.database_url, replace)?);
            Ok(())
        }
        Command::MigrateTo { url } => {
            let target = db::DbUrl::parse(&url)?;
            let summary = services::backups::migrate_to(&config.database_url, &target)?;
            println!(
                "Copied into {summary}
Set DATABASE_URL={url} and start the server."
            );
            Ok(())
        }
        Command::Migrate => {
            let pool = db::connect(&config.database_url, 1)?;
            let applied = db::migrate(&mut *pool.get()?)?;
            println!("{} migration(s) applied", applied.len());
            Ok(())
        }
    }
}

fn serve(config: Config) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let app = Application::build(&config)?;
        if let Some(schedule) = config.backup.clone() {
            println!("Nightly backups to {} at {} UTC, keeping {}", schedule.dir.display(), schedule.at, schedule.keep);
            services::backups::spawn_nightly(config.database_url.clone(), schedule);
        }
        let url = format!("http://{}", config.bind_addr.replace(":0", &format!(":{}", app.port())));
        println!("Sổ Đoàn is running at {url} (database: {})", config.database_url.engine().name());
        println!("API documentation: {url}/api/v1/docs/");
        if config.demo {
            println!("{}", demo::logins_text());
        }
        app.run_until_stopped().await.context("server failed")
    })
}

fn audit_verify(config: &Config) -> anyhow::Result<()> {
    let pool = db::connect(&config.database_url, 1)?;
    let mut conn = pool.get()?;
    if db::has_pending_migrations(&mut conn)? {
        bail!("the database is not migrated to this version; run `sodoan migrate` first");
    }
    let verdict = services::audit_chain::verify(&mut conn).map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("{verdict}");
    if !verdict.is_ok() {
        std::process::exit(1);
    }
    Ok(())
}

fn create_admin(config: &Config, login: &str, name: &str) -> anyhow::Result<()> {
    let login = Login::parse(login).map_err(|e| anyhow::anyhow!("--login: {e}"))?;
    let name = FullName::parse(name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let password = match std::env::var("SODOAN_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ if std::io::stdin().is_terminal() => {
            let p = rpassword::prompt_password("Mật khẩu / Password: ")?;
            if rpassword::prompt_password("Nhập lại / Repeat: ")? != p {
                bail!("the passwords differ");
            }
            p
        }
        _ => bail!("set SODOAN_ADMIN_PASSWORD or run on a terminal to be asked for the password"),
    };
    let password = Password::parse(&password).map_err(|e| anyhow::anyhow!("password: {e}"))?;
    let pool = db::connect(&config.database_url, 1)?;
    let mut conn = pool.get()?;
    db::migrate(&mut conn)?;
    let user = services::auth::create_admin(&mut conn, login.as_str(), name.as_str(), password.expose())
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    println!("Administrator {} (id {}) can sign in.", user.login, user.id);
    Ok(())
}
