//! A labelled input with its error underneath (client-side and server messages alike).

use leptos::prelude::*;

/// One form field. `error` holds the message to show, if any.
#[component]
pub fn Field(
    /// The `name` and `id` of the input (and its `data-test`).
    name: &'static str,
    /// The label text (reactive).
    #[prop(into)]
    label: Signal<String>,
    /// The value.
    value: RwSignal<String>,
    /// The message under the field.
    error: RwSignal<Option<String>>,
    /// `text`, `password`, `date`, `email`, `tel`…
    #[prop(default = "text")]
    kind: &'static str,
    /// The `autocomplete` hint.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// The phone keyboard to show (`numeric` for ID numbers, `tel`, `email`…).
    #[prop(optional)]
    inputmode: Option<&'static str>,
) -> impl IntoView {
    let error_id = format!("{name}-error");
    let described = error_id.clone();
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=name>{move || label.get()}</label>
            <input
                id=name
                name=name
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                data-test=name
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    error.set(None);
                }
            />
            <p class="field-error" id=error_id data-test=format!("{name}-error") role="alert">
                {move || error.get().unwrap_or_default()}
            </p>
        </div>
    }
}

/// The file a file input's `change` event chose, if any.
pub fn chosen_file(ev: &leptos::ev::Event) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
    input.and_then(|i| i.files()).and_then(|f| f.get(0))
}
