//! Admission (kết nạp đoàn viên) as a state machine: a youth's application goes
//! draft → applied → in training (an orientation class) → trained (the class passed, the essay
//! accepted: set from the class result) → proposed by the branch (a meeting's vote) → approved by
//! the directly higher unit (a decision) → admitted (the ceremony; the member record is created).
//! Cadres may return a case one step with a reason, or reject it; the applicant may withdraw.
//! Which action is possible from which state, and what each needs, is decided here for the
//! server and the SPA alike.

use crate::api::members::{check_joining_age, optional, past_date, Identity, MemberProfile};
use crate::cccd::{Gender, NationalId};
use crate::error::{FieldErrorCode, FieldErrors};
use crate::ids::{MemberId, OrgUnitId, UserId};
use crate::values::{self, age_on, FullName, PhoneVn};
use crate::{FieldError, Lang};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AdmissionState {
    Draft,
    Applied,
    InTraining,
    Trained,
    Proposed,
    Approved,
    Admitted,
    Rejected,
    Withdrawn,
}

impl AdmissionState {
    /// Every state, in pipeline order.
    pub const ALL: [AdmissionState; 9] = [
        AdmissionState::Draft,
        AdmissionState::Applied,
        AdmissionState::InTraining,
        AdmissionState::Trained,
        AdmissionState::Proposed,
        AdmissionState::Approved,
        AdmissionState::Admitted,
        AdmissionState::Rejected,
        AdmissionState::Withdrawn,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AdmissionState::Draft => "draft",
            AdmissionState::Applied => "applied",
            AdmissionState::InTraining => "in_training",
            AdmissionState::Trained => "trained",
            AdmissionState::Proposed => "proposed",
            AdmissionState::Approved => "approved",
            AdmissionState::Admitted => "admitted",
            AdmissionState::Rejected => "rejected",
            AdmissionState::Withdrawn => "withdrawn",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<AdmissionState> {
        AdmissionState::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AdmissionState::Draft => lang.pick("Bản nháp", "Draft"),
            AdmissionState::Applied => lang.pick("Đã nộp đơn", "Applied"),
            AdmissionState::InTraining => lang.pick("Đang học lớp cảm tình Đoàn", "In orientation class"),
            AdmissionState::Trained => lang.pick("Đã hoàn thành lớp", "Class completed"),
            AdmissionState::Proposed => lang.pick("Chi đoàn đã đề nghị", "Proposed by the branch"),
            AdmissionState::Approved => lang.pick("Đã chuẩn y", "Approved"),
            AdmissionState::Admitted => lang.pick("Đã kết nạp", "Admitted"),
            AdmissionState::Rejected => lang.pick("Không được kết nạp", "Rejected"),
            AdmissionState::Withdrawn => lang.pick("Đã rút đơn", "Withdrawn"),
        }
    }

    /// Whether the application is over.
    pub fn is_final(self) -> bool {
        matches!(self, AdmissionState::Admitted | AdmissionState::Rejected | AdmissionState::Withdrawn)
    }

    /// The step before, where a return sends a case.
    pub fn previous(self) -> Option<AdmissionState> {
        use AdmissionState::*;
        match self {
            Applied => Some(Draft),
            InTraining => Some(Applied),
            Trained => Some(InTraining),
            Proposed => Some(Trained),
            Approved => Some(Proposed),
            _ => None,
        }
    }
}

/// Who takes an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// The youth who applies.
    Applicant,
    /// A cadre over the branch applied to.
    BranchCadre,
    /// A cadre over the unit directly above the branch (the grassroots unit).
    HigherCadre,
}

/// An action on an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AdmissionAction {
    Submit,
    StartTraining,
    Propose,
    Approve,
    Admit,
    Return,
    Reject,
    Withdraw,
}

