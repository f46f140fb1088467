//! A young person opens an account. The shared validation runs before submitting; the server's
//! field errors land under the same fields.

use crate::api::{self, ApiFailure};
use crate::components::field::Field;
use crate::i18n::{use_i18n, T};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::api::auth::RegisterRequest;
use shared::{ErrorCode, FieldError, FieldErrorCode, Lang};

/// The registration page.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let session = crate::session::use_session();
    let full_name = RwSignal::new(String::new());
    let date_of_birth = RwSignal::new(String::new());
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let errors: [(&'static str, RwSignal<Option<String>>); 4] = [
        ("full_name", RwSignal::new(None)),
        ("date_of_birth", RwSignal::new(None)),
        ("login", RwSignal::new(None)),
        ("password", RwSignal::new(None)),
    ];
    let form_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let show = move |list: &[FieldError], lang: Lang| {
        for (field, signal) in errors {
            let msg = list.iter().find(|e| e.field == field).map(|e| e.code.message(lang).to_owned());
            signal.set(msg);
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        form_error.set(None);
        let req = RegisterRequest {
            login: login.get_untracked(),
            password: password.get_untracked(),
            full_name: full_name.get_untracked(),
            date_of_birth: date_of_birth.get_untracked(),
        };
        if let Err(list) = req.validate(chrono::Local::now().date_naive()) {
            show(&list, lang);
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::register(&req).await {
                // Signed in at once with what was just typed; the sign-in page only if that fails.
                Ok(user) => match api::login(&user.login, &req.password).await {
                    Ok(_) => {
                        session.reload().await;
                        navigate("/", Default::default());
                    }
                    Err(_) => navigate("/dang-nhap?registered=1", Default::default()),
                },
                Err(ApiFailure::Rejected(p)) if p.code() == Some(ErrorCode::DuplicateLogin) => {
                    show(&[FieldError::new("login", FieldErrorCode::Duplicate, lang)], lang)
                }
                Err(ApiFailure::Rejected(p)) if !p.errors.is_empty() => show(&p.errors, lang),
                Err(e) => form_error.set(Some(e.message(lang))),
            }
            busy.set(false);
        });
    };

    let label = move |key: T| Signal::derive(move || i18n.t(key).to_owned());
    view! {
        <main class="page narrow">
            <h1>{move || i18n.t(T::Register)}</h1>
            <form on:submit=submit novalidate data-test="register-form">
                <Field name="full_name" label=label(T::FullName) value=full_name error=errors[0].1 autocomplete="name" />
                <Field name="date_of_birth" label=label(T::DateOfBirth) value=date_of_birth error=errors[1].1 kind="date" autocomplete="bday" />
                <Field name="login" label=label(T::LoginField) value=login error=errors[2].1 autocomplete="username" />
                <Field name="password" label=label(T::Password) value=password error=errors[3].1 kind="password" autocomplete="new-password" />
                <p class="form-error" role="alert" data-test="form-error">{move || form_error.get().unwrap_or_default()}</p>
                <button type="submit" class="primary" data-test="register-submit" disabled=move || busy.get()>
                    {move || i18n.t(T::Register)}
                </button>
            </form>
            <p class="aside">
                {move || i18n.t(T::HaveAccount)} " "
                <A href="/dang-nhap">{move || i18n.t(T::Login)}</A>
            </p>
        </main>
    }
}
