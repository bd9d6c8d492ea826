//! The HTTP routes, one module per area of the API.

pub mod access;
pub mod assignments;
pub mod auth;
pub mod health;
pub mod licences;
pub mod roster;
pub mod schools;

use actix_web::web;

/// Mounts every `/api/v1` route.
pub fn api(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .service(auth::login)
            .service(auth::token)
            .service(schools::list_schools)
            .service(schools::get_school)
            .service(licences::list_licences)
            .service(licences::get_product_licences)
            .service(roster::list_classes)
            .service(roster::list_class_students)
            .service(roster::list_teachers)
            .service(assignments::change_assignments)
            .service(access::check_access)
            .service(access::list_user_licences),
    );
}
