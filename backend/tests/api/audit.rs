//! The audit trail.

use serde_json::json;
use shared::api::audit::AuditEntryView;
use shared::api::Page;

api_tests! {
    async fn every_change_is_audited_and_readable_by_the_leaders_of_that_subtree(app) {
        let t = app.tree().await;
        let unit = app.unit(&t.cadre, t.commune, "branch", "Chi đoàn Tổ dân phố 5").await;
        let res = app.patch(&format!("/api/v1/org-units/{}", unit.id), Some(&t.cadre.token), Some("\"1\""), json!({"name": "Chi đoàn TDP 5"})).await;
        assert_eq!(res.status, 200);

        let res = app.get(&format!("/api/v1/audit?unit_id={}", t.commune), Some(&t.leader.token)).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let page: Page<AuditEntryView> = res.json();
        let update = &page.items[0];
        assert_eq!(update.action, "org_unit.update");
        assert_eq!(update.entity_id, unit.id.0);
        assert_eq!(update.actor_user_id, Some(t.cadre.user_id));
        assert_eq!(update.actor_name.as_deref(), Some("Nguyễn Văn Đức"));
        assert_eq!(update.before.as_ref().unwrap()["name"], "Chi đoàn Tổ dân phố 5");
        assert_eq!(update.after.as_ref().unwrap()["name"], "Chi đoàn TDP 5");
        assert_eq!(page.items[1].action, "org_unit.create");
        assert!(page.items.iter().all(|e| e.org_unit_id.is_some()));
        assert!(!page.items.iter().any(|e| e.org_unit_id == Some(t.school)), "only the commune's subtree");

        assert_eq!(app.get(&format!("/api/v1/audit?unit_id={}", t.commune), Some(&t.cadre.token)).await.status, 403, "cadres do not read the audit");
        let school_leader = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, school_leader.user_id, t.school, "leader").await;
        assert_eq!(app.get(&format!("/api/v1/audit?unit_id={}", t.commune), Some(&school_leader.token)).await.status, 403);
    }
}
