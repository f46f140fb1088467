//! A member's rating through its steps: the member's self-assessment, the branch's proposal
//! after its meeting, the grassroots unit's confirmation under a decision (the quota checked
//! over its list), and a new decision revising a confirmed rating (the old one kept). Nobody
//! takes a step about themselves beyond the self-assessment (`scope::not_about_self`), also a
//! cadre of the member's own branch. Confirmations keep the leaders' counters (per unit and
//! year, `unit_month_counts` under the year's key) in their own transaction.

use super::rating_periods::{self as periods, Standing};
use super::{audit, stored};
use crate::auth::AuthUser;
use crate::db::ratings::{PeriodRow, RatingFilter, RatingListing, RatingPatch, RevisionRow};
use crate::db::{self, AnyConnection};
use crate::error::ApiError;
use crate::scope;
use chrono::NaiveDate;
use shared::api::batch::BatchOutcome;
use shared::api::page::Paging;
use shared::api::ratings::{
    CommentElsewhere, ConfirmationOutcome, Decision, MemberRatingYear, QuotaCheck, RatingAction, RatingEvidence,
    RatingLevel, RatingRevision, RatingState, RatingView, ValidCase, ValidRatingQuery, ValidRatingTransition,
    VersionedId,
};
use shared::api::Page;
use shared::ids::{MemberId, OrgUnitId, UserId};
use shared::roles::Capability;
use shared::{ConflictCode, FieldError, FieldErrorCode, Lang};

/// Counters (per unit, under the year's key): ratings created, confirmed, and confirmed by level.
pub const RATINGS: &str = "rating:created";
pub const CONFIRMED: &str = "rating:confirmed";
pub(crate) const RATING_STATE_OPEN: &str = "open";

/// The counter of confirmed ratings at a level.
pub fn level_counter(level: RatingLevel) -> String {
    format!("rating:level:{}", level.as_str())
}

fn state_of(row: &db::ratings::RatingRow) -> Result<RatingState, ApiError> {
    stored(RatingState::parse(&row.state), "ratings.state", &row.state)
}

fn level_of(raw: Option<&str>, column: &str) -> Result<Option<RatingLevel>, ApiError> {
    raw.map(|l| stored(RatingLevel::parse(l), column, l)).transpose()
}

fn manages(user: &AuthUser, path: &str) -> bool {
    scope::require(user, Capability::ManageMembers, path).is_ok()
}

/// A rating and its period.
pub(crate) struct Case {
    pub listing: RatingListing,
    pub period: Option<PeriodRow>,
}

impl Case {
    fn subject(&self) -> Option<UserId> {
        self.listing.user_id.map(UserId)
    }

    /// The path of the unit that confirms: the period's grassroots unit.
    fn confirming_path(&self) -> Option<&str> {
        self.period.as_ref().map(|p| p.unit_path.as_str())
    }
}

/// The rating if the caller may read it: the member, or those who read the records of the
/// branch it was opened in (else 404).
pub(crate) fn readable(conn: &mut AnyConnection, user: &AuthUser, id: i64) -> Result<Case, ApiError> {
    let listing = db::ratings::find_rating(conn, id)?.ok_or(ApiError::NotFound("rating"))?;
    let own = listing.user_id == Some(user.id.0);
    if !own && scope::require(user, Capability::ReadRecords, &listing.row.unit_path).is_err() {
        return Err(ApiError::NotFound("rating"));
    }
    let period = match listing.row.period_id {
        Some(p) => db::ratings::find_period(conn, p)?,
        None => None,
    };
    Ok(Case { listing, period })
}

/// The steps the caller may take now.
fn allowed(user: &AuthUser, case: &Case, state: RatingState) -> Vec<RatingAction> {
    let own = scope::is_about_self(user, case.subject());
    let confirms = case.confirming_path().is_some_and(|p| manages(user, p));
    RatingAction::ALL
        .iter()
        .copied()
        .filter(|a| a.allowed_from(state))
        .filter(|a| match a {
            RatingAction::SelfAssess => own,
            RatingAction::Propose => !own && case.period.is_some() && manages(user, &case.listing.row.unit_path),
            RatingAction::Confirm | RatingAction::Revise => !own && confirms,
        })
        .collect()
}

