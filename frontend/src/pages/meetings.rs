//! Branch life on a phone: a unit's meetings and the plan of the year's (`/sinh-hoat`), one
//! meeting with its attendance sheet, minutes and check-in code (`/sinh-hoat/:id`), what a
//! check-in code opens, and the leaders' page of units that did not meet (`/sinh-hoat/thong-ke`).

use crate::api::{self, FormFailure};
use crate::components::checkin_qr::CheckinQr;
use crate::components::confirm::ConfirmBox;
use crate::components::field::Field;
use crate::components::form_errors::{FormErrors, FormSummary};
use crate::components::pager::Pager;
use crate::components::status::{ErrorBox, Loading, Notice};
use crate::i18n::{date, use_i18n, T};
use crate::session::{page_unit, use_session};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::api::meetings::{
    AttendanceEntry, AttendanceForm, AttendanceSheet, AttendanceStatus, MeetingForm, MeetingKind, MeetingPatch,
    MeetingStatus, MeetingView,
};
use shared::ids::OrgUnitId;
use std::collections::HashMap;

fn when(m: &MeetingView) -> String {
    format!("{} {}", m.starts_at.format("%H:%M"), date(m.starts_at.date()))
}

/// One meeting in a list.
#[component]
pub fn MeetingItem(meeting: MeetingView) -> impl IntoView {
    let i18n = use_i18n();
    let (kind, status) = (meeting.kind, meeting.status);
    let held = status == MeetingStatus::Held;
    view! {
        <li>
            <A href=format!("/sinh-hoat/{}", meeting.id) attr:class="list-item" attr:data-test="meeting-item">
                <span class="item-title">{meeting.title.clone()}</span>
                <span class="item-meta">
                    {when(&meeting)} " · " {move || kind.label(i18n.lang.get())} " · " {meeting.unit_name.clone()}
                </span>
                <span class="item-meta">
                    <span class="badge" data-test="meeting-status">{move || status.label(i18n.lang.get())}</span>
                    <Show when=move || held>
                        " " {meeting.present} " " {move || AttendanceStatus::Present.label(i18n.lang.get())}
                        " · " {meeting.excused} " " {move || AttendanceStatus::Excused.label(i18n.lang.get())}
                        " · " {meeting.absent} " " {move || AttendanceStatus::Absent.label(i18n.lang.get())}
                    </Show>
                </span>
            </A>
        </li>
    }
}

