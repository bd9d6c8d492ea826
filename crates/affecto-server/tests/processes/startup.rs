//! Starting up: several processes on one fresh database, the yearly unassignment
//! raced by two schedulers, and the refusals that keep production safe.

use std::process::Command;
use std::time::{Duration, Instant};

use affecto_store::schema::{assignment_events, rollover_runs};
use affecto_store::{database, DatabaseTarget, PoolSettings};
use diesel::prelude::*;
use serde_json::{json, Value};

use crate::db::{Backend, TestDb};
use crate::server::{client, Server, SEEDED};

fn affecto(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_affecto"))
        .args(args)
        .envs(env.iter().copied())
        .env("RUST_LOG", "error")
        .output()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_started_at_once_on_a_fresh_database_all_serve_the_same_data() {
    let Some(db) = TestDb::create(Backend::Postgres) else {
        return;
    };
    let servers: Vec<Server> = std::thread::scope(|scope| {
        let starting: Vec<_> = (0..3)
            .map(|_| scope.spawn(|| Server::start(&db.url, SEEDED, false, &[])))
            .collect();
        starting.into_iter().map(|s| s.join().unwrap()).collect()
    });
    let env = [
        ("DATABASE_URL", db.url.as_str()),
        ("AFFECTO_ADMIN_PASSWORD", "a-long-password"),
    ];
    assert!(affecto(
        &[
            "school",
            "create",
            "--uai",
            "0930001X",
            "--name",
            "Collège Test"
        ],
        &env
    )
    .status
    .success());
    assert!(affecto(
        &[
            "admin",
            "create",
            "--email",
            "admin@test.fr",
            "--name",
            "Admin",
            "--school",
            "0930001X"
        ],
        &env
    )
    .status
    .success());

    let http = client();
    for server in &servers {
        assert_eq!(
            http.get(server.url("/readyz"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        let res = http
            .post(server.url("/api/v1/auth/login"))
            .json(&json!({"email": "admin@test.fr", "password": "a-long-password"}))
            .send()
            .await
            .unwrap();
        let token = res.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned();
        let schools: Value = http
            .get(server.url("/api/v1/schools"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            schools["schools"],
            json!([{"uai": "0930001X", "name": "Collège Test"}])
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_run_the_yearly_unassignment_once() {
    let Some(db) = TestDb::create(Backend::Postgres) else {
        return;
    };
    drop(Server::start(&db.url, SEEDED, true, &[]));
    let after_the_day = "2027-08-02T07:00:00Z";
    let every_second = [("AFFECTO_ROLLOVER_CHECK_SECONDS", "1")];

    let _servers: Vec<Server> = std::thread::scope(|scope| {
        let starting: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| Server::start(&db.url, after_the_day, false, &every_second)))
            .collect();
        starting.into_iter().map(|s| s.join().unwrap()).collect()
    });

    let target = DatabaseTarget::parse(&db.url).unwrap();
    let pool = database::open(
        &target,
        &PoolSettings {
            max_connections: 1,
            ..PoolSettings::default()
        },
    )
    .unwrap();
    let mut conn = pool.get().unwrap();
    let runs_of_the_year = |conn: &mut affecto_store::DbConnection| -> Vec<(i64, i32)> {
        rollover_runs::table
            .filter(rollover_runs::school_year.eq(2027))
            .select((rollover_runs::school_id, rollover_runs::released))
            .load(conn)
            .unwrap()
    };
    let deadline = Instant::now() + Duration::from_secs(30);
    while runs_of_the_year(&mut conn).len() < 2 {
        assert!(Instant::now() < deadline, "both schools' runs are recorded");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Both processes keep checking every second; give each a few more chances to run
    // the year again.
    std::thread::sleep(Duration::from_secs(3));

    let runs = runs_of_the_year(&mut conn);
    let released: i32 = runs.iter().map(|(_, n)| n).sum();
    let events: i64 = assignment_events::table
        .filter(assignment_events::batch_id.eq("rollover-2026-2027"))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(runs.len(), 2, "one run per school");
    assert_eq!(
        released,
        279 + 10,
        "the collège's and the lycée's student licences"
    );
    assert_eq!(events, i64::from(released), "each licence released once");
}

#[test]
fn production_refuses_demo_data_and_missing_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("prod.db").display());
    let key = "AFFECTO_JWT_KEYS";
    let good_key = "k1:0123456789abcdef0123456789abcdef";

    let demo = affecto(
        &[
            "serve",
            "--demo",
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            &url,
        ],
        &[("AFFECTO_ENV", "production"), (key, good_key)],
    );
    assert!(!demo.status.success());
    assert!(String::from_utf8_lossy(&demo.stderr).contains("demo data is refused in production"));

    let no_key = affecto(
        &["serve", "--bind", "127.0.0.1:0", "--database-url", &url],
        &[("AFFECTO_ENV", "production")],
    );
    assert!(!no_key.status.success());
    assert!(String::from_utf8_lossy(&no_key.stderr).contains("AFFECTO_JWT_KEYS"));
}

#[test]
fn an_unreachable_or_unreadable_database_stops_startup_with_one_clear_line() {
    for url in [
        "postgres://nobody@127.0.0.1:1/none",
        "sqlite:///nonexistent-directory/affecto.db",
    ] {
        let out = affecto(
            &["serve", "--bind", "127.0.0.1:0", "--database-url", url],
            &[],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{url}");
        assert!(
            stderr.starts_with("affecto: cannot open database"),
            "{url}: {stderr}"
        );
        assert_eq!(stderr.trim_end().lines().count(), 1, "{url}: {stderr}");
        assert!(!stderr.contains("panicked"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_on_a_database_that_holds_it_leaves_it_as_it_is_and_sigterm_stops_cleanly() {
    let db = TestDb::create(Backend::Sqlite).unwrap();
    let http = client();
    let mut first = Server::start(&db.url, SEEDED, true, &[]);
    let token = crate::server::login(&http, &first).await;
    let english =
        crate::server::product_id(&http, &first, &token, "I Bet You Can! 6e (2017)").await;
    let students = crate::server::all_students(&http, &first, &token, english).await;
    let path = format!(
        "/api/v1/schools/{}/products/{english}/assignments",
        crate::server::COLLEGE
    );
    let res = http
        .post(first.url(&path))
        .bearer_auth(&token)
        .json(&json!({"audience": "student", "assign": &students[..3]}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert!(
        first.terminate(Duration::from_secs(15)),
        "SIGTERM ends the server with status 0"
    );

    let second = Server::start(&db.url, SEEDED, true, &[]);
    let token = crate::server::login(&http, &second).await;
    let entry = crate::server::get(
        &http,
        &second,
        &format!(
            "/api/v1/schools/{}/licences/{english}",
            crate::server::COLLEGE
        ),
        &token,
    )
    .await;
    assert_eq!(entry["assigned"], 3, "the second --demo kept the data");
}
