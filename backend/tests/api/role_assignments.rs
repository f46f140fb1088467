//! Granting and revoking roles.

use serde_json::json;
use shared::api::auth::MeResponse;
use shared::api::role_assignments::RoleAssignmentView;
use shared::api::Page;
use shared::roles::Role;
use shared::ErrorCode;

api_tests! {
    async fn a_leader_grants_a_cadre_role_with_a_title_in_their_subtree(app) {
        let t = app.tree().await;
        let new = app.user("Hoàng Thị Lan").await;
        let res = app
            .post("/api/v1/role-assignments", Some(&t.leader.token), json!({"login": new.login, "org_unit_id": t.school, "role": "cadre", "title": "Bí thư Đoàn trường"}))
            .await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let granted: RoleAssignmentView = res.json();
        assert_eq!((granted.role, granted.title.as_deref()), (Role::Cadre, Some("Bí thư Đoàn trường")));

        let me: MeResponse = app.get("/api/v1/me", Some(&new.token)).await.json();
        assert_eq!(me.roles.len(), 1);
        assert_eq!(me.roles[0].org_unit_name, "Đoàn trường THPT Lê Quý Đôn");
        // The new cadre can now act in that subtree.
        app.unit(&new, t.school, "branch", "Chi đoàn 11A2").await;

        let page: Page<RoleAssignmentView> = app.get(&format!("/api/v1/role-assignments?org_unit_id={}", t.school), Some(&t.leader.token)).await.json();
        assert_eq!(page.total, 1);
        assert_eq!(page.items[0].user_full_name, "Hoàng Thị Lan");
    }

    async fn nobody_grants_above_their_role_or_outside_their_subtree(app) {
        let t = app.tree().await;
        let someone = app.user("Đặng Văn Hùng").await;
        let grant = |token: String, unit, role: &'static str| {
            let app = &app;
            let uid = someone.user_id;
            async move { app.post("/api/v1/role-assignments", Some(&token), json!({"user_id": uid, "org_unit_id": unit, "role": role})).await }
        };
        let res = grant(t.leader.token.clone(), t.province, "admin").await;
        assert_eq!(res.status, 403, "a leader never grants admin");
        assert_eq!(res.problem().code(), Some(ErrorCode::Forbidden));
        assert_eq!(grant(t.leader.token.clone(), t.root, "cadre").await.status, 403, "nor above their unit");
        assert_eq!(grant(t.cadre.token.clone(), t.school, "member").await.status, 403, "a cadre stays in their subtree");
        assert_eq!(grant(t.cadre.token.clone(), t.commune, "leader").await.status, 403, "a cadre grants up to cadre");
        assert_eq!(grant(t.member.token.clone(), t.branch, "member").await.status, 403, "members grant nothing");
        assert_eq!(grant(t.cadre.token.clone(), t.branch, "member").await.status, 201);
        assert_eq!(grant(t.admin.token.clone(), t.root, "admin").await.status, 201, "an admin may");
    }

    async fn a_bad_grant_is_422_and_a_repeated_one_409(app) {
        let t = app.tree().await;
        let res = app.post("/api/v1/role-assignments", Some(&t.admin.token), json!({"role": "king", "title": "x".repeat(200)})).await;
        assert_eq!(res.error_fields(), ["user_id", "org_unit_id", "role", "title"]);
        let res = app.post("/api/v1/role-assignments", Some(&t.admin.token), json!({"login": "0987654321", "org_unit_id": t.branch, "role": "member"})).await;
        assert_eq!(res.error_fields(), ["login"], "no such user");
        let res = app.post("/api/v1/role-assignments", Some(&t.admin.token), json!({"user_id": t.member.user_id, "org_unit_id": t.branch, "role": "member"})).await;
        assert_eq!(res.status, 409);
        assert_eq!(res.problem().code(), Some(ErrorCode::Conflict));
    }

    async fn reading_a_units_roles_needs_a_cadre_of_its_subtree(app) {
        let t = app.tree().await;
        let path = format!("/api/v1/role-assignments?org_unit_id={}", t.branch);
        assert_eq!(app.get(&path, Some(&t.cadre.token)).await.status, 200);
        assert_eq!(app.get(&path, Some(&t.member.token)).await.status, 403);
        let other = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, other.user_id, t.school, "cadre").await;
        assert_eq!(app.get(&path, Some(&other.token)).await.status, 403);
        assert_eq!(app.get("/api/v1/role-assignments", Some(&t.admin.token)).await.error_fields(), ["org_unit_id"]);
    }

    async fn a_role_is_revoked_in_scope_and_the_last_admin_stays(app) {
        let t = app.tree().await;
        let me: MeResponse = app.get("/api/v1/me", Some(&t.member.token)).await.json();
        let member_role = me.roles[0].id;
        let other = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, other.user_id, t.school, "cadre").await;
        let res = app.delete(&format!("/api/v1/role-assignments/{member_role}"), Some(&other.token)).await;
        assert_eq!(res.status, 404, "outside the caller's scope the assignment does not exist");
        let res = app.delete(&format!("/api/v1/role-assignments/{member_role}"), Some(&t.cadre.token)).await;
        assert_eq!(res.status, 204);
        let me: MeResponse = app.get("/api/v1/me", Some(&t.member.token)).await.json();
        assert!(me.roles.is_empty());

        let admin_me: MeResponse = app.get("/api/v1/me", Some(&t.admin.token)).await.json();
        let res = app.delete(&format!("/api/v1/role-assignments/{}", admin_me.roles[0].id), Some(&t.admin.token)).await;
        assert_eq!(res.status, 409, "the last administrator cannot be removed");
        assert_eq!(res.problem().reason, Some(shared::ConflictCode::LastAdmin));
    }

    async fn a_role_granted_twice_is_a_409_with_its_reason_in_the_readers_language_never_a_constraint(app) {
        let t = app.tree().await;
        let other = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, other.user_id, t.school, "cadre").await;
        let body = serde_json::json!({ "user_id": other.user_id, "org_unit_id": t.school, "role": "cadre" });
        let res = app.post("/api/v1/role-assignments", Some(&t.admin.token), body.clone()).await;
        assert_eq!(res.status, 409);
        let p = res.problem();
        assert_eq!(p.reason, Some(shared::ConflictCode::RoleAlreadyHeld));
        assert_eq!(p.detail.as_deref(), Some("Người này đã có vai trò này tại đơn vị."));
        let res = app
            .send(actix_web::http::Method::POST, "/api/v1/role-assignments", Some(&t.admin.token), &[("Accept-Language", "en")], Some(body))
            .await;
        let detail = res.problem().detail.unwrap_or_default();
        assert_eq!(detail, "This person already holds this role on this unit.");
        assert!(!detail.contains("role_assignments") && !detail.contains("UNIQUE"), "{detail}");
    }

    async fn a_revoked_role_stops_working_at_the_next_request(app) {
        let t = app.tree().await;
        let cadre = app.user("Vũ Thị Hạnh").await;
        let grant = app.grant(&t.admin, cadre.user_id, t.school, "cadre").await;
        let list = format!("/api/v1/members?unit_id={}", t.school);
        assert_eq!(app.get(&list, Some(&cadre.token)).await.status, 200, "the caller is now known (and remembered)");
        assert_eq!(app.delete(&format!("/api/v1/role-assignments/{}", grant.id), Some(&t.admin.token)).await.status, 204);
        assert_eq!(app.get(&list, Some(&cadre.token)).await.status, 403, "the same access token, no longer a cadre");
        app.grant(&t.admin, cadre.user_id, t.school, "cadre").await;
        assert_eq!(app.get(&list, Some(&cadre.token)).await.status, 200, "and a new grant works at once");
    }
}
