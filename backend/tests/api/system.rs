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

    async fn every_answer_carries_the_security_headers_and_api_answers_are_not_stored(app) {
        let t = app.tree().await;
        let shell = app.get("/don-vi/3", None).await;
        let csp = shell.header("content-security-policy").expect("a CSP on the app shell");
        for directive in ["default-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", "style-src 'self'",
            "img-src 'self' data:", "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"] {
            assert!(csp.split(';').any(|d| d.trim() == directive), "{directive} in {csp}");
        }
        assert!(!csp.split(';').any(|d| d.trim().starts_with("script-src") && d.contains("unsafe-inline")));
        assert_eq!(shell.header("cache-control").as_deref(), Some("no-cache"), "the shell revalidates, as before");
        let me = app.get("/api/v1/me", Some(&t.member.token)).await;
        let login = app.login(&t.member.login, crate::helpers::PASSWORD).await;
        let refused = app.get(&format!("/api/v1/members?unit_id={}", t.school), Some(&t.cadre.token)).await;
        let unauthenticated = app.get("/api/v1/me", None).await;
        let export = app.client.get(format!("{}/api/v1/members/export?unit_id={}", app.base, t.branch))
            .insert_header(("Authorization", format!("Bearer {}", t.cadre.token))).send().await.unwrap();
        let export_cache = export.headers().get("cache-control").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!((export.status().as_u16(), export_cache.as_deref()), (200, Some("no-store")), "an export");
        for (what, res) in [("me", &me), ("login", &login), ("403", &refused), ("401", &unauthenticated), ("shell", &shell)] {
            assert_eq!(res.header("x-content-type-options").as_deref(), Some("nosniff"), "{what}");
            assert_eq!(res.header("referrer-policy").as_deref(), Some("same-origin"), "{what}");
            assert_eq!(res.header("x-frame-options").as_deref(), Some("DENY"), "{what}");
            assert_eq!(res.header("strict-transport-security"), None, "{what}: no HSTS outside production");
            if what != "shell" {
                assert_eq!(res.header("cache-control").as_deref(), Some("no-store"), "{what}");
                assert!(res.header("content-security-policy").is_some(), "{what}");
            }
        }
        let docs = app.get("/api/v1/docs/", None).await;
        assert_eq!(docs.status, 200);
        let docs_csp = docs.header("content-security-policy").unwrap();
        assert!(docs_csp.contains("frame-ancestors 'none'") && docs_csp.contains("script-src 'self';"), "{docs_csp}");
        let page = docs.body.as_str().unwrap_or_default().to_owned();
        assert!(!page.contains("<script>"), "the API explorer runs no inline script, so its CSP holds: {page}");

        let production = crate::helpers::spawn_app_with(app.engine, |c| c.production = true).await.unwrap();
        let res = production.get("/api/v1/health", None).await;
        assert_eq!(res.header("strict-transport-security").as_deref(), Some("max-age=31536000; includeSubDomains"));
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
