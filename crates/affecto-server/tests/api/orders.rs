//! Orders: what distributors and the operator record that a school bought, and the
//! catalogue they fill. Also the operator's command-line imports.

use std::process::Command;

use affecto_server::auth::password;
use chrono::{Days, NaiveDate, Utc};
use serde_json::{json, Value};

use crate::common::{Backend, TestApp, COLLEGE, COLLEGE_ADMIN};
use crate::imports::{new_school_and_operator, NEW_SCHOOL};
use crate::{on_both_backends, spawn_or_skip};

on_both_backends!(
    an_order_adds_its_product_to_the_catalogue_and_its_licences_to_the_school,
    resending_an_order_updates_it_in_place,
    an_order_cannot_shrink_below_its_assigned_licences,
    order_ids_belong_to_their_distributor,
    school_admins_record_no_orders_and_bad_orders_are_refused,
    a_product_of_several_levels_and_subjects_lists_each_once_in_order,
);

const TITLE: &str = "Maths 6e (2026)";

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn order(order_id: &str, students: u32, teachers: u32) -> Value {
    json!({
        "order_id": order_id,
        "product": {
            "external_id": "ark:/86527/maths-6e-2026",
            "title": TITLE,
            "type": "Manuel numérique",
            "levels": ["6e"],
            "subjects": ["Mathématiques"]
        },
        "students": students,
        "teachers": teachers,
        "valid_from": today() - Days::new(10),
        "valid_until": today() + Days::new(365),
        "transferable": true
    })
}

/// A distributor's API client, granted the collège, with `orders:write`.
async fn distributor_token(app: &TestApp) -> String {
    let pool = app.state.pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get().unwrap();
        let hash = password::hash("distributor-secret");
        let scopes = "orders:write licences:read";
        let id = affecto_store::accounts::upsert_client(
            &mut conn,
            "distributeur",
            "Distributeur",
            &hash,
            scopes,
        )
        .unwrap();
        let college = affecto_store::schools::find_visible_school(
            &mut conn,
            affecto_store::schools::Viewer::Operator,
            COLLEGE,
        )
        .unwrap()
        .unwrap();
        affecto_store::accounts::grant_client_school(&mut conn, id, college.id).unwrap();
    })
    .await
    .unwrap();
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", "distributeur"),
        ("client_secret", "distributor-secret"),
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

async fn a_product_of_several_levels_and_subjects_lists_each_once_in_order(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = distributor_token(&app).await;
    let mut cycle = order("CMD-CYCLE-4", 90, 3);
    cycle["product"] = json!({
        "external_id": "ark:/86527/sciences-cycle-4",
        "title": "Sciences cycle 4",
        "type": "Manuel numérique",
        "levels": ["4e", "3e", "5e"],
        "subjects": ["Technologie", "Physique-Chimie", "SVT"]
    });
    let (status, outcome) = send(&app, &token, &cycle).await;
    assert_eq!(status, 201, "{outcome}");

    let admin = app.login(COLLEGE_ADMIN).await;
    let (_, overview) = app
        .get(&format!("/api/v1/schools/{COLLEGE}/licences"), &admin)
        .await;
    let (_, catalogue) = app.get("/api/v1/products", &token).await;
    let listed = overview["active"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| &entry["product"])
        .chain(catalogue["products"].as_array().unwrap())
        .filter(|product| product["title"] == "Sciences cycle 4");

    let mut seen = 0;
    for product in listed {
        assert_eq!(product["levels"], json!(["5e", "4e", "3e"]));
        assert_eq!(
            product["subjects"],
            json!(["Physique-Chimie", "SVT", "Technologie"])
        );
        seen += 1;
    }
    assert_eq!(seen, 2, "in the school's licences and in the catalogue");
}

async fn send(app: &TestApp, token: &str, body: &Value) -> (u16, Value) {
    app.post(&format!("/api/v1/schools/{COLLEGE}/orders"), token, body)
        .await
}

