//! The app bar: brand, language switch, sign-out.

use crate::i18n::{use_i18n, T};
use crate::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use shared::Lang;

/// The top bar of every page.
#[component]
pub fn AppBar() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = move |_| {
        session.sign_out();
        navigate("/dang-nhap", Default::default());
    };
    let lang_button = move |lang: Lang, label: &'static str| {
        view! {
            <button
                type="button"
                class="lang"
                data-test=format!("lang-{}", lang.tag())
                aria-pressed=move || if i18n.lang.get() == lang { "true" } else { "false" }
                on:click=move |_| i18n.set(lang)
            >
                {label}
            </button>
        }
    };
    view! {
        <header class="app-bar">
            <A href="/" attr:class="brand" attr:data-test="brand">
                <span class="brand-mark" aria-hidden="true">"★"</span>
                {move || i18n.t(T::AppName)}
            </A>
            <nav class="bar-actions" aria-label=move || i18n.t(T::Menu)>
                <span class="lang-switch" role="group" aria-label=move || i18n.t(T::Language)>
                    {lang_button(Lang::Vi, "VI")}
                    {lang_button(Lang::En, "EN")}
                </span>
                <Show when=move || session.me.get().is_some()>
                    <button type="button" class="link-button" data-test="logout" on:click=sign_out.clone()>
                        {move || i18n.t(T::Logout)}
                    </button>
                </Show>
            </nav>
        </header>
    }
}
