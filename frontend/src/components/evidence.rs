//! Evidence on progress entries: the progress form's inputs (a photo or PDF, a link), checked
//! before sending and sent once the entry is recorded, and a registration's entries with their
//! evidence. Files are fetched through the API (they need the session) and handed to the browser.

use crate::api::{self, ApiFailure};
use crate::components::field::Field;
use crate::components::form_errors::FormErrors;
use crate::i18n::{use_i18n, T};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::programme_files::{parse_link, EvidenceKind, EvidenceMedia, EvidenceView, MAX_EVIDENCE_BYTES};
use shared::api::programmes::RegistrationView;
use shared::{FieldError, Lang};

/// The evidence the progress form collects: a file (kept local: a browser object) and a link.
#[derive(Clone, Copy)]
pub struct EvidenceInput {
    file: RwSignal<Option<web_sys::File>, LocalStorage>,
    link: RwSignal<String>,
}

impl EvidenceInput {
    /// Nothing chosen yet.
    pub fn new() -> EvidenceInput {
        EvidenceInput { file: RwSignal::new_local(None), link: RwSignal::new(String::new()) }
    }

    /// Checks the file's size and the link before anything is sent; shows what is wrong under
    /// the fields (`file`, `url`) and answers false.
    pub fn check(&self, errors: FormErrors, lang: Lang) -> bool {
        let too_large = self.file.with_untracked(|f| f.as_ref().is_some_and(|f| f.size() > MAX_EVIDENCE_BYTES as f64));
        if too_large {
            errors.of("file").set(Some(T::EvidenceTooLarge.text(lang).to_owned()));
        }
        let link = self.link.get_untracked();
        let bad_link = match link.trim() {
            "" => None,
            l => parse_link(l).err(),
        };
        if let Some(code) = bad_link {
            errors.show(&[FieldError::new("url", code, lang)], lang);
        }
        !too_large && bad_link.is_none()
    }

    /// Sends what was chosen for the entry just recorded.
    pub async fn send(self, registration: i64, entry: i64) -> Result<(), ApiFailure> {
        if let Some(file) = self.file.get_untracked() {
            api::attach_evidence_file(registration, entry, &file).await?;
        }
        let link = self.link.get_untracked();
        if !link.trim().is_empty() {
            api::attach_evidence_link(registration, entry, link.trim()).await?;
        }
        Ok(())
    }
}

/// What a refused upload says: the problem's title, its detail and each field's message.
pub fn describe(e: ApiFailure, lang: Lang) -> String {
    match e {
        ApiFailure::Rejected(p) => {
            let mut parts = vec![p.title];
            parts.extend(p.detail);
            parts.extend(p.errors.into_iter().map(|f| f.message));
            parts.join(": ")
        }
        other => other.message(lang),
    }
}

/// The progress form's evidence inputs: a photo or PDF, and a link.
#[component]
pub fn EvidenceFields(input: EvidenceInput, errors: FormErrors) -> impl IntoView {
    let i18n = use_i18n();
    let file_error = errors.of("file");
    let on_file = move |ev: leptos::ev::Event| {
        input.file.set(crate::components::field::chosen_file(&ev));
        file_error.set(None);
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    view! {
        <div class="field" class:invalid=move || file_error.get().is_some()>
            <label for="evidence-file">{move || i18n.t(T::EvidenceFile)}</label>
            <input id="evidence-file" type="file" data-test="evidence-file" accept="image/*,application/pdf"
                aria-describedby="evidence-file-error" on:change=on_file />
            <p class="field-error" id="evidence-file-error" data-test="evidence-file-error" role="alert">
                {move || file_error.get().unwrap_or_default()}
            </p>
        </div>
        <Field name="evidence_url" label=label(T::EvidenceLink) value=input.link error=errors.of("url") kind="url" inputmode="url" />
    }
}

/// Opens a file kept as evidence: fetched with the session, then saved by the browser.
fn open_file(e: &EvidenceView, failure: RwSignal<Option<String>>, lang: Lang) {
    let media = e.media_type.as_deref().and_then(EvidenceMedia::parse);
    let name = e
        .file_name
        .clone()
        .unwrap_or_else(|| format!("minh-chung-{}.{}", e.id, media.map_or("bin", EvidenceMedia::extension)));
    let (id, mime) = (e.id, e.media_type.clone().unwrap_or_default());
    spawn_local(async move {
        let saved = match api::evidence_file(id).await {
            Ok(bytes) => api::save_file(&name, &mime, &bytes),
            Err(e) => Err(e),
        };
        failure.set(saved.err().map(|e| e.message(lang)));
    });
}

/// A registration's progress entries, newest first, each with its evidence.
#[component]
pub fn ProgressEntries(registration: RegistrationView) -> impl IntoView {
    let i18n = use_i18n();
    let failure = RwSignal::new(None::<String>);
    let titles: Vec<(i64, String)> = registration.items.iter().map(|i| (i.item_id, i.title.clone())).collect();
    let entries = registration.progress;
    (!entries.is_empty()).then(|| view! {
        <section class="card" data-test="progress-entries">
            <h2>{move || i18n.t(T::ProgressEntries)}</h2>
            <p class="field-error" role="alert">{move || failure.get().unwrap_or_default()}</p>
            <ul class="list">
                {entries.into_iter().map(|p| {
                    let title = titles.iter().find(|(id, _)| *id == p.item_id).map(|(_, t)| t.clone()).unwrap_or_default();
                    view! {
                        <li data-test=format!("entry-{}", p.id)>
                            <span class="item-title">{title} " · " {p.count}</span>
                            <span class="item-meta">{p.done_on.format("%d/%m/%Y").to_string()} " " {p.note.clone()}</span>
                            {p.evidence.into_iter().map(|e| match e.kind {
                                EvidenceKind::Link => {
                                    let (href, text) = (e.url.clone().unwrap_or_default(), e.url.clone().unwrap_or_default());
                                    let test = format!("evidence-{}", e.id);
                                    view! {
                                        <a href=href target="_blank" rel="noopener noreferrer nofollow" data-test=test>{text}</a>
                                    }.into_any()
                                }
                                EvidenceKind::File => {
                                    let label = e.file_name.clone().unwrap_or_else(|| T::OpenEvidence.text(i18n.lang.get_untracked()).to_owned());
                                    let test = format!("evidence-{}", e.id);
                                    view! {
                                        <button type="button" class="link" data-test=test
                                            on:click=move |_| open_file(&e, failure, i18n.lang.get_untracked())>{label}</button>
                                    }.into_any()
                                }
                            }).collect_view()}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    })
}
