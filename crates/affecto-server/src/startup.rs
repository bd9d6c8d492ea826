//! Building the HTTP server: middleware, routes, the docs and the web app.

use std::net::TcpListener;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::Server;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::middleware::{Compress, DefaultHeaders, ErrorHandlers};
use actix_web::{web, App, HttpServer};
use tracing_actix_web::TracingLogger;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::{envelope_errors, form_error, json_error, path_error, query_error};
use crate::openapi::ApiDoc;
use crate::routes;
use crate::state::AppState;

/// JSON bodies above this size are refused with 413 before being read.
const JSON_LIMIT_BYTES: usize = 256 * 1024;
const FORM_LIMIT_BYTES: usize = 8 * 1024;

/// The web app needs `wasm-unsafe-eval` to compile its WASM and nothing looser.
const APP_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; \
    frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// The API docs page (Swagger UI) styles some elements inline; only it gets that.
const DOCS_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
    frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

/// Starts serving on `listener`; the returned server runs until stopped or until the
/// process gets SIGTERM or SIGINT, when it finishes the requests in flight.
pub fn run(listener: TcpListener, state: AppState) -> std::io::Result<Server> {
    let web_app = crate::web::built_app_dir(&state.settings.web_dir);
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        let settings = &data.settings;
        App::new()
            .app_data(data.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(JSON_LIMIT_BYTES)
                    .error_handler(json_error),
            )
            .app_data(
                web::FormConfig::default()
                    .limit(FORM_LIMIT_BYTES)
                    .error_handler(form_error),
            )
            .app_data(web::QueryConfig::default().error_handler(query_error))
            .app_data(web::PathConfig::default().error_handler(path_error))
            .wrap(ErrorHandlers::new().default_handler(envelope_errors))
            .wrap(Compress::default())
            .wrap(security_headers())
            .wrap(actix_web::middleware::from_fn(content_security_policy))
            .wrap(cors(&settings.cors_origins))
            .wrap(actix_web::middleware::from_fn(crate::metrics::observe))
            .wrap(TracingLogger::default())
            .configure(routes::configure)
            .route("/metrics", web::get().to(crate::metrics::metrics))
            .service(
                SwaggerUi::new("/docs/{_:.*}").url("/api-docs/openapi.json", ApiDoc::openapi()),
            )
            .configure(crate::web::configure(web_app.clone()))
    })
    .listen(listener)?
    .shutdown_timeout(10)
    .run();
    Ok(server)
}

fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "no-referrer"))
}

/// The strict policy everywhere but on the API docs page.
async fn content_security_policy(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let policy = if req.path().starts_with("/docs") {
        DOCS_POLICY
    } else {
        APP_POLICY
    };
    let mut res = next.call(req).await?;
    res.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(policy),
    );
    Ok(res)
}

/// Cross-origin calls are allowed from the configured ENT origins only.
fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(["GET", "POST"])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .max_age(3600)
}
