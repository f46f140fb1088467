//! The check-in QR code a cadre shows at a class session or a meeting: a link lives five
//! minutes, so while the code is on screen a fresh one replaces it every four.

use crate::api::ApiFailure;
use crate::i18n::{use_i18n, T};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::classes::CheckinLink;
use std::future::Future;
use std::time::Duration;

fn refresh<F, Fut>(fetch: F, qr: RwSignal<Option<(String, String)>>, shown: RwSignal<u32>, turn: u32)
where
    F: Fn() -> Fut + Copy + 'static,
    Fut: Future<Output = Result<CheckinLink, ApiFailure>> + 'static,
{
    spawn_local(async move {
        // Stop once another code was asked for, or the page was left (the signal is gone).
        if shown.try_get_untracked() != Some(turn) {
            return;
        }
        if let Ok(link) = fetch().await {
            let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
            let url = format!("{origin}{}", link.path);
            qr.try_set(qrcode::QrCode::new(url.as_bytes()).ok().map(|code| {
                (code.render::<qrcode::render::svg::Color>().min_dimensions(240, 240).build(), url.clone())
            }));
        }
        set_timeout(move || refresh(fetch, qr, shown, turn), Duration::from_secs(240));
    });
}

/// A button that shows the check-in code `fetch` links to, kept fresh while it is shown.
#[component]
pub fn CheckinQr<F, Fut>(fetch: F) -> impl IntoView
where
    F: Fn() -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<CheckinLink, ApiFailure>> + 'static,
{
    let i18n = use_i18n();
    let qr = RwSignal::new(None::<(String, String)>);
    let shown = RwSignal::new(0u32);
    let show = move |_| {
        let turn = shown.get_untracked().wrapping_add(1);
        shown.set(turn);
        refresh(fetch, qr, shown, turn);
    };
    view! {
        <button type="button" data-test="show-qr" on:click=show>{move || i18n.t(T::ShowQr)}</button>
        {move || qr.get().map(|(svg, url)| view! {
            <div class="qr" data-test="qr" inner_html=svg></div>
            <p class="item-meta qr-link" data-test="qr-link">{url}</p>
        })}
    }
}
