//! The annual rating (đánh giá, xếp loại) on a phone: a unit's period with its lists
//! (`/xep-loai`), one member's rating with the self-assessment, the evidence and the steps the
//! caller may take (`/xep-loai/:id`), the home page's prompt to self-assess, and the member
//! book's years.

use crate::api;
use crate::components::form_errors::{FormErrors, FormSummary};
use crate::components::sheet_import::{Sent, SheetImport};
use crate::components::status::{ErrorBox, Loading, Notice};
use crate::i18n::{date, use_i18n, T};
use crate::pages::rating_lists::{ConfirmationList, ProposalList};
use crate::session::page_unit;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::api::imports::ImportMode;
use shared::api::ratings::{
    RatingAction, RatingEvidence, RatingLevel, RatingPeriodForm, RatingPeriodView, RatingState,
    RatingTransitionRequest, RatingView, LEVELS_SINCE,
};
use shared::ids::{MemberId, OrgUnitId};
use shared::Lang;

/// One rating's page.
pub fn rating_href(id: i64) -> String {
    format!("/xep-loai/{id}")
}

/// The leaders' page of a unit's subtree for a year.
pub fn stats_href(unit: OrgUnitId, year: i32) -> String {
    format!("/xep-loai/thong-ke?don-vi={unit}&nam={year}")
}

fn this_year() -> i32 {
    chrono::Datelike::year(&chrono::Local::now().date_naive())
}

/// A member's level as that year names it, with the abbreviation cadres write since 2023.
pub fn level_text(level: RatingLevel, year: i32, lang: Lang) -> String {
    match year >= LEVELS_SINCE {
        true => format!("{} ({})", level.label_in(year, lang), level.short()),
        false => level.label_in(year, lang).to_owned(),
    }
}

/// A level picker with that year's names (`units`: the names for units before 2023).
#[component]
pub fn LevelSelect(
    id: String,
    year: i32,
    value: RwSignal<String>,
    #[prop(default = false)] units: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let test = id.clone();
    view! {
        <select id=id data-test=test prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
            <option value="">"—"</option>
            {RatingLevel::ALL.iter().map(|l| {
                let l = *l;
                view! { <option value=l.as_str()>{move || match units {
                    true => l.unit_label_in(year, i18n.lang.get()).to_owned(),
                    false => level_text(l, year, i18n.lang.get()),
                }}</option> }
            }).collect_view()}
        </select>
    }
}

/// The evidence in one line: participation, the programme's result, classes passed.
pub fn evidence_text(e: &RatingEvidence, lang: Lang) -> String {
    let rate = e.participation_rate.map(|r| format!("{r}%")).unwrap_or_else(|| "—".into());
    let programme = e
        .programme_result
        .as_deref()
        .and_then(shared::api::programmes::ProgrammeResult::parse)
        .map(|r| r.label(lang).to_owned())
        .unwrap_or_else(|| "—".into());
    format!(
        "{} {rate} ({}/{}) · {}: {programme} · {}: {}",
        T::ParticipationRate.text(lang),
        e.meetings_present,
        e.meetings_held,
        T::Training.text(lang),
        T::ClassesPassed.text(lang),
        e.classes_passed
    )
}

/// The warning beside an HTXSNV the evidence does not back.
#[component]
pub fn ExcellentFlag(#[prop(into)] shown: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || shown.get()>
            <span class="badge warn" data-test="excellent-flag">{move || i18n.t(T::ExcellentUnsupported)}</span>
        </Show>
    }
}

/// Where a rating stands, in a word or the level confirmed.
fn standing(r: &RatingView, lang: Lang) -> String {
    match (r.state, r.level, r.proposed_level) {
        (RatingState::Confirmed, Some(l), _) => level_text(l, r.year, lang),
        (RatingState::Proposed, _, Some(l)) => format!("{}: {}", r.state.label(lang), l.short()),
        (state, _, _) => state.label(lang).to_owned(),
    }
}

