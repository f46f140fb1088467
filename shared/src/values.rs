//! Validated values. Each has a `parse` that normalises what people type and refuses what cannot be
//! right, returning the reason as a `FieldErrorCode`; a value that exists is valid.

use crate::FieldErrorCode;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use validator::ValidateEmail;

/// Unicode NFC with surrounding whitespace trimmed and inner runs of whitespace folded to one space.
pub fn normalize_text(raw: &str) -> String {
    let nfc: String = raw.nfc().collect();
    nfc.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A person's full name: NFC, 2–100 characters, letters (any script, with diacritics), spaces,
/// and the apostrophes and hyphens of some ethnic-minority names (H'Hen Niê); it starts with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FullName(String);

impl FullName {
    /// Normalises and checks a name.
    pub fn parse(raw: &str) -> Result<Self, FieldErrorCode> {
        let name = normalize_text(raw);
        let len = name.chars().count();
        if len == 0 {
            return Err(FieldErrorCode::Required);
        }
        if !name.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '\'' || c == '’' || c == '-')
            || !name.starts_with(char::is_alphabetic)
        {
            return Err(FieldErrorCode::InvalidCharacters);
        }
        if len < 2 {
            return Err(FieldErrorCode::TooShort);
        }
        if len > 100 {
            return Err(FieldErrorCode::TooLong);
        }
        Ok(FullName(name))
    }

    /// The name as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Vietnamese mobile number, stored in national form `0XXXXXXXXX`.
/// Accepts `+84`/`84` prefixes, spaces, dots and dashes as people write them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneVn(String);

impl PhoneVn {
    /// Normalises and checks a mobile number.
    pub fn parse(raw: &str) -> Result<Self, FieldErrorCode> {
        let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
        if compact.is_empty() {
            return Err(FieldErrorCode::Required);
        }
        let national = if let Some(rest) = compact.strip_prefix("+84") {
            format!("0{rest}")
        } else if compact.len() == 11 && compact.starts_with("84") {
            format!("0{}", &compact[2..])
        } else {
            compact
        };
        let b = national.as_bytes();
        let ok = b.len() == 10
            && b.iter().all(u8::is_ascii_digit)
            && b[0] == b'0'
            && matches!(b[1], b'3' | b'5' | b'7' | b'8' | b'9');
        if ok {
            Ok(PhoneVn(national))
        } else {
            Err(FieldErrorCode::InvalidFormat)
        }
    }

    /// National form, `0XXXXXXXXX`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// International form, `+84XXXXXXXXX`.
    pub fn international(&self) -> String {
        format!("+84{}", &self.0[1..])
    }
}

/// An email address, lowercased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Normalises and checks an email address.
    pub fn parse(raw: &str) -> Result<Self, FieldErrorCode> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err(FieldErrorCode::Required);
        }
        if email.chars().count() > 254 {
            return Err(FieldErrorCode::TooLong);
        }
        if email.validate_email() && domain_has_a_dot(&email) {
            Ok(Email(email))
        } else {
            Err(FieldErrorCode::InvalidFormat)
        }
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether the part after `@` is a dotted host name (`example.vn`): `a@b`, `a@b.` or `a@.vn`
/// are local names a mail system will not deliver to, though the email syntax allows them.
fn domain_has_a_dot(email: &str) -> bool {
    let Some((_, domain)) = email.rsplit_once('@') else { return false };
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && labels.last().is_some_and(|tld| tld.chars().count() >= 2 && tld.chars().all(char::is_alphanumeric))
}

/// What a person signs in with: a mobile number or an email address, in normalised form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Login(String);

impl Login {
    /// An email if it contains `@`, otherwise a Vietnamese mobile number.
    pub fn parse(raw: &str) -> Result<Self, FieldErrorCode> {
        if raw.trim().is_empty() {
            Err(FieldErrorCode::Required)
        } else if raw.contains('@') {
            Email::parse(raw).map(|e| Login(e.0))
        } else {
            PhoneVn::parse(raw).map(|p| Login(p.0))
        }
    }

