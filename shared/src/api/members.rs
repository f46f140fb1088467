//! Member records (sổ đoàn viên): what a cadre enters and what the API returns.

use crate::cccd::{Gender, NationalId};
use crate::error::{FieldErrorCode, FieldErrors};
use crate::ids::{MemberId, OrgUnitId, UserId};
use crate::values::{self, Email, FullName, PhoneVn};
use crate::{FieldError, Lang};
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Where a member stands in the Union.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MemberStatus {
    /// Sinh hoạt bình thường.
    Active,
    /// Kept past 30 by the branch's decision (up to 35).
    Extended,
    /// Trưởng thành Đoàn: the honourable exit at 30+.
    Matured,
    /// Left the system by transfer to a unit outside it.
    TransferredOut,
    /// Xóa tên (not a punishment).
    Removed,
    /// Khai trừ (discipline).
    Expelled,
    /// Deceased.
    Deceased,
}

impl MemberStatus {
    /// Every status.
    pub const ALL: [MemberStatus; 7] = [
        MemberStatus::Active,
        MemberStatus::Extended,
        MemberStatus::Matured,
        MemberStatus::TransferredOut,
        MemberStatus::Removed,
        MemberStatus::Expelled,
        MemberStatus::Deceased,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            MemberStatus::Active => "active",
            MemberStatus::Extended => "extended",
            MemberStatus::Matured => "matured",
            MemberStatus::TransferredOut => "transferred_out",
            MemberStatus::Removed => "removed",
            MemberStatus::Expelled => "expelled",
            MemberStatus::Deceased => "deceased",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<MemberStatus> {
        MemberStatus::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }

    /// Whether the member currently belongs to a branch (counts, is rated, pays dues).
    pub fn is_live(self) -> bool {
        matches!(self, MemberStatus::Active | MemberStatus::Extended)
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            MemberStatus::Active => lang.pick("Đang sinh hoạt", "Active"),
            MemberStatus::Extended => lang.pick("Kéo dài sinh hoạt", "Extended past 30"),
            MemberStatus::Matured => lang.pick("Trưởng thành Đoàn", "Matured out"),
            MemberStatus::TransferredOut => lang.pick("Đã chuyển đi", "Transferred out"),
            MemberStatus::Removed => lang.pick("Đã xóa tên", "Removed"),
            MemberStatus::Expelled => lang.pick("Khai trừ", "Expelled"),
            MemberStatus::Deceased => lang.pick("Đã mất", "Deceased"),
        }
    }
}

/// Membership of the Communist Party.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PartyStatus {
    /// Not a Party member.
    #[default]
    None,
    /// Đảng viên dự bị.
    Probationary,
    /// Đảng viên chính thức.
    Full,
}

impl PartyStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyStatus::None => "none",
            PartyStatus::Probationary => "probationary",
            PartyStatus::Full => "full",
        }
    }

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            PartyStatus::None => lang.pick("Chưa là đảng viên", "Not a Party member"),
            PartyStatus::Probationary => lang.pick("Đảng viên dự bị", "Probationary Party member"),
            PartyStatus::Full => lang.pick("Đảng viên chính thức", "Full Party member"),
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<PartyStatus> {
        [PartyStatus::None, PartyStatus::Probationary, PartyStatus::Full].into_iter().find(|p| p.as_str() == s.trim())
    }
}

/// The earliest day a person born on `born` may join: 15 years and one day later.
pub fn earliest_joining_day(born: NaiveDate) -> Option<NaiveDate> {
    born.checked_add_months(Months::new(15 * 12))?.succ_opt()
}

/// The last day a person born on `born` may join: their 30th birthday.
pub fn latest_joining_day(born: NaiveDate) -> Option<NaiveDate> {
    born.checked_add_months(Months::new(30 * 12))
}

/// Checks the joining age: at least 15 years and a day, at most 30 years, on `on`.
pub fn check_joining_age(born: NaiveDate, on: NaiveDate) -> Result<(), FieldErrorCode> {
    match (earliest_joining_day(born), latest_joining_day(born)) {
        (Some(first), _) if on < first => Err(FieldErrorCode::TooYoung),
        (_, Some(last)) if on > last => Err(FieldErrorCode::TooOld),
        _ => Ok(()),
    }
}

