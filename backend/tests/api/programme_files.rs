//! The Member Training programme's files: evidence on progress entries (links, photos, PDFs)
//! and who may add and read it.

use crate::helpers::{member_record, Body, Resp, Session, TestApp};
use crate::programmes::{
    act, cast, conflict, optional_ids, programme_body, progress, publish, register, registration, today, Cast,
};
use actix_web::http::Method;
use serde_json::json;
use shared::api::imports::{ImportJobView, ImportKind, ImportStatus};
use shared::api::programme_files::{EvidenceKind, EvidenceView, MAX_EVIDENCE_BYTES};
use shared::api::programmes::{ProgrammeStats, RegistrationSummary, RegistrationView};
use shared::api::Page;
use shared::{ConflictCode, ErrorCode, FieldErrorCode};

/// A tiny PNG's first bytes (what the server reads to tell the kind).
fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.extend_from_slice(&[7; 64]);
    b
}

/// The registered member's registration with one progress entry.
async fn with_entry(app: &TestApp, c: &Cast) -> RegistrationView {
    let p = &c.programme;
    let r: RegistrationView = register(app, &c.t.member, p, registration(p, &optional_ids(p)[..2])).await.json();
    let item = r.items[0].item_id;
    let res =
        progress(app, &c.t.member, &r, json!({"item_id": item, "count": 1, "done_on": today().to_string()})).await;
    assert_eq!(res.status, 201, "{:#}", res.body);
    res.json()
}

fn evidence_path(r: &RegistrationView, entry: i64) -> String {
    format!("/api/v1/programme-registrations/{}/progress/{entry}/evidence", r.id)
}

async fn upload(app: &TestApp, by: &Session, path: &str, content_type: &str, bytes: Vec<u8>) -> Resp {
    app.send_body(Method::POST, path, Some(&by.token), &[("Content-Type", content_type)], Body::Bytes(bytes)).await
}

async fn link(app: &TestApp, by: &Session, path: &str, url: &str) -> Resp {
    app.post(path, Some(&by.token), json!({ "url": url })).await
}

/// GET of a file: status, headers, bytes.
async fn download(app: &TestApp, by: &Session, id: i64) -> (u16, actix_web::http::header::HeaderMap, Vec<u8>) {
    let mut res = app
        .client
        .get(format!("{}/api/v1/programme-evidence/{id}", app.base))
        .insert_header(("Authorization", format!("Bearer {}", by.token)))
        .send()
        .await
        .expect("request sent");
    let bytes = res.body().limit(16 << 20).await.expect("body read");
    (res.status().as_u16(), res.headers().clone(), bytes.to_vec())
}

fn evidence_of(r: &RegistrationView, entry: i64) -> Vec<EvidenceView> {
    r.progress.iter().find(|p| p.id == entry).map(|p| p.evidence.clone()).unwrap_or_default()
}

