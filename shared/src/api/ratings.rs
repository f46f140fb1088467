//! The annual rating (đánh giá, xếp loại đoàn viên): a grassroots unit opens a period for a
//! year with its deadlines and the rules in force, one rating per eligible member is created,
//! the member assesses themselves, the branch proposes after its meeting, the grassroots unit
//! confirms under a decision (the quota checked over its list), and a confirmed rating changes
//! only by a new decision. Units (branches, grassroots units) are rated by the level above.
//! The checks that need no database live here, for the server and the SPA alike.

use crate::error::{FieldErrorCode, FieldErrors};
use crate::ids::{MemberId, OrgUnitId};
use crate::values::{parse_date, parse_optional_text};
use crate::{FieldError, Lang};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The first year rated with the four levels of the 2023 guidance (HTXSNV…KHTNV); earlier
/// years' levels read Xuất sắc / Khá / Trung bình / Yếu kém.
pub const LEVELS_SINCE: i32 = 2023;
/// The most cases one branch decision (or one confirmation) carries.
pub const MAX_DECISION: usize = 500;

wire_enum! {
    /// A rating's level; the same codes every year, read with the year's labels (`label_in`).
    RatingLevel {
        Excellent => "excellent", "Hoàn thành xuất sắc nhiệm vụ", "Excellent";
        Good => "good", "Hoàn thành tốt nhiệm vụ", "Good";
        Fulfilled => "fulfilled", "Hoàn thành nhiệm vụ", "Fulfilled";
        NotFulfilled => "not_fulfilled", "Không hoàn thành nhiệm vụ", "Not fulfilled";
    }
}

impl RatingLevel {
    /// A member's level as that year's rules name it.
    pub fn label_in(self, year: i32, lang: Lang) -> &'static str {
        if year >= LEVELS_SINCE {
            return self.label(lang);
        }
        match self {
            RatingLevel::Excellent => lang.pick("Xuất sắc", "Outstanding"),
            RatingLevel::Good => lang.pick("Khá", "Good"),
            RatingLevel::Fulfilled => lang.pick("Trung bình", "Average"),
            RatingLevel::NotFulfilled => lang.pick("Yếu kém", "Weak"),
        }
    }

    /// A unit's level as that year's rules name it (before 2023: vững mạnh / khá / trung bình / yếu).
    pub fn unit_label_in(self, year: i32, lang: Lang) -> &'static str {
        if year >= LEVELS_SINCE {
            return self.label(lang);
        }
        match self {
            RatingLevel::Excellent => lang.pick("Vững mạnh", "Strong"),
            RatingLevel::Good => lang.pick("Khá", "Good"),
            RatingLevel::Fulfilled => lang.pick("Trung bình", "Average"),
            RatingLevel::NotFulfilled => lang.pick("Yếu", "Weak"),
        }
    }

    /// The abbreviation cadres write (HTXSNV, HTTNV, HTNV, KHTNV).
    pub fn short(self) -> &'static str {
        match self {
            RatingLevel::Excellent => "HTXSNV",
            RatingLevel::Good => "HTTNV",
            RatingLevel::Fulfilled => "HTNV",
            RatingLevel::NotFulfilled => "KHTNV",
        }
    }

    /// Higher is better (not fulfilled 0 … excellent 3): a unit "moves up" when its rank grows.
    pub fn rank(self) -> i32 {
        match self {
            RatingLevel::Excellent => 3,
            RatingLevel::Good => 2,
            RatingLevel::Fulfilled => 1,
            RatingLevel::NotFulfilled => 0,
        }
    }

    /// Reads a level as written in a sheet of an earlier year: a code, an abbreviation, or a
    /// label of either set (diacritics and case aside).
    pub fn read_label(raw: &str) -> Option<RatingLevel> {
        let folded = crate::text::fold(raw);
        let folded = folded.trim();
        RatingLevel::parse(folded).or_else(|| {
            RatingLevel::ALL.iter().copied().find(|l| {
                folded == crate::text::fold(l.short())
                    || [l.label_in(LEVELS_SINCE, Lang::Vi), l.label_in(LEVELS_SINCE - 1, Lang::Vi)]
                        .iter()
                        .chain([l.unit_label_in(LEVELS_SINCE - 1, Lang::Vi)].iter())
                        .any(|label| crate::text::fold(label) == folded)
            })
        })
    }
}

