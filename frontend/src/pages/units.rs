//! The organisation tree: a unit with its breadcrumbs and the units under it; for cadres and
//! above, forms to add a unit and to grant or revoke roles on it.

use crate::api::{self, ApiFailure, FormFailure};
use crate::components::field::Field;
use crate::components::status::{ErrorBox, Loading, Notice};
use crate::i18n::{use_i18n, T};
use crate::session::{best_role, use_session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::api::org_units::{CreateOrgUnitRequest, OrgUnitDetail, OrgUnitView};
use shared::api::role_assignments::{CreateRoleAssignmentRequest, RoleAssignmentView};
use shared::ids::OrgUnitId;
use shared::org::{OrgKind, Sector};
use shared::roles::Role;
use shared::{FieldError, Lang};

/// `/don-vi`: the tree from the caller's own highest unit (the page of the unit where they hold
/// their highest role, with the breadcrumb up); the roots for an admin or someone without a role.
#[component]
pub fn UnitsRootPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        let home = session.me.with(|me| {
            me.as_ref().and_then(|me| {
                me.roles.iter().filter(|r| r.role != Role::Admin).max_by_key(|r| r.role).map(|r| r.org_unit_id)
            })
        });
        let is_admin =
            session.me.with(|me| me.as_ref().is_some_and(|me| me.roles.iter().any(|r| r.role == Role::Admin)));
        if let (Some(unit), false) = (home, is_admin) {
            navigate(
                &format!("/don-vi/{unit}"),
                leptos_router::NavigateOptions { replace: true, ..Default::default() },
            );
        }
    });
    let roots = LocalResource::new(|| api::list_org_units(None, 1));
    view! {
        <main class="page">
            <h1 data-test="tree-title">{move || i18n.t(T::BrowseUnits)}</h1>
            {move || match roots.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(page)) => view! { <UnitList units=page.items /> }.into_any(),
            }}
        </main>
    }
}

/// `/don-vi/:id`.
#[component]
pub fn UnitPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).map(OrgUnitId));
    let detail = LocalResource::new(move || {
        let id = id();
        async move { api::get_org_unit(id.ok_or_else(|| ApiFailure::Network("bad id".into()))?).await }
    });
    view! {
        <main class="page">
            {move || match detail.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(unit)) => view! { <UnitView unit=unit /> }.into_any(),
            }}
        </main>
    }
}

#[component]
fn UnitView(unit: OrgUnitDetail) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let ancestors: Vec<OrgUnitId> = unit.ancestors.iter().map(|a| a.id).collect();
    let mut path = ancestors.clone();
    path.push(unit.unit.id);
    // Dissolving or merging a unit is decided above it.
    let parent_role = Signal::derive(move || session.me.get().and_then(|me| best_role(&me, &ancestors)));
    let role = Signal::derive(move || session.me.get().and_then(|me| best_role(&me, &path)));
    let can_manage = move || role.get().is_some_and(|r| r.covers(Role::Cadre));
    let u = unit.unit.clone();
    let (id, kind, sector, members) = (u.id, u.kind, u.sector, u.member_count);
    let dissolved = u.dissolved_on.is_some();
    let unit_parent = u.parent_id;
    let dissolve_unit = u.clone();
    // Only the list of children reloads after a unit is added, so the form keeps its notice.
    let reload = RwSignal::new(0u32);
    let children = LocalResource::new(move || {
        reload.track();
        api::list_org_units(Some(id), 1)
    });
    view! {
        <nav class="breadcrumbs" aria-label=move || i18n.t(T::Breadcrumb) data-test="breadcrumbs">
            <ol>
                {unit.ancestors.clone().into_iter().map(|a| {
                    let href = format!("/don-vi/{}", a.id);
                    view! { <li><A href=href>{a.name.clone()}</A></li> }
                }).collect_view()}
            </ol>
        </nav>
        <header class="unit-header">
            <h1 data-test="unit-name">{u.name.clone()}</h1>
            <p class="item-meta">
                {move || kind.label(i18n.lang.get())} " · " {move || sector.label(i18n.lang.get())}
                {u.code.clone().map(|c| format!(" · {c}"))}
                <span data-test="unit-member-count">{move || format!(" · {members} {}", i18n.t(T::MemberCount))}</span>
                <Show when=move || dissolved><span class="badge">{move || i18n.t(T::Dissolved)}</span></Show>
            </p>
        </header>
        <CommitteeCard unit=id />
        <section>
            <h2>{move || i18n.t(T::Units)}</h2>
            {move || match children.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(page)) => view! { <UnitList units=page.items /> }.into_any(),
            }}
        </section>
        <Show when=can_manage>
            <p class="actions-row">
                <A href=format!("/doan-vien?don-vi={id}") attr:class="button" attr:data-test="unit-members">
                    {move || i18n.t(T::MemberList)}
                </A>
                <Show when=move || kind == OrgKind::Branch>
                    <A href=format!("/doan-vien/moi?don-vi={id}") attr:class="button" attr:data-test="add-member">
                        {move || i18n.t(T::AddMember)}
                    </A>
                </Show>
                <A href=format!("/chuyen-sinh-hoat?don-vi={id}") attr:class="button" attr:data-test="unit-transfers">
                    {move || i18n.t(T::Transfers)}
                </A>
                <A href=format!("/lop?don-vi={id}") attr:class="button" attr:data-test="unit-classes">
                    {move || i18n.t(T::Classes)}
                </A>
                <A href=format!("/doan-vien/nhap?don-vi={id}") attr:class="button" attr:data-test="unit-import">
                    {move || i18n.t(T::ImportMembers)}
                </A>
                <Show when=move || role.get().is_some_and(|r| r.covers(Role::Leader))>
                    <A href=format!("/nhat-ky?don-vi={id}") attr:class="button" attr:data-test="unit-audit">
                        {move || i18n.t(T::AuditTrail)}
                    </A>
                </Show>
            </p>
            <AddUnitForm parent=id parent_kind=kind reload=reload />
            <RolesPanel unit=id my_role=role />
        </Show>
        <Show when=move || !dissolved && unit_parent.is_some() && parent_role.get().is_some_and(|r| r.covers(Role::Cadre))>
            <DissolveCard unit=dissolve_unit.clone() />
        </Show>
    }
}

