//! Test harness: `spawn_app` starts the real application on a free port with its own fresh
//! database (SQLite file or PostgreSQL database), and factories arrange users, units and roles
//! through the API with defaults for everything.

use actix_web::http::Method;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use shared::api::org_units::OrgUnitView;
use shared::api::role_assignments::RoleAssignmentView;
use shared::ids::{OrgUnitId, UserId};
use shared::Problem;
use sodoan::config::Config;
use sodoan::db::DbUrl;
use sodoan::startup::Application;
use sodoan::state::Db;
use std::sync::atomic::{AtomicU32, Ordering};

/// Runs each test body once on SQLite and once on PostgreSQL:
/// `api_tests! { async fn a_thing_happens(app) { … } }` gives `a_thing_happens::sqlite` and `::postgres`.
#[macro_export]
macro_rules! api_tests {
    ($(async fn $name:ident($app:ident) $body:block)*) => {$(
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            async fn body($app: $crate::helpers::TestApp) $body

            #[actix_web::test]
            async fn sqlite() {
                body($crate::helpers::spawn_app($crate::helpers::Engine::Sqlite).await.unwrap()).await
            }

            #[actix_web::test]
            async fn postgres() {
                if let Some(app) = $crate::helpers::spawn_app($crate::helpers::Engine::Postgres).await {
                    body(app).await
                }
            }
        }
    )*};
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub const TEST_JWT_SECRET: &[u8] = b"test-secret-test-secret-test-secret!";
pub const PASSWORD: &str = "mat-khau-2026";

#[derive(Clone)]
pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub callers: std::sync::Arc<sodoan::auth::CallerCache>,
    pub client: awc::Client,
    pub engine: Engine,
    /// The database, as `DATABASE_URL` names it (for the command line).
    pub database_url: String,
    _dir: std::rc::Rc<tempfile::TempDir>,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: actix_web::http::header::HeaderMap,
    pub body: Value,
}

impl Resp {
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_value(self.body.clone())
            .unwrap_or_else(|e| panic!("unexpected body for status {}: {e}\n{:#}", self.status, self.body))
    }

    /// The problem document, checking its media type.
    pub fn problem(&self) -> Problem {
        let ct = self.header("content-type").unwrap_or_default();
        assert_eq!(ct, "application/problem+json", "status {} body {}", self.status, self.body);
        self.json()
    }

    /// The fields a 422 names, in order.
    pub fn error_fields(&self) -> Vec<String> {
        assert_eq!(self.status, 422, "{:#}", self.body);
        self.problem().errors.into_iter().map(|e| e.field).collect()
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
    }
}

static NEXT: AtomicU32 = AtomicU32::new(1);

pub fn test_config(url: DbUrl) -> Config {
    let files_dir = sodoan::config::default_files_dir(&url);
    Config {
        database_url: url,
        bind_addr: "127.0.0.1:0".to_owned(),
        jwt_secret: TEST_JWT_SECRET.to_vec(),
        demo: false,
        production: false,
        workers: Some(1),
        pool_size: 4,
        spa_dir: None,
        transfer_alert_days: 90,
        db_concurrency: 4,
        backup: None,
        files_dir,
    }
}

/// Starts the app on a fresh database; `None` when PostgreSQL is unavailable outside CI.
pub async fn spawn_app(engine: Engine) -> Option<TestApp> {
    spawn_app_with(engine, |_| {}).await
}

/// As `spawn_app`, with the configuration changed by `tweak` (e.g. `production`).
pub async fn spawn_app_with(engine: Engine, tweak: impl FnOnce(&mut Config)) -> Option<TestApp> {
    let dir = tempfile::tempdir().unwrap();
    let url = match engine {
        Engine::Sqlite => DbUrl::Sqlite(dir.path().join("test.db").display().to_string()),
        Engine::Postgres => crate::pg::fresh_database()?,
    };
    let mut config = test_config(url);
    config.files_dir = dir.path().join("files");
    tweak(&mut config);
    Some(spawn_configured(engine, &config, dir).await)
}

/// Starts the app on a given database (kept alive as long as `dir`).
pub async fn spawn_app_on(engine: Engine, url: DbUrl, dir: tempfile::TempDir) -> TestApp {
    let mut config = test_config(url);
    config.files_dir = dir.path().join("files");
    spawn_configured(engine, &config, dir).await
}

