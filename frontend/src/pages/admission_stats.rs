//! `/ket-nap/thong-ke`: a leader's view of new members — the year's admissions against the
//! unit's target, the applications under way by step, and the same for each unit under it, with
//! bar charts; cadres set the year's target here.

use crate::api::{self, FormFailure};
use crate::components::field::Field;
use crate::components::form_errors::{FormErrors, FormSummary};
use crate::components::status::{ErrorBox, Loading, Notice};
use crate::i18n::{use_i18n, T};
use crate::session::use_session;
use chrono::Datelike;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use shared::api::admissions::{AdmissionStats, TargetRequest, UnitAdmissions};
use shared::ids::OrgUnitId;
use shared::roles::Role;

/// The address of a unit's figures for a year.
pub fn stats_href(unit: OrgUnitId, year: i32) -> String {
    format!("/ket-nap/thong-ke?don-vi={unit}&nam={year}")
}

/// A horizontal bar: `value` of `max`, with its figure beside it.
#[component]
pub fn Bar(value: i64, max: i64, #[prop(into)] label: String) -> impl IntoView {
    let width = if max > 0 { (value * 100 / max).clamp(0, 100) } else { 0 };
    view! {
        <div class="bar" role="img" aria-label=label>
            <span class="bar-fill" style=format!("width: {width}%")></span>
        </div>
    }
}

#[component]
pub fn AdmissionStatsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let query = use_query_map();
    let this_year = chrono::Local::now().year();
    // The unit asked for, else the caller's unit with the highest role.
    let unit = move || {
        query.with(|q| q.get("don-vi").and_then(|v| v.parse::<i64>().ok()).map(OrgUnitId)).or_else(|| {
            session
                .me
                .with(|me| me.as_ref().and_then(|me| me.roles.iter().max_by_key(|r| r.role).map(|r| r.org_unit_id)))
        })
    };
    let year = move || query.with(|q| q.get("nam").and_then(|v| v.parse::<i32>().ok())).unwrap_or(this_year);
    let refresh = RwSignal::new(0u32);
    let stats = LocalResource::new(move || {
        let (unit, year) = (unit(), year());
        refresh.get();
        async move {
            let unit = unit.ok_or_else(|| api::ApiFailure::Network("no unit".into()))?;
            api::admission_stats(unit, year).await
        }
    });
    let may_set = move |unit: OrgUnitId| {
        session.me.with(|me| {
            me.as_ref().is_some_and(|me| {
                me.roles.iter().any(|r| r.role == Role::Admin || (r.org_unit_id == unit && r.role.covers(Role::Cadre)))
            })
        })
    };
    // Kept outside the figures, which reload after a save.
    let saved = RwSignal::new(None::<String>);
    view! {
        <main class="page" data-test="admission-stats">
            <Notice text=saved />
            {move || match stats.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(s)) => {
                    let (unit, year) = (s.unit_id, s.year);
                    view! {
                        <h1>{move || i18n.t(T::AdmissionStatsTitle)} " " {year}</h1>
                        <p class="item-meta">{s.unit_name.clone()}</p>
                        <nav class="actions-row">
                            <A href=stats_href(unit, year - 1) attr:class="button" attr:data-test="previous-year">"‹ " {move || i18n.t(T::PreviousYear)}</A>
                            <A href=stats_href(unit, year + 1) attr:class="button" attr:data-test="next-year">{move || i18n.t(T::NextYear)} " ›"</A>
                        </nav>
                        <TargetCard stats=s.clone() />
                        <Show when=move || may_set(unit)>
                            <TargetForm unit=unit year=year done=Callback::new(move |t: i32| {
                                saved.set(Some(format!("{} {year}: {t}", i18n.t(T::TargetSaved))));
                                refresh.update(|n| *n += 1)
                            }) />
                        </Show>
                        {if year == this_year {
                            view! { <PipelineCard stats=s.clone() /> }.into_any()
                        } else {
                            view! { <p class="item-meta" data-test="pipeline-now-only">{move || i18n.t(T::PipelineThisYearOnly)}</p> }.into_any()
                        }}
                        <UnitsCard units=s.by_unit.clone() year=year current={ year == this_year } />
                    }
                    .into_any()
                }
            }}
        </main>
    }
}

