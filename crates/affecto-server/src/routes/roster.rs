//! Classes, students and teachers, as the assignment screens show them.

use actix_web::web;
use affecto_api_types::{ClassList, ErrorBody, Id, Level, StudentList, TeacherList};
use affecto_store::{licences, roster};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Principal, Scope};
use crate::error::ApiError;
use crate::routes::schools::visible_school;
use crate::state::AppState;

/// Filters of the class list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClassFilter {
    /// Only classes of this level, e.g. `6e`.
    pub level: Option<Level>,
}

/// The school's classes, by level then name, with their headcount.
#[utoipa::path(get, path = "/api/v1/schools/{uai}/classes", tag = "roster",
    params(("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"), ClassFilter),
    responses(
        (status = 200, body = ClassList),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_classes(
    state: web::Data<AppState>,
    principal: Principal,
    uai: web::Path<String>,
    filter: web::Query<ClassFilter>,
) -> Result<web::Json<ClassList>, ApiError> {
    let level = filter.level;
    let classes = state
        .read(move |conn| {
            let school = visible_school(conn, &principal, &uai, Scope::LicencesRead)?;
            Ok(roster::classes(conn, school.id, level)?)
        })
        .await?;
    Ok(web::Json(ClassList { classes }))
}

/// Which product the `assigned` flags are about.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductQuery {
    /// The product whose licences the `assigned` flags tell about.
    pub product_id: Id,
}

/// A class's students, by last name then first name, and whether each holds a valid
/// licence of the product.
#[utoipa::path(get, path = "/api/v1/schools/{uai}/classes/{class_id}/students", tag = "roster",
    params(
        ("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"),
        ("class_id" = i64, Path, description = "The class's id"),
        ProductQuery,
    ),
    responses(
        (status = 200, body = StudentList),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "No such school or class", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_class_students(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, Id)>,
    query: web::Query<ProductQuery>,
) -> Result<web::Json<StudentList>, ApiError> {
    let (uai, class_id) = path.into_inner();
    let product_id = query.product_id;
    let today = state.settings.clock.today();
    let list = state
        .read(move |conn| {
            let school = visible_school(conn, &principal, &uai, Scope::LicencesRead)?;
            roster::class_students(conn, school.id, class_id, product_id, today)?
                .ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(web::Json(list))
}

/// Which teachers to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TeacherQuery {
    /// The product whose subjects select the teachers and whose licences the
    /// `assigned` flags tell about.
    pub product_id: Id,
    /// Every teacher of the school rather than those of the product's subjects.
    #[serde(default)]
    pub all: bool,
}

/// Teachers of the product's subjects (or all teachers), by last name then first
/// name, and whether each holds a valid licence of the product.
#[utoipa::path(get, path = "/api/v1/schools/{uai}/teachers", tag = "roster",
    params(("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"), TeacherQuery),
    responses(
        (status = 200, body = TeacherList),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "No such school, or the school has no pool of this product", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_teachers(
    state: web::Data<AppState>,
    principal: Principal,
    uai: web::Path<String>,
    query: web::Query<TeacherQuery>,
) -> Result<web::Json<TeacherList>, ApiError> {
    let TeacherQuery { product_id, all } = query.into_inner();
    let today = state.settings.clock.today();
    let list = state
        .read(move |conn| {
            let school = visible_school(conn, &principal, &uai, Scope::LicencesRead)?;
            if licences::school_pools(conn, school.id, Some(product_id))?.is_empty() {
                return Err(ApiError::NotFound);
            }
            Ok(roster::teachers(conn, school.id, product_id, all, today)?)
        })
        .await?;
    Ok(web::Json(list))
}
