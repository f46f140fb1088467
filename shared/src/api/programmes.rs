//! The Member Training programme (Chương trình "Rèn luyện đoàn viên"): a unit publishes its
//! programme for a period (headings, items required or optional with a measurable target, a
//! minimum of optional items, a registration window); each member registers (the optional items
//! chosen, a commitment per heading), records progress, assesses themselves at the year's end,
//! and the branch evaluates the result. The checks that need no database live here, for the
//! server and the SPA alike.

use crate::api::classes::ClassKind;
use crate::api::meetings::MeetingKind;
use crate::error::{FieldErrorCode, FieldErrors};
use crate::ids::{MemberId, OrgUnitId};
use crate::values::{self, parse_date};
use crate::{FieldError, Lang};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// The five headings of the 2018–2022 programme, which a new programme starts with.
pub const STANDARD_HEADINGS: [&str; 5] = [
    "Rèn luyện lý tưởng cách mạng và nâng cao nhận thức chính trị",
    "Rèn luyện đạo đức, lối sống, tác phong đoàn viên",
    "Rèn luyện kỹ năng chuyên môn, nghề nghiệp",
    "Rèn luyện sức khỏe",
    "Trách nhiệm xây dựng tổ chức Đoàn",
];

/// The most headings a programme holds.
pub const MAX_HEADINGS: usize = 20;
/// The most items one heading holds.
pub const MAX_ITEMS_PER_HEADING: usize = 50;
/// The largest target, and the largest count one progress entry records.
pub const MAX_COUNT: i32 = 1_000;

/// What a period is: a calendar year (territorial units), or a school year from 1 September to
/// 31 August (schools), named by the year it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Calendar,
    School,
}

impl PeriodKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Calendar => "calendar",
            PeriodKind::School => "school",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<PeriodKind> {
        [PeriodKind::Calendar, PeriodKind::School].into_iter().find(|k| k.as_str() == s.trim())
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            PeriodKind::Calendar => lang.pick("Năm dương lịch", "Calendar year"),
            PeriodKind::School => lang.pick("Năm học (1/9 – 31/8)", "School year (1 Sept – 31 Aug)"),
        }
    }

    /// The period's first and last day.
    pub fn bounds(self, year: i32) -> (NaiveDate, NaiveDate) {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        match self {
            PeriodKind::Calendar => (d(year, 1, 1), d(year, 12, 31)),
            PeriodKind::School => (d(year, 9, 1), d(year + 1, 8, 31)),
        }
    }

    /// A unit's period as its sector keeps it (stored as text): schools the school year, the rest
    /// the calendar year.
    pub fn of_sector(sector: &str) -> PeriodKind {
        match crate::org::Sector::parse(sector) {
            Some(crate::org::Sector::School) => PeriodKind::School,
            _ => PeriodKind::Calendar,
        }
    }

    /// The year of the period that holds `day`.
    pub fn year_of(self, day: NaiveDate) -> i32 {
        match self {
            PeriodKind::School if day.month() < 9 => day.year() - 1,
            _ => day.year(),
        }
    }
}

/// A result of the programme (and the codes the annual rating shares).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeResult {
    Excellent,
    Good,
    Fulfilled,
    NotFulfilled,
}

impl ProgrammeResult {
    /// Every result, best first.
    pub const ALL: [ProgrammeResult; 4] =
        [ProgrammeResult::Excellent, ProgrammeResult::Good, ProgrammeResult::Fulfilled, ProgrammeResult::NotFulfilled];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProgrammeResult::Excellent => "excellent",
            ProgrammeResult::Good => "good",
            ProgrammeResult::Fulfilled => "fulfilled",
            ProgrammeResult::NotFulfilled => "not_fulfilled",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<ProgrammeResult> {
        ProgrammeResult::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ProgrammeResult::Excellent => lang.pick("Hoàn thành xuất sắc", "Excellent"),
            ProgrammeResult::Good => lang.pick("Hoàn thành tốt", "Good"),
            ProgrammeResult::Fulfilled => lang.pick("Hoàn thành", "Fulfilled"),
            ProgrammeResult::NotFulfilled => lang.pick("Không hoàn thành", "Not fulfilled"),
        }
    }
}

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegistrationState {
    Registered,
    SelfAssessed,
    Evaluated,
}

