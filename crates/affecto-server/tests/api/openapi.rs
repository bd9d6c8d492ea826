//! The committed contract is the one the code serves.

use crate::common::Backend;
use crate::spawn_or_skip;

#[test]
fn the_committed_spec_matches_the_code() {
    let committed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../api-spec/openapi.json"
    ))
    .expect("api-spec/openapi.json exists");
    let generated = affecto_server::openapi::pretty_json();
    assert!(
        committed == generated,
        "api-spec/openapi.json is out of date: run `cargo run -p affecto-server --bin affecto -- openapi > api-spec/openapi.json`"
    );
}

#[actix_web::test]
async fn the_spec_and_the_docs_page_are_served() {
    let app = spawn_or_skip!(Backend::Sqlite);
    let spec = app
        .client
        .get(app.url("/api-docs/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(spec.status(), 200);
    let spec: serde_json::Value = spec.json().await.unwrap();
    assert_eq!(spec["info"]["title"], "Affecto API");
    let docs = app.client.get(app.url("/docs/")).send().await.unwrap();
    assert_eq!(docs.status(), 200);
    assert!(
        docs.text().await.unwrap().contains("swagger"),
        "the docs page is Swagger UI, served from the binary"
    );
}
