//! Never more licences assigned than purchased: 200 concurrent requests on 50 seats,
//! on one process and across two processes sharing one PostgreSQL database.

use affecto_store::schema::{assignments, licence_pools};
use affecto_store::{database, DatabaseTarget, PoolSettings};
use diesel::prelude::*;
use futures::future::join_all;
use serde_json::{json, Value};

use crate::db::{Backend, TestDb};
use crate::server::{all_students, client, login, product_id, Server, COLLEGE, SEEDED};

const ENGLISH: &str = "I Bet You Can! 6e (2017)";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_sqlite_200_concurrent_requests_share_50_seats_exactly() {
    race_for_fifty_seats(Backend::Sqlite, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_200_concurrent_requests_share_50_seats_exactly() {
    race_for_fifty_seats(Backend::Postgres, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_on_one_postgres_share_50_seats_exactly() {
    race_for_fifty_seats(Backend::Postgres, 2).await;
}

/// What the race ended in, as the clients saw it.
#[derive(Debug, Default, PartialEq)]
struct Tally {
    requests: usize,
    seats_granted: u64,
    accepted: usize,
    refused: usize,
}

async fn race_for_fifty_seats(backend: Backend, processes: usize) {
    let Some(db) = TestDb::create(backend) else {
        return;
    };
    let mut servers = vec![Server::start(&db.url, SEEDED, true, &[])];
    while servers.len() < processes {
        servers.push(Server::start(&db.url, SEEDED, false, &[]));
    }
    let http = client();
    let token = login(&http, &servers[0]).await;
    let english = product_id(&http, &servers[0], &token, ENGLISH).await;
    let students = all_students(&http, &servers[0], &token, english).await;
    assert!(
        students.len() >= 35 + 150 + 100,
        "the demo has enough students"
    );
    let path = format!("/api/v1/schools/{COLLEGE}/products/{english}/assignments");

    let leave_fifty = json!({"audience": "student", "assign": &students[..35]});
    let res = http
        .post(servers[0].url(&path))
        .bearer_auth(&token)
        .json(&leave_fifty)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    // 150 single-student changes and 50 two-student changes, interleaved.
    let singles: Vec<&[i64]> = students[35..185].chunks(1).collect();
    let pairs: Vec<&[i64]> = students[185..285].chunks(2).collect();
    let changes: Vec<&[i64]> = (0..50)
        .flat_map(|k| {
            [
                singles[3 * k],
                singles[3 * k + 1],
                singles[3 * k + 2],
                pairs[k],
            ]
        })
        .collect();
    assert_eq!(changes.len(), 200);
    let requests = changes.iter().enumerate().map(|(i, users)| {
        let server = &servers[i % servers.len()];
        http.post(server.url(&path))
            .bearer_auth(&token)
            .json(&json!({"audience": "student", "assign": users}))
            .send()
    });
    let responses = join_all(requests).await;

    let mut tally = Tally {
        requests: responses.len(),
        ..Tally::default()
    };
    for response in responses {
        let response = response.expect("every request is answered");
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        match status {
            200 => {
                tally.accepted += 1;
                tally.seats_granted += body["assigned"].as_u64().unwrap();
            }
            409 => {
                assert_eq!(body["error"]["code"], "not_enough_licences", "{body}");
                tally.refused += 1;
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    eprintln!("{backend:?}, {processes} process(es): {tally:?}");
    assert_eq!(
        tally.seats_granted, 50,
        "exactly the seats left were granted"
    );
    assert_eq!(tally.accepted + tally.refused, 200);

    let (counted, rows) = counters_and_rows(&db.url, english);
    assert_eq!(
        (counted, rows),
        (85, 85),
        "the student pool is full and its count matches its rows"
    );
    let entry = crate::server::get(
        &http,
        &servers[0],
        &format!("/api/v1/schools/{COLLEGE}/licences/{english}"),
        &token,
    )
    .await;
    assert_eq!(
        (entry["purchased"].as_u64(), entry["assigned"].as_u64()),
        (Some(88), Some(85))
    );
}

/// The product's assigned count summed over its pools, and its assignment rows, read
/// straight from the database.
pub fn counters_and_rows(database_url: &str, product_id: i64) -> (i64, i64) {
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
    let counted: Vec<i32> = licence_pools::table
        .filter(licence_pools::product_id.eq(product_id))
        .select(licence_pools::assigned)
        .load(&mut *conn)
        .unwrap();
    let rows: i64 = assignments::table
        .filter(assignments::product_id.eq(product_id))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    (counted.iter().map(|c| i64::from(*c)).sum(), rows)
}
