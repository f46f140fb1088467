//! `/ren-luyen/chuong-trinh?don-vi=`: a cadre's or leader's page of a unit's Member Training
//! programme — how many members registered (the goal is all of them), the units under it
//! furthest from that first, the programmes with their members' registrations to evaluate, and
//! the form that publishes a programme with the five standard headings prefilled.

use crate::api::{self, FormFailure};
use crate::components::field::Field;
use crate::components::form_errors::{FormErrors, FormSummary};
use crate::components::programme_sheet::RegistrationsExport;
use crate::components::status::{ErrorBox, Loading, Notice};
use crate::i18n::{use_i18n, T};
use crate::pages::admission_stats::Bar;
use crate::pages::programme_lists::{EvaluateList, ProgressGrid, RegistrationImport, Unregistered};
use crate::pages::programme_registrations::ResultSelect;
use chrono::Datelike;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::classes::ClassKind;
use shared::api::programmes::ItemLink;
use shared::api::programmes::{
    HeadingForm, ItemForm, ProgrammeForm, ProgrammeStats, ProgrammeView, RegistrationAction, RegistrationSummary,
    RegistrationTransitionRequest, STANDARD_HEADINGS,
};
use shared::ids::OrgUnitId;

/// The address of a unit's programme page.
pub fn programmes_href(unit: OrgUnitId) -> String {
    format!("/ren-luyen/chuong-trinh?don-vi={unit}")
}

/// `/ren-luyen/chuong-trinh`.
#[component]
pub fn ProgrammesPage() -> impl IntoView {
    let unit = crate::session::page_unit();
    move || match unit.get() {
        None => view! { <Loading /> }.into_any(),
        Some(u) => view! { <UnitProgrammes unit=u /> }.into_any(),
    }
}

#[component]
fn UnitProgrammes(unit: OrgUnitId) -> impl IntoView {
    let i18n = use_i18n();
    let year = chrono::Local::now().year();
    let refresh = RwSignal::new(0u32);
    let stats = LocalResource::new(move || {
        refresh.get();
        api::programme_stats(unit, year)
    });
    let programmes = LocalResource::new(move || {
        refresh.get();
        api::list_programmes(unit)
    });
    // The templates of the units above, for the publish form (which stays while the lists reload).
    let templates = Signal::derive(move || {
        programmes.get().and_then(Result::ok).map_or_else(Vec::new, |page| {
            page.items.into_iter().filter(|p| p.template && p.unit_id != unit && p.year == year).collect()
        })
    });
    let saved = RwSignal::new(None::<String>);
    let reload = Callback::new(move |text: String| {
        saved.set(Some(text));
        refresh.update(|n| *n += 1)
    });
    view! {
        <main class="page" data-test="programmes-page">
            <h1>{move || i18n.t(T::Programmes)}</h1>
            <Notice text=saved />
            {move || match stats.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(s)) => view! { <StatsCard stats=s /> }.into_any(),
            }}
            {move || programmes.get().map(|found| match found {
                Err(e) => view! { <ErrorBox failure=e /> }.into_any(),
                Ok(page) => page.items.into_iter().map(|p| view! { <ProgrammeCard programme=p unit=unit reload=reload /> }).collect_view().into_any(),
            })}
            <PublishForm unit=unit year=year templates=templates done=reload />
        </main>
    }
}

