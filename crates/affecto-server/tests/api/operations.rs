//! What operators watch: Prometheus metrics, without personal data.

use crate::common::{Backend, COLLEGE, COLLEGE_ADMIN};
use crate::spawn_or_skip;

#[actix_web::test]
async fn metrics_count_requests_by_route_pattern_and_licences_handed_out() {
    let app = spawn_or_skip!(Backend::Sqlite);
    let token = app.login(COLLEGE_ADMIN).await;
    let english = app.product_id(&token, "I Bet You Can! 6e (2017)").await;
    let student = app.students(&token, COLLEGE, "6e A", english).await[0].0;
    let path = format!("/api/v1/schools/{COLLEGE}/products/{english}/assignments");
    app.post(
        &path,
        &token,
        &serde_json::json!({"audience": "student", "assign": [student]}),
    )
    .await;

    let res = app.client.get(app.url("/metrics")).send().await.unwrap();

    assert_eq!(res.status(), 200);
    let text = res.text().await.unwrap();
    assert!(text.contains(r#"affecto_http_requests_total{method="GET",route="/api/v1/schools/{uai}/licences",status="200"}"#), "{text}");
    assert!(text.contains("affecto_licences_assigned_total 1"));
    let pool_size = app.state.settings.pool_size;
    assert!(text.contains(&format!("affecto_db_pool_max_connections {pool_size}")));
    assert!(!text.contains(COLLEGE), "no school in a label");
    assert!(!text.contains("admin@"), "no person in a label");
}

#[actix_web::test]
async fn responses_carry_security_headers_and_cors_is_closed_by_default() {
    let app = spawn_or_skip!(Backend::Sqlite);

    let res = app
        .client
        .get(app.url("/healthz"))
        .header("origin", "https://ent.example.fr")
        .send()
        .await
        .unwrap();

    let headers = res.headers();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(
        !headers.contains_key("access-control-allow-origin"),
        "no origin is allowed unless configured"
    );
}

#[actix_web::test]
async fn a_configured_ent_origin_may_call_the_api_from_a_browser() {
    let db = crate::common::TestDb::create(Backend::Sqlite).unwrap();
    let clock = affecto_server::clock::Clock::system(chrono_tz::Europe::Paris);
    let mut settings = affecto_server::config::Settings::development(db.url.clone(), clock);
    settings.cors_origins = vec!["https://ent.example.fr".into()];
    let app = crate::common::TestApp::start(db, settings, true).await;

    let preflight = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/schools"))
        .header("origin", "https://ent.example.fr")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "authorization")
        .send()
        .await
        .unwrap();
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://ent.example.fr"
    );

    let other = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/api/v1/schools"))
        .header("origin", "https://evil.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert!(!other.headers().contains_key("access-control-allow-origin"));
}
