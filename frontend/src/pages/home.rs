//! The home page: a landing page for visitors, and for the signed-in a page about what their
//! highest role can do here, with every role they hold and a link to its unit.

use crate::components::status::Loading;
use crate::i18n::{use_i18n, T};
use crate::pages::meetings::UpcomingMeetings;
use crate::pages::programme_lists::UnregisteredAlert;
use crate::pages::ratings::RatingPrompt;
use crate::pages::removals::RemovalAlert;
use crate::session::{top_role, use_session};
use leptos::prelude::*;
use leptos_router::components::A;
use shared::api::auth::MeResponse;
use shared::roles::Role;

/// `/`.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    move || {
        if !session.ready.get() {
            return view! { <Loading /> }.into_any();
        }
        match session.me.get() {
            None => view! { <Landing /> }.into_any(),
            Some(me) => view! { <Dashboard me=me /> }.into_any(),
        }
    }
}

#[component]
fn Landing() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="page narrow landing" data-test="home-visitor">
            <h1>{move || i18n.t(T::AppName)}</h1>
            <p class="lead">{move || i18n.t(T::Tagline)}</p>
            <div class="actions">
                <A href="/dang-nhap" attr:class="button primary" attr:data-test="to-login">{move || i18n.t(T::Login)}</A>
                <A href="/dang-ky" attr:class="button" attr:data-test="to-register">{move || i18n.t(T::Register)}</A>
            </div>
        </main>
    }
}