impl RegistrationState {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationState::Registered => "registered",
            RegistrationState::SelfAssessed => "self_assessed",
            RegistrationState::Evaluated => "evaluated",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<RegistrationState> {
        [RegistrationState::Registered, RegistrationState::SelfAssessed, RegistrationState::Evaluated]
            .into_iter()
            .find(|r| r.as_str() == s.trim())
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            RegistrationState::Registered => lang.pick("Đã đăng ký", "Registered"),
            RegistrationState::SelfAssessed => lang.pick("Đã tự đánh giá", "Self-assessed"),
            RegistrationState::Evaluated => lang.pick("Chi đoàn đã đánh giá", "Evaluated"),
        }
    }
}

/// An action on a registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RegistrationAction {
    /// The member proposes their result (again, until the branch evaluates).
    SelfAssess,
    /// The branch's cadres decide the result (a later decision replaces it, audited).
    Evaluate,
}

impl RegistrationAction {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationAction::SelfAssess => "self_assess",
            RegistrationAction::Evaluate => "evaluate",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<RegistrationAction> {
        [RegistrationAction::SelfAssess, RegistrationAction::Evaluate].into_iter().find(|a| a.as_str() == s.trim())
    }

    /// Whether the action is possible from `state`: a member assesses themselves until the branch
    /// has evaluated; the branch evaluates at any time, and again by a new decision.
    pub fn allowed_from(self, state: RegistrationState) -> bool {
        match self {
            RegistrationAction::SelfAssess => state != RegistrationState::Evaluated,
            RegistrationAction::Evaluate => true,
        }
    }
}

/// One item of a programme as sent (`id` keeps an existing item when editing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ItemForm {
    pub id: Option<i64>,
    pub title: String,
    pub required: bool,
    /// How many of what is counted (1–1,000).
    pub target: Option<i32>,
    /// What is counted ("bài học lý luận chính trị", "chiến dịch tình nguyện").
    pub counted: String,
    /// What fills its progress by itself: `class:<kind>` (`orientation`, `party_awareness`,
    /// `cadre_training`, `other`), each class of that kind the member passes counting 1.
    pub fills_from: Option<String>,
}

/// One heading as sent (`id` keeps an existing heading when editing).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct HeadingForm {
    pub id: Option<i64>,
    pub title: String,
    pub items: Vec<ItemForm>,
}

/// `POST /programmes`, and `PATCH /programmes/{id}` (with `If-Match`; there the unit, year and
/// period are fixed and ignored). Without `headings` a new programme gets the five standard
/// headings; `period_kind` defaults from the unit's sector (schools: the school year).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ProgrammeForm {
    pub unit_id: Option<OrgUnitId>,
    pub year: Option<i32>,
    /// `calendar` or `school`.
    pub period_kind: Option<String>,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub registration_opens_on: String,
    /// `YYYY-MM-DD`, on or after the opening and within the period.
    pub registration_closes_on: String,
    /// How many optional items a member chooses at least.
    pub min_optional: Option<i32>,
    pub headings: Option<Vec<HeadingForm>>,
    /// Publish it as a template: the units below copy and adapt it (`template_id`); members
    /// register for their own unit's programme, never for a template.
    pub template: bool,
    /// A template of a unit above this one, copied when `headings` (or `min_optional`) is absent.
    pub template_id: Option<i64>,
}

/// A checked item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidItem {
    pub id: Option<i64>,
    pub title: String,
    pub required: bool,
    pub target: i32,
    pub counted: String,
    pub fills_from: Option<ItemLink>,
}

/// What fills an item's progress by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemLink {
    /// A class of this kind passed counts 1.
    Class(ClassKind),
    /// Each held meeting of this kind the member attended counts 1.
    Meeting(MeetingKind),
}

impl ItemLink {
    /// Parses `class:<kind>` or `meeting:<kind>`.
    pub fn parse(s: &str) -> Option<ItemLink> {
        let s = s.trim();
        if let Some(kind) = s.strip_prefix("meeting:") {
            return MeetingKind::parse(kind).map(ItemLink::Meeting);
        }
        s.strip_prefix("class:").and_then(ClassKind::parse).map(ItemLink::Class)
    }

