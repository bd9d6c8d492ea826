//! Liveness and readiness, for load balancers and orchestrators.

use actix_web::{web, HttpResponse};
use diesel::connection::SimpleConnection;

use crate::state::AppState;

/// Answers as long as the process serves HTTP; never touches the database.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, description = "The process is up")))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}

/// Answers 200 only when the database answers too.
#[utoipa::path(get, path = "/readyz", tag = "health", responses(
    (status = 200, description = "The database answers"),
    (status = 503, description = "The database does not answer", body = affecto_api_types::ErrorBody),
))]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, crate::error::ApiError> {
    state
        .db(|conn| {
            conn.batch_execute("SELECT 1").map_err(|e| {
                crate::error::ApiError::from(affecto_store::StoreError::Unavailable(e.to_string()))
            })
        })
        .await?;
    Ok(HttpResponse::Ok().content_type("text/plain").body("ready"))
}
