//! Queries on `meetings` and `meeting_attendance`, and who belonged to a unit on a day (read
//! from `member_placements`).

use super::members::LIVE_STATUSES;
use super::org_units::subtree_upper_bound;
use super::schema::{meeting_attendance, meetings, member_placements, members, org_units, unit_month_counts};
use super::AnyConnection;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{exists, not};
use diesel::prelude::*;

/// A row of `meetings`.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = meetings)]
pub struct MeetingRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_path: String,
    pub kind: String,
    pub status: String,
    pub starts_at: NaiveDateTime,
    pub title: String,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub agenda: Option<String>,
    pub minutes: Option<String>,
    pub chaired_by: Option<String>,
    pub guests: Option<String>,
    pub present: i64,
    pub excused: i64,
    pub absent: i64,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// A planned meeting.
#[derive(Debug, Insertable)]
#[diesel(table_name = meetings)]
pub struct NewMeetingRow<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub kind: &'a str,
    pub starts_at: NaiveDateTime,
    pub title: &'a str,
    pub place: Option<&'a str>,
    pub online_url: Option<&'a str>,
    pub agenda: Option<&'a str>,
    pub created_by: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What a change of a meeting writes (absent: kept).
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = meetings)]
pub struct MeetingChanges<'a> {
    pub status: Option<&'a str>,
    pub starts_at: Option<NaiveDateTime>,
    pub title: Option<&'a str>,
    pub place: Option<Option<&'a str>>,
    pub online_url: Option<Option<&'a str>>,
    pub agenda: Option<Option<&'a str>>,
    pub minutes: Option<Option<&'a str>>,
    pub chaired_by: Option<Option<&'a str>>,
    pub guests: Option<Option<&'a str>>,
    pub present: Option<i64>,
    pub excused: Option<i64>,
    pub absent: Option<i64>,
}

pub fn insert(conn: &mut AnyConnection, row: &NewMeetingRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(meetings::table).values(row).returning(meetings::id).get_result(conn)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> QueryResult<Option<(MeetingRow, String)>> {
    meetings::table
        .inner_join(org_units::table)
        .filter(meetings::id.eq(id))
        .select((MeetingRow::as_select(), org_units::name))
        .first(conn)
        .optional()
}

/// Applies a change if the stored version is `expected` (the version moves on); false when stale.
pub fn update(
    conn: &mut AnyConnection,
    id: i64,
    expected: i64,
    changes: &MeetingChanges<'_>,
    at: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(meetings::table.find(id).filter(meetings::version.eq(expected)))
        .set((changes, meetings::version.eq(expected + 1), meetings::updated_at.eq(at)))
        .execute(conn)?;
    Ok(n == 1)
}

/// A page of meetings: those of the subtree at `path` (or, with `line`, of the units on that
/// path: a member's branch and the units above it), from `from` until before `until`, in time
/// order (latest first with `latest_first`).
pub struct MeetingQuery<'a> {
    pub path: &'a str,
    pub line: bool,
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
    pub statuses: &'a [&'a str],
    pub latest_first: bool,
}

pub fn list(
    conn: &mut AnyConnection,
    q: &MeetingQuery<'_>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<(MeetingRow, String)>, i64)> {
    let query = || {
        let mut b = meetings::table.inner_join(org_units::table).into_boxed();
        b = if q.line {
            b.filter(meetings::unit_id.eq_any(super::org_units::path_ids(q.path)))
        } else {
            b.filter(meetings::unit_path.ge(q.path.to_owned()))
                .filter(meetings::unit_path.lt(subtree_upper_bound(q.path)))
        };
        if let Some(f) = q.from {
            b = b.filter(meetings::starts_at.ge(f));
        }
        if let Some(u) = q.until {
            b = b.filter(meetings::starts_at.lt(u));
        }
        if !q.statuses.is_empty() {
            b = b.filter(meetings::status.eq_any(q.statuses.to_vec()));
        }
        b
    };
    let total = query().count().get_result(conn)?;
    let mut rows = query().select((MeetingRow::as_select(), org_units::name));
    rows = if q.latest_first {
        rows.order((meetings::starts_at.desc(), meetings::id.desc()))
    } else {
        rows.order((meetings::starts_at.asc(), meetings::id.asc()))
    };
    Ok((rows.offset(offset).limit(limit).load(conn)?, total))
}