/// The background of a member (lý lịch): free text, each up to 200 characters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MemberProfile {
    /// Dân tộc.
    pub ethnicity: Option<String>,
    /// Tôn giáo.
    pub religion: Option<String>,
    /// Quê quán.
    pub hometown: Option<String>,
    /// Nơi thường trú.
    pub permanent_address: Option<String>,
    /// Nơi ở hiện nay.
    pub current_address: Option<String>,
    /// Trình độ văn hóa, e.g. "12/12".
    pub education: Option<String>,
    /// Trình độ chuyên môn.
    pub qualification: Option<String>,
    /// Lý luận chính trị (sơ cấp, trung cấp, cao cấp).
    pub political_theory: Option<String>,
    /// Nghề nghiệp.
    pub occupation: Option<String>,
}

impl MemberProfile {
    pub(crate) fn validated(&self, e: &mut FieldErrors) -> MemberProfile {
        let mut one =
            |name: &str, v: &Option<String>| e.check(name, values::parse_optional_text(v.as_deref(), 200)).flatten();
        MemberProfile {
            ethnicity: one("ethnicity", &self.ethnicity),
            religion: one("religion", &self.religion),
            hometown: one("hometown", &self.hometown),
            permanent_address: one("permanent_address", &self.permanent_address),
            current_address: one("current_address", &self.current_address),
            education: one("education", &self.education),
            qualification: one("qualification", &self.qualification),
            political_theory: one("political_theory", &self.political_theory),
            occupation: one("occupation", &self.occupation),
        }
    }
}

/// `POST /members`: a member record as a cadre enters it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CreateMemberRequest {
    /// Full name with diacritics.
    pub full_name: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    /// `male` or `female`.
    pub gender: String,
    /// CCCD (12 digits) or legacy CMND (9); may be empty while the member has none.
    pub national_id: Option<String>,
    /// Vietnamese mobile number.
    pub phone: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// The official branch.
    pub unit_id: Option<OrgUnitId>,
    /// Ngày vào Đoàn, `YYYY-MM-DD`.
    pub joined_on: String,
    /// Số thẻ đoàn viên.
    pub card_number: Option<String>,
    /// `none`, `probationary` or `full`.
    pub party_status: Option<String>,
    /// Date of Party admission, when a Party member: not before the Party's founding (1930-02-03)
    /// nor the member's eighteenth birthday.
    pub party_joined_on: Option<String>,
    /// The login (phone or email) of the member's own account, to link it once the account's
    /// holder confirms (`POST /members/{id}/link/confirm`): the account then holds the member
    /// role on the branch and reads its own member book. Until then the record is unlinked.
    pub login: Option<String>,
    /// Which monthly dues apply: `unsalaried` (default) or `salaried`.
    pub dues_class: Option<String>,
    /// Background.
    #[serde(flatten)]
    pub profile: MemberProfile,
}

/// A member record that passed validation.
#[derive(Debug, Clone)]
pub struct ValidMember {
    pub full_name: FullName,
    pub date_of_birth: NaiveDate,
    pub gender: Gender,
    pub national_id: Option<NationalId>,
    pub phone: Option<PhoneVn>,
    pub email: Option<Email>,
    pub unit_id: OrgUnitId,
    pub joined_on: NaiveDate,
    pub card_number: Option<String>,
    pub party_status: PartyStatus,
    pub party_joined_on: Option<NaiveDate>,
    pub login: Option<crate::values::Login>,
    pub dues_class: crate::api::dues::DuesClass,
    pub profile: MemberProfile,
}

impl ValidMember {
    /// Missing or legacy identity number, or no way to reach the member: listed for completion.
    pub fn is_incomplete(&self) -> bool {
        self.national_id.as_ref().is_none_or(NationalId::is_legacy) || self.phone.is_none()
    }
}

/// A person's identity as checked for a member record or an application: the name, a birth date
/// not in the future nor more than `values::MAX_AGE` years back, the sex, and a CCCD that agrees with both (each `None` when invalid).
pub(crate) struct Identity {
    pub full_name: Option<FullName>,
    pub date_of_birth: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub national_id: Option<Option<NationalId>>,
}

