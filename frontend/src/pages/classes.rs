//! Training classes on a phone: the classes taking enrolments (enrol or leave), a unit's classes
//! and a form to open one, a class page (for cadres: the roster with attendance to tick, a QR
//! code for check-in, results), the check-in page a QR code opens, and a printable certificate.

use crate::api::{self, FormFailure};
use crate::components::checkin_qr::CheckinQr;
use crate::components::field::Field;
use crate::components::form_errors::{FormErrors, FormSummary};
use crate::components::status::{ErrorBox, Loading};
use crate::i18n::{date, use_i18n, T};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::api::classes::{
    Audience, ClassKind, ClassView, CreateClassRequest, EnrollmentStatus, EnrollmentView, ResultRequest, SessionInput,
    SessionView,
};
use shared::ids::OrgUnitId;
use std::collections::HashSet;

/// `/lop?don-vi=ID`: classes (of a unit, or all those taking enrolments), with enrolment buttons.
#[component]
pub fn ClassesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let unit = move || query.with(|q| q.get("don-vi").and_then(|v| v.parse::<i64>().ok()).map(OrgUnitId));
    let refresh = RwSignal::new(0u32);
    let classes = LocalResource::new(move || {
        refresh.get();
        let unit = unit();
        async move {
            match unit {
                Some(u) => api::unit_classes(u).await,
                None => api::open_classes().await,
            }
        }
    });
    let reload = Callback::new(move |_| refresh.update(|n| *n += 1));
    view! {
        <main class="page" data-test="classes-page">
            <h1>{move || i18n.t(T::Classes)}</h1>
            {move || unit().map(|u| view! { <ClassForm unit=u reload=reload /> })}
            {move || match classes.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty">{move || i18n.t(T::NoClasses)}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="list" data-test="class-list">
                        {list.into_iter().map(|c| view! { <ClassCard class=c reload=reload /> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </main>
    }
}

#[component]
fn ClassCard(class: ClassView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let kind = class.kind;
    let id = class.id;
    let mine = class.my_enrollment.clone();
    let error = RwSignal::new(None::<String>);
    let enroll = move |_| {
        spawn_local(async move {
            match api::enroll_self(id).await {
                Ok(_) => reload.run(()),
                Err(e) => error.set(Some(e.message(i18n.lang.get_untracked()))),
            }
        });
    };
    let status = mine.as_ref().map(|e| (e.status, e.waitlist_position));
    view! {
        <li class="card" data-test="class-card">
            <p class="item-title"><A href=format!("/lop/{id}")>{class.title.clone()}</A></p>
            <p class="item-meta">{move || kind.label(i18n.lang.get())} " · " {class.unit_name.clone()}</p>
            <p class="item-meta">
                {move || i18n.t(T::Seats)} ": " {class.enrolled} "/" {class.capacity}
                {(class.waitlisted > 0).then(|| format!(" · {} {}", class.waitlisted, i18n.t(T::Waiting)))}
                " · " {move || i18n.t(T::EnrolUntil)} " " {date(class.enrol_until)}
            </p>
            {match status {
                Some((s, pos)) => view! {
                    <p class="notice" data-test="my-enrollment">{move || s.label(i18n.lang.get())}
                        {pos.map(|p| format!(" ({p})"))}</p>
                }.into_any(),
                None => view! {
                    <button type="button" class="primary" data-test="enroll" on:click=enroll>{move || i18n.t(T::Enrol)}</button>
                }.into_any(),
            }}
            <p class="form-error" role="alert">{move || error.get().unwrap_or_default()}</p>
        </li>
    }
}

#[component]
fn ClassForm(unit: OrgUnitId, #[prop(optional)] existing: Option<ClassView>, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let today = chrono::Local::now().date_naive();
    let v = |s: String| RwSignal::new(s);
    let editing = existing.as_ref().map(|c| (c.id, c.version));
    let (title, capacity, from, until, sessions, kind, audience) = match &existing {
        Some(c) => (
            v(c.title.clone()),
            v(c.capacity.to_string()),
            v(c.enrol_from.to_string()),
            v(c.enrol_until.to_string()),
            c.sessions.iter().enumerate().map(|(i, s)| SessionRow::of(i, s)).collect(),
            c.kind,
            c.audience,
        ),
        None => (
            v(String::new()),
            v("40".into()),
            v(today.to_string()),
            v((today + chrono::Days::new(14)).to_string()),
            vec![SessionRow::new(0, today + chrono::Days::new(21))],
            ClassKind::Orientation,
            Audience { applicants: true, members: false, cadres: false },
        ),
    };
    let sessions = RwSignal::new(sessions);
    let kind = RwSignal::new(kind);
    let (applicants, members, cadres) =
        (RwSignal::new(audience.applicants), RwSignal::new(audience.members), RwSignal::new(audience.cadres));
    let errors = FormErrors::new(&[
        ("kind", T::ClassKindLabel),
        ("title", T::ClassTitle),
        ("capacity", T::Seats),
        ("enrol_from", T::EnrolFrom),
        ("enrol_until", T::EnrolUntil),
        ("sessions", T::Sessions),
        ("audience", T::Audience),
    ]);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        let req = CreateClassRequest {
            unit_id: Some(unit),
            kind: kind.get_untracked().as_str().into(),
            title: title.get_untracked(),
            capacity: capacity.get_untracked().trim().parse().ok(),
            enrol_from: from.get_untracked(),
            enrol_until: until.get_untracked(),
            audience: Audience {
                applicants: applicants.get_untracked(),
                members: members.get_untracked(),
                cadres: cadres.get_untracked(),
            },
            sessions: sessions.get_untracked().iter().map(SessionRow::input).collect(),
        };
        if let Err(errs) = req.validate() {
            errors.show(&errs, lang);
            return;
        }
        errors.clear();
        spawn_local(async move {
            let done = match editing {
                Some((id, version)) => api::update_class(id, version, &req).await,
                None => api::create_class(&req).await,
            };
            match done {
                Ok(_) => {
                    open.set(false);
                    reload.run(());
                }
                Err(e) => match e.for_form(lang) {
                    FormFailure::Fields(errs) => errors.show(&errs, lang),
                    FormFailure::Stale => {
                        errors.message(T::ActedFirst.text(lang));
                        reload.run(());
                    }
                    FormFailure::Message(m) => errors.message(m),
                },
            }
        });
    };
    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    let check = move |signal: RwSignal<bool>, key: T, test: &'static str| {
        view! {
            <label class="check"><input type="checkbox" data-test=test prop:checked=move || signal.get()
                on:change=move |ev| signal.set(event_target_checked(&ev)) /> {move || i18n.t(key)}</label>
        }
    };
    view! {
        <Show when=move || !open.get()>
            <button type="button" data-test=if editing.is_some() { "edit-class" } else { "open-class-form" } on:click=move |_| open.set(true)>
                {move || i18n.t(if editing.is_some() { T::EditClass } else { T::OpenClass })}
            </button>
        </Show>
        <Show when=move || open.get()>
            <form class="card" on:submit=submit novalidate data-test="class-form">
                <FormSummary errors=errors test="class-error" />
                <div class="field">
                    <label for="class-kind">{move || i18n.t(T::ClassKindLabel)}</label>
                    <select id="class-kind" data-test="class-kind" disabled=editing.is_some() on:change=move |ev| {
                        if let Some(k) = ClassKind::parse(&event_target_value(&ev)) { kind.set(k) }
                    }>
                        {ClassKind::ALL.iter().map(|k| {
                            let k = *k;
                            view! { <option value=k.as_str() selected=move || kind.get() == k>{move || k.label(i18n.lang.get())}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <Field name="class_title" label=label(T::ClassTitle) value=title error=errors.of("title") />
                <Field name="class_capacity" label=label(T::Seats) value=capacity error=errors.of("capacity") kind="number" inputmode="numeric" />
                <Field name="enrol_from" label=label(T::EnrolFrom) value=from error=errors.of("enrol_from") kind="date" />
                <Field name="enrol_until" label=label(T::EnrolUntil) value=until error=errors.of("enrol_until") kind="date" />
                <SessionRows sessions=sessions />
                <p class="field-error" role="alert" data-test="sessions-error">{move || errors.of("sessions").get().unwrap_or_default()}</p>
                <fieldset class="field">
                    {check(applicants, T::ForApplicants, "for-applicants")}
                    {check(members, T::ForMembers, "for-members")}
                    {check(cadres, T::ForCadres, "for-cadres")}
                </fieldset>
                <p class="field-error" role="alert" data-test="audience-error">{move || errors.of("audience").get().unwrap_or_default()}</p>
                <button type="submit" class="primary" data-test="create-class">
                    {move || i18n.t(if editing.is_some() { T::Save } else { T::Create })}
                </button>
            </form>
        </Show>
    }
}

/// One session being entered in the new-class form.
#[derive(Clone, Copy)]
struct SessionRow {
    key: usize,
    /// The stored session this row changes (none: a new one).
    id: Option<i64>,
    held_on: RwSignal<String>,
    starts_at: RwSignal<String>,
    /// A place, or an online meeting link (`http…`).
    place: RwSignal<String>,
}

impl SessionRow {
    fn new(key: usize, on: chrono::NaiveDate) -> SessionRow {
        SessionRow {
            key,
            id: None,
            held_on: RwSignal::new(on.to_string()),
            starts_at: RwSignal::new("08:00".into()),
            place: RwSignal::new(String::new()),
        }
    }

    fn of(key: usize, s: &SessionView) -> SessionRow {
        SessionRow {
            key,
            id: Some(s.id),
            held_on: RwSignal::new(s.held_on.to_string()),
            starts_at: RwSignal::new(s.starts_at.clone()),
            place: RwSignal::new(s.place.clone().or_else(|| s.online_url.clone()).unwrap_or_default()),
        }
    }

    fn input(&self) -> SessionInput {
        let place = self.place.get_untracked().trim().to_owned();
        let online = place.starts_with("http://") || place.starts_with("https://");
        SessionInput {
            id: self.id,
            held_on: self.held_on.get_untracked(),
            starts_at: self.starts_at.get_untracked(),
            online_url: online.then(|| place.clone()),
            place: (!online).then_some(place),
        }
    }
}

/// The sessions of a new class: as many as it has, the next a week after the last by default.
#[component]
fn SessionRows(sessions: RwSignal<Vec<SessionRow>>) -> impl IntoView {
    let i18n = use_i18n();
    let add = move |_| {
        sessions.update(|list| {
            let last = list.last().and_then(|s| s.held_on.get_untracked().parse::<chrono::NaiveDate>().ok());
            let on = last.map_or_else(|| chrono::Local::now().date_naive(), |d| d + chrono::Days::new(7));
            let key = list.iter().map(|s| s.key + 1).max().unwrap_or(0);
            list.push(SessionRow::new(key, on));
        })
    };
    let input = move |id: String, kind: &'static str, value: RwSignal<String>, label: T| {
        view! {
            <div class="field">
                <label for=id.clone()>{move || i18n.t(label)}</label>
                <input id=id.clone() type=kind data-test=id prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    view! {
        <fieldset class="sessions" data-test="class-sessions">
            <legend>{move || i18n.t(T::Sessions)}</legend>
            {move || sessions.get().into_iter().enumerate().map(|(i, row)| view! {
                <div class="session-row" data-test="session-row">
                    <p class="item-meta">{move || i18n.t(T::Session)} " " {i + 1}</p>
                    {input(format!("session-on-{i}"), "date", row.held_on, T::SessionOn)}
                    {input(format!("session-at-{i}"), "time", row.starts_at, T::SessionAt)}
                    {input(format!("session-place-{i}"), "text", row.place, T::PlaceOrLink)}
                    {(i > 0).then(|| view! {
                        <button type="button" data-test=format!("remove-session-{i}")
                            on:click=move |_| sessions.update(|l| l.retain(|s| s.key != row.key))>
                            {move || i18n.t(T::RemoveSession)}
                        </button>
                    })}
                </div>
            }).collect_view()}
            <button type="button" data-test="add-session" on:click=add>{move || i18n.t(T::AddSession)}</button>
        </fieldset>
    }
}

/// `/lop/:id`: a class; for its cadres the roster, attendance, QR check-in and results.
#[component]
pub fn ClassPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())).unwrap_or_default();
    let refresh = RwSignal::new(0u32);
    let class = LocalResource::new(move || {
        refresh.get();
        api::get_class(id())
    });
    let roster = LocalResource::new(move || {
        refresh.get();
        api::class_roster(id())
    });
    let reload = Callback::new(move |_| refresh.update(|n| *n += 1));
    view! {
        <main class="page" data-test="class-page">
            {move || match class.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok(c)) => {
                    let kind = c.kind;
                    let mine = c.my_enrollment.clone();
                    let class_id = c.id;
                    view! {
                        <h1 data-test="class-title">{c.title.clone()}</h1>
                        <p class="item-meta">{move || kind.label(i18n.lang.get())} " · " {c.unit_name.clone()}</p>
                        <ul class="list" data-test="sessions">
                            {c.sessions.iter().map(|s| view! {
                                <li class="list-item">
                                    <span class="item-title">{date(s.held_on)} " " {s.starts_at.clone()}</span>
                                    <span class="item-meta">{s.place.clone().or(s.online_url.clone()).unwrap_or_default()}</span>
                                </li>
                            }).collect_view()}
                        </ul>
                        {mine.map(|e| view! { <MyEnrollment class_id=class_id enrollment=e reload=reload /> })}
                        {move || match roster.get() {
                            Some(Ok(people)) => view! {
                                <ClassForm unit=c.unit_id existing=c.clone() reload=reload />
                                <Roster class=c.clone() people=people reload=reload />
                            }.into_any(),
                            _ => ().into_any(),
                        }}
                    }.into_any()
                }
            }}
        </main>
    }
}

#[component]
fn MyEnrollment(class_id: i64, enrollment: EnrollmentView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let status = enrollment.status;
    let result = enrollment.result;
    let eid = enrollment.id;
    let leave = move |_| {
        spawn_local(async move {
            if api::cancel_enrollment(class_id, eid).await.is_ok() {
                reload.run(());
            }
        });
    };
    view! {
        <section class="card" data-test="my-class">
            <p><strong>{move || status.label(i18n.lang.get())}</strong>
                {enrollment.waitlist_position.map(|p| format!(" ({p})"))}
                " · " {enrollment.attended.len()} " " {move || i18n.t(T::SessionsAttended)}</p>
            {result.map(|r| view! { <p data-test="my-result">{move || r.label(i18n.lang.get())}</p> })}
            {enrollment.certificate_no.clone().map(|_| view! {
                <A href=format!("/lop/{class_id}/chung-nhan/{eid}") attr:class="button" attr:data-test="certificate-link">{move || i18n.t(T::Certificate)}</A>
            })}
            <Show when=move || status != EnrollmentStatus::Cancelled && result.is_none()>
                <button type="button" data-test="leave-class" on:click=leave>{move || i18n.t(T::LeaveClass)}</button>
            </Show>
        </section>
    }
}

/// The cadre's roster: tick attendance per session, show a QR code, record results.
#[component]
fn Roster(class: ClassView, people: Vec<EnrollmentView>, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let class_id = class.id;
    let sessions = class.sessions.clone();
    let session = RwSignal::new(sessions.first().map(|s| s.id).unwrap_or_default());
    let enrolled: Vec<EnrollmentView> =
        people.into_iter().filter(|e| e.status != EnrollmentStatus::Cancelled).collect();
    let ticked = RwSignal::new(HashSet::<i64>::new());
    let seed = enrolled.clone();
    Effect::new(move |_| {
        let s = session.get();
        ticked.set(seed.iter().filter(|e| e.attended.contains(&s)).map(|e| e.id).collect());
    });
    let save = move |_| {
        let present: Vec<i64> = ticked.get_untracked().into_iter().collect();
        let s = session.get_untracked();
        spawn_local(async move {
            if api::set_attendance(class_id, s, present).await.is_ok() {
                reload.run(());
            }
        });
    };
    let export_error = RwSignal::new(None::<String>);
    let export = move |_| {
        spawn_local(async move {
            let saved = match api::roster_xlsx(class_id).await {
                Ok(bytes) => api::save_file(&format!("lop-{class_id}.xlsx"), "application/octet-stream", &bytes),
                Err(e) => Err(e),
            };
            export_error.set(saved.err().map(|e| e.message(i18n.lang.get_untracked())));
        });
    };
    view! {
        <section class="card" data-test="roster">
            <h2>{move || i18n.t(T::Roster)}</h2>
            <div class="field">
                <label for="roster-session">{move || i18n.t(T::Session)}</label>
                <select id="roster-session" data-test="roster-session" on:change=move |ev| {
                    if let Ok(s) = event_target_value(&ev).parse() { session.set(s) }
                }>
                    {sessions.iter().map(|s| view! { <option value=s.id.to_string()>{date(s.held_on)} " " {s.starts_at.clone()}</option> }).collect_view()}
                </select>
            </div>
            <ul class="list">
                {enrolled.into_iter().map(|e| {
                    let eid = e.id;
                    let st = e.status;
                    let waiting = st == EnrollmentStatus::Waitlisted;
                    view! {
                        <li class="list-item roster-row" data-test="roster-row">
                            <label class="check">
                                <input type="checkbox" data-test=format!("present-{eid}") disabled=waiting
                                    prop:checked=move || ticked.get().contains(&eid)
                                    on:change=move |ev| ticked.update(|t| { if event_target_checked(&ev) { t.insert(eid); } else { t.remove(&eid); } }) />
                                {e.full_name.clone()}
                            </label>
                            <span class="item-meta">{move || st.label(i18n.lang.get())}</span>
                            <ResultEditor class_id=class_id enrollment=e.clone() reload=reload />
                        </li>
                    }
                }).collect_view()}
            </ul>
            <div class="actions-row">
                <button type="button" class="primary" data-test="save-attendance" on:click=save>{move || i18n.t(T::SaveAttendance)}</button>
                <button type="button" data-test="roster-xlsx" on:click=export>{move || i18n.t(T::ExportXlsx)}</button>
            </div>
            <p class="form-error" role="alert">{move || export_error.get().unwrap_or_default()}</p>
            <CheckinQr fetch=move || api::checkin_link(class_id, session.get_untracked()) />
        </section>
    }
}

#[component]
fn ResultEditor(class_id: i64, enrollment: EnrollmentView, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    if enrollment.status != EnrollmentStatus::Enrolled {
        return ().into_any();
    }
    let (eid, version) = (enrollment.id, enrollment.version);
    let result = RwSignal::new(enrollment.result.map(|r| r.as_str().to_owned()).unwrap_or_default());
    let essay = RwSignal::new(enrollment.essay.as_str().to_owned());
    let save = move |_| {
        let req =
            ResultRequest { result: Some(result.get_untracked()), score: None, essay: Some(essay.get_untracked()) };
        spawn_local(async move {
            let _ = api::set_class_result(class_id, eid, version, &req).await;
            reload.run(());
        });
    };
    view! {
        <span class="result-editor">
            <label class="sr-label" for=format!("result-{eid}")>{move || i18n.t(T::ClassResultLabel)}</label>
            <select id=format!("result-{eid}") data-test=format!("result-{eid}") prop:value=move || result.get() on:change=move |ev| result.set(event_target_value(&ev))>
                <option value="">{move || i18n.t(T::NoResult)}</option>
                {shared::api::classes::ClassResult::ALL.iter().map(|r| {
                    let r = *r;
                    view! { <option value=r.as_str()>{move || r.label(i18n.lang.get())}</option> }
                }).collect_view()}
            </select>
            <label class="sr-label" for=format!("essay-{eid}")>{move || i18n.t(T::EssayLabel)}</label>
            <select id=format!("essay-{eid}") data-test=format!("essay-{eid}") prop:value=move || essay.get() on:change=move |ev| essay.set(event_target_value(&ev))>
                {shared::api::classes::EssayStatus::ALL.iter().map(|s| {
                    let s = *s;
                    view! { <option value=s.as_str()>{move || s.label(i18n.lang.get())}</option> }
                }).collect_view()}
            </select>
            <button type="button" data-test=format!("save-result-{eid}") on:click=save>{move || i18n.t(T::Save)}</button>
            {enrollment.certificate_no.clone().map(|c| view! { <span class="badge">{c}</span> })}
        </span>
    }
    .into_any()
}

/// `/lop/:id/diem-danh/:session?ma=TOKEN`: what a check-in QR code opens.
#[component]
pub fn CheckinPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let outcome = RwSignal::new(None::<Result<EnrollmentView, String>>);
    Effect::new(move |_| {
        let class = params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())).unwrap_or_default();
        let session = params.with(|p| p.get("session").and_then(|v| v.parse::<i64>().ok())).unwrap_or_default();
        let token = query.with(|q| q.get("ma").unwrap_or_default());
        spawn_local(async move {
            let result = api::check_in(class, session, &token).await.map_err(|e| match e {
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
                Some(Ok(e)) => view! {
                    <p class="notice" data-test="checkin-ok">{move || i18n.t(T::CheckedIn)} " · " {e.full_name.clone()}</p>
                    <A href=format!("/lop/{}", e.class_id) attr:class="button">{move || i18n.t(T::Classes)}</A>
                }.into_any(),
                Some(Err(m)) => view! { <p class="form-error" role="alert" data-test="checkin-error">{m}</p> }.into_any(),
            }}
        </main>
    }
}

/// `/lop/:id/chung-nhan/:enrollment`: a printable certificate.
#[component]
pub fn CertificatePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let ids = move || {
        params.with(|p| {
            (
                p.get("id").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default(),
                p.get("enrollment").and_then(|v| v.parse::<i64>().ok()).unwrap_or_default(),
            )
        })
    };
    let data = LocalResource::new(move || {
        let (class, enrollment) = ids();
        async move {
            Ok::<_, api::ApiFailure>((api::get_class(class).await?, api::get_enrollment(class, enrollment).await?))
        }
    });
    let print = move |_| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    };
    view! {
        <main class="page certificate" data-test="certificate">
            {move || match data.get() {
                None => view! { <Loading /> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox failure=e /> }.into_any(),
                Some(Ok((c, e))) => view! {
                    <p class="item-meta">"Đoàn TNCS Hồ Chí Minh · " {c.unit_name.clone()}</p>
                    <h1>{move || i18n.t(T::CertificateTitle)}</h1>
                    <p>{move || i18n.t(T::CertifiesThat)}</p>
                    <p class="certificate-name" data-test="certificate-name">{e.full_name.clone()}</p>
                    <p>{move || i18n.t(T::CompletedClass)} " " <strong>{c.title.clone()}</strong></p>
                    <p data-test="certificate-no">{move || i18n.t(T::CertificateNo)} ": " {e.certificate_no.clone().unwrap_or_default()}</p>
                    <button type="button" class="no-print" on:click=print>{move || i18n.t(T::Print)}</button>
                }.into_any(),
            }}
        </main>
    }
}
