//! The annual rating (đánh giá, xếp loại): a grassroots unit opens its period, members assess
//! themselves, the branch proposes, the grassroots unit confirms (the quota checked), a new
//! decision revises — units rated by the level above, leaders' figures — and the refusals.

use crate::helpers::{member_record, Session, TestApp};
use chrono::{Datelike, Duration, Local, NaiveDate};
use serde_json::{json, Value};
use shared::api::batch::BatchOutcome;
use shared::api::members::MemberView;
use shared::api::ratings::{
    ConfirmationOutcome, ExclusionReason, MemberRatingYear, RatingAction, RatingLevel, RatingPeriodView, RatingState,
    RatingStats, RatingView, UnitRatingView,
};
use shared::api::Page;
use shared::ids::OrgUnitId;
use shared::{ConflictCode, ErrorCode, FieldErrorCode};

fn today() -> NaiveDate {
    Local::now().date_naive()
}

fn day(offset: i64) -> String {
    (today() + Duration::days(offset)).to_string()
}

fn period_body(unit: OrgUnitId, self_offset: i64) -> Value {
    json!({
        "unit_id": unit, "year": today().year(),
        "self_until": day(self_offset), "branch_until": day(self_offset + 7), "confirm_until": day(self_offset + 14)
    })
}

async fn open(app: &TestApp, by: &Session, body: Value) -> RatingPeriodView {
    let res = app.post("/api/v1/rating-periods", Some(&by.token), body).await;
    assert_eq!(res.status, 201, "{:#}", res.body);
    res.json()
}

async fn list(app: &TestApp, by: &Session, query: &str) -> Page<RatingView> {
    let res = app.get(&format!("/api/v1/ratings?{query}"), Some(&by.token)).await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    res.json()
}

async fn step(app: &TestApp, by: &Session, r: &RatingView, body: Value) -> crate::helpers::Resp {
    app.post_versioned(&format!("/api/v1/ratings/{}/transitions", r.id), &by.token, r.version, body).await
}

async fn reread(app: &TestApp, by: &Session, r: &RatingView) -> RatingView {
    app.get(&format!("/api/v1/ratings/{}", r.id), Some(&by.token)).await.json()
}

fn named<'a>(page: &'a Page<RatingView>, name: &str) -> &'a RatingView {
    page.items.iter().find(|r| r.full_name == name).unwrap_or_else(|| panic!("{name} is on the list"))
}

async fn rate_unit(app: &TestApp, by: &Session, unit: OrgUnitId, year: i32, level: &str) -> crate::helpers::Resp {
    let body = json!({"unit_id": unit, "year": year, "level": level, "assessment": "Hoạt động đều"});
    app.post("/api/v1/unit-ratings", Some(&by.token), body).await
}

fn joined_recently(unit: OrgUnitId, name: &str, id: &str) -> Value {
    let mut body = member_record(unit, name, id);
    body["joined_on"] = json!(day(-60));
    body
}

fn full_party_member(unit: OrgUnitId, name: &str, id: &str) -> Value {
    let mut body = member_record(unit, name, id);
    body["party_status"] = json!("full");
    body["party_joined_on"] = json!("2025-01-10");
    body
}

/// The commune's period, self-assessment over yesterday: a linked member (the tree's `member`),
/// two members without accounts, one who joined two months ago, one full Party member.
struct Year {
    period: RatingPeriodView,
    secretary: Session,
    nhung: MemberView,
}

async fn a_year(app: &TestApp, t: &crate::helpers::Tree) -> Year {
    let secretary = app.user("Phan Thị Thu").await;
    app.grant(&t.admin, secretary.user_id, t.branch, "cadre").await;
    let nhung =
        app.add_linked_member(&t.cadre, member_record(t.branch, "Lê Thị Hồng Nhung", "056206012360"), &t.member).await;
    app.add_member(&t.cadre, member_record(t.branch, "Trần Văn Bình", "056206012361")).await;
    app.add_member(&t.cadre, member_record(t.branch, "Đặng Văn Ánh", "056206012362")).await;
    app.add_member(&t.cadre, joined_recently(t.branch, "Võ Văn Mới", "056206012363")).await;
    app.add_member(&t.cadre, full_party_member(t.branch, "Hồ Văn Đảng", "056206012364")).await;
    let period = open(app, &t.cadre, period_body(t.commune, -1)).await;
    Year { period, secretary, nhung }
}

