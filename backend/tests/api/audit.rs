//! The audit trail.

use serde_json::json;
use shared::api::audit::AuditEntryView;
use shared::api::Page;

api_tests! {
    async fn every_change_is_audited_and_readable_by_the_leaders_of_that_subtree(app) {
        let t = app.tree().await;
        let unit = app.unit(&t.cadre, t.commune, "branch", "Chi đoàn Tổ dân phố 5").await;
        let res = app.patch(&format!("/api/v1/org-units/{}", unit.id), Some(&t.cadre.token), Some("\"1\""), json!({"name": "Chi đoàn TDP 5"})).await;
        assert_eq!(res.status, 200);

        let res = app.get(&format!("/api/v1/audit?unit_id={}", t.commune), Some(&t.leader.token)).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let page: Page<AuditEntryView> = res.json();
        let update = &page.items[0];
        assert_eq!(update.action, "org_unit.update");
        assert_eq!(update.entity_id, unit.id.0);
        assert_eq!(update.actor_user_id, Some(t.cadre.user_id));
        assert_eq!(update.actor_name.as_deref(), Some("Nguyễn Văn Đức"));
        assert_eq!(update.before.as_ref().unwrap()["name"], "Chi đoàn Tổ dân phố 5");
        assert_eq!(update.after.as_ref().unwrap()["name"], "Chi đoàn TDP 5");
        assert_eq!(page.items[1].action, "org_unit.create");
        assert!(page.items.iter().all(|e| e.org_unit_id.is_some()));
        assert!(!page.items.iter().any(|e| e.org_unit_id == Some(t.school)), "only the commune's subtree");

        assert_eq!(app.get(&format!("/api/v1/audit?unit_id={}", t.commune), Some(&t.cadre.token)).await.status, 403, "cadres do not read the audit");
        let school_leader = app.user("Vũ Thị Hạnh").await;
        app.grant(&t.admin, school_leader.user_id, t.school, "leader").await;
        assert_eq!(app.get(&format!("/api/v1/audit?unit_id={}", t.commune), Some(&school_leader.token)).await.status, 403);
    }
}

/// The audit trail's hash chain: appends, `sodoan audit verify`, and what an attacker with
/// access to the database can and cannot do unnoticed.
mod chain {
    use super::*;
    use crate::helpers::{Engine, TestApp};
    use diesel::connection::SimpleConnection;

    /// Runs SQL on the test's database, behind the server's back.
    async fn sql(app: &TestApp, sql: impl Into<String>) -> Result<(), String> {
        let sql = sql.into();
        app.db
            .run(move |conn| Ok(conn.batch_execute(&sql).map_err(|e| e.to_string())))
            .await
            .map_err(|e| e.to_string())?
    }

    /// What an attacker with database access does first: turn the append-only triggers off.
    async fn disable_triggers(app: &TestApp) {
        let off = match app.engine {
            Engine::Sqlite => "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;",
            Engine::Postgres => "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;",
        };
        sql(app, off).await.unwrap();
    }

    /// `sodoan audit verify` on the test's database: (exit code, stdout).
    fn verify(app: &TestApp) -> (i32, String) {
        let out = crate::cli::sodoan(&app.database_url).args(["audit", "verify"]).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        assert!(out.status.code().is_some(), "{}", String::from_utf8_lossy(&out.stderr));
        (out.status.code().unwrap(), stdout)
    }

    async fn head(app: &TestApp) -> (i64, String) {
        app.db.run(|conn| Ok(sodoan::db::audit::head(conn)?)).await.unwrap()
    }

    async fn entries(app: &TestApp, token: &str, unit: shared::ids::OrgUnitId) -> Vec<AuditEntryView> {
        let res = app.get(&format!("/api/v1/audit?unit_id={unit}&per_page=200"), Some(token)).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        res.json::<Page<AuditEntryView>>().items
    }

