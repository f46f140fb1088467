//! Transfers between units (chuyển sinh hoạt Đoàn).

use crate::helpers::{member_record, Session, TestApp};
use serde_json::{json, Value};
use shared::api::members::{MemberSummary, MemberView};
use shared::api::org_units::OrgUnitView;
use shared::api::transfers::{PlacementCause, PlacementView, TransferAction, TransferStatus, TransferView};
use shared::api::Page;
use shared::ids::OrgUnitId;
use shared::{ErrorCode, FieldErrorCode};

async fn request(app: &TestApp, by: &Session, body: Value) -> TransferView {
    let res = app.post("/api/v1/transfers", Some(&by.token), body).await;
    assert_eq!(res.status, 201, "{:#}", res.body);
    res.json()
}

async fn step(app: &TestApp, by: &Session, t: &TransferView, body: Value) -> crate::helpers::Resp {
    app.post_versioned(&format!("/api/v1/transfers/{}/transitions", t.id), &by.token, t.version, body).await
}

async fn list(app: &TestApp, by: &Session, query: &str) -> Vec<TransferView> {
    let res = app.get(&format!("/api/v1/transfers?{query}"), Some(&by.token)).await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    let page: shared::api::Page<TransferView> = res.json();
    assert_eq!(page.total, page.items.len() as i64, "one page holds them");
    page.items
}

async fn count(app: &TestApp, by: &Session, unit: OrgUnitId) -> i64 {
    app.get(&format!("/api/v1/org-units/{unit}"), Some(&by.token)).await.json::<OrgUnitView>().member_count
}

fn release() -> Value {
    json!({"action": "release", "comment": "Hoàn thành tốt nhiệm vụ", "dues_paid_to": "2026-10"})
}

