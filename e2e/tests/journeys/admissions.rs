//! Admission on a phone: a youth applies, the cadre finds the case waiting.

use crate::harness::{Journey, DEMO_PASSWORD};

#[tokio::test(flavor = "multi_thread")]
async fn a_youth_applies_from_the_phone_and_the_cadre_finds_the_case_waiting() {
    let j = Journey::start().await;
    j.sign_in("thanhnien@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-applicant").await;
    j.click("to-apply").await;
    j.click("start-application").await;
    j.see("admission-state", "Bản nháp").await;
    j.fill("full_name", "Phạm Minh Khôi").await;
    j.set_value("date_of_birth", "2008-05-19").await;
    j.select("applicant-gender", "male").await;
    j.fill("phone", "0912345678").await;
    j.fill("unit-search", "to dan pho 1").await;
    j.see("unit-results", "Chi đoàn Tổ dân phố 1").await;
    j.click("unit-result").await;
    j.fill("introducer-q", "KH-2024-000777").await;
    j.click("find-introducer").await;
    j.see("introducer", "Đặng Thị Lan").await;
    j.click("submit-application").await;
    j.see("application_text-error", "bắt buộc").await;
    j.fill("application_text", "Em tự nguyện xin vào Đoàn TNCS Hồ Chí Minh.").await;
    j.click("submit-application").await;
    j.see("admission-state", "Đã nộp đơn").await;
    j.see("next-step", "lớp cảm tình Đoàn").await;
    j.see("timeline", "Đã nộp đơn").await;
    j.click("logout").await;

    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.see("admission-alert", "1 hồ sơ kết nạp").await;
    j.tap_css("[data-test='admission-alert'] a").await;
    j.see("admission-case", "Phạm Minh Khôi").await;
    j.see("case-state", "Đã nộp đơn").await;
    j.el("case-start_training").await;
    j.close().await;
}
