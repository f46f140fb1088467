//! The member registry: create and read member records, list them in a subtree with search
//! and filters. Cadres manage members of their subtree, leaders read theirs, a member reads
//! their own record.

use super::{audit, stored};
use crate::auth::AuthUser;
use crate::db::{
    self, members::MemberFilter, members::MemberRow, members::ProfileRow, org_units::OrgUnitRow, AnyConnection,
};
use crate::error::ApiError;
use crate::scope;
use chrono::{Datelike, NaiveDate};
use shared::api::dues::DuesClass;
use shared::api::member_transitions::{check_age, MemberAction, MemberTransitionView, ValidMemberTransition};
use shared::api::members::{
    MemberListQuery, MemberProfile, MemberStatus, MemberSummary, MemberView, PartyStatus, UpdateMemberRequest,
    ValidMember,
};
use shared::api::page::Paging;
use shared::api::transfers::{PlacementCause, PlacementView};
use shared::api::Page;
use shared::cccd::Gender;
use shared::ids::{MemberId, OrgUnitId, UserId};
use shared::org::OrgKind;
use shared::roles::Capability;
use shared::values::PhoneVn;
use shared::ConflictCode;
use shared::{text, FieldErrorCode};

fn gender_of(row: &MemberRow) -> Result<Gender, ApiError> {
    stored(Gender::parse(&row.gender), "members.gender", &row.gender)
}

fn status_of(row: &MemberRow) -> Result<MemberStatus, ApiError> {
    stored(MemberStatus::parse(&row.status), "members.status", &row.status)
}

fn profile_row(member_id: i64, p: MemberProfile) -> ProfileRow {
    ProfileRow {
        member_id,
        ethnicity: p.ethnicity,
        religion: p.religion,
        hometown: p.hometown,
        permanent_address: p.permanent_address,
        current_address: p.current_address,
        education: p.education,
        qualification: p.qualification,
        political_theory: p.political_theory,
        occupation: p.occupation,
    }
}

pub(super) fn view(row: &MemberRow, profile: Option<ProfileRow>, unit_name: String) -> Result<MemberView, ApiError> {
    let p = profile.unwrap_or_default();
    Ok(MemberView {
        id: MemberId(row.id),
        user_id: row.user_id.map(UserId),
        link_pending: row.user_id.is_none() && row.pending_user_id.is_some(),
        unit_id: OrgUnitId(row.unit_id),
        unit_name,
        full_name: row.full_name.clone(),
        date_of_birth: row.date_of_birth,
        gender: gender_of(row)?,
        national_id: row.national_id.clone(),
        phone: row.phone.clone(),
        email: row.email.clone(),
        joined_on: row.joined_on,
        card_number: row.card_number.clone(),
        party_status: stored(PartyStatus::parse(&row.party_status), "members.party_status", &row.party_status)?,
        party_joined_on: row.party_joined_on,
        dues_class: stored(DuesClass::parse(&row.dues_class), "members.dues_class", &row.dues_class)?,
        status: status_of(row)?,
        incomplete: row.incomplete,
        version: row.version,
        profile: MemberProfile {
            ethnicity: p.ethnicity,
            religion: p.religion,
            hometown: p.hometown,
            permanent_address: p.permanent_address,
            current_address: p.current_address,
            education: p.education,
            qualification: p.qualification,
            political_theory: p.political_theory,
            occupation: p.occupation,
        },
    })
}

fn summary(row: &MemberRow, unit_name: String) -> Result<MemberSummary, ApiError> {
    Ok(MemberSummary {
        id: MemberId(row.id),
        full_name: row.full_name.clone(),
        date_of_birth: row.date_of_birth,
        gender: gender_of(row)?,
        unit_id: OrgUnitId(row.unit_id),
        unit_name,
        phone: row.phone.clone(),
        card_number: row.card_number.clone(),
        status: status_of(row)?,
        incomplete: row.incomplete,
    })
}