impl AdmissionAction {
    /// Every action.
    pub const ALL: [AdmissionAction; 8] = [
        AdmissionAction::Submit,
        AdmissionAction::StartTraining,
        AdmissionAction::Propose,
        AdmissionAction::Approve,
        AdmissionAction::Admit,
        AdmissionAction::Return,
        AdmissionAction::Reject,
        AdmissionAction::Withdraw,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            AdmissionAction::Submit => "submit",
            AdmissionAction::StartTraining => "start_training",
            AdmissionAction::Propose => "propose",
            AdmissionAction::Approve => "approve",
            AdmissionAction::Admit => "admit",
            AdmissionAction::Return => "return",
            AdmissionAction::Reject => "reject",
            AdmissionAction::Withdraw => "withdraw",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<AdmissionAction> {
        AdmissionAction::ALL.into_iter().find(|a| a.as_str() == s.trim())
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            AdmissionAction::Submit => lang.pick("Nộp đơn", "Submit"),
            AdmissionAction::StartTraining => lang.pick("Vào lớp cảm tình Đoàn", "Start the class"),
            AdmissionAction::Propose => lang.pick("Chi đoàn đề nghị kết nạp", "Branch proposal"),
            AdmissionAction::Approve => lang.pick("Chuẩn y kết nạp", "Approve"),
            AdmissionAction::Admit => lang.pick("Ghi nhận lễ kết nạp", "Record the ceremony"),
            AdmissionAction::Return => lang.pick("Trả lại bước trước", "Return"),
            AdmissionAction::Reject => lang.pick("Không kết nạp", "Reject"),
            AdmissionAction::Withdraw => lang.pick("Rút đơn", "Withdraw"),
        }
    }

    /// The state the action leads to from `from`, if it is allowed there.
    pub fn target(self, from: AdmissionState) -> Option<AdmissionState> {
        use AdmissionAction as A;
        use AdmissionState::*;
        match (self, from) {
            (A::Submit, Draft) => Some(Applied),
            (A::StartTraining, Applied) => Some(InTraining),
            (A::Propose, Trained) => Some(Proposed),
            (A::Approve, Proposed) => Some(Approved),
            (A::Admit, Approved) => Some(Admitted),
            (A::Return, s) => s.previous(),
            (A::Reject, s) if !s.is_final() && s != Draft => Some(Rejected),
            (A::Withdraw, s) if !s.is_final() => Some(Withdrawn),
            _ => None,
        }
    }

    /// Who may take the action from `from`: the applicant submits and withdraws; the branch's
    /// cadres start the training and propose; the unit above approves and admits; a case is
    /// returned or rejected by whoever holds it (the branch until its vote, the unit above after).
    pub fn actor(self, from: AdmissionState) -> Actor {
        match self {
            AdmissionAction::Submit | AdmissionAction::Withdraw => Actor::Applicant,
            AdmissionAction::StartTraining | AdmissionAction::Propose => Actor::BranchCadre,
            AdmissionAction::Approve | AdmissionAction::Admit => Actor::HigherCadre,
            AdmissionAction::Return | AdmissionAction::Reject => match from {
                AdmissionState::Proposed | AdmissionState::Approved => Actor::HigherCadre,
                _ => Actor::BranchCadre,
            },
        }
    }

    /// Whether the action moves a case forward (not a return, rejection or withdrawal).
    pub fn is_forward(self) -> bool {
        !matches!(self, AdmissionAction::Return | AdmissionAction::Reject | AdmissionAction::Withdraw)
    }
}

impl Actor {
    /// The states in which a case waits for this actor's next step forward (an inbox).
    pub fn waiting_states(self) -> Vec<AdmissionState> {
        AdmissionState::ALL
            .into_iter()
            .filter(|s| {
                AdmissionAction::ALL.iter().any(|a| a.is_forward() && a.target(*s).is_some() && a.actor(*s) == self)
            })
            .collect()
    }
}

/// The application a youth fills in (`POST /admissions`, and `PATCH` while a draft).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ApplicationForm {
    pub full_name: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// `male` or `female`.
    pub gender: String,
    pub national_id: Option<String>,
    pub phone: Option<String>,
    /// The branch applied to.
    pub unit_id: Option<OrgUnitId>,
    /// The member who introduces the applicant (known them 3+ months).
    pub introducer_member_id: Option<MemberId>,
    /// Or the organisation that introduces them (chi đội Thiếu niên, chi hội Thanh niên).
    pub introducer_org: Option<String>,
    /// The written application (đơn xin vào Đoàn).
    pub application_text: Option<String>,
    /// For applicants under 16: the guardian and their consent.
    pub guardian_name: Option<String>,
    pub guardian_phone: Option<String>,
    pub guardian_consent: bool,
    #[serde(flatten)]
    pub profile: MemberProfile,
}

