//! Dues on a phone: the ward's secretary opens the dues of Chi đoàn Tổ dân phố 1, sees who has
//! paid this month, ticks two members and records the month's collection in one step, and sees
//! the month's totals move, and makes a member's rate the salaried one in her member book; the
//! demo member then finds what she paid in her member book.

use crate::harness::{Journey, DEMO_PASSWORD};

/// The `data-test` of the tick of the unpaid member named `name`.
async fn tick_of(j: &Journey, name: &str) -> String {
    let script = format!(
        "return [...document.querySelectorAll(\"[data-test='dues-unpaid-member']\")]
           .find(e => e.textContent.includes('{name}')).querySelector('input').dataset.test"
    );
    j.js(&script).await.as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_branch_secretary_records_the_months_dues_and_a_member_sees_what_she_paid() {
    let j = Journey::start().await;

    j.sign_in("canbo@sodoan.test", DEMO_PASSWORD).await;
    j.el("home-cadre").await;
    j.click("dues").await;
    j.see("dues-unit", "Đoàn phường Nha Trang").await;
    j.el("dues-totals").await; // the ward's figures; its branches collect
    let branch = j
        .js("return [...document.querySelectorAll(\"[data-test='dues-units'] a\")]
               .find(a => a.textContent.includes('Tổ dân phố 1')).getAttribute('href')")
        .await;
    j.open(branch.as_str().unwrap()).await;
    j.see("dues-unit", "Chi đoàn Tổ dân phố 1").await;
    j.see("dues-paid-count", "Đã đóng: 0").await; // this month is not collected yet
    j.see("dues-form", "Lý Thị Châu").await;
    j.assert_phone_friendly("the branch's dues").await;

    j.click("dues-submit").await;
    j.see("dues-error", "Chọn ít nhất một đoàn viên").await;
    let (nhung, duc) = (tick_of(&j, "Lê Thị Hồng Nhung").await, tick_of(&j, "Nguyễn Văn Đức").await);
    j.click(&nhung).await;
    j.click(&duc).await;
    j.click("dues-submit").await;
    j.see("notice", "2 đoàn viên đã được ghi thu").await;
    j.see("dues-paid", "Lê Thị Hồng Nhung").await;
    j.see("dues-paid-count", "Đã đóng: 2").await;
    j.see("dues-months", "2/9").await; // this month's line of the year's totals
    j.see("dues-months", "2.400 đ").await; // of 4,000 collected, 60 % kept by the branch
    j.assert_phone_friendly("the branch's dues after the collection").await;

    // Which rate applies is on the member's record: the secretary changes it in her member book.
    let book = j
        .js("return [...document.querySelectorAll(\"[data-test='dues-paid-member'] a\")]
               .find(a => a.textContent.includes('Lê Thị Hồng Nhung')).getAttribute('href')")
        .await;
    j.open(book.as_str().unwrap()).await;
    j.see("dues-card", "Đoàn phí").await;
    j.select("member-dues-class", "salaried").await;
    j.click("save-dues-class").await;
    // Saved: the record read again says so (the book re-renders with the answer).
    let mut stored = None;
    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        j.reload().await;
        stored = j.el("member-dues-class").await.prop("value").await.unwrap();
        if stored.as_deref() == Some("salaried") {
            break;
        }
    }
    assert_eq!(stored.as_deref(), Some("salaried"), "the member's dues rate is saved");
    j.assert_phone_friendly("the member book's dues").await;
    j.click("logout").await;

    // The member reads her year in her member book.
    j.sign_in("doanvien@sodoan.test", DEMO_PASSWORD).await;
    j.click("my-member-book").await;
    j.see("dues-card", "Đoàn phí").await;
    j.see("dues-owed", "Đã đóng đủ đoàn phí").await;
    j.see("dues-paid-total", ".000 đ").await;
    j.see("dues-member-months", "Đã đóng").await;
    j.count_becomes("dues-month-unpaid", 0).await;
    j.assert_phone_friendly("the member's dues").await;
    j.close().await;
}
