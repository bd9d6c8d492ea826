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
    assert!(text.contains("affecto_db_pool_max_connections 16"));
    assert!(!text.contains(COLLEGE), "no school in a label");
    assert!(!text.contains("admin@"), "no person in a label");
}
