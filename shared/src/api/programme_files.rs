//! Files of the Member Training programme: the evidence attached to a progress entry (a link,
//! or a photo or PDF told by its bytes), and the spreadsheet layout a branch's registrations are
//! exported in and imported from. Pure checks only, for the server and the SPA alike.

use crate::api::imports::{header_key, HeaderProblem};
use crate::error::{FieldErrorCode, FieldErrors};
use crate::{FieldError, Lang};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The largest evidence file, in bytes (5 MB).
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;
/// How many pieces of evidence one progress entry holds at most.
pub const MAX_EVIDENCE_PER_ENTRY: i64 = 5;
/// The longest link.
pub const MAX_LINK_CHARS: usize = 2_000;

/// What a piece of evidence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A web address (a post, an album, a certificate online).
    Link,
    /// A photo or a PDF kept by the server.
    File,
}

impl EvidenceKind {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Link => "link",
            EvidenceKind::File => "file",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<EvidenceKind> {
        [EvidenceKind::Link, EvidenceKind::File].into_iter().find(|k| k.as_str() == s.trim())
    }
}

/// The kinds of file kept as evidence, told from their first bytes (never from a name or a
/// declared type: a program renamed `.jpg` is none of these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EvidenceMedia {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl EvidenceMedia {
    /// Every kind accepted.
    pub const ALL: [EvidenceMedia; 4] =
        [EvidenceMedia::Jpeg, EvidenceMedia::Png, EvidenceMedia::Webp, EvidenceMedia::Pdf];

    /// The kind of a file from its magic bytes; `None` for anything else.
    pub fn sniff(bytes: &[u8]) -> Option<EvidenceMedia> {
        match bytes {
            [0xFF, 0xD8, 0xFF, ..] => Some(EvidenceMedia::Jpeg),
            [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, ..] => Some(EvidenceMedia::Png),
            [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P', ..] => Some(EvidenceMedia::Webp),
            [b'%', b'P', b'D', b'F', b'-', ..] => Some(EvidenceMedia::Pdf),
            _ => None,
        }
    }

    /// The media type the file is stored and served with.
    pub fn media_type(self) -> &'static str {
        match self {
            EvidenceMedia::Jpeg => "image/jpeg",
            EvidenceMedia::Png => "image/png",
            EvidenceMedia::Webp => "image/webp",
            EvidenceMedia::Pdf => "application/pdf",
        }
    }

    /// The kind of a stored media type.
    pub fn parse(media_type: &str) -> Option<EvidenceMedia> {
        EvidenceMedia::ALL.into_iter().find(|m| m.media_type() == media_type)
    }

    /// The file extension a download gets.
    pub fn extension(self) -> &'static str {
        match self {
            EvidenceMedia::Jpeg => "jpg",
            EvidenceMedia::Png => "png",
            EvidenceMedia::Webp => "webp",
            EvidenceMedia::Pdf => "pdf",
        }
    }
}

/// Checks a link: an `http` or `https` address with a host, no spaces or control characters,
/// no user name before the host (`https://bank.vn@evil.example` misleads), at most 2,000
/// characters. Answers the link trimmed.
pub fn parse_link(raw: &str) -> Result<String, FieldErrorCode> {
    let link = raw.trim();
    if link.is_empty() {
        return Err(FieldErrorCode::Required);
    }
    if link.chars().count() > MAX_LINK_CHARS {
        return Err(FieldErrorCode::TooLong);
    }
    if link.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldErrorCode::InvalidFormat);
    }
    let lower = link.to_ascii_lowercase();
    let rest = match (lower.strip_prefix("https://"), lower.strip_prefix("http://")) {
        (Some(_), _) => &link["https://".len()..],
        (_, Some(_)) => &link["http://".len()..],
        _ => return Err(FieldErrorCode::InvalidFormat),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let (host_ok, port) = match authority.strip_prefix('[') {
        Some(bracketed) => match bracketed.split_once(']') {
            Some((v6, after)) => (
                !v6.is_empty() && v6.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.'),
                match after {
                    "" => None,
                    a => Some(a.strip_prefix(':').unwrap_or("x")),
                },
            ),
            None => (false, None),
        },
        None => {
            let (host, port) = match authority.split_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            };
            let ok = !host.is_empty()
                && !host.starts_with(['.', '-'])
                && !host.contains("..")
                && host.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
            (ok, port)
        }
    };
    let port_ok = port.is_none_or(|p| (1..=5).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    if !host_ok || !port_ok {
        return Err(FieldErrorCode::InvalidFormat);
    }
    Ok(link.to_owned())
}

/// `POST /programme-registrations/{id}/progress/{progress_id}/evidence` with
/// `Content-Type: application/json`: a link as evidence (a file is sent as the body instead).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct EvidenceLinkForm {
    /// An `http` or `https` address.
    pub url: String,
}

impl EvidenceLinkForm {
    /// Checks the link (422 on `url`).
    pub fn validate(&self) -> Result<String, Vec<FieldError>> {
        let mut e = FieldErrors::new(Lang::default());
        let url = e.check("url", parse_link(&self.url));
        e.finish(|| url.unwrap_or_default())
    }
}

