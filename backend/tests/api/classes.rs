//! Training classes: enrolment with a waiting list, attendance by a cadre and by QR check-in,
//! results and certificates.

use crate::helpers::{member_record, Session, TestApp, TEST_JWT_SECRET};
use serde_json::{json, Value};
use shared::api::classes::{CheckinLink, ClassResult, ClassView, EnrollmentStatus, EnrollmentView};
use shared::ids::OrgUnitId;
use shared::{ErrorCode, FieldErrorCode};
use sodoan::auth::{CheckinFor, TokenKeys};

fn class(unit: OrgUnitId, capacity: i32) -> Value {
    let today = chrono::Local::now().date_naive();
    json!({
        "unit_id": unit, "kind": "orientation", "title": "Lớp cảm tình Đoàn khóa 12", "capacity": capacity,
        "enrol_from": (today - chrono::Days::new(7)).to_string(), "enrol_until": (today + chrono::Days::new(7)).to_string(),
        "audience": {"applicants": true},
        "sessions": [
            {"held_on": (today + chrono::Days::new(10)).to_string(), "starts_at": "08:00", "place": "Hội trường phường"},
            {"held_on": (today + chrono::Days::new(17)).to_string(), "starts_at": "19:30", "online_url": "https://meet.example.vn/lop12"}
        ]
    })
}

async fn open(app: &TestApp, by: &Session, body: Value) -> ClassView {
    let res = app.post("/api/v1/classes", Some(&by.token), body).await;
    assert_eq!(res.status, 201, "{:#}", res.body);
    res.json()
}

async fn enroll(app: &TestApp, who: &Session, class: i64, body: Value) -> crate::helpers::Resp {
    app.post(&format!("/api/v1/classes/{class}/enrollments"), Some(&who.token), body).await
}

