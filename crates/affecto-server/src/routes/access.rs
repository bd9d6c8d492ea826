//! What ENT portals ask when a user opens a resource or lists their resources.

use actix_web::web;
use affecto_api_types::{AccessDecision, ErrorBody, Id, UserLicences};
use affecto_store::access::{self, AccessCheck};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Principal, Scope};
use crate::error::ApiError;
use crate::routes::schools::parse_uai;
use crate::state::AppState;

/// The user and the resource of an access check.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccessQuery {
    pub user_id: Id,
    pub product_id: Id,
}

/// Whether the user may open the product now: they hold a licence of it from a pool
/// valid today. Unknown users and products are simply not granted.
#[utoipa::path(get, path = "/api/v1/schools/{uai}/access", tag = "access",
    params(("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"), AccessQuery),
    responses(
        (status = 200, body = AccessDecision),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn check_access(
    state: web::Data<AppState>,
    principal: Principal,
    uai: web::Path<String>,
    query: web::Query<AccessQuery>,
) -> Result<web::Json<AccessDecision>, ApiError> {
    principal.require(Scope::AccessRead)?;
    let uai = parse_uai(&uai)?;
    let AccessQuery {
        user_id,
        product_id,
    } = query.into_inner();
    let check = AccessCheck {
        viewer: principal.viewer(),
        uai: uai.as_str().to_owned(),
        user_id,
        product_id,
        today: state.settings.clock.today(),
    };
    let granted = state.check_access(check).await?.ok_or(ApiError::NotFound)?;
    Ok(web::Json(AccessDecision { granted }))
}

/// The products the user may open now, as an ENT lists them.
#[utoipa::path(get, path = "/api/v1/schools/{uai}/users/{user_id}/licences", tag = "access",
    params(
        ("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"),
        ("user_id" = i64, Path, description = "The user's id"),
    ),
    responses(
        (status = 200, body = UserLicences),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "No such school or user", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_user_licences(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, Id)>,
) -> Result<web::Json<UserLicences>, ApiError> {
    principal.require(Scope::AccessRead)?;
    let (uai, user_id) = path.into_inner();
    let uai = parse_uai(&uai)?;
    let (viewer, today) = (principal.viewer(), state.settings.clock.today());
    let licences = state
        .read(move |conn| {
            access::user_licences(conn, viewer, uai.as_str(), user_id, today)?
                .ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(web::Json(licences))
}