    /// The wire form.
    pub fn wire(self) -> String {
        match self {
            ItemLink::Class(kind) => format!("class:{}", kind.as_str()),
            ItemLink::Meeting(kind) => format!("meeting:{}", kind.as_str()),
        }
    }
}

/// A checked heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidHeading {
    pub id: Option<i64>,
    pub title: String,
    pub items: Vec<ValidItem>,
}

/// A checked programme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProgramme {
    pub unit_id: Option<OrgUnitId>,
    pub year: Option<i32>,
    pub period_kind: Option<PeriodKind>,
    pub title: String,
    pub registration_opens_on: NaiveDate,
    pub registration_closes_on: NaiveDate,
    pub min_optional: i32,
    pub headings: Vec<ValidHeading>,
    pub template: bool,
}

fn required_text(e: &mut FieldErrors, field: &str, raw: &str, max: usize) -> Option<String> {
    let text = e.check(field, values::parse_optional_text(Some(raw), max)).flatten();
    if text.is_none() && !e.has(field) {
        e.push(field, FieldErrorCode::Required);
    }
    text
}

fn check_item(e: &mut FieldErrors, field: &str, item: &ItemForm) -> Option<ValidItem> {
    let title = required_text(e, &format!("{field}.title"), &item.title, 300);
    let counted = required_text(e, &format!("{field}.counted"), &item.counted, 100);
    let target = e.check(
        &format!("{field}.target"),
        match item.target {
            None => Err(FieldErrorCode::Required),
            Some(t) if !(1..=MAX_COUNT).contains(&t) => Err(FieldErrorCode::OutOfRange),
            Some(t) => Ok(t),
        },
    );
    let fills_from = e
        .check(
            &format!("{field}.fills_from"),
            match item.fills_from.as_deref().map(str::trim).filter(|f| !f.is_empty()) {
                None => Ok(None),
                Some(f) => ItemLink::parse(f).map(Some).ok_or(FieldErrorCode::UnknownValue),
            },
        )
        .flatten();
    Some(ValidItem {
        id: item.id,
        title: title?,
        required: item.required,
        target: target?,
        counted: counted?,
        fills_from,
    })
}

fn check_headings(e: &mut FieldErrors, headings: &[HeadingForm]) -> Vec<ValidHeading> {
    if headings.is_empty() {
        e.push("headings", FieldErrorCode::Required);
    } else if headings.len() > MAX_HEADINGS {
        e.push("headings", FieldErrorCode::TooLong);
    }
    let mut out = Vec::new();
    for (h, heading) in headings.iter().enumerate() {
        let field = format!("headings[{h}]");
        let title = required_text(e, &format!("{field}.title"), &heading.title, 200);
        if heading.items.len() > MAX_ITEMS_PER_HEADING {
            e.push(&format!("{field}.items"), FieldErrorCode::TooLong);
        }
        let items: Vec<Option<ValidItem>> = heading
            .items
            .iter()
            .enumerate()
            .map(|(i, item)| check_item(e, &format!("{field}.items[{i}]"), item))
            .collect();
        if let Some(title) = title {
            out.push(ValidHeading { id: heading.id, title, items: items.into_iter().flatten().collect() });
        }
    }
    out
}

/// Checks a registration window against the period: opening on or before closing, closing
/// within the period.
pub fn check_window(
    kind: PeriodKind,
    year: i32,
    opens: NaiveDate,
    closes: NaiveDate,
) -> Result<(), (&'static str, FieldErrorCode)> {
    let (_, ends) = kind.bounds(year);
    if closes < opens || closes > ends {
        return Err(("registration_closes_on", FieldErrorCode::OutOfRange));
    }
    Ok(())
}

impl ProgrammeForm {
    /// The headings to check: those sent, or the five standard ones (no items yet).
    pub fn headings_or_standard(&self) -> Vec<HeadingForm> {
        self.headings.clone().unwrap_or_else(|| {
            STANDARD_HEADINGS.iter().map(|t| HeadingForm { title: (*t).to_owned(), ..Default::default() }).collect()
        })
    }

