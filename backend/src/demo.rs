//! The demo organisation (`SODOAN_DEMO=1` on an empty database): a province with wards, a commune,
//! a high school and an enterprise, their branches, and one sign-in per role; members with the
//! records a cadre has to deal with, and three students waiting for the school's approval.

use crate::db::{self, org_units::OrgUnitRow, AnyConnection};
use crate::error::ApiError;
use crate::people::People;
use crate::{auth, services};
use anyhow::Context;
use chrono::Datelike;
use diesel::Connection;
use shared::ids::OrgUnitId;
use shared::org::{OrgKind, Sector};
use shared::roles::Role;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo12345";

/// A demo sign-in: login, name, role (none: an applicant), the unit it is held on (by code), title.
pub type DemoUser = (&'static str, &'static str, Option<Role>, &'static str, Option<&'static str>);

/// The demo sign-ins.
pub const DEMO_USERS: &[DemoUser] = &[
    ("admin@sodoan.test", "Quản trị hệ thống", Some(Role::Admin), "TW", None),
    ("lanhdao@sodoan.test", "Trần Thị Mai", Some(Role::Leader), "KH", Some("Phó Bí thư Tỉnh đoàn")),
    ("canbo@sodoan.test", "Nguyễn Văn Đức", Some(Role::Cadre), "KH-NT", Some("Bí thư Đoàn phường")),
    ("canbo.truong@sodoan.test", "Võ Thị Thu Hà", Some(Role::Cadre), "KH-LQD", Some("Bí thư Đoàn trường")),
    ("doanvien@sodoan.test", "Lê Thị Hồng Nhung", Some(Role::Member), "KH-NT-TDP1", None),
    ("thanhnien@sodoan.test", "Phạm Minh Khôi", None, "", None),
];

/// What the server prints at start-up with the demo on.
pub fn logins_text() -> String {
    let mut s = format!("Demo sign-ins (password {DEMO_PASSWORD} for all):\n");
    for (login, name, role, _, _) in DEMO_USERS {
        let role = role.map(|r| r.as_str()).unwrap_or("applicant");
        s.push_str(&format!("  {role:<10} {login:<24} {name}\n"));
    }
    s
}

