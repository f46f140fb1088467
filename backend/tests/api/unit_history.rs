//! Units merged into others or dissolved (the 2025 restructuring): members and child units move,
//! the old unit stays readable with its dates, records keep the unit they belonged to.

use crate::helpers::{member_record, Session, TestApp};
use serde_json::{json, Value};
use shared::api::members::{MemberSummary, MemberView};
use shared::api::org_units::{OrgUnitDetail, OrgUnitView};
use shared::api::transfers::{PlacementCause, PlacementView};
use shared::api::Page;
use shared::ids::OrgUnitId;
use shared::{ErrorCode, FieldErrorCode};

async fn unit(app: &TestApp, by: &Session, id: OrgUnitId) -> OrgUnitView {
    let res = app.get(&format!("/api/v1/org-units/{id}"), Some(&by.token)).await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    res.json::<OrgUnitDetail>().unit
}

async fn dissolve(app: &TestApp, by: &Session, id: OrgUnitId, body: Value) -> crate::helpers::Resp {
    let version = unit(app, by, id).await.version;
    app.post_versioned(&format!("/api/v1/org-units/{id}/dissolve"), &by.token, version, body).await
}

api_tests! {
    async fn a_grassroots_unit_merged_into_another_brings_its_branches_and_members_along(app) {
        let t = app.tree().await;
        let m = app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let new_ward = app.unit(&t.admin, t.province, "grassroots", "Đoàn phường Nha Trang (mới)").await.id;
        let province_before = unit(&app, &t.leader, t.province).await.member_count;

        let res = dissolve(&app, &t.leader, t.commune, json!({"on": "2025-07-01", "merged_into_id": new_ward, "reason": "Nghị quyết sắp xếp đơn vị hành chính"})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let old: OrgUnitView = res.json();
        assert_eq!((old.dissolved_on.map(|d| d.to_string()), old.merged_into_id, old.member_count), (Some("2025-07-01".into()), Some(new_ward), 0));

        let branch: OrgUnitDetail = app.get(&format!("/api/v1/org-units/{}", t.branch), Some(&t.leader.token)).await.json();
        assert_eq!(branch.unit.parent_id, Some(new_ward), "the branch now sits under the new ward");
        assert_eq!(branch.ancestors.iter().map(|a| a.id).collect::<Vec<_>>(), [t.root, t.province, new_ward]);
        assert_eq!(unit(&app, &t.leader, new_ward).await.member_count, 1);
        assert_eq!(unit(&app, &t.leader, t.province).await.member_count, province_before, "the province keeps its members");
        let found: Page<MemberSummary> = app.get(&format!("/api/v1/members?unit_id={new_ward}&q=nguyen+van+duc"), Some(&t.leader.token)).await.json();
        assert_eq!(found.items.iter().map(|x| x.id).collect::<Vec<_>>(), [m.id], "the subtree range follows the move");

        let kids: Page<OrgUnitView> = app.get(&format!("/api/v1/org-units?parent_id={}", t.province), Some(&t.leader.token)).await.json();
        assert_eq!(kids.items.last().map(|u| u.id), Some(t.commune), "the dissolved unit is listed last, still readable");

        let audit = app.get(&format!("/api/v1/audit?unit_id={}", t.province), Some(&t.leader.token)).await;
        assert!(audit.body["items"].as_array().unwrap().iter().any(|e| e["action"] == "org_unit.merge"), "{:#}", audit.body);
    }

    async fn an_application_under_way_follows_its_branch_into_the_new_unit(app) {
        let t = app.tree().await;
        let introducer = app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let youth = app.user("Phạm Minh Khôi").await;
        let form = json!({
            "full_name": "Phạm Minh Khôi", "date_of_birth": "2008-05-19", "gender": "male", "phone": "0912345678",
            "unit_id": t.branch, "introducer_member_id": introducer.id, "application_text": "Em tự nguyện xin vào Đoàn…",
            "guardian_name": "Phạm Văn Long", "guardian_phone": "0987654321", "guardian_consent": true
        });
        let res = app.post("/api/v1/admissions", Some(&youth.token), form).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let id = res.body["id"].as_i64().unwrap();
        let version = res.body["version"].as_i64().unwrap();
        let res = app.post_versioned(&format!("/api/v1/admissions/{id}/transitions"), &youth.token, version, json!({"action": "submit"})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);

        let new_ward = app.unit(&t.admin, t.province, "grassroots", "Đoàn phường Nha Trang (mới)").await.id;
        let new_cadre = app.user("Hồ Thị Lan").await;
        app.grant(&t.admin, new_cadre.user_id, new_ward, "cadre").await;
        let res = dissolve(&app, &t.leader, t.commune, json!({"on": "2025-07-01", "merged_into_id": new_ward})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);

        let waiting = |who: &Session| {
            let (app, token) = (&app, who.token.clone());
            async move { app.get("/api/v1/admissions/inbox/count", Some(&token)).await.body["count"].as_i64() }
        };
        assert_eq!(waiting(&new_cadre).await, Some(1), "the new ward's cadres take the case over");
        assert_eq!(waiting(&t.cadre).await, Some(0), "the dissolved ward's cadres no longer hold it");
        let seen = app.get(&format!("/api/v1/admissions/{id}"), Some(&new_cadre.token)).await;
        assert_eq!(seen.status, 200, "{:#}", seen.body);
    }

    async fn members_of_a_merged_branch_move_and_their_book_keeps_the_old_branch(app) {
        let t = app.tree().await;
        let m = app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let other = app.unit(&t.cadre, t.commune, "branch", "Chi đoàn Tổ dân phố 2").await.id;
        let res = dissolve(&app, &t.cadre, t.branch, json!({"on": "2025-07-01", "merged_into_id": other})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let moved: MemberView = app.get(&format!("/api/v1/members/{}", m.id), Some(&t.cadre.token)).await.json();
        assert_eq!((moved.unit_id, moved.version), (other, m.version + 1));
        let history: Vec<PlacementView> = app.get(&format!("/api/v1/members/{}/placements", m.id), Some(&t.cadre.token)).await.json::<shared::api::Page<PlacementView>>().items;
        let h: Vec<_> = history.iter().map(|p| (p.unit_name.as_str(), p.unit_dissolved_on.is_some(), p.cause)).collect();
        assert_eq!(h, [("Chi đoàn Tổ dân phố 1", true, PlacementCause::Joined), ("Chi đoàn Tổ dân phố 2", false, PlacementCause::UnitMerged)]);
        assert_eq!(unit(&app, &t.cadre, other).await.member_count, 1);
        assert_eq!(unit(&app, &t.cadre, t.commune).await.member_count, 1);
    }

    async fn a_dissolved_unit_takes_no_members_units_or_transfers(app) {
        let t = app.tree().await;
        let m = app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let empty = app.unit(&t.admin, t.school, "branch", "Chi đoàn 12A4").await.id;
        let res = dissolve(&app, &t.leader, t.commune, json!({"on": "2025-07-01"})).await;
        assert_eq!(res.status, 409, "not empty and no target: {:#}", res.body);
        let res = dissolve(&app, &t.leader, empty, json!({"on": "2025-07-01"})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let res = dissolve(&app, &t.leader, empty, json!({"on": "2025-07-02"})).await;
        assert_eq!((res.status, res.problem().code()), (409, Some(ErrorCode::InvalidState)));

        let res = app.post("/api/v1/transfers", Some(&t.cadre.token), json!({"member_id": m.id, "to_unit_id": empty})).await;
        assert_eq!(res.error_fields(), ["to_unit_id"]);
        assert_eq!(res.problem().errors[0].code, FieldErrorCode::Dissolved);
        let res = app.post("/api/v1/members", Some(&t.admin.token), member_record(empty, "Lê Văn Tám", "056206000001")).await;
        assert_eq!(res.problem().errors[0].code, FieldErrorCode::Dissolved);
        let res = app.post("/api/v1/org-units", Some(&t.admin.token), json!({"parent_id": empty, "name": "Tổ 1", "kind": "branch"})).await;
        assert_eq!(res.status, 422);
        let res = dissolve(&app, &t.leader, t.branch, json!({"on": "2025-07-01", "merged_into_id": empty})).await;
        assert_eq!(res.problem().errors[0].code, FieldErrorCode::Dissolved, "nothing merges into a dissolved unit");
    }

    async fn merging_is_refused_outside_the_scope_into_itself_or_into_the_wrong_kind(app) {
        let t = app.tree().await;
        app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let res = dissolve(&app, &t.cadre, t.commune, json!({"on": "2025-07-01", "merged_into_id": t.school})).await;
        assert_eq!(res.status, 403, "a cadre of the unit does not dissolve it; its parent's cadres do");
        let res = dissolve(&app, &t.cadre, t.branch, json!({"on": "2025-07-01", "merged_into_id": t.school_branch})).await;
        assert_eq!(res.status, 403, "the target is outside the caller's subtree");
        let res = dissolve(&app, &t.leader, t.commune, json!({"on": "2025-07-01", "merged_into_id": t.branch})).await;
        assert_eq!(res.error_fields(), ["merged_into_id"], "not into its own subtree");
        let res = dissolve(&app, &t.leader, t.branch, json!({"on": "2025-07-01", "merged_into_id": t.school})).await;
        assert_eq!(res.error_fields(), ["merged_into_id"], "members need a branch");
        let res = dissolve(&app, &t.leader, t.branch, json!({"on": "2099-01-01", "merged_into_id": t.school_branch})).await;
        assert_eq!(res.error_fields(), ["on"]);
        let res = app.post_versioned(&format!("/api/v1/org-units/{}/dissolve", t.branch), &t.leader.token, 99, json!({"on": "2025-07-01", "merged_into_id": t.school_branch})).await;
        assert_eq!(res.status, 412);
        let res = dissolve(&app, &t.admin, t.root, json!({"on": "2025-07-01"})).await;
        assert_eq!(res.status, 403, "the root stays");
    }
}
