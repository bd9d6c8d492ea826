//! A server killed in the middle of a bulk change leaves all of it or none of it.

use affecto_domain::{Audience, Level};
use affecto_store::catalogue::{
    create_class, create_pool, ensure_product, insert_people, NewPerson, NewPool, NewProduct,
};
use affecto_store::schools::{find_visible_school, Viewer};
use affecto_store::{database, DatabaseTarget, PoolSettings};
use chrono::NaiveDate;
use serde_json::json;

use crate::concurrency::counters_and_rows;
use crate::db::{Backend, TestDb};
use crate::server::{client, login, Server, COLLEGE, SEEDED};

const BULK: usize = 1000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite_a_killed_bulk_assignment_is_all_or_nothing() {
    kill_during_bulk_assignment(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_a_killed_bulk_assignment_is_all_or_nothing() {
    kill_during_bulk_assignment(Backend::Postgres).await;
}

/// Adds 1,000 students and a product with 1,000 student seats to the demo collège.
fn add_a_large_cohort(database_url: &str) -> (i64, Vec<i64>) {
    let target = DatabaseTarget::parse(database_url).unwrap();
    let pool = database::open(
        &target,
        &PoolSettings {
            max_connections: 1,
            ..PoolSettings::default()
        },
    )
    .unwrap();
    let mut conn = pool.get().unwrap();
    let school = find_visible_school(&mut conn, Viewer::Operator, COLLEGE)
        .unwrap()
        .unwrap();
    let class = create_class(&mut conn, school.id, "Cohorte", Level::Sixieme).unwrap();
    let people: Vec<NewPerson> = (0..BULK)
        .map(|n| NewPerson {
            role: Audience::Student,
            login: format!("0020002s-c{n:05}"),
            first_name: format!("Prénom{n}"),
            last_name: format!("Nom{n}"),
            class_id: Some(class),
            subjects: Vec::new(),
        })
        .collect();
    let students = insert_people(&mut conn, school.id, &people).unwrap();
    let product = ensure_product(
        &mut conn,
        &NewProduct {
            external_id: "ark:/test/cohort",
            kind: "Manuel numérique",
            title: "Cohorte",
            levels: &[Level::Sixieme],
            subjects: &[],
        },
    )
    .unwrap();
    create_pool(
        &mut conn,
        &NewPool {
            school_id: school.id,
            product_id: product,
            audience: Audience::Student,
            purchased: BULK as i32,
            valid_from: NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            valid_until: NaiveDate::from_ymd_opt(2027, 8, 3).unwrap(),
        },
    )
    .unwrap();
    (product, students)
}

async fn kill_during_bulk_assignment(backend: Backend) {
    let Some(db) = TestDb::create(backend) else {
        return;
    };
    drop(Server::start(&db.url, SEEDED, true, &[]));
    let (product, students) = add_a_large_cohort(&db.url);
    let path = format!("/api/v1/schools/{COLLEGE}/products/{product}/assignments");
    let http = client();
    let mut outcomes = Vec::new();

    for delay_ms in [2, 10, 25, 50, 100, 200, 400, 800] {
        let mut server = Server::start(&db.url, SEEDED, false, &[]);
        let token = login(&http, &server).await;
        let request = http
            .post(server.url(&path))
            .bearer_auth(&token)
            .json(&json!({"audience": "student", "assign": students}))
            .send();
        let in_flight = tokio::spawn(request);
        tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
        server.kill();
        let _ = in_flight.await;

        let (counted, rows) = counters_and_rows(&db.url, product);
        assert_eq!(
            counted, rows,
            "after a kill at {delay_ms} ms the count matches the rows"
        );
        assert!(
            rows == 0 || rows == BULK as i64,
            "after a kill at {delay_ms} ms: {rows} of {BULK} assigned"
        );
        outcomes.push((delay_ms, rows));
        if rows > 0 {
            let server = Server::start(&db.url, SEEDED, false, &[]);
            let token = login(&http, &server).await;
            let undo = http
                .post(server.url(&path))
                .bearer_auth(&token)
                .json(&json!({"audience": "student", "unassign": students}))
                .send()
                .await
                .unwrap();
            assert_eq!(undo.status(), 200);
        }
    }
    eprintln!("{backend:?}: (kill delay ms, students assigned after restart) = {outcomes:?}");
}