    /// The normalised login.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 8–128 characters, at least 8 of them other than spaces (the upper bound keeps
/// hashing cheap for the server).
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Checks a new password's length; spaces alone do not count.
    pub fn parse(raw: &str) -> Result<Self, FieldErrorCode> {
        let len = raw.chars().count();
        let visible = raw.chars().filter(|c| !c.is_whitespace()).count();
        if visible == 0 {
            Err(FieldErrorCode::Required)
        } else if visible < 8 {
            Err(FieldErrorCode::TooShort)
        } else if len > 128 {
            Err(FieldErrorCode::TooLong)
        } else {
            Ok(Password(raw.to_owned()))
        }
    }

    /// The password itself.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The youngest age at which a person may open an account (a Young Pioneer preparing to apply).
pub const MIN_ACCOUNT_AGE: u32 = 14;
/// The oldest a person on record may be: a birth date further back is a typing error.
pub const MAX_AGE: u32 = 100;

/// Parses a `YYYY-MM-DD` date.
pub fn parse_date(raw: &str) -> Result<NaiveDate, FieldErrorCode> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldErrorCode::Required);
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| FieldErrorCode::InvalidFormat)
}

/// Full years between `born` and `on` (the age on that day).
pub fn age_on(born: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// A date of birth of anyone on record: a real date, not in the future, and at most `MAX_AGE`
/// years before `today` (`TooOld`).
pub fn parse_any_birth_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldErrorCode> {
    let date = parse_date(raw)?;
    if date > today {
        Err(FieldErrorCode::InFuture)
    } else if today.checked_sub_months(chrono::Months::new(MAX_AGE * 12)).is_some_and(|oldest| date < oldest) {
        Err(FieldErrorCode::TooOld)
    } else {
        Ok(date)
    }
}

/// A date of birth for a new account: as `parse_any_birth_date`, and at least `MIN_ACCOUNT_AGE` on `today`.
pub fn parse_birth_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, FieldErrorCode> {
    let date = parse_any_birth_date(raw, today)?;
    if age_on(date, today) < MIN_ACCOUNT_AGE {
        Err(FieldErrorCode::TooYoung)
    } else {
        Ok(date)
    }
}

/// The day the Communist Party of Vietnam was founded: no one joined it before.
pub fn party_founded() -> NaiveDate {
    NaiveDate::from_ymd_opt(1930, 2, 3).expect("a real date")
}

/// The youngest age at which one is admitted to the Party (its statute: eighteen).
pub const MIN_PARTY_AGE: u32 = 18;

/// A date of Party admission for a person born on `born`: not before the Party was founded
/// (`OutOfRange`) nor before the person turned `MIN_PARTY_AGE` (`TooYoung`).
pub fn check_party_joining(born: NaiveDate, joined: NaiveDate) -> Result<(), FieldErrorCode> {
    if joined < party_founded() {
        Err(FieldErrorCode::OutOfRange)
    } else if age_on(born, joined) < MIN_PARTY_AGE {
        Err(FieldErrorCode::TooYoung)
    } else {
        Ok(())
    }
}

/// The first characters a spreadsheet program reads as the start of a formula (`=`, `+`, `-`,
/// `@`, and their full-width forms); no name starts with one.
pub fn starts_like_a_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠'])
}

/// The name of an org unit: NFC, 2–200 characters, printable, not starting like a formula
/// (`=HYPERLINK(…)` is no unit's name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitName(String);

