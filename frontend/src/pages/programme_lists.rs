//! A branch's lists on the cadre's programme page: the members not registered yet (with one
//! step registering them all with the required items), the member × item grid of progress, and
//! the year-end evaluation of the whole list under one decision.

use crate::api::{self, FormFailure};
use crate::components::batch::summary;
use crate::components::confirm::ConfirmBox;
use crate::components::form_errors::{FormErrors, FormSummary};
use crate::components::sheet_import::{Sent, SheetImport};
use crate::components::status::ErrorBox;
use crate::i18n::{use_i18n, T};
use crate::pages::programme_registrations::ResultSelect;
use crate::pages::programmes::programmes_href;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::api::imports::ImportMode;
use shared::api::programme_batches::{EvaluationBatch, EvaluationItem};
use shared::api::programmes::{ProgrammeView, RegistrationState, RegistrationSummary};
use shared::ids::OrgUnitId;

/// The unit's members not registered yet, and the step that registers them all.
#[component]
pub fn Unregistered(programme: ProgrammeView, unit: OrgUnitId, reload: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let id = programme.id;
    let open = programme.registration_open;
    let missing = LocalResource::new(move || api::programme_unregistered(id, unit, 1));
    let asking = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<String>);
    let register_all = Callback::new(move |()| {
        let lang = i18n.lang.get_untracked();
        spawn_local(async move {
            match api::register_unit(id, unit).await {
                Ok(done) => reload.run(format!("{} {}", done.registered, T::RegisteredNow.text(lang))),
                Err(e) => failure.set(Some(match e.for_form(lang) {
                    FormFailure::Message(m) => m,
                    _ => T::ActedFirst.text(lang).to_owned(),
                })),
            }
        });
    });
    view! {
        {move || missing.get().map(|found| match found {
            Err(e) => view! { <ErrorBox failure=e /> }.into_any(),
            Ok(page) if page.total == 0 => view! {
                <p class="item-meta" data-test="all-registered">{move || i18n.t(T::AllRegistered)}</p>
            }.into_any(),
            Ok(page) => {
                let total = page.total;
                view! {
                    <details class="unregistered" data-test="unregistered">
                        <summary class="tap"><span><strong data-test="unregistered-count">{total}</strong> " " {move || i18n.t(T::NotRegisteredYet)}</span></summary>
                        <ul class="list">
                            {page.items.into_iter().map(|m| view! {
                                <li class="list-item" data-test="unregistered-member">
                                    <span class="item-title">{m.full_name}</span>
                                    <span class="item-meta">{m.unit_name} " · " {m.date_of_birth.format("%d/%m/%Y").to_string()}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                    </details>
                    <Show when=move || open>
                        <button type="button" class="primary" data-test="register-all"
                            on:click=move |_| asking.set(Some(format!("{} {total} {}", i18n.t(T::RegisterAllAsk), i18n.t(T::RegisterAllRequired))))>
                            {move || i18n.t(T::RegisterAll)}
                        </button>
                    </Show>
                    <ConfirmBox asking=asking on_yes=register_all danger=false />
                    <p class="field-error" role="alert" hidden=move || failure.get().is_none()>{move || failure.get().unwrap_or_default()}</p>
                }.into_any()
            }
        })}
    }
}

/// The member × item grid: one line per registration, done against the target per item.
#[component]
pub fn ProgressGrid(programme: ProgrammeView, lines: Vec<RegistrationSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let items: Vec<(i64, String)> =
        programme.headings.iter().flat_map(|h| &h.items).map(|i| (i.id, i.title.clone())).collect();
    let header = items.clone();
    view! {
        <details data-test="progress-grid">
            <summary class="tap">{move || i18n.t(T::ProgressGrid)}</summary>
            <table class="report">
                <thead><tr>
                    <th scope="col">{move || i18n.t(T::FullName)}</th>
                    <th scope="col">"%"</th>
                    {header.into_iter().map(|(_, title)| view! { <th scope="col">{title}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {lines.into_iter().map(|line| {
                        let cells = items.iter().map(|(item, _)| {
                            line.items.iter().find(|d| d.item_id == *item)
                                .map(|d| format!("{}/{}", d.done, d.target))
                                .unwrap_or_else(|| "—".to_owned())
                        }).collect::<Vec<_>>();
                        view! {
                            <tr data-test="grid-line">
                                <th scope="row">{line.member_name}</th>
                                <td data-test="grid-percent">{line.percent} "%"</td>
                                {cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}

/// One line of the list being evaluated: whether it is in the decision, and its result.
#[derive(Clone, Copy)]
struct Pick {
    id: i64,
    version: i64,
    chosen: RwSignal<bool>,
    result: RwSignal<String>,
}

/// The year-end evaluation of the branch's list under one decision: each member's result
/// (prefilled with their self-assessment), each case checked on its own by the server.
#[component]
pub fn EvaluateList(programme_id: i64, lines: Vec<RegistrationSummary>, reload: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let pending: Vec<RegistrationSummary> =
        lines.into_iter().filter(|l| l.state != RegistrationState::Evaluated).collect();
    let picks: Vec<(Pick, String)> = pending
        .iter()
        .map(|l| {
            let result = l.self_result.map(|r| r.as_str().to_owned()).unwrap_or_default();
            let pick =
                Pick { id: l.id, version: l.version, chosen: RwSignal::new(true), result: RwSignal::new(result) };
            (pick, l.member_name.clone())
        })
        .collect();
    let errors = FormErrors::new(&[("items", T::Registrations)]);
    let all = picks.clone();
    let for_all = RwSignal::new(String::new());
    let unset = picks.iter().map(|(p, _)| p.result).collect::<Vec<_>>();
    Effect::new(move || {
        let chosen = for_all.get();
        if !chosen.is_empty() {
            unset.iter().filter(|r| r.get_untracked().is_empty()).for_each(|r| r.set(chosen.clone()));
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let chosen: Vec<&(Pick, String)> = all.iter().filter(|(p, _)| p.chosen.get_untracked()).collect();
        let batch = EvaluationBatch {
            items: chosen
                .iter()
                .map(|(p, _)| EvaluationItem {
                    id: p.id,
                    version: p.version,
                    result: Some(p.result.get_untracked()),
                    comment: None,
                })
                .collect(),
        };
        if let Err(errs) = batch.validate() {
            let names: Vec<String> = errs
                .iter()
                .filter_map(|e| e.field.strip_prefix("items[")?.split(']').next()?.parse::<usize>().ok())
                .filter_map(|i| chosen.get(i).map(|(_, n)| n.clone()))
                .collect();
            match names.is_empty() {
                true => errors.show(&errs, lang),
                false => errors.message(format!("{}: {}", T::ChooseResult.text(lang), names.join(", "))),
            }
            return;
        }
        errors.clear();
        let names: Vec<(i64, String)> = all.iter().map(|(p, n)| (p.id, n.clone())).collect();
        spawn_local(async move {
            match api::evaluate_list(programme_id, &batch).await {
                Ok(results) => {
                    let name_of =
                        |id: i64| names.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone()).unwrap_or_default();
                    reload.run(summary(&results, name_of, T::EvaluatedNow.text(lang)))
                }
                Err(e) => errors.failed(e, lang),
            }
        });
    };
    (!picks.is_empty()).then(|| view! {
        <details class="card" data-test="evaluate-list">
            <summary class="tap">{move || i18n.t(T::EvaluateList)}</summary>
            <form on:submit=submit novalidate>
                <FormSummary errors=errors test="evaluate-list-error" />
                <div class="field">
                    <label for="evaluate-all">{move || i18n.t(T::ResultForTheRest)}</label>
                    <ResultSelect id="evaluate-all".to_owned() value=for_all />
                </div>
                {picks.into_iter().map(|(p, name)| view! {
                    <div class="field" data-test="evaluate-line">
                        <label class="check"><input type="checkbox" data-test=format!("evaluate-pick-{}", p.id)
                            prop:checked=move || p.chosen.get() on:change=move |ev| p.chosen.set(event_target_checked(&ev)) />
                            {name}</label>
                        <ResultSelect id=format!("evaluate-result-{}", p.id) value=p.result />
                    </div>
                }).collect_view()}
                <button type="submit" class="primary" data-test="evaluate-list-submit">{move || i18n.t(T::EvaluateList)}</button>
            </form>
        </details>
    })
}

/// On a cadre's home page: how many members of their unit have not registered for this year's
/// programme, with the way to the programme page.
#[component]
pub fn UnregisteredAlert(unit: OrgUnitId) -> impl IntoView {
    let i18n = use_i18n();
    let year = chrono::Datelike::year(&chrono::Local::now());
    let stats = LocalResource::new(move || api::programme_stats(unit, year));
    move || {
        stats.get().and_then(Result::ok).filter(|s| s.registered < s.live_members).map(|s| {
            let missing = s.live_members - s.registered;
            view! {
                <section class="card alert" data-test="unregistered-alert">
                    <A href=programmes_href(unit) attr:class="tap">
                        <span><strong data-test="unregistered-alert-count">{missing}</strong> " " {move || i18n.t(T::NotRegisteredYet)}
                        " · " {move || i18n.t(T::Programmes)}</span>
                    </A>
                </section>
            }
        })
    }
}

/// Registrations from the programme's sheet (the export's layout, members named by CCCD or card
/// number, optional items marked `x`): the file goes to the import machinery, whose page follows it.
#[component]
pub fn RegistrationImport(programme_id: i64, unit: OrgUnitId) -> impl IntoView {
    let send = Callback::new(move |(mode, file): (ImportMode, web_sys::File)| -> Sent {
        Box::pin(async move { api::import_registrations(programme_id, unit, mode, &file).await })
    });
    view! { <SheetImport test="registrations-import" title=T::ImportRegistrations send=send /> }
}

/// The member book's "Rèn luyện đoàn viên" section: year by year, the programme and the
/// branch's evaluation (or where the registration stands).
#[component]
pub fn ProgrammeYearsCard(member: shared::ids::MemberId) -> impl IntoView {
    let i18n = use_i18n();
    let years = LocalResource::new(move || api::member_programme_years(member));
    move || {
        years.get().and_then(Result::ok).filter(|y| !y.is_empty()).map(|years| {
            view! {
                <section class="card" data-test="programme-years">
                    <h2>{move || i18n.t(T::Programmes)}</h2>
                    <ul class="list">
                        {years.into_iter().map(|y| {
                            let (state, result) = (y.state, y.result);
                            view! {
                                <li class="list-item" data-test="programme-year">
                                    <span class="item-title">{y.year} " · " {y.programme_title}</span>
                                    <span class="item-meta">{move || match result {
                                        Some(r) => format!("{}: {}", i18n.t(T::Result), r.label(i18n.lang.get())),
                                        None => state.label(i18n.lang.get()).to_owned(),
                                    }}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}
