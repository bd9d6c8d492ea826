//! The access checks waiting for PostgreSQL, answered in batches.
//!
//! ENT portals ask "may this user open this resource?" each time a user opens one,
//! from every school at once. On PostgreSQL each question alone would cost a round
//! trip and a wake-up of a database process; instead, the checks that arrive while a
//! batch is being answered wait in a queue, and the next batch takes them all and
//! answers them with one statement ([`check_access_batch`]). Under light load a batch
//! holds one check and costs what a single check would; under heavy load the cost of
//! the round trip is shared by every check of the batch.
//!
//! Two runner threads take turns at the queue, each with a pooled connection while it
//! answers a batch: one batch travels to the database while the next one gathers.
//! The runners take their connections from the pool directly, not through the
//! server's turns (`AppState::db`): under a mix of access checks and other work, up to
//! two other requests may wait on the pool itself rather than on their turn, within
//! the same checkout timeout.

use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use affecto_store::access::{check_access_batch, AccessCheck};
use affecto_store::{DbPool, StoreError};
use tokio::sync::oneshot;

use crate::error::ApiError;

/// The most checks one statement answers.
const LARGEST_BATCH: usize = 256;

/// How many batches may be on their way to the database at once. More runners make
/// smaller batches: on the 2-core benchmark machine, 4 runners answered a quarter fewer
/// checks per second than 2, and 1 about as many as 2.
const RUNNERS: usize = 2;

type Answer = Result<Option<bool>, ApiError>;

/// A check and the request waiting for its answer.
struct Waiting {
    check: AccessCheck,
    reply: oneshot::Sender<Answer>,
}

/// The queue of access checks and its runner threads, which stop when the queue is
/// dropped.
pub struct AccessQueue {
    sender: Sender<Waiting>,
    patience: Duration,
}

impl AccessQueue {
    /// Starts the runner threads, which answer checks with connections from `pool`; a
    /// check not answered within `patience` is refused as unavailable.
    pub fn start(pool: DbPool, patience: Duration) -> Self {
        let (sender, receiver) = mpsc::channel();
        let receiver = Arc::new(Mutex::new(receiver));
        for index in 0..RUNNERS {
            let (pool, receiver) = (pool.clone(), receiver.clone());
            thread::Builder::new()
                .name(format!("access-checks-{index}"))
                .spawn(move || answer_batches(&pool, &receiver))
                .expect("an access check runner thread");
        }
        Self { sender, patience }
    }

    /// The answer to one check: `None` when the viewer may not see the school.
    pub async fn check(&self, check: AccessCheck) -> Answer {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send(Waiting { check, reply })
            .map_err(|_| ApiError::Unavailable)?;
        match tokio::time::timeout(self.patience, answer).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(_)) => Err(ApiError::Internal),
            Err(_) => Err(ApiError::Unavailable),
        }
    }
}

/// A runner's life: take every waiting check, answer them together, again.
fn answer_batches(pool: &DbPool, receiver: &Mutex<Receiver<Waiting>>) {
    while let Some(batch) = next_batch(receiver) {
        let checks: Vec<AccessCheck> = batch.iter().map(|w| w.check.clone()).collect();
        let answers = pool
            .get()
            .map_err(StoreError::from)
            .and_then(|mut conn| check_access_batch(&mut conn, &checks));
        reply_all(batch, answers);
    }
}

/// The checks waiting now, at least one: blocks until one arrives. `None` once the
/// queue is gone.
fn next_batch(receiver: &Mutex<Receiver<Waiting>>) -> Option<Vec<Waiting>> {
    let receiver = receiver.lock().ok()?;
    let first = receiver.recv().ok()?;
    let mut batch = vec![first];
    batch.extend(
        receiver
            .try_iter()
            .take(LARGEST_BATCH - 1)
            .filter(|waiting| !waiting.reply.is_closed()),
    );
    Some(batch)
}

fn reply_all(batch: Vec<Waiting>, answers: Result<Vec<Option<bool>>, StoreError>) {
    match answers {
        Ok(answers) => {
            for (waiting, answer) in batch.into_iter().zip(answers) {
                // The request may have given up meanwhile; nobody is left to tell.
                let _ = waiting.reply.send(Ok(answer));
            }
        }
        Err(error) => {
            let unavailable = matches!(ApiError::from(error), ApiError::Unavailable);
            for waiting in batch {
                let failure = if unavailable {
                    ApiError::Unavailable
                } else {
                    ApiError::Internal
                };
                let _ = waiting.reply.send(Err(failure));
            }
        }
    }
}
