//! The Member Training programme on a phone: the demo member follows the home prompt, picks two
//! optional items, writes a commitment, registers, records progress with a photo and sees the bar move, and
//! assesses themselves; the ward's secretary sees the registrations and evaluates the member,
//! who then sees the branch's evaluation; the secretary registers the rest of the ward in one
//! step and evaluates the list under one decision; a leader sees the province's share.

use crate::harness::{Journey, DEMO_PASSWORD};

#[tokio::test(flavor = "multi_thread")]
async fn a_member_registers_for_the_training_programme_records_progress_and_is_evaluated_by_the_branch() {
    let j = Journey::start().await;

    j.sign_in("doanvien@sodoan.test", DEMO_PASSWORD).await;
    j.see("training-prompt", "đăng ký ngay").await;
    j.click("to-training").await;
    j.see("programme-title", "Chương trình Rèn luyện đoàn viên năm").await;
    j.see("register-form", "Bắt buộc").await; // required items are shown as such
    j.click("register-submit").await;
    j.see("optional-error", "Quá ngắn").await; // fewer optional items than the minimum
    j.assert_phone_friendly("the registration form").await;
    j.tap_css("fieldset[data-test='heading']:nth-of-type(1) input[type=checkbox]").await;
    j.tap_css("fieldset[data-test='heading']:nth-of-type(2) input[type=checkbox]").await;
    j.fill("commitment-0", "Học đủ 6 bài lý luận chính trị, đọc 2 cuốn sách về Bác.").await;
    j.click("register-submit").await;
    j.see("overall-percent", "0%").await;
    j.see("my-progress", "0/6 bài học").await;
    j.see("registration-state", "Đã đăng ký").await;

    // Progress with a photo as evidence: the bar moves and the entry names the photo.
    let photo = std::env::temp_dir().join(format!("hoc-ly-luan-{}.jpg", std::process::id()));
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9];
    std::fs::write(&photo, jpeg).unwrap();
    j.fill("progress_count", "3").await;
    j.el("evidence-file").await.send_keys(&photo.display().to_string()).await.unwrap();
    j.click("progress-submit").await;
    j.see("my-progress", "3/6 bài học").await; // the bar moves
    j.see("progress-entries", "hoc-ly-luan-").await;
    std::fs::remove_file(&photo).ok();
    j.assert_phone_friendly("the member's progress").await;
    j.select("self-result", "excellent").await;
    j.fill("self-text", "Em đã tham gia đầy đủ các buổi sinh hoạt.").await;
    j.click("self-assess-submit").await;
    j.see("registration-state", "Đã tự đánh giá").await;
    j.see("self-result", "Hoàn thành xuất sắc").await;
    j.click("logout").await;

    // The ward's secretary sees the figures and the registrations, and evaluates the member.
    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-cadre").await;
    j.click("programmes").await;
    j.see("registered-figure", " / ").await;
    j.see("registrations", "Lê Thị Hồng Nhung").await;
    let button = j
        .js("return [...document.querySelectorAll(\"[data-test='registration-row']\")]
               .find(e => e.textContent.includes('Lê Thị Hồng Nhung')).querySelector('button').dataset.test")
        .await;
    let button = button.as_str().unwrap().to_owned();
    let id = button.trim_start_matches("evaluate-").to_owned();
    j.click(&button).await;
    j.select(&format!("result-{id}"), "good").await;
    j.fill("evaluation_comment", "Cần tham gia tình nguyện nhiều hơn").await;
    j.click("evaluate-submit").await;
    j.see("notice", "Đã ghi kết quả đánh giá").await;
    j.click("open-publish").await;
    assert_eq!(
        j.el("heading-0").await.prop("value").await.unwrap().as_deref(),
        Some("Rèn luyện lý tưởng cách mạng và nâng cao nhận thức chính trị"),
        "the five standard headings are prefilled"
    );
    j.assert_phone_friendly("the cadre's programme page").await;

    // The rest of the ward in one step, then the list evaluated under one decision.
    j.el("unregistered-count").await;
    j.click("register-all").await;
    j.see("confirm-box", "các nội dung bắt buộc").await;
    j.click("confirm-yes").await;
    j.see("notice", "vừa được đăng ký").await;
    j.el("all-registered").await;
    j.tap_css("[data-test='progress-grid'] summary").await;
    j.see("progress-grid", "3/6").await; // the member's line of the member × item grid
    j.tap_css("[data-test='evaluate-list'] summary").await;
    j.select("evaluate-all", "fulfilled").await;
    j.click("evaluate-list-submit").await;
    j.see("notice", "đã được đánh giá").await;
    j.click("logout").await;

    // A leader sees the province's registered share and the units below 100%.
    j.sign_in("lanhdao@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-leader").await;
    j.see("unregistered-alert", "chưa đăng ký").await;
    j.click("programmes").await;
    j.see("programme-stats", "%").await;
    j.el("unit-below").await;
    j.click("logout").await;

    j.sign_in("doanvien@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-member").await;
    j.open("/ren-luyen").await;
    j.see("evaluation-result", "Hoàn thành tốt").await;
    j.open("/").await;
    j.click("my-member-book").await;
    j.see("programme-years", "Hoàn thành tốt").await; // the year's result in the member book
    j.close().await;
}
