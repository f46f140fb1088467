//! `/doan-phi?don-vi=`: a branch's dues (đoàn phí) — pick a month, see who paid it, tick the
//! members who paid now and record the month's collection in one step, and the year's totals
//! per month (collected, due, kept by the branch, sent up). A unit above a branch shows its
//! figures and lists its units to open. `DuesCard` is the member book's dues section.

use crate::api::{self, ApiFailure, FormFailure};
use crate::components::batch::summary;
use crate::components::field::Field;
use crate::components::form_errors::{FormErrors, FormSummary};
use crate::components::status::{ErrorBox, Loading, Notice};
use crate::i18n::{use_i18n, T};
use crate::session::use_session;
use chrono::Datelike;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::api::dues::{add_months, month_of, DuesClass, DuesCollectionForm, DuesRollLine, DuesUnitYear};
use shared::api::members::{MemberView, UpdateMemberRequest};
use shared::ids::{MemberId, OrgUnitId};
use shared::org::OrgKind;
use std::collections::BTreeSet;

/// The address of a unit's dues page.
pub fn dues_href(unit: OrgUnitId) -> String {
    format!("/doan-phi?don-vi={unit}")
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// An amount in VND as Vietnamese write it: `12.000 đ`.
pub fn money(amount: i64, lang: shared::Lang) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(if lang == shared::Lang::Vi { '.' } else { ',' });
        }
        grouped.push(c);
    }
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}{grouped} {}", T::DuesCurrency.text(lang))
}

/// `/doan-phi`.
#[component]
pub fn DuesPage() -> impl IntoView {
    let unit = crate::session::page_unit();
    move || match unit.get() {
        None => view! { <Loading /> }.into_any(),
        Some(u) => view! { <UnitDues unit=u /> }.into_any(),
    }
}

#[component]
fn UnitDues(unit: OrgUnitId) -> impl IntoView {
    let i18n = use_i18n();
    let detail = LocalResource::new(move || api::get_org_unit(unit));
    let children = LocalResource::new(move || api::list_org_units(Some(unit), 1));
    let now = month_of(today());
    let month = RwSignal::new(now.clone());
    let refresh = RwSignal::new(0u32);
    let saved = RwSignal::new(None::<String>);
    let reload = Callback::new(move |text: String| {
        saved.set(Some(text));
        refresh.update(|n| *n += 1)
    });
    // This year's months to now and last year's, the latest first.
    let choices: Vec<String> = (0..12 + today().month() as i32).map(|i| add_months(&now, -i)).collect();
    view! {
        <main class="page" data-test="dues-page">
            <h1>{move || i18n.t(T::Dues)}</h1>
            <p class="item-meta" data-test="dues-unit">{move || detail.get().and_then(Result::ok).map(|d| d.unit.name)}</p>
            <Notice text=saved />
            {move || children.get().and_then(Result::ok).filter(|p| !p.items.is_empty()).map(|page| view! {
                <details class="card" data-test="dues-units" open=true>
                    <summary class="tap">{move || i18n.t(T::DuesBranches)}</summary>
                    <ul class="list">
                        {page.items.into_iter().map(|u| view! {
                            <li><A href=dues_href(u.id) attr:class="list-item">
                                <span class="item-title">{u.name.clone()}</span>
                                <span class="item-meta">{move || u.kind.label(i18n.lang.get())}</span>
                            </A></li>
                        }).collect_view()}
                    </ul>
                </details>
            })}
            <div class="field">
                <label for="dues-month">{move || i18n.t(T::DuesMonth)}</label>
                <select id="dues-month" data-test="dues-month" prop:value=move || month.get()
                    on:change=move |ev| { month.set(event_target_value(&ev)); saved.set(None) }>
                    {choices.into_iter().map(|m| view! { <option value=m.clone()>{m.clone()}</option> }).collect_view()}
                </select>
            </div>
            // A branch collects; a unit above it reads its figures and opens its units.
            {move || {
                let m = month.get();
                refresh.get();
                let branch = detail.get().and_then(Result::ok).is_some_and(|d| d.unit.kind == OrgKind::Branch);
                branch.then(|| view! { <Collection unit=unit month=m reload=reload /> })
            }}
            {move || {
                refresh.get();
                let year = month.get().get(..4).and_then(|y| y.parse::<i32>().ok()).unwrap_or(today().year());
                view! { <YearTotals unit=unit year=year /> }
            }}
        </main>
    }
}

/// The unit's members for the month: those who paid, and a tick for each who has not; the
/// ticked ones pay the month at their rate in one step.
#[component]
fn Collection(unit: OrgUnitId, month: String, reload: Callback<String>) -> impl IntoView {
    let key = month.clone();
    let roll = LocalResource::new(move || {
        let key = key.clone();
        async move { api::dues_roll(unit, &key, 1).await }
    });
    view! {
        {move || match roll.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
            Some(Ok(page)) => view! { <CollectionForm unit=unit month=month.clone() lines=page.items reload=reload /> }.into_any(),
        }}
    }
}

