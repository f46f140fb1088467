//! Loading and error states.

use crate::api::ApiFailure;
use crate::i18n::{use_i18n, T};
use leptos::prelude::*;
use leptos_router::components::A;

/// A spinner line while something loads.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading" role="status" aria-live="polite">{move || i18n.t(T::Loading)}</p> }
}

/// A failed load, with its message; a page that is not there (or not the caller's to see)
/// offers the way home instead of a dead end.
#[component]
pub fn ErrorBox(failure: ApiFailure) -> impl IntoView {
    let i18n = use_i18n();
    let dead_end = matches!(&failure, ApiFailure::Rejected(p) if matches!(p.status, 403 | 404));
    view! {
        <div class="error-box" role="alert" data-test="error">
            <p>{move || failure.message(i18n.lang.get())}</p>
            <Show when=move || dead_end>
                <A href="/" attr:class="button" attr:data-test="error-home">{move || i18n.t(T::BackHome)}</A>
            </Show>
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
