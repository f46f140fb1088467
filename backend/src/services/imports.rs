//! Importing member records from a spreadsheet. The request reads the file, checks the caller,
//! the file kind and its header row, and records a job; a background thread then checks every
//! row with the same validation as the form (plus CCCD and card duplicates, within the file and
//! against the registry) and writes the valid rows: in chunks (`valid_only`), or all in one
//! transaction and only if no row failed (`all_or_nothing`). Progress is kept in memory while the
//! job runs and in the job's row when it ends, so a reloaded page finds it either way.

use super::{audit, members, stored, utc};
use crate::auth::AuthUser;
use crate::db::imports::{ImportJobPatch, ImportJobRow, NewImportJobRow};
use crate::db::{self, org_units::OrgUnitRow, AnyConnection, Pool};
use crate::error::ApiError;
use crate::scope;
use crate::sheets::{self, Rows};
use crate::state::ImportProgress;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use shared::api::imports::{
    header_of, member_from_row, HeaderMap, ImportJobView, ImportKind, ImportMode, ImportRowError, ImportStatus,
    COLUMNS, MAX_ROWS, REPORT_MAX,
};
use shared::api::members::ValidMember;
use shared::ids::OrgUnitId;
use shared::org::OrgKind;
use shared::roles::Capability;
use shared::{text, FieldErrorCode, Lang};
use std::collections::HashMap;

/// Rows written per transaction in `valid_only` mode (and between progress reports).
const CHUNK: usize = 1_000;

/// An uploaded file and what to do with it.
pub struct Upload {
    pub unit_id: OrgUnitId,
    pub mode: ImportMode,
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// What the background thread knows of a job, whatever it imports.
pub struct Job {
    pub id: i64,
    pub unit: OrgUnitRow,
    /// The data rows (the header row removed).
    pub rows: Rows,
    pub mode: ImportMode,
    pub actor: AuthUser,
    pub today: NaiveDate,
}

/// What one kind of import does with a job's rows: checks every row, writes the valid ones as
/// the mode says (a failed row writes nothing), audits the job, and tells how it ended.
pub trait ImportTask: Send {
    fn process(&self, conn: &mut AnyConnection, progress: &ImportProgress, job: &Job) -> Result<Outcome, ApiError>;
}

/// A job accepted, with what the background thread needs.
pub struct Work {
    job: Job,
    task: Box<dyn ImportTask>,
}

/// A problem as stored in the job's report (the message is rendered in the reader's language).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoredProblem {
    pub row: u32,
    /// The field of the API the column fills (`national_id`, `optional_item_ids`).
    pub field: String,
    pub code: FieldErrorCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub same_as_row: Option<u32>,
    /// The column's header, when it is not the member template's for `field` (an item's title).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
}

impl StoredProblem {
    /// A problem with a row's field.
    pub fn new(row: u32, field: &str, code: FieldErrorCode) -> StoredProblem {
        StoredProblem { row, field: field.to_owned(), code, same_as_row: None, column: None }
    }
}

fn job_view(row: ImportJobRow, live: Option<(ImportStatus, i64, i64)>, lang: Lang) -> Result<ImportJobView, ApiError> {
    let problems: Vec<StoredProblem> =
        row.report.as_deref().and_then(|r| serde_json::from_str(r).ok()).unwrap_or_default();
    let mut status = stored(ImportStatus::parse(&row.status), "import_jobs.status", &row.status)?;
    let (mut processed, mut error_rows) = (row.processed_rows, row.error_rows);
    if let Some((s, p, e)) = live.filter(|_| !status.is_finished()) {
        (status, processed, error_rows) = (s, p, e);
    }
    Ok(ImportJobView {
        id: row.id,
        kind: stored(ImportKind::parse(&row.kind), "import_jobs.kind", &row.kind)?,
        unit_id: OrgUnitId(row.unit_id),
        file_name: row.file_name,
        mode: stored(ImportMode::parse(&row.mode), "import_jobs.mode", &row.mode)?,
        status,
        total_rows: row.total_rows,
        processed_rows: processed,
        error_rows,
        imported_rows: row.imported_rows,
        message: row.message,
        errors: problems
            .into_iter()
            .map(|p| ImportRowError {
                row: p.row,
                column: p.column.unwrap_or_else(|| header_of(&p.field).to_owned()),
                message: p.code.message(lang).to_owned(),
                field: p.field,
                code: p.code,
                same_as_row: p.same_as_row,
            })
            .collect(),
        created_at: utc(row.created_at),
        finished_at: row.finished_at.map(utc),
    })
}

