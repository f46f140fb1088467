//! Pagination: `?page=1&per_page=50` in, `{"items","page","per_page","total"}` out.

use crate::error::{FieldErrorCode, FieldErrors};
use crate::{FieldError, Lang};
use serde::{Deserialize, Serialize};

/// The largest page a client may ask for.
pub const MAX_PER_PAGE: i64 = 200;
/// The page size when none is asked for.
pub const DEFAULT_PER_PAGE: i64 = 50;
/// The highest page number a client may ask for (so the offset always fits the databases' integers).
pub const MAX_PAGE: i64 = 1_000_000;

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
pub struct PageParams {
    /// The page number, 1–1,000,000 (default 1).
    pub page: Option<i64>,
    /// Items per page, 1–200 (default 50).
    pub per_page: Option<i64>,
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
}

impl PageParams {
    /// Applies the defaults and bounds.
    pub fn validate(&self) -> Result<Paging, Vec<FieldError>> {
        let mut errors = FieldErrors::new(Lang::default());
        let page = self.page.unwrap_or(1);
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        if !(1..=MAX_PAGE).contains(&page) {
            errors.push("page", FieldErrorCode::OutOfRange);
        }
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            errors.push("per_page", FieldErrorCode::OutOfRange);
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
}
