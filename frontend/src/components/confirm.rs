//! A second question before a step that cannot be taken back (reject, return, remove, expel,
//! record a death, submit an application): the question in words, a red "yes" and a way out.

use crate::i18n::{use_i18n, T};
use leptos::prelude::*;

/// Shown while `asking` holds a question; "yes" runs `on_yes`, "no" closes it.
#[component]
pub fn ConfirmBox(
    asking: RwSignal<Option<String>>,
    on_yes: Callback<()>,
    #[prop(default = true)] danger: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || asking.get().is_some()>
            <div class="confirm-box" role="alertdialog" aria-live="assertive" data-test="confirm-box">
                <p><strong>{move || asking.get().unwrap_or_default()}</strong></p>
                <div class="actions-row">
                    <button type="button" class:danger=danger class:confirming=danger class:primary=!danger data-test="confirm-yes"
                        on:click=move |_| { asking.set(None); on_yes.run(()) }>
                        {move || i18n.t(T::Yes)}
                    </button>
                    <button type="button" data-test="confirm-no" on:click=move |_| asking.set(None)>{move || i18n.t(T::No)}</button>
                </div>
            </div>
        </Show>
    }
}
