//! Queries on the annual ratings: `rating_periods`, `ratings`, `rating_exclusions`,
//! `rating_revisions`, and the placements a period's eligibility reads.

use super::org_units::subtree_upper_bound;
use super::schema::{
    class_enrollments, member_placements, members, org_units, rating_exclusions, rating_periods, rating_revisions,
    ratings,
};
use super::AnyConnection;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

/// A row of `rating_periods`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = rating_periods)]
pub struct PeriodRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub year: i32,
    pub period_kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub self_until: NaiveDate,
    pub branch_until: NaiveDate,
    pub confirm_until: NaiveDate,
    pub min_months: i32,
    pub rate_full_party: bool,
    pub quota_percent: i32,
    pub quota_enforced: bool,
    pub ratings: i64,
    pub confirmed: i64,
    pub opened_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// A new period.
#[derive(Debug, Insertable)]
#[diesel(table_name = rating_periods)]
pub struct NewPeriodRow<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub year: i32,
    pub period_kind: &'a str,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub self_until: NaiveDate,
    pub branch_until: NaiveDate,
    pub confirm_until: NaiveDate,
    pub min_months: i32,
    pub rate_full_party: bool,
    pub quota_percent: i32,
    pub quota_enforced: bool,
    pub opened_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert_period(conn: &mut AnyConnection, row: &NewPeriodRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(rating_periods::table).values(row).returning(rating_periods::id).get_result(conn)
}

pub fn find_period(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<PeriodRow>> {
    rating_periods::table.find(id).select(PeriodRow::as_select()).first(conn).optional()
}

pub fn period_of(conn: &mut AnyConnection, unit_id: i64, year: i32) -> QueryResult<Option<PeriodRow>> {
    rating_periods::table
        .filter(rating_periods::unit_id.eq(unit_id))
        .filter(rating_periods::year.eq(year))
        .select(PeriodRow::as_select())
        .first(conn)
        .optional()
}

/// The periods of the units on a path above (ids), of a year when given, latest year first.
pub fn periods_of_units(conn: &mut AnyConnection, units: &[i64], year: Option<i32>) -> QueryResult<Vec<PeriodRow>> {
    let mut q = rating_periods::table.filter(rating_periods::unit_id.eq_any(units)).into_boxed();
    if let Some(y) = year {
        q = q.filter(rating_periods::year.eq(y));
    }
    q.order((rating_periods::year.desc(), rating_periods::unit_path.asc())).select(PeriodRow::as_select()).load(conn)
}

/// The units' paths of a year's periods in the subtree at `path` past their confirmation
/// deadline with ratings not confirmed.
pub fn overdue_paths(conn: &mut AnyConnection, path: &str, year: i32, today: NaiveDate) -> QueryResult<Vec<String>> {
    rating_periods::table
        .filter(rating_periods::unit_path.ge(path.to_owned()))
        .filter(rating_periods::unit_path.lt(subtree_upper_bound(path)))
        .filter(rating_periods::year.eq(year))
        .filter(rating_periods::confirm_until.lt(today))
        .filter(rating_periods::confirmed.lt(rating_periods::ratings))
        .select(rating_periods::unit_path)
        .load(conn)
}

/// The periods of the subtree at `path` (of a year, when given), in tree order.
pub fn periods_in(conn: &mut AnyConnection, path: &str, year: Option<i32>) -> QueryResult<Vec<PeriodRow>> {
    let mut q = rating_periods::table
        .filter(rating_periods::unit_path.ge(path.to_owned()))
        .filter(rating_periods::unit_path.lt(subtree_upper_bound(path)))
        .into_boxed();
    if let Some(y) = year {
        q = q.filter(rating_periods::year.eq(y));
    }
    q.order((rating_periods::unit_path.asc(), rating_periods::year.desc())).select(PeriodRow::as_select()).load(conn)
}

/// Moves a period's own tallies (ratings created, confirmed).
pub fn add_to_period(conn: &mut AnyConnection, id: i64, ratings_delta: i64, confirmed_delta: i64) -> QueryResult<()> {
    diesel::update(rating_periods::table.find(id))
        .set((
            rating_periods::ratings.eq(rating_periods::ratings + ratings_delta),
            rating_periods::confirmed.eq(rating_periods::confirmed + confirmed_delta),
        ))
        .execute(conn)
        .map(drop)
}

/// A placement of a member in the subtree during a span, with what eligibility reads.
#[derive(Debug, Clone, Queryable)]
pub struct PlacementLine {
    pub member_id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub full_name: String,
    pub party_status: String,
    pub status: String,
}

/// Every placement in the subtree at `path` that overlaps `from..=to`, by member and start.
pub fn placements_in(
    conn: &mut AnyConnection,
    path: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> QueryResult<Vec<PlacementLine>> {
    member_placements::table
        .inner_join(org_units::table)
        .inner_join(members::table)
        .filter(org_units::path.ge(path.to_owned()))
        .filter(org_units::path.lt(subtree_upper_bound(path)))
        .filter(member_placements::started_on.le(to))
        .filter(member_placements::ended_on.is_null().or(member_placements::ended_on.ge(from)))
        .order((member_placements::member_id.asc(), member_placements::started_on.asc()))
        .select((
            member_placements::member_id,
            member_placements::unit_id,
            org_units::path,
            member_placements::started_on,
            member_placements::ended_on,
            members::full_name,
            members::party_status,
            members::status,
        ))
        .load(conn)
}

/// The members among `ids` already rated for `year` (by any unit).
pub fn rated_in_year(conn: &mut AnyConnection, ids: &[i64], year: i32) -> QueryResult<Vec<i64>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            ratings::table
                .filter(ratings::year.eq(year))
                .filter(ratings::member_id.eq_any(chunk))
                .select(ratings::member_id)
                .load::<i64>(conn)?,
        );
    }
    Ok(out)
}