impl UnitName {
    /// Normalises and checks a unit name.
    pub fn parse(raw: &str) -> Result<Self, FieldErrorCode> {
        let name = normalize_text(raw);
        let len = name.chars().count();
        if len == 0 {
            Err(FieldErrorCode::Required)
        } else if name.chars().any(|c| c.is_control() || matches!(c, '<' | '>')) || starts_like_a_formula(&name) {
            Err(FieldErrorCode::InvalidCharacters)
        } else if len < 2 {
            Err(FieldErrorCode::TooShort)
        } else if len > 200 {
            Err(FieldErrorCode::TooLong)
        } else {
            Ok(UnitName(name))
        }
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An org unit's code: 1–32 of `A–Z a–z 0–9 . _ -`, upper-cased.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnitCode(String);

impl UnitCode {
    /// Normalises and checks a unit code.
    pub fn parse(raw: &str) -> Result<Self, FieldErrorCode> {
        let code = raw.trim().to_ascii_uppercase();
        if code.is_empty() {
            Err(FieldErrorCode::Required)
        } else if code.len() > 32 {
            Err(FieldErrorCode::TooLong)
        } else if !code.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')) {
            Err(FieldErrorCode::InvalidCharacters)
        } else {
            Ok(UnitCode(code))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Short free text such as a position title ("Bí thư"): NFC, up to `max` characters; empty means none.
pub fn parse_optional_text(raw: Option<&str>, max: usize) -> Result<Option<String>, FieldErrorCode> {
    let text = normalize_text(raw.unwrap_or(""));
    if text.is_empty() {
        Ok(None)
    } else if text.chars().count() > max {
        Err(FieldErrorCode::TooLong)
    } else if text.chars().any(char::is_control) {
        Err(FieldErrorCode::InvalidCharacters)
    } else {
        Ok(Some(text))
    }
}

/// Optional text of several lines (minutes, an agenda): each line normalised as
/// `normalize_text`, runs of blank lines folded to one, at most `max` characters; other control
/// characters refused.
pub fn parse_long_text(raw: Option<&str>, max: usize) -> Result<Option<String>, FieldErrorCode> {
    let raw = raw.unwrap_or("");
    if raw.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(FieldErrorCode::InvalidCharacters);
    }
    let mut lines: Vec<String> = Vec::new();
    for line in raw.lines().map(normalize_text) {
        if !(line.is_empty() && lines.last().is_none_or(String::is_empty)) {
            lines.push(line);
        }
    }
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    let text = lines.join("\n");
    match text.chars().count() {
        0 => Ok(None),
        n if n > max => Err(FieldErrorCode::TooLong),
        _ => Ok(Some(text)),
    }
}

macro_rules! string_newtype_conversions {
    ($($t:ident),*) => {$(
        impl TryFrom<String> for $t {
            type Error = FieldErrorCode;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                $t::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    )*};
}
string_newtype_conversions!(FullName, PhoneVn, Email, Login, UnitName, UnitCode);

impl std::fmt::Display for FieldErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message(crate::Lang::En))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decomposed_name_is_stored_composed() {
        let nfd = "Nguye\u{302}\u{303}n Va\u{306}n \u{110}u\u{31b}\u{301}c";
        let name = FullName::parse(nfd).unwrap();
        assert_eq!(name.as_str(), "Nguyễn Văn Đức");
    }

    #[test]
    fn names_keep_diacritics_and_refuse_markup() {
        assert_eq!(FullName::parse("  Trần   Thị  Ánh ").unwrap().as_str(), "Trần Thị Ánh");
        assert!(FullName::parse("H'Hen Niê").is_ok());
        assert_eq!(FullName::parse("<script>").unwrap_err(), FieldErrorCode::InvalidCharacters);
        assert_eq!(FullName::parse("A").unwrap_err(), FieldErrorCode::TooShort);
        assert_eq!(FullName::parse(&"a".repeat(300)).unwrap_err(), FieldErrorCode::TooLong);
        assert_eq!(FullName::parse("   ").unwrap_err(), FieldErrorCode::Required);
        assert_eq!(FullName::parse("-Lan").unwrap_err(), FieldErrorCode::InvalidCharacters);
        assert_eq!(FullName::parse("'Lan").unwrap_err(), FieldErrorCode::InvalidCharacters);
    }

    #[test]
    fn a_unit_name_does_not_start_like_a_formula() {
        assert!(UnitName::parse("Chi đoàn 12A3 - khối 12").is_ok());
        for bad in [r#"=HYPERLINK("http://evil.example","Chi đoàn")"#, "+Chi đoàn", " @Chi đoàn", "-1+2", "＝1"]
        {
            assert_eq!(UnitName::parse(bad).unwrap_err(), FieldErrorCode::InvalidCharacters, "{bad}");
        }
    }

    #[test]
    fn phones_are_normalised_to_national_form() {
        for raw in ["0912345678", "+84912345678", "84 912 345 678", "091.234.5678"] {
            assert_eq!(PhoneVn::parse(raw).unwrap().as_str(), "0912345678", "{raw}");
        }
        assert_eq!(PhoneVn::parse("0912345678").unwrap().international(), "+84912345678");
        for bad in ["0212345678", "091234567", "09123456789", "09123a5678", "1912345678"] {
            assert_eq!(PhoneVn::parse(bad).unwrap_err(), FieldErrorCode::InvalidFormat, "{bad}");
        }
    }

    #[test]
    fn a_login_is_an_email_or_a_phone() {
        assert_eq!(Login::parse("Lan@Example.VN").unwrap().as_str(), "lan@example.vn");
        assert_eq!(Login::parse("+84 987 654 321").unwrap().as_str(), "0987654321");
        assert_eq!(Login::parse("lan@").unwrap_err(), FieldErrorCode::InvalidFormat);
        assert_eq!(Login::parse("12345").unwrap_err(), FieldErrorCode::InvalidFormat);
    }

    #[test]
    fn birth_dates_are_real_past_and_old_enough() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert!(parse_birth_date("2008-05-01", today).is_ok());
        assert_eq!(parse_birth_date("2027-01-01", today).unwrap_err(), FieldErrorCode::InFuture);
        assert_eq!(parse_birth_date("2020-01-01", today).unwrap_err(), FieldErrorCode::TooYoung);
        assert_eq!(parse_birth_date("2008-02-30", today).unwrap_err(), FieldErrorCode::InvalidFormat);
        assert_eq!(parse_birth_date("", today).unwrap_err(), FieldErrorCode::Required);
        assert_eq!(parse_birth_date("1900-01-01", today).unwrap_err(), FieldErrorCode::TooOld);
        assert_eq!(parse_any_birth_date("1926-11-21", today).unwrap_err(), FieldErrorCode::TooOld);
        assert!(parse_any_birth_date("1926-11-22", today).is_ok(), "exactly a hundred");
    }

    #[test]
    fn party_admission_is_after_the_founding_and_at_eighteen() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(check_party_joining(d("1780-01-01"), d("1800-01-01")), Err(FieldErrorCode::OutOfRange));
        assert_eq!(check_party_joining(d("2000-05-19"), d("2018-05-18")), Err(FieldErrorCode::TooYoung));
        assert_eq!(check_party_joining(d("2000-05-19"), d("2018-05-19")), Ok(()));
    }

    #[test]
    fn an_email_needs_a_dotted_domain() {
        for bad in ["a@b", "a@b.", "a@.vn", "a@b.c", "a@-b.vn", "a@b..vn"] {
            assert_eq!(Email::parse(bad).unwrap_err(), FieldErrorCode::InvalidFormat, "{bad}");
        }
        for good in ["a@b.vn", "lan.nguyen@doanthanhnien.org.vn", "x@mail-1.example.com"] {
            assert!(Email::parse(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn age_counts_whole_years() {
        let born = NaiveDate::from_ymd_opt(2010, 11, 23).unwrap();
        assert_eq!(age_on(born, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()), 15);
        assert_eq!(age_on(born, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()), 16);
    }

    #[test]
    fn passwords_have_bounds_and_hide_in_debug() {
        assert_eq!(Password::parse("short").unwrap_err(), FieldErrorCode::TooShort);
        assert_eq!(Password::parse(&"x".repeat(129)).unwrap_err(), FieldErrorCode::TooLong);
        assert_eq!(format!("{:?}", Password::parse("long enough").unwrap()), "Password(***)");
        assert_eq!(Password::parse("          ").unwrap_err(), FieldErrorCode::Required);
        assert_eq!(Password::parse("a b c d e f g").unwrap_err(), FieldErrorCode::TooShort, "seven visible");
        assert!(Password::parse(" a b c d e f g h ").is_ok());
    }
}
