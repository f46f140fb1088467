//! The loop every import of rows about members shares (a programme's registrations, earlier
//! years' ratings): each row checked and the member it names found under the job's unit, then
//! the valid rows written as the job's mode says — all in one transaction and only if no row
//! failed (`all_or_nothing`), or each in its own (`valid_only`) — with progress reported, a
//! refused row turned into the report's problems, and the job audited once.

use super::imports::{self, Job, Outcome, StoredProblem};
use crate::db::{self, members::MemberRow, AnyConnection};
use crate::error::ApiError;
use crate::state::ImportProgress;
use shared::api::imports::{ImportMode, ImportStatus};
use shared::FieldErrorCode;
use std::collections::HashMap;

/// Rows between progress reports.
const REPORT_EVERY: usize = 100;

/// The first row that named each member, to report a member named twice.
pub type Seen = HashMap<i64, u32>;

/// What one kind of row import checks and writes.
pub trait RowImport {
    /// A row checked and ready to write.
    type Row;
    /// The job's audit action (`programme_registration.import`, …).
    const AUDIT_ACTION: &'static str;

    /// Checks one row: the row to write, or its problems.
    fn check(
        &self,
        conn: &mut AnyConnection,
        job: &Job,
        number: u32,
        cells: &[String],
        seen: &mut Seen,
    ) -> Result<Result<Self::Row, Vec<StoredProblem>>, ApiError>;

    /// Writes one checked row (a refusal writes nothing).
    fn write(&self, conn: &mut AnyConnection, job: &Job, row: &Self::Row) -> Result<(), ApiError>;

    /// The problems a refused row becomes in the report; `None` for a failure that is not the
    /// row's (the job fails).
    fn refused(&self, row: &Self::Row, e: &ApiError) -> Option<Vec<StoredProblem>>;
}

/// The member a row names with the field that named them, or that field's problem.
pub type Named = Result<(&'static str, MemberRow), (&'static str, FieldErrorCode)>;

/// The member a row names by CCCD (else card number) among the live members under `path`:
/// the field that named them and the member, or that field's problem.
pub fn named_member(conn: &mut AnyConnection, path: &str, national_id: &str, card: &str) -> Result<Named, ApiError> {
    let national_id: String = national_id.split_whitespace().collect();
    let (field, found) = match (national_id.is_empty(), card.trim().is_empty()) {
        (false, _) => ("national_id", db::programme_sheets::named(conn, path, Some(&national_id), None)?),
        (true, false) => ("card_number", db::programme_sheets::named(conn, path, None, Some(card.trim()))?),
        (true, true) => return Ok(Err(("national_id", FieldErrorCode::Required))),
    };
    Ok(match <[MemberRow; 1]>::try_from(found) {
        Ok([m]) => Ok((field, m)),
        Err(v) if v.is_empty() => Err((field, FieldErrorCode::NotFound)),
        Err(_) => Err((field, FieldErrorCode::Ambiguous)),
    })
}

/// Checks every row of the job, writes the valid ones as its mode says, audits the job, and
/// tells how it ended.
pub fn run<I: RowImport>(
    import: &I,
    conn: &mut AnyConnection,
    progress: &ImportProgress,
    job: &Job,
) -> Result<Outcome, ApiError> {
    let (mut problems, mut valid, mut seen, mut bad_rows) = (Vec::new(), Vec::new(), Seen::new(), 0);
    for (i, (number, cells)) in job.rows.iter().enumerate() {
        match import.check(conn, job, *number, cells, &mut seen)? {
            Ok(row) => valid.push(row),
            Err(p) => {
                bad_rows += 1;
                problems.extend(p);
            }
        }
        if (i + 1) % REPORT_EVERY == 0 {
            progress.set(job.id, ImportStatus::Validating, i + 1, bad_rows);
        }
    }
    if job.mode == ImportMode::AllOrNothing && bad_rows > 0 {
        let message = format!("{bad_rows} rows have problems; nothing was imported");
        return Outcome::new(job, ImportStatus::Failed, bad_rows, 0, Some(message), &problems);
    }
    progress.set(job.id, ImportStatus::Importing, 0, bad_rows);
    let mut imported = 0;
    match job.mode {
        ImportMode::AllOrNothing => {
            let mut failed = None;
            let written = db::write(conn, |conn| {
                for row in &valid {
                    if let Err(e) = import.write(conn, job, row) {
                        failed = import.refused(row, &e);
                        return Err(e);
                    }
                    imported += 1;
                    if imported % REPORT_EVERY == 0 {
                        progress.set(job.id, ImportStatus::Importing, imported, bad_rows);
                    }
                }
                db::imports::set_imported(conn, job.id, imported as i64, bad_rows as i64)?;
                imports::audit_job(conn, job, I::AUDIT_ACTION, imported, bad_rows)
            });
            if let (Err(e), refused) = (written, failed) {
                let Some(refused) = refused else { return Err(e) };
                problems.extend(refused);
                problems.sort_by_key(|p| p.row);
                let message = "a row could not be written; nothing was imported".to_owned();
                return Outcome::new(job, ImportStatus::Failed, bad_rows + 1, 0, Some(message), &problems);
            }
        }
        ImportMode::ValidOnly => {
            for row in &valid {
                // Each row in its own transaction: a refused one writes nothing.
                match db::write(conn, |conn| import.write(conn, job, row)) {
                    Ok(()) => imported += 1,
                    Err(e) => {
                        problems.extend(import.refused(row, &e).ok_or(e)?);
                        bad_rows += 1;
                    }
                }
                if (imported + bad_rows) % REPORT_EVERY == 0 {
                    db::imports::set_imported(conn, job.id, imported as i64, bad_rows as i64)?;
                    progress.set(job.id, ImportStatus::Importing, imported, bad_rows);
                }
            }
            problems.sort_by_key(|p| p.row);
            db::write(conn, |conn| imports::audit_job(conn, job, I::AUDIT_ACTION, imported, bad_rows))?;
        }
    }
    Outcome::new(job, ImportStatus::Done, bad_rows, imported, None, &problems)
}
