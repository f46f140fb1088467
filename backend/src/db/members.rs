//! Queries on `members` and `member_profiles`.

use super::schema::{member_profiles, member_transitions, member_words, members, org_units};
use super::AnyConnection;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// The statuses of a live member (counted, registered, rated).
pub const LIVE_STATUSES: [&str; 2] = ["active", "extended"];

/// A row of `members`.
#[derive(Debug, Clone, Queryable, Selectable, Identifiable)]
#[diesel(table_name = members)]
pub struct MemberRow {
    pub id: i64,
    pub user_id: Option<i64>,
    pub unit_id: i64,
    pub unit_path: String,
    pub full_name: String,
    pub search_name: String,
    pub sort_key: String,
    pub date_of_birth: NaiveDate,
    pub gender: String,
    pub national_id: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub joined_on: NaiveDate,
    pub card_number: Option<String>,
    pub party_status: String,
    pub party_joined_on: Option<NaiveDate>,
    pub status: String,
    pub status_since: NaiveDate,
    pub incomplete: bool,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The account a cadre named, until its holder confirms the link.
    pub pending_user_id: Option<i64>,
    /// `unsalaried` or `salaried` (which monthly dues apply).
    pub dues_class: String,
}

/// A new member record: where it lives and its status, plus the fields an edit may change.
#[derive(Debug, Insertable)]
#[diesel(table_name = members)]
pub struct NewMemberRow<'a> {
    pub user_id: Option<i64>,
    pub pending_user_id: Option<i64>,
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub status: &'a str,
    pub status_since: NaiveDate,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    #[diesel(embed)]
    pub fields: MemberPatch<'a>,
}

/// The fields an edit may change (and a new record starts with).
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = members, treat_none_as_null = true)]
pub struct MemberPatch<'a> {
    pub full_name: &'a str,
    pub search_name: &'a str,
    pub sort_key: &'a str,
    pub date_of_birth: NaiveDate,
    pub gender: &'a str,
    pub national_id: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub email: Option<&'a str>,
    pub joined_on: NaiveDate,
    pub card_number: Option<&'a str>,
    pub party_status: &'a str,
    pub party_joined_on: Option<NaiveDate>,
    pub incomplete: bool,
    pub dues_class: &'a str,
}

/// A member's background.
#[derive(Debug, Clone, Default, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = member_profiles, primary_key(member_id), treat_none_as_null = true)]
pub struct ProfileRow {
    pub member_id: i64,
    pub ethnicity: Option<String>,
    pub religion: Option<String>,
    pub hometown: Option<String>,
    pub permanent_address: Option<String>,
    pub current_address: Option<String>,
    pub education: Option<String>,
    pub qualification: Option<String>,
    pub political_theory: Option<String>,
    pub occupation: Option<String>,
}

/// What a member list may be narrowed to; `path` (a unit's subtree) always applies.
#[derive(Debug, Clone, Default)]
pub struct MemberFilter {
    pub path: String,
    /// A folded name search: matches names having it at the start of one of their words.
    pub name: Option<String>,
    /// An exact CCCD/CMND, phone or card number.
    pub number: Option<String>,
    pub statuses: Vec<&'static str>,
    pub gender: Option<&'static str>,
    pub party_status: Option<&'static str>,
    pub incomplete: Option<bool>,
    /// Born on or after (youngest age bound) and on or before (oldest).
    pub born_from: Option<NaiveDate>,
    pub born_to: Option<NaiveDate>,
    /// Page a large subtree by walking the name-order index and skipping other units' members,
    /// instead of collecting the subtree and sorting it.
    pub walk_in_name_order: bool,
}

pub fn insert(conn: &mut AnyConnection, row: &NewMemberRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(members::table).values(row).returning(members::id).get_result(conn)
}

pub fn insert_profile(conn: &mut AnyConnection, row: &ProfileRow) -> QueryResult<usize> {
    diesel::insert_into(member_profiles::table).values(row).execute(conn)
}

/// A member with their profile and the name of their branch.
pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<(MemberRow, Option<ProfileRow>, String)>> {
    let Some((member, unit_name)) = members::table
        .inner_join(org_units::table)
        .filter(members::id.eq(id))
        .select((MemberRow::as_select(), org_units::name))
        .first::<(MemberRow, String)>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let profile = member_profiles::table.find(id).select(ProfileRow::as_select()).first(conn).optional()?;
    Ok(Some((member, profile, unit_name)))
}

