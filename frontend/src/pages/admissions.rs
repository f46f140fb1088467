//! Admission on a phone: the youth's own application (fill, save, submit, follow the timeline,
//! withdraw) and the cadre's inbox of cases waiting for their decision.

use crate::api::{self, FormFailure};
use crate::components::field::Field;
use crate::components::status::{ErrorBox, Loading, Notice};
use crate::components::unit_picker::UnitPicker;
use crate::i18n::{use_i18n, T};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::api::admissions::{
    AdmissionAction, AdmissionCard, AdmissionState, AdmissionTransitionRequest, AdmissionView, ApplicationForm,
};
use shared::api::org_units::OrgUnitView;
use shared::FieldError;

fn today() -> String {
    chrono::Local::now().date_naive().format("%Y-%m-%d").to_string()
}

/// What happens next, and who acts, in a state.
fn next_step(state: AdmissionState) -> T {
    match state {
        AdmissionState::Draft => T::NextDraft,
        AdmissionState::Applied => T::NextApplied,
        AdmissionState::InTraining => T::NextInTraining,
        AdmissionState::Trained => T::NextTrained,
        AdmissionState::Proposed => T::NextProposed,
        AdmissionState::Approved => T::NextApproved,
        AdmissionState::Admitted => T::NextAdmitted,
        AdmissionState::Rejected | AdmissionState::Withdrawn => T::NextClosed,
    }
}

/// `/ket-nap`: the signed-in youth's application.
#[component]
pub fn ApplyPage() -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0u32);
    let mine = LocalResource::new(move || {
        refresh.get();
        api::my_admissions()
    });
    let error = RwSignal::new(None::<String>);
    let start = move |_| {
        spawn_local(async move {
            match api::create_admission(&ApplicationForm::default()).await {
                Ok(_) => refresh.update(|n| *n += 1),
                Err(e) => error.set(Some(e.message(i18n.lang.get_untracked()))),
            }
        });
    };
    view! {
        <main class="page narrow" data-test="apply-page">
            <h1>{move || i18n.t(T::Admission)}</h1>
            <p class="form-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            {move || match mine.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(list)) => match list.into_iter().find(|a| !a.state.is_final() || a.state == AdmissionState::Admitted) {
                    Some(a) => view! { <Application admission=a reload=Callback::new(move |_| refresh.update(|n| *n += 1)) /> }.into_any(),
                    None => view! {
                        <p>{move || i18n.t(T::ApplyIntro)}</p>
                        <button type="button" class="primary" data-test="start-application" on:click=start>{move || i18n.t(T::StartApplication)}</button>
                    }.into_any(),
                },
            }}
        </main>
    }
}