api_tests! {
    async fn a_member_attaches_a_photo_and_a_link_which_only_readers_of_the_registration_get(app) {
        let c = cast(&app).await;
        let r = with_entry(&app, &c).await;
        let entry = r.progress[0].id;
        // `C:\ảnh hiến máu.png`, percent-encoded: the name keeps its last component.
        let path = format!("{}?file_name=C:%5C%E1%BA%A3nh%20hi%E1%BA%BFn%20m%C3%A1u.png", evidence_path(&r, entry));
        let res = upload(&app, &c.t.member, &path, "image/png", png()).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let r2: RegistrationView = res.json();
        assert_eq!(r2.version, r.version + 1);
        let photo = evidence_of(&r2, entry)[0].clone();
        assert_eq!(
            (photo.kind, photo.media_type.as_deref(), photo.size, photo.file_name.as_deref()),
            (EvidenceKind::File, Some("image/png"), Some(png().len() as i64), Some("ảnh hiến máu.png"))
        );
        assert_eq!(photo.sha256.as_deref(), Some(sodoan::files::sha256_hex(&png()).as_str()));

        let res = link(&app, &c.t.cadre, &evidence_path(&r, entry), " https://facebook.com/doanphuong/posts/1 ").await;
        assert_eq!(res.status, 201, "a cadre over the branch adds evidence too: {:#}", res.body);
        let listed = evidence_of(&res.json(), entry);
        assert_eq!((listed.len(), listed[1].kind, listed[1].url.as_deref()), (2, EvidenceKind::Link, Some("https://facebook.com/doanphuong/posts/1")));

        let (status, headers, bytes) = download(&app, &c.t.member, photo.id).await;
        assert_eq!((status, bytes), (200, png()));
        let header = |h: &str| headers.get(h).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        assert_eq!(header("content-type"), "image/png");
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert!(header("content-disposition").starts_with("attachment;"), "{}", header("content-disposition"));
        assert!(header("content-disposition").contains("filename*=UTF-8''%E1%BA%A3nh%20hi%E1%BA%BFn%20m%C3%A1u.png"));
        assert_eq!(download(&app, &c.t.cadre, photo.id).await.0, 200, "the branch's cadre reads it");
        assert_eq!(download(&app, &c.t.leader, photo.id).await.0, 200, "and the province's leader");

        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&c.t.admin, school_cadre.user_id, c.t.school, "cadre").await;
        assert_eq!(download(&app, &school_cadre, photo.id).await.0, 404, "another unit's cadre");
        let neighbour = app.user("Trần Văn Bình").await;
        app.add_linked_member(&c.t.cadre, member_record(c.t.branch, "Trần Văn Bình", "056206012347"), &neighbour).await;
        assert_eq!(download(&app, &neighbour, photo.id).await.0, 404, "another member of the same branch");
        assert_eq!(download(&app, &c.t.member, listed[1].id).await.0, 404, "a link has no file");
        assert_eq!(download(&app, &c.t.member, 999_999).await.0, 404);

        let audit = app.get(&format!("/api/v1/audit?unit_id={}", c.t.commune), Some(&c.t.admin.token)).await;
        let entries: Vec<&serde_json::Value> = audit.body["items"].as_array().unwrap().iter().filter(|e| e["action"] == "programme_registration.evidence").collect();
        assert_eq!(entries.len(), 2, "{:#}", audit.body);
    }

    async fn evidence_of_the_wrong_kind_size_or_place_is_refused_and_nothing_is_kept(app) {
        let c = cast(&app).await;
        let r = with_entry(&app, &c).await;
        let entry = r.progress[0].id;
        let path = evidence_path(&r, entry);
        let mut program = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
        program.extend_from_slice(&[0; 256]);
        let res = upload(&app, &c.t.member, &format!("{path}?file_name=anh.jpg"), "image/jpeg", program).await;
        assert_eq!(res.status, 415, "{:#}", res.body);
        let p = res.problem();
        assert_eq!(p.code(), Some(ErrorCode::UnsupportedMediaType));
        assert!(p.detail.unwrap_or_default().contains("JPEG, PNG, WebP"), "the problem says what is accepted");
        let big = {
            let mut b = png();
            b.resize(MAX_EVIDENCE_BYTES + 1, 0);
            b
        };
        assert_eq!(upload(&app, &c.t.member, &path, "image/png", big).await.status, 413);
        let mut exactly = png();
        exactly.resize(MAX_EVIDENCE_BYTES, 0);
        assert_eq!(upload(&app, &c.t.member, &path, "application/octet-stream", exactly).await.status, 201, "5 MB is allowed");
        let res = link(&app, &c.t.member, &path, "javascript:alert(1)").await;
        assert_eq!(res.error_fields(), ["url"]);
        assert_eq!(link(&app, &c.t.member, &path, "").await.error_fields(), ["url"]);

        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&c.t.admin, school_cadre.user_id, c.t.school, "cadre").await;
        assert_eq!(link(&app, &school_cadre, &path, "https://a.vn").await.status, 404, "another unit's cadre");
        let stranger = app.user("Người lạ").await;
        assert_eq!(upload(&app, &stranger, &path, "image/png", png()).await.status, 404);
        let other_entry = format!("/api/v1/programme-registrations/{}/progress/{}/evidence", r.id, entry + 1000);
        assert_eq!(link(&app, &c.t.member, &other_entry, "https://a.vn").await.status, 404, "an entry of no registration");

        let seen: RegistrationView = app.get(&format!("/api/v1/programme-registrations/{}", r.id), Some(&c.t.member.token)).await.json();
        assert_eq!(evidence_of(&seen, entry).len(), 1, "only the accepted file is kept");
        for _ in 0..4 {
            assert_eq!(link(&app, &c.t.member, &path, "https://a.vn/x").await.status, 201);
        }
        assert_eq!(conflict(&link(&app, &c.t.member, &path, "https://a.vn/y").await), Some(ConflictCode::EvidenceLimit));

        let seen: RegistrationView = app.get(&format!("/api/v1/programme-registrations/{}", r.id), Some(&c.t.cadre.token)).await.json();
        let res = act(&app, &c.t.cadre, &seen, json!({"action": "evaluate", "result": "good"})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let res = upload(&app, &c.t.member, &path, "image/png", png()).await;
        assert_eq!(conflict(&res), Some(ConflictCode::RegistrationEvaluated), "not after the evaluation");
    }

    async fn a_branchs_registrations_export_in_the_programmes_layout_with_formulas_neutralised(app) {
        let t = app.tree().await;
        app.add_linked_member(&t.cadre, member_record(t.branch, "Lê Thị Hồng Nhung", "056206012345"), &t.member).await;
        let evil = r#"=HYPERLINK("http://evil.example","Hiến máu")"#;
        let mut body = programme_body(t.commune);
        body["headings"][1]["items"][1]["title"] = json!(evil);
        let p = publish(&app, &t.cadre, body).await;
        let ids = optional_ids(&p);
        let r: RegistrationView = register(&app, &t.member, &p, registration(&p, &[ids[0], ids[2]])).await.json();
        let required = r.items.iter().find(|i| i.required).unwrap().item_id;
        let res = progress(&app, &t.member, &r, json!({"item_id": required, "count": 3, "done_on": today().to_string()})).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let other_branch = app.unit(&t.admin, t.commune, "branch", "Chi đoàn Tổ dân phố 2").await.id;
        let other = app.add_member(&t.cadre, member_record(other_branch, "Trần Văn Bình", "056206012347")).await;
        let mut theirs = registration(&p, &ids[..2]);
        theirs["member_id"] = json!(other.id);
        assert_eq!(register(&app, &t.cadre, &p, theirs).await.status, 201);

        let path = |unit: shared::ids::OrgUnitId| format!("/api/v1/programmes/{}/registrations/export?unit_id={unit}", p.id);
        let (status, bytes) = app.get_bytes(&path(t.branch), &t.cadre.token).await;
        assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
        let rows = sodoan::sheets::read(&bytes).unwrap();
        let text = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(rows[0].1, text(&["Họ và tên", "Ngày sinh", "Số CCCD", "Số thẻ đoàn viên", "Chi đoàn",
            "Học tập lý luận chính trị", "Đọc sách về Bác Hồ", "Chiến dịch tình nguyện", &format!("'{evil}"), "Kết quả"]));
        assert_eq!(rows.len(), 2, "the branch's one registration: {rows:?}");
        assert_eq!(rows[1].1, text(&["Lê Thị Hồng Nhung", "19/05/2006", "056206012345", "", "Chi đoàn Tổ dân phố 1", "3/6", "0/2", "", "0/1", ""]));

        let (status, bytes) = app.get_bytes(&path(t.commune), &t.leader.token).await;
        assert_eq!((status, sodoan::sheets::read(&bytes).unwrap().len()), (200, 3), "the commune's two members for its leader");
        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        assert_eq!(app.get_bytes(&path(t.branch), &school_cadre.token).await.0, 404, "another subtree");
        assert_eq!(app.get_bytes(&path(t.school), &school_cadre.token).await.0, 404, "the programme is not theirs to see");
        assert_eq!(app.get_bytes(&path(t.branch), &t.member.token).await.0, 404, "a member reads no one's records");
        let res = app.get(&path(t.branch), Some(&t.cadre.token)).await;
        assert_eq!(res.header("content-type").as_deref(), Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        assert!(res.header("content-disposition").unwrap_or_default().starts_with("attachment; filename=\"dang-ky-ren-luyen-"));
    }

    async fn a_sheet_registers_the_members_it_names_and_reports_each_bad_row(app) {
        let c = cast(&app).await;
        let (t, p) = (&c.t, &c.programme);
        let mut binh = member_record(t.branch, "Trần Văn Bình", "056206012347");
        binh["card_number"] = json!("KH-2022-000123");
        app.add_member(&t.cadre, binh).await;
        app.add_member(&t.cadre, member_record(t.branch, "Phạm Văn An", "056206012348")).await;

        let (status, job) = import(&app, &t.cadre, p.id, t.commune, "valid_only", sample_sheet()).await;
        let job = job.unwrap_or_else(|| panic!("status {status}"));
        assert_eq!(job.kind, ImportKind::ProgrammeRegistrations);
        let job = crate::imports::finished(&app, &t.cadre, job.id).await;
        assert_eq!((job.status, job.imported_rows, job.error_rows, job.processed_rows), (ImportStatus::Done, 2, 4, 6), "{job:#?}");
        let report: Vec<(u32, &str, FieldErrorCode, Option<u32>)> =
            job.errors.iter().map(|e| (e.row, e.column.as_str(), e.code, e.same_as_row)).collect();
        assert_eq!(report, [
            (4, "", FieldErrorCode::TooShort, None),
            (5, "Số CCCD", FieldErrorCode::NotFound, None),
            (6, "Số CCCD", FieldErrorCode::Duplicate, Some(2)),
            (7, "Số CCCD", FieldErrorCode::Duplicate, Some(4)),
            (7, "Hiến máu", FieldErrorCode::InvalidFormat, None),
        ]);
        let listed: Page<RegistrationSummary> = app.get(&format!("/api/v1/programmes/{}/registrations", p.id), Some(&t.cadre.token)).await.json();
        let mut names: Vec<&str> = listed.items.iter().map(|r| r.member_name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(names, ["Lê Thị Hồng Nhung", "Trần Văn Bình"]);
        let binh: RegistrationView = app.get(&format!("/api/v1/programme-registrations/{}", listed.items.iter().find(|r| r.member_name == "Trần Văn Bình").unwrap().id), Some(&t.cadre.token)).await.json();
        let held: Vec<&str> = binh.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(held, ["Học tập lý luận chính trị", "Đọc sách về Bác Hồ", "Hiến máu"], "the required item and the two marked");
        let s: ProgrammeStats = app.get(&format!("/api/v1/programmes/stats?unit_id={}", t.commune), Some(&t.cadre.token)).await.json();
        assert_eq!(s.registered, 2, "the counters moved with the rows");

        let (_, again) = import(&app, &t.cadre, p.id, t.branch, "valid_only", sample_sheet()).await;
        let again = crate::imports::finished(&app, &t.cadre, again.unwrap().id).await;
        assert_eq!((again.imported_rows, again.errors[0].code), (0, FieldErrorCode::AlreadyRegistered), "{again:#?}");
        let audit = app.get(&format!("/api/v1/audit?unit_id={}", t.commune), Some(&t.admin.token)).await;
        let actions: Vec<&str> = audit.body["items"].as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
        assert_eq!(actions.iter().filter(|a| **a == "programme_registration.import").count(), 2);
        assert_eq!(actions.iter().filter(|a| **a == "programme_registration.register").count(), 2);
    }

    async fn an_all_or_nothing_sheet_with_a_bad_row_registers_nobody(app) {
        let c = cast(&app).await;
        let (t, p) = (&c.t, &c.programme);
        let mut binh = member_record(t.branch, "Trần Văn Bình", "056206012347");
        binh["card_number"] = json!("KH-2022-000123");
        app.add_member(&t.cadre, binh).await;
        app.add_member(&t.cadre, member_record(t.branch, "Phạm Văn An", "056206012348")).await;
        let (_, job) = import(&app, &t.cadre, p.id, t.commune, "all_or_nothing", sample_sheet()).await;
        let job = crate::imports::finished(&app, &t.cadre, job.unwrap().id).await;
        assert_eq!((job.status, job.imported_rows, job.error_rows), (ImportStatus::Failed, 0, 4));
        let listed: Page<RegistrationSummary> = app.get(&format!("/api/v1/programmes/{}/registrations", p.id), Some(&t.cadre.token)).await.json();
        assert_eq!(listed.total, 0, "nothing it reports as failed, nor anything else");
        let s: ProgrammeStats = app.get(&format!("/api/v1/programmes/stats?unit_id={}", t.commune), Some(&t.cadre.token)).await.json();
        assert_eq!(s.registered, 0);

        let good = sheet(&["Họ và tên", "Số CCCD", "Đọc sách về Bác Hồ", "Hiến máu"], &[&["Lê Thị Hồng Nhung", "056206012345", "x", "x"]]);
        let (_, job) = import(&app, &t.cadre, p.id, t.branch, "all_or_nothing", good).await;
        let job = crate::imports::finished(&app, &t.cadre, job.unwrap().id).await;
        assert_eq!((job.status, job.imported_rows), (ImportStatus::Done, 1));
    }

    async fn a_sheet_import_is_refused_outside_the_callers_scope_or_the_programme(app) {
        let c = cast(&app).await;
        let (t, p) = (&c.t, &c.programme);
        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        assert_eq!(import(&app, &school_cadre, p.id, t.commune, "valid_only", sample_sheet()).await.0, 404, "another unit's programme");
        assert_eq!(import(&app, &t.member, p.id, t.branch, "valid_only", sample_sheet()).await.0, 403, "a member imports nothing");
        let res = import_resp(&app, &t.admin, p.id, t.school, "valid_only", sample_sheet()).await;
        assert_eq!(res.error_fields(), ["unit_id"], "a unit outside the programme's");
        let res = import_resp(&app, &t.cadre, p.id, t.branch, "valid_only", sheet(&["Họ và tên", "Bơi lội"], &[&["A", "x"]])).await;
        assert_eq!(res.error_fields(), ["file"]);
        assert!(res.problem().detail.unwrap_or_default().contains("Bơi lội"), "names the unknown column");
        let res = import_resp(&app, &t.cadre, p.id, t.branch, "sometimes", sample_sheet()).await;
        assert_eq!(res.error_fields(), ["mode"]);
        let mut program = b"MZ\x90\x00".to_vec();
        program.extend_from_slice(&[0; 64]);
        assert_eq!(import_resp(&app, &t.cadre, p.id, t.branch, "valid_only", program).await.status, 415);
    }
}

/// A sheet with these headers and rows.
fn sheet(headers: &[&str], rows: &[&[&str]]) -> Vec<u8> {
    let rows = rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect());
    sodoan::sheets::write_xlsx("Đăng ký", headers, rows).unwrap()
}

