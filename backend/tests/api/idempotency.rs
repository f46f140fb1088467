//! `Idempotency-Key`: a retried write returns the first result and acts once.

use actix_web::http::Method;
use serde_json::json;
use shared::api::org_units::OrgUnitView;
use shared::api::Page;
use shared::ErrorCode;

api_tests! {
    async fn a_retried_create_with_the_same_key_returns_the_first_result_and_creates_once(app) {
        let t = app.tree().await;
        let body = json!({"parent_id": t.commune, "name": "Chi đoàn Tổ dân phố 9", "kind": "branch"});
        let headers = [("Idempotency-Key", "phone-42-create-tdp9")];
        let first = app.send(Method::POST, "/api/v1/org-units", Some(&t.cadre.token), &headers, Some(body.clone())).await;
        assert_eq!(first.status, 201, "{:#}", first.body);
        assert!(first.header("idempotent-replayed").is_none());
        let again = app.send(Method::POST, "/api/v1/org-units", Some(&t.cadre.token), &headers, Some(body.clone())).await;
        assert_eq!(again.status, 201);
        assert_eq!(again.body, first.body, "the same unit, same id");
        assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
        let again: OrgUnitView = again.json();
        assert_eq!(again.name, "Chi đoàn Tổ dân phố 9");

        let children: Page<OrgUnitView> = app.get(&format!("/api/v1/org-units?parent_id={}", t.commune), Some(&t.cadre.token)).await.json();
        assert_eq!(children.items.iter().filter(|u| u.name == "Chi đoàn Tổ dân phố 9").count(), 1, "created once");

        // Without a key, the same request acts again.
        let plain = app.post("/api/v1/org-units", Some(&t.cadre.token), body).await;
        assert_eq!(plain.status, 201);
        assert_ne!(plain.body["id"], first.body["id"]);
    }

    async fn a_key_reused_for_another_request_is_409_and_keys_are_per_caller(app) {
        let t = app.tree().await;
        let headers = [("Idempotency-Key", "same-key")];
        let a = app
            .send(Method::POST, "/api/v1/org-units", Some(&t.cadre.token), &headers, Some(json!({"parent_id": t.commune, "name": "Chi đoàn A1", "kind": "branch"})))
            .await;
        assert_eq!(a.status, 201);
        let b = app
            .send(Method::POST, "/api/v1/org-units", Some(&t.cadre.token), &headers, Some(json!({"parent_id": t.commune, "name": "Chi đoàn B1", "kind": "branch"})))
            .await;
        assert_eq!(b.status, 409);
        assert_eq!(b.problem().code(), Some(ErrorCode::Conflict));

        // Another caller's identical key is theirs alone.
        let c = app
            .send(Method::POST, "/api/v1/org-units", Some(&t.leader.token), &headers, Some(json!({"parent_id": t.commune, "name": "Chi đoàn A1", "kind": "branch"})))
            .await;
        assert_eq!(c.status, 201);
        assert_ne!(c.body["id"], a.body["id"]);

        let bad = app.send(Method::POST, "/api/v1/org-units", Some(&t.cadre.token), &[("Idempotency-Key", "có dấu")], Some(json!({}))).await;
        assert_eq!(bad.status, 400);
        bad.problem();
    }

    async fn a_refusal_is_replayed_too_and_changes_nothing(app) {
        let t = app.tree().await;
        let headers = [("Idempotency-Key", "outside-scope")];
        let body = json!({"parent_id": t.school, "name": "Chi đoàn lạ", "kind": "branch"});
        let first = app.send(Method::POST, "/api/v1/org-units", Some(&t.cadre.token), &headers, Some(body.clone())).await;
        assert_eq!(first.status, 403);
        let again = app.send(Method::POST, "/api/v1/org-units", Some(&t.cadre.token), &headers, Some(body)).await;
        assert_eq!((again.status, again.body.clone()), (403, first.body));
        assert_eq!(again.header("content-type").as_deref(), Some("application/problem+json"));
    }
}