/// An application that may be submitted.
#[derive(Debug, Clone)]
pub struct ValidApplication {
    pub full_name: FullName,
    pub date_of_birth: NaiveDate,
    pub gender: Gender,
    pub national_id: Option<NationalId>,
    pub phone: PhoneVn,
    pub unit_id: OrgUnitId,
    pub introducer_member_id: Option<MemberId>,
    pub introducer_org: Option<String>,
    pub application_text: String,
    pub guardian_name: Option<String>,
    pub guardian_phone: Option<PhoneVn>,
    pub guardian_consent: bool,
    pub profile: MemberProfile,
}

/// Under this age an applicant needs a guardian's consent.
pub const GUARDIAN_BELOW_AGE: u32 = 16;

impl ApplicationForm {
    /// Checks an application for submission (everything it needs); `today` bounds dates and ages.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidApplication, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let Identity { full_name, date_of_birth: born, gender, national_id } =
            Identity::check(&mut e, &self.full_name, &self.date_of_birth, &self.gender, &self.national_id, today);
        let phone =
            e.check("phone", optional(&self.phone, PhoneVn::parse).and_then(|p| p.ok_or(FieldErrorCode::Required)));
        if self.unit_id.is_none() {
            e.push("unit_id", FieldErrorCode::Required);
        }
        let introducer_org =
            e.check("introducer_org", values::parse_optional_text(self.introducer_org.as_deref(), 200)).flatten();
        if self.introducer_member_id.is_none() && introducer_org.is_none() {
            e.push("introducer_member_id", FieldErrorCode::Required);
        }
        let text =
            e.check("application_text", values::parse_optional_text(self.application_text.as_deref(), 5_000)).flatten();
        if text.is_none() && !e.has("application_text") {
            e.push("application_text", FieldErrorCode::Required);
        }
        let minor = born.is_some_and(|b| age_on(b, today) < GUARDIAN_BELOW_AGE);
        let guardian_name =
            e.check("guardian_name", values::parse_optional_text(self.guardian_name.as_deref(), 100)).flatten();
        let guardian_phone = e.check("guardian_phone", optional(&self.guardian_phone, PhoneVn::parse));
        if minor {
            if guardian_name.is_none() && !e.has("guardian_name") {
                e.push("guardian_name", FieldErrorCode::Required);
            }
            if guardian_phone.as_ref().is_some_and(Option::is_none) {
                e.push("guardian_phone", FieldErrorCode::Required);
            }
            if !self.guardian_consent {
                e.push("guardian_consent", FieldErrorCode::Required);
            }
        }
        if let Some(b) = born {
            // Too old to be admitted even at once.
            if check_joining_age(b, today) == Err(FieldErrorCode::TooOld) {
                e.push("date_of_birth", FieldErrorCode::TooOld);
            }
        }
        let profile = self.profile.validated(&mut e);
        e.finish(|| ValidApplication {
            full_name: full_name.unwrap(),
            date_of_birth: born.unwrap(),
            gender: gender.unwrap(),
            national_id: national_id.unwrap(),
            phone: phone.unwrap(),
            unit_id: self.unit_id.unwrap(),
            introducer_member_id: self.introducer_member_id,
            introducer_org,
            application_text: text.unwrap(),
            guardian_name,
            guardian_phone: guardian_phone.unwrap(),
            guardian_consent: self.guardian_consent,
            profile,
        })
    }
}

/// `POST /admissions/{id}/transitions` (with `If-Match`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AdmissionTransitionRequest {
    pub action: String,
    /// start_training: the orientation class the applicant is enrolled in.
    pub class_id: Option<i64>,
    /// propose: the branch meeting.
    pub meeting_on: Option<String>,
    pub present: Option<i32>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    /// approve: the decision.
    pub decision_no: Option<String>,
    pub decided_on: Option<String>,
    pub signer: Option<String>,
    /// admit: the ceremony, and the card number if issued.
    pub ceremony_on: Option<String>,
    pub card_number: Option<String>,
    /// return, reject (required), withdraw (optional).
    pub reason: Option<String>,
}

