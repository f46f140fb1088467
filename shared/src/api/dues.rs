//! Dues (đoàn phí): rates kept per unit from a month on (an amount a month for members without
//! a salary and for salaried ones, and the share the branch keeps), payments of one or more
//! months by a member, a branch's collection for a month in one step, and what a member owes
//! and a unit collected. The checks that need no database live here, for the server and the SPA.

use crate::error::{FieldErrorCode, FieldErrors};
use crate::ids::{MemberId, OrgUnitId};
use crate::values::parse_date;
use crate::{FieldError, Lang};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The monthly amount (VND) without a salary when no unit on a member's line has a rate.
pub const DEFAULT_UNSALARIED: i64 = 2_000;
/// The monthly amount (VND) with a salary when no unit on a member's line has a rate.
pub const DEFAULT_SALARIED: i64 = 5_000;
/// The branch's share (percent) when no unit on a member's line has a rate: nothing is sent up.
pub const DEFAULT_BRANCH_PERCENT: i64 = 100;
/// The largest monthly amount a rate may set (VND).
pub const MAX_MONTHLY: i64 = 1_000_000;
/// The most months one payment covers.
pub const MAX_MONTHS: usize = 24;
/// How many months ahead of the current one a payment may cover.
pub const MONTHS_AHEAD: i32 = 12;
/// The most members one collection lists.
pub const MAX_BULK: usize = 500;

/// Which monthly amount applies to a member (on their record).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DuesClass {
    /// Without a salary (students, the unemployed…).
    #[default]
    Unsalaried,
    /// Salaried.
    Salaried,
}

impl DuesClass {
    pub const ALL: [DuesClass; 2] = [DuesClass::Unsalaried, DuesClass::Salaried];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DuesClass::Unsalaried => "unsalaried",
            DuesClass::Salaried => "salaried",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<DuesClass> {
        DuesClass::ALL.into_iter().find(|c| c.as_str() == s.trim())
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            DuesClass::Unsalaried => lang.pick("Không có lương", "Without a salary"),
            DuesClass::Salaried => lang.pick("Có lương", "Salaried"),
        }
    }
}

/// A month as `YYYY-MM` (2000–2100), strictly: four digits, a dash, two digits.
pub fn parse_month(raw: &str) -> Result<(i32, u32), FieldErrorCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldErrorCode::Required);
    }
    let b = raw.as_bytes();
    if b.len() != 7 || b[4] != b'-' || !b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit()) {
        return Err(FieldErrorCode::InvalidFormat);
    }
    let (y, m) = (raw[..4].parse::<i32>().unwrap_or(0), raw[5..].parse::<u32>().unwrap_or(0));
    if !(1..=12).contains(&m) {
        return Err(FieldErrorCode::InvalidFormat);
    }
    if !(2000..=2100).contains(&y) {
        return Err(FieldErrorCode::OutOfRange);
    }
    Ok((y, m))
}

/// The key of a month: `YYYY-MM`.
pub fn month_key(year: i32, month: u32) -> String {
    format!("{year:04}-{month:02}")
}

/// The month of a day.
pub fn month_of(day: NaiveDate) -> String {
    month_key(day.year(), day.month())
}

/// The month `n` months after `key` (before, when negative); `key` must be well formed.
pub fn add_months(key: &str, n: i32) -> String {
    let (y, m) = parse_month(key).unwrap_or((2000, 1));
    let index = y * 12 + (m as i32 - 1) + n;
    month_key(index.div_euclid(12), (index.rem_euclid(12) + 1) as u32)
}

/// The months of `year` from January to `up_to` (inclusive; all twelve when `up_to` is later).
pub fn months_of_year(year: i32, up_to: &str) -> Vec<String> {
    (1..=12).map(|m| month_key(year, m)).filter(|k| k.as_str() <= up_to).collect()
}

/// The latest month a payment may cover, seen from `today`.
pub fn last_payable_month(today: NaiveDate) -> String {
    add_months(&month_of(today), MONTHS_AHEAD)
}

fn month_field(e: &mut FieldErrors, field: &str, raw: &str, latest: &str) -> Option<String> {
    let (y, m) = e.check(field, parse_month(raw))?;
    let key = month_key(y, m);
    if key.as_str() > latest {
        e.push(field, FieldErrorCode::OutOfRange);
        return None;
    }
    Some(key)
}

