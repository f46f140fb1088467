//! Importing member records from a spreadsheet: the template's columns, how a row of cells
//! becomes a member record (then checked by the same validation as the form), and the job a
//! running import is followed through.

use crate::api::members::{CreateMemberRequest, MemberProfile};
use crate::ids::OrgUnitId;
use crate::{text, FieldErrorCode, Lang};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// One column of the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The header as written in the template (Vietnamese).
    pub header: &'static str,
    /// The field of a member record it fills (as in API errors).
    pub field: &'static str,
    pub required: bool,
    /// An example value for the template's sample row.
    pub example: &'static str,
}

pub const fn col(header: &'static str, field: &'static str, required: bool, example: &'static str) -> Column {
    Column { header, field, required, example }
}

/// The template's columns, in order. `Chi đoàn` names the branch (its name or code) inside the
/// unit the import is for; it may stay empty when importing into one branch.
pub const COLUMNS: [Column; 16] = [
    col("Họ và tên", "full_name", true, "Nguyễn Văn Đức"),
    col("Ngày sinh", "date_of_birth", true, "19/05/2006"),
    col("Giới tính", "gender", true, "Nam"),
    col("Số CCCD", "national_id", false, "056206012345"),
    col("Số điện thoại", "phone", false, "0912345678"),
    col("Email", "email", false, "duc.nguyen@example.com"),
    col("Chi đoàn", "branch", false, "Chi đoàn Tổ dân phố 1"),
    col("Ngày vào Đoàn", "joined_on", true, "26/03/2022"),
    col("Số thẻ đoàn viên", "card_number", false, "KH-2022-000123"),
    col("Dân tộc", "ethnicity", false, "Kinh"),
    col("Tôn giáo", "religion", false, "Không"),
    col("Quê quán", "hometown", false, "Khánh Hòa"),
    col("Địa chỉ thường trú", "permanent_address", false, "Phường Nha Trang, Khánh Hòa"),
    col("Nơi ở hiện nay", "current_address", false, "Phường Nha Trang, Khánh Hòa"),
    col("Trình độ học vấn", "education", false, "12/12"),
    col("Nghề nghiệp", "occupation", false, "Học sinh"),
];

/// The most data rows one file may hold.
pub const MAX_ROWS: usize = 200_000;

/// The largest file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;

/// Where each column of a sheet's layout sits in a file, read off its header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMap {
    columns: &'static [Column],
    positions: Vec<Option<usize>>,
}

/// Why a header row is not the template's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderProblem {
    /// Required columns not found.
    pub missing: Vec<&'static str>,
    /// Columns the template does not have.
    pub unknown: Vec<String>,
}

impl HeaderProblem {
    /// A sentence for the user.
    pub fn describe(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        if !self.missing.is_empty() {
            parts.push(format!("{}: {}", lang.pick("Thiếu cột", "Missing columns"), self.missing.join(", ")));
        }
        if !self.unknown.is_empty() {
            parts.push(format!("{}: {}", lang.pick("Cột lạ", "Unknown columns"), self.unknown.join(", ")));
        }
        parts.join("; ")
    }
}

/// A header as compared: folded (no case or diacritics), single-spaced.
pub fn header_key(s: &str) -> String {
    text::fold(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

impl HeaderMap {
    /// Matches a header row against the member template (case, diacritics, spacing and order
    /// do not matter).
    pub fn read(headers: &[String]) -> Result<HeaderMap, HeaderProblem> {
        HeaderMap::read_with(&COLUMNS, headers)
    }

    /// Matches a header row against a layout's columns.
    pub fn read_with(columns: &'static [Column], headers: &[String]) -> Result<HeaderMap, HeaderProblem> {
        let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
        let positions: Vec<Option<usize>> =
            columns.iter().map(|c| keys.iter().position(|k| *k == header_key(c.header))).collect();
        let missing: Vec<&'static str> =
            columns.iter().zip(&positions).filter(|(c, p)| c.required && p.is_none()).map(|(c, _)| c.header).collect();
        let unknown: Vec<String> = headers
            .iter()
            .zip(&keys)
            .filter(|(_, k)| !k.is_empty() && !columns.iter().any(|c| header_key(c.header) == **k))
            .map(|(h, _)| h.trim().to_owned())
            .collect();
        if missing.is_empty() && unknown.is_empty() {
            Ok(HeaderMap { columns, positions })
        } else {
            Err(HeaderProblem { missing, unknown })
        }
    }

    /// The cell of `field` in a row, trimmed; empty when absent.
    pub fn cell<'a>(&self, row: &'a [String], field: &str) -> &'a str {
        self.columns
            .iter()
            .zip(&self.positions)
            .find(|(c, _)| c.field == field)
            .and_then(|(_, p)| p.and_then(|i| row.get(i)))
            .map_or("", |s| s.trim())
    }
}