    /// Checks every field; `this_year` bounds the year (2000 to the next year).
    pub fn validate(&self, this_year: i32) -> Result<ValidProgramme, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let year = e.check(
            "year",
            match self.year {
                Some(y) if !(2000..=this_year + 1).contains(&y) => Err(FieldErrorCode::OutOfRange),
                y => Ok(y),
            },
        );
        let kind = e.check(
            "period_kind",
            match self.period_kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
                None => Ok(None),
                Some(k) => PeriodKind::parse(k).map(Some).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        let title = required_text(&mut e, "title", &self.title, 200);
        let opens = e.check("registration_opens_on", parse_date(&self.registration_opens_on));
        let closes = e.check("registration_closes_on", parse_date(&self.registration_closes_on));
        let headings = check_headings(&mut e, &self.headings_or_standard());
        let optional = headings.iter().flat_map(|h| &h.items).filter(|i| !i.required).count() as i32;
        let min_optional = e.check(
            "min_optional",
            match self.min_optional.unwrap_or(0) {
                m if m < 0 || m > optional => Err(FieldErrorCode::OutOfRange),
                m => Ok(m),
            },
        );
        if let (Some(Some(y)), Some(Some(k)), Some(o), Some(c)) = (year, kind, opens, closes) {
            if let Err((field, code)) = check_window(k, y, o, c) {
                e.push(field, code);
            }
        } else if let (Some(o), Some(c)) = (opens, closes) {
            if c < o {
                e.push("registration_closes_on", FieldErrorCode::OutOfRange);
            }
        }
        e.finish(|| ValidProgramme {
            unit_id: self.unit_id,
            year: year.flatten(),
            period_kind: kind.flatten(),
            title: title.unwrap(),
            registration_opens_on: opens.unwrap(),
            registration_closes_on: closes.unwrap(),
            min_optional: min_optional.unwrap(),
            headings,
            template: self.template,
        })
    }
}

/// An item as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemView {
    pub id: i64,
    pub title: String,
    pub required: bool,
    pub target: i32,
    pub counted: String,
    /// `class:<kind>` when a passed class of that kind fills it.
    pub fills_from: Option<String>,
}

/// A heading as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeadingView {
    pub id: i64,
    pub title: String,
    pub items: Vec<ItemView>,
}

/// A programme as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgrammeView {
    pub id: i64,
    pub unit_id: OrgUnitId,
    pub unit_name: String,
    pub year: i32,
    pub period_kind: PeriodKind,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub title: String,
    pub registration_opens_on: NaiveDate,
    pub registration_closes_on: NaiveDate,
    pub min_optional: i32,
    pub headings: Vec<HeadingView>,
    /// Whether registration is open today.
    pub registration_open: bool,
    /// The caller's own registration for it, if any.
    pub my_registration_id: Option<i64>,
    /// How many members registered (in the whole subtree).
    pub registered: i64,
    /// A template the units below copy; nobody registers for it.
    pub template: bool,
    pub version: i64,
}

impl ProgrammeView {
    /// The item with this id.
    pub fn item(&self, id: i64) -> Option<&ItemView> {
        self.headings.iter().flat_map(|h| &h.items).find(|i| i.id == id)
    }

    /// Its headings and items as a new programme's form sends them (a template copied).
    pub fn as_template(&self) -> Vec<HeadingForm> {
        self.headings
            .iter()
            .map(|h| HeadingForm {
                id: None,
                title: h.title.clone(),
                items: h
                    .items
                    .iter()
                    .map(|i| ItemForm {
                        id: None,
                        title: i.title.clone(),
                        required: i.required,
                        target: Some(i.target),
                        counted: i.counted.clone(),
                        fills_from: i.fills_from.clone(),
                    })
                    .collect(),
            })
            .collect()
    }

    /// The ids of the required items.
    pub fn required_ids(&self) -> Vec<i64> {
        self.headings.iter().flat_map(|h| &h.items).filter(|i| i.required).map(|i| i.id).collect()
    }
}

/// A member's commitment under one heading.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CommitmentForm {
    pub heading_id: Option<i64>,
    pub text: String,
}

