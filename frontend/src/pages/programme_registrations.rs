//! `/ren-luyen`: a member's "Rèn luyện đoàn viên" — their branch's programme for this period;
//! registering (required items shown as such, optional ones to pick, a commitment per heading),
//! then a bar per item as progress is recorded, the self-assessment and the branch's evaluation.

use crate::api::{self, FormFailure};
use crate::components::evidence::{describe, EvidenceFields, EvidenceInput, ProgressEntries};
use crate::components::field::Field;
use crate::components::form_errors::{FormErrors, FormSummary};
use crate::components::status::{ErrorBox, Loading};
use crate::i18n::{use_i18n, T};
use crate::pages::admission_stats::Bar;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::programmes::{
    ProgrammeResult, ProgrammeView, ProgressForm, RegistrationAction, RegistrationForm, RegistrationTransitionRequest,
    RegistrationView,
};
use shared::{ErrorCode, Lang};

/// `/ren-luyen`.
#[component]
pub fn TrainingPage() -> impl IntoView {
    let i18n = use_i18n();
    let refresh = RwSignal::new(0u32);
    let programme = LocalResource::new(move || {
        refresh.get();
        api::current_programme()
    });
    let reload = Callback::new(move |_: ()| refresh.update(|n| *n += 1));
    view! {
        <main class="page narrow" data-test="training-page">
            <h1>{move || i18n.t(T::Training)}</h1>
            {move || match programme.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(api::ApiFailure::Rejected(p))) if p.code() == Some(ErrorCode::NotFound) => {
                    view! { <p class="card" data-test="no-programme">{move || i18n.t(T::NoProgramme)}</p> }.into_any()
                }
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(p)) => view! { <ProgrammeCard programme=p reload=reload /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn ProgrammeCard(programme: ProgrammeView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let window = format!("{} – {}", programme.registration_opens_on, programme.registration_closes_on);
    let header = view! {
        <section class="card">
            <h2 data-test="programme-title">{programme.title.clone()}</h2>
            <p class="item-meta">{programme.unit_name.clone()} " · " {move || i18n.t(T::RegistrationCloses)} ": " {window.clone()}</p>
        </section>
    };
    let body = match programme.my_registration_id {
        Some(id) => view! { <MyRegistration id=id /> }.into_any(),
        None if programme.registration_open => view! { <RegisterForm programme=programme done=reload /> }.into_any(),
        None => view! { <p class="card" data-test="registration-closed">{move || i18n.t(T::RegistrationClosed)}</p> }
            .into_any(),
    };
    view! { {header} {body} }
}

/// The registration form: optional items to tick, a commitment under each heading.
#[component]
fn RegisterForm(programme: ProgrammeView, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(Vec::<i64>::new());
    let texts: Vec<(i64, RwSignal<String>)> =
        programme.headings.iter().map(|h| (h.id, RwSignal::new(String::new()))).collect();
    let errors = FormErrors::new(&[("optional_item_ids", T::OptionalItems), ("commitments", T::Commitments)]);
    let stored = StoredValue::new((programme.clone(), texts.clone()));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let (programme, texts) = stored.get_value();
        let form = RegistrationForm {
            member_id: None,
            optional_item_ids: chosen.get_untracked(),
            commitments: texts
                .iter()
                .filter(|(_, t)| !t.get_untracked().trim().is_empty())
                .map(|(h, t)| shared::api::programmes::CommitmentForm { heading_id: Some(*h), text: t.get_untracked() })
                .collect(),
        };
        if let Err(errs) = form.validate(&programme) {
            errors.show(&errs, lang);
            return;
        }
        errors.clear();
        spawn_local(async move {
            match api::register_programme(programme.id, &form).await {
                Ok(_) => done.run(()),
                Err(e) => show_failure(errors, e, lang),
            }
        });
    };
    let min = programme.min_optional;
    view! {
        <form class="card" on:submit=submit novalidate data-test="register-form">
            <h2>{move || i18n.t(T::TrainingRegister)}</h2>
            <FormSummary errors=errors />
            <p class="item-meta">{move || i18n.t(T::ChooseAtLeast)} " " {min}</p>
            {programme.headings.into_iter().zip(texts).enumerate().map(|(n, (h, (_, text)))| view! {
                <fieldset class="field heading" data-test="heading">
                    <legend>{h.title.clone()}</legend>
                    {h.items.into_iter().map(|item| {
                        let id = item.id;
                        let target = format!("{} {}", item.target, item.counted);
                        if item.required {
                            view! {
                                <p class="choice" data-test=format!("item-{id}")>
                                    {item.title.clone()} " · " {target}
                                    <span class="badge">{move || i18n.t(T::RequiredItem)}</span>
                                </p>
                            }.into_any()
                        } else {
                            view! {
                                <label class="radio choice">
                                    <input type="checkbox" data-test=format!("choose-{id}")
                                        prop:checked=move || chosen.with(|c| c.contains(&id))
                                        on:change=move |ev| chosen.update(|c| {
                                            c.retain(|x| *x != id);
                                            if event_target_checked(&ev) { c.push(id) }
                                        }) />
                                    {item.title.clone()} " · " {target}
                                </label>
                            }.into_any()
                        }
                    }).collect_view()}
                    <label for=format!("commitment-{n}")>{move || i18n.t(T::Commitment)}</label>
                    <textarea id=format!("commitment-{n}") data-test=format!("commitment-{n}") rows="2"
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </fieldset>
            }).collect_view()}
            <p class="field-error" role="alert" data-test="optional-error">{move || errors.of("optional_item_ids").get().unwrap_or_default()}</p>
            <button type="submit" class="primary" data-test="register-submit">{move || i18n.t(T::SubmitRegistration)}</button>
        </form>
    }
}

fn show_failure(errors: FormErrors, e: api::ApiFailure, lang: Lang) {
    match e.for_form(lang) {
        FormFailure::Fields(errs) => errors.show(&errs, lang),
        FormFailure::Stale => errors.message(T::ActedFirst.text(lang)),
        FormFailure::Message(m) => errors.message(m),
    }
}

/// The member's registration: progress per item, the self-assessment, the evaluation.
#[component]
fn MyRegistration(id: i64) -> impl IntoView {
    let refresh = RwSignal::new(0u32);
    let registration = LocalResource::new(move || {
        refresh.get();
        api::get_registration(id)
    });
    let reload = Callback::new(move |_: ()| refresh.update(|n| *n += 1));
    // Survives the reload after a progress entry whose evidence was not sent.
    let notice = RwSignal::new(None::<String>);
    move || {
        match registration.get() {
        None => view! { <Loading /> }.into_any(),
        Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
        Some(Ok(r)) => {
            let (open, may_assess) = (r.result.is_none(), r.allowed_actions.contains(&RegistrationAction::SelfAssess));
            view! {
                <ProgressCard registration=r.clone() />
                <ProgressEntries registration=r.clone() />
                <EvaluationCard registration=r.clone() />
                {move || notice.get().map(|n| view! { <p class="card field-error" role="alert" data-test="evidence-notice">{n}</p> })}
                {open.then(|| view! { <ProgressForm registration=r.clone() done=reload notice=notice /> })}
                {may_assess.then(|| view! { <SelfAssessForm registration=r.clone() done=reload /> })}
            }
        }
        .into_any(),
    }
    }
}

#[component]
fn ProgressCard(registration: RegistrationView) -> impl IntoView {
    let i18n = use_i18n();
    let overall = registration.percent;
    view! {
        <section class="card" data-test="my-progress">
            <h2>{move || i18n.t(T::Progress)}</h2>
            <p class="figure"><strong data-test="overall-percent">{overall} "%"</strong> " " {move || i18n.t(T::OverallProgress)}</p>
            <Bar value=overall max=100 label=format!("{overall}%") />
            <ul class="bars stacked">
                {registration.items.into_iter().map(|item| {
                    let figure = format!("{}/{} {}", item.done, item.target, item.counted);
                    view! {
                        <li data-test=format!("progress-{}", item.item_id)>
                            <span class="bar-label">{item.title.clone()}
                                {item.fills_from.is_some().then(|| view! { <span class="badge">{move || i18n.t(T::FilledByClass)}</span> })}</span>
                            <Bar value=i64::from(item.done.min(item.target)) max=i64::from(item.target) label=figure.clone() />
                            <span class="bar-value" data-test=format!("done-{}", item.item_id)>{figure}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn EvaluationCard(registration: RegistrationView) -> impl IntoView {
    let i18n = use_i18n();
    let state = registration.state;
    let own = registration.self_result;
    let result = registration.result;
    let comment = registration.comment.clone();
    view! {
        <section class="card" data-test="my-evaluation">
            <p class="item-meta" data-test="registration-state">{move || state.label(i18n.lang.get())}</p>
            {own.map(|r| view! {
                <p>{move || i18n.t(T::ProposedResult)} ": " <strong data-test="self-result">{move || r.label(i18n.lang.get())}</strong></p>
            })}
            {result.map(|r| view! {
                <p>{move || i18n.t(T::Evaluation)} ": " <strong data-test="evaluation-result">{move || r.label(i18n.lang.get())}</strong></p>
                <p class="item-meta">{comment.clone()}</p>
            })}
        </section>
    }
}

/// Records progress on one of the registration's items, with a photo, PDF or link as evidence.
#[component]
fn ProgressForm(registration: RegistrationView, done: Callback<()>, notice: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let item = RwSignal::new(registration.items.first().map(|i| i.item_id.to_string()).unwrap_or_default());
    let count = RwSignal::new("1".to_owned());
    let on = RwSignal::new(chrono::Local::now().date_naive().to_string());
    let note = RwSignal::new(String::new());
    let errors = FormErrors::new(&[
        ("item_id", T::Item),
        ("count", T::Count),
        ("done_on", T::DoneOn),
        ("note", T::Note),
        ("file", T::EvidenceFile),
        ("url", T::EvidenceLink),
    ]);
    let evidence = EvidenceInput::new();
    let id = registration.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let form = ProgressForm {
            item_id: item.get_untracked().parse().ok(),
            count: count.get_untracked().trim().parse().ok(),
            done_on: on.get_untracked(),
            note: Some(note.get_untracked()),
        };
        errors.clear();
        notice.set(None);
        if !evidence.check(errors, lang) {
            return;
        }
        spawn_local(async move {
            match api::record_progress(id, &form).await {
                Ok(r) => {
                    // The entry just recorded: the newest.
                    let entry = r.progress.iter().map(|p| p.id).max().unwrap_or_default();
                    if let Err(e) = evidence.send(id, entry).await {
                        notice.set(Some(format!("{} {}", T::EvidenceNotSent.text(lang), describe(e, lang))));
                    }
                    done.run(())
                }
                Err(e) => show_failure(errors, e, lang),
            }
        });
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    view! {
        <form class="card" on:submit=submit novalidate data-test="progress-form">
            <h2>{move || i18n.t(T::RecordProgress)}</h2>
            <FormSummary errors=errors />
            <div class="field">
                <label for="progress-item">{move || i18n.t(T::Item)}</label>
                <select id="progress-item" data-test="progress-item" on:change=move |ev| item.set(event_target_value(&ev))>
                    {registration.items.into_iter().map(|i| view! {
                        <option value=i.item_id.to_string()>{i.title.clone()}</option>
                    }).collect_view()}
                </select>
            </div>
            <Field name="progress_count" label=label(T::Count) value=count error=errors.of("count") kind="number" inputmode="numeric" />
            <Field name="progress_done_on" label=label(T::DoneOn) value=on error=errors.of("done_on") kind="date" />
            <Field name="progress_note" label=label(T::Note) value=note error=errors.of("note") />
            <EvidenceFields input=evidence errors=errors />
            <button type="submit" class="primary" data-test="progress-submit">{move || i18n.t(T::RecordProgress)}</button>
        </form>
    }
}

/// A select of the four results.
#[component]
pub fn ResultSelect(id: String, value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <select id=id.clone() data-test=id on:change=move |ev| value.set(event_target_value(&ev))>
            <option value="" selected=move || value.get().is_empty()>"—"</option>
            {ProgrammeResult::ALL.into_iter().map(|r| view! {
                <option value=r.as_str() selected=move || value.get() == r.as_str()>{move || r.label(i18n.lang.get())}</option>
            }).collect_view()}
        </select>
    }
}

/// The member's self-assessment at the year's end.
#[component]
fn SelfAssessForm(registration: RegistrationView, done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let result = RwSignal::new(registration.self_result.map(|r| r.as_str().to_owned()).unwrap_or_default());
    let text = RwSignal::new(registration.self_text.clone().unwrap_or_default());
    let errors = FormErrors::new(&[("result", T::ProposedResult), ("text", T::SelfText)]);
    let (id, version) = (registration.id, registration.version);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let req = RegistrationTransitionRequest {
            action: RegistrationAction::SelfAssess.as_str().to_owned(),
            result: Some(result.get_untracked()),
            text: Some(text.get_untracked()),
            comment: None,
        };
        if let Err(errs) = req.validate() {
            errors.show(&errs, lang);
            return;
        }
        errors.clear();
        spawn_local(async move {
            match api::transition_registration(id, version, &req).await {
                Ok(_) => done.run(()),
                Err(e) => show_failure(errors, e, lang),
            }
        });
    };
    view! {
        <form class="card" on:submit=submit novalidate data-test="self-assess-form">
            <h2>{move || i18n.t(T::SelfAssess)}</h2>
            <FormSummary errors=errors />
            <div class="field">
                <label for="self-result">{move || i18n.t(T::ProposedResult)}</label>
                <ResultSelect id="self-result".to_owned() value=result />
                <p class="field-error" role="alert">{move || errors.of("result").get().unwrap_or_default()}</p>
            </div>
            <div class="field">
                <label for="self-text">{move || i18n.t(T::SelfText)}</label>
                <textarea id="self-text" data-test="self-text" rows="3"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </div>
            <button type="submit" class="primary" data-test="self-assess-submit">{move || i18n.t(T::SelfAssess)}</button>
        </form>
    }
}
