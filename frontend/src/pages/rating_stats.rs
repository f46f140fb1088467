//! `/xep-loai/thong-ke?don-vi=&nam=`: what leaders see of a subtree's year of ratings — members
//! by level against last year, the units rated and moving, periods past their deadline, the
//! units below (each a drill-down to its own page), the members not rated yet, and the units'
//! own ratings (the level above rates the units directly below it).

use crate::api;
use crate::components::form_errors::{FormErrors, FormSummary};
use crate::components::pager::Pager;
use crate::components::status::{ErrorBox, Loading, Notice};
use crate::i18n::{use_i18n, T};
use crate::pages::ratings::{level_text, stats_href, LevelSelect, RatingItem};
use crate::session::page_unit;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use shared::api::ratings::{RatingStats, UnitRatingForm, UnitRatingView};
use shared::ids::OrgUnitId;

/// The page.
#[component]
pub fn RatingStatsPage() -> impl IntoView {
    let i18n = use_i18n();
    let unit = page_unit();
    let query = use_query_map();
    let this_year = chrono::Datelike::year(&chrono::Local::now().date_naive());
    let year =
        Memo::new(move |_| query.with(|q| q.get("nam").and_then(|v| v.parse::<i32>().ok())).unwrap_or(this_year));
    let navigate = leptos_router::hooks::use_navigate();
    let pick_year = move |ev: leptos::ev::Event| {
        if let (Ok(y), Some(u)) = (event_target_value(&ev).parse::<i32>(), unit.get_untracked()) {
            navigate(&stats_href(u, y), Default::default());
        }
    };
    let stats = LocalResource::new(move || {
        let (unit, year) = (unit.get(), year.get());
        async move {
            match unit {
                Some(u) => api::rating_stats(u, year).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <main class="page" data-test="rating-stats-page">
            <h1>{move || i18n.t(T::RatingStatsTitle)}</h1>
            <div class="field">
                <label for="stats-year">{move || i18n.t(T::Year)}</label>
                <input id="stats-year" type="number" inputmode="numeric" data-test="stats-year"
                    prop:value=move || year.get().to_string() on:change=pick_year />
            </div>
            {move || match stats.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(None)) => ().into_any(),
                Some(Ok(Some(s))) => view! { <Figures stats=s /> }.into_any(),
            }}
            {move || unit.get().map(|u| view! {
                <Pending unit=u year=year.get() />
                <UnitRatings unit=u year=year.get() />
            })}
        </main>
    }
}

/// The subtree's figures and the drill-down into the units below.
#[component]
fn Figures(stats: RatingStats) -> impl IntoView {
    let i18n = use_i18n();
    let s = stats;
    let year = s.year;
    let most = s.levels.iter().map(|l| l.count.max(l.previous)).max().unwrap_or(0).max(1);
    let percent = |n: i64, of: i64| if of > 0 { format!("{}%", n * 100 / of) } else { "—".to_owned() };
    let up = percent(s.units_up, s.unit.units_total);
    view! {
        <section class="card" data-test="rating-figures">
            <h2 data-test="stats-unit">{s.unit.unit_name.clone()} " · " {year}</h2>
            <p data-test="confirmed-tally"><strong>{s.unit.confirmed} " / " {s.unit.ratings}</strong> " " {move || i18n.t(T::RatingsConfirmed)}</p>
            <p data-test="not-rated"><strong>{s.unit.not_rated}</strong> " " {move || i18n.t(T::MembersNotRated)}</p>
            <p data-test="units-rated"><strong>{s.unit.units_rated} " / " {s.unit.units_total}</strong> " " {move || i18n.t(T::UnitsRated)}
                " (" {s.units_rated_percent.map(|p| format!("{p}%")).unwrap_or_else(|| "—".into())} "; " {move || i18n.t(T::TargetUnitsRated)} ")"</p>
            <p><strong>{s.units_up}</strong> " " {move || i18n.t(T::UnitsUp)} " (" {up} "; " {move || i18n.t(T::TargetUnitsUp)} ")"</p>
            <p data-test="units-dropped"><strong>{s.units_dropped}</strong> " " {move || i18n.t(T::UnitsDropped)}</p>
            <p data-test="overdue-periods"><strong>{s.unit.overdue_periods}</strong> " " {move || i18n.t(T::PeriodsOverdue)}</p>
        </section>
        <table class="report" data-test="level-distribution">
            <thead><tr>
                <th scope="col">{move || i18n.t(T::Level)}</th>
                <th scope="col">{year}</th>
                <th scope="col">{year - 1}</th>
            </tr></thead>
            <tbody>
                {s.levels.iter().map(|l| {
                    let (level, count, previous) = (l.level, l.count, l.previous);
                    let width = format!("width: {}%", count * 100 / most);
                    view! {
                        <tr data-test="level-row">
                            <th scope="row">{move || level_text(level, year, i18n.lang.get())}</th>
                            <td><span class="bar" style=width></span> <span data-test="level-count">{count}</span></td>
                            <td>{previous}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {(!s.below.is_empty()).then(move || view! {
            <h2>{move || i18n.t(T::UnitsBelow)}</h2>
            <ul class="list" data-test="units-below">
                {s.below.into_iter().map(|u| {
                    let overdue = u.overdue_periods > 0;
                    view! {
                        <li>
                            <A href=stats_href(u.unit_id, year) attr:class="list-item" attr:data-test="unit-below">
                                <span class="item-title">{u.unit_name.clone()}</span>
                                <span class="item-meta">{u.confirmed} " / " {u.ratings} " " {move || i18n.t(T::RatingsConfirmed)}
                                    " · " {u.not_rated} " " {move || i18n.t(T::MembersNotRated)}</span>
                                <Show when=move || overdue><span class="badge warn">{move || i18n.t(T::Overdue)}</span></Show>
                            </A>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}

/// The subtree's members whose rating of the year is not confirmed yet.
#[component]
fn Pending(unit: OrgUnitId, year: i32) -> impl IntoView {
    let i18n = use_i18n();
    let page = RwSignal::new(1i64);
    let pending = LocalResource::new(move || api::pending_ratings(unit, year, page.get()));
    view! {
        <h2>{move || i18n.t(T::MembersNotRated)}</h2>
        {move || pending.get().map(|found| match found {
            Err(e) => view! { <ErrorBox failure=e /> }.into_any(),
            Ok(p) if p.items.is_empty() => view! { <p class="empty" data-test="all-rated">{move || i18n.t(T::AllRated)}</p> }.into_any(),
            Ok(p) => view! {
                <ul class="list" data-test="pending-ratings">
                    {p.items.into_iter().map(|r| view! { <RatingItem rating=r /> }).collect_view()}
                </ul>
                <Pager current=p.page per_page=p.per_page total=p.total page=page />
            }.into_any(),
        })}
    }
}

/// The unit and those directly below with the year's rating and last year's beside it; an
/// unrated one gets a level and a short assessment.
#[component]
fn UnitRatings(unit: OrgUnitId, year: i32) -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<String>);
    let units = LocalResource::new(move || {
        reload.track();
        api::unit_ratings(unit, year)
    });
    let rated = Callback::new(move |text: String| {
        notice.set(Some(text));
        reload.update(|r| *r += 1);
    });
    view! {
        <h2>{move || i18n.t(T::UnitRatingsTitle)}</h2>
        <Notice text=notice />
        {move || units.get().map(|found| match found {
            Err(e) => view! { <ErrorBox failure=e /> }.into_any(),
            Ok(list) => view! {
                <ul class="list" data-test="unit-ratings">
                    {list.into_iter().map(|u| view! { <UnitRatingLine unit=u rated=rated /> }).collect_view()}
                </ul>
            }.into_any(),
        })}
    }
}

#[component]
fn UnitRatingLine(unit: UnitRatingView, rated: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let (id, year) = (unit.unit_id, unit.year);
    let (level, previous) = (unit.level, unit.previous_level);
    let chosen = RwSignal::new(String::new());
    let assessment = RwSignal::new(String::new());
    let errors = FormErrors::new(&[("level", T::Level), ("assessment", T::Comment)]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let form = UnitRatingForm {
            unit_id: Some(id),
            year: Some(year),
            level: Some(chosen.get_untracked()),
            assessment: Some(assessment.get_untracked()).filter(|a| !a.trim().is_empty()),
        };
        if let Err(errs) = form.validate(year) {
            errors.show(&errs, lang);
            return;
        }
        spawn_local(async move {
            match api::rate_unit(&form).await {
                Ok(u) => rated.run(format!("{}: {}", u.unit_name, u.label.unwrap_or_default())),
                Err(e) => errors.failed(e, lang),
            }
        });
    };
    let name = unit.unit_name.clone();
    view! {
        <li class="list-item" data-test="unit-rating">
            <span class="item-title">{unit.unit_name.clone()}</span>
            <span class="item-meta">
                {move || level.map(|l| l.unit_label_in(year, i18n.lang.get()).to_owned()).unwrap_or_else(|| i18n.t(T::NotRatedYet).to_owned())}
                " · " {move || i18n.t(T::PreviousYear)} ": "
                {move || previous.map(|l| l.unit_label_in(year - 1, i18n.lang.get()).to_owned()).unwrap_or_else(|| "—".into())}
            </span>
            {unit.assessment.clone().map(|a| view! { <span class="item-meta">{a}</span> })}
            <Show when=move || level.is_none()>
                <form on:submit=submit novalidate data-test="rate-unit">
                    <FormSummary errors=errors test="rate-unit-error" />
                    <label class="visually-hidden" for=format!("unit-level-{id}")>{name.clone()}</label>
                    <LevelSelect id=format!("unit-level-{id}") year=year value=chosen units=true />
                    <label class="visually-hidden" for=format!("unit-assessment-{id}")>{move || i18n.t(T::Comment)}</label>
                    <input id=format!("unit-assessment-{id}") data-test=format!("unit-assessment-{id}") placeholder=move || i18n.t(T::Comment)
                        prop:value=move || assessment.get() on:input=move |ev| assessment.set(event_target_value(&ev)) />
                    <button type="submit" data-test=format!("rate-unit-{id}")>{move || i18n.t(T::RateUnit)}</button>
                </form>
            </Show>
        </li>
    }
}
