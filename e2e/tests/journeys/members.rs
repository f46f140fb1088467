//! The member registry on a phone: search, the member book, correcting contact details.

use crate::harness::{Journey, DEMO_PASSWORD};

#[tokio::test(flavor = "multi_thread")]
async fn a_cadre_searches_without_diacritics_opens_the_member_book_and_corrects_the_phone() {
    let j = Journey::start().await;
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-cadre").await;
    j.tap_css("[data-test='my-roles'] a").await;
    j.see("unit-name", "Đoàn phường Nha Trang").await;
    j.click("unit-members").await;
    j.see("member-total", "20").await;

    j.fill("member-search", "nguyen van duc").await;
    j.see("member-total", "1 ").await;
    j.see("member-list", "Nguyễn Văn Đức").await;
    j.click("member-item").await;
    j.see("member-name", "Nguyễn Văn Đức").await;
    j.see("member-status", "Đang sinh hoạt").await;

    j.click("edit-contact").await;
    j.fill("phone", "12345").await;
    j.click("save-contact").await;
    j.see("phone-error", "Không đúng định dạng").await;
    j.fill("phone", "+84 987 654 321").await;
    j.click("save-contact").await;
    j.see("member-phone", "0987654321").await;

    j.reload().await;
    j.see("member-phone", "0987654321").await;
    j.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_member_opens_their_own_member_book_from_home() {
    let j = Journey::start().await;
    j.sign_in("doanvien@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-member").await;
    j.click("my-member-book").await;
    j.see("member-name", "Lê Thị Hồng Nhung").await;
    j.see("contact-card", "Số điện thoại").await;
    j.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cadre_removes_a_member_with_a_reason_after_confirming() {
    let j = Journey::start().await;
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.tap_css("[data-test='my-roles'] a").await;
    j.click("unit-members").await;
    j.fill("member-search", "hong nhung").await;
    j.see("member-total", "1 ").await;
    j.click("member-item").await;
    j.see("member-name", "Lê Thị Hồng Nhung").await;
    j.see("lifecycle-card", "Chưa có thay đổi nào").await;

    j.click("action-remove").await;
    j.click("confirm-transition").await;
    j.see("transition_reason-error", "bắt buộc").await;
    j.fill("transition_reason", "Không sinh hoạt 3 tháng liên tục").await;
    j.click("confirm-transition").await;
    j.see("member-status", "Đã xóa tên").await;
    j.see("history", "Không sinh hoạt 3 tháng liên tục").await;
    j.el("action-restore").await;
    j.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cadre_adds_a_member_to_a_branch_from_the_phone() {
    let j = Journey::start().await;
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.tap_css("[data-test='my-roles'] a").await;
    j.see("unit-name", "Đoàn phường Nha Trang").await;
    let branch = j
        .browser
        .find(fantoccini::Locator::XPath("//a[@data-test='unit-item'][.//span[text()='Chi đoàn Tổ dân phố 2']]"))
        .await
        .unwrap();
    j.tap(branch).await;
    j.see("unit-name", "Chi đoàn Tổ dân phố 2").await;
    j.click("add-member").await;

    j.click("member-submit").await;
    j.see("full_name-error", "bắt buộc").await;
    j.see("joined_on-error", "bắt buộc").await;

    j.fill("full_name", "Võ Thị Ngọc Hân").await;
    j.set_value("date_of_birth", "2006-05-19").await;
    j.set_value("joined_on", "2022-03-26").await;
    j.fill("national_id", "056206012399").await;
    j.click("member-submit").await;
    j.see("national_id-error", "Không khớp").await;

    j.fill("national_id", "056306012399").await;
    j.fill("phone", "0905 123 456").await;
    j.click("member-submit").await;
    j.see("member-name", "Võ Thị Ngọc Hân").await;
    j.see("member-phone", "0905123456").await;
    j.close().await;
}