type UnitSpec = (&'static str, OrgKind, Sector, &'static str, &'static [(&'static str, &'static str)]);

/// Grassroots units of the province: code, kind, sector, name, branches (code suffix, name).
const UNITS: &[UnitSpec] = &[
    (
        "KH-NT",
        OrgKind::Grassroots,
        Sector::Residential,
        "Đoàn phường Nha Trang",
        &[
            ("TDP1", "Chi đoàn Tổ dân phố 1"),
            ("TDP2", "Chi đoàn Tổ dân phố 2"),
            ("TDP3", "Chi đoàn Tổ dân phố Phước Hải"),
        ],
    ),
    (
        "KH-CL",
        OrgKind::Grassroots,
        Sector::Residential,
        "Đoàn xã Cam Lâm",
        &[("TB", "Chi đoàn thôn Tân Bình"), ("LD", "Chi đoàn thôn Lập Định")],
    ),
    (
        "KH-LQD",
        OrgKind::Grassroots,
        Sector::School,
        "Đoàn trường THPT chuyên Lê Quý Đôn",
        &[
            ("10A1", "Chi đoàn 10A1"),
            ("11A2", "Chi đoàn 11A2"),
            ("12A3", "Chi đoàn 12A3"),
            ("GV", "Chi đoàn Giáo viên"),
        ],
    ),
    (
        "KH-CANG",
        OrgKind::Grassroots,
        Sector::Enterprise,
        "Đoàn cơ sở Cảng Nha Trang",
        &[("KT", "Chi đoàn Khai thác"), ("VP", "Chi đoàn Văn phòng")],
    ),
];

fn add_unit(
    conn: &mut AnyConnection,
    parent: &OrgUnitRow,
    kind: OrgKind,
    sector: Sector,
    name: &str,
    code: &str,
) -> Result<OrgUnitRow, ApiError> {
    let unit = services::org_units::NewUnit { kind, sector, name, code: Some(code), founded_on: None };
    services::org_units::insert_unit(conn, Some(parent), &unit, None)
}

/// Members linked to demo accounts: login, name, female, branch code.
const LINKED_MEMBERS: &[(&str, &str, bool, &str)] = &[
    ("canbo@sodoan.test", "Nguyễn Văn Đức", false, "KH-NT-TDP1"),
    ("doanvien@sodoan.test", "Lê Thị Hồng Nhung", true, "KH-NT-TDP1"),
];

/// Students whose branch voted for their admission, waiting for the school's approval: login,
/// name, branch, age in years.
const PROPOSED: &[(&str, &str, &str, u32)] = &[
    ("ungvien.bao@sodoan.test", "Trương Gia Bảo", "KH-LQD-10A1", 16),
    ("ungvien.viet@sodoan.test", "Lâm Quốc Việt", "KH-LQD-10A1", 16),
    ("ungvien.khang@sodoan.test", "Hồ Minh Khang", "KH-LQD-11A2", 17),
];

/// Members per demo branch.
const MEMBERS_PER_BRANCH: usize = 6;

/// Every branch gets a few generated members; the demo cadre and member get their own records.
fn seed_members(conn: &mut AnyConnection) -> Result<(), ApiError> {
    let today = chrono::Local::now().date_naive();
    let mut people = People::new(2026);
    let add = |conn: &mut AnyConnection, req: shared::api::members::CreateMemberRequest, account: Option<i64>| {
        let unit_id = req.unit_id.ok_or(ApiError::NotFound("demo unit"))?;
        let unit = db::org_units::find(conn, unit_id.0)?.ok_or(ApiError::NotFound("demo unit"))?;
        let valid = req.validate(today).map_err(ApiError::Validation)?;
        services::members::insert_record(conn, &unit, valid, account, None, today).map(|_| ())
    };
    for (login, name, female, code) in LINKED_MEMBERS {
        let unit = db::org_units::find_by_code(conn, code)?.ok_or(ApiError::NotFound("demo unit"))?;
        let account = db::users::find_by_login(conn, login)?.map(|u| u.id);
        let req = people.member_named(OrgUnitId(unit.id), today, "056", name, *female);
        add(conn, req, account)?;
    }
    // The demo cadre is the ward's secretary (the cadre role comes with the demo sign-in).
    let ward = db::org_units::find_by_code(conn, "KH-NT")?.ok_or(ApiError::NotFound("demo unit"))?;
    let cadre = db::users::find_by_login(conn, "canbo@sodoan.test")?.ok_or(ApiError::NotFound("demo user"))?;
    let member = db::members::id_for_user(conn, cadre.id)?.ok_or(ApiError::NotFound("demo member"))?;
    db::positions::insert(
        conn,
        &db::positions::NewPositionRow {
            member_id: member,
            unit_id: ward.id,
            title: "secretary",
            started_on: today - chrono::Days::new(400),
            role_assignment_id: None,
            created_at: db::now(),
            created_by: None,
        },
    )?;
    // Records a cadre has to deal with: an old 9-digit CMND entered twice (once in another
    // branch with the new CCCD), a member without a phone, one who turns 30 this year.
    let unit_of = |conn: &mut AnyConnection, code: &str| -> Result<OrgUnitId, ApiError> {
        Ok(OrgUnitId(db::org_units::find_by_code(conn, code)?.ok_or(ApiError::NotFound("demo unit"))?.id))
    };
    let (tdp1, tdp2, tdp3) = (unit_of(conn, "KH-NT-TDP1")?, unit_of(conn, "KH-NT-TDP2")?, unit_of(conn, "KH-NT-TDP3")?);
    let mut lan = people.member_named(tdp2, today, "056", "Đặng Thị Lan", true);
    let mut old_lan = lan.clone();
    (old_lan.unit_id, old_lan.national_id, old_lan.phone) = (Some(tdp1), Some("056123456".into()), None);
    lan.card_number = Some("KH-2024-000777".into());
    add(conn, old_lan, None)?;
    add(conn, lan, None)?;
    let mut hung = people.member_named(tdp2, today, "056", "Bùi Văn Hùng", false);
    hung.phone = None;
    add(conn, hung, None)?;
    let thirty = today.year() - 30;
    let mut thu = people.member_named(tdp3, today, "056", "Lý Thị Thu", true);
    thu.date_of_birth = format!("{thirty}-12-20");
    thu.joined_on = format!("{}-03-26", thirty + 16);
    thu.national_id = Some(format!("0561{:02}{:06}", thirty % 100, 424242));
    add(conn, thu, None)?;
    let hash = auth::hash_password(DEMO_PASSWORD)?;
    for (login, name, code, age) in PROPOSED {
        let branch = db::org_units::find_by_code(conn, code)?.ok_or(ApiError::NotFound("demo unit"))?;
        let born = today.checked_sub_months(chrono::Months::new(12 * age + 3)).unwrap_or(today);
        crate::seed::proposed_case(conn, &branch, login, name, born, &hash)?;
    }
    for (code, _, _, _, branches) in UNITS {
        for (suffix, _) in *branches {
            let unit = db::org_units::find_by_code(conn, &format!("{code}-{suffix}"))?
                .ok_or(ApiError::NotFound("demo unit"))?;
            for _ in 0..MEMBERS_PER_BRANCH {
                let req = people.member(OrgUnitId(unit.id), today, "056");
                add(conn, req, None)?;
            }
        }
    }
    Ok(())
}

/// Seeds the demo when no user exists yet; returns whether it did.
pub fn seed_if_empty(conn: &mut AnyConnection) -> anyhow::Result<bool> {
    if db::users::count(conn)? > 0 {
        return Ok(false);
    }
    let hash = auth::hash_password(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!("{e}"))?;
    conn.transaction::<_, ApiError, _>(|conn| {
        let root = services::org_units::ensure_root(conn)?;
        let province = add_unit(conn, &root, OrgKind::Province, Sector::Other, "Tỉnh đoàn Khánh Hòa", "KH")?;
        for (code, kind, sector, name, branches) in UNITS {
            let unit = add_unit(conn, &province, *kind, *sector, name, code)?;
            for (suffix, branch) in *branches {
                add_unit(conn, &unit, OrgKind::Branch, *sector, branch, &format!("{code}-{suffix}"))?;
            }
        }
        let now = db::now();
        for (login, name, role, unit_code, title) in DEMO_USERS {
            let user = db::users::insert(
                conn,
                &db::users::NewUserRow {
                    login,
                    password_hash: &hash,
                    full_name: name,
                    date_of_birth: chrono::NaiveDate::from_ymd_opt(2000, 9, 2),
                    status: "active",
                    created_at: now,
                    updated_at: now,
                },
            )?;
            if let Some(role) = role {
                let unit = db::org_units::find_by_code(conn, unit_code)?.ok_or(ApiError::NotFound("demo unit"))?;
                db::role_assignments::insert(
                    conn,
                    &db::role_assignments::NewRoleAssignmentRow {
                        user_id: user.id,
                        org_unit_id: unit.id,
                        role: role.as_str(),
                        title: *title,
                        created_at: now,
                        created_by: None,
                    },
                )?;
            }
        }
        seed_members(conn)
    })
    .map_err(|e| anyhow::anyhow!("{e}"))
    .context("cannot seed the demo organisation")?;
    tracing::info!("demo organisation seeded");
    Ok(true)
}