async fn spawn_configured(engine: Engine, config: &Config, dir: tempfile::TempDir) -> TestApp {
    let app = Application::build(config).expect("the app builds");
    let base = format!("http://127.0.0.1:{}", app.port());
    let (db, callers) = (app.db(), app.callers());
    actix_web::rt::spawn(app.run_until_stopped());
    let client = awc::Client::builder().timeout(std::time::Duration::from_secs(60)).finish();
    let database_url = match &config.database_url {
        DbUrl::Sqlite(path) => format!("sqlite://{path}"),
        DbUrl::Postgres(url) => url.clone(),
    };
    TestApp { base, db, callers, client, engine, database_url, _dir: std::rc::Rc::new(dir) }
}

/// The real binary serving the same database as a test app, in a process of its own, killed
/// when dropped however the test ends (a failed assertion must not leave it running, holding the
/// test runner's output open). `api` sends to it; the test app's own requests go to the first.
pub struct Process {
    pub api: TestApp,
    child: std::process::Child,
}

impl Process {
    /// `kill -9`, and waits for the end.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

impl TestApp {
    /// Starts the real binary on this app's database (tokens signed by either are good on both).
    pub async fn another_process(&self) -> Process {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = crate::cli::sodoan(&self.database_url)
            .env("BIND_ADDR", format!("127.0.0.1:{port}"))
            .env("JWT_SECRET", std::str::from_utf8(TEST_JWT_SECRET).unwrap())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let process = Process { api: TestApp { base: format!("http://127.0.0.1:{port}"), ..self.clone() }, child };
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "the server did not start");
            actix_web::rt::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        process
    }
}

/// What a request carries.
pub enum Body {
    None,
    Json(Value),
    Bytes(Vec<u8>),
}

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: UserId,
    pub token: String,
    pub login: String,
}

impl TestApp {
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Resp {
        self.send_body(method, path, token, headers, body.map_or(Body::None, Body::Json)).await
    }