/// Whether the caller may read records at `unit_path`.
fn may_read(user: &AuthUser, unit_path: &str) -> bool {
    scope::require(user, Capability::ReadRecords, unit_path).is_ok()
}

/// Refuses a CCCD held by another live record (409; where it is only in the caller's scope)
/// and a card number already issued (422).
fn check_unique(conn: &mut AnyConnection, user: &AuthUser, v: &ValidMember, this: Option<i64>) -> Result<(), ApiError> {
    if let Some(id) = &v.national_id {
        if let Some(existing) = db::members::live_with_national_id(conn, id.as_str())?.filter(|m| Some(m.id) != this) {
            return Err(if may_read(user, &existing.unit_path) {
                ApiError::Conflict(ConflictCode::NationalIdTaken, Some(format!("/api/v1/members/{}", existing.id)))
            } else {
                ApiError::conflict(ConflictCode::PersonIsMember)
            });
        }
    }
    if let Some(card) = &v.card_number {
        if db::members::card_taken(conn, card, this)? {
            return Err(ApiError::field("card_number", FieldErrorCode::Duplicate));
        }
    }
    Ok(())
}

/// Creates a member record in a branch of the caller's subtree. An account named by `login` is
/// not linked on the cadre's word: the record waits for its holder to confirm (`confirm_link`).
pub fn create(
    conn: &mut AnyConnection,
    user: &AuthUser,
    v: ValidMember,
    today: NaiveDate,
) -> Result<MemberView, ApiError> {
    create_with(conn, user, v, today, false)
}

/// Creates a member record linked at once to the account named by `login`, whose holder asked
/// for it (an admission: the applicant's own account).
pub fn create_linked(
    conn: &mut AnyConnection,
    user: &AuthUser,
    v: ValidMember,
    today: NaiveDate,
) -> Result<MemberView, ApiError> {
    create_with(conn, user, v, today, true)
}

fn create_with(
    conn: &mut AnyConnection,
    user: &AuthUser,
    v: ValidMember,
    today: NaiveDate,
    consented: bool,
) -> Result<MemberView, ApiError> {
    db::write(conn, |conn| {
        let unit = db::org_units::find(conn, v.unit_id.0)?
            .ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::NotFound))?;
        scope::require(user, Capability::ManageMembers, &unit.path)?;
        if unit.dissolved_on.is_some() {
            return Err(ApiError::field("unit_id", FieldErrorCode::Dissolved));
        }
        if OrgKind::parse(&unit.kind) != Some(OrgKind::Branch) {
            return Err(ApiError::field("unit_id", FieldErrorCode::NotAllowed));
        }
        check_unique(conn, user, &v, None)?;
        let account = match &v.login {
            None => None,
            Some(login) => {
                let account = db::users::find_by_login(conn, login.as_str())?
                    .ok_or_else(|| ApiError::field("login", FieldErrorCode::NotFound))?;
                if db::members::id_for_user(conn, account.id)?.is_some() {
                    return Err(ApiError::field("login", FieldErrorCode::Duplicate));
                }
                Some(account.id)
            }
        };
        if consented {
            return insert_record(conn, &unit, v, account, Some(user.id), today);
        }
        let created = insert_record(conn, &unit, v, None, Some(user.id), today)?;
        match account {
            Some(account) => {
                db::members::set_pending_user(conn, created.id.0, account)?;
                let (row, profile, unit_name) =
                    db::members::find(conn, created.id.0)?.ok_or(ApiError::NotFound("member"))?;
                view(&row, profile, unit_name)
            }
            None => Ok(created),
        }
    })
}

