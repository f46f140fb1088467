//! Ratings of earlier years from a sheet (`shared::api::rating_history`), through the import
//! machinery and its row report: each row names a live member under the job's unit (CCCD, else
//! card number) and a year before this one with its level as written; the rating is recorded
//! confirmed, with no period, the label kept as written, on the member's current unit, and
//! counted for leaders as a confirmation is.

use super::import_rows::{self, RowImport, Seen};
use super::imports::{self, ImportTask, Job, Outcome, StoredProblem, Upload, Work};
use super::{audit, ratings};
use crate::auth::AuthUser;
use crate::db::{self, members::MemberRow, ratings::EarlierRatingRow, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use crate::state::ImportProgress;
use chrono::{Datelike, NaiveDate};
use shared::api::imports::{HeaderMap, ImportJobView, ImportKind};
use shared::api::rating_history::{header_of, read_row, HistoryRating, COLUMNS};
use shared::api::ratings::RatingState;
use shared::ids::UserId;
use shared::{FieldErrorCode, Lang};

/// Checks the caller (a cadre over the unit), the unit and the file's header row, and records
/// the job.
pub fn start_import(
    conn: &mut AnyConnection,
    user: &AuthUser,
    up: Upload,
    today: NaiveDate,
) -> Result<(ImportJobView, Work), ApiError> {
    imports::start_job(conn, user, up, today, ImportKind::RatingHistory, move |_, header| {
        let map = HeaderMap::read_with(&COLUMNS, header).map_err(|p| ApiError::UnusableFile(p.describe(Lang::Vi)))?;
        Ok(Box::new(HistoryImport { map, this_year: today.year() }))
    })
}

/// Records one earlier year's rating of a member (inside the caller's transaction): never the
/// caller's own, never a year the member is rated already.
pub fn record(
    conn: &mut AnyConnection,
    user: &AuthUser,
    member: &MemberRow,
    r: &HistoryRating,
) -> Result<i64, ApiError> {
    scope::require(user, shared::roles::Capability::ManageMembers, &member.unit_path)?;
    scope::not_about_self(user, member.user_id.map(UserId))?;
    if !db::ratings::rated_in_year(conn, &[member.id], r.year)?.is_empty() {
        return Err(ApiError::field("year", FieldErrorCode::AlreadyRated));
    }
    let now = db::now();
    let id = db::ratings::insert_earlier(
        conn,
        &EarlierRatingRow {
            member_id: member.id,
            unit_id: member.unit_id,
            unit_path: &member.unit_path,
            year: r.year,
            state: RatingState::Confirmed.as_str(),
            months: 0,
            level: r.level.as_str(),
            label: &r.label,
            decision_no: r.decision_no.as_deref(),
            decided_on: r.decided_on,
            decided_by: Some(user.id.0),
            created_at: now,
            updated_at: now,
        },
    )?;
    ratings::count(conn, &member.unit_path, r.year, Some(r.level), 1)?;
    let after = serde_json::json!({
        "member_id": member.id, "year": r.year, "level": r.level.as_str(), "label": r.label, "decision_no": r.decision_no,
    });
    audit::record::<(), _>(
        conn,
        audit::Change {
            actor: Some(user.id),
            action: "rating.import",
            entity_type: "rating",
            entity_id: id,
            unit: Some(audit::Unit { id: member.unit_id, path: &member.unit_path }),
            before: None,
            after: Some(&after),
        },
    )?;
    Ok(id)
}

struct HistoryImport {
    map: HeaderMap,
    this_year: i32,
}

/// A checked row: its number, the field naming the member, the member and the rating.
struct HistoryRow {
    number: u32,
    named_by: &'static str,
    member: MemberRow,
    rating: HistoryRating,
}

/// A row's problem, under the sheet's header for the field.
fn problem(row: u32, field: &str, code: FieldErrorCode) -> StoredProblem {
    StoredProblem { column: Some(header_of(field).to_owned()), ..StoredProblem::new(row, field, code) }
}

impl RowImport for HistoryImport {
    type Row = HistoryRow;
    const AUDIT_ACTION: &'static str = "rating.history_import";

    fn check(
        &self,
        conn: &mut AnyConnection,
        job: &Job,
        number: u32,
        cells: &[String],
        seen: &mut Seen,
    ) -> Result<Result<HistoryRow, Vec<StoredProblem>>, ApiError> {
        let read = read_row(&self.map, cells, self.this_year);
        let mut problems: Vec<StoredProblem> = match &read {
            Ok(_) => Vec::new(),
            Err(errs) => errs.iter().map(|e| problem(number, &e.field, e.code)).collect(),
        };
        let (national_id, card) = (self.map.cell(cells, "national_id"), self.map.cell(cells, "card_number"));
        let (named_by, member) = match import_rows::named_member(conn, &job.unit.path, national_id, card)? {
            Ok(found) => found,
            Err((field, code)) => {
                problems.insert(0, problem(number, field, code));
                return Ok(Err(problems));
            }
        };
        let Ok(rating) = read else { return Ok(Err(problems)) };
        // A member has one rating a year: the same member and year twice in the file, or a year
        // already rated.
        let key = member.id * 10_000 + i64::from(rating.year);
        if let Some(first) = seen.get(&key) {
            problems.push(StoredProblem {
                same_as_row: Some(*first),
                ..problem(number, "year", FieldErrorCode::Duplicate)
            });
        } else {
            seen.insert(key, number);
            if !db::ratings::rated_in_year(conn, &[member.id], rating.year)?.is_empty() {
                problems.push(problem(number, "year", FieldErrorCode::AlreadyRated));
            }
        }
        Ok(match problems.is_empty() {
            true => Ok(HistoryRow { number, named_by, member, rating }),
            false => Err(problems),
        })
    }

    fn write(&self, conn: &mut AnyConnection, job: &Job, row: &HistoryRow) -> Result<(), ApiError> {
        record(conn, &job.actor, &row.member, &row.rating).map(drop)
    }

    fn refused(&self, row: &HistoryRow, e: &ApiError) -> Option<Vec<StoredProblem>> {
        let on = |field: &str, code| Some(vec![problem(row.number, field, code)]);
        match e {
            ApiError::Forbidden | ApiError::OwnCase | ApiError::NotFound(_) => {
                on(row.named_by, FieldErrorCode::NotAllowed)
            }
            ApiError::Validation(errors) => {
                Some(errors.iter().map(|x| problem(row.number, &x.field, x.code)).collect())
            }
            _ => None,
        }
    }
}

impl ImportTask for HistoryImport {
    fn process(&self, conn: &mut AnyConnection, progress: &ImportProgress, job: &Job) -> Result<Outcome, ApiError> {
        import_rows::run(self, conn, progress, job)
    }
}