/// A rating in a list, linking to its page.
#[component]
pub fn RatingItem(rating: RatingView) -> impl IntoView {
    let i18n = use_i18n();
    let flagged = rating.evidence.as_ref().is_some_and(|e| e.excellent_unsupported);
    let r = rating.clone();
    view! {
        <li>
            <A href=rating_href(rating.id) attr:class="list-item" attr:data-test="rating-item">
                <span class="item-title">{rating.full_name.clone()}</span>
                <span class="item-meta">{rating.unit_name.clone()} " · " {rating.year}</span>
                <span class="item-meta">
                    <span class="badge" data-test="rating-state">{move || standing(&r, i18n.lang.get())}</span>
                    " " <ExcellentFlag shown=flagged />
                </span>
            </A>
        </li>
    }
}

/// `/xep-loai?don-vi=`: the periods covering the unit, and the chosen one's lists.
#[component]
pub fn RatingsPage() -> impl IntoView {
    let unit = page_unit();
    move || match unit.get() {
        None => view! { <Loading /> }.into_any(),
        Some(u) => view! { <UnitRatings unit=u /> }.into_any(),
    }
}

#[component]
fn UnitRatings(unit: OrgUnitId) -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    // Outside the reloaded part, so what a decision said stays on screen.
    let notice = RwSignal::new(None::<String>);
    let chosen = RwSignal::new(None::<i64>);
    let periods = LocalResource::new(move || {
        reload.track();
        api::rating_periods(unit)
    });
    let done = Callback::new(move |text: String| {
        notice.set(Some(text));
        reload.update(|r| *r += 1);
    });
    view! {
        <main class="page" data-test="ratings-page">
            <h1>{move || i18n.t(T::Ratings)}</h1>
            <Notice text=notice />
            <p class="actions-row">
                <A href=stats_href(unit, this_year()) attr:class="button" attr:data-test="rating-stats">{move || i18n.t(T::RatingStatsTitle)}</A>
            </p>
            <HistoryImport unit=unit />
            {move || match periods.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(list)) => {
                    let opened = list.iter().any(|p| p.year == this_year());
                    let current = chosen.get().and_then(|id| list.iter().find(|p| p.id == id)).or(list.first()).cloned();
                    let several = list.len() > 1;
                    let current_id = current.as_ref().map(|c| c.id);
                    view! {
                        <Show when=move || !opened>
                            <OpenPeriod unit=unit done=done />
                        </Show>
                        <Show when=move || several>
                            <div class="field">
                                <label for="rating-period">{move || i18n.t(T::RatingPeriod)}</label>
                                <select id="rating-period" data-test="rating-period"
                                    on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())>
                                    {list.iter().map(|p| {
                                        let selected = current_id == Some(p.id);
                                        view! { <option value=p.id.to_string() selected=selected>{p.year} " · " {p.unit_name.clone()}</option> }
                                    }).collect_view()}
                                </select>
                            </div>
                        </Show>
                        {match current {
                            None => view! { <p class="empty" data-test="no-period">{move || i18n.t(T::NoRatingPeriod)}</p> }.into_any(),
                            Some(p) => view! { <PeriodLists period=p unit=unit done=done /> }.into_any(),
                        }}
                    }.into_any()
                }
            }}
        </main>
    }
}