api_tests! {
    async fn a_year_runs_from_self_assessment_to_confirmation(app) {
        let t = app.tree().await;
        let Year { period, secretary, nhung } = a_year(&app, &t).await;
        assert_eq!((period.ratings, period.confirmed, period.rules.min_months), (3, 0, 6));
        let excluded: Vec<(&str, ExclusionReason)> =
            period.exclusions.iter().map(|e| (e.full_name.as_str(), e.reason)).collect();
        assert_eq!(excluded, [("Hồ Văn Đảng", ExclusionReason::FullPartyMember), ("Võ Văn Mới", ExclusionReason::TooFewMonths)]);
        assert_eq!(period.exclusions[1].months, 2, "two months ago to the period's end");

        // The member assesses themselves on their phone.
        let mine: Page<RatingView> = app.get("/api/v1/ratings/mine", Some(&t.member.token)).await.json();
        let own = mine.items.first().expect("the member's rating").clone();
        assert_eq!((own.member_id, own.state, own.allowed_actions.clone()), (nhung.id, RatingState::Open, vec![RatingAction::SelfAssess]));
        assert_eq!(step(&app, &t.member, &own, json!({"action": "self_assess", "level": "outstanding"})).await.error_fields(), ["level"]);
        assert_eq!(step(&app, &t.cadre, &own, json!({"action": "self_assess", "level": "good"})).await.status, 403, "only the member");
        let res = step(&app, &t.member, &own, json!({"action": "self_assess", "level": "excellent", "text": "Tham gia đầy đủ"})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let own: RatingView = res.json();
        assert_eq!((own.state, own.self_level), (RatingState::SelfAssessed, Some(RatingLevel::Excellent)));

        // The branch proposes its list after the meeting, one decision; its secretary finds the
        // period from the branch.
        let periods: Page<RatingPeriodView> = app.get(&format!("/api/v1/rating-periods?unit_id={}", t.branch), Some(&secretary.token)).await.json();
        assert_eq!(periods.items.iter().map(|p| p.id).collect::<Vec<_>>(), [period.id], "the grassroots unit's period covers its branches");
        let page = list(&app, &secretary, &format!("period_id={}", period.id)).await;
        assert_eq!(page.items.iter().map(|r| r.full_name.as_str()).collect::<Vec<_>>(), ["Đặng Văn Ánh", "Trần Văn Bình", "Lê Thị Hồng Nhung"]);
        let (anh, binh) = (named(&page, "Đặng Văn Ánh").clone(), named(&page, "Trần Văn Bình").clone());
        let items = json!([
            {"id": own.id, "version": own.version, "level": "excellent", "comment": "Gương mẫu"},
            {"id": binh.id, "version": binh.version, "level": "good"},
            {"id": anh.id, "version": anh.version + 7, "level": "fulfilled"},
        ]);
        let path = format!("/api/v1/rating-periods/{}/proposals", period.id);
        let res = app.post(&path, Some(&secretary.token), json!({"meeting_on": day(0), "items": items})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let out: Vec<BatchOutcome> = res.json();
        assert!(out[0].problem.is_none() && out[1].problem.is_none(), "{out:?}");
        assert_eq!(out[2].problem.as_ref().and_then(|p| p.code()), Some(ErrorCode::PreconditionFailed), "a stale case alone refused");
        let bad = app.post(&path, Some(&secretary.token), json!({"meeting_on": "", "items": [{"id": anh.id, "version": anh.version, "level": "x"}]})).await;
        assert_eq!(bad.error_fields(), ["meeting_on", "items[0].level"]);
        let future = step(&app, &secretary, &anh, json!({"action": "propose", "level": "good", "meeting_on": day(3)})).await;
        assert_eq!(future.error_fields(), ["meeting_on"]);
        let anh: RatingView = step(&app, &secretary, &anh, json!({"action": "propose", "level": "fulfilled", "meeting_on": day(0)})).await.json();

        // The evidence flags an HTXSNV without the participation or the programme behind it.
        let own = reread(&app, &t.cadre, &own).await;
        let evidence = own.evidence.clone().expect("evidence");
        assert!(evidence.excellent_unsupported && evidence.participation_rate.is_none(), "{evidence:?}");
        assert_eq!(own.allowed_actions, [RatingAction::Propose, RatingAction::Confirm], "the unit above may also propose");

        // Confirmation needs the level above the branch.
        let decision = json!({"action": "confirm", "decision_no": "15/QĐ-ĐTN", "decided_on": day(0)});
        let res = step(&app, &secretary, &own, decision.clone()).await;
        assert_eq!(res.status, 403, "the branch's own cadre does not confirm");
        let stale = RatingView { version: own.version - 1, ..own.clone() };
        assert_eq!(step(&app, &t.cadre, &stale, decision.clone()).await.status, 412);
        assert_eq!(app.post(&format!("/api/v1/ratings/{}/transitions", own.id), Some(&t.cadre.token), decision.clone()).await.status, 428);
        let res = step(&app, &t.cadre, &own, decision.clone()).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let own: RatingView = res.json();
        assert_eq!((own.state, own.level, own.decision_no.as_deref()), (RatingState::Confirmed, Some(RatingLevel::Excellent), Some("15/QĐ-ĐTN")));
        assert_eq!(own.label.as_deref(), Some("Hoàn thành xuất sắc nhiệm vụ"));
        let again = step(&app, &t.cadre, &own, decision.clone()).await;
        assert_eq!((again.status, again.problem().reason), (409, Some(ConflictCode::RatingConfirmed)));

        // The rest under one decision; two HTXSNV of two rated good or better warns.
        let binh = reread(&app, &t.cadre, &binh).await;
        let again = step(&app, &secretary, &binh, json!({"action": "propose", "level": "excellent", "meeting_on": day(0)})).await;
        let binh: RatingView = again.json();
        let path = format!("/api/v1/rating-periods/{}/confirmations", period.id);
        let body = json!({"decision_no": "16/QĐ-ĐTN", "decided_on": day(0), "items": [{"id": binh.id, "version": binh.version}, {"id": anh.id, "version": anh.version}]});
        assert_eq!(app.post(&path, Some(&secretary.token), body.clone()).await.status, 403);
        let res = app.post(&path, Some(&t.cadre.token), body).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let out: ConfirmationOutcome = res.json();
        assert!(out.outcomes.iter().all(|o| o.problem.is_none()), "{out:?}");
        assert!(out.quota_exceeded, "a warning: {:?}", out.quota);
        assert_eq!((out.quota.excellent, out.quota.good_or_better, out.quota.allowed), (2, 2, 1));

        // A new decision revises; the old one is kept.
        let revise = json!({"action": "revise", "level": "good", "reason": "Kiểm tra lại minh chứng", "decision_no": "20/QĐ-ĐTN", "decided_on": day(0)});
        assert_eq!(step(&app, &secretary, &binh, revise.clone()).await.status, 403);
        let binh = reread(&app, &t.cadre, &binh).await;
        let res = step(&app, &t.cadre, &binh, revise).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let binh: RatingView = res.json();
        assert_eq!((binh.level, binh.revisions.len()), (Some(RatingLevel::Good), 1));
        assert_eq!((binh.revisions[0].level_before, binh.revisions[0].decision_no_before.as_deref()), (RatingLevel::Excellent, Some("16/QĐ-ĐTN")));

        // The leader's figures, and the member book.
        let s: RatingStats = app.get(&format!("/api/v1/ratings/stats?unit_id={}&year={}", t.province, today().year()), Some(&t.leader.token)).await.json();
        assert_eq!((s.unit.ratings, s.unit.confirmed, s.unit.not_rated), (3, 3, 0));
        let count = |l: RatingLevel| s.levels.iter().find(|c| c.level == l).map(|c| c.count);
        assert_eq!((count(RatingLevel::Excellent), count(RatingLevel::Good), count(RatingLevel::Fulfilled)), (Some(1), Some(1), Some(1)));
        assert_eq!(s.below.iter().map(|u| (u.unit_id, u.confirmed)).collect::<Vec<_>>(), [(t.commune, 3), (t.school, 0)]);
        let book: Page<MemberRatingYear> = app.get(&format!("/api/v1/members/{}/ratings", nhung.id), Some(&t.member.token)).await.json();
        assert_eq!(book.items.iter().map(|y| (y.year, y.level)).collect::<Vec<_>>(), [(today().year(), Some(RatingLevel::Excellent))]);
    }

    async fn nobody_takes_a_step_on_their_own_rating_beyond_the_self_assessment(app) {
        let t = app.tree().await;
        let chief = app.user("Nguyễn Văn Chánh").await;
        app.grant(&t.admin, chief.user_id, t.commune, "cadre").await;
        let own = app.add_linked_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Chánh", "056206012370"), &chief).await;
        let period = open(&app, &t.cadre, period_body(t.commune, -1)).await;
        let page = list(&app, &chief, &format!("period_id={}", period.id)).await;
        let mine = page.items.iter().find(|r| r.member_id == own.id).expect("the cadre is rated as a member").clone();
        assert_eq!(mine.allowed_actions, [RatingAction::SelfAssess], "a cadre of the unit is the member here");
        let res = step(&app, &chief, &mine, json!({"action": "propose", "level": "excellent", "meeting_on": day(0)})).await;
        assert_eq!(res.problem().code(), Some(ErrorCode::OwnCase));
        let path = format!("/api/v1/rating-periods/{}/proposals", period.id);
        let out: Vec<BatchOutcome> = app.post(&path, Some(&chief.token), json!({"meeting_on": day(0), "items": [{"id": mine.id, "version": mine.version, "level": "excellent"}]})).await.json();
        assert_eq!(out[0].problem.as_ref().and_then(|p| p.code()), Some(ErrorCode::OwnCase));
        let mine: RatingView = step(&app, &t.cadre, &mine, json!({"action": "propose", "level": "excellent", "meeting_on": day(0)})).await.json();
        let res = step(&app, &chief, &mine, json!({"action": "confirm", "decision_no": "1/QĐ", "decided_on": day(0)})).await;
        assert_eq!(res.problem().code(), Some(ErrorCode::OwnCase));
        assert_eq!(step(&app, &t.cadre, &mine, json!({"action": "confirm", "decision_no": "1/QĐ", "decided_on": day(0)})).await.status, 200);
    }

    async fn the_flow_refuses_what_the_rules_do_not_allow(app) {
        let t = app.tree().await;
        let school = OrgUnitId(app.post("/api/v1/org-units", Some(&t.admin.token), json!({"parent_id": t.province, "name": "Đoàn trường THPT Nguyễn Trãi", "kind": "grassroots", "sector": "school"})).await.body["id"].as_i64().unwrap());
        let class = app.unit(&t.admin, school, "branch", "Chi đoàn 11A1").await.id;
        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&t.admin, school_cadre.user_id, school, "cadre").await;
        let a = app.add_member(&school_cadre, member_record(class, "Lý Văn An", "056206012380")).await;
        app.add_member(&school_cadre, member_record(class, "Mai Văn Bảo", "056206012381")).await;
        let late = app.add_member(&school_cadre, full_party_member(class, "Đỗ Văn Cảnh", "056206012382")).await;
        let mut body = period_body(school, 5);
        body["quota_enforced"] = json!(true);
        body["year"] = json!(today().year() - i32::from(today().month() < 9));
        let period = open(&app, &school_cadre, body.clone()).await;
        assert_eq!(period.period_kind, "school", "a school rates its school year");
        let again = app.post("/api/v1/rating-periods", Some(&school_cadre.token), body.clone()).await;
        assert_eq!((again.status, again.problem().reason), (409, Some(ConflictCode::RatingPeriodExists)));
        let mut branch = body.clone();
        branch["unit_id"] = json!(class);
        assert_eq!(app.post("/api/v1/rating-periods", Some(&school_cadre.token), branch).await.error_fields(), ["unit_id"]);
        let mut other = body.clone();
        other["unit_id"] = json!(t.commune);
        assert_eq!(app.post("/api/v1/rating-periods", Some(&school_cadre.token), other).await.status, 404, "another subtree");
        let mut bad = body.clone();
        bad["confirm_until"] = json!(day(-30));
        assert_eq!(app.post("/api/v1/rating-periods", Some(&school_cadre.token), bad).await.error_fields(), ["confirm_until"]);

        let page = list(&app, &school_cadre, &format!("period_id={}", period.id)).await;
        let an = page.items.iter().find(|r| r.member_id == a.id).unwrap().clone();
        let res = step(&app, &school_cadre, &an, json!({"action": "propose", "level": "good", "meeting_on": day(0)})).await;
        assert_eq!((res.status, res.problem().reason), (409, Some(ConflictCode::NotSelfAssessed)), "before the self-assessment deadline");
        assert_eq!(step(&app, &t.cadre, &an, json!({"action": "propose", "level": "good", "meeting_on": day(0)})).await.status, 404);
        assert_eq!(step(&app, &school_cadre, &an, json!({"action": "confirm", "decision_no": "1", "decided_on": day(0)})).await.problem().reason, Some(ConflictCode::RatingStepNotOpen));
        let add = app.post(&format!("/api/v1/rating-periods/{}/ratings", period.id), Some(&school_cadre.token), json!({"member_id": late.id})).await;
        assert_eq!((add.status, add.problem().reason), (409, Some(ConflictCode::MemberNotRated)), "{:#}", add.body);
        assert!(add.problem().detail.unwrap_or_default().contains("full_party_member"));

        // Over an enforced quota: the decision is refused whole, with the numbers.
        let third = app.unit(&t.admin, t.province, "grassroots", "Đoàn xã Cam Hải").await.id;
        let village = app.unit(&t.admin, third, "branch", "Chi đoàn thôn Bãi Giếng").await.id;
        for (name, id) in [("Lê Văn Hải", "056206012383"), ("Lê Văn Hà", "056206012384"), ("Lê Văn Hòa", "056206012385")] {
            app.add_member(&t.leader, member_record(village, name, id)).await;
        }
        let mut strict = period_body(third, -1);
        strict["quota_enforced"] = json!(true);
        let strict = open(&app, &t.leader, strict).await;
        let page = list(&app, &t.leader, &format!("period_id={}", strict.id)).await;
        let items: Vec<Value> = page.items.iter().map(|r| json!({"id": r.id, "version": r.version, "level": "excellent"})).collect();
        let path = format!("/api/v1/rating-periods/{}/proposals", strict.id);
        let out: Vec<BatchOutcome> = app.post(&path, Some(&t.leader.token), json!({"meeting_on": day(0), "items": items})).await.json();
        assert!(out.iter().all(|o| o.problem.is_none()), "{out:?}");
        let page = list(&app, &t.leader, &format!("period_id={}", strict.id)).await;
        let items: Vec<Value> = page.items.iter().map(|r| json!({"id": r.id, "version": r.version})).collect();
        let path = format!("/api/v1/rating-periods/{}/confirmations", strict.id);
        let res = app.post(&path, Some(&t.leader.token), json!({"decision_no": "3/QĐ", "decided_on": day(0), "items": items})).await;
        assert_eq!(res.status, 422, "{:#}", res.body);
        let field = res.problem().errors.into_iter().next().expect("a field error");
        assert_eq!((field.field.as_str(), field.code), ("level", FieldErrorCode::OverQuota));
        assert!(field.message.contains("3 HTXSNV / 3"), "{}", field.message);
        let after: RatingPeriodView = app.get(&format!("/api/v1/rating-periods/{}", strict.id), Some(&t.leader.token)).await.json();
        assert_eq!(after.confirmed, 0, "nothing of a refused decision is written");
        let one = &page.items[0];
        let res = step(&app, &t.leader, one, json!({"action": "confirm", "decision_no": "3/QĐ", "decided_on": day(0)})).await;
        assert_eq!(res.status, 200, "one HTXSNV of three is within the quota: {:#}", res.body);
    }

    async fn units_are_rated_by_the_level_above(app) {
        let t = app.tree().await;
        let year = today().year();
        let res = rate_unit(&app, &t.cadre, t.branch, year, "good").await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let again = rate_unit(&app, &t.cadre, t.branch, year, "good").await;
        assert_eq!((again.status, again.problem().reason), (409, Some(ConflictCode::UnitRated)));
        assert_eq!(rate_unit(&app, &t.cadre, t.commune, year, "good").await.status, 403, "a unit's own cadres do not rate it");
        assert_eq!(rate_unit(&app, &t.leader, t.province, year, "good").await.error_fields(), ["unit_id"]);
        assert_eq!(rate_unit(&app, &t.leader, t.commune, year, "best").await.error_fields(), ["level"]);
        assert_eq!(rate_unit(&app, &t.leader, t.commune, year - 1, "good").await.status, 201);
        let r: UnitRatingView = rate_unit(&app, &t.leader, t.commune, year, "fulfilled").await.json();
        assert_eq!((r.level, r.previous_level), (Some(RatingLevel::Fulfilled), Some(RatingLevel::Good)));
        let old: UnitRatingView = app.get(&format!("/api/v1/unit-ratings?unit_id={}&year={}", t.commune, year - 1), Some(&t.leader.token)).await.json::<Page<UnitRatingView>>().items.remove(0);
        assert_eq!(old.label.as_deref(), Some("Khá").filter(|_| year - 1 < 2023).or(Some("Hoàn thành tốt nhiệm vụ")));

        let inside = app.user("Trương Văn Nội").await;
        app.grant(&t.admin, inside.user_id, t.commune, "cadre").await;
        app.add_linked_member(&t.leader, member_record(t.school_branch, "Trương Văn Nội", "056206012390"), &inside).await;
        app.grant(&t.admin, inside.user_id, t.school, "cadre").await;
        let own = rate_unit(&app, &inside, t.school_branch, year, "good").await;
        assert_eq!(own.problem().code(), Some(ErrorCode::OwnCase), "{:#}", own.body);

        let s: RatingStats = app.get(&format!("/api/v1/ratings/stats?unit_id={}&year={year}", t.province), Some(&t.leader.token)).await.json();
        assert_eq!((s.unit.units_rated, s.unit.units_total, s.units_rated_percent), (2, 4, Some(50)));
        assert_eq!((s.units_up, s.units_dropped), (0, 1), "HTTNV last year, HTNV now");
        let listed: Page<UnitRatingView> = app.get(&format!("/api/v1/unit-ratings?unit_id={}&year={year}", t.commune), Some(&t.leader.token)).await.json();
        assert_eq!(listed.items.iter().map(|u| (u.unit_id, u.level)).collect::<Vec<_>>(), [(t.commune, Some(RatingLevel::Fulfilled)), (t.branch, Some(RatingLevel::Good))]);
        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        assert_eq!(app.get(&format!("/api/v1/ratings/stats?unit_id={}", t.commune), Some(&school_cadre.token)).await.status, 404);
    }

    async fn a_merge_of_two_records_rated_the_same_year_keeps_one_rating_and_counts_one_person(app) {
        let t = app.tree().await;
        let keep = app.add_member(&t.cadre, member_record(t.branch, "Trần Văn Bình", "056206012361")).await;
        let dup = app.add_member(&t.cadre, member_record(t.branch, "Trần Văn Bình", "056206361")).await;
        app.add_member(&t.cadre, member_record(t.branch, "Đặng Văn Ánh", "056206012362")).await;
        let period = open(&app, &t.cadre, period_body(t.commune, -1)).await;
        assert_eq!(period.ratings, 3, "the duplicate is rated too, until the records are merged");
        let page = list(&app, &t.cadre, &format!("period_id={}", period.id)).await;
        let of = |id| page.items.iter().find(|r| r.member_id == id).cloned().expect("rated");
        // The old record's rating is further along: the branch proposed it.
        let proposed = step(&app, &t.cadre, &of(dup.id), json!({"action": "propose", "level": "good", "meeting_on": day(0)})).await;
        assert_eq!(proposed.status, 200, "{:#}", proposed.body);

        let path = format!("/api/v1/members/{}/merge", keep.id);
        let res = app.post_versioned(&path, &t.cadre.token, keep.version, json!({"duplicate_id": dup.id})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);

        let page = list(&app, &t.cadre, &format!("period_id={}", period.id)).await;
        assert_eq!(page.total, 2, "one person, one rating");
        let kept = page.items.iter().find(|r| r.member_id == keep.id).expect("the kept record is rated");
        assert_eq!((kept.state, kept.proposed_level), (RatingState::Proposed, Some(RatingLevel::Good)), "the rating further along stays");
        let period: RatingPeriodView = app.get(&format!("/api/v1/rating-periods/{}", period.id), Some(&t.cadre.token)).await.json();
        assert_eq!(period.ratings, 2);
        let s: RatingStats = app.get(&format!("/api/v1/ratings/stats?unit_id={}", t.province), Some(&t.leader.token)).await.json();
        assert_eq!((s.unit.ratings, s.unit.not_rated), (2, 2), "the counters forget the merged-away rating");
        let book: Page<MemberRatingYear> = app.get(&format!("/api/v1/members/{}/ratings", keep.id), Some(&t.cadre.token)).await.json();
        assert_eq!(book.items.len(), 1);
    }

    async fn earlier_years_come_from_a_sheet_with_their_labels_as_written_and_each_bad_row_reported(app) {
        let t = app.tree().await;
        let nhung = app.add_linked_member(&t.cadre, member_record(t.branch, "Lê Thị Hồng Nhung", "056206012360"), &t.member).await;
        let headers = ["Họ và tên", "Số CCCD", "Năm", "Xếp loại", "Số quyết định", "Ngày quyết định"];
        let last = (today().year() - 1).to_string();
        let rows: Vec<Vec<String>> = [
            ["Lê Thị Hồng Nhung", "056206012360", "2022", "Xuất sắc", "12/QĐ-ĐTN", "20/12/2022"],
            ["Lê Thị Hồng Nhung", "056206012360", last.as_str(), "HTTNV", "", ""],
            ["Lê Thị Hồng Nhung", "056206012360", "2022", "Khá", "", ""],
            ["Lê Thị Hồng Nhung", "056206012360", &today().year().to_string(), "good", "", ""],
            ["Người lạ", "056206099999", "2023", "good", "", ""],
            ["Lê Thị Hồng Nhung", "056206012360", "2021", "Giỏi", "", "31/02/2021"],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        let file = sodoan::sheets::write_xlsx("Xếp loại", &headers, rows.clone()).unwrap();
        let path = format!("/api/v1/ratings/import?unit_id={}&mode=valid_only&file_name=xep-loai.xlsx", t.commune);
        let res = app.post_bytes(&path, &t.cadre.token, file.clone()).await;
        assert_eq!(res.status, 202, "{:#}", res.body);
        let job = crate::imports::finished(&app, &t.cadre, res.json::<shared::api::imports::ImportJobView>().id).await;
        assert_eq!((job.imported_rows, job.error_rows), (2, 4), "{job:?}");
        let report: Vec<(u32, &str, FieldErrorCode)> = job.errors.iter().map(|e| (e.row, e.column.as_str(), e.code)).collect();
        assert_eq!(report, [
            (4, "Năm", FieldErrorCode::Duplicate),
            (5, "Năm", FieldErrorCode::OutOfRange),
            (6, "Số CCCD", FieldErrorCode::NotFound),
            (7, "Xếp loại", FieldErrorCode::UnknownValue),
            (7, "Ngày quyết định", FieldErrorCode::InvalidFormat),
        ]);
        assert_eq!(job.errors[0].same_as_row, Some(2));

        // The member book reads the old label as written; the leaders' figures count the year.
        let book: Page<MemberRatingYear> = app.get(&format!("/api/v1/members/{}/ratings", nhung.id), Some(&t.member.token)).await.json();
        let years: Vec<(i32, Option<RatingLevel>, Option<&str>, RatingState)> =
            book.items.iter().map(|y| (y.year, y.level, y.label.as_deref(), y.state)).collect();
        assert_eq!(years, [
            (today().year() - 1, Some(RatingLevel::Good), Some("HTTNV"), RatingState::Confirmed),
            (2022, Some(RatingLevel::Excellent), Some("Xuất sắc"), RatingState::Confirmed),
        ]);
        let s: RatingStats = app.get(&format!("/api/v1/ratings/stats?unit_id={}&year=2022", t.province), Some(&t.leader.token)).await.json();
        let excellent = s.levels.iter().find(|l| l.level == RatingLevel::Excellent).map(|l| l.count);
        assert_eq!((s.unit.confirmed, excellent), (1, Some(1)));

        // Again: the years are rated already; all or nothing writes nothing.
        let again = app.post_bytes(&path.replace("valid_only", "all_or_nothing"), &t.cadre.token, file).await;
        let job = crate::imports::finished(&app, &t.cadre, again.json::<shared::api::imports::ImportJobView>().id).await;
        assert_eq!((job.status, job.imported_rows), (shared::api::imports::ImportStatus::Failed, 0));
        assert!(job.errors.iter().any(|e| e.row == 2 && e.code == FieldErrorCode::AlreadyRated), "{:?}", job.errors);

        // A sheet without the year's column, another subtree, a member's own account.
        let bad = sodoan::sheets::write_xlsx("Xếp loại", &["Họ và tên", "Số CCCD", "Xếp loại"], rows).unwrap();
        let res = app.post_bytes(&path, &t.cadre.token, bad).await;
        assert_eq!(res.status, 422, "{:#}", res.body);
        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        let one = sodoan::sheets::write_xlsx("Xếp loại", &headers, vec![vec!["".into(), "056206012360".into(), "2023".into(), "good".into(), "".into(), "".into()]]).unwrap();
        assert_eq!(app.post_bytes(&path, &school_cadre.token, one.clone()).await.status, 403);
        let own = app.user("Trần Văn Bình").await;
        app.grant(&t.admin, own.user_id, t.commune, "cadre").await;
        let binh = app.add_linked_member(&t.cadre, member_record(t.branch, "Trần Văn Bình", "056206012361"), &own).await;
        let mine = sodoan::sheets::write_xlsx("Xếp loại", &headers, vec![vec!["".into(), "056206012361".into(), "2023".into(), "good".into(), "".into(), "".into()]]).unwrap();
        let res = app.post_bytes(&path, &own.token, mine).await;
        let job = crate::imports::finished(&app, &own, res.json::<shared::api::imports::ImportJobView>().id).await;
        assert_eq!((job.imported_rows, job.errors.first().map(|e| e.code)), (0, Some(FieldErrorCode::NotAllowed)), "nobody records their own rating");
        let book: Page<MemberRatingYear> = app.get(&format!("/api/v1/members/{}/ratings", binh.id), Some(&t.cadre.token)).await.json();
        assert!(book.items.is_empty());
    }
}
