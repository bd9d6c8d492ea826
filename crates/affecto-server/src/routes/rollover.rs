//! The yearly automatic unassignment of student licences: what it will release, and
//! the operator's manual run.

use actix_web::web;
use affecto_api_types::{ErrorBody, RolloverOutcome, RolloverPreview};
use affecto_domain::SchoolYear;
use affecto_store::{rollover, DbConnection};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Principal, PrincipalKind, Scope};
use crate::error::ApiError;
use crate::routes::schools::visible_school;
use crate::state::AppState;

/// The school year the next run is for: the first one from the latest due that has
/// not run yet (the operator may have run next year's early).
fn next_school_year(
    conn: &mut DbConnection,
    latest_due: SchoolYear,
    school_id: i64,
) -> Result<SchoolYear, ApiError> {
    let mut school_year = latest_due;
    while rollover::is_done(conn, school_id, school_year)? {
        school_year = school_year.next();
    }
    Ok(school_year)
}

/// What the next yearly unassignment will take back, and when.
#[utoipa::path(get, path = "/api/v1/schools/{uai}/rollover", tag = "school year",
    params(("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$")),
    responses(
        (status = 200, body = RolloverPreview),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn preview_rollover(
    state: web::Data<AppState>,
    principal: Principal,
    uai: web::Path<String>,
) -> Result<web::Json<RolloverPreview>, ApiError> {
    let auto_unassign = state.settings.auto_unassign;
    let latest_due = auto_unassign.latest_due(state.settings.clock.today());
    let preview = state
        .db(move |conn| {
            let school = visible_school(conn, &principal, &uai, Scope::LicencesRead)?;
            let school_year = next_school_year(conn, latest_due, school.id)?;
            let releases = rollover::releases(conn, school.id)?;
            Ok(RolloverPreview {
                school_year: school_year.to_string(),
                date: auto_unassign.date_for(school_year),
                total: releases.iter().map(|r| r.student_licences).sum(),
                releases,
                last_run: rollover::last_run(conn, school.id)?,
            })
        })
        .await?;
    Ok(web::Json(preview))
}

/// Options of a manual run.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunOptions {
    /// Tell what the run would release, changing nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// Runs the next yearly unassignment of the school now (operator only). The run of
/// the date then finds it done: it happens once per school year.
#[utoipa::path(post, path = "/api/v1/schools/{uai}/rollover", tag = "school year",
    params(("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"), RunOptions),
    responses(
        (status = 200, body = RolloverOutcome),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "Only the platform operator may run it by hand", body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn run_rollover(
    state: web::Data<AppState>,
    principal: Principal,
    uai: web::Path<String>,
    options: web::Query<RunOptions>,
) -> Result<web::Json<RolloverOutcome>, ApiError> {
    let dry_run = options.dry_run;
    let clock = state.settings.clock.clone();
    let latest_due = state.settings.auto_unassign.latest_due(clock.today());
    let outcome = state
        .db(move |conn| {
            let school = visible_school(conn, &principal, &uai, Scope::AssignmentsWrite)?;
            if principal.kind != PrincipalKind::Operator {
                return Err(ApiError::Forbidden(Scope::AssignmentsWrite));
            }
            let school_year = next_school_year(conn, latest_due, school.id)?;
            let would_release: u32 = rollover::releases(conn, school.id)?.iter().map(|r| r.student_licences).sum();
            let released = if dry_run { Some(would_release) } else { rollover::run(conn, school.id, school_year, clock.now_naive())? };
            if !dry_run {
                tracing::info!(school = %school.uai, school_year = %school_year, released = ?released, "yearly unassignment run by the operator");
            }
            Ok(RolloverOutcome {
                school_year: school_year.to_string(),
                dry_run,
                already_done: released.is_none(),
                released: released.unwrap_or(0),
            })
        })
        .await?;
    Ok(web::Json(outcome))
}
