//! Registering, signing in and out, staying signed in, switching language, each role's home page.

use crate::harness::{Journey, DEMO_PASSWORD};

#[tokio::test(flavor = "multi_thread")]
async fn a_youth_registers_signs_in_stays_signed_in_after_a_reload_and_signs_out() {
    let j = Journey::start().await;
    j.open("/").await;
    j.el("home-visitor").await;
    // The app shell itself shows a loading screen while the download runs, gone once the app starts.
    let shell = j.js("return fetch('/').then(r => r.text())").await;
    assert!(shell.as_str().unwrap_or_default().contains("id=\"boot\""), "index.html has no loading screen");
    assert_eq!(j.js("return document.getElementById('boot') === null").await, true, "the loading screen stays");
    // A visitor who never signed in is not asked for a session the browser cannot have.
    assert_eq!(j.requested("/auth/refresh").await, 0, "a signed-out page load asked /auth/refresh");
    let robots = j.js("return fetch('/robots.txt').then(r => r.text())").await;
    assert!(robots.as_str().unwrap_or_default().starts_with("User-agent"), "robots.txt: {robots}");
    j.assert_phone_friendly("the landing page").await;
    j.click("to-register").await;

    // The shared validation speaks before anything is sent.
    j.click("register-submit").await;
    j.see("full_name-error", "bắt buộc").await;
    j.fill("full_name", "Nguyễn Thị Thu <b>").await;
    j.fill("login", "09123").await;
    j.click("register-submit").await;
    j.see("full_name-error", "ký tự không được phép").await;
    j.see("login-error", "Không đúng định dạng").await;

    j.fill("full_name", "Nguyễn Thị Thu Hà").await;
    j.set_value("date_of_birth", "2007-04-30").await;
    j.fill("login", "+84 912 000 111").await;
    j.fill("password", "mat-khau-an-toan").await;
    j.click("register-submit").await;
    // Registered and signed in at once, on a home page that says what is true now.
    j.el("home-applicant").await;
    j.see("user-name", "Nguyễn Thị Thu Hà").await;
    let hero = j.text("home-applicant").await;
    assert!(!hero.contains("Khi chức năng"), "the home page promises what already works: {hero}");
    j.el("to-apply").await;
    // The bar keeps the name and sign-out on one line at 360 px.
    let rows = j
        .js("const b = document.querySelector('.brand').getBoundingClientRect(); \
                     const o = document.querySelector('[data-test=logout]').getBoundingClientRect(); \
                     return Math.abs(b.top + b.height / 2 - (o.top + o.height / 2)) < 4")
        .await;
    assert_eq!(rows, true, "the app bar wraps at 360 px");
    j.click("logout").await;

    j.sign_in("0912000111", "sai-mat-khau").await;
    j.see("form-error", "Sai tên đăng nhập hoặc mật khẩu").await;
    j.fill("password", "mat-khau-an-toan").await;
    j.click("login-submit").await;
    j.el("home-applicant").await;
    j.see("user-name", "Nguyễn Thị Thu Hà").await;

    j.reload().await;
    j.el("home-applicant").await;
    j.see("user-name", "Nguyễn Thị Thu Hà").await;

    j.click("logout").await;
    j.open("/").await;
    j.el("home-visitor").await;
    j.reload().await;
    j.el("home-visitor").await;
    j.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_language_switch_changes_the_texts_and_persists() {
    let j = Journey::start().await;
    j.open("/").await;
    j.see("to-login", "Đăng nhập").await;
    assert_eq!(j.html_lang().await, "vi");
    j.click("lang-en").await;
    j.see("to-login", "Sign in").await;
    assert_eq!(j.html_lang().await, "en");
    j.reload().await;
    j.see("to-login", "Sign in").await;
    // Server messages follow the chosen language too.
    j.sign_in("canbo@sodoan.test", "wrong-password").await;
    j.see("form-error", "Wrong login or password").await;
    j.click("lang-vi").await;
    j.see("login-submit", "Đăng nhập").await;
    j.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn each_demo_role_lands_on_its_own_home_page() {
    let j = Journey::start().await;
    for (login, home) in [
        ("admin@sodoan.test", "home-admin"),
        ("lanhdao@sodoan.test", "home-leader"),
        ("canbo@sodoan.test", "home-cadre"),
        ("doanvien@sodoan.test", "home-member"),
        ("thanhnien@sodoan.test", "home-applicant"),
    ] {
        j.sign_in(login, DEMO_PASSWORD).await;
        j.el(home).await;
        j.click("logout").await;
        j.el("to-register").await;
    }
    j.close().await;
}
