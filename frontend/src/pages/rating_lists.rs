//! The decisions over a period's list on the cadre's phone: the branch's proposals after its
//! meeting (one decision, each member's level prefilled with their self-assessment, an HTXSNV
//! the evidence does not back flagged as it is chosen), and the grassroots unit's confirmation
//! under a decision number, with the quota over the unit's list shown before and after.

use crate::api;
use crate::components::batch::summary;
use crate::components::field::Field;
use crate::components::form_errors::{FormErrors, FormSummary};
use crate::i18n::{use_i18n, T};
use crate::pages::ratings::{evidence_text, level_text, ExcellentFlag, LevelSelect};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::ratings::{
    ConfirmationBatch, ProposalBatch, ProposalItem, QuotaCheck, RatingAction, RatingLevel, RatingPeriodView,
    RatingState, RatingView, VersionedId,
};
use shared::FieldError;

fn today() -> String {
    chrono::Local::now().date_naive().to_string()
}

/// Names of the cases a batch's field errors point at (`items[2].level` → the third chosen).
fn named_cases(errs: &[FieldError], names: &[String]) -> Vec<String> {
    errs.iter()
        .filter_map(|e| e.field.strip_prefix("items[")?.split(']').next()?.parse::<usize>().ok())
        .filter_map(|i| names.get(i).cloned())
        .collect()
}

/// One line of a decision: the case, whether it is in, and (for proposals) its level.
#[derive(Clone)]
struct Line {
    rating: RatingView,
    chosen: RwSignal<bool>,
    level: RwSignal<String>,
}

/// Sends a decision and tells how it went: the summary of the cases, or the form's errors.
fn decided<R: 'static>(
    errors: FormErrors,
    lang: shared::Lang,
    sent: impl std::future::Future<Output = Result<R, api::ApiFailure>> + 'static,
    done: impl FnOnce(R) + 'static,
) {
    spawn_local(async move {
        match sent.await {
            Ok(out) => done(out),
            Err(e) => errors.failed(e, lang),
        }
    });
}

/// The branch's proposals for the members not proposed yet, under one meeting date.
#[component]
pub fn ProposalList(period: RatingPeriodView, lines: Vec<RatingView>, done: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let (period_id, year) = (period.id, period.year);
    let lines: Vec<Line> = lines
        .into_iter()
        .filter(|r| r.allowed_actions.contains(&RatingAction::Propose) && r.state != RatingState::Proposed)
        .map(|r| {
            let start = r.self_level.map(|l| l.as_str().to_owned()).unwrap_or_default();
            Line { rating: r, chosen: RwSignal::new(true), level: RwSignal::new(start) }
        })
        .collect();
    let meeting_on = RwSignal::new(today());
    let for_rest = RwSignal::new(String::new());
    let unset: Vec<RwSignal<String>> = lines.iter().map(|l| l.level).collect();
    Effect::new(move || {
        let chosen = for_rest.get();
        if !chosen.is_empty() {
            unset.iter().filter(|l| l.get_untracked().is_empty()).for_each(|l| l.set(chosen.clone()));
        }
    });
    let errors = FormErrors::new(&[("meeting_on", T::MeetingOn), ("items", T::Ratings)]);
    let all = StoredValue::new(lines.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let chosen: Vec<Line> = all.with_value(|l| l.iter().filter(|l| l.chosen.get_untracked()).cloned().collect());
        let names: Vec<String> = chosen.iter().map(|l| l.rating.full_name.clone()).collect();
        let batch = ProposalBatch {
            meeting_on: meeting_on.get_untracked(),
            items: chosen
                .iter()
                .map(|l| ProposalItem {
                    id: l.rating.id,
                    version: l.rating.version,
                    level: Some(l.level.get_untracked()).filter(|v| !v.is_empty()),
                    comment: None,
                })
                .collect(),
        };
        if let Err(errs) = batch.validate() {
            match named_cases(&errs, &names) {
                cases if cases.is_empty() => errors.show(&errs, lang),
                cases => errors.message(format!("{}: {}", T::ChooseLevel.text(lang), cases.join(", "))),
            }
            return;
        }
        errors.clear();
        let ids: Vec<(i64, String)> = chosen.iter().map(|l| (l.rating.id, l.rating.full_name.clone())).collect();
        decided(errors, lang, async move { api::propose_ratings(period_id, &batch).await }, move |out| {
            let name_of = |id: i64| ids.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()).unwrap_or_default();
            done.run(summary(&out, name_of, T::ProposedNow.text(lang)))
        });
    };
    (!lines.is_empty()).then(|| view! {
        <details class="card" data-test="proposal-list" open>
            <summary class="tap">{move || i18n.t(T::ProposeList)} " (" {lines.len()} ")"</summary>
            <form on:submit=submit novalidate>
                <FormSummary errors=errors test="proposal-error" />
                <Field name="proposal_meeting_on" label=Signal::derive(move || i18n.t(T::MeetingOn).to_owned())
                    value=meeting_on error=errors.of("meeting_on") kind="date" />
                <div class="field">
                    <label for="proposal-rest">{move || i18n.t(T::LevelForTheRest)}</label>
                    <LevelSelect id="proposal-rest".to_owned() year=year value=for_rest />
                </div>
                {lines.iter().map(|l| {
                    let (id, level) = (l.rating.id, l.level);
                    let evidence = l.rating.evidence.clone();
                    let backed = evidence.as_ref().is_some_and(|e| e.backs_excellent());
                    let own = l.rating.self_level;
                    let chosen = l.chosen;
                    view! {
                        <div class="field decision-line" data-test="proposal-line">
                            <label class="check"><input type="checkbox" data-test=format!("propose-pick-{id}")
                                prop:checked=move || chosen.get() on:change=move |ev| chosen.set(event_target_checked(&ev)) />
                                {l.rating.full_name.clone()}</label>
                            <p class="item-meta">{move || i18n.t(T::SelfAssess)} ": "
                                {move || own.map(|o| o.short().to_owned()).unwrap_or_else(|| "—".into())}
                                {evidence.clone().map(|e| view! { " · " {move || evidence_text(&e, i18n.lang.get())} })}
                            </p>
                            <LevelSelect id=format!("propose-level-{id}") year=year value=level />
                            <ExcellentFlag shown=Signal::derive(move || !backed && level.get() == RatingLevel::Excellent.as_str()) />
                        </div>
                    }
                }).collect_view()}
                <button type="submit" class="primary" data-test="proposal-submit">{move || i18n.t(T::ProposeList)}</button>
            </form>
        </details>
    })
}