fn paid_on(e: &mut FieldErrors, raw: &str, today: NaiveDate) -> Option<NaiveDate> {
    let day = e.check("paid_on", parse_date(raw))?;
    if day > today {
        e.push("paid_on", FieldErrorCode::InFuture);
        return None;
    }
    Some(day)
}

/// `POST /dues/rates`: a unit's rate from a month on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DuesRateForm {
    /// The unit (its members and every unit under it without a rate of its own).
    pub unit_id: Option<OrgUnitId>,
    /// The first month it applies to, `YYYY-MM` (at most 24 months ahead).
    pub effective_from: String,
    /// VND a month without a salary (default 2,000), 1–1,000,000.
    pub unsalaried: Option<i64>,
    /// VND a month with a salary (default 5,000), 1–1,000,000.
    pub salaried: Option<i64>,
    /// The percentage the member's branch keeps, 0–100; the rest goes to the levels above.
    pub branch_percent: Option<i64>,
}

/// A checked rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDuesRate {
    pub unit_id: OrgUnitId,
    pub effective_from: String,
    pub unsalaried: i64,
    pub salaried: i64,
    pub branch_percent: i64,
}

impl DuesRateForm {
    /// Checks every field; `today` bounds the month.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidDuesRate, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        if self.unit_id.is_none() {
            e.push("unit_id", FieldErrorCode::Required);
        }
        let from = month_field(&mut e, "effective_from", &self.effective_from, &add_months(&month_of(today), 24));
        let mut amount = |field: &str, value: Option<i64>, default: i64| {
            let v = value.unwrap_or(default);
            if !(1..=MAX_MONTHLY).contains(&v) {
                e.push(field, FieldErrorCode::OutOfRange);
            }
            v
        };
        let unsalaried = amount("unsalaried", self.unsalaried, DEFAULT_UNSALARIED);
        let salaried = amount("salaried", self.salaried, DEFAULT_SALARIED);
        match self.branch_percent {
            None => e.push("branch_percent", FieldErrorCode::Required),
            Some(p) if !(0..=100).contains(&p) => e.push("branch_percent", FieldErrorCode::OutOfRange),
            Some(_) => {}
        }
        e.finish(|| ValidDuesRate {
            unit_id: self.unit_id.unwrap(),
            effective_from: from.unwrap(),
            unsalaried,
            salaried,
            branch_percent: self.branch_percent.unwrap(),
        })
    }
}

/// A unit's rate from a month on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuesRateView {
    /// Id (0 for the built-in default).
    pub id: i64,
    /// The unit (absent for the built-in default).
    pub unit_id: Option<OrgUnitId>,
    /// `YYYY-MM`.
    pub effective_from: String,
    /// VND a month without a salary.
    pub unsalaried: i64,
    /// VND a month with a salary.
    pub salaried: i64,
    /// The percentage the member's branch keeps.
    pub branch_percent: i64,
    /// The percentage sent to the levels above (100 − `branch_percent`).
    pub above_percent: i64,
}

impl DuesRateView {
    /// The built-in rate, when no unit on a member's line has one.
    pub fn builtin() -> DuesRateView {
        DuesRateView {
            id: 0,
            unit_id: None,
            effective_from: "2011-01".into(),
            unsalaried: DEFAULT_UNSALARIED,
            salaried: DEFAULT_SALARIED,
            branch_percent: DEFAULT_BRANCH_PERCENT,
            above_percent: 100 - DEFAULT_BRANCH_PERCENT,
        }
    }

    /// The monthly amount for a class.
    pub fn amount(&self, class: DuesClass) -> i64 {
        match class {
            DuesClass::Unsalaried => self.unsalaried,
            DuesClass::Salaried => self.salaried,
        }
    }

    /// The branch's share of an amount paid under this rate (rounded down; the rest goes up).
    pub fn kept(&self, amount: i64) -> i64 {
        amount * self.branch_percent / 100
    }
}

/// `POST /dues/payments`: a member pays one or more months.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DuesPaymentForm {
    pub member_id: Option<MemberId>,
    /// 1–24 months, each `YYYY-MM`, none later than 12 months after the current one.
    pub months: Vec<String>,
    /// VND: exactly the member's rate summed over the months.
    pub amount: Option<i64>,
    /// The day it was paid, `YYYY-MM-DD`, not in the future.
    pub paid_on: String,
}

