//! The `sodoan` command line, run as a real process.

use crate::helpers::{spawn_app_on, Engine, PASSWORD};
use std::process::Command;

/// The real binary on `db_url`.
pub fn sodoan(db_url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_sodoan"));
    cmd.env("DATABASE_URL", db_url).env("JWT_SECRET", "cli-test-secret-cli-test-secret-cli").env("RUST_LOG", "warn");
    cmd
}

#[actix_web::test]
async fn create_admin_makes_an_administrator_who_can_sign_in_and_refuses_without_a_password() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("cli.db").display());

    let refused = sodoan(&url).args(["create-admin", "--login", "admin@example.vn"]).output().unwrap();
    assert!(!refused.status.success(), "no password and no terminal");
    assert!(String::from_utf8_lossy(&refused.stderr).contains("SODOAN_ADMIN_PASSWORD"));

    let weak = sodoan(&url)
        .args(["create-admin", "--login", "admin@example.vn"])
        .env("SODOAN_ADMIN_PASSWORD", "123")
        .output()
        .unwrap();
    assert!(!weak.status.success(), "a too-short password is refused");

    let made = sodoan(&url)
        .args(["create-admin", "--login", "Admin@Example.vn", "--name", "Quản trị viên"])
        .env("SODOAN_ADMIN_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));

    let app = spawn_app_on(Engine::Sqlite, sodoan::db::DbUrl::parse(&url).unwrap(), dir).await;
    let res = app.login("admin@example.vn", PASSWORD).await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    let me = app.get("/api/v1/me", Some(res.body["access_token"].as_str().unwrap())).await;
    assert_eq!(me.body["roles"][0]["role"], "admin");
    assert_eq!(me.body["roles"][0]["org_unit_name"], "Trung ương Đoàn TNCS Hồ Chí Minh");
}
