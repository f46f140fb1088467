//! Pieces every page uses: the app bar, labelled form fields, loading and error states.

pub mod batch;
pub mod checkin_qr;
pub mod confirm;
pub mod evidence;
pub mod field;
pub mod form_errors;
pub mod layout;
pub mod pager;
pub mod programme_sheet;
pub mod search_box;
pub mod sheet_import;
pub mod status;
pub mod unit_picker;