wire_enum! {
    /// Where a member's rating stands.
    RatingState {
        /// Created with the period; the member has not assessed themselves yet.
        Open => "open", "Chưa tự đánh giá", "Open";
        SelfAssessed => "self_assessed", "Đã tự đánh giá", "Self-assessed";
        /// The branch proposed a level after its meeting.
        Proposed => "proposed", "Chi đoàn đã đề xuất", "Proposed";
        /// The grassroots unit confirmed it (công nhận); recorded in the member book.
        Confirmed => "confirmed", "Đã công nhận", "Confirmed";
    }
}

wire_enum! {
    /// A step of a rating.
    RatingAction {
        /// The member's own proposed level and account (the member only).
        SelfAssess => "self_assess", "Tự đánh giá", "Self-assess";
        /// The branch's level after its meeting (the branch's cadres).
        Propose => "propose", "Đề xuất", "Propose";
        /// The grassroots unit's decision (its cadres, the level above the branch).
        Confirm => "confirm", "Công nhận", "Confirm";
        /// A new decision changing a confirmed rating.
        Revise => "revise", "Điều chỉnh", "Revise";
    }
}

impl RatingAction {
    /// Whether the action may be taken from `state`.
    pub fn allowed_from(self, state: RatingState) -> bool {
        use RatingState::*;
        match self {
            RatingAction::SelfAssess => matches!(state, Open | SelfAssessed),
            RatingAction::Propose => matches!(state, Open | SelfAssessed | Proposed),
            RatingAction::Confirm => state == Proposed,
            RatingAction::Revise => state == Confirmed,
        }
    }
}

wire_enum! {
    /// Why a member placed in the unit during the period is not rated there.
    ExclusionReason {
        /// Active in the unit fewer months of the period than the rules ask.
        TooFewMonths => "too_few_months", "Sinh hoạt chưa đủ số tháng", "Too few months in the unit";
        /// A full Party member (not rated under the year's rules).
        FullPartyMember => "full_party_member", "Đảng viên chính thức", "Full Party member";
        /// Rated for the year by another unit (where they were active longer).
        RatedElsewhere => "rated_elsewhere", "Được đánh giá ở đơn vị khác", "Rated by another unit";
    }
}

/// The rules in force for a period, kept with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingRules {
    /// Months of activity in the unit during the period a member needs to be rated there.
    pub min_months: i32,
    /// Whether full Party members are rated (probationary ones always are).
    pub rate_full_party: bool,
    /// HTXSNV may be at most this share (%) of those rated HTTNV or higher.
    pub quota_percent: i32,
    /// Whether going over the quota refuses the confirmation (else it warns).
    pub quota_enforced: bool,
}

impl Default for RatingRules {
    fn default() -> Self {
        RatingRules { min_months: 6, rate_full_party: false, quota_percent: 20, quota_enforced: false }
    }
}

/// Whole months of activity from a number of days in the unit (30.4 days a month, rounded down).
pub fn months_of_days(days: i64) -> i32 {
    (days * 10 / 304) as i32
}

/// The quota over a unit's list: how many excellent there would be, how many rated good or
/// higher, and the most excellent the share allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuotaCheck {
    pub excellent: i64,
    pub good_or_better: i64,
    pub allowed: i64,
    pub percent: i32,
}

impl QuotaCheck {
    /// The check of `excellent` among `good_or_better` under `percent` (rounded down, at least
    /// one where anyone is rated good or higher).
    pub fn new(excellent: i64, good_or_better: i64, percent: i32) -> QuotaCheck {
        let allowed = match good_or_better {
            0 => 0,
            n => (n * i64::from(percent) / 100).max(1),
        };
        QuotaCheck { excellent, good_or_better, allowed, percent }
    }

    /// The check over a list's levels: its HTXSNV among those rated HTTNV or higher.
    pub fn of_levels(levels: impl IntoIterator<Item = RatingLevel>, percent: i32) -> QuotaCheck {
        let (mut excellent, mut good_or_better) = (0, 0);
        for l in levels {
            excellent += i64::from(l == RatingLevel::Excellent);
            good_or_better += i64::from(l.rank() >= RatingLevel::Good.rank());
        }
        QuotaCheck::new(excellent, good_or_better, percent)
    }

