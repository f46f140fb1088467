//! The removal list (`/xoa-ten?don-vi=`): a unit's members with three months in a year without
//! meetings or dues, each removed (after a second question) or kept with a reason; and the home
//! page's alert for the cadres of a unit with candidates waiting.

use crate::api::{self, FormFailure};
use crate::components::confirm::ConfirmBox;
use crate::components::pager::Pager;
use crate::components::status::{ErrorBox, Loading};
use crate::i18n::{use_i18n, T};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use shared::api::removals::{CandidateAction, CandidateStatus, CandidateTransitionRequest, RemovalCandidateView};
use shared::ids::OrgUnitId;

fn this_year() -> i32 {
    chrono::Datelike::year(&chrono::Local::now())
}

/// `/xoa-ten?don-vi=&nam=`.
#[component]
pub fn RemovalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let unit = Memo::new(move |_| query.with(|q| q.get("don-vi").and_then(|v| v.parse().ok()).map(OrgUnitId)));
    let year =
        RwSignal::new(query.with_untracked(|q| q.get("nam").and_then(|v| v.parse().ok())).unwrap_or_else(this_year));
    let status = RwSignal::new(CandidateStatus::Open.as_str().to_owned());
    let page = RwSignal::new(1i64);
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        let (unit, year, status, page) = (unit.get(), year.get(), status.get(), page.get());
        reload.track();
        async move {
            match unit {
                Some(u) => api::removal_candidates(u, year, &status, page).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let decided = Callback::new(move |_: ()| reload.update(|r| *r += 1));
    view! {
        <main class="page" data-test="removals-page">
            <h1>{move || i18n.t(T::Removals)}</h1>
            <div class="actions-row">
                <div class="field">
                    <label for="removal-year">{move || i18n.t(T::Year)}</label>
                    <select id="removal-year" data-test="removal-year" on:change=move |ev| {
                        if let Ok(y) = event_target_value(&ev).parse() { page.set(1); year.set(y) }
                    }>
                        {(0..3).map(|n| { let y = this_year() - n; view! { <option value=y.to_string() selected=move || year.get() == y>{y}</option> } }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="removal-status">{move || i18n.t(T::Status)}</label>
                    <select id="removal-status" data-test="removal-status" prop:value=move || status.get()
                        on:change=move |ev| { page.set(1); status.set(event_target_value(&ev)) }>
                        {CandidateStatus::ALL.iter().map(|s| {
                            let s = *s;
                            view! { <option value=s.as_str()>{move || s.label(i18n.lang.get())}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            {move || match list.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(Some(p))) if !p.items.is_empty() => view! {
                    <ul class="list" data-test="candidates">
                        {p.items.into_iter().map(|c| view! { <Candidate candidate=c decided=decided /> }).collect_view()}
                    </ul>
                    <Pager current=p.page per_page=p.per_page total=p.total page=page />
                }.into_any(),
                Some(Ok(_)) => view! { <p class="empty" data-test="no-candidates">{move || i18n.t(T::NoCandidates)}</p> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn Candidate(candidate: RemovalCandidateView, decided: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let c = StoredValue::new(candidate.clone());
    let may = |a: CandidateAction| candidate.allowed_actions.contains(&a);
    let (may_remove, may_dismiss) = (may(CandidateAction::Remove), may(CandidateAction::Dismiss));
    let asking = RwSignal::new(None::<String>);
    let dismissing = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let send = move |action: CandidateAction| {
        let lang = i18n.lang.get_untracked();
        let req = CandidateTransitionRequest {
            action: action.as_str().to_owned(),
            reason: Some(reason.get_untracked()).filter(|r| !r.trim().is_empty()),
        };
        if let Err(errs) = req.validate() {
            error.set(errs.first().map(|e| format!("{}: {}", T::DismissReason.text(lang), e.message)));
            return;
        }
        let (id, version) = c.with_value(|c| (c.id, c.version));
        spawn_local(async move {
            match api::decide_candidate(id, version, &req).await {
                Ok(_) => decided.run(()),
                Err(e) => error.set(Some(match e.for_form(lang) {
                    FormFailure::Fields(errs) => errs.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(", "),
                    FormFailure::Stale => T::ActedFirst.text(lang).to_owned(),
                    FormFailure::Message(m) => m,
                })),
            }
        });
    };
    let remove = Callback::new(move |_: ()| send(CandidateAction::Remove));
    let status = candidate.status;
    let attendance = candidate.attendance_months.join(", ");
    let dues = candidate.dues_months.join(", ");
    let (has_attendance, has_dues) = (!attendance.is_empty(), !dues.is_empty());
    view! {
        <li class="list-item candidate" data-test="candidate">
            <A href=format!("/doan-vien/{}", candidate.member_id) attr:class="item-title">{candidate.full_name.clone()}</A>
            <span class="item-meta">{candidate.unit_name.clone()} " · " <span class="badge">{move || status.label(i18n.lang.get())}</span></span>
            <Show when=move || has_attendance>
                <span class="item-meta" data-test="candidate-meetings">{move || i18n.t(T::MissedMeetings)} ": " {attendance.clone()}</span>
            </Show>
            <Show when=move || has_dues>
                <span class="item-meta" data-test="candidate-dues">{move || i18n.t(T::UnpaidDues)} ": " {dues.clone()}</span>
            </Show>
            {candidate.reason.clone().map(|r| view! { <span class="item-meta">{r}</span> })}
            <Show when=move || may_remove || may_dismiss>
                <div class="actions-row">
                    <button type="button" class="danger" data-test="remove-candidate"
                        on:click=move |_| asking.set(Some(T::RemoveAsk.text(i18n.lang.get_untracked()).to_owned()))>
                        {move || i18n.t(T::RemoveMember)}
                    </button>
                    <button type="button" data-test="dismiss-candidate" on:click=move |_| dismissing.update(|d| *d = !*d)>{move || i18n.t(T::Dismiss)}</button>
                </div>
                <ConfirmBox asking=asking on_yes=remove />
                <Show when=move || dismissing.get()>
                    <div class="field">
                        <label for=format!("dismiss-{}", c.with_value(|c| c.id))>{move || i18n.t(T::DismissReason)}</label>
                        <input id=format!("dismiss-{}", c.with_value(|c| c.id)) data-test="dismiss-reason"
                            prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                    </div>
                    <button type="button" class="primary" data-test="dismiss-confirm" on:click=move |_| send(CandidateAction::Dismiss)>{move || i18n.t(T::Dismiss)}</button>
                </Show>
            </Show>
            <p class="form-error" role="alert">{move || error.get().unwrap_or_default()}</p>
        </li>
    }
}

/// For the cadres of a unit: how many members wait for a removal decision this year.
#[component]
pub fn RemovalAlert(unit: OrgUnitId) -> impl IntoView {
    let i18n = use_i18n();
    let waiting = LocalResource::new(move || api::removal_candidates(unit, this_year(), "open", 1));
    move || {
        waiting.get().and_then(Result::ok).filter(|p| p.total > 0).map(|p| {
            let n = p.total;
            view! {
                <section class="card alert" data-test="removal-alert">
                    <A href=format!("/xoa-ten?don-vi={unit}")><strong>{n} " " {move || i18n.t(T::RemovalsWaiting)}</strong></A>
                </section>
            }
        })
    }
}