/// The live record holding a national id, if any.
pub fn live_with_national_id(conn: &mut AnyConnection, national_id: &str) -> QueryResult<Option<MemberRow>> {
    members::table
        .filter(members::national_id.eq(national_id))
        .filter(members::status.eq_any(LIVE_STATUSES))
        .select(MemberRow::as_select())
        .first(conn)
        .optional()
}

/// Which of `national_ids` a live record holds.
pub fn live_national_ids_among(conn: &mut AnyConnection, national_ids: &[&str]) -> QueryResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in national_ids.chunks(500) {
        found.extend(
            members::table
                .filter(members::national_id.eq_any(chunk))
                .filter(members::status.eq_any(LIVE_STATUSES))
                .select(members::national_id.assume_not_null())
                .load::<String>(conn)?,
        );
    }
    Ok(found)
}

/// Whether a live record in the subtree at `path` has this folded name and date of birth.
pub fn live_namesake(conn: &mut AnyConnection, path: &str, search_name: &str, born: NaiveDate) -> QueryResult<bool> {
    members::table
        .filter(members::unit_path.ge(path))
        .filter(members::unit_path.lt(super::org_units::subtree_upper_bound(path)))
        .filter(members::search_name.eq(search_name))
        .filter(members::date_of_birth.eq(born))
        .filter(members::status.eq_any(LIVE_STATUSES))
        .count()
        .get_result::<i64>(conn)
        .map(|n| n > 0)
}

/// A live member with this phone or card number, with their branch's name.
pub fn live_by_phone_or_card(
    conn: &mut AnyConnection,
    phone: Option<&str>,
    card: Option<&str>,
) -> QueryResult<Option<(MemberRow, String)>> {
    // A value no stored phone or card has stands in for the one not asked.
    let by =
        members::card_number.eq(card.unwrap_or("~").to_owned()).or(members::phone.eq(phone.unwrap_or("~").to_owned()));
    members::table
        .inner_join(org_units::table)
        .filter(by)
        .filter(members::status.eq_any(LIVE_STATUSES))
        .select((MemberRow::as_select(), org_units::name))
        .first(conn)
        .optional()
}

/// Which of `cards` are already issued.
pub fn cards_among(conn: &mut AnyConnection, cards: &[&str]) -> QueryResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in cards.chunks(500) {
        found.extend(
            members::table
                .filter(members::card_number.eq_any(chunk))
                .select(members::card_number.assume_not_null())
                .load::<String>(conn)?,
        );
    }
    Ok(found)
}

/// The member record linked to an account.
pub fn id_for_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Option<i64>> {
    members::table.filter(members::user_id.eq(user_id)).select(members::id).first(conn).optional()
}

/// The live record linked to this account, if any.
pub fn live_of_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Option<MemberRow>> {
    members::table
        .filter(members::user_id.eq(user_id))
        .filter(members::status.eq_any(LIVE_STATUSES))
        .select(MemberRow::as_select())
        .first(conn)
        .optional()
}

/// The live record waiting for this account's confirmation of the link, if any.
pub fn pending_for_user(conn: &mut AnyConnection, user_id: i64) -> QueryResult<Option<i64>> {
    members::table
        .filter(members::pending_user_id.eq(user_id))
        .filter(members::user_id.is_null())
        .select(members::id)
        .first(conn)
        .optional()
}

/// Names the account a record waits to be linked to.
pub fn set_pending_user(conn: &mut AnyConnection, id: i64, user_id: i64) -> QueryResult<usize> {
    diesel::update(members::table.find(id)).set(members::pending_user_id.eq(Some(user_id))).execute(conn)
}

/// Links the account waiting on a record to it (the holder confirmed; a version change).
pub fn confirm_link(conn: &mut AnyConnection, id: i64, user_id: i64) -> QueryResult<usize> {
    diesel::update(members::table.find(id))
        .filter(members::pending_user_id.eq(user_id))
        .filter(members::user_id.is_null())
        .set((
            members::user_id.eq(Some(user_id)),
            members::pending_user_id.eq(None::<i64>),
            members::version.eq(members::version + 1),
        ))
        .execute(conn)
}

/// Links an account to a record (a version change).
pub fn link_user(conn: &mut AnyConnection, id: i64, user_id: i64) -> QueryResult<usize> {
    diesel::update(members::table.find(id))
        .set((members::user_id.eq(user_id), members::version.eq(members::version + 1)))
        .execute(conn)
}

