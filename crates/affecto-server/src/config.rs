//! Typed configuration, read once from the environment at startup.

use std::path::PathBuf;
use std::time::Duration;

use affecto_domain::AutoUnassignDate;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::auth::jwt::SigningKeys;
use crate::clock::Clock;

/// Development runs with demo data and a built-in signing key; production refuses both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Environment {
    Development,
    Production,
}

/// Everything the server needs to know that is not in the database.
#[derive(Debug, Clone)]
pub struct Settings {
    pub environment: Environment,
    pub database_url: String,
    pub pool_size: u32,
    pub db_checkout_timeout: Duration,
    pub keys: SigningKeys,
    pub token_lifetime: Duration,
    pub auto_unassign: AutoUnassignDate,
    /// How often the server checks whether a yearly unassignment is due.
    pub rollover_check_interval: Duration,
    pub clock: Clock,
    pub cors_origins: Vec<String>,
    pub web_dir: PathBuf,
    pub demo_password: String,
}

/// A setting that cannot be used, named so that the operator can fix it.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {0}")]
pub struct ConfigError(pub String);

/// The default SQLite database: a file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://affecto.db";

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parsed<T: std::str::FromStr>(name: &str, default: T) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse()
            .map_err(|e| ConfigError(format!("{name}={raw:?}: {e}"))),
    }
}

impl Settings {
    /// Development settings with every default, on `database_url`, reading `clock`.
    pub fn development(database_url: String, clock: Clock) -> Self {
        Settings {
            environment: Environment::Development,
            database_url,
            pool_size: default_pool_size(),
            db_checkout_timeout: Duration::from_secs(3),
            keys: SigningKeys::development(),
            token_lifetime: Duration::from_secs(8 * 3600),
            auto_unassign: AutoUnassignDate::default(),
            rollover_check_interval: Duration::from_secs(900),
            clock,
            cors_origins: Vec::new(),
            web_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../frontend/dist")),
            demo_password: "demo".into(),
        }
    }

    /// Reads `AFFECTO_*` and `DATABASE_URL`; `database_url` given on the command line
    /// wins over the environment.
    pub fn from_env(database_url: Option<String>) -> Result<Self, ConfigError> {
        let environment = match var("AFFECTO_ENV").as_deref() {
            None | Some("development") => Environment::Development,
            Some("production") => Environment::Production,
            Some(other) => {
                return Err(ConfigError(format!(
                    "AFFECTO_ENV={other:?}: expected development or production"
                )))
            }
        };
        let zone: Tz = parsed("AFFECTO_TIMEZONE", chrono_tz::Europe::Paris)?;
        let settings = Settings {
            environment,
            database_url: database_url
                .or_else(|| var("DATABASE_URL"))
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            pool_size: parsed("AFFECTO_DB_POOL_SIZE", default_pool_size())?,
            db_checkout_timeout: Duration::from_millis(parsed("AFFECTO_DB_TIMEOUT_MS", 3000)?),
            keys: SigningKeys::from_config(var("AFFECTO_JWT_KEYS").as_deref(), environment)
                .map_err(|e| ConfigError(format!("AFFECTO_JWT_KEYS: {e}")))?,
            token_lifetime: Duration::from_secs(parsed("AFFECTO_TOKEN_TTL_SECONDS", 8 * 3600)?),
            auto_unassign: parsed("AFFECTO_AUTO_UNASSIGN", AutoUnassignDate::default())?,
            rollover_check_interval: Duration::from_secs(
                parsed("AFFECTO_ROLLOVER_CHECK_SECONDS", 900)?.max(1),
            ),
            clock: clock(environment, zone)?,
            cors_origins: var("AFFECTO_CORS_ORIGINS")
                .map(|v| {
                    v.split(',')
                        .map(|o| o.trim().to_owned())
                        .filter(|o| !o.is_empty())
                        .collect()
                })
                .unwrap_or_default(),
            web_dir: var("AFFECTO_WEB_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| {
                    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../frontend/dist"))
                }),
            demo_password: var("AFFECTO_DEMO_PASSWORD").unwrap_or_else(|| "demo".into()),
        };
        if settings.pool_size == 0 {
            return Err(ConfigError(
                "AFFECTO_DB_POOL_SIZE must be at least 1".into(),
            ));
        }
        Ok(settings)
    }
}

/// Database connections per process when none are configured: twice this machine's
/// cores, at least 4. More connections than the database has cores to run them make
/// each statement wait for a core inside the database rather than for a connection in
/// the server's queue, where waiting is fair: on two cores shared with PostgreSQL, 16
/// connections gave reads a p99 of 200–400 ms where 4 gave 12 ms, for the same
/// throughput (docs/benchmarks.md).
fn default_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    u32::try_from(cores * 2).unwrap_or(u32::MAX).max(4)
}

/// `AFFECTO_NOW` stops the clock at an instant, to rehearse a date such as 31 July.
/// Production always reads the system clock.
fn clock(environment: Environment, zone: Tz) -> Result<Clock, ConfigError> {
    match (var("AFFECTO_NOW"), environment) {
        (None, _) => Ok(Clock::system(zone)),
        (Some(_), Environment::Production) => Err(ConfigError(
            "AFFECTO_NOW cannot be set in production".into(),
        )),
        (Some(raw), Environment::Development) => {
            let instant: DateTime<Utc> = raw
                .parse()
                .map_err(|e| ConfigError(format!("AFFECTO_NOW={raw:?}: {e}")))?;
            Ok(Clock::fixed(instant, zone))
        }
    }
}