/// Checks the caller, the unit and the file of a member import, and records the job (status `validating`).
pub fn start(
    conn: &mut AnyConnection,
    user: &AuthUser,
    up: Upload,
    today: NaiveDate,
) -> Result<(ImportJobView, Work), ApiError> {
    start_job(conn, user, up, today, ImportKind::Members, |_, header| {
        let map = HeaderMap::read(header).map_err(|p| ApiError::UnusableFile(p.describe(Lang::Vi)))?;
        Ok(Box::new(MemberImport { map }))
    })
}

/// Checks the caller (a cadre over the unit), the unit and the file, has `task` read the header
/// row into the job's task (422 on `file` when it is not what the task reads), and records the job.
pub fn start_job(
    conn: &mut AnyConnection,
    user: &AuthUser,
    up: Upload,
    today: NaiveDate,
    kind: ImportKind,
    task: impl FnOnce(&mut AnyConnection, &[String]) -> Result<Box<dyn ImportTask>, ApiError>,
) -> Result<(ImportJobView, Work), ApiError> {
    let unit =
        db::org_units::find(conn, up.unit_id.0)?.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::NotFound))?;
    scope::require(user, Capability::ManageMembers, &unit.path)?;
    if unit.dissolved_on.is_some() {
        return Err(ApiError::field("unit_id", FieldErrorCode::Dissolved));
    }
    let mut rows = sheets::read(&up.bytes)?;
    if rows.is_empty() {
        return Err(ApiError::UnusableFile("the file has no rows".to_owned()));
    }
    let (_, header) = rows.remove(0);
    let task = task(conn, &header)?;
    if rows.is_empty() {
        return Err(ApiError::UnusableFile("the file has a header row but no rows under it".to_owned()));
    }
    if rows.len() > MAX_ROWS {
        return Err(ApiError::UnusableFile(format!("{} rows; at most {MAX_ROWS} per file", rows.len())));
    }
    let job = db::imports::insert(
        conn,
        &NewImportJobRow {
            unit_id: unit.id,
            unit_path: &unit.path,
            user_id: user.id.0,
            file_name: &up.file_name,
            mode: up.mode.as_str(),
            status: ImportStatus::Validating.as_str(),
            total_rows: rows.len() as i64,
            created_at: db::now(),
            kind: kind.as_str(),
        },
    )?;
    let row = db::imports::find(conn, job)?.ok_or(ApiError::NotFound("import"))?;
    let view = job_view(row, None, Lang::Vi)?;
    let job = Job { id: job, unit, rows, mode: up.mode, actor: user.clone(), today };
    Ok((view, Work { job, task }))
}

/// A job, for its author and the cadres of its unit.
pub fn get(
    conn: &mut AnyConnection,
    user: &AuthUser,
    progress: &ImportProgress,
    id: i64,
    lang: Lang,
) -> Result<ImportJobView, ApiError> {
    let row = db::imports::find(conn, id)?.ok_or(ApiError::NotFound("import"))?;
    if row.user_id != user.id.0 && scope::require(user, Capability::ManageMembers, &row.unit_path).is_err() {
        return Err(ApiError::NotFound("import"));
    }
    let live = progress.get(row.id);
    job_view(row, live, lang)
}

/// The latest imports into a unit's subtree (without their row reports).
pub fn recent(
    conn: &mut AnyConnection,
    user: &AuthUser,
    progress: &ImportProgress,
    unit: OrgUnitId,
    lang: Lang,
) -> Result<Vec<ImportJobView>, ApiError> {
    let unit = db::org_units::find(conn, unit.0)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ManageMembers, &unit.path)?;
    db::imports::recent(conn, &unit.path, 20)?
        .into_iter()
        .map(|mut row| {
            row.report = None;
            let live = progress.get(row.id);
            job_view(row, live, lang)
        })
        .collect()
}