/// A file's name as kept and shown: its last path component, without control characters or
/// quotes, at most 200 characters; `None` when nothing is left.
pub fn clean_file_name(raw: &str) -> Option<String> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String =
        last.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect::<String>().trim().to_owned();
    (!name.is_empty() && name != "." && name != "..").then_some(name)
}

/// One piece of evidence on a progress entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceView {
    pub id: i64,
    pub progress_id: i64,
    pub kind: EvidenceKind,
    /// A link's address.
    pub url: Option<String>,
    /// A file's media type (`image/jpeg`, `image/png`, `image/webp`, `application/pdf`).
    pub media_type: Option<String>,
    /// A file's size in bytes.
    pub size: Option<i64>,
    /// A file's name as uploaded.
    pub file_name: Option<String>,
    /// A file's SHA-256, hex.
    pub sha256: Option<String>,
    pub at: DateTime<Utc>,
}

impl EvidenceView {
    /// The API path a file is read from (`None` for a link).
    pub fn file_path(&self) -> Option<String> {
        (self.kind == EvidenceKind::File).then(|| format!("/programme-evidence/{}", self.id))
    }
}

/// The sheet a branch's registrations are exported as and imported from: these columns, then
/// one per item of the programme (its title as the header; a held item's cell reads
/// `done/target`), then the result.
pub mod sheet {
    use super::*;

    /// The worksheet's name.
    pub const SHEET_NAME: &str = "Đăng ký rèn luyện";
    /// The member's name.
    pub const NAME: &str = "Họ và tên";
    /// The birth date (`dd/mm/yyyy`).
    pub const BIRTH: &str = "Ngày sinh";
    /// The CCCD: one way of naming the member on import.
    pub const NATIONAL_ID: &str = "Số CCCD";
    /// The card number: the other way.
    pub const CARD: &str = "Số thẻ đoàn viên";
    /// The branch.
    pub const BRANCH: &str = "Chi đoàn";
    /// The branch's evaluation (ignored on import).
    pub const RESULT: &str = "Kết quả";
    /// The columns before the items'.
    pub const LEADING: [&str; 5] = [NAME, BIRTH, NATIONAL_ID, CARD, BRANCH];

    /// Whether a cell under an optional item's column chooses it: blank is no; `x` (or `✓`,
    /// or the `done/target` an export writes) is yes; anything else is not understood.
    pub fn chosen(cell: &str) -> Result<bool, FieldErrorCode> {
        let cell = cell.trim();
        let fraction = cell.split_once('/').is_some_and(|(a, b)| {
            [a, b].iter().all(|p| !p.trim().is_empty() && p.trim().bytes().all(|c| c.is_ascii_digit()))
        });
        match cell {
            "" => Ok(false),
            "x" | "X" | "✓" | "✔" => Ok(true),
            _ if fraction => Ok(true),
            _ => Err(FieldErrorCode::InvalidFormat),
        }
    }