    /// Whether the list holds more excellent ratings than the share allows.
    pub fn exceeded(&self) -> bool {
        self.excellent > self.allowed
    }

    /// The numbers, language-neutral ("5 HTXSNV / 12 ≥ HTTNV > 20% = 2").
    pub fn context(&self) -> String {
        format!("{} HTXSNV / {} ≥ HTTNV > {}% = {}", self.excellent, self.good_or_better, self.percent, self.allowed)
    }
}

/// A level code, required.
fn required_level(e: &mut FieldErrors, raw: Option<&str>) -> Option<RatingLevel> {
    e.check(
        "level",
        match raw.map(str::trim).filter(|l| !l.is_empty()) {
            None => Err(FieldErrorCode::Required),
            Some(l) => RatingLevel::parse(l).ok_or(FieldErrorCode::UnknownValue),
        },
    )
}

/// A year from 2000 to `max`, required.
fn required_year(e: &mut FieldErrors, year: Option<i32>, max: i32) -> Option<i32> {
    e.check(
        "year",
        match year {
            None => Err(FieldErrorCode::Required),
            Some(y) if !(2000..=max).contains(&y) => Err(FieldErrorCode::OutOfRange),
            Some(y) => Ok(y),
        },
    )
}

fn deadline(e: &mut FieldErrors, field: &str, raw: &str) -> Option<NaiveDate> {
    e.check(field, parse_date(raw))
}

/// `POST /rating-periods`: a grassroots unit opens its year's period; the rules default to
/// the current guidance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RatingPeriodForm {
    /// The grassroots unit (Đoàn cơ sở).
    pub unit_id: Option<OrgUnitId>,
    /// The calendar year, or for a school the year its school year starts in.
    pub year: Option<i32>,
    /// Members assess themselves until (`YYYY-MM-DD`).
    pub self_until: String,
    /// Branches meet and propose until, on or after `self_until`.
    pub branch_until: String,
    /// The grassroots unit confirms until, on or after `branch_until`.
    pub confirm_until: String,
    /// Default 6 (1–12).
    pub min_months: Option<i32>,
    /// Default false.
    pub rate_full_party: Option<bool>,
    /// Default 20 (1–100).
    pub quota_percent: Option<i32>,
    /// Default false: over the quota warns; true refuses the confirmation.
    pub quota_enforced: Option<bool>,
}

/// A checked period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRatingPeriod {
    pub unit_id: OrgUnitId,
    pub year: i32,
    pub self_until: NaiveDate,
    pub branch_until: NaiveDate,
    pub confirm_until: NaiveDate,
    pub rules: RatingRules,
}

impl RatingPeriodForm {
    /// Checks every field; `this_year` bounds the year (2000 to the next year).
    pub fn validate(&self, this_year: i32) -> Result<ValidRatingPeriod, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let unit_id = e.check("unit_id", self.unit_id.ok_or(FieldErrorCode::Required));
        let year = required_year(&mut e, self.year, this_year + 1);
        let self_until = deadline(&mut e, "self_until", &self.self_until);
        let branch_until = deadline(&mut e, "branch_until", &self.branch_until);
        let confirm_until = deadline(&mut e, "confirm_until", &self.confirm_until);
        if let (Some(s), Some(b)) = (self_until, branch_until) {
            if b < s {
                e.push("branch_until", FieldErrorCode::OutOfRange);
            }
        }
        if let (Some(b), Some(c)) = (branch_until, confirm_until) {
            if c < b {
                e.push("confirm_until", FieldErrorCode::OutOfRange);
            }
        }
        let d = RatingRules::default();
        let min_months = e.check(
            "min_months",
            match self.min_months.unwrap_or(d.min_months) {
                m if !(1..=12).contains(&m) => Err(FieldErrorCode::OutOfRange),
                m => Ok(m),
            },
        );
        let quota_percent = e.check(
            "quota_percent",
            match self.quota_percent.unwrap_or(d.quota_percent) {
                q if !(1..=100).contains(&q) => Err(FieldErrorCode::OutOfRange),
                q => Ok(q),
            },
        );
        e.finish(|| ValidRatingPeriod {
            unit_id: unit_id.unwrap(),
            year: year.unwrap(),
            self_until: self_until.unwrap(),
            branch_until: branch_until.unwrap(),
            confirm_until: confirm_until.unwrap(),
            rules: RatingRules {
                min_months: min_months.unwrap(),
                rate_full_party: self.rate_full_party.unwrap_or(d.rate_full_party),
                quota_percent: quota_percent.unwrap(),
                quota_enforced: self.quota_enforced.unwrap_or(d.quota_enforced),
            },
        })
    }
}

