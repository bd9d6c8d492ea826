//! What every request handler shares.

use std::sync::Arc;

use actix_web::web;
use affecto_store::access::{check_access, AccessCheck};
use affecto_store::{DatabaseTarget, DbConnection, DbPool};
use tokio::sync::Semaphore;

use crate::access_queue::AccessQueue;
use crate::auth::throttle::LoginThrottle;
use crate::auth::VerifiedTokens;
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
    pub verified_tokens: Arc<VerifiedTokens>,
    /// Whether short reads run at once on the async worker (SQLite) rather than on the
    /// blocking pool; see [`AppState::read`].
    reads_in_place: bool,
    /// One permit per pooled connection: requests wait for their turn here, without a
    /// thread, rather than on blocking threads parked on the pool.
    db_turns: Arc<Semaphore>,
    /// On PostgreSQL, the access checks waiting to be answered in batches.
    access_queue: Option<Arc<AccessQueue>>,
}

impl AppState {
    pub fn new(pool: DbPool, settings: Settings) -> Self {
        let connections = settings.pool_size as usize;
        let reads_in_place =
            DatabaseTarget::parse(&settings.database_url).is_ok_and(|target| !target.is_postgres());
        let access_queue = (!reads_in_place).then(|| {
            Arc::new(AccessQueue::start(
                pool.clone(),
                settings.db_checkout_timeout,
            ))
        });
        Self {
            pool,
            reads_in_place,
            access_queue,
            db_turns: Arc::new(Semaphore::new(connections)),
            settings: Arc::new(settings),
            throttle: Arc::default(),
            metrics: Arc::default(),
            verified_tokens: Arc::default(),
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

    /// Runs a short read: a few indexed lookups whose cost does not grow with the
    /// database, such as the access check.
    ///
    /// On SQLite it runs at once on the calling async worker. In WAL mode a reader never
    /// waits for the writer, and the read takes microseconds, less than handing it to a
    /// blocking thread and back; when no connection is idle, it queues like any other
    /// work. On PostgreSQL the answer travels over the network, so it always goes
    /// through [`AppState::db`].
    ///
    /// Known limitation: while SQLite recovers a write-ahead log left by a crash (the
    /// first read after an unclean stop), that read holds the worker until recovery
    /// ends.
    pub async fn read<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
        T: Send + 'static,
    {
        if self.reads_in_place {
            if let Some(mut conn) = self.pool.try_get() {
                return work(&mut conn);
            }
        }
        self.db(work).await
    }

    /// Answers an access check: `None` when the viewer may not see the school. On
    /// PostgreSQL the check joins the next batch of [`AccessQueue`]; on SQLite it is a
    /// short read.
    pub async fn check_access(&self, check: AccessCheck) -> Result<Option<bool>, ApiError> {
        if let Some(queue) = &self.access_queue {
            return queue.check(check).await;
        }
        self.read(move |conn| Ok(check_access(conn, &check)?)).await
    }
}
