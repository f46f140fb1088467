//! The Member Training programme: a unit's programme, members' registrations, progress,
//! self-assessment, the branch's evaluation and the figures, each by the right people.

use crate::helpers::{member_record, Resp, Session, TestApp, Tree};
use serde_json::{json, Value};
use shared::api::members::MemberView;
use shared::api::programmes::{
    PeriodKind, ProgrammeResult, ProgrammeStats, ProgrammeView, RegistrationAction, RegistrationState,
    RegistrationSummary, RegistrationView, STANDARD_HEADINGS,
};
use shared::api::Page;
use shared::ids::OrgUnitId;
use shared::{ConflictCode, ErrorCode, FieldErrorCode};

pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

pub fn year() -> i32 {
    chrono::Datelike::year(&today())
}

/// A calendar-year programme of `unit`, open all year: a required item and three optional ones
/// (two to choose) under two headings.
pub fn programme_body(unit: OrgUnitId) -> Value {
    json!({
        "unit_id": unit, "year": year(), "period_kind": "calendar", "title": format!("Rèn luyện đoàn viên {}", year()),
        "registration_opens_on": format!("{}-01-01", year()), "registration_closes_on": format!("{}-12-31", year()),
        "min_optional": 2,
        "headings": [
            {"title": STANDARD_HEADINGS[0], "items": [
                {"title": "Học tập lý luận chính trị", "required": true, "target": 6, "counted": "bài học"},
                {"title": "Đọc sách về Bác Hồ", "required": false, "target": 2, "counted": "cuốn sách"}]},
            {"title": STANDARD_HEADINGS[3], "items": [
                {"title": "Chiến dịch tình nguyện", "required": false, "target": 2, "counted": "chiến dịch"},
                {"title": "Hiến máu", "required": false, "target": 1, "counted": "lần"}]}
        ]
    })
}

pub async fn publish(app: &TestApp, by: &Session, body: Value) -> ProgrammeView {
    let res = app.post("/api/v1/programmes", Some(&by.token), body).await;
    assert_eq!(res.status, 201, "{:#}", res.body);
    res.json()
}

pub fn optional_ids(p: &ProgrammeView) -> Vec<i64> {
    p.headings.iter().flat_map(|h| &h.items).filter(|i| !i.required).map(|i| i.id).collect()
}

pub fn registration(p: &ProgrammeView, optional: &[i64]) -> Value {
    json!({"optional_item_ids": optional, "commitments": [{"heading_id": p.headings[0].id, "text": "Học đủ 6 bài, đọc 2 cuốn sách"}]})
}

pub async fn register(app: &TestApp, by: &Session, p: &ProgrammeView, body: Value) -> Resp {
    app.post(&format!("/api/v1/programmes/{}/registrations", p.id), Some(&by.token), body).await
}

pub async fn act(app: &TestApp, by: &Session, r: &RegistrationView, body: Value) -> Resp {
    app.post_versioned(&format!("/api/v1/programme-registrations/{}/transitions", r.id), &by.token, r.version, body)
        .await
}

pub async fn progress(app: &TestApp, by: &Session, r: &RegistrationView, body: Value) -> Resp {
    app.post(&format!("/api/v1/programme-registrations/{}/progress", r.id), Some(&by.token), body).await
}

async fn stats(app: &TestApp, by: &Session, unit: OrgUnitId) -> ProgrammeStats {
    let res = app.get(&format!("/api/v1/programmes/stats?unit_id={unit}&year={}", year()), Some(&by.token)).await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    res.json()
}

/// The tree, the demo-like member record linked to the tree's member account, and a
/// published programme of the commune.
pub struct Cast {
    pub t: Tree,
    pub record: MemberView,
    pub programme: ProgrammeView,
}

pub async fn cast(app: &TestApp) -> Cast {
    let t = app.tree().await;
    let record =
        app.add_linked_member(&t.cadre, member_record(t.branch, "Lê Thị Hồng Nhung", "056206012345"), &t.member).await;
    let programme = publish(app, &t.cadre, programme_body(t.commune)).await;
    Cast { t, record, programme }
}