#[component]
fn CollectionForm(unit: OrgUnitId, month: String, lines: Vec<DuesRollLine>, reload: Callback<String>) -> impl IntoView {
    let i18n = use_i18n();
    let picked = RwSignal::new(BTreeSet::<i64>::new());
    let paid_on = RwSignal::new(today().to_string());
    let errors = FormErrors::new(&[("paid_on", T::DuesPaidOn), ("member_ids", T::Members), ("month", T::DuesMonth)]);
    let names: Vec<(i64, String)> = lines.iter().map(|l| (l.member_id.0, l.full_name.clone())).collect();
    let (paid, unpaid): (Vec<DuesRollLine>, Vec<DuesRollLine>) = lines.into_iter().partition(|l| l.paid);
    let all_paid = unpaid.is_empty();
    let key = month.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let form = DuesCollectionForm {
            unit_id: Some(unit),
            month: key.clone(),
            member_ids: picked.get_untracked().into_iter().map(MemberId).collect(),
            paid_on: paid_on.get_untracked(),
        };
        if form.member_ids.is_empty() {
            errors.message(T::DuesPickSome.text(lang));
            return;
        }
        if let Err(errs) = form.validate(today()) {
            errors.show(&errs, lang);
            return;
        }
        errors.clear();
        let names = names.clone();
        spawn_local(async move {
            match api::collect_dues(&form).await {
                Ok(results) => {
                    let name_of =
                        |id: i64| names.iter().find(|(m, _)| *m == id).map(|(_, n)| n.clone()).unwrap_or_default();
                    reload.run(summary(&results, name_of, T::DuesCollected.text(lang)));
                }
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => errors.show(&errs, lang),
                    FormFailure::Stale => errors.message(T::StaleReloaded.text(lang)),
                    FormFailure::Message(m) => errors.message(m),
                },
            }
        });
    };
    view! {
        <section class="card" data-test="dues-collection">
            <h2>{move || i18n.t(T::DuesRecordCollection)} " " {month.clone()}</h2>
            <p class="item-meta" data-test="dues-paid-count">
                {move || i18n.t(T::DuesPaid)} ": " {paid.len()} " · " {move || i18n.t(T::DuesUnpaid)} ": " {unpaid.len()}
            </p>
            <ul class="list" data-test="dues-paid">
                {paid.into_iter().map(|l| view! {
                    <li class="roster-row" data-test="dues-paid-member">
                        <span class="item-title"><A href=format!("/doan-vien/{}", l.member_id)>{l.full_name.clone()}</A></span>
                        <span class="badge">{move || i18n.t(T::DuesPaid)}</span>
                    </li>
                }).collect_view()}
            </ul>
            <Show when=move || all_paid>
                <p class="notice" data-test="dues-all-paid">{move || i18n.t(T::DuesNoneToCollect)}</p>
            </Show>
            <Show when=move || !all_paid>
                <form on:submit=submit.clone() novalidate data-test="dues-form">
                    <FormSummary errors=errors test="dues-error" />
                    {unpaid.clone().into_iter().map(|l| {
                        let id = l.member_id.0;
                        let class = l.dues_class;
                        let amount = l.amount;
                        view! {
                            <label class="check" data-test="dues-unpaid-member">
                                <input type="checkbox" data-test=format!("dues-pick-{id}") prop:checked=move || picked.get().contains(&id)
                                    on:change=move |ev| picked.update(|p| { if event_target_checked(&ev) { p.insert(id); } else { p.remove(&id); } }) />
                                {l.full_name.clone()} " · "
                                <span class="item-meta">{move || class.label(i18n.lang.get())} " · " {move || money(amount, i18n.lang.get())}</span>
                            </label>
                        }
                    }).collect_view()}
                    <Field name="paid_on" label=Signal::derive(move || i18n.t(T::DuesPaidOn).to_owned()) value=paid_on
                        error=errors.of("paid_on") kind="date" />
                    <button type="submit" class="primary" data-test="dues-submit">{move || i18n.t(T::DuesRecordCollection)}</button>
                </form>
            </Show>
        </section>
    }
}

