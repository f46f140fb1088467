//! Citizen identity numbers (CCCD, Circular 07/2016/TT-BCA): 12 digits — the province where the
//! birth was registered (3), sex and century (1), the year of birth's last two digits (2), a serial (6).
//! Older records carry a 9-digit CMND, accepted but flagged for update.

use crate::FieldErrorCode;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Birth-registration province codes (the 63 pre-2025 provinces; they do not change with the 2025 mergers).
pub const PROVINCE_CODES: &[(&str, &str)] = &[
    ("001", "Hà Nội"),
    ("002", "Hà Giang"),
    ("004", "Cao Bằng"),
    ("006", "Bắc Kạn"),
    ("008", "Tuyên Quang"),
    ("010", "Lào Cai"),
    ("011", "Điện Biên"),
    ("012", "Lai Châu"),
    ("014", "Sơn La"),
    ("015", "Yên Bái"),
    ("017", "Hòa Bình"),
    ("019", "Thái Nguyên"),
    ("020", "Lạng Sơn"),
    ("022", "Quảng Ninh"),
    ("024", "Bắc Giang"),
    ("025", "Phú Thọ"),
    ("026", "Vĩnh Phúc"),
    ("027", "Bắc Ninh"),
    ("030", "Hải Dương"),
    ("031", "Hải Phòng"),
    ("033", "Hưng Yên"),
    ("034", "Thái Bình"),
    ("035", "Hà Nam"),
    ("036", "Nam Định"),
    ("037", "Ninh Bình"),
    ("038", "Thanh Hóa"),
    ("040", "Nghệ An"),
    ("042", "Hà Tĩnh"),
    ("044", "Quảng Bình"),
    ("045", "Quảng Trị"),
    ("046", "Thừa Thiên Huế"),
    ("048", "Đà Nẵng"),
    ("049", "Quảng Nam"),
    ("051", "Quảng Ngãi"),
    ("052", "Bình Định"),
    ("054", "Phú Yên"),
    ("056", "Khánh Hòa"),
    ("058", "Ninh Thuận"),
    ("060", "Bình Thuận"),
    ("062", "Kon Tum"),
    ("064", "Gia Lai"),
    ("066", "Đắk Lắk"),
    ("067", "Đắk Nông"),
    ("068", "Lâm Đồng"),
    ("070", "Bình Phước"),
    ("072", "Tây Ninh"),
    ("074", "Bình Dương"),
    ("075", "Đồng Nai"),
    ("077", "Bà Rịa - Vũng Tàu"),
    ("079", "Hồ Chí Minh"),
    ("080", "Long An"),
    ("082", "Tiền Giang"),
    ("083", "Bến Tre"),
    ("084", "Trà Vinh"),
    ("086", "Vĩnh Long"),
    ("087", "Đồng Tháp"),
    ("089", "An Giang"),
    ("091", "Kiên Giang"),
    ("092", "Cần Thơ"),
    ("093", "Hậu Giang"),
    ("094", "Sóc Trăng"),
    ("095", "Bạc Liêu"),
    ("096", "Cà Mau"),
];

/// A person's sex as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Nam.
    Male,
    /// Nữ.
    Female,
}

impl Gender {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Gender> {
        match s.trim() {
            "male" => Some(Gender::Male),
            "female" => Some(Gender::Female),
            _ => None,
        }
    }

    /// The label shown to users.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Gender::Male => lang.pick("Nam", "Male"),
            Gender::Female => lang.pick("Nữ", "Female"),
        }
    }
}

/// A national identity number: a 12-digit CCCD or a legacy 9-digit CMND.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NationalId(String);

impl NationalId {
    /// Digits only (spaces and dots as people type them are dropped); 12 digits with a known
    /// province code, or 9 digits (legacy).
    pub fn parse(raw: &str) -> Result<Self, FieldErrorCode> {
        let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
        if digits.is_empty() {
            return Err(FieldErrorCode::Required);
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 9 | 12) {
            return Err(FieldErrorCode::InvalidFormat);
        }
        if digits.len() == 12 && province_of(&digits).is_none() {
            return Err(FieldErrorCode::InvalidFormat);
        }
        Ok(NationalId(digits))
    }

    /// The digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A legacy 9-digit CMND (to be replaced by a CCCD).
    pub fn is_legacy(&self) -> bool {
        self.0.len() == 9
    }

    /// The sex and birth year a CCCD encodes (none for a CMND).
    pub fn encoded(&self) -> Option<(Gender, i32)> {
        if self.is_legacy() {
            return None;
        }
        let b = self.0.as_bytes();
        let code = b[3] - b'0';
        let century = match code / 2 {
            0 => 1900,
            1 => 2000,
            2 => 2100,
            3 => 2200,
            _ => 2300,
        };
        let gender = if code.is_multiple_of(2) { Gender::Male } else { Gender::Female };
        let yy = i32::from(b[4] - b'0') * 10 + i32::from(b[5] - b'0');
        Some((gender, century + yy))
    }

    /// Checks a CCCD against the record's sex and date of birth.
    pub fn check_against(&self, gender: Gender, born: NaiveDate) -> Result<(), FieldErrorCode> {
        match self.encoded() {
            Some((g, year)) if g != gender || year != born.year() => Err(FieldErrorCode::Mismatch),
            _ => Ok(()),
        }
    }
}

/// The birth-registration province a CCCD names.
pub fn province_of(cccd: &str) -> Option<&'static str> {
    let code = cccd.get(..3)?;
    PROVINCE_CODES.iter().find(|(c, _)| *c == code).map(|(_, name)| *name)
}

impl TryFrom<String> for NationalId {
    type Error = FieldErrorCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        NationalId::parse(&s)
    }
}

impl From<NationalId> for String {
    fn from(v: NationalId) -> String {
        v.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_cccd_is_twelve_digits_with_a_known_province() {
        let id = NationalId::parse("056 206 012345").unwrap();
        assert_eq!(id.as_str(), "056206012345");
        assert_eq!(province_of(id.as_str()), Some("Khánh Hòa"));
        for bad in ["05620601234", "0562060123456", "05620601234a", "999206012345"] {
            assert_eq!(NationalId::parse(bad).unwrap_err(), FieldErrorCode::InvalidFormat, "{bad}");
        }
        assert_eq!(NationalId::parse(" ").unwrap_err(), FieldErrorCode::Required);
    }

    #[test]
    fn a_cccd_encodes_sex_century_and_birth_year() {
        let male_2006 = NationalId::parse("056206012345").unwrap();
        assert_eq!(male_2006.encoded(), Some((Gender::Male, 2006)));
        assert!(male_2006.check_against(Gender::Male, d(2006, 5, 19)).is_ok());
        assert_eq!(male_2006.check_against(Gender::Female, d(2006, 5, 19)), Err(FieldErrorCode::Mismatch));
        assert_eq!(male_2006.check_against(Gender::Male, d(2005, 5, 19)), Err(FieldErrorCode::Mismatch));
        let female_1998 = NationalId::parse("001198000001").unwrap();
        assert_eq!(female_1998.encoded(), Some((Gender::Female, 1998)));
        let female_2003 = NationalId::parse("079303000001").unwrap();
        assert_eq!(female_2003.encoded(), Some((Gender::Female, 2003)));
    }

    #[test]
    fn a_legacy_cmnd_is_accepted_and_flagged() {
        let cmnd = NationalId::parse("225123456").unwrap();
        assert!(cmnd.is_legacy());
        assert!(cmnd.check_against(Gender::Female, d(1999, 1, 1)).is_ok());
    }
}