/// `POST /programmes/{id}/registrations` (the caller's own without `member_id`; a cadre of the
/// member's branch names one), and `PATCH /programme-registrations/{id}` (`member_id` ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RegistrationForm {
    pub member_id: Option<MemberId>,
    /// The optional items chosen (at least the programme's `min_optional`).
    pub optional_item_ids: Vec<i64>,
    /// At most one per heading; empty ones are left out.
    pub commitments: Vec<CommitmentForm>,
}

/// A checked registration: the optional items, and (heading, text) commitments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRegistration {
    pub optional_item_ids: Vec<i64>,
    pub commitments: Vec<(i64, String)>,
}

impl RegistrationForm {
    /// Checks the form against the programme: optional items of this programme, no duplicate,
    /// at least the minimum; commitments under its headings, one per heading, 2,000 characters at most.
    pub fn validate(&self, programme: &ProgrammeView) -> Result<ValidRegistration, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let mut seen = HashSet::new();
        for (i, id) in self.optional_item_ids.iter().enumerate() {
            let field = format!("optional_item_ids[{i}]");
            match programme.item(*id) {
                None => e.push(&field, FieldErrorCode::NotFound),
                Some(item) if item.required => e.push(&field, FieldErrorCode::NotAllowed),
                Some(_) if !seen.insert(*id) => e.push(&field, FieldErrorCode::Duplicate),
                Some(_) => {}
            }
        }
        if (seen.len() as i32) < programme.min_optional && !e.has("optional_item_ids") {
            e.push("optional_item_ids", FieldErrorCode::TooShort);
        }
        let mut commitments = Vec::new();
        let mut headings = HashSet::new();
        for (i, c) in self.commitments.iter().enumerate() {
            let field = format!("commitments[{i}]");
            let text = e.check(&format!("{field}.text"), values::parse_optional_text(Some(&c.text), 2_000)).flatten();
            match c.heading_id {
                None => e.push(&format!("{field}.heading_id"), FieldErrorCode::Required),
                Some(h) if !programme.headings.iter().any(|x| x.id == h) => {
                    e.push(&format!("{field}.heading_id"), FieldErrorCode::NotFound)
                }
                Some(h) if !headings.insert(h) => e.push(&format!("{field}.heading_id"), FieldErrorCode::Duplicate),
                Some(h) => commitments.extend(text.map(|t| (h, t))),
            }
        }
        let mut ids: Vec<i64> = seen.into_iter().collect();
        ids.sort_unstable();
        e.finish(|| ValidRegistration { optional_item_ids: ids, commitments })
    }
}

/// `POST /programme-registrations/{id}/progress`: some of an item done on a day.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct ProgressForm {
    pub item_id: Option<i64>,
    /// How many were done (1–1,000).
    pub count: Option<i32>,
    /// `YYYY-MM-DD`: not in the future, within the programme's period.
    pub done_on: String,
    pub note: Option<String>,
}

/// A checked progress entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProgress {
    pub item_id: i64,
    pub count: i32,
    pub done_on: NaiveDate,
    pub note: Option<String>,
}

impl ProgressForm {
    /// Checks the entry: a count 1–1,000, a date not after `today` and within the period.
    pub fn validate(&self, today: NaiveDate, period: (NaiveDate, NaiveDate)) -> Result<ValidProgress, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        if self.item_id.is_none() {
            e.push("item_id", FieldErrorCode::Required);
        }
        let count = e.check(
            "count",
            match self.count {
                None => Err(FieldErrorCode::Required),
                Some(c) if !(1..=MAX_COUNT).contains(&c) => Err(FieldErrorCode::OutOfRange),
                Some(c) => Ok(c),
            },
        );
        let done_on = e.check(
            "done_on",
            parse_date(&self.done_on).and_then(|d| match d {
                d if d > today => Err(FieldErrorCode::InFuture),
                d if d < period.0 || d > period.1 => Err(FieldErrorCode::OutOfRange),
                d => Ok(d),
            }),
        );
        let note = e.check("note", values::parse_optional_text(self.note.as_deref(), 1_000)).flatten();
        e.finish(|| ValidProgress {
            item_id: self.item_id.unwrap(),
            count: count.unwrap(),
            done_on: done_on.unwrap(),
            note,
        })
    }
}