/// `/sinh-hoat?don-vi=`: the meetings of a unit's subtree from three months ago on, and the
/// form that plans the coming ones.
#[component]
pub fn MeetingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let unit = page_unit();
    let page = RwSignal::new(1i64);
    let reload = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<String>);
    let from = chrono::Local::now().date_naive() - chrono::Duration::days(92);
    let meetings = LocalResource::new(move || {
        let (unit, page) = (unit.get(), page.get());
        reload.track();
        async move {
            match unit {
                Some(u) => api::list_meetings(u, from, page).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let planned = Callback::new(move |n: usize| {
        notice.set(Some(format!("{n} {}", T::MeetingsPlanned.text(i18n.lang.get_untracked()))));
        reload.update(|r| *r += 1);
    });
    view! {
        <main class="page" data-test="meetings-page">
            <h1>{move || i18n.t(T::Meetings)}</h1>
            <Notice text=notice />
            {move || unit.get().map(|u| view! {
                <p class="actions-row">
                    <A href=format!("/sinh-hoat/thong-ke?don-vi={u}") attr:class="button" attr:data-test="meeting-stats">{move || i18n.t(T::MeetingStatsTitle)}</A>
                    <A href=format!("/xoa-ten?don-vi={u}") attr:class="button" attr:data-test="removals">{move || i18n.t(T::Removals)}</A>
                </p>
                <PlanForm unit=u done=planned />
            })}
            {move || match meetings.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(None)) => view! { <p class="empty">{move || i18n.t(T::NoMeetings)}</p> }.into_any(),
                Some(Ok(Some(p))) if p.items.is_empty() => view! { <p class="empty">{move || i18n.t(T::NoMeetings)}</p> }.into_any(),
                Some(Ok(Some(p))) => view! {
                    <ul class="list" data-test="meetings">
                        {p.items.into_iter().map(|m| view! { <MeetingItem meeting=m /> }).collect_view()}
                    </ul>
                    <Pager current=p.page per_page=p.per_page total=p.total page=page />
                }.into_any(),
            }}
        </main>
    }
}

/// Plans a meeting of the unit or of a unit directly under it (a grassroots unit's secretary
/// plans its branches'), or one a month for several months.
#[component]
fn PlanForm(unit: OrgUnitId, done: Callback<usize>) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let chosen = RwSignal::new(unit.0.to_string());
    let units = LocalResource::new(move || async move {
        let here = api::get_org_unit(unit).await.map(|d| (d.unit.id, d.unit.name)).ok();
        let below = api::list_org_units(Some(unit), 1).await.map(|p| p.items).unwrap_or_default();
        here.into_iter()
            .chain(below.into_iter().filter(|u| u.dissolved_on.is_none()).map(|u| (u.id, u.name)))
            .collect::<Vec<_>>()
    });
    let kind = RwSignal::new(MeetingKind::BranchMeeting.as_str().to_owned());
    let next_month = chrono::Local::now().date_naive() + chrono::Duration::days(7);
    let starts_at = RwSignal::new(format!("{}T19:30", next_month));
    let title = RwSignal::new("Sinh hoạt chi đoàn định kỳ".to_owned());
    let place = RwSignal::new(String::new());
    let online_url = RwSignal::new(String::new());
    let repeat = RwSignal::new("12".to_owned());
    let errors = FormErrors::new(&[
        ("kind", T::MeetingKindLabel),
        ("starts_at", T::StartsAt),
        ("title", T::MeetingTitle),
        ("place", T::Place),
        ("online_url", T::OnlineUrl),
        ("repeat_months", T::RepeatMonths),
        ("unit_id", T::Unit),
    ]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let text = |s: RwSignal<String>| Some(s.get_untracked()).filter(|v| !v.trim().is_empty());
        let form = MeetingForm {
            unit_id: chosen.get_untracked().parse().ok().map(OrgUnitId),
            kind: kind.get_untracked(),
            starts_at: starts_at.get_untracked(),
            title: title.get_untracked(),
            place: text(place),
            online_url: text(online_url),
            agenda: None,
            repeat_months: repeat.get_untracked().trim().parse().ok(),
        };
        if let Err(errs) = form.validate() {
            errors.show(&errs, lang);
            return;
        }
        errors.clear();
        spawn_local(async move {
            match api::plan_meetings(&form).await {
                Ok(p) => {
                    open.set(false);
                    done.run(p.items.len());
                }
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => errors.show(&errs, lang),
                    FormFailure::Stale => {}
                    FormFailure::Message(m) => errors.message(m),
                },
            }
        });
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    view! {
        <Show when=move || !open.get()>
            <button type="button" class="primary" data-test="open-plan" on:click=move |_| open.set(true)>{move || i18n.t(T::PlanMeetings)}</button>
        </Show>
        <Show when=move || open.get()>
            <form class="card" on:submit=submit novalidate data-test="plan-form">
                <FormSummary errors=errors test="plan-error" />
                <div class="field">
                    <label for="meeting-unit">{move || i18n.t(T::Unit)}</label>
                    <select id="meeting-unit" data-test="meeting-unit" on:change=move |ev| chosen.set(event_target_value(&ev))>
                        {move || units.get().unwrap_or_default().into_iter().map(|(id, name)| {
                            let v = id.to_string();
                            let current = v.clone();
                            view! { <option value=v selected=move || chosen.get() == current>{name}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{move || errors.of("unit_id").get().unwrap_or_default()}</p>
                </div>
                <div class="field">
                    <label for="meeting-kind">{move || i18n.t(T::MeetingKindLabel)}</label>
                    <select id="meeting-kind" data-test="meeting-kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        {MeetingKind::ALL.iter().map(|k| {
                            let k = *k;
                            view! { <option value=k.as_str()>{move || k.label(i18n.lang.get())}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-error" role="alert">{move || errors.of("kind").get().unwrap_or_default()}</p>
                </div>
                <Field name="starts_at" label=label(T::StartsAt) value=starts_at error=errors.of("starts_at") kind="datetime-local" />
                <Field name="meeting_title" label=label(T::MeetingTitle) value=title error=errors.of("title") />
                <Field name="place" label=label(T::Place) value=place error=errors.of("place") />
                <Field name="online_url" label=label(T::OnlineUrl) value=online_url error=errors.of("online_url") kind="url" />
                <Field name="repeat_months" label=label(T::RepeatMonths) value=repeat error=errors.of("repeat_months") kind="number" inputmode="numeric" />
                <div class="actions-row">
                    <button type="submit" class="primary" data-test="plan-submit">{move || i18n.t(T::PlanMeetings)}</button>
                    <button type="button" on:click=move |_| open.set(false)>{move || i18n.t(T::No)}</button>
                </div>
            </form>
        </Show>
    }
}

/// `/sinh-hoat/:id`: the meeting; for its cadres the sheet, the minutes and the check-in code.
#[component]
pub fn MeetingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())).unwrap_or_default());
    let reload = RwSignal::new(0u32);
    let sheet = LocalResource::new(move || {
        let id = id.get();
        reload.track();
        async move { api::meeting_sheet(id).await }
    });
    let changed = Callback::new(move |_: ()| reload.update(|r| *r += 1));
    // Outside the reloaded part, so what a save said stays on screen.
    let notice = RwSignal::new(None::<String>);
    view! {
        <main class="page" data-test="meeting-page">
            <Notice text=notice />
            {move || match sheet.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(s)) => {
                    let m = s.meeting.clone();
                    let kind = m.kind;
                    let status = m.status;
                    view! {
                        <h1 data-test="meeting-title">{m.title.clone()}</h1>
                        <p class="item-meta">{when(&m)} " · " {move || kind.label(i18n.lang.get())} " · " {m.unit_name.clone()}</p>
                        <p class="item-meta">{m.place.clone()} {m.online_url.clone()}</p>
                        <p><span class="badge" data-test="meeting-status">{move || status.label(i18n.lang.get())}</span></p>
                        <Sheet sheet=s.clone() changed=changed notice=notice />
                        <Show when=move || status != MeetingStatus::Cancelled>
                            <section class="card">
                                <CheckinQr fetch=move || api::meeting_checkin_link(id.get_untracked()) />
                            </section>
                        </Show>
                        <MinutesForm meeting=m.clone() changed=changed notice=notice />
                    }.into_any()
                }
            }}
        </main>
    }
}

