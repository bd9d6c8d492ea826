//! Orders ("commandes"): distributors and the operator record what a school bought,
//! with the fields they already send to the GAR subscription service.

use actix_web::{web, HttpResponse};
use affecto_api_types::{ErrorBody, OrderOutcome, OrderRequest};
use affecto_domain::Uai;
use affecto_store::orders::{load_order, record_order as record_in_store, OrderInput};
use affecto_store::schools::{find_visible_school, SchoolRow};
use affecto_store::DbConnection;

use crate::auth::{Principal, PrincipalKind, Scope};
use crate::error::ApiError;
use crate::imports::orders::check_order;
use crate::state::AppState;

/// Records an order, or updates the one this distributor sent with the same
/// `order_id` (so a retry is safe). The product is added to the catalogue the first
/// time it is ordered. An order cannot shrink below the licences already assigned
/// from it. Needs the `orders:write` scope and, for an API client, a grant on the
/// school.
#[utoipa::path(post, path = "/api/v1/schools/{uai}/orders", tag = "orders",
    params(("uai" = String, Path, description = "The school's UAI", pattern = "^[0-9]{7}[A-Za-z]$")),
    request_body = OrderRequest,
    responses(
        (status = 201, description = "A new order was recorded", body = OrderOutcome),
        (status = 200, description = "An order sent before with this id was updated", body = OrderOutcome),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "The order would go below the licences assigned from it (`order_below_assigned`, with `assigned` and `requested`), or a concurrent change (`conflict`); nothing was changed", body = ErrorBody),
        (status = 413, body = ErrorBody),
        (status = 415, body = ErrorBody),
        (status = 422, description = "A field is refused, or the order id was used for another school or product", body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn record_order(
    state: web::Data<AppState>,
    principal: Principal,
    uai: web::Path<String>,
    body: web::Json<OrderRequest>,
) -> Result<HttpResponse, ApiError> {
    let order = body.into_inner();
    let clock = state.settings.clock.clone();
    let outcome = state
        .db(move |conn| {
            let school = ordering_school(conn, &principal, &uai)?;
            check_order(&order).map_err(ApiError::InvalidInput)?;
            let distributor = distributor_of(&principal);
            let recorded = record_in_store(
                conn,
                &OrderInput {
                    distributor: &distributor,
                    school_id: school.id,
                    request: &order,
                    recorded_by: &principal.actor().label,
                    now: clock.now_naive(),
                },
            )?;
            tracing::info!(
                school = %school.uai, distributor, created = recorded.created,
                students = order.students, teachers = order.teachers, "order recorded"
            );
            let order = load_order(conn, recorded.id, clock.today())?;
            Ok(OrderOutcome {
                created: recorded.created,
                order,
            })
        })
        .await?;
    let mut response = if outcome.created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(response.json(outcome))
}

/// The school named in the path if the caller may see it, then the scope: a school
/// the caller may not see is a 404 whatever their scopes.
fn ordering_school(
    conn: &mut DbConnection,
    principal: &Principal,
    uai: &str,
) -> Result<SchoolRow, ApiError> {
    let uai = Uai::parse(uai).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let school =
        find_visible_school(conn, principal.viewer(), uai.as_str())?.ok_or(ApiError::NotFound)?;
    principal.require(Scope::OrdersWrite)?;
    Ok(school)
}

/// Whose order ids these are: each API client has its own, the operator has one set.
pub fn distributor_of(principal: &Principal) -> String {
    match principal.kind {
        PrincipalKind::Operator => "operator".into(),
        PrincipalKind::Admin | PrincipalKind::Client => principal.subject(),
    }
}