/// The account holder confirms that the record a cadre made names them: the record is linked to
/// their account, which gets the member role on its branch. Anyone else is told it does not exist.
pub fn confirm_link(conn: &mut AnyConnection, user: &AuthUser, id: MemberId) -> Result<MemberView, ApiError> {
    db::write(conn, |conn| {
        let (row, profile, unit_name) = db::members::find(conn, id.0)?.ok_or(ApiError::NotFound("member"))?;
        if row.pending_user_id != Some(user.id.0) || row.user_id.is_some() {
            return Err(ApiError::NotFound("member"));
        }
        if db::members::id_for_user(conn, user.id.0)?.is_some() {
            return Err(ApiError::conflict(ConflictCode::AccountIsMember));
        }
        let before = view(&row, profile, unit_name.clone())?;
        if db::members::confirm_link(conn, row.id, user.id.0)? == 0 {
            return Err(ApiError::PreconditionFailed);
        }
        if status_of(&row)?.is_live() {
            let unit = db::org_units::find(conn, row.unit_id)?.ok_or(ApiError::NotFound("org unit"))?;
            grant_member_role(conn, user.id.0, &unit, Some(user.id))?;
        }
        reread_and_audit(conn, user, &row, before, unit_name, "member.link_confirm")
    })
}

/// The machine keys of a name: folded for search, and for the Vietnamese sort.
pub struct NameKeys {
    pub search: String,
    pub sort: String,
}

impl NameKeys {
    /// The keys of a full name.
    pub fn of(full_name: &str) -> NameKeys {
        NameKeys { search: text::fold(full_name), sort: text::name_sort_key(full_name) }
    }
}

/// The stored columns of a validated record (what an edit may change, and a new record starts with).
pub fn columns<'a>(v: &'a ValidMember, keys: &'a NameKeys) -> db::members::MemberPatch<'a> {
    db::members::MemberPatch {
        full_name: v.full_name.as_str(),
        search_name: &keys.search,
        sort_key: &keys.sort,
        date_of_birth: v.date_of_birth,
        gender: v.gender.as_str(),
        national_id: v.national_id.as_ref().map(|n| n.as_str()),
        phone: v.phone.as_ref().map(|p| p.as_str()),
        email: v.email.as_ref().map(|e| e.as_str()),
        joined_on: v.joined_on,
        card_number: v.card_number.as_deref(),
        party_status: v.party_status.as_str(),
        party_joined_on: v.party_joined_on,
        incomplete: v.is_incomplete(),
        dues_class: v.dues_class.as_str(),
    }
}

/// Stores a validated record in `unit` (checks done by the caller): the member, its profile,
/// first placement and search words. The subtree's live counts are the caller's. Returns the new id.
pub fn store(
    conn: &mut AnyConnection,
    unit: &OrgUnitRow,
    v: ValidMember,
    account: Option<i64>,
    today: NaiveDate,
) -> Result<i64, ApiError> {
    let now = db::now();
    let keys = NameKeys::of(v.full_name.as_str());
    let id = db::members::insert(
        conn,
        &db::members::NewMemberRow {
            user_id: account,
            pending_user_id: None,
            unit_id: unit.id,
            unit_path: &unit.path,
            status: MemberStatus::Active.as_str(),
            status_since: today,
            created_at: now,
            updated_at: now,
            fields: columns(&v, &keys),
        },
    )?;
    db::members::insert_profile(conn, &profile_row(id, v.profile))?;
    db::transfers::insert_placement(
        conn,
        &db::transfers::NewPlacementRow {
            member_id: id,
            unit_id: unit.id,
            started_on: v.joined_on,
            cause: PlacementCause::Joined.as_str(),
            transfer_id: None,
        },
    )?;
    db::members::add_words(conn, id, &keys.search)?;
    Ok(id)
}

