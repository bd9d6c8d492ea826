//! What every request handler shares.

use std::sync::Arc;

use actix_web::web;
use affecto_store::{DbConnection, DbPool};

use crate::auth::throttle::LoginThrottle;
use crate::config::Settings;
use crate::error::ApiError;
use crate::metrics::Metrics;

/// The application's shared state: the database pool, the settings and the sign-in
/// throttle. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub pool: DbPool,
    pub settings: Arc<Settings>,
    pub throttle: Arc<LoginThrottle>,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(pool: DbPool, settings: Settings) -> Self {
        Self {
            pool,
            settings: Arc::new(settings),
            throttle: Arc::default(),
            metrics: Arc::default(),
        }
    }

    /// Runs database work on actix's blocking thread pool, never on the async
    /// executor, with a connection from the pool.
    pub async fn db<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get().map_err(affecto_store::StoreError::from)?;
            work(&mut conn)
        })
        .await?
    }
}
