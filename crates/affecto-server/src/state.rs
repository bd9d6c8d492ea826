//! What every request handler shares.

use std::sync::Arc;

use actix_web::web;
use affecto_store::{DbConnection, DbPool};
use tokio::sync::Semaphore;

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
    /// One permit per pooled connection: requests wait for their turn here, without a
    /// thread, rather than on blocking threads parked on the pool.
    db_turns: Arc<Semaphore>,
}

impl AppState {
    pub fn new(pool: DbPool, settings: Settings) -> Self {
        let connections = settings.pool_size as usize;
        Self {
            pool,
            db_turns: Arc::new(Semaphore::new(connections)),
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
        let wait = self.settings.db_checkout_timeout;
        let turn = tokio::time::timeout(wait, self.db_turns.clone().acquire_owned())
            .await
            .map_err(|_| ApiError::Unavailable)?
            .map_err(|_| ApiError::Internal)?;
        let pool = self.pool.clone();
        web::block(move || {
            let _turn = turn;
            let mut conn = pool.get().map_err(affecto_store::StoreError::from)?;
            work(&mut conn)
        })
        .await?
    }
}