api_tests! {
    async fn a_full_class_waitlists_and_the_waiting_list_moves_up_when_someone_leaves(app) {
        let t = app.tree().await;
        let c = open(&app, &t.cadre, class(t.commune, 2)).await;
        assert_eq!((c.sessions.len(), c.capacity, c.enrolled), (2, 2, 0));
        let (a, b, d) = (app.user("Trần Văn An").await, app.user("Lê Thị Bình").await, app.user("Phạm Thu Dung").await);
        let ea: EnrollmentView = enroll(&app, &a, c.id, json!({})).await.json();
        let eb: EnrollmentView = enroll(&app, &b, c.id, json!({})).await.json();
        let res = enroll(&app, &d, c.id, json!({})).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let ed: EnrollmentView = res.json();
        assert_eq!((ea.status, eb.status), (EnrollmentStatus::Enrolled, EnrollmentStatus::Enrolled));
        assert_eq!((ed.status, ed.waitlist_position), (EnrollmentStatus::Waitlisted, Some(1)), "over capacity: waitlisted, not enrolled");
        assert_eq!(enroll(&app, &a, c.id, json!({})).await.status, 409, "once per class");
        let seen: ClassView = app.get(&format!("/api/v1/classes/{}", c.id), Some(&d.token)).await.json();
        assert_eq!((seen.enrolled, seen.waitlisted, seen.my_enrollment.map(|e| e.id)), (2, 1, Some(ed.id)));

        let res = app.delete(&format!("/api/v1/classes/{}/enrollments/{}", c.id, ea.id), Some(&b.token)).await;
        assert_eq!(res.status, 404, "not someone else's seat");
        let res = app.delete(&format!("/api/v1/classes/{}/enrollments/{}", c.id, ea.id), Some(&a.token)).await;
        assert_eq!(res.json::<EnrollmentView>().status, EnrollmentStatus::Cancelled);
        let moved: EnrollmentView = app.get(&format!("/api/v1/classes/{}/enrollments/{}", c.id, ed.id), Some(&d.token)).await.json();
        assert_eq!((moved.status, moved.waitlist_position), (EnrollmentStatus::Enrolled, None), "the first in line takes the seat");
        let seen: ClassView = app.get(&format!("/api/v1/classes/{}", c.id), Some(&t.cadre.token)).await.json();
        assert_eq!((seen.enrolled, seen.waitlisted), (2, 0));
    }

    async fn enrolment_follows_the_audience_the_window_and_the_cadres_scope(app) {
        let t = app.tree().await;
        let member_account = app.user("Lê Văn Tám").await;
        let m = app.add_linked_member(&t.cadre, member_record(t.branch, "Lê Văn Tám", "056206012345"), &member_account).await;
        let c = open(&app, &t.cadre, class(t.commune, 30)).await;
        assert_eq!(enroll(&app, &member_account, c.id, json!({})).await.status, 403, "a members-free class for applicants");
        let res = enroll(&app, &t.cadre, c.id, json!({"member_id": m.id})).await;
        assert_eq!(res.status, 201, "a cadre may still enrol a member: {:#}", res.body);

        let mut closed = class(t.commune, 30);
        closed["enrol_until"] = json!("2020-01-31");
        closed["enrol_from"] = json!("2020-01-01");
        let old = open(&app, &t.cadre, closed).await;
        let youth = app.user("Phạm Minh Khôi").await;
        let res = enroll(&app, &youth, old.id, json!({})).await;
        assert_eq!((res.status, res.problem().code()), (409, Some(ErrorCode::InvalidState)), "the window is closed");

        let outsider = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, outsider.user_id, t.school, "cadre").await;
        assert_eq!(enroll(&app, &outsider, c.id, json!({"user_id": youth.user_id})).await.status, 403);
        assert_eq!(app.post("/api/v1/classes", Some(&outsider.token), class(t.commune, 5)).await.status, 403);
        assert_eq!(app.post("/api/v1/classes", Some(&t.cadre.token), class(t.branch, 5)).await.error_fields(), ["unit_id"], "branches do not run classes");
        let res = app.post("/api/v1/classes", Some(&t.cadre.token), json!({"unit_id": t.commune, "kind": "party", "capacity": 0})).await;
        assert_eq!(res.error_fields(), ["kind", "title", "capacity", "enrol_from", "enrol_until", "audience", "sessions"]);
        assert_eq!(app.get(&format!("/api/v1/classes/{}/enrollments", c.id), Some(&outsider.token)).await.status, 403);
    }

    async fn a_class_is_changed_by_its_cadres_without_losing_seats_or_attendance(app) {
        let t = app.tree().await;
        let c = open(&app, &t.cadre, class(t.commune, 1)).await;
        let (s1, s2) = (c.sessions[0].id, c.sessions[1].id);
        let (a, b, d) = (app.user("Trần Văn An").await, app.user("Lê Thị Bình").await, app.user("Phạm Thu Dung").await);
        let ea: EnrollmentView = enroll(&app, &a, c.id, json!({})).await.json();
        let eb: EnrollmentView = enroll(&app, &b, c.id, json!({})).await.json();
        let ed: EnrollmentView = enroll(&app, &d, c.id, json!({})).await.json();
        assert_eq!((eb.status, ed.status), (EnrollmentStatus::Waitlisted, EnrollmentStatus::Waitlisted));
        let path = format!("/api/v1/classes/{}/sessions/{s1}/attendance", c.id);
        let res = app.send(actix_web::http::Method::PUT, &path, Some(&t.cadre.token), &[], Some(json!({"present": [ea.id]}))).await;
        assert_eq!(res.status, 200, "{:#}", res.body);

        let put = |who: &Session, version: i64, body: Value| {
            let (app, token, path) = (&app, who.token.clone(), format!("/api/v1/classes/{}", c.id));
            async move {
                app.send(actix_web::http::Method::PUT, &path, Some(&token), &[("If-Match", &format!("\"{version}\""))], Some(body)).await
            }
        };
        let today = chrono::Local::now().date_naive();
        let mut body = class(t.commune, 2);
        body["title"] = json!("Lớp cảm tình Đoàn khóa 12 (dời lịch)");
        body["sessions"] = json!([
            {"id": s1, "held_on": (today + chrono::Days::new(11)).to_string(), "starts_at": "14:00", "place": "Nhà văn hóa"},
            {"held_on": (today + chrono::Days::new(24)).to_string(), "starts_at": "08:00", "place": "Hội trường phường"}
        ]);
        let outsider = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, outsider.user_id, t.school, "cadre").await;
        assert_eq!(put(&outsider, c.version, body.clone()).await.status, 403, "another subtree's cadre");
        assert_eq!(put(&a, c.version, body.clone()).await.status, 403, "an enrolee");
        let res = put(&t.cadre, c.version, body.clone()).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let changed: ClassView = res.json();
        assert_eq!((changed.title.as_str(), changed.capacity, changed.enrolled, changed.waitlisted), ("Lớp cảm tình Đoàn khóa 12 (dời lịch)", 2, 2, 1));
        let sessions: Vec<(Option<i64>, String, Option<String>)> =
            changed.sessions.iter().map(|s| (Some(s.id).filter(|id| *id == s1), s.starts_at.clone(), s.place.clone())).collect();
        assert_eq!(sessions, [(Some(s1), "14:00".to_owned(), Some("Nhà văn hóa".to_owned())), (None, "08:00".to_owned(), Some("Hội trường phường".to_owned()))],
            "the first moved, the online one removed, one added");
        let moved: EnrollmentView = app.get(&format!("/api/v1/classes/{}/enrollments/{}", c.id, eb.id), Some(&b.token)).await.json();
        assert_eq!(moved.status, EnrollmentStatus::Enrolled, "the added seat goes to the first in line");
        let kept: EnrollmentView = app.get(&format!("/api/v1/classes/{}/enrollments/{}", c.id, ea.id), Some(&a.token)).await.json();
        assert_eq!(kept.attended, [s1], "attendance stays with the moved session");
        assert_eq!(put(&t.cadre, c.version, body.clone()).await.status, 412, "a stale version");

        let mut fewer = body.clone();
        fewer["capacity"] = json!(1);
        assert_eq!(put(&t.cadre, changed.version, fewer).await.error_fields(), ["capacity"], "below the seats taken");
        let mut without_attended = body.clone();
        without_attended["sessions"] = json!([{"held_on": today.to_string(), "starts_at": "08:00", "place": "Hội trường"}]);
        let res = put(&t.cadre, changed.version, without_attended).await;
        assert_eq!((res.status, res.problem().code()), (409, Some(ErrorCode::Conflict)), "an attended session stays");
        let mut foreign = body.clone();
        foreign["sessions"][0]["id"] = json!(s2 + 1000);
        assert_eq!(put(&t.cadre, changed.version, foreign).await.error_fields(), ["sessions[0].id"]);
        let mut other_kind = body.clone();
        other_kind["kind"] = json!("other");
        assert_eq!(put(&t.cadre, changed.version, other_kind).await.error_fields(), ["kind"]);
        let after: ClassView = app.get(&format!("/api/v1/classes/{}", c.id), Some(&t.cadre.token)).await.json();
        assert_eq!((after.version, after.sessions.len(), after.capacity), (changed.version, 2, 2), "refusals change nothing");
    }

    async fn attendance_is_ticked_by_a_cadre_or_checked_in_with_a_short_lived_link(app) {
        let t = app.tree().await;
        let c = open(&app, &t.cadre, class(t.commune, 1)).await;
        let (s1, s2) = (c.sessions[0].id, c.sessions[1].id);
        let (a, b) = (app.user("Trần Văn An").await, app.user("Lê Thị Bình").await);
        let ea: EnrollmentView = enroll(&app, &a, c.id, json!({})).await.json();
        let eb: EnrollmentView = enroll(&app, &b, c.id, json!({})).await.json();
        assert_eq!(eb.status, EnrollmentStatus::Waitlisted);

        let tick = |session: i64, present: Vec<i64>| {
            let path = format!("/api/v1/classes/{}/sessions/{session}/attendance", c.id);
            let (app, token) = (&app, t.cadre.token.clone());
            async move { app.send(actix_web::http::Method::PUT, &path, Some(&token), &[], Some(json!({"present": present}))).await }
        };
        assert_eq!(tick(s1, vec![eb.id]).await.error_fields(), ["present"], "only enrolled people attend");
        let res = tick(s1, vec![ea.id]).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let roster: Vec<EnrollmentView> = res.json();
        assert_eq!(roster.iter().find(|e| e.id == ea.id).unwrap().attended, [s1]);

        let res = app.post(&format!("/api/v1/classes/{}/sessions/{s2}/checkin-links", c.id), Some(&t.cadre.token), json!({})).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let link: CheckinLink = res.json();
        assert!(link.path.contains(&link.token));
        assert_eq!(app.post(&format!("/api/v1/classes/{}/sessions/{s2}/checkin-links", c.id), Some(&a.token), json!({})).await.status, 403);
        let checkin = |who: &Session, session: i64, token: String| {
            let token_owner = who.token.clone();
            let path = format!("/api/v1/classes/{}/sessions/{session}/checkins", c.id);
            let app = &app;
            async move { app.post(&path, Some(&token_owner), json!({"token": token})).await }
        };
        assert_eq!(checkin(&b, s2, link.token.clone()).await.status, 403, "waitlisted people do not check in");
        let res = checkin(&a, s1, link.token.clone()).await;
        assert_eq!((res.error_fields(), res.problem().errors[0].code), (vec!["token".to_owned()], FieldErrorCode::Mismatch), "another session's link");
        let expired = TokenKeys::new(TEST_JWT_SECRET).issue_checkin(CheckinFor::ClassSession(s2), chrono::Utc::now().timestamp() - 10).unwrap();
        assert_eq!(checkin(&a, s2, expired).await.problem().errors[0].code, FieldErrorCode::Expired);
        let forged = TokenKeys::new(b"another-key-another-key-another-key!").issue_checkin(CheckinFor::ClassSession(s2), chrono::Utc::now().timestamp() + 60).unwrap();
        assert_eq!(checkin(&a, s2, forged).await.problem().errors[0].code, FieldErrorCode::InvalidFormat);
        assert_eq!(checkin(&a, s2, a.token.clone()).await.problem().errors[0].code, FieldErrorCode::InvalidFormat, "an access token is not a check-in link");
        let res = checkin(&a, s2, link.token.clone()).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        assert_eq!(res.json::<EnrollmentView>().attended, [s1, s2]);
        assert_eq!(checkin(&a, s2, link.token).await.status, 200, "checking in twice is harmless");
    }

    async fn results_give_passed_enrolees_a_certificate_and_the_roster_exports(app) {
        let t = app.tree().await;
        let c = open(&app, &t.cadre, class(t.commune, 10)).await;
        let a = app.user("Trần Văn An").await;
        let ea: EnrollmentView = enroll(&app, &a, c.id, json!({})).await.json();
        let path = format!("/api/v1/classes/{}/enrollments/{}", c.id, ea.id);
        let set = |version: i64, body: Value| {
            let v = format!("\"{version}\"");
            let token = t.cadre.token.clone();
            let path = path.clone();
            let app = &app;
            async move { app.send(actix_web::http::Method::PATCH, &path, Some(&token), &[("If-Match", &v)], Some(body)).await }
        };
        assert_eq!(set(ea.version, json!({"result": "great", "score": 120})).await.error_fields(), ["result", "score"]);
        let res = set(ea.version, json!({"result": "passed", "score": 86, "essay": "accepted"})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let passed: EnrollmentView = res.json();
        assert_eq!((passed.result, passed.score), (Some(ClassResult::Passed), Some(86)));
        let certificate = passed.certificate_no.clone().expect("a certificate number");
        assert_eq!(set(ea.version, json!({"result": "failed"})).await.status, 412, "a stale version");
        let again: EnrollmentView = set(passed.version, json!({"result": "passed", "score": 90})).await.json();
        assert_eq!(again.certificate_no.as_deref(), Some(certificate.as_str()), "the number stays");
        let mine: EnrollmentView = app.get(&path, Some(&a.token)).await.json();
        assert_eq!(mine.certificate_no.as_deref(), Some(certificate.as_str()), "the enrolee reads their own result");
        let stranger = app.user("Đỗ Văn Nam").await;
        assert_eq!(app.get(&path, Some(&stranger.token)).await.status, 404);
        let res = app.send(actix_web::http::Method::PATCH, &path, Some(&a.token), &[("If-Match", &format!("\"{}\"", again.version))], Some(json!({"result": "passed"}))).await;
        assert_eq!(res.status, 404, "an enrolee does not grade themself");

        let (status, bytes) = app.get_bytes(&format!("/api/v1/classes/{}/roster.xlsx", c.id), &t.cadre.token).await;
        assert_eq!(status, 200);
        let rows = sodoan::sheets::read(&bytes).unwrap();
        assert_eq!(rows[1].1[1], "Trần Văn An");
        assert_eq!(rows[1].1[7], certificate);
    }
}
