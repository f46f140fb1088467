//! Branch life: planning a branch's meetings (a monthly series in one step), the attendance
//! sheet ticked by a cadre or checked in by QR, members' participation, the leaders' figures of
//! branches that did not meet — and every refusal.

use crate::helpers::{member_record, Session, TestApp, Tree, TEST_JWT_SECRET};
use chrono::{Datelike, Duration, Local, NaiveDateTime};
use serde_json::{json, Value};
use shared::api::classes::CheckinLink;
use shared::api::meetings::{
    AttendanceLine, AttendanceSheet, AttendanceStatus, MeetingStats, MeetingStatus, MeetingView, Participation,
    PlannedMeetings, UnitGap,
};
use shared::api::members::MemberView;
use shared::api::Page;
use shared::ids::{MemberId, OrgUnitId};
use shared::{ErrorCode, FieldErrorCode};
use sodoan::auth::{CheckinFor, TokenKeys};

/// A time `days` from now (negative: in the past) at 19:30, as sent.
pub(crate) fn at(days: i64) -> String {
    (Local::now().date_naive() + Duration::days(days))
        .and_hms_opt(19, 30, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

fn month_of(t: NaiveDateTime) -> String {
    format!("{:04}-{:02}", t.year(), t.month())
}

pub(crate) fn plan_body(unit: OrgUnitId, starts_at: &str) -> Value {
    json!({"unit_id": unit, "kind": "branch_meeting", "starts_at": starts_at, "title": "Sinh hoạt chi đoàn", "place": "Nhà văn hóa tổ 1"})
}

pub(crate) async fn plan(app: &TestApp, by: &Session, body: Value) -> Vec<MeetingView> {
    let res = app.post("/api/v1/meetings", Some(&by.token), body).await;
    assert_eq!(res.status, 201, "{:#}", res.body);
    res.json::<PlannedMeetings>().items
}

pub(crate) async fn tick(
    app: &TestApp,
    by: &Session,
    m: &MeetingView,
    version: i64,
    entries: Value,
) -> crate::helpers::Resp {
    let v = format!("\"{version}\"");
    let path = format!("/api/v1/meetings/{}/attendance", m.id);
    app.send(
        actix_web::http::Method::PUT,
        &path,
        Some(&by.token),
        &[("If-Match", &v)],
        Some(json!({"entries": entries})),
    )
    .await
}

pub(crate) fn line(member: MemberId, status: &str, reason: Option<&str>) -> Value {
    json!({"member_id": member, "status": status, "reason": reason})
}

/// The tree, the member's own record in the branch and two more members of it.
struct Branch {
    t: Tree,
    own: MemberView,
    binh: MemberView,
    anh: MemberView,
}

async fn branch(app: &TestApp) -> Branch {
    let t = app.tree().await;
    let own =
        app.add_linked_member(&t.cadre, member_record(t.branch, "Lê Thị Hồng Nhung", "056206012345"), &t.member).await;
    let binh = app.add_member(&t.cadre, member_record(t.branch, "Trần Văn Bình", "056206012347")).await;
    let anh = app.add_member(&t.cadre, member_record(t.branch, "Đặng Thị Ánh", "056206012348")).await;
    Branch { t, own, binh, anh }
}

fn status_of(sheet: &AttendanceSheet, member: MemberId) -> Option<AttendanceStatus> {
    sheet.lines.iter().find(|l| l.member_id == member).and_then(|l| l.status)
}

api_tests! {
    async fn a_branch_plans_its_months_ticks_a_sheet_and_leaders_see_who_did_not_meet(app) {
        let Branch { t, own, binh, anh } = branch(&app).await;
        let mut body = plan_body(t.branch, &at(-70));
        body["repeat_months"] = json!(3);
        let series = plan(&app, &t.cadre, body).await;
        let months: Vec<String> = series.iter().map(|m| month_of(m.starts_at)).collect();
        assert_eq!(series.len(), 3);
        assert!(months[0] < months[1] && months[1] < months[2], "one a month: {months:?}");
        assert!(series.iter().all(|m| m.status == MeetingStatus::Planned && m.can_manage));
        let coming = plan(&app, &t.cadre, plan_body(t.branch, &at(5))).await.remove(0);

        let listed: Page<MeetingView> = app.get(&format!("/api/v1/meetings?unit_id={}", t.commune), Some(&t.cadre.token)).await.json();
        assert_eq!(listed.total, 4, "the grassroots unit reads its branches' meetings");
        let upcoming: Page<MeetingView> = app.get("/api/v1/meetings/upcoming", Some(&t.member.token)).await.json();
        assert_eq!(upcoming.items.iter().map(|m| m.id).collect::<Vec<_>>(), [coming.id], "the member's coming meeting");
        assert!(!upcoming.items[0].can_manage);
        let none: Page<MeetingView> = app.get("/api/v1/meetings/upcoming", Some(&t.leader.token)).await.json();
        assert_eq!(none.total, 0, "no member record, no meetings of one's own");

        // The first meeting's sheet: the three members of the branch on the day.
        let first = &series[0];
        let sheet: AttendanceSheet = app.get(&format!("/api/v1/meetings/{}/attendance", first.id), Some(&t.cadre.token)).await.json();
        assert_eq!(sheet.lines.len(), 3);
        assert!(sheet.lines.iter().all(|l| l.status.is_none()));
        let res = tick(&app, &t.cadre, first, first.version, json!([line(binh.id, "present", None), line(anh.id, "excused", Some("Đi thi học sinh giỏi"))])).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let sheet: AttendanceSheet = res.json();
        assert_eq!(sheet.meeting.status, MeetingStatus::Held);
        assert_eq!((sheet.meeting.present, sheet.meeting.excused, sheet.meeting.absent), (1, 1, 1));
        assert_eq!(status_of(&sheet, own.id), Some(AttendanceStatus::Absent), "left out of a branch meeting's list: absent");
        assert_eq!(sheet.lines.iter().find(|l| l.member_id == anh.id).unwrap().reason.as_deref(), Some("Đi thi học sinh giỏi"));
        assert_eq!(tick(&app, &t.cadre, first, first.version, json!([])).await.status, 412, "a stale version");

        // A correction after the meeting, audited.
        let res = tick(&app, &t.cadre, first, sheet.meeting.version, json!([line(own.id, "present", None)])).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let corrected: AttendanceSheet = res.json();
        assert_eq!((corrected.meeting.present, corrected.meeting.absent), (2, 0));
        let trail = app.get(&format!("/api/v1/audit?unit_id={}", t.branch), Some(&t.leader.token)).await;
        assert!(trail.body.to_string().contains("meeting.attendance_corrected"), "{:#}", trail.body);

        let p: Participation = app.get(&format!("/api/v1/members/{}/participation", own.id), Some(&t.member.token)).await.json();
        assert_eq!((p.held, p.present, p.rate), (1, 1, Some(100)), "the member reads their own");
        let p: Participation = app.get(&format!("/api/v1/members/{}/participation", anh.id), Some(&t.cadre.token)).await.json();
        assert_eq!((p.held, p.excused, p.months_missed.len()), (1, 1, 0), "excused is not missed");

        // Leaders' figures for the month: one branch of two met.
        let month = month_of(first.starts_at);
        let s: MeetingStats = app.get(&format!("/api/v1/meetings/stats?unit_id={}&month={month}", t.province), Some(&t.leader.token)).await.json();
        assert_eq!((s.branches, s.branches_met, s.grassroots_units), (2, 1, 2));
        let missing: Page<UnitGap> = app.get(&format!("/api/v1/meetings/missing?unit_id={}&month={month}", t.province), Some(&t.leader.token)).await.json();
        assert_eq!(missing.items.iter().map(|u| u.unit_id).collect::<Vec<_>>(), [t.school_branch]);
        assert_eq!(missing.items[0].parent_name.as_deref(), Some("Đoàn trường THPT Lê Quý Đôn"));
        let next = month_of(series[1].starts_at);
        let missing: Page<UnitGap> = app.get(&format!("/api/v1/meetings/missing?unit_id={}&month={next}", t.province), Some(&t.leader.token)).await.json();
        assert_eq!(missing.total, 2, "nobody met the next month yet");
        let res = app.get(&format!("/api/v1/meetings/missing?unit_id={}&level=party", t.province), Some(&t.leader.token)).await;
        assert_eq!(res.error_fields(), ["level"]);
        assert_eq!(app.get(&format!("/api/v1/meetings/stats?unit_id={}&month=2026-13", t.province), Some(&t.leader.token)).await.error_fields(), ["month"]);
    }

    async fn sheets_refuse_strangers_the_future_and_a_cadres_own_line(app) {
        let Branch { t, binh, .. } = branch(&app).await;
        assert_eq!(app.post("/api/v1/meetings", Some(&t.member.token), plan_body(t.branch, &at(-3))).await.status, 403, "a member plans nothing");
        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        assert_eq!(app.post("/api/v1/meetings", Some(&school_cadre.token), plan_body(t.branch, &at(-3))).await.status, 404, "another subtree");
        let res = app.post("/api/v1/meetings", Some(&t.cadre.token), plan_body(t.commune, &at(-3))).await;
        assert_eq!(res.error_fields(), ["kind"], "a branch meeting is a branch's");
        let res = app.post("/api/v1/meetings", Some(&t.cadre.token), json!({"unit_id": t.branch, "kind": "branch_meeting", "starts_at": "tomorrow", "title": "", "repeat_months": 0})).await;
        assert_eq!(res.error_fields(), ["starts_at", "title", "place", "repeat_months"]);

        let m = plan(&app, &t.cadre, plan_body(t.branch, &at(-3))).await.remove(0);
        let stranger = app.add_member(&school_cadre, member_record(t.school_branch, "Phạm Minh Tuấn", "056206012349")).await;
        let late = app.add_member(&t.cadre, json!({
            "full_name": "Hồ Thị Lan", "date_of_birth": "2006-05-19", "gender": "female", "national_id": "056306012350",
            "unit_id": t.branch, "joined_on": (Local::now().date_naive() - Duration::days(1)).to_string()
        })).await;
        let res = tick(&app, &t.cadre, &m, m.version, json!([line(binh.id, "present", None), line(stranger.id, "present", None)])).await;
        assert_eq!(res.error_fields(), ["entries[1].member_id"], "another branch's member");
        assert_eq!(res.problem().errors[0].code, FieldErrorCode::NotInUnit);
        let res = tick(&app, &t.cadre, &m, m.version, json!([line(late.id, "present", None)])).await;
        assert_eq!(res.error_fields(), ["entries[0].member_id"], "joined after the meeting");
        let res = tick(&app, &t.cadre, &m, m.version, json!([line(binh.id, "excused", None), line(binh.id, "late", None)])).await;
        assert_eq!(res.error_fields(), ["entries[0].reason", "entries[1].member_id", "entries[1].status"]);
        let path = format!("/api/v1/meetings/{}/attendance", m.id);
        assert_eq!(app.send(actix_web::http::Method::PUT, &path, Some(&t.cadre.token), &[], Some(json!({"entries": []}))).await.status, 428);
        assert_eq!(tick(&app, &school_cadre, &m, m.version, json!([])).await.status, 404, "another subtree's meeting");
        assert_eq!(app.get(&path, Some(&school_cadre.token)).await.status, 404);
        assert_eq!(tick(&app, &t.member, &m, m.version, json!([])).await.status, 403, "a member reads the meeting, never ticks it");

        let ahead = plan(&app, &t.cadre, plan_body(t.branch, &at(2))).await.remove(0);
        let res = tick(&app, &t.cadre, &ahead, ahead.version, json!([])).await;
        assert_eq!(res.error_fields(), ["starts_at"], "a meeting still ahead is not held");
        let res = app.patch(&format!("/api/v1/meetings/{}", ahead.id), Some(&t.cadre.token), Some("\"1\""), json!({"status": "held"})).await;
        assert_eq!(res.error_fields(), ["status"]);
        let res = app.patch(&format!("/api/v1/meetings/{}", ahead.id), Some(&t.cadre.token), Some("\"1\""), json!({"status": "cancelled"})).await;
        assert_eq!(res.json::<MeetingView>().status, MeetingStatus::Cancelled);
        let res = app.patch(&format!("/api/v1/meetings/{}", ahead.id), Some(&t.cadre.token), Some("\"2\""), json!({"status": "held"})).await;
        assert_eq!(res.problem().code(), Some(ErrorCode::InvalidState), "a cancelled meeting stays cancelled");

        // A cadre who is a member of the branch checks in like everyone; ticking their own line is not theirs.
        let secretary = app.user("Nguyễn Thị Thanh").await;
        app.grant(&t.admin, secretary.user_id, t.branch, "cadre").await;
        let mine = app.add_linked_member(&t.cadre, member_record(t.branch, "Nguyễn Thị Thanh", "056206012351"), &secretary).await;
        let m2 = plan(&app, &secretary, plan_body(t.branch, &at(-2))).await.remove(0);
        let res = tick(&app, &secretary, &m2, m2.version, json!([line(mine.id, "present", None)])).await;
        assert_eq!((res.status, res.problem().code()), (403, Some(ErrorCode::OwnCase)), "{:#}", res.body);
        let res = tick(&app, &secretary, &m2, m2.version, json!([line(binh.id, "present", None)])).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let sheet: AttendanceSheet = res.json();
        assert_eq!(status_of(&sheet, mine.id), Some(AttendanceStatus::Absent));
        let res = tick(&app, &secretary, &m2, sheet.meeting.version, json!([line(mine.id, "absent", None), line(binh.id, "present", None)])).await;
        assert_eq!(res.status, 200, "sending one's own line back unchanged is fine: {:#}", res.body);
    }

    async fn members_check_in_by_qr_and_tokens_are_checked(app) {
        let Branch { t, own, binh, .. } = branch(&app).await;
        let m = plan(&app, &t.cadre, plan_body(t.branch, &at(-1))).await.remove(0);
        let other = plan(&app, &t.cadre, plan_body(t.branch, &at(-2))).await.remove(0);
        let res = app.post(&format!("/api/v1/meetings/{}/checkin-links", m.id), Some(&t.cadre.token), json!({})).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let link: CheckinLink = res.json();
        assert!(link.path.contains(&link.token));
        assert_eq!(app.post(&format!("/api/v1/meetings/{}/checkin-links", m.id), Some(&t.member.token), json!({})).await.status, 403);
        let checkin = |who: &Session, meeting: i64, token: String| {
            let (path, owner, app) = (format!("/api/v1/meetings/{meeting}/checkins"), who.token.clone(), &app);
            async move { app.post(&path, Some(&owner), json!({"token": token})).await }
        };
        let res = checkin(&t.member, other.id, link.token.clone()).await;
        assert_eq!(res.problem().errors[0].code, FieldErrorCode::Mismatch, "another meeting's link");
        let expired = TokenKeys::new(TEST_JWT_SECRET).issue_checkin(CheckinFor::Meeting(m.id), chrono::Utc::now().timestamp() - 10).unwrap();
        assert_eq!(checkin(&t.member, m.id, expired).await.problem().errors[0].code, FieldErrorCode::Expired);
        let forged = TokenKeys::new(b"another-key-another-key-another-key!").issue_checkin(CheckinFor::Meeting(m.id), chrono::Utc::now().timestamp() + 60).unwrap();
        assert_eq!(checkin(&t.member, m.id, forged).await.problem().errors[0].code, FieldErrorCode::InvalidFormat);
        let class_link = TokenKeys::new(TEST_JWT_SECRET).issue_checkin(CheckinFor::ClassSession(m.id), chrono::Utc::now().timestamp() + 60).unwrap();
        assert_eq!(checkin(&t.member, m.id, class_link).await.problem().errors[0].code, FieldErrorCode::Mismatch, "a class session's link");
        let outsider = app.user("Phan Văn Khải").await;
        assert_eq!(checkin(&outsider, m.id, link.token.clone()).await.status, 403, "not on the branch's sheet");

        let res = checkin(&t.member, m.id, link.token.clone()).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let mine: AttendanceLine = res.json();
        assert_eq!((mine.member_id, mine.status, mine.method.as_deref()), (own.id, Some(AttendanceStatus::Present), Some("qr")));
        assert_eq!(checkin(&t.member, m.id, link.token).await.status, 200, "twice is harmless");

        // The secretary's sheet keeps the check-in.
        let m: MeetingView = app.get(&format!("/api/v1/meetings/{}", m.id), Some(&t.cadre.token)).await.json();
        let res = tick(&app, &t.cadre, &m, m.version, json!([line(binh.id, "absent", None)])).await;
        let sheet: AttendanceSheet = res.json();
        assert_eq!(status_of(&sheet, own.id), Some(AttendanceStatus::Present));
        let p: Participation = app.get(&format!("/api/v1/members/{}/participation", own.id), Some(&t.member.token)).await.json();
        assert_eq!((p.held, p.present, p.rate), (1, 1, Some(100)));
    }
}
