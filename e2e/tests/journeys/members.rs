//! The member registry on a phone: search, the member book, correcting contact details.

use crate::harness::{Journey, DEMO_PASSWORD};

#[tokio::test(flavor = "multi_thread")]
async fn a_cadre_corrects_a_phone_and_starts_a_transfer_that_the_receiving_cadre_accepts() {
    let j = Journey::start().await;
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-cadre").await;
    j.tap_css("[data-test='my-roles'] a").await;
    j.see("unit-name", "Đoàn phường Nha Trang").await;
    j.click("unit-members").await;
    j.see("member-total", "24").await;
    // Twenty a page: the rest are one tap away.
    j.see("page-position", "1 / 2").await;
    j.count_becomes("member-item", 20).await;
    j.see("page-next", "Trang sau").await;
    j.assert_phone_friendly("the member list").await;
    j.click("page-next").await;
    j.see("page-position", "2 / 2").await;
    j.count_becomes("member-item", 4).await;
    j.click("page-previous").await;
    j.see("page-position", "1 / 2").await;

    // Found without diacritics.
    j.fill("member-search", "nguyen van duc").await;
    j.see("member-total", "1 ").await;
    j.see("member-list", "Nguyễn Văn Đức").await;

    // A member without a phone gets one, and moves to a school; not the secretary himself, who
    // may not release his own transfer.
    j.fill("member-search", "bui van hung").await;
    j.see("member-total", "1 ").await;
    j.see("member-list", "Bùi Văn Hùng").await;
    j.click("member-item").await;
    j.see("member-name", "Bùi Văn Hùng").await;
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

    // The ward releases the member to a school in the province…
    j.click("start-transfer").await;
    j.fill("unit-search", "le quy don").await;
    j.see("unit-results", "Đoàn trường THPT chuyên Lê Quý Đôn").await;
    j.click("unit-result").await;
    j.see("chosen-unit", "Lê Quý Đôn").await;
    j.fill("transfer_note", "Về làm giáo viên tại trường").await;
    j.click("send-transfer").await;
    j.see("transfer-status", "Chờ đơn vị đi giải quyết").await;
    j.click("transfer-release").await;
    j.fill("release_comment", "Hoàn thành tốt nhiệm vụ").await;
    j.click("confirm-transfer-step").await;
    j.see("transfer-status", "Đang chuyển").await;
    j.click("logout").await;

    // …and the school's secretary receives him into a branch from the inbox.
    j.sign_in("canbo.truong@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-cadre").await;
    j.see("transfer-alert", "1 hồ sơ chuyển sinh hoạt chờ bạn giải quyết").await;
    j.tap_css("[data-test='transfer-alert'] a").await;
    j.see("transfer-list", "Bùi Văn Hùng").await;
    j.see("tab-incoming-count", "1").await;
    // Before accepting, the school may not read his member book: no link into a dead end.
    let links = j.js("return document.querySelectorAll('[data-test=transfer-list] .item-title a').length").await;
    assert_eq!(links, 0, "an incoming member's name links to a page the school may not read");
    j.open(&format!("/doan-vien/{}", 999_999)).await;
    j.click("error-home").await;
    j.el("home-cadre").await;
    j.tap_css("[data-test='transfer-alert'] a").await;
    j.click("transfer-accept").await;
    j.select_text("place-branch", "Chi đoàn Giáo viên").await;
    j.click("confirm-transfer-step").await;
    j.see("transfers-page", "Không có hồ sơ nào đang chuyển").await;
    j.open("/").await;
    j.tap_css("[data-test='my-roles'] a").await;
    j.click("unit-members").await;
    j.fill("member-search", "bui van hung").await;
    j.see("member-list", "Chi đoàn Giáo viên").await;
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

    let remove = j.el("action-remove").await;
    assert!(remove.attr("class").await.unwrap().unwrap_or_default().contains("danger"), "removal looks harmless");
    j.tap(remove).await;
    j.click("confirm-transition").await;
    j.see("transition_reason-error", "bắt buộc").await;
    j.fill("transition_reason", "Không sinh hoạt 3 tháng liên tục").await;
    j.click("confirm-transition").await;
    j.see("confirm-box", "Lê Thị Hồng Nhung").await;
    j.click("confirm-no").await;
    j.see("member-status", "Đang sinh hoạt").await;
    j.click("confirm-transition").await;
    j.click("confirm-yes").await;
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
    j.see("new-member-branch", "Chi đoàn Tổ dân phố 2 · Đoàn phường Nha Trang").await;

    j.click("member-submit").await;
    j.see("full_name-error", "bắt buộc").await;
    j.see("joined_on-error", "bắt buộc").await;
    j.see("gender-error", "bắt buộc").await; // no default sex
    j.see("form-error", "Ngày vào Đoàn").await;
    j.select("gender", "female").await;

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

#[tokio::test(flavor = "multi_thread")]
async fn a_cadre_imports_a_file_with_two_bad_rows_and_reads_the_row_report() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("danh-sach.csv");
    std::fs::write(
        &file,
        "Họ và tên,Ngày sinh,Giới tính,Số CCCD,Số điện thoại,Chi đoàn,Ngày vào Đoàn\n\
         Trần Văn An,12/03/2005,Nam,,0901234567,Chi đoàn Tổ dân phố 2,26/03/2021\n\
         Lê Thị Bình,01/01/2004,Nữ,,0912345670,Chi đoàn Tổ dân phố 2,26/03/2020\n\
         Phạm Quốc Cường,15/08/2006,Nam,12345,0987000111,Chi đoàn Tổ dân phố 2,26/03/2022\n\
         Đỗ Thu Dung,,Nữ,,0934000222,Chi đoàn Tổ dân phố 2,26/03/2022\n\
         Hoàng Minh Em,20/10/2005,Nam,,0945000333,Chi đoàn Tổ dân phố 2,26/03/2021\n",
    )
    .unwrap();
    let j = Journey::start().await;
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.tap_css("[data-test='my-roles'] a").await;
    j.see("unit-name", "Đoàn phường Nha Trang").await;
    j.click("unit-import").await;
    j.click("start-import").await;
    j.see("import-error", "Hãy chọn một tệp").await;
    j.el("import-file").await.send_keys(&file.display().to_string()).await.unwrap();
    j.click("start-import").await;

    j.see("import-status", "Đã xong").await;
    j.see("import-counts", "Số dòng").await;
    j.see("import-counts", "Dòng có lỗi").await;
    j.see("imported-rows", "3").await;
    j.see("error-rows", "2").await;
    j.count_becomes("report-row", 2).await;
    j.see("row-report", "4").await;
    j.see("row-report", "Số CCCD").await;
    j.see("row-report", "Ngày sinh").await;
    j.reload().await;
    j.see("error-rows", "2").await;

    j.open("/").await;
    j.tap_css("[data-test='my-roles'] a").await;
    j.click("unit-members").await;
    j.fill("member-search", "hoang minh em").await;
    j.see("member-list", "Chi đoàn Tổ dân phố 2").await;
    j.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cadre_finds_incomplete_records_and_merges_a_duplicate_into_the_full_one() {
    let j = Journey::start().await;
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.tap_css("[data-test='my-roles'] a").await;
    j.click("unit-members").await;
    j.see("member-total", "24").await;
    j.click("filter-turning30").await;
    j.see("member-list", "Lý Thị Thu").await;
    j.click("filter-turning30").await;
    j.click("filter-incomplete").await;
    j.see("member-list", "Bùi Văn Hùng").await;
    j.see("member-list", "Đặng Thị Lan").await;
    j.click("filter-incomplete").await;

    // Two records of Đặng Thị Lan: an old one with a 9-digit CMND, a new one with the CCCD.
    j.fill("member-search", "dang thi lan").await;
    j.see("member-total", "2 ").await;
    let full = j
        .browser
        .find(fantoccini::Locator::XPath("//a[@data-test='member-item'][.//span[contains(., 'Tổ dân phố 2')]]"))
        .await
        .unwrap();
    j.tap(full).await;
    j.see("member-name", "Đặng Thị Lan").await;
    j.click("open-merge").await;
    j.fill("duplicate-search", "dang thi lan").await;
    j.see("duplicate-results", "Tổ dân phố 1").await;
    j.click("duplicate-result").await;
    j.click("confirm-merge").await;
    j.see("placements", "Chi đoàn Tổ dân phố 1").await;
    j.see("placements", "Chi đoàn Tổ dân phố 2").await;

    j.open("/").await;
    j.tap_css("[data-test='my-roles'] a").await;
    j.click("unit-members").await;
    j.fill("member-search", "dang thi lan").await;
    j.see("member-total", "1 ").await;
    j.close().await;
}
