//! Unknown paths.

use crate::i18n::{use_i18n, T};
use leptos::prelude::*;
use leptos_router::components::A;

/// The 404 page.
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="page narrow">
            <h1>{move || i18n.t(T::NotFound)}</h1>
            <A href="/">{move || i18n.t(T::BackHome)}</A>
        </main>
    }
}
