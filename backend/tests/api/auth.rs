//! Accounts and sessions.

use crate::helpers::{TestApp, PASSWORD, TEST_JWT_SECRET};
use serde_json::json;
use shared::api::auth::{MeResponse, TokenResponse, UserView};
use shared::{ErrorCode, FieldErrorCode};
use sodoan::auth::TokenKeys;

fn registration(login: &str) -> serde_json::Value {
    json!({"login": login, "password": PASSWORD, "full_name": "Nguyễn Văn Đức", "date_of_birth": "2006-05-19"})
}

/// The `sodoan_device` cookie an answer sets, if any.
fn device_cookie(res: &crate::helpers::Resp) -> Option<String> {
    res.headers
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("sodoan_device="))
        .map(str::to_owned)
}

async fn median_login_ms(app: &TestApp, login: &str) -> u128 {
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = std::time::Instant::now();
        assert_eq!(app.login(login, "not the password").await.status, 401);
        times.push(t.elapsed().as_millis());
    }
    times.sort();
    times[1]
}

api_tests! {
    async fn a_youth_registers_signs_in_and_sees_themselves_without_roles(app) {
        let res = app.post("/api/v1/auth/register", None, registration("+84 912 345 678")).await;
        assert_eq!(res.status, 201);
        let user: UserView = res.json();
        assert_eq!(user.login, "0912345678", "the phone is stored in national form");
        assert_eq!(user.full_name, "Nguyễn Văn Đức");

        let res = app.login("0912345678", PASSWORD).await;
        assert_eq!(res.status, 200);
        let tokens: TokenResponse = res.json();
        assert_eq!(tokens.token_type, "Bearer");
        assert!(tokens.refresh_token.is_some(), "API clients get the refresh token in the body");
        assert_eq!(tokens.user.id, user.id);

        let me: MeResponse = app.get("/api/v1/me", Some(&tokens.access_token)).await.json();
        assert_eq!(me.user.id, user.id);
        assert!(me.roles.is_empty(), "a new account is an applicant with no role");
    }

    async fn a_registration_with_bad_fields_is_422_naming_each_field(app) {
        let res = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({"login": "0123", "password": "short", "full_name": "a".repeat(300), "date_of_birth": "2999-01-01"}),
            )
            .await;
        assert_eq!(res.error_fields(), ["login", "password", "full_name", "date_of_birth"]);
        let problem = res.problem();
        assert_eq!(problem.code(), Some(ErrorCode::ValidationFailed));
        let codes: Vec<_> = problem.errors.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            [FieldErrorCode::InvalidFormat, FieldErrorCode::TooShort, FieldErrorCode::TooLong, FieldErrorCode::InFuture]
        );

        let res = app.post("/api/v1/auth/register", None, registration("lan@@example")).await;
        assert_eq!(res.error_fields(), ["login"]);
    }

    async fn spaces_for_a_password_an_undotted_email_and_a_birth_in_1900_are_422(app) {
        let res = app
            .post(
                "/api/v1/auth/register",
                None,
                json!({"login": "a@b", "password": "          ", "full_name": "Lê Văn Tám", "date_of_birth": "1900-01-01"}),
            )
            .await;
        assert_eq!(res.error_fields(), ["login", "password", "date_of_birth"]);
        let codes: Vec<_> = res.problem().errors.iter().map(|e| e.code).collect();
        assert_eq!(codes, [FieldErrorCode::InvalidFormat, FieldErrorCode::Required, FieldErrorCode::TooOld]);
        let t = app.admin().await;
        let unit = app.root(&t).await;
        let mut body = crate::helpers::member_record(unit, "Lê Văn Tám", "056206012345");
        body["email"] = json!("tam@localhost");
        let res = app.post("/api/v1/members", Some(&t.token), body).await;
        assert!(res.error_fields().contains(&"email".to_owned()), "{:#}", res.body);
    }

    async fn registering_a_taken_login_is_409(app) {
        assert_eq!(app.post("/api/v1/auth/register", None, registration("lan@example.vn")).await.status, 201);
        let res = app.post("/api/v1/auth/register", None, registration("LAN@example.vn")).await;
        assert_eq!(res.status, 409);
        assert_eq!(res.problem().code(), Some(ErrorCode::DuplicateLogin));
    }

    async fn malformed_json_is_a_400_problem_and_json_that_does_not_fit_a_422(app) {
        let res = app
            .send(actix_web::http::Method::POST, "/api/v1/auth/register", None, &[("content-type", "application/json")], None)
            .await;
        assert_eq!(res.status, 400);
        let raw = app.client.post(format!("{}/api/v1/auth/login", app.base)).insert_header(("content-type", "application/json")).send_body("{\"login\": ").await.unwrap();
        assert_eq!(raw.status().as_u16(), 400);
        assert_eq!(raw.headers().get("content-type").unwrap(), "application/problem+json");
        // Well-formed JSON whose values do not fit the request: 422, naming the field where it can.
        let res = app.post("/api/v1/auth/login", None, json!({"login": 42, "password": []})).await;
        assert_eq!(res.error_fields(), ["body"]);
        let res = app.post("/api/v1/auth/register", None, json!({"password": "mat-khau-2026", "full_name": "Trần Thị Mai"})).await;
        assert!(res.error_fields().contains(&"login".to_owned()), "{:#}", res.body);
        let raw = app.client.post(format!("{}/api/v1/auth/login", app.base)).insert_header(("content-type", "text/plain")).send_body("{}").await.unwrap();
        assert_eq!(raw.status().as_u16(), 415, "a body of another type");
    }

    async fn a_wrong_password_and_an_unknown_login_get_the_same_401_in_about_the_same_time(app) {
        app.register("mai@example.vn", "Trần Thị Mai").await;
        let wrong = app.login("mai@example.vn", "not the password").await;
        let unknown = app.login("nobody@example.vn", "not the password").await;
        assert_eq!(wrong.status, 401);
        assert_eq!(wrong.body, unknown.body, "no account enumeration");
        assert_eq!(wrong.problem().code(), Some(ErrorCode::InvalidCredentials));
        // Both pay for a password hash; without the dummy hash an unknown login answers ~100x faster.
        let wrong_ms = median_login_ms(&app, "mai@example.vn").await;
        let unknown_ms = median_login_ms(&app, "ghost@example.vn").await;
        assert!(unknown_ms * 4 >= wrong_ms, "unknown {unknown_ms} ms vs wrong {wrong_ms} ms");
    }

    async fn the_sixth_quick_failure_for_one_login_is_429_with_retry_after(app) {
        app.register("duc@example.vn", "Nguyễn Văn Đức").await;
        for attempt in 1..=5 {
            assert_eq!(app.login("duc@example.vn", "wrong-password").await.status, 401, "attempt {attempt}");
        }
        let res = app.login("duc@example.vn", PASSWORD).await;
        assert_eq!(res.status, 429, "even the right password waits");
        let retry: u64 = res.header("retry-after").unwrap().parse().unwrap();
        assert!(retry > 0 && retry <= 900);
        assert_eq!(res.problem().code(), Some(ErrorCode::TooManyRequests));
        app.register("other@example.vn", "Lê Văn Tám").await;
        assert_eq!(app.login("other@example.vn", PASSWORD).await.status, 200, "other logins are not locked");
    }

    async fn a_browser_that_signed_in_before_gets_in_with_the_right_password_while_its_login_is_attacked(app) {
        app.register("duc@example.vn", "Nguyễn Văn Đức").await;
        let first = app.login("duc@example.vn", PASSWORD).await;
        assert_eq!(first.status, 200);
        let device = device_cookie(&first).expect("a device cookie on a successful sign-in");
        assert!(device.contains("HttpOnly") && device.contains("SameSite=Strict") && device.contains("Path=/api/v1/auth"), "{device}");
        let device = device.split(';').next().unwrap().to_owned();
        for attempt in 1..=6 {
            let res = app.login("duc@example.vn", "wrong-password").await;
            assert!(matches!(res.status, 401 | 429), "attempt {attempt}: {}", res.status);
        }
        let res = app.login("duc@example.vn", PASSWORD).await;
        assert_eq!(res.status, 429, "a new browser at that address waits");
        let retry: u64 = res.header("retry-after").unwrap().parse().unwrap();
        assert!(retry <= 60, "a backoff, not a 15-minute lock: {retry}");
        let login = json!({"login": "duc@example.vn", "password": PASSWORD});
        let res = app.send(actix_web::http::Method::POST, "/api/v1/auth/login", None, &[("Cookie", &device)], Some(login.clone())).await;
        assert_eq!(res.status, 200, "the owner's browser is not held back: {:#}", res.body);
        assert!(device_cookie(&res).is_none(), "a known browser keeps its cookie");
        let other = "sodoan_device=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged";
        let res = app.send(actix_web::http::Method::POST, "/api/v1/auth/login", None, &[("Cookie", other)], Some(login)).await;
        assert_eq!(res.status, 429, "a forged device cookie counts for nothing");
        app.register("lan@example.vn", "Trần Thị Lan").await;
        let res = app.send(actix_web::http::Method::POST, "/api/v1/auth/login", None, &[("Cookie", &device)],
            Some(json!({"login": "lan@example.vn", "password": PASSWORD}))).await;
        assert_eq!(res.status, 200, "another login from the same address is not locked");
    }

    async fn sixty_failures_from_one_address_do_not_lock_its_other_people_out(app) {
        for i in 0..12 {
            for _ in 0..5 {
                assert_eq!(app.login(&format!("ghost{i}@example.vn"), "wrong-password").await.status, 401);
            }
        }
        app.register("nhung@example.vn", "Lê Thị Hồng Nhung").await;
        assert_eq!(app.login("nhung@example.vn", PASSWORD).await.status, 200, "a shared address (a carrier's NAT) still signs in");
    }

    async fn a_refresh_token_rotates_and_a_reused_one_ends_every_session(app) {
        app.register("nhung@example.vn", "Lê Thị Hồng Nhung").await;
        let first: TokenResponse = app.login("nhung@example.vn", PASSWORD).await.json();
        let old = first.refresh_token.unwrap();
        let res = app.post("/api/v1/auth/refresh", None, json!({"refresh_token": old})).await;
        assert_eq!(res.status, 200);
        let second: TokenResponse = res.json();
        let newer = second.refresh_token.unwrap();
        assert_ne!(newer, old);
        assert_eq!(app.get("/api/v1/me", Some(&second.access_token)).await.status, 200);

        let reuse = app.post("/api/v1/auth/refresh", None, json!({"refresh_token": old})).await;
        assert_eq!(reuse.status, 401);
        let after = app.post("/api/v1/auth/refresh", None, json!({"refresh_token": newer})).await;
        assert_eq!(after.status, 401, "reuse of an old token revokes the whole family");
    }

    async fn the_spa_session_keeps_its_refresh_token_in_a_strict_http_only_cookie(app) {
        app.register("khoi@example.vn", "Phạm Minh Khôi").await;
        let res = app.post("/api/v1/auth/login", None, json!({"login": "khoi@example.vn", "password": PASSWORD, "session": "cookie"})).await;
        assert_eq!(res.status, 200);
        assert!(res.body["refresh_token"].is_null(), "the SPA never sees the refresh token");
        let cookie = res.header("set-cookie").unwrap();
        for part in ["sodoan_refresh=", "HttpOnly", "SameSite=Strict", "Path=/api/v1/auth"] {
            assert!(cookie.contains(part), "{cookie} lacks {part}");
        }
        let pair = cookie.split(';').next().unwrap().to_owned();
        let res = app.send(actix_web::http::Method::POST, "/api/v1/auth/refresh", None, &[("cookie", &pair)], None).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let rotated = res.header("set-cookie").unwrap();
        assert_ne!(rotated.split(';').next().unwrap(), pair, "the cookie rotates too");

        let res = app.send(actix_web::http::Method::POST, "/api/v1/auth/logout", None, &[("cookie", rotated.split(';').next().unwrap())], None).await;
        assert_eq!(res.status, 204);
        assert!(res.header("set-cookie").unwrap().contains("sodoan_refresh=;"), "logout clears the cookie");
        let res = app.send(actix_web::http::Method::POST, "/api/v1/auth/refresh", None, &[("cookie", rotated.split(';').next().unwrap())], None).await;
        assert_eq!(res.status, 401, "a logged-out session cannot refresh");
    }

    async fn tokens_that_are_missing_forged_expired_or_for_a_disabled_user_are_401(app) {
        let user_id = app.register("tam@example.vn", "Lê Văn Tám").await;
        assert_eq!(app.get("/api/v1/me", None).await.status, 401);
        assert_eq!(app.get("/api/v1/me", Some("not-a-jwt")).await.status, 401);

        let forged = TokenKeys::new(b"some-other-key-some-other-key-!!!!").issue(user_id).unwrap();
        let res = app.get("/api/v1/me", Some(&forged)).await;
        assert_eq!(res.status, 401);
        assert_eq!(res.problem().code(), Some(ErrorCode::Unauthenticated));

        let keys = TokenKeys::new(TEST_JWT_SECRET);
        let expired = keys.issue_at(user_id, chrono::Utc::now().timestamp() - 7200, 900).unwrap();
        assert_eq!(app.get("/api/v1/me", Some(&expired)).await.status, 401);

        let valid = keys.issue(user_id).unwrap();
        assert_eq!(app.get("/api/v1/me", Some(&valid)).await.status, 200);
        app.db
            .run(move |conn| Ok(sodoan::db::users::set_status(conn, user_id.0, "disabled", sodoan::db::now())?))
            .await
            .unwrap();
        app.callers.forget_all(); // as any change of accounts does
        assert_eq!(app.get("/api/v1/me", Some(&valid)).await.status, 401, "disabled at once, token or not");
        assert_eq!(app.login("tam@example.vn", PASSWORD).await.status, 401);
    }

    async fn messages_follow_accept_language(app) {
        let vi = app.get("/api/v1/me", None).await.problem();
        assert_eq!(vi.title, "Vui lòng đăng nhập");
        let en = app.send(actix_web::http::Method::GET, "/api/v1/me", None, &[("accept-language", "en-GB,en;q=0.9")], None).await;
        assert_eq!(en.header("content-language").as_deref(), Some("en"));
        assert_eq!(en.problem().title, "Please sign in");
        let res = app
            .send(actix_web::http::Method::POST, "/api/v1/auth/register", None, &[("accept-language", "en")], Some(json!({"login": "x"})))
            .await;
        let p = res.problem();
        assert_eq!(p.field_message("full_name"), Some("This field is required"));
    }
}
