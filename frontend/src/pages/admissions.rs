//! Admission on a phone: the youth's own application (fill, save, submit, follow the timeline,
//! withdraw) and the cadre's inbox of cases waiting for their decision.

use crate::api::{self, FormFailure};
use crate::components::batch::summary;
use crate::components::confirm::ConfirmBox;
use crate::components::field::Field;
use crate::components::form_errors::{FormErrors, FormSummary};
use crate::components::status::{ErrorBox, Loading, Notice};
use crate::components::unit_picker::UnitPicker;
use crate::i18n::{use_i18n, T};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::api::admissions::{
    AdmissionAction, AdmissionCard, AdmissionState, AdmissionTransitionRequest, AdmissionView, ApplicationForm,
};
use shared::api::org_units::OrgUnitView;

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

/// The heading of an inbox group: what the cases in that state wait for.
fn waiting_for(state: AdmissionState) -> T {
    match state {
        AdmissionState::Applied => T::WaitApplied,
        AdmissionState::InTraining => T::WaitInTraining,
        AdmissionState::Trained => T::WaitTrained,
        AdmissionState::Proposed => T::WaitProposed,
        AdmissionState::Approved => T::WaitApproved,
        _ => T::AdmissionInbox,
    }
}

/// A step that ends or sets back a case: shown in red and asked twice.
fn is_destructive(action: AdmissionAction) -> bool {
    matches!(action, AdmissionAction::Return | AdmissionAction::Reject | AdmissionAction::Withdraw)
}

/// `/ket-nap`: the signed-in youth's application.
#[component]
pub fn ApplyPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let refresh = RwSignal::new(0u32);
    let mine = LocalResource::new(move || {
        refresh.get();
        api::my_admissions()
    });
    let error = RwSignal::new(None::<String>);
    // Kept here so a message survives the reload that follows a save.
    let notice = RwSignal::new(None::<String>);
    let start = move |_| {
        // What the youth typed when registering is the application's start.
        let form = session
            .me
            .get_untracked()
            .map(|me| ApplicationForm {
                full_name: me.user.full_name.clone(),
                date_of_birth: me.user.date_of_birth.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
                ..Default::default()
            })
            .unwrap_or_default();
        spawn_local(async move {
            match api::create_admission(&form).await {
                Ok(_) => refresh.update(|n| *n += 1),
                Err(e) => error.set(Some(e.message(i18n.lang.get_untracked()))),
            }
        });
    };
    let reload = Callback::new(move |_| refresh.update(|n| *n += 1));
    view! {
        <main class="page narrow" data-test="apply-page">
            <h1>{move || i18n.t(T::Admission)}</h1>
            <Notice text=notice />
            <p class="form-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            {move || match mine.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(list)) => match list.into_iter().find(|a| !a.state.is_final() || a.state == AdmissionState::Admitted) {
                    Some(a) => view! { <Application admission=a reload=reload notice=notice /> }.into_any(),
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
fn Application(admission: AdmissionView, reload: Callback<()>, notice: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let state = admission.state;
    let (id, version) = (admission.id, admission.version);
    let error = RwSignal::new(None::<String>);
    let asking = RwSignal::new(None::<String>);
    let withdraw = Callback::new(move |_| {
        let req =
            AdmissionTransitionRequest { action: AdmissionAction::Withdraw.as_str().into(), ..Default::default() };
        spawn_local(async move {
            match api::transition_admission(id, version, &req).await {
                Ok(_) => reload.run(()),
                Err(e) => error.set(Some(e.message(i18n.lang.get_untracked()))),
            }
        });
    });
    let can_withdraw = admission.allowed_actions.contains(&AdmissionAction::Withdraw);
    let draft = admission.clone();
    let sent = admission.clone();
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
        {if state == AdmissionState::Draft {
            view! { <ApplicationFormCard admission=draft.clone() reload=reload notice=notice /> }.into_any()
        } else {
            view! {
                <details class="card" data-test="sent-form">
                    <summary>{move || i18n.t(T::SentApplication)}</summary>
                    <ApplicationDetails admission=sent.clone() />
                </details>
            }.into_any()
        }}
        <section class="card">
            <h2>{move || i18n.t(T::Timeline)}</h2>
            <Timeline admission=admission.clone() />
        </section>
        <p class="form-error" role="alert">{move || error.get().unwrap_or_default()}</p>
        <Show when=move || can_withdraw>
            <button type="button" class="danger" data-test="withdraw"
                on:click=move |_| asking.set(Some(T::AskWithdraw.text(i18n.lang.get_untracked()).to_owned()))>
                {move || i18n.t(T::Withdraw)}
            </button>
            <ConfirmBox asking=asking on_yes=withdraw />
        </Show>
    }
}