pub fn card_taken(conn: &mut AnyConnection, card: &str, except: Option<i64>) -> QueryResult<bool> {
    let mut q = members::table.filter(members::card_number.eq(card)).into_boxed();
    if let Some(id) = except {
        q = q.filter(members::id.ne(id));
    }
    q.count().get_result::<i64>(conn).map(|n| n > 0)
}

/// Applies an edit if the stored version is `expected_version`; false when stale.
pub fn update_versioned(
    conn: &mut AnyConnection,
    id: i64,
    expected_version: i64,
    changes: &MemberPatch<'_>,
    profile: &ProfileRow,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(members::table.find(id).filter(members::version.eq(expected_version)))
        .set((changes, members::version.eq(expected_version + 1), members::updated_at.eq(at)))
        .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    diesel::update(member_profiles::table.find(id)).set(profile).execute(conn)?;
    Ok(true)
}

/// Moves a member to the branch `unit_id` at `unit_path` (a version change); false when stale.
pub fn move_to(
    conn: &mut AnyConnection,
    id: i64,
    expected_version: i64,
    unit_id: i64,
    unit_path: &str,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(members::table.find(id).filter(members::version.eq(expected_version)))
        .set((
            members::unit_id.eq(unit_id),
            members::unit_path.eq(unit_path),
            members::version.eq(expected_version + 1),
            members::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(changed == 1)
}

/// The live members whose branch is `unit_id`.
pub fn live_ids_in_unit(conn: &mut AnyConnection, unit_id: i64) -> QueryResult<Vec<i64>> {
    members::table
        .filter(members::unit_id.eq(unit_id))
        .filter(members::status.eq_any(LIVE_STATUSES))
        .select(members::id)
        .load(conn)
}

/// Moves the members `ids` to the branch `unit_id` at `unit_path` (a version change for each).
pub fn move_many(
    conn: &mut AnyConnection,
    ids: &[i64],
    unit_id: i64,
    unit_path: &str,
    at: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(members::table.filter(members::id.eq_any(ids)))
        .set((
            members::unit_id.eq(unit_id),
            members::unit_path.eq(unit_path),
            members::version.eq(members::version + 1),
            members::updated_at.eq(at),
        ))
        .execute(conn)
}

fn filtered(f: &MemberFilter) -> members::BoxedQuery<'static, super::MultiBackend> {
    let upper = super::org_units::subtree_upper_bound(&f.path);
    let mut q = if f.walk_in_name_order {
        // `unit_path || ''` keeps both engines off the unit_path index, so the ORDER BY uses members_sort_idx.
        members::table
            .filter(members::unit_path.concat("").ge(f.path.clone()))
            .filter(members::unit_path.concat("").lt(upper))
            .into_boxed()
    } else {
        members::table.filter(members::unit_path.ge(f.path.clone())).filter(members::unit_path.lt(upper)).into_boxed()
    };
    if let Some(name) = &f.name {
        // The name's tails from each word on are indexed, so "van duc" and "duc" both find
        // "nguyen van duc" through one prefix range of the index.
        let having = member_words::table
            .filter(member_words::word.ge(name.clone()))
            .filter(member_words::word.lt(format!("{name}~")))
            .select(member_words::member_id);
        q = q.filter(members::id.eq_any(having));
    }
    if let Some(n) = &f.number {
        q = q.filter(
            members::national_id.eq(n.clone()).or(members::phone.eq(n.clone())).or(members::card_number.eq(n.clone())),
        );
    }
    if !f.statuses.is_empty() {
        q = q.filter(members::status.eq_any(f.statuses.clone()));
    }
    if let Some(g) = f.gender {
        q = q.filter(members::gender.eq(g));
    }
    if let Some(p) = f.party_status {
        q = q.filter(members::party_status.eq(p));
    }
    if let Some(i) = f.incomplete {
        q = q.filter(members::incomplete.eq(i));
    }
    if let Some(d) = f.born_from {
        q = q.filter(members::date_of_birth.ge(d));
    }
    if let Some(d) = f.born_to {
        q = q.filter(members::date_of_birth.le(d));
    }
    q
}

/// A page of members in a subtree, sorted the Vietnamese way, with their branch names.
/// `known_total` spares the count when the caller has it (an unfiltered list of a unit).
pub fn list(
    conn: &mut AnyConnection,
    f: &MemberFilter,
    offset: i64,
    limit: i64,
    known_total: Option<i64>,
) -> QueryResult<(Vec<(MemberRow, String)>, i64)> {
    let total = match known_total {
        Some(t) => t,
        None => filtered(f).count().get_result(conn)?,
    };
    let rows: Vec<MemberRow> = filtered(f)
        .order((members::sort_key.asc(), members::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(MemberRow::as_select())
        .load(conn)?;
    let unit_ids: Vec<i64> = rows.iter().map(|r| r.unit_id).collect();
    let names: std::collections::HashMap<i64, String> = org_units::table
        .filter(org_units::id.eq_any(unit_ids))
        .select((org_units::id, org_units::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let rows = rows
        .into_iter()
        .map(|r| {
            let name = names.get(&r.unit_id).cloned().unwrap_or_default();
            (r, name)
        })
        .collect();
    Ok((rows, total))
}

/// The tails of a folded name from each word on: "nguyen van duc", "van duc", "duc".
pub fn name_tails(search_name: &str) -> Vec<String> {
    let words: Vec<&str> = search_name.split(' ').filter(|w| !w.is_empty()).collect();
    let mut tails: Vec<String> = (0..words.len()).map(|i| words[i..].join(" ")).collect();
    tails.sort_unstable();
    tails.dedup();
    tails
}

/// Replaces the indexed name tails of a member.
pub fn set_words(conn: &mut AnyConnection, member_id: i64, search_name: &str) -> QueryResult<()> {
    diesel::delete(member_words::table.filter(member_words::member_id.eq(member_id))).execute(conn)?;
    add_words(conn, member_id, search_name)
}

/// Indexes the name tails of a new member.
pub fn add_words(conn: &mut AnyConnection, member_id: i64, search_name: &str) -> QueryResult<()> {
    // The multi-backend connection cannot batch rows: one statement per word.
    for word in name_tails(search_name) {
        diesel::insert_into(member_words::table)
            .values((member_words::word.eq(word), member_words::member_id.eq(member_id)))
            .execute(conn)?;
    }
    Ok(())
}

/// Indexes the words of every member that has none (after the migration that added them); returns how many.
pub fn rebuild_words(conn: &mut AnyConnection) -> QueryResult<usize> {
    let missing: Vec<(i64, String)> = members::table
        .filter(diesel::dsl::not(diesel::dsl::exists(
            member_words::table.filter(member_words::member_id.eq(members::id)),
        )))
        .select((members::id, members::search_name))
        .load(conn)?;
    conn.transaction(|conn| {
        for (id, name) in &missing {
            set_words(conn, *id, name)?;
        }
        Ok(missing.len())
    })
}

/// A recorded status change.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = member_transitions)]
pub struct TransitionRow {
    pub id: i64,
    pub member_id: i64,
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    pub on_date: NaiveDate,
    pub reason: Option<String>,
    pub actor_user_id: Option<i64>,
    pub recorded_at: NaiveDateTime,
}

/// A status change to record.
#[derive(Debug, Insertable)]
#[diesel(table_name = member_transitions)]
pub struct NewTransitionRow<'a> {
    pub member_id: i64,
    pub action: &'a str,
    pub from_status: &'a str,
    pub to_status: &'a str,
    pub on_date: NaiveDate,
    pub reason: Option<&'a str>,
    pub actor_user_id: Option<i64>,
    pub recorded_at: NaiveDateTime,
}

/// Moves a member to `status` if the stored version is `expected_version` and records why; false when stale.
pub fn transition(conn: &mut AnyConnection, expected_version: i64, row: &NewTransitionRow<'_>) -> QueryResult<bool> {
    let changed = diesel::update(members::table.find(row.member_id).filter(members::version.eq(expected_version)))
        .set((
            members::status.eq(row.to_status),
            members::status_since.eq(row.on_date),
            members::version.eq(expected_version + 1),
            members::updated_at.eq(row.recorded_at),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Ok(false);
    }
    diesel::insert_into(member_transitions::table).values(row).execute(conn)?;
    Ok(true)
}

/// A member's recorded status changes, oldest first.
pub fn transitions(conn: &mut AnyConnection, member_id: i64) -> QueryResult<Vec<TransitionRow>> {
    member_transitions::table
        .filter(member_transitions::member_id.eq(member_id))
        .order(member_transitions::id.asc())
        .select(TransitionRow::as_select())
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_indexed_by_its_tails_from_each_word() {
        assert_eq!(name_tails("nguyen van duc"), ["duc", "nguyen van duc", "van duc"]);
        assert_eq!(name_tails("duc duc"), ["duc", "duc duc"]);
        assert!(name_tails("").is_empty());
    }
}
