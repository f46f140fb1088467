//! The contract both sides of Sổ Đoàn compile: ids, domain enums, validated values, API DTOs,
//! error codes and their messages. It builds for wasm32 and must never depend on diesel, actix or tokio.
//!
//! Request DTOs hold what the client typed (raw strings, `#[serde(default)]` so a missing field is a
//! field error, not a parse error) and offer `validate()`, which returns either the validated form or
//! every bad field at once. The server calls it as the authority; the SPA calls it before submitting.

/// An enum sent as snake_case text, with `ALL`, `as_str()`, `parse()` and a bilingual `label()`.
#[macro_use]
mod wire;
pub mod api;
pub mod cccd;
pub mod error;
pub mod i18n;
pub mod ids;
pub mod org;
pub mod roles;
pub mod text;
pub mod values;

pub use error::{ConflictCode, ErrorCode, FieldError, FieldErrorCode, Problem};
pub use i18n::Lang;