    api_tests! {
        async fn writes_through_the_api_are_chained_with_consecutive_seqs_and_verify(app) {
            let t = app.tree().await;
            app.unit(&t.cadre, t.commune, "branch", "Chi đoàn Tổ dân phố 5").await;
            let listed = entries(&app, &t.admin.token, t.root).await;
            assert!(listed.len() >= 6, "{listed:?}");
            let seqs: Vec<i64> = listed.iter().map(|e| e.seq.expect("every entry has a seq")).collect();
            assert!(seqs.windows(2).all(|w| w[0] > w[1]), "newest first, each once: {seqs:?}");
            assert!(listed.iter().all(|e| e.hash.as_ref().is_some_and(|h| h.len() == 64)));

            let (seq, hash) = head(&app).await;
            assert_eq!(seq, seqs[0], "the newest entry of the whole trail is in the root's subtree");
            assert_eq!(listed[0].hash.as_deref(), Some(hash.as_str()));
            let (code, out) = verify(&app);
            assert_eq!(out, format!("OK {seq} entries, head seq {seq} sha256:{hash}"));
            assert_eq!(code, 0);
        }

        async fn a_changed_entry_fails_verification_naming_its_seq(app) {
            let t = app.tree().await;
            let listed = entries(&app, &t.admin.token, t.root).await;
            let province = listed.iter().find(|e| e.action == "org_unit.create" && e.entity_id == t.province.0).unwrap();
            let victim = province.seq.unwrap();
            disable_triggers(&app).await;
            let change = format!(
                "UPDATE audit_log SET after_json = replace(after_json, 'Khánh Hòa', 'Ninh Thuận') WHERE seq = {victim}"
            );
            sql(&app, change).await.unwrap();
            let (code, out) = verify(&app);
            assert!(out.starts_with(&format!("FAIL seq {victim}: stored ")), "{out}");
            assert!(out.ends_with("(row changed)"), "{out}");
            assert_eq!(code, 1);
        }

        async fn removing_entries_is_noticed_at_the_end_of_the_log_and_in_its_middle(app) {
            let t = app.tree().await;
            let (last, _) = head(&app).await;
            disable_triggers(&app).await;
            let remove = format!("DELETE FROM audit_log WHERE seq = {last}");
            sql(&app, remove).await.unwrap();
            let (code, out) = verify(&app);
            assert_eq!(out, format!("FAIL head says seq {last}, log ends at {}", last - 1));
            assert_eq!(code, 1);

            sql(&app, "DELETE FROM audit_log WHERE seq = 3").await.unwrap();
            let (code, out) = verify(&app);
            assert_eq!(out, "FAIL gap after seq 2");
            assert_eq!(code, 1);
            drop(t);
        }

        async fn the_database_refuses_to_change_or_remove_an_entry(app) {
            let _t = app.tree().await;
            let refused = sql(&app, "UPDATE audit_log SET action = 'nothing' WHERE seq = 1").await.unwrap_err();
            assert!(refused.contains("audit_log is append-only"), "{refused}");
            let refused = sql(&app, "DELETE FROM audit_log WHERE seq = 1").await.unwrap_err();
            assert!(refused.contains("audit_log is append-only"), "{refused}");
            let refused = sql(
                &app,
                "INSERT INTO audit_log (action, entity_type, entity_id, at) VALUES ('x', 'y', 1, '2026-12-01 00:00:00')",
            )
            .await
            .unwrap_err();
            assert!(refused.contains("must be chained"), "{refused}");
            let refused = sql(&app, "UPDATE audit_head SET seq = 1").await.unwrap_err();
            assert!(refused.contains("only moves forward"), "{refused}");
            let (code, out) = verify(&app);
            assert!(out.starts_with("OK "), "{out}");
            assert_eq!(code, 0);
        }

        async fn concurrent_writes_leave_a_gap_free_chain(app) {
            let t = app.tree().await;
            let (before, _) = head(&app).await;
            let creations = (0..10).map(|i| {
                let (app, token) = (&app, t.cadre.token.clone());
                let body = json!({"parent_id": t.commune, "name": format!("Chi đoàn Tổ dân phố {}", 10 + i), "kind": "branch"});
                async move { app.post("/api/v1/org-units", Some(&token), body).await.status }
            });
            let statuses = futures_util::future::join_all(creations).await;
            assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
            let (after, hash) = head(&app).await;
            assert_eq!(after, before + 10);
            let (code, out) = verify(&app);
            assert_eq!(out, format!("OK {after} entries, head seq {after} sha256:{hash}"));
            assert_eq!(code, 0);
        }

        async fn entries_written_before_the_chain_are_chained_at_start_up(app) {
            let _t = app.tree().await;
            let (last, _) = head(&app).await;
            // An entry as an older version wrote it, without seq or hashes.
            let legacy = "INSERT INTO audit_log (action, entity_type, entity_id, after_json, at) \
                          VALUES ('user.register', 'user', 99, '{\"a\":1}', '2026-11-30 08:00:00.123456')";
            match app.engine {
                Engine::Sqlite => {
                    sql(&app, "DROP TRIGGER audit_log_chained").await.unwrap();
                    sql(&app, legacy).await.unwrap();
                }
                Engine::Postgres => {
                    let around =
                        format!("SET session_replication_role = replica; {legacy}; SET session_replication_role = DEFAULT");
                    sql(&app, around).await.unwrap();
                }
            }
            let (code, out) = verify(&app);
            assert_eq!(out, "FAIL 1 entries have no seq (outside the chain)");
            assert_eq!(code, 1);

            let migrated = crate::cli::sodoan(&app.database_url).arg("migrate").output().unwrap();
            assert!(migrated.status.success(), "{}", String::from_utf8_lossy(&migrated.stderr));
            let (seq, hash) = head(&app).await;
            assert_eq!(seq, last + 1);
            let (code, out) = verify(&app);
            assert_eq!(out, format!("OK {seq} entries, head seq {seq} sha256:{hash}"));
            assert_eq!(code, 0);
        }
    }
}
