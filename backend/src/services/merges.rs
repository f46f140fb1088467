//! Merging duplicate records of one person (the same CCCD entered twice, or one youth entered by
//! two units). A cadre whose scope covers both records' common ancestor keeps one record: the
//! other's history (status changes, placements, transfers, positions) moves to it, empty fields
//! are filled from it, its account link moves over, and it is deleted with a snapshot kept in
//! `member_merges` and the audit trail.

use super::{audit, members};
use crate::auth::AuthUser;
use crate::db::{self, members::ProfileRow, merges::NewMergeRow, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use shared::api::members::{MemberStatus, MemberView};
use shared::ids::{MemberId, UserId};
use shared::roles::Capability;
use shared::ConflictCode;
use shared::FieldErrorCode;

/// The path of the deepest unit above (or at) both paths.
fn common_ancestor(a: &str, b: &str) -> String {
    let shared: Vec<&str> =
        a.split('/').zip(b.split('/')).take_while(|(x, y)| x == y).map(|(x, _)| x).filter(|s| !s.is_empty()).collect();
    format!("/{}/", shared.join("/"))
}

fn fill(profile: ProfileRow, other: ProfileRow) -> ProfileRow {
    ProfileRow {
        member_id: profile.member_id,
        ethnicity: profile.ethnicity.or(other.ethnicity),
        religion: profile.religion.or(other.religion),
        hometown: profile.hometown.or(other.hometown),
        permanent_address: profile.permanent_address.or(other.permanent_address),
        current_address: profile.current_address.or(other.current_address),
        education: profile.education.or(other.education),
        qualification: profile.qualification.or(other.qualification),
        political_theory: profile.political_theory.or(other.political_theory),
        occupation: profile.occupation.or(other.occupation),
    }
}

/// Merges `duplicate_id` into `id` (which must be at `expected_version`); returns the kept record.
pub fn merge(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: MemberId,
    duplicate_id: MemberId,
    expected_version: i64,
) -> Result<MemberView, ApiError> {
    db::write(conn, |conn| {
        let (keep, keep_profile, unit_name) = db::members::find(conn, id.0)?.ok_or(ApiError::NotFound("member"))?;
        let (dup, dup_profile, dup_unit) = db::members::find(conn, duplicate_id.0)?
            .ok_or_else(|| ApiError::field("duplicate_id", FieldErrorCode::NotFound))?;
        let readable = |path: &str| scope::require(user, Capability::ReadRecords, path).is_ok();
        if !readable(&keep.unit_path) {
            return Err(ApiError::NotFound("member"));
        }
        if !readable(&dup.unit_path) {
            return Err(ApiError::NotFound("member"));
        }
        let ancestor = common_ancestor(&keep.unit_path, &dup.unit_path);
        scope::require(user, Capability::ManageMembers, &ancestor)?;
        scope::not_about_self(user, keep.user_id.map(UserId))?;
        scope::not_about_self(user, dup.user_id.map(UserId))?;
        if keep.version != expected_version {
            return Err(ApiError::PreconditionFailed);
        }
        if keep.id == dup.id {
            return Err(ApiError::field("duplicate_id", FieldErrorCode::NotAllowed));
        }
        let both_full_ids =
            keep.national_id.as_ref().zip(dup.national_id.as_ref()).filter(|(a, b)| a.len() == 12 && b.len() == 12);
        if keep.date_of_birth != dup.date_of_birth
            || keep.gender != dup.gender
            || both_full_ids.is_some_and(|(a, b)| a != b)
        {
            return Err(ApiError::field("duplicate_id", FieldErrorCode::Mismatch));
        }
        if keep.user_id.is_some() && dup.user_id.is_some() {
            return Err(ApiError::conflict(ConflictCode::BothRecordsLinked));
        }
        let live = |s: &str| MemberStatus::parse(s).is_some_and(MemberStatus::is_live);
        if !live(&keep.status) && live(&dup.status) {
            return Err(ApiError::InvalidState(format!("{}: keep the live record", keep.status)));
        }
        if db::transfers::open_for_member(conn, dup.id)?.is_some()
            || db::transfers::open_for_member(conn, keep.id)?.is_some()
        {
            return Err(ApiError::conflict(ConflictCode::TransferUnderWay));
        }
        // Dues: a month both records paid would be paid twice by one person.
        if let Some(month) = db::dues::paid_by_both(conn, dup.id, keep.id)? {
            return Err(ApiError::Conflict(ConflictCode::DuesMonthPaid, Some(month)));
        }
        let before_keep = members::view(&keep, keep_profile.clone(), unit_name.clone())?;
        let before_dup = members::view(&dup, dup_profile.clone(), dup_unit)?;
        let snapshot = serde_json::to_string(&before_dup).map_err(|e| ApiError::Internal(e.into()))?;

        db::merges::move_history(conn, dup.id, keep.id)?;
        super::ratings::merge_records(conn, dup.id, keep.id)?;
        if live(&dup.status) {
            db::org_units::add_live_members(conn, &dup.unit_path, -1)?;
        }
        db::merges::finish(
            conn,
            &NewMergeRow {
                survivor_id: keep.id,
                duplicate_id: dup.id,
                snapshot: &snapshot,
                merged_by: Some(user.id.0),
                merged_at: db::now(),
            },
        )?;

        let national_id =
            keep.national_id.clone().filter(|n| n.len() == 12).or(dup.national_id.clone()).or(keep.national_id.clone());
        let phone = keep.phone.clone().or(dup.phone.clone());
        let party_none = keep.party_status == "none";
        let changes = db::members::MemberPatch {
            full_name: &keep.full_name,
            search_name: &keep.search_name,
            sort_key: &keep.sort_key,
            date_of_birth: keep.date_of_birth,
            gender: &keep.gender,
            national_id: national_id.as_deref(),
            phone: phone.as_deref(),
            email: keep.email.as_deref().or(dup.email.as_deref()),
            joined_on: keep.joined_on.min(dup.joined_on),
            card_number: keep.card_number.as_deref().or(dup.card_number.as_deref()),
            party_status: if party_none { &dup.party_status } else { &keep.party_status },
            party_joined_on: if party_none { dup.party_joined_on } else { keep.party_joined_on },
            incomplete: national_id.as_ref().is_none_or(|n| n.len() != 12) || phone.is_none(),
            dues_class: &keep.dues_class,
        };
        let profile = fill(
            keep_profile.unwrap_or(ProfileRow { member_id: keep.id, ..Default::default() }),
            dup_profile.unwrap_or_default(),
        );
        if !db::members::update_versioned(conn, keep.id, expected_version, &changes, &profile, db::now())? {
            return Err(ApiError::PreconditionFailed);
        }
        if let Some(account) = dup.user_id {
            db::members::link_user(conn, keep.id, account)?;
            let unit = db::org_units::find(conn, keep.unit_id)?.ok_or(ApiError::NotFound("org unit"))?;
            members::grant_member_role(conn, account, &unit, Some(user.id))?;
        }
        let (row, profile, name) = db::members::find(conn, keep.id)?.ok_or(ApiError::NotFound("member"))?;
        let after = members::view(&row, profile, name)?;
        let ancestor_unit = db::org_units::path_ids(&ancestor).last().copied();
        let unit = match ancestor_unit {
            Some(u) => db::org_units::find(conn, u)?,
            None => None,
        };
        audit::record(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: "member.merge",
                entity_type: "member",
                entity_id: keep.id,
                unit: unit.as_ref().map(audit::Unit::of),
                before: Some(&serde_json::json!({ "kept": before_keep, "merged": before_dup })),
                after: Some(&after),
            },
        )?;
        Ok(after)
    })
}

#[cfg(test)]
mod tests {
    use super::common_ancestor;

    #[test]
    fn the_common_ancestor_is_the_longest_shared_run_of_ids() {
        assert_eq!(common_ancestor("/1/5/23/", "/1/5/24/"), "/1/5/");
        assert_eq!(common_ancestor("/1/5/23/", "/1/50/2/"), "/1/");
        assert_eq!(common_ancestor("/1/5/", "/1/5/"), "/1/5/");
    }
}