#[component]
fn Application(admission: AdmissionView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let state = admission.state;
    let (id, version) = (admission.id, admission.version);
    let error = RwSignal::new(None::<String>);
    let withdraw = move |_| {
        let req =
            AdmissionTransitionRequest { action: AdmissionAction::Withdraw.as_str().into(), ..Default::default() };
        spawn_local(async move {
            match api::transition_admission(id, version, &req).await {
                Ok(_) => reload.run(()),
                Err(e) => error.set(Some(e.message(i18n.lang.get_untracked()))),
            }
        });
    };
    let can_withdraw = admission.allowed_actions.contains(&AdmissionAction::Withdraw);
    let draft = admission.clone();
    view! {
        <section class="card hero">
            <p class="item-meta">{move || i18n.t(T::Status)}</p>
            <h2 data-test="admission-state">{move || state.label(i18n.lang.get())}</h2>
            <p data-test="next-step">{move || i18n.t(next_step(state))}</p>
            {(!admission.unit_name.is_empty()).then(|| view! { <p class="item-meta">{admission.unit_name.clone()}</p> })}
            {admission.class_id.map(|c| view! {
                <A href=format!("/lop/{c}") attr:class="button" attr:data-test="my-class-link">{move || i18n.t(T::MyClass)}</A>
            })}
        </section>
        <Show when=move || state == AdmissionState::Draft>
            <ApplicationFormCard admission=draft.clone() reload=reload />
        </Show>
        <section class="card">
            <h2>{move || i18n.t(T::Timeline)}</h2>
            <ul class="list" data-test="timeline">
                {admission.timeline.iter().map(|e| {
                    let to = e.to_state;
                    view! {
                        <li class="list-item">
                            <span class="item-title">{move || to.label(i18n.lang.get())}</span>
                            <span class="item-meta">
                                {crate::i18n::date(e.at.date_naive())}
                                {e.actor_name.clone().map(|n| format!(" · {n}"))}
                                {e.reason.clone().map(|r| format!(" · {r}"))}
                            </span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <p class="form-error" role="alert">{move || error.get().unwrap_or_default()}</p>
        <Show when=move || can_withdraw>
            <button type="button" data-test="withdraw" on:click=withdraw>{move || i18n.t(T::Withdraw)}</button>
        </Show>
    }
}

#[component]
fn ApplicationFormCard(admission: AdmissionView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let f = admission.form.clone();
    let (id, version) = (admission.id, admission.version);
    let text = |v: &Option<String>| RwSignal::new(v.clone().unwrap_or_default());
    let full_name = RwSignal::new(f.full_name.clone());
    let born = RwSignal::new(f.date_of_birth.clone());
    let gender = RwSignal::new(if f.gender.is_empty() { "female".to_owned() } else { f.gender.clone() });
    let (national_id, phone, hometown) = (text(&f.national_id), text(&f.phone), text(&f.profile.hometown));
    let (application_text, introducer_org) = (text(&f.application_text), text(&f.introducer_org));
    let (guardian_name, guardian_phone) = (text(&f.guardian_name), text(&f.guardian_phone));
    let consent = RwSignal::new(f.guardian_consent);
    let branch = RwSignal::new(None::<OrgUnitView>);
    let introducer_q = RwSignal::new(String::new());
    let introducer = RwSignal::new(f.introducer_member_id.zip(admission.introducer_name.clone()));
    let fields = [
        "full_name",
        "date_of_birth",
        "national_id",
        "phone",
        "hometown",
        "application_text",
        "guardian_name",
        "guardian_phone",
    ];
    let errors: Vec<RwSignal<Option<String>>> = fields.iter().map(|_| RwSignal::new(None)).collect();
    let other_error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let unit_id = f.unit_id;
    let current_unit = admission.unit_name.clone();
    let build = move || ApplicationForm {
        full_name: full_name.get_untracked(),
        date_of_birth: born.get_untracked(),
        gender: gender.get_untracked(),
        national_id: Some(national_id.get_untracked()),
        phone: Some(phone.get_untracked()),
        unit_id: branch.get_untracked().map(|b| b.id).or(unit_id),
        introducer_member_id: introducer.get_untracked().map(|(m, _)| m),
        introducer_org: Some(introducer_org.get_untracked()).filter(|s| !s.trim().is_empty()),
        application_text: Some(application_text.get_untracked()),
        guardian_name: Some(guardian_name.get_untracked()).filter(|s| !s.trim().is_empty()),
        guardian_phone: Some(guardian_phone.get_untracked()).filter(|s| !s.trim().is_empty()),
        guardian_consent: consent.get_untracked(),
        profile: shared::api::members::MemberProfile { hometown: Some(hometown.get_untracked()), ..Default::default() },
    };
    let errors_c = errors.clone();
    let show = move |errs: &[FieldError], lang: shared::Lang| {
        for (name, signal) in fields.iter().zip(&errors_c) {
            signal.set(errs.iter().find(|e| e.field == *name).map(|e| e.code.message(lang).to_owned()));
        }
        let rest: Vec<FieldError> = errs.iter().filter(|e| !fields.contains(&e.field.as_str())).cloned().collect();
        other_error.set((!rest.is_empty()).then(|| api::fields_text(&rest, lang)));
    };
    let find_introducer = move |_| {
        let q = introducer_q.get_untracked();
        spawn_local(async move {
            match api::find_introducer(&q).await {
                Ok(found) => {
                    introducer.set(Some((found.member_id, format!("{} · {}", found.full_name, found.unit_name))))
                }
                Err(e) => other_error.set(Some(e.message(i18n.lang.get_untracked()))),
            }
        });
    };
    let save = move |submit: bool| {
        let show = show.clone();
        move |_| {
            let lang = i18n.lang.get_untracked();
            let form = build();
            if submit {
                if let Err(errs) = form.validate(chrono::Local::now().date_naive()) {
                    show(&errs, lang);
                    return;
                }
            }
            let show = show.clone();
            spawn_local(async move {
                let saved = api::update_admission(id, version, &form).await;
                let result = match (saved, submit) {
                    (Ok(a), true) => {
                        let req = AdmissionTransitionRequest {
                            action: AdmissionAction::Submit.as_str().into(),
                            ..Default::default()
                        };
                        api::transition_admission(a.id, a.version, &req).await
                    }
                    (other, _) => other,
                };
                match result {
                    Ok(_) => {
                        notice.set(Some(T::Saved.text(lang).to_owned()));
                        reload.run(());
                    }
                    Err(e) => match e.for_form(lang) {
                        FormFailure::Fields(errs) => show(&errs, lang),
                        FormFailure::Stale => reload.run(()),
                        FormFailure::Message(m) => other_error.set(Some(m)),
                    },
                }
            });
        }
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    let text_error = errors[5];
    let field = |i: usize, key: T, value: RwSignal<String>, kind: &'static str| {
        view! { <Field name=fields[i] label=label(key) value=value error=errors[i] kind=kind /> }
    };
    view! {
        <section class="card" data-test="application-form">
            <h2>{move || i18n.t(T::ApplicationForm)}</h2>
            <Notice text=notice />
            {field(0, T::FullName, full_name, "text")}
            {field(1, T::DateOfBirth, born, "date")}
            <div class="field">
                <label for="applicant-gender">{move || i18n.t(T::Gender)}</label>
                <select id="applicant-gender" data-test="applicant-gender" prop:value=move || gender.get() on:change=move |ev| gender.set(event_target_value(&ev))>
                    <option value="female">{move || i18n.t(T::Female)}</option>
                    <option value="male">{move || i18n.t(T::Male)}</option>
                </select>
            </div>
            {field(2, T::NationalId, national_id, "text")}
            {field(3, T::Phone, phone, "tel")}
            {field(4, T::Hometown, hometown, "text")}
            <p class="item-meta">{move || i18n.t(T::Branch)} ": " {current_unit.clone()}</p>
            <UnitPicker chosen=branch kinds="branch" label=T::Branch />
            <div class="field">
                <label for="introducer-q">{move || i18n.t(T::IntroducerLookup)}</label>
                <div class="actions-row">
                    <input id="introducer-q" data-test="introducer-q" prop:value=move || introducer_q.get() on:input=move |ev| introducer_q.set(event_target_value(&ev)) />
                    <button type="button" data-test="find-introducer" on:click=find_introducer>{move || i18n.t(T::Find)}</button>
                </div>
                <p class="notice" data-test="introducer">{move || introducer.get().map(|(_, n)| n).unwrap_or_default()}</p>
            </div>
            <Field name="introducer_org" label=label(T::IntroducerOrg) value=introducer_org error=RwSignal::new(None) />
            <div class="field">
                <label for="application_text">{move || i18n.t(T::ApplicationText)}</label>
                <textarea id="application_text" data-test="application_text" rows="6"
                    prop:value=move || application_text.get() on:input=move |ev| application_text.set(event_target_value(&ev))></textarea>
                <p class="field-error" role="alert" data-test="application_text-error">{move || text_error.get().unwrap_or_default()}</p>
            </div>
            <details>
                <summary>{move || i18n.t(T::GuardianIfMinor)}</summary>
                {field(6, T::GuardianName, guardian_name, "text")}
                {field(7, T::GuardianPhone, guardian_phone, "tel")}
                <label class="check"><input type="checkbox" data-test="guardian_consent" prop:checked=move || consent.get()
                    on:change=move |ev| consent.set(event_target_checked(&ev)) /> {move || i18n.t(T::GuardianConsent)}</label>
            </details>
            <p class="form-error" role="alert" data-test="application-error">{move || other_error.get().unwrap_or_default()}</p>
            <div class="actions-row">
                <button type="button" data-test="save-draft" on:click=save(false)>{move || i18n.t(T::SaveDraft)}</button>
                <button type="button" class="primary" data-test="submit-application" on:click=save(true)>{move || i18n.t(T::SubmitApplication)}</button>
            </div>
        </section>
    }
}

/// `/ket-nap/hop-thu`: the cases waiting for the signed-in cadre, oldest first, a page at a time.
#[component]
pub fn AdmissionInboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0u32);
    let first = LocalResource::new(move || {
        refresh.get();
        api::admissions_inbox(None)
    });
    // Cases of the pages after the first, and where the next page starts once one was read.
    let later = RwSignal::new(Vec::<AdmissionCard>::new());
    let cursor = RwSignal::new(None::<Option<String>>);
    let next = move || cursor.get().unwrap_or_else(|| first.get().and_then(Result::ok).and_then(|p| p.next));
    // What the last batch decision did; kept while the list reloads.
    let outcome = RwSignal::new(None::<String>);
    let reload = Callback::new(move |_| {
        later.set(Vec::new());
        cursor.set(None);
        refresh.update(|n| *n += 1);
    });
    let more = move |_| {
        let after = next();
        spawn_local(async move {
            if let Ok(page) = api::admissions_inbox(after).await {
                later.update(|l| l.extend(page.items));
                cursor.set(Some(page.next));
            }
        });
    };
    view! {
        <main class="page" data-test="admission-inbox">
            <h1>{move || i18n.t(T::AdmissionInbox)}</h1>
            <p class="notice" role="status" data-test="batch-outcome" hidden=move || outcome.get().is_none()>
                {move || outcome.get().unwrap_or_default()}
            </p>
            {move || match first.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <p class="empty">{move || i18n.t(T::NothingWaiting)}</p> }.into_any(),
                Some(Ok(page)) => {
                    let list: Vec<AdmissionCard> = page.items.into_iter().chain(later.get()).collect();
                    let approvable: Vec<(i64, i64, String)> = list
                        .iter()
                        .filter(|a| a.allowed_actions.contains(&AdmissionAction::Approve))
                        .map(|a| (a.id, a.version, a.full_name.clone()))
                        .collect();
                    view! {
                        {(approvable.len() > 1).then(|| view! { <BatchApproval cases=approvable.clone() reload=reload outcome=outcome /> })}
                        <ul class="list">
                            {list.into_iter().map(|a| view! { <CaseCard admission=a reload=reload /> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <Show when=move || next().is_some()>
                <button type="button" data-test="inbox-more" on:click=more>{move || i18n.t(T::ShowMore)}</button>
            </Show>
        </main>
    }
}

#[component]
fn CaseCard(admission: AdmissionCard, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let state = admission.state;
    let (id, version) = (admission.id, admission.version);
    let chosen = RwSignal::new(None::<AdmissionAction>);
    let v = |s: &str| RwSignal::new(s.to_owned());
    let (meeting_on, present, votes_for, votes_against) = (v(&today()), v(""), v(""), v("0"));
    let (decision_no, decided_on, signer) = (v(""), v(&today()), v(""));
    let (ceremony_on, card_number, reason, class_id) = (v(&today()), v(""), v(""), v(""));
    let error = RwSignal::new(None::<String>);
    let classes = LocalResource::new(api::open_classes);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(action) = chosen.get_untracked() else { return };
        let lang = i18n.lang.get_untracked();
        let num = |s: RwSignal<String>| s.get_untracked().trim().parse::<i32>().ok();
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|x| !x.trim().is_empty());
        let req = AdmissionTransitionRequest {
            action: action.as_str().into(),
            class_id: class_id.get_untracked().parse().ok(),
            meeting_on: text(meeting_on),
            present: num(present),
            votes_for: num(votes_for),
            votes_against: num(votes_against),
            decision_no: text(decision_no),
            decided_on: text(decided_on),
            signer: text(signer),
            ceremony_on: text(ceremony_on),
            card_number: text(card_number),
            reason: text(reason),
        };
        if let Err(errs) = req.validate(chrono::Local::now().date_naive()) {
            error.set(Some(api::fields_text(&errs, lang)));
            return;
        }
        spawn_local(async move {
            match api::transition_admission(id, version, &req).await {
                Ok(_) => reload.run(()),
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => error.set(Some(api::fields_text(&errs, lang))),
                    FormFailure::Stale => {
                        error.set(Some(T::ActedFirst.text(lang).to_owned()));
                        reload.run(());
                    }
                    FormFailure::Message(m) => error.set(Some(m)),
                },
            }
        });
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    let none = || RwSignal::new(None::<String>);
    let vote = admission
        .votes_for
        .map(|f| format!("{f}/{} ({})", admission.present.unwrap_or(0), admission.votes_against.unwrap_or(0)));
    let actions = admission.allowed_actions.clone();
    view! {
        <li class="card" data-test="admission-case">
            <p class="item-title">{admission.full_name.clone()} " · " {match admission.age_at_meeting {
                Some(age) => view! { {age} " " {move || i18n.t(T::AgeAtMeeting)} }.into_any(),
                None => view! { {admission.age} " " {move || i18n.t(T::YearsOld)} }.into_any(),
            }}</p>
            <p class="item-meta">{admission.unit_name.clone()} " · " <span data-test="case-state">{move || state.label(i18n.lang.get())}</span></p>
            {admission.class_result.clone().map(|r| view! { <p class="item-meta">{move || i18n.t(T::ClassResultLabel)} ": " {r.clone()}</p> })}
            {vote.map(|v| view! { <p class="item-meta">{move || i18n.t(T::Vote)} ": " {v.clone()}</p> })}
            {admission.introducer.clone().map(|n| view! { <p class="item-meta">{move || i18n.t(T::Introducer)} ": " {n.clone()}</p> })}
            <div class="actions-row">
                {actions.into_iter().map(|a| view! {
                    <button type="button" data-test=format!("case-{}", a.as_str())
                        aria-pressed=move || if chosen.get() == Some(a) { "true" } else { "false" }
                        on:click=move |_| chosen.set(Some(a))>{move || a.label(i18n.lang.get())}</button>
                }).collect_view()}
            </div>
            <Show when=move || chosen.get().is_some()>
                <form on:submit=submit novalidate data-test="case-form">
                    <Show when=move || chosen.get() == Some(AdmissionAction::StartTraining)>
                        <div class="field">
                            <label for=format!("class-{id}")>{move || i18n.t(T::OrientationClass)}</label>
                            <select id=format!("class-{id}") data-test="case-class" on:change=move |ev| class_id.set(event_target_value(&ev))>
                                <option value="">{move || i18n.t(T::Choose)}</option>
                                {move || classes.get().and_then(Result::ok).unwrap_or_default().into_iter()
                                    .filter(|c| c.kind == shared::api::classes::ClassKind::Orientation)
                                    .map(|c| view! { <option value=c.id.to_string()>{c.title.clone()}</option> }).collect_view()}
                            </select>
                        </div>
                    </Show>
                    <Show when=move || chosen.get() == Some(AdmissionAction::Propose)>
                        <Field name="meeting_on" label=label(T::MeetingOn) value=meeting_on error=none() kind="date" />
                        <Field name="present" label=label(T::Present) value=present error=none() kind="number" />
                        <Field name="votes_for" label=label(T::VotesFor) value=votes_for error=none() kind="number" />
                        <Field name="votes_against" label=label(T::VotesAgainst) value=votes_against error=none() kind="number" />
                    </Show>
                    <Show when=move || chosen.get() == Some(AdmissionAction::Approve)>
                        <Field name="decision_no" label=label(T::DecisionNo) value=decision_no error=none() />
                        <Field name="decided_on" label=label(T::DecisionDate) value=decided_on error=none() kind="date" />
                        <Field name="signer" label=label(T::Signer) value=signer error=none() />
                    </Show>
                    <Show when=move || chosen.get() == Some(AdmissionAction::Admit)>
                        <Field name="ceremony_on" label=label(T::CeremonyOn) value=ceremony_on error=none() kind="date" />
                        <Field name="card_number" label=label(T::CardNumber) value=card_number error=none() />
                    </Show>
                    <Show when=move || matches!(chosen.get(), Some(AdmissionAction::Return | AdmissionAction::Reject))>
                        <Field name="case_reason" label=label(T::Reason) value=reason error=none() />
                    </Show>
                    <p class="form-error" role="alert" data-test="case-error">{move || error.get().unwrap_or_default()}</p>
                    <button type="submit" class="primary" data-test="confirm-case">
                        {move || format!("{}: {}", i18n.t(T::ConfirmAction), chosen.get().map(|a| a.label(i18n.lang.get())).unwrap_or_default())}
                    </button>
                </form>
            </Show>
        </li>
    }
}

/// One approval decision for several proposed cases (a branch meeting's list); each case is
/// still checked and written on its own, and the answer says how each went.
#[component]
fn BatchApproval(
    cases: Vec<(i64, i64, String)>,
    reload: Callback<()>,
    outcome: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let picked = RwSignal::new(cases.iter().map(|(id, _, _)| *id).collect::<std::collections::HashSet<i64>>());
    let v = |s: String| RwSignal::new(s);
    let (decision_no, decided_on, signer) = (v(String::new()), v(today()), v(String::new()));
    let error = RwSignal::new(None::<String>);
    let none = || RwSignal::new(None::<String>);
    let all = cases.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let chosen = picked.get_untracked();
        let items = all
            .iter()
            .filter(|(id, _, _)| chosen.contains(id))
            .map(|(id, version, _)| shared::api::admissions::BatchItem { id: *id, version: *version })
            .collect();
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|x| !x.trim().is_empty());
        let req = shared::api::admissions::BatchApproveRequest {
            items,
            decision_no: text(decision_no),
            decided_on: text(decided_on),
            signer: text(signer),
        };
        let names = all.clone();
        spawn_local(async move {
            match api::batch_approve(&req).await {
                Ok(results) => {
                    let failed: Vec<String> = results
                        .iter()
                        .filter(|r| !r["problem"].is_null())
                        .map(|r| {
                            let id = r["id"].as_i64().unwrap_or_default();
                            let name =
                                names.iter().find(|(i, _, _)| *i == id).map(|(_, _, n)| n.clone()).unwrap_or_default();
                            format!("{name}: {}", r["problem"]["title"].as_str().unwrap_or_default())
                        })
                        .collect();
                    let done = results.len() - failed.len();
                    outcome.set(Some(format!(
                        "{done} {}{}",
                        T::Approved.text(lang),
                        if failed.is_empty() { String::new() } else { format!(" · {}", failed.join("; ")) }
                    )));
                    reload.run(());
                }
                Err(e) => error.set(Some(match e.for_form(lang) {
                    FormFailure::Fields(errs) => api::fields_text(&errs, lang),
                    FormFailure::Stale => T::ActedFirst.text(lang).to_owned(),
                    FormFailure::Message(m) => m,
                })),
            }
        });
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    view! {
        <details class="card" data-test="batch-approval">
            <summary>{move || i18n.t(T::BatchApprove)}</summary>
            <form on:submit=submit novalidate>
                {cases.into_iter().map(|(id, _, name)| view! {
                    <label class="check"><input type="checkbox" data-test=format!("batch-{id}") prop:checked=move || picked.get().contains(&id)
                        on:change=move |ev| picked.update(|p| { if event_target_checked(&ev) { p.insert(id); } else { p.remove(&id); } }) />
                        {name}</label>
                }).collect_view()}
                <Field name="batch_decision_no" label=label(T::DecisionNo) value=decision_no error=none() />
                <Field name="batch_decided_on" label=label(T::DecisionDate) value=decided_on error=none() kind="date" />
                <Field name="batch_signer" label=label(T::Signer) value=signer error=none() />
                <p class="form-error" role="alert" data-test="batch-error">{move || error.get().unwrap_or_default()}</p>
                <button type="submit" class="primary" data-test="confirm-batch">{move || i18n.t(T::BatchApprove)}</button>
            </form>
        </details>
    }
}
