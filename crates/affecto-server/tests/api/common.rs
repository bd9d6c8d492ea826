//! A real server on a free port with a fresh database, per test.

use std::net::TcpListener;

use affecto_server::clock::Clock;
use affecto_server::commands::prepare;
use affecto_server::config::Settings;
use affecto_server::state::AppState;
use chrono::{DateTime, Utc};
use serde_json::Value;

pub const COLLEGE: &str = "0020002S";
pub const LYCEE: &str = "0590001A";
pub const COLLEGE_ADMIN: &str = "admin@college-demo.fr";
pub const LYCEE_ADMIN: &str = "admin@lycee-demo.fr";

pub use crate::db::{Backend, TestDb};

/// A running server and a client for it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: AppState,
    _db: TestDb,
}

pub fn instant(raw: &str) -> DateTime<Utc> {
    raw.parse().expect("RFC 3339 instant")
}

impl TestApp {
    /// The demo schools, seeded and served at the current time.
    pub async fn spawn(backend: Backend) -> Option<TestApp> {
        let db = TestDb::create(backend)?;
        let settings =
            Settings::development(db.url.clone(), Clock::system(chrono_tz::Europe::Paris));
        Some(Self::start(db, settings, true).await)
    }

    /// The demo schools seeded at `seeded`, then served with the clock stopped at `now`.
    pub async fn spawn_at(backend: Backend, seeded: &str, now: &str) -> Option<TestApp> {
        let db = TestDb::create(backend)?;
        let zone = chrono_tz::Europe::Paris;
        let seeding = Settings::development(db.url.clone(), Clock::fixed(instant(seeded), zone));
        let state = tokio::task::spawn_blocking(move || prepare(seeding, true))
            .await
            .unwrap()
            .unwrap();
        let serving = Settings::development(db.url.clone(), Clock::fixed(instant(now), zone));
        Some(Self::serve(db, AppState::new(state.pool.clone(), serving)))
    }

    pub async fn start(db: TestDb, settings: Settings, demo: bool) -> TestApp {
        let state = tokio::task::spawn_blocking(move || prepare(settings, demo))
            .await
            .unwrap()
            .unwrap();
        Self::serve(db, state)
    }

    fn serve(db: TestDb, state: AppState) -> TestApp {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let server = affecto_server::startup::run(listener, state.clone()).unwrap();
        actix_web::rt::spawn(server);
        TestApp {
            address,
            client: reqwest::Client::new(),
            state,
            _db: db,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Signs in a demo administrator and returns the bearer token.
    pub async fn login(&self, email: &str) -> String {
        let res = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": "demo"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "demo sign-in of {email}");
        res.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A token of a platform operator, created for the test.
    pub async fn operator_token(&self) -> String {
        let hash = affecto_server::auth::password::hash("operator-password");
        let mut conn = self.state.pool.get().unwrap();
        affecto_store::accounts::upsert_admin(
            &mut conn,
            "ops@affecto.example",
            "Opérations",
            &hash,
            true,
        )
        .unwrap();
        drop(conn);
        let res = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"email": "ops@affecto.example", "password": "operator-password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "operator sign-in");
        res.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A token of the demo ENT client, with all its scopes or those asked.
    pub async fn client_token(&self, scope: Option<&str>) -> String {
        let mut form = vec![
            ("grant_type", "client_credentials"),
            ("client_id", "demo-ent"),
            ("client_secret", "demo-ent-secret"),
        ];
        if let Some(scope) = scope {
            form.push(("scope", scope));
        }
        let res = self
            .client
            .post(self.url("/api/v1/auth/token"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "demo client token");
        res.json::<Value>().await.unwrap()["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    pub async fn get(&self, path: &str, token: &str) -> (u16, Value) {
        let res = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        let res = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// The id of the demo product with this title.
    pub async fn product_id(&self, token: &str, title: &str) -> i64 {
        let (_, overview) = self
            .get(&format!("/api/v1/schools/{COLLEGE}/licences"), token)
            .await;
        let entries = overview["active"]
            .as_array()
            .unwrap()
            .iter()
            .chain(overview["expired"].as_array().unwrap());
        entries
            .filter(|e| e["product"]["title"] == title)
            .map(|e| e["product"]["id"].as_i64().unwrap())
            .next()
            .unwrap_or_else(|| panic!("no product {title}"))
    }

    /// The id of a class of a school by name.
    pub async fn class_id(&self, token: &str, uai: &str, name: &str) -> i64 {
        let (_, list) = self
            .get(&format!("/api/v1/schools/{uai}/classes"), token)
            .await;
        list["classes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    /// The students of a class with their `assigned` flag for the product.
    pub async fn students(
        &self,
        token: &str,
        uai: &str,
        class: &str,
        product_id: i64,
    ) -> Vec<(i64, bool)> {
        let class_id = self.class_id(token, uai, class).await;
        let path =
            format!("/api/v1/schools/{uai}/classes/{class_id}/students?product_id={product_id}");
        let (status, list) = self.get(&path, token).await;
        assert_eq!(status, 200, "{list}");
        list["students"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["id"].as_i64().unwrap(), s["assigned"].as_bool().unwrap()))
            .collect()
    }

    /// The counts of one product: (purchased, available, assigned) over its valid pools.
    pub async fn counts(&self, token: &str, product_id: i64) -> (u64, u64, u64) {
        let (status, entry) = self
            .get(
                &format!("/api/v1/schools/{COLLEGE}/licences/{product_id}"),
                token,
            )
            .await;
        assert_eq!(status, 200, "{entry}");
        (
            entry["purchased"].as_u64().unwrap(),
            entry["available"].as_u64().unwrap(),
            entry["assigned"].as_u64().unwrap(),
        )
    }
}

/// Declares each listed `async fn name(backend: Backend)` as a test on SQLite and
/// one on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[actix_web::test]
                async fn $name() {
                    super::$name($crate::common::Backend::Sqlite).await
                }
            )*
        }
        mod postgres {
            $(
                #[actix_web::test]
                async fn $name() {
                    super::$name($crate::common::Backend::Postgres).await
                }
            )*
        }
    };
}

/// Starts the app or returns from the test when its backend is not available here.
#[macro_export]
macro_rules! spawn_or_skip {
    ($backend:expr) => {
        match $crate::common::TestApp::spawn($backend).await {
            Some(app) => app,
            None => return,
        }
    };
}