/// The sheet: a status and, when excused, a reason per member; the caller's own line is theirs
/// to check in.
#[component]
fn Sheet(sheet: AttendanceSheet, changed: Callback<()>, notice: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // Read as it comes: a page opened from a link renders before the session is restored.
    let own = Memo::new(move |_| session.me.with(|me| me.as_ref().and_then(|m| m.member_id)));
    let m = sheet.meeting.clone();
    let (id, version) = (m.id, m.version);
    let cancelled = m.status == MeetingStatus::Cancelled;
    let statuses: HashMap<i64, (RwSignal<String>, RwSignal<String>)> = sheet
        .lines
        .iter()
        .map(|l| {
            let s = l.status.map(|s| s.as_str().to_owned()).unwrap_or_default();
            (l.member_id.0, (RwSignal::new(s), RwSignal::new(l.reason.clone().unwrap_or_default())))
        })
        .collect();
    let statuses = StoredValue::new(statuses);
    let errors = FormErrors::new(&[("entries", T::OpenSheet), ("starts_at", T::StartsAt)]);
    let all_present = move |_| {
        statuses.with_value(|s| {
            for (member, (status, _)) in s {
                if Some(shared::ids::MemberId(*member)) != own.get_untracked() && status.get_untracked().is_empty() {
                    status.set(AttendanceStatus::Present.as_str().to_owned());
                }
            }
        })
    };
    let save = move |_| {
        let lang = i18n.lang.get_untracked();
        let entries: Vec<AttendanceEntry> = statuses.with_value(|s| {
            s.iter()
                .filter(|(_, (status, _))| !status.get_untracked().is_empty())
                .map(|(member, (status, reason))| AttendanceEntry {
                    member_id: Some(shared::ids::MemberId(*member)),
                    status: status.get_untracked(),
                    reason: Some(reason.get_untracked()).filter(|r| !r.trim().is_empty()),
                })
                .collect()
        });
        let form = AttendanceForm { entries };
        if let Err(errs) = form.validate() {
            errors.show(&errs, lang);
            return;
        }
        errors.clear();
        spawn_local(async move {
            match api::save_meeting_sheet(id, version, &form).await {
                Ok(_) => {
                    notice.set(Some(T::AttendanceSaved.text(lang).to_owned()));
                    changed.run(());
                }
                Err(e) => errors.failed(e, lang),
            }
        });
    };
    view! {
        <section class="card" data-test="sheet">
            <h2>{move || i18n.t(T::OpenSheet)}</h2>
            <FormSummary errors=errors test="sheet-error" />
            <ul class="list">
                {sheet.lines.into_iter().map(|l| {
                    let id = l.member_id;
                    let mine = move || own.get() == Some(id);
                    let (status, reason) = statuses.with_value(|s| s[&l.member_id.0]);
                    let mid = l.member_id.0;
                    view! {
                        <li class="list-item sheet-row" data-test="sheet-row">
                            <span class="item-title">{l.full_name.clone()}</span>
                            <label class="visually-hidden" for=format!("line-{mid}")>{l.full_name.clone()}</label>
                            <select id=format!("line-{mid}") data-test=format!("line-{mid}") disabled=move || mine() || cancelled
                                prop:value=move || status.get() on:change=move |ev| status.set(event_target_value(&ev))>
                                <option value="">{move || i18n.t(T::NotRecorded)}</option>
                                {AttendanceStatus::ALL.iter().map(|s| {
                                    let s = *s;
                                    view! { <option value=s.as_str()>{move || s.label(i18n.lang.get())}</option> }
                                }).collect_view()}
                            </select>
                            <Show when=mine>
                                <span class="item-meta">{move || i18n.t(T::OwnLine)}</span>
                            </Show>
                            <Show when=move || status.get() == AttendanceStatus::Excused.as_str()>
                                <label class="sr-label" for=format!("reason-{mid}")>{move || i18n.t(T::Reason)}</label>
                                <input id=format!("reason-{mid}") data-test=format!("reason-{mid}") disabled=mine
                                    placeholder=move || i18n.t(T::Reason)
                                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev)) />
                            </Show>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || !cancelled>
                <div class="actions-row">
                    <button type="button" data-test="all-present" on:click=all_present>{move || i18n.t(T::MarkAllPresent)}</button>
                    <button type="button" class="primary" data-test="save-sheet" on:click=save>{move || i18n.t(T::SaveAttendance)}</button>
                </div>
            </Show>
        </section>
    }
}

/// The minutes, who chaired and the guests; and calling off a meeting still planned.
#[component]
fn MinutesForm(meeting: MeetingView, changed: Callback<()>, notice: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let (id, version) = (meeting.id, meeting.version);
    let planned = meeting.status == MeetingStatus::Planned;
    let minutes = RwSignal::new(meeting.minutes.clone().unwrap_or_default());
    let chaired_by = RwSignal::new(meeting.chaired_by.clone().unwrap_or_default());
    let guests = RwSignal::new(meeting.guests.clone().unwrap_or_default());
    let errors = FormErrors::new(&[("minutes", T::Minutes), ("chaired_by", T::ChairedBy), ("guests", T::Guests)]);
    let send = move |patch: MeetingPatch, saved: T| {
        let lang = i18n.lang.get_untracked();
        if let Err(errs) = patch.validate() {
            errors.show(&errs, lang);
            return;
        }
        spawn_local(async move {
            match api::update_meeting(id, version, &patch).await {
                Ok(_) => {
                    notice.set(Some(saved.text(lang).to_owned()));
                    changed.run(());
                }
                Err(e) => errors.failed(e, lang),
            }
        });
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        send(
            MeetingPatch {
                minutes: Some(minutes.get_untracked()),
                chaired_by: Some(chaired_by.get_untracked()),
                guests: Some(guests.get_untracked()),
                ..Default::default()
            },
            T::MinutesSaved,
        );
    };
    let asking = RwSignal::new(None::<String>);
    let cancel = Callback::new(move |_: ()| {
        send(
            MeetingPatch { status: Some(MeetingStatus::Cancelled.as_str().to_owned()), ..Default::default() },
            T::CancelMeeting,
        )
    });
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    view! {
        <Show when=move || meeting.can_manage>
            <form class="card" on:submit=save novalidate data-test="minutes-form">
                <h2>{move || i18n.t(T::Minutes)}</h2>
                <FormSummary errors=errors test="minutes-error" />
                <div class="field">
                    <label for="minutes">{move || i18n.t(T::Minutes)}</label>
                    <textarea id="minutes" data-test="minutes" rows="6" prop:value=move || minutes.get()
                        on:input=move |ev| minutes.set(event_target_value(&ev))></textarea>
                    <p class="field-error" role="alert">{move || errors.of("minutes").get().unwrap_or_default()}</p>
                </div>
                <Field name="chaired_by" label=label(T::ChairedBy) value=chaired_by error=errors.of("chaired_by") />
                <Field name="guests" label=label(T::Guests) value=guests error=errors.of("guests") />
                <div class="actions-row">
                    <button type="submit" class="primary" data-test="save-minutes">{move || i18n.t(T::SaveMinutes)}</button>
                    <Show when=move || planned>
                        <button type="button" class="danger" data-test="cancel-meeting"
                            on:click=move |_| asking.set(Some(T::CancelMeetingAsk.text(i18n.lang.get_untracked()).to_owned()))>
                            {move || i18n.t(T::CancelMeeting)}
                        </button>
                    </Show>
                </div>
                <ConfirmBox asking=asking on_yes=cancel />
            </form>
        </Show>
    }
}

/// `/sinh-hoat/:id/diem-danh?ma=TOKEN`: what a meeting's check-in QR code opens.
#[component]
pub fn MeetingCheckinPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let outcome = RwSignal::new(None::<Result<String, String>>);
    Effect::new(move |_| {
        let id = params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())).unwrap_or_default();
        let token = query.with(|q| q.get("ma").unwrap_or_default());
        spawn_local(async move {
            let result = api::meeting_check_in(id, &token).await.map(|l| l.full_name).map_err(|e| match e {
                api::ApiFailure::Rejected(p) => {
                    p.errors.first().map_or(p.title.clone(), |f| format!("{}: {}", p.title, f.message))
                }
                other => other.message(i18n.lang.get_untracked()),
            });
            outcome.set(Some(result));
        });
    });
    view! {
        <main class="page narrow" data-test="checkin-page">
            <h1>{move || i18n.t(T::CheckIn)}</h1>
            {move || match outcome.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Ok(name)) => view! {
                    <p class="notice" data-test="checkin-ok">{move || i18n.t(T::CheckedIn)} " · " {name.clone()}</p>
                    <A href="/" attr:class="button">{move || i18n.t(T::Home)}</A>
                }.into_any(),
                Some(Err(m)) => view! { <p class="form-error" role="alert" data-test="checkin-error">{m}</p> }.into_any(),
            }}
        </main>
    }
}

