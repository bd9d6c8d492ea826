//! Signing in, tokens that must be refused, and scopes.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use affecto_server::auth::jwt::{Claims, SigningKeys, AUDIENCE, ISSUER};
use jsonwebtoken::{encode, EncodingKey, Header};
use serde_json::{json, Value};

use crate::common::{Backend, COLLEGE, COLLEGE_ADMIN, LYCEE};
use crate::{on_both_backends, spawn_or_skip};

on_both_backends!(
    a_wrong_password_and_an_unknown_email_are_refused_alike,
    repeated_failed_sign_ins_are_refused_for_a_while,
    hostile_tokens_are_refused,
    client_credentials_give_a_token_limited_to_the_granted_scopes,
    an_operator_sees_every_school,
);

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

async fn a_wrong_password_and_an_unknown_email_are_refused_alike(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let attempt = |email: &'static str, password: &'static str| {
        let request = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"email": email, "password": password}));
        async move {
            let res = request.send().await.unwrap();
            (res.status().as_u16(), res.json::<Value>().await.unwrap())
        }
    };

    let (wrong_status, wrong) = attempt(COLLEGE_ADMIN, "not-the-password").await;
    let (unknown_status, unknown) = attempt("nobody@example.fr", "demo").await;

    assert_eq!((wrong_status, unknown_status), (401, 401));
    assert_eq!(
        wrong, unknown,
        "the answer does not tell whether the email exists"
    );
    let (status, token) = attempt("ADMIN@college-demo.fr ", "demo").await;
    assert_eq!(status, 200, "emails are compared without case or spaces");
    assert_eq!(token["token_type"], "Bearer");
    assert!(token["expires_in"].as_u64().unwrap() > 0);
}

async fn repeated_failed_sign_ins_are_refused_for_a_while(backend: Backend) {
    let app = spawn_or_skip!(backend);
    for _ in 0..5 {
        let res = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"email": COLLEGE_ADMIN, "password": "guess"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 401);
    }

    let res = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": COLLEGE_ADMIN, "password": "demo"}))
        .send()
        .await
        .unwrap();

    assert_eq!(
        res.status(),
        429,
        "even the right password waits once the account is throttled"
    );
    assert!(res.headers().contains_key("retry-after"));
    assert_eq!(
        res.json::<Value>().await.unwrap()["error"]["code"],
        "too_many_requests"
    );
}

fn sign(claims: &Claims, kid: &str, secret: &[u8]) -> String {
    let header = Header {
        kid: Some(kid.into()),
        ..Header::new(jsonwebtoken::Algorithm::HS256)
    };
    encode(&header, claims, &EncodingKey::from_secret(secret)).unwrap()
}

