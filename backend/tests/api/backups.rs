//! Backups, restores and `migrate-to`, through the real binary against a running server.

use crate::cli::sodoan;
use crate::helpers::{member_record, spawn_app_on, Engine, Session, TestApp, PASSWORD};
use serde_json::Value;
use shared::ids::OrgUnitId;
use sodoan::db::DbUrl;
use std::path::Path;

/// A distinct name for each number below 1,000 (names hold letters only).
fn name(n: usize) -> String {
    const WORDS: [&str; 10] = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nam"];
    format!("Nguyễn {} {} {}", WORDS[n / 100 % 10], WORDS[n / 10 % 10], WORDS[n % 10])
}

fn card(n: usize) -> String {
    format!("05620601{n:04}")
}

async fn add_members(app: &TestApp, by: &Session, branch: OrgUnitId, from: usize, count: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for n in from..from + count {
        ids.push(app.add_member(by, member_record(branch, &name(n), &card(n))).await.id.0);
    }
    ids
}

async fn total(app: &TestApp, by: &Session, unit: OrgUnitId) -> i64 {
    let res = app.get(&format!("/api/v1/members?unit_id={unit}&per_page=1"), Some(&by.token)).await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    res.body["total"].as_i64().unwrap()
}

fn run(db_url: &str, args: &[&str]) -> (bool, String) {
    let out = sodoan(db_url).args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A new database of `engine` to restore into, and the folder that holds it.
fn empty_target(engine: Engine) -> Option<(DbUrl, tempfile::TempDir)> {
    let dir = tempfile::tempdir().unwrap();
    let url = match engine {
        Engine::Sqlite => DbUrl::Sqlite(dir.path().join("restored.db").display().to_string()),
        Engine::Postgres => crate::pg::fresh_database()?,
    };
    Some((url, dir))
}

fn url_text(url: &DbUrl) -> String {
    match url {
        DbUrl::Sqlite(p) => format!("sqlite://{p}"),
        DbUrl::Postgres(u) => u.clone(),
    }
}

async fn signed_in(app: &TestApp, login: &str) -> String {
    let res = app.login(login, PASSWORD).await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    res.body["access_token"].as_str().unwrap().to_owned()
}

api_tests! {
    async fn a_backup_taken_during_writes_restores_with_every_write_answered_before_it(app) {
        let t = app.tree().await;
        let before = add_members(&app, &t.cadre, t.branch, 0, 12).await;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("backup.db");

        // Writes keep coming while the backup runs.
        let backup = {
            let (url, out) = (app.database_url.clone(), out.clone());
            actix_web::rt::task::spawn_blocking(move || run(&url, &["backup", "--out", path_str(&out)]))
        };
        let during = add_members(&app, &t.cadre, t.branch, 100, 15).await;
        let (ok, text) = backup.await.unwrap();
        assert!(ok, "{text}");
        assert!(text.contains("members"), "the summary counts the tables: {text}");
        let live = total(&app, &t.cadre, t.branch).await;
        assert_eq!(live, 27);

        let (ok, again) = run(&app.database_url, &["backup", "--out", path_str(&out)]);
        assert!(!ok && again.contains("exists"), "a backup never overwrites a file: {again}");

        let Some((target, target_dir)) = empty_target(app.engine) else { return };
        let (ok, text) = run(&url_text(&target), &["restore", path_str(&out)]);
        assert!(ok, "{text}");
        let restored = spawn_app_on(app.engine, target.clone(), target_dir).await;
        let token = signed_in(&restored, &t.cadre.login).await;
        for id in &before {
            let res = restored.get(&format!("/api/v1/members/{id}"), Some(&token)).await;
            assert_eq!(res.status, 200, "member {id}, written before the backup began, is in it");
        }
        let cadre = Session { token, ..t.cadre.clone() };
        let count = total(&restored, &cadre, t.branch).await;
        assert!((12..=27).contains(&count), "{count} members: those before the backup and some of those during");
        let written: Vec<bool> = {
            let mut v = Vec::new();
            for id in &during {
                v.push(restored.get(&format!("/api/v1/members/{id}"), Some(&cadre.token)).await.status == 200);
            }
            v
        };
        assert_eq!(written.iter().filter(|w| **w).count() as i64, count - 12, "no member is half there");
        assert!(written.windows(2).all(|w| w[0] || !w[1]), "the backup is one moment: no later write without the earlier ones");

        // The restored server writes on, ids continuing after the copied ones.
        let next = restored.add_member(&cadre, member_record(t.branch, "Người Mới Sau Khôi Phục", &card(900))).await;
        assert!(next.id.0 > *before.last().unwrap());
        let (ok, verdict) = run(&url_text(&target), &["audit", "verify"]);
        assert!(ok && verdict.starts_with("OK"), "{verdict}");

        // Restoring over a database that has data is refused.
        let (ok, text) = run(&url_text(&target), &["restore", path_str(&out)]);
        assert!(!ok, "{text}");
        assert!(text.contains("exists") || text.contains("not empty"), "{text}");
    }
}

#[actix_web::test]
async fn a_sqlite_installation_moves_to_postgresql_with_every_table_and_the_audit_chain() {
    let Some(pg) = crate::pg::fresh_database() else { return };
    let app = crate::helpers::spawn_app(Engine::Sqlite).await.unwrap();
    let t = app.tree().await;
    let members = add_members(&app, &t.cadre, t.branch, 0, 5).await;
    // A merge gives the branch a parent created after it: the copy must not depend on id order.
    let new_parent = app.unit(&t.admin, t.province, "grassroots", "Đoàn phường Mới").await.id;
    let unit = app.get(&format!("/api/v1/org-units/{}", t.commune), Some(&t.admin.token)).await;
    let version: i64 = unit.header("etag").unwrap().trim_matches('"').parse().unwrap();
    let res = app
        .post_versioned(
            &format!("/api/v1/org-units/{}/dissolve", t.commune),
            &t.admin.token,
            version,
            serde_json::json!({"on": "2025-07-01", "merged_into_id": new_parent, "reason": "Sáp nhập"}),
        )
        .await;
    assert_eq!(res.status, 200, "{:#}", res.body);

    let pg_url = url_text(&pg);
    let (ok, text) = run(&app.database_url, &["migrate-to", &pg_url]);
    assert!(ok, "{text}");
    assert!(text.contains("members") && text.contains("audit_log"), "{text}");

    let dir = tempfile::tempdir().unwrap();
    let on_pg = spawn_app_on(Engine::Postgres, pg.clone(), dir).await;
    let token = signed_in(&on_pg, &t.admin.login).await;
    for id in &members {
        let a = app.get(&format!("/api/v1/members/{id}"), Some(&t.admin.token)).await;
        let b = on_pg.get(&format!("/api/v1/members/{id}"), Some(&token)).await;
        assert_eq!(b.status, 200);
        assert_eq!(strip_volatile(a.body), strip_volatile(b.body), "member {id} is the same on both");
    }
    for parent in [t.province, new_parent] {
        let path = format!("/api/v1/org-units?parent_id={parent}");
        let (a, b) = (app.get(&path, Some(&t.admin.token)).await, on_pg.get(&path, Some(&token)).await);
        assert_eq!(b.status, 200);
        assert_eq!(a.body, b.body, "the units under {parent} are the same");
    }
    let (ok, verdict) = run(&pg_url, &["audit", "verify"]);
    assert!(ok && verdict.starts_with("OK"), "{verdict}");

    let (ok, again) = run(&app.database_url, &["migrate-to", &pg_url]);
    assert!(!ok && again.contains("not empty"), "a second copy into the same database is refused: {again}");
    let (ok, wrong) = run(&pg_url, &["migrate-to", &pg_url]);
    assert!(!ok && wrong.contains("SQLite installation"), "{wrong}");
}

fn strip_volatile(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("age");
    }
    v
}

