//! `sodoan seed --members N`: a benchmark province — about 30 areas, 1,000 grassroots units,
//! 10,000 branches and N members (plausible names, ages, CCCDs, phones) — plus a leader and a
//! cadre account to query it with. Rows go in by the thousand, a transaction per batch; the units
//! are audited as created by the system, the members (a fixture, not decisions) are not.

use crate::db::{self, members::NewMemberRow, org_units::OrgUnitRow, AnyConnection};
use crate::error::ApiError;
use crate::people::People;
use crate::services;
use crate::services::members::{columns, NameKeys};
use diesel::Connection;
use shared::ids::OrgUnitId;
use shared::org::{OrgKind, Sector};

/// The password of the benchmark accounts.
pub const BENCH_PASSWORD: &str = "bench-12345";
/// The benchmark leader (on the province) and cadre (on its first grassroots unit).
pub const BENCH_LEADER: &str = "bench.leader@sodoan.test";
pub const BENCH_CADRE: &str = "bench.cadre@sodoan.test";

const AREAS: usize = 30;
const GRASSROOTS_PER_AREA: usize = 33;
const BRANCHES_PER_GRASSROOTS: usize = 10;
const BATCH: usize = 2_000;

/// What was seeded.
#[derive(Debug)]
pub struct Seeded {
    pub province: i64,
    pub grassroots: usize,
    pub branches: usize,
    pub members: usize,
}

fn unit(
    conn: &mut AnyConnection,
    parent: &OrgUnitRow,
    kind: OrgKind,
    sector: Sector,
    name: &str,
) -> Result<OrgUnitRow, ApiError> {
    let unit = services::org_units::NewUnit { kind, sector, name, code: None, founded_on: None };
    services::org_units::insert_unit(conn, Some(parent), &unit, None)
}

fn account(
    conn: &mut AnyConnection,
    login: &str,
    name: &str,
    hash: &str,
    unit: i64,
    role: &str,
) -> Result<(), ApiError> {
    let now = db::now();
    let user = match db::users::find_by_login(conn, login)? {
        Some(u) => u,
        None => db::users::insert(
            conn,
            &db::users::NewUserRow {
                login,
                password_hash: hash,
                full_name: name,
                date_of_birth: None,
                status: "active",
                created_at: now,
                updated_at: now,
            },
        )?,
    };
    db::role_assignments::insert(
        conn,
        &db::role_assignments::NewRoleAssignmentRow {
            user_id: user.id,
            org_unit_id: unit,
            role,
            title: None,
            created_at: now,
            created_by: None,
        },
    )?;
    Ok(())
}

