//! Logs say what happened without passwords, tokens, secrets or people's names.

use serde_json::{json, Value};

use crate::db::{Backend, TestDb};
use crate::server::{client, get, login, product_id, Server, COLLEGE, SEEDED};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_hold_no_password_token_secret_or_student_name() {
    let db = TestDb::create(Backend::Sqlite).unwrap();
    let server = Server::start(
        &db.url,
        SEEDED,
        true,
        &[("RUST_LOG", "debug"), ("AFFECTO_ENV", "development")],
    );
    let http = client();
    let token = login(&http, &server).await;
    let wrong = http
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"email": "admin@college-demo.fr", "password": "not-the-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", "demo-ent"),
        ("client_secret", "demo-ent-secret"),
    ];
    let client_token: Value = http
        .post(server.url("/api/v1/auth/token"))
        .form(&form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let english = product_id(&http, &server, &token, "I Bet You Can! 6e (2017)").await;
    let classes = get(
        &http,
        &server,
        &format!("/api/v1/schools/{COLLEGE}/classes?level=6e"),
        &token,
    )
    .await;
    let class = classes["classes"][0]["id"].as_i64().unwrap();
    let students = get(
        &http,
        &server,
        &format!("/api/v1/schools/{COLLEGE}/classes/{class}/students?product_id={english}"),
        &token,
    )
    .await;
    let student = &students["students"][0];
    let path = format!("/api/v1/schools/{COLLEGE}/products/{english}/assignments");
    let res = http
        .post(server.url(&path))
        .bearer_auth(&token)
        .json(&json!({"audience": "student", "assign": [student["id"]]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let log = server.log();

    assert!(
        log.contains("assignments changed"),
        "the change is logged: {log}"
    );
    let secrets = [
        "not-the-password".to_owned(),
        "demo-ent-secret".to_owned(),
        token.clone(),
        client_token["access_token"].as_str().unwrap().to_owned(),
        student["login"].as_str().unwrap().to_owned(),
        format!(
            "{} {}",
            student["first_name"].as_str().unwrap(),
            student["last_name"].as_str().unwrap()
        ),
    ];
    for secret in &secrets {
        assert!(!log.contains(secret.as_str()), "the log holds {secret:?}");
    }
    assert!(
        !log.contains("admin@college-demo.fr"),
        "no email in the log"
    );
}
