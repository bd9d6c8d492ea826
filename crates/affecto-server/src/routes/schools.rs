//! The schools a caller may see.

use actix_web::web;
use affecto_api_types::{ErrorBody, School, SchoolList};
use affecto_domain::Uai;
use affecto_store::schools::{find_visible_school, visible_schools, SchoolRow};
use affecto_store::DbConnection;

use crate::auth::{Principal, Scope};
use crate::error::ApiError;
use crate::state::AppState;

/// The school named by `uai` in a path, if `principal` may see it with `scope`. A
/// school the caller may not see answers 404, exactly like one that does not exist.
pub fn visible_school(
    conn: &mut DbConnection,
    principal: &Principal,
    uai: &str,
    scope: Scope,
) -> Result<SchoolRow, ApiError> {
    principal.require(scope)?;
    let uai = parse_uai(uai)?;
    find_visible_school(conn, principal.viewer(), uai.as_str())?.ok_or(ApiError::NotFound)
}

/// The UAI of a path, or 400 when it is not one.
pub fn parse_uai(uai: &str) -> Result<Uai, ApiError> {
    Uai::parse(uai).map_err(|e| ApiError::BadRequest(e.to_string()))
}

/// Lists the schools the caller may see.
#[utoipa::path(get, path = "/api/v1/schools", tag = "schools",
    responses(
        (status = 200, body = SchoolList),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_schools(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<SchoolList>, ApiError> {
    principal.require(Scope::LicencesRead)?;
    let rows = state
        .db(move |conn| Ok(visible_schools(conn, principal.viewer())?))
        .await?;
    Ok(web::Json(SchoolList {
        schools: rows.into_iter().map(School::from).collect(),
    }))
}

/// One school.
#[utoipa::path(get, path = "/api/v1/schools/{uai}", tag = "schools",
    params(("uai" = String, Path, description = "The school's UAI, e.g. 0020002S", pattern = "^[0-9]{7}[A-Za-z]$")),
    responses(
        (status = 200, body = School),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn get_school(
    state: web::Data<AppState>,
    principal: Principal,
    uai: web::Path<String>,
) -> Result<web::Json<School>, ApiError> {
    let school = state
        .read(move |conn| visible_school(conn, &principal, &uai, Scope::LicencesRead))
        .await?;
    Ok(web::Json(school.into()))
}