/// A member placed in the unit during the period who is not rated there, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingExclusion {
    pub member_id: MemberId,
    pub full_name: String,
    pub reason: ExclusionReason,
    /// Months of activity in the unit during the period.
    pub months: i32,
    /// The unit's comment on the member, which travels to the unit that rates them.
    pub comment: Option<String>,
}

/// A rating period as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingPeriodView {
    pub id: i64,
    pub unit_id: OrgUnitId,
    pub unit_name: String,
    pub year: i32,
    /// `calendar` or `school`.
    pub period_kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub self_until: NaiveDate,
    pub branch_until: NaiveDate,
    pub confirm_until: NaiveDate,
    pub rules: RatingRules,
    /// Ratings created, and how many are confirmed.
    pub ratings: i64,
    pub confirmed: i64,
    /// Past `confirm_until` with ratings not confirmed.
    pub overdue: bool,
    /// Who is not rated here, and why.
    pub exclusions: Vec<RatingExclusion>,
    pub version: i64,
}

/// `POST /rating-periods/{id}/comments`: the unit's comment on a member it does not rate (the
/// unit the member moved from); it travels to the rating.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ExclusionCommentForm {
    pub member_id: Option<MemberId>,
    pub comment: String,
}

/// `POST /ratings/{id}/transitions` (with `If-Match`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RatingTransitionRequest {
    /// `self_assess`, `propose`, `confirm` or `revise`.
    pub action: String,
    /// self_assess, propose, revise: `excellent`, `good`, `fulfilled` or `not_fulfilled`.
    pub level: Option<String>,
    /// self_assess: the member's own account of the year.
    pub text: Option<String>,
    /// propose: the branch's comment.
    pub comment: Option<String>,
    /// propose: the day of the branch meeting (`YYYY-MM-DD`).
    pub meeting_on: Option<String>,
    /// confirm, revise: the decision's number.
    pub decision_no: Option<String>,
    /// confirm, revise: the decision's date (`YYYY-MM-DD`).
    pub decided_on: Option<String>,
    /// revise: why the rating changes.
    pub reason: Option<String>,
}

/// A decision's number and date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub decision_no: String,
    pub decided_on: NaiveDate,
}

/// A checked step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidRatingTransition {
    SelfAssess { level: RatingLevel, text: Option<String> },
    Propose { level: RatingLevel, comment: Option<String>, meeting_on: NaiveDate },
    Confirm(Decision),
    Revise { level: RatingLevel, reason: String, decision: Decision },
}

impl ValidRatingTransition {
    /// The action.
    pub fn action(&self) -> RatingAction {
        match self {
            ValidRatingTransition::SelfAssess { .. } => RatingAction::SelfAssess,
            ValidRatingTransition::Propose { .. } => RatingAction::Propose,
            ValidRatingTransition::Confirm(_) => RatingAction::Confirm,
            ValidRatingTransition::Revise { .. } => RatingAction::Revise,
        }
    }

    /// The day the step happened, where it names one (a meeting or a decision).
    pub fn dated(&self) -> Option<(&'static str, NaiveDate)> {
        match self {
            ValidRatingTransition::SelfAssess { .. } => None,
            ValidRatingTransition::Propose { meeting_on, .. } => Some(("meeting_on", *meeting_on)),
            ValidRatingTransition::Confirm(d) | ValidRatingTransition::Revise { decision: d, .. } => {
                Some(("decided_on", d.decided_on))
            }
        }
    }
}

