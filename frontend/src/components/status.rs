//! Loading and error states.

use crate::api::ApiFailure;
use crate::i18n::{use_i18n, T};
use leptos::prelude::*;

/// A spinner line while something loads.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading" role="status" aria-live="polite">{move || i18n.t(T::Loading)}</p> }
}

/// A failed load, with its message.
#[component]
pub fn ErrorBox(failure: ApiFailure) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="error-box" role="alert" data-test="error">
            {move || failure.message(i18n.lang.get())}
        </div>
    }
}

/// A short notice (success messages).
#[component]
pub fn Notice(#[prop(into)] text: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || text.get().is_some()>
            <p class="notice" role="status" data-test="notice">{move || text.get().unwrap_or_default()}</p>
        </Show>
    }
}
