//! The HTTP routes, one module per area of the API.

pub mod access;
pub mod assignments;
pub mod audit;
pub mod auth;
pub mod health;
pub mod licences;
pub mod orders;
pub mod products;
pub mod rollover;
pub mod roster;
pub mod roster_import;
pub mod schools;

use actix_web::web::{self, get, post, resource};

/// Mounts `/healthz`, `/readyz` and every `/api/v1` route. Each path is a resource, so
/// a known path called with another method answers 405 rather than 404.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/healthz").route(get().to(health::healthz)))
        .service(resource("/readyz").route(get().to(health::readyz)))
        .service(web::scope("/api/v1").configure(api));
}

/// Routes are tried in order: the access check, called each time someone opens a
/// resource, comes first.
fn api(cfg: &mut web::ServiceConfig) {
    cfg.service(resource("/schools/{uai}/access").route(get().to(access::check_access)))
        .service(resource("/auth/login").route(post().to(auth::login)))
        .service(resource("/auth/token").route(post().to(auth::token)))
        .service(resource("/schools").route(get().to(schools::list_schools)))
        .service(resource("/schools/{uai}").route(get().to(schools::get_school)))
        .service(resource("/schools/{uai}/licences").route(get().to(licences::list_licences)))
        .service(
            resource("/schools/{uai}/licences/{product_id}")
                .route(get().to(licences::get_product_licences)),
        )
        .service(resource("/schools/{uai}/classes").route(get().to(roster::list_classes)))
        .service(
            resource("/schools/{uai}/classes/{class_id}/students")
                .route(get().to(roster::list_class_students)),
        )
        .service(resource("/schools/{uai}/teachers").route(get().to(roster::list_teachers)))
        .service(
            resource("/schools/{uai}/roster")
                .app_data(web::PayloadConfig::new(roster_import::MAX_FILE_BYTES))
                .route(post().to(roster_import::import_roster)),
        )
        .service(resource("/schools/{uai}/orders").route(post().to(orders::record_order)))
        .service(resource("/products").route(get().to(products::list_products)))
        .service(
            resource("/schools/{uai}/products/{product_id}/assignments")
                .route(post().to(assignments::change_assignments))
                .route(get().to(audit::list_product_assignments)),
        )
        .service(
            resource("/schools/{uai}/products/{product_id}/assignments.csv")
                .route(get().to(audit::product_assignments_csv)),
        )
        .service(
            resource("/schools/{uai}/classes/{class_id}/assignments")
                .route(get().to(audit::list_class_assignments)),
        )
        .service(
            resource("/schools/{uai}/classes/{class_id}/assignments.csv")
                .route(get().to(audit::class_assignments_csv)),
        )
        .service(resource("/schools/{uai}/audit").route(get().to(audit::list_audit)))
        .service(resource("/schools/{uai}/audit.csv").route(get().to(audit::audit_csv)))
        .service(
            resource("/schools/{uai}/rollover")
                .route(get().to(rollover::preview_rollover))
                .route(post().to(rollover::run_rollover)),
        )
        .service(
            resource("/schools/{uai}/users/{user_id}/licences")
                .route(get().to(access::list_user_licences)),
        );
}