fn required_date(e: &mut FieldErrors, field: &str, raw: Option<&str>) -> Option<NaiveDate> {
    e.check(field, parse_date(raw.unwrap_or("")))
}

impl RatingTransitionRequest {
    /// Checks the action and the fields it needs.
    pub fn validate(&self) -> Result<ValidRatingTransition, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let action = e.check(
            "action",
            match self.action.trim() {
                "" => Err(FieldErrorCode::Required),
                a => RatingAction::parse(a).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        let Some(action) = action else { return Err(e.finish(|| ()).unwrap_err()) };
        let level = match action {
            RatingAction::Confirm => None,
            _ => required_level(&mut e, self.level.as_deref()),
        };
        let text = e.check("text", parse_optional_text(self.text.as_deref(), 5_000)).flatten();
        let comment = e.check("comment", parse_optional_text(self.comment.as_deref(), 2_000)).flatten();
        let meeting_on = match action {
            RatingAction::Propose => required_date(&mut e, "meeting_on", self.meeting_on.as_deref()),
            _ => None,
        };
        let decision = match action {
            RatingAction::Confirm | RatingAction::Revise => {
                let no = e.required_text("decision_no", self.decision_no.as_deref().unwrap_or(""), 50);
                let on = required_date(&mut e, "decided_on", self.decided_on.as_deref());
                no.zip(on).map(|(decision_no, decided_on)| Decision { decision_no, decided_on })
            }
            _ => None,
        };
        let reason = match action {
            RatingAction::Revise => e.required_text("reason", self.reason.as_deref().unwrap_or(""), 2_000),
            _ => None,
        };
        e.finish(|| match action {
            RatingAction::SelfAssess => ValidRatingTransition::SelfAssess { level: level.unwrap(), text },
            RatingAction::Propose => {
                ValidRatingTransition::Propose { level: level.unwrap(), comment, meeting_on: meeting_on.unwrap() }
            }
            RatingAction::Confirm => ValidRatingTransition::Confirm(decision.unwrap()),
            RatingAction::Revise => ValidRatingTransition::Revise {
                level: level.unwrap(),
                reason: reason.unwrap(),
                decision: decision.unwrap(),
            },
        })
    }
}

/// One case of a branch's proposal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ProposalItem {
    /// The rating.
    pub id: i64,
    /// The version it was read at.
    pub version: i64,
    pub level: Option<String>,
    pub comment: Option<String>,
}

/// `POST /rating-periods/{id}/proposals`: the branch's list after its meeting, one decision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ProposalBatch {
    /// The day of the branch meeting (`YYYY-MM-DD`).
    pub meeting_on: String,
    pub items: Vec<ProposalItem>,
}

/// `POST /rating-periods/{id}/confirmations`: the grassroots unit's decision over a list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ConfirmationBatch {
    pub decision_no: String,
    /// `YYYY-MM-DD`.
    pub decided_on: String,
    /// The ratings and the versions they were read at.
    pub items: Vec<VersionedId>,
}

/// A case and the version it was read at.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionedId {
    pub id: i64,
    pub version: i64,
}

/// A checked case of a batch: the rating, its version and its step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCase {
    pub id: i64,
    pub version: i64,
    pub transition: ValidRatingTransition,
}

fn batch_size(e: &mut FieldErrors, n: usize) {
    if n == 0 {
        e.push("items", FieldErrorCode::Required);
    } else if n > MAX_DECISION {
        e.push("items", FieldErrorCode::TooLong);
    }
}

impl ProposalBatch {
    /// Checks the meeting day and every case (`items[i].level`…).
    pub fn validate(&self) -> Result<Vec<ValidCase>, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let meeting_on = e.check("meeting_on", parse_date(&self.meeting_on));
        batch_size(&mut e, self.items.len());
        let mut cases = Vec::new();
        for (i, item) in self.items.iter().enumerate() {
            let request = RatingTransitionRequest {
                action: RatingAction::Propose.as_str().into(),
                level: item.level.clone(),
                comment: item.comment.clone(),
                meeting_on: Some(self.meeting_on.clone()),
                ..Default::default()
            };
            match request.validate() {
                Ok(t) => cases.push(ValidCase { id: item.id, version: item.version, transition: t }),
                Err(errors) => errors
                    .into_iter()
                    .filter(|f| f.field != "meeting_on")
                    .for_each(|f| e.push(&format!("items[{i}].{}", f.field), f.code)),
            }
        }
        let _ = meeting_on;
        e.finish(|| cases)
    }
}

