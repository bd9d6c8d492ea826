//! The audit record of assignment changes, and exports of the licences held.

use actix_web::{web, HttpRequest, HttpResponse};
use affecto_api_types::{AssignmentList, AssignmentRow, AuditEvent, AuditPage, ErrorBody, Id};
use affecto_store::audit::{self, AuditFilter, HeldBy};
use affecto_store::{licences, roster};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Principal, Scope};
use crate::csv;
use crate::error::ApiError;
use crate::routes::schools::visible_school;
use crate::state::AppState;

const DEFAULT_PAGE: i64 = 50;
const MAX_PAGE: i64 = 500;
/// A CSV export holds the whole filtered record, up to this many events.
const MAX_EXPORT: i64 = 100_000;

/// Filters and paging of the audit record.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    pub product_id: Option<Id>,
    pub user_id: Option<Id>,
    /// Events at or after this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Events before this instant (RFC 3339).
    pub until: Option<DateTime<Utc>>,
    /// The `next_before` of the previous page.
    pub before: Option<Id>,
    /// Events per page, 1 to 500 (50 by default).
    pub limit: Option<i64>,
}

impl AuditQuery {
    fn filter(&self, limit: i64) -> AuditFilter {
        AuditFilter {
            product_id: self.product_id,
            user_id: self.user_id,
            from: self.from.map(|t| t.naive_utc()),
            until: self.until.map(|t| t.naive_utc()),
            before: self.before,
            limit,
        }
    }
}

/// The school's assignment changes, newest first: who (an administrator, an API
/// client or the system), when, which product and user, through which channel. Sent as
/// CSV with `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/schools/{uai}/audit", tag = "audit",
    params(("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"), AuditQuery),
    responses(
        (status = 200, content((AuditPage = "application/json"), (String = "text/csv"))),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_audit(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    uai: web::Path<String>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    if csv::wants_csv(req.headers()) {
        return audit_csv(state, principal, uai, query).await;
    }
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest(format!(
            "limit must be between 1 and {MAX_PAGE}"
        )));
    }
    let filter = query.filter(limit);
    let events = state
        .db(move |conn| {
            let school = visible_school(conn, &principal, &uai, Scope::LicencesRead)?;
            Ok(audit::events(conn, school.id, &filter)?)
        })
        .await?;
    let next_before = (events.len() as i64 == limit)
        .then(|| events.last().map(|e| e.id))
        .flatten();
    Ok(HttpResponse::Ok().json(AuditPage {
        events,
        next_before,
    }))
}