/// The steps a case went through, oldest first.
#[component]
fn Timeline(admission: AdmissionView) -> impl IntoView {
    let i18n = use_i18n();
    view! {
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
    }
}

/// What an application says, as sent: read by the youth after submitting and by the cadre
/// before deciding.
#[component]
fn ApplicationDetails(admission: AdmissionView) -> impl IntoView {
    let i18n = use_i18n();
    let f = admission.form.clone();
    let row = move |label: T, value: Option<String>, test: &'static str| {
        value.filter(|v| !v.trim().is_empty()).map(|v| {
            view! {
                <div class="kv">
                    <dt>{move || i18n.t(label)}</dt>
                    <dd data-test=test>{v}</dd>
                </div>
            }
        })
    };
    let born = chrono::NaiveDate::parse_from_str(&f.date_of_birth, "%Y-%m-%d").ok().map(crate::i18n::date);
    let gender = shared::cccd::Gender::parse(&f.gender);
    let letter = f.application_text.clone().unwrap_or_default();
    view! {
        <dl class="kvs case-details">
            {row(T::FullName, Some(f.full_name.clone()), "detail-name")}
            {row(T::DateOfBirth, born, "detail-born")}
            <div class="kv">
                <dt>{move || i18n.t(T::Gender)}</dt>
                <dd>{move || gender.map(|g| g.label(i18n.lang.get()).to_owned()).unwrap_or_default()}</dd>
            </div>
            {row(T::NationalId, f.national_id.clone(), "detail-national-id")}
            {row(T::Phone, f.phone.clone(), "detail-phone")}
            {row(T::Hometown, f.profile.hometown.clone(), "detail-hometown")}
            {row(T::Branch, Some(admission.unit_name.clone()), "detail-branch")}
            {row(T::Introducer, admission.introducer_name.clone().or(f.introducer_org.clone()), "detail-introducer")}
            {row(T::ClassResultLabel, admission.class_result.clone(), "detail-class-result")}
            {row(T::GuardianName, f.guardian_name.clone(), "detail-guardian")}
        </dl>
        <h3>{move || i18n.t(T::ApplicationText)}</h3>
        <p class="letter" data-test="detail-letter">{letter}</p>
    }
}

/// The fields of the application form, by the API's names, with their labels.
const FORM_FIELDS: &[(&str, T)] = &[
    ("full_name", T::FullName),
    ("date_of_birth", T::DateOfBirth),
    ("gender", T::Gender),
    ("national_id", T::NationalId),
    ("phone", T::Phone),
    ("hometown", T::Hometown),
    ("unit_id", T::Branch),
    ("introducer_member_id", T::Introducer),
    ("introducer_org", T::IntroducerOrg),
    ("application_text", T::ApplicationText),
    ("guardian_name", T::GuardianName),
    ("guardian_phone", T::GuardianPhone),
    ("guardian_consent", T::GuardianConsent),
];

