//! A database of its own for each test, on either backend. Shared by the test binaries.

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

const DEFAULT_PG_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database of its own for one test: a temporary SQLite file, or a PostgreSQL
/// database created for the test and dropped after it.
pub struct TestDb {
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    postgres: Option<(String, String)>,
}

impl TestDb {
    /// `None` when PostgreSQL is asked for but not reachable and not required
    /// (`AFFECTO_TEST_PG_URL` unset): the test then reports itself skipped.
    pub fn create(backend: Backend) -> Option<TestDb> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}", dir.path().join("affecto.db").display());
                Some(TestDb {
                    url,
                    _dir: Some(dir),
                    postgres: None,
                })
            }
            Backend::Postgres => Self::create_postgres(),
        }
    }

    fn create_postgres() -> Option<TestDb> {
        let required = std::env::var("AFFECTO_TEST_PG_URL").ok();
        let admin_url = required.clone().unwrap_or_else(|| DEFAULT_PG_URL.into());
        let mut admin = match PgConnection::establish(&admin_url) {
            Ok(conn) => conn,
            Err(e) if required.is_some() => {
                panic!("AFFECTO_TEST_PG_URL is set but PostgreSQL is unreachable: {e}")
            }
            Err(_) => {
                eprintln!("skipped: PostgreSQL not reachable at {admin_url} (set AFFECTO_TEST_PG_URL to require it)");
                return None;
            }
        };
        let name = format!("affecto_test_{}", uuid::Uuid::new_v4().simple());
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        let (base, _) = admin_url
            .rsplit_once('/')
            .expect("URL with a database name");
        Some(TestDb {
            url: format!("{base}/{name}"),
            _dir: None,
            postgres: Some((admin_url, name)),
        })
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.postgres {
            if let Ok(mut admin) = PgConnection::establish(admin_url) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}
