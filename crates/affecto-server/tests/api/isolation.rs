//! A school's data is reachable only by those entitled to it. These tests walk every
//! route of the OpenAPI document, so a new route is covered the day it is added.

use affecto_server::auth::{password, Scope, Scopes};
use reqwest::Method;
use serde_json::{json, Value};

use crate::common::{Backend, TestApp, COLLEGE, COLLEGE_ADMIN, LYCEE, LYCEE_ADMIN};
use crate::{on_both_backends, spawn_or_skip};

on_both_backends!(
    another_school_s_admin_and_client_get_404_on_every_route,
    ids_of_another_school_through_one_s_own_paths_are_not_found,
);

/// Ids of the collège's own data, to be tried from the lycée's side.
struct CollegeIds {
    product: i64,
    class: i64,
    student: i64,
}

async fn college_ids(app: &TestApp) -> CollegeIds {
    let token = app.login(COLLEGE_ADMIN).await;
    let product = app.product_id(&token, "I Bet You Can! 6e (2017)").await;
    let class = app.class_id(&token, COLLEGE, "6e A").await;
    let student = app.students(&token, COLLEGE, "6e A", product).await[0].0;
    CollegeIds {
        product,
        class,
        student,
    }
}

/// A client granted only the lycée, with every scope.
async fn lycee_client_token(app: &TestApp) -> String {
    let mut conn = app.state.pool.get().unwrap();
    let all: Scopes = Scope::ALL.into_iter().collect();
    let id = affecto_store::accounts::upsert_client(
        &mut conn,
        "lycee-ent",
        "ENT du lycée",
        &password::hash("lycee-secret"),
        &all.to_string(),
    )
    .unwrap();
    let lycee = affecto_store::schools::find_visible_school(
        &mut conn,
        affecto_store::schools::Viewer::Operator,
        LYCEE,
    )
    .unwrap()
    .unwrap();
    affecto_store::accounts::grant_client_school(&mut conn, id, lycee.id).unwrap();
    drop(conn);
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", "lycee-ent"),
        ("client_secret", "lycee-secret"),
    ];
    let res = app
        .client
        .post(app.url("/api/v1/auth/token"))
        .form(&form)
        .send()
        .await
        .unwrap();
    res.json::<Value>().await.unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Every operation of the committed spec whose path names a school: (method, path
/// template, names of its required query parameters).
fn school_routes() -> Vec<(Method, String, Vec<String>)> {
    let spec: Value =
        serde_json::from_str(include_str!("../../../../api-spec/openapi.json")).unwrap();
    let mut routes = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if !path.contains("{uai}") {
            continue;
        }
        for (method, operation) in item.as_object().unwrap() {
            let required_query: Vec<String> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "query" && p["required"] == true)
                .map(|p| p["name"].as_str().unwrap().to_owned())
                .collect();
            routes.push((
                method.to_uppercase().parse().unwrap(),
                path.clone(),
                required_query,
            ));
        }
    }
    assert!(routes.len() >= 9, "the spec lists the school routes");
    routes
}

fn fill(template: &str, uai: &str, ids: &CollegeIds, query: &[String]) -> String {
    let path = template
        .replace("{uai}", uai)
        .replace("{product_id}", &ids.product.to_string())
        .replace("{class_id}", &ids.class.to_string())
        .replace("{user_id}", &ids.student.to_string());
    let params: Vec<String> = query
        .iter()
        .map(|name| match name.as_str() {
            "user_id" => format!("user_id={}", ids.student),
            _ => format!("{name}={}", ids.product),
        })
        .collect();
    if params.is_empty() {
        path
    } else {
        format!("{path}?{}", params.join("&"))
    }
}

async fn call(
    app: &TestApp,
    method: &Method,
    path: &str,
    token: &str,
    ids: &CollegeIds,
) -> (u16, Value) {
    let mut request = app
        .client
        .request(method.clone(), app.url(path))
        .bearer_auth(token);
    if method == Method::POST {
        request = request.json(&post_body(path, ids));
    }
    let res = request.send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// A body the POST route accepts, so that only the school decides the answer.
fn post_body(path: &str, ids: &CollegeIds) -> Value {
    if path.ends_with("/orders") {
        return json!({"order_id": "isolation", "students": 1, "teachers": 0,
            "product": {"external_id": "ark:/isolation", "title": "Isolation"},
            "valid_from": "2026-01-01", "valid_until": "2027-12-31"});
    }
    json!({"audience": "student", "assign": [ids.student]})
}

async fn another_school_s_admin_and_client_get_404_on_every_route(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let ids = college_ids(&app).await;
    let outsiders = [
        ("lycée admin", app.login(LYCEE_ADMIN).await),
        ("lycée client", lycee_client_token(&app).await),
    ];

    for (method, template, query) in school_routes() {
        let path = fill(&template, COLLEGE, &ids, &query);
        for (who, token) in &outsiders {
            let (status, body) = call(&app, &method, &path, token, &ids).await;
            assert_eq!(
                (status, body["error"]["code"].as_str()),
                (404, Some("not_found")),
                "{who} {method} {path}"
            );
        }
    }
    let insider = app.login(COLLEGE_ADMIN).await;
    let (status, _) = app
        .get(
            &fill("/api/v1/schools/{uai}/licences", COLLEGE, &ids, &[]),
            &insider,
        )
        .await;
    assert_eq!(status, 200, "the control: the collège's own admin gets in");
    let english = app.counts(&insider, ids.product).await;
    assert_eq!(english, (88, 88, 0), "no outsider's write went through");
}

async fn ids_of_another_school_through_one_s_own_paths_are_not_found(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let ids = college_ids(&app).await;
    let token = app.login(LYCEE_ADMIN).await;

    let names_an_id =
        |template: &str, query: &[String]| template.contains("_id}") || !query.is_empty();
    for (method, template, query) in school_routes()
        .into_iter()
        .filter(|(_, t, q)| names_an_id(t, q))
    {
        let path = fill(&template, LYCEE, &ids, &query);
        let (status, body) = call(&app, &method, &path, &token, &ids).await;
        let refused = status == 404 || (status == 200 && body["granted"] == false);
        assert!(refused, "{method} {path} answered {status} {body}");
    }
}