/// Stores a validated record in `unit` (checks done by the caller), links `account` and gives it
/// the member role there, and audits the creation. Used by the API and the demo.
pub fn insert_record(
    conn: &mut AnyConnection,
    unit: &OrgUnitRow,
    v: ValidMember,
    account: Option<i64>,
    actor: Option<UserId>,
    today: NaiveDate,
) -> Result<MemberView, ApiError> {
    let id = store(conn, unit, v, account, today)?;
    db::org_units::add_live_members(conn, &unit.path, 1)?;
    if let Some(account) = account {
        grant_member_role(conn, account, unit, actor)?;
    }
    let (row, profile, unit_name) = db::members::find(conn, id)?.ok_or(ApiError::NotFound("member"))?;
    let created = view(&row, profile, unit_name)?;
    audit::record::<(), _>(
        conn,
        audit::Change {
            actor,
            action: "member.create",
            entity_type: "member",
            entity_id: id,
            unit: Some(audit::Unit::of(unit)),
            before: None,
            after: Some(&created),
        },
    )?;
    Ok(created)
}

/// Gives an account the member role on its branch, unless it holds it already.
pub fn grant_member_role(
    conn: &mut AnyConnection,
    account: i64,
    unit: &OrgUnitRow,
    actor: Option<UserId>,
) -> Result<(), ApiError> {
    let holds = db::role_assignments::for_user(conn, account)?
        .iter()
        .any(|l| l.row.role == "member" && l.row.org_unit_id == unit.id);
    if !holds {
        db::role_assignments::insert(
            conn,
            &db::role_assignments::NewRoleAssignmentRow {
                user_id: account,
                org_unit_id: unit.id,
                role: "member",
                title: None,
                created_at: db::now(),
                created_by: actor.map(|a| a.0),
            },
        )?;
    }
    Ok(())
}

/// One member record: for cadres and leaders of its subtree, and for the member themself.
/// Anyone else is told it does not exist.
pub fn get(conn: &mut AnyConnection, user: &AuthUser, id: MemberId) -> Result<MemberView, ApiError> {
    let (row, profile, unit_name) = db::members::find(conn, id.0)?.ok_or(ApiError::NotFound("member"))?;
    // The account a cadre named reads the record before confirming it is theirs.
    let own = row.user_id == Some(user.id.0) || (row.user_id.is_none() && row.pending_user_id == Some(user.id.0));
    if !own && !may_read(user, &row.unit_path) {
        return Err(ApiError::NotFound("member"));
    }
    view(&row, profile, unit_name)
}

/// The statuses of members who belong to a branch now (what lists show by default).
const LIVE: [&str; 2] = db::members::LIVE_STATUSES;

/// Above this many live members a subtree is paged by walking the name-order index.
const WALK_ABOVE: i64 = 2_000;

fn parse_filter(q: &MemberListQuery, path: String, today: NaiveDate) -> Result<MemberFilter, ApiError> {
    let mut f = MemberFilter { path, ..Default::default() };
    if let Some(raw) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
        if compact.chars().all(|c| c.is_ascii_digit() || c == '+') {
            f.number = Some(PhoneVn::parse(&compact).map(|p| p.as_str().to_owned()).unwrap_or(compact));
        } else if raw.chars().any(char::is_alphabetic) && raw.chars().any(|c| c.is_ascii_digit()) {
            f.number = Some(raw.to_ascii_uppercase());
        } else {
            f.name = Some(text::fold(raw));
        }
    }
    f.statuses = match q.status.as_deref().map(str::trim) {
        None | Some("") => LIVE.to_vec(),
        Some("all") => vec![],
        Some(list) => list
            .split(',')
            .map(|s| MemberStatus::parse(s).map(MemberStatus::as_str))
            .collect::<Option<_>>()
            .ok_or_else(|| ApiError::field("status", FieldErrorCode::UnknownValue))?,
    };
    if let Some(g) = q.gender.as_deref().filter(|s| !s.is_empty()) {
        f.gender =
            Some(Gender::parse(g).ok_or_else(|| ApiError::field("gender", FieldErrorCode::UnknownValue))?.as_str());
    }
    if let Some(p) = q.party_status.as_deref().filter(|s| !s.is_empty()) {
        f.party_status = Some(
            PartyStatus::parse(p)
                .ok_or_else(|| ApiError::field("party_status", FieldErrorCode::UnknownValue))?
                .as_str(),
        );
    }
    f.incomplete = q.incomplete;
    // Age a today ⇔ born in (today − (a+1) years, today − a years].
    let years_ago = |n: u32| {
        today.with_year(today.year() - n as i32).or_else(|| today.pred_opt()?.with_year(today.year() - n as i32))
    };
    if let Some(min) = q.age_min {
        f.born_to = years_ago(min);
    }
    if let Some(age) = q.turning {
        let year =
            today.year() - i32::try_from(age).map_err(|_| ApiError::field("turning", FieldErrorCode::OutOfRange))?;
        f.born_from = NaiveDate::from_ymd_opt(year, 1, 1);
        f.born_to = NaiveDate::from_ymd_opt(year, 12, 31);
    }
    if let Some(max) = q.age_max {
        f.born_from = years_ago(max + 1).and_then(|d| d.succ_opt());
    }
    Ok(f)
}

