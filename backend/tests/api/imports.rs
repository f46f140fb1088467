//! Importing member records from spreadsheets, and exporting them.

use crate::helpers::{member_record, Session, TestApp};
use shared::api::imports::{HeaderMap, ImportJobView, ImportMode, ImportStatus, COLUMNS};
use shared::api::members::MemberSummary;
use shared::api::org_units::OrgUnitDetail;
use shared::api::Page;
use shared::ids::OrgUnitId;
use shared::{ErrorCode, FieldErrorCode};
use std::time::{Duration, Instant};

const HEADERS: [&str; 7] =
    ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Chi đoàn", "Ngày vào Đoàn"];

fn xlsx(headers: &[&str], rows: &[[&str; 7]]) -> Vec<u8> {
    let rows = rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect());
    sodoan::sheets::write_xlsx("Đoàn viên", headers, rows).unwrap()
}

/// Five rows for the commune (two branches): rows 3 and 5 are bad, row 6 repeats row 2's CCCD.
fn file_with_bad_rows() -> Vec<u8> {
    xlsx(
        &HEADERS,
        &[
            [
                "Nguyễn Văn Đức",
                "19/05/2006",
                "Nam",
                "056206012345",
                "0912345678",
                "Chi đoàn Tổ dân phố 1",
                "26/03/2022",
            ],
            ["Trần Thị Mai", "01/02/2005", "Nữ", "05630501234", "0912345679", "Chi đoàn Tổ dân phố 1", "26/03/2021"],
            ["Lê Văn Tám", "12/12/2004", "Nam", "", "0987654321", "Chi đoàn Tổ dân phố 2", "26/03/2020"],
            ["", "12/12/2004", "Nam", "", "", "Chi đoàn không có", "26/03/2020"],
            ["Nguyễn Văn Đức", "19/05/2006", "Nam", "056206012345", "", "Chi đoàn Tổ dân phố 1", "26/03/2022"],
        ],
    )
}

async fn upload(app: &TestApp, by: &Session, unit: OrgUnitId, mode: &str, bytes: Vec<u8>) -> crate::helpers::Resp {
    app.post_bytes(&format!("/api/v1/imports?unit_id={unit}&mode={mode}&file_name=danh-sach.xlsx"), &by.token, bytes)
        .await
}

