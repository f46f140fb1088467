//! Sign in with a phone number or email and a password.

use crate::api;
use crate::components::field::Field;
use crate::components::status::Notice;
use crate::i18n::{use_i18n, T};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::values::Login;

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let login_error = RwSignal::new(None::<String>);
    let password_error = RwSignal::new(None::<String>);
    let form_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let registered = Signal::derive(move || query.get().get("registered").map(|_| i18n.t(T::RegisterDone).to_owned()));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let lang = i18n.lang.get_untracked();
        form_error.set(None);
        let parsed = Login::parse(&login.get_untracked());
        if let Err(code) = &parsed {
            login_error.set(Some(code.message(lang).to_owned()));
        }
        if password.get_untracked().is_empty() {
            password_error.set(Some(shared::FieldErrorCode::Required.message(lang).to_owned()));
        }
        let Ok(parsed) = parsed else { return };
        if password.get_untracked().is_empty() {
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::login(parsed.as_str(), &password.get_untracked()).await {
                Ok(_) => {
                    session.reload().await;
                    navigate("/", Default::default());
                }
                Err(e) => form_error.set(Some(e.message(i18n.lang.get_untracked()))),
            }
            busy.set(false);
        });
    };

    view! {
        <main class="page narrow">
            <h1>{move || i18n.t(T::Login)}</h1>
            <Notice text=registered />
            <form on:submit=submit novalidate data-test="login-form">
                <Field name="login" label=Signal::derive(move || i18n.t(T::LoginField).to_owned()) value=login error=login_error kind="text" autocomplete="username" />
                <Field name="password" label=Signal::derive(move || i18n.t(T::Password).to_owned()) value=password error=password_error kind="password" autocomplete="current-password" />
                <p class="form-error" role="alert" data-test="form-error">{move || form_error.get().unwrap_or_default()}</p>
                <button type="submit" class="primary" data-test="login-submit" disabled=move || busy.get()>
                    {move || i18n.t(T::Login)}
                </button>
            </form>
            <p class="aside">
                {move || i18n.t(T::NoAccount)} " "
                <A href="/dang-ky" attr:data-test="to-register">{move || i18n.t(T::Register)}</A>
            </p>
        </main>
    }
}