#[component]
fn Dashboard(me: MeResponse) -> impl IntoView {
    let i18n = use_i18n();
    let role = top_role(&me);
    let (test, title, text) = match role {
        None | Some(Role::Applicant) => ("home-applicant", T::ApplicantTitle, T::ApplicantText),
        Some(Role::Member) => ("home-member", T::MemberTitle, T::MemberText),
        Some(Role::Cadre) => ("home-cadre", T::CadreTitle, T::CadreText),
        Some(Role::Leader) => ("home-leader", T::LeaderTitle, T::LeaderText),
        Some(Role::Admin) => ("home-admin", T::AdminTitle, T::AdminText),
    };
    let name = me.user.full_name.clone();
    let member_book = me.member_id.map(|id| format!("/doan-vien/{id}"));
    let has_member_book = me.member_id.is_some();
    let roles = me.roles.clone();
    let has_roles = !roles.is_empty();
    let is_applicant = matches!(role, None | Some(Role::Applicant));
    let is_cadre = role.is_some_and(|r| r.covers(Role::Cadre));
    // A leader's change log opens at the unit of their highest role.
    let audit_unit =
        me.roles.iter().filter(|r| r.role.covers(Role::Leader)).max_by_key(|r| r.role).map(|r| r.org_unit_id);
    let cadre_unit = crate::session::cadre_unit(&me);
    view! {
        <main class="page" data-test=test>
            <p class="greeting">{move || i18n.t(T::Hello)} ", " <strong data-test="user-name">{name.clone()}</strong></p>
            <section class="card hero">
                <h1>{move || i18n.t(title)}</h1>
                <p>{move || i18n.t(text)}</p>
                {member_book.map(|href| view! {
                    <A href=href attr:class="button primary" attr:data-test="my-member-book">{move || i18n.t(T::OpenMemberBook)}</A>
                })}
            </section>
            <Show when=move || is_applicant>
                <ApplicationStatus />
            </Show>
            <Show when=move || is_cadre>
                <AdmissionAlert />
            </Show>
            {cadre_unit.map(|unit| view! { <UnregisteredAlert unit=unit /> <RemovalAlert unit=unit /> })}
            <Show when=move || has_member_book>
                <RatingPrompt />
                <UpcomingMeetings />
                <TrainingPrompt />
            </Show>
            <TransferAlert me=me.clone() />
            <Show when=move || has_roles>
                <section>
                    <h2>{move || i18n.t(T::YourRoles)}</h2>
                    <ul class="list" data-test="my-roles">
                        {roles.clone().into_iter().map(|r| {
                            let href = format!("/don-vi/{}", r.org_unit_id);
                            view! {
                                <li>
                                    <A href=href attr:class="list-item">
                                        <span class="item-title">{r.org_unit_name.clone()}</span>
                                        <span class="item-meta">
                                            {move || r.role.label(i18n.lang.get())}
                                            {r.title.clone().map(|t| format!(" · {t}"))}
                                        </span>
                                    </A>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </section>
            </Show>
            <p class="actions-row">
                <A href="/don-vi" attr:class="button" attr:data-test="browse-units">{move || i18n.t(T::BrowseUnits)}</A>
                <A href="/lop" attr:class="button" attr:data-test="open-classes">{move || i18n.t(T::Classes)}</A>
                <Show when=move || is_cadre>
                    <A href="/ket-nap/thong-ke" attr:class="button" attr:data-test="admission-stats">{move || i18n.t(T::AdmissionStatsTitle)}</A>
                    <A href="/ren-luyen/chuong-trinh" attr:class="button" attr:data-test="programmes">{move || i18n.t(T::Programmes)}</A>
                    <A href="/sinh-hoat" attr:class="button" attr:data-test="meetings">{move || i18n.t(T::Meetings)}</A>
                    <A href="/doan-phi" attr:class="button" attr:data-test="dues">{move || i18n.t(T::Dues)}</A>
                    <A href="/xep-loai" attr:class="button" attr:data-test="ratings">{move || i18n.t(T::Ratings)}</A>
                </Show>
                {audit_unit.map(|u| view! {
                    <A href=format!("/xep-loai/thong-ke?don-vi={u}") attr:class="button" attr:data-test="home-rating-stats">{move || i18n.t(T::RatingStatsTitle)}</A>
                    <A href=format!("/nhat-ky?don-vi={u}") attr:class="button" attr:data-test="audit-trail">{move || i18n.t(T::AuditTrail)}</A>
                })}
            </p>
        </main>
    }
}

/// For cadres: transfers waiting for their decision (incoming or to release), with the overdue ones.
#[component]
fn TransferAlert(me: MeResponse) -> impl IntoView {
    let i18n = use_i18n();
    let units: Vec<(shared::ids::OrgUnitId, String)> = me
        .roles
        .iter()
        .filter(|r| r.role.covers(Role::Cadre))
        .map(|r| (r.org_unit_id, r.org_unit_name.clone()))
        .collect();
    let waiting = LocalResource::new(move || {
        let units = units.clone();
        async move {
            let mut found = Vec::new();
            for (unit, name) in units {
                if let Ok(ts) = crate::api::list_transfers(unit, "all", true).await {
                    let mine: Vec<_> = ts.iter().filter(|t| !t.allowed_actions.is_empty()).collect();
                    if !mine.is_empty() {
                        found.push((unit, name, mine.len(), mine.iter().filter(|t| t.overdue).count()));
                    }
                }
            }
            found
        }
    });
    move || {
        waiting.get().map(|found| {
            found
                .into_iter()
                .map(|(unit, name, n, overdue)| {
                    view! {
                        <section class="card alert" data-test="transfer-alert">
                            <A href=format!("/chuyen-sinh-hoat?don-vi={unit}")>
                                <strong>{n} " " {move || i18n.t(T::TransfersWaiting)}</strong>
                                " · " {name.clone()}
                            </A>
                            <Show when=move || { overdue > 0 }>
                                <span class="badge warn">{overdue} " " {move || i18n.t(T::Overdue)}</span>
                            </Show>
                        </section>
                    }
                })
                .collect_view()
        })
    }
}

/// For cadres: how many admission cases wait for them, linking to the inbox.
#[component]
fn AdmissionAlert() -> impl IntoView {
    let i18n = use_i18n();
    let waiting = LocalResource::new(crate::api::admissions_waiting);
    move || {
        waiting.get().and_then(Result::ok).filter(|w| w.count > 0).map(|w| {
            let n = w.count;
            view! {
                <section class="card alert" data-test="admission-alert">
                    <A href="/ket-nap/hop-thu"><strong>{n} " " {move || i18n.t(T::AdmissionsWaiting)}</strong></A>
                </section>
            }
        })
    }
}

/// For a youth who is not a member yet: where their application stands, or the way to apply.
#[component]
fn ApplicationStatus() -> impl IntoView {
    let i18n = use_i18n();
    let mine = LocalResource::new(crate::api::my_admissions);
    move || {
        let open = mine.get().and_then(Result::ok).and_then(|list| list.into_iter().find(|a| !a.state.is_final()));
        match open {
            Some(a) => {
                let state = a.state;
                view! {
                    <section class="card" data-test="my-application">
                        <p class="item-meta">{move || i18n.t(T::YourApplication)}</p>
                        <p class="item-title" data-test="my-application-state">{move || state.label(i18n.lang.get())}</p>
                        <A href="/ket-nap" attr:class="button primary" attr:data-test="to-apply">{move || i18n.t(T::OpenApplication)}</A>
                    </section>
                }
                .into_any()
            }
            None => view! {
                <A href="/ket-nap" attr:class="button primary" attr:data-test="to-apply">{move || i18n.t(T::Admission)}</A>
            }
            .into_any(),
        }
    }
}

/// For a member: their branch's training programme — the prompt to register while it is open
/// and they have not, else the way to their progress.
#[component]
fn TrainingPrompt() -> impl IntoView {
    let i18n = use_i18n();
    let programme = LocalResource::new(crate::api::current_programme);
    move || {
        programme.get().and_then(Result::ok).map(|p| {
            let prompt = p.my_registration_id.is_none() && p.registration_open;
            let (class, text) = if prompt { ("card alert", T::TrainingPrompt) } else { ("card", T::Training) };
            view! {
                <section class=class data-test="training-prompt">
                    <A href="/ren-luyen" attr:data-test="to-training"><strong>{move || i18n.t(text)}</strong></A>
                    <p class="item-meta">{p.title.clone()}</p>
                </section>
            }
        })
    }
}
