//! Security headers on every answer: a strict Content-Security-Policy for the app (a relaxed one
//! for the API explorer at `/api/v1/docs/`), `nosniff`, `Referrer-Policy`, no framing, HSTS under
//! `SODOAN_ENV=production` (the deployment serves HTTPS), and `Cache-Control: no-store` on every
//! API answer (signed-in data, tokens and exports stay out of shared and browser caches).

use crate::state::AppState;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web;

/// The policy for the app shell and its files: scripts and styles from the server only (the
/// WASM module compiled by the browser), no plugins, no framing, no `<base>`, forms to itself.
/// `style-src-attr 'unsafe-inline'` lets the app set a `style` attribute (a bar's width) — it
/// runs no code — while `<style>` elements and style sheets from elsewhere stay refused.
pub const APP_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
     style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// The API explorer (Swagger UI) sets inline styles from its scripts; nothing else is relaxed.
pub const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; \
     form-action 'self'";

/// One year, subdomains included.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The path prefix of the API explorer.
const DOCS: &str = "/api/v1/docs";

/// Middleware body: adds the headers to whatever the inner services answered.
pub async fn security_headers<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<B>, actix_web::Error> {
    let production = req.app_data::<web::Data<AppState>>().is_some_and(|s| s.production);
    let path = req.path().to_owned();
    let mut res = next.call(req).await?;
    let h = res.headers_mut();
    let docs = path.starts_with(DOCS);
    let csp = if docs { DOCS_CSP } else { APP_CSP };
    let set = |h: &mut header::HeaderMap, name: HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(h, header::CONTENT_SECURITY_POLICY, csp);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "same-origin");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    if production {
        set(h, header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    if path.starts_with("/api/") && !docs {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    Ok(res)
}
