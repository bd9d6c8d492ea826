//! The "Gestion des licences" data: what the school bought and what is handed out.

use actix_web::web;
use affecto_api_types::{ErrorBody, Id, LicenceOverview, ProductLicences};
use affecto_store::licences;

use crate::auth::{Principal, Scope};
use crate::error::ApiError;
use crate::routes::schools::visible_school;
use crate::state::AppState;

/// The school's licences: products with a valid pool, then products with an expired
/// pool, and the day student licences are taken back every year.
#[utoipa::path(get, path = "/api/v1/schools/{uai}/licences", tag = "licences",
    params(("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$")),
    responses(
        (status = 200, body = LicenceOverview),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_licences(
    state: web::Data<AppState>,
    principal: Principal,
    uai: web::Path<String>,
) -> Result<web::Json<LicenceOverview>, ApiError> {
    let today = state.settings.clock.today();
    let auto_unassign = state.settings.auto_unassign;
    let overview = state
        .read(move |conn| {
            let school = visible_school(conn, &principal, &uai, Scope::LicencesRead)?;
            Ok(licences::overview(conn, school.id, today, auto_unassign)?)
        })
        .await?;
    Ok(web::Json(overview))
}

/// One product's pools valid today, with their totals.
#[utoipa::path(get, path = "/api/v1/schools/{uai}/licences/{product_id}", tag = "licences",
    params(
        ("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"),
        ("product_id" = i64, Path, description = "The product's id"),
    ),
    responses(
        (status = 200, body = ProductLicences),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "No such school, or the school has no pool of this product", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn get_product_licences(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, Id)>,
) -> Result<web::Json<ProductLicences>, ApiError> {
    let (uai, product_id) = path.into_inner();
    let today = state.settings.clock.today();
    let entry = state
        .read(move |conn| {
            let school = visible_school(conn, &principal, &uai, Scope::LicencesRead)?;
            licences::product_licences(conn, school.id, product_id, today)?
                .ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(web::Json(entry))
}
