//! Browsing the organisation tree and acting on it from a phone.

use crate::harness::{Journey, DEMO_PASSWORD};

#[tokio::test(flavor = "multi_thread")]
async fn a_cadre_browses_to_their_unit_adds_a_branch_and_drills_into_it() {
    let j = Journey::start().await;
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-cadre").await;
    j.see("my-roles", "Đoàn phường Nha Trang").await;
    // The tree opens at the cadre's own unit, with the way up above it.
    j.click("browse-units").await;
    j.see("unit-name", "Đoàn phường Nha Trang").await;
    j.see("breadcrumbs", "Tỉnh đoàn Khánh Hòa").await;
    j.assert_phone_friendly("a unit page").await;
    j.open("/").await;
    j.tap_css("[data-test='my-roles'] a").await;
    j.see("unit-name", "Đoàn phường Nha Trang").await;
    j.see("breadcrumbs", "Tỉnh đoàn Khánh Hòa").await;
    j.see("committee", "Nguyễn Văn Đức").await;
    j.see("committee", "Bí thư").await;
    j.count_becomes("unit-item", 3).await;

    j.click("add-unit-submit").await;
    j.see("unit_name-error", "bắt buộc").await;
    j.fill("unit_name", "Chi đoàn Tổ dân phố 4").await;
    j.select("unit_kind", "branch").await;
    j.click("add-unit-submit").await;
    j.see("notice", "Đã tạo").await;
    j.count_becomes("unit-item", 4).await;
    j.see("unit-list", "Chi đoàn Tổ dân phố 4").await;

    let new_branch = j
        .browser
        .find(fantoccini::Locator::XPath("//a[@data-test='unit-item'][.//span[text()='Chi đoàn Tổ dân phố 4']]"))
        .await
        .unwrap();
    j.tap(new_branch).await;
    j.see("unit-name", "Chi đoàn Tổ dân phố 4").await;
    j.see("breadcrumbs", "Đoàn phường Nha Trang").await;
    j.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_leader_grants_a_cadre_role_and_the_new_cadre_sees_the_cadre_home() {
    let j = Journey::start().await;
    j.sign_in("lanhdao@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-leader").await;
    j.tap_css("[data-test='my-roles'] a").await;
    j.see("unit-name", "Tỉnh đoàn Khánh Hòa").await;
    j.el("roles-panel").await;
    // A leader is offered up to leader, never admin.
    let options = j.el("grant_role").await.text().await.unwrap();
    assert!(!options.contains("Quản trị"), "{options}");

    j.fill("grant_login", "khong-ton-tai@sodoan.test").await;
    j.click("grant-submit").await;
    j.see("grant_login-error", "Không tồn tại").await;

    j.fill("grant_login", "thanhnien@sodoan.test").await;
    j.select("grant_role", "cadre").await;
    j.fill("grant_title", "Ủy viên BCH").await;
    j.click("grant-submit").await;
    j.see("role-list", "Phạm Minh Khôi").await;

    // The grant is in the province's change log, with who made it.
    j.open("/").await;
    j.click("audit-trail").await;
    j.see("audit-list", "Phân quyền · tạo mới").await;
    j.see("audit-entry", "Trần Thị Mai").await;
    j.see("audit-entry", "số thứ tự").await; // its place in the chain
    j.tap_css("[data-test='audit-open']").await;
    j.see("audit-entry", "cadre").await;
    j.assert_phone_friendly("the change log").await;

    j.click("logout").await;
    j.sign_in("thanhnien@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-cadre").await;
    j.see("my-roles", "Ủy viên BCH").await;
    j.close().await;
}
