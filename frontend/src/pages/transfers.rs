//! Transfers (chuyển sinh hoạt Đoàn): the card on the member book (where the member has been,
//! their transfers, starting one) and a unit's inbox of incoming and outgoing transfers, with the
//! step each side takes (release, accept into a branch, refuse, cancel).

use crate::api::{self, ApiFailure, FormFailure};
use crate::components::field::Field;
use crate::components::status::{ErrorBox, Loading};
use crate::components::unit_picker::UnitPicker;
use crate::i18n::{date, use_i18n, T};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use shared::api::members::MemberView;
use shared::api::org_units::OrgUnitView;
use shared::api::transfers::{CreateTransferRequest, TransferAction, TransferTransitionRequest, TransferView};
use shared::ids::OrgUnitId;
use shared::org::OrgKind;

/// The member book's card: units over time, transfers, and a form to start one.
#[component]
pub fn TransferCard(member: MemberView) -> impl IntoView {
    let i18n = use_i18n();
    let id = member.id;
    let refresh = RwSignal::new(0u32);
    let placements = LocalResource::new(move || api::member_placements(id));
    let transfers = LocalResource::new(move || {
        refresh.get();
        api::member_transfers(id)
    });
    let open = RwSignal::new(false);
    let live = member.status.is_live();
    let has_open = move || matches!(transfers.get(), Some(Ok(ts)) if ts.iter().any(|t| t.status.is_open()));
    let done = Callback::new(move |_: ()| {
        open.set(false);
        refresh.update(|n| *n += 1);
    });
    view! {
        <section class="card" data-test="transfer-card">
            <h2>{move || i18n.t(T::UnitsOverTime)}</h2>
            {move || match placements.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(ps)) => view! {
                    <ul class="list" data-test="placements">
                        {ps.into_iter().map(|p| {
                            let cause = p.cause;
                            let dissolved = p.unit_dissolved_on.is_some();
                            let until = p.ended_on.map(date);
                            view! {
                                <li class="list-item">
                                    <span class="item-title">{p.unit_name.clone()}
                                        <Show when=move || dissolved><span class="badge">{move || i18n.t(T::Dissolved)}</span></Show>
                                    </span>
                                    <span class="item-meta">
                                        {date(p.started_on)} " – " {until.clone().unwrap_or_else(|| i18n.t(T::UntilNow).to_owned())}
                                        " · " {move || cause.label(i18n.lang.get())}
                                    </span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <h2>{move || i18n.t(T::Transfers)}</h2>
            {move || match transfers.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(ts)) if ts.is_empty() => view! { <p class="empty">{move || i18n.t(T::NoTransfers)}</p> }.into_any(),
                Some(Ok(ts)) => view! { <TransferList transfers=ts on_done=done link_members=false /> }.into_any(),
            }}
            <Show when=move || live && !has_open() && !open.get()>
                <button type="button" data-test="start-transfer" on:click=move |_| open.set(true)>{move || i18n.t(T::StartTransfer)}</button>
            </Show>
            <Show when=move || open.get()>
                <NewTransfer member=id on_done=done />
            </Show>
        </section>
    }
}

#[component]
fn NewTransfer(member: shared::ids::MemberId, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let chosen = RwSignal::new(None::<OrgUnitView>);
    let note = RwSignal::new(String::new());
    let note_error = RwSignal::new(None::<String>);
    let form_error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let req = CreateTransferRequest {
            member_id: Some(member),
            to_unit_id: chosen.get_untracked().map(|u| u.id),
            note: Some(note.get_untracked()),
        };
        let show = move |errs: &[shared::FieldError]| {
            note_error.set(errs.iter().find(|e| e.field == "note").map(|e| e.code.message(lang).to_owned()));
            if let Some(e) = errs.iter().find(|e| e.field == "to_unit_id") {
                form_error.set(Some(format!("{}: {}", i18n.t(T::TransferTo), e.code.message(lang))));
            }
        };
        if let Err(errs) = req.validate() {
            show(&errs);
            return;
        }
        spawn_local(async move {
            match api::create_transfer(&req).await {
                Ok(_) => on_done.run(()),
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => show(&errs),
                    FormFailure::Stale => on_done.run(()),
                    FormFailure::Message(m) => form_error.set(Some(m)),
                },
            }
        });
    };
    view! {
        <form on:submit=submit novalidate data-test="transfer-form">
            <UnitPicker chosen=chosen kinds="grassroots,section,branch" label=T::TransferTo />
            <Field name="transfer_note" label=Signal::derive(move || i18n.t(T::TransferNote).to_owned()) value=note error=note_error />
            <p class="form-error" role="alert" data-test="transfer-error">{move || form_error.get().unwrap_or_default()}</p>
            <button type="submit" class="primary" data-test="send-transfer" disabled=move || chosen.get().is_none()>
                {move || i18n.t(T::SendRequest)}
            </button>
        </form>
    }
}

/// Transfers with their status and, for the caller, the steps they may take. Names link to the
/// member book only where the caller may read it (`link_members`): a receiving unit sees a member
/// coming in only through the transfer until it accepts them.
#[component]
fn TransferList(transfers: Vec<TransferView>, on_done: Callback<()>, link_members: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="list" data-test="transfer-list">
            {transfers.into_iter().map(|t| {
                let status = t.status;
                let overdue = t.overdue;
                let to = t.placed_unit_name.clone().unwrap_or_else(|| t.to_unit_name.clone());
                let member_href = format!("/doan-vien/{}", t.member_id);
                let actions = t.clone();
                view! {
                    <li class="card transfer" data-test="transfer-item">
                        <p class="item-title" data-test="transfer-member">
                            {if link_members {
                                view! { <A href=member_href attr:data-test="transfer-member-link">{t.member_name.clone()}</A> }.into_any()
                            } else {
                                view! { <span>{t.member_name.clone()}</span> }.into_any()
                            }}
                        </p>
                        <p class="item-meta">
                            {move || i18n.t(T::From)} " " {t.from_unit_name.clone()} " → " {move || i18n.t(T::To)} " " {to.clone()}
                        </p>
                        <p class="item-meta">
                            <span data-test="transfer-status">{move || status.label(i18n.lang.get())}</span>
                            " · " {date(t.requested_at.date_naive())}
                            <Show when=move || overdue><span class="badge warn" data-test="overdue">{move || i18n.t(T::Overdue)}</span></Show>
                        </p>
                        {t.note.clone().map(|n| view! { <p class="item-meta">{n}</p> })}
                        {t.release_comment.clone().map(|c| view! { <p class="item-meta">{move || i18n.t(T::ReleaseComment)} ": " {c.clone()}</p> })}
                        {t.decision_reason.clone().map(|r| view! { <p class="item-meta">{move || i18n.t(T::Reason)} ": " {r.clone()}</p> })}
                        <TransferActions transfer=actions on_done=on_done />
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// The steps the caller may take on one transfer, each with the fields it needs.
#[component]
fn TransferActions(transfer: TransferView, on_done: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let (id, version, to_unit) = (transfer.id, transfer.version, transfer.to_unit_id);
    let chosen = RwSignal::new(None::<TransferAction>);
    let comment = RwSignal::new(String::new());
    let dues = RwSignal::new(chrono::Local::now().date_naive().format("%Y-%m").to_string());
    let reason = RwSignal::new(String::new());
    let branch = RwSignal::new(String::new());
    let errors = [RwSignal::new(None::<String>), RwSignal::new(None), RwSignal::new(None), RwSignal::new(None)];
    let form_error = RwSignal::new(None::<String>);
    // The receiving unit's branches, for an acceptance into a unit that is not itself a branch.
    let branches = LocalResource::new(move || async move {
        let unit = api::get_org_unit(to_unit).await?;
        if unit.unit.kind == OrgKind::Branch {
            return Ok::<_, ApiFailure>(vec![]);
        }
        let children = api::list_org_units(Some(to_unit), 1).await?;
        Ok(children
            .items
            .into_iter()
            .filter(|u| u.kind == OrgKind::Branch && u.dissolved_on.is_none())
            .collect::<Vec<_>>())
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(action) = chosen.get_untracked() else { return };
        let lang = i18n.lang.get_untracked();
        form_error.set(None);
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        let req = TransferTransitionRequest {
            action: action.as_str().to_owned(),
            comment: text(comment),
            dues_paid_to: text(dues),
            branch_id: branch.get_untracked().parse::<i64>().ok().map(OrgUnitId),
            reason: text(reason),
        };
        let show = move |errs: &[shared::FieldError]| {
            for (field, signal) in ["comment", "dues_paid_to", "branch_id", "reason"].into_iter().zip(errors) {
                signal.set(errs.iter().find(|e| e.field == field).map(|e| e.code.message(lang).to_owned()));
            }
        };
        if let Err(errs) = req.validate(chrono::Local::now().date_naive()) {
            show(&errs);
            return;
        }
        spawn_local(async move {
            match api::transition_transfer(id, version, &req).await {
                Ok(_) => on_done.run(()),
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => show(&errs),
                    FormFailure::Stale => {
                        form_error.set(Some(i18n.t(T::StaleReloaded).to_owned()));
                        on_done.run(());
                    }
                    FormFailure::Message(m) => form_error.set(Some(m)),
                },
            }
        });
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    let actions = transfer.allowed_actions.clone();
    view! {
        <div class="actions-row">
            {actions.into_iter().map(|a| view! {
                <button type="button" data-test=format!("transfer-{}", a.as_str())
                    aria-pressed=move || if chosen.get() == Some(a) { "true" } else { "false" }
                    on:click=move |_| chosen.set(Some(a))>
                    {move || a.label(i18n.lang.get())}
                </button>
            }).collect_view()}
        </div>
        <Show when=move || chosen.get().is_some()>
            <form on:submit=submit novalidate data-test="transfer-step-form">
                <Show when=move || chosen.get() == Some(TransferAction::Release)>
                    <Field name="release_comment" label=label(T::ReleaseComment) value=comment error=errors[0] />
                    <Field name="dues_paid_to" label=label(T::DuesPaidTo) value=dues error=errors[1] kind="month" />
                </Show>
                <Show when=move || chosen.get() == Some(TransferAction::Accept)>
                    {move || match branches.get() {
                        Some(Ok(list)) if !list.is_empty() => view! {
                            <div class="field">
                                <label for="place-branch">{move || i18n.t(T::PlaceInBranch)}</label>
                                <select id="place-branch" data-test="place-branch" on:change=move |ev| branch.set(event_target_value(&ev))>
                                    <option value="">{move || i18n.t(T::Choose)}</option>
                                    {list.into_iter().map(|b| view! { <option value=b.id.to_string()>{b.name.clone()}</option> }).collect_view()}
                                </select>
                                <p class="field-error" role="alert">{move || errors[2].get().unwrap_or_default()}</p>
                            </div>
                        }.into_any(),
                        _ => ().into_any(),
                    }}
                </Show>
                <Show when=move || matches!(chosen.get(), Some(TransferAction::Refuse | TransferAction::Cancel))>
                    <Field name="transfer_reason" label=label(T::Reason) value=reason error=errors[3] />
                </Show>
                <p class="form-error" role="alert" data-test="transfer-step-error">{move || form_error.get().unwrap_or_default()}</p>
                <button type="submit" class="primary" data-test="confirm-transfer-step">
                    {move || format!("{}: {}", i18n.t(T::ConfirmAction), chosen.get().map(|a| a.label(i18n.lang.get())).unwrap_or_default())}
                </button>
            </form>
        </Show>
    }
}

/// `/chuyen-sinh-hoat?don-vi=ID`: a unit's transfers under way, incoming and outgoing. Each tab
/// counts the transfers waiting for the caller's step; the page opens on the first tab with any.
#[component]
pub fn TransfersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let unit = move || query.with(|q| q.get("don-vi").and_then(|v| v.parse::<i64>().ok()).map(OrgUnitId));
    let chosen = RwSignal::new(None::<&'static str>);
    let refresh = RwSignal::new(0u32);
    let both = LocalResource::new(move || {
        let unit = unit();
        refresh.get();
        async move {
            let unit = unit.ok_or_else(|| ApiFailure::Network("no unit".into()))?;
            let incoming = api::list_transfers(unit, "incoming", true).await?;
            let outgoing = api::list_transfers(unit, "outgoing", true).await?;
            Ok::<_, ApiFailure>((incoming, outgoing))
        }
    });
    let waiting = |ts: &[TransferView]| ts.iter().filter(|t| !t.allowed_actions.is_empty()).count();
    // The tab shown: the one chosen, else the first with a transfer waiting for the caller.
    let direction = move || {
        chosen.get().unwrap_or_else(|| match both.get() {
            Some(Ok((incoming, outgoing))) if waiting(&incoming) == 0 && waiting(&outgoing) > 0 => "outgoing",
            _ => "incoming",
        })
    };
    let done = Callback::new(move |_: ()| refresh.update(|n| *n += 1));
    let tab = move |name: &'static str, label: T| {
        let count = move || {
            both.get().and_then(Result::ok).map(|(i, o)| waiting(if name == "incoming" { &i } else { &o })).unwrap_or(0)
        };
        view! {
            <button type="button" role="tab" data-test=format!("tab-{name}")
                aria-selected=move || if direction() == name { "true" } else { "false" }
                on:click=move |_| chosen.set(Some(name))>
                {move || i18n.t(label)}
                <Show when=move || { count() > 0 }>
                    " " <span class="badge" data-test=format!("tab-{name}-count")>{count}</span>
                </Show>
            </button>
        }
    };
    view! {
        <main class="page" data-test="transfers-page">
            <h1>{move || i18n.t(T::Transfers)}</h1>
            <div class="tabs" role="tablist">{tab("incoming", T::Incoming)} {tab("outgoing", T::Outgoing)}</div>
            {move || match both.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok((incoming, outgoing))) => {
                    let outgoing_tab = direction() == "outgoing";
                    let ts = if outgoing_tab { outgoing } else { incoming };
                    if ts.is_empty() {
                        view! { <p class="empty">{move || i18n.t(T::NoTransfers)}</p> }.into_any()
                    } else {
                        view! { <TransferList transfers=ts on_done=done link_members=outgoing_tab /> }.into_any()
                    }
                }
            }}
        </main>
    }
}
