//! Positions in a unit's committee (Bí thư, Phó Bí thư, Ủy viên BTV/BCH) with their terms.
//! A position can grant its holder's account the cadre role on the unit for as long as it lasts.

use crate::error::{FieldErrorCode, FieldErrors};
use crate::ids::{MemberId, OrgUnitId};
use crate::{values, FieldError, Lang};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A committee position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PositionTitle {
    /// Bí thư.
    Secretary,
    /// Phó Bí thư.
    DeputySecretary,
    /// Ủy viên Ban Thường vụ.
    StandingCommittee,
    /// Ủy viên Ban Chấp hành.
    Committee,
}

impl PositionTitle {
    /// Every title, highest first.
    pub const ALL: [PositionTitle; 4] = [
        PositionTitle::Secretary,
        PositionTitle::DeputySecretary,
        PositionTitle::StandingCommittee,
        PositionTitle::Committee,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PositionTitle::Secretary => "secretary",
            PositionTitle::DeputySecretary => "deputy_secretary",
            PositionTitle::StandingCommittee => "standing_committee",
            PositionTitle::Committee => "committee",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<PositionTitle> {
        PositionTitle::ALL.into_iter().find(|t| t.as_str() == s.trim())
    }

    /// The label shown to users (and the title given with a granted role).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            PositionTitle::Secretary => lang.pick("Bí thư", "Secretary"),
            PositionTitle::DeputySecretary => lang.pick("Phó Bí thư", "Deputy secretary"),
            PositionTitle::StandingCommittee => lang.pick("Ủy viên Ban Thường vụ", "Standing committee member"),
            PositionTitle::Committee => lang.pick("Ủy viên Ban Chấp hành", "Committee member"),
        }
    }

    /// Whether a unit has at most one holder at a time.
    pub fn is_single(self) -> bool {
        self == PositionTitle::Secretary
    }
}

/// `POST /positions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct CreatePositionRequest {
    /// The holder: a live member of the unit's subtree.
    pub member_id: Option<MemberId>,
    /// The unit whose committee it is.
    pub unit_id: Option<OrgUnitId>,
    /// `secretary`, `deputy_secretary`, `standing_committee` or `committee`.
    pub title: String,
    /// Start of the term, `YYYY-MM-DD`.
    pub started_on: String,
    /// Also give the holder's account the cadre role on the unit (needs a linked account).
    pub grant_role: bool,
}

/// A checked position.
#[derive(Debug, Clone)]
pub struct ValidPosition {
    pub member_id: MemberId,
    pub unit_id: OrgUnitId,
    pub title: PositionTitle,
    pub started_on: NaiveDate,
    pub grant_role: bool,
}

impl CreatePositionRequest {
    /// Checks the fields.
    pub fn validate(&self, today: NaiveDate) -> Result<ValidPosition, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        if self.member_id.is_none() {
            e.push("member_id", FieldErrorCode::Required);
        }
        if self.unit_id.is_none() {
            e.push("unit_id", FieldErrorCode::Required);
        }
        let title = e.check(
            "title",
            match self.title.trim() {
                "" => Err(FieldErrorCode::Required),
                t => PositionTitle::parse(t).ok_or(FieldErrorCode::UnknownValue),
            },
        );
        let started_on = e.check(
            "started_on",
            values::parse_date(&self.started_on).and_then(|d| {
                if d > today {
                    Err(FieldErrorCode::InFuture)
                } else {
                    Ok(d)
                }
            }),
        );
        e.finish(|| ValidPosition {
            member_id: self.member_id.unwrap(),
            unit_id: self.unit_id.unwrap(),
            title: title.unwrap(),
            started_on: started_on.unwrap(),
            grant_role: self.grant_role,
        })
    }
}

/// `POST /positions/{id}/end`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EndPositionRequest {
    /// End of the term, `YYYY-MM-DD`.
    pub ended_on: String,
}

/// Query of `GET /positions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
pub struct PositionListQuery {
    /// The unit (required).
    pub unit_id: Option<OrgUnitId>,
    /// Only positions still held (default true); `false` for the whole history.
    pub current: Option<bool>,
}

/// A position as returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PositionView {
    /// Id.
    pub id: i64,
    /// The holder.
    pub member_id: MemberId,
    /// The holder's name.
    pub member_name: String,
    /// The unit.
    pub unit_id: OrgUnitId,
    /// The title.
    pub title: PositionTitle,
    /// Start of the term.
    pub started_on: NaiveDate,
    /// End of the term, if over.
    pub ended_on: Option<NaiveDate>,
    /// Whether the holder's account got the cadre role with it.
    pub grants_role: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_needs_a_holder_a_unit_a_known_title_and_a_past_start() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let errs =
            CreatePositionRequest { title: "chairman".into(), started_on: "2027-01-01".into(), ..Default::default() }
                .validate(today)
                .unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["member_id", "unit_id", "title", "started_on"]);
        assert!(PositionTitle::Secretary.is_single() && !PositionTitle::Committee.is_single());
    }
}