async fn hostile_tokens_are_refused(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let valid = app.login(COLLEGE_ADMIN).await;
    let (_, claims_b64, _) = {
        let mut parts = valid.split('.');
        (
            parts.next().unwrap().to_owned(),
            parts.next().unwrap().to_owned(),
            parts.next().unwrap().to_owned(),
        )
    };
    let dev_secret = b"affecto-development-key-do-not-use-in-production";
    let base = Claims {
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        sub: "admin:1".into(),
        iat: now(),
        exp: now() + 600,
        scope: "licences:read".into(),
    };
    let expired = SigningKeys::development().issue(
        "admin:1".into(),
        "licences:read".into(),
        now() - 7200,
        Duration::from_secs(60),
    );
    let other_key = sign(&base, "dev", b"a-completely-different-secret-of-32-bytes");
    let other_audience = sign(
        &Claims {
            aud: "another-api".into(),
            ..base.clone()
        },
        "dev",
        dev_secret,
    );
    let other_issuer = sign(
        &Claims {
            iss: "someone-else".into(),
            ..base.clone()
        },
        "dev",
        dev_secret,
    );
    let unknown_kid = sign(&base, "k9", dev_secret);
    let none_header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"; // {"alg":"none","typ":"JWT"}
    let alg_none = format!("{none_header}.{claims_b64}.");
    let tampered = {
        let parts: Vec<&str> = valid.split('.').collect();
        let operator = sign(
            &Claims {
                sub: "operator:1".into(),
                ..base.clone()
            },
            "dev",
            b"x-secret-not-the-server-one-32-bytes!",
        );
        let forged_claims = operator.split('.').nth(1).unwrap().to_owned();
        format!("{}.{}.{}", parts[0], forged_claims, parts[2])
    };
    assert!(
        SigningKeys::development()
            .verify(&sign(&base, "dev", dev_secret))
            .is_ok(),
        "the control token is valid"
    );

    for (name, token) in [
        ("expired", expired),
        ("other key", other_key),
        ("other audience", other_audience),
        ("other issuer", other_issuer),
        ("unknown key id", unknown_kid),
        ("alg none", alg_none),
        ("tampered payload", tampered),
        ("garbage", "a.b.c".into()),
    ] {
        let (status, error) = app
            .get(&format!("/api/v1/schools/{COLLEGE}/licences"), &token)
            .await;
        assert_eq!(
            (status, error["error"]["code"].as_str()),
            (401, Some("unauthorized")),
            "{name}"
        );
    }
    let res = app
        .client
        .get(app.url("/api/v1/schools"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401, "no token at all");
    assert_eq!(res.headers()["www-authenticate"], "Bearer");
}

async fn client_credentials_give_a_token_limited_to_the_granted_scopes(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token_url = app.url("/api/v1/auth/token");
    let form = |secret: &'static str, grant: &'static str| {
        vec![
            ("grant_type", grant),
            ("client_id", "demo-ent"),
            ("client_secret", secret),
        ]
    };

    let wrong = app
        .client
        .post(&token_url)
        .form(&form("wrong", "client_credentials"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let grant = app
        .client
        .post(&token_url)
        .form(&form("demo-ent-secret", "password"))
        .send()
        .await
        .unwrap();
    assert_eq!(grant.status(), 400);
    let as_json = app
        .client
        .post(&token_url)
        .json(&json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    assert_eq!(as_json.status(), 415);
    let mut too_much = form("demo-ent-secret", "client_credentials");
    too_much.push(("scope", "orders:write"));
    assert_eq!(
        app.client
            .post(&token_url)
            .form(&too_much)
            .send()
            .await
            .unwrap()
            .status(),
        400
    );

    let reader = app.client_token(Some("access:read")).await;
    let (status, _) = app
        .get(
            &format!("/api/v1/schools/{COLLEGE}/access?user_id=1&product_id=1"),
            &reader,
        )
        .await;
    assert_eq!(status, 200);
    let (status, error) = app
        .post(
            &format!("/api/v1/schools/{COLLEGE}/products/1/assignments"),
            &reader,
            &json!({"audience": "student", "assign": []}),
        )
        .await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );
    let (status, _) = app
        .get(&format!("/api/v1/schools/{COLLEGE}/licences"), &reader)
        .await;
    assert_eq!(status, 403);

    let full = app.client_token(None).await;
    let (status, schools) = app.get("/api/v1/schools", &full).await;
    assert_eq!(status, 200);
    assert_eq!(
        schools["schools"],
        json!([{"uai": COLLEGE, "name": "Collège de démonstration"}])
    );
    let (status, _) = app
        .get(&format!("/api/v1/schools/{LYCEE}/licences"), &full)
        .await;
    assert_eq!(status, 404, "a school not granted is as good as absent");
}

async fn an_operator_sees_every_school(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = app.operator_token().await;

    let (_, schools) = app.get("/api/v1/schools", &token).await;
    let uais: Vec<&str> = schools["schools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["uai"].as_str().unwrap())
        .collect();
    assert_eq!(uais, vec![COLLEGE, LYCEE]);
}