/// For a member: their branch's coming meetings, on the home page.
#[component]
pub fn UpcomingMeetings() -> impl IntoView {
    let i18n = use_i18n();
    let coming = LocalResource::new(api::upcoming_meetings);
    move || {
        coming.get().and_then(Result::ok).filter(|m| !m.is_empty()).map(|list| {
            view! {
                <section class="card" data-test="upcoming-meetings">
                    <h2>{move || i18n.t(T::UpcomingMeetings)}</h2>
                    <ul class="list">
                        {list.into_iter().take(3).map(|m| view! { <MeetingItem meeting=m /> }).collect_view()}
                    </ul>
                </section>
            }
        })
    }
}

/// `/sinh-hoat/thong-ke?don-vi=`: a subtree's branch life in a month, and the units that did
/// not meet.
#[component]
pub fn MeetingStatsPage() -> impl IntoView {
    let i18n = use_i18n();
    let unit = page_unit();
    let today = chrono::Local::now().date_naive();
    let month = RwSignal::new(today.format("%Y-%m").to_string());
    let level = RwSignal::new("branch".to_owned());
    let page = RwSignal::new(1i64);
    let stats = LocalResource::new(move || {
        let (unit, month) = (unit.get(), month.get());
        async move {
            match unit {
                Some(u) => api::meeting_stats(u, &month).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let missing = LocalResource::new(move || {
        let (unit, month, level, page) = (unit.get(), month.get(), level.get(), page.get());
        async move {
            match unit {
                Some(u) => api::meetings_missing(u, &month, &level, page).await.map(Some),
                None => Ok(None),
            }
        }
    });
    view! {
        <main class="page" data-test="meeting-stats-page">
            <h1>{move || i18n.t(T::MeetingStatsTitle)}</h1>
            <div class="field">
                <label for="stats-month">{move || i18n.t(T::Month)}</label>
                <input id="stats-month" type="month" data-test="stats-month" prop:value=move || month.get()
                    on:input=move |ev| { let v = event_target_value(&ev); if !v.is_empty() { page.set(1); month.set(v) } } />
            </div>
            {move || match stats.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(None)) => ().into_any(),
                Some(Ok(Some(s))) => view! {
                    <section class="card" data-test="meeting-figures">
                        <p data-test="branches-met"><strong>{s.branches_met} " / " {s.branches}</strong> " " {move || i18n.t(T::BranchesMet)}</p>
                        <p><strong>{s.border_branches_met} " / " {s.border_branches}</strong> " " {move || i18n.t(T::BorderBranchesMet)}</p>
                        <p><strong>{s.grassroots_active} " / " {s.grassroots_units}</strong> " " {move || i18n.t(T::GrassrootsActive)}</p>
                        <p class="item-meta">{move || i18n.t(T::MeetingHeldCount)} ": "
                            {s.held.iter().map(|k| { let (kind, n) = (k.kind, k.count); view! { <span class="badge">{move || kind.label(i18n.lang.get())} " " {n}</span> " " } }).collect_view()}
                        </p>
                    </section>
                }.into_any(),
            }}
            <h2>{move || i18n.t(T::NotMet)}</h2>
            <div class="field">
                <label for="missing-level">{move || i18n.t(T::Kind)}</label>
                <select id="missing-level" data-test="missing-level" prop:value=move || level.get()
                    on:change=move |ev| { page.set(1); level.set(event_target_value(&ev)) }>
                    <option value="branch">{move || i18n.t(T::LevelBranch)}</option>
                    <option value="border_branch">{move || i18n.t(T::LevelBorder)}</option>
                    <option value="grassroots">{move || i18n.t(T::LevelGrassroots)}</option>
                </select>
            </div>
            {move || match missing.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(None)) => ().into_any(),
                Some(Ok(Some(p))) if p.items.is_empty() => view! { <p class="empty" data-test="everyone-met">{move || i18n.t(T::EveryoneMet)}</p> }.into_any(),
                Some(Ok(Some(p))) => view! {
                    <ul class="list" data-test="missing-units">
                        {p.items.into_iter().map(|u| view! {
                            <li>
                                <A href=format!("/sinh-hoat?don-vi={}", u.unit_id) attr:class="list-item" attr:data-test="missing-unit">
                                    <span class="item-title">{u.name.clone()}</span>
                                    <span class="item-meta">{u.parent_name.clone()}</span>
                                </A>
                            </li>
                        }).collect_view()}
                    </ul>
                    <Pager current=p.page per_page=p.per_page total=p.total page=page />
                }.into_any(),
            }}
        </main>
    }
}