impl ConfirmationBatch {
    /// Checks the decision and the list.
    pub fn validate(&self) -> Result<(Decision, Vec<VersionedId>), Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let no = e.required_text("decision_no", &self.decision_no, 50);
        let on = e.check("decided_on", parse_date(&self.decided_on));
        batch_size(&mut e, self.items.len());
        e.finish(|| (Decision { decision_no: no.unwrap(), decided_on: on.unwrap() }, self.items.clone()))
    }
}

/// What a confirmation found over the unit's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmationOutcome {
    pub outcomes: Vec<crate::api::batch::BatchOutcome>,
    /// The quota over the unit's confirmed list after the decision; `exceeded` is a warning
    /// where the unit does not refuse.
    pub quota: QuotaCheck,
    pub quota_exceeded: bool,
}

/// The facts a confirming cadre weighs beside a proposal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingEvidence {
    /// The Member Training programme's result for the period, when the branch evaluated it.
    pub programme_result: Option<String>,
    /// Present ÷ held at the period's meetings (%), when any meeting was held.
    pub participation_rate: Option<i64>,
    pub meetings_held: i64,
    pub meetings_present: i64,
    /// Classes passed during the period.
    pub classes_passed: i64,
    /// HTXSNV proposed (or assessed) without ≥ 90% participation or an excellent programme result.
    pub excellent_unsupported: bool,
}

impl RatingEvidence {
    /// Whether the evidence backs an HTXSNV: at least 90% participation and an excellent
    /// programme result.
    pub fn backs_excellent(&self) -> bool {
        self.participation_rate.is_some_and(|r| r >= 90) && self.programme_result.as_deref() == Some("excellent")
    }
}

/// An earlier decision on a confirmed rating, kept when a new one changes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingRevision {
    pub level_before: RatingLevel,
    pub decision_no_before: Option<String>,
    pub level: RatingLevel,
    pub reason: String,
    pub decision_no: String,
    pub decided_on: NaiveDate,
    pub revised_at: chrono::NaiveDateTime,
}

/// A comment of another unit on the member for the same year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommentElsewhere {
    pub unit_name: String,
    pub months: i32,
    pub comment: String,
}

/// A member's rating as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingView {
    pub id: i64,
    /// The period (none for a rating imported from an earlier year's sheet).
    pub period_id: Option<i64>,
    pub member_id: MemberId,
    pub full_name: String,
    /// The branch the member was rated in.
    pub unit_id: OrgUnitId,
    pub unit_name: String,
    pub year: i32,
    pub state: RatingState,
    pub self_level: Option<RatingLevel>,
    pub self_text: Option<String>,
    pub proposed_level: Option<RatingLevel>,
    pub proposal_comment: Option<String>,
    pub meeting_on: Option<NaiveDate>,
    /// The confirmed level.
    pub level: Option<RatingLevel>,
    /// The level's name that year (or as written in an imported sheet).
    pub label: Option<String>,
    pub decision_no: Option<String>,
    pub decided_on: Option<NaiveDate>,
    /// Months of activity in the unit during the period.
    pub months: i32,
    pub evidence: Option<RatingEvidence>,
    pub comments_elsewhere: Vec<CommentElsewhere>,
    pub revisions: Vec<RatingRevision>,
    /// The steps the caller may take now.
    pub allowed_actions: Vec<RatingAction>,
    pub version: i64,
}

/// `GET /ratings`: `period_id`, or `unit_id` and `year`; optionally `state` and `level`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(default)]
pub struct RatingQuery {
    pub period_id: Option<i64>,
    pub unit_id: Option<OrgUnitId>,
    pub year: Option<i32>,
    /// `open`, `self_assessed`, `proposed` or `confirmed`.
    pub state: Option<String>,
    /// `excellent`, `good`, `fulfilled` or `not_fulfilled` (the confirmed level).
    pub level: Option<String>,
}

