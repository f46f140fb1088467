//! Dues (đoàn phí): rates on the nearest unit from their month on, payments of one or more
//! months and every refusal naming its month or field, a branch's collection for a month in one
//! step, what a member owes, a unit's collection per month from its counters, and a transfer's
//! release that claims no more than was paid. Months are last year's, so every one is past.

use crate::helpers::{member_record, Resp, Session, TestApp, Tree};
use chrono::Datelike;
use serde_json::{json, Value};
use shared::api::batch::BatchOutcome;
use shared::api::dues::{DuesMemberSummary, DuesPaymentView, DuesRateView, DuesRollLine, DuesUnitYear};
use shared::api::members::MemberView;
use shared::api::transfers::TransferView;
use shared::api::Page;
use shared::ids::{MemberId, OrgUnitId};
use shared::{ConflictCode, FieldErrorCode};

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Last year: all twelve of its months are past.
fn year() -> i32 {
    today().year() - 1
}

fn month(m: u32) -> String {
    format!("{}-{m:02}", year())
}

fn months(range: std::ops::RangeInclusive<u32>) -> Vec<String> {
    range.map(month).collect()
}

async fn pay(app: &TestApp, by: &Session, member: MemberId, months: &[String], amount: i64) -> Resp {
    let body = json!({"member_id": member, "months": months, "amount": amount, "paid_on": today()});
    app.post("/api/v1/dues/payments", Some(&by.token), body).await
}

async fn summary(app: &TestApp, by: &Session, member: MemberId) -> DuesMemberSummary {
    let res = app.get(&format!("/api/v1/dues/members/{member}/summary?year={}", year()), Some(&by.token)).await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    res.json()
}

async fn unit_year(app: &TestApp, by: &Session, unit: OrgUnitId) -> DuesUnitYear {
    let res = app.get(&format!("/api/v1/dues/months?unit_id={unit}&year={}", year()), Some(&by.token)).await;
    assert_eq!(res.status, 200, "{:#}", res.body);
    res.json()
}

async fn rate(app: &TestApp, by: &Session, body: Value) -> Resp {
    app.post("/api/v1/dues/rates", Some(&by.token), body).await
}

/// The problem's reason and whether its detail names `month`.
fn conflict_naming(res: &Resp, month: &str) -> (Option<ConflictCode>, bool) {
    assert_eq!(res.status, 409, "{:#}", res.body);
    let p = res.problem();
    (p.reason, p.detail.unwrap_or_default().contains(month))
}

fn field_code(res: &Resp, field: &str) -> Option<FieldErrorCode> {
    assert_eq!(res.status, 422, "{:#}", res.body);
    res.problem().errors.iter().find(|e| e.field == field).map(|e| e.code)
}

/// The tree and the tree's member account's own record in the branch.
async fn cast(app: &TestApp) -> (Tree, MemberView) {
    let t = app.tree().await;
    let record =
        app.add_linked_member(&t.cadre, member_record(t.branch, "Lê Thị Hồng Nhung", "056206012345"), &t.member).await;
    (t, record)
}

async fn remove(app: &TestApp, by: &Session, m: &MemberView, on: &str) {
    let path = format!("/api/v1/members/{}/transitions", m.id);
    let res = app
        .post_versioned(&path, &by.token, m.version, json!({"action": "remove", "on": on, "reason": "Bỏ sinh hoạt"}))
        .await;
    assert_eq!(res.status, 200, "{:#}", res.body);
}

