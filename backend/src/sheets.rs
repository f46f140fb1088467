//! Spreadsheets in and out: an uploaded `.xlsx` or `.csv` as rows of text (the kind told by the
//! file's first bytes, not its name), and rows written as `.xlsx` or `.csv` for download.

use crate::error::ApiError;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

/// A file's non-blank rows with their row numbers as a spreadsheet shows them (from 1); the
/// first is the header row.
pub type Rows = Vec<(u32, Vec<String>)>;

/// What an upload turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Xlsx,
    Csv,
}

/// Tells the kind of a file from its first bytes: a zip container is read as `.xlsx`, UTF-8
/// text as `.csv`; programs, other binaries and empty files are refused.
pub fn kind_of(bytes: &[u8]) -> Result<Kind, ApiError> {
    const UNSUPPORTED: &str = "only .xlsx or UTF-8 .csv files can be imported";
    match bytes {
        [] => Err(ApiError::UnusableFile("the file is empty".to_owned())),
        [b'P', b'K', 3, 4, ..] => Ok(Kind::Xlsx),
        [b'M', b'Z', ..] | [0x7f, b'E', b'L', b'F', ..] => {
            Err(ApiError::UnsupportedMediaType(format!("the file is a program, not a spreadsheet; {UNSUPPORTED}")))
        }
        [0xD0, 0xCF, 0x11, 0xE0, ..] => {
            Err(ApiError::UnsupportedMediaType(format!("old .xls files are not read; save as .xlsx. {UNSUPPORTED}")))
        }
        _ if std::str::from_utf8(bytes).is_ok_and(|t| !t.contains('\0')) => Ok(Kind::Csv),
        _ => Err(ApiError::UnsupportedMediaType(UNSUPPORTED.to_owned())),
    }
}

/// The rows of the first worksheet of an `.xlsx` file, or of a `.csv` file; blank rows dropped.
pub fn read(bytes: &[u8]) -> Result<Rows, ApiError> {
    let rows = match kind_of(bytes)? {
        Kind::Xlsx => read_xlsx(bytes)?,
        Kind::Csv => read_csv(bytes)?,
    };
    Ok(rows.into_iter().filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty())).collect())
}

fn read_xlsx(bytes: &[u8]) -> Result<Rows, ApiError> {
    let unreadable =
        |e: &dyn std::fmt::Display| ApiError::UnsupportedMediaType(format!("not a readable .xlsx file ({e})"));
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(&e))?;
    let range = match book.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| unreadable(&e))?,
        None => return Err(ApiError::UnusableFile("the workbook has no worksheet".to_owned())),
    };
    let first = range.start().map_or(0, |(row, _)| row);
    Ok(range.rows().enumerate().map(|(i, row)| (first + i as u32 + 1, row.iter().map(cell_text).collect())).collect())
}

/// A cell as the text a user typed: dates as `dd/mm/yyyy`, whole numbers without `.0`
/// (a phone or CCCD typed as a number loses its leading zero; validation reports it).
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            d.as_datetime().map_or_else(|| d.as_f64().to_string(), |dt| dt.format("%d/%m/%Y").to_string())
        }
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Rows, ApiError> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Spreadsheet programs set to Vietnamese often write `;` between fields.
    let first_line = text.split(|b| *b == b'\n').next().unwrap_or_default();
    let semis = first_line.iter().filter(|b| **b == b';').count();
    let commas = first_line.iter().filter(|b| **b == b',').count();
    let delimiter = if semis > commas { b';' } else { b',' };
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text)
        .records()
        .map(|r| {
            r.map(|rec| {
                let line = rec.position().map_or(0, |p| p.line() as u32);
                (line, rec.iter().map(str::to_owned).collect())
            })
            .map_err(|e| ApiError::UnsupportedMediaType(format!("not a readable .csv file ({e})")))
        })
        .collect()
}

/// A cell as written to a file people open in a spreadsheet program: text that the program
/// would read as a formula (a first character of `=`, `+`, `-`, `@`, a tab or a carriage
/// return, e.g. a unit named `=HYPERLINK(…)`) gets a leading `'` so it stays text (OWASP's
/// rule against CSV injection). Every cell `write_xlsx` and `write_csv` write goes through here.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn internal(e: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(anyhow::anyhow!("writing a spreadsheet: {e}"))
}

