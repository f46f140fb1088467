//! Branch life on a phone: the ward's secretary plans a branch's year of monthly meetings, ticks
//! the sheet of one held yesterday (one member excused with a reason) and shows the check-in
//! code; the demo member checks in by QR and sees their participation in the member book; the
//! secretary removes one candidate of the removal list and keeps another; a leader sees the
//! branches that did not meet last month.

use crate::harness::{Journey, DEMO_PASSWORD};
use chrono::Datelike;

#[tokio::test(flavor = "multi_thread")]
async fn a_secretary_runs_a_branch_meeting_a_member_checks_in_and_a_leader_sees_who_did_not_meet() {
    let j = Journey::start().await;
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-cadre").await;
    j.see("removal-alert", "xóa tên").await; // the demo branch has candidates waiting
    j.click("meetings").await;
    j.see("meetings", "Sinh hoạt chi đoàn định kỳ").await;

    // A year of monthly meetings for the second branch, in one step.
    j.click("open-plan").await;
    j.select_text("meeting-unit", "Chi đoàn Tổ dân phố 2").await;
    j.click("plan-submit").await;
    j.see("place-error", "bắt buộc").await; // a place, or an online link
    j.fill("place", "Hội trường khu phố 2").await;
    j.click("plan-submit").await;
    j.see("notice", "12 buổi sinh hoạt đã lên lịch").await;
    j.assert_phone_friendly("the meetings page").await;

    // A meeting of the demo member's branch held yesterday, recorded on the phone.
    let yesterday =
        (chrono::Local::now().date_naive() - chrono::Duration::days(1)).format("%Y-%m-%dT18:00").to_string();
    j.click("open-plan").await;
    j.select_text("meeting-unit", "Chi đoàn Tổ dân phố 1").await;
    j.select("meeting-kind", "themed").await;
    j.set_value("starts_at", &yesterday).await;
    j.fill("meeting_title", "Sinh hoạt chủ đề: Thanh niên với chuyển đổi số").await;
    j.fill("place", "Nhà văn hóa tổ dân phố 1").await;
    j.fill("repeat_months", "1").await;
    j.click("plan-submit").await;
    j.see("notice", "1 buổi sinh hoạt đã lên lịch").await;
    j.see("meetings", "chuyển đổi số").await;
    let link = j
        .js("return [...document.querySelectorAll(\"[data-test='meeting-item']\")].find(e => e.textContent.includes('chuyển đổi số')).getAttribute('href')")
        .await;
    j.open(link.as_str().expect("the meeting is listed")).await;
    j.see("meeting-title", "chuyển đổi số").await;
    j.click("all-present").await;
    // One member excused with a reason: the last line that is not the secretary's own.
    let line = j
        .js("return [...document.querySelectorAll(\"[data-test='sheet-row'] select\")].filter(s => !s.disabled).pop().dataset.test")
        .await;
    let line = line.as_str().unwrap().to_owned();
    let member = line.trim_start_matches("line-").to_owned();
    j.select(&line, "excused").await;
    j.fill(&format!("reason-{member}"), "Ốm, có giấy của trạm y tế").await;
    j.click("save-sheet").await;
    j.see("notice", "Đã lưu điểm danh").await;
    j.see("meeting-status", "Đã tổ chức").await;
    j.assert_phone_friendly("the attendance sheet").await;
    j.click("show-qr").await;
    j.el("qr").await;
    let link = j.text("qr-link").await;
    let path = link[link.find("/sinh-hoat/").expect("a meeting check-in link")..].to_owned();
    j.click("logout").await;

    // The demo member checks in with the code (their line was left for them) and reads their participation.
    j.sign_in("doanvien@sodoan.test", DEMO_PASSWORD).await;
    j.see("upcoming-meetings", "Sinh hoạt chi đoàn định kỳ").await; // the branch's coming meetings on the home page
    j.open(&path).await;
    j.see("checkin-ok", "Lê Thị Hồng Nhung").await;
    j.open("/").await;
    j.click("my-member-book").await;
    j.see("participation-rate", "%").await;
    j.assert_phone_friendly("the member book's participation").await;
    j.click("logout").await;

    // The removal list: one removed, one kept with a reason.
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-cadre").await;
    j.click("removal-alert").await;
    j.see("candidates", "Không sinh hoạt").await;
    j.see("candidates", "Chưa đóng đoàn phí").await; // the dues register's candidate too
    let n =
        j.js("return document.querySelectorAll(\"[data-test='candidate']\").length").await.as_u64().unwrap() as usize;
    assert!(n >= 2, "the demo branch has removal candidates: {n}");
    j.tap_css("[data-test='candidate']:nth-of-type(1) [data-test='remove-candidate']").await;
    j.see("confirm-box", "Xóa tên đoàn viên này").await;
    j.click("confirm-yes").await;
    j.count_becomes("candidate", n - 1).await;
    j.click("dismiss-candidate").await;
    j.fill("dismiss-reason", "Đi làm ăn xa, đã báo cáo chi đoàn").await;
    j.click("dismiss-confirm").await;
    j.count_becomes("candidate", n - 2).await;
    j.select("removal-status", "removed").await;
    j.count_becomes("candidate", 1).await;
    j.assert_phone_friendly("the removal list").await;
    j.click("logout").await;

    // A leader sees the branches that did not meet last month.
    j.sign_in("lanhdao@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-leader").await;
    j.click("meetings").await;
    j.click("meeting-stats").await;
    let last_month = chrono::Local::now().date_naive().with_day(1).unwrap() - chrono::Duration::days(1);
    j.set_value("stats-month", &last_month.format("%Y-%m").to_string()).await;
    j.see("branches-met", " / ").await;
    j.see("missing-units", "Tổ dân phố 2").await;
    j.assert_phone_friendly("the leaders' branch life page").await;
    j.close().await;
}
