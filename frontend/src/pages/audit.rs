//! `/nhat-ky?don-vi=ID`: a unit's audit trail for its leaders — who changed what, when, and the
//! record before and after — newest first, a page at a time.

use crate::api::{self, ApiFailure};
use crate::components::pager::Pager;
use crate::components::status::{ErrorBox, Loading};
use crate::i18n::{use_i18n, T};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::api::audit::AuditEntryView;
use shared::ids::OrgUnitId;
use shared::Lang;

/// Entries per page.
const PER_PAGE: i64 = 20;

/// The kind of record, in words.
fn entity_label(entity: &str, lang: Lang) -> String {
    let t = match entity {
        "org_unit" => T::Unit,
        "member" => T::Members,
        "admission" => T::Admission,
        "class" => T::Classes,
        "transfer" => T::Transfers,
        "role_assignment" => T::Roles,
        "position" => T::Committee,
        "user" => T::Account,
        "import" | "import_job" => T::ImportMembers,
        _ => return entity.to_owned(),
    };
    t.text(lang).to_owned()
}

/// What was done, in words (the verb after the dot of `org_unit.create`); unknown verbs as sent.
fn verb_label(action: &str, lang: Lang) -> String {
    let verb = action.rsplit('.').next().unwrap_or(action);
    let t = match verb {
        "create" | "request" | "register" => T::AuditCreated,
        "update" | "result" | "attendance" | "target" => T::AuditChanged,
        "delete" | "end" | "cancel" => T::AuditRemoved,
        "dissolve" => T::Dissolved,
        "merge" => T::AuditMerged,
        "import" => T::ImportMembers,
        _ => return verb.replace('_', " "),
    };
    t.text(lang).to_owned()
}

/// The top-level fields of a recorded state, as `name: value` lines.
fn fields(value: &Option<serde_json::Value>) -> Vec<(String, String)> {
    match value {
        Some(serde_json::Value::Object(map)) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.replace('_', " "), v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
            .collect(),
        _ => Vec::new(),
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let unit = move || query.with(|q| q.get("don-vi").and_then(|v| v.parse::<i64>().ok()).map(OrgUnitId));
    let page = RwSignal::new(1i64);
    let name = LocalResource::new(move || {
        let unit = unit();
        async move { api::get_org_unit(unit.ok_or_else(|| ApiFailure::Network("no unit".into()))?).await }
    });
    let entries = LocalResource::new(move || {
        let (unit, page) = (unit(), page.get());
        async move { api::audit_trail(unit.ok_or_else(|| ApiFailure::Network("no unit".into()))?, page, PER_PAGE).await }
    });
    view! {
        <main class="page" data-test="audit-page">
            <h1>{move || i18n.t(T::AuditTrail)}</h1>
            <p class="item-meta">{move || name.get().and_then(Result::ok).map(|u| u.unit.name)}</p>
            {move || match entries.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(p)) if p.items.is_empty() => view! { <p class="empty">{move || i18n.t(T::NoHistory)}</p> }.into_any(),
                Some(Ok(p)) => {
                    let (current, per_page, total) = (p.page, p.per_page, p.total);
                    view! {
                        <ul class="list" data-test="audit-list">
                            {p.items.into_iter().map(|e| view! { <AuditEntry entry=e /> }).collect_view()}
                        </ul>
                        <Pager current=current per_page=per_page total=total page=page />
                    }.into_any()
                }
            }}
        </main>
    }
}

#[component]
fn AuditEntry(entry: AuditEntryView) -> impl IntoView {
    let i18n = use_i18n();
    let (before, after) = (fields(&entry.before), fields(&entry.after));
    let (entity, action) = (entry.entity_type.clone(), entry.action.clone());
    let at = entry.at.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M").to_string();
    let who = entry.actor_name.clone().unwrap_or_else(|| i18n.t(T::System).to_owned());
    let side = move |title: T, rows: Vec<(String, String)>| {
        (!rows.is_empty()).then(|| {
            view! {
                <h3>{move || i18n.t(title)}</h3>
                <dl class="kvs">
                    {rows.into_iter().map(|(k, v)| view! { <div class="kv"><dt>{k}</dt><dd class="letter">{v}</dd></div> }).collect_view()}
                </dl>
            }
        })
    };
    view! {
        <li class="card" data-test="audit-entry">
            <p class="item-title">
                {move || format!("{} · {}", entity_label(&entity, i18n.lang.get()), verb_label(&action, i18n.lang.get()))}
            </p>
            <p class="item-meta">
                {who} " · " {at} " · #" {entry.entity_id}
                // Its place in the tamper-evident chain (`sodoan audit verify` checks it).
                {entry.seq.map(|s| format!(" · {} {s}", i18n.t(T::ChainSeq)))}
            </p>
            <details>
                <summary data-test="audit-open">{move || i18n.t(T::BeforeAfter)}</summary>
                {side(T::Before, before)}
                {side(T::After, after)}
            </details>
        </li>
    }
}