    /// An item as the sheet knows it.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SheetItem {
        pub id: i64,
        pub title: String,
        pub required: bool,
    }

    /// Where the columns of an imported sheet sit.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SheetMap {
        leading: Vec<(&'static str, usize)>,
        /// (optional item id, its title, column).
        optional: Vec<(i64, String, usize)>,
    }

    impl SheetMap {
        /// Matches a header row: the leading columns (a CCCD or a card column is needed to name
        /// the members), the items' titles (case, diacritics and spacing do not matter) and the
        /// result; any other column, or a title two items share, is a problem.
        pub fn read(headers: &[String], items: &[SheetItem]) -> Result<SheetMap, HeaderProblem> {
            let mut map = SheetMap { leading: Vec::new(), optional: Vec::new() };
            let mut unknown = Vec::new();
            for (i, h) in headers.iter().enumerate() {
                let key = header_key(h);
                if key.is_empty() {
                    continue;
                }
                if let Some(c) = LEADING.iter().find(|c| header_key(c) == key) {
                    map.leading.push((*c, i));
                    continue;
                }
                if header_key(RESULT) == key {
                    continue;
                }
                let matching: Vec<&SheetItem> = items.iter().filter(|it| header_key(&it.title) == key).collect();
                match matching[..] {
                    [one] if !one.required => map.optional.push((one.id, h.trim().to_owned(), i)),
                    [_] => {}
                    _ => unknown.push(h.trim().to_owned()),
                }
            }
            let names_member = map.leading.iter().any(|(c, _)| *c == NATIONAL_ID || *c == CARD);
            let missing = if names_member { vec![] } else { vec![NATIONAL_ID, CARD] };
            if missing.is_empty() && unknown.is_empty() {
                Ok(map)
            } else {
                Err(HeaderProblem { missing, unknown })
            }
        }

        /// A leading column's cell in a row, trimmed; empty when absent.
        pub fn cell<'a>(&self, row: &'a [String], column: &str) -> &'a str {
            self.leading.iter().find(|(c, _)| *c == column).and_then(|(_, i)| row.get(*i)).map_or("", |s| s.trim())
        }

        /// The optional items' columns: (item id, header, cell of this row).
        pub fn marks<'a>(&'a self, row: &'a [String]) -> impl Iterator<Item = (i64, &'a str, &'a str)> + 'a {
            self.optional.iter().map(|(id, h, i)| (*id, h.as_str(), row.get(*i).map_or("", |s| s.trim())))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sheet::*;
    use super::*;

    #[test]
    fn files_are_told_by_their_bytes() {
        assert_eq!(EvidenceMedia::sniff(b"\xFF\xD8\xFF\xE0\x00\x10JFIF"), Some(EvidenceMedia::Jpeg));
        assert_eq!(EvidenceMedia::sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(EvidenceMedia::Png));
        assert_eq!(EvidenceMedia::sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(EvidenceMedia::Webp));
        assert_eq!(EvidenceMedia::sniff(b"%PDF-1.7\n"), Some(EvidenceMedia::Pdf));
        for bad in [&b"MZ\x90\0\x03"[..], b"\x7fELF\x02", b"RIFF\0\0\0\0WAVEfmt ", b"<html>", b"", b"\xFF\xD8"] {
            assert_eq!(EvidenceMedia::sniff(bad), None, "{bad:?}");
        }
        assert_eq!(EvidenceMedia::parse("image/webp"), Some(EvidenceMedia::Webp));
    }

    #[test]
    fn a_link_is_an_http_address_with_a_host() {
        for good in [
            "https://facebook.com/doanphuong/posts/1",
            "http://10.0.0.1:8080/a?b=c#d",
            "HTTPS://Ví-dụ.vn",
            "https://[::1]:443/x",
        ] {
            assert!(parse_link(good).is_ok(), "{good}");
        }
        assert_eq!(parse_link("  https://a.vn/x  ").unwrap(), "https://a.vn/x");
        for (bad, code) in [
            ("", FieldErrorCode::Required),
            ("javascript:alert(1)", FieldErrorCode::InvalidFormat),
            ("ftp://a.vn", FieldErrorCode::InvalidFormat),
            ("https://", FieldErrorCode::InvalidFormat),
            ("https://bank.vn@evil.example/", FieldErrorCode::InvalidFormat),
            ("https://a.vn/has space", FieldErrorCode::InvalidFormat),
            ("https://a.vn:port/", FieldErrorCode::InvalidFormat),
            ("data:text/html,hi", FieldErrorCode::InvalidFormat),
        ] {
            assert_eq!(parse_link(bad), Err(code), "{bad}");
        }
        assert_eq!(parse_link(&format!("https://a.vn/{}", "x".repeat(2_000))), Err(FieldErrorCode::TooLong));
        assert_eq!(EvidenceLinkForm { url: "mailto:x@y.vn".into() }.validate().unwrap_err()[0].field, "url");
    }

    #[test]
    fn a_file_name_keeps_only_its_last_component() {
        assert_eq!(clean_file_name("C:\\Users\\a\\ảnh hiến máu.jpg").as_deref(), Some("ảnh hiến máu.jpg"));
        assert_eq!(clean_file_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(clean_file_name("a\"b\r\n.pdf").as_deref(), Some("ab.pdf"));
        assert_eq!(clean_file_name("dir/"), None);
        assert_eq!(clean_file_name(".."), None);
    }

    fn items() -> Vec<SheetItem> {
        let it = |id, title: &str, required| SheetItem { id, title: title.into(), required };
        vec![it(1, "Học tập lý luận chính trị", true), it(2, "Hiến máu", false), it(3, "Đọc sách", false)]
    }

    #[test]
    fn a_sheet_is_matched_by_its_headers_and_item_titles() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let map =
            SheetMap::read(&h(&["Họ và tên", "so cccd", "HIẾN MÁU", "Học tập lý luận chính trị", "Kết quả"]), &items())
                .unwrap();
        let row = h(&["Lê Thị Hồng", " 056206012345 ", "x", "3/6", "Hoàn thành"]);
        assert_eq!(map.cell(&row, NATIONAL_ID), "056206012345");
        assert_eq!(map.cell(&row, CARD), "");
        assert_eq!(map.marks(&row).collect::<Vec<_>>(), [(2, "HIẾN MÁU", "x")], "required items are held anyway");
        let problem = SheetMap::read(&h(&["Họ và tên", "Bơi lội"]), &items()).unwrap_err();
        assert_eq!((problem.missing, problem.unknown), (vec![NATIONAL_ID, CARD], vec!["Bơi lội".to_owned()]));
    }

    #[test]
    fn a_mark_is_x_or_an_exported_fraction() {
        assert_eq!(chosen(""), Ok(false));
        assert_eq!(chosen(" x "), Ok(true));
        assert_eq!(chosen("0/2"), Ok(true));
        assert_eq!(chosen("có"), Err(FieldErrorCode::InvalidFormat));
        assert_eq!(chosen("/2"), Err(FieldErrorCode::InvalidFormat));
    }
}