/// The header shown in a row report for a field.
pub fn header_of(field: &str) -> &'static str {
    COLUMNS.iter().find(|c| c.field == field).map_or("", |c| c.header)
}

/// A spreadsheet date as `YYYY-MM-DD`: `dd/mm/yyyy`, `d-m-yyyy` or ISO; anything else is left
/// as written, for validation to report.
pub fn sheet_date(raw: &str) -> String {
    let raw = raw.trim();
    let parts: Vec<&str> = raw.split(['/', '-', '.']).collect();
    if let [d, m, y] = parts[..] {
        if y.len() == 4 {
            if let (Ok(d), Ok(m), Ok(y)) = (d.parse::<u32>(), m.parse::<u32>(), y.parse::<i32>()) {
                if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                    return date.to_string();
                }
            }
        }
    }
    raw.to_owned()
}

/// `Nam`/`Nữ` (or `male`/`female`, any case or diacritics) as the API's value.
pub fn sheet_gender(raw: &str) -> String {
    match header_key(raw).as_str() {
        "nam" | "male" | "m" => "male".to_owned(),
        "nu" | "female" | "f" => "female".to_owned(),
        _ => raw.trim().to_owned(),
    }
}

/// A data row as a member record for `branch` (resolved by the caller from the `branch` cell).
pub fn member_from_row(map: &HeaderMap, row: &[String], branch: Option<OrgUnitId>) -> CreateMemberRequest {
    let opt = |field: &str| Some(map.cell(row, field).to_owned()).filter(|s| !s.is_empty());
    CreateMemberRequest {
        full_name: map.cell(row, "full_name").to_owned(),
        date_of_birth: sheet_date(map.cell(row, "date_of_birth")),
        gender: sheet_gender(map.cell(row, "gender")),
        national_id: opt("national_id"),
        phone: opt("phone"),
        email: opt("email"),
        unit_id: branch,
        joined_on: sheet_date(map.cell(row, "joined_on")),
        card_number: opt("card_number"),
        party_status: None,
        party_joined_on: None,
        login: None,
        dues_class: None,
        profile: MemberProfile {
            ethnicity: opt("ethnicity"),
            religion: opt("religion"),
            hometown: opt("hometown"),
            permanent_address: opt("permanent_address"),
            current_address: opt("current_address"),
            education: opt("education"),
            occupation: opt("occupation"),
            ..Default::default()
        },
    }
}

/// `valid_only`: import the rows that pass and report the others; `all_or_nothing`: import
/// nothing unless every row passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    ValidOnly,
    AllOrNothing,
}

impl ImportMode {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportMode::ValidOnly => "valid_only",
            ImportMode::AllOrNothing => "all_or_nothing",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<ImportMode> {
        [ImportMode::ValidOnly, ImportMode::AllOrNothing].into_iter().find(|m| m.as_str() == s.trim())
    }
}

/// What a job imports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    /// Member records (`POST /imports`, the template's columns).
    #[default]
    Members,
    /// Registrations for a programme (`POST /programmes/{id}/registrations/import`, the
    /// programme's sheet).
    ProgrammeRegistrations,
    /// Ratings of earlier years (`POST /ratings/import`, `rating_history::COLUMNS`).
    RatingHistory,
}