/// `POST /programme-registrations/{id}/transitions` (with `If-Match`): `self_assess` {result,
/// text} by the member, `evaluate` {result, comment} by the branch's cadres.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct RegistrationTransitionRequest {
    pub action: String,
    /// `excellent`, `good`, `fulfilled` or `not_fulfilled`.
    pub result: Option<String>,
    /// self_assess: the member's own account of the year.
    pub text: Option<String>,
    /// evaluate: the branch's comment.
    pub comment: Option<String>,
}

/// A checked action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValidRegistrationTransition {
    SelfAssess { result: ProgrammeResult, text: Option<String> },
    Evaluate { result: ProgrammeResult, comment: Option<String> },
}

impl ValidRegistrationTransition {
    /// The action.
    pub fn action(&self) -> RegistrationAction {
        match self {
            ValidRegistrationTransition::SelfAssess { .. } => RegistrationAction::SelfAssess,
            ValidRegistrationTransition::Evaluate { .. } => RegistrationAction::Evaluate,
        }
    }
}

impl RegistrationTransitionRequest {
    /// Checks the action and its result code and text.
    pub fn validate(&self) -> Result<ValidRegistrationTransition, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let action = e.check(
            "action",
            match self.action.trim() {
                "" => Err(FieldErrorCode::Required),
                a => RegistrationAction::parse(a).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        let result = e.check(
            "result",
            match self.result.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
                None => Err(FieldErrorCode::Required),
                Some(r) => ProgrammeResult::parse(r).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        let text = e.check("text", values::parse_optional_text(self.text.as_deref(), 5_000)).flatten();
        let comment = e.check("comment", values::parse_optional_text(self.comment.as_deref(), 2_000)).flatten();
        e.finish(|| match action.unwrap() {
            RegistrationAction::SelfAssess => ValidRegistrationTransition::SelfAssess { result: result.unwrap(), text },
            RegistrationAction::Evaluate => ValidRegistrationTransition::Evaluate { result: result.unwrap(), comment },
        })
    }
}

/// An item a registration holds, with the progress so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationItemView {
    pub item_id: i64,
    pub heading_id: i64,
    pub title: String,
    pub required: bool,
    pub target: i32,
    pub counted: String,
    /// `class:<kind>` when a passed class of that kind fills it.
    pub fills_from: Option<String>,
    /// The sum of the progress entries.
    pub done: i32,
}

impl RegistrationItemView {
    /// Done against the target, in whole percent (at most 100).
    pub fn percent(&self) -> i64 {
        percent_done(self.done, self.target)
    }
}

/// Done against a target, in whole percent (at most 100).
pub fn percent_done(done: i32, target: i32) -> i64 {
    (i64::from(done.min(target)) * 100) / i64::from(target.max(1))
}

/// Overall progress of items given as (done, target), in whole percent (the mean of the items').
pub fn mean_percent(items: impl ExactSizeIterator<Item = (i32, i32)>) -> i64 {
    match items.len() as i64 {
        0 => 0,
        n => items.map(|(d, t)| percent_done(d, t)).sum::<i64>() / n,
    }
}

/// A commitment as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitmentView {
    pub heading_id: i64,
    pub heading_title: String,
    pub text: String,
}

/// One progress entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressView {
    pub id: i64,
    pub item_id: i64,
    pub count: i32,
    pub done_on: NaiveDate,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
    /// Links, photos and PDFs attached to the entry (`programme_files`), oldest first.
    #[serde(default)]
    pub evidence: Vec<crate::api::programme_files::EvidenceView>,
}

/// A registration as read (the member, and the cadres of the member's branch).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationView {
    pub id: i64,
    pub programme_id: i64,
    pub programme_title: String,
    pub year: i32,
    pub member_id: MemberId,
    pub member_name: String,
    pub unit_id: OrgUnitId,
    pub unit_name: String,
    pub state: RegistrationState,
    pub items: Vec<RegistrationItemView>,
    pub commitments: Vec<CommitmentView>,
    pub progress: Vec<ProgressView>,
    pub self_result: Option<ProgrammeResult>,
    pub self_text: Option<String>,
    pub result: Option<ProgrammeResult>,
    pub comment: Option<String>,
    pub evaluated_at: Option<DateTime<Utc>>,
    /// Overall progress, in whole percent (the mean of the items').
    pub percent: i64,
    /// What the caller may do next.
    pub allowed_actions: Vec<RegistrationAction>,
    pub version: i64,
}

