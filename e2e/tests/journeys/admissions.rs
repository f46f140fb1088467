//! Admission on a phone, end to end: a youth applies, takes the orientation class (checking in
//! with the QR link), the branch votes, the unit above approves, the ceremony makes them a member.

use crate::harness::{Journey, DEMO_PASSWORD};

/// The demo ward's secretary opens the ward's page.
async fn to_ward(j: &Journey) {
    j.open("/").await;
    j.tap_css("[data-test='my-roles'] a").await;
    j.see("unit-name", "Đoàn phường Nha Trang").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_youth_applies_trains_checks_in_by_qr_and_is_admitted_then_signs_in_as_a_member() {
    let j = Journey::start().await;

    // The ward opens an orientation class.
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-cadre").await;
    to_ward(&j).await;
    j.click("unit-classes").await;
    j.click("open-class-form").await;
    j.fill("class_title", "Lớp cảm tình Đoàn khóa 1/2026").await;
    j.fill("session-place-0", "Hội trường phường").await;
    j.click("add-session").await;
    j.fill("session-place-1", "https://meet.example.vn/cam-tinh-doan").await;
    j.click("create-class").await;
    j.see("class-list", "Lớp cảm tình Đoàn khóa 1/2026").await;
    j.click("logout").await;

    // A youth applies and enrols.
    j.sign_in("thanhnien@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-applicant").await;
    j.click("to-apply").await;
    j.click("start-application").await;
    j.see("admission-state", "Bản nháp").await;
    // What the account already says is not asked again.
    assert_eq!(j.el("full_name").await.prop("value").await.unwrap().as_deref(), Some("Phạm Minh Khôi"));
    assert_eq!(j.el("date_of_birth").await.prop("value").await.unwrap().as_deref(), Some("2000-09-02"));
    j.set_value("date_of_birth", "2008-05-19").await;
    j.click("submit-application").await;
    j.see("gender-error", "bắt buộc").await; // no sex is chosen for the youth
    j.see("application-error", "Giới tính").await; // the summary names fields by their labels
    j.select("applicant-gender", "male").await;
    j.fill("phone", "0912345678").await;
    j.fill("unit-search", "to dan pho 1").await;
    j.see("unit-results", "Chi đoàn Tổ dân phố 1").await;
    j.see("unit-result-parent", "Đoàn phường Nha Trang").await; // which ward's branch it is
    j.click("unit-result").await;
    j.see("chosen-unit", "Đoàn phường Nha Trang").await;
    j.fill("introducer-q", "KH-2024-000777").await;
    j.click("find-introducer").await;
    j.see("introducer", "Đặng T. L.").await; // a masked name: the youth may not read her record
    j.click("submit-application").await;
    j.see("application_text-error", "bắt buộc").await;
    j.fill("application_text", "Em tự nguyện xin vào Đoàn TNCS Hồ Chí Minh.").await;
    j.click("save-draft").await;
    j.see("notice", "Đã lưu bản nháp").await;
    // Submitting cannot be undone: asked first, and "no" leaves the draft as it was.
    j.click("submit-application").await;
    j.see("confirm-box", "không sửa được").await;
    j.click("confirm-no").await;
    j.see("admission-state", "Bản nháp").await;
    j.click("submit-application").await;
    j.click("confirm-yes").await;
    j.see("admission-state", "Đã nộp đơn").await;
    j.see("notice", "Đã nộp đơn").await;
    j.see("next-step", "lớp cảm tình Đoàn").await;
    // What was sent stays readable.
    j.tap_css("[data-test='sent-form'] summary").await;
    j.see("detail-letter", "Em tự nguyện xin vào Đoàn").await;
    j.see("detail-branch", "Chi đoàn Tổ dân phố 1").await;
    j.open("/").await;
    j.see("my-application-state", "Đã nộp đơn").await;
    j.open("/lop").await;
    j.see("class-list", "Lớp cảm tình Đoàn khóa 1/2026").await;
    j.click("enroll").await;
    j.see("my-enrollment", "Đã ghi danh").await;
    j.click("logout").await;

    // The branch's cadre puts the application in training and shows the check-in QR code.
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.see("admission-alert", "1 hồ sơ kết nạp").await;
    j.tap_css("[data-test='admission-alert'] a").await;
    j.see("admission-case", "Phạm Minh Khôi").await;
    // The whole case opens from the inbox before deciding.
    j.click("case-open").await;
    j.see("case-details", "Em tự nguyện xin vào Đoàn").await;
    j.see("case-details", "19/05/2008").await;
    j.see("case-details", "Đã nộp đơn").await; // the timeline
    j.assert_phone_friendly("the admission inbox").await;
    j.click("case-start_training").await;
    j.select_text("case-class", "Lớp cảm tình Đoàn khóa 1/2026").await;
    j.click("confirm-case").await;
    j.see("admission-inbox", "Không có hồ sơ nào chờ bạn").await;
    to_ward(&j).await;
    j.click("unit-classes").await;
    j.tap_css("[data-test='class-card'] a").await;
    j.see("class-title", "Lớp cảm tình Đoàn khóa 1/2026").await;
    j.see("sessions", "meet.example.vn").await;
    // The hall is taken: the first session moves to the ward's cultural house.
    j.click("edit-class").await;
    j.fill("session-place-0", "Nhà văn hóa phường").await;
    j.click("create-class").await;
    j.see("sessions", "Nhà văn hóa phường").await;
    j.click("show-qr").await;
    j.el("qr").await;
    let link = j.text("qr-link").await;
    j.click("logout").await;

    // The youth opens the link on their phone.
    j.sign_in("thanhnien@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-applicant").await;
    let path = link
        .split_once("127.0.0.1")
        .map(|(_, rest)| rest.split_once('/').map(|(_, p)| format!("/{p}")).unwrap_or_default())
        .unwrap();
    j.open(&path).await;
    j.see("checkin-ok", "Đã điểm danh").await;
    j.open("/ket-nap").await;
    j.see("admission-state", "Đang học lớp cảm tình Đoàn").await;
    j.click("my-class-link").await;
    j.see("my-class", "1 buổi đã dự").await;
    j.click("logout").await;

    // The cadre records the result, the branch vote, the approval and the ceremony.
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-cadre").await;
    to_ward(&j).await;
    j.click("unit-classes").await;
    j.tap_css("[data-test='class-card'] a").await;
    j.see("roster", "Phạm Minh Khôi").await;
    j.el("roster-xlsx").await;
    let row = j.browser.find(fantoccini::Locator::Css("[data-test^='result-']")).await.unwrap();
    let id = row.attr("data-test").await.unwrap().unwrap().trim_start_matches("result-").to_owned();
    j.select(&format!("result-{id}"), "passed").await;
    j.select(&format!("essay-{id}"), "accepted").await;
    j.click(&format!("save-result-{id}")).await;
    j.see("roster", "-001").await; // the certificate number
    j.open("/ket-nap/hop-thu").await;
    j.see("case-state", "Đã hoàn thành lớp").await;
    j.click("case-propose").await;
    j.fill("present", "12").await;
    j.fill("votes_for", "11").await;
    j.click("confirm-case").await;
    j.see("case-state", "Chi đoàn đã đề nghị").await;
    j.click("case-approve").await;
    j.click("confirm-case").await;
    j.see("decision_no-error", "bắt buộc").await; // under its own field…
    j.see("case-error", "Số quyết định").await; // …and named by its label above
    let summary = j.text("case-error").await;
    assert!(!summary.contains("decision_no"), "internal field names shown: {summary}");
    j.fill("decision_no", "15-QĐ/ĐTN").await;
    j.fill("signer", "Nguyễn Văn Đức").await;
    j.click("confirm-case").await;
    j.see("batch-outcome", "Đã ghi nhận Chuẩn y kết nạp: Phạm Minh Khôi").await;
    j.see("inbox-group-approved", "chờ lễ kết nạp").await;
    j.see("case-state", "Đã chuẩn y").await;
    j.click("case-admit").await;
    j.fill("card_number", "KH-2026-000321").await;
    j.click("confirm-case").await;
    j.see("admission-inbox", "Không có hồ sơ nào chờ bạn").await;
    to_ward(&j).await;
    j.click("unit-members").await;
    j.fill("member-search", "pham minh khoi").await;
    j.see("member-list", "Phạm Minh Khôi").await;
    j.click("logout").await;

    // The new member signs in and reads their member book.
    j.sign_in("thanhnien@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-member").await;
    j.click("my-member-book").await;
    j.see("member-name", "Phạm Minh Khôi").await;
    j.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_school_secretary_approves_a_branch_meetings_list_at_once_and_follows_the_year_against_the_target() {
    let j = Journey::start().await;
    j.sign_in("canbo.truong@sodoan.test", DEMO_PASSWORD).await;
    j.see("admission-alert", "3 hồ sơ kết nạp").await;
    j.tap_css("[data-test='admission-alert'] a").await;
    j.see("admission-inbox", "Trương Gia Bảo").await;
    j.see("admission-case", "tuổi vào ngày họp").await;
    j.see("admission-case", "Chi đội").await; // the introducing organisation

    // One decision for two of the three; the first is left for the next meeting.
    j.tap_css("[data-test='batch-approval'] summary").await;
    j.tap_css("input[data-test^='batch-']").await;
    j.click("confirm-batch").await;
    j.see("batch_decision_no-error", "bắt buộc").await;
    j.see("batch-error", "Số quyết định").await;
    j.see("batch-error", "Người ký").await;
    j.fill("batch_decision_no", "07-QĐ/ĐTN").await;
    j.fill("batch_signer", "Võ Thị Thu Hà").await;
    j.click("confirm-batch").await;
    j.see("batch-outcome", "2 hồ sơ đã chuẩn y").await;
    j.count_becomes("case-state", 3).await;
    let states = j.browser.find_all(fantoccini::Locator::Css("[data-test='case-state']")).await.unwrap();
    let mut seen = Vec::new();
    for s in states {
        seen.push(s.text().await.unwrap());
    }
    assert_eq!(seen, ["Chi đoàn đã đề nghị", "Đã chuẩn y", "Đã chuẩn y"], "oldest first; the first was left out");

    // The school's year: two approved, one proposed, none admitted yet; the secretary sets a target.
    j.open("/").await;
    j.click("admission-stats").await;
    j.see("admission-stats", "Đoàn trường THPT chuyên Lê Quý Đôn").await;
    j.see("pipeline-approved", "2").await;
    j.see("pipeline-proposed", "1").await;
    j.see("no-target", "Chưa đặt chỉ tiêu").await;
    j.see("by-unit", "Chi đoàn 10A1").await;
    j.see("unit-target", "Chưa đặt chỉ tiêu").await; // each unit's own target, or that it has none
    let cut = j
        .js("return [...document.querySelectorAll('.bar-label')].filter(e => e.scrollWidth > e.clientWidth).length")
        .await;
    assert_eq!(cut, 0, "unit names cut short");
    j.assert_phone_friendly("the admissions figures").await;
    j.fill("target", "12").await;
    j.click("save-target").await;
    j.see("notice", "Đã lưu chỉ tiêu năm").await;
    j.see("target", "12").await;
    j.see("target-card", "0 / 12").await;
    // Last year shows what it admitted, not today's applications under way.
    j.click("previous-year").await;
    j.el("pipeline-now-only").await;
    j.count_becomes("pipeline-approved", 0).await;

    // The case left for the next meeting is turned down: the red button asks once more.
    j.open("/ket-nap/hop-thu").await;
    j.see("inbox-group-proposed", "Chờ chuẩn y").await;
    let reject = j.el("case-reject").await;
    assert!(reject.attr("class").await.unwrap().unwrap_or_default().contains("danger"), "reject looks like approve");
    let approve = j.el("case-approve").await;
    assert!(approve.attr("class").await.unwrap().unwrap_or_default().contains("primary-action"));
    j.tap(reject).await;
    j.fill("case_reason", "Chưa đủ điều kiện về độ tuổi sinh hoạt").await;
    j.click("confirm-case").await;
    j.see("confirm-box", "Không kết nạp").await;
    j.click("confirm-yes").await;
    j.see("batch-outcome", "Đã ghi nhận Không kết nạp").await;
    j.count_becomes("case-state", 2).await;
    j.close().await;
}
