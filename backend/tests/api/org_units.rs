//! The organisation tree.

use serde_json::json;
use shared::api::org_units::{OrgUnitDetail, OrgUnitView};
use shared::api::Page;
use shared::org::{OrgKind, Sector};
use shared::{ErrorCode, FieldErrorCode};

api_tests! {
    async fn a_unit_is_read_with_its_ancestors_and_listed_with_child_counts(app) {
        let t = app.tree().await;
        let res = app.get(&format!("/api/v1/org-units/{}", t.branch), Some(&t.member.token)).await;
        assert_eq!(res.status, 200);
        assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
        let detail: OrgUnitDetail = res.json();
        assert_eq!(detail.unit.kind, OrgKind::Branch);
        assert_eq!(detail.unit.depth, 3);
        let crumbs: Vec<_> = detail.ancestors.iter().map(|a| a.id).collect();
        assert_eq!(crumbs, [t.root, t.province, t.commune], "root first");

        let page: Page<OrgUnitView> = app.get(&format!("/api/v1/org-units?parent_id={}", t.province), Some(&t.member.token)).await.json();
        assert_eq!(page.total, 2);
        assert!(page.items.iter().all(|u| u.child_count == 1 && u.parent_id == Some(t.province)));
        let page: Page<OrgUnitView> = app.get(&format!("/api/v1/org-units?parent_id={}&per_page=1&page=2", t.province), Some(&t.member.token)).await.json();
        assert_eq!((page.items.len(), page.total, page.page), (1, 2, 2));
    }

    async fn a_new_unit_inherits_the_parents_sector_unless_given(app) {
        let t = app.tree().await;
        let res = app
            .post("/api/v1/org-units", Some(&t.leader.token), json!({"parent_id": t.province, "name": "Đoàn trường Đại học Nha Trang", "kind": "grassroots", "sector": "school", "code": "kh-dhnt"}))
            .await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let school: OrgUnitView = res.json();
        assert_eq!((school.sector, school.code.as_deref()), (Sector::School, Some("KH-DHNT")));
        let branch = app.unit(&t.leader, school.id, "branch", "Chi đoàn K64 CNTT").await;
        assert_eq!(branch.sector, Sector::School);
    }

    async fn a_cadre_creates_units_in_their_subtree_only(app) {
        let t = app.tree().await;
        let created = app.unit(&t.cadre, t.commune, "branch", "Chi đoàn Tổ dân phố 2").await;
        assert_eq!(created.parent_id, Some(t.commune));

        for parent in [t.school, t.province] {
            let res = app.post("/api/v1/org-units", Some(&t.cadre.token), json!({"parent_id": parent, "name": "Chi đoàn lạ", "kind": "branch"})).await;
            assert_eq!(res.status, 403, "parent {parent}");
            assert_eq!(res.problem().code(), Some(ErrorCode::Forbidden));
        }
        let res = app.post("/api/v1/org-units", Some(&t.member.token), json!({"parent_id": t.branch, "name": "X Y", "kind": "branch"})).await;
        assert_eq!(res.status, 403, "members do not manage units");
        let res = app.post("/api/v1/org-units", None, json!({"parent_id": t.branch, "name": "X Y", "kind": "branch"})).await;
        assert_eq!(res.status, 401);
    }

    async fn a_unit_of_the_wrong_kind_an_unknown_parent_or_a_taken_code_is_422(app) {
        let t = app.tree().await;
        let res = app.post("/api/v1/org-units", Some(&t.admin.token), json!({"parent_id": t.branch, "name": "Chi đoàn con", "kind": "branch"})).await;
        assert_eq!(res.error_fields(), ["kind"]);
        assert_eq!(res.problem().errors[0].code, FieldErrorCode::NotAllowed);

        let res = app.post("/api/v1/org-units", Some(&t.admin.token), json!({"parent_id": 99999, "name": "Chi đoàn ma", "kind": "branch"})).await;
        assert_eq!(res.error_fields(), ["parent_id"]);

        let res = app.post("/api/v1/org-units", Some(&t.admin.token), json!({"name": "<b>", "kind": "village", "sector": "space"})).await;
        assert_eq!(res.error_fields(), ["parent_id", "name", "kind", "sector"]);

        app.post("/api/v1/org-units", Some(&t.admin.token), json!({"parent_id": t.commune, "name": "Chi đoàn A", "kind": "branch", "code": "NT-A"})).await;
        let res = app.post("/api/v1/org-units", Some(&t.admin.token), json!({"parent_id": t.school, "name": "Chi đoàn B", "kind": "branch", "code": "nt-a"})).await;
        assert_eq!(res.error_fields(), ["code"]);
        assert_eq!(res.problem().errors[0].code, FieldErrorCode::Duplicate);
    }

    async fn a_rename_needs_the_current_version_and_the_scope(app) {
        let t = app.tree().await;
        let path = format!("/api/v1/org-units/{}", t.branch);
        let res = app.patch(&path, Some(&t.cadre.token), None, json!({"name": "Chi đoàn TDP 1"})).await;
        assert_eq!(res.status, 428);

        let res = app.patch(&path, Some(&t.cadre.token), Some("\"1\""), json!({"name": "Chi đoàn TDP 1"})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let renamed: OrgUnitView = res.json();
        assert_eq!((renamed.name.as_str(), renamed.version), ("Chi đoàn TDP 1", 2));
        assert_eq!(res.header("etag").as_deref(), Some("\"2\""));

        let stale = app.patch(&path, Some(&t.cadre.token), Some("\"1\""), json!({"name": "Tên khác"})).await;
        assert_eq!(stale.status, 412);
        assert_eq!(stale.problem().code(), Some(ErrorCode::PreconditionFailed));
        let detail: OrgUnitDetail = app.get(&path, Some(&t.cadre.token)).await.json();
        assert_eq!(detail.unit.name, "Chi đoàn TDP 1", "the stale write changed nothing");

        let other = app.patch(&format!("/api/v1/org-units/{}", t.school_branch), Some(&t.cadre.token), Some("\"1\""), json!({"name": "Chi đoàn lạ"})).await;
        assert_eq!(other.status, 403);
        let bad = app.patch(&path, Some(&t.cadre.token), Some("\"2\""), json!({"name": ""})).await;
        assert_eq!(bad.error_fields(), ["name"]);
    }

    async fn bad_paths_and_queries_are_problems_not_500s(app) {
        let t = app.tree().await;
        let res = app.get("/api/v1/org-units/abc", Some(&t.admin.token)).await;
        assert_eq!(res.status, 400);
        assert_eq!(res.problem().code(), Some(ErrorCode::BadRequest));
        assert_eq!(app.get("/api/v1/org-units/424242", Some(&t.admin.token)).await.status, 404);
        assert_eq!(app.get("/api/v1/org-units?parent_id=424242", Some(&t.admin.token)).await.status, 404);
        assert_eq!(app.get("/api/v1/org-units?parent_id=x", Some(&t.admin.token)).await.problem().code(), Some(ErrorCode::BadRequest));
        let res = app.get("/api/v1/org-units?per_page=500&page=0", Some(&t.admin.token)).await;
        assert_eq!(res.error_fields(), ["page", "per_page"]);
        assert_eq!(app.get("/api/v1/no-such-thing", Some(&t.admin.token)).await.problem().code(), Some(ErrorCode::NotFound));
    }

    async fn units_are_found_by_name_without_diacritics_or_by_code_and_dissolved_ones_are_not(app) {
        let t = app.tree().await;
        let find = |q: &str| format!("/api/v1/org-units?q={q}");
        let names = |res: crate::helpers::Resp| res.json::<Page<OrgUnitView>>().items.into_iter().map(|u| u.name).collect::<Vec<_>>();
        assert_eq!(names(app.get(&find("le+quy+don"), Some(&t.member.token)).await), ["Đoàn trường THPT Lê Quý Đôn"]);
        assert_eq!(names(app.get(&find("CHI+DOAN&kind=branch"), Some(&t.member.token)).await), ["Chi đoàn 12A3", "Chi đoàn Tổ dân phố 1"]);
        assert_eq!(names(app.get(&format!("{}&under={}", find("chi+doan"), t.school), Some(&t.member.token)).await), ["Chi đoàn 12A3"]);
        let res = app.post("/api/v1/org-units", Some(&t.leader.token), json!({"parent_id": t.province, "name": "Đoàn xã Cam Lâm", "kind": "grassroots", "code": "KH-CL"})).await;
        let cam: OrgUnitView = res.json();
        assert_eq!(names(app.get(&find("kh-c"), Some(&t.member.token)).await), ["Đoàn xã Cam Lâm"], "by code prefix");
        let res = app.post_versioned(&format!("/api/v1/org-units/{}/dissolve", cam.id), &t.leader.token, cam.version, json!({"on": "2025-07-01"})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        assert!(names(app.get(&find("cam+lam"), Some(&t.member.token)).await).is_empty(), "dissolved units are not offered");
        assert_eq!(app.get(&find("x&kind=village"), Some(&t.member.token)).await.error_fields(), ["kind"]);
    }
}
