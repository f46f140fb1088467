//! Pagination: `?page=1&per_page=50` in, `{"items","page","per_page","total"}` out.

use crate::error::{FieldErrorCode, FieldErrors};
use crate::{FieldError, Lang};
use serde::{Deserialize, Deserializer, Serialize};

/// The largest page a client may ask for.
pub const MAX_PER_PAGE: i64 = 200;
/// The page size when none is asked for.
pub const DEFAULT_PER_PAGE: i64 = 50;
/// The highest page number a client may ask for (so the offset always fits the databases' integers).
pub const MAX_PAGE: i64 = 1_000_000;

/// What `lenient_number` keeps for a value that is not a whole number (`InvalidFormat`).
const NOT_A_NUMBER: i64 = i64::MIN;

/// Reads a page number or size as a query string sends it, so that a bad value is a field
/// error of `PageParams::validate` (422 naming `page` or `per_page`) rather than a query that
/// cannot be read at all (400): digits too many for an integer become `i64::MAX` (out of
/// range), anything else not a whole number `NOT_A_NUMBER`; an empty value is absent.
pub fn lenient_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    struct Lenient;
    impl serde::de::Visitor<'_> for Lenient {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a whole number")
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(i64::try_from(v).unwrap_or(i64::MAX)))
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(Some(NOT_A_NUMBER))
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            let v = v.trim();
            Ok(match v.parse::<i64>() {
                _ if v.is_empty() => None,
                Ok(n) => Some(n),
                Err(_) if v.bytes().all(|b| b.is_ascii_digit()) => Some(i64::MAX),
                Err(_) => Some(NOT_A_NUMBER),
            })
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(Some(NOT_A_NUMBER))
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(Lenient)
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The items on this page.
    pub items: Vec<T>,
    /// The page number, from 1.
    pub page: i64,
    /// The page size asked for.
    pub per_page: i64,
    /// How many items all pages hold together.
    pub total: i64,
}

/// Pagination query parameters, as sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct PageParams {
    /// The page number, 1–1,000,000 (default 1; empty is the default).
    #[cfg_attr(feature = "openapi", param(schema_with = page_schema))]
    #[serde(default, deserialize_with = "lenient_number")]
    pub page: Option<i64>,
    /// Items per page, 1–200 (default 50; empty is the default).
    #[cfg_attr(feature = "openapi", param(schema_with = per_page_schema))]
    #[serde(default, deserialize_with = "lenient_number")]
    pub per_page: Option<i64>,
}

/// A whole number from 1 to `max`, or an empty value (the default), as the server reads it.
#[cfg(feature = "openapi")]
fn number_or_empty(max: i64) -> utoipa::openapi::schema::Schema {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(max)))
        .item(ObjectBuilder::new().schema_type(Type::String).max_length(Some(0)))
        .build()
        .into()
}

#[cfg(feature = "openapi")]
pub fn page_schema() -> utoipa::openapi::schema::Schema {
    number_or_empty(MAX_PAGE)
}

#[cfg(feature = "openapi")]
pub fn per_page_schema() -> utoipa::openapi::schema::Schema {
    number_or_empty(MAX_PER_PAGE)
}

/// Checked pagination: a page number from 1 to `MAX_PAGE` and a size from 1 to `MAX_PER_PAGE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The page number, from 1.
    pub page: i64,
    /// The page size.
    pub per_page: i64,
}

impl Paging {
    /// How many rows to skip.
    pub fn offset(self) -> i64 {
        (self.page - 1) * self.per_page
    }

    /// Wraps one page of results.
    pub fn wrap<T>(self, items: Vec<T>, total: i64) -> Page<T> {
        Page { items, page: self.page, per_page: self.per_page, total }
    }

    /// This page of a list read whole (lists short by nature: a class's enrolments, a member's
    /// history, a unit's positions).
    pub fn page_of<T>(self, all: Vec<T>) -> Page<T> {
        let total = all.len() as i64;
        let items = all.into_iter().skip(self.offset() as usize).take(self.per_page as usize).collect();
        self.wrap(items, total)
    }
}

impl PageParams {
    /// Applies the defaults and bounds.
    pub fn validate(&self) -> Result<Paging, Vec<FieldError>> {
        let mut errors = FieldErrors::new(Lang::default());
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        let code = |n: i64| if n == NOT_A_NUMBER { FieldErrorCode::InvalidFormat } else { FieldErrorCode::OutOfRange };
        if !(1..=MAX_PAGE).contains(&page) {
            errors.push("page", code(page));
        }
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            errors.push("per_page", code(per_page));
        }
        errors.finish(|| Paging { page, per_page })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_defaults_and_bounds() {
        let p = PageParams::default().validate().unwrap();
        assert_eq!((p.page, p.per_page, p.offset()), (1, 50, 0));
        let p = PageParams { page: Some(3), per_page: Some(200) }.validate().unwrap();
        assert_eq!(p.offset(), 400);
        let errs = PageParams { page: Some(0), per_page: Some(201) }.validate().unwrap_err();
        assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["page", "per_page"]);
        let errs = PageParams { page: Some(i64::MAX), per_page: None }.validate().unwrap_err();
        assert_eq!(errs[0].field, "page");
        let last = PageParams { page: Some(MAX_PAGE), per_page: Some(MAX_PER_PAGE) }.validate().unwrap();
        assert!(last.offset() < i64::from(i32::MAX), "the furthest offset fits every engine's integer");
    }

    #[test]
    fn a_bad_page_number_in_a_query_is_a_field_error() {
        #[derive(Deserialize)]
        struct Q {
            #[serde(default, deserialize_with = "lenient_number")]
            page: Option<i64>,
        }
        let read = |raw: &str| serde_json::from_value::<Q>(serde_json::json!({ "page": raw })).unwrap().page;
        assert_eq!(read("7"), Some(7));
        assert_eq!(read(""), None);
        assert_eq!(read("99999999999999999999"), Some(i64::MAX));
        assert_eq!(read("x"), Some(NOT_A_NUMBER));
        let errs = PageParams { page: read("x"), per_page: None }.validate().unwrap_err();
        assert_eq!((errs[0].field.as_str(), errs[0].code), ("page", FieldErrorCode::InvalidFormat));
        assert_eq!(serde_json::from_str::<Q>("{}").unwrap().page, None);
    }
}