/// What a confirming cadre weighs: the programme's result, participation and classes of the period.
fn evidence(conn: &mut AnyConnection, case: &Case) -> Result<Option<RatingEvidence>, ApiError> {
    let Some(p) = &case.period else { return Ok(None) };
    let row = &case.listing.row;
    let start = p.starts_on.and_hms_opt(0, 0, 0).unwrap_or_default();
    let end = p.ends_on.succ_opt().unwrap_or(p.ends_on).and_hms_opt(0, 0, 0).unwrap_or_default();
    let lines = db::meetings::lines_of_member(conn, row.member_id, start, end)?;
    let kind = shared::api::programmes::PeriodKind::parse(&p.period_kind)
        .unwrap_or(shared::api::programmes::PeriodKind::Calendar);
    let tally = super::meetings::tally(MemberId(row.member_id), p.year, kind, p.starts_on, p.ends_on, &lines);
    let programme = db::programmes::programme_result(conn, row.member_id, p.year)?;
    let classes_passed = db::ratings::classes_passed(conn, row.member_id, start, end)?;
    let asked = level_of(row.proposed_level.as_deref().or(row.self_level.as_deref()), "ratings.proposed_level")?;
    let mut evidence = RatingEvidence {
        programme_result: programme.map(|r| r.as_str().to_owned()),
        participation_rate: tally.rate,
        meetings_held: tally.held,
        meetings_present: tally.present,
        classes_passed,
        excellent_unsupported: false,
    };
    evidence.excellent_unsupported = asked == Some(RatingLevel::Excellent) && !evidence.backs_excellent();
    Ok(Some(evidence))
}