/// A branch meeting's vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vote {
    pub meeting_on: NaiveDate,
    pub present: i32,
    pub votes_for: i32,
    pub votes_against: i32,
}

/// A checked action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidAdmissionTransition {
    Submit,
    StartTraining { class_id: i64 },
    Propose(Vote),
    Approve { decision_no: String, decided_on: NaiveDate, signer: String },
    Admit { ceremony_on: NaiveDate, card_number: Option<String> },
    Return { reason: String },
    Reject { reason: String },
    Withdraw { reason: Option<String> },
}

impl ValidAdmissionTransition {
    /// The action.
    pub fn action(&self) -> AdmissionAction {
        match self {
            ValidAdmissionTransition::Submit => AdmissionAction::Submit,
            ValidAdmissionTransition::StartTraining { .. } => AdmissionAction::StartTraining,
            ValidAdmissionTransition::Propose(_) => AdmissionAction::Propose,
            ValidAdmissionTransition::Approve { .. } => AdmissionAction::Approve,
            ValidAdmissionTransition::Admit { .. } => AdmissionAction::Admit,
            ValidAdmissionTransition::Return { .. } => AdmissionAction::Return,
            ValidAdmissionTransition::Reject { .. } => AdmissionAction::Reject,
            ValidAdmissionTransition::Withdraw { .. } => AdmissionAction::Withdraw,
        }
    }
}

fn required_text(e: &mut FieldErrors, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
    let text = e.check(field, values::parse_optional_text(raw, max)).flatten();
    if text.is_none() && !e.has(field) {
        e.push(field, FieldErrorCode::Required);
    }
    text
}

fn required_date(e: &mut FieldErrors, field: &str, raw: Option<&str>, today: NaiveDate) -> Option<NaiveDate> {
    e.check(field, past_date(raw.unwrap_or_default(), today))
}

/// Checks a vote: present > 0, for + against ≤ present, and more than half of those present for.
pub fn check_vote(present: i32, votes_for: i32, votes_against: i32) -> Result<(), (&'static str, FieldErrorCode)> {
    if present <= 0 {
        return Err(("present", FieldErrorCode::OutOfRange));
    }
    if votes_for < 0 || votes_against < 0 || votes_for + votes_against > present {
        return Err(("votes_for", FieldErrorCode::OutOfRange));
    }
    if votes_for * 2 <= present {
        return Err(("votes_for", FieldErrorCode::TooShort));
    }
    Ok(())
}