#[component]
fn UnitList(units: Vec<OrgUnitView>) -> impl IntoView {
    let i18n = use_i18n();
    if units.is_empty() {
        return view! { <p class="empty">{move || i18n.t(T::NoUnits)}</p> }.into_any();
    }
    view! {
        <ul class="list" data-test="unit-list">
            {units.into_iter().map(|c| {
                let href = format!("/don-vi/{}", c.id);
                let kind = c.kind;
                let count = c.child_count;
                let members = c.member_count;
                view! {
                    <li>
                        <A href=href attr:class="list-item" attr:data-test="unit-item">
                            <span class="item-title">{c.name.clone()}</span>
                            <span class="item-meta">
                                {move || kind.label(i18n.lang.get())}
                                {move || if count > 0 { format!(" · {count} {}", i18n.t(T::ChildCount)) } else { String::new() }}
                                {move || format!(" · {members} {}", i18n.t(T::MemberCount))}
                            </span>
                        </A>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

fn field_message(errors: &[FieldError], field: &str, lang: Lang) -> Option<String> {
    errors.iter().find(|e| e.field == field).map(|e| e.code.message(lang).to_owned())
}

#[component]
fn AddUnitForm(parent: OrgUnitId, parent_kind: OrgKind, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let kinds: Vec<OrgKind> = OrgKind::ALL.into_iter().filter(|k| parent_kind.can_contain(*k)).collect();
    if kinds.is_empty() {
        return ().into_any();
    }
    let name = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let kind = RwSignal::new(kinds[0].as_str().to_owned());
    let sector = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<String>);
    let code_error = RwSignal::new(None::<String>);
    let form_error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        done.set(None);
        form_error.set(None);
        let req = CreateOrgUnitRequest {
            parent_id: Some(parent),
            name: name.get_untracked(),
            kind: kind.get_untracked(),
            sector: Some(sector.get_untracked()),
            code: Some(code.get_untracked()),
            founded_on: None,
        };
        let show = move |errs: &[FieldError]| {
            name_error.set(field_message(errs, "name", lang));
            code_error.set(field_message(errs, "code", lang));
        };
        if let Err(errs) = req.validate(chrono::Local::now().date_naive()) {
            show(&errs);
            return;
        }
        spawn_local(async move {
            match api::create_org_unit(&req).await {
                Ok(_) => {
                    name.set(String::new());
                    code.set(String::new());
                    done.set(Some(i18n.t(T::Created).to_owned()));
                    reload.update(|n| *n += 1);
                }
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => show(&errs),
                    FormFailure::Stale => form_error.set(Some(i18n.t(T::StaleReloaded).to_owned())),
                    FormFailure::Message(m) => form_error.set(Some(m)),
                },
            }
        });
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    view! {
        <section class="card">
            <h2>{move || i18n.t(T::AddUnit)}</h2>
            <Notice text=done />
            <form on:submit=submit novalidate data-test="add-unit-form">
                <Field name="unit_name" label=label(T::UnitName) value=name error=name_error />
                <div class="field">
                    <label for="unit_kind">{move || i18n.t(T::Kind)}</label>
                    <select id="unit_kind" data-test="unit_kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        {kinds.iter().map(|k| {
                            let k = *k;
                            view! { <option value=k.as_str()>{move || k.label(i18n.lang.get())}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="unit_sector">{move || i18n.t(T::Sector)}</label>
                    <select id="unit_sector" data-test="unit_sector" on:change=move |ev| sector.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {Sector::ALL.iter().map(|s| {
                            let s = *s;
                            view! { <option value=s.as_str()>{move || s.label(i18n.lang.get())}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <Field name="unit_code" label=label(T::Code) value=code error=code_error />
                <p class="form-error" role="alert">{move || form_error.get().unwrap_or_default()}</p>
                <button type="submit" class="primary" data-test="add-unit-submit">{move || i18n.t(T::Create)}</button>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn RolesPanel(unit: OrgUnitId, my_role: Signal<Option<Role>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let reload = RwSignal::new(0u32);
    let list = LocalResource::new(move || {
        reload.track();
        api::list_role_assignments(unit)
    });
    let login = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Member.as_str().to_owned());
    let login_error = RwSignal::new(None::<String>);
    let title_error = RwSignal::new(None::<String>);
    let form_error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let grantable = move || -> Vec<Role> {
        my_role.get().map(|mine| Role::ALL.into_iter().filter(|r| mine.may_grant(*r)).collect()).unwrap_or_default()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        done.set(None);
        form_error.set(None);
        let req = CreateRoleAssignmentRequest {
            user_id: None,
            login: Some(login.get_untracked()),
            org_unit_id: Some(unit),
            role: role.get_untracked(),
            title: Some(title.get_untracked()),
        };
        let show = move |errs: &[FieldError]| {
            login_error.set(field_message(errs, "login", lang).or_else(|| field_message(errs, "user_id", lang)));
            title_error.set(field_message(errs, "title", lang));
        };
        if let Err(errs) = req.validate() {
            show(&errs);
            return;
        }
        spawn_local(async move {
            match api::create_role_assignment(&req).await {
                Ok(_) => {
                    login.set(String::new());
                    title.set(String::new());
                    done.set(Some(i18n.t(T::Granted).to_owned()));
                    reload.update(|n| *n += 1);
                    session.reload().await;
                }
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => show(&errs),
                    FormFailure::Stale => form_error.set(Some(i18n.t(T::StaleReloaded).to_owned())),
                    FormFailure::Message(m) => form_error.set(Some(m)),
                },
            }
        });
    };
    let revoke = move |a: RoleAssignmentView| {
        let confirmed =
            web_sys::window().and_then(|w| w.confirm_with_message(i18n.t(T::ConfirmRevoke)).ok()).unwrap_or(false);
        if !confirmed {
            return;
        }
        spawn_local(async move {
            match api::delete_role_assignment(a.id).await {
                Ok(()) => reload.update(|n| *n += 1),
                Err(e) => form_error.set(Some(e.message(i18n.lang.get_untracked()))),
            }
        });
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    view! {
        <section class="card" data-test="roles-panel">
            <h2>{move || i18n.t(T::Roles)}</h2>
            {move || match list.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <p class="empty">{move || i18n.t(T::NoRoles)}</p> }.into_any(),
                Some(Ok(page)) => view! {
                    <ul class="list" data-test="role-list">
                        {page.items.into_iter().map(|a| {
                            let r = a.role;
                            let may_revoke = move || my_role.get().is_some_and(|m| m.may_grant(r));
                            let item = a.clone();
                            view! {
                                <li class="list-item row" data-test="role-item">
                                    <span>
                                        <span class="item-title">{a.user_full_name.clone()}</span>
                                        <span class="item-meta">
                                            {move || r.label(i18n.lang.get())}
                                            {a.title.clone().map(|t| format!(" · {t}"))}
                                            {format!(" · {}", a.user_login)}
                                        </span>
                                    </span>
                                    <Show when=may_revoke>
                                        <button type="button" class="link-button danger" on:click={
                                            let item = item.clone();
                                            move |_| revoke(item.clone())
                                        }>{move || i18n.t(T::Revoke)}</button>
                                    </Show>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <Notice text=done />
            <form on:submit=submit novalidate data-test="grant-form">
                <Field name="grant_login" label=label(T::LoginField) value=login error=login_error />
                <div class="field">
                    <label for="grant_role">{move || i18n.t(T::Role)}</label>
                    <select id="grant_role" data-test="grant_role" on:change=move |ev| role.set(event_target_value(&ev))>
                        {move || grantable().into_iter().map(|r| {
                            view! { <option value=r.as_str() selected=move || role.get() == r.as_str()>{move || r.label(i18n.lang.get())}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <Field name="grant_title" label=label(T::GrantTitle) value=title error=title_error />
                <p class="form-error" role="alert" data-test="grant-error">{move || form_error.get().unwrap_or_default()}</p>
                <button type="submit" class="primary" data-test="grant-submit">{move || i18n.t(T::Grant)}</button>
            </form>
        </section>
    }
}

#[component]
fn CommitteeCard(unit: OrgUnitId) -> impl IntoView {
    let i18n = use_i18n();
    let committee = LocalResource::new(move || api::list_positions(unit));
    view! {
        <section data-test="committee">
            <h2>{move || i18n.t(T::Committee)}</h2>
            {move || match committee.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty">{move || i18n.t(T::NoCommittee)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="list">
                        {list.into_iter().map(|p| {
                            let title = p.title;
                            view! {
                                <li class="list-item">
                                    <span class="item-title">{p.member_name.clone()}</span>
                                    <span class="item-meta">{move || title.label(i18n.lang.get())}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// Dissolves the unit, or merges it into another (its units and members move there).
#[component]
fn DissolveCard(unit: OrgUnitView) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let target = RwSignal::new(None::<OrgUnitView>);
    let on = RwSignal::new(chrono::Local::now().date_naive().format("%Y-%m-%d").to_string());
    let reason = RwSignal::new(String::new());
    let (on_error, reason_error, form_error) =
        (RwSignal::new(None::<String>), RwSignal::new(None::<String>), RwSignal::new(None::<String>));
    let (id, version) = (unit.id, unit.version);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let req = shared::api::org_units::DissolveOrgUnitRequest {
            on: on.get_untracked(),
            merged_into_id: target.get_untracked().map(|t| t.id),
            reason: Some(reason.get_untracked()),
        };
        spawn_local(async move {
            match api::dissolve_org_unit(id, version, &req).await {
                Ok(_) => {
                    // The page shows the unit as it now is: dissolved, its units and members elsewhere.
                    if let Some(w) = web_sys::window() {
                        let _ = w.location().reload();
                    }
                }
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => {
                        on_error.set(field_message(&errs, "on", lang));
                        reason_error.set(field_message(&errs, "reason", lang));
                        form_error.set(field_message(&errs, "merged_into_id", lang));
                    }
                    FormFailure::Stale => form_error.set(Some(i18n.t(T::StaleReloaded).to_owned())),
                    FormFailure::Message(m) => form_error.set(Some(m)),
                },
            }
        });
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    view! {
        <section class="card" data-test="dissolve-card">
            <div class="card-title">
                <h2>{move || i18n.t(T::DissolveUnit)}</h2>
                <Show when=move || !open.get()>
                    <button type="button" class="link-button" data-test="open-dissolve" on:click=move |_| open.set(true)>
                        {move || i18n.t(T::DissolveUnit)}
                    </button>
                </Show>
            </div>
            <Show when=move || open.get()>
                <form on:submit=submit novalidate data-test="dissolve-form">
                    <p class="item-meta">{move || i18n.t(T::MergeIntoUnit)}</p>
                    <crate::components::unit_picker::UnitPicker chosen=target kinds="" label=T::MergeIntoUnit />
                    <Field name="dissolve_on" label=label(T::DecisionDate) value=on error=on_error kind="date" />
                    <Field name="dissolve_reason" label=label(T::Reason) value=reason error=reason_error />
                    <p class="form-error" role="alert" data-test="dissolve-error">{move || form_error.get().unwrap_or_default()}</p>
                    <button type="submit" class="primary" data-test="confirm-dissolve">{move || i18n.t(T::Dissolve)}</button>
                </form>
            </Show>
        </section>
    }
}