/// An `.xlsx` workbook of one sheet: bold, frozen headers, then the rows as text (`neutralise`d).
pub fn write_xlsx(
    sheet: &str,
    headers: &[&str],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Vec<u8>, ApiError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).map_err(internal)?;
    let bold = Format::new().set_bold();
    // Text cells keep leading zeros of phones and CCCDs.
    let text = Format::new().set_num_format("@");
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, neutralise(h), &bold).map_err(internal)?;
        ws.set_column_width(c as u16, (h.chars().count() as f64 + 6.0).max(14.0)).map_err(internal)?;
        ws.set_column_format(c as u16, &text).map_err(internal)?;
    }
    ws.set_freeze_panes(1, 0).map_err(internal)?;
    for (r, row) in rows.into_iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            if !value.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, neutralise(value)).map_err(internal)?;
            }
        }
    }
    book.save_to_buffer().map_err(internal)
}

/// A `.csv` file (UTF-8 with a byte-order mark, so spreadsheet programs read the diacritics),
/// every cell `neutralise`d.
pub fn write_csv(headers: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, ApiError> {
    let mut out = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let mut line = |cells: &mut dyn Iterator<Item = &str>| -> Result<(), ApiError> {
        for cell in cells {
            out.write_field(neutralise(cell).as_bytes()).map_err(internal)?;
        }
        out.write_record(None::<&[u8]>).map_err(internal)
    };
    line(&mut headers.iter().copied())?;
    for row in rows {
        line(&mut row.iter().map(String::as_str))?;
    }
    out.into_inner().map_err(internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_workbook_reads_back_with_its_vietnamese_text_and_leading_zeros() {
        let bytes = write_xlsx(
            "Đoàn viên",
            &["Họ và tên", "Số điện thoại"],
            [vec!["Nguyễn Văn Đức".into(), "0912345678".into()]],
        )
        .unwrap();
        assert_eq!(kind_of(&bytes).unwrap(), Kind::Xlsx);
        let rows = read(&bytes).unwrap();
        assert_eq!(
            rows,
            [
                (1, vec!["Họ và tên".to_owned(), "Số điện thoại".into()]),
                (2, vec!["Nguyễn Văn Đức".into(), "0912345678".into()])
            ]
        );
    }

    #[test]
    fn cells_a_spreadsheet_would_run_as_formulas_are_written_as_text() {
        let evil = r#"=HYPERLINK("http://evil.example","Chi đoàn")"#;
        for bad in [evil, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "＝1"] {
            assert_eq!(neutralise(bad), format!("'{bad}"), "{bad:?}");
        }
        for fine in ["Chi đoàn 12A3", "0912345678", "", "a=b"] {
            assert_eq!(neutralise(fine), fine);
        }
        let csv = String::from_utf8(write_csv(&["Tên"], [vec![evil.to_owned()]]).unwrap()).unwrap();
        assert!(csv.contains(r#""'=HYPERLINK(""http://evil.example"",""Chi đoàn"")""#), "{csv}");
        let rows = read(&write_xlsx("x", &["Tên"], [vec![evil.to_owned()]]).unwrap()).unwrap();
        assert_eq!(rows[1].1, [format!("'{evil}")]);
    }

    #[test]
    fn csv_with_a_bom_and_semicolons_is_read_and_programs_are_refused() {
        let rows = read("\u{feff}Họ và tên;Giới tính\n;\nLê Thị Hồng;Nữ\n".as_bytes()).unwrap();
        assert_eq!(
            rows,
            [(1, vec!["Họ và tên".to_owned(), "Giới tính".into()]), (3, vec!["Lê Thị Hồng".into(), "Nữ".into()])]
        );
        assert!(matches!(kind_of(b"MZ\x90\x00\x03"), Err(ApiError::UnsupportedMediaType(_))));
        assert!(matches!(kind_of(b""), Err(ApiError::UnusableFile(_))));
        assert!(matches!(read(b"PK\x03\x04garbage"), Err(ApiError::UnsupportedMediaType(_))));
    }
}