impl Identity {
    pub(crate) fn check(
        e: &mut FieldErrors,
        full_name: &str,
        date_of_birth: &str,
        gender: &str,
        national_id: &Option<String>,
        today: NaiveDate,
    ) -> Identity {
        let full_name = e.check("full_name", FullName::parse(full_name));
        let date_of_birth = e.check("date_of_birth", values::parse_any_birth_date(date_of_birth, today));
        let gender = e.check(
            "gender",
            match gender.trim() {
                "" => Err(FieldErrorCode::Required),
                g => Gender::parse(g).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        let national_id = e.check("national_id", optional(national_id, NationalId::parse));
        if let (Some(Some(id)), Some(g), Some(born)) = (&national_id, gender, date_of_birth) {
            e.check("national_id", id.check_against(g, born));
        }
        Identity { full_name, date_of_birth, gender, national_id }
    }
}

pub(crate) fn optional<T>(
    raw: &Option<String>,
    parse: impl Fn(&str) -> Result<T, FieldErrorCode>,
) -> Result<Option<T>, FieldErrorCode> {
    match raw.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse(s).map(Some),
    }
}

pub(crate) fn past_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldErrorCode> {
    let d = values::parse_date(raw)?;
    if d > today {
        Err(FieldErrorCode::InFuture)
    } else {
        Ok(d)
    }
}

pub(crate) fn card_number(raw: &str) -> Result<String, FieldErrorCode> {
    let card = raw.trim().to_ascii_uppercase();
    if card.len() > 20 {
        Err(FieldErrorCode::TooLong)
    } else if !card.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Err(FieldErrorCode::InvalidCharacters)
    } else {
        Ok(card)
    }
}

impl CreateMemberRequest {
    /// Checks every field and the rules between them; `today` bounds the dates.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidMember, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let Identity { full_name, date_of_birth, gender, national_id } =
            Identity::check(&mut e, &self.full_name, &self.date_of_birth, &self.gender, &self.national_id, today);
        let phone = e.check("phone", optional(&self.phone, PhoneVn::parse));
        let email = e.check("email", optional(&self.email, Email::parse));
        if self.unit_id.is_none() {
            e.push("unit_id", FieldErrorCode::Required);
        }
        let joined_on = e.check("joined_on", past_date(&self.joined_on, today));
        if let (Some(born), Some(joined)) = (date_of_birth, joined_on) {
            e.check("joined_on", check_joining_age(born, joined));
        }
        let card = e.check("card_number", optional(&self.card_number, card_number));
        let party_status = e.check(
            "party_status",
            optional(&self.party_status, |s| PartyStatus::parse(s).ok_or(FieldErrorCode::UnknownValue))
                .map(Option::unwrap_or_default),
        );
        let party_joined_on = e.check("party_joined_on", optional(&self.party_joined_on, |s| past_date(s, today)));
        if party_status.is_some_and(|p| p != PartyStatus::None) && party_joined_on == Some(None) {
            e.push("party_joined_on", FieldErrorCode::Required);
        }
        if let (Some(born), Some(Some(joined))) = (date_of_birth, party_joined_on) {
            e.check("party_joined_on", values::check_party_joining(born, joined));
        }
        let login = e.check("login", optional(&self.login, crate::values::Login::parse));
        let dues_class = e.check(
            "dues_class",
            optional(&self.dues_class, |s| crate::api::dues::DuesClass::parse(s).ok_or(FieldErrorCode::UnknownValue))
                .map(Option::unwrap_or_default),
        );
        let profile = self.profile.validated(&mut e);
        e.finish(|| ValidMember {
            full_name: full_name.unwrap(),
            date_of_birth: date_of_birth.unwrap(),
            gender: gender.unwrap(),
            national_id: national_id.unwrap(),
            phone: phone.unwrap(),
            email: email.unwrap(),
            unit_id: self.unit_id.unwrap(),
            joined_on: joined_on.unwrap(),
            card_number: card.unwrap(),
            party_status: party_status.unwrap(),
            party_joined_on: party_joined_on.unwrap(),
            login: login.unwrap(),
            dues_class: dues_class.unwrap(),
            profile,
        })
    }
}

/// `PATCH /members/{id}` (with `If-Match`): the fields to change; absent fields stay. An empty
/// string clears an optional field. A member may change only their own `phone`, `email` and
/// `current_address`; the branch changes by transfer, the status by a transition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct UpdateMemberRequest {
    pub full_name: Option<String>,
    pub date_of_birth: Option<String>,
    pub gender: Option<String>,
    pub national_id: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub joined_on: Option<String>,
    pub card_number: Option<String>,
    pub party_status: Option<String>,
    pub party_joined_on: Option<String>,
    /// `unsalaried` or `salaried`.
    pub dues_class: Option<String>,
    #[serde(flatten)]
    pub profile: MemberProfile,
}

