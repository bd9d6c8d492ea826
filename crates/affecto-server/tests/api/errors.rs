//! Bad input gets a clear 4xx in the JSON envelope and changes nothing.

use serde_json::{json, Value};

use crate::common::{Backend, TestApp, COLLEGE, COLLEGE_ADMIN};
use crate::{on_both_backends, spawn_or_skip};

on_both_backends!(
    health_and_readiness_answer,
    hostile_bodies_get_a_clear_error_and_change_nothing,
    bad_paths_and_queries_get_a_clear_error,
);

async fn send_raw(
    app: &TestApp,
    token: &str,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let res = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let is_json = res
        .headers()
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap().starts_with("application/json"));
    assert!(is_json, "{path}: error answered as JSON");
    (status, res.json().await.unwrap())
}

async fn health_and_readiness_answer(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let health = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
}

async fn hostile_bodies_get_a_clear_error_and_change_nothing(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.login(COLLEGE_ADMIN).await;
    let english = app.product_id(&token, "I Bet You Can! 6e (2017)").await;
    let path = format!("/api/v1/schools/{COLLEGE}/products/{english}/assignments");
    let json_type = "application/json";

    let nested = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let huge = format!(
        "{{\"audience\":\"student\",\"assign\":[{}1]}}",
        "1,".repeat(200_000)
    );
    let ten_thousand: Vec<i64> = (1..=10_000).collect();
    let cases: Vec<(&str, Vec<u8>, u16, &str)> = vec![
        (
            json_type,
            b"{\"audience\": \"student\", \"assign\": [1,".to_vec(),
            400,
            "bad_request",
        ),
        (json_type, nested.into_bytes(), 400, "bad_request"),
        (json_type, huge.into_bytes(), 413, "payload_too_large"),
        (json_type, vec![b'{', 0xff, 0xfe, b'}'], 400, "bad_request"),
        (
            json_type,
            br#"{"audience": "student", "assign": ["12"]}"#.to_vec(),
            400,
            "bad_request",
        ),
        (
            json_type,
            br#"{"audience": "student", "assign": [-1.5]}"#.to_vec(),
            400,
            "bad_request",
        ),
        (
            json_type,
            br#"{"audience": "admin", "assign": [1]}"#.to_vec(),
            400,
            "bad_request",
        ),
        (
            json_type,
            br#"{"audience": "student", "assign": [1], "extra": true}"#.to_vec(),
            400,
            "bad_request",
        ),
        (
            json_type,
            br#"{"audience": "student'; DROP TABLE assignments; --", "assign": [1]}"#.to_vec(),
            400,
            "bad_request",
        ),
        (
            json_type,
            json!({"audience": "student", "assign": ten_thousand})
                .to_string()
                .into_bytes(),
            422,
            "invalid_input",
        ),
        (
            "text/plain",
            br#"{"audience": "student", "assign": [1]}"#.to_vec(),
            415,
            "unsupported_media_type",
        ),
    ];
    for (content_type, body, status, code) in cases {
        let (got, error) = send_raw(&app, &token, &path, content_type, body).await;
        assert_eq!(
            (got, error["error"]["code"].as_str()),
            (status, Some(code)),
            "{error}"
        );
        assert!(error["error"]["message"].is_string());
    }
    assert_eq!(app.counts(&token, english).await, (88, 88, 0));
}

async fn bad_paths_and_queries_get_a_clear_error(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.login(COLLEGE_ADMIN).await;
    let cases = [
        ("/api/v1/no-such-route", 404, "not_found"),
        ("/api/v1/schools/not-a-uai/licences", 400, "bad_request"),
        (
            "/api/v1/schools/0020002S'%20OR%20'1'='1/licences",
            400,
            "bad_request",
        ),
        ("/api/v1/schools/9999999Z/licences", 404, "not_found"),
        ("/api/v1/schools/0020002S/licences/abc", 400, "bad_request"),
        (
            "/api/v1/schools/0020002S/licences/99999999999999999999",
            400,
            "bad_request",
        ),
        ("/api/v1/schools/0020002S/licences/424242", 404, "not_found"),
        (
            "/api/v1/schools/0020002S/classes/1/students",
            400,
            "bad_request",
        ),
        (
            "/api/v1/schools/0020002S/classes/1/students?product_id=x",
            400,
            "bad_request",
        ),
        (
            "/api/v1/schools/0020002S/access?user_id=1",
            400,
            "bad_request",
        ),
        (
            "/api/v1/schools/0020002S/teachers?product_id=1&all=maybe",
            400,
            "bad_request",
        ),
        ("/api/v1/auth/login", 405, "method_not_allowed"),
    ];
    for (path, status, code) in cases {
        let (got, error) = app.get(path, &token).await;
        assert_eq!(
            (got, error["error"]["code"].as_str()),
            (status, Some(code)),
            "{path}: {error}"
        );
    }
    let (status, error) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/licences"),
            "not-a-token",
        )
        .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (401, Some("unauthorized"))
    );
}