/// A member on a unit's sheet: id, name, sort key, branch name, account.
#[derive(Debug, Clone, Queryable)]
pub struct RosterRow {
    pub member_id: i64,
    pub full_name: String,
    pub sort_key: String,
    pub unit_name: String,
    pub user_id: Option<i64>,
}

/// The members placed in the subtree at `path` on `day` and not yet gone from the Union then
/// (live now, or their status changed after the day), in the member list's order.
pub fn roster(
    conn: &mut AnyConnection,
    path: &str,
    day: NaiveDate,
    only: Option<&[i64]>,
) -> QueryResult<Vec<RosterRow>> {
    let mut q = member_placements::table
        .inner_join(members::table)
        .inner_join(org_units::table)
        .filter(org_units::path.ge(path.to_owned()))
        .filter(org_units::path.lt(subtree_upper_bound(path)))
        .filter(member_placements::started_on.le(day))
        .filter(member_placements::ended_on.is_null().or(member_placements::ended_on.gt(day)))
        .filter(members::status.eq_any(LIVE_STATUSES).or(members::status_since.gt(day)))
        .into_boxed();
    if let Some(ids) = only {
        q = q.filter(members::id.eq_any(ids.to_vec()));
    }
    q.select((members::id, members::full_name, members::sort_key, org_units::name, members::user_id))
        .order((members::sort_key.asc(), members::id.asc()))
        .load(conn)
}

/// A line of a sheet as stored.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = meeting_attendance)]
pub struct AttendanceRow {
    pub meeting_id: i64,
    pub member_id: i64,
    pub status: String,
    pub reason: Option<String>,
    pub method: String,
    pub recorded_by: Option<i64>,
    pub recorded_at: NaiveDateTime,
}

pub fn attendance(conn: &mut AnyConnection, meeting_id: i64) -> QueryResult<Vec<AttendanceRow>> {
    meeting_attendance::table
        .filter(meeting_attendance::meeting_id.eq(meeting_id))
        .select(AttendanceRow::as_select())
        .load(conn)
}

/// What a sheet's line records.
pub struct Line<'a> {
    pub status: &'a str,
    pub reason: Option<&'a str>,
    /// `list` or `qr`.
    pub method: &'a str,
    pub recorded_by: Option<i64>,
    pub at: NaiveDateTime,
}

