//! The member registry.

use crate::helpers::{Session, TestApp};
use serde_json::{json, Value};
use shared::api::members::{MemberSummary, MemberView};
use shared::api::Page;
use shared::ids::OrgUnitId;
use shared::{ErrorCode, FieldErrorCode};

use crate::helpers::member_record as record;

async fn add(app: &TestApp, by: &Session, body: Value) -> MemberView {
    app.add_member(by, body).await
}

async fn search(app: &TestApp, by: &Session, unit: OrgUnitId, q: &str) -> Vec<String> {
    let res = app.get(&format!("/api/v1/members?unit_id={unit}&q={}", urlencode(q)), Some(&by.token)).await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    res.json::<Page<MemberSummary>>().items.into_iter().map(|m| m.full_name).collect()
}

fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

api_tests! {
    async fn a_cadre_adds_a_member_to_a_branch_of_their_subtree_and_reads_the_member_book(app) {
        let t = app.tree().await;
        let m = add(&app, &t.cadre, record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        assert_eq!((m.unit_id, m.unit_name.as_str()), (t.branch, "Chi đoàn Tổ dân phố 1"));
        assert_eq!(m.profile.hometown.as_deref(), Some("Khánh Hòa"));
        assert!(!m.incomplete);
        let res = app.get(&format!("/api/v1/members/{}", m.id), Some(&t.leader.token)).await;
        assert_eq!(res.status, 200, "leaders of the subtree read it");
        assert_eq!(res.json::<MemberView>(), m);

        let outsider = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, outsider.user_id, t.school, "cadre").await;
        assert_eq!(app.get(&format!("/api/v1/members/{}", m.id), Some(&outsider.token)).await.status, 404);
        assert_eq!(app.get(&format!("/api/v1/members/{}", m.id), Some(&t.member.token)).await.status, 404);
        let res = app.post("/api/v1/members", Some(&outsider.token), record(t.branch, "Lê Văn Tám", "056206000001")).await;
        assert_eq!(res.status, 403);
        let res = app.post("/api/v1/members", Some(&t.member.token), record(t.branch, "Lê Văn Tám", "056206000001")).await;
        assert_eq!(res.status, 403, "members do not add members");
    }

    async fn a_member_goes_into_a_live_branch_only(app) {
        let t = app.tree().await;
        let res = app.post("/api/v1/members", Some(&t.cadre.token), record(t.commune, "Lê Văn Tám", "056206000001")).await;
        assert_eq!(res.error_fields(), ["unit_id"], "a grassroots unit is not a branch");
        let res = app.post("/api/v1/members", Some(&t.cadre.token), record(OrgUnitId(9999), "Lê Văn Tám", "056206000001")).await;
        assert_eq!(res.error_fields(), ["unit_id"]);
    }

    async fn a_cccd_that_contradicts_the_record_or_has_the_wrong_length_is_422(app) {
        let t = app.tree().await;
        for bad in ["05620601234", "0562060123456", "05620601234a", "056306012345", "056205012345"] {
            let res = app.post("/api/v1/members", Some(&t.cadre.token), record(t.branch, "Lê Văn Tám", bad)).await;
            assert_eq!(res.error_fields(), ["national_id"], "{bad}");
        }
        let res = app.post("/api/v1/members", Some(&t.cadre.token), record(t.branch, "Lê Văn Tám", "056306012345")).await;
        assert_eq!(res.problem().errors[0].code, FieldErrorCode::Mismatch);
        let mut young = record(t.branch, "Lê Văn Tám", "056206000001");
        young["joined_on"] = json!("2021-05-19");
        assert_eq!(app.post("/api/v1/members", Some(&t.cadre.token), young).await.error_fields(), ["joined_on"], "exactly 15");
    }

    async fn a_second_live_record_for_the_same_cccd_is_409_and_says_where_only_in_scope(app) {
        let t = app.tree().await;
        let first = add(&app, &t.cadre, record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let res = app.post("/api/v1/members", Some(&t.cadre.token), record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        assert_eq!(res.status, 409);
        let p = res.problem();
        assert_eq!(p.code(), Some(ErrorCode::Conflict));
        assert_eq!(p.reason, Some(shared::ConflictCode::NationalIdTaken));
        let detail = p.detail.unwrap();
        assert!(detail.starts_with("Số CCCD này thuộc"), "in the reader's language: {detail}");
        assert!(detail.contains(&format!("/api/v1/members/{}", first.id)), "in scope: a link to the record");

        let school_cadre = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        let res = app.post("/api/v1/members", Some(&school_cadre.token), record(t.school_branch, "Nguyễn Văn Đức", "056206012345")).await;
        assert_eq!(res.status, 409);
        let p = res.problem();
        assert_eq!(p.reason, Some(shared::ConflictCode::PersonIsMember));
        let detail = p.detail.unwrap();
        assert!(detail.contains("đã là đoàn viên ở đơn vị khác") && !detail.contains("/members/"), "{detail}");
    }

    async fn search_finds_names_with_or_without_diacritics_and_sorts_by_given_name(app) {
        let t = app.tree().await;
        for (name, id) in [
            ("Nguyễn Văn Đức", "056206000001"), ("Trần Thị Bình", "056306000002"), ("Lê Đức Anh", "056206000003"),
            ("Nguye\u{302}\u{303}n Thi\u{323} An", "056306000004"), ("O'Brien <script>", ""),
        ] {
            let mut body = record(t.branch, name, id);
            if name.starts_with("Trần") || name.contains("Thi\u{323}") { body["gender"] = json!("female"); }
            if id.is_empty() {
                let res = app.post("/api/v1/members", Some(&t.cadre.token), body).await;
                assert_eq!(res.error_fields(), ["full_name"], "markup is not a name");
                continue;
            }
            add(&app, &t.cadre, body).await;
        }
        for q in ["nguyen van duc", "Nguyễn Văn Đức", "NGUYEN VAN ĐUC"] {
            assert_eq!(search(&app, &t.cadre, t.commune, q).await, ["Nguyễn Văn Đức"], "{q}");
        }
        assert_eq!(search(&app, &t.cadre, t.commune, "duc").await, ["Lê Đức Anh", "Nguyễn Văn Đức"], "given name order: Anh < Đức");
        assert_eq!(search(&app, &t.cadre, t.commune, "nguyen thi an").await, ["Nguyễn Thị An"], "NFD input was stored as NFC");
        assert_eq!(search(&app, &t.cadre, t.commune, "056306000002").await, ["Trần Thị Bình"], "by CCCD");
        assert_eq!(search(&app, &t.cadre, t.commune, "%").await, Vec::<String>::new(), "LIKE wildcards are literal");
        let all = search(&app, &t.leader, t.province, "").await;
        assert_eq!(all, ["Nguyễn Thị An", "Lê Đức Anh", "Trần Thị Bình", "Nguyễn Văn Đức"], "An < Anh < Bình < Đức");

        let res = app.get(&format!("/api/v1/members?unit_id={}&gender=female", t.province), Some(&t.leader.token)).await;
        assert_eq!(res.json::<Page<MemberSummary>>().total, 2);
        let res = app.get(&format!("/api/v1/members?unit_id={}&status=bogus", t.province), Some(&t.leader.token)).await;
        assert_eq!(res.error_fields(), ["status"]);
        assert_eq!(app.get(&format!("/api/v1/members?unit_id={}", t.school), Some(&t.cadre.token)).await.status, 403);
        assert_eq!(app.get(&format!("/api/v1/members?unit_id={}", t.branch), Some(&t.member.token)).await.status, 403);
    }
}

api_tests! {
    async fn two_cadres_editing_with_the_same_version_one_gets_412(app) {
        let t = app.tree().await;
        let m = add(&app, &t.cadre, record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let path = format!("/api/v1/members/{}", m.id);
        assert_eq!(app.patch(&path, Some(&t.cadre.token), None, json!({"phone": "0987654321"})).await.status, 428);
        let first = app.patch(&path, Some(&t.cadre.token), Some("\"1\""), json!({"phone": "+84 987 654 321"})).await;
        assert_eq!(first.status, 200, "{:#}", first.body);
        let edited: MemberView = first.json();
        assert_eq!((edited.phone.as_deref(), edited.version), (Some("0987654321"), 2));
        let second = app.patch(&path, Some(&t.leader.token), Some("\"1\""), json!({"phone": "0911111111"})).await;
        assert_eq!(second.status, 412);
        let now: MemberView = app.get(&path, Some(&t.cadre.token)).await.json();
        assert_eq!(now.phone.as_deref(), Some("0987654321"), "the stale edit changed nothing");

        let bad = app.patch(&path, Some(&t.cadre.token), Some("\"2\""), json!({"gender": "female"})).await;
        assert_eq!(bad.error_fields(), ["national_id"], "the CCCD says male: the merged record is re-validated");
        let renamed = app.patch(&path, Some(&t.cadre.token), Some("\"2\""), json!({"full_name": "Nguyễn Văn Đạt", "national_id": ""})).await;
        assert_eq!(renamed.status, 200);
        let renamed: MemberView = renamed.json();
        assert!(renamed.incomplete && renamed.national_id.is_none(), "no CCCD: listed as incomplete");
        assert_eq!(search(&app, &t.cadre, t.branch, "dat").await, ["Nguyễn Văn Đạt"], "the search key follows the name");
    }

    async fn a_member_reads_their_own_book_and_corrects_only_their_contact_details(app) {
        let t = app.tree().await;
        let youth = app.user("Phạm Minh Khôi").await;
        let m = app.add_linked_member(&t.cadre, record(t.branch, "Phạm Minh Khôi", "056206012345"), &youth).await;
        assert_eq!((m.user_id, m.link_pending), (Some(youth.user_id), false));
        let me: shared::api::auth::MeResponse = app.get("/api/v1/me", Some(&youth.token)).await.json();
        assert_eq!(me.member_id, Some(m.id));
        assert!(me.roles.iter().any(|r| r.role == shared::roles::Role::Member && r.org_unit_id == t.branch), "now a member account");

        let path = format!("/api/v1/members/{}", m.id);
        assert_eq!(app.get(&path, Some(&youth.token)).await.status, 200, "their own record");
        let ok = app.patch(&path, Some(&youth.token), Some("\"2\""), json!({"phone": "0977000111", "current_address": "12 Trần Phú, Nha Trang"})).await;
        assert_eq!(ok.status, 200, "{:#}", ok.body);
        assert_eq!(ok.json::<MemberView>().profile.current_address.as_deref(), Some("12 Trần Phú, Nha Trang"));
        for forbidden in [json!({"national_id": "056206099999"}), json!({"full_name": "Phạm Minh Khang"}), json!({"party_status": "full", "party_joined_on": "2025-01-01"})] {
            assert_eq!(app.patch(&path, Some(&youth.token), Some("\"3\""), forbidden).await.status, 403);
        }
        let other = add(&app, &t.cadre, record(t.branch, "Lê Văn Tám", "056206000009")).await;
        let res = app.patch(&format!("/api/v1/members/{}", other.id), Some(&youth.token), Some("\"1\""), json!({"phone": "0977000111"})).await;
        assert_eq!(res.status, 404, "someone else's record does not exist for them");

        let mut twice = record(t.branch, "Phạm Minh Khôi", "056206077777");
        twice["login"] = json!(youth.login);
        assert_eq!(app.post("/api/v1/members", Some(&t.cadre.token), twice).await.error_fields(), ["login"], "one record per account");
    }
}

api_tests! {
    async fn units_count_their_live_members_and_a_large_subtree_pages_in_name_order(app) {
        let t = app.tree().await;
        add(&app, &t.cadre, record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        for unit in [t.branch, t.commune, t.province, t.root] {
            let u: shared::api::org_units::OrgUnitDetail = app.get(&format!("/api/v1/org-units/{unit}"), Some(&t.admin.token)).await.json();
            assert_eq!(u.unit.member_count, 1, "unit {unit} counts the new member");
        }
        let school: shared::api::org_units::OrgUnitDetail = app.get(&format!("/api/v1/org-units/{}", t.school), Some(&t.admin.token)).await.json();
        assert_eq!(school.unit.member_count, 0);

        // A province above the walk threshold: the page comes from the name-order index.
        let seeded = app.db.run(|conn| sodoan::fixtures::seed::province(conn, 2_500, 9)).await.unwrap();
        let leader = app.login(sodoan::fixtures::seed::BENCH_LEADER, sodoan::fixtures::seed::BENCH_PASSWORD).await;
        let token = leader.body["access_token"].as_str().unwrap().to_owned();
        let mut names = Vec::new();
        for page in 1..=3 {
            let res = app.get(&format!("/api/v1/members?unit_id={}&per_page=200&page={page}", seeded.province), Some(&token)).await;
            let p: Page<MemberSummary> = res.json();
            assert_eq!(p.total, 2_500);
            names.extend(p.items.into_iter().map(|m| m.full_name));
        }
        assert_eq!(names.len(), 600);
        let keys: Vec<String> = names.iter().map(|n| shared::text::name_sort_key(n)).collect();
        assert!(keys.windows(2).all(|w| w[0] <= w[1]), "pages follow the Vietnamese name order");
        let last: Page<MemberSummary> = app
            .get(&format!("/api/v1/members?unit_id={}&per_page=200&page=13", seeded.province), Some(&token))
            .await
            .json();
        assert_eq!(last.items.len(), 100, "2,500 = 12 full pages + 100");
        let filtered: Page<MemberSummary> =
            app.get(&format!("/api/v1/members?unit_id={}&gender=female", seeded.province), Some(&token)).await.json();
        assert!(filtered.total > 1_000 && filtered.total < 1_500, "a filter counts: {}", filtered.total);
    }
}

async fn unit_count(app: &TestApp, by: &Session, unit: OrgUnitId) -> i64 {
    app.get(&format!("/api/v1/org-units/{unit}"), Some(&by.token))
        .await
        .json::<shared::api::org_units::OrgUnitDetail>()
        .unit
        .member_count
}

fn today() -> String {
    chrono::Local::now().date_naive().format("%Y-%m-%d").to_string()
}

api_tests! {
    async fn a_removed_member_leaves_the_counts_and_lists_and_a_restore_brings_them_back(app) {
        let t = app.tree().await;
        let m = add(&app, &t.cadre, record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let path = format!("/api/v1/members/{}/transitions", m.id);
        let res = app.patch(&format!("/api/v1/members/{}", m.id), Some(&t.cadre.token), Some("\"1\""), json!({})).await;
        assert_eq!(res.status, 200);

        let no_reason = app.send(actix_web::http::Method::POST, &path, Some(&t.cadre.token), &[("If-Match", "\"2\"")], Some(json!({"action": "remove", "on": today()}))).await;
        assert_eq!(no_reason.error_fields(), ["reason"]);
        let stale = app.send(actix_web::http::Method::POST, &path, Some(&t.cadre.token), &[("If-Match", "\"1\"")], Some(json!({"action": "remove", "on": today(), "reason": "Không sinh hoạt 3 tháng"}))).await;
        assert_eq!(stale.status, 412);
        let removed = app.send(actix_web::http::Method::POST, &path, Some(&t.cadre.token), &[("If-Match", "\"2\"")], Some(json!({"action": "remove", "on": today(), "reason": "Không sinh hoạt 3 tháng"}))).await;
        assert_eq!(removed.status, 200, "{:#}", removed.body);
        let removed: MemberView = removed.json();
        assert_eq!(removed.status, shared::api::members::MemberStatus::Removed);
        for unit in [t.branch, t.commune, t.province] {
            assert_eq!(unit_count(&app, &t.admin, unit).await, 0);
        }
        assert!(search(&app, &t.cadre, t.branch, "").await.is_empty(), "lists show live members by default");
        let all = app.get(&format!("/api/v1/members?unit_id={}&status=removed", t.branch), Some(&t.cadre.token)).await;
        assert_eq!(all.json::<Page<MemberSummary>>().total, 1);

        let again = app.send(actix_web::http::Method::POST, &path, Some(&t.cadre.token), &[("If-Match", "\"3\"")], Some(json!({"action": "expel", "on": today(), "reason": "x"}))).await;
        assert_eq!(again.status, 409, "not from removed");
        assert_eq!(again.problem().code(), Some(ErrorCode::InvalidState));
        assert!(again.problem().detail.unwrap().contains("removed"), "the problem names the state");

        let restored = app.send(actix_web::http::Method::POST, &path, Some(&t.cadre.token), &[("If-Match", "\"3\"")], Some(json!({"action": "restore", "on": today(), "reason": "Xóa nhầm"}))).await;
        assert_eq!(restored.status, 200);
        assert_eq!(unit_count(&app, &t.admin, t.province).await, 1);
        let history: Vec<shared::api::member_transitions::MemberTransitionView> = app.get(&path, Some(&t.leader.token)).await.json::<shared::api::Page<shared::api::member_transitions::MemberTransitionView>>().items;
        let steps: Vec<_> = history.iter().map(|h| (h.action.as_str(), h.reason.as_deref())).collect();
        assert_eq!(steps, [("remove", Some("Không sinh hoạt 3 tháng")), ("restore", Some("Xóa nhầm"))]);
    }

    async fn lifecycle_actions_are_refused_out_of_scope_for_members_and_before_thirty(app) {
        let t = app.tree().await;
        let youth = app.user("Phạm Minh Khôi").await;
        let m = app.add_linked_member(&t.cadre, record(t.branch, "Phạm Minh Khôi", "056206012345"), &youth).await;
        let path = format!("/api/v1/members/{}/transitions", m.id);
        let post = |token: String, action: &'static str| {
            let (app, path) = (&app, path.clone());
            async move {
                app.send(actix_web::http::Method::POST, &path, Some(&token), &[("If-Match", "\"2\"")], Some(json!({"action": action, "on": today(), "reason": "lý do"}))).await
            }
        };
        assert_eq!(post(youth.token.clone(), "mature").await.status, 403, "a member does not decide their own status");
        let outsider = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, outsider.user_id, t.school, "cadre").await;
        assert_eq!(post(outsider.token.clone(), "remove").await.status, 404);
        let young = post(t.cadre.token.clone(), "extend").await;
        assert_eq!(young.error_fields(), ["on"], "extension is for members of 30 or more");
        assert_eq!(young.problem().errors[0].code, FieldErrorCode::TooYoung);
        assert_eq!(post(t.cadre.token.clone(), "promote").await.error_fields(), ["action"]);
    }

    async fn a_restore_that_would_make_a_second_live_record_of_a_cccd_is_409(app) {
        let t = app.tree().await;
        let first = add(&app, &t.cadre, record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let path = format!("/api/v1/members/{}/transitions", first.id);
        let res = app.send(actix_web::http::Method::POST, &path, Some(&t.cadre.token), &[("If-Match", "\"1\"")], Some(json!({"action": "remove", "on": today(), "reason": "Không sinh hoạt"}))).await;
        assert_eq!(res.status, 200);
        add(&app, &t.cadre, record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let res = app.send(actix_web::http::Method::POST, &path, Some(&t.cadre.token), &[("If-Match", "\"2\"")], Some(json!({"action": "restore", "on": today(), "reason": "Xóa nhầm"}))).await;
        assert_eq!(res.status, 409);
        assert_eq!(unit_count(&app, &t.admin, t.branch).await, 1, "nothing half-written");
    }
}

api_tests! {
    async fn a_unit_lists_members_turning_thirty_this_year_and_incomplete_records(app) {
        let t = app.tree().await;
        let year = chrono::Local::now().date_naive().format("%Y").to_string().parse::<i32>().unwrap();
        let mut thirty = record(t.branch, "Trần Văn Ba Mươi", "");
        thirty["national_id"] = json!(format!("0560{:02}000001", (year - 30) % 100));
        thirty["gender"] = json!("male");
        thirty["date_of_birth"] = json!(format!("{}-01-02", year - 30));
        thirty["joined_on"] = json!(format!("{}-03-26", year - 14));
        if year - 30 >= 2000 { thirty["national_id"] = json!(format!("0562{:02}000001", (year - 30) % 100)); }
        add(&app, &t.cadre, thirty).await;
        let mut no_id = record(t.branch, "Lê Thị Thiếu", "");
        no_id["gender"] = json!("female");
        add(&app, &t.cadre, no_id).await;
        add(&app, &t.cadre, record(t.branch, "Nguyễn Văn Đủ", "056206012345")).await;

        let turning: Page<MemberSummary> = app.get(&format!("/api/v1/members?unit_id={}&turning=30", t.commune), Some(&t.cadre.token)).await.json();
        assert_eq!(turning.items.iter().map(|m| m.full_name.as_str()).collect::<Vec<_>>(), ["Trần Văn Ba Mươi"]);
        let incomplete: Page<MemberSummary> = app.get(&format!("/api/v1/members?unit_id={}&incomplete=true", t.commune), Some(&t.cadre.token)).await.json();
        assert_eq!(incomplete.items.iter().map(|m| m.full_name.as_str()).collect::<Vec<_>>(), ["Lê Thị Thiếu"]);
    }
}

api_tests! {
    async fn a_cadre_exports_the_filtered_list_as_csv_with_vietnamese_headers(app) {
        let t = app.tree().await;
        add(&app, &t.cadre, record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let mut quoted = record(t.branch, "Lê Thị Hồng Nhung", "056306012346");
        quoted["gender"] = json!("female");
        quoted["email"] = json!("nhung,le@example.vn");
        let res = app.post("/api/v1/members", Some(&t.cadre.token), quoted).await;
        assert_eq!(res.error_fields(), ["email"], "a comma is not an email");

        let res = app
            .client
            .get(format!("{}/api/v1/members/export?unit_id={}&q=duc", app.base, t.commune))
            .insert_header(("Authorization", format!("Bearer {}", t.cadre.token)))
            .send()
            .await
            .unwrap()
            .body()
            .await
            .unwrap();
        let text = String::from_utf8(res.to_vec()).unwrap();
        let text = text.strip_prefix('\u{feff}').expect("a byte-order mark for spreadsheets");
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("Họ và tên,Ngày sinh,Giới tính,Số CCCD"), "{}", lines[0]);
        assert_eq!(lines.len(), 2, "the filter applies: {lines:?}");
        assert!(lines[1].starts_with("Nguyễn Văn Đức,19/05/2006,Nam,056206012345,0912345678,,Chi đoàn Tổ dân phố 1"), "{}", lines[1]);

        let refused = app.get(&format!("/api/v1/members/export?unit_id={}", t.school), Some(&t.cadre.token)).await;
        assert_eq!(refused.status, 403);
        assert_eq!(app.get("/api/v1/members/export", Some(&t.cadre.token)).await.error_fields(), ["unit_id"]);
    }

    async fn concurrent_edits_of_different_members_all_succeed(app) {
        let t = app.tree().await;
        let mut members = Vec::new();
        for i in 0..12 {
            members.push(add(&app, &t.cadre, record(t.branch, "Nguyễn Văn Đức", &format!("05620601{i:04}"))).await);
        }
        let edits = members.iter().map(|m| {
            let path = format!("/api/v1/members/{}", m.id);
            let version = format!("\"{}\"", m.version);
            let (app, token) = (&app, t.cadre.token.clone());
            async move { app.patch(&path, Some(&token), Some(&version), json!({"phone": "0987654321"})).await.status }
        });
        let statuses = futures_util::future::join_all(edits).await;
        assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    }

    async fn every_list_refuses_a_page_beyond_a_million_naming_the_field(app) {
        let t = app.tree().await;
        add(&app, &t.cadre, record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let huge = i64::MAX;
        for path in [
            format!("/api/v1/members?unit_id={}&page={huge}", t.branch),
            format!("/api/v1/org-units?parent_id={}&page={huge}", t.province),
            format!("/api/v1/role-assignments?org_unit_id={}&page={huge}", t.commune),
            format!("/api/v1/audit?unit_id={}&page={huge}", t.province),
            format!("/api/v1/members?unit_id={}&page=1000001", t.branch),
        ] {
            let res = app.get(&path, Some(&t.admin.token)).await;
            assert_eq!(res.error_fields(), ["page"], "{path}");
        }
        let res = app.get(&format!("/api/v1/members?unit_id={}&per_page={huge}", t.branch), Some(&t.cadre.token)).await;
        assert_eq!(res.error_fields(), ["per_page"]);
        for (query, code) in [("page=99999999999999999999999", FieldErrorCode::OutOfRange), ("page=-3", FieldErrorCode::OutOfRange),
            ("page=abc", FieldErrorCode::InvalidFormat), ("page=1.5", FieldErrorCode::InvalidFormat)] {
            let res = app.get(&format!("/api/v1/members?unit_id={}&{query}", t.branch), Some(&t.cadre.token)).await;
            assert_eq!(res.error_fields(), ["page"], "{query}: a field error, not an unreadable query");
            assert_eq!(res.problem().errors[0].code, code, "{query}");
        }
        let res = app.get(&format!("/api/v1/members?unit_id={}&page=&per_page=2", t.branch), Some(&t.cadre.token)).await;
        assert_eq!(res.status, 200, "an empty page is the first: {:#}", res.body);
        let res = app.get(&format!("/api/v1/members?unit_id={}&page=1000000", t.branch), Some(&t.cadre.token)).await;
        assert_eq!(res.status, 200, "the last page allowed is read (empty): {:#}", res.body);
        assert!(res.json::<Page<MemberSummary>>().items.is_empty());
    }

    async fn implausible_birth_and_party_dates_are_422_on_their_field(app) {
        let t = app.tree().await;
        let mut old = record(t.branch, "Lê Văn Tám", "");
        old["date_of_birth"] = json!("1900-01-01");
        old["joined_on"] = json!("1916-01-01");
        let res = app.post("/api/v1/members", Some(&t.cadre.token), old).await;
        assert!(res.error_fields().contains(&"date_of_birth".to_owned()), "{:#}", res.body);
        assert_eq!(res.problem().errors[0].code, FieldErrorCode::TooOld);

        for (joined, code) in [("1800-01-01", FieldErrorCode::OutOfRange), ("2023-01-01", FieldErrorCode::TooYoung)] {
            let mut body = record(t.branch, "Lê Văn Tám", "056206000001");
            body["party_status"] = json!("probationary");
            body["party_joined_on"] = json!(joined);
            let res = app.post("/api/v1/members", Some(&t.cadre.token), body).await;
            assert_eq!(res.error_fields(), ["party_joined_on"], "{joined}");
            assert_eq!(res.problem().errors[0].code, code, "{joined}");
        }
        let mut body = record(t.branch, "Lê Văn Tám", "056206000001");
        body["party_status"] = json!("probationary");
        body["party_joined_on"] = json!("2024-06-01");
        let m = add(&app, &t.cadre, body).await;
        let res = app.patch(&format!("/api/v1/members/{}", m.id), Some(&t.cadre.token), Some(&format!("\"{}\"", m.version)),
            json!({"party_joined_on": "1800-01-01"})).await;
        assert_eq!(res.error_fields(), ["party_joined_on"], "an edit is held to the same rule");
    }

    async fn exported_cells_that_look_like_formulas_stay_text_and_such_unit_names_are_refused(app) {
        let t = app.tree().await;
        let evil = r#"=HYPERLINK("http://evil.example","Chi đoàn")"#;
        let res = app.post("/api/v1/org-units", Some(&t.admin.token), json!({"parent_id": t.commune, "name": evil, "kind": "branch"})).await;
        assert_eq!(res.error_fields(), ["name"]);
        assert_eq!(res.problem().errors[0].code, FieldErrorCode::InvalidCharacters);
        let res = app.patch(&format!("/api/v1/org-units/{}", t.branch), Some(&t.admin.token), Some("\"1\""), json!({"name": "@SUM(1+1)"})).await;
        assert_eq!(res.error_fields(), ["name"], "nor renamed so");
        let res = app.post("/api/v1/members", Some(&t.cadre.token), record(t.branch, "=cmd|' /C calc'!A0", "056206012345")).await;
        assert_eq!(res.error_fields(), ["full_name"], "nor a person so named");

        // A unit named so before the rule (written straight to the database) is exported as text.
        let branch = t.branch.0;
        app.db
            .run(move |conn| {
                use diesel::RunQueryDsl;
                use sodoan::db::schema::org_units;
                diesel::update(org_units::table)
                    .filter(diesel::ExpressionMethods::eq(org_units::id, branch))
                    .set(diesel::ExpressionMethods::eq(org_units::name, evil))
                    .execute(conn)
                    .map_err(sodoan::error::ApiError::from)
            })
            .await
            .unwrap();
        let mut body = record(t.branch, "Nguyễn Văn Đức", "056206012345");
        body["card_number"] = json!("-1-2");
        add(&app, &t.cadre, body).await;
        let (status, bytes) = app.get_bytes(&format!("/api/v1/members/export?unit_id={}&format=csv", t.commune), &t.cadre.token).await;
        assert_eq!(status, 200);
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains(r#","'=HYPERLINK(""http://evil.example"",""Chi đoàn"")","#), "{text}");
        assert!(text.contains(",'-1-2,"), "{text}");
        let (status, bytes) = app.get_bytes(&format!("/api/v1/members/export?unit_id={}&format=xlsx", t.commune), &t.cadre.token).await;
        assert_eq!(status, 200);
        let rows = sodoan::sheets::read(&bytes).unwrap();
        assert!(rows[1].1.contains(&format!("'{evil}")), "{:?}", rows[1]);
        assert!(rows[1].1.contains(&"'-1-2".to_owned()), "{:?}", rows[1]);
    }

    async fn a_record_naming_an_account_is_linked_only_when_its_holder_confirms(app) {
        let t = app.tree().await;
        let admin_before: shared::api::auth::MeResponse = app.get("/api/v1/me", Some(&t.admin.token)).await.json();
        let mut body = record(t.branch, "Quản Trị", "056206012345");
        body["login"] = json!(t.admin.login);
        let m = add(&app, &t.cadre, body).await;
        assert_eq!((m.user_id, m.link_pending), (None, true), "not linked on the cadre's word");
        let admin: shared::api::auth::MeResponse = app.get("/api/v1/me", Some(&t.admin.token)).await.json();
        assert_eq!((admin.member_id, admin.pending_member_id), (None, Some(m.id)));
        assert_eq!(admin.roles.len(), admin_before.roles.len(), "no member role either");

        let confirm = format!("/api/v1/members/{}/link/confirm", m.id);
        assert_eq!(app.post(&confirm, Some(&t.cadre.token), json!({})).await.status, 404, "the cadre cannot confirm for the holder");
        assert_eq!(app.post(&confirm, Some(&t.member.token), json!({})).await.status, 404, "nor can anyone else");
        assert_eq!(app.get(&format!("/api/v1/members/{}", m.id), Some(&t.admin.token)).await.status, 200, "the holder reads it first");
        let res = app.post(&confirm, Some(&t.admin.token), json!({})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let linked: MemberView = res.json();
        assert_eq!((linked.user_id, linked.link_pending, linked.version), (Some(t.admin.user_id), false, m.version + 1));
        let admin: shared::api::auth::MeResponse = app.get("/api/v1/me", Some(&t.admin.token)).await.json();
        assert_eq!((admin.member_id, admin.pending_member_id), (Some(m.id), None));
        assert!(admin.roles.iter().any(|r| r.role == shared::roles::Role::Member && r.org_unit_id == t.branch));
        assert_eq!(app.post(&confirm, Some(&t.admin.token), json!({})).await.status, 404, "once only");
        let audit = app.get(&format!("/api/v1/audit?unit_id={}", t.commune), Some(&t.admin.token)).await;
        assert!(audit.body["items"].as_array().unwrap().iter().any(|e| e["action"] == "member.link_confirm"), "{:#}", audit.body);
    }
}