impl AdmissionTransitionRequest {
    /// Checks what the action needs; `today` bounds the dates.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidAdmissionTransition, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let action = e.check(
            "action",
            match self.action.trim() {
                "" => Err(FieldErrorCode::Required),
                a => AdmissionAction::parse(a).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        let valid = match action {
            Some(AdmissionAction::Submit) => Some(ValidAdmissionTransition::Submit),
            Some(AdmissionAction::StartTraining) => {
                if self.class_id.is_none() {
                    e.push("class_id", FieldErrorCode::Required);
                }
                self.class_id.map(|class_id| ValidAdmissionTransition::StartTraining { class_id })
            }
            Some(AdmissionAction::Propose) => {
                let meeting_on = required_date(&mut e, "meeting_on", self.meeting_on.as_deref(), today);
                let mut number = |field: &str, v: Option<i32>| {
                    if v.is_none() {
                        e.push(field, FieldErrorCode::Required);
                    }
                    v
                };
                let (present, votes_for, votes_against) = (
                    number("present", self.present),
                    number("votes_for", self.votes_for),
                    number("votes_against", self.votes_against),
                );
                match (meeting_on, present, votes_for, votes_against) {
                    (Some(meeting_on), Some(present), Some(votes_for), Some(votes_against)) => {
                        match check_vote(present, votes_for, votes_against) {
                            Ok(()) => Some(ValidAdmissionTransition::Propose(Vote {
                                meeting_on,
                                present,
                                votes_for,
                                votes_against,
                            })),
                            Err((field, code)) => {
                                e.push(field, code);
                                None
                            }
                        }
                    }
                    _ => None,
                }
            }
            Some(AdmissionAction::Approve) => {
                let decision_no = required_text(&mut e, "decision_no", self.decision_no.as_deref(), 50);
                let decided_on = required_date(&mut e, "decided_on", self.decided_on.as_deref(), today);
                let signer = required_text(&mut e, "signer", self.signer.as_deref(), 100);
                match (decision_no, decided_on, signer) {
                    (Some(decision_no), Some(decided_on), Some(signer)) => {
                        Some(ValidAdmissionTransition::Approve { decision_no, decided_on, signer })
                    }
                    _ => None,
                }
            }
            Some(AdmissionAction::Admit) => {
                let ceremony_on = required_date(&mut e, "ceremony_on", self.ceremony_on.as_deref(), today);
                let card = e.check("card_number", optional(&self.card_number, crate::api::members::card_number));
                match (ceremony_on, card) {
                    (Some(ceremony_on), Some(card_number)) => {
                        Some(ValidAdmissionTransition::Admit { ceremony_on, card_number })
                    }
                    _ => None,
                }
            }
            Some(AdmissionAction::Return) => required_text(&mut e, "reason", self.reason.as_deref(), 500)
                .map(|reason| ValidAdmissionTransition::Return { reason }),
            Some(AdmissionAction::Reject) => required_text(&mut e, "reason", self.reason.as_deref(), 500)
                .map(|reason| ValidAdmissionTransition::Reject { reason }),
            Some(AdmissionAction::Withdraw) => {
                let reason = e.check("reason", values::parse_optional_text(self.reason.as_deref(), 500)).flatten();
                Some(ValidAdmissionTransition::Withdraw { reason })
            }
            None => None,
        };
        e.finish(|| valid.unwrap())
    }
}

pub use super::batch::BatchOutcome;

/// `POST /admissions/batch-approve`: one decision for a branch meeting's list of cases.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct BatchApproveRequest {
    /// The cases with the version each was read at.
    pub items: Vec<BatchItem>,
    pub decision_no: Option<String>,
    pub decided_on: Option<String>,
    pub signer: Option<String>,
}

/// One case of a batch.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchItem {
    pub id: i64,
    pub version: i64,
}

/// A member found as an introducer (by exact phone or card number). Someone who may not read
/// the member's record sees the name masked ("Huỳnh M. A.": `text::masked_name`) and the branch
/// only when it is the branch their own application is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntroducerView {
    pub member_id: MemberId,
    /// In full for the cadres of the member's unit, otherwise masked.
    pub full_name: String,
    /// The member's branch; empty unless the caller may read the member's record or it is the
    /// branch of the caller's application.
    #[serde(default)]
    pub unit_name: String,
}

/// What an introducer is looked up by: the whole of a phone number or of a member card number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntroducerKey {
    Phone(PhoneVn),
    Card(String),
}

impl IntroducerKey {
    /// A Vietnamese mobile number (any usual form), else a card number (4–20 letters, digits
    /// and `-`, with a digit); anything else is `InvalidFormat` (no partial or name search).
    pub fn parse(raw: &str) -> Result<IntroducerKey, FieldErrorCode> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(FieldErrorCode::Required);
        }
        if let Ok(phone) = PhoneVn::parse(raw) {
            return Ok(IntroducerKey::Phone(phone));
        }
        match crate::api::members::card_number(raw) {
            Ok(card) if card.len() >= 4 && card.bytes().any(|b| b.is_ascii_digit()) => Ok(IntroducerKey::Card(card)),
            Err(FieldErrorCode::TooLong) => Err(FieldErrorCode::TooLong),
            _ => Err(FieldErrorCode::InvalidFormat),
        }
    }
}

/// "1+1": how many youths a member introduced, and how many were admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntroductionCount {
    pub introduced: i64,
    pub admitted: i64,
}