/// Overall progress of a set of items, in whole percent.
pub fn overall_percent(items: &[RegistrationItemView]) -> i64 {
    mean_percent(items.iter().map(|i| (i.done, i.target)))
}

/// A line of a programme's list of registrations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegistrationSummary {
    pub id: i64,
    pub member_id: MemberId,
    pub member_name: String,
    pub unit_name: String,
    pub state: RegistrationState,
    pub self_result: Option<ProgrammeResult>,
    pub result: Option<ProgrammeResult>,
    /// Overall progress, in whole percent.
    pub percent: i64,
    /// The progress on each item held: one line of the branch's member × item grid.
    pub items: Vec<ItemDone>,
    pub version: i64,
}

/// A year of the member book's "Rèn luyện đoàn viên" section: a registration of the member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberProgrammeYear {
    pub registration_id: i64,
    pub programme_id: i64,
    pub programme_title: String,
    pub year: i32,
    pub state: RegistrationState,
    pub self_result: Option<ProgrammeResult>,
    /// The branch's evaluation, the evidence the annual rating reads.
    pub result: Option<ProgrammeResult>,
}

/// An item's progress on a line of the member × item grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ItemDone {
    pub item_id: i64,
    pub done: i32,
    pub target: i32,
}

/// How many results of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResultCount {
    pub result: ProgrammeResult,
    pub count: i64,
}

/// One unit's line of a leader's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitProgrammeStats {
    pub unit_id: OrgUnitId,
    pub name: String,
    pub live_members: i64,
    pub registered: i64,
    /// Registered against live members, in whole percent (none without members).
    pub percent_registered: Option<i64>,
}

/// `GET /programmes/stats`: a unit's figures for a year (its whole subtree), and the units
/// directly under it, those furthest from 100% first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgrammeStats {
    pub unit_id: OrgUnitId,
    pub unit_name: String,
    pub year: i32,
    pub live_members: i64,
    pub registered: i64,
    pub percent_registered: Option<i64>,
    pub self_assessed: i64,
    pub evaluated: i64,
    pub by_result: Vec<ResultCount>,
    pub by_unit: Vec<UnitProgrammeStats>,
}