/// A checked list query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRatingQuery {
    pub period_id: Option<i64>,
    pub unit_id: Option<OrgUnitId>,
    pub year: Option<i32>,
    pub state: Option<RatingState>,
    pub level: Option<RatingLevel>,
}

impl RatingQuery {
    /// Checks the filters: a period, or a unit and a year.
    pub fn validate(&self) -> Result<ValidRatingQuery, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        if self.period_id.is_none() && (self.unit_id.is_none() || self.year.is_none()) {
            e.push(if self.unit_id.is_none() { "unit_id" } else { "year" }, FieldErrorCode::Required);
        }
        let state = e.check("state", parse_filter(self.state.as_deref(), RatingState::parse));
        let level = e.check("level", parse_filter(self.level.as_deref(), RatingLevel::parse));
        e.finish(|| ValidRatingQuery {
            period_id: self.period_id,
            unit_id: self.unit_id,
            year: self.year,
            state: state.flatten(),
            level: level.flatten(),
        })
    }
}

fn parse_filter<T>(raw: Option<&str>, parse: fn(&str) -> Option<T>) -> Result<Option<T>, FieldErrorCode> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse(s).map(Some).ok_or(FieldErrorCode::UnknownValue),
    }
}

/// How many of a year's confirmed ratings hold each level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LevelCount {
    pub level: RatingLevel,
    pub count: i64,
    pub previous: i64,
}

/// One unit's figures for a year (a line of the drill-down).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitRatingFigures {
    pub unit_id: OrgUnitId,
    pub unit_name: String,
    pub kind: String,
    /// Ratings created by the periods of the subtree, and how many are confirmed.
    pub ratings: i64,
    pub confirmed: i64,
    /// Ratings not confirmed yet.
    pub not_rated: i64,
    pub excellent: i64,
    /// Periods of the subtree past their confirmation deadline with ratings not confirmed.
    pub overdue_periods: i64,
    /// Branches and grassroots units of the subtree rated this year, and how many there are.
    pub units_rated: i64,
    pub units_total: i64,
}

/// `GET /ratings/stats?unit_id=&year=`: what leaders see for their subtree, from counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingStats {
    pub unit: UnitRatingFigures,
    pub year: i32,
    /// Confirmed members by level, this year and last.
    pub levels: Vec<LevelCount>,
    /// `unit.units_rated` ÷ `units_total` (%), rounded down; the plans' target is 95%.
    pub units_rated_percent: Option<i64>,
    /// Units whose level rose since last year (the plans' target: 5%), and those rated good
    /// or better last year that dropped.
    pub units_up: i64,
    pub units_dropped: i64,
    /// The units directly below, worst first (most not rated).
    pub below: Vec<UnitRatingFigures>,
}

/// `POST /unit-ratings`: the level above rates a branch or a grassroots unit for a year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct UnitRatingForm {
    pub unit_id: Option<OrgUnitId>,
    pub year: Option<i32>,
    pub level: Option<String>,
    pub assessment: Option<String>,
}

/// A checked unit rating.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidUnitRating {
    pub unit_id: OrgUnitId,
    pub year: i32,
    pub level: RatingLevel,
    pub assessment: Option<String>,
}

impl UnitRatingForm {
    /// Checks every field; `this_year` bounds the year.
    pub fn validate(&self, this_year: i32) -> Result<ValidUnitRating, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let unit_id = e.check("unit_id", self.unit_id.ok_or(FieldErrorCode::Required));
        let year = required_year(&mut e, self.year, this_year);
        let level = required_level(&mut e, self.level.as_deref());
        let assessment = e.check("assessment", parse_optional_text(self.assessment.as_deref(), 2_000)).flatten();
        e.finish(|| ValidUnitRating {
            unit_id: unit_id.unwrap(),
            year: year.unwrap(),
            level: level.unwrap(),
            assessment,
        })
    }
}

/// A unit's rating of a year as read (none yet: `id` and `level` absent), with last year's
/// level beside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitRatingView {
    pub id: Option<i64>,
    pub unit_id: OrgUnitId,
    pub unit_name: String,
    /// `branch` or `grassroots`.
    pub kind: String,
    pub year: i32,
    pub level: Option<RatingLevel>,
    /// The level's name for units that year.
    pub label: Option<String>,
    pub assessment: Option<String>,
    pub previous_level: Option<RatingLevel>,
}

