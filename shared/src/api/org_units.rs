//! The organisation tree: units, their children and ancestors.

use crate::error::{FieldErrorCode, FieldErrors};
use crate::ids::OrgUnitId;
use crate::org::{OrgKind, Sector};
use crate::values::{self, UnitCode, UnitName};
use crate::{FieldError, Lang};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// An org unit as returned by the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgUnitView {
    /// Id.
    pub id: OrgUnitId,
    /// The parent unit; none for the root.
    pub parent_id: Option<OrgUnitId>,
    /// Name, as written.
    pub name: String,
    /// Level in the Union.
    pub kind: OrgKind,
    /// Sector leaders report by.
    pub sector: Sector,
    /// Short code, unique across the system.
    pub code: Option<String>,
    /// Distance from the root (the root is 0).
    pub depth: i32,
    /// When the unit was founded, if known.
    pub founded_on: Option<NaiveDate>,
    /// When it was dissolved or merged away; a dissolved unit stays readable.
    pub dissolved_on: Option<NaiveDate>,
    /// The unit it was merged into, if it was.
    pub merged_into_id: Option<OrgUnitId>,
    /// Increases with every change; send it back in `If-Match`.
    pub version: i64,
    /// How many units sit directly under this one.
    pub child_count: i64,
    /// Live members (active or extended) in the whole subtree.
    pub member_count: i64,
    /// A border branch (vùng biên giới): meets every three months at least instead of monthly.
    pub border: bool,
    /// The parent's name, in search results (so two "Chi đoàn 10A1" of different schools can be
    /// told apart); absent elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_name: Option<String>,
}

/// A unit's place in the tree, for breadcrumbs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgUnitRef {
    /// Id.
    pub id: OrgUnitId,
    /// Name.
    pub name: String,
    /// Level.
    pub kind: OrgKind,
}

/// `GET /org-units/{id}`: the unit with its ancestors, root first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrgUnitDetail {
    /// The unit.
    #[serde(flatten)]
    pub unit: OrgUnitView,
    /// From the root down to the parent.
    pub ancestors: Vec<OrgUnitRef>,
}

/// Query of `GET /org-units`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct OrgUnitListQuery {
    /// Children of this unit; without it, the roots of the tree.
    pub parent_id: Option<OrgUnitId>,
    /// Search instead: live units whose name contains this (diacritics and case ignored) or
    /// whose code starts with it, shallowest first.
    pub q: Option<String>,
    /// With `q`: only in this unit's subtree.
    pub under: Option<OrgUnitId>,
    /// With `q`: only these kinds, comma-separated (`grassroots,branch`).
    pub kind: Option<String>,
    /// Page number, 1–1,000,000 (default 1).
    #[cfg_attr(feature = "openapi", param(schema_with = crate::api::page::page_schema))]
    #[serde(default, deserialize_with = "crate::api::page::lenient_number")]
    pub page: Option<i64>,
    /// Page size, 1–200 (default 50).
    #[cfg_attr(feature = "openapi", param(schema_with = crate::api::page::per_page_schema))]
    #[serde(default, deserialize_with = "crate::api::page::lenient_number")]
    pub per_page: Option<i64>,
}

/// `POST /org-units`: a new unit under an existing one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CreateOrgUnitRequest {
    /// The parent unit (required: the root is created by the system).
    pub parent_id: Option<OrgUnitId>,
    /// 2–200 characters.
    pub name: String,
    /// `central`, `province`, `bloc`, `district`, `grassroots`, `section` or `branch`; must fit under the parent.
    pub kind: String,
    /// `school`, `residential`, `enterprise`, `public_admin`, `armed_forces` or `other`; default: the parent's.
    pub sector: Option<String>,
    /// Optional code, 1–32 of `A–Z 0–9 . _ -`.
    pub code: Option<String>,
    /// Optional founding date, `YYYY-MM-DD`.
    pub founded_on: Option<String>,
}

/// A new unit that passed the checks that need no database.
#[derive(Debug, Clone)]
pub struct ValidNewOrgUnit {
    /// Parent.
    pub parent_id: OrgUnitId,
    /// Name.
    pub name: UnitName,
    /// Kind (not yet checked against the parent's).
    pub kind: OrgKind,
    /// Sector, if given.
    pub sector: Option<Sector>,
    /// Code, if given.
    pub code: Option<UnitCode>,
    /// Founding date, if given.
    pub founded_on: Option<NaiveDate>,
}

fn parse_kind(raw: &str) -> Result<OrgKind, FieldErrorCode> {
    if raw.trim().is_empty() {
        return Err(FieldErrorCode::Required);
    }
    OrgKind::parse(raw.trim()).ok_or(FieldErrorCode::UnknownValue)
}

fn parse_sector(raw: Option<&str>) -> Result<Option<Sector>, FieldErrorCode> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Sector::parse(s).map(Some).ok_or(FieldErrorCode::UnknownValue),
    }
}

fn parse_code(raw: Option<&str>) -> Result<Option<UnitCode>, FieldErrorCode> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => UnitCode::parse(s).map(Some),
    }
}