/// A checked payment, months in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDuesPayment {
    pub member_id: MemberId,
    pub months: Vec<String>,
    pub amount: i64,
    pub paid_on: NaiveDate,
}

impl DuesPaymentForm {
    /// Checks every field; `today` bounds the months and the day.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidDuesPayment, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        if self.member_id.is_none() {
            e.push("member_id", FieldErrorCode::Required);
        }
        match self.months.len() {
            0 => e.push("months", FieldErrorCode::Required),
            n if n > MAX_MONTHS => e.push("months", FieldErrorCode::OutOfRange),
            _ => {}
        }
        let latest = last_payable_month(today);
        let mut seen = HashSet::new();
        let mut months = Vec::with_capacity(self.months.len());
        for (i, raw) in self.months.iter().enumerate().take(MAX_MONTHS) {
            let field = format!("months[{i}]");
            if let Some(key) = month_field(&mut e, &field, raw, &latest) {
                if seen.insert(key.clone()) {
                    months.push(key);
                } else {
                    e.push(&field, FieldErrorCode::Duplicate);
                }
            }
        }
        months.sort();
        let most = MAX_MONTHLY * MAX_MONTHS as i64;
        match self.amount {
            None => e.push("amount", FieldErrorCode::Required),
            Some(a) if !(1..=most).contains(&a) => e.push("amount", FieldErrorCode::OutOfRange),
            Some(_) => {}
        }
        let day = paid_on(&mut e, &self.paid_on, today);
        e.finish(|| ValidDuesPayment {
            member_id: self.member_id.unwrap(),
            months,
            amount: self.amount.unwrap(),
            paid_on: day.unwrap(),
        })
    }
}

/// `POST /dues/payments/bulk`: a branch's collection for one month — each listed member pays
/// that month at their rate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DuesCollectionForm {
    /// The unit collecting (its subtree's members).
    pub unit_id: Option<OrgUnitId>,
    /// `YYYY-MM`.
    pub month: String,
    /// 1–500 members, each once.
    pub member_ids: Vec<MemberId>,
    /// `YYYY-MM-DD`, not in the future.
    pub paid_on: String,
}

/// A checked collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDuesCollection {
    pub unit_id: OrgUnitId,
    pub month: String,
    pub member_ids: Vec<MemberId>,
    pub paid_on: NaiveDate,
}

impl DuesCollectionForm {
    /// Checks every field; `today` bounds the month and the day.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidDuesCollection, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        if self.unit_id.is_none() {
            e.push("unit_id", FieldErrorCode::Required);
        }
        let month = month_field(&mut e, "month", &self.month, &last_payable_month(today));
        match self.member_ids.len() {
            0 => e.push("member_ids", FieldErrorCode::Required),
            n if n > MAX_BULK => e.push("member_ids", FieldErrorCode::OutOfRange),
            _ => {}
        }
        let mut seen = HashSet::new();
        for (i, id) in self.member_ids.iter().enumerate() {
            if !seen.insert(*id) {
                e.push(&format!("member_ids[{i}]"), FieldErrorCode::Duplicate);
            }
        }
        let day = paid_on(&mut e, &self.paid_on, today);
        e.finish(|| ValidDuesCollection {
            unit_id: self.unit_id.unwrap(),
            month: month.unwrap(),
            member_ids: self.member_ids.clone(),
            paid_on: day.unwrap(),
        })
    }
}

/// A payment as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuesPaymentView {
    pub id: i64,
    pub member_id: MemberId,
    pub full_name: String,
    /// The branch that collected it.
    pub unit_id: OrgUnitId,
    /// The months covered, `YYYY-MM`, in order.
    pub months: Vec<String>,
    /// VND.
    pub amount: i64,
    pub paid_on: NaiveDate,
}

/// One month of a member's year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuesMemberMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Whether the member owed dues that month (a member then: joined, not yet left).
    pub due: bool,
    /// The member's rate that month (VND; what was paid when paid).
    pub amount: i64,
    pub paid: bool,
}

/// `GET /dues/members/{id}/summary`: a member's year up to the current month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuesMemberSummary {
    pub member_id: MemberId,
    pub year: i32,
    pub dues_class: DuesClass,
    /// January to the current month (the whole year for a past one); months paid ahead too.
    pub months: Vec<DuesMemberMonth>,
    /// VND paid for the year's months.
    pub paid: i64,
    /// VND still owed for months that were due.
    pub owed: i64,
    /// The months due and not paid.
    pub unpaid_months: Vec<String>,
}