/// (audience, purchased, assigned) of each pool of an order outcome.
fn pools(outcome: &Value) -> Vec<(String, u64, u64)> {
    outcome["order"]["pools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["audience"].as_str().unwrap().to_owned(),
                p["purchased"].as_u64().unwrap(),
                p["assigned"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn pool(audience: &str, purchased: u64, assigned: u64) -> (String, u64, u64) {
    (audience.to_owned(), purchased, assigned)
}

async fn an_order_adds_its_product_to_the_catalogue_and_its_licences_to_the_school(
    backend: Backend,
) {
    let app = spawn_or_skip!(backend);
    let token = distributor_token(&app).await;

    let (status, outcome) = send(&app, &token, &order("CMD-1", 120, 4)).await;

    assert_eq!(status, 201, "{outcome}");
    assert_eq!(outcome["created"], true);
    assert_eq!(
        outcome["order"]["distributor"]
            .as_str()
            .unwrap()
            .split(':')
            .next(),
        Some("client")
    );
    assert_eq!(
        pools(&outcome),
        [pool("student", 120, 0), pool("teacher", 4, 0)]
    );

    let admin = app.login(COLLEGE_ADMIN).await;
    let product = app.product_id(&admin, TITLE).await;
    assert_eq!(app.counts(&admin, product).await, (124, 124, 0));
    let (status, catalogue) = app.get("/api/v1/products", &token).await;
    assert_eq!(status, 200);
    let entry = catalogue["products"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["title"] == TITLE)
        .expect("the new product is in the catalogue");
    assert_eq!(entry["levels"], json!(["6e"]));
    assert_eq!(entry["subjects"], json!(["Mathématiques"]));
}

async fn resending_an_order_updates_it_in_place(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = distributor_token(&app).await;
    send(&app, &token, &order("CMD-1", 120, 4)).await;

    let (status, outcome) = send(&app, &token, &order("CMD-1", 150, 0)).await;

    assert_eq!(status, 200, "{outcome}");
    assert_eq!(outcome["created"], false);
    assert_eq!(
        pools(&outcome),
        [pool("student", 150, 0)],
        "no teacher licence left"
    );
    let admin = app.login(COLLEGE_ADMIN).await;
    let product = app.product_id(&admin, TITLE).await;
    assert_eq!(app.counts(&admin, product).await, (150, 150, 0));
    let (_, catalogue) = app.get("/api/v1/products", &token).await;
    let same_title = catalogue["products"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["title"] == TITLE)
        .count();
    assert_eq!(same_title, 1);
}

async fn an_order_cannot_shrink_below_its_assigned_licences(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let token = distributor_token(&app).await;
    send(&app, &token, &order("CMD-1", 30, 2)).await;
    let admin = app.login(COLLEGE_ADMIN).await;
    let product = app.product_id(&admin, TITLE).await;
    let three: Vec<i64> = app
        .students(&admin, COLLEGE, "6e A", product)
        .await
        .into_iter()
        .take(3)
        .map(|(id, _)| id)
        .collect();
    let path = format!("/api/v1/schools/{COLLEGE}/products/{product}/assignments");
    let (status, _) = app
        .post(
            &path,
            &admin,
            &json!({"audience": "student", "assign": three}),
        )
        .await;
    assert_eq!(status, 200);

    let (status, error) = send(&app, &token, &order("CMD-1", 2, 2)).await;

    assert_eq!(status, 409, "{error}");
    assert_eq!(error["error"]["code"], "order_below_assigned");
    assert_eq!(
        (
            error["error"]["assigned"].as_u64(),
            error["error"]["requested"].as_u64()
        ),
        (Some(3), Some(2))
    );
    assert_eq!(
        app.counts(&admin, product).await,
        (32, 29, 3),
        "nothing changed"
    );

    let (status, outcome) = send(&app, &token, &order("CMD-1", 3, 2)).await;
    assert_eq!(status, 200, "down to exactly what is assigned: {outcome}");
    assert_eq!(app.counts(&admin, product).await, (5, 2, 3));
}

async fn order_ids_belong_to_their_distributor(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let distributor = distributor_token(&app).await;
    let operator = new_school_and_operator(&app).await;
    send(&app, &distributor, &order("CMD-1", 10, 0)).await;

    let (status, outcome) = send(&app, &operator, &order("CMD-1", 20, 0)).await;

    assert_eq!(
        status, 201,
        "the operator's CMD-1 is another order: {outcome}"
    );
    assert_eq!(outcome["order"]["distributor"], "operator");
    let admin = app.login(COLLEGE_ADMIN).await;
    let product = app.product_id(&admin, TITLE).await;
    assert_eq!(app.counts(&admin, product).await, (30, 30, 0));

    let other_school = format!("/api/v1/schools/{NEW_SCHOOL}/orders");
    let (status, error) = app
        .post(&other_school, &operator, &order("CMD-1", 5, 0))
        .await;
    assert_eq!(status, 422, "an order id stays with its school: {error}");
}

async fn school_admins_record_no_orders_and_bad_orders_are_refused(backend: Backend) {
    let app = spawn_or_skip!(backend);
    let admin = app.login(COLLEGE_ADMIN).await;
    let (status, error) = send(&app, &admin, &order("CMD-1", 10, 0)).await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (403, Some("forbidden"))
    );

    let token = distributor_token(&app).await;
    let mut backwards = order("CMD-2", 10, 0);
    backwards["valid_until"] = json!(today() - Days::new(400));
    let (status, error) = send(&app, &token, &backwards).await;
    assert_eq!(
        (status, error["error"]["code"].as_str()),
        (422, Some("invalid_input"))
    );

    let mut unknown_field = order("CMD-3", 10, 0);
    unknown_field["nbLicenceEleve"] = json!(10);
    let (status, _) = send(&app, &token, &unknown_field).await;
    assert_eq!(status, 400);
}

/// Runs the `affecto` binary on the test's database.
fn affecto(app: &TestApp, args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_affecto"))
        .env("DATABASE_URL", &app.state.settings.database_url)
        .env("RUST_LOG", "warn")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn fixture_path(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[actix_web::test]
async fn the_command_line_imports_orders_and_a_directory() {
    let app = spawn_or_skip!(Backend::Sqlite);
    new_school_and_operator(&app).await;

    let (ok, out, err) = affecto(&app, &["orders", "import", &fixture_path("orders.csv")]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("line 2: order CMD-2026-001 created for 0020002S"),
        "{out}"
    );
    let (ok, out, _) = affecto(&app, &["orders", "import", &fixture_path("orders.csv")]);
    assert!(ok && out.contains("CMD-2026-002 updated"), "{out}");

    let folder = fixture_path("oneroster");
    let args = [
        "roster",
        "import",
        "--uai",
        NEW_SCHOOL,
        "--dry-run",
        &folder,
    ];
    let (ok, out, err) = affecto(&app, &args);
    assert!(ok, "{err}");
    assert!(out.contains("5 people created"), "{out}");
    let args = [
        "roster",
        "import",
        "--uai",
        NEW_SCHOOL,
        &fixture_path("roster-broken.csv"),
    ];
    let (ok, _, err) = affecto(&app, &args);
    assert!(!ok);
    assert!(err.contains("line 3: unknown role"), "{err}");
    assert!(err.contains("5 problem(s)"), "{err}");
    let args = [
        "roster",
        "import",
        "--uai",
        NEW_SCHOOL,
        &fixture_path("roster.csv"),
    ];
    let (ok, out, err) = affecto(&app, &args);
    assert!(ok, "{err}");
    assert!(out.contains("10 people created"), "{out}");
}