#[component]
fn ApplicationFormCard(
    admission: AdmissionView,
    reload: Callback<()>,
    notice: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let f = admission.form.clone();
    let (id, version) = (admission.id, admission.version);
    let text = |v: &Option<String>| RwSignal::new(v.clone().unwrap_or_default());
    // A draft started before the account's name was known is filled from the account.
    let me = session.me.get_untracked();
    let full_name = RwSignal::new(if f.full_name.is_empty() {
        me.as_ref().map(|m| m.user.full_name.clone()).unwrap_or_default()
    } else {
        f.full_name.clone()
    });
    let born = RwSignal::new(if f.date_of_birth.is_empty() {
        me.as_ref().and_then(|m| m.user.date_of_birth).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default()
    } else {
        f.date_of_birth.clone()
    });
    let gender = RwSignal::new(f.gender.clone());
    let (national_id, phone, hometown) = (text(&f.national_id), text(&f.phone), text(&f.profile.hometown));
    let (application_text, introducer_org) = (text(&f.application_text), text(&f.introducer_org));
    let (guardian_name, guardian_phone) = (text(&f.guardian_name), text(&f.guardian_phone));
    let consent = RwSignal::new(f.guardian_consent);
    let branch = RwSignal::new(None::<OrgUnitView>);
    let introducer_q = RwSignal::new(String::new());
    let introducer = RwSignal::new(f.introducer_member_id.zip(admission.introducer_name.clone()));
    let errors = FormErrors::new(FORM_FIELDS);
    let asking = RwSignal::new(None::<String>);
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
    let find_introducer = move |_| {
        let q = introducer_q.get_untracked();
        spawn_local(async move {
            match api::find_introducer(&q).await {
                // The name comes masked, and the branch only where the youth applies to it.
                Ok(found) => introducer.set(Some((
                    found.member_id,
                    [found.full_name, found.unit_name]
                        .into_iter()
                        .filter(|s| !s.is_empty())
                        .collect::<Vec<_>>()
                        .join(" · "),
                ))),
                Err(e) => errors.message(e.message(i18n.lang.get_untracked())),
            }
        });
    };
    // Saves the draft, then (when `submit`) sends it.
    let send = move |submit: bool| {
        let lang = i18n.lang.get_untracked();
        let form = build();
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
                    notice.set(Some((if submit { T::ApplicationSent } else { T::DraftSaved }).text(lang).to_owned()));
                    reload.run(());
                }
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => errors.show(&errs, lang),
                    FormFailure::Stale => reload.run(()),
                    FormFailure::Message(m) => errors.message(m),
                },
            }
        });
    };
    let save_draft = move |_| {
        errors.clear();
        notice.set(None);
        send(false);
    };
    // Submitting cannot be undone: the shared checks first, then a question.
    let ask_submit = move |_| {
        let lang = i18n.lang.get_untracked();
        notice.set(None);
        match build().validate(chrono::Local::now().date_naive()) {
            Err(errs) => errors.show(&errs, lang),
            Ok(_) => {
                errors.clear();
                asking.set(Some(T::AskSubmit.text(lang).to_owned()));
            }
        }
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    let field = move |name: &'static str, key: T, value: RwSignal<String>, kind: &'static str| {
        view! { <Field name=name label=label(key) value=value error=errors.of(name) kind=kind /> }
    };
    let text_error = errors.of("application_text");
    let gender_error = errors.of("gender");
    let branch_error = errors.of("unit_id");
    view! {
        <section class="card" data-test="application-form">
            <h2>{move || i18n.t(T::ApplicationForm)}</h2>
            <FormSummary errors=errors test="application-error" />
            {field("full_name", T::FullName, full_name, "text")}
            {field("date_of_birth", T::DateOfBirth, born, "date")}
            <div class="field" class:invalid=move || gender_error.get().is_some()>
                <label for="applicant-gender">{move || i18n.t(T::Gender)}</label>
                <select id="applicant-gender" data-test="applicant-gender" prop:value=move || gender.get()
                    on:change=move |ev| { gender.set(event_target_value(&ev)); gender_error.set(None) }>
                    <option value="">{move || i18n.t(T::Choose)}</option>
                    <option value="female">{move || i18n.t(T::Female)}</option>
                    <option value="male">{move || i18n.t(T::Male)}</option>
                </select>
                <p class="field-error" role="alert" data-test="gender-error">{move || gender_error.get().unwrap_or_default()}</p>
            </div>
            {field("national_id", T::NationalId, national_id, "text")}
            {field("phone", T::Phone, phone, "tel")}
            {field("hometown", T::Hometown, hometown, "text")}
            <p class="item-meta">{move || i18n.t(T::Branch)} ": " {current_unit.clone()}</p>
            <UnitPicker chosen=branch kinds="branch" label=T::Branch />
            <p class="field-error" role="alert" data-test="unit_id-error">{move || branch_error.get().unwrap_or_default()}</p>
            <div class="field">
                <label for="introducer-q">{move || i18n.t(T::IntroducerLookup)}</label>
                <div class="actions-row">
                    <input id="introducer-q" data-test="introducer-q" inputmode="tel" prop:value=move || introducer_q.get() on:input=move |ev| introducer_q.set(event_target_value(&ev)) />
                    <button type="button" data-test="find-introducer" on:click=find_introducer>{move || i18n.t(T::Find)}</button>
                </div>
                <p class="notice" data-test="introducer" hidden=move || introducer.get().is_none()>{move || introducer.get().map(|(_, n)| n).unwrap_or_default()}</p>
            </div>
            {field("introducer_org", T::IntroducerOrg, introducer_org, "text")}
            <div class="field" class:invalid=move || text_error.get().is_some()>
                <label for="application_text">{move || i18n.t(T::ApplicationText)}</label>
                <textarea id="application_text" data-test="application_text" rows="6"
                    prop:value=move || application_text.get() on:input=move |ev| application_text.set(event_target_value(&ev))></textarea>
                <p class="field-error" role="alert" data-test="application_text-error">{move || text_error.get().unwrap_or_default()}</p>
            </div>
            <details>
                <summary class="tap">{move || i18n.t(T::GuardianIfMinor)}</summary>
                {field("guardian_name", T::GuardianName, guardian_name, "text")}
                {field("guardian_phone", T::GuardianPhone, guardian_phone, "tel")}
                <label class="check"><input type="checkbox" data-test="guardian_consent" prop:checked=move || consent.get()
                    on:change=move |ev| consent.set(event_target_checked(&ev)) /> {move || i18n.t(T::GuardianConsent)}</label>
            </details>
            <div class="actions-row">
                <button type="button" data-test="save-draft" on:click=save_draft>{move || i18n.t(T::SaveDraft)}</button>
                <button type="button" class="primary" data-test="submit-application" on:click=ask_submit>{move || i18n.t(T::SubmitApplication)}</button>
            </div>
            <ConfirmBox asking=asking on_yes=Callback::new(move |_| send(true)) danger=false />
        </section>
    }
}