/// A row of `ratings`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = ratings)]
pub struct RatingRow {
    pub id: i64,
    pub period_id: Option<i64>,
    pub member_id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub year: i32,
    pub state: String,
    pub months: i32,
    pub self_level: Option<String>,
    pub self_text: Option<String>,
    pub self_at: Option<NaiveDateTime>,
    pub proposed_level: Option<String>,
    pub proposal_comment: Option<String>,
    pub meeting_on: Option<NaiveDate>,
    pub proposed_by: Option<i64>,
    pub level: Option<String>,
    pub label: Option<String>,
    pub decision_no: Option<String>,
    pub decided_on: Option<NaiveDate>,
    pub decided_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// A new rating.
#[derive(Debug, Insertable)]
#[diesel(table_name = ratings)]
pub struct NewRatingRow<'a> {
    pub period_id: Option<i64>,
    pub member_id: i64,
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub year: i32,
    pub state: &'a str,
    pub months: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert_rating(conn: &mut AnyConnection, row: &NewRatingRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(ratings::table).values(row).returning(ratings::id).get_result(conn)
}

/// A rating with its member's name and account, and its branch's name.
#[derive(Debug, Clone)]
pub struct RatingListing {
    pub row: RatingRow,
    pub full_name: String,
    pub user_id: Option<i64>,
    pub unit_name: String,
}

type ListingTuple = (RatingRow, String, Option<i64>, String);

fn listing((row, full_name, user_id, unit_name): ListingTuple) -> RatingListing {
    RatingListing { row, full_name, user_id, unit_name }
}

pub fn find_rating(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<RatingListing>> {
    ratings::table
        .find(id)
        .inner_join(members::table)
        .inner_join(org_units::table.on(org_units::id.eq(ratings::unit_id)))
        .select((RatingRow::as_select(), members::full_name, members::user_id, org_units::name))
        .first::<ListingTuple>(conn)
        .optional()
        .map(|r| r.map(listing))
}

/// What a list of ratings is filtered by.
#[derive(Debug, Clone, Default)]
pub struct RatingFilter<'a> {
    pub period_id: Option<i64>,
    /// The subtree (with `year`).
    pub path: Option<&'a str>,
    pub year: Option<i32>,
    pub state: Option<&'a str>,
    /// Only those not confirmed.
    pub pending: bool,
    pub level: Option<&'a str>,
}

/// A page of ratings by the members' names, and how many match.
pub fn page(
    conn: &mut AnyConnection,
    f: &RatingFilter<'_>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<RatingListing>, i64)> {
    let query = || {
        let mut q = ratings::table
            .inner_join(members::table)
            .inner_join(org_units::table.on(org_units::id.eq(ratings::unit_id)))
            .into_boxed();
        if let Some(p) = f.period_id {
            q = q.filter(ratings::period_id.eq(p));
        }
        if let Some(path) = f.path {
            q = q
                .filter(ratings::unit_path.ge(path.to_owned()))
                .filter(ratings::unit_path.lt(subtree_upper_bound(path)));
        }
        if let Some(y) = f.year {
            q = q.filter(ratings::year.eq(y));
        }
        if let Some(s) = f.state {
            q = q.filter(ratings::state.eq(s.to_owned()));
        }
        if f.pending {
            q = q.filter(ratings::state.ne("confirmed"));
        }
        if let Some(l) = f.level {
            q = q.filter(ratings::level.eq(l.to_owned()));
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let rows = query()
        .order((members::sort_key.asc(), ratings::id.asc()))
        .offset(offset)
        .limit(limit)
        .select((RatingRow::as_select(), members::full_name, members::user_id, org_units::name))
        .load::<ListingTuple>(conn)?;
    Ok((rows.into_iter().map(listing).collect(), total))
}

/// A member's ratings, latest year first.
pub fn of_member(conn: &mut AnyConnection, member_id: i64) -> QueryResult<Vec<(RatingRow, String)>> {
    ratings::table
        .inner_join(org_units::table.on(org_units::id.eq(ratings::unit_id)))
        .filter(ratings::member_id.eq(member_id))
        .order(ratings::year.desc())
        .select((RatingRow::as_select(), org_units::name))
        .load(conn)
}

/// What a step writes (absent fields stay).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = ratings)]
pub struct RatingPatch<'a> {
    pub state: Option<&'a str>,
    pub self_level: Option<&'a str>,
    pub self_text: Option<Option<&'a str>>,
    pub self_at: Option<NaiveDateTime>,
    pub proposed_level: Option<&'a str>,
    pub proposal_comment: Option<Option<&'a str>>,
    pub meeting_on: Option<NaiveDate>,
    pub proposed_by: Option<i64>,
    pub level: Option<&'a str>,
    pub decision_no: Option<&'a str>,
    pub decided_on: Option<NaiveDate>,
    pub decided_by: Option<i64>,
}

/// A confirmed rating of an earlier year, as a member book or sheet recorded it (no period).
#[derive(Debug, Insertable)]
#[diesel(table_name = ratings)]
pub struct EarlierRatingRow<'a> {
    pub member_id: i64,
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub year: i32,
    pub state: &'a str,
    pub months: i32,
    pub level: &'a str,
    pub label: &'a str,
    pub decision_no: Option<&'a str>,
    pub decided_on: Option<NaiveDate>,
    pub decided_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert_earlier(conn: &mut AnyConnection, row: &EarlierRatingRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(ratings::table).values(row).returning(ratings::id).get_result(conn)
}

/// Writes a step if the rating is still at `expected`; false when stale.
pub fn step(
    conn: &mut AnyConnection,
    id: i64,
    expected: i64,
    patch: &RatingPatch<'_>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let target = ratings::table.find(id).filter(ratings::version.eq(expected));
    let n = diesel::update(target)
        .set((patch, ratings::version.eq(expected + 1), ratings::updated_at.eq(at)))
        .execute(conn)?;
    Ok(n == 1)
}

/// The confirmed levels of a period's list: (level, how many).
pub fn confirmed_levels(conn: &mut AnyConnection, period_id: i64) -> QueryResult<Vec<(Option<String>, i64)>> {
    ratings::table
        .filter(ratings::period_id.eq(period_id))
        .filter(ratings::state.eq("confirmed"))
        .group_by(ratings::level)
        .select((ratings::level, diesel::dsl::count_star()))
        .load(conn)
}

/// A new exclusion.
#[derive(Debug, Insertable)]
#[diesel(table_name = rating_exclusions)]
pub struct NewExclusionRow<'a> {
    pub period_id: i64,
    pub member_id: i64,
    pub year: i32,
    pub reason: &'a str,
    pub months: i32,
}

pub fn insert_exclusion(conn: &mut AnyConnection, row: &NewExclusionRow<'_>) -> QueryResult<usize> {
    diesel::insert_into(rating_exclusions::table).values(row).execute(conn)
}

/// An exclusion as listed: (member, name, reason, months, comment).
pub type ExclusionLine = (i64, String, String, i32, Option<String>);

/// A period's exclusions with the members' names.
pub fn exclusions_of(conn: &mut AnyConnection, period_id: i64) -> QueryResult<Vec<ExclusionLine>> {
    rating_exclusions::table
        .inner_join(members::table)
        .filter(rating_exclusions::period_id.eq(period_id))
        .order(members::sort_key.asc())
        .select((
            rating_exclusions::member_id,
            members::full_name,
            rating_exclusions::reason,
            rating_exclusions::months,
            rating_exclusions::comment,
        ))
        .load(conn)
}

/// Writes the unit's comment on a member it lists as not rated; false when it does not.
pub fn comment_exclusion(
    conn: &mut AnyConnection,
    period_id: i64,
    member_id: i64,
    comment: &str,
    by: i64,
) -> QueryResult<bool> {
    let n = diesel::update(rating_exclusions::table.find((period_id, member_id)))
        .set((rating_exclusions::comment.eq(comment), rating_exclusions::comment_by.eq(by)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Other units' comments on a member for a year: (unit name, months, comment).
pub fn comments_elsewhere(
    conn: &mut AnyConnection,
    member_id: i64,
    year: i32,
) -> QueryResult<Vec<(String, i32, Option<String>)>> {
    rating_exclusions::table
        .inner_join(rating_periods::table)
        .inner_join(org_units::table.on(org_units::id.eq(rating_periods::unit_id)))
        .filter(rating_exclusions::member_id.eq(member_id))
        .filter(rating_exclusions::year.eq(year))
        .filter(rating_exclusions::comment.is_not_null())
        .select((org_units::name, rating_exclusions::months, rating_exclusions::comment))
        .load(conn)
}

/// A new revision.
#[derive(Debug, Insertable, Queryable, Selectable)]
#[diesel(table_name = rating_revisions)]
pub struct RevisionRow {
    pub rating_id: i64,
    pub level_before: String,
    pub decision_no_before: Option<String>,
    pub level: String,
    pub reason: String,
    pub decision_no: String,
    pub decided_on: NaiveDate,
    pub revised_by: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert_revision(conn: &mut AnyConnection, row: &RevisionRow) -> QueryResult<usize> {
    diesel::insert_into(rating_revisions::table).values(row).execute(conn)
}

pub fn revisions_of(conn: &mut AnyConnection, rating_id: i64) -> QueryResult<Vec<RevisionRow>> {
    rating_revisions::table
        .filter(rating_revisions::rating_id.eq(rating_id))
        .order(rating_revisions::id.asc())
        .select(RevisionRow::as_select())
        .load(conn)
}

/// Classes a member passed that they enrolled in during `from..until`.
pub fn classes_passed(
    conn: &mut AnyConnection,
    member_id: i64,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<i64> {
    class_enrollments::table
        .filter(class_enrollments::member_id.eq(member_id))
        .filter(class_enrollments::result.eq("passed"))
        .filter(class_enrollments::created_at.ge(from))
        .filter(class_enrollments::created_at.lt(until))
        .count()
        .get_result(conn)
}

/// Deletes a rating and its revisions (a duplicate record's, at a merge).
pub fn delete_rating(conn: &mut AnyConnection, id: i64) -> QueryResult<()> {
    diesel::delete(rating_revisions::table.filter(rating_revisions::rating_id.eq(id))).execute(conn)?;
    diesel::delete(ratings::table.find(id)).execute(conn).map(drop)
}

/// Points ratings at another member record (a merge's kept record).
pub fn reassign(conn: &mut AnyConnection, ids: &[i64], to: i64) -> QueryResult<()> {
    diesel::update(ratings::table.filter(ratings::id.eq_any(ids)))
        .set(ratings::member_id.eq(to))
        .execute(conn)
        .map(drop)
}

/// A merge: the duplicate's exclusions go to the kept record, except in a period that lists the
/// kept record already (those are deleted).
pub fn move_exclusions(conn: &mut AnyConnection, from: i64, to: i64) -> QueryResult<()> {
    let kept: Vec<i64> = rating_exclusions::table
        .filter(rating_exclusions::member_id.eq(to))
        .select(rating_exclusions::period_id)
        .load(conn)?;
    diesel::delete(
        rating_exclusions::table
            .filter(rating_exclusions::member_id.eq(from))
            .filter(rating_exclusions::period_id.eq_any(&kept)),
    )
    .execute(conn)?;
    diesel::update(rating_exclusions::table.filter(rating_exclusions::member_id.eq(from)))
        .set(rating_exclusions::member_id.eq(to))
        .execute(conn)
        .map(drop)
}