/// The member book's participation in branch meetings this period: held, present, excused, the
/// rate and the months missed without reason.
#[component]
pub fn ParticipationCard(member: shared::ids::MemberId) -> impl IntoView {
    let i18n = use_i18n();
    let data = LocalResource::new(move || api::participation(member));
    move || {
        data.get().and_then(Result::ok).filter(|p| p.held > 0 || p.other_attended > 0).map(|p| {
            let missed = p.months_missed.join(", ");
            let has_missed = !missed.is_empty();
            view! {
                <section class="card" data-test="participation">
                    <h2>{move || i18n.t(T::Participation)} " " {p.year}</h2>
                    <p data-test="participation-rate">
                        {move || i18n.t(T::ParticipationRate)} ": "
                        <strong>{p.rate.map(|r| format!("{r}%")).unwrap_or_else(|| "—".into())}</strong>
                    </p>
                    <p class="item-meta">
                        {p.held} " " {move || i18n.t(T::MeetingsHeld)} " · "
                        {p.present} " " {move || AttendanceStatus::Present.label(i18n.lang.get())} " · "
                        {p.excused} " " {move || AttendanceStatus::Excused.label(i18n.lang.get())} " · "
                        {p.absent} " " {move || AttendanceStatus::Absent.label(i18n.lang.get())}
                    </p>
                    <Show when=move || has_missed>
                        <p class="item-meta" data-test="months-missed">{move || i18n.t(T::MonthsMissed)} ": " {missed.clone()}</p>
                    </Show>
                    <p class="item-meta">{move || i18n.t(T::OtherAttended)} ": " {p.other_attended}</p>
                </section>
            }
        })
    }
}