impl UpdateMemberRequest {
    /// Whether only the contact details a member keeps up to date themself are touched.
    pub fn is_contact_only(&self) -> bool {
        let p = &self.profile;
        self.full_name.is_none()
            && self.date_of_birth.is_none()
            && self.gender.is_none()
            && self.national_id.is_none()
            && self.joined_on.is_none()
            && self.card_number.is_none()
            && self.party_status.is_none()
            && self.party_joined_on.is_none()
            && self.dues_class.is_none()
            && p.ethnicity.is_none()
            && p.religion.is_none()
            && p.hometown.is_none()
            && p.permanent_address.is_none()
            && p.education.is_none()
            && p.qualification.is_none()
            && p.political_theory.is_none()
            && p.occupation.is_none()
    }

    /// The whole record after the change, to validate with the same rules as a new one.
    pub fn merged(&self, current: &MemberView) -> CreateMemberRequest {
        let pick = |new: &Option<String>, old: Option<String>| new.clone().or(old);
        let date = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let (p, c) = (&self.profile, &current.profile);
        CreateMemberRequest {
            full_name: self.full_name.clone().unwrap_or_else(|| current.full_name.clone()),
            date_of_birth: self.date_of_birth.clone().unwrap_or_else(|| date(current.date_of_birth)),
            gender: self.gender.clone().unwrap_or_else(|| current.gender.as_str().to_owned()),
            national_id: pick(&self.national_id, current.national_id.clone()),
            phone: pick(&self.phone, current.phone.clone()),
            email: pick(&self.email, current.email.clone()),
            unit_id: Some(current.unit_id),
            joined_on: self.joined_on.clone().unwrap_or_else(|| date(current.joined_on)),
            card_number: pick(&self.card_number, current.card_number.clone()),
            party_status: pick(&self.party_status, Some(current.party_status.as_str().to_owned())),
            party_joined_on: pick(&self.party_joined_on, current.party_joined_on.map(date)),
            login: None,
            dues_class: pick(&self.dues_class, Some(current.dues_class.as_str().to_owned())),
            profile: MemberProfile {
                ethnicity: pick(&p.ethnicity, c.ethnicity.clone()),
                religion: pick(&p.religion, c.religion.clone()),
                hometown: pick(&p.hometown, c.hometown.clone()),
                permanent_address: pick(&p.permanent_address, c.permanent_address.clone()),
                current_address: pick(&p.current_address, c.current_address.clone()),
                education: pick(&p.education, c.education.clone()),
                qualification: pick(&p.qualification, c.qualification.clone()),
                political_theory: pick(&p.political_theory, c.political_theory.clone()),
                occupation: pick(&p.occupation, c.occupation.clone()),
            },
        }
    }
}

/// Query of `GET /members`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct MemberListQuery {
    /// Members of this unit's whole subtree (required).
    pub unit_id: Option<OrgUnitId>,
    /// A name (with or without diacritics, any part), or an exact CCCD, phone or card number.
    pub q: Option<String>,
    /// Comma-separated statuses (default: `active,extended`); `all` for every status.
    pub status: Option<String>,
    /// `male` or `female`.
    pub gender: Option<String>,
    /// `none`, `probationary` or `full`.
    pub party_status: Option<String>,
    /// Only records missing a CCCD (or with a legacy CMND) or a phone.
    pub incomplete: Option<bool>,
    /// Only members who reach this age during the current year (e.g. `30`: those turning 30).
    pub turning: Option<u32>,
    /// Age today at least…
    pub age_min: Option<u32>,
    /// …and at most.
    pub age_max: Option<u32>,
    /// Page number, 1–1,000,000 (default 1).
    #[cfg_attr(feature = "openapi", param(schema_with = crate::api::page::page_schema))]
    #[serde(default, deserialize_with = "crate::api::page::lenient_number")]
    pub page: Option<i64>,
    /// Page size, 1–200 (default 50).
    #[cfg_attr(feature = "openapi", param(schema_with = crate::api::page::per_page_schema))]
    #[serde(default, deserialize_with = "crate::api::page::lenient_number")]
    pub per_page: Option<i64>,
}

/// A member in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberSummary {
    /// Id.
    pub id: crate::ids::MemberId,
    /// Full name.
    pub full_name: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Sex.
    pub gender: Gender,
    /// The official branch.
    pub unit_id: OrgUnitId,
    /// Its name.
    pub unit_name: String,
    /// Phone.
    pub phone: Option<String>,
    /// Card number.
    pub card_number: Option<String>,
    /// Status.
    pub status: MemberStatus,
    /// Missing data to complete.
    pub incomplete: bool,
}