/// A page of the members of a unit's subtree; cadres and leaders of that subtree.
pub fn list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    q: &MemberListQuery,
    paging: Paging,
    today: NaiveDate,
) -> Result<Page<MemberSummary>, ApiError> {
    let unit_id = q.unit_id.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))?;
    let unit = db::org_units::find(conn, unit_id.0)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ReadRecords, &unit.path)?;
    let mut filter = parse_filter(q, unit.path, today)?;
    let unfiltered = filter.name.is_none()
        && filter.number.is_none()
        && filter.gender.is_none()
        && filter.party_status.is_none()
        && filter.incomplete.is_none()
        && filter.born_from.is_none()
        && filter.born_to.is_none()
        && filter.statuses == LIVE;
    // Name and number searches are narrower through their own conditions; a walk would test every row.
    filter.walk_in_name_order = unit.live_members > WALK_ABOVE && filter.name.is_none() && filter.number.is_none();
    let known_total = unfiltered.then_some(unit.live_members);
    let (rows, total) = db::members::list(conn, &filter, paging.offset(), paging.per_page, known_total)?;
    let items = rows.into_iter().map(|(r, name)| summary(&r, name)).collect::<Result<_, _>>()?;
    Ok(paging.wrap(items, total))
}

/// Edits a member record if `expected_version` is current. Cadres of the subtree edit any field;
/// a member edits only their own contact details.
pub fn update(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: MemberId,
    expected_version: i64,
    patch: &UpdateMemberRequest,
    today: NaiveDate,
) -> Result<MemberView, ApiError> {
    db::write(conn, |conn| {
        let (row, profile, unit_name) = db::members::find(conn, id.0)?.ok_or(ApiError::NotFound("member"))?;
        let is_self = row.user_id == Some(user.id.0);
        let is_cadre = scope::require(user, Capability::ManageMembers, &row.unit_path).is_ok();
        // On their own record a cadre is the member: contact details only (`scope::not_about_self`).
        if is_self && is_cadre && !patch.is_contact_only() {
            return Err(ApiError::OwnCase);
        }
        let allowed = is_cadre || (is_self && patch.is_contact_only());
        if !allowed {
            return Err(if is_self || may_read(user, &row.unit_path) {
                ApiError::Forbidden
            } else {
                ApiError::NotFound("member")
            });
        }
        if row.version != expected_version {
            return Err(ApiError::PreconditionFailed);
        }
        let before = view(&row, profile, unit_name.clone())?;
        let v = patch.merged(&before).validate(today).map_err(ApiError::Validation)?;
        check_unique(conn, user, &v, Some(row.id))?;
        let keys = NameKeys::of(v.full_name.as_str());
        let changes = columns(&v, &keys);
        let profile = profile_row(row.id, v.profile.clone());
        if !db::members::update_versioned(conn, row.id, expected_version, &changes, &profile, db::now())? {
            return Err(ApiError::PreconditionFailed);
        }
        db::members::set_words(conn, row.id, &keys.search)?;
        reread_and_audit(conn, user, &row, before, unit_name, "member.update")
    })
}