/// The year's collection per month: members paid of those due, collected of due, the split.
#[component]
fn YearTotals(unit: OrgUnitId, year: i32) -> impl IntoView {
    let i18n = use_i18n();
    let figures = LocalResource::new(move || api::dues_months(unit, year));
    view! {
        <section class="card" data-test="dues-totals">
            <h2>{move || i18n.t(T::DuesYearTotals)} " " {year}</h2>
            {move || match figures.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(y)) => view! { <Totals figures=y /> }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Totals(figures: DuesUnitYear) -> impl IntoView {
    let i18n = use_i18n();
    let exact = figures.due_exact;
    view! {
        <Show when=move || !exact>
            <p class="item-meta">{move || i18n.t(T::DuesEstimate)}</p>
        </Show>
        <ul class="list" data-test="dues-months">
            {figures.months.into_iter().rev().map(|m| view! {
                <li class="roster-row" data-test="dues-month-line">
                    <span class="item-title">{m.month.clone()}</span>
                    <span class="item-meta" data-test="dues-month-members">
                        {move || i18n.t(T::DuesMembersPaid)} ": " {m.members_paid} "/" {m.members_due}
                    </span>
                    <span class="item-meta" data-test="dues-month-amounts">
                        {move || money(m.collected, i18n.lang.get())} " / " {move || money(m.due, i18n.lang.get())}
                        " · " {move || i18n.t(T::DuesKept)} " " {move || money(m.kept, i18n.lang.get())}
                        " · " {move || i18n.t(T::DuesSentUp)} " " {move || money(m.sent_up, i18n.lang.get())}
                    </span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The member book's dues section: this year's months paid and not, and what is owed; a cadre
/// (not the member themself) changes which rate applies to the member.
#[component]
pub fn DuesCard(
    member: MemberView,
    on_stale: impl Fn() + Copy + Send + Sync + 'static,
    target: RwSignal<Option<Result<MemberView, ApiFailure>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let year = today().year();
    let (id, version) = (member.id, member.version);
    let is_self = move || session.me.get().and_then(|me| me.member_id) == Some(id);
    let found = LocalResource::new(move || api::dues_summary(id, year));
    let class = RwSignal::new(member.dues_class.as_str().to_owned());
    let form_error = RwSignal::new(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let req = UpdateMemberRequest { dues_class: Some(class.get_untracked()), ..Default::default() };
        spawn_local(async move {
            match api::update_member(id, version, &req).await {
                Ok(updated) => target.set(Some(Ok(updated))),
                Err(e) => match e.for_form(lang) {
                    FormFailure::Stale => {
                        form_error.set(Some(T::StaleReloaded.text(lang).to_owned()));
                        on_stale();
                    }
                    FormFailure::Fields(errs) => form_error.set(errs.first().map(|e| e.message.clone())),
                    FormFailure::Message(m) => form_error.set(Some(m)),
                },
            }
        });
    };
    let class_form = move || {
        view! {
            <form class="roster-row" on:submit=save novalidate data-test="dues-class-form">
                <div class="field">
                    <label for="member_dues_class">{move || i18n.t(T::DuesClassLabel)}</label>
                    <select id="member_dues_class" data-test="member-dues-class" prop:value=move || class.get()
                        on:change=move |ev| class.set(event_target_value(&ev))>
                        {DuesClass::ALL.into_iter().map(|c| view! {
                            <option value=c.as_str()>{move || c.label(i18n.lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" data-test="save-dues-class">{move || i18n.t(T::Save)}</button>
                <p class="form-error" role="alert">{move || form_error.get().unwrap_or_default()}</p>
            </form>
        }
    };
    view! {
        {move || found.get().and_then(Result::ok).map(|s| {
            let (paid, owed) = (s.paid, s.owed);
            let class = s.dues_class;
            view! {
                <section class="card" data-test="dues-card">
                    <h2>{move || i18n.t(T::Dues)} " " {year}</h2>
                    <Show when=move || is_self() fallback=class_form>
                        <p class="item-meta">{move || i18n.t(T::DuesClassLabel)} ": " {move || class.label(i18n.lang.get())}</p>
                    </Show>
                    <p class="figure">
                        {move || i18n.t(T::DuesPaidTotal)} ": " <strong data-test="dues-paid-total">{move || money(paid, i18n.lang.get())}</strong>
                    </p>
                    {match owed {
                        0 => view! { <p class="notice" data-test="dues-owed">{move || i18n.t(T::DuesNothingOwed)}</p> }.into_any(),
                        n => view! {
                            <p class="figure" data-test="dues-owed">{move || i18n.t(T::DuesOwed)} ": " <strong>{move || money(n, i18n.lang.get())}</strong></p>
                        }.into_any(),
                    }}
                    <ul class="dues-months" data-test="dues-member-months">
                        {s.months.into_iter().filter(|m| m.due || m.paid).map(|m| {
                            let paid = m.paid;
                            view! {
                                <li class="badge" class:done=paid data-test=if paid { "dues-month-paid" } else { "dues-month-unpaid" }>
                                    {m.month.get(5..).unwrap_or_default().to_owned()} " · "
                                    {move || if paid { i18n.t(T::DuesPaid) } else { i18n.t(T::DuesUnpaid) }}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            }
        })}
    }
}
