//! Committee positions.

use serde_json::json;
use shared::api::auth::MeResponse;
use shared::api::members::MemberView;
use shared::api::positions::{PositionTitle, PositionView};
use shared::roles::Role;
use shared::ErrorCode;

fn record(unit: shared::ids::OrgUnitId, national_id: &str, login: Option<&str>) -> serde_json::Value {
    json!({
        "full_name": "Phạm Minh Khôi", "date_of_birth": "2006-05-19", "gender": "male", "national_id": national_id,
        "phone": "0912345678", "unit_id": unit, "joined_on": "2022-03-26", "login": login
    })
}

api_tests! {
    async fn a_secretary_is_appointed_with_the_cadre_role_and_loses_it_when_the_term_ends(app) {
        let t = app.tree().await;
        let youth = app.user("Phạm Minh Khôi").await;
        let m: MemberView = app.add_linked_member(&t.cadre, record(t.branch, "056206012345", None), &youth).await;

        let res = app.post("/api/v1/positions", Some(&t.cadre.token), json!({"member_id": m.id, "unit_id": t.branch, "title": "secretary", "started_on": "2025-10-01", "grant_role": true})).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let p: PositionView = res.json();
        assert_eq!((p.title, p.grants_role, p.member_name.as_str()), (PositionTitle::Secretary, true, "Phạm Minh Khôi"));
        let me: MeResponse = app.get("/api/v1/me", Some(&youth.token)).await.json();
        assert!(me.roles.iter().any(|r| r.role == Role::Cadre && r.org_unit_id == t.branch && r.title.as_deref() == Some("Bí thư")));
        let committee: Vec<PositionView> = app.get(&format!("/api/v1/positions?unit_id={}", t.branch), Some(&t.member.token)).await.json::<shared::api::Page<PositionView>>().items;
        assert_eq!(committee.len(), 1, "the committee is visible to members");

        let second = app.post("/api/v1/positions", Some(&t.cadre.token), json!({"member_id": m.id, "unit_id": t.branch, "title": "secretary", "started_on": "2025-10-01"})).await;
        assert_eq!(second.status, 409, "one secretary at a time");

        let early = app.post(&format!("/api/v1/positions/{}/end", p.id), Some(&t.cadre.token), json!({"ended_on": "2025-01-01"})).await;
        assert_eq!(early.error_fields(), ["ended_on"]);
        let ended = app.post(&format!("/api/v1/positions/{}/end", p.id), Some(&t.cadre.token), json!({"ended_on": "2026-01-15"})).await;
        assert_eq!(ended.status, 200);
        assert_eq!(ended.json::<PositionView>().ended_on.map(|d| d.to_string()).as_deref(), Some("2026-01-15"));
        let me: MeResponse = app.get("/api/v1/me", Some(&youth.token)).await.json();
        assert!(!me.roles.iter().any(|r| r.role == Role::Cadre), "the role went with the term");
        let current: Vec<PositionView> = app.get(&format!("/api/v1/positions?unit_id={}", t.branch), Some(&t.member.token)).await.json::<shared::api::Page<PositionView>>().items;
        assert!(current.is_empty());
        let history: Vec<PositionView> = app.get(&format!("/api/v1/positions?unit_id={}&current=false", t.branch), Some(&t.member.token)).await.json::<shared::api::Page<PositionView>>().items;
        assert_eq!(history.len(), 1);
        let page2: shared::api::Page<PositionView> = app.get(&format!("/api/v1/positions?unit_id={}&current=false&page=2&per_page=1", t.branch), Some(&t.member.token)).await.json();
        assert_eq!((page2.total, page2.page, page2.items.len()), (1, 2, 0), "the paged envelope");
        let res = app.get(&format!("/api/v1/positions?unit_id={}&per_page=0", t.branch), Some(&t.member.token)).await;
        assert_eq!(res.error_fields(), ["per_page"]);
        let again = app.post(&format!("/api/v1/positions/{}/end", p.id), Some(&t.cadre.token), json!({"ended_on": "2026-01-16"})).await;
        assert_eq!(again.problem().code(), Some(ErrorCode::InvalidState));
    }

    async fn positions_are_refused_outside_the_subtree_and_for_members_elsewhere(app) {
        let t = app.tree().await;
        let m: MemberView = app.post("/api/v1/members", Some(&t.cadre.token), record(t.branch, "056206012345", None)).await.json();
        let body = |unit| json!({"member_id": m.id, "unit_id": unit, "title": "committee", "started_on": "2025-10-01"});
        let outsider = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, outsider.user_id, t.school, "cadre").await;
        assert_eq!(app.post("/api/v1/positions", Some(&outsider.token), body(t.branch)).await.status, 403);
        assert_eq!(app.post("/api/v1/positions", Some(&t.member.token), body(t.branch)).await.status, 403);
        let res = app.post("/api/v1/positions", Some(&t.admin.token), body(t.school_branch)).await;
        assert_eq!(res.error_fields(), ["member_id"], "the holder must belong to the unit's subtree");
        let res = app.post("/api/v1/positions", Some(&t.cadre.token), json!({"member_id": m.id, "unit_id": t.branch, "title": "committee", "started_on": "2025-10-01", "grant_role": true})).await;
        assert_eq!(res.error_fields(), ["grant_role"], "no account to give the role to");
        assert_eq!(app.post("/api/v1/positions", Some(&t.cadre.token), body(t.commune)).await.status, 201, "a branch member on the ward's committee");
    }
}