pub async fn finished(app: &TestApp, by: &Session, job: i64) -> ImportJobView {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let res = app.get(&format!("/api/v1/imports/{job}"), Some(&by.token)).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let view: ImportJobView = res.json();
        if view.status.is_finished() {
            return view;
        }
        assert!(Instant::now() < deadline, "the import did not finish: {view:?}");
        actix_rt::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn count(app: &TestApp, by: &Session, unit: OrgUnitId) -> i64 {
    app.get(&format!("/api/v1/org-units/{unit}"), Some(&by.token)).await.json::<OrgUnitDetail>().unit.member_count
}

api_tests! {
    async fn valid_rows_are_imported_and_each_bad_row_is_reported_with_its_row_and_column(app) {
        let t = app.tree().await;
        app.unit(&t.admin, t.commune, "branch", "Chi đoàn Tổ dân phố 2").await;
        let res = upload(&app, &t.cadre, t.commune, "valid_only", file_with_bad_rows()).await;
        assert_eq!(res.status, 202, "{:#}", res.body);
        let started: ImportJobView = res.json();
        assert_eq!((started.total_rows, started.mode, started.file_name.as_str()), (5, ImportMode::ValidOnly, "danh-sach.xlsx"));
        assert_eq!(res.header("location"), Some(format!("/api/v1/imports/{}", started.id)));

        let job = finished(&app, &t.cadre, started.id).await;
        assert_eq!((job.status, job.imported_rows, job.error_rows, job.processed_rows), (ImportStatus::Done, 2, 3, 5));
        let report: Vec<(u32, &str, FieldErrorCode)> = job.errors.iter().map(|e| (e.row, e.column.as_str(), e.code)).collect();
        assert_eq!(
            report,
            [
                (3, "Số CCCD", FieldErrorCode::InvalidFormat),
                (5, "Họ và tên", FieldErrorCode::Required),
                (5, "Chi đoàn", FieldErrorCode::NotFound),
                (6, "Số CCCD", FieldErrorCode::Duplicate),
            ]
        );
        assert_eq!(job.errors[3].same_as_row, Some(2));
        assert!(job.errors.iter().all(|e| !e.message.is_empty()));

        let found: Page<MemberSummary> = app.get(&format!("/api/v1/members?unit_id={}&q=duc", t.commune), Some(&t.cadre.token)).await.json();
        assert_eq!(found.total, 1, "a repeated row is not inserted twice");
        let tam: Page<MemberSummary> = app.get(&format!("/api/v1/members?unit_id={}&q=tam", t.commune), Some(&t.cadre.token)).await.json();
        assert_eq!(tam.items[0].unit_name, "Chi đoàn Tổ dân phố 2", "the Chi đoàn column places the member");
        assert_eq!(count(&app, &t.cadre, t.commune).await, 2);

        let jobs: Vec<ImportJobView> = app.get(&format!("/api/v1/imports?unit_id={}", t.commune), Some(&t.cadre.token)).await.json::<shared::api::Page<ImportJobView>>().items;
        assert_eq!(jobs.iter().map(|j| j.id).collect::<Vec<_>>(), [job.id]);
        let audit = app.get(&format!("/api/v1/audit?unit_id={}", t.commune), Some(&t.leader.token)).await;
        assert!(audit.body["items"].as_array().unwrap().iter().any(|e| e["action"] == "member.import"));

        let again = finished(&app, &t.cadre, upload(&app, &t.cadre, t.commune, "valid_only", file_with_bad_rows()).await.json::<ImportJobView>().id).await;
        assert_eq!(again.imported_rows, 0, "the same file twice adds nobody");
        assert!(again.errors.iter().any(|e| e.row == 2 && e.code == FieldErrorCode::AlreadyMember));
    }

    async fn all_or_nothing_imports_nothing_when_one_row_is_bad(app) {
        let t = app.tree().await;
        app.unit(&t.admin, t.commune, "branch", "Chi đoàn Tổ dân phố 2").await;
        let before = count(&app, &t.cadre, t.commune).await;
        let job: ImportJobView = upload(&app, &t.cadre, t.commune, "all_or_nothing", file_with_bad_rows()).await.json();
        let job = finished(&app, &t.cadre, job.id).await;
        assert_eq!((job.status, job.imported_rows, job.error_rows), (ImportStatus::Failed, 0, 3));
        assert!(job.message.is_some());
        assert_eq!(count(&app, &t.cadre, t.commune).await, before);

        let good = xlsx(&HEADERS, &[["Nguyễn Văn Đức", "19/05/2006", "Nam", "056206012345", "0912345678", "", "26/03/2022"]]);
        let job: ImportJobView = upload(&app, &t.cadre, t.branch, "all_or_nothing", good).await.json();
        let job = finished(&app, &t.cadre, job.id).await;
        assert_eq!((job.status, job.imported_rows), (ImportStatus::Done, 1), "into a branch, the Chi đoàn column may stay empty");
    }

    async fn unusable_files_are_refused_before_anything_is_imported(app) {
        let t = app.tree().await;
        let before = count(&app, &t.cadre, t.commune).await;
        let wrong = xlsx(&["Tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Chi đoàn", "Ngày vào Đoàn"], &[["Nguyễn Văn Đức", "19/05/2006", "Nam", "", "", "", "26/03/2022"]]);
        let res = upload(&app, &t.cadre, t.branch, "valid_only", wrong).await;
        assert_eq!(res.error_fields(), ["file"]);
        let detail = res.problem().detail.unwrap();
        assert!(detail.contains("Họ và tên") && detail.contains("Tên"), "names the missing and unknown columns: {detail}");
        assert_eq!(upload(&app, &t.cadre, t.branch, "valid_only", vec![]).await.error_fields(), ["file"], "an empty file");
        assert_eq!(upload(&app, &t.cadre, t.branch, "valid_only", xlsx(&HEADERS, &[])).await.error_fields(), ["file"], "headers only");
        let mut exe = b"MZ\x90\x00\x03\x00\x00\x00".to_vec();
        exe.resize(4096, 0);
        let res = upload(&app, &t.cadre, t.branch, "valid_only", exe).await;
        assert_eq!((res.status, res.problem().code()), (415, Some(ErrorCode::UnsupportedMediaType)), "a program renamed .xlsx");
        let res = upload(&app, &t.cadre, t.branch, "valid_only", vec![b'a'; 50 * 1024 * 1024]).await;
        assert_eq!(res.status, 413, "50 MB");
        assert_eq!(upload(&app, &t.cadre, t.branch, "sometimes", file_with_bad_rows()).await.error_fields(), ["mode"]);
        assert_eq!(count(&app, &t.cadre, t.commune).await, before, "nothing imported");
    }

    async fn imports_are_refused_outside_the_callers_subtree(app) {
        let t = app.tree().await;
        assert_eq!(upload(&app, &t.cadre, t.school, "valid_only", file_with_bad_rows()).await.status, 403);
        assert_eq!(upload(&app, &t.member, t.branch, "valid_only", file_with_bad_rows()).await.status, 403);
        assert_eq!(upload(&app, &t.leader, t.branch, "valid_only", file_with_bad_rows()).await.status, 202, "leaders are above cadres");
        let job: ImportJobView = upload(&app, &t.cadre, t.branch, "valid_only", file_with_bad_rows()).await.json();
        let stranger = app.user("Đỗ Văn Nam").await;
        assert_eq!(app.get(&format!("/api/v1/imports/{}", job.id), Some(&stranger.token)).await.status, 404);
        assert_eq!(app.get(&format!("/api/v1/imports?unit_id={}", t.school), Some(&t.cadre.token)).await.status, 403);
        finished(&app, &t.cadre, job.id).await;
    }

    async fn the_template_and_the_xlsx_export_read_back_as_spreadsheets(app) {
        let t = app.tree().await;
        let (status, bytes) = app.get_bytes("/api/v1/imports/template.xlsx", &t.cadre.token).await;
        assert_eq!(status, 200);
        let rows = sodoan::sheets::read(&bytes).unwrap();
        assert!(HeaderMap::read(&rows[0].1).is_ok(), "the template's headers are the import's");
        assert_eq!(rows[0].1.len(), COLUMNS.len());
        let (status, csv) = app.get_bytes("/api/v1/imports/template.csv", &t.cadre.token).await;
        assert_eq!((status, csv.starts_with(b"\xEF\xBB\xBF")), (200, true));

        app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        let (status, bytes) = app.get_bytes(&format!("/api/v1/members/export?unit_id={}&format=xlsx", t.commune), &t.cadre.token).await;
        assert_eq!(status, 200);
        let rows = sodoan::sheets::read(&bytes).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[1].1[0].as_str(), rows[1].1[3].as_str()), ("Nguyễn Văn Đức", "056206012345"));
        let res = app.get(&format!("/api/v1/members/export?unit_id={}&format=pdf", t.commune), Some(&t.cadre.token)).await;
        assert_eq!(res.error_fields(), ["format"]);
    }
}