    pub async fn send_body(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        headers: &[(&str, &str)],
        body: Body,
    ) -> Resp {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        for (k, v) in headers {
            req = req.insert_header((*k, *v));
        }
        let mut res = match body {
            Body::Json(b) => req.send_json(&b).await,
            Body::Bytes(b) => req.send_body(b).await,
            Body::None => req.send().await,
        }
        .expect("request sent");
        let bytes = res.body().limit(16 << 20).await.expect("body read");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        Resp { status: res.status().as_u16(), headers: res.headers().clone(), body }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Resp {
        self.send(Method::GET, path, token, &[], None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        self.send(Method::POST, path, token, &[], Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> Resp {
        self.send(Method::DELETE, path, token, &[], None).await
    }

    pub async fn patch(&self, path: &str, token: Option<&str>, if_match: Option<&str>, body: Value) -> Resp {
        let headers: Vec<(&str, &str)> = if_match.map(|v| ("If-Match", v)).into_iter().collect();
        self.send(Method::PATCH, path, token, &headers, Some(body)).await
    }

    /// POST of raw bytes (a file upload).
    pub async fn post_bytes(&self, path: &str, token: &str, bytes: Vec<u8>) -> Resp {
        let headers = [("Content-Type", "application/octet-stream")];
        self.send_body(Method::POST, path, Some(token), &headers, Body::Bytes(bytes)).await
    }

    /// GET of a file's bytes.
    pub async fn get_bytes(&self, path: &str, token: &str) -> (u16, Vec<u8>) {
        let mut res = self
            .client
            .get(format!("{}{path}", self.base))
            .insert_header(("Authorization", format!("Bearer {token}")))
            .send()
            .await
            .expect("request sent");
        let bytes = res.body().limit(64 << 20).await.expect("body read");
        (res.status().as_u16(), bytes.to_vec())
    }

    /// POST with `If-Match: "<version>"`.
    pub async fn post_versioned(&self, path: &str, token: &str, version: i64, body: Value) -> Resp {
        let v = format!("\"{version}\"");
        self.send(Method::POST, path, Some(token), &[("If-Match", &v)], Some(body)).await
    }

    /// Adds a member record as `by` (see `member_record`).
    pub async fn add_member(&self, by: &Session, body: Value) -> shared::api::members::MemberView {
        let res = self.post("/api/v1/members", Some(&by.token), body).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        res.json()
    }

    /// Adds a member record naming `holder`'s account (`login`) as `by`, and has the holder
    /// confirm the link; answers the linked record.
    pub async fn add_linked_member(
        &self,
        by: &Session,
        mut body: Value,
        holder: &Session,
    ) -> shared::api::members::MemberView {
        body["login"] = json!(holder.login);
        let m = self.add_member(by, body).await;
        let res = self.post(&format!("/api/v1/members/{}/link/confirm", m.id), Some(&holder.token), json!({})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        res.json()
    }

    /// Registers through the API and returns the new user's id.
    pub async fn register(&self, login: &str, full_name: &str) -> UserId {
        let res = self
            .post(
                "/api/v1/auth/register",
                None,
                json!({"login": login, "password": PASSWORD, "full_name": full_name, "date_of_birth": "2004-03-26"}),
            )
            .await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        UserId(res.body["id"].as_i64().unwrap())
    }

    pub async fn login(&self, login: &str, password: &str) -> Resp {
        self.post("/api/v1/auth/login", None, json!({"login": login, "password": password})).await
    }

    /// A new user, registered and signed in.
    pub async fn user(&self, full_name: &str) -> Session {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let login = format!("user{n}@sodoan.test");
        let user_id = self.register(&login, full_name).await;
        let res = self.login(&login, PASSWORD).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        Session { user_id, token: res.body["access_token"].as_str().unwrap().to_owned(), login }
    }

    /// The system administrator (made as `sodoan create-admin` makes one), signed in.
    pub async fn admin(&self) -> Session {
        let login = "admin@sodoan.test";
        self.db
            .run(move |conn| sodoan::services::auth::create_admin(conn, login, "Quản trị", PASSWORD))
            .await
            .expect("admin created");
        let res = self.login(login, PASSWORD).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        Session {
            user_id: UserId(res.body["user"]["id"].as_i64().unwrap()),
            token: res.body["access_token"].as_str().unwrap().to_owned(),
            login: login.to_owned(),
        }
    }

    /// The root of the tree (exists once an admin exists).
    pub async fn root(&self, s: &Session) -> OrgUnitId {
        let res = self.get("/api/v1/org-units", Some(&s.token)).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        OrgUnitId(res.body["items"][0]["id"].as_i64().unwrap())
    }

    /// Creates a unit as `by`.
    pub async fn unit(&self, by: &Session, parent: OrgUnitId, kind: &str, name: &str) -> OrgUnitView {
        let res = self
            .post("/api/v1/org-units", Some(&by.token), json!({"parent_id": parent, "name": name, "kind": kind}))
            .await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        res.json()
    }

    /// Grants a role as `by`.
    pub async fn grant(&self, by: &Session, user: UserId, unit: OrgUnitId, role: &str) -> RoleAssignmentView {
        let res = self
            .post(
                "/api/v1/role-assignments",
                Some(&by.token),
                json!({"user_id": user, "org_unit_id": unit, "role": role}),
            )
            .await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        res.json()
    }

    /// A small province: two grassroots units with a branch each, an admin, and a signed-in
    /// user for each role: a leader on the province, a cadre on the first grassroots unit, a member of its branch.
    pub async fn tree(&self) -> Tree {
        let admin = self.admin().await;
        let root = self.root(&admin).await;
        let province = self.unit(&admin, root, "province", "Tỉnh đoàn Khánh Hòa").await.id;
        let commune = self.unit(&admin, province, "grassroots", "Đoàn phường Nha Trang").await.id;
        let branch = self.unit(&admin, commune, "branch", "Chi đoàn Tổ dân phố 1").await.id;
        let school = self.unit(&admin, province, "grassroots", "Đoàn trường THPT Lê Quý Đôn").await.id;
        let school_branch = self.unit(&admin, school, "branch", "Chi đoàn 12A3").await.id;
        let leader = self.user("Trần Thị Mai").await;
        self.grant(&admin, leader.user_id, province, "leader").await;
        let cadre = self.user("Nguyễn Văn Đức").await;
        self.grant(&admin, cadre.user_id, commune, "cadre").await;
        let member = self.user("Lê Thị Hồng Nhung").await;
        self.grant(&admin, member.user_id, branch, "member").await;
        Tree { admin, root, province, commune, branch, school, school_branch, leader, cadre, member }
    }
}

/// A valid member record for a branch (a man born 2006-05-19, joined 2022-03-26).
pub fn member_record(unit: OrgUnitId, name: &str, national_id: &str) -> Value {
    json!({
        "full_name": name, "date_of_birth": "2006-05-19", "gender": "male", "national_id": national_id,
        "phone": "0912345678", "unit_id": unit, "joined_on": "2022-03-26", "hometown": "Khánh Hòa"
    })
}

pub struct Tree {
    pub admin: Session,
    pub root: OrgUnitId,
    pub province: OrgUnitId,
    pub commune: OrgUnitId,
    pub branch: OrgUnitId,
    pub school: OrgUnitId,
    pub school_branch: OrgUnitId,
    pub leader: Session,
    pub cadre: Session,
    pub member: Session,
}