/// Rows 2–3 good (by CCCD, by card), 4 too few items, 5 nobody, 6 row 2 again, 7 row 4 again with a bad mark.
fn sample_sheet() -> Vec<u8> {
    sheet(
        &[
            "Họ và tên",
            "Số CCCD",
            "Số thẻ đoàn viên",
            "Học tập lý luận chính trị",
            "Đọc sách về Bác Hồ",
            "Chiến dịch tình nguyện",
            "Hiến máu",
            "Kết quả",
        ],
        &[
            &["Lê Thị Hồng Nhung", "056206012345", "", "", "x", "x", "", ""],
            &["Trần Văn Bình", "", "KH-2022-000123", "", "x", "", "X", ""],
            &["Phạm Văn An", "056 206 012 348", "", "", "x", "", "", ""],
            &["Người không có", "056206099999", "", "", "x", "x", "", ""],
            &["Lê Thị Hồng Nhung", "056206012345", "", "", "x", "x", "", ""],
            &["Phạm Văn An", "056206012348", "", "", "x", "", "có", ""],
        ],
    )
}

async fn import_resp(
    app: &TestApp,
    by: &Session,
    programme: i64,
    unit: shared::ids::OrgUnitId,
    mode: &str,
    bytes: Vec<u8>,
) -> Resp {
    let path = format!(
        "/api/v1/programmes/{programme}/registrations/import?unit_id={unit}&mode={mode}&file_name=dang-ky.xlsx"
    );
    app.post_bytes(&path, &by.token, bytes).await
}

/// An import's status, and the job when it was accepted.
async fn import(
    app: &TestApp,
    by: &Session,
    programme: i64,
    unit: shared::ids::OrgUnitId,
    mode: &str,
    bytes: Vec<u8>,
) -> (u16, Option<ImportJobView>) {
    let res = import_resp(app, by, programme, unit, mode, bytes).await;
    (res.status, (res.status == 202).then(|| res.json()))
}
