//! The single-page web app: its files, and `index.html` for every other page path so
//! that deep links such as `/etablissements/0020002S/licences` reload.

use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{fn_service, ServiceRequest, ServiceResponse};
use actix_web::web;

use crate::error::ApiError;

/// Serves `dir` at `/`, falling back to its `index.html`. Paths under `/api/` never fall
/// back: an unknown API route is a JSON 404.
pub fn app(dir: PathBuf) -> Files {
    let index = dir.join("index.html");
    Files::new("/", dir)
        .index_file("index.html")
        .default_handler(fn_service(move |req: ServiceRequest| {
            let index = index.clone();
            async move {
                let (req, _) = req.into_parts();
                if req.path().starts_with("/api/") {
                    return Ok(ServiceResponse::from_err(ApiError::NotFound, req));
                }
                let file = NamedFile::open_async(&index)
                    .await
                    .map_err(|_| ApiError::NotFound)?;
                let res = file.into_response(&req);
                Ok(ServiceResponse::new(req, res))
            }
        }))
}

/// The web app's folder if it was built, so that the API still runs without it.
pub fn built_app_dir(dir: &Path) -> Option<PathBuf> {
    if dir.join("index.html").is_file() {
        Some(dir.to_path_buf())
    } else {
        tracing::warn!(dir = %dir.display(), "web app not built; run `cargo xtask frontend` to serve it");
        None
    }
}

/// Registers the web app when there is one.
pub fn configure(dir: Option<PathBuf>) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg| {
        if let Some(dir) = dir {
            cfg.service(app(dir));
        }
    }
}