/// `/ket-nap/hop-thu`: the cases waiting for the signed-in cadre, a group per step, oldest
/// first, a page at a time.
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
    // What the last decision did; kept while the list reloads.
    let outcome = RwSignal::new(None::<String>);
    let reload = Callback::new(move |_| {
        later.set(Vec::new());
        cursor.set(None);
        refresh.update(|n| *n += 1);
    });
    let decided = Callback::new(move |text: String| {
        outcome.set(Some(text));
        reload.run(());
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
                    let groups: Vec<(AdmissionState, Vec<AdmissionCard>)> = AdmissionState::ALL
                        .iter()
                        .map(|s| (*s, list.iter().filter(|a| a.state == *s).cloned().collect::<Vec<_>>()))
                        .filter(|(_, cases)| !cases.is_empty())
                        .collect();
                    view! {
                        {(approvable.len() > 1).then(|| view! { <BatchApproval cases=approvable.clone() reload=reload outcome=outcome /> })}
                        {groups.into_iter().map(|(state, cases)| {
                            let n = cases.len();
                            view! {
                                <section class="inbox-group" data-test=format!("inbox-group-{}", state.as_str())>
                                    <h2>{move || i18n.t(waiting_for(state))} <span class="badge">{n}</span></h2>
                                    <ul class="list">
                                        {cases.into_iter().map(|a| view! { <CaseCard admission=a reload=reload decided=decided /> }).collect_view()}
                                    </ul>
                                </section>
                            }
                        }).collect_view()}
                    }.into_any()
                }
            }}
            <Show when=move || next().is_some()>
                <button type="button" data-test="inbox-more" on:click=more>{move || i18n.t(T::ShowMore)}</button>
            </Show>
        </main>
    }
}

/// The fields of a decision, by the API's names, with their labels.
const DECISION_FIELDS: &[(&str, T)] = &[
    ("class_id", T::OrientationClass),
    ("meeting_on", T::MeetingOn),
    ("present", T::Present),
    ("votes_for", T::VotesFor),
    ("votes_against", T::VotesAgainst),
    ("decision_no", T::DecisionNo),
    ("decided_on", T::DecisionDate),
    ("signer", T::Signer),
    ("ceremony_on", T::CeremonyOn),
    ("card_number", T::CardNumber),
    ("reason", T::Reason),
];