/// A period's deadlines, rules and tallies; who is not rated and why; the decisions the caller
/// may take over the list; and the whole list.
#[component]
fn PeriodLists(period: RatingPeriodView, unit: OrgUnitId, done: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let id = period.id;
    let lines = LocalResource::new(move || api::period_ratings(id, unit));
    let p = period.clone();
    let excluded = period.exclusions.clone();
    let has_excluded = !excluded.is_empty();
    let overdue = period.overdue;
    view! {
        <section class="card" data-test="rating-period-card">
            <h2>{move || i18n.t(T::RatingPeriod)} " " {p.year} " · " {p.unit_name.clone()}</h2>
            <p class="item-meta">{move || i18n.t(T::SelfUntil)} ": " {date(p.self_until)}</p>
            <p class="item-meta">{move || i18n.t(T::BranchUntil)} ": " {date(p.branch_until)}</p>
            <p class="item-meta">{move || i18n.t(T::ConfirmUntil)} ": " {date(p.confirm_until)}
                <Show when=move || overdue>" " <span class="badge warn">{move || i18n.t(T::Overdue)}</span></Show>
            </p>
            <p data-test="period-tally"><strong>{p.confirmed} " / " {p.ratings}</strong> " " {move || i18n.t(T::RatingsConfirmed)}</p>
            <p class="item-meta">{move || format!("{} {}% · {} {}", i18n.t(T::QuotaRule), p.rules.quota_percent,
                i18n.t(T::MinMonths), p.rules.min_months)}</p>
        </section>
        <Show when=move || has_excluded>
            <details data-test="exclusions">
                <summary class="tap">{excluded.len()} " " {move || i18n.t(T::NotRatedHere)}</summary>
                <ul class="list">
                    {excluded.iter().map(|e| {
                        let (reason, months) = (e.reason, e.months);
                        view! {
                            <li class="list-item" data-test="exclusion">
                                <span class="item-title">{e.full_name.clone()}</span>
                                <span class="item-meta">{move || reason.label(i18n.lang.get())} " · " {months} " " {move || i18n.t(T::MonthsInUnit)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </details>
        </Show>
        {move || lines.get().map(|found| match found {
            Err(e) => view! { <ErrorBox failure=e /> }.into_any(),
            Ok(list) if list.is_empty() => view! { <p class="empty">{move || i18n.t(T::NoRatings)}</p> }.into_any(),
            Ok(list) => view! {
                <ConfirmationList period=period.clone() lines=list.clone() done=done />
                <ProposalList period=period.clone() lines=list.clone() done=done />
                <ul class="list" data-test="ratings">
                    {list.into_iter().map(|r| view! { <RatingItem rating=r /> }).collect_view()}
                </ul>
            }.into_any(),
        })}
    }
}

/// Opens the unit's period for this year with its deadlines (the rules default to the current
/// guidance; the quota may be made a refusal).
#[component]
fn OpenPeriod(unit: OrgUnitId, done: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let today = chrono::Local::now().date_naive();
    let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
    let (self_until, branch_until, confirm_until) =
        (RwSignal::new(day(7)), RwSignal::new(day(14)), RwSignal::new(day(21)));
    let enforced = RwSignal::new(false);
    let errors = FormErrors::new(&[
        ("unit_id", T::Unit),
        ("year", T::Year),
        ("self_until", T::SelfUntil),
        ("branch_until", T::BranchUntil),
        ("confirm_until", T::ConfirmUntil),
    ]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let form = RatingPeriodForm {
            unit_id: Some(unit),
            year: Some(this_year()),
            self_until: self_until.get_untracked(),
            branch_until: branch_until.get_untracked(),
            confirm_until: confirm_until.get_untracked(),
            quota_enforced: Some(enforced.get_untracked()),
            ..Default::default()
        };
        if let Err(errs) = form.validate(this_year()) {
            errors.show(&errs, lang);
            return;
        }
        errors.clear();
        spawn_local(async move {
            match api::open_rating_period(&form).await {
                Ok(p) => done.run(format!(
                    "{} {} · {} {}",
                    T::PeriodOpened.text(lang),
                    p.year,
                    p.ratings,
                    T::RatingsCreated.text(lang)
                )),
                Err(e) => errors.failed(e, lang),
            }
        });
    };
    let date_field = move |name: &'static str, label: T, value: RwSignal<String>| {
        view! {
            <crate::components::field::Field name=name label=Signal::derive(move || i18n.t(label).to_owned())
                value=value error=errors.of(name) kind="date" />
        }
    };
    view! {
        <details class="card" data-test="open-period">
            <summary class="tap">{move || i18n.t(T::OpenPeriod)} " " {this_year()}</summary>
            <form on:submit=submit novalidate>
                <FormSummary errors=errors test="open-period-error" />
                {date_field("self_until", T::SelfUntil, self_until)}
                {date_field("branch_until", T::BranchUntil, branch_until)}
                {date_field("confirm_until", T::ConfirmUntil, confirm_until)}
                <label class="check"><input type="checkbox" data-test="quota-enforced"
                    prop:checked=move || enforced.get() on:change=move |ev| enforced.set(event_target_checked(&ev)) />
                    {move || i18n.t(T::QuotaEnforced)}</label>
                <button type="submit" class="primary" data-test="open-period-submit">{move || i18n.t(T::OpenPeriod)}</button>
            </form>
        </details>
    }
}

/// `/xep-loai/:id`: one member's rating, its evidence, what other units said, earlier
/// decisions, and a form for each step the caller may take.
#[component]
pub fn RatingPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())).unwrap_or_default());
    let reload = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<String>);
    let rating = LocalResource::new(move || {
        let id = id.get();
        reload.track();
        api::get_rating(id)
    });
    let changed = Callback::new(move |text: String| {
        notice.set(Some(text));
        reload.update(|r| *r += 1);
    });
    view! {
        <main class="page" data-test="rating-page">
            <Notice text=notice />
            {move || match rating.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(r)) => view! { <RatingCase rating=r changed=changed /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn RatingCase(rating: RatingView, changed: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let r = rating.clone();
    let year = r.year;
    let steps = r.allowed_actions.clone();
    let evidence = r.evidence.clone();
    let (self_level, proposed) = (r.self_level, r.proposed_level);
    let decided = r.decision_no.clone().zip(r.decided_on);
    let flagged = evidence.as_ref().is_some_and(|e| e.excellent_unsupported);
    view! {
        <h1 data-test="rating-name">{r.full_name.clone()}</h1>
        <p class="item-meta">{move || i18n.t(T::Ratings)} " " {year} " · " {r.unit_name.clone()}</p>
        <p><span class="badge" data-test="rating-state">{move || standing(&rating, i18n.lang.get())}</span></p>
        {decided.map(|(no, on)| view! {
            <p class="item-meta" data-test="rating-decision">{move || i18n.t(T::DecisionNo)} " " {no.clone()} " · " {date(on)}</p>
        })}
        <section class="card" data-test="rating-steps">
            <p>{move || i18n.t(T::SelfAssess)} ": "
                <strong data-test="self-level">{move || self_level.map(|l| level_text(l, year, i18n.lang.get())).unwrap_or_else(|| "—".into())}</strong></p>
            {r.self_text.clone().map(|t| view! { <p class="item-meta">{t}</p> })}
            <p>{move || i18n.t(T::BranchProposal)} ": "
                <strong data-test="proposed-level">{move || proposed.map(|l| level_text(l, year, i18n.lang.get())).unwrap_or_else(|| "—".into())}</strong>
                " " <ExcellentFlag shown=flagged />
            </p>
            {r.proposal_comment.clone().map(|t| view! { <p class="item-meta">{t}</p> })}
            {r.meeting_on.map(|d| view! { <p class="item-meta">{move || i18n.t(T::MeetingOn)} ": " {date(d)}</p> })}
        </section>
        {evidence.map(|e| view! {
            <section class="card" data-test="rating-evidence">
                <h2>{move || i18n.t(T::Evidence)}</h2>
                <p class="item-meta">{move || evidence_text(&e, i18n.lang.get())}</p>
            </section>
        })}
        {(!r.comments_elsewhere.is_empty()).then(|| view! {
            <section class="card" data-test="comments-elsewhere">
                <h2>{move || i18n.t(T::CommentsElsewhere)}</h2>
                {r.comments_elsewhere.iter().map(|c| view! {
                    <p><strong>{c.unit_name.clone()}</strong> " (" {c.months} " " {move || i18n.t(T::MonthsInUnit)} "): " {c.comment.clone()}</p>
                }).collect_view()}
            </section>
        })}
        {(!r.revisions.is_empty()).then(|| view! {
            <section class="card" data-test="revisions">
                <h2>{move || i18n.t(T::Revisions)}</h2>
                {r.revisions.iter().map(|v| {
                    let (before, after) = (v.level_before, v.level);
                    view! {
                        <p class="item-meta">{date(v.decided_on)} " · " {v.decision_no.clone()} ": "
                            {move || format!("{} → {}", before.short(), after.short())} " · " {v.reason.clone()}</p>
                    }
                }).collect_view()}
            </section>
        })}
        {steps.into_iter().map(|a| view! { <StepForm rating=r.clone() action=a changed=changed /> }).collect_view()}
    }
}

/// One step on one rating: the fields that step asks for, sent with the version read.
#[component]
fn StepForm(rating: RatingView, action: RatingAction, changed: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let (id, version, year) = (rating.id, rating.version, rating.year);
    let today = chrono::Local::now().date_naive().to_string();
    let start = match action {
        RatingAction::SelfAssess => rating.self_level,
        _ => rating.proposed_level.or(rating.self_level),
    };
    let level = RwSignal::new(start.map(|l| l.as_str().to_owned()).unwrap_or_default());
    let text = RwSignal::new(rating.self_text.clone().unwrap_or_default());
    let comment = RwSignal::new(String::new());
    let meeting_on = RwSignal::new(today.clone());
    let decision_no = RwSignal::new(String::new());
    let decided_on = RwSignal::new(today);
    let reason = RwSignal::new(String::new());
    let errors = FormErrors::new(&[
        ("level", T::Level),
        ("text", T::SelfText),
        ("comment", T::Comment),
        ("meeting_on", T::MeetingOn),
        ("decision_no", T::DecisionNo),
        ("decided_on", T::DecisionDate),
        ("reason", T::Reason),
    ]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let opt = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        let req = RatingTransitionRequest {
            action: action.as_str().to_owned(),
            level: opt(level),
            text: opt(text),
            comment: opt(comment),
            meeting_on: opt(meeting_on),
            decision_no: opt(decision_no),
            decided_on: opt(decided_on),
            reason: opt(reason),
        };
        if let Err(errs) = req.validate() {
            errors.show(&errs, lang);
            return;
        }
        errors.clear();
        spawn_local(async move {
            match api::transition_rating(id, version, &req).await {
                Ok(_) => changed.run(format!("{}: {}", action.label(lang), T::Saved.text(lang))),
                Err(e) => errors.failed(e, lang),
            }
        });
    };
    let field = move |name: &'static str, label: T, value: RwSignal<String>, kind: &'static str| {
        view! {
            <crate::components::field::Field name=name label=Signal::derive(move || i18n.t(label).to_owned())
                value=value error=errors.of(name) kind=kind />
        }
    };
    let asks = move |fields: &[RatingAction]| fields.contains(&action);
    use RatingAction::*;
    let test = format!("step-{}", action.as_str());
    view! {
        <form class="card" on:submit=submit novalidate data-test=test>
            <h2>{move || action.label(i18n.lang.get())}</h2>
            <FormSummary errors=errors test="step-error" />
            <Show when=move || asks(&[SelfAssess, Propose, Revise])>
                <div class="field">
                    <label for=format!("level-{}", action.as_str())>{move || i18n.t(T::Level)}</label>
                    <LevelSelect id=format!("level-{}", action.as_str()) year=year value=level />
                    <p class="field-error" role="alert">{move || errors.of("level").get().unwrap_or_default()}</p>
                </div>
            </Show>
            <Show when=move || asks(&[SelfAssess])>
                <div class="field">
                    <label for="self-text">{move || i18n.t(T::SelfText)}</label>
                    <textarea id="self-text" data-test="self-text" rows="4" prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <p class="field-error" role="alert">{move || errors.of("text").get().unwrap_or_default()}</p>
                </div>
            </Show>
            <Show when=move || asks(&[Propose])>
                {field("meeting_on", T::MeetingOn, meeting_on, "date")}
                {field("comment", T::Comment, comment, "text")}
            </Show>
            <Show when=move || asks(&[Revise])>{field("reason", T::Reason, reason, "text")}</Show>
            <Show when=move || asks(&[Confirm, Revise])>
                {field("decision_no", T::DecisionNo, decision_no, "text")}
                {field("decided_on", T::DecisionDate, decided_on, "date")}
            </Show>
            <button type="submit" class="primary" data-test=format!("submit-{}", action.as_str())>{move || action.label(i18n.lang.get())}</button>
        </form>
    }
}

/// On a member's home page: this year's rating waiting for their self-assessment (or where it
/// stands once they have).
#[component]
pub fn RatingPrompt() -> impl IntoView {
    let i18n = use_i18n();
    let mine = LocalResource::new(api::my_ratings);
    move || {
        mine.get().and_then(Result::ok).and_then(|list| list.into_iter().next()).map(|r| {
            let asks = r.allowed_actions.contains(&RatingAction::SelfAssess) && r.state == RatingState::Open;
            let class = if asks { "card alert" } else { "card" };
            let (id, year, state) = (r.id, r.year, r.state);
            view! {
                <section class=class data-test="rating-prompt">
                    <A href=rating_href(id) attr:class="tap" attr:data-test="to-rating">
                        <span><strong>{move || i18n.t(if asks { T::SelfAssessPrompt } else { T::Ratings })} " " {year}</strong>
                        " · " {move || state.label(i18n.lang.get())}</span>
                    </A>
                </section>
            }
        })
    }
}

/// The member book's ratings, year by year.
#[component]
pub fn RatingYearsCard(member: MemberId) -> impl IntoView {
    let i18n = use_i18n();
    let years = LocalResource::new(move || api::member_ratings(member));
    move || {
        years.get().and_then(Result::ok).filter(|y| !y.is_empty()).map(|years| {
            view! {
                <section class="card" data-test="rating-years">
                    <h2>{move || i18n.t(T::Ratings)}</h2>
                    <ul class="list">
                        {years.into_iter().map(|y| {
                            let (state, level, year) = (y.state, y.level, y.year);
                            let label = y.label.clone();
                            let decision = y.decision_no.clone().map(|no| format!(" · {no}"));
                            view! {
                                <li>
                                    <A href=rating_href(y.rating_id) attr:class="list-item" attr:data-test="rating-year">
                                        <span class="item-title">{year} " · " {move || match (level, label.clone()) {
                                            // A level written otherwise in an old sheet stays as written.
                                            (_, Some(written)) if level.is_none_or(|l| written != l.label_in(year, Lang::Vi)) => written,
                                            (Some(l), _) => level_text(l, year, i18n.lang.get()),
                                            (None, _) => state.label(i18n.lang.get()).to_owned(),
                                        }}</span>
                                        <span class="item-meta">{y.unit_name.clone()} {decision}</span>
                                    </A>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// Earlier years' ratings from a sheet (the member books' and Excel sheets' years before Sổ Đoàn).
#[component]
fn HistoryImport(unit: OrgUnitId) -> impl IntoView {
    let i18n = use_i18n();
    let columns: Vec<&str> = shared::api::rating_history::COLUMNS.iter().map(|c| c.header).collect();
    let hint = format!("{}: {}", T::SheetColumns.text(i18n.lang.get_untracked()), columns.join(", "));
    let send = Callback::new(move |(mode, file): (ImportMode, web_sys::File)| -> Sent {
        Box::pin(async move { api::import_rating_history(unit, mode, &file).await })
    });
    view! { <SheetImport test="rating-history" title=T::ImportRatingHistory hint=hint send=send /> }
}
