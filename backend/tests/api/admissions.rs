//! Admissions: from a youth's application to a new member, each step by the right actor.

use crate::helpers::{member_record, Session, TestApp, Tree};
use serde_json::{json, Value};
use shared::api::admissions::{AdmissionAction, AdmissionInbox, AdmissionState, AdmissionView};
use shared::api::auth::MeResponse;
use shared::api::classes::{ClassView, EnrollmentView};
use shared::api::members::{MemberSummary, MemberView};
use shared::api::Page;
use shared::ids::OrgUnitId;
use shared::{ErrorCode, FieldErrorCode};

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn form(branch: OrgUnitId, introducer: &MemberView, born: &str) -> Value {
    json!({
        "full_name": "Phạm Minh Khôi", "date_of_birth": born, "gender": "male", "phone": "0912345678",
        "unit_id": branch, "introducer_member_id": introducer.id, "application_text": "Em tự nguyện xin vào Đoàn…",
        "guardian_name": "Phạm Văn Long", "guardian_phone": "0987654321", "guardian_consent": true, "hometown": "Khánh Hòa"
    })
}

async fn act(app: &TestApp, who: &Session, a: &AdmissionView, body: Value) -> crate::helpers::Resp {
    app.post_versioned(&format!("/api/v1/admissions/{}/transitions", a.id), &who.token, a.version, body).await
}

async fn ok(app: &TestApp, who: &Session, a: &AdmissionView, body: Value) -> AdmissionView {
    let res = act(app, who, a, body).await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    res.json()
}

struct Cast {
    t: Tree,
    branch_cadre: Session,
    introducer: MemberView,
    class: ClassView,
}

async fn cast(app: &TestApp) -> Cast {
    let t = app.tree().await;
    let branch_cadre = app.user("Hồ Thị Lan").await;
    app.grant(&t.admin, branch_cadre.user_id, t.branch, "cadre").await;
    let introducer = app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
    let res = app
        .post(
            "/api/v1/classes",
            Some(&t.cadre.token),
            json!({"unit_id": t.commune, "kind": "orientation", "title": "Lớp cảm tình Đoàn", "capacity": 50,
                   "enrol_from": (today() - chrono::Days::new(30)).to_string(), "enrol_until": (today() + chrono::Days::new(30)).to_string(),
                   "audience": {"applicants": true}, "sessions": [{"held_on": today().to_string(), "starts_at": "08:00", "place": "Hội trường"}]}),
        )
        .await;
    assert_eq!(res.status, 201, "{:#}", res.body);
    Cast { t, branch_cadre, introducer, class: res.json() }
}

/// A youth's application carried to `trained`: submitted, enrolled, class passed, essay accepted.
async fn trained(app: &TestApp, c: &Cast, born: &str) -> (Session, AdmissionView) {
    let youth = app.user("Phạm Minh Khôi").await;
    let res = app.post("/api/v1/admissions", Some(&youth.token), form(c.t.branch, &c.introducer, born)).await;
    assert_eq!(res.status, 201, "{:#}", res.body);
    let a: AdmissionView = res.json();
    let a = ok(app, &youth, &a, json!({"action": "submit"})).await;
    let e: EnrollmentView =
        app.post(&format!("/api/v1/classes/{}/enrollments", c.class.id), Some(&youth.token), json!({})).await.json();
    let a = ok(app, &c.branch_cadre, &a, json!({"action": "start_training", "class_id": c.class.id})).await;
    assert_eq!(a.state, AdmissionState::InTraining);
    let v = format!("\"{}\"", e.version);
    let res = app
        .send(
            actix_web::http::Method::PATCH,
            &format!("/api/v1/classes/{}/enrollments/{}", c.class.id, e.id),
            Some(&c.t.cadre.token),
            &[("If-Match", &v)],
            Some(json!({"result": "passed", "score": 80, "essay": "accepted"})),
        )
        .await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    let a: AdmissionView = app.get(&format!("/api/v1/admissions/{}", a.id), Some(&youth.token)).await.json();
    assert_eq!(a.state, AdmissionState::Trained, "set from the class result, not typed twice");
    (youth, a)
}

