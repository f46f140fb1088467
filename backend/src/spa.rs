//! Serves the single-page app: files of the built SPA (embedded in the binary in release builds,
//! read from disk in debug builds), and `index.html` for every other non-API path so deep links work.

use actix_web::http::header::{
    self, CacheControl, CacheDirective, ContentType, EntityTag, IfNoneMatch,
};
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "$SODOAN_SPA_DIR"]
struct Assets;

fn serve(path: &str, req: &HttpRequest) -> Option<HttpResponse> {
    let file = Assets::get(path)?;
    let tag = EntityTag::new_strong(
        file.metadata
            .sha256_hash()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    );
    if let Some(header::IfNoneMatch::Items(items)) = req.get_header::<IfNoneMatch>() {
        if items.iter().any(|t| t.strong_eq(&tag)) {
            return Some(
                HttpResponse::NotModified()
                    .insert_header(header::ETag(tag))
                    .finish(),
            );
        }
    }
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    Some(
        HttpResponse::Ok()
            .content_type(mime.as_ref())
            .insert_header(header::ETag(tag))
            // Names are not content-hashed, so revalidate every time (a 304 is cheap).
            .insert_header(CacheControl(vec![CacheDirective::NoCache]))
            .body(file.data.into_owned()),
    )
}

/// Any GET outside `/api`: the file if it exists, else the app shell.
pub async fn index(req: HttpRequest) -> HttpResponse {
    let path = req.path().trim_start_matches('/');
    if let Some(res) = serve(path, &req) {
        return res;
    }
    match serve("index.html", &req) {
        Some(res) => res,
        None => HttpResponse::NotFound()
            .insert_header(ContentType::plaintext())
            .body("index.html missing"),
    }
}

/// Registers the SPA as the fallback service.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.default_service(web::get().to(index));
}
