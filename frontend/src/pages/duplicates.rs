//! The member book's card for merging a duplicate record of the same person into this one.

use crate::api::{self, ApiFailure, FormFailure};
use crate::components::search_box::SearchBox;
use crate::components::status::{ErrorBox, Loading};
use crate::i18n::{use_i18n, T};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::members::{MemberListQuery, MemberSummary, MemberView};
use shared::roles::Role;

/// Finds the other record (in the caller's own unit's subtree) and merges it into `member`.
#[component]
pub fn MergeCard(
    member: MemberView,
    on_stale: impl Fn() + Copy + Send + Sync + 'static,
    target: RwSignal<Option<Result<MemberView, ApiFailure>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (id, version) = (member.id, member.version);
    // Search where the caller manages: the unit of their highest cadre-or-above role.
    let scope = move || {
        session.me.get().and_then(|me| {
            me.roles.iter().filter(|r| r.role.covers(Role::Cadre)).max_by_key(|r| r.role).map(|r| r.org_unit_id)
        })
    };
    let open = RwSignal::new(false);
    let search = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<MemberSummary>);
    let error = RwSignal::new(None::<String>);
    let results = LocalResource::new(move || {
        let (unit, q) = (scope(), search.get());
        async move {
            match unit {
                Some(unit) if q.trim().chars().count() >= 2 => {
                    let query = MemberListQuery {
                        unit_id: Some(unit),
                        q: Some(q),
                        status: Some("all".into()),
                        ..Default::default()
                    };
                    api::list_members(&query).await.map(|p| p.items.into_iter().filter(|m| m.id != id).collect())
                }
                _ => Ok(vec![]),
            }
        }
    });
    let merge = move |_| {
        let Some(other) = chosen.get_untracked() else { return };
        let lang = i18n.lang.get_untracked();
        spawn_local(async move {
            match api::merge_members(id, version, other.id).await {
                Ok(updated) => target.set(Some(Ok(updated))),
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => {
                        error.set(errs.first().map(|e| e.code.message(lang).to_owned()));
                    }
                    FormFailure::Stale => {
                        error.set(Some(T::StaleReloaded.text(lang).to_owned()));
                        on_stale();
                    }
                    FormFailure::Message(m) => error.set(Some(m)),
                },
            }
        });
    };
    view! {
        <section class="card" data-test="merge-card">
            <div class="card-title">
                <h2>{move || i18n.t(T::MergeDuplicate)}</h2>
                <Show when=move || !open.get()>
                    <button type="button" class="link-button" data-test="open-merge" on:click=move |_| open.set(true)>
                        {move || i18n.t(T::MergeDuplicate)}
                    </button>
                </Show>
            </div>
            <Show when=move || open.get()>
                <p class="item-meta">{move || i18n.t(T::MergeHelp)}</p>
                <SearchBox id="duplicate-search" label=T::SearchMembers settled=search />
                {move || match results.get() {
                    None => view! { <Loading /> }.into_any(),
                    Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                    Some(Ok(found)) => view! {
                        <ul class="list" data-test="duplicate-results">
                            {found.into_iter().map(|m| {
                                let picked = m.clone();
                                let born = crate::i18n::date(m.date_of_birth);
                                view! {
                                    <li>
                                        <button type="button" class="list-item" data-test="duplicate-result"
                                            aria-pressed=move || if chosen.get().is_some_and(|c| c.id == picked.id) { "true" } else { "false" }
                                            on:click={ let p = m.clone(); move |_| chosen.set(Some(p.clone())) }>
                                            <span class="item-title">{m.full_name.clone()}</span>
                                            <span class="item-meta">{born} " · " {m.unit_name.clone()}</span>
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }}
                <p class="form-error" role="alert" data-test="merge-error">{move || error.get().unwrap_or_default()}</p>
                <button type="button" class="primary" data-test="confirm-merge" disabled=move || chosen.get().is_none() on:click=merge>
                    {move || i18n.t(T::MergeInto)}
                </button>
            </Show>
        </section>
    }
}
