//! Members: the list of a unit's subtree with search as you type, and the member book
//! (sổ đoàn viên) with contact details the member or a cadre can correct.

use crate::api::{self, ApiFailure, FormFailure};
use crate::components::confirm::ConfirmBox;
use crate::components::field::Field;
use crate::components::form_errors::{FormErrors, FormSummary};
use crate::components::pager::Pager;
use crate::components::search_box::SearchBox;
use crate::components::status::{ErrorBox, Loading, Notice};
use crate::i18n::{use_i18n, T};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::api::member_transitions::{MemberAction, MemberTransitionRequest};
use shared::api::members::{
    MemberListQuery, MemberProfile, MemberStatus, MemberSummary, MemberView, UpdateMemberRequest,
};
use shared::ids::{MemberId, OrgUnitId};
use shared::values::age_on;
use shared::FieldError;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// Members per page of the list: a phone screen's worth, a few swipes long.
const PER_PAGE: i64 = 20;

/// `/doan-vien?don-vi=ID`: members of a unit's subtree.
#[component]
pub fn MembersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let unit = move || query.with(|q| q.get("don-vi").and_then(|v| v.parse::<i64>().ok()).map(OrgUnitId));
    let search = RwSignal::new(String::new());
    let page = RwSignal::new(1i64);
    let status = RwSignal::new(String::new());
    let gender = RwSignal::new(String::new());
    let incomplete = RwSignal::new(false);
    let turning30 = RwSignal::new(false);
    // The list's query: search text, filters, page.
    let query_now = move || MemberListQuery {
        unit_id: unit(),
        q: Some(search.get()),
        status: Some(status.get()),
        gender: Some(gender.get()),
        incomplete: incomplete.get().then_some(true),
        turning: turning30.get().then_some(30),
        page: Some(page.get()),
        per_page: Some(PER_PAGE),
        ..Default::default()
    };
    let export_error = RwSignal::new(None::<String>);
    let export = move |format: &'static str| {
        move |_| {
            let q = query_now();
            let Some(unit) = q.unit_id else { return };
            spawn_local(async move {
                let saved = match api::export_members(&q, format).await {
                    Ok(bytes) => {
                        api::save_file(&format!("doan-vien-{unit}.{format}"), "application/octet-stream", &bytes)
                    }
                    Err(e) => Err(e),
                };
                export_error.set(saved.err().map(|e| e.message(i18n.lang.get_untracked())));
            });
        }
    };
    let results = LocalResource::new(move || {
        let q = query_now();
        async move {
            if q.unit_id.is_none() {
                return Err(ApiFailure::Network("no unit".into()));
            }
            api::list_members(&q).await
        }
    });
    let on_filter = move |signal: RwSignal<String>| {
        move |ev: leptos::ev::Event| {
            page.set(1);
            signal.set(event_target_value(&ev));
        }
    };
    let on_check = move |signal: RwSignal<bool>| {
        move |ev: leptos::ev::Event| {
            page.set(1);
            signal.set(event_target_checked(&ev));
        }
    };
    view! {
        <main class="page">
            <h1>{move || i18n.t(T::Members)}</h1>
            <SearchBox id="member-search" label=T::SearchMembers settled=search on_settle=Callback::new(move |_| page.set(1)) />
            <div class="filters" data-test="member-filters">
                <select data-test="filter-status" aria-label=move || i18n.t(T::Status) on:change=on_filter(status)>
                    <option value="">{move || i18n.t(T::LiveMembers)}</option>
                    <option value="all">{move || i18n.t(T::AllStatuses)}</option>
                    {MemberStatus::ALL.into_iter().map(|st| view! {
                        <option value=st.as_str()>{move || st.label(i18n.lang.get())}</option>
                    }).collect_view()}
                </select>
                <select data-test="filter-gender" aria-label=move || i18n.t(T::Gender) on:change=on_filter(gender)>
                    <option value="">{move || i18n.t(T::AnySex)}</option>
                    <option value="female">{move || i18n.t(T::Female)}</option>
                    <option value="male">{move || i18n.t(T::Male)}</option>
                </select>
                <label class="check"><input type="checkbox" data-test="filter-incomplete" on:change=on_check(incomplete) />
                    {move || i18n.t(T::Incomplete)}</label>
                <label class="check"><input type="checkbox" data-test="filter-turning30" on:change=on_check(turning30) />
                    {move || i18n.t(T::Turning30)}</label>
            </div>
            <p class="form-error" role="alert">{move || export_error.get().unwrap_or_default()}</p>
            <div class="actions-row">
                <button type="button" data-test="export-csv" on:click=export("csv")>{move || i18n.t(T::ExportCsv)}</button>
                <button type="button" data-test="export-xlsx" on:click=export("xlsx")>{move || i18n.t(T::ExportXlsx)}</button>
                {move || unit().map(|u| view! {
                    <A href=format!("/doan-vien/nhap?don-vi={u}") attr:class="button" attr:data-test="to-import">{move || i18n.t(T::ImportMembers)}</A>
                })}
            </div>
            {move || match results.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(p)) => {
                    let (total, per_page, current) = (p.total, p.per_page, p.page);
                    view! {
                        <p class="item-meta" data-test="member-total">{total} " " {move || i18n.t(T::Found)}</p>
                        <MemberList members=p.items />
                        <Pager current=current per_page=per_page total=total page=page />
                    }
                    .into_any()
                }
            }}
        </main>
    }
}