pub fn conflict(res: &Resp) -> Option<ConflictCode> {
    assert_eq!(res.status, 409, "{:#}", res.body);
    res.problem().reason
}

api_tests! {
    async fn a_member_registers_records_progress_assesses_and_the_branch_evaluates(app) {
        let Cast { t, record, programme: p } = cast(&app).await;
        assert_eq!(p.headings.len(), 2);
        assert_eq!((p.period_kind, p.min_optional, p.registration_open), (PeriodKind::Calendar, 2, true));
        let current: ProgrammeView = app.get("/api/v1/programmes/current", Some(&t.member.token)).await.json();
        assert_eq!((current.id, current.my_registration_id), (p.id, None), "the branch's open programme, not yet registered");

        let chosen = &optional_ids(&p)[..2];
        let res = register(&app, &t.member, &p, registration(&p, chosen)).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let r: RegistrationView = res.json();
        assert_eq!((r.member_id, r.state, r.items.len(), r.percent), (record.id, RegistrationState::Registered, 3, 0));
        assert!(r.items.iter().any(|i| i.required), "the required item is held without choosing it");
        assert_eq!(r.commitments[0].heading_title, STANDARD_HEADINGS[0]);
        assert_eq!(r.allowed_actions, [RegistrationAction::SelfAssess]);
        let current: ProgrammeView = app.get("/api/v1/programmes/current", Some(&t.member.token)).await.json();
        assert_eq!((current.my_registration_id, current.registered), (Some(r.id), 1));
        assert_eq!(conflict(&register(&app, &t.member, &p, registration(&p, chosen)).await), Some(ConflictCode::AlreadyRegistered));

        let required = r.items.iter().find(|i| i.required).unwrap().item_id;
        let res = progress(&app, &t.member, &r, json!({"item_id": required, "count": 3, "done_on": today().to_string(), "note": "Bài 1–3"})).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let r: RegistrationView = res.json();
        let item = r.items.iter().find(|i| i.required).unwrap();
        assert_eq!((item.done, item.percent(), r.progress.len()), (3, 50, 1));

        let res = act(&app, &t.member, &r, json!({"action": "evaluate", "result": "excellent"})).await;
        assert_eq!(res.status, 403, "the member does not evaluate themselves");
        let r: RegistrationView = act(&app, &t.member, &r, json!({"action": "self_assess", "result": "excellent", "text": "Em đã cố gắng"})).await.json();
        assert_eq!((r.state, r.self_result), (RegistrationState::SelfAssessed, Some(ProgrammeResult::Excellent)));
        let seen: RegistrationView = app.get(&format!("/api/v1/programme-registrations/{}", r.id), Some(&t.cadre.token)).await.json();
        assert_eq!(seen.allowed_actions, [RegistrationAction::Evaluate]);
        let stale = RegistrationView { version: r.version - 1, ..r.clone() };
        assert_eq!(act(&app, &t.cadre, &stale, json!({"action": "evaluate", "result": "good"})).await.status, 412);
        let res = act(&app, &t.cadre, &r, json!({"action": "evaluate", "result": "good", "comment": "Cần đều hơn"})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let r: RegistrationView = res.json();
        assert_eq!((r.state, r.result, r.comment.as_deref()), (RegistrationState::Evaluated, Some(ProgrammeResult::Good), Some("Cần đều hơn")));

        let res = app.patch(&format!("/api/v1/programme-registrations/{}", r.id), Some(&t.member.token), Some(&format!("\"{}\"", r.version)), registration(&p, chosen)).await;
        assert_eq!(conflict(&res), Some(ConflictCode::RegistrationEvaluated), "changed only by a new decision");
        let res = progress(&app, &t.member, &r, json!({"item_id": required, "count": 1, "done_on": today().to_string()})).await;
        assert_eq!(conflict(&res), Some(ConflictCode::RegistrationEvaluated));
        let res = act(&app, &t.member, &r, json!({"action": "self_assess", "result": "excellent"})).await;
        assert_eq!(conflict(&res), Some(ConflictCode::RegistrationEvaluated));

        let s = stats(&app, &t.leader, t.province).await;
        assert_eq!((s.registered, s.live_members, s.self_assessed, s.evaluated), (1, 1, 1, 1));
        assert_eq!(s.percent_registered, Some(100));
        assert_eq!(s.by_result.iter().find(|c| c.result == ProgrammeResult::Good).map(|c| c.count), Some(1));
        assert_eq!(s.by_unit.last().map(|u| u.unit_id), Some(t.school), "a unit without members comes last");
        let commune = s.by_unit.iter().find(|u| u.unit_id == t.commune).unwrap();
        assert_eq!((commune.registered, commune.percent_registered), (1, Some(100)));

        // A new decision replaces the result; the counters move with it.
        let r: RegistrationView = act(&app, &t.cadre, &r, json!({"action": "evaluate", "result": "excellent"})).await.json();
        let s = stats(&app, &t.leader, t.province).await;
        let by = |res| s.by_result.iter().find(|c| c.result == res).map(|c| c.count);
        assert_eq!((s.evaluated, by(ProgrammeResult::Good), by(ProgrammeResult::Excellent)), (1, Some(0), Some(1)));
        let (member, y) = (record.id.0, year());
        let seam = app.db.run(move |conn| Ok(sodoan::db::programmes::programme_result(conn, member, y)?)).await.unwrap();
        assert_eq!(seam, Some(ProgrammeResult::Excellent), "what the annual rating reads");
        let none = app.db.run(move |conn| Ok(sodoan::db::programmes::programme_result(conn, member, y - 1)?)).await.unwrap();
        assert_eq!(none, None);
        assert_eq!(r.version, 5, "registered, progress, self-assessed, evaluated twice");
    }

    async fn a_cadre_does_not_evaluate_their_own_registration(app) {
        let Cast { t, programme: p, .. } = cast(&app).await;
        app.add_linked_member(&t.admin, member_record(t.branch, "Nguyễn Văn Đức", "056206012346"), &t.cadre).await;
        let r: RegistrationView = register(&app, &t.cadre, &p, registration(&p, &optional_ids(&p)[1..])).await.json();
        assert_eq!(r.allowed_actions, [RegistrationAction::SelfAssess], "evaluation is left off their own registration");
        let res = act(&app, &t.cadre, &r, json!({"action": "evaluate", "result": "excellent"})).await;
        assert_eq!((res.status, res.problem().code()), (403, Some(ErrorCode::OwnCase)));
        let res = act(&app, &t.leader, &r, json!({"action": "evaluate", "result": "excellent"})).await;
        assert_eq!(res.status, 200, "another cadre above decides: {:#}", res.body);
    }

    async fn a_cadre_registers_a_member_of_their_subtree_and_nobody_else(app) {
        let Cast { t, record, programme: p } = cast(&app).await;
        let other = app.add_member(&t.cadre, member_record(t.branch, "Trần Văn Bình", "056206012347")).await;
        let mut body = registration(&p, &optional_ids(&p)[..2]);
        body["member_id"] = json!(other.id);
        assert_eq!(register(&app, &t.member, &p, body.clone()).await.status, 403, "a member registers only themselves");
        let res = register(&app, &t.cadre, &p, body.clone()).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        assert_eq!(res.json::<RegistrationView>().member_id, other.id);

        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        body["member_id"] = json!(record.id);
        assert_eq!(register(&app, &school_cadre, &p, body).await.status, 404, "another unit's programme is not theirs to see");
        let pupil = app.user("Phạm Minh Khôi").await;
        app.add_linked_member(&t.admin, member_record(t.school_branch, "Phạm Minh Khôi", "056206012348"), &pupil).await;
        let res = register(&app, &pupil, &p, registration(&p, &optional_ids(&p)[..2])).await;
        assert_eq!(res.status, 404, "a member of another unit does not see the programme: {:#}", res.body);

        let listed: Page<RegistrationSummary> = app.get(&format!("/api/v1/programmes/{}/registrations", p.id), Some(&t.cadre.token)).await.json();
        assert_eq!((listed.total, listed.items[0].member_name.as_str()), (1, "Trần Văn Bình"));
        let s = stats(&app, &t.cadre, t.commune).await;
        assert_eq!((s.registered, s.live_members, s.percent_registered), (listed.total, 2, Some(50)), "the counters agree with the rows");
        assert_eq!(app.get(&format!("/api/v1/programmes/{}/registrations", p.id), Some(&school_cadre.token)).await.status, 404);
        assert_eq!(app.get(&format!("/api/v1/programmes/stats?unit_id={}", t.commune), Some(&school_cadre.token)).await.status, 404);
    }

    async fn another_branchs_cadre_neither_reads_nor_evaluates_a_registration(app) {
        let Cast { t, programme: p, .. } = cast(&app).await;
        let r: RegistrationView = register(&app, &t.member, &p, registration(&p, &optional_ids(&p)[..2])).await.json();
        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        assert_eq!(app.get(&format!("/api/v1/programme-registrations/{}", r.id), Some(&school_cadre.token)).await.status, 404);
        assert_eq!(act(&app, &school_cadre, &r, json!({"action": "evaluate", "result": "good"})).await.status, 404);
        assert_eq!(app.get(&format!("/api/v1/programmes/{}", p.id), Some(&school_cadre.token)).await.status, 404);
        let stranger = app.user("Người lạ").await;
        assert_eq!(app.get(&format!("/api/v1/programme-registrations/{}", r.id), Some(&stranger.token)).await.status, 404);
        assert_eq!(app.get("/api/v1/programmes/current", Some(&stranger.token)).await.status, 404, "no member record");
        assert_eq!(publish_status(&app, &school_cadre, programme_body(t.commune)).await, 403);
        assert_eq!(publish_status(&app, &t.member, programme_body(t.commune)).await, 403, "a member does not publish");
        let res = app.post_versioned(&format!("/api/v1/programme-registrations/{}/transitions", r.id), &t.member.token, r.version, json!({"action": "evaluate", "result": "perfect"})).await;
        assert_eq!(res.error_fields(), ["result"]);
        let res = app.post(&format!("/api/v1/programme-registrations/{}/transitions", r.id), Some(&t.member.token), json!({"action": "self_assess", "result": "good"})).await;
        assert_eq!(res.status, 428, "If-Match is required");
    }

    async fn a_programme_names_its_bad_fields_and_is_one_per_unit_and_year(app) {
        let Cast { t, .. } = cast(&app).await;
        let mut body = programme_body(t.commune);
        body["title"] = json!("");
        body["min_optional"] = json!(4);
        body["headings"][0]["items"][0]["target"] = json!(0);
        body["registration_closes_on"] = json!(format!("{}-01-31", year() + 1));
        let res = app.post("/api/v1/programmes", Some(&t.cadre.token), body).await;
        assert_eq!(res.error_fields(), ["title", "headings[0].items[0].target", "min_optional", "registration_closes_on"]);
        let res = app.post("/api/v1/programmes", Some(&t.cadre.token), programme_body(t.branch)).await;
        assert_eq!(res.error_fields(), ["unit_id"], "a branch registers for its grassroots unit's programme");
        let res = app.post("/api/v1/programmes", Some(&t.cadre.token), programme_body(t.commune)).await;
        assert_eq!(conflict(&res), Some(ConflictCode::ProgrammeExists));

        let mut bare = programme_body(t.school);
        bare.as_object_mut().unwrap().remove("headings");
        bare.as_object_mut().unwrap().remove("period_kind");
        bare["min_optional"] = json!(0);
        let p = publish(&app, &t.admin, bare).await;
        let titles: Vec<&str> = p.headings.iter().map(|h| h.title.as_str()).collect();
        assert_eq!(titles, STANDARD_HEADINGS, "seeded with the five standard headings");
        let listed: Page<ProgrammeView> = app.get(&format!("/api/v1/programmes?unit_id={}&year={}", t.province, year()), Some(&t.leader.token)).await.json();
        assert_eq!(listed.total, 2);
        let listed: Page<ProgrammeView> = app.get(&format!("/api/v1/programmes?unit_id={}", t.branch), Some(&t.cadre.token)).await.json();
        assert_eq!(listed.items.iter().map(|x| x.unit_id).collect::<Vec<_>>(), [t.commune], "the branch sees its grassroots unit's programme");
        assert_eq!(app.get("/api/v1/programmes?per_page=500", Some(&t.cadre.token)).await.error_fields(), ["per_page"]);
    }

    async fn a_school_follows_the_school_year_by_default(app) {
        let t = app.tree().await;
        let res = app.post("/api/v1/org-units", Some(&t.admin.token), json!({"parent_id": t.province, "name": "Đoàn trường THCS Trần Phú", "kind": "grassroots", "sector": "school"})).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let school = OrgUnitId(res.body["id"].as_i64().unwrap());
        let y = if chrono::Datelike::month(&today()) >= 9 { year() } else { year() - 1 };
        let body = json!({"unit_id": school, "year": y, "title": "Rèn luyện đoàn viên năm học",
            "registration_opens_on": format!("{y}-09-01"), "registration_closes_on": format!("{}-08-31", y + 1)});
        let p = publish(&app, &t.admin, body).await;
        assert_eq!((p.period_kind, p.starts_on.to_string(), p.ends_on.to_string()),
            (PeriodKind::School, format!("{y}-09-01"), format!("{}-08-31", y + 1)));
    }

    async fn registrations_and_progress_name_their_bad_fields(app) {
        let Cast { t, programme: p, .. } = cast(&app).await;
        let school_programme = publish(&app, &t.admin, programme_body(t.school)).await;
        let foreign = optional_ids(&school_programme)[0];
        let res = register(&app, &t.member, &p, registration(&p, &optional_ids(&p)[..1])).await;
        assert_eq!(res.error_fields(), ["optional_item_ids"], "fewer than the minimum");
        let ids = optional_ids(&p);
        let res = register(&app, &t.member, &p, registration(&p, &[ids[0], ids[0], foreign])).await;
        assert_eq!(res.error_fields(), ["optional_item_ids[1]", "optional_item_ids[2]", "optional_item_ids"]);
        assert_eq!(res.problem().errors[1].code, FieldErrorCode::NotFound, "an item of another programme");

        let r: RegistrationView = register(&app, &t.member, &p, registration(&p, &ids[..2])).await.json();
        let item = r.items[0].item_id;
        let entry = |count: i64, on: String| json!({"item_id": item, "count": count, "done_on": on});
        assert_eq!(progress(&app, &t.member, &r, entry(-2, today().to_string())).await.error_fields(), ["count"]);
        assert_eq!(progress(&app, &t.member, &r, entry(1_000_000, today().to_string())).await.error_fields(), ["count"]);
        let tomorrow = today() + chrono::Days::new(1);
        assert_eq!(progress(&app, &t.member, &r, entry(1, tomorrow.to_string())).await.error_fields(), ["done_on"]);
        let last_year = format!("{}-12-31", year() - 1);
        let res = progress(&app, &t.member, &r, entry(1, last_year)).await;
        assert_eq!((res.error_fields(), res.problem().errors[0].code), (vec!["done_on".to_owned()], FieldErrorCode::OutOfRange));
        let res = progress(&app, &t.member, &r, json!({"item_id": foreign, "count": 1, "done_on": today().to_string()})).await;
        assert_eq!(res.error_fields(), ["item_id"], "an item the registration does not hold");
    }

    async fn registering_outside_the_window_names_it(app) {
        let t = app.tree().await;
        app.add_linked_member(&t.cadre, member_record(t.branch, "Lê Thị Hồng Nhung", "056206012345"), &t.member).await;
        let mut body = programme_body(t.commune);
        let yesterday = today() - chrono::Days::new(1);
        body["registration_closes_on"] = json!(yesterday.to_string());
        let p = publish(&app, &t.cadre, body).await;
        assert!(!p.registration_open);
        let res = register(&app, &t.member, &p, registration(&p, &optional_ids(&p)[..2])).await;
        assert_eq!((res.error_fields(), res.problem().errors[0].code), (vec!["registration_closes_on".to_owned()], FieldErrorCode::Expired));
    }

    async fn an_item_members_chose_stays_but_items_can_be_added(app) {
        let Cast { t, programme: p, .. } = cast(&app).await;
        let ids = optional_ids(&p);
        let r: RegistrationView = register(&app, &t.member, &p, registration(&p, &ids[..2])).await.json();
        let sent = |p: &ProgrammeView, keep: &dyn Fn(i64) -> bool, extra: Option<Value>| {
            let mut headings: Vec<Value> = p.headings.iter().map(|h| json!({"id": h.id, "title": h.title,
                "items": h.items.iter().filter(|i| keep(i.id)).map(|i| json!({"id": i.id, "title": i.title, "required": i.required, "target": i.target, "counted": i.counted})).collect::<Vec<_>>()})).collect();
            if let Some(x) = extra {
                headings[1]["items"].as_array_mut().unwrap().push(x);
            }
            let mut body = programme_body(t.commune);
            body["headings"] = json!(headings);
            body
        };
        let path = format!("/api/v1/programmes/{}", p.id);
        let v = format!("\"{}\"", p.version);
        let res = app.patch(&path, Some(&t.cadre.token), Some(&v), sent(&p, &|i| i != ids[0], None)).await;
        assert_eq!(conflict(&res), Some(ConflictCode::ItemChosen), "a chosen item stays");
        let extra = json!({"title": "Thể dục buổi sáng", "required": false, "target": 20, "counted": "buổi"});
        let res = app.patch(&path, Some(&t.cadre.token), Some(&v), sent(&p, &|i| i != ids[2], Some(extra.clone()))).await;
        assert_eq!(res.status, 200, "an unchosen item goes, a new one comes: {:#}", res.body);
        let edited: ProgrammeView = res.json();
        assert_eq!((edited.version, optional_ids(&edited).len()), (p.version + 1, 3));
        assert!(edited.headings[1].items.iter().any(|i| i.title == "Thể dục buổi sáng"));
        let res = app.patch(&path, Some(&t.cadre.token), Some(&v), sent(&p, &|_| true, None)).await;
        assert_eq!(res.status, 412, "a stale version");
        let res = app.patch(&path, Some(&t.member.token), Some(&format!("\"{}\"", edited.version)), sent(&edited, &|_| true, None)).await;
        assert_eq!(res.status, 403);

        // The member swaps an optional item while the window is open; one with progress stays.
        let res = progress(&app, &t.member, &r, json!({"item_id": ids[0], "count": 1, "done_on": today().to_string()})).await;
        let r: RegistrationView = res.json();
        let new_item = optional_ids(&edited).into_iter().find(|i| !ids.contains(i)).unwrap();
        let reg_path = format!("/api/v1/programme-registrations/{}", r.id);
        let rv = format!("\"{}\"", r.version);
        let res = app.patch(&reg_path, Some(&t.member.token), Some(&rv), registration(&edited, &[ids[1], new_item])).await;
        assert_eq!(conflict(&res), Some(ConflictCode::ProgressRecorded));
        let res = app.patch(&reg_path, Some(&t.member.token), Some(&rv), registration(&edited, &[ids[0], new_item])).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let changed: RegistrationView = res.json();
        let mut held: Vec<i64> = changed.items.iter().filter(|i| !i.required).map(|i| i.item_id).collect();
        held.sort_unstable();
        assert_eq!(held, {let mut v = vec![ids[0], new_item]; v.sort_unstable(); v});
    }
}

async fn publish_status(app: &TestApp, by: &Session, body: Value) -> u16 {
    app.post("/api/v1/programmes", Some(&by.token), body).await.status
}
