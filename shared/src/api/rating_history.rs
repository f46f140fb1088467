//! Ratings of earlier years from a spreadsheet (the member books and Excel sheets kept before
//! Sổ Đoàn): one row per member and year, the member named by CCCD or card number, the level as
//! it was written — a code, an abbreviation (HTXSNV…) or a label of either set, old years' Xuất
//! sắc / Khá / Trung bình / Yếu kém included — kept as written beside the level read.

use crate::api::imports::{col, sheet_date, Column, HeaderMap};
use crate::api::ratings::RatingLevel;
use crate::error::FieldErrors;
use crate::values::{parse_date, parse_optional_text};
use crate::{FieldError, FieldErrorCode, Lang};
use chrono::NaiveDate;

/// The sheet's columns (`full_name` is for the reader; the member is found by `national_id`, else
/// `card_number`).
pub const COLUMNS: [Column; 7] = [
    col("Họ và tên", "full_name", false, "Lê Thị Hồng Nhung"),
    col("Số CCCD", "national_id", false, "056206012345"),
    col("Số thẻ đoàn viên", "card_number", false, "KH-2022-000123"),
    col("Năm", "year", true, "2022"),
    col("Xếp loại", "level", true, "Xuất sắc"),
    col("Số quyết định", "decision_no", false, "25/QĐ-ĐTN"),
    col("Ngày quyết định", "decided_on", false, "22/12/2022"),
];

/// The header of a field's column.
pub fn header_of(field: &str) -> &'static str {
    COLUMNS.iter().find(|c| c.field == field).map_or("", |c| c.header)
}

/// A row's rating, checked (the member aside).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRating {
    pub year: i32,
    pub level: RatingLevel,
    /// The level as written in the sheet.
    pub label: String,
    pub decision_no: Option<String>,
    pub decided_on: Option<NaiveDate>,
}

/// Reads a row's year (from 2000 to the year before `this_year`: this year's are rated through
/// the flow), level and decision.
pub fn read_row(map: &HeaderMap, cells: &[String], this_year: i32) -> Result<HistoryRating, Vec<FieldError>> {
    let mut e = FieldErrors::new(Lang::default());
    let year = e.check(
        "year",
        match map.cell(cells, "year").parse::<i32>() {
            _ if map.cell(cells, "year").is_empty() => Err(FieldErrorCode::Required),
            Ok(y) if (2000..this_year).contains(&y) => Ok(y),
            Ok(_) => Err(FieldErrorCode::OutOfRange),
            Err(_) => Err(FieldErrorCode::InvalidFormat),
        },
    );
    let label = map.cell(cells, "level");
    let level = e.check(
        "level",
        match label.is_empty() {
            true => Err(FieldErrorCode::Required),
            false => RatingLevel::read_label(label).ok_or(FieldErrorCode::UnknownValue),
        },
    );
    let decision_no = e.check("decision_no", parse_optional_text(Some(map.cell(cells, "decision_no")), 100)).flatten();
    let decided_on = match map.cell(cells, "decided_on") {
        "" => None,
        raw => e.check("decided_on", parse_date(&sheet_date(raw))),
    };
    e.finish(|| HistoryRating {
        year: year.unwrap(),
        level: level.unwrap(),
        label: label.to_owned(),
        decision_no,
        decided_on,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(year: &str, level: &str) -> (HeaderMap, Vec<String>) {
        let headers: Vec<String> =
            ["Họ và tên", "Số CCCD", "Năm", "Xếp loại", "Ngày quyết định"].map(String::from).into();
        let map = HeaderMap::read_with(&COLUMNS, &headers).unwrap();
        (map, ["Lê Thị Hồng Nhung", "056206012345", year, level, "22/12/2022"].map(String::from).into())
    }

    #[test]
    fn old_labels_are_read_and_kept_as_written() {
        let (map, cells) = row("2022", "xuat sac");
        let r = read_row(&map, &cells, 2026).unwrap();
        assert_eq!((r.year, r.level, r.label.as_str()), (2022, RatingLevel::Excellent, "xuat sac"));
        assert_eq!(r.decided_on, NaiveDate::from_ymd_opt(2022, 12, 22));
        let (map, cells) = row("2024", "HTTNV");
        assert_eq!(read_row(&map, &cells, 2026).unwrap().level, RatingLevel::Good);
    }

    #[test]
    fn this_year_and_unknown_labels_are_refused() {
        let (map, cells) = row("2026", "Giỏi");
        let fields: Vec<(String, FieldErrorCode)> =
            read_row(&map, &cells, 2026).unwrap_err().into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields,
            [("year".to_owned(), FieldErrorCode::OutOfRange), ("level".to_owned(), FieldErrorCode::UnknownValue)]
        );
    }

    #[test]
    fn a_header_row_needs_the_year_and_the_level() {
        let headers: Vec<String> = ["Họ và tên", "Số CCCD", "Ghi chú"].map(String::from).into();
        let problem = HeaderMap::read_with(&COLUMNS, &headers).unwrap_err();
        assert_eq!((problem.missing, problem.unknown), (vec!["Năm", "Xếp loại"], vec!["Ghi chú".to_owned()]));
    }
}