/// Runs a job to its end on the calling thread (a background one) and records the outcome.
pub fn run(pool: &Pool, progress: &ImportProgress, work: Work) {
    let job = work.job.id;
    let outcome = pool.get().map_err(ApiError::from).and_then(|mut conn| {
        // Held while the job runs: a server starting meanwhile sees it is not interrupted.
        let lock = db::locks::import_job(job);
        db::locks::try_lock(&mut conn, lock)?;
        let result = work.task.process(&mut conn, progress, &work.job);
        let update = match &result {
            Ok(o) => o.update(),
            Err(e) => {
                tracing::error!(job, error = %e, "import failed");
                ImportJobPatch {
                    status: ImportStatus::Failed.as_str(),
                    processed_rows: 0,
                    error_rows: 0,
                    imported_rows: 0,
                    message: Some("the import stopped on a server error; nothing was imported"),
                    report: None,
                    finished_at: Some(db::now()),
                }
            }
        };
        db::imports::update(&mut conn, job, &update)?;
        db::locks::unlock(&mut conn, lock)?;
        Ok(())
    });
    if let Err(e) = outcome {
        tracing::error!(job, error = %e, "could not record the end of an import");
    }
    progress.remove(job);
}

/// How a job ended.
pub struct Outcome {
    status: ImportStatus,
    processed: usize,
    error_rows: usize,
    imported: usize,
    message: Option<String>,
    report: String,
}

impl Outcome {
    /// The end of a job over all its rows: `problems` in report order (the first `REPORT_MAX` kept).
    pub fn new(
        job: &Job,
        status: ImportStatus,
        error_rows: usize,
        imported: usize,
        message: Option<String>,
        problems: &[StoredProblem],
    ) -> Result<Outcome, ApiError> {
        let report = serde_json::to_string(&problems[..problems.len().min(REPORT_MAX)])
            .map_err(|e| ApiError::Internal(e.into()))?;
        Ok(Outcome { status, processed: job.rows.len(), error_rows, imported, message, report })
    }

    fn update(&self) -> ImportJobPatch<'_> {
        ImportJobPatch {
            status: self.status.as_str(),
            processed_rows: self.processed as i64,
            error_rows: self.error_rows as i64,
            imported_rows: self.imported as i64,
            message: self.message.as_deref(),
            report: Some(&self.report),
            finished_at: Some(db::now()),
        }
    }
}

/// Finds the branch a row names, inside the job's unit.
struct Branches {
    default: Option<i64>,
    by_code: HashMap<String, i64>,
    by_name: HashMap<String, Vec<i64>>,
    rows: HashMap<i64, OrgUnitRow>,
}

impl Branches {
    fn load(conn: &mut AnyConnection, unit: &OrgUnitRow) -> Result<Branches, ApiError> {
        let all = db::org_units::branches_in(conn, &unit.path)?;
        let default = if OrgKind::parse(&unit.kind) == Some(OrgKind::Branch) {
            Some(unit.id)
        } else if all.len() == 1 {
            Some(all[0].id)
        } else {
            None
        };
        let mut b = Branches { default, by_code: HashMap::new(), by_name: HashMap::new(), rows: HashMap::new() };
        for u in all {
            if let Some(code) = &u.code {
                b.by_code.insert(code.to_uppercase(), u.id);
            }
            b.by_name.entry(text::fold(&u.name)).or_default().push(u.id);
            b.rows.insert(u.id, u);
        }
        Ok(b)
    }

    fn resolve(&self, cell: &str) -> Result<i64, FieldErrorCode> {
        if cell.is_empty() {
            return self.default.ok_or(FieldErrorCode::Required);
        }
        if let Some(id) = self.by_code.get(&cell.to_uppercase()) {
            return Ok(*id);
        }
        match self.by_name.get(&text::fold(cell)).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some([_, _, ..]) => Err(FieldErrorCode::Ambiguous),
            _ => Err(FieldErrorCode::NotFound),
        }
    }
}

/// Member records in the template's columns.
struct MemberImport {
    map: HeaderMap,
}