/// Reads a changed record back and audits the change from `before` to it.
fn reread_and_audit(
    conn: &mut AnyConnection,
    user: &AuthUser,
    row: &MemberRow,
    before: MemberView,
    unit_name: String,
    action: &str,
) -> Result<MemberView, ApiError> {
    let (new_row, new_profile, _) = db::members::find(conn, row.id)?.ok_or(ApiError::NotFound("member"))?;
    let after = view(&new_row, new_profile, unit_name)?;
    let unit = db::org_units::find(conn, row.unit_id)?;
    audit::record(
        conn,
        audit::Change {
            actor: Some(user.id),
            action,
            entity_type: "member",
            entity_id: row.id,
            unit: unit.as_ref().map(audit::Unit::of),
            before: Some(&before),
            after: Some(&after),
        },
    )?;
    Ok(after)
}

/// Applies a lifecycle action (with its date and reason) if `expected_version` is current; keeps
/// the subtree's live-member counts and the member's history.
pub fn transition(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: MemberId,
    expected_version: i64,
    t: ValidMemberTransition,
) -> Result<MemberView, ApiError> {
    db::write(conn, |conn| {
        let (row, profile, unit_name) = db::members::find(conn, id.0)?.ok_or(ApiError::NotFound("member"))?;
        // The member sees their own record (403); anyone else outside the subtree learns nothing (404).
        if row.user_id != Some(user.id.0) && !may_read(user, &row.unit_path) {
            return Err(ApiError::NotFound("member"));
        }
        scope::require(user, Capability::ManageMembers, &row.unit_path)?;
        scope::not_about_self(user, row.user_id.map(UserId))?;
        if row.version != expected_version {
            return Err(ApiError::PreconditionFailed);
        }
        let from = status_of(&row)?;
        let to = t.action.target(from).ok_or_else(|| ApiError::InvalidState(from.as_str().to_owned()))?;
        check_age(t.action, row.date_of_birth, t.on).map_err(|code| ApiError::field("on", code))?;
        if t.on < row.joined_on {
            return Err(ApiError::field("on", FieldErrorCode::OutOfRange));
        }
        if to.is_live() && !from.is_live() {
            if let Some(nid) = &row.national_id {
                if db::members::live_with_national_id(conn, nid)?.is_some_and(|m| m.id != row.id) {
                    return Err(ApiError::conflict(ConflictCode::NationalIdTaken));
                }
            }
        }
        let before = view(&row, profile, unit_name.clone())?;
        let recorded = db::members::NewTransitionRow {
            member_id: row.id,
            action: t.action.as_str(),
            from_status: from.as_str(),
            to_status: to.as_str(),
            on_date: t.on,
            reason: t.reason.as_deref(),
            actor_user_id: Some(user.id.0),
            recorded_at: db::now(),
        };
        if !db::members::transition(conn, expected_version, &recorded)? {
            return Err(ApiError::PreconditionFailed);
        }
        match (from.is_live(), to.is_live()) {
            (true, false) => db::org_units::add_live_members(conn, &row.unit_path, -1)?,
            (false, true) => db::org_units::add_live_members(conn, &row.unit_path, 1)?,
            _ => 0,
        };
        reread_and_audit(conn, user, &row, before, unit_name, &format!("member.{}", t.action.as_str()))
    })
}

