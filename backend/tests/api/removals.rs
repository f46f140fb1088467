//! The removal list (xóa tên): members with three months in a year without attending the
//! branch's meetings, found from the sheets, removed or dismissed by a cadre — and the refusals.

use crate::helpers::{member_record, Session, TestApp};
use crate::meetings::{line, plan, plan_body, tick};
use serde_json::json;
use shared::api::meetings::{AttendanceSheet, MeetingStats, MeetingView};
use shared::api::members::MemberView;
use shared::api::removals::{CandidateAction, CandidateStatus, RemovalCandidateView};
use shared::api::Page;
use shared::ids::MemberId;
use shared::{ConflictCode, ErrorCode};

async fn candidates(app: &TestApp, by: &Session, query: &str) -> Page<RemovalCandidateView> {
    let res = app.get(&format!("/api/v1/removal-candidates?{query}"), Some(&by.token)).await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    res.json()
}

async fn act(
    app: &TestApp,
    by: &Session,
    c: &RemovalCandidateView,
    action: &str,
    reason: Option<&str>,
) -> crate::helpers::Resp {
    let path = format!("/api/v1/removal-candidates/{}/transitions", c.id);
    app.post_versioned(&path, &by.token, c.version, json!({"action": action, "reason": reason})).await
}

/// Last year: its removal list is whole.
fn last_year() -> i32 {
    chrono::Datelike::year(&chrono::Local::now()) - 1
}

/// Four monthly meetings held last year from February: `absent` members miss the first three.
async fn four_months(
    app: &TestApp,
    by: &Session,
    branch: shared::ids::OrgUnitId,
    everyone: &[MemberId],
    absent: &[MemberId],
) -> Vec<MeetingView> {
    let mut body = plan_body(branch, &format!("{}-02-10T19:30", last_year()));
    body["repeat_months"] = json!(4);
    let series = plan(app, by, body).await;
    for (n, m) in series.iter().enumerate() {
        let lines: Vec<_> = everyone
            .iter()
            .map(|id| line(*id, if n < 3 && absent.contains(id) { "absent" } else { "present" }, None))
            .collect();
        let res = tick(app, by, m, m.version, json!(lines)).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
    }
    series
}