fn view(conn: &mut AnyConnection, user: &AuthUser, case: Case) -> Result<RatingView, ApiError> {
    let state = state_of(&case.listing.row)?;
    let allowed_actions = allowed(user, &case, state);
    let evidence = evidence(conn, &case)?;
    let row = &case.listing.row;
    let comments_elsewhere = db::ratings::comments_elsewhere(conn, row.member_id, row.year)?
        .into_iter()
        .filter_map(|(unit_name, months, comment)| {
            comment.map(|comment| CommentElsewhere { unit_name, months, comment })
        })
        .collect();
    let revisions = db::ratings::revisions_of(conn, row.id)?
        .into_iter()
        .map(|r| {
            Ok(RatingRevision {
                level_before: stored(
                    RatingLevel::parse(&r.level_before),
                    "rating_revisions.level_before",
                    &r.level_before,
                )?,
                decision_no_before: r.decision_no_before,
                level: stored(RatingLevel::parse(&r.level), "rating_revisions.level", &r.level)?,
                reason: r.reason,
                decision_no: r.decision_no,
                decided_on: r.decided_on,
                revised_at: r.created_at,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    let level = level_of(row.level.as_deref(), "ratings.level")?;
    let label = row.label.clone().or_else(|| level.map(|l| l.label_in(row.year, Lang::Vi).to_owned()));
    let (row, full_name, unit_name) = (case.listing.row, case.listing.full_name, case.listing.unit_name);
    Ok(RatingView {
        id: row.id,
        period_id: row.period_id,
        member_id: MemberId(row.member_id),
        full_name,
        unit_id: OrgUnitId(row.unit_id),
        unit_name,
        year: row.year,
        state,
        self_level: level_of(row.self_level.as_deref(), "ratings.self_level")?,
        self_text: row.self_text,
        proposed_level: level_of(row.proposed_level.as_deref(), "ratings.proposed_level")?,
        proposal_comment: row.proposal_comment,
        meeting_on: row.meeting_on,
        level,
        label,
        decision_no: row.decision_no,
        decided_on: row.decided_on,
        months: row.months,
        evidence,
        comments_elsewhere,
        revisions,
        allowed_actions,
        version: row.version,
    })
}

/// A rating as read (the member, or those who read the branch's records).
pub fn get(conn: &mut AnyConnection, user: &AuthUser, id: i64) -> Result<RatingView, ApiError> {
    let case = readable(conn, user, id)?;
    view(conn, user, case)
}

/// One step, with `If-Match`.
pub fn transition(
    conn: &mut AnyConnection,
    user: &AuthUser,
    id: i64,
    expected: i64,
    t: &ValidRatingTransition,
    today: NaiveDate,
) -> Result<RatingView, ApiError> {
    db::write(conn, |conn| {
        let case = readable(conn, user, id)?;
        check_quota(conn, &case, t, 1)?;
        apply(conn, user, &case, expected, t, today)
    })?;
    get(conn, user, id)
}

/// Who takes the step, then the version, then where the rating stands.
fn check_step(
    user: &AuthUser,
    case: &Case,
    expected: i64,
    t: &ValidRatingTransition,
    today: NaiveDate,
) -> Result<RatingState, ApiError> {
    let action = t.action();
    let row = &case.listing.row;
    match action {
        RatingAction::SelfAssess if !scope::is_about_self(user, case.subject()) => return Err(ApiError::Forbidden),
        RatingAction::SelfAssess => {}
        RatingAction::Propose => {
            if !manages(user, &row.unit_path) {
                return Err(ApiError::Forbidden);
            }
            scope::not_about_self(user, case.subject())?;
        }
        RatingAction::Confirm | RatingAction::Revise => {
            if !case.confirming_path().is_some_and(|p| manages(user, p)) {
                return Err(ApiError::Forbidden);
            }
            scope::not_about_self(user, case.subject())?;
        }
    }
    if row.version != expected {
        return Err(ApiError::PreconditionFailed);
    }
    let state = state_of(row)?;
    if !action.allowed_from(state) {
        return Err(ApiError::conflict(match state {
            RatingState::Confirmed => ConflictCode::RatingConfirmed,
            _ => ConflictCode::RatingStepNotOpen,
        }));
    }
    let period = case.period.as_ref().ok_or(ApiError::conflict(ConflictCode::RatingStepNotOpen))?;
    if action == RatingAction::Propose && state == RatingState::Open && today <= period.self_until {
        return Err(ApiError::Conflict(ConflictCode::NotSelfAssessed, Some(period.self_until.to_string())));
    }
    if let Some((field, day)) = t.dated() {
        if day > today {
            return Err(ApiError::field(field, FieldErrorCode::InFuture));
        }
    }
    Ok(state)
}

/// Refuses (422 `level` `over_quota`, with the numbers) a confirmation of `adding` more
/// proposals that would put the period's list over its quota, where the unit refuses.
fn check_quota(conn: &mut AnyConnection, case: &Case, t: &ValidRatingTransition, adding: i64) -> Result<(), ApiError> {
    let (Some(p), ValidRatingTransition::Confirm(_)) = (&case.period, t) else { return Ok(()) };
    if !p.quota_enforced {
        return Ok(());
    }
    let proposed = level_of(case.listing.row.proposed_level.as_deref(), "ratings.proposed_level")?;
    let quota = quota_after(conn, p, &[proposed.unwrap_or(RatingLevel::Fulfilled)].repeat(adding as usize))?;
    refuse_over(&quota)
}

fn refuse_over(quota: &QuotaCheck) -> Result<(), ApiError> {
    match quota.exceeded() {
        true => Err(ApiError::Validation(vec![FieldError::with_context(
            "level",
            FieldErrorCode::OverQuota,
            Lang::Vi,
            &quota.context(),
        )])),
        false => Ok(()),
    }
}

/// The quota over the period's confirmed list with `more` levels added.
fn quota_after(conn: &mut AnyConnection, p: &PeriodRow, more: &[RatingLevel]) -> Result<QuotaCheck, ApiError> {
    let mut levels: Vec<(RatingLevel, i64)> = db::ratings::confirmed_levels(conn, p.id)?
        .into_iter()
        .filter_map(|(l, n)| l.as_deref().and_then(RatingLevel::parse).map(|l| (l, n)))
        .collect();
    levels.extend(more.iter().map(|l| (*l, 1)));
    let each = levels.into_iter().flat_map(|(l, n)| std::iter::repeat_n(l, usize::try_from(n).unwrap_or(0)));
    Ok(QuotaCheck::of_levels(each, p.quota_percent))
}

/// Checks and writes one step (inside the caller's transaction); the new version.
fn apply(
    conn: &mut AnyConnection,
    user: &AuthUser,
    case: &Case,
    expected: i64,
    t: &ValidRatingTransition,
    today: NaiveDate,
) -> Result<i64, ApiError> {
    let state = check_step(user, case, expected, t, today)?;
    let row = &case.listing.row;
    let now = db::now();
    let year = row.year.to_string();
    let line = db::unit_counts::along(&row.unit_path, 1);
    let (patch, after) = match t {
        ValidRatingTransition::SelfAssess { level, text } => (
            RatingPatch {
                state: Some(RatingState::SelfAssessed.as_str()),
                self_level: Some(level.as_str()),
                self_text: Some(text.as_deref()),
                self_at: Some(now),
                ..Default::default()
            },
            serde_json::json!({ "self_level": level.as_str() }),
        ),
        ValidRatingTransition::Propose { level, comment, meeting_on } => (
            RatingPatch {
                state: Some(RatingState::Proposed.as_str()),
                proposed_level: Some(level.as_str()),
                proposal_comment: Some(comment.as_deref()),
                meeting_on: Some(*meeting_on),
                proposed_by: Some(user.id.0),
                ..Default::default()
            },
            serde_json::json!({ "proposed_level": level.as_str(), "meeting_on": meeting_on, "before": row.proposed_level }),
        ),
        ValidRatingTransition::Confirm(Decision { decision_no, decided_on }) => {
            let level = level_of(row.proposed_level.as_deref(), "ratings.proposed_level")?
                .ok_or(ApiError::conflict(ConflictCode::RatingStepNotOpen))?;
            db::unit_counts::add(conn, &year, CONFIRMED, &line)?;
            db::unit_counts::add(conn, &year, &level_counter(level), &line)?;
            if let Some(p) = &case.period {
                db::ratings::add_to_period(conn, p.id, 0, 1)?;
            }
            let patch = RatingPatch {
                state: Some(RatingState::Confirmed.as_str()),
                level: Some(level.as_str()),
                decision_no: Some(decision_no),
                decided_on: Some(*decided_on),
                decided_by: Some(user.id.0),
                ..Default::default()
            };
            (
                patch,
                serde_json::json!({ "level": level.as_str(), "decision_no": decision_no, "decided_on": decided_on }),
            )
        }
        ValidRatingTransition::Revise { level, reason, decision } => {
            let before = level_of(row.level.as_deref(), "ratings.level")?
                .ok_or(ApiError::conflict(ConflictCode::RatingStepNotOpen))?;
            db::ratings::insert_revision(
                conn,
                &RevisionRow {
                    rating_id: row.id,
                    level_before: before.as_str().to_owned(),
                    decision_no_before: row.decision_no.clone(),
                    level: level.as_str().to_owned(),
                    reason: reason.clone(),
                    decision_no: decision.decision_no.clone(),
                    decided_on: decision.decided_on,
                    revised_by: Some(user.id.0),
                    created_at: now,
                },
            )?;
            db::unit_counts::add(conn, &year, &level_counter(before), &db::unit_counts::along(&row.unit_path, -1))?;
            db::unit_counts::add(conn, &year, &level_counter(*level), &line)?;
            let patch = RatingPatch {
                level: Some(level.as_str()),
                decision_no: Some(&decision.decision_no),
                decided_on: Some(decision.decided_on),
                decided_by: Some(user.id.0),
                ..Default::default()
            };
            let after =
                serde_json::json!({ "level": level.as_str(), "reason": reason, "decision_no": decision.decision_no });
            (patch, after)
        }
    };
    let _ = state;
    if !db::ratings::step(conn, row.id, expected, &patch, now)? {
        return Err(ApiError::PreconditionFailed);
    }
    let before = serde_json::json!({ "state": row.state, "level": row.level });
    audit::record(
        conn,
        audit::Change {
            actor: Some(user.id),
            action: &format!("rating.{}", t.action().as_str()),
            entity_type: "rating",
            entity_id: row.id,
            unit: Some(audit::Unit { id: row.unit_id, path: &row.unit_path }),
            before: Some(&before),
            after: Some(&after),
        },
    )?;
    Ok(expected + 1)
}

fn outcome(id: i64, result: Result<i64, ApiError>) -> Result<BatchOutcome, ApiError> {
    Ok(match result {
        Ok(v) => BatchOutcome { id, version: Some(v), problem: None },
        Err(ApiError::Internal(err)) => return Err(ApiError::Internal(err)),
        Err(err) => BatchOutcome { id, version: None, problem: Some(err.problem(Lang::Vi)) },
    })
}

/// A case of the period's list (else 404).
fn case_of(conn: &mut AnyConnection, user: &AuthUser, period: i64, id: i64) -> Result<Case, ApiError> {
    let case = readable(conn, user, id)?;
    match case.listing.row.period_id == Some(period) {
        true => Ok(case),
        false => Err(ApiError::NotFound("rating")),
    }
}

/// The branch's list after its meeting, under one decision: each case checked and written on its
/// own (a savepoint each, in one transaction); one refused does not stop the others.
pub fn propose_list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    period: i64,
    cases: &[ValidCase],
    today: NaiveDate,
) -> Result<Vec<BatchOutcome>, ApiError> {
    db::write(conn, |conn| {
        periods::readable(conn, user, period)?;
        cases
            .iter()
            .map(|c| {
                let done = db::write(conn, |conn| {
                    let case = case_of(conn, user, period, c.id)?;
                    apply(conn, user, &case, c.version, &c.transition, today)
                });
                outcome(c.id, done)
            })
            .collect()
    })
}

/// The grassroots unit's decision over a list: refused whole (422 with the numbers) where the
/// list would go over a quota the unit enforces; otherwise each case written on its own, and
/// the quota over the confirmed list reported (a warning where the unit does not refuse).
pub fn confirm_list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    period: i64,
    decision: &Decision,
    items: &[VersionedId],
    today: NaiveDate,
) -> Result<ConfirmationOutcome, ApiError> {
    db::write(conn, |conn| {
        let p = periods::readable(conn, user, period)?;
        scope::require(user, Capability::ManageMembers, &p.unit_path)?;
        let mut adding = Vec::new();
        for item in items {
            if let Ok(case) = case_of(conn, user, period, item.id) {
                if case.listing.row.state == RatingState::Proposed.as_str() {
                    adding.extend(level_of(case.listing.row.proposed_level.as_deref(), "ratings.proposed_level")?);
                }
            }
        }
        if p.quota_enforced {
            refuse_over(&quota_after(conn, &p, &adding)?)?;
        }
        let confirm = ValidRatingTransition::Confirm(decision.clone());
        let outcomes = items
            .iter()
            .map(|item| {
                let done = db::write(conn, |conn| {
                    let case = case_of(conn, user, period, item.id)?;
                    apply(conn, user, &case, item.version, &confirm, today)
                });
                outcome(item.id, done)
            })
            .collect::<Result<Vec<_>, ApiError>>()?;
        let quota = quota_after(conn, &p, &[])?;
        Ok(ConfirmationOutcome { outcomes, quota_exceeded: quota.exceeded(), quota })
    })
}

/// Adds a member to the period's list (one placed in its subtree after it opened, say): 409
/// `member_not_rated` with the reason where the member is not rated here.
pub fn add_member(
    conn: &mut AnyConnection,
    user: &AuthUser,
    period: i64,
    member: MemberId,
) -> Result<RatingView, ApiError> {
    let id = db::write(conn, |conn| {
        let p = periods::readable(conn, user, period)?;
        scope::require(user, Capability::ManageMembers, &p.unit_path)?;
        let m = db::members::find(conn, member.0)?.ok_or(ApiError::field("member_id", FieldErrorCode::NotFound))?.0;
        scope::not_about_self(user, m.user_id.map(UserId))?;
        let standing = periods::standing_of(conn, &p, member.0)?;
        let (unit_id, unit_path, months) = match standing {
            Some(Standing::Rated { unit_id, unit_path, months }) => (unit_id, unit_path, months),
            Some(Standing::Excluded { reason, months }) => {
                let why = format!("{} ({months})", reason.as_str());
                return Err(ApiError::Conflict(ConflictCode::MemberNotRated, Some(why)));
            }
            None => return Err(ApiError::Conflict(ConflictCode::MemberNotRated, Some("not_in_unit".into()))),
        };
        let id = periods::insert_rating(conn, p.id, p.year, member.0, (unit_id, &unit_path), months)?;
        db::ratings::add_to_period(conn, p.id, 1, 0)?;
        db::unit_counts::add(conn, &p.year.to_string(), RATINGS, &db::unit_counts::along(&unit_path, 1))?;
        audit::record::<(), _>(
            conn,
            audit::Change {
                actor: Some(user.id),
                action: "rating.add",
                entity_type: "rating",
                entity_id: id,
                unit: Some(audit::Unit { id: unit_id, path: &unit_path }),
                before: None,
                after: Some(&serde_json::json!({ "member_id": member.0, "months": months })),
            },
        )?;
        Ok(id)
    })?;
    get(conn, user, id)
}

/// A page of ratings: a period's (for those who read it), or a unit's subtree's of a year.
pub fn list(
    conn: &mut AnyConnection,
    user: &AuthUser,
    q: &ValidRatingQuery,
    pending: bool,
    paging: Paging,
) -> Result<Page<RatingView>, ApiError> {
    let path = match (q.period_id, q.unit_id) {
        (_, Some(unit)) => {
            let unit = db::org_units::find(conn, unit.0)?.ok_or(ApiError::NotFound("org unit"))?;
            scope::require(user, Capability::ReadRecords, &unit.path).map_err(|_| ApiError::NotFound("org unit"))?;
            Some(unit.path)
        }
        (Some(p), None) => {
            let p = periods::readable(conn, user, p)?;
            let path = user
                .grants
                .iter()
                .filter(|g| scope::require(user, Capability::ReadRecords, &g.unit_path).is_ok())
                .map(|g| g.unit_path.clone())
                .filter(|g| g.starts_with(&p.unit_path))
                .min_by_key(String::len);
            match scope::require(user, Capability::ReadRecords, &p.unit_path) {
                Ok(_) => None,
                Err(_) => path,
            }
        }
        (None, None) => None,
    };
    let filter = RatingFilter {
        period_id: q.period_id,
        path: path.as_deref(),
        year: q.year,
        state: q.state.map(RatingState::as_str),
        pending,
        level: q.level.map(RatingLevel::as_str),
    };
    let (rows, total) = db::ratings::page(conn, &filter, paging.offset(), paging.per_page)?;
    let items = rows
        .into_iter()
        .map(|listing| {
            let period = match listing.row.period_id {
                Some(p) => db::ratings::find_period(conn, p)?,
                None => None,
            };
            view(conn, user, Case { listing, period })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(paging.wrap(items, total))
}

/// The caller's own ratings not yet confirmed (what the home page offers to self-assess).
pub fn mine(conn: &mut AnyConnection, user: &AuthUser, paging: Paging) -> Result<Page<RatingView>, ApiError> {
    let Some(member) = db::members::id_for_user(conn, user.id.0)? else { return Ok(paging.wrap(Vec::new(), 0)) };
    let mut items = Vec::new();
    for (row, _) in db::ratings::of_member(conn, member)? {
        if row.state != RatingState::Confirmed.as_str() {
            let case = readable(conn, user, row.id)?;
            items.push(view(conn, user, case)?);
        }
    }
    Ok(paging.page_of(items))
}

/// A member's ratings year by year, for the member book (the member, or those who read it).
pub fn member_years(
    conn: &mut AnyConnection,
    user: &AuthUser,
    member: MemberId,
    paging: Paging,
) -> Result<Page<MemberRatingYear>, ApiError> {
    super::members::get(conn, user, member)?;
    let items = db::ratings::of_member(conn, member.0)?
        .into_iter()
        .map(|(row, unit_name)| {
            let level = level_of(row.level.as_deref(), "ratings.level")?;
            Ok(MemberRatingYear {
                rating_id: row.id,
                year: row.year,
                state: state_of(&row)?,
                label: row.label.clone().or_else(|| level.map(|l| l.label_in(row.year, Lang::Vi).to_owned())),
                level,
                unit_name,
                decision_no: row.decision_no,
                decided_on: row.decided_on,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(paging.page_of(items))
}

/// A merge of two records of one person (inside its transaction): the duplicate's ratings go to
/// the kept record. A year both were rated keeps the rating further along (the kept record's on
/// a tie); the other leaves its period's list and the counters.
pub fn merge_records(conn: &mut AnyConnection, from: i64, to: i64) -> Result<(), ApiError> {
    let progress = |row: &db::ratings::RatingRow| state_of(row).map(|s| RatingState::ALL.iter().position(|x| *x == s));
    let kept = db::ratings::of_member(conn, to)?;
    let mut moving = Vec::new();
    for (dup, _) in db::ratings::of_member(conn, from)? {
        match kept.iter().find(|(k, _)| k.year == dup.year) {
            None => moving.push(dup.id),
            Some((k, _)) if progress(&dup)? > progress(k)? => {
                drop_rating(conn, k)?;
                moving.push(dup.id);
            }
            Some(_) => drop_rating(conn, &dup)?,
        }
    }
    db::ratings::reassign(conn, &moving, to)?;
    db::ratings::move_exclusions(conn, from, to)?;
    Ok(())
}

/// Moves the counters of one rating along its unit's line by `delta`: created, and for a
/// confirmed one (its level given) confirmed and its level.
pub(crate) fn count(
    conn: &mut AnyConnection,
    unit_path: &str,
    year: i32,
    confirmed: Option<RatingLevel>,
    delta: i64,
) -> Result<(), ApiError> {
    let (year, line) = (year.to_string(), db::unit_counts::along(unit_path, delta));
    db::unit_counts::add(conn, &year, RATINGS, &line)?;
    if let Some(level) = confirmed {
        db::unit_counts::add(conn, &year, CONFIRMED, &line)?;
        db::unit_counts::add(conn, &year, &level_counter(level), &line)?;
    }
    Ok(())
}

/// Deletes a rating with what counted it: its period's tallies and the counters along its unit.
fn drop_rating(conn: &mut AnyConnection, row: &db::ratings::RatingRow) -> Result<(), ApiError> {
    let confirmed = state_of(row)? == RatingState::Confirmed;
    let level = level_of(row.level.as_deref(), "ratings.level")?.filter(|_| confirmed);
    count(conn, &row.unit_path, row.year, level, -1)?;
    if let Some(period) = row.period_id {
        db::ratings::add_to_period(conn, period, -1, -i64::from(confirmed))?;
    }
    db::ratings::delete_rating(conn, row.id)?;
    Ok(())
}
