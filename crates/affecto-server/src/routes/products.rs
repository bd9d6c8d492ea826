//! The catalogue: every product that was ever ordered.

use actix_web::web;
use affecto_api_types::{ErrorBody, ProductList};
use affecto_store::orders::catalogue;

use crate::auth::{Principal, Scope};
use crate::error::ApiError;
use crate::state::AppState;

/// Lists the catalogue's products by title, with their external ids. Open to tokens
/// with `licences:read` or `orders:write`.
#[utoipa::path(get, path = "/api/v1/products", tag = "orders",
    responses(
        (status = 200, body = ProductList),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
    ),
    security(("bearer" = [])))]
pub async fn list_products(
    state: web::Data<AppState>,
    principal: Principal,
) -> Result<web::Json<ProductList>, ApiError> {
    if !principal.scopes.contains(Scope::OrdersWrite) {
        principal.require(Scope::LicencesRead)?;
    }
    let products = state.db(|conn| Ok(catalogue(conn)?)).await?;
    Ok(web::Json(ProductList { products }))
}