/// A unit's admissions in a year against its target, and its pipeline now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdmissionStats {
    pub unit_id: OrgUnitId,
    pub unit_name: String,
    pub year: i32,
    /// The unit's target for the year, if set.
    pub target: Option<i32>,
    /// Admitted in the year (by ceremony date), in the whole subtree.
    pub admitted: i64,
    /// Applications under way now, by state (submitted ones; drafts are not counted).
    pub in_progress: Vec<(AdmissionState, i64)>,
    /// The same for each unit directly under this one, by name.
    pub by_unit: Vec<UnitAdmissions>,
}

/// One unit's line of a leader's admissions table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitAdmissions {
    pub unit_id: OrgUnitId,
    pub name: String,
    pub target: Option<i32>,
    pub admitted: i64,
    /// Applications under way (all states).
    pub in_progress: i64,
}

impl UnitAdmissions {
    /// Admitted against the target, in whole percent (none without a target).
    pub fn percent(&self) -> Option<i64> {
        self.target.filter(|t| *t > 0).map(|t| self.admitted * 100 / i64::from(t))
    }
}

/// `PUT /admissions/targets`: a unit's target for a year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct TargetRequest {
    pub unit_id: Option<OrgUnitId>,
    pub year: Option<i32>,
    pub target: Option<i32>,
}

impl TargetRequest {
    /// Checks the fields: a unit, a year 2000–2100, a target 0–1,000,000.
    pub fn validate(&self) -> Result<(OrgUnitId, i32, i32), Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        if self.unit_id.is_none() {
            e.push("unit_id", FieldErrorCode::Required);
        }
        let range = |v: Option<i32>, lo: i32, hi: i32| match v {
            None => Err(FieldErrorCode::Required),
            Some(v) if !(lo..=hi).contains(&v) => Err(FieldErrorCode::OutOfRange),
            Some(v) => Ok(v),
        };
        let year = e.check("year", range(self.year, 2000, 2100));
        let target = e.check("target", range(self.target, 0, 1_000_000));
        e.finish(|| (self.unit_id.unwrap(), year.unwrap(), target.unwrap()))
    }
}

/// One step of an application's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdmissionEvent {
    pub action: String,
    pub from_state: AdmissionState,
    pub to_state: AdmissionState,
    pub reason: Option<String>,
    pub actor_name: Option<String>,
    pub at: DateTime<Utc>,
}

/// A case as an inbox shows it: what a decision needs at a glance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdmissionCard {
    pub id: i64,
    pub state: AdmissionState,
    pub full_name: String,
    /// The branch applied to.
    pub unit_name: String,
    /// Age today, and on the meeting date once there is one.
    pub age: u32,
    pub age_at_meeting: Option<u32>,
    /// The orientation class's result for this applicant.
    pub class_result: Option<String>,
    pub meeting_on: Option<NaiveDate>,
    pub present: Option<i32>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    /// The introducing member's name, or the introducing organisation.
    pub introducer: Option<String>,
    pub updated_at: DateTime<Utc>,
    /// What the caller may do next.
    pub allowed_actions: Vec<AdmissionAction>,
    pub version: i64,
}

/// A page of the inbox, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdmissionInbox {
    pub items: Vec<AdmissionCard>,
    /// Pass as `after` for the next page; absent on the last.
    pub next: Option<String>,
}

/// `GET /admissions/inbox/count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InboxCount {
    pub count: i64,
}

/// Where an inbox page starts: after the case changed at `updated_at` (µs since the epoch) with `id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboxCursor {
    pub updated_at: DateTime<Utc>,
    pub id: i64,
}

impl InboxCursor {
    /// `MICROS-ID`, as `next` gives it.
    pub fn parse(s: &str) -> Option<InboxCursor> {
        let (micros, id) = s.split_once('-')?;
        let updated_at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
        Some(InboxCursor { updated_at, id: id.parse().ok()? })
    }
}

impl std::fmt::Display for InboxCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{}", self.updated_at.timestamp_micros(), self.id)
    }
}

