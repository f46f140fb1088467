//! A form's field errors: each message under its own field, and a summary at the top of the form
//! naming the fields by their labels in the user's language (never the API's field names).

use crate::i18n::T;
use leptos::prelude::*;
use shared::{FieldError, Lang};

/// Whether an error about `field` belongs under the form field `name` (`sessions[0].held_on`
/// belongs to `sessions`).
fn belongs(field: &str, name: &str) -> bool {
    field.strip_prefix(name).is_some_and(|rest| rest.is_empty() || rest.starts_with('[') || rest.starts_with('.'))
}

/// One field of a form: the API's name, its label, its message.
type FieldSlot = (&'static str, T, RwSignal<Option<String>>);

/// The error signals of a form's fields, keyed by the API's field names, with their labels.
#[derive(Clone, Copy)]
pub struct FormErrors {
    fields: StoredValue<Vec<FieldSlot>>,
    summary: RwSignal<Option<String>>,
}

impl FormErrors {
    /// A form with these fields: `(API field name, label)`.
    pub fn new(fields: &[(&'static str, T)]) -> FormErrors {
        let fields = fields.iter().map(|(name, label)| (*name, *label, RwSignal::new(None))).collect();
        FormErrors { fields: StoredValue::new(fields), summary: RwSignal::new(None) }
    }

    /// The message signal of one field (a field not declared gets a signal of its own).
    pub fn of(&self, name: &str) -> RwSignal<Option<String>> {
        self.fields
            .with_value(|f| f.iter().find(|(n, _, _)| *n == name).map(|(_, _, s)| *s))
            .unwrap_or_else(|| RwSignal::new(None))
    }

    /// Shows each error under its field, and the summary naming the fields by label. Errors for
    /// fields the form does not show are told in the summary by their message.
    pub fn show(&self, errs: &[FieldError], lang: Lang) {
        let mut named = Vec::new();
        self.fields.with_value(|fields| {
            for (name, label, signal) in fields {
                let found = errs.iter().find(|e| belongs(&e.field, name));
                signal.set(found.map(|e| e.code.message(lang).to_owned()));
                if found.is_some() {
                    named.push(label.text(lang).to_owned());
                }
            }
            for e in errs.iter().filter(|e| !fields.iter().any(|(n, _, _)| belongs(&e.field, n))) {
                named.push(e.code.message(lang).to_owned());
            }
        });
        self.summary.set((!named.is_empty()).then(|| format!("{} {}", T::CheckFields.text(lang), named.join(", "))));
    }

    /// A message about the whole form (not about one field), shown in the summary's place.
    pub fn message(&self, text: impl Into<String>) {
        self.summary.set(Some(text.into()));
    }

    /// Shows why a write failed: field errors under their fields, a stale version as "someone
    /// acted first", anything else in the summary.
    pub fn failed(&self, failure: crate::api::ApiFailure, lang: Lang) {
        match failure.for_form(lang) {
            crate::api::FormFailure::Fields(errs) => self.show(&errs, lang),
            crate::api::FormFailure::Stale => self.message(T::ActedFirst.text(lang)),
            crate::api::FormFailure::Message(m) => self.message(m),
        }
    }

    /// Clears every message.
    pub fn clear(&self) {
        self.fields.with_value(|f| f.iter().for_each(|(_, _, s)| s.set(None)));
        self.summary.set(None);
    }
}

/// The summary line at the top of a form.
#[component]
pub fn FormSummary(errors: FormErrors, #[prop(default = "form-summary")] test: &'static str) -> impl IntoView {
    view! {
        <p class="form-summary" role="alert" data-test=test>{move || errors.summary.get().unwrap_or_default()}</p>
    }
}