impl ImportTask for MemberImport {
    fn process(&self, conn: &mut AnyConnection, progress: &ImportProgress, w: &Job) -> Result<Outcome, ApiError> {
        process_members(conn, progress, w, &self.map)
    }
}

/// Checks every row, then writes the valid ones as the mode says.
fn process_members(
    conn: &mut AnyConnection,
    progress: &ImportProgress,
    w: &Job,
    map: &HeaderMap,
) -> Result<Outcome, ApiError> {
    let started = std::time::Instant::now();
    let branches = Branches::load(conn, &w.unit)?;
    let mut problems: Vec<StoredProblem> = Vec::new();
    let mut valid: Vec<(u32, ValidMember)> = Vec::new();
    let mut first_with_id: HashMap<String, u32> = HashMap::new();
    let mut first_with_card: HashMap<String, u32> = HashMap::new();
    let mut bad_rows = 0;
    for (i, (number, cells)) in w.rows.iter().enumerate() {
        let mut row_problems = Vec::new();
        let branch = branches.resolve(map.cell(cells, "branch"));
        if let Err(code) = branch {
            row_problems.push(StoredProblem {
                row: *number,
                field: "branch".into(),
                code,
                same_as_row: None,
                column: None,
            });
        }
        let request = member_from_row(map, cells, branch.ok().map(OrgUnitId));
        match request.validate(w.today) {
            Ok(v) => {
                let mut repeated = |field: &str, value: Option<&str>, seen: &mut HashMap<String, u32>| {
                    if let Some(value) = value {
                        if let Some(first) = seen.get(value) {
                            let p = StoredProblem {
                                row: *number,
                                field: field.into(),
                                code: FieldErrorCode::Duplicate,
                                same_as_row: Some(*first),
                                column: None,
                            };
                            row_problems.push(p);
                        } else {
                            seen.insert(value.to_owned(), *number);
                        }
                    }
                };
                repeated("national_id", v.national_id.as_ref().map(|n| n.as_str()), &mut first_with_id);
                repeated("card_number", v.card_number.as_deref(), &mut first_with_card);
                if row_problems.is_empty() {
                    valid.push((*number, v));
                }
            }
            Err(errors) => row_problems.extend(
                errors.into_iter().filter(|e| !(e.field == "unit_id" && branch.is_err())).map(|e| {
                    let field = if e.field == "unit_id" { "branch".to_owned() } else { e.field };
                    StoredProblem { row: *number, field, code: e.code, same_as_row: None, column: None }
                }),
            ),
        }
        if !row_problems.is_empty() {
            bad_rows += 1;
            problems.extend(row_problems);
        }
        if (i + 1) % CHUNK == 0 {
            progress.set(w.id, ImportStatus::Validating, i + 1, bad_rows);
        }
    }
    // Against the registry: people already members, cards already issued.
    let ids: Vec<&str> = valid.iter().filter_map(|(_, v)| v.national_id.as_ref().map(|n| n.as_str())).collect();
    let taken_ids: std::collections::HashSet<String> =
        db::members::live_national_ids_among(conn, &ids)?.into_iter().collect();
    let cards: Vec<&str> = valid.iter().filter_map(|(_, v)| v.card_number.as_deref()).collect();
    let taken_cards: std::collections::HashSet<String> = db::members::cards_among(conn, &cards)?.into_iter().collect();
    // Without a CCCD, the same name and birth date in the unit is taken for the same person.
    let mut namesakes = std::collections::HashSet::new();
    for (number, v) in valid.iter().filter(|(_, v)| v.national_id.is_none()) {
        if db::members::live_namesake(conn, &w.unit.path, &text::fold(v.full_name.as_str()), v.date_of_birth)? {
            namesakes.insert(*number);
        }
    }
    valid.retain(|(number, v)| {
        let mut ok = true;
        if v.national_id.as_ref().is_some_and(|n| taken_ids.contains(n.as_str())) {
            problems.push(StoredProblem {
                row: *number,
                field: "national_id".into(),
                code: FieldErrorCode::AlreadyMember,
                same_as_row: None,
                column: None,
            });
            ok = false;
        }
        if namesakes.contains(number) {
            problems.push(StoredProblem {
                row: *number,
                field: "full_name".into(),
                code: FieldErrorCode::AlreadyMember,
                same_as_row: None,
                column: None,
            });
            ok = false;
        }
        if v.card_number.as_deref().is_some_and(|c| taken_cards.contains(c)) {
            problems.push(StoredProblem {
                row: *number,
                field: "card_number".into(),
                code: FieldErrorCode::Duplicate,
                same_as_row: None,
                column: None,
            });
            ok = false;
        }
        if !ok {
            bad_rows += 1;
        }
        ok
    });
    problems.sort_by_key(|p| (p.row, COLUMNS.iter().position(|c| c.field == p.field)));
    let total = w.rows.len();
    let finished =
        |status, imported, message: Option<String>| Outcome::new(w, status, bad_rows, imported, message, &problems);
    if w.mode == ImportMode::AllOrNothing && bad_rows > 0 {
        let message = format!("{bad_rows} rows have problems; nothing was imported");
        return finished(ImportStatus::Failed, 0, Some(message));
    }
    progress.set(w.id, ImportStatus::Importing, 0, bad_rows);
    let checked = started.elapsed();
    let mut imported = 0;
    let write =
        |conn: &mut AnyConnection, chunk: &[(u32, ValidMember)], imported: &mut usize| -> Result<(), ApiError> {
            let mut added: HashMap<String, i64> = HashMap::new();
            for (_, v) in chunk {
                let unit = branches.rows.get(&v.unit_id.0).ok_or(ApiError::NotFound("org unit"))?;
                members::store(conn, unit, v.clone(), None, w.today)?;
                *added.entry(unit.path.clone()).or_default() += 1;
            }
            db::org_units::add_live_members_many(conn, &added)?;
            *imported += chunk.len();
            // In the chunk's own transaction: what the job says it wrote is what was written,
            // and every server reads the same progress.
            db::imports::set_imported(conn, w.id, *imported as i64, bad_rows as i64)?;
            progress.set(w.id, ImportStatus::Importing, *imported, bad_rows);
            Ok(())
        };
    match w.mode {
        ImportMode::AllOrNothing => db::write(conn, |conn| {
            for chunk in valid.chunks(CHUNK) {
                write(conn, chunk, &mut imported)?;
            }
            audit_job(conn, w, "member.import", imported, bad_rows)
        })?,
        ImportMode::ValidOnly => {
            for chunk in valid.chunks(CHUNK) {
                db::write(conn, |conn| write(conn, chunk, &mut imported))?;
            }
            db::write(conn, |conn| audit_job(conn, w, "member.import", imported, bad_rows))?;
        }
    }
    tracing::info!(
        job = w.id,
        rows = total,
        imported,
        checked_ms = checked.as_millis(),
        total_ms = started.elapsed().as_millis(),
        "import done"
    );
    finished(ImportStatus::Done, imported, None)
}

/// The job's one audit entry (`action`: `member.import`, …), with its counts.
pub fn audit_job(
    conn: &mut AnyConnection,
    w: &Job,
    action: &str,
    imported: usize,
    bad_rows: usize,
) -> Result<(), ApiError> {
    let summary = serde_json::json!({
        "job": w.id, "mode": w.mode.as_str(), "rows": w.rows.len(), "imported": imported, "rows_with_problems": bad_rows,
    });
    audit::record::<(), _>(
        conn,
        audit::Change {
            actor: Some(w.actor.id),
            action,
            entity_type: "import_job",
            entity_id: w.id,
            unit: Some(audit::Unit::of(&w.unit)),
            before: None,
            after: Some(&summary),
        },
    )
}

/// The template: the columns with a sample row, as `.xlsx` or `.csv`.
pub fn template(xlsx: bool) -> Result<Vec<u8>, ApiError> {
    let headers: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
    let sample = vec![COLUMNS.iter().map(|c| c.example.to_owned()).collect::<Vec<_>>()];
    if xlsx {
        sheets::write_xlsx("Đoàn viên", &headers, sample)
    } else {
        sheets::write_csv(&headers, sample)
    }
}
