//! Several servers on one PostgreSQL: the test app and the real binary in processes of their
//! own serve one database. A role revoked through one stops working on the other within a
//! second, failed sign-ins count on both, and a server starting while another imports leaves
//! that import running (it is written once, whole).

use crate::crash::import_file;
use crate::helpers::{spawn_app, Engine, TestApp, PASSWORD};
use serde_json::Value;
use std::time::{Duration, Instant};

async fn postgres() -> Option<TestApp> {
    spawn_app(Engine::Postgres).await
}

#[actix_web::test]
async fn a_role_revoked_through_one_server_is_refused_by_the_other_within_a_second() {
    let Some(app) = postgres().await else { return };
    let t = app.tree().await;
    let cadre = app.user("Phạm Minh Tuấn").await;
    let grant = app.grant(&t.admin, cadre.user_id, t.commune, "cadre").await;
    let other = app.another_process().await;
    let list = format!("/api/v1/members?unit_id={}", t.commune);
    assert_eq!(other.api.get(&list, Some(&cadre.token)).await.status, 200, "the other server knows the cadre");

    let revoked = app.delete(&format!("/api/v1/role-assignments/{}", grant.id.0), Some(&t.admin.token)).await;
    assert_eq!(revoked.status, 204, "{:#}", revoked.body);
    let since = Instant::now();
    loop {
        let status = other.api.get(&list, Some(&cadre.token)).await.status;
        if status != 200 {
            assert!(status == 403 || status == 404, "refused, not {status}");
            break;
        }
        assert!(since.elapsed() < Duration::from_secs(1), "the other server still lets the revoked cadre in");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }

    // And the other way: a grant through the binary works on the test app at once.
    let again = other.api.grant(&t.admin, cadre.user_id, t.commune, "cadre").await;
    assert_eq!(app.get(&list, Some(&cadre.token)).await.status, 200, "granted again as {:?}", again.id);
}

#[actix_web::test]
async fn failed_sign_ins_count_on_every_server() {
    let Some(app) = postgres().await else { return };
    let other = app.another_process().await;
    let user = app.user("Võ Thị Sáu").await;
    for n in 0..sodoan::throttle::FREE_PER_PAIR {
        let server = if n % 2 == 0 { &app } else { &other.api };
        assert_eq!(server.login(&user.login, "sai-mat-khau").await.status, 401, "failure {n}");
    }
    for server in [&app, &other.api] {
        let res = server.login(&user.login, PASSWORD).await;
        assert_eq!(res.status, 429, "the pair's failures on both servers hold it back: {:#}", res.body);
        assert!(res.header("retry-after").is_some());
    }
}

async fn job(server: &TestApp, token: &str, id: i64) -> Value {
    server.get(&format!("/api/v1/imports/{id}"), Some(token)).await.body
}

#[actix_web::test]
async fn a_server_starting_while_another_imports_leaves_the_import_running_and_it_is_written_once() {
    const ROWS: usize = 2_000;
    let Some(app) = postgres().await else { return };
    let t = app.tree().await;
    let bulk = app.unit(&t.admin, t.commune, "branch", "Chi đoàn Nhập Liệu").await;
    let other = app.another_process().await;
    let path = format!("/api/v1/imports?unit_id={}&mode=valid_only&file_name=nhap.xlsx", t.commune);
    let started = other.api.post_bytes(&path, &t.cadre.token, import_file(&bulk.name, ROWS)).await;
    assert_eq!(started.status, 202, "{:#}", started.body);
    let id = started.body["id"].as_i64().unwrap();

    // A third server starts meanwhile: its start-up marks interrupted imports failed.
    let third = app.another_process().await;
    let seen = job(&app, &t.cadre.token, id).await;
    assert_ne!(seen["status"], "failed", "the running import was taken for an interrupted one: {seen:#}");
    let deadline = Instant::now() + Duration::from_secs(180);
    let done = loop {
        let now = job(&third.api, &t.cadre.token, id).await;
        if now["status"] == "done" || now["status"] == "failed" {
            break now;
        }
        assert!(Instant::now() < deadline, "the import never ended: {now:#}");
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(done["status"], "done", "{done:#}");
    assert_eq!(done["imported_rows"], ROWS, "{done:#}");
    let members = app.get(&format!("/api/v1/members?unit_id={}&per_page=1", bulk.id.0), Some(&t.cadre.token)).await;
    assert_eq!(members.body["total"], ROWS, "every row written once");
}

#[actix_web::test]
async fn an_import_is_failed_at_start_up_only_once_its_server_is_gone() {
    use sodoan::db;
    let Some(app) = postgres().await else { return };
    let t = app.tree().await;
    let (unit, user) = (t.branch.0, t.cadre.user_id.0);
    let url = db::DbUrl::parse(&app.database_url).unwrap();
    let job = app
        .db
        .run(move |conn| {
            let branch = db::org_units::find(conn, unit)?.expect("the branch");
            let row = db::imports::NewImportJobRow {
                unit_id: unit,
                unit_path: &branch.path,
                user_id: user,
                file_name: "nhap.xlsx",
                mode: "valid_only",
                status: "importing",
                total_rows: 10,
                created_at: db::now(),
                kind: "members",
            };
            db::imports::insert(conn, &row).map_err(Into::into)
        })
        .await
        .unwrap();
    // A server running the job holds its lock on a connection of its own.
    let pool = db::connect(&url, 2).unwrap();
    let mut running = pool.get().unwrap();
    assert!(db::locks::try_lock(&mut running, db::locks::import_job(job)).unwrap());
    let at = db::now();
    let mut starting = db::connect(&url, 1).unwrap().get().unwrap();
    assert_eq!(db::imports::fail_interrupted(&mut starting, "interrupted", at).unwrap(), 0, "still running elsewhere");
    drop(running); // back in its server's pool, the lock still held: that server is alive
    assert_eq!(db::imports::fail_interrupted(&mut starting, "interrupted", at).unwrap(), 0);
    drop(pool); // its connections close: the server is gone
    let deadline = Instant::now() + Duration::from_secs(5);
    while db::imports::fail_interrupted(&mut starting, "interrupted", at).unwrap() == 0 {
        assert!(Instant::now() < deadline, "the job of a server gone is never failed");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
    let seen = app.get(&format!("/api/v1/imports/{job}"), Some(&t.cadre.token)).await;
    assert_eq!(seen.body["status"], "failed", "{:#}", seen.body);
}
