//! A programme's registrations as a spreadsheet in the layout of `shared::api::programme_files
//! ::sheet`: exported for a unit's subtree (one row per member: name, birth date, CCCD, card,
//! branch, each item's done/target, the result), and imported back to register members.

use super::import_rows::{self, Named, RowImport, Seen};
use super::imports::{self, ImportTask, Job, Outcome, StoredProblem, Upload, Work};
use super::programme_registrations as registrations;
use super::programmes as programmes_service;
use crate::auth::AuthUser;
use crate::db::{self, programmes::ItemRow, AnyConnection};
use crate::error::ApiError;
use crate::sheets;
use crate::state::ImportProgress;
use chrono::NaiveDate;
use shared::api::imports::{ImportJobView, ImportKind};
use shared::api::programme_files::sheet::{self, SheetItem, SheetMap};
use shared::api::programmes::{ProgrammeResult, ProgrammeView, RegistrationForm};
use shared::ids::{MemberId, OrgUnitId};
use shared::{ConflictCode, FieldErrorCode, Lang};
use std::collections::HashMap;

/// The most rows one export holds (as the member export).
pub const EXPORT_MAX: i64 = 100_000;

/// A programme's items in the order the programme shows them (by heading, then item).
pub(crate) fn ordered_items(conn: &mut AnyConnection, programme_id: i64) -> Result<Vec<ItemRow>, ApiError> {
    let headings = db::programmes::headings(conn, programme_id)?;
    let mut items = db::programmes::items(conn, programme_id)?;
    items.sort_by_key(|i| (headings.iter().position(|h| h.id == i.heading_id), i.position, i.id));
    Ok(items)
}

/// The sheet's items.
pub(crate) fn sheet_items(items: &[ItemRow]) -> Vec<SheetItem> {
    items.iter().map(|i| SheetItem { id: i.id, title: i.title.clone(), required: i.required }).collect()
}

/// The registrations of a unit's subtree as an `.xlsx` workbook (for those who read the unit's
/// records; another subtree is 404; more than 100,000 rows 409 `export_too_large`).
pub fn export(
    conn: &mut AnyConnection,
    user: &AuthUser,
    programme_id: i64,
    unit_id: Option<OrgUnitId>,
) -> Result<Vec<u8>, ApiError> {
    let programme = programmes_service::readable(conn, user, programme_id)?;
    let path = registrations::subtree_path(conn, user, &programme.unit_path, unit_id)?;
    let total = db::programme_sheets::count(conn, programme_id, &path)?;
    if total > EXPORT_MAX {
        return Err(ApiError::Conflict(ConflictCode::ExportTooLarge, Some(format!("{total} > {EXPORT_MAX}"))));
    }
    let items = ordered_items(conn, programme_id)?;
    let rows = db::programme_sheets::rows(conn, programme_id, &path)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.registration_id).collect();
    let done: HashMap<(i64, i64), i32> =
        db::programme_sheets::held(conn, &ids)?.into_iter().map(|(r, i, d)| ((r, i), d)).collect();
    let mut headers: Vec<&str> = sheet::LEADING.to_vec();
    headers.extend(items.iter().map(|i| i.title.as_str()));
    headers.push(sheet::RESULT);
    let lines = rows.into_iter().map(|r| {
        let mut line = vec![
            r.full_name,
            r.date_of_birth.format("%d/%m/%Y").to_string(),
            r.national_id.unwrap_or_default(),
            r.card_number.unwrap_or_default(),
            r.branch,
        ];
        line.extend(items.iter().map(|i| match done.get(&(r.registration_id, i.id)) {
            Some(d) => format!("{d}/{}", i.target),
            None => String::new(),
        }));
        let result = r.result.as_deref().and_then(ProgrammeResult::parse);
        line.push(result.map(|x| x.label(Lang::Vi).to_owned()).unwrap_or_default());
        line
    });
    sheets::write_xlsx(sheet::SHEET_NAME, &headers, lines)
}

/// Registrations for a programme from its sheet: each row names a member under the job's unit
/// (by CCCD, else card number) and marks the optional items chosen; the required ones are held
/// anyway. Each valid row is registered through `programme_registrations::register`, counters
/// and audit entry included.
struct RegistrationImport {
    programme: ProgrammeView,
    map: SheetMap,
}

/// Checks the programme (readable, its window open), the unit (inside the programme's) and the
/// file's header row, and records the job.
pub fn start_import(
    conn: &mut AnyConnection,
    user: &AuthUser,
    programme_id: i64,
    up: Upload,
    today: NaiveDate,
) -> Result<(ImportJobView, Work), ApiError> {
    let row = programmes_service::readable(conn, user, programme_id)?;
    if let Some(unit) = db::org_units::find(conn, up.unit_id.0)? {
        if !unit.path.starts_with(&row.unit_path) {
            return Err(ApiError::field("unit_id", FieldErrorCode::NotAllowed));
        }
    }
    let programme = programmes_service::shape(conn, row, today)?;
    registrations::check_window(&programme, today)?;
    let items = sheet_items(&ordered_items(conn, programme_id)?);
    imports::start_job(conn, user, up, today, ImportKind::ProgrammeRegistrations, move |_, header| {
        let map = SheetMap::read(header, &items).map_err(|p| ApiError::UnusableFile(p.describe(Lang::Vi)))?;
        Ok(Box::new(RegistrationImport { programme, map }))
    })
}