/// One month of a unit's collection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuesUnitMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Members who owed the month.
    pub members_due: i64,
    /// Members who paid it.
    pub members_paid: i64,
    /// VND collected for the month.
    pub collected: i64,
    /// VND due for the month.
    pub due: i64,
    /// Of `collected`, what the branches keep…
    pub kept: i64,
    /// …and what goes to the levels above.
    pub sent_up: i64,
}

/// `GET /dues/months`: a unit's collection per month of a year (its whole subtree).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuesUnitYear {
    pub unit_id: OrgUnitId,
    pub year: i32,
    /// Whether `members_due` and `due` are counted member by member (a branch), or estimated
    /// from the subtree's live members at the unit's rate without a salary (units above).
    pub due_exact: bool,
    pub months: Vec<DuesUnitMonth>,
}

/// A line of `GET /dues/roll`: a member of the unit and the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DuesRollLine {
    pub member_id: MemberId,
    pub full_name: String,
    pub dues_class: DuesClass,
    /// The member's rate for the month (VND).
    pub amount: i64,
    pub paid: bool,
}

/// The months of a payment with their total, as the server says in a refusal.
pub fn months_text(months: &[String]) -> String {
    months.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
    }

    #[test]
    fn months_are_strict_and_count_across_years() {
        assert_eq!(parse_month("2026-03"), Ok((2026, 3)));
        assert_eq!(parse_month("2026-3"), Err(FieldErrorCode::InvalidFormat));
        assert_eq!(parse_month("2026-13"), Err(FieldErrorCode::InvalidFormat));
        assert_eq!(parse_month(""), Err(FieldErrorCode::Required));
        assert_eq!(parse_month("1999-12"), Err(FieldErrorCode::OutOfRange));
        assert_eq!(add_months("2026-12", 1), "2027-01");
        assert_eq!(add_months("2026-01", -1), "2025-12");
        assert_eq!(months_of_year(2026, "2026-03"), ["2026-01", "2026-02", "2026-03"]);
        assert_eq!(last_payable_month(today()), "2027-12");
    }

    #[test]
    fn a_payment_names_each_bad_month_and_the_amount() {
        let form = DuesPaymentForm {
            member_id: Some(MemberId(1)),
            months: vec!["2026-02".into(), "2026-01".into(), "2026-02".into(), "2028-01".into(), "x".into()],
            amount: Some(0),
            paid_on: "2026-12-03".into(),
        };
        let errs = form.validate(today()).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [
                ("months[2]", FieldErrorCode::Duplicate),
                ("months[3]", FieldErrorCode::OutOfRange),
                ("months[4]", FieldErrorCode::InvalidFormat),
                ("amount", FieldErrorCode::OutOfRange),
                ("paid_on", FieldErrorCode::InFuture),
            ]
        );
        let ok = DuesPaymentForm { months: vec!["2026-02".into(), "2026-01".into()], ..form.clone() };
        let ok = DuesPaymentForm { amount: Some(4_000), paid_on: "2026-12-01".into(), ..ok }.validate(today()).unwrap();
        assert_eq!(ok.months, ["2026-01", "2026-02"]);
        let none = DuesPaymentForm { months: vec![], ..form }.validate(today()).unwrap_err();
        assert!(none.iter().any(|e| e.field == "months" && e.code == FieldErrorCode::Required));
    }

    #[test]
    fn a_rate_needs_a_split_and_sane_amounts() {
        let form = DuesRateForm {
            unit_id: Some(OrgUnitId(1)),
            effective_from: "2026-01".into(),
            branch_percent: Some(60),
            ..Default::default()
        };
        let ok = form.validate(today()).unwrap();
        assert_eq!((ok.unsalaried, ok.salaried), (2_000, 5_000));
        let bad = DuesRateForm { salaried: Some(-1), branch_percent: Some(101), ..form }.validate(today()).unwrap_err();
        let fields: Vec<_> = bad.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["salaried", "branch_percent"]);
    }

    #[test]
    fn the_split_rounds_the_branch_share_down() {
        let rate = DuesRateView { branch_percent: 60, above_percent: 40, ..DuesRateView::builtin() };
        assert_eq!(rate.kept(5_000), 3_000);
        assert_eq!(rate.kept(2_001), 1_200);
    }
}