/// A member's history of status changes: for whoever may read the record.
pub fn transitions(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: MemberId,
) -> Result<Vec<MemberTransitionView>, ApiError> {
    get(conn, user, id)?;
    db::members::transitions(conn, id.0)?
        .into_iter()
        .map(|r| {
            let status = |s: &str| stored(MemberStatus::parse(s), "member_transitions.status", s);
            Ok(MemberTransitionView {
                member_id: MemberId(r.member_id),
                action: stored(MemberAction::parse(&r.action), "member_transitions.action", &r.action)?,
                from_status: status(&r.from_status)?,
                to_status: status(&r.to_status)?,
                on: r.on_date,
                reason: r.reason,
                actor_user_id: r.actor_user_id.map(UserId),
                recorded_at: r.recorded_at.and_utc(),
            })
        })
        .collect()
}

/// The branches a member belonged to, oldest first: for whoever may read the record.
pub fn placements(conn: &mut AnyConnection, user: &AuthUser, id: MemberId) -> Result<Vec<PlacementView>, ApiError> {
    get(conn, user, id)?;
    db::transfers::placements(conn, id.0)?
        .into_iter()
        .map(|p| {
            Ok(PlacementView {
                unit_id: OrgUnitId(p.unit_id),
                unit_name: p.unit_name,
                unit_dissolved_on: p.unit_dissolved_on,
                started_on: p.started_on,
                ended_on: p.ended_on,
                cause: stored(PlacementCause::parse(&p.cause), "member_placements.cause", &p.cause)?,
                transfer_id: p.transfer_id,
            })
        })
        .collect()
}

/// The most rows one export returns; a larger selection must be narrowed by filters.
pub const EXPORT_MAX: i64 = 100_000;

/// The file formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

/// The filtered members of a unit's subtree as a spreadsheet (`.xlsx`, or `.csv` in UTF-8 with
/// a byte-order mark so spreadsheet programs read the diacritics), Vietnamese headers, in list order.
pub fn export(
    conn: &mut AnyConnection,
    user: &AuthUser,
    q: &MemberListQuery,
    today: NaiveDate,
    format: ExportFormat,
) -> Result<Vec<u8>, ApiError> {
    let unit_id = q.unit_id.ok_or_else(|| ApiError::field("unit_id", FieldErrorCode::Required))?;
    let unit = db::org_units::find(conn, unit_id.0)?.ok_or(ApiError::NotFound("org unit"))?;
    scope::require(user, Capability::ReadRecords, &unit.path)?;
    let mut filter = parse_filter(q, unit.path.clone(), today)?;
    filter.walk_in_name_order = false;
    let (_, total) = db::members::list(conn, &filter, 0, 1, None)?;
    if total > EXPORT_MAX {
        return Err(ApiError::Conflict(ConflictCode::ExportTooLarge, Some(format!("{total} > {EXPORT_MAX}"))));
    }
    const HEADERS: [&str; 10] = [
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số CCCD",
        "Số điện thoại",
        "Email",
        "Chi đoàn",
        "Ngày vào Đoàn",
        "Số thẻ đoàn viên",
        "Tình trạng",
    ];
    let lang = shared::Lang::Vi;
    let date = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    let mut rows = Vec::with_capacity(total as usize);
    let mut offset = 0;
    while offset < total {
        let (batch, _) = db::members::list(conn, &filter, offset, 5_000, Some(total))?;
        if batch.is_empty() {
            break;
        }
        offset += batch.len() as i64;
        for (row, unit_name) in batch {
            rows.push(vec![
                row.full_name.clone(),
                date(row.date_of_birth),
                gender_of(&row)?.label(lang).to_owned(),
                row.national_id.clone().unwrap_or_default(),
                row.phone.clone().unwrap_or_default(),
                row.email.clone().unwrap_or_default(),
                unit_name,
                date(row.joined_on),
                row.card_number.clone().unwrap_or_default(),
                status_of(&row)?.label(lang).to_owned(),
            ]);
        }
    }
    match format {
        ExportFormat::Csv => crate::sheets::write_csv(&HEADERS, rows),
        ExportFormat::Xlsx => crate::sheets::write_xlsx("Đoàn viên", &HEADERS, rows),
    }
}
