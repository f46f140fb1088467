//! Importing members from a spreadsheet: the upload page (template, file, mode, recent imports)
//! and a job page that follows the import while it runs and shows the row report. The job has
//! its own address, so a reload finds it again.

use crate::api::{self, ApiFailure};
use crate::components::status::{ErrorBox, Loading};
use crate::i18n::{use_i18n, T};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use shared::api::imports::{ImportJobView, ImportMode, ImportStatus};
use shared::ids::OrgUnitId;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

fn status_text(status: ImportStatus) -> T {
    match status {
        ImportStatus::Validating => T::ImportChecking,
        ImportStatus::Importing => T::ImportWriting,
        ImportStatus::Done => T::ImportDone,
        ImportStatus::Failed => T::ImportFailed,
    }
}

/// `/doan-vien/nhap?don-vi=ID`.
#[component]
pub fn ImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let unit = move || query.with(|q| q.get("don-vi").and_then(|v| v.parse::<i64>().ok()).map(OrgUnitId));
    let file = RwSignal::new_local(None::<web_sys::File>);
    let mode = RwSignal::new(ImportMode::ValidOnly);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let recent = LocalResource::new(move || {
        let unit = unit();
        async move {
            let unit = unit.ok_or_else(|| ApiFailure::Network("no unit".into()))?;
            api::list_imports(unit).await
        }
    });
    let on_file = move |ev: leptos::ev::Event| {
        file.set(crate::components::field::chosen_file(&ev));
        error.set(None);
    };
    let template = move |format: &'static str| {
        move |_| {
            spawn_local(async move {
                let saved = match api::import_template(format).await {
                    Ok(bytes) => {
                        api::save_file(&format!("mau-nhap-doan-vien.{format}"), "application/octet-stream", &bytes)
                    }
                    Err(e) => Err(e),
                };
                error.set(saved.err().map(|e| e.message(i18n.lang.get_untracked())));
            });
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let (Some(unit), Some(chosen)) = (unit(), file.get_untracked()) else {
            error.set(Some(T::ChooseFile.text(lang).to_owned()));
            return;
        };
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            match api::start_import(unit, mode.get_untracked(), &chosen).await {
                Ok(job) => navigate(&format!("/doan-vien/nhap/{}", job.id), Default::default()),
                Err(ApiFailure::Rejected(p)) => {
                    error.set(Some(p.detail.map_or(p.title.clone(), |d| format!("{}: {d}", p.title))));
                    busy.set(false);
                }
                Err(e) => {
                    error.set(Some(e.message(lang)));
                    busy.set(false);
                }
            }
        });
    };
    let radio = move |value: ImportMode, label: T| {
        view! {
            <label class="radio">
                <input type="radio" name="mode" data-test=format!("mode-{}", value.as_str())
                    prop:checked=move || mode.get() == value on:change=move |_| mode.set(value) />
                <span>{move || i18n.t(label)}</span>
            </label>
        }
    };
    view! {
        <main class="page narrow">
            <h1>{move || i18n.t(T::ImportMembers)}</h1>
            <div class="actions-row">
                <button type="button" data-test="template-xlsx" on:click=template("xlsx")>{move || i18n.t(T::DownloadTemplate)} " (.xlsx)"</button>
                <button type="button" data-test="template-csv" on:click=template("csv")>{move || i18n.t(T::DownloadTemplate)} " (.csv)"</button>
            </div>
            <form on:submit=submit novalidate data-test="import-form">
                <div class="field">
                    <label for="import-file">{move || i18n.t(T::ImportFile)}</label>
                    <input id="import-file" type="file" data-test="import-file"
                        accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
                        on:change=on_file />
                </div>
                <fieldset class="field">
                    {radio(ImportMode::ValidOnly, T::ImportValidOnly)}
                    {radio(ImportMode::AllOrNothing, T::ImportAllOrNothing)}
                </fieldset>
                <p class="form-error" role="alert" data-test="import-error">{move || error.get().unwrap_or_default()}</p>
                <button type="submit" class="primary" data-test="start-import" disabled=move || busy.get()>{move || i18n.t(T::StartImport)}</button>
            </form>
            <h2>{move || i18n.t(T::RecentImports)}</h2>
            {move || match recent.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(jobs)) => view! {
                    <ul class="list" data-test="recent-imports">
                        {jobs.into_iter().map(|j| {
                            let status = j.status;
                            view! {
                                <li>
                                    <A href=format!("/doan-vien/nhap/{}", j.id) attr:class="list-item">
                                        <span class="item-title">{j.file_name.clone()}</span>
                                        <span class="item-meta">
                                            {j.created_at.format("%d/%m/%Y %H:%M").to_string()} " · " {move || i18n.t(status_text(status))}
                                            " · " {j.imported_rows} "/" {j.total_rows}
                                        </span>
                                    </A>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </main>
    }
}

/// `/doan-vien/nhap/:id`: one import, followed until it ends.
#[component]
pub fn ImportJobPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let job = RwSignal::new(None::<Result<ImportJobView, ApiFailure>>);
    let alive = Arc::new(AtomicBool::new(true));
    let stop = alive.clone();
    on_cleanup(move || stop.store(false, Ordering::Relaxed));
    fn poll(id: i64, job: RwSignal<Option<Result<ImportJobView, ApiFailure>>>, alive: Arc<AtomicBool>) {
        spawn_local(async move {
            let loaded = api::get_import(id).await;
            let again = matches!(&loaded, Ok(j) if !j.status.is_finished());
            if !alive.load(Ordering::Relaxed) {
                return;
            }
            job.set(Some(loaded));
            if again {
                set_timeout(move || poll(id, job, alive), Duration::from_millis(700));
            }
        });
    }
    Effect::new(move |_| {
        if let Some(id) = id() {
            poll(id, job, alive.clone());
        }
    });
    view! {
        <main class="page">
            {move || match job.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(j)) => view! { <JobReport job=j /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn JobReport(job: ImportJobView) -> impl IntoView {
    let i18n = use_i18n();
    let status = job.status;
    let percent = if job.total_rows > 0 { job.processed_rows * 100 / job.total_rows } else { 0 };
    let back = format!("/doan-vien/nhap?don-vi={}", job.unit_id);
    let members = format!("/doan-vien?don-vi={}", job.unit_id);
    let has_errors = !job.errors.is_empty();
    view! {
        <h1>{move || i18n.t(T::ImportMembers)}</h1>
        <p class="item-meta">{job.file_name.clone()}</p>
        <p><strong data-test="import-status">{move || i18n.t(status_text(status))}</strong></p>
        <progress max="100" value=percent data-test="import-progress">{percent} "%"</progress>
        <dl class="kvs" data-test="import-counts">
            <div class="kv"><dt>{move || i18n.t(T::Rows)}</dt><dd data-test="total-rows">{job.total_rows}</dd></div>
            <div class="kv"><dt>{move || i18n.t(T::Imported)}</dt><dd data-test="imported-rows">{job.imported_rows}</dd></div>
            <div class="kv"><dt>{move || i18n.t(T::RowsWithProblems)}</dt><dd data-test="error-rows">{job.error_rows}</dd></div>
        </dl>
        {job.message.clone().map(|m| view! { <p class="form-error" role="alert">{m}</p> })}
        <Show when=move || has_errors>
            <h2>{move || i18n.t(T::RowReport)}</h2>
            <table class="report" data-test="row-report">
                <thead><tr>
                    <th>{move || i18n.t(T::Row)}</th><th>{move || i18n.t(T::Column)}</th><th>{move || i18n.t(T::Problem)}</th>
                </tr></thead>
                <tbody>
                    {job.errors.clone().into_iter().map(|e| view! {
                        <tr data-test="report-row">
                            <td>{e.row}</td>
                            <td>{e.column.clone()}</td>
                            <td>{e.message.clone()}{e.same_as_row.map(|r| view! { " (" {move || i18n.t(T::SameAsRow)} " " {r} ")" })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </Show>
        <div class="actions-row">
            <A href=members attr:class="button">{move || i18n.t(T::Members)}</A>
            <A href=back attr:class="button">{move || i18n.t(T::ImportMembers)}</A>
        </div>
    }
}
