//! Merging two records of the same person.

use crate::helpers::{member_record, TestApp};
use serde_json::json;
use shared::api::member_transitions::MemberTransitionView;
use shared::api::members::MemberView;
use shared::api::org_units::OrgUnitDetail;
use shared::api::transfers::PlacementView;
use shared::ids::OrgUnitId;
use shared::FieldErrorCode;

async fn count(app: &TestApp, token: &str, unit: OrgUnitId) -> i64 {
    app.get(&format!("/api/v1/org-units/{unit}"), Some(token)).await.json::<OrgUnitDetail>().unit.member_count
}

api_tests! {
    async fn a_leader_above_both_records_merges_them_and_keeps_the_history_of_both(app) {
        let t = app.tree().await;
        let school_cadre = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        let mut old = member_record(t.branch, "Nguyễn Văn Đức", "056206123");
        old["joined_on"] = json!("2021-06-01");
        old["religion"] = json!("Phật giáo");
        let dup = app.add_member(&t.cadre, old).await;
        let res = app.post_versioned(&format!("/api/v1/members/{}/transitions", dup.id), &t.cadre.token, dup.version,
            json!({"action": "remove", "on": "2024-01-10", "reason": "Không sinh hoạt"})).await;
        let dup: MemberView = res.json();
        let res = app.post_versioned(&format!("/api/v1/members/{}/transitions", dup.id), &t.cadre.token, dup.version,
            json!({"action": "restore", "on": "2024-02-10", "reason": "Xóa nhầm"})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let mut new = member_record(t.school_branch, "Nguyễn Văn Đức", "056206012345");
        new["phone"] = serde_json::Value::Null;
        let keep = app.add_member(&school_cadre, new).await;
        let before = count(&app, &t.leader.token, t.province).await;

        let path = format!("/api/v1/members/{}/merge", keep.id);
        let res = app.post_versioned(&path, &t.cadre.token, keep.version, json!({"duplicate_id": dup.id})).await;
        assert_eq!(res.status, 404, "the ward's cadre cannot see the school's record");
        let res = app.post_versioned(&path, &school_cadre.token, keep.version, json!({"duplicate_id": dup.id})).await;
        assert_eq!(res.status, 404, "nor the school's the ward's");

        let res = app.post_versioned(&path, &t.leader.token, keep.version, json!({"duplicate_id": dup.id})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let merged: MemberView = res.json();
        assert_eq!(merged.id, keep.id);
        assert_eq!(merged.national_id.as_deref(), Some("056206012345"), "the full CCCD wins over the old CMND");
        assert_eq!(merged.phone.as_deref(), Some("0912345678"), "an empty field is filled from the duplicate");
        assert_eq!(merged.profile.religion.as_deref(), Some("Phật giáo"));
        assert_eq!(merged.joined_on.to_string(), "2021-06-01", "the earliest joining date");
        assert!(!merged.incomplete);

        assert_eq!(app.get(&format!("/api/v1/members/{}", dup.id), Some(&t.leader.token)).await.status, 404);
        let history: Vec<MemberTransitionView> = app.get(&format!("/api/v1/members/{}/transitions", keep.id), Some(&t.leader.token)).await.json::<shared::api::Page<MemberTransitionView>>().items;
        assert_eq!(history.len(), 2, "the duplicate's history moved over");
        let placements: Vec<PlacementView> = app.get(&format!("/api/v1/members/{}/placements", keep.id), Some(&t.leader.token)).await.json::<shared::api::Page<PlacementView>>().items;
        assert_eq!(placements.len(), 2);
        assert_eq!(count(&app, &t.leader.token, t.province).await, before - 1, "one person, counted once");
        assert_eq!(count(&app, &t.leader.token, t.commune).await, 0);
        let audit = app.get(&format!("/api/v1/audit?unit_id={}", t.province), Some(&t.leader.token)).await;
        let entry = audit.body["items"].as_array().unwrap().iter().find(|e| e["action"] == "member.merge").cloned().expect("audited");
        assert_eq!(entry["before"]["merged"]["national_id"], "056206123", "the merged record is kept in the trail");
    }

    async fn merging_is_refused_for_different_people_stale_versions_and_two_accounts(app) {
        let t = app.tree().await;
        let second = app.unit(&t.admin, t.commune, "branch", "Chi đoàn Tổ dân phố 2").await.id;
        let a = app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let mut other = member_record(second, "Nguyễn Văn Đức", "");
        other["date_of_birth"] = json!("2006-05-20");
        let b = app.add_member(&t.cadre, other).await;
        let path = format!("/api/v1/members/{}/merge", a.id);
        let res = app.post_versioned(&path, &t.cadre.token, a.version, json!({"duplicate_id": b.id})).await;
        assert_eq!(res.error_fields(), ["duplicate_id"]);
        assert_eq!(res.problem().errors[0].code, FieldErrorCode::Mismatch, "another birth date is another person");
        let res = app.post_versioned(&path, &t.cadre.token, a.version, json!({"duplicate_id": a.id})).await;
        assert_eq!(res.error_fields(), ["duplicate_id"]);
        let res = app.post_versioned(&path, &t.cadre.token, a.version, json!({})).await;
        assert_eq!(res.error_fields(), ["duplicate_id"]);

        let (u1, u2) = (app.user("Nguyễn Văn Đức").await, app.user("Nguyễn Văn Đức").await);
        let c = app.add_linked_member(&t.cadre, member_record(second, "Nguyễn Văn Đức", ""), &u1).await;
        let mut two = member_record(t.branch, "Nguyễn Văn Đức", "");
        two["card_number"] = json!("KH-2");
        let d = app.add_linked_member(&t.cadre, two, &u2).await;
        let res = app.post_versioned(&format!("/api/v1/members/{}/merge", c.id), &t.cadre.token, c.version, json!({"duplicate_id": d.id})).await;
        assert_eq!(res.status, 409, "two accounts: {:#}", res.body);
        let res = app.post_versioned(&format!("/api/v1/members/{}/merge", c.id), &t.cadre.token, c.version + 5, json!({"duplicate_id": a.id})).await;
        assert_eq!(res.status, 412);
        let res = app.post_versioned(&format!("/api/v1/members/{}/merge", c.id), &t.member.token, c.version, json!({"duplicate_id": a.id})).await;
        assert_eq!(res.status, 404, "members do not merge records");
        let res = app.post_versioned(&format!("/api/v1/members/{}/merge", c.id), &t.cadre.token, c.version, json!({"duplicate_id": a.id})).await;
        assert_eq!(res.status, 200, "within one grassroots unit its cadre merges: {:#}", res.body);
        let me: shared::api::auth::MeResponse = app.get("/api/v1/me", Some(&u1.token)).await.json();
        assert_eq!(me.member_id, Some(c.id), "the account stays linked to the kept record");
    }
}