/// A row's problem on a column of the sheet.
fn problem(row: u32, field: &str, code: FieldErrorCode, column: Option<&str>) -> StoredProblem {
    StoredProblem { column: column.map(str::to_owned), ..StoredProblem::new(row, field, code) }
}

/// A checked row: its number, the field naming the member, and the registration to make.
struct ValidRow {
    number: u32,
    named_by: &'static str,
    form: RegistrationForm,
}

impl RegistrationImport {
    /// The member a row names: (the field naming them, the member), or the problem.
    fn member(&self, conn: &mut AnyConnection, job: &Job, cells: &[String]) -> Result<Named, ApiError> {
        let (national_id, card) = (self.map.cell(cells, sheet::NATIONAL_ID), self.map.cell(cells, sheet::CARD));
        import_rows::named_member(conn, &job.unit.path, national_id, card)
    }
}

impl RowImport for RegistrationImport {
    type Row = ValidRow;
    const AUDIT_ACTION: &'static str = AUDIT_ACTION;

    /// Checks one row; its problems, or the registration to make.
    fn check(
        &self,
        conn: &mut AnyConnection,
        job: &Job,
        number: u32,
        cells: &[String],
        seen: &mut Seen,
    ) -> Result<Result<ValidRow, Vec<StoredProblem>>, ApiError> {
        let mut problems = Vec::new();
        let mut chosen: Vec<(i64, &str)> = Vec::new();
        for (item, header, cell) in self.map.marks(cells) {
            match sheet::chosen(cell) {
                Ok(true) => chosen.push((item, header)),
                Ok(false) => {}
                Err(code) => problems.push(problem(number, "optional_item_ids", code, Some(header))),
            }
        }
        let (named_by, m) = match self.member(conn, job, cells)? {
            Ok(found) => found,
            Err((field, code)) => {
                problems.insert(0, problem(number, field, code, None));
                return Ok(Err(problems));
            }
        };
        if let Some(first) = seen.get(&m.id) {
            let same = StoredProblem {
                same_as_row: Some(*first),
                ..problem(number, named_by, FieldErrorCode::Duplicate, None)
            };
            problems.insert(0, same);
        } else {
            seen.insert(m.id, number);
            if db::programmes::registration_of(conn, self.programme.id, m.id)?.is_some() {
                problems.insert(0, problem(number, named_by, FieldErrorCode::AlreadyRegistered, None));
            }
        }
        let form = RegistrationForm {
            member_id: Some(MemberId(m.id)),
            optional_item_ids: chosen.iter().map(|(id, _)| *id).collect(),
            commitments: Vec::new(),
        };
        // The items are checked once the row is otherwise good (a mark not understood may
        // have meant a choice).
        let checked = if problems.is_empty() { form.validate(&self.programme).map(|_| ()) } else { Ok(()) };
        if let Err(errors) = checked {
            problems.extend(errors.into_iter().map(|e| {
                // `optional_item_ids[i]` is the i-th item marked: name its column.
                let column = e
                    .field
                    .strip_prefix("optional_item_ids[")
                    .and_then(|i| i.trim_end_matches(']').parse::<usize>().ok())
                    .and_then(|i| chosen.get(i).map(|(_, h)| *h));
                problem(number, "optional_item_ids", e.code, column)
            }));
        }
        Ok(match problems.is_empty() {
            true => Ok(ValidRow { number, named_by, form }),
            false => Err(problems),
        })
    }

    fn write(&self, conn: &mut AnyConnection, job: &Job, row: &ValidRow) -> Result<(), ApiError> {
        registrations::register(conn, &job.actor, self.programme.id, &row.form, job.today).map(drop)
    }

    /// The problems a refused registration becomes in the report; `None` for a failure that is
    /// not the row's (the job fails).
    fn refused(&self, row: &ValidRow, e: &ApiError) -> Option<Vec<StoredProblem>> {
        let on_member = |code| Some(vec![problem(row.number, row.named_by, code, None)]);
        match e {
            ApiError::Conflict(ConflictCode::AlreadyRegistered, _) => on_member(FieldErrorCode::AlreadyRegistered),
            ApiError::Conflict(ConflictCode::MemberNotLive, _) | ApiError::Forbidden | ApiError::NotFound(_) => {
                on_member(FieldErrorCode::NotAllowed)
            }
            ApiError::Validation(errors) => {
                Some(errors.iter().map(|x| problem(row.number, &x.field, x.code, None)).collect())
            }
            _ => None,
        }
    }
}

impl ImportTask for RegistrationImport {
    fn process(&self, conn: &mut AnyConnection, progress: &ImportProgress, job: &Job) -> Result<Outcome, ApiError> {
        import_rows::run(self, conn, progress, job)
    }
}

/// The job's audit action.
const AUDIT_ACTION: &str = "programme_registration.import";