api_tests! {
    async fn three_months_missed_make_a_candidate_a_cadre_removes_or_dismisses(app) {
        let t = app.tree().await;
        let add = |name: &'static str, id: &'static str| app.add_member(&t.cadre, member_record(t.branch, name, id));
        let (a, b, c): (MemberView, MemberView, MemberView) =
            (add("Trần Văn Bình", "056206012347").await, add("Đặng Văn Ánh", "056206012348").await, add("Phạm Văn Cường", "056206012349").await);
        let series = four_months(&app, &t.cadre, t.branch, &[a.id, b.id, c.id], &[a.id, b.id]).await;
        let year = last_year();
        let list = candidates(&app, &t.cadre, &format!("unit_id={}&year={year}", t.commune)).await;
        let names: Vec<&str> = list.items.iter().map(|c| c.full_name.as_str()).collect();
        assert_eq!(names, ["Đặng Văn Ánh", "Trần Văn Bình"], "by name; the member who came is not listed");
        let first = &list.items[0];
        assert_eq!(first.attendance_months.len(), 3);
        assert_eq!((first.status, first.allowed_actions.clone()), (CandidateStatus::Open, vec![CandidateAction::Remove, CandidateAction::Dismiss]));
        let s: MeetingStats = app.get(&format!("/api/v1/meetings/stats?unit_id={}&month={year}-01", t.province), Some(&t.leader.token)).await.json();
        assert_eq!(s.removal_candidates, 2, "the province counts its open candidates");

        // Refusals.
        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        assert_eq!(app.get(&format!("/api/v1/removal-candidates?unit_id={}", t.branch), Some(&school_cadre.token)).await.status, 404);
        assert_eq!(act(&app, &school_cadre, first, "dismiss", Some("x")).await.status, 404, "another subtree's candidate");
        assert_eq!(act(&app, &t.cadre, first, "dismiss", None).await.error_fields(), ["reason"]);
        let stale = RemovalCandidateView { version: first.version + 1, ..first.clone() };
        assert_eq!(act(&app, &t.cadre, &stale, "remove", None).await.status, 412);
        let path = format!("/api/v1/removal-candidates/{}/transitions", first.id);
        assert_eq!(app.post(&path, Some(&t.cadre.token), json!({"action": "remove"})).await.status, 428);

        // Ánh attended after all (a correction of the first meeting): too few months to remove.
        let m: MeetingView = app.get(&format!("/api/v1/meetings/{}", series[0].id), Some(&t.cadre.token)).await.json();
        let res = tick(&app, &t.cadre, &m, m.version, json!([line(b.id, "present", None)])).await;
        assert_eq!(res.json::<AttendanceSheet>().meeting.present, 2);
        let res = act(&app, &t.cadre, first, "remove", None).await;
        assert_eq!((res.status, res.problem().reason), (409, Some(ConflictCode::CandidateSettled)), "{:#}", res.body);

        // Bình is removed: the member's own transition, the months as its reason.
        let binh = candidates(&app, &t.cadre, &format!("unit_id={}&year={year}", t.branch)).await.items.remove(0);
        assert_eq!(binh.full_name, "Trần Văn Bình");
        let res = act(&app, &t.cadre, &binh, "remove", Some("Chi đoàn họp ngày 20/11")).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let done: RemovalCandidateView = res.json();
        assert_eq!(done.status, CandidateStatus::Removed);
        assert!(done.reason.as_deref().unwrap_or_default().contains(&binh.attendance_months[0]), "{:?}", done.reason);
        let member: MemberView = app.get(&format!("/api/v1/members/{}", a.id), Some(&t.cadre.token)).await.json();
        assert_eq!(member.status.as_str(), "removed");
        assert_eq!(act(&app, &t.cadre, &done, "dismiss", Some("x")).await.problem().code(), Some(ErrorCode::InvalidState), "decided once");
        let open = candidates(&app, &t.cadre, &format!("unit_id={}&year={year}&status=open", t.branch)).await;
        assert_eq!(open.total, 0, "the settled one left the list, the removed one is decided");
        let removed = candidates(&app, &t.cadre, &format!("unit_id={}&year={year}&status=removed", t.branch)).await;
        assert_eq!(removed.items.iter().map(|c| c.member_id).collect::<Vec<_>>(), [a.id]);
        assert_eq!(app.get(&format!("/api/v1/removal-candidates?unit_id={}&status=gone", t.branch), Some(&t.cadre.token)).await.error_fields(), ["status"]);
    }

    async fn a_cadre_does_not_decide_their_own_candidacy(app) {
        let t = app.tree().await;
        let secretary = app.user("Nguyễn Thị Thanh").await;
        app.grant(&t.admin, secretary.user_id, t.branch, "cadre").await;
        let own = app.add_linked_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Thanh", "056206012351"), &secretary).await;
        let series = four_months(&app, &t.cadre, t.branch, &[own.id], &[own.id]).await;
        let year = last_year();
        assert_eq!(series.len(), 4);
        let mine = candidates(&app, &secretary, &format!("unit_id={}&year={year}", t.branch)).await.items.remove(0);
        assert!(mine.allowed_actions.is_empty(), "nothing offered on one's own case");
        let res = act(&app, &secretary, &mine, "dismiss", Some("Tôi có đi")).await;
        assert_eq!((res.status, res.problem().code()), (403, Some(ErrorCode::OwnCase)));
        assert_eq!(act(&app, &t.cadre, &mine, "dismiss", Some("Đi làm xa, đã báo chi đoàn")).await.status, 200, "another cadre decides");
    }
}