api_tests! {
    async fn a_cadre_records_months_and_the_member_reads_what_they_paid_and_owe(app) {
        let (t, record) = cast(&app).await;
        let res = pay(&app, &t.cadre, record.id, &[month(2), month(1)], 4_000).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let paid: DuesPaymentView = res.json();
        assert_eq!((paid.months.clone(), paid.amount, paid.unit_id), (months(1..=2), 4_000, t.branch), "months in order");
        // A phone retrying a payment with its Idempotency-Key gets the first answer, not a second payment.
        let body = json!({"member_id": record.id, "months": [month(12)], "amount": 2_000, "paid_on": today()});
        let headers = [("Idempotency-Key", "dues-retry-1")];
        let first = app.send(actix_web::http::Method::POST, "/api/v1/dues/payments", Some(&t.cadre.token), &headers, Some(body.clone())).await;
        let again = app.send(actix_web::http::Method::POST, "/api/v1/dues/payments", Some(&t.cadre.token), &headers, Some(body)).await;
        assert_eq!((first.status, again.status, again.body["id"].clone()), (201, 201, first.body["id"].clone()), "{:#}", again.body);

        let s = summary(&app, &t.member, record.id).await;
        assert_eq!(s.months.len(), 12, "a past year: every month");
        assert_eq!((s.paid, s.owed, s.unpaid_months.clone()), (6_000, 9 * 2_000, months(3..=11)));
        assert!(s.months[0].paid && s.months[0].due && !s.months[2].paid);
        let mine: Page<DuesPaymentView> = app
            .get(&format!("/api/v1/dues/payments?member_id={}&year={}", record.id, today().year()), Some(&t.member.token))
            .await
            .json();
        assert_eq!((mine.total, mine.items[1].id), (2, paid.id), "the member reads their own payments, latest first");

        // The branch's and the commune's months, from their counters.
        let branch = unit_year(&app, &t.cadre, t.branch).await;
        let jan = &branch.months[0];
        assert_eq!((branch.due_exact, jan.members_due, jan.members_paid, jan.collected, jan.due), (true, 1, 1, 2_000, 2_000));
        assert_eq!((jan.kept, jan.sent_up), (2_000, 0), "the built-in rate sends nothing up");
        assert_eq!((branch.months[2].members_paid, branch.months[2].due), (0, 2_000));
        let commune = unit_year(&app, &t.leader, t.commune).await;
        assert_eq!((commune.due_exact, commune.months[1].collected, commune.months[1].members_due), (false, 2_000, 1));
        let listed: Page<DuesPaymentView> =
            app.get(&format!("/api/v1/dues/payments?unit_id={}&year={}", t.province, today().year()), Some(&t.leader.token)).await.json();
        assert_eq!(listed.total, 2, "the province reads its subtree's payments");

        // Who reads what.
        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        let other = format!("/api/v1/dues/members/{}/summary", record.id);
        assert_eq!(app.get(&other, Some(&school_cadre.token)).await.status, 404, "another subtree's member");
        assert_eq!(app.get(&format!("/api/v1/dues/months?unit_id={}", t.commune), Some(&school_cadre.token)).await.status, 404);
        assert_eq!(app.get(&format!("/api/v1/dues/months?unit_id={}", t.commune), Some(&t.member.token)).await.status, 404);
        assert_eq!(app.get("/api/v1/dues/payments", Some(&t.cadre.token)).await.error_fields(), ["unit_id"]);
        assert_eq!(app.get(&format!("{other}?year=1999"), Some(&t.cadre.token)).await.error_fields(), ["year"]);
        let audit = app.get(&format!("/api/v1/audit?unit_id={}", t.commune), Some(&t.leader.token)).await;
        assert!(audit.body.to_string().contains("dues_payment.record"), "{:#}", audit.body);
    }

    async fn a_payment_is_refused_naming_the_month_or_the_field(app) {
        let (t, record) = cast(&app).await;
        assert_eq!(pay(&app, &t.cadre, record.id, &months(1..=3), 6_000).await.status, 201);

        let again = pay(&app, &t.cadre, record.id, &months(3..=4), 4_000).await;
        assert_eq!(conflict_naming(&again, &month(3)), (Some(ConflictCode::DuesMonthPaid), true));
        let under = pay(&app, &t.cadre, record.id, &months(4..=6), 4_000).await;
        assert_eq!(field_code(&under, "amount"), Some(FieldErrorCode::AmountMismatch));
        let message = under.problem().errors[0].message.clone();
        assert!(message.contains(&month(4)) && message.contains(&month(6)) && message.contains("6000"), "{message}");
        let over = pay(&app, &t.cadre, record.id, &months(4..=4), 5_000).await;
        assert_eq!(field_code(&over, "amount"), Some(FieldErrorCode::AmountMismatch));
        for amount in [0, -2_000, 1_000_000_000_000] {
            assert_eq!(field_code(&pay(&app, &t.cadre, record.id, &months(4..=4), amount).await, "amount"), Some(FieldErrorCode::OutOfRange), "{amount}");
        }
        assert_eq!(field_code(&pay(&app, &t.cadre, record.id, &[], 2_000).await, "months"), Some(FieldErrorCode::Required));
        let bad = pay(&app, &t.cadre, record.id, &["2026-13".into(), "2099-01".into(), month(4), month(4)], 2_000).await;
        assert_eq!(bad.error_fields(), ["months[0]", "months[1]", "months[3]"]);
        let many: Vec<String> = (0..25).map(|i| shared::api::dues::add_months(&month(1), i)).collect();
        assert_eq!(field_code(&pay(&app, &t.cadre, record.id, &many, 50_000).await, "months"), Some(FieldErrorCode::OutOfRange));
        let body = json!({"member_id": record.id, "months": [month(4)], "amount": 2_000, "paid_on": today().succ_opt()});
        assert_eq!(app.post("/api/v1/dues/payments", Some(&t.cadre.token), body).await.error_fields(), ["paid_on"]);
        let before = pay(&app, &t.cadre, record.id, &["2021-05".into()], 2_000).await;
        assert_eq!(field_code(&before, "months[0]"), Some(FieldErrorCode::NotAllowed), "before the member joined");

        // Two phones recording one month at the same moment: one payment, the other finds it paid.
        let (a, b) = futures_util::future::join(
            pay(&app, &t.cadre, record.id, &months(4..=4), 2_000),
            pay(&app, &t.leader, record.id, &months(4..=4), 2_000),
        )
        .await;
        let mut statuses = [a.status, b.status];
        statuses.sort();
        assert_eq!(statuses, [201, 409], "{:#} {:#}", a.body, b.body);
        let refused = if a.status == 409 { &a } else { &b };
        assert_eq!(refused.problem().reason, Some(ConflictCode::DuesMonthPaid));

        // Who may record.
        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        assert_eq!(pay(&app, &school_cadre, record.id, &months(5..=5), 2_000).await.status, 404, "another subtree's member");
        assert_eq!(pay(&app, &t.member, record.id, &months(5..=5), 2_000).await.status, 403, "the member does not record their own");
        assert_eq!(pay(&app, &t.cadre, MemberId(99_999), &months(5..=5), 2_000).await.status, 404);

        // A removed member: up to the month of the removal, not after.
        remove(&app, &t.cadre, &record, &format!("{}-05-20", year())).await;
        let after = pay(&app, &t.cadre, record.id, &months(5..=6), 4_000).await;
        assert_eq!(conflict_naming(&after, &month(6)), (Some(ConflictCode::DuesAfterLeaving), true));
        assert_eq!(pay(&app, &t.cadre, record.id, &months(5..=5), 2_000).await.status, 201);
        let s = summary(&app, &t.cadre, record.id).await;
        assert_eq!((s.unpaid_months.clone(), s.owed), (Vec::<String>::new(), 0), "nothing owed after the removal");
        assert!(!s.months[6].due);
    }

    async fn a_branch_collects_a_month_in_one_step(app) {
        let (t, record) = cast(&app).await;
        let binh = app.add_member(&t.cadre, member_record(t.branch, "Trần Văn Bình", "056206012347")).await;
        let anh = app.add_member(&t.cadre, member_record(t.branch, "Đặng Thị Ánh", "056206012348")).await;
        let outsider = app.add_member(&t.admin, member_record(t.school_branch, "Phạm Văn Tú", "056206012349")).await;
        assert_eq!(pay(&app, &t.cadre, anh.id, &[month(3)], 2_000).await.status, 201);

        let body = json!({"unit_id": t.branch, "month": month(3), "member_ids": [record.id, binh.id, anh.id, outsider.id], "paid_on": today()});
        assert_eq!(app.post("/api/v1/dues/payments/bulk", Some(&t.member.token), body.clone()).await.status, 404, "a member does not collect");
        let res = app.post("/api/v1/dues/payments/bulk", Some(&t.cadre.token), body).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let outcomes: Vec<BatchOutcome> = res.json();
        let how: Vec<(i64, bool)> = outcomes.iter().map(|o| (o.id, o.problem.is_none())).collect();
        assert_eq!(how, [(record.id.0, true), (binh.id.0, true), (anh.id.0, false), (outsider.id.0, false)]);
        assert_eq!(outcomes[2].problem.as_ref().and_then(|p| p.reason), Some(ConflictCode::DuesMonthPaid));
        assert_eq!(outcomes[3].problem.as_ref().map(|p| p.status), Some(404), "a member of another unit");

        let roll: Page<DuesRollLine> =
            app.get(&format!("/api/v1/dues/roll?unit_id={}&month={}", t.branch, month(3)), Some(&t.cadre.token)).await.json();
        assert_eq!((roll.total, roll.items.iter().all(|l| l.paid)), (3, true), "{:?}", roll.items);
        let april: Page<DuesRollLine> =
            app.get(&format!("/api/v1/dues/roll?unit_id={}&month={}", t.branch, month(4)), Some(&t.cadre.token)).await.json();
        assert_eq!(april.items.iter().filter(|l| l.paid).count(), 0);
        let march = &unit_year(&app, &t.cadre, t.branch).await.months[2];
        assert_eq!((march.members_due, march.members_paid, march.collected, march.due), (3, 3, 6_000, 6_000));
        let res = app.get(&format!("/api/v1/dues/roll?unit_id={}&month=03-2026", t.branch), Some(&t.cadre.token)).await;
        assert_eq!(res.error_fields(), ["month"]);
        let body = json!({"unit_id": t.branch, "month": month(4), "member_ids": [binh.id, binh.id], "paid_on": today()});
        assert_eq!(app.post("/api/v1/dues/payments/bulk", Some(&t.cadre.token), body).await.error_fields(), ["member_ids[1]"]);
        let school_cadre = app.user("Võ Thị Thu Hà").await;
        app.grant(&t.admin, school_cadre.user_id, t.school, "cadre").await;
        let body = json!({"unit_id": t.branch, "month": month(4), "member_ids": [binh.id], "paid_on": today()});
        assert_eq!(app.post("/api/v1/dues/payments/bulk", Some(&school_cadre.token), body).await.status, 404);
    }

    async fn a_rate_applies_from_its_month_on_the_nearest_unit_and_is_not_back_dated_over_payments(app) {
        let (t, record) = cast(&app).await;
        let res = rate(&app, &t.leader, json!({"unit_id": t.province, "effective_from": month(1), "unsalaried": 3_000, "salaried": 8_000, "branch_percent": 60})).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let province: DuesRateView = res.json();
        assert_eq!((province.above_percent, province.salaried), (40, 8_000));
        assert_eq!(rate(&app, &t.cadre, json!({"unit_id": t.commune, "effective_from": month(6), "branch_percent": 50})).await.status, 201);
        let patched = app.patch(&format!("/api/v1/members/{}", record.id), Some(&t.cadre.token), Some(&format!("\"{}\"", record.version)), json!({"dues_class": "salaried"})).await;
        assert_eq!(patched.status, 200, "{:#}", patched.body);
        let patched: MemberView = patched.json();
        assert_eq!(patched.dues_class, shared::api::dues::DuesClass::Salaried);

        let s = summary(&app, &t.member, record.id).await;
        assert_eq!((s.months[0].amount, s.months[4].amount, s.months[5].amount), (8_000, 8_000, 5_000), "the province's, then the commune's");
        assert_eq!(field_code(&pay(&app, &t.cadre, record.id, &months(5..=6), 10_000).await, "amount"), Some(FieldErrorCode::AmountMismatch));
        assert_eq!(pay(&app, &t.cadre, record.id, &months(5..=7), 18_000).await.status, 201);
        let may = &unit_year(&app, &t.leader, t.province).await.months[4];
        assert_eq!((may.collected, may.kept, may.sent_up), (8_000, 4_800, 3_200), "60 % kept by the branch");
        let july = &unit_year(&app, &t.cadre, t.branch).await.months[6];
        assert_eq!((july.collected, july.kept), (5_000, 2_500));

        let back = rate(&app, &t.cadre, json!({"unit_id": t.commune, "effective_from": month(3), "branch_percent": 50})).await;
        assert_eq!(conflict_naming(&back, &month(5)), (Some(ConflictCode::DuesRateOverPayments), true));
        assert_eq!(rate(&app, &t.cadre, json!({"unit_id": t.branch, "effective_from": month(8), "branch_percent": 70})).await.status, 201, "after the months paid");
        assert_eq!(rate(&app, &t.admin, json!({"unit_id": t.school, "effective_from": month(1), "branch_percent": 70})).await.status, 201, "another subtree");
        let twice = rate(&app, &t.cadre, json!({"unit_id": t.branch, "effective_from": month(8), "branch_percent": 70})).await;
        assert_eq!(twice.status, 409);

        let listed: Page<DuesRateView> = app.get(&format!("/api/v1/dues/rates?unit_id={}", t.commune), Some(&t.cadre.token)).await.json();
        assert_eq!((listed.total, listed.items[0].effective_from.clone()), (1, month(6)));
        assert_eq!(app.get(&format!("/api/v1/dues/rates?unit_id={}&per_page=0", t.commune), Some(&t.cadre.token)).await.error_fields(), ["per_page"]);
        assert_eq!(app.get("/api/v1/dues/rates", Some(&t.cadre.token)).await.error_fields(), ["unit_id"]);
        assert_eq!(rate(&app, &t.cadre, json!({"unit_id": t.province, "effective_from": month(1), "branch_percent": 60})).await.status, 404, "above the cadre");
        assert_eq!(rate(&app, &t.member, json!({"unit_id": t.branch, "effective_from": month(1), "branch_percent": 60})).await.status, 404);
        let bad = rate(&app, &t.cadre, json!({"unit_id": t.branch, "effective_from": "2026/01", "unsalaried": 0, "branch_percent": 120})).await;
        assert_eq!(bad.error_fields(), ["effective_from", "unsalaried", "branch_percent"]);
        let res = app.patch(&format!("/api/v1/members/{}", record.id), Some(&t.cadre.token), Some(&format!("\"{}\"", patched.version)), json!({"dues_class": "rich"})).await;
        assert_eq!(res.error_fields(), ["dues_class"]);
    }

    async fn the_unpaid_months_leave_out_those_before_joining_and_after_leaving(app) {
        let t = app.tree().await;
        let mut body = member_record(t.branch, "Trần Văn Bình", "056206012347");
        body["joined_on"] = json!(format!("{}-04-10", year()));
        let late = app.add_member(&t.cadre, body).await;
        let early = app.add_member(&t.cadre, member_record(t.branch, "Đặng Thị Ánh", "056206012348")).await;
        assert_eq!(pay(&app, &t.cadre, late.id, &months(4..=5), 4_000).await.status, 201);
        assert_eq!(summary(&app, &t.cadre, late.id).await.unpaid_months, months(6..=12), "from the month they joined");
        remove(&app, &t.cadre, &early, &format!("{}-08-31", year())).await;
        let s = summary(&app, &t.cadre, early.id).await;
        assert_eq!((s.unpaid_months.clone(), s.owed), (months(1..=8), 8 * 2_000), "to the month they left");

        let (ids, y, up_to) = (vec![late.id.0, early.id.0, 99_999], year(), month(6));
        let unpaid = app.db.run(move |conn| Ok::<_, sodoan::error::ApiError>(sodoan::db::dues::unpaid_months(conn, &ids, y, &up_to)?)).await.unwrap();
        assert_eq!(unpaid.get(&late.id.0), Some(&months(6..=6)));
        assert_eq!(unpaid.get(&early.id.0), Some(&months(1..=6)));
        assert_eq!(unpaid.len(), 2, "an unknown member is left out");
    }

    async fn a_release_claims_no_more_dues_than_the_payments_cover(app) {
        let (t, record) = cast(&app).await;
        let release = |to: String| json!({"action": "release", "comment": "Hoàn thành tốt nhiệm vụ", "dues_paid_to": to});
        let res = app.post("/api/v1/transfers", Some(&t.cadre.token), json!({"member_id": record.id, "to_unit_id": t.school})).await;
        assert_eq!(res.status, 201, "{:#}", res.body);
        let tr: TransferView = res.json();
        assert_eq!(pay(&app, &t.cadre, record.id, &months(1..=3), 6_000).await.status, 201);
        let path = format!("/api/v1/transfers/{}/transitions", tr.id);
        let res = app.post_versioned(&path, &t.cadre.token, tr.version, release(month(5))).await;
        assert_eq!(conflict_naming(&res, &month(4)), (Some(ConflictCode::DuesUnpaid), true));
        let res = app.post_versioned(&path, &t.cadre.token, tr.version, release(month(3))).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
    }
    async fn a_merge_takes_the_duplicates_payments_unless_both_paid_a_month(app) {
        let t = app.tree().await;
        let dup = app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206123")).await;
        let keep = app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206012345")).await;
        assert_eq!(pay(&app, &t.cadre, dup.id, &months(1..=2), 4_000).await.status, 201);
        assert_eq!(pay(&app, &t.cadre, keep.id, &months(2..=3), 4_000).await.status, 201);
        let path = format!("/api/v1/members/{}/merge", keep.id);
        let res = app.post_versioned(&path, &t.leader.token, keep.version, json!({"duplicate_id": dup.id})).await;
        assert_eq!(conflict_naming(&res, &month(2)), (Some(ConflictCode::DuesMonthPaid), true), "a month paid twice");

        let other = app.add_member(&t.cadre, member_record(t.branch, "Nguyễn Văn Đức", "056206124")).await;
        assert_eq!(pay(&app, &t.cadre, other.id, &months(4..=4), 2_000).await.status, 201);
        let res = app.post_versioned(&path, &t.leader.token, keep.version, json!({"duplicate_id": other.id})).await;
        assert_eq!(res.status, 200, "{:#}", res.body);
        let s = summary(&app, &t.cadre, keep.id).await;
        let expected: Vec<String> = [month(1)].into_iter().chain(months(5..=12)).collect();
        assert_eq!(s.unpaid_months, expected, "the duplicate's month is the kept record's");
    }
}