#[component]
fn CaseCard(admission: AdmissionCard, reload: Callback<()>, decided: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let state = admission.state;
    let (id, version) = (admission.id, admission.version);
    let name = admission.full_name.clone();
    let chosen = RwSignal::new(None::<AdmissionAction>);
    let v = |s: &str| RwSignal::new(s.to_owned());
    let (meeting_on, present, votes_for, votes_against) = (v(&today()), v(""), v(""), v("0"));
    let (decision_no, decided_on, signer) = (v(""), v(&today()), v(""));
    let (ceremony_on, card_number, reason, class_id) = (v(&today()), v(""), v(""), v(""));
    let errors = FormErrors::new(DECISION_FIELDS);
    let asking = RwSignal::new(None::<String>);
    let classes = LocalResource::new(api::open_classes);
    let opened = RwSignal::new(false);
    let details = LocalResource::new(move || {
        let open = opened.get();
        async move {
            if open {
                Some(api::get_admission(id).await)
            } else {
                None
            }
        }
    });
    let request = move || {
        let action = chosen.get_untracked()?;
        let num = |s: RwSignal<String>| s.get_untracked().trim().parse::<i32>().ok();
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|x| !x.trim().is_empty());
        Some(AdmissionTransitionRequest {
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
        })
    };
    let done_name = name.clone();
    let send = Callback::new(move |_: ()| {
        let (Some(action), Some(req)) = (chosen.get_untracked(), request()) else { return };
        let lang = i18n.lang.get_untracked();
        let who = done_name.clone();
        spawn_local(async move {
            match api::transition_admission(id, version, &req).await {
                Ok(_) => decided.run(format!("{} {}: {who}", T::DecisionDone.text(lang), action.label(lang))),
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => errors.show(&errs, lang),
                    FormFailure::Stale => {
                        errors.message(T::ActedFirst.text(lang));
                        reload.run(());
                    }
                    FormFailure::Message(m) => errors.message(m),
                },
            }
        });
    });
    let ask_name = StoredValue::new(name.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(action), Some(req)) = (chosen.get_untracked(), request()) else { return };
        let lang = i18n.lang.get_untracked();
        if let Err(errs) = req.validate(chrono::Local::now().date_naive()) {
            errors.show(&errs, lang);
            return;
        }
        errors.clear();
        if is_destructive(action) {
            asking.set(Some(format!("{} {}?", action.label(lang), ask_name.get_value())));
        } else {
            send.run(());
        }
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    let field = move |name: &'static str, field: &'static str, key: T, value: RwSignal<String>, kind: &'static str| {
        view! { <Field name=name label=label(key) value=value error=errors.of(field) kind=kind /> }
    };
    let vote = admission
        .votes_for
        .map(|f| format!("{f}/{} ({})", admission.present.unwrap_or(0), admission.votes_against.unwrap_or(0)));
    let actions = admission.allowed_actions.clone();
    let class_error = errors.of("class_id");
    view! {
        <li class="card" data-test="admission-case">
            <p class="item-title">{name.clone()} " · " {match admission.age_at_meeting {
                Some(age) => view! { {age} " " {move || i18n.t(T::AgeAtMeeting)} }.into_any(),
                None => view! { {admission.age} " " {move || i18n.t(T::YearsOld)} }.into_any(),
            }}</p>
            <p class="item-meta">{admission.unit_name.clone()} " · " <span data-test="case-state">{move || state.label(i18n.lang.get())}</span></p>
            {admission.class_result.clone().map(|r| view! { <p class="item-meta">{move || i18n.t(T::ClassResultLabel)} ": " {r.clone()}</p> })}
            {vote.map(|v| view! { <p class="item-meta">{move || i18n.t(T::Vote)} ": " {v.clone()}</p> })}
            {admission.introducer.clone().map(|n| view! { <p class="item-meta">{move || i18n.t(T::Introducer)} ": " {n.clone()}</p> })}
            <button type="button" class="link-button" data-test="case-open" aria-expanded=move || if opened.get() { "true" } else { "false" }
                on:click=move |_| opened.update(|o| *o = !*o)>
                {move || i18n.t(if opened.get() { T::HideCase } else { T::OpenCase })}
            </button>
            <Show when=move || opened.get()>
                <div data-test="case-details">
                    {move || match details.get().flatten() {
                        None => view! { <Loading /> }.into_any(),
                        Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                        Some(Ok(a)) => view! {
                            <ApplicationDetails admission=a.clone() />
                            <h3>{move || i18n.t(T::Timeline)}</h3>
                            <Timeline admission=a />
                        }.into_any(),
                    }}
                </div>
            </Show>
            <div class="actions-row">
                {actions.into_iter().map(|a| view! {
                    <button type="button" data-test=format!("case-{}", a.as_str())
                        class:danger=is_destructive(a) class:primary-action=!is_destructive(a)
                        aria-pressed=move || if chosen.get() == Some(a) { "true" } else { "false" }
                        on:click=move |_| { errors.clear(); chosen.set(Some(a)) }>{move || a.label(i18n.lang.get())}</button>
                }).collect_view()}
            </div>
            <Show when=move || chosen.get().is_some()>
                <form on:submit=submit novalidate data-test="case-form">
                    <FormSummary errors=errors test="case-error" />
                    <Show when=move || chosen.get() == Some(AdmissionAction::StartTraining)>
                        <div class="field" class:invalid=move || class_error.get().is_some()>
                            <label for=format!("class-{id}")>{move || i18n.t(T::OrientationClass)}</label>
                            <select id=format!("class-{id}") data-test="case-class" on:change=move |ev| class_id.set(event_target_value(&ev))>
                                <option value="">{move || i18n.t(T::Choose)}</option>
                                {move || classes.get().and_then(Result::ok).unwrap_or_default().into_iter()
                                    .filter(|c| c.kind == shared::api::classes::ClassKind::Orientation)
                                    .map(|c| view! { <option value=c.id.to_string()>{c.title.clone()}</option> }).collect_view()}
                            </select>
                            <p class="field-error" role="alert" data-test="class_id-error">{move || class_error.get().unwrap_or_default()}</p>
                        </div>
                    </Show>
                    <Show when=move || chosen.get() == Some(AdmissionAction::Propose)>
                        {field("meeting_on", "meeting_on", T::MeetingOn, meeting_on, "date")}
                        {field("present", "present", T::Present, present, "number")}
                        {field("votes_for", "votes_for", T::VotesFor, votes_for, "number")}
                        {field("votes_against", "votes_against", T::VotesAgainst, votes_against, "number")}
                    </Show>
                    <Show when=move || chosen.get() == Some(AdmissionAction::Approve)>
                        {field("decision_no", "decision_no", T::DecisionNo, decision_no, "text")}
                        {field("decided_on", "decided_on", T::DecisionDate, decided_on, "date")}
                        {field("signer", "signer", T::Signer, signer, "text")}
                    </Show>
                    <Show when=move || chosen.get() == Some(AdmissionAction::Admit)>
                        {field("ceremony_on", "ceremony_on", T::CeremonyOn, ceremony_on, "date")}
                        {field("card_number", "card_number", T::CardNumber, card_number, "text")}
                    </Show>
                    <Show when=move || matches!(chosen.get(), Some(AdmissionAction::Return | AdmissionAction::Reject))>
                        {field("case_reason", "reason", T::Reason, reason, "text")}
                    </Show>
                    <button type="submit" data-test="confirm-case"
                        class:primary=move || !chosen.get().is_some_and(is_destructive)
                        class:danger=move || chosen.get().is_some_and(is_destructive)>
                        {move || format!("{}: {}", i18n.t(T::ConfirmAction), chosen.get().map(|a| a.label(i18n.lang.get())).unwrap_or_default())}
                    </button>
                    <ConfirmBox asking=asking on_yes=send />
                </form>
            </Show>
        </li>
    }
}