/// Writes a member's line (replacing what was there).
pub fn set_line(conn: &mut AnyConnection, meeting_id: i64, member_id: i64, l: &Line<'_>) -> QueryResult<()> {
    let Line { status, reason, method, recorded_by, at } = *l;
    let key = meeting_attendance::table
        .filter(meeting_attendance::meeting_id.eq(meeting_id))
        .filter(meeting_attendance::member_id.eq(member_id));
    let changed = diesel::update(key)
        .set((
            meeting_attendance::status.eq(status),
            meeting_attendance::reason.eq(reason),
            meeting_attendance::method.eq(method),
            meeting_attendance::recorded_by.eq(recorded_by),
            meeting_attendance::recorded_at.eq(at),
        ))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(meeting_attendance::table)
            .values((
                meeting_attendance::meeting_id.eq(meeting_id),
                meeting_attendance::member_id.eq(member_id),
                meeting_attendance::status.eq(status),
                meeting_attendance::reason.eq(reason),
                meeting_attendance::method.eq(method),
                meeting_attendance::recorded_by.eq(recorded_by),
                meeting_attendance::recorded_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A member's lines at held meetings from `from` until before `until`: (kind, time, status).
pub fn lines_of_member(
    conn: &mut AnyConnection,
    member_id: i64,
    from: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Vec<(String, NaiveDateTime, String)>> {
    meeting_attendance::table
        .inner_join(meetings::table)
        .filter(meeting_attendance::member_id.eq(member_id))
        .filter(meetings::status.eq("held"))
        .filter(meetings::starts_at.ge(from))
        .filter(meetings::starts_at.lt(until))
        .select((meetings::kind, meetings::starts_at, meeting_attendance::status))
        .order(meetings::starts_at.asc())
        .load(conn)
}

/// How many units of `kind` (not dissolved) the subtree at `path` holds, by their border mark.
pub fn count_units(conn: &mut AnyConnection, path: &str, kind: &str, border: bool) -> QueryResult<i64> {
    org_units::table
        .filter(org_units::path.ge(path.to_owned()))
        .filter(org_units::path.lt(subtree_upper_bound(path)))
        .filter(org_units::kind.eq(kind))
        .filter(org_units::border.eq(border))
        .filter(org_units::dissolved_on.is_null())
        .count()
        .get_result(conn)
}

/// A unit with nothing counted: (id, name, parent name, border).
pub type GapRow = (i64, String, Option<String>, bool);

/// Units of `kind` in the subtree at `path` (not dissolved, with the border mark `border` if
/// given) whose `counter` is zero in every month of `months`.
pub struct GapQuery<'a> {
    pub path: &'a str,
    pub kind: &'a str,
    pub border: Option<bool>,
    pub counter: &'a str,
    pub months: &'a [String],
}

/// A page of the units a `GapQuery` names, in tree order.
pub fn units_without(
    conn: &mut AnyConnection,
    g: &GapQuery<'_>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<GapRow>, i64)> {
    let GapQuery { path, kind, border, counter, months } = *g;
    let (parents, units) = diesel::alias!(org_units as parents, org_units as units);
    let query = || {
        let mut q = units
            .left_join(parents.on(parents.field(org_units::id).nullable().eq(units.field(org_units::parent_id))))
            .filter(units.field(org_units::path).ge(path.to_owned()))
            .filter(units.field(org_units::path).lt(subtree_upper_bound(path)))
            .filter(units.field(org_units::kind).eq(kind))
            .filter(units.field(org_units::dissolved_on).is_null())
            .filter(not(exists(
                unit_month_counts::table
                    .filter(unit_month_counts::unit_id.eq(units.field(org_units::id)))
                    .filter(unit_month_counts::counter.eq(counter.to_owned()))
                    .filter(unit_month_counts::month.eq_any(months.to_vec()))
                    .filter(unit_month_counts::n.gt(0)),
            )))
            .into_boxed();
        if let Some(b) = border {
            q = q.filter(units.field(org_units::border).eq(b));
        }
        q
    };
    let total = query().count().get_result(conn)?;
    let rows = query()
        .select((
            units.field(org_units::id),
            units.field(org_units::name),
            parents.field(org_units::name).nullable(),
            units.field(org_units::border),
        ))
        .order(units.field(org_units::path).asc())
        .offset(offset)
        .limit(limit)
        .load(conn)?;
    Ok((rows, total))
}

/// A merge of two records of one person: `from`'s lines become `to`'s, except at meetings where
/// `to` has a line of its own (that one stays).
pub fn move_lines(conn: &mut AnyConnection, from: i64, to: i64) -> QueryResult<()> {
    let theirs: Vec<i64> = meeting_attendance::table
        .filter(meeting_attendance::member_id.eq(to))
        .select(meeting_attendance::meeting_id)
        .load(conn)?;
    diesel::delete(
        meeting_attendance::table
            .filter(meeting_attendance::member_id.eq(from))
            .filter(meeting_attendance::meeting_id.eq_any(theirs)),
    )
    .execute(conn)?;
    diesel::update(meeting_attendance::table.filter(meeting_attendance::member_id.eq(from)))
        .set(meeting_attendance::member_id.eq(to))
        .execute(conn)?;
    Ok(())
}