fn vote(present: i32, votes_for: i32, against: i32) -> Value {
    json!({"action": "propose", "meeting_on": today().to_string(), "present": present, "votes_for": votes_for, "votes_against": against})
}

fn approval() -> Value {
    json!({"action": "approve", "decision_no": "15-QĐ/ĐTN", "decided_on": today().to_string(), "signer": "Nguyễn Văn Đức"})
}

api_tests! {
    async fn a_youth_becomes_a_member_through_every_step_by_the_right_people(app) {
        let c = cast(&app).await;
        let (youth, a) = trained(&app, &c, "2008-05-19").await;
        assert_eq!(act(&app, &youth, &a, vote(10, 8, 1)).await.status, 403, "the applicant does not vote");
        let a = ok(&app, &c.branch_cadre, &a, vote(10, 8, 1)).await;
        assert_eq!((a.state, a.votes_for), (AdmissionState::Proposed, Some(8)));
        assert_eq!(act(&app, &c.branch_cadre, &a, approval()).await.status, 403, "the branch does not approve its own proposal");
        assert_eq!(act(&app, &youth, &a, approval()).await.status, 403);

        let inbox: AdmissionInbox = app.get("/api/v1/admissions/inbox", Some(&c.t.cadre.token)).await.json();
        assert_eq!(inbox.items.iter().map(|x| x.id).collect::<Vec<_>>(), [a.id], "waiting for the unit above");
        let card = &inbox.items[0];
        assert_eq!(card.allowed_actions, [AdmissionAction::Approve, AdmissionAction::Return, AdmissionAction::Reject]);
        assert_eq!((card.full_name.as_str(), card.class_result.as_deref(), card.introducer.as_deref()),
            ("Phạm Minh Khôi", Some("passed"), Some("Nguyễn Văn Đức")), "what the decision needs");
        assert_eq!((card.present, card.votes_for, card.votes_against, card.version), (Some(10), Some(8), Some(1), a.version));
        assert_eq!(card.age_at_meeting, Some(shared::values::age_on(chrono::NaiveDate::from_ymd_opt(2008, 5, 19).unwrap(), today())));
        assert_eq!(inbox.next, None);
        let branch_inbox: AdmissionInbox = app.get("/api/v1/admissions/inbox", Some(&c.branch_cadre.token)).await.json();
        assert!(branch_inbox.items.is_empty(), "the branch does not approve its own cases");
        let count = app.get("/api/v1/admissions/inbox/count", Some(&c.branch_cadre.token)).await;
        assert_eq!(count.body["count"].as_i64(), Some(0));

        let res = app.send(actix_web::http::Method::POST, &format!("/api/v1/admissions/{}/transitions", a.id), Some(&c.t.cadre.token),
            &[("If-Match", &format!("\"{}\"", a.version)), ("Prefer", "return=minimal")], Some(approval())).await;
        assert_eq!((res.status, res.header("etag").as_deref()), (204, Some(format!("\"{}\"", a.version + 1).as_str())), "only the new version");
        let approved: AdmissionView = app.get(&format!("/api/v1/admissions/{}", a.id), Some(&c.t.cadre.token)).await.json();
        assert_eq!((approved.state, approved.decision_no.as_deref()), (AdmissionState::Approved, Some("15-QĐ/ĐTN")));
        assert_eq!(act(&app, &c.t.cadre, &a, approval()).await.status, 412, "a second approval of the same version");
        let res = act(&app, &c.t.cadre, &approved, json!({"action": "admit", "ceremony_on": today().to_string(), "card_number": "KH-2026-000321"})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let admitted: AdmissionView = res.json();
        assert_eq!(admitted.state, AdmissionState::Admitted);
        let member_id = admitted.member_id.expect("a member record");

        let me: MeResponse = app.get("/api/v1/me", Some(&youth.token)).await.json();
        assert_eq!(me.member_id, Some(member_id), "the applicant's account is now a member's");
        let book: MemberView = app.get(&format!("/api/v1/members/{member_id}"), Some(&youth.token)).await.json();
        assert_eq!((book.joined_on, book.card_number.as_deref(), book.unit_id), (today(), Some("KH-2026-000321"), c.t.branch));
        let found: Page<MemberSummary> = app.get(&format!("/api/v1/members?unit_id={}&q=minh+khoi", c.t.commune), Some(&c.t.cadre.token)).await.json();
        assert_eq!(found.items.iter().map(|m| m.id).collect::<Vec<_>>(), [member_id]);

        let count = app.get(&format!("/api/v1/members/{}/introductions", c.introducer.id), Some(&c.t.cadre.token)).await;
        assert_eq!((count.body["introduced"].as_i64(), count.body["admitted"].as_i64()), (Some(1), Some(1)), "1+1: the introducer brought one in");
        let res = app.send(actix_web::http::Method::PUT, "/api/v1/admissions/targets", Some(&c.t.cadre.token), &[],
            Some(json!({"unit_id": c.t.commune, "year": chrono::Datelike::year(&today()), "target": 12}))).await;
        assert_eq!(res.status, 204, "{:#}", res.body);
        let res = app.send(actix_web::http::Method::PUT, "/api/v1/admissions/targets", Some(&c.branch_cadre.token), &[],
            Some(json!({"unit_id": c.t.commune, "year": 2026, "target": 1}))).await;
        assert_eq!(res.status, 403, "a branch cadre does not set the ward's target");
        let res = app.send(actix_web::http::Method::PUT, "/api/v1/admissions/targets", Some(&c.t.cadre.token), &[],
            Some(json!({"unit_id": c.t.commune, "year": 1990, "target": -1}))).await;
        assert_eq!(res.error_fields(), ["year", "target"]);
        let stats = app.get(&format!("/api/v1/admissions/stats?unit_id={}", c.t.commune), Some(&c.t.leader.token)).await;
        assert_eq!((stats.body["target"].as_i64(), stats.body["admitted"].as_i64()), (Some(12), Some(1)), "{:#}", stats.body);
        let line = stats.body["by_unit"].as_array().unwrap().iter().find(|u| u["unit_id"] == json!(c.t.branch)).cloned();
        assert_eq!(line.map(|l| (l["admitted"].as_i64(), l["in_progress"].as_i64())), Some((Some(1), Some(0))), "the branch's line");
        let last_year = app.get(&format!("/api/v1/admissions/stats?unit_id={}&year={}", c.t.commune, chrono::Datelike::year(&today()) - 1), Some(&c.t.leader.token)).await;
        assert_eq!((last_year.body["target"].as_i64(), last_year.body["admitted"].as_i64()), (None, Some(0)), "counted by ceremony year");

        let steps: Vec<&str> = admitted.timeline.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(steps, ["submit", "start_training", "complete_training", "propose", "approve", "admit"]);
        let audit = app.get(&format!("/api/v1/audit?unit_id={}", c.t.commune), Some(&c.t.leader.token)).await;
        let actions: Vec<&str> = audit.body["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
        assert!(actions.contains(&"admission.approve") && actions.contains(&"member.create"), "{actions:?}");
    }

    async fn an_inbox_pages_through_the_cases_waiting_for_the_caller_oldest_first(app) {
        let c = cast(&app).await;
        let mut submitted = Vec::new();
        for name in ["Lê Văn An", "Trần Thị Bình", "Ngô Văn Cường"] {
            let youth = app.user(name).await;
            let a: AdmissionView = app.post("/api/v1/admissions", Some(&youth.token), form(c.t.branch, &c.introducer, "2008-05-19")).await.json();
            submitted.push(ok(&app, &youth, &a, json!({"action": "submit"})).await.id);
        }
        let page: AdmissionInbox = app.get("/api/v1/admissions/inbox?limit=2", Some(&c.branch_cadre.token)).await.json();
        assert_eq!(page.items.iter().map(|x| x.id).collect::<Vec<_>>(), submitted[..2]);
        assert_eq!(page.items[0].allowed_actions[0], AdmissionAction::StartTraining, "the branch starts the training");
        let next = page.next.expect("a next page");
        let rest: AdmissionInbox = app.get(&format!("/api/v1/admissions/inbox?limit=2&after={next}"), Some(&c.branch_cadre.token)).await.json();
        assert_eq!((rest.items.iter().map(|x| x.id).collect::<Vec<_>>(), rest.next), (submitted[2..].to_vec(), None));
        let above: AdmissionInbox = app.get("/api/v1/admissions/inbox", Some(&c.t.cadre.token)).await.json();
        assert_eq!(above.items.len(), 3, "a cadre above the branch may take its steps too");
        let elsewhere = app.user("Vũ Thị Hạnh").await;
        app.grant(&c.t.admin, elsewhere.user_id, c.t.school, "cadre").await;
        let none: AdmissionInbox = app.get("/api/v1/admissions/inbox", Some(&elsewhere.token)).await.json();
        assert!(none.items.is_empty(), "another subtree's cases");
        for (who, n) in [(&c.branch_cadre, 3), (&c.t.cadre, 3), (&elsewhere, 0)] {
            let count = app.get("/api/v1/admissions/inbox/count", Some(&who.token)).await;
            assert_eq!(count.body["count"].as_i64(), Some(n), "the home page's count");
        }
        assert_eq!(app.get("/api/v1/admissions/inbox?after=yesterday", Some(&c.branch_cadre.token)).await.error_fields(), ["after"]);
        assert_eq!(app.get("/api/v1/admissions/inbox?limit=0", Some(&c.branch_cadre.token)).await.error_fields(), ["limit"]);
        assert_eq!(app.get("/api/v1/admissions/inbox?limit=51", Some(&c.branch_cadre.token)).await.error_fields(), ["limit"]);
    }

    async fn an_application_is_the_applicants_until_submitted_and_then_out_of_their_hands(app) {
        let c = cast(&app).await;
        let youth = app.user("Phạm Minh Khôi").await;
        let a: AdmissionView = app.post("/api/v1/admissions", Some(&youth.token), json!({"unit_id": c.t.branch})).await.json();
        assert_eq!(a.state, AdmissionState::Draft);
        let res = act(&app, &youth, &a, json!({"action": "submit"})).await;
        assert_eq!(res.error_fields(), ["full_name", "date_of_birth", "gender", "phone", "introducer_member_id", "application_text"]);
        let res = app.send(actix_web::http::Method::PATCH, &format!("/api/v1/admissions/{}", a.id), Some(&youth.token),
            &[("If-Match", &format!("\"{}\"", a.version))], Some(form(c.t.branch, &c.introducer, "2008-05-19"))).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let a: AdmissionView = res.json();
        let found = app.get("/api/v1/admissions/introducers?q=%2B84912345678", Some(&youth.token)).await;
        assert_eq!((found.status, found.body["member_id"].as_i64()), (200, Some(c.introducer.id.0)), "found by phone, any form");
        assert_eq!(app.get("/api/v1/admissions/introducers?q=0900000000", Some(&youth.token)).await.status, 404);
        let other = app.user("Đỗ Văn Nam").await;
        assert_eq!(app.get(&format!("/api/v1/admissions/{}", a.id), Some(&other.token)).await.status, 404);
        assert_eq!(act(&app, &other, &a, json!({"action": "submit"})).await.status, 404, "another's application");
        let a = ok(&app, &youth, &a, json!({"action": "submit"})).await;
        let res = app.send(actix_web::http::Method::PATCH, &format!("/api/v1/admissions/{}", a.id), Some(&youth.token),
            &[("If-Match", &format!("\"{}\"", a.version))], Some(form(c.t.branch, &c.introducer, "2008-05-19"))).await;
        assert_eq!(res.status, 403, "not after submission");
        assert_eq!(act(&app, &youth, &a, approval()).await.status, 403, "an applicant approving");
        let res = act(&app, &c.t.cadre, &a, approval()).await;
        assert_eq!((res.status, res.problem().code()), (409, Some(ErrorCode::InvalidState)));
        assert!(res.problem().detail.unwrap().contains("applied"), "names the state");
        assert_eq!(app.post("/api/v1/admissions", Some(&youth.token), json!({})).await.status, 409, "one application at a time");

        let outsider = app.user("Vũ Thị Hạnh").await;
        app.grant(&c.t.admin, outsider.user_id, c.t.school, "cadre").await;
        assert_eq!(act(&app, &outsider, &a, json!({"action": "reject", "reason": "x"})).await.status, 404);
        let a = ok(&app, &youth, &a, json!({"action": "withdraw"})).await;
        assert_eq!(a.state, AdmissionState::Withdrawn);

        let gone = app.unit(&c.t.admin, c.t.commune, "branch", "Chi đoàn đã giải thể").await;
        let res = app.post_versioned(&format!("/api/v1/org-units/{}/dissolve", gone.id), &c.t.admin.token, gone.version, json!({"on": today().to_string()})).await;
        assert_eq!(res.status, 200);
        let res = app.post("/api/v1/admissions", Some(&youth.token), json!({"unit_id": gone.id})).await;
        assert_eq!(res.problem().errors[0].code, FieldErrorCode::Dissolved);
    }

    async fn a_units_applications_are_listed_a_page_at_a_time_in_any_state_and_filtered(app) {
        let c = cast(&app).await;
        let (youth, trained_case) = trained(&app, &c, "2008-05-19").await;
        let draft_youth = app.user("Đặng Thùy Trâm").await;
        let draft: AdmissionView = app.post("/api/v1/admissions", Some(&draft_youth.token), json!({"unit_id": c.t.branch})).await.json();
        let list = |q: String| {
            let (app, token) = (&app, c.t.cadre.token.clone());
            async move { app.get(&format!("/api/v1/admissions?{q}"), Some(&token)).await }
        };
        let all = list(format!("unit_id={}", c.t.commune)).await;
        assert_eq!(all.status, 200, "{:#}", all.body);
        let page: Page<AdmissionView> = all.json();
        assert_eq!((page.total, page.items.len()), (2, 2), "every state, the branch below included");
        assert_eq!(page.items[0].id, draft.id, "newest first");
        let trained_only: Page<AdmissionView> = list(format!("unit_id={}&state=trained", c.t.commune)).await.json();
        assert_eq!(trained_only.items.iter().map(|a| a.id).collect::<Vec<_>>(), [trained_case.id]);
        let by_name: Page<AdmissionView> = list(format!("unit_id={}&q=dang%20thuy", c.t.branch)).await.json();
        assert_eq!(by_name.items.iter().map(|a| a.id).collect::<Vec<_>>(), [draft.id], "found without diacritics");
        let this_year: Page<AdmissionView> = list(format!("unit_id={}&year={}", c.t.branch, chrono::Datelike::year(&today()))).await.json();
        assert_eq!(this_year.total, 2);
        let paged: Page<AdmissionView> = list(format!("unit_id={}&per_page=1&page=2", c.t.commune)).await.json();
        assert_eq!((paged.total, paged.items[0].id), (2, trained_case.id));
        assert_eq!(list(format!("unit_id={}&state=maybe", c.t.commune)).await.error_fields(), ["state"]);
        assert_eq!(list(format!("unit_id={}&year=1800", c.t.commune)).await.error_fields(), ["year"]);
        assert_eq!(list(format!("unit_id={}&page=0", c.t.commune)).await.error_fields(), ["page"]);

        // Another subtree's unit is not there for this cadre; the school's cadre sees none of these.
        assert_eq!(list(format!("unit_id={}", c.t.school)).await.status, 404);
        let school_cadre = app.user("Vũ Thị Hạnh").await;
        app.grant(&c.t.admin, school_cadre.user_id, c.t.school, "cadre").await;
        let res = app.get(&format!("/api/v1/admissions?unit_id={}", c.t.commune), Some(&school_cadre.token)).await;
        assert_eq!(res.status, 404);
        // A youth without a unit sees their own applications only, in the same envelope.
        let own: Page<AdmissionView> = app.get("/api/v1/admissions", Some(&youth.token)).await.json();
        assert_eq!(own.items.iter().map(|a| a.id).collect::<Vec<_>>(), [trained_case.id]);
        assert_eq!(app.get(&format!("/api/v1/admissions?unit_id={}", c.t.branch), Some(&youth.token)).await.status, 404);
    }

    async fn the_branch_vote_and_the_age_on_the_meeting_day_are_checked(app) {
        let c = cast(&app).await;
        let (_, a) = trained(&app, &c, "2008-05-19").await;
        assert_eq!(act(&app, &c.branch_cadre, &a, vote(10, 8, 3)).await.error_fields(), ["votes_for"], "more votes than people");
        assert_eq!(act(&app, &c.branch_cadre, &a, vote(10, 5, 5)).await.error_fields(), ["votes_for"], "half is not a majority");
        assert_eq!(act(&app, &c.branch_cadre, &a, vote(0, 0, 0)).await.error_fields(), ["present"]);

        let fifteen = today().checked_sub_months(chrono::Months::new(180)).unwrap();
        let (_, young) = trained(&app, &c, &fifteen.to_string()).await;
        let res = act(&app, &c.branch_cadre, &young, vote(10, 8, 1)).await;
        assert_eq!((res.error_fields(), res.problem().errors[0].code), (vec!["meeting_on".to_owned()], FieldErrorCode::TooYoung), "exactly 15 years");
        let thirty = today().checked_sub_months(chrono::Months::new(360)).unwrap() - chrono::Days::new(1);
        let youth = app.user("Trần Văn Ba").await;
        let res = app.post("/api/v1/admissions", Some(&youth.token), form(c.t.branch, &c.introducer, &thirty.to_string())).await;
        let a: AdmissionView = res.json();
        let res = act(&app, &youth, &a, json!({"action": "submit"})).await;
        assert_eq!(res.error_fields(), ["date_of_birth"], "30 years and a day");
        assert_eq!(res.problem().errors[0].code, FieldErrorCode::TooOld);
    }

    async fn a_retried_request_decides_once_and_a_batch_approves_each_case_on_its_own(app) {
        let c = cast(&app).await;
        let (_, a) = trained(&app, &c, "2008-05-19").await;
        let path = format!("/api/v1/admissions/{}/transitions", a.id);
        let v = format!("\"{}\"", a.version);
        let headers = [("If-Match", v.as_str()), ("Idempotency-Key", "vote-2026-11-22-01")];
        let first = app.send(actix_web::http::Method::POST, &path, Some(&c.branch_cadre.token), &headers, Some(vote(10, 8, 1))).await;
        let again = app.send(actix_web::http::Method::POST, &path, Some(&c.branch_cadre.token), &headers, Some(vote(10, 8, 1))).await;
        assert_eq!((first.status, again.status), (200, 200));
        assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
        let proposed: AdmissionView = app.get(&format!("/api/v1/admissions/{}", a.id), Some(&c.t.cadre.token)).await.json();
        assert_eq!(proposed.timeline.iter().filter(|e| e.action == "propose").count(), 1, "one decision");

        let (_, b) = trained(&app, &c, "2007-01-02").await;
        let b = ok(&app, &c.branch_cadre, &b, vote(9, 9, 0)).await;
        let mut body = approval();
        body["items"] = json!([{"id": proposed.id, "version": proposed.version}, {"id": b.id, "version": b.version + 7}]);
        let res = app.post("/api/v1/admissions/batch-approve", Some(&c.t.cadre.token), body).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let outcomes = res.body.as_array().unwrap();
        assert!(outcomes[0]["problem"].is_null());
        assert_eq!(outcomes[1]["problem"]["status"], 412, "a stale case is refused alone");
        let approved: AdmissionView = app.get(&format!("/api/v1/admissions/{}", proposed.id), Some(&c.t.cadre.token)).await.json();
        assert_eq!(approved.state, AdmissionState::Approved);
        let still: AdmissionView = app.get(&format!("/api/v1/admissions/{}", b.id), Some(&c.t.cadre.token)).await.json();
        assert_eq!(still.state, AdmissionState::Proposed);
    }

    async fn two_cadres_approving_the_same_case_at_once_one_wins_and_the_other_is_told(app) {
        let c = cast(&app).await;
        let deputy = app.user("Trần Thị Mai Anh").await;
        app.grant(&c.t.admin, deputy.user_id, c.t.commune, "cadre").await;
        let (_, a) = trained(&app, &c, "2008-05-19").await;
        let a = ok(&app, &c.branch_cadre, &a, vote(10, 8, 1)).await;
        let (one, two) = futures_util::future::join(act(&app, &c.t.cadre, &a, approval()), act(&app, &deputy, &a, approval())).await;
        let mut statuses = [one.status, two.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 412], "{:#} {:#}", one.body, two.body);
        let after: AdmissionView = app.get(&format!("/api/v1/admissions/{}", a.id), Some(&c.t.cadre.token)).await.json();
        assert_eq!(after.timeline.iter().filter(|e| e.action == "approve").count(), 1);
    }

    async fn a_cadre_who_applies_takes_only_the_applicants_steps_on_their_own_case(app) {
        let c = cast(&app).await;
        let own = app.user("Phạm Minh Khôi").await;
        app.grant(&c.t.admin, own.user_id, c.t.commune, "cadre").await;
        let res = app.post("/api/v1/admissions", Some(&own.token), form(c.t.branch, &c.introducer, "2008-05-19")).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let a = ok(&app, &own, &res.json(), json!({"action": "submit"})).await;
        assert_eq!(a.allowed_actions, [AdmissionAction::Withdraw], "no decision is offered on one's own case");
        let refused = |res: crate::helpers::Resp| {
            assert_eq!((res.status, res.problem().code()), (403, Some(ErrorCode::OwnCase)), "{:#}", res.body);
        };
        refused(act(&app, &own, &a, json!({"action": "start_training", "class_id": c.class.id})).await);
        refused(act(&app, &own, &a, json!({"action": "reject", "reason": "x"})).await);
        let e: EnrollmentView =
            app.post(&format!("/api/v1/classes/{}/enrollments", c.class.id), Some(&own.token), json!({})).await.json();
        let a = ok(&app, &c.branch_cadre, &a, json!({"action": "start_training", "class_id": c.class.id})).await;
        let res = app.send(actix_web::http::Method::PATCH, &format!("/api/v1/classes/{}/enrollments/{}", c.class.id, e.id),
            Some(&c.t.cadre.token), &[("If-Match", &format!("\"{}\"", e.version))],
            Some(json!({"result": "passed", "score": 80, "essay": "accepted"}))).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let a: AdmissionView = app.get(&format!("/api/v1/admissions/{}", a.id), Some(&own.token)).await.json();
        assert_eq!(a.state, AdmissionState::Trained);
        refused(act(&app, &own, &a, vote(10, 8, 1)).await);
        let a = ok(&app, &c.branch_cadre, &a, vote(10, 8, 1)).await;
        refused(act(&app, &own, &a, approval()).await);
        let mut batch = approval();
        batch["items"] = json!([{"id": a.id, "version": a.version}]);
        let res = app.post("/api/v1/admissions/batch-approve", Some(&own.token), batch).await;
        assert_eq!(res.body[0]["problem"]["type"], "urn:sodoan:problem:own_case", "{:#}", res.body);
        let a = ok(&app, &c.t.cadre, &a, approval()).await;
        let admit = json!({"action": "admit", "ceremony_on": today().to_string()});
        refused(act(&app, &own, &a, admit.clone()).await);
        let a = ok(&app, &c.t.cadre, &a, admit).await;
        assert_eq!(a.state, AdmissionState::Admitted, "another cadre carries the case through");
        let actors: Vec<_> = a.timeline.iter().filter(|e| e.action != "submit").filter_map(|e| e.actor_name.as_deref()).collect();
        assert!(!actors.contains(&"Phạm Minh Khôi"), "{actors:?}");

        // Their own member record: the member's contact details, no lifecycle step, no merge.
        let member_id = a.member_id.unwrap();
        let book: MemberView = app.get(&format!("/api/v1/members/{member_id}"), Some(&own.token)).await.json();
        let v = format!("\"{}\"", book.version);
        let res = app.patch(&format!("/api/v1/members/{member_id}"), Some(&own.token), Some(&v), json!({"card_number": "KH-1"})).await;
        assert_eq!(res.problem().code(), Some(ErrorCode::OwnCase));
        let res = app.patch(&format!("/api/v1/members/{member_id}"), Some(&own.token), Some(&v), json!({"phone": "0987000111"})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let book: MemberView = res.json();
        let res = app.post_versioned(&format!("/api/v1/members/{member_id}/transitions"), &own.token, book.version,
            json!({"action": "remove", "on": today().to_string(), "reason": "Tự xin ra"})).await;
        assert_eq!((res.status, res.problem().code()), (403, Some(ErrorCode::OwnCase)), "{:#}", res.body);
        let dup = app.add_member(&c.t.cadre, member_record(c.t.branch, "Phạm Minh Khôi", "")).await;
        let res = app.post_versioned(&format!("/api/v1/members/{}/merge", dup.id), &own.token, dup.version,
            json!({"duplicate_id": member_id})).await;
        assert_eq!((res.status, res.problem().code()), (403, Some(ErrorCode::OwnCase)), "{:#}", res.body);
    }

    async fn an_introducer_look_up_shows_a_masked_name_and_the_branch_only_to_those_applying_there(app) {
        let c = cast(&app).await;
        let mut card = member_record(c.t.school_branch, "Huỳnh Minh Anh", "056306012349");
        card["gender"] = json!("female");
        card["phone"] = json!("0977000111");
        card["card_number"] = json!("KH-2026-000777");
        let elsewhere = app.add_member(&c.t.admin, card).await;
        let youth = app.user("Phạm Minh Khôi").await;
        let res = app.post("/api/v1/admissions", Some(&youth.token), json!({"unit_id": c.t.branch})).await;
        assert_eq!(res.status, 201, "{:#}", res.body);

        let found = app.get("/api/v1/admissions/introducers?q=0912345678", Some(&youth.token)).await;
        assert_eq!(found.status, 200, "{:#}", found.body);
        assert_eq!((found.body["full_name"].as_str(), found.body["unit_name"].as_str()),
            (Some("Nguyễn V. Đ."), Some("Chi đoàn Tổ dân phố 1")), "the branch the youth applies to");
        let found = app.get("/api/v1/admissions/introducers?q=kh-2026-000777", Some(&youth.token)).await;
        assert_eq!((found.body["member_id"].as_i64(), found.body["full_name"].as_str(), found.body["unit_name"].as_str()),
            (Some(elsewhere.id.0), Some("Huỳnh M. A."), Some("")), "another branch is not named");
        let stranger = app.user("Đỗ Văn Nam").await;
        let found = app.get("/api/v1/admissions/introducers?q=0977000111", Some(&stranger.token)).await;
        assert_eq!((found.body["full_name"].as_str(), found.body["unit_name"].as_str()), (Some("Huỳnh M. A."), Some("")));
        let found = app.get("/api/v1/admissions/introducers?q=0912345678", Some(&c.t.cadre.token)).await;
        assert_eq!(found.body["full_name"].as_str(), Some("Nguyễn Văn Đức"), "a cadre of the member's unit reads the record anyway");

        for q in ["Nguy%E1%BB%85n", "091", "%25", ""] {
            let res = app.get(&format!("/api/v1/admissions/introducers?q={q}"), Some(&stranger.token)).await;
            assert_eq!(res.error_fields(), ["q"], "{q}: only a whole phone or card number");
        }
        let audit = app.get(&format!("/api/v1/audit?unit_id={}", c.t.school), Some(&c.t.admin.token)).await;
        let lookups = audit.body["items"].as_array().unwrap().iter().filter(|e| e["action"] == "member.lookup_introducer").count();
        assert_eq!(lookups, 2, "each look-up that found the member is in their unit's trail: {:#}", audit.body);

        let mut statuses = Vec::new();
        for _ in 0..25 {
            statuses.push(app.get("/api/v1/admissions/introducers?q=0900000000", Some(&stranger.token)).await.status);
        }
        let allowed = statuses.iter().filter(|s| **s == 404).count();
        assert_eq!((allowed, statuses.last().copied()), (19, Some(429)), "twenty look-ups per caller, then 429: {statuses:?}");
        let res = app.get("/api/v1/admissions/introducers?q=0900000000", Some(&stranger.token)).await;
        assert!(res.header("retry-after").is_some());
        assert_eq!(app.get("/api/v1/admissions/introducers?q=0900000000", Some(&youth.token)).await.status, 404, "per caller");
    }
}