/// Seeds a benchmark province with `members` members; prints progress to stderr.
pub fn province(conn: &mut AnyConnection, members: usize, seed: u64) -> Result<Seeded, ApiError> {
    let today = chrono::Local::now().date_naive();
    let hash = crate::auth::hash_password(BENCH_PASSWORD)?;
    let sectors = [Sector::Residential, Sector::School, Sector::Enterprise, Sector::PublicAdmin, Sector::ArmedForces];
    let (province, branches, first_grassroots) = conn.transaction::<_, ApiError, _>(|conn| {
        let root = services::org_units::ensure_root(conn)?;
        let province = unit(conn, &root, OrgKind::Province, Sector::Other, &format!("Tỉnh đoàn Thử nghiệm {seed}"))?;
        let mut branches = Vec::new();
        let mut first_grassroots = None;
        for a in 1..=AREAS {
            let area = unit(conn, &province, OrgKind::District, Sector::Other, &format!("Đoàn khu vực {a}"))?;
            for g in 1..=GRASSROOTS_PER_AREA {
                let sector = sectors[(a + g) % sectors.len()];
                let prefix = match sector {
                    Sector::School => "Đoàn trường",
                    Sector::Enterprise => "Đoàn cơ sở Công ty",
                    Sector::PublicAdmin => "Đoàn cơ sở Sở",
                    Sector::ArmedForces => "Đoàn cơ sở Đơn vị",
                    _ => "Đoàn xã",
                };
                let grassroots = unit(conn, &area, OrgKind::Grassroots, sector, &format!("{prefix} {a}-{g}"))?;
                first_grassroots.get_or_insert(grassroots.id);
                for b in 1..=BRANCHES_PER_GRASSROOTS {
                    branches.push(unit(conn, &grassroots, OrgKind::Branch, sector, &format!("Chi đoàn {a}-{g}-{b}"))?);
                }
            }
        }
        account(conn, BENCH_LEADER, "Lãnh đạo Thử nghiệm", &hash, province.id, "leader")?;
        let first = first_grassroots.ok_or(ApiError::NotFound("grassroots"))?;
        account(conn, BENCH_CADRE, "Cán bộ Thử nghiệm", &hash, first, "cadre")?;
        Ok((province, branches, first))
    })?;
    let _ = first_grassroots;

    let mut people = People::new(seed);
    let now = db::now();
    let mut done = 0;
    while done < members {
        let n = BATCH.min(members - done);
        // Owned strings first; the rows borrow them.
        let made: Vec<(usize, shared::api::members::ValidMember)> = (done..done + n)
            .map(|i| {
                let branch = &branches[i % branches.len()];
                let req = people.member(OrgUnitId(branch.id), today, "056");
                let valid = req.validate(today).map_err(ApiError::Validation)?;
                Ok((i % branches.len(), valid))
            })
            .collect::<Result<_, ApiError>>()?;
        let keys: Vec<NameKeys> = made.iter().map(|(_, v)| NameKeys::of(v.full_name.as_str())).collect();
        let rows: Vec<NewMemberRow<'_>> = made
            .iter()
            .zip(&keys)
            .map(|((b, v), keys)| NewMemberRow {
                user_id: None,
                pending_user_id: None,
                unit_id: branches[*b].id,
                unit_path: &branches[*b].path,
                status: "active",
                status_since: today,
                created_at: now,
                updated_at: now,
                fields: columns(v, keys),
            })
            .collect();
        conn.transaction::<_, ApiError, _>(|conn| {
            // Diesel's multi-backend cannot batch rows with optional columns; one prepared
            // statement per row inside one transaction per batch is fast enough for a fixture.
            for row in &rows {
                let id = db::members::insert(conn, row)?;
                db::members::set_words(conn, id, row.fields.search_name)?;
                db::transfers::insert_placement(
                    conn,
                    &db::transfers::NewPlacementRow {
                        member_id: id,
                        unit_id: row.unit_id,
                        started_on: row.fields.joined_on,
                        cause: "joined",
                        transfer_id: None,
                    },
                )?;
            }
            Ok(())
        })?;
        done += n;
        if done % 50_000 < BATCH {
            eprintln!("  {done} / {members} members");
        }
    }
    db::org_units::recount_live_members(conn)?;
    Ok(Seeded { province: province.id, grassroots: AREAS * GRASSROOTS_PER_AREA, branches: branches.len(), members })
}

/// An `.xlsx` file in the import template of `rows` generated members (CCCDs registered in
/// Hồ Chí Minh City, so they do not collide with the seeded province's), spread over the
/// benchmark province's branches by name.
pub fn import_file(rows: usize, seed: u64) -> Result<Vec<u8>, ApiError> {
    use shared::api::imports::COLUMNS;
    let today = chrono::Local::now().date_naive();
    let mut people = People::new(seed);
    let date = |iso: &str| chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").map(|d| d.format("%d/%m/%Y").to_string());
    let lines: Vec<Vec<String>> = (0..rows)
        .map(|i| {
            let b = i % (AREAS * GRASSROOTS_PER_AREA * BRANCHES_PER_GRASSROOTS);
            let branch = format!(
                "Chi đoàn {}-{}-{}",
                b / (GRASSROOTS_PER_AREA * BRANCHES_PER_GRASSROOTS) + 1,
                b / BRANCHES_PER_GRASSROOTS % GRASSROOTS_PER_AREA + 1,
                b % BRANCHES_PER_GRASSROOTS + 1
            );
            let m = people.member(OrgUnitId(0), today, "079");
            COLUMNS
                .iter()
                .map(|c| match c.field {
                    "full_name" => m.full_name.clone(),
                    "date_of_birth" => date(&m.date_of_birth).unwrap_or_default(),
                    "gender" => if m.gender == "female" { "Nữ" } else { "Nam" }.to_owned(),
                    "national_id" => m.national_id.clone().unwrap_or_default(),
                    "phone" => m.phone.clone().unwrap_or_default(),
                    "branch" => branch.clone(),
                    "joined_on" => date(&m.joined_on).unwrap_or_default(),
                    "hometown" => "Thành phố Hồ Chí Minh".to_owned(),
                    _ => String::new(),
                })
                .collect()
        })
        .collect();
    let headers: Vec<&str> = COLUMNS.iter().map(|c| c.header).collect();
    crate::sheets::write_xlsx("Đoàn viên", &headers, lines)
}