/// The grassroots unit's decision over the proposals it may confirm; the quota over the unit's
/// list with the chosen ones added shows before sending.
#[component]
pub fn ConfirmationList(period: RatingPeriodView, lines: Vec<RatingView>, done: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let (period_id, year, rules) = (period.id, period.year, period.rules);
    let confirmed: Vec<RatingLevel> = lines.iter().filter_map(|r| r.level).collect();
    let lines: Vec<Line> = lines
        .into_iter()
        .filter(|r| r.allowed_actions.contains(&RatingAction::Confirm))
        .map(|r| Line { rating: r, chosen: RwSignal::new(true), level: RwSignal::new(String::new()) })
        .collect();
    let decision_no = RwSignal::new(String::new());
    let decided_on = RwSignal::new(today());
    let errors =
        FormErrors::new(&[("decision_no", T::DecisionNo), ("decided_on", T::DecisionDate), ("level", T::Level)]);
    let all = StoredValue::new(lines.clone());
    let quota = Memo::new(move |_| {
        let mut levels = confirmed.clone();
        all.with_value(|l| levels.extend(l.iter().filter(|l| l.chosen.get()).filter_map(|l| l.rating.proposed_level)));
        QuotaCheck::of_levels(levels, rules.quota_percent)
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let chosen: Vec<Line> = all.with_value(|l| l.iter().filter(|l| l.chosen.get_untracked()).cloned().collect());
        let batch = ConfirmationBatch {
            decision_no: decision_no.get_untracked(),
            decided_on: decided_on.get_untracked(),
            items: chosen.iter().map(|l| VersionedId { id: l.rating.id, version: l.rating.version }).collect(),
        };
        if let Err(errs) = batch.validate() {
            errors.show(&errs, lang);
            return;
        }
        errors.clear();
        let ids: Vec<(i64, String)> = chosen.iter().map(|l| (l.rating.id, l.rating.full_name.clone())).collect();
        decided(errors, lang, async move { api::confirm_ratings(period_id, &batch).await }, move |out| {
            let name_of = |id: i64| ids.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()).unwrap_or_default();
            let text = summary(&out.outcomes, name_of, T::ConfirmedNow.text(lang));
            done.run(match out.quota_exceeded {
                true => format!("{text} · {}: {}", T::QuotaExceeded.text(lang), out.quota.context()),
                false => text,
            })
        });
    };
    (!lines.is_empty()).then(|| view! {
        <details class="card" data-test="confirmation-list" open>
            <summary class="tap">{move || i18n.t(T::ConfirmList)} " (" {lines.len()} ")"</summary>
            <form on:submit=submit novalidate>
                <FormSummary errors=errors test="confirmation-error" />
                <Field name="confirm_decision_no" label=Signal::derive(move || i18n.t(T::DecisionNo).to_owned())
                    value=decision_no error=errors.of("decision_no") />
                <Field name="confirm_decided_on" label=Signal::derive(move || i18n.t(T::DecisionDate).to_owned())
                    value=decided_on error=errors.of("decided_on") kind="date" />
                {lines.iter().map(|l| {
                    let id = l.rating.id;
                    let chosen = l.chosen;
                    let proposed = l.rating.proposed_level;
                    let flagged = l.rating.evidence.as_ref().is_some_and(|e| e.excellent_unsupported);
                    let evidence = l.rating.evidence.clone();
                    view! {
                        <div class="field decision-line" data-test="confirmation-line">
                            <label class="check"><input type="checkbox" data-test=format!("confirm-pick-{id}")
                                prop:checked=move || chosen.get() on:change=move |ev| chosen.set(event_target_checked(&ev)) />
                                {l.rating.full_name.clone()} ": "
                                <strong>{move || proposed.map(|p| level_text(p, year, i18n.lang.get())).unwrap_or_default()}</strong></label>
                            <ExcellentFlag shown=flagged />
                            {evidence.map(|e| view! { <p class="item-meta">{move || evidence_text(&e, i18n.lang.get())}</p> })}
                        </div>
                    }
                }).collect_view()}
                <p class="alert" role="status" data-test="quota-warning" hidden=move || !quota.get().exceeded()>
                    {move || format!("{}: {}", i18n.t(T::QuotaExceeded), quota.get().context())}
                    {move || rules.quota_enforced.then(|| format!(" · {}", i18n.t(T::QuotaRefused)))}
                </p>
                <button type="submit" class="primary" data-test="confirmation-submit">{move || i18n.t(T::ConfirmList)}</button>
            </form>
        </details>
    })
}
