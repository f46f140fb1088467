//! The button that downloads a programme's registrations in a unit's subtree as an Excel sheet
//! (the programme's layout, which the import reads back).

use crate::api;
use crate::i18n::{use_i18n, T};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::ids::OrgUnitId;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Downloads the sheet of `programme`'s registrations under `unit`.
#[component]
pub fn RegistrationsExport(programme: i64, unit: OrgUnitId) -> impl IntoView {
    let i18n = use_i18n();
    let failure = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let download = move |_| {
        let lang = i18n.lang.get_untracked();
        busy.set(true);
        spawn_local(async move {
            let saved = match api::export_programme_registrations(programme, unit).await {
                Ok(bytes) => api::save_file(&format!("dang-ky-ren-luyen-{programme}-{unit}.xlsx"), XLSX, &bytes),
                Err(e) => Err(e),
            };
            failure.set(saved.err().map(|e| e.message(lang)));
            busy.set(false);
        });
    };
    view! {
        <button type="button" data-test="export-registrations" disabled=move || busy.get() on:click=download>
            {move || i18n.t(T::ExportRegistrations)}
        </button>
        <p class="field-error" role="alert">{move || failure.get().unwrap_or_default()}</p>
    }
}