fn parse_founded(raw: Option<&str>, today: NaiveDate) -> Result<Option<NaiveDate>, FieldErrorCode> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => {
            let d = values::parse_date(s)?;
            if d > today {
                Err(FieldErrorCode::InFuture)
            } else {
                Ok(Some(d))
            }
        }
    }
}

impl CreateOrgUnitRequest {
    /// Checks every field that can be checked without the database.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidNewOrgUnit, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        if self.parent_id.is_none() {
            e.push("parent_id", FieldErrorCode::Required);
        }
        let name = e.check("name", UnitName::parse(&self.name));
        let kind = e.check("kind", parse_kind(&self.kind));
        let sector = e.check("sector", parse_sector(self.sector.as_deref()));
        let code = e.check("code", parse_code(self.code.as_deref()));
        let founded_on = e.check("founded_on", parse_founded(self.founded_on.as_deref(), today));
        e.finish(|| ValidNewOrgUnit {
            parent_id: self.parent_id.unwrap(),
            name: name.unwrap(),
            kind: kind.unwrap(),
            sector: sector.unwrap(),
            code: code.unwrap(),
            founded_on: founded_on.unwrap(),
        })
    }
}

/// `PATCH /org-units/{id}` (with `If-Match`): rename, recode or change the sector. Absent fields stay.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct UpdateOrgUnitRequest {
    /// New name.
    pub name: Option<String>,
    /// New sector.
    pub sector: Option<String>,
    /// New code; an empty string removes it.
    pub code: Option<String>,
    /// Whether it is a border branch (meets every three months at least).
    pub border: Option<bool>,
}

/// A checked unit update: `None` leaves a field unchanged; `code: Some(None)` removes the code.
#[derive(Debug, Clone, Default)]
pub struct ValidOrgUnitUpdate {
    /// New name.
    pub name: Option<UnitName>,
    /// New sector.
    pub sector: Option<Sector>,
    /// New code or removal.
    pub code: Option<Option<UnitCode>>,
    pub border: Option<bool>,
}

impl UpdateOrgUnitRequest {
    /// Checks the fields present.
    pub fn validate(&self) -> Result<ValidOrgUnitUpdate, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let name = match &self.name {
            Some(n) => e.check("name", UnitName::parse(n)),
            None => None,
        };
        let sector = match &self.sector {
            Some(s) => e.check("sector", parse_sector(Some(s)).and_then(|s| s.ok_or(FieldErrorCode::Required))),
            None => None,
        };
        let code = match &self.code {
            Some(c) => e.check("code", parse_code(Some(c))),
            None => None,
        };
        let code_given = self.code.is_some();
        e.finish(|| ValidOrgUnitUpdate {
            name,
            sector,
            code: if code_given { code } else { None },
            border: self.border,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn a_new_unit_needs_a_parent_a_name_and_a_known_kind() {
        let errs = CreateOrgUnitRequest { kind: "village".into(), ..Default::default() }.validate(today()).unwrap_err();
        let got: Vec<_> = errs.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("parent_id", FieldErrorCode::Required),
                ("name", FieldErrorCode::Required),
                ("kind", FieldErrorCode::UnknownValue)
            ]
        );
    }

    #[test]
    fn a_valid_unit_is_normalised() {
        let v = CreateOrgUnitRequest {
            parent_id: Some(OrgUnitId(1)),
            name: "  Chi đoàn   12A1 ".into(),
            kind: "branch".into(),
            code: Some(" kh-12a1 ".into()),
            ..Default::default()
        }
        .validate(today())
        .unwrap();
        assert_eq!(v.name.as_str(), "Chi đoàn 12A1");
        assert_eq!(v.code.unwrap().as_str(), "KH-12A1");
        assert_eq!(v.sector, None);
    }

    #[test]
    fn an_update_with_an_empty_code_removes_it() {
        let v = UpdateOrgUnitRequest { code: Some(String::new()), ..Default::default() }.validate().unwrap();
        assert!(matches!(v.code, Some(None)));
        let v = UpdateOrgUnitRequest::default().validate().unwrap();
        assert!(v.code.is_none() && v.name.is_none());
    }
}

/// `POST /org-units/{id}/dissolve` (with `If-Match`): dissolve a unit, or merge it into another
/// (its child units and live members move there; the unit stays readable with its dates).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct DissolveOrgUnitRequest {
    /// The date of the decision, `YYYY-MM-DD` (not in the future).
    pub on: String,
    /// Merge into this unit; without it the unit must be empty.
    pub merged_into_id: Option<OrgUnitId>,
    /// The decision (number, signer) or why; up to 500 characters.
    pub reason: Option<String>,
}

/// A checked dissolution.
#[derive(Debug, Clone)]
pub struct ValidDissolution {
    pub on: NaiveDate,
    pub merged_into_id: Option<OrgUnitId>,
    pub reason: Option<String>,
}

impl DissolveOrgUnitRequest {
    /// Checks the fields; `today` bounds the date.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidDissolution, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let on = e.check(
            "on",
            values::parse_date(&self.on).and_then(|d| if d > today { Err(FieldErrorCode::InFuture) } else { Ok(d) }),
        );
        let reason = e.check("reason", values::parse_optional_text(self.reason.as_deref(), 500)).flatten();
        e.finish(|| ValidDissolution { on: on.unwrap(), merged_into_id: self.merged_into_id, reason })
    }
}