/// Registered against live members, in whole percent.
pub fn percent_of(registered: i64, live: i64) -> Option<i64> {
    (live > 0).then(|| registered * 100 / live)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn programme() -> ProgrammeView {
        let item = |id, required| ItemView {
            id,
            title: format!("Mục {id}"),
            required,
            target: 2,
            counted: "lần".into(),
            fills_from: None,
        };
        ProgrammeView {
            id: 1,
            unit_id: OrgUnitId(3),
            unit_name: "Đoàn phường".into(),
            year: 2026,
            period_kind: PeriodKind::Calendar,
            starts_on: d("2026-01-01"),
            ends_on: d("2026-12-31"),
            title: "Rèn luyện đoàn viên 2026".into(),
            registration_opens_on: d("2026-01-01"),
            registration_closes_on: d("2026-12-31"),
            min_optional: 2,
            headings: vec![
                HeadingView { id: 10, title: "A".into(), items: vec![item(1, true), item(2, false)] },
                HeadingView { id: 11, title: "B".into(), items: vec![item(3, false), item(4, false)] },
            ],
            registration_open: true,
            my_registration_id: None,
            registered: 0,
            template: false,
            version: 1,
        }
    }

    #[test]
    fn a_school_year_runs_from_september_to_august_and_is_named_by_its_first_year() {
        assert_eq!(PeriodKind::School.bounds(2026), (d("2026-09-01"), d("2027-08-31")));
        assert_eq!(PeriodKind::School.year_of(d("2027-03-10")), 2026);
        assert_eq!(PeriodKind::School.year_of(d("2026-09-01")), 2026);
        assert_eq!(PeriodKind::Calendar.year_of(d("2027-03-10")), 2027);
    }

    #[test]
    fn a_new_programme_without_headings_gets_the_five_standard_ones() {
        let form = ProgrammeForm {
            unit_id: Some(OrgUnitId(3)),
            year: Some(2026),
            title: "Rèn luyện đoàn viên 2026".into(),
            registration_opens_on: "2026-01-01".into(),
            registration_closes_on: "2026-03-31".into(),
            ..Default::default()
        };
        let valid = form.validate(2026).unwrap();
        assert_eq!(valid.headings.iter().map(|h| h.title.as_str()).collect::<Vec<_>>(), STANDARD_HEADINGS);
    }

    #[test]
    fn a_programme_names_each_bad_field() {
        let form = ProgrammeForm {
            year: Some(2026),
            period_kind: Some("school".into()),
            title: " ".into(),
            registration_opens_on: "2026-09-01".into(),
            registration_closes_on: "2027-09-30".into(),
            min_optional: Some(1),
            headings: Some(vec![HeadingForm {
                title: "Sức khỏe".into(),
                items: vec![ItemForm {
                    title: "Chạy".into(),
                    required: true,
                    target: Some(0),
                    counted: "km".into(),
                    id: None,
                    fills_from: None,
                }],
                id: None,
            }]),
            ..Default::default()
        };
        let fields: Vec<String> = form.validate(2026).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "headings[0].items[0].target", "min_optional", "registration_closes_on"]);
    }

    #[test]
    fn a_registration_needs_enough_optional_items_of_its_own_programme_once_each() {
        let p = programme();
        let form = |ids: Vec<i64>| RegistrationForm { optional_item_ids: ids, ..Default::default() };
        let fields =
            |f: RegistrationForm| -> Vec<String> { f.validate(&p).unwrap_err().into_iter().map(|e| e.field).collect() };
        assert_eq!(fields(form(vec![2])), ["optional_item_ids"]);
        assert_eq!(fields(form(vec![2, 2])), ["optional_item_ids[1]", "optional_item_ids"]);
        assert_eq!(fields(form(vec![2, 99, 1])), ["optional_item_ids[1]", "optional_item_ids[2]", "optional_item_ids"]);
        assert_eq!(form(vec![4, 2]).validate(&p).unwrap().optional_item_ids, [2, 4]);
        let dup = RegistrationForm {
            optional_item_ids: vec![2, 3],
            commitments: vec![
                CommitmentForm { heading_id: Some(10), text: "Học đủ".into() },
                CommitmentForm { heading_id: Some(10), text: "Lại".into() },
                CommitmentForm { heading_id: Some(99), text: "?".into() },
            ],
            ..Default::default()
        };
        assert_eq!(fields(dup), ["commitments[1].heading_id", "commitments[2].heading_id"]);
    }

    #[test]
    fn progress_is_a_sane_count_on_a_past_day_of_the_period() {
        let period = (d("2026-01-01"), d("2026-12-31"));
        let today = d("2026-06-15");
        let entry =
            |count, on: &str| ProgressForm { item_id: Some(1), count: Some(count), done_on: on.into(), note: None };
        assert!(entry(2, "2026-06-15").validate(today, period).is_ok());
        let field = |f: ProgressForm| f.validate(today, period).unwrap_err()[0].clone();
        assert_eq!(field(entry(-1, "2026-06-01")).field, "count");
        assert_eq!(field(entry(5_000, "2026-06-01")).field, "count");
        assert_eq!(field(entry(1, "2026-06-16")).code, FieldErrorCode::InFuture);
        assert_eq!(field(entry(1, "2025-12-31")).code, FieldErrorCode::OutOfRange);
    }

    #[test]
    fn an_unknown_result_is_named() {
        let t = RegistrationTransitionRequest {
            action: "evaluate".into(),
            result: Some("perfect".into()),
            ..Default::default()
        };
        assert_eq!(t.validate().unwrap_err()[0].field, "result");
        assert!(!RegistrationAction::SelfAssess.allowed_from(RegistrationState::Evaluated));
    }
}