/// The fields of a batch approval, by the API's names, with their labels.
const BATCH_FIELDS: &[(&str, T)] =
    &[("items", T::Cases), ("decision_no", T::DecisionNo), ("decided_on", T::DecisionDate), ("signer", T::Signer)];

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
    let errors = FormErrors::new(BATCH_FIELDS);
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
        errors.clear();
        spawn_local(async move {
            match api::batch_approve(&req).await {
                Ok(results) => {
                    let name_of = |id: i64| {
                        names.iter().find(|(i, _, _)| *i == id).map(|(_, _, n)| n.clone()).unwrap_or_default()
                    };
                    outcome.set(Some(summary(&results, name_of, T::Approved.text(lang))));
                    reload.run(());
                }
                Err(e) => errors.failed(e, lang),
            }
        });
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    view! {
        <details class="card" data-test="batch-approval">
            <summary class="tap">{move || i18n.t(T::BatchApprove)}</summary>
            <form on:submit=submit novalidate>
                <FormSummary errors=errors test="batch-error" />
                {cases.into_iter().map(|(id, _, name)| view! {
                    <label class="check"><input type="checkbox" data-test=format!("batch-{id}") prop:checked=move || picked.get().contains(&id)
                        on:change=move |ev| picked.update(|p| { if event_target_checked(&ev) { p.insert(id); } else { p.remove(&id); } }) />
                        {name}</label>
                }).collect_view()}
                <Field name="batch_decision_no" label=label(T::DecisionNo) value=decision_no error=errors.of("decision_no") />
                <Field name="batch_decided_on" label=label(T::DecisionDate) value=decided_on error=errors.of("decided_on") kind="date" />
                <Field name="batch_signer" label=label(T::Signer) value=signer error=errors.of("signer") />
                <button type="submit" class="primary" data-test="confirm-batch">{move || i18n.t(T::BatchApprove)}</button>
            </form>
        </details>
    }
}
