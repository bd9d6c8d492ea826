//! The OpenAPI description of the API: the contract ENT integrators code against.
//! `api-spec/openapi.json` is this document, committed; a test keeps them equal.

use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme,
};
use utoipa::{Modify, OpenApi};

use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Affecto API",
        description = "Licence management for schools' digital textbooks: what a school bought, who holds which licence, and whether a user may open a resource.\n\nEvery error is answered as `{\"error\": {\"code\": \"...\", \"message\": \"...\"}}` with a stable snake_case `code`.",
        license(name = "AGPL-3.0-or-later"),
    ),
    paths(
        routes::health::healthz,
        routes::health::readyz,
        routes::auth::login,
        routes::auth::token,
        routes::schools::list_schools,
        routes::schools::get_school,
        routes::licences::list_licences,
        routes::licences::get_product_licences,
        routes::roster::list_classes,
        routes::roster::list_class_students,
        routes::roster::list_teachers,
        routes::roster_import::import_roster,
        routes::orders::record_order,
        routes::products::list_products,
        routes::assignments::change_assignments,
        routes::access::check_access,
        routes::access::list_user_licences,
        routes::audit::list_product_assignments,
        routes::audit::product_assignments_csv,
        routes::audit::list_class_assignments,
        routes::audit::class_assignments_csv,
        routes::audit::list_audit,
        routes::audit::audit_csv,
        routes::rollover::preview_rollover,
        routes::rollover::run_rollover,
    ),
    modifiers(&SecuritySchemes),
    tags(
        (name = "auth", description = "Signing in"),
        (name = "schools", description = "Schools the caller may see"),
        (name = "licences", description = "What a school bought and what is handed out"),
        (name = "roster", description = "Classes, students and teachers, and the directory import"),
        (name = "orders", description = "What schools bought: orders and the product catalogue"),
        (name = "assignments", description = "Handing out and taking back licences"),
        (name = "access", description = "What ENT portals ask when a user opens a resource"),
        (name = "audit", description = "The record of every assignment change"),
        (name = "school year", description = "The yearly automatic unassignment of student licences"),
        (name = "health", description = "Liveness and readiness"),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        let scopes =
            Scopes::from_iter(crate::auth::Scope::ALL.map(|s| (s.as_str(), scope_description(s))));
        components.add_security_scheme(
            "client_credentials",
            SecurityScheme::OAuth2(OAuth2::new([Flow::ClientCredentials(
                ClientCredentials::new("/api/v1/auth/token", scopes),
            )])),
        );
    }
}

fn scope_description(scope: crate::auth::Scope) -> &'static str {
    use crate::auth::Scope::*;
    match scope {
        LicencesRead => "Read licences, classes, students and teachers",
        AssignmentsWrite => "Assign and unassign licences",
        AccessRead => "Check access and list a user's resources",
        RosterWrite => "Import the school directory",
        OrdersWrite => "Record orders",
    }
}

/// The document as committed in `api-spec/openapi.json`.
pub fn pretty_json() -> String {
    let mut json = ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises");
    json.push('\n');
    json
}