/// A member record as returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberView {
    /// Id.
    pub id: crate::ids::MemberId,
    /// The member's own account, if linked.
    pub user_id: Option<UserId>,
    /// A cadre named an account for this record (`login`); it is linked only when its holder
    /// confirms (`POST /members/{id}/link/confirm`).
    #[serde(default)]
    pub link_pending: bool,
    /// The official branch.
    pub unit_id: OrgUnitId,
    /// Its name.
    pub unit_name: String,
    /// Full name.
    pub full_name: String,
    /// Date of birth.
    pub date_of_birth: NaiveDate,
    /// Sex.
    pub gender: Gender,
    /// CCCD or CMND.
    pub national_id: Option<String>,
    /// Mobile number (national form).
    pub phone: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Ngày vào Đoàn.
    pub joined_on: NaiveDate,
    /// Số thẻ đoàn viên.
    pub card_number: Option<String>,
    /// Party membership.
    pub party_status: PartyStatus,
    /// Party admission date.
    pub party_joined_on: Option<NaiveDate>,
    /// Which monthly dues apply.
    #[serde(default)]
    pub dues_class: crate::api::dues::DuesClass,
    /// Status.
    pub status: MemberStatus,
    /// Missing or legacy identity number, or no phone.
    pub incomplete: bool,
    /// Send back in `If-Match`.
    pub version: i64,
    /// Background.
    #[serde(flatten)]
    pub profile: MemberProfile,
}

/// `POST /members/{id}/merge` (with `If-Match` of the kept record).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct MergeMembersRequest {
    /// The other record of the same person: its history moves to this one, then it is deleted.
    pub duplicate_id: Option<MemberId>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    fn valid() -> CreateMemberRequest {
        CreateMemberRequest {
            full_name: "Nguyễn Văn Đức".into(),
            date_of_birth: "2006-05-19".into(),
            gender: "male".into(),
            national_id: Some("056206012345".into()),
            phone: Some("0912 345 678".into()),
            unit_id: Some(OrgUnitId(4)),
            joined_on: "2022-03-26".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_record_validates_and_normalises() {
        let m = valid().validate(today()).unwrap();
        assert_eq!(m.phone.unwrap().as_str(), "0912345678");
        assert_eq!(m.party_status, PartyStatus::None);
        assert!(!valid().validate(today()).unwrap().is_incomplete());
    }

    #[test]
    fn the_cccd_must_agree_with_sex_and_birth_year() {
        for (id, field_ok) in [("056206012345", true), ("056306012345", false), ("056205012345", false)] {
            let r = CreateMemberRequest { national_id: Some(id.into()), ..valid() }.validate(today());
            assert_eq!(r.is_ok(), field_ok, "{id}");
        }
        let errs =
            CreateMemberRequest { national_id: Some("0562060123".into()), ..valid() }.validate(today()).unwrap_err();
        assert_eq!((errs[0].field.as_str(), errs[0].code), ("national_id", FieldErrorCode::InvalidFormat));
        let legacy =
            CreateMemberRequest { national_id: Some("225123456".into()), ..valid() }.validate(today()).unwrap();
        assert!(legacy.is_incomplete(), "a CMND is flagged for update");
    }

    #[test]
    fn joining_age_is_fifteen_years_and_a_day_to_thirty() {
        let born = NaiveDate::from_ymd_opt(2006, 5, 19).unwrap();
        let on = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(check_joining_age(born, on("2021-05-19")), Err(FieldErrorCode::TooYoung), "exactly 15");
        assert_eq!(check_joining_age(born, on("2021-05-20")), Ok(()), "15 years and a day");
        assert_eq!(check_joining_age(born, on("2036-05-19")), Ok(()), "exactly 30");
        assert_eq!(check_joining_age(born, on("2036-05-20")), Err(FieldErrorCode::TooOld), "30 years and a day");
        let errs = CreateMemberRequest { joined_on: "2021-05-19".into(), ..valid() }.validate(today()).unwrap_err();
        assert_eq!((errs[0].field.as_str(), errs[0].code), ("joined_on", FieldErrorCode::TooYoung));
    }

    #[test]
    fn a_party_member_needs_the_admission_date() {
        let errs =
            CreateMemberRequest { party_status: Some("probationary".into()), ..valid() }.validate(today()).unwrap_err();
        assert_eq!(errs[0].field, "party_joined_on");
        let errs = CreateMemberRequest { party_status: Some("maybe".into()), ..valid() }.validate(today()).unwrap_err();
        assert_eq!(errs[0].code, FieldErrorCode::UnknownValue);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let errs = CreateMemberRequest::default().validate(today()).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["full_name", "date_of_birth", "gender", "unit_id", "joined_on"]);
    }
}