/// One admission case carried to the branch's vote (state `proposed`, version 2, a valid vote
/// today), with its applicant's account `login`: fixtures of the benchmark and the demo.
pub fn proposed_case(
    conn: &mut AnyConnection,
    branch: &db::org_units::OrgUnitRow,
    login: &str,
    name: &str,
    born: chrono::NaiveDate,
    hash: &str,
) -> Result<i64, ApiError> {
    use crate::db::admissions::{FormColumns, NewAdmissionRow, NewEventRow, StepColumns};
    let today = chrono::Local::now().date_naive();
    let now = db::now();
    let user = db::users::insert(
        conn,
        &db::users::NewUserRow {
            login,
            password_hash: hash,
            full_name: name,
            date_of_birth: Some(born),
            status: "active",
            created_at: now,
            updated_at: now,
        },
    )?;
    let form = serde_json::json!({
        "full_name": name, "date_of_birth": born.to_string(), "gender": "male", "phone": "0912345678",
        "unit_id": branch.id, "introducer_org": "Chi đội", "application_text": "Em xin vào Đoàn."
    })
    .to_string();
    let id = db::admissions::insert(
        conn,
        &NewAdmissionRow {
            user_id: user.id,
            state: "trained",
            created_at: now,
            updated_at: now,
            fields: FormColumns {
                unit_id: Some(branch.id),
                unit_path: Some(&branch.path),
                form: &form,
                full_name: name,
                date_of_birth: Some(born),
                introducer_member_id: None,
                introducer_org: Some("Chi đội"),
            },
        },
    )?;
    let vote = StepColumns {
        meeting_on: Some(today),
        present: Some(10),
        votes_for: Some(8),
        votes_against: Some(1),
        submitted_at: Some(now),
        ..Default::default()
    };
    let event = NewEventRow {
        admission_id: id,
        action: "propose",
        from_state: "trained",
        to_state: "proposed",
        reason: None,
        actor_user_id: None,
        at: now,
    };
    db::admissions::step(conn, 1, "proposed", &vote, &event)?;
    Ok(id)
}

/// Adds `count` admission cases waiting for approval (state `proposed`, version 2, a valid vote
/// today) to the branches of the benchmark province `province`, each with its applicant's
/// account: the fixture of the approval benchmark. Returns the first and last case ids.
pub fn proposed_admissions(conn: &mut AnyConnection, province: i64, count: usize) -> Result<(i64, i64), ApiError> {
    let today = chrono::Local::now().date_naive();
    let unit = db::org_units::find(conn, province)?.ok_or(ApiError::NotFound("province"))?;
    let branches = db::org_units::branches_in(conn, &unit.path)?;
    if branches.is_empty() {
        return Err(ApiError::NotFound("branches"));
    }
    let hash = crate::auth::hash_password(BENCH_PASSWORD)?;
    let born = today.checked_sub_months(chrono::Months::new(12 * 18)).unwrap_or(today);
    let mut people = People::new(7);
    let (mut first, mut last) = (0, 0);
    for batch in (0..count).collect::<Vec<_>>().chunks(BATCH) {
        db::write::<_, ApiError, _>(conn, |conn| {
            for i in batch {
                let branch = &branches[i % branches.len()];
                let name = people.member(OrgUnitId(branch.id), today, "079").full_name;
                let id = proposed_case(conn, branch, &format!("ungvien{i}@sodoan.test"), &name, born, &hash)?;
                first = if first == 0 { id } else { first };
                last = id;
            }
            Ok(())
        })?;
    }
    Ok((first, last))
}
