//! A server killed (`kill -9`) in the middle of a thousand concurrent writes and an import loses
//! nothing it answered: every write answered 2xx is there after a restart, nothing is half
//! written, the counters agree with the rows, the audit chain holds, and the import is marked
//! failed with the members it wrote whole.

use crate::cli::sodoan;
use crate::helpers::{member_record, spawn_app_on, TestApp};
use diesel::sql_types::BigInt;
use diesel::{QueryableByName, RunQueryDsl};
use futures_util::future::join_all;
use serde_json::{json, Value};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

const CREATES: usize = 600;
const EDITED: usize = 40;
const EDITS_EACH: usize = 10;
/// Answers received before the kill (or 30 s, on a slow machine).
const KILL_AFTER: usize = 350;

fn name(n: usize) -> String {
    const WORDS: [&str; 10] = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nam"];
    format!("Trần {} {} {}", WORDS[n / 100 % 10], WORDS[n / 10 % 10], WORDS[n % 10])
}

fn card(n: usize) -> String {
    format!("05620602{n:04}")
}

/// A request that may meet a dead server: `None` when no answer came.
async fn send(
    client: &awc::Client,
    url: String,
    token: &str,
    if_match: Option<String>,
    patch: bool,
    body: Value,
) -> Option<(u16, Value)> {
    let mut req = if patch { client.patch(url) } else { client.post(url) };
    req = req.insert_header(("Authorization", format!("Bearer {token}")));
    if let Some(v) = if_match {
        req = req.insert_header(("If-Match", v));
    }
    let mut res = req.send_json(&body).await.ok()?;
    let bytes = res.body().await.ok()?;
    Some((res.status().as_u16(), serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    app.db
        .run(move |conn| {
            diesel::sql_query(sql).get_result::<N>(conn).map(|r| r.n).map_err(sodoan::error::ApiError::from)
        })
        .await
        .unwrap()
}

pub fn import_file(branch_name: &str, rows: usize) -> Vec<u8> {
    let headers = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Chi đoàn", "Ngày vào Đoàn"];
    let rows = (0..rows).map(|n| {
        vec![
            format!("Lê {}", &name(n)[7..]),
            "19/05/2006".to_owned(),
            "Nam".to_owned(),
            format!("0562060{n:05}"),
            String::new(),
            branch_name.to_owned(),
            "26/03/2022".to_owned(),
        ]
    });
    sodoan::sheets::write_xlsx("Đoàn viên", &headers, rows).unwrap()
}

async fn crash_during_writes(app: TestApp) {
    let t = app.tree().await;
    let mut edited = Vec::new();
    for n in 0..EDITED {
        let m =
            app.add_member(&t.cadre, member_record(t.branch, &name(900 + n % 100), &format!("05620603{n:04}"))).await;
        edited.push((m.id.0, m.version));
    }
    let bulk = app.unit(&t.admin, t.commune, "branch", "Chi đoàn Nhập Liệu").await;

    // The same database, served by the real binary in a process of its own.
    let mut server = app.another_process().await;
    let base = format!("{}/api/v1", server.api.base);
    let client = awc::Client::builder().timeout(Duration::from_secs(30)).finish();

    // A long import runs when the server dies.
    let upload = client
        .post(format!("{base}/imports?unit_id={}&mode=valid_only&file_name=nhap.xlsx", t.commune))
        .insert_header(("Authorization", format!("Bearer {}", t.cadre.token)))
        .send_body(import_file(&bulk.name, 3000))
        .await;
    let mut upload = upload.expect("the import is accepted");
    assert_eq!(upload.status().as_u16(), 202, "{:?}", upload.body().await);
    let job: Value = serde_json::from_slice(&upload.body().await.unwrap()).unwrap();
    let job_id = job["id"].as_i64().unwrap();

    let answered = Rc::new(Cell::new(0usize));
    let created: Rc<RefCell<Vec<(i64, usize)>>> = Rc::default();
    let refused: Rc<RefCell<Vec<usize>>> = Rc::default();
    let edits: Rc<RefCell<Vec<(usize, i64, String)>>> = Rc::default();

    let creates = (0..CREATES).map(|n| {
        let (client, base, token, answered, created, refused) =
            (&client, &base, &t.cadre.token, answered.clone(), created.clone(), refused.clone());
        async move {
            let body = member_record(t.branch, &name(n), &card(n));
            if let Some((status, body)) = send(client, format!("{base}/members"), token, None, false, body).await {
                answered.set(answered.get() + 1);
                // A create either lands (201), or is refused with nothing written: a deadlock the
                // database broke (409 concurrent_update, to be retried) or a server going down.
                let retry = status == 409 && body["code"] == "concurrent_update";
                assert!(status == 201 || retry || status >= 500, "a create answered {status}: {body}");
                if status == 201 {
                    created.borrow_mut().push((body["id"].as_i64().unwrap(), n));
                } else if retry {
                    refused.borrow_mut().push(n);
                }
            }
        }
    });
    let editors = edited.iter().enumerate().map(|(i, &(id, version))| {
        let (client, base, token, answered, edits) = (&client, &base, &t.cadre.token, answered.clone(), edits.clone());
        async move {
            let mut version = version;
            for k in 0..EDITS_EACH {
                let phone = format!("09{:08}", i * 100 + k);
                let url = format!("{base}/members/{id}");
                let Some((status, body)) =
                    send(client, url, token, Some(format!("\"{version}\"")), true, json!({"phone": phone})).await
                else {
                    return;
                };
                answered.set(answered.get() + 1);
                if status != 200 {
                    return;
                }
                version = body["version"].as_i64().unwrap();
                edits.borrow_mut().push((i, version, phone));
            }
        }
    });
    let killer = {
        let answered = answered.clone();
        async move {
            let deadline = Instant::now() + Duration::from_secs(30);
            while answered.get() < KILL_AFTER && Instant::now() < deadline {
                actix_web::rt::time::sleep(Duration::from_millis(5)).await;
            }
            server.kill(); // SIGKILL
        }
    };
    let work = futures_util::future::join(join_all(creates), join_all(editors));
    futures_util::future::join(work, killer).await;
    let answered = answered.get();
    assert!((20..CREATES + EDITED * EDITS_EACH).contains(&answered), "the server died mid-way ({answered} answers)");
    let (created, refused, edits) = (created.take(), refused.take(), edits.take());

    // Restart on the same database.
    let restarted =
        spawn_app_on(app.engine, sodoan::db::DbUrl::parse(&app.database_url).unwrap(), tempfile::tempdir().unwrap())
            .await;
    let cadre = &t.cadre;
    for &(id, n) in &created {
        let res = restarted.get(&format!("/api/v1/members/{id}"), Some(&cadre.token)).await;
        assert_eq!(res.status, 200, "member {id}, answered 201, is there");
        assert_eq!(
            (res.body["full_name"].as_str(), res.body["national_id"].as_str()),
            (Some(name(n).as_str()), Some(card(n).as_str()))
        );
    }
    for n in refused {
        let found =
            restarted.get(&format!("/api/v1/members?unit_id={}&q={}", t.branch, card(n)), Some(&cadre.token)).await;
        assert_eq!(found.body["total"], 0, "a create answered 409 wrote nothing: {:#}", found.body);
    }
    for (i, &(id, _)) in edited.iter().enumerate() {
        let last = edits.iter().filter(|e| e.0 == i).max_by_key(|e| e.1).cloned();
        let res = restarted.get(&format!("/api/v1/members/{id}"), Some(&cadre.token)).await;
        let stored = res.body["version"].as_i64().unwrap();
        if let Some((_, version, phone)) = last {
            assert!(
                stored == version || stored == version + 1,
                "member {id}: stored version {stored}, last answered {version}"
            );
            if stored == version {
                assert_eq!(
                    res.body["phone"].as_str(),
                    Some(phone.as_str()),
                    "member {id} keeps the last answered edit"
                );
            }
        }
    }
    let job = restarted.get(&format!("/api/v1/imports/{job_id}"), Some(&cadre.token)).await;
    let status = job.body["status"].as_str().unwrap().to_owned();
    assert!(status == "failed" || status == "done", "the import is not left running: {:#}", job.body);

    // Nothing half written: every member has its placement, every counter agrees with the rows.
    let unplaced = count(
        &restarted,
        "SELECT COUNT(*) AS n FROM members m WHERE NOT EXISTS (SELECT 1 FROM member_placements p WHERE p.member_id = m.id)",
    )
    .await;
    assert_eq!(unplaced, 0, "a member without its placement");
    let drift = count(
        &restarted,
        "SELECT COUNT(*) AS n FROM org_units u WHERE u.live_members <> (SELECT COUNT(*) FROM members m \
         WHERE m.unit_path >= u.path AND m.unit_path < u.path || '~' AND m.status IN ('active', 'extended'))",
    )
    .await;
    assert_eq!(drift, 0, "a unit whose live-member counter disagrees with its members");
    let imported = count(
        &restarted,
        "SELECT COUNT(*) AS n FROM members m JOIN org_units u ON u.id = m.unit_id WHERE u.name = 'Chi đoàn Nhập Liệu'",
    )
    .await;
    assert_eq!(imported % 1000, 0, "the import writes whole chunks ({imported} members)");
    let out = sodoan(&app.database_url).args(["audit", "verify"]).output().unwrap();
    let verdict = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && verdict.starts_with("OK"), "{verdict}");
}

api_tests! {
    async fn a_server_killed_during_a_thousand_writes_and_an_import_keeps_every_answered_write_whole(app) {
        crash_during_writes(app).await
    }
}