/// An application as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdmissionView {
    pub id: i64,
    pub user_id: UserId,
    pub state: AdmissionState,
    #[serde(flatten)]
    pub form: ApplicationForm,
    pub unit_name: String,
    pub introducer_name: Option<String>,
    /// Age today, and on the meeting date once there is one.
    pub age: u32,
    pub age_at_meeting: Option<u32>,
    pub class_id: Option<i64>,
    pub class_result: Option<String>,
    pub meeting_on: Option<NaiveDate>,
    pub present: Option<i32>,
    pub votes_for: Option<i32>,
    pub votes_against: Option<i32>,
    pub decision_no: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub signer: Option<String>,
    pub ceremony_on: Option<NaiveDate>,
    /// The member record created at admission.
    pub member_id: Option<MemberId>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// What the caller may do next.
    pub allowed_actions: Vec<AdmissionAction>,
    pub timeline: Vec<AdmissionEvent>,
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use AdmissionState::*;

    #[test]
    fn inboxes_hold_the_states_waiting_for_a_step_forward() {
        assert_eq!(Actor::BranchCadre.waiting_states(), vec![Applied, Trained]);
        assert_eq!(Actor::HigherCadre.waiting_states(), vec![Proposed, Approved]);
        assert_eq!(Actor::Applicant.waiting_states(), vec![Draft]);
    }

    #[test]
    fn an_inbox_cursor_reads_back_what_it_wrote() {
        let c = InboxCursor { updated_at: DateTime::from_timestamp_micros(1_795_000_000_123_456).unwrap(), id: 42 };
        assert_eq!(InboxCursor::parse(&c.to_string()), Some(c));
        assert_eq!(InboxCursor::parse("soon-42"), None);
        assert_eq!(InboxCursor::parse("12"), None);
    }

    #[test]
    fn each_action_moves_one_step_and_only_from_its_state() {
        assert_eq!(AdmissionAction::Approve.target(Trained), None, "no approval before the branch vote");
        assert_eq!(AdmissionAction::Approve.target(Proposed), Some(Approved));
        assert_eq!(AdmissionAction::Return.target(Approved), Some(Proposed));
        assert_eq!(AdmissionAction::Reject.target(Draft), None);
        assert_eq!(AdmissionAction::Withdraw.target(Admitted), None);
        assert_eq!(AdmissionAction::Admit.target(Approved), Some(Admitted));
    }

    #[test]
    fn a_vote_needs_more_than_half_of_those_present() {
        assert_eq!(check_vote(10, 6, 4), Ok(()));
        assert_eq!(check_vote(10, 5, 5), Err(("votes_for", FieldErrorCode::TooShort)));
        assert_eq!(check_vote(10, 8, 3), Err(("votes_for", FieldErrorCode::OutOfRange)));
        assert_eq!(check_vote(0, 0, 0), Err(("present", FieldErrorCode::OutOfRange)));
    }

    #[test]
    fn an_applicant_under_16_needs_a_guardian_and_consent() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let form = ApplicationForm {
            full_name: "Phạm Minh Khôi".into(),
            date_of_birth: "2011-01-10".into(),
            gender: "male".into(),
            phone: Some("0912345678".into()),
            unit_id: Some(OrgUnitId(3)),
            introducer_org: Some("Chi đội 9A".into()),
            application_text: Some("Em tự nguyện...".into()),
            ..Default::default()
        };
        let fields: Vec<String> = form.validate(today).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["guardian_name", "guardian_phone", "guardian_consent"]);
        let ok = ApplicationForm {
            guardian_name: Some("Phạm Văn Long".into()),
            guardian_phone: Some("0987654321".into()),
            guardian_consent: true,
            ..form
        };
        assert!(ok.validate(today).is_ok());
    }

    #[test]
    fn an_introducer_is_looked_up_by_a_whole_phone_or_card_number_only() {
        assert_eq!(
            IntroducerKey::parse(" +84 912 345 678 ").unwrap(),
            IntroducerKey::Phone(PhoneVn::parse("0912345678").unwrap())
        );
        assert_eq!(IntroducerKey::parse("kh-2026-000321").unwrap(), IntroducerKey::Card("KH-2026-000321".into()));
        assert_eq!(IntroducerKey::parse("").unwrap_err(), FieldErrorCode::Required);
        for bad in ["Nguyễn", "091", "%", "abc-def"] {
            assert_eq!(IntroducerKey::parse(bad).unwrap_err(), FieldErrorCode::InvalidFormat, "{bad}");
        }
    }
}