/// The year's admissions against the target.
#[component]
fn TargetCard(stats: AdmissionStats) -> impl IntoView {
    let i18n = use_i18n();
    let line = UnitAdmissions {
        unit_id: stats.unit_id,
        name: stats.unit_name.clone(),
        target: stats.target,
        admitted: stats.admitted,
        in_progress: 0,
    };
    let percent = line.percent();
    view! {
        <section class="card" data-test="target-card">
            <p class="figure">
                <strong data-test="admitted">{stats.admitted}</strong>
                {stats.target.map(|t| view! { " / " <span data-test="target">{t}</span> })}
                " " {move || i18n.t(T::AdmittedInYear)}
                {percent.map(|p| format!(" · {p}%"))}
            </p>
            {match stats.target {
                Some(t) => view! { <Bar value=stats.admitted max=i64::from(t) label=format!("{}/{t}", stats.admitted) /> }.into_any(),
                None => view! { <p class="item-meta" data-test="no-target">{move || i18n.t(T::NoTarget)}</p> }.into_any(),
            }}
        </section>
    }
}

/// Sets the year's target (a cadre of the unit).
#[component]
fn TargetForm(unit: OrgUnitId, year: i32, done: Callback<i32>) -> impl IntoView {
    let i18n = use_i18n();
    let target = RwSignal::new(String::new());
    let errors = FormErrors::new(&[("target", T::Target), ("year", T::Year), ("unit_id", T::Unit)]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let req =
            TargetRequest { unit_id: Some(unit), year: Some(year), target: target.get_untracked().trim().parse().ok() };
        if let Err(errs) = req.validate() {
            errors.show(&errs, lang);
            return;
        }
        errors.clear();
        spawn_local(async move {
            match api::set_admission_target(&req).await {
                Ok(()) => done.run(req.target.unwrap_or_default()),
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => errors.show(&errs, lang),
                    FormFailure::Stale => {}
                    FormFailure::Message(m) => errors.message(m),
                },
            }
        });
    };
    let label = Signal::derive(move || format!("{} {year}", i18n.t(T::SetTarget)));
    view! {
        <form class="card" on:submit=submit novalidate data-test="target-form">
            <FormSummary errors=errors />
            <Field name="target" label=label value=target error=errors.of("target") kind="number" />
            <button type="submit" data-test="save-target">{move || i18n.t(T::Save)}</button>
        </form>
    }
}

/// Applications under way, one bar per step.
#[component]
fn PipelineCard(stats: AdmissionStats) -> impl IntoView {
    let i18n = use_i18n();
    let max = stats.in_progress.iter().map(|(_, n)| *n).max().unwrap_or(0);
    view! {
        <section class="card" data-test="pipeline">
            <h2>{move || i18n.t(T::PipelineByStep)}</h2>
            <ul class="bars">
                {stats.in_progress.into_iter().map(|(state, n)| view! {
                    <li data-test=format!("pipeline-{}", state.as_str())>
                        <span class="bar-label">{move || state.label(i18n.lang.get())}</span>
                        <Bar value=n max=max label=n.to_string() />
                        <span class="bar-value">{n}</span>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Each unit under this one: admitted against its target, and (for the current year, since
/// applications under way are today's) under way.
#[component]
fn UnitsCard(units: Vec<UnitAdmissions>, year: i32, current: bool) -> impl IntoView {
    let i18n = use_i18n();
    (!units.is_empty()).then(|| {
        let max =
            units.iter().map(|u| u.target.map_or(u.admitted, |t| i64::from(t).max(u.admitted))).max().unwrap_or(0);
        view! {
            <section class="card" data-test="by-unit">
                <h2>{move || i18n.t(T::ByUnit)}</h2>
                <ul class="bars stacked">
                    {units.into_iter().map(|u| {
                        let figure = match u.target {
                            Some(t) => format!("{}/{t}", u.admitted),
                            None => u.admitted.to_string(),
                        };
                        let percent = u.percent().map(|p| format!(" · {p}%"));
                        let target = u.target;
                        view! {
                            <li data-test="unit-line">
                                <A href=stats_href(u.unit_id, year) attr:class="bar-label">{u.name.clone()}</A>
                                <Bar value=u.admitted max=max label=figure.clone() />
                                <span class="bar-value">{figure} {percent}</span>
                                <span class="item-meta" data-test="unit-target">
                                    {move || match target {
                                        Some(t) => format!("{}: {t}", i18n.t(T::Target)),
                                        None => i18n.t(T::NoTarget).to_owned(),
                                    }}
                                    <Show when=move || current>
                                        " · " {u.in_progress} " " {move || i18n.t(T::UnderWay)}
                                    </Show>
                                </span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}