/// `GET /unit-ratings?unit_id=&year=`: the units directly below `unit_id` (and itself).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[serde(default)]
pub struct UnitRatingQuery {
    pub unit_id: Option<OrgUnitId>,
    pub year: Option<i32>,
}

/// A member's rating of one year, for the member book.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberRatingYear {
    pub rating_id: i64,
    pub year: i32,
    pub state: RatingState,
    pub level: Option<RatingLevel>,
    pub label: Option<String>,
    pub unit_name: String,
    pub decision_no: Option<String>,
    pub decided_on: Option<NaiveDate>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RatingPeriodForm {
        RatingPeriodForm {
            unit_id: Some(OrgUnitId(3)),
            year: Some(2026),
            self_until: "2026-12-10".into(),
            branch_until: "2026-12-20".into(),
            confirm_until: "2026-12-31".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_period_takes_the_current_rules_by_default() {
        let p = form().validate(2026).unwrap();
        assert_eq!(p.rules, RatingRules::default());
        assert_eq!(p.rules.min_months, 6);
    }

    #[test]
    fn deadlines_run_in_order() {
        let mut f = form();
        f.branch_until = "2026-12-01".into();
        f.quota_percent = Some(0);
        let fields: Vec<String> = f.validate(2026).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["branch_until", "quota_percent"]);
    }

    #[test]
    fn each_step_asks_for_its_own_fields() {
        let confirm = RatingTransitionRequest { action: "confirm".into(), ..Default::default() };
        let fields: Vec<String> = confirm.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["decision_no", "decided_on"]);
        let propose = RatingTransitionRequest {
            action: "propose".into(),
            level: Some("outstanding".into()),
            ..Default::default()
        };
        let fields: Vec<String> = propose.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["level", "meeting_on"]);
        let revise = RatingTransitionRequest {
            action: "revise".into(),
            level: Some("good".into()),
            decision_no: Some("12/QĐ".into()),
            decided_on: Some("2026-12-30".into()),
            ..Default::default()
        };
        let fields: Vec<String> = revise.validate().unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["reason"]);
    }

    #[test]
    fn steps_follow_the_flow() {
        assert!(RatingAction::SelfAssess.allowed_from(RatingState::Open));
        assert!(!RatingAction::SelfAssess.allowed_from(RatingState::Proposed));
        assert!(RatingAction::Propose.allowed_from(RatingState::Open));
        assert!(!RatingAction::Confirm.allowed_from(RatingState::SelfAssessed));
        assert!(!RatingAction::Confirm.allowed_from(RatingState::Confirmed));
        assert!(RatingAction::Revise.allowed_from(RatingState::Confirmed));
    }

    #[test]
    fn the_quota_is_a_share_of_those_rated_good_or_better() {
        let q = QuotaCheck::new(3, 10, 20);
        assert_eq!(q.allowed, 2);
        assert!(q.exceeded());
        assert!(!QuotaCheck::new(1, 3, 20).exceeded());
        assert_eq!(QuotaCheck::new(0, 0, 20).allowed, 0);
    }

    #[test]
    fn earlier_years_read_with_their_own_labels() {
        assert_eq!(RatingLevel::Good.label_in(2018, Lang::Vi), "Khá");
        assert_eq!(RatingLevel::Good.label_in(2024, Lang::Vi), "Hoàn thành tốt nhiệm vụ");
        assert_eq!(RatingLevel::read_label("Xuất sắc"), Some(RatingLevel::Excellent));
        assert_eq!(RatingLevel::read_label("yeu kem"), Some(RatingLevel::NotFulfilled));
        assert_eq!(RatingLevel::read_label("HTTNV"), Some(RatingLevel::Good));
        assert_eq!(RatingLevel::read_label("Trung bình"), Some(RatingLevel::Fulfilled));
        assert_eq!(RatingLevel::read_label("giỏi"), None);
    }

    #[test]
    fn months_are_whole_months_of_days() {
        assert_eq!(months_of_days(365), 12);
        assert_eq!(months_of_days(182), 5);
        assert_eq!(months_of_days(183), 6);
    }
}