/// Registered against live members, and the units under it furthest from 100% first.
#[component]
fn StatsCard(stats: ProgrammeStats) -> impl IntoView {
    let i18n = use_i18n();
    let (registered, live) = (stats.registered, stats.live_members);
    view! {
        <section class="card" data-test="programme-stats">
            <p class="item-meta">{stats.unit_name.clone()} " · " {stats.year}</p>
            <p class="figure">
                <strong data-test="registered-figure">{registered} " / " {live}</strong> " " {move || i18n.t(T::Registered)}
                {stats.percent_registered.map(|p| format!(" · {p}%"))}
            </p>
            <Bar value=registered max=live label=format!("{registered}/{live}") />
            <p class="item-meta">{move || i18n.t(T::SelfAssess)} ": " {stats.self_assessed} " · " {move || i18n.t(T::Evaluation)} ": " {stats.evaluated}</p>
            <ul class="bars stacked" data-test="units-below">
                {stats.by_unit.into_iter().filter(|u| u.percent_registered.is_some_and(|p| p < 100)).map(|u| view! {
                    <li data-test="unit-below">
                        <a class="bar-label" href=programmes_href(u.unit_id)>{u.name.clone()}</a>
                        <Bar value=u.registered max=u.live_members label=format!("{}/{}", u.registered, u.live_members) />
                        <span class="bar-value">{u.registered} "/" {u.live_members}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// One programme, with the registrations of the unit's subtree.
#[component]
fn ProgrammeCard(programme: ProgrammeView, unit: OrgUnitId, reload: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let id = programme.id;
    let registrations = LocalResource::new(move || api::programme_registrations(id, unit, 1));
    let whole = programme.clone();
    view! {
        <section class="card" data-test="programme">
            <h2>{programme.title.clone()}</h2>
            <p class="item-meta">{programme.unit_name.clone()} " · " {programme.starts_on.to_string()} " – " {programme.ends_on.to_string()}</p>
            <ul class="list" data-test="headings">
                {programme.headings.iter().map(|h| view! {
                    <li><span class="item-title">{h.title.clone()}</span> " · "
                        <span class="item-meta">{h.items.len()} " " {move || i18n.t(T::ItemsCount)}</span></li>
                }).collect_view()}
            </ul>
            {programme.template.then(|| view! { <p class="badge" data-test="template-badge">{move || i18n.t(T::TemplateBadge)}</p> })}
            {(!programme.template).then(|| view! { <Unregistered programme=programme.clone() unit=unit reload=reload /> })}
            <h3>{move || i18n.t(T::Registrations)}</h3>
            <RegistrationsExport programme=id unit=unit />
            {programme.registration_open.then(|| view! { <RegistrationImport programme_id=id unit=unit /> })}
            {move || registrations.get().map(|found| match found {
                Err(e) => view! { <ErrorBox failure=e /> }.into_any(),
                Ok(page) if page.items.is_empty() => view! { <p class="item-meta">{move || i18n.t(T::NoRegistrations)}</p> }.into_any(),
                Ok(page) => view! {
                    <ProgressGrid programme=whole.clone() lines=page.items.clone() />
                    <EvaluateList programme_id=id lines=page.items.clone() reload=reload />
                    <ul class="list" data-test="registrations">
                        {page.items.into_iter().map(|r| view! { <RegistrationRow registration=r reload=reload /> }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}

/// A member's registration in the list, with the evaluation form for the branch's cadres.
#[component]
fn RegistrationRow(registration: RegistrationSummary, reload: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let result = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let errors = FormErrors::new(&[("result", T::Result), ("comment", T::Comment)]);
    let r = registration.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let req = RegistrationTransitionRequest {
            action: RegistrationAction::Evaluate.as_str().to_owned(),
            result: Some(result.get_untracked()),
            comment: Some(comment.get_untracked()),
            text: None,
        };
        if let Err(errs) = req.validate() {
            errors.show(&errs, lang);
            return;
        }
        let (id, version) = (r.id, r.version);
        spawn_local(async move {
            match api::transition_registration(id, version, &req).await {
                Ok(_) => reload.run(T::EvaluationSaved.text(lang).to_owned()),
                Err(e) => errors.failed(e, lang),
            }
        });
    };
    let (state, own, result_now) = (registration.state, registration.self_result, registration.result);
    let id = registration.id;
    view! {
        <li class="list-item" data-test="registration-row">
            <span class="item-title">{registration.member_name.clone()}</span>
            <span class="item-meta" data-test="registration-state">
                {registration.unit_name.clone()} " · " {move || state.label(i18n.lang.get())}
                {move || own.map(|r| format!(" · {}: {}", i18n.t(T::ProposedResult), r.label(i18n.lang.get())))}
                {move || result_now.map(|r| format!(" · {}: {}", i18n.t(T::Result), r.label(i18n.lang.get())))}
            </span>
            <Show when=move || !open.get()>
                <button type="button" data-test=format!("evaluate-{id}") on:click=move |_| open.set(true)>{move || i18n.t(T::Evaluate)}</button>
            </Show>
            <Show when=move || open.get()>
                <form on:submit=submit novalidate data-test="evaluate-form">
                    <FormSummary errors=errors />
                    <div class="field">
                        <label for=format!("result-{id}")>{move || i18n.t(T::Result)}</label>
                        <ResultSelect id=format!("result-{id}") value=result />
                    </div>
                    <Field name="evaluation_comment" label=Signal::derive(move || i18n.t(T::Comment).to_owned()) value=comment error=errors.of("comment") />
                    <button type="submit" class="primary" data-test="evaluate-submit">{move || i18n.t(T::Evaluate)}</button>
                </form>
            </Show>
        </li>
    }
}

/// One item being entered in the publish form.
#[derive(Clone, Copy)]
struct ItemDraft {
    key: usize,
    title: RwSignal<String>,
    target: RwSignal<String>,
    counted: RwSignal<String>,
    required: RwSignal<bool>,
    fills_from: RwSignal<String>,
}

impl ItemDraft {
    fn new(key: usize) -> ItemDraft {
        ItemDraft {
            key,
            title: RwSignal::new(String::new()),
            target: RwSignal::new("1".into()),
            counted: RwSignal::new(String::new()),
            required: RwSignal::new(false),
            fills_from: RwSignal::new(String::new()),
        }
    }

    fn from_form(item: &ItemForm) -> ItemDraft {
        ItemDraft {
            key: next_key(),
            title: RwSignal::new(item.title.clone()),
            target: RwSignal::new(item.target.map(|t| t.to_string()).unwrap_or_default()),
            counted: RwSignal::new(item.counted.clone()),
            required: RwSignal::new(item.required),
            fills_from: RwSignal::new(item.fills_from.clone().unwrap_or_default()),
        }
    }

    fn form(&self) -> ItemForm {
        ItemForm {
            id: None,
            title: self.title.get_untracked(),
            required: self.required.get_untracked(),
            target: self.target.get_untracked().trim().parse().ok(),
            counted: self.counted.get_untracked(),
            fills_from: Some(self.fills_from.get_untracked()).filter(|f| !f.is_empty()),
        }
    }
}

/// One heading being entered: its title and items.
#[derive(Clone, Copy)]
struct HeadingDraft {
    key: usize,
    title: RwSignal<String>,
    items: RwSignal<Vec<ItemDraft>>,
}

fn next_key() -> usize {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Publishes the unit's programme for the year: the five standard headings prefilled.
#[component]
fn PublishForm(
    unit: OrgUnitId,
    year: i32,
    templates: Signal<Vec<ProgrammeView>>,
    done: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let as_template = RwSignal::new(false);
    let title = RwSignal::new(format!("Chương trình Rèn luyện đoàn viên năm {year}"));
    let opens = RwSignal::new(chrono::Local::now().date_naive().to_string());
    let closes = RwSignal::new(format!("{year}-12-31"));
    let min_optional = RwSignal::new("0".to_owned());
    let headings = RwSignal::new(
        STANDARD_HEADINGS
            .iter()
            .map(|t| HeadingDraft {
                key: next_key(),
                title: RwSignal::new((*t).to_owned()),
                items: RwSignal::new(vec![]),
            })
            .collect::<Vec<_>>(),
    );
    let errors = FormErrors::new(&[
        ("title", T::ProgrammeTitle),
        ("registration_opens_on", T::RegistrationOpens),
        ("registration_closes_on", T::RegistrationCloses),
        ("min_optional", T::MinOptional),
        ("headings", T::Heading),
        ("year", T::Year),
        ("unit_id", T::Unit),
    ]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let form = ProgrammeForm {
            unit_id: Some(unit),
            year: Some(year),
            period_kind: None,
            title: title.get_untracked(),
            registration_opens_on: opens.get_untracked(),
            registration_closes_on: closes.get_untracked(),
            min_optional: min_optional.get_untracked().trim().parse().ok(),
            headings: Some(
                headings
                    .get_untracked()
                    .iter()
                    .map(|h| HeadingForm {
                        id: None,
                        title: h.title.get_untracked(),
                        items: h.items.get_untracked().iter().map(ItemDraft::form).collect(),
                    })
                    .collect(),
            ),
            template: as_template.get_untracked(),
            template_id: None,
        };
        if let Err(errs) = form.validate(year) {
            errors.show(&errs, lang);
            return;
        }
        errors.clear();
        spawn_local(async move {
            match api::create_programme(&form).await {
                Ok(_) => {
                    open.set(false);
                    done.run(T::ProgrammePublished.text(lang).to_owned());
                }
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => errors.show(&errs, lang),
                    FormFailure::Stale => {}
                    FormFailure::Message(m) => errors.message(m),
                },
            }
        });
    };
    let copy = move |template: &ProgrammeView| {
        min_optional.set(template.min_optional.to_string());
        headings.set(
            template
                .as_template()
                .into_iter()
                .map(|h| HeadingDraft {
                    key: next_key(),
                    title: RwSignal::new(h.title),
                    items: RwSignal::new(h.items.iter().map(ItemDraft::from_form).collect()),
                })
                .collect(),
        );
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    view! {
        <Show when=move || !open.get()>
            <button type="button" data-test="open-publish" on:click=move |_| open.set(true)>{move || i18n.t(T::PublishProgramme)}</button>
        </Show>
        <Show when=move || open.get()>
            <form class="card" on:submit=submit novalidate data-test="publish-form">
                <h2>{move || i18n.t(T::PublishProgramme)} " " {year}</h2>
                <FormSummary errors=errors test="publish-error" />
                <Field name="programme_title" label=label(T::ProgrammeTitle) value=title error=errors.of("title") />
                <Field name="registration_opens_on" label=label(T::RegistrationOpens) value=opens error=errors.of("registration_opens_on") kind="date" />
                <Field name="registration_closes_on" label=label(T::RegistrationCloses) value=closes error=errors.of("registration_closes_on") kind="date" />
                <Field name="min_optional" label=label(T::MinOptional) value=min_optional error=errors.of("min_optional") kind="number" inputmode="numeric" />
                <TemplatePicker templates=templates on_pick=Callback::new(move |t: ProgrammeView| copy(&t)) />
                <label class="check"><input type="checkbox" data-test="publish-as-template" prop:checked=move || as_template.get()
                    on:change=move |ev| as_template.set(event_target_checked(&ev)) /> {move || i18n.t(T::PublishAsTemplate)}</label>
                <HeadingRows headings=headings />
                <p class="field-error" role="alert" data-test="headings-error">{move || errors.of("headings").get().unwrap_or_default()}</p>
                <button type="submit" class="primary" data-test="publish-submit">{move || i18n.t(T::PublishProgramme)}</button>
            </form>
        </Show>
    }
}

/// The headings of a new programme, each with its items; headings and items can be added and removed.
#[component]
fn HeadingRows(headings: RwSignal<Vec<HeadingDraft>>) -> impl IntoView {
    let i18n = use_i18n();
    let input = move |id: String, kind: &'static str, value: RwSignal<String>, label: T| {
        view! {
            <div class="field">
                <label for=id.clone()>{move || i18n.t(label)}</label>
                <input id=id.clone() type=kind data-test=id prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    let add_heading = move |_| {
        headings.update(|l| {
            l.push(HeadingDraft { key: next_key(), title: RwSignal::new(String::new()), items: RwSignal::new(vec![]) })
        })
    };
    view! {
        <fieldset class="sessions" data-test="programme-headings">
            <legend>{move || i18n.t(T::Heading)}</legend>
            {move || headings.get().into_iter().enumerate().map(|(h, heading)| view! {
                <div class="session-row" data-test="heading-row">
                    {input(format!("heading-{h}"), "text", heading.title, T::HeadingTitle)}
                    {move || heading.items.get().into_iter().enumerate().map(|(i, item)| view! {
                        <div class="item-row" data-test="item-row">
                            {input(format!("item-{h}-{i}-title"), "text", item.title, T::Item)}
                            {input(format!("item-{h}-{i}-target"), "number", item.target, T::Target)}
                            {input(format!("item-{h}-{i}-counted"), "text", item.counted, T::Counted)}
                            <LinkSelect id=format!("item-{h}-{i}-fills") value=item.fills_from />
                            <label class="check"><input type="checkbox" data-test=format!("item-{h}-{i}-required")
                                prop:checked=move || item.required.get()
                                on:change=move |ev| item.required.set(event_target_checked(&ev)) /> {move || i18n.t(T::RequiredItem)}</label>
                            <button type="button" data-test=format!("remove-item-{h}-{i}")
                                on:click=move |_| heading.items.update(|l| l.retain(|x| x.key != item.key))>{move || i18n.t(T::Remove)}</button>
                        </div>
                    }).collect_view()}
                    <button type="button" data-test=format!("add-item-{h}")
                        on:click=move |_| heading.items.update(|l| l.push(ItemDraft::new(next_key())))>{move || i18n.t(T::AddItem)}</button>
                    <button type="button" data-test=format!("remove-heading-{h}")
                        on:click=move |_| headings.update(|l| l.retain(|x| x.key != heading.key))>{move || i18n.t(T::Remove)}</button>
                </div>
            }).collect_view()}
            <button type="button" data-test="add-heading" on:click=add_heading>{move || i18n.t(T::AddHeading)}</button>
        </fieldset>
    }
}

/// The templates of the units above, to copy into the form and adapt.
#[component]
fn TemplatePicker(templates: Signal<Vec<ProgrammeView>>, on_pick: Callback<ProgrammeView>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let options = templates.get();
        (!options.is_empty()).then(move || view! {
            <div class="field">
                <label for="programme-template">{move || i18n.t(T::CopyTemplate)}</label>
                <select id="programme-template" data-test="programme-template" on:change=move |ev| {
                    let id = event_target_value(&ev).parse::<i64>().ok();
                    if let Some(t) = templates.get_untracked().into_iter().find(|t| Some(t.id) == id) {
                        on_pick.run(t);
                    }
                }>
                    <option value="">"—"</option>
                    {options.into_iter().map(|t| view! { <option value=t.id.to_string()>{t.unit_name} " · " {t.title}</option> }).collect_view()}
                </select>
            </div>
        })
    }
}

/// What fills an item by itself: nothing, a passed class of a kind, or a meeting of a kind attended.
#[component]
fn LinkSelect(id: String, value: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let classes = ClassKind::ALL
        .iter()
        .map(|k| (ItemLink::Class(*k).wire(), k.label(shared::Lang::Vi), k.label(shared::Lang::En)));
    let meetings = shared::api::meetings::MeetingKind::ALL
        .iter()
        .map(|k| (ItemLink::Meeting(*k).wire(), k.label(shared::Lang::Vi), k.label(shared::Lang::En)));
    let options: Vec<_> = classes.chain(meetings).collect();
    view! {
        <div class="field">
            <label for=id.clone()>{move || i18n.t(T::FillsFrom)}</label>
            <select id=id.clone() data-test=id on:change=move |ev| value.set(event_target_value(&ev))>
                <option value="" selected=move || value.get().is_empty()>{move || i18n.t(T::FilledByHand)}</option>
                {options.into_iter().map(|(wire, vi, en)| {
                    let current = wire.clone();
                    view! { <option value=wire selected=move || value.get() == current>{move || i18n.lang.get().pick(vi, en)}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
