//! A branch's list at once: the members not registered yet, registering them all with the
//! required items, evaluating the list under one decision, the member × item grid, and a
//! registration that follows its member to another unit.

use crate::helpers::{member_record, TestApp};
use crate::programmes::{
    act, cast, optional_ids, programme_body, progress, publish, register, registration, stats, today, Cast,
};
use serde_json::json;
use shared::api::batch::BatchOutcome;
use shared::api::programme_batches::{BulkRegistrationOutcome, UnregisteredMember};
use shared::api::programmes::{
    MemberProgrammeYear, ProgrammeResult, RegistrationState, RegistrationSummary, RegistrationView,
};
use shared::api::Page;
use shared::ErrorCode;

async fn unregistered(app: &TestApp, token: &str, programme: i64, query: &str) -> Page<UnregisteredMember> {
    let res = app.get(&format!("/api/v1/programmes/{programme}/unregistered?{query}"), Some(token)).await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    res.json()
}

async fn listed(app: &TestApp, token: &str, programme: i64, query: &str) -> Page<RegistrationSummary> {
    let res = app.get(&format!("/api/v1/programmes/{programme}/registrations?{query}"), Some(token)).await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    res.json()
}

api_tests! {
    async fn a_cadres_phone_registers_a_member_with_a_minimal_answer(app) {
        let Cast { t, record, programme: p } = cast(&app).await;
        let mut body = registration(&p, &optional_ids(&p)[..2]);
        body["member_id"] = json!(record.id);
        let path = format!("/api/v1/programmes/{}/registrations", p.id);
        let res = app.send(actix_web::http::Method::POST, &path, Some(&t.cadre.token), &[("Prefer", "return=minimal")], Some(body)).await;
        assert_eq!((res.status, res.body.is_null()), (201, true), "no body: {:#}", res.body);
        let header = |name: &str| res.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert_eq!(header("etag"), "\"1\"");
        let made: RegistrationView = app.get(&header("location"), Some(&t.member.token)).await.json();
        assert_eq!((made.member_id, made.version, made.items.len()), (record.id, 1, 3), "the member reads it at its address");

        // The member book's programme years.
        let book = format!("/api/v1/members/{}/programme-registrations", record.id);
        let years: Page<MemberProgrammeYear> = app.get(&book, Some(&t.member.token)).await.json();
        let lines: Vec<(i64, i32, RegistrationState)> = years.items.iter().map(|y| (y.registration_id, y.year, y.state)).collect();
        assert_eq!((years.total, lines), (1, vec![(made.id, p.year, RegistrationState::Registered)]));
        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        assert_eq!(app.get(&book, Some(&school_cadre.token)).await.status, 404, "another subtree's member book");
        assert_eq!(app.get(&format!("{book}?page=0"), Some(&t.cadre.token)).await.error_fields(), ["page"]);
    }

    async fn a_branch_cadre_sees_who_is_missing_and_registers_them_all_at_once(app) {
        let Cast { t, programme: p, .. } = cast(&app).await;
        app.add_member(&t.cadre, member_record(t.branch, "Trần Văn Bình", "056206012347")).await;
        app.add_member(&t.cadre, member_record(t.branch, "Đặng Thị Ánh", "056206012348")).await;
        let r: RegistrationView = register(&app, &t.member, &p, registration(&p, &optional_ids(&p)[..2])).await.json();

        let missing = unregistered(&app, &t.cadre.token, p.id, "").await;
        let names: Vec<&str> = missing.items.iter().map(|m| m.full_name.as_str()).collect();
        assert_eq!((missing.total, names), (2, vec!["Đặng Thị Ánh", "Trần Văn Bình"]), "by name, the registered one left out");
        assert_eq!(stats(&app, &t.cadre, t.commune).await.registered, 1);

        let bulk = format!("/api/v1/programmes/{}/registrations/bulk", p.id);
        assert_eq!(app.post(&bulk, Some(&t.member.token), json!({})).await.status, 403, "a member does not register others");
        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        assert_eq!(app.post(&bulk, Some(&school_cadre.token), json!({})).await.status, 404, "another unit's programme");
        assert_eq!(app.get(&format!("/api/v1/programmes/{}/unregistered", p.id), Some(&school_cadre.token)).await.status, 404);
        let res = app.post(&bulk, Some(&t.admin.token), json!({"unit_id": t.school})).await;
        assert_eq!(res.error_fields(), ["unit_id"], "a unit outside the programme's");
        assert_eq!(app.get(&format!("/api/v1/programmes/{}/unregistered?per_page=0", p.id), Some(&t.cadre.token)).await.error_fields(), ["per_page"]);

        let res = app.post(&bulk, Some(&t.cadre.token), json!({"unit_id": t.branch})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        assert_eq!(res.json::<BulkRegistrationOutcome>().registered, 2);
        let again: BulkRegistrationOutcome = app.post(&bulk, Some(&t.cadre.token), json!({})).await.json();
        assert_eq!(again.registered, 0, "nobody twice");
        assert_eq!(unregistered(&app, &t.cadre.token, p.id, "").await.total, 0);
        let s = stats(&app, &t.leader, t.province).await;
        assert_eq!((s.registered, s.live_members, s.percent_registered), (3, 3, Some(100)), "the counters agree with the rows");

        // The grid: each line holds its items with done against the target.
        progress(&app, &t.member, &r, json!({"item_id": r.items[0].item_id, "count": 3, "done_on": today().to_string()})).await;
        let grid = listed(&app, &t.cadre.token, p.id, &format!("unit_id={}", t.branch)).await;
        assert_eq!(grid.total, 3);
        let lines: Vec<(&str, usize)> = grid.items.iter().map(|l| (l.member_name.as_str(), l.items.len())).collect();
        assert_eq!(lines, [("Đặng Thị Ánh", 1), ("Trần Văn Bình", 1), ("Lê Thị Hồng Nhung", 3)], "bulk: the required item only; by given name");
        let own = &grid.items[2];
        let first = own.items.iter().find(|i| i.item_id == r.items[0].item_id).unwrap();
        assert_eq!((first.done, first.target), (3, r.items[0].target));
        assert_eq!(own.percent, (3 * 100 / i64::from(r.items[0].target)) / 3);
    }

    async fn the_branch_list_is_evaluated_under_one_decision_each_case_checked(app) {
        let Cast { t, programme: p, .. } = cast(&app).await;
        app.add_linked_member(&t.admin, member_record(t.branch, "Nguyễn Văn Đức", "056206012346"), &t.cadre).await;
        app.add_member(&t.cadre, member_record(t.branch, "Trần Văn Bình", "056206012347")).await;
        register(&app, &t.member, &p, registration(&p, &optional_ids(&p)[..2])).await;
        app.post(&format!("/api/v1/programmes/{}/registrations/bulk", p.id), Some(&t.cadre.token), json!({})).await;
        let school = publish(&app, &t.admin, programme_body(t.school)).await;
        let pupil = app.add_member(&t.admin, member_record(t.school_branch, "Phạm Minh Khôi", "056206012349")).await;
        let mut body = registration(&school, &optional_ids(&school)[..2]);
        body["member_id"] = json!(pupil.id);
        let foreign: RegistrationView = register(&app, &t.admin, &school, body).await.json();

        let lines = listed(&app, &t.cadre.token, p.id, "").await.items;
        let by_name = |n: &str| lines.iter().find(|l| l.member_name == n).unwrap().clone();
        let (hong, binh, own) = (by_name("Lê Thị Hồng Nhung"), by_name("Trần Văn Bình"), by_name("Nguyễn Văn Đức"));
        let path = format!("/api/v1/programmes/{}/evaluations", p.id);
        let item = |id: i64, version: i64, result: &str| json!({"id": id, "version": version, "result": result, "comment": "Theo biên bản họp chi đoàn"});

        let res = app.post(&path, Some(&t.cadre.token), json!({"items": []})).await;
        assert_eq!(res.error_fields(), ["items"]);
        let res = app.post(&path, Some(&t.cadre.token), json!({"items": [item(hong.id, hong.version, "best")]})).await;
        assert_eq!(res.error_fields(), ["items[0].result"]);

        let decision = json!({"items": [
            item(hong.id, hong.version, "good"), item(binh.id, binh.version, "excellent"),
            item(own.id, own.version, "excellent"), item(foreign.id, foreign.version, "good"),
        ]});
        let res = app.post(&path, Some(&t.member.token), decision.clone()).await;
        let refused: Vec<BatchOutcome> = res.json();
        assert!(refused.iter().all(|o| o.version.is_none()), "a member evaluates nobody: {refused:?}");
        let res = app.post(&path, Some(&t.cadre.token), decision).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let outcomes: Vec<BatchOutcome> = res.json();
        let codes: Vec<Option<ErrorCode>> = outcomes.iter().map(|o| o.problem.as_ref().and_then(|p| p.code())).collect();
        assert_eq!(codes, [None, None, Some(ErrorCode::OwnCase), Some(ErrorCode::NotFound)], "{outcomes:?}");
        assert_eq!(outcomes[0].version, Some(hong.version + 1));

        let stale = app.post(&path, Some(&t.cadre.token), json!({"items": [item(hong.id, hong.version, "fulfilled")]})).await;
        let stale: Vec<BatchOutcome> = stale.json();
        assert_eq!(stale[0].problem.as_ref().and_then(|p| p.code()), Some(ErrorCode::PreconditionFailed));
        let after = listed(&app, &t.cadre.token, p.id, "").await.items;
        let states: Vec<(&str, RegistrationState, Option<ProgrammeResult>)> =
            after.iter().map(|l| (l.member_name.as_str(), l.state, l.result)).collect();
        assert_eq!(states, [
            ("Trần Văn Bình", RegistrationState::Evaluated, Some(ProgrammeResult::Excellent)),
            ("Nguyễn Văn Đức", RegistrationState::Registered, None),
            ("Lê Thị Hồng Nhung", RegistrationState::Evaluated, Some(ProgrammeResult::Good)),
        ]);
        let s = stats(&app, &t.leader, t.commune).await;
        let by = |r| s.by_result.iter().find(|c| c.result == r).map(|c| c.count);
        assert_eq!((s.evaluated, by(ProgrammeResult::Good), by(ProgrammeResult::Excellent)), (2, Some(1), Some(1)));
        let theirs: RegistrationView = app.get(&format!("/api/v1/programme-registrations/{}", foreign.id), Some(&t.admin.token)).await.json();
        assert_eq!(theirs.state, RegistrationState::Registered, "another programme's registration untouched");
    }

    async fn a_member_who_transfers_keeps_their_registration_and_the_figures_follow(app) {
        let Cast { t, programme: p, .. } = cast(&app).await;
        let school_cadre = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        let r: RegistrationView = register(&app, &t.member, &p, registration(&p, &optional_ids(&p)[..2])).await.json();
        let r: RegistrationView = act(&app, &t.member, &r, json!({"action": "self_assess", "result": "good"})).await.json();
        progress(&app, &t.member, &r, json!({"item_id": r.items[0].item_id, "count": 1, "done_on": today().to_string()})).await;

        let res = app.post("/api/v1/transfers", Some(&t.cadre.token), json!({"member_id": r.member_id, "to_unit_id": t.school})).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let tr: serde_json::Value = res.body;
        let path = format!("/api/v1/transfers/{}/transitions", tr["id"]);
        let release = json!({"action": "release", "comment": "Chuyển về học tại trường", "dues_paid_to": "2026-10"});
        let res = app.post_versioned(&path, &t.cadre.token, tr["version"].as_i64().unwrap(), release).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let accept = json!({"action": "accept", "branch_id": t.school_branch});
        let res = app.post_versioned(&path, &school_cadre.token, res.body["version"].as_i64().unwrap(), accept).await;
        assert_eq!(res.status, 200, "{:#}", res.body);

        let moved: RegistrationView = app.get(&format!("/api/v1/programme-registrations/{}", r.id), Some(&school_cadre.token)).await.json();
        assert_eq!((moved.unit_id, moved.state, moved.progress.len()), (t.school_branch, RegistrationState::SelfAssessed, 1), "kept whole, seen by the new unit");
        assert_eq!(app.get(&format!("/api/v1/programme-registrations/{}", r.id), Some(&t.cadre.token)).await.status, 404, "the old unit no longer reads it");
        let (commune, school, province) = (stats(&app, &t.leader, t.commune).await, stats(&app, &t.leader, t.school).await, stats(&app, &t.leader, t.province).await);
        assert_eq!((commune.registered, commune.self_assessed), (0, 0));
        assert_eq!((school.registered, school.self_assessed), (1, 1));
        assert_eq!((province.registered, province.self_assessed), (1, 1), "the province counts it once");
        assert_eq!(listed(&app, &t.leader.token, p.id, &format!("unit_id={}", t.school)).await.total, 1, "listed under the new unit");
    }
}
