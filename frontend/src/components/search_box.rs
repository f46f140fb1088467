//! A search field that reports its text once typing pauses, so lists search as you type
//! without a request per keystroke.

use crate::i18n::{use_i18n, T};
use leptos::prelude::*;
use std::time::Duration;

/// How long typing must pause before the text counts.
const PAUSE: Duration = Duration::from_millis(250);

/// A labelled search input; `settled` receives the text after each pause in typing.
#[component]
pub fn SearchBox(
    /// The input's `id` and `data-test`.
    id: &'static str,
    /// The label.
    label: T,
    /// The text once typing paused.
    settled: RwSignal<String>,
    /// Also told when the text settles (a list goes back to its first page).
    #[prop(optional)]
    on_settle: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let typed = RwSignal::new(settled.get_untracked());
    let keystrokes = StoredValue::new(0u64);
    let on_input = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        typed.set(value.clone());
        let mine = keystrokes.get_value() + 1;
        keystrokes.set_value(mine);
        set_timeout(
            move || {
                if keystrokes.get_value() == mine {
                    if let Some(cb) = on_settle {
                        cb.run(());
                    }
                    settled.set(value);
                }
            },
            PAUSE,
        );
    };
    view! {
        <div class="field search">
            <label for=id>{move || i18n.t(label)}</label>
            <input id=id type="search" data-test=id autocomplete="off" prop:value=move || typed.get() on:input=on_input />
        </div>
    }
}
