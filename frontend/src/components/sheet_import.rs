//! Sending a spreadsheet to the import machinery: a file, valid rows only or all or nothing,
//! then the job's page (`/doan-vien/nhap/:id`) follows it with its row report.

use crate::api::ApiFailure;
use crate::i18n::{use_i18n, T};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::imports::{ImportJobView, ImportMode};
use std::future::Future;
use std::pin::Pin;

/// A request under way that answers with the job.
pub type Sent = Pin<Box<dyn Future<Output = Result<ImportJobView, ApiFailure>>>>;

/// A collapsed form (`test` names its parts) titled `title`, with `hint` under it.
#[component]
pub fn SheetImport(
    test: &'static str,
    title: T,
    #[prop(optional)] hint: Option<String>,
    /// Sends the file in the mode chosen.
    send: Callback<(ImportMode, web_sys::File), Sent>,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = leptos_router::hooks::use_navigate();
    let file = RwSignal::new_local(None::<web_sys::File>);
    let whole = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Event| {
        file.set(crate::components::field::chosen_file(&ev));
        error.set(None);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let Some(chosen) = file.get_untracked() else {
            error.set(Some(T::ChooseFile.text(lang).to_owned()));
            return;
        };
        let mode = if whole.get_untracked() { ImportMode::AllOrNothing } else { ImportMode::ValidOnly };
        let navigate = navigate.clone();
        let sent = send.run((mode, chosen));
        spawn_local(async move {
            match sent.await {
                Ok(job) => navigate(&format!("/doan-vien/nhap/{}", job.id), Default::default()),
                Err(e) => error.set(Some(crate::components::evidence::describe(e, lang))),
            }
        });
    };
    let id = format!("{test}-file");
    view! {
        <details data-test=test>
            <summary class="tap">{move || i18n.t(title)}</summary>
            <form on:submit=submit novalidate>
                {hint.map(|h| view! { <p class="item-meta">{h}</p> })}
                <div class="field">
                    <label for=id.clone()>{move || i18n.t(T::ImportFile)}</label>
                    <input id=id.clone() type="file" data-test=format!("{test}-file")
                        accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
                        on:change=on_file />
                </div>
                <label class="check"><input type="checkbox" data-test=format!("{test}-all-or-nothing")
                    prop:checked=move || whole.get() on:change=move |ev| whole.set(event_target_checked(&ev)) />
                    {move || i18n.t(T::ImportAllOrNothing)}</label>
                <p class="field-error" role="alert" hidden=move || error.get().is_none()>{move || error.get().unwrap_or_default()}</p>
                <button type="submit" class="primary" data-test=format!("{test}-submit")>{move || i18n.t(title)}</button>
            </form>
        </details>
    }
}
