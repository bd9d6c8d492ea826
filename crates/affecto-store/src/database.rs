//! Opening the database named by a URL, pooling connections and applying migrations.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::R2D2Connection;
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use crate::StoreError;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations/postgres");

/// An arbitrary constant naming the PostgreSQL advisory lock held while migrating, so
/// that several processes starting at once migrate one after the other.
const MIGRATION_LOCK_KEY: i64 = 0x00af_fec7_0000_0001;

/// A connection to either backend. Queries are written once against this type.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database a URL names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseTarget {
    /// A `postgres://` or `postgresql://` URL, passed to libpq as it is.
    Postgres(String),
    /// A SQLite file path.
    Sqlite(String),
}

impl DatabaseTarget {
    /// Reads `postgres://...`, `sqlite:///absolute/path.db`, `sqlite://relative.db`,
    /// `sqlite:relative.db` or a bare file path.
    pub fn parse(url: &str) -> Result<Self, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(Self::Postgres(url.to_owned()));
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() || path == ":memory:" {
            return Err(StoreError::Config(format!(
                "database URL {url:?} names no SQLite file (an in-memory database cannot be shared by a pool)"
            )));
        }
        Ok(Self::Sqlite(path.to_owned()))
    }

    /// The URL with any password hidden, fit for a log line.
    pub fn redacted(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{path}"),
            Self::Postgres(url) => redact_password(url),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Self::Postgres(_))
    }

    fn connect(&self) -> diesel::ConnectionResult<DbConnection> {
        match self {
            Self::Postgres(url) => PgConnection::establish(url).map(DbConnection::Postgres),
            Self::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(path)?;
                configure_sqlite(&mut conn)
                    .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }
}

fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// libpq explains a failure over several lines; a startup error is one line.
fn one_line(message: &str) -> String {
    message.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// WAL lets readers work while one writer writes; the busy timeout makes a second
/// writer wait for the lock instead of failing at once.
fn configure_sqlite(conn: &mut SqliteConnection) -> diesel::QueryResult<()> {
    conn.batch_execute(
        "PRAGMA busy_timeout = 5000;
         PRAGMA journal_mode = WAL;
         PRAGMA synchronous = NORMAL;
         PRAGMA foreign_keys = ON;",
    )
}

/// Opens connections on demand for the pool.
#[derive(Debug)]
pub struct ConnectionManager {
    target: DatabaseTarget,
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = DbConnection;
    type Error = diesel::ConnectionError;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        self.target.connect()
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        match conn {
            DbConnection::Postgres(pg) => pg.is_broken(),
            DbConnection::Sqlite(sqlite) => sqlite.is_broken(),
        }
    }
}

/// A pool of connections, cheap to clone.
pub type DbPool = r2d2::Pool<ConnectionManager>;

/// A connection checked out of the pool.
pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// How the pool behaves when the database is slow or gone.
#[derive(Debug, Clone)]
pub struct PoolSettings {
    pub max_connections: u32,
    /// How long a request waits for a connection before answering "unavailable".
    pub checkout_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            max_connections: 16,
            checkout_timeout: Duration::from_secs(3),
        }
    }
}

/// Opens the database, applies pending migrations and returns a pool. Fails with a
/// one-line reason when the database cannot be reached or opened.
pub fn open(target: &DatabaseTarget, settings: &PoolSettings) -> Result<DbPool, StoreError> {
    let mut first = target.connect().map_err(|e| StoreError::Open {
        target: target.redacted(),
        reason: one_line(&e.to_string()),
    })?;
    migrate(&mut first)?;
    drop(first);

    r2d2::Pool::builder()
        .max_size(settings.max_connections)
        .connection_timeout(settings.checkout_timeout)
        // A round trip per checkout would double the cost of the hottest reads; a
        // connection that broke is found by `has_broken` when it comes back instead.
        // Known limitation: after the database restarts, each pooled connection that
        // broke fails one request (503, retryable) before it is replaced.
        .test_on_check_out(false)
        .error_handler(Box::new(r2d2::NopErrorHandler))
        .build(ConnectionManager {
            target: target.clone(),
        })
        .map_err(|e| StoreError::Open {
            target: target.redacted(),
            reason: e.to_string(),
        })
}

/// Applies the migrations embedded in the binary. On PostgreSQL an advisory lock makes
/// processes that start together take turns.
pub fn migrate(conn: &mut DbConnection) -> Result<(), StoreError> {
    let result = match conn {
        DbConnection::Sqlite(sqlite) => {
            sqlite.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ())
        }
        DbConnection::Postgres(pg) => {
            pg.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK_KEY})"))?;
            let applied = pg.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
            pg.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK_KEY})"))?;
            applied
        }
    };
    result.map_err(|e| StoreError::Migration(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_urls_name_their_backend() {
        let sqlite = |p: &str| DatabaseTarget::Sqlite(p.to_owned());
        assert_eq!(
            DatabaseTarget::parse("sqlite:///var/lib/affecto.db").unwrap(),
            sqlite("/var/lib/affecto.db")
        );
        assert_eq!(
            DatabaseTarget::parse("sqlite://affecto.db").unwrap(),
            sqlite("affecto.db")
        );
        assert_eq!(
            DatabaseTarget::parse("affecto.db").unwrap(),
            sqlite("affecto.db")
        );
        assert!(DatabaseTarget::parse("postgres://u@h/db")
            .unwrap()
            .is_postgres());
        assert!(DatabaseTarget::parse("postgresql://u@h/db")
            .unwrap()
            .is_postgres());
        assert!(DatabaseTarget::parse("sqlite://:memory:").is_err());
    }

    #[test]
    fn passwords_never_reach_the_logs() {
        let target = DatabaseTarget::parse("postgres://affecto:s3cret@db:5432/affecto").unwrap();
        assert_eq!(target.redacted(), "postgres://affecto:***@db:5432/affecto");
        let passwordless = DatabaseTarget::parse("postgres://postgres@127.0.0.1/affecto").unwrap();
        assert_eq!(
            passwordless.redacted(),
            "postgres://postgres@127.0.0.1/affecto"
        );
    }
}