impl ImportKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::Members => "members",
            ImportKind::ProgrammeRegistrations => "programme_registrations",
            ImportKind::RatingHistory => "rating_history",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<ImportKind> {
        [ImportKind::Members, ImportKind::ProgrammeRegistrations, ImportKind::RatingHistory]
            .into_iter()
            .find(|k| k.as_str() == s.trim())
    }
}

/// Where an import job stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ImportStatus {
    /// Checking the rows.
    Validating,
    /// Writing the valid rows.
    Importing,
    /// Finished: `imported_rows` were added.
    Done,
    /// Nothing was imported (all-or-nothing with bad rows, or the job was interrupted).
    Failed,
}

impl ImportStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportStatus::Validating => "validating",
            ImportStatus::Importing => "importing",
            ImportStatus::Done => "done",
            ImportStatus::Failed => "failed",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<ImportStatus> {
        [ImportStatus::Validating, ImportStatus::Importing, ImportStatus::Done, ImportStatus::Failed]
            .into_iter()
            .find(|m| m.as_str() == s.trim())
    }

    /// Whether the job is over.
    pub fn is_finished(self) -> bool {
        matches!(self, ImportStatus::Done | ImportStatus::Failed)
    }
}

/// One problem of one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportRowError {
    /// The row number as the spreadsheet shows it (the header is row 1).
    pub row: u32,
    /// The template column.
    pub column: String,
    /// The field (as in API errors).
    pub field: String,
    pub code: FieldErrorCode,
    /// What is wrong, in the request's language.
    pub message: String,
    /// For a value repeated within the file: the row that has it first.
    pub same_as_row: Option<u32>,
}

/// An import job as read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportJobView {
    pub id: i64,
    /// What the job imports.
    #[serde(default)]
    pub kind: ImportKind,
    /// The unit imported into.
    pub unit_id: OrgUnitId,
    pub file_name: String,
    pub mode: ImportMode,
    pub status: ImportStatus,
    /// Data rows in the file.
    pub total_rows: i64,
    /// Rows handled so far (checked, then written).
    pub processed_rows: i64,
    /// Rows with at least one problem.
    pub error_rows: i64,
    /// Rows added to the registry.
    pub imported_rows: i64,
    /// Why the job failed, when it did.
    pub message: Option<String>,
    /// The row report (the first 5,000 problems).
    pub errors: Vec<ImportRowError>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// How many problems a job keeps for its report.
pub const REPORT_MAX: usize = 5_000;

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_match_in_any_order_case_or_diacritics_and_wrong_ones_are_named() {
        let map = HeaderMap::read(&row(&["ngay sinh", "HỌ VÀ TÊN", "Giới  tính", "Ngày vào Đoàn"])).unwrap();
        let data = row(&["19/05/2006", "Nguyễn Văn Đức", "Nam", "26/03/2022"]);
        let m = member_from_row(&map, &data, Some(OrgUnitId(7)));
        assert_eq!(
            (m.full_name.as_str(), m.date_of_birth.as_str(), m.gender.as_str()),
            ("Nguyễn Văn Đức", "2006-05-19", "male")
        );
        assert_eq!(m.joined_on, "2022-03-26");
        let err = HeaderMap::read(&row(&["Tên", "Ngày sinh", "Giới tính", "Ngày vào Đoàn"])).unwrap_err();
        assert_eq!(err.missing, ["Họ và tên"]);
        assert_eq!(err.unknown, ["Tên"]);
    }

    #[test]
    fn spreadsheet_dates_and_sexes_become_api_values_and_the_rest_is_left_for_validation() {
        assert_eq!(sheet_date("1/2/2006"), "2006-02-01");
        assert_eq!(sheet_date("2006-02-01"), "2006-02-01");
        assert_eq!(sheet_date("31/02/2006"), "31/02/2006");
        assert_eq!(sheet_gender("Nữ"), "female");
        assert_eq!(sheet_gender("NU"), "female");
        assert_eq!(sheet_gender("khác"), "khác");
    }
}
