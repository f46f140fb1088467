//! Previous / next for a paged list (the API's `page`, `per_page`, `total`).

use crate::i18n::{use_i18n, T};
use leptos::prelude::*;

/// Shown when there is more than one page; moves `page` by one.
#[component]
pub fn Pager(current: i64, per_page: i64, total: i64, page: RwSignal<i64>) -> impl IntoView {
    let i18n = use_i18n();
    let last = (total + per_page.max(1) - 1) / per_page.max(1);
    view! {
        <Show when=move || { last > 1 }>
            <nav class="pager" aria-label=move || i18n.t(T::Pages)>
                <button type="button" data-test="page-previous" disabled=move || { current <= 1 } on:click=move |_| page.update(|n| *n -= 1)>
                    {move || i18n.t(T::Previous)}
                </button>
                <span data-test="page-position">{current} " / " {last}</span>
                <button type="button" data-test="page-next" disabled=move || { current >= last } on:click=move |_| page.update(|n| *n += 1)>
                    {move || i18n.t(T::Next)}
                </button>
            </nav>
        </Show>
    }
}