#[actix_web::test]
async fn restore_refuses_what_is_not_a_backup_a_newer_schema_and_an_existing_file_unless_told_to_replace() {
    let app = crate::helpers::spawn_app(Engine::Sqlite).await.unwrap();
    let t = app.tree().await;
    add_members(&app, &t.cadre, t.branch, 0, 2).await;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("b.db");
    let (ok, text) = run(&app.database_url, &["backup", "--out", path_str(&out)]);
    assert!(ok, "{text}");
    let target = dir.path().join("target.db");
    let target_url = format!("sqlite://{}", target.display());

    let junk = dir.path().join("notes.txt");
    std::fs::write(&junk, "không phải bản sao lưu").unwrap();
    let (ok, text) = run(&target_url, &["restore", path_str(&junk)]);
    assert!(!ok && text.contains("not a Sổ Đoàn backup"), "{text}");

    let newer = dir.path().join("newer.db");
    std::fs::copy(&out, &newer).unwrap();
    {
        use diesel::connection::SimpleConnection;
        let pool = sodoan::db::connect(&DbUrl::Sqlite(newer.display().to_string()), 1).unwrap();
        pool.get()
            .unwrap()
            .batch_execute("INSERT INTO __diesel_schema_migrations (version) VALUES ('29991231000000')")
            .unwrap();
    }
    let (ok, text) = run(&target_url, &["restore", path_str(&newer)]);
    assert!(!ok && text.contains("newer version"), "{text}");
    assert!(!target.exists(), "nothing is written when the restore is refused");

    let (ok, text) = run(&target_url, &["restore", path_str(&out)]);
    assert!(ok, "{text}");
    let (ok, text) = run(&target_url, &["restore", path_str(&out)]);
    assert!(!ok && text.contains("--replace"), "{text}");
    let (ok, text) = run(&target_url, &["restore", "--replace", path_str(&out)]);
    assert!(ok, "{text}");
    let aside = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().starts_with("target.db.before-restore-"))
        .count();
    assert!(aside >= 1, "the replaced database is set aside, not deleted");
}

#[actix_web::test]
async fn nightly_backups_keep_the_newest_ones() {
    let app = crate::helpers::spawn_app(Engine::Sqlite).await.unwrap();
    let t = app.tree().await;
    add_members(&app, &t.cadre, t.branch, 0, 1).await;
    let dir = tempfile::tempdir().unwrap();
    let url = DbUrl::parse(&app.database_url).unwrap();
    let mut written = Vec::new();
    for _ in 0..3 {
        let u = url.clone();
        let d = dir.path().to_owned();
        let summary = actix_web::rt::task::spawn_blocking(move || sodoan::services::backups::backup_into(&u, &d, 2))
            .await
            .unwrap()
            .unwrap();
        written.push(summary.target);
    }
    let mut kept: Vec<String> =
        sodoan::services::backups::backups_in(dir.path()).unwrap().iter().map(|p| p.display().to_string()).collect();
    kept.sort();
    assert_eq!(kept, written[1..].to_vec(), "the oldest backup went, the two newest stay");
}