#[component]
fn MemberList(members: Vec<MemberSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if members.is_empty() {
        return view! { <p class="empty">{move || i18n.t(T::NoMembers)}</p> }.into_any();
    }
    view! {
        <ul class="list" data-test="member-list">
            {members.into_iter().map(|m| {
                let href = format!("/doan-vien/{}", m.id);
                let age = age_on(m.date_of_birth, today());
                let status = m.status;
                let incomplete = m.incomplete;
                view! {
                    <li>
                        <A href=href attr:class="list-item" attr:data-test="member-item">
                            <span class="item-title">{m.full_name.clone()}</span>
                            <span class="item-meta">
                                {m.unit_name.clone()} " · " {age} " " {move || i18n.t(T::YearsOld)}
                                " · " {move || status.label(i18n.lang.get())}
                                <Show when=move || incomplete><span class="badge warn">{move || i18n.t(T::Incomplete)}</span></Show>
                            </span>
                        </A>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// `/doan-vien/:id`: the member book.
#[component]
pub fn MemberPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()).map(MemberId));
    let member = RwSignal::new(None::<Result<MemberView, ApiFailure>>);
    let load = move || {
        let id = id();
        spawn_local(async move {
            let loaded = match id {
                Some(id) => api::get_member(id).await,
                None => Err(ApiFailure::Network("bad id".into())),
            };
            member.set(Some(loaded));
        });
    };
    Effect::new(move |_| load());
    view! {
        <main class="page">
            {move || match member.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(m)) => view! { <MemberBook member=m on_stale=load target=member /> }.into_any(),
            }}
        </main>
    }
}

/// Shows a failed write on the member book: field errors in place, a message above the button,
/// and on a stale version the record reloads.
fn report_failure(
    e: ApiFailure,
    lang: shared::Lang,
    show: impl Fn(&[FieldError]),
    form_error: RwSignal<Option<String>>,
    on_stale: impl Fn(),
) {
    match e.for_form(lang) {
        FormFailure::Fields(errs) => show(&errs),
        FormFailure::Stale => {
            form_error.set(Some(T::StaleReloaded.text(lang).to_owned()));
            on_stale();
        }
        FormFailure::Message(m) => form_error.set(Some(m)),
    }
}

#[component]
fn MemberBook(
    member: MemberView,
    on_stale: impl Fn() + Copy + Send + Sync + 'static,
    target: RwSignal<Option<Result<MemberView, ApiFailure>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let m = member.clone();
    let row = move |label: T, value: Option<String>| {
        view! {
            <div class="kv">
                <dt>{move || i18n.t(label)}</dt>
                <dd>{value.clone().unwrap_or_else(|| i18n.t(T::Unknown).to_owned())}</dd>
            </div>
        }
    };
    let date = |d: chrono::NaiveDate| Some(crate::i18n::date(d));
    let gender = m.gender;
    let status = m.status;
    let party = m.party_status;
    let branch_href = format!("/don-vi/{}", m.unit_id);
    let session = crate::session::use_session();
    let own_id = m.id;
    let is_self = move || session.me.get().and_then(|me| me.member_id) == Some(own_id);
    let merge_member = member.clone();
    let introduced = LocalResource::new(move || api::introductions(own_id));
    let branch_name = m.unit_name.clone();
    view! {
        <header class="unit-header">
            <p class="item-meta">{move || i18n.t(T::MemberBook)}</p>
            <h1 data-test="member-name">{m.full_name.clone()}</h1>
            <p class="item-meta">
                <A href=branch_href>{branch_name}</A>
                " · " <span data-test="member-status">{move || status.label(i18n.lang.get())}</span>
            </p>
        </header>
        <section class="card">
            <h2>{move || i18n.t(T::PersonalInfo)}</h2>
            <dl class="kvs">
                {row(T::DateOfBirth, date(m.date_of_birth))}
                <div class="kv"><dt>{move || i18n.t(T::Gender)}</dt><dd>{move || gender.label(i18n.lang.get())}</dd></div>
                {row(T::NationalId, m.national_id.clone())}
                {row(T::Ethnicity, m.profile.ethnicity.clone())}
                {row(T::Religion, m.profile.religion.clone())}
                {row(T::Hometown, m.profile.hometown.clone())}
                {row(T::PermanentAddress, m.profile.permanent_address.clone())}
                {row(T::Education, m.profile.education.clone())}
                {row(T::Occupation, m.profile.occupation.clone())}
            </dl>
        </section>
        <ContactCard member=member.clone() on_stale=on_stale target=target />
        <LifecycleCard member=member.clone() on_stale=on_stale target=target />
        <crate::pages::transfers::TransferCard member=member.clone() />
        <IntroductionsCard member=m.id />
        <crate::pages::programme_lists::ProgrammeYearsCard member=m.id />
        <crate::pages::meetings::ParticipationCard member=m.id />
        <crate::pages::ratings::RatingYearsCard member=m.id />
        <crate::pages::dues::DuesCard member=member.clone() on_stale=on_stale target=target />
        <Show when=move || !is_self()>
            <crate::pages::duplicates::MergeCard member=merge_member.clone() on_stale=on_stale target=target />
        </Show>
        <section class="card">
            <h2>{move || i18n.t(T::UnionLife)}</h2>
            <dl class="kvs">
                {row(T::JoinedOn, date(m.joined_on))}
                {row(T::CardNumber, m.card_number.clone())}
                {row(T::Branch, Some(m.unit_name.clone()))}
                <div class="kv"><dt>{move || i18n.t(T::Party)}</dt><dd>{move || party.label(i18n.lang.get())}</dd></div>
            </dl>
            {move || introduced.get().and_then(Result::ok).map(|c| view! {
                <p class="item-meta" data-test="one-plus-one">{move || i18n.t(T::OnePlusOne)} ": " {c.introduced} " / " {c.admitted}</p>
            })}
        </section>
    }
}

#[component]
fn ContactCard(
    member: MemberView,
    on_stale: impl Fn() + Copy + Send + Sync + 'static,
    target: RwSignal<Option<Result<MemberView, ApiFailure>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let editing = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let phone = RwSignal::new(member.phone.clone().unwrap_or_default());
    let email = RwSignal::new(member.email.clone().unwrap_or_default());
    let address = RwSignal::new(member.profile.current_address.clone().unwrap_or_default());
    let errors = [RwSignal::new(None::<String>), RwSignal::new(None), RwSignal::new(None)];
    let form_error = RwSignal::new(None::<String>);
    let (id, version) = (member.id, member.version);
    let shown = member.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        form_error.set(None);
        let req = UpdateMemberRequest {
            phone: Some(phone.get_untracked()),
            email: Some(email.get_untracked()),
            profile: MemberProfile { current_address: Some(address.get_untracked()), ..Default::default() },
            ..Default::default()
        };
        let show = move |errs: &[FieldError]| {
            for (field, signal) in ["phone", "email", "current_address"].into_iter().zip(errors) {
                signal.set(errs.iter().find(|e| e.field == field).map(|e| e.code.message(lang).to_owned()));
            }
        };
        spawn_local(async move {
            match api::update_member(id, version, &req).await {
                Ok(updated) => {
                    editing.set(false);
                    target.set(Some(Ok(updated)));
                }
                Err(e) => report_failure(e, lang, show, form_error, on_stale),
            }
        });
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    view! {
        <section class="card" data-test="contact-card">
            <div class="card-title">
                <h2>{move || i18n.t(T::Contact)}</h2>
                <Show when=move || !editing.get()>
                    <button type="button" class="link-button" data-test="edit-contact" on:click=move |_| { notice.set(None); editing.set(true) }>
                        {move || i18n.t(T::Edit)}
                    </button>
                </Show>
            </div>
            <Notice text=notice />
            <p class="form-error" role="alert" data-test="contact-error">{move || form_error.get().unwrap_or_default()}</p>
            <Show
                when=move || editing.get()
                fallback=move || {
                    let s = shown.clone();
                    let unknown = move || i18n.t(T::Unknown).to_owned();
                    view! {
                        <dl class="kvs">
                            <div class="kv"><dt>{move || i18n.t(T::Phone)}</dt><dd data-test="member-phone">{s.phone.clone().unwrap_or_else(unknown)}</dd></div>
                            <div class="kv"><dt>{move || i18n.t(T::Email)}</dt><dd>{s.email.clone().unwrap_or_else(unknown)}</dd></div>
                            <div class="kv"><dt>{move || i18n.t(T::CurrentAddress)}</dt><dd>{s.profile.current_address.clone().unwrap_or_else(unknown)}</dd></div>
                        </dl>
                    }
                }
            >
                <form on:submit=save novalidate data-test="contact-form">
                    <Field name="phone" label=label(T::Phone) value=phone error=errors[0] kind="tel" autocomplete="tel" />
                    <Field name="email" label=label(T::Email) value=email error=errors[1] kind="email" autocomplete="email" />
                    <Field name="current_address" label=label(T::CurrentAddress) value=address error=errors[2] autocomplete="street-address" />
                    <button type="submit" class="primary" data-test="save-contact">{move || i18n.t(T::Save)}</button>
                </form>
            </Show>
        </section>
    }
}

/// Removing, expelling or recording a death ends membership: such steps are red and asked twice.
fn ends_membership(action: MemberAction) -> bool {
    matches!(action, MemberAction::Remove | MemberAction::Expel | MemberAction::RecordDeath)
}

#[component]
fn LifecycleCard(
    member: MemberView,
    on_stale: impl Fn() + Copy + Send + Sync + 'static,
    target: RwSignal<Option<Result<MemberView, ApiFailure>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = crate::session::use_session();
    let (id, version, status) = (member.id, member.version, member.status);
    // Only cadres of the subtree decide; a member reading their own book sees the history.
    let is_self = move || session.me.get().and_then(|me| me.member_id) == Some(id);
    let history = LocalResource::new(move || api::member_transitions(id));
    let chosen = RwSignal::new(None::<MemberAction>);
    let on = RwSignal::new(today().format("%Y-%m-%d").to_string());
    let reason = RwSignal::new(String::new());
    let on_error = RwSignal::new(None::<String>);
    let reason_error = RwSignal::new(None::<String>);
    let form_error = RwSignal::new(None::<String>);
    let asking = RwSignal::new(None::<String>);
    let member_name = StoredValue::new(member.full_name.clone());
    // The request as the form stands, and where its messages go.
    let request = move |action: MemberAction| MemberTransitionRequest {
        action: action.as_str().to_owned(),
        on: on.get_untracked(),
        reason: Some(reason.get_untracked()),
    };
    let show = move |errs: &[FieldError], lang: shared::Lang| {
        on_error.set(errs.iter().find(|e| e.field == "on").map(|e| e.code.message(lang).to_owned()));
        reason_error.set(errs.iter().find(|e| e.field == "reason").map(|e| e.code.message(lang).to_owned()));
    };
    let send = Callback::new(move |_: ()| {
        let Some(action) = chosen.get_untracked() else { return };
        let lang = i18n.lang.get_untracked();
        let req = request(action);
        spawn_local(async move {
            match api::transition_member(id, version, &req).await {
                Ok(updated) => target.set(Some(Ok(updated))),
                Err(e) => report_failure(e, lang, move |errs| show(errs, lang), form_error, on_stale),
            }
        });
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(action) = chosen.get_untracked() else { return };
        let lang = i18n.lang.get_untracked();
        let req = request(action);
        if let Err(errs) = req.validate(today()) {
            show(&errs, lang);
            return;
        }
        show(&[], lang);
        if ends_membership(action) {
            asking.set(Some(format!("{} {}?", action.label(lang), member_name.get_value())));
        } else {
            send.run(());
        }
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    view! {
        <section class="card" data-test="lifecycle-card">
            <h2>{move || i18n.t(T::Lifecycle)}</h2>
            {move || match history.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(steps)) if steps.is_empty() => view! { <p class="empty">{move || i18n.t(T::NoHistory)}</p> }.into_any(),
                Some(Ok(steps)) => view! {
                    <ul class="list" data-test="history">
                        {steps.into_iter().map(|h| {
                            let action = h.action;
                            view! {
                                <li class="list-item">
                                    <span class="item-title">{move || action.label(i18n.lang.get())}</span>
                                    <span class="item-meta">{crate::i18n::date(h.on)} {h.reason.clone().map(|r| format!(" · {r}"))}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            <Show when=move || !is_self()>
                <div class="actions-row">
                    {MemberAction::possible_from(status).into_iter().map(|a| view! {
                        <button type="button" data-test=format!("action-{}", a.as_str())
                            class:danger=ends_membership(a)
                            aria-pressed=move || if chosen.get() == Some(a) { "true" } else { "false" }
                            on:click=move |_| { form_error.set(None); chosen.set(Some(a)) }>
                            {move || a.label(i18n.lang.get())}
                        </button>
                    }).collect_view()}
                </div>
                <Show when=move || chosen.get().is_some()>
                    <form on:submit=submit novalidate data-test="transition-form">
                        <Field name="transition_on" label=label(T::DecisionDate) value=on error=on_error kind="date" />
                        <Field name="transition_reason" label=label(T::Reason) value=reason error=reason_error />
                        <p class="form-error" role="alert" data-test="transition-error">{move || form_error.get().unwrap_or_default()}</p>
                        <button type="submit" class="primary" data-test="confirm-transition">
                            {move || format!("{}: {}", i18n.t(T::ConfirmAction), chosen.get().map(|a| a.label(i18n.lang.get())).unwrap_or_default())}
                        </button>
                        <ConfirmBox asking=asking on_yes=send />
                    </form>
                </Show>
            </Show>
        </section>
    }
}

/// `/doan-vien/moi?don-vi=BRANCH`: a cadre adds a member to a branch.
#[component]
pub fn NewMemberPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = leptos_router::hooks::use_navigate();
    let unit = move || query.with(|q| q.get("don-vi").and_then(|v| v.parse::<i64>().ok()).map(OrgUnitId));
    // The branch the new member goes into, named on the form.
    let branch = LocalResource::new(move || {
        let unit = unit();
        async move { api::get_org_unit(unit.ok_or_else(|| ApiFailure::Network("no unit".into()))?).await }
    });
    let fields: [(&'static str, T, &'static str, Option<&'static str>); 7] = [
        ("full_name", T::FullName, "text", None),
        ("date_of_birth", T::DateOfBirth, "date", None),
        ("national_id", T::NationalId, "text", Some("numeric")),
        ("phone", T::Phone, "tel", Some("tel")),
        ("joined_on", T::JoinedOn, "date", None),
        ("card_number", T::CardNumber, "text", None),
        ("hometown", T::Hometown, "text", None),
    ];
    let labels: Vec<(&'static str, T)> = fields
        .iter()
        .map(|(name, label, _, _)| (*name, *label))
        .chain([("gender", T::Gender), ("unit_id", T::Branch), ("dues_class", T::DuesClassLabel)])
        .collect();
    let errors = FormErrors::new(&labels);
    let values: Vec<RwSignal<String>> = fields.iter().map(|_| RwSignal::new(String::new())).collect();
    // No default: the cadre chooses.
    let gender = RwSignal::new(String::new());
    let gender_error = errors.of("gender");
    let dues_class = RwSignal::new(shared::api::dues::DuesClass::default().as_str().to_owned());
    let values_c = values.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let v = |i: usize| values_c[i].get_untracked();
        let opt = |i: usize| Some(v(i));
        let req = shared::api::members::CreateMemberRequest {
            full_name: v(0),
            date_of_birth: v(1),
            gender: gender.get_untracked(),
            national_id: opt(2),
            phone: opt(3),
            email: None,
            unit_id: unit(),
            joined_on: v(4),
            card_number: opt(5),
            party_status: None,
            party_joined_on: None,
            login: None,
            dues_class: Some(dues_class.get_untracked()),
            profile: MemberProfile { hometown: opt(6), ..Default::default() },
        };
        if let Err(errs) = req.validate(today()) {
            errors.show(&errs, lang);
            return;
        }
        errors.clear();
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::create_member(&req).await {
                Ok(m) => navigate(&format!("/doan-vien/{}", m.id), Default::default()),
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => errors.show(&errs, lang),
                    FormFailure::Stale => errors.message(i18n.t(T::StaleReloaded)),
                    FormFailure::Message(m) => errors.message(m),
                },
            }
        });
    };
    let field = move |i: usize| {
        let (name, label, kind, mode) = fields[i];
        view! {
            <Field name=name label=Signal::derive(move || i18n.t(label).to_owned()) value=values[i] error=errors.of(name)
                kind=kind inputmode=mode.unwrap_or("text") />
        }
    };
    view! {
        <main class="page narrow">
            <h1>{move || i18n.t(T::AddMember)}</h1>
            <p class="notice" data-test="new-member-branch">
                {move || i18n.t(T::IntoBranch)} ": "
                <strong>{move || branch.get().and_then(Result::ok).map(|b| {
                    let parent = b.ancestors.last().map(|a| format!(" · {}", a.name)).unwrap_or_default();
                    format!("{}{parent}", b.unit.name)
                })}</strong>
            </p>
            <form on:submit=submit novalidate data-test="member-form">
                <FormSummary errors=errors test="form-error" />
                {field(0)}
                {field(1)}
                <div class="field" class:invalid=move || gender_error.get().is_some()>
                    <label for="gender">{move || i18n.t(T::Gender)}</label>
                    <select id="gender" data-test="gender" prop:value=move || gender.get()
                        on:change=move |ev| { gender.set(event_target_value(&ev)); gender_error.set(None) }>
                        <option value="">{move || i18n.t(T::Choose)}</option>
                        <option value="female">{move || i18n.t(T::Female)}</option>
                        <option value="male">{move || i18n.t(T::Male)}</option>
                    </select>
                    <p class="field-error" role="alert" data-test="gender-error">{move || gender_error.get().unwrap_or_default()}</p>
                </div>
                {(2..fields.len()).map(field).collect_view()}
                <div class="field">
                    <label for="dues_class">{move || i18n.t(T::DuesClassLabel)}</label>
                    <select id="dues_class" data-test="dues_class" prop:value=move || dues_class.get()
                        on:change=move |ev| dues_class.set(event_target_value(&ev))>
                        {shared::api::dues::DuesClass::ALL.into_iter().map(|c| view! {
                            <option value=c.as_str()>{move || c.label(i18n.lang.get())}</option>
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="primary" data-test="member-submit">{move || i18n.t(T::Create)}</button>
            </form>
        </main>
    }
}

/// "1+1": the youths this member introduced to the Union, and how many were admitted.
#[component]
fn IntroductionsCard(member: shared::ids::MemberId) -> impl IntoView {
    let i18n = use_i18n();
    let count = LocalResource::new(move || api::introductions(member));
    move || {
        count.get().and_then(Result::ok).filter(|c| c.introduced > 0).map(|c| {
            view! {
                <section class="card" data-test="introductions">
                    <h2>{move || i18n.t(T::Introductions)}</h2>
                    <p class="figure">{c.introduced} " · " {c.admitted}</p>
                    <p class="item-meta">{move || i18n.t(T::IntroducedAdmitted)}</p>
                </section>
            }
        })
    }
}
