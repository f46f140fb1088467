//! Builds the application: pool, migrations, optional demo data, routes, middleware and the SPA.
//! Tests build it exactly as `main` does, on port 0.

use crate::auth::TokenKeys;
use crate::config::Config;
use crate::error::{self, extractors, ApiError};
use crate::fixtures::demo;
use crate::routes::{self, openapi::ApiDoc, openapi::DeclaredMethods};
use crate::state::{AppState, Db};
use crate::throttle::{LoginThrottle, LookupThrottle};
use crate::{db, headers, idempotency, spa};
use actix_web::dev::Server;
use actix_web::middleware::{from_fn, Compress};
use actix_web::{web, App, HttpServer};
use anyhow::Context;
use std::net::TcpListener;
use tracing_actix_web::TracingLogger;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

/// A built, bound, not yet running server.
pub struct Application {
    server: Server,
    port: u16,
    db: Db,
    callers: std::sync::Arc<crate::auth::CallerCache>,
    pub demo_seeded: bool,
}

/// The largest JSON body accepted.
pub const JSON_LIMIT: usize = 1 << 20;

/// A path parameter that does not parse: when the path is another route's literal path (a PATCH
/// on `/admissions/batch-approve` reached `/admissions/{id}`), 405 with `Allow`; else 400.
fn path_error(err: actix_web::error::PathError, req: &actix_web::HttpRequest) -> actix_web::Error {
    let declared = req.app_data::<web::Data<DeclaredMethods>>();
    match declared.and_then(|d| d.allowed(req.path())) {
        Some(allow) if !allow.split(", ").any(|m| m == req.method().as_str()) => {
            actix_web::error::InternalError::from_response(ApiError::MethodNotAllowed, method_not_allowed(allow)).into()
        }
        _ => extractors::path_error(err, req),
    }
}

/// The 405 problem with `Allow` naming the methods the path has.
fn method_not_allowed(allow: &str) -> actix_web::HttpResponse {
    use actix_web::ResponseError;
    let mut res = ApiError::MethodNotAllowed.error_response();
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(allow) {
        res.headers_mut().insert(actix_web::http::header::ALLOW, value);
    }
    res
}

/// No route for this path and method: 405 with `Allow` when the path exists with other methods.
async fn api_not_found(req: actix_web::HttpRequest, declared: web::Data<DeclaredMethods>) -> actix_web::HttpResponse {
    use actix_web::ResponseError;
    match declared.allowed(req.path()) {
        Some(allow) => method_not_allowed(allow),
        None => ApiError::NotFound("route").error_response(),
    }
}

/// Another server changed accounts or roles: forget the callers loaded before. The thread ends
/// with the application (its cache gone).
fn listen_for_callers(url: String, callers: std::sync::Weak<crate::auth::CallerCache>) -> anyhow::Result<()> {
    std::thread::Builder::new().name("listen-callers".into()).spawn(move || {
        db::notify::listen(&url, db::notify::CALLERS, |changed| {
            let Some(callers) = callers.upgrade() else { return false };
            if changed {
                callers.forget_all();
            }
            true
        })
    })?;
    Ok(())
}

impl Application {
    /// Connects, migrates, seeds the demo if asked, and binds the listener.
    pub fn build(config: &Config) -> anyhow::Result<Application> {
        let pool = db::connect(&config.database_url, config.pool_size)?;
        let demo_seeded = {
            let mut conn = pool.get().context("no database connection")?;
            let applied = db::migrate(&mut conn)?;
            if !applied.is_empty() {
                tracing::info!(migrations = ?applied, "database migrated");
            }
            let interrupted = db::imports::fail_interrupted(
                &mut conn,
                "the server stopped while this import ran; nothing after the last saved chunk was imported",
                db::now(),
            )?;
            if interrupted > 0 {
                tracing::warn!(interrupted, "imports interrupted by a restart marked failed");
            }
            config.demo && demo::seed_if_empty(&mut conn)?
        };
        let db = Db::new(pool, &config.database_url, config.db_concurrency);
        let callers = std::sync::Arc::new(crate::auth::CallerCache::default());
        if let db::DbUrl::Postgres(url) = &config.database_url {
            listen_for_callers(url.clone(), std::sync::Arc::downgrade(&callers))?;
        }
        let state = web::Data::new(AppState {
            db: db.clone(),
            tokens: TokenKeys::new(&config.jwt_secret),
            throttle: LoginThrottle::default(),
            lookups: LookupThrottle,
            secure_cookies: config.production,
            production: config.production,
            transfer_alert_days: config.transfer_alert_days,
            callers: callers.clone(),
            imports: Default::default(),
            files: crate::files::FileStore::new(&config.files_dir),
        });
        let openapi = ApiDoc::openapi();
        let declared = web::Data::new(DeclaredMethods::of(&openapi));
        let spa_source = config.spa_dir.clone().map_or(spa::SpaSource::Embedded, spa::SpaSource::Dir);
        let listener = TcpListener::bind(&config.bind_addr)
            .with_context(|| format!("cannot listen on {} (BIND_ADDR)", config.bind_addr))?;
        let port = listener.local_addr()?.port();
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(declared.clone())
                .app_data(web::JsonConfig::default().limit(JSON_LIMIT).error_handler(extractors::json_error))
                .app_data(web::PathConfig::default().error_handler(path_error))
                .app_data(web::QueryConfig::default().error_handler(extractors::query_error))
                .app_data(web::PayloadConfig::new(JSON_LIMIT))
                .wrap(from_fn(idempotency::idempotency))
                .wrap(from_fn(error::localize))
                .wrap(Compress::default())
                .wrap(TracingLogger::default())
                .wrap(from_fn(headers::security_headers))
                .service(SwaggerUi::new("/api/v1/docs/{_:.*}").url("/api/v1/openapi.json", openapi.clone()))
                .service(web::scope("/api/v1").configure(routes::configure).default_service(web::to(api_not_found)))
                .service(web::scope("/api").default_service(web::to(api_not_found)))
                .configure(|cfg| spa::configure(cfg, spa_source.clone()))
        })
        .listen(listener)?;
        if let Some(workers) = config.workers {
            server = server.workers(workers);
        }
        Ok(Application { server: server.run(), port, db, callers, demo_seeded })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The callers' cache (a test that changes accounts behind the API clears it, as the API does).
    pub fn callers(&self) -> std::sync::Arc<crate::auth::CallerCache> {
        self.callers.clone()
    }

    /// The database handle (tests arrange data through it).
    pub fn db(&self) -> Db {
        self.db.clone()
    }

    /// Serves until the process is stopped.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
