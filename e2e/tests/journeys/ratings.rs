//! The annual rating on a phone: the demo member assesses herself HTXSNV; the branch secretary
//! proposes the branch's list after its meeting (a second HTXSNV flagged for low participation,
//! the rest HTTNV in one step); the ward's secretary confirms under a decision and is warned of
//! the quota; the member reads the result in her member book; the ward brings an earlier year
//! from its old sheet; a leader opens the province's
//! distribution, drills down to a branch and finds the members not rated yet.

use crate::harness::{Journey, DEMO_PASSWORD};
use chrono::Datelike;

/// The `data-test` of the level picker on the proposal line of `name`.
async fn proposal_level(j: &Journey, name: &str) -> String {
    let script = format!(
        "return [...document.querySelectorAll(\"[data-test='proposal-line']\")].find(e => e.textContent.includes('{name}')).querySelector('select').dataset.test"
    );
    j.js(&script).await.as_str().unwrap_or_else(|| panic!("{name} is on the branch's list")).to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_self_assesses_the_branch_proposes_the_ward_confirms_and_a_leader_drills_down() {
    let year = chrono::Local::now().year();
    let j = Journey::start().await;

    // The member assesses herself from the home page's prompt.
    j.sign_in("doanvien@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-member").await;
    j.see("rating-prompt", &format!("Tự đánh giá, xếp loại năm {year}")).await;
    j.click("to-rating").await;
    j.see("rating-name", "Lê Thị Hồng Nhung").await;
    j.click("submit-self_assess").await;
    j.see("step-error", "Mức xếp loại").await; // a level is required
    j.select("level-self_assess", "excellent").await;
    j.fill("self-text", "Tham gia đầy đủ sinh hoạt, hoàn thành các công trình thanh niên của chi đoàn").await;
    j.click("submit-self_assess").await;
    j.see("notice", "đã lưu").await;
    j.see("self-level", "Hoàn thành xuất sắc nhiệm vụ").await;
    j.assert_phone_friendly("the member's self-assessment").await;
    j.click("logout").await;

    // The branch secretary proposes the whole list after the meeting.
    j.sign_in("bithu@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-cadre").await;
    j.click("ratings").await;
    j.see("rating-period-card", &format!("{year} · Đoàn phường Nha Trang")).await;
    j.see("proposal-list", "Lê Thị Hồng Nhung").await;
    j.see("proposal-list", "Tự đánh giá: HTXSNV").await;
    let nhung = proposal_level(&j, "Lê Thị Hồng Nhung").await;
    assert_eq!(
        j.js(&format!("return document.querySelector(\"[data-test='{nhung}']\").value")).await,
        "excellent",
        "prefilled with her own level"
    );
    // Her HTXSNV lacks a programme result: flagged on her line and in the list.
    j.count_becomes("excellent-flag", 2).await;
    let vy = proposal_level(&j, "Vũ Khánh Vy").await;
    j.select(&vy, "excellent").await; // present at 7 of 11 meetings
    j.count_becomes("excellent-flag", 3).await;
    j.select("proposal-rest", "good").await;
    j.assert_phone_friendly("the branch's proposals").await;
    j.click("proposal-submit").await;
    j.see("notice", "7 đoàn viên đã được đề xuất").await;
    j.see("ratings", "Chi đoàn đã đề xuất: HTTNV").await;
    j.click("logout").await;

    // The ward's secretary confirms the branch's list and is warned: two HTXSNV of six.
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-cadre").await;
    j.click("ratings").await;
    j.see("confirmation-list", "Vũ Khánh Vy").await;
    j.count_becomes("confirmation-line", 6).await; // his own rating is not his to confirm
    j.see("quota-warning", "Vượt tỷ lệ HTXSNV: 2 HTXSNV / 6 ≥ HTTNV > 20% = 1").await;
    j.click("confirmation-submit").await;
    j.see("confirmation-error", "Số quyết định").await;
    j.fill("confirm_decision_no", "30/QĐ-ĐTN").await;
    j.click("confirmation-submit").await;
    j.see("notice", "6 đoàn viên đã được công nhận").await;
    j.see("notice", "Vượt tỷ lệ HTXSNV").await;
    j.see("period-tally", "6 / 21").await;
    j.assert_phone_friendly("the ward's confirmation").await;
    j.click("logout").await;

    // The member reads the result in her member book, beside last year's.
    j.sign_in("doanvien@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-member").await;
    j.click("my-member-book").await;
    j.see("rating-years", &format!("{year} · Hoàn thành xuất sắc nhiệm vụ (HTXSNV)")).await;
    j.see("rating-years", "30/QĐ-ĐTN").await;
    j.see("rating-years", &format!("{}", year - 1)).await;
    let book = j.path().await;
    let national_id = j
        .js("return [...document.querySelectorAll('.kv')].find(e => e.querySelector('dt').textContent.includes('CCCD')).querySelector('dd').textContent")
        .await;
    let national_id = national_id.as_str().expect("her CCCD in the member book").to_owned();
    j.click("logout").await;

    // The ward brings an earlier year from its old sheet: the label as written, a bad row reported.
    let dir = tempfile::tempdir().unwrap();
    let sheet = dir.path().join("xep-loai-cu.csv");
    std::fs::write(
        &sheet,
        format!("Họ và tên,Số CCCD,Năm,Xếp loại,Số quyết định\nLê Thị Hồng Nhung,{national_id},2023,Xuất sắc,18/QĐ-ĐTN\nLê Thị Hồng Nhung,{national_id},2022,Giỏi,\n"),
    )
    .unwrap();
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-cadre").await;
    j.click("ratings").await;
    j.tap_css("[data-test='rating-history'] summary").await;
    j.see("rating-history", "Năm, Xếp loại").await;
    j.el("rating-history-file").await.send_keys(&sheet.display().to_string()).await.unwrap();
    j.click("rating-history-submit").await;
    j.see("import-status", "Đã xong").await;
    j.see("imported-rows", "1").await;
    j.see("row-report", "Xếp loại").await;
    j.open(&book).await;
    j.see("rating-years", "2023 · Xuất sắc").await;
    j.click("logout").await;

    // A leader reads the province, drills down to a branch and finds who is not rated yet.
    j.sign_in("lanhdao@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-leader").await;
    j.click("home-rating-stats").await;
    j.see("stats-unit", "Tỉnh đoàn Khánh Hòa").await;
    j.see("confirmed-tally", "6 / 21").await;
    j.see("level-distribution", "Hoàn thành xuất sắc nhiệm vụ").await;
    j.assert_phone_friendly("the province's ratings").await;
    let ward = j
        .browser
        .find(fantoccini::Locator::XPath("//a[@data-test='unit-below'][.//span[contains(., 'Đoàn phường Nha Trang')]]"))
        .await
        .unwrap();
    j.tap(ward).await;
    j.see("stats-unit", "Đoàn phường Nha Trang").await;
    let branch = j
        .browser
        .wait()
        .for_element(fantoccini::Locator::XPath("//a[@data-test='unit-below'][.//span[contains(., 'Tổ dân phố 2')]]"))
        .await
        .unwrap();
    j.tap(branch).await;
    j.see("stats-unit", "Chi đoàn Tổ dân phố 2").await;
    j.see("pending-ratings", "Chưa tự đánh giá").await;
    j.see("unit-ratings", "Chi đoàn Tổ dân phố 2").await;
    j.close().await;
}