/// The filtered audit record as a CSV file.
#[utoipa::path(get, path = "/api/v1/schools/{uai}/audit.csv", tag = "audit",
    params(("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"), AuditQuery),
    responses(
        (status = 200, content((String = "text/csv"))),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn audit_csv(
    state: web::Data<AppState>,
    principal: Principal,
    uai: web::Path<String>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = query.filter(MAX_EXPORT);
    let zone = state.settings.clock.zone();
    let (school, events) = state
        .db(move |conn| {
            let school = visible_school(conn, &principal, &uai, Scope::LicencesRead)?;
            let events = audit::events(conn, school.id, &filter)?;
            Ok((school.uai, events))
        })
        .await?;
    let headers = [
        "Date",
        "Action",
        "Produit",
        "Identifiant",
        "Utilisateur",
        "Acteur",
        "Canal",
        "Lot",
    ];
    let rows = events.into_iter().map(|e| audit_line(e, zone));
    Ok(csv::response(
        &format!("journal-{school}.csv"),
        csv::document(&headers, rows),
    ))
}

fn local_time(at: DateTime<Utc>, zone: Tz) -> String {
    at.with_timezone(&zone)
        .format("%d/%m/%Y %H:%M:%S")
        .to_string()
}

fn audit_line(event: AuditEvent, zone: Tz) -> Vec<String> {
    let action = if event.action == "assign" {
        "Affectation"
    } else {
        "Désaffectation"
    };
    vec![
        local_time(event.at, zone),
        action.into(),
        event.product_title,
        event
            .user_login
            .unwrap_or_else(|| format!("(utilisateur {} retiré)", event.user_id)),
        event.user_name.unwrap_or_default(),
        event.actor,
        event.channel,
        event.batch_id,
    ]
}

fn assignment_line(row: AssignmentRow) -> Vec<String> {
    let audience = match row.audience {
        affecto_api_types::Audience::Student => "Élève",
        affecto_api_types::Audience::Teacher => "Enseignant",
    };
    vec![
        row.first_name,
        row.last_name,
        row.login,
        row.class.unwrap_or_default(),
        audience.into(),
        row.product_title,
        row.valid_until.format("%d/%m/%Y").to_string(),
    ]
}

const ASSIGNMENT_HEADERS: [&str; 7] = [
    "Prénom",
    "Nom",
    "Identifiant",
    "Classe",
    "Public",
    "Produit",
    "Fin validité",
];

/// Answers a list of licences held as JSON, or as CSV when asked.
fn assignments_answer(rows: Vec<AssignmentRow>, as_csv: bool, filename: String) -> HttpResponse {
    if as_csv {
        csv::response(
            &filename,
            csv::document(&ASSIGNMENT_HEADERS, rows.into_iter().map(assignment_line)),
        )
    } else {
        HttpResponse::Ok().json(AssignmentList { assignments: rows })
    }
}

/// The valid licences of a product or a class of the school, after checking the
/// school may be seen and has that product or class.
async fn holders(
    state: web::Data<AppState>,
    principal: Principal,
    uai: String,
    held_by: HeldBy,
) -> Result<(String, Vec<AssignmentRow>), ApiError> {
    let today = state.settings.clock.today();
    state
        .db(move |conn| {
            let school = visible_school(conn, &principal, &uai, Scope::LicencesRead)?;
            let exists = match held_by {
                HeldBy::Product(id) => {
                    !licences::school_pools(conn, school.id, Some(id))?.is_empty()
                }
                HeldBy::Class(id) => roster::class(conn, school.id, id)?.is_some(),
            };
            if !exists {
                return Err(ApiError::NotFound);
            }
            Ok((
                school.uai,
                audit::held_licences(conn, school.id, held_by, today)?,
            ))
        })
        .await
}

/// Who holds a valid licence of the product, by name. CSV with `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/schools/{uai}/products/{product_id}/assignments", tag = "assignments",
    params(("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"), ("product_id" = i64, Path, description = "The product's id")),
    responses(
        (status = 200, content((AssignmentList = "application/json"), (String = "text/csv"))),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_product_assignments(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    path: web::Path<(String, Id)>,
) -> Result<HttpResponse, ApiError> {
    let (uai, product_id) = path.into_inner();
    let (uai, rows) = holders(state, principal, uai, HeldBy::Product(product_id)).await?;
    Ok(assignments_answer(
        rows,
        csv::wants_csv(req.headers()),
        format!("affectations-{uai}.csv"),
    ))
}

/// The same list as a CSV file.
#[utoipa::path(get, path = "/api/v1/schools/{uai}/products/{product_id}/assignments.csv", tag = "assignments",
    params(("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"), ("product_id" = i64, Path, description = "The product's id")),
    responses(
        (status = 200, content((String = "text/csv"))),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn product_assignments_csv(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, Id)>,
) -> Result<HttpResponse, ApiError> {
    let (uai, product_id) = path.into_inner();
    let (uai, rows) = holders(state, principal, uai, HeldBy::Product(product_id)).await?;
    Ok(assignments_answer(
        rows,
        true,
        format!("affectations-{uai}.csv"),
    ))
}

/// The valid licences held by the students of a class. CSV with `Accept: text/csv`.
#[utoipa::path(get, path = "/api/v1/schools/{uai}/classes/{class_id}/assignments", tag = "assignments",
    params(("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"), ("class_id" = i64, Path, description = "The class's id")),
    responses(
        (status = 200, content((AssignmentList = "application/json"), (String = "text/csv"))),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_class_assignments(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    path: web::Path<(String, Id)>,
) -> Result<HttpResponse, ApiError> {
    let (uai, class_id) = path.into_inner();
    let (uai, rows) = holders(state, principal, uai, HeldBy::Class(class_id)).await?;
    Ok(assignments_answer(
        rows,
        csv::wants_csv(req.headers()),
        format!("affectations-classe-{uai}.csv"),
    ))
}

/// The same list as a CSV file.
#[utoipa::path(get, path = "/api/v1/schools/{uai}/classes/{class_id}/assignments.csv", tag = "assignments",
    params(("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$"), ("class_id" = i64, Path, description = "The class's id")),
    responses(
        (status = 200, content((String = "text/csv"))),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn class_assignments_csv(
    state: web::Data<AppState>,
    principal: Principal,
    path: web::Path<(String, Id)>,
) -> Result<HttpResponse, ApiError> {
    let (uai, class_id) = path.into_inner();
    let (uai, rows) = holders(state, principal, uai, HeldBy::Class(class_id)).await?;
    Ok(assignments_answer(
        rows,
        true,
        format!("affectations-classe-{uai}.csv"),
    ))
}