api_tests! {
    async fn a_member_moves_between_grassroots_units_released_by_one_and_accepted_by_the_other(app) {
        let t = app.tree().await;
        let school_cadre = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        let m = app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let (commune_before, school_before) = (count(&app, &t.leader, t.commune).await, count(&app, &t.leader, t.school).await);

        let tr = request(&app, &t.cadre, json!({"member_id": m.id, "to_unit_id": t.school, "note": "Chuyển về học tại trường"})).await;
        assert_eq!((tr.status, tr.internal, tr.from_unit_id, tr.to_unit_id), (TransferStatus::Requested, false, t.branch, t.school));
        assert_eq!(tr.allowed_actions, [TransferAction::Release, TransferAction::Cancel]);

        let incoming = list(&app, &school_cadre, &format!("unit_id={}&direction=incoming", t.school)).await;
        assert_eq!(incoming.iter().map(|x| x.id).collect::<Vec<_>>(), [tr.id], "the receiving unit sees it coming");
        assert_eq!(incoming[0].allowed_actions, [] as [TransferAction; 0], "but cannot act before the release");
        let res = step(&app, &school_cadre, &tr, json!({"action": "accept", "branch_id": t.school_branch})).await;
        assert_eq!((res.status, res.problem().code()), (409, Some(ErrorCode::InvalidState)), "not before the release");
        let res = step(&app, &t.cadre, &tr, json!({"action": "accept", "branch_id": t.school_branch})).await;
        assert_eq!(res.status, 403, "the sending unit does not accept for the receiving one");

        let res = step(&app, &t.cadre, &tr, json!({"action": "release"})).await;
        assert_eq!(res.error_fields(), ["comment", "dues_paid_to"]);
        let res = step(&app, &t.cadre, &tr, release()).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let tr: TransferView = res.json();
        assert_eq!((tr.status, tr.dues_paid_to.map(|d| d.to_string())), (TransferStatus::Released, Some("2026-10-01".into())));
        let in_transit = list(&app, &t.leader, &format!("unit_id={}", t.province)).await;
        assert_eq!(in_transit.iter().map(|x| (x.id, x.status)).collect::<Vec<_>>(), [(tr.id, TransferStatus::Released)]);
        assert!(!in_transit[0].overdue);

        let res = step(&app, &school_cadre, &tr, json!({"action": "accept"})).await;
        assert_eq!(res.error_fields(), ["branch_id"], "a grassroots destination needs a branch");
        let res = step(&app, &school_cadre, &tr, json!({"action": "accept", "branch_id": t.branch})).await;
        assert_eq!(res.error_fields(), ["branch_id"], "the branch must belong to the receiving unit");
        let res = step(&app, &school_cadre, &tr, json!({"action": "accept", "branch_id": t.school_branch})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let tr: TransferView = res.json();
        assert_eq!((tr.status, tr.placed_unit_id, tr.placed_unit_name.as_deref()), (TransferStatus::Accepted, Some(t.school_branch), Some("Chi đoàn 12A3")));

        let moved: MemberView = app.get(&format!("/api/v1/members/{}", m.id), Some(&school_cadre.token)).await.json();
        assert_eq!((moved.unit_id, moved.version), (t.school_branch, m.version + 1));
        assert_eq!(app.get(&format!("/api/v1/members/{}", m.id), Some(&t.cadre.token)).await.status, 404, "the old unit no longer reads the record");
        assert_eq!(count(&app, &t.leader, t.commune).await, commune_before - 1);
        assert_eq!(count(&app, &t.leader, t.school).await, school_before + 1);
        let found: Page<MemberSummary> = app.get(&format!("/api/v1/members?unit_id={}&q=duc", t.school), Some(&school_cadre.token)).await.json();
        assert_eq!(found.items.iter().map(|x| x.id).collect::<Vec<_>>(), [m.id]);

        let history: Vec<PlacementView> = app.get(&format!("/api/v1/members/{}/placements", m.id), Some(&school_cadre.token)).await.json::<shared::api::Page<PlacementView>>().items;
        let h: Vec<_> = history.iter().map(|p| (p.unit_id, p.cause, p.ended_on.is_some())).collect();
        assert_eq!(h, [(t.branch, PlacementCause::Joined, true), (t.school_branch, PlacementCause::Transfer, false)]);
        assert_eq!(list(&app, &t.leader, &format!("unit_id={}", t.province)).await.len(), 0, "nothing left in transit");
        let all = list(&app, &school_cadre, &format!("member_id={}", m.id)).await;
        assert_eq!(all.len(), 1, "the member's transfers travel with them");

        let audit = app.get(&format!("/api/v1/audit?unit_id={}", t.province), Some(&t.leader.token)).await;
        let actions: Vec<&str> = audit.body["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
        for a in ["transfer.request", "transfer.release", "transfer.accept"] {
            assert!(actions.contains(&a), "{a} audited: {actions:?}");
        }
    }

    async fn within_one_grassroots_unit_its_cadre_moves_a_member_in_one_step(app) {
        let t = app.tree().await;
        let second = app.unit(&t.admin, t.commune, "branch", "Chi đoàn Tổ dân phố 2").await.id;
        let m = app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let before = count(&app, &t.cadre, t.commune).await;
        let tr = request(&app, &t.cadre, json!({"member_id": m.id, "to_unit_id": second})).await;
        assert_eq!((tr.status, tr.internal, tr.placed_unit_id), (TransferStatus::Accepted, true, Some(second)));
        let moved: MemberView = app.get(&format!("/api/v1/members/{}", m.id), Some(&t.cadre.token)).await.json();
        assert_eq!(moved.unit_id, second);
        assert_eq!(count(&app, &t.cadre, t.commune).await, before, "the grassroots unit keeps its count");
        assert_eq!(count(&app, &t.cadre, second).await, 1);
        assert_eq!(count(&app, &t.cadre, t.branch).await, 0);
    }

    async fn a_member_asks_to_move_and_can_withdraw_and_the_receiving_unit_can_refuse_with_a_reason(app) {
        let t = app.tree().await;
        let school_cadre = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        let youth = app.user("Phạm Minh Khôi").await;
        let m = app.add_linked_member(&t.cadre, member_record(t.branch, "Phạm Minh Khôi", "056206012345"), &youth).await;

        let tr = request(&app, &youth, json!({"member_id": m.id, "to_unit_id": t.school_branch})).await;
        assert_eq!(tr.allowed_actions, [TransferAction::Cancel], "the member may only withdraw");
        let res = app.post("/api/v1/transfers", Some(&youth.token), json!({"member_id": m.id, "to_unit_id": t.school})).await;
        assert_eq!(res.status, 409, "one transfer at a time: {:#}", res.body);
        let res = step(&app, &youth, &tr, json!({"action": "cancel", "reason": "Không chuyển nữa"})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        assert_eq!(res.json::<TransferView>().status, TransferStatus::Cancelled);

        let tr = request(&app, &youth, json!({"member_id": m.id, "to_unit_id": t.school_branch})).await;
        let tr: TransferView = step(&app, &t.cadre, &tr, release()).await.json();
        let res = step(&app, &school_cadre, &tr, json!({"action": "refuse", "reason": " "})).await;
        assert_eq!(res.error_fields(), ["reason"]);
        let res = step(&app, &school_cadre, &tr, json!({"action": "refuse", "reason": "Không học tại trường"})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let tr: TransferView = res.json();
        assert_eq!((tr.status, tr.decision_reason.as_deref()), (TransferStatus::Refused, Some("Không học tại trường")));
        let stays: MemberView = app.get(&format!("/api/v1/members/{}", m.id), Some(&youth.token)).await.json();
        assert_eq!(stays.unit_id, t.branch, "a refused member stays where they were");
        let res = step(&app, &school_cadre, &tr, json!({"action": "accept"})).await;
        assert_eq!(res.status, 409, "a refusal is final");
        assert_eq!(res.problem().code(), Some(ErrorCode::InvalidState));
    }

    async fn transfers_are_refused_to_outsiders_stale_versions_and_unsuitable_destinations(app) {
        let t = app.tree().await;
        let m = app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let outsider = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, outsider.user_id, t.school, "cadre").await;
        let body = json!({"member_id": m.id, "to_unit_id": t.school});
        assert_eq!(app.post("/api/v1/transfers", Some(&outsider.token), body.clone()).await.status, 404, "another subtree's member");
        assert_eq!(app.post("/api/v1/transfers", Some(&t.member.token), body.clone()).await.status, 404, "someone else's record");

        let res = app.post("/api/v1/transfers", Some(&t.cadre.token), json!({"member_id": m.id, "to_unit_id": t.province})).await;
        assert_eq!(res.error_fields(), ["to_unit_id"], "a province is not a place to meet");
        let res = app.post("/api/v1/transfers", Some(&t.cadre.token), json!({"member_id": m.id, "to_unit_id": t.branch})).await;
        assert_eq!(res.error_fields(), ["to_unit_id"], "already there");
        let res = app.post("/api/v1/transfers", Some(&t.cadre.token), json!({"member_id": m.id, "to_unit_id": 99999})).await;
        assert_eq!(res.problem().errors[0].code, FieldErrorCode::NotFound);
        let res = app.post("/api/v1/transfers", Some(&t.cadre.token), json!({})).await;
        assert_eq!(res.error_fields(), ["member_id", "to_unit_id"]);

        let tr = request(&app, &t.cadre, body).await;
        let res = app.get(&format!("/api/v1/transfers/{}", tr.id), Some(&outsider.token)).await;
        assert_eq!(res.status, 200, "the receiving side reads an incoming transfer");
        let stranger = app.user("Đỗ Văn Nam").await;
        assert_eq!(app.get(&format!("/api/v1/transfers/{}", tr.id), Some(&stranger.token)).await.status, 404);
        assert_eq!(step(&app, &stranger, &tr, release()).await.status, 404);
        assert_eq!(step(&app, &outsider, &tr, release()).await.status, 403, "the receiving unit does not release");

        let released: TransferView = step(&app, &t.cadre, &tr, release()).await.json();
        let res = step(&app, &t.cadre, &tr, json!({"action": "cancel"})).await;
        assert_eq!(res.status, 412, "a stale version");
        let res = step(&app, &t.cadre, &released, release()).await;
        assert_eq!((res.status, res.problem().code()), (409, Some(ErrorCode::InvalidState)));
        let res = app.send(actix_web::http::Method::POST, &format!("/api/v1/transfers/{}/transitions", tr.id), Some(&t.cadre.token), &[], Some(json!({"action": "cancel"}))).await;
        assert_eq!(res.status, 428, "If-Match is required");
        assert_eq!(app.get(&format!("/api/v1/transfers?unit_id={}&direction=sideways", t.commune), Some(&t.cadre.token)).await.error_fields(), ["direction"]);
        assert_eq!(app.get(&format!("/api/v1/transfers?unit_id={}", t.school), Some(&t.cadre.token)).await.status, 403);
    }

    async fn a_transfer_waiting_longer_than_the_alert_period_is_flagged_overdue(app) {
        let t = app.tree().await;
        let m = app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let tr = request(&app, &t.cadre, json!({"member_id": m.id, "to_unit_id": t.school})).await;
        let id = tr.id;
        app.db
            .run(move |conn| {
                use diesel::RunQueryDsl;
                let long_ago = sodoan::db::now() - chrono::Duration::days(91);
                diesel::update(sodoan::db::schema::member_transfers::table)
                    .filter(diesel::ExpressionMethods::eq(sodoan::db::schema::member_transfers::id, id))
                    .set(diesel::ExpressionMethods::eq(sodoan::db::schema::member_transfers::requested_at, long_ago))
                    .execute(conn)
                    .map_err(sodoan::error::ApiError::from)
            })
            .await
            .unwrap();
        let open = list(&app, &t.cadre, &format!("unit_id={}&direction=outgoing", t.commune)).await;
        assert!(open[0].overdue, "90 days is the default alert period");
    }

    async fn a_cadre_does_not_release_or_accept_their_own_transfer(app) {
        let t = app.tree().await;
        let own = app.user("Phạm Minh Khôi").await;
        app.grant(&t.admin, own.user_id, t.commune, "cadre").await;
        let school_cadre = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        let m = app.add_linked_member(&t.cadre, member_record(t.branch, "Phạm Minh Khôi", "056206012345"), &own).await;
        let second = app.unit(&t.admin, t.commune, "branch", "Chi đoàn Tổ dân phố 2").await.id;

        let tr = request(&app, &own, json!({"member_id": m.id, "to_unit_id": second})).await;
        assert_eq!((tr.status, tr.allowed_actions.as_slice()), (TransferStatus::Requested, [TransferAction::Cancel].as_slice()),
            "their own move within the unit waits for another cadre");
        let res = step(&app, &own, &tr, json!({"action": "accept", "branch_id": second})).await;
        assert_eq!((res.status, res.problem().code()), (403, Some(ErrorCode::OwnCase)));
        let res = step(&app, &t.cadre, &tr, json!({"action": "accept", "branch_id": second})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);

        let tr = request(&app, &own, json!({"member_id": m.id, "to_unit_id": t.school})).await;
        let res = step(&app, &own, &tr, release()).await;
        assert_eq!((res.status, res.problem().code()), (403, Some(ErrorCode::OwnCase)));
        let tr: TransferView = step(&app, &t.cadre, &tr, release()).await.json();
        let res = step(&app, &school_cadre, &tr, json!({"action": "accept", "branch_id": t.school_branch})).await;
        assert_eq!(res.status, 200, "the receiving side is someone else: {:#}", res.body);
    }
}
