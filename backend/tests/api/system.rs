//! Health, the OpenAPI document, routing of non-API paths, and start-up refusals.

use crate::helpers::{test_config, Engine};
use diesel::connection::SimpleConnection;
use shared::api::health::Health;
use sodoan::startup::Application;

api_tests! {
    async fn health_reports_the_engine(app) {
        let res = app.get("/api/v1/health", None).await;
        assert_eq!(res.status, 200);
        let health: Health = res.json();
        let expected = match app.engine { Engine::Sqlite => "sqlite", Engine::Postgres => "postgres" };
        assert_eq!((health.status.as_str(), health.database.as_str()), ("ok", expected));
    }

    async fn the_openapi_document_describes_every_route_and_the_bearer_scheme(app) {
        let res = app.get("/api/v1/openapi.json", None).await;
        assert_eq!(res.status, 200);
        let doc = res.body;
        assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
        let paths = doc["paths"].as_object().unwrap();
        for (path, method) in [
            ("/api/v1/health", "get"), ("/api/v1/auth/register", "post"), ("/api/v1/auth/login", "post"),
            ("/api/v1/auth/refresh", "post"), ("/api/v1/auth/logout", "post"), ("/api/v1/me", "get"),
            ("/api/v1/org-units", "get"), ("/api/v1/org-units", "post"), ("/api/v1/org-units/{id}", "get"),
            ("/api/v1/org-units/{id}", "patch"), ("/api/v1/role-assignments", "get"),
            ("/api/v1/role-assignments", "post"), ("/api/v1/role-assignments/{id}", "delete"), ("/api/v1/audit", "get"),
            ("/api/v1/members", "get"), ("/api/v1/members", "post"), ("/api/v1/members/{id}", "get"),
            ("/api/v1/members/{id}", "patch"), ("/api/v1/members/{id}/transitions", "post"),
            ("/api/v1/members/{id}/transitions", "get"), ("/api/v1/positions", "post"), ("/api/v1/positions", "get"),
            ("/api/v1/positions/{id}/end", "post"), ("/api/v1/members/export", "get"),
        ] {
            assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} missing");
        }
        assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
        assert!(doc["components"]["schemas"].get("Problem").is_some());
        let docs = app.get("/api/v1/docs/", None).await;
        assert_eq!(docs.status, 200, "the browsable API page is served offline");
    }

    async fn non_api_paths_get_the_app_shell_and_api_paths_never_do(app) {
        let res = app.get("/don-vi/3", None).await;
        assert_eq!(res.status, 200);
        assert!(res.header("content-type").unwrap().starts_with("text/html"));
        let res = app.get("/api/v2/anything", None).await;
        assert_eq!(res.status, 404);
        res.problem();
    }
}

#[actix_web::test]
async fn a_database_from_a_newer_version_is_refused_at_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let url = sodoan::db::DbUrl::Sqlite(dir.path().join("newer.db").display().to_string());
    let app = Application::build(&test_config(url.clone())).unwrap();
    app.db()
        .run(|conn| {
            conn.batch_execute("INSERT INTO __diesel_schema_migrations (version) VALUES ('29990101000000')")
                .map_err(|e| sodoan::error::ApiError::Internal(e.into()))
        })
        .await
        .unwrap();
    let err = Application::build(&test_config(url)).err().expect("start-up must be refused");
    let message = format!("{err:#}");
    assert!(message.contains("newer version of Sổ Đoàn"), "{message}");
    assert!(message.contains("29990101000000"), "{message}");
}
