//! Serves the single-page app: files of the built SPA (embedded in the binary in release builds,
//! read from disk in debug builds, or from `SODOAN_SPA_DIR` when set), and `index.html` for every
//! other non-API path so deep links work.

use actix_web::http::header::{self, CacheControl, CacheDirective, ContentType, EntityTag, IfNoneMatch};
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use rust_embed::RustEmbed;
use sha2::Digest;
use std::path::PathBuf;

#[derive(RustEmbed)]
#[folder = "$SODOAN_SPA_DIR"]
struct Assets;

/// Where the SPA's files come from.
#[derive(Debug, Clone)]
pub enum SpaSource {
    /// Compiled into the binary (in debug builds: read from the folder it was compiled from).
    Embedded,
    /// A folder on disk, read at every request (development).
    Dir(PathBuf),
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn load(source: &SpaSource, path: &str) -> Option<(Vec<u8>, String)> {
    match source {
        SpaSource::Embedded => {
            let file = Assets::get(path)?;
            let tag = hex(&file.metadata.sha256_hash());
            Some((file.data.into_owned(), tag))
        }
        SpaSource::Dir(dir) => {
            if path.split('/').any(|seg| seg == ".." || seg.is_empty()) {
                return None;
            }
            let bytes = std::fs::read(dir.join(path)).ok()?;
            let tag = hex(&sha2::Sha256::digest(&bytes));
            Some((bytes, tag))
        }
    }
}

fn serve(source: &SpaSource, path: &str, req: &HttpRequest) -> Option<HttpResponse> {
    let (data, tag) = load(source, path)?;
    let tag = EntityTag::new_strong(tag);
    if let Some(IfNoneMatch::Items(items)) = req.get_header::<IfNoneMatch>() {
        if items.iter().any(|t| t.strong_eq(&tag)) {
            return Some(HttpResponse::NotModified().insert_header(header::ETag(tag)).finish());
        }
    }
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    Some(
        HttpResponse::Ok()
            .content_type(mime.as_ref())
            .insert_header(header::ETag(tag))
            // Names are not content-hashed, so revalidate every time (a 304 is cheap).
            .insert_header(CacheControl(vec![CacheDirective::NoCache]))
            .body(data),
    )
}

/// Any GET outside `/api`: the file if it exists, else the app shell.
pub async fn index(req: HttpRequest, source: web::Data<SpaSource>) -> HttpResponse {
    let path = req.path().trim_start_matches('/');
    if let Some(res) = serve(&source, path, &req) {
        return res;
    }
    match serve(&source, "index.html", &req) {
        Some(res) => res,
        None => HttpResponse::NotFound().insert_header(ContentType::plaintext()).body("index.html missing"),
    }
}

/// Registers the SPA as the fallback service.
pub fn configure(cfg: &mut web::ServiceConfig, source: SpaSource) {
    cfg.app_data(web::Data::new(source)).default_service(web::get().to(index));
}
