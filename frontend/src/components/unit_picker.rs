//! A search-as-you-type picker of live units (by name without diacritics, or by code).

use crate::api;
use crate::components::search_box::SearchBox;
use crate::components::status::{ErrorBox, Loading};
use crate::i18n::{use_i18n, T};
use leptos::prelude::*;
use shared::api::org_units::OrgUnitView;

/// Picks a live unit by name or code as the user types.
#[component]
pub fn UnitPicker(
    /// The unit picked.
    chosen: RwSignal<Option<OrgUnitView>>,
    /// Kinds offered, comma-separated (empty: any).
    kinds: &'static str,
    /// What the picked unit is (shown with it).
    label: T,
) -> impl IntoView {
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let results = LocalResource::new(move || {
        let q = search.get();
        async move {
            if q.trim().chars().count() < 2 {
                return Ok(vec![]);
            }
            api::search_org_units(&q, kinds).await.map(|p| p.items)
        }
    });
    view! {
        <SearchBox id="unit-search" label=T::SearchUnit settled=search />
        {move || chosen.get().map(|u| view! {
            <p class="notice" data-test="chosen-unit">
                {move || i18n.t(label)} ": " <strong>{u.name.clone()}</strong>
                {u.parent_name.clone().map(|p| format!(" · {p}"))}
            </p>
        })}
        {move || match results.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
            Some(Ok(units)) if units.is_empty() && search.get().trim().chars().count() >= 2 => {
                view! { <p class="empty">{move || i18n.t(T::NoUnitsFound)}</p> }.into_any()
            }
            Some(Ok(units)) => view! {
                <ul class="list" data-test="unit-results">
                    {units.into_iter().map(|u| {
                        let picked = u.clone();
                        // The unit above tells two branches of the same name apart.
                        let where_ = u.parent_name.clone().unwrap_or_else(|| u.kind.label(i18n.lang.get_untracked()).to_owned());
                        view! {
                            <li>
                                <button type="button" class="list-item" data-test="unit-result" on:click=move |_| chosen.set(Some(picked.clone()))>
                                    <span class="item-title">{u.name.clone()}</span>
                                    <span class="item-meta" data-test="unit-result-parent">{where_}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
